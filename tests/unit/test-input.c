/* SPDX-License-Identifier: MIT */
/* test-input.c - evidence input: encodings, gzip, caps, SHA-256 of the
 * stored bytes. */
#include <nettle/sha2.h>
#include <zlib.h>

#include "m365f-private.h"
#include "test.h"

#define MIB (1u << 20)
/* a string literal as (bytes, length) */
#define S(lit) (lit), (sizeof(lit) - 1)

typedef struct {
	int rc;
	m365f_error err;
	m365f__buf text;
	char enc[32];
	bool gzip;
	char sha[65];
} result;

/* Decode a whole buffer; the result's text is what the readers see. */
static void run(const void *buf, size_t len, const m365f_ingest_options *o,
		result *r)
{
	m365f__input *in = NULL;
	const char *p;
	size_t n;

	memset(r, 0, sizeof(*r));
	m365f__buf_init(&r->text, 0);
	r->rc = m365f__input_open_buffer(&in, "mem", buf, len, o, &r->err);
	if (r->rc)
		return;
	for (;;) {
		r->rc = m365f__input_read(in, &p, &n, &r->err);
		if (r->rc || !n)
			break;
		m365f__buf_append(&r->text, p, n);
	}
	if (!r->rc)
		r->rc = m365f__input_finish(in, r->sha, &r->err);
	snprintf(r->enc, sizeof(r->enc), "%s", m365f__input_encoding(in));
	r->gzip = m365f__input_gzip(in);
	m365f__input_free(in);
}

static void done(result *r)
{
	m365f__buf_free(&r->text);
}

static const char *text(result *r)
{
	return m365f__buf_cstr(&r->text);
}

static void sha_hex(const void *p, size_t n, char hex[65])
{
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_SIZE];
	int i;

	sha256_init(&c);
	sha256_update(&c, n, p);
	sha256_digest(&c, sizeof(d), d);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* gzip one member; caller frees */
static unsigned char *gz(const void *p, size_t n, size_t *outlen)
{
	z_stream z;
	unsigned char *out;
	size_t cap = n + n / 100 + 1024;

	memset(&z, 0, sizeof(z));
	out = malloc(cap);
	if (!out || deflateInit2(&z, 6, Z_DEFLATED, 31, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

static void test_utf8_and_bom(void)
{
	result r;

	run("a,b\r\nc,d\r\n", 10, NULL, &r);
	CHECK_RC(r.rc, M365F_OK);
	CHECK_STR(text(&r), "a,b\r\nc,d\r\n");
	CHECK_STR(r.enc, "utf-8");
	CHECK(!r.gzip);
	done(&r);
	run("\xEF\xBB\xBFx\xC3\xA9", 6, NULL, &r);
	CHECK_STR(text(&r), "x\xC3\xA9");
	CHECK_STR(r.enc, "utf-8-bom");
	done(&r);
	/* the SHA-256 is over the stored bytes, BOM included */
	run("abc", 3, NULL, &r);
	CHECK_STR(r.sha, "ba7816bf8f01cfea414140de5dae2223"
			 "b00361a396177a9cb410ff61f20015ad");
	done(&r);
	run("", 0, NULL, &r);
	CHECK_RC(r.rc, M365F_OK);
	CHECK_STR(text(&r), "");
	CHECK_STR(r.sha, "e3b0c44298fc1c149afbf4c8996fb924"
			 "27ae41e4649b934ca495991b7852b855");
	done(&r);
}

static void test_utf16(void)
{
	result r;

	run("\xFF\xFEh\0i\0\xE9\0\r\0\n\0", 12, NULL, &r);
	CHECK_STR(text(&r), "hi\xC3\xA9\r\n");
	CHECK_STR(r.enc, "utf-16le");
	done(&r);
	run("\xFE\xFF\0h\0i\0\xE9", 8, NULL, &r);
	CHECK_STR(text(&r), "hi\xC3\xA9");
	CHECK_STR(r.enc, "utf-16be");
	done(&r);
	/* without a BOM: NUL bytes in every other place */
	run("{\0\"\0a\0\"\0", 8, NULL, &r);
	CHECK_STR(text(&r), "{\"a\"");
	CHECK_STR(r.enc, "utf-16le");
	done(&r);
	run("\0{\0\"\0a\0\"", 8, NULL, &r);
	CHECK_STR(text(&r), "{\"a\"");
	CHECK_STR(r.enc, "utf-16be");
	done(&r);
	/* a lone high surrogate at the end becomes U+FFFD, nothing lost */
	run("\xFF\xFEx\0\x3D\xD8", 6, NULL, &r);
	CHECK_STR(text(&r), "x\xEF\xBF\xBD");
	done(&r);
}

/* A surrogate pair cut by the 1 MiB read boundary is joined again. */
static void test_utf16_chunk_boundary(void)
{
	size_t units = (MIB - 2) / 2 - 1, len = 2 + units * 2 + 4 + 2, i;
	unsigned char *b = malloc(len);
	result r;

	if (!b) {
		test_failures++;
		return;
	}
	b[0] = 0xFF;
	b[1] = 0xFE;
	for (i = 0; i < units; i++) {
		b[2 + 2 * i] = 'a';
		b[3 + 2 * i] = 0;
	}
	/* U+1F600 = D83D DE00; its first unit ends at byte MIB */
	memcpy(b + 2 + units * 2, "\x3D\xD8\x00\xDE", 4);
	memcpy(b + 2 + units * 2 + 4, "z\0", 2);
	CHECK_INT(2 + units * 2 + 2, MIB);
	run(b, len, NULL, &r);
	CHECK_RC(r.rc, M365F_OK);
	CHECK_INT(r.text.len, units + 4 + 1);
	CHECK(r.text.len == units + 5 &&
	      !memcmp(r.text.data + units, "\xF0\x9F\x98\x80z", 5));
	done(&r);
	free(b);
}

static void test_cp1252(void)
{
	result r;

	/* Excel "CSV": bytes that are not UTF-8 are Windows-1252 */
	run(S("name\r\nCaf\xE9 \x80 \x93x\x94\r\n"), NULL, &r);
	CHECK_STR(r.enc, "windows-1252");
	CHECK_STR(text(&r), "name\r\nCaf\xC3\xA9 \xE2\x82\xAC "
			    "\xE2\x80\x9Cx\xE2\x80\x9D\r\n");
	done(&r);
	/* the only non-UTF-8 byte is the last one of the file */
	run(S("a,b\nCaf\xE9"), NULL, &r);
	CHECK_STR(r.enc, "windows-1252");
	CHECK_STR(text(&r), "a,b\nCaf\xC3\xA9");
	done(&r);
	/* a UTF-8 sequence that ends the file is still UTF-8 */
	run(S("a,b\nCaf\xC3\xA9"), NULL, &r);
	CHECK_STR(r.enc, "utf-8");
	done(&r);
}

static void test_gzip(void)
{
	static const char body[] = "{\"CreationTime\":\"2026-03-05T02:11:04\"}\n";
	size_t n1, n2;
	unsigned char *g1 = gz(body, strlen(body), &n1);
	unsigned char *g2 = gz("second\n", 7, &n2);
	unsigned char *both = malloc(n1 + n2);
	char want[65];
	result r;

	if (!g1 || !g2 || !both) {
		test_failures++;
		goto out;
	}
	run(g1, n1, NULL, &r);
	CHECK_RC(r.rc, M365F_OK);
	CHECK_STR(text(&r), body);
	CHECK(r.gzip);
	sha_hex(g1, n1, want);
	CHECK_STR(r.sha, want); /* of the .gz bytes, not the content */
	done(&r);
	/* concatenated members are one stream */
	memcpy(both, g1, n1);
	memcpy(both + n1, g2, n2);
	run(both, n1 + n2, NULL, &r);
	CHECK_RC(r.rc, M365F_OK);
	CHECK_INT(r.text.len, strlen(body) + 7);
	CHECK(!strcmp(text(&r) + strlen(body), "second\n"));
	done(&r);
	/* cut short: an error, not a silent end */
	run(g1, n1 - 9, NULL, &r);
	CHECK_RC(r.rc, M365F_EPARSE);
	CHECK_STR(r.err.text, "gzip stream cut short");
	CHECK_STR(r.err.source, "mem");
	done(&r);
	/* damaged data */
	memcpy(both, g1, n1);
	memset(both + 12, 0xFF, 6);
	run(both, n1, NULL, &r);
	CHECK_RC(r.rc, M365F_EPARSE);
	CHECK(!strncmp(r.err.text, "gzip data error", 15));
	done(&r);
	/* gzip of UTF-16LE text */
	free(g2);
	g2 = gz("\xFF\xFEo\0k\0", 6, &n2);
	run(g2, n2, NULL, &r);
	CHECK_STR(text(&r), "ok");
	CHECK_STR(r.enc, "utf-16le");
	CHECK(r.gzip);
	done(&r);
out:
	free(g1);
	free(g2);
	free(both);
}

static void test_caps(void)
{
	m365f_ingest_options o = M365F_INGEST_OPTIONS_INIT;
	size_t big = 17 * MIB, n;
	char *plain = malloc(big);
	unsigned char *g;
	result r;

	if (!plain) {
		test_failures++;
		return;
	}
	memset(plain, 'a', big);
	g = gz(plain, big, &n);
	if (!g) {
		free(plain);
		test_failures++;
		return;
	}
	/* a gzip bomb: decompressed/compressed over the ratio cap */
	o.max_ratio = 10;
	run(g, n, &o, &r);
	CHECK_RC(r.rc, M365F_ELIMIT);
	CHECK(strstr(r.err.text, "compression ratio") != NULL);
	done(&r);
	/* the default cap (1000) lets ordinary text through */
	run(g, n, NULL, &r);
	CHECK_RC(r.rc, n * 1000 < big ? M365F_ELIMIT : M365F_OK);
	done(&r);
	/* decompressed bytes over max_input_bytes */
	o.max_ratio = 0;
	o.max_input_bytes = 100;
	run(plain, 1000, &o, &r);
	CHECK_RC(r.rc, M365F_ELIMIT);
	CHECK_STR(r.err.text, "decompressed size over the limit");
	done(&r);
	free(g);
	free(plain);
}

static void test_peek_and_files(void)
{
	m365f__input *in = NULL;
	m365f_error err;
	const char *p;
	size_t n;
	char hex[65];

	CHECK_RC(m365f__input_open_buffer(&in, "b", "hello world", 11, NULL,
					  &err),
		 M365F_OK);
	CHECK_RC(m365f__input_peek(in, &p, &n, 5, &err), M365F_OK);
	CHECK(n >= 5 && !memcmp(p, "hello", 5));
	CHECK_RC(m365f__input_read(in, &p, &n, &err), M365F_OK);
	CHECK(n == 11 && !memcmp(p, "hello world", 11));
	/* finish after a partial read still hashes every byte */
	CHECK_RC(m365f__input_finish(in, hex, &err), M365F_OK);
	CHECK_STR(hex, "b94d27b9934d3e08a52e52d7da7dabfa"
		       "c484efe37a5380ee9088f7ace2efcde9");
	CHECK_INT(m365f__input_size(in), 11);
	m365f__input_free(in);

	CHECK_RC(m365f__input_open_file(&in, "no/such/file.csv", NULL, &err),
		 M365F_EIO);
	CHECK(!strncmp(err.text, "cannot open:", 12));
	CHECK_STR(err.source, "no/such/file.csv");
	CHECK_RC(m365f__input_open_file(&in, ".", NULL, &err), M365F_EIO);
	CHECK_STR(err.text, "not a regular file");
	CHECK_RC(m365f__input_open_file(&in, TESTDATA("ual/auditdata.jsonl.gz"),
					NULL, &err),
		 M365F_OK);
	CHECK_RC(m365f__input_peek(in, &p, &n, 16, &err), M365F_OK);
	CHECK(n >= 16 && !memcmp(p, "{\"CreationTime\":", 16));
	CHECK(m365f__input_gzip(in));
	m365f__input_free(in);
}

int main(void)
{
	test_utf8_and_bom();
	test_utf16();
	test_utf16_chunk_boundary();
	test_cp1252();
	test_gzip();
	test_caps();
	test_peek_and_files();
	TEST_DONE();
}
