// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Typed operations of the phoneproxy generic netlink family.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "log.h"
#include "ops.h"
#include "pp_rules.h"

static struct nla_policy top_policy[PP_A_MAX + 1] = {
	[PP_A_CFG_NORTH_ADDR]		= { .type = NLA_U32 },
	[PP_A_CFG_SOUTH_ADDR]		= { .type = NLA_U32 },
	[PP_A_CFG_SCCP_PORT]		= { .type = NLA_U16 },
	[PP_A_CFG_SCCP_SECURITY_PORT]		= { .type = NLA_U16 },
	[PP_A_CFG_SCCP_SECURITY]		= { .type = NLA_U8 },
	[PP_A_CFG_TFTP_PORT]		= { .type = NLA_U16 },
	[PP_A_CFG_HTTPPROXY_PORT]	= { .type = NLA_U16 },
	[PP_A_CFG_HTTPPROXY]		= { .type = NLA_U8 },
	[PP_A_CFG_HTTP]			= { .type = NLA_U8 },
	[PP_A_CFG_ACT_MODE]		= { .type = NLA_U8 },
	[PP_A_CFG_IDLE_TIMEOUT]		= { .type = NLA_U32 },
	[PP_A_CFG_AUTH_TIMEOUT]		= { .type = NLA_U32 },
	[PP_A_CFG_RTP_PORT_MIN]		= { .type = NLA_U16 },
	[PP_A_CFG_RTP_PORT_MAX]		= { .type = NLA_U16 },
	[PP_A_CCM]			= { .type = NLA_NESTED },
	[PP_A_USER]			= { .type = NLA_NESTED },
	[PP_A_STATS]			= { .type = NLA_NESTED },
	[PP_A_EVENT]			= { .type = NLA_U8 },
	[PP_A_REASON]			= { .type = NLA_U8 },
	[PP_A_CFG_MEDIA_TIMEOUT]	= { .type = NLA_U32 },
	[PP_A_CALL]			= { .type = NLA_NESTED },
	[PP_A_CFG_MAX_CONNS]		= { .type = NLA_U32 },
	[PP_A_CFG_MAX_STREAMS]		= { .type = NLA_U32 },
	[PP_A_CFG_SRTP_SUITE]		= { .type = NLA_U8 },
	[PP_A_CFG_VIRT_NORTH_ADDR]	= { .type = NLA_U32 },
	[PP_A_CFG_VIRT_SOUTH_ADDR]	= { .type = NLA_U32 },
};

static struct nla_policy user_policy[PP_USER_A_MAX + 1] = {
	[PP_USER_A_NAME]		= { .type = NLA_STRING, .maxlen = PP_NAME_MAX },
	[PP_USER_A_ID]			= { .type = NLA_STRING, .maxlen = PP_NAME_MAX },
	[PP_USER_A_SID]			= { .type = NLA_STRING, .maxlen = PP_NAME_MAX },
	[PP_USER_A_CCM]			= { .type = NLA_STRING, .maxlen = PP_NAME_MAX },
	[PP_USER_A_ENABLED]		= { .type = NLA_U8 },
	[PP_USER_A_ADDR]		= { .type = NLA_U32 },
	[PP_USER_A_ACTIVE_SECS]		= { .type = NLA_U64 },
	[PP_USER_A_REASON]		= { .type = NLA_U8 },
	[PP_USER_A_CONNECTIONS]		= { .type = NLA_U32 },
	[PP_USER_A_CONNECTIONS_TOTAL]	= { .type = NLA_U32 },
	[PP_USER_A_REGISTERED]		= { .type = NLA_U32 },
	[PP_USER_A_CCM_ADDR]		= { .type = NLA_U32 },
	[PP_USER_A_REMOTE_REGISTERED]	= { .type = NLA_U8 },
	[PP_USER_A_DEVICE]		= { .type = NLA_STRING, .maxlen = PP_NAME_MAX },
};

static struct nla_policy ccm_policy[PP_CCM_A_MAX + 1] = {
	[PP_CCM_A_NAME]			= { .type = NLA_STRING, .maxlen = PP_NAME_MAX },
	[PP_CCM_A_ADDR]			= { .type = NLA_U32 },
	[PP_CCM_A_DEFAULT]		= { .type = NLA_U8 },
};

static struct nla_policy stats_policy[PP_STATS_A_MAX + 1] = {
	[PP_STATS_A_ACCEPT_WEB]		= { .type = NLA_U64 },
	[PP_STATS_A_ACCEPT_ACTIVATED]	= { .type = NLA_U64 },
	[PP_STATS_A_ACCEPT_OPEN]	= { .type = NLA_U64 },
	[PP_STATS_A_ACCEPT_REPLY]	= { .type = NLA_U64 },
	[PP_STATS_A_DROP]		= { .type = NLA_U64 },
	[PP_STATS_A_USERS]		= { .type = NLA_U32 },
	[PP_STATS_A_ACTIVATIONS]	= { .type = NLA_U32 },
	[PP_STATS_A_SCCP_CONNS]		= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_OPEN]		= { .type = NLA_U32 },
	[PP_STATS_A_SCCP_REGISTERED]	= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_SID_MISMATCH]	= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_STREAM_ERRORS]	= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_OOO]		= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_REWRITES]	= { .type = NLA_U64 },
	[PP_STATS_A_FWD_DROP]		= { .type = NLA_U64 },
	[PP_STATS_A_MEDIA_STREAMS]	= { .type = NLA_U32 },
	[PP_STATS_A_MEDIA_STREAMS_TOTAL] = { .type = NLA_U64 },
	[PP_STATS_A_MEDIA_PKTS]		= { .type = NLA_U64 },
	[PP_STATS_A_MEDIA_BYTES]	= { .type = NLA_U64 },
	[PP_STATS_A_MEDIA_DROPS]	= { .type = NLA_U64 },
	[PP_STATS_A_MEDIA_NO_PORT]	= { .type = NLA_U64 },
	[PP_STATS_A_MEDIA_TIMEOUTS]	= { .type = NLA_U64 },
	[PP_STATS_A_MEDIA_CALLS]	= { .type = NLA_U32 },
	[PP_STATS_A_MEDIA_CALLS_TOTAL]	= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_INCONSISTENT]	= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_CONN_LIMIT]	= { .type = NLA_U64 },
	[PP_STATS_A_MEDIA_UNOPENED]	= { .type = NLA_U64 },
	[PP_STATS_A_MEDIA_STREAM_LIMIT]	= { .type = NLA_U64 },
	[PP_STATS_A_MEDIA_PORT_DROPS]	= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_CLAIMED]	= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_PLAIN_REFUSED]	= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_ADHOC]		= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_ADHOC_LIMIT]	= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_NOBUF]		= { .type = NLA_U64 },
	[PP_STATS_A_SCCP_RINGS]		= { .type = NLA_U32 },
	[PP_STATS_A_SRTP_PROTECTED]	= { .type = NLA_U64 },
	[PP_STATS_A_SRTP_UNPROTECTED]	= { .type = NLA_U64 },
	[PP_STATS_A_SRTP_AUTH_FAIL]	= { .type = NLA_U64 },
	[PP_STATS_A_SRTP_REPLAY]	= { .type = NLA_U64 },
	[PP_STATS_A_SRTP_PENDING]	= { .type = NLA_U64 },
	[PP_STATS_A_SRTP_OTHER]		= { .type = NLA_U64 },
	[PP_STATS_A_SRTP_EXPANDED]	= { .type = NLA_U64 },
	[PP_STATS_A_SRTP_KEYS]		= { .type = NLA_U64 },
	[PP_STATS_A_SRTP_ALLOC_FAIL]	= { .type = NLA_U64 },
};

static struct nla_policy call_policy[PP_CALL_A_MAX + 1] = {
	[PP_CALL_A_USER]		= { .type = NLA_STRING, .maxlen = PP_NAME_MAX },
	[PP_CALL_A_PPID]		= { .type = NLA_U32 },
	[PP_CALL_A_PHONE_ADDR]		= { .type = NLA_U32 },
	[PP_CALL_A_PHONE_PORT]		= { .type = NLA_U16 },
	[PP_CALL_A_PHONE_SRC_PORT]	= { .type = NLA_U16 },
	[PP_CALL_A_NORTH_ADDR]		= { .type = NLA_U32 },
	[PP_CALL_A_NORTH_PORT]		= { .type = NLA_U16 },
	[PP_CALL_A_SOUTH_ADDR]		= { .type = NLA_U32 },
	[PP_CALL_A_SOUTH_PORT]		= { .type = NLA_U16 },
	[PP_CALL_A_FAR_ADDR]		= { .type = NLA_U32 },
	[PP_CALL_A_FAR_PORT]		= { .type = NLA_U16 },
	[PP_CALL_A_RX]			= { .type = NLA_U8 },
	[PP_CALL_A_TX]			= { .type = NLA_U8 },
	[PP_CALL_A_SECS]		= { .type = NLA_U32 },
	[PP_CALL_A_IDLE_SECS]		= { .type = NLA_U32 },
	[PP_CALL_A_PHONE_PKTS]		= { .type = NLA_U64 },
	[PP_CALL_A_PHONE_BYTES]		= { .type = NLA_U64 },
	[PP_CALL_A_PHONE_DROPS]		= { .type = NLA_U64 },
	[PP_CALL_A_FAR_PKTS]		= { .type = NLA_U64 },
	[PP_CALL_A_FAR_BYTES]		= { .type = NLA_U64 },
	[PP_CALL_A_FAR_DROPS]		= { .type = NLA_U64 },
	[PP_CALL_A_SRTP_TX_SUITE]	= { .type = NLA_U8 },
	[PP_CALL_A_SRTP_RX_SUITE]	= { .type = NLA_U8 },
	[PP_CALL_A_SRTP_READY]		= { .type = NLA_U8 },
	[PP_CALL_A_SRTP_PROTECTED]	= { .type = NLA_U64 },
	[PP_CALL_A_SRTP_UNPROTECTED]	= { .type = NLA_U64 },
	[PP_CALL_A_SRTP_AUTH_FAIL]	= { .type = NLA_U64 },
	[PP_CALL_A_SRTP_REPLAY]		= { .type = NLA_U64 },
	[PP_CALL_A_SRTP_PENDING]	= { .type = NLA_U64 },
	[PP_CALL_A_SRTP_OTHER]		= { .type = NLA_U64 },
	[PP_CALL_A_SRTP_EXPANDED]	= { .type = NLA_U64 },
};

const char *pp_reason_name(unsigned int reason)
{
	return pp_reason_str(reason);
}

int pp_reason_from_name(const char *name)
{
	int i;

	for (i = 0; i <= PP_REASON_MAX; i++)
		if (pp_reason_str(i) && !strcmp(pp_reason_str(i), name))
			return i;
	return -1;
}

const char *pp_event_name(unsigned int event)
{
	switch (event) {
	case PP_EVENT_ACTIVATED:
		return "activated";
	case PP_EVENT_INACTIVATED:
		return "inactivated";
	case PP_EVENT_REGISTERED:
		return "registered";
	case PP_EVENT_UNREGISTERED:
		return "unregistered";
	case PP_EVENT_REFUSED:
		return "refused";
	default:
		return NULL;
	}
}

const char *pp_act_mode_name(unsigned int mode)
{
	switch (mode) {
	case PP_ACT_MODE_REQUIRED:
		return "required";
	case PP_ACT_MODE_OPEN:
		return "open";
	default:
		return NULL;
	}
}

static void copy_str(char *dst, size_t len, const struct nlattr *a)
{
	if (a)
		nla_strlcpy(dst, a, len);
	else
		dst[0] = '\0';
}

/* ---- configuration ---- */

/* A CONFIG_GET reply, or (event) a PP_EVENT_CONFIG notification. */
static int config_parse(struct nl_msg *msg, struct pp_config *cfg, bool event)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[PP_A_MAX + 1];
	int a;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PP_A_MAX, top_policy) < 0 ||
	    (event && (gh->cmd != PP_CMD_EVENT || !tb[PP_A_EVENT] ||
		       nla_get_u8(tb[PP_A_EVENT]) != PP_EVENT_CONFIG)))
		return -EINVAL;
	memset(cfg, 0, sizeof(*cfg));
	for (a = PP_A_CFG_NORTH_ADDR; a <= PP_A_CFG_RTP_PORT_MAX; a++)
		if (tb[a])
			cfg->present |= PP_CFG_BIT(a);
	if (tb[PP_A_CFG_MEDIA_TIMEOUT])
		cfg->present |= PP_CFG_BIT(PP_A_CFG_MEDIA_TIMEOUT);
	if (tb[PP_A_CFG_MAX_CONNS])
		cfg->present |= PP_CFG_BIT(PP_A_CFG_MAX_CONNS);
	if (tb[PP_A_CFG_MAX_STREAMS])
		cfg->present |= PP_CFG_BIT(PP_A_CFG_MAX_STREAMS);
	if (tb[PP_A_CFG_SRTP_SUITE])
		cfg->present |= PP_CFG_BIT(PP_A_CFG_SRTP_SUITE);
	for (a = PP_A_CFG_VIRT_NORTH_ADDR; a <= PP_A_CFG_VIRT_SOUTH_ADDR; a++)
		if (tb[a])
			cfg->present |= PP_CFG_BIT(a);
	if (event && tb[PP_A_REASON])
		cfg->reason = nla_get_u8(tb[PP_A_REASON]);
#define U8(attr, field)  if (tb[attr]) cfg->field = nla_get_u8(tb[attr])
#define U16(attr, field) if (tb[attr]) cfg->field = nla_get_u16(tb[attr])
#define U32(attr, field) if (tb[attr]) cfg->field = nla_get_u32(tb[attr])
	U32(PP_A_CFG_NORTH_ADDR, north_addr);
	U32(PP_A_CFG_SOUTH_ADDR, south_addr);
	U16(PP_A_CFG_SCCP_PORT, sccp_port);
	U16(PP_A_CFG_SCCP_SECURITY_PORT, sccp_security_port);
	U8(PP_A_CFG_SCCP_SECURITY, sccp_security);
	U16(PP_A_CFG_TFTP_PORT, tftp_port);
	U16(PP_A_CFG_HTTPPROXY_PORT, httpproxy_port);
	U8(PP_A_CFG_HTTPPROXY, httpproxy);
	U8(PP_A_CFG_HTTP, http);
	U8(PP_A_CFG_ACT_MODE, act_mode);
	U32(PP_A_CFG_IDLE_TIMEOUT, idle_timeout);
	U32(PP_A_CFG_AUTH_TIMEOUT, auth_timeout);
	U16(PP_A_CFG_RTP_PORT_MIN, rtp_port_min);
	U16(PP_A_CFG_RTP_PORT_MAX, rtp_port_max);
	U32(PP_A_CFG_MEDIA_TIMEOUT, media_timeout);
	U32(PP_A_CFG_MAX_CONNS, max_conns);
	U32(PP_A_CFG_MAX_STREAMS, max_streams);
	U8(PP_A_CFG_SRTP_SUITE, srtp_suite);
	U32(PP_A_CFG_VIRT_NORTH_ADDR, virt_north_addr);
	U32(PP_A_CFG_VIRT_SOUTH_ADDR, virt_south_addr);
#undef U8
#undef U16
#undef U32
	return 0;
}

static int config_reply(struct nl_msg *msg, void *arg)
{
	return config_parse(msg, arg, false);
}

int pp_event_config_parse(struct nl_msg *msg, struct pp_config *cfg)
{
	return config_parse(msg, cfg, true);
}

int pp_config_get(struct pp_nl *nl, struct pp_config *cfg)
{
	struct nl_msg *msg = pp_nl_msg_new(nl, PP_CMD_CONFIG_GET, 0, 0);

	if (!msg)
		return -ENOMEM;
	memset(cfg, 0, sizeof(*cfg));
	return pp_nl_request(nl, msg, config_reply, cfg);
}

int pp_config_set(struct pp_nl *nl, const struct pp_config *cfg)
{
	struct nl_msg *msg = pp_nl_msg_new(nl, PP_CMD_CONFIG_SET, 0, 0);
	int err = 0;

	if (!msg)
		return -ENOMEM;
#define PUT(type, attr, field) \
	if (!err && pp_cfg_has(cfg, attr)) err = nla_put_##type(msg, attr, cfg->field)
	PUT(u32, PP_A_CFG_NORTH_ADDR, north_addr);
	PUT(u32, PP_A_CFG_SOUTH_ADDR, south_addr);
	PUT(u16, PP_A_CFG_SCCP_PORT, sccp_port);
	PUT(u16, PP_A_CFG_SCCP_SECURITY_PORT, sccp_security_port);
	PUT(u8, PP_A_CFG_SCCP_SECURITY, sccp_security);
	PUT(u16, PP_A_CFG_TFTP_PORT, tftp_port);
	PUT(u16, PP_A_CFG_HTTPPROXY_PORT, httpproxy_port);
	PUT(u8, PP_A_CFG_HTTPPROXY, httpproxy);
	PUT(u8, PP_A_CFG_HTTP, http);
	PUT(u8, PP_A_CFG_ACT_MODE, act_mode);
	PUT(u32, PP_A_CFG_IDLE_TIMEOUT, idle_timeout);
	PUT(u32, PP_A_CFG_AUTH_TIMEOUT, auth_timeout);
	PUT(u16, PP_A_CFG_RTP_PORT_MIN, rtp_port_min);
	PUT(u16, PP_A_CFG_RTP_PORT_MAX, rtp_port_max);
	PUT(u32, PP_A_CFG_MEDIA_TIMEOUT, media_timeout);
	PUT(u32, PP_A_CFG_MAX_CONNS, max_conns);
	PUT(u32, PP_A_CFG_MAX_STREAMS, max_streams);
	PUT(u8, PP_A_CFG_SRTP_SUITE, srtp_suite);
	PUT(u32, PP_A_CFG_VIRT_NORTH_ADDR, virt_north_addr);
	PUT(u32, PP_A_CFG_VIRT_SOUTH_ADDR, virt_south_addr);
#undef PUT
	if (!err && cfg->reason)
		err = nla_put_u8(msg, PP_A_REASON, cfg->reason);
	if (err) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return pp_nl_request(nl, msg, NULL, NULL);
}

/* ---- publishing users ---- */

static size_t str_attr_size(const char *s)
{
	return (size_t)nla_total_size((int)strlen(s) + 1);
}

size_t pp_users_msg_payload(const struct pp_users *u)
{
	size_t size = 0, i;

	for (i = 0; i < u->nccms; i++)
		size += (size_t)nla_total_size(0) + str_attr_size(u->ccms[i].name) +
			(size_t)nla_total_size(4) + (size_t)nla_total_size(1);
	for (i = 0; i < u->nusers; i++) {
		const struct pp_account *a = &u->users[i];

		size += (size_t)nla_total_size(0) + str_attr_size(a->name) +
			str_attr_size(a->sid) + (size_t)nla_total_size(1);
		if (a->id[0])
			size += str_attr_size(a->id);
		if (a->ccm[0])
			size += str_attr_size(a->ccm);
	}
	return size;
}

struct nl_msg *pp_users_msg_build(int family, const struct pp_users *u)
{
	struct nl_msg *msg;
	size_t i;

	msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN +
			       pp_users_msg_payload(u));
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
			 PP_CMD_USERS_REPLACE, PHONEPROXY_GENL_VERSION))
		goto fail;
	/* Repeated at the top level: a list nest would cap at 64 KiB. */
	for (i = 0; i < u->nccms; i++) {
		const struct pp_callmanager *c = &u->ccms[i];
		struct nlattr *nest = nla_nest_start(msg, PP_A_CCM);

		if (!nest || nla_put_string(msg, PP_CCM_A_NAME, c->name) ||
		    nla_put_u32(msg, PP_CCM_A_ADDR, c->addr) ||
		    nla_put_u8(msg, PP_CCM_A_DEFAULT, c->is_default))
			goto fail;
		nla_nest_end(msg, nest);
	}
	for (i = 0; i < u->nusers; i++) {
		const struct pp_account *a = &u->users[i];
		struct nlattr *nest = nla_nest_start(msg, PP_A_USER);

		if (!nest || nla_put_string(msg, PP_USER_A_NAME, a->name) ||
		    (a->id[0] && nla_put_string(msg, PP_USER_A_ID, a->id)) ||
		    nla_put_string(msg, PP_USER_A_SID, a->sid) ||
		    (a->ccm[0] && nla_put_string(msg, PP_USER_A_CCM, a->ccm)) ||
		    nla_put_u8(msg, PP_USER_A_ENABLED, a->enabled))
			goto fail;
		nla_nest_end(msg, nest);
	}
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

int pp_users_replace(struct pp_nl *nl, const struct pp_users *u)
{
	struct nl_msg *msg = pp_users_msg_build(pp_nl_family(nl), u);

	if (!msg)
		return -ENOMEM;
	return pp_nl_request(nl, msg, NULL, NULL);
}

/* ---- the user and CallManager tables ---- */

int pp_user_state_parse(struct nlattr *nest, struct pp_user_state *user)
{
	struct nlattr *tb[PP_USER_A_MAX + 1];

	memset(user, 0, sizeof(*user));
	if (nla_parse_nested(tb, PP_USER_A_MAX, nest, user_policy) < 0 ||
	    !tb[PP_USER_A_NAME])
		return -EINVAL;
	copy_str(user->name, sizeof(user->name), tb[PP_USER_A_NAME]);
	copy_str(user->id, sizeof(user->id), tb[PP_USER_A_ID]);
	copy_str(user->sid, sizeof(user->sid), tb[PP_USER_A_SID]);
	copy_str(user->ccm, sizeof(user->ccm), tb[PP_USER_A_CCM]);
	user->enabled = tb[PP_USER_A_ENABLED] ?
		nla_get_u8(tb[PP_USER_A_ENABLED]) : true;
	if (tb[PP_USER_A_ADDR]) {
		user->active = true;
		user->addr = nla_get_u32(tb[PP_USER_A_ADDR]);
	}
	if (tb[PP_USER_A_ACTIVE_SECS])
		user->active_secs = nla_get_u64(tb[PP_USER_A_ACTIVE_SECS]);
	if (tb[PP_USER_A_REASON])
		user->reason = nla_get_u8(tb[PP_USER_A_REASON]);
	if (tb[PP_USER_A_CONNECTIONS])
		user->connections = nla_get_u32(tb[PP_USER_A_CONNECTIONS]);
	if (tb[PP_USER_A_REGISTERED])
		user->registered = nla_get_u32(tb[PP_USER_A_REGISTERED]);
	if (tb[PP_USER_A_CCM_ADDR])
		user->ccm_addr = nla_get_u32(tb[PP_USER_A_CCM_ADDR]);
	user->remote_registered = tb[PP_USER_A_REMOTE_REGISTERED] &&
				  nla_get_u8(tb[PP_USER_A_REMOTE_REGISTERED]);
	if (tb[PP_USER_A_CONNECTIONS_TOTAL])
		user->connections_total =
			nla_get_u32(tb[PP_USER_A_CONNECTIONS_TOTAL]);
	return 0;
}

struct list {
	void *items;
	size_t n, cap, size;
};

static void *list_add(struct list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		void *p = realloc(l->items, cap * l->size);

		if (!p)
			return NULL;
		l->items = p;
		l->cap = cap;
	}
	return (char *)l->items + l->n++ * l->size;
}

static void list_reset(void *arg)
{
	struct list *l = arg;

	l->n = 0;
}

static int user_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PP_A_MAX + 1];
	struct pp_user_state *user;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PP_A_MAX, top_policy) < 0 ||
	    !tb[PP_A_USER])
		return -EINVAL;
	user = list_add(arg);
	if (!user)
		return -ENOMEM;
	return pp_user_state_parse(tb[PP_A_USER], user);
}

int pp_user_list(struct pp_nl *nl, struct pp_user_state **users, size_t *n)
{
	struct list l = { .size = sizeof(**users) };
	int rc;

	rc = pp_nl_dump(nl, PP_CMD_USER_GET, user_reply, list_reset, &l);
	if (rc) {
		free(l.items);
		return rc;
	}
	*users = l.items;
	*n = l.n;
	return 0;
}

int pp_user_get(struct pp_nl *nl, const char *name, uint32_t addr,
		struct pp_user_state *user)
{
	struct nl_msg *msg = pp_nl_msg_new(nl, PP_CMD_USER_GET, 0, 0);
	struct list l = { .size = sizeof(*user) };
	struct nlattr *nest;
	int rc;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, PP_A_USER);
	if (!nest || (name && nla_put_string(msg, PP_USER_A_NAME, name)) ||
	    (!name && nla_put_u32(msg, PP_USER_A_ADDR, addr))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	rc = pp_nl_request(nl, msg, user_reply, &l);
	if (!rc && l.n != 1)
		rc = -EINVAL;
	if (!rc)
		*user = *(struct pp_user_state *)l.items;
	free(l.items);
	return rc;
}

static int ccm_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PP_A_MAX + 1], *cb[PP_CCM_A_MAX + 1];
	struct pp_ccm_state *ccm;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PP_A_MAX, top_policy) < 0 ||
	    !tb[PP_A_CCM] ||
	    nla_parse_nested(cb, PP_CCM_A_MAX, tb[PP_A_CCM], ccm_policy) < 0 ||
	    !cb[PP_CCM_A_NAME])
		return -EINVAL;
	ccm = list_add(arg);
	if (!ccm)
		return -ENOMEM;
	memset(ccm, 0, sizeof(*ccm));
	copy_str(ccm->name, sizeof(ccm->name), cb[PP_CCM_A_NAME]);
	if (cb[PP_CCM_A_ADDR])
		ccm->addr = nla_get_u32(cb[PP_CCM_A_ADDR]);
	if (cb[PP_CCM_A_DEFAULT])
		ccm->is_default = nla_get_u8(cb[PP_CCM_A_DEFAULT]);
	return 0;
}

int pp_ccm_list(struct pp_nl *nl, struct pp_ccm_state **ccms, size_t *n)
{
	struct list l = { .size = sizeof(**ccms) };
	int rc;

	rc = pp_nl_dump(nl, PP_CMD_CCM_GET, ccm_reply, list_reset, &l);
	if (rc) {
		free(l.items);
		return rc;
	}
	*ccms = l.items;
	*n = l.n;
	return 0;
}

/* ---- activation ---- */

static int user_request(struct pp_nl *nl, uint8_t cmd, const char *name,
			uint32_t addr, bool with_addr, uint8_t reason)
{
	struct nl_msg *msg = pp_nl_msg_new(nl, cmd, 0, 0);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, PP_A_USER);
	if (!nest || nla_put_string(msg, PP_USER_A_NAME, name) ||
	    (with_addr && nla_put_u32(msg, PP_USER_A_ADDR, addr))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	if (reason && nla_put_u8(msg, PP_A_REASON, reason)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return pp_nl_request(nl, msg, NULL, NULL);
}

int pp_user_activate(struct pp_nl *nl, const char *name, uint32_t addr,
		     uint8_t reason)
{
	return user_request(nl, PP_CMD_ACTIVATE, name, addr, true, reason);
}

int pp_user_inactivate(struct pp_nl *nl, const char *name, uint8_t reason)
{
	return user_request(nl, PP_CMD_INACTIVATE, name, 0, false, reason);
}

/* @cmd on the user @name active at @addr, setting @attr (u32; u8 if @one_byte). */
static int user_at_set(struct pp_nl *nl, int cmd, const char *name,
		       uint32_t addr, int attr, uint32_t val, bool one_byte)
{
	struct nl_msg *msg = pp_nl_msg_new(nl, cmd, 0, 0);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, PP_A_USER);
	if (!nest || nla_put_string(msg, PP_USER_A_NAME, name) ||
	    nla_put_u32(msg, PP_USER_A_ADDR, addr) ||
	    (one_byte ? nla_put_u8(msg, attr, (uint8_t)val) :
		  nla_put_u32(msg, attr, val))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return pp_nl_request(nl, msg, NULL, NULL);
}

int pp_user_ccm_set(struct pp_nl *nl, const char *name, uint32_t addr, uint32_t ccm)
{
	return user_at_set(nl, PP_CMD_USER_CCM_SET, name, addr,
			   PP_USER_A_CCM_ADDR, ccm, false);
}

int pp_user_remote_set(struct pp_nl *nl, const char *name, uint32_t addr, bool on)
{
	return user_at_set(nl, PP_CMD_USER_REMOTE_SET, name, addr,
			   PP_USER_A_REMOTE_REGISTERED, on, true);
}

/* ---- counters ---- */

static int stats_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PP_A_MAX + 1], *sb[PP_STATS_A_MAX + 1];
	struct pp_stats *st = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PP_A_MAX, top_policy) < 0 ||
	    !tb[PP_A_STATS] ||
	    nla_parse_nested(sb, PP_STATS_A_MAX, tb[PP_A_STATS], stats_policy) < 0)
		return -EINVAL;
#define U64(attr, field) if (sb[attr]) st->field = nla_get_u64(sb[attr])
#define U32(attr, field) if (sb[attr]) st->field = nla_get_u32(sb[attr])
	U64(PP_STATS_A_ACCEPT_WEB, accept_web);
	U64(PP_STATS_A_ACCEPT_ACTIVATED, accept_activated);
	U64(PP_STATS_A_ACCEPT_OPEN, accept_open);
	U64(PP_STATS_A_ACCEPT_REPLY, accept_reply);
	U64(PP_STATS_A_DROP, drop);
	U32(PP_STATS_A_USERS, users);
	U32(PP_STATS_A_ACTIVATIONS, activations);
	U64(PP_STATS_A_SCCP_CONNS, sccp_conns);
	U32(PP_STATS_A_SCCP_OPEN, sccp_open);
	U64(PP_STATS_A_SCCP_REGISTERED, sccp_registered);
	U64(PP_STATS_A_SCCP_SID_MISMATCH, sccp_sid_mismatch);
	U64(PP_STATS_A_SCCP_STREAM_ERRORS, sccp_stream_errors);
	U64(PP_STATS_A_SCCP_OOO, sccp_ooo);
	U64(PP_STATS_A_SCCP_REWRITES, sccp_rewrites);
	U64(PP_STATS_A_FWD_DROP, fwd_drop);
	U32(PP_STATS_A_MEDIA_STREAMS, media_streams);
	U64(PP_STATS_A_MEDIA_STREAMS_TOTAL, media_streams_total);
	U64(PP_STATS_A_MEDIA_PKTS, media_pkts);
	U64(PP_STATS_A_MEDIA_BYTES, media_bytes);
	U64(PP_STATS_A_MEDIA_DROPS, media_drops);
	U64(PP_STATS_A_MEDIA_NO_PORT, media_no_port);
	U64(PP_STATS_A_MEDIA_TIMEOUTS, media_timeouts);
	U32(PP_STATS_A_MEDIA_CALLS, media_calls);
	U64(PP_STATS_A_MEDIA_CALLS_TOTAL, media_calls_total);
	U64(PP_STATS_A_SCCP_INCONSISTENT, sccp_inconsistent);
	U64(PP_STATS_A_SCCP_CONN_LIMIT, sccp_conn_limit);
	U64(PP_STATS_A_MEDIA_UNOPENED, media_unopened);
	U64(PP_STATS_A_MEDIA_STREAM_LIMIT, media_stream_limit);
	U64(PP_STATS_A_MEDIA_PORT_DROPS, media_port_drops);
	U64(PP_STATS_A_SCCP_CLAIMED, sccp_claimed);
	U64(PP_STATS_A_SCCP_PLAIN_REFUSED, sccp_plain_refused);
	U64(PP_STATS_A_SCCP_ADHOC, sccp_adhoc);
	U64(PP_STATS_A_SCCP_ADHOC_LIMIT, sccp_adhoc_limit);
	U64(PP_STATS_A_SCCP_NOBUF, sccp_nobuf);
	U32(PP_STATS_A_SCCP_RINGS, sccp_rings);
	U64(PP_STATS_A_SRTP_PROTECTED, srtp_protected);
	U64(PP_STATS_A_SRTP_UNPROTECTED, srtp_unprotected);
	U64(PP_STATS_A_SRTP_AUTH_FAIL, srtp_auth_fail);
	U64(PP_STATS_A_SRTP_REPLAY, srtp_replay);
	U64(PP_STATS_A_SRTP_PENDING, srtp_pending);
	U64(PP_STATS_A_SRTP_OTHER, srtp_other);
	U64(PP_STATS_A_SRTP_EXPANDED, srtp_expanded);
	U64(PP_STATS_A_SRTP_KEYS, srtp_keys);
	U64(PP_STATS_A_SRTP_ALLOC_FAIL, srtp_alloc_fail);
#undef U64
#undef U32
	return 0;
}

int pp_stats_get(struct pp_nl *nl, struct pp_stats *stats)
{
	struct nl_msg *msg = pp_nl_msg_new(nl, PP_CMD_STATS_GET, 0, 0);

	if (!msg)
		return -ENOMEM;
	memset(stats, 0, sizeof(*stats));
	return pp_nl_request(nl, msg, stats_reply, stats);
}

/* ---- secure SCCP ---- */

struct claim_reply {
	uint32_t addr;
	uint16_t port;
	bool got;
};

static int claim_reply(struct nl_msg *msg, void *arg)
{
	static struct nla_policy policy[PP_CLAIM_A_MAX + 1] = {
		[PP_CLAIM_A_CCM_ADDR]	= { .type = NLA_U32 },
		[PP_CLAIM_A_CCM_PORT]	= { .type = NLA_U16 },
	};
	struct nlattr *tb[PP_A_MAX + 1], *cb[PP_CLAIM_A_MAX + 1];
	struct claim_reply *r = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PP_A_MAX, NULL) < 0 ||
	    !tb[PP_A_CLAIM] ||
	    nla_parse_nested(cb, PP_CLAIM_A_MAX, tb[PP_A_CLAIM], policy) < 0 ||
	    !cb[PP_CLAIM_A_CCM_ADDR] || !cb[PP_CLAIM_A_CCM_PORT])
		return -EINVAL;
	r->addr = nla_get_u32(cb[PP_CLAIM_A_CCM_ADDR]);
	r->port = nla_get_u16(cb[PP_CLAIM_A_CCM_PORT]);
	r->got = true;
	return 0;
}

int pp_nl_sccp_claim(struct pp_nl *nl, uint32_t peer_addr, uint16_t peer_port,
		     uint16_t local_port, const char *device,
		     uint32_t *ccm_addr, uint16_t *ccm_port)
{
	struct claim_reply r = { 0 };
	struct nl_msg *msg;
	struct nlattr *nest;
	int err;

	msg = pp_nl_msg_new(nl, PP_CMD_SCCP_CLAIM, 0, 0);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, PP_A_CLAIM);
	if (!nest || nla_put_u32(msg, PP_CLAIM_A_PEER_ADDR, peer_addr) ||
	    nla_put_u16(msg, PP_CLAIM_A_PEER_PORT, peer_port) ||
	    nla_put_u16(msg, PP_CLAIM_A_LOCAL_PORT, local_port) ||
	    (device && nla_put_string(msg, PP_CLAIM_A_DEVICE, device))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	err = pp_nl_request(nl, msg, claim_reply, &r);
	if (err)
		return err;
	if (!r.got)
		return -EPROTO;
	*ccm_addr = r.addr;
	*ccm_port = r.port;
	return 0;
}

/* ---- media streams ---- */

int pp_call_state_parse(struct nlattr *nest, struct pp_call_state *call)
{
	struct nlattr *cb[PP_CALL_A_MAX + 1];

	memset(call, 0, sizeof(*call));
	if (nla_parse_nested(cb, PP_CALL_A_MAX, nest, call_policy) < 0 ||
	    !cb[PP_CALL_A_PPID])
		return -EINVAL;
	copy_str(call->user, sizeof(call->user), cb[PP_CALL_A_USER]);
#define U8(attr, field)  if (cb[attr]) call->field = nla_get_u8(cb[attr])
#define U16(attr, field) if (cb[attr]) call->field = nla_get_u16(cb[attr])
#define U32(attr, field) if (cb[attr]) call->field = nla_get_u32(cb[attr])
#define U64(attr, field) if (cb[attr]) call->field = nla_get_u64(cb[attr])
	U32(PP_CALL_A_PPID, ppid);
	U32(PP_CALL_A_PHONE_ADDR, phone_addr);
	U16(PP_CALL_A_PHONE_PORT, phone_port);
	U16(PP_CALL_A_PHONE_SRC_PORT, phone_src_port);
	U32(PP_CALL_A_NORTH_ADDR, north_addr);
	U16(PP_CALL_A_NORTH_PORT, north_port);
	U32(PP_CALL_A_SOUTH_ADDR, south_addr);
	U16(PP_CALL_A_SOUTH_PORT, south_port);
	U32(PP_CALL_A_FAR_ADDR, far_addr);
	U16(PP_CALL_A_FAR_PORT, far_port);
	U8(PP_CALL_A_RX, rx);
	U8(PP_CALL_A_TX, tx);
	U32(PP_CALL_A_SECS, secs);
	U32(PP_CALL_A_IDLE_SECS, idle_secs);
	U64(PP_CALL_A_PHONE_PKTS, phone_pkts);
	U64(PP_CALL_A_PHONE_BYTES, phone_bytes);
	U64(PP_CALL_A_PHONE_DROPS, phone_drops);
	U64(PP_CALL_A_FAR_PKTS, far_pkts);
	U64(PP_CALL_A_FAR_BYTES, far_bytes);
	U64(PP_CALL_A_FAR_DROPS, far_drops);
	U8(PP_CALL_A_SRTP_TX_SUITE, srtp_tx_suite);
	U8(PP_CALL_A_SRTP_RX_SUITE, srtp_rx_suite);
	U8(PP_CALL_A_SRTP_READY, srtp_ready);
	U64(PP_CALL_A_SRTP_PROTECTED, srtp_protected);
	U64(PP_CALL_A_SRTP_UNPROTECTED, srtp_unprotected);
	U64(PP_CALL_A_SRTP_AUTH_FAIL, srtp_auth_fail);
	U64(PP_CALL_A_SRTP_REPLAY, srtp_replay);
	U64(PP_CALL_A_SRTP_PENDING, srtp_pending);
	U64(PP_CALL_A_SRTP_OTHER, srtp_other);
	U64(PP_CALL_A_SRTP_EXPANDED, srtp_expanded);
#undef U8
#undef U16
#undef U32
#undef U64
	return 0;
}

static int call_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PP_A_MAX + 1];
	struct pp_call_state *call;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PP_A_MAX, top_policy) < 0 ||
	    !tb[PP_A_CALL])
		return -EINVAL;
	call = list_add(arg);
	if (!call)
		return -ENOMEM;
	return pp_call_state_parse(tb[PP_A_CALL], call);
}

int pp_call_list(struct pp_nl *nl, struct pp_call_state **calls, size_t *n)
{
	struct list l = { .size = sizeof(**calls) };
	int rc;

	rc = pp_nl_dump(nl, PP_CMD_CALL_GET, call_reply, list_reset, &l);
	if (rc) {
		free(l.items);
		return rc;
	}
	*calls = l.items;
	*n = l.n;
	return 0;
}

/* ---- events ---- */

int pp_event_parse(struct nl_msg *msg, struct pp_event_info *ev)
{
	struct nlattr *tb[PP_A_MAX + 1], *ub[PP_USER_A_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));

	memset(ev, 0, sizeof(*ev));
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PP_A_MAX, top_policy) < 0 ||
	    gh->cmd != PP_CMD_EVENT || !tb[PP_A_EVENT] || !tb[PP_A_USER] ||
	    nla_parse_nested(ub, PP_USER_A_MAX, tb[PP_A_USER], user_policy) < 0)
		return -EINVAL;
	ev->type = nla_get_u8(tb[PP_A_EVENT]);
	if (tb[PP_A_REASON])
		ev->reason = nla_get_u8(tb[PP_A_REASON]);
	copy_str(ev->name, sizeof(ev->name), ub[PP_USER_A_NAME]);
	copy_str(ev->sid, sizeof(ev->sid), ub[PP_USER_A_SID]);
	if (ub[PP_USER_A_ADDR])
		ev->addr = nla_get_u32(ub[PP_USER_A_ADDR]);
	if (ub[PP_USER_A_CCM_ADDR])
		ev->ccm_addr = nla_get_u32(ub[PP_USER_A_CCM_ADDR]);
	copy_str(ev->device, sizeof(ev->device), ub[PP_USER_A_DEVICE]);
	return 0;
}

/* ---- following the module (the daemons) ---- */

struct pp_follow {
	struct pp_nl *ev;	/* the controller's and the family's notifications */
	struct pp_nl *nl;	/* requests; NULL while the module is away */
	pp_follow_fn fn;
	void *arg;
	pp_follow_event_fn evfn;
	bool resync;
};

void pp_follow_sync(struct pp_follow *f)
{
	struct pp_nl *bad = NULL;
	struct pp_config cfg;
	char err[256];
	int rc;

	f->resync = false;
	pp_follow_nl_reset(f);
	rc = pp_nl_open(&f->nl, err, sizeof(err));
	if (!rc && pp_nl_subscribe(f->ev, f->nl, PHONEPROXY_MCGRP_EVENTS))
		bad = f->ev;
	else if (!rc && pp_config_get(f->nl, &cfg))
		bad = f->nl;
	if (bad) {
		snprintf(err, sizeof(err), "%s", pp_nl_error(bad));
		rc = -EIO;
		pp_follow_nl_reset(f);
	}
	if (rc && rc != -ENOENT)
		pp_warn("netlink: %s", err);
	f->fn(rc ? NULL : &cfg, f->arg);
}

int pp_follow_open(struct pp_follow **out, pp_follow_fn fn, void *arg,
		   char *err, size_t errlen)
{
	struct pp_follow *f = calloc(1, sizeof(*f));
	int rc;

	*out = NULL;
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = pp_nl_watch(&f->ev, err, errlen);
	if (rc) {
		free(f);
		return rc;
	}
	f->fn = fn;
	f->arg = arg;
	*out = f;
	pp_follow_sync(f);
	return 0;
}

static int follow_msg(struct nl_msg *msg, void *arg)
{
	struct pp_follow *f = arg;
	struct pp_config cfg;

	struct pp_event_info ev;

	if (pp_nl_family_event(msg))
		f->resync = true;
	else if (!pp_event_config_parse(msg, &cfg))
		f->fn(&cfg, f->arg);
	else if (f->evfn && !pp_event_parse(msg, &ev) && pp_event_name(ev.type))
		f->evfn(&ev, f->arg);
	return 0;
}

void pp_follow_read(struct pp_follow *f)
{
	char c;

	if (pp_nl_recv_events(f->ev, follow_msg, f) == -ENOBUFS) {
		pp_warn("netlink: %s; reading the configuration again",
			pp_nl_error(f->ev));
		if (f->evfn)
			f->evfn(NULL, f->arg);
		/* What is queued is older than what CONFIG_GET will say. */
		while (recv(pp_nl_fd(f->ev), &c, 1, MSG_DONTWAIT | MSG_TRUNC) >= 0 ||
		       errno == ENOBUFS)
			;
		f->resync = true;
	}
	if (f->resync)
		pp_follow_sync(f);
}

void pp_follow_events(struct pp_follow *f, pp_follow_event_fn fn)
{
	f->evfn = fn;
}

int pp_follow_fd(const struct pp_follow *f)
{
	return pp_nl_fd(f->ev);
}

struct pp_nl *pp_follow_nl(struct pp_follow *f)
{
	if (!f->nl)
		pp_nl_open(&f->nl, NULL, 0);
	return f->nl;
}

void pp_follow_nl_reset(struct pp_follow *f)
{
	pp_nl_close(f->nl);
	f->nl = NULL;
}

void pp_follow_close(struct pp_follow *f)
{
	if (!f)
		return;
	pp_follow_nl_reset(f);
	pp_nl_close(f->ev);
	free(f);
}
