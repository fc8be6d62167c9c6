/* SPDX-License-Identifier: MIT */
/* diagenv.c - Azure Monitor diagnostic-settings records: the record in the
 * envelope's "properties", an object or JSON text. */
#include "m365f-private.h"

int m365f__diag_record(m365f__ingest *ing, const cJSON *env,
		       const char *what, m365f__diag_fn fn)
{
	const cJSON *p = m365f__j(env, "properties");
	cJSON *owned = NULL;
	int rc;

	if (cJSON_IsString(p))
		p = owned = m365f__json_parse_inner(p->valuestring);
	if (!cJSON_IsObject(p)) {
		cJSON_Delete(owned);
		return m365f__store_reject(ing, "properties", 0,
					   "diagnostic %s record without "
					   "properties",
					   what);
	}
	rc = fn(ing, p, env);
	cJSON_Delete(owned);
	return rc;
}
