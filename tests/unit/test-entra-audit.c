/* SPDX-License-Identifier: MIT */
/*
 * test-entra-audit.c - Entra directory audits in every export shape, the
 * props they leave in event_props, and the operation spellings that must
 * meet the unified audit log's.
 */
#include "entra-util.h"

#define CONSENT "SELECT e.user || '|' || e.client_ip || '|' || e.object ||" \
	" '|' || e.result || '|' || e.user_agent FROM events e WHERE" \
	" e.op_norm = 'consent to application' AND e.product = 'entra-audit'"

static void check_shape(const char *file, const char *format)
{
	m365f_case *c = mem_case();
	ingest_sum s;
	char buf[512];

	CHECK_RC(ingest(c, file, &s), M365F_OK);
	CHECK_STR(s.format, format);
	CHECK_INT(s.records, 3);
	CHECK_INT(s.stored, 3);
	q_text(c, CONSENT, NULL, buf, sizeof(buf));
	CHECK(!strncmp(buf, "alice.nguyen@contoso-labs.com|45.147.229.81|"
			    "Mail Backup Sync|success|Mozilla/5.0 (X11; Linux",
		       85));
	if (strncmp(buf, "alice.nguyen@contoso-labs.com|45.147.229.81|", 44))
		fprintf(stderr, "  %s: '%s'\n", file, buf);
	/* modified properties, targets, actor and details */
	CHECK_STR(q_text(c,
			 "SELECT p.new_value FROM event_props p JOIN events e"
			 " ON e.id = p.event_id WHERE p.kind = 'modified'"
			 " AND p.name = 'ConsentContext.IsAdminConsent'",
			 NULL, buf, sizeof(buf)),
		  "\"False\"");
	CHECK_INT(q_int(c, "SELECT count(*) FROM event_props WHERE kind ="
			   " 'target' AND new_value = 'farid.haddad@contoso-"
			   "labs.com'",
			NULL),
		  1);
	CHECK_INT(q_int(c, "SELECT count(*) FROM event_props WHERE kind ="
			   " 'detail' AND name = 'AppId' AND new_value = "
			   "'6e2a1f3c-9b7d-4c85-a0e4-7d1b3f5c9a28'",
			NULL),
		  2);
	m365f_case_free(c);
}

static void test_shapes(void)
{
	check_shape("entra/audit-graph.json", "entra-audit-graph-json");
	check_shape("entra/audit-loganalytics.jsonl",
		    "entra-audit-loganalytics-json");
	check_shape("entra/audit-loganalytics.csv",
		    "entra-audit-loganalytics-csv");
	check_shape("entra/audit-portal.csv", "entra-audit-portal-csv");
	check_shape("entra/audit-diagnostic.json",
		    "entra-audit-diagnostic-json");
}

/* "Consent to application." (UAL) and "Consent to application" (Entra)
 * meet in op_norm; so do the en dash and trailing space. */
static void test_operation_spellings(void)
{
	static const char rec[] =
		"{\"id\":\"d1\",\"activityDateTime\":\"2026-03-05T03:30:00Z\","
		"\"activityDisplayName\":\"Update application \xE2\x80\x93 "
		"Certificates and secrets management \",\"result\":\"success\","
		"\"initiatedBy\":{\"user\":{\"userPrincipalName\":"
		"\"alice.nguyen@contoso-labs.com\"}}}\n";
	m365f_case *c = mem_case();
	ingest_sum s;
	m365f_error err;

	CHECK_RC(ingest_scenario(c, &s), M365F_OK);
	CHECK_INT(q_int(c, "SELECT count(DISTINCT product) FROM events"
			   " WHERE op_norm = 'consent to application'",
			NULL),
		  2);
	CHECK_RC(m365f_ingest_buffer(c, "dash.json", rec, sizeof(rec) - 1,
				     NULL, &err),
		 M365F_OK);
	CHECK_INT(q_int(c, "SELECT count(*) FROM events WHERE op_norm ="
			   " 'update application - certificates and secrets"
			   " management'",
			NULL),
		  1);
	m365f_case_free(c);
}

static void test_invalid(void)
{
	m365f_case *c = mem_case();
	ingest_sum s;
	char buf[256];

	CHECK_RC(ingest(c, "invalid/audit-portal-no-activity.csv", &s),
		 M365F_OK);
	CHECK_INT(s.rejected, 1);
	CHECK_STR(q_text(c, "SELECT line || ' ' || field || ': ' || reason"
			    " FROM rejects",
			 NULL, buf, sizeof(buf)),
		  "2 Activity: directory audit has no activity");
	m365f_case_free(c);
	c = mem_case();
	CHECK_RC(ingest(c, "invalid/audit-graph-bad-time.json", &s), M365F_OK);
	CHECK_INT(s.rejected, 1);
	CHECK_STR(q_text(c, "SELECT reason FROM rejects", NULL, buf,
			 sizeof(buf)),
		  "unparsable time 'yesterday'");
	m365f_case_free(c);
}

int main(void)
{
	test_shapes();
	test_operation_spellings();
	test_invalid();
	TEST_DONE();
}
