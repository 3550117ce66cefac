// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * What the handlers share: the peer's address,
 * replies with the security headers, request bodies, password checks
 * with the lockout around them.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "httpd.h"
#include "log.h"
#include "nl.h"
#include "parse.h"
#include "password.h"

/* ---- helpers for the handlers ---- */

uint32_t httpd_peer_of(struct evhttp_connection *c)
{
	const struct sockaddr *sa = c ? evhttp_connection_get_addr(c) : NULL;

	if (sa && sa->sa_family == AF_INET)
		return ((const struct sockaddr_in *)sa)->sin_addr.s_addr;
	return 0;
}

uint32_t httpd_peer(struct evhttp_request *req, char *buf)
{
	uint32_t addr = httpd_peer_of(evhttp_request_get_connection(req));

	if (buf)
		pp_ipv4_str(addr, buf);
	return addr;
}

void httpd_reply(struct evhttp_request *req, int code, const char *reason,
		 const char *type, const void *body, size_t len)
{
	struct evkeyvalq *hdr = evhttp_request_get_output_headers(req);
	struct evbuffer *out = evbuffer_new();

	evhttp_add_header(hdr, "Content-Type", type);
	evhttp_add_header(hdr, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(hdr, "Cache-Control", "no-store");
	evhttp_add_header(hdr, "Referrer-Policy", "no-referrer");
	evhttp_add_header(hdr, "X-Frame-Options", "DENY");
	evhttp_add_header(hdr, "Content-Security-Policy",
			  "default-src 'none'; style-src 'self'; form-action 'self'; "
			  "frame-ancestors 'none'; base-uri 'none'");
	if (!out) {
		evhttp_send_error(req, 500, "out of memory");
		return;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_HEAD && len)
		evbuffer_add(out, body, len);
	evhttp_send_reply(req, code, reason, out);
	evbuffer_free(out);
}

char *httpd_body(struct evhttp_request *req, size_t max, size_t *len)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t n = evbuffer_get_length(in);
	char *buf;

	if (n > max)
		return NULL;
	buf = malloc(n + 1);
	if (!buf)
		return NULL;
	if (evbuffer_copyout(in, buf, n) != (ev_ssize_t)n) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* A user name as it may appear in the log: printable, bounded. */
static const char *loggable(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f ||
			 s[i] == '"' ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

bool httpd_login_allowed(struct httpd *h, const char *what, const char *user,
			 uint32_t addr)
{
	char a[PP_IPV4_STRLEN], name[PP_NAME_MAX];

	if (!pp_lockout_locked(h->lockout, user, addr, time(NULL)))
		return true;
	/* No sign to the client (the guide): the same "failed". */
	pp_lockout_fail(h->lockout, user, addr, time(NULL));
	pp_info("%s: login of \"%s\" from %s refused: locked out", what,
		loggable(user, name, sizeof(name)), pp_ipv4_str(addr, a));
	return false;
}

void httpd_login_failed(struct httpd *h, const char *what, const char *user,
			uint32_t addr)
{
	char a[PP_IPV4_STRLEN], name[PP_NAME_MAX];
	int started = pp_lockout_fail(h->lockout, user, addr, time(NULL));

	loggable(user, name, sizeof(name));
	pp_ipv4_str(addr, a);
	pp_info("%s: login of \"%s\" from %s failed", what, name, a);
	if (started & PP_LOCKOUT_PAIR)
		pp_notice("lockout: user \"%s\" from %s locked out for %u s after %u failed logins",
			  name, a, h->opt.lock_secs, h->opt.pair_failures);
	if (started & PP_LOCKOUT_ADDR)
		pp_notice("lockout: address %s locked out for %u s after %u failed logins",
			  a, h->opt.lock_secs, h->opt.addr_failures);
	if (started & PP_LOCKOUT_OVERFLOW)
		pp_warn("lockout: the table is full of active locks: logins of clients it does not track are refused for %u s (docs/security.md)",
			h->opt.lock_secs);
}

void httpd_login_succeeded(struct httpd *h, const char *user, uint32_t addr)
{
	pp_lockout_success(h->lockout, user, addr);
}

/* ---- logins off the loop ---- */

unsigned int httpd_dummy_iterations(const struct pp_users *u)
{
	unsigned int best = 0, best_n = 0;
	size_t i, k;

	for (i = 0; u && i < u->nusers; i++) {
		unsigned int it = pp_pw_hash_iterations(u->users[i].hash_pw), n = 0;

		if (!it || it == best)
			continue;
		for (k = 0; k < u->nusers; k++)
			if (pp_pw_hash_iterations(u->users[k].hash_pw) == it)
				n++;
		if (n > best_n) {
			best = it;
			best_n = n;
		}
	}
	return best ? best : pp_pw_default_iterations();
}

static void login_checked(struct pw_job *job, enum pp_pw_result r, const char *why,
			  void *arg)
{
	struct login *lg = arg;
	char name[PP_NAME_MAX];

	(void)job;
	if (r == PP_PW_UNUSABLE)
		pp_warn("user \"%s\": the password hash cannot be checked: %s",
			loggable(lg->user, name, sizeof(name)), why);
	if (r == PP_PW_MATCH)
		httpd_login_succeeded(lg->h, lg->user, lg->addr);
	else
		httpd_login_failed(lg->h, lg->what, lg->user, lg->addr);
	conn_wait_end(&lg->w);
	lg->done(lg, r == PP_PW_MATCH);
	free(lg->user);
	free(lg);
}

enum login_start httpd_login_start(struct httpd *h, struct evhttp_request *req,
				   const char *what, const char *user, const char *pw,
				   bool admin, void (*done)(struct login *, bool),
				   void *ctx)
{
	const char *seed = NULL, *hash = NULL;
	char a[PP_IPV4_STRLEN];
	uint32_t addr = httpd_peer(req, NULL);
	struct login *lg;
	struct hconn *c;

	if (!httpd_login_allowed(h, what, user, addr))
		return LOGIN_LOCKED;
	if (admin) {
		if (h->admin_set && !strcmp(user, "admin")) {
			seed = h->admin_seed;
			hash = h->admin_hash;
		}
	} else if (pp_name_valid(user) && h->users) {
		const struct pp_account *acc = pp_users_find(h->users, user);

		if (acc) {
			seed = acc->seed;
			hash = acc->hash_pw;
		}
	}
	lg = calloc(1, sizeof(*lg));
	if (lg)
		lg->user = strdup(user);
	if (!lg || !lg->user) {
		free(lg);
		return LOGIN_BUSY;
	}
	lg->h = h;
	lg->what = what;
	lg->addr = addr;
	lg->done = done;
	lg->ctx = ctx;
	c = conn_request(h, req);
	if (!c && evhttp_request_get_connection(req)) {
		/* Not one of ours (its set-up failed): we could not know when
		 * it goes away, so it gets no answer that waits. */
		free(lg->user);
		free(lg);
		return LOGIN_BUSY;
	}
	conn_wait_begin(&lg->w, c, req);
	if (!pw_pool_submit(h->pw, addr, pw, seed, hash, h->dummy_iterations,
			    login_checked, lg)) {
		conn_wait_end(&lg->w);
		free(lg->user);
		free(lg);
		h->busy_refusals++;
		pp_info("%s: login from %s refused: %s", what, pp_ipv4_str(addr, a),
			"too many password checks in progress (503)");
		return LOGIN_BUSY;
	}
	return LOGIN_STARTED;
}

void httpd_dispatch(struct evhttp_request *req, void *arg)
{
	struct listener *l = arg;

	conn_request(l->owner, req);
	switch (l->kind) {
	case K_PAGE:
		page_handle(req, l);
		break;
	case K_SOAP:
		soap_handle(req, l);
		break;
	case K_REDIRECT:
		redirect_handle(req, l);
		break;
	case K_PROXY:
		proxy_handle(req, l);
		break;
	case K_NONE:
		evhttp_send_error(req, 503, "not serving");
		break;
	}
}
