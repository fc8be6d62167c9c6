/* SPDX-License-Identifier: MIT */
/* cmd-triage.c - m365f triage: many bundles, one summary, an exit code. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_BUNDLES 10000

static void triage_help(FILE *fp)
{
	fprintf(fp,
		"usage: m365f triage [OPTIONS] BUNDLE...\n\n"
		"Ingest each evidence bundle (a folder, .zip, .tar or .tar.gz, "
		"read in\nplace) into its own case, detect, and print one "
		"summary across them.\nEach case is written beside its bundle "
		"as BUNDLE.case.db (replaced if\nit exists), or into --out "
		"DIR; never inside the evidence.\n\n"
		"Options:\n"
		"  --out DIR           write the cases into DIR\n"
		"  --jobs N            bundles at once (default: the number of "
		"CPUs)\n"
		"  --no-detect         ingest and summarize only\n"
		"  --rules DIR         more detectors (*.sql) besides the "
		"built-in ones\n"
		"  --config FILE       detector parameters (name = value "
		"lines)\n"
		"  --param NAME=VALUE  one detector parameter (repeatable)\n"
		"  --fail-on SEV       exit 3 when a finding is at or above "
		"SEV:\n"
		"                      info, low, medium (default), high, "
		"critical\n"
		"  --format FMT        text (default), jsonl, csv\n"
		"  --quiet             no progress on stderr\n\n"
		"Exit: 0 nothing at SEV, 3 findings at or above SEV, 4 some "
		"bundle\nis broken (and nothing at SEV), 1 error, 2 usage.\n");
}

typedef struct {
	size_t n;
	bool show;
} progress;

static void on_bundle(size_t i, int done, const m365f_triage_result *r,
		      void *payload)
{
	progress *p = payload;

	if (!p->show)
		return;
	fprintf(stderr, "[%zu/%zu] ", i + 1, p->n);
	cli_put_safe(stderr, r->bundle, strlen(r->bundle));
	if (!done) {
		fputs(" ...\n", stderr);
		return;
	}
	if (r->status) {
		char e[320];

		m365f_error_format(&r->error, e, sizeof(e));
		fprintf(stderr, ": broken: %s\n", e);
	} else {
		fprintf(stderr, ": %llu events, worst finding: %s\n",
			(unsigned long long)r->stored,
			r->max_severity < 0
				? "none"
				: m365f_severity_name(r->max_severity));
	}
}

int cmd_triage(int argc, char **argv)
{
	m365f_triage_options o = M365F_TRIAGE_OPTIONS_INIT;
	m365f_detect_options d = M365F_DETECT_OPTIONS_INIT;
	const char **params;
	size_t nparams = 0;
	m365f_triage_result *res = NULL;
	const char **bundles;
	const char *v, *fmtname = "text";
	m365f_error err;
	progress prog;
	size_t n = 0, k;
	int i, fmt, rc, fail_on = M365F_SEVERITY_MEDIUM, exitc = M365F_EXIT_OK;
	bool bad = false, quiet = false;

	bundles = calloc((size_t)argc, sizeof(*bundles));
	params = calloc((size_t)argc + 1, sizeof(*params));
	if (!bundles || !params) {
		free(bundles);
		free(params);
		cli_errorf("out of memory");
		return M365F_EXIT_ERROR;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			triage_help(stdout);
			free(bundles);
			free(params);
			return M365F_EXIT_OK;
		}
		if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q"))
			quiet = true;
		else if (!strcmp(argv[i], "--no-detect"))
			o.flags |= M365F_TRIAGE_NO_DETECT;
		else if (cli_opt(argc, argv, &i, "--rules", &v, &bad))
			d.rules_dir = v;
		else if (cli_opt(argc, argv, &i, "--config", &v, &bad))
			d.config_path = v;
		else if (cli_opt(argc, argv, &i, "--param", &v, &bad))
			params[nparams++] = v;
		else if (cli_opt(argc, argv, &i, "--out", &v, &bad))
			o.out_dir = v;
		else if (cli_opt(argc, argv, &i, "--format", &v, &bad))
			fmtname = v;
		else if (cli_opt(argc, argv, &i, "--jobs", &v, &bad)) {
			char *end;
			unsigned long j = strtoul(v, &end, 10);

			if (!bad && (*end || !j || j > 64)) {
				cli_errorf("--jobs: not a number from 1 to 64: "
					   "'%s'",
					   v);
				bad = true;
			}
			o.jobs = (unsigned int)j;
		} else if (cli_opt(argc, argv, &i, "--fail-on", &v, &bad)) {
			if (!bad && (fail_on = m365f_severity_from_name(v)) < 0) {
				cli_errorf("--fail-on: one of info, low, "
					   "medium, high, critical: '%s'",
					   v);
				bad = true;
			}
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cli_errorf("triage: unknown option '%s'", argv[i]);
			bad = true;
		} else if (n < MAX_BUNDLES) {
			bundles[n++] = argv[i];
		} else {
			cli_errorf("triage: more than %d bundles", MAX_BUNDLES);
			bad = true;
		}
		if (bad) {
			free(bundles);
			free(params);
			return M365F_EXIT_USAGE;
		}
	}
	fmt = n ? cli_format(fmtname, "text,jsonl,json,csv") : -1;
	if (fmt < 0) {
		if (!n)
			triage_help(stderr);
		free(bundles);
		free(params);
		return M365F_EXIT_USAGE;
	}
	d.params = nparams ? params : NULL;
	o.detect_options = &d;
	prog.n = n;
	prog.show = !quiet && isatty(STDERR_FILENO);
	o.cb = on_bundle;
	o.payload = &prog;
	rc = m365f_triage(&res, bundles, n, &o, &err);
	free(bundles);
	free(params);
	if (rc) {
		cli_error(&err, rc);
		return M365F_EXIT_ERROR;
	}
	rc = m365f_triage_write(stdout, res, n, fmt, &err);
	if (rc) {
		cli_error(&err, rc);
		exitc = M365F_EXIT_ERROR;
	}
	for (k = 0; k < n && exitc == M365F_EXIT_OK; k++)
		if (res[k].status)
			exitc = M365F_EXIT_PARTIAL;
	for (k = 0; k < n && exitc != M365F_EXIT_ERROR; k++)
		if (!res[k].status && res[k].max_severity >= fail_on)
			exitc = M365F_EXIT_FOUND;
	for (k = 0; k < n; k++) {
		if (!res[k].status && res[k].detectors_failed) {
			fputs("m365f: ", stderr);
			cli_put_safe(stderr, res[k].bundle,
				     strlen(res[k].bundle));
			fprintf(stderr, ": %u detectors could not run "
					"(m365f detect shows why)\n",
				res[k].detectors_failed);
		}
		if (res[k].status) {
			char e[320];

			m365f_error_format(&res[k].error, e, sizeof(e));
			fprintf(stderr, "m365f: bundle broken: %s\n", e);
		}
	}
	m365f_triage_free(res, n);
	return exitc;
}
