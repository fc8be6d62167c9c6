/* SPDX-License-Identifier: MIT */
/*
 * jtok.c - one JSON record as tokens: the fast path for audit records.
 *
 * jsmn (Debian's libjsmn-dev, one header) splits a text into tokens in an
 * array the caller owns: nothing is allocated per value. A tree parser
 * allocates a node and a string per member; on a Purview export cJSON
 * spent more time in malloc and free than in parsing, on the thread that
 * sets the pace of an ingest.
 *
 * jsmn checks less than a full parser, so a text is taken only when it is
 * strict JSON that cJSON reads the same way: separators, literals,
 * numbers, escapes, nesting and what follows the value are checked here.
 * Anything else (a lenient form, an error) is "not taken" and the caller
 * parses it with cJSON, which decides and words the error exactly as
 * before; a tree cJSON accepted comes back here as the text cJSON prints
 * for it. A record of more than M365F__JDOC_MAX_VALUES values is refused
 * (M365F_ELIMIT) before any tree is built: 24 bytes a value.
 *
 * Values read from tokens are what cJSON gives for the same text: strings
 * decoded up to the first NUL, numbers through strtod with the locale's
 * decimal point, objects and arrays as cJSON prints them. The canonical
 * content hash is the same stream of bytes m365f 0.1 hashed from cJSON
 * trees (tests/unit/test-jtok.c holds both to each other).
 */
#include <langinfo.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <nettle/sha2.h>

/* jsmn's own strict mode is not needed (check() below is stricter) and
 * costs a fifth of its time; parent links make closing a container O(1) */
#define JSMN_STATIC
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include "m365f-private.h"

#define FIRST_TOKENS 1024u
#define KEEP_TOKENS 65536u                 /* kept from record to record */
#define MAX_NUMBER 63                      /* cJSON reads 63 characters */

struct m365f__jdoc {
	const char *text;
	size_t len;
	jsmntok_t *tok;
	int *next;             /* index after each token's subtree */
	unsigned int n, cap;
	m365f__buf own;        /* the text, when printed from a tree */
	m365f__strpool keys;   /* decoded keys with escapes, per document */
	char dp;               /* the locale's decimal point */
};

m365f__jdoc *m365f__jdoc_new(void)
{
	m365f__jdoc *d = calloc(1, sizeof(*d));

	if (d)
		m365f__buf_init(&d->own, 0);
	return d;
}

void m365f__jdoc_free(m365f__jdoc *d)
{
	if (!d)
		return;
	free(d->tok);
	free(d->next);
	m365f__buf_free(&d->own);
	m365f__strpool_free(&d->keys);
	free(d);
}

/* The locale's decimal point, which strtod and printf use (cJSON reads it
 * with localeconv(); nl_langinfo() gives the same without writing a
 * static buffer, so threads ingesting side by side do not race). */
static char decimal_point(void)
{
	const char *r = nl_langinfo(RADIXCHAR);

	return r && *r ? *r : '.';
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* a token's text, quotes of strings included */
static size_t lit_start(const jsmntok_t *t)
{
	return (size_t)t->start - (t->type == JSMN_STRING);
}

static size_t lit_end(const jsmntok_t *t)
{
	return (size_t)t->end + (t->type == JSMN_STRING);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* JSON's number grammar, and no longer than cJSON reads */
static bool is_number(const char *s, size_t n)
{
	size_t i = 0;

	if (!n || n > MAX_NUMBER)
		return false;
	if (s[i] == '-')
		i++;
	if (i < n && s[i] == '0') {
		i++;
	} else if (i < n && s[i] >= '1' && s[i] <= '9') {
		while (i < n && is_digit(s[i]))
			i++;
	} else {
		return false;
	}
	if (i < n && s[i] == '.') {
		if (++i >= n || !is_digit(s[i]))
			return false;
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !is_digit(s[i]))
			return false;
		while (i < n && is_digit(s[i]))
			i++;
	}
	return i == n;
}

static int hex4(const char *s)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* Decode the escapes of a string's content (s, n: between the quotes)
 * into out (room for n + 1 bytes), as cJSON does; returns the decoded
 * length, or -1 where cJSON would fail (a bad escape, a lone or reversed
 * surrogate). out may be NULL to check only. */
static long decode(const char *s, size_t n, char *out)
{
	size_t i = 0, o = 0;

	while (i < n) {
		const char *bs = memchr(s + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
		unsigned long cp;
		int a, b;

		if (out)
			memcpy(out + o, s + i, run);
		o += run;
		i += run;
		if (i >= n)
			break;
		if (i + 1 >= n)
			return -1;
		switch (s[i + 1]) {
		case '"': case '\\': case '/':
			cp = (unsigned char)s[i + 1];
			break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if (i + 6 > n || (a = hex4(s + i + 2)) < 0)
				return -1;
			if (a >= 0xDC00 && a <= 0xDFFF)
				return -1;
			if (a >= 0xD800 && a <= 0xDBFF) {
				if (i + 12 > n || s[i + 6] != '\\' ||
				    s[i + 7] != 'u' ||
				    (b = hex4(s + i + 8)) < 0 || b < 0xDC00 ||
				    b > 0xDFFF)
					return -1;
				cp = 0x10000 + ((((unsigned long)a & 0x3FF)
						 << 10) |
						((unsigned long)b & 0x3FF));
				i += 6;
			} else {
				cp = (unsigned long)a;
			}
			i += 6;
			if (out) {
				if (cp < 0x80) {
					out[o] = (char)cp;
				} else if (cp < 0x800) {
					out[o] = (char)(0xC0 | (cp >> 6));
					out[o + 1] = (char)(0x80 | (cp & 0x3F));
				} else if (cp < 0x10000) {
					out[o] = (char)(0xE0 | (cp >> 12));
					out[o + 1] = (char)(0x80 |
							    ((cp >> 6) & 0x3F));
					out[o + 2] = (char)(0x80 | (cp & 0x3F));
				} else {
					out[o] = (char)(0xF0 | (cp >> 18));
					out[o + 1] = (char)(0x80 |
							    ((cp >> 12) & 0x3F));
					out[o + 2] = (char)(0x80 |
							    ((cp >> 6) & 0x3F));
					out[o + 3] = (char)(0x80 | (cp & 0x3F));
				}
			}
			o += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3
									 : 4;
			continue;
		default:
			return -1;
		}
		if (out)
			out[o] = (char)cp;
		o++;
		i += 2;
	}
	if (out)
		out[o] = '\0';
	return (long)o;
}

/* The members of container c, their separators and its brackets. */
static bool check_container(const m365f__jdoc *d, unsigned int c)
{
	const char *s = d->text;
	const jsmntok_t *t = d->tok;
	bool obj = t[c].type == JSMN_OBJECT, first = true;
	size_t p = (size_t)t[c].start + 1, close = (size_t)t[c].end - 1;
	unsigned int i = c + 1, end = (unsigned int)d->next[c];

	if (close < p || s[close] != (obj ? '}' : ']'))
		return false;
	while (i < end) {
		while (p < close && is_ws(s[p]))
			p++;
		if (!first) {
			if (p >= close || s[p] != ',')
				return false;
			p++;
			while (p < close && is_ws(s[p]))
				p++;
		}
		if (obj) {
			if (t[i].type != JSMN_STRING || lit_start(&t[i]) != p)
				return false;
			p = lit_end(&t[i]);
			while (p < close && is_ws(s[p]))
				p++;
			if (p >= close || s[p] != ':')
				return false;
			p++;
			while (p < close && is_ws(s[p]))
				p++;
			i = (unsigned int)d->next[i];
			if (i >= end)
				return false;
		}
		if (lit_start(&t[i]) != p)
			return false;
		p = lit_end(&t[i]);
		i = (unsigned int)d->next[i];
		first = false;
	}
	while (p < close && is_ws(s[p]))
		p++;
	return p == close;
}

/* Subtree ends, nesting, literals, escapes, separators and what is
 * around the value: true when cJSON reads the text as these tokens. */
static bool check(m365f__jdoc *d, int max_depth)
{
	int stack[1100];
	int top = -1;
	unsigned int i;
	size_t p;

	if (max_depth > (int)M365F__ARRAY_LEN(stack) - 2)
		max_depth = (int)M365F__ARRAY_LEN(stack) - 2;
	if (!d->n)
		return false;
	for (i = 0; i < d->n; i++) {
		jsmntok_t *t = &d->tok[i];
		size_t n = (size_t)(t->end - t->start);
		const char *s = d->text + t->start;

		while (top >= 0 &&
		       (size_t)t->start >= lit_end(&d->tok[stack[top]]))
			d->next[stack[top--]] = (int)i;
		if (top >= max_depth)
			return false;
		stack[++top] = (int)i;
		if (t->type == JSMN_PRIMITIVE) {
			if (!((n == 4 && !memcmp(s, "true", 4)) ||
			      (n == 5 && !memcmp(s, "false", 5)) ||
			      (n == 4 && !memcmp(s, "null", 4)) ||
			      is_number(s, n)))
				return false;
		} else if (t->type == JSMN_STRING) {
			/* a string's size (1 for a key) becomes "has escapes" */
			t->size = memchr(s, '\\', n) != NULL;
			if (t->size && decode(s, n, NULL) < 0)
				return false;
		} else if (t->type != JSMN_OBJECT && t->type != JSMN_ARRAY) {
			return false;
		}
	}
	while (top >= 0)
		d->next[stack[top--]] = (int)d->n;
	if (d->next[0] != (int)d->n)
		return false; /* more than one value */
	for (p = 0; p < lit_start(&d->tok[0]); p++)
		if (!is_ws(d->text[p]))
			return false;
	/* after the value, what m365f__json_parse() lets through */
	for (p = lit_end(&d->tok[0]); p < d->len; p++)
		if (!is_ws(d->text[p]) && d->text[p] != '\0')
			return false;
	for (i = 0; i < d->n; i++)
		if ((d->tok[i].type == JSMN_OBJECT ||
		     d->tok[i].type == JSMN_ARRAY) &&
		    !check_container(d, i))
			return false;
	return true;
}

static int tokenize(m365f__jdoc *d, const char *s, size_t n,
		    unsigned int max_tokens, int max_depth)
{
	jsmn_parser p;
	int r;

	m365f__strpool_reset(&d->keys);
	d->dp = decimal_point();
	d->text = s;
	d->len = n;
	d->n = 0;
	if (d->cap > KEEP_TOKENS) {
		/* the arrays of one huge record are not held for the rest */
		free(d->tok);
		free(d->next);
		d->tok = NULL;
		d->next = NULL;
		d->cap = 0;
	}
	if (n > INT_MAX / 2)
		return 1;
	jsmn_init(&p);
	for (;;) {
		if (d->cap) {
			r = jsmn_parse(&p, s, n, d->tok, d->cap);
			if (r != JSMN_ERROR_NOMEM)
				break;
		}
		if (d->cap >= max_tokens)
			return M365F_ELIMIT;
		{
			unsigned int ncap = d->cap ? d->cap * 2 : FIRST_TOKENS;
			jsmntok_t *tok;
			int *next;

			if (ncap > max_tokens)
				ncap = max_tokens;
			tok = realloc(d->tok, ncap * sizeof(*tok));
			if (!tok)
				return M365F_ENOMEM;
			d->tok = tok;
			next = realloc(d->next, ncap * sizeof(*next));
			if (!next)
				return M365F_ENOMEM;
			d->next = next;
			d->cap = ncap;
		}
	}
	if (r <= 0)
		return 1;
	d->n = (unsigned int)r;
	return check(d, max_depth) ? M365F_OK : 1;
}

int m365f__jdoc_parse(m365f__jdoc *d, const char *s, size_t n)
{
	/* below cJSON's nesting limit of 1000: what is taken, cJSON takes */
	return tokenize(d, s, n, M365F__JDOC_MAX_VALUES, 512);
}

bool m365f__jdoc_long_ints(const m365f__jdoc *d)
{
	unsigned int i;

	for (i = 0; i < d->n; i++) {
		const jsmntok_t *t = &d->tok[i];
		const char *s = d->text + t->start;
		size_t n = (size_t)(t->end - t->start);

		if (t->type != JSMN_PRIMITIVE)
			continue;
		if (n && *s == '-') {
			s++;
			n--;
		}
		if (n > 15 && is_digit(*s) && !memchr(s, '.', n) &&
		    !memchr(s, 'e', n) && !memchr(s, 'E', n))
			return true;
	}
	return false;
}

/* A number cJSON does not print as itself: -0 (as 0), beyond the range
 * of a double (as null), or one whose 15 digits read back as a neighbour
 * (cJSON's check allows an epsilon). Its exact text goes in buf. */
static bool odd_number(const cJSON *j, char *buf, size_t n)
{
	double d = j->valuedouble;
	char dp, *p;

	if (!cJSON_IsNumber(j))
		return false;
	if (isinf(d)) {
		snprintf(buf, n, "%s", d < 0 ? "-1e999" : "1e999");
		return true;
	}
	if (d == 0 && signbit(d)) {
		snprintf(buf, n, "-0");
		return true;
	}
	if (d == (double)j->valueint)
		return false;
	snprintf(buf, n, "%1.15g", d);
	if (strtod(buf, NULL) == d)
		return false;
	snprintf(buf, n, "%1.17g", d);
	/* JSON's decimal point, whatever the locale's */
	dp = decimal_point();
	if (dp != '.' && (p = strchr(buf, dp)) != NULL)
		*p = '.';
	return true;
}

static bool has_odd_numbers(const cJSON *j, int depth)
{
	const cJSON *c;
	char buf[40];

	if (depth > 2048)
		return false;
	cJSON_ArrayForEach(c, j)
		if (odd_number(c, buf, sizeof(buf)) ||
		    has_odd_numbers(c, depth + 1))
			return true;
	return false;
}

/* In a copy of the tree: such numbers as raw text that reads back the
 * same (keys kept, so repeated keys stay where they are). */
static int raw_odd_numbers(cJSON *j, int depth)
{
	cJSON *c, *next, *r;
	char buf[40];

	if (depth > 2048)
		return M365F_OK;
	for (c = j->child; c; c = next) {
		next = c->next;
		if (!odd_number(c, buf, sizeof(buf))) {
			if (raw_odd_numbers(c, depth + 1))
				return M365F_ENOMEM;
			continue;
		}
		r = cJSON_CreateRaw(buf);
		if (!r)
			return M365F_ENOMEM;
		r->string = c->string;
		r->type |= c->type & cJSON_StringIsConst;
		c->string = NULL;
		if (!cJSON_ReplaceItemViaPointer(j, c, r)) {
			c->string = r->string;
			r->string = NULL;
			cJSON_Delete(r);
			return M365F_ENOMEM;
		}
	}
	return M365F_OK;
}

int m365f__jdoc_from_cjson(m365f__jdoc *d, const cJSON *j)
{
	cJSON *copy = NULL;
	char *txt;
	int rc;

	if (has_odd_numbers(j, 0)) {
		copy = cJSON_Duplicate(j, 1);
		if (!copy || raw_odd_numbers(copy, 0)) {
			cJSON_Delete(copy);
			return M365F_ENOMEM;
		}
		j = copy;
	}
	txt = cJSON_PrintUnformatted(j);
	cJSON_Delete(copy);
	if (!txt)
		return M365F_ENOMEM;
	m365f__buf_reset(&d->own);
	rc = m365f__buf_append(&d->own, txt, strlen(txt));
	cJSON_free(txt);
	if (rc)
		return rc;
	/* a tree cJSON holds is never refused for its depth */
	rc = tokenize(d, d->own.data ? d->own.data : "", d->own.len,
		      M365F__JDOC_MAX_VALUES, 1090);
	return rc == 1 ? M365F_ERROR : rc;
}

cJSON *m365f__jdoc_members(m365f__jdoc *d, m365f__strpool *pool)
{
	cJSON *obj = cJSON_CreateObject(), *item;
	const char *k, *str;
	size_t n;
	double num;
	int v;

	if (!obj || m365f__jt_type(d, 0) != M365F__JT_OBJECT)
		goto fail;
	for (v = m365f__jt_first(d, 0); v >= 0; v = m365f__jt_after(d, 0, v)) {
		k = m365f__jt_key(d, v, &n);
		/* a key NUL-terminated, kept by the tree without a copy */
		k = k ? m365f__strpool_add(&d->keys, k, n) : NULL;
		if (!k)
			goto fail;
		switch (m365f__jt_type(d, v)) {
		case M365F__JT_STRING:
			str = m365f__jt_str(d, pool, v);
			item = str ? cJSON_CreateStringReference(str) : NULL;
			break;
		case M365F__JT_NUMBER:
			item = m365f__jt_double(d, v, &num)
				       ? NULL
				       : cJSON_CreateNumber(num);
			break;
		case M365F__JT_TRUE:
			item = cJSON_CreateTrue();
			break;
		case M365F__JT_FALSE:
			item = cJSON_CreateFalse();
			break;
		case M365F__JT_NULL:
			item = cJSON_CreateNull();
			break;
		case M365F__JT_OBJECT:
			item = cJSON_CreateObject();
			break;
		default:
			item = cJSON_CreateArray();
			break;
		}
		if (!item)
			goto fail;
		if (!cJSON_AddItemToObjectCS(obj, k, item)) {
			cJSON_Delete(item);
			goto fail;
		}
	}
	return obj;
fail:
	cJSON_Delete(obj);
	return NULL;
}

/* ---------------------------------------------------------------- access */

int m365f__jt_type(const m365f__jdoc *d, int i)
{
	const jsmntok_t *t;

	if (i < 0 || (unsigned int)i >= d->n)
		return M365F__JT_NONE;
	t = &d->tok[i];
	switch (t->type) {
	case JSMN_OBJECT:
		return M365F__JT_OBJECT;
	case JSMN_ARRAY:
		return M365F__JT_ARRAY;
	case JSMN_STRING:
		return M365F__JT_STRING;
	default:
		break;
	}
	switch (d->text[t->start]) {
	case 't':
		return M365F__JT_TRUE;
	case 'f':
		return M365F__JT_FALSE;
	case 'n':
		return M365F__JT_NULL;
	default:
		return M365F__JT_NUMBER;
	}
}

int m365f__jt_first(const m365f__jdoc *d, int c)
{
	int t = m365f__jt_type(d, c);

	if ((t != M365F__JT_OBJECT && t != M365F__JT_ARRAY) ||
	    d->tok[c].size == 0)
		return -1;
	return t == M365F__JT_OBJECT ? c + 2 : c + 1;
}

int m365f__jt_after(const m365f__jdoc *d, int c, int v)
{
	int j = d->next[v];

	if (j >= d->next[c])
		return -1;
	return d->tok[c].type == JSMN_OBJECT ? j + 1 : j;
}

/* a string token's content, decoded only when it holds escapes; *n is the
 * length up to the first NUL */
static const char *str_of(m365f__jdoc *d, m365f__strpool *pool, int i,
			  size_t *n)
{
	const jsmntok_t *t = &d->tok[i];
	const char *s = d->text + t->start;
	size_t len = (size_t)(t->end - t->start);
	const char *out;
	char *tmp;
	long dl;

	if (!t->size) {
		*n = len;
		return s;
	}
	/* decoded into the pool: reserve, then decode in place */
	out = m365f__strpool_add(pool, s, len);
	if (!out)
		return NULL;
	tmp = (char *)(uintptr_t)out;
	dl = decode(s, len, tmp);
	if (dl < 0)
		return NULL; /* checked at parse: not reached */
	*n = strlen(tmp);
	return out;
}

const char *m365f__jt_key(m365f__jdoc *d, int v, size_t *n)
{
	return str_of(d, &d->keys, v - 1, n);
}

const char *m365f__jt_str(m365f__jdoc *d, m365f__strpool *pool, int i)
{
	const char *s;
	size_t n;

	if (m365f__jt_type(d, i) != M365F__JT_STRING)
		return NULL;
	s = str_of(d, pool, i, &n);
	if (!s)
		return NULL;
	if (s >= d->text && s < d->text + d->len)
		return m365f__strpool_add(pool, s, n);
	return s;
}

int m365f__jt_double(const m365f__jdoc *d, int i, double *out)
{
	const jsmntok_t *t;
	char num[MAX_NUMBER + 1], *end, dp;
	size_t n, k;

	if (m365f__jt_type(d, i) != M365F__JT_NUMBER)
		return -1;
	t = &d->tok[i];
	n = (size_t)(t->end - t->start);
	{
		/* integers of up to 15 digits: exact in a double, the value
		 * strtod gives (-0 included) */
		const char *p = d->text + t->start;
		bool neg = *p == '-';
		double v = 0;

		for (k = neg; k < n && k - neg < 15 && is_digit(p[k]); k++)
			v = v * 10 + (p[k] - '0');
		if (k == n && k > (size_t)neg) {
			*out = neg ? -v : v;
			return 0;
		}
	}
	memcpy(num, d->text + t->start, n);
	num[n] = '\0';
	/* strtod reads the locale's decimal point, as cJSON arranges */
	dp = d->dp;
	if (dp != '.')
		for (k = 0; k < n; k++)
			if (num[k] == '.')
				num[k] = dp;
	*out = strtod(num, &end);
	return end == num ? -1 : 0;
}

int m365f__jt_int(const m365f__jdoc *d, int i)
{
	double v;

	if (m365f__jt_double(d, i, &v))
		return 0;
	/* cJSON's valueint */
	if (v >= INT_MAX)
		return INT_MAX;
	if (v <= (double)INT_MIN)
		return INT_MIN;
	return (int)v;
}

const char *m365f__jt_json(m365f__jdoc *d, m365f__strpool *pool, int i)
{
	const jsmntok_t *t = &d->tok[i];
	cJSON *j;
	char *txt;
	const char *r;

	if (m365f__jt_type(d, i) == M365F__JT_NUMBER) {
		double v;

		if (m365f__jt_double(d, i, &v))
			return NULL;
		j = cJSON_CreateNumber(v);
	} else {
		j = cJSON_ParseWithLength(d->text + lit_start(t),
					  lit_end(t) - lit_start(t));
	}
	if (!j)
		return NULL;
	txt = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (!txt)
		return NULL;
	r = m365f__strpool_add(pool, txt, strlen(txt));
	cJSON_free(txt);
	return r;
}

const char *m365f__jt_text(m365f__jdoc *d, m365f__strpool *pool, int i)
{
	char num[40];
	double v;

	switch (m365f__jt_type(d, i)) {
	case M365F__JT_NONE:
	case M365F__JT_NULL:
		return NULL;
	case M365F__JT_STRING:
		return m365f__jt_str(d, pool, i);
	case M365F__JT_TRUE:
		return "true";
	case M365F__JT_FALSE:
		return "false";
	case M365F__JT_NUMBER:
		if (m365f__jt_double(d, i, &v))
			return NULL;
		if (v == floor(v) && fabs(v) < 9e15)
			snprintf(num, sizeof(num), "%.0f", v);
		else
			snprintf(num, sizeof(num), "%.17g", v);
		return m365f__strpool_add(pool, num, strlen(num));
	default:
		return m365f__jt_json(d, pool, i);
	}
}

/* ASCII case-insensitive equality of two keys of the same length */
static bool key_ieq(const char *a, const char *b, size_t n)
{
	return !strncasecmp(a, b, n);
}

void m365f__jt_index(m365f__jdoc *d, int obj, const char *const *keys,
		     const unsigned char *lens, size_t n, int *out)
{
	int ci[64], v;
	unsigned char head[256], next[64]; /* keys by length: index + 1 */
	size_t i, k, len;

	for (i = 0; i < n; i++)
		out[i] = ci[i] = -1;
	if (m365f__jt_type(d, obj) != M365F__JT_OBJECT ||
	    n > M365F__ARRAY_LEN(ci))
		return;
	memset(head, 0, sizeof(head));
	for (i = n; i-- > 0;) {
		next[i] = head[lens[i]];
		head[lens[i]] = (unsigned char)(i + 1);
	}
	for (v = m365f__jt_first(d, obj); v >= 0;
	     v = m365f__jt_after(d, obj, v)) {
		const char *key = m365f__jt_key(d, v, &len);

		if (!key || len >= sizeof(head))
			continue;
		for (k = head[len]; k; k = next[k - 1]) {
			i = k - 1;
			if (out[i] >= 0)
				continue;
			if (!memcmp(key, keys[i], len))
				out[i] = v;
			else if (ci[i] < 0 &&
				 (key[0] | 0x20) == (keys[i][0] | 0x20) &&
				 key_ieq(key, keys[i], len))
				ci[i] = v;
		}
	}
	for (i = 0; i < n; i++)
		if (out[i] < 0)
			out[i] = ci[i];
}

int m365f__jt_get(m365f__jdoc *d, int obj, const char *key)
{
	size_t n = strlen(key);
	unsigned char len = (unsigned char)n;
	int out;

	if (n > 255)
		return -1;
	m365f__jt_index(d, obj, &key, &len, 1, &out);
	return out;
}

/* ------------------------------------------------------------ canonical */

/* The canonical form is streamed into SHA-256 through a small buffer: no
 * allocation per record, no printf on the hot path. */
typedef struct {
	struct sha256_ctx sha;
	size_t n;
	uint8_t buf[4096];
} canon_ctx;

static void canon_put(canon_ctx *x, const void *p, size_t n)
{
	if (n > sizeof(x->buf) - x->n) {
		sha256_update(&x->sha, x->n, x->buf);
		x->n = 0;
		if (n >= sizeof(x->buf)) {
			sha256_update(&x->sha, n, p);
			return;
		}
	}
	memcpy(x->buf + x->n, p, n);
	x->n += n;
}

/* tag, decimal length, ':' (the "s%zu:" and "k%zu:" of the form) */
static void canon_len(canon_ctx *x, char tag, size_t len)
{
	char tmp[24], *e = tmp + sizeof(tmp), *p = e;

	*--p = ':';
	do
		*--p = (char)('0' + len % 10);
	while ((len /= 10) != 0);
	*--p = tag;
	canon_put(x, p, (size_t)(e - p));
}

static void canon_num(canon_ctx *x, double d)
{
	char num[40];

	if (d == floor(d) && fabs(d) < 9e15) {
		/* "n%.0f;" for integers, without printf */
		char *e = num + sizeof(num), *p = e;
		int64_t v = (int64_t)d;
		uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

		*--p = ';';
		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (v < 0 || (v == 0 && signbit(d)))
			*--p = '-';
		*--p = 'n';
		canon_put(x, p, (size_t)(e - p));
		return;
	}
	snprintf(num, sizeof(num), "n%.17g;", d);
	canon_put(x, num, strlen(num));
}

typedef struct {
	const char *key;
	size_t len;
	int v;
} member;

/* strcmp() order of the keys (no key holds a NUL); equal keys in the
 * order written, so that any sort gives the one order */
static int member_cmp(const void *a, const void *b)
{
	const member *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int r;

	/* most keys differ in their first byte */
	if (n && x->key[0] != y->key[0])
		return (unsigned char)x->key[0] < (unsigned char)y->key[0]
			       ? -1
			       : 1;
	r = memcmp(x->key, y->key, n);
	if (r)
		return r;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->v < y->v ? -1 : x->v > y->v;
}

/* Canonical form: type byte, then content; strings as length + bytes;
 * object members sorted by key, equal keys as written. */
static int canon(m365f__jdoc *d, int i, canon_ctx *out, int depth)
{
	const char *s;
	size_t len;
	double v;
	int rc = 0, c;

	if (depth > 2048)
		return M365F_ELIMIT;
	switch (m365f__jt_type(d, i)) {
	case M365F__JT_STRING:
		s = str_of(d, &d->keys, i, &len);
		if (!s)
			return M365F_ENOMEM;
		canon_len(out, 's', len);
		canon_put(out, s, len);
		break;
	case M365F__JT_NUMBER:
		if (m365f__jt_double(d, i, &v))
			return M365F_ERROR;
		canon_num(out, v);
		break;
	case M365F__JT_TRUE:
		canon_put(out, "t", 1);
		break;
	case M365F__JT_FALSE:
		canon_put(out, "f", 1);
		break;
	case M365F__JT_NULL:
		canon_put(out, "z", 1);
		break;
	case M365F__JT_ARRAY:
		canon_put(out, "[", 1);
		for (c = m365f__jt_first(d, i); c >= 0 && !rc;
		     c = m365f__jt_after(d, i, c))
			rc = canon(d, c, out, depth + 1);
		if (!rc)
			canon_put(out, "]", 1);
		break;
	case M365F__JT_OBJECT: {
		member small[48], *m = small;
		size_t n = (size_t)d->tok[i].size, k, j;

		if (n > M365F__ARRAY_LEN(small)) {
			m = malloc(n * sizeof(*m));
			if (!m)
				return M365F_ENOMEM;
		}
		k = 0;
		for (c = m365f__jt_first(d, i); c >= 0 && k < n;
		     c = m365f__jt_after(d, i, c)) {
			m[k].key = m365f__jt_key(d, c, &m[k].len);
			if (!m[k].key) {
				rc = M365F_ENOMEM;
				break;
			}
			m[k++].v = c;
		}
		if (!rc && n > M365F__ARRAY_LEN(small)) {
			qsort(m, k, sizeof(*m), member_cmp);
		} else if (!rc) {
			/* insertion sort: objects are small and often nearly
			 * sorted */
			for (j = 1; j < k; j++) {
				member t = m[j];
				size_t h;

				for (h = j; h > 0 && member_cmp(&m[h - 1], &t) > 0;
				     h--)
					m[h] = m[h - 1];
				m[h] = t;
			}
		}
		if (!rc)
			canon_put(out, "{", 1);
		for (j = 0; j < k && !rc; j++) {
			canon_len(out, 'k', m[j].len);
			canon_put(out, m[j].key, m[j].len);
			rc = canon(d, m[j].v, out, depth + 1);
		}
		if (!rc)
			canon_put(out, "}", 1);
		if (m != small)
			free(m);
		break;
	}
	default:
		return M365F_ERROR;
	}
	return rc;
}

int m365f__jt_hash(m365f__jdoc *d, int i, int64_t *out)
{
	canon_ctx x;
	int rc;

	x.n = 0;
	sha256_init(&x.sha);
	rc = canon(d, i, &x, 0);
	if (!rc) {
		sha256_update(&x.sha, x.n, x.buf);
		*out = m365f__sha_digest64(&x.sha);
	}
	return rc;
}
