// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * cluster.xml (the guide's Appendix B) and the static balancing of users
 * over its nodes (the guide's "Activation": up to three nodes a user,
 * primary, secondary, tertiary): the example parses, every malformed
 * file is refused whole with "file:line: reason", <sccpProxy> entries
 * give the user's nodes in order, users without one are spread evenly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "cluster_xml.h"
#include "tap.h"
#include "users_xml.h"

static const char appendix_b[] =
	"<cluster>\n"
	"  <proxy\n"
	"    uuid=\"17a98efd474962b0247eb2325d0d85b91a5ded15\"\n"
	"    name=\"pp-blue03\"\n"
	"    cluster_ip=\"192.168.2.13\"\n"
	"    mgmt_ip=\"\"\n"
	"    south_ip=\"10.89.31.108\"\n"
	"    north_ip=\"192.168.1.13\"\n"
	"    timestamp=\"1162484179070\"\n"
	"  />\n"
	"  <master\n"
	"    uuid=\"17a98efd474962b0247eb2325d0d85b91a5ded15\"\n"
	"    licensedUsers=\"3000\"\n"
	"  />\n"
	"</cluster>\n";

static void test_appendix_b(void)
{
	struct pp_cluster_xml *c = NULL;
	char err[512] = "";
	const struct pp_cluster_node *p;

	ok(!pp_cluster_xml_parse(appendix_b, sizeof(appendix_b) - 1, "cluster.xml", &c, err,
				 sizeof(err)), "Appendix B's cluster.xml parses (%s)", err);
	if (!c)
		return;
	p = pp_cluster_xml_find(c, "17a98efd474962b0247eb2325d0d85b91a5ded15");
	ok(c->nnodes == 1 && p && !strcmp(p->name, "pp-blue03"),
	   "Appendix B: one proxy, pp-blue03");
	ok(p && p->cluster_ip == inet_addr("192.168.2.13") && !p->mgmt_ip &&
	   p->south_ip == inet_addr("10.89.31.108") && p->north_ip == inet_addr("192.168.1.13") &&
	   p->timestamp == 1162484179070ull,
	   "Appendix B: its cluster, south, north addresses, empty mgmt_ip, timestamp");
	ok(p && p->line == 10, "Appendix B: the proxy's line is where its start tag ends (10; got %ld)", p ? p->line : 0);
	ok(c->has_master && !strcmp(c->master_uuid, p ? p->uuid : "") &&
	   c->licensed_users == 3000, "Appendix B: master and licensedUsers");
	ok(pp_cluster_xml_find_north(c, inet_addr("192.168.1.13")) == p,
	   "Appendix B: found by its north address");
	pp_cluster_xml_free(c);
}

#define NODE(u, n, i) "  <proxy uuid=\"" u "\" name=\"" n "\" cluster_ip=\"203.0.113." i \
	"\" south_ip=\"198.51.100." i "\" north_ip=\"192.0.2." i "\"/>\n"

struct bad {
	const char *xml;
	const char *want;
};

static const struct bad bads[] = {
	{ "<cluster>\n<proxy uuid=\"a\" name=\"n\"\n", "bad.xml:3: not well-formed XML: " },
	{ "<cluster>\n</cluster>\n", "bad.xml:1: no <proxy>: a cluster has at least one node" },
	{ "<clusters>\n" NODE("a", "pp1", "1") "</clusters>\n",
	  "bad.xml:1: the root element is <clusters>, not <cluster>" },
	{ "<cluster>\n" NODE("a", "pp1", "1") "  <node/>\n</cluster>\n",
	  "bad.xml:3: unknown element <node> in <cluster>" },
	{ "<cluster>\n  <proxy name=\"pp1\" cluster_ip=\"203.0.113.1\" south_ip=\"198.51.100.1\" north_ip=\"192.0.2.1\"/>\n</cluster>\n",
	  "bad.xml:2: <proxy> without a uuid" },
	{ "<cluster>\n" NODE("a", "pp1", "1") NODE("a", "pp2", "2") "</cluster>\n",
	  "bad.xml:3: duplicate proxy uuid \"a\" (first at line 2)" },
	{ "<cluster>\n" NODE("a", "pp1", "1") NODE("b", "pp1", "2") "</cluster>\n",
	  "bad.xml:3: proxy \"b\": name \"pp1\" already used by proxy \"a\" (line 2)" },
	{ "<cluster>\n" NODE("a", "pp1", "1") NODE("b", "pp2", "1") "</cluster>\n",
	  "bad.xml:3: proxy \"b\": cluster_ip 203.0.113.1 already used by proxy \"a\" (line 2)" },
	{ "<cluster>\n\n  <proxy uuid=\"a\" name=\"pp1\" cluster_ip=\"203.0.113.1\" south_ip=\"198.51.100.1\" north_ip=\"192.0.2.300\"/>\n</cluster>\n",
	  "bad.xml:3: proxy \"a\": north_ip \"192.0.2.300\" is not a unicast IPv4 address" },
	{ "<cluster>\n  <proxy uuid=\"a\" name=\"pp1\" cluster_ip=\"203.0.113.1\" south_ip=\"198.51.100.1\"/>\n</cluster>\n",
	  "bad.xml:2: proxy \"a\": no north_ip" },
	{ "<cluster>\n  <proxy uuid=\"a\" name=\"pp1\" cluster_ip=\"203.0.113.1\" south_ip=\"198.51.100.1\" north_ip=\"224.0.0.1\"/>\n</cluster>\n",
	  "bad.xml:2: proxy \"a\": north_ip \"224.0.0.1\" is not a unicast IPv4 address" },
	{ "<cluster>\n  <proxy uuid=\"a\" name=\"pp1\" nrth_ip=\"192.0.2.1\"/>\n</cluster>\n",
	  "bad.xml:2: unknown attribute \"nrth_ip\" on <proxy>" },
	{ "<cluster>\n  <proxy uuid=\"a\" name=\"pp 1\" cluster_ip=\"203.0.113.1\" south_ip=\"198.51.100.1\" north_ip=\"192.0.2.1\"/>\n</cluster>\n",
	  "bad.xml:2: proxy \"a\": name \"pp 1\" is not 1..63 bytes without space" },
	{ "<cluster>\n  <proxy uuid=\"a\" name=\"pp1\" cluster_ip=\"203.0.113.1\" south_ip=\"198.51.100.1\" north_ip=\"192.0.2.1\" timestamp=\"yesterday\"/>\n</cluster>\n",
	  "bad.xml:2: proxy \"a\": timestamp \"yesterday\" is not a number (ms)" },
	{ "<cluster>\n" NODE("a", "pp1", "1") "  <master uuid=\"b\"/>\n</cluster>\n",
	  "bad.xml:3: master uuid \"b\" is not a <proxy> of this file" },
	{ "<cluster>\n" NODE("a", "pp1", "1") "  <master uuid=\"a\"/>\n  <master uuid=\"a\"/>\n</cluster>\n",
	  "bad.xml:4: more than one <master>" },
	{ "<cluster>\n" NODE("a", "pp1", "1") "  <master uuid=\"a\" licensedUsers=\"-1\"/>\n</cluster>\n",
	  "bad.xml:3: licensedUsers \"-1\" is not a number" },
	{ "<cluster>\n  <proxy uuid=\"a\" name=\"pp1\" cluster_ip=\"203.0.113.1\" south_ip=\"198.51.100.1\" north_ip=\"192.0.2.1\">text</proxy>\n</cluster>\n",
	  "bad.xml:2: unexpected text in <proxy>" },
	{ "<?xml version=\"1.0\"?>\n<!DOCTYPE cluster [<!ENTITY x \"y\">]>\n<cluster>\n" NODE("a", "pp1", "1") "</cluster>\n",
	  "bad.xml:2: a DOCTYPE is not accepted in cluster.xml" },
};

static void test_bad(void)
{
	size_t i;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct pp_cluster_xml *c = NULL;
		char err[512] = "";
		int rc = pp_cluster_xml_parse(bads[i].xml, strlen(bads[i].xml), "bad.xml", &c, err,
					      sizeof(err));
		bool good = rc == -1 && !c && !strncmp(err, bads[i].want, strlen(bads[i].want));

		ok(good, "malformed cluster.xml %zu is refused with file:line: %s", i, err);
		if (!good)
			diag("want: %s", bads[i].want);
		pp_cluster_xml_free(c);
	}
}

static const char three[] =
	"<cluster>\n" NODE("u1", "pp1", "1") NODE("u2", "pp2", "2") NODE("u3", "pp3", "3")
	"</cluster>\n";

static const char users[] =
	"<users>\n"
	"  <ccm name=\"ccm\" default=\"true\"><address>198.51.100.10</address></ccm>\n"
	"  <proxy uuid=\"u1\"/><proxy uuid=\"u2\"/><proxy uuid=\"u3\" assign_users=\"true\"/>\n"
	"  <user name=\"homer\"><sccpProxy>u3</sccpProxy><sccpProxy>u1</sccpProxy>"
	"<sccpProxy>u2</sccpProxy><sid>SEP001122334455</sid></user>\n"
	"  <user name=\"marge\"><sccpProxy>u2</sccpProxy><sid>SEP001122334456</sid></user>\n"
	"  <user name=\"a0\"><sid>SEP0011223344A0</sid></user>\n"
	"  <user name=\"a1\"><sid>SEP0011223344A1</sid></user>\n"
	"  <user name=\"a2\"><sid>SEP0011223344A2</sid></user>\n"
	"  <user name=\"a3\"><sid>SEP0011223344A3</sid></user>\n"
	"</users>\n";

static bool nodes_are(const struct pp_cluster_xml *c, const struct pp_users *u,
		      const char *name, const char *want)
{
	const struct pp_cluster_node *out[PP_SCCP_PROXY_MAX];
	char got[64] = "", err[256] = "";
	int n = pp_cluster_user_nodes(c, u, pp_users_find(u, name), out, err, sizeof(err));

	for (int i = 0; i < n; i++) {
		strcat(got, i ? " " : "");
		strcat(got, out[i]->name);
	}
	if (strcmp(got, want))
		diag("%s: got \"%s\" (%s), want \"%s\"", name, got, err, want);
	return !strcmp(got, want);
}

static void test_balancing(void)
{
	struct pp_cluster_xml *c = NULL;
	struct pp_users *u = NULL;
	char err[512] = "";
	int primaries[3] = { 0 };

	ok(!pp_cluster_xml_parse(three, sizeof(three) - 1, "cluster.xml", &c, err, sizeof(err)),
	   "three nodes parse (%s)", err);
	ok(!pp_users_parse_memory(users, sizeof(users) - 1, "users.xml", &u, err, sizeof(err)),
	   "users.xml with three sccpProxy parses (%s)", err);
	if (!c || !u)
		goto out;
	ok(nodes_are(c, u, "homer", "pp3 pp1 pp2"),
	   "three <sccpProxy>: primary, secondary, tertiary in file order");
	ok(nodes_are(c, u, "marge", "pp2"), "one <sccpProxy>: that node alone");
	ok(nodes_are(c, u, "a0", "pp1 pp2 pp3") && nodes_are(c, u, "a1", "pp2 pp3 pp1") &&
	   nodes_are(c, u, "a2", "pp3 pp1 pp2") && nodes_are(c, u, "a3", "pp1 pp2 pp3"),
	   "no <sccpProxy>: assigned evenly, rotating over the assign_users proxies");
	for (const char *const *n = (const char *const[]){ "a0", "a1", "a2", "a3", NULL }; *n; n++) {
		const struct pp_cluster_node *out[PP_SCCP_PROXY_MAX];

		if (pp_cluster_user_nodes(c, u, pp_users_find(u, *n), out, err, sizeof(err)) > 0)
			primaries[out[0] - c->nodes]++;
	}
	ok(primaries[0] == 2 && primaries[1] == 1 && primaries[2] == 1,
	   "4 users over 3 nodes: primaries 2/1/1");
	pp_users_free(u);
	u = NULL;
	{
		static const char noassign[] =
			"<users><ccm name=\"ccm\" default=\"true\"><address>198.51.100.10</address></ccm>"
			"<proxy uuid=\"u1\" assign_users=\"false\"/><proxy uuid=\"u2\"/>"
			"<proxy uuid=\"u9\"/><user name=\"a0\"><sid>SEP0011223344A0</sid></user>"
			"<user name=\"x\"><sccpProxy>u9</sccpProxy><sid>SEP0011223344A9</sid></user>"
			"</users>";
		const struct pp_cluster_node *out[PP_SCCP_PROXY_MAX];

		ok(!pp_users_parse_memory(noassign, sizeof(noassign) - 1, "users.xml", &u, err,
					  sizeof(err)), "users.xml parses (%s)", err);
		ok(u && nodes_are(c, u, "a0", "pp2"),
		   "assign_users=\"false\" and proxies cluster.xml does not name are skipped");
		ok(u && pp_cluster_user_nodes(c, u, pp_users_find(u, "x"), out, err, sizeof(err)) == -1 &&
		   !strcmp(err, "user \"x\": sccpProxy \"u9\" is not a <proxy> of cluster.xml"),
		   "an sccpProxy cluster.xml does not name is an error: %s", err);
	}
out:
	pp_users_free(u);
	pp_cluster_xml_free(c);
}

static void test_users_sccp_proxy_limits(void)
{
	static const char four[] =
		"<users><ccm name=\"ccm\" default=\"true\"><address>198.51.100.10</address></ccm>\n"
		"<proxy uuid=\"u1\"/><proxy uuid=\"u2\"/><proxy uuid=\"u3\"/><proxy uuid=\"u4\"/>\n"
		"<user name=\"homer\"><sid>SEP001122334455</sid>\n"
		"<sccpProxy>u1</sccpProxy><sccpProxy>u2</sccpProxy><sccpProxy>u3</sccpProxy>\n"
		"<sccpProxy>u4</sccpProxy></user></users>\n";
	static const char twice[] =
		"<users><ccm name=\"ccm\" default=\"true\"><address>198.51.100.10</address></ccm>\n"
		"<proxy uuid=\"u1\"/><user name=\"homer\"><sid>SEP001122334455</sid>\n"
		"<sccpProxy>u1</sccpProxy>\n<sccpProxy>u1</sccpProxy></user></users>\n";
	struct pp_users *u = NULL;
	char err[512] = "";

	ok(pp_users_parse_memory(four, sizeof(four) - 1, "users.xml", &u, err, sizeof(err)) &&
	   !strcmp(err, "users.xml:5: user \"homer\": more than 3 <sccpProxy> (primary, secondary, tertiary)"),
	   "users.xml: a fourth <sccpProxy> is refused: %s", err);
	pp_users_free(u);
	u = NULL;
	ok(pp_users_parse_memory(twice, sizeof(twice) - 1, "users.xml", &u, err, sizeof(err)) &&
	   !strcmp(err, "users.xml:4: user \"homer\": sccpProxy \"u1\" given twice"),
	   "users.xml: the same <sccpProxy> twice is refused: %s", err);
	pp_users_free(u);
}

/*
 * The node names of show user and show cluster (docs/cluster.md
 * "Registrations"): a Corosync node is named by the cluster.xml proxy
 * whose cluster address is its ring0 address, else by its nodelist name,
 * else by its id, as pp-clusterd shows it without cmap.
 */
static void test_node_names(void)
{
	static const char two[] =
		"<cluster>\n" NODE("u1", "pp-blue01", "1") NODE("u2", "pp-blue02", "2")
		"</cluster>\n";
	static const struct {
		uint32_t id;
		bool noxml, nolist;
		const char *want, *why;
	} cases[] = {
		{ 1, false, false, "pp-blue01", "ring0 address is a proxy's cluster_ip: cluster.xml's name" },
		{ 2, false, false, "pp-blue02", "... also without a nodelist name" },
		{ 3, false, false, "node3", "ring0 address in no proxy: the nodelist name" },
		{ 4, false, false, "node4", "ring0 a host name: the nodelist name" },
		{ 5, false, false, "5", "a nodelist name with a space, ring0 IPv6: the id" },
		{ 6, false, false, "6", "a nodelist name of 64 bytes: the id" },
		{ 7, false, false, "7", "a node not in the nodelist: the id" },
		{ 1, true, false, "node1", "no cluster.xml: the nodelist name" },
		{ 1, false, true, "1", "no nodelist (cmap not reached): the id" },
	};
	struct pp_corosync_node list[6];
	struct pp_cluster_xml *c = NULL;
	char err[512] = "", buf[PP_NAME_MAX], toolong[PP_NAME_MAX + 1];
	size_t i;

	ok(!pp_cluster_xml_parse(two, sizeof(two) - 1, "cluster.xml", &c, err, sizeof(err)),
	   "two nodes parse (%s)", err);
	memset(toolong, 'x', PP_NAME_MAX);
	toolong[PP_NAME_MAX] = '\0';
	pp_corosync_node_set(&list[0], 1, "node1", "203.0.113.1");
	pp_corosync_node_set(&list[1], 2, NULL, "203.0.113.2");
	pp_corosync_node_set(&list[2], 3, "node3", "203.0.113.3");
	pp_corosync_node_set(&list[3], 4, "node4", "pp-host4");
	pp_corosync_node_set(&list[4], 5, "bad name", "2001:db8::5");
	pp_corosync_node_set(&list[5], 6, toolong, NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pp_corosync_node *l = cases[i].nolist ? NULL : list;

		pp_cluster_node_name(cases[i].noxml ? NULL : c, l, l ? 6 : 0, cases[i].id, buf,
				     sizeof(buf));
		ok(!strcmp(buf, cases[i].want), "node %u: %s (%s)", cases[i].id, cases[i].why, buf);
	}
	pp_cluster_xml_free(c);
}

int main(void)
{
	test_appendix_b();
	test_bad();
	test_balancing();
	test_users_sccp_proxy_limits();
	test_node_names();
	return done_testing();
}
