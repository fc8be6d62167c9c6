/* SPDX-License-Identifier: MIT */
/*
 * jsonread.c - JSON evidence as a stream of records. Finds record
 * boundaries without parsing (strings, escapes and nesting are tracked),
 * then parses each record alone with cJSON. Handles JSON lines, arrays,
 * several arrays or objects appended to one file ("][", "}{"), and the
 * wrappers {"value":[...]} (Graph pages) and {"records":[...]} (Azure
 * Monitor). Memory is bounded by the largest record, not the file.
 */
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

typedef enum { TOP, IN_ARRAY, IN_REC, IN_GARBAGE, SKIP_WRAPPER } jstate;

typedef struct {
	m365f__ingest *ing;
	m365f_error *err;
	jstate st;
	int depth;             /* nesting inside the current record */
	int arr_depth;         /* 0 top, 1 inside a top array, 2 wrapper */
	bool in_str, esc;
	m365f__buf rec;        /* bytes of the current record */
	bool too_big;
	bool too_deep;         /* nested deeper than the parser allows */
	unsigned long line;    /* current physical line */
	unsigned long col;     /* column of the byte being scanned */
	unsigned long rec_line, rec_col;
	uint64_t offset, rec_offset;
	unsigned long recno;
	bool wrapper_top;      /* current record is a top-level object */
	char key[16];          /* last string at depth 1 of a top object */
	size_t keylen;
	bool key_overflow;
	bool after_key;        /* saw "key": at depth 1 */
	int wrap_depth;        /* depth counter while skipping a wrapper */
	bool first_done;       /* first parsed record has been classified */
	bool tree_format;      /* the last record's format reads trees */
	bool recognized;
	int rc;
} jctx;

static int handle_record(jctx *x)
{
	m365f__loc *loc = m365f__ingest_loc_mut(x->ing);
	unsigned long l = 0, c = 0;
	const m365f__json_format *fmt;
	m365f__jdoc *d;
	bool members = false;
	cJSON *obj;
	int rc;

	x->recno++;
	loc->record = x->recno;
	loc->line = x->rec_line;
	loc->offset = x->rec_offset;
	loc->raw = x->rec.data ? x->rec.data : "";
	loc->length = x->rec.len;
	m365f__ingest_count_record(x->ing);
	if (x->too_deep)
		return m365f__store_reject(x->ing, NULL, 0,
					   "JSON nested deeper than %d levels",
					   CJSON_NESTING_LIMIT);
	if (x->too_big)
		return m365f__store_reject(x->ing, NULL, 0,
					   "record larger than the limit of "
					   "%zu bytes",
					   m365f__ingest_max_record(x->ing));
	/* Strict JSON is read as tokens: the format is decided on a tree of
	 * its top-level members only, and a format that reads tokens gets
	 * the record without a tree. An integer of more than 15 digits
	 * takes the tree (M365F__JSON_BIGINT quotes it). After a record of a
	 * format that reads trees the next is parsed as a tree at once, so
	 * that a file of such records is not read twice. */
	d = m365f__ingest_jdoc(x->ing, 0);
	if (!d)
		return M365F_ENOMEM;
	rc = x->tree_format ? 1 : m365f__jdoc_parse(d, loc->raw, loc->length);
	if (rc == M365F_ENOMEM)
		return rc;
	if (rc == 0 && m365f__jt_type(d, 0) == M365F__JT_OBJECT &&
	    !m365f__jdoc_long_ints(d)) {
		obj = m365f__jdoc_members(d, m365f__ingest_pool(x->ing));
		if (!obj)
			return M365F_ENOMEM;
		members = true;
	} else {
		obj = m365f__json_parse(loc->raw, loc->length,
					M365F__JSON_BIGINT, &l, &c);
	}
	if (!obj) {
		/* a file whose first record is not JSON is not ours */
		if (!x->first_done && x->recno == 1 && loc->length &&
		    loc->raw[0] != '{' && loc->raw[0] != '[') {
			return m365f__error_set(x->err, M365F_EFORMAT,
						"not a JSON export");
		}
		/* the reject points at the error itself; on the record's
		 * first line the column counts from the start of the line
		 * (a record of a one-line array starts mid-line) */
		loc->line = x->rec_line + l - 1;
		if (l == 1)
			c += x->rec_col - 1;
		return m365f__store_reject(x->ing, NULL, c, "invalid JSON");
	}
	if (!cJSON_IsObject(obj)) {
		cJSON_Delete(obj);
		return m365f__store_reject(x->ing, NULL, 0,
					   "JSON value is not an object");
	}
	fmt = m365f__json_format_for(obj);
	if (!x->first_done) {
		x->first_done = true;
		if (!fmt) {
			char keys[160] = "";
			const cJSON *ch;
			size_t used = 0;
			int n = 0;

			cJSON_ArrayForEach(ch, obj) {
				int w;

				if (n++ == 6 || !ch->string)
					break;
				w = snprintf(keys + used, sizeof(keys) - used,
					     "%s%s", used ? ", " : "",
					     ch->string);
				if (w < 0 || (size_t)w >= sizeof(keys) - used)
					break;
				used += (size_t)w;
			}
			cJSON_Delete(obj);
			return m365f__error_set(x->err, M365F_EFORMAT,
						"JSON records of an unknown "
						"shape (keys: %s)",
						keys);
		}
		x->recognized = true;
	}
	if (!fmt) {
		cJSON_Delete(obj);
		return m365f__store_reject(x->ing, NULL, 0,
					   "JSON record of an unknown shape");
	}
	m365f__ingest_set_format(x->ing, fmt->name);
	x->tree_format = !fmt->tokens;
	/* only UAL records may be stored by the store thread */
	if (strcmp(fmt->product, "ual") != 0) {
		rc = m365f__ingest_sync(x->ing);
		if (rc) {
			cJSON_Delete(obj);
			return rc;
		}
	}
	if (members && fmt->tokens) {
		rc = fmt->tokens(x->ing, d);
	} else if (members) {
		/* this format reads a tree: the whole record */
		cJSON_Delete(obj);
		obj = m365f__json_parse(loc->raw, loc->length,
					M365F__JSON_BIGINT, NULL, NULL);
		rc = obj ? fmt->record(x->ing, obj) : M365F_ENOMEM;
	} else {
		rc = fmt->record(x->ing, obj);
	}
	cJSON_Delete(obj);
	m365f__strpool_reset(m365f__ingest_pool(x->ing));
	return rc;
}

static void start_rec(jctx *x, const char *p, uint64_t off)
{
	M365F__UNUSED(p);
	m365f__buf_reset(&x->rec);
	x->too_big = false;
	x->too_deep = false;
	x->depth = 0;
	x->in_str = x->esc = false;
	x->rec_line = x->line;
	x->rec_col = x->col;
	x->rec_offset = off;
	x->keylen = 0;
	x->key_overflow = false;
	x->after_key = false;
}

static void rec_append(jctx *x, const char *p, size_t n)
{
	if (x->too_big || !n)
		return;
	if (x->rec.len + n > m365f__ingest_max_record(x->ing) ||
	    m365f__buf_append(&x->rec, p, n)) {
		x->too_big = true;
		m365f__buf_reset(&x->rec);
	}
}

static int scan(jctx *x, const char *p, size_t n)
{
	size_t i = 0, span = 0; /* span: start of bytes to copy */
	bool copying = x->st == IN_REC || x->st == IN_GARBAGE;

	while (i < n && !x->rc) {
		char c = p[i];

		switch (x->st) {
		case TOP:
		case IN_ARRAY:
			if (c == '{') {
				start_rec(x, p + i, x->offset + i);
				x->wrapper_top = x->st == TOP;
				x->st = IN_REC;
				span = i;
				copying = true;
				x->depth = 1;
			} else if (c == '[' && x->st == TOP) {
				x->st = IN_ARRAY;
				x->arr_depth = 1;
			} else if (c == ']' && x->st == IN_ARRAY) {
				if (x->arr_depth == 2) {
					/* end of a wrapper's array: skip the
					 * rest of the wrapper object */
					x->st = SKIP_WRAPPER;
					x->wrap_depth = 1;
				} else {
					x->st = TOP;
				}
				x->arr_depth = 0;
			} else if (c == ',' || c == ' ' || c == '\t' ||
				   c == '\r' || c == '\n' || c == ']') {
				/* separators and stray closers */
			} else {
				/* not JSON: a bad line, up to its end */
				start_rec(x, p + i, x->offset + i);
				x->st = IN_GARBAGE;
				/* a string value in an array starts here:
				 * its closing quote must not open another */
				x->in_str = x->arr_depth && c == '"';
				span = i;
				copying = true;
			}
			break;
		case IN_GARBAGE:
			if (x->arr_depth && x->in_str) {
				/* a string inside an array: its commas and
				 * brackets are text */
				if (x->esc)
					x->esc = false;
				else if (c == '\\')
					x->esc = true;
				else if (c == '"')
					x->in_str = false;
			} else if (x->arr_depth && c == '"') {
				x->in_str = true;
			} else if (c == '\n' ||
				   (x->arr_depth && (c == ',' || c == ']'))) {
				/* a bad line ends with the line; a value
				 * that is not an object inside an array
				 * ends before the next separator, which is
				 * then read as the array's own */
				rec_append(x, p + span, i - span);
				copying = false;
				x->st = x->arr_depth ? IN_ARRAY : TOP;
				x->in_str = x->esc = false;
				x->rc = handle_record(x);
				if (c != '\n')
					continue;
			}
			break;
		case SKIP_WRAPPER:
			if (x->in_str) {
				if (x->esc)
					x->esc = false;
				else if (c == '\\')
					x->esc = true;
				else if (c == '"')
					x->in_str = false;
			} else if (c == '"') {
				x->in_str = true;
			} else if (c == '{' || c == '[') {
				x->wrap_depth++;
			} else if (c == '}' || c == ']') {
				if (--x->wrap_depth == 0)
					x->st = TOP;
			}
			break;
		case IN_REC:
			if (x->in_str) {
				if (x->esc) {
					x->esc = false;
				} else if (c == '\\') {
					x->esc = true;
				} else if (c == '"') {
					x->in_str = false;
				} else if (x->depth == 1 && x->wrapper_top) {
					if (x->keylen < sizeof(x->key) - 1)
						x->key[x->keylen++] = c;
					else
						x->key_overflow = true;
				}
				break;
			}
			if (c == '"') {
				x->in_str = true;
				if (x->depth == 1 && x->wrapper_top) {
					x->keylen = 0;
					x->key_overflow = false;
					x->after_key = false;
				}
			} else if (c == ':' && x->depth == 1 &&
				   x->wrapper_top) {
				x->after_key = !x->key_overflow;
			} else if (c == '{' || c == '[') {
				if (c == '[' && x->depth == 1 &&
				    x->wrapper_top && x->after_key &&
				    ((x->keylen == 5 &&
				      !memcmp(x->key, "value", 5)) ||
				     (x->keylen == 7 &&
				      !memcmp(x->key, "records", 7)))) {
					/* a page wrapper: its array holds the
					 * records */
					x->st = IN_ARRAY;
					x->arr_depth = 2;
					copying = false;
					break;
				}
				/* cJSON stops at CJSON_NESTING_LIMIT: say
				 * why instead of "invalid JSON" */
				if (++x->depth > CJSON_NESTING_LIMIT) {
					x->too_deep = true;
				}
			} else if (c == '}' || c == ']') {
				if (--x->depth == 0) {
					rec_append(x, p + span, i + 1 - span);
					copying = false;
					x->st = x->arr_depth ? IN_ARRAY : TOP;
					x->rc = handle_record(x);
				}
			} else if (x->depth == 1 && c != ' ' && c != '\t' &&
				   c != '\r' && c != '\n' && c != ',') {
				x->after_key = x->after_key && false;
			}
			break;
		}
		if (c == '\n') {
			x->line++;
			x->col = 1;
		} else if (((unsigned char)c & 0xC0) != 0x80) {
			x->col++;
		}
		i++;
	}
	if (copying && (x->st == IN_REC || x->st == IN_GARBAGE))
		rec_append(x, p + span, n - span);
	x->offset += n;
	return x->rc;
}

int m365f__read_json(m365f__ingest *ing, m365f__input *in, m365f_error *err)
{
	jctx x;
	const char *chunk;
	size_t len;
	int rc = M365F_OK;

	memset(&x, 0, sizeof(x));
	x.ing = ing;
	x.err = err;
	x.line = 1;
	x.col = 1;
	m365f__buf_init(&x.rec, 0);
	for (;;) {
		rc = m365f__input_read(in, &chunk, &len, err);
		if (rc || !len)
			break;
		rc = scan(&x, chunk, len);
		if (rc)
			break;
		m365f__ingest_progress(ing);
	}
	if (!rc && (x.st == IN_REC || x.st == IN_GARBAGE)) {
		/* the input ended inside a record */
		if (x.st == IN_GARBAGE) {
			rc = handle_record(&x);
		} else {
			m365f__loc *loc = m365f__ingest_loc_mut(ing);

			x.recno++;
			loc->record = x.recno;
			loc->line = x.rec_line;
			loc->offset = x.rec_offset;
			loc->raw = x.rec.data ? x.rec.data : "";
			loc->length = x.rec.len;
			m365f__ingest_count_record(ing);
			rc = m365f__store_reject(ing, NULL, 0,
						 "truncated: the input ends "
						 "inside this record");
		}
	}
	if (!rc && !x.recognized && x.recno == 0)
		rc = m365f__error_set(err, M365F_EFORMAT,
				      "no JSON records in the file");
	m365f__buf_free(&x.rec);
	return rc;
}
