// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The password check workers (see pwpool.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "pwpool.h"

struct pw_job {
	struct pw_job *next;		/* queue, or list of all jobs */
	struct pw_pool *pool;
	uint32_t addr;
	char *pw, *seed, *hash;
	unsigned int dummy_iterations;
	enum pp_pw_result result;
	char why[256];
	bool cancelled;
	struct event *ev;		/* activated by the worker when done */
	pw_done_fn done;
	void *arg;
};

struct pw_pool {
	struct event_base *base;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct pw_job *head, *tail;	/* waiting (under lock) */
	unsigned int pending;		/* waiting + running + not delivered */
	unsigned int queue_max, per_addr;
	unsigned int nthreads;
	pthread_t *threads;
	bool stopping;
	struct pw_job **all;		/* pending jobs, on the loop's side */
	unsigned long checks, refused;
};

static void *worker(void *arg)
{
	struct pw_pool *p = arg;

	for (;;) {
		struct pw_job *j;

		pthread_mutex_lock(&p->lock);
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->stopping) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		j = p->head;
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);

		j->result = pp_pw_check(j->pw, j->seed, j->hash, j->dummy_iterations,
					j->why, sizeof(j->why));
		event_active(j->ev, EV_READ, 0);	/* back to the loop */
	}
}

struct pw_pool *pw_pool_new(struct event_base *base, unsigned int threads,
			    unsigned int queue_max, unsigned int per_addr)
{
	struct pw_pool *p = calloc(1, sizeof(*p));
	unsigned int i;

	if (!p)
		return NULL;
	p->base = base;
	p->queue_max = queue_max;
	p->per_addr = per_addr;
	p->all = calloc(queue_max, sizeof(*p->all));
	p->threads = calloc(threads, sizeof(*p->threads));
	if (!p->all || !p->threads || pthread_mutex_init(&p->lock, NULL)) {
		free(p->all);
		free(p->threads);
		free(p);
		return NULL;
	}
	pthread_cond_init(&p->cond, NULL);
	for (i = 0; i < threads; i++) {
		if (pthread_create(&p->threads[i], NULL, worker, p))
			break;
		p->nthreads++;
	}
	if (!p->nthreads) {
		pw_pool_free(p);
		return NULL;
	}
	return p;
}

static void job_free(struct pw_job *j)
{
	struct pw_pool *p = j->pool;
	unsigned int i;

	for (i = 0; i < p->queue_max; i++)
		if (p->all[i] == j)
			p->all[i] = NULL;
	p->pending--;
	if (j->pw) {
		OPENSSL_cleanse(j->pw, strlen(j->pw));
		free(j->pw);
	}
	free(j->seed);
	free(j->hash);
	if (j->ev)
		event_free(j->ev);
	free(j);
}

void pw_pool_free(struct pw_pool *p)
{
	unsigned int i;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	for (i = 0; i < p->queue_max; i++)
		if (p->all[i])
			job_free(p->all[i]);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p->all);
	free(p->threads);
	free(p);
}

static void on_done(evutil_socket_t fd, short what, void *arg)
{
	struct pw_job *j = arg;

	(void)fd;
	(void)what;
	j->pool->checks++;
	if (!j->cancelled)
		j->done(j, j->result, j->why, j->arg);
	job_free(j);
}

static char *dup_or_null(const char *s, bool *fail)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*fail = true;
	return d;
}

struct pw_job *pw_pool_submit(struct pw_pool *p, uint32_t addr, const char *pw,
			      const char *seed, const char *hash,
			      unsigned int dummy_iterations, pw_done_fn done,
			      void *arg)
{
	unsigned int i, mine = 0, slot = p->queue_max;
	struct pw_job *j;
	bool fail = false;

	for (i = 0; i < p->queue_max; i++) {
		if (!p->all[i])
			slot = slot == p->queue_max ? i : slot;
		else if (p->all[i]->addr == addr)
			mine++;
	}
	if (slot == p->queue_max || mine >= p->per_addr) {
		p->refused++;
		errno = EBUSY;
		return NULL;
	}
	j = calloc(1, sizeof(*j));
	if (!j) {
		errno = ENOMEM;
		return NULL;
	}
	j->pool = p;
	j->addr = addr;
	j->pw = dup_or_null(pw, &fail);
	j->seed = dup_or_null(seed, &fail);
	j->hash = dup_or_null(hash, &fail);
	j->dummy_iterations = dummy_iterations;
	j->done = done;
	j->arg = arg;
	j->ev = event_new(p->base, -1, 0, on_done, j);
	p->all[slot] = j;
	p->pending++;
	if (fail || !j->ev || !j->pw) {
		job_free(j);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_lock(&p->lock);
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	return j;
}

void pw_job_cancel(struct pw_job *job)
{
	job->cancelled = true;
}

void pw_pool_stats(struct pw_pool *p, struct pw_pool_stats *s)
{
	s->checks = p->checks;
	s->refused = p->refused;
	s->pending = p->pending;
}
