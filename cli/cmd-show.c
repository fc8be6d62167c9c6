/* SPDX-License-Identifier: MIT */
/* cmd-show.c - m365f show CASE.db ID: one event, all its fields and the
 * verbatim record from the evidence. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void help(FILE *fp)
{
	fprintf(fp,
		"usage: m365f show [OPTIONS] CASE.db ID\n\n"
		"Every field of event ID (the `id` of timeline output) and its "
		"verbatim\nrecord, read again from the evidence file (its "
		"SHA-256 is checked) or\nfrom the copy in the case.\n\n"
		"  --reject       ID is a reject id (rejects_view), show its "
		"bytes\n"
		"  --raw          only the verbatim record, as stored\n"
		"  --no-verify    do not check the evidence file's SHA-256\n"
		"  --format FMT   text (default), jsonl, csv, md for the "
		"fields\n");
}

/* Raw bytes to a terminal: line by line as the text sink renders a cell
 * (C0, C1 and bidi controls escaped) so nothing in the evidence can drive
 * the terminal. To a file or pipe: as stored. */
static void put_raw(const char *p, size_t n)
{
	const char *end = p + n;

	if (!isatty(STDOUT_FILENO)) {
		fwrite(p, 1, n, stdout);
		return;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		cli_put_safe(stdout, p, len);
		if (nl)
			putchar('\n');
		p += len + (nl ? 1 : 0);
	}
}

int cmd_show(int argc, char **argv)
{
	const char *casepath = NULL, *idtext = NULL, *fmtname = "text", *v;
	unsigned int flags = 0;
	bool raw_only = false, bad = false;
	m365f_case *c;
	m365f_error err;
	m365f_writer *w = NULL;
	char *raw = NULL, *end;
	size_t len = 0;
	long long id;
	int i, fmt, rc = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			help(stdout);
			return M365F_EXIT_OK;
		}
		if (!strcmp(argv[i], "--reject"))
			flags |= M365F_RAW_REJECT;
		else if (!strcmp(argv[i], "--raw"))
			raw_only = true;
		else if (!strcmp(argv[i], "--no-verify"))
			flags |= M365F_RAW_NO_VERIFY;
		else if (cli_opt(argc, argv, &i, "--format", &v, &bad)) {
			if (bad)
				return M365F_EXIT_USAGE;
			fmtname = v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cli_errorf("show: unknown option '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		} else if (!casepath)
			casepath = argv[i];
		else if (!idtext)
			idtext = argv[i];
		else {
			cli_errorf("show: unexpected argument '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		}
	}
	if (!casepath || !idtext) {
		help(stderr);
		return M365F_EXIT_USAGE;
	}
	id = strtoll(idtext, &end, 10);
	if (*end || id <= 0) {
		cli_errorf("show: not an event id: '%s'", idtext);
		return M365F_EXIT_USAGE;
	}
	fmt = cli_format(fmtname, "text,jsonl,json,csv,md,markdown");
	if (fmt < 0)
		return M365F_EXIT_USAGE;
	c = cli_open_case(casepath, M365F_OPEN_READONLY);
	if (!c)
		return M365F_EXIT_ERROR;
	if (!raw_only && !(flags & M365F_RAW_REJECT)) {
		rc = m365f_writer_new(&w, stdout, fmt, 0, &err);
		if (!rc)
			rc = m365f_event_fields(c, id, m365f_writer_row, w,
						&err);
		if (w)
			m365f_writer_finish(w);
		m365f_writer_free(w);
		if (rc) {
			cli_error(&err, rc);
			m365f_case_free(c);
			return M365F_EXIT_ERROR;
		}
	}
	rc = m365f_event_raw(c, id, flags, &raw, &len, &err);
	if (rc) {
		cli_error(&err, rc);
	} else {
		if (!raw_only)
			printf("%s\n", fmt == M365F_FORMAT_TEXT ? "raw:" : "");
		put_raw(raw, len);
		if (len && raw[len - 1] != '\n')
			putchar('\n');
	}
	m365f_free(raw);
	m365f_case_free(c);
	return rc ? M365F_EXIT_ERROR : M365F_EXIT_OK;
}
