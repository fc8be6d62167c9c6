/* SPDX-License-Identifier: MIT */
/* test-ipaddr.c - client address normalization: ports, brackets, mapped
 * IPv4, canonical IPv6, host names. */
#include "m365f-private.h"
#include "test.h"

static void norm(const char *in, int want_ip, const char *want,
		 int want_port)
{
	char out[64];
	int port = -1, r;

	r = m365f__ip_normalize(in, strlen(in), out, &port);
	test_checks++;
	if (r != want_ip || strcmp(out, want) != 0 || port != want_port) {
		fprintf(stderr, "%s:%d: '%s' -> %d '%s' port %d, want %d '%s' "
			"port %d\n", __FILE__, __LINE__, in, r, out, port,
			want_ip, want, want_port);
		test_failures++;
	}
}

/* The 15 forms of ../shared/corpus/elastic-beats-o365/ip-formats.log and
 * the address/port split Elastic documents for them. */
static void test_elastic_forms(void)
{
	norm("[10.11.12.13]:12345", 1, "10.11.12.13", 12345);
	norm("10.11.12.13:12345", 1, "10.11.12.13", 12345);
	norm("10.11.12.13", 1, "10.11.12.13", 0);
	norm("::ffff:10.11.12.13", 1, "10.11.12.13", 0);
	norm("[::ffff:10.11.12.13]:12345", 1, "10.11.12.13", 12345);
	norm("[2001:db8::abcd]:12345", 1, "2001:db8::abcd", 12345);
	norm("2001:db8::abcd", 1, "2001:db8::abcd", 0);
	norm("[2001:db8::abcd]", 1, "2001:db8::abcd", 0);
	norm("[10.11.12.13]", 1, "10.11.12.13", 0);
	norm("localhost", 0, "localhost", 0);
	norm("[localhost]:12345", 0, "localhost", 12345);
	norm("localhost:12345", 0, "localhost", 12345);
	norm("[cool.client.local]:12345", 0, "cool.client.local", 12345);
	norm("cool.client.local", 0, "cool.client.local", 0);
	norm("cool.client.local:12345", 0, "cool.client.local", 12345);
}

static void test_exchange_and_more(void)
{
	/* Exchange ClientIP forms in real exports */
	norm("185.73.124.135:19823", 1, "185.73.124.135", 19823);
	norm("[2a01:110:8068:7:9bf8:aa87:e00a:5f1f]:36185", 1,
	     "2a01:110:8068:7:9bf8:aa87:e00a:5f1f", 36185);
	norm("[2a09:bac5:114:105::1a:9b]:54809", 1, "2a09:bac5:114:105::1a:9b",
	     54809);
	/* canonical lower-case IPv6, zone id dropped, spaces trimmed */
	norm("2001:DB8:0:0:0:0:0:ABCD", 1, "2001:db8::abcd", 0);
	norm("  fe80::1%eth0 ", 1, "fe80::1", 0);
	norm("::1", 1, "::1", 0);
	norm("0.0.0.0", 1, "0.0.0.0", 0);
	norm("::ffff:0a0b:0c0d", 1, "10.11.12.13", 0);
	/* not addresses: kept (bounded), never a guessed port */
	norm("", 0, "", 0);
	norm("1.2.3.4:99999", 0, "1.2.3.4:99999", 0);
	norm("1.2.3.4:", 0, "1.2.3.4:", 0);
	norm("300.1.2.3", 0, "300.1.2.3", 0);
	norm("[::1", 0, "[::1", 0);
	norm("[]:80", 0, "[]:80", 0);
	norm(":80", 0, ":80", 0);
	/* RFC 5952: one zero group is not shortened to "::" */
	norm("::2a02:cf40:add:4002:91f2:8332:73d9", 1,
	     "0:2a02:cf40:add:4002:91f2:8332:73d9", 0);
	norm("2a02:cf40:zz::1", 0, "2a02:cf40:zz::1", 0);
	norm("Microsoft Exchange", 0, "Microsoft Exchange", 0);
}

static void test_long_input(void)
{
	char big[300], out[64];
	int port;

	memset(big, 'a', sizeof(big));
	CHECK_INT(m365f__ip_normalize(big, sizeof(big), out, &port), 0);
	CHECK_INT(strlen(out), 63);
	/* (s, n): bytes after n are not part of the address */
	CHECK_INT(m365f__ip_normalize("10.1.2.3:443 trailing", 12, out, &port),
		  1);
	CHECK_STR(out, "10.1.2.3");
	CHECK_INT(port, 443);
}

int main(void)
{
	test_elastic_forms();
	test_exchange_and_more();
	test_long_input();
	TEST_DONE();
}
