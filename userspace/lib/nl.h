/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Generic netlink client of the "phoneproxy" family, on libnl-genl-3:
 * connect and resolve the family, send a request and wait for its ack
 * (keeping the kernel's extended-ack message), dumps that restart when the
 * kernel flags them interrupted, and the "events" multicast group.
 *
 * Functions return 0 or a negative errno. After a failure pp_nl_error()
 * says why: the kernel's extack message when it sent one, else the errno
 * text.
 */
#ifndef PP_NL_H
#define PP_NL_H

#include <stddef.h>
#include <stdint.h>

#include <netlink/msg.h>

struct pp_nl;

/* Called for each reply message; return 0 or a negative errno. */
typedef int (*pp_nl_msg_fn)(struct nl_msg *msg, void *arg);
/* Called before a dump is restarted: forget what was collected. */
typedef void (*pp_nl_reset_fn)(void *arg);

/*
 * Connect and resolve the family. -ENOENT with the message
 * "phoneproxy module not loaded" when the family does not exist.
 * On failure *out is NULL and err (if not NULL) holds the reason.
 */
int pp_nl_open(struct pp_nl **out, char *err, size_t errlen);
void pp_nl_close(struct pp_nl *nl);

int pp_nl_family(const struct pp_nl *nl);
/* The family's version as the kernel reports it (its genl_family
 * .version), or a negative errno (-ENOENT: the module is not loaded). */
int pp_nl_family_version(struct pp_nl *nl);
int pp_nl_fd(const struct pp_nl *nl);

/*
 * A new request of the family: the genetlink header for cmd, room for
 * payload bytes of attributes (0: a page).
 */
struct nl_msg *pp_nl_msg_new(const struct pp_nl *nl, uint8_t cmd, int flags,
			     size_t payload);

/*
 * Send msg (always freed) and wait for the ack; fn (may be NULL) sees
 * every reply before it. Requests larger than the socket send buffer get
 * a larger one (SO_SNDBUFFORCE when allowed).
 */
int pp_nl_request(struct pp_nl *nl, struct nl_msg *msg, pp_nl_msg_fn fn,
		  void *arg);

/*
 * Dump cmd: fn sees every message. When the kernel marks the dump
 * NLM_F_DUMP_INTR (the table changed meanwhile), reset is called and the
 * dump restarted, a few times at most (then -EAGAIN).
 */
int pp_nl_dump(struct pp_nl *nl, uint8_t cmd, pp_nl_msg_fn fn,
	       pp_nl_reset_fn reset, void *arg);

/*
 * Join a multicast group of the family (PHONEPROXY_MCGRP_EVENTS), as via
 * (nl itself, or a request socket when nl is a watch) resolves it. The
 * socket then serves notifications only: no more requests on it.
 */
int pp_nl_subscribe(struct pp_nl *nl, struct pp_nl *via, const char *group);
/*
 * A notification socket for an event loop (non-blocking), whether or not
 * the module is loaded: it hears the generic netlink controller's
 * announcements ("nlctrl", group "notify"); pp_nl_family_event() tells
 * those of the family. Subscribe it to the family's group each time the
 * family appears: its group ids change with every load.
 */
int pp_nl_watch(struct pp_nl **out, char *err, size_t errlen);
/* CTRL_CMD_NEWFAMILY or CTRL_CMD_DELFAMILY of the family; else 0. */
int pp_nl_family_event(struct nl_msg *msg);
/*
 * Receive what is pending of the subscribed groups (blocking until
 * something is), calling fn for each message. -ENOBUFS when the kernel
 * had to drop notifications (the receive buffer overflowed); the socket
 * stays usable.
 */
int pp_nl_recv_events(struct pp_nl *nl, pp_nl_msg_fn fn, void *arg);

/* Why the last call failed (never NULL). */
const char *pp_nl_error(const struct pp_nl *nl);
/* The kernel's extack message of the last request, or NULL. */
const char *pp_nl_extack(const struct pp_nl *nl);

/*
 * The extack message of an NLMSG_ERROR or NLMSG_DONE message (copied
 * into buf, "" when there is none). Exposed for the unit tests.
 */
void pp_nl_parse_extack(const struct nlmsghdr *nlh, char *buf, size_t len);

#endif /* PP_NL_H */
