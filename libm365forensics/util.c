/* SPDX-License-Identifier: MIT */
/* util.c - strings, string pools, hashing and JSON helpers. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <nettle/sha2.h>

#include "m365f-private.h"

char *m365f__strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *m365f__strdup_lower(const char *s)
{
	size_t i, n = strlen(s);
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	for (i = 0; i < n; i++)
		p[i] = (char)tolower((unsigned char)s[i]);
	p[n] = '\0';
	return p;
}

bool m365f__strieq(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

bool m365f__has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = s ? strlen(s) : 0, k = strlen(suffix);

	return n >= k && m365f__strieq(s + n - k, suffix);
}

bool m365f__has_prefix_ci(const char *s, const char *prefix)
{
	if (!s)
		return false;
	for (; *prefix; s++, prefix++)
		if (tolower((unsigned char)*s) !=
		    tolower((unsigned char)*prefix))
			return false;
	return true;
}

/* ------------------------------------------------------------ string pool */

#define POOL_BLOCK 8192

const char *m365f__strpool_add(m365f__strpool *p, const char *s, size_t n)
{
	char *copy;

	if (n >= SIZE_MAX - POOL_BLOCK)
		return NULL;
	if (!p->n || p->room - p->fill < n + 1) {
		size_t size = n + 1 > POOL_BLOCK ? n + 1 : POOL_BLOCK;
		char *block;

		if (p->n == p->cap) {
			size_t ncap = p->cap ? p->cap * 2 : 8;
			char **items = realloc(p->items,
					       ncap * sizeof(*items));

			if (!items)
				return NULL;
			p->items = items;
			p->cap = ncap;
		}
		block = malloc(size);
		if (!block)
			return NULL;
		p->items[p->n++] = block;
		p->fill = 0;
		p->room = size;
	}
	copy = p->items[p->n - 1] + p->fill;
	memcpy(copy, s, n);
	copy[n] = '\0';
	p->fill += n + 1;
	return copy;
}

void m365f__strpool_reset(m365f__strpool *p)
{
	size_t i;

	/* keep one ordinary block for the next record */
	for (i = 0; i < p->n; i++) {
		if (i == 0 && p->n == 1 && p->room == POOL_BLOCK)
			continue;
		free(p->items[i]);
	}
	p->n = p->n == 1 && p->room == POOL_BLOCK ? 1 : 0;
	p->fill = 0;
	p->room = p->n ? POOL_BLOCK : 0;
}

void m365f__strpool_free(m365f__strpool *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->items[i]);
	free(p->items);
	memset(p, 0, sizeof(*p));
}

/* ---------------------------------------------------------------- hashing */

int64_t m365f__sha_digest64(struct sha256_ctx *ctx)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	uint64_t v = 0;
	int i;

	sha256_digest(ctx, sizeof(d), d);
	for (i = 0; i < 8; i++)
		v = (v << 8) | d[i];
	/* keep it positive and non-zero so 0 can mean "none" */
	v &= 0x7fffffffffffffffULL;
	return v ? (int64_t)v : 1;
}

int64_t m365f__hash_parts(const char *const *parts, size_t n)
{
	struct sha256_ctx ctx;
	size_t i;

	sha256_init(&ctx);
	for (i = 0; i < n; i++) {
		if (parts[i])
			sha256_update(&ctx, strlen(parts[i]),
				      (const uint8_t *)parts[i]);
		sha256_update(&ctx, 1, (const uint8_t *)"");
	}
	return m365f__sha_digest64(&ctx);
}

/* ------------------------------------------------------------ JSON access */

const cJSON *m365f__j(const cJSON *obj, const char *key)
{
	const cJSON *it;

	if (!cJSON_IsObject(obj))
		return NULL;
	it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!it)
		it = cJSON_GetObjectItem(obj, key);
	return it;
}

const char *m365f__jstr(const cJSON *obj, const char *key)
{
	const cJSON *it = m365f__j(obj, key);

	return cJSON_IsString(it) ? it->valuestring : NULL;
}

static const char *jtext_item(m365f__ingest *ing, const cJSON *it)
{
	char num[40];

	if (!it || cJSON_IsNull(it))
		return NULL;
	if (cJSON_IsString(it))
		return it->valuestring;
	if (cJSON_IsBool(it))
		return cJSON_IsTrue(it) ? "true" : "false";
	if (cJSON_IsNumber(it)) {
		double d = it->valuedouble;

		if (d == floor(d) && fabs(d) < 9e15)
			snprintf(num, sizeof(num), "%.0f", d);
		else
			snprintf(num, sizeof(num), "%.17g", d);
		return m365f__strpool_add(m365f__ingest_pool(ing), num,
					  strlen(num));
	}
	{
		char *txt = cJSON_PrintUnformatted(it);
		const char *r;

		if (!txt)
			return NULL;
		r = m365f__strpool_add(m365f__ingest_pool(ing), txt,
				       strlen(txt));
		cJSON_free(txt);
		return r;
	}
}

const char *m365f__jtext(m365f__ingest *ing, const cJSON *obj,
			 const char *key)
{
	return jtext_item(ing, m365f__j(obj, key));
}

cJSON *m365f__json_parse_inner(const char *s)
{
	const char *p = s;

	if (!s)
		return NULL;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p != '{' && *p != '[')
		return NULL;
	return cJSON_Parse(s);
}

/* Quote integer tokens of more than 15 digits so that cJSON (which keeps
 * numbers as doubles) does not round them: RuleIdentity values are
 * unsigned 64-bit. Returns NULL when nothing needed quoting. */
static char *quote_bigints(const char *s, size_t n, size_t *outlen)
{
	m365f__buf b;
	size_t i = 0, last = 0;
	bool in_str = false, changed = false;

	m365f__buf_init(&b, 0);
	while (i < n) {
		char c = s[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			i++;
			continue;
		}
		if (c == '"') {
			in_str = true;
			i++;
			continue;
		}
		if ((c == '-' || isdigit((unsigned char)c))) {
			size_t j = i + (c == '-'), k, e;

			k = j;
			while (k < n && isdigit((unsigned char)s[k]))
				k++;
			/* the rest of the number: its exponent's digits are
			 * not an integer of their own */
			e = k;
			if (e < n && s[e] == '.')
				for (e++; e < n && isdigit((unsigned char)s[e]);)
					e++;
			if (e < n && (s[e] == 'e' || s[e] == 'E')) {
				e++;
				if (e < n && (s[e] == '+' || s[e] == '-'))
					e++;
				while (e < n && isdigit((unsigned char)s[e]))
					e++;
			}
			if (k - j > 15 && e == k) {
				if (m365f__buf_append(&b, s + last, i - last) ||
				    m365f__buf_putc(&b, '"') ||
				    m365f__buf_append(&b, s + i, k - i) ||
				    m365f__buf_putc(&b, '"'))
					goto fail;
				last = k;
				changed = true;
			}
			i = e > i ? e : i + 1;
			continue;
		}
		i++;
	}
	if (!changed) {
		m365f__buf_free(&b);
		return NULL;
	}
	if (m365f__buf_append(&b, s + last, n - last))
		goto fail;
	*outlen = b.len;
	return b.data;
fail:
	m365f__buf_free(&b);
	return NULL;
}

cJSON *m365f__json_parse(const char *s, size_t n, unsigned int flags,
			 unsigned long *line, unsigned long *col)
{
	const char *end = NULL, *p;
	char *copy = NULL;
	size_t len = n;
	cJSON *j;
	unsigned long l = 1, c = 1;

	if (flags & M365F__JSON_BIGINT)
		copy = quote_bigints(s, n, &len);
	j = cJSON_ParseWithLengthOpts(copy ? copy : s, len, &end, 0);
	if (j) {
		/* only white space may follow */
		const char *stop = (copy ? copy : s) + len;

		for (p = end; p < stop; p++)
			if (*p != ' ' && *p != '\t' && *p != '\r' &&
			    *p != '\n' && *p != '\0')
				break;
		if (p == stop) {
			free(copy);
			return j;
		}
		cJSON_Delete(j);
		j = NULL;
		end = p;
	}
	if (line || col) {
		const char *base = copy ? copy : s;

		if (!end || end < base || end > base + len)
			end = base + len;
		for (p = base; p < end; p++) {
			if (*p == '\n') {
				l++;
				c = 1;
			} else if ((*p & 0xC0) != 0x80) {
				c++;
			}
		}
		if (line)
			*line = l;
		if (col)
			*col = c;
	}
	free(copy);
	return NULL;
}
