// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppload: a small HTTP load generator for bench/http (not a test). N
 * keep-alive connections (libevent's HTTP client, TLS through OpenSSL
 * when the URL is https) each send the same request again as soon as the
 * previous one is answered, for T seconds; a response counts as good when
 * its status is the expected one (200) and its body holds the expected
 * text.
 *
 *   ppload [-c CONNS] [-t SECS] [-d BODY] [-T CONTENT-TYPE] [-x PROXY:PORT]
 *          [-e EXPECT] [-s STATUS] URL
 * Prints: "requests=N good=N seconds=S rate=R/s".
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/ssl.h>

struct conn {
	struct evhttp_connection *evcon;
};

static struct event_base *base;
static struct evhttp_uri *uri;
static const char *body, *ctype = "application/x-www-form-urlencoded", *expect;
static const char *proxy_host;
static int proxy_port, want_status = 200;
static bool stopping;
static unsigned long requests, good;
static char target[2048], hostport[300];
static SSL_CTX *ssl_ctx;

static void send_one(struct conn *c);

static void done(struct evhttp_request *req, void *arg)
{
	struct conn *c = arg;

	requests++;
	if (req && evhttp_request_get_response_code(req) == want_status) {
		struct evbuffer *b = evhttp_request_get_input_buffer(req);
		size_t n = evbuffer_get_length(b);
		char *data = (char *)evbuffer_pullup(b, (ev_ssize_t)n);

		if (!expect || (data && memmem(data, n, expect, strlen(expect))))
			good++;
	}
	if (!stopping)
		send_one(c);
}

static void send_one(struct conn *c)
{
	struct evhttp_request *req = evhttp_request_new(done, c);
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Host", hostport);
	if (body) {
		evhttp_add_header(h, "Content-Type", ctype);
		evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));
	}
	if (evhttp_make_request(c->evcon, req, body ? EVHTTP_REQ_POST : EVHTTP_REQ_GET,
				target))
		fprintf(stderr, "ppload: cannot send\n");
}

static void stop(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	stopping = true;
	event_base_loopexit(base, NULL);
}

int main(int argc, char **argv)
{
	int conns = 4, secs = 10, opt, i, port;
	const char *host, *scheme, *path, *query;
	struct timespec t0, t1;
	struct conn *cs;
	double dt;

	while ((opt = getopt(argc, argv, "c:t:d:T:x:e:s:")) != -1) {
		switch (opt) {
		case 'c': conns = atoi(optarg); break;
		case 't': secs = atoi(optarg); break;
		case 'd': body = optarg; break;
		case 'T': ctype = optarg; break;
		case 'e': expect = optarg; break;
		case 's': want_status = atoi(optarg); break;
		case 'x': {
			static char buf[256];
			char *colon;

			snprintf(buf, sizeof(buf), "%s", optarg);
			colon = strrchr(buf, ':');
			if (!colon)
				return 2;
			*colon = '\0';
			proxy_host = buf;
			proxy_port = atoi(colon + 1);
			break;
		}
		default:
			fprintf(stderr, "usage: ppload [-c N] [-t S] [-d BODY] [-T TYPE] [-x HOST:PORT] [-e TEXT] URL\n");
			return 2;
		}
	}
	if (optind != argc - 1 || conns < 1 || secs < 1)
		return 2;
	uri = evhttp_uri_parse(argv[optind]);
	if (!uri || !(scheme = evhttp_uri_get_scheme(uri)) || !(host = evhttp_uri_get_host(uri))) {
		fprintf(stderr, "ppload: bad URL %s\n", argv[optind]);
		return 2;
	}
	port = evhttp_uri_get_port(uri);
	if (port < 0)
		port = strcmp(scheme, "https") ? 80 : 443;
	path = evhttp_uri_get_path(uri);
	query = evhttp_uri_get_query(uri);
	if (proxy_host)
		snprintf(target, sizeof(target), "%s", argv[optind]);
	else
		snprintf(target, sizeof(target), "%s%s%s", path && *path ? path : "/",
			 query ? "?" : "", query ? query : "");
	snprintf(hostport, sizeof(hostport), "%s", host);
	base = event_base_new();
	if (!strcmp(scheme, "https")) {
		ssl_ctx = SSL_CTX_new(TLS_client_method());
		SSL_CTX_set_verify(ssl_ctx, SSL_VERIFY_NONE, NULL);
	}
	cs = calloc((size_t)conns, sizeof(*cs));
	for (i = 0; i < conns; i++) {
		if (ssl_ctx) {
			SSL *ssl = SSL_new(ssl_ctx);
			struct bufferevent *bev = bufferevent_openssl_socket_new(
				base, -1, ssl, BUFFEREVENT_SSL_CONNECTING,
				BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);

			bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
			cs[i].evcon = evhttp_connection_base_bufferevent_new(base, NULL, bev, host,
									      (unsigned short)port);
		} else {
			cs[i].evcon = evhttp_connection_base_new(base, NULL,
								 proxy_host ? proxy_host : host,
								 (unsigned short)(proxy_host ? proxy_port : port));
		}
		evhttp_connection_set_timeout(cs[i].evcon, 60);
		send_one(&cs[i]);
	}
	{
		struct timeval tv = { secs, 0 };

		event_base_once(base, -1, EV_TIMEOUT, stop, NULL, &tv);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	event_base_dispatch(base);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	dt = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("requests=%lu good=%lu seconds=%.1f rate=%.1f/s\n", requests, good, dt,
	       (double)good / dt);
	return good ? 0 : 1;
}
