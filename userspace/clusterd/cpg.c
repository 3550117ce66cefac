// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-clusterd's side of Corosync: the CPG group in the event loop, its
 * membership, sending, and the validation of every delivered message.
 * Corosync down: logged, tried again every "retry" seconds. Joined only
 * while the node is quorate (quorum.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "clusterd.h"
#include "log.h"

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct clusterd_peer *member(struct clusterd *d, uint32_t node, uint32_t pid)
{
	size_t i;

	for (i = 0; i < d->n_members; i++)
		if (d->members[i].node == node && d->members[i].pid == pid)
			return &d->members[i];
	return NULL;
}

static void on_deliver(cpg_handle_t h, const struct cpg_name *group, uint32_t node,
		       uint32_t pid, void *data, size_t len)
{
	struct clusterd *d = NULL;
	struct clusterd_peer *p;
	struct pp_cluster_msg m;
	char err[256];

	(void)group;
	if (cpg_context_get(h, (void **)&d) != CS_OK || !d)
		return;
	d->st.received++;
	p = member(d, node, pid);
	if (pp_cluster_decode(data, len, &m, err, sizeof(err))) {
		d->st.dropped_garbage++;
		pp_warn("Cluster: message from node %u (pid %u) dropped: %s", node, pid, err);
		return;
	}
	if (!p || m.node != node) {
		d->st.dropped_foreign++;
		pp_warn("Cluster: %s message naming node %u from node %u (pid %u), %s: dropped",
			pp_cluster_type_name(m.type), m.node, node, pid,
			!p ? "not a member" : "not the sender");
		pp_cluster_msg_free(&m);
		return;
	}
	if (m.seq <= p->last_seq) {
		d->st.dropped_stale++;
		pp_warn("Cluster: %s message %llu of node %u after %llu: dropped",
			pp_cluster_type_name(m.type), (unsigned long long)m.seq, node,
			(unsigned long long)p->last_seq);
		pp_cluster_msg_free(&m);
		return;
	}
	p->last_seq = m.seq;
	clusterd_deliver(d, &m, p);
	pp_cluster_msg_free(&m);
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *group,
		       const struct cpg_address *list, size_t n,
		       const struct cpg_address *left, size_t n_left,
		       const struct cpg_address *joined, size_t n_joined)
{
	struct clusterd_peer old[CLUSTERD_MEMBERS_MAX];
	struct clusterd *d = NULL;
	size_t i, j, n_old;

	(void)group;
	if (cpg_context_get(h, (void **)&d) != CS_OK || !d)
		return;
	d->st.confchgs++;
	n_old = d->n_members;
	memcpy(old, d->members, n_old * sizeof(old[0]));
	d->n_members = 0;
	for (i = 0; i < n && i < CLUSTERD_MEMBERS_MAX; i++) {
		struct clusterd_peer *p = &d->members[d->n_members++];

		memset(p, 0, sizeof(*p));
		p->node = list[i].nodeid;
		p->pid = list[i].pid;
		for (j = 0; j < n_old; j++)
			if (old[j].node == p->node && old[j].pid == p->pid) {
				*p = old[j];	/* its sequence, a file it is sending */
				old[j].file = NULL;
				old[j].ctl = NULL;
			}
	}
	for (j = 0; j < n_old; j++)
		clusterd_peer_free(&old[j]);	/* left: a file half sent is dropped */
	for (i = 0; i < n_joined; i++)
		pp_notice("Cluster: node %u (pid %u) joined group %s", joined[i].nodeid,
			  joined[i].pid, d->conf.group);
	for (i = 0; i < n_left; i++)
		pp_notice("Cluster: node %u (pid %u) left group %s (reason %u)", left[i].nodeid,
			  left[i].pid, d->conf.group, left[i].reason);
	clusterd_names_open(d);		/* not reached at the join: again */
	clusterd_confchg(d, joined, n_joined);
	clusterd_regs_members(d, n_joined);
	/* Whoever joined learns every member's certificates from itself. */
	if (n_joined)
		clusterd_certs_announce(d, "a member joined");
}

static cpg_callbacks_t callbacks = {
	.cpg_deliver_fn = on_deliver,
	.cpg_confchg_fn = on_confchg,
};

void clusterd_lost(struct clusterd *d, const char *what, cs_error_t e)
{
	if (!d->cpg_open && !d->q_open)
		return;		/* the other connection said so already */
	pp_err("Cluster: corosync %s: error %d; serving locally, trying again every %u s",
	       what, (int)e, d->conf.retry);
	clusterd_quorum_close(d);
	clusterd_cpg_close(d);
	clusterd_reset_sync(d);
	d->state = CLUSTERD_DOWN;
	if (d->retry_ev) {	/* closed while waiting for quorum: armed here */
		struct timeval tv = { .tv_sec = d->conf.retry };

		event_add(d->retry_ev, &tv);
	}
}

static void on_lost(evutil_socket_t fd, short what, void *arg)
{
	struct clusterd *d = arg;

	(void)fd;
	(void)what;
	clusterd_lost(d, d->lost_what, d->lost_err);
}

void clusterd_lost_later(struct clusterd *d, struct event *ev, const char *what, cs_error_t e)
{
	/* Not from within this event's own callback: next turn of the loop. */
	event_del(ev);
	d->lost_err = e;
	d->lost_what = what;
	event_base_once(d->base, -1, EV_TIMEOUT, on_lost, d, NULL);
}

static void on_cpg(evutil_socket_t fd, short what, void *arg)
{
	struct clusterd *d = arg;
	cs_error_t e;

	(void)fd;
	(void)what;
	e = cpg_dispatch(d->cpg, CS_DISPATCH_ALL);
	if (e != CS_OK && e != CS_ERR_TRY_AGAIN)
		clusterd_lost_later(d, d->cpg_ev, "connection lost", e);
}

static void on_rejoin(evutil_socket_t fd, short what, void *arg)
{
	struct clusterd *d = arg;

	(void)fd;
	(void)what;
	clusterd_cpg_close(d);
	clusterd_reset_sync(d);
	d->state = CLUSTERD_DOWN;
	clusterd_connect(d);	/* still quorate: at once */
}

void clusterd_rejoin(struct clusterd *d)
{
	/* Not from within the CPG dispatch: next turn of the loop. */
	if (d->cpg_ev)
		event_del(d->cpg_ev);
	event_base_once(d->base, -1, EV_TIMEOUT, on_rejoin, d, NULL);
}

void clusterd_cpg_close(struct clusterd *d)
{
	if (d->cpg_ev) {
		event_free(d->cpg_ev);
		d->cpg_ev = NULL;
	}
	if (d->cpg_open)
		cpg_finalize(d->cpg);
	d->cpg_open = false;
	d->joined = false;
	clusterd_names_close(d);	/* the names read are kept */
	while (d->n_members)
		clusterd_peer_free(&d->members[--d->n_members]);
	d->n_regs = 0;		/* out of the group: nobody's are known */
	/* Retry from the loop: the timer is armed while down. */
	if (d->retry_ev) {
		struct timeval tv = { .tv_sec = d->conf.retry };

		event_add(d->retry_ev, &tv);
	}
}

void clusterd_cpg_connect(struct clusterd *d)
{
	static bool said;
	struct cpg_name name;
	unsigned int node;
	uint32_t atomic;
	cs_error_t e;
	int fd;

	if (d->cpg_open)
		return;
	e = cpg_initialize(&d->cpg, &callbacks);
	if (e != CS_OK) {
		if (!said)
			pp_warn("Cluster: corosync not reachable (error %d); serving locally, trying again every %u s",
				(int)e, d->conf.retry);
		said = true;
		goto retry;
	}
	d->cpg_open = true;
	if (cpg_context_set(d->cpg, d) != CS_OK || cpg_fd_get(d->cpg, &fd) != CS_OK ||
	    cpg_local_get(d->cpg, &node) != CS_OK) {
		pp_warn("Cluster: corosync: cannot set up the CPG connection; trying again");
		goto close;
	}
	d->node = node;
	d->pid = (uint32_t)getpid();
	memset(&name, 0, sizeof(name));
	name.length = (uint32_t)strlen(d->conf.group);
	memcpy(name.value, d->conf.group, name.length);
	e = cpg_join(d->cpg, &name);
	if (e != CS_OK) {
		pp_warn("Cluster: corosync: cannot join group %s (error %d); trying again",
			d->conf.group, (int)e);
		goto close;
	}
	d->joined = true;
	d->cpg_ev = event_new(d->base, fd, EV_READ | EV_PERSIST, on_cpg, d);
	if (!d->cpg_ev || event_add(d->cpg_ev, NULL)) {
		pp_err("Cluster: cannot set up the event loop");
		goto close;
	}
	said = false;
	d->state = CLUSTERD_WAITING;
	clusterd_names_open(d);
	/* Larger messages (publish parts) are fragmented by corosync. */
	if (cpg_max_atomic_msgsize_get(d->cpg, &atomic) == CS_OK)
		pp_info("Cluster: corosync sends messages of up to %u bytes unfragmented", atomic);
	pp_notice("Cluster: node %u joined corosync group %s", d->node, d->conf.group);
	return;
close:
	clusterd_cpg_close(d);
	return;
retry:
	clusterd_cpg_close(d);
}

int clusterd_send(struct clusterd *d, struct pp_cluster_msg *m)
{
	static unsigned char buf[PP_CLUSTER_MSG_MAX];
	struct iovec iov;
	char err[256];
	cs_error_t e;
	long len;
	int tries;

	if (!d->joined) {
		d->st.send_failed++;
		return -ENOTCONN;
	}
	m->node = d->node;
	m->seq = d->seq + 1;
	m->time_ms = now_ms();
	len = pp_cluster_encode(m, buf, sizeof(buf), err, sizeof(err));
	if (len < 0) {
		d->st.send_failed++;
		pp_err("Cluster: cannot encode a %s message: %s", pp_cluster_type_name(m->type), err);
		return -EINVAL;
	}
	iov.iov_base = buf;
	iov.iov_len = (size_t)len;
	/* TRY_AGAIN: corosync's queue is full for a moment (flow control). */
	for (tries = 0; tries < 200; tries++) {
		e = cpg_mcast_joined(d->cpg, CPG_TYPE_AGREED, &iov, 1);
		if (e != CS_ERR_TRY_AGAIN)
			break;
		usleep(5000);
	}
	if (e != CS_OK) {
		d->st.send_failed++;
		pp_err("Cluster: cannot multicast a %s message (error %d)",
		       pp_cluster_type_name(m->type), (int)e);
		return -EIO;
	}
	d->seq = m->seq;
	d->st.sent++;
	return 0;
}
