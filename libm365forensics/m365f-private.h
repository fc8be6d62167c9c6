/* SPDX-License-Identifier: MIT */
/*
 * m365f-private.h - internals shared by the library's files.
 * Cross-file internals are named m365f__<module>_<verb>.
 */
#ifndef M365F_PRIVATE_H
#define M365F_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "m365f.h"

#define M365F__UNUSED(x) ((void)(x))

/* One JSON text as tokens (jtok.c). */
typedef struct m365f__jdoc m365f__jdoc;
#define M365F__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- error.c */

/* Fill err (if not NULL) and return code. fmt is printf-style. */
int m365f__error_set(m365f_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Set source (keeping the tail of long paths) without touching the rest. */
void m365f__error_source(m365f_error *err, const char *source);
void m365f__error_clear(m365f_error *err);
/* Map a sqlite result on db into err. */
int m365f__error_db(m365f_error *err, sqlite3 *db, const char *what);

/* ------------------------------------------------------------------ buf.c */

/* A growable byte buffer with a cap (0 = no cap). Always NUL-terminated
 * when len > 0 or after m365f__buf_cstr(). */
typedef struct m365f__buf {
	char *data;
	size_t len;
	size_t cap;      /* allocated */
	size_t limit;    /* hard cap; appends past it fail with ELIMIT */
} m365f__buf;

void m365f__buf_init(m365f__buf *b, size_t limit);
void m365f__buf_free(m365f__buf *b);
void m365f__buf_reset(m365f__buf *b);
int m365f__buf_reserve(m365f__buf *b, size_t extra);
int m365f__buf_append(m365f__buf *b, const void *p, size_t n);
int m365f__buf_putc(m365f__buf *b, char c);
int m365f__buf_printf(m365f__buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *m365f__buf_cstr(m365f__buf *b);

/* ---------------------------------------------------------------- util.c */

/* ASCII lower-case copy into out (NUL-terminated); returns out. */
char *m365f__strdup_lower(const char *s);
char *m365f__strndup(const char *s, size_t n);
bool m365f__strieq(const char *a, const char *b);
bool m365f__has_prefix_ci(const char *s, const char *prefix);
bool m365f__has_suffix_ci(const char *s, const char *suffix);

/* First 64 bits of SHA-256 over the parts (NULL parts are skipped;
 * each part is followed by a NUL separator). */
int64_t m365f__hash_parts(const char *const *parts, size_t n);
/* First 64 bits of a finished SHA-256, positive and never 0 (0 is
 * "none" in the case). */
struct sha256_ctx;
int64_t m365f__sha_digest64(struct sha256_ctx *ctx);

/* -------------------------------------------------------------- timefmt.c */

/* Parse a timestamp into milliseconds since the epoch, UTC. Accepts ISO
 * 8601 (with or without zone, any fraction), "M/d/yyyy h:mm:ss AM",
 * "M/d/yyyy, h:mm:ss.fff AM" (Log Analytics), "dd.MM.yyyy HH:mm:ss",
 * "/Date(ms)/". A zone-less time is UTC. Day/month order in slash dates
 * is month first unless that is impossible; if both readings are valid
 * and differ, *ambiguous is set (may be NULL). Returns 0 on success,
 * -1 if unparsable. */
int m365f__time_parse(const char *s, size_t n, int64_t *ms, bool *ambiguous);
/* The same with a known order for slash dates: 0 unknown (month first,
 * ambiguity flagged), 1 month first, 2 day first. */
int m365f__time_parse_order(const char *s, size_t n, int order, int64_t *ms,
			    bool *ambiguous);
/* Format ms as 2023-09-26T01:56:15.000Z into out (>= 25 bytes). */
void m365f__time_format(int64_t ms, char out[32]);

/* --------------------------------------------------------------- ipaddr.c */

/* Normalize a client address: strip port, brackets, "::ffff:" mapping,
 * zone ids; lower-case IPv6 in canonical form. Writes into out (>= 64
 * bytes). Returns 1 if it is an IP address, 0 if the text was kept (not
 * an address; trimmed, a host name without brackets and port), and stores
 * the port (or 0). */
int m365f__ip_normalize(const char *s, size_t n, char out[64], int *port);

/* ---------------------------------------------------------------- rectype.c */

struct m365f__rectype {
	int number;
	const char *name;
	const char *alias;
};
extern const struct m365f__rectype m365f__rectypes[];
extern const size_t m365f__nrectypes;
/* AuditLogRecordType number <-> name; NULL / -1 if unknown. */
const char *m365f__rectype_name(int type);
int m365f__rectype_number(const char *name);

/* ------------------------------------------------------------------ case */

struct m365f_case {
	sqlite3 *db;
	char *path;
	bool readonly;
	/* statement cache, keyed by SQL text pointer (static strings) */
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} stmts[64];
	size_t nstmts;
	/* tenant domains for is_internal(), loaded on first use */
	char **domains;
	size_t ndomains;
	bool domains_loaded;
	/* detector parameters for param(name) */
	char **param_names;
	char **param_values;
	size_t nparams;
};

/* Prepare (once) and reset a cached statement for static SQL text. */
sqlite3_stmt *m365f__case_stmt(m365f_case *c, const char *sql,
			       m365f_error *err);
int m365f__case_exec(m365f_case *c, const char *sql, m365f_error *err);
void m365f__case_clear_stmts(m365f_case *c);
/* Register the library's SQL functions on the case's connection. */
int m365f__sqlfunc_register(m365f_case *c);
void m365f__sqlfunc_free(m365f_case *c);
/* The tenant domain list changed: reload it on next use. */
void m365f__sqlfunc_invalidate(m365f_case *c);
/* 1 internal, 0 external, -1 no domain in the address text. */
int m365f__is_internal(m365f_case *c, const char *addr);
/* 1 private/reserved, 0 public, -1 not an address. */
int m365f__ip_is_private(const char *ip);
double m365f__geo_distance_km(double la1, double lo1, double la2,
			      double lo2);
/* Run a prepared statement and send its rows to cb. */
int m365f__stmt_rows(sqlite3_stmt *st, m365f_row_cb cb, void *payload,
		     m365f_error *err);

/* ----------------------------------------------------------------- input */

/* A decoded input stream: bytes of one evidence file after gzip and
 * transcoding to UTF-8 (BOM removed). SHA-256 is over the file's bytes
 * as stored. */
typedef struct m365f__input m365f__input;

int m365f__input_open_file(m365f__input **out, const char *path,
			   const m365f_ingest_options *opts, m365f_error *err);
int m365f__input_open_buffer(m365f__input **out, const char *name,
			     const void *buf, size_t len,
			     const m365f_ingest_options *opts,
			     m365f_error *err);
/* A reader for stored bytes (an archive member): fills up to n bytes,
 * returns the count, 0 at the end, or a negative M365F_E* code with a
 * reason in msg. */
typedef long (*m365f__input_read_fn)(void *ctx, void *buf, size_t n,
				     char *msg, size_t msglen);
int m365f__input_open_reader(m365f__input **out, const char *name,
			     m365f__input_read_fn fn, void *ctx,
			     uint64_t total, const m365f_ingest_options *opts,
			     m365f_error *err);
/* Peek at up to n decoded bytes from the start (for sniffing); *got is
 * what is available. Does not consume. */
int m365f__input_peek(m365f__input *in, const char **p, size_t *got,
		      size_t n, m365f_error *err);
/* Read the next decoded chunk; *len == 0 at end of input. The chunk stays
 * valid until the next call. */
int m365f__input_read(m365f__input *in, const char **p, size_t *len,
		      m365f_error *err);
/* Finish: reads any rest (so the hash covers the whole file) and writes
 * the hex digest into hex (65 bytes). */
int m365f__input_finish(m365f__input *in, char hex[65], m365f_error *err);
const char *m365f__input_name(const m365f__input *in);
const char *m365f__input_encoding(const m365f__input *in);
bool m365f__input_gzip(const m365f__input *in);
uint64_t m365f__input_size(const m365f__input *in);       /* file bytes */
uint64_t m365f__input_total(const m365f__input *in);      /* file size or 0 */
uint64_t m365f__input_consumed(const m365f__input *in);   /* file bytes read */
void m365f__input_free(m365f__input *in);

/* ---------------------------------------------------------------- events */

typedef struct m365f__kv {
	const char *name;
	const char *value;
} m365f__kv;

typedef struct m365f__prop {
	const char *kind;   /* "modified", "extended", "operation", "target",
			       "actor", "detail", ... */
	const char *name;
	const char *old_value;
	const char *new_value;
} m365f__prop;

/* Owned strings for params/props built while normalizing one record;
 * reset per record. Strings are packed into blocks (no malloc per
 * string); a pointer stays valid until the next reset. */
typedef struct m365f__strpool {
	char **items;     /* blocks */
	size_t n, cap;    /* blocks in use, slots in items */
	size_t fill;      /* bytes used in the last block */
	size_t room;      /* size of the last block */
} m365f__strpool;
const char *m365f__strpool_add(m365f__strpool *p, const char *s, size_t n);
void m365f__strpool_reset(m365f__strpool *p);
void m365f__strpool_free(m365f__strpool *p);

/* One normalized record handed to the store. Strings are borrowed for the
 * call; NULL or "" means absent. The store lower-cases user and normalizes
 * client_ip itself. */
typedef struct m365f__event {
	int64_t time_ms;
	const char *product;        /* "ual", "signin", "entra-audit", "rules" */
	const char *workload;
	int record_type;            /* -1 = none */
	const char *record_type_name;
	const char *operation;
	const char *result;
	const char *result_code;
	const char *user;
	const char *client_ip;
	const char *user_agent;
	const char *object;
	const char *app_id;
	const char *session_id;
	const char *token_id;       /* UniqueTokenId / uniqueTokenIdentifier */
	const char *correlation_id;
	const char *record_id;      /* dedup id; NULL = never a duplicate */
	int64_t content_hash;       /* canonical content hash (0 = none) */
	const m365f__kv *params;
	size_t nparams;
	const m365f__prop *props;
	size_t nprops;
} m365f__event;

/* Everything an ingest of one source needs. */
typedef struct m365f__ingest m365f__ingest;

/* Location of the record being handled: set by the readers. */
typedef struct m365f__loc {
	unsigned long line;    /* first physical line of the record */
	unsigned long record;  /* 1-based record number */
	uint64_t offset;       /* byte offset of the record in decoded input */
	uint64_t length;       /* its length in bytes */
	const char *raw;       /* the record's bytes (decoded input) */
} m365f__loc;

/* Store an event. *event_id gets the new row id, or 0 when the record is
 * a duplicate (counted). Side-table rows keyed by event id may then be
 * added by the caller with cached statements. With event_id NULL the
 * store may run on the store thread (UAL sources): a database error then
 * comes back from a later call or at the end of the source. */
int m365f__store_event(m365f__ingest *ing, const m365f__event *ev,
		       int64_t *event_id);
/* Store a reject for the current record with a reason (printf-style).
 * Counts it and calls the diag callback. Returns M365F_OK unless the
 * database failed. */
int m365f__store_reject(m365f__ingest *ing, const char *field,
			unsigned long column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A buffer of at least size bytes owned by the ingest and reused from
 * record to record (contents undefined); NULL when out of memory. */
void *m365f__ingest_scratch(m365f__ingest *ing, size_t size);
/* The ingest's token documents (0: a record, 1: JSON held in one of its
 * strings), reused from record to record; NULL when out of memory. */
m365f__jdoc *m365f__ingest_jdoc(m365f__ingest *ing, int which);
/* Drain the store thread and store inline from now on (before touching
 * the database from a reader or normalizer). */
int m365f__ingest_sync(m365f__ingest *ing);
/* Count a record as read (readers call this once per record). */
void m365f__ingest_count_record(m365f__ingest *ing);
m365f_case *m365f__ingest_case(m365f__ingest *ing);
const m365f__loc *m365f__ingest_loc(const m365f__ingest *ing);
int64_t m365f__ingest_source_id(const m365f__ingest *ing);
m365f__strpool *m365f__ingest_pool(m365f__ingest *ing);
m365f__loc *m365f__ingest_loc_mut(m365f__ingest *ing);
/* The format of JSON records (first one wins, for the sources row). */
void m365f__ingest_set_format(m365f__ingest *ing, const char *name);
bool m365f__ingest_strict(const m365f__ingest *ing);
/* Day/month order of the source's slash dates, learned by comparing them
 * with ISO times of the same records: 0 unknown, 1 month first, 2 day
 * first. */
int m365f__ingest_date_order(const m365f__ingest *ing);
void m365f__ingest_set_date_order(m365f__ingest *ing, int order);
/* Readers call this now and then; it throttles the progress callback. */
void m365f__ingest_progress(m365f__ingest *ing);
/* The same, when the input is read on another thread: done = bytes of the
 * input consumed up to the record at hand. */
void m365f__ingest_progress_at(m365f__ingest *ing, uint64_t done);
/* A domain seen as the tenant's own (UPN suffix of a member, the
 * organization name); stored with the source. */
void m365f__ingest_learn_domain(m365f__ingest *ing, const char *domain);
/* Operation op[0..n) folded for matching (lower case, dashes, spaces,
 * trailing dot) into out, n + 1 bytes (never longer than op). */
void m365f__op_norm(const char *op, size_t n, char *out);
size_t m365f__ingest_max_record(const m365f__ingest *ing);
/* Ingest one opened source (a file or an archive member) named name;
 * frees the input. Errors only for failures that stop the run. */
int m365f__ingest_source(m365f__ingest *ing, m365f__input *in,
			 const char *name);
/* Hand a source summary to the caller's source callback. */
int m365f__ingest_report(m365f__ingest *ing, const m365f_source_summary *s);
/* Report a path that could not be read at all (nothing stored): status
 * M365F_SOURCE_FAILED or _SKIPPED, an error of code and message. */
int m365f__ingest_unread(m365f__ingest *ing, const char *path, int status,
			 int code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
const m365f_ingest_options *m365f__ingest_opts(const m365f__ingest *ing);

/* ---------------------------------------------------------------- archive */

/* A .zip, .tar, .tar.gz or .tgz (by name) or a file starting with a zip
 * signature: read in place, members become sources "archive!/member". */
bool m365f__archive_is(const char *path);
/* Hash the archive, record it as a source, ingest every regular member.
 * Members whose path leaves the archive (absolute, "..") and links are
 * reported and not read. Returns an error only when the run must stop. */
int m365f__archive_ingest(m365f__ingest *ing, const char *path);

/* --------------------------------------------------------------- formats */

/* A CSV header, normalized: names lower-cased, trimmed, inner runs of
 * white space collapsed, BOM and a "[UTC]" suffix kept as written. */
typedef struct m365f__csv_header {
	size_t ncols;
	char **names;           /* normalized */
	char **raw_names;       /* as written */
} m365f__csv_header;
int m365f__csv_header_build(m365f__csv_header *h, size_t n,
			    const char *const *fields, const size_t *lens);
void m365f__csv_header_free(m365f__csv_header *h);
/* Does the header have a column of this normalized name? */
bool m365f__csv_has(const m365f__csv_header *h, const char *name);
/* Index of a column by normalized name, or -1. */
int m365f__csv_col(const m365f__csv_header *h, const char *name);

typedef struct m365f__csv_row {
	size_t ncols;
	const char *const *fields; /* NUL-terminated */
	const size_t *lens;
} m365f__csv_row;

/* A CSV format: match() scores a header (0 = no); begin() may build a
 * per-source state from the header; row() handles one data row. */
typedef struct m365f__csv_format {
	const char *name;
	const char *product;
	int (*match)(const m365f__csv_header *h);
	int (*begin)(m365f__ingest *ing, const m365f__csv_header *h,
		     void **state);
	int (*row)(m365f__ingest *ing, void *state, const m365f__csv_row *r);
	void (*end)(void *state);
} m365f__csv_format;

/* A JSON record shape: match() scores one parsed top-level record (0 =
 * no; it reads top-level members only, and of containers only their
 * type); record() normalizes it; tokens(), when set, normalizes the
 * record from its tokens instead (jtok.c), without a tree. */
typedef struct m365f__json_format {
	const char *name;
	const char *product;
	int (*match)(const cJSON *obj);
	int (*record)(m365f__ingest *ing, const cJSON *obj);
	int (*tokens)(m365f__ingest *ing, m365f__jdoc *d);
} m365f__json_format;

extern const m365f__csv_format *const m365f__csv_formats[];
extern const m365f__json_format *const m365f__json_formats[];

/* Pick the best JSON format for a record, or NULL. */
const m365f__json_format *m365f__json_format_for(const cJSON *obj);

/* ------------------------------------------------------------- json helpers */

/* Exact-case member lookup first, then case-insensitive. */
const cJSON *m365f__j(const cJSON *obj, const char *key);
/* String value of a member, or NULL when absent/null/not a string. */
const char *m365f__jstr(const cJSON *obj, const char *key);
/* Text of a scalar member: strings as-is, numbers/bools rendered into the
 * ingest's string pool. NULL when absent or null. */
const char *m365f__jtext(m365f__ingest *ing, const cJSON *obj,
			 const char *key);
/* Parse text as JSON if it looks like JSON (nested JSON-in-string). The
 * caller deletes the result. */
cJSON *m365f__json_parse_inner(const char *s);

/* -------------------------------------------------------------- jtok.c */

/* One JSON text as tokens (jtok.c): read without a tree, for the audit
 * record fast path. Values are addressed by token index (-1: none). */
enum {
	M365F__JT_NONE, M365F__JT_OBJECT, M365F__JT_ARRAY, M365F__JT_STRING,
	M365F__JT_NUMBER, M365F__JT_TRUE, M365F__JT_FALSE, M365F__JT_NULL
};
m365f__jdoc *m365f__jdoc_new(void);
void m365f__jdoc_free(m365f__jdoc *d);
/* Values a record may hold (its tokens take 24 bytes each). */
#define M365F__JDOC_MAX_VALUES (1u << 20)
/* Tokens of s[0..n) (borrowed until the next parse): 0 when taken, 1
 * when not (not strict JSON as cJSON reads it: parse it with cJSON
 * instead), M365F_ELIMIT past M365F__JDOC_MAX_VALUES values, M365F_ENOMEM.
 * The root is token 0. */
int m365f__jdoc_parse(m365f__jdoc *d, const char *s, size_t n);
/* Does the text hold an integer of more than 15 digits (what
 * M365F__JSON_BIGINT quotes)? */
bool m365f__jdoc_long_ints(const m365f__jdoc *d);
/* The top-level members of an object document as a tree for the
 * format matchers: keys and scalars as they are, objects and arrays
 * empty. Strings are borrowed from pool and d (until either is reset). */
cJSON *m365f__jdoc_members(m365f__jdoc *d, m365f__strpool *pool);
/* Tokens of the text cJSON prints for j, an object or array (taken
 * unless it holds more than M365F__JDOC_MAX_VALUES values). */
int m365f__jdoc_from_cjson(m365f__jdoc *d, const cJSON *j);
int m365f__jt_type(const m365f__jdoc *d, int i);
/* First member value of an object or array, the one after v; -1 at the
 * end. An object member's key is m365f__jt_key(). */
int m365f__jt_first(const m365f__jdoc *d, int c);
int m365f__jt_after(const m365f__jdoc *d, int c, int v);
/* Key of object member value v (decoded; valid until the next parse). */
const char *m365f__jt_key(m365f__jdoc *d, int v, size_t *len);
/* String value (decoded, NUL-terminated, in pool); NULL otherwise. */
const char *m365f__jt_str(m365f__jdoc *d, m365f__strpool *pool, int i);
/* Number value; 0, or -1 when i is not a number. */
int m365f__jt_double(const m365f__jdoc *d, int i, double *out);
/* cJSON's valueint of a number (0 when not a number). */
int m365f__jt_int(const m365f__jdoc *d, int i);
/* Compact JSON of a value as cJSON prints it, in pool. */
const char *m365f__jt_json(m365f__jdoc *d, m365f__strpool *pool, int i);
/* Text of a value: strings as they are, true/false, numbers as "%.0f"
 * when integral (below 9e15) else "%.17g", objects and arrays as compact
 * JSON; NULL for null or none (what m365f__jtext() gives for a tree). */
const char *m365f__jt_text(m365f__jdoc *d, m365f__strpool *pool, int i);
/* Look up n keys (n <= 64; lens[i] == strlen(keys[i])) in one walk over
 * obj's members: out[i] is the member with that exact key, else the
 * first whose key matches in any case, else -1. */
void m365f__jt_index(m365f__jdoc *d, int obj, const char *const *keys,
		     const unsigned char *lens, size_t n, int *out);
/* One key: what m365f__j() gives for a tree. */
int m365f__jt_get(m365f__jdoc *d, int obj, const char *key);
/* Canonical content hash: object keys sorted, strings decoded, numbers in
 * one form, so key order, spacing and escaping do not change it. First
 * 64 bits of SHA-256 over that form. */
int m365f__jt_hash(m365f__jdoc *d, int i, int64_t *out);

/* Parse JSON text of n bytes. On error fills line and col (1-based, inside
 * the text) and returns NULL. Big integers (over 15 digits) are kept
 * exact: they are turned into strings before parsing. */
#define M365F__JSON_BIGINT 0x1
cJSON *m365f__json_parse(const char *s, size_t n, unsigned int flags,
			 unsigned long *line, unsigned long *col);

/* --------------------------------------------------------------- pipeline */

/* Batches of bytes handed between two threads in order (pipeline.c): a
 * worker thread consuming what the caller fills, or producing what the
 * caller takes. */
typedef struct m365f__pipe m365f__pipe;
typedef int (*m365f__pipe_fn)(void *ctx, const char *data, size_t len);
int m365f__pipe_start(m365f__pipe **out, m365f__pipe_fn fn, void *ctx);
/* The worker runs produce(ctx, p), filling batches with m365f__pipe_buf()
 * and m365f__pipe_commit() (non-zero: the caller stopped taking, return);
 * the caller takes them with m365f__pipe_next(). */
typedef void (*m365f__pipe_produce_fn)(void *ctx, m365f__pipe *p);
int m365f__pipe_start_producer(m365f__pipe **out,
			       m365f__pipe_produce_fn produce, void *ctx);
/* The batch being filled: append one whole item, then commit. */
m365f__buf *m365f__pipe_buf(m365f__pipe *p);
/* Hand the batch over when full; returns the worker's first error. */
int m365f__pipe_commit(m365f__pipe *p);
/* Producing: the next batch, valid until the next call; *len = 0 once
 * the producer has returned and every batch was taken. */
int m365f__pipe_next(m365f__pipe *p, const char **data, size_t *len);
/* Fixed-size fields of a batch, in the machine's own byte order. */
static inline int m365f__put_u64(m365f__buf *b, uint64_t v)
{
	return m365f__buf_append(b, &v, sizeof(v));
}
static inline uint64_t m365f__get_u64(const char **p)
{
	uint64_t v;

	memcpy(&v, *p, sizeof(v));
	*p += sizeof(v);
	return v;
}
/* Text of a batch: its length (all ones for NULL), the bytes and a NUL,
 * so the reader gets a C string in place. */
static inline int m365f__put_bytes(m365f__buf *b, const char *s, size_t n)
{
	int rc;

	if (!s)
		return m365f__put_u64(b, UINT64_MAX);
	if (m365f__buf_reserve(b, sizeof(uint64_t) + n + 1))
		return M365F_ENOMEM;
	rc = m365f__put_u64(b, n);
	rc |= m365f__buf_append(b, s, n);
	return rc | m365f__buf_putc(b, '\0');
}
static inline const char *m365f__get_bytes(const char **p, size_t *len)
{
	uint64_t n = m365f__get_u64(p);
	const char *s = *p;

	if (n == UINT64_MAX) {
		*len = 0;
		return NULL;
	}
	*p += n + 1;
	*len = (size_t)n;
	return s;
}
/* Consuming: wait until everything handed over is consumed. */
int m365f__pipe_flush(m365f__pipe *p);
/* Consuming: flush, stop and free; producing: stop the producer at its
 * next commit and free. NULL is a no-op. Returns the worker's error. */
int m365f__pipe_free(m365f__pipe *p);

/* ---------------------------------------------------------------- readers */

/* Read the whole input as CSV with the given format (header already
 * matched on the peeked bytes). */
int m365f__read_csv(m365f__ingest *ing, m365f__input *in,
		    const m365f__csv_format *fmt, m365f_error *err);
/* Read the input as a stream of JSON records: JSON lines, arrays (also
 * several concatenated), objects, and wrappers {"value":[...]},
 * {"records":[...]}. */
int m365f__read_json(m365f__ingest *ing, m365f__input *in, m365f_error *err);

/* ---------------------------------------------------------------- sniff */

typedef enum {
	M365F__KIND_UNKNOWN = 0,
	M365F__KIND_CSV,
	M365F__KIND_JSON,
} m365f__kind;

/* Decide the format from the first decoded bytes. For CSV sets *csvfmt;
 * for JSON the format is decided per record (the name of the first is
 * reported). On failure the reason is in err. */
int m365f__sniff(const char *p, size_t n, bool at_eof, m365f__kind *kind,
		 const m365f__csv_format **csvfmt, m365f_error *err);

/* -------------------------------------------------------------- products */

/* Normalize one UAL AuditData object (already parsed). csvtime is the
 * export's own date column (fallback), may be NULL. rtname is the
 * container's RecordType text, may be NULL. */
int m365f__ual_record(m365f__ingest *ing, const cJSON *audit,
		      const char *csvtime, const char *rtname);

/* Mailbox rules from audit events (New-/Set-InboxRule, UpdateInboxRules,
 * Set-Mailbox forwarding, transport rule cmdlets) as inbox_rules rows with
 * source_kind 'audit' (inboxrule.c). m365f__rules_from_event() makes the
 * row of one event as the store inserts it (op_norm its folded operation,
 * user as stored); events of other operations are left alone.
 * m365f__rules_rebuild() makes the rows the case's rule events lack (cases
 * written before rows were made as events were stored); an ingest into a
 * case that had events calls it at its end. */
int m365f__rules_from_event(m365f_case *c, int64_t id, const char *op_norm,
			    const char *user, const m365f__event *ev,
			    m365f_error *err);
int m365f__rules_rebuild(m365f_case *c, m365f_error *err);
/* ------------------------------------------------------------------ geo.c */

/* Network of an address as "a.b.0.0/16" text (first v4bits or v6bits
 * kept); -1 when ip is not an address. */
int m365f__ip_prefix(const char *ip, int v4bits, int v6bits, char out[64]);
/* Register ip_prefix(ip [, v4bits, v6bits]) on the case's connection. */
int m365f__geo_register(m365f_case *c);
/* ----------------------------------------------------------------- detect */

/* Load the data tables shipped with the library (ref_*) into the case's
 * temporary schema, as a detection run does. */
int m365f__detect_load_tables(m365f_case *c, m365f_error *err);

/* ----------------------------------------------------------------- writer */

/* Sinks for attacker-controlled text (writer.c). Each appends to out. */
int m365f__safe_text(m365f__buf *out, const char *s, size_t n);
int m365f__json_escape(m365f__buf *out, const char *s, size_t n);
int m365f__csv_cell(m365f__buf *out, const char *s, size_t n, bool is_text);
int m365f__md_cell(m365f__buf *out, const char *s, size_t n);
/* HTML element text, quoted attribute values and inline SVG. */
int m365f__html_escape(m365f__buf *out, const char *s, size_t n);

/* ------------------------------------------------------------------- ioc.c */

/* One indicator of compromise from the evidence of the findings. */
typedef struct m365f__ioc {
	const char *type;      /* ip, user_agent, app_id, forwarding_address,
				  rule_name (static text) */
	char *value;
	uint64_t count;        /* evidence events that carry it */
	int64_t last_event;    /* while collecting: the last event counted */
	int64_t first, last;   /* ms */
	char *users[64];       /* sorted, at most 64 listed */
	size_t nusers;
} m365f__ioc;

/* All indicators, sorted by type then value. Free with m365f__iocs_free. */
int m365f__iocs_collect(m365f_case *c, m365f__ioc **out, size_t *n,
			m365f_error *err);
void m365f__iocs_free(m365f__ioc *v, size_t n);

/* ---------------------------------------------------------------- filter.c */

/* Filter over events e (and signin_details d for app and country): NULL
 * or "" fields do not filter; user is compared lower-cased, ip
 * normalized, since/until parsed as dates or times. */
typedef struct m365f__event_filter {
	const char *user, *ip, *since, *until, *operation, *workload;
	const char *session, *product, *app, *country;
	int failed;            /* non-zero: e.result = 'failure' only */
	uint64_t limit;        /* 0 = no limit */
} m365f__event_filter;

/* Run select (ending in its FROM clause, without WHERE) filtered by f,
 * sorted by time, source and line; what names the query in errors. */
int m365f__filter_rows(m365f_case *c, const char *select,
		       const m365f__event_filter *f, const char *what,
		       m365f_row_cb cb, void *payload, m365f_error *err);

/* ----------------------------------------------------------------- lacsv.c */

/* The column names of a Log Analytics CSV export, as written without a
 * BOM and cleaned by the format (" [UTC]" and type suffixes). */
typedef struct m365f__lacsv {
	size_t n;
	char **keys;
} m365f__lacsv;

/* A csv_format begin/end pair: *state becomes an m365f__lacsv. */
int m365f__lacsv_begin(const m365f__csv_header *h, void (*clean)(char *key),
		       void **state);
void m365f__lacsv_end(void *state);

/* The non-empty cells of r as strings of one new object (*out, the
 * caller's); a NUL byte in a cell rejects the row and leaves *out NULL. */
int m365f__lacsv_object(m365f__ingest *ing, const m365f__lacsv *s,
			const m365f__csv_row *r, cJSON **out);

/* --------------------------------------------------------------- diagenv.c */

/* A record of one product: the object o of an envelope env (or NULL). */
typedef int (*m365f__diag_fn)(m365f__ingest *ing, const cJSON *o,
			      const cJSON *env);

/* Pass the object in env's "properties" (an object or JSON text) with env
 * to fn; without one the record is rejected as "diagnostic <what> record
 * without properties". */
int m365f__diag_record(m365f__ingest *ing, const cJSON *env,
		       const char *what, m365f__diag_fn fn);

#endif /* M365F_PRIVATE_H */
