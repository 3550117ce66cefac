/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Where a good request is answered from (issue 18 item 10, docs/tftp.md
 * "Phones behind NAT routers"): in "replyport auto", the addresses whose
 * first reply from a new port went unanswered, answered from port 69 for
 * a while. A NAT router without a TFTP helper drops a reply from a port
 * other than the one its phone asked; the phone then sends the same read
 * request again, from the same port.
 *
 * One entry per address (so at most one per source), at most max in
 * all: a full table drops its least recently used entry. An entry is
 *   - a suspect: a transfer to (addr, port) for a file (name hash) ended
 *     or stalled with its first packet unacknowledged; kept suspect_ms;
 *   - port 69: that same request came again; kept remember_ms.
 * The table is pure (no sockets, no clock of its own): test_tftpd.c
 * drives it.
 */
#ifndef PP_TFTPD_REPLYPORT_H
#define PP_TFTPD_REPLYPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#define REPLYPORT_MAX		4096		/* addresses remembered */
#define REPLYPORT_SUSPECT_MS	(60u * 1000)	/* a client retransmits within */
#define REPLYPORT_REMEMBER_MS	(3600u * 1000)	/* port 69 for this long */

struct replyport_entry;
TAILQ_HEAD(replyport_lru, replyport_entry);

struct replyport {
	void *root;			/* tsearch tree, by address */
	struct replyport_lru lru;	/* least recently used first */
	size_t n, max;
	uint64_t suspect_ms, remember_ms;
};

void replyport_init(struct replyport *t, size_t max, uint64_t suspect_ms,
		    uint64_t remember_ms);
/* Forget every address (the table stays usable). */
void replyport_fini(struct replyport *t);

/*
 * A transfer to addr:port (network order) for name ended, or is still
 * waiting, with its first packet from a new port unacknowledged. An
 * address already answered from port 69 stays so.
 */
void replyport_suspect(struct replyport *t, uint32_t addr, uint16_t port,
		       const char *name, uint64_t now_ms);

/* addr is to be answered from port 69 from now on (the same request
 * came again); its time starts again. */
void replyport_mark(struct replyport *t, uint32_t addr, uint64_t now_ms);

/*
 * Whether a request from addr:port for name is to be answered from port
 * 69: the address is marked, or it is a suspect of this very request
 * (then marked, and *switched set). Expired entries count as absent.
 */
bool replyport_port69(struct replyport *t, uint32_t addr, uint16_t port,
		      const char *name, uint64_t now_ms, bool *switched);

/* Drop expired entries. Returns how many. */
size_t replyport_expire(struct replyport *t, uint64_t now_ms);

/* Addresses marked for port 69 (not expired at now_ms). */
size_t replyport_marked(const struct replyport *t, uint64_t now_ms);

#endif /* PP_TFTPD_REPLYPORT_H */
