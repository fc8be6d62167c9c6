/* SPDX-License-Identifier: MIT */
/*
 * fuzz-sniff.c - format detection on the first decoded bytes, with the
 * window ending at the end of the file or in the middle of it.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "m365f-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const m365f__csv_format *fmt;
	m365f__kind kind;
	m365f_error err;
	int rc, eof;

	for (eof = 0; eof < 2; eof++) {
		rc = m365f__sniff((const char *)data, size, eof, &kind, &fmt,
				  &err);
		/* an answer is either a format or a reason */
		if (rc == M365F_OK && kind == M365F__KIND_CSV && !fmt)
			abort();
		if (rc != M365F_OK && !err.text[0])
			abort();
	}
	return 0;
}
