/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * A daemon's control socket: an abstract AF_UNIX SOCK_SEQPACKET socket,
 * so there is one per network namespace (one proxy per namespace, like
 * the module's state). One request a connection (a line), one reply.
 * ppctl asks; anyone in the namespace may (like the module's reads):
 * nothing asked changes state that root has not already written in files.
 */
#ifndef PP_CTLSOCK_H
#define PP_CTLSOCK_H

#include <stdio.h>

struct event_base;
struct pp_ctl;

#define PP_CTL_MAX	8192	/* largest reply */
/* pp-httpd's: "reload" re-reads what ppctl changed (httpd.conf, users.xml,
 * the administrator password, certificates); replies "ok". */
#define PP_CTL_HTTPD	"phoneproxy/httpd"

/* Write the reply to req (without its newline) to out. */
typedef void (*pp_ctl_reply_fn)(void *arg, const char *req, FILE *out);

/* Listen on name (after the leading NUL) in base's loop. Returns 0, or
 * -errno (EADDRINUSE: the daemon already runs in this namespace). */
int pp_ctl_open(struct event_base *base, const char *name, pp_ctl_reply_fn fn, void *arg,
		struct pp_ctl **out);
void pp_ctl_close(struct pp_ctl *c);

#endif /* PP_CTLSOCK_H */
