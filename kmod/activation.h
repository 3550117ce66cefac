/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_ACTIVATION_H
#define _PP_ACTIVATION_H

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/in.h>
#include <linux/list.h>
#include <linux/rhashtable.h>
#include <linux/types.h>
#include <net/netlink.h>

#include "pernet.h"
#include "users.h"

/*
 * struct pp_activation - one user active at one address
 *
 * Linked in pn->act_ht (by @addr) and pn->act_list, and from its user's
 * pp_user.act. Created and destroyed under pn->lock, freed after an RCU
 * grace period; the packet path and the get commands look it up under
 * rcu_read_lock() only.
 */
struct pp_activation {
	struct rhash_head node;
	__be32 addr;
	u8 reason;			/* who activated: enum pp_reason */
	struct pp_user __rcu *user;
	struct list_head list;
	struct pp_user *carry;		/* table replacement, under lock */
	unsigned long since;		/* jiffies of the (re)activation */
	/*
	 * The CallManager this node stands for in the phone's configuration
	 * (PP_CMD_USER_CCM_SET), 0: the user's CallManager. Written under
	 * pn->lock with WRITE_ONCE, read locklessly by the SCCP proxy.
	 */
	__be32 ccm_addr;

	/*
	 * SCCP connection accounting, updated by pp_activation_conn_*()
	 * from any context without pn->lock; read by the sweep and the
	 * get commands.
	 */
	atomic_t conns;			/* open now */
	atomic_t conns_total;		/* opened since activation */
	atomic_t registered;		/* of which registered now */
	/*
	 * Registered through another cluster node now (pp-clusterd,
	 * PP_CMD_USER_REMOTE_SET): the idle timeout waits as for an open
	 * connection. Written under pn->lock, read with READ_ONCE.
	 */
	bool remote_registered;
	unsigned long last_close;	/* jiffies; READ_ONCE/WRITE_ONCE */

	struct rcu_head rcu;
};

int pp_activation_init(struct pp_net *pn);
void pp_activation_exit(struct pp_net *pn);

/*
 * Activate user @name at @addr on behalf of @reason (PP_REASON_CLI, WEB,
 * SOAP, OPEN or CLUSTER; the caller checks it), following the guide's
 * rules: -ENOENT unknown user, -EPERM disabled user, -EINVAL address not
 * unicast. Displaces the address's holder (PP_REASON_DISPLACED) and the
 * user's activation elsewhere (PP_REASON_MOVED); again at the same
 * address restarts the timers. Sends the events. Process context: takes
 * pn->lock and may sleep.
 */
int pp_activate(struct pp_net *pn, const char *name, __be32 addr, u8 reason,
		struct netlink_ext_ack *extack);

/*
 * Inactivate user @name for @reason: -ENOENT unknown user, -EALREADY not
 * active. Process context: takes pn->lock and may sleep.
 */
int pp_inactivate(struct pp_net *pn, const char *name, u8 reason,
		  struct netlink_ext_ack *extack);

/*
 * Set the CallManager (@ccm, 0: none) the SCCP proxy connects user @name's
 * phone to while it is active at @addr (PP_CMD_USER_CCM_SET's rules).
 * Process context: takes pn->lock.
 */
int pp_activation_set_ccm(struct pp_net *pn, const char *name, __be32 addr,
			  __be32 ccm, struct netlink_ext_ack *extack);

/*
 * Say whether user @name's phone, active at @addr, is registered through
 * another cluster node now (PP_CMD_USER_REMOTE_SET's rules). Process
 * context: takes pn->lock.
 */
int pp_activation_set_remote(struct pp_net *pn, const char *name,
			     __be32 addr, bool on,
			     struct netlink_ext_ack *extack);

/* The CallManager address for the phone of @u active as @act. */
static inline __be32 pp_activation_ccm(const struct pp_activation *act,
				       const struct pp_user *u)
{
	return READ_ONCE(act->ccm_addr) ?: u->ccm->addr;
}

/*
 * Can a user be activated at @addr? Not 0/8, multicast or broadcast.
 * (ipv4_is_zeronet() is 0.0.0.0 alone on this kernel.)
 */
static inline bool pp_activation_addr_ok(__be32 addr)
{
	return (addr & htonl(IN_CLASSA_NET)) && !ipv4_is_multicast(addr) &&
	       !ipv4_is_lbcast(addr);
}

/* Under rcu_read_lock(): the activation at @addr or NULL. Any context. */
struct pp_activation *pp_activation_lookup_rcu(struct pp_net *pn,
					       __be32 addr);

static inline bool pp_activation_active_rcu(struct pp_net *pn, __be32 addr)
{
	return pp_activation_lookup_rcu(pn, addr);
}

static inline u64 pp_activation_secs(const struct pp_activation *act)
{
	return (jiffies - READ_ONCE(act->since)) / HZ;
}

static inline u32 pp_activation_count(struct pp_net *pn)
{
	return READ_ONCE(pn->n_active);
}

/*
 * SCCP connection tracking, for the SCCP proxy: it counts an open with
 * pp_activation_conn_try_open() below and reports a close from @addr
 * here. If a user is active at @addr its CONNECTIONS (open now) and
 * CONNECTIONS_TOTAL (opened since activation) change; a close records
 * the time the idle timeout counts from: a user times out idle only with
 * no open connection, idle timeout seconds after the later of its
 * activation and its last close. Unknown addresses are ignored.
 *
 * Contract: callable from any context, softirq included (RCU lookup,
 * atomics, no lock, no allocation, no sleeping). Call each close at most
 * once per open; the open count never goes below zero, so an unmatched
 * close (say, after the address changed hands) is harmless. Callers
 * must stop calling for a namespace before its pernet exit runs
 * pp_activation_exit(). The timer sweep reads the counters without
 * synchronising with these calls: a connection that opens while the
 * sweep is expiring the activation does not save it.
 */
void pp_activation_conn_closed(struct net *net, __be32 addr);

/*
 * The SCCP proxy's per-activation limit: count a new connection of @act
 * (under rcu_read_lock(), any context) unless PP_A_CFG_MAX_CONNS (@max)
 * are open; false when refused. Exact under concurrent SYNs (a cmpxchg
 * loop, no lock). The connection's close is reported by address, as
 * any (pp_activation_conn_closed()); pp_activation_conn_unopen() undoes
 * a count whose connection never came to be.
 */
static inline bool pp_activation_conn_try_open(struct pp_activation *act,
					       int max)
{
	int n = atomic_read(&act->conns);

	do {
		if (n >= max)
			return false;
	} while (!atomic_try_cmpxchg(&act->conns, &n, n + 1));
	atomic_inc(&act->conns_total);
	return true;
}

static inline void pp_activation_conn_unopen(struct pp_activation *act)
{
	atomic_dec_if_positive(&act->conns);
	atomic_dec_if_positive(&act->conns_total);
}

/*
 * A connection from @addr registered (RegisterAck seen) or stopped being
 * registered (@on false). Same contract as above.
 */
void pp_activation_conn_registered(struct net *net, __be32 addr, bool on);

/*
 * Publish the new user table @t, keeping the activations of the users
 * that survive with the same SID and enabled; the others end with
 * PP_REASON_UNPUBLISHED. Takes pn->lock; consumes @t. Cannot fail.
 */
void pp_activation_users_publish(struct pp_net *pn, struct pp_users *t);

/* Subscribes to the configuration events: re-arms the timers. */
extern struct notifier_block pp_activation_nb;

#endif /* _PP_ACTIVATION_H */
