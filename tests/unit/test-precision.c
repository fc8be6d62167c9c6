/* SPDX-License-Identifier: MIT */
/*
 * test-precision.c - the built-in detectors on the sample incident of
 * testdata/scenario: the benign users raise nothing of medium severity or
 * above, and every attack step is found with its user, time and evidence.
 */
#include "ingest-util.h"

/* Every (detector, user) pair at medium or above outside coverage: the
 * attacker's work on alice and david, nothing for the eight others. */
static const char want_pairs[] =
	"c01-password-spray|alice.nguyen@contoso-labs.com\n"
	"c05-legacy-auth|alice.nguyen@contoso-labs.com\n"
	"c08-aitm-token-theft|alice.nguyen@contoso-labs.com\n"
	"c09-attack-tools|alice.nguyen@contoso-labs.com\n"
	"c10-impossible-travel|alice.nguyen@contoso-labs.com\n"
	"c11-suspicious-network|alice.nguyen@contoso-labs.com\n"
	"c11-suspicious-network|david.kim@contoso-labs.com\n"
	"l03-shared-infrastructure|alice.nguyen@contoso-labs.com\n"
	"l03-shared-infrastructure|david.kim@contoso-labs.com\n"
	"l08-activity-in-risky-session|alice.nguyen@contoso-labs.com\n"
	"p01-rule-forward-external|alice.nguyen@contoso-labs.com\n"
	"p02-rule-hides-mail|alice.nguyen@contoso-labs.com\n"
	"p03-rule-keywords|alice.nguyen@contoso-labs.com\n"
	"p04-rule-obfuscated-name|alice.nguyen@contoso-labs.com\n"
	"p12-oauth-consent|alice.nguyen@contoso-labs.com\n"
	"p13-risky-scope-grant|alice.nguyen@contoso-labs.com\n"
	"p14-permission-grant|alice.nguyen@contoso-labs.com\n"
	"x01-bulk-download|alice.nguyen@contoso-labs.com\n"
	"x02-download-new-client|alice.nguyen@contoso-labs.com\n"
	"x03-mail-items-accessed|alice.nguyen@contoso-labs.com\n"
	"x04-mail-api-access|alice.nguyen@contoso-labs.com\n"
	"x07-external-sharing|alice.nguyen@contoso-labs.com\n"
	"x11-consent-credential-mail|alice.nguyen@contoso-labs.com\n"
	"z01-attack-chain|alice.nguyen@contoso-labs.com";

/* Attack steps: detector, user, first time of its finding (the earliest
 * when the detector reports several), and the operations, addresses and
 * count of its evidence events. */
typedef struct {
	const char *detector, *user, *first, *evidence;
} step;

static const step steps[] = {
	/* the spray: both rounds against the ten real accounts (wrong
	 * password) and alice's success, from one address */
	{ "c01-password-spray", "alice", "2026-03-05T02:11:04.000Z",
	  "signin 83.97.73.114 20" },
	{ "c10-impossible-travel", "alice", "2026-03-05T02:43:45.000Z",
	  NULL },
	/* the attacker's browser sign-in and OWA behind it */
	{ "c08-aitm-token-theft", "alice", "2026-03-05T03:05:10.000Z",
	  "mailitemsaccessed 45.147.229.81 1\n"
	  "signin 45.147.229.81 1" },
	{ "p01-rule-forward-external", "alice", "2026-03-05T03:12:15.000Z",
	  NULL },
	{ "p04-rule-obfuscated-name", "alice", "2026-03-05T03:13:40.000Z",
	  NULL },
	{ "p13-risky-scope-grant", "alice", "2026-03-05T03:20:03.021Z",
	  NULL },
	{ "x04-mail-api-access", "alice", "2026-03-05T03:35:51.000Z",
	  "mailitemsaccessed 45.147.229.81 4" },
	/* the bulk download, without her own downloads from home that day */
	{ "x01-bulk-download", "alice", "2026-03-05T04:02:07.000Z",
	  "filedownloaded 45.147.229.81 52" },
	{ "x02-download-new-client", "alice", "2026-03-05T04:02:07.000Z",
	  "filedownloaded 45.147.229.81 52" },
	{ "x07-external-sharing", "alice", "2026-03-05T04:25:33.000Z",
	  NULL },
	{ "c11-suspicious-network", "david", "2026-03-06T01:15:22.000Z",
	  NULL },
	/* the chain starts at the spray */
	{ "z01-attack-chain", "alice", "2026-03-05T02:11:04.000Z", NULL },
};

static void test_scenario(void)
{
	m365f_ingest_options io = M365F_INGEST_OPTIONS_INIT;
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	m365f_error e;
	char sql[1024];
	const char *text;
	tc_rows r;
	tcase t;
	size_t i;

	CHECK_INT(tc_open(&t), 0);
	CHECK_RC(m365f_ingest_path(t.c, TESTDATA_DIR "/scenario", &io, &e),
		 M365F_OK);
	CHECK_RC(m365f_detect_run(t.c, &o, NULL, &e), M365F_OK);
	CHECK_STR(tc_sql(&t, "SELECT DISTINCT detector, user FROM findings"
			     " WHERE severity IN ('medium', 'high',"
			     " 'critical') AND category <> 'coverage'"
			     " ORDER BY 1, 2"),
		  want_pairs);
	/* the benign users have no finding at all above info */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM findings WHERE severity"
			     " <> 'info' AND user IS NOT NULL AND user NOT IN"
			     " ('alice.nguyen@contoso-labs.com',"
			     " 'david.kim@contoso-labs.com')"),
		  "0");
	/* no evidence of those findings comes from the staff's own home and
	 * office addresses (the blast radius starts from this evidence) */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM findings f"
			     " JOIN finding_events fe ON fe.finding_id = f.id"
			     " JOIN events e ON e.id = fe.event_id"
			     " WHERE f.severity IN ('medium', 'high',"
			     " 'critical') AND f.category <> 'coverage'"
			     " AND (e.client_ip LIKE '88.130.%'"
			     " OR e.client_ip LIKE '94.31.%'"
			     " OR e.client_ip LIKE '151.47.%'"
			     " OR e.client_ip LIKE '62.214.45.%')"),
		  "0");
	/* nothing of the attack is dated before the spray */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM findings WHERE user IS NOT"
			     " NULL AND first_time < time_ms("
			     "'2026-03-05T02:11:04Z')"),
		  "0");
	for (i = 0; i < M365F__ARRAY_LEN(steps); i++) {
		const step *s = &steps[i];
		int failed = test_failures;

		snprintf(sql, sizeof(sql),
			 "SELECT iso_time(min(first_time)) FROM findings"
			 " WHERE detector = '%s' AND user LIKE '%s.%%'",
			 s->detector, s->user);
		CHECK_STR(tc_sql(&t, sql), s->first);
		if (s->evidence) {
			snprintf(sql, sizeof(sql),
				 "SELECT e.op_norm || ' ' || e.client_ip"
				 " || ' ' || count(*) FROM findings f"
				 " JOIN finding_events fe"
				 " ON fe.finding_id = f.id JOIN events e"
				 " ON e.id = fe.event_id"
				 " WHERE f.detector = '%s'"
				 " AND f.user LIKE '%s.%%'"
				 " GROUP BY e.op_norm, e.client_ip ORDER BY 1",
				 s->detector, s->user);
			CHECK_STR(tc_sql(&t, sql), s->evidence);
		}
		if (test_failures != failed)
			fprintf(stderr, "  in the step of %s\n", s->detector);
	}
	/* the spray finding names the ten real accounts and both rounds */
	CHECK_STR(tc_sql(&t, "SELECT count(DISTINCT e.user) || ' ' ||"
			     " count(DISTINCT e.time / 1800000) FROM findings f"
			     " JOIN finding_events fe ON fe.finding_id = f.id"
			     " JOIN events e ON e.id = fe.event_id WHERE"
			     " f.detector = 'c01-password-spray'"),
		  "10 2");
	/* the blast radius from the high findings: the attacker's two
	 * addresses, not alice's home; undated dump rules give it no time */
	memset(&r, 0, sizeof(r));
	m365f__buf_init(&r.out, 0);
	CHECK_RC(m365f_scope(t.c, NULL, tc_row, &r, &e), M365F_OK);
	text = m365f__buf_cstr(&r.out);
	CHECK(strstr(text, "ip|83.97.73.114|") != NULL);
	CHECK(strstr(text, "ip|45.147.229.81|") != NULL);
	CHECK(strstr(text, "88.130.77.41") == NULL);
	CHECK(strstr(text, "1970-") == NULL);
	/* the consented app once, whichever log named it */
	CHECK(strstr(text, "app|6e2a1f3c-9b7d-4c85-a0e4-7d1b3f5c9a28|") !=
	      NULL);
	CHECK(strstr(text, "\"6e2a1f3c") == NULL);
	m365f__buf_free(&r.out);
	/* undated rule dumps: said so, and no time borrowed from another
	 * source's finding */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM findings WHERE detector ="
			     " 'v05-source-span' AND first_time IS NULL AND"
			     " last_time IS NULL AND summary LIKE"
			     " '%rules/All_InboxRules.%: undated (no record"
			     " carries a time), 3 records%'"),
		  "2");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM findings WHERE detector ="
			     " 'v05-source-span' AND summary LIKE '% to  %'"),
		  "0");
	tc_close(&t);
}

int main(void)
{
	test_scenario();
	printf("%d checks, %d failed\n", test_checks, test_failures);
	return test_failures ? 1 : 0;
}
