/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_EVENTS_H
#define _PP_EVENTS_H

#include <linux/notifier.h>
#include <linux/types.h>

struct netlink_ext_ack;
struct pp_config;
struct pp_net;
struct pp_reg_note;
struct pp_user;

/*
 * The core's announcements (docs/architecture.md): the core (config.c,
 * users.c, activation.c) announces what changed and never names who
 * listens; the features and netlink subscribe once, at module init, with
 * a notifier_block whose notifier_call gets the type and a struct
 * pp_ev. A blocking notifier chain: every announcement is made in
 * process context; the type says whether pn->lock is held.
 */
enum pp_ev_type {
	/*
	 * Under pn->lock: @user is (again) active at @addr for @reason;
	 * or no longer (@reason: displaced, moved, a timeout, ...).
	 */
	PP_EV_ACTIVATED,
	PP_EV_INACTIVATED,
	/*
	 * Under pn->lock, before @cfg replaces @old: a subscriber may refuse
	 * it with notifier_from_errno() and @extack. The last announcement
	 * that can refuse: what a subscriber does here is kept.
	 */
	PP_EV_CONFIG_CHECK,
	/* Under pn->lock: @cfg replaced @old (still readable). */
	PP_EV_CONFIG_SET,
	/* After pn->lock: the configuration changed (@old, @cfg not valid). */
	PP_EV_CONFIG_CHANGED,
	/*
	 * No lock, from registration.c's work: a phone registered through
	 * the SCCP proxy, no longer is (@reg->reason says why), or was
	 * refused for registering as another device (@reg).
	 */
	PP_EV_REGISTERED,
	PP_EV_UNREGISTERED,
	PP_EV_REFUSED,
	/* The same: @lost registration events did not fit in the queue. */
	PP_EV_LOST,
};

struct pp_ev {
	struct pp_net *pn;
	const struct pp_user *user;
	__be32 addr;
	u8 reason;			/* enum pp_reason */
	const struct pp_config *old, *cfg;
	struct netlink_ext_ack *extack;
	const struct pp_reg_note *reg;
	unsigned int lost;
};

int pp_events_subscribe(struct notifier_block *nb);
void pp_events_unsubscribe(struct notifier_block *nb);

/* Tell every subscriber; 0 or the errno of the one that refused. */
int pp_events_announce(enum pp_ev_type type, struct pp_ev *ev);

#endif /* _PP_EVENTS_H */
