/* SPDX-License-Identifier: MIT */
/*
 * test-pivot.c - pivots across the audit log, sign-ins, directory audits
 * and rule dumps of the sample incident, and m365f_rules().
 */
#include "entra-util.h"

#define ALICE "alice.nguyen@contoso-labs.com"
#define DAVID "david.kim@contoso-labs.com"
#define ATTACKER "45.147.229.81"

typedef struct {
	int rows;
	char text[4096]; /* "col=value" of chosen columns, row by row */
	const char *const *cols;
} collect;

static int collect_row(const m365f_row *row, void *payload)
{
	collect *k = payload;
	size_t i, j, n = strlen(k->text);

	k->rows++;
	for (j = 0; k->cols[j]; j++)
		for (i = 0; i < row->ncols; i++)
			if (!strcmp(row->names[i], k->cols[j]))
				n += (size_t)snprintf(
					k->text + n,
					n < sizeof(k->text) ? sizeof(k->text) - n
							    : 0,
					"%s%s", j ? " " : "",
					row->values[i] ? row->values[i] : "-");
	if (n < sizeof(k->text) - 1) {
		k->text[n++] = '\n';
		k->text[n] = '\0';
	}
	return 0;
}

static m365f_case *scenario(void)
{
	m365f_case *c = mem_case();
	ingest_sum s;

	if (ingest_scenario(c, &s)) {
		fprintf(stderr, "cannot ingest the scenario\n");
		exit(99);
	}
	return c;
}

static void test_ip(m365f_case *c)
{
	static const char *const cols[] = { "user", "first_time", "count",
					    "country", "sources", NULL };
	collect k = { 0, "", cols };
	m365f_error err;

	CHECK_RC(m365f_pivot(c, M365F_PIVOT_IP, "[45.147.229.81]:51234",
			     collect_row, &k, &err),
		 M365F_OK);
	CHECK_INT(k.rows, 2);
	CHECK_STR(k.text,
		  ALICE " 2026-03-05T03:05:10.000Z 70 RO entra-audit,signin,ual\n"
		  DAVID " 2026-03-06T01:14:50.000Z 8 RO signin,ual\n");
}

static void test_user(m365f_case *c)
{
	static const char *const cols[] = { "client_ip", "country", "app",
					    "count", "sources", NULL };
	collect k = { 0, "", cols };
	m365f_error err;

	CHECK_RC(m365f_pivot(c, M365F_PIVOT_USER, "Alice.Nguyen@Contoso-Labs"
			     ".com", collect_row, &k, &err),
		 M365F_OK);
	/* the spray address, the attacker's, the app's Graph sign-ins */
	CHECK(strstr(k.text, "83.97.73.114 NL Azure Active Directory "
			     "PowerShell 2 signin\n") != NULL);
	CHECK(strstr(k.text, ATTACKER " RO OfficeHome 1 signin\n") != NULL);
	CHECK(strstr(k.text, ATTACKER " RO Mail Backup Sync 4 signin\n") !=
	      NULL);
	/* a dump's rules have no time: not 1970 */
	CHECK(strstr(k.text, "1970") == NULL);
}

static void test_session(m365f_case *c)
{
	static const char *const cols[] = { "time", "operation", "sources",
					    NULL };
	collect k = { 0, "", cols };
	m365f_error err;
	char sid[128];

	q_text(c, "SELECT session_id FROM events WHERE product = 'signin' AND"
		  " client_ip = '" ATTACKER "' AND user = ?1 AND result ="
		  " 'success' ORDER BY time LIMIT 1",
	       ALICE, sid, sizeof(sid));
	CHECK(sid[0] != '\0');
	CHECK_RC(m365f_pivot(c, M365F_PIVOT_SESSION, sid, collect_row, &k,
			     &err),
		 M365F_OK);
	CHECK_STR(k.text,
		  "2026-03-05T03:05:10.000Z SignIn signin\n"
		  "2026-03-05T03:05:10.000Z UserLoggedIn ual\n"
		  "2026-03-05T03:07:42.000Z MailItemsAccessed ual\n"
		  "2026-03-05T03:12:15.000Z New-InboxRule ual\n"
		  "2026-03-05T03:13:40.000Z New-InboxRule ual\n");
	CHECK_RC(m365f_pivot(c, 42, sid, collect_row, &k, &err),
		 M365F_EINVAL);
	CHECK_RC(m365f_pivot(c, M365F_PIVOT_IP, "", collect_row, &k, &err),
		 M365F_EINVAL);
}

static void test_rules(m365f_case *c)
{
	static const char *const cols[] = { "name", "source_kind", "action",
					    "forward_to", "client_ip", NULL };
	collect k = { 0, "", cols };
	m365f_error err;

	CHECK_RC(m365f_rules(c, "ALICE.NGUYEN@contoso-labs.com", collect_row,
			     &k, &err),
		 M365F_OK);
	CHECK_INT(k.rows, 6);
	CHECK(strstr(k.text, "Invoice sync audit new "
			     "accounts.payable@contoso-labs-billing.com "
			     ATTACKER "\n") != NULL);
	/* dumps first, then the history */
	CHECK(strstr(k.text, "Invoice sync dump") <
	      strstr(k.text, "Invoice sync audit"));
}

int main(void)
{
	m365f_case *c = scenario();

	test_ip(c);
	test_user(c);
	test_session(c);
	test_rules(c);
	m365f_case_free(c);
	TEST_DONE();
}
