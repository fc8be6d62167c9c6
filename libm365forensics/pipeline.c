/* SPDX-License-Identifier: MIT */
/*
 * pipeline.c - a second thread for the store: the reading thread fills
 * batches of serialized work, a worker thread consumes them in order.
 * Memory is bounded by the queue depth times the batch size.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

#define QDEPTH 4                  /* batches in flight */
#define BATCH_BYTES (512u << 10)  /* hand a batch over once this full */

struct m365f__pipe {
	m365f__pipe_fn fn;
	void *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	m365f__buf *ring[QDEPTH];     /* batches waiting, FIFO */
	size_t head, count;
	m365f__buf *spare[QDEPTH + 1]; /* empty batches to reuse */
	size_t nspare;
	m365f__buf *cur;              /* being filled by the reader */
	bool busy;                    /* the worker is consuming a batch */
	bool stop;
	int rc;                       /* first error of the worker */
};

static void *worker(void *arg)
{
	m365f__pipe *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		m365f__buf *b;
		int rc;

		while (!p->count && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (!p->count)
			break;
		b = p->ring[p->head];
		p->head = (p->head + 1) % QDEPTH;
		p->count--;
		p->busy = true;
		rc = p->rc;
		pthread_mutex_unlock(&p->mu);
		/* after an error the rest is dropped: the source is rolled
		 * back as a whole */
		if (!rc)
			rc = p->fn(p->ctx, b->data ? b->data : "", b->len);
		/* a batch that held a huge record gives its memory back */
		if (b->cap > 4 * BATCH_BYTES)
			m365f__buf_free(b);
		else
			m365f__buf_reset(b);
		pthread_mutex_lock(&p->mu);
		if (rc && !p->rc)
			p->rc = rc;
		p->spare[p->nspare++] = b;
		p->busy = false;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int m365f__pipe_start(m365f__pipe **out, m365f__pipe_fn fn, void *ctx)
{
	m365f__pipe *p = calloc(1, sizeof(*p));
	size_t i;

	*out = NULL;
	if (!p)
		return M365F_ENOMEM;
	p->fn = fn;
	p->ctx = ctx;
	for (i = 0; i < QDEPTH + 1; i++) {
		p->spare[i] = calloc(1, sizeof(m365f__buf));
		if (!p->spare[i])
			goto fail;
		m365f__buf_init(p->spare[i], 0);
		p->nspare++;
	}
	if (pthread_mutex_init(&p->mu, NULL))
		goto fail;
	if (pthread_cond_init(&p->cv, NULL)) {
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	p->cur = p->spare[--p->nspare];
	if (pthread_create(&p->thread, NULL, worker, p)) {
		p->spare[p->nspare++] = p->cur;
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	*out = p;
	return M365F_OK;
fail:
	for (i = 0; i < p->nspare; i++)
		free(p->spare[i]);
	free(p);
	return M365F_ENOMEM;
}

m365f__buf *m365f__pipe_buf(m365f__pipe *p)
{
	return p->cur;
}

/* Queue the current batch (if not empty) and take an empty one. */
static int hand_over(m365f__pipe *p)
{
	int rc;

	pthread_mutex_lock(&p->mu);
	if (p->cur->len) {
		while (p->count == QDEPTH || !p->nspare)
			pthread_cond_wait(&p->cv, &p->mu);
		p->ring[(p->head + p->count) % QDEPTH] = p->cur;
		p->count++;
		p->cur = p->spare[--p->nspare];
		pthread_cond_broadcast(&p->cv);
	}
	rc = p->rc;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int m365f__pipe_commit(m365f__pipe *p)
{
	int rc;

	if (p->cur->len < BATCH_BYTES) {
		pthread_mutex_lock(&p->mu);
		rc = p->rc;
		pthread_mutex_unlock(&p->mu);
		return rc;
	}
	return hand_over(p);
}

int m365f__pipe_flush(m365f__pipe *p)
{
	int rc;

	hand_over(p);
	pthread_mutex_lock(&p->mu);
	while (p->count || p->busy)
		pthread_cond_wait(&p->cv, &p->mu);
	rc = p->rc;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int m365f__pipe_free(m365f__pipe *p)
{
	int rc;
	size_t i;

	if (!p)
		return M365F_OK;
	rc = m365f__pipe_flush(p);
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	m365f__buf_free(p->cur);
	free(p->cur);
	for (i = 0; i < p->nspare; i++) {
		m365f__buf_free(p->spare[i]);
		free(p->spare[i]);
	}
	free(p);
	return rc;
}
