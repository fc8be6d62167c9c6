/* SPDX-License-Identifier: MIT */
/*
 * csvread.c - CSV exports through libcsv, with physical line numbers.
 * libcsv reports no positions, so the input is fed one physical line at a
 * time: a record's last line is the line being fed when it ends, and its
 * first line is that minus the newlines inside its fields. A "#TYPE" first
 * line (Windows PowerShell Export-Csv) is skipped.
 *
 * Reading and tokenizing run on a worker thread (a producing pipe,
 * pipeline.c): it serializes each record, with its position and raw
 * bytes, and the calling thread takes them in order and hands them to the
 * format, so rejects, progress and the format's state stay on the caller.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "m365f-private.h"

#define MAX_FIELDS 100000

/* The tokenizer, on the worker thread. */
typedef struct {
	m365f__input *in;
	m365f__pipe *pipe;
	size_t max_record;
	unsigned char opts;     /* libcsv options */
	/* current record: its message is built in the batch as the fields
	 * come (no copy in between), its raw bytes on the side */
	bool msg_open;
	size_t msg_start;       /* offset of its message in the batch */
	size_t fields_start;    /* of its first field there */
	size_t field_bytes;     /* counted against the record limit */
	size_t nfields;
	bool too_big, too_many;
	unsigned long nl_in_record;
	/* raw bytes of the record and where it starts */
	m365f__buf raw;
	uint64_t rec_offset;
	bool rec_started;
	bool have_header;       /* a first record was handed over */
	unsigned long line;     /* physical line being fed */
	uint64_t offset;        /* decoded offset of the next byte fed */
	bool stopped;           /* the caller stopped taking records */
} csvtok;

/* Messages from the tokenizer: a record, a partial record to reject, and
 * the end (with the error that ended reading, if any). A record is kind,
 * first line, offset, bytes consumed, flags, field count, the fields and
 * the raw bytes; a partial record has its raw bytes and the reason
 * instead of flags and fields. Counts and texts are u64 + bytes + NUL. */
enum { MSG_RECORD = 'R', MSG_PARTIAL = 'P', MSG_END = 'E' };
enum { REC_TOO_BIG = 1, REC_TOO_MANY = 2 };
#define REC_HEAD (1 + 5 * sizeof(uint64_t))

/* Start the current record's message (its head is filled in at its end). */
static int open_record(csvtok *x)
{
	m365f__buf *b = m365f__pipe_buf(x->pipe);

	if (x->msg_open)
		return M365F_OK;
	x->msg_start = b->len;
	if (m365f__buf_reserve(b, REC_HEAD))
		return M365F_ENOMEM;
	memset(b->data + b->len, 0, REC_HEAD);
	b->data[b->len] = MSG_RECORD;
	b->len += REC_HEAD;
	b->data[b->len] = '\0';
	x->fields_start = b->len;
	x->msg_open = true;
	return M365F_OK;
}

/* Drop what the batch holds past len. */
static void cut_batch(csvtok *x, size_t len)
{
	m365f__buf *b = m365f__pipe_buf(x->pipe);

	b->len = len;
	if (b->data)
		b->data[len] = '\0';
}

static void add_field(void *s, size_t len, void *data)
{
	csvtok *x = data;
	const char *p = s ? s : "", *q = p, *end = p + len;

	while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
		x->nl_in_record++;
		q++;
	}
	if (x->too_big || x->too_many)
		return;
	if (x->nfields >= MAX_FIELDS) {
		x->too_many = true;
		return;
	}
	if (len + 1 > x->max_record + 1024 - x->field_bytes ||
	    open_record(x) ||
	    m365f__put_bytes(m365f__pipe_buf(x->pipe), p, len)) {
		x->too_big = true;
		return;
	}
	x->field_bytes += len + 1;
	x->nfields++;
}

static void normalize_name(const char *in, size_t n, m365f__buf *out)
{
	size_t i = 0;
	bool space = false;

	if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3))
		i = 3;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = out->len > 0;
			continue;
		}
		if (space) {
			m365f__buf_putc(out, ' ');
			space = false;
		}
		m365f__buf_putc(out, (char)(c < 0x80 ? tolower(c) : c));
	}
}

int m365f__csv_header_build(m365f__csv_header *h, size_t n,
			    const char *const *fields, const size_t *lens)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	h->names = calloc(n ? n : 1, sizeof(char *));
	h->raw_names = calloc(n ? n : 1, sizeof(char *));
	if (!h->names || !h->raw_names)
		return M365F_ENOMEM;
	h->ncols = n;
	for (i = 0; i < n; i++) {
		m365f__buf b;

		m365f__buf_init(&b, 4096);
		normalize_name(fields[i], lens[i], &b);
		h->names[i] = m365f__strndup(b.data ? b.data : "", b.len);
		m365f__buf_free(&b);
		h->raw_names[i] = m365f__strndup(fields[i], lens[i]);
		if (!h->names[i] || !h->raw_names[i])
			return M365F_ENOMEM;
	}
	return M365F_OK;
}

void m365f__csv_header_free(m365f__csv_header *h)
{
	size_t i;

	for (i = 0; i < h->ncols; i++) {
		if (h->names)
			free(h->names[i]);
		if (h->raw_names)
			free(h->raw_names[i]);
	}
	free(h->names);
	free(h->raw_names);
	memset(h, 0, sizeof(*h));
}

bool m365f__csv_has(const m365f__csv_header *h, const char *name)
{
	return m365f__csv_col(h, name) >= 0;
}

int m365f__csv_col(const m365f__csv_header *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->ncols; i++)
		if (!strcmp(h->names[i], name))
			return (int)i;
	return -1;
}

/* libcsv grows its field buffer by blk_size through a realloc hook that
 * has no context pointer, so the cap is chosen by picking a hook: one per
 * power-of-two ceiling, the smallest at or above the record limit plus a
 * block. A single huge field then fails with CSV_ETOOBIG at about twice
 * the limit at most, instead of growing with the input. */
#define FIELD_BLOCK ((size_t)64 << 10)
#define CAPPED(k)                                                       \
	static void *capped_##k(void *ptr, size_t n)                    \
	{                                                               \
		return n > ((size_t)1 << (k)) ? NULL : realloc(ptr, n); \
	}
CAPPED(17) CAPPED(18) CAPPED(19) CAPPED(20) CAPPED(21) CAPPED(22)
CAPPED(23) CAPPED(24) CAPPED(25) CAPPED(26) CAPPED(27) CAPPED(28)
CAPPED(29) CAPPED(30) CAPPED(31) CAPPED(32) CAPPED(33) CAPPED(34)
CAPPED(35) CAPPED(36) CAPPED(37) CAPPED(38) CAPPED(39) CAPPED(40)

static void *(*const capped_hooks[])(void *, size_t) = {
	capped_17, capped_18, capped_19, capped_20, capped_21, capped_22,
	capped_23, capped_24, capped_25, capped_26, capped_27, capped_28,
	capped_29, capped_30, capped_31, capped_32, capped_33, capped_34,
	capped_35, capped_36, capped_37, capped_38, capped_39, capped_40,
};

static int parser_init(struct csv_parser *p, unsigned char opts,
		       size_t limit)
{
	unsigned int k = 17;

	if (csv_init(p, opts) != 0)
		return M365F_ENOMEM;
	while (k < 40 && ((size_t)1 << k) < limit + FIELD_BLOCK)
		k++;
	csv_set_realloc_func(p, capped_hooks[k - 17]);
	csv_set_blk_size(p, FIELD_BLOCK);
	return M365F_OK;
}

static void reset_record(csvtok *x)
{
	m365f__buf_reset(&x->raw);
	x->msg_open = false;
	x->field_bytes = 0;
	x->nfields = 0;
	x->too_big = x->too_many = false;
	x->nl_in_record = 0;
	x->rec_started = false;
}

/* The raw bytes of the record read so far, the trailing line break left
 * out. */
static int put_raw(csvtok *x, m365f__buf *b)
{
	size_t len = x->raw.len;

	while (len && (x->raw.data[len - 1] == '\n' ||
		       x->raw.data[len - 1] == '\r'))
		len--;
	return m365f__put_bytes(b, x->raw.data ? x->raw.data : "", len);
}

/* First line, offset and bytes consumed of the record, at p. */
static void fill_head(csvtok *x, char *p)
{
	uint64_t v[3];

	v[0] = x->line > x->nl_in_record ? x->line - x->nl_in_record : 1;
	v[1] = x->rec_offset;
	v[2] = m365f__input_consumed(x->in);
	memcpy(p, v, sizeof(v));
}

/* The message went out (or the batch could not hold it: stop). */
static void sent(csvtok *x, int rc)
{
	if (rc || m365f__pipe_commit(x->pipe))
		x->stopped = true;
}

static void end_record(int c, void *data)
{
	csvtok *x = data;
	m365f__buf *b = m365f__pipe_buf(x->pipe);
	uint64_t v[2];
	int rc;

	M365F__UNUSED(c);
	if (x->stopped)
		return;
	rc = open_record(x);
	if (!rc) {
		if (x->too_big || x->too_many) {
			cut_batch(x, x->fields_start);
			x->nfields = 0;
		}
		fill_head(x, b->data + x->msg_start + 1);
		v[0] = (x->too_big ? REC_TOO_BIG : 0) |
		       (x->too_many ? REC_TOO_MANY : 0);
		v[1] = x->nfields;
		memcpy(b->data + x->msg_start + 1 + 3 * sizeof(uint64_t), v,
		       sizeof(v));
		rc = put_raw(x, b);
	}
	x->have_header = true;
	reset_record(x);
	sent(x, rc);
}

/* The record read so far, to be rejected: a CSV error cut it short. */
static void end_partial(csvtok *x, const char *reason)
{
	m365f__buf *b = m365f__pipe_buf(x->pipe);
	int rc;

	if (x->stopped)
		return;
	if (x->msg_open)
		cut_batch(x, x->msg_start);
	x->msg_open = false;
	rc = m365f__buf_reserve(b, 1 + 3 * sizeof(uint64_t));
	if (!rc) {
		b->data[b->len] = MSG_PARTIAL;
		fill_head(x, b->data + b->len + 1);
		b->len += 1 + 3 * sizeof(uint64_t);
		b->data[b->len] = '\0';
		rc = put_raw(x, b);
	}
	rc |= m365f__put_bytes(b, reason, strlen(reason));
	sent(x, rc);
}

static void end_input(csvtok *x, int code, const m365f_error *e)
{
	m365f__buf *b = m365f__pipe_buf(x->pipe);
	int rc;

	if (x->stopped)
		return;
	rc = m365f__buf_putc(b, MSG_END);
	rc |= m365f__put_u64(b, (uint64_t)(int64_t)code);
	rc |= m365f__buf_append(b, e, sizeof(*e));
	sent(x, rc);
}

static int feed(csvtok *x, struct csv_parser *p, const char *s, size_t n)
{
	size_t used;

	if (!x->rec_started) {
		/* skip blank lines between records */
		size_t i = 0;

		while (i < n && (s[i] == '\r' || s[i] == '\n'))
			i++;
		if (i == n) {
			x->offset += n;
			return 0;
		}
		x->rec_started = true;
		x->rec_offset = x->offset;
	}
	if (x->raw.len + n <= x->max_record)
		m365f__buf_append(&x->raw, s, n);
	else
		x->too_big = true;
	x->offset += n;
	used = csv_parse(p, s, n, add_field, end_record, x);
	if (used != n)
		return csv_error(p);
	return 0;
}

/* The worker: read, tokenize and hand over every record, then the end. */
static void tokenize(void *ctx, m365f__pipe *pipe)
{
	csvtok *x = ctx;
	struct csv_parser p;
	const char *chunk;
	size_t len;
	bool first_line = true, skipping_type = false;
	int rc = M365F_OK, cerr;
	m365f_error e;

	m365f__error_clear(&e);
	x->pipe = pipe;
	if (parser_init(&p, x->opts, x->max_record)) {
		end_input(x, m365f__error_set(&e, M365F_ENOMEM,
					      "out of memory"), &e);
		return;
	}
	for (;;) {
		rc = m365f__input_read(x->in, &chunk, &len, &e);
		if (rc || !len)
			break;
		while (len && !x->stopped) {
			const char *nl = memchr(chunk, '\n', len);
			size_t piece = nl ? (size_t)(nl - chunk) + 1 : len;

			if (first_line) {
				if (len >= 5 && !strncmp(chunk, "#TYPE", 5))
					skipping_type = true;
				first_line = false;
			}
			if (skipping_type) {
				x->offset += piece;
				if (nl) {
					skipping_type = false;
					x->line++;
				}
				chunk += piece;
				len -= piece;
				continue;
			}
			cerr = feed(x, &p, chunk, piece);
			if (cerr) {
				/* malformed quoting (strict) or a field over
				 * the limit: reject what was read of this
				 * record and start again on the next line */
				char why[96];

				/* libcsv reports a refused growth as ENOMEM
				 * or ETOOBIG */
				if (cerr == CSV_ETOOBIG ||
				    (cerr == CSV_ENOMEM &&
				     csv_get_buffer_size(&p) + 2 * FIELD_BLOCK >
					     x->max_record))
					snprintf(why, sizeof(why),
						 "field larger than the limit "
						 "of %zu bytes",
						 x->max_record);
				else
					snprintf(why, sizeof(why), "%s",
						 csv_strerror(cerr));
				if (!x->have_header) {
					rc = m365f__error_set(
						&e, M365F_EFORMAT,
						"CSV header: %s", why);
					goto out;
				}
				end_partial(x, why);
				reset_record(x);
				csv_free(&p);
				if (parser_init(&p, x->opts, x->max_record)) {
					rc = m365f__error_set(&e, M365F_ENOMEM,
							      "out of memory");
					goto out;
				}
			}
			if (nl)
				x->line++;
			chunk += piece;
			len -= piece;
		}
		if (x->stopped)
			break;
	}
	if (!rc && !x->stopped) {
		/* a last record without a final newline */
		if (x->rec_started && x->line > 1 && x->raw.len &&
		    x->raw.data[x->raw.len - 1] != '\n')
			; /* line already points at the last line */
		else if (x->line > 1)
			x->line--;
		cerr = csv_fini(&p, add_field, end_record, x);
		if (cerr)
			end_partial(x, "unterminated quoted field at end of "
				       "file (truncated)");
	}
out:
	end_input(x, rc, &e);
	csv_free(&p);
}

/* ------------------------------------------------- the calling thread */

typedef struct {
	m365f__ingest *ing;
	const m365f__csv_format *fmt;
	void *state;
	bool have_header;
	bool began;
	m365f__csv_header header;
	const char **rowf;     /* the row handed to the format */
	size_t *rowl, rowcap;
	unsigned long recno;
	uint64_t consumed;
	bool ended;
	int rc;                 /* first hard error (database) */
	m365f_error *err;
} csvctx;

typedef struct {
	const char *p, *end;
} msgreader;

/* Where the record a message carries starts, and the bytes consumed. */
static void get_position(csvctx *x, msgreader *r)
{
	m365f__loc *loc = m365f__ingest_loc_mut(x->ing);

	loc->line = (unsigned long)m365f__get_u64(&r->p);
	loc->offset = m365f__get_u64(&r->p);
	x->consumed = m365f__get_u64(&r->p);
}

/* The raw bytes, and the record counted (the header is not). */
static void get_raw(csvctx *x, msgreader *r, bool count)
{
	m365f__loc *loc = m365f__ingest_loc_mut(x->ing);
	size_t len;

	loc->raw = m365f__get_bytes(&r->p, &len);
	loc->length = len;
	if (count) {
		x->recno++;
		loc->record = x->recno;
		m365f__ingest_count_record(x->ing);
	}
}

/* The fields of a record message into rowf/rowl (room for at least the
 * header's columns). */
static int get_fields(csvctx *x, msgreader *r, size_t nfields)
{
	size_t cap = nfields > x->header.ncols ? nfields : x->header.ncols;
	size_t i, len;

	if (cap > x->rowcap) {
		const char **f = realloc(x->rowf, cap * sizeof(*f));
		size_t *l;

		if (!f)
			return M365F_ENOMEM;
		x->rowf = f;
		l = realloc(x->rowl, cap * sizeof(*l));
		if (!l)
			return M365F_ENOMEM;
		x->rowl = l;
		x->rowcap = cap;
	}
	for (i = 0; i < nfields; i++) {
		x->rowf[i] = m365f__get_bytes(&r->p, &len);
		x->rowl[i] = len;
	}
	return M365F_OK;
}

static int take_header(csvctx *x, size_t n, int flags)
{
	m365f__csv_header h;
	int rc;

	if (flags)
		return m365f__error_set(x->err, M365F_EFORMAT,
					"CSV header too large");
	rc = m365f__csv_header_build(&h, n, x->rowf, x->rowl);
	if (rc) {
		m365f__csv_header_free(&h);
		return rc;
	}
	x->header = h;
	x->have_header = true;
	if (x->fmt->begin) {
		rc = x->fmt->begin(x->ing, &x->header, &x->state);
		if (rc)
			return rc;
	}
	x->began = true;
	return M365F_OK;
}

static int take_row(csvctx *x, size_t nfields, int flags)
{
	size_t n = x->header.ncols, i;
	m365f__csv_row row;

	if (flags & REC_TOO_BIG)
		return m365f__store_reject(x->ing, NULL, 0,
					   "record larger than the limit of "
					   "%zu bytes",
					   m365f__ingest_max_record(x->ing));
	if (flags & REC_TOO_MANY)
		return m365f__store_reject(x->ing, NULL, 0,
					   "record has more than %d fields",
					   MAX_FIELDS);
	if (nfields > n)
		return m365f__store_reject(x->ing, NULL, 0,
					   "record has %zu fields, the header "
					   "has %zu",
					   nfields, n);
	for (i = nfields; i < n; i++) {
		/* short row: missing = empty */
		x->rowf[i] = "";
		x->rowl[i] = 0;
	}
	row.ncols = n;
	row.fields = x->rowf;
	row.lens = x->rowl;
	return x->fmt->row(x->ing, x->state, &row);
}

/* One batch of messages from the tokenizer. */
static void take(csvctx *x, const char *data, size_t len)
{
	msgreader r = { data, data + len };

	while (r.p < r.end && !x->rc && !x->ended) {
		char kind = *r.p++;
		int rc = M365F_OK;

		if (kind == MSG_END) {
			int code = (int)(int64_t)m365f__get_u64(&r.p);

			if (code) {
				if (x->err)
					memcpy(x->err, r.p, sizeof(*x->err));
				x->rc = code;
			}
			x->ended = true;
			break;
		}
		get_position(x, &r);
		if (kind == MSG_PARTIAL) {
			size_t n;
			const char *why;

			get_raw(x, &r, true);
			if (!m365f__ingest_loc(x->ing)->length)
				m365f__ingest_loc_mut(x->ing)->raw = NULL;
			why = m365f__get_bytes(&r.p, &n);
			rc = m365f__store_reject(x->ing, NULL, 0, "CSV: %s",
						 why);
		} else {
			int flags = (int)m365f__get_u64(&r.p);
			size_t nfields = (size_t)m365f__get_u64(&r.p);

			/* the whole message is read before anything is
			 * decided */
			rc = get_fields(x, &r, nfields);
			get_raw(x, &r, x->have_header);
			if (!rc && !x->have_header) {
				rc = take_header(x, nfields, flags);
			} else if (!rc) {
				rc = take_row(x, nfields, flags);
				m365f__strpool_reset(
					m365f__ingest_pool(x->ing));
			}
		}
		if (rc)
			x->rc = rc;
		m365f__ingest_progress_at(x->ing, x->consumed);
	}
}

int m365f__read_csv(m365f__ingest *ing, m365f__input *in,
		    const m365f__csv_format *fmt, m365f_error *err)
{
	csvtok t;
	csvctx x;
	m365f__pipe *pipe = NULL;
	int rc = M365F_OK;

	memset(&t, 0, sizeof(t));
	t.in = in;
	t.line = 1;
	t.max_record = m365f__ingest_max_record(ing);
	t.opts = CSV_APPEND_NULL;
	if (m365f__ingest_strict(ing))
		t.opts |= CSV_STRICT | CSV_STRICT_FINI;
	m365f__buf_init(&t.raw, 0);

	memset(&x, 0, sizeof(x));
	x.ing = ing;
	x.fmt = fmt;
	x.err = err;
	if (m365f__pipe_start_producer(&pipe, tokenize, &t)) {
		rc = m365f__error_set(err, M365F_ENOMEM,
				      "cannot start the reading thread");
		goto out;
	}
	while (!x.rc && !x.ended) {
		const char *data;
		size_t len;

		m365f__pipe_next(pipe, &data, &len);
		if (!len)
			break;
		take(&x, data, len);
	}
	m365f__pipe_free(pipe); /* stops the tokenizer if still reading */
	rc = x.rc;
	if (rc && err && !err->text[0])
		m365f__error_set(err, rc, "%s", m365f_strerror(rc));
	if (!rc && !x.have_header)
		rc = m365f__error_set(err, M365F_EFORMAT, "no CSV header");
out:
	if (x.began && fmt->end)
		fmt->end(x.state);
	m365f__csv_header_free(&x.header);
	m365f__buf_free(&t.raw);
	free(x.rowf);
	free(x.rowl);
	return rc;
}
