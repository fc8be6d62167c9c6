/* SPDX-License-Identifier: MIT */
/* test-csvread.c - the CSV reader: physical line numbers with fields that
 * hold newlines, CRLF, a #TYPE first line, short and long rows, strict
 * quoting, a file cut inside a quoted field. */
#include "ingest-util.h"

#define HDR "RecordId,CreationDate,RecordType,Operation,UserId,AuditData," \
	    "AssociatedAdminUnits,AssociatedAdminUnitsNames"
/* A compact AuditData, CSV-quoted, with id n */
#define AD(n) "\"{\"\"CreationTime\"\":\"\"2026-03-05T02:11:0" #n "\"\"," \
	      "\"\"Id\"\":\"\"id-" #n "\"\",\"\"Operation\"\":\"\"Op" #n   \
	      "\"\",\"\"RecordType\"\":1,\"\"Workload\"\":\"\"Exchange\"\"," \
	      "\"\"UserId\"\":\"\"U" #n "@Contoso-Labs.com\"\"}\""
#define ROW(n) "id-" #n ",3/5/2026 2:11:0" #n " AM,1,Op" #n ",u" #n "," AD(n)

static const char *lines_of(tcase *t)
{
	return tc_sql(t, "SELECT line || ':' || record_no || ':' || record_id"
			 " FROM events ORDER BY id");
}

static void test_lines_lf_crlf(void)
{
	/* AuditData pretty-printed (-Formatted): newlines inside the field */
	static const char lf[] =
		HDR "\n" ROW(1) ",,\n"
		"id-2,3/5/2026 2:11:02 AM,1,Op2,u2,\"{\n"
		"  \"\"CreationTime\"\": \"\"2026-03-05T02:11:02\"\",\n"
		"  \"\"Id\"\": \"\"id-2\"\", \"\"Operation\"\": \"\"Op2\"\",\n"
		"  \"\"RecordType\"\": 1\n}\",,\n"
		"\n" /* a blank line between records is not a record */
		ROW(3) ",,\n";
	char crlf[sizeof(lf) * 2];
	size_t i, o = 0;
	tcase t;

	for (i = 0; lf[i]; i++) {
		if (lf[i] == '\n')
			crlf[o++] = '\r';
		crlf[o++] = lf[i];
	}
	crlf[o] = '\0';
	if (tc_open(&t)) {
		test_failures++;
		return;
	}
	CHECK_RC(tc_ingest(&t, "lf.csv", lf), M365F_OK);
	CHECK_STR(t.format, "ual-purview-csv");
	CHECK_INT(t.records, 3);
	CHECK_INT(t.stored, 3);
	CHECK_STR(lines_of(&t), "2:1:id-1\n3:2:id-2\n9:3:id-3");
	tc_close(&t);
	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "crlf.csv", crlf), M365F_OK);
	CHECK_INT(t.stored, 3);
	CHECK_STR(lines_of(&t), "2:1:id-1\n3:2:id-2\n9:3:id-3");
	/* the raw record: where its bytes are, without the line break */
	{
		char want[64];

		snprintf(want, sizeof(want), "%ld|%zu",
			 (long)(strstr(crlf, ROW(3)) - crlf),
			 strlen(ROW(3) ",,"));
		CHECK_STR(tc_sql(&t, "SELECT raw_offset, raw_length FROM"
				     " events WHERE record_id = 'id-3'"),
			  want);
	}
	tc_close(&t);
}

static void test_type_line_and_no_final_newline(void)
{
	static const char cmdlet[] =
		"#TYPE Deserialized.Microsoft.Exchange.Management."
		"SystemConfigurationTasks.AuditRecord\r\n"
		"\"RunspaceId\",\"RecordType\",\"CreationDate\",\"UserIds\","
		"\"Operations\",\"AuditData\",\"ResultIndex\",\"ResultCount\","
		"\"Identity\",\"IsValid\",\"ObjectState\"\r\n"
		"\"r\",\"ExchangeAdmin\",\"3/5/2026 2:11:01 AM\",\"u1\",\"Op1\","
		AD(1) ",\"1\",\"2\",\"id-1\",\"True\",\"Unchanged\"\r\n"
		"\"r\",\"ExchangeAdmin\",\"3/5/2026 2:11:02 AM\",\"u2\",\"Op2\","
		AD(2) ",\"2\",\"2\",\"id-2\",\"True\",\"Unchanged\"";
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "cmdlet.csv", cmdlet), M365F_OK);
	CHECK_STR(t.format, "ual-cmdlet-csv");
	CHECK_INT(t.stored, 2);
	CHECK_STR(lines_of(&t), "3:1:id-1\n4:2:id-2");
	tc_close(&t);
}

static void test_short_long_rows(void)
{
	static const char csv[] =
		HDR "\n"
		ROW(1) "\n"                 /* short: admin-unit cells left out */
		ROW(2) ",,,extra\n"         /* long */
		"id-3,3/5/2026 2:11:03 AM\n" /* short: no AuditData */
		ROW(4) ",,\n";
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "rows.csv", csv), M365F_OK);
	CHECK_INT(t.records, 4);
	CHECK_INT(t.stored, 2);
	CHECK_INT(t.rejected, 2);
	CHECK_INT(t.ndiag, 2);
	CHECK_STR(t.diag[0], "rows.csv:3: record has 9 fields, the header "
			     "has 8");
	CHECK_STR(t.diag[1], "rows.csv:4: AuditData: empty AuditData");
	CHECK_STR(tc_sql(&t, "SELECT line, record_no, reason FROM rejects"
			     " ORDER BY id"),
		  "3|2|record has 9 fields, the header has 8\n"
		  "4|3|empty AuditData");
	/* the reject keeps the record's bytes */
	CHECK_STR(tc_sql(&t, "SELECT CAST(raw AS TEXT) FROM rejects WHERE"
			     " record_no = 3"),
		  "id-3,3/5/2026 2:11:03 AM");
	tc_close(&t);
}

static void test_strict(void)
{
	/* a quote inside an unquoted field, then a good row */
	static const char csv[] =
		HDR "\n"
		"id-1,3/5/2026 2:11:01 AM,1,Op1,u\"1," AD(1) ",,\n"
		ROW(2) ",,\n";
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "lenient.csv", csv), M365F_OK);
	CHECK_INT(t.stored, 2);
	tc_close(&t);
	tc_open(&t);
	CHECK_RC(tc_ingest_opts(&t, "strict.csv", csv, strlen(csv),
				M365F_INGEST_STRICT, 0),
		 M365F_OK);
	CHECK_INT(t.records, 2);
	CHECK_INT(t.stored, 1);
	CHECK_INT(t.rejected, 1);
	CHECK_STR(t.diag[0], "strict.csv:2: CSV: error parsing data while "
			     "strict checking enabled");
	CHECK_STR(tc_sql(&t, "SELECT record_id, line FROM events"), "id-2|3");
	tc_close(&t);
}

static void test_cut_inside_quotes(void)
{
	static const char csv[] =
		HDR "\r\n" ROW(1) ",,\r\n"
		"id-2,3/5/2026 2:11:02 AM,1,Op2,u2,\"{\"\"CreationTime\"\":\"\"20";
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "cut.csv", csv), M365F_OK);
	CHECK_INT(t.records, 2);
	CHECK_INT(t.stored, 1);
	CHECK_INT(t.rejected, 1);
	/* lenient: the field ends with the file, its JSON is cut */
	CHECK_STR(t.diag[0], "cut.csv:3:18: AuditData: truncated: AuditData "
			     "JSON is cut short after 19 bytes");
	tc_close(&t);
	tc_open(&t);
	CHECK_RC(tc_ingest_opts(&t, "cut.csv", csv, strlen(csv),
				M365F_INGEST_STRICT, 0),
		 M365F_OK);
	CHECK_INT(t.records, 2);
	CHECK_INT(t.rejected, 1);
	CHECK_STR(t.diag[0], "cut.csv:3: CSV: unterminated quoted field at "
			     "end of file (truncated)");
	tc_close(&t);
}

static void test_record_limit(void)
{
	static const char csv[] = HDR "\n" ROW(1) ",,\n" ROW(2) ",,\n";
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest_opts(&t, "big.csv", csv, strlen(csv), 0, 150),
		 M365F_OK);
	CHECK_INT(t.records, 2);
	CHECK_INT(t.rejected, 2);
	CHECK_STR(t.diag[0], "big.csv:2: record larger than the limit of 150 "
			     "bytes");
	CHECK_STR(t.diag[1], "big.csv:3: record larger than the limit of 150 "
			     "bytes");
	/* a header over the limit: the file is not read */
	CHECK_RC(tc_ingest_opts(&t, "big2.csv", csv, strlen(csv), 0, 50),
		 M365F_OK);
	CHECK_INT(t.status, M365F_SOURCE_SKIPPED);
	CHECK_STR(t.text, "big2.csv: CSV header too large");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM sources WHERE status ="
			     " 'ingested'"),
		  "1");
	/* still in the evidence inventory, with the reason */
	CHECK_STR(tc_sql(&t, "SELECT status || ': ' || message FROM sources"
			     " WHERE path = 'big2.csv'"),
		  "skipped: CSV header too large");
	tc_close(&t);
}

static void test_header_only_and_empty_lines(void)
{
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "hdr.csv", HDR "\r\n"), M365F_OK);
	CHECK_INT(t.status, M365F_SOURCE_INGESTED);
	CHECK_INT(t.records, 0);
	CHECK_RC(tc_ingest(&t, "hdr2.csv", HDR "\r\n\r\n\r\n"), M365F_OK);
	CHECK_INT(t.records, 0);
	tc_close(&t);
}

/* A big export: a CRLF and a quoted field's line break cut by the 1 MiB
 * read boundary; every record keeps its line. */
static void test_chunk_boundary(void)
{
	const size_t chunk = (size_t)1 << 20;
	size_t cap = chunk * 2 + 8192, n = 0, k = 0, rows = 0;
	char *b = malloc(cap);
	tcase t;
	char want[64];

	if (!b) {
		test_failures++;
		return;
	}
	n += (size_t)snprintf(b + n, cap - n, "%s", HDR "\r\n");
	while (n < chunk - 400) {
		n += (size_t)snprintf(b + n, cap - n,
				      "i%zu,3/5/2026 2:11:04 AM,1,Op,u,\"{\"\""
				      "CreationTime\"\":\"\"2026-03-05T02:11:04"
				      "\"\",\"\"Id\"\":\"\"i%zu\"\"}\",,\r\n",
				      k, k);
		k++;
		rows++;
	}
	/* pad the next record so its CR is the chunk's last byte */
	{
		size_t head = (size_t)snprintf(b + n, cap - n,
			"cr,3/5/2026 2:11:04 AM,1,Op,");
		size_t tail = strlen(",\"{\"\"CreationTime\"\":\"\"2026-03-05T"
				     "02:11:04\"\",\"\"Id\"\":\"\"cr\"\"}\",,");
		size_t user = chunk - 1 - (n + head) - tail;

		n += head;
		memset(b + n, 'u', user);
		n += user;
		n += (size_t)snprintf(b + n, cap - n,
				      ",\"{\"\"CreationTime\"\":\"\"2026-03-05T"
				      "02:11:04\"\",\"\"Id\"\":\"\"cr\"\"}\",,"
				      "\r\n");
		rows++;
	}
	/* a pretty AuditData whose inner line break is the cut */
	while (n < 2 * chunk - 400) {
		n += (size_t)snprintf(b + n, cap - n,
				      "j%zu,3/5/2026 2:11:04 AM,1,Op,u,\"{\"\""
				      "CreationTime\"\":\"\"2026-03-05T02:11:04"
				      "\"\",\"\"Id\"\":\"\"j%zu\"\"}\",,\r\n",
				      k, k);
		k++;
		rows++;
	}
	{
		size_t head = (size_t)snprintf(b + n, cap - n,
			"nl,3/5/2026 2:11:04 AM,1,Op,u,\"{\"\"Id\"\":\"\"nl\"\","
			"\"\"Note\"\":\"\"");
		size_t pad = 2 * chunk - 1 - (n + head);

		n += head;
		memset(b + n, 'v', pad);
		n += pad;
		n += (size_t)snprintf(b + n, cap - n,
				      "\"\",\n\"\"CreationTime\"\":\"\"2026-03-05T"
				      "02:11:04\"\"}\",,\r\nlast,x,1,Op,u,"
				      "\"{\"\"CreationTime\"\":\"\"2026-03-05T"
				      "02:11:04\"\",\"\"Id\"\":\"\"last\"\"}\",,");
		rows += 2;
	}
	tc_open(&t);
	CHECK_RC(tc_ingest_opts(&t, "big.csv", b, n, 0, 0), M365F_OK);
	CHECK_INT(t.records, rows);
	CHECK_INT(t.stored, rows);
	snprintf(want, sizeof(want), "%zu|%zu", rows, rows + 2);
	CHECK_STR(tc_sql(&t, "SELECT (SELECT line FROM events WHERE record_id"
			     " = 'nl'), (SELECT line FROM events WHERE"
			     " record_id = 'last')"),
		  want);
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM events WHERE line <>"
			     " record_no + 1"),
		  "1");
	tc_close(&t);
	free(b);
}

int main(void)
{
	test_chunk_boundary();
	test_lines_lf_crlf();
	test_type_line_and_no_final_newline();
	test_short_long_rows();
	test_strict();
	test_cut_inside_quotes();
	test_record_limit();
	test_header_only_and_empty_lines();
	TEST_DONE();
}
