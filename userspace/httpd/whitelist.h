/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The HTTP proxy's view of a request URL and the allow list match.
 *
 * A phone asks the proxy for an absolute URL ("GET http://198.51.100.10/
 * dir.xml HTTP/1.1"). libevent parses it; this refuses what a whitelist
 * cannot judge safely (user names, fragments, dot segments, literal or
 * percent-encoded, that a server would resolve past a "dir/..." pattern;
 * backslashes) and gives its normalized form, "http://" + lower-case
 * host + (":port" unless 80) + path + ("?" query), which is what is
 * matched and what is fetched.
 *
 * A pattern (normalized by pp_allow_pattern_normalize) matches when it is
 * equal to that form, each '*' standing for any run of characters.
 */
#ifndef PP_HTTPD_WHITELIST_H
#define PP_HTTPD_WHITELIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "httpconf.h"

struct pp_proxy_url {
	char norm[PP_URL_MAX + 16];	/* the normalized absolute URL */
	char target[PP_URL_MAX + 16];	/* path and query (origin form) */
	char host[256];			/* lower case */
	uint16_t port;
	bool is_ipv4;
	uint32_t addr;			/* when is_ipv4, network order */
};

/* Returns 0, or -1 with err naming the URL and the reason. */
int pp_proxy_url_parse(const char *uri, struct pp_proxy_url *u, char *err,
		       size_t errlen);

/* '*' matches any run of characters (also none, also "/"). */
bool pp_glob_match(const char *pattern, const char *s);

/* The first pattern matching url->norm, or NULL. */
const char *pp_whitelist_match(char *const *patterns, size_t n,
			       const struct pp_proxy_url *url);

#endif /* PP_HTTPD_WHITELIST_H */
