/* SPDX-License-Identifier: MIT */
/* filter.c - event filters (timeline, sign-ins) turned into WHERE terms
 * with bound parameters only, and the query run. */
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* The WHERE terms of f after "SELECT ... WHERE 1", then the order and the
 * limit; parameters are numbered in the order bind_filter binds them. */
static void build_filter(m365f__buf *sql, const m365f__event_filter *f)
{
	int idx = 0;

	if (nz(f->user))
		m365f__buf_printf(sql, " AND e.user = ?%d", ++idx);
	if (nz(f->ip))
		m365f__buf_printf(sql, " AND e.client_ip = ?%d", ++idx);
	if (nz(f->since))
		m365f__buf_printf(sql, " AND e.time >= ?%d", ++idx);
	if (nz(f->until))
		m365f__buf_printf(sql, " AND e.time < ?%d", ++idx);
	if (nz(f->operation))
		m365f__buf_printf(sql, " AND regexp(?%d, e.operation)", ++idx);
	if (nz(f->workload))
		m365f__buf_printf(sql, " AND e.workload = ?%d COLLATE NOCASE",
				  ++idx);
	if (nz(f->session)) {
		++idx;
		m365f__buf_printf(sql,
				  " AND (e.session_id = ?%d OR e.token_id = "
				  "?%d OR e.correlation_id = ?%d)",
				  idx, idx, idx);
	}
	if (nz(f->product))
		m365f__buf_printf(sql, " AND e.product = ?%d", ++idx);
	if (nz(f->app)) {
		++idx;
		m365f__buf_printf(sql,
				  " AND (d.app_id = ?%d COLLATE NOCASE OR"
				  " instr(lower(d.app_name), lower(?%d)) > 0)",
				  idx, idx);
	}
	if (nz(f->country))
		m365f__buf_printf(sql, " AND d.country = ?%d COLLATE NOCASE",
				  ++idx);
	if (f->failed)
		m365f__buf_printf(sql, " AND e.result = 'failure'");
	m365f__buf_printf(sql, " ORDER BY e.time, e.source_id, e.line");
	if (f->limit)
		m365f__buf_printf(sql, " LIMIT ?%d", ++idx);
}

static void bind_filter(sqlite3_stmt *st, const m365f__event_filter *f,
			int64_t since, int64_t until, const char *user)
{
	char ip[64];
	int port, idx = 0;

	if (nz(f->user))
		sqlite3_bind_text(st, ++idx, user ? user : f->user, -1,
				  SQLITE_TRANSIENT);
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
	if (nz(f->app))
		sqlite3_bind_text(st, ++idx, f->app, -1, SQLITE_STATIC);
	if (nz(f->country))
		sqlite3_bind_text(st, ++idx, f->country, -1, SQLITE_STATIC);
	if (f->limit)
		sqlite3_bind_int64(st, ++idx, (sqlite3_int64)f->limit);
}

int m365f__filter_rows(m365f_case *c, const char *select,
		       const m365f__event_filter *f, const char *what,
		       m365f_row_cb cb, void *payload, m365f_error *err)
{
	m365f__buf sql;
	sqlite3_stmt *st = NULL;
	int64_t since = 0, until = 0;
	char *user = NULL;
	int rc;

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
	m365f__buf_printf(&sql, "%s WHERE 1", select);
	build_filter(&sql, f);
	if (!sql.data) {
		m365f__buf_free(&sql);
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");
	}
	if (sqlite3_prepare_v2(c->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
		rc = m365f__error_db(err, c->db, what);
		m365f__buf_free(&sql);
		return rc;
	}
	m365f__buf_free(&sql);
	if (nz(f->user))
		user = m365f__strdup_lower(f->user);
	bind_filter(st, f, since, until, user);
	free(user);
	rc = m365f__stmt_rows(st, cb, payload, err);
	sqlite3_finalize(st);
	return rc;
}
