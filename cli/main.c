/* SPDX-License-Identifier: MIT */
/* main.c - the m365f command table. */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"

static const cli_command commands[] = {
	{ "ingest", cmd_ingest, "Read evidence files/folders into a case" },
	{ "sources", cmd_sources, "List the evidence in a case (hashes, counts)" },
	{ "timeline", cmd_timeline, "Show events by time, with filters" },
	{ "show", cmd_show, "One event: every field and the verbatim record" },
	{ "sql", cmd_sql, "Run SQL on a case with the m365f functions" },
	{ "signins", cmd_signins, "Entra sign-ins, with filters" },
	{ "rules", cmd_rules, "Mailbox rules from dumps and their history" },
	{ "pivot", cmd_pivot, "Follow an IP, user or session across sources" },
	/* reports, exports and triage */
	{ "report", cmd_report, "Write the incident report (.html or .md)" },
	{ "export", cmd_export, "Timeline for Timesketch, Elastic, CSV, IOCs" },
	{ "triage", cmd_triage, "Ingest, detect and summarize many bundles" },
	/* blast radius and address enrichment */
	{ "scope", cmd_scope, "Blast radius: accounts, IPs, apps, sessions tied in" },
	{ "geoip", cmd_geoip, "Locate the case's addresses with a MaxMind database" },
	{ "detect", cmd_detect, "Run the detectors; store and show findings" },
	{ "detectors", cmd_detectors, "List the detectors with their headers" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *fp)
{
	const cli_command *c;

	fprintf(fp,
		"usage: m365f COMMAND [ARGS...]\n"
		"       m365f COMMAND --help\n"
		"       m365f --version\n\n"
		"Offline forensics for Microsoft 365 incident evidence.\n\n"
		"Commands:\n");
	for (c = commands; c->name; c++)
		fprintf(fp, "  %-10s %s\n", c->name, c->summary);
	fprintf(fp,
		"\nExit codes:\n"
		"  0  success (detect/triage: nothing at the chosen severity)\n"
		"  1  error (input, I/O or case database)\n"
		"  2  usage error\n"
		"  3  detect/triage: findings at or above the chosen severity\n"
		"  4  ingest: some sources were skipped or failed\n");
}

int main(int argc, char **argv)
{
	const cli_command *c;

	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (argc < 2) {
		usage(stderr);
		return M365F_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return M365F_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("m365f %s (libm365forensics %s, case schema %d)\n",
		       M365F_VERSION, m365f_version(), M365F_SCHEMA_VERSION);
		return M365F_EXIT_OK;
	}
	for (c = commands; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "m365f: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return M365F_EXIT_USAGE;
}
