/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The cluster for pp-tftpd (docs/cluster.md, "Static balancing and the
 * CallManager mapping"): cluster.xml ($PP_CONF_DIR) and the published
 * users.xml ($PP_STATE_DIR), read again whenever either changes, give
 * each user's nodes (primary, secondary, tertiary) and which of them is
 * this node (by its north address).
 */
#ifndef PP_TFTPD_NODES_H
#define PP_TFTPD_NODES_H

#include <stdbool.h>
#include <stdint.h>

#include "cluster_xml.h"
#include "file.h"
#include "users_xml.h"

struct tftpd_nodes {
	struct pp_cluster_xml *cluster;	/* NULL: none, or refused */
	struct pp_users *users;		/* NULL: none, or refused */
	struct pp_fileid cluster_id, users_id;
};

/*
 * The nodes of user name, north addresses in order (network order), and
 * self: the index of the node whose north address is north (-1: this
 * node is not one of them). Returns how many (0: no cluster.xml, or it
 * names none of the user's nodes: serve as a single node), reading the
 * files again first if they changed (a refused file is logged with
 * file:line and not used).
 */
int nodes_of_user(struct tftpd_nodes *n, const char *name, uint32_t north,
		  uint32_t addrs[PP_SCCP_PROXY_MAX], int *self);
void nodes_fini(struct tftpd_nodes *n);

/*
 * pp-tftpd -t: check cluster.xml (missing is fine). 0 with err saying
 * what was found, or -1 with err saying why it is refused.
 */
int nodes_check(char *err, size_t errlen, char *path, size_t pathlen);

#endif /* PP_TFTPD_NODES_H */
