/* SPDX-License-Identifier: MIT */
/*
 * archive.c - evidence bundles read in place with libarchive: a .zip or a
 * (compressed) tar is hashed and recorded as a source, and each regular
 * member becomes a source "bundle.zip!/path/in/archive" with its own
 * SHA-256. Nothing is extracted to disk, so member paths are only names:
 * absolute or ".." paths and links are reported and never read.
 */
#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "m365f-private.h"

#define MAX_MEMBERS 100000          /* members read from one archive */
#define MAX_MEMBER_NAME 4096
#define RATIO_FLOOR ((uint64_t)16 << 20) /* ratio checked past 16 MiB */
#define DEFAULT_MAX_RATIO 1000u

bool m365f__archive_is(const char *path)
{
	unsigned char magic[4];
	ssize_t r;
	int fd;

	if (m365f__has_suffix_ci(path, ".zip") || m365f__has_suffix_ci(path, ".tar") ||
	    m365f__has_suffix_ci(path, ".tar.gz") || m365f__has_suffix_ci(path, ".tgz"))
		return true;
	/* a zip under another name (.ZIP from a mail gateway, no name) */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return false;
	r = read(fd, magic, sizeof(magic));
	close(fd);
	return r == 4 && magic[0] == 'P' && magic[1] == 'K' &&
	       ((magic[2] == 3 && magic[3] == 4) ||
		(magic[2] == 5 && magic[3] == 6));
}

typedef struct {
	struct archive *a;
	uint64_t unpacked;      /* member bytes handed out, all members */
	unsigned int max_ratio;
} member_ctx;

static long member_read(void *ctx, void *buf, size_t n, char *msg,
			size_t msglen)
{
	member_ctx *m = ctx;
	la_ssize_t r = archive_read_data(m->a, buf, n);
	la_int64_t packed;

	if (r < 0) {
		const char *e = archive_error_string(m->a);

		snprintf(msg, msglen, "archive member unreadable: %s",
			 e ? e : "read error");
		return M365F_EPARSE;
	}
	m->unpacked += (uint64_t)r;
	packed = archive_filter_bytes(m->a, -1);
	if (m->unpacked > RATIO_FLOOR && packed > 0 &&
	    m->unpacked / (uint64_t)packed > m->max_ratio) {
		snprintf(msg, msglen, "compression ratio over the limit "
				      "(archive bomb?)");
		return M365F_ELIMIT;
	}
	return (long)r;
}

/* Why a member name must not be read, or NULL when it is a plain
 * relative path. Both separators count: zips made on Windows use '\'. */
static const char *unsafe_name(const char *p)
{
	const char *s = p;

	if (p[0] == '/' || p[0] == '\\')
		return "absolute path";
	if (isalpha((unsigned char)p[0]) && p[1] == ':')
		return "absolute path (drive letter)";
	while (*s) {
		size_t n = strcspn(s, "/\\");

		if (n == 2 && s[0] == '.' && s[1] == '.')
			return "path leaves the archive (..)";
		s += n;
		if (*s)
			s++;
	}
	return NULL;
}

/* Hidden members are not evidence, as in folders (".DS_Store",
 * "__MACOSX/._x"). "./" at the start is no component. */
static bool hidden_name(const char *p)
{
	const char *s = p;

	while (*s) {
		size_t n = strcspn(s, "/\\");

		if (n && s[0] == '.' && !(n == 1))
			return true;
		if (n == 8 && !strncmp(s, "__MACOSX", 8))
			return true;
		s += n;
		if (*s)
			s++;
	}
	return false;
}

static int hash_file(const char *path, const m365f_ingest_options *opts,
		     char hex[65], uint64_t *size, m365f_error *err)
{
	m365f__input *in = NULL;
	int rc = m365f__input_open_file(&in, path, opts, err);

	if (rc)
		return rc;
	rc = m365f__input_finish(in, hex, err);
	*size = m365f__input_size(in);
	m365f__input_free(in);
	return rc;
}

static const char *format_name(struct archive *a, const char **compression)
{
	int f = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
	int filter = archive_filter_count(a) > 1 ? archive_filter_code(a, 0)
						 : ARCHIVE_FILTER_NONE;

	*compression = filter == ARCHIVE_FILTER_GZIP ? "gzip" :
		       filter == ARCHIVE_FILTER_NONE ? "none" :
						       archive_filter_name(a, 0);
	if (f == ARCHIVE_FORMAT_ZIP) {
		*compression = "zip";
		return "zip";
	}
	if (filter == ARCHIVE_FILTER_GZIP)
		return "tar.gz";
	return filter == ARCHIVE_FILTER_NONE ? "tar" : "tar.compressed";
}

static const char *sql_archive_row =
	"INSERT INTO sources(path, size, sha256, format, product, encoding,"
	" compression, ingested_at, lib_version) VALUES (?1, ?2, ?3, ?4,"
	" 'archive', '', ?5, ?6, ?7)";

/* The sources row of the archive itself; *id gets its id. */
static int archive_row(m365f_case *c, const char *path, uint64_t size,
		       const char *hex, const char *format,
		       const char *compression, int64_t *id)
{
	struct timespec ts;
	sqlite3_stmt *st;
	char now[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	m365f__time_format((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
			   now);
	st = m365f__case_stmt(c, sql_archive_row, NULL);
	if (!st)
		return M365F_EDB;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)size);
	sqlite3_bind_text(st, 3, hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, format, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, compression, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, M365F_VERSION, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return M365F_EDB;
	*id = sqlite3_last_insert_rowid(c->db);
	return M365F_OK;
}

static int64_t archive_seen(m365f_case *c, const char *hex)
{
	sqlite3_stmt *st = m365f__case_stmt(c,
					    "SELECT id FROM sources WHERE"
					    " sha256 = ?1 AND product ="
					    " 'archive' LIMIT 1",
					    NULL);
	int64_t id = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* Read one member into its own source. */
static int member(m365f__ingest *ing, member_ctx *mc, const char *path,
		  struct archive_entry *e)
{
	const m365f_ingest_options *opts = m365f__ingest_opts(ing);
	const char *mname = archive_entry_pathname_utf8(e);
	const char *why;
	m365f__input *in = NULL;
	m365f_error err;
	m365f__buf name;
	int rc;

	if (!mname)
		mname = archive_entry_pathname(e);
	if (!mname || !*mname)
		return m365f__ingest_unread(ing, path, M365F_SOURCE_SKIPPED,
					    M365F_EPARSE,
					    "archive member without a name: "
					    "not read");
	while (mname[0] == '.' && (mname[1] == '/' || mname[1] == '\\'))
		mname += 2;
	if (archive_entry_filetype(e) == AE_IFDIR || !*mname)
		return M365F_OK;
	if (strlen(mname) > MAX_MEMBER_NAME)
		return m365f__ingest_unread(ing, path, M365F_SOURCE_SKIPPED,
					    M365F_ELIMIT,
					    "archive member name over %d "
					    "bytes: not read",
					    MAX_MEMBER_NAME);
	m365f__buf_init(&name, 0);
	if (m365f__buf_printf(&name, "%s!/%s", path, mname))
		return M365F_ENOMEM;
	why = unsafe_name(mname);
	if (why) {
		rc = m365f__ingest_unread(ing, name.data, M365F_SOURCE_SKIPPED,
					  M365F_EPARSE,
					  "%s: not read", why);
		goto out;
	}
	if (hidden_name(mname)) {
		rc = M365F_OK;
		goto out;
	}
	if (archive_entry_filetype(e) != AE_IFREG ||
	    archive_entry_hardlink(e)) {
		const char *to = archive_entry_symlink(e);

		if (!to)
			to = archive_entry_hardlink(e);
		rc = m365f__ingest_unread(ing, name.data, M365F_SOURCE_SKIPPED,
					  M365F_EPARSE,
					  "link or special file%s%s: "
					  "not followed",
					  to ? " to " : "", to ? to : "");
		goto out;
	}
	if (archive_entry_is_encrypted(e)) {
		rc = m365f__ingest_unread(ing, name.data, M365F_SOURCE_FAILED,
					  M365F_EPARSE,
					  "encrypted archive member: not read");
		goto out;
	}
	m365f__error_clear(&err);
	rc = m365f__input_open_reader(&in, name.data, member_read, mc,
				      archive_entry_size_is_set(e)
					      ? (uint64_t)archive_entry_size(e)
					      : 0,
				      opts, &err);
	if (rc)
		goto out;
	rc = m365f__ingest_source(ing, in, name.data);
out:
	m365f__buf_free(&name);
	return rc;
}

int m365f__archive_ingest(m365f__ingest *ing, const char *path)
{
	const m365f_ingest_options *opts = m365f__ingest_opts(ing);
	m365f_case *c = m365f__ingest_case(ing);
	m365f_source_summary sum;
	m365f_error err;
	struct archive *a;
	struct archive_entry *e;
	member_ctx mc;
	char hex[65];
	uint64_t size = 0, members = 0;
	const char *format = "", *compression = "";
	int64_t id = 0, seen;
	int r, rc = M365F_OK;
	bool broken = false;

	m365f__error_clear(&err);
	if (hash_file(path, opts, hex, &size, &err))
		return m365f__ingest_unread(ing, path, M365F_SOURCE_FAILED,
					    err.code, "%s", err.text);
	seen = archive_seen(c, hex);
	if (seen < 0)
		return M365F_EDB;
	a = archive_read_new();
	if (!a)
		return M365F_ENOMEM;
	archive_read_support_filter_all(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
		rc = m365f__ingest_unread(ing, path, M365F_SOURCE_FAILED,
					  M365F_EPARSE,
					  "not a readable archive: %s",
					  archive_error_string(a)
						  ? archive_error_string(a)
						  : "unknown format");
		archive_read_free(a);
		return rc;
	}
	memset(&mc, 0, sizeof(mc));
	mc.a = a;
	mc.max_ratio = opts->max_ratio ? opts->max_ratio : DEFAULT_MAX_RATIO;
	memset(&sum, 0, sizeof(sum));
	m365f__error_clear(&err);
	while (!rc) {
		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			m365f__error_source(&err, path);
			m365f__error_set(&err, M365F_EPARSE,
					 "broken archive after %" PRIu64
					 " members: %s",
					 members,
					 archive_error_string(a)
						 ? archive_error_string(a)
						 : "read error");
			broken = true;
			break;
		}
		if (!id && !seen) {
			format = format_name(a, &compression);
			rc = archive_row(c, path, size, hex, format,
					 compression, &id);
			if (rc)
				break;
		}
		if (seen) {
			format = format_name(a, &compression);
			break;
		}
		if (++members > MAX_MEMBERS) {
			m365f__error_source(&err, path);
			m365f__error_set(&err, M365F_ELIMIT,
					 "more than %d archive members: the "
					 "rest is not read",
					 MAX_MEMBERS);
			broken = true;
			break;
		}
		rc = member(ing, &mc, path, e);
	}
	archive_read_free(a);
	if (rc)
		return rc;
	sum.id = seen ? seen : id;
	sum.path = path;
	sum.sha256 = hex;
	sum.format = format;
	sum.product = "archive";
	sum.encoding = "";
	sum.size = size;
	if (broken) {
		sum.status = M365F_SOURCE_FAILED;
		sum.error = &err;
	} else if (seen) {
		m365f__error_source(&err, path);
		m365f__error_set(&err, M365F_OK,
				 "already in the case as source %lld",
				 (long long)seen);
		sum.status = M365F_SOURCE_ALREADY;
		sum.error = &err;
	} else if (!id) {
		m365f__error_source(&err, path);
		m365f__error_set(&err, M365F_EFORMAT, "empty archive");
		sum.status = M365F_SOURCE_SKIPPED;
		sum.error = &err;
	} else {
		sum.status = M365F_SOURCE_INGESTED;
	}
	return m365f__ingest_report(ing, &sum);
}
