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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "conf.h"
#include "log.h"
#include "tlsd.h"

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

/*
 * Re-read tlsd.conf and the certificate (ppctl's "reload", SIGHUP). All
 * or nothing: a bad file, a bad CA bundle or a certificate that no longer
 * loads keeps the settings and the TLS context of before (returns -1 with
 * err). Without a certificate yet, the settings are taken and pp-tlsd
 * listens once it is installed. Established connections keep theirs.
 */
static int tlsd_reload(struct tlsd *d, char *err, size_t errlen)
{
	char path[4096], why[1024];
	struct pp_tlsdconf c;
	SSL_CTX *ctx;

	if (pp_tlsdconf_load(d->conf_path, d->conf_missing_ok, &c, err, errlen) ||
	    (*c.cafile && pp_cert_ca_bundle_check(c.cafile, err, errlen)))
		goto keep;
	if (pp_cert_path(PP_CERT_TFTP, path, sizeof(path))) {
		pp_errf(err, errlen, "certificate path too long");
		goto keep;
	}
	ctx = tlsd_ctx_new(path, c.cafile, why, sizeof(why));
	if (!ctx && d->ctx) {
		pp_errf(err, errlen, "%s", why);
		goto keep;
	}
	if (ctx) {
		if (d->ctx)
			SSL_CTX_free(d->ctx);
		d->ctx = ctx;
	}
	d->conf = c;
	pp_daemon_nofile(c.max_conns, "Tls", "maxconnections");
	pp_notice("Tls: settings of %s taken: handshaketimeout %u s, maxconnections %u, peraddress %u, maxhandshakes %u, client certificates %s%s%s",
		  d->conf_path, c.handshake_timeout, c.max_conns, c.max_conns_per_addr,
		  c.max_handshakes, *c.cafile ? "verified against " : "requested, any accepted",
		  c.cafile, d->ctx ? "" : "; no certificate yet, not listening");
	relisten(d);
	return 0;
keep:
	pp_warn("Tls: %s; keeping the settings read before", err);
	return -1;
}

static void on_hup(void *arg)
{
	char err[1200];

	tlsd_reload(arg, err, sizeof(err));
}

static void on_usr1(void *arg)
{
	tlsd_stats_log(arg);
}

/* The control socket (lib/ctlsock.h PP_CTL_TLSD): "stats", "reload". */
static void on_ctl(void *arg, const char *req, FILE *f)
{
	struct tlsd *d = arg;
	char err[1200];

	if (!strcmp(req, "stats"))
		tlsd_stats_write(f, d);
	else if (!strcmp(req, "reload") && tlsd_reload(d, err, sizeof(err)))
		fprintf(f, "error %s\n", err);
	else if (!strcmp(req, "reload"))
		fputs("ok\n", f);
	else
		fputs("error unknown request\n", f);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pp-tlsd [-e] [-c FILE] [-t]\n"
		"  -c FILE  settings (default $PP_CONF_DIR/" PP_TLSDCONF_FILE ")\n"
		"  -e       log to stderr instead of syslog\n"
		"  -t       check the settings and exit\n"
		"Runs in the network namespace of its proxy; ppctl show stats shows its\n"
		"counters; ppctl set phoneproxy sccp security ... changes its settings and\n"
		"tells it (or SIGHUP: it re-reads FILE and the certificate). SIGUSR1 logs\n"
		"the counters.\n");
}

int main(int argc, char **argv)
{
	static struct tlsd d;
	struct pp_daemon_args args;
	char err[1200];
	struct timeval tick = { .tv_sec = 2 };
	struct event *tick_ev = NULL;
	int rc;

	rc = pp_daemon_args(argc, argv, "pp-tlsd", PP_TLSDCONF_FILE, usage, &args);
	if (rc >= 0)
		return rc;
	d.conf_path = args.conf;
	d.conf_missing_ok = args.conf_optional;
	if (pp_tlsdconf_load(d.conf_path, d.conf_missing_ok, &d.conf, err, sizeof(err))) {
		pp_err("Tls: %s", err);
		return 1;
	}
	if (args.test) {
		printf("%s: ok\n", d.conf_path);
		return 0;
	}
	pp_log_to_logd("Tls");	/* phoneproxy.log (docs/logs.md) */
	rc = 1;		/* until the loop ends well */
	pp_daemon_nofile(d.conf.max_conns, "Tls", "maxconnections");
	d.base = event_base_new();
	if (!d.base) {
		pp_err("Tls: cannot create the event loop");
		return 1;
	}
	if (pp_daemon_ctl(d.base, PP_CTL_TLSD, "Tls", "pp-tlsd", on_ctl, &d, &d.ctl))
		goto out;
	load_ctx(&d, false);
	if (pp_follow_open(&d.follow, on_config, &d, err, sizeof(err))) {
		pp_err("Tls: %s", err);
		goto out;
	}
	d.follow_ev = event_new(d.base, pp_follow_fd(d.follow), EV_READ | EV_PERSIST, on_follow, &d);
	tick_ev = event_new(d.base, -1, EV_PERSIST, on_tick, &d);
	if (!d.follow_ev || !tick_ev || event_add(d.follow_ev, NULL) || event_add(tick_ev, &tick)) {
		pp_err("Tls: cannot set up the event loop");
		goto out;
	}
	if (pp_daemon_signals_add(&d.sig, d.base, "Tls", on_hup, on_usr1, &d))
		goto out;
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
	pp_daemon_signals_free(&d.sig);
	pp_ctl_close(d.ctl);
	pp_follow_close(d.follow);
	if (d.ctx)
		SSL_CTX_free(d.ctx);
	event_base_free(d.base);
	pp_log_close();
	return rc;
}
