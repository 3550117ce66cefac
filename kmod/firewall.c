// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The north firewall (see also docs/security.md, "Firewall: the north
 * interface, both families").
 *
 * Judged: every packet that arrives on the north interface (the one that
 * holds the north address), whatever local or remote address it is for,
 * IPv4 and IPv6, and every IPv4 packet for the north address whatever
 * interface it came in on. Linux is a weak host: without the interface
 * test a host on the north link would reach the services of the south
 * address (or of any address of the box) by routing to it through the
 * north address's MAC. IPv4: at PRE_ROUTING (after conntrack, before NAT)
 * for the north address, at LOCAL_IN for the other addresses of the box;
 * what is forwarded is the SCCP proxy's FORWARD hook's, which drops all it
 * does not proxy. IPv6: at PRE_ROUTING, so forwarded IPv6 is dropped too.
 *
 * Offered on north, IPv4 only and only at the north address: the
 * activation web page (TCP 80/443), and SCCP, secure SCCP, TFTP and the
 * HTTP proxy to activated addresses (to everyone in open mode); at the
 * heartbeat pair's virtual north address, the web page and TFTP alike. Replies of
 * the box's own connections and ICMP errors conntrack relates to a tracked
 * connection pass in both families. IPv6 offers nothing, but neighbour
 * solicitations and advertisements (hop limit 255: from the link) pass:
 * they are IPv6's ARP, which the IPv4 side does not filter either, and
 * without them the box cannot use IPv6 on that link for its own traffic
 * (the replies above). Router advertisements, redirects, MLD and echo are
 * dropped: nothing on a hostile link may configure the box's routes.
 */
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/phoneproxy.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/netfilter/nf_conntrack.h>

#include "activation.h"
#include "config.h"
#include "firewall.h"

enum pp_fw_verdict {
	PP_FW_ACCEPT_WEB,
	PP_FW_ACCEPT_ACTIVATED,
	PP_FW_ACCEPT_OPEN,
	PP_FW_ACCEPT_REPLY,
	PP_FW_ACCEPT_NDISC,	/* IPv6 neighbour discovery: not counted */
	PP_FW_DROP,
};

static void pp_fw_count(struct pp_net *pn, enum pp_fw_verdict v)
{
	struct pp_fw_stats *s = this_cpu_ptr(pn->stats);

	/* Hooks run with BH off: one writer per CPU. */
	u64_stats_update_begin(&s->syncp);
	switch (v) {
	case PP_FW_ACCEPT_WEB:
		u64_stats_inc(&s->accept_web);
		break;
	case PP_FW_ACCEPT_ACTIVATED:
		u64_stats_inc(&s->accept_activated);
		break;
	case PP_FW_ACCEPT_OPEN:
		u64_stats_inc(&s->accept_open);
		break;
	case PP_FW_ACCEPT_REPLY:
		u64_stats_inc(&s->accept_reply);
		break;
	case PP_FW_ACCEPT_NDISC:
		/* Address resolution, as ARP: no counter. */
		break;
	case PP_FW_DROP:
		u64_stats_inc(&s->drop);
		break;
	}
	u64_stats_update_end(&s->syncp);
}

/*
 * Is this a packet of the reply direction of a tracked connection, or an
 * ICMP error (@l4proto: the packet's own transport protocol) that
 * conntrack matched to a connection it tracks? Such a connection got
 * through this firewall (or was opened by the proxy), so its errors pass
 * too: path-MTU discovery keeps working for phones and for the box.
 */
static bool pp_fw_is_reply(const struct sk_buff *skb, u8 l4proto)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || ctinfo == IP_CT_UNTRACKED)
		return false;
	return CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY ||
	       (ctinfo == IP_CT_RELATED &&
		(l4proto == IPPROTO_ICMP || l4proto == IPPROTO_ICMPV6));
}

/*
 * Is @dev the north interface: does it hold the north address @north?
 * Asked per packet (a handful of addresses per device, no allocation),
 * so the answer follows the address if the administrator moves it.
 */
static bool pp_fw_north_dev(const struct net_device *dev, __be32 north)
{
	const struct in_device *in_dev;
	const struct in_ifaddr *ifa;

	if (!dev)
		return false;
	in_dev = __in_dev_get_rcu(dev);
	if (!in_dev)
		return false;
	in_dev_for_each_ifa_rcu(ifa, in_dev)
		if (ifa->ifa_local == north)
			return true;
	return false;
}

/*
 * Is @daddr an address the north side may reach: the north address, or
 * the heartbeat pair's virtual north address (while this node holds it,
 * packets for it arrive here).
 */
static bool pp_fw_for_north(const struct pp_config *cfg, __be32 daddr)
{
	return daddr == cfg->north_addr ||
	       (cfg->virt_north_addr && daddr == cfg->virt_north_addr);
}

static enum pp_fw_verdict pp_fw_judge(struct pp_net *pn,
				      const struct pp_config *cfg,
				      const struct sk_buff *skb,
				      const struct iphdr *iph)
{
	bool service = false, virt;
	__be16 dport;

	/* Replies to connections the proxy opened, and ICMP errors. */
	if (pp_fw_is_reply(skb, iph->protocol))
		return PP_FW_ACCEPT_REPLY;

	/*
	 * Only the north address offers anything on the north side: not
	 * the south address, another address of the box, a broadcast or
	 * multicast address, nor a host behind the box (forwarding). The
	 * virtual north address offers what the guide moves with it:
	 * TFTP and the activation web page.
	 */
	if (!pp_fw_for_north(cfg, iph->daddr))
		return PP_FW_DROP;
	virt = iph->daddr != cfg->north_addr;

	/* Defrag ran before us: a fragment here is not reassembled. */
	if (ip_is_fragment(iph) && (iph->frag_off & htons(IP_OFFSET))) {
		net_dbg_ratelimited("non-first fragment from %pI4\n",
				    &iph->saddr);
		return PP_FW_DROP;
	}

	switch (iph->protocol) {
	case IPPROTO_TCP: {
		struct tcphdr _th;
		const struct tcphdr *th;
		u16 port;

		th = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_th), &_th);
		if (!th || th->doff < sizeof(_th) / 4) {
			net_dbg_ratelimited("bad TCP header from %pI4\n",
					    &iph->saddr);
			return PP_FW_DROP;
		}
		dport = th->dest;
		port = ntohs(dport);
		if (cfg->http && (port == 80 || port == 443))
			return PP_FW_ACCEPT_WEB;
		service = !virt && (port == cfg->sccp_port ||
				    (cfg->sccp_security && port == cfg->sccp_security_port) ||
				    (cfg->httpproxy && port == cfg->httpproxy_port));
		break;
	}
	case IPPROTO_UDP: {
		struct udphdr _uh;
		const struct udphdr *uh;

		uh = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_uh), &_uh);
		if (!uh) {
			net_dbg_ratelimited("bad UDP header from %pI4\n",
					    &iph->saddr);
			return PP_FW_DROP;
		}
		dport = uh->dest;
		service = ntohs(dport) == cfg->tftp_port;
		break;
	}
	default:
		return PP_FW_DROP;
	}

	if (!service)
		return PP_FW_DROP;
	if (pp_activation_active_rcu(pn, iph->saddr))
		return PP_FW_ACCEPT_ACTIVATED;
	if (cfg->act_mode == PP_ACT_MODE_OPEN)
		return PP_FW_ACCEPT_OPEN;
	return PP_FW_DROP;
}

/*
 * The north firewall, at PRE_ROUTING after conntrack (and defrag), before
 * NAT, and at LOCAL_IN (@local): the verdict on @skb arriving on @in,
 * counted. Judged: what is for the north address from any interface but
 * loopback, and what the north interface delivers to another address of
 * the box. Runs under rcu_read_lock() with BH off; allocates nothing.
 */
static unsigned int pp_fw_filter(struct pp_net *pn, struct sk_buff *skb,
				 const struct net_device *in, bool local)
{
	const struct pp_config *cfg = pp_config_rcu(pn);
	const struct iphdr *iph = ip_hdr(skb);
	enum pp_fw_verdict v;

	if (!cfg->north_addr)
		return NF_ACCEPT;
	/* The box talking to itself is not the north side. */
	if (in && (in->flags & IFF_LOOPBACK))
		return NF_ACCEPT;
	/*
	 * At PRE_ROUTING: what is for the north address. At LOCAL_IN
	 * (@local): what arrived on the north interface for another
	 * address of the box. Forwarded packets are the SCCP proxy's
	 * FORWARD hook's: it drops (and counts) all it does not proxy.
	 */
	if (local && (pp_fw_for_north(cfg, iph->daddr) ||
		      !pp_fw_north_dev(in, cfg->north_addr)))
		return NF_ACCEPT;
	if (!local && !pp_fw_for_north(cfg, iph->daddr))
		return NF_ACCEPT;

	v = pp_fw_judge(pn, cfg, skb, iph);
	pp_fw_count(pn, v);
	if (v != PP_FW_DROP)
		return NF_ACCEPT;

	net_dbg_ratelimited("drop proto %u %pI4 -> %pI4\n",
			    iph->protocol, &iph->saddr, &iph->daddr);
	return NF_DROP;
}

#if IS_ENABLED(CONFIG_IPV6)
/*
 * Is this IPv6 packet a neighbour solicitation or advertisement from the
 * link (hop limit 255, RFC 4861 7.1), not in a fragment (RFC 6980)?
 */
static bool pp_fw_is_ndisc(const struct sk_buff *skb, u8 nexthdr, int thoff,
			   __be16 frag_off)
{
	const struct icmp6hdr *ih;
	struct icmp6hdr _ih;

	if (nexthdr != IPPROTO_ICMPV6 || frag_off ||
	    ipv6_hdr(skb)->hop_limit != 255)
		return false;
	ih = skb_header_pointer(skb, thoff, sizeof(_ih), &_ih);
	return ih && (ih->icmp6_type == NDISC_NEIGHBOUR_SOLICITATION ||
		      ih->icmp6_type == NDISC_NEIGHBOUR_ADVERTISEMENT);
}

/*
 * An IPv6 packet that arrived on the north interface: nothing is offered
 * over IPv6, so only replies of the box's own connections, ICMPv6 errors
 * related to them, and neighbour discovery pass.
 */
static enum pp_fw_verdict pp_fw_judge6(const struct sk_buff *skb)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	__be16 frag_off;
	int thoff;

	thoff = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr,
				 &frag_off);
	if (thoff < 0)
		return PP_FW_DROP;
	if (pp_fw_is_reply(skb, nexthdr))
		return PP_FW_ACCEPT_REPLY;
	if (pp_fw_is_ndisc(skb, nexthdr, thoff, frag_off))
		return PP_FW_ACCEPT_NDISC;
	return PP_FW_DROP;
}

/* pp_fw_filter() for IPv6: only the north interface is judged. */
static unsigned int pp_fw_filter6(struct pp_net *pn, struct sk_buff *skb,
				  const struct net_device *in)
{
	const struct pp_config *cfg = pp_config_rcu(pn);
	enum pp_fw_verdict v;

	if (!cfg->north_addr || !pp_fw_north_dev(in, cfg->north_addr))
		return NF_ACCEPT;
	v = pp_fw_judge6(skb);
	pp_fw_count(pn, v);
	if (v != PP_FW_DROP)
		return NF_ACCEPT;
	net_dbg_ratelimited("drop IPv6 %pI6c -> %pI6c\n",
			    &ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr);
	return NF_DROP;
}

static unsigned int pp_fw_hook6(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	return pp_fw_filter6(pp_net(state->net), skb, state->in);
}
#endif

static unsigned int pp_fw_hook(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	return pp_fw_filter(pp_net(state->net), skb, state->in,
			    state->hook == NF_INET_LOCAL_IN);
}

static const struct nf_hook_ops pp_fw_ops[] = {
	{
		.hook		= pp_fw_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP_PRI_CONNTRACK + 1,
	},
	{
		.hook		= pp_fw_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_FILTER,
	},
#if IS_ENABLED(CONFIG_IPV6)
	{
		.hook		= pp_fw_hook6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP6_PRI_CONNTRACK + 1,
	},
#endif
};

/* Conntrack (and defrag) for the families the hooks judge. */
#if IS_ENABLED(CONFIG_IPV6)
#define PP_FW_NFPROTO	NFPROTO_INET
#else
#define PP_FW_NFPROTO	NFPROTO_IPV4
#endif

void pp_fw_totals(struct pp_net *pn, struct pp_fw_totals *tot)
{
	int cpu;

	memset(tot, 0, sizeof(*tot));
	for_each_possible_cpu(cpu) {
		const struct pp_fw_stats *s = per_cpu_ptr(pn->stats, cpu);
		u64 web, act, open, reply, drop;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			web = u64_stats_read(&s->accept_web);
			act = u64_stats_read(&s->accept_activated);
			open = u64_stats_read(&s->accept_open);
			reply = u64_stats_read(&s->accept_reply);
			drop = u64_stats_read(&s->drop);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		tot->accept_web += web;
		tot->accept_activated += act;
		tot->accept_open += open;
		tot->accept_reply += reply;
		tot->drop += drop;
	}
}

int pp_fw_init(struct pp_net *pn)
{
	int err, cpu;

	pn->stats = alloc_percpu(struct pp_fw_stats);
	if (!pn->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(pn->stats, cpu)->syncp);

	/* Conntrack and defrag for this namespace: ctinfo, whole packets. */
	err = nf_ct_netns_get(pn->net, PP_FW_NFPROTO);
	if (err)
		goto err_ct;
	err = nf_register_net_hooks(pn->net, pp_fw_ops, ARRAY_SIZE(pp_fw_ops));
	if (err)
		goto err_hooks;
	return 0;

err_hooks:
	nf_ct_netns_put(pn->net, PP_FW_NFPROTO);
err_ct:
	free_percpu(pn->stats);
	pn->stats = NULL;
	return err;
}

void pp_fw_exit(struct pp_net *pn)
{
	/* Waits for the packets in flight. */
	nf_unregister_net_hooks(pn->net, pp_fw_ops, ARRAY_SIZE(pp_fw_ops));
	nf_ct_netns_put(pn->net, PP_FW_NFPROTO);
	free_percpu(pn->stats);
	pn->stats = NULL;
}
