/* SPDX-License-Identifier: MIT */
/*
 * raw.c - the verbatim record behind an event or reject, and one event's
 * every field. A record kept by reference is read again from the evidence
 * file recorded in `sources`, whose SHA-256 is checked while reading.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "m365f-private.h"

void m365f_free(void *p)
{
	free(p);
}

static int read_ref(const char *path, const char *sha, uint64_t off,
		    uint64_t len, bool verify, char **out, m365f_error *err)
{
	m365f__input *in = NULL;
	m365f_ingest_options o;
	const char *p;
	size_t n;
	uint64_t pos = 0, got = 0;
	char hex[65];
	char *buf;
	int rc;

	m365f_ingest_options_init(&o, M365F_INGEST_OPTIONS_VERSION);
	buf = malloc(len + 1);
	if (!buf)
		return m365f__error_set(err, M365F_ENOMEM, "out of memory");
	rc = m365f__input_open_file(&in, path, &o, err);
	if (rc) {
		free(buf);
		if (err) {
			/* the reason is copied out first: vsnprintf must
			 * not read the buffer it writes */
			char why[sizeof(err->text)];

			memcpy(why, err->text, sizeof(why));
			m365f__error_set(err, rc,
					 "evidence file not readable (%.200s); "
					 "run from the folder of the ingest "
					 "or keep raw copies with "
					 "--keep-raw=copy",
					 why);
		}
		return rc;
	}
	while (got < len) {
		rc = m365f__input_read(in, &p, &n, err);
		if (rc)
			goto fail;
		if (!n)
			break;
		if (pos + n > off) {
			uint64_t from = off > pos ? off - pos : 0;
			uint64_t take = n - from;

			if (take > len - got)
				take = len - got;
			memcpy(buf + got, p + from, (size_t)take);
			got += take;
		}
		pos += n;
	}
	if (got != len) {
		rc = m365f__error_set(err, M365F_EIO,
				      "evidence file is shorter than the "
				      "case records (changed since ingest?)");
		goto fail;
	}
	if (verify) {
		rc = m365f__input_finish(in, hex, err);
		if (rc)
			goto fail;
		if (strcmp(hex, sha) != 0) {
			rc = m365f__error_set(err, M365F_EIO,
					      "evidence file changed since "
					      "ingest: SHA-256 is %s, the case "
					      "recorded %s",
					      hex, sha);
			goto fail;
		}
	}
	buf[len] = '\0';
	m365f__input_free(in);
	*out = buf;
	return M365F_OK;
fail:
	m365f__error_source(err, path);
	m365f__input_free(in);
	free(buf);
	return rc;
}

int m365f_event_raw(m365f_case *c, int64_t id, unsigned int flags,
		    char **out, size_t *len, m365f_error *err)
{
	sqlite3_stmt *st;
	const char *sql = (flags & M365F_RAW_REJECT)
		? "SELECT 0, length(r.raw), r.raw, s.path, s.sha256"
		  " FROM rejects r JOIN sources s ON s.id = r.source_id"
		  " WHERE r.id = ?1"
		: "SELECT e.raw_offset, e.raw_length, e.raw, s.path, s.sha256"
		  " FROM events e JOIN sources s ON s.id = e.source_id"
		  " WHERE e.id = ?1";
	int rc = M365F_OK;
	uint64_t off, rlen;

	m365f__error_clear(err);
	if (!c || !out || !len)
		return m365f__error_set(err, M365F_EINVAL, "bad arguments");
	*out = NULL;
	*len = 0;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return m365f__error_db(err, c->db, "raw record");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return m365f__error_set(err, M365F_ENOTFOUND,
					"no %s with id %lld",
					(flags & M365F_RAW_REJECT) ? "reject"
								   : "event",
					(long long)id);
	}
	off = (uint64_t)sqlite3_column_int64(st, 0);
	rlen = (uint64_t)sqlite3_column_int64(st, 1);
	if (rlen > ((uint64_t)1 << 31)) {
		sqlite3_finalize(st);
		return m365f__error_set(err, M365F_ELIMIT, "record too large");
	}
	if (flags & M365F_RAW_REJECT) {
		/* rejects always keep their bytes */
		const void *b = sqlite3_column_blob(st, 2);
		char *buf;

		/* the bytes of the value itself: length() counts characters
		 * when the value is text */
		rlen = (uint64_t)sqlite3_column_bytes(st, 2);
		buf = malloc(rlen + 1);
		if (!buf)
			rc = m365f__error_set(err, M365F_ENOMEM,
					      "out of memory");
		else {
			if (rlen)
				memcpy(buf, b, rlen);
			buf[rlen] = '\0';
			*out = buf;
			*len = rlen;
		}
	} else if (sqlite3_column_type(st, 2) == SQLITE_BLOB) {
		uLongf dl = (uLongf)rlen;
		char *buf = malloc(rlen + 1);

		if (!buf)
			rc = m365f__error_set(err, M365F_ENOMEM,
					      "out of memory");
		else if (uncompress((Bytef *)buf, &dl,
				    sqlite3_column_blob(st, 2),
				    (uLong)sqlite3_column_bytes(st, 2)) != Z_OK ||
			 dl != rlen) {
			free(buf);
			rc = m365f__error_set(err, M365F_EPARSE,
					      "stored copy of the record is "
					      "damaged");
		} else {
			buf[rlen] = '\0';
			*out = buf;
			*len = rlen;
		}
	} else {
		char *path = m365f__strndup(
			(const char *)sqlite3_column_text(st, 3),
			(size_t)sqlite3_column_bytes(st, 3));
		char *sha = m365f__strndup(
			(const char *)sqlite3_column_text(st, 4),
			(size_t)sqlite3_column_bytes(st, 4));

		if (!path || !sha)
			rc = m365f__error_set(err, M365F_ENOMEM,
					      "out of memory");
		else
			rc = read_ref(path, sha, off, rlen,
				      !(flags & M365F_RAW_NO_VERIFY), out, err);
		if (!rc)
			*len = rlen;
		free(path);
		free(sha);
	}
	sqlite3_finalize(st);
	return rc;
}

int m365f_event_fields(m365f_case *c, int64_t id, m365f_row_cb cb,
		       void *payload, m365f_error *err)
{
	static const char *const sql =
		"SELECT 'event' AS section, key AS name, value FROM ("
		" SELECT 'id' AS key, e.id AS value, 0 AS o FROM events e"
		"  WHERE e.id = ?1"
		" UNION ALL SELECT 'time', iso_time(e.time), 1 FROM events e"
		"  WHERE e.id = ?1"
		" UNION ALL SELECT 'source', s.path || ':' || e.line, 2"
		"  FROM events e JOIN sources s ON s.id = e.source_id"
		"  WHERE e.id = ?1"
		" UNION ALL SELECT 'source_sha256', s.sha256, 3"
		"  FROM events e JOIN sources s ON s.id = e.source_id"
		"  WHERE e.id = ?1"
		" UNION ALL SELECT j.key, j.value, 4 + j.id FROM events e,"
		"  json_each(json_object('product', e.product, 'workload',"
		"   e.workload, 'record_type', e.record_type,"
		"   'record_type_name', e.record_type_name, 'operation',"
		"   e.operation, 'result', e.result, 'result_code',"
		"   e.result_code, 'user', e.user, 'client_ip', e.client_ip,"
		"   'client_port', e.client_port, 'user_agent', e.user_agent,"
		"   'object', e.object, 'app_id', e.app_id, 'session_id',"
		"   e.session_id, 'token_id', e.token_id, 'correlation_id',"
		"   e.correlation_id, 'record_id', e.record_id)) j"
		"  WHERE e.id = ?1 AND j.value IS NOT NULL)"
		" UNION ALL SELECT 'param', name, value FROM event_params"
		"  WHERE event_id = ?1"
		" UNION ALL SELECT 'prop:' || kind, name,"
		"  CASE WHEN old_value IS NULL THEN new_value"
		"  ELSE old_value || ' -> ' || coalesce(new_value, '') END"
		"  FROM event_props WHERE event_id = ?1";
	sqlite3_stmt *st;
	int rc;

	m365f__error_clear(err);
	if (!c)
		return m365f__error_set(err, M365F_EINVAL, "no case");
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return m365f__error_db(err, c->db, "event");
	sqlite3_bind_int64(st, 1, id);
	rc = m365f__stmt_rows(st, cb, payload, err);
	sqlite3_finalize(st);
	return rc;
}
