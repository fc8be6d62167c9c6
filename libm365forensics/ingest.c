/* SPDX-License-Identifier: MIT */
/*
 * ingest.c - the ingest flow: walk paths, open each source, sniff its
 * format, run the reader, store events/rejects in one transaction per
 * source, dedup against the case, account for every record.
 */
#ifdef __linux__
#define _GNU_SOURCE /* sync_file_range() */
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <zlib.h>

#include "m365f-private.h"

#define DEFAULT_MAX_RECORD ((size_t)64 << 20)
#define SNIFF_BYTES 65536
#define MAX_WALK_DEPTH 64

/* Dedup index: (dedup_key, content_hash) -> event id, in memory with open
 * addressing. Event ids grow, so the entries of a rolled-back source are
 * those above the last id before it. Memory is capped: past DD_MAX_SLOTS
 * the table stops growing, the case gets an index on dedup_key and keys
 * missing from memory are looked up there (slower, but bounded). */
#define DD_MAX_SLOTS ((size_t)1 << 21) /* 48 MiB */

typedef struct {
	int64_t key;      /* 0 = empty slot */
	int64_t content;
	int64_t event_id;
} dd_entry;

typedef struct {
	dd_entry *slots;
	size_t cap, used;
	bool loaded;
	bool overflow;    /* the case's events_dedup index is in use */
} dd_table;

/* Parameter and property rows are inserted DETAIL_ROWS at a time, with
 * one multi-row INSERT: most events carry several, and one statement per
 * row cost the store thread more than the rows themselves. The rest at a
 * flush go in statements of 16, 8, 4, 2 and 1 rows. */
#define DETAIL_ROWS 32
#define DETAIL_SIZES 6 /* 32, 16, 8, 4, 2, 1 rows */
enum { DETAIL_PARAMS, DETAIL_PROPS };

/* An event_params or event_props row not yet inserted (params use name
 * and new_value). */
typedef struct {
	int64_t event_id;
	const char *kind, *name, *old_value, *new_value;
} detail_row;

struct m365f__ingest {
	m365f_case *c;
	m365f_ingest_options opts;
	int64_t source_id;
	int64_t base_id;             /* largest event id before this source */
	m365f__loc loc;
	m365f__strpool pool;
	dd_table dd;
	const char *source_name;
	const char *format;          /* first record's format (JSON) */
	uint64_t records, stored, duplicates, rejected, conflicts;
	int64_t first_time, last_time;
	bool bulk;                   /* indexes dropped for a bulk load */
	uint64_t next_progress;
	m365f__input *in;
	int date_order;
	m365f__pipe *pipe;           /* store thread, or NULL: inline */
	m365f__kv *wk_params;        /* the store thread's decoded lists */
	m365f__prop *wk_props;
	size_t wk_nparams, wk_nprops;
	z_stream z;                  /* raw copies: one deflate state */
	bool z_ready;
	unsigned char *zbuf;         /* its output, reused */
	size_t zcap;
	void *scratch;               /* m365f__ingest_scratch() */
	m365f__jdoc *jdoc[2];        /* m365f__ingest_jdoc() */
	size_t scratch_size;
	/* domains learned from this source: name -> count */
	char *domains[32];
	size_t ndomains;
	int cache_size;              /* PRAGMA cache_size to restore */
	int wb_fd;                   /* the case file, read-only: -1 */
	unsigned wb_batches;         /* stored since the last hint */
	/* parameter and property rows waiting for a multi-row INSERT; their
	 * texts live in the store thread's batch (or the caller's event) until
	 * flush_details() */
	detail_row pend[2][DETAIL_ROWS];
	size_t npend[2];
	sqlite3_stmt *st_detail[2][DETAIL_SIZES];
};

int m365f_ingest_options_init(m365f_ingest_options *opts, unsigned int version)
{
	if (!opts)
		return M365F_EINVAL;
	if (version != M365F_INGEST_OPTIONS_VERSION)
		return M365F_EVERSION;
	memset(opts, 0, sizeof(*opts));
	opts->version = version;
	return M365F_OK;
}

m365f_case *m365f__ingest_case(m365f__ingest *ing) { return ing->c; }
const m365f__loc *m365f__ingest_loc(const m365f__ingest *ing)
{
	return &ing->loc;
}
m365f__loc *m365f__ingest_loc_mut(m365f__ingest *ing) { return &ing->loc; }
int64_t m365f__ingest_source_id(const m365f__ingest *ing)
{
	return ing->source_id;
}
m365f__strpool *m365f__ingest_pool(m365f__ingest *ing) { return &ing->pool; }
size_t m365f__ingest_max_record(const m365f__ingest *ing)
{
	return ing->opts.max_record_bytes;
}
void m365f__ingest_count_record(m365f__ingest *ing) { ing->records++; }

void *m365f__ingest_scratch(m365f__ingest *ing, size_t size)
{
	if (size > ing->scratch_size) {
		void *p = realloc(ing->scratch, size);

		if (!p)
			return NULL;
		ing->scratch = p;
		ing->scratch_size = size;
	}
	return ing->scratch;
}
m365f__jdoc *m365f__ingest_jdoc(m365f__ingest *ing, int which)
{
	if (!ing->jdoc[which])
		ing->jdoc[which] = m365f__jdoc_new();
	return ing->jdoc[which];
}

void m365f__ingest_set_format(m365f__ingest *ing, const char *name)
{
	if (!ing->format)
		ing->format = name;
}
bool m365f__ingest_strict(const m365f__ingest *ing)
{
	return (ing->opts.flags & M365F_INGEST_STRICT) != 0;
}

int m365f__ingest_date_order(const m365f__ingest *ing)
{
	return ing->date_order;
}

void m365f__ingest_set_date_order(m365f__ingest *ing, int order)
{
	ing->date_order = order;
}

void m365f__ingest_progress(m365f__ingest *ing)
{
	if (ing->in)
		m365f__ingest_progress_at(ing, m365f__input_consumed(ing->in));
}

void m365f__ingest_progress_at(m365f__ingest *ing, uint64_t done)
{
	if (!ing->opts.progress_cb || !ing->in)
		return;
	if (done < ing->next_progress)
		return;
	ing->next_progress = done + (16u << 20);
	ing->opts.progress_cb(ing->source_name, done,
			      m365f__input_total(ing->in), ing->opts.payload);
}

void m365f__ingest_learn_domain(m365f__ingest *ing, const char *domain)
{
	size_t i;

	if (!domain || !*domain || strlen(domain) > 253 ||
	    !strchr(domain, '.'))
		return;
	for (i = 0; i < ing->ndomains; i++)
		if (m365f__strieq(ing->domains[i], domain))
			return;
	if (ing->ndomains < M365F__ARRAY_LEN(ing->domains)) {
		ing->domains[ing->ndomains] = m365f__strdup_lower(domain);
		if (ing->domains[ing->ndomains])
			ing->ndomains++;
	}
}

/* ----------------------------------------------------------------- dedup */

static size_t dd_slot(const dd_table *t, int64_t key)
{
	return (size_t)((uint64_t)key * 0x9E3779B97F4A7C15ULL) & (t->cap - 1);
}

static int dd_grow(dd_table *t)
{
	dd_entry *old = t->slots;
	size_t oldcap = t->cap, i;

	t->cap = oldcap ? oldcap * 2 : 1024;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	if (!t->slots) {
		t->slots = old;
		t->cap = oldcap;
		return M365F_ENOMEM;
	}
	t->used = 0;
	for (i = 0; i < oldcap; i++) {
		if (old[i].key) {
			size_t s = dd_slot(t, old[i].key);

			while (t->slots[s].key)
				s = (s + 1) & (t->cap - 1);
			t->slots[s] = old[i];
			t->used++;
		}
	}
	free(old);
	return M365F_OK;
}

/* Switch to the case's index once the table is full. */
static int dd_overflow(m365f_case *c, dd_table *t)
{
	if (t->overflow)
		return M365F_OK;
	if (m365f__case_exec(c,
			     "CREATE INDEX IF NOT EXISTS events_dedup ON"
			     " events(dedup_key)",
			     NULL))
		return M365F_EDB;
	t->overflow = true;
	return M365F_OK;
}

static int dd_add(m365f_case *c, dd_table *t, int64_t key, int64_t content,
		  int64_t id)
{
	size_t s;

	if ((t->used + 1) * 4 >= t->cap * 3) {
		if (t->cap >= DD_MAX_SLOTS)
			return dd_overflow(c, t); /* the row holds it */
		if (dd_grow(t))
			return M365F_ENOMEM;
	}
	s = dd_slot(t, key);
	while (t->slots[s].key)
		s = (s + 1) & (t->cap - 1);
	t->slots[s].key = key;
	t->slots[s].content = content;
	t->slots[s].event_id = id;
	t->used++;
	return M365F_OK;
}

/* 1 = same key and content exists, 0 = no, < 0 an error; *other = an
 * event with the same key but other content (0 if none). */
static int dd_find(m365f_case *c, const dd_table *t, int64_t key,
		   int64_t content, int64_t *other)
{
	sqlite3_stmt *st;
	size_t s;
	int r;

	*other = 0;
	if (t->cap) {
		s = dd_slot(t, key);
		while (t->slots[s].key) {
			if (t->slots[s].key == key) {
				if (t->slots[s].content == content)
					return 1;
				if (!*other)
					*other = t->slots[s].event_id;
			}
			s = (s + 1) & (t->cap - 1);
		}
	}
	if (!t->overflow)
		return 0;
	st = m365f__case_stmt(c,
			      "SELECT content_hash, id FROM events WHERE"
			      " dedup_key = ?1 ORDER BY id",
			      NULL);
	if (!st)
		return M365F_EDB;
	sqlite3_bind_int64(st, 1, key);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 0) == content) {
			sqlite3_reset(st);
			return 1;
		}
		if (!*other)
			*other = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return r == SQLITE_DONE ? 0 : M365F_EDB;
}

/* Take out the entries of a rolled-back source (ids above base). */
static int dd_drop_from(m365f_case *c, dd_table *t, int64_t base)
{
	dd_entry *old = t->slots;
	size_t oldcap = t->cap, i;
	int rc = M365F_OK;

	if (!oldcap)
		return M365F_OK;
	t->slots = calloc(oldcap, sizeof(*t->slots));
	if (!t->slots) {
		t->slots = old;
		return M365F_ENOMEM;
	}
	t->used = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].key && old[i].event_id <= base)
			rc |= dd_add(c, t, old[i].key, old[i].content,
				     old[i].event_id);
	free(old);
	return rc;
}

static int dd_load(m365f__ingest *ing, m365f_error *err)
{
	sqlite3_stmt *st;
	int rc = M365F_OK;

	if (ing->dd.loaded)
		return M365F_OK;
	if (sqlite3_prepare_v2(ing->c->db,
			       "SELECT dedup_key, content_hash, id FROM events"
			       " WHERE dedup_key IS NOT NULL",
			       -1, &st, NULL) != SQLITE_OK)
		return m365f__error_db(err, ing->c->db, "dedup index");
	while (sqlite3_step(st) == SQLITE_ROW && !rc && !ing->dd.overflow)
		rc = dd_add(ing->c, &ing->dd, sqlite3_column_int64(st, 0),
			    sqlite3_column_int64(st, 1),
			    sqlite3_column_int64(st, 2));
	sqlite3_finalize(st);
	if (rc == M365F_EDB)
		return m365f__error_db(err, ing->c->db, "dedup index");
	if (rc)
		return m365f__error_set(err, rc, "out of memory");
	ing->dd.loaded = true;
	return M365F_OK;
}

/* ----------------------------------------------------------------- store */

static const char *sql_event =
	"INSERT INTO events(time, source_id, line, record_no, product,"
	" workload, record_type, record_type_name, operation, op_norm,"
	" result, result_code, user, client_ip, client_port, user_agent,"
	" object, app_id, session_id, token_id, correlation_id, record_id,"
	" dedup_key, content_hash, raw_offset, raw_length, raw)"
	" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
	"?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27)";
static const char *sql_conflict =
	"INSERT INTO conflicts(event_id, other_event_id, record_id)"
	" VALUES (?1,?2,?3)";
static const char *sql_reject =
	"INSERT INTO rejects(source_id, line, record_no, field, col, reason,"
	" raw) VALUES (?1,?2,?3,?4,?5,?6,?7)";

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Operation folded for matching: lower case, en/em dashes to '-', runs of
 * white space to one space, trailing dots and spaces removed. So the UAL's
 * "Consent to application." and Entra's "Consent to application" meet,
 * and "Update application – Certificates and secrets management " too. */
void m365f__op_norm(const char *op, size_t n, char *out)
{
	size_t i, o = 0;
	bool space = false;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)op[i];

		if (ch == 0xE2 && i + 2 < n && (unsigned char)op[i + 1] == 0x80 &&
		    ((unsigned char)op[i + 2] == 0x93 ||
		     (unsigned char)op[i + 2] == 0x94)) {
			ch = '-';
			i += 2;
		}
		if (ch == 0xC2 && i + 1 < n &&
		    (unsigned char)op[i + 1] == 0xA0) {
			/* U+00A0 no-break space, two bytes in UTF-8 */
			ch = ' ';
			i++;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
			space = o > 0;
			continue;
		}
		if (space) {
			out[o++] = ' ';
			space = false;
		}
		out[o++] = (char)(ch < 0x80 ? tolower(ch) : ch);
	}
	while (o > 0 && (out[o - 1] == '.' || out[o - 1] == ' '))
		o--;
	out[o] = '\0';
}

/* ASCII lower case of s into out (n + 1 bytes) */
static void lower_into(const char *s, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
}

/* The zlib copy of a raw record (the same bytes compress2() at level 1
 * gives), with one deflate state reset per record instead of one set up
 * and freed per record. */
static int raw_deflate(m365f__ingest *ing, const m365f__loc *loc,
		       uLong *outlen)
{
	uLong bound;

	if (loc->length > UINT32_MAX / 2)
		return M365F_ELIMIT;
	if (!ing->z_ready) {
		memset(&ing->z, 0, sizeof(ing->z));
		if (deflateInit(&ing->z, 1) != Z_OK)
			return M365F_ENOMEM;
		ing->z_ready = true;
	} else if (deflateReset(&ing->z) != Z_OK) {
		return M365F_ERROR;
	}
	bound = deflateBound(&ing->z, (uLong)loc->length);
	if (bound > ing->zcap) {
		unsigned char *p = realloc(ing->zbuf, bound);

		if (!p)
			return M365F_ENOMEM;
		ing->zbuf = p;
		ing->zcap = bound;
	}
	ing->z.next_in = (Bytef *)(uintptr_t)loc->raw;
	ing->z.avail_in = (uInt)loc->length;
	ing->z.next_out = ing->zbuf;
	ing->z.avail_out = (uInt)bound;
	if (deflate(&ing->z, Z_FINISH) != Z_STREAM_END)
		return M365F_ERROR;
	*outlen = ing->z.total_out;
	return M365F_OK;
}

/* The statement inserting 32 >> size rows into the table, prepared once
 * per ingest. */
static sqlite3_stmt *detail_stmt(m365f__ingest *ing, int table, int size)
{
	static const char *const head[2] = {
		"INSERT INTO event_params(event_id, name, value) VALUES ",
		"INSERT INTO event_props(event_id, kind, name, old_value,"
		" new_value) VALUES "
	};
	static const char *const row[2] = { "(?,?,?)", "(?,?,?,?,?)" };
	sqlite3_stmt *st = ing->st_detail[table][size];
	size_t rows = (size_t)DETAIL_ROWS >> size, i;
	m365f__buf sql;
	int rc;

	if (st)
		return st;
	m365f__buf_init(&sql, 0);
	rc = m365f__buf_append(&sql, head[table], strlen(head[table]));
	for (i = 0; i < rows && !rc; i++)
		rc = (i && m365f__buf_putc(&sql, ',')) ||
		     m365f__buf_append(&sql, row[table], strlen(row[table]));
	if (!rc && sqlite3_prepare_v3(ing->c->db, sql.data, (int)sql.len,
				      SQLITE_PREPARE_PERSISTENT, &st,
				      NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		st = NULL;
	}
	m365f__buf_free(&sql);
	ing->st_detail[table][size] = st;
	return st;
}

/* Insert the first 32 >> size waiting rows of the table. */
static int insert_details(m365f__ingest *ing, int table, size_t from,
			  int size)
{
	sqlite3_stmt *st = detail_stmt(ing, table, size);
	size_t rows = (size_t)DETAIL_ROWS >> size, i;
	int k = 1;

	if (!st)
		return M365F_EDB;
	for (i = from; i < from + rows; i++) {
		const detail_row *r = &ing->pend[table][i];

		sqlite3_bind_int64(st, k++, r->event_id);
		if (table == DETAIL_PARAMS) {
			sqlite3_bind_text(st, k++, r->name ? r->name : "", -1,
					  SQLITE_STATIC);
		} else {
			sqlite3_bind_text(st, k++, r->kind ? r->kind : "", -1,
					  SQLITE_STATIC);
			bind_opt(st, k++, r->name);
			bind_opt(st, k++, r->old_value);
		}
		bind_opt(st, k++, r->new_value);
	}
	k = sqlite3_step(st);
	sqlite3_reset(st);
	return k == SQLITE_DONE ? M365F_OK : M365F_EDB;
}

/* Insert every waiting row, the texts they point at being about to go;
 * after an error (rc) only drop them: the source is rolled back. */
static int flush_details(m365f__ingest *ing, int rc)
{
	int table, size;

	for (table = 0; table < 2; table++) {
		size_t from = 0, n = ing->npend[table], rows;

		for (size = 0; size < DETAIL_SIZES && !rc; size++) {
			rows = (size_t)DETAIL_ROWS >> size;
			for (; !rc && n - from >= rows; from += rows)
				rc = insert_details(ing, table, from, size);
		}
		ing->npend[table] = 0;
	}
	return rc;
}

static int queue_detail(m365f__ingest *ing, int table, const detail_row *r)
{
	ing->pend[table][ing->npend[table]++] = *r;
	if (ing->npend[table] < DETAIL_ROWS)
		return M365F_OK;
	ing->npend[table] = 0;
	return insert_details(ing, table, 0, 0);
}

static void free_details(m365f__ingest *ing)
{
	int table, size;

	for (table = 0; table < 2; table++)
		for (size = 0; size < DETAIL_SIZES; size++) {
			sqlite3_finalize(ing->st_detail[table][size]);
			ing->st_detail[table][size] = NULL;
		}
	ing->npend[0] = ing->npend[1] = 0;
}

/* Store one event (dedup, events row, conflict, params, props): inline or
 * on the store thread. */
static int store_db(m365f__ingest *ing, const m365f__event *ev,
		    const m365f__loc *loc, int64_t *event_id)
{
	m365f_case *c = ing->c;
	sqlite3_stmt *st;
	int64_t dkey = 0, other = 0, id;
	char ip[64], ubuf[320], obuf[192], *user = NULL, *opn = NULL;
	int port = 0;
	size_t i;
	int rc = M365F_OK;
	uLong zlen = 0;
	m365f_error err;

	if (event_id)
		*event_id = 0;
	m365f__error_clear(&err);
	if (ev->record_id && *ev->record_id) {
		const char *parts[2] = { ev->product, ev->record_id };

		dkey = m365f__hash_parts(parts, 2);
		rc = dd_find(c, &ing->dd, dkey, ev->content_hash, &other);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			ing->duplicates++;
			return M365F_OK;
		}
		rc = M365F_OK;
	}
	st = m365f__case_stmt(c, sql_event, &err);
	if (!st)
		return M365F_EDB;
	/* user and folded operation: on the stack unless long */
	if (ev->user && *ev->user) {
		size_t n = strlen(ev->user);

		user = n < sizeof(ubuf) ? ubuf : malloc(n + 1);
		if (!user)
			return M365F_ENOMEM;
		lower_into(ev->user, n, user);
	}
	if (ev->operation && *ev->operation) {
		size_t n = strlen(ev->operation);

		opn = n < sizeof(obuf) ? obuf : malloc(n + 1);
		if (!opn) {
			if (user != ubuf)
				free(user);
			return M365F_ENOMEM;
		}
		m365f__op_norm(ev->operation, n, opn);
	}
	ip[0] = '\0';
	if (ev->client_ip && *ev->client_ip)
		m365f__ip_normalize(ev->client_ip, strlen(ev->client_ip), ip,
				    &port);
	sqlite3_bind_int64(st, 1, ev->time_ms);
	sqlite3_bind_int64(st, 2, ing->source_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)loc->line);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)loc->record);
	bind_opt(st, 5, ev->product);
	bind_opt(st, 6, ev->workload);
	if (ev->record_type >= 0)
		sqlite3_bind_int(st, 7, ev->record_type);
	bind_opt(st, 8, ev->record_type_name);
	bind_opt(st, 9, ev->operation);
	bind_opt(st, 10, opn);
	bind_opt(st, 11, ev->result);
	bind_opt(st, 12, ev->result_code);
	bind_opt(st, 13, user);
	bind_opt(st, 14, ip);
	if (port)
		sqlite3_bind_int(st, 15, port);
	bind_opt(st, 16, ev->user_agent);
	bind_opt(st, 17, ev->object);
	bind_opt(st, 18, ev->app_id);
	bind_opt(st, 19, ev->session_id);
	bind_opt(st, 20, ev->token_id);
	bind_opt(st, 21, ev->correlation_id);
	bind_opt(st, 22, ev->record_id);
	if (dkey)
		sqlite3_bind_int64(st, 23, dkey);
	if (ev->content_hash)
		sqlite3_bind_int64(st, 24, ev->content_hash);
	sqlite3_bind_int64(st, 25, (sqlite3_int64)loc->offset);
	sqlite3_bind_int64(st, 26, (sqlite3_int64)loc->length);
	if (ing->opts.raw == M365F_RAW_COPY && loc->raw) {
		rc = raw_deflate(ing, loc, &zlen);
		if (rc)
			goto out;
		sqlite3_bind_blob64(st, 27, ing->zbuf, zlen, SQLITE_STATIC);
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = M365F_EDB;
		goto out;
	}
	id = sqlite3_last_insert_rowid(c->db);
	if (event_id)
		*event_id = id;
	ing->stored++;
	/* time 0 means unknown (rule dumps carry no time): not in the span */
	if (ev->time_ms && (!ing->first_time || ev->time_ms < ing->first_time))
		ing->first_time = ev->time_ms;
	if (ev->time_ms && (!ing->last_time || ev->time_ms > ing->last_time))
		ing->last_time = ev->time_ms;
	if (dkey) {
		rc = dd_add(c, &ing->dd, dkey, ev->content_hash, id);
		if (rc)
			goto out;
		if (other) {
			st = m365f__case_stmt(c, sql_conflict, &err);
			if (!st) {
				rc = M365F_EDB;
				goto out;
			}
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, other);
			bind_opt(st, 3, ev->record_id);
			if (sqlite3_step(st) != SQLITE_DONE) {
				rc = M365F_EDB;
				goto out;
			}
			ing->conflicts++;
		}
	}
	for (i = 0; i < ev->nparams && !rc; i++) {
		detail_row r = { id, NULL, ev->params[i].name, NULL,
				 ev->params[i].value };

		rc = queue_detail(ing, DETAIL_PARAMS, &r);
	}
	for (i = 0; i < ev->nprops && !rc; i++) {
		detail_row r = { id, ev->props[i].kind, ev->props[i].name,
				 ev->props[i].old_value,
				 ev->props[i].new_value };

		rc = queue_detail(ing, DETAIL_PROPS, &r);
	}
	if (rc)
		goto out;
	/* a mailbox rule operation: its inbox_rules row now, not in a pass
	 * over the case at the end */
	if (opn)
		rc = m365f__rules_from_event(c, id, opn, user, ev, &err);
out:
	if (user != ubuf)
		free(user);
	if (opn != obuf)
		free(opn);
	return rc;
}

static int reject_db(m365f__ingest *ing, const m365f__loc *loc,
		     const char *field, unsigned long column, const char *text)
{
	sqlite3_stmt *st = m365f__case_stmt(ing->c, sql_reject, NULL);

	if (!st)
		return M365F_EDB;
	sqlite3_bind_int64(st, 1, ing->source_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)loc->line);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)loc->record);
	bind_opt(st, 4, field);
	if (column)
		sqlite3_bind_int64(st, 5, (sqlite3_int64)column);
	sqlite3_bind_text(st, 6, text, -1, SQLITE_STATIC);
	if (loc->raw)
		sqlite3_bind_blob64(st, 7, loc->raw, loc->length,
				    SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(st, 7, 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		return M365F_EDB;
	return M365F_OK;
}

/* ------------------------------------------------------ the store thread */

/* In a UAL source the store runs on a second thread (pipeline.c): the
 * reading thread serializes each event or reject into a batch, the store
 * thread decodes and stores them in order, so the case ends up exactly as
 * if they had been stored inline. Whoever needs the event id or the
 * database drains the queue first (m365f__ingest_sync). */

#define NO_BYTES UINT64_MAX

static int put_str(m365f__buf *b, const char *s)
{
	return m365f__put_bytes(b, s, s ? strlen(s) : 0);
}

/* the location, and raw bytes (NULL allowed) */
static int put_loc(m365f__buf *b, char kind, const m365f__loc *loc,
		   const char *raw)
{
	int rc = m365f__buf_putc(b, kind);

	rc |= m365f__put_u64(b, loc->line);
	rc |= m365f__put_u64(b, loc->record);
	rc |= m365f__put_u64(b, loc->offset);
	rc |= m365f__put_u64(b, loc->length);
	if (raw) {
		rc |= m365f__put_u64(b, loc->length);
		rc |= m365f__buf_append(b, raw, (size_t)loc->length);
	} else {
		rc |= m365f__put_u64(b, NO_BYTES);
	}
	return rc ? M365F_ENOMEM : M365F_OK;
}

typedef struct {
	const char *p;
} reader;

static const char *get_str(reader *r)
{
	size_t len;

	return m365f__get_bytes(&r->p, &len);
}

static int enqueue_event(m365f__ingest *ing, const m365f__event *ev)
{
	m365f__buf *b = m365f__pipe_buf(ing->pipe);
	bool copy = ing->opts.raw == M365F_RAW_COPY && ing->loc.raw;
	size_t i;
	int rc;

	rc = put_loc(b, 'E', &ing->loc, copy ? ing->loc.raw : NULL);
	rc |= m365f__put_u64(b, (uint64_t)ev->time_ms);
	rc |= m365f__put_u64(b, (uint64_t)(int64_t)ev->record_type);
	rc |= m365f__put_u64(b, (uint64_t)ev->content_hash);
	rc |= put_str(b, ev->product);
	rc |= put_str(b, ev->workload);
	rc |= put_str(b, ev->record_type_name);
	rc |= put_str(b, ev->operation);
	rc |= put_str(b, ev->result);
	rc |= put_str(b, ev->result_code);
	rc |= put_str(b, ev->user);
	rc |= put_str(b, ev->client_ip);
	rc |= put_str(b, ev->user_agent);
	rc |= put_str(b, ev->object);
	rc |= put_str(b, ev->app_id);
	rc |= put_str(b, ev->session_id);
	rc |= put_str(b, ev->token_id);
	rc |= put_str(b, ev->correlation_id);
	rc |= put_str(b, ev->record_id);
	rc |= m365f__put_u64(b, ev->nparams);
	for (i = 0; i < ev->nparams; i++) {
		rc |= put_str(b, ev->params[i].name);
		rc |= put_str(b, ev->params[i].value);
	}
	rc |= m365f__put_u64(b, ev->nprops);
	for (i = 0; i < ev->nprops; i++) {
		rc |= put_str(b, ev->props[i].kind);
		rc |= put_str(b, ev->props[i].name);
		rc |= put_str(b, ev->props[i].old_value);
		rc |= put_str(b, ev->props[i].new_value);
	}
	if (rc)
		return M365F_ENOMEM;
	return m365f__pipe_commit(ing->pipe);
}

/* Grow the store thread's decode arrays. */
static int wk_lists(m365f__ingest *ing, size_t np, size_t nq)
{
	if (np > ing->wk_nparams) {
		m365f__kv *a = realloc(ing->wk_params, np * sizeof(*a));

		if (!a)
			return M365F_ENOMEM;
		ing->wk_params = a;
		ing->wk_nparams = np;
	}
	if (nq > ing->wk_nprops) {
		m365f__prop *a = realloc(ing->wk_props, nq * sizeof(*a));

		if (!a)
			return M365F_ENOMEM;
		ing->wk_props = a;
		ing->wk_nprops = nq;
	}
	return M365F_OK;
}

/* Have the kernel start writing the case's pages to disk as the load goes
 * (every 64 batches: 32 MiB of events handed to the store), so the commit
 * at the end of a source does not wait for all of them: on a 1M-record
 * load its wait went from 0.5 s to 0.2 s. A hint only; where the system
 * has none, nothing. */
static void writeback_hint(m365f__ingest *ing)
{
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
	if (ing->wb_fd >= 0 && ++ing->wb_batches >= 64) {
		ing->wb_batches = 0;
		(void)sync_file_range(ing->wb_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	}
#else
	(void)ing;
#endif
}

/* The store thread: decode a batch and store it. */
static int consume(void *ctx, const char *data, size_t len)
{
	m365f__ingest *ing = ctx;
	reader r = { data };
	const char *end = data + len;
	int rc = M365F_OK;

	while (r.p < end && !rc) {
		char kind = *r.p++;
		m365f__loc loc;
		uint64_t rawlen;

		memset(&loc, 0, sizeof(loc));
		loc.line = (unsigned long)m365f__get_u64(&r.p);
		loc.record = (unsigned long)m365f__get_u64(&r.p);
		loc.offset = m365f__get_u64(&r.p);
		loc.length = m365f__get_u64(&r.p);
		rawlen = m365f__get_u64(&r.p);
		if (rawlen != NO_BYTES) {
			loc.raw = r.p;
			r.p += rawlen;
		}
		if (kind == 'R') {
			const char *field = get_str(&r);
			unsigned long column = (unsigned long)m365f__get_u64(&r.p);
			const char *text = get_str(&r);

			rc = reject_db(ing, &loc, field, column, text);
		} else {
			m365f__event ev;
			size_t i;

			memset(&ev, 0, sizeof(ev));
			ev.time_ms = (int64_t)m365f__get_u64(&r.p);
			ev.record_type = (int)(int64_t)m365f__get_u64(&r.p);
			ev.content_hash = (int64_t)m365f__get_u64(&r.p);
			ev.product = get_str(&r);
			ev.workload = get_str(&r);
			ev.record_type_name = get_str(&r);
			ev.operation = get_str(&r);
			ev.result = get_str(&r);
			ev.result_code = get_str(&r);
			ev.user = get_str(&r);
			ev.client_ip = get_str(&r);
			ev.user_agent = get_str(&r);
			ev.object = get_str(&r);
			ev.app_id = get_str(&r);
			ev.session_id = get_str(&r);
			ev.token_id = get_str(&r);
			ev.correlation_id = get_str(&r);
			ev.record_id = get_str(&r);
			ev.nparams = (size_t)m365f__get_u64(&r.p);
			if (wk_lists(ing, ev.nparams, 0))
				return M365F_ENOMEM;
			for (i = 0; i < ev.nparams; i++) {
				ing->wk_params[i].name = get_str(&r);
				ing->wk_params[i].value = get_str(&r);
			}
			ev.nprops = (size_t)m365f__get_u64(&r.p);
			if (wk_lists(ing, 0, ev.nprops))
				return M365F_ENOMEM;
			for (i = 0; i < ev.nprops; i++) {
				ing->wk_props[i].kind = get_str(&r);
				ing->wk_props[i].name = get_str(&r);
				ing->wk_props[i].old_value = get_str(&r);
				ing->wk_props[i].new_value = get_str(&r);
			}
			ev.params = ing->wk_params;
			ev.props = ing->wk_props;
			rc = store_db(ing, &ev, &loc, NULL);
		}
	}
	/* the batch is reused once this returns */
	rc = flush_details(ing, rc);
	writeback_hint(ing);
	return rc;
}

int m365f__ingest_sync(m365f__ingest *ing)
{
	int rc;

	if (!ing->pipe)
		return M365F_OK;
	rc = m365f__pipe_free(ing->pipe);
	ing->pipe = NULL;
	return rc;
}

int m365f__store_event(m365f__ingest *ing, const m365f__event *ev,
		       int64_t *event_id)
{
	if (ing->pipe) {
		int rc;

		if (!event_id)
			return enqueue_event(ing, ev);
		rc = m365f__ingest_sync(ing);
		if (rc)
			return rc;
	}
	return flush_details(ing, store_db(ing, ev, &ing->loc, event_id));
}

int m365f__store_reject(m365f__ingest *ing, const char *field,
			unsigned long column, const char *fmt, ...)
{
	m365f_error diag;
	va_list ap;
	int rc;

	m365f__error_clear(&diag);
	m365f__error_source(&diag, ing->source_name);
	diag.code = M365F_EPARSE;
	diag.line = ing->loc.line;
	diag.column = column;
	diag.record = ing->loc.record;
	if (field)
		snprintf(diag.field, sizeof(diag.field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(diag.text, sizeof(diag.text), fmt, ap);
	va_end(ap);

	if (ing->pipe) {
		m365f__buf *b = m365f__pipe_buf(ing->pipe);

		rc = put_loc(b, 'R', &ing->loc,
			     ing->loc.raw ? ing->loc.raw : NULL);
		rc |= put_str(b, field);
		rc |= m365f__put_u64(b, column);
		rc |= put_str(b, diag.text);
		if (rc)
			return M365F_ENOMEM;
		rc = m365f__pipe_commit(ing->pipe);
	} else {
		rc = reject_db(ing, &ing->loc, field, column, diag.text);
	}
	if (rc)
		return rc;
	ing->rejected++;
	if (ing->opts.diag_cb)
		ing->opts.diag_cb(&diag, ing->opts.payload);
	return M365F_OK;
}

/* ------------------------------------------------------------- one source */

static void now_iso(char out[32])
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	m365f__time_format((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
			   out);
}

/* A source that was handed in but not stored (not recognized, unreadable,
 * over a limit) is still part of the evidence inventory: a sources row
 * with its status and reason, and its hash when every byte was read. */
static int record_unread(m365f__ingest *ing, m365f_source_summary *s)
{
	sqlite3_stmt *st;
	char now[32];

	now_iso(now);
	st = m365f__case_stmt(ing->c,
			      "INSERT INTO sources(path, size, sha256, format,"
			      " product, encoding, compression, ingested_at,"
			      " lib_version, status, message) VALUES (?1, ?2,"
			      " ?3, '', '', ?4, ?5, ?6, ?7, ?8, ?9)",
			      NULL);
	if (!st)
		return M365F_EDB;
	sqlite3_bind_text(st, 1, s->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)s->size);
	sqlite3_bind_text(st, 3, s->sha256 ? s->sha256 : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 4, s->encoding ? s->encoding : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ing->in && m365f__input_gzip(ing->in)
					 ? "gzip"
					 : "none",
			  -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, M365F_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, s->status == M365F_SOURCE_SKIPPED ? "skipped"
								    : "failed",
			  -1, SQLITE_STATIC);
	if (s->error && s->error->text[0])
		sqlite3_bind_text(st, 9, s->error->text, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return M365F_EDB;
	s->id = sqlite3_last_insert_rowid(ing->c->db);
	return M365F_OK;
}

static int report(m365f__ingest *ing, const m365f_source_summary *s)
{
	m365f_source_summary copy = *s;

	if ((s->status == M365F_SOURCE_SKIPPED ||
	     s->status == M365F_SOURCE_FAILED) &&
	    !(s->error && s->error->code == M365F_EDB)) {
		int rc = record_unread(ing, &copy);

		if (rc)
			return rc;
	}
	if (ing->opts.source_cb)
		return ing->opts.source_cb(&copy, ing->opts.payload);
	return 0;
}

int m365f__ingest_unread(m365f__ingest *ing, const char *path, int status,
			 int code, const char *fmt, ...)
{
	m365f_source_summary sum;
	m365f_error e;
	va_list ap;

	memset(&sum, 0, sizeof(sum));
	m365f__error_clear(&e);
	m365f__error_source(&e, path);
	e.code = code;
	va_start(ap, fmt);
	vsnprintf(e.text, sizeof(e.text), fmt, ap);
	va_end(ap);
	sum.path = path;
	sum.sha256 = sum.format = sum.product = sum.encoding = "";
	sum.status = status;
	sum.error = &e;
	return report(ing, &sum);
}

static int learn_domains(m365f__ingest *ing, m365f_error *err)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < ing->ndomains; i++) {
		st = m365f__case_stmt(ing->c,
				      "INSERT OR IGNORE INTO internal_domains"
				      "(domain, origin) VALUES (?1, 'learned')",
				      err);
		if (!st)
			return M365F_EDB;
		sqlite3_bind_text(st, 1, ing->domains[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return m365f__error_db(err, ing->c->db, "domains");
	}
	return M365F_OK;
}

static void domains_reset(m365f__ingest *ing)
{
	size_t i;

	for (i = 0; i < ing->ndomains; i++)
		free(ing->domains[i]);
	ing->ndomains = 0;
}

/* Ingest one opened input. Returns an error only for failures that must
 * stop the whole run (database); per-source problems are reported. */
static int ingest_input(m365f__ingest *ing, m365f__input *in, const char *path)
{
	m365f_source_summary sum;
	m365f_error serr, derr;
	const char *p;
	size_t n;
	m365f__kind kind = M365F__KIND_UNKNOWN;
	const m365f__csv_format *csvfmt = NULL;
	char hex[65] = "", now[32];
	sqlite3_stmt *st;
	int rc, status = M365F_SOURCE_INGESTED;
	const char *product = "";

	memset(&sum, 0, sizeof(sum));
	m365f__error_clear(&serr);
	m365f__error_clear(&derr);
	ing->source_name = path;
	ing->format = NULL;
	ing->records = ing->stored = ing->duplicates = ing->rejected = 0;
	ing->conflicts = 0;
	ing->first_time = ing->last_time = 0;
	ing->in = in;
	ing->date_order = 0;
	ing->next_progress = 0;
	memset(&ing->loc, 0, sizeof(ing->loc));
	domains_reset(ing);

	rc = m365f__input_peek(in, &p, &n, SNIFF_BYTES, &serr);
	if (!rc)
		rc = m365f__sniff(p, n, n < SNIFF_BYTES, &kind, &csvfmt, &serr);
	if (rc) {
		m365f_error ferr;
		int frc;

		/* the hash must cover every byte; if the rest cannot be read
		 * (I/O, a size or ratio limit) that is the source's failure */
		m365f__error_clear(&ferr);
		frc = m365f__input_finish(in, hex, &ferr);
		if (frc) {
			serr = ferr;
			rc = frc;
			hex[0] = '\0';
		}
		m365f__error_source(&serr, path);
		sum.path = path;
		sum.sha256 = hex;
		sum.format = "";
		sum.product = "";
		sum.encoding = m365f__input_encoding(in);
		sum.size = m365f__input_size(in);
		sum.status = rc == M365F_EFORMAT ? M365F_SOURCE_SKIPPED
						 : M365F_SOURCE_FAILED;
		sum.error = &serr;
		return report(ing, &sum);
	}

	rc = m365f__case_exec(ing->c, "BEGIN IMMEDIATE", &derr);
	if (rc)
		goto dbfail;
	now_iso(now);
	st = m365f__case_stmt(ing->c,
			      "INSERT INTO sources(path, size, sha256, format,"
			      " product, encoding, compression, ingested_at,"
			      " lib_version) VALUES (?1, 0, '', '', '', '',"
			      " '', ?2, ?3)",
			      &derr);
	if (!st)
		goto dbfail_rb;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, M365F_VERSION, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		m365f__error_db(&derr, ing->c->db, "sources");
		goto dbfail_rb;
	}
	ing->source_id = sqlite3_last_insert_rowid(ing->c->db);
	st = m365f__case_stmt(ing->c, "SELECT coalesce(max(id), 0) FROM events",
			      &derr);
	if (!st)
		goto dbfail_rb;
	if (sqlite3_step(st) != SQLITE_ROW) {
		m365f__error_db(&derr, ing->c->db, "events");
		goto dbfail_rb;
	}
	ing->base_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);

	/* UAL records are stored by a second thread (JSON sources go back to
	 * inline at their first record of another product); without a
	 * thread everything is stored inline */
	if (kind == M365F__KIND_JSON || !strcmp(csvfmt->product, "ual"))
		m365f__pipe_start(&ing->pipe, consume, ing);
	if (kind == M365F__KIND_CSV) {
		product = csvfmt->product;
		ing->format = csvfmt->name;
		rc = m365f__read_csv(ing, in, csvfmt, &serr);
	} else {
		rc = m365f__read_json(ing, in, &serr);
	}
	{
		int src = m365f__ingest_sync(ing);

		if (src && (!rc || src == M365F_EDB))
			rc = src;
	}
	if (rc == M365F_EDB) {
		/* the store says why (a full disk, a locked case) */
		if (!serr.text[0] ||
		    !strcmp(serr.text, m365f_strerror(M365F_EDB)))
			m365f__error_db(&serr, ing->c->db, "storing records");
		derr = serr;
		goto dbfail_rb;
	}
	if (!rc)
		rc = m365f__input_finish(in, hex, &serr);
	if (rc) {
		/* I/O, limit or unrecognized content: nothing of it is kept */
		m365f__error_source(&serr, path);
		if (!serr.text[0])
			m365f__error_set(&serr, rc, "%s", m365f_strerror(rc));
		m365f__case_exec(ing->c, "ROLLBACK", NULL);
		dd_drop_from(ing->c, &ing->dd, ing->base_id);
		if (!hex[0] && m365f__input_finish(in, hex, NULL))
			hex[0] = '\0';
		sum.path = path;
		sum.sha256 = hex;
		sum.format = ing->format ? ing->format : "";
		sum.product = product;
		sum.encoding = m365f__input_encoding(in);
		sum.size = m365f__input_size(in);
		sum.records = ing->records;
		sum.status = rc == M365F_EFORMAT ? M365F_SOURCE_SKIPPED
						 : M365F_SOURCE_FAILED;
		sum.error = &serr;
		return report(ing, &sum);
	}
	if (kind == M365F__KIND_JSON) {
		const m365f__json_format *jf = NULL;
		size_t i;

		for (i = 0; m365f__json_formats[i]; i++)
			if (ing->format &&
			    !strcmp(m365f__json_formats[i]->name, ing->format))
				jf = m365f__json_formats[i];
		product = jf ? jf->product : "";
	}

	/* same bytes already in the case? */
	st = m365f__case_stmt(ing->c,
			      "SELECT id FROM sources WHERE sha256 = ?1 AND"
			      " id <> ?2 AND status = 'ingested' LIMIT 1",
			      &derr);
	if (!st)
		goto dbfail_rb;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ing->source_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int64_t prev = sqlite3_column_int64(st, 0);

		sqlite3_reset(st);
		m365f__case_exec(ing->c, "ROLLBACK", NULL);
		dd_drop_from(ing->c, &ing->dd, ing->base_id);
		m365f__error_source(&serr, path);
		m365f__error_set(&serr, M365F_OK,
				 "already in the case as source %lld",
				 (long long)prev);
		sum.id = prev;
		sum.path = path;
		sum.sha256 = hex;
		sum.format = ing->format ? ing->format : "";
		sum.product = product;
		sum.encoding = m365f__input_encoding(in);
		sum.size = m365f__input_size(in);
		sum.status = M365F_SOURCE_ALREADY;
		sum.error = &serr;
		return report(ing, &sum);
	}
	sqlite3_reset(st);

	rc = learn_domains(ing, &derr);
	if (rc)
		goto dbfail_rb;
	st = m365f__case_stmt(ing->c,
			      "UPDATE sources SET size = ?2, sha256 = ?3,"
			      " format = ?4, product = ?5, encoding = ?6,"
			      " compression = ?7, records = ?8, stored = ?9,"
			      " duplicates = ?10, rejected = ?11,"
			      " conflicts = ?12, first_time = ?13,"
			      " last_time = ?14 WHERE id = ?1",
			      &derr);
	if (!st)
		goto dbfail_rb;
	sqlite3_bind_int64(st, 1, ing->source_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)m365f__input_size(in));
	sqlite3_bind_text(st, 3, hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ing->format ? ing->format : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 5, product, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, m365f__input_encoding(in), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, m365f__input_gzip(in) ? "gzip" : "none", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)ing->records);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)ing->stored);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)ing->duplicates);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)ing->rejected);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)ing->conflicts);
	if (ing->first_time) {
		sqlite3_bind_int64(st, 13, ing->first_time);
		sqlite3_bind_int64(st, 14, ing->last_time);
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		m365f__error_db(&derr, ing->c->db, "sources");
		goto dbfail_rb;
	}
	rc = m365f__case_exec(ing->c, "COMMIT", &derr);
	if (rc)
		goto dbfail_rb;
	if (ing->ndomains)
		m365f__sqlfunc_invalidate(ing->c);

	sum.id = ing->source_id;
	sum.path = path;
	sum.sha256 = hex;
	sum.format = ing->format ? ing->format : "";
	sum.product = product;
	sum.encoding = m365f__input_encoding(in);
	sum.size = m365f__input_size(in);
	sum.records = ing->records;
	sum.stored = ing->stored;
	sum.duplicates = ing->duplicates;
	sum.rejected = ing->rejected;
	sum.conflicts = ing->conflicts;
	sum.status = status;
	return report(ing, &sum);

dbfail_rb:
	m365f__case_exec(ing->c, "ROLLBACK", NULL);
	dd_drop_from(ing->c, &ing->dd, ing->base_id);
dbfail:
	m365f__error_source(&derr, path);
	if (!derr.code)
		derr.code = M365F_EDB;
	if (ing->opts.source_cb) {
		sum.path = path;
		sum.sha256 = hex;
		sum.format = ing->format ? ing->format : "";
		sum.product = product;
		sum.encoding = m365f__input_encoding(in);
		sum.status = M365F_SOURCE_FAILED;
		sum.error = &derr;
		report(ing, &sum);
	}
	return M365F_EDB;
}

/* --------------------------------------------------------------- walking */

typedef struct {
	dev_t dev;
	ino_t ino;
} dir_id;

static int walk(m365f__ingest *ing, const char *path, dir_id *stack,
		int depth, m365f_error *err);

static int ingest_file(m365f__ingest *ing, const char *path)
{
	m365f__input *in = NULL;
	m365f_error e;
	int rc;

	m365f__error_clear(&e);
	if (m365f__archive_is(path))
		return m365f__archive_ingest(ing, path);
	rc = m365f__input_open_file(&in, path, &ing->opts, &e);
	if (rc)
		return m365f__ingest_unread(ing, path, M365F_SOURCE_FAILED,
					    M365F_EIO, "%s", e.text);
	return m365f__ingest_source(ing, in, path);
}

/* One opened source (a file or an archive member); frees the input. */
int m365f__ingest_source(m365f__ingest *ing, m365f__input *in,
			 const char *name)
{
	int rc = ingest_input(ing, in, name);

	m365f__input_free(in);
	ing->in = NULL;
	m365f__strpool_reset(&ing->pool);
	return rc;
}

int m365f__ingest_report(m365f__ingest *ing, const m365f_source_summary *s)
{
	return report(ing, s);
}

const m365f_ingest_options *m365f__ingest_opts(const m365f__ingest *ing)
{
	return &ing->opts;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int walk(m365f__ingest *ing, const char *path, dir_id *stack,
		int depth, m365f_error *err)
{
	struct stat st;
	struct dirent **list = NULL;
	int n, i, rc = M365F_OK;

	if (stat(path, &st) != 0)
		return m365f__ingest_unread(ing, path, M365F_SOURCE_FAILED,
					    M365F_EIO,
					    "cannot open: %s", strerror(errno));
	/* a FIFO, socket or device in an evidence folder is never opened:
	 * opening a FIFO without a writer would hang the run */
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return m365f__ingest_unread(ing, path, M365F_SOURCE_FAILED,
					    M365F_EIO,
					    "not a regular file; not read");
	if (!S_ISDIR(st.st_mode))
		return ingest_file(ing, path);
	for (i = 0; i < depth; i++) {
		if (stack[i].dev == st.st_dev && stack[i].ino == st.st_ino)
			return m365f__ingest_unread(
				ing, path, M365F_SOURCE_SKIPPED, M365F_EIO,
				"folder loop (link to a parent folder); "
				"not followed");
	}
	if (depth >= MAX_WALK_DEPTH)
		return m365f__error_set(err, M365F_ELIMIT,
					"folders nested too deep at %s", path);
	stack[depth].dev = st.st_dev;
	stack[depth].ino = st.st_ino;
	n = scandir(path, &list, NULL, name_cmp);
	if (n < 0)
		return m365f__ingest_unread(ing, path, M365F_SOURCE_FAILED,
					    M365F_EIO,
					    "cannot read folder: %s",
					    strerror(errno));
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		m365f__buf child;

		if (rc || name[0] == '.') {
			/* hidden files and . / .. are not evidence */
			free(list[i]);
			continue;
		}
		m365f__buf_init(&child, 0);
		if (m365f__buf_printf(&child, "%s%s%s", path,
				      path[strlen(path) - 1] == '/' ? "" : "/",
				      name))
			rc = m365f__error_set(err, M365F_ENOMEM,
					      "out of memory");
		else
			rc = walk(ing, child.data, stack, depth + 1, err);
		m365f__buf_free(&child);
		free(list[i]);
	}
	free(list);
	return rc;
}

/* ------------------------------------------------------------------ API */

static int ingest_setup(m365f__ingest *ing, m365f_case *c,
			const m365f_ingest_options *opts, m365f_error *err)
{
	sqlite3_stmt *st;

	memset(ing, 0, sizeof(*ing));
	ing->c = c;
	ing->wb_fd = -1;
	if (opts) {
		if (opts->version != M365F_INGEST_OPTIONS_VERSION)
			return m365f__error_set(err, M365F_EVERSION,
						"ingest options version %u not "
						"supported",
						opts->version);
		ing->opts = *opts;
	} else {
		m365f_ingest_options_init(&ing->opts,
					  M365F_INGEST_OPTIONS_VERSION);
	}
	if (!ing->opts.max_record_bytes)
		ing->opts.max_record_bytes = DEFAULT_MAX_RECORD;
	if (c->readonly)
		return m365f__error_set(err, M365F_EUSAGE,
					"case is open read-only");
	if (dd_load(ing, err))
		return err ? err->code : M365F_EDB;
	{
		const char *fn = sqlite3_db_filename(c->db, "main");

		if (fn && *fn)
			ing->wb_fd = open(fn, O_RDONLY | O_CLOEXEC);
	}
	/* bulk load into an empty case: build indexes once at the end */
	if (sqlite3_prepare_v2(c->db, "SELECT NOT EXISTS(SELECT 1 FROM events)",
			       -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0))
			ing->bulk = true;
		sqlite3_finalize(st);
	}
	if (ing->bulk) {
		char pragma[48];

		/* a bulk load appends: the pages it works on are the right
		 * edges of a few b-trees. 16 MiB of cache loads a 1M-record
		 * case as fast as 64 MiB (measured, several rounds) and the
		 * peak memory goes from 156 to 105 MB */
		ing->cache_size = -65536;
		if (sqlite3_prepare_v2(c->db, "PRAGMA cache_size", -1, &st,
				       NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW)
				ing->cache_size = sqlite3_column_int(st, 0);
			sqlite3_finalize(st);
		}
		snprintf(pragma, sizeof(pragma), "PRAGMA cache_size=%d",
			 ing->cache_size < 0 && ing->cache_size > -16384
				 ? ing->cache_size
				 : -16384);
		m365f__case_exec(c, pragma, NULL);
		m365f__case_exec(c,
				 "DROP INDEX IF EXISTS events_time;"
				 "DROP INDEX IF EXISTS events_user;"
				 "DROP INDEX IF EXISTS events_ip;"
				 "DROP INDEX IF EXISTS events_op;"
				 "DROP INDEX IF EXISTS events_session;"
				 "DROP INDEX IF EXISTS events_token",
				 NULL);
	}
	/* event_params_event and event_props_event stay: their rows come
	 * in event id order, so keeping them costs little */
	return M365F_OK;
}

extern const char m365f__indexes_sql[];

static int ingest_teardown(m365f__ingest *ing, int rc, m365f_error *err)
{
	int r2 = M365F_OK;

	/* the dedup table is done with: its memory is not held through the
	 * index build */
	free(ing->dd.slots);
	memset(&ing->dd, 0, sizeof(ing->dd));
	if (ing->bulk) {
		m365f_error e;

		char restore[96];

		m365f__error_clear(&e);
		/* sort in helper threads with a small cache; sort runs spill
		 * to temporary files, not memory, so the size of the case
		 * does not raise the memory peak. Small runs sorted by many
		 * helpers beat big ones even on two cores: building the six
		 * events indexes of a 1M-record case took 4.4 s with 8 helpers
		 * and 2 MiB, 5.5 s with 2 and 16 MiB. */
		m365f__case_exec(ing->c, "PRAGMA threads=8;"
				 "PRAGMA temp_store=FILE;"
				 "PRAGMA cache_size=-2048", NULL);
		/* one transaction: one commit for all of them */
		r2 = m365f__case_exec(ing->c, "BEGIN", &e);
		if (!r2) {
			r2 = m365f__case_exec(ing->c, m365f__indexes_sql, &e);
			if (!r2)
				r2 = m365f__case_exec(ing->c, "COMMIT", &e);
			if (r2)
				m365f__case_exec(ing->c, "ROLLBACK", NULL);
		}
		snprintf(restore, sizeof(restore),
			 "PRAGMA threads=0; PRAGMA temp_store=MEMORY;"
			 " PRAGMA cache_size=%d", ing->cache_size);
		m365f__case_exec(ing->c, restore, NULL);
		if (r2 && !rc && err)
			*err = e;
	}
	/* rule events stored before rows were made as events were stored
	 * (older versions): a case that was empty has none */
	if (rc != M365F_EDB && !ing->bulk) {
		m365f_error e;
		int r3;

		m365f__error_clear(&e);
		r3 = m365f__rules_rebuild(ing->c, &e);
		if (r3 && !rc && !r2) {
			r2 = r3;
			if (err)
				*err = e;
		}
	}
	/* statistics from a sample: a full ANALYZE of a 1M-record case
	 * costs most of a second */
	m365f__case_exec(ing->c, "PRAGMA analysis_limit=1000;"
			 "PRAGMA optimize", NULL);
	domains_reset(ing);
	m365f__strpool_free(&ing->pool);
	free(ing->wk_params);
	free(ing->wk_props);
	free_details(ing);
	if (ing->z_ready)
		deflateEnd(&ing->z);
	free(ing->zbuf);
	free(ing->scratch);
	m365f__jdoc_free(ing->jdoc[0]);
	m365f__jdoc_free(ing->jdoc[1]);
	free(ing->dd.slots);
	if (ing->wb_fd >= 0)
		close(ing->wb_fd);
	ing->wb_fd = -1;
	return rc ? rc : r2;
}

int m365f_ingest_path(m365f_case *c, const char *path,
		      const m365f_ingest_options *opts, m365f_error *err)
{
	m365f__ingest ing;
	dir_id stack[MAX_WALK_DEPTH];
	int rc;

	m365f__error_clear(err);
	if (!c || !path)
		return m365f__error_set(err, M365F_EINVAL, "no path");
	rc = ingest_setup(&ing, c, opts, err);
	if (rc) {
		free(ing.dd.slots);
		return rc;
	}
	rc = walk(&ing, path, stack, 0, err);
	if (rc == M365F_EDB && err && !err->text[0])
		m365f__error_set(err, rc, "case database error");
	return ingest_teardown(&ing, rc, err);
}

int m365f_ingest_buffer(m365f_case *c, const char *name, const void *buf,
			size_t len, const m365f_ingest_options *opts,
			m365f_error *err)
{
	m365f__ingest ing;
	m365f__input *in = NULL;
	int rc;

	m365f__error_clear(err);
	if (!c || !name || (!buf && len))
		return m365f__error_set(err, M365F_EINVAL, "bad arguments");
	rc = ingest_setup(&ing, c, opts, err);
	if (rc) {
		free(ing.dd.slots);
		return rc;
	}
	rc = m365f__input_open_buffer(&in, name, buf ? buf : "", len,
				      &ing.opts, err);
	if (!rc) {
		rc = ingest_input(&ing, in, name);
		m365f__input_free(in);
	}
	return ingest_teardown(&ing, rc, err);
}
