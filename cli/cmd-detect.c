/* SPDX-License-Identifier: MIT */
/* cmd-detect.c - m365f detect (run the detectors, show findings) and
 * m365f detectors (list them with their headers). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_PARAMS 256

/* Text output shows the columns people read first. */
static const char *const text_cols[] = { "severity", "detector", "user",
					 "first_time", "summary", "events",
					 NULL };

typedef struct {
	m365f_writer *w;
	bool subset;
	const char *const *cols; /* NULL-terminated */
	int worst;                 /* highest severity written, -1 none */
} out_ctx;

static int out_row(const m365f_row *row, void *payload)
{
	out_ctx *o = payload;
	size_t i;

	for (i = 0; i < row->ncols; i++)
		if (!strcmp(row->names[i], "severity") && row->values[i]) {
			int s = m365f_severity_from_name(row->values[i]);

			if (s > o->worst)
				o->worst = s;
		}
	return cli_write_columns(o->w, row, o->subset ? o->cols : NULL);
}

static void print_diag(const m365f_error *e, void *payload)
{
	unsigned int *n = payload;

	cli_error(e, e->code);
	(*n)++;
}

static int severity_arg(const char *opt, const char *v, int *out)
{
	*out = m365f_severity_from_name(v);
	if (*out < 0) {
		cli_errorf("%s: unknown severity '%s' (info, low, medium, "
			   "high, critical)",
			   opt, v);
		return -1;
	}
	return 0;
}

static void detect_help(FILE *fp)
{
	fprintf(fp,
		"usage: m365f detect [OPTIONS] CASE.db\n\n"
		"Run the detectors over the case, store their findings (a run\n"
		"replaces the findings of the detectors it runs) and print them,\n"
		"most severe first.\n\n"
		"Options:\n"
		"  --category LIST       only these categories (comma list):\n"
		"                        persistence, defense-evasion, "
		"exfiltration,\n"
		"                        lateral, initial-access, coverage\n"
		"  --min-severity S      keep findings at or above S (info, low,\n"
		"                        medium, high, critical)\n"
		"  --fail-on S|none      exit 3 when a finding at or above S "
		"exists\n"
		"                        (default: the minimum severity)\n"
		"  --rules DIR           also run DIR/*.sql (and load "
		"DIR/*.tsv)\n"
		"  --no-builtin          run only the detectors of --rules\n"
		"  --param NAME=VALUE    set a parameter of every detector that "
		"has it;\n"
		"                        DETECTOR.NAME=VALUE for one detector\n"
		"  --config FILE         parameters from FILE (NAME = VALUE "
		"lines)\n"
		"  --internal-domain D   the tenant owns domain D (stored in the "
		"case)\n"
		"  --format FMT          text (default), jsonl, csv\n");
}

int cmd_detect(int argc, char **argv)
{
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	m365f_detect_summary sum;
	const char *casepath = NULL, *fmtname = "text", *v, *failon = NULL;
	const char *params[MAX_PARAMS + 1], *domains[64];
	size_t np = 0, nd = 0, k;
	unsigned int diags = 0;
	m365f_case *c;
	m365f_error err;
	out_ctx oc;
	int i, fmt, rc, fail_sev, code = M365F_EXIT_OK;
	bool bad = false;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			detect_help(stdout);
			return M365F_EXIT_OK;
		}
		if (cli_opt(argc, argv, &i, "--category", &v, &bad))
			o.categories = v;
		else if (cli_opt(argc, argv, &i, "--min-severity", &v, &bad)) {
			if (severity_arg("--min-severity", v, &o.min_severity))
				return M365F_EXIT_USAGE;
		} else if (cli_opt(argc, argv, &i, "--fail-on", &v, &bad))
			failon = v;
		else if (cli_opt(argc, argv, &i, "--rules", &v, &bad))
			o.rules_dir = v;
		else if (!strcmp(argv[i], "--no-builtin"))
			o.flags |= M365F_DETECT_NO_BUILTIN;
		else if (cli_opt(argc, argv, &i, "--param", &v, &bad)) {
			if (np == MAX_PARAMS) {
				cli_errorf("detect: more than %d --param",
					   MAX_PARAMS);
				return M365F_EXIT_USAGE;
			}
			params[np++] = v;
		} else if (cli_opt(argc, argv, &i, "--config", &v, &bad))
			o.config_path = v;
		else if (cli_opt(argc, argv, &i, "--internal-domain", &v,
				 &bad)) {
			if (nd == sizeof(domains) / sizeof(domains[0])) {
				cli_errorf("detect: too many --internal-domain");
				return M365F_EXIT_USAGE;
			}
			domains[nd++] = v;
		} else if (cli_opt(argc, argv, &i, "--format", &v, &bad))
			fmtname = v;
		else if (argv[i][0] == '-' && argv[i][1]) {
			cli_errorf("detect: unknown option '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		} else if (!casepath)
			casepath = argv[i];
		else {
			cli_errorf("detect: unexpected argument '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		}
		if (bad)
			return M365F_EXIT_USAGE;
	}
	if (!casepath) {
		detect_help(stderr);
		return M365F_EXIT_USAGE;
	}
	fail_sev = o.min_severity;
	if (failon && !strcmp(failon, "none"))
		fail_sev = M365F_SEVERITY_CRITICAL + 1;
	else if (failon && severity_arg("--fail-on", failon, &fail_sev))
		return M365F_EXIT_USAGE;
	fmt = cli_format(fmtname, "text,jsonl,json,csv");
	if (fmt < 0)
		return M365F_EXIT_USAGE;
	params[np] = NULL;
	o.params = params;
	o.diag_cb = print_diag;
	o.payload = &diags;
	c = cli_open_case(casepath, 0);
	if (!c)
		return M365F_EXIT_ERROR;
	for (k = 0; k < nd; k++) {
		rc = m365f_case_add_internal_domain(c, domains[k], &err);
		if (rc) {
			cli_error(&err, rc);
			m365f_case_free(c);
			return M365F_EXIT_USAGE;
		}
	}
	rc = m365f_detect_run(c, &o, &sum, &err);
	if (rc) {
		cli_error(&err, rc);
		m365f_case_free(c);
		return rc == M365F_EINVAL || rc == M365F_EVERSION
			       ? M365F_EXIT_USAGE
			       : M365F_EXIT_ERROR;
	}
	oc.subset = fmt == M365F_FORMAT_TEXT;
	oc.cols = text_cols;
	oc.worst = -1;
	rc = m365f_writer_new(&oc.w, stdout, fmt, 0, &err);
	if (!rc) {
		rc = m365f_findings(c, &o, out_row, &oc, &err);
		if (rc)
			cli_error(&err, rc);
		if (m365f_writer_finish(oc.w) && !rc) {
			cli_errorf("cannot write output");
			rc = M365F_EIO;
		}
		m365f_writer_free(oc.w);
	} else {
		cli_error(&err, rc);
	}
	fprintf(stderr,
		"m365f: %u detectors ran, %u failed, %llu findings stored\n",
		sum.detectors, sum.failed, (unsigned long long)sum.findings);
	m365f_case_free(c);
	if (rc || sum.failed)
		code = M365F_EXIT_ERROR;
	else if (oc.worst >= fail_sev)
		code = M365F_EXIT_FOUND;
	return code;
}

static void detectors_help(FILE *fp)
{
	fprintf(fp,
		"usage: m365f detectors [OPTIONS]\n\n"
		"List every detector with its header: id, title, category,\n"
		"severity, ATT&CK technique, parameters and description.\n\n"
		"Options:\n"
		"  --category LIST       only these categories (comma list)\n"
		"  --rules DIR           also the detectors of DIR/*.sql\n"
		"  --no-builtin          only the detectors of --rules\n"
		"  --param NAME=VALUE    show parameters as a run would use them\n"
		"  --config FILE         parameters from FILE\n"
		"  --format FMT          text (default: id, category, severity,\n"
		"                        attack, title), jsonl, csv, md\n");
}

static const char *const list_cols[] = { "id", "category", "severity",
					 "attack", "title", NULL };

int cmd_detectors(int argc, char **argv)
{
	m365f_detect_options o = M365F_DETECT_OPTIONS_INIT;
	const char *fmtname = "text", *v, *params[MAX_PARAMS + 1];
	size_t np = 0;
	unsigned int diags = 0;
	m365f_error err;
	out_ctx oc;
	int i, fmt, rc;
	bool bad = false;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			detectors_help(stdout);
			return M365F_EXIT_OK;
		}
		if (cli_opt(argc, argv, &i, "--category", &v, &bad))
			o.categories = v;
		else if (cli_opt(argc, argv, &i, "--rules", &v, &bad))
			o.rules_dir = v;
		else if (!strcmp(argv[i], "--no-builtin"))
			o.flags |= M365F_DETECT_NO_BUILTIN;
		else if (cli_opt(argc, argv, &i, "--param", &v, &bad)) {
			if (np == MAX_PARAMS) {
				cli_errorf("detectors: more than %d --param",
					   MAX_PARAMS);
				return M365F_EXIT_USAGE;
			}
			params[np++] = v;
		} else if (cli_opt(argc, argv, &i, "--config", &v, &bad))
			o.config_path = v;
		else if (cli_opt(argc, argv, &i, "--format", &v, &bad))
			fmtname = v;
		else {
			cli_errorf("detectors: unexpected argument '%s'",
				   argv[i]);
			return M365F_EXIT_USAGE;
		}
		if (bad)
			return M365F_EXIT_USAGE;
	}
	fmt = cli_format(fmtname, "text,jsonl,json,csv,md,markdown");
	if (fmt < 0)
		return M365F_EXIT_USAGE;
	params[np] = NULL;
	o.params = params;
	o.diag_cb = print_diag;
	o.payload = &diags;
	oc.subset = fmt == M365F_FORMAT_TEXT;
	oc.cols = list_cols;
	oc.worst = -1;
	rc = m365f_writer_new(&oc.w, stdout, fmt, 0, &err);
	if (rc) {
		cli_error(&err, rc);
		return M365F_EXIT_ERROR;
	}
	rc = m365f_detectors_list(&o, out_row, &oc, &err);
	if (rc)
		cli_error(&err, rc);
	if (m365f_writer_finish(oc.w) && !rc) {
		cli_errorf("cannot write output");
		rc = M365F_EIO;
	}
	m365f_writer_free(oc.w);
	if (rc == M365F_EINVAL)
		return M365F_EXIT_USAGE;
	return rc || diags ? M365F_EXIT_ERROR : M365F_EXIT_OK;
}
