/* SPDX-License-Identifier: MIT */
/*
 * ual.c - the Purview unified audit log in every export shape: the
 * current portal CSV (8 columns), the classic 4-column CSV,
 * Search-UnifiedAuditLog | Export-Csv (with or without RunspaceId and
 * #TYPE), raw AuditData JSON (lines, arrays, appended arrays), objects
 * with AuditData nested (collectors, Graph audit queries), and Log
 * Analytics OfficeActivity exports (CSV and JSON lines). Everything ends
 * in m365f__ual_record(), which normalizes one AuditData object.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

#define MAX_LIST 4096 /* params/props kept per record */

typedef struct {
	m365f__kv params[MAX_LIST];
	size_t nparams;
	m365f__prop props[MAX_LIST];
	size_t nprops;
} lists;

/* A member as text: strings as they are, integers without printf, other
 * numbers, objects and arrays as cJSON prints them. */
static const char *str_or_text(m365f__ingest *ing, m365f__jdoc *d, int v)
{
	m365f__strpool *pool = m365f__ingest_pool(ing);
	char tmp[16], *e = tmp + sizeof(tmp), *p = e;
	unsigned long u;
	long i;
	double n;

	if (m365f__jt_type(d, v) != M365F__JT_NUMBER)
		return m365f__jt_text(d, pool, v);
	if (m365f__jt_double(d, v, &n) || n != (double)m365f__jt_int(d, v) ||
	    signbit(n))
		return m365f__jt_json(d, pool, v); /* -0 too, as cJSON does */
	i = m365f__jt_int(d, v);
	u = i < 0 ? 0UL - (unsigned long)i : (unsigned long)i;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (i < 0)
		*--p = '-';
	return m365f__strpool_add(pool, p, (size_t)(e - p));
}

/* Members of an AuditData object the normalizer reads, found in one walk
 * over the object (m365f__jt_index) instead of one search per key. */
enum {
	K_CREATIONTIME, K_ID, K_OPERATION, K_WORKLOAD, K_RECORDTYPE,
	K_RESULTSTATUS, K_USERID, K_CLIENTIP, K_CLIENTIPADDRESS,
	K_ACTORIPADDRESS, K_APPID, K_APPLICATIONID, K_CLIENTAPPID,
	K_SESSIONID, K_CORRELATIONID, K_ERRORNUMBER, K_LOGONERROR,
	K_APPACCESSCONTEXT, K_OBJECTID, K_ITEM, K_SOURCEFILENAME,
	K_PARAMETERS, K_MODIFIEDPROPERTIES, K_EXTENDEDPROPERTIES,
	K_OPERATIONPROPERTIES, K_DEVICEPROPERTIES, K_ACTOR, K_TARGET,
	K_USERAGENT, K_CLIENTINFOSTRING, K_ORGANIZATIONNAME, K_USERTYPE,
	/* kept as event_props of kind "field" (see below) */
	K_MAILBOXOWNERUPN, K_LOGONTYPE, K_OPERATIONCOUNT, K_SEARCHQUERYTEXT,
	K_TARGETUSERORGROUPNAME, K_TARGETUSERORGROUPTYPE, K_COMMUNICATIONTYPE,
	K_PARTICIPANTINFO, K_MEMBERS, K_SENDASUSERSMTP, K_SENDONBEHALFOFUSERSMTP,
	K_CHATTHREADID, K_DELIVERYACTION, K_DIRECTIONALITY, K_VERDICT, K_P1SENDER,
	K_NAME, K_SEVERITY,
	NKEYS
};

static const char *const audit_keys[NKEYS] = {
	"CreationTime", "Id", "Operation", "Workload", "RecordType",
	"ResultStatus", "UserId", "ClientIP", "ClientIPAddress",
	"ActorIpAddress", "AppId", "ApplicationId", "ClientAppId",
	"SessionId", "CorrelationId", "ErrorNumber", "LogonError",
	"AppAccessContext", "ObjectId", "Item", "SourceFileName",
	"Parameters", "ModifiedProperties", "ExtendedProperties",
	"OperationProperties", "DeviceProperties", "Actor", "Target",
	"UserAgent", "ClientInfoString", "OrganizationName", "UserType",
	"MailboxOwnerUPN", "LogonType", "OperationCount", "SearchQueryText",
	"TargetUserOrGroupName", "TargetUserOrGroupType", "CommunicationType",
	"ParticipantInfo", "Members", "SendAsUserSmtp", "SendOnBehalfOfUserSmtp",
	"ChatThreadId", "DeliveryAction", "Directionality", "Verdict", "P1Sender",
	"Name", "Severity",
};
static const unsigned char audit_key_lens[NKEYS] = {
	12, 2, 9, 8, 10, 12, 6, 8, 15, 14, 5, 13, 11, 9, 13, 11, 10, 16, 8,
	4, 14, 10, 18, 18, 19, 16, 5, 6, 9, 16, 16, 8,
	15, 9, 14, 15, 21, 21, 17, 15, 7, 14, 22, 12, 14, 14, 7, 8, 4, 8,
};

/* Members of one Name/Value list entry. */
enum { E_NAME, E_ID, E_NEWVALUE, E_OLDVALUE, E_VALUE, E_TYPE, NENTRY };
static const char *const entry_keys[NENTRY] = {
	"Name", "ID", "NewValue", "OldValue", "Value", "Type",
};
static const unsigned char entry_key_lens[NENTRY] = { 4, 2, 8, 8, 5, 4 };

/* A list member that may be an array or object, or a JSON string holding
 * one (then read into the second token document, *dv). Returns the
 * container's token, or -1. */
static int as_array(m365f__ingest *ing, m365f__jdoc *d, int v,
		    m365f__jdoc **dv)
{
	const char *s, *p;
	int t = m365f__jt_type(d, v);
	cJSON *j;
	m365f__jdoc *in;
	int rc;

	*dv = d;
	if (t == M365F__JT_ARRAY || t == M365F__JT_OBJECT)
		return v;
	if (t != M365F__JT_STRING)
		return -1;
	s = m365f__jt_str(d, m365f__ingest_pool(ing), v);
	if (!s)
		return -1;
	for (p = s; *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++)
		;
	if (*p != '{' && *p != '[')
		return -1;
	in = m365f__ingest_jdoc(ing, 1);
	if (!in)
		return -1;
	rc = m365f__jdoc_parse(in, s, strlen(s));
	if (rc == 1) {
		/* what cJSON makes of it (it allows text after the value) */
		j = m365f__json_parse_inner(s);
		if (!j)
			return -1;
		rc = m365f__jdoc_from_cjson(in, j);
		cJSON_Delete(j);
	}
	if (rc)
		return -1;
	*dv = in;
	return 0;
}

static void add_prop(lists *l, const char *kind, const char *name,
		     const char *oldv, const char *newv)
{
	if (l->nprops >= MAX_LIST)
		return;
	l->props[l->nprops].kind = kind;
	l->props[l->nprops].name = name;
	l->props[l->nprops].old_value = oldv;
	l->props[l->nprops].new_value = newv;
	l->nprops++;
}

/* [{Name, Value}] or [{Name, NewValue, OldValue}] or {k: v}. */
static void collect_props(m365f__ingest *ing, lists *l, m365f__jdoc *d,
			  int v, const char *kind)
{
	m365f__strpool *pool = m365f__ingest_pool(ing);
	m365f__jdoc *ad;
	int arr = as_array(ing, d, v, &ad), it;

	if (arr < 0) {
		/* kept verbatim when it is neither (PowerShell-style text) */
		const char *s = m365f__jt_str(d, pool, v);

		if (s && s[0])
			add_prop(l, kind, NULL, NULL, s);
		return;
	}
	if (m365f__jt_type(ad, arr) == M365F__JT_OBJECT) {
		for (it = m365f__jt_first(ad, arr); it >= 0;
		     it = m365f__jt_after(ad, arr, it)) {
			size_t n;
			const char *key = m365f__jt_key(ad, it, &n);

			add_prop(l, kind,
				 key ? m365f__strpool_add(pool, key, n) : NULL,
				 NULL, str_or_text(ing, ad, it));
		}
		return;
	}
	for (it = m365f__jt_first(ad, arr); it >= 0;
	     it = m365f__jt_after(ad, arr, it)) {
		const char *name, *oldv, *newv;
		int e[NENTRY];

		if (m365f__jt_type(ad, it) != M365F__JT_OBJECT) {
			add_prop(l, kind, NULL, NULL, str_or_text(ing, ad, it));
			continue;
		}
		m365f__jt_index(ad, it, entry_keys, entry_key_lens, NENTRY, e);
		name = str_or_text(ing, ad, e[E_NAME]);
		if (!name)
			name = str_or_text(ing, ad, e[E_ID]);
		newv = str_or_text(ing, ad, e[E_NEWVALUE]);
		oldv = str_or_text(ing, ad, e[E_OLDVALUE]);
		if (!newv)
			newv = str_or_text(ing, ad, e[E_VALUE]);
		if (!newv && e[E_TYPE] >= 0)
			newv = str_or_text(ing, ad, e[E_TYPE]);
		add_prop(l, kind, name, oldv, newv);
	}
}

static void collect_params(m365f__ingest *ing, lists *l, m365f__jdoc *d,
			   int pv)
{
	m365f__jdoc *ad;
	int arr = as_array(ing, d, pv, &ad), it;

	if (arr < 0) {
		const char *s = m365f__jt_str(d, m365f__ingest_pool(ing), pv);

		/* PowerShell-style text ("-Identity x -Enabled $true"):
		 * kept whole */
		if (s && *s && l->nparams < MAX_LIST) {
			l->params[l->nparams].name = "";
			l->params[l->nparams].value = s;
			l->nparams++;
		}
		return;
	}
	for (it = m365f__jt_first(ad, arr); it >= 0;
	     it = m365f__jt_after(ad, arr, it)) {
		const char *n, *v;
		int e[NENTRY];

		if (l->nparams >= MAX_LIST)
			break;
		m365f__jt_index(ad, it, entry_keys, entry_key_lens, NENTRY, e);
		n = str_or_text(ing, ad, e[E_NAME]);
		v = str_or_text(ing, ad, e[E_VALUE]);
		l->params[l->nparams].name = n ? n : "";
		l->params[l->nparams].value = v;
		l->nparams++;
	}
}

/* Value of a Name/Value list entry (ExtendedProperties UserAgent, ...). */
static const char *list_value(const lists *l, const char *kind,
			      const char *name)
{
	size_t i;

	for (i = 0; i < l->nprops; i++)
		if (l->props[i].kind == kind && l->props[i].name &&
		    m365f__strieq(l->props[i].name, name))
			return l->props[i].new_value;
	return NULL;
}

static const char *first_str(m365f__ingest *ing, m365f__jdoc *d,
			     const int *k, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *v = m365f__jt_text(d, m365f__ingest_pool(ing), k[i]);

		if (v && *v)
			return v;
	}
	return NULL;
}

static const char *kind_modified = "modified";
static const char *kind_extended = "extended";
static const char *kind_operation = "operation";
static const char *kind_device = "device";
static const char *kind_actor = "actor";
static const char *kind_target = "target";
static const char *kind_field = "field";

/* String member of an object (exact key first, then any case). */
static const char *jt_member_str(m365f__ingest *ing, m365f__jdoc *d, int obj,
				 const char *key)
{
	return m365f__jt_str(d, m365f__ingest_pool(ing),
			     m365f__jt_get(d, obj, key));
}

/* Normalize the AuditData object at the root of d. */
static int ual_tokens(m365f__ingest *ing, m365f__jdoc *d, const char *csvtime,
		      const char *rtname)
{
	m365f__strpool *pool = m365f__ingest_pool(ing);
	int k[NKEYS];
	lists *l;
	m365f__event ev;
	int v, ctx;
	const char *ct, *s;
	int64_t ms = 0;
	bool amb = false, have_time = false;

	if (m365f__jt_type(d, 0) != M365F__JT_OBJECT)
		return m365f__store_reject(ing, "AuditData", 0,
					   "AuditData is not a JSON object");
	l = m365f__ingest_scratch(ing, sizeof(*l));
	if (!l)
		return M365F_ENOMEM;
	l->nparams = l->nprops = 0;
	m365f__jt_index(d, 0, audit_keys, audit_key_lens, NKEYS, k);
	memset(&ev, 0, sizeof(ev));
	ev.product = "ual";
	ev.record_type = -1;

	/* time: CreationTime (UTC, usually without zone), else the export's
	 * own date column */
	ct = m365f__jt_str(d, pool, k[K_CREATIONTIME]);
	if (ct && m365f__time_parse(ct, strlen(ct), &ms, NULL) == 0) {
		have_time = true;
		if (csvtime && *csvtime && !m365f__ingest_date_order(ing)) {
			/* learn the export's day/month order from records
			 * that carry both */
			int64_t m1, m2;

			if (m365f__time_parse_order(csvtime, strlen(csvtime), 1,
						    &m1, NULL) == 0 &&
			    m365f__time_parse_order(csvtime, strlen(csvtime), 2,
						    &m2, NULL) == 0 &&
			    m1 != m2) {
				if (llabs(m1 - ms) < 86400000LL &&
				    llabs(m2 - ms) >= 86400000LL)
					m365f__ingest_set_date_order(ing, 1);
				else if (llabs(m2 - ms) < 86400000LL &&
					 llabs(m1 - ms) >= 86400000LL)
					m365f__ingest_set_date_order(ing, 2);
			}
		}
	} else if (csvtime && *csvtime) {
		/* why the record's own time could not be used */
		const char *why = ct ? "an unparsable CreationTime"
				     : "no CreationTime";

		if (m365f__time_parse_order(csvtime, strlen(csvtime),
					    m365f__ingest_date_order(ing), &ms,
					    &amb) != 0) {
			return m365f__store_reject(ing, "CreationDate", 0,
						   "unparsable date '%.60s' "
						   "and %s",
						   csvtime, why);
		}
		if (amb) {
			return m365f__store_reject(
				ing, "CreationDate", 0,
				"ambiguous date '%.60s' (day and month could "
				"be swapped) and %s",
				csvtime, why);
		}
		have_time = true;
	}
	if (!have_time) {
		if (ct)
			return m365f__store_reject(ing, "CreationTime", 0,
						   "unparsable CreationTime "
						   "'%.60s'",
						   ct);
		return m365f__store_reject(ing, "AuditData", 0,
					   "record has no CreationTime");
	}
	ev.time_ms = ms;

	ev.record_id = m365f__jt_text(d, pool, k[K_ID]);
	if (m365f__jt_hash(d, 0, &ev.content_hash)) {
		return m365f__store_reject(ing, "AuditData", 0,
					   "record nested too deeply");
	}
	ev.operation = m365f__jt_text(d, pool, k[K_OPERATION]);
	ev.workload = m365f__jt_text(d, pool, k[K_WORKLOAD]);
	v = k[K_RECORDTYPE];
	s = m365f__jt_str(d, pool, v);
	if (m365f__jt_type(d, v) == M365F__JT_NUMBER)
		ev.record_type = m365f__jt_int(d, v);
	else if (s) {
		char *end;
		long n = strtol(s, &end, 10);

		if (end != s && !*end)
			ev.record_type = (int)n;
		else
			ev.record_type = m365f__rectype_number(s);
	}
	if (ev.record_type < 0 && rtname && *rtname) {
		char *end;
		long n = strtol(rtname, &end, 10);

		ev.record_type = end != rtname && !*end
					 ? (int)n
					 : m365f__rectype_number(rtname);
	}
	if (ev.record_type >= 0)
		ev.record_type_name = m365f__rectype_name(ev.record_type);
	if (!ev.record_type_name && rtname && *rtname &&
	    !isdigit((unsigned char)rtname[0]))
		ev.record_type_name = rtname;

	ev.result = m365f__jt_text(d, pool, k[K_RESULTSTATUS]);
	ev.user = m365f__jt_text(d, pool, k[K_USERID]);
	ev.client_ip = first_str(ing, d, k + K_CLIENTIP, 3);
	ev.app_id = first_str(ing, d, k + K_APPID, 3);
	ev.session_id = m365f__jt_text(d, pool, k[K_SESSIONID]);
	ev.correlation_id = m365f__jt_text(d, pool, k[K_CORRELATIONID]);
	s = m365f__jt_text(d, pool, k[K_ERRORNUMBER]);
	ev.result_code = s ? s : m365f__jt_text(d, pool, k[K_LOGONERROR]);
	ctx = k[K_APPACCESSCONTEXT];
	if (m365f__jt_type(d, ctx) == M365F__JT_OBJECT) {
		ev.token_id = jt_member_str(ing, d, ctx, "UniqueTokenId");
		if (!ev.correlation_id)
			ev.correlation_id =
				jt_member_str(ing, d, ctx, "CorrelationId");
		if (!ev.app_id)
			ev.app_id = jt_member_str(ing, d, ctx, "ClientAppId");
	}
	s = m365f__jt_str(d, pool, k[K_OBJECTID]);
	if (s && s[0])
		ev.object = s;
	else {
		int item = k[K_ITEM];

		if (m365f__jt_type(d, item) == M365F__JT_OBJECT)
			ev.object = jt_member_str(ing, d, item, "Subject");
		if (!ev.object)
			ev.object = first_str(ing, d, k + K_SOURCEFILENAME, 1);
	}

	collect_params(ing, l, d, k[K_PARAMETERS]);
	collect_props(ing, l, d, k[K_MODIFIEDPROPERTIES], kind_modified);
	collect_props(ing, l, d, k[K_EXTENDEDPROPERTIES], kind_extended);
	collect_props(ing, l, d, k[K_OPERATIONPROPERTIES], kind_operation);
	collect_props(ing, l, d, k[K_DEVICEPROPERTIES], kind_device);
	collect_props(ing, l, d, k[K_ACTOR], kind_actor);
	collect_props(ing, l, d, k[K_TARGET], kind_target);
	/* Top-level members the detectors need that no events column holds:
	 * mailbox owner and logon type (access to other mailboxes), the app
	 * behind Graph (ClientAppId), aggregated counts, search text, sharing
	 * targets, Teams chat participants, mail-filter verdicts and alert
	 * names. Objects and arrays are kept as compact JSON text. */
	{
		size_t i;
		const char *fv;

		fv = str_or_text(ing, d, k[K_CLIENTAPPID]);
		if (fv && *fv)
			add_prop(l, kind_field, audit_keys[K_CLIENTAPPID],
				 NULL, fv);
		for (i = K_MAILBOXOWNERUPN; i < NKEYS; i++) {
			fv = str_or_text(ing, d, k[i]);
			if (fv && *fv)
				add_prop(l, kind_field, audit_keys[i], NULL,
					 fv);
		}
		if (m365f__jt_type(d, k[K_APPACCESSCONTEXT]) ==
		    M365F__JT_OBJECT) {
			fv = jt_member_str(ing, d, k[K_APPACCESSCONTEXT],
					   "IssuedAtTime");
			if (fv && *fv)
				add_prop(l, kind_field, "IssuedAtTime", NULL,
					 fv);
		}
	}

	ev.user_agent = m365f__jt_text(d, pool, k[K_USERAGENT]);
	if (!ev.user_agent)
		ev.user_agent = list_value(l, kind_extended, "UserAgent");
	if (!ev.user_agent)
		ev.user_agent = m365f__jt_text(d, pool, k[K_CLIENTINFOSTRING]);
	if (!ev.session_id)
		ev.session_id = list_value(l, kind_device, "SessionId");
	if (!ev.result_code && ev.result &&
	    (m365f__strieq(ev.operation, "UserLoginFailed")))
		ev.result_code = list_value(l, kind_extended,
					    "ResultStatusDetail");
	ev.params = l->params;
	ev.nparams = l->nparams;
	ev.props = l->props;
	ev.nprops = l->nprops;

	/* the tenant's own domains: organization name and UPN suffixes of
	 * regular and admin users (UserType 0 and 2) */
	s = m365f__jt_str(d, pool, k[K_ORGANIZATIONNAME]);
	if (s)
		m365f__ingest_learn_domain(ing, s);
	v = k[K_USERTYPE];
	if (ev.user && m365f__jt_type(d, v) == M365F__JT_NUMBER &&
	    (m365f__jt_int(d, v) == 0 || m365f__jt_int(d, v) == 2) &&
	    !strstr(ev.user, "#EXT#")) {
		const char *at = strrchr(ev.user, '@');

		if (at)
			m365f__ingest_learn_domain(ing, at + 1);
	}

	return m365f__store_event(ing, &ev, NULL);
}

static int reject_too_many(m365f__ingest *ing)
{
	return m365f__store_reject(ing, "AuditData", 0,
				   "AuditData holds more than %u JSON values",
				   M365F__JDOC_MAX_VALUES);
}

int m365f__ual_record(m365f__ingest *ing, const cJSON *audit,
		      const char *csvtime, const char *rtname)
{
	m365f__jdoc *d;
	int rc;

	if (!cJSON_IsObject(audit))
		return m365f__store_reject(ing, "AuditData", 0,
					   "AuditData is not a JSON object");
	d = m365f__ingest_jdoc(ing, 0);
	if (!d)
		return M365F_ENOMEM;
	rc = m365f__jdoc_from_cjson(d, audit);
	if (rc == M365F_ELIMIT)
		return reject_too_many(ing);
	if (rc == M365F_ENOMEM)
		return rc;
	if (rc)
		return m365f__store_reject(ing, "AuditData", 0,
					   "AuditData could not be read");
	return ual_tokens(ing, d, csvtime, rtname);
}

/* ------------------------------------------------------------------ CSV */

typedef struct {
	int audit, date, rtype, op, user;
} ual_cols;

static int ual_begin(m365f__ingest *ing, const m365f__csv_header *h,
		     void **state)
{
	ual_cols *c = calloc(1, sizeof(*c));

	M365F__UNUSED(ing);
	if (!c)
		return M365F_ENOMEM;
	c->audit = m365f__csv_col(h, "auditdata");
	c->date = m365f__csv_col(h, "creationdate");
	c->rtype = m365f__csv_col(h, "recordtype");
	c->op = m365f__csv_col(h, "operation");
	if (c->op < 0)
		c->op = m365f__csv_col(h, "operations");
	c->user = m365f__csv_col(h, "userid");
	if (c->user < 0)
		c->user = m365f__csv_col(h, "userids");
	*state = c;
	return M365F_OK;
}

static void ual_end(void *state)
{
	free(state);
}

/* Is the JSON text cut short (Excel's 32,767-character cell limit, an
 * export limit)? It is when the text ends inside a string or with objects
 * or arrays still open; "{...}x" is complete JSON followed by garbage,
 * not a cut record. */
static bool looks_truncated(const char *s, size_t n)
{
	size_t i;
	long depth = 0;
	bool in_str = false, esc = false, opened = false;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			depth++;
			opened = true;
		} else if (c == '}' || c == ']') {
			if (--depth < 0)
				return false;
		}
	}
	return opened && (in_str || depth > 0);
}

static int ual_row(m365f__ingest *ing, void *state, const m365f__csv_row *r)
{
	ual_cols *c = state;
	const char *ad = r->fields[c->audit];
	const char *date = c->date >= 0 ? r->fields[c->date] : NULL;
	const char *rt = c->rtype >= 0 ? r->fields[c->rtype] : NULL;
	size_t adlen = r->lens[c->audit];
	unsigned long l = 0, col = 0;
	m365f__jdoc *d;
	cJSON *audit;
	int rc;

	if (!adlen)
		return m365f__store_reject(ing, "AuditData", 0,
					   "empty AuditData");
	if (adlen > 0 && memchr(ad, '\0', adlen))
		return m365f__store_reject(ing, "AuditData", 0,
					   "NUL byte in AuditData");
	d = m365f__ingest_jdoc(ing, 0);
	if (!d)
		return M365F_ENOMEM;
	rc = m365f__jdoc_parse(d, ad, adlen);
	if (rc == M365F_ELIMIT)
		return reject_too_many(ing);
	if (rc <= 0)
		return rc ? rc : ual_tokens(ing, d, date, rt);
	/* not strict JSON: cJSON decides, and words the error */
	audit = m365f__json_parse(ad, adlen, 0, &l, &col);
	if (!audit) {
		if (looks_truncated(ad, adlen))
			return m365f__store_reject(
				ing, "AuditData", col,
				"truncated: AuditData JSON is cut short after "
				"%zu bytes",
				adlen);
		return m365f__store_reject(ing, "AuditData", col,
					   "invalid JSON at line %lu, column "
					   "%lu of AuditData",
					   l, col);
	}
	rc = m365f__ual_record(ing, audit, date, rt);
	cJSON_Delete(audit);
	return rc;
}

static int match_purview(const m365f__csv_header *h)
{
	return m365f__csv_has(h, "auditdata") && m365f__csv_has(h, "recordid") &&
			       m365f__csv_has(h, "creationdate") && m365f__csv_has(h, "operation")
		       ? 30
		       : 0;
}

static int match_classic(const m365f__csv_header *h)
{
	return m365f__csv_has(h, "auditdata") && m365f__csv_has(h, "creationdate") &&
			       !m365f__csv_has(h, "recordid") && !m365f__csv_has(h, "resultindex") &&
			       !m365f__csv_has(h, "runspaceid")
		       ? 20
		       : 0;
}

static int match_cmdlet(const m365f__csv_header *h)
{
	return m365f__csv_has(h, "auditdata") &&
			       (m365f__csv_has(h, "resultindex") || m365f__csv_has(h, "runspaceid") ||
				m365f__csv_has(h, "identity"))
		       ? 25
		       : 0;
}

const m365f__csv_format m365f__ual_csv_purview = {
	"ual-purview-csv", "ual", match_purview, ual_begin, ual_row, ual_end,
};
const m365f__csv_format m365f__ual_csv_classic = {
	"ual-classic-csv", "ual", match_classic, ual_begin, ual_row, ual_end,
};
const m365f__csv_format m365f__ual_csv_cmdlet = {
	"ual-cmdlet-csv", "ual", match_cmdlet, ual_begin, ual_row, ual_end,
};

/* ------------------------------------------------- Log Analytics (Sentinel) */

/* OfficeActivity flattens AuditData into columns; some are renamed. The
 * record is rebuilt as an AuditData object. Lab re-ingestion copies end
 * in '_' and only fill gaps. */
static const struct {
	const char *la, *audit;
} la_map[] = {
	{ "OfficeId", "Id" },
	{ "OfficeWorkload", "Workload" },
	{ "OfficeObjectId", "ObjectId" },
	{ "Client_IPAddress", "ClientIPAddress" },
	{ "Logon_Type", "LogonType" },
	{ "Site_Url", "SiteUrl" },
	{ "Site_", "Site" },
	{ "Event_Data", "EventData" },
	{ "AzureActiveDirectory_EventType", "AzureActiveDirectoryEventType" },
	{ "OfficeTenantId", "OrganizationId" },
	{ "AADTarget", "Target" },
};

static const char *const la_skip[] = {
	"TenantId", "SourceSystem", "Type", "_ResourceId", "MachineDomainInfo",
	"MachineId", "SourceRecordId", "TimeGenerated", "Start_Time",
	"TimeGenerated [UTC]", "Start_Time [UTC]",
};

static const char *la_name(const char *col, char *buf, size_t n)
{
	size_t i, len;

	/* "TimeGenerated [UTC]" style headers */
	len = strlen(col);
	for (i = 0; i < M365F__ARRAY_LEN(la_map); i++)
		if (!strcmp(col, la_map[i].la))
			return la_map[i].audit;
	if (len && col[len - 1] == '_' && len < n) {
		memcpy(buf, col, len - 1);
		buf[len - 1] = '\0';
		for (i = 0; i < M365F__ARRAY_LEN(la_map); i++)
			if (!strcmp(buf, la_map[i].la))
				return la_map[i].audit;
		return buf;
	}
	return col;
}

static bool la_skipped(const char *col)
{
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(la_skip); i++)
		if (!strcmp(col, la_skip[i]))
			return true;
	return false;
}

/* Add column value v (text) as key to obj; JSON-looking text becomes
 * JSON; lab duplicates ending in '_' only fill gaps. */
static void la_add(cJSON *obj, const char *col, const char *v)
{
	char buf[128];
	const char *key;
	bool fallback;
	cJSON *val = NULL;

	if (!v || !*v || la_skipped(col))
		return;
	fallback = col[0] && col[strlen(col) - 1] == '_';
	key = la_name(col, buf, sizeof(buf));
	if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
		if (fallback)
			return;
		cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	}
	if (!strcmp(key, "RecordType")) {
		/* names and numbers are mixed in one column: AuditData has
		 * the number, so the CSV and JSON exports of a row agree */
		char *end;
		long n = strtol(v, &end, 10);

		if (end == v || *end)
			n = m365f__rectype_number(v);
		if (n >= 0 && n <= 0x7fffffff)
			val = cJSON_CreateNumber((double)n);
	} else if (v[0] == '[' || v[0] == '{') {
		val = cJSON_Parse(v);
	}
	if (!val)
		val = cJSON_CreateString(v);
	if (val)
		cJSON_AddItemToObject(obj, key, val);
}

typedef struct {
	int time, rtype;
	size_t n;
	char **names;   /* header names as written, BOM removed */
} la_cols;

static void la_end(void *state)
{
	la_cols *c = state;
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	free(c);
}

static int la_begin(m365f__ingest *ing, const m365f__csv_header *h,
		    void **state)
{
	la_cols *c = calloc(1, sizeof(*c));

	M365F__UNUSED(ing);
	if (!c)
		return M365F_ENOMEM;
	c->time = m365f__csv_col(h, "timegenerated [utc]");
	if (c->time < 0)
		c->time = m365f__csv_col(h, "timegenerated");
	if (c->time < 0)
		c->time = m365f__csv_col(h, "start_time [utc]");
	c->rtype = m365f__csv_col(h, "recordtype");
	c->names = calloc(h->ncols ? h->ncols : 1, sizeof(char *));
	if (!c->names) {
		free(c);
		return M365F_ENOMEM;
	}
	for (c->n = 0; c->n < h->ncols; c->n++) {
		const char *name = h->raw_names[c->n];

		if (!strncmp(name, "\xEF\xBB\xBF", 3))
			name += 3;
		c->names[c->n] = m365f__strndup(name, strlen(name));
		if (!c->names[c->n]) {
			la_end(c);
			return M365F_ENOMEM;
		}
	}
	*state = c;
	return M365F_OK;
}

/* Header names as written, without a " [UTC]" suffix. */
static int la_row(m365f__ingest *ing, void *state, const m365f__csv_row *r)
{
	la_cols *c = state;
	cJSON *obj = cJSON_CreateObject();
	size_t i;
	int rc;

	if (!obj)
		return M365F_ENOMEM;
	for (i = 0; i < r->ncols && i < c->n; i++) {
		const char *name = c->names[i];

		if (strstr(name, " [UTC]"))
			continue;
		la_add(obj, name, r->fields[i]);
	}
	rc = m365f__ual_record(ing, obj,
			       c->time >= 0 ? r->fields[c->time] : NULL,
			       c->rtype >= 0 ? r->fields[c->rtype] : NULL);
	cJSON_Delete(obj);
	return rc;
}

static int match_la_csv(const m365f__csv_header *h)
{
	return (m365f__csv_has(h, "officeworkload") || m365f__csv_has(h, "officeid")) &&
			       m365f__csv_has(h, "operation") && !m365f__csv_has(h, "auditdata")
		       ? 20
		       : 0;
}

const m365f__csv_format m365f__ual_csv_loganalytics = {
	"ual-loganalytics-csv", "ual", match_la_csv, la_begin, la_row, la_end,
};

/* ----------------------------------------------------------------- JSON */

static int match_auditdata(const cJSON *o)
{
	int s = 0;

	if (cJSON_GetObjectItemCaseSensitive(o, "CreationTime"))
		s += 10;
	if (cJSON_GetObjectItemCaseSensitive(o, "Operation"))
		s += 5;
	if (cJSON_GetObjectItemCaseSensitive(o, "RecordType") ||
	    cJSON_GetObjectItemCaseSensitive(o, "Workload"))
		s += 5;
	if (cJSON_GetObjectItemCaseSensitive(o, "Id"))
		s += 5;
	return s >= 20 ? s : 0;
}

/* From a tree: a record the JSON reader did not read as tokens (not
 * strict JSON, or with an integer of more than 15 digits, which the
 * reader quotes to keep rule identities exact). */
static int rec_auditdata(m365f__ingest *ing, const cJSON *o)
{
	return m365f__ual_record(ing, o, NULL, NULL);
}

/* From tokens (jsonread.c): the record's own text. */
static int tokens_auditdata(m365f__ingest *ing, m365f__jdoc *d)
{
	return ual_tokens(ing, d, NULL, NULL);
}

const m365f__json_format m365f__ual_json_auditdata = {
	"ual-auditdata-json", "ual", match_auditdata, rec_auditdata,
	tokens_auditdata,
};

/* {"RecordType":..,"CreationDate":..,"AuditData":{..} or "{..}"} and Graph
 * {"auditLogRecordType":..,"createdDateTime":..,"auditData":{..}} */
static int match_wrapped(const cJSON *o)
{
	const cJSON *a = m365f__j(o, "AuditData");

	return cJSON_IsObject(a) || cJSON_IsString(a) ? 30 : 0;
}

/* Graph's auditData carries "@odata.type" beside the service's fields:
 * an annotation of the container, not part of the record, so the same
 * record from a Graph query and from a CSV export is one record. Returns
 * a copy without annotations, or NULL when there are none. */
static cJSON *strip_annotations(const cJSON *a)
{
	const cJSON *it;
	cJSON *copy, *k, *next;
	bool any = false;

	cJSON_ArrayForEach(it, a)
		if (it->string && !strncmp(it->string, "@odata.", 7))
			any = true;
	if (!any || !(copy = cJSON_Duplicate(a, 1)))
		return NULL;
	for (k = copy->child; k; k = next) {
		next = k->next;
		if (k->string && !strncmp(k->string, "@odata.", 7))
			cJSON_Delete(cJSON_DetachItemViaPointer(copy, k));
	}
	return copy;
}

static int rec_wrapped(m365f__ingest *ing, const cJSON *o)
{
	const cJSON *a = m365f__j(o, "AuditData");
	cJSON *owned = NULL;
	const char *date, *rt;
	int rc;

	date = m365f__jtext(ing, o, "CreationDate");
	if (!date)
		date = m365f__jtext(ing, o, "createdDateTime");
	rt = m365f__jtext(ing, o, "auditLogRecordType");
	if (!rt)
		rt = m365f__jtext(ing, o, "RecordType");
	if (cJSON_IsString(a)) {
		unsigned long l = 0, c = 0;

		owned = m365f__json_parse(a->valuestring,
					  strlen(a->valuestring), 0, &l, &c);
		if (!owned) {
			if (looks_truncated(a->valuestring,
					    strlen(a->valuestring)))
				return m365f__store_reject(
					ing, "AuditData", c,
					"truncated: AuditData JSON is cut "
					"short");
			return m365f__store_reject(ing, "AuditData", c,
						   "invalid JSON at line %lu, "
						   "column %lu of AuditData",
						   l, c);
		}
		a = owned;
	}
	if (cJSON_IsObject(a)) {
		cJSON *clean = strip_annotations(a);

		if (clean) {
			cJSON_Delete(owned);
			owned = clean;
			a = clean;
		}
	}
	rc = m365f__ual_record(ing, a, date, rt);
	cJSON_Delete(owned);
	return rc;
}

const m365f__json_format m365f__ual_json_wrapped = {
	"ual-wrapped-json", "ual", match_wrapped, rec_wrapped, NULL,
};

static int match_la_json(const cJSON *o)
{
	return cJSON_GetObjectItemCaseSensitive(o, "TimeGenerated") &&
			       (cJSON_GetObjectItemCaseSensitive(o, "OfficeWorkload") ||
				cJSON_GetObjectItemCaseSensitive(o, "OfficeId"))
		       ? 25
		       : 0;
}

static int rec_la_json(m365f__ingest *ing, const cJSON *o)
{
	cJSON *obj = cJSON_CreateObject();
	const cJSON *it;
	const char *t, *rt;
	int rc;

	if (!obj)
		return M365F_ENOMEM;
	cJSON_ArrayForEach(it, o) {
		const char *v;

		if (!it->string)
			continue;
		if (cJSON_IsString(it))
			v = it->valuestring;
		else if (cJSON_IsNull(it))
			continue;
		else {
			cJSON *dup = cJSON_Duplicate(it, 1);
			char buf[128];

			if (dup && !la_skipped(it->string))
				cJSON_AddItemToObject(
					obj, la_name(it->string, buf,
						     sizeof(buf)),
					dup);
			else
				cJSON_Delete(dup);
			continue;
		}
		la_add(obj, it->string, v);
	}
	t = m365f__jtext(ing, o, "TimeGenerated");
	rt = m365f__jtext(ing, o, "RecordType");
	rc = m365f__ual_record(ing, obj, t, rt);
	cJSON_Delete(obj);
	return rc;
}

const m365f__json_format m365f__ual_json_loganalytics = {
	"ual-loganalytics-json", "ual", match_la_json, rec_la_json, NULL,
};
