// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * What the nodes share besides activations (docs/cluster.md):
 *
 * - the published users.xml: ppctl publish on any node tells this daemon
 *   ("reload" on its control socket) once the module has taken the file;
 *   the file's bytes go out in PUBLISH parts; every node, this one
 *   included, applies the whole file when its last part is delivered,
 *   in the agreed order: parsed and validated like ppctl publish does,
 *   then PP_CMD_USERS_REPLACE, then kept in the state directory and
 *   pp-httpd told, as a local publish does. A file equal to the one the
 *   node holds is left as it is (this node's own, coming back).
 * - the cluster-wide settings (SCCP security, activation mode, idle and
 *   auth timeouts): the module's configuration events say when they
 *   change; a change that is not what this daemon applied itself goes out
 *   as SETTINGS (the whole four), and every node applies the delivered
 *   ones in order with PP_CMD_CONFIG_SET.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clusterd.h"
#include "conf.h"
#include "ctlsock.h"
#include "file.h"
#include "log.h"

void clusterd_peer_free(struct clusterd_peer *p)
{
	free(p->file);
	p->file = NULL;
	p->file_total = 0;
	p->file_next = 0;
	clusterd_ctl_peer_free(p);
}

static bool same_file(const struct clusterd *d, const unsigned char *buf, size_t len)
{
	return d->published && d->published_len == len && !memcmp(d->published, buf, len);
}

static int keep_published(struct clusterd *d, const unsigned char *buf, size_t len)
{
	unsigned char *copy = malloc(len);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	free(d->published);
	d->published = copy;
	d->published_len = len;
	return 0;
}

void clusterd_published_load(struct clusterd *d)
{
	char path[4096], err[1024];
	struct pp_users *users;
	char *buf;
	size_t len;

	if (pp_conf_users_path(path, sizeof(path)) ||
	    pp_file_read(path, PP_CLUSTER_FILE_MAX, &buf, &len))
		return;		/* nothing published here yet */
	if (pp_users_parse_memory(buf, len, path, &users, err, sizeof(err))) {
		pp_warn("Cluster: the users.xml kept here is not valid (%s): not the node's", err);
	} else {
		pp_users_free(users);
		if (keep_published(d, (unsigned char *)buf, len))
			pp_err("Cluster: out of memory for the published users.xml");
	}
	free(buf);
}

/* ---- sending ---- */

int clusterd_send_file(struct clusterd *d, uint8_t type, const unsigned char *buf, size_t len,
		       const struct pp_cluster_msg *forwho)
{
	struct pp_cluster_msg m = { .type = type };
	unsigned int parts = pp_cluster_file_parts((uint32_t)len);
	int rc;

	if (len > PP_CLUSTER_FILE_MAX || !parts)
		return -EFBIG;
	if (forwho) {
		m.nfor = forwho->nfor;
		memcpy(m.forp, forwho->forp, sizeof(m.forp));
	}
	m.parts = (uint16_t)parts;
	m.total = (uint32_t)len;
	for (m.part = 0; m.part < parts; m.part++) {
		size_t off = (size_t)m.part * PP_CLUSTER_FILE_CHUNK;

		m.bytes = buf + off;
		m.len = (uint32_t)(len - off < PP_CLUSTER_FILE_CHUNK ? len - off :
				   PP_CLUSTER_FILE_CHUNK);
		rc = clusterd_send(d, &m);
		if (rc)
			return rc;
	}
	return 0;
}

const char *clusterd_publish_local(struct clusterd *d, char *reply, size_t rlen)
{
	char path[4096], err[1024];
	struct pp_users *users;
	char *buf = NULL;
	size_t len;
	int rc;

	if (pp_conf_users_path(path, sizeof(path)))
		return "error state directory path too long\n";
	rc = pp_file_read(path, PP_CLUSTER_FILE_MAX, &buf, &len);
	if (rc) {
		snprintf(reply, rlen, "error %s: %s\n", path,
			 rc == -EFBIG ? "larger than the cluster replicates (32 MiB)" :
			 strerror(-rc));
		return reply;
	}
	if (same_file(d, (unsigned char *)buf, len)) {
		free(buf);
		return "ok\n";		/* the cluster's already */
	}
	if (pp_users_parse_memory(buf, len, path, &users, err, sizeof(err))) {
		snprintf(reply, rlen, "error not replicated: %s\n", err);
		free(buf);
		return reply;
	}
	pp_users_free(users);
	if (!d->joined) {
		d->st.send_failed++;
		pp_warn("Cluster: users.xml published here: not replicated (%s)",
			clusterd_apart(d));
		free(buf);
		snprintf(reply, rlen, "error published here only: %s, not replicated\n",
			 clusterd_apart(d));
		return reply;
	}
	rc = clusterd_send_file(d, PP_CLUSTER_PUBLISH, (unsigned char *)buf, len, NULL);
	if (!rc)
		rc = keep_published(d, (unsigned char *)buf, len);
	free(buf);
	if (rc) {
		snprintf(reply, rlen, "error published here only, not replicated: %s\n",
			 strerror(-rc));
		return reply;
	}
	d->st.publishes_sent++;
	d->published_node = d->node;
	pp_notice("Cluster: users.xml published here (%zu bytes) sent to the cluster", len);
	return "ok\n";
}

int clusterd_send_shared(struct clusterd *d, const struct pp_cluster_msg *forwho)
{
	struct pp_cluster_msg m = { .type = PP_CLUSTER_SETTINGS };
	int rc;

	m.nfor = forwho->nfor;
	memcpy(m.forp, forwho->forp, sizeof(m.forp));
	if (d->settings_known) {
		m.settings = d->settings;
		m.settings.fields = PP_CLUSTER_SET_ALL;	/* the whole state */
		rc = clusterd_send(d, &m);
		if (rc)
			return rc;
	}
	if (d->published) {
		rc = clusterd_send_file(d, PP_CLUSTER_PUBLISH, d->published, d->published_len,
					forwho);
		if (rc)
			return rc;
	}
	return clusterd_secure_snapshot(d, forwho);
}

/* ---- receiving ---- */

/* A whole file delivered from p: m is its last part. Takes buf. */
static void file_complete(struct clusterd *d, const struct pp_cluster_msg *m,
			  struct clusterd_peer *p, unsigned char *buf, size_t len)
{
	struct pp_cluster_msg *b;

	if (m->nfor) {
		/* A snapshot's: for a joiner waiting for it only. */
		if (d->state == CLUSTERD_WAITING && clusterd_for_me(d, m)) {
			free(d->snap_file);
			d->snap_file = buf;
			d->snap_file_len = len;
			d->snap_file_from.node = p->node;
			d->snap_file_from.pid = p->pid;
			return;
		}
		free(buf);
		return;
	}
	d->delivered++;		/* what a joiner holds (docs/cluster.md) */
	if (d->state == CLUSTERD_SYNCED) {
		if (!clusterd_publish_apply(d, buf, len, m->node))
			d->published_ms = m->time_ms;
		free(buf);
		return;
	}
	b = clusterd_backlog_add(d, m);
	if (!b) {
		free(buf);
		return;
	}
	b->bytes = buf;			/* the backlog owns it */
	b->total = (uint32_t)len;
}

void clusterd_publish_part(struct clusterd *d, const struct pp_cluster_msg *m,
			   struct clusterd_peer *p)
{
	unsigned char *buf;

	if (m->part == 0) {
		clusterd_peer_free(p);
		p->file = malloc(m->total);
		if (!p->file) {
			d->st.apply_failed++;
			pp_err("Cluster: out of memory for the users.xml of node %u (%u bytes)",
			       m->node, m->total);
			return;
		}
		p->file_total = m->total;
		p->file_snap = m->nfor != 0;
	} else if (!p->file && !p->file_next && !m->nfor) {
		/* Joined while p was sending a file: the others install it,
		 * this node cannot. Once it is whole everywhere, join again:
		 * the snapshot then holds it. */
		if (m->part + 1u == m->parts) {
			pp_notice("Cluster: joined while node %u was sending users.xml: joining again for a snapshot that holds it",
				  m->node);
			clusterd_rejoin(d);
		}
		return;
	} else if (!p->file || m->part != p->file_next || m->total != p->file_total ||
		   p->file_snap != (m->nfor != 0)) {
		d->st.apply_failed++;
		pp_warn("Cluster: users.xml part %u of node %u out of order: the file is dropped",
			m->part, m->node);
		clusterd_peer_free(p);
		return;
	}
	memcpy(p->file + (size_t)m->part * PP_CLUSTER_FILE_CHUNK, m->bytes, m->len);
	p->file_next = m->part + 1u;
	if (p->file_next < m->parts)
		return;
	buf = p->file;
	p->file = NULL;
	p->file_next = 0;
	file_complete(d, m, p, buf, p->file_total);
}

int clusterd_publish_apply(struct clusterd *d, const unsigned char *buf, size_t len,
			   uint32_t node)
{
	char path[4096], err[1024], name[64], reply[256];
	struct pp_users *users;
	struct pp_nl *nl;
	int rc;

	if (same_file(d, buf, len)) {
		d->st.publishes_applied++;
		return 0;		/* held already (this node's own, back) */
	}
	snprintf(name, sizeof(name), "users.xml of node %u", node);
	/* Validated whole, as ppctl publish does, before anything changes. */
	if (pp_users_parse_memory((const char *)buf, len, name, &users, err, sizeof(err))) {
		d->st.apply_failed++;
		pp_warn("Cluster: %s refused: %s", name, err);
		return -EINVAL;
	}
	/* CallManagers given by host name: resolved here, by this node's
	 * resolver, as ppctl publish does (blocking the loop for as long as
	 * the resolver takes; phoneproxy-resolve.timer follows them later). */
	if (pp_users_resolve(users, name, err, sizeof(err))) {
		d->st.apply_failed++;
		pp_warn("Cluster: %s not installed: %s", name, err);
		pp_users_free(users);
		return -EINVAL;
	}
	nl = pp_follow_nl(d->follow);
	if (!nl) {
		d->st.apply_failed++;
		pp_warn("Cluster: phoneproxy module not loaded: %s not installed", name);
		pp_users_free(users);
		return -ENOENT;
	}
	rc = pp_users_replace(nl, users);
	if (rc) {
		d->st.apply_failed++;
		pp_warn("Cluster: %s not installed: %s", name, pp_nl_error(nl));
		pp_follow_nl_reset(d->follow);
		pp_users_free(users);
		return rc;
	}
	pp_notice("Cluster: %s installed: %zu users, %zu CallManagers", name, users->nusers,
		  users->nccms);
	pp_users_free(users);
	if (keep_published(d, buf, len))
		pp_err("Cluster: out of memory for the published users.xml");
	d->published_node = node;
	d->st.publishes_applied++;
	/* Kept for the next boot and pp-httpd, as ppctl publish keeps it. */
	if (pp_conf_users_path(path, sizeof(path)) ||
	    (rc = pp_file_write_atomic(path, buf, len, 0600))) {
		pp_err("Cluster: %s installed, but cannot keep a copy in %s: %s", name, path,
		       strerror(rc ? -rc : ENAMETOOLONG));
		return 0;
	}
	rc = pp_ctl_ask(PP_CTL_HTTPD, "reload", reply, sizeof(reply));
	if (rc != -ENOENT && (rc < 0 || strcmp(reply, "ok\n")))
		pp_warn("Cluster: pp-httpd did not take the new users.xml: %s",
			rc < 0 ? strerror(-rc) : reply);
	return 0;
}

/* ---- settings ---- */

static void settings_of(const struct pp_config *cfg, struct pp_cluster_settings *s)
{
	s->sccp_security = cfg->sccp_security;
	s->act_mode = cfg->act_mode;
	s->idle_timeout = cfg->idle_timeout;
	s->auth_timeout = cfg->auth_timeout;
	s->fields = PP_CLUSTER_SET_ALL;
}

/* The fields (PP_CLUSTER_SET_*) in which a and b differ. */
static uint8_t settings_diff(const struct pp_cluster_settings *a,
			     const struct pp_cluster_settings *b)
{
	return (a->sccp_security != b->sccp_security ? PP_CLUSTER_SET_SECURITY : 0) |
	       (a->act_mode != b->act_mode ? PP_CLUSTER_SET_MODE : 0) |
	       (a->idle_timeout != b->idle_timeout ? PP_CLUSTER_SET_IDLE : 0) |
	       (a->auth_timeout != b->auth_timeout ? PP_CLUSTER_SET_AUTH : 0);
}

/* @base with the fields @s sets. */
static struct pp_cluster_settings settings_merge(const struct pp_cluster_settings *base,
						 const struct pp_cluster_settings *s)
{
	struct pp_cluster_settings r = *base;

	if (s->fields & PP_CLUSTER_SET_SECURITY)
		r.sccp_security = s->sccp_security;
	if (s->fields & PP_CLUSTER_SET_MODE)
		r.act_mode = s->act_mode;
	if (s->fields & PP_CLUSTER_SET_IDLE)
		r.idle_timeout = s->idle_timeout;
	if (s->fields & PP_CLUSTER_SET_AUTH)
		r.auth_timeout = s->auth_timeout;
	r.fields = PP_CLUSTER_SET_ALL;
	return r;
}

void clusterd_config_seen(struct clusterd *d, const struct pp_config *cfg)
{
	struct pp_cluster_msg m = { .type = PP_CLUSTER_SETTINGS };
	struct pp_cluster_settings s;
	char err[256];

	if (!cfg) {
		/* Unloaded: a module loaded again starts from its defaults,
		 * which are not a change made here. */
		d->settings_known = false;
		return;
	}
	if (cfg->north_addr != d->north) {
		d->north = cfg->north_addr;
		/* The CTL gives the phones each node's north address. */
		clusterd_certs_announce(d, "north address changed");
	}
	settings_of(cfg, &s);
	if (pp_cluster_settings_check(&s, err, sizeof(err))) {
		pp_warn("Cluster: the module's settings cannot be replicated: %s", err);
		return;
	}
	/*
	 * At start or a resync (the module's values, no event: reason 0), or
	 * a peer's change this daemon applied (CLUSTER): what the module
	 * holds, not news. Else a change made here: the fields it changed
	 * since the module's previous event, exactly (events come in order).
	 */
	m.settings = s;
	m.settings.fields = d->settings_known ? settings_diff(&s, &d->settings) : 0;
	d->settings = s;
	d->settings_known = true;
	if (cfg->reason != PP_REASON_CLI || !m.settings.fields)
		return;
	if (!d->joined) {
		d->st.send_failed++;
		pp_warn("Cluster: settings changed here: not replicated (%s)", clusterd_apart(d));
		return;
	}
	if (!clusterd_send(d, &m)) {
		d->st.settings_sent++;
		pp_notice("Cluster: settings changed here sent to the cluster (sccp security %s, activation mode %s, idletimeout %u, authtimeout %u)",
			  s.sccp_security ? "on" : "off",
			  s.act_mode == PP_ACT_MODE_OPEN ? "open" : "required", s.idle_timeout,
			  s.auth_timeout);
	}
}

int clusterd_settings_apply(struct clusterd *d, const struct pp_cluster_settings *s,
			    uint32_t node)
{
	struct pp_config cfg = { .reason = PP_REASON_CLUSTER };
	struct pp_cluster_settings want;
	struct pp_nl *nl;
	int rc;

	want = settings_merge(d->settings_known ? &d->settings : s, s);
	if (d->settings_known && !settings_diff(&want, &d->settings)) {
		d->st.settings_applied++;
		return 0;
	}
	nl = pp_follow_nl(d->follow);
	if (!nl) {
		d->st.apply_failed++;
		pp_warn("Cluster: phoneproxy module not loaded: the settings of node %u not applied",
			node);
		return -ENOENT;
	}
	/*
	 * Only what the message sets: a field changed here meanwhile stays.
	 * The module's event that follows says CLUSTER: not sent again.
	 */
	/* Secure SCCP needs this node's certificates: made before the module
	 * says it is on, so pp-tlsd and pp-tftpd find them (as ppctl makes
	 * them before it sets it); not made: the setting is still applied,
	 * security is all or nothing across the cluster. */
	if ((s->fields & PP_CLUSTER_SET_SECURITY) && s->sccp_security)
		clusterd_certs_ensure(d);
	if (s->fields & PP_CLUSTER_SET_SECURITY)
		cfg.present |= PP_CFG_BIT(PP_A_CFG_SCCP_SECURITY);
	if (s->fields & PP_CLUSTER_SET_MODE)
		cfg.present |= PP_CFG_BIT(PP_A_CFG_ACT_MODE);
	if (s->fields & PP_CLUSTER_SET_IDLE)
		cfg.present |= PP_CFG_BIT(PP_A_CFG_IDLE_TIMEOUT);
	if (s->fields & PP_CLUSTER_SET_AUTH)
		cfg.present |= PP_CFG_BIT(PP_A_CFG_AUTH_TIMEOUT);
	cfg.sccp_security = s->sccp_security;
	cfg.act_mode = s->act_mode;
	cfg.idle_timeout = s->idle_timeout;
	cfg.auth_timeout = s->auth_timeout;
	rc = pp_config_set(nl, &cfg);
	if (rc) {
		d->st.apply_failed++;
		pp_warn("Cluster: the settings of node %u refused here: %s", node,
			pp_nl_error(nl));
		pp_follow_nl_reset(d->follow);
		return rc;
	}
	s = &want;
	d->st.settings_applied++;
	pp_notice("Cluster: settings of node %u applied (sccp security %s, activation mode %s, idletimeout %u, authtimeout %u)",
		  node, s->sccp_security ? "on" : "off",
		  s->act_mode == PP_ACT_MODE_OPEN ? "open" : "required", s->idle_timeout,
		  s->auth_timeout);
	return 0;
}
