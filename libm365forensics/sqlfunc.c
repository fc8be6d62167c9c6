/* SPDX-License-Identifier: MIT */
/*
 * sqlfunc.c - SQL functions for detectors and `m365f sql`:
 *   regexp(pattern, text)         PCRE2, JIT, compiled once per statement
 *   email_domain(addr)            lower-case domain of an address
 *   is_internal(addr)             1 if the address is in a tenant domain
 *   ip_in_cidr(ip, cidr)          CIDR membership, IPv4 and IPv6
 *   ip_is_private(ip)             RFC 1918/4193, loopback, link-local, ...
 *   iso_time(ms)                  2023-09-26T01:56:15.000Z
 *   time_ms(text)                 any timestamp form -> ms (NULL if bad)
 *   geo_distance_km(la1,lo1,la2,lo2)  great-circle distance
 *   param(name [, default])       a detector parameter (numbers as numbers)
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "m365f-private.h"

/* -------------------------------------------------------------- regexp */

typedef struct {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
} re_cache;

static void re_free(void *p)
{
	re_cache *r = p;

	if (!r)
		return;
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
	pcre2_code_free(r->code);
	free(r);
}

static void fn_regexp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	re_cache *r;
	const unsigned char *subj;
	int rc;

	M365F__UNUSED(argc);
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
	    sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	r = sqlite3_get_auxdata(ctx, 0);
	if (!r) {
		int ec;
		PCRE2_SIZE eo;
		const unsigned char *pat = sqlite3_value_text(argv[0]);

		r = calloc(1, sizeof(*r));
		if (!r) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		r->code = pcre2_compile(pat, (PCRE2_SIZE)sqlite3_value_bytes(argv[0]),
					PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
					&ec, &eo, NULL);
		if (!r->code) {
			PCRE2_UCHAR msg[160];
			char *e;

			pcre2_get_error_message(ec, msg, sizeof(msg));
			/* SQLite's printf: %z is a string it frees, so the
			 * offset goes as %lld */
			e = sqlite3_mprintf("regexp: %s at offset %lld of "
					    "'%s'",
					    (char *)msg, (sqlite3_int64)eo,
					    pat);
			sqlite3_result_error(ctx, e ? e : "regexp error", -1);
			sqlite3_free(e);
			free(r);
			return;
		}
		pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
		r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
		r->mctx = pcre2_match_context_create(NULL);
		if (!r->md || !r->mctx) {
			re_free(r);
			sqlite3_result_error_nomem(ctx);
			return;
		}
		pcre2_set_match_limit(r->mctx, 1000000);
		pcre2_set_depth_limit(r->mctx, 10000);
		sqlite3_set_auxdata(ctx, 0, r, re_free);
		r = sqlite3_get_auxdata(ctx, 0);
		if (!r) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
	}
	subj = sqlite3_value_text(argv[1]);
	if (!subj)
		return;
	rc = pcre2_match(r->code, subj,
			 (PCRE2_SIZE)sqlite3_value_bytes(argv[1]), 0, 0,
			 r->md, r->mctx);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT) {
		sqlite3_result_error(ctx, "regexp: match limit exceeded", -1);
		return;
	}
	sqlite3_result_int(ctx, rc >= 0);
}

/* --------------------------------------------------------------- e-mail */

/* Domain part of "Name <a@b>", "SMTP:a@b", "smtp:a@b", "a@b". */
static const char *domain_of(const char *s, size_t *len)
{
	const char *at = strrchr(s, '@'), *e;

	if (!at)
		return NULL;
	at++;
	e = at;
	while (*e && *e != '>' && *e != ']' && *e != ' ' && *e != ';' &&
	       *e != ',' && *e != '"' && *e != '\'')
		e++;
	while (e > at && e[-1] == '.')
		e--;
	*len = (size_t)(e - at);
	return *len ? at : NULL;
}

static void fn_email_domain(sqlite3_context *ctx, int argc,
			    sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	const char *d;
	size_t n, i;
	char *out;

	M365F__UNUSED(argc);
	if (!s || !(d = domain_of(s, &n)))
		return;
	out = sqlite3_malloc64(n + 1);
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)d[i]);
	out[n] = '\0';
	sqlite3_result_text(ctx, out, (int)n, sqlite3_free);
}

static void domains_free(m365f_case *c)
{
	size_t i;

	for (i = 0; i < c->ndomains; i++)
		free(c->domains[i]);
	free(c->domains);
	c->domains = NULL;
	c->ndomains = 0;
	c->domains_loaded = false;
}

void m365f__sqlfunc_invalidate(m365f_case *c)
{
	domains_free(c);
}

static int domains_load(m365f_case *c)
{
	sqlite3_stmt *st;
	size_t cap = 0;

	if (c->domains_loaded)
		return 0;
	if (sqlite3_prepare_v2(c->db, "SELECT domain FROM internal_domains",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 0);

		if (!d)
			continue;
		if (c->ndomains == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			char **nd = realloc(c->domains, ncap * sizeof(*nd));

			if (!nd)
				break;
			c->domains = nd;
			cap = ncap;
		}
		c->domains[c->ndomains] = m365f__strdup_lower(d);
		if (c->domains[c->ndomains])
			c->ndomains++;
	}
	sqlite3_finalize(st);
	c->domains_loaded = true;
	return 0;
}

/* 1 internal, 0 external, -1 no domain in the text */
int m365f__is_internal(m365f_case *c, const char *addr)
{
	const char *d;
	size_t n, i;

	if (!addr || !(d = domain_of(addr, &n)))
		return -1;
	if (domains_load(c))
		return -1;
	for (i = 0; i < c->ndomains; i++) {
		size_t dl = strlen(c->domains[i]);

		/* equal, or a sub-domain of a tenant domain */
		if ((dl == n && !strncasecmp(d, c->domains[i], n)) ||
		    (n > dl && d[n - dl - 1] == '.' &&
		     !strncasecmp(d + n - dl, c->domains[i], dl)))
			return 1;
	}
	return 0;
}

static void fn_is_internal(sqlite3_context *ctx, int argc,
			   sqlite3_value **argv)
{
	m365f_case *c = sqlite3_user_data(ctx);
	int r;

	M365F__UNUSED(argc);
	r = m365f__is_internal(c, (const char *)sqlite3_value_text(argv[0]));
	if (r >= 0)
		sqlite3_result_int(ctx, r);
}

/* ------------------------------------------------------------------ IPs */

static int ip_parse(const char *s, unsigned char addr[16])
{
	char norm[64];
	int port;

	if (!s || !m365f__ip_normalize(s, strlen(s), norm, &port))
		return 0;
	if (inet_pton(AF_INET, norm, addr + 12) == 1) {
		memset(addr, 0, 10);
		addr[10] = addr[11] = 0xff;
		return 4;
	}
	if (inet_pton(AF_INET6, norm, addr) == 1)
		return 6;
	return 0;
}

static bool prefix_match(const unsigned char *a, const unsigned char *b,
			 int bits)
{
	int full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)full) != 0)
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));

		return (a[full] & mask) == (b[full] & mask);
	}
	return true;
}

static int in_cidr(const char *ip, const char *cidr)
{
	unsigned char a[16], net[16];
	char tmp[80];
	const char *slash;
	int va, vn, bits;

	if (!ip || !cidr || strlen(cidr) >= sizeof(tmp))
		return -1;
	va = ip_parse(ip, a);
	if (!va)
		return -1;
	slash = strchr(cidr, '/');
	memcpy(tmp, cidr, slash ? (size_t)(slash - cidr) : strlen(cidr));
	tmp[slash ? (size_t)(slash - cidr) : strlen(cidr)] = '\0';
	vn = ip_parse(tmp, net);
	if (!vn)
		return -1;
	if (slash) {
		/* "/8" only: "/", "/abc" or "/8x" are not a prefix length
		 * (atoi would read them as /0 and match everything) */
		const char *b = slash + 1;

		bits = 0;
		if (!*b || strlen(b) > 3)
			return -1;
		for (; *b; b++) {
			if (*b < '0' || *b > '9')
				return -1;
			bits = bits * 10 + (*b - '0');
		}
	} else {
		bits = vn == 4 ? 32 : 128;
	}
	if (vn == 4) {
		if (bits < 0 || bits > 32)
			return -1;
		if (va != 4)
			return 0;
		bits += 96;
	} else if (bits < 0 || bits > 128) {
		return -1;
	}
	return prefix_match(a, net, bits);
}

static void fn_ip_in_cidr(sqlite3_context *ctx, int argc,
			  sqlite3_value **argv)
{
	int r;

	M365F__UNUSED(argc);
	r = in_cidr((const char *)sqlite3_value_text(argv[0]),
		    (const char *)sqlite3_value_text(argv[1]));
	if (r >= 0)
		sqlite3_result_int(ctx, r);
}

int m365f__ip_is_private(const char *ip)
{
	static const char *const nets[] = {
		"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
		"127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10",
		"0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4",
		"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",
		"198.18.0.0/15", "::1/128", "::/128", "fc00::/7",
		"fe80::/10", "ff00::/8", "2001:db8::/32",
	};
	size_t i;
	int r;

	for (i = 0; i < M365F__ARRAY_LEN(nets); i++) {
		r = in_cidr(ip, nets[i]);
		if (r < 0)
			return -1;
		if (r)
			return 1;
	}
	return 0;
}

static void fn_ip_is_private(sqlite3_context *ctx, int argc,
			     sqlite3_value **argv)
{
	int r;

	M365F__UNUSED(argc);
	r = m365f__ip_is_private((const char *)sqlite3_value_text(argv[0]));
	if (r >= 0)
		sqlite3_result_int(ctx, r);
}

/* ---------------------------------------------------------------- times */

static void fn_iso_time(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char out[32];

	M365F__UNUSED(argc);
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	m365f__time_format(sqlite3_value_int64(argv[0]), out);
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

static void fn_time_ms(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	int64_t ms;

	M365F__UNUSED(argc);
	if (s && m365f__time_parse(s, strlen(s), &ms, NULL) == 0)
		sqlite3_result_int64(ctx, ms);
}

/* ----------------------------------------------------------------- geo */

double m365f__geo_distance_km(double la1, double lo1, double la2, double lo2)
{
	const double r = 6371.0088, rad = M_PI / 180.0;
	double dla = (la2 - la1) * rad, dlo = (lo2 - lo1) * rad;
	double a = sin(dla / 2) * sin(dla / 2) +
		   cos(la1 * rad) * cos(la2 * rad) * sin(dlo / 2) * sin(dlo / 2);

	return 2 * r * atan2(sqrt(a), sqrt(1 - a));
}

static void fn_geo_distance(sqlite3_context *ctx, int argc,
			    sqlite3_value **argv)
{
	int i;

	M365F__UNUSED(argc);
	for (i = 0; i < 4; i++)
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
			return;
	sqlite3_result_double(ctx, m365f__geo_distance_km(
					   sqlite3_value_double(argv[0]),
					   sqlite3_value_double(argv[1]),
					   sqlite3_value_double(argv[2]),
					   sqlite3_value_double(argv[3])));
}

/* --------------------------------------------------------------- params */

/* A value that is a whole number (or decimal) is returned as one, so
 * that `count(*) >= param('min_count')` compares numbers, not text. */
static void param_result(sqlite3_context *ctx, const char *v)
{
	char *end;
	long long n;
	double d;

	if (*v && !isspace((unsigned char)*v)) {
		errno = 0;
		n = strtoll(v, &end, 10);
		if (!*end && !errno) {
			sqlite3_result_int64(ctx, n);
			return;
		}
		d = strtod(v, &end);
		if (!*end && !errno && isfinite(d)) {
			sqlite3_result_double(ctx, d);
			return;
		}
	}
	sqlite3_result_text(ctx, v, -1, SQLITE_TRANSIENT);
}

static void fn_param(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	m365f_case *c = sqlite3_user_data(ctx);
	const char *name = (const char *)sqlite3_value_text(argv[0]);
	size_t i;

	if (name) {
		for (i = 0; i < c->nparams; i++) {
			if (!strcmp(c->param_names[i], name)) {
				param_result(ctx, c->param_values[i]);
				return;
			}
		}
	}
	if (argc > 1) {
		sqlite3_result_value(ctx, argv[1]);
		return;
	}
	sqlite3_result_null(ctx);
}

int m365f__sqlfunc_register(m365f_case *c)
{
	/* pure functions of their arguments: innocuous, so an analyst's
	 * views may use them in a case opened with trusted_schema off */
	const int det = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	sqlite3 *db = c->db;
	int rc = 0;

	rc |= sqlite3_create_function(db, "regexp", 2, det, NULL, fn_regexp,
				      NULL, NULL);
	rc |= sqlite3_create_function(db, "email_domain", 1, det, NULL,
				      fn_email_domain, NULL, NULL);
	rc |= sqlite3_create_function(db, "is_internal", 1, SQLITE_UTF8, c,
				      fn_is_internal, NULL, NULL);
	rc |= sqlite3_create_function(db, "ip_in_cidr", 2, det, NULL,
				      fn_ip_in_cidr, NULL, NULL);
	rc |= sqlite3_create_function(db, "ip_is_private", 1, det, NULL,
				      fn_ip_is_private, NULL, NULL);
	rc |= sqlite3_create_function(db, "iso_time", 1, det, NULL,
				      fn_iso_time, NULL, NULL);
	rc |= sqlite3_create_function(db, "time_ms", 1, det, NULL, fn_time_ms,
				      NULL, NULL);
	rc |= sqlite3_create_function(db, "geo_distance_km", 4, det, NULL,
				      fn_geo_distance, NULL, NULL);
	/* param() is constant while a statement runs (parameters are set
	 * before a detector is prepared): deterministic lets SQLite evaluate
	 * param('x') once, so regexp(param('x'), ...) keeps its compiled
	 * pattern instead of compiling it for every row */
	rc |= sqlite3_create_function(db, "param", 1, det, c, fn_param,
				      NULL, NULL);
	rc |= sqlite3_create_function(db, "param", 2, det, c, fn_param,
				      NULL, NULL);
	if (!rc)
		rc = m365f__geo_register(c);
	return rc ? M365F_EDB : M365F_OK;
}

void m365f__sqlfunc_free(m365f_case *c)
{
	size_t i;

	domains_free(c);
	for (i = 0; i < c->nparams; i++) {
		free(c->param_names[i]);
		free(c->param_values[i]);
	}
	free(c->param_names);
	free(c->param_values);
	c->param_names = c->param_values = NULL;
	c->nparams = 0;
}
