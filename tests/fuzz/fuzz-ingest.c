/* SPDX-License-Identifier: MIT */
/*
 * fuzz-ingest.c - any bytes through m365f_ingest_buffer(): sniffing, then
 * whichever reader the content picks (CSV or JSON, every product).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ingest(NULL, data, size);
	return 0;
}
