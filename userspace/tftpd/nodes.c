// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's view of the cluster: cluster.xml and users.xml, kept parsed
 * and read again when they change (nodes.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "file.h"
#include "log.h"
#include "nodes.h"

static void refresh(struct tftpd_nodes *n)
{
	char path[4096], err[1024];

	if (!pp_cluster_xml_path(path, sizeof(path)) && pp_file_changed(path, &n->cluster_id)) {
		pp_cluster_xml_free(n->cluster);
		n->cluster = NULL;
		if (pp_cluster_xml_load(path, true, &n->cluster, err, sizeof(err)))
			pp_err("Tftp: cluster.xml refused: %s; each phone is given this node only",
			       err);
		else if (n->cluster)
			pp_notice("Tftp: %s: %zu nodes", path, n->cluster->nnodes);
	}
	if (!pp_conf_users_path(path, sizeof(path)) && pp_file_changed(path, &n->users_id)) {
		pp_users_free(n->users);
		n->users = NULL;
		if (n->users_id.present &&
		    pp_users_parse_file(path, &n->users, err, sizeof(err)))
			pp_err("Tftp: the published users.xml cannot be read: %s", err);
	}
}

int nodes_of_user(struct tftpd_nodes *n, const char *name, uint32_t north,
		  uint32_t addrs[PP_SCCP_PROXY_MAX], int *self)
{
	const struct pp_cluster_node *out[PP_SCCP_PROXY_MAX];
	const struct pp_account *a;
	char err[512];
	int cnt, i;

	*self = -1;
	refresh(n);
	if (!n->cluster || !n->users)
		return 0;
	a = pp_users_find(n->users, name);
	if (!a)
		return 0;
	cnt = pp_cluster_user_nodes(n->cluster, n->users, a, out, err, sizeof(err));
	if (cnt < 0) {
		pp_notice("Tftp: %s; the phone is given this node only", err);
		return 0;
	}
	for (i = 0; i < cnt; i++) {
		addrs[i] = out[i]->north_ip;
		if (north && out[i]->north_ip == north && *self < 0)
			*self = i;
	}
	return cnt;
}

void nodes_fini(struct tftpd_nodes *n)
{
	pp_cluster_xml_free(n->cluster);
	pp_users_free(n->users);
	memset(n, 0, sizeof(*n));
}

int nodes_check(char *err, size_t errlen, char *path, size_t pathlen)
{
	struct pp_cluster_xml *c = NULL;

	if (pp_cluster_xml_path(path, pathlen)) {
		snprintf(err, errlen, "the cluster.xml path is too long");
		return -1;
	}
	if (pp_cluster_xml_load(path, true, &c, err, errlen))
		return -1;
	if (!c)
		snprintf(err, errlen, "none (a single node)");
	else
		snprintf(err, errlen, "ok, %zu node%s", c->nnodes, c->nnodes == 1 ? "" : "s");
	pp_cluster_xml_free(c);
	return 0;
}
