/* SPDX-License-Identifier: MIT */
/*
 * pipeline.c - batches of serialized work handed between two threads in
 * order. In a consuming pipe the calling thread fills batches and a worker
 * thread consumes them (the store); in a producing pipe a worker thread
 * fills them (the CSV tokenizer) and the calling thread takes them one at
 * a time. Memory is bounded by the queue depth times the batch size.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "m365f-private.h"

#define QDEPTH 4                  /* batches in flight */
#define BATCH_BYTES (512u << 10)  /* hand a batch over once this full */

struct m365f__pipe {
	m365f__pipe_fn fn;            /* consuming: called per batch */
	m365f__pipe_produce_fn produce; /* producing: runs on the worker */
	void *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	m365f__buf *ring[QDEPTH];     /* batches waiting, FIFO */
	size_t head, count;
	m365f__buf *spare[QDEPTH + 1]; /* empty batches to reuse */
	size_t nspare;
	m365f__buf *cur;              /* being filled by the producer */
	m365f__buf *taken;            /* producing: held by the caller */
	bool busy;                    /* the worker is consuming a batch */
	bool stop;                    /* no more batches will be handed over
	                               * (consuming) or taken (producing) */
	bool done;                    /* producing: the producer returned */
	int rc;                       /* first error of the worker */
};

/* A batch back to the spares; one that held a huge record gives its
 * memory back. Called with the lock held. */
static void give_back(m365f__pipe *p, m365f__buf *b)
{
	if (b->cap > 4 * BATCH_BYTES)
		m365f__buf_free(b);
	else
		m365f__buf_reset(b);
	p->spare[p->nspare++] = b;
	pthread_cond_broadcast(&p->cv);
}

static m365f__buf *pop(m365f__pipe *p)
{
	m365f__buf *b = p->ring[p->head];

	p->head = (p->head + 1) % QDEPTH;
	p->count--;
	pthread_cond_broadcast(&p->cv);
	return b;
}

static void *consumer(void *arg)
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
		b = pop(p);
		p->busy = true;
		rc = p->rc;
		pthread_mutex_unlock(&p->mu);
		/* after an error the rest is dropped: the source is rolled
		 * back as a whole */
		if (!rc)
			rc = p->fn(p->ctx, b->data ? b->data : "", b->len);
		pthread_mutex_lock(&p->mu);
		if (rc && !p->rc)
			p->rc = rc;
		give_back(p, b);
		p->busy = false;
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Queue the current batch (if not empty) and take an empty one. */
static int hand_over(m365f__pipe *p)
{
	int rc;

	pthread_mutex_lock(&p->mu);
	if (p->cur->len) {
		/* a producer whose caller stopped taking batches stops too */
		while ((p->count == QDEPTH || !p->nspare) &&
		       !(p->produce && p->stop))
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->produce && p->stop) {
			pthread_mutex_unlock(&p->mu);
			return M365F_ERROR;
		}
		p->ring[(p->head + p->count) % QDEPTH] = p->cur;
		p->count++;
		p->cur = p->spare[--p->nspare];
		pthread_cond_broadcast(&p->cv);
	}
	rc = p->produce && p->stop ? M365F_ERROR : p->rc;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static void *producer(void *arg)
{
	m365f__pipe *p = arg;

	p->produce(p->ctx, p);
	hand_over(p);
	pthread_mutex_lock(&p->mu);
	p->done = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static int start(m365f__pipe **out, m365f__pipe_fn fn,
		 m365f__pipe_produce_fn produce, void *ctx)
{
	m365f__pipe *p = calloc(1, sizeof(*p));
	size_t i;

	*out = NULL;
	if (!p)
		return M365F_ENOMEM;
	p->fn = fn;
	p->produce = produce;
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
	if (pthread_create(&p->thread, NULL, produce ? producer : consumer,
			   p)) {
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

int m365f__pipe_start(m365f__pipe **out, m365f__pipe_fn fn, void *ctx)
{
	return start(out, fn, NULL, ctx);
}

int m365f__pipe_start_producer(m365f__pipe **out,
			       m365f__pipe_produce_fn produce, void *ctx)
{
	return start(out, NULL, produce, ctx);
}

m365f__buf *m365f__pipe_buf(m365f__pipe *p)
{
	return p->cur;
}

int m365f__pipe_commit(m365f__pipe *p)
{
	int rc;

	if (p->cur->len < BATCH_BYTES) {
		pthread_mutex_lock(&p->mu);
		rc = p->produce && p->stop ? M365F_ERROR : p->rc;
		pthread_mutex_unlock(&p->mu);
		return rc;
	}
	return hand_over(p);
}

int m365f__pipe_next(m365f__pipe *p, const char **data, size_t *len)
{
	pthread_mutex_lock(&p->mu);
	if (p->taken) {
		give_back(p, p->taken);
		p->taken = NULL;
	}
	while (!p->count && !p->done)
		pthread_cond_wait(&p->cv, &p->mu);
	*data = NULL;
	*len = 0;
	if (p->count) {
		p->taken = pop(p);
		*data = p->taken->data;
		*len = p->taken->len;
	}
	pthread_mutex_unlock(&p->mu);
	return M365F_OK;
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

static void free_buf(m365f__buf *b)
{
	if (b) {
		m365f__buf_free(b);
		free(b);
	}
}

int m365f__pipe_free(m365f__pipe *p)
{
	int rc = M365F_OK;
	size_t i;

	if (!p)
		return M365F_OK;
	if (!p->produce)
		rc = m365f__pipe_flush(p);
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free_buf(p->cur);
	free_buf(p->taken);
	for (i = 0; i < p->count; i++)
		free_buf(p->ring[(p->head + i) % QDEPTH]);
	for (i = 0; i < p->nspare; i++)
		free_buf(p->spare[i]);
	free(p);
	return rc;
}
