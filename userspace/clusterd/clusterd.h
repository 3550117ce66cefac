/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-clusterd (docs/cluster.md): one per node, in the node's network
 * namespace. Replicates activations and inactivations over a Corosync
 * CPG group in agreed order; the module stays the source of truth.
 */
#ifndef PP_CLUSTERD_H
#define PP_CLUSTERD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <corosync/cpg.h>
#include <event2/event.h>

#include "cluster.h"
#include "daemon.h"
#include "ops.h"

#define CLUSTERD_MEMBERS_MAX	128	/* CPG's own limit */
#define CLUSTERD_BACKLOG_MAX	100000	/* messages held while waiting */
#define CLUSTERD_MERGE_WAIT	3	/* seconds for the other side's snapshot */

struct clusterd_peer {
	uint32_t node, pid;
	uint64_t last_seq;		/* highest sequence delivered from it */
};

struct clusterd_stats {
	uint64_t sent, send_failed, received, applied, apply_failed;
	uint64_t dropped_garbage, dropped_foreign, dropped_stale;
	uint64_t snapshots_sent, snapshots_applied, events_lost, confchgs;
};

enum clusterd_state {
	CLUSTERD_DOWN,			/* not connected to corosync */
	CLUSTERD_WAITING,		/* joined, waiting for a snapshot */
	CLUSTERD_SYNCED,		/* in sync with the group */
};

struct clusterd {
	struct event_base *base;
	struct pp_clusterd_conf conf;
	const char *conf_path;
	struct pp_follow *follow;
	struct event *follow_ev;
	struct pp_daemon_signals sig;
	struct pp_ctl *ctl;
	bool module;			/* the module is loaded */

	/* Corosync */
	cpg_handle_t cpg;
	bool cpg_open, joined;
	cs_error_t lost_err;
	struct event *cpg_ev, *retry_ev;
	uint32_t node, pid;
	enum clusterd_state state;
	struct clusterd_peer members[CLUSTERD_MEMBERS_MAX];
	size_t n_members;
	uint64_t seq;			/* of the last message sent */
	uint64_t last_change_ms;	/* last message applied, sender's time */

	/* Waiting for a snapshot: its parts, and what came after the join. */
	struct pp_cluster_entry *snap;
	size_t snap_n, snap_cap;
	struct clusterd_peer snap_from;
	unsigned int snap_next;		/* the part expected next */
	struct pp_cluster_msg *backlog;
	size_t backlog_n, backlog_cap;
	/* Merged with a side holding a lower member: its snapshot may come
	 * (a partition healed) or not (fresh members): wait_ev decides. */
	bool tentative;
	struct event *wait_ev;

	struct clusterd_stats st;
};

/* cpg.c */
void clusterd_cpg_connect(struct clusterd *d);
void clusterd_cpg_close(struct clusterd *d);
/* Multicast m (node, seq, time filled here) in agreed order. */
int clusterd_send(struct clusterd *d, struct pp_cluster_msg *m);

/* apply.c */
/* A local activation or inactivation the module announced. */
void clusterd_local_event(struct clusterd *d, const struct pp_event_info *ev);
/* A delivered message, validated, from a member. */
void clusterd_deliver(struct clusterd *d, const struct pp_cluster_msg *m, uint32_t pid);
/* Membership changed; joined names who came. */
void clusterd_confchg(struct clusterd *d, const struct cpg_address *joined, size_t n_joined);
void clusterd_reset_sync(struct clusterd *d);
/* No snapshot came within CLUSTERD_MERGE_WAIT after a merge. */
void clusterd_merge_timeout(struct clusterd *d);

void clusterd_stats_write(FILE *f, const struct clusterd *d);
const char *clusterd_state_name(enum clusterd_state s);

#endif /* PP_CLUSTERD_H */
