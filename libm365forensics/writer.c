/* SPDX-License-Identifier: MIT */
/*
 * writer.c - render rows for people and tools, safely: evidence strings
 * are attacker-controlled. Text output shows control characters as \xHH
 * (no terminal escapes), JSON is valid UTF-8 (invalid bytes become
 * U+FFFD), CSV cells a spreadsheet would run as a formula get a leading
 * quote, Markdown escapes table syntax and HTML, HTML/SVG escapes the
 * characters that end a text run or an attribute.
 */
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

#define TEXT_WINDOW 2000   /* rows buffered to size text columns */
#define TEXT_MAX_WIDTH 60  /* a column is never padded wider */

struct m365f_writer {
	FILE *fp;
	int format;
	unsigned int flags;
	bool header_done;
	/* text: buffered rows (sanitized cells) */
	size_t ncols;
	char **names;
	char **cells;      /* nrows * ncols */
	size_t nrows, caprows;
	size_t *width;
	bool widths_fixed;
	bool failed;
};

/* Length of a valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t k, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		k = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		k = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		k = 4;
	else
		return 0;
	if (n < k)
		return 0;
	for (i = 1; i < k; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (k == 3 && s[0] == 0xE0 && s[1] < 0xA0)
		return 0; /* overlong */
	if (k == 3 && s[0] == 0xED && s[1] >= 0xA0)
		return 0; /* surrogate */
	if (k == 4 && s[0] == 0xF0 && s[1] < 0x90)
		return 0;
	if (k == 4 && s[0] == 0xF4 && s[1] >= 0x90)
		return 0;
	return k;
}

/* The code point of a bidi embedding, override or isolate control at s
 * (k bytes), or 0: shown escaped by every sink, since they reorder what
 * is displayed ("invoice<RLO>fdp.exe" reads as "invoiceexe.pdf"). */
static unsigned int bidi_control(const unsigned char *s, size_t k)
{
	if (k != 3 || s[0] != 0xE2)
		return 0;
	if (s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE)
		return 0x2000u + (s[2] - 0x80u);
	if (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9)
		return 0x2040u + (s[2] - 0x80u);
	return 0;
}

/* Visible, terminal-safe text: C0/C1 controls and DEL as \xHH (\n, \r,
 * \t as \n, \r, \t), invalid UTF-8 as U+FFFD, bidi overrides escaped. */
int m365f__safe_text(m365f__buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int rc = 0;

	while (i < n && !rc) {
		size_t k = utf8_len(p + i, n - i);

		if (!k) {
			rc = m365f__buf_append(out, "\xEF\xBF\xBD", 3);
			i++;
			continue;
		}
		if (k == 1) {
			unsigned char c = p[i];

			if (c == '\n')
				rc = m365f__buf_append(out, "\\n", 2);
			else if (c == '\r')
				rc = m365f__buf_append(out, "\\r", 2);
			else if (c == '\t')
				rc = m365f__buf_append(out, "\\t", 2);
			else if (c < 0x20 || c == 0x7f)
				rc = m365f__buf_printf(out, "\\x%02x", c);
			else
				rc = m365f__buf_putc(out, (char)c);
		} else if (k == 2 && p[i] == 0xC2 && p[i + 1] < 0xA0) {
			/* C1 control (U+0080..U+009F, e.g. CSI) */
			rc = m365f__buf_printf(out, "\\u%04x", p[i + 1]);
		} else if (bidi_control(p + i, k)) {
			/* bidi embedding/override/isolate: would reorder */
			rc = m365f__buf_printf(out, "\\u%04x",
					       bidi_control(p + i, k));
		} else {
			rc = m365f__buf_append(out, p + i, k);
		}
		i += k;
	}
	return rc;
}

/* JSON string body: valid UTF-8, escapes per RFC 8259, U+2028/2029 and
 * '<' '>' '&' escaped so the output is also safe inside HTML script. */
int m365f__json_escape(m365f__buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int rc = m365f__buf_putc(out, '"');

	while (i < n && !rc) {
		size_t k = utf8_len(p + i, n - i);
		unsigned char c = p[i];

		if (!k) {
			rc = m365f__buf_append(out, "\\ufffd", 6);
			i++;
			continue;
		}
		if (k == 1) {
			switch (c) {
			case '"': rc = m365f__buf_append(out, "\\\"", 2); break;
			case '\\': rc = m365f__buf_append(out, "\\\\", 2); break;
			case '\n': rc = m365f__buf_append(out, "\\n", 2); break;
			case '\r': rc = m365f__buf_append(out, "\\r", 2); break;
			case '\t': rc = m365f__buf_append(out, "\\t", 2); break;
			case '<': case '>': case '&':
				rc = m365f__buf_printf(out, "\\u%04x", c);
				break;
			default:
				if (c < 0x20 || c == 0x7f)
					rc = m365f__buf_printf(out, "\\u%04x",
							       c);
				else
					rc = m365f__buf_putc(out, (char)c);
			}
		} else if (k == 3 && c == 0xE2 && p[i + 1] == 0x80 &&
			   (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
			rc = m365f__buf_printf(out, "\\u%04x",
					       p[i + 2] == 0xA8 ? 0x2028 : 0x2029);
		} else if (k == 2 && c == 0xC2 && p[i + 1] < 0xA0) {
			rc = m365f__buf_printf(out, "\\u%04x", p[i + 1]);
		} else if (bidi_control(p + i, k)) {
			/* the same value after parsing, but no reordering when
			 * the line is shown */
			rc = m365f__buf_printf(out, "\\u%04x",
					       bidi_control(p + i, k));
		} else {
			rc = m365f__buf_append(out, p + i, k);
		}
		i += k;
	}
	if (!rc)
		rc = m365f__buf_putc(out, '"');
	return rc;
}

/* CSV cell: formula triggers neutralized with a leading apostrophe,
 * controls made visible, quoted when needed. */
int m365f__csv_cell(m365f__buf *out, const char *s, size_t n, bool is_text)
{
	m365f__buf tmp;
	size_t i;
	bool quote = false;
	int rc;

	m365f__buf_init(&tmp, 0);
	if (is_text && n && (s[0] == '=' || s[0] == '+' || s[0] == '-' ||
			     s[0] == '@' || s[0] == '\t' || s[0] == '\r' ||
			     s[0] == '\n' || s[0] == '|' || s[0] == '%'))
		m365f__buf_putc(&tmp, '\'');
	{
		/* keep line breaks inside the cell, escape other controls */
		const unsigned char *p = (const unsigned char *)s;
		size_t j = 0;

		while (j < n) {
			size_t k = utf8_len(p + j, n - j);

			if (k == 1 && (p[j] == '\n' || p[j] == '\r')) {
				m365f__buf_putc(&tmp, (char)p[j]);
				j++;
				continue;
			}
			if (!k) {
				m365f__buf_append(&tmp, "\xEF\xBF\xBD", 3);
				j++;
				continue;
			}
			if (k == 1 && (p[j] < 0x20 || p[j] == 0x7f)) {
				m365f__buf_printf(&tmp, "\\x%02x", p[j]);
				j++;
				continue;
			}
			if (k == 2 && p[j] == 0xC2 && p[j + 1] < 0xA0) {
				m365f__buf_printf(&tmp, "\\u%04x", p[j + 1]);
				j += 2;
				continue;
			}
			if (bidi_control(p + j, k)) {
				m365f__buf_printf(&tmp, "\\u%04x",
						  bidi_control(p + j, k));
				j += k;
				continue;
			}
			m365f__buf_append(&tmp, p + j, k);
			j += k;
		}
	}
	for (i = 0; i < tmp.len; i++)
		if (tmp.data[i] == ',' || tmp.data[i] == '"' ||
		    tmp.data[i] == '\n' || tmp.data[i] == '\r' ||
		    tmp.data[i] == '\'')
			quote = true;
	if (!quote) {
		rc = m365f__buf_append(out, tmp.data ? tmp.data : "", tmp.len);
	} else {
		rc = m365f__buf_putc(out, '"');
		for (i = 0; i < tmp.len && !rc; i++) {
			if (tmp.data[i] == '"')
				rc = m365f__buf_putc(out, '"');
			if (!rc)
				rc = m365f__buf_putc(out, tmp.data[i]);
		}
		if (!rc)
			rc = m365f__buf_putc(out, '"');
	}
	m365f__buf_free(&tmp);
	return rc;
}

/* Markdown table cell: text made safe, then |, <, >, & and leading
 * markup neutralized. */
int m365f__md_cell(m365f__buf *out, const char *s, size_t n)
{
	m365f__buf tmp;
	size_t i;
	int rc = 0;

	m365f__buf_init(&tmp, 0);
	m365f__safe_text(&tmp, s, n);
	for (i = 0; i < tmp.len && !rc; i++) {
		char c = tmp.data[i];

		switch (c) {
		case '|': rc = m365f__buf_append(out, "\\|", 2); break;
		case '<': rc = m365f__buf_append(out, "&lt;", 4); break;
		case '>': rc = m365f__buf_append(out, "&gt;", 4); break;
		case '&': rc = m365f__buf_append(out, "&amp;", 5); break;
		case '`': case '*': case '_': case '[': case ']':
			rc = m365f__buf_putc(out, '\\');
			if (!rc)
				rc = m365f__buf_putc(out, c);
			break;
		default: rc = m365f__buf_putc(out, c);
		}
	}
	m365f__buf_free(&tmp);
	return rc;
}

/* HTML and SVG: text made safe first (controls visible, invalid UTF-8
 * replaced, bidi overrides shown), then the five characters that end a
 * text run or a quoted attribute are written as character references.
 * The same bytes are safe in element text, in single- or double-quoted
 * attribute values and inside inline SVG (XML text and attributes). */
int m365f__html_escape(m365f__buf *out, const char *s, size_t n)
{
	m365f__buf tmp;
	size_t i;
	int rc;

	m365f__buf_init(&tmp, 0);
	rc = m365f__safe_text(&tmp, s, n);
	for (i = 0; i < tmp.len && !rc; i++) {
		char c = tmp.data[i];

		switch (c) {
		case '&': rc = m365f__buf_append(out, "&amp;", 5); break;
		case '<': rc = m365f__buf_append(out, "&lt;", 4); break;
		case '>': rc = m365f__buf_append(out, "&gt;", 4); break;
		case '"': rc = m365f__buf_append(out, "&quot;", 6); break;
		case '\'': rc = m365f__buf_append(out, "&#39;", 5); break;
		default: rc = m365f__buf_putc(out, c);
		}
	}
	m365f__buf_free(&tmp);
	return rc;
}

/* Display width: code points (good enough for alignment). */
static size_t width_of(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

int m365f_format_from_name(const char *name)
{
	if (!name)
		return -1;
	if (!strcmp(name, "text") || !strcmp(name, "table"))
		return M365F_FORMAT_TEXT;
	if (!strcmp(name, "jsonl") || !strcmp(name, "json"))
		return M365F_FORMAT_JSONL;
	if (!strcmp(name, "csv"))
		return M365F_FORMAT_CSV;
	if (!strcmp(name, "md") || !strcmp(name, "markdown"))
		return M365F_FORMAT_MARKDOWN;
	return -1;
}

int m365f_writer_new(m365f_writer **out, FILE *fp, int format,
		     unsigned int flags, m365f_error *err)
{
	m365f_writer *w;

	m365f__error_clear(err);
	if (!out || !fp || format < M365F_FORMAT_TEXT ||
	    format > M365F_FORMAT_MARKDOWN)
		return m365f__error_set(err, M365F_EINVAL, "bad writer "
							   "arguments");
	w = calloc(1, sizeof(*w));
	if (!w)
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");
	w->fp = fp;
	w->format = format;
	w->flags = flags;
	*out = w;
	return M365F_OK;
}

static int put(m365f_writer *w, m365f__buf *b)
{
	if (b->len && fwrite(b->data, 1, b->len, w->fp) != b->len) {
		w->failed = true;
		return M365F_EIO;
	}
	return M365F_OK;
}

static char *cell_text(const m365f_row *row, size_t i)
{
	m365f__buf b;
	char *r;

	m365f__buf_init(&b, 0);
	if (row->values[i])
		m365f__safe_text(&b, row->values[i], row->lengths[i]);
	r = m365f__strndup(b.data ? b.data : "", b.len);
	m365f__buf_free(&b);
	return r;
}

/* Two spaces at least between columns. */
static void pad(m365f__buf *b, size_t have, size_t width)
{
	size_t k = have < width ? width - have + 2 : 2;

	while (k--)
		m365f__buf_putc(b, ' ');
}

static int text_flush(m365f_writer *w)
{
	m365f__buf b;
	size_t r, i;
	int rc = M365F_OK;

	m365f__buf_init(&b, 0);
	if (!w->widths_fixed) {
		for (i = 0; i < w->ncols; i++) {
			/* the header counts only when it is printed */
			w->width[i] = (w->flags & M365F_WRITER_NO_HEADER)
					      ? 0
					      : width_of(w->names[i]);
			for (r = 0; r < w->nrows; r++) {
				size_t cw = width_of(w->cells[r * w->ncols + i]);

				if (cw > w->width[i])
					w->width[i] = cw;
			}
			if (w->width[i] > TEXT_MAX_WIDTH)
				w->width[i] = TEXT_MAX_WIDTH;
		}
		w->widths_fixed = true;
		if (!(w->flags & M365F_WRITER_NO_HEADER)) {
			for (i = 0; i < w->ncols; i++) {
				m365f__buf_append(&b, w->names[i],
						  strlen(w->names[i]));
				if (i + 1 < w->ncols)
					pad(&b, width_of(w->names[i]),
					    w->width[i]);
			}
			m365f__buf_putc(&b, '\n');
		}
	}
	for (r = 0; r < w->nrows; r++) {
		for (i = 0; i < w->ncols; i++) {
			const char *c = w->cells[r * w->ncols + i];

			m365f__buf_append(&b, c, strlen(c));
			if (i + 1 < w->ncols)
				pad(&b, width_of(c), w->width[i]);
			free(w->cells[r * w->ncols + i]);
		}
		/* no trailing spaces */
		while (b.len && b.data[b.len - 1] == ' ')
			b.len--;
		m365f__buf_putc(&b, '\n');
	}
	w->nrows = 0;
	rc = put(w, &b);
	m365f__buf_free(&b);
	return rc;
}

static int text_row(m365f_writer *w, const m365f_row *row)
{
	size_t i;

	if (!w->names) {
		w->ncols = row->ncols;
		w->names = calloc(row->ncols ? row->ncols : 1, sizeof(char *));
		w->width = calloc(row->ncols ? row->ncols : 1, sizeof(size_t));
		if (!w->names || !w->width)
			return M365F_ENOMEM;
		for (i = 0; i < row->ncols; i++) {
			w->names[i] = m365f__strndup(row->names[i],
						     strlen(row->names[i]));
			if (!w->names[i])
				return M365F_ENOMEM;
		}
	}
	if (row->ncols != w->ncols)
		return M365F_EINVAL;
	if (w->nrows == w->caprows) {
		size_t nc = w->caprows ? w->caprows * 2 : 64;
		/* a row of no columns still takes a slot: never realloc 0 */
		size_t per = w->ncols ? w->ncols : 1;
		char **cells = nc <= SIZE_MAX / sizeof(char *) / per
				       ? realloc(w->cells,
						 nc * per * sizeof(char *))
				       : NULL;

		if (!cells)
			return M365F_ENOMEM;
		w->cells = cells;
		w->caprows = nc;
	}
	for (i = 0; i < w->ncols; i++) {
		char *c = cell_text(row, i);

		if (!c)
			return M365F_ENOMEM;
		w->cells[w->nrows * w->ncols + i] = c;
	}
	w->nrows++;
	if (w->nrows >= TEXT_WINDOW)
		return text_flush(w);
	return M365F_OK;
}

int m365f_writer_row(const m365f_row *row, void *writer)
{
	m365f_writer *w = writer;
	m365f__buf b;
	size_t i;
	int rc = M365F_OK;

	if (!w || !row)
		return M365F_EINVAL;
	if (w->format == M365F_FORMAT_TEXT)
		return text_row(w, row);
	m365f__buf_init(&b, 0);
	switch (w->format) {
	case M365F_FORMAT_JSONL:
		m365f__buf_putc(&b, '{');
		for (i = 0; i < row->ncols; i++) {
			if (i)
				m365f__buf_putc(&b, ',');
			m365f__json_escape(&b, row->names[i],
					   strlen(row->names[i]));
			m365f__buf_putc(&b, ':');
			if (!row->values[i])
				m365f__buf_append(&b, "null", 4);
			else if (row->types[i] == M365F_TYPE_INTEGER ||
				 row->types[i] == M365F_TYPE_REAL ||
				 row->types[i] == M365F_TYPE_JSON)
				m365f__buf_append(&b, row->values[i],
						  row->lengths[i]);
			else
				m365f__json_escape(&b, row->values[i],
						   row->lengths[i]);
		}
		m365f__buf_append(&b, "}\n", 2);
		break;
	case M365F_FORMAT_CSV:
		if (!w->header_done && !(w->flags & M365F_WRITER_NO_HEADER)) {
			for (i = 0; i < row->ncols; i++) {
				if (i)
					m365f__buf_putc(&b, ',');
				m365f__csv_cell(&b, row->names[i],
						strlen(row->names[i]), true);
			}
			m365f__buf_append(&b, "\r\n", 2);
		}
		for (i = 0; i < row->ncols; i++) {
			if (i)
				m365f__buf_putc(&b, ',');
			if (row->values[i])
				m365f__csv_cell(&b, row->values[i],
						row->lengths[i],
						row->types[i] == M365F_TYPE_TEXT);
		}
		m365f__buf_append(&b, "\r\n", 2);
		break;
	case M365F_FORMAT_MARKDOWN:
		if (!w->header_done) {
			m365f__buf_putc(&b, '|');
			for (i = 0; i < row->ncols; i++) {
				m365f__buf_putc(&b, ' ');
				m365f__md_cell(&b, row->names[i],
					       strlen(row->names[i]));
				m365f__buf_append(&b, " |", 2);
			}
			m365f__buf_append(&b, "\n|", 2);
			for (i = 0; i < row->ncols; i++)
				m365f__buf_append(&b, "---|", 4);
			m365f__buf_putc(&b, '\n');
		}
		m365f__buf_putc(&b, '|');
		for (i = 0; i < row->ncols; i++) {
			m365f__buf_putc(&b, ' ');
			if (row->values[i])
				m365f__md_cell(&b, row->values[i],
					       row->lengths[i]);
			m365f__buf_append(&b, " |", 2);
		}
		m365f__buf_putc(&b, '\n');
		break;
	}
	w->header_done = true;
	if (!b.data)
		rc = M365F_ENOMEM;
	else
		rc = put(w, &b);
	m365f__buf_free(&b);
	return rc;
}

int m365f_writer_finish(m365f_writer *w)
{
	if (!w)
		return M365F_EINVAL;
	if (w->format == M365F_FORMAT_TEXT && w->nrows)
		if (text_flush(w))
			return M365F_EIO;
	if (fflush(w->fp) != 0 || w->failed)
		return M365F_EIO;
	return M365F_OK;
}

void m365f_writer_free(m365f_writer *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->nrows * w->ncols; i++)
		free(w->cells[i]);
	for (i = 0; w->names && i < w->ncols; i++)
		free(w->names[i]);
	free(w->names);
	free(w->cells);
	free(w->width);
	free(w);
}

size_t m365f_text_safe(char *buf, size_t size, const char *s, size_t n)
{
	m365f__buf b;
	size_t need = 0;

	m365f__buf_init(&b, 0);
	if (!m365f__safe_text(&b, s ? s : "", s ? n : 0)) {
		need = b.len;
		if (size) {
			size_t k = need < size ? need : size - 1;

			/* never end inside a UTF-8 sequence */
			while (k < need && k > 0 &&
			       ((unsigned char)b.data[k] & 0xC0) == 0x80)
				k--;
			if (k)
				memcpy(buf, b.data, k);
			buf[k] = '\0';
		}
	} else if (size) {
		buf[0] = '\0';
	}
	m365f__buf_free(&b);
	return need;
}
