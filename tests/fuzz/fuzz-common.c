/* SPDX-License-Identifier: MIT */
/*
 * fuzz-common.c - the in-memory ingest the reader targets share: small
 * limits (so the fuzzer explores, not allocates), the accounting identity
 * checked for every source, and one case emptied between inputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int check_source(const m365f_source_summary *s, void *payload)
{
	(void)payload;
	if (s->status == M365F_SOURCE_INGESTED &&
	    s->stored + s->duplicates + s->rejected != s->records) {
		fprintf(stderr, "fuzz: %s does not add up: %llu stored + %llu "
			"duplicates + %llu rejected != %llu records\n",
			s->path, (unsigned long long)s->stored,
			(unsigned long long)s->duplicates,
			(unsigned long long)s->rejected,
			(unsigned long long)s->records);
		abort();
	}
	return 0;
}

/* One case for the whole run, emptied after each input (opening a case
 * writes the schema: too slow to do per input). */
static m365f_case *the_case;
static char *empty_sql;

static int add_delete(const m365f_row *row, void *payload)
{
	size_t n = empty_sql ? strlen(empty_sql) : 0;
	char *p;

	(void)payload;
	p = realloc(empty_sql, n + strlen(row->values[0]) + 32);
	if (!p)
		abort();
	sprintf(p + n, "DELETE FROM \"%s\";", row->values[0]);
	empty_sql = p;
	return 0;
}

/* An event that is always there, so an ingest is never the bulk load of
 * an empty case (which rebuilds every index: slow per input). */
static const char sentinel[] =
	"INSERT INTO events(id, time, source_id, line, record_no, product,"
	" raw_offset, raw_length) VALUES (1, 0, 0, 0, 0, 'sentinel', 0, 0)";

static m365f_case *fuzz_case(void)
{
	if (!the_case) {
		if (m365f_case_open(&the_case, ":memory:", M365F_OPEN_CREATE,
				    NULL))
			abort();
		if (m365f_sql(the_case,
			      "SELECT name FROM sqlite_master WHERE type ="
			      " 'table' AND name NOT IN ('meta') AND name NOT"
			      " LIKE 'sqlite_%' AND sql NOT LIKE"
			      " 'CREATE VIRTUAL%'",
			      0, add_delete, NULL, NULL) || !empty_sql ||
		    m365f_sql(the_case, sentinel, M365F_SQL_WRITE, NULL, NULL,
			      NULL))
			abort();
	}
	return the_case;
}

void fuzz_ingest(const char *prefix, const uint8_t *data, size_t size)
{
	m365f_ingest_options opts = M365F_INGEST_OPTIONS_INIT;
	size_t plen = prefix ? strlen(prefix) : 0;
	m365f_case *c = fuzz_case();
	char *buf;

	buf = malloc(plen + size + 2);
	if (!buf)
		abort();
	if (plen)
		memcpy(buf, prefix, plen);
	if (size)
		memcpy(buf + plen, data, size);
	opts.max_record_bytes = 1 << 20;
	opts.max_input_bytes = 32 << 20;
	opts.max_ratio = 100;
	opts.source_cb = check_source;
	/* both ways of keeping the raw record: the last byte decides */
	opts.raw = size && (data[size - 1] & 1) ? M365F_RAW_COPY : M365F_RAW_REF;
	m365f_ingest_buffer(c, "fuzz-input", buf, plen + size, &opts, NULL);
	/* the same records again with other bytes (a blank line more): the
	 * dedup path */
	buf[plen + size] = '\n';
	m365f_ingest_buffer(c, "fuzz-again", buf, plen + size + 1, &opts,
			    NULL);
	free(buf);
	if (m365f_sql(c, empty_sql, M365F_SQL_WRITE, NULL, NULL, NULL) ||
	    m365f_sql(c, sentinel, M365F_SQL_WRITE, NULL, NULL, NULL))
		abort();
}
