/* SPDX-License-Identifier: MIT */
/* test-writer.c - the row writers: aligned text, JSON lines with typed
 * values, CSV with one header, Markdown; format names; write errors. */
#include "m365f-private.h"
#include "test.h"

static const char *const names[] = { "id", "user", "note" };

/* Write rows of (id, user, note) in a format; returns the output (caller
 * frees). A NULL user is SQL NULL. */
static char *render(int format, unsigned int flags, const char *const *users,
		    const char *const *notes, size_t nrows)
{
	char *out = NULL;
	size_t len = 0, r;
	FILE *fp = open_memstream(&out, &len);
	m365f_writer *w = NULL;
	m365f_error err;

	if (!fp)
		return NULL;
	CHECK_RC(m365f_writer_new(&w, fp, format, flags, &err), M365F_OK);
	for (r = 0; r < nrows && w; r++) {
		char id[24];
		const char *values[3];
		size_t lens[3];
		int types[3] = { M365F_TYPE_INTEGER, M365F_TYPE_TEXT,
				 M365F_TYPE_TEXT };
		m365f_row row = { 3, names, values, lens, types };

		snprintf(id, sizeof(id), "%zu", r + 1);
		values[0] = id;
		values[1] = users[r];
		values[2] = notes[r];
		lens[0] = strlen(id);
		lens[1] = users[r] ? strlen(users[r]) : 0;
		lens[2] = strlen(notes[r]);
		if (!users[r])
			types[1] = M365F_TYPE_NULL;
		CHECK_RC(m365f_writer_row(&row, w), M365F_OK);
	}
	if (w)
		CHECK_RC(m365f_writer_finish(w), M365F_OK);
	m365f_writer_free(w);
	fclose(fp);
	return out;
}

static const char *const users[] = { "alice.nguyen@contoso-labs.com", NULL,
				     "ben" };
static const char *const notes[] = { "New-InboxRule", "a,\"b\"\nc",
				     "=cmd|' /C calc'!A0" };

static void test_text(void)
{
	char *o = render(M365F_FORMAT_TEXT, 0, users, notes, 3);

	/* columns padded to the widest cell, two spaces apart, no trailing
	 * blanks, line breaks shown as \n */
	CHECK_STR(o, "id  user                           note\n"
		     "1   alice.nguyen@contoso-labs.com  New-InboxRule\n"
		     "2                                  a,\"b\"\\nc\n"
		     "3   ben                            =cmd|' /C calc'!A0\n");
	free(o);
	o = render(M365F_FORMAT_TEXT, M365F_WRITER_NO_HEADER, users, notes, 1);
	CHECK_STR(o, "1  alice.nguyen@contoso-labs.com  New-InboxRule\n");
	free(o);
	/* nothing to write: nothing written */
	o = render(M365F_FORMAT_TEXT, 0, users, notes, 0);
	CHECK_STR(o, "");
	free(o);
}

static void test_jsonl(void)
{
	char *o = render(M365F_FORMAT_JSONL, 0, users, notes, 3);

	CHECK_STR(o, "{\"id\":1,\"user\":\"alice.nguyen@contoso-labs.com\","
		     "\"note\":\"New-InboxRule\"}\n"
		     "{\"id\":2,\"user\":null,\"note\":\"a,\\\"b\\\"\\nc\"}\n"
		     "{\"id\":3,\"user\":\"ben\",\"note\":\"=cmd|' /C "
		     "calc'!A0\"}\n");
	free(o);
}

static void test_csv(void)
{
	char *o = render(M365F_FORMAT_CSV, 0, users, notes, 3);

	CHECK_STR(o, "id,user,note\r\n"
		     "1,alice.nguyen@contoso-labs.com,New-InboxRule\r\n"
		     "2,,\"a,\"\"b\"\"\nc\"\r\n"
		     "3,ben,\"'=cmd|' /C calc'!A0\"\r\n");
	free(o);
	o = render(M365F_FORMAT_CSV, M365F_WRITER_NO_HEADER, users, notes, 1);
	CHECK_STR(o, "1,alice.nguyen@contoso-labs.com,New-InboxRule\r\n");
	free(o);
}

static void test_markdown(void)
{
	char *o = render(M365F_FORMAT_MARKDOWN, 0, users, notes, 2);

	CHECK_STR(o, "| id | user | note |\n|---|---|---|\n"
		     "| 1 | alice.nguyen@contoso-labs.com | New-InboxRule |\n"
		     "| 2 |  | a,\"b\"\\nc |\n");
	free(o);
}

static void test_names_and_errors(void)
{
	m365f_writer *w = NULL;
	m365f_error err;
	FILE *fp;

	CHECK_INT(m365f_format_from_name("text"), M365F_FORMAT_TEXT);
	CHECK_INT(m365f_format_from_name("json"), M365F_FORMAT_JSONL);
	CHECK_INT(m365f_format_from_name("jsonl"), M365F_FORMAT_JSONL);
	CHECK_INT(m365f_format_from_name("csv"), M365F_FORMAT_CSV);
	CHECK_INT(m365f_format_from_name("markdown"), M365F_FORMAT_MARKDOWN);
	CHECK_INT(m365f_format_from_name("xml"), -1);
	CHECK_INT(m365f_format_from_name(NULL), -1);
	CHECK_RC(m365f_writer_new(&w, stdout, 99, 0, &err), M365F_EINVAL);
	CHECK_RC(m365f_writer_new(&w, NULL, M365F_FORMAT_CSV, 0, &err),
		 M365F_EINVAL);
	m365f_writer_free(NULL);
	/* a stream that cannot be written: the error is reported */
	fp = fopen("/dev/full", "w");
	if (fp) {
		const char *v[3] = { "1", "u", "n" };
		size_t l[3] = { 1, 1, 1 };
		int ty[3] = { M365F_TYPE_INTEGER, M365F_TYPE_TEXT,
			      M365F_TYPE_TEXT };
		m365f_row row = { 3, names, v, l, ty };

		setvbuf(fp, NULL, _IONBF, 0);
		CHECK_RC(m365f_writer_new(&w, fp, M365F_FORMAT_JSONL, 0, &err),
			 M365F_OK);
		CHECK_RC(m365f_writer_row(&row, w), M365F_EIO);
		CHECK_RC(m365f_writer_finish(w), M365F_EIO);
		m365f_writer_free(w);
		fclose(fp);
	}
}

int main(void)
{
	test_text();
	test_jsonl();
	test_csv();
	test_markdown();
	test_names_and_errors();
	TEST_DONE();
}
