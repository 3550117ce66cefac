// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "activation.h"
#include "registration.h"

struct pp_reg_net {
	struct pp_net *pn;
	spinlock_t lock;		/* everything below */
	unsigned int head, len;		/* the queue: ring[head..head+len) */
	unsigned int lost;		/* dropped since the last PP_EV_LOST */
	struct work_struct work;
	struct pp_reg_note ring[PP_REG_QUEUE];
};

/* Take the oldest note into @note, or false if none is left. */
static bool pp_reg_pop(struct pp_reg_net *rn, struct pp_reg_note *note,
		       unsigned int *lost)
{
	bool any = false;

	spin_lock_bh(&rn->lock);
	if (rn->len) {
		*note = rn->ring[rn->head];
		rn->head = (rn->head + 1) % PP_REG_QUEUE;
		rn->len--;
		any = true;
	} else {
		*lost = rn->lost;
		rn->lost = 0;
	}
	spin_unlock_bh(&rn->lock);
	return any;
}

static void pp_reg_work(struct work_struct *work)
{
	struct pp_reg_net *rn = container_of(work, struct pp_reg_net, work);
	struct pp_ev ev = { .pn = rn->pn };
	struct pp_reg_note note;
	unsigned int lost = 0;

	while (pp_reg_pop(rn, &note, &lost)) {
		ev.reg = &note;
		ev.addr = note.addr;
		ev.reason = note.reason;
		pp_events_announce(note.type, &ev);
		cond_resched();
	}
	if (lost) {
		ev.reg = NULL;
		ev.lost = lost;
		pp_events_announce(PP_EV_LOST, &ev);
	}
}

void pp_reg_tell(struct pp_net *pn, enum pp_ev_type type, u8 reason,
		 __be32 addr, __be32 ccm, const char *sid, const char *device)
{
	struct pp_reg_net *rn = pn->reg;
	struct pp_activation *act;
	struct pp_reg_note *note;
	struct pp_user *u;

	spin_lock_bh(&rn->lock);
	if (rn->len == PP_REG_QUEUE) {
		rn->lost++;
		goto out;
	}
	note = &rn->ring[(rn->head + rn->len) % PP_REG_QUEUE];
	rn->len++;
	note->type = type;
	note->reason = reason;
	note->addr = addr;
	note->ccm = ccm;
	strscpy(note->sid, sid, sizeof(note->sid));
	strscpy(note->device, device ?: "", sizeof(note->device));
	note->user[0] = '\0';
	rcu_read_lock();
	act = pp_activation_lookup_rcu(pn, addr);
	u = act ? rcu_dereference(act->user) : NULL;
	if (u)
		strscpy(note->user, u->name, sizeof(note->user));
	rcu_read_unlock();
out:
	spin_unlock_bh(&rn->lock);
	schedule_work(&rn->work);
}

int pp_reg_init(struct pp_net *pn)
{
	struct pp_reg_net *rn;

	rn = kvzalloc(sizeof(*rn), GFP_KERNEL);
	if (!rn)
		return -ENOMEM;
	rn->pn = pn;
	spin_lock_init(&rn->lock);
	INIT_WORK(&rn->work, pp_reg_work);
	pn->reg = rn;
	return 0;
}

/* The SCCP proxy's hooks are gone: what is queued is not told. */
void pp_reg_exit(struct pp_net *pn)
{
	cancel_work_sync(&pn->reg->work);
	kvfree(pn->reg);
	pn->reg = NULL;
}
