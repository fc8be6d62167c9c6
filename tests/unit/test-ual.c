/* SPDX-License-Identifier: MIT */
/*
 * test-ual.c - unified audit log normalization, field by field; every
 * export shape of testdata/ual/ against the Purview export of the same
 * records; dates without CreationTime; the dedup rules.
 */
#include <zlib.h>

#include "ingest-util.h"

/* An Exchange admin record as the service writes it ('\/' escapes). */
static const char exo[] =
	"{\"AppAccessContext\":{\"IssuedAtTime\":\"2026-03-05T03:05:10\","
	"\"UniqueTokenId\":\"tok-1\",\"CorrelationId\":\"corr-1\"},"
	"\"CreationTime\":\"2026-03-05T03:12:15\",\"Id\":\"rule-1\","
	"\"Operation\":\"New-InboxRule\",\"OrganizationId\":\"org\","
	"\"RecordType\":1,\"ResultStatus\":\"True\",\"UserKey\":\"1003\","
	"\"UserType\":0,\"Version\":1,\"Workload\":\"Exchange\","
	"\"ClientIP\":\"45.147.229.81:51234\",\"ObjectId\":\"EX\\/Hosted\\/"
	"contosolabs.onmicrosoft.com\\/x\\\\Invoice sync\",\"UserId\":"
	"\"Alice.Nguyen@Contoso-Labs.com\",\"AppId\":\"00000002-0000-0ff1-"
	"ce00-000000000000\",\"ClientAppId\":\"\",\"OrganizationName\":"
	"\"contosolabs.onmicrosoft.com\",\"Parameters\":[{\"Name\":\"Name\","
	"\"Value\":\"Invoice sync\"},{\"Name\":\"ForwardTo\",\"Value\":"
	"\"accounts.payable@contoso-labs-billing.com\"},{\"Name\":"
	"\"MarkAsRead\",\"Value\":\"True\"}],\"SessionId\":\"sess-1\"}\n";

/* A failed Entra sign-in: details in Name/Value lists. */
static const char sts[] =
	"{\"CreationTime\":\"2026-03-05T02:11:04\",\"Id\":\"sts-1\","
	"\"Operation\":\"UserLoginFailed\",\"RecordType\":15,"
	"\"ResultStatus\":\"Failed\",\"UserType\":0,\"Workload\":"
	"\"AzureActiveDirectory\",\"ClientIP\":\"83.97.73.114\",\"ObjectId\":"
	"\"00000002-0000-0000-c000-000000000000\",\"UserId\":"
	"\"ben.okafor@contoso-labs.com\",\"ExtendedProperties\":[{\"Name\":"
	"\"ResultStatusDetail\",\"Value\":\"UserError\"},{\"Name\":"
	"\"UserAgent\",\"Value\":\"BAV2ROPC\"}],\"ModifiedProperties\":[],"
	"\"Actor\":[{\"ID\":\"oid-ben\",\"Type\":0},{\"ID\":"
	"\"ben.okafor@contoso-labs.com\",\"Type\":5}],\"ApplicationId\":"
	"\"1b730954-1685-4b74-9bfd-dac224a7b894\",\"DeviceProperties\":["
	"{\"Name\":\"OS\",\"Value\":\"Windows 10\"},{\"Name\":\"SessionId\","
	"\"Value\":\"dev-sess\"}],\"ErrorNumber\":\"50126\",\"LogonError\":"
	"\"InvalidUserNameOrPassword\"}\n";

/* Mailbox access: ClientIPAddress (no ClientIP), Item, ClientInfoString,
 * OperationProperties; a directory change with JSON-in-string values. */
static const char mbx[] =
	"{\"CreationTime\":\"2026-03-05T03:35:51.250\",\"Id\":\"mia-1\","
	"\"Operation\":\"MailItemsAccessed\",\"RecordType\":50,"
	"\"ResultStatus\":\"Succeeded\",\"Workload\":\"Exchange\",\"UserId\":"
	"\"alice.nguyen@contoso-labs.com\",\"ClientIPAddress\":"
	"\"::ffff:45.147.229.81\",\"ClientInfoString\":\"Client=REST;;\","
	"\"AppId\":\"00000003-0000-0000-c000-000000000000\",\"ClientAppId\":"
	"\"6e2a1f3c\",\"Item\":{\"Subject\":\"Invoice 4100\"},"
	"\"OperationProperties\":[{\"Name\":\"MailAccessType\",\"Value\":"
	"\"Sync\"}],\"SessionId\":\"s-graph\"}\n"
	"{\"CreationTime\":\"2026-03-05T03:20:04Z\",\"Id\":\"dir-1\","
	"\"Operation\":\"Consent to application.\",\"RecordType\":8,"
	"\"ResultStatus\":\"Success\",\"Workload\":\"AzureActiveDirectory\","
	"\"UserId\":\"alice.nguyen@contoso-labs.com\",\"ObjectId\":\"sp-1\","
	"\"ModifiedProperties\":[{\"Name\":\"ConsentContext.IsAdminConsent\","
	"\"NewValue\":\"[\\r\\n  false\\r\\n]\",\"OldValue\":\"[]\"}],"
	"\"ExtendedProperties\":\"[{\\\"Name\\\":\\\"additionalDetails\\\","
	"\\\"Value\\\":\\\"{}\\\"}]\",\"Target\":[{\"ID\":\"Mail Backup "
	"Sync\",\"Type\":1}]}\n";

static void test_fields(void)
{
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "exo.jsonl", exo), M365F_OK);
	CHECK_STR(t.format, "ual-auditdata-json");
	CHECK_INT(t.stored, 1);
	CHECK_STR(tc_sql(&t, "SELECT iso_time(time), product, workload,"
			     " record_type, record_type_name, operation,"
			     " op_norm, result, user, client_ip, client_port,"
			     " object, app_id, session_id, token_id,"
			     " correlation_id, record_id, line, record_no"
			     " FROM events"),
		  "2026-03-05T03:12:15.000Z|ual|Exchange|1|ExchangeAdmin|"
		  "New-InboxRule|new-inboxrule|True|"
		  "alice.nguyen@contoso-labs.com|45.147.229.81|51234|"
		  "EX/Hosted/contosolabs.onmicrosoft.com/x\\Invoice sync|"
		  "00000002-0000-0ff1-ce00-000000000000|sess-1|tok-1|corr-1|"
		  "rule-1|1|1");
	CHECK_STR(tc_sql(&t, "SELECT name, value FROM event_params ORDER BY"
			     " rowid"),
		  "Name|Invoice sync\n"
		  "ForwardTo|accounts.payable@contoso-labs-billing.com\n"
		  "MarkAsRead|True");
	/* the tenant's own domains are learned from the records */
	CHECK_STR(tc_sql(&t, "SELECT domain, origin FROM internal_domains"
			     " ORDER BY 1"),
		  "contoso-labs.com|learned\n"
		  "contosolabs.onmicrosoft.com|learned");

	CHECK_RC(tc_ingest(&t, "sts.jsonl", sts), M365F_OK);
	CHECK_STR(tc_sql(&t, "SELECT result, result_code, user_agent, app_id,"
			     " session_id, client_port FROM events WHERE"
			     " record_id = 'sts-1'"),
		  "Failed|50126|BAV2ROPC|1b730954-1685-4b74-9bfd-dac224a7b894|"
		  "dev-sess|NULL");
	CHECK_STR(tc_sql(&t, "SELECT kind, name, old_value, new_value FROM"
			     " event_props p JOIN events e ON e.id ="
			     " p.event_id WHERE e.record_id = 'sts-1'"
			     " ORDER BY p.rowid"),
		  "extended|ResultStatusDetail|NULL|UserError\n"
		  "extended|UserAgent|NULL|BAV2ROPC\n"
		  "device|OS|NULL|Windows 10\n"
		  "device|SessionId|NULL|dev-sess\n"
		  "actor|oid-ben|NULL|0\n"
		  "actor|ben.okafor@contoso-labs.com|NULL|5");

	CHECK_RC(tc_ingest(&t, "mbx.jsonl", mbx), M365F_OK);
	CHECK_INT(t.stored, 2);
	CHECK_STR(tc_sql(&t, "SELECT iso_time(time), client_ip, user_agent,"
			     " object, app_id, record_type_name FROM events"
			     " WHERE record_id = 'mia-1'"),
		  "2026-03-05T03:35:51.250Z|45.147.229.81|Client=REST;;|"
		  "Invoice 4100|00000003-0000-0000-c000-000000000000|"
		  "ExchangeItemAggregated");
	CHECK_STR(tc_sql(&t, "SELECT kind, name, old_value, new_value FROM"
			     " event_props p JOIN events e ON e.id ="
			     " p.event_id WHERE e.record_id IN ('mia-1',"
			     " 'dir-1') ORDER BY p.rowid"),
		  "operation|MailAccessType|NULL|Sync\n"
		  "field|ClientAppId|NULL|6e2a1f3c\n"
		  "modified|ConsentContext.IsAdminConsent|[]|"
		  "[\r\n  false\r\n]\n"
		  "extended|additionalDetails|NULL|{}\n"
		  "target|Mail Backup Sync|NULL|1");
	CHECK_STR(tc_sql(&t, "SELECT op_norm FROM events WHERE record_id ="
			     " 'dir-1'"),
		  "consent to application");
	tc_close(&t);
}

/* Ingest the scenario's Purview export, then one shape file: every record
 * of a shape must be the same record (a duplicate). */
static void shape(const char *file, const char *format, const char *enc)
{
	char path[512];
	size_t plen, slen;
	char *purview, *data;
	tcase t;

	purview = tc_slurp(TESTDATA("scenario/ual/purview-export.csv"), &plen);
	snprintf(path, sizeof(path), "%s/ual/%s", TESTDATA_DIR, file);
	data = tc_slurp(path, &slen);
	test_checks++;
	if (!purview || !data) {
		fprintf(stderr, "%s:%d: cannot read %s\n", __FILE__, __LINE__,
			file);
		test_failures++;
		goto out;
	}
	tc_open(&t);
	tc_ingest_opts(&t, "purview-export.csv", purview, plen, 0, 0);
	CHECK_INT(t.stored, 324);
	tc_ingest_opts(&t, file, data, slen, 0, 0);
	test_checks++;
	if (strcmp(t.format, format) || strcmp(t.encoding, enc) ||
	    t.records != 15 || t.duplicates != 15 || t.stored ||
	    t.rejected) {
		fprintf(stderr, "%s:%d: %s: %s (%s) %llu records, %llu "
			"stored, %llu duplicates, %llu rejected; want %s (%s)"
			" 15 duplicates\n", __FILE__, __LINE__, file, t.format,
			t.encoding, (unsigned long long)t.records,
			(unsigned long long)t.stored,
			(unsigned long long)t.duplicates,
			(unsigned long long)t.rejected, format, enc);
		test_failures++;
	}
	tc_close(&t);
out:
	free(purview);
	free(data);
}

static void test_shapes(void)
{
	shape("purview-utf8-bom.csv", "ual-purview-csv", "utf-8-bom");
	shape("purview-lf.csv", "ual-purview-csv", "utf-8");
	shape("purview-utf16le.csv", "ual-purview-csv", "utf-16le");
	shape("purview-utf16be.csv", "ual-purview-csv", "utf-16be");
	shape("purview-cp1252.csv", "ual-purview-csv", "windows-1252");
	shape("classic-4col.csv", "ual-classic-csv", "utf-8");
	shape("cmdlet-type-runspace.csv", "ual-cmdlet-csv", "utf-8-bom");
	shape("cmdlet-en-au.csv", "ual-cmdlet-csv", "utf-8");
	shape("auditdata.jsonl", "ual-auditdata-json", "utf-8");
	shape("auditdata-crlf.jsonl", "ual-auditdata-json", "utf-8");
	shape("auditdata-array.json", "ual-auditdata-json", "utf-8");
	shape("auditdata.jsonl.gz", "ual-auditdata-json", "utf-8");
	shape("auditdata-2members.jsonl.gz", "ual-auditdata-json", "utf-8");
	shape("extractor-suite.json", "ual-wrapped-json", "utf-8");
	shape("hawk-raw.json", "ual-wrapped-json", "utf-8-bom");
	shape("graph-records.json", "ual-wrapped-json", "utf-8");
}

/* Graph records whose auditData lacks the time and type: the record's
 * own createdDateTime and auditLogRecordType (camelCase name) fill in. */
static void test_graph_fallbacks(void)
{
	static const char page[] =
		"{\"value\":[{\"id\":\"g1\",\"createdDateTime\":"
		"\"2026-03-05T03:12:15Z\",\"auditLogRecordType\":"
		"\"exchangeAdmin\",\"auditData\":{\"@odata.type\":"
		"\"#microsoft.graph.security.exchangeAdminAuditData\","
		"\"Id\":\"g1\",\"Operation\":\"New-InboxRule\"}},"
		"{\"id\":\"g2\",\"createdDateTime\":\"2026-03-05T03:12:16Z\","
		"\"auditLogRecordType\":\"Viva Engage\",\"auditData\":{\"Id\":"
		"\"g2\",\"Operation\":\"MessageCreated\"}}]}";
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "graph.json", page), M365F_OK);
	CHECK_STR(t.format, "ual-wrapped-json");
	CHECK_INT(t.stored, 2);
	CHECK_STR(tc_sql(&t, "SELECT record_id, iso_time(time), record_type,"
			     " record_type_name FROM events ORDER BY time"),
		  "g1|2026-03-05T03:12:15.000Z|1|ExchangeAdmin\n"
		  "g2|2026-03-05T03:12:16.000Z|22|Yammer");
	tc_close(&t);
}

/* Two pretty arrays appended, overlapping by two records. */
static void test_appended_arrays(void)
{
	size_t len;
	char *data = tc_slurp(TESTDATA("ual/auditdata-appended.json"), &len);
	tcase t;

	if (!data) {
		test_failures++;
		return;
	}
	tc_open(&t);
	tc_ingest_opts(&t, "appended.json", data, len, 0, 0);
	CHECK_STR(t.format, "ual-auditdata-json");
	CHECK_INT(t.records, 17);
	CHECK_INT(t.stored, 15);
	CHECK_INT(t.duplicates, 2);
	/* each record's first line: the second array starts after the first */
	CHECK_STR(tc_sql(&t, "SELECT min(line) || ',' || max(line) FROM"
			     " events"),
		  "2,937");
	tc_close(&t);
	free(data);
}

/* Log Analytics flattens AuditData into columns: the records come back
 * with the same timeline fields as the Purview export of them. */
static void test_loganalytics(void)
{
	size_t plen, clen, jlen;
	char *purview = tc_slurp(TESTDATA("scenario/ual/purview-export.csv"),
				 &plen);
	char *la = tc_slurp(TESTDATA("ual/officeactivity.csv"), &clen);
	char *laj = tc_slurp(TESTDATA("ual/officeactivity.jsonl"), &jlen);
	tcase t;

	if (!purview || !la || !laj) {
		test_failures++;
		goto out;
	}
	tc_open(&t);
	tc_ingest_opts(&t, "purview-export.csv", purview, plen, 0, 0);
	tc_ingest_opts(&t, "officeactivity.csv", la, clen, 0, 0);
	CHECK_STR(t.format, "ual-loganalytics-csv");
	CHECK_STR(t.encoding, "utf-8-bom");
	CHECK_INT(t.records, 15);
	CHECK_INT(t.rejected, 0);
	CHECK_STR(tc_sql(&t, "SELECT count(*), sum(a.time = b.time AND"
			     " a.user IS b.user AND a.client_ip IS b.client_ip"
			     " AND a.operation IS b.operation AND a.workload"
			     " IS b.workload AND a.record_type IS"
			     " b.record_type AND a.result IS b.result AND"
			     " a.object IS b.object AND a.user_agent IS"
			     " b.user_agent) FROM events a JOIN events b ON"
			     " a.record_id = b.record_id AND a.source_id = 1"
			     " AND b.source_id = 2"),
		  "15|15");
	/* the Parameters of a rule, from pretty JSON spanning lines */
	CHECK_STR(tc_sql(&t, "SELECT group_concat(p.name || '=' || p.value,"
			     " ';') FROM event_params p JOIN events e ON e.id"
			     " = p.event_id WHERE e.source_id = 2 AND"
			     " e.operation = 'New-InboxRule' AND e.user ="
			     " 'alice.nguyen@contoso-labs.com' AND p.name IN"
			     " ('ForwardTo', 'MoveToFolder') GROUP BY e.id"
			     " ORDER BY e.time"),
		  "ForwardTo=accounts.payable@contoso-labs-billing.com\n"
		  "MoveToFolder=RSS Feeds");
	/* the JSON-lines export of the same rows is the same records */
	tc_ingest_opts(&t, "officeactivity.jsonl", laj, jlen, 0, 0);
	CHECK_STR(t.format, "ual-loganalytics-json");
	CHECK_INT(t.records, 15);
	CHECK_INT(t.duplicates, 15);
	tc_close(&t);
out:
	free(purview);
	free(la);
	free(laj);
}

#define CLASSIC_HDR "CreationDate,UserIds,Operations,AuditData\n"
#define NOTIME(id, date) date ",u,Op,\"{\"\"Id\"\":\"\"" id "\"\"," \
	"\"\"Operation\"\":\"\"Op\"\",\"\"UserId\"\":\"\"u\"\"}\"\n"
#define WITHTIME(id, date, ct) date ",u,Op,\"{\"\"Id\"\":\"\"" id "\"\"," \
	"\"\"CreationTime\"\":\"\"" ct "\"\",\"\"Operation\"\":\"\"Op\"\"," \
	"\"\"UserId\"\":\"\"u\"\"}\"\n"

/* The export's own date column is the fallback, in every form the
 * exports use; a day/month guess is a reject, not a guess. */
static void test_dates(void)
{
	static const char csv[] =
		CLASSIC_HDR
		NOTIME("a", "2026-03-05T02:11:04.0000000Z")
		NOTIME("b", "3/25/2026 2:11:04 AM")
		NOTIME("c", "3/5/2026 2:11:04 AM")   /* ambiguous */
		NOTIME("d", "05.03.2026 02:11:04")
		NOTIME("e", "\"4/28/2021, 2:08:45.221 PM\"")
		NOTIME("f", "yesterday")
		NOTIME("g", "")
		WITHTIME("h", "x", "not a time");
	/* en-AU: records with both teach "day first"; then a record with
	 * only the date is read that way */
	static const char au[] =
		CLASSIC_HDR
		WITHTIME("p", "5/3/2026 2:11:04 AM", "2026-03-05T02:11:04")
		NOTIME("q", "6/3/2026 9:00:00 PM");
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "dates.csv", csv), M365F_OK);
	CHECK_STR(t.format, "ual-classic-csv");
	CHECK_INT(t.records, 8);
	CHECK_STR(tc_sql(&t, "SELECT record_id, iso_time(time) FROM events"
			     " ORDER BY record_id"),
		  "a|2026-03-05T02:11:04.000Z\n"
		  "b|2026-03-25T02:11:04.000Z\n"
		  "d|2026-03-05T02:11:04.000Z\n"
		  "e|2021-04-28T14:08:45.221Z");
	CHECK_INT(t.ndiag, 4);
	CHECK_STR(t.diag[0], "dates.csv:4: CreationDate: ambiguous date "
			     "'3/5/2026 2:11:04 AM' (day and month could be "
			     "swapped) and no CreationTime");
	CHECK_STR(t.diag[1], "dates.csv:7: CreationDate: unparsable date "
			     "'yesterday' and no CreationTime");
	CHECK_STR(t.diag[2], "dates.csv:8: AuditData: record has no "
			     "CreationTime");
	CHECK_STR(t.diag[3], "dates.csv:9: CreationDate: unparsable date 'x' "
			     "and an unparsable CreationTime");
	CHECK_RC(tc_ingest(&t, "au.csv", au), M365F_OK);
	CHECK_INT(t.stored, 2);
	CHECK_STR(tc_sql(&t, "SELECT iso_time(time) FROM events WHERE"
			     " record_id = 'q'"),
		  "2026-03-06T21:00:00.000Z");
	tc_close(&t);
}

/* A record of more values than the normalizer reads is a reject with
 * the reason, in CSV (tokens) and JSON lines (from the tree) alike; the
 * next record goes in. */
static void test_too_many_values(void)
{
	static const char head[] =
		"{\"CreationTime\":\"2026-03-05T02:11:04\",\"Id\":\"v1\","
		"\"Operation\":\"Op\",\"RecordType\":1,\"Big\":[0";
	static const char next[] =
		"{\"CreationTime\":\"2026-03-05T02:11:05\",\"Id\":\"v2\","
		"\"Operation\":\"Op\",\"RecordType\":1}\n";
	m365f__buf b;
	tcase t;
	unsigned int i;

	m365f__buf_init(&b, 0);
	m365f__buf_append(&b, head, strlen(head));
	for (i = 0; i < M365F__JDOC_MAX_VALUES; i++)
		m365f__buf_append(&b, ",0", 2);
	m365f__buf_append(&b, "]}\n", 3);
	m365f__buf_append(&b, next, strlen(next));
	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "many.jsonl", m365f__buf_cstr(&b)), M365F_OK);
	CHECK_INT(t.records, 2);
	CHECK_INT(t.stored, 1);
	CHECK_INT(t.rejected, 1);
	CHECK_STR(t.diag[0], "many.jsonl:1: AuditData: AuditData holds more "
			     "than 1048576 JSON values");
	tc_close(&t);
	m365f__buf_free(&b);
}

static void test_rejects(void)
{
	static const char csv[] =
		CLASSIC_HDR
		"x,u,Op,\"[1,2]\"\n"
		"x,u,Op,\"{\"\"Id\"\":1,\n  \"\"CreationTime\"\" \"\"x\"\"}\"\n"
		"x,u,Op,\"{\"\"Id\"\":\"\"cut\"\",\"\"Creat\"\n"
		"x,u,Op,\"{\"\"Id\"\":1}garbage\"\n";
	static const char json[] =
		"{\"CreationTime\":\"2026-03-05T02:11:04\",\"Id\":\"j1\","
		"\"Operation\":\"Op\",\"RecordType\":1}\n"
		"{\"Name\":\"not an audit record\"}\n"
		"this line is not JSON\n"
		"{\"CreationTime\":\"2026-03-05T02:11:05\",\"Id\":\"j2\", oops}\n"
		"[1, 2]\n"
		"{\"CreationTime\":\"2026-03-05T02:11:06\",\"Id\":\"j3\","
		"\"Operation\":\"Op\",\"RecordType\":1,\"Big\":"
		"18446744073709551615}\n"
		"{\"CreationTime\":\"2026-03-05T02:11:07\",\"Id\":\"j4\"";
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "bad.csv", csv), M365F_OK);
	CHECK_INT(t.records, 4);
	CHECK_INT(t.rejected, 4);
	CHECK_STR(t.diag[0], "bad.csv:2: AuditData: AuditData is not a JSON "
			     "object");
	CHECK_STR(t.diag[1], "bad.csv:3:18: AuditData: invalid JSON at line "
			     "2, column 18 of AuditData");
	CHECK_STR(t.diag[2], "bad.csv:5:14: AuditData: truncated: AuditData "
			     "JSON is cut short after 18 bytes");
	CHECK_STR(t.diag[3], "bad.csv:6:9: AuditData: invalid JSON at line "
			     "1, column 9 of AuditData");
	CHECK_RC(tc_ingest(&t, "bad.jsonl", json), M365F_OK);
	CHECK_INT(t.records, 8);
	CHECK_INT(t.stored, 2);
	CHECK_INT(t.rejected, 6);
	CHECK_STR(t.diag[0], "bad.jsonl:2: JSON record of an unknown shape");
	CHECK_STR(t.diag[1], "bad.jsonl:3:1: invalid JSON");
	CHECK_STR(t.diag[2], "bad.jsonl:4:51: invalid JSON");
	/* [1, 2]: two values, neither an object */
	CHECK_STR(t.diag[3], "bad.jsonl:5: JSON value is not an object");
	CHECK_STR(t.diag[4], "bad.jsonl:5: JSON value is not an object");
	CHECK_STR(t.diag[5], "bad.jsonl:7: truncated: the input ends inside "
			     "this record");
	/* integers over 2^53 are kept exactly */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM events WHERE record_id ="
			     " 'j3'"),
		  "1");
	tc_close(&t);
}

#define R(id, body) "{\"CreationTime\":\"2026-03-05T02:11:04\",\"Id\":\"" \
	id "\",\"Operation\":\"Op\",\"RecordType\":1" body "}\n"

static void test_dedup(void)
{
	/* the same record in another key order, spacing and escaping */
	static const char a[] =
		R("d1", ",\"ObjectId\":\"a\\/b\",\"Note\":\"caf\\u00e9\","
			"\"N\":1")
		R("d2", ",\"ObjectId\":\"x\"");
	static const char b[] =
		"{ \"Id\" : \"d1\", \"RecordType\" : 1.0, \"N\": 1,"
		" \"Note\": \"caf\xC3\xA9\", \"ObjectId\": \"a/b\","
		" \"Operation\": \"Op\", \"CreationTime\":"
		" \"2026-03-05T02:11:04\" }\n"
		/* same Id, other content: kept, with a conflict row */
		R("d2", ",\"ObjectId\":\"y\"")
		/* the same record twice in one file */
		R("d3", "") R("d3", "")
		/* no Id: never a duplicate */
		"{\"CreationTime\":\"2026-03-05T02:11:04\",\"Operation\":\"Op\","
		"\"RecordType\":1,\"Workload\":\"Exchange\"}\n"
		"{\"CreationTime\":\"2026-03-05T02:11:04\",\"Operation\":\"Op\","
		"\"RecordType\":1,\"Workload\":\"Exchange\"}\n";
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "a.jsonl", a), M365F_OK);
	CHECK_INT(t.stored, 2);
	CHECK_RC(tc_ingest(&t, "b.jsonl", b), M365F_OK);
	CHECK_INT(t.records, 6);
	CHECK_INT(t.stored, 4);
	CHECK_INT(t.duplicates, 2);
	CHECK_INT(t.conflicts, 1);
	CHECK_STR(tc_sql(&t, "SELECT c.record_id, e.object, o.object FROM"
			     " conflicts c JOIN events e ON e.id = c.event_id"
			     " JOIN events o ON o.id = c.other_event_id"),
		  "d2|y|x");
	CHECK_STR(tc_sql(&t, "SELECT records, stored, duplicates, rejected,"
			     " conflicts FROM sources ORDER BY id"),
		  "2|2|0|0|0\n6|4|2|0|1");
	/* the same bytes again: nothing added, and it says so */
	CHECK_RC(tc_ingest(&t, "copy-of-a.jsonl", a), M365F_OK);
	CHECK_INT(t.status, M365F_SOURCE_ALREADY);
	CHECK_STR(t.text, "copy-of-a.jsonl: already in the case as source 1");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM events"), "6");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM sources"), "2");
	tc_close(&t);
}

/* A source that fails half-way is rolled back: its records are not in
 * the case and do not make later copies duplicates. */
static void test_rollback(void)
{
	static const char body[] = R("r1", "") R("r2", "");
	unsigned char gz[512];
	uLongf glen = sizeof(gz);
	z_stream z;
	tcase t;

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)body;
	z.avail_in = sizeof(body) - 1;
	z.next_out = gz;
	z.avail_out = sizeof(gz);
	deflate(&z, Z_FINISH);
	glen = sizeof(gz) - z.avail_out;
	deflateEnd(&z);
	tc_open(&t);
	CHECK_RC(tc_ingest_opts(&t, "cut.jsonl.gz", gz, glen - 6, 0, 0),
		 M365F_OK);
	CHECK_INT(t.status, M365F_SOURCE_FAILED);
	CHECK_STR(t.text, "cut.jsonl.gz: gzip stream cut short");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM events"), "0");
	/* listed in the inventory as failed, with the reason, nothing kept */
	CHECK_STR(tc_sql(&t, "SELECT status || ', ' || records || ', ' ||"
			     " message FROM sources"),
		  "failed, 0, gzip stream cut short");
	CHECK_RC(tc_ingest_opts(&t, "whole.jsonl.gz", gz, glen, 0, 0),
		 M365F_OK);
	CHECK_INT(t.status, M365F_SOURCE_INGESTED);
	CHECK_INT(t.stored, 2);
	CHECK_INT(t.duplicates, 0);
	tc_close(&t);
}

/* Operation names folded for matching across products. */
static void test_op_norm(void)
{
	static const char *const cases[][2] = {
		{ "Update application \xE2\x80\x93 Certificates and secrets "
		  "management ",
		  "update application - certificates and secrets management" },
		{ "Consent to application.", "consent to application" },
		{ "Consent to application", "consent to application" },
		{ "  New-InboxRule\t", "new-inboxrule" },
		{ "Add  member\xC2\xA0to role.", "add member to role" },
		{ "...", "" },
		{ "", "" },
	};
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(cases); i++) {
		char n[128];

		m365f__op_norm(cases[i][0], strlen(cases[i][0]), n);
		CHECK_STR(n, cases[i][1]);
	}
}

/* Parameter and property rows are inserted many at a time: every row is
 * stored, with its event, in the order written, whether an event has
 * none, a few or more than one multi-row statement holds. */
static void test_detail_rows(void)
{
	static const char sep[] = "],\"ExtendedProperties\":[";
	m365f__buf b;
	int i, k, want_params = 0, want_props = 0, most_params = 0,
	    most_props = 0;
	char num[32];
	tcase t;

	m365f__buf_init(&b, 0);
	for (i = 0; i < 60; i++) {
		char head[160];

		snprintf(head, sizeof(head),
			 "{\"CreationTime\":\"2026-03-05T02:11:%02d\","
			 "\"Id\":\"det-%d\",\"Operation\":\"Op\","
			 "\"RecordType\":1,\"Workload\":\"Exchange\","
			 "\"Parameters\":[",
			 i, i);
		m365f__buf_append(&b, head, strlen(head));
		/* 0 to 40 parameters, 0 to 69 properties */
		if ((i * 7) % 41 > most_params)
			most_params = (i * 7) % 41;
		if ((i * 13) % 71 > most_props)
			most_props = (i * 13) % 71;
		for (k = 0; k < (i * 7) % 41; k++) {
			snprintf(num, sizeof(num), "%s{\"Name\":\"p%03d\","
				 "\"Value\":\"%d\"}", k ? "," : "", k, i);
			m365f__buf_append(&b, num, strlen(num));
			want_params++;
		}
		m365f__buf_append(&b, sep, strlen(sep));
		for (k = 0; k < (i * 13) % 71; k++) {
			snprintf(num, sizeof(num), "%s{\"Name\":\"x%03d\","
				 "\"Value\":\"%d\"}", k ? "," : "", k, i);
			m365f__buf_append(&b, num, strlen(num));
			want_props++;
		}
		m365f__buf_append(&b, "]}\n", strlen("]}\n"));
	}
	tc_open(&t);
	CHECK_RC(tc_ingest_opts(&t, "many.jsonl", b.data, b.len, 0, 0),
		 M365F_OK);
	CHECK_INT(t.stored, 60);
	snprintf(num, sizeof(num), "%d", want_params);
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM event_params"), num);
	snprintf(num, sizeof(num), "%d", want_props);
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM event_props"
			     " WHERE kind = 'extended'"),
		  num);
	/* each row with its own event: the value is the record's number */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM event_params p JOIN events"
			     " e ON e.id = p.event_id WHERE e.record_id <>"
			     " 'det-' || p.value"),
		  "0");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM event_props p JOIN events"
			     " e ON e.id = p.event_id WHERE p.kind ="
			     " 'extended' AND e.record_id <> 'det-' ||"
			     " p.new_value"),
		  "0");
	/* in the order written: rowids follow (event, name) */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM event_params a JOIN"
			     " event_params b ON b.rowid = a.rowid + 1 WHERE"
			     " b.event_id < a.event_id OR (b.event_id ="
			     " a.event_id AND b.name <= a.name)"),
		  "0");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM event_props a JOIN"
			     " event_props b ON b.rowid = a.rowid + 1 WHERE"
			     " a.kind = 'extended' AND b.kind = 'extended' AND"
			     " (b.event_id < a.event_id OR (b.event_id ="
			     " a.event_id AND b.name <= a.name))"),
		  "0");
	/* the record with the most (40 and 69): past two full statements */
	CHECK_INT(most_params, 40);
	CHECK_INT(most_props, 69);
	snprintf(num, sizeof(num), "%d", most_params);
	CHECK_STR(tc_sql(&t, "SELECT max(n) FROM (SELECT count(*) AS n FROM"
			     " event_params GROUP BY event_id)"),
		  num);
	snprintf(num, sizeof(num), "%d", most_props);
	CHECK_STR(tc_sql(&t, "SELECT max(n) FROM (SELECT count(*) AS n FROM"
			     " event_props WHERE kind = 'extended' GROUP BY"
			     " event_id)"),
		  num);
	tc_close(&t);
	m365f__buf_free(&b);
}

int main(void)
{
	test_op_norm();
	test_fields();
	test_shapes();
	test_graph_fallbacks();
	test_appended_arrays();
	test_loganalytics();
	test_dates();
	test_rejects();
	test_too_many_values();
	test_dedup();
	test_rollback();
	test_detail_rows();
	TEST_DONE();
}
