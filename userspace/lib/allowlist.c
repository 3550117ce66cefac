// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The allow-list matcher shared by pp-httpd's proxy and pp-tftpd
 * (allowlist.h has the rule). libevent splits the URL; this judges and
 * canonicalises the parts.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>

#include "allowlist.h"
#include "parse.h"
#include "log.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '~';
}

/* Length of the UTF-8 sequence at s (n bytes), 0 if not valid UTF-8. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;	/* continuation byte, overlong lead 0xc0/0xc1, > U+10FFFF */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * Step 3 of the rule: decode the path once into out (canonical
 * percent-encoding). Returns NULL or the reason it is refused.
 */
static const char *canon_path(const char *in, char *out, size_t outlen)
{
	unsigned char raw[PP_URL_MAX + 16];
	bool enc[PP_URL_MAX + 16];
	size_t n = 0, i, o = 0;

	/* Decode, remembering which bytes came encoded. */
	for (i = 0; in[i]; i++) {
		unsigned char c = (unsigned char)in[i];
		int hi, lo;

		if (n >= sizeof(raw))
			return "the path is too long";
		if (c == '%') {
			hi = hexval((unsigned char)in[i + 1]);
			lo = hi < 0 ? -1 : hexval((unsigned char)in[i + 2]);
			if (hi < 0 || lo < 0)
				return "a '%' in the path is not followed by two hex digits";
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
			switch (c) {
			case '/': return "an encoded '/' (%2F) in the path";
			case '\\': return "an encoded '\\' (%5C) in the path";
			case '.': return "an encoded '.' (%2E) in the path";
			case '%': return "an encoded '%' (%25, double encoding) in the path";
			case ';': return "an encoded ';' (%3B) in the path";
			default: break;
			}
			if (c < 0x20 || c == 0x7f)
				return "an encoded control character or NUL in the path";
			enc[n] = true;
		} else {
			if (c == ';')
				return "a ';' (path parameter) in the path";
			if (c == '\\')
				return "a backslash in the path";
			if (c <= 0x20 || c >= 0x7f)
				return "a control, space or non-ASCII character in the path";
			enc[n] = false;
		}
		raw[n++] = c;
	}
	for (i = 0; i < n;) {
		size_t len = utf8_len(raw + i, n - i), k;

		if (!len)
			return "an encoded byte sequence in the path that is not UTF-8";
		for (k = i; k < i + len; k++) {
			unsigned char c = raw[k];

			if (o + 4 > outlen)
				return "the path is too long";
			if (!enc[k] || unreserved(c)) {
				out[o++] = (char)c;
			} else {
				snprintf(out + o, 4, "%%%02X", c);
				o += 3;
			}
		}
		i += len;
	}
	out[o] = '\0';
	return NULL;
}

/*
 * Step 4: remove dot segments and duplicate slashes, in place. A path
 * ending in "/", "/." or "/.." keeps a final '/'.
 */
static const char *normalise_path(char *p)
{
	char out[PP_URL_MAX + 16];
	size_t start[PP_URL_MAX / 2 + 8], depth = 0, o = 0, len;
	const char *r = p, *seg;
	bool trail = false;

	while (*r) {
		while (*r == '/')
			r++;
		if (!*r) {
			trail = true;
			break;
		}
		seg = r;
		len = strcspn(seg, "/");
		r += len;
		trail = false;
		if (len == 1 && seg[0] == '.') {
			trail = true;
			continue;
		}
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			if (!depth)
				return "a \"..\" above the root of the path";
			o = start[--depth];
			trail = true;
			continue;
		}
		if (depth == sizeof(start) / sizeof(start[0]) || o + len + 2 >= sizeof(out))
			return "the path is too long";
		start[depth++] = o;
		out[o++] = '/';
		memcpy(out + o, seg, len);
		o += len;
	}
	if (trail || o == 0)
		out[o++] = '/';
	out[o] = '\0';
	memcpy(p, out, o + 1);
	return NULL;
}

/* Step 2: the host, lower case, a DNS name or a dotted-decimal IPv4. */
static const char *check_host(const char *host, char *out, size_t outlen,
			      bool *is_ipv4, uint32_t *addr)
{
	size_t len = strlen(host), i, lab = 0;
	const char *last;
	bool numeric = true;

	if (!len)
		return "no host";
	if (len >= outlen || len > 253)
		return "the host name is too long";
	for (i = 0; i <= len; i++) {
		unsigned char c = (unsigned char)host[i];

		if (c == '.' || c == '\0') {
			if (lab == 0)
				return c ? "an empty label in the host" :
					   "a host ending with '.' (or an empty label)";
			lab = 0;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++lab > 63)
				return "a host label longer than 63 characters";
		} else {
			return "a character a host name cannot hold";
		}
		out[i] = (char)tolower(c);
	}
	last = strrchr(out, '.');
	last = last ? last + 1 : out;
	/* WHATWG: a numeric last label makes the host an IPv4 address. */
	if (!strncmp(last, "0x", 2)) {
		numeric = true;
	} else {
		for (i = 0; last[i]; i++)
			if (!isdigit((unsigned char)last[i]))
				numeric = false;
	}
	*is_ipv4 = false;
	if (numeric) {
		unsigned int a, b, c, d;
		int n = 0;
		char canon[48];

		if (sscanf(out, "%3u.%3u.%3u.%3u%n", &a, &b, &c, &d, &n) != 4 ||
		    (size_t)n != len || a > 255 || b > 255 || c > 255 || d > 255)
			return "an IPv4 address not in dotted-decimal form (a.b.c.d)";
		snprintf(canon, sizeof(canon), "%u.%u.%u.%u", a, b, c, d);
		if (strcmp(canon, out) || pp_parse_ipv4(out, addr))
			return "an IPv4 address not in dotted-decimal form (leading zeros)";
		*is_ipv4 = true;
	}
	return NULL;
}

int pp_allow_url_parse(const char *uri, struct pp_allow_url *u, char *err,
		       size_t errlen)
{
	struct evhttp_uri *eu;
	const char *scheme, *host, *path, *query, *why, *auth, *aend;
	char shown[64];
	int port, n, rc = -1;
	size_t i;

	memset(u, 0, sizeof(*u));
	snprintf(shown, sizeof(shown), "%.60s", uri);
	for (i = 0; shown[i]; i++)
		if ((unsigned char)shown[i] < 0x20 || (unsigned char)shown[i] >= 0x7f)
			shown[i] = '?';
	if (strlen(uri) >= PP_URL_MAX)
		return pp_errf(err, errlen, "URL \"%s...\" is longer than %d bytes", shown,
			    PP_URL_MAX - 1);
	for (i = 0; uri[i]; i++)
		if ((unsigned char)uri[i] <= 0x20 || (unsigned char)uri[i] >= 0x7f)
			return pp_errf(err, errlen,
				    "URL \"%s\" holds a space, control or non-ASCII character",
				    shown);
	if (strchr(uri, '\\'))
		return pp_errf(err, errlen, "URL \"%s\" holds a backslash", shown);
	if (strncasecmp(uri, "http://", 7))
		return pp_errf(err, errlen,
			    "\"%s\" is not an absolute http:// URL (a proxy is asked for http://host/path)",
			    shown);
	/* '@' anywhere in the authority: a user name, or a host that is not one. */
	auth = uri + 7;
	aend = auth + strcspn(auth, "/?#");
	if (memchr(auth, '@', (size_t)(aend - auth)))
		return pp_errf(err, errlen, "URL \"%s\" holds a user name ('@')", shown);
	eu = evhttp_uri_parse_with_flags(uri, 0);
	if (!eu)
		return pp_errf(err, errlen, "URL \"%s\" is not a valid URL", shown);
	scheme = evhttp_uri_get_scheme(eu);
	host = evhttp_uri_get_host(eu);
	path = evhttp_uri_get_path(eu);
	query = evhttp_uri_get_query(eu);
	port = evhttp_uri_get_port(eu);
	if (!scheme || !host || strcasecmp(scheme, "http")) {
		pp_errf(err, errlen, "\"%s\" is not an absolute http:// URL", shown);
		goto out;
	}
	if (evhttp_uri_get_userinfo(eu)) {
		pp_errf(err, errlen, "URL \"%s\" holds a user name ('@')", shown);
		goto out;
	}
	if (evhttp_uri_get_fragment(eu)) {
		pp_errf(err, errlen, "URL \"%s\" holds a fragment ('#')", shown);
		goto out;
	}
	if (host[0] == '[') {
		pp_errf(err, errlen, "URL \"%s\": IPv6 hosts are not proxied", shown);
		goto out;
	}
	why = check_host(host, u->host, sizeof(u->host), &u->is_ipv4, &u->addr);
	if (why) {
		pp_errf(err, errlen, "URL \"%s\": %s", shown, why);
		goto out;
	}
	if (port == 0 || port > 65535) {
		pp_errf(err, errlen, "URL \"%s\" has port %d", shown, port);
		goto out;
	}
	u->port = port < 0 ? 80 : (uint16_t)port;
	if (!path || !*path)
		path = "/";
	if (path[0] != '/') {
		pp_errf(err, errlen, "URL \"%s\": the path does not start with '/'", shown);
		goto out;
	}
	why = canon_path(path, u->path, sizeof(u->path));
	if (!why)
		why = normalise_path(u->path);
	if (why) {
		pp_errf(err, errlen, "URL \"%s\": %s", shown, why);
		goto out;
	}
	if (query) {
		for (i = 0; query[i]; i++)
			if (query[i] == '%' && (hexval((unsigned char)query[i + 1]) < 0 ||
						hexval((unsigned char)query[i + 2]) < 0)) {
				pp_errf(err, errlen,
				     "URL \"%s\": a '%%' in the query is not followed by two hex digits",
				     shown);
				goto out;
			}
		if (strlen(query) >= sizeof(u->query)) {
			pp_errf(err, errlen, "URL \"%s...\" is too long", shown);
			goto out;
		}
		strcpy(u->query, query);
		u->has_query = true;
	}
	n = snprintf(u->target, sizeof(u->target), "%s%s%s", u->path,
		     u->has_query ? "?" : "", u->query);
	if (n < 0 || (size_t)n >= sizeof(u->target)) {
		pp_errf(err, errlen, "URL \"%s...\" is too long", shown);
		goto out;
	}
	if (u->port == 80)
		n = snprintf(u->norm, sizeof(u->norm), "http://%s%s", u->host, u->target);
	else
		n = snprintf(u->norm, sizeof(u->norm), "http://%s:%u%s", u->host,
			     u->port, u->target);
	if (n < 0 || (size_t)n >= sizeof(u->norm)) {
		pp_errf(err, errlen, "URL \"%s...\" is too long", shown);
		goto out;
	}
	rc = 0;
out:
	evhttp_uri_free(eu);
	return rc;
}

/*
 * Glob p[0..pn) against s[0..sn): '*' matches any run of characters not
 * in stop; every other character matches itself (case-insensitively when
 * fold).
 */
static bool glob(const char *p, size_t pn, const char *s, size_t sn,
		 const char *stop, bool fold)
{
	size_t pi = 0, si = 0, star = (size_t)-1, resume = 0;

	while (si < sn) {
		if (pi < pn && p[pi] == '*') {
			star = pi++;
			resume = si;
		} else if (pi < pn && (p[pi] == s[si] ||
				       (fold && tolower((unsigned char)p[pi]) ==
						tolower((unsigned char)s[si])))) {
			pi++;
			si++;
		} else if (star != (size_t)-1 && !strchr(stop, s[resume])) {
			pi = star + 1;
			si = ++resume;
		} else {
			return false;
		}
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

/* The pattern's path with the same %XX spelling as a canonical URL's. */
static void canon_pattern_path(const char *in, size_t n, char *out, size_t outlen)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 4 < outlen; i++) {
		int hi = -1, lo = -1;

		if (in[i] == '%' && i + 2 < n) {
			hi = hexval((unsigned char)in[i + 1]);
			lo = hexval((unsigned char)in[i + 2]);
		}
		if (hi >= 0 && lo >= 0) {
			unsigned char c = (unsigned char)(hi << 4 | lo);

			if (unreserved(c)) {
				out[o++] = (char)c;
			} else {
				snprintf(out + o, 4, "%%%02X", c);
				o += 3;
			}
			i += 2;
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
}

bool pp_allow_match(const char *pattern, const struct pp_allow_url *u)
{
	const char *auth, *aend, *colon, *path, *q;
	char ppath[PP_URL_MAX + 16];
	size_t hlen, plen;
	uint64_t port = 80;

	if (strncasecmp(pattern, "http://", 7))
		return false;
	auth = pattern + 7;
	aend = auth + strcspn(auth, "/?#");
	if (memchr(auth, '@', (size_t)(aend - auth)))
		return false;
	colon = memchr(auth, ':', (size_t)(aend - auth));
	hlen = (size_t)((colon ? colon : aend) - auth);
	if (!hlen || !glob(auth, hlen, u->host, strlen(u->host), "/?@:", true))
		return false;
	if (colon) {
		char num[8];
		size_t pl = (size_t)(aend - colon - 1);

		if (!(pl == 1 && colon[1] == '*')) {
			if (!pl || pl >= sizeof(num))
				return false;
			memcpy(num, colon + 1, pl);
			num[pl] = '\0';
			if (pp_parse_uint(num, 1, 65535, &port) || port != u->port)
				return false;
		}
	} else if (u->port != 80) {
		return false;
	}
	q = strchr(aend, '?');
	if (*aend == '/') {
		path = aend;
		plen = q ? (size_t)(q - aend) : strlen(aend);
	} else {
		path = "/";
		plen = 1;
	}
	canon_pattern_path(path, plen, ppath, sizeof(ppath));
	plen = strlen(ppath);
	if (!glob(ppath, plen, u->path, strlen(u->path), "?", false))
		return false;
	if (q)
		return u->has_query && glob(q + 1, strlen(q + 1), u->query,
					    strlen(u->query), "", false);
	return !u->has_query || (plen && ppath[plen - 1] == '*');
}

const char *pp_allow_list_match(const char *const *patterns, size_t n,
				const struct pp_allow_url *u)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pp_allow_match(patterns[i], u))
			return patterns[i];
	return NULL;
}

bool pp_allow_url_allowed(const char *uri, const char *const *patterns, size_t n)
{
	struct pp_allow_url *u = malloc(sizeof(*u));
	bool ok;

	if (!u)
		return false;
	ok = pp_allow_url_parse(uri, u, NULL, 0) == 0 &&
	     pp_allow_list_match(patterns, n, u) != NULL;
	free(u);
	return ok;
}
