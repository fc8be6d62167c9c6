/* SPDX-License-Identifier: MIT */
/*
 * test-sinks.c - hostile strings through every output sink (text, JSON,
 * CSV, Markdown, HTML/SVG), then through the report and the exports of a
 * case built from them.
 */
#include <unistd.h>

#include "m365f-private.h"
#include "test.h"

#define H(name, lit) { name, lit, sizeof(lit) - 1 }

/* What an intruder can put into a rule name, a subject or a user agent. */
static const struct {
	const char *name;
	const char *s;
	size_t n;
} hostile[] = {
	H("terminal escape", "red\x1b[31mX\x1b]0;title\x07"),
	H("C1 CSI", "a\xc2\x9b" "31mb"),
	H("formula", "=HYPERLINK(\"http://evil.example\",\"x\")"),
	H("plus formula", "+cmd|' /C calc'!A0"),
	H("minus formula", "-2+3"),
	H("at formula", "@SUM(1+1)"),
	H("tab formula", "\t=1"),
	H("script", "<script>alert(1)</script>"),
	H("attribute break", "\" onmouseover=\"alert(1)\" x='"),
	H("svg break", "</text></svg><img src=x onerror=alert(1)>"),
	H("invalid utf-8", "ok\xff\xfe\xc3(\xed\xa0\x80" "end"),
	H("bidi override", "invoice\xe2\x80\xae" "fdp.exe"),
	H("bidi isolate", "a\xe2\x81\xa6" "b"),
	H("markdown", "| col | [link](javascript:x) `code` *b*"),
	H("newlines", "line1\nline2\r\n"),
	H("NUL inside", "a\0b"),
};

/* Valid UTF-8 throughout (the writer's rules). */
static int valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, j;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xC2 && p[i] <= 0xDF)
			k = 2;
		else if (p[i] >= 0xE0 && p[i] <= 0xEF)
			k = 3;
		else if (p[i] >= 0xF0 && p[i] <= 0xF4)
			k = 4;
		else
			return 0;
		if (i + k > n)
			return 0;
		for (j = 1; j < k; j++)
			if ((p[i + j] & 0xC0) != 0x80)
				return 0;
		if (k == 3 && p[i] == 0xED && p[i + 1] >= 0xA0)
			return 0;
		i += k;
	}
	return 1;
}

/* No byte that a terminal, a browser or a text view would act on. */
static int no_controls(const char *s, size_t n, int allow_newline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == 0x1b || p[i] == 0x07 || p[i] == 0x7f || !p[i])
			return 0;
		if (p[i] < 0x20 && !(allow_newline &&
				     (p[i] == '\n' || p[i] == '\r')))
			return 0;
		if (p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] < 0xA0)
			return 0; /* C1 */
		if (p[i] == 0xE2 && i + 2 < n && p[i + 1] == 0x80 &&
		    p[i + 2] >= 0xAA && p[i + 2] <= 0xAE)
			return 0; /* bidi embedding/override */
		if (p[i] == 0xE2 && i + 2 < n && p[i + 1] == 0x81 &&
		    p[i + 2] >= 0xA6 && p[i + 2] <= 0xA9)
			return 0; /* bidi isolate */
	}
	return 1;
}

static void test_text(void)
{
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(hostile); i++) {
		m365f__buf b;

		m365f__buf_init(&b, 0);
		CHECK_RC(m365f__safe_text(&b, hostile[i].s, hostile[i].n), 0);
		if (!valid_utf8(b.data ? b.data : "", b.len) ||
		    !no_controls(b.data ? b.data : "", b.len, 0)) {
			fprintf(stderr, "text sink: %s\n", hostile[i].name);
			CHECK(0);
		}
		m365f__buf_free(&b);
	}
}

static void test_json(void)
{
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(hostile); i++) {
		m365f__buf b;
		cJSON *j;

		m365f__buf_init(&b, 0);
		CHECK_RC(m365f__json_escape(&b, hostile[i].s, hostile[i].n),
			 0);
		CHECK(valid_utf8(b.data, b.len));
		CHECK(no_controls(b.data, b.len, 0));
		CHECK(!strstr(b.data, "<"));
		j = cJSON_Parse(b.data);
		CHECK(cJSON_IsString(j));
		/* valid input comes back unchanged, bytes and all */
		if (valid_utf8(hostile[i].s, hostile[i].n) &&
		    !memchr(hostile[i].s, 0, hostile[i].n) &&
		    cJSON_IsString(j) && strcmp(j->valuestring, hostile[i].s)) {
			fprintf(stderr, "json sink: %s does not round-trip\n",
				hostile[i].name);
			CHECK(0);
		}
		cJSON_Delete(j);
		m365f__buf_free(&b);
	}
	{
		/* invalid bytes are replaced, never dropped */
		m365f__buf b;

		m365f__buf_init(&b, 0);
		m365f__json_escape(&b, "a\xff" "b", 3);
		CHECK_STR(b.data, "\"a\\ufffdb\"");
		m365f__buf_free(&b);
	}
}

static void test_csv(void)
{
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(hostile); i++) {
		m365f__buf b;
		const char *p;

		m365f__buf_init(&b, 0);
		CHECK_RC(m365f__csv_cell(&b, hostile[i].s, hostile[i].n, true),
			 0);
		CHECK(valid_utf8(b.data, b.len));
		CHECK(no_controls(b.data, b.len, 1));
		/* the first character a spreadsheet sees is never a formula
		 * trigger, quoted or not */
		p = b.data[0] == '"' ? b.data + 1 : b.data;
		if (strchr("=+-@\t\r", p[0])) {
			fprintf(stderr, "csv sink: %s starts with %c\n",
				hostile[i].name, p[0]);
			CHECK(0);
		}
		m365f__buf_free(&b);
	}
	{
		m365f__buf b;

		m365f__buf_init(&b, 0);
		m365f__csv_cell(&b, "=1+1", 4, true);
		CHECK_STR(b.data, "\"'=1+1\"");
		m365f__buf_reset(&b);
		m365f__csv_cell(&b, "-42", 3, false); /* a number stays one */
		CHECK_STR(b.data, "-42");
		m365f__buf_free(&b);
	}
}

static void test_markdown(void)
{
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(hostile); i++) {
		m365f__buf b;

		m365f__buf_init(&b, 0);
		CHECK_RC(m365f__md_cell(&b, hostile[i].s, hostile[i].n), 0);
		CHECK(valid_utf8(b.data, b.len));
		CHECK(no_controls(b.data, b.len, 0));
		CHECK(!strchr(b.data, '<'));
		/* a '|' would open a new table cell */
		{
			const char *p = b.data;

			while ((p = strchr(p, '|')) != NULL) {
				CHECK(p > b.data && p[-1] == '\\');
				p++;
			}
		}
		m365f__buf_free(&b);
	}
}

static void test_html(void)
{
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(hostile); i++) {
		m365f__buf b;

		m365f__buf_init(&b, 0);
		CHECK_RC(m365f__html_escape(&b, hostile[i].s, hostile[i].n),
			 0);
		CHECK(valid_utf8(b.data, b.len));
		CHECK(no_controls(b.data, b.len, 0));
		/* nothing ends a text run, an attribute value (either quote)
		 * or an SVG element */
		CHECK(!strpbrk(b.data, "<>\"'"));
		m365f__buf_free(&b);
	}
	{
		m365f__buf b;

		m365f__buf_init(&b, 0);
		m365f__html_escape(&b, "a<b>&\"'", 7);
		CHECK_STR(b.data, "a&lt;b&gt;&amp;&quot;&#39;");
		m365f__buf_free(&b);
	}
}

/* A case whose every text field is hostile: the report and every export
 * must stay clean. */
static void test_case_outputs(const char *dir)
{
	m365f_case *c = NULL;
	m365f_error err;
	char db[512], out[512];
	m365f__buf json;
	size_t i;
	int f;

	snprintf(db, sizeof(db), "%s/hostile.db", dir);
	unlink(db);
	CHECK_RC(m365f_case_open(&c, db, M365F_OPEN_CREATE, &err), M365F_OK);
	if (!c)
		return;
	m365f__buf_init(&json, 0);
	for (i = 0; i < M365F__ARRAY_LEN(hostile); i++) {
		m365f__buf v;

		/* through JSON so the exact bytes land in the case */
		m365f__buf_init(&v, 0);
		m365f__json_escape(&v, hostile[i].s, hostile[i].n);
		m365f__buf_printf(&json,
				  "{\"CreationTime\":\"2026-04-09T02:%02zu:00\","
				  "\"Id\":\"00000000-0000-4000-8000-%012zu\","
				  "\"Operation\":\"New-InboxRule\","
				  "\"RecordType\":1,\"Workload\":\"Exchange\","
				  "\"ResultStatus\":\"True\","
				  "\"UserId\":\"eve@example.com\","
				  "\"ClientIP\":\"203.0.113.9\","
				  "\"ObjectId\":%s,"
				  "\"Parameters\":[{\"Name\":\"Name\","
				  "\"Value\":%s},{\"Name\":\"ForwardTo\","
				  "\"Value\":%s}],"
				  "\"ExtendedProperties\":[{\"Name\":"
				  "\"UserAgent\",\"Value\":%s}]}\n",
				  i, i + 1, v.data, v.data, v.data, v.data);
		m365f__buf_free(&v);
	}
	CHECK_RC(m365f_ingest_buffer(c, "hostile.jsonl", json.data, json.len,
				     NULL, &err),
		 M365F_OK);
	m365f__buf_free(&json);
	CHECK_RC(m365f_sql(c,
			   "INSERT INTO findings(id, detector, title, category,"
			   " severity, user, first_time, last_time, summary)"
			   " SELECT 1, 'test', '<b>rule</b>', 'persistence',"
			   " 'high', 'eve@example.com', min(time), max(time),"
			   " '=cmd' FROM events;"
			   "INSERT INTO finding_events SELECT 1, id FROM events",
			   M365F_SQL_WRITE, NULL, NULL, &err),
		 M365F_OK);
	for (f = 0; f < 4; f++) {
		static const char *const names[] = { "r.html", "r.md",
						     "e.jsonl", "e.csv" };
		FILE *fp;
		char *buf;
		long n;

		snprintf(out, sizeof(out), "%s/%s", dir, names[f]);
		if (f < 2) {
			CHECK_RC(m365f_report_write_file(c, out, NULL, &err),
				 M365F_OK);
		} else {
			fp = fopen(out, "wb");
			CHECK(fp != NULL);
			if (!fp)
				continue;
			CHECK_RC(m365f_export(c, fp,
					      f == 2 ? M365F_EXPORT_ECS
						     : M365F_EXPORT_IOCS,
					      NULL, &err),
				 M365F_OK);
			fclose(fp);
		}
		fp = fopen(out, "rb");
		CHECK(fp != NULL);
		if (!fp)
			continue;
		fseek(fp, 0, SEEK_END);
		n = ftell(fp);
		rewind(fp);
		buf = malloc((size_t)n + 1);
		CHECK(buf && fread(buf, 1, (size_t)n, fp) == (size_t)n);
		fclose(fp);
		if (!buf)
			continue;
		buf[n] = '\0';
		CHECK(n > 0);
		CHECK(valid_utf8(buf, (size_t)n));
		CHECK(no_controls(buf, (size_t)n, 1));
		if (f != 3) { /* markup means nothing in CSV */
			CHECK(!strstr(buf, "<script>"));
			CHECK(!strstr(buf, "<img"));
			CHECK(!strstr(buf, "<b>rule"));
		}
		if (f == 3) /* no CSV cell starts a formula */
			CHECK(!strstr(buf, ",=") && !strstr(buf, ",\"=") &&
			      !strstr(buf, "\n=") && !strstr(buf, ",+") &&
			      !strstr(buf, ",@"));
		free(buf);
		unlink(out);
	}
	m365f_case_free(c);
	unlink(db);
}

int main(void)
{
	char dir[] = "/tmp/m365f-sinks-XXXXXX";

	test_text();
	test_json();
	test_csv();
	test_markdown();
	test_html();
	if (!mkdtemp(dir))
		return 99;
	test_case_outputs(dir);
	rmdir(dir);
	TEST_DONE();
}
