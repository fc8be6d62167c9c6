/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - shared by the fuzz targets: the libFuzzer entry point each
 * defines, and an in-memory case whose ingest checks that every source
 * adds up (stored + duplicates + rejected == records) and aborts if not.
 */
#ifndef M365F_FUZZ_H
#define M365F_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "m365f.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Ingest data (with an optional text prefix, e.g. a CSV header) into a
 * fresh in-memory case with small limits; abort() when a source does not
 * add up. */
void fuzz_ingest(const char *prefix, const uint8_t *data, size_t size);

#endif
