/* SPDX-License-Identifier: MIT */
/* buf.c - growable byte buffers; every buffer has a cap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

void m365f__buf_init(m365f__buf *b, size_t limit)
{
	memset(b, 0, sizeof(*b));
	b->limit = limit;
}

void m365f__buf_free(m365f__buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void m365f__buf_reset(m365f__buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

int m365f__buf_reserve(m365f__buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return M365F_ELIMIT;
	need = b->len + extra + 1;
	if (b->limit && need > b->limit + 1)
		return M365F_ELIMIT;
	if (need <= b->cap)
		return M365F_OK;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	if (b->limit && ncap > b->limit + 1)
		ncap = b->limit + 1;
	p = realloc(b->data, ncap);
	if (!p)
		return M365F_ENOMEM;
	b->data = p;
	b->cap = ncap;
	return M365F_OK;
}

int m365f__buf_append(m365f__buf *b, const void *p, size_t n)
{
	int rc = m365f__buf_reserve(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return M365F_OK;
}

int m365f__buf_putc(m365f__buf *b, char c)
{
	return m365f__buf_append(b, &c, 1);
}

int m365f__buf_printf(m365f__buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return M365F_ERROR;
	rc = m365f__buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return M365F_OK;
}

const char *m365f__buf_cstr(m365f__buf *b)
{
	if (!b->data) {
		if (m365f__buf_reserve(b, 0) || !b->data)
			return "";
		b->data[0] = '\0';
	}
	return b->data;
}
