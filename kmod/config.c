// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
#include <linux/inetdevice.h>
#include <linux/phoneproxy.h>
#include <linux/slab.h>

#include "config.h"
#include "events.h"

int pp_config_init(struct pp_net *pn)
{
	struct pp_config *cfg;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;

	cfg->sccp_port = PP_DEFAULT_SCCP_PORT;
	cfg->sccp_security_port = PP_DEFAULT_SCCP_SECURITY_PORT;
	cfg->tftp_port = PP_DEFAULT_TFTP_PORT;
	cfg->httpproxy_port = PP_DEFAULT_HTTPPROXY_PORT;
	cfg->rtp_port_min = PP_DEFAULT_RTP_PORT_MIN;
	cfg->rtp_port_max = PP_DEFAULT_RTP_PORT_MAX;
	cfg->idle_timeout = PP_DEFAULT_IDLE_TIMEOUT;
	cfg->auth_timeout = PP_DEFAULT_AUTH_TIMEOUT;
	cfg->media_timeout = PP_DEFAULT_MEDIA_TIMEOUT;
	cfg->max_conns = PP_DEFAULT_MAX_CONNS;
	cfg->max_streams = PP_DEFAULT_MAX_STREAMS;
	cfg->act_mode = PP_ACT_MODE_REQUIRED;
	cfg->srtp_suite = PP_SRTP_SUITE_SHA1_32;
	cfg->http = true;

	RCU_INIT_POINTER(pn->config, cfg);
	return 0;
}

void pp_config_exit(struct pp_net *pn)
{
	/* No reader is left: the hook and the family are gone. */
	kfree(rcu_dereference_protected(pn->config, true));
	RCU_INIT_POINTER(pn->config, NULL);
}

static void pp_config_merge(struct pp_config *cfg, struct nlattr **tb)
{
	if (tb[PP_A_CFG_NORTH_ADDR])
		cfg->north_addr = nla_get_in_addr(tb[PP_A_CFG_NORTH_ADDR]);
	if (tb[PP_A_CFG_SOUTH_ADDR])
		cfg->south_addr = nla_get_in_addr(tb[PP_A_CFG_SOUTH_ADDR]);
	if (tb[PP_A_CFG_VIRT_NORTH_ADDR])
		cfg->virt_north_addr = nla_get_in_addr(tb[PP_A_CFG_VIRT_NORTH_ADDR]);
	if (tb[PP_A_CFG_VIRT_SOUTH_ADDR])
		cfg->virt_south_addr = nla_get_in_addr(tb[PP_A_CFG_VIRT_SOUTH_ADDR]);
	if (tb[PP_A_CFG_SCCP_PORT])
		cfg->sccp_port = nla_get_u16(tb[PP_A_CFG_SCCP_PORT]);
	if (tb[PP_A_CFG_SCCP_SECURITY_PORT])
		cfg->sccp_security_port = nla_get_u16(tb[PP_A_CFG_SCCP_SECURITY_PORT]);
	if (tb[PP_A_CFG_SCCP_SECURITY])
		cfg->sccp_security = nla_get_u8(tb[PP_A_CFG_SCCP_SECURITY]);
	if (tb[PP_A_CFG_TFTP_PORT])
		cfg->tftp_port = nla_get_u16(tb[PP_A_CFG_TFTP_PORT]);
	if (tb[PP_A_CFG_HTTPPROXY_PORT])
		cfg->httpproxy_port = nla_get_u16(tb[PP_A_CFG_HTTPPROXY_PORT]);
	if (tb[PP_A_CFG_HTTPPROXY])
		cfg->httpproxy = nla_get_u8(tb[PP_A_CFG_HTTPPROXY]);
	if (tb[PP_A_CFG_HTTP])
		cfg->http = nla_get_u8(tb[PP_A_CFG_HTTP]);
	if (tb[PP_A_CFG_ACT_MODE])
		cfg->act_mode = nla_get_u8(tb[PP_A_CFG_ACT_MODE]);
	if (tb[PP_A_CFG_IDLE_TIMEOUT])
		cfg->idle_timeout = nla_get_u32(tb[PP_A_CFG_IDLE_TIMEOUT]);
	if (tb[PP_A_CFG_AUTH_TIMEOUT])
		cfg->auth_timeout = nla_get_u32(tb[PP_A_CFG_AUTH_TIMEOUT]);
	if (tb[PP_A_CFG_MEDIA_TIMEOUT])
		cfg->media_timeout = nla_get_u32(tb[PP_A_CFG_MEDIA_TIMEOUT]);
	if (tb[PP_A_CFG_RTP_PORT_MIN])
		cfg->rtp_port_min = nla_get_u16(tb[PP_A_CFG_RTP_PORT_MIN]);
	if (tb[PP_A_CFG_RTP_PORT_MAX])
		cfg->rtp_port_max = nla_get_u16(tb[PP_A_CFG_RTP_PORT_MAX]);
	if (tb[PP_A_CFG_MAX_CONNS])
		cfg->max_conns = nla_get_u32(tb[PP_A_CFG_MAX_CONNS]);
	if (tb[PP_A_CFG_MAX_STREAMS])
		cfg->max_streams = nla_get_u32(tb[PP_A_CFG_MAX_STREAMS]);
	if (tb[PP_A_CFG_SRTP_SUITE])
		cfg->srtp_suite = nla_get_u8(tb[PP_A_CFG_SRTP_SUITE]);
}

/* Is @addr configured on an interface of @net? */
static bool pp_config_addr_local(struct net *net, __be32 addr)
{
	return inet_confirm_addr(net, NULL, 0, addr, RT_SCOPE_HOST) != 0;
}

/* The first of @a and @b that the request carries, for the extack. */
static struct nlattr *pp_config_blame(struct nlattr **tb, int a, int b)
{
	return tb[a] ? tb[a] : tb[b];
}

/*
 * A virtual address of the heartbeat pair (@a: PP_A_CFG_VIRT_NORTH_ADDR
 * or _SOUTH_ADDR) the request names: unicast, and neither this node's
 * north nor its south address. It need not be local: only the pair's
 * master holds it.
 */
static int pp_config_check_virt(const struct pp_config *cfg, struct nlattr **tb,
				int a, struct netlink_ext_ack *extack)
{
	__be32 v = a == PP_A_CFG_VIRT_NORTH_ADDR ? cfg->virt_north_addr :
		   cfg->virt_south_addr;
	struct nlattr *blame = tb[a] ? tb[a] :
			       pp_config_blame(tb, PP_A_CFG_NORTH_ADDR, PP_A_CFG_SOUTH_ADDR);

	if (!v)
		return 0;
	if (ipv4_is_multicast(v) || ipv4_is_lbcast(v) || ipv4_is_zeronet(v) ||
	    ipv4_is_loopback(v)) {
		NL_SET_ERR_MSG_ATTR(extack, blame, "virtual address must be a unicast address");
		return -EINVAL;
	}
	if (v == cfg->north_addr || v == cfg->south_addr) {
		NL_SET_ERR_MSG_ATTR(extack, blame,
				    "virtual address must differ from the north and south addresses");
		return -EINVAL;
	}
	if (cfg->virt_north_addr == cfg->virt_south_addr) {
		NL_SET_ERR_MSG_ATTR(extack, blame, "virtual north and south addresses must differ");
		return -EINVAL;
	}
	return 0;
}

static int pp_config_check(struct net *net, const struct pp_config *cfg,
			   struct nlattr **tb, struct netlink_ext_ack *extack)
{
	int err;

	/*
	 * Only the addresses the request names must exist now: an
	 * address removed since it was set does not block other changes.
	 */
	if (tb[PP_A_CFG_NORTH_ADDR] && cfg->north_addr &&
	    !pp_config_addr_local(net, cfg->north_addr)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PP_A_CFG_NORTH_ADDR],
				    "north address is not configured on any interface of this namespace");
		return -EADDRNOTAVAIL;
	}
	if (tb[PP_A_CFG_SOUTH_ADDR] && cfg->south_addr &&
	    !pp_config_addr_local(net, cfg->south_addr)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PP_A_CFG_SOUTH_ADDR],
				    "south address is not configured on any interface of this namespace");
		return -EADDRNOTAVAIL;
	}
	if (cfg->north_addr && cfg->north_addr == cfg->south_addr) {
		NL_SET_ERR_MSG_ATTR(extack,
				    pp_config_blame(tb, PP_A_CFG_SOUTH_ADDR,
						    PP_A_CFG_NORTH_ADDR),
				    "north and south addresses must differ");
		return -EINVAL;
	}
	err = pp_config_check_virt(cfg, tb, PP_A_CFG_VIRT_NORTH_ADDR, extack);
	if (!err)
		err = pp_config_check_virt(cfg, tb, PP_A_CFG_VIRT_SOUTH_ADDR, extack);
	if (err)
		return err;
	if (cfg->rtp_port_min >= cfg->rtp_port_max) {
		NL_SET_ERR_MSG_ATTR(extack,
				    pp_config_blame(tb, PP_A_CFG_RTP_PORT_MIN,
						    PP_A_CFG_RTP_PORT_MAX),
				    "RTP port range must hold at least two ports (min < max)");
		return -EINVAL;
	}
	return 0;
}

int pp_config_set(struct pp_net *pn, struct nlattr **tb,
		  struct netlink_ext_ack *extack)
{
	struct pp_ev ev = { .pn = pn, .extack = extack,
			    .reason = PP_REASON_CLI };
	struct pp_config *cfg;
	int err;

	/* Who changes it, told in the event: the administrator or the cluster. */
	if (tb[PP_A_REASON]) {
		ev.reason = nla_get_u8(tb[PP_A_REASON]);
		if (ev.reason != PP_REASON_CLI && ev.reason != PP_REASON_CLUSTER) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PP_A_REASON],
					    "configuration change reason must be CLI or CLUSTER");
			return -EINVAL;
		}
	}
	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;

	mutex_lock(&pn->lock);
	ev.old = pp_config_locked(pn);
	*cfg = *ev.old;
	pp_config_merge(cfg, tb);
	ev.cfg = cfg;
	err = pp_config_check(pn->net, cfg, tb, extack) ?:
	      pp_events_announce(PP_EV_CONFIG_CHECK, &ev);
	if (err) {
		mutex_unlock(&pn->lock);
		kfree(cfg);
		return err;
	}

	rcu_assign_pointer(pn->config, cfg);
	pp_events_announce(PP_EV_CONFIG_SET, &ev);
	mutex_unlock(&pn->lock);
	pp_events_announce(PP_EV_CONFIG_CHANGED, &ev);

	kfree_rcu((struct pp_config *)ev.old, rcu);
	return 0;
}
