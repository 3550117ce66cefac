// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-clusterd: the registrations through each node's SCCP proxy, shared
 * (docs/cluster.md, "Registrations"). A registration is a fact of the
 * node whose proxy carries the phone's connection, so each node is the
 * only source of its own: it multicasts REGISTER or UNREGISTER as its
 * module announces them (the user's state read back from the module, so
 * the message says what is, not an edge that could arrive out of order
 * with another connection's), and its whole list (REGLIST) whenever a
 * process joins the group; a member that leaves takes its registrations
 * with it. No conflict to resolve: no two nodes speak for one entry.
 *
 * What the other nodes' registrations mean here: the idle timeout. A
 * node the phone keeps no connection to (its tertiary, say) would time
 * the user out after the idle timeout and refuse the phone when it fails
 * over there. So this node tells its module, per active user, whether
 * the phone at that address is registered through another node now
 * (PP_CMD_USER_REMOTE_SET): while it is, the module's idle timeout waits
 * as for a connection of its own, and counts from the end of it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clusterd.h"
#include "ctlsock.h"
#include "log.h"

static struct clusterd_reg *find(struct clusterd *d, uint32_t node, uint32_t pid,
				 const char *name)
{
	size_t i;

	for (i = 0; i < d->n_regs; i++)
		if (d->regs[i].node == node && d->regs[i].pid == pid &&
		    !strcmp(d->regs[i].name, name))
			return &d->regs[i];
	return NULL;
}

static void del_at(struct clusterd *d, size_t i)
{
	d->regs[i] = d->regs[--d->n_regs];
}

/* Drop the registrations of @node/@pid (every pid when @pid is 0). */
static void drop(struct clusterd *d, uint32_t node, uint32_t pid)
{
	size_t i = 0;

	while (i < d->n_regs)
		if (d->regs[i].node == node && (!pid || d->regs[i].pid == pid))
			del_at(d, i);
		else
			i++;
}

static void set(struct clusterd *d, const struct clusterd_peer *p,
		const struct pp_cluster_entry *e, uint64_t ms)
{
	struct clusterd_reg *r = find(d, p->node, p->pid, e->name);

	if (!r) {
		if (d->n_regs == CLUSTERD_REGS_MAX) {
			d->st.regs_dropped++;
			return;
		}
		if (d->n_regs == d->regs_cap) {
			size_t cap = d->regs_cap ? d->regs_cap * 2 : 256;
			struct clusterd_reg *n = realloc(d->regs, cap * sizeof(*n));

			if (!n) {
				d->st.regs_dropped++;
				return;
			}
			d->regs = n;
			d->regs_cap = cap;
		}
		r = &d->regs[d->n_regs++];
		r->node = p->node;
		r->pid = p->pid;
		snprintf(r->name, sizeof(r->name), "%s", e->name);
	}
	r->addr = e->addr;
	r->since_ms = ms;
}

/* ---- the module's view: registered through another node ---- */

/* Registered through another node than this one at @addr? */
static bool remote_at(const struct clusterd *d, const char *name, uint32_t addr)
{
	size_t i;

	for (i = 0; i < d->n_regs; i++)
		if (d->regs[i].node != d->node && d->regs[i].addr == addr &&
		    !strcmp(d->regs[i].name, name))
			return true;
	return false;
}

/* Tell the module what it should hold for @u; false when it is gone. */
static bool remote_tell(struct clusterd *d, struct pp_nl *nl,
			const struct pp_user_state *u, bool want)
{
	int rc;

	if (!u->active || u->remote_registered == want)
		return true;
	rc = pp_user_remote_set(nl, u->name, u->addr, want);
	if (rc == -ENOENT || rc == -ESRCH || rc == -ESTALE)
		return true;	/* changed meanwhile: its event comes */
	if (rc) {
		pp_warn("Cluster: cannot tell the module that %s is %sregistered through another node: %s",
			u->name, want ? "" : "no longer ", pp_nl_error(nl));
		pp_follow_nl_reset(d->follow);
		return false;
	}
	d->st.remote_set++;
	return true;
}

void clusterd_regs_remote_user(struct clusterd *d, const char *name)
{
	struct pp_nl *nl = pp_follow_nl(d->follow);
	struct pp_user_state u;
	int rc;

	if (!nl || !name[0])
		return;
	rc = pp_user_get(nl, name, 0, &u);
	if (rc) {
		if (rc != -ENOENT)	/* no such user: nothing to tell */
			pp_follow_nl_reset(d->follow);
		return;
	}
	remote_tell(d, nl, &u, u.active && remote_at(d, name, u.addr));
}

static int name_addr_cmp(const void *a, const void *b)
{
	const struct clusterd_reg *x = *(const struct clusterd_reg *const *)a;
	const struct clusterd_reg *y = *(const struct clusterd_reg *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->addr > y->addr) - (x->addr < y->addr);
}

void clusterd_regs_remote_all(struct clusterd *d)
{
	struct clusterd_reg **remote, key, *kp = &key;
	struct pp_user_state *users;
	size_t i, n, k = 0;
	struct pp_nl *nl = pp_follow_nl(d->follow);

	if (!nl)
		return;
	if (pp_user_list(nl, &users, &n)) {
		pp_follow_nl_reset(d->follow);
		return;
	}
	/* Sorted once: O((users + registrations) log registrations). */
	remote = calloc(d->n_regs ? d->n_regs : 1, sizeof(*remote));
	if (!remote) {
		free(users);
		return;
	}
	for (i = 0; i < d->n_regs; i++)
		if (d->regs[i].node != d->node)
			remote[k++] = &d->regs[i];
	qsort(remote, k, sizeof(*remote), name_addr_cmp);
	for (i = 0; i < n; i++) {
		if (!users[i].active)
			continue;
		snprintf(key.name, sizeof(key.name), "%s", users[i].name);
		key.addr = users[i].addr;
		if (!remote_tell(d, nl, &users[i],
				 bsearch(&kp, remote, k, sizeof(*remote),
					 name_addr_cmp) != NULL))
			break;
	}
	free(remote);
	free(users);
}

void clusterd_regs_deliver(struct clusterd *d, const struct pp_cluster_msg *m,
			   const struct clusterd_peer *p)
{
	struct clusterd_reg *r;
	uint32_t i;

	switch (m->type) {
	case PP_CLUSTER_REGISTER:
		set(d, p, &m->user, m->time_ms);
		break;
	case PP_CLUSTER_UNREGISTER:
		r = find(d, p->node, p->pid, m->user.name);
		if (r)
			del_at(d, (size_t)(r - d->regs));
		break;
	case PP_CLUSTER_REGLIST:
		if (m->part == 0)
			drop(d, p->node, p->pid);
		for (i = 0; i < m->count; i++)
			set(d, p, &m->entries[i], m->time_ms);
		break;
	}
	d->st.regs_applied++;
	if (p->node == d->node)
		return;		/* this node's own: its module knows */
	if (m->type == PP_CLUSTER_REGLIST) {
		if (m->part + 1 == m->parts)
			clusterd_regs_remote_all(d);
	} else {
		clusterd_regs_remote_user(d, m->user.name);
	}
}

void clusterd_regs_local(struct clusterd *d, const struct pp_event_info *ev)
{
	struct pp_cluster_msg m = { 0 };
	struct pp_user_state u;
	struct pp_nl *nl;

	if (!ev->name[0] || !d->joined)
		return;		/* not an active user's; or told at the next join */
	nl = pp_follow_nl(d->follow);
	if (!nl)
		return;
	if (pp_user_get(nl, ev->name, 0, &u)) {
		pp_follow_nl_reset(d->follow);
		return;
	}
	snprintf(m.user.name, sizeof(m.user.name), "%s", ev->name);
	if (u.active && u.registered > 0) {
		m.type = PP_CLUSTER_REGISTER;
		m.user.addr = u.addr;
	} else {
		m.type = PP_CLUSTER_UNREGISTER;
	}
	if (!clusterd_send(d, &m))
		d->st.regs_sent++;
}

void clusterd_regs_announce(struct clusterd *d)
{
	struct pp_cluster_entry *e;
	struct pp_cluster_msg m = { .type = PP_CLUSTER_REGLIST };
	struct pp_user_state *users;
	size_t n, i, k = 0, off;
	struct pp_nl *nl;

	nl = pp_follow_nl(d->follow);
	if (!d->joined || !nl)
		return;
	if (pp_user_list(nl, &users, &n)) {
		pp_warn("Cluster: cannot read this node's registrations: %s", pp_nl_error(nl));
		pp_follow_nl_reset(d->follow);
		return;
	}
	e = calloc(n ? n : 1, sizeof(*e));
	if (!e) {
		free(users);
		return;
	}
	for (i = 0; i < n; i++)
		if (users[i].active && users[i].registered > 0) {
			snprintf(e[k].name, sizeof(e[k].name), "%s", users[i].name);
			e[k++].addr = users[i].addr;
		}
	free(users);
	m.parts = (uint16_t)(k ? (k + PP_CLUSTER_SNAP_CHUNK - 1) / PP_CLUSTER_SNAP_CHUNK : 1);
	for (off = 0, m.part = 0; m.part < m.parts; m.part++, off += m.count) {
		m.count = (uint32_t)(k - off < PP_CLUSTER_SNAP_CHUNK ? k - off :
				     PP_CLUSTER_SNAP_CHUNK);
		m.entries = e + off;
		if (clusterd_send(d, &m))
			break;
	}
	free(e);
	d->st.reglists_sent++;
}

void clusterd_regs_members(struct clusterd *d, size_t n_joined)
{
	size_t i = 0, j;

	bool gone = false;

	/* A process that left takes its registrations with it. */
	while (i < d->n_regs) {
		for (j = 0; j < d->n_members; j++)
			if (d->members[j].node == d->regs[i].node &&
			    d->members[j].pid == d->regs[i].pid)
				break;
		if (j == d->n_members) {
			gone |= d->regs[i].node != d->node;
			del_at(d, i);
		} else {
			i++;
		}
	}
	if (gone)
		clusterd_regs_remote_all(d);
	/* Someone came (this process included): every member says its own. */
	if (n_joined)
		clusterd_regs_announce(d);
}

void clusterd_regs_stats(FILE *f, const struct clusterd *d)
{
	char word[CLUSTERD_MEMBERS_MAX * 24 + 1] = "";
	uint32_t nodes[CLUSTERD_MEMBERS_MAX];
	size_t i, j, n = 0, off = 0;

	pp_ctl_stat(f, "registrations", d->n_regs);
	/* Per node id, in order: "1:12,2:0,3:7". */
	for (i = 0; i < d->n_members; i++) {
		for (j = 0; j < n && nodes[j] != d->members[i].node; j++)
			;
		if (j == n)
			nodes[n++] = d->members[i].node;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && nodes[j - 1] > nodes[j]; j--) {
			uint32_t t = nodes[j];

			nodes[j] = nodes[j - 1];
			nodes[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		size_t c = 0;

		for (j = 0; j < d->n_regs; j++)
			c += d->regs[j].node == nodes[i];
		off += (size_t)snprintf(word + off, sizeof(word) - off, "%s%" PRIu32 ":%zu",
					i ? "," : "", nodes[i], c);
	}
	pp_ctl_stat_word(f, "registrations_by_node", n ? word : "-");
	pp_ctl_stat(f, "registration_messages_sent", d->st.regs_sent);
	pp_ctl_stat(f, "registration_lists_sent", d->st.reglists_sent);
	pp_ctl_stat(f, "registration_messages_applied", d->st.regs_applied);
	pp_ctl_stat(f, "registrations_dropped", d->st.regs_dropped);
	pp_ctl_stat(f, "remote_registered_set", d->st.remote_set);
}

static int reg_cmp(const void *a, const void *b)
{
	const struct clusterd_reg *x = *(const struct clusterd_reg *const *)a;
	const struct clusterd_reg *y = *(const struct clusterd_reg *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->node > y->node) - (x->node < y->node);
}

void clusterd_regs_query(FILE *f, const struct clusterd *d, const char *after)
{
	/* Room for the longest line and "more", inside PP_CTL_MAX. */
	char line[PP_NAME_MAX + CLUSTERD_MEMBERS_MAX * 11 + 8];
	/* The first reply: "self", the node names, one user's line at least. */
	_Static_assert(16 + PP_CLUSTER_NODES_MAX * (16 + PP_NAME_MAX) + sizeof(line) +
		       sizeof("more\n") <= PP_CTL_MAX, "the node names leave no room");
	const struct clusterd_reg **v;
	size_t i, n = 0, used;
	int len;

	used = (size_t)fprintf(f, "self %" PRIu32 "\n", d->node);
	/* The first reply names the nodes (at most PP_CLUSTER_NODES_MAX lines
	 * of at most 80 bytes: room is left for a user's line). */
	for (i = 0; !after && i < d->n_cnodes; i++) {
		char name[PP_NAME_MAX], id[16];

		clusterd_node_name(d, d->cnodes[i].id, name, sizeof(name));
		snprintf(id, sizeof(id), "%" PRIu32, d->cnodes[i].id);
		if (strcmp(name, id))
			used += (size_t)fprintf(f, "node %s %s\n", id, name);
	}
	v = malloc((d->n_regs ? d->n_regs : 1) * sizeof(*v));
	if (!v)
		return;		/* no "end": the asker takes it as a bad reply */
	for (i = 0; i < d->n_regs; i++)
		if (!after || strcmp(d->regs[i].name, after) > 0)
			v[n++] = &d->regs[i];
	qsort(v, n, sizeof(*v), reg_cmp);
	for (i = 0; i < n;) {
		size_t j = i + 1;

		len = snprintf(line, sizeof(line), "user %s %" PRIu32, v[i]->name, v[i]->node);
		/* The same user through several nodes (or processes): one line. */
		for (; j < n && !strcmp(v[j]->name, v[i]->name); j++)
			if (v[j]->node != v[j - 1]->node && len > 0 && (size_t)len < sizeof(line))
				len += snprintf(line + len, sizeof(line) - (size_t)len, ",%" PRIu32,
						v[j]->node);
		if (len < 0 || (size_t)len >= sizeof(line) - 1 ||
		    used + (size_t)len + 1 + sizeof("more\n") > PP_CTL_MAX) {
			fputs("more\n", f);
			free(v);
			return;
		}
		fprintf(f, "%s\n", line);
		used += (size_t)len + 1;
		i = j;
	}
	free(v);
	fputs("end\n", f);
}
