/* SPDX-License-Identifier: MIT */
/*
 * report.c - the incident report of a case, as one self-contained HTML
 * file (inline CSS and SVG, no script) or Markdown. Everything is read
 * from the case in a fixed order, so the same case gives the same bytes.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "m365f-private.h"

#define DEFAULT_MAX_EVIDENCE 50
#define DEFAULT_MAX_TIMELINE 500
#define CHART_MAX_BINS 60
#define CHART_SERIES 7         /* named series; the rest is "other" */

typedef struct {
	m365f__buf b;
	bool html;
	int rc;
} doc;

/* Severity rank for ORDER BY: most severe first. */
#define SEV_RANK \
	"CASE lower(severity) WHEN 'critical' THEN 4 WHEN 'high' THEN 3" \
	" WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END"

/* Severity text -> M365F_SEVERITY_*; text the detectors never write
 * counts as info. */
static int sev_index(const char *name)
{
	int s = m365f_severity_from_name(name);

	return s < 0 ? M365F_SEVERITY_INFO : s;
}

/* ---------------------------------------------------------------- output */

static void raw(doc *d, const char *s)
{
	if (!d->rc && m365f__buf_append(&d->b, s, strlen(s)))
		d->rc = M365F_ENOMEM;
}

static void rawf(doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void rawf(doc *d, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	raw(d, tmp);
}

/* Attacker-controlled text in the current format's sink. */
static void esc(doc *d, const char *s)
{
	int r;

	if (!s || d->rc)
		return;
	r = d->html ? m365f__html_escape(&d->b, s, strlen(s))
		    : m365f__md_cell(&d->b, s, strlen(s));
	if (r)
		d->rc = M365F_ENOMEM;
}

static void heading(doc *d, int level, const char *id, const char *text)
{
	if (d->html) {
		rawf(d, "<h%d id=\"%s\">", level, id);
		esc(d, text);
		rawf(d, "</h%d>\n", level);
	} else {
		rawf(d, "\n%.*s ", level, "######");
		esc(d, text);
		raw(d, "\n\n");
	}
}

static void para(doc *d, const char *text)
{
	raw(d, d->html ? "<p>" : "");
	esc(d, text);
	raw(d, d->html ? "</p>\n" : "\n\n");
}

/* The cells of a table line: <th>/<td> elements (tag) in HTML, else
 * Markdown " text |" after a leading "|". */
static void cells(doc *d, size_t n, const char *const *v, const char *tag)
{
	size_t i;

	if (!d->html)
		raw(d, "|");
	for (i = 0; i < n; i++) {
		if (d->html)
			rawf(d, "<%s>", tag);
		else
			raw(d, " ");
		esc(d, v[i]);
		if (d->html)
			rawf(d, "</%s>", tag);
		else
			raw(d, " |");
	}
}

static void table(doc *d, size_t n, const char *const *head)
{
	size_t i;

	if (d->html) {
		raw(d, "<table>\n<thead><tr>");
		cells(d, n, head, "th");
		raw(d, "</tr></thead>\n<tbody>\n");
		return;
	}
	cells(d, n, head, "th");
	raw(d, "\n|");
	for (i = 0; i < n; i++)
		raw(d, "---|");
	raw(d, "\n");
}

/* One row; cls is a CSS class for the row (HTML only), may be NULL. */
static void row(doc *d, size_t n, const char *const *v, const char *cls)
{
	if (d->html) {
		if (cls)
			rawf(d, "<tr class=\"%s\">", cls);
		else
			raw(d, "<tr>");
	}
	cells(d, n, v, "td");
	raw(d, d->html ? "</tr>\n" : "\n");
}

static void table_end(doc *d)
{
	raw(d, d->html ? "</tbody>\n</table>\n" : "\n");
}

static void list_begin(doc *d, bool checklist)
{
	if (d->html)
		raw(d, checklist ? "<ul class=\"check\">\n" : "<ul>\n");
}

static void list_end(doc *d)
{
	raw(d, d->html ? "</ul>\n" : "\n");
}

/* A list item: text, then an optional command shown as code. */
static void item(doc *d, bool checklist, const char *text, const char *cmd)
{
	if (d->html) {
		raw(d, checklist ? "<li><input type=\"checkbox\"> " : "<li>");
		esc(d, text);
		if (cmd) {
			raw(d, "<br><code>");
			esc(d, cmd);
			raw(d, "</code>");
		}
		raw(d, "</li>\n");
		return;
	}
	raw(d, checklist ? "- [ ] " : "- ");
	esc(d, text);
	if (cmd) {
		raw(d, "\n  command: ");
		esc(d, cmd);
	}
	raw(d, "\n");
}

/* ------------------------------------------------------------ case reads */

static const char *col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

static sqlite3_stmt *prep(doc *d, m365f_case *c, const char *sql,
			  m365f_error *err)
{
	sqlite3_stmt *st = NULL;

	if (d->rc)
		return NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		d->rc = m365f__error_db(err, c->db, "report");
		return NULL;
	}
	return st;
}

static void done(doc *d, m365f_case *c, sqlite3_stmt *st, int sr,
		 m365f_error *err)
{
	if (!d->rc && sr != SQLITE_DONE)
		d->rc = m365f__error_db(err, c->db, "report");
	sqlite3_finalize(st);
}

static int64_t scalar(doc *d, m365f_case *c, const char *sql,
		      m365f_error *err)
{
	sqlite3_stmt *st = prep(d, c, sql, err);
	int64_t v = 0;

	if (!st)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void fmt_time(int64_t ms, char out[32])
{
	if (ms)
		m365f__time_format(ms, out);
	else
		snprintf(out, 32, "-");
}

/* --------------------------------------------------------------- summary */

static const char *base_name(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;

	return s ? s + 1 : p ? p : "";
}

static void sec_summary(doc *d, m365f_case *c, const char *title,
			bool stamp, m365f_error *err)
{
	static const char *const head[] = { "", "" };
	char v[9][160], t1[32], t2[32];
	const char *cells[2];
	static const char *const keys[] = {
		"Case", "Library", "Evidence files", "Events stored",
		"Records rejected", "Time span (UTC)", "Findings",
		"Affected accounts", "Report made"
	};
	sqlite3_stmt *st;
	size_t i, nrows = stamp ? 9 : 8;
	int64_t counts[M365F_TRIAGE_NSEV] = { 0 };

	if (d->html) {
		raw(d, "<h1>");
		esc(d, title);
		raw(d, "</h1>\n");
	} else {
		raw(d, "# ");
		esc(d, title);
		raw(d, "\n");
	}
	heading(d, 2, "summary", "Case summary");
	snprintf(v[0], sizeof(v[0]), "%s", base_name(c->path));
	snprintf(v[1], sizeof(v[1]), "libm365forensics %s, case schema %d",
		 M365F_VERSION, M365F_SCHEMA_VERSION);
	snprintf(v[2], sizeof(v[2]), "%" PRId64,
		 scalar(d, c, "SELECT count(*) FROM sources", err));
	snprintf(v[3], sizeof(v[3]), "%" PRId64,
		 scalar(d, c, "SELECT count(*) FROM events", err));
	snprintf(v[4], sizeof(v[4]), "%" PRId64,
		 scalar(d, c, "SELECT count(*) FROM rejects", err));
	fmt_time(scalar(d, c, "SELECT min(time) FROM events", err), t1);
	fmt_time(scalar(d, c, "SELECT max(time) FROM events", err), t2);
	snprintf(v[5], sizeof(v[5]), "%s to %s", t1, t2);
	st = prep(d, c, "SELECT lower(severity), count(*) FROM findings"
			" GROUP BY 1", err);
	if (st) {
		int sr;

		while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
			counts[sev_index(col(st, 0))] +=
				sqlite3_column_int64(st, 1);
		}
		done(d, c, st, sr, err);
	}
	snprintf(v[6], sizeof(v[6]),
		 "%" PRId64 " critical, %" PRId64 " high, %" PRId64
		 " medium, %" PRId64 " low, %" PRId64 " info",
		 counts[4], counts[3], counts[2], counts[1], counts[0]);
	snprintf(v[7], sizeof(v[7]), "%" PRId64,
		 scalar(d, c, "SELECT count(DISTINCT user) FROM findings"
			      " WHERE user IS NOT NULL AND user <> ''", err));
	if (stamp) {
		char now[32];

		m365f__time_format((int64_t)time(NULL) * 1000, now);
		snprintf(v[8], sizeof(v[8]), "%s", now);
	}
	table(d, 2, head);
	for (i = 0; i < nrows; i++) {
		cells[0] = keys[i];
		cells[1] = v[i];
		row(d, 2, cells, NULL);
	}
	table_end(d);
}

/* ------------------------------------------------------------- inventory */

static void sec_inventory(doc *d, m365f_case *c, m365f_error *err)
{
	static const char *const head[] = {
		"#", "source", "format", "product", "bytes", "SHA-256",
		"records", "stored", "duplicates", "rejected", "first (UTC)",
		"last (UTC)"
	};
	sqlite3_stmt *st;
	int sr;

	heading(d, 2, "evidence", "Evidence inventory");
	para(d, "Every file read into the case, hashed as stored. Archive "
		"members are named archive!/member and carry their own "
		"hash; the archive itself is listed with format zip or tar.");
	st = prep(d, c,
		  "SELECT id, path, CASE WHEN status = 'ingested' THEN format"
		  " ELSE status || ': ' || coalesce(message, '') END,"
		  " product, size, sha256, records,"
		  " stored, duplicates, rejected,"
		  " coalesce(iso_time(first_time), '-'),"
		  " coalesce(iso_time(last_time), '-')"
		  " FROM sources ORDER BY id", err);
	if (!st)
		return;
	table(d, 12, head);
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cells[12];
		int i;

		for (i = 0; i < 12; i++)
			cells[i] = col(st, i);
		row(d, 12, cells, "mono");
	}
	done(d, c, st, sr, err);
	table_end(d);
}

/* ------------------------------------------------------------------ gaps */

static void sec_gaps(doc *d, m365f_case *c, m365f_error *err)
{
	static const struct {
		const char *product, *what;
	} products[] = {
		{ "ual", "no unified audit log: mailbox, SharePoint and "
			 "admin activity cannot be reviewed" },
		{ "signin", "no Entra ID sign-in logs: sign-in locations, "
			    "MFA and token use cannot be reviewed" },
		{ "entra-audit", "no Entra ID audit log: directory changes "
				 "(consents, credentials, roles) rely on "
				 "the unified audit log alone" },
		{ "rules", "no mailbox rule dump: rules that exist now "
			   "cannot be compared with their history" },
	};
	sqlite3_stmt *st;
	size_t i;
	int sr, n = 0;
	m365f__buf t;

	heading(d, 2, "gaps", "Coverage gaps");
	m365f__buf_init(&t, 0);
	list_begin(d, false);
	for (i = 0; i < M365F__ARRAY_LEN(products); i++) {
		st = prep(d, c, "SELECT count(*) FROM events WHERE product = ?1",
			  err);
		if (!st)
			break;
		sqlite3_bind_text(st, 1, products[i].product, -1,
				  SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_int64(st, 0) == 0) {
			item(d, false, products[i].what, NULL);
			n++;
		}
		sqlite3_finalize(st);
	}
	/* export caps: files that stop at a round number of rows */
	st = prep(d, c,
		  "SELECT path, records FROM sources WHERE records IN"
		  " (1000, 5000, 10000, 50000, 100000, 250000) ORDER BY id",
		  err);
	if (st) {
		while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
			m365f__buf_reset(&t);
			m365f__buf_printf(&t, "%s holds exactly %s records: the "
					      "export may have hit a row cap",
					  col(st, 0), col(st, 1));
			item(d, false, t.data, NULL);
			n++;
		}
		done(d, c, st, sr, err);
	}
	/* quiet stretches of more than a day inside a product's span */
	st = prep(d, c,
		  "SELECT product, iso_time(prev), iso_time(time),"
		  " (time - prev) / 3600000 FROM"
		  " (SELECT product, time, lag(time) OVER"
		  "   (PARTITION BY product ORDER BY time) AS prev FROM events)"
		  " WHERE time - prev > 86400000 ORDER BY product, prev"
		  " LIMIT 50",
		  err);
	if (st) {
		while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
			m365f__buf_reset(&t);
			m365f__buf_printf(&t, "%s: no events from %s to %s "
					      "(%s hours)",
					  col(st, 0), col(st, 1), col(st, 2),
					  col(st, 3));
			item(d, false, t.data, NULL);
			n++;
		}
		done(d, c, st, sr, err);
	}
	if (scalar(d, c, "SELECT count(*) FROM events WHERE product = 'ual'",
		   err) &&
	    !scalar(d, c, "SELECT count(*) FROM events WHERE op_norm ="
			  " 'mailitemsaccessed'", err)) {
		item(d, false, "no MailItemsAccessed events: mail read by "
			       "an intruder cannot be shown (needs audit "
			       "premium or was not exported)", NULL);
		n++;
	}
	st = prep(d, c,
		  "SELECT s.path, count(*) FROM rejects r JOIN sources s"
		  " ON s.id = r.source_id GROUP BY r.source_id"
		  " ORDER BY r.source_id",
		  err);
	if (st) {
		while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
			m365f__buf_reset(&t);
			m365f__buf_printf(&t, "%s: %s records could not be "
					      "read (see rejects)",
					  col(st, 0), col(st, 1));
			item(d, false, t.data, NULL);
			n++;
		}
		done(d, c, st, sr, err);
	}
	if (!n)
		item(d, false, "none found: every source type is present, "
			       "no row caps, no silent day, no rejects",
		     NULL);
	list_end(d);
	m365f__buf_free(&t);
}

/* -------------------------------------------------------------- findings */

static const char *sev_class(const char *sev)
{
	static const char *const cls[M365F_TRIAGE_NSEV] = {
		"sev-info", "sev-low", "sev-medium", "sev-high",
		"sev-critical"
	};

	return cls[sev_index(sev)];
}

static void evidence_rows(doc *d, m365f_case *c, int64_t fid, size_t max,
			  m365f_error *err)
{
	static const char *const head[] = { "time (UTC)", "user",
					    "client IP", "operation",
					    "workload", "result", "object",
					    "source" };
	sqlite3_stmt *st;
	int sr;
	size_t n = 0;
	int64_t total;

	st = prep(d, c,
		  "SELECT iso_time(e.time), e.user, e.client_ip, e.operation,"
		  " e.workload, e.result, e.object,"
		  " s.path || ':' || e.line"
		  " FROM finding_events fe JOIN events e ON e.id = fe.event_id"
		  " JOIN sources s ON s.id = e.source_id"
		  " WHERE fe.finding_id = ?1"
		  " ORDER BY e.time, e.source_id, e.line LIMIT ?2",
		  err);
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, fid);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cells[8];
		int i;

		if (!n)
			table(d, 8, head);
		for (i = 0; i < 8; i++)
			cells[i] = col(st, i);
		row(d, 8, cells, NULL);
		n++;
	}
	done(d, c, st, sr, err);
	if (n)
		table_end(d);
	st = prep(d, c, "SELECT count(*) FROM finding_events"
			" WHERE finding_id = ?1", err);
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, fid);
	total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0)
					      : 0;
	sqlite3_finalize(st);
	if (!total)
		para(d, "No evidence rows are linked to this finding.");
	else if ((size_t)total > n) {
		char t[128];

		snprintf(t, sizeof(t), "%" PRId64 " more evidence rows are "
				       "not shown (table finding_events).",
			 total - (int64_t)n);
		para(d, t);
	}
}

static void sec_findings(doc *d, m365f_case *c, size_t max_ev,
			 m365f_error *err)
{
	static const char *const head[] = { "category", "critical", "high",
					    "medium", "low", "info" };
	static const char *const khead[] = { "", "" };
	sqlite3_stmt *st;
	int sr;
	int64_t n = 0;

	heading(d, 2, "findings", "Findings");
	st = prep(d, c,
		  "SELECT category,"
		  " sum(lower(severity) = 'critical'),"
		  " sum(lower(severity) = 'high'),"
		  " sum(lower(severity) = 'medium'),"
		  " sum(lower(severity) = 'low'),"
		  " sum(lower(severity) NOT IN"
		  "  ('critical', 'high', 'medium', 'low'))"
		  " FROM findings GROUP BY category ORDER BY category",
		  err);
	if (!st)
		return;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cells[6];
		int i;

		if (!n++)
			table(d, 6, head);
		for (i = 0; i < 6; i++)
			cells[i] = col(st, i);
		row(d, 6, cells, NULL);
	}
	done(d, c, st, sr, err);
	if (!n) {
		para(d, "The detectors found nothing in this case.");
		return;
	}
	table_end(d);
	st = prep(d, c,
		  "SELECT id, detector, title, category, lower(severity),"
		  " coalesce(attack, ''), coalesce(user, ''),"
		  " coalesce(iso_time(first_time), '-'),"
		  " coalesce(iso_time(last_time), '-'), summary"
		  " FROM findings ORDER BY " SEV_RANK " DESC, category,"
		  " first_time, id",
		  err);
	if (!st)
		return;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		static const char *const keys[] = {
			"detector", "category", "severity", "ATT&CK",
			"account", "first (UTC)", "last (UTC)", "summary"
		};
		const char *cells[2];
		char id[32], title[600];
		int i;

		snprintf(id, sizeof(id), "finding-%s", col(st, 0));
		snprintf(title, sizeof(title), "[%s] %s%s%s", col(st, 4),
			 col(st, 2), *col(st, 6) ? " - " : "", col(st, 6));
		heading(d, 3, id, title);
		if (d->html)
			rawf(d, "<div class=\"finding %s\">\n",
			     sev_class(col(st, 4)));
		table(d, 2, khead);
		for (i = 0; i < 8; i++) {
			int ci = i == 0 ? 1 : i + 2;

			cells[0] = keys[i];
			cells[1] = col(st, ci);
			row(d, 2, cells, NULL);
		}
		table_end(d);
		evidence_rows(d, c, sqlite3_column_int64(st, 0), max_ev, err);
		if (d->html)
			raw(d, "</div>\n");
	}
	done(d, c, st, sr, err);
}

/* ------------------------------------------------------------- accounts */

static void sec_accounts(doc *d, m365f_case *c, m365f_error *err)
{
	static const char *const head[] = {
		"account", "findings", "worst", "first finding (UTC)",
		"last finding (UTC)", "events", "client IPs", "workloads",
		"objects touched"
	};
	sqlite3_stmt *st;
	int sr, n = 0;

	heading(d, 2, "accounts", "Affected accounts and blast radius");
	para(d, "Accounts named by a finding, with everything the case "
		"holds for them: events, the addresses they came from, the "
		"services and the distinct objects they touched.");
	st = prep(d, c,
		  "SELECT f.user, count(*),"
		  " (SELECT lower(severity) FROM findings g"
		  "   WHERE g.user = f.user ORDER BY " SEV_RANK " DESC LIMIT 1),"
		  " iso_time(min(f.first_time)), iso_time(max(f.last_time)),"
		  " (SELECT count(*) FROM events e WHERE e.user = f.user),"
		  " (SELECT count(DISTINCT client_ip) FROM events e"
		  "   WHERE e.user = f.user),"
		  " (SELECT group_concat(w, ', ') FROM (SELECT DISTINCT"
		  "   coalesce(workload, product) AS w FROM events e"
		  "   WHERE e.user = f.user ORDER BY w)),"
		  " (SELECT count(DISTINCT object) FROM events e"
		  "   WHERE e.user = f.user)"
		  " FROM findings f WHERE f.user IS NOT NULL AND f.user <> ''"
		  " GROUP BY f.user ORDER BY f.user",
		  err);
	if (!st)
		return;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cells[9];
		int i;

		if (!n++)
			table(d, 9, head);
		for (i = 0; i < 9; i++)
			cells[i] = col(st, i);
		row(d, 9, cells, sev_class(col(st, 2)));
	}
	done(d, c, st, sr, err);
	if (n)
		table_end(d);
	else
		para(d, "No finding names an account.");
}

/* ----------------------------------------------------------------- chart */

typedef struct {
	int64_t start, step;
	size_t nbins;
	size_t nseries;
	char *names[CHART_SERIES + 1];
	int64_t *counts;        /* nbins * (nseries) */
	int64_t max;            /* tallest stacked bar */
	bool *marks;            /* bins holding key events */
} chart;

static void chart_free(chart *ch)
{
	size_t i;

	for (i = 0; i < ch->nseries; i++)
		free(ch->names[i]);
	free(ch->counts);
	free(ch->marks);
}

static const char *const palette[CHART_SERIES + 1] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
	"#17becf", "#7f7f7f"
};

/* Build the bins of one chart. key_sql is the SQL expression of the
 * series (over events e); where limits the events. */
static int chart_build(chart *ch, doc *d, m365f_case *c, const char *key_sql,
		       const char *where, m365f_error *err)
{
	static const int64_t steps[] = {
		60000, 300000, 900000, 3600000, 10800000, 21600000,
		43200000, 86400000, 604800000, 2592000000
	};
	m365f__buf q;
	sqlite3_stmt *st;
	int64_t lo, hi;
	size_t i, named = 0;
	int sr;

	memset(ch, 0, sizeof(*ch));
	m365f__buf_init(&q, 0);
	m365f__buf_printf(&q, "SELECT min(time), max(time), count(*)"
			      " FROM events e WHERE %s", where);
	st = prep(d, c, q.data, err);
	if (!st) {
		m365f__buf_free(&q);
		return d->rc;
	}
	if (sqlite3_step(st) != SQLITE_ROW || !sqlite3_column_int64(st, 2)) {
		sqlite3_finalize(st);
		m365f__buf_free(&q);
		return M365F_ENOTFOUND;
	}
	lo = sqlite3_column_int64(st, 0);
	hi = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	ch->step = steps[M365F__ARRAY_LEN(steps) - 1];
	for (i = 0; i < M365F__ARRAY_LEN(steps); i++)
		if ((hi / steps[i] - lo / steps[i]) + 1 <= CHART_MAX_BINS) {
			ch->step = steps[i];
			break;
		}
	ch->start = lo / ch->step * ch->step;
	ch->nbins = (size_t)(hi / ch->step - lo / ch->step) + 1;
	if (ch->nbins > CHART_MAX_BINS * 40)
		ch->nbins = CHART_MAX_BINS * 40;
	/* the series: the biggest keys, the rest folded into "other" */
	m365f__buf_reset(&q);
	m365f__buf_printf(&q, "SELECT %s AS k, count(*) AS n FROM events e"
			      " WHERE %s GROUP BY k ORDER BY n DESC, k",
			  key_sql, where);
	st = prep(d, c, q.data, err);
	if (!st) {
		m365f__buf_free(&q);
		return d->rc;
	}
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		if (named < CHART_SERIES) {
			ch->names[named] = m365f__strndup(col(st, 0),
							  strlen(col(st, 0)));
			named++;
		} else if (named == CHART_SERIES) {
			ch->names[named] = m365f__strndup("other", 5);
			named++;
		}
	}
	done(d, c, st, sr, err);
	ch->nseries = named;
	for (i = 0; i < named; i++)
		if (!ch->names[i])
			d->rc = M365F_ENOMEM;
	ch->counts = calloc(ch->nbins * (named ? named : 1), sizeof(int64_t));
	ch->marks = calloc(ch->nbins, sizeof(bool));
	if (!ch->counts || !ch->marks)
		d->rc = M365F_ENOMEM;
	if (d->rc) {
		m365f__buf_free(&q);
		return d->rc;
	}
	m365f__buf_reset(&q);
	m365f__buf_printf(&q, "SELECT (time - ?1) / ?2 AS bin, %s AS k,"
			      " count(*) FROM events e WHERE %s"
			      " GROUP BY bin, k",
			  key_sql, where);
	st = prep(d, c, q.data, err);
	m365f__buf_free(&q);
	if (!st)
		return d->rc;
	sqlite3_bind_int64(st, 1, ch->start);
	sqlite3_bind_int64(st, 2, ch->step);
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t bin = sqlite3_column_int64(st, 0);
		const char *k = col(st, 1);
		size_t s = named ? named - 1 : 0;

		if (bin < 0 || (uint64_t)bin >= ch->nbins)
			continue;
		for (i = 0; i < named && i < CHART_SERIES; i++)
			if (!strcmp(ch->names[i], k)) {
				s = i;
				break;
			}
		ch->counts[(size_t)bin * named + s] +=
			sqlite3_column_int64(st, 2);
	}
	done(d, c, st, sr, err);
	st = prep(d, c, "SELECT DISTINCT (e.time - ?1) / ?2 FROM events e"
			" JOIN finding_events fe ON fe.event_id = e.id", err);
	if (!st)
		return d->rc;
	sqlite3_bind_int64(st, 1, ch->start);
	sqlite3_bind_int64(st, 2, ch->step);
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t bin = sqlite3_column_int64(st, 0);

		if (bin >= 0 && (uint64_t)bin < ch->nbins)
			ch->marks[bin] = true;
	}
	done(d, c, st, sr, err);
	for (i = 0; i < ch->nbins; i++) {
		int64_t sum = 0;
		size_t s;

		for (s = 0; s < named; s++)
			sum += ch->counts[i * named + s];
		if (sum > ch->max)
			ch->max = sum;
	}
	return d->rc;
}

static const char *step_name(int64_t step)
{
	switch (step) {
	case 60000: return "minute";
	case 300000: return "5 minutes";
	case 900000: return "15 minutes";
	case 3600000: return "hour";
	case 10800000: return "3 hours";
	case 21600000: return "6 hours";
	case 43200000: return "12 hours";
	case 86400000: return "day";
	case 604800000: return "week";
	default: return "30 days";
	}
}

/* An SVG stacked bar chart drawn here: one bar per time bin, one colour
 * per series, red marks under bins that hold evidence of findings. */
static void chart_svg(doc *d, const chart *ch, const char *label)
{
	const int W = 900, H = 300, L = 60, R = 10, T = 20, PB = 220;
	double bw = (double)(W - L - R) / (double)ch->nbins;
	char t1[32], t2[32];
	size_t b, s;

	rawf(d, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\""
		" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
		" role=\"img\" aria-label=\"",
	     W, H + 20 * (int)((ch->nseries + 3) / 4), W,
	     H + 20 * (int)((ch->nseries + 3) / 4));
	esc(d, label);
	raw(d, "\">\n");
	rawf(d, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
		" stroke=\"#333\"/>\n",
	     L, PB, W - R, PB);
	rawf(d, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
		" stroke=\"#333\"/>\n",
	     L, T, L, PB);
	rawf(d, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\""
		" class=\"ax\">%" PRId64 "</text>\n",
	     L - 4, T + 10, ch->max);
	rawf(d, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\""
		" class=\"ax\">0</text>\n",
	     L - 4, PB);
	for (b = 0; b < ch->nbins; b++) {
		double y = PB;
		double x = L + bw * (double)b;
		char when[32];

		m365f__time_format(ch->start + (int64_t)b * ch->step, when);
		for (s = 0; s < ch->nseries; s++) {
			int64_t v = ch->counts[b * ch->nseries + s];
			double h;

			if (!v)
				continue;
			h = (double)(PB - T) * (double)v / (double)ch->max;
			y -= h;
			rawf(d, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
				" height=\"%.1f\" fill=\"%s\"><title>",
			     x + 0.5, y, bw > 2 ? bw - 1 : bw, h,
			     palette[s]);
			esc(d, ch->names[s]);
			rawf(d, ": %" PRId64 " events from %s</title>"
				"</rect>\n", v, when);
		}
		if (ch->marks[b])
			rawf(d, "<polygon class=\"mark\" points=\"%.1f,%d"
				" %.1f,%d %.1f,%d\"><title>evidence of a "
				"finding in the %s from %s</title></polygon>\n",
			     x + bw / 2, PB + 2, x + bw / 2 - 5, PB + 12,
			     x + bw / 2 + 5, PB + 12, step_name(ch->step),
			     when);
	}
	m365f__time_format(ch->start, t1);
	m365f__time_format(ch->start + (int64_t)ch->nbins * ch->step, t2);
	rawf(d, "<text x=\"%d\" y=\"%d\" class=\"ax\">%s</text>\n", L,
	     PB + 30, t1);
	rawf(d, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"ax\">"
		"%s</text>\n",
	     W - R, PB + 30, t2);
	rawf(d, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\""
		" class=\"ax\">events per %s (UTC)</text>\n",
	     (L + W - R) / 2, PB + 30, step_name(ch->step));
	for (s = 0; s < ch->nseries; s++) {
		int x = L + (int)(s % 4) * 210, y = PB + 55 + (int)(s / 4) * 20;

		rawf(d, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\""
			" fill=\"%s\"/><text x=\"%d\" y=\"%d\""
			" class=\"lg\">",
		     x, y - 10, palette[s], x + 16, y);
		esc(d, ch->names[s]);
		raw(d, "</text>\n");
	}
	raw(d, "</svg><figcaption>");
	esc(d, label);
	raw(d, "</figcaption></figure>\n");
}

/* Markdown has no drawing: the bins as a table. */
static void chart_table(doc *d, const chart *ch, const char *label)
{
	const char *head[CHART_SERIES + 3];
	char cellv[CHART_SERIES + 2][32];
	const char *cells[CHART_SERIES + 3];
	size_t b, s;

	para(d, label);
	head[0] = "from (UTC)";
	for (s = 0; s < ch->nseries; s++)
		head[s + 1] = ch->names[s];
	head[ch->nseries + 1] = "key events";
	table(d, ch->nseries + 2, head);
	for (b = 0; b < ch->nbins; b++) {
		int64_t sum = 0;

		for (s = 0; s < ch->nseries; s++)
			sum += ch->counts[b * ch->nseries + s];
		if (!sum)
			continue;
		m365f__time_format(ch->start + (int64_t)b * ch->step,
				   cellv[0]);
		cells[0] = cellv[0];
		for (s = 0; s < ch->nseries; s++) {
			snprintf(cellv[s + 1], sizeof(cellv[0]), "%" PRId64,
				 ch->counts[b * ch->nseries + s]);
			cells[s + 1] = cellv[s + 1];
		}
		cells[ch->nseries + 1] = ch->marks[b] ? "yes" : "";
		row(d, ch->nseries + 2, cells, NULL);
	}
	table_end(d);
}

static void one_chart(doc *d, m365f_case *c, const char *key,
		      const char *where, const char *label, m365f_error *err)
{
	chart ch;
	int rc = chart_build(&ch, d, c, key, where, err);

	if (!rc) {
		if (d->html)
			chart_svg(d, &ch, label);
		else
			chart_table(d, &ch, label);
	}
	chart_free(&ch);
}

static void sec_timeline(doc *d, m365f_case *c, size_t max,
			 m365f_error *err)
{
	static const char *const head[] = { "time (UTC)", "account",
					    "client IP", "operation",
					    "object", "findings", "source" };
	sqlite3_stmt *st;
	int sr;
	size_t n = 0;
	int64_t total;

	heading(d, 2, "timeline", "Timeline of key events");
	one_chart(d, c, "coalesce(e.workload, e.product)", "1",
		  "Activity over time by workload (all events)", err);
	if (scalar(d, c, "SELECT count(*) FROM findings WHERE user <> ''",
		   err))
		one_chart(d, c, "coalesce(e.user, '(none)')",
			  "e.user IN (SELECT user FROM findings)",
			  "Activity over time of the affected accounts",
			  err);
	else
		one_chart(d, c, "coalesce(e.user, '(none)')", "1",
			  "Activity over time by account", err);
	st = prep(d, c,
		  "SELECT iso_time(e.time), e.user, e.client_ip, e.operation,"
		  " e.object,"
		  " (SELECT group_concat(x, ', ') FROM (SELECT DISTINCT"
		  "   f.detector AS x FROM finding_events g JOIN findings f"
		  "   ON f.id = g.finding_id WHERE g.event_id = e.id"
		  "   ORDER BY x)),"
		  " s.path || ':' || e.line"
		  " FROM events e JOIN sources s ON s.id = e.source_id"
		  " WHERE e.id IN (SELECT event_id FROM finding_events)"
		  " ORDER BY e.time, e.source_id, e.line LIMIT ?1",
		  err);
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cells[7];
		int i;

		if (!n++)
			table(d, 7, head);
		for (i = 0; i < 7; i++)
			cells[i] = col(st, i);
		row(d, 7, cells, NULL);
	}
	done(d, c, st, sr, err);
	if (n)
		table_end(d);
	total = scalar(d, c, "SELECT count(DISTINCT event_id) FROM"
			     " finding_events", err);
	if (!total)
		para(d, "No event is evidence of a finding.");
	else if ((size_t)total > n) {
		char t[96];

		snprintf(t, sizeof(t), "%" PRId64 " more key events are not "
				       "listed.", total - (int64_t)n);
		para(d, t);
	}
}

/* ------------------------------------------------------------------ IOCs */

static void sec_iocs(doc *d, m365f_case *c, m365f__ioc *v, size_t n)
{
	static const char *const head[] = { "type", "value", "events",
					    "first (UTC)", "last (UTC)",
					    "accounts" };
	m365f__buf u;
	size_t i, j;

	M365F__UNUSED(c);
	heading(d, 2, "iocs", "Indicators of compromise");
	if (!n) {
		para(d, "No indicator: no finding has evidence rows.");
		return;
	}
	para(d, "Taken from the evidence rows of the findings. Export them "
		"with: m365f export CASE --format iocs");
	m365f__buf_init(&u, 0);
	table(d, 6, head);
	for (i = 0; i < n; i++) {
		const char *cells[6];
		char cnt[24], t1[32], t2[32];

		m365f__buf_reset(&u);
		for (j = 0; j < v[i].nusers; j++)
			m365f__buf_printf(&u, "%s%s", j ? ", " : "",
					  v[i].users[j]);
		snprintf(cnt, sizeof(cnt), "%" PRIu64, v[i].count);
		m365f__time_format(v[i].first, t1);
		m365f__time_format(v[i].last, t2);
		cells[0] = v[i].type;
		cells[1] = v[i].value;
		cells[2] = cnt;
		cells[3] = t1;
		cells[4] = t2;
		cells[5] = u.data ? u.data : "";
		row(d, 6, cells, "mono");
	}
	table_end(d);
	m365f__buf_free(&u);
}

/* ----------------------------------------------------------- containment */

/* A sorted set of unique checklist lines (text + command). */
typedef struct {
	char **text, **cmd, **key;
	size_t n, cap;
	bool oom;
} lines;

/* Add a line unless one with the same key (the text when key is NULL)
 * is there: one object seen in a dump and in the audit log is one. */
static void lines_add_key(lines *l, const char *key, const char *text,
			  const char *cmd)
{
	size_t i;

	if (!key)
		key = text;
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->key[i], key))
			return;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		char **a = realloc(l->text, nc * sizeof(char *));

		if (a)
			l->text = a;
		a = a ? realloc(l->cmd, nc * sizeof(char *)) : NULL;
		if (a)
			l->cmd = a;
		a = a ? realloc(l->key, nc * sizeof(char *)) : NULL;
		if (!a) {
			l->oom = true;
			return;
		}
		l->key = a;
		l->cap = nc;
	}
	l->text[l->n] = m365f__strndup(text, strlen(text));
	l->cmd[l->n] = cmd ? m365f__strndup(cmd, strlen(cmd)) : NULL;
	l->key[l->n] = m365f__strndup(key, strlen(key));
	if (!l->text[l->n] || !l->key[l->n] || (cmd && !l->cmd[l->n])) {
		free(l->text[l->n]);
		free(l->cmd[l->n]);
		free(l->key[l->n]);
		l->oom = true;
		return;
	}
	l->n++;
}

static void lines_add(lines *l, const char *text, const char *cmd)
{
	lines_add_key(l, NULL, text, cmd);
}

static void lines_free(lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->text[i]);
		free(l->cmd[i]);
		free(l->key[i]);
	}
	free(l->text);
	free(l->cmd);
	free(l->key);
}

/* PowerShell single-quoted string: quotes doubled. PowerShell also ends
 * such a string at the typographic single quotes U+2018..U+201B, so
 * those are doubled too; the value comes from the evidence and the
 * command is meant to be pasted into a shell. */
static void ps_quote_n(m365f__buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	m365f__buf_putc(b, '\'');
	for (i = 0; p && i < n; i++) {
		if (p[i] == '\'') {
			m365f__buf_putc(b, '\'');
		} else if (i + 2 < n && p[i] == 0xE2 && p[i + 1] == 0x80 &&
			   p[i + 2] >= 0x98 && p[i + 2] <= 0x9B) {
			m365f__buf_append(b, p + i, 3);
			m365f__buf_append(b, p + i, 2);
			i += 2;
		}
		m365f__buf_putc(b, (char)p[i]);
	}
	m365f__buf_putc(b, '\'');
}

static void ps_quote(m365f__buf *b, const char *s)
{
	ps_quote_n(b, s, s ? strlen(s) : 0);
}

/* Persistence objects in the evidence of findings. Each row: kind,
 * mailbox/account, identity, extra (user, rights, key id), app/object.
 * Parameter names are those of the Exchange cmdlets. */
static const char *sql_persist =
	"WITH ev AS (SELECT DISTINCT e.* FROM events e"
	"  JOIN finding_events fe ON fe.event_id = e.id),"
	" p AS (SELECT ev.id, ev.op_norm, ev.user, ev.object, ev.app_id,"
	"  (SELECT value FROM event_params q WHERE q.event_id = ev.id"
	"    AND q.name = 'Identity' LIMIT 1) AS identity,"
	"  (SELECT value FROM event_params q WHERE q.event_id = ev.id"
	"    AND q.name = 'Mailbox' LIMIT 1) AS mailbox,"
	"  (SELECT value FROM event_params q WHERE q.event_id = ev.id"
	"    AND q.name = 'Name' LIMIT 1) AS name,"
	"  (SELECT value FROM event_params q WHERE q.event_id = ev.id"
	"    AND q.name IN ('User', 'Trustee') LIMIT 1) AS grantee,"
	"  (SELECT value FROM event_params q WHERE q.event_id = ev.id"
	"    AND q.name = 'AccessRights' LIMIT 1) AS rights,"
	"  (SELECT group_concat(value, '; ') FROM event_params q"
	"    WHERE q.event_id = ev.id AND q.name IN ('ForwardingSmtpAddress',"
	"    'ForwardingAddress', 'GrantSendOnBehalfTo')"
	"    AND value <> '') AS fwd,"
	"  (SELECT group_concat(new_value, ' ') FROM event_props r"
	"    WHERE r.event_id = ev.id AND new_value LIKE '%KeyIdentifier=%')"
	"    AS keys,"
	"  (SELECT group_concat(old_value, ' ') FROM event_props r"
	"    WHERE r.event_id = ev.id AND old_value LIKE '%KeyIdentifier=%')"
	"    AS keys_old,"
	"  (SELECT CASE WHEN r.new_value = '2' THEN r.name ELSE r.old_value"
	"    END FROM event_props r WHERE r.event_id = ev.id"
	"    AND r.kind = 'target' AND ((r.new_value = '2' AND r.name GLOB"
	"    '[0-9a-f]*-*-*-*-*') OR (r.name IN ('Application',"
	"    'ServicePrincipal') AND r.old_value GLOB '[0-9a-f]*-*-*-*-*'))"
	"    LIMIT 1) AS target_id,"
	"  (SELECT new_value FROM event_props r WHERE r.event_id = ev.id"
	"    AND r.name IN ('AppId', 'TargetId.ServicePrincipalNames')"
	"    ORDER BY r.name LIMIT 1) AS target_app,"
	/* the target's display name: Entra names it by its type, the
	 * UAL lists (ID, Type) pairs where Type 1 is the name */
	"  (SELECT CASE WHEN r.new_value = '1' THEN r.name"
	"    ELSE r.new_value END FROM event_props r"
	"    WHERE r.event_id = ev.id AND r.kind = 'target'"
	"    AND (r.new_value = '1' OR (r.name IN ('ServicePrincipal',"
	"    'Application') AND r.new_value GLOB '*[^0-9]*'))"
	"    LIMIT 1) AS target"
	"  FROM ev)"
	" SELECT 'rule', coalesce(r.mailbox, p.mailbox, p.user),"
	"  coalesce(r.identity, r.rule_id, p.identity, p.object, p.name),"
	"  coalesce(r.name, p.name), NULL FROM p"
	"  LEFT JOIN inbox_rules r ON r.event_id = p.id AND r.kind = 'inbox'"
	"  WHERE p.op_norm IN ('new-inboxrule', 'set-inboxrule',"
	"   'enable-inboxrule', 'updateinboxrules') OR r.id IS NOT NULL"
	" UNION ALL SELECT 'forward', coalesce(p.identity, p.object, p.user),"
	"  p.fwd, NULL, NULL FROM p WHERE p.op_norm = 'set-mailbox'"
	"  AND p.fwd IS NOT NULL"
	" UNION ALL SELECT 'delegate', coalesce(p.identity, p.object),"
	"  p.grantee, p.rights, p.op_norm FROM p WHERE p.op_norm IN"
	"  ('add-mailboxpermission', 'add-recipientpermission',"
	"   'add-mailboxfolderpermission', 'set-mailboxfolderpermission')"
	" UNION ALL SELECT 'consent', p.user,"
	"  coalesce(p.target_app, p.app_id, p.object),"
	"  coalesce(p.target, p.object), NULL FROM p WHERE p.op_norm IN"
	"  ('consent to application',"
	"   'add app role assignment to service principal',"
	"   'add app role assignment grant to user')"
	" UNION ALL SELECT 'grant', p.user, p.object, p.target, NULL"
	"  FROM p WHERE p.op_norm IN ('add delegated permission grant',"
	"   'add oauth2permissiongrant')"
	" UNION ALL SELECT 'credential', coalesce(p.target, p.object),"
	"  p.keys, p.target_id, p.keys_old"
	"  FROM p WHERE p.op_norm IN"
	"  ('update application - certificates and secrets management',"
	"   'add service principal credentials',"
	"   'update service principal - certificates and secrets"
	" management')"
	" ORDER BY 1, 2, 3";

/* The first GUID (8-4-4-4-12 hex digits) in s into out; false if none. */
static bool find_guid(const char *s, char out[37])
{
	size_t n = strlen(s), i, k;

	for (i = 0; i + 36 <= n; i++) {
		for (k = 0; k < 36; k++) {
			char ch = s[i + k];
			bool dash = k == 8 || k == 13 || k == 18 || k == 23;

			if (dash ? ch != '-'
				 : !((ch >= '0' && ch <= '9') ||
				     ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')))
				break;
		}
		if (k == 36) {
			memcpy(out, s + i, 36);
			out[36] = '\0';
			return true;
		}
	}
	return false;
}

/* Key ids out of "[KeyIdentifier=<guid>,KeyType=...]" texts: those in
 * the new value and not in the old one were added by the event. */
static void key_ids(lines *l, const char *app, const char *app_id,
		    const char *s, const char *old)
{
	const char *p = s;

	while (p && (p = strstr(p, "KeyIdentifier=")) != NULL) {
		m365f__buf t, cmd, key;
		size_t n;

		p += 14;
		n = strcspn(p, ",]\" ");
		if (!n || n > 64)
			continue;
		m365f__buf_init(&key, 0);
		m365f__buf_printf(&key, "KeyIdentifier=%.*s", (int)n, p);
		if (!key.data || strstr(old, key.data)) {
			m365f__buf_free(&key);
			continue;
		}
		m365f__buf_init(&t, 0);
		m365f__buf_init(&cmd, 0);
		m365f__buf_printf(&t, "Remove the credential with key id "
				      "%.*s added to application %s%s%s%s",
				  (int)n, p, app, *app_id ? " (object id " : "",
				  app_id, *app_id ? ")" : "");
		if (*app_id) {
			m365f__buf_printf(&cmd, "Remove-MgApplicationPassword "
						"-ApplicationId ");
			ps_quote(&cmd, app_id);
			m365f__buf_printf(&cmd, " -KeyId ");
			ps_quote_n(&cmd, p, n);
		}
		if (t.data)
			lines_add_key(l, key.data, t.data,
				      cmd.len ? cmd.data : NULL);
		else
			l->oom = true;
		m365f__buf_free(&t);
		m365f__buf_free(&cmd);
		m365f__buf_free(&key);
	}
}

static void persistence(lines *l, sqlite3_stmt *st)
{
	const char *kind = col(st, 0), *a = col(st, 1), *b = col(st, 2);
	const char *x = col(st, 3), *y = col(st, 4);
	m365f__buf t, cmd;

	m365f__buf_init(&t, 0);
	m365f__buf_init(&cmd, 0);
	if (!strcmp(kind, "rule") && *b) {
		m365f__buf_printf(&t, "Remove inbox rule %s%s%s (identity "
				      "%s) from mailbox %s",
				  *x ? "'" : "", x, *x ? "'" : "", b, a);
		m365f__buf_printf(&cmd, "Remove-InboxRule -Mailbox ");
		ps_quote(&cmd, a);
		m365f__buf_printf(&cmd, " -Identity ");
		ps_quote(&cmd, b);
	} else if (!strcmp(kind, "forward") && *a) {
		m365f__buf_printf(&t, "Clear mailbox forwarding of %s "
				      "(was set to %s)", a, b);
		m365f__buf_printf(&cmd, "Set-Mailbox -Identity ");
		ps_quote(&cmd, a);
		m365f__buf_printf(&cmd, " -ForwardingSmtpAddress $null "
					"-ForwardingAddress $null "
					"-DeliverToMailboxAndForward $false");
	} else if (!strcmp(kind, "delegate") && *a && *b) {
		bool recip = !strcmp(y, "add-recipientpermission");
		bool folder = strstr(y, "folder") != NULL;

		m365f__buf_printf(&t, "Remove %s of %s on %s", *x ? x
								 : "access",
				  b, a);
		m365f__buf_printf(&cmd, "%s -Identity ",
				  recip    ? "Remove-RecipientPermission"
				  : folder ? "Remove-MailboxFolderPermission"
					   : "Remove-MailboxPermission");
		ps_quote(&cmd, a);
		m365f__buf_printf(&cmd, recip ? " -Trustee " : " -User ");
		ps_quote(&cmd, b);
		if (!folder && *x) {
			m365f__buf_printf(&cmd, " -AccessRights ");
			ps_quote(&cmd, x);
		}
	} else if (!strcmp(kind, "consent") && (*b || *x)) {
		char id[37];

		if (find_guid(b, id)) {
			bool named = *x && strcmp(x, id) != 0;

			m365f__buf_printf(&t, "Revoke the consent to application "
					      "%s%s%s%s granted by %s, then "
					      "review its service principal",
					  named ? x : id, named ? " (app id " : "",
					  named ? id : "", named ? ")" : "",
					  *a ? a : "(unknown)");
			m365f__buf_printf(&cmd, "Get-MgServicePrincipal -Filter "
						"\"appId eq '%s'\"",
					  id);
		} else {
			m365f__buf_printf(&t, "Revoke the consent to application "
					      "%s granted by %s (no app id in "
					      "the evidence), then review its "
					      "service principal",
					  *x ? x : b, *a ? a : "(unknown)");
		}
	} else if (!strcmp(kind, "grant") && (*b || *x)) {
		char id[37];

		if (find_guid(b, id)) {
			m365f__buf_printf(&t, "Remove the delegated permission "
					      "grant %s%s%s made by %s",
					  id, *x ? " to " : "", x,
					  *a ? a : "(unknown)");
			m365f__buf_printf(&cmd, "Remove-MgOauth2PermissionGrant "
						"-OAuth2PermissionGrantId '%s'",
					  id);
		} else {
			m365f__buf_printf(&t, "Review the delegated permission "
					      "grants to %s made by %s",
					  *x ? x : b, *a ? a : "(unknown)");
		}
	} else if (!strcmp(kind, "credential")) {
		char id[37];

		if (!find_guid(x, id))
			id[0] = '\0';
		if (*b)
			key_ids(l, *a ? a : *x ? x : "(unknown)", id, b, y);
		else {
			m365f__buf_printf(&t, "Review the credentials of "
					      "application %s: one was added "
					      "or changed (no key id in the "
					      "evidence)",
					  *a ? a : *x ? x : "(unknown)");
		}
	}
	if (t.len && ((!strcmp(kind, "rule") && *x) ||
		      (!strcmp(kind, "consent") && cmd.len))) {
		m365f__buf key;

		/* a rule by mailbox and name, a consent by app id */
		m365f__buf_init(&key, 0);
		m365f__buf_printf(&key, "%s\t%s\t%s", kind,
				  *kind == 'r' ? a : "",
				  *kind == 'r' ? x : cmd.data);
		if (key.data)
			lines_add_key(l, key.data, t.data,
				      cmd.len ? cmd.data : NULL);
		else
			l->oom = true;
		m365f__buf_free(&key);
	} else if (t.len) {
		lines_add(l, t.data, cmd.len ? cmd.data : NULL);
	}
	m365f__buf_free(&t);
	m365f__buf_free(&cmd);
}

static void sec_containment(doc *d, m365f_case *c, m365f__ioc *v, size_t n,
			    m365f_error *err)
{
	sqlite3_stmt *st;
	lines objs;
	int sr, users = 0;
	size_t i, j;
	m365f__buf t, cmd;

	heading(d, 2, "containment", "Containment checklist");
	para(d, "Forensics comes before containment: preserve the evidence "
		"first. Identities holding control characters are shown "
		"escaped (\\xHH); take their exact bytes from the case "
		"(m365f sql) before running a command. Then, for each "
		"affected account (playbook steps 8 to 11 and 13):");
	m365f__buf_init(&t, 0);
	m365f__buf_init(&cmd, 0);
	st = prep(d, c,
		  "SELECT DISTINCT user FROM findings WHERE user IS NOT NULL"
		  " AND user <> '' ORDER BY user",
		  err);
	if (st) {
		while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
			const char *u = col(st, 0);

			users++;
			heading(d, 3, "contain-account", u);
			list_begin(d, true);
			m365f__buf_reset(&cmd);
			m365f__buf_printf(&cmd, "Revoke-MgUserSignInSession "
						"-UserId ");
			ps_quote(&cmd, u);
			item(d, true, "Revoke all sessions and refresh tokens",
			     cmd.data);
			item(d, true, "Reset the password and require a change "
				      "at next sign-in (for an admin, consider "
				      "a new account)", NULL);
			item(d, true, "Require MFA re-registration and remove "
				      "methods the user did not register", NULL);
			m365f__buf_reset(&cmd);
			m365f__buf_printf(&cmd, "Get-InboxRule -Mailbox ");
			ps_quote(&cmd, u);
			item(d, true, "Review inbox rules, forwarding and "
				      "delegates of the mailbox", cmd.data);
			m365f__buf_reset(&t);
			for (i = 0; i < n; i++) {
				if (strcmp(v[i].type, "ip") != 0)
					continue;
				for (j = 0; j < v[i].nusers; j++)
					if (!strcmp(v[i].users[j], u))
						m365f__buf_printf(
							&t, "%s%s",
							t.len ? ", " : "",
							v[i].value);
			}
			if (t.len) {
				m365f__buf m;

				m365f__buf_init(&m, 0);
				m365f__buf_printf(&m, "Block the addresses "
						      "it was used from and "
						      "look for other accounts "
						      "signing in from them: "
						      "%s",
						  t.data);
				item(d, true, m.data ? m.data : "", NULL);
				m365f__buf_free(&m);
			}
			list_end(d);
		}
		done(d, c, st, sr, err);
	}
	if (!users)
		para(d, "No finding names an account.");
	heading(d, 3, "contain-persistence",
		"Persistence objects to remove");
	memset(&objs, 0, sizeof(objs));
	st = prep(d, c, sql_persist, err);
	if (st) {
		while ((sr = sqlite3_step(st)) == SQLITE_ROW)
			persistence(&objs, st);
		done(d, c, st, sr, err);
	}
	if (objs.oom)
		d->rc = M365F_ENOMEM;
	if (!objs.n) {
		para(d, "None found in the evidence of the findings.");
	} else {
		list_begin(d, true);
		for (i = 0; i < objs.n; i++)
			item(d, true, objs.text[i], objs.cmd[i]);
		list_end(d);
	}
	lines_free(&objs);
	m365f__buf_free(&t);
	m365f__buf_free(&cmd);
}

/* ------------------------------------------------------------- detectors */

static void params_text(m365f__buf *b, const cJSON *p)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, p)
	{
		char *s = cJSON_IsString(it)
				  ? NULL
				  : cJSON_PrintUnformatted(it);

		m365f__buf_printf(b, "%s%s=%s", b->len ? ", " : "",
				  it->string ? it->string : "",
				  s ? s : cJSON_GetStringValue(it));
		cJSON_free(s);
	}
}

static void sec_detectors(doc *d, m365f_case *c, bool stamp,
			  m365f_error *err)
{
	static const char *const head[] = { "run", "library", "detector",
					    "version", "parameters",
					    "errors" };
	sqlite3_stmt *st;
	int sr, n = 0;

	heading(d, 2, "detectors", "Detectors and parameters");
	st = prep(d, c,
		  "SELECT id, lib_version, coalesce(detectors, ''),"
		  " coalesce(errors, ''), started_at FROM detect_runs"
		  " ORDER BY id",
		  err);
	if (!st)
		return;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *j = cJSON_Parse(col(st, 2));
		const cJSON *it;
		const char *cells[6];
		char run[96];
		m365f__buf p;

		if (!n++)
			table(d, 6, head);
		if (stamp)
			snprintf(run, sizeof(run), "%s (%s)", col(st, 0),
				 col(st, 4));
		else
			snprintf(run, sizeof(run), "%s", col(st, 0));
		cells[0] = run;
		cells[1] = col(st, 1);
		cells[5] = col(st, 3);
		m365f__buf_init(&p, 0);
		if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
			cJSON_ArrayForEach(it, j)
			{
				const cJSON *pv =
					cJSON_GetObjectItemCaseSensitive(
						it, "parameters");
				const char *id = cJSON_GetStringValue(
					cJSON_GetObjectItemCaseSensitive(it,
									 "id"));
				const cJSON *ver =
					cJSON_GetObjectItemCaseSensitive(
						it, "version");
				char vbuf[32];

				if (!pv)
					pv = cJSON_GetObjectItemCaseSensitive(
						it, "params");
				if (!id)
					id = it->string ? it->string : "";
				if (cJSON_IsNumber(ver))
					snprintf(vbuf, sizeof(vbuf), "%g",
						 ver->valuedouble);
				else
					snprintf(vbuf, sizeof(vbuf), "%s",
						 cJSON_GetStringValue(ver)
							 ? cJSON_GetStringValue(
								   ver)
							 : "");
				m365f__buf_reset(&p);
				if (cJSON_IsObject(pv))
					params_text(&p, pv);
				cells[2] = id;
				cells[3] = vbuf;
				cells[4] = p.data ? p.data : "";
				row(d, 6, cells, "mono");
			}
		} else {
			cells[2] = col(st, 2);
			cells[3] = "";
			cells[4] = "";
			row(d, 6, cells, "mono");
		}
		m365f__buf_free(&p);
		cJSON_Delete(j);
	}
	done(d, c, st, sr, err);
	if (n)
		table_end(d);
	else
		para(d, "No detection run is recorded in this case.");
}

/* ------------------------------------------------------------------ main */

static const char *css =
	"body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;"
	"max-width:1200px;padding:0 1em;color:#222}"
	"h1{border-bottom:3px solid #b00}h2{border-bottom:1px solid #ccc;"
	"margin-top:2em}table{border-collapse:collapse;margin:.5em 0;"
	"font-size:13px}th,td{border:1px solid #ccc;padding:3px 6px;"
	"text-align:left;vertical-align:top;overflow-wrap:anywhere}"
	"th{background:#f0f0f0}td:first-child{white-space:nowrap}"
	"tr.mono td{font-family:monospace}"
	"code{background:#f4f4f4;padding:1px 3px;overflow-wrap:anywhere}"
	".finding{border-left:6px solid #999;padding-left:10px}"
	".sev-critical{border-color:#7a0000;background:#fde8e8}"
	".sev-high{border-color:#d00000}.sev-medium{border-color:#e69500}"
	".sev-low{border-color:#2a7ab0}.sev-info{border-color:#999}"
	"ul.check{list-style:none;padding-left:1em}"
	"svg{max-width:100%;height:auto}.ax,.lg{font:11px sans-serif}"
	".mark{fill:#d00000}nav a{margin-right:1em}"
	"@media print{nav{display:none}}";

static int write_doc(m365f_case *c, FILE *fp, const m365f_report_options *o,
		     m365f_error *err)
{
	doc d;
	m365f__ioc *iocs = NULL;
	size_t niocs = 0;
	char title[512];
	bool stamp = (o->flags & M365F_REPORT_TIMESTAMP) != 0;
	size_t max_ev = o->max_evidence ? o->max_evidence
					: DEFAULT_MAX_EVIDENCE;
	size_t max_tl = o->max_timeline ? o->max_timeline
					: DEFAULT_MAX_TIMELINE;
	int rc;

	memset(&d, 0, sizeof(d));
	d.html = o->format == M365F_REPORT_HTML;
	m365f__buf_init(&d.b, 0);
	if (o->title && *o->title)
		snprintf(title, sizeof(title), "%s", o->title);
	else
		snprintf(title, sizeof(title), "Incident report: %s",
			 base_name(c->path));
	rc = m365f__iocs_collect(c, &iocs, &niocs, err);
	if (rc)
		return rc;
	if (d.html) {
		raw(&d, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			"<meta charset=\"utf-8\">\n"
			"<meta http-equiv=\"Content-Security-Policy\" "
			"content=\"default-src 'none'; style-src "
			"'unsafe-inline'\">\n"
			"<meta name=\"viewport\" content=\"width=device-width"
			"\">\n<title>");
		esc(&d, title);
		raw(&d, "</title>\n<style>");
		raw(&d, css);
		raw(&d, "</style>\n</head>\n<body>\n<nav>"
			"<a href=\"#summary\">Summary</a>"
			"<a href=\"#evidence\">Evidence</a>"
			"<a href=\"#gaps\">Gaps</a>"
			"<a href=\"#findings\">Findings</a>"
			"<a href=\"#accounts\">Accounts</a>"
			"<a href=\"#timeline\">Timeline</a>"
			"<a href=\"#iocs\">Indicators</a>"
			"<a href=\"#containment\">Containment</a>"
			"<a href=\"#detectors\">Detectors</a></nav>\n");
	}
	sec_summary(&d, c, title, stamp, err);
	sec_inventory(&d, c, err);
	sec_gaps(&d, c, err);
	sec_findings(&d, c, max_ev, err);
	sec_accounts(&d, c, err);
	sec_timeline(&d, c, max_tl, err);
	sec_iocs(&d, c, iocs, niocs);
	sec_containment(&d, c, iocs, niocs, err);
	sec_detectors(&d, c, stamp, err);
	if (d.html)
		raw(&d, "<footer><p>Made by libm365forensics " M365F_VERSION
			" from the case alone; every value above can be "
			"checked with m365f sql.</p></footer>\n"
			"</body>\n</html>\n");
	else
		raw(&d, "\n---\nMade by libm365forensics " M365F_VERSION
			" from the case alone; every value above can be "
			"checked with m365f sql.\n");
	m365f__iocs_free(iocs, niocs);
	rc = d.rc;
	if (rc && err && !err->text[0])
		m365f__error_set(err, rc, "%s", m365f_strerror(rc));
	if (!rc && d.b.len && fwrite(d.b.data, 1, d.b.len, fp) != d.b.len)
		rc = m365f__error_set(err, M365F_EIO, "cannot write report");
	if (!rc && fflush(fp) != 0)
		rc = m365f__error_set(err, M365F_EIO, "cannot write report");
	m365f__buf_free(&d.b);
	return rc;
}

static int check_opts(const m365f_report_options *opts,
		      m365f_report_options *o, m365f_error *err)
{
	m365f_report_options def = M365F_REPORT_OPTIONS_INIT;

	*o = def;
	if (opts && opts->version != M365F_REPORT_OPTIONS_VERSION)
		return m365f__error_set(err, M365F_EVERSION,
					"report options version %u not "
					"supported",
					opts->version);
	*o = opts ? *opts : def;
	return M365F_OK;
}

int m365f_report_write(m365f_case *c, FILE *fp,
		       const m365f_report_options *opts, m365f_error *err)
{
	m365f_report_options o;
	int rc;

	m365f__error_clear(err);
	if (!c || !fp)
		return m365f__error_set(err, M365F_EINVAL, "no case or output");
	rc = check_opts(opts, &o, err);
	if (rc)
		return rc;
	if (o.format != M365F_REPORT_HTML && o.format != M365F_REPORT_MARKDOWN)
		return m365f__error_set(err, M365F_EINVAL,
					"report format must be HTML or "
					"Markdown");
	return write_doc(c, fp, &o, err);
}

int m365f_report_write_file(m365f_case *c, const char *path,
			    const m365f_report_options *opts,
			    m365f_error *err)
{
	m365f_report_options o;
	FILE *fp;
	int rc;

	m365f__error_clear(err);
	if (!c || !path)
		return m365f__error_set(err, M365F_EINVAL, "no case or path");
	rc = check_opts(opts, &o, err);
	if (rc)
		return rc;
	if (o.format == M365F_REPORT_AUTO) {
		if (m365f__has_suffix_ci(path, ".html") || m365f__has_suffix_ci(path, ".htm"))
			o.format = M365F_REPORT_HTML;
		else if (m365f__has_suffix_ci(path, ".md") ||
			 m365f__has_suffix_ci(path, ".markdown"))
			o.format = M365F_REPORT_MARKDOWN;
		else {
			m365f__error_source(err, path);
			return m365f__error_set(err, M365F_EINVAL,
						"report name must end in .html "
						"or .md");
		}
	}
	fp = fopen(path, "wb");
	if (!fp) {
		m365f__error_source(err, path);
		return m365f__error_set(err, M365F_EIO, "cannot create: %m");
	}
	rc = m365f_report_write(c, fp, &o, err);
	if (fclose(fp) != 0 && !rc) {
		m365f__error_source(err, path);
		rc = m365f__error_set(err, M365F_EIO, "cannot write: %m");
	}
	if (rc)
		remove(path);
	return rc;
}
