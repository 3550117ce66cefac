/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-httpd: the activation web page (north), the activation web service
 * (south) and the phones' HTTP proxy (north:8088), on one libevent loop.
 */
#ifndef PP_HTTPD_H
#define PP_HTTPD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include <event2/event.h>
#include <event2/http.h>
#include <openssl/ssl.h>

#include "conn.h"
#include "httpconf.h"
#include "password.h"
#include "lockout.h"
#include "ops.h"
#include "users_xml.h"
#include "pwpool.h"

#define PP_HTTPD_TOKENS_MAX	256
#define PP_HTTPD_TOKEN_LEN	32	/* hex digits */

enum listener_role {
	L_NORTH_HTTP,		/* the page, or the redirect to 443 */
	L_NORTH_HTTPS,		/* the page over TLS */
	L_SOUTH_HTTP,		/* the web service, or the redirect */
	L_SOUTH_HTTPS,		/* the web service over TLS */
	L_PROXY,		/* the phones' HTTP proxy */
	/* The same on the heartbeat pair's virtual addresses (IP_FREEBIND:
	 * bound whether or not keepalived put them on this node). */
	L_VNORTH_HTTP,
	L_VNORTH_HTTPS,
	L_VSOUTH_HTTP,
	L_VSOUTH_HTTPS,
	L_COUNT
};

enum listener_kind {
	K_NONE,
	K_PAGE,
	K_SOAP,
	K_REDIRECT,
	K_PROXY,
};

struct httpd;

struct listener {
	struct httpd *owner;
	enum listener_role role;
	enum listener_kind kind;
	uint32_t addr;			/* network order */
	uint16_t port;
	SSL_CTX *ssl;			/* TLS when set (borrowed) */
	struct evhttp *http;
	char last_error[256];		/* last bind failure, logged once */
};

/* A file's identity, to notice a change. */
struct file_sig {
	bool exists;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

struct tls_cert {
	struct file_sig sig;
	char path[4096];
	SSL_CTX *ctx;			/* NULL: no certificate */
};

struct token {
	char value[PP_HTTPD_TOKEN_LEN + 1];
	time_t last_used;
	bool used;
};

struct httpd_options {
	unsigned int lock_secs;		/* --lockout-time */
	unsigned int pair_failures;	/* --lockout-failures */
	unsigned int addr_failures;	/* --address-failures */
	unsigned int token_idle;	/* --token-idle */
	size_t proxy_request_max;	/* bytes */
	size_t proxy_response_max;	/* bytes */
	unsigned int proxy_timeout;	/* seconds */
	uint16_t http_port, https_port;	/* 80, 443 */
};

struct httpd {
	struct event_base *base;
	struct httpd_options opt;
	struct pp_follow *follow;	/* the module: requests, configuration */
	struct event *follow_ev;
	struct pp_ctl *ctl;		/* ppctl's "reload" (lib/ctlsock.h) */
	struct pp_config cfg;		/* the kernel's, as last told */
	bool have_cfg;
	char cfg_line[160];		/* what was logged of it */
	struct pp_httpconf conf;	/* httpd.conf */
	struct file_sig conf_sig;
	struct pp_users *users;		/* the published users.xml */
	struct file_sig users_sig;
	char admin_seed[64];
	char admin_hash[PP_PW_HASH_MAX + 8];
	bool admin_set;
	struct file_sig admin_sig;
	struct tls_cert cert_north, cert_south;
	struct listener l[L_COUNT];
	struct pp_lockout *lockout;
	struct token tokens[PP_HTTPD_TOKENS_MAX];
	struct event *tick, *sighup, *sigterm, *sigint;
	char css_etag[32];
	unsigned long requests;
	/* Connections (conn.c): the limits in force, the open ones. */
	struct httpd_limits limits;
	struct httpd_conn_stats conn_stats;
	struct hconn *conns;
	time_t conn_log_last[4];
	unsigned long conn_log_folded[4];
	unsigned long fd_limit;		/* RLIMIT_NOFILE's soft limit */
	/* Password checks off the loop (pwpool.c). */
	struct pw_pool *pw;
	unsigned int dummy_iterations;	/* of an unknown user's check */
	unsigned long busy_refusals;	/* logins answered 503 */
};

/* core.c */
/* Who is at the other end of a request (network order), 0 if unknown. */
uint32_t httpd_peer(struct evhttp_request *req, char *buf);
uint32_t httpd_peer_of(struct evhttp_connection *c);
/*
 * A login: the lockout, then the password check on the worker pool at the
 * same cost whatever the account (admin: the web service's administrator).
 * LOGIN_STARTED: done(login, ok) runs on the loop later; login->w.req is
 * NULL then if the request died meanwhile (answer nothing). LOGIN_LOCKED:
 * refused by the lockout (answer "failed"); LOGIN_BUSY: no room to check
 * now (answer 503).
 */
enum login_start { LOGIN_STARTED, LOGIN_LOCKED, LOGIN_BUSY };
struct login {
	struct conn_wait w;
	struct httpd *h;
	const char *what;
	char *user;
	uint32_t addr;
	void (*done)(struct login *lg, bool ok);
	void *ctx;
};
enum login_start httpd_login_start(struct httpd *h, struct evhttp_request *req,
				   const char *what, const char *user, const char *pw,
				   bool admin, void (*done)(struct login *, bool),
				   void *ctx);
/* The most common iterations of the users' pbkdf2 hashes (the cost of an
 * unknown user's check), the default when there is none. */
unsigned int httpd_dummy_iterations(const struct pp_users *u);
/* The request is complete: stop its deadlines, count it. */
void httpd_dispatch(struct evhttp_request *req, void *arg);
/* The lockout around a password check: true when the login may go on. */
bool httpd_login_allowed(struct httpd *h, const char *what, const char *user,
			 uint32_t addr);
void httpd_login_failed(struct httpd *h, const char *what, const char *user,
			uint32_t addr);
void httpd_login_succeeded(struct httpd *h, const char *user, uint32_t addr);
/* Send a complete reply with security headers. */
void httpd_reply(struct evhttp_request *req, int code, const char *reason,
		 const char *type, const void *body, size_t len);
/* The body of a request as a NUL-terminated string (malloc), or NULL. */
char *httpd_body(struct evhttp_request *req, size_t max, size_t *len);

/* page.c */
void page_handle(struct evhttp_request *req, void *arg);
void redirect_handle(struct evhttp_request *req, void *arg);

/* service.c */
void soap_handle(struct evhttp_request *req, void *arg);
void tokens_expire(struct httpd *h, time_t now);

/* proxy.c */
void proxy_handle(struct evhttp_request *req, void *arg);

/* tls.c */
SSL_CTX *tls_server_ctx(const char *path, char *err, size_t errlen);
struct bufferevent *tls_bevcb(struct event_base *base, void *arg);

#endif /* PP_HTTPD_H */
