/* SPDX-License-Identifier: MIT */
/*
 * fuzz-input.c - the byte path before any parser: gzip (members, damage,
 * ratio and size caps), BOMs, UTF-16 and Windows-1252 transcoding, the
 * sniff window and the SHA-256 of the stored bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "m365f-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	m365f_ingest_options opts = M365F_INGEST_OPTIONS_INIT;
	m365f__input *in;
	m365f_error err;
	const char *p;
	size_t n, total = 0;
	char hex[65];
	int rc;

	opts.max_input_bytes = 8 << 20;
	opts.max_ratio = 50;
	if (m365f__input_open_buffer(&in, "fuzz", data, size, &opts, &err))
		abort();
	rc = m365f__input_peek(in, &p, &n, 65536, &err);
	while (!rc) {
		rc = m365f__input_read(in, &p, &n, &err);
		if (rc || !n)
			break;
		total += n;
		if (total > opts.max_input_bytes * 4)
			abort(); /* the cap did not hold */
	}
	if (rc && !err.text[0])
		abort(); /* every failure says why */
	if (m365f__input_finish(in, hex, &err) == 0 && strlen(hex) != 64)
		abort();
	m365f__input_free(in);
	return 0;
}
