/* SPDX-License-Identifier: MIT */
/*
 * test-hostile.c - damaged and hostile evidence, each with its exact
 * outcome: files cut at every byte, gzip cut, damaged and bombs, huge
 * fields and lines, millions of columns, deep nesting, NUL and invalid
 * UTF-8, duplicated header names, impossible dates, big numbers, folder
 * loops, FIFOs, dangling links, empty files and a full disk. Every
 * source that is ingested adds up (stored + duplicates + rejected ==
 * records).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "ingest-util.h"

#define HDR "RecordId,CreationDate,RecordType,Operation,UserId,AuditData," \
	    "AssociatedAdminUnits,AssociatedAdminUnitsNames\r\n"

static char tmpdir[64];

/* AuditData of record i (1-9) with extra members; CSV-quoted when csv */
static void audit(m365f__buf *b, int i, const char *extra, bool csv)
{
	m365f__buf tmp;
	size_t k;

	m365f__buf_init(&tmp, 0);
	m365f__buf_printf(&tmp,
		 "{\"CreationTime\":\"2024-03-01T10:00:0%d\",\"Id\":\"00000000-"
		 "0000-0000-0000-00000000000%d\",\"Operation\":\"FileAccessed\","
		 "\"RecordType\":6,\"UserId\":\"a@contoso.com\",\"Workload\":"
		 "\"SharePoint\"%s}",
		 i, i, extra ? extra : "");
	for (k = 0; k < tmp.len; k++) {
		if (csv && tmp.data[k] == '"')
			m365f__buf_putc(b, '"');
		m365f__buf_putc(b, tmp.data[k]);
	}
	m365f__buf_free(&tmp);
}

static void row(m365f__buf *b, int i, const char *extra)
{
	m365f__buf_printf(b, "00000000-0000-0000-0000-00000000000%d,"
			  "2024-03-01T10:00:0%dZ,6,FileAccessed,a@contoso.com,"
			  "\"", i, i);
	audit(b, i, extra, true);
	m365f__buf_printf(b, "\",,\r\n");
}

/* A fresh case for each check that counts records. */
static void reopen(tcase *t)
{
	tc_close(t);
	if (tc_open(t))
		exit(99);
}

static char *path_of(const char *name)
{
	static char p[128];

	snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
	return p;
}

static void write_file(const char *name, const void *p, size_t n)
{
	FILE *fp = fopen(path_of(name), "wb");

	if (!fp || (n && fwrite(p, 1, n, fp) != n)) {
		fprintf(stderr, "cannot write %s\n", path_of(name));
		exit(99);
	}
	fclose(fp);
}

/* Every prefix of a small export is read without a crash, adds up, and
 * never stores more than the whole file holds. */
static void test_cut_at_every_byte(void)
{
	m365f__buf csv, json;
	tcase t;
	size_t n;
	unsigned long stored_max = 0;

	m365f__buf_init(&csv, 0);
	m365f__buf_init(&json, 0);
	m365f__buf_append(&csv, HDR, strlen(HDR));
	row(&csv, 1, ",\"S\":\"caf\xc3\xa9 \xe2\x82\xac\"");
	row(&csv, 2, NULL);
	audit(&json, 3, ",\"S\":\"\xe2\x82\xac\"", false);
	m365f__buf_putc(&json, '\n');
	audit(&json, 4, NULL, false);
	m365f__buf_putc(&json, '\n');
	if (tc_open(&t))
		exit(99);
	for (n = 0; n <= csv.len; n++) {
		char name[32];

		snprintf(name, sizeof(name), "cut-%zu.csv", n);
		tc_ingest_opts(&t, name, csv.data, n, 0, 0);
		CHECK(t.status == M365F_SOURCE_INGESTED ||
		      t.status == M365F_SOURCE_SKIPPED);
		if (t.status == M365F_SOURCE_INGESTED &&
		    t.stored + t.duplicates > stored_max)
			stored_max = (unsigned long)(t.stored + t.duplicates);
		CHECK(t.stored + t.duplicates <= 2);
	}
	CHECK_INT(stored_max, 2);
	/* cut inside the quoted AuditData: the record is a reject that
	 * says so */
	tc_close(&t);
	if (tc_open(&t))
		exit(99);
	tc_ingest_opts(&t, "cut-quoted.csv", csv.data, strlen(HDR) + 90, 0,
		       0);
	CHECK_INT(t.records, 1);
	CHECK_INT(t.rejected, 1);
	CHECK(t.ndiag == 1 &&
	      strstr(t.diag[0], "cut-quoted.csv:2:1: AuditData: truncated: "
				"AuditData JSON is cut short after 1 bytes"));
	/* the same under strict quoting */
	tc_ingest_opts(&t, "cut-strict.csv", csv.data, strlen(HDR) + 91,
		       M365F_INGEST_STRICT, 0);
	CHECK_INT(t.records, 1);
	CHECK_INT(t.rejected, 1);
	CHECK(t.ndiag == 1 &&
	      strstr(t.diag[0], "cut-strict.csv:2: CSV: unterminated quoted "
				"field at end of file (truncated)"));
	for (n = 0; n <= json.len; n++) {
		char name[32];

		snprintf(name, sizeof(name), "cut-%zu.jsonl", n);
		tc_ingest_opts(&t, name, json.data, n, 0, 0);
		CHECK(t.status == M365F_SOURCE_INGESTED ||
		      t.status == M365F_SOURCE_SKIPPED);
	}
	/* cut inside the three bytes of the euro sign */
	{
		const char *euro = strstr(json.data, "\xe2\x82\xac");
		size_t at = (size_t)(euro - json.data) + 2;

		tc_close(&t);
		if (tc_open(&t))
			exit(99);
		tc_ingest_opts(&t, "cut-euro.jsonl", json.data, at, 0, 0);
		CHECK_INT(t.records, 1);
		CHECK_INT(t.rejected, 1);
		CHECK(t.ndiag == 1 &&
		      strstr(t.diag[0], "truncated: the input ends inside "
				      "this record"));
	}
	tc_close(&t);
	m365f__buf_free(&csv);
	m365f__buf_free(&json);
}

/* gzip: damaged check value, a bomb (ratio cap) and a size cap. */
static void test_gzip(void)
{
	m365f_ingest_options o = M365F_INGEST_OPTIONS_INIT;
	m365f__buf text;
	unsigned char *gz;
	size_t cap, total = 64u << 20, i;
	z_stream z;
	tcase t;
	char *zeros;

	m365f__buf_init(&text, 0);
	m365f__buf_append(&text, HDR, strlen(HDR));
	row(&text, 1, NULL);
	cap = compressBound((uLong)total) + 64;
	gz = malloc(cap);
	zeros = calloc(1, 1 << 20);
	if (!gz || !zeros || tc_open(&t))
		exit(99);

	/* one record, then the CRC of the trailer flipped */
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (Bytef *)text.data;
	z.avail_in = (uInt)text.len;
	z.next_out = gz;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	deflateEnd(&z);
	gz[z.total_out - 8] ^= 0xff;
	tc_ingest_opts(&t, "crc.csv.gz", gz, z.total_out, 0, 0);
	CHECK_INT(t.status, M365F_SOURCE_FAILED);
	CHECK(strstr(t.text, "gzip data error: incorrect data check") != NULL);
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM events"), "0");

	/* a bomb: a header and 64 MiB of blank lines, ~1000:1 */
	memset(zeros, '\n', 1 << 20);
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	z.next_out = gz;
	z.avail_out = (uInt)cap;
	z.next_in = (Bytef *)text.data;
	z.avail_in = (uInt)text.len;
	deflate(&z, Z_NO_FLUSH);
	for (i = 0; i < total >> 20; i++) {
		z.next_in = (Bytef *)zeros;
		z.avail_in = 1 << 20;
		deflate(&z, Z_NO_FLUSH);
	}
	deflate(&z, Z_FINISH);
	deflateEnd(&z);
	o.max_ratio = 100;
	o.source_cb = tc_on_source;
	o.payload = &t;
	m365f_ingest_buffer(t.c, "bomb.csv.gz", gz, z.total_out, &o, NULL);
	CHECK_INT(t.status, M365F_SOURCE_FAILED);
	CHECK(strstr(t.text, "compression ratio over the limit (gzip bomb?)"));
	/* the same under a decompressed-size cap */
	o.max_ratio = 0;
	o.max_input_bytes = 8 << 20;
	m365f_ingest_buffer(t.c, "big.csv.gz", gz, z.total_out, &o, NULL);
	CHECK_INT(t.status, M365F_SOURCE_FAILED);
	CHECK(strstr(t.text, "decompressed size over the limit"));
	/* nothing stored; both listed as failed in the inventory */
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM sources WHERE status ="
			     " 'ingested'"),
		  "0");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM sources WHERE status ="
			     " 'failed' AND path IN ('bomb.csv.gz',"
			     " 'big.csv.gz')"),
		  "2");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM events"), "0");
	tc_close(&t);
	free(gz);
	free(zeros);
	m365f__buf_free(&text);
}

/* A field and a JSON line larger than the default record limit (64 MiB):
 * each is one reject, the records around them are stored. */
static void test_huge_field_and_line(void)
{
	size_t big = (size_t)70 << 20;
	m365f__buf b;
	char *fill;
	tcase t;

	fill = malloc(big);
	if (!fill || tc_open(&t))
		exit(99);
	memset(fill, 'a', big);
	m365f__buf_init(&b, 0);
	m365f__buf_append(&b, HDR, strlen(HDR));
	row(&b, 1, NULL);
	m365f__buf_append(&b, "x,2024-03-01T10:00:00Z,6,Op,u,\"", 31);
	m365f__buf_append(&b, fill, big);
	m365f__buf_append(&b, "\",,\r\n", 5);
	row(&b, 2, NULL);
	tc_ingest_opts(&t, "huge-field.csv", b.data, b.len, 0, 0);
	CHECK_INT(t.status, M365F_SOURCE_INGESTED);
	CHECK_INT(t.stored, 2);
	CHECK(t.rejected >= 1);
	CHECK(t.ndiag >= 1 &&
	      strstr(t.diag[0], "huge-field.csv:3: record larger than the "
				"limit of 67108864 bytes"));

	reopen(&t);
	m365f__buf_reset(&b);
	audit(&b, 3, NULL, false);
	m365f__buf_append(&b, "\n[\"", 3);
	m365f__buf_append(&b, fill, big);
	m365f__buf_append(&b, "\"]\n", 3);
	audit(&b, 4, NULL, false);
	m365f__buf_putc(&b, '\n');
	tc_ingest_opts(&t, "huge-line.jsonl", b.data, b.len, 0, 0);
	CHECK_INT(t.records, 3);
	CHECK_INT(t.stored, 2);
	CHECK_INT(t.rejected, 1);
	CHECK(t.ndiag == 1 &&
	      strstr(t.diag[0], "huge-line.jsonl:2: record larger than the "
				"limit of 67108864 bytes"));
	/* the same shape, small: a string in an array, then records */
	reopen(&t);
	m365f__buf_reset(&b);
	audit(&b, 3, NULL, false);
	m365f__buf_append(&b, "\n[\"abc\"]\n", 9);
	audit(&b, 4, NULL, false);
	m365f__buf_putc(&b, '\n');
	audit(&b, 5, NULL, false);
	m365f__buf_putc(&b, '\n');
	tc_ingest_opts(&t, "string-in-array.jsonl", b.data, b.len, 0, 0);
	CHECK_INT(t.records, 4);
	CHECK_INT(t.stored, 3);
	CHECK_INT(t.rejected, 1);
	tc_close(&t);
	m365f__buf_free(&b);
	free(fill);
}

/* Two million columns in a row and in a header; 100,000 levels of
 * nesting in AuditData and 20,000 in a JSON line. */
static void test_columns_and_nesting(void)
{
	m365f__buf b, extra;
	size_t i;
	tcase t;

	if (tc_open(&t))
		exit(99);
	m365f__buf_init(&b, 0);
	m365f__buf_append(&b, HDR, strlen(HDR));
	row(&b, 1, NULL);
	for (i = 0; i < 2000000; i++)
		m365f__buf_append(&b, "x,", 2);
	m365f__buf_append(&b, "\r\n", 2);
	row(&b, 2, NULL);
	tc_ingest_opts(&t, "columns.csv", b.data, b.len, 0, 0);
	CHECK_INT(t.records, 3);
	CHECK_INT(t.stored, 2);
	CHECK(t.ndiag == 1 && strstr(t.diag[0], "columns.csv:3: record has "
				     "more than 100000 fields"));

	reopen(&t);
	m365f__buf_reset(&b);
	for (i = 0; i < 2000000; i++)
		m365f__buf_printf(&b, "%sc%zu", i ? "," : "", i);
	m365f__buf_append(&b, "\r\n", 2);
	row(&b, 1, NULL);
	tc_ingest_opts(&t, "header.csv", b.data, b.len, 0, 0);
	CHECK_INT(t.status, M365F_SOURCE_SKIPPED);
	CHECK(strstr(t.text, "not a recognized export") != NULL);

	m365f__buf_init(&extra, 0);
	m365f__buf_append(&extra, ",\"X\":", 5);
	for (i = 0; i < 100000; i++)
		m365f__buf_putc(&extra, '[');
	for (i = 0; i < 100000; i++)
		m365f__buf_putc(&extra, ']');
	reopen(&t);
	m365f__buf_reset(&b);
	m365f__buf_append(&b, HDR, strlen(HDR));
	row(&b, 1, extra.data);
	row(&b, 2, NULL);
	tc_ingest_opts(&t, "deep.csv", b.data, b.len, 0, 0);
	CHECK_INT(t.records, 2);
	CHECK_INT(t.stored, 1);
	CHECK(t.ndiag == 1 && strstr(t.diag[0], "deep.csv:2:1177: AuditData: "
				     "invalid JSON at line 1, column 1177"));

	reopen(&t);
	m365f__buf_reset(&b);
	for (i = 0; i < 20000; i++)
		m365f__buf_putc(&b, '[');
	for (i = 0; i < 20000; i++)
		m365f__buf_putc(&b, ']');
	m365f__buf_putc(&b, '\n');
	audit(&b, 3, NULL, false);
	m365f__buf_putc(&b, '\n');
	tc_ingest_opts(&t, "deep.jsonl", b.data, b.len, 0, 0);
	CHECK_INT(t.records, 2);
	CHECK_INT(t.stored, 1);
	CHECK_INT(t.rejected, 1);
	tc_close(&t);
	m365f__buf_free(&b);
	m365f__buf_free(&extra);
}

/* NUL bytes, invalid UTF-8, a duplicated header name, impossible dates
 * and numbers past 64 bits. */
static void test_bytes_names_dates_numbers(void)
{
	m365f__buf b;
	tcase t;

	if (tc_open(&t))
		exit(99);
	m365f__buf_init(&b, 0);
	m365f__buf_append(&b, HDR, strlen(HDR));
	row(&b, 1, NULL);
	m365f__buf_append(&b, "x,2024,6,O\0p,u,\"{}\",,\r\n", 24);
	tc_ingest_opts(&t, "nul.csv", b.data, b.len, 0, 0);
	CHECK_INT(t.status, M365F_SOURCE_SKIPPED);
	CHECK(strstr(t.text, "nul.csv:3:11: not a text export (binary data)"));

	/* bytes that are not UTF-8: the file is read as Windows-1252 */
	reopen(&t);
	m365f__buf_reset(&b);
	m365f__buf_append(&b, HDR, strlen(HDR));
	row(&b, 1, ",\"S\":\"caf\xe9 \xff\"");
	tc_ingest_opts(&t, "latin.csv", b.data, b.len, 0, 0);
	CHECK_INT(t.stored, 1);
	CHECK_STR(t.encoding, "windows-1252");

	/* AuditData named twice: the first column of that name is read */
	reopen(&t);
	m365f__buf_reset(&b);
	m365f__buf_append(&b, "RecordId,CreationDate,RecordType,Operation,"
			  "AuditData,AuditData\r\n", 64);
	m365f__buf_append(&b, "1,2024-03-01T10:00:00Z,6,Op,not json,\"", 38);
	audit(&b, 1, NULL, true);
	m365f__buf_append(&b, "\"\r\n", 3);
	tc_ingest_opts(&t, "twice.csv", b.data, b.len, 0, 0);
	CHECK_INT(t.records, 1);
	CHECK_INT(t.rejected, 1);
	CHECK(t.ndiag == 1 && strstr(t.diag[0], "AuditData: invalid JSON"));

	/* years past 9999 and 20-digit numbers */
	reopen(&t);
	m365f__buf_reset(&b);
	m365f__buf_append(&b, "[", 1);
	audit(&b, 1, NULL, false);
	m365f__buf_append(&b, "]", 1);
	{
		char *p = strstr(b.data, "2024-03-01T10:00:01");

		memcpy(p, "99999-01-01T00:00:0", 19);
	}
	tc_ingest_opts(&t, "year.json", b.data, b.len, 0, 0);
	CHECK_INT(t.rejected, 1);
	CHECK(t.ndiag == 1 && strstr(t.diag[0], "unparsable CreationTime "
				     "'99999-01-01T00:00:0'"));
	m365f__buf_reset(&b);
	audit(&b, 2, ",\"Big\":18446744073709551616,\"Neg\":"
		     "-99999999999999999999999,\"RecordType\":1e400", false);
	tc_ingest_opts(&t, "numbers.jsonl", b.data, b.len, 0, 0);
	CHECK_INT(t.stored, 1);
	/* of two RecordType members the first is read */
	CHECK_STR(tc_sql(&t, "SELECT record_type FROM events WHERE "
			     "record_id LIKE '%2'"),
		  "6");
	tc_close(&t);
	m365f__buf_free(&b);
}

static int count_source(const m365f_source_summary *s, void *payload)
{
	m365f__buf *log = payload;

	m365f__buf_printf(log, "%s %d %s\n",
			  strrchr(s->path, '/') ? strrchr(s->path, '/') + 1
						: s->path,
			  s->status, s->error ? s->error->text : "");
	return 0;
}

/* A folder with a loop, a FIFO, a dangling link, an empty file and one
 * good export: the good one is read, each other one says why. */
static void test_folder(void)
{
	m365f_ingest_options o = M365F_INGEST_OPTIONS_INIT;
	m365f__buf b, log;
	tcase t;
	int rc;

	m365f__buf_init(&b, 0);
	m365f__buf_init(&log, 0);
	m365f__buf_append(&b, HDR, strlen(HDR));
	row(&b, 1, NULL);
	if (mkdir(path_of("ev"), 0700) || mkdir(path_of("ev/sub"), 0700) ||
	    symlink("..", path_of("ev/sub/up")) ||
	    symlink("nowhere.csv", path_of("ev/dangling.csv")) ||
	    mkfifo(path_of("ev/fifo.csv"), 0600))
		exit(99);
	write_file("ev/sub/good.csv", b.data, b.len);
	write_file("ev/empty.csv", "", 0);
	if (tc_open(&t))
		exit(99);
	o.source_cb = count_source;
	o.payload = &log;
	rc = m365f_ingest_path(t.c, path_of("ev"), &o, NULL);
	CHECK_RC(rc, M365F_OK);
	CHECK_STR(log.data,
		  "dangling.csv 3 cannot open: No such file or directory\n"
		  "empty.csv 2 empty file\n"
		  "fifo.csv 3 not a regular file; not read\n"
		  "good.csv 0 \n"
		  "up 2 folder loop (link to a parent folder); not followed\n");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM events"), "1");
	if (geteuid() != 0) {
		/* a file the user may not read (root reads anything) */
		m365f__buf_reset(&log);
		write_file("ev/secret.csv", b.data, b.len);
		chmod(path_of("ev/secret.csv"), 0);
		m365f_ingest_path(t.c, path_of("ev/secret.csv"), &o, NULL);
		CHECK_STR(log.data,
			  "secret.csv 3 cannot open: Permission denied\n");
		unlink(path_of("ev/secret.csv"));
	}
	tc_close(&t);
	unlink(path_of("ev/sub/up"));
	unlink(path_of("ev/sub/good.csv"));
	rmdir(path_of("ev/sub"));
	unlink(path_of("ev/dangling.csv"));
	unlink(path_of("ev/fifo.csv"));
	unlink(path_of("ev/empty.csv"));
	rmdir(path_of("ev"));
	m365f__buf_free(&b);
	m365f__buf_free(&log);
}

/* A full disk, injected as a page limit on the case: the ingest fails
 * with the reason, the case keeps only whole sources and the same file
 * goes in once there is room. */
static void test_full_disk(void)
{
	m365f__buf b;
	sqlite3_stmt *st;
	char sql[64];
	tcase t;
	int i, pages = 0;

	if (tc_open(&t))
		exit(99);
	m365f__buf_init(&b, 0);
	m365f__buf_append(&b, HDR, strlen(HDR));
	row(&b, 1, NULL);
	tc_ingest_opts(&t, "first.csv", b.data, b.len, 0, 0);
	CHECK_INT(t.stored, 1);
	m365f__buf_reset(&b);
	m365f__buf_append(&b, HDR, strlen(HDR));
	for (i = 0; i < 3000; i++) {
		char extra[400];

		snprintf(extra, sizeof(extra), ",\"N\":%d,\"Pad\":\"%0300d\"",
			 i, i);
		row(&b, 2 + i % 8, extra);
	}
	if (sqlite3_prepare_v2(t.c->db, "PRAGMA page_count", -1, &st, NULL))
		exit(99);
	if (sqlite3_step(st) == SQLITE_ROW)
		pages = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count=%d", pages + 4);
	sqlite3_exec(t.c->db, sql, NULL, NULL, NULL);
	tc_ingest_opts(&t, "second.csv", b.data, b.len, 0, 0);
	CHECK_RC(t.rc, M365F_EDB);
	CHECK_INT(t.status, M365F_SOURCE_FAILED);
	CHECK(strstr(t.text, "database or disk is full") != NULL);
	CHECK_STR(tc_sql(&t, "PRAGMA integrity_check"), "ok");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM sources"), "1");
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM events"), "1");
	sqlite3_exec(t.c->db, "PRAGMA max_page_count=1073741823", NULL, NULL,
		     NULL);
	tc_ingest_opts(&t, "second.csv", b.data, b.len, 0, 0);
	CHECK_RC(t.rc, M365F_OK);
	CHECK_INT(t.records, 3000);
	CHECK_INT(t.stored + t.duplicates, 3000);
	CHECK_STR(tc_sql(&t, "SELECT count(*) FROM sources"), "2");
	tc_close(&t);
	m365f__buf_free(&b);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/m365f-hostile-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 99;
	test_cut_at_every_byte();
	test_gzip();
	test_huge_field_and_line();
	test_columns_and_nesting();
	test_bytes_names_dates_numbers();
	test_folder();
	test_full_disk();
	rmdir(tmpdir);
	TEST_DONE();
}
