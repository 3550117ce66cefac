/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The heartbeat pair (the guide's "Heartbeat", docs/heartbeat.md): ppctl's
 * settings of it ($PP_CONF_DIR/heartbeat.conf, the same command lines as
 * every settings file, settings.h) and the keepalived configuration made
 * from them: one VRRP instance per virtual address (virtnorth, virtsouth),
 * both in one sync group, advertised by unicast to the peer's cluster
 * address, the preferred node's priority above the other's.
 */
#ifndef PP_HEARTBEAT_H
#define PP_HEARTBEAT_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PP_HEARTBEAT_CONF_FILE	"heartbeat.conf"
#define PP_KEEPALIVED_CONF_FILE	"keepalived.conf"
#define PP_HB_GROUP_MAX		8	/* keepalived's auth_pass: 8 bytes */
#define PP_HB_HOST_MAX		253
#define PP_HB_PRIO_PREFERRED	150
#define PP_HB_PRIO_OTHER	100

/* ppctl's heartbeat.conf. */
struct pp_hbconf {
	uint32_t mgmt_addr;		/* network order; adjacent: {mgmt|cluster} */
	uint32_t cluster_addr;
	uint32_t peer;			/* the other node's cluster address */
	char group[PP_HB_GROUP_MAX + 1];
	char preferred[PP_HB_HOST_MAX + 1];
	uint8_t manage_tftp;		/* adjacent: {tftp|http} */
	uint8_t manage_http;
	uint8_t enabled;
};

/* Read path into c (the defaults when missing_ok and it does not exist):
 * 0, or -1 with err "path:line: reason". */
int pp_hbconf_load(const char *path, bool missing_ok, struct pp_hbconf *c,
		   char *err, size_t errlen);

/* What keepalived needs of this node, found by ppctl. */
struct pp_hb_node {
	char hostname[PP_HB_HOST_MAX + 1];
	/* [0] virtnorth, on the north interface with the north prefix;
	 * [1] virtsouth, on the south one (addr 0: not configured). */
	struct {
		uint32_t addr;
		char dev[IF_NAMESIZE];
		unsigned int prefix;
	} vip[2];
	char cluster_dev[IF_NAMESIZE];	/* the one holding cluster_addr */
	uint16_t tftp_port;		/* watched when "manage tftp" */
	uint16_t http_port;		/* watched when "manage http" */
};

/* The VRRP router id of virtnorth (virtsouth: + 1), from the group name:
 * the same on both nodes, odd, 1..253. */
unsigned int pp_hb_vrid(const char *group);

/* Whether every step of the guide is done for this node: 0, or -1 with
 * err naming what is missing and the command that sets it. */
int pp_hb_complete(const struct pp_hbconf *c, const struct pp_hb_node *n,
		   char *err, size_t errlen);

/* Write keepalived's configuration for c on node n. */
void pp_keepalived_conf(FILE *f, const struct pp_hbconf *c, const struct pp_hb_node *n);

#endif /* PP_HEARTBEAT_H */
