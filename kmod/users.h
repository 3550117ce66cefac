/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_USERS_H
#define _PP_USERS_H

#include <linux/phoneproxy.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <net/netlink.h>

#include "pernet.h"

struct pp_activation;

#define PP_NIL	U32_MAX		/* end of a hash chain, no index */

struct pp_ccm {
	char name[PP_NAME_MAX];
	__be32 addr;
	bool is_default;
	u32 name_next;
};

/*
 * struct pp_user - one published user
 *
 * Everything but @act is immutable. @act is the user's activation or
 * NULL; it changes under pn->lock and is read under RCU. It is carried
 * over to the new entry of the same user when the table is replaced.
 */
struct pp_user {
	char name[PP_NAME_MAX];
	char id[PP_NAME_MAX];
	char sid[PP_SID_LEN + 1];	/* upper case */
	bool enabled;
	const struct pp_ccm *ccm;	/* in the same table */
	u32 name_next;
	u32 sid_next;
	struct pp_activation __rcu *act;
};

/*
 * struct pp_users - the CallManager and user tables of a namespace
 *
 * Built whole by PP_CMD_USERS_REPLACE, then published in pn->users with
 * one pointer swap under pn->lock; readers use RCU. One allocation.
 */
struct pp_users {
	struct rcu_head rcu;
	u32 n_users, max_users;
	u32 n_ccms, max_ccms;
	u32 default_ccm;		/* index or PP_NIL */
	u32 user_mask, ccm_mask;
	u32 seed;
	u32 *user_name_head;
	u32 *user_sid_head;
	u32 *ccm_name_head;
	struct pp_ccm *ccms;
	struct pp_user users[];
};

int pp_users_init(struct pp_net *pn);
void pp_users_exit(struct pp_net *pn);

static inline struct pp_users *pp_users_rcu(struct pp_net *pn)
{
	return rcu_dereference(pn->users);
}

static inline struct pp_users *pp_users_locked(struct pp_net *pn)
{
	return rcu_dereference_protected(pn->users,
					 lockdep_is_held(&pn->lock));
}

/* Lookups on a table the caller holds (RCU or pn->lock). */
struct pp_user *pp_users_find_name(const struct pp_users *t,
				   const char *name);
/* @sid is compared case-insensitively. */
struct pp_user *pp_users_find_sid(const struct pp_users *t, const char *sid);
const struct pp_ccm *pp_users_find_ccm(const struct pp_users *t,
				       const char *name);

/*
 * Building a new table: allocate it for the counts, add every
 * CallManager, then every user (each add validates its entry against
 * the ones before and sets @extack on error), then publish it
 * (pp_activation_users_publish()), or free it if anything failed. @tb
 * is the parsed nest @nest.
 */
struct pp_users *pp_users_alloc(u32 n_users, u32 n_ccms);
void pp_users_free(struct pp_users *t);
int pp_users_add_ccm(struct pp_users *t, const struct nlattr *nest,
		     struct nlattr **tb, struct netlink_ext_ack *extack);
int pp_users_add_user(struct pp_users *t, const struct nlattr *nest,
		      struct nlattr **tb, struct netlink_ext_ack *extack);

#endif /* _PP_USERS_H */
