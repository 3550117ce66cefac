// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The heartbeat pair's settings and keepalived configuration (heartbeat.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "heartbeat.h"
#include "log.h"
#include "parse.h"
#include "settings.h"

#define HBCONF_MAX	(64u << 10)

int pp_hbconf_load(const char *path, bool missing_ok, struct pp_hbconf *c,
		   char *err, size_t errlen)
{
	size_t len;
	char *text;
	int rc;

	memset(c, 0, sizeof(*c));
	pp_settings_defaults(PP_HOLD_HEARTBEAT, c);
	rc = pp_file_read_conf(path, HBCONF_MAX, missing_ok, &text, &len,
			       err, errlen);
	if (rc)
		return rc > 0 ? 0 : -1;
	rc = pp_settings_parse(text, len, path, PP_HOLD_HEARTBEAT, c, err, errlen);
	free(text);
	return rc;
}

unsigned int pp_hb_vrid(const char *group)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *group; group++)
		h = (h ^ (uint8_t)*group) * 16777619u;
	return 1 + (h % 127) * 2;
}

int pp_hb_complete(const struct pp_hbconf *c, const struct pp_hb_node *n,
		   char *err, size_t errlen)
{
	if (!n->vip[0].addr)
		pp_errf(err, errlen, "no virtnorth address (step 1: \"set interface virtnorth address <ip>\")");
	else if (!*c->group)
		pp_errf(err, errlen, "no group name (step 2: \"set heartbeat group <name>\")");
	else if (!c->cluster_addr)
		pp_errf(err, errlen, "no cluster address on this node, which the heartbeat talks from (\"set interface cluster address <ip>\")");
	else if (!c->peer)
		pp_errf(err, errlen, "no peer (step 3: \"set heartbeat peer <the other node's cluster address>\")");
	else if (c->peer == c->cluster_addr)
		pp_errf(err, errlen, "the peer is this node's own cluster address");
	else if (!*c->preferred)
		pp_errf(err, errlen, "no preferred node (step 5: \"set heartbeat preferred <hostname>\")");
	else
		return 0;
	return -1;
}

static void instance(FILE *f, const struct pp_hbconf *c, const struct pp_hb_node *n, int i)
{
	static const char *const names[2] = { "virtnorth", "virtsouth" };
	char a[PP_IPV4_STRLEN];

	fprintf(f, "vrrp_instance %s {\n", names[i]);
	/* Both start as backup: the priorities decide, the preferred node
	 * takes the addresses back when it returns (preemption). */
	fprintf(f, "\tstate BACKUP\n\tinterface %s\n", n->cluster_dev);
	fprintf(f, "\tvirtual_router_id %u\n", pp_hb_vrid(c->group) + (unsigned int)i);
	fprintf(f, "\tpriority %d\n", strcmp(c->preferred, n->hostname) ?
		PP_HB_PRIO_OTHER : PP_HB_PRIO_PREFERRED);
	fprintf(f, "\tadvert_int 1\n");
	/* No multicast: advertisements go to the peer's cluster address. */
	fprintf(f, "\tunicast_src_ip %s\n", pp_ipv4_str(c->cluster_addr, a));
	fprintf(f, "\tunicast_peer {\n\t\t%s\n\t}\n", pp_ipv4_str(c->peer, a));
	fprintf(f, "\tauthentication {\n\t\tauth_type PASS\n\t\tauth_pass %s\n\t}\n", c->group);
	fprintf(f, "\tvirtual_ipaddress {\n\t\t%s/%u dev %s\n\t}\n",
		pp_ipv4_str(n->vip[i].addr, a), n->vip[i].prefix, n->vip[i].dev);
	if (c->manage_tftp || c->manage_http) {
		fprintf(f, "\ttrack_script {\n");
		if (c->manage_tftp)
			fprintf(f, "\t\tpp_tftpd\n");
		if (c->manage_http)
			fprintf(f, "\t\tpp_httpd\n");
		fprintf(f, "\t}\n");
	}
	fprintf(f, "}\n");
}

/* A service "managed": something of this network namespace listens on
 * its port (keepalived runs its scripts in its own namespace). Every 2 s,
 * 10 s to answer (a loaded host runs three processes slowly: the 1 s
 * default timed out in the test guest), two failures: FAULT. */
static void script(FILE *f, const char *name, const char *proto, uint16_t port)
{
	fprintf(f, "vrrp_script %s {\n", name);
	fprintf(f, "\tscript \"/bin/sh -c 'ss -Hl%sn sport = :%u | grep -q .'\"\n", proto, port);
	fprintf(f, "\tinterval 2\n\ttimeout 10\n\tfall 2\n\trise 1\n}\n");
}

void pp_keepalived_conf(FILE *f, const struct pp_hbconf *c, const struct pp_hb_node *n)
{
	bool south = n->vip[1].addr != 0;

	fprintf(f, "# The heartbeat pair \"%s\": written by ppctl (set heartbeat ...), do not edit.\n"
		"# docs/heartbeat.md\n", c->group);
	fprintf(f, "global_defs {\n\trouter_id %s\n\tscript_user root\n"
		"\tenable_script_security\n}\n", n->hostname);
	if (c->manage_tftp)
		script(f, "pp_tftpd", "u", n->tftp_port);
	if (c->manage_http)
		script(f, "pp_httpd", "t", n->http_port);
	/* Both addresses move together (keepalived wants two instances or
	 * more in a sync group). */
	if (south)
		fprintf(f, "vrrp_sync_group pp_%s {\n\tgroup {\n\t\tvirtnorth\n\t\tvirtsouth\n\t}\n}\n",
			c->group);
	instance(f, c, n, 0);
	if (south)
		instance(f, c, n, 1);
}
