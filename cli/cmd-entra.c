/* SPDX-License-Identifier: MIT */
/* cmd-entra.c - m365f signins, rules and pivot. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---------------------------------------------------------------- signins */

static const char *const signin_cols[] = { "time", "user", "client_ip",
					   "result", "error_code", "app",
					   "client_app", "country", "id",
					   NULL };

static void signins_help(FILE *fp)
{
	fprintf(fp,
		"usage: m365f signins [OPTIONS] CASE.db\n\n"
		"Entra sign-ins by time, then source and line. Results are "
		"success,\nfailure or interrupted (50140, 16000, 50058, 50074, "
		"50199).\n\n"
		"Options:\n"
		"  --user UPN          who signed in (case-insensitive)\n"
		"  --ip IP             client IP (port and brackets ignored)\n"
		"  --since TIME        from this time (ISO-8601 or date), "
		"inclusive\n"
		"  --until TIME        up to this time, exclusive\n"
		"  --session ID        session, unique token or correlation id\n"
		"  --failed            failed sign-ins only\n"
		"  --app APP           application id, or part of its name\n"
		"  --country CC        country code\n"
		"  --limit N           at most N sign-ins\n"
		"  --format FMT        text (default), jsonl, csv, md\n");
}

static int q_signins(m365f_case *c, void *q, m365f_row_cb cb, void *payload,
		     m365f_error *err)
{
	return m365f_signins(c, q, cb, payload, err);
}

int cmd_signins(int argc, char **argv)
{
	m365f_signin_filter f = M365F_SIGNIN_FILTER_INIT;
	cli_filter_opts o = CLI_FILTER_OPTS_INIT;
	const char *casepath = NULL, *v;
	int i, fmt;
	bool bad = false;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			signins_help(stdout);
			return M365F_EXIT_OK;
		}
		if (!strcmp(argv[i], "--failed"))
			f.failed = 1;
		else if (cli_filter_opt(argc, argv, &i, &o, &bad))
			;
		else if (cli_opt(argc, argv, &i, "--app", &v, &bad))
			f.app = v;
		else if (cli_opt(argc, argv, &i, "--country", &v, &bad))
			f.country = v;
		else if (argv[i][0] == '-' && argv[i][1]) {
			cli_errorf("signins: unknown option '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		} else if (!casepath)
			casepath = argv[i];
		else {
			cli_errorf("signins: unexpected argument '%s'",
				   argv[i]);
			return M365F_EXIT_USAGE;
		}
		if (bad)
			return M365F_EXIT_USAGE;
	}
	if (!casepath) {
		signins_help(stderr);
		return M365F_EXIT_USAGE;
	}
	if (!cli_filter_finish(&o, &f.limit, &fmt))
		return M365F_EXIT_USAGE;
	f.user = o.user;
	f.ip = o.ip;
	f.since = o.since;
	f.until = o.until;
	f.session = o.session;
	return cli_run_query(casepath, fmt, signin_cols, q_signins, &f);
}

/* ------------------------------------------------------------------ rules */

static const char *const rule_cols[] = {
	"mailbox", "name", "source_kind", "action", "time", "enabled",
	"forward_to", "redirect_to", "delete_message", "move_to_folder",
	"actor", "client_ip", NULL
};

static int q_rules(m365f_case *c, void *q, m365f_row_cb cb, void *payload,
		   m365f_error *err)
{
	return m365f_rules(c, q, cb, payload, err);
}

static void rules_help(FILE *fp)
{
	fprintf(fp,
		"usage: m365f rules [--mailbox M] [--format FMT] CASE.db\n\n"
		"Mailbox rules, forwarding and transport rules: the rules "
		"found in\ndumps (source_kind dump) followed by their history "
		"rebuilt from the\naudit log (source_kind audit: new, set, "
		"enable, disable, remove,\nupdate), with who changed them "
		"from which IP.\n\n"
		"  --mailbox M    one mailbox (UPN, case-insensitive)\n"
		"  --format FMT   text (default), jsonl, csv, md\n");
}

int cmd_rules(int argc, char **argv)
{
	const char *casepath = NULL, *fmtname = "text", *v, *mailbox = NULL;
	int i, fmt;
	bool bad = false;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			rules_help(stdout);
			return M365F_EXIT_OK;
		}
		if (cli_opt(argc, argv, &i, "--mailbox", &v, &bad))
			mailbox = v;
		else if (cli_opt(argc, argv, &i, "--format", &v, &bad))
			fmtname = v;
		else if (argv[i][0] == '-' && argv[i][1]) {
			cli_errorf("rules: unknown option '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		} else if (!casepath)
			casepath = argv[i];
		else {
			cli_errorf("rules: unexpected argument '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		}
		if (bad)
			return M365F_EXIT_USAGE;
	}
	if (!casepath) {
		rules_help(stderr);
		return M365F_EXIT_USAGE;
	}
	fmt = cli_format(fmtname, "text,jsonl,json,csv,md,markdown");
	if (fmt < 0)
		return M365F_EXIT_USAGE;
	return cli_run_query(casepath, fmt, rule_cols, q_rules, (void *)mailbox);
}

/* ------------------------------------------------------------------ pivot */

typedef struct {
	int kind;
	const char *value;
} pivot_q;

static int q_pivot(m365f_case *c, void *q, m365f_row_cb cb, void *payload,
		   m365f_error *err)
{
	pivot_q *p = q;

	return m365f_pivot(c, p->kind, p->value, cb, payload, err);
}

static const char *const pivot_ip_cols[] = { "user", "first_time",
					     "last_time", "count", "country",
					     "sources", NULL };
static const char *const pivot_user_cols[] = {
	"client_ip", "country", "client", "app", "first_time", "last_time",
	"count", "sources", NULL
};
static const char *const pivot_session_cols[] = {
	"time", "user", "client_ip", "operation", "result", "sources", "id",
	NULL
};

static void pivot_help(FILE *fp)
{
	fprintf(fp,
		"usage: m365f pivot [--format FMT] CASE.db --ip IP | --user UPN"
		" | --session ID\n\n"
		"Follow one IP, user or session across the audit log, "
		"sign-ins,\ndirectory audits and rule dumps:\n"
		"  --ip IP        every user seen from the IP, with first and "
		"last time,\n"
		"                 count and the kinds of source\n"
		"  --user UPN     every IP, country, client and application "
		"of the user\n"
		"  --session ID   every event carrying the session, unique "
		"token or\n"
		"                 correlation id\n"
		"  --format FMT   text (default), jsonl, csv, md\n");
}

int cmd_pivot(int argc, char **argv)
{
	const char *casepath = NULL, *fmtname = "text", *v;
	const char *const *cols = NULL;
	pivot_q q = { 0, NULL };
	int i, fmt, given = 0;
	bool bad = false;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			pivot_help(stdout);
			return M365F_EXIT_OK;
		}
		if (cli_opt(argc, argv, &i, "--ip", &v, &bad)) {
			q.kind = M365F_PIVOT_IP;
			q.value = v;
			cols = pivot_ip_cols;
			given++;
		} else if (cli_opt(argc, argv, &i, "--user", &v, &bad)) {
			q.kind = M365F_PIVOT_USER;
			q.value = v;
			cols = pivot_user_cols;
			given++;
		} else if (cli_opt(argc, argv, &i, "--session", &v, &bad)) {
			q.kind = M365F_PIVOT_SESSION;
			q.value = v;
			cols = pivot_session_cols;
			given++;
		} else if (cli_opt(argc, argv, &i, "--format", &v, &bad))
			fmtname = v;
		else if (argv[i][0] == '-' && argv[i][1]) {
			cli_errorf("pivot: unknown option '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		} else if (!casepath)
			casepath = argv[i];
		else {
			cli_errorf("pivot: unexpected argument '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		}
		if (bad)
			return M365F_EXIT_USAGE;
	}
	if (!casepath || given != 1) {
		if (casepath)
			cli_errorf("pivot: give exactly one of --ip, --user, "
				   "--session");
		pivot_help(stderr);
		return M365F_EXIT_USAGE;
	}
	fmt = cli_format(fmtname, "text,jsonl,json,csv,md,markdown");
	if (fmt < 0)
		return M365F_EXIT_USAGE;
	return cli_run_query(casepath, fmt, cols, q_pivot, &q);
}
