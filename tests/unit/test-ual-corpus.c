/* SPDX-License-Identifier: MIT */
/*
 * test-ual-corpus.c - the real public files of ../shared/corpus that hold
 * unified-audit-log records: every record is stored, a duplicate or a
 * reject, and the counts and values their publishers document come back.
 * Skipped (77) when the corpus is absent.
 */
#include <sys/stat.h>

#include "ingest-util.h"

typedef struct {
	const char *file;
	const char *format;
	int records, stored, duplicates, conflicts;
} want;

/* Counts from corpus/SOURCES.md; nothing here may be rejected. */
static const want files[] = {
	{ "plaso-testdata/microsoft_audit_log.jsonl", "ual-auditdata-json",
	  4, 4, 0, 0 },
	{ "elastic-beats-o365/02-exchange-item.log", "ual-auditdata-json",
	  9, 9, 0, 0 },
	/* 11 records, 4 Ids: the copies differ only in key order */
	{ "elastic-beats-o365/06-sharepointfileop.log", "ual-auditdata-json",
	  11, 4, 7, 0 },
	{ "elastic-beats-o365/25-ms-teams.log", "ual-auditdata-json",
	  4, 4, 0, 0 },
	/* one Id shared by 15 different stubs: all kept, 14 conflicts */
	{ "elastic-beats-o365/ip-formats.log", "ual-auditdata-json",
	  15, 15, 0, 14 },
	{ "elastic-beats-o365/str-params.log", "ual-auditdata-json",
	  2, 2, 0, 0 },
	{ "elastic-beats-o365/stringly-json.log", "ual-auditdata-json",
	  1, 1, 0, 0 },
	{ "sentinel-training-lab/office_activity.csv", "ual-loganalytics-csv",
	  266, 266, 0, 0 },
	{ "sentinel-training-lab/office_activity_inbox_rule.csv",
	  "ual-loganalytics-csv", 2, 2, 0, 0 },
	{ "otrf-goldensaml/extracted/OfficeActivityEvents.json",
	  "ual-loganalytics-json", 1, 1, 0, 0 },
};

static int ingest_file(tcase *t, const char *rel)
{
	char path[1024];
	size_t len;
	char *data;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, rel);
	data = tc_slurp(path, &len);
	if (!data) {
		fprintf(stderr, "cannot read %s\n", path);
		test_failures++;
		return -1;
	}
	rc = tc_ingest_opts(t, rel, data, len, 0, 0);
	free(data);
	return rc;
}

static void test_counts(void)
{
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(files); i++) {
		tcase t;

		tc_open(&t);
		CHECK_RC(ingest_file(&t, files[i].file), M365F_OK);
		test_checks++;
		if (t.status != M365F_SOURCE_INGESTED ||
		    strcmp(t.format, files[i].format) ||
		    t.records != (uint64_t)files[i].records ||
		    t.stored != (uint64_t)files[i].stored ||
		    t.duplicates != (uint64_t)files[i].duplicates ||
		    t.conflicts != (uint64_t)files[i].conflicts ||
		    t.rejected) {
			fprintf(stderr, "%s:%d: %s: status %d %s %llu records"
				" %llu stored %llu dup %llu rejected %llu "
				"conflicts (%s)\n", __FILE__, __LINE__,
				files[i].file, t.status, t.format,
				(unsigned long long)t.records,
				(unsigned long long)t.stored,
				(unsigned long long)t.duplicates,
				(unsigned long long)t.rejected,
				(unsigned long long)t.conflicts, t.text);
			test_failures++;
		}
		tc_close(&t);
	}
}

/* The 19 Search-UnifiedAuditLog CSV files (46 rows), walked as a folder:
 * the README and LICENSE beside them are reported and skipped. */
static void test_blueteam_folder(void)
{
	m365f_ingest_options o = M365F_INGEST_OPTIONS_INIT;
	char path[1024];
	tcase t;

	tc_open(&t);
	o.diag_cb = tc_on_diag;
	o.payload = &t;
	snprintf(path, sizeof(path), "%s/blueteam0ps-det-eng-samples",
		 CORPUS_DIR);
	CHECK_RC(m365f_ingest_path(t.c, path, &o, &t.err), M365F_OK);
	CHECK_INT(t.ndiag, 0);
	CHECK_STR(tc_sql(&t, "SELECT count(*), sum(records), sum(stored),"
			     " sum(duplicates), sum(rejected),"
			     " sum(records = stored + duplicates + rejected)"
			     " FROM sources WHERE format = 'ual-cmdlet-csv'"),
		  "19|46|46|0|0|19");
	/* msolspray: 8 failures then a success for Miriam, one address */
	CHECK_STR(tc_sql(&t, "SELECT operation, count(*), count(DISTINCT"
			     " client_ip) FROM events e JOIN sources s ON"
			     " s.id = e.source_id WHERE s.path LIKE"
			     " '%msolspraywithsuccess%' GROUP BY 1 ORDER BY 1"),
		  "UserLoggedIn|1|1\nUserLoginFailed|8|1");
	CHECK_STR(tc_sql(&t, "SELECT user FROM events WHERE operation ="
			     " 'UserLoggedIn' AND source_id = (SELECT id FROM"
			     " sources WHERE path LIKE '%msolspray%')"),
		  "miriam@contoso.onmicrosoft.com");
	/* Exchange writes [v6]:port; the timeline keeps the address */
	CHECK_STR(tc_sql(&t, "SELECT operation FROM events WHERE client_ip ="
			     " '2a09:bac5:110:105::1a:98' AND client_port ="
			     " 52629"),
		  "Set-InboxRule");
	/* RecordType came as a name: the number is stored */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM events WHERE record_type"
			     " IS NULL OR record_type_name IS NULL"),
		  "0");
	/* MFASweep: one user, one address, many user agents */
	CHECK_STR(tc_sql(&t, "SELECT count(*), count(DISTINCT user),"
			     " count(DISTINCT user_agent) > 3 FROM events e"
			     " JOIN sources s ON s.id = e.source_id WHERE"
			     " s.path LIKE '%mfa_sweep%'"),
		  "8|1|1");
	/* the 17 KB record with triple-escaped JSON is whole */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM event_props p JOIN events"
			     " e ON e.id = p.event_id WHERE e.operation ="
			     " 'Update user.' AND p.new_value LIKE"
			     " '%M365_ADVANCED_AUDITING%'"),
		  "1");
	tc_close(&t);
}

static void test_values(void)
{
	tcase t;

	/* the lab's Module 4: 175.45.176.99 in SharePoint */
	tc_open(&t);
	ingest_file(&t, "sentinel-training-lab/office_activity.csv");
	CHECK_STR(tc_sql(&t, "SELECT operation, count(*) FROM events WHERE"
			     " client_ip = '175.45.176.99' AND operation IN"
			     " ('FileAccessed', 'FilePreviewed', 'PageViewed')"
			     " GROUP BY 1 ORDER BY 1"),
		  "FileAccessed|45\nFilePreviewed|26\nPageViewed|28");
	/* names and numbers mixed in the RecordType column */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM events WHERE record_type"
			     " IS NULL"),
		  "0");
	tc_close(&t);

	/* both lab rules with their parameters (pretty JSON over lines) */
	tc_open(&t);
	ingest_file(&t, "sentinel-training-lab/office_activity_inbox_rule.csv");
	CHECK_STR(tc_sql(&t, "SELECT e.client_ip, e.client_port, p.value FROM"
			     " events e JOIN event_params p ON p.event_id ="
			     " e.id WHERE p.name IN ('MoveToFolder',"
			     " 'DeleteMessage') ORDER BY e.time"),
		  "2a01:110:8068:7:9bf8:aa87:e00a:5f1f|45955|True\n"
		  "2a01:110:8068:7:9bf8:aa87:e00a:5f1f|36185|Junk Email");
	tc_close(&t);

	/* OTRF: mail read through Graph by the attacker's app */
	tc_open(&t);
	ingest_file(&t, "otrf-goldensaml/extracted/OfficeActivityEvents.json");
	CHECK_STR(tc_sql(&t, "SELECT operation, record_type, user, client_ip,"
			     " user_agent, app_id FROM events"),
		  "MailItemsAccessed|50|pgustavo@simulandlabs.com|1.2.3.4|"
		  "Client=REST;;|00000003-0000-0000-c000-000000000000");
	tc_close(&t);

	/* Elastic's IP forms, normalized */
	tc_open(&t);
	ingest_file(&t, "elastic-beats-o365/ip-formats.log");
	CHECK_STR(tc_sql(&t, "SELECT group_concat(client_ip || ':' ||"
			     " coalesce(client_port, 0), ' ') FROM (SELECT *"
			     " FROM events ORDER BY line)"),
		  "10.11.12.13:12345 10.11.12.13:12345 10.11.12.13:0 "
		  "10.11.12.13:0 10.11.12.13:12345 2001:db8::abcd:12345 "
		  "2001:db8::abcd:0 2001:db8::abcd:0 10.11.12.13:0 "
		  "localhost:0 localhost:12345 localhost:12345 "
		  "cool.client.local:12345 cool.client.local:0 "
		  "cool.client.local:12345");
	tc_close(&t);

	/* PowerShell-style Parameters strings are kept whole */
	tc_open(&t);
	ingest_file(&t, "elastic-beats-o365/str-params.log");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM event_params WHERE name ="
			     " '' AND value LIKE '-StartReceivedDate%'"),
		  "1");
	tc_close(&t);
}

/* Every source of the whole corpus adds up, whatever its product. */
static void test_whole_corpus(void)
{
	m365f_ingest_options o = M365F_INGEST_OPTIONS_INIT;
	tcase t;

	tc_open(&t);
	CHECK_RC(m365f_ingest_path(t.c, CORPUS_DIR, &o, &t.err), M365F_OK);
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM sources WHERE records <>"
			     " stored + duplicates + rejected"),
		  "0");
	CHECK_STR(tc_sql(&t, "SELECT count(*) > 40, sum(product = 'ual') >="
			     " 29 FROM sources"),
		  "1|1");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM rejects r JOIN sources s"
			     " ON s.id = r.source_id WHERE s.product = 'ual'"),
		  "0");
	tc_close(&t);
}

int main(void)
{
	struct stat st;

	if (stat(CORPUS_DIR, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "corpus absent: skipped\n");
		return 77;
	}
	test_counts();
	test_blueteam_folder();
	test_values();
	test_whole_corpus();
	TEST_DONE();
}
