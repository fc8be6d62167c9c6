/* SPDX-License-Identifier: MIT */
/*
 * test-entra-corpus.c - the real public files of ../shared/corpus that
 * hold sign-ins, directory audits or rules: every record is stored, a
 * duplicate or a reject with a reason. Skipped when the corpus is absent.
 */
#include <sys/stat.h>

#include "entra-util.h"

typedef struct {
	const char *file;
	const char *format;
	int records, stored, duplicates, rejected;
} want;

static const want files[] = {
	{ "elastic-azure-signinlogs/test-signinlogs-raw.log",
	  "signin-diagnostic-json", 5, 4, 1, 0 },
	{ "elastic-azure-signinlogs/test-service-principal.log",
	  "signin-diagnostic-json", 1, 1, 0, 0 },
	/* stub records with a time and a category but no sign-in */
	{ "elastic-azure-signinlogs/test-time-formats-corner-cases.log",
	  "signin-diagnostic-json", 11, 0, 0, 11 },
	{ "elastic-azure-auditlogs/test-auditlogs-raw.log",
	  "entra-audit-diagnostic-json", 3, 2, 1, 0 },
	{ "elastic-azure-auditlogs/test-audit-logs-edgecases.log",
	  "entra-audit-diagnostic-json", 2, 2, 0, 0 },
	{ "msgraph-docs-examples/graph-beta-signIns-list-example1.json",
	  "signin-graph-json", 1, 1, 0, 0 },
	/* the docs' own example has a trailing comma: invalid JSON */
	{ "msgraph-docs-examples/graph-v1.0-signIns-list-example1.json", "",
	  1, 0, 0, 1 },
	{ "msgraph-docs-examples/graph-v1.0-directoryAudits-list-example1.json",
	  "entra-audit-graph-json", 1, 1, 0, 0 },
	{ "msgraph-docs-examples/graph-v1.0-directoryAudits-list-example2.json",
	  "entra-audit-graph-json", 1, 1, 0, 0 },
	{ "msgraph-docs-examples/graph-v1.0-inbox-messageRules-list-example."
	  "json",
	  "rules-graph-json", 2, 2, 0, 0 },
	/* the same record twice in the export */
	{ "otrf-goldensaml/extracted/AADAuditEvents.json",
	  "entra-audit-loganalytics-json", 4, 3, 1, 0 },
	{ "sentinel-training-lab/sign-in_adelete.csv",
	  "signin-loganalytics-csv", 56, 56, 0, 0 },
	/* no TimeGenerated: the first authentication step gives the time */
	{ "sentinel-training-lab/disable_accounts.csv",
	  "signin-loganalytics-csv", 4, 4, 0, 0 },
	/* query output without any time column */
	{ "sentinel-training-lab/AuditLogs_Hunting.csv",
	  "entra-audit-loganalytics-csv", 5, 0, 0, 5 },
};

static char corpus[1024];

static void test_accounting(void)
{
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(files); i++) {
		m365f_case *c = mem_case();
		ingest_sum s;
		char path[1400];

		snprintf(path, sizeof(path), "%s/%s", corpus, files[i].file);
		CHECK_RC(ingest(c, path, &s), M365F_OK);
		CHECK_INT(s.status, M365F_SOURCE_INGESTED);
		CHECK_STR(s.format, files[i].format);
		CHECK_INT(s.records, files[i].records);
		CHECK_INT(s.stored, files[i].stored);
		CHECK_INT(s.duplicates, files[i].duplicates);
		CHECK_INT(s.rejected, files[i].rejected);
		CHECK_INT(s.stored + s.duplicates + s.rejected, s.records);
		/* each reject has a reason, each sign-in its details */
		CHECK_INT(q_int(c, "SELECT count(*) FROM rejects WHERE"
				   " reason = ''",
				NULL),
			  0);
		CHECK_INT(q_int(c, "SELECT count(*) FROM events e LEFT JOIN"
				   " signin_details d ON d.event_id = e.id"
				   " WHERE e.product = 'signin' AND"
				   " d.event_id IS NULL",
				NULL),
			  0);
		if (s.records != (unsigned long long)files[i].records)
			fprintf(stderr, "  in %s\n", files[i].file);
		m365f_case_free(c);
	}
}

static void test_values(void)
{
	m365f_case *c = mem_case();
	ingest_sum s;
	char path[1400], buf[256];

	snprintf(path, sizeof(path), "%s/sentinel-training-lab", corpus);
	CHECK_RC(ingest(c, path, &s), M365F_OK);
	/* the lab's answers: 4 disabled-account failures and adele's 56
	 * sign-ins from one address, 16000/50058 being interrupts */
	CHECK_INT(q_int(c, "SELECT count(*) FROM events WHERE result ="
			   " 'failure' AND result_code = '50057' AND"
			   " client_ip = '175.45.176.99'",
			NULL),
		  4);
	CHECK_STR(q_text(c, "SELECT group_concat(result || ':' || n, ',')"
			    " FROM (SELECT result, count(*) AS n FROM events"
			    " WHERE product = 'signin' AND user ="
			    " 'adelev@m365x816222.onmicrosoft.com' GROUP BY 1"
			    " ORDER BY 1)",
			 NULL, buf, sizeof(buf)),
		  "interrupted:3,success:53");
	CHECK_STR(q_text(c, "SELECT country || ' ' || city FROM"
			    " signin_details WHERE country = 'IL' LIMIT 1",
			 NULL, buf, sizeof(buf)),
		  "IL Azor");
	/* the lab's inbox rules, rebuilt from OfficeActivity */
	CHECK_STR(q_text(c, "SELECT move_to_folder || '|' || cond_subject ||"
			    " '|' || stop_processing FROM inbox_rules WHERE"
			    " name = 'rule2'",
			 NULL, buf, sizeof(buf)),
		  "Junk Email|do not open|1");
	m365f_case_free(c);

	c = mem_case();
	snprintf(path, sizeof(path), "%s/blueteam0ps-det-eng-samples", corpus);
	CHECK_RC(ingest(c, path, &s), M365F_OK);
	CHECK_STR(q_text(c, "SELECT group_concat(kind || ':' || action || ':'"
			    " || name, ',') FROM (SELECT * FROM inbox_rules"
			    " ORDER BY time)",
			 NULL, buf, sizeof(buf)),
		  "inbox:new:Direct,forwarding:set:Mailbox forwarding,"
		  "inbox:set:Accounts");
	CHECK_STR(q_text(c, "SELECT forward_to || '|' || deliver_and_forward"
			    " || '|' || mailbox FROM inbox_rules WHERE kind ="
			    " 'forwarding'",
			 NULL, buf, sizeof(buf)),
		  "bla@bla.com|1|matt@contoso.onmicrosoft.com");
	m365f_case_free(c);

	/* the Graph beta docs example: a failed password */
	c = mem_case();
	snprintf(path, sizeof(path),
		 "%s/msgraph-docs-examples/graph-beta-signIns-list-example1."
		 "json",
		 corpus);
	CHECK_RC(ingest(c, path, &s), M365F_OK);
	CHECK_STR(q_text(c, "SELECT e.result || ' ' || d.error_code FROM"
			    " events e JOIN signin_details d ON d.event_id ="
			    " e.id",
			 NULL, buf, sizeof(buf)),
		  "failure 50126");
	m365f_case_free(c);
}

int main(void)
{
	struct stat st;

	snprintf(corpus, sizeof(corpus), "%s", CORPUS_DIR);
	if (stat(corpus, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "no corpus at %s: skipped\n", corpus);
		return 77;
	}
	test_accounting();
	test_values();
	TEST_DONE();
}
