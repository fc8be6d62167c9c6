/* SPDX-License-Identifier: MIT */
/*
 * geo.c - address facts for the lateral and credential detectors: the
 * ip_prefix() SQL function (network of an address, for "same session from
 * another network"), and optional offline enrichment of the case's
 * addresses from a MaxMind-format database (libmaxminddb) into ip_info.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef M365F_HAVE_MAXMINDDB
#include <maxminddb.h>
#endif

#include "m365f-private.h"

/* The network of ip as text: the first v4bits of an IPv4 address or the
 * first v6bits of an IPv6 one, with the rest zeroed, then "/bits". */
int m365f__ip_prefix(const char *ip, int v4bits, int v6bits, char out[64])
{
	unsigned char a[16];
	char txt[INET6_ADDRSTRLEN];
	int fam, bits, len, i;

	if (!ip)
		return -1;
	if (inet_pton(AF_INET, ip, a) == 1) {
		fam = AF_INET;
		bits = v4bits;
		len = 4;
	} else if (inet_pton(AF_INET6, ip, a) == 1) {
		fam = AF_INET6;
		bits = v6bits;
		len = 16;
	} else {
		return -1;
	}
	if (bits < 0)
		bits = 0;
	if (bits > len * 8)
		bits = len * 8;
	for (i = 0; i < len; i++) {
		int keep = bits - i * 8;

		if (keep <= 0)
			a[i] = 0;
		else if (keep < 8)
			a[i] &= (unsigned char)(0xFF << (8 - keep));
	}
	if (!inet_ntop(fam, a, txt, sizeof(txt)))
		return -1;
	snprintf(out, 64, "%s/%d", txt, bits);
	return 0;
}

static void fn_ip_prefix(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char out[64];
	int v4 = 16, v6 = 48;

	if (argc > 1 && sqlite3_value_type(argv[1]) != SQLITE_NULL)
		v4 = sqlite3_value_int(argv[1]);
	if (argc > 2 && sqlite3_value_type(argv[2]) != SQLITE_NULL)
		v6 = sqlite3_value_int(argv[2]);
	if (m365f__ip_prefix((const char *)sqlite3_value_text(argv[0]), v4, v6,
			     out) == 0)
		sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

int m365f__geo_register(m365f_case *c)
{
	const int det = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
	int rc = 0;

	rc |= sqlite3_create_function(c->db, "ip_prefix", 1, det, NULL,
				      fn_ip_prefix, NULL, NULL);
	rc |= sqlite3_create_function(c->db, "ip_prefix", 3, det, NULL,
				      fn_ip_prefix, NULL, NULL);
	return rc ? M365F_EDB : M365F_OK;
}

/* ------------------------------------------------------------- MaxMind */

int m365f_geoip_available(void)
{
#ifdef M365F_HAVE_MAXMINDDB
	return 1;
#else
	return 0;
#endif
}

#ifdef M365F_HAVE_MAXMINDDB

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Text of a UTF-8 string entry at the path, into buf; "" if absent. */
static void mm_string(MMDB_entry_s *entry, char *buf, size_t n, ...)
{
	MMDB_entry_data_s d;
	va_list ap;
	int rc;

	buf[0] = '\0';
	va_start(ap, n);
	rc = MMDB_vget_value(entry, &d, ap);
	va_end(ap);
	if (rc == MMDB_SUCCESS && d.has_data &&
	    d.type == MMDB_DATA_TYPE_UTF8_STRING) {
		size_t len = d.data_size < n - 1 ? d.data_size : n - 1;

		memcpy(buf, d.utf8_string, len);
		buf[len] = '\0';
	}
}

static int mm_number(MMDB_entry_s *entry, double *out, ...)
{
	MMDB_entry_data_s d;
	va_list ap;
	int rc;

	va_start(ap, out);
	rc = MMDB_vget_value(entry, &d, ap);
	va_end(ap);
	if (rc != MMDB_SUCCESS || !d.has_data)
		return 0;
	switch (d.type) {
	case MMDB_DATA_TYPE_DOUBLE:
		*out = d.double_value;
		return 1;
	case MMDB_DATA_TYPE_FLOAT:
		*out = d.float_value;
		return 1;
	case MMDB_DATA_TYPE_UINT16:
		*out = d.uint16;
		return 1;
	case MMDB_DATA_TYPE_UINT32:
		*out = d.uint32;
		return 1;
	case MMDB_DATA_TYPE_INT32:
		*out = d.int32;
		return 1;
	default:
		return 0;
	}
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int m365f_case_geoip(m365f_case *c, const char *mmdb_path, uint64_t *found,
		     m365f_error *err)
{
	static const char *const sel =
		"SELECT DISTINCT client_ip FROM events "
		"WHERE client_ip IS NOT NULL AND client_ip <> '' "
		"ORDER BY client_ip";
	/* a second database (ASN after City) fills what the first left
	 * empty */
	static const char *const ins =
		"INSERT INTO ip_info(ip, country, city, latitude, longitude, "
		"asn, as_org, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
		"ON CONFLICT(ip) DO UPDATE SET "
		"country = coalesce(country, excluded.country), "
		"city = coalesce(city, excluded.city), "
		"latitude = coalesce(latitude, excluded.latitude), "
		"longitude = coalesce(longitude, excluded.longitude), "
		"asn = coalesce(asn, excluded.asn), "
		"as_org = coalesce(as_org, excluded.as_org), "
		"origin = origin || ',' || excluded.origin";
	MMDB_s mmdb;
	sqlite3_stmt *st = NULL, *in = NULL;
	uint64_t n = 0;
	int rc, src;

	m365f__error_clear(err);
	if (found)
		*found = 0;
	if (!c || !mmdb_path)
		return m365f__error_set(err, M365F_EINVAL,
					"no case or database path");
	if (c->readonly)
		return m365f__error_set(err, M365F_EUSAGE,
					"case is open read-only");
	src = MMDB_open(mmdb_path, MMDB_MODE_MMAP, &mmdb);
	if (src != MMDB_SUCCESS) {
		m365f__error_set(err,
				 src == MMDB_FILE_OPEN_ERROR ? M365F_EIO
							     : M365F_EPARSE,
				 "cannot read MaxMind database: %s",
				 MMDB_strerror(src));
		m365f__error_source(err, mmdb_path);
		return err ? err->code : M365F_EPARSE;
	}
	rc = m365f__case_exec(c, "BEGIN", err);
	if (rc)
		goto out;
	if (sqlite3_prepare_v2(c->db, sel, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, ins, -1, &in, NULL) != SQLITE_OK) {
		rc = m365f__error_db(err, c->db, "geoip");
		goto rollback;
	}
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *ip = (const char *)sqlite3_column_text(st, 0);
		MMDB_lookup_result_s r;
		int gai = 0, mmerr = 0;
		char country[8], city[128], org[256];
		double lat, lon, asn;
		int have_lat, have_lon, have_asn;

		if (!ip || m365f__ip_is_private(ip) != 0)
			continue;
		r = MMDB_lookup_string(&mmdb, ip, &gai, &mmerr);
		if (gai || mmerr != MMDB_SUCCESS || !r.found_entry)
			continue;
		mm_string(&r.entry, country, sizeof(country), "country",
			  "iso_code", (const char *)NULL);
		if (!country[0])
			mm_string(&r.entry, country, sizeof(country),
				  "registered_country", "iso_code",
				  (const char *)NULL);
		mm_string(&r.entry, city, sizeof(city), "city", "names", "en",
			  (const char *)NULL);
		mm_string(&r.entry, org, sizeof(org),
			  "autonomous_system_organization", (const char *)NULL);
		have_lat = mm_number(&r.entry, &lat, "location", "latitude",
				     (const char *)NULL);
		have_lon = mm_number(&r.entry, &lon, "location", "longitude",
				     (const char *)NULL);
		have_asn = mm_number(&r.entry, &asn,
				     "autonomous_system_number",
				     (const char *)NULL);
		if (!country[0] && !city[0] && !org[0] && !have_lat &&
		    !have_asn)
			continue;
		sqlite3_reset(in);
		sqlite3_bind_text(in, 1, ip, -1, SQLITE_TRANSIENT);
		bind_text_or_null(in, 2, country);
		bind_text_or_null(in, 3, city);
		if (have_lat && have_lon) {
			sqlite3_bind_double(in, 4, lat);
			sqlite3_bind_double(in, 5, lon);
		} else {
			sqlite3_bind_null(in, 4);
			sqlite3_bind_null(in, 5);
		}
		if (have_asn)
			sqlite3_bind_int64(in, 6, (sqlite3_int64)asn);
		else
			sqlite3_bind_null(in, 6);
		bind_text_or_null(in, 7, org);
		sqlite3_bind_text(in, 8, base_name(mmdb_path), -1,
				  SQLITE_TRANSIENT);
		if (sqlite3_step(in) != SQLITE_DONE) {
			rc = m365f__error_db(err, c->db, "geoip insert");
			goto rollback;
		}
		n++;
	}
	if (src != SQLITE_DONE) {
		rc = m365f__error_db(err, c->db, "geoip");
		goto rollback;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(in);
	st = in = NULL;
	rc = m365f__case_exec(c, "COMMIT", err);
	if (rc == M365F_OK && found)
		*found = n;
	goto out;
rollback:
	sqlite3_finalize(st);
	sqlite3_finalize(in);
	m365f__case_exec(c, "ROLLBACK", NULL);
out:
	MMDB_close(&mmdb);
	return rc;
}

#else

int m365f_case_geoip(m365f_case *c, const char *mmdb_path, uint64_t *found,
		     m365f_error *err)
{
	M365F__UNUSED(c);
	M365F__UNUSED(mmdb_path);
	m365f__error_clear(err);
	if (found)
		*found = 0;
	return m365f__error_set(err, M365F_EUNSUPPORTED,
				"this build has no MaxMind database support "
				"(libmaxminddb)");
}

#endif
