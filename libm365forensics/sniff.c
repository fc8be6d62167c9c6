/* SPDX-License-Identifier: MIT */
/*
 * sniff.c - decide an input's format from its first bytes, never from the
 * file name: JSON (records classified one by one) or CSV (the header row
 * scored against every known CSV export).
 */
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "m365f-private.h"

typedef struct {
	m365f__buf arena;
	size_t offs[4096];
	size_t lens[4096];
	size_t n;
	bool done, overflow;
} hdrctx;

static void hdr_field(void *s, size_t len, void *data)
{
	hdrctx *h = data;

	if (h->done)
		return;
	if (h->n >= M365F__ARRAY_LEN(h->offs)) {
		h->overflow = true;
		return;
	}
	h->offs[h->n] = h->arena.len;
	h->lens[h->n] = len;
	if (m365f__buf_append(&h->arena, s ? s : "", len) ||
	    m365f__buf_putc(&h->arena, '\0'))
		h->overflow = true;
	h->n++;
}

static void hdr_end(int c, void *data)
{
	hdrctx *h = data;

	M365F__UNUSED(c);
	h->done = true;
}

int m365f__sniff(const char *p, size_t n, bool at_eof, m365f__kind *kind,
		 const m365f__csv_format **csvfmt, m365f_error *err)
{
	size_t i = 0, k;
	struct csv_parser cp;
	hdrctx *h;
	m365f__csv_header hdr;
	const char **fields;
	int best = 0, rc;

	*kind = M365F__KIND_UNKNOWN;
	*csvfmt = NULL;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
			 p[i] == '\n'))
		i++;
	if (i == n)
		return m365f__error_set(err, M365F_EFORMAT,
					n ? "no content (only white space)"
					  : "empty file");
	for (k = i; k < n && k < i + 4096; k++) {
		unsigned char c = (unsigned char)p[k];

		if (c == 0 || (c < 0x20 && c != '\t' && c != '\r' &&
			       c != '\n' && c != 0x0c)) {
			/* where, as line and column of the decoded text
			 * (bytes that are not UTF-8 were transcoded) */
			size_t j;

			if (err) {
				err->line = 1;
				err->column = 1;
				for (j = 0; j < k; j++) {
					if (p[j] == '\n') {
						err->line++;
						err->column = 1;
					} else if (((unsigned char)p[j] &
						    0xC0) != 0x80) {
						err->column++;
					}
				}
			}
			return m365f__error_set(err, M365F_EFORMAT,
						"not a text export (binary "
						"data)");
		}
	}
	if (p[i] == '{' || p[i] == '[') {
		*kind = M365F__KIND_JSON;
		return M365F_OK;
	}
	/* CSV: skip a "#TYPE ..." line, parse the header row */
	if (n - i >= 5 && !strncmp(p + i, "#TYPE", 5)) {
		const char *nl = memchr(p + i, '\n', n - i);

		if (!nl)
			return m365f__error_set(err, M365F_EFORMAT,
						"only a #TYPE line");
		i = (size_t)(nl - p) + 1;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");
	m365f__buf_init(&h->arena, 1 << 20);
	csv_init(&cp, CSV_APPEND_NULL);
	csv_parse(&cp, p + i, n - i, hdr_field, hdr_end, h);
	if (!h->done && at_eof)
		csv_fini(&cp, hdr_field, hdr_end, h);
	csv_free(&cp);
	if (!h->done || h->overflow || h->n < 2) {
		m365f__buf_free(&h->arena);
		free(h);
		return m365f__error_set(err, M365F_EFORMAT,
					"not a recognized export (neither "
					"JSON nor a CSV header)");
	}
	fields = calloc(h->n, sizeof(*fields));
	if (!fields) {
		m365f__buf_free(&h->arena);
		free(h);
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");
	}
	for (k = 0; k < h->n; k++)
		fields[k] = h->arena.data + h->offs[k];
	rc = m365f__csv_header_build(&hdr, h->n, fields, h->lens);
	free(fields);
	if (!rc) {
		for (k = 0; m365f__csv_formats[k]; k++) {
			int s = m365f__csv_formats[k]->match(&hdr);

			if (s > best) {
				best = s;
				*csvfmt = m365f__csv_formats[k];
			}
		}
		if (!best) {
			char cols[160] = "";
			size_t used = 0;

			for (k = 0; k < hdr.ncols && k < 5; k++) {
				int w = snprintf(cols + used,
						 sizeof(cols) - used,
						 "%s'%s'", k ? ", " : "",
						 hdr.raw_names[k]);

				if (w < 0 || (size_t)w >= sizeof(cols) - used)
					break;
				used += (size_t)w;
			}
			rc = m365f__error_set(err, M365F_EFORMAT,
					      "CSV header not recognized "
					      "(first columns %s)",
					      cols);
		} else {
			*kind = M365F__KIND_CSV;
		}
	}
	m365f__csv_header_free(&hdr);
	m365f__buf_free(&h->arena);
	free(h);
	return rc;
}
