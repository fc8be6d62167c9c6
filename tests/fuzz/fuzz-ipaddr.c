/* SPDX-License-Identifier: MIT */
/*
 * fuzz-ipaddr.c - client address normalization. The result is always a
 * terminated string, and normalizing an address a second time changes
 * nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "m365f-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[64], again[64];
	int port, port2;

	memset(out, 'x', sizeof(out));
	if (m365f__ip_normalize((const char *)data, size, out, &port) == 1) {
		if (m365f__ip_normalize(out, strlen(out), again, &port2) != 1 ||
		    strcmp(out, again) != 0 || port2 != 0)
			abort();
	}
	if (!memchr(out, '\0', sizeof(out)) || port < 0 || port > 65535)
		abort();
	return 0;
}
