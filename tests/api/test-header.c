/* SPDX-License-Identifier: MIT */
/* test-header.c - the public header compiles alone as strict C99 and the
 * library it declares links and answers. */
#include <m365f.h>
#include <string.h>

int main(void)
{
	m365f_case *c = NULL;
	m365f_error err;
	m365f_ingest_options o = M365F_INGEST_OPTIONS_INIT;
	m365f_timeline_filter f = M365F_TIMELINE_FILTER_INIT;

	if (strcmp(m365f_version(), M365F_VERSION) != 0)
		return 1;
	if (strcmp(m365f_strerror(-12345), "Unknown error") != 0)
		return 1;
	if (o.version != M365F_INGEST_OPTIONS_VERSION ||
	    f.version != M365F_TIMELINE_FILTER_VERSION)
		return 1;
	if (m365f_case_open(&c, ":memory:", M365F_OPEN_CREATE, &err) != 0)
		return 1;
	m365f_case_free(c);
	m365f_case_free(NULL);
	return 0;
}
