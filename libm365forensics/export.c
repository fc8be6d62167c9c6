/* SPDX-License-Identifier: MIT */
/*
 * export.c - the timeline for other tools: JSON lines, CSV, Timesketch
 * (JSONL or CSV), Elastic Common Schema bulk lines, and the indicators.
 * Every string goes through the writer sinks.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

/* Timeline columns as m365f_timeline() returns them. */
enum {
	C_ID, C_TIME, C_USER, C_IP, C_OP, C_WORKLOAD, C_RTYPE, C_RESULT,
	C_OBJECT, C_UA, C_APPID, C_SESSION, C_RECID, C_PRODUCT, C_SOURCE,
	C_LINE, C_NCOLS
};

typedef struct {
	FILE *fp;
	int format;
	m365f_writer *w;
	m365f__buf b;
	m365f_error *err;
} export_ctx;

static const struct {
	const char *name;
	int format;
} formats[] = {
	{ "jsonl", M365F_EXPORT_JSONL },
	{ "json", M365F_EXPORT_JSONL },
	{ "csv", M365F_EXPORT_CSV },
	{ "timesketch", M365F_EXPORT_TIMESKETCH },
	{ "timesketch-csv", M365F_EXPORT_TIMESKETCH_CSV },
	{ "ecs", M365F_EXPORT_ECS },
	{ "iocs", M365F_EXPORT_IOCS },
	{ "iocs-jsonl", M365F_EXPORT_IOCS_JSONL },
};

int m365f_export_format_from_name(const char *name)
{
	size_t i;

	for (i = 0; name && i < M365F__ARRAY_LEN(formats); i++)
		if (!strcmp(name, formats[i].name))
			return formats[i].format;
	return -1;
}

static const char *val(const m365f_row *r, size_t i)
{
	return i < r->ncols && r->values[i] && r->lengths[i] ? r->values[i]
							     : NULL;
}

/* What the time of an event means, per product (Timesketch's
 * timestamp_desc). */
static const char *time_desc(const char *product)
{
	if (!product)
		return "Event Time";
	if (!strcmp(product, "ual"))
		return "Audit Record Creation Time";
	if (!strcmp(product, "signin"))
		return "Sign-in Time";
	if (!strcmp(product, "entra-audit"))
		return "Activity Time";
	if (!strcmp(product, "rules"))
		return "Rule Time";
	return "Event Time";
}

/* "<operation> by <user> on <object> from <ip> (<result>)" */
static int message(m365f__buf *m, const m365f_row *r)
{
	const char *op = val(r, C_OP), *u = val(r, C_USER);
	const char *o = val(r, C_OBJECT), *ip = val(r, C_IP);
	const char *res = val(r, C_RESULT);
	int rc = 0;

	rc |= m365f__buf_printf(m, "%s", op ? op : "(no operation)");
	if (u)
		rc |= m365f__buf_printf(m, " by %s", u);
	if (o)
		rc |= m365f__buf_printf(m, " on %s", o);
	if (ip)
		rc |= m365f__buf_printf(m, " from %s", ip);
	if (res)
		rc |= m365f__buf_printf(m, " (%s)", res);
	return rc ? M365F_ENOMEM : M365F_OK;
}

static int timesketch_row(export_ctx *x, const m365f_row *r)
{
	const char *names[C_NCOLS + 3], *values[C_NCOLS + 3];
	size_t lens[C_NCOLS + 3];
	int types[C_NCOLS + 3];
	char us[32];
	int64_t ms = 0;
	m365f_row o;
	size_t i, n = 0;
	int rc;

	m365f__buf_reset(&x->b);
	rc = message(&x->b, r);
	if (rc)
		return rc;
	if (val(r, C_TIME))
		m365f__time_parse(r->values[C_TIME], r->lengths[C_TIME], &ms,
				  NULL);
	snprintf(us, sizeof(us), "%" PRId64, ms * 1000);
	names[n] = "message";
	values[n] = x->b.data;
	lens[n] = x->b.len;
	types[n++] = M365F_TYPE_TEXT;
	names[n] = "datetime";
	values[n] = r->values[C_TIME];
	lens[n] = r->lengths[C_TIME];
	types[n++] = M365F_TYPE_TEXT;
	names[n] = "timestamp";
	values[n] = us;
	lens[n] = strlen(us);
	types[n++] = M365F_TYPE_INTEGER;
	names[n] = "timestamp_desc";
	values[n] = time_desc(val(r, C_PRODUCT));
	lens[n] = strlen(values[n]);
	types[n++] = M365F_TYPE_TEXT;
	for (i = 0; i < r->ncols && n < M365F__ARRAY_LEN(names); i++) {
		if (i == C_TIME)
			continue;
		names[n] = i == C_ID ? "event_id" : r->names[i];
		values[n] = r->values[i];
		lens[n] = r->lengths[i];
		types[n++] = r->types[i];
	}
	o.ncols = n;
	o.names = names;
	o.values = values;
	o.lengths = lens;
	o.types = types;
	return m365f_writer_row(&o, x->w);
}

/* ECS event.outcome from our result text. */
static const char *outcome(const char *res)
{
	if (!res)
		return "unknown";
	if (m365f__strieq(res, "success") || m365f__strieq(res, "succeeded") ||
	    m365f__strieq(res, "true") || m365f__strieq(res, "partiallysucceeded"))
		return "success";
	if (m365f__strieq(res, "failure") || m365f__strieq(res, "failed") ||
	    m365f__strieq(res, "false"))
		return "failure";
	return "unknown";
}

static void jkey(m365f__buf *b, bool *first, const char *key)
{
	if (!*first)
		m365f__buf_putc(b, ',');
	*first = false;
	m365f__json_escape(b, key, strlen(key));
	m365f__buf_putc(b, ':');
}

static void jstr(m365f__buf *b, bool *first, const char *key, const char *v)
{
	if (!v)
		return;
	jkey(b, first, key);
	m365f__json_escape(b, v, strlen(v));
}

/* A number column as JSON: digits only, else a string. */
static void jnum(m365f__buf *b, bool *first, const char *key, const char *v)
{
	size_t i, n;

	if (!v)
		return;
	n = strlen(v);
	for (i = 0; i < n; i++)
		if ((v[i] < '0' || v[i] > '9') && !(i == 0 && v[i] == '-'))
			break;
	jkey(b, first, key);
	if (i == n && n && n < 19)
		m365f__buf_append(b, v, n);
	else
		m365f__json_escape(b, v, n);
}

static int ecs_row(export_ctx *x, const m365f_row *r)
{
	m365f__buf *b = &x->b;
	const char *ip = val(r, C_IP), *user = val(r, C_USER);
	const char *recid = val(r, C_RECID), *product = val(r, C_PRODUCT);
	const char *at;
	char ipn[64], ds[64];
	int port = 0;
	bool f, g, is_ip = false;

	m365f__buf_reset(b);
	if (ip)
		is_ip = m365f__ip_normalize(ip, strlen(ip), ipn, &port) == 1;
	/* action line: a stable _id so loading twice adds nothing */
	m365f__buf_append(b, "{\"create\":{\"_id\":", 17);
	{
		m365f__buf id;

		m365f__buf_init(&id, 0);
		if (recid)
			m365f__buf_printf(&id, "%s-%s", product ? product : "",
					  recid);
		else
			m365f__buf_printf(&id, "event-%s",
					  val(r, C_ID) ? r->values[C_ID] : "0");
		m365f__json_escape(b, id.data ? id.data : "", id.len);
		m365f__buf_free(&id);
	}
	m365f__buf_append(b, "}}\n{", 4);
	f = true;
	jstr(b, &f, "@timestamp", val(r, C_TIME));
	jkey(b, &f, "event");
	m365f__buf_putc(b, '{');
	g = true;
	jstr(b, &g, "kind", "event");
	snprintf(ds, sizeof(ds), "m365f.%s", product ? product : "unknown");
	jstr(b, &g, "dataset", ds);
	jstr(b, &g, "provider", val(r, C_WORKLOAD));
	jstr(b, &g, "action", val(r, C_OP));
	jstr(b, &g, "outcome", outcome(val(r, C_RESULT)));
	jstr(b, &g, "id", recid);
	jstr(b, &g, "code", val(r, C_RTYPE));
	m365f__buf_putc(b, '}');
	if (user) {
		const char *at2 = strrchr(user, '@');

		jkey(b, &f, "user");
		m365f__buf_putc(b, '{');
		g = true;
		jstr(b, &g, "name", user);
		if (at2 && at2[1])
			jstr(b, &g, "domain", at2 + 1);
		m365f__buf_putc(b, '}');
	}
	if (is_ip) {
		jkey(b, &f, "source");
		m365f__buf_putc(b, '{');
		g = true;
		jstr(b, &g, "ip", ipn);
		if (port) {
			char pbuf[16];

			snprintf(pbuf, sizeof(pbuf), "%d", port);
			jnum(b, &g, "port", pbuf);
		}
		m365f__buf_putc(b, '}');
	}
	if (val(r, C_UA)) {
		jkey(b, &f, "user_agent");
		m365f__buf_putc(b, '{');
		g = true;
		jstr(b, &g, "original", r->values[C_UA]);
		m365f__buf_putc(b, '}');
	}
	jkey(b, &f, "cloud");
	m365f__buf_append(b, "{\"provider\":\"azure\"", 19);
	if (val(r, C_WORKLOAD)) {
		m365f__buf_append(b, ",\"service\":{\"name\":", 19);
		m365f__json_escape(b, r->values[C_WORKLOAD],
				   r->lengths[C_WORKLOAD]);
		m365f__buf_putc(b, '}');
	}
	m365f__buf_putc(b, '}');
	if (is_ip || user) {
		jkey(b, &f, "related");
		m365f__buf_putc(b, '{');
		g = true;
		if (is_ip) {
			jkey(b, &g, "ip");
			m365f__buf_putc(b, '[');
			m365f__json_escape(b, ipn, strlen(ipn));
			m365f__buf_putc(b, ']');
		}
		if (user) {
			jkey(b, &g, "user");
			m365f__buf_putc(b, '[');
			m365f__json_escape(b, user, strlen(user));
			m365f__buf_putc(b, ']');
		}
		m365f__buf_putc(b, '}');
	}
	if (val(r, C_SOURCE)) {
		jkey(b, &f, "log");
		m365f__buf_append(b, "{\"file\":{\"path\":", 16);
		m365f__json_escape(b, r->values[C_SOURCE],
				   r->lengths[C_SOURCE]);
		m365f__buf_append(b, "}}", 2);
	}
	/* the rest has no ECS field: our own namespace */
	jkey(b, &f, "m365f");
	m365f__buf_putc(b, '{');
	g = true;
	jnum(b, &g, "event_id", val(r, C_ID));
	jstr(b, &g, "product", product);
	jstr(b, &g, "result", val(r, C_RESULT));
	jstr(b, &g, "object", val(r, C_OBJECT));
	jstr(b, &g, "app_id", val(r, C_APPID));
	jstr(b, &g, "session_id", val(r, C_SESSION));
	if (ip && !is_ip)
		jstr(b, &g, "client", ip);
	jnum(b, &g, "source_line", val(r, C_LINE));
	m365f__buf_putc(b, '}');
	at = "}\n";
	m365f__buf_append(b, at, 2);
	if (!b->data)
		return M365F_ENOMEM;
	if (fwrite(b->data, 1, b->len, x->fp) != b->len)
		return M365F_EIO;
	return M365F_OK;
}

static int on_row(const m365f_row *r, void *payload)
{
	export_ctx *x = payload;

	if (r->ncols != C_NCOLS)
		return m365f__error_set(x->err, M365F_ERROR,
					"timeline shape changed (%zu columns)",
					r->ncols);
	switch (x->format) {
	case M365F_EXPORT_JSONL:
	case M365F_EXPORT_CSV:
		return m365f_writer_row(r, x->w);
	case M365F_EXPORT_TIMESKETCH:
	case M365F_EXPORT_TIMESKETCH_CSV:
		return timesketch_row(x, r);
	default:
		return ecs_row(x, r);
	}
}

static int export_iocs(m365f_case *c, export_ctx *x)
{
	static const char *const names[] = { "type", "value", "count",
					     "first_seen", "last_seen",
					     "users" };
	m365f__ioc *v = NULL;
	size_t n = 0, i, j;
	int rc;

	rc = m365f__iocs_collect(c, &v, &n, x->err);
	for (i = 0; !rc && i < n; i++) {
		const char *values[6];
		size_t lens[6];
		int types[6] = { M365F_TYPE_TEXT, M365F_TYPE_TEXT,
				 M365F_TYPE_INTEGER, M365F_TYPE_TEXT,
				 M365F_TYPE_TEXT, M365F_TYPE_TEXT };
		char cnt[24], t1[32], t2[32];
		m365f_row r;

		m365f__buf_reset(&x->b);
		for (j = 0; j < v[i].nusers; j++)
			m365f__buf_printf(&x->b, "%s%s", j ? " " : "",
					  v[i].users[j]);
		snprintf(cnt, sizeof(cnt), "%" PRIu64, v[i].count);
		m365f__time_format(v[i].first, t1);
		m365f__time_format(v[i].last, t2);
		values[0] = v[i].type;
		values[1] = v[i].value;
		values[2] = cnt;
		values[3] = t1;
		values[4] = t2;
		values[5] = x->b.data ? x->b.data : "";
		for (j = 0; j < 6; j++)
			lens[j] = strlen(values[j]);
		r.ncols = 6;
		r.names = names;
		r.values = values;
		r.lengths = lens;
		r.types = types;
		rc = m365f_writer_row(&r, x->w);
		if (rc)
			m365f__error_set(x->err, rc, "cannot write output");
	}
	m365f__iocs_free(v, n);
	return rc;
}

static bool filtering(const m365f_timeline_filter *f)
{
	return f && ((f->user && *f->user) || (f->ip && *f->ip) ||
		     (f->since && *f->since) || (f->until && *f->until) ||
		     (f->operation && *f->operation) ||
		     (f->workload && *f->workload) ||
		     (f->session && *f->session) ||
		     (f->product && *f->product) || f->limit);
}

int m365f_export(m365f_case *c, FILE *fp, int format,
		 const m365f_timeline_filter *filter, m365f_error *err)
{
	export_ctx x;
	int wfmt, rc;

	m365f__error_clear(err);
	if (!c || !fp)
		return m365f__error_set(err, M365F_EINVAL, "no case or output");
	if (format < M365F_EXPORT_JSONL || format > M365F_EXPORT_IOCS_JSONL)
		return m365f__error_set(err, M365F_EINVAL,
					"unknown export format %d", format);
	if ((format == M365F_EXPORT_IOCS ||
	     format == M365F_EXPORT_IOCS_JSONL) && filtering(filter))
		return m365f__error_set(err, M365F_EINVAL,
					"the indicator export takes no "
					"timeline filter");
	memset(&x, 0, sizeof(x));
	x.fp = fp;
	x.format = format;
	x.err = err;
	m365f__buf_init(&x.b, 0);
	wfmt = format == M365F_EXPORT_CSV ||
			       format == M365F_EXPORT_TIMESKETCH_CSV ||
			       format == M365F_EXPORT_IOCS
		       ? M365F_FORMAT_CSV
		       : M365F_FORMAT_JSONL;
	if (format != M365F_EXPORT_ECS) {
		rc = m365f_writer_new(&x.w, fp, wfmt, 0, err);
		if (rc)
			return rc;
	}
	if (format == M365F_EXPORT_IOCS || format == M365F_EXPORT_IOCS_JSONL)
		rc = export_iocs(c, &x);
	else
		rc = m365f_timeline(c, filter, on_row, &x, err);
	if (rc == M365F_EIO)
		m365f__error_set(err, rc, "cannot write output");
	if (x.w) {
		if (m365f_writer_finish(x.w) && !rc)
			rc = m365f__error_set(err, M365F_EIO,
					      "cannot write output");
		m365f_writer_free(x.w);
	} else if (fflush(fp) != 0 && !rc) {
		rc = m365f__error_set(err, M365F_EIO, "cannot write output");
	}
	m365f__buf_free(&x.b);
	return rc;
}
