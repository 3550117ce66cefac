/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_MEDIA_H
#define _PP_MEDIA_H

#include <linux/list.h>
#include <linux/phoneproxy.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "pernet.h"
#include "srtp.h"

/*
 * Media relay: per-call pinholes and the in-kernel RTP/RTCP relay.
 *
 * The SCCP proxy (sccp_conn.c) owns one struct pp_media_owner per SCCP
 * connection it tracks and reports what the signalling says; media.c
 * allocates relay ports and keeps the streams; relay.c forwards packets.
 *
 * A stream is keyed by (owner, passThruPartyId), never one per call. It
 * has a north relay port N (on the north address: the phone sends its
 * RTP there, the CallManager's StartMediaTransmission is rewritten to
 * north:N) and a south relay port S (on the south address: the far end
 * sends there, the phone's OpenReceiveChannelAck/StartMediaTransmissionAck/
 * PortRes are rewritten to south:S). Both are allocated, at random, when
 * the CallManager opens the channel (OpenReceiveChannel, PortReq or a
 * StartMediaTransmission that comes first), RTP on an even port and RTCP
 * on port + 1, from the configured RTP range; what the phone announces
 * only finds a stream, never creates one.
 *
 * Forwarding (relay.c):
 *   phone -> north:N[+1]  from the owner's phone address and the source
 *			  port its first packet came from (latched per port:
 *			  phones behind NAT routers do not send from the port
 *			  they receive on, but keep the port they send from)
 *			  => from south:S[+1] to the far end's port[+1]
 *   far   -> south:S[+1]  from the far end's address
 *			  => from north:N[+1] to the phone address and the port
 *			  it announced[+1] (its source port until that is
 *			  known)
 * Anything else to a relay port is dropped and counted.
 *
 * Calls below are made from the SCCP packet path (softirq, under
 * rcu_read_lock()) or from process context; none sleeps. They may
 * allocate (GFP_ATOMIC) when a stream or port is created, never per
 * media packet.
 */

struct pp_media_net;

/*
 * One SCCP connection's media, embedded in the connection's state. Its
 * streams are under the namespace's media lock (one lock: the idle sweep
 * and the dump walk every stream, hairpinned calls join two owners).
 */
struct pp_media_owner {
	struct net *net;
	struct pp_media_net *mn;	/* the namespace's media state */
	__be32 phone_addr;		/* the phone's observed (activated) address */
	char user[PP_NAME_MAX];		/* the user, for show calls */
	struct list_head streams;	/* media.c's streams of this owner */
	bool frozen;			/* no new stream (inactivated user) */
	bool dead;			/* closed for good: no stream ever again */
};

/* Before the first call below; @user may be "" (open mode, unknown). */
void pp_media_owner_init(struct pp_media_owner *o, struct net *net,
			 __be32 phone_addr, const char *user);

/*
 * Tear down every stream of @o (Unregister, a FIN or RST). Idempotent;
 * the owner may get new streams afterwards (a phone registering again on
 * the same connection). After it returns no stream of @o forwards.
 */
void pp_media_owner_release(struct pp_media_owner *o);

/*
 * The owner's connection is gone: release every stream and refuse any
 * new one for good (-ESHUTDOWN), under the media lock, so that a caller
 * racing with the close (a segment that found the connection before it
 * was unlinked) cannot leave a stream pointing at a freed owner. The
 * owner may be freed after an RCU grace period.
 */
void pp_media_owner_close(struct pp_media_owner *o);

/*
 * The owner's user was inactivated: its streams live on (the guide: the
 * audio of a call in progress is not interrupted) until the signalling
 * or the connection ends them, but no new stream is created for it
 * (-EPERM): the phone "will not be able to make a new call or put the
 * current call on hold".
 */
void pp_media_owner_freeze(struct pp_media_owner *o);

/* Has @o no stream left? */
bool pp_media_owner_idle(struct pp_media_owner *o);

/*
 * The CallManager opened a channel on @o's connection (OpenReceiveChannel,
 * OpenMultiMediaReceiveChannel, PortReq): the stream @ppid is created with
 * both relay ports if new. A stream exists only for a channel the
 * CallManager opened: the phone's announcements below never create one.
 * -EDQUOT when the phone's address already has the configured maximum of
 * streams (PP_A_CFG_MAX_STREAMS, counted), -ENOSPC when the RTP range is
 * exhausted, -ENOMEM, -ENETUNREACH without a north or south address,
 * -EPERM (frozen) or -ESHUTDOWN (closed).
 */
int pp_media_open(struct pp_media_owner *o, u32 ppid);

/*
 * The phone says where it receives (OpenReceiveChannelAck, OpenMultiMedia-
 * ReceiveChannelAck, PortRes): @phone_port is the port it announced (0
 * when not known yet: the field straddles two TCP segments and the
 * replacement is needed before the rest arrives; the caller calls again
 * with the port once the message is complete, and the same ppid gets the
 * same ports back). Returns in @addr and @port the south relay address
 * and RTP port to write into the message instead. -ENOENT when the
 * CallManager opened no such channel: no stream is created for what a
 * phone announces on its own.
 */
int pp_media_phone_rx(struct pp_media_owner *o, u32 ppid, __be16 phone_port,
		      __be32 *addr, __be16 *port);

/*
 * The phone says where it sends from (StartMediaTransmissionAck,
 * StartMultiMediaTransmissionAck): as pp_media_phone_rx(), but @phone_port
 * is its send port, which is neither where it receives nor needed (its
 * source port is latched from its first packet): the stream's receive
 * side is left alone. Returns the south relay address and RTP port to
 * write instead (what the far end sees the phone's media come from).
 */
int pp_media_phone_tx(struct pp_media_owner *o, u32 ppid, __be16 phone_port,
		      __be32 *addr, __be16 *port);

/*
 * The CallManager tells the phone where to send (StartMediaTransmission,
 * StartMultiMediaTransmission): the far end @far_addr:@far_port (0 and 0
 * when not known yet, as above: the caller calls again with them once the
 * message is complete, and the same ppid gets the same ports back).
 * Creates the stream if new, as pp_media_open(). Returns the north relay
 * address and RTP port to write instead. Errors as pp_media_open().
 */
int pp_media_far_rx(struct pp_media_owner *o, u32 ppid, __be32 far_addr,
		    __be16 far_port, __be32 *addr, __be16 *port);

/*
 * Count a phone's announcement that found no channel (-ENOENT above),
 * once per message field (the SCCP proxy may report a field twice).
 */
void pp_media_unopened(struct pp_media_owner *o);

/* StopMediaTransmission: the phone stops sending on @ppid. */
void pp_media_stop_tx(struct pp_media_owner *o, u32 ppid);

/*
 * CloseReceiveChannel: the phone stops receiving on @ppid; @keep_port
 * (portHandlingFlag 1) keeps the south port for the next channel.
 */
void pp_media_close_rx(struct pp_media_owner *o, u32 ppid, bool keep_port);

struct sccp_media_key;

/*
 * SRTP for one direction of @o's stream @ppid (docs/srtp.md "In the
 * relay"): @dir PP_SRTP_RX for the key of StartMediaTransmission (what
 * the phone sends: the relay unprotects it), PP_SRTP_TX for that of
 * OpenReceiveChannel (what the phone receives: the relay protects it).
 * Draws a fresh master key and salt from the kernel RNG and fills @out
 * with them (alg SCCP_KEY_AES_CM_128_SHA1_80 or _32 after @suite,
 * key_len 16, salt_len 14, mki and kdr 0) for the caller to write into
 * the message to the phone, then to zero (memzero_explicit()).
 *
 * From then on that direction of the stream is keyed for good: it never
 * relays plain again. Its context is allocated by a work item (process
 * context) and published when ready; until then its packets are dropped
 * and counted ("pending"). A second call for the same stream and
 * direction replaces the key (and the context once the new one is
 * ready). The stream must exist (pp_media_open(), pp_media_far_rx()).
 *
 * Any context, under rcu_read_lock() or not; does not sleep; allocates
 * one small job (GFP_ATOMIC). Returns 0, -ENOENT (no such stream),
 * -EINVAL (@dir or @suite), -ENOMEM, -ESHUTDOWN (owner closed,
 * namespace going). Never logs the key.
 */
int pp_media_srtp_key(struct pp_media_owner *o, u32 ppid,
		      enum pp_srtp_dir dir, enum pp_srtp_suite suite,
		      struct sccp_media_key *out);

/* Per-namespace state, from pernet.c (after config, before the firewall). */
int pp_media_net_init(struct pp_net *pn);
void pp_media_net_exit(struct pp_net *pn);

/* Counters for PP_CMD_STATS_GET (live streams and those gone). */
struct pp_media_stats {
	u32 streams;		/* streams now */
	u64 streams_total;	/* streams created */
	u32 calls;		/* phones with media now (call legs) */
	u64 calls_total;	/* a phone's first stream of a call */
	u64 pkts;		/* packets relayed, both ways */
	u64 bytes;
	u64 drops;		/* packets to a relay port not relayed */
	u64 no_port;		/* streams refused: RTP range exhausted */
	u64 timeouts;		/* streams ended by the idle-media timeout */
	u64 unopened;		/* phone's fields for no channel the CCM opened */
	u64 stream_limit;	/* streams refused: the address's maximum */
	u64 port_drops;		/* phone's packets not from its latched port */
	u64 srtp[PP_SRTP_CNTS];	/* enum pp_srtp_cnt (relay.h) */
	u64 srtp_keys;		/* keys handed to the signalling */
	u64 srtp_alloc_fail;	/* contexts that could not be made */
};

void pp_media_stats(struct pp_net *pn, struct pp_media_stats *st);

struct netlink_callback;
struct sk_buff;

/*
 * PP_CMD_CALL_GET dump: one message per stream, from cb->args[0] on.
 * @start begins a message (genlmsg_put() and the consistency check,
 * after cb->seq is set) or returns NULL when @skb is full. Returns
 * skb->len.
 */
int pp_media_dump(struct pp_net *pn, struct sk_buff *skb,
		  struct netlink_callback *cb,
		  void *(*start)(struct sk_buff *skb,
				 struct netlink_callback *cb));

#endif /* _PP_MEDIA_H */
