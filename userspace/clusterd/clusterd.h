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

#include <corosync/cmap.h>
#include <corosync/cpg.h>
#include <corosync/quorum.h>
#include <event2/event.h>

#include "cluster.h"
#include "cluster_xml.h"
#include "daemon.h"
#include "file.h"
#include "ops.h"

#define CLUSTERD_MEMBERS_MAX	128	/* CPG's own limit */
#define CLUSTERD_BACKLOG_MAX	100000	/* messages held while waiting */
#define CLUSTERD_MERGE_WAIT	3	/* seconds for the other side's snapshot */
#define CLUSTERD_JOINS_MAX	8	/* joins waiting for their snapshot */
#define CLUSTERD_REGS_MAX	1000000	/* registrations known, cluster-wide */

/* A registration through a member's SCCP proxy (regs.c). */
struct clusterd_reg {
	uint32_t node, pid;		/* the member that carries it */
	char name[PP_NAME_MAX];		/* the user */
	uint32_t addr;			/* the phone, network order */
	uint64_t since_ms;		/* the member's time when it said so */
};

struct clusterd_peer {
	uint32_t node, pid;
	uint64_t last_seq;		/* highest sequence delivered from it */
	/* A users.xml it is sending (PUBLISH parts): the bytes so far. */
	unsigned char *file;
	uint32_t file_total;
	unsigned int file_next;		/* the part expected next */
	bool file_snap;			/* part of a snapshot (nfor > 0) */
	/* A CTL set it is sending (CTL parts, certs.c). */
	unsigned char *ctl;
	uint32_t ctl_total;
	unsigned int ctl_next;
	bool ctl_snap;
};

struct clusterd_stats {
	uint64_t sent, send_failed, received, applied, apply_failed;
	uint64_t dropped_garbage, dropped_foreign, dropped_stale;
	uint64_t snapshots_sent, snapshots_applied, events_lost, confchgs;
	uint64_t publishes_sent, publishes_applied, settings_sent, settings_applied;
	uint64_t regs_sent, reglists_sent, regs_applied, regs_dropped;
	uint64_t remote_set;	/* PP_CMD_USER_REMOTE_SET sent */
	uint64_t certs_sent, certs_applied, certs_dropped, ctl_sent, ctl_applied, ctl_dropped;
};

/*
 * A join whose snapshot has not been delivered yet, as every member keeps
 * it: who joined, who were the members before (one of them owes the
 * snapshot: the lowest still there), how many messages had been delivered
 * then (a snapshot taken later says how many since it holds: "after").
 */
struct clusterd_join {
	struct pp_cluster_peer joiners[PP_CLUSTER_FOR_MAX];
	unsigned int n;
	struct pp_cluster_peer old[CLUSTERD_MEMBERS_MAX];
	size_t n_old;
	struct pp_cluster_peer sender;
	uint64_t at;			/* d->delivered at the join */
	bool owed;			/* this node sends it once in sync */
};

enum clusterd_state {
	CLUSTERD_DOWN,			/* not connected to corosync */
	CLUSTERD_QUORUM,		/* not quorate: out of the group */
	CLUSTERD_WAITING,		/* joined, waiting for a snapshot */
	CLUSTERD_SYNCED,		/* in sync with the group */
};

enum clusterd_gate {
	CLUSTERD_GATE_UNKNOWN,		/* corosync not reached yet */
	CLUSTERD_GATE_ON,		/* votequorum: joined only while quorate */
	CLUSTERD_GATE_OFF,		/* no quorum provider: joined at once */
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
	const char *lost_what;
	struct event *cpg_ev, *retry_ev;
	uint32_t node, pid;
	enum clusterd_state state;
	struct clusterd_peer members[CLUSTERD_MEMBERS_MAX];
	size_t n_members;
	uint64_t seq;			/* of the last message sent */
	uint64_t last_change_ms;	/* last message applied, sender's time */
	/* The quorum gate (quorum.c): in the group only while quorate. */
	quorum_handle_t q;
	bool q_open, quorate;
	enum clusterd_gate gate;
	cs_error_t q_err;
	struct event *q_ev;

	/* Waiting for a snapshot: its parts, and what came after the join. */
	struct pp_cluster_entry *snap;
	size_t snap_n, snap_cap;
	struct clusterd_peer snap_from;	/* the member the snapshot comes from */
	unsigned int snap_next;		/* the part expected next */
	uint32_t snap_after;		/* backlog messages it holds already */
	struct clusterd_join joins[CLUSTERD_JOINS_MAX];
	size_t n_joins;
	/* Messages delivered that a joiner holds while waiting (ACTIVATE,
	 * INACTIVATE, SETTINGS and whole PUBLISH files for everyone). */
	uint64_t delivered;
	struct pp_cluster_msg *backlog;
	size_t backlog_n, backlog_cap;
	/* Merged with a side holding a lower member: its snapshot may come
	 * (a partition healed) or not (fresh members): wait_ev decides. */
	bool tentative;
	struct event *wait_ev;
	/* The snapshot's settings and users.xml (they precede its parts). */
	bool snap_settings_ok;
	struct pp_cluster_settings snap_settings;
	struct clusterd_peer snap_settings_from;
	unsigned char *snap_file;
	size_t snap_file_len;
	struct clusterd_peer snap_file_from;

	/* What this node holds as the cluster's: the users.xml published
	 * (NULL: none), the cluster-wide settings (the module's, as last
	 * seen or applied). */
	unsigned char *published;
	size_t published_len;
	uint64_t published_ms;		/* when, sender's time */
	uint32_t published_node;
	bool settings_known;
	struct pp_cluster_settings settings;

	/* Secure SCCP (certs.c): this node's north address (announced with
	 * its certificates), the CTL last put in place from the cluster. */
	uint32_t north;
	bool ctl_known, ctl_since_join;
	unsigned char ctl_sha[32];
	uint32_t ctl_node;

	/* The nodes' names (names.c): Corosync's nodelist read through
	 * cmap (kept when cmap goes away), cluster.xml's proxies. */
	cmap_handle_t cmap;
	bool cmap_open, cmap_dirty;
	cmap_track_handle_t cmap_track;
	struct event *cmap_ev;
	struct pp_corosync_node cnodes[PP_CLUSTER_NODES_MAX];
	size_t n_cnodes;
	struct pp_cluster_xml *xml;	/* NULL: none, or refused */
	struct pp_fileid xml_id;

	/* The registrations through every member (regs.c). */
	struct clusterd_reg *regs;
	size_t n_regs, regs_cap;

	struct clusterd_stats st;
};

/* cpg.c */
void clusterd_cpg_connect(struct clusterd *d);
void clusterd_cpg_close(struct clusterd *d);
/* A connection to corosync lost: both closed, retried. */
void clusterd_lost(struct clusterd *d, const char *what, cs_error_t e);
/* A dispatch on ev failed: clusterd_lost on the loop's next turn. */
void clusterd_lost_later(struct clusterd *d, struct event *ev, const char *what, cs_error_t e);

/* quorum.c: the quorum gate. */
/* Reach corosync: the quorum service, then the group if quorate (or the
 * gate off). At start and from the retry timer. */
void clusterd_connect(struct clusterd *d);
void clusterd_quorum_close(struct clusterd *d);
/* The quorum service says quorate or not: join, or leave and wait. */
void clusterd_quorate(struct clusterd *d, bool quorate, uint32_t nodes);
/* Why this node is out of the group: "not quorate" or "corosync down". */
const char *clusterd_apart(const struct clusterd *d);
/* Multicast m (node, seq, time filled here) in agreed order. */
int clusterd_send(struct clusterd *d, struct pp_cluster_msg *m);

/* apply.c */
/* A local activation or inactivation the module announced. */
void clusterd_local_event(struct clusterd *d, const struct pp_event_info *ev);
/* A delivered message, validated, from a member. */
void clusterd_deliver(struct clusterd *d, const struct pp_cluster_msg *m,
		      struct clusterd_peer *p);
/* Does m (a snapshot's: nfor > 0) name this process among its joiners? */
bool clusterd_for_me(const struct clusterd *d, const struct pp_cluster_msg *m);
/* Hold m (a copy, entries not kept) until the snapshot: the slot or NULL. */
struct pp_cluster_msg *clusterd_backlog_add(struct clusterd *d, const struct pp_cluster_msg *m);
/* Membership changed; joined names who came. */
void clusterd_confchg(struct clusterd *d, const struct cpg_address *joined, size_t n_joined);
/* Leave the group and join again (a joiner that missed part of a file). */
void clusterd_rejoin(struct clusterd *d);
void clusterd_reset_sync(struct clusterd *d);
/* No snapshot came within CLUSTERD_MERGE_WAIT after a merge. */
void clusterd_merge_timeout(struct clusterd *d);

void clusterd_stats_write(FILE *f, const struct clusterd *d);

/* regs.c: the registrations through each member's SCCP proxy. */
/* A REGISTER, UNREGISTER or REGLIST from member p. */
void clusterd_regs_deliver(struct clusterd *d, const struct pp_cluster_msg *m,
			   const struct clusterd_peer *p);
/* The module announced a registration change here: say what is now. */
void clusterd_regs_local(struct clusterd *d, const struct pp_event_info *ev);
/* Multicast this node's whole list (REGLIST parts). */
void clusterd_regs_announce(struct clusterd *d);
/* The members changed (d->members is the new list): forget the ones that
 * left; when n_joined, announce this node's list. */
void clusterd_regs_members(struct clusterd *d, size_t n_joined);
void clusterd_regs_stats(FILE *f, const struct clusterd *d);
/*
 * Tell the module whether user @name (all active users) is registered
 * through another node now: its idle timeout waits while so.
 */
void clusterd_regs_remote_user(struct clusterd *d, const char *name);
void clusterd_regs_remote_all(struct clusterd *d);
/* The reply to "registrations [AFTER]" (lib/ctlsock.h): users after
 * AFTER (NULL: all), sorted, and the nodes they are registered through. */
void clusterd_regs_query(FILE *f, const struct clusterd *d, const char *after);

/* names.c: the nodes' names (docs/cluster.md "Registrations"). */
/* Reach cmap, track the nodelist and read it (in the group: at the join,
 * and at each membership change while cmap is not reached). */
void clusterd_names_open(struct clusterd *d);
void clusterd_names_close(struct clusterd *d);
/* Read cluster.xml again if it changed (before answering a question). */
void clusterd_names_refresh(struct clusterd *d);
/* Node id's name: cluster.xml's, else the nodelist's, else the id. */
const char *clusterd_node_name(const struct clusterd *d, uint32_t id, char *buf, size_t len);

/* shared.c: the published users.xml and the cluster-wide settings. */
/* At start: the users.xml kept in the state directory is the node's. */
void clusterd_published_load(struct clusterd *d);
/* "reload" on the control socket (ppctl publish): replicate the users.xml
 * just published here. Returns the reply ("ok\n" or "error ..."). */
const char *clusterd_publish_local(struct clusterd *d, char *reply, size_t len);
/* A PUBLISH part delivered: assembled per sender, then applied (or held
 * while waiting, or kept for the snapshot). */
void clusterd_publish_part(struct clusterd *d, const struct pp_cluster_msg *m,
			   struct clusterd_peer *p);
/* Multicast a file in parts of PP_CLUSTER_FILE_CHUNK: PUBLISH (users.xml)
 * or CTL (a CTL set), for every node or the joiners forwho names. */
int clusterd_send_file(struct clusterd *d, uint8_t type, const unsigned char *buf, size_t len,
		       const struct pp_cluster_msg *forwho);
/* Install a whole users.xml from node (validated first). 0 or -errno. */
int clusterd_publish_apply(struct clusterd *d, const unsigned char *buf, size_t len,
			   uint32_t node);
/* The module's configuration (NULL: unloaded): a local change of the
 * cluster-wide settings is multicast. */
void clusterd_config_seen(struct clusterd *d, const struct pp_config *cfg);
int clusterd_settings_apply(struct clusterd *d, const struct pp_cluster_settings *s,
			    uint32_t node);
/* Multicast the settings and the users.xml this node holds, for the
 * joiners named in m (m->nfor, m->forp). 0 or -errno. */
int clusterd_send_shared(struct clusterd *d, const struct pp_cluster_msg *m);
void clusterd_peer_free(struct clusterd_peer *p);
const char *clusterd_state_name(enum clusterd_state s);

/* certs.c: the nodes' certificates and the CTL (secure SCCP). */
/* Multicast this node's tftp and capf certificates, if it has them. */
void clusterd_certs_announce(struct clusterd *d, const char *why);
/* Secure SCCP on from the cluster: make this node's certificates if it
 * has none, and announce them. 0 or -1 (logged). */
int clusterd_certs_ensure(struct clusterd *d);
void clusterd_certs_deliver(struct clusterd *d, const struct pp_cluster_msg *m,
			    const struct clusterd_peer *p);
/* "ctl" on the control socket (ppctl set ctl build): replicate the CTL. */
const char *clusterd_ctl_local(struct clusterd *d, char *reply, size_t len);
void clusterd_ctl_part(struct clusterd *d, const struct pp_cluster_msg *m,
		       struct clusterd_peer *p);
void clusterd_ctl_peer_free(struct clusterd_peer *p);
/* SHA-256 of this node's CTLFile.tlv: 0, or -errno (none). */
int clusterd_ctl_digest(unsigned char sha[32]);
/* For a snapshot: the certificates of nodes not members, then the CTL. */
int clusterd_secure_snapshot(struct clusterd *d, const struct pp_cluster_msg *forwho);
void clusterd_certs_stats(FILE *f, const struct clusterd *d);

#endif /* PP_CLUSTERD_H */
