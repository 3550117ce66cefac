/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_SCCP_CONN_H
#define _PP_SCCP_CONN_H

#include <linux/types.h>

#include "pernet.h"

/*
 * The SCCP proxy: connection tracking and NAT of phone connections to
 * the user's CallManager, and the rewriting of their SCCP messages.
 *
 * A TCP connection from an activated address to the north address and
 * the SCCP port is DNATed to the user's CallManager (same port) and
 * SNATed to the south address, by the module itself (a NAT hook, no user
 * rule). Its SCCP byte stream is followed in both directions
 * (proto/sccp_stream.c): addresses the phone announces become the south
 * address (media relay ports from media.c), addresses the CallManager
 * announces become the north address. Nothing else is forwarded between
 * the two sides while a north address is configured.
 */

/* Module init and exit (the slab caches), around every namespace's. */
int pp_sccp_init(void);
void pp_sccp_exit(void);

int pp_sccp_net_init(struct pp_net *pn);
void pp_sccp_net_exit(struct pp_net *pn);

/* Subscribes to the core's events: NAT on or off, resets on inactivation. */
extern struct notifier_block pp_sccp_nb;

/* Counters for PP_CMD_STATS_GET. */
struct pp_sccp_stats {
	u64 conns;		/* connections NATed to a CallManager */
	u64 registered;		/* RegisterAck seen */
	u64 sid_mismatch;	/* Register with another device's name: reset */
	u64 stream_errors;	/* malformed or inconsistent stream: reset */
	u64 ooo;		/* segments dropped: out of order or stale */
	u64 rewrites;		/* address fields rewritten */
	u64 fwd_drop;		/* forwarded packets not of a proxied connection */
	u64 inconsistent;	/* segments dropped: contradict the stream */
	u64 conn_limit;		/* SYNs dropped: the activation's limit is open */
	u64 claimed;		/* connections handed over by the TLS terminator */
	u64 plain_refused;	/* plain SYNs dropped: secure SCCP on */
	u64 adhoc;		/* open mode: to the AdHoCuSeR's CallManager */
	u64 adhoc_limit;	/* open mode: SYNs dropped by the bounds */
	u64 nobuf;		/* segments dropped: no byte ring to be had */
	u32 open;		/* connections tracked now */
	u32 rings;		/* byte rings taken now */
};

void pp_sccp_stats(struct pp_net *pn, struct pp_sccp_stats *s);

/*
 * PP_CMD_SCCP_CLAIM (docs/sccp.md, "Connections handed over by the TLS
 * terminator"): the terminator's socket bound to south:@local_port will
 * connect for the phone at @peer_addr (@device: the client
 * certificate's device name, NULL or "" for none). Ports network order.
 * 0 and where to connect, or -EPERM (secure SCCP off), -ENETUNREACH (no
 * north or south address), -ENOENT (not activated), -EBUSY (max
 * connections open or claimed), -EEXIST (port claimed), -ENOSPC (too many
 * claims pending), -ENOMEM; with an @extack message. Process context.
 */
struct pp_sccp_claim_req {
	__be32 peer_addr;
	__be16 peer_port;
	__be16 local_port;
	const char *device;
};

struct pp_sccp_claim_reply {
	__be32 ccm_addr;
	__be16 ccm_port;
};

struct netlink_ext_ack;
int pp_sccp_claim(struct pp_net *pn, const struct pp_sccp_claim_req *req,
		  struct pp_sccp_claim_reply *reply,
		  struct netlink_ext_ack *extack);

#endif /* _PP_SCCP_CONN_H */
