/* SPDX-License-Identifier: MIT */
/* cmd-ingest.c - m365f ingest CASE.db PATH... */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct {
	bool json;
	bool quiet;
	bool tty;
	bool first;
	unsigned long failed, skipped;
	uint64_t records, stored, duplicates, rejected;
	FILE *json_out;
	m365f_writer *jw;
} ingest_ctx;

static const char *status_name(int s)
{
	switch (s) {
	case M365F_SOURCE_INGESTED: return "ingested";
	case M365F_SOURCE_ALREADY: return "already";
	case M365F_SOURCE_SKIPPED: return "skipped";
	default: return "failed";
	}
}

/* Length of the valid UTF-8 sequence at p (NUL-terminated), 0 if none:
 * file and member names need not be UTF-8, JSON must be. */
static size_t utf8_len(const unsigned char *p)
{
	size_t k, i;

	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		k = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		k = 3;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		k = 4;
	else
		return 0;
	for (i = 1; i < k; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0) ||
	    (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90))
		return 0; /* overlong, surrogate, past U+10FFFF */
	return k;
}

static void json_str(FILE *fp, const char *s)
{
	/* through the library's writer would need a row; a tiny escaper is
	 * enough for paths and names: escape quotes, backslashes, controls,
	 * bytes that are not UTF-8 as U+FFFD */
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', fp);
	while (*p) {
		size_t k = *p < 0x80 ? 1 : utf8_len(p);

		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\u%04x", *p);
		else if (!k)
			fputs("\\ufffd", fp);
		else
			fwrite(p, 1, k, fp);
		p += k ? k : 1;
	}
	fputc('"', fp);
}

/* Paths and reasons name evidence: never raw to a terminal. */
static void safe_print(FILE *fp, const char *s)
{
	cli_put_safe(fp, s ? s : "", s ? strlen(s) : 0);
}

static int on_source(const m365f_source_summary *s, void *payload)
{
	ingest_ctx *x = payload;

	if (x->tty && !x->quiet)
		fputs("\r\033[K", stderr);
	if (s->status == M365F_SOURCE_FAILED)
		x->failed++;
	if (s->status == M365F_SOURCE_SKIPPED)
		x->skipped++;
	if (s->status == M365F_SOURCE_INGESTED) {
		/* totals keep stored + duplicates + rejected == records:
		 * a skipped or failed source kept nothing */
		x->records += s->records;
		x->stored += s->stored;
		x->duplicates += s->duplicates;
		x->rejected += s->rejected;
	}
	if (s->error && s->status != M365F_SOURCE_INGESTED &&
	    s->status != M365F_SOURCE_ALREADY)
		cli_error(s->error, s->error->code);
	if (x->json) {
		fputs(x->first ? "" : ",", stdout);
		x->first = false;
		fputs("{\"path\":", stdout);
		json_str(stdout, s->path);
		fputs(",\"sha256\":", stdout);
		json_str(stdout, s->sha256);
		fputs(",\"format\":", stdout);
		json_str(stdout, s->format);
		fputs(",\"product\":", stdout);
		json_str(stdout, s->product);
		fputs(",\"encoding\":", stdout);
		json_str(stdout, s->encoding);
		fputs(",\"status\":", stdout);
		json_str(stdout, status_name(s->status));
		printf(",\"records\":%" PRIu64 ",\"stored\":%" PRIu64
		       ",\"duplicates\":%" PRIu64 ",\"rejected\":%" PRIu64
		       ",\"conflicts\":%" PRIu64,
		       s->records, s->stored, s->duplicates, s->rejected,
		       s->conflicts);
		if (s->error && s->error->text[0]) {
			fputs(",\"message\":", stdout);
			json_str(stdout, s->error->text);
		}
		fputs("}", stdout);
		return 0;
	}
	if (x->quiet)
		return 0;
	safe_print(stdout, s->path);
	switch (s->status) {
	case M365F_SOURCE_INGESTED:
		printf(": %s (%s), %" PRIu64 " records: %" PRIu64
		       " stored, %" PRIu64 " duplicates, %" PRIu64
		       " rejected",
		       s->format, s->encoding, s->records, s->stored,
		       s->duplicates, s->rejected);
		if (s->conflicts)
			printf(", %" PRIu64 " id conflicts", s->conflicts);
		printf("\n  sha256 %s\n", s->sha256);
		break;
	case M365F_SOURCE_ALREADY:
		printf(": already in the case (same SHA-256 %s); nothing "
		       "added\n",
		       s->sha256);
		break;
	case M365F_SOURCE_SKIPPED:
		fputs(": skipped: ", stdout);
		safe_print(stdout, s->error ? s->error->text
					    : "not recognized");
		putchar('\n');
		break;
	default:
		fputs(": failed: ", stdout);
		safe_print(stdout, s->error ? s->error->text : "error");
		putchar('\n');
	}
	return 0;
}

static void on_progress(const char *path, uint64_t done, uint64_t total,
			void *payload)
{
	ingest_ctx *x = payload;

	if (!x->tty || x->quiet)
		return;
	fputs("\r\033[K", stderr);
	fputs("reading ", stderr);
	cli_put_safe(stderr, path, strnlen(path, 60));
	if (total)
		fprintf(stderr, ": %3d%%", (int)(done * 100 / total));
	else
		fprintf(stderr, ": %" PRIu64 " MB", done >> 20);
}

static void on_diag(const m365f_error *d, void *payload)
{
	ingest_ctx *x = payload;
	char buf[512];

	if (x->quiet || x->json)
		return;
	m365f_error_format(d, buf, sizeof(buf));
	if (x->tty)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "m365f: reject: ");
	safe_print(stderr, buf);
	fputc('\n', stderr);
}

static void help(FILE *fp)
{
	fprintf(fp,
		"usage: m365f ingest [OPTIONS] CASE.db PATH...\n\n"
		"Read evidence files, .gz files and folders (walked "
		"recursively in name\norder) into the case, creating it if "
		"needed. The format is detected from\nthe content. Every "
		"record is stored, counted as a duplicate, or stored as\na "
		"reject with its reason.\n\n"
		"Options:\n"
		"  --json             one JSON object with per-source counts\n"
		"  --quiet            no per-source lines and no reject lines\n"
		"  --strict           strict CSV quoting\n"
		"  --keep-raw=ref|copy  keep the verbatim record as a reference "
		"into the\n"
		"                     evidence (default) or a compressed copy "
		"in the case\n"
		"  --max-record-bytes N  larger records are rejected "
		"(default 64 MiB)\n"
		"  --internal-domain D   a domain of the tenant (repeatable)\n");
}

int cmd_ingest(int argc, char **argv)
{
	ingest_ctx x;
	m365f_ingest_options opts = M365F_INGEST_OPTIONS_INIT;
	m365f_case *c;
	m365f_error err;
	const char *casepath = NULL, *v;
	const char *paths[4096];
	const char *domains[64];
	size_t npaths = 0, ndomains = 0, k;
	int i, rc = 0;
	bool bad = false, opts_done = false;

	memset(&x, 0, sizeof(x));
	x.first = true;
	for (i = 1; i < argc; i++) {
		if (!opts_done && argv[i][0] == '-' && argv[i][1]) {
			if (!strcmp(argv[i], "--")) {
				opts_done = true;
			} else if (!strcmp(argv[i], "--help") ||
				   !strcmp(argv[i], "-h")) {
				help(stdout);
				return M365F_EXIT_OK;
			} else if (!strcmp(argv[i], "--json")) {
				x.json = true;
			} else if (!strcmp(argv[i], "--quiet")) {
				x.quiet = true;
			} else if (!strcmp(argv[i], "--strict")) {
				opts.flags |= M365F_INGEST_STRICT;
			} else if (cli_opt(argc, argv, &i, "--keep-raw", &v,
					   &bad)) {
				if (bad)
					return M365F_EXIT_USAGE;
				if (!strcmp(v, "ref"))
					opts.raw = M365F_RAW_REF;
				else if (!strcmp(v, "copy"))
					opts.raw = M365F_RAW_COPY;
				else {
					cli_errorf("--keep-raw: ref or copy, "
						   "not '%s'",
						   v);
					return M365F_EXIT_USAGE;
				}
			} else if (cli_opt(argc, argv, &i, "--max-record-bytes",
					   &v, &bad)) {
				char *end;
				unsigned long long n;

				if (bad)
					return M365F_EXIT_USAGE;
				n = strtoull(v, &end, 10);
				if (*end || !n) {
					cli_errorf("--max-record-bytes: not a "
						   "positive number: '%s'",
						   v);
					return M365F_EXIT_USAGE;
				}
				opts.max_record_bytes = (size_t)n;
			} else if (cli_opt(argc, argv, &i, "--internal-domain",
					   &v, &bad)) {
				if (bad)
					return M365F_EXIT_USAGE;
				if (ndomains < 64)
					domains[ndomains++] = v;
			} else {
				cli_errorf("ingest: unknown option '%s'",
					   argv[i]);
				return M365F_EXIT_USAGE;
			}
			continue;
		}
		if (!casepath)
			casepath = argv[i];
		else if (npaths < sizeof(paths) / sizeof(paths[0]))
			paths[npaths++] = argv[i];
		else {
			cli_errorf("ingest: too many paths (give a folder)");
			return M365F_EXIT_USAGE;
		}
	}
	if (!casepath || !npaths) {
		help(stderr);
		return M365F_EXIT_USAGE;
	}
	x.tty = isatty(STDERR_FILENO);
	c = cli_open_case(casepath, M365F_OPEN_CREATE);
	if (!c)
		return M365F_EXIT_ERROR;
	for (k = 0; k < ndomains; k++) {
		rc = m365f_case_add_internal_domain(c, domains[k], &err);
		if (rc) {
			cli_error(&err, rc);
			m365f_case_free(c);
			return M365F_EXIT_USAGE;
		}
	}
	opts.source_cb = on_source;
	opts.progress_cb = on_progress;
	opts.diag_cb = on_diag;
	opts.payload = &x;
	if (x.json)
		fputs("{\"sources\":[", stdout);
	for (k = 0; k < npaths && !rc; k++) {
		rc = m365f_ingest_path(c, paths[k], &opts, &err);
		if (rc)
			cli_error(&err, rc);
	}
	if (x.json)
		printf("],\"totals\":{\"records\":%" PRIu64
		       ",\"stored\":%" PRIu64 ",\"duplicates\":%" PRIu64
		       ",\"rejected\":%" PRIu64 "}}\n",
		       x.records, x.stored, x.duplicates, x.rejected);
	else if (!x.quiet)
		printf("total: %" PRIu64 " records: %" PRIu64 " stored, %" PRIu64
		       " duplicates, %" PRIu64 " rejected\n",
		       x.records, x.stored, x.duplicates, x.rejected);
	m365f_case_free(c);
	if (rc)
		return M365F_EXIT_ERROR;
	if (x.failed || x.skipped)
		return M365F_EXIT_PARTIAL;
	return M365F_EXIT_OK;
}
