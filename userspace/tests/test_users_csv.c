// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The guide's "Import/Export" of users as CSV: the template holds the
 * labels, passwords given in clear are hashed (never kept), an export
 * imports back to the same records and the same CSV (lossless round
 * trip), and every broken CSV is refused whole with its line and column.
 * Run from tests/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "password.h"
#include "tap.h"
#include "users_csv.h"

#define ITER	1000u	/* the lowest accepted: fast unit tests */

static const char base_xml[] =
	"<users name=\"pp-blue03\">\n"
	"  <ccm name=\"ccm\" default=\"true\"><address>198.51.100.109</address></ccm>\n"
	"  <ccm name=\"ccm2\"><address>198.51.100.110</address></ccm>\n"
	"  <proxy uuid=\"17a98efd474962b0247eb2325d0d85b91a5ded15\" assign_users=\"true\"/>\n"
	"  <proxy uuid=\"pp2\"/><proxy uuid=\"pp3\"/>\n"
	"  <user name=\"old\"><sid>SEP00000000AAAA</sid></user>\n"
	"</users>\n";

static struct pp_users *base;

static struct pp_users *parse_xml(const char *xml, size_t len)
{
	struct pp_users *u = NULL;
	char err[1024];

	if (pp_users_parse_memory(xml, len, "xml", &u, err, sizeof(err))) {
		diag("%s", err);
		return NULL;
	}
	return u;
}

/* Import csv; the users made, or NULL with err set. */
static struct pp_users *import(const char *csv, char *err, size_t errlen,
			       struct pp_csv_import *st)
{
	struct pp_csv_import dummy;
	struct pp_users *u;
	size_t len;
	char *xml;

	if (pp_users_csv_import(csv, strlen(csv), "users.csv", base, ITER, &xml, &len, NULL,
				st ? st : &dummy, err, errlen))
		return NULL;
	u = parse_xml(xml, len);
	free(xml);
	return u;
}

static char *export(const struct pp_users *u, size_t *nopw)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (pp_users_csv_export(f, u, nopw)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

static void test_template(void)
{
	char *buf = NULL, err[512];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ok(f && !pp_users_csv_template(f), "template: written");
	fclose(f);
	is_str(buf, "\"Id\",\"Username\",\"Password\",\"Seed\",\"Password Hash\","
	       "\"Password Date\",\"First\",\"Last\",\"Sid\",\"CCM Name\","
	       "\"SCCP Proxy\",\"Enabled\"\n",
	       "template: the labels, the guide's four required ones among them");
	ok(!import(buf, err, sizeof(err), NULL) && strstr(err, "users.csv:1: no user after"),
	   "template: imported as it is, refused: no user (%s)", err);
	free(buf);
}

static void test_clear_passwords(void)
{
	static const char csv[] =
		"\xef\xbb\xbfUsername,Password,Sid,CCM Name,First,Last\r\n"
		"homer,D0nut!5,sep001122334455,,Homer,Simpson\r\n"
		"marge,\"  spaced, \"\"quoted\"\" \",SEP0003E348E321,ccm2,\"Marge, Jacqueline\",\r\n";
	struct pp_csv_import st;
	const struct pp_account *h, *m;
	char err[512] = "", why[128];
	struct pp_users *u = import(csv, err, sizeof(err), &st);

	if (!ok(u != NULL, "clear passwords: a spreadsheet's CSV (BOM, CRLF, quotes) imports"))
		diag("%s", err);
	if (!u)
		return;
	ok(st.rows == 2 && st.hashed == 2 && st.kept == 0, "clear passwords: 2 rows, 2 hashed");
	h = pp_users_find(u, "homer");
	m = pp_users_find(u, "marge");
	ok(h && m && u->nusers == 2, "clear passwords: the CSV's users replace the published ones");
	if (!h || !m)
		goto out;
	is_str(h->sid, "SEP001122334455", "clear passwords: the SID is normalised to upper case");
	is_str(h->ccm, "", "clear passwords: an empty CCM Name is the default CallManager");
	is_str(m->ccm, "ccm2", "clear passwords: CCM Name kept");
	is_str(m->first, "Marge, Jacqueline", "clear passwords: a quoted field with a comma");
	ok(m->last == NULL, "clear passwords: an empty optional field is absent");
	ok(h->hash_pw && !strncmp(h->hash_pw, PP_PW_TAG_PBKDF2, strlen(PP_PW_TAG_PBKDF2)),
	   "clear passwords: hashed with pbkdf2-sha256");
	ok(!strstr(h->hash_pw, "D0nut") && !strstr(h->seed, "D0nut"),
	   "clear passwords: not stored in clear");
	ok(h->pw_date && pp_users_pw_date_valid(h->pw_date), "clear passwords: dated (%s)",
	   h->pw_date ? h->pw_date : "none");
	ok(pp_pw_verify("D0nut!5", h->seed, h->hash_pw, why, sizeof(why)) == PP_PW_MATCH,
	   "clear passwords: homer's password verifies against its hash");
	ok(pp_pw_verify("  spaced, \"quoted\" ", m->seed, m->hash_pw, why, sizeof(why)) ==
	   PP_PW_MATCH, "clear passwords: a quoted password keeps its spaces, comma and quotes");
	ok(pp_pw_verify("D0nut!6", h->seed, h->hash_pw, why, sizeof(why)) == PP_PW_MISMATCH,
	   "clear passwords: another password does not verify");
	ok(strcmp(h->seed, m->seed), "clear passwords: each user its own seed");
	is_str(u->name, "pp-blue03", "clear passwords: the published file's name kept");
	ok(u->nccms == 2 && u->nproxies == 3, "clear passwords: the published CallManagers and proxies kept");
out:
	pp_users_free(u);
}

/* XML -> CSV -> XML -> CSV: the same records, the same bytes. */
static bool same_proxies(const struct pp_account *a, const struct pp_account *b)
{
	if (a->nsccp_proxy != b->nsccp_proxy)
		return false;
	for (unsigned int i = 0; i < a->nsccp_proxy; i++)
		if (strcmp(a->sccp_proxy[i], b->sccp_proxy[i]))
			return false;
	return true;
}

static void test_round_trip(void)
{
	static const char xml[] =
		"<users name=\"pp-blue03\">\n"
		"  <ccm name=\"ccm\" default=\"true\"><address>198.51.100.109</address></ccm>\n"
		"  <ccm name=\"ccm2\"><address>198.51.100.110</address></ccm>\n"
		"  <proxy uuid=\"17a98efd474962b0247eb2325d0d85b91a5ded15\" assign_users=\"true\"/>\n"
		"  <proxy uuid=\"pp2\"/><proxy uuid=\"pp3\"/>\n"
		"  <user id=\"568e3845-ecc3-4408-8cee-6ed731f35675\" name=\"homer\">\n"
		"    <first>homer</first><last>simpson</last><ccmName>ccm</ccmName>\n"
		"    <sccpProxy>17a98efd474962b0247eb2325d0d85b91a5ded15</sccpProxy>\n"
		"    <sid>SEP001122334455</sid><enabled>true</enabled>\n"
		"    <seed>BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U</seed>\n"
		"    <hashPw>eGy7g1orzdhyyffgrptVQv2dmDZg=</hashPw>\n"
		"    <pwDate>2006-10-19-11-59-15-562</pwDate>\n"
		"  </user>\n"
		"  <user name=\"bart\"><first>Bart, \"El Barto\"</first><ccmName>ccm2</ccmName>\n"
		"    <sccpProxy>pp3</sccpProxy><sccpProxy>pp2</sccpProxy>\n"
		"    <sccpProxy>17a98efd474962b0247eb2325d0d85b91a5ded15</sccpProxy>\n"
		"    <sid>SEP00AABBCCDDEE</sid><enabled>false</enabled>\n"
		"    <seed>c2VlZA</seed><hashPw>$pbkdf2-sha256$i=1000$a2V5</hashPw></user>\n"
		"</users>\n";
	struct pp_users *x = parse_xml(xml, sizeof(xml) - 1), *y = NULL;
	char *csv1 = NULL, *csv2 = NULL, err[512] = "";
	const struct pp_account *a, *b;
	struct pp_csv_import st;
	size_t nopw = 9, i;

	if (!ok(x != NULL, "round trip: the users.xml parses"))
		return;
	csv1 = export(x, &nopw);
	ok(csv1 && nopw == 0, "round trip: exported, every user with a hash");
	if (!csv1)
		goto out;
	y = import(csv1, err, sizeof(err), &st);
	if (!ok(y != NULL, "round trip: the export imports"))
		diag("%s", err);
	if (!y)
		goto out;
	ok(st.hashed == 0 && st.kept == 2, "round trip: hashes taken as given, none made");
	ok(y->nusers == x->nusers, "round trip: as many users");
	for (i = 0; i < x->nusers; i++) {
		a = &x->users[i];
		b = pp_users_find(y, a->name);
		ok(b && !strcmp(a->id, b->id) && !strcmp(a->sid, b->sid) &&
		   !strcmp(a->ccm, b->ccm) && a->enabled == b->enabled &&
		   !strcmp(a->seed, b->seed) && !strcmp(a->hash_pw, b->hash_pw) &&
		   !a->pw_date == !b->pw_date && (!a->pw_date || !strcmp(a->pw_date, b->pw_date)) &&
		   !a->first == !b->first && (!a->first || !strcmp(a->first, b->first)) &&
		   !a->last == !b->last && (!a->last || !strcmp(a->last, b->last)) &&
		   same_proxies(a, b),
		   "round trip: %s's every field the same", a->name);
	}
	csv2 = export(y, &nopw);
	ok(csv2 && !strcmp(csv1, csv2), "round trip: export(import(export)) == export, byte for byte");
out:
	free(csv1);
	free(csv2);
	pp_users_free(x);
	pp_users_free(y);
}

/* Each broken CSV: refused, with the expected "file:line: ..." start. */
static void test_bad_files(void)
{
	static const struct {
		const char *csv, *want, *what;
	} cases[] = {
		{ "", "users.csv:1: empty", "an empty file" },
		{ "Username,Password,Sid\nh,p,SEP001122334455\n",
		  "users.csv:1: no \"CCM Name\" column", "a required column missing" },
		{ "Username,Password,Sid,CCM Name,Shoe Size\n",
		  "users.csv:1: column 5: unknown label \"Shoe Size\"", "an unknown label" },
		{ "Username,Password,Sid,CCM Name,username\n",
		  "users.csv:1: column 5: \"username\" is column 1's field again", "a label twice" },
		{ "Username,Password,Sid,CCM Name,Seed\n",
		  "users.csv:1: a \"Seed\" column without a \"Password Hash\" column", "Seed without Password Hash" },
		{ "Username,Password,Sid,CCM Name\n",
		  "users.csv:1: no user after the first row", "a header alone" },
		{ "Username,Password,Sid,CCM Name\nh,p,SEP001122334455\n",
		  "users.csv:2: 3 fields, the first row (line 1) names 4", "a row too short" },
		{ "Username,Password,Sid,CCM Name\nh,p,SEP001122334455,ccm,x\n",
		  "users.csv:2: 5 fields", "a row too long" },
		{ "Username,Password,Sid,CCM Name\n,p,SEP001122334455,ccm\n",
		  "users.csv:2: column 1 (Username): empty", "an empty Username" },
		{ "Username,Password,Sid,CCM Name\n"
		  "h,p,SEP001122334455,ccm\nh,q,SEP001122334466,ccm\n",
		  "users.csv:3: column 1 (Username): \"h\" is already the Username of line 2",
		  "a Username twice" },
		{ "Username,Password,Sid,CCM Name\nh,p,SEP0011223344,ccm\n",
		  "users.csv:2: column 3 (Sid): \"SEP0011223344\" is not SEP followed by 12 hex digits",
		  "a short SID" },
		{ "Username,Password,Sid,CCM Name\nh,p,SEP00112233445G,ccm\n",
		  "users.csv:2: column 3 (Sid)", "a SID with a non-hex digit" },
		{ "Username,Password,Sid,CCM Name\n"
		  "h,p,SEP001122334455,ccm\ni,q,sep001122334455,ccm\n",
		  "users.csv:3: column 3 (Sid): \"SEP001122334455\" is already the SID of line 2",
		  "a SID twice, in another case" },
		{ "Username,Password,Sid,CCM Name\nh,p,SEP001122334455,nosuch\n",
		  "users.csv:2: column 4 (CCM Name): \"nosuch\" is not a CallManager",
		  "an unknown CallManager" },
		{ "Username,Password,Sid,CCM Name\nh,,SEP001122334455,ccm\n",
		  "users.csv:2: column 2 (Password): empty", "no password" },
		{ "Username,Password,Sid,CCM Name,Seed,Password Hash\n"
		  "h,p,SEP001122334455,ccm,c2VlZA,a2V5\n",
		  "users.csv:2: column 2 (Password): a password in clear and a Seed/Password Hash",
		  "a password and a hash" },
		{ "Username,Password,Sid,CCM Name,Seed,Password Hash\n"
		  "h,,SEP001122334455,ccm,c2VlZA,\n",
		  "users.csv:2: column 6 (Password Hash): empty, and Seed is given",
		  "a Seed without its hash" },
		{ "Username,Password,Sid,CCM Name,Seed,Password Hash\n"
		  "h,,SEP001122334455,ccm,c2VlZA,not*base64\n",
		  "users.csv:2: column 6 (Password Hash)", "a hash that is not base64" },
		{ "Username,Password,Sid,CCM Name,Enabled\nh,p,SEP001122334455,ccm,maybe\n",
		  "users.csv:2: column 5 (Enabled): \"maybe\" is not true or false", "Enabled not a boolean" },
		{ "Username,Password,Sid,CCM Name,SCCP Proxy\nh,p,SEP001122334455,ccm,abc\n",
		  "users.csv:2: column 5 (SCCP Proxy): \"abc\" is not a proxy", "an unknown proxy" },
		{ "Username,Password,Sid,CCM Name,Seed,Password Hash,Password Date\n"
		  "h,,SEP001122334455,ccm,c2VlZA,a2V5,yesterday\n",
		  "users.csv:2: column 7 (Password Date): \"yesterday\" is not YYYY-MM-DD",
		  "a bad Password Date" },
		{ "Username,Password,Sid,CCM Name,First\nh,p,SEP001122334455,ccm,\"Ho\nmer\"\n",
		  "users.csv:2: column 5 (First): not a name", "a name across two lines" },
		{ "Username,Password,Sid,CCM Name\nh,\"p\"x,SEP001122334455,ccm\n",
		  "users.csv:2: malformed quoting", "a quote closed before the field ends" },
		{ "Username,Password,Sid,CCM Name\nh,\"p,SEP001122334455,ccm\n",
		  "users.csv:2: malformed quoting: a quoted field is not closed", "a quote never closed" },
		{ "Username,Password,Sid,CCM Name,First\nh,p,SEP001122334455,ccm,\"H\x9b\xd3\xdf\x92" "er\"\n",
		  "users.csv:2: column 5 (First): not UTF-8 text", "a name that is not UTF-8 (found by fuzz_users_csv)" },
		{ "Username,Password,Sid,CCM Name,First\nh,p,SEP001122334455,ccm,\xef\xbf\xbe\n",
		  "users.csv:2: column 5 (First): not UTF-8 text", "U+FFFE, not an XML character" },
		{ "Username,Password,Sid,CCM Name\nh,p\0x,SEP001122334455,ccm\n",
		  "users.csv:2: column 2 (Password)", "a NUL byte" },
		{ "Username,Password,Sid,CCM Name,Id\n"
		  "h,p,SEP001122334455,ccm,id1\ni,q,SEP001122334466,ccm,id1\n",
		  "users.csv:3: column 5 (Id): \"id1\" is already the Id of line 2", "an Id twice" },
		{ "Username,Password,Sid,CCM Name\n"
		  "\"a very long user name that does not fit in sixty-three bytes, no\",p,SEP001122334455,ccm\n",
		  "users.csv:2: column 1 (Username): ", "a Username too long" },
		{ "Username,Password,Sid,CCM Name\r\n\r\nh,p,SEP001122334455,ccm\r\n\r\n"
		  "i,p,SEP001122334466,nosuch\r\n",
		  "users.csv:5: column 4 (CCM Name)", "lines counted across blank lines and CRLF" },
		{ "Username,Password,Sid,CCM Name\n\"multi\nline\",p,SEP001122334455,ccm\n",
		  "users.csv:2: column 1 (Username): ", "a Username across two lines" },
		{ "Username,Password,Sid,CCM Name,First\n"
		  "h,p,SEP001122334455,ccm,\"Homer\"\n,,,,\n",
		  "users.csv:3: column 1 (Username): empty", "a row of empty fields" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[512] = "";
		struct pp_users *u;
		const char *csv = cases[i].csv;
		size_t len = strlen(csv);
		struct pp_csv_import st;
		char *xml = NULL;
		size_t xl;
		int rc;

		/* The NUL case: its length is what the literal holds. */
		if (strstr(cases[i].what, "NUL"))
			len = strlen(csv) + 1 + strlen(csv + strlen(csv) + 1);
		rc = pp_users_csv_import(csv, len, "users.csv", base, ITER, &xml, &xl, NULL, &st,
					 err, sizeof(err));
		u = NULL;
		if (!rc) {
			u = parse_xml(xml, xl);
			free(xml);
		}
		if (!ok(rc && !strncmp(err, cases[i].want, strlen(cases[i].want)),
			"refused with line and column: %s", cases[i].what))
			diag("got: %s", rc ? err : "accepted");
		pp_users_free(u);
	}
}

static void test_limits(void)
{
	size_t n = PP_USERS_MAX + 1, i, cap = 64 + n * 48, len;
	char *csv = malloc(cap), err[512] = "", *xml, want[128];
	struct pp_csv_import st;

	if (!csv)
		return;
	snprintf(want, sizeof(want), "users.csv:%d: more than %d users",
		 PP_USERS_MAX + 2, PP_USERS_MAX);
	len = (size_t)snprintf(csv, cap, "Username,Seed,Password Hash,Sid,CCM Name,Password\n");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(csv + len, cap - len, "u%zu,c2VlZA,a2V5,SEP%012zX,,\n",
					i, i);
	ok(pp_users_csv_import(csv, len, "users.csv", base, ITER, &xml, &len, NULL, &st, err,
			       sizeof(err)) &&
	   strstr(err, want),
	   "limits: user PP_USERS_MAX + 1 refused (%s)", err);
	free(csv);
}

int main(void)
{
	base = parse_xml(base_xml, sizeof(base_xml) - 1);
	if (!ok(base != NULL, "the published users.xml of the tests parses"))
		return done_testing();
	test_template();
	test_clear_passwords();
	test_round_trip();
	test_bad_files();
	test_limits();
	pp_users_free(base);
	return done_testing();
}
