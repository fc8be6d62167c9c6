/* SPDX-License-Identifier: MIT */
/*
 * test-detect.c - the detection engine (headers, errors with line:column,
 * parameters, config files, re-runs, rules folders), the data tables, the
 * SQL functions, and every built-in detector against the fixtures of
 * testdata/detect (expect.tsv) and the shared corpus.
 */
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "m365f-private.h"
#include "test.h"

extern const struct {
	const char *name;
	const char *text;
} m365f__detector_files[];

/* ------------------------------------------------------------- helpers */

static m365f_case *new_case(void)
{
	m365f_case *c = NULL;
	m365f_error err;

	if (m365f_case_open(&c, ":memory:", M365F_OPEN_CREATE, &err)) {
		fprintf(stderr, "cannot open a case: %s\n", err.text);
		exit(99);
	}
	return c;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(fp);
	return buf;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && !strcmp(s + a - b, suf);
}

/* Load a fixture: .sql is run on the case, anything else is ingested. */
static int load_fixture(m365f_case *c, const char *path)
{
	m365f_error err;
	int rc;

	if (ends_with(path, ".sql")) {
		char *sql = slurp(path);

		if (!sql)
			return M365F_EIO;
		rc = m365f_sql(c, sql, M365F_SQL_WRITE, NULL, NULL, &err);
		free(sql);
	} else {
		rc = m365f_ingest_path(c, path, NULL, &err);
	}
	if (rc)
		fprintf(stderr, "%s: %s\n", path, err.text);
	return rc;
}

typedef struct {
	char text[4096];
	int rows;
} grab;

/* Collects the first column of every row, ';'-separated. */
static int grab_row(const m365f_row *row, void *payload)
{
	grab *g = payload;
	size_t n = strlen(g->text);

	snprintf(g->text + n, sizeof(g->text) - n, "%s%s", n ? ";" : "",
		 row->values[0] ? row->values[0] : "NULL");
	g->rows++;
	return 0;
}

/* First column of the rows of a query, ';'-separated. */
static const char *q(m365f_case *c, grab *g, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static const char *q(m365f_case *c, grab *g, const char *fmt, ...)
{
	char sql[2048];
	m365f_error err;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	g->text[0] = '\0';
	g->rows = 0;
	if (m365f_sql(c, sql, 0, grab_row, g, &err)) {
		fprintf(stderr, "query failed: %s: %s\n", sql, err.text);
		snprintf(g->text, sizeof(g->text), "ERROR");
	}
	return g->text;
}

typedef struct {
	m365f_error last;
	int n;
} diags;

static void on_diag(const m365f_error *e, void *payload)
{
	diags *d = payload;

	d->last = *e;
	d->n++;
}

static char tmpdir[256];

static void write_file(const char *name, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	if (!fp) {
		perror(path);
		exit(99);
	}
	fputs(text, fp);
	fclose(fp);
}

static void remove_tmp(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

/* A small case: one rule forwarding outside, one inside. */
static m365f_case *rule_case(void)
{
	m365f_case *c = new_case();

	if (load_fixture(c, TESTDATA("detect/p01-rule-forward-external.fire."
				     "jsonl")) ||
	    load_fixture(c, TESTDATA("detect/p02-rule-hides-mail.fire.jsonl")))
		exit(99);
	return c;
}

static const char *good_rule =
	"-- SPDX-License-Identifier: MIT\n"
	"-- id: x-rules\n"
	"-- title: Every inbox rule\n"
	"-- category: persistence\n"
	"-- severity: low\n"
	"-- attack: T1564.008\n"
	"-- description: Lists inbox rules\n"
	"--   of any kind.\n"
	"-- param: op = new-inboxrule\n"
	"--   The folded operation.\n"
	"-- param: min = 1\n"
	"SELECT user, time AS first_time, time AS last_time,\n"
	"       'rule ' || id AS summary, id AS events\n"
	"  FROM events WHERE op_norm = param('op')\n"
	"   AND (SELECT count(*) FROM events) >= param('min')\n";

/* ------------------------------------------------------------- engine */

static void test_header_list(void)
{
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	grab g = { "", 0 };
	m365f_error err;
	size_t i;

	CHECK_RC(m365f_detectors_list(&o, grab_row, &g, &err), M365F_OK);
	for (i = 0; m365f__detector_files[i].name; i++)
		;
	CHECK_INT(g.rows, (long long)i);
	CHECK(strstr(g.text, "c01-password-spray;") == g.text);
	g.text[0] = '\0';
	g.rows = 0;
	o.categories = "defense-evasion";
	CHECK_RC(m365f_detectors_list(&o, grab_row, &g, &err), M365F_OK);
	CHECK(g.rows >= 10);
	CHECK(g.text[0] == 'd');
	o.categories = "persistance";
	CHECK_RC(m365f_detectors_list(&o, grab_row, &g, &err), M365F_EINVAL);
	CHECK(strstr(err.text, "unknown category 'persistance'") != NULL);
}

/* Built-in file names are their ids; headers are complete. */
static void test_builtin_headers(void)
{
	size_t i;

	for (i = 0; m365f__detector_files[i].name; i++) {
		const char *name = m365f__detector_files[i].name;
		const char *text = m365f__detector_files[i].text;
		char want[160];

		snprintf(want, sizeof(want), "-- id: %.*s\n",
			 (int)(strlen(name) - 4), name);
		CHECK(strstr(text, want) != NULL);
		CHECK(strncmp(text, "-- SPDX-License-Identifier: MIT\n",
			      32) == 0);
		CHECK(strstr(text, "-- false-positives:") != NULL);
	}
}

static void test_bad_detector(void)
{
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	m365f_detect_summary sum;
	m365f_case *c = rule_case();
	diags d = { { 0 }, 0 };
	m365f_error err;
	grab g;
	char src[300];

	write_file("a-good.sql", good_rule);
	/* a syntax error on line 8, column 20 */
	write_file("b-bad.sql",
		   "-- id: x-bad\n-- title: t\n-- category: persistence\n"
		   "-- severity: high\n-- attack: T1098\n"
		   "-- description: d\n"
		   "SELECT user, time AS first_time, time AS last_time,\n"
		   "       'x' AS summary, id AS events FROM eventz\n");
	o.rules_dir = tmpdir;
	o.diag_cb = on_diag;
	o.payload = &d;
	CHECK_RC(m365f_detect_run(c, &o, &sum, &err), M365F_OK);
	CHECK_INT(d.n, 1);
	CHECK_INT(sum.failed, 1);
	snprintf(src, sizeof(src), "%s/b-bad.sql", tmpdir);
	CHECK(strstr(d.last.source, "b-bad.sql") != NULL);
	CHECK_ERR_AT(d.last, 8, 42);
	CHECK(strstr(d.last.text, "no such table: eventz") != NULL);
	/* the others still ran */
	CHECK_STR(q(c, &g, "SELECT count(*) FROM findings WHERE detector = "
			   "'x-rules'"),
		  "2");
	CHECK_STR(q(c, &g, "SELECT count(*) FROM findings WHERE detector = "
			   "'p01-rule-forward-external'"),
		  "1");
	/* the failure is kept with the run */
	CHECK(strstr(q(c, &g, "SELECT errors FROM detect_runs"), "b-bad.sql:8:42")
	      != NULL);
	unlink(src);

	/* a syntax error: SQLite's own offset */
	d.n = 0;
	write_file("b-bad.sql",
		   "-- id: x-bad\n-- title: t\n-- category: persistence\n"
		   "-- severity: high\n-- attack: T1098\n"
		   "-- description: d\n"
		   "SELECT user, time AS first_time, time AS last_time,\n"
		   "  'x' AS summary, id AS events FROM events WHERE AND 1\n");
	CHECK_RC(m365f_detect_run(c, &o, &sum, &err), M365F_OK);
	CHECK_INT(d.n, 1);
	CHECK_ERR_AT(d.last, 8, 50);
	CHECK(strstr(d.last.text, "near \"AND\"") != NULL);
	unlink(src);

	/* header errors carry the line of the key */
	d.n = 0;
	write_file("c-header.sql",
		   "-- id: x-head\n-- title: t\n-- category: persistence\n"
		   "-- severity: severe\n-- attack: T1098\n"
		   "-- description: d\nSELECT 1\n");
	CHECK_RC(m365f_detect_run(c, &o, &sum, &err), M365F_OK);
	CHECK_INT(d.n, 1);
	CHECK_ERR_AT(d.last, 4, 1);
	CHECK(strstr(d.last.text, "unknown severity 'severe'") != NULL);
	snprintf(src, sizeof(src), "%s/c-header.sql", tmpdir);
	unlink(src);

	/* two statements, missing columns, writes */
	d.n = 0;
	write_file("d-two.sql",
		   "-- id: x-two\n-- title: t\n-- category: lateral\n"
		   "-- severity: high\n-- attack: T1098\n-- description: d\n"
		   "SELECT NULL AS user, 1 AS first_time, 1 AS last_time,"
		   " 's' AS summary, 1 AS events;\n  SELECT 2;\n");
	write_file("e-cols.sql",
		   "-- id: x-cols\n-- title: t\n-- category: lateral\n"
		   "-- severity: high\n-- attack: T1098\n-- description: d\n"
		   "SELECT 1 AS user\n");
	write_file("f-noevents.sql",
		   "-- id: x-noev\n-- title: t\n-- category: lateral\n"
		   "-- severity: high\n-- attack: T1098\n-- description: d\n"
		   "SELECT NULL AS user, 1 AS first_time, 1 AS last_time,"
		   " 's' AS summary, '99999' AS events\n");
	CHECK_RC(m365f_detect_run(c, &o, &sum, &err), M365F_OK);
	CHECK_INT(d.n, 3);
	CHECK_INT(sum.failed, 3);
	CHECK_STR(q(c, &g, "SELECT count(*) FROM findings WHERE detector "
			   "LIKE 'x-%%'"),
		  "2");
	snprintf(src, sizeof(src), "%s/d-two.sql", tmpdir);
	unlink(src);
	snprintf(src, sizeof(src), "%s/e-cols.sql", tmpdir);
	unlink(src);
	snprintf(src, sizeof(src), "%s/f-noevents.sql", tmpdir);
	unlink(src);
	m365f_case_free(c);
}

static void test_params(void)
{
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	m365f_detect_summary sum;
	m365f_case *c = rule_case();
	m365f_error err;
	const char *p1[] = { "x-rules.op=set-inboxrule", NULL };
	const char *p2[] = { "min=100", NULL };
	const char *p3[] = { "nosuch=1", NULL };
	const char *p4[] = { "x-other.min=1", NULL };
	char cfg[300];
	grab g;

	write_file("a-good.sql", good_rule);
	o.rules_dir = tmpdir;
	o.flags = M365F_DETECT_NO_BUILTIN;
	CHECK_RC(m365f_detect_run(c, &o, &sum, &err), M365F_OK);
	CHECK_INT(sum.findings, 2);
	CHECK_INT(sum.max_severity, M365F_SEVERITY_LOW);
	o.params = p1;
	CHECK_RC(m365f_detect_run(c, &o, &sum, &err), M365F_OK);
	CHECK_INT(sum.findings, 0);
	/* numbers compare as numbers */
	o.params = p2;
	CHECK_RC(m365f_detect_run(c, &o, &sum, &err), M365F_OK);
	CHECK_INT(sum.findings, 0);
	o.params = p3;
	CHECK_RC(m365f_detect_run(c, &o, &sum, &err), M365F_EINVAL);
	CHECK(strstr(err.text, "--param: no detector has a parameter "
			       "'nosuch'") != NULL);
	o.params = p4;
	CHECK_RC(m365f_detect_run(c, &o, &sum, &err), M365F_EINVAL);
	/* the config file, then --param over it */
	write_file("params.conf", "# thresholds\n\nmin = 100\n");
	snprintf(cfg, sizeof(cfg), "%s/params.conf", tmpdir);
	o.params = NULL;
	o.config_path = cfg;
	CHECK_RC(m365f_detect_run(c, &o, &sum, &err), M365F_OK);
	CHECK_INT(sum.findings, 0);
	o.params = (const char *[]){ "min=2", NULL };
	CHECK_RC(m365f_detect_run(c, &o, &sum, &err), M365F_OK);
	CHECK_INT(sum.findings, 2);
	write_file("params.conf", "min = 1\nnot a setting\n");
	CHECK_RC(m365f_detect_run(c, &o, &sum, &err), M365F_EINVAL);
	CHECK_INT(err.line, 2);
	CHECK(strstr(err.source, "params.conf") != NULL);
	unlink(cfg);
	/* the listing shows effective values */
	o.config_path = NULL;
	o.params = p1;
	CHECK_RC(m365f_detectors_list(&o, NULL, NULL, &err), M365F_OK);
	CHECK(strstr(q(c, &g, "SELECT detectors FROM detect_runs ORDER BY id"
			      " DESC LIMIT 1"),
		     "\"op\":\"new-inboxrule\",\"min\":\"2\"") != NULL);
	m365f_case_free(c);
}

static void test_rerun_replaces(void)
{
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	m365f_detect_summary s1, s2;
	m365f_case *c = rule_case();
	m365f_error err;
	grab g;

	CHECK_RC(m365f_detect_run(c, &o, &s1, &err), M365F_OK);
	CHECK(s1.findings >= 2);
	CHECK_INT(s1.failed, 0);
	CHECK_RC(m365f_detect_run(c, &o, &s2, &err), M365F_OK);
	CHECK_INT(s2.findings, s1.findings);
	CHECK_STR(q(c, &g, "SELECT count(*) FROM findings"),
		  q(c, &(grab){ "", 0 }, "SELECT %llu",
		    (unsigned long long)s1.findings));
	CHECK_STR(q(c, &g, "SELECT count(DISTINCT run_id) FROM findings"), "1");
	CHECK_STR(q(c, &g, "SELECT count(*) FROM finding_events fe LEFT JOIN "
			   "findings f ON f.id = fe.finding_id WHERE f.id IS "
			   "NULL"),
		  "0");
	/* a category run replaces only its own detectors' findings */
	o.categories = "defense-evasion";
	CHECK_RC(m365f_detect_run(c, &o, &s2, &err), M365F_OK);
	CHECK_INT(s2.findings, 0);
	CHECK_STR(q(c, &g, "SELECT count(*) FROM findings"),
		  q(c, &(grab){ "", 0 }, "SELECT %llu",
		    (unsigned long long)s1.findings));
	/* min severity: only the high one is stored */
	o.categories = NULL;
	o.min_severity = M365F_SEVERITY_HIGH;
	CHECK_RC(m365f_detect_run(c, &o, &s2, &err), M365F_OK);
	CHECK_STR(q(c, &g, "SELECT group_concat(detector) FROM findings"),
		  "p01-rule-forward-external");
	m365f_case_free(c);
}

typedef struct {
	int rows;
	int events_type;
	char events[64];
	char first[40];
} frow;

static int finding_row(const m365f_row *row, void *payload)
{
	frow *f = payload;
	size_t i;

	for (i = 0; i < row->ncols; i++) {
		if (!strcmp(row->names[i], "events")) {
			f->events_type = row->types[i];
			snprintf(f->events, sizeof(f->events), "%s",
				 row->values[i]);
		}
		if (!strcmp(row->names[i], "first_time") && row->values[i])
			snprintf(f->first, sizeof(f->first), "%s",
				 row->values[i]);
	}
	f->rows++;
	return 0;
}

static void test_findings_rows(void)
{
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	m365f_case *c = new_case();
	m365f_error err;
	frow f = { 0, 0, "", "" };

	CHECK_RC(load_fixture(c, TESTDATA("detect/d07-mfa-disabled.fire."
					  "jsonl")),
		 M365F_OK);
	CHECK_RC(m365f_detect_run(c, &o, NULL, &err), M365F_OK);
	o.categories = "defense-evasion";
	CHECK_RC(m365f_findings(c, &o, finding_row, &f, &err), M365F_OK);
	CHECK_INT(f.rows, 1);
	CHECK_INT(f.events_type, M365F_TYPE_JSON);
	CHECK_STR(f.events, "[1,2]");
	CHECK_STR(f.first, "2024-03-01T10:00:01.000Z");
	o.categories = "persistence";
	f.rows = 0;
	CHECK_RC(m365f_findings(c, &o, finding_row, &f, &err), M365F_OK);
	CHECK_INT(f.rows, 0);
	m365f_case_free(c);
}

/* A change in both the UAL and the Entra audit log is one finding. */
static void test_twins(void)
{
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	m365f_case *c = new_case();
	m365f_error err;
	grab g;

	CHECK_RC(load_fixture(c, TESTDATA("detect/p12-oauth-consent.twins.sql")),
		 M365F_OK);
	CHECK_RC(m365f_detect_run(c, &o, NULL, &err), M365F_OK);
	CHECK_STR(q(c, &g, "SELECT f.user || ':' || group_concat(fe.event_id) "
			   "FROM findings f JOIN finding_events fe ON "
			   "fe.finding_id = f.id WHERE f.detector = "
			   "'p12-oauth-consent' GROUP BY f.id ORDER BY f.user"),
		  "bob@contoso.com:3;eve@contoso.com:1,2");
	/* the Entra record is the one reported (its object is the name) */
	CHECK(strstr(q(c, &g, "SELECT summary FROM findings WHERE user = "
			      "'eve@contoso.com'"),
		     "'Mail Helper'") != NULL);
	m365f_case_free(c);
}

/* A data table of the rules folder with a bad row stops the run. */
static void test_bad_table(void)
{
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	m365f_case *c = new_case();
	m365f_error err;
	char path[300];

	write_file("watch.tsv", "# list\naddress\tnote\na@b.example\tx\n"
				"c@d.example\n");
	o.rules_dir = tmpdir;
	o.flags = M365F_DETECT_NO_BUILTIN;
	CHECK_RC(m365f_detect_run(c, &o, NULL, &err), M365F_EPARSE);
	CHECK_INT(err.line, 4);
	CHECK(strstr(err.source, "watch.tsv") != NULL);
	CHECK(strstr(err.text, "1 fields, want 2") != NULL);
	snprintf(path, sizeof(path), "%s/watch.tsv", tmpdir);
	unlink(path);
	m365f_case_free(c);
}

static void test_readonly(void)
{
	m365f_case *c = NULL;
	m365f_error err;
	char path[300];

	snprintf(path, sizeof(path), "%s/ro.db", tmpdir);
	CHECK_RC(m365f_case_open(&c, path, M365F_OPEN_CREATE, &err), M365F_OK);
	m365f_case_free(c);
	CHECK_RC(m365f_case_open(&c, path, M365F_OPEN_READONLY, &err),
		 M365F_OK);
	CHECK_RC(m365f_detect_run(c, NULL, NULL, &err), M365F_EINVAL);
	m365f_case_free(c);
	unlink(path);
}

/* ---------------------------------------------------------- data tables */

static void test_tables(void)
{
	m365f_case *c = new_case();
	m365f_error err;
	grab g;

	CHECK_RC(m365f__detect_load_tables(c, &err), M365F_OK);
	CHECK(atoi(q(c, &g, "SELECT count(DISTINCT lang) FROM "
			    "ref_hidden_folders")) >= 11);
	CHECK_STR(q(c, &g, "SELECT folder FROM ref_hidden_folders WHERE name ="
			   " 'RSS-подписки'"),
		  "rss");
	CHECK_STR(q(c, &g, "SELECT permission FROM ref_app_roles WHERE id = "
			   "'dc890d15-9560-4a4c-9b7f-a736ec74ec40'"),
		  "full_access_as_app");
	CHECK_STR(q(c, &g, "SELECT typeof(code) || class FROM ref_aadsts_codes"
			   " WHERE code = 50126"),
		  "integerfailure");
	CHECK_STR(q(c, &g, "SELECT name FROM ref_first_party_apps WHERE "
			   "app_id = '00000003-0000-0000-c000-000000000000'"),
		  "Microsoft Graph");
	CHECK_STR(q(c, &g, "SELECT severity FROM ref_risky_scopes WHERE "
			   "'Files.ReadWrite.All' GLOB pattern"),
		  "high");
	CHECK_STR(q(c, &g, "SELECT tool FROM ref_tool_agents WHERE "
			   "regexp('(?i)' || pattern, 'azurehound/v2.0.4')"),
		  "AzureHound");
	/* loading twice replaces */
	CHECK_RC(m365f__detect_load_tables(c, &err), M365F_OK);
	CHECK_STR(q(c, &g, "SELECT count(*) FROM ref_app_roles"), "22");
	m365f_case_free(c);
}

/* ---------------------------------------------------------- SQL functions */

static void test_sqlfunc(void)
{
	m365f_case *c = new_case();
	m365f_error err;
	grab g;

	CHECK_STR(q(c, &g, "SELECT regexp('^new-', 'new-inboxrule')"), "1");
	CHECK_STR(q(c, &g, "SELECT regexp('(?i)RSS', 'rss-feeds')"), "1");
	CHECK_STR(q(c, &g, "SELECT regexp('^x', 'y') || "
			   "coalesce(regexp(NULL, 'y'), 'n')"),
		  "0n");
	CHECK_STR(q(c, &g, "SELECT count(*) FROM (SELECT 'a' || value AS v "
			   "FROM json_each('[1,2,3,4]')) WHERE regexp('a[13]', "
			   "v)"),
		  "2");
	CHECK(m365f_sql(c, "SELECT regexp('(', 'x')", 0, NULL, NULL, &err) ==
	      M365F_ESQL);
	CHECK(strstr(err.text, "missing closing parenthesis") != NULL);
	CHECK_STR(q(c, &g, "SELECT email_domain('\"Eve\" [SMTP:Eve@Evil."
			   "Example]')"),
		  "evil.example");
	CHECK_STR(q(c, &g, "SELECT coalesce(email_domain('no domain'), 'n')"),
		  "n");
	CHECK_RC(m365f_case_add_internal_domain(c, "contoso.com", &err),
		 M365F_OK);
	CHECK_STR(q(c, &g, "SELECT is_internal('bob@contoso.com') || "
			   "is_internal('smtp:x@sales.contoso.com') || "
			   "is_internal('x@contoso.com.evil.example') || "
			   "is_internal('x@notcontoso.com') || "
			   "coalesce(is_internal('Bob Smith'), 'n')"),
		  "1100n");
	CHECK_STR(q(c, &g, "SELECT ip_in_cidr('10.1.2.3', '10.0.0.0/8') || "
			   "ip_in_cidr('[2001:db8::1]:443', '2001:db8::/32') ||"
			   " ip_in_cidr('11.0.0.1', '10.0.0.0/8') || "
			   "ip_in_cidr('::ffff:10.0.0.1', '10.0.0.0/8')"),
		  "1101");
	CHECK_STR(q(c, &g, "SELECT ip_is_private('192.168.1.1') || "
			   "ip_is_private('8.8.8.8') || ip_is_private('fe80::1')"
			   " || coalesce(ip_is_private('host'), 'n')"),
		  "101n");
	CHECK_STR(q(c, &g, "SELECT iso_time(time_ms('3/1/2024 10:00:00 AM'))"),
		  "2024-03-01T10:00:00.000Z");
	CHECK_STR(q(c, &g, "SELECT round(geo_distance_km(48.8566, 2.3522, "
			   "51.5074, -0.1278))"),
		  "344.0");
	/* param(): numbers as numbers, defaults, text */
	CHECK_STR(q(c, &g, "SELECT param('none', 7) + 1"), "8");
	c->param_names = calloc(2, sizeof(char *));
	c->param_values = calloc(2, sizeof(char *));
	c->param_names[0] = strdup("n");
	c->param_values[0] = strdup("10");
	c->param_names[1] = strdup("s");
	c->param_values[1] = strdup("10 days");
	c->nparams = 2;
	CHECK_STR(q(c, &g, "SELECT typeof(param('n')) || (9 < param('n')) || "
			   "typeof(param('s')) || param('s', 'x')"),
		  "integer1text10 days");
	m365f_case_free(c);
}

/* ------------------------------------------------- built-in detectors */

typedef struct {
	char fixture[128], detector[96], severity[16];
	int count;
} expect;

static int read_expect(expect **out)
{
	char *text = slurp(TESTDATA("detect/expect.tsv")), *line, *save;
	expect *v = NULL;
	int n = 0;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		expect e;

		if (line[0] == '#' || !line[0])
			continue;
		if (sscanf(line, "%127[^\t]\t%95[^\t]\t%d\t%15s", e.fixture,
			   e.detector, &e.count, e.severity) != 4) {
			fprintf(stderr, "expect.tsv: bad line '%s'\n", line);
			test_failures++;
			continue;
		}
		v = realloc(v, (size_t)(n + 1) * sizeof(*v));
		v[n++] = e;
	}
	free(text);
	*out = v;
	return n;
}

static void test_builtin_fixtures(void)
{
	expect *v = NULL;
	int n = read_expect(&v), i;
	size_t k;

	CHECK(n > 0);
	for (i = 0; i < n; i++) {
		m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
		m365f_case *c = new_case();
		m365f_error err;
		char path[512], want[64];
		grab g;
		int rc;

		snprintf(path, sizeof(path), "%s/detect/%s", TESTDATA_DIR,
			 v[i].fixture);
		CHECK_RC(load_fixture(c, path), M365F_OK);
		rc = m365f_detect_run(c, &o, NULL, &err);
		CHECK_RC(rc, M365F_OK);
		snprintf(want, sizeof(want), "%d", v[i].count);
		q(c, &g,
		  "SELECT count(*) FROM findings WHERE detector = '%s'",
		  v[i].detector);
		if (strcmp(g.text, want)) {
			fprintf(stderr, "%s: %s gave %s findings, want %s\n",
				v[i].fixture, v[i].detector, g.text, want);
			test_failures++;
		}
		test_checks++;
		if (strcmp(v[i].severity, "-")) {
			q(c, &g,
			  "SELECT group_concat(DISTINCT severity) FROM findings"
			  " WHERE detector = '%s'",
			  v[i].detector);
			CHECK_STR(g.text, v[i].severity);
		}
		/* every finding has evidence */
		CHECK_STR(q(c, &g, "SELECT count(*) FROM findings f WHERE NOT "
				   "EXISTS (SELECT 1 FROM finding_events fe "
				   "WHERE fe.finding_id = f.id)"),
			  "0");
		m365f_case_free(c);
	}
	/* every built-in persistence and defense-evasion detector fires
	 * somewhere and stays silent somewhere (the other categories have
	 * their own scenario tests) */
	for (k = 0; m365f__detector_files[k].name; k++) {
		char id[96];
		bool fires = false, silent = false;

		if (!strstr(m365f__detector_files[k].text,
			    "\n-- category: persistence\n") &&
		    !strstr(m365f__detector_files[k].text,
			    "\n-- category: defense-evasion\n"))
			continue;

		snprintf(id, sizeof(id), "%.*s",
			 (int)(strlen(m365f__detector_files[k].name) - 4),
			 m365f__detector_files[k].name);
		for (i = 0; i < n; i++) {
			if (strcmp(v[i].detector, id))
				continue;
			if (v[i].count > 0)
				fires = true;
			else
				silent = true;
		}
		if (!fires || !silent) {
			fprintf(stderr, "%s: needs a fixture where it fires and "
					"one where it is silent\n",
				id);
			test_failures++;
		}
		test_checks++;
	}
	free(v);
}

/* --------------------------------------------------------------- corpus */

static bool have_corpus(void)
{
	struct stat st;

	return stat(CORPUS("blueteam0ps-det-eng-samples"), &st) == 0;
}

static void test_corpus(void)
{
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	m365f_case *c;
	m365f_error err;
	grab g;

	if (!have_corpus()) {
		fprintf(stderr, "corpus absent: corpus checks skipped\n");
		return;
	}
	c = new_case();
	CHECK_RC(m365f_ingest_path(c, CORPUS("blueteam0ps-det-eng-samples"),
				   NULL, &err),
		 M365F_OK);
	CHECK_RC(m365f_ingest_path(c, CORPUS("sentinel-training-lab/"
					     "office_activity_inbox_rule.csv"),
				   NULL, &err),
		 M365F_OK);
	CHECK_RC(m365f_ingest_path(c, CORPUS("elastic-beats-o365/"
					     "02-exchange-item.log"),
				   NULL, &err),
		 M365F_OK);
	CHECK_RC(m365f_detect_run(c, &o, NULL, &err), M365F_OK);
#define FINDINGS(det)                                                       \
	q(c, &g,                                                            \
	  "SELECT group_concat(user || ' ' || (SELECT group_concat(e.operation)" \
	  " FROM finding_events fe JOIN events e ON e.id = fe.event_id"     \
	  " WHERE fe.finding_id = f.id), ';') FROM (SELECT * FROM findings" \
	  " WHERE detector = '%s' ORDER BY first_time, id) f",              \
	  det)
	/* blueteam0ps: one finding per behaviour, as SOURCES.md expects */
	CHECK_STR(FINDINGS("p17-directory-role-grant"),
		  "stinger@contoso.onmicrosoft.com Add member to role.");
	CHECK_STR(FINDINGS("p17-exchange-rbac-change"),
		  "stinger@contoso.onmicrosoft.com New-RoleGroup");
	CHECK_STR(q(c, &g, "SELECT severity FROM findings WHERE detector = "
			   "'p17-exchange-rbac-change'"),
		  "high");
	/* SendAs fires; the system actor's Discovery Management FullAccess
	 * does not */
	CHECK_STR(FINDINGS("p10-mailbox-delegation"),
		  "stinger@contoso.onmicrosoft.com Add-RecipientPermission");
	CHECK_STR(FINDINGS("p22-mail-flow-plumbing"),
		  "stinger@contoso.onmicrosoft.com Set-CASMailbox;"
		  "stinger@contoso.onmicrosoft.com Set-CASMailbox");
	CHECK_STR(FINDINGS("p07-mailbox-forwarding"),
		  "matt@contoso.onmicrosoft.com Set-Mailbox");
	CHECK_STR(FINDINGS("d07-mfa-disabled"),
		  "stinger@contoso.onmicrosoft.com Update user.,"
		  "Disable Strong Authentication.");
	CHECK_STR(FINDINGS("d01-audit-log-disabled"),
		  "stinger@contoso.onmicrosoft.com Set-AdminAuditLogConfig");
	CHECK_STR(FINDINGS("d04-security-policy-tampering"),
		  "stinger@contoso.onmicrosoft.com Remove-DlpCompliancePolicy");
	CHECK_STR(FINDINGS("d03-mailbox-audit-reduced"),
		  "stinger@contoso.onmicrosoft.com Set-Mailbox;"
		  "stinger@contoso.onmicrosoft.com "
		  "Set-MailboxAuditBypassAssociation;"
		  "stinger@contoso.onmicrosoft.com Update user.");
	/* inbox rules: the delete rule, the invoice rule to Deleted Items,
	 * and the Sentinel lab's rules (keyword rule: rule2 only) */
	CHECK_STR(FINDINGS("p03-rule-keywords"),
		  "adelev@contoso.onmicrosoft.com New-InboxRule;"
		  "matt@contoso.onmicrosoft.com Set-InboxRule");
	CHECK(strstr(q(c, &g, "SELECT summary FROM findings WHERE detector = "
			      "'p03-rule-keywords' ORDER BY first_time"),
		     "'rule2'") != NULL);
	CHECK_STR(q(c, &g, "SELECT count(*) FROM findings WHERE detector = "
			   "'p02-rule-hides-mail'"),
		  "4");
	/* the Exchange service's folder permissions are not reported */
	CHECK_STR(q(c, &g, "SELECT count(*) FROM findings WHERE detector = "
			   "'p11-folder-permission'"),
		  "0");
	/* nothing from a removal or the recon sign-ins as persistence */
	CHECK_STR(q(c, &g, "SELECT count(*) FROM findings f JOIN "
			   "finding_events fe ON fe.finding_id = f.id JOIN "
			   "events e ON e.id = fe.event_id WHERE e.op_norm IN "
			   "('remove member from role', 'userloggedin', "
			   "'userloginfailed') AND f.category IN "
			   "('persistence', 'defense-evasion')"),
		  "0");
	m365f_case_free(c);

	/* OTRF Golden SAML: a secret added to the app, Mail.ReadWrite granted */
	c = new_case();
	CHECK_RC(m365f_ingest_path(c, CORPUS("otrf-goldensaml/extracted"),
				   NULL, &err),
		 M365F_OK);
	CHECK_RC(m365f_detect_run(c, &o, NULL, &err), M365F_OK);
	CHECK_STR(FINDINGS("p15-app-credentials"),
		  "pgustavo@simulandlabs.com Update application \xe2\x80\x93 "
		  "Certificates and secrets management ");
	CHECK_STR(q(c, &g, "SELECT severity || ' ' || json_extract(detail, "
			   "'$.scopes') FROM findings WHERE detector = "
			   "'p13-risky-scope-grant'"),
		  "high [\"Mail.ReadWrite\"]");
	CHECK_STR(FINDINGS("p14-permission-grant"),
		  "pgustavo@simulandlabs.com Add delegated permission grant");
	/* the app asked for Mail.ReadWrite first (RequiredResourceAccess) */
	CHECK(strstr(q(c, &g, "SELECT summary FROM findings WHERE detector = "
			      "'p16-high-privilege-app-permission'"),
		     "'SimuLandApp' Mail.ReadWrite (delegated)") != NULL);
	m365f_case_free(c);

	/* Graph messageRules: the delete rule is reported; the forward to
	 * the tenant's own address is not (once the tenant is known) */
	c = new_case();
	CHECK_RC(m365f_ingest_path(c, CORPUS("msgraph-docs-examples/graph-v1.0-"
					     "inbox-messageRules-list-example."
					     "json"),
				   NULL, &err),
		 M365F_OK);
	CHECK_RC(m365f_detect_run(c, &o, NULL, &err), M365F_OK);
	CHECK_STR(q(c, &g, "SELECT severity FROM findings WHERE detector = "
			   "'p01-rule-forward-external'"),
		  "low");
	CHECK_RC(m365f_case_add_internal_domain(c, "contoso.onmicrosoft.com",
						&err),
		 M365F_OK);
	CHECK_RC(m365f_detect_run(c, &o, NULL, &err), M365F_OK);
	CHECK_STR(q(c, &g, "SELECT count(*) FROM findings WHERE detector = "
			   "'p01-rule-forward-external'"),
		  "0");
	CHECK(strstr(q(c, &g, "SELECT summary FROM findings WHERE detector = "
			      "'p02-rule-hides-mail'"),
		     "'Remove spam'") != NULL);
	/* no audit log in this case: nothing to compare the dump with */
	CHECK_STR(q(c, &g, "SELECT count(*) FROM findings WHERE detector = "
			   "'p06-dump-rule-without-audit'"),
		  "0");
	m365f_case_free(c);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/m365f-test-detect-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	test_header_list();
	test_builtin_headers();
	test_bad_detector();
	test_params();
	test_rerun_replaces();
	test_findings_rows();
	test_twins();
	test_bad_table();
	test_readonly();
	test_tables();
	test_sqlfunc();
	test_builtin_fixtures();
	test_corpus();
	remove_tmp();
	TEST_DONE();
}
