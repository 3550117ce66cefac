// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * CallManagers given by host name: resolved with the system's resolver
 * (getaddrinfo(): /etc/hosts, DNS, as nsswitch.conf says) when the users
 * are published, and again by "ppctl refresh callmanager" (users_xml.h).
 */
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "users_xml.h"

int pp_ccm_resolve(const struct pp_callmanager *c, uint32_t *addr, char *why,
		   size_t whylen)
{
	struct addrinfo hints = {
		.ai_family = AF_INET, .ai_socktype = SOCK_STREAM,
	}, *res = NULL;
	int rc;

	rc = getaddrinfo(c->host, NULL, &hints, &res);
	if (rc || !res) {
		snprintf(why, whylen, "%s", rc ? gai_strerror(rc) : "no address");
		return -1;
	}
	*addr = ((const struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr;
	freeaddrinfo(res);
	if (!*addr) {
		snprintf(why, whylen, "it resolves to 0.0.0.0");
		return -1;
	}
	return 0;
}

int pp_users_resolve(struct pp_users *u, const char *file, char *err, size_t errlen)
{
	char why[256];
	size_t i;

	for (i = 0; i < u->nccms; i++) {
		struct pp_callmanager *c = &u->ccms[i];

		if (c->host[0] && pp_ccm_resolve(c, &c->addr, why, sizeof(why))) {
			snprintf(err, errlen, "%s:%ld: ccm \"%s\": host \"%s\" does not resolve: %s",
				 file, c->line, c->name, c->host, why);
			return -1;
		}
	}
	return 0;
}
