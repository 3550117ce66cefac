/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_REGISTRATION_H
#define _PP_REGISTRATION_H

#include <linux/phoneproxy.h>
#include <linux/types.h>

#include "events.h"
#include "pernet.h"

/*
 * The SCCP proxy's registrations, told to the event subscribers
 * (PP_EV_REGISTERED, PP_EV_UNREGISTERED, PP_EV_REFUSED): for the log's
 * Sccp: lines and the cluster (docs/logs.md, docs/cluster.md).
 *
 * The proxy sees them in softirq, the subscribers run in process
 * context: pp_reg_tell() copies the note into a bounded per-namespace
 * queue (no allocation, one spinlock taken only on these events, never
 * per packet) and a work item announces it. A full queue drops the note
 * and the work announces PP_EV_LOST with how many.
 */
struct pp_reg_note {
	__be32 addr;			/* the phone */
	__be32 ccm;			/* its CallManager */
	u8 type;			/* enum pp_ev_type */
	u8 reason;			/* enum pp_reason: why it ended */
	char sid[PP_SID_LEN + 1];	/* the connection's user's SID */
	char device[PP_NAME_MAX];	/* the name its Register gave */
	char user[PP_NAME_MAX];		/* active at @addr when told, or "" */
};

#define PP_REG_QUEUE	256		/* notes per namespace */

int pp_reg_init(struct pp_net *pn);
void pp_reg_exit(struct pp_net *pn);

/*
 * Tell @type (PP_EV_REGISTERED, PP_EV_UNREGISTERED with @reason, or
 * PP_EV_REFUSED) of the phone at @addr whose connection goes to @ccm,
 * activated with @sid, registering as @device (may be NULL). Any
 * context, softirq included. Callers stop calling for a namespace
 * before its pernet exit runs pp_reg_exit().
 */
void pp_reg_tell(struct pp_net *pn, enum pp_ev_type type, u8 reason,
		 __be32 addr, __be32 ccm, const char *sid,
		 const char *device);

#endif /* _PP_REGISTRATION_H */
