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

struct pp_nl *tftpd_nl(struct tftpd *d)
{
	char err[256];

	if (d->nl)
		return d->nl;
	if (pp_nl_open(&d->nl, err, sizeof(err))) {
		pp_err("Tftp: netlink: %s", err);
		return NULL;
	}
	return d->nl;
}

void tftpd_nl_reset(struct tftpd *d)
{
	pp_nl_close(d->nl);
	d->nl = NULL;
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct tftpd *d = arg;
	struct pp_config cfg;
	struct pp_nl *nl = tftpd_nl(d);
	static unsigned int n;
	uint64_t now = tftpd_now_ms();

	(void)fd;
	(void)what;
	/* Follow "set interface north address" and the TFTP port. */
	if (nl && pp_config_get(nl, &cfg) == 0)
		serve_rebind(d, &cfg);
	else if (nl)
		tftpd_nl_reset(d);
	cache_expire(d, now);
	if (++n % 10 == 0)
		ratelimit_expire(&d->rl, now);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct tftpd *d = arg;

	(void)what;
	if (sig == SIGHUP) {
		tftpd_reload(d);
		return;
	}
	pp_notice("Tftp: stopping on signal %d", (int)sig);
	event_base_loopbreak(d->base);
}

/*
 * Every transfer holds a socket to the phone and every fetch one to a
 * CallManager: max-transfers needs about twice as many descriptors.
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
		pp_warn("Tftp: only %llu file descriptors (max-transfers %u wants %llu)",
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
		"shows its counters, ppctl set phoneproxy loglevel its detail.\n");
}

int main(int argc, char **argv)
{
	struct tftpd d;
	char path[4096], err[1024];
	const char *conf = NULL;
	bool to_stderr = false, test = false;
	struct timeval second = { .tv_sec = 1 };
	struct pp_config cfg;
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
	d.ctl_fd = -1;
	TAILQ_INIT(&d.lru);
	tftpd_conf_defaults(&d.conf);
	if (!conf) {
		snprintf(path, sizeof(path), "%s/%s", pp_conf_dir(), TFTPD_CONF_FILE);
		conf = path;
		rc = tftpd_conf_load(&d.conf, conf, true, err, sizeof(err));
	} else {
		rc = tftpd_conf_load(&d.conf, conf, false, err, sizeof(err));
	}
	if (rc) {
		pp_err("%s", err);
		return 1;
	}
	if (test) {
		printf("%s: ok\n", conf);
		return 0;
	}
	rc = 1;		/* until the loop ends well */
	d.conf_loglevel = d.conf.loglevel;
	pp_log_set_level(d.conf.loglevel);
	tftpd_reload(&d);
	xmlInitParser();
	signal(SIGPIPE, SIG_IGN);
	raise_nofile(&d.conf);

	d.base = event_base_new();
	if (!d.base) {
		pp_err("Tftp: cannot create the event loop");
		return 1;
	}
	if (pp_nl_open(&d.nl, err, sizeof(err))) {
		pp_err("Tftp: %s", err);
		goto out;
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
	if (pp_config_get(d.nl, &cfg)) {
		pp_err("Tftp: reading the proxy's configuration: %s", pp_nl_error(d.nl));
		goto out;
	}
	serve_rebind(&d, &cfg);
	if (!d.bound_addr)
		pp_notice("Tftp: no north address yet; waiting for \"set interface north address\"");
	d.tick = event_new(d.base, -1, EV_PERSIST, on_tick, &d);
	d.sig_term = evsignal_new(d.base, SIGTERM, on_signal, &d);
	d.sig_int = evsignal_new(d.base, SIGINT, on_signal, &d);
	d.sig_hup = evsignal_new(d.base, SIGHUP, on_signal, &d);
	if (!d.tick || !d.sig_term || !d.sig_int || !d.sig_hup ||
	    event_add(d.tick, &second) || event_add(d.sig_term, NULL) ||
	    event_add(d.sig_int, NULL) || event_add(d.sig_hup, NULL)) {
		pp_err("Tftp: cannot set up the event loop");
		goto out;
	}
	pp_notice("Tftp: pp-tftpd started (loglevel %s, cache-ttl %u ms)",
		  tftpd_loglevel_name(pp_log_get_level()), d.conf.cache_ttl_ms);
	rc = event_base_dispatch(d.base) < 0 ? 1 : 0;
out:
	serve_fini(&d);
	cache_fini(&d);
	ctl_fini(&d);
	ratelimit_fini(&d.rl);
	slots_fini(&d.slots);
	if (d.tick)
		event_free(d.tick);
	if (d.sig_term)
		event_free(d.sig_term);
	if (d.sig_int)
		event_free(d.sig_int);
	if (d.sig_hup)
		event_free(d.sig_hup);
	pp_nl_close(d.nl);
	event_base_free(d.base);
	xmlCleanupParser();
	pp_log_close();
	return rc;
}
