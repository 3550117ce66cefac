// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The phones' HTTP proxy (north:8088; the kernel lets only activated
 * phones reach it): an absolute http:// URL in the allow list is fetched
 * from the south address (mode internal) or handed to the external proxy
 * at externaladdress:8088 (mode external), in its canonical form
 * (lib/allowlist.h); anything else is refused with 400 or 403 and a log
 * line. GET, HEAD and POST; size limits both ways.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <sys/queue.h>

#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>

#include "httpd.h"
#include "log.h"
#include "parse.h"
#include "allowlist.h"

#define EXTERNAL_PORT	8088	/* the guide: "directed to port 8088" */
#define VIA		"1.1 phoneproxy"

struct proxy_req {
	struct httpd *h;
	struct evhttp_request *down;	/* the phone's request */
	enum evhttp_cmd_type cmd;
	bool errored;
	enum evhttp_request_error error;
	char peer[PP_IPV4_STRLEN];
	char norm[PP_URL_MAX + 16];
};

static const char *method_name(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_HEAD: return "HEAD";
	default: return "?";
	}
}

/* Hop-by-hop headers (RFC 9110 7.6.1) and those we set ourselves. */
static bool hop_by_hop(const char *name)
{
	static const char *const names[] = {
		"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization",
		"Proxy-Authenticate", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
		"Host", "Content-Length", "Via", NULL
	};
	int i;

	for (i = 0; names[i]; i++)
		if (!strcasecmp(name, names[i]))
			return true;
	return false;
}

static void copy_headers(struct evkeyvalq *to, const struct evkeyvalq *from)
{
	struct evkeyval *kv;

	TAILQ_FOREACH(kv, from, next)
		if (!hop_by_hop(kv->key))
			evhttp_add_header(to, kv->key, kv->value);
}

static void send_text(struct evhttp_request *req, int code, const char *reason,
		      const char *text)
{
	struct evkeyvalq *hdr = evhttp_request_get_output_headers(req);
	struct evbuffer *b = evbuffer_new();

	evhttp_add_header(hdr, "Content-Type", "text/plain; charset=utf-8");
	evhttp_add_header(hdr, "Via", VIA);
	evhttp_add_header(hdr, "Cache-Control", "no-store");
	if (b)
		evbuffer_add_printf(b, "%s\n", text);
	evhttp_send_reply(req, code, reason, b);
	if (b)
		evbuffer_free(b);
}

static void upstream_error(enum evhttp_request_error e, void *arg)
{
	struct proxy_req *pr = arg;

	pr->errored = true;
	pr->error = e;
}

static void upstream_done(struct evhttp_request *resp, void *arg)
{
	struct proxy_req *pr = arg;
	int code = resp ? evhttp_request_get_response_code(resp) : 0;

	if (!resp || code == 0) {
		const char *why = "the server could not be reached or closed the connection";
		int status = 502;

		if (pr->errored && pr->error == EVREQ_HTTP_TIMEOUT) {
			why = "the server did not answer in time";
			status = 504;
		} else if (pr->errored && pr->error == EVREQ_HTTP_DATA_TOO_LONG) {
			why = "the response is larger than the proxy passes";
		}
		pp_info("httpproxy: %s %s %s -> %d (%s)", pr->peer, method_name(pr->cmd),
			pr->norm, status, why);
		send_text(pr->down, status, status == 504 ? "Gateway Timeout" : "Bad Gateway", why);
	} else {
		struct evkeyvalq *hdr = evhttp_request_get_output_headers(pr->down);
		struct evbuffer *body = evhttp_request_get_input_buffer(resp);

		copy_headers(hdr, evhttp_request_get_input_headers(resp));
		evhttp_add_header(hdr, "Via", VIA);
		pp_info("httpproxy: %s %s %s -> %d (%zu bytes)", pr->peer,
			method_name(pr->cmd), pr->norm, code, evbuffer_get_length(body));
		evhttp_send_reply(pr->down, code, evhttp_request_get_response_code_line(resp),
				  body);
	}
	free(pr);
}

/*
 * libevent closes a proxy request's connection after the reply unless both
 * the request and the reply carry "Proxy-Connection: keep-alive" (a
 * pre-1.1 convention), and does not say so in the reply: an HTTP/1.1
 * client reusing the connection would lose its next request. HTTP/1.1
 * connections persist by default, so unless the client asked to close,
 * mark both keep-alive.
 */
static void keep_alive(struct evhttp_request *req)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	const char *c = evhttp_find_header(in, "Connection");
	const char *pc = evhttp_find_header(in, "Proxy-Connection");

	/* The version has no accessor in libevent 2.1: http_struct.h. */
	if (req->major != 1 || req->minor < 1 || (c && !strcasecmp(c, "close")) ||
	    (pc && !strcasecmp(pc, "close")))
		return;
	evhttp_remove_header(in, "Proxy-Connection");
	evhttp_add_header(in, "Proxy-Connection", "keep-alive");
	/* libevent looks at the reply's headers too. */
	evhttp_add_header(evhttp_request_get_output_headers(req), "Proxy-Connection",
			  "keep-alive");
}

void proxy_handle(struct evhttp_request *req, void *arg)
{
	struct listener *l = arg;
	struct httpd *h = l->owner;
	const char *uri = evhttp_request_get_uri(req), *match;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char err[PP_URL_MAX + 128], a[PP_IPV4_STRLEN], hostport[300];
	struct evhttp_connection *up;
	struct evhttp_request *out;
	struct pp_allow_url url;
	struct proxy_req *pr;
	const char *connect_to, *target;
	uint16_t connect_port;
	struct evkeyvalq *hdr;

	h->requests++;
	httpd_peer(req, a);
	keep_alive(req);
	/*
	 * One matcher with pp-tftpd (lib/allowlist.h): the URL is refused or
	 * brought to its canonical form, and that form, not the phone's
	 * spelling, is both what is matched and what is sent on.
	 */
	if (pp_allow_url_parse(uri, &url, err, sizeof(err))) {
		pp_info("httpproxy: %s %s refused: %s", a, method_name(cmd), err);
		send_text(req, 400, "Bad Request", err);
		return;
	}
	match = pp_allow_list_match((const char *const *)h->conf.allow, h->conf.nallow, &url);
	if (!match) {
		pp_notice("httpproxy: %s %s %s denied: not in the allow list", a,
			  method_name(cmd), url.norm);
		send_text(req, 403, "Forbidden",
			  "This URL is not in the phone proxy's allow list.");
		return;
	}
	if (h->conf.mode == PP_PROXY_EXTERNAL) {
		if (!h->conf.external_addr) {
			pp_warn("httpproxy: mode external but no externaladdress: %s refused",
				url.norm);
			send_text(req, 502, "Bad Gateway",
				  "The external proxy is not configured (httpproxy externaladdress).");
			return;
		}
		connect_to = pp_ipv4_str(h->conf.external_addr, hostport);
		connect_port = EXTERNAL_PORT;
		target = url.norm;	/* absolute form, to a proxy */
	} else {
		if (!url.is_ipv4) {
			pp_info("httpproxy: %s %s refused: host \"%s\" is a name", a, url.norm,
				url.host);
			send_text(req, 502, "Bad Gateway",
				  "Host names are not resolved: the URL must name an IPv4 address.");
			return;
		}
		connect_to = url.host;
		connect_port = url.port;
		target = url.target;
	}
	pr = calloc(1, sizeof(*pr));
	if (!pr) {
		send_text(req, 500, "Internal Server Error", "out of memory");
		return;
	}
	pr->h = h;
	pr->down = req;
	pr->cmd = cmd;
	snprintf(pr->peer, sizeof(pr->peer), "%s", a);
	snprintf(pr->norm, sizeof(pr->norm), "%s", url.norm);
	up = evhttp_connection_base_new(h->base, NULL, connect_to, connect_port);
	out = up ? evhttp_request_new(upstream_done, pr) : NULL;
	if (!out) {
		if (up)
			evhttp_connection_free(up);
		free(pr);
		send_text(req, 500, "Internal Server Error", "out of memory");
		return;
	}
	if (h->conf.mode == PP_PROXY_INTERNAL && h->cfg.south_addr) {
		char south[PP_IPV4_STRLEN];

		evhttp_connection_set_local_address(up, pp_ipv4_str(h->cfg.south_addr, south));
	}
	evhttp_connection_set_timeout(up, (int)h->opt.proxy_timeout);
	evhttp_connection_set_max_body_size(up, (ev_ssize_t)h->opt.proxy_response_max);
	evhttp_connection_set_max_headers_size(up, 16384);
	evhttp_connection_set_retries(up, 0);
	evhttp_request_set_error_cb(out, upstream_error);
	hdr = evhttp_request_get_output_headers(out);
	copy_headers(hdr, evhttp_request_get_input_headers(req));
	if (url.port == 80)
		snprintf(hostport, sizeof(hostport), "%s", url.host);
	else
		snprintf(hostport, sizeof(hostport), "%s:%u", url.host, url.port);
	evhttp_add_header(hdr, "Host", hostport);
	evhttp_add_header(hdr, "Via", VIA);
	evhttp_add_header(hdr, "Connection", "close");
	evbuffer_add_buffer(evhttp_request_get_output_buffer(out),
			    evhttp_request_get_input_buffer(req));
	if (evhttp_make_request(up, out, cmd, target)) {
		/* libevent freed out; the connection is ours still. */
		evhttp_connection_free(up);
		free(pr);
		send_text(req, 502, "Bad Gateway", "cannot send the request on");
		return;
	}
	evhttp_connection_free_on_completion(up);
}
