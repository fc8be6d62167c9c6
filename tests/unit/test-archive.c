/* SPDX-License-Identifier: MIT */
/*
 * test-archive.c - bundles read in place: member and archive hashes,
 * names that leave the archive, links, an archive bomb, and triage of
 * several bundles on parallel threads.
 */
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <nettle/sha2.h>

#include "m365f-private.h"
#include "test.h"

static const char member_json[] =
	"{\"CreationTime\":\"2026-04-09T02:14:10\",\"Id\":"
	"\"00000000-0000-4000-8000-000000000001\",\"Operation\":"
	"\"New-InboxRule\",\"RecordType\":1,\"Workload\":\"Exchange\","
	"\"UserId\":\"eve@example.com\",\"ClientIP\":\"203.0.113.9\"}\n";

static void hex_of(const void *p, size_t n, char out[65])
{
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_SIZE];
	int i;

	sha256_init(&c);
	sha256_update(&c, n, p);
	sha256_digest(&c, sizeof(d), d);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void hex_of_file(const char *path, char out[65])
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	out[0] = '\0';
	if (!fp)
		return;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, fp) == (size_t)n)
		hex_of(buf, (size_t)n, out);
	free(buf);
	fclose(fp);
}

/* A tar with a regular member, a ".." member, a symlink and a hidden
 * file; written by libarchive itself. */
static int make_tar(const char *path, size_t bomb)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	static const struct {
		const char *name;
		int type;
		const char *link;
	} m[] = {
		{ "logs/ual.jsonl", AE_IFREG, NULL },
		{ "../up.jsonl", AE_IFREG, NULL },
		{ "logs/link.jsonl", AE_IFLNK, "/etc/passwd" },
		{ "logs/.hidden.jsonl", AE_IFREG, NULL },
	};
	size_t i;
	int rc = 0;

	archive_write_set_format_pax_restricted(a);
	if (bomb)
		archive_write_add_filter_gzip(a);
	if (archive_write_open_filename(a, path) != ARCHIVE_OK)
		rc = -1;
	for (i = 0; !rc && i < M365F__ARRAY_LEN(m); i++) {
		if (bomb && i)
			break;
		archive_entry_clear(e);
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_filetype(e, (unsigned int)m[i].type);
		archive_entry_set_perm(e, 0644);
		if (m[i].link) {
			archive_entry_set_symlink(e, m[i].link);
			archive_entry_set_size(e, 0);
			archive_write_header(a, e);
			continue;
		}
		archive_entry_set_size(e, bomb ? (la_int64_t)bomb
					       : (la_int64_t)strlen(member_json));
		archive_write_header(a, e);
		if (bomb) {
			/* one JSON record that never ends: sniffed as JSON,
			 * then read until the ratio check stops it */
			static char zeros[65536];
			static const char head[] = "[{\"Id\":\"";
			size_t left = bomb - (sizeof(head) - 1);

			memset(zeros, 'A', sizeof(zeros));
			archive_write_data(a, head, sizeof(head) - 1);
			while (left) {
				size_t k = left < sizeof(zeros) ? left
								: sizeof(zeros);

				archive_write_data(a, zeros, k);
				left -= k;
			}
		} else {
			archive_write_data(a, member_json, strlen(member_json));
		}
	}
	archive_entry_free(e);
	if (archive_write_close(a) != ARCHIVE_OK)
		rc = -1;
	archive_write_free(a);
	return rc;
}

typedef struct {
	int ingested, skipped, failed;
	char member_sha[65], archive_sha[65];
	char last_error[256];
} seen;

static int on_source(const m365f_source_summary *s, void *payload)
{
	seen *x = payload;

	if (s->status == M365F_SOURCE_INGESTED) {
		x->ingested++;
		if (!strcmp(s->product, "archive"))
			snprintf(x->archive_sha, sizeof(x->archive_sha), "%s",
				 s->sha256);
		else
			snprintf(x->member_sha, sizeof(x->member_sha), "%s",
				 s->sha256);
	} else if (s->status == M365F_SOURCE_SKIPPED) {
		x->skipped++;
	} else {
		x->failed++;
		if (s->error)
			snprintf(x->last_error, sizeof(x->last_error), "%s",
				 s->error->text);
	}
	return 0;
}

static int count_rows(const m365f_row *r, void *payload)
{
	M365F__UNUSED(r);
	(*(int *)payload)++;
	return 0;
}

static void test_tar(const char *dir)
{
	char tar[512], db[512], want[65];
	m365f_ingest_options o = M365F_INGEST_OPTIONS_INIT;
	m365f_case *c = NULL;
	m365f_error err;
	seen x;
	int n = 0;

	snprintf(tar, sizeof(tar), "%s/b.tar", dir);
	snprintf(db, sizeof(db), "%s/b.db", dir);
	CHECK(make_tar(tar, 0) == 0);
	CHECK_RC(m365f_case_open(&c, db, M365F_OPEN_CREATE, &err), M365F_OK);
	if (!c)
		return;
	memset(&x, 0, sizeof(x));
	o.source_cb = on_source;
	o.payload = &x;
	CHECK_RC(m365f_ingest_path(c, tar, &o, &err), M365F_OK);
	CHECK_INT(x.ingested, 2);     /* the member and the archive */
	CHECK_INT(x.skipped, 2);      /* "..", the link; hidden is silent */
	CHECK_INT(x.failed, 0);
	hex_of(member_json, strlen(member_json), want);
	CHECK_STR(x.member_sha, want);
	hex_of_file(tar, want);
	CHECK_STR(x.archive_sha, want);
	CHECK_RC(m365f_sql(c, "SELECT 1 FROM sources WHERE path LIKE"
			      " '%b.tar!/logs/ual.jsonl'",
			   0, count_rows, &n, &err),
		 M365F_OK);
	CHECK_INT(n, 1);
	n = 0;
	CHECK_RC(m365f_sql(c, "SELECT 1 FROM events", 0, count_rows, &n,
			   &err),
		 M365F_OK);
	CHECK_INT(n, 1);
	/* the same archive again adds nothing */
	memset(&x, 0, sizeof(x));
	CHECK_RC(m365f_ingest_path(c, tar, &o, &err), M365F_OK);
	CHECK_INT(x.ingested, 0);
	m365f_case_free(c);
	unlink(db);
	unlink(tar);
}

static void test_bomb(const char *dir)
{
	char tgz[512];
	m365f_ingest_options o = M365F_INGEST_OPTIONS_INIT;
	m365f_case *c = NULL;
	m365f_error err;
	seen x;

	snprintf(tgz, sizeof(tgz), "%s/bomb.tar.gz", dir);
	/* 24 MiB of one letter packs into a few dozen KiB */
	CHECK(make_tar(tgz, (size_t)24 << 20) == 0);
	CHECK_RC(m365f_case_open(&c, ":memory:", M365F_OPEN_CREATE, &err),
		 M365F_OK);
	if (!c)
		return;
	memset(&x, 0, sizeof(x));
	o.source_cb = on_source;
	o.payload = &x;
	o.max_ratio = 50;
	CHECK_RC(m365f_ingest_path(c, tgz, &o, &err), M365F_OK);
	CHECK_INT(x.failed, 1);
	CHECK(strstr(x.last_error, "ratio") != NULL);
	m365f_case_free(c);
	unlink(tgz);
}

static void test_triage(const char *dir)
{
	const char *bundles[] = { TESTDATA("bundles/clean"),
				  TESTDATA("bundles/compromised.zip"),
				  TESTDATA("bundles/broken.tar.gz"),
				  TESTDATA("bundles/clean-copy.tar.gz") };
	m365f_triage_options o = M365F_TRIAGE_OPTIONS_INIT;
	m365f_triage_result *r = NULL;
	m365f_error err;
	char out[512];
	size_t i;

	snprintf(out, sizeof(out), "%s/cases", dir);
	o.out_dir = out;
	o.jobs = 3;
	CHECK_RC(m365f_triage(&r, bundles, 4, &o, &err), M365F_OK);
	if (!r)
		return;
	CHECK_INT(r[0].status, M365F_OK);
	CHECK_INT(r[0].stored, 5);
	CHECK_INT(r[1].status, M365F_OK);
	CHECK_INT(r[1].stored, 7);
	CHECK_INT(r[1].skipped, 3);
	/* the built-in detectors ran: the forwarding rule is high */
	CHECK(r[1].max_severity >= 3);
	CHECK(strstr(r[1].users, "noah.berg@") != NULL);
	CHECK_INT(r[0].max_severity, -1);
	CHECK(r[2].status != M365F_OK);
	CHECK(strstr(r[2].error.text, "archive") != NULL);
	CHECK_INT(r[3].stored, 5);
	CHECK(r[3].first_ms == r[0].first_ms && r[3].first_ms > 0);
	for (i = 0; i < 4; i++) {
		CHECK(r[i].case_path != NULL &&
		      !strncmp(r[i].case_path, out, strlen(out)));
		if (r[i].case_path)
			unlink(r[i].case_path);
	}
	{
		char j[600];

		snprintf(j, sizeof(j), "%s/compromised.zip.case.db-journal",
			 out);
		unlink(j);
		snprintf(j, sizeof(j), "%s/clean.case.db-journal", out);
		unlink(j);
		snprintf(j, sizeof(j), "%s/clean-copy.tar.gz.case.db-journal",
			 out);
		unlink(j);
		snprintf(j, sizeof(j), "%s/broken.tar.gz.case.db-journal",
			 out);
		unlink(j);
	}
	rmdir(out);
	m365f_triage_free(r, 4);
	/* bad options are refused before any work */
	o.version = 99;
	CHECK_RC(m365f_triage(&r, bundles, 1, &o, &err), M365F_EVERSION);
}

int main(void)
{
	char dir[] = "/tmp/m365f-archive-XXXXXX";

	if (!mkdtemp(dir))
		return 99;
	test_tar(dir);
	test_bomb(dir);
	test_triage(dir);
	rmdir(dir);
	TEST_DONE();
}
