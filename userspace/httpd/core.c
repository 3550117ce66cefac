// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * What the handlers share: the netlink connection, the peer's address,
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

/* ---- netlink ---- */

struct pp_nl *httpd_nl(struct httpd *h)
{
	char err[256];

	if (h->nl)
		return h->nl;
	if (pp_nl_open(&h->nl, err, sizeof(err))) {
		if (!h->nl_warned)
			pp_warn("netlink: %s", err);
		h->nl_warned = true;
		return NULL;
	}
	if (h->nl_warned)
		pp_notice("netlink: connected to the phoneproxy module");
	h->nl_warned = false;
	return h->nl;
}

void httpd_nl_failed(struct httpd *h)
{
	pp_nl_close(h->nl);
	h->nl = NULL;
}

/* ---- helpers for the handlers ---- */

uint32_t httpd_peer(struct evhttp_request *req, char *buf)
{
	struct evhttp_connection *c = evhttp_request_get_connection(req);
	const struct sockaddr *sa = c ? evhttp_connection_get_addr(c) : NULL;
	uint32_t addr = 0;

	if (sa && sa->sa_family == AF_INET)
		addr = ((const struct sockaddr_in *)sa)->sin_addr.s_addr;
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

bool httpd_check_user(struct httpd *h, const char *user, const char *pw)
{
	const struct pp_account *a = h->users ? pp_users_find(h->users, user) : NULL;
	char why[256], name[PP_NAME_MAX];

	if (!a || !a->seed || !a->hash_pw) {
		pp_pw_verify_dummy(pw);		/* the same time as a real check */
		return false;
	}
	switch (pp_pw_verify(pw, a->seed, a->hash_pw, why, sizeof(why))) {
	case PP_PW_MATCH:
		return true;
	case PP_PW_UNUSABLE:
		pp_warn("user \"%s\": the password hash of users.xml cannot be checked: %s",
			loggable(user, name, sizeof(name)), why);
		return false;
	default:
		return false;
	}
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
