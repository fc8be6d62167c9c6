/* SPDX-License-Identifier: MIT */
/*
 * entra-util.h - helpers of the sign-in, directory-audit and rule tests:
 * ingest a testdata file into a case in memory, read single values back.
 */
#ifndef M365F_ENTRA_UTIL_H
#define M365F_ENTRA_UTIL_H

#include "m365f-private.h"
#include "test.h"

/* A fresh case in memory; exits 99 when it cannot be made. */
static inline m365f_case *mem_case(void)
{
	m365f_case *c = NULL;
	m365f_error err;

	if (m365f_case_open(&c, ":memory:", M365F_OPEN_CREATE, &err)) {
		fprintf(stderr, "cannot create a case: %s\n", err.text);
		exit(99);
	}
	return c;
}

typedef struct {
	char format[64];
	unsigned long long records, stored, duplicates, rejected;
	int status;
} ingest_sum;

static inline int sum_cb(const m365f_source_summary *s, void *payload)
{
	ingest_sum *x = payload;

	snprintf(x->format, sizeof(x->format), "%s", s->format);
	x->records += s->records;
	x->stored += s->stored;
	x->duplicates += s->duplicates;
	x->rejected += s->rejected;
	x->status = s->status;
	return 0;
}

/* Ingest a path under testdata/ (or an absolute one); the counts of its
 * sources are added up in *sum. */
static inline int ingest(m365f_case *c, const char *rel, ingest_sum *sum)
{
	m365f_ingest_options o = M365F_INGEST_OPTIONS_INIT;
	m365f_error err;
	char path[4096];
	int rc;

	memset(sum, 0, sizeof(*sum));
	if (rel[0] == '/')
		snprintf(path, sizeof(path), "%s", rel);
	else
		snprintf(path, sizeof(path), "%s/%s", TESTDATA_DIR, rel);
	o.source_cb = sum_cb;
	o.payload = sum;
	rc = m365f_ingest_path(c, path, &o, &err);
	if (rc)
		fprintf(stderr, "%s: %s\n", path, err.text);
	return rc;
}

/* The sample incident's audit log, sign-ins, directory audits and rule
 * dumps (not what other parts add to testdata/scenario). */
static inline int ingest_scenario(m365f_case *c, ingest_sum *sum)
{
	static const char *const parts[] = { "scenario/entra",
					     "scenario/rules",
					     "scenario/ual" };
	ingest_sum one;
	size_t i;
	int rc = M365F_OK;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < 3 && !rc; i++) {
		rc = ingest(c, parts[i], &one);
		sum->records += one.records;
		sum->stored += one.stored;
		sum->duplicates += one.duplicates;
		sum->rejected += one.rejected;
	}
	return rc;
}

/* The first column of the first row of sql (with ?1 bound to arg when
 * given), copied into buf; "" for NULL or no row. */
static inline const char *q_text(m365f_case *c, const char *sql, const char *arg,
			  char *buf, size_t n)
{
	sqlite3_stmt *st;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bad test SQL: %s: %s\n", sql,
			sqlite3_errmsg(c->db));
		test_failures++;
		return buf;
	}
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, n, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

static inline long long q_int(m365f_case *c, const char *sql, const char *arg)
{
	char buf[64];

	return strtoll(q_text(c, sql, arg, buf, sizeof(buf)), NULL, 10);
}

#endif
