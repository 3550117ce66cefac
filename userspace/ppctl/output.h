/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl's output: the guide's tables and settings as text, or JSON (-j).
 * Pure formatting, no netlink: unit tested.
 */
#ifndef PPCTL_OUTPUT_H
#define PPCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cluster_xml.h"
#include "ops.h"

/* "show user": name, sid, addr or [inactive], duration, connected. */
void ppctl_print_users(FILE *f, bool json, const struct pp_user_state *users,
		       size_t n);
/* The cluster nodes a user's phone is registered through (docs/cluster.md
 * "Registrations"): node ids, ascending. */
#define PPCTL_USER_NODES_MAX	8
struct ppctl_user_nodes {
	uint32_t id[PPCTL_USER_NODES_MAX];
	unsigned int n;
};
/* The cluster's nodes as pp-clusterd names them: this node's id, and the
 * names of the nodes not shown by their id (cluster.xml's, corosync's). */
struct ppctl_node_names {
	uint32_t self;			/* 0: not known */
	uint32_t id[PP_CLUSTER_NODES_MAX];
	char name[PP_CLUSTER_NODES_MAX][PP_NAME_MAX];
	size_t n;
};
/* Node id's name in names (NULL: none), else the id in decimal, in buf. */
const char *ppctl_node_name(const struct ppctl_node_names *names, uint32_t id, char *buf,
			    size_t len);
/* The same with the column "node" (-j: "through", an array of {"node"
 * (the name), "node_id", "this_node"}) when nodes is not NULL (nodes[i]
 * for users[i]; names->self, "(this node)"); NULL: no cluster runs here,
 * nothing said. */
void ppctl_print_users_nodes(FILE *f, bool json, const struct pp_user_state *users,
			     size_t n, const struct ppctl_user_nodes *nodes,
			     const struct ppctl_node_names *names);
/* "show phoneproxy". */
void ppctl_print_config(FILE *f, bool json, const struct pp_config *cfg);
/* "show callmanager". */
/* hosts: NULL, or per CallManager its host name ("" or NULL: none). */
void ppctl_print_ccms(FILE *f, bool json, const struct pp_ccm_state *ccms,
		      size_t n, const char *const *hosts);
/* "show counters". */
void ppctl_print_stats(FILE *f, bool json, const struct pp_stats *st);
struct pp_json;
void ppctl_print_call_stats(FILE *f, struct pp_json *j, const struct pp_stats *st);
/*
 * "show stats", a daemon's section (its control socket's "stats" reply,
 * lib/ctlsock.h): rc is what pp_ctl_ask() returned, reply the text. Text:
 * "section" then "  name value" lines, or "section: <daemon> is not
 * running in this network namespace" (rc -ENOENT), or "section: <daemon>:
 * reason". With j: the member "section", an object of the names (numbers
 * as numbers), or null with a member "section_error" saying why.
 * Returns 0, or -1 when the daemon could not be read (not running
 * included): the rest of "show stats" is shown all the same.
 */
int ppctl_print_daemon_stats(FILE *f, struct pp_json *j, const char *section,
			     const char *daemon, int rc, const char *reply);
/*
 * "show stats -o prometheus": the text exposition format 0.0.4
 * (docs/monitoring.md). Collect the sections, then print them:
 * phoneproxy_<section>_<key>, "_total" on counters, counters by reason
 * (dropped_, refused_, reset_, ended_, denied_, not_found_) one family
 * with a "reason" label, a daemon's states as <key>_info{<key>="word"} 1,
 * and phoneproxy_up{daemon="..."} 1 or 0 for each section read or not.
 */
#define PPCTL_PROM_MODULE "phoneproxy.ko"
struct ppctl_prom_sample;
struct ppctl_prom {
	struct ppctl_prom_sample *s;
	size_t n, cap;
	bool oom;
};
void ppctl_prom_init(struct ppctl_prom *p);
/* The module's sections; st NULL: it could not be read (up 0). */
void ppctl_prom_call_stats(struct ppctl_prom *p, const struct pp_stats *st);
/* A daemon's section, rc and reply as ppctl_print_daemon_stats(); returns
 * -1 when it could not be read. */
int ppctl_prom_daemon_stats(struct ppctl_prom *p, const char *section, const char *daemon,
			    int rc, const char *reply);
/* Returns -1 (nothing printed) when memory ran out while collecting. */
int ppctl_prom_print(FILE *f, const struct ppctl_prom *p);
void ppctl_prom_free(struct ppctl_prom *p);

/* "show calls": one line (or JSON object) per media stream. */
void ppctl_print_calls(FILE *f, bool json, const struct pp_call_state *calls,
		       size_t n);
/* "monitor": one line (text or a JSON object) per event. */
void ppctl_print_event(FILE *f, bool json, const struct pp_event_info *ev);

/*
 * The running configuration as the commands that recreate it, one a line,
 * then "publish <users_path>" when users_path is not NULL.
 */
void ppctl_print_running(FILE *f, const struct pp_config *cfg,
			 const char *users_path);
/* "show config running|startup" with -j: {"path":..,"saved":..,
 * "commands":[lines without comments or blanks]}. path may be NULL. */
void ppctl_print_config_json(FILE *f, const char *path, bool saved,
			     const char *text);

/* "show version": what ppctl, the module and the kernel say. */
struct ppctl_version {
	const char *ppctl;		/* PHONEPROXY_VERSION */
	int uapi;			/* PHONEPROXY_GENL_VERSION ppctl was built with */
	bool module;			/* loaded (the family resolves) */
	char module_version[64];	/* /sys/module/phoneproxy/version, "" unknown */
	int module_uapi;		/* the family's version, < 0 unknown */
	char sysname[65], release[65], machine[65];	/* uname(2) */
};
void ppctl_print_version(FILE *f, bool json, const struct ppctl_version *v);

/*
 * "show status": whether the proxy can work. A daemon's field is what
 * pp_ctl_ask() returned: >= 0 it answered, -ENOENT not running, else why
 * it did not answer.
 */
struct ppctl_status {
	bool module;			/* loaded; the fields up to daemons need it */
	char module_error[128];		/* why not */
	uint32_t north_addr, south_addr;	/* network order, 0 unset */
	bool sccp_security;		/* pp-tlsd required */
	bool http;			/* pp-httpd required (http or httpproxy on) */
	int ip_forward;			/* 1 on, 0 off, < 0 unreadable (-errno) */
	int tftpd, httpd, tlsd, logd;
	bool counts;			/* the counts below were read */
	bool registered_known;		/* the user list was read (CAP_NET_ADMIN) */
	uint32_t users, active, registered, calls;
};
/* Prints one verdict line per check and the overall line; returns the
 * number of problems (0: the proxy can work). */
int ppctl_print_status(FILE *f, bool json, const struct ppctl_status *s);

/* The "connected" column: "c N:M", or "" when inactive or M is 0. */
const char *ppctl_connected_str(const struct pp_user_state *u, char *buf,
				size_t len);

#endif /* PPCTL_OUTPUT_H */
