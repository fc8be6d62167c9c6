/* SPDX-License-Identifier: MIT */
/*
 * fuzz-jtok.c - the token reader of audit records against cJSON, line by
 * line and whole: what the token reader takes, cJSON must read, with the
 * same canonical hash (tests/jcanon-ref.h) and the same format chosen
 * from its top-level members as from the whole tree, and the same text
 * of every member as read from cJSON's printed tree; what cJSON reads
 * must come back through the tokens of its printed tree with that hash
 * too. Any difference aborts.
 */
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"
#include "../jcanon-ref.h"
#include "fuzz.h"

static m365f__jdoc *doc, *doc2;
static m365f__strpool pool;

/* The members of an object read from the text and from the text cJSON
 * prints for it: the same keys, and the same text of every value. */
static void same_members(m365f__jdoc *a, m365f__jdoc *b)
{
	int va = m365f__jt_first(a, 0), vb = m365f__jt_first(b, 0);

	for (; va >= 0 && vb >= 0; va = m365f__jt_after(a, 0, va),
				   vb = m365f__jt_after(b, 0, vb)) {
		size_t la, lb;
		const char *ka = m365f__jt_key(a, va, &la);
		const char *kb = m365f__jt_key(b, vb, &lb);
		const char *ta = m365f__jt_text(a, &pool, va);
		const char *tb = m365f__jt_text(b, &pool, vb);

		if (!ka || !kb || la != lb || memcmp(ka, kb, la) ||
		    !ta != !tb || (ta && strcmp(ta, tb)))
			abort();
	}
	if (va >= 0 || vb >= 0)
		abort();
	m365f__strpool_reset(&pool);
}

static void one(const char *s, size_t n)
{
	cJSON *j = m365f__json_parse(s, n, 0, NULL, NULL);
	int r = m365f__jdoc_parse(doc, s, n);
	int64_t h = 0;

	if (r < 0 && r != M365F_ELIMIT)
		abort(); /* out of memory in a fuzz run: say so */
	if (r == 0) {
		if (!j || m365f__jt_hash(doc, 0, &h) || h != ref_hash(j))
			abort();
		/* the JSON reader's format choice on the top-level members */
		if (m365f__jt_type(doc, 0) == M365F__JT_OBJECT &&
		    !m365f__jdoc_long_ints(doc)) {
			cJSON *top = m365f__jdoc_members(doc, &pool);
			cJSON *big = m365f__json_parse(s, n, M365F__JSON_BIGINT,
						       NULL, NULL);

			if (!top || !big ||
			    m365f__json_format_for(top) !=
				    m365f__json_format_for(big))
				abort();
			cJSON_Delete(top);
			cJSON_Delete(big);
			m365f__strpool_reset(&pool);
			if (m365f__jdoc_from_cjson(doc2, j) == 0)
				same_members(doc, doc2);
		}
	}
	/* trees of objects and arrays: what the normalizer hands over */
	if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
		r = m365f__jdoc_from_cjson(doc, j);
		if (r != M365F_ELIMIT &&
		    (r || m365f__jt_hash(doc, 0, &h) || h != ref_hash(j)))
			abort();
	}
	cJSON_Delete(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl;
	size_t off = 0;

	if ((!doc && !(doc = m365f__jdoc_new())) ||
	    (!doc2 && !(doc2 = m365f__jdoc_new())))
		abort();
	if (size > ((size_t)8 << 20))
		return 0;
	one(s, size);
	while (off < size &&
	       (nl = memchr(s + off, '\n', size - off)) != NULL) {
		one(s + off, (size_t)(nl - (s + off)));
		off = (size_t)(nl - s) + 1;
	}
	return 0;
}
