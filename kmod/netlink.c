// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
#include <linux/phoneproxy.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "activation.h"
#include "config.h"
#include "events.h"
#include "firewall.h"
#include "media.h"
#include "netlink.h"
#include "registration.h"
#include "sccp_conn.h"
#include "users.h"

enum pp_nl_mcgrp {
	PP_NL_MCGRP_EVENTS,
};

/* Policies: every command has its own; strict validation throughout. */

static struct netlink_range_validation pp_timeout_range __ro_after_init = {
	.min = 0,
	.max = PP_TIMEOUT_MAX,
};

#define PP_POLICY_STRING { .type = NLA_NUL_STRING, .len = PP_NAME_MAX - 1 }
#define PP_POLICY_BOOL NLA_POLICY_MAX(NLA_U8, 1)
#define PP_POLICY_PORT NLA_POLICY_MIN(NLA_U16, 1)
#define PP_POLICY_TIMEOUT NLA_POLICY_FULL_RANGE(NLA_U32, &pp_timeout_range)
#define PP_POLICY_ACT_MODE NLA_POLICY_MAX(NLA_U8, PP_ACT_MODE_MAX)

static const struct nla_policy pp_ccm_policy[PP_CCM_A_MAX + 1] = {
	[PP_CCM_A_NAME]		= PP_POLICY_STRING,
	[PP_CCM_A_ADDR]		= { .type = NLA_BE32 },
	[PP_CCM_A_DEFAULT]	= PP_POLICY_BOOL,
};

/* A user as PP_CMD_USERS_REPLACE publishes it. */
static const struct nla_policy pp_user_entry_policy[PP_USER_A_MAX + 1] = {
	[PP_USER_A_NAME]	= PP_POLICY_STRING,
	[PP_USER_A_ID]		= PP_POLICY_STRING,
	[PP_USER_A_SID]		= PP_POLICY_STRING,
	[PP_USER_A_CCM]		= PP_POLICY_STRING,
	[PP_USER_A_ENABLED]	= PP_POLICY_BOOL,
};

/* A user named, or found or placed at an address. */
static const struct nla_policy pp_user_key_policy[PP_USER_A_MAX + 1] = {
	[PP_USER_A_NAME]	= PP_POLICY_STRING,
	[PP_USER_A_ADDR]	= { .type = NLA_BE32 },
};

static const struct nla_policy pp_user_name_policy[PP_USER_A_MAX + 1] = {
	[PP_USER_A_NAME]	= PP_POLICY_STRING,
};

/* PP_CMD_USER_CCM_SET: the user, where it is active, its CallManager. */
static const struct nla_policy pp_user_ccm_policy[PP_USER_A_MAX + 1] = {
	[PP_USER_A_NAME]	= PP_POLICY_STRING,
	[PP_USER_A_ADDR]	= { .type = NLA_BE32 },
	[PP_USER_A_CCM_ADDR]	= { .type = NLA_BE32 },
};

/* PP_CMD_USER_REMOTE_SET: the user, where it is active, the flag. */
static const struct nla_policy pp_user_remote_policy[PP_USER_A_MAX + 1] = {
	[PP_USER_A_NAME]		= PP_POLICY_STRING,
	[PP_USER_A_ADDR]		= { .type = NLA_BE32 },
	[PP_USER_A_REMOTE_REGISTERED]	= NLA_POLICY_MAX(NLA_U8, 1),
};

/* Commands that take no attribute: reject every one. */
static const struct nla_policy pp_none_policy[PP_A_MAX + 1] = {};

static const struct nla_policy pp_config_set_policy[PP_A_MAX + 1] = {
	[PP_A_REASON]			= NLA_POLICY_MAX(NLA_U8, PP_REASON_MAX),
	[PP_A_CFG_NORTH_ADDR]		= { .type = NLA_BE32 },
	[PP_A_CFG_SOUTH_ADDR]		= { .type = NLA_BE32 },
	[PP_A_CFG_SCCP_PORT]		= PP_POLICY_PORT,
	[PP_A_CFG_SCCP_SECURITY_PORT]		= PP_POLICY_PORT,
	[PP_A_CFG_SCCP_SECURITY]		= PP_POLICY_BOOL,
	[PP_A_CFG_TFTP_PORT]		= PP_POLICY_PORT,
	[PP_A_CFG_HTTPPROXY_PORT]	= PP_POLICY_PORT,
	[PP_A_CFG_HTTPPROXY]		= PP_POLICY_BOOL,
	[PP_A_CFG_HTTP]			= PP_POLICY_BOOL,
	[PP_A_CFG_ACT_MODE]		= PP_POLICY_ACT_MODE,
	[PP_A_CFG_IDLE_TIMEOUT]		= PP_POLICY_TIMEOUT,
	[PP_A_CFG_AUTH_TIMEOUT]		= PP_POLICY_TIMEOUT,
	[PP_A_CFG_MEDIA_TIMEOUT]	= PP_POLICY_TIMEOUT,
	[PP_A_CFG_RTP_PORT_MIN]		= PP_POLICY_PORT,
	[PP_A_CFG_RTP_PORT_MAX]		= PP_POLICY_PORT,
	[PP_A_CFG_MAX_CONNS]		= NLA_POLICY_RANGE(NLA_U32, 1,
							   PP_MAX_CONNS_MAX),
	[PP_A_CFG_MAX_STREAMS]		= NLA_POLICY_RANGE(NLA_U32, 1,
							   PP_MAX_STREAMS_MAX),
	[PP_A_CFG_SRTP_SUITE]		= NLA_POLICY_RANGE(NLA_U8,
							   PP_SRTP_SUITE_SHA1_32,
							   PP_SRTP_SUITE_SHA1_80),
	[PP_A_CFG_VIRT_NORTH_ADDR]	= { .type = NLA_BE32 },
	[PP_A_CFG_VIRT_SOUTH_ADDR]	= { .type = NLA_BE32 },
};

static const struct nla_policy pp_users_replace_policy[PP_A_MAX + 1] = {
	[PP_A_CCM]	= NLA_POLICY_NESTED(pp_ccm_policy),
	[PP_A_USER]	= NLA_POLICY_NESTED(pp_user_entry_policy),
};

static const struct nla_policy pp_user_get_policy[PP_A_MAX + 1] = {
	[PP_A_USER]	= NLA_POLICY_NESTED(pp_user_key_policy),
};

static const struct nla_policy pp_activate_policy[PP_A_MAX + 1] = {
	[PP_A_USER]	= NLA_POLICY_NESTED(pp_user_key_policy),
	[PP_A_REASON]	= NLA_POLICY_MAX(NLA_U8, PP_REASON_MAX),
};

static const struct nla_policy pp_inactivate_policy[PP_A_MAX + 1] = {
	[PP_A_USER]	= NLA_POLICY_NESTED(pp_user_name_policy),
	[PP_A_REASON]	= NLA_POLICY_MAX(NLA_U8, PP_REASON_MAX),
};

static const struct nla_policy pp_claim_attr_policy[PP_CLAIM_A_MAX + 1] = {
	[PP_CLAIM_A_PEER_ADDR]	= { .type = NLA_BE32 },
	[PP_CLAIM_A_PEER_PORT]	= PP_POLICY_PORT,
	[PP_CLAIM_A_LOCAL_PORT]	= PP_POLICY_PORT,
	[PP_CLAIM_A_DEVICE]	= PP_POLICY_STRING,
};

static const struct nla_policy pp_user_ccm_set_policy[PP_A_MAX + 1] = {
	[PP_A_USER]	= NLA_POLICY_NESTED(pp_user_ccm_policy),
};

static const struct nla_policy pp_user_remote_set_policy[PP_A_MAX + 1] = {
	[PP_A_USER]	= NLA_POLICY_NESTED(pp_user_remote_policy),
};

static const struct nla_policy pp_claim_policy[PP_A_MAX + 1] = {
	[PP_A_CLAIM]		= NLA_POLICY_NESTED(pp_claim_attr_policy),
};

static struct genl_family pp_nl_family;

/* Message building. */

static int pp_nl_put_config(struct sk_buff *skb, const struct pp_config *cfg)
{
	if (nla_put_in_addr(skb, PP_A_CFG_NORTH_ADDR, cfg->north_addr) ||
	    nla_put_in_addr(skb, PP_A_CFG_SOUTH_ADDR, cfg->south_addr) ||
	    nla_put_u16(skb, PP_A_CFG_SCCP_PORT, cfg->sccp_port) ||
	    nla_put_u16(skb, PP_A_CFG_SCCP_SECURITY_PORT, cfg->sccp_security_port) ||
	    nla_put_u8(skb, PP_A_CFG_SCCP_SECURITY, cfg->sccp_security) ||
	    nla_put_u16(skb, PP_A_CFG_TFTP_PORT, cfg->tftp_port) ||
	    nla_put_u16(skb, PP_A_CFG_HTTPPROXY_PORT, cfg->httpproxy_port) ||
	    nla_put_u8(skb, PP_A_CFG_HTTPPROXY, cfg->httpproxy) ||
	    nla_put_u8(skb, PP_A_CFG_HTTP, cfg->http) ||
	    nla_put_u8(skb, PP_A_CFG_ACT_MODE, cfg->act_mode) ||
	    nla_put_u32(skb, PP_A_CFG_IDLE_TIMEOUT, cfg->idle_timeout) ||
	    nla_put_u32(skb, PP_A_CFG_AUTH_TIMEOUT, cfg->auth_timeout) ||
	    nla_put_u32(skb, PP_A_CFG_MEDIA_TIMEOUT, cfg->media_timeout) ||
	    nla_put_u16(skb, PP_A_CFG_RTP_PORT_MIN, cfg->rtp_port_min) ||
	    nla_put_u16(skb, PP_A_CFG_RTP_PORT_MAX, cfg->rtp_port_max) ||
	    nla_put_u32(skb, PP_A_CFG_MAX_CONNS, cfg->max_conns) ||
	    nla_put_u32(skb, PP_A_CFG_MAX_STREAMS, cfg->max_streams) ||
	    nla_put_u8(skb, PP_A_CFG_SRTP_SUITE, cfg->srtp_suite) ||
	    nla_put_in_addr(skb, PP_A_CFG_VIRT_NORTH_ADDR, cfg->virt_north_addr) ||
	    nla_put_in_addr(skb, PP_A_CFG_VIRT_SOUTH_ADDR, cfg->virt_south_addr))
		return -EMSGSIZE;
	return 0;
}

/* Under rcu_read_lock(): @u's table stays valid. */
static int pp_nl_put_user(struct sk_buff *skb, const struct pp_user *u)
{
	const struct pp_activation *act;
	struct nlattr *nest;

	nest = nla_nest_start(skb, PP_A_USER);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, PP_USER_A_NAME, u->name) ||
	    nla_put_string(skb, PP_USER_A_ID, u->id) ||
	    nla_put_string(skb, PP_USER_A_SID, u->sid) ||
	    nla_put_string(skb, PP_USER_A_CCM, u->ccm->name) ||
	    nla_put_u8(skb, PP_USER_A_ENABLED, u->enabled))
		goto cancel;

	act = rcu_dereference(u->act);
	if (act &&
	    (nla_put_in_addr(skb, PP_USER_A_ADDR, act->addr) ||
	     nla_put_u64_64bit(skb, PP_USER_A_ACTIVE_SECS,
			       pp_activation_secs(act), PP_USER_A_PAD) ||
	     nla_put_u8(skb, PP_USER_A_REASON, READ_ONCE(act->reason)) ||
	     nla_put_u32(skb, PP_USER_A_CONNECTIONS,
			 atomic_read(&act->conns)) ||
	     nla_put_u32(skb, PP_USER_A_CONNECTIONS_TOTAL,
			 atomic_read(&act->conns_total)) ||
	     nla_put_u32(skb, PP_USER_A_REGISTERED,
			 atomic_read(&act->registered))))
		goto cancel;
	if (act && READ_ONCE(act->ccm_addr) &&
	    nla_put_in_addr(skb, PP_USER_A_CCM_ADDR, READ_ONCE(act->ccm_addr)))
		goto cancel;
	if (act && READ_ONCE(act->remote_registered) &&
	    nla_put_u8(skb, PP_USER_A_REMOTE_REGISTERED, 1))
		goto cancel;

	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int pp_nl_put_ccm(struct sk_buff *skb, const struct pp_ccm *ccm)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, PP_A_CCM);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, PP_CCM_A_NAME, ccm->name) ||
	    nla_put_in_addr(skb, PP_CCM_A_ADDR, ccm->addr) ||
	    nla_put_u8(skb, PP_CCM_A_DEFAULT, ccm->is_default)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* One PP_STATS_A_* attribute and its value. */
struct pp_nl_stat {
	int attr;
	u64 v;
};

/* The counters of @st as attributes: u64, or u32 with @as_u32. */
static int pp_nl_put_stat_table(struct sk_buff *skb,
				const struct pp_nl_stat *st, size_t n,
				bool as_u32)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (as_u32 ? nla_put_u32(skb, st[i].attr, st[i].v) :
		    nla_put_u64_64bit(skb, st[i].attr, st[i].v,
				      PP_STATS_A_PAD))
			return -EMSGSIZE;
	return 0;
}

/* The counters of PP_CMD_STATS_GET, inside the PP_A_STATS nest. */
static int pp_nl_put_counters(struct sk_buff *skb, struct pp_net *pn,
			      const struct pp_fw_totals *fw,
			      const struct pp_sccp_stats *sc,
			      const struct pp_media_stats *ms, u32 users)
{
	const struct pp_nl_stat u32s[] = {
		{ PP_STATS_A_USERS, users },
		{ PP_STATS_A_ACTIVATIONS, pp_activation_count(pn) },
		{ PP_STATS_A_SCCP_OPEN, sc->open },
		{ PP_STATS_A_SCCP_RINGS, sc->rings },
		{ PP_STATS_A_MEDIA_STREAMS, ms->streams },
		{ PP_STATS_A_MEDIA_CALLS, ms->calls },
	};
	const struct pp_nl_stat u64s[] = {
		{ PP_STATS_A_ACCEPT_WEB, fw->accept_web },
		{ PP_STATS_A_ACCEPT_ACTIVATED, fw->accept_activated },
		{ PP_STATS_A_ACCEPT_OPEN, fw->accept_open },
		{ PP_STATS_A_ACCEPT_REPLY, fw->accept_reply },
		{ PP_STATS_A_DROP, fw->drop },
		{ PP_STATS_A_SCCP_CONNS, sc->conns },
		{ PP_STATS_A_SCCP_REGISTERED, sc->registered },
		{ PP_STATS_A_SCCP_SID_MISMATCH, sc->sid_mismatch },
		{ PP_STATS_A_SCCP_STREAM_ERRORS, sc->stream_errors },
		{ PP_STATS_A_SCCP_OOO, sc->ooo },
		{ PP_STATS_A_SCCP_REWRITES, sc->rewrites },
		{ PP_STATS_A_FWD_DROP, sc->fwd_drop },
		{ PP_STATS_A_MEDIA_STREAMS_TOTAL, ms->streams_total },
		{ PP_STATS_A_MEDIA_CALLS_TOTAL, ms->calls_total },
		{ PP_STATS_A_MEDIA_PKTS, ms->pkts },
		{ PP_STATS_A_MEDIA_BYTES, ms->bytes },
		{ PP_STATS_A_MEDIA_DROPS, ms->drops },
		{ PP_STATS_A_MEDIA_NO_PORT, ms->no_port },
		{ PP_STATS_A_MEDIA_TIMEOUTS, ms->timeouts },
		{ PP_STATS_A_SCCP_INCONSISTENT, sc->inconsistent },
		{ PP_STATS_A_SCCP_CONN_LIMIT, sc->conn_limit },
		{ PP_STATS_A_MEDIA_UNOPENED, ms->unopened },
		{ PP_STATS_A_MEDIA_STREAM_LIMIT, ms->stream_limit },
		{ PP_STATS_A_MEDIA_PORT_DROPS, ms->port_drops },
		{ PP_STATS_A_SCCP_CLAIMED, sc->claimed },
		{ PP_STATS_A_SCCP_PLAIN_REFUSED, sc->plain_refused },
		{ PP_STATS_A_SCCP_ADHOC, sc->adhoc },
		{ PP_STATS_A_SCCP_ADHOC_LIMIT, sc->adhoc_limit },
		{ PP_STATS_A_SCCP_NOBUF, sc->nobuf },
		{ PP_STATS_A_SRTP_PROTECTED, ms->srtp[PP_SRTP_CNT_PROTECTED] },
		{ PP_STATS_A_SRTP_UNPROTECTED,
		  ms->srtp[PP_SRTP_CNT_UNPROTECTED] },
		{ PP_STATS_A_SRTP_AUTH_FAIL, ms->srtp[PP_SRTP_CNT_AUTH] },
		{ PP_STATS_A_SRTP_REPLAY, ms->srtp[PP_SRTP_CNT_REPLAY] },
		{ PP_STATS_A_SRTP_PENDING, ms->srtp[PP_SRTP_CNT_PENDING] },
		{ PP_STATS_A_SRTP_OTHER, ms->srtp[PP_SRTP_CNT_OTHER] },
		{ PP_STATS_A_SRTP_EXPANDED, ms->srtp[PP_SRTP_CNT_EXPANDED] },
		{ PP_STATS_A_SRTP_KEYS, ms->srtp_keys },
		{ PP_STATS_A_SRTP_ALLOC_FAIL, ms->srtp_alloc_fail },
	};

	return pp_nl_put_stat_table(skb, u32s, ARRAY_SIZE(u32s), true) ?:
	       pp_nl_put_stat_table(skb, u64s, ARRAY_SIZE(u64s), false);
}

static int pp_nl_put_stats(struct sk_buff *skb, struct pp_net *pn)
{
	struct pp_media_stats ms;
	struct pp_sccp_stats sc;
	struct pp_fw_totals fw;
	struct nlattr *nest;
	u32 users;

	pp_fw_totals(pn, &fw);
	pp_sccp_stats(pn, &sc);
	pp_media_stats(pn, &ms);
	rcu_read_lock();
	users = pp_users_rcu(pn)->n_users;
	rcu_read_unlock();

	nest = nla_nest_start(skb, PP_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (pp_nl_put_counters(skb, pn, &fw, &sc, &ms, users)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The user @ev says is (in)active, and where. */
static int pp_nl_put_event_user(struct sk_buff *msg, const struct pp_ev *ev)
{
	struct nlattr *nest;

	if (nla_put_u8(msg, PP_A_REASON, ev->reason))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, PP_A_USER);
	if (!nest ||
	    nla_put_string(msg, PP_USER_A_NAME, ev->user->name) ||
	    nla_put_string(msg, PP_USER_A_SID, ev->user->sid) ||
	    nla_put_in_addr(msg, PP_USER_A_ADDR, ev->addr))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* The registration @ev->reg: who, where, to which CallManager, why. */
static int pp_nl_put_event_reg(struct sk_buff *msg, const struct pp_ev *ev)
{
	const struct pp_reg_note *r = ev->reg;
	struct nlattr *nest;

	if (r->reason && nla_put_u8(msg, PP_A_REASON, r->reason))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, PP_A_USER);
	if (!nest ||
	    (r->user[0] && nla_put_string(msg, PP_USER_A_NAME, r->user)) ||
	    nla_put_string(msg, PP_USER_A_SID, r->sid) ||
	    nla_put_in_addr(msg, PP_USER_A_ADDR, r->addr) ||
	    nla_put_in_addr(msg, PP_USER_A_CCM_ADDR, r->ccm) ||
	    nla_put_string(msg, PP_USER_A_DEVICE, r->device))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * Multicast @event (PP_EVENT_*) to the namespace's "events" group: an
 * activation or registration change as @ev says, or the configuration
 * now in force. Process context (GFP_KERNEL).
 */
static void pp_nl_notify(const struct pp_ev *ev, u8 event)
{
	struct net *net = ev->pn->net;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!genl_has_listeners(&pp_nl_family, net, PP_NL_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto lost;
	hdr = genlmsg_put(msg, 0, 0, &pp_nl_family, 0, PP_CMD_EVENT);
	err = !hdr || nla_put_u8(msg, PP_A_EVENT, event);
	if (!err && event == PP_EVENT_CONFIG) {
		rcu_read_lock();
		err = pp_nl_put_config(msg, pp_config_rcu(ev->pn)) ?:
		      nla_put_u8(msg, PP_A_REASON, ev->reason);
		rcu_read_unlock();
	} else if (!err && ev->reg) {
		err = pp_nl_put_event_reg(msg, ev);
	} else if (!err) {
		err = pp_nl_put_event_user(msg, ev);
	}
	if (err) {
		nlmsg_free(msg);
		goto lost;
	}
	genlmsg_end(msg, hdr);
	/* -ESRCH (the listeners left) and -ENOBUFS reach them as errors. */
	genlmsg_multicast_netns(&pp_nl_family, net, msg, 0,
				PP_NL_MCGRP_EVENTS, GFP_KERNEL);
	return;
lost:
	/* Tell the listeners they lost an event. */
	genl_set_err(&pp_nl_family, net, 0, PP_NL_MCGRP_EVENTS, -ENOBUFS);
}

/* The core's events the "events" group hears of. */
static int pp_nl_event(struct notifier_block *nb, unsigned long type,
		       void *ev)
{
	static const u8 events[] = {
		[PP_EV_ACTIVATED]	= PP_EVENT_ACTIVATED,
		[PP_EV_INACTIVATED]	= PP_EVENT_INACTIVATED,
		[PP_EV_CONFIG_CHANGED]	= PP_EVENT_CONFIG,
		[PP_EV_REGISTERED]	= PP_EVENT_REGISTERED,
		[PP_EV_UNREGISTERED]	= PP_EVENT_UNREGISTERED,
		[PP_EV_REFUSED]		= PP_EVENT_REFUSED,
	};
	const struct pp_ev *e = ev;

	if (type == PP_EV_LOST)
		/* The listeners lost events, as when a multicast fails. */
		genl_set_err(&pp_nl_family, e->pn->net, 0, PP_NL_MCGRP_EVENTS,
			     -ENOBUFS);
	else if (type < ARRAY_SIZE(events) && events[type])
		pp_nl_notify(ev, events[type]);
	return NOTIFY_DONE;
}

static struct notifier_block pp_nl_nb = {
	.notifier_call = pp_nl_event,
};

/* Handlers. */

static struct pp_net *pp_nl_net(struct genl_info *info)
{
	return pp_net(genl_info_net(info));
}

/* A reply to @info's request, its header for @cmd in *@hdr. */
static struct sk_buff *pp_nl_reply_new(struct genl_info *info, u8 cmd,
				       void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	*hdr = genlmsg_put_reply(msg, info, &pp_nl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return ERR_PTR(-EMSGSIZE);
	}
	return msg;
}

/* Send the reply of pp_nl_reply_new(), or free it and return @err. */
static int pp_nl_reply_send(struct sk_buff *msg, void *hdr,
			    struct genl_info *info, int err)
{
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int pp_nl_config_get(struct sk_buff *skb, struct genl_info *info)
{
	struct pp_net *pn = pp_nl_net(info);
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = pp_nl_reply_new(info, PP_CMD_CONFIG_GET, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	rcu_read_lock();
	err = pp_nl_put_config(msg, pp_config_rcu(pn));
	rcu_read_unlock();
	return pp_nl_reply_send(msg, hdr, info, err);
}

static int pp_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	return pp_config_set(pp_nl_net(info), info->attrs, info->extack);
}

static int pp_nl_users_replace(struct sk_buff *skb, struct genl_info *info)
{
	const struct genlmsghdr *gnlh = info->genlhdr;
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *utb[PP_USER_A_MAX + 1];
	struct nlattr *ctb[PP_CCM_A_MAX + 1];
	u32 n_users = 0, n_ccms = 0;
	struct pp_users *t;
	struct nlattr *nla;
	int rem, err;

	/* The attributes repeat: walk them all, not info->attrs. */
	nla_for_each_attr(nla, genlmsg_data(gnlh), genlmsg_len(gnlh), rem) {
		if (nla_type(nla) == PP_A_USER && ++n_users > PP_USERS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "too many users");
			return -E2BIG;
		}
		if (nla_type(nla) == PP_A_CCM && ++n_ccms > PP_CCMS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "too many CallManagers");
			return -E2BIG;
		}
	}

	t = pp_users_alloc(n_users, n_ccms);
	if (!t)
		return -ENOMEM;

	/* CallManagers first: users name them. */
	nla_for_each_attr(nla, genlmsg_data(gnlh), genlmsg_len(gnlh), rem) {
		if (nla_type(nla) != PP_A_CCM)
			continue;
		err = nla_parse_nested(ctb, PP_CCM_A_MAX, nla, pp_ccm_policy,
				       extack);
		if (err)
			goto err_free;
		err = pp_users_add_ccm(t, nla, ctb, extack);
		if (err)
			goto err_free;
	}
	nla_for_each_attr(nla, genlmsg_data(gnlh), genlmsg_len(gnlh), rem) {
		if (nla_type(nla) != PP_A_USER)
			continue;
		err = nla_parse_nested(utb, PP_USER_A_MAX, nla,
				       pp_user_entry_policy, extack);
		if (err)
			goto err_free;
		err = pp_users_add_user(t, nla, utb, extack);
		if (err)
			goto err_free;
	}

	pp_activation_users_publish(pp_nl_net(info), t);
	return 0;

err_free:
	pp_users_free(t);
	return err;
}

/* Parse the PP_A_USER nest of a request into @tb. */
/* PP_USER_A_* @attr is required and missing: say which. */
static int pp_nl_user_missing(struct netlink_ext_ack *extack, int attr)
{
	switch (attr) {
	case PP_USER_A_NAME:
		NL_SET_ERR_MSG(extack, "user name missing");
		break;
	case PP_USER_A_ADDR:
		NL_SET_ERR_MSG(extack, "activation address missing");
		break;
	case PP_USER_A_REMOTE_REGISTERED:
		NL_SET_ERR_MSG(extack, "remote registration flag missing");
		break;
	default:
		NL_SET_ERR_MSG(extack, "CallManager address missing");
		break;
	}
	return -EINVAL;
}

/*
 * The request's PP_A_USER nest, by @policy, with the PP_USER_A_*
 * attributes whose bits are set in @need present.
 */
static int pp_nl_parse_user(struct genl_info *info,
			    const struct nla_policy *policy,
			    struct nlattr **tb, unsigned long need)
{
	struct nlattr *nest = info->attrs[PP_A_USER];
	unsigned int attr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PP_A_USER)) {
		GENL_SET_ERR_MSG(info, "user (PP_A_USER) missing");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, PP_USER_A_MAX, nest, policy, info->extack);
	if (err)
		return err;
	for_each_set_bit(attr, &need, PP_USER_A_MAX + 1)
		if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, attr))
			return pp_nl_user_missing(info->extack, attr);
	return 0;
}

static int pp_nl_user_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PP_USER_A_MAX + 1];
	struct pp_net *pn = pp_nl_net(info);
	const struct pp_activation *act;
	const struct pp_user *u;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = pp_nl_parse_user(info, pp_user_key_policy, tb, 0);
	if (err)
		return err;
	if (!tb[PP_USER_A_NAME] == !tb[PP_USER_A_ADDR]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PP_A_USER],
				    "give the user's name or its address, not both");
		return -EINVAL;
	}

	msg = pp_nl_reply_new(info, PP_CMD_USER_GET, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	rcu_read_lock();
	if (tb[PP_USER_A_NAME]) {
		u = pp_users_find_name(pp_users_rcu(pn),
				       nla_data(tb[PP_USER_A_NAME]));
		if (!u)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[PP_USER_A_NAME],
					    "unknown user");
	} else {
		__be32 addr = nla_get_in_addr(tb[PP_USER_A_ADDR]);

		act = pp_activation_lookup_rcu(pn, addr);
		u = act ? rcu_dereference(act->user) : NULL;
		if (!u)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[PP_USER_A_ADDR],
					    "no user is active at this address");
	}
	err = u ? pp_nl_put_user(msg, u) : -ENOENT;
	rcu_read_unlock();
	return pp_nl_reply_send(msg, hdr, info, err);
}

static void *pp_nl_dump_put(struct sk_buff *skb, struct netlink_callback *cb,
			    u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &pp_nl_family, NLM_F_MULTI, cmd);
	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/*
 * Dump the published users (@ccms false) or CallManagers (@ccms true) of
 * one users table; cb->args[0]: the index of the next entry.
 */
static int pp_nl_users_dump(struct sk_buff *skb, struct netlink_callback *cb,
			    bool ccms)
{
	struct pp_net *pn = pp_net(sock_net(skb->sk));
	u8 cmd = ccms ? PP_CMD_CCM_GET : PP_CMD_USER_GET;
	const struct pp_users *t;
	unsigned long i, n;
	void *hdr;
	int err;

	cb->seq = pp_net_gen(pn);
	rcu_read_lock();
	t = pp_users_rcu(pn);
	n = ccms ? t->n_ccms : t->n_users;
	for (i = cb->args[0]; i < n; i++) {
		hdr = pp_nl_dump_put(skb, cb, cmd);
		if (!hdr)
			break;
		err = ccms ? pp_nl_put_ccm(skb, &t->ccms[i]) :
			     pp_nl_put_user(skb, &t->users[i]);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

static int pp_nl_user_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	return pp_nl_users_dump(skb, cb, false);
}

static int pp_nl_ccm_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	return pp_nl_users_dump(skb, cb, true);
}

/* PP_A_REASON of an (in)activation request; PP_REASON_CLI by default. */
static int pp_nl_reason(struct genl_info *info, bool activate, u8 *reason)
{
	struct nlattr *attr = info->attrs[PP_A_REASON];

	*reason = attr ? nla_get_u8(attr) : PP_REASON_CLI;
	switch (*reason) {
	case PP_REASON_CLI:
	case PP_REASON_WEB:
	case PP_REASON_SOAP:
	case PP_REASON_CLUSTER:
		return 0;
	case PP_REASON_OPEN:
		if (activate)
			return 0;
		break;
	}
	if (activate)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "activation reason must be CLI, WEB, SOAP, OPEN or CLUSTER");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "inactivation reason must be CLI, WEB, SOAP or CLUSTER");
	return -EINVAL;
}

static int pp_nl_activate(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[PP_USER_A_MAX + 1];
	__be32 addr;
	u8 reason;
	int err;

	err = pp_nl_parse_user(info, pp_user_key_policy, tb,
			       BIT(PP_USER_A_NAME) | BIT(PP_USER_A_ADDR));
	if (err)
		return err;
	addr = nla_get_in_addr(tb[PP_USER_A_ADDR]);
	if (!pp_activation_addr_ok(addr)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PP_USER_A_ADDR],
				    "activation address must be a unicast address");
		return -EINVAL;
	}
	err = pp_nl_reason(info, true, &reason);
	if (err)
		return err;

	err = pp_activate(pp_nl_net(info), nla_data(tb[PP_USER_A_NAME]), addr,
			  reason, extack);
	if (err == -ENOENT || err == -EPERM)
		NL_SET_BAD_ATTR(extack, tb[PP_USER_A_NAME]);
	return err;
}

static int pp_nl_inactivate(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[PP_USER_A_MAX + 1];
	u8 reason;
	int err;

	err = pp_nl_parse_user(info, pp_user_name_policy, tb,
			       BIT(PP_USER_A_NAME));
	if (err)
		return err;
	err = pp_nl_reason(info, false, &reason);
	if (err)
		return err;

	err = pp_inactivate(pp_nl_net(info), nla_data(tb[PP_USER_A_NAME]),
			    reason, extack);
	if (err == -ENOENT || err == -EALREADY)
		NL_SET_BAD_ATTR(extack, tb[PP_USER_A_NAME]);
	return err;
}

static int pp_nl_user_ccm_set(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[PP_USER_A_MAX + 1];
	int err;

	err = pp_nl_parse_user(info, pp_user_ccm_policy, tb,
			       BIT(PP_USER_A_NAME) | BIT(PP_USER_A_ADDR) |
			       BIT(PP_USER_A_CCM_ADDR));
	if (err)
		return err;
	err = pp_activation_set_ccm(pp_nl_net(info),
				    nla_data(tb[PP_USER_A_NAME]),
				    nla_get_in_addr(tb[PP_USER_A_ADDR]),
				    nla_get_in_addr(tb[PP_USER_A_CCM_ADDR]),
				    extack);
	if (err == -EINVAL)
		NL_SET_BAD_ATTR(extack, tb[PP_USER_A_CCM_ADDR]);
	else if (err == -ESTALE || err == -ESRCH)
		NL_SET_BAD_ATTR(extack, tb[PP_USER_A_ADDR]);
	else if (err == -ENOENT)
		NL_SET_BAD_ATTR(extack, tb[PP_USER_A_NAME]);
	return err;
}

static int pp_nl_user_remote_set(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[PP_USER_A_MAX + 1];
	int err;

	err = pp_nl_parse_user(info, pp_user_remote_policy, tb,
			       BIT(PP_USER_A_NAME) | BIT(PP_USER_A_ADDR) |
			       BIT(PP_USER_A_REMOTE_REGISTERED));
	if (err)
		return err;
	err = pp_activation_set_remote(pp_nl_net(info),
				       nla_data(tb[PP_USER_A_NAME]),
				       nla_get_in_addr(tb[PP_USER_A_ADDR]),
				       nla_get_u8(tb[PP_USER_A_REMOTE_REGISTERED]),
				       extack);
	if (err == -ESTALE || err == -ESRCH)
		NL_SET_BAD_ATTR(extack, tb[PP_USER_A_ADDR]);
	else if (err == -ENOENT)
		NL_SET_BAD_ATTR(extack, tb[PP_USER_A_NAME]);
	return err;
}

static void *pp_nl_call_start(struct sk_buff *skb, struct netlink_callback *cb)
{
	return pp_nl_dump_put(skb, cb, PP_CMD_CALL_GET);
}

static int pp_nl_call_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	return pp_media_dump(pp_net(sock_net(skb->sk)), skb, cb,
			     pp_nl_call_start);
}

static int pp_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = pp_nl_reply_new(info, PP_CMD_STATS_GET, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	return pp_nl_reply_send(msg, hdr, info,
				pp_nl_put_stats(msg, pp_nl_net(info)));
}

/*
 * PP_CMD_SCCP_CLAIM: the TLS terminator hands a phone's connection to the
 * SCCP proxy (pp_sccp_claim()); the reply says where to connect.
 */
static int pp_nl_sccp_claim(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[PP_CLAIM_A_MAX + 1];
	struct pp_sccp_claim_reply reply;
	struct pp_sccp_claim_req req;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PP_A_CLAIM)) {
		GENL_SET_ERR_MSG(info, "claim (PP_A_CLAIM) missing");
		return -EINVAL;
	}
	nest = info->attrs[PP_A_CLAIM];
	err = nla_parse_nested(tb, PP_CLAIM_A_MAX, nest, pp_claim_attr_policy,
			       extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, PP_CLAIM_A_PEER_ADDR)) {
		NL_SET_ERR_MSG(extack, "peer address missing");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, PP_CLAIM_A_PEER_PORT)) {
		NL_SET_ERR_MSG(extack, "peer port missing");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, PP_CLAIM_A_LOCAL_PORT)) {
		NL_SET_ERR_MSG(extack, "local port missing");
		return -EINVAL;
	}
	memset(&req, 0, sizeof(req));
	req.peer_addr = nla_get_in_addr(tb[PP_CLAIM_A_PEER_ADDR]);
	if (!pp_activation_addr_ok(req.peer_addr)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PP_CLAIM_A_PEER_ADDR],
				    "peer address must be a unicast address");
		return -EINVAL;
	}
	req.peer_port = htons(nla_get_u16(tb[PP_CLAIM_A_PEER_PORT]));
	req.local_port = htons(nla_get_u16(tb[PP_CLAIM_A_LOCAL_PORT]));
	if (tb[PP_CLAIM_A_DEVICE]) {
		req.device = nla_data(tb[PP_CLAIM_A_DEVICE]);
		if (!req.device[0]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PP_CLAIM_A_DEVICE],
					    "device name is empty");
			return -EINVAL;
		}
	}

	msg = pp_nl_reply_new(info, PP_CMD_SCCP_CLAIM, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	err = pp_sccp_claim(pp_nl_net(info), &req, &reply, extack);
	if (err) {
		switch (err) {
		case -ENOENT:
		case -EBUSY:
			NL_SET_BAD_ATTR(extack, tb[PP_CLAIM_A_PEER_ADDR]);
			break;
		case -EEXIST:
			NL_SET_BAD_ATTR(extack, tb[PP_CLAIM_A_LOCAL_PORT]);
			break;
		}
		nlmsg_free(msg);
		return err;
	}
	nest = nla_nest_start(msg, PP_A_CLAIM);
	if (!nest || nla_put_in_addr(msg, PP_CLAIM_A_CCM_ADDR, reply.ccm_addr) ||
	    nla_put_u16(msg, PP_CLAIM_A_CCM_PORT, ntohs(reply.ccm_port)))
		err = -EMSGSIZE;	/* the claim expires unused */
	else
		nla_nest_end(msg, nest);
	return pp_nl_reply_send(msg, hdr, info, err);
}

/*
 * Who may do what: every write, and every read that names a user or
 * shows where phones are (users and their SIDs, activations and their
 * addresses, calls, and the CallManagers the users map to) needs
 * CAP_NET_ADMIN in the user namespace that owns the network namespace,
 * as "wg show" does: a local user, or root of a user namespace of its own,
 * learns no SID to register with nor an address to spoof. The
 * configuration (what "ip addr" and "ss -l" show anyway) and the counters
 * (totals, no names) stay readable for monitoring.
 */
static const struct genl_ops pp_nl_ops[] = {
	{
		.cmd	= PP_CMD_CONFIG_GET,
		.doit	= pp_nl_config_get,
		.policy	= pp_none_policy,
		.maxattr = PP_A_MAX,
	},
	{
		.cmd	= PP_CMD_CONFIG_SET,
		.doit	= pp_nl_config_set,
		.policy	= pp_config_set_policy,
		.maxattr = PP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PP_CMD_USERS_REPLACE,
		.doit	= pp_nl_users_replace,
		.policy	= pp_users_replace_policy,
		.maxattr = PP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PP_CMD_USER_GET,
		.doit	= pp_nl_user_get_doit,
		.dumpit	= pp_nl_user_get_dumpit,
		.policy	= pp_user_get_policy,
		.maxattr = PP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PP_CMD_CCM_GET,
		.dumpit	= pp_nl_ccm_get_dumpit,
		.policy	= pp_none_policy,
		.maxattr = PP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PP_CMD_ACTIVATE,
		.doit	= pp_nl_activate,
		.policy	= pp_activate_policy,
		.maxattr = PP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PP_CMD_INACTIVATE,
		.doit	= pp_nl_inactivate,
		.policy	= pp_inactivate_policy,
		.maxattr = PP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PP_CMD_STATS_GET,
		.doit	= pp_nl_stats_get,
		.policy	= pp_none_policy,
		.maxattr = PP_A_MAX,
	},
	{
		.cmd	= PP_CMD_CALL_GET,
		.dumpit	= pp_nl_call_get_dumpit,
		.policy	= pp_none_policy,
		.maxattr = PP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PP_CMD_SCCP_CLAIM,
		.doit	= pp_nl_sccp_claim,
		.policy	= pp_claim_policy,
		.maxattr = PP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PP_CMD_USER_CCM_SET,
		.doit	= pp_nl_user_ccm_set,
		.policy	= pp_user_ccm_set_policy,
		.maxattr = PP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PP_CMD_USER_REMOTE_SET,
		.doit	= pp_nl_user_remote_set,
		.policy	= pp_user_remote_set_policy,
		.maxattr = PP_A_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

/*
 * On this kernel a multicast group's flags are GENL_MCAST_CAP_*:
 * CAP_NET_ADMIN in the namespace's user namespace, the group's
 * equivalent of GENL_UNS_ADMIN_PERM.
 */
static const struct genl_multicast_group pp_nl_mcgrps[] = {
	[PP_NL_MCGRP_EVENTS] = {
		.name	= PHONEPROXY_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family pp_nl_family __ro_after_init = {
	.name		= PHONEPROXY_GENL_NAME,
	.version	= PHONEPROXY_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,		/* pn->lock serialises writers */
	.resv_start_op	= 0,		/* new family: validate everything */
	.module		= THIS_MODULE,
	.ops		= pp_nl_ops,
	.n_ops		= ARRAY_SIZE(pp_nl_ops),
	.mcgrps		= pp_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(pp_nl_mcgrps),
};

int __init pp_nl_register(void)
{
	int err;

	err = genl_register_family(&pp_nl_family);
	if (err)
		return err;
	err = pp_events_subscribe(&pp_nl_nb);
	if (err)
		genl_unregister_family(&pp_nl_family);
	return err;
}

/*
 * Events may be announced (by the timer sweep) while the module unloads:
 * once unsubscribed (which waits for a notifier running), none reaches
 * the family.
 */
void pp_nl_unregister(void)
{
	pp_events_unsubscribe(&pp_nl_nb);
	genl_unregister_family(&pp_nl_family);
}
