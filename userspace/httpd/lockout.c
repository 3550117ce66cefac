// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The login lockout table.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/phoneproxy.h>

#include "lockout.h"

#define NBUCKETS 4096

struct entry {
	struct entry *next;
	char user[PP_NAME_MAX];		/* "" for the per-address entry */
	uint32_t addr;
	unsigned int failures;
	time_t last;			/* last failure */
	time_t locked_until;		/* 0 = not locked */
};

struct pp_lockout {
	struct pp_lockout_policy p;
	struct entry *buckets[NBUCKETS];
	size_t size;
};

static uint32_t hash(const char *user, uint32_t addr)
{
	uint32_t h = 2166136261u ^ addr;	/* FNV-1a */

	for (; *user; user++)
		h = (h ^ (unsigned char)*user) * 16777619u;
	h ^= addr >> 16;
	return (h * 16777619u) % NBUCKETS;
}

struct pp_lockout *pp_lockout_new(const struct pp_lockout_policy *p)
{
	struct pp_lockout *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->p = *p;
	if (!l->p.pair_failures)
		l->p.pair_failures = 3;
	if (!l->p.addr_failures)
		l->p.addr_failures = 10;
	if (!l->p.lock_secs)
		l->p.lock_secs = 1200;
	if (!l->p.capacity)
		l->p.capacity = 65536;
	return l;
}

void pp_lockout_free(struct pp_lockout *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < NBUCKETS; i++) {
		struct entry *e = l->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(l);
}

static struct entry **find(struct pp_lockout *l, const char *user, uint32_t addr)
{
	struct entry **pe = &l->buckets[hash(user, addr)];

	for (; *pe; pe = &(*pe)->next)
		if ((*pe)->addr == addr && !strcmp((*pe)->user, user))
			return pe;
	return pe;
}

static bool stale(const struct pp_lockout *l, const struct entry *e, time_t now)
{
	return now >= e->locked_until && now - e->last >= (time_t)l->p.lock_secs;
}

void pp_lockout_expire(struct pp_lockout *l, time_t now)
{
	size_t i;

	for (i = 0; i < NBUCKETS; i++) {
		struct entry **pe = &l->buckets[i];

		while (*pe) {
			if (stale(l, *pe, now)) {
				struct entry *e = *pe;

				*pe = e->next;
				free(e);
				l->size--;
			} else {
				pe = &(*pe)->next;
			}
		}
	}
}

/* Drop the entry with the oldest last failure. */
static void evict_oldest(struct pp_lockout *l)
{
	struct entry **oldest = NULL;
	size_t i;

	for (i = 0; i < NBUCKETS; i++) {
		struct entry **pe;

		for (pe = &l->buckets[i]; *pe; pe = &(*pe)->next)
			if (!oldest || (*pe)->last < (*oldest)->last)
				oldest = pe;
	}
	if (oldest) {
		struct entry *e = *oldest;

		*oldest = e->next;
		free(e);
		l->size--;
	}
}

static bool entry_locked(const struct pp_lockout *l, const char *user,
			 uint32_t addr, time_t now)
{
	struct entry *e = *find((struct pp_lockout *)l, user, addr);

	return e && now < e->locked_until;
}

bool pp_lockout_locked(struct pp_lockout *l, const char *user, uint32_t addr,
		       time_t now)
{
	return entry_locked(l, user, addr, now) || entry_locked(l, "", addr, now);
}

static bool count(struct pp_lockout *l, const char *user, uint32_t addr,
		  time_t now, unsigned int max)
{
	struct entry **pe = find(l, user, addr), *e = *pe;

	if (e && stale(l, e, now)) {
		e->failures = 0;
		e->locked_until = 0;
	}
	if (!e) {
		if (l->size >= l->p.capacity) {
			pp_lockout_expire(l, now);
			if (l->size >= l->p.capacity)
				evict_oldest(l);
			pe = find(l, user, addr);
		}
		e = calloc(1, sizeof(*e));
		if (!e)
			return false;
		strncpy(e->user, user, sizeof(e->user) - 1);
		e->addr = addr;
		*pe = e;
		l->size++;
	}
	e->last = now;
	if (e->failures < max)
		e->failures++;
	if (now < e->locked_until) {
		/* Trying while locked: the 20 minutes start again. */
		e->locked_until = now + l->p.lock_secs;
		return false;
	}
	if (e->failures >= max) {
		e->locked_until = now + l->p.lock_secs;
		return true;
	}
	return false;
}

int pp_lockout_fail(struct pp_lockout *l, const char *user, uint32_t addr,
		    time_t now)
{
	int started = 0;

	if (count(l, user, addr, now, l->p.pair_failures))
		started |= PP_LOCKOUT_PAIR;
	if (count(l, "", addr, now, l->p.addr_failures))
		started |= PP_LOCKOUT_ADDR;
	return started;
}

void pp_lockout_success(struct pp_lockout *l, const char *user, uint32_t addr)
{
	struct entry **pe = find(l, user, addr);

	if (*pe) {
		struct entry *e = *pe;

		*pe = e->next;
		free(e);
		l->size--;
	}
}

size_t pp_lockout_size(const struct pp_lockout *l)
{
	return l->size;
}
