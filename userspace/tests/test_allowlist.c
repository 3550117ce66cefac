// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The allow-list matcher shared by pp-httpd's proxy and pp-tftpd
 * (lib/allowlist.h): the bypass forms of allowlist_cases.h, each with
 * its verdict; the canonical form the proxy sends on; the error messages.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "allowlist.h"
#include "allowlist_cases.h"
#include "tap.h"

static void test_cases(void)
{
	size_t i, n = sizeof(allow_cases) / sizeof(allow_cases[0]), wrong = 0;

	for (i = 0; i < n; i++) {
		const struct allow_case *c = &allow_cases[i];
		const char *pat[1] = { c->pattern };
		bool got = pp_allow_url_allowed(c->url, pat, 1);

		if (!ok(got == c->allowed, "%s %s against %s: %s", c->allowed ? "allow" : "deny",
			c->url, c->pattern, c->what))
			wrong++;
	}
	ok(n >= 80 && wrong == 0, "%zu cases, %zu wrong", n, wrong);
}

/* Every accepted URL: its canonical form parses to itself, no dot segment. */
static void test_idempotent(void)
{
	size_t i, n = sizeof(allow_cases) / sizeof(allow_cases[0]), bad = 0, seen = 0;
	struct pp_allow_url u, v;
	char err[256];

	for (i = 0; i < n; i++) {
		if (pp_allow_url_parse(allow_cases[i].url, &u, err, sizeof(err)))
			continue;
		seen++;
		if (pp_allow_url_parse(u.norm, &v, err, sizeof(err)) || strcmp(u.norm, v.norm) ||
		    strstr(u.path, "/./") || strstr(u.path, "/../") || strstr(u.path, "//")) {
			diag("not canonical: %s -> %s", allow_cases[i].url, u.norm);
			bad++;
		}
	}
	ok(seen > 10 && bad == 0, "the canonical form of each of %zu accepted URLs is canonical",
	   seen);
}

static void target(const char *url, const char *want)
{
	struct pp_allow_url u;
	char err[256];

	if (pp_allow_url_parse(url, &u, err, sizeof(err))) {
		ok(false, "%s: %s", url, err);
		return;
	}
	is_str(u.target, want, "%s is sent on as %s", url, want);
}

static void test_canonical(void)
{
	struct pp_allow_url u;
	char err[256];

	target("http://198.51.100.10/dir/sub/../a.xml", "/dir/a.xml");
	target("http://198.51.100.10//dir///a.xml", "/dir/a.xml");
	target("http://198.51.100.10/dir/./a.xml", "/dir/a.xml");
	target("http://198.51.100.10/dir/.", "/dir/");
	target("http://198.51.100.10/dir/a/..", "/dir/");
	target("http://198.51.100.10/dir/a/", "/dir/a/");
	target("http://198.51.100.10", "/");
	target("http://198.51.100.10/%7e%61%2D%5f", "/~a-_");
	target("http://198.51.100.10/%c3%a9%20%3a", "/%C3%A9%20%3A");
	target("http://198.51.100.10/a?x=%2e%2e/../b", "/a?x=%2e%2e/../b");
	ok(pp_allow_url_parse("http://Dir.Example:8080/x", &u, err, sizeof(err)) == 0 &&
	   !strcmp(u.host, "dir.example") && u.port == 8080 && !u.is_ipv4 &&
	   !strcmp(u.norm, "http://dir.example:8080/x"), "host in lower case, port kept");
	ok(pp_allow_url_parse("http://198.51.100.10:80/", &u, err, sizeof(err)) == 0 &&
	   u.is_ipv4 && u.addr == htonl(0xc633640a) && !strcmp(u.norm, "http://198.51.100.10/"),
	   "an IPv4 host, port 80 dropped");
	ok(pp_allow_url_parse("http://198.51.100.10/dir/..;/admin", &u, err, sizeof(err)) == -1 &&
	   !strcmp(err, "URL \"http://198.51.100.10/dir/..;/admin\": a ';' (path parameter) in the path"),
	   "the error names the URL and the reason: %s", err);
	ok(pp_allow_url_parse("http://198.51.100.10/dir/%2e%2e/x", &u, err, sizeof(err)) == -1 &&
	   strstr(err, "an encoded '.' (%2E)"), "%s", err);
	ok(pp_allow_url_parse("http://0xc633640a/", &u, err, sizeof(err)) == -1 &&
	   strstr(err, "not in dotted-decimal form"), "%s", err);
	ok(pp_allow_url_parse("http://u@198.51.100.10/", &u, err, sizeof(err)) == -1 &&
	   strstr(err, "user name"), "%s", err);
	ok(pp_allow_url_parse("http://198.51.100.10/../x", &u, err, sizeof(err)) == -1 &&
	   strstr(err, "above the root"), "%s", err);
	ok(pp_allow_url_parse("http://198.51.100.10/\x01", &u, err, sizeof(err)) == -1 &&
	   strstr(err, "\"http://198.51.100.10/?\""), "a control character is not echoed: %s", err);
}

static void test_patterns(void)
{
	struct pp_allow_url u;
	char err[256];

	ok(pp_allow_url_parse("http://198.51.100.20:8080/x.xml", &u, err, sizeof(err)) == 0 &&
	   pp_allow_match("http://198.51.100.20:8080/*", &u) &&
	   pp_allow_match("http://198.51.100.20:*/x.xml", &u) &&
	   !pp_allow_match("http://198.51.100.20/*", &u) &&
	   !pp_allow_match("http://198.51.100.20:80/*", &u), "ports: a number or '*'");
	ok(pp_allow_url_parse("http://198.51.100.10/dir/a%20b.xml?q", &u, err, sizeof(err)) == 0 &&
	   pp_allow_match("http://198.51.100.10/dir/a%20b.xml?*", &u) &&
	   !pp_allow_match("http://198.51.100.10/dir/a%20b.xml", &u) &&
	   pp_allow_match("http://198.51.100.10/dir/%61*", &u) &&
	   !pp_allow_match("http://198.51.100.10/*.xml", &u),
	   "a path '*' does not reach the query unless it ends the pattern");
	ok(pp_allow_url_parse("http://198.51.100.10/admin?x=.xml", &u, err, sizeof(err)) == 0 &&
	   !pp_allow_match("http://198.51.100.10/*.xml", &u), "*.xml does not match a query .xml");
	ok(!pp_allow_match("*", &u) && !pp_allow_match("https://198.51.100.10/*", &u) &&
	   !pp_allow_match("http://x@198.51.100.10/*", &u), "malformed patterns match nothing");
	ok(pp_allow_match("HTTP://198.51.100.10/*", &u) && pp_allow_match("http://*/*", &u),
	   "scheme case; a host of '*'");
}

int main(void)
{
	test_cases();
	test_idempotent();
	test_canonical();
	test_patterns();
	return done_testing();
}
