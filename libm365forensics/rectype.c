/* SPDX-License-Identifier: MIT */
/* rectype.c - AuditLogRecordType lookups over the generated table. */
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

static int cmp_num(const void *k, const void *e)
{
	int a = *(const int *)k;
	int b = ((const struct m365f__rectype *)e)->number;

	return (a > b) - (a < b);
}

const char *m365f__rectype_name(int type)
{
	const struct m365f__rectype *r;

	r = bsearch(&type, m365f__rectypes, m365f__nrectypes,
		    sizeof(*m365f__rectypes), cmp_num);
	return r ? r->name : NULL;
}

int m365f__rectype_number(const char *name)
{
	size_t i;

	if (!name || !*name)
		return -1;
	for (i = 0; i < m365f__nrectypes; i++)
		if (m365f__strieq(name, m365f__rectypes[i].name) ||
		    (m365f__rectypes[i].alias[0] &&
		     m365f__strieq(name, m365f__rectypes[i].alias)))
			return m365f__rectypes[i].number;
	return -1;
}
