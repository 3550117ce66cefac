/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-httpd's connections (issue 12, item 7): how many a client address
 * may hold and how many all together, and how long a request may take to
 * arrive. libevent's evhttp gives neither (2.1 has no connection hook and
 * its timeouts are idle timeouts, restarted by every byte), so every
 * listener builds its connections' bufferevents itself (evhttp_set_bevcb):
 *
 *  - admission: the new connection is checked against the caps as soon
 *    as evhttp has set it up (an event activated from the bevcb runs
 *    before any of the connection's I/O); over a cap it is closed at once
 *    and counted;
 *  - deadlines: a callback on the bufferevent's input buffer sees the
 *    bytes arrive (decrypted, for TLS), before evhttp parses them. From a
 *    request's first byte (or from the connection's start) the whole
 *    head must arrive within header_timeout seconds, then the body within
 *    body_timeout; the connection is closed at the deadline however
 *    steadily the bytes trickle. evhttp's own timeout stays the idle
 *    limit between requests. The callback only looks for the blank line
 *    that ends the head; evhttp parses everything. (A filter bufferevent
 *    would do too, but libevent 2.1's filters do not send output queued
 *    while writing was disabled, which is how evhttp writes.)
 */
#ifndef PP_HTTPD_CONN_H
#define PP_HTTPD_CONN_H

#include <stdint.h>

#include <event2/bufferevent.h>
#include <event2/http.h>

struct httpd;
struct listener;
struct hconn;
struct pw_job;

#define PP_HTTPD_MAX_CONNS		4096	/* all together */
#define PP_HTTPD_MAX_CONNS_PER_ADDR	32	/* from one client address */
#define PP_HTTPD_HEADER_TIMEOUT		10	/* s for a whole request head */
#define PP_HTTPD_BODY_TIMEOUT		20	/* s for a whole body */
#define PP_HTTPD_IDLE_TIMEOUT		30	/* s between requests, evhttp's */
#define PP_HTTPD_HEADERS_MAX		4096	/* bytes of a request head */

struct httpd_limits {
	unsigned int max_conns;
	unsigned int max_conns_per_addr;
	unsigned int header_timeout;
	unsigned int body_timeout;
};

struct httpd_conn_stats {
	unsigned long accepted;
	unsigned long refused_addr;	/* over the per-address cap */
	unsigned long refused_total;	/* over the global cap */
	unsigned long header_timeouts;	/* head not complete in time */
	unsigned long body_timeouts;	/* body not complete in time */
	unsigned int current;		/* admitted connections open now */
};

/* The bufferevent callback of every listener (arg: the listener). */
struct bufferevent *conn_bevcb(struct event_base *base, void *arg);
/*
 * The request is complete and handed to its handler: the deadlines stop
 * until the client sends the next request. Returns its connection (NULL
 * when unknown).
 */
struct hconn *conn_request(struct httpd *h, struct evhttp_request *req);
/*
 * A request waiting for work off the loop (a password check). If its
 * connection goes away meanwhile, conn->wait is told: req becomes NULL
 * when the request died with the connection (no answer may be sent),
 * and conn NULL in any case. A request evhttp let go of (the client
 * closed) stays valid: answering it frees it.
 */
struct conn_wait {
	struct evhttp_request *req;
	struct hconn *conn;
};
void conn_wait_begin(struct conn_wait *w, struct hconn *c, struct evhttp_request *req);
void conn_wait_end(struct conn_wait *w);

#endif /* PP_HTTPD_CONN_H */
