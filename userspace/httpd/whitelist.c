// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Proxy URLs (parsed by libevent) and the allow list match.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>

#include "parse.h"
#include "whitelist.h"

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A path segment that is "." or "..", literally or percent-encoded. */
static bool dot_segment(const char *seg, size_t len)
{
	size_t dots = 0, i = 0;

	while (i < len) {
		if (seg[i] == '.') {
			i++;
		} else if (len - i >= 3 && seg[i] == '%' && seg[i + 1] == '2' &&
			   (seg[i + 2] == 'e' || seg[i + 2] == 'E')) {
			i += 3;
		} else {
			return false;
		}
		dots++;
	}
	return dots == 1 || dots == 2;
}

static bool has_dot_segment(const char *path)
{
	const char *p = path;

	while (*p) {
		const char *end;
		size_t len;

		if (*p == '/') {
			p++;
			continue;
		}
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (dot_segment(p, len))
			return true;
		p += len;
	}
	return false;
}

int pp_proxy_url_parse(const char *uri, struct pp_proxy_url *u, char *err,
		       size_t errlen)
{
	struct evhttp_uri *eu;
	const char *scheme, *host, *path, *query;
	char shown[64];
	int port, n, rc = -1;
	size_t i;

	memset(u, 0, sizeof(*u));
	snprintf(shown, sizeof(shown), "%.60s", uri);
	for (i = 0; shown[i]; i++)
		if ((unsigned char)shown[i] < 0x20 || shown[i] == 0x7f)
			shown[i] = '?';
	if (strlen(uri) >= PP_URL_MAX)
		return fail(err, errlen, "URL \"%s...\" is longer than %d bytes", shown,
			    PP_URL_MAX - 1);
	if (strchr(uri, '\\'))
		return fail(err, errlen, "URL \"%s\" holds a backslash", shown);
	eu = evhttp_uri_parse_with_flags(uri, 0);
	if (!eu)
		return fail(err, errlen, "URL \"%s\" is not a valid URL", shown);
	scheme = evhttp_uri_get_scheme(eu);
	host = evhttp_uri_get_host(eu);
	path = evhttp_uri_get_path(eu);
	query = evhttp_uri_get_query(eu);
	port = evhttp_uri_get_port(eu);
	if (!scheme || !host) {
		fail(err, errlen, "\"%s\" is not an absolute URL (a proxy is asked for http://host/path)",
		     shown);
		goto out;
	}
	if (strcasecmp(scheme, "http")) {
		fail(err, errlen, "URL \"%s\": only http:// is proxied", shown);
		goto out;
	}
	if (evhttp_uri_get_userinfo(eu)) {
		fail(err, errlen, "URL \"%s\" holds a user name", shown);
		goto out;
	}
	if (evhttp_uri_get_fragment(eu)) {
		fail(err, errlen, "URL \"%s\" holds a fragment (#)", shown);
		goto out;
	}
	if (!*host || strlen(host) >= sizeof(u->host)) {
		fail(err, errlen, "URL \"%s\" names no usable host", shown);
		goto out;
	}
	if (host[0] == '[') {
		fail(err, errlen, "URL \"%s\": IPv6 hosts are not proxied", shown);
		goto out;
	}
	if (port == 0 || port > 65535) {
		fail(err, errlen, "URL \"%s\" has port %d", shown, port);
		goto out;
	}
	u->port = port < 0 ? 80 : (uint16_t)port;
	for (i = 0; host[i]; i++)
		u->host[i] = (char)tolower((unsigned char)host[i]);
	u->is_ipv4 = pp_parse_ipv4(u->host, &u->addr) == 0;
	if (!path || !*path)
		path = "/";
	if (path[0] != '/') {
		fail(err, errlen, "URL \"%s\": the path does not start with \"/\"", shown);
		goto out;
	}
	if (has_dot_segment(path)) {
		fail(err, errlen, "URL \"%s\": \".\" and \"..\" path segments are refused", shown);
		goto out;
	}
	n = snprintf(u->target, sizeof(u->target), "%s%s%s", path, query ? "?" : "",
		     query ? query : "");
	if (n < 0 || (size_t)n >= sizeof(u->target)) {
		fail(err, errlen, "URL \"%s...\" is too long", shown);
		goto out;
	}
	if (u->port == 80)
		n = snprintf(u->norm, sizeof(u->norm), "http://%s%s", u->host, u->target);
	else
		n = snprintf(u->norm, sizeof(u->norm), "http://%s:%u%s", u->host,
			     u->port, u->target);
	if (n < 0 || (size_t)n >= sizeof(u->norm)) {
		fail(err, errlen, "URL \"%s...\" is too long", shown);
		goto out;
	}
	rc = 0;
out:
	evhttp_uri_free(eu);
	return rc;
}

bool pp_glob_match(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

const char *pp_whitelist_match(char *const *patterns, size_t n,
			       const struct pp_proxy_url *url)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pp_glob_match(patterns[i], url->norm))
			return patterns[i];
	return NULL;
}
