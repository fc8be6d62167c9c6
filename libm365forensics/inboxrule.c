/* SPDX-License-Identifier: MIT */
/*
 * inboxrule.c - mailbox rules: Get-InboxRule dumps (Export-Csv,
 * ConvertTo-Json), collector outputs (Extractor-Suite, Hawk, Goose), Graph
 * messageRule JSON, mailbox forwarding and transport-rule dumps; and the
 * rule history rebuilt from stored audit events (New-/Set-InboxRule,
 * UpdateInboxRules, Set-Mailbox forwarding, transport rule cmdlets).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

#define MAX_ADDR_TEXT 65536

/* One rule, whatever shape it came from. Strings are borrowed except the
 * address lists, which are built into the ingest's pool (or owned by the
 * caller for the rebuild). */
typedef struct {
	const char *kind;        /* inbox, forwarding, transport */
	const char *action;      /* audit: new, set, enable, ... */
	int64_t time_ms;
	bool has_time;
	const char *mailbox, *name, *identity, *rule_id, *description;
	const char *forward_to, *fwd_attach, *redirect_to, *bcc_to;
	const char *move_to, *copy_to, *cond_from, *cond_subject, *cond_body;
	const char *cond_sob;
	int enabled, delete_msg, soft_delete, mark_read, stop, has_attach;
	int deliver_fwd;
	bool has_priority;
	long priority;
} rule_rec;

static void rule_init(rule_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->enabled = r->delete_msg = r->soft_delete = r->mark_read = -1;
	r->stop = r->has_attach = r->deliver_fwd = -1;
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static int tri(const char *s)
{
	if (!nz(s))
		return -1;
	if (m365f__strieq(s, "true") || m365f__strieq(s, "$true") ||
	    m365f__strieq(s, "enabled") || !strcmp(s, "1"))
		return 1;
	if (m365f__strieq(s, "false") || m365f__strieq(s, "$false") ||
	    m365f__strieq(s, "disabled") || !strcmp(s, "0"))
		return 0;
	return -1;
}

/* ------------------------------------------------------------ addresses */

/* A .NET type name written by Export-Csv instead of a collection's values
 * (FORMATS.md §3.1): the rule has targets, but they were not exported. */
static bool is_type_name(const char *s)
{
	return !strncmp(s, "System.", 7) ||
	       !strncmp(s, "Microsoft.Exchange.", 19);
}

static void append_addr(m365f__buf *b, const char *p, size_t n)
{
	size_t i;

	while (n && (*p == ' ' || *p == '"' || *p == '\'' || *p == '<')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '"' ||
		     p[n - 1] == '\'' || p[n - 1] == '>' || p[n - 1] == '.'))
		n--;
	if (!n)
		return;
	if (b->len)
		m365f__buf_append(b, "; ", 2);
	for (i = 0; i < n; i++)
		m365f__buf_putc(b, (char)tolower((unsigned char)p[i]));
}

/* Addresses in one recipient text: "Name" [SMTP:a@b], [EX:/o=...] legacy
 * DNs (kept, they have no SMTP form), smtp:a@b, Name <a@b>, bare a@b,
 * several joined with ", " or "; ". */
static void parse_addrs(m365f__buf *b, const char *s)
{
	const char *p = s, *q;
	bool bracketed = false;

	if (!nz(s))
		return;
	if (is_type_name(s)) {
		if (b->len)
			m365f__buf_append(b, "; ", 2);
		m365f__buf_append(b, s, strlen(s));
		return;
	}
	/* [SMTP:x] and [EX:x] forms */
	while ((q = strchr(p, '[')) != NULL) {
		const char *end = strchr(q, ']');

		if (!end)
			break;
		if (m365f__has_prefix_ci(q + 1, "smtp:")) {
			append_addr(b, q + 6, (size_t)(end - q - 6));
			bracketed = true;
		} else if (m365f__has_prefix_ci(q + 1, "ex:")) {
			append_addr(b, q + 1, (size_t)(end - q - 1));
			bracketed = true;
		}
		p = end + 1;
	}
	if (bracketed)
		return;
	/* tokens that hold an '@', split at separators, quotes, brackets
	 * and the colon of "smtp:" (also JSON text such as Outlook's
	 * RuleActions) */
	p = s;
	while (*p) {
		size_t n = strcspn(p, ",; \t\r\n\"'[]{}()<>:");

		if (n && memchr(p, '@', n))
			append_addr(b, p, n);
		p += n;
		if (*p)
			p++;
	}
}

/* A JSON member holding recipients: array of strings, array of Graph
 * recipients {emailAddress:{address}}, or a string. */
static void json_addrs(m365f__buf *b, const cJSON *v)
{
	const cJSON *it;

	if (cJSON_IsString(v)) {
		parse_addrs(b, v->valuestring);
		return;
	}
	if (!cJSON_IsArray(v))
		return;
	cJSON_ArrayForEach(it, v) {
		if (cJSON_IsString(it)) {
			parse_addrs(b, it->valuestring);
		} else if (cJSON_IsObject(it)) {
			const cJSON *ea = m365f__j(it, "emailAddress");
			const char *a = m365f__jstr(ea ? ea : it, "address");

			if (a)
				append_addr(b, a, strlen(a));
		}
	}
}

static const char *pooled(m365f__ingest *ing, m365f__buf *b)
{
	const char *r = NULL;

	if (b->len)
		r = m365f__strpool_add(m365f__ingest_pool(ing), b->data,
				       b->len);
	m365f__buf_reset(b);
	return r;
}

static const char *addrs_text(m365f__ingest *ing, const char *s)
{
	m365f__buf b;
	const char *r;

	m365f__buf_init(&b, MAX_ADDR_TEXT);
	parse_addrs(&b, s);
	r = pooled(ing, &b);
	m365f__buf_free(&b);
	return r;
}

static const char *addrs_json(m365f__ingest *ing, const cJSON *v)
{
	m365f__buf b;
	const char *r;

	m365f__buf_init(&b, MAX_ADDR_TEXT);
	json_addrs(&b, v);
	r = pooled(ing, &b);
	m365f__buf_free(&b);
	return r;
}

/* Word lists: JSON arrays joined with "; ", text kept as written. */
static const char *words_json(m365f__ingest *ing, const cJSON *v)
{
	m365f__buf b;
	const cJSON *it;
	const char *r;

	if (cJSON_IsString(v))
		return nz(v->valuestring);
	if (!cJSON_IsArray(v))
		return NULL;
	m365f__buf_init(&b, MAX_ADDR_TEXT);
	cJSON_ArrayForEach(it, v) {
		if (!cJSON_IsString(it) || !it->valuestring[0])
			continue;
		if (b.len)
			m365f__buf_append(&b, "; ", 2);
		m365f__buf_append(&b, it->valuestring,
				  strlen(it->valuestring));
	}
	r = pooled(ing, &b);
	m365f__buf_free(&b);
	return r;
}

/* ---------------------------------------------------------------- store */

static const char *sql_rule =
	"INSERT INTO inbox_rules(event_id, source_kind, kind, action, time,"
	" mailbox, name, identity, rule_id, enabled, priority, forward_to,"
	" forward_as_attachment, redirect_to, bcc_to, delete_message,"
	" soft_delete, move_to_folder, copy_to_folder, mark_as_read,"
	" stop_processing, cond_from, cond_subject, cond_body,"
	" cond_subject_or_body, cond_has_attachment, deliver_and_forward,"
	" description) VALUES (?1,?2,?3,?4,?5,lower(?6),?7,?8,?9,?10,?11,?12,"
	"?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28)";

static void bind_s(sqlite3_stmt *st, int i, const char *s)
{
	if (nz(s))
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
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

static int insert_rule(m365f_case *c, int64_t event_id,
		       const char *source_kind, const rule_rec *r)
{
	sqlite3_stmt *st = m365f__case_stmt(c, sql_rule, NULL);

	if (!st)
		return M365F_EDB;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_text(st, 2, source_kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->kind, -1, SQLITE_STATIC);
	bind_s(st, 4, r->action);
	if (r->has_time)
		sqlite3_bind_int64(st, 5, r->time_ms);
	bind_s(st, 6, r->mailbox);
	bind_s(st, 7, r->name);
	bind_s(st, 8, r->identity);
	bind_s(st, 9, r->rule_id);
	bind_tri(st, 10, r->enabled);
	if (r->has_priority)
		sqlite3_bind_int64(st, 11, r->priority);
	bind_s(st, 12, r->forward_to);
	bind_s(st, 13, r->fwd_attach);
	bind_s(st, 14, r->redirect_to);
	bind_s(st, 15, r->bcc_to);
	bind_tri(st, 16, r->delete_msg);
	bind_tri(st, 17, r->soft_delete);
	bind_s(st, 18, r->move_to);
	bind_s(st, 19, r->copy_to);
	bind_tri(st, 20, r->mark_read);
	bind_tri(st, 21, r->stop);
	bind_s(st, 22, r->cond_from);
	bind_s(st, 23, r->cond_subject);
	bind_s(st, 24, r->cond_body);
	bind_s(st, 25, r->cond_sob);
	bind_tri(st, 26, r->has_attach);
	bind_tri(st, 27, r->deliver_fwd);
	bind_s(st, 28, r->description);
	return sqlite3_step(st) == SQLITE_DONE ? M365F_OK : M365F_EDB;
}

/* A rule from a dump: an events row (product "rules") and an inbox_rules
 * row with source_kind 'dump'. A dump has no time unless it carries
 * WhenChanged; such rules sit at time 0. */
static int dump_store(m365f__ingest *ing, rule_rec *r)
{
	m365f__event ev;
	int64_t event_id;
	char tri_s[16], prio[24];
	const char *parts[24], *rid;
	m365f__buf key;
	size_t i;
	int rc;

	if (!nz(r->mailbox) && !nz(r->name) && !nz(r->identity))
		return m365f__store_reject(ing, NULL, 0,
					   "rule without mailbox, name or "
					   "identity");
	memset(&ev, 0, sizeof(ev));
	ev.time_ms = r->has_time ? r->time_ms : 0;
	ev.product = "rules";
	ev.workload = "Exchange";
	ev.record_type = -1;
	ev.operation = !strcmp(r->kind, "inbox")        ? "InboxRule"
		       : !strcmp(r->kind, "forwarding") ? "MailboxForwarding"
							: "TransportRule";
	ev.user = r->mailbox;
	ev.object = r->name;
	/* the same rule dumped twice is a duplicate; changed, a conflict */
	m365f__buf_init(&key, 4096);
	m365f__buf_printf(&key, "%s|%s|%s|%s", r->kind,
			  r->mailbox ? r->mailbox : "",
			  r->identity ? r->identity : "",
			  r->rule_id ? r->rule_id : (r->name ? r->name : ""));
	if (!key.data) {
		m365f__buf_free(&key);
		return M365F_ENOMEM;
	}
	for (i = 0; key.data[i]; i++)
		key.data[i] = (char)tolower((unsigned char)key.data[i]);
	rid = key.data;
	ev.record_id = rid;
	snprintf(tri_s, sizeof(tri_s), "%d%d%d%d%d%d%d", r->enabled,
		 r->delete_msg, r->soft_delete, r->mark_read, r->stop,
		 r->has_attach, r->deliver_fwd);
	snprintf(prio, sizeof(prio), "%ld", r->has_priority ? r->priority : -1);
	parts[0] = rid;
	parts[1] = tri_s;
	parts[2] = prio;
	parts[3] = r->forward_to;
	parts[4] = r->fwd_attach;
	parts[5] = r->redirect_to;
	parts[6] = r->bcc_to;
	parts[7] = r->move_to;
	parts[8] = r->copy_to;
	parts[9] = r->cond_from;
	parts[10] = r->cond_subject;
	parts[11] = r->cond_body;
	parts[12] = r->cond_sob;
	parts[13] = r->name;
	ev.content_hash = m365f__hash_parts(parts, 14);
	rc = m365f__store_event(ing, &ev, &event_id);
	if (!rc && event_id)
		rc = insert_rule(m365f__ingest_case(ing), event_id, "dump", r);
	m365f__buf_free(&key);
	return rc;
}

/* Mailbox of a Get-InboxRule object: an address when one is given, else
 * the Identity's mailbox part, else MailboxOwnerId. */
static const char *inbox_mailbox(m365f__ingest *ing, const char *identity,
				 const char *owner)
{
	const char *bs;

	if (nz(owner) && strchr(owner, '@'))
		return owner;
	if (nz(identity) && (bs = strrchr(identity, '\\')) != NULL &&
	    bs > identity)
		return m365f__strpool_add(m365f__ingest_pool(ing), identity,
					  (size_t)(bs - identity));
	return nz(owner);
}

static bool parse_long(const char *s, long *out)
{
	char *end;

	if (!nz(s))
		return false;
	*out = strtol(s, &end, 10);
	return !*end;
}

/* ------------------------------------------------------ Get-InboxRule JSON */

static const char *jt(m365f__ingest *ing, const cJSON *o, const char *k)
{
	return nz(m365f__jtext(ing, o, k));
}

/* A Get-InboxRule object (ConvertTo-Json of WinPS 5.1 or PS 7, Hawk and
 * Goose outputs). RuleIdentity arrives as text: the reader quotes integers
 * over 15 digits, so it is never rounded through a double. */
static int rec_inbox_json(m365f__ingest *ing, const cJSON *o)
{
	rule_rec r;
	const char *when;

	rule_init(&r);
	r.kind = "inbox";
	r.name = jt(ing, o, "Name");
	r.identity = jt(ing, o, "Identity");
	r.rule_id = jt(ing, o, "RuleIdentity");
	r.mailbox = inbox_mailbox(ing, r.identity, jt(ing, o, "MailboxOwnerId"));
	r.description = jt(ing, o, "Description");
	r.enabled = tri(jt(ing, o, "Enabled"));
	r.has_priority = parse_long(jt(ing, o, "Priority"), &r.priority);
	r.forward_to = addrs_json(ing, m365f__j(o, "ForwardTo"));
	r.fwd_attach = addrs_json(ing, m365f__j(o, "ForwardAsAttachmentTo"));
	r.redirect_to = addrs_json(ing, m365f__j(o, "RedirectTo"));
	r.delete_msg = tri(jt(ing, o, "DeleteMessage"));
	r.soft_delete = tri(jt(ing, o, "SoftDeleteMessage"));
	r.move_to = jt(ing, o, "MoveToFolder");
	r.copy_to = jt(ing, o, "CopyToFolder");
	r.mark_read = tri(jt(ing, o, "MarkAsRead"));
	r.stop = tri(jt(ing, o, "StopProcessingRules"));
	r.cond_from = addrs_json(ing, m365f__j(o, "From"));
	r.cond_subject = words_json(ing, m365f__j(o, "SubjectContainsWords"));
	r.cond_body = words_json(ing, m365f__j(o, "BodyContainsWords"));
	r.cond_sob = words_json(ing, m365f__j(o, "SubjectOrBodyContainsWords"));
	r.has_attach = tri(jt(ing, o, "HasAttachment"));
	when = jt(ing, o, "WhenChanged");
	if (when && !m365f__time_parse(when, strlen(when), &r.time_ms, NULL))
		r.has_time = true;
	return dump_store(ing, &r);
}

static int match_inbox_json(const cJSON *o)
{
	return m365f__j(o, "RuleIdentity") && m365f__j(o, "Name") &&
			       !m365f__j(o, "AuditData")
		       ? 35
		       : 0;
}

const m365f__json_format m365f__rules_json_inboxrule = {
	"rules-inboxrule-json", "rules", match_inbox_json, rec_inbox_json, NULL,
};

/* --------------------------------------------------- Graph messageRule */

static int rec_graph(m365f__ingest *ing, const cJSON *o)
{
	const cJSON *cond = m365f__j(o, "conditions");
	const cJSON *act = m365f__j(o, "actions");
	rule_rec r;
	const char *v;

	rule_init(&r);
	r.kind = "inbox";
	r.name = jt(ing, o, "displayName");
	r.rule_id = jt(ing, o, "id");
	r.identity = r.rule_id;
	r.enabled = tri(jt(ing, o, "isEnabled"));
	r.has_priority = parse_long(jt(ing, o, "sequence"), &r.priority);
	/* Goose writes the owner as an extra array element; Extractor-Suite
	 * and our own dumps may carry it on each rule */
	r.mailbox = jt(ing, o, "userPrincipalName");
	if (cJSON_IsObject(act)) {
		r.forward_to = addrs_json(ing, m365f__j(act, "forwardTo"));
		r.fwd_attach = addrs_json(ing,
					  m365f__j(act, "forwardAsAttachmentTo"));
		r.redirect_to = addrs_json(ing, m365f__j(act, "redirectTo"));
		r.delete_msg = tri(jt(ing, act, "delete"));
		v = jt(ing, act, "permanentDelete");
		if (tri(v) == 1)
			r.delete_msg = 1;
		r.move_to = jt(ing, act, "moveToFolder");
		r.copy_to = jt(ing, act, "copyToFolder");
		r.mark_read = tri(jt(ing, act, "markAsRead"));
		r.stop = tri(jt(ing, act, "stopProcessingRules"));
	}
	if (cJSON_IsObject(cond)) {
		r.cond_from = addrs_json(ing, m365f__j(cond, "fromAddresses"));
		if (!r.cond_from)
			r.cond_from = words_json(ing,
						 m365f__j(cond, "senderContains"));
		r.cond_subject = words_json(ing,
					    m365f__j(cond, "subjectContains"));
		r.cond_body = words_json(ing, m365f__j(cond, "bodyContains"));
		r.cond_sob = words_json(ing,
					m365f__j(cond, "bodyOrSubjectContains"));
		r.has_attach = tri(jt(ing, cond, "hasAttachments"));
	}
	return dump_store(ing, &r);
}

static int match_graph(const cJSON *o)
{
	return cJSON_GetObjectItemCaseSensitive(o, "displayName") &&
			       (cJSON_GetObjectItemCaseSensitive(o, "actions") ||
				cJSON_GetObjectItemCaseSensitive(o,
								 "conditions")) &&
			       (cJSON_GetObjectItemCaseSensitive(o, "sequence") ||
				cJSON_GetObjectItemCaseSensitive(o, "isEnabled"))
		       ? 35
		       : 0;
}

const m365f__json_format m365f__rules_json_graph = {
	"rules-graph-json", "rules", match_graph, rec_graph, NULL,
};

/* Goose's {"userPrincipalName": ...} element after a user's rules: it
 * names the mailbox of the rules before it that have none, and it is
 * itself evidence that the mailbox's rules were listed (a mailbox with no
 * rules still has it). Stored as a "MailboxRulesListed" event. */
static int rec_owner(m365f__ingest *ing, const cJSON *o)
{
	m365f_case *c = m365f__ingest_case(ing);
	const char *upn = jt(ing, o, "userPrincipalName");
	m365f__event ev;
	sqlite3_stmt *st;
	int64_t event_id;
	char count[32];
	int n = 0;

	if (!upn)
		return m365f__store_reject(ing, "userPrincipalName", 0,
					   "empty mailbox owner element");
	/* the updates below touch the database: no store thread may be
	 * writing */
	n = m365f__ingest_sync(ing);
	if (n)
		return n;
	/* both updates start from the rules without a mailbox (indexed),
	 * never from a scan of the source's events */
	st = m365f__case_stmt(c,
			      "UPDATE events SET user = lower(?1) WHERE id IN"
			      " (SELECT r.event_id FROM inbox_rules r JOIN"
			      " events e ON e.id = r.event_id WHERE r.mailbox"
			      " IS NULL AND r.source_kind = 'dump' AND"
			      " e.source_id = ?2)",
			      NULL);
	if (!st)
		return M365F_EDB;
	sqlite3_bind_text(st, 1, upn, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, m365f__ingest_source_id(ing));
	if (sqlite3_step(st) != SQLITE_DONE)
		return M365F_EDB;
	st = m365f__case_stmt(c,
			      "UPDATE inbox_rules SET mailbox = lower(?1)"
			      " WHERE mailbox IS NULL AND source_kind = 'dump'"
			      " AND (SELECT e.source_id FROM events e"
			      " WHERE e.id = inbox_rules.event_id) = ?2",
			      NULL);
	if (!st)
		return M365F_EDB;
	sqlite3_bind_text(st, 1, upn, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, m365f__ingest_source_id(ing));
	if (sqlite3_step(st) != SQLITE_DONE)
		return M365F_EDB;
	n = sqlite3_changes(c->db);
	memset(&ev, 0, sizeof(ev));
	ev.product = "rules";
	ev.workload = "Exchange";
	ev.record_type = -1;
	ev.operation = "MailboxRulesListed";
	ev.user = upn;
	snprintf(count, sizeof(count), "%d rules", n);
	ev.object = count;
	return m365f__store_event(ing, &ev, &event_id);
}

static int match_owner(const cJSON *o)
{
	return cJSON_GetObjectItemCaseSensitive(o, "userPrincipalName") &&
			       cJSON_GetArraySize(o) == 1
		       ? 20
		       : 0;
}

const m365f__json_format m365f__rules_json_graph_owner = {
	"rules-graph-owner-json", "rules", match_owner, rec_owner, NULL,
};

/* ----------------------------------------------- mailbox forwarding JSON */

static int forwarding_store(m365f__ingest *ing, const char *mailbox,
			    const char *smtp, const char *fwd_addr,
			    const char *deliver, const char *when)
{
	rule_rec r;
	m365f__buf b;

	rule_init(&r);
	r.kind = "forwarding";
	r.mailbox = mailbox;
	r.name = "Mailbox forwarding";
	m365f__buf_init(&b, MAX_ADDR_TEXT);
	parse_addrs(&b, smtp);
	/* ForwardingAddress names a recipient object (display name, DN or
	 * address); kept as written when it has no address */
	if (nz(fwd_addr)) {
		size_t before = b.len;

		parse_addrs(&b, fwd_addr);
		if (b.len == before)
			append_addr(&b, fwd_addr, strlen(fwd_addr));
	}
	r.forward_to = pooled(ing, &b);
	m365f__buf_free(&b);
	r.deliver_fwd = tri(deliver);
	r.enabled = r.forward_to ? 1 : 0;
	if (nz(when) &&
	    !m365f__time_parse(when, strlen(when), &r.time_ms, NULL))
		r.has_time = true;
	return dump_store(ing, &r);
}

static int rec_fwd_json(m365f__ingest *ing, const cJSON *o)
{
	const char *mbx = jt(ing, o, "PrimarySmtpAddress");

	if (!mbx)
		mbx = jt(ing, o, "UserPrincipalName");
	if (!mbx)
		mbx = jt(ing, o, "ObjectId");
	return forwarding_store(ing, mbx, jt(ing, o, "ForwardingSmtpAddress"),
				jt(ing, o, "ForwardingAddress"),
				jt(ing, o, "DeliverToMailboxAndForward"),
				jt(ing, o, "WhenChangedUTC"));
}

static int match_fwd_json(const cJSON *o)
{
	return m365f__j(o, "DeliverToMailboxAndForward") &&
			       (m365f__j(o, "PrimarySmtpAddress") ||
				m365f__j(o, "UserPrincipalName") ||
				m365f__j(o, "ObjectId")) &&
			       !m365f__j(o, "AuditData")
		       ? 30
		       : 0;
}

const m365f__json_format m365f__rules_json_forwarding = {
	"rules-forwarding-json", "rules", match_fwd_json, rec_fwd_json, NULL,
};

/* ------------------------------------------------------- transport rules */

static void transport_fill(m365f__ingest *ing, rule_rec *r, const char *name,
			   const char *state, const char *prio,
			   const char *desc, const char *when)
{
	r->kind = "transport";
	r->name = name;
	r->identity = name;
	r->enabled = tri(state);
	r->has_priority = parse_long(prio, &r->priority);
	r->description = desc;
	M365F__UNUSED(ing);
	if (nz(when) &&
	    !m365f__time_parse(when, strlen(when), &r->time_ms, NULL))
		r->has_time = true;
}

/* AddToRecipients and CopyTo deliver copies to more recipients: kept with
 * forward_to; BlindCopyTo in bcc_to; RedirectMessageTo in redirect_to. */
static int rec_transport_json(m365f__ingest *ing, const cJSON *o)
{
	rule_rec r;
	m365f__buf b;

	rule_init(&r);
	transport_fill(ing, &r, jt(ing, o, "Name"), jt(ing, o, "State"),
		       jt(ing, o, "Priority"), jt(ing, o, "Description"),
		       jt(ing, o, "WhenChanged"));
	r.bcc_to = addrs_json(ing, m365f__j(o, "BlindCopyTo"));
	r.redirect_to = addrs_json(ing, m365f__j(o, "RedirectMessageTo"));
	m365f__buf_init(&b, MAX_ADDR_TEXT);
	json_addrs(&b, m365f__j(o, "AddToRecipients"));
	json_addrs(&b, m365f__j(o, "CopyTo"));
	r.forward_to = pooled(ing, &b);
	m365f__buf_free(&b);
	r.delete_msg = tri(jt(ing, o, "DeleteMessage"));
	r.stop = tri(jt(ing, o, "StopRuleProcessing"));
	r.cond_from = addrs_json(ing, m365f__j(o, "From"));
	r.cond_subject = words_json(ing, m365f__j(o, "SubjectContainsWords"));
	return dump_store(ing, &r);
}

static int match_transport_json(const cJSON *o)
{
	return m365f__j(o, "Name") && m365f__j(o, "State") &&
			       m365f__j(o, "Mode") && m365f__j(o, "Priority")
		       ? 30
		       : 0;
}

const m365f__json_format m365f__rules_json_transport = {
	"rules-transport-json", "rules", match_transport_json,
	rec_transport_json, NULL,
};

/* ----------------------------------------------------------------- CSV */

/* The CSV shapes read their cells by normalized column name. */
typedef struct {
	const m365f__csv_header *h;
	const m365f__csv_row *r;
} csvget;

static const char *cv(const csvget *g, const char *name)
{
	int i = m365f__csv_col(g->h, name);

	if (i < 0 || (size_t)i >= g->r->ncols)
		return NULL;
	return nz(g->r->fields[i]);
}

/* The header lives as long as the reader; rows look cells up in it. */
typedef struct {
	const m365f__csv_header *h;
} csv_state;

static int csv_begin(m365f__ingest *ing, const m365f__csv_header *h,
		     void **state)
{
	csv_state *s = calloc(1, sizeof(*s));

	M365F__UNUSED(ing);
	if (!s)
		return M365F_ENOMEM;
	s->h = h;
	*state = s;
	return M365F_OK;
}

static void csv_end(void *state)
{
	free(state);
}

static int nul_check(m365f__ingest *ing, const m365f__csv_row *r)
{
	size_t i;

	for (i = 0; i < r->ncols; i++)
		if (memchr(r->fields[i], '\0', r->lens[i]))
			return m365f__store_reject(ing, NULL, 0,
						   "NUL byte in column %zu",
						   i + 1) == M365F_OK
				       ? 1
				       : -1;
	return 0;
}

/* The Get-InboxRule properties of a CSV row (Export-Csv and
 * Extractor-Suite name the columns alike) into r, then r stored. */
static int csv_inbox_store(m365f__ingest *ing, const csvget *g, rule_rec *r)
{
	r->description = cv(g, "description");
	r->enabled = tri(cv(g, "enabled"));
	r->has_priority = parse_long(cv(g, "priority"), &r->priority);
	r->forward_to = addrs_text(ing, cv(g, "forwardto"));
	r->fwd_attach = addrs_text(ing, cv(g, "forwardasattachmentto"));
	r->redirect_to = addrs_text(ing, cv(g, "redirectto"));
	r->delete_msg = tri(cv(g, "deletemessage"));
	r->soft_delete = tri(cv(g, "softdeletemessage"));
	r->move_to = cv(g, "movetofolder");
	r->copy_to = cv(g, "copytofolder");
	r->mark_read = tri(cv(g, "markasread"));
	r->stop = tri(cv(g, "stopprocessingrules"));
	r->cond_from = addrs_text(ing, cv(g, "from"));
	r->cond_subject = cv(g, "subjectcontainswords");
	r->cond_body = cv(g, "bodycontainswords");
	r->cond_sob = cv(g, "subjectorbodycontainswords");
	r->has_attach = tri(cv(g, "hasattachment"));
	return dump_store(ing, r);
}

/* Get-InboxRule | Export-Csv (Hawk InboxRules.csv too). */
static int row_inboxrule(m365f__ingest *ing, void *state,
			 const m365f__csv_row *row)
{
	csv_state *s = state;
	csvget g = { s->h, row };
	rule_rec r;
	int bad = nul_check(ing, row);

	if (bad)
		return bad < 0 ? M365F_EDB : M365F_OK;
	rule_init(&r);
	r.kind = "inbox";
	r.name = cv(&g, "name");
	r.identity = cv(&g, "identity");
	r.rule_id = cv(&g, "ruleidentity");
	r.mailbox = inbox_mailbox(ing, r.identity, cv(&g, "mailboxownerid"));
	return csv_inbox_store(ing, &g, &r);
}

static int match_inboxrule(const m365f__csv_header *h)
{
	return m365f__csv_has(h, "ruleidentity") && m365f__csv_has(h, "name") &&
			       m365f__csv_has(h, "identity") && !m365f__csv_has(h, "auditdata")
		       ? 35
		       : 0;
}

const m365f__csv_format m365f__rules_csv_inboxrule = {
	"rules-inboxrule-csv", "rules", match_inboxrule, csv_begin,
	row_inboxrule, csv_end,
};

/* Extractor-Suite Get-MailboxRules: multi-values joined with ", ". */
static int row_extractor(m365f__ingest *ing, void *state,
			 const m365f__csv_row *row)
{
	csv_state *s = state;
	csvget g = { s->h, row };
	rule_rec r;
	int bad = nul_check(ing, row);

	if (bad)
		return bad < 0 ? M365F_EDB : M365F_OK;
	rule_init(&r);
	r.kind = "inbox";
	r.mailbox = cv(&g, "username");
	r.name = cv(&g, "rulename");
	r.rule_id = cv(&g, "ruleidentity");
	return csv_inbox_store(ing, &g, &r);
}

static int match_extractor(const m365f__csv_header *h)
{
	return m365f__csv_has(h, "username") && m365f__csv_has(h, "rulename") &&
			       m365f__csv_has(h, "ruleidentity")
		       ? 40
		       : 0;
}

const m365f__csv_format m365f__rules_csv_extractor = {
	"rules-extractor-csv", "rules", match_extractor, csv_begin,
	row_extractor, csv_end,
};

/* Extractor-Suite Get-MailboxRulesGraph: addresses joined with "; ",
 * MoveToFolder as "FolderID: <id>". */
static int row_extractor_graph(m365f__ingest *ing, void *state,
			       const m365f__csv_row *row)
{
	csv_state *s = state;
	csvget g = { s->h, row };
	rule_rec r;
	int bad = nul_check(ing, row);

	if (bad)
		return bad < 0 ? M365F_EDB : M365F_OK;
	rule_init(&r);
	r.kind = "inbox";
	r.mailbox = cv(&g, "userprincipalname");
	r.name = cv(&g, "rulename");
	r.rule_id = cv(&g, "ruleid");
	r.identity = r.rule_id;
	r.has_priority = parse_long(cv(&g, "sequence"), &r.priority);
	r.enabled = tri(cv(&g, "enabled"));
	r.forward_to = addrs_text(ing, cv(&g, "forwardto"));
	r.redirect_to = addrs_text(ing, cv(&g, "redirectto"));
	r.fwd_attach = addrs_text(ing, cv(&g, "forwardasattachment"));
	r.delete_msg = tri(cv(&g, "delete"));
	if (tri(cv(&g, "permanentdelete")) == 1)
		r.delete_msg = 1;
	r.move_to = cv(&g, "movetofolder");
	r.stop = tri(cv(&g, "stopprocessingrules"));
	r.mark_read = tri(cv(&g, "markasread"));
	r.cond_from = addrs_text(ing, cv(&g, "from"));
	r.cond_subject = cv(&g, "subjectcontains");
	r.cond_body = cv(&g, "bodycontains");
	r.has_attach = tri(cv(&g, "hasattachments"));
	return dump_store(ing, &r);
}

static int match_extractor_graph(const m365f__csv_header *h)
{
	return m365f__csv_has(h, "rulename") && m365f__csv_has(h, "sequence") && m365f__csv_has(h, "ruleid")
		       ? 40
		       : 0;
}

const m365f__csv_format m365f__rules_csv_extractor_graph = {
	"rules-extractor-graph-csv", "rules", match_extractor_graph,
	csv_begin, row_extractor_graph, csv_end,
};

/* Hawk ForwardingReport.csv and Get-Mailbox | Export-Csv. */
static int row_forwarding(m365f__ingest *ing, void *state,
			  const m365f__csv_row *row)
{
	csv_state *s = state;
	csvget g = { s->h, row };
	const char *mbx;
	int bad = nul_check(ing, row);

	if (bad)
		return bad < 0 ? M365F_EDB : M365F_OK;
	mbx = cv(&g, "primarysmtpaddress");
	if (!mbx)
		mbx = cv(&g, "userprincipalname");
	return forwarding_store(ing, mbx, cv(&g, "forwardingsmtpaddress"),
				cv(&g, "forwardingaddress"),
				cv(&g, "delivertomailboxandforward"),
				cv(&g, "whenchangedutc"));
}

static int match_forwarding(const m365f__csv_header *h)
{
	return m365f__csv_has(h, "delivertomailboxandforward") &&
			       (m365f__csv_has(h, "forwardingsmtpaddress") ||
				m365f__csv_has(h, "forwardingaddress"))
		       ? 35
		       : 0;
}

const m365f__csv_format m365f__rules_csv_forwarding = {
	"rules-forwarding-csv", "rules", match_forwarding, csv_begin,
	row_forwarding, csv_end,
};

/* Get-TransportRule | Export-Csv, Extractor-Suite Get-TransportRules. */
static int row_transport(m365f__ingest *ing, void *state,
			 const m365f__csv_row *row)
{
	csv_state *s = state;
	csvget g = { s->h, row };
	rule_rec r;
	m365f__buf b;
	int bad = nul_check(ing, row);

	if (bad)
		return bad < 0 ? M365F_EDB : M365F_OK;
	rule_init(&r);
	transport_fill(ing, &r, cv(&g, "name"), cv(&g, "state"),
		       cv(&g, "priority"), cv(&g, "description"),
		       cv(&g, "whenchanged"));
	r.bcc_to = addrs_text(ing, cv(&g, "blindcopyto"));
	r.redirect_to = addrs_text(ing, cv(&g, "redirectmessageto"));
	m365f__buf_init(&b, MAX_ADDR_TEXT);
	parse_addrs(&b, cv(&g, "addtorecipients"));
	parse_addrs(&b, cv(&g, "copyto"));
	r.forward_to = pooled(ing, &b);
	m365f__buf_free(&b);
	r.delete_msg = tri(cv(&g, "deletemessage"));
	r.stop = tri(cv(&g, "stoprulesprocessing"));
	r.cond_from = addrs_text(ing, cv(&g, "from"));
	r.cond_subject = cv(&g, "subjectcontainswords");
	return dump_store(ing, &r);
}

static int match_transport(const m365f__csv_header *h)
{
	return m365f__csv_has(h, "name") && m365f__csv_has(h, "state") && m365f__csv_has(h, "mode") &&
			       m365f__csv_has(h, "priority")
		       ? 30
		       : 0;
}

const m365f__csv_format m365f__rules_csv_transport = {
	"rules-transport-csv", "rules", match_transport, csv_begin,
	row_transport, csv_end,
};

/* ------------------------------------------------ rebuild from the audit */

typedef struct {
	char *name, *value;
} param;

typedef struct {
	param *p;
	size_t n, cap;
} params;

static void params_free(params *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		free(ps->p[i].name);
		free(ps->p[i].value);
	}
	free(ps->p);
	memset(ps, 0, sizeof(*ps));
}

static int params_add(params *ps, const char *name, const char *value)
{
	if (ps->n == ps->cap) {
		size_t nc = ps->cap ? ps->cap * 2 : 16;
		param *np = realloc(ps->p, nc * sizeof(*np));

		if (!np)
			return M365F_ENOMEM;
		ps->p = np;
		ps->cap = nc;
	}
	ps->p[ps->n].name = m365f__strndup(name, strlen(name));
	ps->p[ps->n].value = value ? m365f__strndup(value, strlen(value))
				   : NULL;
	if (!ps->p[ps->n].name) {
		free(ps->p[ps->n].value);
		return M365F_ENOMEM;
	}
	ps->n++;
	return M365F_OK;
}

static const char *pget(const params *ps, const char *name)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (m365f__strieq(ps->p[i].name, name))
			return nz(ps->p[i].value);
	return NULL;
}

/* Owned strings of one rebuilt rule. */
typedef struct {
	char *s[16];
	size_t n;
} owned;

static const char *own(owned *o, m365f__buf *b)
{
	char *s;

	if (!b->len || o->n >= M365F__ARRAY_LEN(o->s)) {
		m365f__buf_reset(b);
		return NULL;
	}
	s = m365f__strndup(b->data, b->len);
	m365f__buf_reset(b);
	if (s)
		o->s[o->n++] = s;
	return s;
}

static const char *own_addrs(owned *o, const char *text)
{
	m365f__buf b;
	const char *r;

	m365f__buf_init(&b, MAX_ADDR_TEXT);
	parse_addrs(&b, text);
	r = own(o, &b);
	m365f__buf_free(&b);
	return r;
}

static const char *own_part(owned *o, const char *s, size_t n)
{
	m365f__buf b;
	const char *r;

	m365f__buf_init(&b, 0);
	m365f__buf_append(&b, s, n);
	r = own(o, &b);
	m365f__buf_free(&b);
	return r;
}

static void owned_free(owned *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->s[i]);
	o->n = 0;
}

/* The rule name and mailbox in an Identity parameter:
 * "mailbox\rule name", a bare rule name or a RuleIdentity number. */
static void split_identity(owned *o, const char *id, const char **mailbox,
			   const char **name)
{
	const char *bs;

	if (!nz(id))
		return;
	bs = strrchr(id, '\\');
	if (!bs) {
		*name = id;
		return;
	}
	*name = bs + 1;
	if (memchr(id, '@', (size_t)(bs - id)) && !memchr(id, '/',
							 (size_t)(bs - id)))
		*mailbox = own_part(o, id, (size_t)(bs - id));
}

/* Which audit operations carry rules (op_norm spellings). */
static const struct {
	const char *op, *kind, *action;
} rule_ops[] = {
	{ "new-inboxrule", "inbox", "new" },
	{ "set-inboxrule", "inbox", "set" },
	{ "enable-inboxrule", "inbox", "enable" },
	{ "disable-inboxrule", "inbox", "disable" },
	{ "remove-inboxrule", "inbox", "remove" },
	{ "updateinboxrules", "inbox", "update" },
	{ "set-mailbox", "forwarding", "set" },
	{ "new-transportrule", "transport", "new" },
	{ "set-transportrule", "transport", "set" },
	{ "enable-transportrule", "transport", "enable" },
	{ "disable-transportrule", "transport", "disable" },
	{ "remove-transportrule", "transport", "remove" },
};

static void rebuild_inbox(const params *ps, owned *o, const char *user,
			  const char *object, rule_rec *r)
{
	const char *mbx = NULL, *name = NULL;

	split_identity(o, pget(ps, "Identity"), &mbx, &name);
	if (pget(ps, "Name"))
		name = pget(ps, "Name");
	if (!name && nz(object)) {
		const char *bs = strrchr(object, '\\');

		name = bs ? bs + 1 : object;
	}
	if (pget(ps, "Mailbox"))
		mbx = pget(ps, "Mailbox");
	r->mailbox = mbx ? mbx : user;
	r->name = name;
	r->identity = pget(ps, "Identity");
	r->enabled = tri(pget(ps, "Enabled"));
	if (!strcmp(r->action, "enable") || !strcmp(r->action, "new"))
		r->enabled = r->enabled < 0 ? 1 : r->enabled;
	if (!strcmp(r->action, "disable"))
		r->enabled = 0;
	r->has_priority = parse_long(pget(ps, "Priority"), &r->priority);
	r->forward_to = own_addrs(o, pget(ps, "ForwardTo"));
	r->fwd_attach = own_addrs(o, pget(ps, "ForwardAsAttachmentTo"));
	r->redirect_to = own_addrs(o, pget(ps, "RedirectTo"));
	r->delete_msg = tri(pget(ps, "DeleteMessage"));
	r->soft_delete = tri(pget(ps, "SoftDeleteMessage"));
	r->move_to = pget(ps, "MoveToFolder");
	r->copy_to = pget(ps, "CopyToFolder");
	r->mark_read = tri(pget(ps, "MarkAsRead"));
	r->stop = tri(pget(ps, "StopProcessingRules"));
	r->cond_from = own_addrs(o, pget(ps, "From"));
	r->cond_subject = pget(ps, "SubjectContainsWords");
	r->cond_body = pget(ps, "BodyContainsWords");
	r->cond_sob = pget(ps, "SubjectOrBodyContainsWords");
	r->has_attach = tri(pget(ps, "HasAttachment"));
}

/* UpdateInboxRules (Outlook, client side): OperationProperties RuleName,
 * RuleId, RuleOperation, RuleActions, RuleCondition, RuleState. */
static void rebuild_update(const params *props, owned *o, const char *user,
			   rule_rec *r)
{
	const char *op = pget(props, "RuleOperation");
	const char *acts = pget(props, "RuleActions");
	const char *state = pget(props, "RuleState");
	m365f__buf b;

	r->mailbox = user;
	r->name = pget(props, "RuleName");
	r->rule_id = pget(props, "RuleId");
	if (op) {
		if (strstr(op, "Add") || strstr(op, "New"))
			r->action = "new";
		else if (strstr(op, "Remove") || strstr(op, "Delete"))
			r->action = "remove";
		else if (strstr(op, "Modify") || strstr(op, "Set"))
			r->action = "set";
	}
	if (state)
		r->enabled = strstr(state, "Enabled") ? 1 : 0;
	m365f__buf_init(&b, MAX_ADDR_TEXT);
	if (acts) {
		if (strstr(acts, "Forward") || strstr(acts, "Redirect")) {
			parse_addrs(&b, acts);
			if (strstr(acts, "Redirect") && !strstr(acts, "Forward"))
				r->redirect_to = own(o, &b);
			else
				r->forward_to = own(o, &b);
		}
		if (strstr(acts, "Delete"))
			r->delete_msg = 1;
		if (strstr(acts, "MoveToFolder") || strstr(acts, "Move"))
			r->move_to = acts;
		if (strstr(acts, "MarkAsRead"))
			r->mark_read = 1;
	}
	m365f__buf_free(&b);
	m365f__buf_init(&b, 0);
	m365f__buf_printf(&b, "%s%s%s", acts ? acts : "",
			  acts && pget(props, "RuleCondition") ? " | " : "",
			  pget(props, "RuleCondition")
				  ? pget(props, "RuleCondition")
				  : "");
	r->description = own(o, &b);
	m365f__buf_free(&b);
}

static bool rebuild_forwarding(const params *ps, owned *o, const char *user,
			       rule_rec *r)
{
	const char *smtp = pget(ps, "ForwardingSmtpAddress");
	const char *addr = pget(ps, "ForwardingAddress");
	const char *id = pget(ps, "Identity");
	m365f__buf b;

	/* Set-Mailbox changes many things; only forwarding is a rule */
	if (!smtp && !addr && !pget(ps, "DeliverToMailboxAndForward")) {
		size_t i;

		for (i = 0; i < ps->n; i++)
			if (m365f__strieq(ps->p[i].name,
					  "ForwardingSmtpAddress") ||
			    m365f__strieq(ps->p[i].name, "ForwardingAddress"))
				break;
		if (i == ps->n)
			return false;
	}
	r->mailbox = id && strchr(id, '@') && !strchr(id, '/') ? id : user;
	r->name = "Mailbox forwarding";
	m365f__buf_init(&b, MAX_ADDR_TEXT);
	parse_addrs(&b, smtp);
	if (nz(addr)) {
		size_t before = b.len;

		parse_addrs(&b, addr);
		if (b.len == before)
			append_addr(&b, addr, strlen(addr));
	}
	r->forward_to = own(o, &b);
	m365f__buf_free(&b);
	/* clearing the parameters ($null) turns forwarding off */
	r->enabled = r->forward_to ? 1 : 0;
	r->deliver_fwd = tri(pget(ps, "DeliverToMailboxAndForward"));
	return true;
}

static void rebuild_transport(const params *ps, owned *o, rule_rec *r)
{
	const char *name = pget(ps, "Name");
	m365f__buf b;

	if (!name)
		name = pget(ps, "Identity");
	r->name = name;
	r->identity = name;
	r->enabled = tri(pget(ps, "Enabled"));
	if (r->enabled < 0)
		r->enabled = tri(pget(ps, "State"));
	if (!strcmp(r->action, "enable"))
		r->enabled = 1;
	if (!strcmp(r->action, "disable"))
		r->enabled = 0;
	r->has_priority = parse_long(pget(ps, "Priority"), &r->priority);
	r->bcc_to = own_addrs(o, pget(ps, "BlindCopyTo"));
	r->redirect_to = own_addrs(o, pget(ps, "RedirectMessageTo"));
	m365f__buf_init(&b, MAX_ADDR_TEXT);
	parse_addrs(&b, pget(ps, "AddToRecipients"));
	parse_addrs(&b, pget(ps, "CopyTo"));
	r->forward_to = own(o, &b);
	m365f__buf_free(&b);
	r->delete_msg = tri(pget(ps, "DeleteMessage"));
	r->cond_from = own_addrs(o, pget(ps, "From"));
	r->cond_subject = pget(ps, "SubjectContainsWords");
	M365F__UNUSED(o);
}

static int load_params(m365f_case *c, int64_t event_id, bool props,
		       params *ps, m365f_error *err)
{
	sqlite3_stmt *st;
	int rc = M365F_OK;

	st = m365f__case_stmt(c,
			      props ? "SELECT name, new_value FROM event_props"
				      " WHERE event_id = ?1 AND kind ="
				      " 'operation' AND name IS NOT NULL"
				      " ORDER BY rowid"
				    : "SELECT name, value FROM event_params"
				      " WHERE event_id = ?1 ORDER BY rowid",
			      err);
	if (!st)
		return M365F_EDB;
	sqlite3_bind_int64(st, 1, event_id);
	while (!rc && sqlite3_step(st) == SQLITE_ROW)
		rc = params_add(ps, (const char *)sqlite3_column_text(st, 0),
				(const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return rc;
}

static size_t rule_op(const char *op)
{
	size_t k;

	for (k = 0; op && k < M365F__ARRAY_LEN(rule_ops); k++)
		if (!strcmp(op, rule_ops[k].op))
			break;
	return k;
}

/* The inbox_rules row of one audit event whose operation is rule_ops[k],
 * from its Parameters (or, for UpdateInboxRules, its operation
 * properties). user and object as stored in the event (NULL when
 * empty). */
static int rule_from(m365f_case *c, int64_t id, int64_t time_ms, size_t k,
		     const char *user, const char *object, const params *ps,
		     m365f_error *err)
{
	owned o = { { 0 }, 0 };
	rule_rec r;
	bool keep = true;
	int rc = M365F_OK;

	rule_init(&r);
	r.kind = rule_ops[k].kind;
	r.action = rule_ops[k].action;
	r.time_ms = time_ms;
	r.has_time = true;
	if (!strcmp(rule_ops[k].action, "update"))
		rebuild_update(ps, &o, user, &r);
	else if (!strcmp(r.kind, "inbox"))
		rebuild_inbox(ps, &o, user, object, &r);
	else if (!strcmp(r.kind, "forwarding"))
		keep = rebuild_forwarding(ps, &o, user, &r);
	else
		rebuild_transport(ps, &o, &r);
	if (keep)
		rc = insert_rule(c, id, "audit", &r);
	if (rc == M365F_EDB)
		m365f__error_db(err, c->db, "inbox_rules");
	owned_free(&o);
	return rc;
}

int m365f__rules_from_event(m365f_case *c, int64_t id, const char *op_norm,
			    const char *user, const m365f__event *ev,
			    m365f_error *err)
{
	size_t k, i;
	params ps = { 0 };
	int rc = M365F_OK;
	bool update;

	/* every stored event comes here: the product first, which rules out
	 * sign-ins and directory audits without a look at the operation */
	if (!ev->product || strcmp(ev->product, "ual") != 0)
		return M365F_OK;
	k = rule_op(op_norm);
	if (k == M365F__ARRAY_LEN(rule_ops))
		return M365F_OK;
	/* the values as the case holds them: empty text is NULL */
	update = !strcmp(rule_ops[k].action, "update");
	if (update) {
		for (i = 0; i < ev->nprops && !rc; i++)
			if (ev->props[i].kind &&
			    !strcmp(ev->props[i].kind, "operation") &&
			    nz(ev->props[i].name))
				rc = params_add(&ps, ev->props[i].name,
						nz(ev->props[i].new_value));
	} else {
		for (i = 0; i < ev->nparams && !rc; i++)
			rc = params_add(&ps, ev->params[i].name
						     ? ev->params[i].name
						     : "",
					nz(ev->params[i].value));
	}
	if (!rc)
		rc = rule_from(c, id, ev->time_ms, k, nz(user), nz(ev->object),
			       &ps, err);
	params_free(&ps);
	return rc;
}

int m365f__rules_rebuild(m365f_case *c, m365f_error *err)
{
	sqlite3_stmt *q = NULL;
	int rc = M365F_OK, sr;

	if (sqlite3_prepare_v2(
		    c->db,
		    "SELECT e.id, e.time, e.op_norm, e.user, e.object"
		    " FROM events e WHERE e.product = 'ual' AND e.op_norm IN"
		    " ('new-inboxrule', 'set-inboxrule', 'enable-inboxrule',"
		    " 'disable-inboxrule', 'remove-inboxrule',"
		    " 'updateinboxrules', 'set-mailbox', 'new-transportrule',"
		    " 'set-transportrule', 'enable-transportrule',"
		    " 'disable-transportrule', 'remove-transportrule')"
		    " AND NOT EXISTS (SELECT 1 FROM inbox_rules r"
		    " WHERE r.event_id = e.id) ORDER BY e.id",
		    -1, &q, NULL) != SQLITE_OK)
		return m365f__error_db(err, c->db, "rules rebuild");
	rc = m365f__case_exec(c, "SAVEPOINT rules_rebuild", err);
	while (!rc && (sr = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);
		size_t k = rule_op((const char *)sqlite3_column_text(q, 2));
		params ps = { 0 };

		if (k == M365F__ARRAY_LEN(rule_ops))
			continue;
		rc = load_params(c, id, !strcmp(rule_ops[k].action, "update"),
				 &ps, err);
		if (!rc)
			rc = rule_from(c, id, sqlite3_column_int64(q, 1), k,
				       (const char *)sqlite3_column_text(q, 3),
				       (const char *)sqlite3_column_text(q, 4),
				       &ps, err);
		params_free(&ps);
	}
	if (!rc && sr != SQLITE_DONE)
		rc = m365f__error_db(err, c->db, "rules rebuild");
	sqlite3_finalize(q);
	if (rc) {
		m365f__case_exec(c, "ROLLBACK TO rules_rebuild", NULL);
		m365f__case_exec(c, "RELEASE rules_rebuild", NULL);
		return rc;
	}
	return m365f__case_exec(c, "RELEASE rules_rebuild", err);
}
