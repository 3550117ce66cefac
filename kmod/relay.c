// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The in-kernel RTP/RTCP relay (see media.h, docs/media.md).
 *
 * A hook at PRE_ROUTING, after defragmentation and before raw and
 * conntrack, looks the destination port of every UDP packet to the north
 * or south address up in a two-level RCU array (O(1), no lock). A packet
 * of a stream, from the endpoint the stream admits, has its addresses and
 * ports rewritten in place (incremental checksums), is marked untracked
 * (no conntrack entry per relayed flow), is routed as a locally
 * originated packet (its new source is a local address: input routing
 * would call it a martian) and leaves through ip_local_out(); the hook
 * returns NF_STOLEN. A hairpinned call (the far end is another stream's
 * south port) loops through lo and meets the hook again. Nothing is
 * allocated and nothing copied per packet, unless the headers are shared
 * with a clone (a packet socket), when skb_ensure_writable() copies them.
 */
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "config.h"
#include "relay.h"

/* ---- The forwarding table -------------------------------------------- */

int pp_fwd_insert(struct pp_fwd *t, u16 port, struct pp_media_stream *s,
		  gfp_t gfp)
{
	unsigned int pair = port >> 1;
	unsigned int i = pair >> PP_FWD_BLOCK_SHIFT;
	struct pp_fwd_block *b;

	b = rcu_dereference_protected(t->blk[i], true);
	if (!b) {
		b = kzalloc(sizeof(*b), gfp);
		if (!b)
			return -ENOMEM;
		rcu_assign_pointer(t->blk[i], b);
	}
	rcu_assign_pointer(b->slot[pair & (PP_FWD_BLOCK - 1)], s);
	return 0;
}

void pp_fwd_remove(struct pp_fwd *t, u16 port)
{
	unsigned int pair = port >> 1;
	struct pp_fwd_block *b;

	b = rcu_dereference_protected(t->blk[pair >> PP_FWD_BLOCK_SHIFT],
				      true);
	if (b)
		RCU_INIT_POINTER(b->slot[pair & (PP_FWD_BLOCK - 1)], NULL);
}

void pp_fwd_destroy(struct pp_fwd *t)
{
	unsigned int i;

	for (i = 0; i < PP_FWD_BLOCKS; i++) {
		kfree(rcu_dereference_protected(t->blk[i], true));
		RCU_INIT_POINTER(t->blk[i], NULL);
	}
}

/* ---- The RTP port allocator ------------------------------------------ */

/* Random probes before the exact draw: 8 misses in a row at 75 % use. */
#define PP_PORT_PROBES	8

/* The @k-th (from 0) zero bit of @map in [@first, @last]; it exists. */
static unsigned int pp_port_nth_free(const unsigned long *map,
				     unsigned int first, unsigned int last,
				     unsigned int k)
{
	unsigned int p = first, end, n;

	/* Whole words where possible: count their zeros, skip them. */
	while (p <= last) {
		end = min(round_up(p + 1, BITS_PER_LONG), last + 1);
		if (p % BITS_PER_LONG == 0 && end - p == BITS_PER_LONG) {
			n = BITS_PER_LONG -
			    hweight_long(map[p / BITS_PER_LONG]);
			if (k >= n) {
				k -= n;
				p = end;
				continue;
			}
		}
		for (; p < end; p++)
			if (!test_bit(p, map) && !k--)
				return p;
	}
	WARN_ON_ONCE(1);
	return first;
}

int pp_port_alloc(struct pp_port_alloc *a, u16 min, u16 max)
{
	/* Pair p is ports 2p and 2p + 1, both within [min, max]. */
	unsigned int first = DIV_ROUND_UP(min, 2);
	unsigned int last = max ? (max - 1U) / 2 : 0;
	unsigned int p, n, used, i;

	if (!first)
		first = 1;		/* never port 0: it means "none" */
	if (!max || first > last)
		return -ENOSPC;
	n = last - first + 1;
	/*
	 * Each probe is uniform over the range, so a free pair it hits is
	 * uniform over the free pairs; so is the exact draw below.
	 */
	for (i = 0; i < PP_PORT_PROBES; i++) {
		p = first + get_random_u32_below(n);
		if (!test_bit(p, a->map))
			goto found;
	}
	used = bitmap_weight(a->map, last + 1) - bitmap_weight(a->map, first);
	if (used >= n)
		return -ENOSPC;
	p = pp_port_nth_free(a->map, first, last,
			     get_random_u32_below(n - used));
found:
	__set_bit(p, a->map);
	a->used++;
	return p * 2;
}

void pp_port_free(struct pp_port_alloc *a, u16 port)
{
	if (WARN_ON_ONCE(!__test_and_clear_bit(port >> 1, a->map)))
		return;
	a->used--;
}

/* ---- Counters -------------------------------------------------------- */

void pp_relay_totals(const struct pp_media_stream *s,
		     struct pp_relay_totals *tot)
{
	int cpu, side, i;

	memset(tot, 0, sizeof(*tot));
	for_each_possible_cpu(cpu) {
		const struct pp_relay_pcpu *c = per_cpu_ptr(s->stats, cpu);
		struct pp_relay_totals one;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			for (side = 0; side < PP_SIDES; side++) {
				one.pkts[side] = u64_stats_read(&c->pkts[side]);
				one.bytes[side] =
					u64_stats_read(&c->bytes[side]);
				one.drops[side] =
					u64_stats_read(&c->drops[side]);
			}
			one.port_drops = u64_stats_read(&c->port_drops);
			for (i = 0; i < PP_SRTP_CNTS; i++)
				one.srtp[i] = u64_stats_read(&c->srtp[i]);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		for (side = 0; side < PP_SIDES; side++) {
			tot->pkts[side] += one.pkts[side];
			tot->bytes[side] += one.bytes[side];
			tot->drops[side] += one.drops[side];
		}
		tot->port_drops += one.port_drops;
		for (i = 0; i < PP_SRTP_CNTS; i++)
			tot->srtp[i] += one.srtp[i];
	}
}

/* BH off: this CPU's set has one writer. */
static void pp_relay_count(struct pp_media_stream *s, enum pp_side side,
			   unsigned int len, bool relayed, bool port_drop)
{
	struct pp_relay_pcpu *c = this_cpu_ptr(s->stats);

	u64_stats_update_begin(&c->syncp);
	if (relayed) {
		u64_stats_inc(&c->pkts[side]);
		u64_stats_add(&c->bytes[side], len);
	} else {
		u64_stats_inc(&c->drops[side]);
		if (port_drop)
			u64_stats_inc(&c->port_drops);
	}
	u64_stats_update_end(&c->syncp);
}

/* BH off, as above. */
static void pp_relay_count_srtp(struct pp_media_stream *s,
				enum pp_srtp_cnt cnt)
{
	struct pp_relay_pcpu *c = this_cpu_ptr(s->stats);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->srtp[cnt]);
	u64_stats_update_end(&c->syncp);
}

/* ---- The decision ---------------------------------------------------- */

/* Where a relayed packet goes: the new addresses and ports. */
struct pp_relay_out {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	bool port_drop;		/* dropped: not the phone's latched port */
};

static __be16 pp_port_add(__be16 port, unsigned int n)
{
	return htons(ntohs(port) + n);
}

/*
 * Latch @val into *@slot if it is still 0; the value latched (ours or a
 * racing packet's) is returned.
 */
static __be16 pp_latch16(__be16 *slot, __be16 val)
{
	__be16 cur = READ_ONCE(*slot);

	if (cur)
		return cur;
	cur = (__force __be16)cmpxchg((u16 *)slot, 0, (__force u16)val);
	return cur ?: val;
}

/*
 * A packet from @saddr:@sport reached @s's port on @side (@rtcp: the odd
 * port). Is it admitted, and where does it go? Latches the phone's
 * source ports and, while the far end is unknown, the far end's address.
 *
 * The phone's source port: phones behind NAT routers do not send from the
 * port they announced, so it cannot be checked against the signalling;
 * the first packet from the phone's address latches it (per RTP and RTCP
 * port) and later packets from other ports of that address are dropped
 * (out->port_drop), as rtpengine's "strict source" after its learning
 * phase: a host sharing the phone's public address (its NAT) cannot
 * inject media once the call's audio flows, and one that races the
 * phone's first packet only gets its own packets relayed while the
 * phone's are dropped and counted. When what the phone sends is keyed
 * (SRTP), only an authenticated packet latches (pp_relay_latch_phone(),
 * after the unprotect): such a host cannot even win that race.
 */
static bool pp_relay_decide(struct pp_media_stream *s, enum pp_side side,
			    unsigned int rtcp, __be32 saddr, __be16 sport,
			    struct pp_relay_out *out)
{
	__be32 far, latched;
	__be16 port;

	if (side == PP_NORTH) {
		if (saddr != s->phone_addr || !READ_ONCE(s->tx))
			return false;
		port = READ_ONCE(s->phone_src[rtcp]);
		if (!port && !(READ_ONCE(s->srtp_keyed) & BIT(PP_SRTP_RX)))
			port = pp_latch16(&s->phone_src[rtcp], sport);
		if (port && port != sport) {
			out->port_drop = true;
			return false;
		}
		far = READ_ONCE(s->far_addr);
		port = READ_ONCE(s->far_port);
		if (!far || !port)
			return false;
		out->saddr = s->local[PP_SOUTH];
		out->sport = htons(s->port[PP_SOUTH] + rtcp);
		out->daddr = far;
		out->dport = pp_port_add(port, rtcp);
		return true;
	}

	if (!READ_ONCE(s->rx))
		return false;
	far = READ_ONCE(s->far_addr);
	if (far) {
		if (saddr != far)
			return false;
	} else {
		/*
		 * A receive-only stream (music on hold) is never told its
		 * far end: the first source is the only one admitted.
		 */
		latched = READ_ONCE(s->latched);
		if (!latched) {
			latched = (__force __be32)cmpxchg((u32 *)&s->latched, 0,
							  (__force u32)saddr);
			if (!latched)
				latched = saddr;
		}
		if (saddr != latched)
			return false;
	}
	/*
	 * The phone receives at its observed address and the port it
	 * announced (the guide: its NAT router forwards RTP without
	 * changing the port); it need not send from that port. Until the
	 * announced port is known, where its packets come from.
	 */
	port = READ_ONCE(s->phone_port);
	if (port) {
		port = pp_port_add(port, rtcp);
	} else {
		port = READ_ONCE(s->phone_src[rtcp]);
		if (!port)
			return false;
	}
	out->saddr = s->local[PP_NORTH];
	out->sport = htons(s->port[PP_NORTH] + rtcp);
	out->daddr = s->phone_addr;
	out->dport = port;
	return true;
}

/* ---- SRTP ------------------------------------------------------------ */

/*
 * Is the UDP checksum of the linear @skb right? None (0), or one the
 * device or the loopback vouched for, is; else it is summed here, once,
 * over the @ulen bytes at @uh (the receive-side sum, CHECKSUM_COMPLETE,
 * is not used: where it starts after the IP layer's pulls is not ours to
 * assume).
 */
static bool pp_relay_udp_csum_ok(const struct sk_buff *skb,
				 const struct iphdr *iph,
				 const struct udphdr *uh, unsigned int ulen)
{
	if (!uh->check || skb->ip_summed == CHECKSUM_UNNECESSARY ||
	    skb->ip_summed == CHECKSUM_PARTIAL)
		return true;
	return !csum_tcpudp_magic(iph->saddr, iph->daddr, ulen, IPPROTO_UDP,
				  csum_partial(uh, ulen, 0));
}

/*
 * The UDP payload of the linear, writable @skb (its IPv4 header at
 * skb->data, UDP at @thoff) is now @plen bytes: set the skb's length,
 * the IP total length and header checksum, the UDP length and a full UDP
 * checksum (a computed 0 is sent as 0xffff). The sum is complete: the
 * skb is CHECKSUM_NONE from here on (the rewrite patches it).
 */
static void pp_relay_set_payload_len(struct sk_buff *skb, unsigned int thoff,
				     unsigned int plen)
{
	unsigned int ulen = sizeof(struct udphdr) + plen;
	struct iphdr *iph = ip_hdr(skb);
	struct udphdr *uh = (struct udphdr *)(skb->data + thoff);

	if (thoff + ulen > skb->len)
		__skb_put(skb, thoff + ulen - skb->len);
	else
		__skb_trim(skb, thoff + ulen);
	iph->tot_len = htons(thoff + ulen);
	ip_send_check(iph);
	uh->len = htons(ulen);
	uh->check = 0;
	uh->check = csum_tcpudp_magic(iph->saddr, iph->daddr, ulen,
				      IPPROTO_UDP, csum_partial(uh, ulen, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
}

/*
 * An authenticated packet from the phone (@rtcp: to the odd port) latches
 * its source port if none is yet (see pp_relay_decide()). False: another
 * authenticated packet latched another port first.
 */
static bool pp_relay_latch_phone(struct pp_media_stream *s,
				 unsigned int rtcp, __be16 sport)
{
	return pp_latch16(&s->phone_src[rtcp], sport) == sport;
}

/* The counter of an engine error. */
static enum pp_srtp_cnt pp_relay_srtp_err(int err)
{
	switch (err) {
	case -EBADMSG:
		return PP_SRTP_CNT_AUTH;
	case -EALREADY:
		return PP_SRTP_CNT_REPLAY;
	default:
		return PP_SRTP_CNT_OTHER;
	}
}

/*
 * @skb reached the keyed direction @dir of @s (@rtcp: the odd port):
 * unprotect (RX, from the phone) or protect (TX, toward it) its UDP
 * payload in place, then fix its lengths and checksums. The whole packet
 * is made linear and writable (a copy only when it is shared or paged);
 * protect appends the tag in the tailroom, growing the head (counted
 * "expanded": that allocates) only when there is too little. Returns 0
 * or a negative error, with the counter to bump in *@cnt either way.
 * Under rcu_read_lock(), BH off.
 */
static int pp_relay_srtp(struct pp_media_stream *s, enum pp_srtp_dir dir,
			 unsigned int rtcp, struct sk_buff *skb,
			 unsigned int thoff, enum pp_srtp_cnt *cnt)
{
	struct pp_media_srtp *m = rcu_dereference(s->srtp[dir]);
	unsigned int ulen, plen, need;
	struct udphdr *uh;
	int n;

	if (!m) {
		*cnt = PP_SRTP_CNT_PENDING;	/* never plain: dropped */
		return -EAGAIN;
	}
	*cnt = PP_SRTP_CNT_OTHER;
	if (skb_is_gso(skb) || skb_ensure_writable(skb, skb->len))
		return -ENOMEM;
	uh = (struct udphdr *)(skb->data + thoff);
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen != skb->len - thoff ||
	    !pp_relay_udp_csum_ok(skb, ip_hdr(skb), uh, ulen))
		return -EPROTO;
	plen = ulen - sizeof(*uh);

	if (dir == PP_SRTP_RX) {
		n = rtcp ? pp_srtcp_unprotect(m->ctx, (u8 *)(uh + 1), plen) :
			   pp_srtp_unprotect(m->ctx, (u8 *)(uh + 1), plen);
	} else {
		need = rtcp ? PP_SRTCP_TRAILER : m->ctx->tag_len;
		if (skb_tailroom(skb) < need) {
			if (pskb_expand_head(skb, 0, need - skb_tailroom(skb),
					     GFP_ATOMIC))
				return -ENOMEM;
			pp_relay_count_srtp(s, PP_SRTP_CNT_EXPANDED);
			uh = (struct udphdr *)(skb->data + thoff);
		}
		n = rtcp ? pp_srtcp_protect(m->ctx, (u8 *)(uh + 1), plen,
					    skb_tailroom(skb)) :
			   pp_srtp_protect(m->ctx, (u8 *)(uh + 1), plen,
					   skb_tailroom(skb));
	}
	if (n < 0) {
		*cnt = pp_relay_srtp_err(n);
		return n;
	}
	pp_relay_set_payload_len(skb, thoff, n);
	*cnt = dir == PP_SRTP_RX ? PP_SRTP_CNT_UNPROTECTED :
				   PP_SRTP_CNT_PROTECTED;
	return 0;
}

/* ---- The rewrite ----------------------------------------------------- */

/*
 * Rewrite the writable IPv4 and UDP headers of @skb to @out, patching
 * the checksums by the difference: a UDP checksum of 0 (none) stays 0, a
 * computed 0 becomes 0xffff; with CHECKSUM_PARTIAL only the pseudo-header
 * fields count (the device sums the rest). The TTL is decremented: two
 * streams pointed at each other cannot loop for ever.
 */
static void pp_relay_rewrite(struct sk_buff *skb, struct iphdr *iph,
			     struct udphdr *uh, const struct pp_relay_out *out)
{
	if (uh->check || skb->ip_summed == CHECKSUM_PARTIAL) {
		inet_proto_csum_replace4(&uh->check, skb, iph->saddr,
					 out->saddr, true);
		inet_proto_csum_replace4(&uh->check, skb, iph->daddr,
					 out->daddr, true);
		inet_proto_csum_replace2(&uh->check, skb, uh->source,
					 out->sport, false);
		inet_proto_csum_replace2(&uh->check, skb, uh->dest,
					 out->dport, false);
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	}
	uh->source = out->sport;
	uh->dest = out->dport;

	csum_replace4(&iph->check, iph->saddr, out->saddr);
	csum_replace4(&iph->check, iph->daddr, out->daddr);
	iph->saddr = out->saddr;
	iph->daddr = out->daddr;
	ip_decrease_ttl(iph);

	/* The receive side's sum covers the old bytes: forget it. */
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
}

/*
 * Send the rewritten @skb as if this host originated it: a route from
 * the new source, nothing of its reception left (route, conntrack,
 * timestamp, control block). Consumes @skb.
 */
static int pp_relay_xmit(struct net *net, struct sk_buff *skb,
			 const struct pp_relay_out *out)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct flowi4 fl4 = {
		.daddr		= out->daddr,
		.saddr		= out->saddr,
		.flowi4_proto	= IPPROTO_UDP,
		.flowi4_tos	= RT_TOS(iph->tos),
		.flowi4_mark	= skb->mark,
		.fl4_sport	= out->sport,
		.fl4_dport	= out->dport,
	};
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
	skb_clear_tstamp(skb);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	skb->pkt_type = PACKET_HOST;
	skb->dev = rt->dst.dev;
	ip_local_out(net, NULL, skb);
	return 0;
}

/*
 * The relay's verdict on @skb (BH off, under rcu_read_lock()): NF_ACCEPT
 * for what is not to a relay port, NF_DROP (counted) for what a stream
 * does not admit, NF_STOLEN for what was relayed.
 */
static unsigned int pp_relay_rx(struct pp_net *pn, struct net *net,
				struct sk_buff *skb)
{
	const struct pp_config *cfg = pp_config_rcu(pn);
	struct pp_media_net *mn = pn->media;
	struct pp_media_stream *s;
	enum pp_srtp_cnt cnt = 0;
	struct pp_relay_out out;
	unsigned int thoff, len;
	enum pp_srtp_dir dir;
	unsigned long now;
	enum pp_side side;
	bool keyed = false;
	struct udphdr *uh;
	struct iphdr *iph;
	u16 dport;

	iph = ip_hdr(skb);
	if (iph->protocol != IPPROTO_UDP)
		return NF_ACCEPT;
	if (iph->daddr == cfg->north_addr && cfg->north_addr)
		side = PP_NORTH;
	else if (iph->daddr == cfg->south_addr && cfg->south_addr)
		side = PP_SOUTH;
	else
		return NF_ACCEPT;
	/* Defragmentation runs before us: a fragment here is not ours. */
	if (ip_is_fragment(iph))
		return NF_ACCEPT;
	thoff = iph->ihl * 4;
	if (!pskb_may_pull(skb, thoff + sizeof(*uh)))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	uh = (struct udphdr *)(skb->data + thoff);
	dport = ntohs(uh->dest);

	s = pp_fwd_lookup(&mn->fwd[side], dport);
	if (!s || s->local[side] != iph->daddr)
		return NF_ACCEPT;

	len = skb->len;
	out.port_drop = false;
	if (!pp_relay_decide(s, side, dport & 1, iph->saddr, uh->source,
			     &out) || iph->ttl <= 1)
		goto drop;
	/*
	 * A keyed direction is transformed or dropped, never relayed plain:
	 * from the phone (north) with its RX context, toward it (south)
	 * with its TX context.
	 */
	dir = side == PP_NORTH ? PP_SRTP_RX : PP_SRTP_TX;
	keyed = READ_ONCE(s->srtp_keyed) & BIT(dir);
	if (keyed) {
		if (pp_relay_srtp(s, dir, dport & 1, skb, thoff, &cnt))
			goto drop;
		uh = (struct udphdr *)(skb->data + thoff);
		if (dir == PP_SRTP_RX &&
		    !pp_relay_latch_phone(s, dport & 1, uh->source)) {
			keyed = false;		/* a port drop, not SRTP's */
			out.port_drop = true;
			goto drop;
		}
	} else if (skb_ensure_writable(skb, thoff + sizeof(*uh))) {
		goto drop;
	}
	iph = ip_hdr(skb);
	uh = (struct udphdr *)(skb->data + thoff);
	pp_relay_rewrite(skb, iph, uh, &out);
	if (pp_relay_xmit(net, skb, &out)) {
		keyed = false;		/* a route drop, not SRTP's */
		goto drop;
	}
	pp_relay_count(s, side, len, true, false);
	if (keyed)
		pp_relay_count_srtp(s, cnt);
	now = jiffies;
	/* One write per jiffy at most: the line stays shared otherwise. */
	if (READ_ONCE(s->last) != now)
		WRITE_ONCE(s->last, now);
	return NF_STOLEN;

drop:
	pp_relay_count(s, side, len, false, out.port_drop);
	if (keyed)
		pp_relay_count_srtp(s, cnt);
	iph = ip_hdr(skb);
	uh = (struct udphdr *)(skb->data + thoff);
	net_dbg_ratelimited("media: drop %pI4:%u -> %pI4:%u\n",
			    &iph->saddr, ntohs(uh->source), &iph->daddr,
			    dport);
	return NF_DROP;
}

static unsigned int pp_relay_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return pp_relay_rx(pp_net(state->net), state->net, skb);
}

/*
 * After defragmentation (NF_IP_PRI_CONNTRACK_DEFRAG), before raw and
 * conntrack: a relayed packet never gets a conntrack entry.
 */
static const struct nf_hook_ops pp_relay_ops = {
	.hook		= pp_relay_hook,
	.pf		= NFPROTO_IPV4,
	.hooknum	= NF_INET_PRE_ROUTING,
	.priority	= NF_IP_PRI_RAW - 1,
};

int pp_relay_init(struct pp_net *pn)
{
	return nf_register_net_hook(pn->net, &pp_relay_ops);
}

void pp_relay_exit(struct pp_net *pn)
{
	/* Waits for the packets in flight. */
	nf_unregister_net_hook(pn->net, &pp_relay_ops);
}
