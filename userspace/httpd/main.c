// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-httpd: one libevent loop serving
 *   - the user activation web page on the north address (HTTPS on 443 when
 *     a certificate is installed, port 80 then redirecting to it; plain
 *     HTTP on 80 while there is none),
 *   - the activation web service (SOAP, Appendix A) on the south address,
 *   - the phones' HTTP proxy on north:8088 (URL allow list).
 *
 * It follows the kernel's configuration (addresses, "http" and "httpproxy"
 * enable) as the module announces it, and, when ppctl tells it (its
 * control socket, lib/ctlsock.h) or on SIGHUP, httpd.conf (published
 * roles, proxy settings), the published users.xml, the administrator's
 * password and the installed certificates, and opens or closes its
 * listeners to match.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <openssl/crypto.h>

#include "cert.h"
#include "conf.h"
#include "ctlsock.h"
#include "httpd.h"
#include "log.h"
#include "nl.h"
#include "parse.h"
#include "password.h"
#include "soap.h"

static const char *const role_names[L_COUNT] = {
	[L_NORTH_HTTP] = "north http",
	[L_NORTH_HTTPS] = "north https",
	[L_SOUTH_HTTP] = "south http",
	[L_SOUTH_HTTPS] = "south https",
	[L_PROXY] = "httpproxy",
	[L_VNORTH_HTTP] = "virtual north http",
	[L_VNORTH_HTTPS] = "virtual north https",
	[L_VSOUTH_HTTP] = "virtual south http",
	[L_VSOUTH_HTTPS] = "virtual south https",
};

/*
 * A listening socket on a virtual address of the heartbeat pair: it may
 * not be on this node yet (IP_FREEBIND). Returns the socket or -1.
 */
static evutil_socket_t listen_freebind(uint32_t addr, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = addr };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 128) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static const char *const kind_names[] = {
	[K_NONE] = "off",
	[K_PAGE] = "activation page",
	[K_SOAP] = "activation web service",
	[K_REDIRECT] = "redirect to https",
	[K_PROXY] = "HTTP proxy",
};

/* ---- what we follow ---- */

static struct file_sig sig_of(const char *path)
{
	struct file_sig s;
	struct stat st;

	memset(&s, 0, sizeof(s));
	if (stat(path, &st) == 0) {
		s.exists = true;
		s.dev = st.st_dev;
		s.ino = st.st_ino;
		s.size = st.st_size;
		s.mtime = st.st_mtim;
	}
	return s;
}

static bool sig_same(const struct file_sig *a, const struct file_sig *b)
{
	return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/*
 * The connection limits of httpd.conf, the global cap clamped to the
 * descriptors we may open: a proxied request holds two (the phone's and
 * the upstream's), and 64 are kept for listeners, netlink and files.
 */
static void apply_limits(struct httpd *h)
{
	struct httpd_limits *l = &h->limits, old = *l;
	unsigned long fit = h->fd_limit > 128 ? (h->fd_limit - 64) / 2 : 32;

	pp_httpconf_limits(&h->conf, &l->max_conns, &l->max_conns_per_addr,
			   &l->header_timeout, &l->body_timeout);
	if (l->max_conns > fit) {
		if (old.max_conns != (unsigned int)fit)
			pp_warn("connections: %u descriptors allow %lu connections, not the %u set: at most %lu (raise LimitNOFILE)",
				(unsigned int)h->fd_limit, fit, l->max_conns, fit);
		l->max_conns = (unsigned int)fit;
	}
	if (memcmp(&old, l, sizeof(old)))
		pp_info("connections: at most %u, %u per address; a request head within %u s, a body within %u s",
			l->max_conns, l->max_conns_per_addr, l->header_timeout, l->body_timeout);
}

/*
 * Raise the soft descriptor limit to the hard one (at most 65536) and say
 * what we have: each connection costs a descriptor.
 */
static void raise_fd_limit(struct httpd *h)
{
	struct rlimit rl;
	rlim_t want;

	if (getrlimit(RLIMIT_NOFILE, &rl)) {
		pp_warn("descriptors: getrlimit: %s", strerror(errno));
		h->fd_limit = 1024;
		return;
	}
	want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rlim_t old = rl.rlim_cur;

		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			pp_notice("descriptors: soft limit raised from %lu to %lu",
				  (unsigned long)old, (unsigned long)want);
		else
			pp_warn("descriptors: cannot raise the soft limit from %lu to %lu: %s",
				(unsigned long)old, (unsigned long)want, strerror(errno));
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	h->fd_limit = rl.rlim_cur == RLIM_INFINITY ? 65536 : (unsigned long)rl.rlim_cur;
	pp_info("descriptors: %lu (hard limit %lu)", h->fd_limit,
		rl.rlim_max == RLIM_INFINITY ? 0ul : (unsigned long)rl.rlim_max);
}

static void reload_conf(struct httpd *h, bool force)
{
	char path[4096], err[1200];
	struct pp_httpconf c;
	struct file_sig s;

	if (pp_httpconf_path(path, sizeof(path)))
		return;
	s = sig_of(path);
	if (!force && sig_same(&s, &h->conf_sig))
		return;
	h->conf_sig = s;
	if (pp_httpconf_load(path, &c, err, sizeof(err))) {
		pp_warn("%s; keeping the settings read before", err);
		return;
	}
	pp_httpconf_free(&h->conf);
	h->conf = c;
	apply_limits(h);
	pp_info("settings: webpage %s, webservice %s, httpproxy mode %s, %zu allowed URL pattern%s",
		c.webpage ? "published" : "not published",
		c.webservice ? "published" : "not published",
		c.mode == PP_PROXY_EXTERNAL ? "external" : "internal", c.nallow,
		c.nallow == 1 ? "" : "s");
}

static void reload_users(struct httpd *h, bool force)
{
	char path[4096], err[1024];
	struct pp_users *u;
	struct file_sig s;

	if (pp_conf_users_path(path, sizeof(path)))
		return;
	s = sig_of(path);
	if (!force && sig_same(&s, &h->users_sig))
		return;
	h->users_sig = s;
	if (!s.exists) {
		pp_users_free(h->users);
		h->users = NULL;
		pp_info("users: none published (%s)", path);
		return;
	}
	if (pp_users_parse_file(path, &u, err, sizeof(err))) {
		pp_warn("%s; keeping the users read before", err);
		return;
	}
	pp_users_free(h->users);
	h->users = u;
	h->dummy_iterations = httpd_dummy_iterations(u);
	pp_info("users: %zu from %s", u->nusers, path);
}

static void reload_admin(struct httpd *h, bool force)
{
	char path[4096];
	struct file_sig s;
	int rc;

	if (pp_admin_pw_path(path, sizeof(path)))
		return;
	s = sig_of(path);
	if (!force && sig_same(&s, &h->admin_sig))
		return;
	h->admin_sig = s;
	rc = pp_admin_pw_read(h->admin_seed, sizeof(h->admin_seed), h->admin_hash,
			      sizeof(h->admin_hash));
	h->admin_set = rc == 0;
	if (rc && rc != -ENOENT)
		pp_warn("%s: %s; the web service's login is refused", path,
			rc == -EINVAL ? "not \"seed hash\"" : strerror(-rc));
}

static void reload_cert(struct tls_cert *c, bool north, bool force)
{
	char path[4096], err[1024];
	struct file_sig s;
	SSL_CTX *ctx;

	if (pp_cert_for_interface(north, path, sizeof(path))) {
		if (c->ctx) {
			pp_notice("%s: no certificate any more: plain HTTP", north ? "north" : "south");
			SSL_CTX_free(c->ctx);
			c->ctx = NULL;
		}
		memset(&c->sig, 0, sizeof(c->sig));
		c->path[0] = '\0';
		return;
	}
	s = sig_of(path);
	if (!force && !strcmp(path, c->path) && sig_same(&s, &c->sig))
		return;
	c->sig = s;
	snprintf(c->path, sizeof(c->path), "%s", path);
	ctx = tls_server_ctx(path, err, sizeof(err));
	if (!ctx) {
		pp_warn("%s; %s", err, c->ctx ? "keeping the certificate loaded before" :
			"no HTTPS until it is fixed");
		return;
	}
	/* Listeners using the old context are rebuilt by reconcile(); the
	 * connections they had keep a reference of their own. */
	SSL_CTX_free(c->ctx);
	c->ctx = ctx;
	pp_notice("%s: certificate %s loaded", north ? "north" : "south", path);
}

/* ---- listeners ---- */

static void listener_stop(struct listener *l)
{
	if (l->http) {
		char a[PP_IPV4_STRLEN];

		evhttp_free(l->http);
		l->http = NULL;
		pp_info("%s: closed %s:%u", role_names[l->role], pp_ipv4_str(l->addr, a),
			l->port);
	}
	l->kind = K_NONE;
	l->addr = 0;
	l->port = 0;
	l->ssl = NULL;
	l->last_error[0] = '\0';
}

static void listener_start(struct httpd *h, struct listener *l)
{
	char a[PP_IPV4_STRLEN], msg[256];
	size_t body_max = 16384;

	pp_ipv4_str(l->addr, a);
	switch (l->kind) {
	case K_PAGE:
	case K_REDIRECT:
		break;
	case K_SOAP:
		body_max = PP_SOAP_BODY_MAX;
		break;
	case K_PROXY:
		body_max = h->opt.proxy_request_max;
		break;
	case K_NONE:
		return;
	}
	l->http = evhttp_new(h->base);
	if (!l->http) {
		pp_err("%s: out of memory", role_names[l->role]);
		return;
	}
	evhttp_set_allowed_methods(l->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
				   EVHTTP_REQ_HEAD);
	evhttp_set_max_headers_size(l->http, PP_HTTPD_HEADERS_MAX);
	evhttp_set_max_body_size(l->http, (ev_ssize_t)body_max);
	/* The idle limit; the deadlines of a request are conn.c's. */
	evhttp_set_timeout(l->http, PP_HTTPD_IDLE_TIMEOUT);
	evhttp_set_default_content_type(l->http, "text/plain; charset=utf-8");
	/* Every connection goes through conn.c: caps, deadlines, TLS. */
	evhttp_set_bevcb(l->http, conn_bevcb, l);
	evhttp_set_gencb(l->http, httpd_dispatch, l);
	if (l->role >= L_VNORTH_HTTP) {
		evutil_socket_t fd = listen_freebind(l->addr, l->port);

		if (fd >= 0 && !evhttp_accept_socket_with_handle(l->http, fd)) {
			close(fd);
			fd = -1;
		}
		if (fd < 0)
			goto fail;
	} else if (!evhttp_bind_socket_with_handle(l->http, a, l->port)) {
fail:
		snprintf(msg, sizeof(msg), "cannot listen on %s:%u: %s", a, l->port,
			 strerror(errno));
		if (strcmp(msg, l->last_error))
			pp_warn("%s: %s (trying again every second)", role_names[l->role], msg);
		snprintf(l->last_error, sizeof(l->last_error), "%s", msg);
		evhttp_free(l->http);
		l->http = NULL;
		return;
	}
	l->last_error[0] = '\0';
	pp_notice("%s: %s on %s:%u%s", role_names[l->role], kind_names[l->kind], a,
		  l->port, l->ssl ? " (TLS)" : "");
}

static void reconcile(struct httpd *h)
{
	struct listener want[L_COUNT];
	const struct pp_config *c = &h->cfg;
	int i;

	memset(want, 0, sizeof(want));
	if (h->have_cfg && c->http) {
		SSL_CTX *n = h->cert_north.ctx, *s = h->cert_south.ctx;

		if (h->conf.webpage && c->north_addr) {
			want[L_NORTH_HTTP] = (struct listener){ .kind = n ? K_REDIRECT : K_PAGE,
				.addr = c->north_addr, .port = h->opt.http_port };
			if (n)
				want[L_NORTH_HTTPS] = (struct listener){ .kind = K_PAGE,
					.addr = c->north_addr, .port = h->opt.https_port, .ssl = n };
		}
		if (h->conf.webservice && c->south_addr) {
			want[L_SOUTH_HTTP] = (struct listener){ .kind = s ? K_REDIRECT : K_SOAP,
				.addr = c->south_addr, .port = h->opt.http_port };
			if (s)
				want[L_SOUTH_HTTPS] = (struct listener){ .kind = K_SOAP,
					.addr = c->south_addr, .port = h->opt.https_port, .ssl = s };
		}
		/* The guide: "virtnorth: tftp, http", "virtsouth: http". */
		for (i = 0; i < 4; i++) {
			uint32_t v = i < 2 ? c->virt_north_addr : c->virt_south_addr;
			const struct listener *real = &want[L_NORTH_HTTP + i];

			if (v && real->kind != K_NONE)
				want[L_VNORTH_HTTP + i] = (struct listener){ .kind = real->kind,
					.addr = v, .port = real->port, .ssl = real->ssl };
		}
	}
	if (h->have_cfg && c->httpproxy && c->north_addr)
		want[L_PROXY] = (struct listener){ .kind = K_PROXY, .addr = c->north_addr,
			.port = c->httpproxy_port ? c->httpproxy_port : PP_DEFAULT_HTTPPROXY_PORT };
	for (i = 0; i < L_COUNT; i++) {
		struct listener *l = &h->l[i];
		bool same = l->kind == want[i].kind && l->addr == want[i].addr &&
			    l->port == want[i].port && l->ssl == want[i].ssl;

		if (same && (l->http || l->kind == K_NONE))
			continue;
		if (!same) {
			listener_stop(l);
			l->kind = want[i].kind;
			l->addr = want[i].addr;
			l->port = want[i].port;
			l->ssl = want[i].ssl;
		}
		listener_start(h, l);
	}
}

static void refresh(struct httpd *h, bool force)
{
	reload_conf(h, force);
	reload_users(h, force);
	reload_admin(h, force);
	reload_cert(&h->cert_north, true, force);
	reload_cert(&h->cert_south, false, force);
	reconcile(h);
}

/* Housekeeping; a listener that could not bind tries again. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct httpd *h = arg;
	time_t now = time(NULL);

	(void)fd;
	(void)what;
	reconcile(h);
	pp_lockout_expire(h->lockout, now);
	tokens_expire(h, now);
}

static void on_sighup(evutil_socket_t fd, short what, void *arg)
{
	struct httpd *h = arg;

	(void)fd;
	(void)what;
	pp_notice("SIGHUP: reloading everything");
	pp_follow_sync(h->follow);
	refresh(h, true);
}

/* ppctl changed a file we read: re-read those that changed. */
static void on_ctl(void *arg, const char *req, FILE *out)
{
	if (strcmp(req, "reload")) {
		fputs("error unknown request\n", out);
		return;
	}
	refresh(arg, false);
	fputs("ok\n", out);
}

/* The module's configuration, at start and after every change. */
static void on_config(const struct pp_config *cfg, void *arg)
{
	struct httpd *h = arg;
	char line[sizeof(h->cfg_line)], n[PP_IPV4_STRLEN], s[PP_IPV4_STRLEN];

	h->have_cfg = cfg != NULL;
	h->cfg = cfg ? *cfg : (struct pp_config){ 0 };
	if (cfg)
		snprintf(line, sizeof(line), "north %s, south %s, web activation %s, HTTP proxy %s port %u",
			 pp_ipv4_str(cfg->north_addr, n), pp_ipv4_str(cfg->south_addr, s),
			 cfg->http ? "on" : "off", cfg->httpproxy ? "on" : "off",
			 cfg->httpproxy_port);
	else
		snprintf(line, sizeof(line), "phoneproxy module not loaded; waiting for it");
	if (strcmp(line, h->cfg_line))
		pp_notice("configuration: %s", line);
	memcpy(h->cfg_line, line, sizeof(line));
	reconcile(h);
}

static void on_follow(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pp_follow_read(((struct httpd *)arg)->follow);
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
	struct httpd *h = arg;

	(void)what;
	pp_notice("signal %d: stopping", (int)fd);
	event_base_loopexit(h->base, NULL);
}

/* ---- main ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pp-httpd [options]\n"
		"       pp-httpd --hash-password [--iterations N] < password\n"
		"  -s, --syslog               log to syslog instead of stderr\n"
		"  -v, --verbose              log debug messages too\n"
		"      --lockout-time S       seconds a locked login stays locked (1200)\n"
		"      --lockout-failures N   failures of one user from one address (3)\n"
		"      --address-failures N   failures from one address, any user (10)\n"
		"      --token-idle S         web service token lifetime when unused (600)\n"
		"      --proxy-request-max B  largest request body proxied (65536)\n"
		"      --proxy-response-max B largest response body proxied (1048576)\n"
		"      --proxy-timeout S      upstream timeout (10)\n"
		"      --hash-password        print <seed> and <hashPw> for users.xml of\n"
		"                             the password read from stdin (PBKDF2-SHA256)\n"
		"Paths follow $PP_CONF_DIR (httpd.conf) and $PP_STATE_DIR (users.xml,\n"
		"admin.pw, certs/). See docs/httpd.md.\n");
}

static int opt_uint(const char *name, const char *v, uint64_t min, uint64_t max,
		    uint64_t *out)
{
	if (pp_parse_uint(v, min, max, out)) {
		fprintf(stderr, "pp-httpd: --%s value \"%s\" is not a number in %llu..%llu\n",
			name, v, (unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	return 0;
}

static int hash_password(unsigned int iterations)
{
	char *line = NULL, seed[PP_PW_SEED_LEN + 1], hash[PP_PW_HASH_MAX];
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);

	if (n <= 0) {
		fprintf(stderr, "pp-httpd: no password on stdin\n");
		free(line);
		return 1;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (!n || pp_pw_hash(line, iterations, seed, hash)) {
		fprintf(stderr, "pp-httpd: cannot hash %s\n",
			n ? "this password (too long?)" : "an empty password");
		OPENSSL_cleanse(line, cap);
		free(line);
		return 1;
	}
	OPENSSL_cleanse(line, cap);
	free(line);
	printf("<seed>%s</seed>\n<hashPw>%s</hashPw>\n", seed, hash);
	return 0;
}

int main(int argc, char **argv)
{
	enum { O_LOCK = 256, O_LOCKF, O_ADDRF, O_TOKEN, O_REQMAX, O_RESPMAX, O_TIMEOUT,
	       O_HASH, O_ITER, O_HTTP, O_HTTPS };
	static const struct option longopts[] = {
		{ "syslog", no_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "lockout-time", required_argument, NULL, O_LOCK },
		{ "lockout-failures", required_argument, NULL, O_LOCKF },
		{ "address-failures", required_argument, NULL, O_ADDRF },
		{ "token-idle", required_argument, NULL, O_TOKEN },
		{ "proxy-request-max", required_argument, NULL, O_REQMAX },
		{ "proxy-response-max", required_argument, NULL, O_RESPMAX },
		{ "proxy-timeout", required_argument, NULL, O_TIMEOUT },
		{ "hash-password", no_argument, NULL, O_HASH },
		{ "iterations", required_argument, NULL, O_ITER },
		{ "http-port", required_argument, NULL, O_HTTP },
		{ "https-port", required_argument, NULL, O_HTTPS },
		{ NULL, 0, NULL, 0 },
	};
	static struct httpd h;
	struct pp_lockout_policy pol;
	bool to_syslog = false, hash = false;
	char err[256] = "cannot set up the event loop";
	uint64_t v, iterations = 0;
	int opt, i;

	h.opt = (struct httpd_options){
		.lock_secs = 1200, .pair_failures = 3, .addr_failures = 10,
		.token_idle = 600, .proxy_request_max = 65536,
		.proxy_response_max = 1 << 20, .proxy_timeout = 10,
		.http_port = 80, .https_port = 443,
	};
	while ((opt = getopt_long(argc, argv, "svh", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			to_syslog = true;
			break;
		case 'v':
			pp_log_set_level(PP_LOG_DEBUG);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case O_LOCK:
			if (opt_uint("lockout-time", optarg, 1, 604800, &v))
				return 2;
			h.opt.lock_secs = (unsigned int)v;
			break;
		case O_LOCKF:
			if (opt_uint("lockout-failures", optarg, 1, 1000, &v))
				return 2;
			h.opt.pair_failures = (unsigned int)v;
			break;
		case O_ADDRF:
			if (opt_uint("address-failures", optarg, 1, 100000, &v))
				return 2;
			h.opt.addr_failures = (unsigned int)v;
			break;
		case O_TOKEN:
			if (opt_uint("token-idle", optarg, 1, 604800, &v))
				return 2;
			h.opt.token_idle = (unsigned int)v;
			break;
		case O_REQMAX:
			if (opt_uint("proxy-request-max", optarg, 0, 64u << 20, &v))
				return 2;
			h.opt.proxy_request_max = (size_t)v;
			break;
		case O_RESPMAX:
			if (opt_uint("proxy-response-max", optarg, 1, 256u << 20, &v))
				return 2;
			h.opt.proxy_response_max = (size_t)v;
			break;
		case O_TIMEOUT:
			if (opt_uint("proxy-timeout", optarg, 1, 3600, &v))
				return 2;
			h.opt.proxy_timeout = (unsigned int)v;
			break;
		case O_HASH:
			hash = true;
			break;
		case O_ITER:
			if (opt_uint("iterations", optarg, PP_PW_ITER_MIN, PP_PW_ITER_MAX, &iterations))
				return 2;
			break;
		case O_HTTP:
			if (opt_uint("http-port", optarg, 1, 65535, &v))
				return 2;
			h.opt.http_port = (uint16_t)v;
			break;
		case O_HTTPS:
			if (opt_uint("https-port", optarg, 1, 65535, &v))
				return 2;
			h.opt.https_port = (uint16_t)v;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "pp-httpd: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (hash)
		return hash_password((unsigned int)iterations);

	signal(SIGPIPE, SIG_IGN);
	pp_log_open("pp-httpd", to_syslog);
	pp_log_to_logd("Http");	/* phoneproxy.log (docs/logs.md) */
	pp_soap_init();
	raise_fd_limit(&h);
	apply_limits(&h);
	/* The password workers hand results back with event_active(). */
	if (evthread_use_pthreads()) {
		pp_err("libevent: no thread support");
		return 1;
	}
	h.base = event_base_new();
	h.dummy_iterations = pp_pw_default_iterations();
	h.pw = h.base ? pw_pool_new(h.base, PP_PWPOOL_THREADS, PP_PWPOOL_QUEUE,
				    PP_PWPOOL_PER_ADDR) : NULL;
	pol = (struct pp_lockout_policy){
		.pair_failures = h.opt.pair_failures,
		.addr_failures = h.opt.addr_failures,
		.lock_secs = h.opt.lock_secs,
	};
	h.lockout = pp_lockout_new(&pol);
	if (!h.base || !h.lockout || !h.pw) {
		pp_err("out of memory");
		return 1;
	}
	for (i = 0; i < L_COUNT; i++) {
		h.l[i].owner = &h;
		h.l[i].role = (enum listener_role)i;
	}
	pp_httpconf_init(&h.conf);
	h.tick = event_new(h.base, -1, EV_PERSIST, on_tick, &h);
	h.sighup = evsignal_new(h.base, SIGHUP, on_sighup, &h);
	h.sigterm = evsignal_new(h.base, SIGTERM, on_stop, &h);
	h.sigint = evsignal_new(h.base, SIGINT, on_stop, &h);
	{
		struct timeval one = { 1, 0 };

		if (!h.tick || !h.sighup || !h.sigterm || !h.sigint ||
		    event_add(h.tick, &one) || evsignal_add(h.sighup, NULL) ||
		    evsignal_add(h.sigterm, NULL) || evsignal_add(h.sigint, NULL)) {
			pp_err("cannot set up the event loop");
			return 1;
		}
	}
	i = pp_ctl_open(h.base, PP_CTL_HTTPD, on_ctl, &h, &h.ctl);
	if (i)
		pp_warn("control socket: %s%s", strerror(-i), i != -EADDRINUSE ? "" :
			" (another pp-httpd runs in this network namespace: this one learns of ppctl's changes by SIGHUP only)");
	pp_notice("started (conf %s, state %s)", pp_conf_dir(), pp_state_dir());
	refresh(&h, true);
	/* Listeners open once the module's configuration is known. */
	if (pp_follow_open(&h.follow, on_config, &h, err, sizeof(err)) ||
	    !(h.follow_ev = event_new(h.base, pp_follow_fd(h.follow), EV_READ | EV_PERSIST,
				      on_follow, &h)) || event_add(h.follow_ev, NULL)) {
		pp_err("netlink: %s", err);
		return 1;
	}
	event_base_dispatch(h.base);

	for (i = 0; i < L_COUNT; i++)
		listener_stop(&h.l[i]);
	pw_pool_free(h.pw);
	SSL_CTX_free(h.cert_north.ctx);
	SSL_CTX_free(h.cert_south.ctx);
	pp_ctl_close(h.ctl);
	event_free(h.follow_ev);
	event_free(h.tick);
	event_free(h.sighup);
	event_free(h.sigterm);
	event_free(h.sigint);
	pp_users_free(h.users);
	pp_httpconf_free(&h.conf);
	pp_lockout_free(h.lockout);
	pp_follow_close(h.follow);
	event_base_free(h.base);
	OPENSSL_cleanse(h.admin_hash, sizeof(h.admin_hash));
	pp_notice("stopped");
	pp_log_close();
	return 0;
}
