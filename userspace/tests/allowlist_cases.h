/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Allow-list bypass forms from real proxy and server advisories, each
 * with the verdict the one matcher (lib/allowlist.h) must give. Used by
 * test_allowlist.c.
 */
#ifndef PP_TESTS_ALLOWLIST_CASES_H
#define PP_TESTS_ALLOWLIST_CASES_H

#include <stdbool.h>

#define P_DIR	"http://198.51.100.10/dir/*"
#define P_CORP	"http://*.corp.example/*"
#define P_EXACT	"http://198.51.100.10/dir.xml"
#define P_QUERY	"http://198.51.100.20/svc?id=*"

struct allow_case {
	const char *pattern;
	const char *url;
	bool allowed;
	const char *what;	/* the advisory or the form */
};

static const struct allow_case allow_cases[] = {
	/* issue 12 item 5, as reported */
	{ P_DIR, "http://198.51.100.10/dir/..;/admin", false, "Tomcat ..;/ (CVE-2020-1938 family)" },
	{ P_DIR, "http://198.51.100.10/dir/..%2f..%2fadmin", false, "encoded slash %2f" },
	{ P_DIR, "http://198.51.100.10/dir/%2e%2e;/admin", false, "encoded dots and ;" },
	{ P_CORP, "http://evil.example/x?.corp.example/", false, "host '*' crossing '/' and '?'" },
	/* encoded dot segments (CVE-2021-41773 Apache .%2e, Squid, nginx) */
	{ P_DIR, "http://198.51.100.10/dir/%2e%2e/admin", false, "%2e%2e" },
	{ P_DIR, "http://198.51.100.10/dir/%2E%2E/admin", false, "%2E%2E upper case" },
	{ P_DIR, "http://198.51.100.10/dir/.%2e/admin", false, ".%2e (CVE-2021-41773)" },
	{ P_DIR, "http://198.51.100.10/dir/%2e./admin", false, "%2e." },
	{ P_DIR, "http://198.51.100.10/dir/%2e/../admin", false, "%2e segment" },
	{ P_DIR, "http://198.51.100.10/dir/..%2fadmin", false, "..%2f" },
	{ P_DIR, "http://198.51.100.10/dir/%2e%2e%2fadmin", false, "%2e%2e%2f" },
	{ P_DIR, "http://198.51.100.10/dir/x%2f..%2f..%2fadmin", false, "%2f around .." },
	/* double encoding (CVE-2021-42013 .%%32%65, IIS %252e) */
	{ P_DIR, "http://198.51.100.10/dir/%252e%252e/admin", false, "%252e double encoding" },
	{ P_DIR, "http://198.51.100.10/dir/%252e%252e%252fadmin", false, "%252e%252f" },
	{ P_DIR, "http://198.51.100.10/dir/.%%32%65/admin", false, ".%%32%65 (CVE-2021-42013)" },
	{ P_DIR, "http://198.51.100.10/dir/..%255c..%255cadmin", false, "%255c" },
	/* backslashes (IIS, Tomcat on Windows, Spring) */
	{ P_DIR, "http://198.51.100.10/dir/..\\admin", false, "backslash" },
	{ P_DIR, "http://198.51.100.10/dir\\..\\admin", false, "backslashes" },
	{ P_DIR, "http://198.51.100.10/dir/..%5cadmin", false, "%5c" },
	{ P_DIR, "http://198.51.100.10/dir/%2e%2e%5cadmin", false, "%2e%2e%5c" },
	/* overlong UTF-8 (CVE-2000-0884 IIS, Tomcat CVE-2008-2938) */
	{ P_DIR, "http://198.51.100.10/dir/%c0%ae%c0%ae/admin", false, "%c0%ae overlong dot" },
	{ P_DIR, "http://198.51.100.10/dir/..%c0%afadmin", false, "%c0%af overlong slash" },
	{ P_DIR, "http://198.51.100.10/dir/%e0%80%ae%e0%80%ae/admin", false, "3-byte overlong dot" },
	{ P_DIR, "http://198.51.100.10/dir/..%c1%9cadmin", false, "%c1%9c overlong backslash" },
	{ P_DIR, "http://198.51.100.10/dir/%u002e%u002e/admin", false, "IIS %u encoding" },
	/* NUL and control characters (CVE-2013-4547 nginx, CRLF) */
	{ P_DIR, "http://198.51.100.10/dir/..%00/admin", false, "%00" },
	{ P_DIR, "http://198.51.100.10/dir/a.xml%00.jpg", false, "%00 truncation" },
	{ P_DIR, "http://198.51.100.10/dir/%0d%0aHost:%20evil.example", false, "encoded CRLF" },
	{ P_DIR, "http://198.51.100.10/dir/ ../admin", false, "space (CVE-2013-4547)" },
	{ P_DIR, "http://198.51.100.10/dir/\t../admin", false, "tab" },
	/* path parameters (Tomcat, Jetty, Spring ;jsessionid) */
	{ P_DIR, "http://198.51.100.10/dir/a.xml;jsessionid=0123", false, ";jsessionid" },
	{ P_DIR, "http://198.51.100.10/dir;x=1/../admin", false, ";param before .." },
	{ P_DIR, "http://198.51.100.10/dir/..;foo=bar/admin", false, "..;foo=bar/" },
	{ P_DIR, "http://198.51.100.10/dir/%3b/../../admin", false, "%3b" },
	/* plain dot segments and slashes (nginx merge_slashes, alias traversal) */
	{ P_DIR, "http://198.51.100.10/dir/../admin", false, "dir/../ normalises outside dir" },
	{ P_DIR, "http://198.51.100.10/dir/./../admin", false, "./.." },
	{ P_DIR, "http://198.51.100.10/dir//../admin", false, "merge_slashes: dir//.." },
	{ P_DIR, "http://198.51.100.10//dir/../admin", false, "leading //" },
	{ P_DIR, "http://198.51.100.10/dir../admin", false, "nginx alias: dir../" },
	{ P_DIR, "http://198.51.100.10/dir/../../../etc/passwd", false, ".. above the root" },
	{ P_DIR, "http://198.51.100.10/admin?/dir/x", false, "pattern in the query (Squid)" },
	{ P_DIR, "http://198.51.100.10/admin#/dir/x", false, "fragment" },
	{ P_DIR, "http://198.51.100.10/dir/x#/../../admin", false, "fragment with .." },
	/* host wildcards and authority tricks (Squid SQUID-2019:*, SSRF) */
	{ P_CORP, "http://evil.example/.corp.example/", false, "host '*' crossing '/'" },
	{ P_CORP, "http://evil.example#.corp.example/", false, "host '*' crossing '#'" },
	{ P_CORP, "http://evil.example%2f.corp.example/", false, "encoded '/' in the host" },
	{ P_CORP, "http://evil.example%40a.corp.example/", false, "encoded '@' in the host" },
	{ P_CORP, "http://a.corp.example@evil.example/", false, "userinfo @: the host is evil" },
	{ P_CORP, "http://a.corp.example:80@evil.example/", false, "userinfo with a port" },
	{ P_CORP, "http://evil.example@a.corp.example/", false, "userinfo @ (refused)" },
	{ P_CORP, "http://evil.example\\@a.corp.example/", false, "backslash-@ (WHATWG)" },
	{ P_DIR, "http://198.51.100.10@203.0.113.9/dir/x", false, "userinfo: the host is another" },
	{ P_DIR, "http://198.51.100.10:80@203.0.113.9/dir/x", false, "userinfo with a port" },
	{ P_CORP, "http://corp.example/x", false, "'*.' needs a label" },
	{ P_CORP, "http://a.corp.example./x", false, "trailing dot" },
	/* IP literal forms (inet_aton: decimal, octal, hex, short) */
	{ P_DIR, "http://3325256714/dir/x", false, "decimal host" },
	{ P_DIR, "http://0306.063.0144.012/dir/x", false, "octal host" },
	{ P_DIR, "http://0xc6.0x33.0x64.0xa/dir/x", false, "hex host" },
	{ P_DIR, "http://0xc633640a/dir/x", false, "one hex number" },
	{ P_DIR, "http://198.51.25610/dir/x", false, "short form a.b.c" },
	{ P_DIR, "http://198.51.100.010/dir/x", false, "leading zero" },
	{ P_DIR, "http://198.51.100.10./dir/x", false, "trailing dot" },
	/* request forms (absolute vs origin form, Host header) */
	{ P_DIR, "/dir/a.xml", false, "origin form: the Host header would choose" },
	{ P_DIR, "https://198.51.100.10/dir/x", false, "https" },
	{ P_DIR, "http://198.51.100.10:8080/dir/x", false, "another port" },
	{ P_DIR, "http:198.51.100.10/dir/x", false, "no //" },
	{ P_DIR, "http:/198.51.100.10/dir/x", false, "one /" },
	{ P_EXACT, "http://198.51.100.10/dir.xml?x=1", false, "exact pattern: no query" },
	{ P_EXACT, "http://198.51.100.10/dir.xml/../admin", false, "exact pattern: .." },
	{ P_QUERY, "http://198.51.100.20/svc/../admin?id=1", false, "query pattern, path elsewhere" },
	{ P_QUERY, "http://198.51.100.20/svc", false, "query pattern, no query" },
	/* what must still pass */
	{ P_DIR, "http://198.51.100.10/dir/a.xml", true, "plain" },
	{ P_DIR, "http://198.51.100.10/dir/", true, "the directory" },
	{ P_DIR, "HTTP://198.51.100.10:80/dir/a.xml", true, "scheme case, default port" },
	{ P_DIR, "http://198.51.100.10/dir/a.xml?x=1&y=/../z", true, "a query is not a path" },
	{ P_DIR, "http://198.51.100.10/dir/sub/../a.xml", true, ".. inside dir" },
	{ P_DIR, "http://198.51.100.10/dir//a.xml", true, "duplicate slash" },
	{ P_DIR, "http://198.51.100.10/dir/%61.xml", true, "encoded unreserved" },
	{ P_DIR, "http://198.51.100.10/dir/%c3%a9t%c3%a9.xml", true, "UTF-8" },
	{ P_DIR, "http://198.51.100.10/dir/..a", true, "..a is a name" },
	{ P_CORP, "http://a.corp.example/x", true, "a subdomain" },
	{ P_CORP, "http://A.B.Corp.Example/x?y", true, "host case" },
	{ P_EXACT, "http://198.51.100.10/dir.xml", true, "exact" },
	{ P_QUERY, "http://198.51.100.20/svc?id=42", true, "query pattern" },
};

#endif /* PP_TESTS_ALLOWLIST_CASES_H */
