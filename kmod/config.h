/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_CONFIG_H
#define _PP_CONFIG_H

#include <linux/rcupdate.h>
#include <linux/types.h>
#include <net/netlink.h>

#include "pernet.h"

/*
 * struct pp_config - the configuration of one namespace
 *
 * Immutable once published: PP_CMD_CONFIG_SET builds a new copy and
 * replaces pn->config under pn->lock; readers use RCU.
 */
struct pp_config {
	struct rcu_head rcu;
	__be32 north_addr;		/* 0: no north role, firewall off */
	__be32 south_addr;
	__be32 virt_north_addr;		/* heartbeat pair's, 0: none */
	__be32 virt_south_addr;
	u16 sccp_port;
	u16 sccp_security_port;
	u16 tftp_port;
	u16 httpproxy_port;
	u16 rtp_port_min;
	u16 rtp_port_max;
	u32 idle_timeout;		/* seconds, 0 = off */
	u32 auth_timeout;		/* seconds, 0 = off */
	u32 media_timeout;		/* seconds without media, 0 = off */
	u32 max_conns;			/* SCCP connections per activation */
	u32 max_streams;		/* media streams per activation */
	u8 act_mode;			/* enum pp_act_mode */
	u8 srtp_suite;			/* enum pp_srtp_suite_cfg */
	bool sccp_security;
	bool httpproxy;
	bool http;
};

int pp_config_init(struct pp_net *pn);
void pp_config_exit(struct pp_net *pn);

/* Under rcu_read_lock(); the result is valid until rcu_read_unlock(). */
static inline const struct pp_config *pp_config_rcu(struct pp_net *pn)
{
	return rcu_dereference(pn->config);
}

/* Under pn->lock. */
static inline const struct pp_config *pp_config_locked(struct pp_net *pn)
{
	return rcu_dereference_protected(pn->config,
					 lockdep_is_held(&pn->lock));
}

/*
 * Validate the PP_A_CFG_* attributes of @tb (already checked against the
 * policy) merged into the current configuration and publish the result,
 * or change nothing and return an error with @extack set (a subscriber
 * to PP_EV_CONFIG_CHECK may refuse too). Process context; takes pn->lock.
 */
int pp_config_set(struct pp_net *pn, struct nlattr **tb,
		  struct netlink_ext_ack *extack);

#endif /* _PP_CONFIG_H */
