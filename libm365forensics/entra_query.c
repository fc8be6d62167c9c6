/* SPDX-License-Identifier: MIT */
/*
 * entra_query.c - sign-ins, mailbox rules and pivots across sources:
 * SQL over the case with bound parameters only.
 */
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static int run(m365f_case *c, const char *sql, const char *what,
	       sqlite3_stmt **out, m365f_error *err)
{
	if (sqlite3_prepare_v2(c->db, sql, -1, out, NULL) != SQLITE_OK)
		return m365f__error_db(err, c->db, what);
	return M365F_OK;
}

int m365f_signins(m365f_case *c, const m365f_signin_filter *f,
		  m365f_row_cb cb, void *payload, m365f_error *err)
{
	m365f_signin_filter def = M365F_SIGNIN_FILTER_INIT;
	m365f__event_filter ef = { 0 };

	m365f__error_clear(err);
	if (!c)
		return m365f__error_set(err, M365F_EINVAL, "no case");
	if (!f)
		f = &def;
	if (f->version != M365F_SIGNIN_FILTER_VERSION)
		return m365f__error_set(err, M365F_EVERSION,
					"sign-in filter version %u not "
					"supported",
					f->version);
	ef.user = f->user;
	ef.ip = f->ip;
	ef.since = f->since;
	ef.until = f->until;
	ef.session = f->session;
	ef.app = f->app;
	ef.country = f->country;
	ef.failed = f->failed;
	ef.limit = f->limit;
	return m365f__filter_rows(
		c,
		"SELECT e.id, iso_time(e.time) AS time, e.user, e.client_ip,"
		" e.result, d.error_code, d.failure_reason,"
		" d.app_name AS app, d.app_id,"
		" coalesce(d.resource_name, d.resource_id) AS resource,"
		" d.client_app, d.auth_protocol, d.auth_requirement,"
		" d.mfa_result, d.mfa_method, d.ca_status, d.country, d.state,"
		" d.city, d.device_id, d.os, d.browser, d.risk_level, d.kind,"
		" e.user_agent, e.session_id, e.token_id, e.correlation_id,"
		" e.record_id, s.path AS source, e.line"
		" FROM events e JOIN signin_details d ON d.event_id = e.id"
		" JOIN sources s ON s.id = e.source_id",
		&ef, "signins", cb, payload, err);
}

int m365f_rules(m365f_case *c, const char *mailbox, m365f_row_cb cb,
		void *payload, m365f_error *err)
{
	sqlite3_stmt *st;
	int rc;

	m365f__error_clear(err);
	if (!c)
		return m365f__error_set(err, M365F_EINVAL, "no case");
	rc = run(c,
		 "SELECT r.id, r.source_kind, r.kind, r.action,"
		 " iso_time(r.time) AS time, r.mailbox, r.name, r.rule_id,"
		 " r.enabled, r.priority, r.forward_to,"
		 " r.forward_as_attachment, r.redirect_to, r.bcc_to,"
		 " r.deliver_and_forward, r.delete_message, r.soft_delete,"
		 " r.move_to_folder, r.copy_to_folder, r.mark_as_read,"
		 " r.stop_processing, r.cond_from, r.cond_subject,"
		 " r.cond_body, r.cond_subject_or_body,"
		 " r.cond_has_attachment,"
		 " CASE WHEN r.source_kind = 'audit' THEN e.user END AS actor,"
		 " e.client_ip, e.session_id, r.event_id, s.path AS source,"
		 " e.line"
		 " FROM inbox_rules r JOIN events e ON e.id = r.event_id"
		 " JOIN sources s ON s.id = e.source_id"
		 " WHERE ?1 IS NULL OR r.mailbox = lower(?1)"
		 " ORDER BY r.kind, r.mailbox, lower(r.name),"
		 " r.source_kind DESC, r.time, r.id",
		 "rules", &st, err);
	if (rc)
		return rc;
	if (nz(mailbox))
		sqlite3_bind_text(st, 1, mailbox, -1, SQLITE_STATIC);
	rc = m365f__stmt_rows(st, cb, payload, err);
	sqlite3_finalize(st);
	return rc;
}

/* Rule dumps without a time carry time 0 (unknown): first_time and
 * last_time skip it. Countries come in the order first seen; the kinds
 * of source of a group in name order, from the library's fixed set of
 * products. */
#define SOURCES                                                             \
	"rtrim(CASE WHEN max(e.product = 'entra-audit') THEN 'entra-audit,'" \
	" ELSE '' END || CASE WHEN max(e.product = 'rules') THEN 'rules,'"   \
	" ELSE '' END || CASE WHEN max(e.product = 'signin') THEN 'signin,'" \
	" ELSE '' END || CASE WHEN max(e.product = 'ual') THEN 'ual,'"       \
	" ELSE '' END, ',')"

int m365f_pivot(m365f_case *c, int kind, const char *value, m365f_row_cb cb,
		void *payload, m365f_error *err)
{
	sqlite3_stmt *st = NULL;
	const char *sql;
	char ip[64], *low = NULL;
	int port, rc;

	m365f__error_clear(err);
	if (!c)
		return m365f__error_set(err, M365F_EINVAL, "no case");
	if (!nz(value))
		return m365f__error_set(err, M365F_EINVAL,
					"pivot: no value to pivot on");
	switch (kind) {
	case M365F_PIVOT_IP:
		sql = "SELECT e.user, e.client_ip,"
		      " iso_time(min(nullif(e.time, 0))) AS first_time,"
		      " iso_time(max(nullif(e.time, 0))) AS last_time,"
		      " count(*) AS count,"
		      " group_concat(DISTINCT d.country) AS country, "
		      SOURCES " AS sources"
		      " FROM events e LEFT JOIN signin_details d"
		      " ON d.event_id = e.id WHERE e.client_ip = ?1"
		      " GROUP BY e.user ORDER BY min(e.time), e.user";
		m365f__ip_normalize(value, strlen(value), ip, &port);
		value = ip;
		break;
	case M365F_PIVOT_USER:
		sql = "SELECT e.user, e.client_ip, d.country,"
		      " coalesce(d.client_app, e.user_agent) AS client,"
		      " coalesce(d.app_name, e.app_id) AS app,"
		      " iso_time(min(nullif(e.time, 0))) AS first_time,"
		      " iso_time(max(nullif(e.time, 0))) AS last_time,"
		      " count(*) AS count, " SOURCES " AS sources"
		      " FROM events e LEFT JOIN signin_details d"
		      " ON d.event_id = e.id WHERE e.user = ?1"
		      " GROUP BY e.client_ip, d.country, client, app"
		      " ORDER BY min(e.time), e.client_ip, client, app";
		low = m365f__strdup_lower(value);
		if (!low)
			return m365f__error_set(err, M365F_ENOMEM,
						"out of memory");
		value = low;
		break;
	case M365F_PIVOT_SESSION:
		sql = "SELECT e.id, iso_time(e.time) AS time, e.user,"
		      " e.client_ip, e.session_id, e.token_id,"
		      " e.correlation_id, e.operation, e.workload, e.result,"
		      " e.app_id, e.product, iso_time(e.time) AS first_time,"
		      " iso_time(e.time) AS last_time, 1 AS count,"
		      " e.product AS sources, s.path AS source, e.line"
		      " FROM events e JOIN sources s ON s.id = e.source_id"
		      " WHERE e.session_id = ?1 OR e.token_id = ?1"
		      " OR e.correlation_id = ?1"
		      " ORDER BY e.time, e.source_id, e.line";
		break;
	default:
		return m365f__error_set(err, M365F_EINVAL,
					"pivot: unknown kind %d", kind);
	}
	rc = run(c, sql, "pivot", &st, err);
	if (!rc) {
		sqlite3_bind_text(st, 1, value, -1, SQLITE_TRANSIENT);
		rc = m365f__stmt_rows(st, cb, payload, err);
		sqlite3_finalize(st);
	}
	free(low);
	return rc;
}
