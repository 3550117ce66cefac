// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The user activation web page (north): a form with the user name, the
 * password and the phone's address (pre-filled with the address the
 * request comes from), to activate or inactivate. Plain HTML and one
 * small style sheet from this server: no script, no external resource.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "form.h"
#include "httpd.h"
#include "log.h"
#include "nl.h"
#include "ops.h"
#include "parse.h"

static const char css[] =
	":root{color-scheme:light dark;--fg:#111;--bg:#fff;--muted:#555;--line:#888;"
	"--accent:#0b5cad;--ok:#0a6b2d;--err:#a4161a}\n"
	"@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#121212;--muted:#bbb;"
	"--line:#777;--accent:#7ab8ff;--ok:#6fdc8c;--err:#ff8a8a}}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:1.05rem/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}\n"
	"main{max-width:26rem;margin:0 auto;padding:1rem}\n"
	"h1{font-size:1.4rem;margin:.5rem 0 1rem}\n"
	"label{display:block;font-weight:600;margin-top:1rem}\n"
	"input{display:block;width:100%;font:inherit;padding:.6rem;margin-top:.25rem;"
	"color:var(--fg);background:var(--bg);border:2px solid var(--line);border-radius:.3rem}\n"
	"input:focus,button:focus{outline:3px solid var(--accent);outline-offset:2px}\n"
	".help{color:var(--muted);font-size:.9rem;margin:.25rem 0 0}\n"
	".buttons{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}\n"
	"button{font:inherit;font-weight:600;padding:.65rem 1.2rem;border-radius:.3rem;"
	"border:2px solid var(--accent);background:var(--accent);color:var(--bg);cursor:pointer}\n"
	"button.secondary{background:transparent;color:var(--accent)}\n"
	".msg{padding:.75rem;border-left:.4rem solid;margin:0 0 1rem;font-weight:600}\n"
	".msg.ok{border-color:var(--ok);color:var(--ok)}\n"
	".msg.err{border-color:var(--err);color:var(--err)}\n";

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

enum msg_kind { MSG_NONE, MSG_OK, MSG_ERR };

static void render(struct evhttp_request *req, int code, const char *reason,
		   enum msg_kind kind, const char *msg, const char *user,
		   const char *address)
{
	char *html = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&html, &len);

	if (!f) {
		evhttp_send_error(req, 500, "out of memory");
		return;
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>Phone activation</title>\n"
	      "<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n<main>\n"
	      "<h1>Phone activation</h1>\n", f);
	if (kind != MSG_NONE) {
		fprintf(f, "<p class=\"msg %s\" id=\"result\" role=\"%s\">",
			kind == MSG_OK ? "ok" : "err", kind == MSG_OK ? "status" : "alert");
		esc(f, msg);
		fputs("</p>\n", f);
	} else {
		fputs("<p>Sign in to let your remote phone connect to the voice network.</p>\n", f);
	}
	fputs("<form method=\"post\" action=\"/\">\n"
	      "<label for=\"username\">User name</label>\n"
	      "<input id=\"username\" name=\"username\" autocomplete=\"username\" "
	      "autocapitalize=\"none\" spellcheck=\"false\" required value=\"", f);
	esc(f, user);
	fputs("\">\n<label for=\"password\">Password</label>\n"
	      "<input id=\"password\" name=\"password\" type=\"password\" "
	      "autocomplete=\"current-password\" required>\n"
	      "<label for=\"address\">Phone's IP address</label>\n"
	      "<input id=\"address\" name=\"address\" inputmode=\"decimal\" "
	      "autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"address-help\" value=\"", f);
	esc(f, address);
	fputs("\">\n<p class=\"help\" id=\"address-help\">Filled in with the address this "
	      "browser comes from. If the phone is behind another router, give that "
	      "router's public (WAN) address.</p>\n"
	      "<div class=\"buttons\">\n"
	      "<button type=\"submit\" name=\"action\" value=\"activate\">Activate</button>\n"
	      "<button type=\"submit\" name=\"action\" value=\"inactivate\" "
	      "class=\"secondary\">Inactivate</button>\n"
	      "</div>\n</form>\n</main>\n</body>\n</html>\n", f);
	if (fclose(f)) {
		free(html);
		evhttp_send_error(req, 500, "out of memory");
		return;
	}
	httpd_reply(req, code, reason, "text/html; charset=utf-8", html, len);
	free(html);
}

/* What a form post needs once its password is checked. */
struct post {
	struct pp_form form;		/* the password wiped */
	char peer_s[PP_IPV4_STRLEN];
};

static void post_checked(struct login *lg, bool ok)
{
	struct post *p = lg->ctx;
	struct evhttp_request *req = lg->w.req;
	struct httpd *h = lg->h;
	struct pp_form *form = &p->form;
	char addr_s[PP_IPV4_STRLEN];
	const char *peer_s = p->peer_s;
	struct pp_nl *nl;
	int rc;

	if (!req)
		goto out;		/* the client is gone */
	if (!ok) {
		render(req, 403, "Forbidden", MSG_ERR, "Login failed", form->username,
		       form->address[0] ? form->address : peer_s);
		goto out;
	}
	nl = pp_follow_nl(h->follow);
	if (!nl) {
		render(req, 503, "Service Unavailable", MSG_ERR,
		       "Activation is not available now; try again later.", form->username,
		       form->address);
		goto out;
	}
	if (form->action == PP_FORM_ACTIVATE) {
		rc = pp_user_activate(nl, form->username, form->addr, PP_REASON_WEB);
		if (rc) {
			pp_info("page: activation of \"%s\" at %s (from %s) refused: %s",
				form->username, form->address, peer_s, pp_nl_error(nl));
			render(req, 403, "Forbidden", MSG_ERR, "Login failed", form->username,
			       form->address);
			goto out;
		}
		pp_notice("page: \"%s\" activated at %s (from %s)", form->username,
			  pp_ipv4_str(form->addr, addr_s), peer_s);
		{
			char msg[200];

			snprintf(msg, sizeof(msg), "Activated: %s at %s. Your phone may connect now.",
				 form->username, addr_s);
			render(req, 200, "OK", MSG_OK, msg, form->username, addr_s);
		}
		goto out;
	}
	rc = pp_user_inactivate(nl, form->username, PP_REASON_WEB);
	if (rc && rc != -EALREADY) {
		pp_info("page: inactivation of \"%s\" (from %s) refused: %s", form->username,
			peer_s, pp_nl_error(nl));
		render(req, 403, "Forbidden", MSG_ERR, "Login failed", form->username, peer_s);
		goto out;
	}
	pp_notice("page: \"%s\" inactivated (from %s)%s", form->username, peer_s,
		  rc ? ", was not active" : "");
	{
		char msg[200];

		snprintf(msg, sizeof(msg), "Inactivated: %s%s.", form->username,
			 rc ? " (was not active)" : "");
		render(req, 200, "OK", MSG_OK, msg, form->username, peer_s);
	}
out:
	free(p);
}

static void handle_post(struct httpd *h, struct evhttp_request *req)
{
	char peer_s[PP_IPV4_STRLEN], err[256];
	const char *ctype = evhttp_find_header(evhttp_request_get_input_headers(req),
					       "Content-Type");
	struct post *p;
	size_t len;
	char *body;
	int rc;

	httpd_peer(req, peer_s);
	if (!ctype || strncasecmp(ctype, "application/x-www-form-urlencoded", 33)) {
		render(req, 415, "Unsupported Media Type", MSG_ERR,
		       "The form must be sent as application/x-www-form-urlencoded.", "", peer_s);
		return;
	}
	body = httpd_body(req, PP_FORM_MAX, &len);
	p = calloc(1, sizeof(*p));
	if (!body || !p) {
		free(p);
		free(body);
		render(req, 413, "Payload Too Large", MSG_ERR, "The form is too large.", "",
		       peer_s);
		return;
	}
	rc = pp_form_parse(body, len, &p->form, err, sizeof(err));
	free(body);
	if (rc) {
		char msg[300];

		free(p);
		snprintf(msg, sizeof(msg), "Not sent: %s.", err);
		render(req, 400, "Bad Request", MSG_ERR, msg, "", peer_s);
		return;
	}
	snprintf(p->peer_s, sizeof(p->peer_s), "%s", peer_s);
	switch (httpd_login_start(h, req, "page", p->form.username, p->form.password, false,
				  post_checked, p)) {
	case LOGIN_STARTED:
		pp_form_clear(&p->form);	/* the check has its own copy */
		return;
	case LOGIN_LOCKED:
		/* No sign to the client (the guide): the same "failed". */
		render(req, 403, "Forbidden", MSG_ERR, "Login failed", p->form.username,
		       p->form.address[0] ? p->form.address : peer_s);
		break;
	case LOGIN_BUSY:
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "2");
		render(req, 503, "Service Unavailable", MSG_ERR,
		       "Too many logins are being checked; try again in a moment.",
		       p->form.username, p->form.address[0] ? p->form.address : peer_s);
		break;
	}
	pp_form_clear(&p->form);
	free(p);
}

void page_handle(struct evhttp_request *req, void *arg)
{
	struct listener *l = arg;
	struct httpd *h = l->owner;
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char peer_s[PP_IPV4_STRLEN];

	httpd_peer(req, peer_s);
	h->requests++;
	if (!path)
		path = "/";
	if (!strcmp(path, "/style.css") && cmd != EVHTTP_REQ_POST) {
		httpd_reply(req, 200, "OK", "text/css; charset=utf-8", css, sizeof(css) - 1);
		return;
	}
	if (strcmp(path, "/") && strcmp(path, "/index.html")) {
		render(req, 404, "Not Found", MSG_ERR, "There is no such page here.", "", peer_s);
		return;
	}
	if (cmd == EVHTTP_REQ_POST)
		handle_post(h, req);
	else
		render(req, 200, "OK", MSG_NONE, "", "", peer_s);
}

void redirect_handle(struct evhttp_request *req, void *arg)
{
	static const char *const keep[] = {
		"/", "/style.css", "/activation_service/", "/activation_service",
		"/activation_service/service.wsdl", NULL
	};
	struct listener *l = arg;
	struct httpd *h = l->owner;
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	struct evkeyvalq *hdr = evhttp_request_get_output_headers(req);
	char where[128], a[PP_IPV4_STRLEN], port[8] = "";
	const char *p = "/";
	int i;

	h->requests++;
	for (i = 0; path && keep[i]; i++)
		if (!strcmp(path, keep[i]))
			p = keep[i];
	if (h->opt.https_port != 443)
		snprintf(port, sizeof(port), ":%u", h->opt.https_port);
	snprintf(where, sizeof(where), "https://%s%s%s", pp_ipv4_str(l->addr, a), port, p);
	evhttp_add_header(hdr, "Location", where);
	/* 308 keeps a POST a POST (a SOAP client resending its call). */
	if (evhttp_request_get_command(req) == EVHTTP_REQ_POST)
		httpd_reply(req, 308, "Permanent Redirect", "text/plain; charset=utf-8",
			    where, strlen(where));
	else
		httpd_reply(req, 301, "Moved Permanently", "text/plain; charset=utf-8",
			    where, strlen(where));
}
