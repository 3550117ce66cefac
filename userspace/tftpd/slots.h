/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Transfer slots per source address (issue 12 item 6): how many requests
 * of one address are in progress, capped at max-transfers-per-address
 * so that one phone (or one host faking requests) cannot fill all of
 * max-transfers. A tsearch(3) tree of the addresses that hold a slot; an
 * address is forgotten when its last transfer ends.
 *
 * And the bound on how long a transfer may hold its slot: the RFC 2349
 * timeout a client may ask for (max-timeout) and the transfer's total
 * lifetime (transfer-lifetime), both in tftpd.conf.
 */
#ifndef PP_TFTPD_SLOTS_H
#define PP_TFTPD_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct slots {
	void *root;		/* tsearch tree of struct slot_addr */
	size_t naddrs;		/* addresses holding a slot */
	unsigned int per_addr;	/* the cap */
};

void slots_init(struct slots *s, unsigned int per_addr);
void slots_fini(struct slots *s);

/* Slots addr holds now. */
unsigned int slots_held(const struct slots *s, uint32_t addr);

/* Take a slot for addr: false at the cap (or out of memory). */
bool slots_take(struct slots *s, uint32_t addr);

/* Give one back (a transfer of addr ended). */
void slots_put(struct slots *s, uint32_t addr);

/*
 * The RFC 2349 timeout to grant for one asked (seconds): the asked value
 * when it is at most max, else 0: the option is declined (left out of
 * the OACK; RFC 2349 lets a server accept it only with the client's own
 * value, so it cannot be lowered) and the server's own retransmission
 * schedule applies.
 */
unsigned int slots_grant_timeout(unsigned int asked, unsigned int max);

#endif /* PP_TFTPD_SLOTS_H */
