/* SPDX-License-Identifier: MIT */
/* cmd-scope.c - m365f scope (the blast radius) and m365f geoip. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_SEEDS 256

static const char *const scope_usage =
	"usage: m365f scope [--seed-user UPN]... [--seed-ip IP]...\n"
	"                   [--min-severity SEV] [--format FMT] CASE.db\n";

static int scope_help(void)
{
	printf("%s\n"
	       "Who else is compromised: from the known-bad accounts and "
	       "addresses (or,\nwithout seeds, from the findings of "
	       "`m365f detect` at or above --min-severity)\nthe accounts, "
	       "addresses, sessions and applications in the blast radius,\n"
	       "each with the evidence that ties it in and a score (most "
	       "tied-in first).\nAddresses the tenant uses every day (VPN, "
	       "proxy) tie no one in.\n\n"
	       "  --seed-user UPN      a compromised account (repeatable)\n"
	       "  --seed-ip IP         an attacker address (repeatable)\n"
	       "  --min-severity SEV   without seeds: info, low, medium, "
	       "high (default),\n                       critical\n"
	       "  --format FMT         text (default), jsonl, csv, md\n",
	       scope_usage);
	return M365F_EXIT_OK;
}

static int severity_arg(const char *s)
{
	static const char *const names[] = { "info", "low", "medium", "high",
					     "critical" };
	int i;

	for (i = 0; i < 5; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -2;
}

int cmd_scope(int argc, char **argv)
{
	const char *casepath = NULL, *fmtname = "text", *v;
	const char *users[MAX_SEEDS + 1], *ips[MAX_SEEDS + 1];
	size_t nusers = 0, nips = 0;
	m365f_scope_options o = M365F_SCOPE_OPTIONS_INIT;
	m365f_case *c;
	m365f_error err;
	m365f_writer *w;
	int i, fmt, rc;
	bool bad = false;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return scope_help();
		if (cli_opt(argc, argv, &i, "--seed-user", &v, &bad)) {
			if (bad)
				return M365F_EXIT_USAGE;
			if (nusers == MAX_SEEDS) {
				cli_errorf("scope: more than %d seeds",
					   MAX_SEEDS);
				return M365F_EXIT_USAGE;
			}
			users[nusers++] = v;
		} else if (cli_opt(argc, argv, &i, "--seed-ip", &v, &bad)) {
			if (bad)
				return M365F_EXIT_USAGE;
			if (nips == MAX_SEEDS) {
				cli_errorf("scope: more than %d seeds",
					   MAX_SEEDS);
				return M365F_EXIT_USAGE;
			}
			ips[nips++] = v;
		} else if (cli_opt(argc, argv, &i, "--min-severity", &v,
				   &bad)) {
			if (bad)
				return M365F_EXIT_USAGE;
			o.min_severity = severity_arg(v);
			if (o.min_severity < 0) {
				cli_errorf("scope: unknown severity '%s' (info, "
					   "low, medium, high, critical)",
					   v);
				return M365F_EXIT_USAGE;
			}
		} else if (cli_opt(argc, argv, &i, "--format", &v, &bad)) {
			if (bad)
				return M365F_EXIT_USAGE;
			fmtname = v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cli_errorf("scope: unknown option '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		} else if (!casepath) {
			casepath = argv[i];
		} else {
			cli_errorf("scope: unexpected argument '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		}
	}
	if (!casepath) {
		fputs(scope_usage, stderr);
		return M365F_EXIT_USAGE;
	}
	fmt = cli_format(fmtname, "text,jsonl,json,csv,md,markdown");
	if (fmt < 0)
		return M365F_EXIT_USAGE;
	users[nusers] = NULL;
	ips[nips] = NULL;
	o.seed_users = users;
	o.seed_ips = ips;
	c = cli_open_case(casepath, M365F_OPEN_READONLY);
	if (!c)
		return M365F_EXIT_ERROR;
	rc = m365f_writer_new(&w, stdout, fmt, 0, &err);
	if (!rc) {
		rc = m365f_scope(c, &o, m365f_writer_row, w, &err);
		m365f_writer_finish(w);
		m365f_writer_free(w);
	}
	if (rc)
		cli_error(&err, rc);
	m365f_case_free(c);
	return rc ? M365F_EXIT_ERROR : M365F_EXIT_OK;
}

int cmd_geoip(int argc, char **argv)
{
	const char *casepath = NULL;
	const char *dbs[16];
	size_t ndbs = 0, k;
	m365f_case *c;
	m365f_error err;
	int i, rc = M365F_OK;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: m365f geoip CASE.db DATABASE.mmdb...\n\n"
			       "Locate the case's addresses offline with "
			       "MaxMind-format databases\n(GeoLite2/GeoIP2 "
			       "City, Country, ASN). The answers go to the "
			       "ip_info\ntable, where the travel and "
			       "shared-infrastructure detectors use them\n"
			       "for addresses no sign-in located.%s\n",
			       m365f_geoip_available()
				       ? ""
				       : "\n\nThis build has no MaxMind "
					 "support (libmaxminddb).");
			return M365F_EXIT_OK;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			cli_errorf("geoip: unknown option '%s'", argv[i]);
			return M365F_EXIT_USAGE;
		}
		if (!casepath) {
			casepath = argv[i];
		} else if (ndbs < sizeof(dbs) / sizeof(dbs[0])) {
			dbs[ndbs++] = argv[i];
		} else {
			cli_errorf("geoip: too many databases");
			return M365F_EXIT_USAGE;
		}
	}
	if (!casepath || !ndbs) {
		fprintf(stderr, "usage: m365f geoip CASE.db DATABASE.mmdb...\n");
		return M365F_EXIT_USAGE;
	}
	c = cli_open_case(casepath, 0);
	if (!c)
		return M365F_EXIT_ERROR;
	for (k = 0; k < ndbs && !rc; k++) {
		uint64_t found = 0;

		rc = m365f_case_geoip(c, dbs[k], &found, &err);
		if (rc)
			cli_error(&err, rc);
		else
			printf("%s: %llu addresses located\n", dbs[k],
			       (unsigned long long)found);
	}
	m365f_case_free(c);
	return rc ? M365F_EXIT_ERROR : M365F_EXIT_OK;
}
