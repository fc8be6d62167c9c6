/* SPDX-License-Identifier: MIT */
/*
 * gen-ual.c - deterministic generator of large Purview audit-log exports
 * (the current 8-column CSV) for the ingest benchmark: mixed workloads,
 * AuditData of 0.5-4 KB, about 1.8 KB per record, 0.5% repeated records.
 * usage: gen-ual RECORDS [SEED] > export.csv
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NUSERS 2000
#define NRING 64
#define TENANT "contoso.onmicrosoft.com"
#define ORGID "8d4121ed-0008-406d-bff9-0d5bb312183c"

typedef struct {
	char *p;
	size_t len, cap;
} text;

static uint64_t rng_state;

/* splitmix64: small, fast and the same on every platform */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static void grow(text *t, size_t extra)
{
	if (t->len + extra + 1 <= t->cap)
		return;
	while (t->len + extra + 1 > t->cap)
		t->cap = t->cap ? t->cap * 2 : 8192;
	t->p = realloc(t->p, t->cap);
	if (!t->p) {
		fputs("gen-ual: out of memory\n", stderr);
		exit(1);
	}
}

static void put(text *t, const char *s)
{
	size_t n = strlen(s);

	grow(t, n);
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void putf(text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void putf(text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	grow(t, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(t->p + t->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

static void guid(char out[37])
{
	uint64_t a = rnd(), b = rnd();

	snprintf(out, 37, "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64
		 "-%04" PRIx64 "-%012" PRIx64,
		 a >> 32, (a >> 16) & 0xffff, a & 0xffff, b >> 48,
		 b & UINT64_C(0xffffffffffff));
}

static const char *const first[] = {
	"adele", "alex", "debra", "diego", "grady", "henrietta", "isaiah",
	"joni", "lee", "lidia", "lynne", "megan", "miriam", "nestor",
	"patti", "pradeep", "johanna", "rene", "sven", "yuki",
};
static const char *const last[] = {
	"vance", "wilber", "berger", "siciliani", "archie", "mueller",
	"langer", "sherman", "gu", "holloway", "robbins", "bowen", "graham",
	"wilke", "fernandez", "gupta", "lorenz", "muller", "nakamura", "okafor",
};
static const char *const agents[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	"(KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.0.0",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:123.0) "
	"Gecko/20100101 Firefox/123.0",
	"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook "
	"16.0.17328; Pro)",
	"OneDriveMpc-Transform_Thumbnail/1.0",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) "
	"AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Teams/6.3.0",
	"python-requests/2.31.0",
};
static const char *const folders[] = {
	"\\\\Inbox", "\\\\Sent Items", "\\\\Archive\\\\2023",
	"\\\\Inbox\\\\Rechnungen \\u00dcbersicht", "\\\\Deleted Items",
	"\\\\Projects\\\\Q1 planning",
};
static const char *const files[] = {
	"Quarterly report", "Board minutes", "Gehaltsliste", "roadmap",
	"Customer export", "design spec", "Budget \\u2013 final", "notes",
};
static const char *const exts[] = { "docx", "xlsx", "pdf", "pptx", "txt" };

static char users[NUSERS][64];
static char ips[NUSERS][48];

static void setup_users(void)
{
	unsigned i;

	for (i = 0; i < NUSERS; i++) {
		snprintf(users[i], sizeof(users[i]), "%s.%s%u@" TENANT,
			 first[i % 20], last[(i / 20) % 20], i / 400);
		if (i % 7 == 3)
			snprintf(ips[i], sizeof(ips[i]),
				 "2a01:110:8068:%x:%x:%x:%x:%x", pick(0xffff),
				 pick(0xffff), pick(0xffff), pick(0xffff),
				 pick(0xffff));
		else
			snprintf(ips[i], sizeof(ips[i]), "%u.%u.%u.%u",
				 20 + pick(200), pick(256), pick(256),
				 1 + pick(254));
	}
}

/* JSON string content of an agent with or without "\/" escaping */
static void put_agent(text *t, const char *ua, int escape_slash)
{
	for (; *ua; ua++) {
		if (*ua == '/' && escape_slash)
			put(t, "\\/");
		else
			grow(t, 1), t->p[t->len++] = *ua, t->p[t->len] = '\0';
	}
}

static void common(text *t, const char *ct, const char *id, const char *op,
		   int rt, const char *status, int utype, const char *wl,
		   const char *user)
{
	putf(t, "{\"CreationTime\":\"%s\",\"Id\":\"%s\",\"Operation\":\"%s\","
		"\"OrganizationId\":\"" ORGID "\",\"RecordType\":%d,"
		"\"ResultStatus\":\"%s\",\"UserKey\":\"10032002%08X\","
		"\"UserType\":%d,\"Version\":1,\"Workload\":\"%s\","
		"\"UserId\":\"%s\"",
	     ct, id, op, rt, status, (unsigned)(rnd() & 0xffffffff), utype,
	     wl, user);
}

static void exchange_admin(text *t, const char *ct, const char *id,
			   unsigned u)
{
	static const char *const ops[] = { "New-InboxRule", "Set-InboxRule",
					   "Set-Mailbox",
					   "Add-MailboxPermission" };
	static const char *const names[] = {
		"Identity", "Name", "From", "MoveToFolder", "MarkAsRead",
		"StopProcessingRules", "ForwardTo", "DeleteMessage",
		"SubjectContainsWords", "AlwaysDeleteOutlookRulesBlob", "Force",
		"DeliverToMailboxAndForward", "ForwardingSmtpAddress",
	};
	unsigned i, n = 3 + pick(10);
	char sess[37], obj[37];

	guid(sess);
	guid(obj);
	common(t, ct, id, ops[pick(4)], 1, "True", 2, "Exchange", users[u]);
	putf(t, ",\"ClientIP\":\"%s:%u\",\"ObjectId\":\"NAMPR10A011.PROD."
		"OUTLOOK.COM\\/Microsoft Exchange Hosted Organizations\\/"
		TENANT "\\/%s\\\\rule %u\",\"AppId\":\"00000002-0000-0ff1-"
		"ce00-000000000000\",\"ClientAppId\":\"\",\"ExternalAccess\":"
		"false,\"OrganizationName\":\"" TENANT "\",\"OriginatingServer"
		"\":\"CH3PR10MB7864 (15.20.6813.027)\\r\\n\",\"Parameters\":[",
	     strchr(ips[u], ':') ? "52.96.1.10" : ips[u], 1024 + pick(60000),
	     obj, pick(100));
	for (i = 0; i < n; i++)
		putf(t, "%s{\"Name\":\"%s\",\"Value\":\"%s\"}", i ? "," : "",
		     names[(i + pick(3)) % 13],
		     pick(2) ? "True" : users[pick(NUSERS)]);
	putf(t, "],\"SessionId\":\"%s\"}", sess);
}

static void mail_access(text *t, const char *ct, const char *id, unsigned u)
{
	unsigned i, j, nf = 1 + pick(3), ni;
	char g[37];

	common(t, ct, id, "MailItemsAccessed", 50, "Succeeded", 0, "Exchange",
	       users[u]);
	guid(g);
	putf(t, ",\"AppId\":\"00000003-0000-0000-c000-000000000000\","
		"\"ClientAppId\":\"%s\",\"ClientIPAddress\":\"%s\","
		"\"ClientInfoString\":\"Client=REST;;\",\"ExternalAccess\":"
		"false,\"InternalLogonType\":0,\"LogonType\":0,\"LogonUserSid"
		"\":\"S-1-5-21-%u-%u-%u-%u\",\"MailboxGuid\":\"%s\","
		"\"MailboxOwnerUPN\":\"%s\",\"OperationProperties\":[{\"Name\":"
		"\"MailAccessType\",\"Value\":\"%s\"},{\"Name\":\"IsThrottled"
		"\",\"Value\":\"False\"}],\"OrganizationName\":\"" TENANT "\","
		"\"OriginatingServer\":\"AM6PR07MB%04u (15.20.7316.031)\\r\\n\","
		"\"SessionId\":\"",
	     g, ips[u], pick(1u << 30), pick(1u << 30), pick(1u << 30),
	     1000 + pick(9000), g, users[u], pick(2) ? "Bind" : "Sync",
	     pick(10000));
	guid(g);
	putf(t, "%s\",\"Folders\":[", g);
	for (i = 0; i < nf; i++) {
		ni = 1 + pick(i ? 3 : 14);
		putf(t, "%s{\"FolderItems\":[", i ? "," : "");
		for (j = 0; j < ni; j++)
			putf(t, "%s{\"InternetMessageId\":\"<%016" PRIx64
				"@AM6PR07MB%04u.eurprd07.prod.outlook.com>\","
				"\"SizeInBytes\":%u}",
			     j ? "," : "", rnd(), pick(10000),
			     2000 + pick(200000));
		putf(t, "],\"Id\":\"LgAAAAB%016" PRIx64 "%016" PRIx64
			"AQ\",\"Path\":\"%s\"}",
		     rnd(), rnd(), folders[pick(6)]);
	}
	putf(t, "],\"OperationCount\":%u}", 1 + pick(40));
}

static void sharepoint(text *t, const char *ct, const char *id, unsigned u)
{
	static const char *const ops[] = { "FileAccessed", "FileModified",
					   "FileDownloaded", "FilePreviewed",
					   "FileUploaded", "PageViewed" };
	char site[37], web[37], list[37], item[37], corr[37];
	const char *f = files[pick(8)], *e = exts[pick(5)];
	unsigned d = pick(40);

	guid(site);
	guid(web);
	guid(list);
	guid(item);
	guid(corr);
	common(t, ct, id, ops[pick(6)], 6, "Succeeded", 0, "SharePoint",
	       users[u]);
	putf(t, ",\"ClientIP\":\"%s\",\"ObjectId\":\"https://contoso."
		"sharepoint.com/sites/team%u/Shared Documents/General/%s %u.%s"
		"\",\"CorrelationId\":\"%s\",\"EventSource\":\"SharePoint\","
		"\"ItemType\":\"File\",\"ListId\":\"%s\",\"ListItemUniqueId\":"
		"\"%s\",\"Site\":\"%s\",\"UserAgent\":\"",
	     ips[u], d, f, pick(500), e, corr, list, item, site);
	put_agent(t, agents[pick(6)], 0);
	putf(t, "\",\"WebId\":\"%s\",\"DeviceDisplayName\":\"%s\","
		"\"HighPriorityMediaProcessing\":false,\"ListBaseType\":1,"
		"\"ListServerTemplate\":101,\"IsManagedDevice\":%s,\"Platform"
		"\":\"WinDesktop\",\"AuthenticationType\":\"OAuth\","
		"\"ApplicationId\":\"00000003-0000-0ff1-ce00-000000000000\","
		"\"ApplicationDisplayName\":\"Office 365 SharePoint Online\","
		"\"GeoLocation\":\"EUR\",\"SiteUrl\":\"https://contoso."
		"sharepoint.com/sites/team%u/\",\"SourceRelativeUrl\":\"Shared "
		"Documents/General\",\"SourceFileName\":\"%s %u.%s\","
		"\"SourceFileExtension\":\"%s\",\"FileSizeBytes\":%u}",
	     web, ips[u], pick(2) ? "true" : "false", d, f, pick(500), e, e,
	     1000 + pick(5000000));
}

static void sts_logon(text *t, const char *ct, const char *id, unsigned u)
{
	int fail = pick(8) == 0;
	char a[37], b[37], c[37];
	unsigned i, nd = 4 + pick(5);

	guid(a);
	guid(b);
	guid(c);
	common(t, ct, id, fail ? "UserLoginFailed" : "UserLoggedIn", 15,
	       fail ? "Failed" : "Success", 0, "AzureActiveDirectory",
	       users[u]);
	putf(t, ",\"ClientIP\":\"%s\",\"ObjectId\":\"00000003-0000-0000-c000-"
		"000000000000\",\"AzureActiveDirectoryEventType\":1,"
		"\"ExtendedProperties\":[{\"Name\":\"ResultStatusDetail\","
		"\"Value\":\"%s\"},{\"Name\":\"KeepMeSignedIn\",\"Value\":"
		"\"false\"},{\"Name\":\"UserAgent\",\"Value\":\"",
	     ips[u], fail ? "UserError" : "Success");
	put_agent(t, agents[pick(6)], 1);
	putf(t, "\"},{\"Name\":\"UserAuthenticationMethod\",\"Value\":\"1\"},"
		"{\"Name\":\"RequestType\",\"Value\":\"OAuth2:Authorize\"}],"
		"\"ModifiedProperties\":[],\"Actor\":[{\"ID\":\"%s\",\"Type\":"
		"0},{\"ID\":\"%s\",\"Type\":5}],\"ActorContextId\":\"" ORGID
		"\",\"ActorIpAddress\":\"%s\",\"InterSystemsId\":\"%s\","
		"\"IntraSystemId\":\"%s\",\"SupportTicketId\":\"\",\"Target\":"
		"[{\"ID\":\"00000003-0000-0000-c000-000000000000\",\"Type\":0}],"
		"\"TargetContextId\":\"" ORGID "\",\"ApplicationId\":\"%s\","
		"\"DeviceProperties\":[",
	     a, users[u], ips[u], b, c, pick(2) ? "89bee1f7-5e6e-4d8a-9f3d-"
	     "ecd601259da7" : "d3590ed6-52b3-4102-aeff-aad2292ab01c");
	for (i = 0; i < nd; i++)
		putf(t, "%s{\"Name\":\"%s\",\"Value\":\"%s\"}", i ? "," : "",
		     (const char *const[]){ "OS", "BrowserType", "IsCompliant",
					    "IsCompliantAndManaged",
					    "SessionId", "DisplayName",
					    "TrustType", "Id",
					    "IsManaged" }[i],
		     i == 4 ? a : pick(2) ? "False" : "Windows10");
	putf(t, "],\"ErrorNumber\":\"%s\"", fail ? "50126" : "0");
	if (fail)
		put(t, ",\"LogonError\":\"InvalidUserNameOrPassword\"");
	put(t, "}");
}

static void directory(text *t, const char *ct, const char *id, unsigned u)
{
	static const char *const ops[] = { "Update user.",
					   "Add member to role.",
					   "Consent to application.",
					   "Update application \xe2\x80\x93 "
					   "Certificates and secrets "
					   "management " };
	unsigned i, n = 2 + pick(7);

	common(t, ct, id, ops[pick(4)], 8, "Success", 0,
	       "AzureActiveDirectory", users[u]);
	putf(t, ",\"ObjectId\":\"%s\",\"AzureActiveDirectoryEventType\":1,"
		"\"ExtendedProperties\":[{\"Name\":\"additionalDetails\","
		"\"Value\":\"{\\\"User-Agent\\\":\\\"Microsoft Azure Graph "
		"Client Library 1.0\\\",\\\"AppId\\\":\\\"1b730954-1685-4b74-"
		"9bfd-dac224a7b894\\\"}\"},{\"Name\":\"extendedAuditEventCategory"
		"\",\"Value\":\"User\"}],\"ModifiedProperties\":[",
	     users[pick(NUSERS)]);
	for (i = 0; i < n; i++) {
		char g[37];

		guid(g);
		putf(t, "%s{\"Name\":\"%s\",\"NewValue\":\"[\\r\\n  \\\"%s\\\","
			"\\r\\n  \\\"%s\\\"\\r\\n]\",\"OldValue\":\"[\\r\\n  "
			"\\\"%s\\\"\\r\\n]\"}",
		     i ? "," : "",
		     (const char *const[]){ "StrongAuthenticationMethod",
					    "AssignedLicense", "Role.ObjectID",
					    "Included Updated Properties",
					    "DisplayName",
					    "AccountEnabled", "Mobile",
					    "StrongAuthenticationRequirement"
					  }[i],
		     g, users[pick(NUSERS)], g);
	}
	putf(t, "],\"Actor\":[{\"ID\":\"%s\",\"Type\":5},{\"ID\":\"1003200264"
		"3F6746\",\"Type\":3}],\"ActorContextId\":\"" ORGID "\","
		"\"InterSystemsId\":\"a1\",\"IntraSystemId\":\"b2\","
		"\"SupportTicketId\":\"\",\"Target\":[{\"ID\":\"User_%08x\","
		"\"Type\":2},{\"ID\":\"%s\",\"Type\":5}],\"TargetContextId\":\""
		ORGID "\"}",
	     users[u], (unsigned)(rnd() & 0xffffffff), users[pick(NUSERS)]);
}

static void teams(text *t, const char *ct, const char *id, unsigned u)
{
	static const char *const ops[] = { "MessageSent", "TeamsSessionStarted",
					   "MemberAdded", "ChatRetrieved" };
	unsigned i, n = pick(5);
	char g[37];

	guid(g);
	common(t, ct, id, ops[pick(4)], 25, "Succeeded", 0, "MicrosoftTeams",
	       users[u]);
	putf(t, ",\"ClientIP\":\"%s\",\"ObjectId\":\"\",\"ChatThreadId\":"
		"\"19:%s@thread.v2\",\"CommunicationType\":\"GroupChat\","
		"\"TeamName\":\"Team %u\",\"TeamGuid\":\"19:%s@thread.tacv2\","
		"\"ChannelName\":\"General\",\"MessageId\":\"%" PRIu64 "\","
		"\"ItemName\":\"Planning \\u00fcber alles\",\"Members\":[",
	     ips[u], g, pick(300), g, rnd() % UINT64_C(10000000000000));
	for (i = 0; i < n; i++)
		putf(t, "%s{\"DisplayName\":\"%s\",\"Role\":%u,\"UPN\":\"%s\"}",
		     i ? "," : "", first[pick(20)], pick(3),
		     users[pick(NUSERS)]);
	putf(t, "],\"AppAccessContext\":{\"IssuedAtTime\":\"%s\","
		"\"UniqueTokenId\":\"%016" PRIx64 "\"}}",
	     ct, rnd());
}

/* CSV cell: quoted, quotes doubled */
static void put_csv(text *out, const text *json)
{
	size_t i;

	grow(out, json->len * 2 + 2);
	out->p[out->len++] = '"';
	for (i = 0; i < json->len; i++) {
		if (json->p[i] == '"')
			out->p[out->len++] = '"';
		out->p[out->len++] = json->p[i];
	}
	out->p[out->len++] = '"';
	out->p[out->len] = '\0';
}

int main(int argc, char **argv)
{
	unsigned long long n, i;
	time_t t0 = 1709251200; /* 2024-03-01T00:00:00Z */
	uint64_t ms = 0;
	text json = { 0 }, line = { 0 }, ring[NRING];
	size_t nring = 0;

	if (argc < 2 || argc > 3) {
		fputs("usage: gen-ual RECORDS [SEED] > export.csv\n", stderr);
		return 2;
	}
	n = strtoull(argv[1], NULL, 10);
	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	memset(ring, 0, sizeof(ring));
	setup_users();
	fputs("RecordId,CreationDate,RecordType,Operation,UserId,AuditData,"
	      "AssociatedAdminUnits,AssociatedAdminUnitsNames\r\n", stdout);
	for (i = 0; i < n; i++) {
		unsigned u = pick(NUSERS), w = pick(100);
		char id[37], ct[24], cd[80];
		const char *op, *q;
		time_t now;
		struct tm tm;
		int rt;

		if (nring && pick(200) == 0) {
			/* an overlapping export repeats a record */
			text *r = &ring[pick((unsigned)nring)];

			fwrite(r->p, 1, r->len, stdout);
			continue;
		}
		ms += pick(5000);
		now = t0 + (time_t)(ms / 1000);
		gmtime_r(&now, &tm);
		strftime(ct, sizeof(ct), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(cd, sizeof(cd), "%d/%d/%d %d:%02d:%02d %s",
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_year + 1900,
			 tm.tm_hour % 12 ? tm.tm_hour % 12 : 12, tm.tm_min,
			 tm.tm_sec, tm.tm_hour < 12 ? "AM" : "PM");
		guid(id);
		json.len = 0;
		if (w < 30)
			sharepoint(&json, ct, id, u);
		else if (w < 55)
			mail_access(&json, ct, id, u);
		else if (w < 77)
			sts_logon(&json, ct, id, u);
		else if (w < 87)
			teams(&json, ct, id, u);
		else if (w < 95)
			exchange_admin(&json, ct, id, u);
		else
			directory(&json, ct, id, u);
		/* Operation and RecordType columns repeat AuditData's */
		op = strstr(json.p, "\"Operation\":\"") + 13;
		q = strchr(op, '"');
		rt = atoi(strstr(json.p, "\"RecordType\":") + 13);
		line.len = 0;
		putf(&line, "%s,%s,%d,%.*s,%s,", id, cd, rt, (int)(q - op), op,
		     users[u]);
		put_csv(&line, &json);
		put(&line, ",,\r\n");
		fwrite(line.p, 1, line.len, stdout);
		if (nring < NRING)
			nring++;
		{
			text *r = &ring[i % NRING];

			r->len = 0;
			put(r, line.p);
		}
	}
	free(json.p);
	free(line.p);
	for (i = 0; i < NRING; i++)
		free(ring[i].p);
	return fflush(stdout) == 0 ? 0 : 1;
}
