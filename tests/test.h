/* SPDX-License-Identifier: MIT */
/*
 * test.h - the unit-test helpers: each test is a static function called
 * from main(); a failed CHECK prints file:line and the expression and the
 * program exits 1 at the end. Exit 77 means skipped, 99 a setup failure.
 */
#ifndef M365F_TEST_H
#define M365F_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures;
static int test_checks;

#define CHECK(expr)                                                         \
	do {                                                                \
		test_checks++;                                              \
		if (!(expr)) {                                              \
			fprintf(stderr, "%s:%d: check failed: %s\n",        \
				__FILE__, __LINE__, #expr);                 \
			test_failures++;                                    \
		}                                                           \
	} while (0)

#define CHECK_RC(expr, want)                                                \
	do {                                                                \
		int rc_ = (expr);                                           \
		test_checks++;                                              \
		if (rc_ != (want)) {                                        \
			fprintf(stderr, "%s:%d: %s returned %d, want %d\n", \
				__FILE__, __LINE__, #expr, rc_, (want));    \
			test_failures++;                                    \
		}                                                           \
	} while (0)

#define CHECK_STR(got, want)                                                \
	do {                                                                \
		const char *g_ = (got), *w_ = (want);                       \
		test_checks++;                                              \
		if (!g_ || !w_ || strcmp(g_, w_) != 0) {                    \
			fprintf(stderr, "%s:%d: %s is '%s', want '%s'\n",   \
				__FILE__, __LINE__, #got, g_ ? g_ : "(null)", \
				w_ ? w_ : "(null)");                        \
			test_failures++;                                    \
		}                                                           \
	} while (0)

#define CHECK_INT(got, want)                                                \
	do {                                                                \
		long long g_ = (long long)(got), w_ = (long long)(want);    \
		test_checks++;                                              \
		if (g_ != w_) {                                             \
			fprintf(stderr, "%s:%d: %s is %lld, want %lld\n",   \
				__FILE__, __LINE__, #got, g_, w_);          \
			test_failures++;                                    \
		}                                                           \
	} while (0)

/* err is an m365f_error: check its line and column. */
#define CHECK_ERR_AT(err, l, c)                                             \
	do {                                                                \
		test_checks++;                                              \
		if ((err).line != (l) || (err).column != (c)) {             \
			fprintf(stderr, "%s:%d: error at %lu:%lu, want "    \
				"%d:%d (%s)\n", __FILE__, __LINE__,         \
				(err).line, (err).column, (l), (c),         \
				(err).text);                                \
			test_failures++;                                    \
		}                                                           \
	} while (0)

/* Call at the end of main(). */
#define TEST_DONE()                                                         \
	do {                                                                \
		fprintf(stderr, "%d checks, %d failed\n", test_checks,     \
			test_failures);                                     \
		return test_failures ? 1 : 0;                               \
	} while (0)

/* Path of a file under the source tree's testdata/ (TESTDATA_DIR is
 * defined by tests/meson.build). Returns a static buffer per call site. */
#define TESTDATA(rel) (TESTDATA_DIR "/" rel)
/* The shared corpus folder (may be absent: skip then). */
#define CORPUS(rel) (CORPUS_DIR "/" rel)

#endif
