// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-httpd's parts without a network: password hashes (both formats) and
 * the strong password rule, httpd.conf, the activation form, SOAP
 * requests (XXE and entity bombs included), responses and the WSDL, proxy
 * URLs and the allow list, the lockout, certificates and the TLS context.
 * Expected values come from outside the code under test (Python's
 * hashlib for the digests, libxml2 re-reading what we write, OpenSSL
 * verifying what we sign).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "cert.h"
#include "conf.h"
#include "file.h"
#include "form.h"
#include "httpconf.h"
#include "httpd.h"
#include "lockout.h"
#include "password.h"
#include "soap.h"
#include "tap.h"
#include "allowlist.h"

/* ---- passwords ---- */

static void test_passwords(void)
{
	char seed[PP_PW_SEED_LEN + 1], hash[PP_PW_HASH_MAX], why[256];
	unsigned char buf[64];

	ok(pp_pw_hash("Secr3t!pass", 0, seed, hash) == 0 && strlen(seed) == PP_PW_SEED_LEN,
	   "a new hash has a %d-character seed", PP_PW_SEED_LEN);
	ok(!strncmp(hash, "$pbkdf2-sha256$i=600000$", 24),
	   "it is tagged pbkdf2-sha256 with the default 600000 iterations (%s)", hash);
	ok(pp_pw_verify("Secr3t!pass", seed, hash, why, sizeof(why)) == PP_PW_MATCH,
	   "the password matches its hash");
	ok(pp_pw_verify("Secr3t!pasS", seed, hash, why, sizeof(why)) == PP_PW_MISMATCH,
	   "a different password does not");
	ok(pp_pw_verify("Secr3t!pass", "another-seed", hash, why, sizeof(why)) == PP_PW_MISMATCH,
	   "the seed is the salt: another seed does not match");
	/* Python: hashlib.pbkdf2_hmac('sha256', b'Secr3t!pass', seed, 1000) */
	ok(pp_pw_verify("Secr3t!pass", "twHPapTorYk7MgoCUmKz1ojKaPkcA9J_",
			"$pbkdf2-sha256$i=1000$uBZ30V71+ihYhBqE/pBSWDg7n13iwZ9MbapsZfPXNuA=",
			why, sizeof(why)) == PP_PW_MATCH,
	   "a pbkdf2 hash computed by Python's hashlib matches");
	/* Python: base64(sha1(seed + password)) */
	ok(pp_pw_verify("D0h!Homer", "BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U",
			"A1Ywl7XzmVRO/Gr9H0tElAqkMzs=", why, sizeof(why)) == PP_PW_MATCH,
	   "legacy: base64(SHA-1(seed || password)) computed by Python matches");
	ok(pp_pw_verify("D0h!homer", "BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U",
			"A1Ywl7XzmVRO/Gr9H0tElAqkMzs=", why, sizeof(why)) == PP_PW_MISMATCH,
	   "legacy: a wrong password does not");
	ok(pp_pw_verify("D0h!Homer", "BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U",
			"A1Ywl7XzmVRO_Gr9H0tElAqkMzs", why, sizeof(why)) == PP_PW_MATCH,
	   "legacy: the URL-safe alphabet and missing padding are accepted");
	ok(pp_pw_verify("anything", "BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U",
			"eGy7g1orzdhyyffgrptVQv2dmDZg=", why, sizeof(why)) == PP_PW_UNUSABLE &&
	   strstr(why, "29 characters"),
	   "Appendix B's example hashPw (29 characters) is reported unusable: %s", why);
	ok(pp_pw_verify("x", "s", "$pbkdf2-sha256$i=10$AAAA", why, sizeof(why)) == PP_PW_UNUSABLE,
	   "pbkdf2 with too few iterations is refused (%s)", why);
	ok(pp_pw_verify("x", "s", "$pbkdf2-sha256$i=99999999999$AAAA", why, sizeof(why)) ==
	   PP_PW_UNUSABLE, "pbkdf2 with absurd iterations is refused (no CPU bomb)");
	ok(pp_pw_verify("x", "s", "$pbkdf2-sha256$1000$AAAA", why, sizeof(why)) == PP_PW_UNUSABLE,
	   "pbkdf2 without i= is refused");
	ok(pp_pw_verify("x", NULL, "abc", why, sizeof(why)) == PP_PW_UNUSABLE,
	   "no seed: unusable");
	ok(pp_base64_decode("SGVsbG8=", buf, sizeof(buf)) == 5 && !memcmp(buf, "Hello", 5),
	   "base64 decodes");
	ok(pp_base64_decode("SGVsbG8", buf, sizeof(buf)) == 5, "base64 without padding decodes");
	ok(pp_base64_decode("SGVsbG8==", buf, sizeof(buf)) < 0, "wrong padding is refused");
	ok(pp_base64_decode("SGV sbG8=", buf, sizeof(buf)) < 0, "a blank is refused");
	ok(pp_base64_decode("S", buf, sizeof(buf)) < 0, "one character is refused");

	ok(pp_pw_strength("Abcdef1!", why, sizeof(why)) == 0, "Abcdef1! is strong");
	ok(pp_pw_strength("abcdef12", why, sizeof(why)) == -1 && strstr(why, "2 of the 4"),
	   "two kinds of characters are not enough: %s", why);
	ok(pp_pw_strength("Ab1!", why, sizeof(why)) == -1 && strstr(why, "at least 8"),
	   "short: %s", why);
	ok(pp_pw_strength("Abbbb1!x", why, sizeof(why)) == -1 && strstr(why, "\"b\""),
	   "four times the same in a row: %s", why);
	ok(pp_pw_strength("Abbb1!xy", why, sizeof(why)) == 0, "three times in a row is fine");
	ok(pp_pw_strength("Abcdefg1\t", why, sizeof(why)) == -1, "a tab is refused");
}

/* ---- httpd.conf ---- */

static void test_httpconf(void)
{
	static const char text[] =
		"# comment\n"
		"set phoneproxy http publish webpage\n"
		"\n"
		"set phoneproxy httpproxy mode external\n"
		"set phoneproxy httpproxy externaladdress 203.0.113.8\n"
		"set phoneproxy httpproxy allow HTTP://198.51.100.10:80/dir/*\n"
		"set phoneproxy httpproxy allow http://198.51.100.10\n";
	static const char bad[] = "set phoneproxy http publish webpage\n"
				  "set phoneproxy httpproxy mode sideways\n";
	struct pp_httpconf c;
	char err[512], norm[PP_URL_MAX], *out = NULL;
	size_t len = 0;
	FILE *f;

	ok(pp_httpconf_parse(text, sizeof(text) - 1, "httpd.conf", &c, err, sizeof(err)) == 0,
	   "httpd.conf parses");
	ok(c.webpage && !c.webservice && c.mode == PP_PROXY_EXTERNAL &&
	   c.external_addr == htonl(0xcb007108), "its settings are read");
	ok(c.nallow == 2 && !strcmp(c.allow[0], "http://198.51.100.10/dir/*") &&
	   !strcmp(c.allow[1], "http://198.51.100.10/"),
	   "patterns are normalized (scheme and host case, :80, a bare host gets /)");
	f = open_memstream(&out, &len);
	pp_httpconf_print(f, &c);
	fclose(f);
	is_str(out, "set phoneproxy http publish webpage\n"
	       "set phoneproxy httpproxy mode external\n"
	       "set phoneproxy httpproxy externaladdress 203.0.113.8\n"
	       "set phoneproxy httpproxy allow http://198.51.100.10/dir/*\n"
	       "set phoneproxy httpproxy allow http://198.51.100.10/\n",
	       "printed back as the commands that recreate it");
	free(out);
	ok(pp_httpconf_allow_add(&c, "http://198.51.100.10/dir/*", err, sizeof(err)) == 0 &&
	   c.nallow == 2, "adding a present pattern adds nothing");
	ok(pp_httpconf_allow_remove(&c, "http://198.51.100.99/", err, sizeof(err)) == -ENOENT &&
	   strstr(err, "not in the httpproxy allow list"), "removing an absent one: %s", err);
	ok(pp_httpconf_allow_remove(&c, "http://198.51.100.10/", err, sizeof(err)) == 0 &&
	   c.nallow == 1, "removing a present one");
	pp_httpconf_free(&c);

	ok(pp_httpconf_parse(bad, strlen(bad), "h.conf", &c, err, sizeof(err)) == -1 &&
	   !strcmp(err, "h.conf:2: \"set phoneproxy httpproxy mode\": unknown word \"sideways\" "
			"(expected internal|external)"),
	   "a bad line is reported as file:line: and what ppctl says of it: %s", err);
	ok(pp_httpconf_parse("set phoneproxy httpproxy allow ftp://x/\n", 39, "h.conf", &c, err,
			     sizeof(err)) == -1 && strstr(err, "h.conf:1:") && strstr(err, "http://"),
	   "a non-http pattern is refused: %s", err);
	ok(pp_allow_pattern_normalize("http://user@198.51.100.10/", norm, err, sizeof(err)) == -1 &&
	   strstr(err, "user name"), "a pattern with a user name is refused");
	ok(pp_allow_pattern_normalize("http:///x", norm, err, sizeof(err)) == -1 &&
	   strstr(err, "no host"), "a pattern without host is refused");
	ok(pp_allow_pattern_normalize("http://a b/", norm, err, sizeof(err)) == -1,
	   "a blank in a pattern is refused");
}

/* The connection limits of pp-httpd in httpd.conf (issue 12, item 7). */
static void test_httpconf_limits(void)
{
	static const char text[] =
		"set phoneproxy http maxconnections 500\n"
		"set phoneproxy http maxconnections peraddress 8\n"
		"set phoneproxy http headertimeout 5\n"
		"set phoneproxy http bodytimeout 30\n";
	unsigned int mc, pa, ht, bt;
	struct pp_httpconf c;
	char err[512], *out = NULL;
	size_t len = 0;
	FILE *f;

	pp_httpconf_init(&c);
	pp_httpconf_limits(&c, &mc, &pa, &ht, &bt);
	ok(mc == 4096 && pa == 32 && ht == 10 && bt == 20,
	   "connection limits by default: 4096, 32 per address, head 10 s, body 20 s");
	ok(pp_httpconf_parse(text, sizeof(text) - 1, "httpd.conf", &c, err, sizeof(err)) == 0,
	   "the connection limits parse");
	pp_httpconf_limits(&c, &mc, &pa, &ht, &bt);
	ok(mc == 500 && pa == 8 && ht == 5 && bt == 30, "... and are in force");
	f = open_memstream(&out, &len);
	pp_httpconf_print(f, &c);
	fclose(f);
	is_str(out, text, "... and are printed back as the commands");
	free(out);
	pp_httpconf_free(&c);
	ok(pp_httpconf_parse("set phoneproxy http maxconnections peraddress 0\n", 48, "h.conf", &c,
			     err, sizeof(err)) == -1 &&
	   !strcmp(err, "h.conf:1: \"peraddress\" value \"0\" is not a number in 1..1000000"),
	   "a cap of 0 is refused: %s", err);
	ok(pp_httpconf_parse("set phoneproxy http headertimeout 3601\n", 39, "h.conf", &c,
			     err, sizeof(err)) == -1 && strstr(err, "1..3600"),
	   "a head deadline over an hour is refused: %s", err);
}

/* ---- the form ---- */

static int form(const char *body, struct pp_form *f, char *err)
{
	return pp_form_parse(body, strlen(body), f, err, 256);
}

static void test_form(void)
{
	struct pp_form f;
	char err[256];

	ok(form("username=homer&password=D0h%21+Homer&address=192.0.2.10&action=activate",
		&f, err) == 0, "a complete form parses");
	ok(!strcmp(f.username, "homer") && !strcmp(f.password, "D0h! Homer") &&
	   f.addr == htonl(0xc000020a) && f.action == PP_FORM_ACTIVATE,
	   "values are decoded (%%21 and +)");
	ok(form("password=x&username=marge&address=192.0.2.20", &f, err) == 0 &&
	   f.action == PP_FORM_ACTIVATE, "activate is the default action");
	ok(form("username=marge&password=x&action=inactivate", &f, err) == 0 &&
	   f.action == PP_FORM_INACTIVATE, "inactivate needs no address");
	ok(form("username=marge&password=x", &f, err) == -1 &&
	   !strcmp(err, "the phone's address is missing"), "activate needs one: %s", err);
	ok(form("username=homer&address=192.0.2.10", &f, err) == -1 &&
	   !strcmp(err, "the password is missing"), "no password: %s", err);
	ok(form("username=homer&password=x&address=192.0.2.300", &f, err) == -1 &&
	   strstr(err, "\"192.0.2.300\" is not an IPv4 address"), "a bad address: %s", err);
	ok(form("username=homer&password=x&address=224.0.0.1", &f, err) == -1 &&
	   strstr(err, "cannot be a phone's"), "a multicast address: %s", err);
	ok(form("username=homer&username=bart&password=x&address=192.0.2.10", &f, err) == -1 &&
	   strstr(err, "twice"), "a field twice: %s", err);
	ok(form("username=homer&password=x&address=192.0.2.10&admin=1", &f, err) == -1 &&
	   !strcmp(err, "unknown field \"admin\""), "an unknown field: %s", err);
	ok(form("username=homer&password=pw%00more&address=192.0.2.10", &f, err) == -1 &&
	   strstr(err, "NUL"), "an encoded NUL: %s", err);
	ok(form("username=%0Ahomer&password=x&address=192.0.2.10", &f, err) == -1 &&
	   strstr(err, "not a user name") && !strchr(err, '\n'),
	   "a control character in the user name, not echoed raw: %s", err);
	ok(form("username=homer&password=secret&address=bad", &f, err) == -1 &&
	   !strstr(err, "secret"), "errors never show the password");
	ok(form("username=homer&password", &f, err) == -1 && strstr(err, "urlencoded"),
	   "a field without = : %s", err);
	ok(form("username=homer&password=x&action=delete", &f, err) == -1 &&
	   strstr(err, "\"delete\""), "an unknown action: %s", err);
	{
		char big[PP_FORM_MAX + 16];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		ok(form(big, &f, err) == -1 && strstr(err, "larger"), "a huge form: %s", err);
	}
}

/* ---- SOAP ---- */

#define ENV(body) \
	"<?xml version=\"1.0\"?>" \
	"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" " \
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" \
	"<soap:Body>" body "</soap:Body></soap:Envelope>"

static enum pp_soap_error soap(const char *xml, struct pp_soap_req *r, char *err)
{
	return pp_soap_parse(xml, strlen(xml), r, err, 512);
}

static void test_soap_parse(void)
{
	struct pp_soap_req r;
	char err[512];
	clock_t t0;

	ok(soap(ENV("<ns:login xmlns:ns=\"urn:PhoneProxyActivation\">"
		    "<Adminname xsi:type=\"xsd:string\">admin</Adminname>"
		    "<Password>Pa&amp;ss&lt;1</Password></ns:login>"), &r, err) == PP_SOAP_OK &&
	   r.method == PP_SOAP_LOGIN && !strcmp(r.args[0], "admin") &&
	   !strcmp(r.args[1], "Pa&ss<1"), "login parses; predefined entities are text");
	pp_soap_req_free(&r);
	ok(soap(ENV("<phoneproxy_activate><Ipaddr>192.0.2.10</Ipaddr><Username>homer</Username>"
		    "<Token>abc</Token></phoneproxy_activate>"), &r, err) == PP_SOAP_OK &&
	   r.method == PP_SOAP_ACTIVATE && !strcmp(r.args[0], "abc") &&
	   !strcmp(r.args[1], "homer") && !strcmp(r.args[2], "192.0.2.10"),
	   "arguments are taken by name, in any order");
	pp_soap_req_free(&r);
	ok(soap(ENV("<phoneproxy_logout><Username>homer</Username><Password>x</Password>"
		    "</phoneproxy_logout>"), &r, err) == PP_SOAP_OK && r.method == PP_SOAP_USER_LOGOUT,
	   "phoneproxy_logout parses");
	pp_soap_req_free(&r);
	ok(soap(ENV("<phoneproxy_login><Username>homer</Username><Password>x</Password>"
		    "</phoneproxy_login>"), &r, err) == PP_SOAP_ERR_CLIENT &&
	   !strcmp(err, "phoneproxy_login: argument \"Ipaddr\" is missing"), "missing: %s", err);
	ok(soap(ENV("<phoneproxy_inactivate><Token>t</Token><Username>u</Username><User>x</User>"
		    "</phoneproxy_inactivate>"), &r, err) == PP_SOAP_ERR_CLIENT &&
	   strstr(err, "unknown argument \"User\""), "unknown argument: %s", err);
	ok(soap(ENV("<phoneproxy_inactivate><Token>t</Token><Token>u</Token><Username>u</Username>"
		    "</phoneproxy_inactivate>"), &r, err) == PP_SOAP_ERR_CLIENT &&
	   strstr(err, "twice"), "an argument twice: %s", err);
	ok(soap(ENV("<phoneproxy_reboot/>"), &r, err) == PP_SOAP_ERR_CLIENT &&
	   strstr(err, "unknown method \"phoneproxy_reboot\""), "unknown method: %s", err);
	ok(soap(ENV("<login><Adminname><b>x</b></Adminname><Password>p</Password></login>"), &r,
		err) == PP_SOAP_ERR_CLIENT && strstr(err, "not a simple string"),
	   "a structured argument: %s", err);
	ok(soap(ENV(""), &r, err) == PP_SOAP_ERR_CLIENT && strstr(err, "no method"),
	   "an empty Body: %s", err);
	ok(soap("<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body/>"
		"</soap:Envelope>", &r, err) == PP_SOAP_ERR_VERSION, "SOAP 1.2: VersionMismatch");
	ok(soap("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
		"<soap:Header><t:auth xmlns:t=\"urn:x\" soap:mustUnderstand=\"1\"/></soap:Header>"
		"<soap:Body><login/></soap:Body></soap:Envelope>", &r, err) ==
	   PP_SOAP_ERR_MUST_UNDERSTAND, "a mustUnderstand header: %s", err);
	ok(soap("<login><Adminname>a</Adminname></login>", &r, err) == PP_SOAP_ERR_CLIENT &&
	   strstr(err, "not a SOAP Envelope"), "no envelope: %s", err);
	ok(soap("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>",
		&r, err) == PP_SOAP_ERR_CLIENT && strstr(err, "not well-formed"),
	   "truncated XML: %s", err);
	ok(soap("", &r, err) == PP_SOAP_ERR_CLIENT, "an empty body");

	/* XXE: an external entity naming a local file. */
	ok(soap("<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		ENV("<login><Adminname>&x;</Adminname><Password>p</Password></login>") + 21,
		&r, err) == PP_SOAP_ERR_CLIENT && strstr(err, "DOCTYPE"),
	   "XXE: a DOCTYPE with an external entity is refused: %s", err);
	ok(soap(ENV("<login><Adminname>&x;</Adminname><Password>p</Password></login>"), &r, err) ==
	   PP_SOAP_ERR_CLIENT, "an undeclared entity is refused: %s", err);
	/* Billion laughs: refused before any expansion, at once. */
	{
		static const char bomb[] =
			"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
			"<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
			"<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
			"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
			"<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
			"<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
			"<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
			"<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
			"<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
			"<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"
			"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
			"<soap:Body><login><Adminname>&lol9;</Adminname><Password>p</Password>"
			"</login></soap:Body></soap:Envelope>";

		t0 = clock();
		ok(soap(bomb, &r, err) == PP_SOAP_ERR_CLIENT && strstr(err, "DOCTYPE"),
		   "billion laughs is refused: %s", err);
		diag("refused in %.1f ms of CPU", (double)(clock() - t0) * 1000 / CLOCKS_PER_SEC);
	}
	{
		char big[PP_SOAP_VALUE_MAX + 200], *xml;
		size_t n;

		memset(big, 'x', PP_SOAP_VALUE_MAX + 1);
		big[PP_SOAP_VALUE_MAX + 1] = '\0';
		n = strlen(big) + 400;
		xml = malloc(n);
		snprintf(xml, n, ENV("<login><Adminname>%s</Adminname><Password>p</Password></login>"),
			 big);
		ok(soap(xml, &r, err) == PP_SOAP_ERR_CLIENT && strstr(err, "longer than"),
		   "an over-long argument: %s", err);
		free(xml);
	}
}

static xmlDoc *reparse(const char *xml, size_t len)
{
	return xmlReadMemory(xml, (int)len, "x", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
			     XML_PARSE_NOWARNING);
}

static void test_soap_build(void)
{
	char *out = NULL;
	size_t len = 0;
	xmlDoc *d;

	ok(pp_soap_response(PP_SOAP_ACTIVATE, "Activate <Successful> & \"done\"", &out, &len) == 0,
	   "a response is built");
	d = reparse(out, len);
	if (ok(d != NULL, "libxml2 reads it back")) {
		xmlNode *env = xmlDocGetRootElement(d);
		xmlNode *body = env ? xmlFirstElementChild(env) : NULL;
		xmlNode *resp = body ? xmlFirstElementChild(body) : NULL;
		xmlNode *ret = resp ? xmlFirstElementChild(resp) : NULL;
		xmlChar *v = ret ? xmlNodeGetContent(ret) : NULL;

		ok(resp && !strcmp((const char *)resp->name, "phoneproxy_activateResponse") &&
		   resp->ns && !strcmp((const char *)resp->ns->href, PP_SOAP_NS),
		   "its element is phoneproxy_activateResponse in " PP_SOAP_NS);
		ok(v && !strcmp((const char *)v, "Activate <Successful> & \"done\""),
		   "the result text survives escaping");
		xmlFree(v);
		xmlFreeDoc(d);
	}
	free(out);
	ok(pp_soap_fault(PP_SOAP_ERR_CLIENT, "bad <thing>", &out, &len) == 0 &&
	   strstr(out, "<faultcode>soap:Client</faultcode>") &&
	   strstr(out, "<faultstring>bad &lt;thing&gt;</faultstring>"),
	   "a fault carries code and escaped reason");
	free(out);
	ok(pp_soap_wsdl("http://198.51.100.1/activation_service/", &out, &len) == 0,
	   "the WSDL is built");
	d = reparse(out, len);
	ok(d != NULL, "the WSDL is well-formed XML");
	xmlFreeDoc(d);
	ok(strstr(out, "<soap:address location=\"http://198.51.100.1/activation_service/\"/>") &&
	   strstr(out, "operation name=\"login\"") &&
	   strstr(out, "operation name=\"phoneproxy_activate\"") &&
	   strstr(out, "operation name=\"phoneproxy_inactivate\"") &&
	   strstr(out, "operation name=\"phoneproxy_login\"") &&
	   strstr(out, "operation name=\"phoneproxy_logout\"") &&
	   strstr(out, "<part name=\"Adminname\"") && strstr(out, "<part name=\"Ipaddr\""),
	   "the WSDL names the five methods of Appendix A, their arguments and the address");
	free(out);
}

/* ---- proxy URLs and the allow list ---- */

static void test_whitelist(void)
{
	const char *allow[] = { "http://198.51.100.10/dir/*", "http://198.51.100.20:8080/x.xml",
			  "http://*.example/*" };
	struct pp_allow_url u;
	char err[512];

	ok(pp_allow_url_parse("http://198.51.100.10/dir/a.xml?x=1", &u, err, sizeof(err)) == 0 &&
	   !strcmp(u.norm, "http://198.51.100.10/dir/a.xml?x=1") &&
	   !strcmp(u.target, "/dir/a.xml?x=1") && u.port == 80 && u.is_ipv4,
	   "an absolute URL parses (norm %s)", u.norm);
	ok(pp_allow_list_match(allow, 3, &u) == allow[0], "it matches dir/*");
	ok(pp_allow_url_parse("HTTP://198.51.100.10:80/dir/", &u, err, sizeof(err)) == 0 &&
	   !strcmp(u.norm, "http://198.51.100.10/dir/") && pp_allow_list_match(allow, 3, &u),
	   "scheme case and :80 are normalized away");
	ok(pp_allow_url_parse("http://198.51.100.10/other", &u, err, sizeof(err)) == 0 &&
	   !pp_allow_list_match(allow, 3, &u), "another path does not match");
	ok(pp_allow_url_parse("http://198.51.100.100/dir/a", &u, err, sizeof(err)) == 0 &&
	   !pp_allow_list_match(allow, 3, &u), "another host with the same prefix does not match");
	ok(pp_allow_url_parse("http://198.51.100.20:8080/x.xml", &u, err, sizeof(err)) == 0 &&
	   pp_allow_list_match(allow, 3, &u) == allow[1] && u.port == 8080,
	   "an exact URL with a port matches");
	ok(pp_allow_url_parse("http://198.51.100.20/x.xml", &u, err, sizeof(err)) == 0 &&
	   !pp_allow_list_match(allow, 3, &u), "... not on another port");
	ok(pp_allow_url_parse("http://dir.example/a", &u, err, sizeof(err)) == 0 && !u.is_ipv4 &&
	   pp_allow_list_match(allow, 3, &u) == allow[2], "wildcards in the host");
	ok(pp_allow_url_parse("http://198.51.100.10/dir/../secret", &u, err, sizeof(err)) == 0 &&
	   !strcmp(u.target, "/secret") && !pp_allow_list_match(allow, 3, &u),
	   "dot segments are resolved before the match (%s)", u.target);
	ok(pp_allow_url_parse("http://198.51.100.10/dir/%2e%2E/secret", &u, err, sizeof(err)) == -1,
	   "percent-encoded dots are refused: %s", err);
	ok(pp_allow_url_parse("http://198.51.100.10/dir/./a", &u, err, sizeof(err)) == 0 &&
	   !strcmp(u.target, "/dir/a"), "and \".\" goes");
	ok(pp_allow_url_parse("http://198.51.100.10/dir/..a", &u, err, sizeof(err)) == 0,
	   "\"..a\" is a name, not a dot segment");
	ok(pp_allow_url_parse("/dir/a.xml", &u, err, sizeof(err)) == -1 &&
	   strstr(err, "not an absolute http:// URL"), "a relative URL: %s", err);
	ok(pp_allow_url_parse("https://198.51.100.10/", &u, err, sizeof(err)) == -1 &&
	   strstr(err, "not an absolute http:// URL"), "https: %s", err);
	ok(pp_allow_url_parse("http://u:p@198.51.100.10/dir/a", &u, err, sizeof(err)) == -1 &&
	   strstr(err, "user name"), "user info: %s", err);
	ok(pp_allow_url_parse("http://198.51.100.10/dir/a#frag", &u, err, sizeof(err)) == -1,
	   "a fragment");
	ok(pp_allow_url_parse("http://198.51.100.10/dir\\..\\a", &u, err, sizeof(err)) == -1,
	   "backslashes");
	ok(pp_allow_url_parse("http://198.51.100.10/a b", &u, err, sizeof(err)) == -1,
	   "a blank (libevent's strict parse)");
	ok(pp_allow_url_parse("http://[2001:db8::1]/", &u, err, sizeof(err)) == -1, "IPv6");
	ok(pp_allow_url_parse("http://198.51.100.10/dir/a.xml", &u, err, sizeof(err)) == 0 &&
	   pp_allow_match("http://198.51.100.10/d*r/a.xml", &u) &&
	   pp_allow_match("http://198.51.100.10/**a.xml", &u) &&
	   !pp_allow_match("http://198.51.100.10/d*r/b.xml", &u),
	   "the glob: * matches any run, also none (test_allowlist has the rest)");
}

/* ---- the lockout ---- */

static void test_lockout(void)
{
	struct pp_lockout_policy p = { .pair_failures = 3, .addr_failures = 5,
				       .lock_secs = 1200, .capacity = 8 };
	struct pp_lockout *l = pp_lockout_new(&p);
	uint32_t a1 = htonl(0xc000020a), a2 = htonl(0xc0000214);
	time_t t = 1000000;
	int i, started;

	ok(!pp_lockout_locked(l, "homer", a1, t), "nobody is locked at first");
	ok(pp_lockout_fail(l, "homer", a1, t) == 0 && pp_lockout_fail(l, "homer", a1, t + 1) == 0,
	   "two failures lock nothing");
	ok(!pp_lockout_locked(l, "homer", a1, t + 1), "... homer may try again");
	ok(pp_lockout_fail(l, "homer", a1, t + 2) == PP_LOCKOUT_PAIR,
	   "the third failure locks (homer, 192.0.2.10)");
	ok(pp_lockout_locked(l, "homer", a1, t + 3), "homer is locked out at 192.0.2.10");
	ok(!pp_lockout_locked(l, "homer", a2, t + 3),
	   "homer is not locked out at 192.0.2.20: an attacker cannot lock the real user out");
	ok(!pp_lockout_locked(l, "marge", a1, t + 3), "marge is not locked at 192.0.2.10");
	ok(pp_lockout_locked(l, "homer", a1, t + 2 + 1199) &&
	   !pp_lockout_locked(l, "homer", a1, t + 2 + 1200), "the lock lasts 1200 s");
	pp_lockout_fail(l, "homer", a1, t + 600);
	ok(pp_lockout_locked(l, "homer", a1, t + 600 + 1199),
	   "trying while locked starts the 20 minutes again");
	ok(!pp_lockout_locked(l, "homer", a1, t + 600 + 1200), "... and then it ends");
	ok(pp_lockout_fail(l, "homer", a1, t + 5000) == 0, "after expiry the count starts over");

	pp_lockout_fail(l, "marge", a2, t);
	pp_lockout_fail(l, "marge", a2, t);
	pp_lockout_success(l, "marge", a2);
	ok(pp_lockout_fail(l, "marge", a2, t) == 0 && pp_lockout_fail(l, "marge", a2, t) == 0,
	   "a success clears the pair's count");

	/* One address trying many names. */
	for (i = 0, started = 0; i < 5; i++)
		started |= pp_lockout_fail(l, i % 2 ? "lisa" : "maggie", htonl(0xcb007101), t);
	ok(started & PP_LOCKOUT_ADDR, "5 failures from one address, any names, lock the address");
	ok(pp_lockout_locked(l, "anyone", htonl(0xcb007101), t + 1),
	   "then every name is locked at that address");
	ok(!pp_lockout_locked(l, "anyone", a1, t + 1), "not elsewhere");

	for (i = 0; i < 40; i++)
		pp_lockout_fail(l, "flood", htonl(0xcb007200 + (uint32_t)i), t + 10 + i);
	ok(pp_lockout_size(l) <= 8, "the table stays within its capacity (%zu)",
	   pp_lockout_size(l));
	pp_lockout_expire(l, t + 100000);
	ok(pp_lockout_size(l) == 0, "expired entries are forgotten");
	pp_lockout_free(l);
}

/* ---- certificates and TLS ---- */

static bool verifies_against_itself(const char *pem, size_t len)
{
	BIO *b = BIO_new_mem_buf(pem, (int)len);
	X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509_VERIFY_PARAM *vp;
	bool good = false;

	if (x && st && ctx && X509_STORE_add_cert(st, x) == 1 &&
	    X509_STORE_CTX_init(ctx, st, x, NULL) == 1) {
		vp = X509_STORE_CTX_get0_param(ctx);
		X509_VERIFY_PARAM_set1_ip_asc(vp, "192.0.2.1");
		X509_VERIFY_PARAM_set_purpose(vp, X509_PURPOSE_SSL_SERVER);
		good = X509_verify_cert(ctx) == 1;
		if (!good)
			diag("verify: %s",
			     X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	X509_free(x);
	BIO_free(b);
	return good;
}

static void test_certs(void)
{
	char dir[] = "/tmp/pp-test-http.XXXXXX", path[4096], err[512];
	uint32_t addrs[2] = { htonl(0xc0000201), htonl(0xc6336401) };
	struct pp_cert_info info;
	char *pem = NULL, *pem2 = NULL, *mixed;
	size_t len, len2;
	struct stat st;
	SSL_CTX *ctx;

	if (!mkdtemp(dir)) {
		ok(false, "mkdtemp");
		return;
	}
	setenv(PP_STATE_DIR_ENV, dir, 1);
	ok(pp_cert_selfsigned(2048, "192.0.2.1", addrs, 2, &pem, &len, err, sizeof(err)) == 0,
	   "a 2048-bit self-signed certificate is made");
	ok(pp_cert_inspect(pem, len, &info, err, sizeof(err)) == 0 && info.has_key &&
	   info.key_matches && info.key_bits == 2048 && !strcmp(info.key_type, "RSA") &&
	   info.self_signed, "it holds its matching RSA-2048 key and is self-signed");
	ok(!strcmp(info.sans, "IP:192.0.2.1, IP:198.51.100.1"),
	   "its subjectAltName names the addresses (%s)", info.sans);
	ok(info.expires > time(NULL) + 800L * 86400 && info.expires < time(NULL) + 826L * 86400,
	   "it is valid for %d days (until %s)", PP_CERT_DAYS, info.not_after);
	ok(verifies_against_itself(pem, len),
	   "OpenSSL verifies it as a TLS server certificate for 192.0.2.1 when trusted (curl --cacert)");
	ok(pp_cert_install(PP_CERT_NORTH, pem, len, err, sizeof(err)) == 0, "it installs");
	pp_cert_path(PP_CERT_NORTH, path, sizeof(path));
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "as %s, mode 0600", path);
	ok(pp_cert_for_interface(true, path, sizeof(path)) == 0 && strstr(path, "https-north.pem") &&
	   pp_cert_for_interface(false, path, sizeof(path)) == -ENOENT,
	   "north serves it, south has none");
	ctx = tls_server_ctx(path[0] ? (pp_cert_path(PP_CERT_NORTH, path, sizeof(path)), path) : "",
			     err, sizeof(err));
	ok(ctx != NULL, "the TLS context loads it");
	if (ctx) {
		ok(SSL_CTX_get_min_proto_version(ctx) == TLS1_2_VERSION &&
		   SSL_CTX_get_max_proto_version(ctx) == TLS1_3_VERSION,
		   "the TLS context speaks TLS 1.2 and 1.3 only");
		ok(SSL_CTX_get_security_level(ctx) == 2, "security level 2 for a 2048-bit key");
		SSL_CTX_free(ctx);
	}
	ok(pp_cert_selfsigned(1024, "x", NULL, 0, &pem2, &len2, err, sizeof(err)) == 0,
	   "1024 bits are allowed (the guide)");
	ok(pp_cert_install(PP_CERT_BOTH, pem2, len2, err, sizeof(err)) == 0 &&
	   pp_cert_for_interface(false, path, sizeof(path)) == 0 && strstr(path, "/https.pem") &&
	   pp_cert_for_interface(true, path, sizeof(path)) == 0 && strstr(path, "https-north.pem"),
	   "a certificate without qualifier serves south; north keeps its own");
	ok(pp_cert_selfsigned(4096, "x", NULL, 0, &mixed, &len, err, sizeof(err)) == -1 &&
	   strstr(err, "1024 or 2048"), "4096 is not a size the guide names: %s", err);
	/* A key that is not the certificate's. */
	{
		char *cert_only = strstr(pem, "-----BEGIN CERTIFICATE-----");
		char *key_end = strstr(pem2, "-----BEGIN CERTIFICATE-----");
		size_t klen = (size_t)(key_end - pem2), clen = strlen(cert_only);

		mixed = malloc(klen + clen + 1);
		memcpy(mixed, pem2, klen);
		memcpy(mixed + klen, cert_only, clen + 1);
		ok(pp_cert_install(PP_CERT_SOUTH, mixed, klen + clen, err, sizeof(err)) == -1 &&
		   strstr(err, "not the certificate's key"), "a mismatched key is refused: %s", err);
		ok(pp_cert_install(PP_CERT_SOUTH, cert_only, clen, err, sizeof(err)) == -1 &&
		   strstr(err, "no private key"), "a certificate alone is refused: %s", err);
		free(mixed);
	}
	ok(pp_cert_install(PP_CERT_SOUTH, "junk", 4, err, sizeof(err)) == -1 &&
	   strstr(err, "no PEM certificate"), "junk is refused: %s", err);
	free(pem);
	free(pem2);
	pp_cert_path(PP_CERT_NORTH, path, sizeof(path));
	unlink(path);
	pp_cert_path(PP_CERT_BOTH, path, sizeof(path));
	unlink(path);
	snprintf(path, sizeof(path), "%s/certs", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	pp_soap_init();
	test_passwords();
	test_httpconf();
	test_httpconf_limits();
	test_form();
	test_soap_parse();
	test_soap_build();
	test_whitelist();
	test_lockout();
	test_certs();
	return done_testing();
}
