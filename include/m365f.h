/* SPDX-License-Identifier: MIT */
/*
 * m365f.h - the one public header of libm365forensics.
 *
 * An offline forensic library for Microsoft 365 incidents: ingest exports of
 * the unified audit log, Entra ID sign-in and audit logs and mailbox-rule
 * dumps into one normalized SQLite timeline (a "case"), then query it.
 *
 * Conventions (see README.md):
 *  - Functions return int: M365F_OK (0) or a negative M365F_E* code. A
 *    callback's non-zero "stop" value is passed back unchanged.
 *  - The last parameter is an optional, caller-owned m365f_error that
 *    receives the detail (may be NULL). There is no global error state.
 *  - Objects returned through an `out` parameter belong to the caller and
 *    are released with the matching m365f_*_free(); free(NULL) is a no-op.
 *  - Pointers handed to callbacks are borrowed for the duration of the call.
 *  - Option structs carry a version first; initialise them with the
 *    matching *_INIT macro or *_init() function. Fields are only appended.
 */
#ifndef M365F_H
#define M365F_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define M365F_EXTERN __attribute__((visibility("default")))
#else
#define M365F_EXTERN
#endif

/** Library version, also returned by m365f_version(). */
#define M365F_VERSION "0.1.0"
/** Case database schema version written by this library. */
#define M365F_SCHEMA_VERSION 1

/** @name Return codes. Added last, never renumbered. */
/**@{*/
#define M365F_OK 0
#define M365F_ERROR -1     /**< generic failure */
#define M365F_ENOMEM -2    /**< out of memory */
#define M365F_EINVAL -3    /**< invalid argument */
#define M365F_EIO -4       /**< reading or writing a file failed */
#define M365F_EPARSE -5    /**< malformed input */
#define M365F_EFORMAT -6   /**< input format not recognized */
#define M365F_ELIMIT -7    /**< a size or count limit was exceeded */
#define M365F_EDB -8       /**< the case database reported an error */
#define M365F_EVERSION -9  /**< options struct version not supported */
#define M365F_ESCHEMA -10  /**< case written by a newer or foreign schema */
#define M365F_ENOTFOUND -11 /**< no such object */
#define M365F_ESQL -12     /**< SQL text failed to compile or run */
#define M365F_EUSAGE -13   /**< API called in the wrong state */
#define M365F_EUNSUPPORTED -14 /**< not built into this library */
/**@}*/

/** Detail of an error or of a rejected record. Caller-owned. */
typedef struct m365f_error {
	int code;               /**< same value the function returned */
	char source[128];       /**< file name, "...tail" when long; "" if n/a */
	unsigned long line;     /**< 1-based physical line, 0 = unknown */
	unsigned long column;   /**< 1-based column, 0 = unknown */
	unsigned long record;   /**< 1-based record number, 0 = unknown */
	char field[64];         /**< CSV column or JSON key, "" if n/a */
	char text[256];         /**< the reason, bounded */
} m365f_error;

/** Static text for a return code; "Unknown error" for unknown codes. */
M365F_EXTERN const char *m365f_strerror(int code);

/**
 * Format @p err as "source:line:column: field: text" (parts that are
 * unknown are left out) into @p buf of @p size bytes, always terminated.
 * Source names and reasons quote evidence, so the text is made safe for a
 * terminal the way the text sink does it: control characters as \xHH,
 * C1 and bidi controls as \uHHHH, invalid UTF-8 as U+FFFD.
 * @return the length the full text needs, like snprintf.
 */
M365F_EXTERN int m365f_error_format(const m365f_error *err, char *buf,
				    size_t size);

/** Version string of the library actually linked. */
M365F_EXTERN const char *m365f_version(void);

/* ------------------------------------------------------------------ */
/* Cases                                                              */
/* ------------------------------------------------------------------ */

/** An open case database. Opaque; not safe for concurrent use. */
typedef struct m365f_case m365f_case;

/** @name Flags for m365f_case_open(). */
/**@{*/
#define M365F_OPEN_CREATE 0x1   /**< create the case if missing */
#define M365F_OPEN_READONLY 0x2 /**< open without write access */
/**@}*/

/**
 * Open (or with M365F_OPEN_CREATE create) the case database at @p path.
 * ":memory:" gives a case that lives in memory.
 * @param[out] out the case; free with m365f_case_free().
 * @return M365F_OK, M365F_ESCHEMA when the file was written by a newer
 *         schema or is not a case, M365F_EDB or M365F_EIO otherwise.
 */
M365F_EXTERN int m365f_case_open(m365f_case **out, const char *path,
				 unsigned int flags, m365f_error *err);

/** Close the case and release it. NULL is a no-op. */
M365F_EXTERN void m365f_case_free(m365f_case *c);

/**
 * Add a domain that belongs to the tenant (for is_internal() and the
 * detectors). Domains seen as UPN suffixes of the tenant's own users are
 * added automatically; this adds more. Stored in the case.
 */
M365F_EXTERN int m365f_case_add_internal_domain(m365f_case *c,
						const char *domain,
						m365f_error *err);

/* ------------------------------------------------------------------ */
/* Ingest                                                             */
/* ------------------------------------------------------------------ */

/** What happened to one evidence file. Borrowed during the callback. */
typedef struct m365f_source_summary {
	int64_t id;            /**< sources.id in the case, 0 if none */
	const char *path;      /**< path as given (or name for buffers) */
	const char *sha256;    /**< hex digest of the file's bytes */
	const char *format;    /**< detected format name, "" if none */
	const char *product;   /**< "ual", "signin", "entra-audit", "rules", "" */
	const char *encoding;  /**< "utf-8", "utf-8-bom", "utf-16le", ... */
	uint64_t size;         /**< bytes read from the file */
	uint64_t records;      /**< records read */
	uint64_t stored;       /**< new events stored */
	uint64_t duplicates;   /**< records already in the case */
	uint64_t rejected;     /**< records stored as rejects */
	uint64_t conflicts;    /**< stored records whose id exists with
				    other content */
	int status;            /**< M365F_SOURCE_* */
	const m365f_error *error; /**< why, when status is _FAILED/_SKIPPED */
} m365f_source_summary;

/** @name Source status values. */
/**@{*/
#define M365F_SOURCE_INGESTED 0 /**< read and stored */
#define M365F_SOURCE_ALREADY 1  /**< same SHA-256 already in the case */
#define M365F_SOURCE_SKIPPED 2  /**< format not recognized, nothing stored */
#define M365F_SOURCE_FAILED 3   /**< I/O or limit error; rolled back */
/**@}*/

/** Called once per source; a non-zero return stops the ingest. */
typedef int (*m365f_source_cb)(const m365f_source_summary *s, void *payload);
/** Called once per rejected record with its location and reason. */
typedef void (*m365f_diag_cb)(const m365f_error *diag, void *payload);
/** Progress: bytes of the current file read so far and its size (0 when
 *  unknown). Called at most a few times per second of work. */
typedef void (*m365f_progress_cb)(const char *path, uint64_t done,
				  uint64_t total, void *payload);

/** @name How the verbatim record is kept (m365f_ingest_options.raw). */
/**@{*/
#define M365F_RAW_REF 0  /**< offset and length into the hashed evidence */
#define M365F_RAW_COPY 1 /**< a zlib-compressed copy inside the case */
/**@}*/

/** @name Ingest flags. */
/**@{*/
#define M365F_INGEST_STRICT 0x1 /**< strict CSV quoting (libcsv strict) */
/**@}*/

typedef struct m365f_ingest_options {
	unsigned int version;       /**< M365F_INGEST_OPTIONS_VERSION */
	unsigned int flags;         /**< M365F_INGEST_* */
	int raw;                    /**< M365F_RAW_* */
	size_t max_record_bytes;    /**< 0 = default (64 MiB); a larger record
					 is a reject "too large" */
	uint64_t max_input_bytes;   /**< 0 = default (1 TiB) decompressed
					 bytes per source */
	unsigned int max_ratio;     /**< 0 = default (1000) max decompressed
					 to compressed ratio */
	m365f_source_cb source_cb;
	m365f_diag_cb diag_cb;
	m365f_progress_cb progress_cb;
	void *payload;              /**< passed to every callback */
} m365f_ingest_options;

#define M365F_INGEST_OPTIONS_VERSION 1
#define M365F_INGEST_OPTIONS_INIT { M365F_INGEST_OPTIONS_VERSION, 0, 0, 0, 0, \
				    0, NULL, NULL, NULL, NULL }

/** Initialise @p opts to defaults for @p version. */
M365F_EXTERN int m365f_ingest_options_init(m365f_ingest_options *opts,
					   unsigned int version);

/**
 * Ingest a file, a .gz file or a folder (walked recursively in byte order
 * of names) into the case. Every source is one transaction. An unreadable
 * or unrecognized file is reported through source_cb and skipped; the
 * rest goes on.
 * @return M365F_OK when every source was handled (some may be skipped),
 *         the callback's value if it stopped, or an error that stopped
 *         the run (database failure, bad arguments).
 */
M365F_EXTERN int m365f_ingest_path(m365f_case *c, const char *path,
				   const m365f_ingest_options *opts,
				   m365f_error *err);

/**
 * Ingest bytes held in memory as if they were a file called @p name.
 * The buffer is borrowed for the duration of the call.
 */
M365F_EXTERN int m365f_ingest_buffer(m365f_case *c, const char *name,
				     const void *buf, size_t len,
				     const m365f_ingest_options *opts,
				     m365f_error *err);

/* ------------------------------------------------------------------ */
/* Rows, queries and writers                                          */
/* ------------------------------------------------------------------ */

/** @name Column value types (the SQLite storage classes). */
/**@{*/
#define M365F_TYPE_INTEGER 1
#define M365F_TYPE_REAL 2
#define M365F_TYPE_TEXT 3
#define M365F_TYPE_BLOB 4
#define M365F_TYPE_NULL 5
#define M365F_TYPE_JSON 6 /**< text holding a JSON array or object; JSON
			       writers emit it as is */
/**@}*/

/** One result row. Borrowed during the callback. */
typedef struct m365f_row {
	size_t ncols;
	const char *const *names;   /**< column names */
	const char *const *values;  /**< text of each value; NULL for NULL */
	const size_t *lengths;      /**< byte length of each value */
	const int *types;           /**< M365F_TYPE_* of each value */
} m365f_row;

/** Called per row; non-zero stops the query and is returned. */
typedef int (*m365f_row_cb)(const m365f_row *row, void *payload);

/** Filter for m365f_timeline(). NULL or "" fields do not filter. */
typedef struct m365f_timeline_filter {
	unsigned int version;     /**< M365F_TIMELINE_FILTER_VERSION */
	const char *user;         /**< UPN, compared case-insensitively */
	const char *ip;           /**< client IP (normalized before compare) */
	const char *since;        /**< ISO-8601 or date; inclusive */
	const char *until;        /**< ISO-8601 or date; exclusive */
	const char *operation;    /**< PCRE2 pattern over the operation */
	const char *workload;     /**< exact workload, case-insensitive */
	const char *session;      /**< session or unique token id */
	const char *product;      /**< "ual", "signin", ... */
	uint64_t limit;           /**< 0 = no limit */
} m365f_timeline_filter;

#define M365F_TIMELINE_FILTER_VERSION 1
#define M365F_TIMELINE_FILTER_INIT { M365F_TIMELINE_FILTER_VERSION, NULL, \
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 }

/**
 * Run a timeline query; rows come sorted by time, then source and line,
 * with the columns id, time, user, client_ip, operation, workload,
 * record_type, result, object, user_agent, app_id, session_id,
 * record_id, product, source, line.
 */
M365F_EXTERN int m365f_timeline(m365f_case *c,
				const m365f_timeline_filter *filter,
				m365f_row_cb cb, void *payload,
				m365f_error *err);

/* ------------------------------------------------------------------ */
/* Sign-ins, mailbox rules and pivots                                 */
/* ------------------------------------------------------------------ */

/** Filter for m365f_signins(). NULL or "" fields do not filter. */
typedef struct m365f_signin_filter {
	unsigned int version;     /**< M365F_SIGNIN_FILTER_VERSION */
	const char *user;         /**< UPN, compared case-insensitively */
	const char *ip;           /**< client IP (normalized before compare) */
	const char *since;        /**< ISO-8601 or date; inclusive */
	const char *until;        /**< ISO-8601 or date; exclusive */
	const char *session;      /**< session, unique token or correlation id */
	const char *app;          /**< application id, or part of its name
				       (case-insensitive) */
	const char *country;      /**< country code, case-insensitive */
	int failed;               /**< non-zero: failed sign-ins only
				       (interrupts are not failures) */
	uint64_t limit;           /**< 0 = no limit */
} m365f_signin_filter;

#define M365F_SIGNIN_FILTER_VERSION 1
#define M365F_SIGNIN_FILTER_INIT { M365F_SIGNIN_FILTER_VERSION, NULL, NULL, \
	NULL, NULL, NULL, NULL, NULL, 0, 0 }

/**
 * Entra sign-ins sorted by time, then source and line, with the columns
 * id, time, user, client_ip, result, error_code, failure_reason, app,
 * app_id, resource, client_app, auth_protocol, auth_requirement,
 * mfa_result, mfa_method, ca_status, country, state, city, device_id, os,
 * browser, risk_level, kind, user_agent, session_id, token_id,
 * correlation_id, record_id, source, line. Rows are borrowed during the
 * callback.
 * @return M365F_OK, the callback's non-zero value, M365F_EINVAL for a
 *         bad filter (unparsable time), M365F_EVERSION, M365F_EDB.
 */
M365F_EXTERN int m365f_signins(m365f_case *c, const m365f_signin_filter *f,
			       m365f_row_cb cb, void *payload,
			       m365f_error *err);

/**
 * Mailbox rules: the rules found in dumps (source_kind "dump") and their
 * history rebuilt from audit events (source_kind "audit": new, set,
 * enable, disable, remove, update), for inbox rules, mailbox forwarding
 * and transport rules. Rows are sorted by kind, mailbox, rule name,
 * dumps first, then time; columns id, source_kind, kind, action, time,
 * mailbox, name, rule_id, enabled, priority, forward_to,
 * forward_as_attachment, redirect_to, bcc_to, deliver_and_forward,
 * delete_message, soft_delete, move_to_folder, copy_to_folder,
 * mark_as_read, stop_processing, cond_from, cond_subject, cond_body,
 * cond_subject_or_body, cond_has_attachment, actor, client_ip,
 * session_id, event_id, source, line.
 * @param[in] mailbox only this mailbox (case-insensitive); NULL for all.
 */
M365F_EXTERN int m365f_rules(m365f_case *c, const char *mailbox,
			     m365f_row_cb cb, void *payload,
			     m365f_error *err);

/** @name What m365f_pivot() pivots on. */
/**@{*/
#define M365F_PIVOT_IP 1      /**< every user seen from the IP */
#define M365F_PIVOT_USER 2    /**< every IP, country, client and app of a
				   user */
#define M365F_PIVOT_SESSION 3 /**< every event carrying a session, unique
				   token or correlation id */
/**@}*/

/**
 * Pivot across every source in the case (audit log, sign-ins, directory
 * audits, rules). Rows use the timeline's column names (user, client_ip,
 * session_id, ...) plus first_time, last_time, count and sources (the
 * kinds of source, comma-separated: entra-audit, rules, signin, ual).
 * For M365F_PIVOT_IP one row per user; for M365F_PIVOT_USER one row per
 * client_ip, country, client and app; for M365F_PIVOT_SESSION one row per
 * event. Rows come sorted by first time.
 * @return M365F_OK, the callback's value, M365F_EINVAL for an unknown
 *         kind or an empty value, M365F_EDB.
 */
M365F_EXTERN int m365f_pivot(m365f_case *c, int kind, const char *value,
			     m365f_row_cb cb, void *payload,
			     m365f_error *err);

/** @name Flags for m365f_sql(). */
/**@{*/
#define M365F_SQL_WRITE 0x1 /**< allow statements that change the case */
/**@}*/

/**
 * Run SQL text (one or more statements) with the library's SQL functions
 * (regexp, email_domain, is_internal, ip_in_cidr, ...). Without
 * M365F_SQL_WRITE only read-only statements are accepted. Errors carry
 * the column of the offending token.
 */
M365F_EXTERN int m365f_sql(m365f_case *c, const char *sql,
			   unsigned int flags, m365f_row_cb cb,
			   void *payload, m365f_error *err);

/** Rows of the evidence inventory (sources table), one per source. */
M365F_EXTERN int m365f_sources(m365f_case *c, m365f_row_cb cb,
			       void *payload, m365f_error *err);

/** @name Output formats for writers. */
/**@{*/
#define M365F_FORMAT_TEXT 0  /**< aligned columns for people */
#define M365F_FORMAT_JSONL 1 /**< one JSON object per line */
#define M365F_FORMAT_CSV 2   /**< RFC 4180, formula cells neutralized */
#define M365F_FORMAT_MARKDOWN 3 /**< a Markdown table */
/**@}*/

/** Parse "text", "jsonl"/"json", "csv", "md"/"markdown"; -1 if unknown. */
M365F_EXTERN int m365f_format_from_name(const char *name);

/** A sink that renders rows safely (escapes control characters, replaces
 *  invalid UTF-8, neutralizes spreadsheet formulas). */
typedef struct m365f_writer m365f_writer;

/** @name Writer flags. */
/**@{*/
#define M365F_WRITER_NO_HEADER 0x1 /**< no header line (text, csv) */
/**@}*/

/**
 * Create a writer on @p fp (borrowed until m365f_writer_free()).
 * @param[out] out the writer; free with m365f_writer_free().
 */
M365F_EXTERN int m365f_writer_new(m365f_writer **out, FILE *fp, int format,
				  unsigned int flags, m365f_error *err);
/** Write one row. Usable as an m365f_row_cb with the writer as payload. */
M365F_EXTERN int m365f_writer_row(const m365f_row *row, void *writer);
/** Flush buffered rows (text output aligns columns over a window). */
M365F_EXTERN int m365f_writer_finish(m365f_writer *w);
/** Release the writer (does not close the FILE). NULL is a no-op. */
M365F_EXTERN void m365f_writer_free(m365f_writer *w);

/**
 * Render @p n bytes at @p s for a terminal the way the text sink renders a
 * cell (control characters as \\xHH, C1 and bidi controls as \\uHHHH,
 * invalid UTF-8 as U+FFFD) into @p buf of @p size bytes, always
 * terminated when @p size > 0; @p buf may be NULL when @p size is 0.
 * For evidence text printed outside a writer (paths, messages).
 * @return the length the full rendering needs (as snprintf), or 0 when
 * out of memory.
 */
M365F_EXTERN size_t m365f_text_safe(char *buf, size_t size, const char *s,
				    size_t n);

/* ------------------------------------------------------------------ */
/* Events and their verbatim records                                  */
/* ------------------------------------------------------------------ */

/** @name Flags for m365f_event_raw(). */
/**@{*/
#define M365F_RAW_NO_VERIFY 0x1 /**< do not check the evidence's SHA-256 */
#define M365F_RAW_REJECT 0x2    /**< @p id is a reject id, not an event */
/**@}*/

/**
 * The verbatim record of an event (or, with M365F_RAW_REJECT, a reject):
 * from the copy in the case, or read again from the evidence file named in
 * `sources` (its SHA-256 is checked unless M365F_RAW_NO_VERIFY; a changed
 * file is an error).
 * @param[out] out the bytes, NUL-terminated; free with m365f_free().
 * @param[out] len their length.
 */
M365F_EXTERN int m365f_event_raw(m365f_case *c, int64_t id,
				 unsigned int flags, char **out, size_t *len,
				 m365f_error *err);

/** Every field of one event as rows (section, name, value): the
 *  normalized fields, cmdlet parameters and properties. */
M365F_EXTERN int m365f_event_fields(m365f_case *c, int64_t id,
				    m365f_row_cb cb, void *payload,
				    m365f_error *err);

/** Free memory the library handed out (NULL is a no-op). */
M365F_EXTERN void m365f_free(void *p);
/* Blast radius and address enrichment                                */
/* ------------------------------------------------------------------ */

/** Options of m365f_scope(). Strings are borrowed during the call. */
typedef struct m365f_scope_options {
	unsigned int version;          /**< M365F_SCOPE_OPTIONS_VERSION */
	const char *const *seed_users; /**< NULL-terminated UPNs, or NULL */
	const char *const *seed_ips;   /**< NULL-terminated addresses, or NULL */
	int min_severity;              /**< without seeds, findings at or above
					    this severity (0 info .. 4
					    critical) seed the scope; -1 =
					    high */
	unsigned int common_days;      /**< an address used on this many days
					    (0 = 3) ... */
	unsigned int common_users;     /**< ... by this many accounts (0 = 5)
					    is the tenant's own infrastructure
					    (VPN, proxy) and ties no one in */
	unsigned int max_agent_users;  /**< a user agent used by at most this
					    many accounts (0 = 3) ties its
					    accounts together */
} m365f_scope_options;

#define M365F_SCOPE_OPTIONS_VERSION 1
#define M365F_SCOPE_OPTIONS_INIT { M365F_SCOPE_OPTIONS_VERSION, NULL, NULL, \
				   -1, 0, 0, 0 }

/** Initialise @p opts to defaults for @p version. */
M365F_EXTERN int m365f_scope_options_init(m365f_scope_options *opts,
					  unsigned int version);

/**
 * The blast radius of an incident: from the seed accounts and addresses
 * (or, without seeds, from the findings at or above opts->min_severity;
 * run m365f_detect_run() first) the accounts, addresses, sessions and
 * applications tied in, one row each, most tied-in first within a kind.
 * Columns: kind ("account", "ip", "session", "app"), value, score,
 * first_time, last_time (ISO-8601), events (count), evidence (why it is
 * in scope, "; "-separated), event_ids (up to 50 ids, comma-separated).
 * Addresses the tenant uses every day (opts->common_*) tie no one in.
 * The case is not changed.
 * @return M365F_OK, M365F_ENOTFOUND when there are no seeds and no
 *         findings to start from, or the error of the case.
 */
M365F_EXTERN int m365f_scope(m365f_case *c, const m365f_scope_options *opts,
			     m365f_row_cb cb, void *payload, m365f_error *err);

/** 1 when this library can read MaxMind-format databases, else 0. */
M365F_EXTERN int m365f_geoip_available(void);

/**
 * Look up every public address of the case in a MaxMind-format database
 * (GeoLite2/GeoIP2 City, Country or ASN; several can be applied one after
 * the other) and store country, city, coordinates and autonomous system
 * in the ip_info table, where the travel and shared-infrastructure
 * detectors find them for addresses that no sign-in located. Offline:
 * the file is only read.
 * @param[out] found addresses with an answer (may be NULL).
 * @return M365F_OK, M365F_EUNSUPPORTED when built without libmaxminddb,
 *         M365F_EIO or M365F_EPARSE for an unreadable database.
 */
M365F_EXTERN int m365f_case_geoip(m365f_case *c, const char *mmdb_path,
				  uint64_t *found, m365f_error *err);

/* ------------------------------------------------------------------ */
/* Reports, exports and triage                                        */
/* ------------------------------------------------------------------ */

/** @name Export formats for m365f_export(). */
/**@{*/
#define M365F_EXPORT_JSONL 0          /**< timeline rows as JSON lines */
#define M365F_EXPORT_CSV 1            /**< timeline rows as CSV */
#define M365F_EXPORT_TIMESKETCH 2     /**< Timesketch JSONL (message,
					   datetime, timestamp_desc, ...) */
#define M365F_EXPORT_TIMESKETCH_CSV 3 /**< the same as Timesketch CSV */
#define M365F_EXPORT_ECS 4            /**< Elastic Common Schema, as
					   Elasticsearch/OpenSearch _bulk
					   action and document lines */
#define M365F_EXPORT_IOCS 5           /**< indicators of compromise, CSV */
#define M365F_EXPORT_IOCS_JSONL 6     /**< indicators, JSON lines */
/**@}*/

/** Parse "jsonl", "csv", "timesketch", "timesketch-csv", "ecs", "iocs",
 *  "iocs-jsonl"; -1 if unknown. */
M365F_EXTERN int m365f_export_format_from_name(const char *name);

/**
 * Write the case's timeline (or the slice @p filter selects; NULL = all)
 * to @p fp in an M365F_EXPORT_* format. The indicator formats list the
 * indicators found in the evidence of the findings and accept no filter
 * (M365F_EINVAL). Every string goes through the writer sinks: JSON is
 * valid UTF-8, CSV formula cells are neutralized.
 * @param[in] fp borrowed for the call; not closed.
 */
M365F_EXTERN int m365f_export(m365f_case *c, FILE *fp, int format,
			      const m365f_timeline_filter *filter,
			      m365f_error *err);

/** @name Report formats and flags. */
/**@{*/
#define M365F_REPORT_AUTO 0     /**< from the file name (.html, .md) */
#define M365F_REPORT_HTML 1     /**< one self-contained HTML file */
#define M365F_REPORT_MARKDOWN 2 /**< Markdown */
#define M365F_REPORT_TIMESTAMP 0x1 /**< print when the report was made
					(otherwise the same case gives the
					same bytes) */
/**@}*/

typedef struct m365f_report_options {
	unsigned int version;  /**< M365F_REPORT_OPTIONS_VERSION */
	int format;            /**< M365F_REPORT_* format */
	unsigned int flags;    /**< M365F_REPORT_TIMESTAMP */
	const char *title;     /**< NULL = "Incident report: <case name>" */
	size_t max_evidence;   /**< evidence rows per finding, 0 = 50 */
	size_t max_timeline;   /**< key events listed, 0 = 500 */
} m365f_report_options;

#define M365F_REPORT_OPTIONS_VERSION 1
#define M365F_REPORT_OPTIONS_INIT { M365F_REPORT_OPTIONS_VERSION, \
	M365F_REPORT_AUTO, 0, NULL, 0, 0 }

/**
 * Write the incident report of the case to @p fp: case summary,
 * evidence inventory, coverage gaps, findings with their evidence rows,
 * affected accounts, key events with an activity chart (HTML: inline
 * SVG), indicators, a containment checklist and the detector runs.
 * HTML needs no network: no scripts, fonts or images are loaded.
 * With M365F_REPORT_AUTO the format must be given through
 * m365f_report_write_file(); here it is M365F_EINVAL.
 */
M365F_EXTERN int m365f_report_write(m365f_case *c, FILE *fp,
				    const m365f_report_options *opts,
				    m365f_error *err);

/** The same into the file @p path (created or replaced); the format is
 *  taken from its extension when opts->format is M365F_REPORT_AUTO. */
M365F_EXTERN int m365f_report_write_file(m365f_case *c, const char *path,
					 const m365f_report_options *opts,
					 m365f_error *err);

/** Number of severities counted by triage, indexed by M365F_SEVERITY_*
 *  (info 0 to critical 4). */
#define M365F_TRIAGE_NSEV 5

/** The outcome of one bundle. Strings belong to the result array. */
typedef struct m365f_triage_result {
	const char *bundle;        /**< path as given */
	const char *case_path;     /**< the case written for it */
	int status;                /**< M365F_OK, or why the bundle broke */
	m365f_error error;         /**< detail when status != M365F_OK */
	uint64_t sources;          /**< evidence files stored */
	uint64_t skipped;          /**< files skipped or failed */
	uint64_t records, stored, duplicates, rejected;
	unsigned int detectors_failed; /**< detectors that could not run */
	uint64_t findings[M365F_TRIAGE_NSEV]; /**< by severity, info
						  first */
	const char *top_findings;  /**< up to 3 titles, most severe first,
					"; "-separated */
	const char *users;         /**< affected users, ", "-separated */
	uint64_t nusers;           /**< number of affected users */
	int64_t first_ms, last_ms; /**< time span of the events; 0 = none */
	int max_severity;          /**< M365F_SEVERITY_*, -1 when nothing
					was found */
} m365f_triage_result;

/** Called when a bundle starts (done == 0) and when it ends (done == 1,
 *  r filled). Calls are serialized; @p index is the bundle's position. */
typedef void (*m365f_triage_cb)(size_t index, int done,
				const m365f_triage_result *r, void *payload);

/** Runs detection on a freshly ingested case; installed by the caller
 *  so triage works with any detector set. Returns M365F_OK or an
 *  error, with detail in @p err. */
typedef int (*m365f_triage_detect_fn)(m365f_case *c, void *payload,
				      m365f_error *err);

/** @name Triage flags. */
/**@{*/
#define M365F_TRIAGE_NO_DETECT 0x1 /**< ingest and summary only */
/**@}*/

typedef struct m365f_triage_options {
	unsigned int version;     /**< M365F_TRIAGE_OPTIONS_VERSION */
	const char *out_dir;      /**< NULL = each case beside its bundle */
	unsigned int jobs;        /**< bundles at once; 0 = number of CPUs */
	const m365f_ingest_options *ingest; /**< NULL = defaults (its
					callbacks are not used) */
	m365f_triage_detect_fn detect; /**< NULL = m365f_detect_run() with
					    detect_options */
	m365f_triage_cb cb;       /**< progress, may be NULL */
	void *payload;            /**< for cb and detect */
	unsigned int flags;       /**< M365F_TRIAGE_* */
	const struct m365f_detect_options *detect_options; /**< NULL = the
					built-in detectors, defaults
					(diag_cb is not used) */
} m365f_triage_options;

#define M365F_TRIAGE_OPTIONS_VERSION 1
#define M365F_TRIAGE_OPTIONS_INIT { M365F_TRIAGE_OPTIONS_VERSION, NULL, 0, \
	NULL, NULL, NULL, NULL, 0, NULL }

/**
 * Ingest each bundle (a folder, a .zip, a .tar or .tar.gz read in place)
 * into its own case, run detection (the built-in detectors unless
 * opts->detect or M365F_TRIAGE_NO_DETECT say otherwise) and summarize
 * it. Bundles run in
 * parallel, each on its own case handle. A broken bundle gets a status
 * and the others go on.
 * @param[out] out @p n results in the order of @p bundles; free with
 *             m365f_triage_free().
 * @return M365F_OK when every bundle was attempted (see each status),
 *         an error for bad arguments or when no thread could start.
 */
M365F_EXTERN int m365f_triage(m365f_triage_result **out,
			      const char *const *bundles, size_t n,
			      const m365f_triage_options *opts,
			      m365f_error *err);

/** Release results of m365f_triage(). NULL is a no-op. */
M365F_EXTERN void m365f_triage_free(m365f_triage_result *r, size_t n);

/**
 * Write the summary table of @p n results in M365F_FORMAT_TEXT, _JSONL
 * or _CSV: bundle, status, sources, skipped, records, rejects, findings
 * by severity, top findings, affected users, time span.
 */
M365F_EXTERN int m365f_triage_write(FILE *fp, const m365f_triage_result *r,
				    size_t n, int format, m365f_error *err);

/* ------------------------------------------------------------------ */
/* Detection                                                          */
/* ------------------------------------------------------------------ */

/** @name Severities, lowest first. */
/**@{*/
#define M365F_SEVERITY_INFO 0
#define M365F_SEVERITY_LOW 1
#define M365F_SEVERITY_MEDIUM 2
#define M365F_SEVERITY_HIGH 3
#define M365F_SEVERITY_CRITICAL 4
/**@}*/

/** "info", "low", "medium", "high", "critical" -> M365F_SEVERITY_*, or -1.
 *  Case-insensitive. */
M365F_EXTERN int m365f_severity_from_name(const char *name);
/** Name of a severity, or NULL when out of range. */
M365F_EXTERN const char *m365f_severity_name(int severity);

/** @name Detection flags. */
/**@{*/
#define M365F_DETECT_NO_BUILTIN 0x1 /**< only the detectors of rules_dir */
/**@}*/

/**
 * Options of a detection run, of the detector list and of the findings
 * query. Strings are borrowed for the duration of the call.
 */
typedef struct m365f_detect_options {
	unsigned int version;      /**< M365F_DETECT_OPTIONS_VERSION */
	unsigned int flags;        /**< M365F_DETECT_* */
	const char *rules_dir;     /**< folder of extra detectors (*.sql), or
				        NULL */
	const char *config_path;   /**< parameter file ("name = value" lines),
				        or NULL */
	const char *const *params; /**< NULL-terminated "name=value" or
				        "detector.name=value" overrides; they
				        win over the config file */
	const char *categories;    /**< comma-separated categories; NULL or ""
				        = all */
	int min_severity;          /**< M365F_SEVERITY_*: findings below it
				        are not stored (run) or not listed */
	m365f_diag_cb diag_cb;     /**< called once per detector that failed
				        to load, compile or run */
	void *payload;             /**< passed to diag_cb */
} m365f_detect_options;

#define M365F_DETECT_OPTIONS_VERSION 1
#define M365F_DETECT_OPTIONS_INIT { M365F_DETECT_OPTIONS_VERSION, 0, NULL, \
				    NULL, NULL, NULL, 0, NULL, NULL }

/** Initialise @p opts to defaults for @p version. */
M365F_EXTERN int m365f_detect_options_init(m365f_detect_options *opts,
					   unsigned int version);

/** What a detection run did. */
typedef struct m365f_detect_summary {
	unsigned int detectors;  /**< detectors run */
	unsigned int failed;     /**< detectors that failed (see diag_cb) */
	uint64_t findings;       /**< findings stored */
	int max_severity;        /**< highest severity stored, -1 if none;
				      coverage findings (about the evidence)
				      do not count */
} m365f_detect_summary;

/**
 * Run the built-in detectors and those of opts->rules_dir over the case
 * and store their findings, each linked to its evidence events. The
 * findings of the detectors that run replace those of their previous run
 * (one transaction). A detector that fails to load, compile or run is
 * reported through opts->diag_cb with its file, line and column, and the
 * others still run.
 * @param[out] out what the run did (may be NULL).
 * @return M365F_OK even when some detectors failed (count in out->failed);
 *         M365F_EINVAL for bad options or parameters (err says which),
 *         M365F_EDB when the case could not be written.
 */
M365F_EXTERN int m365f_detect_run(m365f_case *c,
				  const m365f_detect_options *opts,
				  m365f_detect_summary *out, m365f_error *err);

/**
 * One row per detector (built-in and opts->rules_dir, filtered by
 * opts->categories) with the columns id, title, category, severity,
 * attack, version, source, parameters (JSON object of the effective
 * values), description, false_positives. Needs no case. Detectors that
 * fail to load are reported through opts->diag_cb.
 */
M365F_EXTERN int m365f_detectors_list(const m365f_detect_options *opts,
				      m365f_row_cb cb, void *payload,
				      m365f_error *err);

/**
 * Rows of the stored findings, most severe first, then by time, with the
 * columns detector, title, category, severity, attack, user, first_time,
 * last_time (ISO-8601), summary, events (JSON array of event ids, type
 * M365F_TYPE_JSON) and detail (JSON object or NULL). opts (may be NULL)
 * filters by categories and min_severity.
 */
M365F_EXTERN int m365f_findings(m365f_case *c,
				const m365f_detect_options *opts,
				m365f_row_cb cb, void *payload,
				m365f_error *err);

#ifdef __cplusplus
}
#endif
#endif /* M365F_H */
