/* SPDX-License-Identifier: MIT */
/* test-timefmt.c - every timestamp form of the exports, to UTC ms. */
#include <stdbool.h>
#include <stdint.h>

#include "m365f-private.h"
#include "test.h"

/* 2007-01-09T09:41:00Z, the instant of the corpus corner-case file */
#define T2007 1168335660000LL

static int64_t parse(const char *s, int order, bool *amb)
{
	int64_t ms = -1;
	bool a = false;

	if (m365f__time_parse_order(s, strlen(s), order, &ms, &a) != 0)
		return INT64_MIN;
	if (amb)
		*amb = a;
	return ms;
}

static void fmt_is(int64_t ms, const char *want)
{
	char out[32];

	m365f__time_format(ms, out);
	CHECK_STR(out, want);
}

static void test_iso(void)
{
	bool amb = true;

	/* AuditData CreationTime: no zone, no fraction, means UTC */
	CHECK_INT(parse("2023-09-26T01:56:15", 0, &amb), 1695693375000LL);
	CHECK(!amb);
	CHECK_INT(parse("2023-09-26T01:56:15Z", 0, NULL), 1695693375000LL);
	CHECK_INT(parse("2023-09-26t01:56:15z", 0, NULL), 1695693375000LL);
	CHECK_INT(parse("2023-09-26 01:56:15", 0, NULL), 1695693375000LL);
	/* classic portal: 7 fraction digits; 2026 portal: trailing space */
	CHECK_INT(parse("2023-09-26T01:56:15.0000000Z", 0, NULL),
		  1695693375000LL);
	CHECK_INT(parse("2026-01-24T06:54:24.0000000Z ", 0, NULL),
		  1769237664000LL);
	CHECK_INT(parse("  2023-09-26T01:56:15.5Z", 0, NULL), 1695693375500LL);
	CHECK_INT(parse("2023-09-26T03:56:15+02:00", 0, NULL),
		  1695693375000LL);
	CHECK_INT(parse("2023-09-25T20:56:15-0500", 0, NULL),
		  1695693375000LL);
	CHECK_INT(parse("2023-09-26T01:56:15 UTC", 0, NULL), 1695693375000LL);
	CHECK_INT(parse("2023-09-26T01:56", 0, NULL), 1695693360000LL);
	CHECK_INT(parse("2023-09-26", 0, NULL), 1695686400000LL);
	/* leap day, leap second kept inside the minute */
	CHECK_INT(parse("2024-02-29T00:00:00", 0, NULL), 1709164800000LL);
	CHECK_INT(parse("2016-12-31T23:59:60Z", 0, NULL), 1483228799000LL);
}

static void test_locale_forms(void)
{
	bool amb = false;

	/* Purview portal (en-US), the same instant as CreationTime */
	CHECK_INT(parse("9/26/2023 1:56:15 AM", 0, &amb), 1695693375000LL);
	CHECK(!amb); /* 26 cannot be a month */
	CHECK_INT(parse("9/26/2023 1:56:15 PM", 0, NULL),
		  1695693375000LL + 12 * 3600000LL);
	CHECK_INT(parse("9/26/2023 12:05:00 AM", 0, NULL), 1695686700000LL);
	CHECK_INT(parse("9/26/2023 12:05:00 PM", 0, NULL), 1695729900000LL);
	/* Log Analytics: comma, milliseconds; always month first */
	CHECK_INT(parse("4/28/2021, 2:08:45.221 PM", 0, NULL),
		  1619618925221LL);
	CHECK_INT(parse("4/5/2021, 2:08:45.221 PM", 2, &amb),
		  1617631725221LL);
	CHECK(!amb);
	/* de-DE */
	CHECK_INT(parse("26.09.2023 01:56:15", 0, NULL), 1695693375000LL);
	CHECK_INT(parse("5.3.2026 02:11", 0, NULL), 1772676660000LL);
	/* the cmdlet in en-AU writes day first: with the order known */
	CHECK_INT(parse("5/3/2026 2:11:04 AM", 2, &amb), 1772676664000LL);
	CHECK(!amb);
	CHECK_INT(parse("5/3/2026 2:11:04 AM", 1, &amb), 1777774264000LL);
	CHECK(!amb);
	/* unknown order: month first, flagged as ambiguous */
	CHECK_INT(parse("5/3/2026 2:11:04 AM", 0, &amb), 1777774264000LL);
	CHECK(amb);
	/* the same number twice is not ambiguous */
	CHECK_INT(parse("3/3/2026 2:11:04 AM", 0, &amb), 1772503864000LL);
	CHECK(!amb);
	/* only day first is possible */
	CHECK_INT(parse("26/9/2023 1:56:15 AM", 0, &amb), 1695693375000LL);
	CHECK(!amb);
	/* Windows PowerShell JSON dates */
	CHECK_INT(parse("/Date(1695182703000)/", 0, NULL), 1695182703000LL);
	CHECK_INT(parse("\\/Date(1695182703000)\\/", 0, NULL),
		  1695182703000LL);
	CHECK_INT(parse("/Date(-1000)/", 0, NULL), -1000LL);
	CHECK_INT(parse("/Date(1695182703000+0100)/", 0, NULL),
		  1695182703000LL);
}

static void test_invalid(void)
{
	static const char *const bad[] = {
		"", "   ", "garbage", "2023-02-29T00:00:00", "2023-13-01",
		"2023-09-26T25:00:00", "2023-09-26T01:60:00",
		"2023-09-26X01:56:15", "2023-09-26T01:56:15+15:00",
		"2023-09-26T01:56:15 junk", "13/13/2023 1:00:00 AM",
		"9/26/2023 13:56:15 PM", "9/26/2023 0:56:15 AM", "9/26/23 1:00",
		"024-11-19T13:27:59.", "1/1/1500 1:00:00 AM", "/Date()/",
		"26.09.2023 01:56:15 x", "9/26/2023 1:56", "/Date(5)garbage",
		"/Date(5+01)/", "Date(5)",
	};
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(bad); i++) {
		int64_t ms = 0;

		if (!strcmp(bad[i], "9/26/2023 1:56"))
			continue; /* Excel drops seconds: valid, below */
		test_checks++;
		if (m365f__time_parse(bad[i], strlen(bad[i]), &ms, NULL) ==
		    0) {
			fprintf(stderr, "%s:%d: '%s' parsed as %lld\n",
				__FILE__, __LINE__, bad[i], (long long)ms);
			test_failures++;
		}
	}
	/* Excel re-save drops the seconds: still a time */
	CHECK_INT(parse("9/26/2023 1:56", 0, NULL), 1695693360000LL);
}

/* The length is the end: a buffer that is not NUL-terminated must not be
 * read past n (the text ends in a 'D' near the start so a search for
 * "Date(" would run on). */
static void test_bounded(void)
{
	const char src[] = "1 Dec 2023 and then more text Date(5)";
	char *p = malloc(10);
	int64_t ms = 0;

	if (!p) {
		test_failures++;
		return;
	}
	memcpy(p, src, 10);
	CHECK(m365f__time_parse(p, 10, &ms, NULL) != 0);
	memcpy(p, "2023-09-26", 10);
	CHECK_RC(m365f__time_parse(p, 10, &ms, NULL), 0);
	CHECK_INT(ms, 1695686400000LL);
	free(p);
	/* a date followed by more bytes outside n */
	CHECK_RC(m365f__time_parse("2023-09-26T01:56:15garbage", 19, &ms,
				   NULL),
		 0);
	CHECK_INT(ms, 1695693375000LL);
}

/* ../shared/corpus/elastic-azure-signinlogs/test-time-formats-corner-
 * cases.log: eleven spellings of 2007-01-09T09:41:00Z. */
static void test_corpus_corner_cases(void)
{
	FILE *fp = fopen(CORPUS("elastic-azure-signinlogs/"
				"test-time-formats-corner-cases.log"),
			 "r");
	char line[512];
	int n = 0;

	if (!fp) {
		fprintf(stderr, "corpus absent: corner cases skipped\n");
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		cJSON *j = cJSON_Parse(line);
		const char *t = j ? m365f__jstr(j, "time") : NULL;
		int64_t ms = 0, frac;
		bool amb = false;

		CHECK(t != NULL);
		if (t) {
			n++;
			test_checks++;
			if (m365f__time_parse(t, strlen(t), &ms, &amb) != 0) {
				fprintf(stderr, "%s:%d: '%s' not parsed\n",
					__FILE__, __LINE__, t);
				test_failures++;
			} else {
				frac = ms - T2007;
				/* the fraction digits are kept to the ms */
				CHECK(frac >= 0 && frac < 1000);
				if (strstr(t, ".22Z"))
					CHECK_INT(frac, 220);
				if (strstr(t, ".6816663Z"))
					CHECK_INT(frac, 681);
				if (strstr(t, ".535404056Z"))
					CHECK_INT(frac, 535);
				if (strstr(t, ".992099+"))
					CHECK_INT(frac, 992);
				/* 1/9 and 01/09: day and month could swap */
				CHECK(amb == (strchr(t, '/') != NULL));
			}
		}
		cJSON_Delete(j);
	}
	fclose(fp);
	CHECK_INT(n, 11);
}

static void test_format(void)
{
	fmt_is(0, "1970-01-01T00:00:00.000Z");
	fmt_is(1695693375123LL, "2023-09-26T01:56:15.123Z");
	fmt_is(1709164800000LL, "2024-02-29T00:00:00.000Z");
	fmt_is(-1, "1969-12-31T23:59:59.999Z");
	fmt_is(253402300799999LL, "9999-12-31T23:59:59.999Z");
	fmt_is(INT64_MAX / 4, "9999-12-31T23:59:59.999Z");
}

int main(void)
{
	test_iso();
	test_locale_forms();
	test_invalid();
	test_bounded();
	test_corpus_corner_cases();
	test_format();
	TEST_DONE();
}
