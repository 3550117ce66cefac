// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The SCCP proxy (see sccp_conn.h and docs/sccp.md).
 *
 * Hooks, per namespace:
 * - a NAT hook at PRE_ROUTING (nf_nat_ipv4_register_fn(), priority
 *   NF_IP_PRI_NAT_DST), registered only while the namespace has both a
 *   north and a south address (pp_sccp_nat_update()): registering it
 *   turns NAT on for the whole namespace, and a namespace that is not a
 *   proxy (a container, a phone in the test lab) must not get NAT's null
 *   bindings, which remap the source port of one of two racing first
 *   packets of a UDP flow. The SYN of a new connection from an activated
 *   address to north:sccp_port gets its DNAT to the user's CallManager
 *   and its SNAT to the south address, and a struct pp_sccp_conn keyed
 *   by the conntrack entry (which it references);
 * - a FORWARD hook: packets of a tracked connection have their SCCP
 *   payload followed and rewritten (same lengths: sequence numbers never
 *   move, so the TCP checksum is patched incrementally); every other
 *   forwarded packet is dropped while the north role is configured.
 * - LOCAL_OUT and LOCAL_IN hooks: a connection the TLS terminator
 *   (pp-tlsd) opens from the south address to a CallManager after
 *   claiming it (pp_sccp_claim(), PP_CMD_SCCP_CLAIM) is tracked as the
 *   phone's, by the same per-segment code (pp_sccp_packet()); its phone
 *   is the claim's peer address, never the conntrack tuple's. Unclaimed
 *   local connections are not touched.
 * A garbage collector (delayed work, every PP_SCCP_GC_SECS) frees the
 * state of connections whose conntrack entry died and expires claims.
 *
 * Memory: a connection's state (pp_sccp_conn_cache) holds the two stream
 * trackers without their byte rings. A direction takes a ring
 * (pp_sccp_ring_cache, SCCP_STREAM_RING bytes) when it has new bytes to
 * keep and gives it back once the receiver acknowledged all of them: an
 * idle phone, its keepalives acknowledged, holds none. Rings are bounded
 * per namespace (PP_SCCP_RINGS_MAX) and per phone (PP_A_CFG_MAX_CONNS, by
 * the keyed hash of its address); a segment that finds none is dropped
 * (counted: sccp no buffer) and retransmitted by its sender, never passed
 * unexamined.
 */
#include <linux/icmp.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/moduleparam.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/phoneproxy.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/u64_stats_sync.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_nat.h>
#include <net/route.h>
#include <net/tcp.h>

#include "activation.h"
#include "config.h"
#include "events.h"
#include "media.h"
#include "pp_rules.h"
#include "registration.h"
#include "sccp.h"
#include "sccp_stream.h"
#include "sccp_conn.h"
#include "srtp.h"
#include "users.h"

#define PP_SCCP_GC_SECS		2
#define PP_SCCP_UNCONFIRMED_SECS	10	/* a SYN that never got through */
#define PP_SCCP_CLAIMS_MAX	1024	/* pending claims per namespace */
#define PP_SCCP_CLAIM_BITS	6	/* hash buckets, by local port */
/*
 * Open mode (the guide's AdHoCuSeR): connections of phones that are not
 * activated, at most PP_A_CFG_MAX_CONNS per source address (counted in
 * one of PP_SCCP_ADHOC_SLOTS slots by a keyed hash of the address: two
 * addresses that share a slot share its limit, never exceed it) and
 * PP_SCCP_ADHOC_MAX in all per namespace.
 */
#define PP_SCCP_ADHOC_USER	"AdHoCuSeR"
#define PP_SCCP_ADHOC_SLOTS	1024
#define PP_SCCP_ADHOC_MAX	1024
/*
 * Byte rings (see above): at most sccp_rings_max per namespace (the
 * module parameter, default PP_SCCP_RINGS_MAX: 16 MiB), and
 * PP_A_CFG_MAX_CONNS per phone, counted in one of PP_SCCP_ADHOC_SLOTS
 * slots by the same keyed hash of its address (two addresses that share
 * a slot share its limit).
 */
#define PP_SCCP_RINGS_MAX	4096

static unsigned int pp_sccp_rings_max __read_mostly = PP_SCCP_RINGS_MAX;
module_param_named(sccp_rings_max, pp_sccp_rings_max, uint, 0644);
MODULE_PARM_DESC(sccp_rings_max,
		 "SCCP stream buffers (4 KiB byte rings) per network namespace");

static struct kmem_cache *pp_sccp_conn_cache __read_mostly;
static struct kmem_cache *pp_sccp_ring_cache __read_mostly;

enum pp_sccp_state {
	PP_SCCP_OPEN,		/* following the streams */
	PP_SCCP_CLOSING,	/* FIN or RST seen: media released */
	PP_SCCP_DEAD,		/* reset by us: nothing passes */
};

struct pp_sccp_conn {
	struct rhash_head node;
	struct nf_conn *ct;		/* the key; referenced */
	struct list_head list;		/* sn->conns, under sn->lock */
	struct pp_net *pn;
	unsigned long created;		/* jiffies */

	spinlock_t lock;		/* everything below */
	u8 state;			/* enum pp_sccp_state */
	bool counted;			/* open: reported to activation.c */
	bool registered;
	bool orphan;			/* inactivated during a call: see
					 * pp_sccp_addr_down()
					 */
	bool local;			/* claimed: the LOCAL_OUT/IN hooks */
	bool adhoc;			/* open mode, not activated: counted
					 * in sn->adhoc_src[@adhoc_slot]
					 */
	u16 adhoc_slot;
	u16 ring_slot;			/* sn->ring_src[], the phone's */
	bool syn[IP_CT_DIR_MAX];	/* stream initialised */
	bool fin[IP_CT_DIR_MAX];
	u8 proto[IP_CT_DIR_MAX];	/* Register max / RegisterAck version */
	/*
	 * The phone: the source of a plain connection, the claim's peer
	 * for a claimed one (the tuple holds the south address). Activation
	 * counts, media pinholes, resets on inactivation and logs use it.
	 */
	__be32 phone_addr;
	__be32 ccm_addr;
	char sid[PP_SID_LEN + 1];
	char device[PP_NAME_MAX];	/* claimed: the certificate's, or "" */
	/*
	 * passThruPartyIds of the OpenReceiveChannels not yet acknowledged,
	 * oldest first: an OpenReceiveChannelAck carries its ppid after
	 * the address, so when a segment ends inside the address the relay
	 * port is chosen for the oldest open request (phones answer them in
	 * order), not for ppid 0.
	 */
	u32 orc_ppid[4];
	u8 n_orc;
	struct sccp_stream st[IP_CT_DIR_MAX];
	struct pp_media_owner media;
	struct rcu_head rcu;
};

/* The per-CPU counters, by enum pp_sccp_counter. */
enum pp_sccp_counter {
	PP_SC_CONNS, PP_SC_REGISTERED, PP_SC_SID_MISMATCH, PP_SC_STREAM_ERRORS,
	PP_SC_OOO, PP_SC_REWRITES, PP_SC_FWD_DROP,
	PP_SC_INCONSISTENT,
	PP_SC_CONN_LIMIT,
	PP_SC_CLAIMED,
	PP_SC_PLAIN_REFUSED,
	PP_SC_ADHOC,
	PP_SC_ADHOC_LIMIT,
	PP_SC_NOBUF,
	PP_SC_NUM
};

struct pp_sccp_pcpu {
	u64_stats_t c[PP_SC_NUM];
	struct u64_stats_sync syncp;
};

struct pp_sccp_net {
	struct pp_net *pn;
	struct rhashtable ht;		/* struct pp_sccp_conn by ct */
	spinlock_t lock;		/* @conns, insertions and removals */
	struct list_head conns;
	atomic_t open;
	struct delayed_work gc;
	struct pp_sccp_pcpu __percpu *stats;
	bool nat_on;			/* pp_sccp_nat_ops registered; pn->lock */
	/* Pending claims (struct pp_sccp_claim) by local port; sn->lock. */
	struct hlist_head claims[1 << PP_SCCP_CLAIM_BITS];
	unsigned int n_claims;		/* written under sn->lock */
	/* Open mode's connections of phones not activated. */
	atomic_t adhoc_open;
	u32 adhoc_seed;			/* the keyed hash of phone addresses */
	atomic_t adhoc_src[PP_SCCP_ADHOC_SLOTS];
	/* Byte rings taken, in all and per phone slot. */
	atomic_t rings;
	atomic_t ring_src[PP_SCCP_ADHOC_SLOTS];
};

/*
 * A claim (PP_CMD_SCCP_CLAIM): the TLS terminator's socket bound to
 * south:@local_port will connect to @ccm_addr:@ccm_port for the phone at
 * @peer_addr. Counted as an open connection of that activation from the
 * claim on (pp_activation_conn_try_open()); the connection's state takes
 * the count over, an expired or dropped claim gives it back.
 */
struct pp_sccp_claim {
	struct hlist_node node;
	__be32 peer_addr;
	__be16 peer_port;
	__be16 local_port;
	__be32 ccm_addr;
	__be16 ccm_port;
	unsigned long expires;		/* jiffies */
	char sid[PP_SID_LEN + 1];
	char device[PP_NAME_MAX];
	char user[PP_NAME_MAX];
};

static const struct rhashtable_params pp_sccp_params = {
	.key_len		= sizeof(struct nf_conn *),
	.key_offset		= offsetof(struct pp_sccp_conn, ct),
	.head_offset		= offsetof(struct pp_sccp_conn, node),
	.automatic_shrinking	= true,
};

static void pp_sccp_count(struct pp_sccp_net *sn, enum pp_sccp_counter c,
			  u64 n)
{
	struct pp_sccp_pcpu *s;

	/* Hooks run with BH off; the rest disables it. */
	local_bh_disable();
	s = this_cpu_ptr(sn->stats);
	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->c[c], n);
	u64_stats_update_end(&s->syncp);
	local_bh_enable();
}

void pp_sccp_stats(struct pp_net *pn, struct pp_sccp_stats *out)
{
	struct pp_sccp_net *sn = pn->sccp;
	u64 sum[PP_SC_NUM] = {}, v[PP_SC_NUM];
	unsigned int start;
	int cpu, i;

	memset(out, 0, sizeof(*out));
	if (!sn)
		return;
	for_each_possible_cpu(cpu) {
		const struct pp_sccp_pcpu *s = per_cpu_ptr(sn->stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < PP_SC_NUM; i++)
				v[i] = u64_stats_read(&s->c[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < PP_SC_NUM; i++)
			sum[i] += v[i];
	}
	out->conns = sum[PP_SC_CONNS];
	out->registered = sum[PP_SC_REGISTERED];
	out->sid_mismatch = sum[PP_SC_SID_MISMATCH];
	out->stream_errors = sum[PP_SC_STREAM_ERRORS];
	out->ooo = sum[PP_SC_OOO];
	out->rewrites = sum[PP_SC_REWRITES];
	out->fwd_drop = sum[PP_SC_FWD_DROP];
	out->inconsistent = sum[PP_SC_INCONSISTENT];
	out->conn_limit = sum[PP_SC_CONN_LIMIT];
	out->claimed = sum[PP_SC_CLAIMED];
	out->plain_refused = sum[PP_SC_PLAIN_REFUSED];
	out->adhoc = sum[PP_SC_ADHOC];
	out->adhoc_limit = sum[PP_SC_ADHOC_LIMIT];
	out->nobuf = sum[PP_SC_NOBUF];
	out->open = atomic_read(&sn->open);
	out->rings = atomic_read(&sn->rings);
}

static void pp_sccp_closed(struct pp_sccp_conn *c);
static void pp_sccp_set_registered(struct pp_sccp_conn *c, bool on, u8 why);

/* ---- Byte rings ------------------------------------------------------ */

/* The slot of @addr in sn->adhoc_src[] and sn->ring_src[]. */
static u32 pp_sccp_slot(const struct pp_sccp_net *sn, __be32 addr)
{
	return jhash_1word((__force u32)addr, sn->adhoc_seed) %
	       PP_SCCP_ADHOC_SLOTS;
}

/*
 * A ring for a direction of @c with new bytes to keep (sccp_stream_ops
 * .ring), within the namespace's and the phone's bounds; NULL: the
 * segment is dropped (SCCP_ST_NOBUF), the sender retransmits it. Under
 * c->lock, BH off.
 */
static u8 *pp_sccp_ring_take(struct pp_sccp_conn *c, u32 max_phone)
{
	struct pp_sccp_net *sn = c->pn->sccp;
	atomic_t *src = &sn->ring_src[c->ring_slot];
	u8 *ring;

	/* Either bound may have been lowered: compare, never wrap. */
	if (atomic_inc_return(&sn->rings) > READ_ONCE(pp_sccp_rings_max))
		goto err_net;
	if (atomic_inc_return(src) > max_phone)
		goto err_phone;
	ring = kmem_cache_alloc(pp_sccp_ring_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (ring)
		return ring;
err_phone:
	atomic_dec(src);
err_net:
	atomic_dec(&sn->rings);
	return NULL;
}

/* Give @st's ring back (its bytes wiped), if it has one. Under c->lock. */
static void pp_sccp_ring_give(struct pp_sccp_conn *c, struct sccp_stream *st)
{
	struct pp_sccp_net *sn = c->pn->sccp;
	u8 *ring = sccp_stream_ring_detach(st);

	if (!ring)
		return;
	kmem_cache_free(pp_sccp_ring_cache, ring);
	atomic_dec(&sn->ring_src[c->ring_slot]);
	atomic_dec(&sn->rings);
}

/* Nothing passes any more (PP_SCCP_DEAD): both rings back. c->lock. */
static void pp_sccp_rings_give(struct pp_sccp_conn *c)
{
	pp_sccp_ring_give(c, &c->st[IP_CT_DIR_ORIGINAL]);
	pp_sccp_ring_give(c, &c->st[IP_CT_DIR_REPLY]);
}

/* ---- Resets ---------------------------------------------------------- */

/*
 * Send a RST from @saddr:@sport to @daddr:@dport with sequence @seq,
 * untracked (the conntrack entry is being killed; the addresses are the
 * final ones). Allocates: once per reset, never per packet.
 */
static void pp_sccp_send_rst(struct net *net, __be32 saddr, __be16 sport,
			     __be32 daddr, __be16 dport, u32 seq, u32 ack)
{
	struct sk_buff *skb;
	struct flowi4 fl4;
	struct iphdr *iph;
	struct tcphdr *th;
	struct rtable *rt;

	skb = alloc_skb(LL_MAX_HEADER + sizeof(*iph) + sizeof(*th),
			GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	skb_set_transport_header(skb, sizeof(*iph));
	th = skb_put_zero(skb, sizeof(*th));
	th->source = sport;
	th->dest = dport;
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = sizeof(*th) / 4;
	th->rst = 1;
	th->ack = 1;
	th->check = tcp_v4_check(sizeof(*th), saddr, daddr,
				 csum_partial(th, sizeof(*th), 0));
	skb->ip_summed = CHECKSUM_NONE;
	skb->protocol = htons(ETH_P_IP);

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = daddr;
	fl4.saddr = saddr;
	fl4.flowi4_proto = IPPROTO_TCP;
	/*
	 * A claimed connection's RST to the terminator's socket comes from
	 * the CallManager's address, not ours: routed to the local south
	 * address, loopback delivers it to the socket (ECONNRESET).
	 */
	fl4.flowi4_flags = FLOWI_FLAG_ANYSRC;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return;
	}
	skb_dst_set(skb, &rt->dst);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
	ip_local_out(net, NULL, skb);
}

/*
 * Reset @c: a RST to the phone (from north:sccp_port) and one to the
 * CallManager (from the south address and port of the SNAT), at the
 * sequence numbers the streams reached, then kill the conntrack entry.
 * A claimed connection has no NAT: its "phone" end is the terminator's
 * socket on the south address, which gets its RST locally (from the
 * CallManager's address and port), and closes the TLS side.
 * Under c->lock.
 */
static void pp_sccp_reset(struct pp_sccp_conn *c)
{
	const struct nf_conntrack_tuple *o, *r;
	struct net *net = c->pn->net;
	u32 to_phone, to_ccm;

	if (c->state == PP_SCCP_DEAD)
		return;
	c->state = PP_SCCP_DEAD;
	pp_sccp_set_registered(c, false, PP_REASON_RESET);
	o = &c->ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	r = &c->ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	if (c->syn[IP_CT_DIR_ORIGINAL] && c->syn[IP_CT_DIR_REPLY]) {
		to_phone = c->st[IP_CT_DIR_REPLY].next_seq;
		to_ccm = c->st[IP_CT_DIR_ORIGINAL].next_seq;
		pp_sccp_send_rst(net, o->dst.u3.ip, o->dst.u.tcp.port,
				 o->src.u3.ip, o->src.u.tcp.port,
				 to_phone, to_ccm);
		pp_sccp_send_rst(net, r->dst.u3.ip, r->dst.u.tcp.port,
				 r->src.u3.ip, r->src.u.tcp.port,
				 to_ccm, to_phone);
	}
	pp_sccp_rings_give(c);
	nf_ct_kill(c->ct);
	pp_sccp_closed(c);
}

/* ---- The SCCP decisions ---------------------------------------------- */

struct pp_sccp_ctx {
	struct pp_sccp_conn *c;
	const struct pp_config *cfg;
	int dir;
	unsigned int rewrites;
};

static void pp_sccp_v4(struct sccp_addr *repl, const struct sccp_ep *ep,
		       __be32 addr, u32 port)
{
	sccp_addr_v4(repl, (const u8 *)&addr, port);
	/* A v17 field keeps its type; an IPv6-only one becomes IPv4. */
	if (ep->known && ep->val.type == SCCP_IPTYPE_BOTH)
		repl->type = SCCP_IPTYPE_BOTH;
}

/*
 * Open mode: a phone not activated registers at the AdHoCuSeR's
 * CallManager as whatever device it is, but not as the device of a user
 * active now (at another address: that one's phone is connected there).
 * Under rcu_read_lock() (BH).
 */
static bool pp_sccp_adhoc_device_ok(const struct pp_sccp_conn *c,
				    const struct sccp_msg *m)
{
	const struct pp_users *t = rcu_dereference(c->pn->users);
	char sid[PP_SID_LEN + 1];
	const struct pp_user *u;

	switch (m->hdr.id) {
	case SCCP_REGISTER_REQ:
	case SCCP_REGISTER_TOKEN_REQ:
	case SCCP_SPCP_REGISTER_TOKEN_REQ:
		break;
	default:
		return true;		/* not a registration */
	}
	if (!(m->fields & SCCP_F_NAME) || !pp_sid_normalize(sid, m->name))
		return true;		/* not a published user's SID */
	u = t ? pp_users_find_sid(t, sid) : NULL;
	return !u || !rcu_access_pointer(u->act);
}

/*
 * The SCCP check of the guide: one user, one device (sccp_device_ok()).
 * A claimed connection whose client certificate named a device must
 * register as that device too.
 */
static bool pp_sccp_sid_ok(const struct pp_sccp_conn *c,
			   const struct sccp_msg *m)
{
	if (c->adhoc)
		return pp_sccp_adhoc_device_ok(c, m);
	return sccp_device_ok(m, c->sid) &&
	       (!c->device[0] || sccp_device_ok(m, c->device));
}

static int pp_sccp_refuse_sid(struct pp_sccp_ctx *x, const struct sccp_msg *m)
{
	struct pp_sccp_conn *c = x->c;

	const char *name = (m->fields & SCCP_F_NAME) ? m->name : "";

	pp_sccp_count(c->pn->sccp, PP_SC_SID_MISMATCH, 1);
	net_info_ratelimited("%pI4 (SID %s) registered as device \"%s\": connection reset\n",
			     &c->phone_addr, c->sid, name);
	pp_reg_tell(c->pn, PP_EV_REFUSED, 0, c->phone_addr, c->ccm_addr,
		    c->sid, name);
	return SCCP_E_ABORT;
}

/* Under c->lock. */
static void pp_sccp_orc_push(struct pp_sccp_conn *c, u32 ppid)
{
	if (c->n_orc == ARRAY_SIZE(c->orc_ppid)) {
		memmove(c->orc_ppid, c->orc_ppid + 1,
			sizeof(c->orc_ppid) - sizeof(c->orc_ppid[0]));
		c->n_orc--;
	}
	c->orc_ppid[c->n_orc++] = ppid;
}

static void pp_sccp_orc_done(struct pp_sccp_conn *c, u32 ppid)
{
	unsigned int i;

	for (i = 0; i < c->n_orc; i++)
		if (c->orc_ppid[i] == ppid) {
			memmove(c->orc_ppid + i, c->orc_ppid + i + 1,
				(c->n_orc - i - 1) * sizeof(c->orc_ppid[0]));
			c->n_orc--;
			return;
		}
}

static bool pp_sccp_from_ccm(const struct sccp_msg *m, const struct sccp_ep *ep)
{
	switch (ep->role) {
	case SCCP_ROLE_MEDIA_REMOTE:
		return m->hdr.id != SCCP_MEDIA_TX_FAILURE;
	case SCCP_ROLE_MEDIA_SOURCE:
	case SCCP_ROLE_MULTICAST:
	case SCCP_ROLE_SERVER:
	case SCCP_ROLE_SERVER_PORT:
		return true;
	default:
		return false;
	}
}

static int pp_sccp_rewrite(void *ctx, const struct sccp_msg *m,
			   unsigned int i, struct sccp_addr *repl)
{
	struct pp_sccp_ctx *x = ctx;
	struct pp_sccp_conn *c = x->c;
	const struct sccp_ep *ep = &m->ep[i];
	__be32 north = x->cfg->north_addr, south = x->cfg->south_addr;
	u32 ppid = (m->fields & SCCP_F_PPID) ? m->ppid : 0;
	__be16 port;
	bool from_ccm;
	__be32 addr;
	int err;

	/* An ORC-Ack cut inside its address: the oldest open request's. */
	if (!(m->fields & SCCP_F_PPID) && c->n_orc &&
	    (m->hdr.id == SCCP_OPEN_RECV_CHAN_ACK ||
	     m->hdr.id == SCCP_OPEN_MM_RECV_CHAN_ACK))
		ppid = c->orc_ppid[0];

	/*
	 * Who may announce what: a phone's field from the CallManager (or
	 * the reverse) is a stream we do not understand.
	 */
	from_ccm = x->dir == IP_CT_DIR_REPLY;
	if (from_ccm != pp_sccp_from_ccm(m, ep))
		return SCCP_E_ABORT;

	switch (ep->role) {
	case SCCP_ROLE_STATION:
		/* The device name is before the address: known now. */
		if (!pp_sccp_sid_ok(c, m))
			return pp_sccp_refuse_sid(x, m);
		pp_sccp_v4(repl, ep, south, 0);
		break;
	case SCCP_ROLE_STATION_V6:
		/* The proxy speaks IPv4 to the CallManager: no v6 address. */
		break;
	case SCCP_ROLE_ALARM:
		pp_sccp_v4(repl, ep, south, 0);
		break;
	case SCCP_ROLE_MEDIA_RX:
	case SCCP_ROLE_MEDIA_TX:
		if (!(ep->shape & (SCCP_EP_IP4 | SCCP_EP_IP16)))
			return SCCP_RW_KEEP;	/* IpPort: a port alone */
		err = (ep->role == SCCP_ROLE_MEDIA_TX ? pp_media_phone_tx :
		       pp_media_phone_rx)(&c->media, ppid,
					  htons(ep->known ? ep->val.port : 0),
					  &addr, &port);
		if (err == -ENOENT) {
			pp_media_unopened(&c->media);
			/*
			 * No channel the CallManager opened (counted): no
			 * stream, no port. The answer still goes south, as
			 * the south address and port 0, not the phone's own
			 * address: it may be a late answer to a channel the
			 * CallManager just closed, no reason for a reset.
			 */
			pp_sccp_v4(repl, ep, south, 0);
			break;
		}
		if (err)
			return SCCP_E_ABORT;
		pp_sccp_v4(repl, ep, addr, ntohs(port));
		break;
	case SCCP_ROLE_MEDIA_REMOTE:
		if (m->hdr.id == SCCP_MEDIA_TX_FAILURE) {
			/* Phone -> CallManager: never a north address south. */
			pp_sccp_v4(repl, ep, south, 0);
			break;
		}
		/*
		 * A field cut by the segment: the far end is told again,
		 * with its value, once the message is complete.
		 */
		memcpy(&addr, ep->val.ip, sizeof(addr));
		err = pp_media_far_rx(&c->media, ppid, ep->known ? addr : 0,
				      htons(ep->known ? ep->val.port : 0),
				      &addr, &port);
		if (err)
			return SCCP_E_ABORT;
		pp_sccp_v4(repl, ep, addr, ntohs(port));
		break;
	case SCCP_ROLE_MEDIA_SOURCE:
		pp_sccp_v4(repl, ep, north, 0);
		break;
	case SCCP_ROLE_SERVER:
		pp_sccp_v4(repl, ep, north, 0);
		break;
	case SCCP_ROLE_MULTICAST:
	case SCCP_ROLE_SERVER_PORT:
	default:
		return SCCP_RW_KEEP;
	}
	x->rewrites++;
	return SCCP_RW_REWRITE;
}

/*
 * Registration state, for show user, and its events (registration.h):
 * @why it ended (enum pp_reason) when @on is false. Under c->lock.
 */
static void pp_sccp_set_registered(struct pp_sccp_conn *c, bool on, u8 why)
{
	if (c->registered == on)
		return;
	c->registered = on;
	if (on)
		pp_sccp_count(c->pn->sccp, PP_SC_REGISTERED, 1);
	if (c->counted && !c->adhoc)
		pp_activation_conn_registered(c->pn->net, c->phone_addr, on);
	pp_reg_tell(c->pn, on ? PP_EV_REGISTERED : PP_EV_UNREGISTERED,
		    on ? 0 : why, c->phone_addr, c->ccm_addr, c->sid,
		    c->device[0] ? c->device : c->sid);
}

/*
 * The connection is over (a RST, a FIN each way, or reset by us): it no
 * longer counts as open (show user, sccp open, the idle timeout), though
 * its state lives until the conntrack entry dies (TIME_WAIT) or, after
 * an inactivation, its media ends. Under c->lock; once.
 */
static void pp_sccp_closed(struct pp_sccp_conn *c)
{
	pp_sccp_set_registered(c, false, PP_REASON_CLOSED);
	if (!c->counted)
		return;
	if (c->adhoc) {
		atomic_dec(&c->pn->sccp->adhoc_src[c->adhoc_slot]);
		atomic_dec(&c->pn->sccp->adhoc_open);
	} else {
		pp_activation_conn_closed(c->pn->net, c->phone_addr);
	}
	c->counted = false;
	atomic_dec(&c->pn->sccp->open);
}

static void pp_sccp_hint(struct pp_sccp_conn *c)
{
	u8 v = c->proto[IP_CT_DIR_ORIGINAL];

	if (c->proto[IP_CT_DIR_REPLY] && (!v || c->proto[IP_CT_DIR_REPLY] < v))
		v = c->proto[IP_CT_DIR_REPLY];
	sccp_stream_set_hint(&c->st[IP_CT_DIR_ORIGINAL], v);
	sccp_stream_set_hint(&c->st[IP_CT_DIR_REPLY], v);
}

/*
 * What the phone of an inactivated user may still send while its call's
 * audio goes on (pp_sccp_addr_down()): keepalives and the answers about
 * the channels of that call, or its Unregister. Anything else (a new
 * call, hold, transfer, a hang-up) resets the connection, which ends the
 * call's streams: the guide's "the phone will not be able to perform any
 * more functions".
 */
static bool pp_sccp_orphan_may(u32 id)
{
	switch (id) {
	case SCCP_KEEPALIVE_REQ:
	case SCCP_OPEN_RECV_CHAN_ACK:
	case SCCP_OPEN_MM_RECV_CHAN_ACK:
	case SCCP_START_MEDIA_TX_ACK:
	case SCCP_START_MM_TX_ACK:
	case SCCP_PORT_RES:
	case SCCP_MEDIA_TX_FAILURE:
	case SCCP_UNREGISTER_REQ:
		return true;
	default:
		return false;
	}
}

/* The CallManager opened channel @ppid on @c (from pp_sccp_pdu()). */
static int pp_sccp_media_open(struct pp_sccp_ctx *x, const struct sccp_msg *m,
			      u32 ppid)
{
	struct pp_sccp_conn *c = x->c;
	int err;

	err = pp_media_open(&c->media, ppid);
	if (!err)
		return 0;
	net_info_ratelimited("%pI4: no media stream for the CallManager's %s (ppid %u): %s: connection reset\n",
			     &c->phone_addr, sccp_msg_name(m->hdr.id), ppid,
			     err == -EDQUOT ? "the phone's maximum of streams" :
			     err == -EPERM ? "user inactivated" :
			     err == -ENOSPC ? "no RTP port left" : "no memory");
	return SCCP_E_ABORT;
}

static int pp_sccp_pdu(void *ctx, const struct sccp_msg *m, int err)
{
	struct pp_sccp_ctx *x = ctx;
	struct pp_sccp_conn *c = x->c;
	u32 ppid = m->ppid;
	__be16 port;
	__be32 addr;
	unsigned int i;

	if (err) {
		net_info_ratelimited("%pI4: malformed SCCP %s (%s): connection reset\n",
				     &c->phone_addr, sccp_msg_name(m->hdr.id),
				     sccp_strerror(err));
		return SCCP_E_ABORT;
	}
	if (c->orphan && x->dir == IP_CT_DIR_ORIGINAL &&
	    !pp_sccp_orphan_may(m->hdr.id)) {
		net_info_ratelimited("%pI4: inactivated user's phone sent %s: connection reset\n",
				     &c->phone_addr, sccp_msg_name(m->hdr.id));
		return SCCP_E_ABORT;
	}
	switch (m->hdr.id) {
	case SCCP_REGISTER_REQ:
		if (!pp_sccp_sid_ok(c, m))
			return pp_sccp_refuse_sid(x, m);
		if (m->fields & SCCP_F_PROTO)
			c->proto[IP_CT_DIR_ORIGINAL] = m->proto;
		pp_sccp_hint(c);
		break;
	case SCCP_REGISTER_TOKEN_REQ:
	case SCCP_SPCP_REGISTER_TOKEN_REQ:
		/* Registrations too: the name is known by now. */
		if (x->dir == IP_CT_DIR_ORIGINAL && !pp_sccp_sid_ok(c, m))
			return pp_sccp_refuse_sid(x, m);
		break;
	case SCCP_REGISTER_ACK:
		if (m->fields & SCCP_F_PROTO)
			c->proto[IP_CT_DIR_REPLY] = m->proto;
		pp_sccp_hint(c);
		pp_sccp_set_registered(c, true, 0);
		break;
	case SCCP_REGISTER_REJECT:
	case SCCP_UNREGISTER_ACK:
		pp_sccp_set_registered(c, false,
				       m->hdr.id == SCCP_REGISTER_REJECT ?
				       PP_REASON_REJECTED :
				       PP_REASON_UNREGISTER);
		pp_media_owner_release(&c->media);
		c->n_orc = 0;
		break;
	case SCCP_OPEN_RECV_CHAN:
	case SCCP_OPEN_MM_RECV_CHAN:
	case SCCP_PORT_REQ:
		/* A channel the CallManager opens: its stream, now. */
		if (!(m->fields & SCCP_F_PPID) || x->dir != IP_CT_DIR_REPLY)
			break;
		if (m->hdr.id != SCCP_PORT_REQ)
			pp_sccp_orc_push(c, ppid);
		return pp_sccp_media_open(x, m, ppid);
	case SCCP_OPEN_RECV_CHAN_ACK:
	case SCCP_OPEN_MM_RECV_CHAN_ACK:
		if (m->fields & SCCP_F_PPID)
			pp_sccp_orc_done(c, ppid);
		fallthrough;
	case SCCP_PORT_RES:
	case SCCP_START_MEDIA_TX_ACK:
	case SCCP_START_MM_TX_ACK:
		/* Now with the port, if the field straddled two segments. */
		for (i = 0; i < m->n_ep; i++)
			if ((m->ep[i].role == SCCP_ROLE_MEDIA_RX ||
			     m->ep[i].role == SCCP_ROLE_MEDIA_TX) &&
			    m->ep[i].known &&
			    (m->ep[i].shape & (SCCP_EP_IP4 | SCCP_EP_IP16)))
				(m->ep[i].role == SCCP_ROLE_MEDIA_TX ?
				 pp_media_phone_tx : pp_media_phone_rx)
					(&c->media, ppid,
					 htons(m->ep[i].val.port),
					 &addr, &port);
		break;
	case SCCP_START_MEDIA_TX:
	case SCCP_START_MM_TX:
		/* Now with the far end, if the field straddled two segments. */
		for (i = 0; i < m->n_ep; i++)
			if (m->ep[i].role == SCCP_ROLE_MEDIA_REMOTE &&
			    m->ep[i].known) {
				memcpy(&addr, m->ep[i].val.ip, sizeof(addr));
				pp_media_far_rx(&c->media, ppid, addr,
						htons(m->ep[i].val.port),
						&addr, &port);
			}
		break;
	case SCCP_STOP_MEDIA_TX:
	case SCCP_STOP_MM_TX:
		if (m->fields & SCCP_F_PPID)
			pp_media_stop_tx(&c->media, ppid);
		break;
	case SCCP_CLOSE_RECV_CHAN:
	case SCCP_CLOSE_MM_RECV_CHAN:
		if (!(m->fields & SCCP_F_PPID))
			break;
		pp_sccp_orc_done(c, ppid);	/* if never acknowledged */
		pp_media_close_rx(&c->media, ppid,
				  (m->fields & SCCP_F_PORT_HANDLING) &&
				  m->port_handling == 1);
		break;
	}
	return 0;
}

/*
 * The media key block of an OpenReceiveChannel or StartMediaTransmission
 * on its way to a phone (sccp_stream.h). A secure phone (a claimed
 * connection: its SCCP travels in TLS through the terminator) gets fresh
 * SRTP keys the relay then uses (pp_media_srtp_key()): ORC's for what the
 * phone receives, which the relay protects toward it, SMT's for what it
 * sends, which the relay unprotects. Whatever the CallManager wrote there
 * is replaced: the south keeps plain RTP. Encryption cannot be
 * negotiated away (the guide): a message without room for the keys, or
 * keys that cannot be made, reset the connection. A plain phone's block
 * passes as it came.
 */
static int pp_sccp_key(void *ctx, const struct sccp_msg *m, int blk_len,
		       struct sccp_media_key *k)
{
	struct pp_sccp_ctx *x = ctx;
	struct pp_sccp_conn *c = x->c;
	enum pp_srtp_dir dir;
	const char *why;
	int err;

	if (!c->local || x->dir != IP_CT_DIR_REPLY)
		return SCCP_RW_KEEP;
	switch (m->hdr.id) {
	case SCCP_OPEN_RECV_CHAN:
		dir = PP_SRTP_TX;
		break;
	case SCCP_START_MEDIA_TX:
		dir = PP_SRTP_RX;
		break;
	default:
		return SCCP_RW_KEEP;
	}
	if (blk_len < 0 || !(m->fields & SCCP_F_PPID)) {
		why = "no room for the SRTP keys";
		goto refuse;
	}
	/* The stream first: an ORC's is made once the PDU is complete. */
	err = dir == PP_SRTP_TX ? pp_media_open(&c->media, m->ppid) : 0;
	if (!err)
		err = pp_media_srtp_key(&c->media, m->ppid, dir,
					x->cfg->srtp_suite ==
					PP_SRTP_SUITE_SHA1_80 ?
					PP_SRTP_AES_CM_128_HMAC_SHA1_80 :
					PP_SRTP_AES_CM_128_HMAC_SHA1_32, k);
	if (!err)
		return SCCP_RW_REWRITE;
	why = err == -ENOENT ? "no media stream" : "no SRTP context";
refuse:
	net_info_ratelimited("%pI4: %s for the CallManager's %s (ppid %u): connection reset\n",
			     &c->phone_addr, why, sccp_msg_name(m->hdr.id),
			     m->ppid);
	return SCCP_E_ABORT;
}

static u8 *pp_sccp_ring(void *ctx)
{
	struct pp_sccp_ctx *x = ctx;

	return pp_sccp_ring_take(x->c, x->cfg->max_conns);
}

static const struct sccp_stream_ops pp_sccp_ops = {
	.rewrite	= pp_sccp_rewrite,
	.pdu		= pp_sccp_pdu,
	.key		= pp_sccp_key,
	.ring		= pp_sccp_ring,
};

/* ---- The packet path ------------------------------------------------- */

static struct pp_sccp_conn *pp_sccp_lookup(struct pp_sccp_net *sn,
					   const struct nf_conn *ct)
{
	return rhashtable_lookup(&sn->ht, &ct, pp_sccp_params);
}

/* A TCP segment of @c in direction @dir. Under c->lock. */
static unsigned int pp_sccp_segment(struct pp_sccp_conn *c,
				    const struct pp_config *cfg,
				    struct sk_buff *skb, int dir)
{
	struct pp_sccp_net *sn = c->pn->sccp;
	struct pp_sccp_ctx x = { .c = c, .cfg = cfg, .dir = dir };
	unsigned int thoff = ip_hdrlen(skb), doff, plen;
	__wsum before, after;
	struct tcphdr *th;
	u8 *payload;
	int ret;

	if (c->state == PP_SCCP_DEAD)
		return NF_DROP;
	if (!pskb_may_pull(skb, thoff + sizeof(*th)))
		return NF_DROP;
	th = (struct tcphdr *)(skb->data + thoff);
	doff = th->doff * 4;
	if (doff < sizeof(*th) || skb->len < thoff + doff)
		return NF_DROP;
	plen = skb->len - thoff - doff;

	if (th->ack && c->syn[!dir]) {
		sccp_stream_ack(&c->st[!dir], ntohl(th->ack_seq));
		/* All the other way acknowledged: its ring goes back. */
		if (sccp_stream_ring_idle(&c->st[!dir]))
			pp_sccp_ring_give(c, &c->st[!dir]);
	}
	if ((th->fin || th->rst) && c->state == PP_SCCP_OPEN) {
		c->state = PP_SCCP_CLOSING;
		pp_sccp_set_registered(c, false, PP_REASON_CLOSED);
		pp_media_owner_release(&c->media);
	}
	if (th->fin)
		c->fin[dir] = true;
	if (th->rst || (c->fin[IP_CT_DIR_ORIGINAL] && c->fin[IP_CT_DIR_REPLY]))
		pp_sccp_closed(c);

	if (plen && skb_ensure_writable(skb, skb->len))
		return NF_DROP;
	th = (struct tcphdr *)(skb->data + thoff);
	payload = skb->data + thoff + doff;
	before = plen ? csum_partial(payload, plen, 0) : 0;
	/*
	 * The first SYN starts the tracking, never a later one; URG data
	 * never passes (sccp_stream_tcp()).
	 */
	ret = sccp_stream_tcp(&c->st[dir], ntohl(th->seq),
			      (th->syn ? SCCP_TCP_SYN : 0) |
			      (th->urg ? SCCP_TCP_URG : 0),
			      payload, plen, &pp_sccp_ops, &x);
	c->syn[dir] = c->st[dir].init;
	if (x.rewrites)
		pp_sccp_count(sn, PP_SC_REWRITES, x.rewrites);
	if (ret == SCCP_ST_FORWARD) {
		/*
		 * A RST (in the window: conntrack checked it) ends the
		 * connection: its rings go back, and a retransmission of
		 * bytes not acknowledged is refused from now on.
		 */
		if (th->rst)
			pp_sccp_rings_give(c);
		if (!plen)
			return NF_ACCEPT;
		after = csum_partial(payload, plen, 0);
		/*
		 * Same length, new bytes: patch the checksum by the
		 * difference. CHECKSUM_PARTIAL sums the payload on output
		 * (th->check holds the pseudo-header only): nothing to do.
		 */
		if (after != before && skb->ip_summed != CHECKSUM_PARTIAL) {
			th->check = csum_fold(csum_add(csum_sub(after, before),
						       ~csum_unfold(th->check)));
			if (skb->ip_summed == CHECKSUM_COMPLETE)
				skb->ip_summed = CHECKSUM_NONE;
		}
		return NF_ACCEPT;
	}
	if (ret == SCCP_ST_NOBUF) {
		/* No ring (the bounds, or no memory): TCP sends it again. */
		pp_sccp_count(sn, PP_SC_NOBUF, 1);
		net_info_ratelimited("%pI4: no SCCP stream buffer (%d in the namespace): segment dropped\n",
				     &c->phone_addr,
				     atomic_read(&sn->rings));
		return NF_DROP;
	}
	if (ret == SCCP_ST_CONFLICT) {
		pp_sccp_count(sn, PP_SC_INCONSISTENT, 1);
		net_info_ratelimited("%pI4: SCCP segment %s contradicts the stream forwarded: dropped\n",
				     &c->phone_addr,
				     dir == IP_CT_DIR_ORIGINAL ? "from the phone" :
				     "from the CallManager");
		return NF_DROP;
	}
	if (ret > 0) {
		pp_sccp_count(sn, PP_SC_OOO, 1);
		return NF_DROP;
	}
	if (ret != SCCP_E_ABORT)
		net_info_ratelimited("%pI4: SCCP stream %s: %s: connection reset\n",
				     &c->phone_addr,
				     dir == IP_CT_DIR_ORIGINAL ? "from the phone" :
				     "from the CallManager",
				     sccp_strerror(ret));
	pp_sccp_count(sn, PP_SC_STREAM_ERRORS, 1);
	pp_sccp_set_registered(c, false, PP_REASON_STREAM_ERROR);
	pp_sccp_reset(c);
	pp_media_owner_release(&c->media);
	return NF_DROP;
}

/*
 * A TCP segment of @c in direction @dir, from any of the hooks (forward
 * for a plain connection, LOCAL_OUT/LOCAL_IN for a claimed one): one
 * code path for both. BH off.
 */
static unsigned int pp_sccp_packet(struct pp_sccp_conn *c,
				   const struct pp_config *cfg,
				   struct sk_buff *skb, int dir)
{
	unsigned int v;

	spin_lock(&c->lock);
	v = pp_sccp_segment(c, cfg, skb, dir);
	spin_unlock(&c->lock);
	return v;
}

/*
 * A forwarded packet of a tracked connection that is not TCP: conntrack
 * relates only ICMP errors to it, in either direction (IP_CT_RELATED_REPLY
 * for one travelling toward the phone: "fragmentation needed" from the
 * south path, translated back by NAT). Destination unreachable (path-MTU
 * discovery), time exceeded and parameter problem pass; nothing else.
 */
static unsigned int pp_sccp_fwd_icmp(const struct sk_buff *skb,
				     enum ip_conntrack_info ctinfo)
{
	const struct icmphdr *ih;
	struct icmphdr _ih;

	if ((ctinfo != IP_CT_RELATED && ctinfo != IP_CT_RELATED_REPLY) ||
	    ip_hdr(skb)->protocol != IPPROTO_ICMP)
		return NF_DROP;
	ih = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_ih), &_ih);
	if (!ih)
		return NF_DROP;
	switch (ih->type) {
	case ICMP_DEST_UNREACH:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
		return NF_ACCEPT;
	default:
		return NF_DROP;
	}
}

static unsigned int pp_sccp_forward(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct pp_net *pn = pp_net(state->net);
	struct pp_sccp_net *sn = pn->sccp;
	const struct pp_config *cfg;
	enum ip_conntrack_info ctinfo;
	struct pp_sccp_conn *c;
	struct nf_conn *ct;

	cfg = pp_config_rcu(pn);
	if (!cfg->north_addr)
		return NF_ACCEPT;	/* not configured: not our business */
	ct = nf_ct_get(skb, &ctinfo);
	c = ct ? pp_sccp_lookup(sn, ct) : NULL;
	if (!c || c->local) {
		pp_sccp_count(sn, PP_SC_FWD_DROP, 1);
		return NF_DROP;
	}
	if (ip_hdr(skb)->protocol != IPPROTO_TCP)
		return pp_sccp_fwd_icmp(skb, ctinfo);
	return pp_sccp_packet(c, cfg, skb, CTINFO2DIR(ctinfo));
}

static void pp_sccp_free_rcu(struct rcu_head *head)
{
	struct pp_sccp_conn *c = container_of(head, struct pp_sccp_conn, rcu);

	/* The rewrite records hold the SRTP keys given to a secure phone. */
	memzero_explicit(c, sizeof(*c));
	kmem_cache_free(pp_sccp_conn_cache, c);
}

/* A connection's state, zeroed, never hashed yet: BH off. */
static struct pp_sccp_conn *pp_sccp_conn_alloc(void)
{
	return kmem_cache_zalloc(pp_sccp_conn_cache, GFP_ATOMIC);
}

/* Free @c, which was never hashed (nothing in it to wipe). */
static void pp_sccp_conn_free(struct pp_sccp_conn *c)
{
	kmem_cache_free(pp_sccp_conn_cache, c);
}

/*
 * Unhash and free @c. Under sn->lock.
 *
 * A segment of @c may have found it (pp_sccp_lookup(), under RCU only)
 * just before it was unhashed and wait for c->lock: once it gets the
 * lock it must see a dead connection and touch nothing (the DEAD check
 * of pp_sccp_segment()), or it would create a media stream owned by @c,
 * which is freed after the grace period. So the connection is marked
 * dead under c->lock, and its media owner is closed for good under the
 * media lock (pp_media_owner_close(): no stream can be created for it
 * afterwards, whoever calls). @c itself stays valid for such a segment
 * until the RCU grace period ends.
 */
static void pp_sccp_unlink(struct pp_sccp_net *sn, struct pp_sccp_conn *c)
{
	rhashtable_remove_fast(&sn->ht, &c->node, pp_sccp_params);
	list_del(&c->list);
	spin_lock(&c->lock);
	c->state = PP_SCCP_DEAD;
	pp_sccp_rings_give(c);
	pp_media_owner_close(&c->media);
	pp_sccp_closed(c);
	spin_unlock(&c->lock);
	nf_ct_put(c->ct);
	call_rcu(&c->rcu, pp_sccp_free_rcu);
}

/*
 * A new connection's state: of the phone at @phone (the source of a
 * plain connection, a claim's peer), for the user @user (@sid) whose
 * CallManager is @ccm, keyed by @ct.
 */
static void pp_sccp_conn_init(struct pp_sccp_conn *c, struct pp_net *pn,
			      struct nf_conn *ct, __be32 phone, __be32 ccm,
			      const char *sid, const char *user)
{
	c->ct = ct;
	c->pn = pn;
	c->created = jiffies;
	c->phone_addr = phone;
	c->ring_slot = pp_sccp_slot(pn->sccp, phone);
	c->ccm_addr = ccm;
	strscpy(c->sid, sid, sizeof(c->sid));
	spin_lock_init(&c->lock);
	pp_media_owner_init(&c->media, pn->net, phone, user);
}

/*
 * Hash @c (it references its conntrack entry) and count it open: its
 * activation's count was taken (pp_activation_conn_try_open()) by the SYN
 * or by the claim. Under sn->lock.
 */
static int pp_sccp_conn_hash(struct pp_sccp_net *sn, struct pp_sccp_conn *c)
{
	int err;

	nf_conntrack_get(&c->ct->ct_general);
	err = rhashtable_lookup_insert_fast(&sn->ht, &c->node,
					    pp_sccp_params);
	if (err) {
		nf_ct_put(c->ct);
		return err;
	}
	list_add_tail(&c->list, &sn->conns);
	atomic_inc(&sn->open);
	c->counted = true;
	return 0;
}

/* DST NAT to @ccm (the SCCP port kept), SRC NAT to the south address. */
static unsigned int pp_sccp_nat_setup(struct nf_conn *ct, __be32 ccm,
				      const struct pp_config *cfg)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	struct nf_nat_range2 range = {};

	range.flags = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED;
	range.min_addr.ip = ccm;
	range.max_addr.ip = ccm;
	range.min_proto.tcp.port = t->dst.u.tcp.port;
	range.max_proto.tcp.port = t->dst.u.tcp.port;
	if (nf_nat_setup_info(ct, &range, NF_NAT_MANIP_DST) != NF_ACCEPT)
		return NF_DROP;
	memset(&range, 0, sizeof(range));
	range.flags = NF_NAT_RANGE_MAP_IPS;
	range.min_addr.ip = cfg->south_addr;
	range.max_addr.ip = cfg->south_addr;
	return nf_nat_setup_info(ct, &range, NF_NAT_MANIP_SRC);
}

/*
 * Open mode, a phone not activated (the guide's "Setting Up Open
 * Activation Mode"): the AdHoCuSeR's CallManager fields its SCCP, within
 * the bounds above. Without an AdHoCuSeR, dropped as before.
 */
static unsigned int pp_sccp_nat_adhoc(struct pp_net *pn, struct sk_buff *skb,
				      struct nf_conn *ct,
				      const struct pp_config *cfg)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct pp_users *tbl = rcu_dereference(pn->users);
	struct pp_sccp_net *sn = pn->sccp;
	const struct pp_user *u;
	const struct tcphdr *th;
	struct pp_sccp_conn *c;
	struct tcphdr _th;
	atomic_t *src;
	u32 slot;

	u = tbl ? pp_users_find_name(tbl, PP_SCCP_ADHOC_USER) : NULL;
	th = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_th), &_th);
	if (!u || !u->enabled || !th || !th->syn || th->ack)
		return NF_DROP;
	slot = pp_sccp_slot(sn, t->src.u3.ip);
	src = &sn->adhoc_src[slot];
	if (!atomic_add_unless(&sn->adhoc_open, 1, PP_SCCP_ADHOC_MAX))
		goto limit;
	if (!atomic_add_unless(src, 1, cfg->max_conns)) {
		atomic_dec(&sn->adhoc_open);
		goto limit;
	}
	c = pp_sccp_conn_alloc();
	if (!c)
		goto err_unopen;
	pp_sccp_conn_init(c, pn, ct, t->src.u3.ip, u->ccm->addr, "",
			  PP_SCCP_ADHOC_USER);
	c->adhoc = true;
	c->adhoc_slot = slot;
	if (pp_sccp_nat_setup(ct, c->ccm_addr, cfg) != NF_ACCEPT)
		goto err_free;
	spin_lock(&sn->lock);
	if (pp_sccp_conn_hash(sn, c)) {
		spin_unlock(&sn->lock);
		goto err_free;
	}
	spin_unlock(&sn->lock);
	pp_sccp_count(sn, PP_SC_CONNS, 1);
	pp_sccp_count(sn, PP_SC_ADHOC, 1);
	return NF_ACCEPT;

err_free:
	pp_sccp_conn_free(c);
err_unopen:
	atomic_dec(src);
	atomic_dec(&sn->adhoc_open);
	return NF_DROP;
limit:
	pp_sccp_count(sn, PP_SC_ADHOC_LIMIT, 1);
	net_info_ratelimited("%pI4: not activated (open mode): %u SCCP connections from it or %u in all: SYN dropped\n",
			     &t->src.u3.ip, cfg->max_conns, PP_SCCP_ADHOC_MAX);
	return NF_DROP;
}

/*
 * The NAT hook: called by nf_nat for the first packet of a connection
 * (unconfirmed conntrack entry without DST NAT yet).
 */
static unsigned int pp_sccp_nat(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct pp_net *pn = pp_net(state->net);
	struct pp_sccp_net *sn = pn->sccp;
	const struct nf_conntrack_tuple *t;
	const struct pp_config *cfg;
	enum ip_conntrack_info ctinfo;
	struct pp_activation *act;
	const struct tcphdr *th;
	struct pp_sccp_conn *c;
	struct tcphdr _th;
	struct pp_user *u;
	struct nf_conn *ct;
	int err;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || ctinfo != IP_CT_NEW)
		return NF_ACCEPT;
	t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	cfg = pp_config_rcu(pn);
	if (t->dst.protonum != IPPROTO_TCP || !cfg->north_addr ||
	    t->dst.u3.ip != cfg->north_addr ||
	    ntohs(t->dst.u.tcp.port) != cfg->sccp_port)
		return NF_ACCEPT;
	if (!cfg->south_addr)
		return NF_ACCEPT;	/* no south role: nothing to proxy to */
	if (cfg->sccp_security) {
		/*
		 * Secure SCCP on: the phones speak TLS to the secure port;
		 * a new plain connection is dropped, as the north firewall
		 * drops (docs/sccp.md). Established ones are not NEW.
		 */
		pp_sccp_count(sn, PP_SC_PLAIN_REFUSED, 1);
		net_info_ratelimited("%pI4: plain SCCP refused: secure SCCP is on\n",
				     &t->src.u3.ip);
		return NF_DROP;
	}
	act = pp_activation_lookup_rcu(pn, t->src.u3.ip);
	if (!act)
		return cfg->act_mode == PP_ACT_MODE_OPEN ?
		       pp_sccp_nat_adhoc(pn, skb, ct, cfg) : NF_DROP;
	u = rcu_dereference(act->user);
	th = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_th), &_th);
	if (!u || !th || !th->syn || th->ack)
		return NF_DROP;		/* never a connection picked up midway */
	/*
	 * At most max_conns open connections per activation (a phone needs
	 * one, two with a backup CallManager, and a few while reconnecting):
	 * each costs a conntrack entry, NAT and this state. The SYN is
	 * dropped, as any other unwanted one: the phone retries.
	 */
	if (!pp_activation_conn_try_open(act, cfg->max_conns)) {
		pp_sccp_count(sn, PP_SC_CONN_LIMIT, 1);
		net_info_ratelimited("%pI4 (%s): %u SCCP connections open: SYN dropped\n",
				     &t->src.u3.ip, u->name, cfg->max_conns);
		return NF_DROP;
	}

	c = pp_sccp_conn_alloc();
	if (!c)
		goto err_unopen;
	pp_sccp_conn_init(c, pn, ct, t->src.u3.ip, pp_activation_ccm(act, u),
			  u->sid, u->name);
	if (pp_sccp_nat_setup(ct, c->ccm_addr, cfg) != NF_ACCEPT)
		goto err_free;

	spin_lock(&sn->lock);
	err = pp_sccp_conn_hash(sn, c);
	spin_unlock(&sn->lock);
	if (err)
		goto err_free;
	pp_sccp_count(sn, PP_SC_CONNS, 1);
	return NF_ACCEPT;

err_free:
	pp_sccp_conn_free(c);
err_unopen:
	pp_activation_conn_unopen(act);
	return NF_DROP;
}

static const struct nf_hook_ops pp_sccp_nat_ops = {
	.hook		= pp_sccp_nat,
	.pf		= NFPROTO_IPV4,
	.hooknum	= NF_INET_PRE_ROUTING,
	.priority	= NF_IP_PRI_NAT_DST,
};

static const struct nf_hook_ops pp_sccp_fwd_ops = {
	.hook		= pp_sccp_forward,
	.pf		= NFPROTO_IPV4,
	.hooknum	= NF_INET_FORWARD,
	.priority	= NF_IP_PRI_FILTER,
};

/* ---- Connections handed over by the TLS terminator ------------------- */

static struct hlist_head *pp_sccp_claim_head(struct pp_sccp_net *sn,
					     __be16 port)
{
	return &sn->claims[hash_32(ntohs(port), PP_SCCP_CLAIM_BITS)];
}

static struct pp_sccp_claim *pp_sccp_claim_find(struct pp_sccp_net *sn,
						__be16 port)
{
	struct pp_sccp_claim *cl;

	hlist_for_each_entry(cl, pp_sccp_claim_head(sn, port), node)
		if (cl->local_port == port)
			return cl;
	return NULL;
}

/*
 * Forget @cl. @unopen: give its count back to the activation (not when
 * the connection took it over). Under sn->lock.
 */
static void pp_sccp_claim_drop(struct pp_sccp_net *sn,
			       struct pp_sccp_claim *cl, bool unopen)
{
	hlist_del(&cl->node);
	sn->n_claims--;
	if (unopen)
		pp_activation_conn_closed(sn->pn->net, cl->peer_addr);
	kfree(cl);
}

/* Drop the claims of @addr (any with 0). Under sn->lock. */
static void pp_sccp_claims_drop(struct pp_sccp_net *sn, __be32 addr,
				bool unopen, bool expired_only)
{
	struct pp_sccp_claim *cl;
	struct hlist_node *tmp;
	unsigned int i;

	if (!sn->n_claims)
		return;
	for (i = 0; i < ARRAY_SIZE(sn->claims); i++)
		hlist_for_each_entry_safe(cl, tmp, &sn->claims[i], node) {
			if (addr && cl->peer_addr != addr)
				continue;
			if (expired_only && !time_after(jiffies, cl->expires))
				continue;
			if (expired_only)
				net_info_ratelimited("%pI4: SCCP claim of local port %u expired\n",
						     &cl->peer_addr,
						     ntohs(cl->local_port));
			pp_sccp_claim_drop(sn, cl, unopen);
		}
}

int pp_sccp_claim(struct pp_net *pn, const struct pp_sccp_claim_req *req,
		  struct pp_sccp_claim_reply *reply,
		  struct netlink_ext_ack *extack)
{
	struct pp_sccp_net *sn = pn->sccp;
	const struct pp_config *cfg;
	struct pp_activation *act;
	struct pp_sccp_claim *cl;
	struct pp_user *u;
	int err = 0;

	cl = kzalloc(sizeof(*cl), GFP_KERNEL);
	if (!cl)
		return -ENOMEM;
	cl->peer_addr = req->peer_addr;
	cl->peer_port = req->peer_port;
	cl->local_port = req->local_port;
	strscpy(cl->device, req->device ?: "", sizeof(cl->device));

	rcu_read_lock();
	cfg = pp_config_rcu(pn);
	if (!cfg->sccp_security) {
		NL_SET_ERR_MSG(extack,
			       "secure SCCP is off (sccp security): no claim");
		err = -EPERM;
		goto out;
	}
	if (!cfg->north_addr || !cfg->south_addr) {
		NL_SET_ERR_MSG(extack,
			       "no north and south address configured: nothing to proxy");
		err = -ENETUNREACH;
		goto out;
	}
	act = pp_activation_lookup_rcu(pn, req->peer_addr);
	u = act ? rcu_dereference(act->user) : NULL;
	if (!u) {
		NL_SET_ERR_MSG(extack,
			       "peer address (PP_CLAIM_A_PEER_ADDR) is not activated");
		err = -ENOENT;
		goto out;
	}
	cl->ccm_addr = pp_activation_ccm(act, u);
	cl->ccm_port = htons(cfg->sccp_port);
	strscpy(cl->sid, u->sid, sizeof(cl->sid));
	strscpy(cl->user, u->name, sizeof(cl->user));
	cl->expires = jiffies + PP_CLAIM_TIMEOUT * HZ;

	spin_lock_bh(&sn->lock);
	if (pp_sccp_claim_find(sn, req->local_port)) {
		NL_SET_ERR_MSG(extack,
			       "local port (PP_CLAIM_A_LOCAL_PORT) is claimed already");
		err = -EEXIST;
	} else if (sn->n_claims >= PP_SCCP_CLAIMS_MAX) {
		NL_SET_ERR_MSG(extack,
			       "too many claims pending in this namespace");
		err = -ENOSPC;
	} else if (!pp_activation_conn_try_open(act, cfg->max_conns)) {
		pp_sccp_count(sn, PP_SC_CONN_LIMIT, 1);
		NL_SET_ERR_MSG(extack,
			       "peer address (PP_CLAIM_A_PEER_ADDR) has the maximum of SCCP connections open (max connections)");
		err = -EBUSY;
	} else {
		hlist_add_head(&cl->node,
			       pp_sccp_claim_head(sn, cl->local_port));
		sn->n_claims++;
		reply->ccm_addr = cl->ccm_addr;
		reply->ccm_port = cl->ccm_port;
		cl = NULL;
	}
	spin_unlock_bh(&sn->lock);
out:
	rcu_read_unlock();
	kfree(cl);
	return err;
}

/*
 * The first SYN of a local connection (LOCAL_OUT, unconfirmed conntrack
 * entry): if a claim names its source port on the south address and its
 * destination, the connection becomes the claim's phone's. BH off.
 */
static struct pp_sccp_conn *pp_sccp_claim_take(struct pp_sccp_net *sn,
					       const struct pp_config *cfg,
					       struct nf_conn *ct,
					       const struct sk_buff *skb)
{
	const struct nf_conntrack_tuple *t;
	struct pp_sccp_claim *cl;
	const struct tcphdr *th;
	struct pp_sccp_conn *c;
	struct tcphdr _th;
	int err;

	t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	if (t->dst.protonum != IPPROTO_TCP || !cfg->south_addr ||
	    t->src.u3.ip != cfg->south_addr)
		return NULL;
	th = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_th), &_th);
	if (!th || !th->syn || th->ack)
		return NULL;

	spin_lock(&sn->lock);
	cl = pp_sccp_claim_find(sn, t->src.u.tcp.port);
	if (!cl || cl->ccm_addr != t->dst.u3.ip ||
	    cl->ccm_port != t->dst.u.tcp.port) {
		spin_unlock(&sn->lock);
		return NULL;	/* not claimed, or elsewhere: untouched */
	}
	/* Once per claimed connection, never for another packet. */
	c = pp_sccp_conn_alloc();
	if (!c) {
		spin_unlock(&sn->lock);
		return NULL;	/* the claim stays until it expires */
	}
	pp_sccp_conn_init(c, sn->pn, ct, cl->peer_addr, cl->ccm_addr, cl->sid,
			  cl->user);
	c->local = true;
	strscpy(c->device, cl->device, sizeof(c->device));
	err = pp_sccp_conn_hash(sn, c);
	if (err) {
		spin_unlock(&sn->lock);
		pp_sccp_conn_free(c);
		return NULL;	/* the claim stays until it expires */
	}
	/* The claim's count is the connection's now. */
	pp_sccp_claim_drop(sn, cl, false);
	spin_unlock(&sn->lock);
	pp_sccp_count(sn, PP_SC_CONNS, 1);
	pp_sccp_count(sn, PP_SC_CLAIMED, 1);
	return c;
}

/*
 * LOCAL_OUT (the terminator -> CallManager: the phone's direction) and
 * LOCAL_IN (CallManager -> terminator) of claimed connections. Both run
 * the forward hook's per-segment code (pp_sccp_packet()) after conntrack
 * and before the segment leaves or reaches the socket: the tracker sees
 * what the far end gets. A GSO segment (LOCAL_OUT) or a GRO'd one
 * (LOCAL_IN) is one large segment whose payload is the bytes the far
 * end gets; its checksum: CHECKSUM_PARTIAL is summed after us (output,
 * or a veth peer's), CHECKSUM_COMPLETE becomes CHECKSUM_NONE with the
 * checksum patched, CHECKSUM_UNNECESSARY keeps the patched one.
 */
static unsigned int pp_sccp_local(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct pp_net *pn = pp_net(state->net);
	struct pp_sccp_net *sn = pn->sccp;
	bool out = state->hook == NF_INET_LOCAL_OUT;
	const struct pp_config *cfg;
	enum ip_conntrack_info ctinfo;
	struct pp_sccp_conn *c;
	struct nf_conn *ct;
	unsigned int v = NF_ACCEPT;

	if (ip_hdr(skb)->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	ct = nf_ct_get(skb, &ctinfo);
	if (!ct)
		return NF_ACCEPT;
	/* LOCAL_OUT may run with BH on (a socket's sendmsg). */
	local_bh_disable();
	cfg = pp_config_rcu(pn);
	c = pp_sccp_lookup(sn, ct);
	if (!c && out && ctinfo == IP_CT_NEW && !nf_ct_is_confirmed(ct) &&
	    READ_ONCE(sn->n_claims))
		c = pp_sccp_claim_take(sn, cfg, ct, skb);
	if (c && c->local)
		v = pp_sccp_packet(c, cfg, skb, CTINFO2DIR(ctinfo));
	local_bh_enable();
	return v;
}

static const struct nf_hook_ops pp_sccp_local_ops[] = {
	{
		.hook		= pp_sccp_local,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP_PRI_FILTER,
	},
	{
		.hook		= pp_sccp_local,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_FILTER,
	},
};

/*
 * Secure SCCP turned off: pending claims are refused from now on and the
 * claimed connections reset (their phones reconnect in plain, which the
 * configuration now asks for). Process context, under pn->lock.
 */
static void pp_sccp_security_off(struct pp_net *pn)
{
	struct pp_sccp_net *sn = pn->sccp;
	struct pp_sccp_conn *c;

	spin_lock_bh(&sn->lock);
	pp_sccp_claims_drop(sn, 0, true, false);
	list_for_each_entry(c, &sn->conns, list) {
		if (!c->local)
			continue;
		spin_lock(&c->lock);
		if (c->state != PP_SCCP_DEAD) {
			net_info_ratelimited("%pI4: secure SCCP turned off: claimed connection reset\n",
					     &c->phone_addr);
			pp_sccp_reset(c);
			pp_media_owner_release(&c->media);
		}
		pp_sccp_closed(c);
		spin_unlock(&c->lock);
	}
	spin_unlock_bh(&sn->lock);
}

/*
 * Open mode's connections of phones not activated end: all of them (the
 * mode is required again: @addr 0), or those from @addr (activated now:
 * the phone reconnects to its user's CallManager). Process context,
 * under pn->lock.
 */
static void pp_sccp_adhoc_reset(struct pp_net *pn, __be32 addr)
{
	struct pp_sccp_net *sn = pn->sccp;
	struct pp_sccp_conn *c;

	spin_lock_bh(&sn->lock);
	list_for_each_entry(c, &sn->conns, list) {
		if (!c->adhoc || (addr && c->phone_addr != addr))
			continue;
		spin_lock(&c->lock);
		if (c->state != PP_SCCP_DEAD) {
			net_info_ratelimited("%pI4: %s: its AdHoCuSeR connection reset\n",
					     &c->phone_addr, addr ? "activated" :
					     "activation mode required");
			pp_sccp_reset(c);
			pp_media_owner_release(&c->media);
		}
		pp_sccp_closed(c);
		spin_unlock(&c->lock);
	}
	spin_unlock_bh(&sn->lock);
}

/* ---- Lifetime -------------------------------------------------------- */

static bool pp_sccp_gone(struct pp_sccp_conn *c)
{
	if (!nf_ct_is_confirmed(c->ct))
		return time_after(jiffies, c->created +
				  PP_SCCP_UNCONFIRMED_SECS * HZ);
	/* The connection's end ends its media, an orphan's too. */
	return nf_ct_is_dying(c->ct) || nf_ct_is_expired(c->ct);
}

/*
 * An inactivated user's call is over (the CallManager's Stop and Close
 * ended its last stream): reset the connection it was kept for. From
 * the collector, not from the segment that ended the call, so that the
 * CloseReceiveChannel reaches the phone before the RST.
 */
static void pp_sccp_orphan_check(struct pp_sccp_conn *c)
{
	spin_lock(&c->lock);
	if (c->orphan && c->state == PP_SCCP_OPEN &&
	    pp_media_owner_idle(&c->media))
		pp_sccp_reset(c);
	spin_unlock(&c->lock);
}

static void pp_sccp_gc(struct work_struct *work)
{
	struct pp_sccp_net *sn = container_of(to_delayed_work(work),
					      struct pp_sccp_net, gc);
	struct pp_sccp_conn *c, *tmp;

	spin_lock_bh(&sn->lock);
	list_for_each_entry_safe(c, tmp, &sn->conns, list) {
		if (pp_sccp_gone(c))
			pp_sccp_unlink(sn, c);
		else if (c->orphan)
			pp_sccp_orphan_check(c);
	}
	pp_sccp_claims_drop(sn, 0, true, true);
	spin_unlock_bh(&sn->lock);
	queue_delayed_work(system_power_efficient_wq, &sn->gc,
			   PP_SCCP_GC_SECS * HZ);
}

/*
 * The activation at @addr ended: reset every SCCP connection from it
 * (an RST to both ends). Media of a call in progress lives on until it
 * ends. Process context, under pn->lock.
 */
static void pp_sccp_addr_down(struct pp_net *pn, __be32 addr)
{
	struct pp_sccp_net *sn = pn->sccp;
	struct pp_sccp_conn *c;

	if (!sn)
		return;
	spin_lock_bh(&sn->lock);
	/* The activation is gone: its count with it. */
	pp_sccp_claims_drop(sn, addr, false, false);
	list_for_each_entry(c, &sn->conns, list) {
		if (c->phone_addr != addr)
			continue;
		spin_lock(&c->lock);
		if (c->state == PP_SCCP_OPEN &&
		    !pp_media_owner_idle(&c->media)) {
			/*
			 * A call in progress: the guide keeps its audio. The
			 * connection is kept too, restricted (pp_sccp_orphan_
			 * may(), no new stream), so that the call's end,
			 * Stop/Close or the connection's, ends the audio;
			 * reset at once, its streams would live on with no
			 * signalling to end them, for ever with the media
			 * timeout off. The collector resets it once the last
			 * stream is gone.
			 */
			c->orphan = true;
			pp_media_owner_freeze(&c->media);
		} else if (c->state != PP_SCCP_DEAD) {
			pp_sccp_reset(c);
			pp_media_owner_release(&c->media);
		}
		pp_sccp_closed(c);
		spin_unlock(&c->lock);
	}
	spin_unlock_bh(&sn->lock);
}

int pp_sccp_net_init(struct pp_net *pn)
{
	struct pp_sccp_net *sn;
	int err;

	sn = kzalloc(sizeof(*sn), GFP_KERNEL);
	if (!sn)
		return -ENOMEM;
	sn->pn = pn;
	sn->adhoc_seed = get_random_u32();
	spin_lock_init(&sn->lock);
	INIT_LIST_HEAD(&sn->conns);
	INIT_DELAYED_WORK(&sn->gc, pp_sccp_gc);
	sn->stats = netdev_alloc_pcpu_stats(struct pp_sccp_pcpu);
	if (!sn->stats) {
		err = -ENOMEM;
		goto err_stats;
	}
	err = rhashtable_init(&sn->ht, &pp_sccp_params);
	if (err)
		goto err_ht;
	pn->sccp = sn;
	err = nf_register_net_hook(pn->net, &pp_sccp_fwd_ops);
	if (err)
		goto err_fwd;
	err = nf_register_net_hooks(pn->net, pp_sccp_local_ops,
				    ARRAY_SIZE(pp_sccp_local_ops));
	if (err)
		goto err_local;
	queue_delayed_work(system_power_efficient_wq, &sn->gc,
			   PP_SCCP_GC_SECS * HZ);
	return 0;

err_local:
	nf_unregister_net_hook(pn->net, &pp_sccp_fwd_ops);
err_fwd:
	pn->sccp = NULL;
	rhashtable_destroy(&sn->ht);
err_ht:
	free_percpu(sn->stats);
err_stats:
	kfree(sn);
	return err;
}

/*
 * The NAT hook is registered while @cfg (about to be published) has both
 * a north and a south address, and only then: NAT stays off in namespaces
 * that are not a proxy. Process context, under pn->lock.
 */
static int pp_sccp_nat_update(struct pp_net *pn, const struct pp_config *cfg,
			      struct netlink_ext_ack *extack)
{
	struct pp_sccp_net *sn = pn->sccp;
	bool want = cfg->north_addr && cfg->south_addr;
	int err;

	lockdep_assert_held(&pn->lock);
	if (!sn || want == sn->nat_on)
		return 0;
	if (want) {
		err = nf_nat_ipv4_register_fn(pn->net, &pp_sccp_nat_ops);
		if (err) {
			NL_SET_ERR_MSG(extack,
				       "cannot turn on NAT for the SCCP proxy in this namespace");
			return err;
		}
	} else {
		nf_nat_ipv4_unregister_fn(pn->net, &pp_sccp_nat_ops);
	}
	sn->nat_on = want;
	return 0;
}

static int pp_sccp_event(struct notifier_block *nb, unsigned long type,
			 void *data)
{
	struct pp_ev *ev = data;

	if (type == PP_EV_CONFIG_CHECK)
		return notifier_from_errno(pp_sccp_nat_update(ev->pn, ev->cfg,
							      ev->extack));
	if (type == PP_EV_CONFIG_SET && ev->old && ev->old->sccp_security &&
	    !ev->cfg->sccp_security && ev->pn->sccp)
		pp_sccp_security_off(ev->pn);
	if (type == PP_EV_CONFIG_SET && ev->old && ev->pn->sccp &&
	    ev->old->act_mode == PP_ACT_MODE_OPEN &&
	    ev->cfg->act_mode != PP_ACT_MODE_OPEN)
		pp_sccp_adhoc_reset(ev->pn, 0);
	if (type == PP_EV_ACTIVATED && ev->pn->sccp)
		pp_sccp_adhoc_reset(ev->pn, ev->addr);
	/* Its SCCP connections go with it (their calls' audio lives on). */
	if (type == PP_EV_INACTIVATED)
		pp_sccp_addr_down(ev->pn, ev->addr);
	return NOTIFY_DONE;
}

struct notifier_block pp_sccp_nb = {
	.notifier_call = pp_sccp_event,
};

void pp_sccp_net_exit(struct pp_net *pn)
{
	struct pp_sccp_net *sn = pn->sccp;
	struct pp_sccp_conn *c, *tmp;

	nf_unregister_net_hooks(pn->net, pp_sccp_local_ops,
				ARRAY_SIZE(pp_sccp_local_ops));
	nf_unregister_net_hook(pn->net, &pp_sccp_fwd_ops);
	if (sn->nat_on)
		nf_nat_ipv4_unregister_fn(pn->net, &pp_sccp_nat_ops);
	cancel_delayed_work_sync(&sn->gc);
	spin_lock_bh(&sn->lock);
	list_for_each_entry_safe(c, tmp, &sn->conns, list)
		pp_sccp_unlink(sn, c);
	pp_sccp_claims_drop(sn, 0, false, false);
	spin_unlock_bh(&sn->lock);
	rcu_barrier();
	rhashtable_destroy(&sn->ht);
	free_percpu(sn->stats);
	pn->sccp = NULL;
	kfree(sn);
}

/* Module init: the caches of connections and of their byte rings. */
int pp_sccp_init(void)
{
	pp_sccp_conn_cache = KMEM_CACHE(pp_sccp_conn, SLAB_HWCACHE_ALIGN);
	if (!pp_sccp_conn_cache)
		return -ENOMEM;
	pp_sccp_ring_cache = kmem_cache_create("pp_sccp_ring",
					       SCCP_STREAM_RING, 0, 0, NULL);
	if (!pp_sccp_ring_cache) {
		kmem_cache_destroy(pp_sccp_conn_cache);
		return -ENOMEM;
	}
	return 0;
}

/* Module exit, after every namespace's exit and an rcu_barrier(). */
void pp_sccp_exit(void)
{
	kmem_cache_destroy(pp_sccp_ring_cache);
	kmem_cache_destroy(pp_sccp_conn_cache);
}
