/* SPDX-License-Identifier: MIT */
/* lacsv.c - Log Analytics CSV exports: each row as one JSON object keyed by
 * the column names, for the JSON normalizers of sign-ins and audits. */
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

void m365f__lacsv_end(void *state)
{
	m365f__lacsv *s = state;
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s);
}

int m365f__lacsv_begin(const m365f__csv_header *h, void (*clean)(char *key),
		       void **state)
{
	m365f__lacsv *s = calloc(1, sizeof(*s));
	size_t i;

	if (!s)
		return M365F_ENOMEM;
	s->keys = calloc(h->ncols ? h->ncols : 1, sizeof(char *));
	if (!s->keys) {
		free(s);
		return M365F_ENOMEM;
	}
	for (i = 0; i < h->ncols; i++, s->n++) {
		const char *name = h->raw_names[i];

		if (!strncmp(name, "\xEF\xBB\xBF", 3))
			name += 3;
		s->keys[i] = m365f__strndup(name, strlen(name));
		if (!s->keys[i]) {
			m365f__lacsv_end(s);
			return M365F_ENOMEM;
		}
		clean(s->keys[i]);
	}
	*state = s;
	return M365F_OK;
}

int m365f__lacsv_object(m365f__ingest *ing, const m365f__lacsv *s,
			const m365f__csv_row *r, cJSON **out)
{
	cJSON *obj = cJSON_CreateObject();
	size_t i;

	*out = NULL;
	if (!obj)
		return M365F_ENOMEM;
	for (i = 0; i < r->ncols && i < s->n; i++) {
		const char *v = r->fields[i];

		/* the first non-empty cell of a key wins */
		if (!v[0] || cJSON_GetObjectItemCaseSensitive(obj, s->keys[i]))
			continue;
		if (memchr(v, '\0', r->lens[i])) {
			cJSON_Delete(obj);
			return m365f__store_reject(ing, s->keys[i], 0,
						   "NUL byte in a field");
		}
		cJSON_AddItemToObject(obj, s->keys[i], cJSON_CreateString(v));
	}
	*out = obj;
	return M365F_OK;
}
