/* SPDX-License-Identifier: MIT */
/*
 * fuzz-timefmt.c - every timestamp form, each day/month order. A time that
 * parses and lies in years 1-9999 must come back unchanged from its
 * ISO-8601 rendering.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "m365f-private.h"

/* 0001-01-01 and 9999-12-31T23:59:59.999 in ms since the epoch */
#define MIN_MS (-62135596800000LL)
#define MAX_MS (253402300799999LL)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int64_t ms, again;
	bool amb;
	char iso[32];
	int order;

	if (m365f__time_parse(s, size, &ms, &amb) == 0 && ms >= MIN_MS &&
	    ms <= MAX_MS) {
		m365f__time_format(ms, iso);
		if (m365f__time_parse(iso, strlen(iso), &again, NULL) != 0 ||
		    again != ms)
			abort();
	}
	for (order = 0; order < 3; order++)
		m365f__time_parse_order(s, size, order, &ms, &amb);
	return 0;
}
