// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The login lockout under attack (issue 12, item 4): a flood of failed
 * logins must not flush an active lock, a locked-out client adds nothing
 * to the table, one key per (user, address) whatever the name's length,
 * and the table's memory stays bounded (its own count and the process's
 * resident set, measured).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lockout.h"
#include "tap.h"

#define FLOOD 100000

/* Resident set of this process in KiB (/proc/self/statm). */
static long rss_kib(void)
{
	long size = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &size, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* 192.0.2.10, 198.51.100.0/24 and 203.0.113.0/24 (the documentation
 * ranges) are the attacker's; the flood of distinct addresses uses the
 * numbers as keys only, no packet is sent. */
#define HOMER_ADDR	0xc000020au

static void test_flood_keeps_lock(void)
{
	struct pp_lockout_policy p = { 0 };	/* the defaults: 3, 10, 1200 s, 65536 */
	struct pp_lockout *l = pp_lockout_new(&p);
	uint32_t homer = htonl(HOMER_ADDR);
	time_t t = 1000000;
	long rss0, rss1;
	size_t peak = 0;
	char name[32];
	int i;

	pp_lockout_fail(l, "homer", homer, t);
	pp_lockout_fail(l, "homer", homer, t);
	ok(pp_lockout_fail(l, "homer", homer, t) & 1, "three failures lock (homer, 192.0.2.10)");
	rss0 = rss_kib();

	/* 100,000 distinct user names from 512 addresses of 198.51.100.0/24
	 * and 203.0.113.0/24: each address locks after 10, then adds nothing. */
	for (i = 0; i < FLOOD; i++) {
		uint32_t a = (i & 256 ? 0xcb007100u : 0xc6336400u) | (uint32_t)(i & 255);

		snprintf(name, sizeof(name), "victim%d", i);
		pp_lockout_fail(l, name, htonl(a), t + 1 + i / 1000);
		if (pp_lockout_size(l) > peak)
			peak = pp_lockout_size(l);
	}
	ok(pp_lockout_locked(l, "homer", homer, t + 200),
	   "after %d failures of distinct names from 512 addresses, homer is still locked", FLOOD);
	ok(peak <= 1 + 512 * (10 + 1) + 1,
	   "locked-out addresses added nothing: at most %zu entries (512 addresses, 10 names each)",
	   peak);

	/* 100,000 distinct addresses, each locking one (user, address):
	 * more locks than the table holds. */
	for (i = 0; i < FLOOD; i++) {
		uint32_t a = htonl(0x0a000000u + (uint32_t)i);

		pp_lockout_fail(l, "bart", a, t + 200);
		pp_lockout_fail(l, "bart", a, t + 200);
		pp_lockout_fail(l, "bart", a, t + 200);
		if (pp_lockout_size(l) > peak)
			peak = pp_lockout_size(l);
	}
	rss1 = rss_kib();
	ok(pp_lockout_locked(l, "homer", homer, t + 300),
	   "after %d distinct addresses locked out, homer's lock still holds", FLOOD);
	ok(pp_lockout_locked(l, "bart", htonl(0x0a000000u), t + 300),
	   "... and so does the first flooding address's");
	ok(peak <= 65536, "the table never held more than its 65536 entries (peak %zu)", peak);
	ok(rss1 - rss0 < 32 * 1024, "resident memory grew by %ld KiB (< 32 MiB) over %d failures",
	   rss1 - rss0, 4 * FLOOD);
	{
		struct pp_lockout_stats st;

		pp_lockout_stats(l, t + 300, &st);
		ok(st.bytes < 16u << 20 && st.entries <= st.capacity,
		   "the table's own memory: %zu KiB for %zu entries (%zu active locks)",
		   st.bytes / 1024, st.entries, st.locked);
		ok(st.untracked > 0 && st.overflow_locked,
		   "the clients it could not track (%lu failures) are locked out together",
		   st.untracked);
		ok(pp_lockout_locked(l, "lisa", htonl(0x0b000001), t + 300),
		   "so a new client is refused while the table is full of locks (fail closed)");
		pp_lockout_expire(l, t + 300 + 1200);
		ok(!pp_lockout_locked(l, "lisa", htonl(0x0b000001), t + 300 + 1200) &&
		   pp_lockout_size(l) == 0, "when the locks end, the table empties and lisa may try");
	}
	diag("lockout flood: %zu entries, resident set %ld -> %ld KiB", pp_lockout_size(l),
	     rss0, rss1);
	pp_lockout_free(l);
}

static void test_long_names(void)
{
	struct pp_lockout_policy p = { .pair_failures = 3, .addr_failures = 1000 };
	struct pp_lockout *l = pp_lockout_new(&p);
	uint32_t a = htonl(0xcb007107);
	char longname[200];
	time_t t = 5000;

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	pp_lockout_fail(l, longname, a, t);
	pp_lockout_fail(l, longname, a, t);
	pp_lockout_fail(l, longname, a, t);
	ok(pp_lockout_locked(l, longname, a, t + 1),
	   "three failures with a 199-byte name lock that name at 203.0.113.7");
	pp_lockout_fail(l, longname, a, t + 2);
	ok(pp_lockout_size(l) == 2, "one entry for the name and one for the address (%zu)",
	   pp_lockout_size(l));
	pp_lockout_free(l);
}

int main(void)
{
	test_long_names();
	test_flood_keeps_lock();
	return done_testing();
}
