/* SPDX-License-Identifier: MIT */
/*
 * fuzz-archive.c - evidence bundles read in place through libarchive
 * (.zip, .tar.gz): member names, links, sizes and the members' own bytes.
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

static int check_source(const m365f_source_summary *s, void *payload)
{
	(void)payload;
	if (s->status == M365F_SOURCE_INGESTED &&
	    s->stored + s->duplicates + s->rejected != s->records)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	m365f_ingest_options opts = M365F_INGEST_OPTIONS_INIT;
	m365f_case *c;
	FILE *fp;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/m365f-fuzz-archive-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		atexit(remove_dir);
		/* the name says "bundle"; libarchive reads any format */
		snprintf(file, sizeof(file), "%s/bundle.zip", dir);
	}
	fp = fopen(file, "wb");
	if (!fp)
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	if (m365f_case_open(&c, ":memory:", M365F_OPEN_CREATE, NULL))
		abort();
	opts.max_record_bytes = 1 << 20;
	opts.max_input_bytes = 16 << 20;
	opts.max_ratio = 100;
	opts.source_cb = check_source;
	m365f_ingest_path(c, file, &opts, NULL);
	m365f_case_free(c);
	unlink(file);
	return 0;
}
