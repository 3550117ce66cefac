/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_NETLINK_H
#define _PP_NETLINK_H

#include <linux/types.h>

#include "pernet.h"
#include "users.h"

int pp_nl_register(void);
void pp_nl_unregister(void);

/*
 * Send a PP_CMD_EVENT (@event, @reason, user @u at @addr) to the
 * namespace's "events" group. Process context (GFP_KERNEL).
 */
void pp_nl_notify(struct pp_net *pn, u8 event, u8 reason,
		  const struct pp_user *u, __be32 addr);

#endif /* _PP_NETLINK_H */
