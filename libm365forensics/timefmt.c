/* SPDX-License-Identifier: MIT */
/*
 * timefmt.c - every timestamp form seen in the exports, to UTC ms.
 * ISO 8601 (AuditData CreationTime has no zone: UTC), "9/26/2023 1:56:15 AM"
 * (Purview CSV), "4/28/2021, 2:08:45.221 PM" (Log Analytics), "26.09.2023
 * 01:56:15" (de-DE), "\/Date(1695182703000)\/" (Windows PowerShell JSON).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "m365f-private.h"

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

typedef struct {
	const char *p, *end;
} cur;

static bool eat(cur *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

static void skip_space(cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* Read 1..maxd digits; returns digit count (0 = none). */
static int num(cur *c, int maxd, int *out)
{
	int n = 0, v = 0;

	while (c->p < c->end && n < maxd && isdigit((unsigned char)*c->p)) {
		v = v * 10 + (*c->p - '0');
		c->p++;
		n++;
	}
	*out = v;
	return n;
}

/* Fraction after '.' or ',': milliseconds, extra digits ignored. */
static int frac_ms(cur *c)
{
	int ms = 0, n = 0;

	while (c->p < c->end && isdigit((unsigned char)*c->p)) {
		if (n < 3)
			ms = ms * 10 + (*c->p - '0');
		n++;
		c->p++;
	}
	while (n < 3) {
		ms *= 10;
		n++;
	}
	return ms;
}

/* Optional zone: Z, +hh:mm, +hhmm, +hh, " UTC", " GMT". Seconds to
 * subtract in *off. Returns false on a malformed zone. */
static bool zone(cur *c, int *off)
{
	int h = 0, m = 0, sign;

	*off = 0;
	skip_space(c);
	if (c->p >= c->end)
		return true;
	if (*c->p == 'Z' || *c->p == 'z') {
		c->p++;
		return true;
	}
	if (c->end - c->p >= 3 && (!strncmp(c->p, "UTC", 3) ||
				   !strncmp(c->p, "GMT", 3))) {
		c->p += 3;
		if (c->p >= c->end)
			return true;
	}
	if (*c->p != '+' && *c->p != '-')
		return false;
	sign = *c->p == '-' ? -1 : 1;
	c->p++;
	if (num(c, 2, &h) != 2)
		return false;
	eat(c, ':');
	if (c->p < c->end && num(c, 2, &m) != 2)
		return false;
	if (h > 14 || m > 59)
		return false;
	*off = sign * (h * 3600 + m * 60);
	return true;
}

/* Time of day "h:mm[:ss[.fff]] [AM|PM]". */
static bool clock(cur *c, int *hh, int *mi, int *ss, int *ms)
{
	*ss = *ms = 0;
	if (!num(c, 2, hh) || !eat(c, ':') || num(c, 2, mi) != 2)
		return false;
	if (eat(c, ':')) {
		if (num(c, 2, ss) != 2)
			return false;
		if (c->p < c->end && (*c->p == '.' || *c->p == ','))
			c->p++, *ms = frac_ms(c);
	}
	skip_space(c);
	if (c->end - c->p >= 2) {
		char a = (char)toupper((unsigned char)c->p[0]);
		char b = (char)toupper((unsigned char)c->p[1]);

		if ((a == 'A' || a == 'P') && b == 'M') {
			if (*hh < 1 || *hh > 12)
				return false;
			if (a == 'A' && *hh == 12)
				*hh = 0;
			else if (a == 'P' && *hh != 12)
				*hh += 12;
			c->p += 2;
		}
	}
	return *hh <= 23 && *mi <= 59 && *ss <= 60;
}

static int finish(int y, int mo, int d, int hh, int mi, int ss, int ms,
		  int off, int64_t *out)
{
	if (y < 1601 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo))
		return -1;
	if (ss == 60)
		ss = 59; /* leap second: keep inside the minute */
	*out = ((days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss -
		 off) * 1000) + ms;
	return 0;
}

int m365f__time_parse_order(const char *s, size_t n, int order, int64_t *ms,
			    bool *ambiguous)
{
	cur c = { s, s + n };
	int a, b, y, hh = 0, mi = 0, ss = 0, msec = 0, off = 0, da, db;

	if (ambiguous)
		*ambiguous = false;
	/* trim */
	while (c.p < c.end && isspace((unsigned char)*c.p))
		c.p++;
	while (c.end > c.p && isspace((unsigned char)c.end[-1]))
		c.end--;
	if (c.p >= c.end)
		return -1;

	/* "/Date(1695182703000)/" or "\/Date(...)\/"; .NET may add an
	 * offset ("+0100") that does not change the instant. The text is
	 * (s, n), not a C string: every look stays inside it. */
	if (c.end - c.p > 7 &&
	    (!strncmp(c.p, "/Date(", 6) || !strncmp(c.p, "\\/Date(", 7))) {
		const char *q = c.p + (*c.p == '/' ? 6 : 7);
		long long v = 0;
		bool neg = false;
		int digits = 0;

		if (q < c.end && *q == '-')
			neg = true, q++;
		while (q < c.end && isdigit((unsigned char)*q) && digits < 16)
			v = v * 10 + (*q++ - '0'), digits++;
		if (!digits)
			return -1;
		if (q < c.end && (*q == '+' || *q == '-')) {
			int k = 0;

			for (q++; q < c.end && isdigit((unsigned char)*q); q++)
				k++;
			if (k != 4)
				return -1;
		}
		/* the end: ")/" or, JSON-escaped, ")\\/" */
		if (!(c.end - q == 2 && !strncmp(q, ")/", 2)) &&
		    !(c.end - q == 3 && !strncmp(q, ")\\/", 3)))
			return -1;
		v = neg ? -v : v;
		/* the years every other form accepts (1601-9999): a time
		 * read here must also read back from its ISO-8601 text */
		if (v < days_from_civil(1601, 1, 1) * 86400000 ||
		    v >= days_from_civil(10000, 1, 1) * 86400000)
			return -1;
		*ms = v;
		return 0;
	}

	da = num(&c, 4, &a);
	if (da == 4 && eat(&c, '-')) {
		/* ISO: yyyy-mm-dd[Thh:mm[:ss[.f]]][zone] */
		y = a;
		if (num(&c, 2, &b) != 2 || !eat(&c, '-') || num(&c, 2, &db) != 2)
			return -1;
		if (c.p < c.end) {
			if (*c.p != 'T' && *c.p != 't' && *c.p != ' ')
				return -1;
			c.p++;
			skip_space(&c);
			if (!clock(&c, &hh, &mi, &ss, &msec))
				return -1;
			if (!zone(&c, &off))
				return -1;
		}
		if (c.p != c.end)
			return -1;
		return finish(y, b, db, hh, mi, ss, msec, off, ms);
	}
	if (da < 1 || da > 2)
		return -1;
	if (eat(&c, '.')) {
		/* dd.MM.yyyy HH:mm[:ss] */
		if (!num(&c, 2, &b) || !eat(&c, '.') || num(&c, 4, &y) != 4)
			return -1;
		skip_space(&c);
		if (c.p < c.end && !clock(&c, &hh, &mi, &ss, &msec))
			return -1;
		if (!zone(&c, &off) || c.p != c.end)
			return -1;
		return finish(y, b, a, hh, mi, ss, msec, off, ms);
	}
	if (!eat(&c, '/'))
		return -1;
	/* a/b/yyyy[,] h:mm[:ss[.fff]] [AM|PM] [zone] */
	db = num(&c, 2, &b);
	if (!db || !eat(&c, '/') || num(&c, 4, &y) != 4)
		return -1;
	if (eat(&c, ','))
		order = 1; /* "4/28/2021, 2:08:45.221 PM": Log Analytics,
			      always month first */
	skip_space(&c);
	if (c.p < c.end && !clock(&c, &hh, &mi, &ss, &msec))
		return -1;
	if (!zone(&c, &off) || c.p != c.end)
		return -1;
	if (order == 2 && b <= 12)
		return finish(y, b, a, hh, mi, ss, msec, off, ms);
	if (a <= 12) {
		/* month first (en-US), the portal's form */
		if (order == 0 && b <= 12 && a != b && ambiguous)
			*ambiguous = true;
		if (finish(y, a, b, hh, mi, ss, msec, off, ms) == 0)
			return 0;
	}
	/* only day-first makes sense (13/1/2023) */
	return finish(y, b, a, hh, mi, ss, msec, off, ms);
}

int m365f__time_parse(const char *s, size_t n, int64_t *ms, bool *ambiguous)
{
	return m365f__time_parse_order(s, n, 0, ms, ambiguous);
}

void m365f__time_format(int64_t ms, char out[32])
{
	int64_t secs, days, rem, z, era, doe, yoe, y, doy, mp, d, m;
	int msec;

	secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	msec = (int)(ms - secs * 1000);
	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	rem = secs - days * 86400;
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	if (y < 0 || y > 9999) {
		snprintf(out, 32, "%s", y < 0 ? "0000-01-01T00:00:00.000Z"
					      : "9999-12-31T23:59:59.999Z");
		return;
	}
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)y,
		 (int)m, (int)d, (int)(rem / 3600), (int)(rem / 60 % 60),
		 (int)(rem % 60), msec % 1000);
}
