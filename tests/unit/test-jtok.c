/* SPDX-License-Identifier: MIT */
/*
 * test-jtok.c - the token reader of audit records (jtok.c): what it takes
 * cJSON reads the same way and hashes to the same canonical content hash
 * (tests/jcanon-ref.h); what is not strict JSON it leaves to cJSON; the
 * values it gives are cJSON's.
 */
#include <dirent.h>
#include <limits.h>

#include "m365f-private.h"
#include "../jcanon-ref.h"
#include "../test.h"

/* Taken, read by cJSON too, and the same hash from both, also when the
 * text is the one cJSON prints for its tree. */
static void same_hash(const char *text)
{
	m365f__jdoc *d = m365f__jdoc_new();
	cJSON *j = cJSON_Parse(text);
	int64_t h = 0, h2 = 0;

	CHECK(d && j);
	if (!d || !j) {
		fprintf(stderr, "  text: %s\n", text);
		m365f__jdoc_free(d);
		cJSON_Delete(j);
		return;
	}
	CHECK_RC(m365f__jdoc_parse(d, text, strlen(text)), 0);
	CHECK_RC(m365f__jt_hash(d, 0, &h), 0);
	CHECK_INT(h, ref_hash(j));
	CHECK_RC(m365f__jdoc_from_cjson(d, j), 0);
	CHECK_RC(m365f__jt_hash(d, 0, &h2), 0);
	CHECK_INT(h2, h);
	if (h != ref_hash(j))
		fprintf(stderr, "  text: %s\n", text);
	cJSON_Delete(j);
	m365f__jdoc_free(d);
}

static void test_taken(void)
{
	static const char *const texts[] = {
		"{}",
		"[]",
		" \t\r\n{ } \n",
		"{\"a\":1}\n\n",
		"{\"a\":\"x\",\"b\":[1,2,{\"c\":null}],\"d\":true,\"e\":false}",
		"{\"s\":\"a\\u00e9\\ud83d\\ude00b\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
		"{\"nul\":\"ab\\u0000cd\",\"k\\u0000x\":1}",
		"{\"n\":-0,\"z\":0,\"f\":1.5,\"e\":1e400,\"m\":-1E-3,"
		"\"big\":123456789012345678,\"g\":2.5e+3,\"h\":9e15}",
		"{\"b\":1,\"a\":2,\"b\":3,\"a\":4}",
		/* integers around 15 and 16 digits (2^53 = 9007199254740992) */
		"[999999999999999,-999999999999999,9007199254740993,"
		"9999999999999999,-9999999999999999,1000000000000000]",
		/* 15 digits of these read back as a neighbour */
		"{\"\":123456789016789013,\"x\":[0.1,1e-7,3.141592653589793]}",
		"{\"\\u0041\":1,\"A\":2,\"B\":\"\\u0042\"}",
		"{\"caf\\u00e9\":\"\\u20ac\",\"\xc3\xa9t\xc3\xa9\":\"\xe2\x82\xac\"}",
		"{\"raw\":\"\x01\x1f bytes \xff\xfe kept\"}",
		"[[[[[[[[[[{\"deep\":[[[1]]]}]]]]]]]]]]",
		"{\"Parameters\":[{\"Name\":\"Identity\",\"Value\":\"x\"}],"
		"\"ModifiedProperties\":\"[{\\\"Name\\\":\\\"a\\\"}]\"}",
	};
	size_t i;

	for (i = 0; i < M365F__ARRAY_LEN(texts); i++)
		same_hash(texts[i]);
}

/* Key order, spacing and escaping do not change the hash. */
static void test_canonical(void)
{
	static const char *const a =
		"{\"Id\":\"x\",\"Op\":\"New-InboxRule\",\"P\":[{\"Name\":\"a\","
		"\"Value\":\"b/c\"}],\"N\":10}";
	static const char *const b =
		"{ \"N\" : 1e1 , \"P\" : [ { \"Value\" : \"b\\/c\", \"Name\" : "
		"\"\\u0061\" } ] , \"Op\":\"New-InboxRule\",\"\\u0049d\":\"x\" }";
	static const char *const c =
		"{\"Id\":\"x\",\"Op\":\"New-InboxRule\",\"P\":[{\"Name\":\"a\","
		"\"Value\":\"b/c\"}],\"N\":11}";
	m365f__jdoc *d = m365f__jdoc_new();
	int64_t ha = 0, hb = 0, hc = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	CHECK_RC(m365f__jdoc_parse(d, a, strlen(a)), 0);
	CHECK_RC(m365f__jt_hash(d, 0, &ha), 0);
	CHECK_RC(m365f__jdoc_parse(d, b, strlen(b)), 0);
	CHECK_RC(m365f__jt_hash(d, 0, &hb), 0);
	CHECK_RC(m365f__jdoc_parse(d, c, strlen(c)), 0);
	CHECK_RC(m365f__jt_hash(d, 0, &hc), 0);
	CHECK_INT(ha, hb);
	CHECK(ha != hc);
	m365f__jdoc_free(d);
}

/* Not strict JSON, or more than the fast path reads: left to cJSON. */
static void test_refused(void)
{
	static const char *const texts[] = {
		"", "   ", "1 2", "nul", "-",
		"{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}",
		"{\"a\":-}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":0x10}",
		"{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}", "{\"a\":True}",
		"{\"a\" 1}", "{\"a\":1 \"b\":2}", "{\"a\":1,}", "[1,]", "[,1]",
		"{,\"a\":1}", "{\"a\":1}}", "{\"a\":1} x", "{\"a\":1}{\"b\":2}",
		"{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\uD800\"}",
		"{\"a\":\"\\uDC00\"}", "{\"a\":\"\\uD800\\u0041\"}",
		"{\"a\":\"\\uD800x\"}", "\xef\xbb\xbf{}", "\x01{}", "{1:2}",
		"[\"a\":1]", "{\"a\":[1 2]}", "{\"a\":{\"b\":1,}}", "{\"a\":\"x\"",
		"{\"a\":[1,2}", "{\"a\"::1}", "{\"a\":1,,\"b\":2}", "{\"a\"}",
		/* a number of 64 characters: cJSON reads 63 */
		("{\"a\":1234567890123456789012345678901234567890123456789012345"
		 "678901234}"),
	};
	m365f__jdoc *d = m365f__jdoc_new();
	size_t i;

	CHECK(d != NULL);
	if (!d)
		return;
	for (i = 0; i < M365F__ARRAY_LEN(texts); i++) {
		int rc = m365f__jdoc_parse(d, texts[i], strlen(texts[i]));

		CHECK_INT(rc, 1);
		if (rc != 1)
			fprintf(stderr, "  taken: %s\n", texts[i]);
	}
	/* a value other than an object: taken, for the caller to refuse */
	CHECK_INT(m365f__jdoc_parse(d, " 1 ", 3), 0);
	CHECK_INT(m365f__jt_type(d, 0), M365F__JT_NUMBER);
	CHECK_INT(m365f__jdoc_parse(d, "null", 4), 0);
	CHECK_INT(m365f__jt_type(d, 0), M365F__JT_NULL);
	m365f__jdoc_free(d);
}

/* Nesting below cJSON's limit of 1000 is taken to 512 levels; members
 * past the first token array are read as well. */
static void test_sizes(void)
{
	m365f__buf b;
	m365f__jdoc *d = m365f__jdoc_new();
	int i;

	CHECK(d != NULL);
	if (!d)
		return;
	m365f__buf_init(&b, 0);
	for (i = 0; i < 400; i++)
		m365f__buf_append(&b, "[", 1);
	for (i = 0; i < 400; i++)
		m365f__buf_append(&b, "]", 1);
	same_hash(m365f__buf_cstr(&b));
	m365f__buf_reset(&b);
	for (i = 0; i < 600; i++)
		m365f__buf_append(&b, "{\"a\":", 5);
	m365f__buf_append(&b, "1", 1);
	for (i = 0; i < 600; i++)
		m365f__buf_append(&b, "}", 1);
	CHECK_INT(m365f__jdoc_parse(d, b.data, b.len), 1);
	/* many members, in reverse order and with repeated keys: the sort
	 * of large objects */
	m365f__buf_reset(&b);
	m365f__buf_append(&b, "{", 1);
	for (i = 5000; i > 0; i--)
		m365f__buf_printf(&b, "%s\"k%d\":[%d,\"v\"]", i < 5000 ? "," : "",
				  i % 700, i);
	m365f__buf_append(&b, "}", 1);
	same_hash(m365f__buf_cstr(&b));
	m365f__buf_free(&b);
	m365f__jdoc_free(d);
}

static void test_values(void)
{
	static const char text[] =
		"{\"s\":\"a\\u00e9\\ud83d\\ude00b\",\"n\":-0,\"i\":42,"
		"\"big\":3000000000,\"f\":1.5,\"e\":1e400,\"t\":true,\"z\":null,"
		"\"o\":{ \"x\" : [1, 2.50] },\"nul\":\"ab\\u0000cd\","
		"\"K\":\"upper\",\"k\":\"lower\",\"Up\":\"U\",\"neg\":-7}";
	static const char *const keys[] = { "s", "K", "up", "missing" };
	static const unsigned char lens[] = { 1, 1, 2, 7 };
	m365f__jdoc *d = m365f__jdoc_new();
	m365f__strpool pool;
	int out[4], v;
	double num = 0;
	size_t n;

	memset(&pool, 0, sizeof(pool));
	CHECK(d != NULL);
	if (!d)
		return;
	CHECK_RC(m365f__jdoc_parse(d, text, sizeof(text) - 1), 0);
	CHECK_INT(m365f__jt_type(d, 0), M365F__JT_OBJECT);
	CHECK_STR(m365f__jt_str(d, &pool, m365f__jt_get(d, 0, "s")),
		  "a\xc3\xa9\xf0\x9f\x98\x80"
		  "b");
	CHECK_STR(m365f__jt_text(d, &pool, m365f__jt_get(d, 0, "n")), "-0");
	CHECK_STR(m365f__jt_text(d, &pool, m365f__jt_get(d, 0, "i")), "42");
	CHECK_STR(m365f__jt_text(d, &pool, m365f__jt_get(d, 0, "f")),
		  "1.5");
	CHECK_STR(m365f__jt_text(d, &pool, m365f__jt_get(d, 0, "e")),
		  "inf");
	CHECK_STR(m365f__jt_text(d, &pool, m365f__jt_get(d, 0, "t")),
		  "true");
	CHECK(m365f__jt_text(d, &pool, m365f__jt_get(d, 0, "z")) == NULL);
	CHECK_STR(m365f__jt_text(d, &pool, m365f__jt_get(d, 0, "o")),
		  "{\"x\":[1,2.5]}");
	CHECK_STR(m365f__jt_json(d, &pool, m365f__jt_get(d, 0, "big")),
		  "3000000000");
	CHECK_STR(m365f__jt_json(d, &pool, m365f__jt_get(d, 0, "f")), "1.5");
	CHECK_STR(m365f__jt_str(d, &pool, m365f__jt_get(d, 0, "nul")), "ab");
	CHECK_INT(m365f__jt_int(d, m365f__jt_get(d, 0, "big")), INT_MAX);
	CHECK_INT(m365f__jt_int(d, m365f__jt_get(d, 0, "neg")), -7);
	CHECK_INT(m365f__jt_double(d, m365f__jt_get(d, 0, "neg"), &num), 0);
	CHECK(num == -7.0);
	CHECK_INT(m365f__jt_double(d, m365f__jt_get(d, 0, "s"), &num), -1);
	CHECK(m365f__jt_str(d, &pool, m365f__jt_get(d, 0, "i")) == NULL);
	/* exact key first, then any case; the first of several */
	CHECK_STR(m365f__jt_str(d, &pool, m365f__jt_get(d, 0, "k")), "lower");
	CHECK_STR(m365f__jt_str(d, &pool, m365f__jt_get(d, 0, "UP")), "U");
	CHECK_INT(m365f__jt_get(d, 0, "nothing"), -1);
	m365f__jt_index(d, 0, keys, lens, 4, out);
	CHECK_STR(m365f__jt_str(d, &pool, out[1]), "upper");
	CHECK_STR(m365f__jt_str(d, &pool, out[2]), "U");
	CHECK_INT(out[3], -1);
	/* members in order, with their keys */
	v = m365f__jt_first(d, 0);
	CHECK(!strncmp(m365f__jt_key(d, v, &n), "s", 1));
	CHECK_INT(n, 1);
	v = m365f__jt_after(d, 0, m365f__jt_get(d, 0, "o"));
	CHECK(!strncmp(m365f__jt_key(d, v, &n), "nul", 3));
	CHECK_INT(n, 3);
	v = m365f__jt_get(d, 0, "o");
	v = m365f__jt_first(d, v);
	CHECK_INT(m365f__jt_type(d, v), M365F__JT_ARRAY);
	CHECK_INT(m365f__jt_type(d, m365f__jt_first(d, v)), M365F__JT_NUMBER);
	CHECK_INT(m365f__jt_after(d, v, m365f__jt_after(d, v,
						       m365f__jt_first(d, v))),
		  -1);
	CHECK_INT(m365f__jt_first(d, m365f__jt_get(d, 0, "s")), -1);
	m365f__strpool_free(&pool);
	m365f__jdoc_free(d);
}

/* Every record of the sample AuditData export. */
static void test_records(void)
{
	FILE *fp = fopen(TESTDATA_DIR "/ual/auditdata.jsonl", "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int records = 0;

	CHECK(fp != NULL);
	if (!fp)
		return;
	while ((n = getline(&line, &cap, fp)) > 0) {
		if (line[0] != '{')
			continue;
		same_hash(line);
		records++;
	}
	CHECK(records >= 10);
	free(line);
	fclose(fp);
}

/* The format of a record is the same whether decided on the whole tree
 * or on the tree of its top-level members: every JSON-lines record of
 * testdata/ (all products). */
static int members_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	m365f__jdoc *d = m365f__jdoc_new();
	m365f__strpool pool;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int records = 0;

	memset(&pool, 0, sizeof(pool));
	CHECK(fp && d);
	while (fp && d && (n = getline(&line, &cap, fp)) > 0) {
		cJSON *full = m365f__json_parse(line, (size_t)n,
						M365F__JSON_BIGINT, NULL, NULL);
		cJSON *top;

		if (!cJSON_IsObject(full) ||
		    m365f__jdoc_parse(d, line, (size_t)n) != 0 ||
		    m365f__jdoc_long_ints(d)) {
			cJSON_Delete(full);
			continue;
		}
		top = m365f__jdoc_members(d, &pool);
		CHECK(top != NULL);
		CHECK_INT(cJSON_GetArraySize(top), cJSON_GetArraySize(full));
		CHECK(m365f__json_format_for(top) ==
		      m365f__json_format_for(full));
		if (m365f__json_format_for(top) != m365f__json_format_for(full))
			fprintf(stderr, "  %s: %s", path, line);
		cJSON_Delete(top);
		cJSON_Delete(full);
		m365f__strpool_reset(&pool);
		records++;
	}
	free(line);
	if (fp)
		fclose(fp);
	m365f__strpool_free(&pool);
	m365f__jdoc_free(d);
	return records;
}

static int members_walk(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char path[1024];
	int records = 0;

	if (!dp)
		return 0;
	while ((e = readdir(dp)) != NULL) {
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (len > 6 && !strcmp(e->d_name + len - 6, ".jsonl"))
			records += members_file(path);
		else if (!strchr(e->d_name, '.'))
			records += members_walk(path);
	}
	closedir(dp);
	return records;
}

static void test_members(void)
{
	CHECK(members_walk(TESTDATA_DIR) >= 100);
}

/* The JSON reader quotes integers of more than 15 digits (rule identities
 * stay exact), never the digits of an exponent or a fraction. */
static void test_bigints(void)
{
	static const char text[] =
		"{\"a\":1e4002345602374567,\"b\":-12345678901234567,"
		"\"c\":1.2345678901234567e5,\"d\":0.12345678901234567,"
		"\"e\":\"12345678901234567\",\"f\":123456789012345}";
	cJSON *j = m365f__json_parse(text, sizeof(text) - 1, M365F__JSON_BIGINT,
				     NULL, NULL);
	m365f__jdoc *d = m365f__jdoc_new();

	CHECK(j != NULL);
	CHECK(cJSON_IsNumber(cJSON_GetObjectItem(j, "a")));
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "b")),
		  "-12345678901234567");
	CHECK(cJSON_IsNumber(cJSON_GetObjectItem(j, "c")));
	CHECK(cJSON_IsNumber(cJSON_GetObjectItem(j, "d")));
	CHECK(cJSON_IsString(cJSON_GetObjectItem(j, "e")));
	CHECK(cJSON_IsNumber(cJSON_GetObjectItem(j, "f")));
	/* the token reader sees the same: b is the one long integer */
	CHECK(d != NULL);
	CHECK_RC(m365f__jdoc_parse(d, text, sizeof(text) - 1), 0);
	CHECK(m365f__jdoc_long_ints(d));
	CHECK_RC(m365f__jdoc_parse(d, "{\"a\":1e4002345602374567}", 25), 0);
	CHECK(!m365f__jdoc_long_ints(d));
	cJSON_Delete(j);
	m365f__jdoc_free(d);
}

int main(void)
{
	test_taken();
	test_canonical();
	test_refused();
	test_sizes();
	test_values();
	test_records();
	test_members();
	test_bigints();
	TEST_DONE();
}
