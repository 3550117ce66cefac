// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd: the CallManager mapping when the CallManager's file names a
 * call-processing node by host name (processNodeName, as CUCM writes it
 * by default). libevent's resolver (evdns: /etc/hosts, then the name
 * servers of /etc/resolv.conf, both read when the first name is looked
 * up), in the event loop: a lookup never blocks the transfers. At most
 * TFTPD_RESOLVE_MAX at once; the name comes from the CallManager's own
 * file (the south side), never from the phone, and its address goes
 * through the same checks as a literal one (here and in the module).
 */
#include <event2/dns.h>
#include <event2/util.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tftpd.h"
#include "users_xml.h"

struct resolve {
	struct tftpd *d;
	uint32_t addr;			/* the phone's, network order */
	int self;			/* this node's place among the user's */
	char user[PP_NAME_MAX];
	char who[PP_NAME_MAX + 32];
	char host[PP_HOST_MAX];
	char list[128];
};

static void on_resolved(int err, struct evutil_addrinfo *res, void *arg)
{
	struct resolve *r = arg;
	struct tftpd *d = r->d;
	const struct evutil_addrinfo *ai;
	uint32_t ccm = 0;

	d->resolving--;
	for (ai = err ? NULL : res; ai; ai = ai->ai_next)
		if (ai->ai_family == AF_INET) {
			ccm = ((const struct sockaddr_in *)(const void *)ai->ai_addr)->sin_addr.s_addr;
			break;
		}
	if (res)
		evutil_freeaddrinfo(res);
	if (err == EVUTIL_EAI_CANCEL) {
		free(r);
		return;		/* shutting down */
	}
	if (!ccm) {
		d->stats.ccm_resolve_failed++;
		pp_notice("Tftp: %s %s: node %d of %s stands for CallManager \"%s\", which does not resolve (%s): SCCP goes to the user's CallManager",
			  tftpd_ip(r->addr), r->who, r->self + 1, r->list, r->host,
			  err ? evutil_gai_strerror(err) : "no IPv4 address");
	} else {
		pp_info("Tftp: %s %s: CallManager \"%s\" is %s", tftpd_ip(r->addr), r->who,
			r->host, tftpd_ip(ccm));
	}
	tftpd_map_ccm_set(d, r->user, r->addr, r->who, r->list, r->self, ccm);
	free(r);
}

int tftpd_resolve_ccm(struct tftpd *d, const char *user, uint32_t addr, const char *who,
		      const char *list, int self, const char *host)
{
	struct evutil_addrinfo hints = {
		.ai_family = AF_INET,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = EVUTIL_AI_ADDRCONFIG,
	};
	struct resolve *r;

	if (!pp_host_name_valid(host))
		return -1;
	if (d->resolving >= TFTPD_RESOLVE_MAX) {
		d->stats.ccm_resolve_failed++;
		pp_notice("Tftp: %s %s: CallManager \"%s\" not looked up: %u lookups running already",
			  tftpd_ip(addr), who, host, d->resolving);
		return -1;
	}
	if (!d->dns) {
		d->dns = evdns_base_new(d->base, EVDNS_BASE_INITIALIZE_NAMESERVERS |
					EVDNS_BASE_DISABLE_WHEN_INACTIVE);
		if (!d->dns) {
			pp_err("Tftp: cannot start the resolver (evdns)");
			return -1;
		}
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return -1;
	r->d = d;
	r->addr = addr;
	r->self = self;
	snprintf(r->user, sizeof(r->user), "%s", user);
	snprintf(r->who, sizeof(r->who), "%s", who);
	snprintf(r->host, sizeof(r->host), "%s", host);
	snprintf(r->list, sizeof(r->list), "%s", list);
	d->resolving++;
	d->stats.ccm_resolved++;
	/* May complete at once (the hosts file): r is freed then. */
	evdns_getaddrinfo(d->dns, host, NULL, &hints, on_resolved, r);
	return 0;
}

void tftpd_resolve_fini(struct tftpd *d)
{
	if (d->dns)
		evdns_base_free(d->dns, 1);	/* the pending ones: EVUTIL_EAI_CANCEL */
	d->dns = NULL;
}
