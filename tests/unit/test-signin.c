/* SPDX-License-Identifier: MIT */
/*
 * test-signin.c - Entra sign-ins in every export shape: each shape of
 * testdata/entra is checked against the same records, and the shapes
 * together dedup to one event per sign-in.
 */
#include "entra-util.h"

/* The attacker's interactive sign-in as alice (make-scenario.py). */
#define ALICE "alice.nguyen@contoso-labs.com"
#define ALICE_ATTACK_TIME "2026-03-05T03:05:10"

static const char *q_alice =
	"SELECT e.result || '|' || e.client_ip || '|' || d.app_name || '|' ||"
	" coalesce(d.country, '') || '|' || coalesce(d.city, '') || '|' ||"
	" coalesce(e.session_id, '') || '|' || coalesce(d.os, '')"
	" FROM events e JOIN signin_details d ON d.event_id = e.id"
	" WHERE e.user = ?1 AND substr(iso_time(e.time), 1, 19) = '"
	ALICE_ATTACK_TIME "'";

static void check_shape(const char *file, const char *format, int records,
			bool full)
{
	m365f_case *c = mem_case();
	ingest_sum s;
	char buf[512];

	CHECK_RC(ingest(c, file, &s), M365F_OK);
	CHECK_STR(s.format, format);
	CHECK_INT(s.records, records);
	CHECK_INT(s.stored, records);
	CHECK_INT(s.rejected, 0);
	/* every sign-in has a details row */
	CHECK_INT(q_int(c, "SELECT count(*) FROM events e LEFT JOIN"
			   " signin_details d ON d.event_id = e.id WHERE"
			   " d.event_id IS NULL",
			NULL),
		  0);
	if (full) {
		q_text(c, q_alice, ALICE, buf, sizeof(buf));
		/* the Log Analytics and older portal shapes name the same
		 * session; every shape names place, app and address */
		CHECK(!strncmp(buf,
			       "success|45.147.229.81|OfficeHome|RO|Bucharest|",
			       46));
		if (strlen(buf) < 46)
			fprintf(stderr, "  %s: '%s'\n", file, buf);
	}
	m365f_case_free(c);
}

static void test_shapes(void)
{
	check_shape("entra/portal-interactive.csv", "signin-portal-csv", 5,
		    true);
	check_shape("entra/portal-noninteractive.csv", "signin-portal-csv", 4,
		    false);
	check_shape("entra/portal-old-header.csv", "signin-portal-csv", 9,
		    true);
	check_shape("entra/portal-serviceprincipal.csv", "signin-portal-csv",
		    1, false);
	check_shape("entra/portal-managedidentity.csv", "signin-portal-csv", 1,
		    false);
	check_shape("entra/portal-download.json", "signin-graph-json", 9, true);
	check_shape("entra/graph-v1.0-page.json", "signin-graph-json", 5, true);
	check_shape("entra/graph-beta.jsonl", "signin-graph-json", 11, true);
	check_shape("entra/graph-beta-appended.json", "signin-graph-json", 11,
		    true);
	check_shape("entra/hawk-signinlog.json", "signin-graph-sdk-json", 9,
		    true);
	check_shape("entra/la-signinlogs.csv", "signin-loganalytics-csv", 5,
		    true);
	check_shape("entra/la-aadnoninteractive.csv", "signin-loganalytics-csv",
		    6, false);
	check_shape("entra/la-signinlogs.jsonl", "signin-loganalytics-json", 11,
		    true);
	check_shape("entra/diagnostic-eventhub.json", "signin-diagnostic-json",
		    11, true);
	check_shape("entra/diagnostic-PT1H.json", "signin-diagnostic-json", 11,
		    true);
}

/* Portal header drift: "Application ID " (trailing space), "Autonomous
 * system  number" (two spaces), the duplicated "Incoming token type". */
static void test_portal_columns(void)
{
	m365f_case *c = mem_case();
	ingest_sum s;
	char buf[256];

	CHECK_RC(ingest(c, "entra/portal-interactive.csv", &s), M365F_OK);
	CHECK_STR(q_text(c,
			 "SELECT d.app_id || '|' || d.asn || '|' ||"
			 " d.incoming_token_type || '|' || d.state"
			 " FROM events e JOIN signin_details d"
			 " ON d.event_id = e.id WHERE e.user = ?1"
			 " AND e.result = 'success' ORDER BY e.time LIMIT 1",
			 ALICE, buf, sizeof(buf)),
		  "1b730954-1685-4b74-9bfd-dac224a7b894|206728|None|"
		  "North Holland");
	/* failures carry the code and the reason: the first spray try
	 * and david's first try */
	CHECK_INT(q_int(c, "SELECT count(*) FROM events e JOIN"
			   " signin_details d ON d.event_id = e.id WHERE"
			   " e.result = 'failure' AND e.result_code = '50126'"
			   " AND d.failure_reason LIKE 'Error validating%'",
			NULL),
		  2);
	m365f_case_free(c);
}

/* All shapes of one set of sign-ins dedup to one event each. */
static void test_cross_shape_dedup(void)
{
	m365f_case *c = mem_case();
	ingest_sum s;

	CHECK_RC(ingest(c, "entra", &s), M365F_OK);
	CHECK_INT(q_int(c, "SELECT count(*) FROM events WHERE product ="
			   " 'signin'",
			NULL),
		  11);
	CHECK_INT(s.stored + s.duplicates + s.rejected, s.records);
	/* kinds from the category, table, event types or portal tab */
	CHECK_INT(q_int(c, "SELECT count(DISTINCT kind) FROM signin_details",
			NULL),
		  4);
	m365f_case_free(c);
}

/* Interrupts are not failures; Log Analytics codes are strings. */
static void test_results(void)
{
	static const char lines[] =
		"{\"id\":\"a1\",\"createdDateTime\":\"2026-03-05T01:00:00Z\","
		"\"userPrincipalName\":\"X@Contoso-Labs.com\","
		"\"ipAddress\":\"[2001:db8::1]:443\",\"appId\":\"app\","
		"\"status\":{\"errorCode\":50140}}\n"
		"{\"id\":\"a2\",\"createdDateTime\":\"2026-03-05T01:00:01Z\","
		"\"userPrincipalName\":\"x@contoso-labs.com\","
		"\"appId\":\"app\",\"status\":{\"errorCode\":50126,"
		"\"failureReason\":\"bad password\"}}\n"
		"{\"id\":\"a3\",\"createdDateTime\":\"2026-03-05T01:00:02Z\","
		"\"userPrincipalName\":\"x@contoso-labs.com\","
		"\"appId\":\"app\",\"status\":{\"errorCode\":0},"
		"\"location\":{\"countryOrRegion\":\"DE\",\"geoCoordinates\":"
		"{\"latitude\":52.5,\"longitude\":13.4}}}\n"
		"{\"id\":\"a3\",\"createdDateTime\":\"2026-03-05T01:00:02.1234567Z\","
		"\"userPrincipalName\":\"X@CONTOSO-LABS.COM\","
		"\"appId\":\"app\",\"status\":{\"errorCode\":0}}\n";
	m365f_case *c = mem_case();
	m365f_error err;
	char buf[128];

	CHECK_RC(m365f_ingest_buffer(c, "lines.json", lines,
				     sizeof(lines) - 1, NULL, &err),
		 M365F_OK);
	CHECK_STR(q_text(c, "SELECT group_concat(result, ',') FROM (SELECT"
			    " result FROM events ORDER BY time)",
			 NULL, buf, sizeof(buf)),
		  "interrupted,failure,success");
	/* the fourth line is the third sign-in again (case, fraction) */
	CHECK_INT(q_int(c, "SELECT duplicates FROM sources", NULL), 1);
	CHECK_STR(q_text(c, "SELECT client_ip || ' ' || user FROM events"
			    " WHERE record_id = 'a1'",
			 NULL, buf, sizeof(buf)),
		  "2001:db8::1 x@contoso-labs.com");
	CHECK_STR(q_text(c, "SELECT latitude || ',' || longitude FROM"
			    " signin_details WHERE country = 'DE'",
			 NULL, buf, sizeof(buf)),
		  "52.5,13.4");
	m365f_case_free(c);
}

/* Bad input: the record is rejected with its line and a reason; the rest
 * of the file is kept. */
static void test_invalid(void)
{
	m365f_case *c = mem_case();
	ingest_sum s;
	char buf[256];

	CHECK_RC(ingest(c, "invalid/signin-portal-bad-date.csv", &s),
		 M365F_OK);
	CHECK_INT(s.stored, 1);
	CHECK_INT(s.rejected, 1);
	CHECK_STR(q_text(c, "SELECT line || ': ' || reason FROM rejects",
			 NULL, buf, sizeof(buf)),
		  "3: unparsable date '2026-13-45T99:00:00Z'");
	m365f_case_free(c);

	c = mem_case();
	CHECK_RC(ingest(c, "invalid/signin-graph-truncated.json", &s),
		 M365F_OK);
	CHECK_INT(s.stored, 1);
	CHECK_INT(s.rejected, 1);
	m365f_case_free(c);

	c = mem_case();
	CHECK_RC(ingest(c, "invalid/signin-la-no-time.csv", &s), M365F_OK);
	CHECK_INT(s.rejected, 1);
	CHECK_STR(q_text(c, "SELECT field || ': ' || reason FROM rejects",
			 NULL, buf, sizeof(buf)),
		  "createdDateTime: sign-in has no time");
	m365f_case_free(c);
}

/* Query API: filters of m365f_signins(). */
typedef struct {
	int rows;
	char last_user[128];
} counter;

static int count_row(const m365f_row *row, void *payload)
{
	counter *k = payload;
	size_t i;

	k->rows++;
	for (i = 0; i < row->ncols; i++)
		if (!strcmp(row->names[i], "user") && row->values[i])
			snprintf(k->last_user, sizeof(k->last_user), "%s",
				 row->values[i]);
	return 0;
}

static void test_query(void)
{
	m365f_case *c = mem_case();
	m365f_signin_filter f = M365F_SIGNIN_FILTER_INIT;
	ingest_sum s;
	counter k;
	m365f_error err;

	CHECK_RC(ingest(c, "scenario/entra", &s), M365F_OK);
	memset(&k, 0, sizeof(k));
	f.failed = 1;
	CHECK_RC(m365f_signins(c, &f, count_row, &k, &err), M365F_OK);
	/* 16 + 15 spray failures, carla's typo, david's first try */
	CHECK_INT(k.rows, 33);
	memset(&k, 0, sizeof(k));
	f.failed = 0;
	f.app = "mail backup";
	f.country = "ro";
	CHECK_RC(m365f_signins(c, &f, count_row, &k, &err), M365F_OK);
	CHECK_INT(k.rows, 4);
	CHECK_STR(k.last_user, ALICE);
	f.since = "not a time";
	CHECK_RC(m365f_signins(c, &f, count_row, &k, &err), M365F_EINVAL);
	f.version = 99;
	CHECK_RC(m365f_signins(c, &f, count_row, &k, &err), M365F_EVERSION);
	m365f_case_free(c);
}

int main(void)
{
	test_shapes();
	test_portal_columns();
	test_cross_shape_dedup();
	test_results();
	test_invalid();
	test_query();
	TEST_DONE();
}
