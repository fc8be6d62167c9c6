/* SPDX-License-Identifier: MIT */
/*
 * triage.c - many evidence bundles at once: each one ingested into its own
 * case, detected and summarized, bundles in parallel threads (each with
 * its own case handle), one summary table across them.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "m365f-private.h"

#define MAX_BUNDLES 10000
#define MAX_JOBS 64

typedef struct {
	const char *const *bundles;
	size_t n, next;
	m365f_triage_result *r;
	const m365f_triage_options *opts;
	pthread_mutex_t lock;
} triage_run;

/* Per-bundle counts gathered from the ingest's source callback. */
typedef struct {
	const char *bundle;
	m365f_triage_result *r;
	bool broken;
} bundle_ctx;

static char *dupstr(const char *s)
{
	return m365f__strndup(s, strlen(s));
}

/* "dir/name/" -> "dir/name": the bundle as one path component. */
static char *trimmed(const char *p)
{
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		n--;
	return m365f__strndup(p, n);
}

static int case_path_for(const char *bundle, const char *out_dir, char **out,
			 m365f_error *err)
{
	char *b = trimmed(bundle);
	m365f__buf p;
	int rc = M365F_OK;

	if (!b)
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");
	m365f__buf_init(&p, 0);
	if (out_dir && *out_dir) {
		const char *base = strrchr(b, '/');

		base = base ? base + 1 : b;
		if (!strcmp(base, ".") || !strcmp(base, "..") || !*base)
			rc = m365f__error_set(err, M365F_EINVAL,
					      "bundle '%s' has no name to "
					      "give its case",
					      bundle);
		else
			rc = m365f__buf_printf(&p, "%s%s%s.case.db", out_dir,
					       out_dir[strlen(out_dir) - 1] ==
							       '/'
						       ? ""
						       : "/",
					       base);
	} else {
		rc = m365f__buf_printf(&p, "%s.case.db", b);
	}
	free(b);
	if (rc) {
		m365f__buf_free(&p);
		return rc == M365F_EINVAL ? rc
					  : m365f__error_set(err, rc,
							     "out of memory");
	}
	*out = p.data;
	return M365F_OK;
}

/* The case must not land inside a bundle folder: it would become
 * evidence of the next run and change what was handed over. */
static int check_outside(const char *bundle, const char *case_path,
			 m365f_error *err)
{
	char rb[PATH_MAX], rd[PATH_MAX];
	char *dir = dupstr(case_path), *slash;
	size_t n;
	int rc = M365F_OK;

	if (!dir)
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	if (realpath(bundle, rb) && realpath(slash ? dir : ".", rd)) {
		n = strlen(rb);
		if (!strncmp(rd, rb, n) && (rd[n] == '/' || rd[n] == '\0'))
			rc = m365f__error_set(err, M365F_EINVAL,
					      "the case would be written "
					      "inside the evidence (%s); "
					      "choose another --out",
					      case_path);
	}
	free(dir);
	return rc;
}

static int on_source(const m365f_source_summary *s, void *payload)
{
	bundle_ctx *b = payload;

	switch (s->status) {
	case M365F_SOURCE_INGESTED:
	case M365F_SOURCE_ALREADY:
		if (strcmp(s->product, "archive") != 0)
			b->r->sources++;
		break;
	default:
		b->r->skipped++;
		/* the bundle itself could not be read: it is broken */
		if (!strcmp(s->path, b->bundle) && !b->broken) {
			b->broken = true;
			if (s->error)
				b->r->error = *s->error;
			b->r->status = s->error && s->error->code
					       ? s->error->code
					       : M365F_EPARSE;
		}
	}
	return 0;
}

static void remove_case(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm",
					      "-journal" };
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(suffix); i++) {
		m365f__buf p;

		m365f__buf_init(&p, 0);
		if (!m365f__buf_printf(&p, "%s%s", path, suffix[i]))
			unlink(p.data);
		m365f__buf_free(&p);
	}
}

/* One statement of the summary: run to the end; a step that fails is the
 * case's error, never a shorter summary. */
static int summary_done(m365f_case *c, sqlite3_stmt *st, int sr,
			m365f_error *err)
{
	sqlite3_finalize(st);
	if (sr != SQLITE_DONE)
		return m365f__error_db(err, c->db, "triage summary");
	return M365F_OK;
}

static const char *text0(sqlite3_stmt *st)
{
	const char *s = (const char *)sqlite3_column_text(st, 0);

	return s ? s : "";
}

/* A file already at the case's path is replaced only when it is an m365f
 * case (the previous run's): anything else there is someone's file. */
static int check_replaceable(const char *path, m365f_error *err)
{
	m365f_case *old = NULL;
	m365f_error e;
	struct stat st;

	if (lstat(path, &st) != 0)
		return M365F_OK; /* nothing there */
	if (S_ISREG(st.st_mode) &&
	    m365f_case_open(&old, path, M365F_OPEN_READONLY, &e) == M365F_OK) {
		m365f_case_free(old);
		return M365F_OK;
	}
	m365f__error_source(err, path);
	return m365f__error_set(err, M365F_EINVAL,
				"exists and is not an m365f case; not "
				"replaced (move it or choose another --out)");
}

static int summarize(m365f_case *c, m365f_triage_result *r, m365f_error *err)
{
	sqlite3_stmt *st;
	m365f__buf b;
	int sr, rc;

	if (sqlite3_prepare_v2(c->db,
			       "SELECT total(records), total(stored),"
			       " total(duplicates), total(rejected),"
			       " (SELECT min(time) FROM events),"
			       " (SELECT max(time) FROM events)"
			       " FROM sources WHERE product <> 'archive'",
			       -1, &st, NULL) != SQLITE_OK)
		return m365f__error_db(err, c->db, "triage summary");
	sr = sqlite3_step(st);
	if (sr == SQLITE_ROW) {
		r->records = (uint64_t)sqlite3_column_int64(st, 0);
		r->stored = (uint64_t)sqlite3_column_int64(st, 1);
		r->duplicates = (uint64_t)sqlite3_column_int64(st, 2);
		r->rejected = (uint64_t)sqlite3_column_int64(st, 3);
		r->first_ms = sqlite3_column_int64(st, 4);
		r->last_ms = sqlite3_column_int64(st, 5);
		sr = SQLITE_DONE; /* one row by construction */
	}
	rc = summary_done(c, st, sr, err);
	if (rc)
		return rc;
	r->max_severity = -1;
	if (sqlite3_prepare_v2(c->db,
			       "SELECT lower(severity), count(*) FROM findings"
			       " WHERE category <> 'coverage' GROUP BY 1",
			       -1, &st, NULL) != SQLITE_OK)
		return m365f__error_db(err, c->db, "triage summary");
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		int s = m365f_severity_from_name(text0(st));

		if (s < 0)
			s = M365F_SEVERITY_INFO; /* not a detector's word */

		r->findings[s] += (uint64_t)sqlite3_column_int64(st, 1);
		if (s > r->max_severity)
			r->max_severity = s;
	}
	rc = summary_done(c, st, sr, err);
	if (rc)
		return rc;
	m365f__buf_init(&b, 0);
	if (sqlite3_prepare_v2(c->db,
			       "SELECT title FROM findings"
			       " WHERE category <> 'coverage' GROUP BY title"
			       " ORDER BY max(CASE lower(severity)"
			       " WHEN 'critical' THEN 4 WHEN 'high' THEN 3"
			       " WHEN 'medium' THEN 2 WHEN 'low' THEN 1"
			       " ELSE 0 END) DESC, count(*) DESC, title"
			       " LIMIT 3",
			       -1, &st, NULL) != SQLITE_OK)
		return m365f__error_db(err, c->db, "triage summary");
	while ((sr = sqlite3_step(st)) == SQLITE_ROW)
		m365f__buf_printf(&b, "%s%s", b.len ? "; " : "", text0(st));
	rc = summary_done(c, st, sr, err);
	if (rc) {
		m365f__buf_free(&b);
		return rc;
	}
	r->top_findings = dupstr(b.data ? b.data : "");
	m365f__buf_reset(&b);
	if (sqlite3_prepare_v2(c->db,
			       "SELECT DISTINCT user FROM findings WHERE user"
			       " IS NOT NULL AND user <> '' ORDER BY user",
			       -1, &st, NULL) != SQLITE_OK) {
		m365f__buf_free(&b);
		return m365f__error_db(err, c->db, "triage summary");
	}
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		m365f__buf_printf(&b, "%s%s", b.len ? ", " : "", text0(st));
		r->nusers++;
	}
	rc = summary_done(c, st, sr, err);
	if (!rc)
		r->users = dupstr(b.data ? b.data : "");
	m365f__buf_free(&b);
	if (rc)
		return rc;
	if (!r->top_findings || !r->users)
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");
	return M365F_OK;
}

static void one_bundle(triage_run *t, size_t i)
{
	m365f_triage_result *r = &t->r[i];
	const m365f_triage_options *o = t->opts;
	m365f_ingest_options io;
	bundle_ctx bc;
	m365f_case *c = NULL;
	struct stat st;
	int rc;

	if (r->status)
		return; /* refused before the threads started */
	r->max_severity = -1;
	m365f__error_clear(&r->error);
	rc = M365F_OK;
	if (stat(t->bundles[i], &st) != 0) {
		m365f__error_source(&r->error, t->bundles[i]);
		rc = m365f__error_set(&r->error, M365F_EIO, "cannot open: %s",
				      strerror(errno));
	}
	if (!rc)
		rc = check_outside(t->bundles[i], r->case_path, &r->error);
	if (!rc)
		rc = check_replaceable(r->case_path, &r->error);
	if (!rc) {
		remove_case(r->case_path);
		rc = m365f_case_open(&c, r->case_path, M365F_OPEN_CREATE,
				     &r->error);
	}
	if (!rc) {
		if (o->ingest)
			io = *o->ingest;
		else
			m365f_ingest_options_init(&io,
						  M365F_INGEST_OPTIONS_VERSION);
		memset(&bc, 0, sizeof(bc));
		bc.bundle = t->bundles[i];
		bc.r = r;
		io.source_cb = on_source;
		io.diag_cb = NULL;
		io.progress_cb = NULL;
		io.payload = &bc;
		rc = m365f_ingest_path(c, t->bundles[i], &io, &r->error);
		if (!rc && bc.broken)
			rc = r->status;
	}
	if (!rc && o->detect && !(o->flags & M365F_TRIAGE_NO_DETECT)) {
		rc = o->detect(c, o->payload, &r->error);
	} else if (!rc && !(o->flags & M365F_TRIAGE_NO_DETECT)) {
		m365f_detect_options d = M365F_DETECT_OPTIONS_INIT;
		m365f_detect_summary sum;

		if (o->detect_options)
			d = *o->detect_options;
		d.diag_cb = NULL; /* failures are counted, not printed */
		d.payload = NULL;
		memset(&sum, 0, sizeof(sum));
		rc = m365f_detect_run(c, &d, &sum, &r->error);
		r->detectors_failed = sum.failed;
	}
	if (!rc)
		rc = summarize(c, r, &r->error);
	r->status = rc;
	if (rc && !r->error.code)
		r->error.code = rc;
	m365f_case_free(c);
}

static void *worker(void *arg)
{
	triage_run *t = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&t->lock);
		i = t->next++;
		if (i < t->n && t->opts->cb)
			t->opts->cb(i, 0, &t->r[i], t->opts->payload);
		pthread_mutex_unlock(&t->lock);
		if (i >= t->n)
			break;
		one_bundle(t, i);
		pthread_mutex_lock(&t->lock);
		if (t->opts->cb)
			t->opts->cb(i, 1, &t->r[i], t->opts->payload);
		pthread_mutex_unlock(&t->lock);
	}
	return NULL;
}

int m365f_triage(m365f_triage_result **out, const char *const *bundles,
		 size_t n, const m365f_triage_options *opts, m365f_error *err)
{
	m365f_triage_options def = M365F_TRIAGE_OPTIONS_INIT;
	pthread_t threads[MAX_JOBS];
	triage_run t;
	size_t i, jobs, started = 0;
	long cpus;

	m365f__error_clear(err);
	if (!out || (!bundles && n))
		return m365f__error_set(err, M365F_EINVAL, "bad arguments");
	*out = NULL;
	if (n > MAX_BUNDLES)
		return m365f__error_set(err, M365F_ELIMIT,
					"more than %d bundles", MAX_BUNDLES);
	if (!opts)
		opts = &def;
	if (opts->version != M365F_TRIAGE_OPTIONS_VERSION)
		return m365f__error_set(err, M365F_EVERSION,
					"triage options version %u not "
					"supported",
					opts->version);
	for (i = 0; i < n; i++)
		if (!bundles[i] || !*bundles[i])
			return m365f__error_set(err, M365F_EINVAL,
						"bundle %zu has no path", i + 1);
	if (opts->out_dir && *opts->out_dir &&
	    mkdir(opts->out_dir, 0777) != 0 && errno != EEXIST) {
		m365f__error_source(err, opts->out_dir);
		return m365f__error_set(err, M365F_EIO,
					"cannot create the output folder: %s",
					strerror(errno));
	}
	memset(&t, 0, sizeof(t));
	t.r = calloc(n ? n : 1, sizeof(*t.r));
	if (!t.r)
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		t.r[i].bundle = dupstr(bundles[i]);
		if (!t.r[i].bundle) {
			m365f_triage_free(t.r, n);
			return m365f__error_set(err, M365F_ENOMEM,
						"out of memory");
		}
	}
	/* case names first, here: two bundles must never share a case */
	for (i = 0; i < n; i++) {
		size_t j;

		t.r[i].max_severity = -1;
		if (case_path_for(bundles[i], opts->out_dir,
				  (char **)&t.r[i].case_path, &t.r[i].error)) {
			t.r[i].status = t.r[i].error.code;
			if (t.r[i].status == M365F_ENOMEM) {
				m365f_triage_free(t.r, n);
				return m365f__error_set(err, M365F_ENOMEM,
							"out of memory");
			}
			continue;
		}
		for (j = 0; j < i; j++) {
			if (t.r[j].case_path &&
			    !strcmp(t.r[j].case_path, t.r[i].case_path)) {
				m365f__error_source(&t.r[i].error,
						    bundles[i]);
				t.r[i].status = m365f__error_set(
					&t.r[i].error, M365F_EINVAL,
					"same case as bundle %zu (%s): give "
					"it once or use another --out",
					j + 1, t.r[i].case_path);
				break;
			}
		}
	}
	t.bundles = bundles;
	t.n = n;
	t.opts = opts;
	pthread_mutex_init(&t.lock, NULL);
	jobs = opts->jobs;
	if (!jobs) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = cpus > 0 ? (size_t)cpus : 1;
	}
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if (jobs > n)
		jobs = n;
	for (i = 0; i < jobs; i++) {
		if (pthread_create(&threads[i], NULL, worker, &t) != 0)
			break;
		started++;
	}
	if (!started && n) {
		/* no thread at all: do the work here */
		worker(&t);
	}
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&t.lock);
	*out = t.r;
	return M365F_OK;
}

void m365f_triage_free(m365f_triage_result *r, size_t n)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < n; i++) {
		free((char *)r[i].bundle);
		free((char *)r[i].case_path);
		free((char *)r[i].top_findings);
		free((char *)r[i].users);
	}
	free(r);
}

int m365f_triage_write(FILE *fp, const m365f_triage_result *r, size_t n,
		       int format, m365f_error *err)
{
	static const char *const names[] = {
		"bundle", "status", "case", "sources", "skipped", "records",
		"stored", "duplicates", "rejected", "critical", "high",
		"medium", "low", "info", "top_findings", "affected_users",
		"users", "first", "last", "detectors_failed"
	};
	enum { NCOLS = 20 };
	static const int types[NCOLS] = {
		M365F_TYPE_TEXT, M365F_TYPE_TEXT, M365F_TYPE_TEXT,
		M365F_TYPE_INTEGER, M365F_TYPE_INTEGER, M365F_TYPE_INTEGER,
		M365F_TYPE_INTEGER, M365F_TYPE_INTEGER, M365F_TYPE_INTEGER,
		M365F_TYPE_INTEGER, M365F_TYPE_INTEGER, M365F_TYPE_INTEGER,
		M365F_TYPE_INTEGER, M365F_TYPE_INTEGER, M365F_TYPE_TEXT,
		M365F_TYPE_INTEGER, M365F_TYPE_TEXT, M365F_TYPE_TEXT,
		M365F_TYPE_TEXT, M365F_TYPE_INTEGER
	};
	m365f_writer *w;
	size_t i, k;
	int rc;

	m365f__error_clear(err);
	if (!fp || (!r && n))
		return m365f__error_set(err, M365F_EINVAL, "bad arguments");
	if (format != M365F_FORMAT_TEXT && format != M365F_FORMAT_JSONL &&
	    format != M365F_FORMAT_CSV)
		return m365f__error_set(err, M365F_EINVAL,
					"triage summary: text, jsonl or csv");
	rc = m365f_writer_new(&w, fp, format, 0, err);
	if (rc)
		return rc;
	for (i = 0; i < n && !rc; i++) {
		char num[13][24], t1[32], t2[32], status[400];
		const char *values[NCOLS];
		size_t lens[NCOLS];
		int ty[NCOLS];
		m365f_row row;
		uint64_t v[13];

		if (r[i].status) {
			char e[320];

			m365f_error_format(&r[i].error, e, sizeof(e));
			snprintf(status, sizeof(status), "error: %s", e);
		} else {
			snprintf(status, sizeof(status), "ok");
		}
		v[0] = r[i].sources;
		v[1] = r[i].skipped;
		v[2] = r[i].records;
		v[3] = r[i].stored;
		v[4] = r[i].duplicates;
		v[5] = r[i].rejected;
		v[6] = r[i].findings[4];
		v[7] = r[i].findings[3];
		v[8] = r[i].findings[2];
		v[9] = r[i].findings[1];
		v[10] = r[i].findings[0];
		v[11] = r[i].nusers;
		v[12] = r[i].detectors_failed;
		for (k = 0; k < 13; k++)
			snprintf(num[k], sizeof(num[k]), "%" PRIu64, v[k]);
		if (r[i].first_ms)
			m365f__time_format(r[i].first_ms, t1);
		else
			t1[0] = '\0';
		if (r[i].last_ms)
			m365f__time_format(r[i].last_ms, t2);
		else
			t2[0] = '\0';
		values[0] = r[i].bundle;
		values[1] = status;
		values[2] = r[i].case_path ? r[i].case_path : "";
		for (k = 0; k < 11; k++)
			values[3 + k] = num[k];
		values[14] = r[i].top_findings ? r[i].top_findings : "";
		values[15] = num[11];
		values[16] = r[i].users ? r[i].users : "";
		values[17] = t1;
		values[18] = t2;
		values[19] = num[12];
		for (k = 0; k < NCOLS; k++) {
			lens[k] = strlen(values[k]);
			ty[k] = types[k];
			if (!lens[k] && ty[k] == M365F_TYPE_TEXT &&
			    format == M365F_FORMAT_JSONL && k >= 14)
				values[k] = NULL; /* null, not "" */
		}
		/* people get the columns that decide; tools get all */
		if (format == M365F_FORMAT_TEXT) {
			static const size_t keep[] = { 0, 1, 3, 4, 5, 8, 9,
						       10, 11, 12, 13, 16,
						       17, 18, 14 };
			const char *sn[NCOLS], *sv[NCOLS];
			size_t sl[NCOLS];
			int st2[NCOLS];

			for (k = 0; k < M365F__ARRAY_LEN(keep); k++) {
				sn[k] = names[keep[k]];
				sv[k] = values[keep[k]];
				sl[k] = lens[keep[k]];
				st2[k] = ty[keep[k]];
			}
			row.ncols = M365F__ARRAY_LEN(keep);
			row.names = sn;
			row.values = sv;
			row.lengths = sl;
			row.types = st2;
			rc = m365f_writer_row(&row, w);
			continue;
		}
		row.ncols = NCOLS;
		row.names = names;
		row.values = values;
		row.lengths = lens;
		row.types = ty;
		rc = m365f_writer_row(&row, w);
	}
	if (m365f_writer_finish(w) && !rc)
		rc = M365F_EIO;
	m365f_writer_free(w);
	if (rc)
		m365f__error_set(err, rc, "cannot write the triage summary");
	return rc;
}
