// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The north firewall's verdict (guide: "Firewall Requirements",
 * Appendix D), table-driven over protocol, port, activation, the mode and
 * the optional services, on hand-built packets, IPv4 and IPv6. firewall.c
 * is included for pp_fw_judge(), pp_fw_judge6() and pp_fw_filter().
 */
#include "../firewall.c"

#include <linux/bottom_half.h>

#include "pp_kunit.h"

#define NORTH	PP_KUNIT_ADDR(192, 0, 2, 1)
#define VNORTH	PP_KUNIT_ADDR(192, 0, 2, 100)
#define SOUTH	PP_KUNIT_ADDR(198, 51, 100, 1)
#define NBCAST	PP_KUNIT_ADDR(192, 0, 2, 255)
#define PHONE	PP_KUNIT_ADDR(192, 0, 2, 10)	/* activated when asked */
#define STRANGER PP_KUNIT_ADDR(192, 0, 2, 99)	/* never activated */

/* Conditions of a case, or-ed. */
enum {
	ACT	= BIT(0),	/* the source is activated */
	OPEN	= BIT(1),	/* activation mode open */
	NOHTTP	= BIT(2),	/* the activation web service off */
	HPROXY	= BIT(3),	/* HTTP proxy on */
	SECURITY	= BIT(4),	/* secure SCCP on */
	SCCP01	= BIT(5),	/* SCCP on port 2001 */
	CTREPLY	= BIT(6),	/* conntrack: reply direction */
	CTREL	= BIT(7),	/* conntrack: related (original direction) */
	CTORIG	= BIT(8),	/* conntrack: established, original dir. */
	FRAG	= BIT(9),	/* a non-first fragment */
	MF	= BIT(10),	/* the first fragment of several */
	SHORT	= BIT(11),	/* the transport header is cut short */
	BADOFF	= BIT(12),	/* TCP data offset below 5 */
	TOSOUTH	= BIT(13),	/* to the south address (weak host) */
	TOBCAST	= BIT(14),	/* to the north subnet's broadcast */
	EXTHDR	= BIT(15),	/* IPv6: a hop-by-hop header first */
	HOP1	= BIT(16),	/* IPv6: hop limit 1 (else 255 for ICMPv6) */
	HOP64	= BIT(17),	/* IPv6: hop limit 64 */
	TOVIRT	= BIT(18),	/* to the heartbeat pair's virtual north address */
	NOVIRT	= BIT(19),	/* ... none configured */
};

struct pp_kt_fw_case {
	const char *desc;
	u8 proto;
	u16 port;
	u32 flags;
	enum pp_fw_verdict want;
};

#define WEB	PP_FW_ACCEPT_WEB
#define ACTD	PP_FW_ACCEPT_ACTIVATED
#define OPND	PP_FW_ACCEPT_OPEN
#define RPLY	PP_FW_ACCEPT_REPLY
#define DROP	PP_FW_DROP
#define TCP	IPPROTO_TCP
#define UDP	IPPROTO_UDP
#define ICMP	IPPROTO_ICMP

static const struct pp_kt_fw_case pp_kt_fw_cases[] = {
	/* The activation web page, for anyone, while the service is on. */
	{ "tcp 80 from anyone: web", TCP, 80, 0, WEB },
	{ "tcp 443 from anyone: web", TCP, 443, 0, WEB },
	{ "tcp 443 activated: web", TCP, 443, ACT, WEB },
	{ "tcp 443 open mode: web", TCP, 443, OPEN, WEB },
	{ "tcp 80 web off: drop", TCP, 80, NOHTTP, DROP },
	{ "tcp 443 web off, activated: drop", TCP, 443, NOHTTP | ACT, DROP },
	{ "udp 80: drop", UDP, 80, ACT, DROP },
	/* SCCP, TFTP: activated addresses, or anyone in open mode. */
	{ "tcp 2000 not activated: drop", TCP, 2000, 0, DROP },
	{ "tcp 2000 activated: accept", TCP, 2000, ACT, ACTD },
	{ "tcp 2000 open mode: accept", TCP, 2000, OPEN, OPND },
	{ "tcp 2000 open mode, activated: activated", TCP, 2000, OPEN | ACT,
	  ACTD },
	{ "udp 69 not activated: drop", UDP, 69, 0, DROP },
	{ "udp 69 activated: accept", UDP, 69, ACT, ACTD },
	{ "udp 69 open mode: accept", UDP, 69, OPEN, OPND },
	{ "tcp 69 activated: drop", TCP, 69, ACT, DROP },
	{ "udp 2000 activated: drop", UDP, 2000, ACT, DROP },
	{ "tcp 2001 activated, sccp on 2001: accept", TCP, 2001,
	  ACT | SCCP01, ACTD },
	{ "tcp 2000 activated, sccp on 2001: drop", TCP, 2000, ACT | SCCP01,
	  DROP },
	/* Secure SCCP and the HTTP proxy only when on. */
	{ "tcp 2443 activated, sccp_security off: drop", TCP, 2443, ACT, DROP },
	{ "tcp 2443 activated, sccp_security on: accept", TCP, 2443, ACT | SECURITY,
	  ACTD },
	{ "tcp 2443 sccp_security on, not activated: drop", TCP, 2443, SECURITY, DROP },
	{ "tcp 8088 activated, proxy off: drop", TCP, 8088, ACT, DROP },
	{ "tcp 8088 activated, proxy on: accept", TCP, 8088, ACT | HPROXY,
	  ACTD },
	{ "tcp 8088 proxy on, open mode: accept", TCP, 8088, OPEN | HPROXY,
	  OPND },
	{ "tcp 8088 proxy on, not activated: drop", TCP, 8088, HPROXY, DROP },
	/* Everything else. */
	{ "tcp 22 activated: drop", TCP, 22, ACT, DROP },
	{ "tcp 22 open mode: drop", TCP, 22, OPEN, DROP },
	{ "udp 5060 activated: drop", UDP, 5060, ACT, DROP },
	{ "icmp activated: drop", ICMP, 0, ACT, DROP },
	{ "icmp open mode: drop", ICMP, 0, OPEN, DROP },
	{ "gre activated: drop", IPPROTO_GRE, 0, ACT | OPEN, DROP },
	/* Conntrack: replies and ICMP errors of known connections pass. */
	{ "tcp 22 reply direction: reply", TCP, 22, CTREPLY, RPLY },
	{ "udp 40000 reply direction: reply", UDP, 40000, CTREPLY, RPLY },
	{ "icmp related: reply", ICMP, 0, CTREL, RPLY },
	{ "tcp 22 related, original direction: drop", TCP, 22, CTREL, DROP },
	{ "tcp 22 established, original direction: drop", TCP, 22, CTORIG,
	  DROP },
	{ "tcp 2000 established original, activated: accept", TCP, 2000,
	  CTORIG | ACT, ACTD },
	/* Malformed and fragmented. */
	{ "udp 69 activated, later fragment: drop", UDP, 69, ACT | FRAG,
	  DROP },
	{ "tcp 80 first fragment: web", TCP, 80, MF, WEB },
	{ "tcp 80 header cut short: drop", TCP, 80, SHORT, DROP },
	{ "tcp 80 data offset 4: drop", TCP, 80, BADOFF, DROP },
	{ "udp 69 activated, header cut short: drop", UDP, 69, ACT | SHORT,
	  DROP },
	/* Only the north address offers anything (weak host model). */
	{ "tcp 80 to the south address: drop", TCP, 80, TOSOUTH, DROP },
	{ "tcp 2000 activated, to the south address: drop", TCP, 2000,
	  ACT | TOSOUTH, DROP },
	{ "udp 69 open mode, to the south address: drop", UDP, 69,
	  OPEN | TOSOUTH, DROP },
	{ "udp 69 open mode, to the broadcast address: drop", UDP, 69,
	  OPEN | TOBCAST, DROP },
	{ "tcp 22 reply direction, to the south address: reply", TCP, 22,
	  CTREPLY | TOSOUTH, RPLY },
	{ "icmp related, to the south address: reply", ICMP, 0,
	  CTREL | TOSOUTH, RPLY },
	/* The virtual north address (heartbeat): TFTP and the web page. */
	{ "tcp 80 to the virtual north address: web", TCP, 80, TOVIRT, WEB },
	{ "tcp 443 to the virtual north address, web off: drop", TCP, 443,
	  TOVIRT | NOHTTP, DROP },
	{ "udp 69 activated, to the virtual north address: accept", UDP, 69,
	  ACT | TOVIRT, ACTD },
	{ "udp 69 open mode, to the virtual north address: accept", UDP, 69,
	  OPEN | TOVIRT, OPND },
	{ "udp 69 not activated, to the virtual north address: drop", UDP, 69,
	  TOVIRT, DROP },
	{ "tcp 2000 activated, to the virtual north address: drop", TCP, 2000,
	  ACT | TOVIRT, DROP },
	{ "tcp 8088 proxy on, activated, to the virtual north address: drop", TCP,
	  8088, ACT | HPROXY | TOVIRT, DROP },
	{ "tcp 80 to a virtual north address not configured: drop", TCP, 80,
	  TOVIRT | NOVIRT, DROP },
};

static void pp_kt_fw_desc(const struct pp_kt_fw_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pp_kt_fw, pp_kt_fw_cases, pp_kt_fw_desc);

/*
 * An IPv4 packet from @saddr to NORTH as the hook sees it (skb->data at
 * the IP header): @proto to @port, headers per @flags.
 */
static struct sk_buff *pp_kt_packet(struct kunit *test, __be32 saddr,
				    u8 proto, u16 port, u32 flags)
{
	unsigned int l4len = 0;
	struct sk_buff *skb;
	struct iphdr *iph;
	void *l4;

	switch (proto) {
	case IPPROTO_TCP:
		l4len = flags & SHORT ? 10 : sizeof(struct tcphdr);
		break;
	case IPPROTO_UDP:
		l4len = flags & SHORT ? 4 : sizeof(struct udphdr);
		break;
	default:
		l4len = 8;
		break;
	}
	skb = alloc_skb(sizeof(*iph) + l4len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = proto;
	iph->saddr = saddr;
	iph->daddr = flags & TOSOUTH ? SOUTH : flags & TOBCAST ? NBCAST :
		     flags & TOVIRT ? VNORTH : NORTH;
	iph->tot_len = htons(sizeof(*iph) + l4len);
	if (flags & FRAG)
		iph->frag_off = htons(185);
	else if (flags & MF)
		iph->frag_off = htons(IP_MF);
	l4 = skb_put_zero(skb, l4len);
	skb_set_transport_header(skb, sizeof(*iph));
	if (proto == IPPROTO_TCP && !(flags & SHORT)) {
		struct tcphdr *th = l4;

		th->source = htons(40000);
		th->dest = htons(port);
		th->doff = flags & BADOFF ? 4 : 5;
		th->syn = 1;
	} else if (proto == IPPROTO_UDP && !(flags & SHORT)) {
		struct udphdr *uh = l4;

		uh->source = htons(40000);
		uh->dest = htons(port);
		uh->len = htons(l4len);
	}
	return skb;
}

static void pp_kt_packet_free(struct sk_buff *skb)
{
	/* Forget the fake conntrack entry: nothing holds a reference. */
	skb->_nfct = 0;
	kfree_skb(skb);
}

static int pp_firewall_verdict_init(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	int err = pp_kunit_net_init(test);

	if (err)
		return err;
	pp_kunit_publish_family(test, pp_kunit_pn(test));
	return pp_activate(pp_kunit_pn(test), "homer", PHONE, PP_REASON_CLI,
			   &extack);
}

static void pp_kt_config(struct pp_config *cfg, u32 flags)
{
	cfg->north_addr = NORTH;
	cfg->virt_north_addr = flags & TOVIRT && !(flags & NOVIRT) ? VNORTH : 0;
	cfg->act_mode = flags & OPEN ? PP_ACT_MODE_OPEN : PP_ACT_MODE_REQUIRED;
	cfg->http = !(flags & NOHTTP);
	cfg->httpproxy = flags & HPROXY;
	cfg->sccp_security = flags & SECURITY;
	if (flags & SCCP01)
		cfg->sccp_port = 2001;
}

static void pp_firewall_verdict_table(struct kunit *test)
{
	const struct pp_kt_fw_case *c = test->param_value;
	struct pp_net *pn = pp_kunit_pn(test);
	struct nf_conn *ct = NULL;
	enum pp_fw_verdict v;
	struct pp_config cfg;
	struct sk_buff *skb;

	mutex_lock(&pn->lock);
	cfg = *pp_config_locked(pn);
	mutex_unlock(&pn->lock);
	pp_kt_config(&cfg, c->flags);

	if (c->flags & (CTREPLY | CTREL | CTORIG)) {
		/* Only the pointer and ctinfo are read: a blank entry. */
		ct = kunit_kzalloc(test, sizeof(*ct), GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ct);
	}
	skb = pp_kt_packet(test, c->flags & ACT ? PHONE : STRANGER, c->proto,
			   c->port, c->flags);
	if (c->flags & CTREPLY)
		nf_ct_set(skb, ct, IP_CT_ESTABLISHED_REPLY);
	else if (c->flags & CTREL)
		nf_ct_set(skb, ct, IP_CT_RELATED);
	else if (c->flags & CTORIG)
		nf_ct_set(skb, ct, IP_CT_ESTABLISHED);

	rcu_read_lock();
	v = pp_fw_judge(pn, &cfg, skb, ip_hdr(skb));
	rcu_read_unlock();
	pp_kt_packet_free(skb);
	KUNIT_EXPECT_EQ(test, v, c->want);
}

/* What the hook leaves alone, and what it counts. */
static void pp_firewall_verdict_hook_scope(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct net_device *lo = init_net.loopback_dev;
	struct pp_fw_totals tot;
	struct pp_config cfg;
	struct sk_buff *skb;
	struct iphdr *iph;
	unsigned int v[6];

	/* No north address yet: everything passes, nothing counted. */
	skb = pp_kt_packet(test, STRANGER, IPPROTO_TCP, 22, 0);
	local_bh_disable();
	rcu_read_lock();
	v[0] = pp_fw_filter(pn, skb, NULL, false);

	rcu_read_unlock();
	local_bh_enable();

	mutex_lock(&pn->lock);
	cfg = *pp_config_locked(pn);
	mutex_unlock(&pn->lock);
	pp_kt_config(&cfg, 0);
	pp_kunit_set_config(test, pn, &cfg);

	local_bh_disable();
	rcu_read_lock();
	/* To the north address: judged and counted. */
	v[1] = pp_fw_filter(pn, skb, NULL, false);
	/* From the box itself: not the north side. */
	v[2] = pp_fw_filter(pn, skb, lo, false);
	/* To another address of the box: not judged. */
	iph = ip_hdr(skb);
	iph->daddr = PP_KUNIT_ADDR(198, 51, 100, 1);
	v[3] = pp_fw_filter(pn, skb, NULL, false);
	iph->daddr = NORTH;
	/* Activated: SCCP passes. */
	iph->saddr = PHONE;
	tcp_hdr(skb)->dest = htons(2000);
	v[4] = pp_fw_filter(pn, skb, NULL, false);
	tcp_hdr(skb)->dest = htons(443);
	v[5] = pp_fw_filter(pn, skb, NULL, false);
	rcu_read_unlock();
	local_bh_enable();
	pp_kt_packet_free(skb);

	KUNIT_EXPECT_EQ(test, v[0], NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, v[1], NF_DROP);
	KUNIT_EXPECT_EQ(test, v[2], NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, v[3], NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, v[4], NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, v[5], NF_ACCEPT);

	pp_fw_totals(pn, &tot);
	KUNIT_EXPECT_EQ(test, tot.drop, 1ULL);
	KUNIT_EXPECT_EQ(test, tot.accept_activated, 1ULL);
	KUNIT_EXPECT_EQ(test, tot.accept_web, 1ULL);
	KUNIT_EXPECT_EQ(test, tot.accept_open, 0ULL);
	KUNIT_EXPECT_EQ(test, tot.accept_reply, 0ULL);
}

/* Inactivation closes the service ports at once. */
static void pp_firewall_verdict_follows_activation(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	enum pp_fw_verdict before, after;
	struct pp_config cfg;
	struct sk_buff *skb;

	mutex_lock(&pn->lock);
	cfg = *pp_config_locked(pn);
	mutex_unlock(&pn->lock);
	pp_kt_config(&cfg, 0);

	skb = pp_kt_packet(test, PHONE, IPPROTO_TCP, 2000, 0);
	rcu_read_lock();
	before = pp_fw_judge(pn, &cfg, skb, ip_hdr(skb));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, pp_inactivate(pn, "homer", PP_REASON_CLI, NULL),
			0);
	rcu_read_lock();
	after = pp_fw_judge(pn, &cfg, skb, ip_hdr(skb));
	rcu_read_unlock();
	pp_kt_packet_free(skb);

	KUNIT_EXPECT_EQ(test, before, PP_FW_ACCEPT_ACTIVATED);
	KUNIT_EXPECT_EQ(test, after, PP_FW_DROP);
}

/* The north interface is the one that holds the north address. */
static void pp_firewall_verdict_north_dev(struct kunit *test)
{
	struct net_device *lo = init_net.loopback_dev;
	bool lo_has_own, lo_has_north, none;

	rcu_read_lock();
	lo_has_own = pp_fw_north_dev(lo, htonl(INADDR_LOOPBACK));
	lo_has_north = pp_fw_north_dev(lo, NORTH);
	none = pp_fw_north_dev(NULL, NORTH);
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, lo_has_own);
	KUNIT_EXPECT_FALSE(test, lo_has_north);
	KUNIT_EXPECT_FALSE(test, none);
}

#if IS_ENABLED(CONFIG_IPV6)
/* IPv6 on the north interface: nothing offered; NDP and replies pass. */
struct pp_kt_fw6_case {
	const char *desc;
	u8 nexthdr;
	u16 port;		/* TCP/UDP port, or ICMPv6 type */
	u32 flags;		/* EXTHDR, HOP1, HOP64, CTREPLY, CTREL, CTORIG */
	enum pp_fw_verdict want;
};

#define ICMP6	IPPROTO_ICMPV6
#define NDP	PP_FW_ACCEPT_NDISC

static const struct pp_kt_fw6_case pp_kt_fw6_cases[] = {
	{ "tcp 80: drop", TCP, 80, 0, DROP },
	{ "tcp 443: drop", TCP, 443, 0, DROP },
	{ "tcp 2000: drop", TCP, 2000, 0, DROP },
	{ "udp 69: drop", UDP, 69, 0, DROP },
	{ "tcp 22 after a hop-by-hop header: drop", TCP, 22, EXTHDR, DROP },
	{ "echo request: drop", ICMP6, ICMPV6_ECHO_REQUEST, HOP64, DROP },
	{ "neighbour solicitation: ndisc", ICMP6,
	  NDISC_NEIGHBOUR_SOLICITATION, 0, NDP },
	{ "neighbour advertisement: ndisc", ICMP6,
	  NDISC_NEIGHBOUR_ADVERTISEMENT, 0, NDP },
	{ "neighbour solicitation, hop limit 64 (routed): drop", ICMP6,
	  NDISC_NEIGHBOUR_SOLICITATION, HOP64, DROP },
	{ "router solicitation: drop", ICMP6, NDISC_ROUTER_SOLICITATION, 0,
	  DROP },
	{ "router advertisement: drop", ICMP6, NDISC_ROUTER_ADVERTISEMENT, 0,
	  DROP },
	{ "redirect: drop", ICMP6, NDISC_REDIRECT, 0, DROP },
	{ "MLD query: drop", ICMP6, ICMPV6_MGM_QUERY, HOP1, DROP },
	{ "tcp 22 reply direction: reply", TCP, 22, CTREPLY, RPLY },
	{ "udp 53 reply direction: reply", UDP, 53, CTREPLY, RPLY },
	{ "packet too big, related: reply", ICMP6, ICMPV6_PKT_TOOBIG, CTREL,
	  RPLY },
	{ "packet too big after a hop-by-hop header, related: reply", ICMP6,
	  ICMPV6_PKT_TOOBIG, CTREL | EXTHDR, RPLY },
	{ "tcp 22 related, original direction: drop", TCP, 22, CTREL, DROP },
	{ "tcp 80 established, original direction: drop", TCP, 80, CTORIG,
	  DROP },
};

static void pp_kt_fw6_desc(const struct pp_kt_fw6_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pp_kt_fw6, pp_kt_fw6_cases, pp_kt_fw6_desc);

/* An IPv6 packet from 2001:db8:1::99 to 2001:db8:1::1 per @c. */
static struct sk_buff *pp_kt_packet6(struct kunit *test,
				     const struct pp_kt_fw6_case *c)
{
	unsigned int ext = c->flags & EXTHDR ? 8 : 0, l4len;
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	u8 *l4;

	l4len = c->nexthdr == TCP ? sizeof(struct tcphdr) :
		c->nexthdr == UDP ? sizeof(struct udphdr) : 24;
	skb = alloc_skb(sizeof(*ip6h) + ext + l4len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	ip6h = skb_put_zero(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h->version = 6;
	ip6h->payload_len = htons(ext + l4len);
	ip6h->nexthdr = ext ? NEXTHDR_HOP : c->nexthdr;
	ip6h->hop_limit = c->flags & HOP1 ? 1 : c->flags & HOP64 ? 64 : 255;
	ip6h->saddr.s6_addr32[0] = htonl(0x20010db8);
	ip6h->saddr.s6_addr32[1] = htonl(0x00010000);
	ip6h->saddr.s6_addr32[3] = htonl(0x99);
	ip6h->daddr = ip6h->saddr;
	ip6h->daddr.s6_addr32[3] = htonl(1);
	if (ext) {
		u8 *hbh = skb_put_zero(skb, ext);

		hbh[0] = c->nexthdr;	/* length 0: 8 bytes */
		hbh[2] = IPV6_TLV_PADN;
		hbh[3] = 4;
	}
	l4 = skb_put_zero(skb, l4len);
	skb_set_transport_header(skb, sizeof(*ip6h) + ext);
	if (c->nexthdr == TCP) {
		struct tcphdr *th = (struct tcphdr *)l4;

		th->source = htons(40000);
		th->dest = htons(c->port);
		th->doff = 5;
		th->syn = 1;
	} else if (c->nexthdr == UDP) {
		struct udphdr *uh = (struct udphdr *)l4;

		uh->source = htons(40000);
		uh->dest = htons(c->port);
		uh->len = htons(l4len);
	} else {
		l4[0] = c->port;	/* the ICMPv6 type */
	}
	return skb;
}

static void pp_firewall_verdict_ipv6(struct kunit *test)
{
	const struct pp_kt_fw6_case *c = test->param_value;
	struct nf_conn *ct = NULL;
	enum pp_fw_verdict v;
	struct sk_buff *skb;

	if (c->flags & (CTREPLY | CTREL | CTORIG)) {
		ct = kunit_kzalloc(test, sizeof(*ct), GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ct);
	}
	skb = pp_kt_packet6(test, c);
	if (c->flags & CTREPLY)
		nf_ct_set(skb, ct, IP_CT_ESTABLISHED_REPLY);
	else if (c->flags & CTREL)
		nf_ct_set(skb, ct, IP_CT_RELATED);
	else if (c->flags & CTORIG)
		nf_ct_set(skb, ct, IP_CT_ESTABLISHED);

	rcu_read_lock();
	v = pp_fw_judge6(skb);
	rcu_read_unlock();
	pp_kt_packet_free(skb);
	KUNIT_EXPECT_EQ(test, v, c->want);
}
#endif

static struct kunit_case pp_firewall_verdict_cases[] = {
	KUNIT_CASE_PARAM(pp_firewall_verdict_table, pp_kt_fw_gen_params),
#if IS_ENABLED(CONFIG_IPV6)
	KUNIT_CASE_PARAM(pp_firewall_verdict_ipv6, pp_kt_fw6_gen_params),
#endif
	KUNIT_CASE(pp_firewall_verdict_north_dev),
	KUNIT_CASE(pp_firewall_verdict_hook_scope),
	KUNIT_CASE(pp_firewall_verdict_follows_activation),
	{}
};

struct kunit_suite pp_firewall_verdict_suite = {
	.name = "pp_firewall_verdict",
	.init = pp_firewall_verdict_init,
	.exit = pp_kunit_net_exit,
	.test_cases = pp_firewall_verdict_cases,
};
