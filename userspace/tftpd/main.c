// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd: the TFTP proxy of phoneproxy. Phones ask it for their files
 * on UDP 69 of the north address; it fetches them from their user's
 * CallManager from the south address, rewrites their configuration
 * files to point at the proxy, enforces which device's files a user may
 * have, and activates users in open activation mode. docs/tftp.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>

#include "ctl.h"
#include "log.h"
#include "nl.h"
#include "tftpd.h"

uint64_t tftpd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The module's configuration, at start and after every change. */
static void on_config(const struct pp_config *cfg, void *arg)
{
	struct tftpd *d = arg;
	char line[sizeof(d->cfg_line)];

	d->have_cfg = cfg != NULL;
	d->cfg = cfg ? *cfg : (struct pp_config){ 0 };
	if (cfg)
		snprintf(line, sizeof(line), "north %s, south %s, TFTP port %u, SCCP port %u, HTTP proxy %s port %u, activation %s",
			 tftpd_ip(cfg->north_addr), tftpd_ip(cfg->south_addr), cfg->tftp_port,
			 cfg->sccp_security ? cfg->sccp_security_port : cfg->sccp_port,
			 cfg->httpproxy ? "on" : "off", cfg->httpproxy_port,
			 pp_act_mode_name(cfg->act_mode));
	else
		snprintf(line, sizeof(line), "phoneproxy module not loaded; waiting for it");
	if (strcmp(line, d->cfg_line))
		pp_notice("Tftp: configuration: %s", line);
	memcpy(d->cfg_line, line, sizeof(line));
	serve_rebind(d, &d->cfg);
}

static void on_event(const struct pp_event_info *ev, void *arg)
{
	serve_on_event(arg, ev);
}

static void on_follow(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pp_follow_read(((struct tftpd *)arg)->follow);
}

/* Housekeeping: expire cached files, and rate-limit state every 10 s. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct tftpd *d = arg;
	static unsigned int n;
	uint64_t now = tftpd_now_ms();

	(void)fd;
	(void)what;
	cache_expire(d, now);
	if (++n % 10 == 0) {
		ratelimit_expire(&d->rl, now);
		replyport_expire(&d->replyport, now);
	}
}

static void on_hup(void *arg)
{
	char err[1024];

	tftpd_reload(arg, err, sizeof(err));
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pp-tftpd [-e] [-c FILE] [-t]\n"
		"  -c FILE  settings (default $PP_CONF_DIR/" TFTPD_CONF_FILE
		", /etc/phoneproxy/" TFTPD_CONF_FILE ")\n"
		"  -e       log to stderr instead of syslog\n"
		"  -t       check the settings and exit\n"
		"Runs in the network namespace of its proxy; ppctl show stats\n"
		"shows its counters; ppctl set phoneproxy ... changes its settings\n"
		"and tells it (or SIGHUP: it re-reads FILE).\n");
}

int main(int argc, char **argv)
{
	struct pp_daemon_args args;
	struct tftpd d;
	char err[1024];
	struct timeval second = { .tv_sec = 1 };
	int rc;

	rc = pp_daemon_args(argc, argv, "pp-tftpd", TFTPD_CONF_FILE, usage, &args);
	if (rc >= 0)
		return rc;
	memset(&d, 0, sizeof(d));
	d.fd69 = -1;
	TAILQ_INIT(&d.lru);
	TAILQ_INIT(&d.mapjobs);
	tftpd_conf_defaults(&d.conf);
	d.conf_optional = args.conf_optional;
	d.conf_path = args.conf;
	rc = tftpd_conf_load(&d.conf, d.conf_path, d.conf_optional, err, sizeof(err));
	if (rc) {
		pp_err("%s", err);
		return 1;
	}
	if (args.test) {
		char cpath[4096];

		printf("%s: ok\n", d.conf_path);
		if (nodes_check(err, sizeof(err), cpath, sizeof(cpath))) {
			pp_err("%s", err);
			return 1;
		}
		printf("%s: %s\n", cpath, err);
		return 0;
	}
	pp_log_to_logd("Tftp");	/* phoneproxy.log (docs/logs.md) */
	rc = 1;		/* until the loop ends well */
	pp_log_set_level(d.conf.loglevel);
	xmlInitParser();
	/* Every transfer holds a socket to the phone and every fetch one to a
	 * CallManager. */
	pp_daemon_nofile(d.conf.max_transfers, "Tftp", "maxtransfers");

	d.base = event_base_new();
	if (!d.base) {
		pp_err("Tftp: cannot create the event loop");
		return 1;
	}
	if (ctl_init(&d))
		goto out;
	ratelimit_init(&d.rl, d.conf.rate, d.conf.burst);
	slots_init(&d.slots, d.conf.max_transfers_per_address);
	replyport_init(&d.replyport, REPLYPORT_MAX, REPLYPORT_SUSPECT_MS,
		       REPLYPORT_REMEMBER_MS);
	serve_init(&d);
	if (pp_follow_open(&d.follow, on_config, &d, err, sizeof(err))) {
		pp_err("Tftp: %s", err);
		goto out;
	}
	pp_follow_events(d.follow, on_event);
	if (d.have_cfg && !d.bound_addr)
		pp_notice("Tftp: no north address yet; waiting for \"set interface north address\"");
	d.follow_ev = event_new(d.base, pp_follow_fd(d.follow), EV_READ | EV_PERSIST,
				on_follow, &d);
	d.tick = event_new(d.base, -1, EV_PERSIST, on_tick, &d);
	if (!d.follow_ev || !d.tick ||
	    event_add(d.follow_ev, NULL) || event_add(d.tick, &second)) {
		pp_err("Tftp: cannot set up the event loop");
		goto out;
	}
	if (pp_daemon_signals_add(&d.sig, d.base, "Tftp", on_hup, NULL, &d))
		goto out;
	pp_notice("Tftp: pp-tftpd started (loglevel %s, cache timeout %u ms)",
		  tftpd_loglevel_name(pp_log_get_level()), d.conf.cache_ttl_ms);
	rc = event_base_dispatch(d.base) < 0 ? 1 : 0;
out:
	tftpd_resolve_fini(&d);
	serve_fini(&d);
	cache_fini(&d);
	ctl_fini(&d);
	ratelimit_fini(&d.rl);
	slots_fini(&d.slots);
	replyport_fini(&d.replyport);
	secure_fini(&d.secure);
	nodes_fini(&d.nodes);
	if (d.follow_ev)
		event_free(d.follow_ev);
	if (d.tick)
		event_free(d.tick);
	pp_daemon_signals_free(&d.sig);
	pp_follow_close(d.follow);
	event_base_free(d.base);
	xmlCleanupParser();
	pp_log_close();
	return rc;
}
