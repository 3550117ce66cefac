/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Password checks off the event loop (issue 12, item 7): a PBKDF2 of
 * 600,000 iterations takes ~0.3 s of CPU; on the libevent loop a few
 * logins would stall every other client. A few worker threads take the
 * checks from a bounded queue; each result comes back to the loop by
 * event_active() on the job's own event (libevent's evthread support:
 * the base must be made after evthread_use_pthreads()). A full queue, or
 * an address that already has its share of checks in progress, is
 * refused at once (the caller answers 503) rather than queued: the queue
 * bounds the wait of everyone else.
 */
#ifndef PP_HTTPD_PWPOOL_H
#define PP_HTTPD_PWPOOL_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "password.h"

#define PP_PWPOOL_THREADS	2
#define PP_PWPOOL_QUEUE		32	/* jobs waiting or running */
#define PP_PWPOOL_PER_ADDR	1	/* of them from one address */

struct pw_job;
typedef void (*pw_done_fn)(struct pw_job *job, enum pp_pw_result r,
			   const char *why, void *arg);

struct pw_pool;

struct pw_pool *pw_pool_new(struct event_base *base, unsigned int threads,
			    unsigned int queue_max, unsigned int per_addr);
/* Stops the threads; jobs not finished are dropped without callback. */
void pw_pool_free(struct pw_pool *p);

/*
 * Check pw against seed and hash (either may be NULL: no such account)
 * at the same cost whatever the account (pp_pw_check()). done(job, r,
 * why, arg) runs on the loop. Returns the job, or NULL when the queue is
 * full, the address has PP_PWPOOL_PER_ADDR checks in progress, or memory
 * is short (errno EBUSY or ENOMEM).
 */
struct pw_job *pw_pool_submit(struct pw_pool *p, uint32_t addr, const char *pw,
			      const char *seed, const char *hash,
			      unsigned int dummy_iterations, pw_done_fn done,
			      void *arg);
/* The requester is gone: the result is dropped (no callback). */
void pw_job_cancel(struct pw_job *job);

struct pw_pool_stats {
	unsigned long checks;		/* done */
	unsigned long refused;		/* queue or address share full */
	unsigned int pending;		/* now */
};
void pw_pool_stats(struct pw_pool *p, struct pw_pool_stats *s);

#endif /* PP_HTTPD_PWPOOL_H */
