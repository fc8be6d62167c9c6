/* SPDX-License-Identifier: MIT */
/*
 * case.c - open and create case databases: schema and version, pragmas,
 * the statement cache, and running SQL for callers.
 */
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

extern const char m365f__schema_sql[];
extern const char m365f__indexes_sql[];

static const char *const app_name = "m365f-case";

int m365f__case_exec(m365f_case *c, const char *sql, m365f_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		m365f__error_set(err, M365F_EDB, "%s", msg ? msg : "error");
		sqlite3_free(msg);
		return M365F_EDB;
	}
	return M365F_OK;
}

sqlite3_stmt *m365f__case_stmt(m365f_case *c, const char *sql,
			       m365f_error *err)
{
	size_t i;
	sqlite3_stmt *st = NULL;

	for (i = 0; i < c->nstmts; i++) {
		if (c->stmts[i].sql == sql) {
			sqlite3_reset(c->stmts[i].stmt);
			sqlite3_clear_bindings(c->stmts[i].stmt);
			return c->stmts[i].stmt;
		}
	}
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
			       NULL) != SQLITE_OK) {
		m365f__error_db(err, c->db, "prepare");
		sqlite3_finalize(st);
		return NULL;
	}
	if (c->nstmts < M365F__ARRAY_LEN(c->stmts)) {
		c->stmts[c->nstmts].sql = sql;
		c->stmts[c->nstmts].stmt = st;
		c->nstmts++;
		return st;
	}
	/* cache full: a programming error; fail loudly */
	sqlite3_finalize(st);
	m365f__error_set(err, M365F_ELIMIT, "statement cache full");
	return NULL;
}

void m365f__case_clear_stmts(m365f_case *c)
{
	size_t i;

	for (i = 0; i < c->nstmts; i++)
		sqlite3_finalize(c->stmts[i].stmt);
	c->nstmts = 0;
}

static int meta_get(m365f_case *c, const char *key, char *out, size_t n)
{
	sqlite3_stmt *st;
	int rc = M365F_ENOTFOUND;

	if (sqlite3_prepare_v2(c->db, "SELECT value FROM meta WHERE key = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return M365F_ESCHEMA;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 0);

		snprintf(out, n, "%s", v ? (const char *)v : "");
		rc = M365F_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int create_schema(m365f_case *c, m365f_error *err)
{
	sqlite3_stmt *st;
	int rc;

	rc = m365f__case_exec(c, "PRAGMA page_size=16384; BEGIN", err);
	if (rc)
		return rc;
	rc = m365f__case_exec(c, m365f__schema_sql, err);
	if (rc) {
		m365f__case_exec(c, "ROLLBACK", NULL);
		return rc;
	}
	if (sqlite3_prepare_v2(c->db,
			       "INSERT INTO meta(key, value) VALUES "
			       "('application', ?1), ('schema_version', ?2), "
			       "('created_by', ?3)",
			       -1, &st, NULL) != SQLITE_OK) {
		m365f__error_db(err, c->db, "create");
		m365f__case_exec(c, "ROLLBACK", NULL);
		return M365F_EDB;
	}
	sqlite3_bind_text(st, 1, app_name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, M365F_SCHEMA_VERSION);
	sqlite3_bind_text(st, 3, "libm365forensics " M365F_VERSION, -1,
			  SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? M365F_OK : M365F_EDB;
	if (rc)
		m365f__error_db(err, c->db, "create");
	sqlite3_finalize(st);
	if (rc) {
		m365f__case_exec(c, "ROLLBACK", NULL);
		return rc;
	}
	return m365f__case_exec(c, "COMMIT", err);
}

static int check_schema(m365f_case *c, m365f_error *err)
{
	char app[64], ver[32];
	long v;

	if (meta_get(c, "application", app, sizeof(app)) ||
	    strcmp(app, app_name) != 0)
		return m365f__error_set(err, M365F_ESCHEMA,
					"not an m365f case database");
	if (meta_get(c, "schema_version", ver, sizeof(ver)))
		return m365f__error_set(err, M365F_ESCHEMA,
					"case has no schema version");
	v = strtol(ver, NULL, 10);
	if (v > M365F_SCHEMA_VERSION)
		return m365f__error_set(
			err, M365F_ESCHEMA,
			"case was written with schema version %ld; this is "
			"libm365forensics %s (schema %d): upgrade m365f",
			v, M365F_VERSION, M365F_SCHEMA_VERSION);
	if (v < 1)
		return m365f__error_set(err, M365F_ESCHEMA,
					"case has an invalid schema version");
	return M365F_OK;
}

int m365f_case_open(m365f_case **out, const char *path, unsigned int flags,
		    m365f_error *err)
{
	m365f_case *c;
	int oflags, rc;
	sqlite3_stmt *st;
	bool empty = false;

	m365f__error_clear(err);
	if (!out || !path)
		return m365f__error_set(err, M365F_EINVAL, "no case path");
	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");
	c->path = m365f__strndup(path, strlen(path));
	c->readonly = (flags & M365F_OPEN_READONLY) != 0;
	if (c->readonly)
		oflags = SQLITE_OPEN_READONLY;
	else
		oflags = SQLITE_OPEN_READWRITE |
			 ((flags & M365F_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
	oflags |= SQLITE_OPEN_NOMUTEX;
	m365f__error_source(err, path);
	if (sqlite3_open_v2(path, &c->db, oflags, NULL) != SQLITE_OK) {
		rc = c->db && sqlite3_errcode(c->db) == SQLITE_CANTOPEN ?
			     M365F_EIO : M365F_EDB;
		m365f__error_set(err, rc, "cannot open case: %s",
				 c->db ? sqlite3_errmsg(c->db) : "error");
		m365f_case_free(c);
		return rc;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, 5000);
	/* a case may come from someone else: no hand edits of the schema
	 * (writable_schema and the like), and its views and triggers may
	 * call only the functions marked innocuous */
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	/* is it empty (new)? */
	if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM sqlite_master", -1,
			       &st, NULL) != SQLITE_OK) {
		m365f__error_set(err, M365F_ESCHEMA,
				 "not a case database: %s",
				 sqlite3_errmsg(c->db));
		m365f_case_free(c);
		return M365F_ESCHEMA;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		empty = sqlite3_column_int(st, 0) == 0;
	else {
		m365f__error_set(err, M365F_ESCHEMA,
				 "not a case database: %s",
				 sqlite3_errmsg(c->db));
		sqlite3_finalize(st);
		m365f_case_free(c);
		return M365F_ESCHEMA;
	}
	sqlite3_finalize(st);
	if (empty) {
		if (c->readonly || !(flags & M365F_OPEN_CREATE)) {
			m365f__error_set(err, M365F_ESCHEMA,
					 "not an m365f case database (empty)");
			m365f_case_free(c);
			return M365F_ESCHEMA;
		}
		rc = create_schema(c, err);
	} else {
		rc = check_schema(c, err);
	}
	if (!rc && !c->readonly)
		rc = m365f__case_exec(c,
				      "PRAGMA foreign_keys=OFF;"
				      "PRAGMA journal_mode=TRUNCATE;"
				      "PRAGMA synchronous=NORMAL;"
				      "PRAGMA temp_store=MEMORY;"
				      "PRAGMA cache_size=-65536",
				      err);
	if (!rc && !c->readonly)
		rc = m365f__case_exec(c, m365f__indexes_sql, err);
	if (!rc)
		rc = m365f__sqlfunc_register(c);
	if (rc) {
		if (err && !err->text[0])
			m365f__error_set(err, rc, "cannot open case");
		m365f_case_free(c);
		return rc;
	}
	m365f__error_clear(err);
	*out = c;
	return M365F_OK;
}

void m365f_case_free(m365f_case *c)
{
	if (!c)
		return;
	m365f__case_clear_stmts(c);
	m365f__sqlfunc_free(c);
	if (c->db)
		sqlite3_close_v2(c->db);
	free(c->path);
	free(c);
}

int m365f_case_add_internal_domain(m365f_case *c, const char *domain,
				   m365f_error *err)
{
	sqlite3_stmt *st;
	char *low;
	const char *d = domain;
	int rc;

	m365f__error_clear(err);
	if (!c || !domain)
		return m365f__error_set(err, M365F_EINVAL, "no domain");
	while (*d == '@' || *d == '.')
		d++;
	if (!*d || strchr(d, '@') || strchr(d, ' '))
		return m365f__error_set(err, M365F_EINVAL,
					"not a domain name: '%s'", domain);
	low = m365f__strdup_lower(d);
	if (!low)
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");
	st = m365f__case_stmt(c,
			      "INSERT INTO internal_domains(domain, origin) "
			      "VALUES (?1, 'given') ON CONFLICT(domain) DO "
			      "UPDATE SET origin = 'given'",
			      err);
	if (!st) {
		free(low);
		return M365F_EDB;
	}
	sqlite3_bind_text(st, 1, low, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st) == SQLITE_DONE ? M365F_OK
					     : m365f__error_db(err, c->db,
							       "add domain");
	sqlite3_reset(st);
	free(low);
	m365f__sqlfunc_invalidate(c);
	return rc;
}

/* ------------------------------------------------------------------ rows */

int m365f__stmt_rows(sqlite3_stmt *st, m365f_row_cb cb, void *payload,
		     m365f_error *err)
{
	int n = sqlite3_column_count(st), i, sr, rc = M365F_OK;
	const char **names = NULL, **values = NULL;
	size_t *lens = NULL;
	int *types = NULL;
	m365f_row row;

	names = calloc((size_t)n + 1, sizeof(*names));
	values = calloc((size_t)n + 1, sizeof(*values));
	lens = calloc((size_t)n + 1, sizeof(*lens));
	types = calloc((size_t)n + 1, sizeof(*types));
	if (!names || !values || !lens || !types) {
		rc = m365f__error_set(err, M365F_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		names[i] = sqlite3_column_name(st, i);
	row.ncols = (size_t)n;
	row.names = names;
	row.values = values;
	row.lengths = lens;
	row.types = types;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			int t = sqlite3_column_type(st, i);

			types[i] = t == SQLITE_INTEGER ? M365F_TYPE_INTEGER :
				   t == SQLITE_FLOAT   ? M365F_TYPE_REAL :
				   t == SQLITE_TEXT    ? M365F_TYPE_TEXT :
				   t == SQLITE_BLOB    ? M365F_TYPE_BLOB :
							 M365F_TYPE_NULL;
			if (t == SQLITE_NULL) {
				values[i] = NULL;
				lens[i] = 0;
			} else if (t == SQLITE_BLOB) {
				values[i] = sqlite3_column_blob(st, i);
				lens[i] = (size_t)sqlite3_column_bytes(st, i);
				if (!values[i])
					values[i] = "";
			} else {
				values[i] = (const char *)
					sqlite3_column_text(st, i);
				lens[i] = (size_t)sqlite3_column_bytes(st, i);
				if (!values[i])
					values[i] = "";
			}
		}
		if (cb) {
			rc = cb(&row, payload);
			if (rc)
				goto out;
		}
	}
	if (sr != SQLITE_DONE)
		rc = m365f__error_set(err, M365F_ESQL, "%s",
				      sqlite3_errmsg(sqlite3_db_handle(st)));
out:
	free(names);
	free((void *)values);
	free(lens);
	free(types);
	return rc;
}

int m365f_sql(m365f_case *c, const char *sql, unsigned int flags,
	      m365f_row_cb cb, void *payload, m365f_error *err)
{
	const char *tail = sql;
	int rc = M365F_OK;

	m365f__error_clear(err);
	if (!c || !sql)
		return m365f__error_set(err, M365F_EINVAL, "no SQL");
	while (tail && *tail) {
		sqlite3_stmt *st = NULL;
		const char *start = tail;

		if (sqlite3_prepare_v2(c->db, tail, -1, &st, &tail) !=
		    SQLITE_OK) {
			int off = -1;
#if SQLITE_VERSION_NUMBER >= 3038000
			off = sqlite3_error_offset(c->db);
#endif
			m365f__error_set(err, M365F_ESQL, "%s",
					 sqlite3_errmsg(c->db));
			if (err && off >= 0)
				err->column = (unsigned long)(start - sql) +
					      (unsigned long)off + 1;
			return M365F_ESQL;
		}
		if (!st)
			continue; /* white space or comment */
		if (!(flags & M365F_SQL_WRITE) && !sqlite3_stmt_readonly(st)) {
			sqlite3_finalize(st);
			if (err)
				err->column = (unsigned long)(start - sql) + 1;
			return m365f__error_set(err, M365F_ESQL,
						"statement would change the "
						"case (read-only query)");
		}
		rc = m365f__stmt_rows(st, cb, payload, err);
		sqlite3_finalize(st);
		if (rc)
			return rc;
	}
	return rc;
}

int m365f_sources(m365f_case *c, m365f_row_cb cb, void *payload,
		  m365f_error *err)
{
	sqlite3_stmt *st;
	int rc;

	m365f__error_clear(err);
	if (!c)
		return m365f__error_set(err, M365F_EINVAL, "no case");
	if (sqlite3_prepare_v2(c->db,
			       "SELECT id, path, size, sha256, format, product,"
			       " encoding, compression, records, stored,"
			       " duplicates, rejected, conflicts, first_time,"
			       " last_time, status, message FROM sources_view"
			       " ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return m365f__error_db(err, c->db, "sources");
	rc = m365f__stmt_rows(st, cb, payload, err);
	sqlite3_finalize(st);
	return rc;
}
