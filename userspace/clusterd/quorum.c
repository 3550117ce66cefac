// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The quorum gate (docs/cluster.md "Quorum"): pp-clusterd is in the CPG
 * group only while its node is quorate, as Corosync's quorum service
 * (votequorum) says. A node that is not (rebooted and alone in its ring,
 * the minority side of a partition) serves locally with its own state and
 * joins once quorate, as a joiner: it takes the members' snapshot instead
 * of meeting them at a merge as a group of its own. Without a quorum
 * provider the gate is off: the group is joined at once, as before.
 */
#include "clusterd.h"
#include "log.h"

static void on_notify(quorum_handle_t h, uint32_t quorate, uint64_t ring_seq,
		      uint32_t n, uint32_t *nodes)
{
	const void *ctx = NULL;

	(void)ring_seq;
	(void)nodes;
	if (quorum_context_get(h, &ctx) != CS_OK || !ctx)
		return;
	clusterd_quorate((struct clusterd *)ctx, quorate != 0, n);
}

static quorum_callbacks_t callbacks = {
	.quorum_notify_fn = on_notify,
};

static void on_quorum(evutil_socket_t fd, short what, void *arg)
{
	struct clusterd *d = arg;
	cs_error_t e;

	(void)fd;
	(void)what;
	e = quorum_dispatch(d->q, CS_DISPATCH_ALL);
	if (e != CS_OK && e != CS_ERR_TRY_AGAIN)
		clusterd_lost_later(d, d->q_ev, "quorum service connection lost", e);
}

void clusterd_quorum_close(struct clusterd *d)
{
	if (d->q_ev) {
		event_free(d->q_ev);
		d->q_ev = NULL;
	}
	if (d->q_open)
		quorum_finalize(d->q);
	d->q_open = false;
	d->gate = CLUSTERD_GATE_UNKNOWN;
	d->quorate = false;
}

/* Connect to the quorum service: the gate on (tracking), or off. */
static void quorum_open(struct clusterd *d)
{
	uint32_t type;
	int quorate, fd;
	cs_error_t e;

	e = quorum_initialize(&d->q, &callbacks, &type);
	if (e != CS_OK) {
		/* Corosync down, or no quorum service: CPG decides which. */
		d->q_err = e;
		return;
	}
	d->q_err = CS_OK;
	d->q_open = true;
	if (type == QUORUM_FREE) {
		pp_notice("Cluster: corosync has no quorum provider: the quorum gate is off (the group is joined at once)");
		clusterd_quorum_close(d);
		d->gate = CLUSTERD_GATE_OFF;
		return;
	}
	if (quorum_context_set(d->q, d) != CS_OK || quorum_fd_get(d->q, &fd) != CS_OK ||
	    quorum_trackstart(d->q, CS_TRACK_CHANGES) != CS_OK ||
	    quorum_getquorate(d->q, &quorate) != CS_OK) {
		pp_warn("Cluster: corosync: cannot set up the quorum connection; trying again");
		clusterd_quorum_close(d);
		return;
	}
	d->q_ev = event_new(d->base, fd, EV_READ | EV_PERSIST, on_quorum, d);
	if (!d->q_ev || event_add(d->q_ev, NULL)) {
		pp_err("Cluster: cannot set up the event loop");
		clusterd_quorum_close(d);
		return;
	}
	d->gate = CLUSTERD_GATE_ON;
	d->quorate = quorate != 0;
	if (!d->quorate)
		pp_warn("Cluster: not quorate: waiting to join group %s (serving locally)",
			d->conf.group);
}

void clusterd_connect(struct clusterd *d)
{
	if (!d->q_open && d->gate != CLUSTERD_GATE_OFF)
		quorum_open(d);
	if (!d->q_open && d->gate == CLUSTERD_GATE_UNKNOWN && d->q_err == CS_ERR_TRY_AGAIN) {
		/*
		 * Corosync starting: it answers CPG some 0.1-0.5 s before its
		 * quorum service (corosync 3.1.7: CS_ERR_TRY_AGAIN meanwhile).
		 * Joining then would skip the gate; wait for the answer.
		 */
		if (d->state != CLUSTERD_QUORUM)
			pp_notice("Cluster: corosync's quorum service is not ready yet: waiting to join group %s (serving locally)",
				  d->conf.group);
		d->state = CLUSTERD_QUORUM;
		if (d->retry_ev) {
			struct timeval tv = { .tv_sec = 1 };

			event_add(d->retry_ev, &tv);
		}
		return;
	}
	if (d->gate == CLUSTERD_GATE_ON && !d->quorate) {
		d->state = CLUSTERD_QUORUM;
		return;
	}
	clusterd_cpg_connect(d);
	if (d->cpg_open && d->gate == CLUSTERD_GATE_UNKNOWN) {
		/* Corosync is there, its quorum service is not. */
		pp_notice("Cluster: corosync's quorum service not available (error %d): the quorum gate is off",
			  (int)d->q_err);
		d->gate = CLUSTERD_GATE_OFF;
	}
}

void clusterd_quorate(struct clusterd *d, bool quorate, uint32_t nodes)
{
	if (quorate == d->quorate)
		return;		/* a membership change only: logged once per change */
	d->quorate = quorate;
	if (quorate) {
		pp_notice("Cluster: quorate (ring of %u node(s)): joining group %s", nodes,
			  d->conf.group);
		clusterd_cpg_connect(d);
		return;
	}
	if (d->cpg_open) {
		/*
		 * The minority side: out of the group, so that once quorate
		 * again this node joins as a joiner and takes the majority's
		 * state (its own changes meanwhile undone).
		 */
		pp_warn("Cluster: not quorate (ring of %u node(s)): leaving group %s, serving locally; waiting to join",
			nodes, d->conf.group);
		clusterd_cpg_close(d);
		clusterd_reset_sync(d);
	} else {
		pp_warn("Cluster: not quorate: waiting to join group %s (serving locally)",
			d->conf.group);
	}
	d->state = CLUSTERD_QUORUM;
}

const char *clusterd_apart(const struct clusterd *d)
{
	return d->gate == CLUSTERD_GATE_ON && !d->quorate ? "not quorate" : "corosync down";
}
