/* SPDX-License-Identifier: MIT */
/* cmd-report.c - m365f report and m365f export. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void report_help(FILE *fp)
{
	fprintf(fp,
		"usage: m365f report [OPTIONS] CASE.db -o FILE\n\n"
		"Write the incident report of a case: summary, evidence "
		"inventory,\ncoverage gaps, findings with evidence, affected "
		"accounts, key events\nwith an activity chart, indicators, "
		"containment checklist, detectors.\nThe format follows the "
		"name: .html (one self-contained file) or .md.\n"
		"The same case gives the same bytes.\n\n"
		"Options:\n"
		"  -o, --output FILE   the report to write (.html or .md)\n"
		"  --title TEXT        title (default: Incident report: "
		"CASE)\n"
		"  --timestamp         print when the report was made\n"
		"  --max-evidence N    evidence rows per finding (default "
		"50)\n");
}

static int parse_count(const char *opt, const char *v, size_t *out)
{
	char *end;
	unsigned long long n = strtoull(v, &end, 10);

	if (*end || !n || n > 1000000) {
		cli_errorf("%s: not a number from 1 to 1000000: '%s'", opt, v);
		return -1;
	}
	*out = (size_t)n;
	return 0;
}

int cmd_report(int argc, char **argv)
{
	m365f_report_options o = M365F_REPORT_OPTIONS_INIT;
	const char *casepath = NULL, *out = NULL, *v;
	m365f_case *c;
	m365f_error err;
	bool bad = false;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			report_help(stdout);
			return M365F_EXIT_OK;
		}
		if (!strcmp(argv[i], "--timestamp"))
			o.flags |= M365F_REPORT_TIMESTAMP;
		else if (cli_opt(argc, argv, &i, "-o", &v, &bad) ||
			 cli_opt(argc, argv, &i, "--output", &v, &bad))
			out = v;
		else if (cli_opt(argc, argv, &i, "--title", &v, &bad))
			o.title = v;
		else if (cli_opt(argc, argv, &i, "--max-evidence", &v, &bad)) {
			if (!bad && parse_count("--max-evidence", v,
						&o.max_evidence))
				return M365F_EXIT_USAGE;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cli_errorf("report: unknown option '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		} else if (!casepath)
			casepath = argv[i];
		else {
			cli_errorf("report: unexpected argument '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		}
		if (bad)
			return M365F_EXIT_USAGE;
	}
	if (!casepath || !out) {
		report_help(stderr);
		return M365F_EXIT_USAGE;
	}
	c = cli_open_case(casepath, M365F_OPEN_READONLY);
	if (!c)
		return M365F_EXIT_ERROR;
	rc = m365f_report_write_file(c, out, &o, &err);
	if (rc)
		cli_error(&err, rc);
	m365f_case_free(c);
	if (rc == M365F_EINVAL)
		return M365F_EXIT_USAGE;
	return rc ? M365F_EXIT_ERROR : M365F_EXIT_OK;
}

static void export_help(FILE *fp)
{
	fprintf(fp,
		"usage: m365f export [OPTIONS] CASE.db --format FMT\n\n"
		"Write the timeline (or a filtered slice) for other tools, "
		"on stdout\nor into --output FILE.\n\n"
		"Formats:\n"
		"  jsonl            timeline rows as JSON lines\n"
		"  csv              timeline rows as CSV (formulas "
		"neutralized)\n"
		"  timesketch       Timesketch JSONL: message, datetime, "
		"timestamp,\n"
		"                   timestamp_desc and the timeline fields\n"
		"  timesketch-csv   the same as CSV\n"
		"  ecs              Elastic Common Schema as _bulk lines "
		"(create + doc)\n"
		"  iocs             indicators of compromise as CSV\n"
		"  iocs-jsonl       indicators as JSON lines\n\n"
		"Filters (not for iocs):\n"
		"  --user UPN  --ip IP  --since TIME  --until TIME\n"
		"  --operation REGEX  --workload NAME  --session ID\n"
		"  --product NAME  --limit N\n"
		"  -o, --output FILE   write here instead of stdout\n");
}

int cmd_export(int argc, char **argv)
{
	m365f_timeline_filter f = M365F_TIMELINE_FILTER_INIT;
	const char *casepath = NULL, *fmtname = NULL, *v, *out = NULL;
	const char *limit = NULL;
	m365f_case *c;
	m365f_error err;
	FILE *fp = stdout;
	bool bad = false;
	int i, fmt, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			export_help(stdout);
			return M365F_EXIT_OK;
		}
		if (cli_opt(argc, argv, &i, "--format", &v, &bad))
			fmtname = v;
		else if (cli_opt(argc, argv, &i, "-o", &v, &bad) ||
			 cli_opt(argc, argv, &i, "--output", &v, &bad))
			out = v;
		else if (cli_opt(argc, argv, &i, "--user", &v, &bad))
			f.user = v;
		else if (cli_opt(argc, argv, &i, "--ip", &v, &bad))
			f.ip = v;
		else if (cli_opt(argc, argv, &i, "--since", &v, &bad))
			f.since = v;
		else if (cli_opt(argc, argv, &i, "--until", &v, &bad))
			f.until = v;
		else if (cli_opt(argc, argv, &i, "--operation", &v, &bad))
			f.operation = v;
		else if (cli_opt(argc, argv, &i, "--workload", &v, &bad))
			f.workload = v;
		else if (cli_opt(argc, argv, &i, "--session", &v, &bad))
			f.session = v;
		else if (cli_opt(argc, argv, &i, "--product", &v, &bad))
			f.product = v;
		else if (cli_opt(argc, argv, &i, "--limit", &v, &bad))
			limit = v;
		else if (argv[i][0] == '-' && argv[i][1]) {
			cli_errorf("export: unknown option '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		} else if (!casepath)
			casepath = argv[i];
		else {
			cli_errorf("export: unexpected argument '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		}
		if (bad)
			return M365F_EXIT_USAGE;
	}
	if (!casepath || !fmtname) {
		export_help(stderr);
		return M365F_EXIT_USAGE;
	}
	fmt = m365f_export_format_from_name(fmtname);
	if (fmt < 0) {
		cli_errorf("unknown --format '%s' (one of: jsonl, csv, "
			   "timesketch, timesketch-csv, ecs, iocs, "
			   "iocs-jsonl)",
			   fmtname);
		return M365F_EXIT_USAGE;
	}
	if (limit) {
		char *end;

		f.limit = strtoull(limit, &end, 10);
		if (*end || !f.limit) {
			cli_errorf("--limit: not a positive number: '%s'",
				   limit);
			return M365F_EXIT_USAGE;
		}
	}
	c = cli_open_case(casepath, M365F_OPEN_READONLY);
	if (!c)
		return M365F_EXIT_ERROR;
	if (out) {
		fp = fopen(out, "wb");
		if (!fp) {
			cli_errorf("%s: cannot create", out);
			m365f_case_free(c);
			return M365F_EXIT_ERROR;
		}
	}
	rc = m365f_export(c, fp, fmt, &f, &err);
	if (rc)
		cli_error(&err, rc);
	if (out && fclose(fp) != 0 && !rc) {
		cli_errorf("%s: cannot write", out);
		rc = M365F_EIO;
	}
	m365f_case_free(c);
	if (rc == M365F_EINVAL)
		return M365F_EXIT_USAGE;
	return rc ? M365F_EXIT_ERROR : M365F_EXIT_OK;
}
