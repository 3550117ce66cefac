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
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <libxml/parser.h>

#include "conf.h"
#include "ctl.h"
#include "log.h"
#include "nl.h"
#include "parse.h"
#include "tftpd.h"

uint64_t tftpd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

const char *tftpd_ip(uint32_t addr)
{
	static char buf[4][PP_IPV4_STRLEN];
	static unsigned int i;

	return pp_ipv4_str(addr, buf[i++ & 3]);
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
	if (++n % 10 == 0)
		ratelimit_expire(&d->rl, now);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct tftpd *d = arg;

	(void)what;
	if (sig == SIGHUP) {
		char err[1024];

		tftpd_reload(d, err, sizeof(err));
		return;
	}
	pp_notice("Tftp: stopping on signal %d", (int)sig);
	event_base_loopbreak(d->base);
}

/*
 * Every transfer holds a socket to the phone and every fetch one to a
 * CallManager: maxtransfers needs about twice as many descriptors.
 */
static void raise_nofile(const struct tftpd_conf *c)
{
	rlim_t want = (rlim_t)c->max_transfers * 2 + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < want)
		pp_warn("Tftp: only %llu file descriptors (maxtransfers %u wants %llu)",
			(unsigned long long)rl.rlim_cur, c->max_transfers,
			(unsigned long long)want);
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
	struct tftpd d;
	char path[4096], err[1024];
	const char *conf = NULL;
	bool to_stderr = false, test = false;
	struct timeval second = { .tv_sec = 1 };
	int opt, rc = 1;

	while ((opt = getopt(argc, argv, "c:eth")) != -1) {
		switch (opt) {
		case 'c':
			conf = optarg;
			break;
		case 'e':
			to_stderr = true;
			break;
		case 't':
			test = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	pp_log_open("pp-tftpd", !to_stderr && !test);
	memset(&d, 0, sizeof(d));
	d.fd69 = -1;
	TAILQ_INIT(&d.lru);
	tftpd_conf_defaults(&d.conf);
	d.conf_optional = !conf;
	if (!conf) {
		snprintf(path, sizeof(path), "%s/%s", pp_conf_dir(), TFTPD_CONF_FILE);
		conf = path;
	}
	d.conf_path = conf;
	rc = tftpd_conf_load(&d.conf, conf, d.conf_optional, err, sizeof(err));
	if (rc) {
		pp_err("%s", err);
		return 1;
	}
	if (test) {
		printf("%s: ok\n", conf);
		return 0;
	}
	rc = 1;		/* until the loop ends well */
	pp_log_set_level(d.conf.loglevel);
	xmlInitParser();
	signal(SIGPIPE, SIG_IGN);
	raise_nofile(&d.conf);

	d.base = event_base_new();
	if (!d.base) {
		pp_err("Tftp: cannot create the event loop");
		return 1;
	}
	opt = ctl_init(&d);
	if (opt) {
		pp_err("Tftp: control socket: %s%s", strerror(-opt),
		       opt == -EADDRINUSE ? " (pp-tftpd already runs in this network namespace)" : "");
		goto out;
	}
	ratelimit_init(&d.rl, d.conf.rate, d.conf.burst);
	slots_init(&d.slots, d.conf.max_transfers_per_address);
	serve_init(&d);
	if (pp_follow_open(&d.follow, on_config, &d, err, sizeof(err))) {
		pp_err("Tftp: %s", err);
		goto out;
	}
	if (d.have_cfg && !d.bound_addr)
		pp_notice("Tftp: no north address yet; waiting for \"set interface north address\"");
	d.follow_ev = event_new(d.base, pp_follow_fd(d.follow), EV_READ | EV_PERSIST,
				on_follow, &d);
	d.tick = event_new(d.base, -1, EV_PERSIST, on_tick, &d);
	d.sig_term = evsignal_new(d.base, SIGTERM, on_signal, &d);
	d.sig_int = evsignal_new(d.base, SIGINT, on_signal, &d);
	d.sig_hup = evsignal_new(d.base, SIGHUP, on_signal, &d);
	if (!d.follow_ev || !d.tick || !d.sig_term || !d.sig_int || !d.sig_hup ||
	    event_add(d.follow_ev, NULL) || event_add(d.tick, &second) || event_add(d.sig_term, NULL) ||
	    event_add(d.sig_int, NULL) || event_add(d.sig_hup, NULL)) {
		pp_err("Tftp: cannot set up the event loop");
		goto out;
	}
	pp_notice("Tftp: pp-tftpd started (loglevel %s, cache timeout %u ms)",
		  tftpd_loglevel_name(pp_log_get_level()), d.conf.cache_ttl_ms);
	rc = event_base_dispatch(d.base) < 0 ? 1 : 0;
out:
	serve_fini(&d);
	cache_fini(&d);
	ctl_fini(&d);
	ratelimit_fini(&d.rl);
	slots_fini(&d.slots);
	secure_fini(&d.secure);
	if (d.follow_ev)
		event_free(d.follow_ev);
	if (d.tick)
		event_free(d.tick);
	if (d.sig_term)
		event_free(d.sig_term);
	if (d.sig_int)
		event_free(d.sig_int);
	if (d.sig_hup)
		event_free(d.sig_hup);
	pp_follow_close(d.follow);
	event_base_free(d.base);
	xmlCleanupParser();
	pp_log_close();
	return rc;
}
