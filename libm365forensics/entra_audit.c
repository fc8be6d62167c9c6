/* SPDX-License-Identifier: MIT */
/*
 * entra_audit.c - Entra ID directory audits: Graph directoryAudits JSON,
 * Log Analytics AuditLogs (JSON and CSV, with double-encoded JSON strings),
 * Azure Monitor diagnostic records (category AuditLogs) and the portal CSV
 * download with flattened Target1ModifiedProperty1... columns. Targets,
 * modified properties, actor and details go to event_props.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

#define MAX_PROPS 2048
#define MAX_OWNED 16

typedef struct {
	m365f__prop props[MAX_PROPS];
	size_t nprops;
	cJSON *owned[MAX_OWNED];
	size_t nowned;
} audit_lists;

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static void add_prop(audit_lists *l, const char *kind, const char *name,
		     const char *oldv, const char *newv)
{
	if (l->nprops >= MAX_PROPS)
		return;
	l->props[l->nprops].kind = kind;
	l->props[l->nprops].name = name;
	l->props[l->nprops].old_value = oldv;
	l->props[l->nprops].new_value = newv;
	l->nprops++;
}

static void lists_free(audit_lists *l)
{
	size_t i;

	for (i = 0; i < l->nowned; i++)
		cJSON_Delete(l->owned[i]);
	free(l);
}

/* Text of a member; "" counts as absent. */
static const char *t(m365f__ingest *ing, const cJSON *o, const char *key)
{
	return nz(m365f__jtext(ing, o, key));
}

/* A member that is an object/array or a JSON string holding one. */
static const cJSON *sub(audit_lists *l, const cJSON *o, const char *key)
{
	const cJSON *v = m365f__j(o, key);
	cJSON *p;

	if (cJSON_IsObject(v) || cJSON_IsArray(v))
		return v;
	if (!cJSON_IsString(v) || l->nowned >= MAX_OWNED)
		return NULL;
	p = m365f__json_parse_inner(v->valuestring);
	if (p)
		l->owned[l->nowned++] = p;
	return p;
}

/* The normalized record, from any shape. */
typedef struct {
	int64_t time_ms;
	const char *id, *activity, *category, *result, *reason, *service;
	const char *op_type, *user, *actor_id, *ip, *app_id, *user_agent;
	const char *object, *correlation_id;
} audit_rec;

static int audit_store(m365f__ingest *ing, audit_rec *r, audit_lists *l)
{
	m365f__event ev;
	char secs[32];
	const char *parts[7];
	int64_t event_id;

	memset(&ev, 0, sizeof(ev));
	ev.time_ms = r->time_ms;
	ev.product = "entra-audit";
	ev.workload = "AzureActiveDirectory";
	ev.record_type = -1;
	ev.operation = r->activity;
	/* the portal writes "Success", Graph and Log Analytics "success" */
	ev.result = r->result && m365f__strieq(r->result, "success")
			    ? "success"
		    : r->result && m365f__strieq(r->result, "failure")
			    ? "failure"
			    : r->result;
	ev.result_code = r->reason;
	ev.user = r->user;
	ev.client_ip = r->ip;
	ev.user_agent = r->user_agent;
	ev.object = r->object;
	ev.app_id = r->app_id;
	ev.correlation_id = r->correlation_id;
	ev.record_id = r->id;
	snprintf(secs, sizeof(secs), "%lld",
		 (long long)(r->time_ms / 1000));
	parts[0] = secs;
	parts[1] = r->activity ? r->activity : "";
	parts[2] = r->correlation_id ? r->correlation_id : "";
	parts[3] = r->result ? r->result : "";
	parts[4] = r->user ? r->user : "";
	parts[5] = r->object ? r->object : "";
	parts[6] = r->ip ? r->ip : "";
	ev.content_hash = m365f__hash_parts(parts, 7);
	if (r->category)
		add_prop(l, "detail", "category", NULL, r->category);
	if (r->service)
		add_prop(l, "detail", "loggedByService", NULL, r->service);
	if (r->op_type)
		add_prop(l, "detail", "operationType", NULL, r->op_type);
	ev.props = l->props;
	ev.nprops = l->nprops;
	return m365f__store_event(ing, &ev, &event_id);
}

/* Graph, Log Analytics and diagnostic shapes share their member names
 * (Graph camelCase, Log Analytics PascalCase; lookups are
 * case-insensitive). env is the diagnostic envelope or NULL. */
static int audit_object(m365f__ingest *ing, const cJSON *o, const cJSON *env)
{
	audit_lists *l = calloc(1, sizeof(*l));
	audit_rec r;
	const cJSON *by, *u, *app, *targets, *it, *details;
	const char *ts;
	int rc;

	if (!l)
		return M365F_ENOMEM;
	memset(&r, 0, sizeof(r));
	ts = t(ing, o, "activityDateTime");
	if (!ts)
		ts = t(ing, o, "TimeGenerated");
	if (!ts && env)
		ts = t(ing, env, "time");
	if (!ts) {
		lists_free(l);
		return m365f__store_reject(ing, "activityDateTime", 0,
					   "directory audit has no time (no "
					   "activityDateTime or "
					   "TimeGenerated)");
	}
	if (m365f__time_parse(ts, strlen(ts), &r.time_ms, NULL)) {
		lists_free(l);
		return m365f__store_reject(ing, "activityDateTime", 0,
					   "unparsable time '%.60s'", ts);
	}
	r.id = t(ing, o, "id");
	r.activity = t(ing, o, "activityDisplayName");
	if (!r.activity)
		r.activity = t(ing, o, "OperationName");
	if (!r.activity && env)
		r.activity = t(ing, env, "operationName");
	if (!r.activity) {
		lists_free(l);
		return m365f__store_reject(ing, "activityDisplayName", 0,
					   "directory audit has no activity");
	}
	r.category = t(ing, o, "category");
	r.result = t(ing, o, "result");
	r.reason = t(ing, o, "resultReason");
	r.service = t(ing, o, "loggedByService");
	r.op_type = t(ing, o, "operationType");
	if (!r.op_type)
		r.op_type = t(ing, o, "AADOperationType");
	r.correlation_id = t(ing, o, "correlationId");
	if (!r.correlation_id && env)
		r.correlation_id = t(ing, env, "correlationId");

	by = sub(l, o, "initiatedBy");
	u = by ? sub(l, by, "user") : NULL;
	app = by ? sub(l, by, "app") : NULL;
	if (cJSON_IsObject(u)) {
		r.user = t(ing, u, "userPrincipalName");
		r.actor_id = t(ing, u, "id");
		r.ip = t(ing, u, "ipAddress");
		add_prop(l, "actor", "user", r.actor_id,
			 r.user ? r.user : t(ing, u, "displayName"));
	}
	if (cJSON_IsObject(app)) {
		const char *name = t(ing, app, "servicePrincipalName");

		if (!name)
			name = t(ing, app, "displayName");
		r.app_id = t(ing, app, "appId");
		if (!r.user)
			r.user = name;
		add_prop(l, "actor", "app", t(ing, app, "servicePrincipalId"),
			 name);
	}
	if (!r.ip && env)
		r.ip = t(ing, env, "callerIpAddress");

	targets = sub(l, o, "targetResources");
	if (cJSON_IsArray(targets)) {
		cJSON_ArrayForEach(it, targets) {
			const char *name = t(ing, it, "userPrincipalName");
			const cJSON *mods, *m;

			if (!name)
				name = t(ing, it, "displayName");
			if (!r.object)
				r.object = name ? name : t(ing, it, "id");
			add_prop(l, "target", t(ing, it, "type"),
				 t(ing, it, "id"), name);
			mods = sub(l, it, "modifiedProperties");
			if (!cJSON_IsArray(mods))
				continue;
			cJSON_ArrayForEach(m, mods)
				add_prop(l, "modified",
					 t(ing, m, "displayName"),
					 t(ing, m, "oldValue"),
					 t(ing, m, "newValue"));
		}
	}
	details = sub(l, o, "additionalDetails");
	if (cJSON_IsArray(details)) {
		cJSON_ArrayForEach(it, details) {
			const char *k = t(ing, it, "key"), *v = t(ing, it,
								    "value");

			if (k && m365f__strieq(k, "User-Agent") && !r.user_agent)
				r.user_agent = v;
			add_prop(l, "detail", k, NULL, v);
		}
	}
	rc = audit_store(ing, &r, l);
	lists_free(l);
	return rc;
}

static bool hasc(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k) != NULL;
}

/* --------------------------------------------------------------- JSON */

static int match_graph(const cJSON *o)
{
	return hasc(o, "activityDisplayName") && hasc(o, "activityDateTime")
		       ? 35
		       : 0;
}

static int rec_plain(m365f__ingest *ing, const cJSON *o)
{
	return audit_object(ing, o, NULL);
}

const m365f__json_format m365f__audit_json_graph = {
	"entra-audit-graph-json", "entra-audit", match_graph, rec_plain, NULL,
};

static int match_diag(const cJSON *o)
{
	const char *c = m365f__jstr(o, "category");

	return c && !strcmp(c, "AuditLogs") && m365f__j(o, "time") &&
			       m365f__j(o, "properties")
		       ? 40
		       : 0;
}

static int rec_diag(m365f__ingest *ing, const cJSON *o)
{
	return m365f__diag_record(ing, o, "audit", audit_object);
}

const m365f__json_format m365f__audit_json_diagnostic = {
	"entra-audit-diagnostic-json", "entra-audit", match_diag, rec_diag, NULL,
};

/* Log Analytics AuditLogs rows as JSON (the OTRF export is JSON lines with
 * InitiatedBy, TargetResources and AdditionalDetails as JSON strings). */
static int match_la_json(const cJSON *o)
{
	const char *type = m365f__jstr(o, "Type");

	if (hasc(o, "OfficeWorkload"))
		return 0;
	if (type && !strcmp(type, "AuditLogs"))
		return 35;
	return hasc(o, "ActivityDisplayName") &&
			       (hasc(o, "InitiatedBy") ||
				hasc(o, "TargetResources"))
		       ? 30
		       : 0;
}

const m365f__json_format m365f__audit_json_loganalytics = {
	"entra-audit-loganalytics-json", "entra-audit", match_la_json,
	rec_plain, NULL,
};

/* ---------------------------------------------------- Log Analytics CSV */

/* Column names as written, without " [UTC]". */
static void clean_key(char *k)
{
	char *sfx = strstr(k, " [UTC]");

	if (sfx)
		*sfx = '\0';
}

static int la_begin(m365f__ingest *ing, const m365f__csv_header *h,
		    void **state)
{
	M365F__UNUSED(ing);
	return m365f__lacsv_begin(h, clean_key, state);
}

static int la_row(m365f__ingest *ing, void *state, const m365f__csv_row *r)
{
	cJSON *obj;
	int rc = m365f__lacsv_object(ing, state, r, &obj);

	if (rc || !obj)
		return rc;
	rc = audit_object(ing, obj, NULL);
	cJSON_Delete(obj);
	return rc;
}

static int match_la_csv(const m365f__csv_header *h)
{
	if (m365f__csv_has(h, "officeworkload") || m365f__csv_has(h, "auditdata"))
		return 0;
	return (m365f__csv_has(h, "activitydisplayname") || m365f__csv_has(h, "operationname")) &&
			       (m365f__csv_has(h, "initiatedby") ||
				m365f__csv_has(h, "targetresources"))
		       ? 30
		       : 0;
}

const m365f__csv_format m365f__audit_csv_loganalytics = {
	"entra-audit-loganalytics-csv", "entra-audit", match_la_csv, la_begin,
	la_row, m365f__lacsv_end,
};

/* ------------------------------------------------------------ portal CSV */

/* The portal download flattens targets, their modified properties and the
 * additional details into numbered columns: Target1DisplayName,
 * Target1ModifiedProperty2NewValue, AdditionalDetail1Key, ... */
enum { C_TARGET, C_MOD, C_DETAIL };

typedef struct {
	int kind;      /* C_* or -1 */
	int n, m;      /* target / property numbers, detail number */
	char what[24]; /* displayname, type, objectid, name, oldvalue, ... */
} pcol;

typedef struct {
	int date, id, corr, service, category, activity, result, reason;
	int actor_type, actor_name, actor_id, actor_upn, ip, ua;
	size_t ncols;
	pcol *cols;
} portal_state;

/* prefix then a decimal number that fits an int: the number, and where
 * the rest starts (header names come from the file; sscanf's %d would
 * overflow on "target99999999999") */
static bool numbered(const char *s, const char *prefix, int *n,
		     const char **rest)
{
	size_t k = strlen(prefix);
	char *e;
	long v;

	if (strncmp(s, prefix, k) != 0 || !isdigit((unsigned char)s[k]))
		return false;
	errno = 0;
	v = strtol(s + k, &e, 10);
	if (errno || v > INT_MAX)
		return false;
	*n = (int)v;
	*rest = e;
	return true;
}

static void classify(const char *name, pcol *c)
{
	int n = 0, m = 0;
	const char *rest, *rest2;

	c->kind = -1;
	if (numbered(name, "target", &n, &rest) &&
	    numbered(rest, "modifiedproperty", &m, &rest2)) {
		c->kind = C_MOD;
		rest = rest2;
	} else if (numbered(name, "target", &n, &rest)) {
		c->kind = C_TARGET;
	} else if (numbered(name, "additionaldetail", &n, &rest)) {
		c->kind = C_DETAIL;
	} else {
		return;
	}
	c->n = n;
	c->m = m;
	snprintf(c->what, sizeof(c->what), "%s", rest);
}

static int portal_begin(m365f__ingest *ing, const m365f__csv_header *h,
			void **state)
{
	portal_state *s = calloc(1, sizeof(*s));
	size_t i;

	M365F__UNUSED(ing);
	if (!s)
		return M365F_ENOMEM;
	s->date = m365f__csv_col(h, "date (utc)");
	if (s->date < 0)
		s->date = m365f__csv_col(h, "date");
	s->id = m365f__csv_col(h, "id");
	s->corr = m365f__csv_col(h, "correlationid");
	if (s->corr < 0)
		s->corr = m365f__csv_col(h, "correlation id");
	s->service = m365f__csv_col(h, "service");
	s->category = m365f__csv_col(h, "category");
	s->activity = m365f__csv_col(h, "activity");
	s->result = m365f__csv_col(h, "result");
	s->reason = m365f__csv_col(h, "resultreason");
	s->actor_type = m365f__csv_col(h, "actortype");
	s->actor_name = m365f__csv_col(h, "actordisplayname");
	s->actor_id = m365f__csv_col(h, "actorobjectid");
	s->actor_upn = m365f__csv_col(h, "actoruserprincipalname");
	s->ip = m365f__csv_col(h, "ipaddress");
	s->ua = m365f__csv_col(h, "useragent");
	s->cols = calloc(h->ncols ? h->ncols : 1, sizeof(*s->cols));
	if (!s->cols) {
		free(s);
		return M365F_ENOMEM;
	}
	s->ncols = h->ncols;
	for (i = 0; i < h->ncols; i++)
		classify(h->names[i], &s->cols[i]);
	*state = s;
	return M365F_OK;
}

static void portal_end(void *state)
{
	portal_state *s = state;

	if (s)
		free(s->cols);
	free(s);
}

static const char *pc(const m365f__csv_row *r, int i)
{
	if (i < 0 || (size_t)i >= r->ncols)
		return NULL;
	return nz(r->fields[i]);
}

/* The cell of column "<prefix><what>" for the same target/property/detail
 * number as column i. */
static const char *sibling(const portal_state *s, const m365f__csv_row *r,
			   size_t i, const char *what)
{
	size_t k;

	for (k = 0; k < s->ncols && k < r->ncols; k++)
		if (s->cols[k].kind == s->cols[i].kind &&
		    s->cols[k].n == s->cols[i].n &&
		    s->cols[k].m == s->cols[i].m &&
		    !strcmp(s->cols[k].what, what))
			return nz(r->fields[k]);
	return NULL;
}

static int portal_row(m365f__ingest *ing, void *state,
		      const m365f__csv_row *row)
{
	portal_state *s = state;
	audit_lists *l;
	audit_rec r;
	m365f__buf idbuf;
	const char *date = pc(row, s->date), *upn;
	size_t i;
	int rc;

	for (i = 0; i < row->ncols; i++)
		if (memchr(row->fields[i], '\0', row->lens[i]))
			return m365f__store_reject(ing, NULL, 0,
						   "NUL byte in column %zu",
						   i + 1);
	memset(&r, 0, sizeof(r));
	if (!date)
		return m365f__store_reject(ing, "Date (UTC)", 0,
					   "directory audit has no date");
	if (m365f__time_parse(date, strlen(date), &r.time_ms, NULL))
		return m365f__store_reject(ing, "Date (UTC)", 0,
					   "unparsable date '%.60s'", date);
	r.activity = pc(row, s->activity);
	if (!r.activity)
		return m365f__store_reject(ing, "Activity", 0,
					   "directory audit has no activity");
	l = calloc(1, sizeof(*l));
	if (!l)
		return M365F_ENOMEM;
	m365f__buf_init(&idbuf, 4096);
	r.id = pc(row, s->id);
	r.correlation_id = pc(row, s->corr);
	r.service = pc(row, s->service);
	r.category = pc(row, s->category);
	r.result = pc(row, s->result);
	r.reason = pc(row, s->reason);
	r.ip = pc(row, s->ip);
	r.user_agent = pc(row, s->ua);
	upn = pc(row, s->actor_upn);
	r.user = upn ? upn : pc(row, s->actor_name);
	if (r.user || pc(row, s->actor_id))
		add_prop(l, "actor", pc(row, s->actor_type),
			 pc(row, s->actor_id), r.user);
	for (i = 0; i < s->ncols && i < row->ncols; i++) {
		const pcol *c = &s->cols[i];

		if (c->kind == C_TARGET && !strcmp(c->what, "displayname")) {
			const char *tu = sibling(s, row, i,
						 "userprincipalname");
			const char *name = tu ? tu : nz(row->fields[i]);
			const char *oid = sibling(s, row, i, "objectid");

			if (!name && !oid)
				continue;
			if (!r.object)
				r.object = name ? name : oid;
			add_prop(l, "target", sibling(s, row, i, "type"), oid,
				 name);
		} else if (c->kind == C_MOD && !strcmp(c->what, "name")) {
			const char *oldv = sibling(s, row, i, "oldvalue");
			const char *newv = sibling(s, row, i, "newvalue");

			if (!nz(row->fields[i]) && !oldv && !newv)
				continue;
			add_prop(l, "modified", nz(row->fields[i]), oldv, newv);
		} else if (c->kind == C_DETAIL && !strcmp(c->what, "key")) {
			const char *v = sibling(s, row, i, "value");

			if (!nz(row->fields[i]) && !v)
				continue;
			if (nz(row->fields[i]) &&
			    m365f__strieq(row->fields[i], "User-Agent") &&
			    !r.user_agent)
				r.user_agent = v;
			add_prop(l, "detail", nz(row->fields[i]), NULL, v);
		}
	}
	/* the download has no record id: one made of the correlation id,
	 * activity and time lets the same download, ingested twice, meet
	 * itself (not the other shapes, whose ids it cannot know) */
	if (!r.id && r.correlation_id) {
		char t[32];

		m365f__time_format(r.time_ms, t);
		m365f__buf_printf(&idbuf, "portal:%s|%s|%s", r.correlation_id,
				  r.activity, t);
		r.id = m365f__buf_cstr(&idbuf);
	}
	rc = audit_store(ing, &r, l);
	lists_free(l);
	m365f__buf_free(&idbuf);
	return rc;
}

static int match_portal(const m365f__csv_header *h)
{
	size_t i;

	if (!m365f__csv_has(h, "activity") || (!m365f__csv_has(h, "date (utc)") && !m365f__csv_has(h, "date")))
		return 0;
	for (i = 0; i < h->ncols; i++)
		if (!strncmp(h->names[i], "target1", 7) ||
		    !strncmp(h->names[i], "actor", 5))
			return 35;
	return 0;
}

const m365f__csv_format m365f__audit_csv_portal = {
	"entra-audit-portal-csv", "entra-audit", match_portal, portal_begin,
	portal_row, portal_end,
};
