/* SPDX-License-Identifier: MIT */
/*
 * fuzz-rules-csv.c - rows of a mailbox-rule dump (Extractor Suite
 * Get-MailboxRules CSV header in front) through m365f_ingest_buffer().
 */
#include <string.h>

#include "fuzz.h"

static const char header[] =
	"\"UserName\",\"RuleName\",\"Enabled\",\"Priority\",\"RuleIde"
	"ntity\",\"StopProcessingRules\",\"CopyToFolder\",\"MoveToFol"
	"der\",\"RedirectTo\",\"ForwardTo\",\"ForwardAsAttachmentTo\""
	",\"ApplyCategory\",\"MarkImportance\",\"MarkAsRead\",\"Delet"
	"eMessage\",\"SoftDeleteMessage\",\"From\",\"SubjectContainsW"
	"ords\",\"SubjectOrBodyContainsWords\",\"BodyContainsWords\","
	"\"HasAttachment\",\"Description\",\"InError\",\"ErrorType\""
	"\r\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* seeds that carry the header already are taken as they are */
	if (size >= sizeof(header) - 3 &&
	    !memcmp(data, header, sizeof(header) - 3))
		fuzz_ingest(NULL, data, size);
	else
		fuzz_ingest(header, data, size);
	return 0;
}
