/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_RELAY_H
#define _PP_RELAY_H

#include <linux/bitmap.h>
#include <linux/bits.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>

#include "pernet.h"
#include "srtp.h"

/*
 * The media relay's data (see media.h for the model, docs/media.md for the
 * choices): streams as the packet path sees them, the forwarding table
 * that finds them by local port, the RTP port allocator, and the hook.
 *
 * A relay port is always an even RTP port P with its RTCP port P + 1, so
 * everything is indexed by the pair P / 2: 32768 pairs cover every port.
 */
#define PP_RELAY_PAIRS		32768
#define PP_FWD_BLOCK_SHIFT	8
#define PP_FWD_BLOCK		BIT(PP_FWD_BLOCK_SHIFT)	/* pairs per block */
#define PP_FWD_BLOCKS		(PP_RELAY_PAIRS / PP_FWD_BLOCK)

/* The two local addresses of the proxy. */
enum pp_side {
	PP_NORTH,		/* the phones send here */
	PP_SOUTH,		/* the far ends send here */
	PP_SIDES
};

/*
 * Per-stream counters, one set per CPU, indexed by the side the packet
 * arrived on: [PP_NORTH] is phone -> far end, [PP_SOUTH] far end -> phone.
 * drops: packets to the stream's ports that were not relayed (wrong
 * source, no destination known yet, no route, TTL spent); port_drops,
 * of those, packets from the phone's address but not from the source
 * port it latched.
 */
struct pp_relay_pcpu {
	u64_stats_t pkts[PP_SIDES];
	u64_stats_t bytes[PP_SIDES];
	u64_stats_t drops[PP_SIDES];
	u64_stats_t port_drops;
	u64_stats_t srtp[PP_SRTP_CNTS];
	struct u64_stats_sync syncp;
};

struct pp_relay_totals {
	u64 pkts[PP_SIDES];
	u64 bytes[PP_SIDES];
	u64 drops[PP_SIDES];
	u64 port_drops;
	u64 srtp[PP_SRTP_CNTS];
};

/*
 * One direction's SRTP context of a stream. Made in softirq by
 * pp_media_srtp_key() as a job (@key, @salt, @s set), on mn->srtp_jobs
 * until the work item allocates @ctx in process context; then published
 * in s->srtp[@dir] (key and salt zeroed, @s NULL), and, once replaced or
 * its stream destroyed, on mn->srtp_dead until a grace period has passed.
 */
struct pp_media_srtp {
	struct pp_srtp_ctx *ctx;	/* published: set, never changed */
	struct list_head node;		/* mn->srtp_jobs or mn->srtp_dead */
	/* A job: its stream while it still wants it (under mn->lock). */
	struct pp_media_stream *s;
	bool busy;			/* the work item allocates for it */
	enum pp_srtp_dir dir;
	enum pp_srtp_suite suite;
	u8 key[PP_SRTP_KEY_LEN];
	u8 salt[PP_SRTP_SALT_LEN];
};

struct pp_media_owner;
struct pp_media_phone;

/*
 * One media stream: (owner, passThruPartyId). The packet path reads it
 * under RCU; media.c writes it under the namespace's media lock. Fields
 * the signalling changes while packets flow are accessed with
 * READ_ONCE()/WRITE_ONCE(); the packet path writes only the learned ports,
 * the latched source and @last.
 */
struct pp_media_stream {
	/* Set at creation, never changed. */
	__be32 local[PP_SIDES];		/* north and south address */
	u16 port[PP_SIDES];		/* their RTP ports (even) */
	__be32 phone_addr;		/* the phone's observed address */

	/* From the signalling (0: not known yet). */
	__be32 far_addr;		/* StartMediaTransmission */
	__be16 far_port;
	__be16 phone_port;		/* OpenReceiveChannelAck, PortRes, ... */

	/*
	 * Learned from packets (0: none yet). The phone's source ports are
	 * latched by its first RTP and RTCP packet (cmpxchg from 0): packets
	 * from other ports of its address are dropped.
	 */
	__be16 phone_src[2];		/* the phone's source port: RTP, RTCP */
	__be32 latched;			/* far end's source, while @far_addr is 0 */
	unsigned long last;		/* jiffies: last packet or signal */

	struct pp_relay_pcpu __percpu *stats;

	/*
	 * SRTP, indexed by enum pp_srtp_dir: RX unprotects what the phone
	 * sends, TX protects what goes to it. @srtp_keyed (a bit per
	 * direction, WRITE_ONCE() under the media lock) is set when the
	 * key is handed to the signalling and never cleared: a keyed
	 * direction drops what it cannot transform (no context yet: a
	 * "pending" drop), it never relays plain.
	 */
	struct pp_media_srtp __rcu *srtp[2];
	u8 srtp_keyed;

	/* media.c, under the media lock. */
	struct pp_media_owner *owner;
	struct pp_media_phone *phone;	/* its address's stream count */
	struct list_head owner_node;	/* owner->streams */
	struct list_head node;		/* pp_media_net.streams */
	u32 ppid;
	bool rx;			/* the phone receives (Ack seen, no Close) */
	bool tx;			/* the phone sends (StartMediaTx, no Stop) */
	bool keep;			/* Close with the keep-port flag */
	u8 srtp_suite[2];		/* enum pp_srtp_suite, when keyed */
	struct pp_media_srtp *srtp_job[2];	/* waiting for its context */
	unsigned long created;		/* jiffies */
	struct rcu_head rcu;
};

/*
 * The forwarding table of one side: pair -> stream, a two-level array
 * (PP_FWD_BLOCKS blocks of PP_FWD_BLOCK slots, a block allocated the
 * first time one of its pairs is used). Readers: RCU. Writers: serialised
 * by the caller (the media lock).
 */
struct pp_fwd_block {
	struct pp_media_stream __rcu *slot[PP_FWD_BLOCK];
};

struct pp_fwd {
	struct pp_fwd_block __rcu *blk[PP_FWD_BLOCKS];
};

/* The stream owning @port (RTP or RTCP) or NULL. Under rcu_read_lock(). */
static inline struct pp_media_stream *pp_fwd_lookup(const struct pp_fwd *t,
						    u16 port)
{
	unsigned int pair = port >> 1;
	const struct pp_fwd_block *b;

	b = rcu_dereference(t->blk[pair >> PP_FWD_BLOCK_SHIFT]);
	if (!b)
		return NULL;
	return rcu_dereference(b->slot[pair & (PP_FWD_BLOCK - 1)]);
}

/* @s owns the pair of @port from now on (a block may be allocated). */
int pp_fwd_insert(struct pp_fwd *t, u16 port, struct pp_media_stream *s,
		  gfp_t gfp);
/* The pair of @port is free (readers may still see the old stream). */
void pp_fwd_remove(struct pp_fwd *t, u16 port);
/* Free the blocks; no reader left. */
void pp_fwd_destroy(struct pp_fwd *t);

/*
 * The RTP port allocator of one side: a bitmap of pairs. A pair is drawn
 * uniformly at random among the free pairs of the range (a few random
 * probes; when they all hit used pairs, the k-th free pair for a random
 * k): an attacker cannot predict the port of the next call to inject
 * media into it (RFC 3550 section 5.1 asks for unpredictable values for
 * the same reason). Serialised by the caller.
 */
struct pp_port_alloc {
	DECLARE_BITMAP(map, PP_RELAY_PAIRS);
	unsigned int used;
};

/*
 * An even RTP port P, with P + 1, both within [@min, @max], or -ENOSPC.
 * The range is the configuration's now: ports allocated under an older
 * range stay allocated until freed. No allocation; O(1) expected while
 * the range is less than nearly full, O(range / BITS_PER_LONG) at worst.
 */
int pp_port_alloc(struct pp_port_alloc *a, u16 min, u16 max);
void pp_port_free(struct pp_port_alloc *a, u16 port);

/*
 * struct pp_media_net - the media state of one namespace
 *
 * @fwd is read by the packet path under RCU. @lock (taken with BH off:
 * the SCCP path calls in from softirq) serialises every writer and
 * protects the rest, the media.c fields of every stream and every owner's
 * list of streams.
 */
struct pp_media_net {
	struct pp_net *pn;
	struct pp_fwd fwd[PP_SIDES];
	spinlock_t lock;		/* see above */
	struct list_head streams;
	unsigned int n_streams;
	unsigned int gen;		/* bumped on every create/destroy, never 0 */
	struct pp_port_alloc ports[PP_SIDES];
	struct pp_relay_totals gone;	/* counters of destroyed streams */
	DECLARE_HASHTABLE(phones, 8);	/* struct pp_media_phone by address */
	u64 streams_total;
	unsigned int n_calls;		/* owners with at least one stream */
	u64 calls_total;		/* owners going from none to one */
	u64 no_port;
	u64 timeouts;
	u64 unopened;			/* phone fields for unopened channels */
	u64 stream_limit;		/* streams refused: address's maximum */
	bool closing;			/* the namespace goes: no new sweep */
	struct delayed_work sweep;	/* the idle-media timeout */
	/* SRTP contexts: made and freed by @srtp_work (process context). */
	struct list_head srtp_jobs;	/* struct pp_media_srtp to allocate */
	struct list_head srtp_dead;	/* to free after a grace period */
	struct work_struct srtp_work;
	u64 srtp_keys;			/* keys handed to the signalling */
	u64 srtp_alloc_fail;		/* contexts that could not be made */
};

/* Sum @s's per-CPU counters. */
void pp_relay_totals(const struct pp_media_stream *s,
		     struct pp_relay_totals *tot);

/* Register and unregister the relay's hook in @pn's namespace. */
int pp_relay_init(struct pp_net *pn);
void pp_relay_exit(struct pp_net *pn);

#endif /* _PP_RELAY_H */
