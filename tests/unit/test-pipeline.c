/* SPDX-License-Identifier: MIT */
/* test-pipeline.c - batches handed between two threads: a consuming
 * worker sees every item in order and its first error reaches the caller,
 * which stops; a producing worker's items reach the caller in order, and
 * a caller that stops taking them stops the worker instead of hanging. */
#include "test.h"

#include "m365f-private.h"

#define ITEMS 1000000u

typedef struct {
	uint64_t next;      /* the item expected next */
	uint64_t fail_at;   /* fail when this item comes (0: never) */
	int out_of_order;
} consumer;

static int consume(void *ctx, const char *data, size_t len)
{
	consumer *c = ctx;
	const char *p = data, *end = data + len;

	while (p < end) {
		uint64_t v = m365f__get_u64(&p);

		if (v != c->next)
			c->out_of_order++;
		c->next = v + 1;
		if (c->fail_at && v == c->fail_at)
			return M365F_EDB;
	}
	return M365F_OK;
}

/* Hand items 0..n-1 over one at a time; returns the first error seen. */
static int feed(m365f__pipe *p, uint64_t n)
{
	uint64_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (m365f__put_u64(m365f__pipe_buf(p), i))
			return M365F_ENOMEM;
		rc = m365f__pipe_commit(p);
		if (rc)
			return rc;
	}
	return M365F_OK;
}

static void test_consume_in_order(void)
{
	consumer c = { 0, 0, 0 };
	m365f__pipe *p;

	CHECK_RC(m365f__pipe_start(&p, consume, &c), M365F_OK);
	CHECK_RC(feed(p, ITEMS), M365F_OK);
	CHECK_RC(m365f__pipe_flush(p), M365F_OK);
	CHECK_INT(c.next, ITEMS); /* flush waited for every item */
	CHECK_RC(m365f__pipe_free(p), M365F_OK);
	CHECK_INT(c.out_of_order, 0);
}

static void test_consume_error_stops(void)
{
	consumer c = { 0, 5000, 0 };
	m365f__pipe *p;

	CHECK_RC(m365f__pipe_start(&p, consume, &c), M365F_OK);
	/* the caller learns of the error at a later commit and stops */
	CHECK_RC(feed(p, ITEMS), M365F_EDB);
	CHECK_RC(m365f__pipe_free(p), M365F_EDB);
	/* nothing after the failing item was consumed */
	CHECK_INT(c.next, 5001);
	CHECK_INT(c.out_of_order, 0);
}

typedef struct {
	uint64_t n;         /* items to produce */
	uint64_t made;
	int stopped;        /* a commit told the producer to stop */
} producer;

static void produce(void *ctx, m365f__pipe *p)
{
	producer *x = ctx;

	for (; x->made < x->n; x->made++) {
		if (m365f__put_u64(m365f__pipe_buf(p), x->made))
			return;
		if (m365f__pipe_commit(p)) {
			x->stopped = 1;
			return;
		}
	}
}

static void test_produce_in_order(void)
{
	producer x = { ITEMS, 0, 0 };
	m365f__pipe *p;
	const char *data;
	size_t len;
	uint64_t want = 0;
	int out_of_order = 0, batches = 0;

	CHECK_RC(m365f__pipe_start_producer(&p, produce, &x), M365F_OK);
	for (;;) {
		const char *q, *end;

		CHECK_RC(m365f__pipe_next(p, &data, &len), M365F_OK);
		if (!len)
			break;
		batches++;
		for (q = data, end = data + len; q < end;)
			if (m365f__get_u64(&q) != want++)
				out_of_order++;
	}
	CHECK_RC(m365f__pipe_free(p), M365F_OK);
	CHECK_INT(want, ITEMS);
	CHECK_INT(out_of_order, 0);
	CHECK(batches > 1); /* 8 MB of items: several batches */
	CHECK_INT(x.stopped, 0);
}

static void test_produce_stopped_by_caller(void)
{
	producer x = { (uint64_t)1 << 40, 0, 0 };
	m365f__pipe *p;
	const char *data;
	size_t len;

	CHECK_RC(m365f__pipe_start_producer(&p, produce, &x), M365F_OK);
	CHECK_RC(m365f__pipe_next(p, &data, &len), M365F_OK);
	CHECK(len > 0);
	/* the caller stops after one batch: the worker, waiting for room
	 * or still producing, stops at its next commit */
	CHECK_RC(m365f__pipe_free(p), M365F_OK);
	CHECK_INT(x.stopped, 1);
	CHECK(x.made < x.n);
}

int main(void)
{
	test_consume_in_order();
	test_consume_error_stops();
	test_produce_in_order();
	test_produce_stopped_by_caller();
	TEST_DONE();
}
