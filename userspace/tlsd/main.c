// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tlsd: the TLS terminator of secure SCCP. Phones connect with TLS to
 * the north address's secure SCCP port (2443); pp-tlsd ends TLS, claims
 * the connection for the kernel's SCCP proxy (PP_CMD_SCCP_CLAIM) and
 * connects from the south address to the phone's CallManager, which sees
 * plain SCCP. It listens only while "set phoneproxy sccp security on".
 * docs/secure-sccp.md.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cert.h"
#include "conf.h"
#include "log.h"
#include "parse.h"
#include "tlsd.h"

const char *tlsd_ip(uint32_t addr)
{
	static char buf[4][PP_IPV4_STRLEN];
	static unsigned int i;

	return pp_ipv4_str(addr, buf[i++ & 3]);
}

static void on_accept(struct evconnlistener *lis, evutil_socket_t fd, struct sockaddr *sa,
		      int len, void *arg)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

	(void)lis;
	if (sa->sa_family != AF_INET || len < (int)sizeof(*sin)) {
		evutil_closesocket(fd);
		return;
	}
	tlsd_accept(arg, fd, sin->sin_addr.s_addr, ntohs(sin->sin_port));
}

static void on_accept_error(struct evconnlistener *lis, void *arg)
{
	int err = EVUTIL_SOCKET_ERROR();

	(void)lis;
	(void)arg;
	pp_warn("Tls: accept: %s", strerror(err));
}

/* Load the certificate (pp_cert_path(PP_CERT_TFTP)) and the CA bundle. */
static void load_ctx(struct tlsd *d, bool quiet)
{
	char path[4096], err[1024];
	SSL_CTX *ctx;

	if (pp_cert_path(PP_CERT_TFTP, path, sizeof(path))) {
		pp_err("Tls: certificate path too long");
		return;
	}
	ctx = tlsd_ctx_new(path, d->conf.cafile, err, sizeof(err));
	if (!ctx) {
		if (!quiet)
			pp_warn("Tls: %s; not listening until it is installed (ppctl certificate ...)",
				err);
		return;
	}
	if (d->ctx)
		SSL_CTX_free(d->ctx);
	d->ctx = ctx;
	pp_notice("Tls: certificate %s, client certificates %s%s", path,
		  *d->conf.cafile ? "verified against " : "requested, any accepted",
		  d->conf.cafile);
}

/* Listen on north:security port exactly while secure SCCP is on. */
static void relisten(struct tlsd *d)
{
	bool want = d->have_cfg && d->cfg.sccp_security && d->cfg.north_addr && d->ctx;
	uint16_t port = d->cfg.sccp_security_port ? d->cfg.sccp_security_port :
		PP_DEFAULT_SCCP_SECURITY_PORT;
	struct sockaddr_in sa = { .sin_family = AF_INET };

	if (d->lis && (!want || d->lis_addr != d->cfg.north_addr || d->lis_port != port)) {
		evconnlistener_free(d->lis);
		d->lis = NULL;
		pp_notice("Tls: stopped listening on %s:%u", tlsd_ip(d->lis_addr), d->lis_port);
	}
	if (!want || d->lis)
		return;
	sa.sin_addr.s_addr = d->cfg.north_addr;
	sa.sin_port = htons(port);
	d->lis = evconnlistener_new_bind(d->base, on_accept, d,
					 LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE |
					 LEV_OPT_CLOSE_ON_EXEC, 1024,
					 (struct sockaddr *)&sa, sizeof(sa));
	if (!d->lis) {
		pp_warn("Tls: cannot listen on %s:%u: %s; trying again", tlsd_ip(d->cfg.north_addr),
			port, strerror(errno));
		return;
	}
	evconnlistener_set_error_cb(d->lis, on_accept_error);
	d->lis_addr = d->cfg.north_addr;
	d->lis_port = port;
	pp_notice("Tls: listening on %s:%u", tlsd_ip(d->lis_addr), port);
}

static void on_config(const struct pp_config *cfg, void *arg)
{
	struct tlsd *d = arg;

	d->have_cfg = cfg != NULL;
	d->cfg = cfg ? *cfg : (struct pp_config){ 0 };
	if (!cfg)
		pp_notice("Tls: phoneproxy module not loaded; waiting for it");
	relisten(d);
}

static void on_follow(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pp_follow_read(((struct tlsd *)arg)->follow);
}

/* Retry what waits: the certificate being installed, the address. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct tlsd *d = arg;

	(void)fd;
	(void)what;
	if (!d->ctx)
		load_ctx(d, true);
	relisten(d);
}

static int load_conf(struct tlsd *d, struct pp_tlsdconf *c)
{
	char err[1200];

	if (pp_tlsdconf_load(d->conf_path, d->conf_missing_ok, c, err, sizeof(err))) {
		pp_err("Tls: %s", err);
		return -1;
	}
	return 0;
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct tlsd *d = arg;
	struct pp_tlsdconf c;

	(void)what;
	if (sig == SIGUSR1) {
		tlsd_stats_log(d);
		return;
	}
	if (sig == SIGHUP) {
		/* New settings and certificate; a bad file keeps the old ones. */
		if (!load_conf(d, &c)) {
			d->conf = c;
			load_ctx(d, false);
			relisten(d);
		}
		return;
	}
	pp_notice("Tls: stopping on signal %d", (int)sig);
	event_base_loopbreak(d->base);
}

/* Two descriptors per connection (phone, CallManager). */
static void raise_nofile(unsigned int conns)
{
	rlim_t want = (rlim_t)conns * 2 + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < want)
		pp_warn("Tls: only %llu file descriptors (maxconnections %u wants %llu)",
			(unsigned long long)rl.rlim_cur, conns, (unsigned long long)want);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pp-tlsd [-e] [-c FILE] [-t]\n"
		"  -c FILE  settings (default $PP_CONF_DIR/" PP_TLSDCONF_FILE ")\n"
		"  -e       log to stderr instead of syslog\n"
		"  -t       check the settings and exit\n"
		"SIGHUP reloads the settings and the certificate, SIGUSR1 logs the counters.\n");
}

int main(int argc, char **argv)
{
	static struct tlsd d;
	char path[4096], err[1024];
	struct timeval tick = { .tv_sec = 2 };
	struct event *tick_ev = NULL;
	bool to_stderr = false, test = false;
	int opt, rc = 1;

	while ((opt = getopt(argc, argv, "c:eth")) != -1) {
		switch (opt) {
		case 'c':
			d.conf_path = optarg;
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
	pp_log_open("pp-tlsd", !to_stderr && !test);
	if (!d.conf_path) {
		snprintf(path, sizeof(path), "%s/%s", pp_conf_dir(), PP_TLSDCONF_FILE);
		d.conf_path = path;
		d.conf_missing_ok = true;
	}
	if (load_conf(&d, &d.conf))
		return 1;
	if (test) {
		printf("%s: ok\n", d.conf_path);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	raise_nofile(d.conf.max_conns);
	d.base = event_base_new();
	if (!d.base) {
		pp_err("Tls: cannot create the event loop");
		return 1;
	}
	load_ctx(&d, false);
	if (pp_follow_open(&d.follow, on_config, &d, err, sizeof(err))) {
		pp_err("Tls: %s", err);
		goto out;
	}
	d.follow_ev = event_new(d.base, pp_follow_fd(d.follow), EV_READ | EV_PERSIST, on_follow, &d);
	tick_ev = event_new(d.base, -1, EV_PERSIST, on_tick, &d);
	d.sig_term = evsignal_new(d.base, SIGTERM, on_signal, &d);
	d.sig_int = evsignal_new(d.base, SIGINT, on_signal, &d);
	d.sig_hup = evsignal_new(d.base, SIGHUP, on_signal, &d);
	d.sig_usr1 = evsignal_new(d.base, SIGUSR1, on_signal, &d);
	if (!d.follow_ev || !tick_ev || !d.sig_term || !d.sig_int || !d.sig_hup || !d.sig_usr1 ||
	    event_add(d.follow_ev, NULL) || event_add(tick_ev, &tick) ||
	    event_add(d.sig_term, NULL) || event_add(d.sig_int, NULL) ||
	    event_add(d.sig_hup, NULL) || event_add(d.sig_usr1, NULL)) {
		pp_err("Tls: cannot set up the event loop");
		goto out;
	}
	pp_notice("Tls: pp-tlsd started (handshake timeout %u s, maxconnections %u, peraddress %u, maxhandshakes %u)",
		  d.conf.handshake_timeout, d.conf.max_conns, d.conf.max_conns_per_addr,
		  d.conf.max_handshakes);
	rc = event_base_dispatch(d.base) < 0 ? 1 : 0;
	tlsd_stats_log(&d);
out:
	if (d.lis)
		evconnlistener_free(d.lis);
	if (d.follow_ev)
		event_free(d.follow_ev);
	if (tick_ev)
		event_free(tick_ev);
	if (d.sig_term)
		event_free(d.sig_term);
	if (d.sig_int)
		event_free(d.sig_int);
	if (d.sig_hup)
		event_free(d.sig_hup);
	if (d.sig_usr1)
		event_free(d.sig_usr1);
	pp_follow_close(d.follow);
	if (d.ctx)
		SSL_CTX_free(d.ctx);
	event_base_free(d.base);
	pp_log_close();
	return rc;
}
