/* SPDX-License-Identifier: MIT */
/*
 * ioc.c - indicators of compromise taken from the evidence of findings:
 * client IPs, user agents, application ids, forwarding addresses and
 * mailbox rule names, each with a count, first/last time and the users.
 */
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

#define MAX_IOCS 100000      /* distinct indicators kept */

/* Every (type, value, time, user) pair seen in the evidence of a
 * finding. Forwarding values may hold several addresses; they are split
 * in C. Parameter names are those of the Exchange cmdlets (New-/Set-
 * InboxRule, Set-Mailbox) as kept in event_params. */
static const char *sql_iocs =
	"WITH ev AS (SELECT DISTINCT e.id, e.time, e.user, e.client_ip,"
	"  e.user_agent, e.app_id, e.op_norm FROM events e"
	"  JOIN finding_events fe ON fe.event_id = e.id)"
	" SELECT 'ip', client_ip, time, user, id FROM ev"
	"  WHERE client_ip IS NOT NULL AND client_ip <> ''"
	" UNION ALL SELECT 'user_agent', user_agent, time, user, id FROM ev"
	"  WHERE user_agent IS NOT NULL AND user_agent <> ''"
	" UNION ALL SELECT 'app_id', app_id, time, user, id FROM ev"
	"  WHERE app_id IS NOT NULL AND app_id <> ''"
	" UNION ALL SELECT 'forwarding_address', p.value, ev.time, ev.user,"
	"  ev.id"
	"  FROM ev JOIN event_params p ON p.event_id = ev.id"
	"  WHERE p.name IN ('ForwardTo', 'ForwardAsAttachmentTo',"
	"   'RedirectTo', 'ForwardingSmtpAddress', 'ForwardingAddress',"
	"   'RedirectToRecipients') AND p.value IS NOT NULL"
	" UNION ALL SELECT 'forwarding_address', r.forward_to, ev.time,"
	"  ev.user, ev.id FROM ev JOIN inbox_rules r ON r.event_id = ev.id"
	"  WHERE r.forward_to IS NOT NULL"
	" UNION ALL SELECT 'forwarding_address', r.redirect_to, ev.time,"
	"  ev.user, ev.id FROM ev JOIN inbox_rules r ON r.event_id = ev.id"
	"  WHERE r.redirect_to IS NOT NULL"
	" UNION ALL SELECT 'forwarding_address', r.forward_as_attachment,"
	"  ev.time, ev.user, ev.id FROM ev"
	"  JOIN inbox_rules r ON r.event_id = ev.id"
	"  WHERE r.forward_as_attachment IS NOT NULL"
	" UNION ALL SELECT 'rule_name', p.value, ev.time, ev.user, ev.id"
	"  FROM ev JOIN event_params p ON p.event_id = ev.id"
	"  WHERE p.name = 'Name' AND ev.op_norm IN ('new-inboxrule',"
	"   'set-inboxrule', 'new-transportrule', 'set-transportrule')"
	"   AND p.value IS NOT NULL"
	" UNION ALL SELECT 'rule_name', r.name, ev.time, ev.user, ev.id"
	"  FROM ev JOIN inbox_rules r ON r.event_id = ev.id"
	"  WHERE r.name IS NOT NULL AND r.kind IN ('inbox', 'transport')"
	" ORDER BY 1, 5";

typedef struct {
	m365f__ioc *v;
	size_t n, cap;
	bool full;
} ioc_set;

static int ioc_cmp(const void *a, const void *b)
{
	const m365f__ioc *x = a, *y = b;
	int r = strcmp(x->type, y->type);

	return r ? r : strcmp(x->value, y->value);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static m365f__ioc *ioc_find(ioc_set *s, const char *type, const char *v,
			    size_t n)
{
	size_t i;

	/* linear: the evidence of findings is small; the cap bounds it */
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].type, type) &&
		    strlen(s->v[i].value) == n && !memcmp(s->v[i].value, v, n))
			return &s->v[i];
	if (s->n >= MAX_IOCS) {
		s->full = true;
		return NULL;
	}
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 64;
		m365f__ioc *nv = realloc(s->v, nc * sizeof(*nv));

		if (!nv)
			return NULL;
		s->v = nv;
		s->cap = nc;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	s->v[s->n].type = type;
	s->v[s->n].value = m365f__strndup(v, n);
	if (!s->v[s->n].value)
		return NULL;
	return &s->v[s->n++];
}

/* Rows come ordered by type, then event: a value seen twice in one event
 * (as a cmdlet parameter and in the rule table) counts once. */
static int ioc_add(ioc_set *s, const char *type, const char *v, size_t n,
		   int64_t t, const char *user, int64_t ev)
{
	m365f__ioc *x;
	size_t i;

	while (n && (*v == ' ' || *v == '"'))
		v++, n--;
	while (n && (v[n - 1] == ' ' || v[n - 1] == '"'))
		n--;
	if (!n)
		return M365F_OK;
	x = ioc_find(s, type, v, n);
	if (!x)
		return s->full ? M365F_OK : M365F_ENOMEM;
	if (x->count && x->last_event == ev)
		return M365F_OK;
	x->last_event = ev;
	if (!x->count || t < x->first)
		x->first = t;
	if (!x->count || t > x->last)
		x->last = t;
	x->count++;
	if (!user || !*user)
		return M365F_OK;
	for (i = 0; i < x->nusers; i++)
		if (!strcmp(x->users[i], user))
			return M365F_OK;
	if (x->nusers >= M365F__ARRAY_LEN(x->users))
		return M365F_OK;
	x->users[x->nusers] = m365f__strndup(user, strlen(user));
	if (!x->users[x->nusers])
		return M365F_ENOMEM;
	x->nusers++;
	return M365F_OK;
}

/* Forwarding values: "a@x; b@y", "smtp:a@x", "\"Name\" [SMTP:a@x]". */
static int add_addresses(ioc_set *s, const char *v, int64_t t,
			 const char *user, int64_t ev)
{
	int rc = M365F_OK;

	while (*v && !rc) {
		size_t n = strcspn(v, ";,");
		const char *a = v, *lb;
		size_t an = n;

		lb = memchr(a, '[', an);
		if (lb) {
			const char *rb = memchr(lb, ']', an - (size_t)(lb - a));

			if (rb) {
				an = (size_t)(rb - lb - 1);
				a = lb + 1;
			}
		}
		while (an && *a == ' ')
			a++, an--;
		if (an > 5 && m365f__has_prefix_ci(a, "smtp:"))
			a += 5, an -= 5;
		rc = ioc_add(s, "forwarding_address", a, an, t, user, ev);
		v += n;
		if (*v)
			v++;
	}
	return rc;
}

int m365f__iocs_collect(m365f_case *c, m365f__ioc **out, size_t *nout,
			m365f_error *err)
{
	sqlite3_stmt *st;
	ioc_set s;
	int sr, rc = M365F_OK;
	size_t i;

	memset(&s, 0, sizeof(s));
	*out = NULL;
	*nout = 0;
	if (sqlite3_prepare_v2(c->db, sql_iocs, -1, &st, NULL) != SQLITE_OK)
		return m365f__error_db(err, c->db, "indicators");
	while (!rc && (sr = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);
		int64_t t = sqlite3_column_int64(st, 2);
		const char *u = (const char *)sqlite3_column_text(st, 3);
		int64_t ev = sqlite3_column_int64(st, 4);
		/* type names are static so the set can keep pointers */
		static const char *const types[] = {
			"ip", "user_agent", "app_id", "forwarding_address",
			"rule_name"
		};
		const char *ty = NULL;

		for (i = 0; i < M365F__ARRAY_LEN(types); i++)
			if (type && !strcmp(type, types[i]))
				ty = types[i];
		if (!ty || !v)
			continue;
		if (ty == types[3])
			rc = add_addresses(&s, v, t, u, ev);
		else
			rc = ioc_add(&s, ty, v, strlen(v), t, u, ev);
	}
	if (!rc && sr != SQLITE_DONE)
		rc = m365f__error_db(err, c->db, "indicators");
	else if (rc)
		m365f__error_set(err, rc, "out of memory");
	sqlite3_finalize(st);
	if (rc) {
		m365f__iocs_free(s.v, s.n);
		return rc;
	}
	if (s.full) {
		m365f__iocs_free(s.v, s.n);
		return m365f__error_set(err, M365F_ELIMIT,
					"more than %d distinct indicators",
					MAX_IOCS);
	}
	for (i = 0; i < s.n; i++)
		qsort(s.v[i].users, s.v[i].nusers, sizeof(char *), str_cmp);
	if (s.n)
		qsort(s.v, s.n, sizeof(*s.v), ioc_cmp);
	*out = s.v;
	*nout = s.n;
	return M365F_OK;
}

void m365f__iocs_free(m365f__ioc *v, size_t n)
{
	size_t i, j;

	for (i = 0; v && i < n; i++) {
		free(v[i].value);
		for (j = 0; j < v[i].nusers; j++)
			free(v[i].users[j]);
	}
	free(v);
}
