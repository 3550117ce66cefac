// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
#include <linux/notifier.h>

#include "events.h"

static BLOCKING_NOTIFIER_HEAD(pp_events);

int pp_events_subscribe(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&pp_events, nb);
}

void pp_events_unsubscribe(struct notifier_block *nb)
{
	blocking_notifier_chain_unregister(&pp_events, nb);
}

int pp_events_announce(enum pp_ev_type type, struct pp_ev *ev)
{
	return notifier_to_errno(blocking_notifier_call_chain(&pp_events,
							      type, ev));
}
