/* SPDX-License-Identifier: MIT */
/*
 * fuzz-signin-csv.c - rows of an Entra portal sign-in CSV download
 * (its header is put in front) through m365f_ingest_buffer().
 */
#include <string.h>

#include "fuzz.h"

static const char header[] =
	"Date (UTC),Request ID,User agent,Correlation ID,User ID,User"
	",Username,User type,Cross tenant access type,Incoming token "
	"type,Authentication Protocol,Unique token identifier,Origina"
	"l transfer method,Client credential type,Token Protection - "
	"Sign In Session,Token Protection - Sign In Session StatusCod"
	"e,Application,Application ID ,App owner tenant ID,Resource,R"
	"esource ID ,Resource tenant ID,Resource owner tenant ID,Home"
	" tenant ID,Home tenant name,IP address,Location,Status,Sign-"
	"in error code,Failure reason,Client app,Device ID,Browser,Op"
	"erating System,Compliant,Managed,Join Type,Multifactor authe"
	"ntication result,Multifactor authentication auth method,Mult"
	"ifactor authentication auth detail,Authentication requiremen"
	"t,Sign-in identifier,Session ID,IP address (seen by resource"
	"),Through Global Secure Access,Global Secure Access IP addre"
	"ss,Autonomous system  number,Flagged for review,Token issuer"
	" type,Incoming token type,Token issuer name,Latency,Conditio"
	"nal Access,Managed Identity type,Associated Resource Id,Fede"
	"rated Token Id,Federated Token Issuer"
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
