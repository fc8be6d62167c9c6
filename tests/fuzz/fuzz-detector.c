/* SPDX-License-Identifier: MIT */
/*
 * fuzz-detector.c - the header of a user's detector file (.sql): written
 * to a folder of its own and loaded through m365f_detectors_list().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char dir[64], file[96];

static void remove_dir(void)
{
	rmdir(dir);
}

static int row(const m365f_row *r, void *payload)
{
	(void)r;
	(void)payload;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	m365f_detect_options opts = M365F_DETECT_OPTIONS_INIT;
	FILE *fp;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/m365f-fuzz-detector-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		atexit(remove_dir);
		snprintf(file, sizeof(file), "%s/fuzz.sql", dir);
	}
	fp = fopen(file, "wb");
	if (!fp)
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	opts.flags = M365F_DETECT_NO_BUILTIN;
	opts.rules_dir = dir;
	m365f_detectors_list(&opts, row, NULL, NULL);
	unlink(file);
	return 0;
}
