// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Transfer slots per source address.
 */
#include <search.h>
#include <stdlib.h>

#include "slots.h"

struct slot_addr {
	uint32_t addr;
	unsigned int held;
};

static int cmp(const void *a, const void *b)
{
	const struct slot_addr *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

void slots_init(struct slots *s, unsigned int per_addr)
{
	s->root = NULL;
	s->naddrs = 0;
	s->per_addr = per_addr ? per_addr : 1;
}

void slots_fini(struct slots *s)
{
	tdestroy(s->root, free);
	s->root = NULL;
	s->naddrs = 0;
}

unsigned int slots_held(const struct slots *s, uint32_t addr)
{
	struct slot_addr key = { .addr = addr }, **found;

	found = tfind(&key, (void *const *)&s->root, cmp);
	return found ? (*found)->held : 0;
}

bool slots_take(struct slots *s, uint32_t addr)
{
	struct slot_addr key = { .addr = addr }, *a, **found;

	found = tfind(&key, &s->root, cmp);
	if (found) {
		if ((*found)->held >= s->per_addr)
			return false;
		(*found)->held++;
		return true;
	}
	a = malloc(sizeof(*a));
	if (!a)
		return false;
	a->addr = addr;
	a->held = 1;
	found = tsearch(a, &s->root, cmp);
	if (!found || *found != a) {
		free(a);
		return false;
	}
	s->naddrs++;
	return true;
}

void slots_put(struct slots *s, uint32_t addr)
{
	struct slot_addr key = { .addr = addr }, *a, **found;

	found = tfind(&key, &s->root, cmp);
	if (!found)
		return;
	a = *found;
	if (--a->held)
		return;
	tdelete(&key, &s->root, cmp);
	free(a);
	s->naddrs--;
}

unsigned int slots_grant_timeout(unsigned int asked, unsigned int max)
{
	return asked <= max ? asked : 0;
}
