/* SPDX-License-Identifier: MIT */
/*
 * csvread.c - CSV exports through libcsv, with physical line numbers.
 * libcsv reports no positions, so the input is fed one physical line at a
 * time: a record's last line is the line being fed when it ends, and its
 * first line is that minus the newlines inside its fields. A "#TYPE" first
 * line (Windows PowerShell Export-Csv) is skipped.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "m365f-private.h"

#define MAX_FIELDS 100000

typedef struct {
	m365f__ingest *ing;
	const m365f__csv_format *fmt;
	void *state;
	bool have_header;
	bool began;
	m365f__csv_header header;
	/* current record */
	m365f__buf arena;      /* field bytes, each NUL-terminated */
	const char **rowf;     /* the row handed to the format */
	size_t *rowl, rowcap;
	size_t *offs, *lens;
	size_t nfields, capfields;
	bool too_big, too_many;
	unsigned long nl_in_record;
	/* raw bytes of the record and where it starts */
	m365f__buf raw;
	uint64_t rec_offset;
	bool rec_started;
	unsigned long line;     /* physical line being fed */
	uint64_t offset;        /* decoded offset of the next byte fed */
	unsigned long recno;
	int rc;                 /* first hard error (database) */
	m365f_error *err;
} csvctx;

static void add_field(void *s, size_t len, void *data)
{
	csvctx *x = data;
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
	if (x->nfields == x->capfields) {
		size_t nc = x->capfields ? x->capfields * 2 : 64;
		size_t *no = realloc(x->offs, nc * sizeof(*no));
		size_t *nl;

		if (!no) {
			x->too_big = true;
			return;
		}
		x->offs = no;
		nl = realloc(x->lens, nc * sizeof(*nl));
		if (!nl) {
			x->too_big = true;
			return;
		}
		x->lens = nl;
		x->capfields = nc;
	}
	x->offs[x->nfields] = x->arena.len;
	x->lens[x->nfields] = len;
	if (m365f__buf_append(&x->arena, p, len) ||
	    m365f__buf_putc(&x->arena, '\0')) {
		x->too_big = true;
		return;
	}
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

static void reset_record(csvctx *x)
{
	m365f__buf_reset(&x->arena);
	m365f__buf_reset(&x->raw);
	x->nfields = 0;
	x->too_big = x->too_many = false;
	x->nl_in_record = 0;
	x->rec_started = false;
}

static void end_record(int c, void *data)
{
	csvctx *x = data;
	m365f__loc *loc = m365f__ingest_loc_mut(x->ing);
	const char **fields = NULL;
	size_t i;
	int rc = M365F_OK;

	M365F__UNUSED(c);
	if (x->rc)
		goto done;
	loc->line = x->line > x->nl_in_record ? x->line - x->nl_in_record : 1;
	loc->offset = x->rec_offset;
	loc->raw = x->raw.data ? x->raw.data : "";
	loc->length = x->raw.len;
	/* trailing line break is not part of the record */
	while (loc->length && (loc->raw[loc->length - 1] == '\n' ||
			       loc->raw[loc->length - 1] == '\r'))
		loc->length--;

	if (!x->have_header) {
		if (x->too_big || x->too_many) {
			x->rc = m365f__error_set(x->err, M365F_EFORMAT,
						 "CSV header too large");
			goto done;
		}
		fields = calloc(x->nfields ? x->nfields : 1, sizeof(*fields));
		if (!fields) {
			x->rc = M365F_ENOMEM;
			goto done;
		}
		for (i = 0; i < x->nfields; i++)
			fields[i] = x->arena.data + x->offs[i];
		rc = m365f__csv_header_build(&x->header, x->nfields, fields,
					     x->lens);
		free(fields);
		fields = NULL;
		if (rc) {
			x->rc = rc;
			goto done;
		}
		x->have_header = true;
		if (x->fmt->begin) {
			rc = x->fmt->begin(x->ing, &x->header, &x->state);
			if (rc) {
				x->rc = rc;
				goto done;
			}
		}
		x->began = true;
		goto done;
	}

	x->recno++;
	loc->record = x->recno;
	m365f__ingest_count_record(x->ing);
	if (x->too_big) {
		rc = m365f__store_reject(x->ing, NULL, 0,
					 "record larger than the limit of %zu "
					 "bytes",
					 m365f__ingest_max_record(x->ing));
	} else if (x->too_many) {
		rc = m365f__store_reject(x->ing, NULL, 0,
					 "record has more than %d fields",
					 MAX_FIELDS);
	} else if (x->nfields > x->header.ncols) {
		rc = m365f__store_reject(x->ing, NULL, 0,
					 "record has %zu fields, the header "
					 "has %zu",
					 x->nfields, x->header.ncols);
	} else {
		m365f__csv_row row;
		size_t n = x->header.ncols;

		if (n > x->rowcap) {
			const char **f = realloc(x->rowf, n * sizeof(*f));
			size_t *l;

			if (f)
				x->rowf = f;
			l = f ? realloc(x->rowl, n * sizeof(*l)) : NULL;
			if (!l) {
				x->rc = M365F_ENOMEM;
				goto done;
			}
			x->rowl = l;
			x->rowcap = n;
		}
		for (i = 0; i < n; i++) {
			if (i < x->nfields) {
				x->rowf[i] = x->arena.data + x->offs[i];
				x->rowl[i] = x->lens[i];
			} else {
				/* short row: missing = empty */
				x->rowf[i] = "";
				x->rowl[i] = 0;
			}
		}
		row.ncols = n;
		row.fields = x->rowf;
		row.lens = x->rowl;
		rc = x->fmt->row(x->ing, x->state, &row);
	}
	m365f__strpool_reset(m365f__ingest_pool(x->ing));
	if (rc)
		x->rc = rc;
done:
	free(fields);
	reset_record(x);
	m365f__ingest_progress(x->ing);
}

/* Reject the record read so far (a CSV error cut it short). */
static int reject_partial(csvctx *x, const char *reason)
{
	m365f__loc *loc = m365f__ingest_loc_mut(x->ing);

	x->recno++;
	loc->record = x->recno;
	loc->line = x->line > x->nl_in_record ? x->line - x->nl_in_record : 1;
	loc->offset = x->rec_offset;
	loc->raw = x->raw.data;
	loc->length = x->raw.len;
	m365f__ingest_count_record(x->ing);
	return m365f__store_reject(x->ing, NULL, 0, "CSV: %s", reason);
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

static int feed(csvctx *x, struct csv_parser *p, const char *s, size_t n)
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
	if (x->raw.len + n <= m365f__ingest_max_record(x->ing))
		m365f__buf_append(&x->raw, s, n);
	else
		x->too_big = true;
	x->offset += n;
	used = csv_parse(p, s, n, add_field, end_record, x);
	if (used != n)
		return csv_error(p);
	return 0;
}

int m365f__read_csv(m365f__ingest *ing, m365f__input *in,
		    const m365f__csv_format *fmt, m365f_error *err)
{
	struct csv_parser p;
	csvctx x;
	const char *chunk;
	size_t len;
	bool first_line = true, skipping_type = false;
	int rc = M365F_OK, cerr;
	unsigned char opts = CSV_APPEND_NULL;

	memset(&x, 0, sizeof(x));
	x.ing = ing;
	x.fmt = fmt;
	x.err = err;
	x.line = 1;
	m365f__buf_init(&x.arena, m365f__ingest_max_record(ing) + 1024);
	m365f__buf_init(&x.raw, 0);
	if (m365f__ingest_strict(ing))
		opts |= CSV_STRICT | CSV_STRICT_FINI;
	if (parser_init(&p, opts, m365f__ingest_max_record(ing)))
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");

	for (;;) {
		rc = m365f__input_read(in, &chunk, &len, err);
		if (rc)
			break;
		if (!len)
			break;
		while (len && !x.rc) {
			const char *nl = memchr(chunk, '\n', len);
			size_t piece = nl ? (size_t)(nl - chunk) + 1 : len;

			if (first_line) {
				if (len >= 5 && !strncmp(chunk, "#TYPE", 5))
					skipping_type = true;
				first_line = false;
			}
			if (skipping_type) {
				x.offset += piece;
				if (nl) {
					skipping_type = false;
					x.line++;
				}
				chunk += piece;
				len -= piece;
				continue;
			}
			cerr = feed(&x, &p, chunk, piece);
			if (cerr) {
				/* malformed quoting (strict) or a field over
				 * the limit: reject what was read of this
				 * record and start again on the next line */
				char why[96];

				/* libcsv reports a refused growth as ENOMEM
				 * or ETOOBIG */
				if (cerr == CSV_ETOOBIG ||
				    (cerr == CSV_ENOMEM &&
				     csv_get_buffer_size(&p) +
						     2 * FIELD_BLOCK >
					     m365f__ingest_max_record(ing)))
					snprintf(why, sizeof(why),
						 "field larger than the limit "
						 "of %zu bytes",
						 m365f__ingest_max_record(ing));
				else
					snprintf(why, sizeof(why), "%s",
						 csv_strerror(cerr));
				if (!x.have_header) {
					rc = m365f__error_set(
						err, M365F_EFORMAT,
						"CSV header: %s", why);
					goto out;
				}
				x.rc = reject_partial(&x, why);
				reset_record(&x);
				csv_free(&p);
				if (parser_init(&p, opts,
						m365f__ingest_max_record(ing))) {
					rc = m365f__error_set(err, M365F_ENOMEM,
							      "out of memory");
					goto out;
				}
			}
			if (nl)
				x.line++;
			chunk += piece;
			len -= piece;
		}
		if (x.rc)
			break;
	}
	if (!rc && !x.rc) {
		/* a last record without a final newline */
		if (x.rec_started && x.line > 1 && x.raw.len &&
		    x.raw.data[x.raw.len - 1] != '\n')
			; /* line already points at the last line */
		else if (x.line > 1)
			x.line--;
		cerr = csv_fini(&p, add_field, end_record, &x);
		if (cerr && !x.rc)
			x.rc = reject_partial(&x, "unterminated quoted field "
						  "at end of file (truncated)");
	}
	if (!rc && x.rc) {
		rc = x.rc;
		if (err && !err->text[0])
			m365f__error_set(err, rc, "%s", m365f_strerror(rc));
	}
	if (!rc && !x.have_header)
		rc = m365f__error_set(err, M365F_EFORMAT, "no CSV header");
out:
	if (x.began && fmt->end)
		fmt->end(x.state);
	csv_free(&p);
	m365f__csv_header_free(&x.header);
	m365f__buf_free(&x.arena);
	m365f__buf_free(&x.raw);
	free(x.offs);
	free(x.lens);
	free(x.rowf);
	free(x.rowl);
	return rc;
}
