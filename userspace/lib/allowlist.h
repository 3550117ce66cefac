/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The HTTP proxy's allow list: the one matcher of pp-httpd's proxy (what
 * a phone may fetch) and of pp-tftpd (which service URLs of a phone's
 * configuration file are kept). docs/httpd.md "The allow list rule".
 *
 * A URL is first brought to its canonical form, or refused:
 *
 *  1. libevent splits it (evhttp_uri_parse, strict). Only absolute
 *     http:// URLs; no user name ('@' anywhere in the authority), no
 *     fragment ('#'), no backslash, no control character, no IPv6 host.
 *  2. The host is compared in lower case and must be a DNS name (letters,
 *     digits, '-', '_', non-empty labels, no trailing dot) or an IPv4
 *     address in dotted-decimal form: a host whose last label is numeric
 *     ("167837962", "012.1.1.10", "0xa.1.1.10", "10.1.10") is refused,
 *     since resolvers read such forms as other addresses. The port
 *     defaults to 80.
 *  3. The path is percent-decoded once: an encoded '/', '\', '.', '%'
 *     (double encoding), ';', NUL or control character is refused, as is
 *     an encoded byte sequence that is not UTF-8 (overlong "%c0%ae"); a
 *     literal ';' (path parameters: Tomcat's "..;/", ";jsessionid") is
 *     refused. Encoded unreserved characters are decoded, every other
 *     encoded byte is written %XX in upper case.
 *  4. The path is normalised: duplicate slashes become one, "." segments
 *     go and ".." removes the segment before it (RFC 3986 5.2.4); a ".."
 *     above the root is refused.
 *  5. The query is kept as it is (its %XX must be well formed).
 *
 * The canonical form is what is matched and what the proxy sends on: the
 * origin server receives exactly the path the allow list judged.
 *
 * A pattern is "http://" host [":" port] path ["?" query]. '*' in the
 * host matches any run of host characters (never '/', '?', '@' or ':'); the
 * port is compared as a number (80 when absent) or '*' for any. '*' in
 * the path matches any run of characters but never '?'; a '*' that ends a
 * pattern without a '?' of its own also matches any query. With a '?',
 * the pattern's query is matched against the URL's ('*': any run); a
 * pattern without '?' and without a final '*' matches only URLs without a
 * query.
 */
#ifndef PP_ALLOWLIST_H
#define PP_ALLOWLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "httpconf.h"

struct pp_allow_url {
	char norm[PP_URL_MAX + 16];	/* the canonical absolute URL */
	char target[PP_URL_MAX + 16];	/* its path and "?query" (origin form) */
	char path[PP_URL_MAX + 16];	/* canonical path */
	char query[PP_URL_MAX + 16];	/* without the '?' */
	bool has_query;
	char host[256];			/* lower case */
	uint16_t port;
	bool is_ipv4;
	uint32_t addr;			/* when is_ipv4, network order */
};

/*
 * Bring uri to its canonical form in u. Returns 0, or -1 with err naming
 * the URL and the reason.
 */
int pp_allow_url_parse(const char *uri, struct pp_allow_url *u, char *err,
		       size_t errlen);

/* Does the canonical URL u match pattern (a normalised allow-list entry)? */
bool pp_allow_match(const char *pattern, const struct pp_allow_url *u);

/* The first of n patterns that u matches, or NULL. */
const char *pp_allow_list_match(const char *const *patterns, size_t n,
				const struct pp_allow_url *u);

/* Parse uri and match it: false when it is refused or matches nothing. */
bool pp_allow_url_allowed(const char *uri, const char *const *patterns,
			  size_t n);

#endif /* PP_ALLOWLIST_H */
