// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * What pp-clusterd replicates and how it applies it (docs/cluster.md):
 *
 * - a local activation (CLI, WEB, SOAP, OPEN) or inactivation (CLI, WEB,
 *   SOAP) the module announces is multicast in agreed order; what the
 *   module did as a consequence (DISPLACED, MOVED) follows from it on
 *   every node and is not sent; reason CLUSTER is what this daemon did;
 * - every delivered message, this node's own included, is applied in the
 *   agreed order (an activation already in place is left as it is), so
 *   the last delivered wins on every node;
 * - a joiner waits for the snapshot of the lowest old member, applies it
 *   (its activations, and inactivates what the snapshot does not hold),
 *   then what was delivered after the join.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "clusterd.h"
#include "ctlsock.h"
#include "log.h"

const char *clusterd_state_name(enum clusterd_state s)
{
	switch (s) {
	case CLUSTERD_DOWN:
		return "down";
	case CLUSTERD_QUORUM:
		return "waiting-quorum";
	case CLUSTERD_WAITING:
		return "waiting";
	case CLUSTERD_SYNCED:
		return "synced";
	}
	return "?";
}

static const char *ip(uint32_t addr, char *buf)
{
	return inet_ntop(AF_INET, &addr, buf, INET_ADDRSTRLEN) ? buf : "?";
}

void clusterd_reset_sync(struct clusterd *d)
{
	size_t i;

	for (i = 0; i < d->backlog_n; i++) {
		if (d->backlog[i].type == PP_CLUSTER_PUBLISH)
			free((void *)d->backlog[i].bytes);
		pp_cluster_msg_free(&d->backlog[i]);
	}
	d->backlog_n = 0;
	d->snap_n = 0;
	d->snap_next = 0;
	d->snap_settings_ok = false;
	free(d->snap_file);
	d->snap_file = NULL;
	d->snap_file_len = 0;
	d->tentative = false;
	if (d->wait_ev)
		event_del(d->wait_ev);
}

/* ---- local changes ---- */

void clusterd_local_event(struct clusterd *d, const struct pp_event_info *ev)
{
	struct pp_cluster_msg m = { 0 };
	char a[INET_ADDRSTRLEN];

	if (!ev) {
		d->st.events_lost++;
		pp_warn("Cluster: module notifications lost: changes made meanwhile on this node are not replicated");
		/* Registrations say what is: this node's whole list again. */
		clusterd_regs_announce(d);
		return;
	}
	if (ev->type == PP_EVENT_REGISTERED || ev->type == PP_EVENT_UNREGISTERED) {
		clusterd_regs_local(d, ev);
		return;
	}
	if (ev->type == PP_EVENT_ACTIVATED)
		/* A new activation starts without the remote flag. */
		clusterd_regs_remote_user(d, ev->name);
	if (ev->type == PP_EVENT_ACTIVATED &&
	    (ev->reason == PP_REASON_CLI || ev->reason == PP_REASON_WEB ||
	     ev->reason == PP_REASON_SOAP || ev->reason == PP_REASON_OPEN)) {
		m.type = PP_CLUSTER_ACTIVATE;
		m.user.addr = ev->addr;
	} else if (ev->type == PP_EVENT_INACTIVATED &&
		   (ev->reason == PP_REASON_CLI || ev->reason == PP_REASON_WEB ||
		    ev->reason == PP_REASON_SOAP)) {
		m.type = PP_CLUSTER_INACTIVATE;
	} else {
		return;		/* ours, a consequence, or node-local */
	}
	snprintf(m.user.name, sizeof(m.user.name), "%s", ev->name);
	if (!d->joined) {
		pp_warn("Cluster: user %s %s at %s here: not replicated (%s)",
			ev->name, ev->type == PP_EVENT_ACTIVATED ? "activated" : "inactivated",
			ip(ev->addr, a), clusterd_apart(d));
		d->st.send_failed++;
		return;
	}
	clusterd_send(d, &m);
}

/* ---- applying ---- */

static struct pp_nl *module(struct clusterd *d)
{
	struct pp_nl *nl = pp_follow_nl(d->follow);

	if (!nl)
		pp_warn("Cluster: phoneproxy module not loaded: cannot apply");
	return nl;
}

static int failed(struct clusterd *d, struct pp_nl *nl, int rc, const char *what,
		  const char *name)
{
	d->st.apply_failed++;
	pp_warn("Cluster: cannot %s user %s here: %s", what, name, pp_nl_error(nl));
	/* The module's refusals leave the socket as it was; others may not. */
	if (rc != -ENOENT && rc != -EPERM && rc != -EINVAL && rc != -EALREADY)
		pp_follow_nl_reset(d->follow);
	return rc;
}

static int apply_activate(struct clusterd *d, const struct pp_cluster_entry *e)
{
	struct pp_nl *nl = module(d);
	struct pp_user_state u;
	int rc;

	if (!nl) {
		d->st.apply_failed++;
		return -ENOENT;
	}
	/* Already so (this node's own, or a snapshot's): leave it be. */
	rc = pp_user_get(nl, e->name, 0, &u);
	if (!rc && u.active && u.addr == e->addr)
		return 0;
	rc = pp_user_activate(nl, e->name, e->addr, PP_REASON_CLUSTER);
	if (rc)
		return failed(d, nl, rc, "activate", e->name);
	return 0;
}

static int apply_inactivate(struct clusterd *d, const char *name)
{
	struct pp_nl *nl = module(d);
	int rc;

	if (!nl) {
		d->st.apply_failed++;
		return -ENOENT;
	}
	rc = pp_user_inactivate(nl, name, PP_REASON_CLUSTER);
	if (rc && rc != -EALREADY)
		return failed(d, nl, rc, "inactivate", name);
	return 0;
}

static void apply(struct clusterd *d, const struct pp_cluster_msg *m)
{
	char a[INET_ADDRSTRLEN];
	int rc;

	if (m->type == PP_CLUSTER_SETTINGS) {
		if (!clusterd_settings_apply(d, &m->settings, m->node))
			d->last_change_ms = m->time_ms;
		return;
	}
	if (m->type == PP_CLUSTER_PUBLISH) {	/* held whole in the backlog */
		if (!clusterd_publish_apply(d, m->bytes, m->total, m->node))
			d->last_change_ms = d->published_ms = m->time_ms;
		return;
	}
	if (m->type == PP_CLUSTER_ACTIVATE)
		rc = apply_activate(d, &m->user);
	else
		rc = apply_inactivate(d, m->user.name);
	if (rc)
		return;
	d->st.applied++;
	d->last_change_ms = m->time_ms;
	if (m->node != d->node)
		pp_info("Cluster: node %u: user %s %s%s", m->node, m->user.name,
			m->type == PP_CLUSTER_ACTIVATE ? "activated at " : "inactivated",
			m->type == PP_CLUSTER_ACTIVATE ? ip(m->user.addr, a) : "");
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct pp_cluster_entry *)a)->name,
		      ((const struct pp_cluster_entry *)b)->name);
}

static void serve_owed(struct clusterd *d);
static void join_served(struct clusterd *d, const struct pp_cluster_msg *m, uint32_t pid);

/* Apply what was held while waiting, but the first "after" (the snapshot
 * holds them already). */
static void apply_backlog(struct clusterd *d, uint32_t after)
{
	size_t i;

	if (after > d->backlog_n) {
		pp_err("Cluster: the snapshot holds %u messages after the join, this node %zu: applying them all",
		       after, d->backlog_n);
		after = 0;
	}
	for (i = after; i < d->backlog_n; i++)
		apply(d, &d->backlog[i]);
}

/* The whole snapshot has come: make this node's activations its own. */
static void apply_snapshot(struct clusterd *d)
{
	struct pp_user_state *users = NULL;
	size_t i, n = 0, gone = 0, failures = d->st.apply_failed;
	struct pp_nl *nl;

	/* The sender's settings and users.xml first: the activations are of
	 * its users. */
	if (d->snap_settings_ok && d->snap_settings_from.node == d->snap_from.node &&
	    d->snap_settings_from.pid == d->snap_from.pid)
		clusterd_settings_apply(d, &d->snap_settings, d->snap_from.node);
	if (d->snap_file && d->snap_file_from.node == d->snap_from.node &&
	    d->snap_file_from.pid == d->snap_from.pid)
		clusterd_publish_apply(d, d->snap_file, d->snap_file_len, d->snap_from.node);
	for (i = 0; i < d->snap_n; i++)
		apply_activate(d, &d->snap[i]);
	qsort(d->snap, d->snap_n, sizeof(d->snap[0]), cmp_entry);
	nl = module(d);
	if (nl && pp_user_list(nl, &users, &n)) {
		pp_warn("Cluster: cannot list the users here: %s", pp_nl_error(nl));
		d->st.apply_failed++;
		n = 0;
	}
	for (i = 0; i < n; i++) {
		struct pp_cluster_entry key;

		if (!users[i].active)
			continue;
		snprintf(key.name, sizeof(key.name), "%s", users[i].name);
		if (bsearch(&key, d->snap, d->snap_n, sizeof(d->snap[0]), cmp_entry))
			continue;
		if (!apply_inactivate(d, users[i].name))
			gone++;
	}
	free(users);
	d->st.snapshots_applied++;
	d->state = CLUSTERD_SYNCED;
	pp_notice("Cluster: in sync: snapshot of node %u applied (%zu active users, %zu inactivated here%s), then %zu messages that followed the join (%u of them in the snapshot already)",
		  d->snap_from.node, d->snap_n, gone,
		  d->st.apply_failed != failures ? ", some could not be applied" : "",
		  d->backlog_n, d->snap_after);
	apply_backlog(d, d->snap_after);
	clusterd_reset_sync(d);
	serve_owed(d);
}

void clusterd_merge_timeout(struct clusterd *d)
{
	size_t i;

	if (d->state != CLUSTERD_WAITING || !d->tentative)
		return;
	pp_notice("Cluster: no snapshot from the members that joined within %d s (they are new): this node's state stands, then %zu messages that followed",
		  CLUSTERD_MERGE_WAIT, d->backlog_n);
	d->state = CLUSTERD_SYNCED;
	for (i = 0; i < d->backlog_n; i++)
		apply(d, &d->backlog[i]);
	clusterd_reset_sync(d);
	serve_owed(d);
}

bool clusterd_for_me(const struct clusterd *d, const struct pp_cluster_msg *m)
{
	unsigned int i;

	for (i = 0; i < m->nfor; i++)
		if (m->forp[i].node == d->node && m->forp[i].pid == d->pid)
			return true;
	return false;
}

static void snapshot_part(struct clusterd *d, const struct pp_cluster_msg *m, uint32_t pid)
{
	uint32_t i;

	if (m->part == 0) {
		d->snap_n = 0;
		d->snap_from.node = m->node;
		d->snap_from.pid = pid;
		d->snap_next = 0;
		d->snap_after = m->after;
	} else if (m->part != d->snap_next || m->node != d->snap_from.node ||
		   pid != d->snap_from.pid) {
		pp_warn("Cluster: snapshot part %u of node %u out of order: ignored", m->part,
			m->node);
		return;
	}
	if (d->snap_n + m->count > d->snap_cap) {
		size_t cap = d->snap_cap ? d->snap_cap : 1024;
		struct pp_cluster_entry *p;

		while (cap < d->snap_n + m->count)
			cap *= 2;
		p = realloc(d->snap, cap * sizeof(*p));
		if (!p) {
			pp_err("Cluster: out of memory for the snapshot");
			d->snap_next = 0;
			return;
		}
		d->snap = p;
		d->snap_cap = cap;
	}
	for (i = 0; i < m->count; i++)
		d->snap[d->snap_n++] = m->entries[i];
	d->snap_next = m->part + 1u;
	if (d->snap_next == m->parts)
		apply_snapshot(d);
}

void clusterd_deliver(struct clusterd *d, const struct pp_cluster_msg *m,
		      struct clusterd_peer *p)
{
	if (m->type == PP_CLUSTER_SNAPSHOT) {
		if (d->state == CLUSTERD_WAITING && clusterd_for_me(d, m))
			snapshot_part(d, m, p->pid);
		if (m->part + 1u == m->parts)
			join_served(d, m, p->pid);
		return;
	}
	if (m->type == PP_CLUSTER_PUBLISH) {
		clusterd_publish_part(d, m, p);
		return;
	}
	if (m->type == PP_CLUSTER_CERTS) {
		clusterd_certs_deliver(d, m, p);
		return;
	}
	if (m->type == PP_CLUSTER_CTL) {
		clusterd_ctl_part(d, m, p);
		return;
	}
	if (m->type == PP_CLUSTER_REGISTER || m->type == PP_CLUSTER_UNREGISTER ||
	    m->type == PP_CLUSTER_REGLIST) {
		/* Each member's own: no snapshot, no backlog (regs.c). */
		clusterd_regs_deliver(d, m, p);
		return;
	}
	if (m->type == PP_CLUSTER_SETTINGS && m->nfor) {
		if (d->state == CLUSTERD_WAITING && clusterd_for_me(d, m)) {
			d->snap_settings = m->settings;
			d->snap_settings_ok = true;
			d->snap_settings_from.node = p->node;
			d->snap_settings_from.pid = p->pid;
		}
		return;
	}
	d->delivered++;		/* what a joiner holds (docs/cluster.md) */
	if (d->state == CLUSTERD_SYNCED) {
		apply(d, m);
		return;
	}
	/* Waiting: after the snapshot, in order. */
	clusterd_backlog_add(d, m);
}

struct pp_cluster_msg *clusterd_backlog_add(struct clusterd *d, const struct pp_cluster_msg *m)
{
	struct pp_cluster_msg *b;

	if (d->backlog_n == d->backlog_cap) {
		size_t cap = d->backlog_cap ? d->backlog_cap * 2 : 64;

		b = cap <= CLUSTERD_BACKLOG_MAX ? realloc(d->backlog, cap * sizeof(*b)) : NULL;
		if (!b) {
			d->st.apply_failed++;
			pp_err("Cluster: too many messages while waiting for the snapshot: a %s message of node %u lost",
			       pp_cluster_type_name(m->type), m->node);
			return NULL;
		}
		d->backlog = b;
		d->backlog_cap = cap;
	}
	b = &d->backlog[d->backlog_n++];
	*b = *m;
	b->entries = NULL;
	b->count = 0;
	b->bytes = NULL;
	return b;
}

/* ---- membership ---- */

static bool in_list(const struct cpg_address *l, size_t n, uint32_t node, uint32_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (l[i].nodeid == node && l[i].pid == pid)
			return true;
	return false;
}

static bool is_member(const struct clusterd *d, const struct pp_cluster_peer *p)
{
	size_t i;

	for (i = 0; i < d->n_members; i++)
		if (d->members[i].node == p->node && d->members[i].pid == p->pid)
			return true;
	return false;
}

static bool is_me(const struct clusterd *d, const struct pp_cluster_peer *p)
{
	return p->node == d->node && p->pid == d->pid;
}

static bool lower(const struct pp_cluster_peer *a, const struct pp_cluster_peer *b)
{
	return a->node < b->node || (a->node == b->node && a->pid < b->pid);
}

/* Multicast a snapshot for joiners: the settings, the users.xml, then the
 * active users, holding the first "after" messages delivered since the
 * join. */
static void send_snapshot(struct clusterd *d, const struct pp_cluster_peer *joiners,
			  unsigned int n_joiners, uint32_t after)
{
	struct pp_user_state *users = NULL;
	struct pp_cluster_msg m = { .type = PP_CLUSTER_SNAPSHOT, .after = after };
	size_t i, n = 0, n_act = 0, k;
	struct pp_nl *nl = module(d);
	unsigned int parts;

	if (!nl || pp_user_list(nl, &users, &n)) {
		pp_err("Cluster: cannot read this node's activations for the snapshot%s%s",
		       nl ? ": " : "", nl ? pp_nl_error(nl) : "");
		return;
	}
	m.entries = calloc(PP_CLUSTER_SNAP_CHUNK, sizeof(*m.entries));
	if (!m.entries) {
		free(users);
		pp_err("Cluster: out of memory for the snapshot");
		return;
	}
	for (i = 0; i < n_joiners && m.nfor < PP_CLUSTER_FOR_MAX; i++)
		m.forp[m.nfor++] = joiners[i];
	/* Settings and users.xml first, in the same stream point. */
	if (clusterd_send_shared(d, &m)) {
		pp_err("Cluster: cannot send the settings and users.xml for the joining member(s)");
		goto out;
	}
	for (i = 0; i < n; i++)
		n_act += users[i].active;
	parts = (unsigned int)((n_act + PP_CLUSTER_SNAP_CHUNK - 1) / PP_CLUSTER_SNAP_CHUNK);
	if (!parts)
		parts = 1;
	m.parts = (uint16_t)parts;
	for (i = 0, k = 0; m.part < parts; ) {
		for (; i < n && k < PP_CLUSTER_SNAP_CHUNK; i++) {
			if (!users[i].active)
				continue;
			snprintf(m.entries[k].name, sizeof(m.entries[k].name), "%s", users[i].name);
			m.entries[k].addr = users[i].addr;
			k++;
		}
		m.count = (uint32_t)k;
		if (clusterd_send(d, &m))
			break;
		m.part++;
		k = 0;
	}
	if (m.part == parts) {
		d->st.snapshots_sent++;
		pp_notice("Cluster: snapshot of %zu active users sent for %u joining member(s)%s",
			  n_act, n_joiners, after ? " (taken after the join)" : "");
	}
out:
	free(m.entries);
	free(users);
}

/* A join this node owes and can serve now. */
static void serve(struct clusterd *d, struct clusterd_join *j)
{
	uint64_t after = d->delivered - j->at;

	j->owed = false;
	send_snapshot(d, j->joiners, j->n, after > UINT32_MAX ? UINT32_MAX : (uint32_t)after);
}

/* In sync now: the snapshots this node owes (it was waiting itself when
 * their members joined). */
static void serve_owed(struct clusterd *d)
{
	size_t i;

	for (i = 0; i < d->n_joins; i++)
		if (d->joins[i].owed && is_me(d, &d->joins[i].sender))
			serve(d, &d->joins[i]);
}

static void join_drop(struct clusterd *d, size_t i)
{
	memmove(&d->joins[i], &d->joins[i + 1], (d->n_joins - i - 1) * sizeof(d->joins[0]));
	d->n_joins--;
}

static void join_add(struct clusterd *d, const struct cpg_address *joined, size_t n_joined,
		     const struct clusterd_peer *low)
{
	struct clusterd_join *j;
	size_t i;

	if (d->n_joins == CLUSTERD_JOINS_MAX) {
		pp_warn("Cluster: %d joins waiting for their snapshot: the oldest forgotten",
			CLUSTERD_JOINS_MAX);
		join_drop(d, 0);
	}
	j = &d->joins[d->n_joins++];
	memset(j, 0, sizeof(*j));
	for (i = 0; i < n_joined && j->n < PP_CLUSTER_FOR_MAX; i++) {
		j->joiners[j->n].node = joined[i].nodeid;
		j->joiners[j->n].pid = joined[i].pid;
		j->n++;
	}
	for (i = 0; i < d->n_members; i++) {
		if (in_list(joined, n_joined, d->members[i].node, d->members[i].pid))
			continue;
		j->old[j->n_old].node = d->members[i].node;
		j->old[j->n_old].pid = d->members[i].pid;
		j->n_old++;
	}
	j->sender.node = low->node;
	j->sender.pid = low->pid;
	j->at = d->delivered;
}

/* A snapshot's last part delivered: its join is served. */
static void join_served(struct clusterd *d, const struct pp_cluster_msg *m, uint32_t pid)
{
	size_t i;
	unsigned int k, f;

	for (i = 0; i < d->n_joins; ) {
		struct clusterd_join *j = &d->joins[i];
		bool hit = j->sender.node == m->node && j->sender.pid == pid;

		for (k = 0; hit && k < j->n; k++)
			for (f = 0; f < m->nfor; f++)
				if (j->joiners[k].node == m->forp[f].node &&
				    j->joiners[k].pid == m->forp[f].pid)
					goto served;
		i++;
		continue;
served:
		join_drop(d, i);
	}
}

/*
 * Members left: a join whose sender left is owed by the lowest of its old
 * members still here; a joiner waiting on it drops the parts it had and
 * waits for the new sender's snapshot, which says how many of the
 * messages it holds ("after"). No old member left: the joiners are on
 * their own.
 */
static void joins_left(struct clusterd *d)
{
	size_t i, k;

	for (i = 0; i < d->n_joins; ) {
		struct clusterd_join *j = &d->joins[i];
		const struct pp_cluster_peer *low = NULL;
		bool mine = false;
		unsigned int n = 0;

		for (k = 0; k < j->n; k++) {
			if (!is_member(d, &j->joiners[k]))
				continue;
			mine |= is_me(d, &j->joiners[k]);
			j->joiners[n++] = j->joiners[k];
		}
		j->n = n;
		if (!n) {
			join_drop(d, i);
			continue;
		}
		if (is_member(d, &j->sender)) {
			i++;
			continue;
		}
		for (k = 0; k < j->n_old; k++)
			if (is_member(d, &j->old[k]) && (!low || lower(&j->old[k], low)))
				low = &j->old[k];
		if (!low) {
			if (mine && d->state == CLUSTERD_WAITING && !d->tentative) {
				size_t b;

				pp_notice("Cluster: every member older than this node left before its snapshot: this node's state stands, then %zu messages that followed",
					  d->backlog_n);
				d->state = CLUSTERD_SYNCED;
				for (b = 0; b < d->backlog_n; b++)
					apply(d, &d->backlog[b]);
				clusterd_reset_sync(d);
			}
			join_drop(d, i);
			continue;
		}
		pp_notice("Cluster: node %u left before its snapshot for %u joining member(s): node %u sends it",
			  j->sender.node, j->n, low->node);
		j->sender = *low;
		if (mine && d->state == CLUSTERD_WAITING) {
			/* Parts of the one that left: gone; the held messages stay. */
			d->snap_n = 0;
			d->snap_next = 0;
			d->snap_settings_ok = false;
			free(d->snap_file);
			d->snap_file = NULL;
		}
		if (is_me(d, low)) {
			j->owed = true;
			if (d->state == CLUSTERD_SYNCED) {
				serve(d, j);
				/* The entry goes when its last part is delivered. */
			}
		}
		i++;
	}
}

void clusterd_confchg(struct clusterd *d, const struct cpg_address *joined, size_t n_joined)
{
	const struct clusterd_peer *low = NULL;
	size_t i, n_old = 0;

	for (i = 0; i < d->n_members; i++) {
		const struct clusterd_peer *p = &d->members[i];

		if (in_list(joined, n_joined, p->node, p->pid))
			continue;
		n_old++;
		if (!low || p->node < low->node || (p->node == low->node && p->pid < low->pid))
			low = p;
	}
	if (in_list(joined, n_joined, d->node, d->pid)) {
		clusterd_reset_sync(d);
		d->n_joins = 0;		/* earlier joins: not this process's */
		d->ctl_since_join = false;
		if (!n_old) {
			d->state = CLUSTERD_SYNCED;
			pp_notice("Cluster: first member of group %s: this node's activations are the cluster's",
				  d->conf.group);
		} else {
			d->state = CLUSTERD_WAITING;
			join_add(d, joined, n_joined, low);
			pp_notice("Cluster: joined group %s with %zu member(s): waiting for the snapshot of node %u",
				  d->conf.group, n_old, low->node);
		}
		return;
	}
	joins_left(d);
	if (d->state == CLUSTERD_WAITING && n_old == 1) {
		/* Alone now: nobody else to learn from. */
		clusterd_reset_sync(d);
		d->state = CLUSTERD_SYNCED;
		d->n_joins = 0;
		pp_notice("Cluster: alone in group %s: this node's activations are the cluster's",
			  d->conf.group);
		serve_owed(d);
	}
	if (!n_joined)
		return;
	join_add(d, joined, n_joined, low);
	if (low && low->node == d->node && low->pid == d->pid) {
		if (d->state == CLUSTERD_SYNCED) {
			send_snapshot(d, d->joins[d->n_joins - 1].joiners,
				      d->joins[d->n_joins - 1].n, 0);
		} else {
			d->joins[d->n_joins - 1].owed = true;
			pp_notice("Cluster: not in sync myself: the snapshot for the joining member(s) follows once this node is");
		}
	}
	/*
	 * Merged with members of which one is lower than every member of this
	 * side: if they were a side of a partition, theirs is the cluster's
	 * state and their lowest member sends it; if they are new, nothing
	 * comes. Hold what is delivered meanwhile, in order, either way.
	 */
	for (i = 0; i < n_joined && low; i++)
		if (joined[i].nodeid < low->node ||
		    (joined[i].nodeid == low->node && joined[i].pid < low->pid))
			break;
	if (i < n_joined && d->state == CLUSTERD_SYNCED) {
		struct timeval tv = { .tv_sec = CLUSTERD_MERGE_WAIT };

		clusterd_reset_sync(d);
		d->state = CLUSTERD_WAITING;
		d->tentative = true;
		if (d->wait_ev)
			event_add(d->wait_ev, &tv);
		pp_notice("Cluster: node %u joined, lower than this side's members: waiting %d s for its side's snapshot",
			  joined[i].nodeid, CLUSTERD_MERGE_WAIT);
	}
}

/* ---- the control socket ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Node id's name as a word of "stats": its id when the name is not
 * printable ASCII (cluster.xml allows UTF-8) or could be taken for a
 * list (a comma). */
static const char *stat_name(const struct clusterd *d, uint32_t id, char *buf, size_t len)
{
	const char *p;

	clusterd_node_name(d, id, buf, len);
	for (p = buf; *p; p++)
		if (!isgraph((unsigned char)*p) || *p == ',') {
			snprintf(buf, len, "%" PRIu32, id);
			break;
		}
	return buf;
}

/* "member_names": the members' names in the order of "members", as
 * many as fit in a word of "stats", then "+N" for the N left out. */
static void names_stat(FILE *f, const struct clusterd *d, const uint32_t *nodes, size_t n)
{
	char word[200] = "-", name[PP_NAME_MAX];
	size_t i, off = 0;

	for (i = 0; i < n; i++) {
		size_t len = strlen(stat_name(d, nodes[i], name, sizeof(name)));

		/* Room kept for ",+NNN" (at most CLUSTERD_MEMBERS_MAX). */
		if (off + 1 + len + 5 >= sizeof(word)) {
			snprintf(word + off, sizeof(word) - off, "%s+%zu", i ? "," : "", n - i);
			break;
		}
		off += (size_t)snprintf(word + off, sizeof(word) - off, "%s%s", i ? "," : "",
					name);
	}
	pp_ctl_stat_word(f, "member_names", word);
}

void clusterd_stats_write(FILE *f, const struct clusterd *d)
{
	uint32_t nodes[CLUSTERD_MEMBERS_MAX];
	char word[CLUSTERD_MEMBERS_MAX * 11 + 1] = "", name[PP_NAME_MAX];
	size_t i, n = 0, off = 0;

	pp_ctl_stat(f, "messages_sent", d->st.sent);
	pp_ctl_stat(f, "messages_not_sent", d->st.send_failed);
	pp_ctl_stat(f, "messages_received", d->st.received);
	pp_ctl_stat(f, "messages_applied", d->st.applied);
	pp_ctl_stat(f, "apply_failed", d->st.apply_failed);
	pp_ctl_stat(f, "dropped_garbage", d->st.dropped_garbage);
	pp_ctl_stat(f, "dropped_not_member", d->st.dropped_foreign);
	pp_ctl_stat(f, "dropped_stale", d->st.dropped_stale);
	pp_ctl_stat(f, "snapshots_sent", d->st.snapshots_sent);
	pp_ctl_stat(f, "snapshots_applied", d->st.snapshots_applied);
	pp_ctl_stat(f, "publishes_sent", d->st.publishes_sent);
	pp_ctl_stat(f, "publishes_applied", d->st.publishes_applied);
	pp_ctl_stat(f, "settings_sent", d->st.settings_sent);
	pp_ctl_stat(f, "settings_applied", d->st.settings_applied);
	pp_ctl_stat(f, "module_events_lost", d->st.events_lost);
	pp_ctl_stat(f, "membership_changes", d->st.confchgs);
	pp_ctl_stat_word(f, "group", d->conf.group);
	pp_ctl_stat_word(f, "corosync", d->joined || d->q_open ? "up" : "down");
	pp_ctl_stat_word(f, "quorum_gate", d->gate == CLUSTERD_GATE_ON ? "on" :
			 d->gate == CLUSTERD_GATE_OFF ? "off" : "-");
	pp_ctl_stat_word(f, "quorate", d->gate != CLUSTERD_GATE_ON ? "-" :
			 d->quorate ? "yes" : "no");
	pp_ctl_stat(f, "node_id", d->node);
	pp_ctl_stat_word(f, "node_name", stat_name(d, d->node, name, sizeof(name)));
	pp_ctl_stat_word(f, "state", clusterd_state_name(d->state));
	pp_ctl_stat_word(f, "in_sync", d->state == CLUSTERD_SYNCED ? "yes" : "no");
	/* Members: their node ids, once each, in order. */
	for (i = 0; i < d->n_members; i++) {
		size_t j;

		for (j = 0; j < n && nodes[j] != d->members[i].node; j++)
			;
		if (j == n)
			nodes[n++] = d->members[i].node;
	}
	qsort(nodes, n, sizeof(nodes[0]), cmp_u32);
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(word + off, sizeof(word) - off, "%s%" PRIu32,
					i ? "," : "", nodes[i]);
	pp_ctl_stat_word(f, "members", n ? word : "-");
	names_stat(f, d, nodes, n);
	pp_ctl_stat(f, "member_processes", d->n_members);
	pp_ctl_stat(f, "last_change_ms", d->last_change_ms);
	pp_ctl_stat(f, "published_bytes", d->published_len);
	pp_ctl_stat(f, "published_by_node", d->published_node);
	clusterd_regs_stats(f, d);
	clusterd_certs_stats(f, d);
}
