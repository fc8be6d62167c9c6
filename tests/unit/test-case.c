/* SPDX-License-Identifier: MIT */
/* test-case.c - case databases: create, reopen, schema version checks. */
#include <unistd.h>

#include "m365f-private.h"
#include "test.h"

static void test_create_and_reopen(const char *path)
{
	m365f_case *c = NULL;
	m365f_error err;

	unlink(path);
	CHECK_RC(m365f_case_open(&c, path, 0, &err), M365F_EIO);
	CHECK_RC(m365f_case_open(&c, path, M365F_OPEN_CREATE, &err), M365F_OK);
	m365f_case_free(c);
	c = NULL;
	CHECK_RC(m365f_case_open(&c, path, M365F_OPEN_READONLY, &err),
		 M365F_OK);
	m365f_case_free(c);
}

static void test_newer_schema(const char *path)
{
	m365f_case *c = NULL;
	m365f_error err;

	CHECK_RC(m365f_case_open(&c, path, 0, &err), M365F_OK);
	CHECK_RC(m365f_sql(c, "UPDATE meta SET value = '99' WHERE key = "
			      "'schema_version'",
			   M365F_SQL_WRITE, NULL, NULL, &err),
		 M365F_OK);
	m365f_case_free(c);
	c = NULL;
	CHECK_RC(m365f_case_open(&c, path, 0, &err), M365F_ESCHEMA);
	CHECK(strstr(err.text, "schema version 99") != NULL);
	CHECK(c == NULL);
}

static void test_not_a_case(const char *path)
{
	m365f_case *c = NULL;
	m365f_error err;
	FILE *fp = fopen(path, "w");

	if (!fp) {
		test_failures++;
		return;
	}
	fputs("this is not a database, just text\n", fp);
	fclose(fp);
	CHECK(m365f_case_open(&c, path, 0, &err) == M365F_ESCHEMA);
	CHECK(c == NULL);
}

static void test_readonly_sql(void)
{
	m365f_case *c = NULL;
	m365f_error err;

	CHECK_RC(m365f_case_open(&c, ":memory:", M365F_OPEN_CREATE, &err),
		 M365F_OK);
	CHECK_RC(m365f_sql(c, "DELETE FROM events", 0, NULL, NULL, &err),
		 M365F_ESQL);
	CHECK(strstr(err.text, "read-only") != NULL);
	CHECK_RC(m365f_sql(c, "SELECT nosuchcolumn FROM events", 0, NULL,
			   NULL, &err),
		 M365F_ESQL);
	CHECK(err.column == 8);
	m365f_case_free(c);
}

int main(void)
{
	char path[] = "test-case-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return 99;
	close(fd);
	test_create_and_reopen(path);
	test_newer_schema(path);
	test_not_a_case(path);
	test_readonly_sql();
	unlink(path);
	TEST_DONE();
}
