/* SPDX-License-Identifier: MIT */
/*
 * input.c - evidence input: read-only open, SHA-256 of the stored bytes
 * while reading (one pass), gzip (zlib, concatenated members), BOM
 * detection, UTF-16LE/BE and Windows-1252 transcoding to UTF-8 (iconv).
 * Decompressed size and ratio are capped.
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>
#include <zlib.h>

#include "m365f-private.h"

#define RAW_CHUNK (1u << 20)
#define DEFAULT_MAX_INPUT (1ULL << 40)
#define DEFAULT_MAX_RATIO 1000u

struct m365f__input {
	char *name;
	int fd;                 /* -1 for buffers */
	const unsigned char *mem; /* buffer input */
	m365f__input_read_fn readfn; /* reader input (archive members) */
	void *readctx;
	size_t memlen, mempos;
	bool raw_eof;
	uint64_t total;         /* file size when known */
	uint64_t consumed;      /* stored bytes read */
	struct sha256_ctx sha;
	unsigned char *raw;     /* RAW_CHUNK */
	size_t raw_len, raw_pos;

	/* gzip */
	bool gzip, z_init, z_end;
	z_stream z;
	unsigned char *inflated; /* RAW_CHUNK */

	/* decoded output */
	int enc;                /* 0 utf-8, 1 utf-8-bom, 2 utf-16le,
				   3 utf-16be, 4 windows-1252 */
	bool enc_known;
	iconv_t cd;
	unsigned char carry[8]; /* partial code unit between chunks */
	size_t ncarry;
	uint64_t decoded;       /* decompressed bytes produced */
	uint64_t max_input;
	unsigned int max_ratio;

	m365f__buf chunk;       /* decoded bytes not yet handed out */
	size_t chunk_pos;
	bool out_eof;
	bool failed;
	m365f_error fail;
};

static const char *enc_names[] = { "utf-8", "utf-8-bom", "utf-16le",
				   "utf-16be", "windows-1252" };

static int in_fail(m365f__input *in, m365f_error *err, int code,
		   const char *msg)
{
	in->failed = true;
	m365f__error_clear(&in->fail);
	m365f__error_source(&in->fail, in->name);
	m365f__error_set(&in->fail, code, "%s", msg);
	if (err) {
		*err = in->fail;
	}
	return code;
}

static int setup(m365f__input **out, const char *name,
		 const m365f_ingest_options *opts)
{
	m365f__input *in = calloc(1, sizeof(*in));

	if (!in)
		return M365F_ENOMEM;
	in->fd = -1;
	in->cd = (iconv_t)-1;
	in->name = m365f__strndup(name, strlen(name));
	in->raw = malloc(RAW_CHUNK);
	if (!in->name || !in->raw) {
		m365f__input_free(in);
		return M365F_ENOMEM;
	}
	sha256_init(&in->sha);
	in->max_input = opts && opts->max_input_bytes ? opts->max_input_bytes
						      : DEFAULT_MAX_INPUT;
	in->max_ratio = opts && opts->max_ratio ? opts->max_ratio
						: DEFAULT_MAX_RATIO;
	m365f__buf_init(&in->chunk, 0);
	*out = in;
	return M365F_OK;
}

int m365f__input_open_file(m365f__input **out, const char *path,
			   const m365f_ingest_options *opts, m365f_error *err)
{
	m365f__input *in;
	struct stat st;
	int rc;

	rc = setup(&in, path, opts);
	if (rc)
		return m365f__error_set(err, rc, "out of memory");
	/* O_NONBLOCK: a FIFO put in place of a file must not hang the open
	 * (it is refused below); regular files ignore the flag */
	in->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (in->fd < 0) {
		m365f__error_source(err, path);
		m365f__error_set(err, M365F_EIO, "cannot open: %s",
				 strerror(errno));
		m365f__input_free(in);
		return M365F_EIO;
	}
	if (fstat(in->fd, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			m365f__error_source(err, path);
			m365f__error_set(err, M365F_EIO, "not a regular file");
			m365f__input_free(in);
			return M365F_EIO;
		}
		in->total = (uint64_t)st.st_size;
	}
	*out = in;
	return M365F_OK;
}

int m365f__input_open_buffer(m365f__input **out, const char *name,
			     const void *buf, size_t len,
			     const m365f_ingest_options *opts,
			     m365f_error *err)
{
	m365f__input *in;
	int rc = setup(&in, name, opts);

	if (rc)
		return m365f__error_set(err, rc, "out of memory");
	in->mem = buf;
	in->memlen = len;
	in->total = len;
	*out = in;
	return M365F_OK;
}

int m365f__input_open_reader(m365f__input **out, const char *name,
			     m365f__input_read_fn fn, void *ctx,
			     uint64_t total, const m365f_ingest_options *opts,
			     m365f_error *err)
{
	m365f__input *in;
	int rc = setup(&in, name, opts);

	if (rc)
		return m365f__error_set(err, rc, "out of memory");
	in->readfn = fn;
	in->readctx = ctx;
	in->total = total;
	*out = in;
	return M365F_OK;
}

/* Read stored bytes into in->raw; hash them. */
static int fill_raw(m365f__input *in, m365f_error *err)
{
	size_t n;

	in->raw_pos = 0;
	in->raw_len = 0;
	if (in->raw_eof)
		return M365F_OK;
	if (in->fd >= 0) {
		ssize_t r;

		do
			r = read(in->fd, in->raw, RAW_CHUNK);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			char msg[160];

			snprintf(msg, sizeof(msg), "read failed: %s",
				 strerror(errno));
			return in_fail(in, err, M365F_EIO, msg);
		}
		n = (size_t)r;
	} else if (in->readfn) {
		char msg[200] = "";
		long r = in->readfn(in->readctx, in->raw, RAW_CHUNK, msg,
				    sizeof(msg));

		if (r < 0)
			return in_fail(in, err, r < -1 ? (int)r : M365F_EIO,
				       msg[0] ? msg : "read failed");
		n = (size_t)r;
	} else {
		n = in->memlen - in->mempos;
		if (n > RAW_CHUNK)
			n = RAW_CHUNK;
		memcpy(in->raw, in->mem + in->mempos, n);
		in->mempos += n;
	}
	if (n == 0) {
		in->raw_eof = true;
		return M365F_OK;
	}
	sha256_update(&in->sha, n, in->raw);
	in->consumed += n;
	in->raw_len = n;
	return M365F_OK;
}

/* Produce the next run of decompressed bytes: *p, *n (0 = end). */
static int next_plain(m365f__input *in, const unsigned char **p, size_t *n,
		      m365f_error *err)
{
	int rc;

	*n = 0;
	if (in->raw_pos >= in->raw_len) {
		rc = fill_raw(in, err);
		if (rc)
			return rc;
	}
	if (!in->z_init && in->raw_len && in->consumed == in->raw_len &&
	    in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		in->gzip = true;
		memset(&in->z, 0, sizeof(in->z));
		if (inflateInit2(&in->z, 15 + 16) != Z_OK)
			return in_fail(in, err, M365F_ENOMEM,
				       "cannot start gzip decoder");
		in->z_init = true;
		in->inflated = malloc(RAW_CHUNK);
		if (!in->inflated)
			return in_fail(in, err, M365F_ENOMEM, "out of memory");
	}
	if (!in->gzip) {
		*p = in->raw + in->raw_pos;
		*n = in->raw_len - in->raw_pos;
		in->raw_pos = in->raw_len;
		goto account;
	}
	for (;;) {
		int zr;

		if (in->z_end) {
			/* another member may follow (concatenated gzip) */
			if (in->raw_pos >= in->raw_len) {
				rc = fill_raw(in, err);
				if (rc)
					return rc;
				if (!in->raw_len)
					return M365F_OK;
			}
			inflateReset(&in->z);
			in->z_end = false;
		}
		if (in->raw_pos >= in->raw_len) {
			rc = fill_raw(in, err);
			if (rc)
				return rc;
			if (!in->raw_len)
				return in_fail(in, err, M365F_EPARSE,
					       "gzip stream cut short");
		}
		in->z.next_in = in->raw + in->raw_pos;
		in->z.avail_in = (uInt)(in->raw_len - in->raw_pos);
		in->z.next_out = in->inflated;
		in->z.avail_out = RAW_CHUNK;
		zr = inflate(&in->z, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - in->z.avail_in;
		if (zr == Z_STREAM_END)
			in->z_end = true;
		else if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT) {
			char msg[160];

			snprintf(msg, sizeof(msg), "gzip data error: %s",
				 in->z.msg ? in->z.msg : "corrupt stream");
			return in_fail(in, err, M365F_EPARSE, msg);
		} else if (zr == Z_MEM_ERROR)
			return in_fail(in, err, M365F_ENOMEM, "out of memory");
		*n = RAW_CHUNK - in->z.avail_out;
		*p = in->inflated;
		if (*n)
			break;
		if (in->z_end)
			continue;
	}
account:
	in->decoded += *n;
	if (in->decoded > in->max_input)
		return in_fail(in, err, M365F_ELIMIT,
			       "decompressed size over the limit");
	if (in->gzip && in->decoded > (uint64_t)16 << 20 &&
	    in->decoded / (in->consumed ? in->consumed : 1) > in->max_ratio)
		return in_fail(in, err, M365F_ELIMIT,
			       "compression ratio over the limit (gzip bomb?)");
	return M365F_OK;
}

static bool valid_utf8(const unsigned char *s, size_t n, bool at_eof)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			k = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			k = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			k = 3;
		else
			return false;
		if (i + k >= n) {
			/* cut by the window: fine if more follows, invalid
			 * at the end of the input */
			return !at_eof;
		}
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
		i += k + 1;
	}
	return true;
}

/* Have all stored bytes been read and decompressed? (A short file is
 * read whole by the first read, before any read returns 0.) */
static bool all_read(const m365f__input *in)
{
	if (in->raw_eof)
		return true;
	if (!in->total || in->consumed < in->total ||
	    in->raw_pos < in->raw_len)
		return false;
	return !in->gzip || in->z_end;
}

/* Append decoded (UTF-8) text from plain bytes to the chunk buffer. */
static int decode(m365f__input *in, const unsigned char *p, size_t n,
		  m365f_error *err)
{
	if (!in->enc_known) {
		/* first bytes decide: BOM, or NULs in UTF-16 text */
		if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
			in->enc = 1;
			p += 3, n -= 3;
		} else if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
			in->enc = 2;
			p += 2, n -= 2;
		} else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
			in->enc = 3;
			p += 2, n -= 2;
		} else if (n >= 4 && p[0] && !p[1] && p[2] && !p[3]) {
			in->enc = 2; /* UTF-16LE without BOM */
		} else if (n >= 4 && !p[0] && p[1] && !p[2] && p[3]) {
			in->enc = 3;
		} else if (!valid_utf8(p, n < 65536 ? n : 65536,
				       n < 65536 && all_read(in))) {
			in->enc = 4;
		}
		in->enc_known = true;
		if (in->enc >= 2) {
			static const char *from[] = { "", "", "UTF-16LE",
						      "UTF-16BE",
						      "WINDOWS-1252" };

			in->cd = iconv_open("UTF-8", from[in->enc]);
			if (in->cd == (iconv_t)-1)
				return in_fail(in, err, M365F_ERROR,
					       "no iconv converter");
		}
	}
	if (in->enc < 2)
		return m365f__buf_append(&in->chunk, p, n) ?
			in_fail(in, err, M365F_ENOMEM, "out of memory") : 0;

	/* iconv: keep an incomplete code unit for the next chunk */
	{
		unsigned char *src;
		size_t srclen = in->ncarry + n;
		m365f__buf tmp;
		char *ip;
		size_t il;

		m365f__buf_init(&tmp, 0);
		if (m365f__buf_append(&tmp, in->carry, in->ncarry) ||
		    m365f__buf_append(&tmp, p, n)) {
			m365f__buf_free(&tmp);
			return in_fail(in, err, M365F_ENOMEM, "out of memory");
		}
		src = (unsigned char *)tmp.data;
		ip = (char *)src;
		il = srclen;
		in->ncarry = 0;
		while (il) {
			char *op;
			size_t ol, before;
			size_t r;

			if (m365f__buf_reserve(&in->chunk, il * 2 + 16)) {
				m365f__buf_free(&tmp);
				return in_fail(in, err, M365F_ENOMEM,
					       "out of memory");
			}
			before = in->chunk.len;
			op = in->chunk.data + before;
			ol = in->chunk.cap - before - 1;
			r = iconv(in->cd, &ip, &il, &op, &ol);
			in->chunk.len = (size_t)(op - in->chunk.data);
			in->chunk.data[in->chunk.len] = '\0';
			if (r != (size_t)-1)
				break;
			if (errno == E2BIG)
				continue;
			if (errno == EINVAL && il < sizeof(in->carry)) {
				memcpy(in->carry, ip, il);
				in->ncarry = il;
				break;
			}
			/* invalid sequence: U+FFFD and skip one unit */
			if (m365f__buf_append(&in->chunk, "\xEF\xBF\xBD", 3)) {
				m365f__buf_free(&tmp);
				return in_fail(in, err, M365F_ENOMEM,
					       "out of memory");
			}
			{
				size_t skip = in->enc == 4 ? 1 : 2;

				if (skip > il)
					skip = il;
				ip += skip;
				il -= skip;
			}
		}
		m365f__buf_free(&tmp);
	}
	return M365F_OK;
}

/* Decode more input into the chunk buffer; sets out_eof at the end. */
static int more(m365f__input *in, m365f_error *err)
{
	const unsigned char *p;
	size_t n;
	int rc;

	if (in->failed) {
		if (err)
			*err = in->fail;
		return in->fail.code;
	}
	rc = next_plain(in, &p, &n, err);
	if (rc)
		return rc;
	if (n == 0) {
		if (in->ncarry) {
			in->ncarry = 0;
			if (m365f__buf_append(&in->chunk, "\xEF\xBF\xBD", 3))
				return in_fail(in, err, M365F_ENOMEM,
					       "out of memory");
		}
		in->out_eof = true;
		return M365F_OK;
	}
	return decode(in, p, n, err);
}

int m365f__input_peek(m365f__input *in, const char **p, size_t *got,
		      size_t n, m365f_error *err)
{
	int rc;

	while (in->chunk.len - in->chunk_pos < n && !in->out_eof) {
		rc = more(in, err);
		if (rc)
			return rc;
	}
	*p = in->chunk.data ? in->chunk.data + in->chunk_pos : "";
	*got = in->chunk.len - in->chunk_pos;
	return M365F_OK;
}

int m365f__input_read(m365f__input *in, const char **p, size_t *len,
		      m365f_error *err)
{
	int rc;

	if (in->chunk_pos >= in->chunk.len) {
		m365f__buf_reset(&in->chunk);
		in->chunk_pos = 0;
		while (!in->chunk.len && !in->out_eof) {
			rc = more(in, err);
			if (rc)
				return rc;
		}
	}
	*p = in->chunk.data ? in->chunk.data + in->chunk_pos : "";
	*len = in->chunk.len - in->chunk_pos;
	in->chunk_pos = in->chunk.len;
	return M365F_OK;
}

int m365f__input_finish(m365f__input *in, char hex[65], m365f_error *err)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	int i;

	/* hash every stored byte even if the reader stopped early */
	while (!in->raw_eof) {
		int rc;

		in->raw_pos = in->raw_len;
		rc = fill_raw(in, err);
		if (rc)
			return rc;
	}
	sha256_digest(&in->sha, sizeof(d), d);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return M365F_OK;
}

const char *m365f__input_name(const m365f__input *in)
{
	return in->name;
}

const char *m365f__input_encoding(const m365f__input *in)
{
	return enc_names[in->enc];
}

bool m365f__input_gzip(const m365f__input *in)
{
	return in->gzip;
}

uint64_t m365f__input_size(const m365f__input *in)
{
	return in->consumed;
}

uint64_t m365f__input_total(const m365f__input *in)
{
	return in->total;
}

uint64_t m365f__input_consumed(const m365f__input *in)
{
	return in->consumed;
}

void m365f__input_free(m365f__input *in)
{
	if (!in)
		return;
	if (in->fd >= 0)
		close(in->fd);
	if (in->z_init)
		inflateEnd(&in->z);
	if (in->cd != (iconv_t)-1)
		iconv_close(in->cd);
	m365f__buf_free(&in->chunk);
	free(in->inflated);
	free(in->raw);
	free(in->name);
	free(in);
}
