/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd internals: one libevent loop, the file cache with its
 * upstream fetches from the CallManagers (cache.c), the requests and
 * transfers to the phones (serve.c), the control socket (ctl.c).
 */
#ifndef PP_TFTPD_H
#define PP_TFTPD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <event2/event.h>

#include "daemon.h"
#include "nodes.h"
#include "ops.h"
#include "parse.h"
#include "ratelimit.h"
#include "replyport.h"
#include "secure.h"
#include "slots.h"
#include "stats.h"
#include "tftpdconf.h"
#include "tftp.h"

struct tftpd;
struct centry;

/* ---- cache.c: files fetched from CallManagers ---- */

enum centry_state {
	CE_FETCHING,		/* upstream transfer running */
	CE_DONE,		/* complete */
	CE_FAILED,		/* see fail, err_code, err_msg */
};

enum centry_fail {
	CE_FAIL_NONE,
	CE_FAIL_ERROR,		/* the CallManager answered an ERROR */
	CE_FAIL_TIMEOUT,	/* it did not answer (in time) */
	CE_FAIL_UNREACHABLE,	/* ICMP unreachable */
	CE_FAIL_TOO_LARGE,	/* beyond max-file-size */
	CE_FAIL_PROTOCOL,	/* it sent something we cannot use */
	CE_FAIL_LOCAL,		/* a socket or memory failure here */
};

/*
 * Someone waiting for progress of an entry. Notification is one-shot:
 * the callback runs once per cache_listen() and re-registers if it still
 * wants to hear.
 */
struct listener {
	TAILQ_ENTRY(listener) link;
	void (*fn)(struct listener *l, struct centry *e);
	bool linked;
};

TAILQ_HEAD(listener_list, listener);

struct upstream;

struct centry {
	struct tftpd *d;
	uint32_t cm;			/* CallManager, network order */
	char *name;
	enum centry_state state;
	bool started;			/* the CallManager answered with data/OACK */
	bool indexed;			/* in the cache index (holds a ref) */
	int refs;
	unsigned char *data;
	size_t len, cap;
	bool size_known;		/* tsize from the CallManager's OACK */
	uint64_t size;
	uint64_t expires_ms;		/* CE_DONE and indexed */
	enum centry_fail fail;
	uint16_t err_code;		/* TFTP error to give the phone */
	char err_msg[TFTP_ERRMSG_MAX + 1];
	struct upstream *up;
	struct listener_list listeners;
	TAILQ_ENTRY(centry) lru;	/* indexed entries, oldest first */
};

TAILQ_HEAD(centry_list, centry);

/*
 * The entry for (cm, name), with a reference for the caller: from the
 * index (hit, or a fetch in progress that the caller joins) or new, its
 * fetch from the south address src started. *how says which: "hit",
 * "coalesced", "miss". NULL when out of memory.
 */
struct centry *cache_get(struct tftpd *d, uint32_t cm, const char *name,
			 uint32_t src, const char **how);
void cache_put(struct centry *e);
void cache_listen(struct centry *e, struct listener *l);
void cache_unlisten(struct centry *e, struct listener *l);
/* Drop expired entries; keep the total under cache-max-bytes. */
void cache_expire(struct tftpd *d, uint64_t now_ms);
void cache_fini(struct tftpd *d);

/* ---- serve.c: the phones' side ---- */

int serve_init(struct tftpd *d);
/*
 * An activation (PP_EVENT_ACTIVATED, any reason, a cluster peer's too):
 * when this node is one of the user's nodes, fetch the phone's
 * configuration from its CallManager and map this node
 * (docs/cluster.md, "The CallManager mapping").
 */
struct pp_event_info;
void serve_on_event(struct tftpd *d, const struct pp_event_info *ev);
/* (Re)bind UDP port 69 on the north address of the module's config. */
void serve_rebind(struct tftpd *d, const struct pp_config *cfg);
void serve_fini(struct tftpd *d);

/* ---- ctl.c: the control socket ---- */

int ctl_init(struct tftpd *d);
void ctl_fini(struct tftpd *d);
/* Re-read tftpd.conf: 0, or -1 with err (the settings read before kept). */
int tftpd_reload(struct tftpd *d, char *err, size_t errlen);

/* ---- the daemon ---- */

struct tftpd {
	struct event_base *base;
	struct tftpd_conf conf;
	const char *conf_path;		/* tftpd.conf, re-read when told */
	bool conf_optional;		/* the default path: may be missing */
	struct pp_follow *follow;	/* the module: requests, configuration */
	struct event *follow_ev;
	struct pp_config cfg;		/* the module's, as last told */
	bool have_cfg;
	char cfg_line[200];		/* what was logged of it */
	struct tftpd_stats stats;
	struct ratelimit rl;
	struct slots slots;		/* transfers per phone address */
	struct replyport replyport;	/* replyport auto: addresses on 69 */
	struct tftpd_secure secure;	/* the TFTP key, signed files */
	struct tftpd_nodes nodes;	/* cluster.xml, users.xml: the users' nodes */
	/* Fetches of a just activated phone's file for its mapping. */
	TAILQ_HEAD(mapjob_list, mapjob) mapjobs;
	unsigned int mapjobs_running;	/* of them, fetching */
	bool mapjobs_starting;
	/* Host names of CallManagers being looked up (resolve.c). */
	struct evdns_base *dns;
	unsigned int resolving;

	/* The listening socket on north:tftp_port. */
	int fd69;
	struct event *ev69;
	uint32_t bound_addr;		/* network order, 0: not bound */
	uint16_t bound_port;
	/* And on the heartbeat pair's virtual north address (IP_FREEBIND). */
	int fd69v;
	struct event *ev69v;
	uint32_t bound_vaddr;
	uint16_t bound_vport;

	/* Requests in progress, by (address, port) of the phone. */
	void *jobs;
	uint64_t njobs;

	/* Cache index: tsearch tree of struct centry, by (cm, name). */
	void *cache;
	struct centry_list lru;
	uint64_t cache_entries;
	uint64_t cache_bytes;

	struct pp_ctl *ctl;		/* the control socket */
	struct event *tick;		/* housekeeping, every second */
	struct pp_daemon_signals sig;	/* lib/daemon.h */
};

uint64_t tftpd_now_ms(void);

/* ---- the CallManager mapping (serve.c, resolve.c) ---- */

/* Lookups of CallManager host names at once, at most. */
#define TFTPD_RESOLVE_MAX	64

/*
 * Tell the module that this node (place self among the user's nodes,
 * list) stands for CallManager ccm (network order; 0: none, SCCP goes
 * to the user's CallManager) for user active at addr.
 */
void tftpd_map_ccm_set(struct tftpd *d, const char *user, uint32_t addr, const char *who,
		       const char *list, int self, uint32_t ccm);
/*
 * Look host up (evdns), then tftpd_map_ccm_set() with its IPv4 address,
 * or 0 if it does not resolve. -1 when not started (not a host name,
 * too many lookups, no memory): the caller clears the mapping.
 */
int tftpd_resolve_ccm(struct tftpd *d, const char *user, uint32_t addr, const char *who,
		      const char *list, int self, const char *host);
void tftpd_resolve_fini(struct tftpd *d);

/* "a.b.c.d" of a network-order address, in a static rotating buffer. */
#define tftpd_ip(addr)	pp_ip(addr)

#endif /* PP_TFTPD_H */
