/* SPDX-License-Identifier: MIT */
/* error.c - return codes, the caller-owned error struct and its format. */
#include <stdio.h>
#include <string.h>

#include "m365f-private.h"

const char *m365f_strerror(int code)
{
	switch (code) {
	case M365F_OK: return "Success";
	case M365F_ERROR: return "Error";
	case M365F_ENOMEM: return "Out of memory";
	case M365F_EINVAL: return "Invalid argument";
	case M365F_EIO: return "Input/output error";
	case M365F_EPARSE: return "Malformed input";
	case M365F_EFORMAT: return "Format not recognized";
	case M365F_ELIMIT: return "Limit exceeded";
	case M365F_EDB: return "Case database error";
	case M365F_EVERSION: return "Unsupported options version";
	case M365F_ESCHEMA: return "Unsupported case schema";
	case M365F_ENOTFOUND: return "Not found";
	case M365F_ESQL: return "SQL error";
	case M365F_EUSAGE: return "Called in the wrong state";
	case M365F_EUNSUPPORTED: return "Not supported by this build";
	default: return "Unknown error";
	}
}

const char *m365f_version(void)
{
	return M365F_VERSION;
}

void m365f__error_clear(m365f_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

void m365f__error_source(m365f_error *err, const char *source)
{
	size_t n, cap;

	if (!err || !source)
		return;
	n = strlen(source);
	cap = sizeof(err->source) - 1;
	if (n <= cap) {
		memcpy(err->source, source, n + 1);
		return;
	}
	/* keep the tail: the file name matters more than the folders */
	memcpy(err->source, "...", 3);
	memcpy(err->source + 3, source + n - (cap - 3), cap - 3 + 1);
}

int m365f__error_set(m365f_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return code;
}

int m365f__error_db(m365f_error *err, sqlite3 *db, const char *what)
{
	int off = -1;

	if (!err)
		return M365F_EDB;
#if SQLITE_VERSION_NUMBER >= 3038000
	off = sqlite3_error_offset(db);
#endif
	if (off >= 0)
		err->column = (unsigned long)off + 1;
	return m365f__error_set(err, M365F_EDB, "%s: %s", what,
				sqlite3_errmsg(db));
}

/* The parts of an error as one line. Sources and reasons quote evidence
 * (member names, header cells, JSON near the error), so the line is
 * rendered like a text cell: no control character reaches a terminal. */
int m365f_error_format(const m365f_error *err, char *buf, size_t size)
{
	m365f__buf raw, safe;
	int rc = 0, n;

	if (!err)
		return snprintf(buf, size, "%s", "no error");
	m365f__buf_init(&raw, 0);
	m365f__buf_init(&safe, 0);
	if (err->source[0]) {
		if (err->line && err->column)
			rc = m365f__buf_printf(&raw, "%s:%lu:%lu: ",
					       err->source, err->line,
					       err->column);
		else if (err->line)
			rc = m365f__buf_printf(&raw, "%s:%lu: ", err->source,
					       err->line);
		else
			rc = m365f__buf_printf(&raw, "%s: ", err->source);
	} else if (err->column) {
		rc = m365f__buf_printf(&raw, "column %lu: ", err->column);
	}
	rc |= m365f__buf_printf(&raw, "%s%s%s", err->field,
				err->field[0] ? ": " : "",
				err->text[0] ? err->text
					     : m365f_strerror(err->code));
	if (!rc)
		rc = m365f__safe_text(&safe, raw.data, raw.len);
	n = snprintf(buf, size, "%s",
		     rc ? m365f_strerror(M365F_ENOMEM) : safe.data);
	m365f__buf_free(&raw);
	m365f__buf_free(&safe);
	return n;
}
