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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct event_base;
struct pp_ctl;

#define PP_CTL_MAX	8192	/* largest reply */
/* pp-httpd's: "reload" re-reads what ppctl changed (httpd.conf, users.xml,
 * the administrator password, certificates); replies "ok". */
#define PP_CTL_HTTPD	"phoneproxy/httpd"
/* pp-tlsd's: "stats" (below), "reload" re-reads tlsd.conf and the
 * certificate; replies "ok" or "error reason" (the previous settings kept). */
#define PP_CTL_TLSD	"phoneproxy/tlsd"
/* pp-clusterd's (docs/cluster.md): "stats", the cluster's state and
 * pp-clusterd's counters in the format below ("ppctl show cluster");
 * "registrations [AFTER]", the nodes each user's phone is registered
 * through ("ppctl show user"), users sorted by name (bytes), those after
 * AFTER only, one line each:
 *
 *	self NODE LF			this node's id (0: not known yet)
 *	node NODE SP NAME LF		the first reply only (no AFTER): the
 *					name of each node of corosync's
 *					nodelist that has one (cluster.xml's,
 *					corosync's), at most 64
 *	user NAME SP NODE[,NODE...] LF	node ids ascending
 *	end LF | more LF		the last line: "more" when the reply is
 *					full; ask again after the last NAME
 */
#define PP_CTL_CLUSTERD	"phoneproxy/clusterd"
#define PP_CTL_REQ_MAX	128	/* longest request, its newline included */

/* Write the reply to req (without its newline) to out. */
typedef void (*pp_ctl_reply_fn)(void *arg, const char *req, FILE *out);

/* Listen on name (after the leading NUL) in base's loop. Returns 0, or
 * -errno (EADDRINUSE: the daemon already runs in this namespace). */
int pp_ctl_open(struct event_base *base, const char *name, pp_ctl_reply_fn fn, void *arg,
		struct pp_ctl **out);
void pp_ctl_close(struct pp_ctl *c);

/*
 * Ask the daemon listening on name in this network namespace: req (a
 * line), its reply in buf (NUL-terminated, at most len - 1 bytes, 3 s at
 * most). Returns the reply's length, -ENOENT when no daemon listens
 * here, or another -errno.
 */
int pp_ctl_ask(const char *name, const char *req, char *buf, size_t len);
/* The same, waiting up to seconds for the answer (pp_ctl_ask: 3 s). */
int pp_ctl_ask_wait(const char *name, const char *req, char *buf, size_t len,
		    unsigned int seconds);

/*
 * The reply to "stats", the same for every daemon that has counters
 * (pp-tftpd, pp-tlsd): one line per counter or gauge,
 *
 *	NAME SP VALUE LF
 *
 * NAME of [a-z0-9_] (1..PP_CTL_STAT_NAME_MAX bytes), unique in the
 * reply; VALUE a decimal unsigned 64-bit number, or a word of printable
 * characters without a space (a state: "brief"). Counters first, then
 * what holds now. Nothing else: no blank line, no comment. ppctl shows the
 * lines in order ("show stats" a section per daemon, -j an object of the
 * names, numbers as JSON numbers).
 */
#define PP_CTL_STAT_NAME_MAX	48
void pp_ctl_stat(FILE *f, const char *name, uint64_t value);
void pp_ctl_stat_word(FILE *f, const char *name, const char *word);
/* One line of a reply: num set when the value is a number. */
typedef void (*pp_ctl_stat_fn)(void *arg, const char *name, const char *value, bool num,
			       uint64_t v);
/* Check a whole reply (text, NUL-terminated), then call fn for each line
 * in order. Returns the number of lines, or -1 with err = "line N: reason"
 * (fn not called at all). fn NULL: only check. */
int pp_ctl_stats_parse(const char *text, pp_ctl_stat_fn fn, void *arg, char *err,
		       size_t errlen);

#endif /* PP_CTLSOCK_H */
