// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's pure parts: its settings file, the access rules (which
 * user may have which file), the per-source rate limit and the counters
 * "ppctl show stats" reads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tftpd/policy.h"
#include "../tftpd/ratelimit.h"
#include "../tftpd/replyport.h"
#include "../tftpd/secure.h"
#include "../tftpd/slots.h"
#include "../tftpd/stats.h"
#include "cert.h"
#include "file.h"
#include "tftpdconf.h"
#include "log.h"
#include "ctlsock.h"
#include "tap.h"
#include "tlv.h"

static void test_conf(void)
{
	struct tftpd_conf c, d;
	char err[256];

	tftpd_conf_defaults(&c);
	ok(c.cache_ttl_ms == 5000 && c.upstream_timeout_ms == 3000 &&
	   c.max_blksize == 1468 && c.loglevel == PP_LOG_INFO,
	   "defaults: 5 s cache, 3 s CallManager bound, blksize up to 1468, brief");
	ok(tftpd_conf_parse(&c, "# comment\n\n  set phoneproxy tftp cache timeout 0  # off\n"
			    "set phoneproxy tftp upstream timeout 1500ms\n"
			    "set phoneproxy tftp maxfilesize 8M\nset phoneproxy tftp retransmit 250\n"
			    "set phoneproxy loglevel full\n",
			    "t.conf", err, sizeof(err)) == 0 &&
	   c.cache_ttl_ms == 0 && c.upstream_timeout_ms == 1500 &&
	   c.max_file_size == 8u << 20 && c.retransmit_ms == 250 &&
	   c.loglevel == PP_LOG_DEBUG,
	   "commands, comments, blank lines, sizes and durations");
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp upstream timeout 2\n", "t.conf", err, sizeof(err)) == 0 &&
	   c.upstream_timeout_ms == 2000, "a bare number of seconds");
	d = c;
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp rate 10\nset phoneproxy tftp retries 51\n",
			    "t.conf", err, sizeof(err)) == -1 &&
	   !strcmp(err, "t.conf:2: \"retries\" value \"51\" is not a number in 1..50"),
	   "a bad value names file, line, setting, value and range (%s)", err);
	ok(!memcmp(&c, &d, sizeof(c)), "a refused file changes nothing");
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp cache tll 5\n", "t.conf", err, sizeof(err)) == -1 &&
	   strstr(err, "t.conf:1: \"set phoneproxy tftp cache\": unknown word \"tll\""),
	   "an unknown word is named (%s)", err);
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp retries\n", "t.conf", err, sizeof(err)) == -1 &&
	   strstr(err, "t.conf:1: \"set phoneproxy tftp retries\": missing <count>"),
	   "a setting without a value (%s)", err);
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp rate 1 2\n", "t.conf", err, sizeof(err)) == -1 &&
	   strstr(err, "unexpected word \"2\""), "two values (%s)", err);
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp upstream timeout 61\n", "t.conf", err,
			    sizeof(err)) == -1 && strstr(err, "1000..60000 ms"),
	   "a duration out of range names the range (%s)", err);
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp maxblocksize 70000\n", "t.conf", err, sizeof(err)) == -1,
	   "maxblocksize beyond RFC 2348 is refused");
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp retransmit 2s\n"
			    "set phoneproxy tftp retransmit max 1s\n", "t.conf", err, sizeof(err)) == -1 &&
	   strstr(err, "retransmit max (1000 ms) is below retransmit (2000 ms)"),
	   "a back-off cap below the first timeout is refused");
	ok(tftpd_conf_parse(&c, "set phoneproxy loglevel verbose\n", "t.conf", err,
			    sizeof(err)) == -1 && strstr(err, "(expected min|brief|full)"),
	   "the guide's loglevels only");
	ok(tftpd_conf_load(&c, "/nonexistent/tftpd.conf", true, err, sizeof(err)) == 0,
	   "a missing default file is the defaults");
	ok(tftpd_conf_load(&c, "/nonexistent/tftpd.conf", false, err, sizeof(err)) == -1 &&
	   strstr(err, "/nonexistent/tftpd.conf: No such file"),
	   "a missing file that was asked for is an error naming it");
	ok(tftpd_conf_load(&c, "../tftpd/tftpd.conf", false, err, sizeof(err)) == 0,
	   "the shipped example file parses");
	ok(tftpd_conf_parse(&c, "set phoneproxy loglevel min\n", "t.conf", err, sizeof(err)) == 0 &&
	   c.loglevel == PP_LOG_NOTICE &&
	   tftpd_conf_parse(&c, "set phoneproxy loglevel brief\n", "t.conf", err, sizeof(err)) == 0 &&
	   c.loglevel == PP_LOG_INFO &&
	   tftpd_conf_parse(&c, "set phoneproxy loglevel full\n", "t.conf", err, sizeof(err)) == 0 &&
	   c.loglevel == PP_LOG_DEBUG && !strcmp(tftpd_loglevel_name(PP_LOG_DEBUG), "full") &&
	   !strcmp(tftpd_loglevel_name(PP_LOG_INFO), "brief") &&
	   !strcmp(tftpd_loglevel_name(PP_LOG_NOTICE), "min"),
	   "min/brief/full are notice/info/debug");
}

/* A file's text, "" when it cannot be read (the caller frees it). */
static char *slurp(const char *path)
{
	char *text;
	size_t len;

	return pp_file_read(path, 1 << 20, &text, &len) ? strdup("") : text;
}

/*
 * An old "key value" tftpd.conf: data/tftpd-old.conf is the file shipped
 * before the settings became ppctl commands (git show 00ad8b7^:
 * userspace/tftpd/tftpd.conf), its settings uncommented and four of
 * them changed.
 */
static void test_conf_upgrade(void)
{
	char dir[] = "/tmp/test_tftpd.XXXXXX", path[256], old[256], err[512];
	char *orig = slurp("data/tftpd-old.conf"), *now, *kept;
	struct tftpd_conf c;
	FILE *f;

	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/tftpd.conf", dir);
	snprintf(old, sizeof(old), "%s/tftpd.conf.old", dir);
	ok(*orig && pp_file_write_atomic(path, orig, strlen(orig), 0644) == 0, "an old file in place");
	tftpd_conf_defaults(&c);
	ok(tftpd_conf_load(&c, path, false, err, sizeof(err)) == 0 &&
	   c.loglevel == PP_LOG_DEBUG && c.cache_ttl_ms == 60000 && c.upstream_timeout_ms == 2000 &&
	   c.retransmit_ms == 500 && c.max_transfers_per_address == 16 &&
	   c.cache_max_bytes == 64ull << 20, "the guide's old file is read, its settings kept");
	now = slurp(path);
	kept = slurp(old);
	ok(!strcmp(kept, orig), "the old file is kept as tftpd.conf.old, unchanged");
	ok(strstr(now, "\nset phoneproxy loglevel full\n") &&
	   strstr(now, "\nset phoneproxy tftp cache timeout 60s # as tftp.sh had it\n") &&
	   strstr(now, "\nset phoneproxy tftp retransmit max 4000ms\n") &&
	   strstr(now, "\nset phoneproxy tftp maxtransfers peraddress 16\n") &&
	   strstr(now, "\n# Retransmission to phones: first timeout, back-off cap, tries.\n") &&
	   !strstr(now, "\nretries"), "tftpd.conf is rewritten as ppctl commands, comments kept");
	free(now);
	free(kept);
	unlink(old);
	ok(tftpd_conf_load(&c, path, false, err, sizeof(err)) == 0 && access(old, F_OK) == -1,
	   "a converted file is not converted again");

	f = fopen(path, "w");
	fputs("# old\nretries 5\nmax-blksize 1468\nmax-idle 30\n", f);
	fclose(f);
	ok(tftpd_conf_load(&c, path, false, err, sizeof(err)) == -1 &&
	   strstr(err, "tftpd.conf:4: \"max-idle\" is not a key of the old format") &&
	   strstr(err, dir) && access(old, F_OK) == -1,
	   "an old key it cannot convert names the file, line and key; nothing written");
	now = slurp(path);
	ok(!strcmp(now, "# old\nretries 5\nmax-blksize 1468\nmax-idle 30\n"), "the file stays as it was");
	free(now);
	f = fopen(path, "w");
	fputs("retries 5\nmax-timeout 256\n", f);
	fclose(f);
	ok(tftpd_conf_load(&c, path, false, err, sizeof(err)) == -1 &&
	   strstr(err, "tftpd.conf:2: \"maxtimeout\" value \"256\" is not a number in 1..255") &&
	   access(old, F_OK) == -1, "a value out of range: the converted line's error, nothing written");
	f = fopen(path, "w");
	fputs("retries\n", f);
	fclose(f);
	ok(tftpd_conf_load(&c, path, false, err, sizeof(err)) == -1 &&
	   strstr(err, "tftpd.conf:1: \"retries\" needs one value"), "a key without its value");
	unlink(path);
	rmdir(dir);
	free(orig);
}

static void decide(const char *file, const char *sid, enum tftpd_verdict v,
		   enum tftpd_reason why, const char *what)
{
	struct tftp_file_class fc;
	struct tftpd_decision d;

	tftp_classify(file, &fc);
	tftpd_decide(&fc, sid, &d);
	ok(d.verdict == v && d.reason == why, "%s", what);
	if (d.verdict != v || d.reason != why)
		diag("got verdict %d reason %s", d.verdict, tftpd_reason_name(d.reason));
}

static void test_policy(void)
{
	const char *homer = "SEP001122334455";

	decide("SEP001122334455.cnf.xml", homer, TFTPD_REWRITE, TFTPD_R_NONE,
	       "the user's own configuration file is rewritten");
	decide("sep001122334455.cnf.xml", homer, TFTPD_REWRITE, TFTPD_R_NONE,
	       "the MAC matches case-insensitively");
	decide("SEP0003E348E321.cnf.xml", homer, TFTPD_DENY, TFTPD_R_WRONG_SID,
	       "another device's configuration file: access violation");
	decide("ITLSEP0003E348E321.tlv", homer, TFTPD_DENY, TFTPD_R_WRONG_SID,
	       "another device's trust list: access violation");
	decide("SEP0003E348E321-dialplan.xml", homer, TFTPD_DENY, TFTPD_R_WRONG_SID,
	       "any other file named after another device: access violation");
	decide("CTLSEP001122334455.tlv", homer, TFTPD_NOT_FOUND, TFTPD_R_TRUST_LIST,
	       "the user's own CTL: file not found, never the CallManager's");
	decide("ITLFile.tlv", homer, TFTPD_NOT_FOUND, TFTPD_R_TRUST_LIST,
	       "ITLFile.tlv: file not found");
	decide("SEP001122334455.cnf.xml.sgn", homer, TFTPD_NOT_FOUND, TFTPD_R_SIGNED,
	       "a signed configuration file: file not found");
	decide("SEP001122334455.cnf", homer, TFTPD_NOT_FOUND, TFTPD_R_LEGACY,
	       "a legacy .cnf file: file not found");
	decide("XMLDefault.cnf.xml", homer, TFTPD_REWRITE, TFTPD_R_NONE,
	       "XMLDefault.cnf.xml is rewritten");
	decide("P00308000400.bin", homer, TFTPD_SERVE, TFTPD_R_NONE,
	       "a firmware load passes through");
	decide("SEP001122334455-dialplan.xml", homer, TFTPD_SERVE, TFTPD_R_NONE,
	       "the user's own other files pass through");
	decide("RingList.xml", NULL, TFTPD_SERVE, TFTPD_R_NONE,
	       "not activated (AdHoCuSeR): a generic file passes");
	decide("XMLDefault.cnf.xml", NULL, TFTPD_REWRITE, TFTPD_R_NONE,
	       "not activated: XMLDefault.cnf.xml, rewritten");
	decide("SEP001122334455-dialplan.xml", NULL, TFTPD_DENY, TFTPD_R_NOT_ACTIVATED,
	       "not activated: a device's file is an access violation");
	decide("CTLSEP001122334455.tlv", NULL, TFTPD_NOT_FOUND, TFTPD_R_TRUST_LIST,
	       "not activated: a trust list is not found (as for everyone)");
}

static void test_ratelimit(void)
{
	struct ratelimit rl;
	int i, n = 0;

	ratelimit_init(&rl, 10, 3);
	for (i = 0; i < 10; i++)
		n += ratelimit_take(&rl, 0x0a02000c, 1000);
	ok(n == 3, "a burst of 3 passes, then nothing (%d of 10)", n);
	ok(ratelimit_take(&rl, 0x1402000c, 1000), "another address has its own bucket");
	ok(!ratelimit_take(&rl, 0x0a02000c, 1050), "50 ms later: not yet a token at 10/s");
	ok(ratelimit_take(&rl, 0x0a02000c, 1100), "100 ms later: one token");
	ok(!ratelimit_take(&rl, 0x0a02000c, 1100), "and only one");
	ok(ratelimit_expire(&rl, 1150) == 1 && rl.n == 1,
	   "a full bucket is forgotten, the one still refilling is kept");
	ok(ratelimit_expire(&rl, 5000) == 1 && rl.n == 0, "and later that one too");
	ok(ratelimit_take(&rl, 0x0a02000c, 5000), "a forgotten address starts full");
	ratelimit_fini(&rl);
}

/*
 * Issue 12 item 6: one address cannot hold more than
 * maxtransfers peraddress slots, nor ask for a timeout that lets a
 * transfer it never ACKs hold one for minutes.
 */
static void test_slots(void)
{
	struct tftpd_conf c;
	struct slots s;
	char err[256];
	int i, n = 0;

	tftpd_conf_defaults(&c);
	ok(c.max_transfers_per_address == 16 && c.transfer_lifetime_ms == 900000 &&
	   c.max_timeout == 5, "defaults: 16 transfers per address, 900 s lifetime, timeout <= 5 s");
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp maxtransfers peraddress 4\n"
			    "set phoneproxy tftp transferlifetime 3s\n"
			    "set phoneproxy tftp maxtimeout 2\n", "t.conf", err, sizeof(err)) == 0 &&
	   c.max_transfers_per_address == 4 && c.transfer_lifetime_ms == 3000 &&
	   c.max_timeout == 2, "the three settings parse");
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp maxtimeout 256\n", "t.conf", err,
			    sizeof(err)) == -1 &&
	   !strcmp(err, "t.conf:1: \"maxtimeout\" value \"256\" is not a number in 1..255"),
	   "maxtimeout beyond RFC 2349's 255: %s", err);
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp transferlifetime 0\n", "t.conf", err,
			    sizeof(err)) == -1 && strstr(err, "1000..86400000 ms"), "a zero lifetime is refused: %s", err);
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp maxtransfers peraddress 0\n", "t.conf", err, sizeof(err)) == -1,
	   "a zero per-address cap is refused");

	slots_init(&s, 4);
	for (i = 0; i < 4096; i++)
		n += slots_take(&s, 0xc6336405);
	ok(n == 4 && slots_held(&s, 0xc6336405) == 4,
	   "one address asking 4096 times gets 4 slots (%d)", n);
	ok(slots_take(&s, 0xc6336406) && slots_held(&s, 0xc6336406) == 1 && s.naddrs == 2,
	   "another address still gets one");
	slots_put(&s, 0xc6336405);
	ok(slots_held(&s, 0xc6336405) == 3 && slots_take(&s, 0xc6336405) &&
	   !slots_take(&s, 0xc6336405), "an ended transfer frees one slot, and only one");
	for (i = 0; i < 4; i++)
		slots_put(&s, 0xc6336405);
	slots_put(&s, 0xc6336405);
	ok(slots_held(&s, 0xc6336405) == 0 && s.naddrs == 1,
	   "an address without transfers is forgotten (a put too many is harmless)");
	slots_fini(&s);
	ok(slots_grant_timeout(1, 5) == 1 && slots_grant_timeout(5, 5) == 5 &&
	   slots_grant_timeout(6, 5) == 0 && slots_grant_timeout(255, 5) == 0,
	   "timeout=255 is declined, up to maxtimeout is granted as asked (RFC 2349)");
}

/*
 * Issue 18 item 10: replyport, and the table of addresses answered from
 * port 69 in "replyport auto": one entry per address, bounded in all,
 * each for a bounded time.
 */
static void test_replyport(void)
{
	struct tftpd_conf c;
	struct replyport t;
	char err[256];
	bool sw;
	uint32_t a = 0x0a0200c0, b = 0x0b0200c0;	/* 192.0.2.10, .11 */
	uint16_t p = 0x3930, q = 0x3a30;		/* ports 12345, 12346 */
	int i, n = 0;

	tftpd_conf_defaults(&c);
	ok(c.reply_port == TFTPD_REPLY_AUTO, "default: replyport auto");
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp replyport port69\n", "t.conf", err,
			    sizeof(err)) == 0 && c.reply_port == TFTPD_REPLY_PORT69 &&
	   tftpd_conf_parse(&c, "set phoneproxy tftp replyport new-port\n", "t.conf", err,
			    sizeof(err)) == 0 && c.reply_port == TFTPD_REPLY_NEW_PORT,
	   "replyport port69 and new-port parse");
	ok(tftpd_conf_parse(&c, "set phoneproxy tftp replyport 69\n", "t.conf", err,
			    sizeof(err)) == -1 && c.reply_port == TFTPD_REPLY_NEW_PORT &&
	   strstr(err, "t.conf:1: ") && strstr(err, "unknown word \"69\" (expected new-port|port69|auto)"),
	   "a bad replyport names file, line, value and the choices: %s", err);

	replyport_init(&t, 3, 1000, 10000);
	ok(!replyport_port69(&t, a, p, "SEPX.cnf.xml", 0, &sw) && !sw,
	   "an address never seen is answered from a new port");
	replyport_suspect(&t, a, p, "SEPX.cnf.xml", 100);
	ok(!replyport_port69(&t, a, q, "SEPX.cnf.xml", 200, &sw) && !sw &&
	   !replyport_port69(&t, a, p, "RingList.xml", 200, &sw) && !sw,
	   "a suspect: another port or another file is not its request again");
	ok(replyport_port69(&t, a, p, "SEPX.cnf.xml", 300, &sw) && sw &&
	   replyport_marked(&t, 300) == 1,
	   "the suspect request again: the address switches to port 69");
	ok(replyport_port69(&t, a, q, "RingList.xml", 400, &sw) && !sw,
	   "then any request of that address is answered from port 69");
	replyport_suspect(&t, a, q, "X", 500);
	ok(replyport_port69(&t, a, p, "Y", 600, &sw) && !sw,
	   "a marked address is not made a suspect again");
	ok(!replyport_port69(&t, a, p, "Y", 300 + 10000, &sw),
	   "port 69 for a bounded time (remember_ms)");
	replyport_suspect(&t, b, p, "F", 0);
	ok(!replyport_port69(&t, b, p, "F", 1000, &sw) && replyport_expire(&t, 20000) == 2 &&
	   t.n == 0, "a suspect lasts suspect_ms; expired entries are dropped");

	for (i = 0; i < 4096; i++)
		replyport_suspect(&t, a, (uint16_t)i, "F", 2000);
	ok(t.n == 1, "one entry per address, however many ports it uses (%zu)", t.n);
	replyport_mark(&t, b, 2000);
	for (i = 0; i < 4096; i++)
		replyport_suspect(&t, 0x01000000u + (uint32_t)i, p, "F", 3000);
	ok(t.n == 3, "at most max entries in all (%zu)", t.n);
	n = replyport_port69(&t, b, p, "F", 3000, &sw);
	ok(!n, "a full table drops its least recently used entry");
	replyport_fini(&t);
	ok(t.n == 0, "fini empties it");
}

static void test_stats(void)
{
	struct tftpd_stats s;
	struct tftpd_gauges g = { .transfers_active = 2, .loglevel = "brief" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	memset(&s, 0, sizeof(s));
	s.requests = 12;
	s.denied_wrong_sid = 3;
	s.upstream_timeouts = 1;
	tftpd_stats_write(f, &s, &g);
	fclose(f);
	ok(buf && !strncmp(buf, "requests 12\nserved 0\n", 21),
	   "counters as \"name value\" lines, requests first");
	ok(strstr(buf, "\ndenied_wrong_sid 3\n") && strstr(buf, "\nupstream_timeouts 1\n") &&
	   strstr(buf, "\nrewritten 0\n") && strstr(buf, "\nnot_found_trust_list 0\n"),
	   "denied by reason, rewritten, CallManager errors");
	ok(strstr(buf, "\ntransfers_active 2\n") && strstr(buf, "\nloglevel brief\n"),
	   "then the gauges");
	ok(strstr(buf, "\nrefused_per_address 0\n") &&
	   strstr(buf, "\ntransfer_lifetime_expired 0\n") &&
	   strstr(buf, "\ntimeout_option_declined 0\n"),
	   "the refusals of issue 12 item 6 are counted");
	{
		char err[256] = "";

		ok(pp_ctl_stats_parse(buf, NULL, NULL, err, sizeof(err)) > 20,
		   "the reply is in the control sockets' stats format (lib/ctlsock.h) %s", err);
	}
	free(buf);
}

/* Secure SCCP: which names are served from ctl/ or signed here. */
static void test_secure_names(void)
{
	char plain[64];

	ok(secure_ctl_name("CTLFile.tlv") && secure_ctl_name("CTLSEP001122334455.tlv") &&
	   secure_ctl_name("CTLSEP00AABBCCDDEE.tlv"),
	   "CTLFile.tlv and CTLSEP<MAC>.tlv are trust lists pp-tftpd serves");
	ok(!secure_ctl_name("ITLFile.tlv") && !secure_ctl_name("ctlfile.tlv") &&
	   !secure_ctl_name("/CTLFile.tlv") && !secure_ctl_name("CTLFile.tlv.bak") &&
	   !secure_ctl_name("CTLSEP00112233445.tlv") && !secure_ctl_name("CTLSEP0011223344556.tlv") &&
	   !secure_ctl_name("CTLSEP00112233445G.tlv") && !secure_ctl_name("CTLSEP00aabbccddee.tlv") &&
	   !secure_ctl_name("CTLSEP001122334455.tlv/") && !secure_ctl_name("../ctl/CTLFile.tlv") &&
	   !secure_ctl_name("sast1.pem") && !secure_ctl_name(""),
	   "any other name, spelling, path or length is not (ITL, lower case, /, ..)");
	ok(secure_sgn_name("SEP001122334455.cnf.xml.sgn", plain, sizeof(plain)) &&
	   !strcmp(plain, "SEP001122334455.cnf.xml"),
	   "SEP<MAC>.cnf.xml.sgn is signed here, from SEP<MAC>.cnf.xml");
	ok(!secure_sgn_name("SEP001122334455.cnf.xml.enc.sgn", plain, sizeof(plain)) &&
	   !secure_sgn_name("XMLDefault.cnf.xml.sgn", plain, sizeof(plain)) &&
	   !secure_sgn_name("/SEP001122334455.cnf.xml.sgn", plain, sizeof(plain)) &&
	   !secure_sgn_name("SEP00112233445.cnf.xml.sgn", plain, sizeof(plain)) &&
	   !secure_sgn_name("SEP001122334455.cnf.xml.sgn", plain, 10),
	   "not the encrypted .enc.sgn, a default file, a path, a short MAC or a short buffer");
}

static int write_tftp_key(const char *cn, char *err, size_t errlen)
{
	char *pem;
	size_t len;
	int rc;

	if (pp_cert_selfsigned(2048, cn, NULL, 0, &pem, &len, err, errlen))
		return -1;
	rc = pp_cert_install(PP_CERT_TFTP, pem, len, err, errlen);
	free(pem);
	return rc;
}

static void test_secure_files(void)
{
	char dir[] = "/tmp/pp-test-secure-XXXXXX", path[256], err[512];
	static const unsigned char cnf[] = "<device><deviceSecurityMode>3</deviceSecurityMode></device>\n";
	struct tftpd_secure s = { 0 };
	unsigned char *a = NULL, *b = NULL, *c = NULL, *f = NULL;
	const unsigned char *body;
	size_t alen = 0, blen = 0, clen = 0, flen = 0, bodylen;
	X509 *cert1 = NULL;
	int rc;

	if (!mkdtemp(dir)) {
		ok(0, "a state directory for the test");
		return;
	}
	setenv("PP_STATE_DIR", dir, 1);
	ok(secure_sign(&s, "SEP001122334455.cnf.xml.sgn", cnf, sizeof(cnf) - 1, &a, &alen,
		       err, sizeof(err)) == -1 && strstr(err, "no TFTP key") && strstr(err, "tftp.pem"),
	   "no tftp.pem: nothing is signed, and the error names the file");
	diag("%s", err);
	ok(write_tftp_key("proxy-tftp-1", err, sizeof(err)) == 0, "a TFTP key (%s)", err);
	ok(secure_sign(&s, "SEP001122334455.cnf.xml.sgn", cnf, sizeof(cnf) - 1, &a, &alen,
		       err, sizeof(err)) == 0, "the configuration is signed (%s)", err);
	cert1 = s.cert ? X509_dup(s.cert) : NULL;
	ok(a && cert1 && pp_sgn_verify(a, alen, cert1, &body, &bodylen, err, sizeof(err)) == 0 &&
	   bodylen == sizeof(cnf) - 1 && !memcmp(body, cnf, bodylen),
	   "the .sgn verifies with the TFTP certificate and carries the file byte for byte");
	ok(secure_sign(&s, "SEP001122334455.cnf.xml.sgn", cnf, sizeof(cnf) - 1, &b, &blen,
		       err, sizeof(err)) == 0 && blen == alen && !memcmp(a, b, alen),
	   "the same content again: the same bytes, from the cache (signed once)");
	free(b);
	b = NULL;
	ok(secure_sign(&s, "SEP001122334455.cnf.xml.sgn", cnf, sizeof(cnf) - 2, &b, &blen,
		       err, sizeof(err)) == 0 &&
	   pp_sgn_verify(b, blen, cert1, &body, &bodylen, err, sizeof(err)) == 0 &&
	   bodylen == sizeof(cnf) - 2, "other content: signed anew");
	sleep(1);	/* a new mtime for tftp.pem, whatever the file system */
	ok(write_tftp_key("proxy-tftp-2", err, sizeof(err)) == 0, "a new TFTP key");
	ok(secure_sign(&s, "SEP001122334455.cnf.xml.sgn", cnf, sizeof(cnf) - 1, &c, &clen,
		       err, sizeof(err)) == 0 &&
	   pp_sgn_verify(c, clen, cert1, &body, &bodylen, err, sizeof(err)) == -1 &&
	   pp_sgn_verify(c, clen, s.cert, &body, &bodylen, err, sizeof(err)) == 0,
	   "tftp.pem changed: reloaded, the old cache dropped, signed by the new key");
	secure_fini(&s);

	/* The trust lists of ctl/. */
	rc = secure_ctl_read("CTLFile.tlv", &f, &flen, err, sizeof(err));
	ok(rc == -ENOENT, "no ctl/CTLFile.tlv: -ENOENT, the caller says file not found");
	snprintf(path, sizeof(path), "%s/ctl/CTLFile.tlv", dir);
	ok(pp_file_write_atomic(path, "a trust list", 12, 0600) == 0 &&
	   secure_ctl_read("CTLFile.tlv", &f, &flen, err, sizeof(err)) == 0 &&
	   flen == 12 && !memcmp(f, "a trust list", 12), "ctl/CTLFile.tlv is read as it is");
	free(f);
	f = NULL;
	snprintf(path, sizeof(path), "%s/ctl/CTLSEP001122334455.tlv", dir);
	ok(symlink("CTLFile.tlv", path) == 0 &&
	   secure_ctl_read("CTLSEP001122334455.tlv", &f, &flen, err, sizeof(err)) == -1 &&
	   strstr(err, "not a regular file"), "a symbolic link is refused (%s)", err);
	snprintf(path, sizeof(path), "%s/ctl/CTLSEP00112233AA01.tlv", dir);
	{
		char *big = calloc(1, PP_TLV_FILE_MAX + 1);

		ok(big && pp_file_write_atomic(path, big, PP_TLV_FILE_MAX + 1, 0600) == 0 &&
		   secure_ctl_read("CTLSEP00112233AA01.tlv", &f, &flen, err, sizeof(err)) == -1 &&
		   strstr(err, "larger"), "a file beyond PP_TLV_FILE_MAX is refused (%s)", err);
		free(big);
	}
	ok(secure_ctl_read("../certs/tftp.pem", &f, &flen, err, sizeof(err)) == -1 &&
	   strstr(err, "not a trust list name"), "a name outside the two is never opened");
	free(a);
	free(b);
	free(c);
	X509_free(cert1);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		diag("could not remove %s", dir);
}

int main(void)
{
	test_conf();
	test_conf_upgrade();
	test_policy();
	test_ratelimit();
	test_slots();
	test_replyport();
	test_stats();
	test_secure_names();
	test_secure_files();
	return done_testing();
}
