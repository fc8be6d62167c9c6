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

/* Run SQL on a plain SQLite file (not through the library). */
static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	unlink(path);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
}

static void test_schema_messages(const char *path)
{
	m365f_case *c = NULL;
	m365f_error err;
	char msg[512];

	/* the stored version, and what a newer one says */
	unlink(path);
	CHECK_RC(m365f_case_open(&c, path, M365F_OPEN_CREATE, &err), M365F_OK);
	CHECK_RC(m365f_sql(c, "UPDATE meta SET value = '2' WHERE key ="
			      " 'schema_version'",
			   M365F_SQL_WRITE, NULL, NULL, &err),
		 M365F_OK);
	m365f_case_free(c);
	c = NULL;
	CHECK_RC(m365f_case_open(&c, path, M365F_OPEN_READONLY, &err),
		 M365F_ESCHEMA);
	m365f_error_format(&err, msg, sizeof(msg));
	CHECK(strstr(msg, path) == msg);
	CHECK(strstr(msg, ": case was written with schema version 2; this is "
			  "libm365forensics " M365F_VERSION " (schema 1): "
			  "upgrade m365f") != NULL);
	/* another program's SQLite file */
	raw_sql(path, "CREATE TABLE notes(x); INSERT INTO notes VALUES (1)");
	CHECK_RC(m365f_case_open(&c, path, 0, &err), M365F_ESCHEMA);
	CHECK_STR(err.text, "not an m365f case database");
	/* a case without a version, or with nonsense in it */
	raw_sql(path, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
		      "INSERT INTO meta VALUES ('application', 'm365f-case')");
	CHECK_RC(m365f_case_open(&c, path, 0, &err), M365F_ESCHEMA);
	CHECK_STR(err.text, "case has no schema version");
	raw_sql(path, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
		      "INSERT INTO meta VALUES ('application', 'm365f-case'),"
		      " ('schema_version', 'one')");
	CHECK_RC(m365f_case_open(&c, path, 0, &err), M365F_ESCHEMA);
	CHECK_STR(err.text, "case has an invalid schema version");
	/* an empty file is only a case when asked to create one */
	raw_sql(path, "");
	CHECK_RC(m365f_case_open(&c, path, 0, &err), M365F_ESCHEMA);
	CHECK_STR(err.text, "not an m365f case database (empty)");
	CHECK_RC(m365f_case_open(&c, path, M365F_OPEN_CREATE, &err), M365F_OK);
	CHECK(c != NULL);
	m365f_case_free(c);
	c = NULL;
	/* a read-only case takes no evidence */
	CHECK_RC(m365f_case_open(&c, path, M365F_OPEN_READONLY, &err),
		 M365F_OK);
	CHECK_RC(m365f_ingest_buffer(c, "x.jsonl", "{}", 2, NULL, &err),
		 M365F_EUSAGE);
	CHECK_STR(err.text, "case is open read-only");
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
	test_schema_messages(path);
	unlink(path);
	{
		/* journal_mode=TRUNCATE leaves the journal file behind */
		char journal[sizeof(path) + 8];

		snprintf(journal, sizeof(journal), "%s-journal", path);
		unlink(journal);
	}
	TEST_DONE();
}
