// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The login lockout table.
 *
 * Keys: one per (user, address) and one per address. The user part is
 * normalised as the activation compares names (byte for byte, see
 * pp_name_valid()): a valid name is its own key; every string that can
 * be no user's name (too long, control characters, empty) shares one key
 * per address, so a 200-byte name is counted, and locked, like any other.
 *
 * Bounds (issue 12, item 4): at most `capacity` entries. Entries that are
 * counting but not locked sit on an LRU list and are the only ones ever
 * evicted to make room; an active lock is never evicted. A client that is
 * locked out (its address, or its (user, address)) only extends its own
 * lock: it creates no entry. When the table holds nothing but active
 * locks, a new key is not tracked; and a failure that had to evict, or
 * could not be tracked, is also counted on one shared "overflow" entry
 * that counts and locks like one address (evicting loses counts: under
 * that pressure every client the table does not know is treated as one
 * attacker). So a flood can
 * slow down or stop new logins from clients the table does not know yet
 * (fail closed), but it can never flush a lock and let guessing resume,
 * and the memory stays at `capacity` entries. Lookups are O(1): a hash
 * table with a random seed, sized for the capacity.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <linux/phoneproxy.h>

#include "lockout.h"
#include "parse.h"

#define KEY_ADDR	""		/* the per-address entry */
#define KEY_NOT_A_NAME	"\x01"		/* any string that is no valid name */

struct entry {
	struct entry *hnext;		/* hash chain */
	struct entry *prev, *next;	/* LRU of unlocked entries, or locked list */
	uint32_t addr;
	unsigned int failures;
	time_t last;			/* last failure */
	time_t locked_until;		/* 0 = not locked */
	bool on_locked;			/* on l->locked (else on l->idle) */
	char user[PP_NAME_MAX];		/* the normalised key */
};

struct list {
	struct entry *head, *tail;
};

struct pp_lockout {
	struct pp_lockout_policy p;
	struct entry **buckets;
	size_t nbuckets;		/* a power of two */
	uint32_t seed;
	size_t size;
	struct list idle;		/* counting, not locked: evictable, LRU first */
	struct list locked;		/* active locks: never evicted */
	struct entry overflow;		/* all untracked clients together */
	unsigned long untracked;	/* failures counted on the overflow */
	unsigned long evicted;		/* unlocked entries dropped for room */
};

static void normalise(const char *user, char key[PP_NAME_MAX])
{
	if (!*user)
		strcpy(key, KEY_ADDR);
	else if (pp_name_valid(user))
		strcpy(key, user);
	else
		strcpy(key, KEY_NOT_A_NAME);
}

static size_t hash(const struct pp_lockout *l, const char *key, uint32_t addr)
{
	uint32_t h = 2166136261u ^ l->seed;	/* FNV-1a, seeded */
	int i;

	for (i = 0; i < 4; i++)
		h = (h ^ ((addr >> (8 * i)) & 0xff)) * 16777619u;
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h & (l->nbuckets - 1);
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
	for (l->nbuckets = 16; l->nbuckets < l->p.capacity; l->nbuckets <<= 1)
		;
	l->buckets = calloc(l->nbuckets, sizeof(*l->buckets));
	if (!l->buckets) {
		free(l);
		return NULL;
	}
	if (getrandom(&l->seed, sizeof(l->seed), GRND_NONBLOCK) != sizeof(l->seed))
		l->seed = (uint32_t)(uintptr_t)l;
	return l;
}

static void list_del(struct list *li, struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		li->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		li->tail = e->prev;
	e->prev = e->next = NULL;
}

static void list_add_tail(struct list *li, struct entry *e)
{
	e->next = NULL;
	e->prev = li->tail;
	if (li->tail)
		li->tail->next = e;
	else
		li->head = e;
	li->tail = e;
}

/* Put e at the tail of the list its state belongs to. */
static void touch(struct pp_lockout *l, struct entry *e, bool locked)
{
	list_del(e->on_locked ? &l->locked : &l->idle, e);
	e->on_locked = locked;
	list_add_tail(locked ? &l->locked : &l->idle, e);
}

void pp_lockout_free(struct pp_lockout *l)
{
	struct entry *e, *next;

	if (!l)
		return;
	for (e = l->idle.head; e; e = next) {
		next = e->next;
		free(e);
	}
	for (e = l->locked.head; e; e = next) {
		next = e->next;
		free(e);
	}
	free(l->buckets);
	free(l);
}

static struct entry **find(struct pp_lockout *l, const char *key, uint32_t addr)
{
	struct entry **pe = &l->buckets[hash(l, key, addr)];

	for (; *pe; pe = &(*pe)->hnext)
		if ((*pe)->addr == addr && !strcmp((*pe)->user, key))
			return pe;
	return pe;
}

static void drop(struct pp_lockout *l, struct entry *e)
{
	struct entry **pe = find(l, e->user, e->addr);

	if (*pe == e)
		*pe = e->hnext;
	list_del(e->on_locked ? &l->locked : &l->idle, e);
	free(e);
	l->size--;
}

static bool stale(const struct pp_lockout *l, const struct entry *e, time_t now)
{
	return now >= e->locked_until && now - e->last >= (time_t)l->p.lock_secs;
}

static bool is_locked(const struct entry *e, time_t now)
{
	return e && now < e->locked_until;
}

void pp_lockout_expire(struct pp_lockout *l, time_t now)
{
	struct entry *e, *next;

	for (e = l->idle.head; e; e = next) {
		next = e->next;
		if (stale(l, e, now))
			drop(l, e);
	}
	for (e = l->locked.head; e; e = next) {
		next = e->next;
		if (stale(l, e, now))
			drop(l, e);
		else if (now >= e->locked_until)
			touch(l, e, false);	/* the lock ended: evictable again */
	}
	if (stale(l, &l->overflow, now)) {
		l->overflow.failures = 0;
		l->overflow.locked_until = 0;
	}
}

/* Drop what has ended at the old ends of both lists: O(what ends). */
static void expire_heads(struct pp_lockout *l, time_t now)
{
	while (l->idle.head && stale(l, l->idle.head, now))
		drop(l, l->idle.head);
	while (l->locked.head && stale(l, l->locked.head, now))
		drop(l, l->locked.head);
}

/*
 * A new entry, or NULL when the table is full of active locks. Sets
 * *pressure when it had to evict or could not insert: the failure is then
 * also counted on the overflow entry, since the table is losing counts.
 */
static struct entry *insert(struct pp_lockout *l, const char *key, uint32_t addr,
			    time_t now, bool *pressure)
{
	struct entry *e;

	if (l->size >= l->p.capacity)
		expire_heads(l, now);
	if (l->size >= l->p.capacity) {
		*pressure = true;
		if (!l->idle.head)
			return NULL;
		drop(l, l->idle.head);		/* the least recent unlocked one */
		l->evicted++;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		*pressure = true;
		return NULL;
	}
	strcpy(e->user, key);
	e->addr = addr;
	e->hnext = l->buckets[hash(l, key, addr)];
	l->buckets[hash(l, key, addr)] = e;
	list_add_tail(&l->idle, e);
	l->size++;
	return e;
}

static struct entry *lookup(struct pp_lockout *l, const char *key, uint32_t addr)
{
	return *find(l, key, addr);
}

bool pp_lockout_locked(struct pp_lockout *l, const char *user, uint32_t addr,
		       time_t now)
{
	char key[PP_NAME_MAX];
	struct entry *pair, *a;

	normalise(user, key);
	pair = lookup(l, key, addr);
	a = lookup(l, KEY_ADDR, addr);
	if (is_locked(pair, now) || is_locked(a, now))
		return true;
	/* Not tracked while the overflow is locked: refused (fail closed). */
	return !pair && !a && is_locked(&l->overflow, now);
}

/* Count one failure on e; true when this failure starts a lock. */
static bool count(struct pp_lockout *l, struct entry *e, time_t now, unsigned int max)
{
	if (stale(l, e, now)) {
		e->failures = 0;
		e->locked_until = 0;
	}
	e->last = now;
	if (e->failures < max)
		e->failures++;
	if (is_locked(e, now)) {
		/* Trying while locked: the 20 minutes start again. */
		e->locked_until = now + l->p.lock_secs;
		if (e != &l->overflow)
			touch(l, e, true);
		return false;
	}
	if (e->failures >= max) {
		e->locked_until = now + l->p.lock_secs;
		if (e != &l->overflow)
			touch(l, e, true);
		return true;
	}
	if (e != &l->overflow)
		touch(l, e, false);
	return false;
}

/* The entry of key, created when missing, or the overflow entry. */
static struct entry *get(struct pp_lockout *l, const char *key, uint32_t addr,
			 time_t now, bool *untracked)
{
	struct entry *e = lookup(l, key, addr);

	return e ? e : insert(l, key, addr, now, untracked);
}

int pp_lockout_fail(struct pp_lockout *l, const char *user, uint32_t addr,
		    time_t now)
{
	char key[PP_NAME_MAX];
	struct entry *pair, *a;
	bool untracked = false;
	int started = 0;

	normalise(user, key);
	pair = lookup(l, key, addr);
	a = lookup(l, KEY_ADDR, addr);
	/* Locked out: extend the lock(s) it has, add nothing. */
	if (is_locked(a, now) || is_locked(pair, now)) {
		if (is_locked(a, now))
			count(l, a, now, l->p.addr_failures);
		if (is_locked(pair, now))
			count(l, pair, now, l->p.pair_failures);
		return 0;
	}
	if (!pair && !a && is_locked(&l->overflow, now)) {
		count(l, &l->overflow, now, l->p.addr_failures);
		l->untracked++;
		return 0;
	}
	pair = get(l, key, addr, now, &untracked);
	if (pair && count(l, pair, now, l->p.pair_failures))
		started |= PP_LOCKOUT_PAIR;
	a = get(l, KEY_ADDR, addr, now, &untracked);
	if (a && count(l, a, now, l->p.addr_failures))
		started |= PP_LOCKOUT_ADDR;
	if (untracked) {
		l->untracked++;
		if (count(l, &l->overflow, now, l->p.addr_failures))
			started |= PP_LOCKOUT_OVERFLOW;
	}
	return started;
}

void pp_lockout_success(struct pp_lockout *l, const char *user, uint32_t addr)
{
	char key[PP_NAME_MAX];
	struct entry *e;

	normalise(user, key);
	e = lookup(l, key, addr);
	if (e)
		drop(l, e);
}

size_t pp_lockout_size(const struct pp_lockout *l)
{
	return l->size;
}

void pp_lockout_stats(const struct pp_lockout *l, time_t now,
		      struct pp_lockout_stats *s)
{
	const struct entry *e;

	memset(s, 0, sizeof(*s));
	s->entries = l->size;
	s->capacity = l->p.capacity;
	for (e = l->locked.head; e; e = e->next)
		if (is_locked(e, now))
			s->locked++;
	s->untracked = l->untracked;
	s->evicted = l->evicted;
	s->overflow_locked = is_locked(&l->overflow, now);
	s->bytes = sizeof(*l) + l->nbuckets * sizeof(*l->buckets) +
		   l->size * sizeof(struct entry);
}
