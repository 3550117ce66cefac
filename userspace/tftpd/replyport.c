// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The addresses answered from port 69 in "replyport auto" (replyport.h).
 */
#include <search.h>
#include <stdlib.h>

#include "replyport.h"

struct replyport_entry {
	uint32_t addr;			/* network order */
	bool port69;			/* else a suspect */
	uint16_t port;			/* a suspect's request: client port */
	uint32_t name_hash;		/* ... and file name */
	uint64_t expires_ms;
	TAILQ_ENTRY(replyport_entry) lru;
};

static int cmp(const void *a, const void *b)
{
	const struct replyport_entry *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* FNV-1a: tells a retransmission from a request for another file. */
static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

void replyport_init(struct replyport *t, size_t max, uint64_t suspect_ms,
		    uint64_t remember_ms)
{
	t->root = NULL;
	TAILQ_INIT(&t->lru);
	t->n = 0;
	t->max = max ? max : 1;
	t->suspect_ms = suspect_ms;
	t->remember_ms = remember_ms;
}

static void drop(struct replyport *t, struct replyport_entry *e)
{
	tdelete(e, &t->root, cmp);
	TAILQ_REMOVE(&t->lru, e, lru);
	free(e);
	t->n--;
}

void replyport_fini(struct replyport *t)
{
	while (!TAILQ_EMPTY(&t->lru))
		drop(t, TAILQ_FIRST(&t->lru));
}

static struct replyport_entry *find(const struct replyport *t, uint32_t addr,
				    uint64_t now_ms)
{
	struct replyport_entry key = { .addr = addr }, **found;

	found = tfind(&key, (void *const *)&t->root, cmp);
	if (!found || (*found)->expires_ms <= now_ms)
		return NULL;
	return *found;
}

/* The entry of addr, new (the least recently used one dropped when full)
 * or found (expired or not), last in the LRU order. NULL: out of memory. */
static struct replyport_entry *get(struct replyport *t, uint32_t addr)
{
	struct replyport_entry key = { .addr = addr }, *e, **found;

	found = tfind(&key, &t->root, cmp);
	if (found) {
		e = *found;
		TAILQ_REMOVE(&t->lru, e, lru);
		TAILQ_INSERT_TAIL(&t->lru, e, lru);
		return e;
	}
	if (t->n >= t->max)
		drop(t, TAILQ_FIRST(&t->lru));
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->addr = addr;
	found = tsearch(e, &t->root, cmp);
	if (!found || *found != e) {
		free(e);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&t->lru, e, lru);
	t->n++;
	return e;
}

void replyport_suspect(struct replyport *t, uint32_t addr, uint16_t port,
		       const char *name, uint64_t now_ms)
{
	struct replyport_entry *e = find(t, addr, now_ms);

	if (e && e->port69)
		return;
	e = get(t, addr);
	if (!e)
		return;
	e->port69 = false;
	e->port = port;
	e->name_hash = hash(name);
	e->expires_ms = now_ms + t->suspect_ms;
}

void replyport_mark(struct replyport *t, uint32_t addr, uint64_t now_ms)
{
	struct replyport_entry *e = get(t, addr);

	if (!e)
		return;
	e->port69 = true;
	e->expires_ms = now_ms + t->remember_ms;
}

bool replyport_port69(struct replyport *t, uint32_t addr, uint16_t port,
		      const char *name, uint64_t now_ms, bool *switched)
{
	struct replyport_entry *e = find(t, addr, now_ms);

	*switched = false;
	if (!e)
		return false;
	if (e->port69)
		return true;
	if (e->port != port || e->name_hash != hash(name))
		return false;
	replyport_mark(t, addr, now_ms);
	*switched = true;
	return true;
}

size_t replyport_expire(struct replyport *t, uint64_t now_ms)
{
	struct replyport_entry *e, *next;
	size_t n = 0;

	for (e = TAILQ_FIRST(&t->lru); e; e = next) {
		next = TAILQ_NEXT(e, lru);
		if (e->expires_ms <= now_ms) {
			drop(t, e);
			n++;
		}
	}
	return n;
}

size_t replyport_marked(const struct replyport *t, uint64_t now_ms)
{
	const struct replyport_entry *e;
	size_t n = 0;

	TAILQ_FOREACH(e, &t->lru, lru)
		n += e->port69 && e->expires_ms > now_ms;
	return n;
}
