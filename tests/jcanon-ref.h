/* SPDX-License-Identifier: MIT */
/*
 * jcanon-ref.h - the canonical content hash as the case defines it,
 * computed the plain way from a cJSON tree: the reference the token
 * reader (libm365forensics/jtok.c) is held to. A case keeps these hashes,
 * so a change of form would stop new evidence from deduplicating against
 * what a case already holds.
 *
 * Form: a string is "s<len>:" and its bytes (decoded, up to a NUL); a
 * number "n%.0f;" when it is an integer under 9e15, else "n%.17g;"; true
 * "t", false "f", null "z"; an array "[" members "]"; an object "{" then
 * for each member in strcmp() order of keys (equal keys as written)
 * "k<len>:" key and value, then "}". The hash is the first 64 bits of its
 * SHA-256, big-endian, top bit cleared, 0 made 1.
 */
#ifndef M365F_JCANON_REF_H
#define M365F_JCANON_REF_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <nettle/sha2.h>

static void ref_put(struct sha256_ctx *h, const char *s, size_t n)
{
	sha256_update(h, n, (const uint8_t *)s);
}

static void ref_canon(struct sha256_ctx *h, const cJSON *j)
{
	char tmp[64];

	if (cJSON_IsString(j)) {
		snprintf(tmp, sizeof(tmp), "s%zu:", strlen(j->valuestring));
		ref_put(h, tmp, strlen(tmp));
		ref_put(h, j->valuestring, strlen(j->valuestring));
	} else if (cJSON_IsNumber(j)) {
		double d = j->valuedouble;

		if (d == floor(d) && fabs(d) < 9e15)
			snprintf(tmp, sizeof(tmp), "n%.0f;", d);
		else
			snprintf(tmp, sizeof(tmp), "n%.17g;", d);
		ref_put(h, tmp, strlen(tmp));
	} else if (cJSON_IsTrue(j)) {
		ref_put(h, "t", 1);
	} else if (cJSON_IsFalse(j)) {
		ref_put(h, "f", 1);
	} else if (cJSON_IsNull(j)) {
		ref_put(h, "z", 1);
	} else if (cJSON_IsArray(j)) {
		const cJSON *c;

		ref_put(h, "[", 1);
		cJSON_ArrayForEach(c, j)
			ref_canon(h, c);
		ref_put(h, "]", 1);
	} else if (cJSON_IsObject(j)) {
		const cJSON *c, **m;
		int n = cJSON_GetArraySize(j), i, k;

		m = calloc((size_t)n + 1, sizeof(*m));
		if (!m)
			abort();
		i = 0;
		cJSON_ArrayForEach(c, j) {
			/* a stable insertion */
			for (k = i; k > 0 && strcmp(m[k - 1]->string, c->string) > 0;
			     k--)
				m[k] = m[k - 1];
			m[k] = c;
			i++;
		}
		ref_put(h, "{", 1);
		for (i = 0; i < n; i++) {
			snprintf(tmp, sizeof(tmp), "k%zu:", strlen(m[i]->string));
			ref_put(h, tmp, strlen(tmp));
			ref_put(h, m[i]->string, strlen(m[i]->string));
			ref_canon(h, m[i]);
		}
		ref_put(h, "}", 1);
		free(m);
	}
}

static int64_t ref_hash(const cJSON *j)
{
	struct sha256_ctx h;
	uint8_t d[SHA256_DIGEST_SIZE];
	uint64_t v = 0;
	int i;

	sha256_init(&h);
	ref_canon(&h, j);
	sha256_digest(&h, sizeof(d), d);
	for (i = 0; i < 8; i++)
		v = (v << 8) | d[i];
	v &= 0x7fffffffffffffffULL;
	return v ? (int64_t)v : 1;
}

#endif
