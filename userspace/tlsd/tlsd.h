/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tlsd: the TLS terminator of secure SCCP (docs/secure-sccp.md).
 */
#ifndef TLSD_H
#define TLSD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <openssl/ssl.h>

#include "daemon.h"
#include "ops.h"
#include "parse.h"
#include "tlsdconf.h"

/* Bytes buffered towards one side before reading the other pauses. */
#define TLSD_HIGH_WATER		(64u << 10)
#define TLSD_ADDR_BUCKETS	1024
/* SEP + 12 hex digits. */
#define TLSD_DEVICE_LEN		15

struct tlsd_addr {
	struct tlsd_addr *next;
	uint32_t addr;
	unsigned int n;
};

struct tlsd_stats {
	uint64_t accepted, handshakes, claimed, closed;
	uint64_t refused_conns, refused_addr, refused_handshakes, refused_inactive;
	uint64_t handshake_failed, handshake_timeout, claim_refused, ccm_failed, reset;
};

struct tlsd {
	struct event_base *base;
	struct pp_follow *follow;
	struct event *follow_ev;
	struct pp_daemon_signals sig;
	struct pp_ctl *ctl;
	struct pp_config cfg;
	bool have_cfg;
	struct pp_tlsdconf conf;
	const char *conf_path;
	bool conf_missing_ok;
	SSL_CTX *ctx;
	struct evconnlistener *lis;
	uint32_t lis_addr;
	uint16_t lis_port;
	unsigned int conns, handshaking;
	struct tlsd_addr *addrs[TLSD_ADDR_BUCKETS];
	struct tlsd_stats st;
};

/* tls.c */
SSL_CTX *tlsd_ctx_new(const char *certfile, const char *cafile, char *err, size_t errlen);
/* The device a certificate names (CN "SEP..." or "...-SEP..."): 0 and
 * dev filled, or -1. */
int tlsd_cert_device(X509 *x, char dev[TLSD_DEVICE_LEN + 1]);

/* conn.c */
void tlsd_accept(struct tlsd *d, evutil_socket_t fd, uint32_t addr, uint16_t port);
void tlsd_stats_log(const struct tlsd *d);
/* The reply to "stats" (lib/ctlsock.h's format; docs/secure-sccp.md). */
void tlsd_stats_write(FILE *f, const struct tlsd *d);

#define tlsd_ip(addr)	pp_ip(addr)

#endif /* TLSD_H */
