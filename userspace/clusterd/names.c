// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-clusterd: the nodes' names as the administrator knows them
 * (docs/cluster.md "Registrations"). Corosync knows each node by id; its
 * nodelist (corosync.conf, read through libcmap: nodelist.node.<i>.nodeid,
 * .name, .ring0_addr) says more, and cluster.xml names the proxies by
 * their cluster address. A node is named by the cluster.xml proxy whose
 * cluster_ip is its ring0 address, else by its nodelist name, else by its
 * id (lib/cluster_xml.h pp_cluster_node_name).
 *
 * The nodelist is read when the group is joined and again whenever cmap
 * says it changed (a track of "nodelist.", its descriptor in the event
 * loop); cluster.xml when asked for a name after the file changed. cmap
 * not reached: the ids are shown, nothing else fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <corosync/cmap.h>

#include "clusterd.h"
#include "conf.h"
#include "log.h"

static void read_nodelist(struct clusterd *d)
{
	struct pp_corosync_node list[PP_CLUSTER_NODES_MAX];
	char key[CMAP_KEYNAME_MAXLEN + 1], k[CMAP_KEYNAME_MAXLEN + 1];
	size_t n = 0, over = 0, vlen;
	cmap_value_types_t type;
	cmap_iter_handle_t it;
	cs_error_t e;

	d->cmap_dirty = false;
	e = cmap_iter_init(d->cmap, "nodelist.node.", &it);
	if (e != CS_OK) {
		pp_warn("Cluster: corosync's nodelist cannot be read (cmap error %d); nodes keep the names read before",
			(int)e);
		return;
	}
	while ((e = cmap_iter_next(d->cmap, it, key, &vlen, &type)) == CS_OK) {
		char *name = NULL, *ring0 = NULL;
		unsigned int i;
		uint32_t id;
		int end = 0;

		if (sscanf(key, "nodelist.node.%u.nodeid%n", &i, &end) != 1 || key[end] ||
		    cmap_get_uint32(d->cmap, key, &id) != CS_OK)
			continue;
		if (n == PP_CLUSTER_NODES_MAX) {
			over++;
			continue;
		}
		snprintf(k, sizeof(k), "nodelist.node.%u.name", i);
		if (cmap_get_string(d->cmap, k, &name) != CS_OK)
			name = NULL;
		snprintf(k, sizeof(k), "nodelist.node.%u.ring0_addr", i);
		if (cmap_get_string(d->cmap, k, &ring0) != CS_OK)
			ring0 = NULL;
		pp_corosync_node_set(&list[n++], id, name, ring0);
		free(name);
		free(ring0);
	}
	cmap_iter_finalize(d->cmap, it);
	if (e != CS_ERR_NO_SECTIONS) {
		pp_warn("Cluster: corosync's nodelist read in part (cmap error %d); nodes keep the names read before",
			(int)e);
		return;
	}
	if (over)
		pp_warn("Cluster: corosync's nodelist has %zu nodes: the %zu beyond %d are shown by id",
			n + over, over, PP_CLUSTER_NODES_MAX);
	memcpy(d->cnodes, list, n * sizeof(list[0]));
	d->n_cnodes = n;
	pp_info("Cluster: corosync's nodelist: %zu nodes", n);
}

static void on_track(cmap_handle_t h, cmap_track_handle_t t, int32_t event, const char *key,
		     struct cmap_notify_value new_value, struct cmap_notify_value old_value,
		     void *arg)
{
	(void)h;
	(void)t;
	(void)event;
	(void)key;
	(void)new_value;
	(void)old_value;
	/* A reload changes many keys: read once, after the dispatch. */
	((struct clusterd *)arg)->cmap_dirty = true;
}

static void on_close_later(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	clusterd_names_close(arg);
}

static void on_cmap(evutil_socket_t fd, short what, void *arg)
{
	struct clusterd *d = arg;
	cs_error_t e;

	(void)fd;
	(void)what;
	e = cmap_dispatch(d->cmap, CS_DISPATCH_ALL);
	if (e != CS_OK && e != CS_ERR_TRY_AGAIN) {
		pp_warn("Cluster: corosync's cmap connection lost (error %d); nodes keep the names read before",
			(int)e);
		/* Not from within this event's own callback. */
		event_del(d->cmap_ev);
		event_base_once(d->base, -1, EV_TIMEOUT, on_close_later, d, NULL);
		return;
	}
	if (d->cmap_dirty)
		read_nodelist(d);
}

void clusterd_names_open(struct clusterd *d)
{
	static bool said;
	cs_error_t e;
	int fd;

	if (d->cmap_open)
		return;
	e = cmap_initialize(&d->cmap);
	if (e != CS_OK) {
		if (!said)
			pp_warn("Cluster: corosync's cmap not reachable (error %d): nodes are shown by id",
				(int)e);
		said = true;
		return;
	}
	d->cmap_open = true;
	e = cmap_fd_get(d->cmap, &fd);
	if (e == CS_OK)
		e = cmap_track_add(d->cmap, "nodelist.",
				   CMAP_TRACK_ADD | CMAP_TRACK_DELETE | CMAP_TRACK_MODIFY |
				   CMAP_TRACK_PREFIX, on_track, d, &d->cmap_track);
	if (e != CS_OK) {
		if (!said)
			pp_warn("Cluster: corosync's cmap: cannot track the nodelist (error %d): nodes are shown by id",
				(int)e);
		said = true;
		clusterd_names_close(d);
		return;
	}
	d->cmap_ev = event_new(d->base, fd, EV_READ | EV_PERSIST, on_cmap, d);
	if (!d->cmap_ev || event_add(d->cmap_ev, NULL)) {
		pp_err("Cluster: cannot set up the event loop");
		clusterd_names_close(d);
		return;
	}
	said = false;
	read_nodelist(d);
}

void clusterd_names_close(struct clusterd *d)
{
	if (d->cmap_ev) {
		event_free(d->cmap_ev);
		d->cmap_ev = NULL;
	}
	if (d->cmap_open)
		cmap_finalize(d->cmap);	/* its track with it */
	d->cmap_open = false;
}

void clusterd_names_refresh(struct clusterd *d)
{
	char path[4096], err[1024];

	if (pp_cluster_xml_path(path, sizeof(path)) || !pp_file_changed(path, &d->xml_id))
		return;
	pp_cluster_xml_free(d->xml);
	d->xml = NULL;
	if (pp_cluster_xml_load(path, true, &d->xml, err, sizeof(err)))
		pp_err("Cluster: cluster.xml refused: %s; nodes are named by corosync's nodelist",
		       err);
}

const char *clusterd_node_name(const struct clusterd *d, uint32_t id, char *buf, size_t len)
{
	return pp_cluster_node_name(d->xml, d->cnodes, d->n_cnodes, id, buf, len);
}
