/* SPDX-License-Identifier: MIT */
/*
 * test-inboxrule.c - mailbox-rule dumps in every shape, addresses parsed
 * out of their many forms, RuleIdentity kept exact, and the rule history
 * rebuilt from audit events.
 */
#include "entra-util.h"

#define ALICE "alice.nguyen@contoso-labs.com"
#define EXFIL "accounts.payable@contoso-labs-billing.com"

/* The forward rule as each inbox-rule shape tells it: mailbox, enabled,
 * forward targets, words. */
static const char *q_invoice =
	"SELECT mailbox || '|' || coalesce(enabled, '') || '|' ||"
	" coalesce(forward_to, '') || '|' ||"
	" coalesce(cond_subject_or_body, '') FROM inbox_rules WHERE"
	" source_kind = 'dump' AND name = 'Invoice sync'";

static void check_inbox(const char *file, const char *format, int records,
			const char *want_invoice, const char *move_like)
{
	m365f_case *c = mem_case();
	ingest_sum s;
	char buf[512];

	CHECK_RC(ingest(c, file, &s), M365F_OK);
	CHECK_STR(s.format, format);
	CHECK_INT(s.records, records);
	CHECK_INT(s.stored, records);
	CHECK_STR(q_text(c, q_invoice, NULL, buf, sizeof(buf)), want_invoice);
	if (strcmp(buf, want_invoice))
		fprintf(stderr, "  in %s\n", file);
	/* the hiding rule: moved to RSS Feeds (Graph: a folder id), marked
	 * read */
	CHECK_INT(q_int(c, "SELECT count(*) FROM inbox_rules WHERE name = '..'"
			   " AND move_to_folder LIKE ?1 AND mark_as_read = 1",
			move_like),
		  1);
	m365f_case_free(c);
}

static void test_inbox_shapes(void)
{
	const char *words = "invoice; payment; wire";
	const char *fwd = ALICE "|1|" EXFIL "|";
	const char *rss = "%RSS Feeds";

	char want[256];

	snprintf(want, sizeof(want), "%s%s", fwd, words);
	check_inbox("rules/get-inboxrule-joined.csv", "rules-inboxrule-csv", 3,
		    want, rss);
	check_inbox("rules/get-inboxrule-winps.json", "rules-inboxrule-json", 3,
		    want, rss);
	check_inbox("rules/get-inboxrule-ps7.json", "rules-inboxrule-json", 3,
		    want, rss);
	check_inbox("rules/hawk-all-inboxrules.json", "rules-inboxrule-json", 3,
		    want, rss);
	check_inbox("rules/goose-inboxrules-powershell.json",
		    "rules-inboxrule-json", 3, want, rss);
	check_inbox("rules/extractor-mailboxrules.csv", "rules-extractor-csv",
		    3, ALICE "|1|" EXFIL "|invoice, payment, wire", rss);
	/* Export-Csv of a raw object: the targets were never exported */
	check_inbox("rules/get-inboxrule-typenames.csv", "rules-inboxrule-csv",
		    3,
		    ALICE "|1|System.Collections.ArrayList|"
			  "System.Collections.ArrayList",
		    rss);
	/* Graph: 2 rules + 1 owner element for alice and grace, 1 for david
	 * who has none */
	check_inbox("rules/goose-inboxrules-graph.json", "rules-graph-json", 6,
		    want, "AAMk%");
	/* that CSV has no column for subject-or-body words */
	check_inbox("rules/extractor-mailboxrules-graph.csv",
		    "rules-extractor-graph-csv", 3, fwd, "FolderID: AAMk%");
}

static void test_graph_and_identity(void)
{
	m365f_case *c = mem_case();
	ingest_sum s;
	char buf[256];

	/* /me/... pages do not say whose mailbox it is */
	CHECK_RC(ingest(c, "rules/graph-messagerules.json", &s), M365F_OK);
	CHECK_INT(s.stored, 2);
	CHECK_INT(q_int(c, "SELECT count(*) FROM inbox_rules WHERE mailbox"
			   " IS NULL",
			NULL),
		  2);
	m365f_case_free(c);

	/* 64-bit RuleIdentity, never through a double */
	c = mem_case();
	CHECK_RC(ingest(c, "rules/get-inboxrule-winps.json", &s), M365F_OK);
	CHECK_STR(q_text(c, "SELECT rule_id FROM inbox_rules WHERE name ="
			    " 'Invoice sync'",
			 NULL, buf, sizeof(buf)),
		  "15394007230974001153");
	/* the same dump again: duplicates */
	CHECK_RC(ingest(c, "rules/hawk-all-inboxrules.json", &s), M365F_OK);
	CHECK_INT(s.duplicates, 3);
	m365f_case_free(c);

	/* who has no rules: the owner element is kept as evidence */
	c = mem_case();
	CHECK_RC(ingest(c, "rules/goose-inboxrules-graph.json", &s), M365F_OK);
	CHECK_STR(q_text(c, "SELECT object FROM events WHERE operation ="
			    " 'MailboxRulesListed' AND user ="
			    " 'david.kim@contoso-labs.com'",
			 NULL, buf, sizeof(buf)),
		  "0 rules");
	CHECK_INT(q_int(c, "SELECT count(*) FROM inbox_rules WHERE mailbox ="
			   " 'grace.liu@contoso-labs.com'",
			NULL),
		  1);
	m365f_case_free(c);
}

static void test_forwarding_transport(void)
{
	static const char *const fwd_files[] = {
		"rules/hawk-forwardingreport.csv",
		"rules/goose-mailboxforwarding.json",
	};
	static const char *const tr_files[] = {
		"rules/extractor-transportrules.csv",
		"rules/goose-transportrules.json",
	};
	size_t i;
	char buf[256];

	for (i = 0; i < 2; i++) {
		m365f_case *c = mem_case();
		ingest_sum s;

		CHECK_RC(ingest(c, fwd_files[i], &s), M365F_OK);
		CHECK_INT(s.stored, 3);
		CHECK_STR(q_text(c, "SELECT forward_to || '|' ||"
				    " deliver_and_forward FROM inbox_rules"
				    " WHERE enabled = 1",
				 NULL, buf, sizeof(buf)),
			  "it helpdesk|1");
		CHECK_INT(q_int(c, "SELECT count(*) FROM inbox_rules WHERE"
				   " kind = 'forwarding' AND enabled = 0",
				NULL),
			  2);
		m365f_case_free(c);
	}
	for (i = 0; i < 2; i++) {
		m365f_case *c = mem_case();
		ingest_sum s;

		CHECK_RC(ingest(c, tr_files[i], &s), M365F_OK);
		CHECK_INT(s.stored, 2);
		CHECK_INT(q_int(c, "SELECT count(*) FROM inbox_rules WHERE"
				   " kind = 'transport' AND enabled = 1 AND"
				   " time IS NOT NULL",
				NULL),
			  2);
		m365f_case_free(c);
	}
	/* Goose names the Bcc target; the Extractor-Suite CSV does not */
	{
		m365f_case *c = mem_case();
		ingest_sum s;

		CHECK_RC(ingest(c, tr_files[1], &s), M365F_OK);
		CHECK_STR(q_text(c, "SELECT bcc_to FROM inbox_rules WHERE"
				    " name = 'Finance journal copy'",
				 NULL, buf, sizeof(buf)),
			  "compliance-archive@contoso-labs.com");
		m365f_case_free(c);
	}
}

/* Recipient forms: [SMTP:], [EX:] legacy DNs, smtp: prefixes, Name <a>,
 * several joined; and the audit rebuild of Set-Mailbox forwarding. */
static void test_addresses_and_rebuild(void)
{
	static const char dump[] =
		"\"UserName\",\"RuleName\",\"Enabled\",\"Priority\","
		"\"RuleIdentity\",\"ForwardTo\",\"RedirectTo\"\r\n"
		"\"a@x.com\",\"r1\",\"True\",\"1\",\"1\","
		"\"\"\"Bob\"\" [SMTP:Bob@Ext.com], \"\"Int\"\" "
		"[EX:/o=ExchangeLabs/cn=Recipients/cn=abc]\","
		"\"smtp:c@y.com; Dee <d@z.com>\"\r\n";
	static const char ual[] =
		"{\"CreationTime\":\"2026-03-05T05:00:00\",\"Id\":\"u1\","
		"\"Operation\":\"Set-Mailbox\",\"RecordType\":1,"
		"\"UserId\":\"Admin@X.com\",\"ClientIP\":\"1.2.3.4:5\","
		"\"Workload\":\"Exchange\",\"Parameters\":["
		"{\"Name\":\"Identity\",\"Value\":\"a@x.com\"},"
		"{\"Name\":\"ForwardingSmtpAddress\",\"Value\":"
		"\"smtp:out@evil.example\"},"
		"{\"Name\":\"DeliverToMailboxAndForward\",\"Value\":\"False\"}]}\n"
		"{\"CreationTime\":\"2026-03-05T05:01:00\",\"Id\":\"u2\","
		"\"Operation\":\"Set-Mailbox\",\"RecordType\":1,"
		"\"UserId\":\"admin@x.com\",\"Workload\":\"Exchange\","
		"\"Parameters\":[{\"Name\":\"Identity\",\"Value\":\"a@x.com\"},"
		"{\"Name\":\"ProhibitSendQuota\",\"Value\":\"1 GB\"}]}\n"
		"{\"CreationTime\":\"2026-03-05T05:02:00\",\"Id\":\"u3\","
		"\"Operation\":\"Disable-InboxRule\",\"RecordType\":1,"
		"\"UserId\":\"admin@x.com\",\"Workload\":\"Exchange\","
		"\"Parameters\":[{\"Name\":\"Identity\",\"Value\":"
		"\"a@x.com\\\\r1\"}]}\n";
	m365f_case *c = mem_case();
	m365f_error err;
	char buf[512];

	CHECK_RC(m365f_ingest_buffer(c, "rules.csv", dump, sizeof(dump) - 1,
				     NULL, &err),
		 M365F_OK);
	CHECK_STR(q_text(c, "SELECT forward_to || ' | ' || redirect_to FROM"
			    " inbox_rules",
			 NULL, buf, sizeof(buf)),
		  "bob@ext.com; ex:/o=exchangelabs/cn=recipients/cn=abc | "
		  "c@y.com; d@z.com");
	CHECK_RC(m365f_ingest_buffer(c, "ual.jsonl", ual, sizeof(ual) - 1,
				     NULL, &err),
		 M365F_OK);
	/* the quota change is not a rule; the forward and the disable are */
	CHECK_INT(q_int(c, "SELECT count(*) FROM inbox_rules WHERE"
			   " source_kind = 'audit'",
			NULL),
		  2);
	CHECK_STR(q_text(c, "SELECT mailbox || '|' || forward_to || '|' ||"
			    " deliver_and_forward || '|' || action FROM"
			    " inbox_rules WHERE kind = 'forwarding'",
			 NULL, buf, sizeof(buf)),
		  "a@x.com|out@evil.example|0|set");
	CHECK_STR(q_text(c, "SELECT mailbox || '|' || name || '|' || enabled"
			    " FROM inbox_rules WHERE action = 'disable'",
			 NULL, buf, sizeof(buf)),
		  "a@x.com|r1|0");
	/* the rebuild finds rebuilt events by index, not by scanning every
	 * rule (a case with 20k rules took 49 s per ingest without it) */
	CHECK_INT(q_int(c, "SELECT count(*) FROM sqlite_master WHERE type ="
			   " 'index' AND tbl_name = 'inbox_rules' AND sql LIKE"
			   " '%(event_id)'",
			NULL),
		  1);
	/* a second ingest does not rebuild the same events again */
	CHECK_RC(m365f_ingest_buffer(c, "other.csv", dump, sizeof(dump) - 1,
				     NULL, &err),
		 M365F_OK);
	CHECK_INT(q_int(c, "SELECT count(*) FROM inbox_rules WHERE"
			   " source_kind = 'audit'",
			NULL),
		  2);
	m365f_case_free(c);
}

/* The scenario: the dump's rules and the audit events that made them are
 * one query apart. */
static void test_scenario_history(void)
{
	m365f_case *c = mem_case();
	ingest_sum s;
	char buf[512];

	CHECK_RC(ingest_scenario(c, &s), M365F_OK);
	CHECK_STR(q_text(c,
			 "SELECT iso_time(a.time) || ' ' || e.client_ip FROM"
			 " inbox_rules d JOIN inbox_rules a ON a.mailbox ="
			 " d.mailbox AND a.name = d.name AND a.source_kind ="
			 " 'audit' AND a.action = 'new' JOIN events e ON"
			 " e.id = a.event_id WHERE d.source_kind = 'dump'"
			 " AND d.name = 'Invoice sync'",
			 NULL, buf, sizeof(buf)),
		  "2026-03-05T03:12:15.000Z 45.147.229.81");
	/* the CSV lost the targets, the JSON of the same dump has them:
	 * stored both, flagged as conflicts */
	CHECK_INT(q_int(c, "SELECT count(*) FROM conflicts", NULL), 3);
	m365f_case_free(c);
}

/* Outlook's client-side rules (UpdateInboxRules: everything in
 * OperationProperties) and transport rule cmdlets. */
static const char client_transport_ual[] =
	"{\"CreationTime\":\"2026-03-05T06:00:00\",\"Id\":\"c1\","
	"\"Operation\":\"UpdateInboxRules\",\"RecordType\":2,"
	"\"UserId\":\"A@X.com\",\"ClientIP\":\"5.6.7.8\","
	"\"Workload\":\"Exchange\",\"OperationProperties\":["
	"{\"Name\":\"RuleActions\",\"Value\":\"[{\\\"ActionType\\\":"
	"\\\"Forward\\\",\\\"Recipients\\\":[\\\"Drop@Evil.example"
	"\\\"]}]\"},"
	"{\"Name\":\"RuleCondition\",\"Value\":\"Subject contains "
	"'invoice'\"},"
	"{\"Name\":\"RuleName\",\"Value\":\"sync\"},"
	"{\"Name\":\"RuleId\",\"Value\":\"7\"},"
	"{\"Name\":\"RuleOperation\",\"Value\":\"AddMailboxRule\"},"
	"{\"Name\":\"RuleState\",\"Value\":\"Enabled\"}]}\n"
	"{\"CreationTime\":\"2026-03-05T06:05:00\",\"Id\":\"t1\","
	"\"Operation\":\"New-TransportRule\",\"RecordType\":1,"
	"\"UserId\":\"admin@x.com\",\"Workload\":\"Exchange\","
	"\"Parameters\":[{\"Name\":\"Name\",\"Value\":\"copy out\"},"
	"{\"Name\":\"BlindCopyTo\",\"Value\":\"bcc@evil.example\"},"
	"{\"Name\":\"SentToScope\",\"Value\":\"NotInOrganization\"}]}"
	"\n"
	"{\"CreationTime\":\"2026-03-05T06:06:00\",\"Id\":\"t2\","
	"\"Operation\":\"Disable-TransportRule\",\"RecordType\":1,"
	"\"UserId\":\"admin@x.com\",\"Workload\":\"Exchange\","
	"\"Parameters\":[{\"Name\":\"Identity\",\"Value\":"
	"\"copy out\"}]}\n";

static void test_rebuild_client_and_transport(void)
{
	const char *ual = client_transport_ual;
	m365f_case *c = mem_case();
	m365f_error err;
	char buf[512];

	CHECK_RC(m365f_ingest_buffer(c, "ual.jsonl", ual,
				     sizeof(client_transport_ual) - 1, NULL,
				     &err),
		 M365F_OK);
	CHECK_STR(q_text(c, "SELECT mailbox || '|' || name || '|' || rule_id"
			    " || '|' || action || '|' || enabled || '|' ||"
			    " forward_to FROM inbox_rules WHERE kind ="
			    " 'inbox'",
			 NULL, buf, sizeof(buf)),
		  "a@x.com|sync|7|new|1|drop@evil.example");
	CHECK_STR(q_text(c, "SELECT group_concat(action || ':' || name || ':'"
			    " || coalesce(bcc_to, '-') || ':' ||"
			    " coalesce(enabled, '-'), ',') FROM (SELECT *"
			    " FROM inbox_rules WHERE kind = 'transport'"
			    " ORDER BY time)",
			 NULL, buf, sizeof(buf)),
		  "new:copy out:bcc@evil.example:-,disable:copy out:-:0");
	m365f_case_free(c);
}

/* A JSON file mixing audit records (stored by the store thread) and a
 * Goose owner element (which updates the case): both land. */
static void test_mixed_json(void)
{
	static const char mixed[] =
		"{\"CreationTime\":\"2026-03-05T05:00:00\",\"Id\":\"m1\","
		"\"Operation\":\"MailItemsAccessed\",\"RecordType\":50,"
		"\"UserId\":\"z@x.com\",\"Workload\":\"Exchange\"}\n"
		"[{\"id\":\"r1\",\"displayName\":\"fwd\",\"sequence\":1,"
		"\"isEnabled\":true,\"actions\":{\"forwardTo\":[{"
		"\"emailAddress\":{\"address\":\"Out@Evil.example\"}}]}},"
		"{\"userPrincipalName\":\"Z@x.com\"}]\n";
	m365f_case *c = mem_case();
	m365f_error err;
	char buf[256];

	CHECK_RC(m365f_ingest_buffer(c, "mixed.json", mixed, sizeof(mixed) - 1,
				     NULL, &err),
		 M365F_OK);
	CHECK_INT(q_int(c, "SELECT stored FROM sources", NULL), 3);
	CHECK_STR(q_text(c, "SELECT mailbox || '|' || forward_to FROM"
			    " inbox_rules",
			 NULL, buf, sizeof(buf)),
		  "z@x.com|out@evil.example");
	CHECK_STR(q_text(c, "SELECT group_concat(operation, ',') FROM (SELECT"
			    " operation FROM events ORDER BY id)",
			 NULL, buf, sizeof(buf)),
		  "MailItemsAccessed,InboxRule,MailboxRulesListed");
	m365f_case_free(c);
}

/* The rows made as rule events are stored are the rows the rebuild makes
 * for a case whose events have none (written by an older version). */
static void test_stored_equals_rebuilt(void)
{
	static const char *cols =
		"event_id, kind, action, time, mailbox, name, identity,"
		" rule_id, enabled, priority, forward_to,"
		" forward_as_attachment, redirect_to, bcc_to, delete_message,"
		" soft_delete, move_to_folder, copy_to_folder, mark_as_read,"
		" stop_processing, cond_from, cond_subject, cond_body,"
		" cond_subject_or_body, cond_has_attachment,"
		" deliver_and_forward, description";
	static const char note[] =
		"{\"CreationTime\":\"2026-03-06T01:00:00\",\"Id\":\"n1\","
		"\"Operation\":\"MailItemsAccessed\",\"RecordType\":50,"
		"\"UserId\":\"z@x.com\",\"Workload\":\"Exchange\"}\n";
	m365f_case *c = mem_case();
	ingest_sum s;
	m365f_error err;
	char sql[1024];
	long long made;

	CHECK_RC(ingest_scenario(c, &s), M365F_OK);
	/* Outlook's client rules (from OperationProperties), transport
	 * rules */
	CHECK_RC(m365f_ingest_buffer(c, "ual.jsonl", client_transport_ual,
				     sizeof(client_transport_ual) - 1, NULL,
				     &err),
		 M365F_OK);
	made = q_int(c, "SELECT count(*) FROM inbox_rules WHERE source_kind ="
			" 'audit'",
		     NULL);
	CHECK_INT(made, 6);
	snprintf(sql, sizeof(sql),
		 "CREATE TEMP TABLE made AS SELECT %s FROM inbox_rules WHERE"
		 " source_kind = 'audit'",
		 cols);
	CHECK_RC(sqlite3_exec(c->db, sql, NULL, NULL, NULL), SQLITE_OK);
	CHECK_RC(sqlite3_exec(c->db, "DELETE FROM inbox_rules WHERE"
				     " source_kind = 'audit'",
			      NULL, NULL, NULL),
		 SQLITE_OK);
	/* any later ingest makes the missing rows */
	CHECK_RC(m365f_ingest_buffer(c, "note.jsonl", note, sizeof(note) - 1,
				     NULL, &err),
		 M365F_OK);
	CHECK_INT(q_int(c, "SELECT count(*) FROM inbox_rules WHERE"
			   " source_kind = 'audit'",
			NULL),
		  made);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM (SELECT * FROM made EXCEPT SELECT %s"
		 " FROM inbox_rules WHERE source_kind = 'audit')",
		 cols);
	CHECK_INT(q_int(c, sql, NULL), 0);
	m365f_case_free(c);
}

static void test_invalid(void)
{
	m365f_case *c = mem_case();
	ingest_sum s;
	char buf[256];

	CHECK_RC(ingest(c, "invalid/rules-extractor-empty-rule.csv", &s),
		 M365F_OK);
	CHECK_INT(s.stored, 1);
	CHECK_INT(s.rejected, 1);
	CHECK_STR(q_text(c, "SELECT line || ': ' || reason FROM rejects",
			 NULL, buf, sizeof(buf)),
		  "3: rule without mailbox, name or identity");
	m365f_case_free(c);
}

int main(void)
{
	test_inbox_shapes();
	test_graph_and_identity();
	test_forwarding_transport();
	test_addresses_and_rebuild();
	test_scenario_history();
	test_mixed_json();
	test_rebuild_client_and_transport();
	test_stored_equals_rebuilt();
	test_invalid();
	TEST_DONE();
}
