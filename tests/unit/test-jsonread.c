/* SPDX-License-Identifier: MIT */
/*
 * test-jsonread.c - JSON evidence as a stream of records: lines, arrays,
 * appended arrays and objects, page wrappers, strings that hold braces,
 * garbage lines, a cut last record, big integers, record positions.
 */
#include "ingest-util.h"

#define REC(id) "{\"CreationTime\":\"2026-03-05T02:11:04\",\"Id\":\"" id \
	"\",\"Operation\":\"Op\",\"RecordType\":1}"

static const char *ids(tcase *t)
{
	return tc_sql(t, "SELECT group_concat(record_id || '@' || line, ' ')"
			 " FROM (SELECT * FROM events ORDER BY id)");
}

static void one(const char *name, const char *text, uint64_t records,
		const char *want_ids)
{
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, name, text), M365F_OK);
	test_checks++;
	if (t.records != records || t.rejected) {
		fprintf(stderr, "%s: %llu records, %llu rejected (%s)\n", name,
			(unsigned long long)t.records,
			(unsigned long long)t.rejected,
			t.ndiag ? t.diag[0] : t.text);
		test_failures++;
	}
	if (want_ids)
		CHECK_STR(ids(&t), want_ids);
	tc_close(&t);
}

static void test_containers(void)
{
	one("lines.jsonl", REC("a") "\n" REC("b") "\n", 2, "a@1 b@2");
	one("crlf.jsonl", REC("a") "\r\n\r\n" REC("b"), 2, "a@1 b@3");
	one("array.json", "[" REC("a") "," REC("b") "]", 2, "a@1 b@1");
	one("pretty.json", "[\n  " REC("a") ",\n  " REC("b") "\n]\n", 2,
	    "a@2 b@3");
	/* several arrays and objects appended to one file */
	one("appended.json", "[" REC("a") "][" REC("b") "]\n[\n" REC("c")
	    "\n]" REC("d") REC("e"), 5, "a@1 b@1 c@3 d@4 e@4");
	/* page wrappers: Graph {"value":[...]} and Azure Monitor
	 * {"records":[...]}, also appended */
	one("graph.json", "{\"@odata.context\":\"x\",\"value\":[" REC("a") ","
	    REC("b") "],\"@odata.nextLink\":\"https://n/?a=[1]&b={\"}\n"
	    "{\"value\":[" REC("c") "]}", 3, "a@1 b@1 c@2");
	one("monitor.json", "{ \"records\": [\n" REC("a") "\n] }", 1, "a@2");
	/* braces, brackets and escaped quotes inside strings */
	one("strings.jsonl",
	    "{\"CreationTime\":\"2026-03-05T02:11:04\",\"Id\":\"s}1\","
	    "\"Operation\":\"O{p]\\\"}[\",\"RecordType\":1,\"Value\":"
	    "\"\\\\\"}\n" REC("b") "\n", 2, "s}1@1 b@2");
	one("empty-array.json", "[]\n[" REC("a") "]", 1, "a@2");
}

static void test_bad_records(void)
{
	static const char text[] =
		REC("a") "\n"
		"Search-UnifiedAuditLog : The operation has timed out.\n"
		REC("b") "\n"
		"[" REC("c") ", 42, " REC("d") "]\n"
		"{\"CreationTime\":\"2026-03-05T02:11:04\",\"Id\":\"e\",\n"
		"  \"Operation\": Op}\n"
		REC("f") "\n"
		"{\"CreationTime\":\"2026-03-05T02:11:04\",\"Id\":\"g\"";
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "bad.jsonl", text), M365F_OK);
	CHECK_INT(t.records, 9);
	CHECK_INT(t.stored, 5);
	CHECK_INT(t.rejected, 4);
	CHECK_STR(ids(&t), "a@1 b@3 c@4 d@4 f@7");
	CHECK_INT(t.ndiag, 4);
	CHECK_STR(t.diag[0], "bad.jsonl:2:1: invalid JSON");
	/* a value that is not an object is one record, not the rest of
	 * its array */
	CHECK_STR(t.diag[1], "bad.jsonl:4: JSON value is not an object");
	CHECK_STR(t.diag[2], "bad.jsonl:6:16: invalid JSON");
	CHECK_STR(t.diag[3], "bad.jsonl:8: truncated: the input ends inside "
			     "this record");
	/* every reject keeps its bytes */
	CHECK_STR(tc_sql(&t, "SELECT CAST(raw AS TEXT) FROM rejects ORDER BY"
			     " id LIMIT 1"),
		  "Search-UnifiedAuditLog : The operation has timed out.");
	tc_close(&t);
}

/* An invalid record inside a one-line array: the column counts from the
 * start of the line. */
static void test_columns(void)
{
	static const char text[] = "[" REC("a") ",{\"Id\":\"b\" \"x\"}]\n";
	tcase t;
	char want[64];

	tc_open(&t);
	tc_ingest(&t, "one-line.json", text);
	CHECK_INT(t.rejected, 1);
	snprintf(want, sizeof(want), "one-line.json:1:%zu: invalid JSON",
		 strlen("[" REC("a") ",{\"Id\":\"b\" ") + 1);
	CHECK_STR(t.diag[0], want);
	tc_close(&t);
}

static void test_big_integers(void)
{
	/* 2^64-1 and a 17-digit number stay exact (cJSON keeps doubles) */
	static const char text[] =
		"{\"CreationTime\":\"2026-03-05T02:11:04\",\"Id\":\"big\","
		"\"Operation\":\"Op\",\"RecordType\":1,\"Parameters\":[{\"Name\":"
		"\"RuleIdentity\",\"Value\":15394007230974001154},{\"Name\":"
		"\"Small\",\"Value\":12345678901234567},{\"Name\":\"Neg\","
		"\"Value\":-9007199254740993},{\"Name\":\"Float\",\"Value\":"
		"1.5e300}]}\n";
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "big.jsonl", text), M365F_OK);
	CHECK_INT(t.stored, 1);
	CHECK_STR(tc_sql(&t, "SELECT name, value FROM event_params ORDER BY"
			     " rowid"),
		  "RuleIdentity|15394007230974001154\n"
		  "Small|12345678901234567\n"
		  "Neg|-9007199254740993\n"
		  "Float|1.5e+300");
	tc_close(&t);
}

static void test_limits(void)
{
	static const char text[] = REC("a") "\n" REC("b") "\n";
	char deep[30000];
	size_t i, n = 0;
	tcase t;

	tc_open(&t);
	CHECK_RC(tc_ingest_opts(&t, "big.jsonl", text, strlen(text), 0, 40),
		 M365F_OK);
	CHECK_INT(t.records, 2);
	CHECK_INT(t.rejected, 2);
	CHECK_STR(t.diag[0], "big.jsonl:1: record larger than the limit of 40 "
			     "bytes");
	tc_close(&t);
	/* nesting deeper than the parser allows is a reject, not a crash */
	n += (size_t)snprintf(deep, sizeof(deep), "%s", REC("ok") "\n{\"a\":");
	for (i = 0; i < 12000; i++)
		deep[n++] = '[';
	for (i = 0; i < 12000; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	deep[n] = '\0';
	tc_open(&t);
	CHECK_RC(tc_ingest(&t, "deep.json", deep), M365F_OK);
	CHECK_INT(t.records, 2);
	CHECK_INT(t.stored, 1);
	CHECK_INT(t.rejected, 1);
	CHECK_STR(t.diag[0], "deep.json:2: JSON nested deeper than 1000 "
			     "levels");
	tc_close(&t);
}

static void test_not_json(void)
{
	tcase t;

	tc_open(&t);
	/* a first record of no known shape: the file is not ours */
	tc_ingest(&t, "rules.json", "[{\"displayName\":\"x\",\"sequence\":1}]");
	CHECK_INT(t.status, M365F_SOURCE_SKIPPED);
	CHECK_STR(t.text, "rules.json: JSON records of an unknown shape "
			  "(keys: displayName, sequence)");
	tc_ingest(&t, "brackets.json", "[ ]\n");
	CHECK_INT(t.status, M365F_SOURCE_SKIPPED);
	CHECK_STR(t.text, "brackets.json: no JSON records in the file");
	tc_ingest(&t, "text.json", "{ this is not json\n");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM events"), "0");
	tc_close(&t);
}

/* Records cut by the 1 MiB read boundary: an escape, a string and a
 * multi-byte character that straddle it are carried over. */
static void test_chunk_boundary(void)
{
	const size_t chunk = (size_t)1 << 20;
	size_t cap = chunk * 2 + 4096, n = 0, pad, k;
	char *b = malloc(cap);
	tcase t;

	if (!b) {
		test_failures++;
		return;
	}
	for (k = 0; n < chunk - 600; k++)
		n += (size_t)snprintf(b + n, cap - n, REC("r%zu") "\n", k);
	/* the next record puts '\\' as the chunk's last byte, the quote
	 * it escapes as the next chunk's first */
	n += (size_t)snprintf(b + n, cap - n,
			      "{\"CreationTime\":\"2026-03-05T02:11:04\","
			      "\"Id\":\"esc\",\"Operation\":\"Op\","
			      "\"RecordType\":1,\"Note\":\"");
	pad = chunk - 1 - n;
	memset(b + n, 'x', pad);
	n += pad;
	n += (size_t)snprintf(b + n, cap - n, "\\\"}\"}\n");
	/* then one whose \u00e9 (2 bytes) straddles the next boundary */
	while (n < 2 * chunk - 200)
		n += (size_t)snprintf(b + n, cap - n, REC("s%zu") "\n", k++);
	n += (size_t)snprintf(b + n, cap - n,
			      "{\"CreationTime\":\"2026-03-05T02:11:04\","
			      "\"Id\":\"utf\",\"Operation\":\"Op\","
			      "\"RecordType\":1,\"Note\":\"");
	pad = 2 * chunk - 1 - n;
	memset(b + n, 'y', pad);
	n += pad;
	n += (size_t)snprintf(b + n, cap - n, "\xC3\xA9\"}\n" REC("last"));
	tc_open(&t);
	CHECK_RC(tc_ingest_opts(&t, "big.jsonl", b, n, 0, 0), M365F_OK);
	CHECK_INT(t.rejected, 0);
	CHECK_INT(t.records, t.stored);
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM events WHERE record_id IN"
			     " ('esc', 'utf', 'last')"),
		  "3");
	/* each record's line and byte offset in the decoded text */
	{
		char want[64];
		const char *esc = strstr(b, "\"esc\"");

		while (esc > b && esc[-1] != '\n')
			esc--;
		snprintf(want, sizeof(want), "%zu", (size_t)(esc - b));
		CHECK_STR(tc_sql(&t, "SELECT raw_offset FROM events WHERE"
				     " record_id = 'esc'"),
			  want);
	}
	CHECK_STR(tc_sql(&t, "SELECT max(line) = count(*) FROM events"), "1");
	tc_close(&t);
	free(b);
}

int main(void)
{
	test_chunk_boundary();
	test_containers();
	test_bad_records();
	test_columns();
	test_big_integers();
	test_limits();
	test_not_json();
	TEST_DONE();
}
