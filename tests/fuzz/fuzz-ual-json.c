/* SPDX-License-Identifier: MIT */
/*
 * fuzz-ual-json.c - the members of one AuditData record: the input is the
 * rest of a JSON object whose first members make it a UAL record, so the
 * fuzzer works inside the normalizer (params, properties, ids, times).
 */
#include <string.h>

#include "fuzz.h"

static const char head[] =
	"{\"CreationTime\":\"2024-03-01T10:00:00\",\"Id\":\"00000000-0000-"
	"0000-0000-000000000001\",\"Operation\":\"Set-Mailbox\","
	"\"RecordType\":1,\"Workload\":\"Exchange\",";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* whole JSON seeds are taken as they are */
	if (size && (data[0] == '{' || data[0] == '['))
		fuzz_ingest(NULL, data, size);
	else
		fuzz_ingest(head, data, size);
	return 0;
}
