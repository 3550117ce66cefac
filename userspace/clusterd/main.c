// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-clusterd: the node's member of the cluster (docs/cluster.md). One
 * event loop: the module's notifications (lib/ops.h pp_follow), the
 * Corosync CPG group's and quorum service's descriptors, the retry timer while corosync is
 * away, the control socket ("ppctl show cluster") and the signals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clusterd.h"
#include "ctlsock.h"
#include "log.h"

static void on_config(const struct pp_config *cfg, void *arg)
{
	struct clusterd *d = arg;

	if (!cfg && d->module)
		pp_notice("Cluster: phoneproxy module not loaded; waiting for it");
	d->module = cfg != NULL;
	clusterd_config_seen(d, cfg);
}

static void on_event(const struct pp_event_info *ev, void *arg)
{
	clusterd_local_event(arg, ev);
}

static void on_follow(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pp_follow_read(((struct clusterd *)arg)->follow);
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	clusterd_connect(arg);
}

static void on_merge_wait(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	clusterd_merge_timeout(arg);
}

static void on_ctl(void *arg, const char *req, FILE *f)
{
	char reply[1200];

	clusterd_names_refresh(arg);	/* cluster.xml, if it changed */
	if (!strcmp(req, "stats"))
		clusterd_stats_write(f, arg);
	else if (!strcmp(req, "reload"))	/* ppctl publish: users.xml published here */
		fputs(clusterd_publish_local(arg, reply, sizeof(reply)), f);
	else if (!strcmp(req, "ctl"))	/* ppctl set ctl build: the CTL built here */
		fputs(clusterd_ctl_local(arg, reply, sizeof(reply)), f);
	else if (!strcmp(req, "certs")) {	/* ppctl made or regenerated them */
		clusterd_certs_announce(arg, "made or regenerated");
		fputs("ok\n", f);
	} else if (!strcmp(req, "registrations")) {	/* ppctl show user */
		clusterd_regs_query(f, arg, NULL);
	} else if (!strncmp(req, "registrations ", 14)) {
		clusterd_regs_query(f, arg, req + 14);
	} else {
		fputs("error unknown request\n", f);
	}
}

static void on_hup(void *arg)
{
	struct clusterd *d = arg;

	pp_notice("Cluster: SIGHUP: the group is read at start only (restart pp-clusterd to change it)");
	(void)d;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pp-clusterd [-e] [-c FILE] [-t]\n"
		"  -c FILE  settings (default $PP_CONF_DIR/" PP_CLUSTERD_CONF_FILE ")\n"
		"  -e       log to stderr instead of syslog\n"
		"  -t       check the settings and exit\n"
		"Runs in the network namespace of its proxy, beside corosync: replicates\n"
		"activations and inactivations, the published users.xml and the\n"
		"cluster-wide settings to the other nodes of the CPG group;\n"
		"ppctl show cluster shows its state and counters.\n");
}

int main(int argc, char **argv)
{
	static struct clusterd d;
	struct pp_daemon_args args;
	char err[1200];
	int rc;

	rc = pp_daemon_args(argc, argv, "pp-clusterd", PP_CLUSTERD_CONF_FILE, usage, &args);
	if (rc >= 0)
		return rc;
	d.conf_path = args.conf;
	if (pp_clusterd_conf_load(d.conf_path, args.conf_optional, &d.conf, err, sizeof(err))) {
		pp_err("Cluster: %s", err);
		return 1;
	}
	if (args.test) {
		printf("%s: ok\n", d.conf_path);
		return 0;
	}
	pp_log_to_logd("Cluster");	/* phoneproxy.log (docs/logs.md) */
	rc = 1;
	d.base = event_base_new();
	if (!d.base) {
		pp_err("Cluster: cannot create the event loop");
		return 1;
	}
	if (pp_daemon_ctl(d.base, PP_CTL_CLUSTERD, "Cluster", "pp-clusterd", on_ctl, &d, &d.ctl))
		goto out;
	d.module = true;
	clusterd_published_load(&d);
	clusterd_names_refresh(&d);
	if (pp_follow_open(&d.follow, on_config, &d, err, sizeof(err))) {
		pp_err("Cluster: %s", err);
		goto out;
	}
	pp_follow_events(d.follow, on_event);
	d.follow_ev = event_new(d.base, pp_follow_fd(d.follow), EV_READ | EV_PERSIST, on_follow,
				&d);
	d.retry_ev = evtimer_new(d.base, on_retry, &d);
	d.wait_ev = evtimer_new(d.base, on_merge_wait, &d);
	if (!d.follow_ev || !d.retry_ev || !d.wait_ev || event_add(d.follow_ev, NULL)) {
		pp_err("Cluster: cannot set up the event loop");
		goto out;
	}
	if (pp_daemon_signals_add(&d.sig, d.base, "Cluster", on_hup, NULL, &d))
		goto out;
	pp_notice("Cluster: pp-clusterd started (group %s, retry %u s)", d.conf.group,
		  d.conf.retry);
	clusterd_connect(&d);
	rc = event_base_dispatch(d.base) < 0 ? 1 : 0;
out:
	if (d.retry_ev) {
		event_free(d.retry_ev);
		d.retry_ev = NULL;
	}
	clusterd_quorum_close(&d);
	clusterd_cpg_close(&d);
	clusterd_reset_sync(&d);
	if (d.wait_ev)
		event_free(d.wait_ev);
	free(d.snap);
	free(d.backlog);
	free(d.published);
	free(d.regs);
	pp_cluster_xml_free(d.xml);
	if (d.follow_ev)
		event_free(d.follow_ev);
	pp_daemon_signals_free(&d.sig);
	pp_ctl_close(d.ctl);
	pp_follow_close(d.follow);
	event_base_free(d.base);
	pp_log_close();
	return rc;
}
