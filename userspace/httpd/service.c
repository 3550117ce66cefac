// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The user activation web service (south): the SOAP methods of the
 * guide's Appendix A and the WSDL at /activation_service/service.wsdl.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "httpd.h"
#include "log.h"
#include "nl.h"
#include "ops.h"
#include "parse.h"
#include "soap.h"

#define SERVICE_PATH	"/activation_service/"
#define WSDL_PATH	"/activation_service/service.wsdl"
#define ADMIN_NAME	"admin"		/* "always 'admin' in release 1.0" */

static void send_xml(struct evhttp_request *req, int code, const char *reason,
		     char *xml, size_t len)
{
	if (!xml) {
		evhttp_send_error(req, 500, "out of memory");
		return;
	}
	httpd_reply(req, code, reason, "text/xml; charset=utf-8", xml, len);
	free(xml);
}

static void fault(struct evhttp_request *req, enum pp_soap_error code,
		  const char *why)
{
	char *xml = NULL;
	size_t len = 0;

	pp_soap_fault(code, why, &xml, &len);
	send_xml(req, 500, "Internal Server Error", xml, len);
}

static void respond(struct evhttp_request *req, enum pp_soap_method m,
		    const char *result)
{
	char *xml = NULL;
	size_t len = 0;

	pp_soap_response(m, result, &xml, &len);
	send_xml(req, 200, "OK", xml, len);
}

/* ---- tokens ---- */

void tokens_expire(struct httpd *h, time_t now)
{
	int i;

	for (i = 0; i < PP_HTTPD_TOKENS_MAX; i++) {
		struct token *t = &h->tokens[i];

		if (t->used && now - t->last_used >= (time_t)h->opt.token_idle) {
			OPENSSL_cleanse(t, sizeof(*t));
			t->used = false;
		}
	}
}

static const char *token_new(struct httpd *h)
{
	struct token *slot = NULL;
	unsigned char raw[PP_HTTPD_TOKEN_LEN / 2];
	int i;

	tokens_expire(h, time(NULL));
	for (i = 0; i < PP_HTTPD_TOKENS_MAX; i++) {
		struct token *t = &h->tokens[i];

		if (!t->used) {
			slot = t;
			break;
		}
		if (!slot || t->last_used < slot->last_used)
			slot = t;	/* full: the least recently used goes */
	}
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return NULL;
	for (i = 0; i < (int)sizeof(raw); i++)
		snprintf(slot->value + 2 * i, 3, "%02x", raw[i]);
	slot->used = true;
	slot->last_used = time(NULL);
	return slot->value;
}

/* A valid token, touched; false when unknown or expired. */
static bool token_use(struct httpd *h, const char *value)
{
	time_t now = time(NULL);
	bool found = false;
	int i;

	tokens_expire(h, now);
	if (strlen(value) != PP_HTTPD_TOKEN_LEN)
		return false;
	for (i = 0; i < PP_HTTPD_TOKENS_MAX; i++) {
		struct token *t = &h->tokens[i];

		if (t->used && !CRYPTO_memcmp(t->value, value, PP_HTTPD_TOKEN_LEN)) {
			t->last_used = now;
			found = true;
		}
	}
	return found;
}

/* ---- methods ---- */

static bool valid_user(const char *name)
{
	return pp_name_valid(name);
}

static bool phone_addr(const char *s, uint32_t *addr)
{
	return pp_parse_ipv4(s, addr) == 0 && pp_ipv4_is_phone(*addr);
}

static int activate(struct httpd *h, const char *user, uint32_t addr,
		    const char *peer)
{
	struct pp_nl *nl = pp_follow_nl(h->follow);
	char a[PP_IPV4_STRLEN];
	int rc;

	if (!nl)
		return -ENOTCONN;
	rc = pp_user_activate(nl, user, addr, PP_REASON_SOAP);
	if (rc)
		pp_info("soap: activation of \"%s\" at %s (from %s) refused: %s", user,
			pp_ipv4_str(addr, a), peer, pp_nl_error(nl));
	else
		pp_notice("soap: \"%s\" activated at %s (from %s)", user,
			  pp_ipv4_str(addr, a), peer);
	return rc;
}

static int inactivate(struct httpd *h, const char *user, const char *peer)
{
	struct pp_nl *nl = pp_follow_nl(h->follow);
	int rc;

	if (!nl)
		return -ENOTCONN;
	rc = pp_user_inactivate(nl, user, PP_REASON_SOAP);
	if (rc)
		pp_info("soap: inactivation of \"%s\" (from %s) refused: %s", user, peer,
			pp_nl_error(nl));
	else
		pp_notice("soap: \"%s\" inactivated (from %s)", user, peer);
	return rc;
}

/* A SOAP call waiting for its password check. */
struct call {
	struct pp_soap_req r;		/* owned: freed with the call */
	char peer_s[PP_IPV4_STRLEN];
	uint32_t addr;			/* the phone's, for userLogin */
};

static void call_free(struct call *c)
{
	pp_soap_req_free(&c->r);
	free(c);
}

static void call_checked(struct login *lg, bool ok)
{
	struct call *c = lg->ctx;
	struct evhttp_request *req = lg->w.req;
	struct httpd *h = lg->h;
	const struct pp_soap_req *r = &c->r;
	const char *tok;

	if (!req)
		goto out;		/* the client is gone */
	switch (r->method) {
	case PP_SOAP_LOGIN:
		if (!ok) {
			if (!h->admin_set)
				pp_warn("soap: login from %s refused: no administrator password is set (ppctl set password)",
					c->peer_s);
			fault(req, PP_SOAP_ERR_CLIENT, "Login failed");
			break;
		}
		tok = token_new(h);
		if (!tok) {
			fault(req, PP_SOAP_OK, "cannot make a token");
			break;
		}
		pp_info("soap: administrator logged in from %s", c->peer_s);
		respond(req, r->method, tok);
		break;
	case PP_SOAP_USER_LOGIN:
		respond(req, r->method, ok && !activate(h, r->args[0], c->addr, c->peer_s) ?
			PP_SOAP_LOGIN_OK : PP_SOAP_LOGIN_FAILED);
		break;
	case PP_SOAP_USER_LOGOUT:
		respond(req, r->method, ok && !inactivate(h, r->args[0], c->peer_s) ?
			PP_SOAP_LOGOUT_OK : PP_SOAP_LOGOUT_FAILED);
		break;
	default:
		fault(req, PP_SOAP_OK, "internal error");
		break;
	}
out:
	call_free(c);
}

/* A method that needs a password: check it off the loop. Takes r. */
static void call_login(struct httpd *h, struct evhttp_request *req,
		       struct pp_soap_req *r, uint32_t phone)
{
	struct call *c = calloc(1, sizeof(*c));
	bool admin = r->method == PP_SOAP_LOGIN;
	const char *failed;

	if (!c) {
		pp_soap_req_free(r);
		fault(req, PP_SOAP_OK, "out of memory");
		return;
	}
	c->r = *r;
	memset(r, 0, sizeof(*r));
	httpd_peer(req, c->peer_s);
	c->addr = phone;
	switch (httpd_login_start(h, req, "soap", c->r.args[0], c->r.args[1], admin,
				  call_checked, c)) {
	case LOGIN_STARTED:
		return;
	case LOGIN_LOCKED:
		failed = c->r.method == PP_SOAP_USER_LOGIN ? PP_SOAP_LOGIN_FAILED :
			 c->r.method == PP_SOAP_USER_LOGOUT ? PP_SOAP_LOGOUT_FAILED : NULL;
		if (failed)
			respond(req, c->r.method, failed);
		else
			fault(req, PP_SOAP_ERR_CLIENT, "Login failed");
		break;
	case LOGIN_BUSY:
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "2");
		evhttp_send_error(req, 503, "too many logins are being checked; try again in a moment");
		break;
	}
	call_free(c);
}

/* Takes r (frees it, now or once answered). */
static void call(struct httpd *h, struct evhttp_request *req, struct pp_soap_req *r)
{
	char peer_s[PP_IPV4_STRLEN];
	uint32_t addr;

	httpd_peer(req, peer_s);
	switch (r->method) {
	case PP_SOAP_LOGIN:	/* Adminname, Password */
	case PP_SOAP_USER_LOGOUT:	/* Username, Password */
		call_login(h, req, r, 0);
		return;
	case PP_SOAP_USER_LOGIN:	/* Username, Password, Ipaddr */
		if (!phone_addr(r->args[2], &addr))
			break;
		call_login(h, req, r, addr);
		return;
	case PP_SOAP_ACTIVATE:	/* Token, Username, Ipaddr */
		if (!token_use(h, r->args[0]))
			respond(req, r->method, PP_SOAP_NOT_AUTHORIZED);
		else
			respond(req, r->method,
				valid_user(r->args[1]) && phone_addr(r->args[2], &addr) &&
				!activate(h, r->args[1], addr, peer_s) ?
				PP_SOAP_ACTIVATE_OK : PP_SOAP_ACTIVATE_FAILED);
		pp_soap_req_free(r);
		return;
	case PP_SOAP_INACTIVATE:	/* Token, Username */
		if (!token_use(h, r->args[0]))
			respond(req, r->method, PP_SOAP_NOT_AUTHORIZED);
		else
			respond(req, r->method,
				valid_user(r->args[1]) && !inactivate(h, r->args[1], peer_s) ?
				PP_SOAP_INACTIVATE_OK : PP_SOAP_INACTIVATE_FAILED);
		pp_soap_req_free(r);
		return;
	case PP_SOAP_NMETHODS:
		fault(req, PP_SOAP_OK, "internal error");
		pp_soap_req_free(r);
		return;
	}
	/* userLogin with a bad phone address: failed, as before, unchecked. */
	respond(req, r->method, PP_SOAP_LOGIN_FAILED);
	pp_soap_req_free(r);
}

void soap_handle(struct evhttp_request *req, void *arg)
{
	struct listener *l = arg;
	struct httpd *h = l->owner;
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char err[512], a[PP_IPV4_STRLEN], loc[128];
	struct pp_soap_req r;
	enum pp_soap_error rc;
	size_t len;
	char *body;

	h->requests++;
	if (!path)
		path = "/";
	if (!strcmp(path, WSDL_PATH)) {
		char *wsdl = NULL;

		if (cmd == EVHTTP_REQ_POST) {
			evhttp_send_error(req, 405, "the WSDL is read with GET");
			return;
		}
		snprintf(loc, sizeof(loc), "%s://%s%s", l->ssl ? "https" : "http",
			 pp_ipv4_str(l->addr, a), SERVICE_PATH);
		if (l->port != (l->ssl ? 443 : 80))
			snprintf(loc, sizeof(loc), "%s://%s:%u%s", l->ssl ? "https" : "http",
				 a, l->port, SERVICE_PATH);
		if (pp_soap_wsdl(loc, &wsdl, &len)) {
			evhttp_send_error(req, 500, "out of memory");
			return;
		}
		httpd_reply(req, 200, "OK", "text/xml; charset=utf-8", wsdl, len);
		free(wsdl);
		return;
	}
	if (strcmp(path, SERVICE_PATH) && strcmp(path, "/activation_service")) {
		evhttp_send_error(req, 404, "the activation web service is at "
				  SERVICE_PATH " (WSDL: " WSDL_PATH ")");
		return;
	}
	if (cmd != EVHTTP_REQ_POST) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "POST");
		evhttp_send_error(req, 405, "POST a SOAP 1.1 envelope; the WSDL is at "
				  WSDL_PATH);
		return;
	}
	body = httpd_body(req, PP_SOAP_BODY_MAX, &len);
	if (!body) {
		fault(req, PP_SOAP_ERR_CLIENT, "the request is too large");
		return;
	}
	rc = pp_soap_parse(body, len, &r, err, sizeof(err));
	OPENSSL_cleanse(body, len);
	free(body);
	if (rc != PP_SOAP_OK) {
		pp_info("soap: malformed request from %s: %s", httpd_peer(req, a) ? a : "?", err);
		fault(req, rc, err);
		return;
	}
	call(h, req, &r);
}
