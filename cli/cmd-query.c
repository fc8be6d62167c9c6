/* SPDX-License-Identifier: MIT */
/* cmd-query.c - m365f timeline, sql and sources. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Text output of the timeline shows the columns people read first. */
static const char *const text_cols[] = { "time", "user", "client_ip",
					 "operation", "workload", "result",
					 "object", "id", NULL };

static void timeline_help(FILE *fp)
{
	fprintf(fp,
		"usage: m365f timeline [OPTIONS] CASE.db\n\n"
		"Events sorted by time, then source and line.\n\n"
		"Options:\n"
		"  --user UPN          actor (case-insensitive)\n"
		"  --ip IP             client IP (port and brackets ignored)\n"
		"  --since TIME        from this time (ISO-8601 or date), "
		"inclusive\n"
		"  --until TIME        up to this time, exclusive\n"
		"  --operation REGEX   PCRE2 pattern over the operation name\n"
		"  --workload NAME     Exchange, SharePoint, "
		"AzureActiveDirectory, ...\n"
		"  --session ID        session, unique token or correlation id\n"
		"  --product NAME      ual, signin, entra-audit, rules\n"
		"  --limit N           at most N events\n"
		"  --format FMT        text (default), jsonl, csv, md\n");
}

static int q_timeline(m365f_case *c, void *q, m365f_row_cb cb,
		      void *payload, m365f_error *err)
{
	return m365f_timeline(c, q, cb, payload, err);
}

int cmd_timeline(int argc, char **argv)
{
	m365f_timeline_filter f = M365F_TIMELINE_FILTER_INIT;
	cli_filter_opts o = CLI_FILTER_OPTS_INIT;
	const char *casepath = NULL, *v;
	int i, fmt;
	bool bad = false;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			timeline_help(stdout);
			return M365F_EXIT_OK;
		}
		if (cli_filter_opt(argc, argv, &i, &o, &bad))
			;
		else if (cli_opt(argc, argv, &i, "--operation", &v, &bad))
			f.operation = v;
		else if (cli_opt(argc, argv, &i, "--workload", &v, &bad))
			f.workload = v;
		else if (cli_opt(argc, argv, &i, "--product", &v, &bad))
			f.product = v;
		else if (argv[i][0] == '-' && argv[i][1]) {
			cli_errorf("timeline: unknown option '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		} else if (!casepath)
			casepath = argv[i];
		else {
			cli_errorf("timeline: unexpected argument '%s'",
				   argv[i]);
			return M365F_EXIT_USAGE;
		}
		if (bad)
			return M365F_EXIT_USAGE;
	}
	if (!casepath) {
		timeline_help(stderr);
		return M365F_EXIT_USAGE;
	}
	if (!cli_filter_finish(&o, &f.limit, &fmt))
		return M365F_EXIT_USAGE;
	f.user = o.user;
	f.ip = o.ip;
	f.since = o.since;
	f.until = o.until;
	f.session = o.session;
	return cli_run_query(casepath, fmt, text_cols, q_timeline, &f);
}

static void sql_help(FILE *fp)
{
	fprintf(fp,
		"usage: m365f sql [--format FMT] [--write] CASE.db 'SQL...'\n\n"
		"Run SQL on the case with the library's functions: "
		"regexp(p, s),\nemail_domain(a), is_internal(a), "
		"ip_in_cidr(ip, cidr), ip_is_private(ip),\niso_time(ms), "
		"time_ms(text), geo_distance_km(lat1, lon1, lat2, lon2),\n"
		"param(name[, default]). Read-only unless --write.\n\n"
		"  --format FMT   text (default), jsonl, csv, md\n");
}

int cmd_sql(int argc, char **argv)
{
	const char *casepath = NULL, *sql = NULL, *fmtname = "text", *v;
	m365f_case *c;
	m365f_error err;
	m365f_writer *w;
	unsigned int flags = 0;
	int i, fmt, rc;
	bool bad = false;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			sql_help(stdout);
			return M365F_EXIT_OK;
		}
		if (!strcmp(argv[i], "--write"))
			flags |= M365F_SQL_WRITE;
		else if (cli_opt(argc, argv, &i, "--format", &v, &bad)) {
			if (bad)
				return M365F_EXIT_USAGE;
			fmtname = v;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			cli_errorf("sql: unknown option '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		} else if (!casepath)
			casepath = argv[i];
		else if (!sql)
			sql = argv[i];
		else {
			cli_errorf("sql: give the SQL as one argument");
			return M365F_EXIT_USAGE;
		}
	}
	if (!casepath || !sql) {
		sql_help(stderr);
		return M365F_EXIT_USAGE;
	}
	fmt = cli_format(fmtname, "text,jsonl,json,csv,md,markdown");
	if (fmt < 0)
		return M365F_EXIT_USAGE;
	c = cli_open_case(casepath, (flags & M365F_SQL_WRITE)
					    ? 0
					    : M365F_OPEN_READONLY);
	if (!c)
		return M365F_EXIT_ERROR;
	rc = m365f_writer_new(&w, stdout, fmt, 0, &err);
	if (!rc) {
		rc = m365f_sql(c, sql, flags, m365f_writer_row, w, &err);
		if (rc)
			cli_error(&err, rc);
		m365f_writer_finish(w);
		m365f_writer_free(w);
	} else {
		cli_error(&err, rc);
	}
	m365f_case_free(c);
	return rc ? M365F_EXIT_ERROR : M365F_EXIT_OK;
}

int cmd_sources(int argc, char **argv)
{
	const char *casepath = NULL, *fmtname = "text", *v;
	m365f_case *c;
	m365f_error err;
	m365f_writer *w;
	int i, fmt, rc;
	bool bad = false;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: m365f sources [--format FMT] CASE.db\n\n"
			       "The evidence inventory: path, size, SHA-256, "
			       "format, encoding and\nrecord counts of every "
			       "source, with the time span it covers.\n\n"
			       "  --format FMT   text (default), jsonl, csv, "
			       "md\n");
			return M365F_EXIT_OK;
		}
		if (cli_opt(argc, argv, &i, "--format", &v, &bad)) {
			if (bad)
				return M365F_EXIT_USAGE;
			fmtname = v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cli_errorf("sources: unknown option '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		} else if (!casepath)
			casepath = argv[i];
		else {
			cli_errorf("sources: unexpected argument '%s'",
				   argv[i]);
			return M365F_EXIT_USAGE;
		}
	}
	if (!casepath) {
		fprintf(stderr, "usage: m365f sources [--format FMT] CASE.db\n");
		return M365F_EXIT_USAGE;
	}
	fmt = cli_format(fmtname, "text,jsonl,json,csv,md,markdown");
	if (fmt < 0)
		return M365F_EXIT_USAGE;
	c = cli_open_case(casepath, M365F_OPEN_READONLY);
	if (!c)
		return M365F_EXIT_ERROR;
	rc = m365f_writer_new(&w, stdout, fmt, 0, &err);
	if (!rc) {
		rc = m365f_sources(c, m365f_writer_row, w, &err);
		if (rc)
			cli_error(&err, rc);
		m365f_writer_finish(w);
		m365f_writer_free(w);
	}
	m365f_case_free(c);
	return rc ? M365F_EXIT_ERROR : M365F_EXIT_OK;
}
