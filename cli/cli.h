/* SPDX-License-Identifier: MIT */
/* cli.h - shared pieces of the m365f command line. Uses only <m365f.h>. */
#ifndef M365F_CLI_H
#define M365F_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <m365f.h>

/* Exit codes (documented in README.md and `m365f --help`). */
#define M365F_EXIT_OK 0        /* success; for triage/detect: nothing found */
#define M365F_EXIT_ERROR 1     /* a run-time error (I/O, database, input) */
#define M365F_EXIT_USAGE 2     /* bad command line */
#define M365F_EXIT_FOUND 3     /* detect/triage: findings at or above the
				  chosen severity */
#define M365F_EXIT_PARTIAL 4   /* ingest: some sources failed or were
				  skipped */

typedef struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} cli_command;

/* Print "m365f: <formatted error>" to stderr. */
void cli_error(const m365f_error *err, int code);
/* printf-style message to stderr with the "m365f: " prefix. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write n bytes of evidence text (a path, a message) to fp, rendered
 * terminal-safe by m365f_text_safe(). */
void cli_put_safe(FILE *fp, const char *s, size_t n);

/* Open a case; prints the error. flags as for m365f_case_open(). */
m365f_case *cli_open_case(const char *path, unsigned int flags);

/* Parse --format NAME; returns the M365F_FORMAT_* or -1 (message
 * printed). */
int cli_format(const char *name, const char *allowed);


/* Option parsing helper: if argv[*i] is "--name" or "--name=value", store
 * the value (next argument or after '=') and return true. Prints a usage
 * error and sets *bad when the value is missing. */
bool cli_opt(int argc, char **argv, int *i, const char *name,
	     const char **value, bool *bad);

/* The options the event queries share (timeline, signins). */
typedef struct cli_filter_opts {
	const char *user, *ip, *since, *until, *session, *limit, *format;
} cli_filter_opts;
#define CLI_FILTER_OPTS_INIT { NULL, NULL, NULL, NULL, NULL, NULL, "text" }

/* cli_opt() for --user, --ip, --since, --until, --session, --limit and
 * --format into o. */
bool cli_filter_opt(int argc, char **argv, int *i, cli_filter_opts *o,
		    bool *bad);

/* The checked --limit of o (0 when not given) and --format; false when
 * either is bad (message printed). */
bool cli_filter_finish(const cli_filter_opts *o, uint64_t *limit,
		       int *fmt);

/* Write the columns of row named in cols (NULL-terminated, in that
 * order; NULL for every column) to w. */
int cli_write_columns(m365f_writer *w, const m365f_row *row,
		      const char *const *cols);

/* A query run by cli_run_query(): q is the command's query. */
typedef int (*cli_query_fn)(m365f_case *c, void *q, m365f_row_cb cb,
			    void *payload, m365f_error *err);

/* Open the case read-only and a writer on stdout in fmt, run fn and
 * finish; text and Markdown show only text_cols (NULL-terminated; NULL
 * for all). Returns the exit code. */
int cli_run_query(const char *casepath, int fmt,
		  const char *const *text_cols, cli_query_fn fn, void *q);

int cmd_ingest(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_sql(int argc, char **argv);
int cmd_sources(int argc, char **argv);
int cmd_show(int argc, char **argv);
/* cmd-entra.c */
int cmd_signins(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_pivot(int argc, char **argv);
/* reports, exports and triage */
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_triage(int argc, char **argv);
/* blast radius and address enrichment */
int cmd_scope(int argc, char **argv);
int cmd_geoip(int argc, char **argv);
/* detection */
int cmd_detect(int argc, char **argv);
int cmd_detectors(int argc, char **argv);

#endif
