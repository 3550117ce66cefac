// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The rewrite of phone configuration files (docs/tftp.md): the real
 * CallManager 4.1 file against the expected output, every element the
 * proxy changes, and every kind of file that must be refused rather than
 * passed on (broken XML, DTDs and entity expansion, wrong root, ...).
 * Fixtures in data/tftp/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "../tftpd/rewrite.h"
#include "file.h"
#include "allowlist_cases.h"
#include "tap.h"

#define DATA "data/tftp/"

static char *load(const char *name, size_t *len)
{
	char *buf;
	size_t n;

	if (pp_file_read(name, 64u << 20, &buf, &n)) {
		diag("cannot read %s", name);
		*len = 0;
		return NULL;
	}
	*len = n;
	return buf;
}

static const struct cnf_params plain = {
	.nodes = { "192.0.2.1" }, .nnodes = 1, .sccp_port = 2000,
};

/* Rewrite a fixture; the output (free it) or NULL with err. */
static char *rw(const char *file, const struct cnf_params *p,
		struct cnf_result *r, char *err, size_t errlen)
{
	size_t len;
	char *in = load(file, &len);

	err[0] = '\0';
	if (!in)
		return NULL;
	if (cnf_rewrite(in, len, p, r, err, errlen)) {
		free(in);
		return NULL;
	}
	free(in);
	return r->data;
}

static bool has(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

static void test_real_file(void)
{
	struct cnf_result r;
	char err[512];
	size_t elen, hlen;
	char *expect = load(DATA "SEP001380AD9E5F.rewritten.cnf.xml", &elen);
	char *expect_h = load(DATA "SEP001380AD9E5F.rewritten-httpproxy.cnf.xml", &hlen);
	const char *allow[] = { "http://10.102.172.11:8088/CCMCIP/xmldirectory.asp" };
	struct cnf_params hp = {
		.nodes = { "192.0.2.1" }, .nnodes = 1, .sccp_port = 2443,
		.proxy_url = "http://192.0.2.1:8088", .allow = allow, .nallow = 1,
	};
	char *out;

	out = rw(DATA "SEP001380AD9E5F.cnf.xml", &plain, &r, err, sizeof(err));
	ok(out && expect && r.len == elen && !memcmp(out, expect, elen),
	   "the CallManager 4.1 file becomes the expected file, byte for byte");
	if (!out)
		diag("error: %s", err);
	ok(r.spliced, "the changes are spliced into the original bytes");
	ok(r.nodes == 1 && r.ports == 0 && r.urls_cleared == 6 && r.capf == 1 &&
	   r.proxy_url == 0 && r.members_removed == 0,
	   "one node, six service URLs, one CAPF server changed; port 2000 and proxyServerURL kept");
	ok(out && !has(out, "10.102.172.11") && !has(out, "CUCM4"),
	   "no address or name of the CallManager is left");
	ok(has(out, "<device  xsi:type=\"axl:XIPPhone\""),
	   "the CallManager's own spelling (two spaces, undeclared prefix) is kept");
	free(out);

	out = rw(DATA "SEP001380AD9E5F.cnf.xml", &hp, &r, err, sizeof(err));
	ok(out && expect_h && r.len == hlen && !memcmp(out, expect_h, hlen),
	   "with the HTTP proxy on and secure SCCP: the expected file, byte for byte");
	ok(has(out, "<proxyServerURL>http://192.0.2.1:8088</proxyServerURL>"),
	   "proxyServerURL names the proxy's HTTP proxy");
	ok(has(out, "<ethernetPhonePort>2443</ethernetPhonePort>"),
	   "ethernetPhonePort is the secure SCCP port");
	ok(has(out, "<directoryURL>http://10.102.172.11:8088/CCMCIP/xmldirectory.asp</directoryURL>") &&
	   r.urls_kept == 1 && r.urls_cleared == 5,
	   "the whitelisted service URL stays, the five others are emptied");
	free(out);
	free(expect);
	free(expect_h);
}

/* Secure SCCP: the device security mode, encrypted. */
static void test_security_mode(void)
{
	struct cnf_params sp = plain;
	struct cnf_result r;
	char err[512], *out, *exp;
	size_t elen, n;
	static const char line[] = "<deviceSecurityMode>3</deviceSecurityMode>\n";
	static const char with[] =
		"<device><deviceSecurityMode>1</deviceSecurityMode><x/></device>";
	static const char nested[] =
		"<device><a><deviceSecurityMode>1</deviceSecurityMode></a></device>";
	static const char empty[] = "<device/>";

	sp.security_mode = CNF_SECURITY_ENCRYPTED;
	exp = load(DATA "SEP001380AD9E5F.rewritten.cnf.xml", &elen);
	out = rw(DATA "SEP001380AD9E5F.cnf.xml", &sp, &r, err, sizeof(err));
	n = exp ? strlen("</device>\n") : 0;
	ok(out && exp && r.len == elen + strlen(line) &&
	   !memcmp(out, exp, elen - n) && !memcmp(out + elen - n, line, strlen(line)) &&
	   !memcmp(out + elen - n + strlen(line), exp + elen - n, n),
	   "security mode on the real file: the plain rewrite plus one line before </device>");
	ok(r.security_mode == 1 && r.spliced, "counted, and still spliced");
	free(out);
	free(exp);

	ok(!cnf_rewrite(with, strlen(with), &sp, &r, err, sizeof(err)) &&
	   !strcmp(r.data, "<device><deviceSecurityMode>3</deviceSecurityMode><x/></device>"),
	   "an existing deviceSecurityMode 1 becomes 3, in place");
	free(r.data);
	ok(!cnf_rewrite(nested, strlen(nested), &sp, &r, err, sizeof(err)) &&
	   has(r.data, "</a><deviceSecurityMode>3</deviceSecurityMode>\n</device>") &&
	   has(r.data, "<a><deviceSecurityMode>1</deviceSecurityMode></a>"),
	   "only <device>'s own child counts: a nested one is left, one is added");
	free(r.data);
	ok(!cnf_rewrite(empty, strlen(empty), &sp, &r, err, sizeof(err)) &&
	   has(r.data, "<deviceSecurityMode>3</deviceSecurityMode>") && !r.spliced,
	   "<device/>: added by serializing");
	free(r.data);
	sp.security_mode = 0;
	ok(!cnf_rewrite(with, strlen(with), &sp, &r, err, sizeof(err)) &&
	   !strcmp(r.data, with), "security mode 0: the element is left alone");
	free(r.data);
}

static void test_elements(void)
{
	const char *nodes3[] = { "192.0.2.1", "192.0.2.2", "192.0.2.3" };
	const char *allow[] = { "http://services.example/*", "http://10.1.1.1/dir/*" };
	struct cnf_params p3 = { .nnodes = 3, .sccp_port = 2000,
				 .proxy_url = "http://192.0.2.1:8088",
				 .allow = allow, .nallow = 2 };
	struct cnf_result r;
	char err[512], *out;
	const char *a, *b, *c;

	memcpy(p3.nodes, nodes3, sizeof(nodes3));
	out = rw(DATA "three-members.cnf.xml", &plain, &r, err, sizeof(err));
	ok(out && r.members_removed == 2, "one proxy node: the members beyond it are removed");
	ok(has(out, "<member priority=\"0\">\n    <callManager><ports><ethernetPhonePort>2000</ethernetPhonePort></ports>"
		    "<processNodeName>192.0.2.1</processNodeName>"),
	   "the member of priority 0 (second in the file) gets the proxy node");
	ok(out && !has(out, "priority=\"2\"") && !has(out, "priority=\"1\"") &&
	   has(out, "<members>\n  <member priority=\"0\">"),
	   "the removed members go with their lines");
	ok(has(out, "<ipAddr1></ipAddr1>") && has(out, "<sipIpAddr1></sipIpAddr1>") &&
	   has(out, "<srstOption>Disable</srstOption>") && r.srst == 3,
	   "SRST addresses are emptied and srstOption becomes Disable");
	ok(has(out, "<loadServer></loadServer>") && has(out, "<logServer></logServer>") &&
	   r.servers == 2, "the load and log servers are emptied");
	ok(has(out, "<sipProfile><processNodeName></processNodeName></sipProfile>") &&
	   r.other_nodes == 1, "a processNodeName elsewhere is emptied");
	ok(has(out, "<proxyServerURL>corp-proxy.example:8080</proxyServerURL>"),
	   "HTTP proxy off: proxyServerURL is left alone (the guide)");
	ok(has(out, "<servicesURL></servicesURL>") && has(out, "<directoryURL></directoryURL>"),
	   "HTTP proxy off: every service URL is emptied, whitelisted or not");
	ok(has(out, "<capf><phonePort>3804</phonePort><processNodeName></processNodeName></capf>"),
	   "the CAPF server is emptied, its port kept");
	free(out);

	out = rw(DATA "three-members.cnf.xml", &p3, &r, err, sizeof(err));
	a = out ? strstr(out, "192.0.2.1<") : NULL;
	b = out ? strstr(out, "192.0.2.2<") : NULL;
	c = out ? strstr(out, "192.0.2.3<") : NULL;
	ok(out && r.members_removed == 0 && r.nodes == 3,
	   "three proxy nodes: every member gets one");
	ok(a && b && c && c < a && a < b,
	   "by priority: 0 primary, 1 secondary, 2 tertiary, wherever they stand");
	ok(has(out, "<processNodeName>192.0.2.2</processNodeName>"),
	   "an empty <processNodeName/> is written out with its value");
	ok(has(out, "<servicesURL>HTTP://Services.Example:80/menu.asp?x=1</servicesURL>"),
	   "a URL matching the whitelist once normalized (host case, :80) is kept as written");
	ok(has(out, "<directoryURL>http://10.1.1.1/dir/list.xml</directoryURL>") &&
	   has(out, "<idleURL></idleURL>"),
	   "'*' covers the directory; a sibling directory is emptied");
	ok(has(out, "<proxyServerURL>http://192.0.2.1:8088</proxyServerURL>"),
	   "HTTP proxy on: proxyServerURL replaced");
	free(out);

	out = rw(DATA "comment-in-node.cnf.xml", &plain, &r, err, sizeof(err));
	ok(has(out, "<processNodeName>192.0.2.1</processNodeName>"),
	   "a comment or CDATA inside processNodeName is replaced with it");
	free(out);
	out = rw(DATA "namespaced.cnf.xml", &plain, &r, err, sizeof(err));
	ok(has(out, "<d:processNodeName  a=\"1\">192.0.2.1</d:processNodeName>"),
	   "a prefixed empty element keeps its prefix and attributes");
	free(out);
}

/*
 * The guide's "Activation": the rewrite substitutes the user's assigned
 * PhoneProxies for the assigned CallManagers and remembers which
 * CallManager each PhoneProxy stands for (cnf_result.ccm).
 */
static void test_ccm_mapping(void)
{
	struct cnf_params p3 = { .nodes = { "192.0.2.1", "192.0.2.2", "192.0.2.3" }, .nnodes = 3,
				 .sccp_port = 2000 };
	static const char two[] =
		"<device><devicePool><callManagerGroup><members>\n"
		"<member priority=\"0\"><callManager><ports><ethernetPhonePort>2000</ethernetPhonePort>"
		"</ports><processNodeName> 198.51.100.21 </processNodeName></callManager></member>\n"
		"<member priority=\"1\"><callManager><ports><ethernetPhonePort>2000</ethernetPhonePort>"
		"</ports><processNodeName>198.51.100.22</processNodeName></callManager></member>\n"
		"</members></callManagerGroup></devicePool></device>\n";
	struct cnf_result r;
	char err[512], *out;
	const char *a, *b, *c;

	out = rw(DATA "three-members.cnf.xml", &p3, &r, err, sizeof(err));
	ok(out && r.nccm == 3 && !strcmp(r.ccm[0], "10.1.1.1") && !strcmp(r.ccm[1], "") &&
	   !strcmp(r.ccm[2], "cm-tertiary.example"),
	   "three nodes, three members: node i stands for member i by priority (%s|%s|%s)",
	   out ? r.ccm[0] : "", out ? r.ccm[1] : "", out ? r.ccm[2] : "");
	free(out);

	ok(!cnf_rewrite(two, sizeof(two) - 1, &p3, &r, err, sizeof(err)),
	   "a two-CallManager group, three nodes: rewritten (%s)", err);
	out = r.data;
	a = out ? strstr(out, "<processNodeName>192.0.2.1<") : NULL;
	b = out ? strstr(out, "<processNodeName>192.0.2.2<") : NULL;
	c = out ? strstr(out, "<processNodeName>192.0.2.3<") : NULL;
	ok(a && b && c && a < b && b < c && r.members_added == 1 && r.spliced,
	   "the three nodes are listed in order, the third as a member added after the last");
	ok(has(out, "<member priority=\"2\"><callManager><ports><ethernetPhonePort>2000"
		    "</ethernetPhonePort></ports><processNodeName>192.0.2.3</processNodeName>"
		    "</callManager></member>\n</members>"),
	   "the added member: priority after the last, the proxy's port, the node");
	ok(r.nccm == 3 && !strcmp(r.ccm[0], "198.51.100.21") && !strcmp(r.ccm[1], "198.51.100.22") &&
	   !strcmp(r.ccm[2], "198.51.100.21"),
	   "node 1 stands for CallManager 1, node 2 for CallManager 2, node 3 for CallManager 1 again");
	free(out);

	out = rw(DATA "SEP001380AD9E5F.cnf.xml", &p3, &r, err, sizeof(err));
	ok(out && r.members_added == 2 && r.nccm == 3 && !strcmp(r.ccm[0], "10.102.172.11") &&
	   !strcmp(r.ccm[2], "10.102.172.11") && has(out, "192.0.2.3</processNodeName>"),
	   "the real CallManager 4.1 file, three nodes: all three listed, each standing for its one CallManager (%s)",
	   err);
	free(out);
}

static void test_encodings(void)
{
	struct cnf_result r;
	char err[512], *out;

	out = rw(DATA "utf8-bom.cnf.xml", &plain, &r, err, sizeof(err));
	ok(out && r.spliced && !memcmp(out, "\xef\xbb\xbf<device>", 11) &&
	   has(out, "caf\xc3\xa9") && has(out, "<processNodeName>192.0.2.1<"),
	   "UTF-8 with a BOM: spliced, BOM and text kept");
	free(out);
	out = rw(DATA "iso-8859-1.cnf.xml", &plain, &r, err, sizeof(err));
	ok(out && !r.spliced && has(out, "encoding=\"ISO-8859-1\"") &&
	   has(out, "T\xe9l\xe9phone de No\xebl") && has(out, "<processNodeName>192.0.2.1<"),
	   "ISO-8859-1: serialized again in its own encoding, text intact");
	if (!out)
		diag("error: %s", err);
	free(out);
}

static void refused(const char *file, const char *why, const char *what)
{
	struct cnf_result r;
	char err[512], *out;

	out = rw(file, &plain, &r, err, sizeof(err));
	ok(!out && err[0] && strstr(err, why), "%s: refused (%s)", what, err);
	ok(r.data == NULL && r.len == 0, "%s: nothing to pass on", what);
	free(out);
}

static void test_refused(void)
{
	struct cnf_result r;
	char err[512];
	size_t n = 4u << 20, i;
	char *big;

	refused(DATA "truncated.cnf.xml", "line ", "a file cut short (not well-formed)");
	/* libxml2 stops it itself (entity loop) before our DOCTYPE rule. */
	refused(DATA "billion-laughs.cnf.xml", "", "entity expansion (billion laughs)");
	refused(DATA "xxe.cnf.xml", "has a DOCTYPE", "an external entity (XXE)");
	refused(DATA "external-dtd.cnf.xml", "has a DOCTYPE", "an external DTD");
	refused(DATA "undefined-entity.cnf.xml", "Entity 'cm' not defined", "an undefined entity");
	refused(DATA "wrong-root.cnf.xml", "root element is <phone>, not <device>", "another root");
	ok(cnf_rewrite("", 0, &plain, &r, err, sizeof(err)) == -1 && strstr(err, "empty"),
	   "an empty file is refused");
	ok(cnf_rewrite("<device>\0</device>", 18, &plain, &r, err, sizeof(err)) == -1 &&
	   strstr(err, "NUL"), "a NUL byte is refused");
	ok(cnf_rewrite("not xml at all", 14, &plain, &r, err, sizeof(err)) == -1,
	   "text that is not XML is refused");

	/* Deep nesting: libxml2's depth limit, not a stack overflow. */
	big = malloc(n + 512);
	if (big) {
		size_t half = 300000;

		for (i = 0; i < half; i++)
			memcpy(big + i * 3, "<a>", 3);
		ok(cnf_rewrite(big, half * 3, &plain, &r, err, sizeof(err)) == -1,
		   "300000 nested elements are refused (%s)", err);
		/* A large but valid file still works. */
		i = (size_t)sprintf(big, "<device><x>");
		memset(big + i, 'x', n - 512);
		i += n - 512;
		i += (size_t)sprintf(big + i, "</x><callManagerGroup><members><member>"
				     "<callManager><processNodeName>10.1.1.1</processNodeName>"
				     "</callManager></member></members></callManagerGroup></device>");
		ok(cnf_rewrite(big, i, &plain, &r, err, sizeof(err)) == 0 &&
		   r.nodes == 1 && r.len == i - 8 + 9,
		   "a 4 MiB file with a 4 MiB text node is rewritten (the daemon bounds the size)");
		free(r.data);
		free(big);
	}
}

static void test_params(void)
{
	struct cnf_params none = { .nnodes = 0, .sccp_port = 2000 };
	struct cnf_result r;
	char err[128];

	ok(cnf_rewrite("<device/>", 9, &none, &r, err, sizeof(err)) == -1,
	   "no proxy node: refused");
	ok(cnf_rewrite("<device/>", 9, &plain, &r, err, sizeof(err)) == 0 &&
	   r.len == 9 && !memcmp(r.data, "<device/>", 9),
	   "a file with nothing to change comes out unchanged");
	free(r.data);
	ok(cnf_url_allowed("http://a.example:80/x", (const char *[]){ "http://a.example/*" }, 1),
	   "whitelist: :80 is the same URL");
	ok(!cnf_url_allowed("http://a.example/xy", (const char *[]){ "http://a.example/x?" }, 1),
	   "whitelist: '?' in a pattern is a literal");
	ok(!cnf_url_allowed("https://a.example/x", (const char *[]){ "*" }, 1),
	   "whitelist: an https URL cannot go through the HTTP proxy");
}

/*
 * The service URLs kept in a phone's file are those pp-httpd's proxy
 * would fetch: the same verdict on each bypass form of allowlist_cases.h
 * (before issue 12 this used fnmatch(3) on the raw URL and let 36 of them
 * through wrongly).
 */
static void test_allow_cases(void)
{
	size_t i, n = sizeof(allow_cases) / sizeof(allow_cases[0]), wrong = 0;

	for (i = 0; i < n; i++) {
		const char *pat[1] = { allow_cases[i].pattern };

		if (cnf_url_allowed(allow_cases[i].url, pat, 1) != allow_cases[i].allowed) {
			diag("wrong: %s against %s", allow_cases[i].url, pat[0]);
			wrong++;
		}
	}
	ok(wrong == 0, "whitelist: the proxy's verdict on %zu bypass forms (%zu wrong)", n, wrong);
}

int main(void)
{
	xmlInitParser();
	test_real_file();
	test_elements();
	test_ccm_mapping();
	test_security_mode();
	test_encodings();
	test_refused();
	test_params();
	test_allow_cases();
	xmlCleanupParser();
	return done_testing();
}
