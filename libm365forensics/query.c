/* SPDX-License-Identifier: MIT */
/* query.c - timeline slices with bound parameters only. */
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

int m365f_timeline(m365f_case *c, const m365f_timeline_filter *f,
		   m365f_row_cb cb, void *payload, m365f_error *err)
{
	m365f_timeline_filter def = M365F_TIMELINE_FILTER_INIT;
	m365f__buf sql;
	sqlite3_stmt *st = NULL;
	int64_t since = 0, until = 0;
	char ip[64];
	int port, rc, idx = 0;
	char *user = NULL;

	m365f__error_clear(err);
	if (!c)
		return m365f__error_set(err, M365F_EINVAL, "no case");
	if (!f)
		f = &def;
	if (f->version != M365F_TIMELINE_FILTER_VERSION)
		return m365f__error_set(err, M365F_EVERSION,
					"timeline filter version %u not "
					"supported",
					f->version);
	if (nz(f->since) && m365f__time_parse(f->since, strlen(f->since),
					      &since, NULL))
		return m365f__error_set(err, M365F_EINVAL,
					"--since: not a date or time: '%s'",
					f->since);
	if (nz(f->until) && m365f__time_parse(f->until, strlen(f->until),
					      &until, NULL))
		return m365f__error_set(err, M365F_EINVAL,
					"--until: not a date or time: '%s'",
					f->until);
	m365f__buf_init(&sql, 0);
	m365f__buf_printf(
		&sql,
		"SELECT e.id, iso_time(e.time) AS time, e.user, e.client_ip,"
		" e.operation, e.workload, e.record_type, e.result, e.object,"
		" e.user_agent, e.app_id, e.session_id, e.record_id,"
		" e.product, s.path AS source, e.line"
		" FROM events e JOIN sources s ON s.id = e.source_id"
		" WHERE 1");
	if (nz(f->user))
		m365f__buf_printf(&sql, " AND e.user = ?%d", ++idx);
	if (nz(f->ip))
		m365f__buf_printf(&sql, " AND e.client_ip = ?%d", ++idx);
	if (nz(f->since))
		m365f__buf_printf(&sql, " AND e.time >= ?%d", ++idx);
	if (nz(f->until))
		m365f__buf_printf(&sql, " AND e.time < ?%d", ++idx);
	if (nz(f->operation))
		m365f__buf_printf(&sql, " AND regexp(?%d, e.operation)",
				  ++idx);
	if (nz(f->workload))
		m365f__buf_printf(&sql, " AND e.workload = ?%d COLLATE NOCASE",
				  ++idx);
	if (nz(f->session)) {
		++idx;
		m365f__buf_printf(&sql,
				  " AND (e.session_id = ?%d OR e.token_id = "
				  "?%d OR e.correlation_id = ?%d)",
				  idx, idx, idx);
	}
	if (nz(f->product))
		m365f__buf_printf(&sql, " AND e.product = ?%d", ++idx);
	m365f__buf_printf(&sql, " ORDER BY e.time, e.source_id, e.line");
	if (f->limit)
		m365f__buf_printf(&sql, " LIMIT ?%d", ++idx);
	if (!sql.data) {
		m365f__buf_free(&sql);
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");
	}
	if (sqlite3_prepare_v2(c->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
		rc = m365f__error_db(err, c->db, "timeline");
		m365f__buf_free(&sql);
		return rc;
	}
	m365f__buf_free(&sql);
	idx = 0;
	if (nz(f->user)) {
		user = m365f__strdup_lower(f->user);
		sqlite3_bind_text(st, ++idx, user ? user : f->user, -1,
				  SQLITE_TRANSIENT);
	}
	if (nz(f->ip)) {
		m365f__ip_normalize(f->ip, strlen(f->ip), ip, &port);
		sqlite3_bind_text(st, ++idx, ip, -1, SQLITE_TRANSIENT);
	}
	if (nz(f->since))
		sqlite3_bind_int64(st, ++idx, since);
	if (nz(f->until))
		sqlite3_bind_int64(st, ++idx, until);
	if (nz(f->operation))
		sqlite3_bind_text(st, ++idx, f->operation, -1, SQLITE_STATIC);
	if (nz(f->workload))
		sqlite3_bind_text(st, ++idx, f->workload, -1, SQLITE_STATIC);
	if (nz(f->session))
		sqlite3_bind_text(st, ++idx, f->session, -1, SQLITE_STATIC);
	if (nz(f->product))
		sqlite3_bind_text(st, ++idx, f->product, -1, SQLITE_STATIC);
	if (f->limit)
		sqlite3_bind_int64(st, ++idx, (sqlite3_int64)f->limit);
	free(user);
	rc = m365f__stmt_rows(st, cb, payload, err);
	sqlite3_finalize(st);
	return rc;
}
