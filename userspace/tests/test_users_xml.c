// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The users.xml reader against the guide's Appendix B: the example file
 * parses, the Management Console's defaults hold, and every malformed
 * file is refused whole with "file:line: reason". Run from tests/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "tap.h"
#include "users_xml.h"

static struct pp_users *parse(const char *path, char *err, size_t len)
{
	struct pp_users *u = NULL;

	if (pp_users_parse_file(path, &u, err, len))
		return NULL;
	return u;
}

static void test_appendix_b(void)
{
	char err[1024] = "";
	struct pp_users *u = parse("data/appendix-b.xml", err, sizeof(err));
	const struct pp_account *a;

	if (!ok(u != NULL, "Appendix B example users.xml parses"))
		diag("%s", err);
	if (!u)
		return;
	is_str(u->name, "pp-blue03", "Appendix B: <users name> kept");
	ok(u->nccms == 1 && !strcmp(u->ccms[0].name, "ccm") &&
	   u->ccms[0].addr == htonl(0xc6336400 + 109) && u->ccms[0].is_default,
	   "Appendix B: CallManager \"ccm\" at 198.51.100.109 is the default");
	ok(u->nproxies == 1 && !strcmp(u->proxies[0].uuid,
					"17a98efd474962b0247eb2325d0d85b91a5ded15") &&
	   u->proxies[0].assign_users,
	   "Appendix B: the proxy and its assign_users");
	a = pp_users_find(u, "homer");
	ok(u->nusers == 1 && a != NULL, "Appendix B: one user, homer");
	if (!a)
		goto out;
	is_str(a->id, "568e3845-ecc3-4408-8cee-6ed731f35675", "Appendix B: homer's id");
	is_str(a->sid, "SEP001122334455", "Appendix B: homer's SID");
	is_str(a->ccm, "ccm", "Appendix B: homer's ccmName");
	ok(a->enabled, "Appendix B: homer is enabled");
	ok(a->first && !strcmp(a->first, "homer") && a->last &&
	   !strcmp(a->last, "simpson"), "Appendix B: first and last name");
	ok(a->seed && !strcmp(a->seed, "BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U") &&
	   a->hash_pw && !strcmp(a->hash_pw, "eGy7g1orzdhyyffgrptVQv2dmDZg=") &&
	   a->pw_date && !strcmp(a->pw_date, "2006-10-19-11-59-15-562"),
	   "Appendix B: password seed, hash and date kept for the daemons");
	ok(a->nsccp_proxy == 1 && !strcmp(a->sccp_proxy[0], u->proxies[0].uuid),
	   "Appendix B: sccpProxy names the proxy");
	ok(a->line == 7, "Appendix B: homer is on line 7 (got %ld)", a->line);
out:
	pp_users_free(u);
}

static void test_defaults(void)
{
	char err[1024] = "";
	struct pp_users *u = parse("data/defaults.xml", err, sizeof(err));
	const struct pp_account *marge, *bart, *lisa;
	const struct pp_callmanager *c;

	if (!ok(u != NULL, "defaults.xml parses"))
		diag("%s", err);
	if (!u)
		return;
	marge = pp_users_find(u, "marge");
	bart = pp_users_find(u, "bart");
	lisa = pp_users_find(u, "lisa");
	ok(marge && bart && lisa, "defaults: three users");
	if (!marge || !bart || !lisa)
		goto out;
	ok(marge->enabled, "defaults: <enabled> absent means enabled");
	ok(!bart->enabled, "defaults: <enabled>false</enabled> disables");
	c = pp_users_account_ccm(u, marge);
	ok(marge->ccm[0] == '\0' && c && !strcmp(c->name, "hq"),
	   "defaults: no ccmName means the default CallManager");
	c = pp_users_account_ccm(u, lisa);
	ok(lisa->ccm[0] == '\0' && c && !strcmp(c->name, "hq"),
	   "defaults: an empty ccmName means the default CallManager");
	c = pp_users_account_ccm(u, bart);
	ok(c && !strcmp(c->name, "lab"), "defaults: ccmName picks a non-default CallManager");
	is_str(marge->sid, "SEP0003E348E321", "defaults: SIDs are stored upper case");
	is_str(lisa->sid, "SEP00AABBCCDDEE", "defaults: white space around a SID is trimmed");
	ok(lisa->first && !strcmp(lisa->first, "Lisa & co"), "defaults: CDATA text is read");
	ok(marge->id[0] == '\0' && !strcmp(bart->id, "bart-1"), "defaults: id is optional");
	ok(!marge->seed && !marge->hash_pw, "defaults: a user without a password");
	ok(u->name == NULL, "defaults: <users> without a name");
out:
	pp_users_free(u);

	u = parse("data/empty-table.xml", err, sizeof(err));
	ok(u && u->nusers == 0 && u->nccms == 0,
	   "an empty <users/> parses (publishing it empties the tables)");
	pp_users_free(u);
}

struct bad_case {
	const char *file;
	const char *want;	/* the whole message, or its start if prefix */
	bool prefix;
};

static const struct bad_case bad_cases[] = {
	{ "data/bad-sid.xml",
	  "data/bad-sid.xml:12: user \"bart\": sid \"SEP12\" is not SEP followed by 12 hex digits", false },
	{ "data/sid-not-hex.xml",
	  "data/sid-not-hex.xml:3: user \"homer\": sid \"SEP00112233445G\" is not SEP followed by 12 hex digits", false },
	{ "data/sid-no-sep.xml",
	  "data/sid-no-sep.xml:3: user \"homer\": sid \"ATA001122334455\" is not SEP followed by 12 hex digits", false },
	{ "data/dup-name.xml",
	  "data/dup-name.xml:5: duplicate user name \"homer\" (first at line 3)", false },
	{ "data/dup-sid.xml",
	  "data/dup-sid.xml:6: user \"lisa\": sid \"SEP001122334455\" already used by user \"homer\" (line 3)", false },
	{ "data/dup-id.xml",
	  "data/dup-id.xml:4: user \"lisa\": id \"568e3845\" already used by user \"homer\" (line 3)", false },
	{ "data/unknown-ccm.xml",
	  "data/unknown-ccm.xml:4: user \"homer\": ccmName \"nowhere\" is not a CallManager (<ccm>) of this file", false },
	{ "data/ccm-bad-address.xml",
	  "data/ccm-bad-address.xml:2: ccm \"ccm\": address \"198.51.100.999\" is not an IPv4 address or a host name", false },
	{ "data/ccm-bad-hostname.xml",
	  "data/ccm-bad-hostname.xml:3: ccm \"ccm\": address \"ccm_1.example.com\" is not an IPv4 address or a host name", false },
	{ "data/ccm-zero-address.xml",
	  "data/ccm-zero-address.xml:2: ccm \"ccm\": address 0.0.0.0 is not a CallManager's address", false },
	{ "data/ccm-no-address.xml",
	  "data/ccm-no-address.xml:2: ccm \"ccm\": no <address>", false },
	{ "data/ccm-two-addresses.xml",
	  "data/ccm-two-addresses.xml:4: ccm \"ccm\": more than one <address> (first at line 3)", false },
	{ "data/two-defaults.xml",
	  "data/two-defaults.xml:4: ccm \"dr\": more than one default CallManager (\"hq\" at line 2 is one)", false },
	{ "data/ccm-default-yes.xml",
	  "data/ccm-default-yes.xml:2: ccm \"hq\": default \"yes\" is not true or false", false },
	{ "data/dup-ccm.xml",
	  "data/dup-ccm.xml:3: duplicate CallManager name \"hq\" (first at line 2)", false },
	{ "data/ccm-no-name.xml",
	  "data/ccm-no-name.xml:2: <ccm> without a name", false },
	{ "data/no-default-ccm.xml",
	  "data/no-default-ccm.xml:3: user \"homer\": no <ccmName> and no default CallManager (<ccm default=\"true\">)", false },
	{ "data/enabled-yes.xml",
	  "data/enabled-yes.xml:5: user \"homer\": enabled \"yes\" is not true or false", false },
	{ "data/user-no-name.xml",
	  "data/user-no-name.xml:3: <user> without a name", false },
	{ "data/user-no-sid.xml",
	  "data/user-no-sid.xml:3: user \"homer\": no <sid>", false },
	{ "data/user-typo.xml",
	  "data/user-typo.xml:5: user \"homer\": unknown element <enabeld>", false },
	{ "data/user-two-sids.xml",
	  "data/user-two-sids.xml:5: user \"homer\": more than one <sid> (first at line 4)", false },
	{ "data/user-nested.xml",
	  "data/user-nested.xml:4: user \"homer\": <sid> must hold text only, not <b>", false },
	{ "data/user-bad-attr.xml",
	  "data/user-bad-attr.xml:3: unknown attribute \"nmae\" on <user>", false },
	{ "data/user-long-name.xml",
	  "data/user-long-name.xml:3: user name \"homer-jay-simpson", true },
	{ "data/seed-no-hash.xml",
	  "data/seed-no-hash.xml:3: user \"homer\": <seed> without <hashPw>", false },
	{ "data/bad-pwdate.xml",
	  "data/bad-pwdate.xml:5: user \"homer\": pwDate \"19 Oct 2006\" is not YYYY-MM-DD-hh-mm-ss-mmm", false },
	{ "data/unknown-proxy.xml",
	  "data/unknown-proxy.xml:5: user \"homer\": sccpProxy \"0000000000000000000000000000000000000000\" is not a <proxy> of this file", false },
	{ "data/unknown-top.xml",
	  "data/unknown-top.xml:3: unknown element <usr> in <users>", false },
	{ "data/stray-text.xml",
	  "data/stray-text.xml:3: unexpected text in <users>", false },
	{ "data/wrong-root.xml",
	  "data/wrong-root.xml:2: the root element is <cluster>, not <users>", false },
	{ "data/not-well-formed.xml",
	  "data/not-well-formed.xml:3: not well-formed XML: Opening and ending tag mismatch: user line 3 and usr", false },
	{ "data/doctype-xxe.xml",
	  "data/doctype-xxe.xml:2: a DOCTYPE is not accepted in users.xml", false },
	{ "data/namespaced.xml",
	  "data/namespaced.xml:1: element <users> is in namespace \"urn:example:users\"; users.xml uses none", false },
	{ "data/empty.xml",
	  "data/empty.xml:", true },
	{ "data/no-such-file.xml",
	  "data/no-such-file.xml: No such file or directory", false },
};

static void test_bad_files(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		char err[1024] = "";
		struct pp_users *u = parse(c->file, err, sizeof(err));
		bool good;

		if (c->prefix)
			good = !u && !strncmp(err, c->want, strlen(c->want));
		else
			good = !u && !strcmp(err, c->want);
		ok(good, "%s is refused: %s", c->file, err);
		if (!good)
			diag("want: %s%s", c->want, c->prefix ? "..." : "");
		pp_users_free(u);
	}
}

/* A generated users.xml: a CallManager, then n users, one a line (or
 * two lines each when split). */
static char *generate(size_t n, bool split, size_t *len)
{
	size_t cap = 256 + n * 96, used = 0, i;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	used += (size_t)snprintf(buf + used, cap - used,
				 "<users name=\"big\">\n"
				 "<ccm name=\"ccm\" default=\"true\"><address>198.51.100.10</address></ccm>\n");
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(buf + used, cap - used,
					 "<user id=\"id-%zu\" name=\"u%zu\">%s<sid>SEP%012zX</sid></user>\n",
					 i, i, split ? "\n" : "", (size_t)0x0011AA000000 + i);
	used += (size_t)snprintf(buf + used, cap - used, "</users>\n");
	*len = used;
	return buf;
}

static void test_limits(void)
{
	char want[128];
	struct pp_users *u = NULL;
	char err[1024] = "", *buf, *p;
	size_t len;

	buf = generate(PP_USERS_MAX, false, &len);
	if (!pp_users_parse_memory(buf, len, "gen", &u, err, sizeof(err)) &&
	    u->nusers == PP_USERS_MAX)
		ok(true, "%d users (PP_USERS_MAX) are accepted", PP_USERS_MAX);
	else
		ok(false, "%d users (PP_USERS_MAX) are accepted: %s", PP_USERS_MAX, err);
	ok(u && u->users[PP_USERS_MAX - 1].line == PP_USERS_MAX + 2,
	   "line numbers past 65535 are exact (got %ld)",
	   u ? u->users[PP_USERS_MAX - 1].line : -1L);
	pp_users_free(u);
	free(buf);

	buf = generate(PP_USERS_MAX + 1, false, &len);
	pp_users_parse_memory(buf, len, "gen", &u, err, sizeof(err));
	snprintf(want, sizeof(want), "gen:%d: too many users: at most %d",
		 PP_USERS_MAX + 3, PP_USERS_MAX);
	is_str(err, want,
	       "one user more than PP_USERS_MAX is refused at its line");
	pp_users_free(u);
	free(buf);

	/* The last SID of a long file repeats the first one. */
	buf = generate(PP_USERS_MAX, true, &len);
	p = strstr(buf, "<sid>SEP0011AA00FFFF</sid>");
	if (p)
		memcpy(p, "<sid>SEP0011AA000000</sid>", 26);
	pp_users_parse_memory(buf, len, "gen", &u, err, sizeof(err));
	is_str(err, "gen:131074: user \"u65535\": sid \"SEP0011AA000000\" already used by user \"u0\" (line 3)",
	       "a duplicate SID on line 131074 is reported there");
	pp_users_free(u);
	free(buf);
}

static void test_ccm_limit(void)
{
	size_t cap = 64 + (PP_CCMS_MAX + 1) * 80, used, i;
	char *buf = malloc(cap), err[1024] = "";
	struct pp_users *u = NULL;

	used = (size_t)snprintf(buf, cap, "<users>\n");
	for (i = 0; i <= PP_CCMS_MAX; i++)
		used += (size_t)snprintf(buf + used, cap - used,
					 "<ccm name=\"c%zu\"><address>203.0.113.%zu</address></ccm>\n",
					 i, i % 250 + 1);
	used += (size_t)snprintf(buf + used, cap - used, "</users>\n");
	pp_users_parse_memory(buf, used, "ccms", &u, err, sizeof(err));
	is_str(err, "ccms:258: too many CallManagers: at most 256",
	       "more than PP_CCMS_MAX CallManagers are refused");
	pp_users_free(u);
	free(buf);
}

/* Nothing half-parsed escapes: *out stays NULL on failure. */
static void test_nothing_applied(void)
{
	static const char doc[] =
		"<users><ccm name=\"c\" default=\"true\"><address>198.51.100.1</address></ccm>\n"
		"<user name=\"a\"><sid>SEP000000000001</sid></user>\n"
		"<user name=\"b\"><sid>SEP000000000001</sid></user></users>\n";
	struct pp_users *u = (struct pp_users *)1;
	char err[256];

	ok(pp_users_parse_memory(doc, sizeof(doc) - 1, "m", &u, err, sizeof(err)) == -1 &&
	   u == NULL, "a refused file yields no table at all");
}

/* The guide: the CallManager may be given by name (resolved at publish). */
static void test_ccm_hostname(void)
{
	static const char *const good[] = { "ccm.example.com", "CCM-1.example.org", "ccm",
					    "a1.b2.c3", "x.y.z.example" };
	static const char *const bad[] = { "-ccm.example.com", "ccm-.example.com", "ccm..example",
					   "ccm.example.com.", "ccm_1.example.com", "1.2.3.4.5",
					   "ccm.123", "", "a b.example" };
	char err[1024] = "";
	struct pp_users *u = parse("data/ccm-hostname.xml", err, sizeof(err));
	size_t i;

	if (!ok(u != NULL, "a CallManager given by host name is read"))
		diag("%s", err);
	if (u) {
		is_str(u->ccms[0].host, "ccm.example.com", "its host name is kept");
		ok(u->ccms[0].addr == 0, "its address is 0 until resolved");
		pp_users_free(u);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(pp_host_name_valid(good[i]), "host name \"%s\" is valid", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!pp_host_name_valid(bad[i]), "host name \"%s\" is not", bad[i]);
}

int main(void)
{
	test_appendix_b();
	test_ccm_hostname();
	test_defaults();
	test_bad_files();
	test_limits();
	test_ccm_limit();
	test_nothing_applied();
	return done_testing();
}
