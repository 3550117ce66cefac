/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_PERNET_H
#define _PP_PERNET_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

struct pp_config;
struct pp_users;
struct pp_fw_stats;
struct pp_sccp_net;
struct pp_media_net;
struct pp_reg_net;

/*
 * struct pp_net - the phoneproxy state of one network namespace
 *
 * @lock serialises every writer: configuration and table replacement,
 * activation and inactivation, and the timer sweep. Readers (the packet
 * path, the get commands) use RCU only.
 */
struct pp_net {
	struct net *net;
	struct mutex lock;		/* see above: every writer */

	/* config.c */
	struct pp_config __rcu *config;

	/* users.c */
	struct pp_users __rcu *users;

	/* activation.c; all but act_ht lookups under @lock */
	struct rhashtable act_ht;	/* struct pp_activation by address */
	struct list_head act_list;
	unsigned int n_active;		/* READ_ONCE() outside @lock */
	struct delayed_work sweep;
	unsigned long sweep_at;		/* jiffies the sweep is queued for */
	bool sweep_queued;

	/* registration.c */
	struct pp_reg_net *reg;

	/* Bumped after every table or activation change; dumps use it. */
	atomic_t gen;

	/* firewall.c */
	struct pp_fw_stats __percpu *stats;

	/* sccp_conn.c */
	struct pp_sccp_net *sccp;

	/* media.c, relay.c */
	struct pp_media_net *media;
};

extern unsigned int pp_net_id;

static inline struct pp_net *pp_net(const struct net *net)
{
	return net_generic(net, pp_net_id);
}

/* Call with pn->lock held, after the change is visible to readers. */
static inline void pp_net_changed(struct pp_net *pn)
{
	lockdep_assert_held(&pn->lock);
	smp_wmb();	/* the change before the new generation */
	/* 0 means "no sequence" to the dump consistency check. */
	if (atomic_inc_return(&pn->gen) == 0)
		atomic_inc(&pn->gen);
}

/* The generation, read before the data a dump reports. */
static inline unsigned int pp_net_gen(struct pp_net *pn)
{
	unsigned int gen = atomic_read(&pn->gen);

	smp_rmb();	/* pairs with pp_net_changed() */
	return gen;
}

#endif /* _PP_PERNET_H */
