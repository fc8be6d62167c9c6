/* SPDX-License-Identifier: MIT */
/*
 * ipaddr.c - client address normalization. Exchange writes
 * "185.73.124.135:19823" and "[2a01:110:8068::5f1f]:36185"; others write
 * "::ffff:1.2.3.4" or bare addresses. The timeline keeps the address
 * alone, canonical, IPv4-mapped IPv6 unwrapped.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

static int parse_port(const char *p, const char *end)
{
	long v = 0;

	if (p >= end || end - p > 5)
		return -1;
	for (; p < end; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v <= 65535 ? (int)v : -1;
}

int m365f__ip_normalize(const char *s, size_t n, char out[64], int *port)
{
	const char *b = s, *e = s + n, *colon;
	char tmp[64];
	unsigned char addr[16];
	size_t len;
	int pt = 0;

	*port = 0;
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	len = (size_t)(e - b);

	if (len && *b == '[') {
		const char *rb = memchr(b, ']', len);

		if (rb) {
			if (rb + 1 < e && rb[1] == ':') {
				pt = parse_port(rb + 2, e);
				if (pt < 0)
					goto verbatim;
			} else if (rb + 1 != e) {
				goto verbatim;
			}
			b++;
			e = rb;
			len = (size_t)(e - b);
		}
	} else if ((colon = memchr(b, ':', len)) != NULL &&
		   memchr(colon + 1, ':', (size_t)(e - colon - 1)) == NULL &&
		   memchr(b, '.', (size_t)(colon - b)) != NULL) {
		/* a.b.c.d:port */
		pt = parse_port(colon + 1, e);
		if (pt < 0)
			goto verbatim;
		e = colon;
		len = (size_t)(e - b);
	}
	if (len == 0 || len >= sizeof(tmp))
		goto verbatim;
	memcpy(tmp, b, len);
	tmp[len] = '\0';
	{
		char *pct = strchr(tmp, '%');

		if (pct)
			*pct = '\0';
	}
	if (inet_pton(AF_INET, tmp, addr) == 1) {
		inet_ntop(AF_INET, addr, out, 64);
		*port = pt;
		return 1;
	}
	if (inet_pton(AF_INET6, tmp, addr) == 1) {
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0,
							  0, 0, 0, 0, 0xff, 0xff };

		if (!memcmp(addr, mapped, 12))
			inet_ntop(AF_INET, addr + 12, out, 64);
		else
			inet_ntop(AF_INET6, addr, out, 64);
		*port = pt;
		return 1;
	}
verbatim:
	/* not an address: a host name keeps its text, without brackets and
	 * port ("[localhost]:12345", "host.example:443") */
	b = s;
	e = s + n;
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	pt = 0;
	if (e > b && *b == '[') {
		const char *rb = memchr(b, ']', (size_t)(e - b));

		if (rb && rb > b + 1 &&
		    (rb + 1 == e ||
		     (rb[1] == ':' && (pt = parse_port(rb + 2, e)) >= 0))) {
			b++;
			e = rb;
		} else {
			pt = 0;
		}
	} else if ((colon = memchr(b, ':', (size_t)(e - b))) != NULL &&
		   colon > b &&
		   !memchr(colon + 1, ':', (size_t)(e - colon - 1)) &&
		   (pt = parse_port(colon + 1, e)) >= 0) {
		e = colon;
	} else {
		pt = 0;
	}
	if (pt < 0)
		pt = 0;
	*port = pt;
	len = (size_t)(e - b);
	if (len > 63)
		len = 63;
	memcpy(out, b, len);
	out[len] = '\0';
	return 0;
}
