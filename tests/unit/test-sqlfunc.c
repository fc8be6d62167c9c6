/* SPDX-License-Identifier: MIT */
/* test-sqlfunc.c - the SQL functions the CLI and the detectors use. */
#include "ingest-util.h"

static void q(tcase *t, const char *sql, const char *want)
{
	const char *got = tc_sql(t, sql);

	test_checks++;
	if (strcmp(got, want)) {
		fprintf(stderr, "%s:%d: %s\n  gives '%s', want '%s'\n",
			__FILE__, __LINE__, sql, got, want);
		test_failures++;
	}
}

static void test_regexp(tcase *t)
{
	q(t, "SELECT regexp('InboxRule|Consent', 'New-InboxRule'),"
	     " regexp('^inbox', 'New-InboxRule'), regexp('(?i)^new-',"
	     " 'New-InboxRule'), regexp('x', NULL), regexp(NULL, 'x')",
	  "1|0|1|NULL|NULL");
	/* UTF-8 patterns and subjects; invalid UTF-8 is no match, no error */
	q(t, "SELECT regexp('^\xC3\x9C" "berweisung', '\xC3\x9C" "berweisungen"
	     " M\xC3\xA4rz'), regexp('^.$', '\xC3\xA4'), regexp('a',"
	     " CAST(x'ff61' AS TEXT))",
	  "1|1|1");
	/* the compiled pattern is reused across rows */
	q(t, "WITH v(s) AS (VALUES ('UserLoggedIn'), ('UserLoginFailed'),"
	     " ('FileDownloaded')) SELECT sum(regexp('^UserLog', s)) FROM v",
	  "2");
	/* a bad pattern is an error with the position, not a crash */
	q(t, "SELECT regexp('(', 'x')",
	  "SQL error -12: regexp: missing closing parenthesis at offset 1 of"
	  " '('");
	/* catastrophic backtracking stops at the match limit */
	q(t, "SELECT regexp('^(a+)+$', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')",
	  "SQL error -12: regexp: match limit exceeded");
}

static void test_email(tcase *t)
{
	q(t, "SELECT email_domain('Accounts.Payable@Contoso-Labs-Billing.com'),"
	     " email_domain('smtp:x@ext.example'), email_domain('\"Alice\""
	     " <alice@contoso-labs.com>'), email_domain('a@b.com.'),"
	     " email_domain('no address'), email_domain(NULL)",
	  "contoso-labs-billing.com|ext.example|contoso-labs.com|b.com|NULL|"
	  "NULL");
	CHECK_RC(m365f_case_add_internal_domain(t->c, "@Contoso-Labs.com",
						&t->err),
		 M365F_OK);
	CHECK_RC(m365f_case_add_internal_domain(t->c, "not a domain",
						&t->err),
		 M365F_EINVAL);
	q(t, "SELECT is_internal('alice.nguyen@contoso-labs.com'),"
	     " is_internal('x@mail.contoso-labs.com'),"
	     " is_internal('accounts.payable@contoso-labs-billing.com'),"
	     " is_internal('x@evilcontoso-labs.com'), is_internal('nobody')",
	  "1|1|0|0|NULL");
	q(t, "SELECT domain, origin FROM internal_domains",
	  "contoso-labs.com|given");
}

static void test_ip(tcase *t)
{
	q(t, "SELECT ip_in_cidr('45.147.229.81', '45.147.229.0/24'),"
	     " ip_in_cidr('45.147.229.81:51234', '45.147.0.0/16'),"
	     " ip_in_cidr('45.147.230.1', '45.147.229.0/24'),"
	     " ip_in_cidr('45.147.229.81', '45.147.229.81'),"
	     " ip_in_cidr('::ffff:10.1.2.3', '10.0.0.0/8'),"
	     " ip_in_cidr('2001:db8::1', '2001:db8::/32'),"
	     " ip_in_cidr('2001:db9::1', '2001:db8::/32'),"
	     " ip_in_cidr('10.1.2.3', '2001:db8::/32')",
	  "1|1|0|1|1|1|0|0");
	/* malformed input is NULL, never a match */
	q(t, "SELECT ip_in_cidr('localhost', '10.0.0.0/8'),"
	     " ip_in_cidr('10.1.2.3', '10.0.0.0/33'),"
	     " ip_in_cidr('10.1.2.3', '10.0.0.0/'),"
	     " ip_in_cidr('10.1.2.3', '10.0.0.0/abc'),"
	     " ip_in_cidr('10.1.2.3', '10.0.0.0/8x'),"
	     " ip_in_cidr('10.1.2.3', 'garbage'), ip_in_cidr(NULL, '10/8')",
	  "NULL|NULL|NULL|NULL|NULL|NULL|NULL");
	q(t, "SELECT ip_is_private('10.1.2.3'), ip_is_private('172.31.0.1'),"
	     " ip_is_private('192.168.1.1'), ip_is_private('127.0.0.1'),"
	     " ip_is_private('100.64.0.1'), ip_is_private('fe80::1'),"
	     " ip_is_private('fd00::1'), ip_is_private('::1'),"
	     " ip_is_private('203.0.113.9'), ip_is_private('0.0.0.0')",
	  "1|1|1|1|1|1|1|1|1|1");
	/* the scenario's addresses are public: detectors must see them */
	q(t, "SELECT ip_is_private('83.97.73.114'),"
	     " ip_is_private('45.147.229.81:51234'),"
	     " ip_is_private('185.247.71.19'), ip_is_private('62.214.45.17'),"
	     " ip_is_private('2a01:110:8068:7:9bf8:aa87:e00a:5f1f'),"
	     " ip_is_private('172.32.0.1'), ip_is_private('not an ip')",
	  "0|0|0|0|0|0|NULL");
}

static void test_time_geo_param(tcase *t)
{
	q(t, "SELECT iso_time(1772676664000), iso_time(NULL),"
	     " time_ms('3/5/2026 2:11:04 AM'), time_ms('2026-03-05T02:11:04Z'),"
	     " time_ms('nonsense'), iso_time(time_ms('26.09.2023 01:56:15'))",
	  "2026-03-05T02:11:04.000Z|NULL|1772676664000|1772676664000|NULL|"
	  "2023-09-26T01:56:15.000Z");
	/* Amsterdam to Bucharest, about 1,788 km; the same point is 0 */
	q(t, "SELECT CAST(round(geo_distance_km(52.37, 4.89, 44.43, 26.10))"
	     " AS INTEGER), geo_distance_km(1, 2, 1, 2),"
	     " geo_distance_km(NULL, 1, 2, 3)",
	  "1788|0.0|NULL");
	q(t, "SELECT param('spray_min_users', 10), param('nope'),"
	     " param('x', 'default')",
	  "10|NULL|default");
}

int main(void)
{
	tcase t;

	if (tc_open(&t))
		return 99;
	test_regexp(&t);
	test_email(&t);
	test_ip(&t);
	test_time_geo_param(&t);
	tc_close(&t);
	TEST_DONE();
}
