/* SPDX-License-Identifier: MIT */
/*
 * fuzz-ual-csv.c - rows of a Purview audit-log CSV export (the
 * 8-column header is put in front) through m365f_ingest_buffer().
 */
#include <string.h>

#include "fuzz.h"

static const char header[] =
	"RecordId,CreationDate,RecordType,Operation,UserId,AuditData,"
	"AssociatedAdminUnits,AssociatedAdminUnitsNames"
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
