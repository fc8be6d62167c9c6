/* SPDX-License-Identifier: MIT */
/*
 * signin.c - Entra ID sign-in logs in every export shape: the portal CSV
 * downloads (matched by column name), Graph signIn JSON (v1.0, beta, the
 * portal JSON download), Log Analytics SigninLogs & co. (CSV and JSON, with
 * JSON-in-string columns) and Azure Monitor diagnostic records. Each
 * sign-in becomes an events row plus a signin_details row.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

#define MAX_OWNED 16

/* One sign-in, whatever shape it came from. Strings are borrowed. */
typedef struct {
	int64_t time_ms;
	const char *id, *kind, *user, *user_display, *user_id, *user_type;
	const char *app_name, *app_id, *resource_name, *resource_id;
	const char *ip, *error_code, *failure_reason, *status;
	const char *client_app, *auth_protocol, *auth_requirement;
	const char *mfa_result, *mfa_method, *ca_status;
	const char *city, *state, *country;
	const char *device_id, *device_name, *os, *browser, *trust_type;
	const char *risk_level, *risk_state, *risk_detail, *risk_events;
	const char *incoming_token_type, *sp_id, *sp_name, *cred_key_id;
	const char *home_tenant, *resource_tenant, *cross_tenant;
	const char *session_id, *token_id, *correlation_id, *user_agent;
	const char *asn;
	double lat, lon;
	bool has_geo;
	int compliant, managed, interactive; /* -1 unknown */
	/* JSON parsed out of string members, freed after storing */
	cJSON *owned[MAX_OWNED];
	size_t nowned;
} signin_rec;

static void rec_init(signin_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->compliant = r->managed = r->interactive = -1;
}

static void rec_free(signin_rec *r)
{
	size_t i;

	for (i = 0; i < r->nowned; i++)
		cJSON_Delete(r->owned[i]);
	r->nowned = 0;
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* AADSTS codes that interrupt a sign-in rather than fail it (FORMATS.md
 * §2.6): "keep me signed in", account selection, silent sign-in without a
 * session, strong-auth prompt, user confirmation. */
static bool is_interrupt(const char *code)
{
	static const char *const codes[] = { "50140", "16000", "50058",
					     "50074", "50199" };
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(codes); i++)
		if (!strcmp(code, codes[i]))
			return true;
	return false;
}

/* "true"/"false"/"yes"/"no"/"1"/"0" -> 1/0, else -1 */
static int tri(const char *s)
{
	if (!nz(s))
		return -1;
	if (m365f__strieq(s, "true") || m365f__strieq(s, "yes") ||
	    !strcmp(s, "1"))
		return 1;
	if (m365f__strieq(s, "false") || m365f__strieq(s, "no") ||
	    !strcmp(s, "0"))
		return 0;
	return -1;
}

static const char *kind_from_name(const char *s)
{
	static const struct {
		const char *name, *kind;
	} map[] = {
		{ "SignInLogs", "interactive" },
		{ "SigninLogs", "interactive" },
		{ "interactiveUser", "interactive" },
		{ "NonInteractiveUserSignInLogs", "non-interactive" },
		{ "AADNonInteractiveUserSignInLogs", "non-interactive" },
		{ "nonInteractiveUser", "non-interactive" },
		{ "ServicePrincipalSignInLogs", "service-principal" },
		{ "MicrosoftServicePrincipalSignInLogs", "service-principal" },
		{ "AADServicePrincipalSignInLogs", "service-principal" },
		{ "servicePrincipal", "service-principal" },
		{ "ManagedIdentitySignInLogs", "managed-identity" },
		{ "AADManagedIdentitySignInLogs", "managed-identity" },
		{ "managedIdentity", "managed-identity" },
	};
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < M365F__ARRAY_LEN(map); i++)
		if (m365f__strieq(s, map[i].name))
			return map[i].kind;
	return NULL;
}

/* --------------------------------------------------------------- store */

static const char *sql_details =
	"INSERT INTO signin_details(event_id, kind, app_name, app_id,"
	" resource_name, resource_id, error_code, failure_reason, client_app,"
	" auth_protocol, auth_requirement, mfa_result, mfa_method, ca_status,"
	" city, state, country, latitude, longitude, asn, device_id,"
	" device_name, os, browser, compliant, managed, trust_type,"
	" risk_level, risk_state, risk_detail, risk_events, interactive,"
	" incoming_token_type, service_principal_id, service_principal_name,"
	" credential_key_id, user_display_name, user_object_id, user_type,"
	" home_tenant_id, resource_tenant_id, cross_tenant) VALUES (?1,?2,?3,"
	"?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,"
	"?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,?32,?33,?34,?35,?36,?37,?38,"
	"?39,?40,?41,?42)";

static void bind_s(sqlite3_stmt *st, int i, const char *s)
{
	if (nz(s))
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_tri(sqlite3_stmt *st, int i, int v)
{
	if (v >= 0)
		sqlite3_bind_int(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static void bind_int_text(sqlite3_stmt *st, int i, const char *s)
{
	char *end;
	long long v;

	if (!nz(s)) {
		sqlite3_bind_null(st, i);
		return;
	}
	v = strtoll(s, &end, 10);
	if (end != s && !*end)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static int signin_store(m365f__ingest *ing, signin_rec *r)
{
	m365f__event ev;
	m365f_case *c = m365f__ingest_case(ing);
	sqlite3_stmt *st;
	int64_t event_id;
	char secs[32], ip[64];
	const char *parts[6];
	int port, rc;

	memset(&ev, 0, sizeof(ev));
	ev.time_ms = r->time_ms;
	ev.product = "signin";
	ev.workload = "EntraSignIn";
	ev.operation = "SignIn";
	ev.record_type = -1;
	/* result: the error code decides; a portal Status cell is used
	 * when there is no code */
	if (nz(r->error_code)) {
		if (!strcmp(r->error_code, "0"))
			ev.result = "success";
		else if (is_interrupt(r->error_code))
			ev.result = "interrupted";
		else
			ev.result = "failure";
	} else if (nz(r->status)) {
		if (m365f__strieq(r->status, "success"))
			ev.result = "success";
		else if (m365f__strieq(r->status, "interrupted"))
			ev.result = "interrupted";
		else if (m365f__strieq(r->status, "failure"))
			ev.result = "failure";
		else
			ev.result = r->status;
	}
	ev.result_code = nz(r->error_code);
	/* the actor: the user, or the service principal that signed in */
	ev.user = nz(r->user) ? r->user : nz(r->sp_name) ? r->sp_name : r->sp_id;
	ev.client_ip = r->ip;
	ev.user_agent = r->user_agent;
	ev.object = nz(r->resource_name) ? r->resource_name : r->resource_id;
	ev.app_id = r->app_id;
	ev.session_id = r->session_id;
	ev.token_id = r->token_id;
	ev.correlation_id = r->correlation_id;
	ev.record_id = nz(r->id);
	/* the content hash covers what every shape carries, at second
	 * precision, so the same sign-in from a portal CSV and from Graph
	 * JSON is one record. User sign-ins (interactive or not: portal
	 * CSVs do not say) are kept apart from service principal and
	 * managed identity records that share their id (FORMATS.md §4) */
	snprintf(secs, sizeof(secs), "%lld",
		 (long long)(r->time_ms / 1000));
	ip[0] = '\0';
	if (nz(r->ip))
		m365f__ip_normalize(r->ip, strlen(r->ip), ip, &port);
	{
		char *lu = ev.user ? m365f__strdup_lower(ev.user) : NULL;

		parts[0] = secs;
		parts[1] = lu ? lu : "";
		parts[2] = ip;
		parts[3] = nz(r->error_code) ? r->error_code : "";
		parts[4] = nz(r->app_id) ? r->app_id : "";
		parts[5] = r->kind && (!strcmp(r->kind, "service-principal") ||
				       !strcmp(r->kind, "managed-identity"))
				   ? r->kind
				   : "user";
		ev.content_hash = m365f__hash_parts(parts, 6);
		free(lu);
	}
	if (nz(r->user) && r->user_type &&
	    m365f__strieq(r->user_type, "Member") &&
	    !strstr(r->user, "#EXT#") && strchr(r->user, '@'))
		m365f__ingest_learn_domain(ing, strrchr(r->user, '@') + 1);

	rc = m365f__store_event(ing, &ev, &event_id);
	if (rc || !event_id)
		return rc;
	st = m365f__case_stmt(c, sql_details, NULL);
	if (!st)
		return M365F_EDB;
	sqlite3_bind_int64(st, 1, event_id);
	bind_s(st, 2, r->kind);
	bind_s(st, 3, r->app_name);
	bind_s(st, 4, r->app_id);
	bind_s(st, 5, r->resource_name);
	bind_s(st, 6, r->resource_id);
	bind_int_text(st, 7, r->error_code);
	bind_s(st, 8, r->failure_reason);
	bind_s(st, 9, r->client_app);
	bind_s(st, 10, r->auth_protocol);
	bind_s(st, 11, r->auth_requirement);
	bind_s(st, 12, r->mfa_result);
	bind_s(st, 13, r->mfa_method);
	bind_s(st, 14, r->ca_status);
	bind_s(st, 15, r->city);
	bind_s(st, 16, r->state);
	bind_s(st, 17, r->country);
	if (r->has_geo) {
		sqlite3_bind_double(st, 18, r->lat);
		sqlite3_bind_double(st, 19, r->lon);
	}
	bind_int_text(st, 20, r->asn);
	bind_s(st, 21, r->device_id);
	bind_s(st, 22, r->device_name);
	bind_s(st, 23, r->os);
	bind_s(st, 24, r->browser);
	bind_tri(st, 25, r->compliant);
	bind_tri(st, 26, r->managed);
	bind_s(st, 27, r->trust_type);
	bind_s(st, 28, r->risk_level);
	bind_s(st, 29, r->risk_state);
	bind_s(st, 30, r->risk_detail);
	bind_s(st, 31, r->risk_events);
	bind_tri(st, 32, r->interactive);
	bind_s(st, 33, r->incoming_token_type);
	bind_s(st, 34, r->sp_id);
	bind_s(st, 35, r->sp_name);
	bind_s(st, 36, r->cred_key_id);
	bind_s(st, 37, r->user_display);
	bind_s(st, 38, r->user_id);
	bind_s(st, 39, r->user_type);
	bind_s(st, 40, r->home_tenant);
	bind_s(st, 41, r->resource_tenant);
	bind_s(st, 42, r->cross_tenant);
	if (sqlite3_step(st) != SQLITE_DONE)
		return M365F_EDB;
	return M365F_OK;
}

/* ------------------------------------------------- Graph-like objects */

/* Text of a member ("" counts as absent). */
static const char *t(m365f__ingest *ing, const cJSON *o, const char *key)
{
	return nz(m365f__jtext(ing, o, key));
}

static const char *t2(m365f__ingest *ing, const cJSON *o, const char *k1,
		      const char *k2)
{
	const char *v = t(ing, o, k1);

	return v ? v : t(ing, o, k2);
}

/* A member that is an object/array, or a JSON string holding one (Log
 * Analytics dynamic columns exported as text). */
static const cJSON *sub(signin_rec *r, const cJSON *o, const char *key)
{
	const cJSON *v = m365f__j(o, key);
	cJSON *p;

	if (cJSON_IsObject(v) || cJSON_IsArray(v))
		return v;
	if (!cJSON_IsString(v) || r->nowned >= MAX_OWNED)
		return NULL;
	p = m365f__json_parse_inner(v->valuestring);
	if (p)
		r->owned[r->nowned++] = p;
	return p;
}

/* Array of strings (or a JSON string of one) joined with ", ". */
static const char *joined(m365f__ingest *ing, signin_rec *r, const cJSON *o,
			  const char *key)
{
	const cJSON *a = sub(r, o, key), *it;
	m365f__buf b;
	const char *res = NULL;

	if (!cJSON_IsArray(a))
		return t(ing, o, key);
	m365f__buf_init(&b, 65536);
	cJSON_ArrayForEach(it, a) {
		if (!cJSON_IsString(it) || !it->valuestring[0])
			continue;
		if (b.len)
			m365f__buf_append(&b, ", ", 2);
		m365f__buf_append(&b, it->valuestring,
				  strlen(it->valuestring));
	}
	if (b.len)
		res = m365f__strpool_add(m365f__ingest_pool(ing), b.data,
					 b.len);
	m365f__buf_free(&b);
	return res;
}

static bool num_of(const cJSON *o, const char *key, double *out)
{
	const cJSON *v = m365f__j(o, key);
	char *end;

	if (cJSON_IsNumber(v)) {
		*out = v->valuedouble;
		return true;
	}
	if (cJSON_IsString(v) && v->valuestring[0]) {
		*out = strtod(v->valuestring, &end);
		return !*end && isfinite(*out);
	}
	return false;
}

/* MFA outcome: the status detail when it speaks of MFA (what the portal
 * shows as "Multifactor authentication result"), else the second factor
 * in authenticationDetails. */
static void mfa_from(m365f__ingest *ing, signin_rec *r, const cJSON *o,
		     const cJSON *status)
{
	const cJSON *det, *it, *mfa;
	const char *add = status ? t(ing, status, "additionalDetails") : NULL;

	mfa = sub(r, o, "mfaDetail");
	if (mfa) {
		r->mfa_method = t(ing, mfa, "authMethod");
		if (!r->mfa_result)
			r->mfa_result = t(ing, mfa, "authDetail");
	}
	if (add && (strstr(add, "MFA") || strstr(add, "multi-factor")))
		r->mfa_result = add;
	det = sub(r, o, "authenticationDetails");
	if (!cJSON_IsArray(det))
		return;
	cJSON_ArrayForEach(it, det) {
		const char *m = t(ing, it, "authenticationMethod");
		const cJSON *ok = m365f__j(it, "succeeded");

		if (!m || m365f__strieq(m, "Password") ||
		    m365f__strieq(m, "Previously satisfied"))
			continue;
		if (!r->mfa_method)
			r->mfa_method = m;
		if (!r->mfa_result && cJSON_IsBool(ok))
			r->mfa_result = cJSON_IsTrue(ok) ? "succeeded"
							 : "failed";
		break;
	}
}

/* Fill r from a Graph signIn object, a Log Analytics row (as an object)
 * or a diagnostic record's properties. env is the diagnostic envelope or
 * NULL. Returns 0, or -1 with the reject already stored in *rc. */
static int from_object(m365f__ingest *ing, signin_rec *r, const cJSON *o,
		       const cJSON *env, int *rc)
{
	const char *ts, *v;
	const cJSON *status, *loc, *dev, *geo, *types;
	double d;

	ts = t(ing, o, "createdDateTime");
	if (!ts)
		ts = t(ing, o, "TimeGenerated");
	if (!ts && env)
		ts = t(ing, env, "time");
	if (!ts) {
		/* Log Analytics exports without TimeGenerated (the Sentinel
		 * lab's disable_accounts.csv): the first authentication
		 * step carries the sign-in's time */
		const cJSON *ad = sub(r, o, "authenticationDetails");

		if (cJSON_IsArray(ad) && cJSON_GetArraySize(ad) > 0)
			ts = t(ing, cJSON_GetArrayItem(ad, 0),
			       "authenticationStepDateTime");
	}
	if (!ts) {
		*rc = m365f__store_reject(ing, "createdDateTime", 0,
					  "sign-in has no time");
		return -1;
	}
	if (m365f__time_parse(ts, strlen(ts), &r->time_ms, NULL)) {
		*rc = m365f__store_reject(ing, "createdDateTime", 0,
					  "unparsable sign-in time '%.60s'",
					  ts);
		return -1;
	}
	r->id = t(ing, o, "id");
	r->user = t(ing, o, "userPrincipalName");
	r->user_display = t(ing, o, "userDisplayName");
	r->user_id = t(ing, o, "userId");
	r->user_type = t(ing, o, "userType");
	r->app_name = t(ing, o, "appDisplayName");
	r->app_id = t(ing, o, "appId");
	r->resource_name = t(ing, o, "resourceDisplayName");
	/* Log Analytics: ResourceIdentity is the resource app; its
	 * ResourceId is the Azure resource path of the log */
	r->resource_id = t(ing, o, "ResourceIdentity");
	v = t(ing, o, "resourceId");
	if (!r->resource_id && v && v[0] != '/')
		r->resource_id = v;
	r->ip = t2(ing, o, "ipAddress", "IPAddress");
	if (!r->ip && env)
		r->ip = t(ing, env, "callerIpAddress");
	status = sub(r, o, "status");
	if (status) {
		r->error_code = t(ing, status, "errorCode");
		r->failure_reason = t(ing, status, "failureReason");
	}
	if (!r->error_code)
		r->error_code = t(ing, o, "ResultType");
	if (!r->error_code && env)
		r->error_code = t(ing, env, "resultType");
	if (!r->failure_reason)
		r->failure_reason = t(ing, o, "ResultDescription");
	if (r->failure_reason && !strcmp(r->failure_reason, "Other."))
		r->failure_reason = NULL;
	r->client_app = t(ing, o, "clientAppUsed");
	r->auth_protocol = t(ing, o, "authenticationProtocol");
	r->auth_requirement = t(ing, o, "authenticationRequirement");
	r->ca_status = t(ing, o, "conditionalAccessStatus");
	mfa_from(ing, r, o, status);

	loc = sub(r, o, "LocationDetails");
	if (!loc)
		loc = sub(r, o, "location");
	if (cJSON_IsObject(loc)) {
		r->city = t(ing, loc, "city");
		r->state = t(ing, loc, "state");
		r->country = t(ing, loc, "countryOrRegion");
		geo = sub(r, loc, "geoCoordinates");
		if (geo && num_of(geo, "latitude", &r->lat) &&
		    num_of(geo, "longitude", &r->lon))
			r->has_geo = true;
	} else {
		/* Log Analytics "Location" and the diagnostic envelope's
		 * "location" are the country code */
		v = t(ing, o, "location");
		if (!v && env)
			v = t(ing, env, "location");
		if (v && strlen(v) == 2)
			r->country = v;
	}
	dev = sub(r, o, "deviceDetail");
	if (cJSON_IsObject(dev)) {
		r->device_id = t(ing, dev, "deviceId");
		r->device_name = t(ing, dev, "displayName");
		r->os = t(ing, dev, "operatingSystem");
		r->browser = t(ing, dev, "browser");
		r->compliant = tri(t(ing, dev, "isCompliant"));
		r->managed = tri(t(ing, dev, "isManaged"));
		r->trust_type = t(ing, dev, "trustType");
	}
	r->risk_level = t2(ing, o, "riskLevelDuringSignIn",
			   "riskLevelAggregated");
	r->risk_state = t(ing, o, "riskState");
	r->risk_detail = t(ing, o, "riskDetail");
	r->risk_events = joined(ing, r, o, "riskEventTypes_v2");
	if (!r->risk_events)
		r->risk_events = joined(ing, r, o, "riskEventTypes");
	r->interactive = tri(t(ing, o, "isInteractive"));
	r->incoming_token_type = t(ing, o, "incomingTokenType");
	r->sp_id = t(ing, o, "servicePrincipalId");
	r->sp_name = t(ing, o, "servicePrincipalName");
	r->cred_key_id = t(ing, o, "servicePrincipalCredentialKeyId");
	r->home_tenant = t(ing, o, "homeTenantId");
	r->resource_tenant = t(ing, o, "resourceTenantId");
	r->cross_tenant = t(ing, o, "crossTenantAccessType");
	r->session_id = t(ing, o, "sessionId");
	r->token_id = t(ing, o, "uniqueTokenIdentifier");
	r->correlation_id = t(ing, o, "correlationId");
	if (!r->correlation_id && env)
		r->correlation_id = t(ing, env, "correlationId");
	r->user_agent = t(ing, o, "userAgent");
	r->asn = t(ing, o, "autonomousSystemNumber");
	if (num_of(o, "autonomousSystemNumber", &d) && d != floor(d))
		r->asn = NULL;

	/* kind: the event types (beta), the category or table, else the
	 * interactive flag */
	types = sub(r, o, "signInEventTypes");
	if (cJSON_IsArray(types) && cJSON_GetArraySize(types) > 0) {
		const cJSON *f = cJSON_GetArrayItem(types, 0);

		if (cJSON_IsString(f))
			r->kind = kind_from_name(f->valuestring);
	}
	if (!r->kind && env)
		r->kind = kind_from_name(t(ing, env, "category"));
	if (!r->kind)
		r->kind = kind_from_name(t(ing, o, "Type"));
	if (!r->kind)
		r->kind = kind_from_name(t(ing, o, "Category"));
	if (!r->kind && r->interactive >= 0)
		r->kind = r->interactive ? "interactive" : "non-interactive";
	if (r->interactive < 0 && r->kind) {
		if (!strcmp(r->kind, "interactive"))
			r->interactive = 1;
		else
			r->interactive = 0;
	}
	return 0;
}

static int signin_object(m365f__ingest *ing, const cJSON *o,
			 const cJSON *env)
{
	signin_rec r;
	int rc = M365F_OK;

	rec_init(&r);
	if (!from_object(ing, &r, o, env, &rc))
		rc = signin_store(ing, &r);
	rec_free(&r);
	return rc;
}

/* ----------------------------------------------------------- JSON shapes */

static bool hasc(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k) != NULL;
}

/* Graph /auditLogs/signIns (v1.0, beta) and the portal JSON download. */
static int match_graph(const cJSON *o)
{
	if (!hasc(o, "createdDateTime") || hasc(o, "activityDisplayName"))
		return 0;
	if (!hasc(o, "userPrincipalName") && !hasc(o, "appId") &&
	    !hasc(o, "servicePrincipalId"))
		return 0;
	return hasc(o, "status") || hasc(o, "ipAddress") ||
			       hasc(o, "clientAppUsed")
		       ? 35
		       : 0;
}

static int rec_graph(m365f__ingest *ing, const cJSON *o)
{
	return signin_object(ing, o, NULL);
}

const m365f__json_format m365f__signin_json_graph = {
	"signin-graph-json", "signin", match_graph, rec_graph, NULL,
};

/* Graph PowerShell SDK objects (Get-MgAuditLogSignIn | ConvertTo-Json, as
 * Hawk writes them): the same members in PascalCase, times as ISO or
 * "\/Date(ms)\/". */
static int match_sdk(const cJSON *o)
{
	if (!hasc(o, "CreatedDateTime") || hasc(o, "ResultType") ||
	    hasc(o, "ActivityDisplayName") || hasc(o, "OfficeWorkload"))
		return 0;
	if (!hasc(o, "UserPrincipalName") && !hasc(o, "AppId"))
		return 0;
	return hasc(o, "Status") || hasc(o, "IPAddress") ||
			       hasc(o, "IpAddress")
		       ? 30
		       : 0;
}

const m365f__json_format m365f__signin_json_sdk = {
	"signin-graph-sdk-json", "signin", match_sdk, rec_graph, NULL,
};

static bool signin_category(const char *c)
{
	return c && kind_from_name(c) != NULL;
}

/* Azure Monitor diagnostic settings (storage PT1H.json lines, Event Hub
 * {"records":[...]}): an envelope with the sign-in in "properties". */
static int match_diag(const cJSON *o)
{
	const char *c = m365f__jstr(o, "category");

	if (!signin_category(c) || !m365f__j(o, "time"))
		return 0;
	return 40;
}

static int rec_diag(m365f__ingest *ing, const cJSON *o)
{
	return m365f__diag_record(ing, o, "sign-in", signin_object);
}

const m365f__json_format m365f__signin_json_diagnostic = {
	"signin-diagnostic-json", "signin", match_diag, rec_diag, NULL,
};

/* Log Analytics SigninLogs / AADNonInteractiveUserSignInLogs / ... rows
 * exported as JSON. */
static int match_la_json(const cJSON *o)
{
	const char *type = m365f__jstr(o, "Type");

	if (!hasc(o, "ResultType") || hasc(o, "OfficeWorkload"))
		return 0;
	if (!hasc(o, "UserPrincipalName") && !hasc(o, "ServicePrincipalId") &&
	    !hasc(o, "AppId"))
		return 0;
	if (signin_category(type) ||
	    signin_category(m365f__jstr(o, "Category")) ||
	    hasc(o, "LocationDetails"))
		return 35;
	return 0;
}

const m365f__json_format m365f__signin_json_loganalytics = {
	"signin-loganalytics-json", "signin", match_la_json, rec_graph, NULL,
};

/* ------------------------------------------------------ Log Analytics CSV */

static char *strip_suffix(char *k, const char *suf)
{
	size_t n = strlen(k), m = strlen(suf);

	if (n > m && !strcmp(k + n - m, suf))
		k[n - m] = '\0';
	return k;
}

/* Column names without " [UTC]", "_dynamic" or "_string": the first
 * non-empty of a _dynamic/_string pair wins. */
static void clean_key(char *k)
{
	strip_suffix(k, " [UTC]");
	strip_suffix(k, "_dynamic");
	strip_suffix(k, "_string");
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
	rc = signin_object(ing, obj, NULL);
	cJSON_Delete(obj);
	return rc;
}

static int match_la_csv(const m365f__csv_header *h)
{
	if (!m365f__csv_has(h, "resulttype") || m365f__csv_has(h, "officeworkload") ||
	    m365f__csv_has(h, "auditdata"))
		return 0;
	if (!m365f__csv_has(h, "userprincipalname") && !m365f__csv_has(h, "serviceprincipalid"))
		return 0;
	return m365f__csv_has(h, "appdisplayname") || m365f__csv_has(h, "ipaddress") ? 30 : 0;
}

const m365f__csv_format m365f__signin_csv_loganalytics = {
	"signin-loganalytics-csv", "signin", match_la_csv, la_begin, la_row,
	m365f__lacsv_end,
};

/* ------------------------------------------------------------ portal CSV */

/* Columns of the portal downloads by normalized name; older and newer
 * portal versions name some of them differently. */
enum {
	P_DATE, P_ID, P_UA, P_CORR, P_USERID, P_USER, P_UPN, P_UTYPE,
	P_CROSS, P_TOKTYPE, P_PROTO, P_TOKEN, P_APP, P_APPID, P_RES, P_RESID,
	P_RESTEN, P_HOMETEN, P_IP, P_LOC, P_STATUS, P_CODE, P_REASON,
	P_CLIENT, P_DEVID, P_BROWSER, P_OS, P_COMPLIANT, P_MANAGED, P_JOIN,
	P_MFARES, P_MFAMETH, P_AUTHREQ, P_SESSION, P_ASN, P_CA, P_SPID,
	P_SPNAME, P_CREDKEY, P_MITYPE, P_NCOLS
};

static const char *const pcols[P_NCOLS][3] = {
	[P_DATE] = { "date (utc)", "date", NULL },
	[P_ID] = { "request id", "id", NULL },
	[P_UA] = { "user agent", NULL, NULL },
	[P_CORR] = { "correlation id", NULL, NULL },
	[P_USERID] = { "user id", NULL, NULL },
	[P_USER] = { "user", NULL, NULL },
	[P_UPN] = { "username", "user principal name", NULL },
	[P_UTYPE] = { "user type", NULL, NULL },
	[P_CROSS] = { "cross tenant access type", NULL, NULL },
	[P_TOKTYPE] = { "incoming token type", NULL, NULL },
	[P_PROTO] = { "authentication protocol", NULL, NULL },
	[P_TOKEN] = { "unique token identifier", NULL, NULL },
	[P_APP] = { "application", NULL, NULL },
	[P_APPID] = { "application id", "app id", NULL },
	[P_RES] = { "resource", NULL, NULL },
	[P_RESID] = { "resource id", NULL, NULL },
	[P_RESTEN] = { "resource tenant id", NULL, NULL },
	[P_HOMETEN] = { "home tenant id", NULL, NULL },
	[P_IP] = { "ip address", NULL, NULL },
	[P_LOC] = { "location", NULL, NULL },
	[P_STATUS] = { "status", NULL, NULL },
	[P_CODE] = { "sign-in error code", "error code", NULL },
	[P_REASON] = { "failure reason", NULL, NULL },
	[P_CLIENT] = { "client app", NULL, NULL },
	[P_DEVID] = { "device id", NULL, NULL },
	[P_BROWSER] = { "browser", NULL, NULL },
	[P_OS] = { "operating system", NULL, NULL },
	[P_COMPLIANT] = { "compliant", NULL, NULL },
	[P_MANAGED] = { "managed", NULL, NULL },
	[P_JOIN] = { "join type", NULL, NULL },
	[P_MFARES] = { "multifactor authentication result", "mfa result",
		       NULL },
	[P_MFAMETH] = { "multifactor authentication auth method",
			"mfa auth method", NULL },
	[P_AUTHREQ] = { "authentication requirement", NULL, NULL },
	[P_SESSION] = { "session id", NULL, NULL },
	[P_ASN] = { "autonomous system number", NULL, NULL },
	[P_CA] = { "conditional access", NULL, NULL },
	[P_SPID] = { "service principal id", NULL, NULL },
	[P_SPNAME] = { "service principal name", NULL, NULL },
	[P_CREDKEY] = { "credential key id", NULL, NULL },
	[P_MITYPE] = { "managed identity type", NULL, NULL },
};

typedef struct {
	int col[P_NCOLS];
	const char *kind;
} portal_state;

static int portal_begin(m365f__ingest *ing, const m365f__csv_header *h,
			void **state)
{
	portal_state *s = calloc(1, sizeof(*s));
	size_t i, k;

	M365F__UNUSED(ing);
	if (!s)
		return M365F_ENOMEM;
	for (i = 0; i < P_NCOLS; i++) {
		s->col[i] = -1;
		for (k = 0; k < 3 && pcols[i][k] && s->col[i] < 0; k++)
			s->col[i] = m365f__csv_col(h, pcols[i][k]);
	}
	/* the four tabs share most columns; the service principal and
	 * managed identity downloads have no user columns */
	if (s->col[P_MITYPE] >= 0 && s->col[P_UPN] < 0)
		s->kind = "managed-identity";
	else if (s->col[P_SPID] >= 0 && s->col[P_UPN] < 0)
		s->kind = "service-principal";
	*state = s;
	return M365F_OK;
}

static void portal_end(void *state)
{
	free(state);
}

static const char *cell(const portal_state *s, const m365f__csv_row *r,
			int which)
{
	int i = s->col[which];

	if (i < 0 || (size_t)i >= r->ncols)
		return NULL;
	return nz(r->fields[i]);
}

/* "City, State, CC" in one cell; parts may be missing. */
static void split_location(m365f__ingest *ing, signin_rec *r, const char *v)
{
	const char *parts[3];
	size_t lens[3], n = 0;
	const char *p = v;
	m365f__strpool *pool = m365f__ingest_pool(ing);

	while (n < 3) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		while (len && *p == ' ') {
			p++;
			len--;
		}
		while (len && p[len - 1] == ' ')
			len--;
		parts[n] = p;
		lens[n] = len;
		n++;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (n == 1 && lens[0] == 2) {
		r->country = m365f__strpool_add(pool, parts[0], lens[0]);
		return;
	}
	if (n >= 1 && lens[0])
		r->city = m365f__strpool_add(pool, parts[0], lens[0]);
	if (n == 3 && lens[1])
		r->state = m365f__strpool_add(pool, parts[1], lens[1]);
	if (n >= 2 && lens[n - 1])
		r->country = m365f__strpool_add(pool, parts[n - 1],
						lens[n - 1]);
}

static int portal_row(m365f__ingest *ing, void *state,
		      const m365f__csv_row *row)
{
	portal_state *s = state;
	signin_rec r;
	const char *date = cell(s, row, P_DATE), *v;
	size_t i;

	for (i = 0; i < row->ncols; i++)
		if (memchr(row->fields[i], '\0', row->lens[i]))
			return m365f__store_reject(ing, NULL, 0,
						   "NUL byte in column %zu",
						   i + 1);
	rec_init(&r);
	if (!date)
		return m365f__store_reject(ing, "Date (UTC)", 0,
					   "sign-in has no date");
	if (m365f__time_parse(date, strlen(date), &r.time_ms, NULL))
		return m365f__store_reject(ing, "Date (UTC)", 0,
					   "unparsable date '%.60s'", date);
	r.kind = s->kind;
	r.id = cell(s, row, P_ID);
	r.user_agent = cell(s, row, P_UA);
	r.correlation_id = cell(s, row, P_CORR);
	r.user_id = cell(s, row, P_USERID);
	r.user_display = cell(s, row, P_USER);
	r.user = cell(s, row, P_UPN);
	r.user_type = cell(s, row, P_UTYPE);
	r.cross_tenant = cell(s, row, P_CROSS);
	r.incoming_token_type = cell(s, row, P_TOKTYPE);
	r.auth_protocol = cell(s, row, P_PROTO);
	r.token_id = cell(s, row, P_TOKEN);
	r.app_name = cell(s, row, P_APP);
	r.app_id = cell(s, row, P_APPID);
	r.resource_name = cell(s, row, P_RES);
	r.resource_id = cell(s, row, P_RESID);
	r.resource_tenant = cell(s, row, P_RESTEN);
	r.home_tenant = cell(s, row, P_HOMETEN);
	r.ip = cell(s, row, P_IP);
	v = cell(s, row, P_LOC);
	if (v)
		split_location(ing, &r, v);
	r.status = cell(s, row, P_STATUS);
	r.error_code = cell(s, row, P_CODE);
	r.failure_reason = cell(s, row, P_REASON);
	if (r.failure_reason && !strcmp(r.failure_reason, "Other."))
		r.failure_reason = NULL;
	r.client_app = cell(s, row, P_CLIENT);
	r.device_id = cell(s, row, P_DEVID);
	r.browser = cell(s, row, P_BROWSER);
	r.os = cell(s, row, P_OS);
	r.compliant = tri(cell(s, row, P_COMPLIANT));
	r.managed = tri(cell(s, row, P_MANAGED));
	r.trust_type = cell(s, row, P_JOIN);
	r.mfa_result = cell(s, row, P_MFARES);
	r.mfa_method = cell(s, row, P_MFAMETH);
	r.auth_requirement = cell(s, row, P_AUTHREQ);
	r.session_id = cell(s, row, P_SESSION);
	r.asn = cell(s, row, P_ASN);
	r.ca_status = cell(s, row, P_CA);
	r.sp_id = cell(s, row, P_SPID);
	r.sp_name = cell(s, row, P_SPNAME);
	r.cred_key_id = cell(s, row, P_CREDKEY);
	if (r.kind && strcmp(r.kind, "interactive") != 0)
		r.interactive = 0;
	return signin_store(ing, &r);
}

static int match_portal(const m365f__csv_header *h)
{
	return m365f__csv_has(h, "date (utc)") && m365f__csv_has(h, "request id") &&
			       m365f__csv_has(h, "ip address")
		       ? 40
		       : 0;
}

const m365f__csv_format m365f__signin_csv_portal = {
	"signin-portal-csv", "signin", match_portal, portal_begin, portal_row,
	portal_end,
};
