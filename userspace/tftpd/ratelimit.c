// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Token buckets per source address. Tokens are counted in thousandths
 * so that low rates refill smoothly.
 */
#include <search.h>
#include <stdlib.h>

#include "ratelimit.h"

struct bucket {
	uint32_t addr;
	uint64_t milli;		/* tokens * 1000 */
	uint64_t last_ms;
};

static int cmp(const void *a, const void *b)
{
	const struct bucket *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

void ratelimit_init(struct ratelimit *rl, unsigned int rate, unsigned int burst)
{
	rl->root = NULL;
	rl->n = 0;
	rl->rate = rate ? rate : 1;
	rl->burst = burst ? burst : 1;
}

void ratelimit_fini(struct ratelimit *rl)
{
	tdestroy(rl->root, free);
	rl->root = NULL;
	rl->n = 0;
}

static void refill(const struct ratelimit *rl, struct bucket *b, uint64_t now)
{
	uint64_t cap = (uint64_t)rl->burst * 1000;

	if (now > b->last_ms) {
		uint64_t add = (now - b->last_ms) * rl->rate;	/* ms * tokens/s = milli */

		b->milli = b->milli + add > cap ? cap : b->milli + add;
		b->last_ms = now;
	}
}

bool ratelimit_take(struct ratelimit *rl, uint32_t addr, uint64_t now_ms)
{
	struct bucket key = { .addr = addr }, *b, **found;

	found = tfind(&key, &rl->root, cmp);
	if (found) {
		b = *found;
		refill(rl, b, now_ms);
	} else {
		b = malloc(sizeof(*b));
		if (!b)
			return false;
		b->addr = addr;
		b->milli = (uint64_t)rl->burst * 1000;
		b->last_ms = now_ms;
		found = tsearch(b, &rl->root, cmp);
		if (!found) {
			free(b);
			return false;
		}
		rl->n++;
	}
	if (b->milli < 1000)
		return false;
	b->milli -= 1000;
	return true;
}

/* twalk() has no context argument: the sweep's state, one at a time. */
static struct {
	const struct ratelimit *rl;
	uint64_t now;
	struct bucket **idle;
	size_t n, cap;
} sweep;

static void collect(const void *node, VISIT which, int depth)
{
	struct bucket *b = *(struct bucket *const *)node;

	(void)depth;
	if (which != postorder && which != leaf)
		return;
	refill(sweep.rl, b, sweep.now);
	if (b->milli < (uint64_t)sweep.rl->burst * 1000 || sweep.n == sweep.cap)
		return;
	sweep.idle[sweep.n++] = b;
}

size_t ratelimit_expire(struct ratelimit *rl, uint64_t now_ms)
{
	size_t i, n;

	if (!rl->n)
		return 0;
	sweep.rl = rl;
	sweep.now = now_ms;
	sweep.n = 0;
	sweep.cap = rl->n;
	sweep.idle = calloc(rl->n, sizeof(*sweep.idle));
	if (!sweep.idle)
		return 0;
	twalk(rl->root, collect);
	for (i = 0; i < sweep.n; i++) {
		tdelete(sweep.idle[i], &rl->root, cmp);
		free(sweep.idle[i]);
	}
	n = sweep.n;
	rl->n -= n;
	free(sweep.idle);
	sweep.idle = NULL;
	return n;
}
