/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * cluster.xml (the guide's Appendix B): the nodes of the PhoneProxy
 * cluster, and the static balancing of users over them (the guide's
 * "Activation": "Users are each statically assigned up to three Cisco
 * Unified PhoneProxy nodes to use as their primary, secondary, and
 * tertiary CallManagers").
 *
 *   <cluster>
 *     <proxy uuid="17a9..." name="pp-blue03" cluster_ip="192.168.2.13"
 *            mgmt_ip="" south_ip="10.89.31.108" north_ip="192.168.1.13"
 *            timestamp="1162484179070" />
 *     <master uuid="17a9..." licensedUsers="3000" />
 *   </cluster>
 *
 * Kept in $PP_CONF_DIR/cluster.xml. Validated whole (docs/cluster.md,
 * "cluster.xml"); the first problem is reported as "file:line: reason".
 * libxml2 parses it without network, DTD or entity substitution (a
 * DOCTYPE is refused).
 */
#ifndef PP_CLUSTER_XML_H
#define PP_CLUSTER_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "users_xml.h"

#define PP_CLUSTER_XML_FILE	"cluster.xml"
#define PP_CLUSTER_XML_MAX	(256u << 10)	/* bytes */
#define PP_CLUSTER_NODES_MAX	64
#define PP_CLUSTER_UUID_MAX	256		/* as users.xml's <proxy uuid> */

/* A <proxy>: one node. Addresses in network byte order, 0 when empty. */
struct pp_cluster_node {
	char uuid[PP_CLUSTER_UUID_MAX];
	char name[PP_NAME_MAX];
	uint32_t cluster_ip, mgmt_ip, south_ip, north_ip;
	uint64_t timestamp;		/* 0 when absent */
	long line;
};

struct pp_cluster_xml {
	struct pp_cluster_node *nodes;
	size_t nnodes;
	bool has_master;
	char master_uuid[PP_CLUSTER_UUID_MAX];
	uint64_t licensed_users;	/* 0 when absent */
};

/*
 * Parse and validate cluster.xml held in memory (file names it in
 * messages). 0 and *out, or -1 with err "file:line: reason".
 */
int pp_cluster_xml_parse(const char *buf, size_t len, const char *file,
			 struct pp_cluster_xml **out, char *err, size_t errlen);
/* Same, reading path; a missing file with missing_ok: 0 and *out NULL. */
int pp_cluster_xml_load(const char *path, bool missing_ok, struct pp_cluster_xml **out,
			char *err, size_t errlen);
void pp_cluster_xml_free(struct pp_cluster_xml *c);
/* $PP_CONF_DIR/cluster.xml. 0, or -1 when it does not fit. */
int pp_cluster_xml_path(char *buf, size_t len);

const struct pp_cluster_node *pp_cluster_xml_find(const struct pp_cluster_xml *c,
						  const char *uuid);
/* The node whose north_ip is addr (network order), or NULL. */
const struct pp_cluster_node *pp_cluster_xml_find_north(const struct pp_cluster_xml *c,
							uint32_t addr);

/*
 * A node of Corosync's nodelist (cmap nodelist.node.<i>.nodeid, .name,
 * .ring0_addr), as pp-clusterd reads it: what names a node for the
 * administrator (docs/cluster.md "Registrations").
 */
struct pp_corosync_node {
	uint32_t id;
	char name[PP_NAME_MAX];		/* "": none, or not a usable name */
	uint32_t ring0;			/* IPv4, network order; 0: not one */
};

/*
 * Fill nd from the nodelist's values (name, ring0 NULL when absent): a
 * name of 1..PP_NAME_MAX - 1 bytes without space or control character
 * is kept (else none); ring0 is kept when an IPv4 address (a host name
 * or IPv6 address matches no cluster.xml proxy).
 */
void pp_corosync_node_set(struct pp_corosync_node *nd, uint32_t id, const char *name,
			  const char *ring0);

/*
 * The name of Corosync node id for the administrator, in buf: the
 * cluster.xml proxy (c may be NULL) whose cluster_ip is the node's ring0
 * address in the nodelist (list, n); else its nodelist name; else the id
 * in decimal (not in the nodelist, or nothing to name it by). Returns buf.
 */
const char *pp_cluster_node_name(const struct pp_cluster_xml *c,
				 const struct pp_corosync_node *list, size_t n, uint32_t id,
				 char *buf, size_t len);

/*
 * The user's nodes, primary first (docs/cluster.md, "Static
 * balancing"): its <sccpProxy> entries, each looked up in cluster.xml;
 * a user without any is assigned evenly over the <proxy assign_users=
 * "true"> of users.xml that cluster.xml names, in users.xml's order: the
 * k-th such user (file order, from 0) of m candidates gets candidate
 * k mod m as primary, k+1 mod m as secondary, k+2 mod m as tertiary (at
 * most m). The same files give the same answer on every node.
 *
 * Returns how many nodes were put in out (0..PP_SCCP_PROXY_MAX), or -1
 * with err (an <sccpProxy> that cluster.xml does not name).
 */
int pp_cluster_user_nodes(const struct pp_cluster_xml *c, const struct pp_users *u,
			  const struct pp_account *a,
			  const struct pp_cluster_node *out[PP_SCCP_PROXY_MAX],
			  char *err, size_t errlen);

#endif /* PP_CLUSTER_XML_H */
