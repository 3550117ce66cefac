/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Brute-force protection of the logins (page and web service), after the
 * guide's lockout policy: 3 wrong passwords and the account is locked for
 * 20 minutes, counted from the last attempt. Counting per (user, source
 * address) means an attacker locks only himself out: the real user, from
 * her own address, still logs in. A second counter per source address
 * (any user name) stops one address from trying many accounts.
 *
 * Entries live in a hash table of bounded size (capacity). Only entries
 * that are not locked are evicted to make room; a locked-out client adds
 * nothing; when the table holds only active locks, new clients share one
 * "overflow" entry that locks like an address (see lockout.c). Time is
 * passed in, so the tests control it.
 */
#ifndef PP_HTTPD_LOCKOUT_H
#define PP_HTTPD_LOCKOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct pp_lockout_policy {
	unsigned int pair_failures;	/* per (user, address); default 3 */
	unsigned int addr_failures;	/* per address; default 10 */
	unsigned int lock_secs;		/* default 1200 */
	size_t capacity;		/* entries; default 65536 */
};

#define PP_LOCKOUT_PAIR	1	/* pp_lockout_fail(): the pair got locked */
#define PP_LOCKOUT_ADDR	2	/* ... the address got locked */
#define PP_LOCKOUT_OVERFLOW 4	/* ... the untracked clients got locked */

struct pp_lockout_stats {
	size_t entries, capacity;
	size_t locked;			/* active locks */
	unsigned long untracked;	/* failures of clients the full table
					 * could not track (counted together) */
	unsigned long evicted;		/* unlocked entries dropped for room */
	bool overflow_locked;		/* untracked clients refused now */
	size_t bytes;			/* the table's memory */
};

struct pp_lockout;

struct pp_lockout *pp_lockout_new(const struct pp_lockout_policy *p);
void pp_lockout_free(struct pp_lockout *l);

/* Is this user locked out at this address (pair or address lock)? */
bool pp_lockout_locked(struct pp_lockout *l, const char *user, uint32_t addr,
		       time_t now);
/*
 * Count a failure; a failure while locked extends the lock. Returns the
 * PP_LOCKOUT_* bits of the locks this failure started (for the log).
 */
int pp_lockout_fail(struct pp_lockout *l, const char *user, uint32_t addr,
		    time_t now);
/* A successful login clears the pair's count (not the address's). */
void pp_lockout_success(struct pp_lockout *l, const char *user, uint32_t addr);
/* Forget entries whose lock and count have expired. */
void pp_lockout_expire(struct pp_lockout *l, time_t now);
size_t pp_lockout_size(const struct pp_lockout *l);
void pp_lockout_stats(const struct pp_lockout *l, time_t now,
		      struct pp_lockout_stats *s);

#endif /* PP_HTTPD_LOCKOUT_H */
