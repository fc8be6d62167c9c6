/* SPDX-License-Identifier: MIT */
/* util.c - error printing, option parsing and output for the commands. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_error(const m365f_error *err, int code)
{
	char buf[512];

	if (err && (err->text[0] || err->code)) {
		m365f_error_format(err, buf, sizeof(buf));
		fprintf(stderr, "m365f: %s\n", buf);
	} else {
		fprintf(stderr, "m365f: %s\n", m365f_strerror(code));
	}
}

void cli_errorf(const char *fmt, ...)
{
	va_list ap;

	fputs("m365f: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_put_safe(FILE *fp, const char *s, size_t n)
{
	char small[256], *big = NULL;
	size_t need = m365f_text_safe(small, sizeof(small), s, n);

	if (need >= sizeof(small)) {
		big = malloc(need + 1);
		if (big)
			m365f_text_safe(big, need + 1, s, n);
	}
	fputs(big ? big : small, fp);
	free(big);
}

m365f_case *cli_open_case(const char *path, unsigned int flags)
{
	m365f_case *c = NULL;
	m365f_error err;
	int rc = m365f_case_open(&c, path, flags, &err);

	if (rc) {
		cli_error(&err, rc);
		return NULL;
	}
	return c;
}

int cli_format(const char *name, const char *allowed)
{
	int f = m365f_format_from_name(name);
	const char *p;
	size_t n;

	if (f < 0 || !name)
		goto bad;
	/* allowed is a comma list of names */
	n = strlen(name);
	for (p = allowed; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !strncmp(p, name, n))
			return f;
		p = e ? e + 1 : NULL;
	}
bad:
	cli_errorf("unknown --format '%s' (one of: %s)", name ? name : "",
		   allowed);
	return -1;
}

bool cli_opt(int argc, char **argv, int *i, const char *name,
	     const char **value, bool *bad)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return false;
	if (a[n] == '=') {
		*value = a + n + 1;
		return true;
	}
	if (a[n] != '\0')
		return false;
	if (*i + 1 >= argc) {
		cli_errorf("%s needs a value", name);
		*bad = true;
		return true;
	}
	*value = argv[++*i];
	return true;
}

bool cli_filter_opt(int argc, char **argv, int *i, cli_filter_opts *o,
		    bool *bad)
{
	static const char *const names[] = { "--user", "--ip", "--since",
					      "--until", "--session",
					      "--limit", "--format" };
	const char **slots[] = { &o->user, &o->ip, &o->since, &o->until,
				 &o->session, &o->limit, &o->format };
	size_t k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (cli_opt(argc, argv, i, names[k], slots[k], bad))
			return true;
	return false;
}

bool cli_filter_finish(const cli_filter_opts *o, uint64_t *limit, int *fmt)
{
	if (o->limit) {
		char *end;

		*limit = strtoull(o->limit, &end, 10);
		if (*end || !*limit) {
			cli_errorf("--limit: not a positive number: '%s'",
				   o->limit);
			return false;
		}
	}
	*fmt = cli_format(o->format, "text,jsonl,json,csv,md,markdown");
	return *fmt >= 0;
}

/* Text and Markdown show the columns people read first; JSON lines and
 * CSV carry every column. */
typedef struct {
	m365f_writer *w;
	const char *const *cols; /* NULL-terminated, or NULL for all */
} subset;

int cli_write_columns(m365f_writer *w, const m365f_row *row,
		      const char *const *cols)
{
	const char *names[40], *values[40];
	size_t lens[40];
	int types[40];
	m365f_row r;
	size_t i, j, n = 0;

	if (!cols)
		return m365f_writer_row(row, w);
	for (j = 0; cols[j] && n < 40; j++) {
		for (i = 0; i < row->ncols; i++) {
			if (!strcmp(row->names[i], cols[j])) {
				names[n] = row->names[i];
				values[n] = row->values[i];
				lens[n] = row->lengths[i];
				types[n] = row->types[i];
				n++;
				break;
			}
		}
	}
	r.ncols = n;
	r.names = names;
	r.values = values;
	r.lengths = lens;
	r.types = types;
	return m365f_writer_row(&r, w);
}

static int subset_row(const m365f_row *row, void *payload)
{
	subset *s = payload;

	return cli_write_columns(s->w, row, s->cols);
}

int cli_run_query(const char *casepath, int fmt,
		  const char *const *text_cols, cli_query_fn fn, void *q)
{
	m365f_case *c;
	m365f_error err;
	subset s;
	int rc;

	c = cli_open_case(casepath, M365F_OPEN_READONLY);
	if (!c)
		return M365F_EXIT_ERROR;
	s.cols = fmt == M365F_FORMAT_TEXT || fmt == M365F_FORMAT_MARKDOWN
			 ? text_cols
			 : NULL;
	rc = m365f_writer_new(&s.w, stdout, fmt, 0, &err);
	if (!rc) {
		rc = fn(c, q, subset_row, &s, &err);
		if (rc)
			cli_error(&err, rc);
		if (m365f_writer_finish(s.w) && !rc) {
			cli_errorf("cannot write output");
			rc = M365F_EIO;
		}
		m365f_writer_free(s.w);
	} else {
		cli_error(&err, rc);
	}
	m365f_case_free(c);
	if (rc == M365F_EINVAL)
		return M365F_EXIT_USAGE;
	return rc ? M365F_EXIT_ERROR : M365F_EXIT_OK;
}
