/* SPDX-License-Identifier: MIT */
/*
 * scope.c - the blast radius of an incident ("who else is compromised?"):
 * from seed accounts and addresses, or from the high-severity findings,
 * the accounts, addresses, sessions and applications tied in through
 * shared addresses, sessions or tokens, rare user agents and consents.
 */
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

int m365f_scope_options_init(m365f_scope_options *opts, unsigned int version)
{
	m365f_scope_options d = M365F_SCOPE_OPTIONS_INIT;

	if (!opts)
		return M365F_EINVAL;
	if (version != M365F_SCOPE_OPTIONS_VERSION)
		return M365F_EVERSION;
	*opts = d;
	return M365F_OK;
}

/* The work tables live in the temporary schema, so a read-only case
 * works and nothing is left in the case. */
static const char *const setup_sql =
	"DROP TABLE IF EXISTS temp.scope_seed;"
	"DROP TABLE IF EXISTS temp.scope_common;"
	"DROP TABLE IF EXISTS temp.scope_ip;"
	"DROP TABLE IF EXISTS temp.scope_ev;"
	"DROP TABLE IF EXISTS temp.scope_tie;"
	"CREATE TEMP TABLE scope_seed(kind TEXT, value TEXT, why TEXT,"
	"  event_id INTEGER);"
	"CREATE TEMP TABLE scope_common(ip TEXT PRIMARY KEY);"
	"CREATE TEMP TABLE scope_ip(ip TEXT PRIMARY KEY);"
	"CREATE TEMP TABLE scope_tie(kind TEXT, value TEXT, why TEXT,"
	"  score INTEGER, event_id INTEGER);";

static const char *const cleanup_sql =
	"DROP TABLE IF EXISTS temp.scope_seed;"
	"DROP TABLE IF EXISTS temp.scope_common;"
	"DROP TABLE IF EXISTS temp.scope_ip;"
	"DROP TABLE IF EXISTS temp.scope_ev;"
	"DROP TABLE IF EXISTS temp.scope_tie;";

/* Severity text of findings as a number, for "at or above". */
#define SEV_RANK \
	"(CASE f.severity WHEN 'info' THEN 0 WHEN 'low' THEN 1 " \
	"WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 " \
	"ELSE -1 END)"

static const char *const seed_user_sql =
	"INSERT INTO scope_seed VALUES ('account', lower(trim(?1)), "
	"'seed account', NULL)";
static const char *const seed_ip_sql =
	"INSERT INTO scope_seed VALUES ('ip', trim(?1), 'seed address', NULL)";

/* Without seeds: the accounts and addresses of the findings. */
static const char *const seed_findings_sql =
	"INSERT INTO scope_seed "
	"SELECT 'account', f.user, 'finding ' || f.detector, fe.event_id "
	"  FROM findings f JOIN finding_events fe ON fe.finding_id = f.id "
	" WHERE " SEV_RANK " >= ?1 AND f.user LIKE '%@%' "
	"UNION ALL "
	"SELECT 'ip', e.client_ip, 'finding ' || f.detector, e.id "
	"  FROM findings f JOIN finding_events fe ON fe.finding_id = f.id "
	"  JOIN events e ON e.id = fe.event_id "
	" WHERE " SEV_RANK " >= ?1 AND e.client_ip IS NOT NULL "
	"   AND ip_is_private(e.client_ip) = 0 "
	"   AND e.client_ip NOT IN (SELECT ip FROM scope_common)";

/* Addresses the tenant uses every day: VPN, proxy, office NAT. */
static const char *const common_sql =
	"INSERT INTO scope_common "
	"SELECT client_ip FROM events "
	" WHERE client_ip IS NOT NULL AND client_ip <> '' "
	" GROUP BY client_ip "
	"HAVING count(DISTINCT time / 86400000) >= ?1 "
	"   AND count(DISTINCT user) >= ?2";

/* The attacker's addresses: seeds, and the seed accounts' addresses that
 * evidence a finding (or, in a case without findings, that the account
 * used on at most two days); never the tenant's common ones. */
static const char *const ip_sql =
	"INSERT OR IGNORE INTO scope_ip "
	"SELECT value FROM scope_seed WHERE kind = 'ip' "
	"   AND (why = 'seed address' OR value NOT IN "
	"        (SELECT ip FROM scope_common)) "
	"UNION "
	"SELECT e.client_ip FROM events e "
	"  JOIN scope_seed s ON s.kind = 'account' AND s.value = e.user "
	" WHERE e.client_ip IS NOT NULL AND ip_is_private(e.client_ip) = 0 "
	"   AND e.client_ip NOT IN (SELECT ip FROM scope_common) "
	"   AND (EXISTS (SELECT 1 FROM finding_events fe "
	"                 WHERE fe.event_id = e.id) "
	"        OR (NOT EXISTS (SELECT 1 FROM findings) "
	"            AND (SELECT count(DISTINCT x.time / 86400000) "
	"                   FROM events x WHERE x.user = e.user "
	"                    AND x.client_ip = e.client_ip) <= 2))";

static const char *const ev_sql =
	"CREATE TEMP TABLE scope_ev AS "
	"SELECT e.id, e.time, e.user, e.client_ip, e.session_id, e.token_id, "
	"       e.user_agent, "
	"       lower(coalesce((SELECT p.new_value FROM event_props p "
	"                        WHERE p.event_id = e.id AND p.kind = 'field' "
	"                          AND p.name = 'ClientAppId'), e.app_id)) "
	"         AS app, "
	"       NOT (e.op_norm = 'userloginfailed' OR EXISTS "
	"            (SELECT 1 FROM signin_details d WHERE d.event_id = e.id "
	"                AND d.error_code <> 0)) AS ok "
	"  FROM events e "
	" WHERE e.client_ip IN (SELECT ip FROM scope_ip)";

/* Every tie: (kind, value) is in scope because of why, shown by event. */
static const char *const tie_sqls[] = {
	/* seeds */
	"INSERT INTO scope_tie SELECT kind, value, why, "
	"  CASE WHEN why LIKE 'seed%' THEN 100 ELSE 50 END, event_id "
	"  FROM scope_seed",
	/* the addresses, with what was done from them */
	"INSERT INTO scope_tie SELECT 'ip', client_ip, "
	"  'used by ' || user, 10, id FROM scope_ev WHERE ok AND user <> ''",
	/* accounts that acted from (or were tried from) those addresses */
	"INSERT INTO scope_tie SELECT 'account', user, "
	"  'acted from ' || client_ip, 10, id FROM scope_ev "
	" WHERE ok AND user LIKE '%@%'",
	"INSERT INTO scope_tie SELECT 'account', user, "
	"  'failed sign-in from ' || client_ip, 2, id FROM scope_ev "
	" WHERE NOT ok AND user LIKE '%@%'",
	/* sessions and tokens used successfully on those addresses, and
	 * wherever else they went (another address, another account) */
	"INSERT INTO scope_tie SELECT 'session', 'session ' || session_id, "
	"  'used from ' || client_ip, 10, id FROM scope_ev "
	" WHERE ok AND session_id IS NOT NULL AND session_id <> ''",
	"INSERT INTO scope_tie SELECT 'session', 'token ' || token_id, "
	"  'used from ' || client_ip, 10, id FROM scope_ev "
	" WHERE ok AND token_id IS NOT NULL AND token_id <> ''",
	"INSERT INTO scope_tie "
	"SELECT 'account', e.user, 'shares session ' || e.session_id, 20, e.id "
	"  FROM events e WHERE e.session_id IN (SELECT session_id FROM "
	"       scope_ev WHERE ok AND session_id <> '') AND e.user LIKE '%@%' "
	"   AND e.id NOT IN (SELECT id FROM scope_ev) "
	"UNION ALL "
	"SELECT 'account', e.user, 'shares token ' || e.token_id, 20, e.id "
	"  FROM events e WHERE e.token_id IN (SELECT token_id FROM "
	"       scope_ev WHERE ok AND token_id <> '') AND e.user LIKE '%@%' "
	"   AND e.id NOT IN (SELECT id FROM scope_ev) "
	"UNION ALL "
	"SELECT 'ip', e.client_ip, 'carried session ' || e.session_id, 5, e.id "
	"  FROM events e WHERE e.session_id IN (SELECT session_id FROM "
	"       scope_ev WHERE ok AND session_id <> '') "
	"   AND e.client_ip NOT IN (SELECT ip FROM scope_ip) "
	"   AND ip_is_private(e.client_ip) = 0 "
	"UNION ALL "
	"SELECT 'ip', e.client_ip, 'carried token ' || e.token_id, 5, e.id "
	"  FROM events e WHERE e.token_id IN (SELECT token_id FROM "
	"       scope_ev WHERE ok AND token_id <> '') "
	"   AND e.client_ip NOT IN (SELECT ip FROM scope_ip) "
	"   AND ip_is_private(e.client_ip) = 0",
	/* rare user agents used from the attacker's addresses tie in every
	 * account that used them anywhere */
	"INSERT INTO scope_tie "
	"SELECT 'account', e.user, 'user agent ' || e.user_agent, 5, e.id "
	"  FROM events e "
	" WHERE e.user LIKE '%@%' AND e.user_agent IN ("
	"   SELECT v.user_agent FROM scope_ev v "
	"    WHERE v.user_agent IS NOT NULL AND v.user_agent <> '' "
	"      AND (SELECT count(DISTINCT a.user) FROM events a "
	"            WHERE a.user_agent = v.user_agent) <= ?1)",
	/* applications: not Microsoft's own, used from those addresses, or
	 * consented to by the accounts in scope */
	"INSERT INTO scope_tie SELECT 'app', app, 'used from ' || client_ip, "
	"  10, id FROM scope_ev WHERE app IS NOT NULL AND app <> '' "
	"   AND app NOT IN (SELECT lower(app_id) FROM ref_first_party_apps)",
	"INSERT INTO scope_tie "
	"SELECT 'app', lower(trim(CASE WHEN instr(p.v, ';') "
	"  THEN substr(p.v, 1, instr(p.v, ';') - 1) "
	"  ELSE p.v END)), 'consented by ' || e.user, 20, e.id "
	/* Entra's directory audit keeps the value JSON-quoted */
	"  FROM events e JOIN (SELECT event_id, kind, name, "
	"         trim(new_value, '\" ') AS v FROM event_props) p "
	"    ON p.event_id = e.id "
	" WHERE e.op_norm IN ('consent to application', "
	"                     'add service principal credentials', "
	"                     'add delegated permission grant', "
	"                     'add app role assignment to service principal') "
	"   AND p.kind = 'modified' "
	"   AND p.name = 'TargetId.ServicePrincipalNames' "
	"   AND e.user IN (SELECT value FROM scope_tie WHERE kind = 'account')",
};

static const char *const out_sql =
	"WITH w AS ("
	"  SELECT kind, value, why, max(score) AS s FROM scope_tie"
	"   WHERE value IS NOT NULL AND value <> '' GROUP BY 1, 2, 3),"
	" agg AS ("
	"  SELECT kind, value, sum(s) AS score,"
	"         group_concat(why, '; ') AS evidence FROM w GROUP BY 1, 2),"
	" ev AS ("
	"  SELECT t.kind, t.value,"
	"         min(CASE WHEN e.time > 0 THEN e.time END) AS t0,"
	"         max(CASE WHEN e.time > 0 THEN e.time END) AS t1,"
	"         count(DISTINCT e.id) AS n"
	"    FROM scope_tie t JOIN events e ON e.id = t.event_id"
	"   GROUP BY 1, 2)"
	"SELECT a.kind, a.value, a.score,"
	"       iso_time(ev.t0) AS first_time, iso_time(ev.t1) AS last_time,"
	"       coalesce(ev.n, 0) AS events, a.evidence,"
	"       (SELECT group_concat(id, ',') FROM ("
	"          SELECT DISTINCT t.event_id AS id FROM scope_tie t"
	"           WHERE t.kind = a.kind AND t.value = a.value"
	"             AND t.event_id IS NOT NULL"
	"           ORDER BY t.event_id LIMIT 50)) AS event_ids"
	"  FROM agg a LEFT JOIN ev ON ev.kind = a.kind AND ev.value = a.value"
	" ORDER BY CASE a.kind WHEN 'account' THEN 0 WHEN 'ip' THEN 1"
	"          WHEN 'session' THEN 2 ELSE 3 END, a.score DESC, a.value";

static int exec_bound(m365f_case *c, const char *sql, const char *text,
		      int64_t i1, int64_t i2, m365f_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return m365f__error_db(err, c->db, "scope");
	if (text)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
	else if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, i1);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, i2);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return m365f__error_db(err, c->db, "scope");
	return M365F_OK;
}

static int count_rows(m365f_case *c, const char *sql, int64_t *n,
		      m365f_error *err)
{
	sqlite3_stmt *st = NULL;

	*n = 0;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return m365f__error_db(err, c->db, "scope");
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return M365F_OK;
}

static int run_scope(m365f_case *c, const m365f_scope_options *o,
		     m365f_row_cb cb, void *payload, m365f_error *err)
{
	unsigned int cdays = o->common_days ? o->common_days : 3;
	unsigned int cusers = o->common_users ? o->common_users : 5;
	unsigned int ausers = o->max_agent_users ? o->max_agent_users : 3;
	int minsev = o->min_severity < 0 ? 3 : o->min_severity;
	bool seeded = false;
	sqlite3_stmt *st = NULL;
	int64_t n;
	size_t i;
	int rc;

	/* ref_first_party_apps, as a detection run loads it */
	rc = m365f__detect_load_tables(c, err);
	if (!rc)
		rc = m365f__case_exec(c, setup_sql, err);
	if (!rc)
		rc = exec_bound(c, common_sql, NULL, cdays, cusers, err);
	if (rc)
		return rc;
	for (i = 0; o->seed_users && o->seed_users[i]; i++) {
		if (!*o->seed_users[i])
			continue;
		rc = exec_bound(c, seed_user_sql, o->seed_users[i], 0, 0, err);
		if (rc)
			return rc;
		seeded = true;
	}
	for (i = 0; o->seed_ips && o->seed_ips[i]; i++) {
		char ip[64];
		int port;

		if (!*o->seed_ips[i])
			continue;
		m365f__ip_normalize(o->seed_ips[i], strlen(o->seed_ips[i]), ip,
				    &port);
		rc = exec_bound(c, seed_ip_sql, ip, 0, 0, err);
		if (rc)
			return rc;
		seeded = true;
	}
	if (!seeded) {
		rc = exec_bound(c, seed_findings_sql, NULL, minsev, 0, err);
		if (rc)
			return rc;
		rc = count_rows(c, "SELECT count(*) FROM scope_seed", &n, err);
		if (rc)
			return rc;
		if (!n)
			return m365f__error_set(
				err, M365F_ENOTFOUND,
				"no seeds given and no findings at or above "
				"%s severity to start from (run detect first, "
				"or give seed accounts or addresses)",
				minsev == 4   ? "critical"
				: minsev == 3 ? "high"
				: minsev == 2 ? "medium"
				: minsev == 1 ? "low"
					      : "info");
	}
	rc = exec_bound(c, ip_sql, NULL, 0, 0, err);
	if (!rc)
		rc = m365f__case_exec(c, ev_sql, err);
	for (i = 0; !rc && i < M365F__ARRAY_LEN(tie_sqls); i++)
		rc = exec_bound(c, tie_sqls[i], NULL, ausers, 0, err);
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(c->db, out_sql, -1, &st, NULL) != SQLITE_OK)
		return m365f__error_db(err, c->db, "scope");
	rc = m365f__stmt_rows(st, cb, payload, err);
	sqlite3_finalize(st);
	return rc;
}

int m365f_scope(m365f_case *c, const m365f_scope_options *opts,
		m365f_row_cb cb, void *payload, m365f_error *err)
{
	m365f_scope_options defaults = M365F_SCOPE_OPTIONS_INIT;
	int rc;

	m365f__error_clear(err);
	if (!c || !cb)
		return m365f__error_set(err, M365F_EINVAL, "no case or callback");
	if (opts && opts->version != M365F_SCOPE_OPTIONS_VERSION)
		return m365f__error_set(err, M365F_EVERSION,
					"scope options version %u, expected %u",
					opts->version,
					M365F_SCOPE_OPTIONS_VERSION);
	if (opts && (opts->min_severity < -1 || opts->min_severity > 4))
		return m365f__error_set(err, M365F_EINVAL,
					"min_severity %d out of range",
					opts->min_severity);
	rc = run_scope(c, opts ? opts : &defaults, cb, payload, err);
	m365f__case_exec(c, cleanup_sql, NULL);
	return rc;
}
