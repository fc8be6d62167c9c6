/* SPDX-License-Identifier: MIT */
/* test-sniff.c - formats decided from the first bytes, never the name. */
#include "m365f-private.h"
#include "test.h"

static const char *sniff(const char *text, bool at_eof, m365f_error *err)
{
	m365f__kind kind;
	const m365f__csv_format *f = NULL;
	int rc;

	m365f__error_clear(err);
	rc = m365f__sniff(text, strlen(text), at_eof, &kind, &f, err);
	if (rc)
		return "error";
	if (kind == M365F__KIND_JSON)
		return "json";
	return f ? f->name : "csv?";
}

static void is(const char *text, const char *want)
{
	m365f_error err;
	const char *got = sniff(text, true, &err);

	test_checks++;
	if (strcmp(got, want)) {
		fprintf(stderr, "%s:%d: '%.60s...' sniffed as %s (%s), want "
			"%s\n", __FILE__, __LINE__, text, got, err.text, want);
		test_failures++;
	}
}

static void test_ual_headers(void)
{
	is("RecordId,CreationDate,RecordType,Operation,UserId,AuditData,"
	   "AssociatedAdminUnits,AssociatedAdminUnitsNames\r\n",
	   "ual-purview-csv");
	/* header names compare trimmed, case-folded, spaces collapsed */
	is("\"RecordId\" , creationdate,RECORDTYPE,Operation,UserId, "
	   "Audit Data ,AuditData\n",
	   "ual-purview-csv");
	is("CreationDate,UserIds,Operations,AuditData\r\n", "ual-classic-csv");
	/* Microsoft's own Select-Object recipe */
	is("\"CreationDate\",\"UserIds\",\"RecordType\",\"AuditData\"\r\n",
	   "ual-classic-csv");
	is("\"RunspaceId\",\"RecordType\",\"CreationDate\",\"UserIds\","
	   "\"Operations\",\"AuditData\",\"ResultIndex\",\"ResultCount\","
	   "\"Identity\",\"IsValid\",\"ObjectState\"\r\n",
	   "ual-cmdlet-csv");
	is("#TYPE Deserialized.Microsoft.Exchange.Management.SystemConfiguration"
	   "Tasks.AuditRecord\r\n\"RunspaceId\",\"RecordType\",\"CreationDate\","
	   "\"UserIds\",\"Operations\",\"AuditData\",\"ResultIndex\","
	   "\"ResultCount\",\"Identity\",\"IsValid\",\"ObjectState\"\r\n",
	   "ual-cmdlet-csv");
	is("\"RecordType\",\"CreationDate\",\"UserIds\",\"Operations\","
	   "\"AuditData\",\"ResultIndex\",\"ResultCount\",\"Identity\","
	   "\"IsValid\",\"ObjectState\"\n",
	   "ual-cmdlet-csv");
	is("\xEF\xBB\xBFTenantId,Application,UserDomain,UserAgent,RecordType,"
	   "TimeGenerated [UTC],Operation,OrganizationId,OfficeWorkload,"
	   "OfficeObjectId,UserId,ClientIP,OfficeId,Type\r\n",
	   "ual-loganalytics-csv");
	/* the header alone, no line break, at the end of the file */
	is("CreationDate,UserIds,Operations,AuditData", "ual-classic-csv");
}

static void test_json(void)
{
	is("{\"CreationTime\":\"2026-03-05T02:11:04\"}", "json");
	is("\r\n\t [ {", "json");
	is("[]", "json");
}

static void test_errors(void)
{
	m365f_error err;

	CHECK_STR(sniff("", true, &err), "error");
	CHECK_INT(err.code, M365F_EFORMAT);
	CHECK_STR(err.text, "empty file");
	CHECK_STR(sniff(" \r\n\t\r\n", true, &err), "error");
	CHECK_STR(err.text, "no content (only white space)");
	/* control bytes: where they are, as line and column */
	CHECK_STR(sniff("a,b\r\nc,\x01" "d\n", true, &err), "error");
	CHECK_STR(err.text, "not a text export (binary data)");
	CHECK_ERR_AT(err, 2, 3);
	CHECK_STR(sniff("#TYPE Deserialized.X", true, &err), "error");
	CHECK_STR(err.text, "only a #TYPE line");
	CHECK_STR(sniff("just one line of text\n", true, &err), "error");
	CHECK_STR(err.text, "not a recognized export (neither JSON nor a CSV "
			    "header)");
	CHECK_STR(sniff("Date,User,Action,Details,More,Columns\n", true, &err),
		  "error");
	CHECK_STR(err.text, "CSV header not recognized (first columns 'Date', "
			    "'User', 'Action', 'Details', 'More')");
	/* a header still open at the end of the window is not a header */
	CHECK_STR(sniff("CreationDate,UserIds,Operations,\"AuditData", false,
			&err),
		  "error");
	CHECK_INT(err.code, M365F_EFORMAT);
}

int main(void)
{
	test_ual_headers();
	test_json();
	test_errors();
	TEST_DONE();
}
