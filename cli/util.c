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

