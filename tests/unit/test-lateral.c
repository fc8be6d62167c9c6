/* SPDX-License-Identifier: MIT */
/*
 * test-lateral.c - the exfiltration, lateral, credential and coverage
 * detectors on testdata/detect/lateral (each fires for its scenario and
 * stays silent for the benign near-miss), impossible travel, the
 * cross-source correlations, the blast-radius scope and ip_prefix().
 */
#include "ingest-util.h"

/* One row per detector: accounts (or text in the summary) it must report
 * and near-misses it must not. "" ends a list. */
typedef struct {
	const char *detector;
	const char *fires[4];
	const char *silent[4];
} expect;

static const expect expects[] = {
	{ "x01-bulk-download", { "megan@" }, { "nestor@", "lidia@" } },
	{ "x02-download-new-client", { "lynne@", "megan@" }, { "lidia@" } },
	{ "x03-mail-items-accessed", { "grady@" }, { "isaiah@" } },
	{ "x04-mail-api-access", { "hector@", "adele@" }, { "irvin@" } },
	{ "x05-exfil-app", { "joni@" }, { "lee@" } },
	{ "x06-ediscovery-export", { "pradeep@" }, { "miriam@" } },
	{ "x07-external-sharing", { "alex@" }, { "diego@" } },
	{ "x08-sharing-policy-weakened", { "ursula@" }, { "victor@" } },
	{ "x09-sensitive-search", { "patti@" }, { "johanna@" } },
	{ "x10-outbound-burst", { "henrietta@" }, { "irvin@", "nestor@" } },
	{ "x11-consent-credential-mail", { "adele@" }, { "lee@", "hector@" } },
	{ "l01-internal-phishing", { "adele@", "olga@" }, { "nestor@" } },
	{ "l02-other-mailbox-access", { "adele@" }, { "paula@" } },
	{ "l03-shared-infrastructure", { "rob@", "sara@", "ursula@" },
	  { "johanna@", "nestor@", "wendy@" } },
	{ "l04-session-token-reuse", { "sess-adele-home", "tok-adele-home" },
	  { "tom@" } },
	{ "l05-privilege-spread", { "ursula@", "adele@" }, { "victor@" } },
	{ "l06-teams-external-helpdesk", { "wendy@" }, { "xavier@" } },
	{ "l07-cross-tenant-trust", { "ursula@" }, { "victor@" } },
	{ "l08-activity-in-risky-session", { "adele@" }, { "zoe@" } },
	{ "c01-password-spray", { "193.37.255.114" }, { "20.50.2.10" } },
	{ "c02-brute-force", { "debra@" }, { "enrico@" } },
	{ "c03-lockout", { "gerhart@" }, { "hillary@" } },
	{ "c04-mfa-fatigue", { "isabel@" }, { "jamal@" } },
	{ "c05-legacy-auth", { "kasia@" }, { "liam@", "mona@" } },
	{ "c06-single-factor", { "nina@" }, { "oscar@" } },
	{ "c07-device-code", { "pia@" }, { "quinn@" } },
	{ "c08-aitm-token-theft", { "rosa@" }, { "sven@" } },
	{ "c09-attack-tools", { "tariq@" }, { "uma@", "spray00@" } },
	{ "c10-impossible-travel", { "vera@", "xena@", "zoe@" },
	  { "walt@", "yara@" } },
	{ "c11-suspicious-network", { "abe@" }, { "bea@", "walt@" } },
	{ "c12-identity-risk", { "cody@" }, { "dora@" } },
	{ "c13-ca-bypass", { "eli@" }, { "fay@" } },
	{ "c14-error-codes", { "gus@", "hana@" }, { "ivan@" } },
	{ "c15-auth-spike", { "jack@" }, { "kim@" } },
	{ "c16-phish-delivered", { "lena@" }, { "max@" } },
	{ "z01-attack-chain", { "adele@" }, { "isabel@" } },
	{ "v04-noninteractive-absent", { "none non-interactive" }, { "" } },
	{ "v05-source-span", { "signins.json", "ual.jsonl" }, { "" } },
};

/* Number of findings of detector whose user or summary contains text. */
static int nfound(tcase *t, const char *detector, const char *text)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM findings WHERE detector = '%s' AND "
		 "instr(coalesce(user, '') || ' ' || summary, '%s') > 0",
		 detector, text);
	return atoi(tc_sql(t, sql));
}

static int detect(tcase *t, const char *const *params)
{
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	m365f_detect_summary s;
	m365f_error e;
	int rc;

	o.params = params;
	rc = m365f_detect_run(t->c, &o, &s, &e);
	if (rc || s.failed)
		fprintf(stderr, "detect: rc %d, %u failed: %s\n", rc, s.failed,
			e.text);
	return rc ? rc : (int)s.failed;
}

static int open_scenario(tcase *t)
{
	m365f_ingest_options o = M365F_INGEST_OPTIONS_INIT;
	int rc;

	if (tc_open(t))
		return -1;
	rc = m365f_ingest_path(t->c, TESTDATA_DIR "/detect/lateral", &o,
			       &t->err);
	if (rc)
		fprintf(stderr, "ingest: %s\n", t->err.text);
	return rc;
}

static void test_scenario(void)
{
	tcase t;
	size_t i, k;

	if (open_scenario(&t)) {
		CHECK(!"scenario ingested");
		tc_close(&t);
		return;
	}
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM signin_details"), "195");
	CHECK_INT(detect(&t, NULL), 0);
	for (i = 0; i < M365F__ARRAY_LEN(expects); i++) {
		const expect *x = &expects[i];

		for (k = 0; k < 4 && x->fires[k] && *x->fires[k]; k++)
			if (nfound(&t, x->detector, x->fires[k]) < 1) {
				fprintf(stderr, "%s: no finding for %s\n",
					x->detector, x->fires[k]);
				CHECK(!"detector fires");
			}
		for (k = 0; k < 4 && x->silent[k] && *x->silent[k]; k++)
			if (nfound(&t, x->detector, x->silent[k]) > 0) {
				fprintf(stderr, "%s: fired for near-miss %s\n",
					x->detector, x->silent[k]);
				CHECK(!"detector silent on near-miss");
			}
	}
	/* severities set per finding */
	CHECK_STR(tc_sql(&t, "SELECT severity FROM findings WHERE detector ="
			     " 'c04-mfa-fatigue'"),
		  "critical");
	CHECK_STR(tc_sql(&t, "SELECT severity FROM findings WHERE detector ="
			     " 'x11-consent-credential-mail'"),
		  "critical");
	CHECK_STR(tc_sql(&t, "SELECT severity FROM findings WHERE detector ="
			     " 'c14-error-codes' AND user LIKE 'hana@%'"),
		  "medium");
	/* the chain links the sign-in and the forwarding rule */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM finding_events fe"
			     " JOIN findings f ON f.id = fe.finding_id"
			     " JOIN events e ON e.id = fe.event_id"
			     " WHERE f.detector = 'z01-attack-chain'"
			     " AND e.op_norm IN ('new-inboxrule', 'signin')"
			     " AND e.user = 'adele@contoso.com'"
			     " AND e.client_ip = '185.220.101.7'"),
		  "2");
	/* travel: audit activity located through another user's sign-in */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM finding_events fe"
			     " JOIN findings f ON f.id = fe.finding_id"
			     " JOIN events e ON e.id = fe.event_id"
			     " WHERE f.detector = 'c10-impossible-travel'"
			     " AND f.user = 'zoe@contoso.com'"
			     " AND e.product = 'ual'"
			     " AND e.client_ip = '185.220.101.7'"),
		  "1");
	/* cross-source: the replayed token joins a sign-in and an audit
	 * record */
	CHECK_STR(tc_sql(&t, "SELECT group_concat(DISTINCT e.product) FROM"
			     " finding_events fe JOIN findings f"
			     " ON f.id = fe.finding_id JOIN events e"
			     " ON e.id = fe.event_id WHERE f.detector ="
			     " 'l04-session-token-reuse' AND f.summary LIKE"
			     " 'token tok-adele-home%' ORDER BY 1"),
		  "signin,ual");
	/* every finding of these families has evidence */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM findings f WHERE NOT"
			     " EXISTS (SELECT 1 FROM finding_events fe"
			     " WHERE fe.finding_id = f.id)"),
		  "0");
	tc_close(&t);
}

/* Thresholds are parameters: a slower plane makes the flight possible
 * and impossible. */
static void test_params(void)
{
	static const char *const slow[] = {
		"c10-impossible-travel.max_kmh=600", NULL
	};
	static const char *const strict[] = {
		"x01-bulk-download.min_per_day=30", "c05-legacy-auth.normal_days=8",
		NULL
	};
	tcase t;

	if (open_scenario(&t)) {
		CHECK(!"scenario ingested");
		tc_close(&t);
		return;
	}
	CHECK_INT(detect(&t, slow), 0);
	CHECK_INT(nfound(&t, "c10-impossible-travel", "walt@"), 1);
	CHECK_INT(detect(&t, strict), 0);
	CHECK_INT(nfound(&t, "c10-impossible-travel", "walt@"), 0);
	CHECK_INT(nfound(&t, "x01-bulk-download", "nestor@"), 1);
	CHECK_INT(nfound(&t, "c05-legacy-auth", "liam@"), 1);
	tc_close(&t);
}

/* n FileAccessed records, one a minute from start_ms, skipping gap_at
 * (a three-day hole there when >= 0), with a MailItemsAccessed last. */
static char *make_ual(int n, int gap_at, bool mia, size_t *len)
{
	m365f__buf b;
	int64_t t = 1741000000000LL;
	int i;

	m365f__buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		char ts[32];

		if (i == gap_at)
			t += 3 * 86400000LL;
		m365f__time_format(t, ts);
		ts[19] = '\0';
		m365f__buf_printf(&b,
			"{\"CreationTime\":\"%s\",\"Id\":\"cov-%d\","
			"\"Operation\":\"%s\",\"RecordType\":%d,"
			"\"Workload\":\"%s\",\"UserId\":\"user%d@contoso.com\","
			"\"UserType\":0,\"ClientIP\":\"20.50.2.%d\","
			"\"ObjectId\":\"doc-%d\"}\n",
			ts, i, mia && i == n - 1 ? "MailItemsAccessed"
						 : "FileAccessed",
			mia && i == n - 1 ? 50 : 6,
			mia && i == n - 1 ? "Exchange" : "SharePoint", i % 40,
			i % 200, i);
		t += 60000;
	}
	*len = b.len;
	return b.data;
}

static void test_coverage(void)
{
	static const char *const only[] = { NULL };
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	m365f_detect_summary s;
	m365f_error e;
	tcase t;
	size_t len;
	char *buf;

	o.categories = "coverage";
	o.params = only;

	/* exactly 5,000 records, a three-day gap, no MailItemsAccessed */
	tc_open(&t);
	buf = make_ual(5000, 2500, false, &len);
	CHECK_RC(tc_ingest_opts(&t, "capped.jsonl", buf, len, 0, 0), M365F_OK);
	free(buf);
	CHECK_RC(m365f_detect_run(t.c, &o, &s, &e), M365F_OK);
	CHECK_INT(nfound(&t, "v01-export-cap", "exactly 5000 records"), 1);
	CHECK_INT(nfound(&t, "v02-time-gap", "capped.jsonl has no events"), 1);
	CHECK_INT(nfound(&t, "v03-record-types-absent", "MailItemsAccessed"),
		  1);
	CHECK_INT(nfound(&t, "v03-record-types-absent", "sign-ins"), 1);
	CHECK_INT(nfound(&t, "v05-source-span", "capped.jsonl"), 1);
	CHECK_INT(nfound(&t, "v04-noninteractive-absent", ""), 0);
	tc_close(&t);

	/* 4,999 records without a gap, with a MailItemsAccessed */
	tc_open(&t);
	buf = make_ual(4999, -1, true, &len);
	CHECK_RC(tc_ingest_opts(&t, "whole.jsonl", buf, len, 0, 0), M365F_OK);
	free(buf);
	CHECK_RC(m365f_detect_run(t.c, &o, &s, &e), M365F_OK);
	CHECK_INT(nfound(&t, "v01-export-cap", ""), 0);
	CHECK_INT(nfound(&t, "v02-time-gap", ""), 0);
	CHECK_INT(nfound(&t, "v03-record-types-absent", "MailItemsAccessed"),
		  0);
	tc_close(&t);

	/* a non-interactive sign-in closes the gap v04 reports */
	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "ni.json",
			   "{\"value\":[{\"id\":\"ni-1\",\"createdDateTime\":"
			   "\"2025-03-03T08:00:00Z\",\"userPrincipalName\":"
			   "\"a@contoso.com\",\"appId\":\"x\",\"ipAddress\":"
			   "\"20.50.2.10\",\"isInteractive\":false,"
			   "\"signInEventTypes\":[\"nonInteractiveUser\"],"
			   "\"status\":{\"errorCode\":0}},{\"id\":\"i-1\","
			   "\"createdDateTime\":\"2025-03-03T08:01:00Z\","
			   "\"userPrincipalName\":\"a@contoso.com\",\"appId\":"
			   "\"x\",\"ipAddress\":\"20.50.2.10\","
			   "\"isInteractive\":true,\"status\":{\"errorCode\":"
			   "0}}]}"),
		 M365F_OK);
	CHECK_INT(t.stored, 2);
	CHECK_RC(m365f_detect_run(t.c, &o, &s, &e), M365F_OK);
	CHECK_INT(nfound(&t, "v04-noninteractive-absent", ""), 0);
	tc_close(&t);
}

typedef struct {
	int rows;
	char kinds[4096];
} scope_rows;

static int on_scope(const m365f_row *row, void *payload)
{
	scope_rows *r = payload;
	size_t n = strlen(r->kinds);

	r->rows++;
	/* "kind:value\n" */
	if (row->ncols >= 2 && row->values[0] && row->values[1] &&
	    n + strlen(row->values[0]) + strlen(row->values[1]) + 3 <
		    sizeof(r->kinds))
		snprintf(r->kinds + n, sizeof(r->kinds) - n, "%s:%s\n",
			 row->values[0], row->values[1]);
	return 0;
}

static bool has(const scope_rows *r, const char *kv)
{
	char line[256];

	snprintf(line, sizeof(line), "%s\n", kv);
	return strstr(r->kinds, line) != NULL;
}

static void test_scope(void)
{
	static const char *const adele[] = { "Adele@Contoso.com", NULL };
	static const char *const spray[] = { "193.37.255.114", NULL };
	m365f_scope_options o = M365F_SCOPE_OPTIONS_INIT;
	scope_rows r;
	m365f_error e;
	tcase t;

	if (open_scenario(&t)) {
		CHECK(!"scenario ingested");
		tc_close(&t);
		return;
	}
	/* no seeds and no findings yet: nothing to start from */
	memset(&r, 0, sizeof(r));
	CHECK_RC(m365f_scope(t.c, NULL, on_scope, &r, &e), M365F_ENOTFOUND);

	/* from the compromised account: the attacker's addresses tie in
	 * the other accounts they used, not the VPN's users */
	o.seed_users = adele;
	memset(&r, 0, sizeof(r));
	CHECK_RC(m365f_scope(t.c, &o, on_scope, &r, &e), M365F_OK);
	CHECK(has(&r, "account:adele@contoso.com"));
	CHECK(has(&r, "account:rob@contoso.com"));
	CHECK(has(&r, "account:sara@contoso.com"));
	CHECK(has(&r, "account:ursula@contoso.com"));
	CHECK(!has(&r, "account:johanna@contoso.com"));
	CHECK(!has(&r, "account:nestor@contoso.com"));
	CHECK(has(&r, "ip:185.220.101.7"));
	CHECK(!has(&r, "ip:20.50.2.10"));
	CHECK(has(&r, "session:session sess-adele-home"));
	CHECK(has(&r, "session:token tok-adele-home"));
	CHECK(has(&r, "app:5a95e683-9c3d-4f2a-8f0b-1c8d6e2b7a10"));
	CHECK(strstr(r.kinds, "account:adele@contoso.com\n") == r.kinds);

	/* from an address: the sprayed accounts are tied in */
	o.seed_users = NULL;
	o.seed_ips = spray;
	memset(&r, 0, sizeof(r));
	CHECK_RC(m365f_scope(t.c, &o, on_scope, &r, &e), M365F_OK);
	CHECK(has(&r, "ip:193.37.255.114"));
	CHECK(has(&r, "account:spray07@contoso.com"));
	CHECK(!has(&r, "account:adele@contoso.com"));

	/* without seeds, from the high findings after a detection run */
	CHECK_INT(detect(&t, NULL), 0);
	memset(&r, 0, sizeof(r));
	CHECK_RC(m365f_scope(t.c, NULL, on_scope, &r, &e), M365F_OK);
	CHECK(has(&r, "account:adele@contoso.com"));
	CHECK(has(&r, "ip:185.220.101.7"));
	CHECK(!has(&r, "ip:20.50.2.10"));
	CHECK(!has(&r, "account:johanna@contoso.com"));
	/* the case is left as it was */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM temp.sqlite_master WHERE"
			     " name LIKE 'scope_%'"),
		  "0");

	/* bad options */
	o.version = 99;
	CHECK_RC(m365f_scope(t.c, &o, on_scope, &r, &e), M365F_EVERSION);
	tc_close(&t);
}

static void test_ip_prefix(void)
{
	char out[64];

	CHECK_INT(m365f__ip_prefix("185.220.101.7", 16, 48, out), 0);
	CHECK_STR(out, "185.220.0.0/16");
	CHECK_INT(m365f__ip_prefix("2a01:110:8068:7:9bf8:aa87:e00a:5f1f", 16,
				   48, out),
		  0);
	CHECK_STR(out, "2a01:110:8068::/48");
	CHECK_INT(m365f__ip_prefix("10.1.2.3", 20, 48, out), 0);
	CHECK_STR(out, "10.1.0.0/20");
	CHECK_INT(m365f__ip_prefix("not an address", 16, 48, out), -1);
	CHECK_INT(m365f__ip_prefix(NULL, 16, 48, out), -1);
}

/* Addresses located only by a MaxMind database feed the travel detector
 * through ip_locations; a missing or broken database is an error. */
static void test_geoip(void)
{
	static const char ual[] =
		"{\"CreationTime\":\"2025-03-03T08:30:00\",\"Id\":\"g-1\","
		"\"Operation\":\"FileAccessed\",\"RecordType\":6,\"Workload\":"
		"\"SharePoint\",\"UserId\":\"ann@contoso.com\",\"UserType\":0,"
		"\"ClientIP\":\"81.2.69.160\"}\n"
		"{\"CreationTime\":\"2025-03-03T08:50:00\",\"Id\":\"g-2\","
		"\"Operation\":\"FileAccessed\",\"RecordType\":6,\"Workload\":"
		"\"SharePoint\",\"UserId\":\"ann@contoso.com\",\"UserType\":0,"
		"\"ClientIP\":\"105.112.4.7\"}\n";
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	m365f_detect_summary s;
	m365f_error e;
	uint64_t found = 99;
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "geo.jsonl", ual), M365F_OK);
	if (m365f_geoip_available()) {
		CHECK_RC(m365f_case_geoip(t.c, TESTDATA_DIR "/no-such.mmdb",
					  &found, &e),
			 M365F_EIO);
		CHECK_INT(found, 0);
		CHECK_RC(m365f_case_geoip(t.c, TESTDATA_DIR
					  "/detect/lateral/ual.jsonl",
					  &found, &e),
			 M365F_EPARSE);
		/* testdata/detect/mmdb.py writes it */
		CHECK_RC(m365f_case_geoip(t.c, TESTDATA_DIR
					  "/detect/geo-test.mmdb",
					  &found, &e),
			 M365F_OK);
		CHECK_INT(found, 2);
		CHECK_STR(tc_sql(&t, "SELECT ip, country, city, round(latitude),"
				     " asn, as_org, origin FROM ip_info"
				     " ORDER BY ip"),
			  "105.112.4.7|NG|Lagos|6.0|36873|Airtel|"
			  "geo-test.mmdb\n"
			  "81.2.69.160|GB|London|52.0|5089|Virgin Media|"
			  "geo-test.mmdb");
	} else {
		CHECK_RC(m365f_case_geoip(t.c, "x.mmdb", &found, &e),
			 M365F_EUNSUPPORTED);
		CHECK_INT(found, 0);
		/* what a City database would have stored */
		CHECK_RC(m365f_sql(t.c,
				   "INSERT INTO ip_info VALUES ('81.2.69.160',"
				   " 'GB', 'London', 51.5, -0.12, 5089, NULL,"
				   " 'test.mmdb'), ('105.112.4.7', 'NG',"
				   " 'Lagos', 6.45, 3.38, 37148, NULL,"
				   " 'test.mmdb')",
				   M365F_SQL_WRITE, NULL, NULL, &e),
			 M365F_OK);
	}
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM ip_locations"), "2");
	o.categories = "initial-access";
	CHECK_RC(m365f_detect_run(t.c, &o, &s, &e), M365F_OK);
	CHECK_INT(nfound(&t, "c10-impossible-travel", "ann@"), 1);
	tc_close(&t);
}

int main(void)
{
	test_ip_prefix();
	test_scenario();
	test_params();
	test_coverage();
	test_scope();
	test_geoip();
	printf("%d checks, %d failed\n", test_checks, test_failures);
	return test_failures ? 1 : 0;
}
