// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
#include <linux/phoneproxy.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>

#include "activation.h"
#include "config.h"
#include "events.h"
#include "pp_rules.h"

static const struct rhashtable_params pp_act_params = {
	.key_len		= sizeof(__be32),
	.key_offset		= offsetof(struct pp_activation, addr),
	.head_offset		= offsetof(struct pp_activation, node),
	.automatic_shrinking	= true,
};

struct pp_activation *pp_activation_lookup_rcu(struct pp_net *pn,
					       __be32 addr)
{
	return rhashtable_lookup(&pn->act_ht, &addr, pp_act_params);
}

static struct pp_activation *pp_act_lookup_locked(struct pp_net *pn,
						  __be32 addr)
{
	lockdep_assert_held(&pn->lock);
	return rhashtable_lookup_fast(&pn->act_ht, &addr, pp_act_params);
}

static struct pp_user *pp_act_user(struct pp_net *pn,
				   struct pp_activation *act)
{
	return rcu_dereference_protected(act->user,
					 lockdep_is_held(&pn->lock));
}

/*
 * Log and announce that @u is (PP_EV_ACTIVATED) or is no longer active
 * at @addr. OPEN-mode activations come from packets: keep them off the
 * console.
 */
static void pp_act_event(struct pp_net *pn, enum pp_ev_type type,
			 const char *what, struct pp_user *u, __be32 addr,
			 u8 reason)
{
	struct pp_ev ev = { .pn = pn, .user = u, .addr = addr,
			       .reason = reason };

	if (reason == PP_REASON_OPEN)
		pr_info_ratelimited("net %u: user %s %s at %pI4 (%s)\n",
				    pn->net->ns.inum, u->name, what, &addr,
				    pp_reason_str(reason));
	else
		pr_info("net %u: user %s %s at %pI4 (%s)\n",
			pn->net->ns.inum, u->name, what, &addr,
			pp_reason_str(reason));
	pp_events_announce(type, &ev);
}

/*
 * Timers. One delayed work per namespace sweeps the activations that
 * are due and re-queues itself for the earliest deadline left.
 * pn->sweep_at / sweep_queued, under pn->lock, say when it is queued.
 */

/* When @act expires and why; false if it never does. */
static bool pp_act_deadline(const struct pp_config *cfg,
			    const struct pp_activation *act,
			    unsigned long now, unsigned long *when, u8 *why)
{
	unsigned long since = act->since;
	bool any = false;

	if (cfg->auth_timeout) {
		*when = since + (unsigned long)cfg->auth_timeout * HZ;
		*why = PP_REASON_TIMEOUT_AUTH;
		any = true;
	}
	if (cfg->idle_timeout) {
		unsigned long base, idle;

		/*
		 * With a connection open, or the phone registered through
		 * another node, the deadline is at least the timeout away:
		 * look again then. Acquire pairs with the
		 * ordered decrement in pp_activation_conn_closed(), so
		 * last_close is that of the last close.
		 */
		if (atomic_read_acquire(&act->conns) > 0 ||
		    READ_ONCE(act->remote_registered)) {
			base = now;
		} else {
			base = READ_ONCE(act->last_close);
			if (time_before(base, since))
				base = since;
		}
		idle = base + (unsigned long)cfg->idle_timeout * HZ;
		if (!any || time_before(idle, *when)) {
			*when = idle;
			*why = PP_REASON_TIMEOUT_IDLE;
			any = true;
		}
	}
	return any;
}

static void pp_act_queue(struct pp_net *pn, unsigned long when)
{
	unsigned long now = jiffies;

	lockdep_assert_held(&pn->lock);
	if (pn->sweep_queued && !time_before(when, pn->sweep_at))
		return;
	pn->sweep_queued = true;
	pn->sweep_at = when;
	mod_delayed_work(system_power_efficient_wq, &pn->sweep,
			 time_after(when, now) ? when - now : 0);
}

static void pp_act_arm(struct pp_net *pn, const struct pp_activation *act)
{
	unsigned long when;
	u8 why;

	if (pp_act_deadline(pp_config_locked(pn), act, jiffies, &when, &why))
		pp_act_queue(pn, when);
}

/* The timeouts changed: re-arm every activation. */
static int pp_act_config_set(struct notifier_block *nb, unsigned long type,
			     void *data)
{
	const struct pp_ev *ev = data;
	struct pp_net *pn = ev->pn;

	if (type != PP_EV_CONFIG_SET)
		return NOTIFY_DONE;
	lockdep_assert_held(&pn->lock);
	if ((ev->cfg->idle_timeout != ev->old->idle_timeout ||
	     ev->cfg->auth_timeout != ev->old->auth_timeout) &&
	    !list_empty(&pn->act_list))
		pp_act_queue(pn, jiffies);
	return NOTIFY_DONE;
}

struct notifier_block pp_activation_nb = {
	.notifier_call = pp_act_config_set,
};

/*
 * Inactivate @act for @reason: unlink it (from the hash unless it was
 * replaced there already), tell the world, free it after a grace period.
 */
static void pp_act_destroy(struct pp_net *pn, struct pp_activation *act,
			   u8 reason, bool unhash)
{
	struct pp_user *u = pp_act_user(pn, act);

	if (unhash)
		WARN_ON_ONCE(rhashtable_remove_fast(&pn->act_ht, &act->node,
						    pp_act_params));
	list_del(&act->list);
	if (rcu_access_pointer(u->act) == act)
		RCU_INIT_POINTER(u->act, NULL);
	WRITE_ONCE(pn->n_active, pn->n_active - 1);

	pp_act_event(pn, PP_EV_INACTIVATED, "inactivated", u, act->addr,
		     reason);
	kfree_rcu(act, rcu);
}

static void pp_act_sweep(struct work_struct *work)
{
	struct pp_net *pn = container_of(to_delayed_work(work), struct pp_net,
					 sweep);
	struct pp_activation *act, *tmp;
	const struct pp_config *cfg;
	unsigned long now, when, next = 0;
	bool any = false, changed = false;
	u8 why;

	mutex_lock(&pn->lock);
	pn->sweep_queued = false;
	cfg = pp_config_locked(pn);
	now = jiffies;
	list_for_each_entry_safe(act, tmp, &pn->act_list, list) {
		if (!pp_act_deadline(cfg, act, now, &when, &why))
			continue;
		if (!time_after(when, now)) {
			pp_act_destroy(pn, act, why, true);
			changed = true;
		} else if (!any || time_before(when, next)) {
			next = when;
			any = true;
		}
	}
	if (any)
		pp_act_queue(pn, next);
	if (changed)
		pp_net_changed(pn);
	mutex_unlock(&pn->lock);
}

int pp_activate(struct pp_net *pn, const char *name, __be32 addr, u8 reason,
		struct netlink_ext_ack *extack)
{
	struct pp_activation *act, *cur, *holder;
	struct pp_user *u;
	int err;

	if (!pp_activation_addr_ok(addr)) {
		NL_SET_ERR_MSG(extack,
			       "activation address must be a unicast address");
		return -EINVAL;
	}

	act = kzalloc(sizeof(*act), GFP_KERNEL_ACCOUNT);
	if (!act)
		return -ENOMEM;

	mutex_lock(&pn->lock);
	u = pp_users_find_name(pp_users_locked(pn), name);
	if (!u) {
		NL_SET_ERR_MSG(extack, "unknown user");
		err = -ENOENT;
		goto out_free;
	}
	if (!u->enabled) {
		NL_SET_ERR_MSG(extack, "user is disabled");
		err = -EPERM;
		goto out_free;
	}

	cur = rcu_dereference_protected(u->act, lockdep_is_held(&pn->lock));
	holder = pp_act_lookup_locked(pn, addr);
	if (cur && cur == holder) {
		/* Again at the same address: restart the timers. */
		WRITE_ONCE(cur->since, jiffies);
		WRITE_ONCE(cur->reason, reason);
		pp_act_event(pn, PP_EV_ACTIVATED, "activated again", u, addr,
			     reason);
		pp_act_arm(pn, cur);
		err = 0;
		goto out_changed;
	}

	act->addr = addr;
	act->reason = reason;
	act->since = jiffies;
	act->last_close = act->since;
	RCU_INIT_POINTER(act->user, u);

	/* The one step that can fail comes first: nothing changed yet. */
	if (holder)
		err = rhashtable_replace_fast(&pn->act_ht, &holder->node,
					      &act->node, pp_act_params);
	else
		err = rhashtable_lookup_insert_fast(&pn->act_ht, &act->node,
						    pp_act_params);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot add to the activation table");
		goto out_free;
	}

	if (holder)
		pp_act_destroy(pn, holder, PP_REASON_DISPLACED, false);
	if (cur)
		pp_act_destroy(pn, cur, PP_REASON_MOVED, true);

	list_add_tail(&act->list, &pn->act_list);
	rcu_assign_pointer(u->act, act);
	WRITE_ONCE(pn->n_active, pn->n_active + 1);
	pp_act_event(pn, PP_EV_ACTIVATED, "activated", u, addr, reason);
	pp_act_arm(pn, act);
	act = NULL;

out_changed:
	pp_net_changed(pn);
out_free:
	mutex_unlock(&pn->lock);
	kfree(act);
	return err;
}

/*
 * The activation of the user called @name, under pn->lock; or, with the
 * reason in @extack, ERR_PTR(-ENOENT) for no such user and
 * ERR_PTR(@inactive) for a user who is not active.
 */
static struct pp_activation *
pp_act_of_user_locked(struct pp_net *pn, const char *name, int inactive,
		      struct netlink_ext_ack *extack)
{
	struct pp_activation *act;
	struct pp_user *u;

	u = pp_users_find_name(pp_users_locked(pn), name);
	if (!u) {
		NL_SET_ERR_MSG(extack, "unknown user");
		return ERR_PTR(-ENOENT);
	}
	act = rcu_dereference_protected(u->act, lockdep_is_held(&pn->lock));
	if (!act) {
		NL_SET_ERR_MSG(extack, "user is not active");
		return ERR_PTR(inactive);
	}
	return act;
}

/*
 * pp_act_of_user_locked() for a user who must be active at @addr:
 * ERR_PTR(-ESTALE) when active at another address.
 */
static struct pp_activation *
pp_act_of_user_at_locked(struct pp_net *pn, const char *name, __be32 addr,
			 struct netlink_ext_ack *extack)
{
	struct pp_activation *act;

	act = pp_act_of_user_locked(pn, name, -ESRCH, extack);
	if (!IS_ERR(act) && act->addr != addr) {
		NL_SET_ERR_MSG(extack, "user is active at another address");
		return ERR_PTR(-ESTALE);
	}
	return act;
}

int pp_inactivate(struct pp_net *pn, const char *name, u8 reason,
		  struct netlink_ext_ack *extack)
{
	struct pp_activation *act;
	int err = 0;

	mutex_lock(&pn->lock);
	act = pp_act_of_user_locked(pn, name, -EALREADY, extack);
	if (IS_ERR(act)) {
		err = PTR_ERR(act);
		goto out;
	}
	pp_act_destroy(pn, act, reason, true);
	pp_net_changed(pn);
out:
	mutex_unlock(&pn->lock);
	return err;
}

int pp_activation_set_ccm(struct pp_net *pn, const char *name, __be32 addr,
			  __be32 ccm, struct netlink_ext_ack *extack)
{
	const struct pp_config *cfg;
	struct pp_activation *act;
	int err = 0;

	if (ccm && (!pp_activation_addr_ok(ccm) || ipv4_is_loopback(ccm))) {
		NL_SET_ERR_MSG(extack,
			       "CallManager address must be a unicast address");
		return -EINVAL;
	}
	mutex_lock(&pn->lock);
	act = pp_act_of_user_at_locked(pn, name, addr, extack);
	if (IS_ERR(act)) {
		err = PTR_ERR(act);
		goto out;
	}
	cfg = pp_config_locked(pn);
	if (ccm && (ccm == cfg->north_addr || ccm == cfg->south_addr ||
		    ccm == cfg->virt_north_addr ||
		    ccm == cfg->virt_south_addr)) {
		NL_SET_ERR_MSG(extack,
			       "CallManager address is one of this proxy's addresses");
		err = -EINVAL;
		goto out;
	}
	if (ccm && pp_act_lookup_locked(pn, ccm)) {
		/* The north side never chooses where SCCP goes. */
		NL_SET_ERR_MSG(extack,
			       "CallManager address is an activated phone's address");
		err = -EINVAL;
		goto out;
	}
	WRITE_ONCE(act->ccm_addr, ccm);
	pp_net_changed(pn);
out:
	mutex_unlock(&pn->lock);
	return err;
}

int pp_activation_set_remote(struct pp_net *pn, const char *name,
			     __be32 addr, bool on,
			     struct netlink_ext_ack *extack)
{
	struct pp_activation *act;
	int err = 0;

	mutex_lock(&pn->lock);
	act = pp_act_of_user_at_locked(pn, name, addr, extack);
	if (IS_ERR(act)) {
		err = PTR_ERR(act);
		goto out;
	}
	if (act->remote_registered == on)
		goto out;
	if (!on)
		/* The remote connection closed: idle from now on. */
		WRITE_ONCE(act->last_close, jiffies);
	WRITE_ONCE(act->remote_registered, on);
	pp_act_arm(pn, act);
out:
	mutex_unlock(&pn->lock);
	return err;
}

/*
 * Around publishing the new user table @t: prepare carries each
 * activation whose user survives with the same SID and enabled over to
 * its new entry; commit, after the swap, inactivates the rest with
 * PP_REASON_UNPUBLISHED.
 */
static void pp_act_users_prepare(struct pp_net *pn, struct pp_users *t)
{
	struct pp_activation *act;
	struct pp_user *old, *nu;

	lockdep_assert_held(&pn->lock);
	list_for_each_entry(act, &pn->act_list, list) {
		old = pp_act_user(pn, act);
		nu = pp_users_find_name(t, old->name);
		if (nu && nu->enabled && !strcmp(nu->sid, old->sid)) {
			/* @t is not published yet. */
			RCU_INIT_POINTER(nu->act, act);
			act->carry = nu;
		} else {
			act->carry = NULL;
		}
	}
}

static void pp_act_users_commit(struct pp_net *pn)
{
	struct pp_activation *act, *tmp;

	lockdep_assert_held(&pn->lock);
	list_for_each_entry_safe(act, tmp, &pn->act_list, list) {
		if (act->carry) {
			rcu_assign_pointer(act->user, act->carry);
			act->carry = NULL;
		} else {
			pp_act_destroy(pn, act, PP_REASON_UNPUBLISHED, true);
		}
	}
}

void pp_activation_users_publish(struct pp_net *pn, struct pp_users *t)
{
	struct pp_users *old;

	mutex_lock(&pn->lock);
	old = pp_users_locked(pn);
	pp_act_users_prepare(pn, t);
	rcu_assign_pointer(pn->users, t);
	pp_act_users_commit(pn);
	pp_net_changed(pn);
	mutex_unlock(&pn->lock);

	kvfree_rcu(old, rcu);
}

void pp_activation_conn_closed(struct net *net, __be32 addr)
{
	struct pp_activation *act;

	rcu_read_lock();
	act = pp_activation_lookup_rcu(pp_net(net), addr);
	if (act) {
		WRITE_ONCE(act->last_close, jiffies);
		/* Fully ordered: the sweep sees this last_close. */
		atomic_dec_if_positive(&act->conns);
	}
	rcu_read_unlock();
}

void pp_activation_conn_registered(struct net *net, __be32 addr, bool on)
{
	struct pp_activation *act;

	rcu_read_lock();
	act = pp_activation_lookup_rcu(pp_net(net), addr);
	if (act) {
		if (on)
			atomic_inc(&act->registered);
		else
			atomic_dec_if_positive(&act->registered);
	}
	rcu_read_unlock();
}

int pp_activation_init(struct pp_net *pn)
{
	int err;

	err = rhashtable_init(&pn->act_ht, &pp_act_params);
	if (err)
		return err;
	INIT_LIST_HEAD(&pn->act_list);
	INIT_DELAYED_WORK(&pn->sweep, pp_act_sweep);
	return 0;
}

/*
 * The namespace is going away: nothing can activate any more and the
 * packet hook is gone. Free the activations without events.
 */
void pp_activation_exit(struct pp_net *pn)
{
	struct pp_activation *act, *tmp;

	cancel_delayed_work_sync(&pn->sweep);
	list_for_each_entry_safe(act, tmp, &pn->act_list, list) {
		list_del(&act->list);
		kfree_rcu(act, rcu);
	}
	pn->n_active = 0;
	rhashtable_destroy(&pn->act_ht);
}
