// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Connection caps and request deadlines (see conn.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <openssl/ssl.h>

#include "conn.h"
#include "httpd.h"
#include "log.h"
#include "parse.h"
#include "pwpool.h"

enum conn_state {
	C_PENDING,	/* not yet admitted */
	C_HEAD,		/* a request head is arriving */
	C_BODY,		/* its body is arriving */
	C_HANDLER,	/* the request is being answered, or the connection idles */
};

struct hconn {
	struct hconn *prev, *next;	/* h->conns */
	struct httpd *h;
	struct listener *l;
	struct bufferevent *bev;	/* evhttp's: socket or TLS */
	struct evbuffer_cb_entry *incb;	/* on its input buffer */
	struct evhttp_connection *evcon;
	uint32_t addr;			/* network order */
	enum conn_state state;
	unsigned int newlines;		/* run of '\n' (ignoring '\r') in the head */
	struct event *timer;		/* admission, then the deadlines */
	struct conn_wait *wait;		/* a request waiting off the loop */
};

static void unlink_conn(struct hconn *c)
{
	struct httpd *h = c->h;

	if (c->prev)
		c->prev->next = c->next;
	else
		h->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (c->state != C_PENDING)
		h->conn_stats.current--;
	if (c->incb)
		evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->incb);
	if (c->timer)
		event_free(c->timer);
	if (c->wait) {
		/* Still on the connection: it dies with it, unanswered. */
		if (c->evcon && c->wait->req &&
		    evhttp_request_get_connection(c->wait->req) == c->evcon)
			c->wait->req = NULL;
		c->wait->conn = NULL;
	}
	free(c);
}

static void arm(struct hconn *c, enum conn_state st)
{
	struct timeval tv = { 0, 0 };

	c->state = st;
	if (st == C_HEAD)
		tv.tv_sec = c->h->limits.header_timeout;
	else if (st == C_BODY)
		tv.tv_sec = c->h->limits.body_timeout;
	if (st == C_HANDLER)
		evtimer_del(c->timer);
	else
		evtimer_add(c->timer, &tv);
}

/* Log at most one line a second per kind, with how many were folded in. */
static void log_limited(struct httpd *h, int kind, const char *msg, uint32_t addr)
{
	time_t now = time(NULL);
	char a[PP_IPV4_STRLEN];

	if (h->conn_log_last[kind] == now) {
		h->conn_log_folded[kind]++;
		return;
	}
	pp_ipv4_str(addr, a);
	if (h->conn_log_folded[kind])
		pp_notice("connection from %s %s (and %lu more like it in the last second)",
			  a, msg, h->conn_log_folded[kind]);
	else
		pp_notice("connection from %s %s", a, msg);
	h->conn_log_last[kind] = now;
	h->conn_log_folded[kind] = 0;
}

static void conn_closed(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	unlink_conn(arg);
}

static bool sockaddr_ipv4(evutil_socket_t fd, uint32_t *addr)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &len) ||
	    ss.ss_family != AF_INET)
		return false;
	*addr = ((struct sockaddr_in *)&ss)->sin_addr.s_addr;
	return true;
}

enum { LOG_ADDR, LOG_TOTAL, LOG_HEAD, LOG_BODY };

static void admit(struct hconn *c)
{
	struct httpd *h = c->h;
	struct evhttp_connection *evcon;
	unsigned int mine = 0;
	struct hconn *o;
	void *arg = NULL;
	char msg[128];

	bufferevent_getcb(c->bev, NULL, NULL, NULL, &arg);
	evcon = arg;
	if (!evcon || evhttp_connection_get_bufferevent(evcon) != c->bev) {
		/* evhttp dropped it already (our reference kept the memory). */
		struct bufferevent *bev = c->bev;

		unlink_conn(c);
		bufferevent_decref(bev);
		return;
	}
	bufferevent_decref(c->bev);
	c->evcon = evcon;

	if (!sockaddr_ipv4(bufferevent_getfd(c->bev), &c->addr))
		c->addr = httpd_peer_of(evcon);
	for (o = h->conns; o; o = o->next)
		if (o != c && o->state != C_PENDING && o->addr == c->addr)
			mine++;
	if (mine >= h->limits.max_conns_per_addr) {
		h->conn_stats.refused_addr++;
		snprintf(msg, sizeof(msg), "refused: %u connections from that address (the cap)",
			 h->limits.max_conns_per_addr);
		log_limited(h, LOG_ADDR, msg, c->addr);
		goto refuse;
	}
	if (h->conn_stats.current >= h->limits.max_conns) {
		h->conn_stats.refused_total++;
		snprintf(msg, sizeof(msg), "refused: %u connections open (the global cap)",
			 h->limits.max_conns);
		log_limited(h, LOG_TOTAL, msg, c->addr);
		goto refuse;
	}
	h->conn_stats.accepted++;
	h->conn_stats.current++;
	evhttp_connection_set_closecb(evcon, conn_closed, c);
	arm(c, C_HEAD);
	return;
refuse:
	unlink_conn(c);
	evhttp_connection_free(evcon);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct hconn *c = arg;
	struct httpd *h = c->h;
	char msg[128];

	(void)fd;
	(void)what;
	switch (c->state) {
	case C_PENDING:
		admit(c);
		return;
	case C_HEAD:
		h->conn_stats.header_timeouts++;
		snprintf(msg, sizeof(msg), "closed: request head not complete in %u s",
			 h->limits.header_timeout);
		log_limited(h, LOG_HEAD, msg, c->addr);
		break;
	case C_BODY:
		h->conn_stats.body_timeouts++;
		snprintf(msg, sizeof(msg), "closed: request body not complete in %u s",
			 h->limits.body_timeout);
		log_limited(h, LOG_BODY, msg, c->addr);
		break;
	case C_HANDLER:
		return;
	}
	evhttp_connection_free(c->evcon);	/* conn_closed() frees c */
}

/* Look for the blank line that ends a head in the n bytes from pos. */
static void scan_head(struct hconn *c, struct evbuffer *buf, size_t pos, size_t n)
{
	struct evbuffer_iovec v[8];
	struct evbuffer_ptr p;
	int nv, i;
	size_t k;

	if (evbuffer_ptr_set(buf, &p, pos, EVBUFFER_PTR_SET))
		return;
	nv = evbuffer_peek(buf, (ev_ssize_t)n, &p, v, 8);
	if (nv > 8)
		nv = 8;
	for (i = 0; i < nv && n; i++) {
		const char *b = v[i].iov_base;

		for (k = 0; k < v[i].iov_len && n; k++, n--) {
			if (b[k] == '\n') {
				if (++c->newlines == 2) {
					c->newlines = 0;
					arm(c, C_BODY);
					return;
				}
			} else if (b[k] != '\r') {
				c->newlines = 0;
			}
		}
	}
}

/*
 * Bytes of the request arrived (the input buffer's callback, run as they
 * are read, before evhttp parses them; for TLS, the decrypted bytes).
 */
static void on_input(struct evbuffer *buf, const struct evbuffer_cb_info *info,
		     void *arg)
{
	struct hconn *c = arg;
	size_t len;

	if (!info->n_added || c->state == C_PENDING)
		return;
	if (c->state == C_HANDLER) {
		c->newlines = 0;	/* the next request begins */
		arm(c, C_HEAD);
	}
	if (c->state != C_HEAD)
		return;
	len = evbuffer_get_length(buf);
	scan_head(c, buf, len - info->n_added, info->n_added);
}

struct bufferevent *conn_bevcb(struct event_base *base, void *arg)
{
	struct listener *l = arg;
	struct httpd *h = l->owner;
	int opt = BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS;
	struct bufferevent *under = NULL, *bev;

	struct hconn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (l->ssl) {
		SSL *ssl = SSL_new(l->ssl);

		if (ssl)
			under = bufferevent_openssl_socket_new(base, -1, ssl,
							       BUFFEREVENT_SSL_ACCEPTING, opt);
		if (under)
			bufferevent_openssl_set_allow_dirty_shutdown(under, 1);
	} else {
		under = bufferevent_socket_new(base, -1, opt);
	}
	c->timer = evtimer_new(base, on_timer, c);
	bev = under;
	if (bev)
		c->incb = evbuffer_add_cb(bufferevent_get_input(bev), on_input, c);
	if (!bev || !c->timer || !c->incb) {
		if (bev)
			bufferevent_free(bev);
		if (c->timer)
			event_free(c->timer);
		free(c);
		return NULL;
	}
	c->h = h;
	c->l = l;
	c->bev = bev;
	c->state = C_PENDING;
	c->next = h->conns;
	if (h->conns)
		h->conns->prev = c;
	h->conns = c;
	/* Admission runs once evhttp has taken the connection: before any
	 * of its I/O (its callbacks are deferred, queued after this). Our
	 * reference keeps bev readable should evhttp drop it first. */
	bufferevent_incref(bev);
	event_active(c->timer, EV_TIMEOUT, 0);
	return bev;
}

static struct hconn *find(struct httpd *h, struct evhttp_connection *evcon)
{
	struct hconn *c;

	for (c = h->conns; c; c = c->next)
		if (c->evcon == evcon)
			return c;
	return NULL;
}

struct hconn *conn_request(struct httpd *h, struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct hconn *c = evcon ? find(h, evcon) : NULL;

	if (c)
		arm(c, C_HANDLER);
	return c;
}

void conn_wait_begin(struct conn_wait *w, struct hconn *c, struct evhttp_request *req)
{
	w->req = req;
	w->conn = c;
	if (c)
		c->wait = w;
}

void conn_wait_end(struct conn_wait *w)
{
	if (w->conn)
		w->conn->wait = NULL;
	w->conn = NULL;
}
