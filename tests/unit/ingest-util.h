/* SPDX-License-Identifier: MIT */
/*
 * ingest-util.h - helpers for the reader and normalizer tests: ingest a
 * buffer into an in-memory case, keep the source summary and the rejects
 * reported, and read query results back as text ("a|b" per row, rows
 * joined with '\n').
 */
#ifndef M365F_INGEST_UTIL_H
#define M365F_INGEST_UTIL_H

#include "m365f-private.h"
#include "test.h"

#define TC_MAX_DIAG 64

typedef struct {
	m365f_case *c;
	/* the last source reported */
	int status;
	uint64_t records, stored, duplicates, rejected, conflicts;
	char format[64], encoding[32], text[256];
	/* rejects reported through diag_cb, formatted */
	int ndiag;
	char diag[TC_MAX_DIAG][320];
	int rc;
	m365f_error err;
} tcase;

static inline int tc_on_source(const m365f_source_summary *s, void *payload)
{
	tcase *t = payload;

	t->status = s->status;
	t->records = s->records;
	t->stored = s->stored;
	t->duplicates = s->duplicates;
	t->rejected = s->rejected;
	t->conflicts = s->conflicts;
	snprintf(t->format, sizeof(t->format), "%s", s->format);
	snprintf(t->encoding, sizeof(t->encoding), "%s", s->encoding);
	t->text[0] = '\0';
	if (s->error)
		m365f_error_format(s->error, t->text, sizeof(t->text));
	return 0;
}

static inline void tc_on_diag(const m365f_error *d, void *payload)
{
	tcase *t = payload;

	if (t->ndiag < TC_MAX_DIAG)
		m365f_error_format(d, t->diag[t->ndiag], sizeof(t->diag[0]));
	t->ndiag++;
}

static inline int tc_open(tcase *t)
{
	memset(t, 0, sizeof(*t));
	return m365f_case_open(&t->c, ":memory:", M365F_OPEN_CREATE, &t->err);
}

static inline void tc_close(tcase *t)
{
	m365f_case_free(t->c);
	t->c = NULL;
}

/* Ingest len bytes as a file called name; flags M365F_INGEST_*; maxrec 0
 * for the default. Checks the accounting identity on every source. */
static inline int tc_ingest_opts(tcase *t, const char *name, const void *buf,
			  size_t len, unsigned int flags, size_t maxrec)
{
	m365f_ingest_options o = M365F_INGEST_OPTIONS_INIT;

	o.flags = flags;
	o.max_record_bytes = maxrec;
	o.source_cb = tc_on_source;
	o.diag_cb = tc_on_diag;
	o.payload = t;
	t->ndiag = 0;
	t->status = -1;
	t->rc = m365f_ingest_buffer(t->c, name, buf, len, &o, &t->err);
	if (t->status == M365F_SOURCE_INGESTED &&
	    t->stored + t->duplicates + t->rejected != t->records) {
		fprintf(stderr, "%s: accounting: %llu + %llu + %llu != %llu\n",
			name, (unsigned long long)t->stored,
			(unsigned long long)t->duplicates,
			(unsigned long long)t->rejected,
			(unsigned long long)t->records);
		test_failures++;
	}
	return t->rc;
}

static inline int tc_ingest(tcase *t, const char *name, const char *text)
{
	return tc_ingest_opts(t, name, text, strlen(text), 0, 0);
}

typedef struct {
	m365f__buf out;
	int rows;
} tc_rows;

static inline int tc_row(const m365f_row *row, void *payload)
{
	tc_rows *r = payload;
	size_t i;

	if (r->rows++)
		m365f__buf_putc(&r->out, '\n');
	for (i = 0; i < row->ncols; i++) {
		if (i)
			m365f__buf_putc(&r->out, '|');
		if (row->values[i])
			m365f__buf_append(&r->out, row->values[i],
					  row->lengths[i]);
		else
			m365f__buf_append(&r->out, "NULL", 4);
	}
	return 0;
}

/* Result of a query as text, in a static buffer (valid until the next
 * call). */
static inline const char *tc_sql(tcase *t, const char *sql)
{
	static char res[8192];
	tc_rows r;
	m365f_error e;
	int rc;

	memset(&r, 0, sizeof(r));
	m365f__buf_init(&r.out, 0);
	rc = m365f_sql(t->c, sql, 0, tc_row, &r, &e);
	if (rc)
		snprintf(res, sizeof(res), "SQL error %d: %s", rc, e.text);
	else
		snprintf(res, sizeof(res), "%s", m365f__buf_cstr(&r.out));
	m365f__buf_free(&r.out);
	return res;
}

/* Read a whole file (tests' own testdata); caller frees; NULL if absent. */
static inline char *tc_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1))) {
		if (fread(p, 1, (size_t)n, fp) != (size_t)n) {
			free(p);
			p = NULL;
		} else {
			p[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(fp);
	return p;
}

#endif
