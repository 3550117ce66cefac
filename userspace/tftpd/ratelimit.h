/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Per-source request rate limit: a token bucket per IPv4 address (rate
 * tokens a second, at most burst), kept in a tsearch(3) tree; idle
 * buckets are forgotten by ratelimit_expire().
 */
#ifndef PP_TFTPD_RATELIMIT_H
#define PP_TFTPD_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ratelimit {
	void *root;		/* tsearch tree of struct bucket */
	size_t n;
	unsigned int rate;	/* tokens per second */
	unsigned int burst;	/* bucket size */
};

void ratelimit_init(struct ratelimit *rl, unsigned int rate, unsigned int burst);
void ratelimit_fini(struct ratelimit *rl);

/* Take a token for addr at now_ms: true when the request may proceed. */
bool ratelimit_take(struct ratelimit *rl, uint32_t addr, uint64_t now_ms);

/* Forget buckets that are full again (idle sources). Returns how many. */
size_t ratelimit_expire(struct ratelimit *rl, uint64_t now_ms);

#endif /* PP_TFTPD_RATELIMIT_H */
