// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The declaration of every setting (settings.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "grammar.h"
#include "heartbeat.h"
#include "httpconf.h"
#include "log.h"
#include "ops.h"
#include "parse.h"
#include "settings.h"
#include "tftp.h"
#include "tlsdconf.h"

#define FIELD(t, f)	.off = offsetof(struct t, f), .size = sizeof(((struct t *)0)->f)
#define CFG(a, f)	.attr = (a), FIELD(pp_config, f)
#define HTTPD(f)	FIELD(pp_httpconf, f)
#define TLSD(f)		FIELD(pp_tlsdconf, f)
#define HB(f)		FIELD(pp_hbconf, f)
#define TFTPD(f, w, d, lo, hi)	FIELD(tftpd_conf, f), .what = (w), .def = (d), .min = (lo), .max = (hi)
#define TFTP(w, v, f, d, lo, hi, h)	{ "set phoneproxy tftp " w " " v, h, PP_HOLD_TFTPD, \
	PP_SK_NUM, TFTPD(f, "tftp " w, d, lo, hi) }

const struct pp_setting pp_settings[PP_S_COUNT] = {
	[PP_S_ACT_MODE] = { "set phoneproxy activation mode {required|open}",
	  "phones must be activated (required), or any phone may connect (open)",
	  PP_HOLD_MODULE, PP_SK_CHOICE, CFG(PP_A_CFG_ACT_MODE, act_mode),
	  { PP_ACT_MODE_REQUIRED, PP_ACT_MODE_OPEN }, "activation mode",
	  .def = PP_ACT_MODE_REQUIRED },
	[PP_S_IDLE_TIMEOUT] = { "set phoneproxy activation idletimeout <seconds>",
	  "inactivate an activation not connected this long (0 = never; default 300)",
	  PP_HOLD_MODULE, PP_SK_NUM, CFG(PP_A_CFG_IDLE_TIMEOUT, idle_timeout),
	  { 0 }, "idletimeout", .def = PP_DEFAULT_IDLE_TIMEOUT },
	[PP_S_AUTH_TIMEOUT] = { "set phoneproxy activation authtimeout <seconds>",
	  "inactivate every activation this long after it was made (0 = never; default 0)",
	  PP_HOLD_MODULE, PP_SK_NUM, CFG(PP_A_CFG_AUTH_TIMEOUT, auth_timeout),
	  { 0 }, "authtimeout", .def = PP_DEFAULT_AUTH_TIMEOUT },
	[PP_S_HTTP] = { "set phoneproxy http {enable|disable}",
	  "the user activation web page on the north address (TCP 80/443)",
	  PP_HOLD_MODULE, PP_SK_CHOICE, CFG(PP_A_CFG_HTTP, http), { 1, 0 }, "http",
	  .def = 1 },
	[PP_S_HTTPPROXY] = { "set phoneproxy httpproxy {enable|disable}",
	  "the HTTP proxy for the phones' services (TCP 8088)",
	  PP_HOLD_MODULE, PP_SK_CHOICE, CFG(PP_A_CFG_HTTPPROXY, httpproxy),
	  { 1, 0 }, "httpproxy", .def = 0 },
	[PP_S_SCCP_SECURITY] = { "set phoneproxy sccp security {on|off}",
	  "secure SCCP for the remote phones (TCP 2443)",
	  PP_HOLD_MODULE, PP_SK_CHOICE, CFG(PP_A_CFG_SCCP_SECURITY, sccp_security),
	  { 1, 0 }, "sccp security", .def = 0 },
	[PP_S_RTP_PORTS] = { "set phoneproxy rtp ports <min:port> <max:port>",
	  "the UDP ports for media (default 20480 21680)",
	  PP_HOLD_MODULE, PP_SK_PORTS, CFG(PP_A_CFG_RTP_PORT_MIN, rtp_port_min),
	  { 0 }, "rtp ports", .def = PP_DEFAULT_RTP_PORT_MIN, .def2 = PP_DEFAULT_RTP_PORT_MAX },
	[PP_S_MEDIA_TIMEOUT] = { "set phoneproxy media timeout <seconds>",
	  "end a media stream that relayed no packet this long (0 = never; default 60)",
	  PP_HOLD_MODULE, PP_SK_NUM, CFG(PP_A_CFG_MEDIA_TIMEOUT, media_timeout),
	  { 0 }, "media timeout", .def = PP_DEFAULT_MEDIA_TIMEOUT },
	[PP_S_MAX_CONNS] = { "set phoneproxy sccp maxconnections <connections>",
	  "SCCP connections one activation may have open (1..64; default 4)",
	  PP_HOLD_MODULE, PP_SK_NUM, CFG(PP_A_CFG_MAX_CONNS, max_conns),
	  { 0 }, "sccp maxconnections", .def = PP_DEFAULT_MAX_CONNS },
	[PP_S_MAX_STREAMS] = { "set phoneproxy media maxstreams <streams>",
	  "media streams one activation may have (1..1024; default 8)",
	  PP_HOLD_MODULE, PP_SK_NUM, CFG(PP_A_CFG_MAX_STREAMS, max_streams),
	  { 0 }, "media maxstreams", .def = PP_DEFAULT_MAX_STREAMS },
	[PP_S_SRTP_SUITE] = { "set phoneproxy media srtp {aes_cm_128_hmac_sha1_32|aes_cm_128_hmac_sha1_80}",
	  "the SRTP suite of the keys given to secure phones (default aes_cm_128_hmac_sha1_32)",
	  PP_HOLD_MODULE, PP_SK_CHOICE, CFG(PP_A_CFG_SRTP_SUITE, srtp_suite),
	  { PP_SRTP_SUITE_SHA1_32, PP_SRTP_SUITE_SHA1_80 }, "media srtp",
	  .def = PP_SRTP_SUITE_SHA1_32 },
	[PP_S_INTERFACE] = { "set interface {north|south} address <ip>",
	  "the host address facing the phones (north) or the CallManager (south); 0.0.0.0 unsets",
	  PP_HOLD_MODULE, PP_SK_ADDR, CFG(PP_A_CFG_NORTH_ADDR, north_addr),
	  { 0 }, "address", .unset_help = "unbind the role (as address 0.0.0.0)" },

	/* pp-httpd's (httpd.conf): printed when not the default. */
	[PP_S_HTTP_PUBLISH] = { "set phoneproxy http publish {webpage|webservice}",
	  "publish the activation web page (north) or web service (south)",
	  PP_HOLD_HTTPD, PP_SK_FLAG, HTTPD(webpage), .what = "http publish",
	  .unset_help = "stop publishing the web page or the web service" },
	[PP_S_HTTPPROXY_MODE] = { "set phoneproxy httpproxy mode {internal|external}",
	  "fetch through the south address (internal) or an external proxy",
	  PP_HOLD_HTTPD, PP_SK_CHOICE, HTTPD(mode), { PP_PROXY_INTERNAL, PP_PROXY_EXTERNAL },
	  "httpproxy mode", .def = PP_PROXY_INTERNAL },
	[PP_S_HTTPPROXY_EXTERNAL] = { "set phoneproxy httpproxy externaladdress <ip>",
	  "the external HTTP proxy (port 8088) used in mode external",
	  PP_HOLD_HTTPD, PP_SK_ADDR, HTTPD(external_addr), .what = "externaladdress",
	  .unset_help = "forget the external HTTP proxy" },
	[PP_S_HTTPPROXY_ALLOW] = { "set phoneproxy httpproxy allow <url:url>",
	  "let the phones fetch URLs matching this pattern (* is a wildcard)",
	  PP_HOLD_HTTPD, PP_SK_LIST, .what = "httpproxy allow",
	  .unset_help = "remove a pattern from the HTTP proxy's allow list" },
	[PP_S_HTTP_MAX_CONNS] = { "set phoneproxy http maxconnections <count>",
	  "connections pp-httpd holds at most, all clients together (default 4096)",
	  PP_HOLD_HTTPD, PP_SK_NUM, HTTPD(max_conns), .what = "maxconnections",
	  .def = 4096, .min = 1, .max = 1000000 },
	[PP_S_HTTP_PER_ADDR] = { "set phoneproxy http maxconnections peraddress <count>",
	  "connections one client address may hold (default 32)",
	  PP_HOLD_HTTPD, PP_SK_NUM, HTTPD(max_conns_per_addr), .what = "peraddress",
	  .def = 32, .min = 1, .max = 1000000 },
	[PP_S_HTTP_HEADER_TIMEOUT] = { "set phoneproxy http headertimeout <seconds>",
	  "seconds a whole request head may take to arrive (default 10)",
	  PP_HOLD_HTTPD, PP_SK_NUM, HTTPD(header_timeout), .what = "headertimeout",
	  .def = 10, .min = 1, .max = 3600 },
	[PP_S_HTTP_BODY_TIMEOUT] = { "set phoneproxy http bodytimeout <seconds>",
	  "seconds a whole request body may take to arrive (default 20)",
	  PP_HOLD_HTTPD, PP_SK_NUM, HTTPD(body_timeout), .what = "bodytimeout",
	  .def = 20, .min = 1, .max = 3600 },

	/* pp-tftpd's (tftpd.conf): <time> and <ms> are held in ms. */
	/* The daemons' log detail (pp-tftpd's is the only one yet). */
	[PP_S_TFTP_LOGLEVEL] = { "set phoneproxy loglevel {min|brief|full}",
	  "how much the daemons log: min (errors, denials), brief (+ every file), full (+ options, cache, retransmissions)",
	  PP_HOLD_TFTPD, PP_SK_CHOICE, .values = { PP_LOG_NOTICE, PP_LOG_INFO, PP_LOG_DEBUG },
	  TFTPD(loglevel, "loglevel", PP_LOG_INFO, 0, 0) },
	[PP_S_TFTP_CACHE_TTL] = TFTP("cache timeout", "<time>", cache_ttl_ms, 5000, 0, 3600000,
	  "serve a file fetched from a CallManager this long (0: no cache; default 5s)"),
	[PP_S_TFTP_CACHE_SIZE] = TFTP("cache size", "<size>", cache_max_bytes, 64ull << 20, 0,
	  1ull << 34, "the cache's size (default 64M)"),
	[PP_S_TFTP_MAX_FILE] = TFTP("maxfilesize", "<size>", max_file_size, 32ull << 20, 1,
	  1ull << 32, "the largest file relayed (default 32M)"),
	[PP_S_TFTP_MAX_CONFIG] = TFTP("maxconfigsize", "<size>", max_config_size, 1ull << 20, 1024,
	  64ull << 20, "the largest configuration file rewritten (default 1M)"),
	[PP_S_TFTP_UP_TIMEOUT] = TFTP("upstream timeout", "<time>", upstream_timeout_ms, 3000,
	  1000, 60000, "a CallManager silent this long gets the phone an error (default 3s)"),
	[PP_S_TFTP_UP_BLKSIZE] = TFTP("upstream blocksize", "<count>", upstream_blksize, 1428,
	  TFTP_BLKSIZE_DEFAULT, TFTP_BLKSIZE_MAX, "the block size asked of the CallManager (default 1428)"),
	[PP_S_TFTP_RETRANSMIT] = TFTP("retransmit", "<ms>", retransmit_ms, 1000, 10, 60000,
	  "the first retransmission to a phone (default 1000ms)"),
	[PP_S_TFTP_RETRANSMIT_MAX] = TFTP("retransmit max", "<ms>", retransmit_max_ms, 4000, 10,
	  60000, "the retransmission back-off's cap (default 4000ms)"),
	[PP_S_TFTP_RETRIES] = TFTP("retries", "<count>", retries, 5, 1, 50,
	  "retransmissions before giving up (default 5)"),
	[PP_S_TFTP_MAX_BLKSIZE] = TFTP("maxblocksize", "<count>", max_blksize, 1468,
	  TFTP_BLKSIZE_DEFAULT, TFTP_BLKSIZE_MAX,
	  "the largest block size granted to a phone (default 1468, fits a 1500-byte MTU)"),
	[PP_S_TFTP_RATE] = TFTP("rate", "<count>", rate, 20, 1, 1000000,
	  "requests per second per phone address (default 20)"),
	[PP_S_TFTP_BURST] = TFTP("rate burst", "<count>", burst, 40, 1, 1000000,
	  "the request rate's burst (default 40)"),
	[PP_S_TFTP_MAX_TRANSFERS] = TFTP("maxtransfers", "<count>", max_transfers, 4096, 1, 1000000,
	  "requests in progress at once, all phones together (default 4096)"),
	[PP_S_TFTP_PER_ADDR] = TFTP("maxtransfers peraddress", "<count>", max_transfers_per_address,
	  16, 1, 1000000, "requests in progress from one address (default 16)"),
	[PP_S_TFTP_LIFETIME] = TFTP("transferlifetime", "<time>", transfer_lifetime_ms, 900000,
	  1000, 86400000, "the longest a transfer may take, request to last ACK (default 900s)"),
	[PP_S_TFTP_MAX_TIMEOUT] = TFTP("maxtimeout", "<seconds:count>", max_timeout, 5, 1, 255,
	  "the largest RFC 2349 timeout granted to a phone (default 5)"),
	[PP_S_TFTP_REPLY_PORT] = { "set phoneproxy tftp replyport {new-port|port69|auto}",
	  "answer a good request from a new port (RFC 1350), from port 69, or from port 69 only for an address whose first reply went unanswered (behind a NAT without a TFTP helper; default auto)",
	  PP_HOLD_TFTPD, PP_SK_CHOICE,
	  .values = { TFTPD_REPLY_NEW_PORT, TFTPD_REPLY_PORT69, TFTPD_REPLY_AUTO },
	  TFTPD(reply_port, "tftp replyport", TFTPD_REPLY_AUTO, 0, 0) },

	/* pp-tlsd's (tlsd.conf, docs/secure-sccp.md): printed when not the default. */
	[PP_S_TLS_CAFILE] = { "set phoneproxy sccp security cafile <file>",
	  "verify and require the phones' client certificates against this PEM CA bundle (none: any)",
	  PP_HOLD_TLSD, PP_SK_FILE, TLSD(cafile), .what = "cafile" },
	[PP_S_TLS_HANDSHAKE_TIMEOUT] = { "set phoneproxy sccp security handshaketimeout <seconds>",
	  "seconds a phone's whole TLS handshake may take (default 10)",
	  PP_HOLD_TLSD, PP_SK_NUM, TLSD(handshake_timeout), .what = "handshaketimeout",
	  .def = 10, .min = 1, .max = 300 },
	[PP_S_TLS_MAX_CONNS] = { "set phoneproxy sccp security maxconnections <count>",
	  "TLS connections pp-tlsd holds at most, all phones together (default 4096)",
	  PP_HOLD_TLSD, PP_SK_NUM, TLSD(max_conns), .what = "maxconnections",
	  .def = 4096, .min = 1, .max = 1000000 },
	[PP_S_TLS_PER_ADDR] = { "set phoneproxy sccp security maxconnections peraddress <count>",
	  "TLS connections (handshakes included) one source address may hold (default 8)",
	  PP_HOLD_TLSD, PP_SK_NUM, TLSD(max_conns_per_addr), .what = "peraddress",
	  .def = 8, .min = 1, .max = 1000000 },
	[PP_S_TLS_MAX_HANDSHAKES] = { "set phoneproxy sccp security maxhandshakes <count>",
	  "TLS handshakes in progress at most, all addresses together (default 256)",
	  PP_HOLD_TLSD, PP_SK_NUM, TLSD(max_handshakes), .what = "maxhandshakes",
	  .def = 256, .min = 1, .max = 1000000 },

	/* The heartbeat pair (docs/heartbeat.md), the guide's steps in order.
	 * The virtual addresses are the module's (its firewall and the
	 * daemons follow them); the rest is ppctl's heartbeat.conf. */
	[PP_S_VIRT_ADDR] = { "set interface {virtnorth|virtsouth} address <ip>",
	  "the heartbeat pair's shared north (TFTP, web page) or south (web service) address; the same on both nodes",
	  PP_HOLD_MODULE, PP_SK_ADDR, CFG(PP_A_CFG_VIRT_NORTH_ADDR, virt_north_addr),
	  { 0 }, "virtual address", .unset_help = "forget the virtual address (as address 0.0.0.0)" },
	[PP_S_HB_IFACE] = { "set interface {mgmt|cluster} address <ip>",
	  "the host address of the management or the cluster network (the heartbeat talks on cluster)",
	  PP_HOLD_HEARTBEAT, PP_SK_ADDR, HB(mgmt_addr), .what = "address",
	  .unset_help = "unbind the role" },
	[PP_S_HB_GROUP] = { "set heartbeat group <name:group>",
	  "the pair's name, the same on both nodes: its VRRP password (1..8 letters, digits, - _ .)",
	  PP_HOLD_HEARTBEAT, PP_SK_TEXT, HB(group), .what = "heartbeat group" },
	[PP_S_HB_PEER] = { "set heartbeat peer <ip>",
	  "the other node's cluster address (VRRP goes to it by unicast)",
	  PP_HOLD_HEARTBEAT, PP_SK_ADDR, HB(peer), .what = "heartbeat peer",
	  .unset_help = "forget the peer" },
	[PP_S_HB_MANAGE] = { "set heartbeat manage {tftp|http}",
	  "move the virtual addresses away from this node when pp-tftpd (tftp) or pp-httpd (http) is not serving",
	  PP_HOLD_HEARTBEAT, PP_SK_FLAG, HB(manage_tftp), .what = "heartbeat manage",
	  .unset_help = "stop watching that service" },
	[PP_S_HB_PREFERRED] = { "set heartbeat preferred <node:hostname>",
	  "the host name of the node that holds the virtual addresses when both are up; the same on both nodes",
	  PP_HOLD_HEARTBEAT, PP_SK_TEXT, HB(preferred), .what = "heartbeat preferred" },
	[PP_S_HB_ENABLE] = { "set heartbeat {enable|disable}",
	  "run keepalived with the pair's configuration, or stop it (default disable)",
	  PP_HOLD_HEARTBEAT, PP_SK_CHOICE, HB(enabled), { 1, 0 }, "heartbeat", .def = 0 },
};

/* Field i of s in base (a struct pp_config or pp_httpconf): the fields of
 * a pair (north and south address, the RTP ports, webpage and webservice)
 * are adjacent, as are the attributes of the module's. */
static void *field(const struct pp_setting *s, const void *base, int i)
{
	return (char *)base + s->off + (size_t)i * s->size;
}

static uint64_t load(const struct pp_setting *s, const void *base, int i)
{
	const void *p = field(s, base, i);

	return s->size == 1 ? *(const uint8_t *)p : s->size == 2 ? *(const uint16_t *)p :
		s->size == 4 ? *(const uint32_t *)p : *(const uint64_t *)p;
}

static void store(const struct pp_setting *s, void *base, int i, uint64_t x)
{
	void *p = field(s, base, i);

	if (s->size == 1)
		*(uint8_t *)p = (uint8_t)x;
	else if (s->size == 2)
		*(uint16_t *)p = (uint16_t)x;
	else if (s->size == 4)
		*(uint32_t *)p = (uint32_t)x;
	else
		*(uint64_t *)p = x;
}

/* The "unset" of s: the default back (both values of a pair), the flag
 * or the address of the choice cleared, the file none, or one entry off
 * the list. */
static int setting_unset(const struct pp_setting *s, const struct ppctl_cmd *cmd,
			 struct pp_config *cfg, void *hc, char *err, size_t errlen)
{
	void *base = s->holder == PP_HOLD_MODULE ? (void *)cfg : hc;
	bool which = s->kind == PP_SK_ADDR || s->kind == PP_SK_FLAG;
	int i, at = which && cmd->choice > 0 ? cmd->choice : 0;
	uint64_t v[2] = { which ? 0 : s->def, s->def2 };

	if (s->kind == PP_SK_LIST)
		return pp_httpconf_allow_remove(hc, cmd->text, err, errlen);
	if (s->kind == PP_SK_FILE || s->kind == PP_SK_TEXT) {
		memset(field(s, hc, 0), 0, s->size);
		return 0;
	}
	for (i = 0; i < (s->kind == PP_SK_PORTS ? 2 : 1); i++) {
		store(s, base, at + i, v[i]);
		if (s->holder == PP_HOLD_MODULE)
			cfg->present |= PP_CFG_BIT(s->attr + at + i);
	}
	return 0;
}

int pp_setting_apply(const struct ppctl_cmd *cmd, struct pp_config *cfg,
		     void *hc, char *err, size_t errlen)
{
	const struct pp_setting *s = cmd->def->setting;
	void *base = s->holder == PP_HOLD_MODULE ? (void *)cfg : hc;
	int i, n = s->kind == PP_SK_PORTS ? 2 : 1;
	int at = s->kind == PP_SK_ADDR || s->kind == PP_SK_FLAG ? cmd->choice : 0;
	/* Only one of seconds, count and value is parsed (the others stay 0). */
	uint64_t v[2] = { s->kind == PP_SK_ADDR ? cmd->addr : s->kind == PP_SK_PORTS ?
			  cmd->ports[0] : s->kind == PP_SK_CHOICE && cmd->choice >= 0 ?
			  s->values[cmd->choice] :
			  s->kind == PP_SK_FLAG ? 1 : cmd->seconds | cmd->count | cmd->value,
			  cmd->ports[1] };

	if (cmd->def->unset)
		return setting_unset(s, cmd, cfg, hc, err, errlen);
	if (at < 0)
		at = 0;
	if (s->kind == PP_SK_LIST)
		return pp_httpconf_allow_add(hc, cmd->text, err, errlen);
	if (s->kind == PP_SK_TEXT) {
		/* The grammar checked the word and its length. */
		if (strlen(cmd->text) >= s->size) {
			pp_errf(err, errlen, "\"%s\" value is longer than %u bytes", s->what,
				s->size - 1);
			return -EINVAL;
		}
		strcpy(field(s, hc, 0), cmd->text);
		return 0;
	}
	if (s->kind == PP_SK_FILE) {
		const char *path = strcmp(cmd->file, "none") ? cmd->file : "";

		if (*path != '/' && *path) {
			pp_errf(err, errlen, "\"%s\" value \"%s\" is not an absolute path (or none)",
				s->what, path);
			return -EINVAL;
		}
		if (strlen(path) >= s->size) {
			pp_errf(err, errlen, "\"%s\" value is longer than %u bytes", s->what,
				s->size - 1);
			return -EINVAL;
		}
		strcpy(field(s, hc, 0), path);
		return 0;
	}
	/* The grammar checked a <count>'s or <seconds>' range; a <size>'s,
	 * <time>'s or <ms>' is checked here, in bytes or ms. */
	if (s->holder != PP_HOLD_MODULE && s->kind == PP_SK_NUM && (v[0] < s->min || v[0] > s->max)) {
		const char *unit = strstr(s->words, "<size>") ? " bytes" : " ms";

		pp_errf(err, errlen, "\"%s\" value %" PRIu64 "%s is not in %" PRIu64 "..%" PRIu64 "%s",
			s->what, v[0], unit, s->min, s->max, unit);
		return -EINVAL;
	}
	if ((s->holder == PP_HOLD_HTTPD || s->holder == PP_HOLD_HEARTBEAT ||
	     s == &pp_settings[PP_S_VIRT_ADDR]) && s->kind == PP_SK_ADDR &&
	    !pp_ipv4_is_phone(v[0])) {
		pp_errf(err, errlen, "\"%s\" value must be a unicast IPv4 address", s->what);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		store(s, base, at + i, v[i]);
		if (s->holder == PP_HOLD_MODULE)
			cfg->present |= PP_CFG_BIT(s->attr + at + i);
	}
	return 0;
}

/* Print s's words with the word choice of {a|b} and the values in
 * place of <x>. */
static void print_command(FILE *f, const struct pp_setting *s, int choice,
			  const char *const *vals)
{
	const char *p = s->words;

	while (*p) {
		size_t len = strcspn(p, " ");

		if (*p == '{') {
			const char *alt = p + 1;
			int k;

			for (k = 0; k < choice; k++)
				alt = strchr(alt, '|') + 1;
			fprintf(f, "%.*s", (int)strcspn(alt, "|}"), alt);
		} else if (*p == '<') {
			fputs(*vals++, f);
		} else {
			fprintf(f, "%.*s", (int)len, p);
		}
		p += len;
		if (*p)
			fputc(*p++, f);
	}
	fputc('\n', f);
}

/* Print s as set in base: the module's when present, pp-httpd's when not
 * the default. */
static void print_setting(FILE *f, const struct pp_setting *s, const void *base)
{
	const struct pp_config *cfg = base;
	bool module = s->holder == PP_HOLD_MODULE;
	char v[2][PP_IPV4_STRLEN];
	const char *vals[2] = { v[0], v[1] };
	const char *bar = strchr(s->words, '|');
	int i, nalt = s->kind == PP_SK_CHOICE && strchr(bar + 1, '|') ? 3 : 2;

	for (i = 0; i < nalt; i++) {
		bool has = !module || pp_cfg_has(cfg, s->attr + (s->kind == PP_SK_ADDR ? i : 0));
		uint32_t x = load(s, base, s->kind == PP_SK_ADDR || s->kind == PP_SK_FLAG ? i : 0);

		if (s->kind == PP_SK_CHOICE && has && x == s->values[i] && (module || x != s->def))
			print_command(f, s, i, vals);
		if (s->kind == PP_SK_FLAG && x)
			print_command(f, s, i, vals);
		if (s->kind == PP_SK_ADDR && has && x && (module || bar || !i)) {
			pp_ipv4_str(x, v[0]);
			print_command(f, s, i, vals);
		}
	}
	if ((s->kind == PP_SK_NUM || s->kind == PP_SK_PORTS) &&
	    (module ? pp_cfg_has(cfg, s->attr) && (s->kind == PP_SK_NUM ||
						   pp_cfg_has(cfg, s->attr + 1)) :
	     load(s, base, 0) != s->def)) {
		for (i = 0; i < (s->kind == PP_SK_PORTS ? 2 : 1); i++)
			snprintf(v[i], sizeof(v[i]), "%" PRIu64 "%s", load(s, base, i),
				 strstr(s->words, "<time>") ? "ms" : "");
		print_command(f, s, 0, vals);
	}
	if ((s->kind == PP_SK_FILE || s->kind == PP_SK_TEXT) && *(const char *)field(s, base, 0)) {
		vals[0] = field(s, base, 0);
		print_command(f, s, 0, vals);
	}
	if (s->kind == PP_SK_LIST) {
		const struct pp_httpconf *hc = base;
		size_t k;

		for (k = 0; k < hc->nallow; k++)
			print_command(f, s, 0, (const char *const *)&hc->allow[k]);
	}
}

void pp_settings_print(FILE *f, enum pp_holder holder, const void *held)
{
	const struct pp_setting *s;

	for (s = pp_settings; s < pp_settings + PP_S_COUNT; s++)
		if (s->holder == holder)
			print_setting(f, s, held);
}

void pp_settings_defaults(enum pp_holder holder, void *held)
{
	const struct pp_setting *s;

	for (s = pp_settings; s < pp_settings + PP_S_COUNT; s++)
		if (s->holder == holder && (s->kind == PP_SK_FILE || s->kind == PP_SK_TEXT))
			*(char *)field(s, held, 0) = '\0';
		else if (s->holder == holder && s->kind != PP_SK_LIST)
			store(s, held, 0, s->def);
}

int pp_settings_check(enum pp_holder holder, const void *held, const char *name,
		      char *err, size_t errlen)
{
	const struct tftpd_conf *c = held;

	if (holder != PP_HOLD_TFTPD || c->retransmit_max_ms >= c->retransmit_ms)
		return 0;
	pp_errf(err, errlen, "%s: retransmit max (%u ms) is below retransmit (%u ms)",
		name, c->retransmit_max_ms, c->retransmit_ms);
	return -1;
}

int pp_settings_parse(const char *text, size_t len, const char *name,
		      enum pp_holder holder, void *held, char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	struct ppctl_error perr;
	struct ppctl_cmd cmd;
	long lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t llen = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[PP_URL_MAX + 128], *w[PPCTL_MAX_WORDS];
		int n;

		lineno++;
		if (llen >= sizeof(line) || memchr(p, '\0', llen)) {
			pp_errf(err, errlen, "%s:%ld: line too long or not text", name, lineno);
			return -1;
		}
		memcpy(line, p, llen);
		line[llen] = '\0';
		p += llen + (nl ? 1 : 0);
		n = ppctl_split(line, w, PPCTL_MAX_WORDS, &perr);
		if (n > 0 && ppctl_parse(pp_settings_table(holder), n, w, &cmd,
					 &perr) != PPCTL_PARSE_OK)
			n = -1;
		if (n > 0 && pp_setting_apply(&cmd, NULL, held, perr.msg, sizeof(perr.msg)))
			n = -1;
		if (n < 0) {
			pp_errf(err, errlen, "%s:%ld: %s", name, lineno, perr.msg);
			return -1;
		}
	}
	return 0;
}

const char *pp_setting_unset_words(const struct pp_setting *s)
{
	static char words[PP_S_COUNT][160];
	char *buf = words[s - pp_settings];
	const char *p = s->words;
	size_t used = 0;

	if (*buf)
		return buf;
	/* "set ..." -> "unset ..." */
	buf[used++] = 'u';
	buf[used++] = 'n';
	while (*p) {
		size_t len = strcspn(p, " ");
		bool value = (*p == '<' && s->kind != PP_SK_LIST) ||
			     (*p == '{' && s->kind == PP_SK_CHOICE);

		if (!value && used + len + 2 < sizeof(words[0]))
			used += (size_t)sprintf(buf + used, "%s%.*s", used > 2 ? " " : "",
						(int)len, p);
		p += len;
		p += strspn(p, " ");
	}
	return buf;
}

const char *pp_setting_unset_help(const struct pp_setting *s)
{
	static char helps[PP_S_COUNT][160];
	char *buf = helps[s - pp_settings];
	const char *d = strstr(s->help, "default "), *alt;
	int i;

	if (s->unset_help)
		return s->unset_help;
	if (*buf)
		return buf;
	if (d) {
		d += strlen("default ");
		snprintf(buf, sizeof(helps[0]), "back to the default (%.*s)",
			 (int)strcspn(d, ",;)"), d);
	} else if (s->kind == PP_SK_CHOICE && (alt = strchr(s->words, '{'))) {
		/* The word whose value is the default. */
		for (i = 0, alt++; i < 3 && s->values[i] != s->def; i++)
			alt += strcspn(alt, "|}") + 1;
		snprintf(buf, sizeof(helps[0]), "back to the default (%.*s)",
			 (int)strcspn(alt, "|}"), alt);
	} else {
		snprintf(buf, sizeof(helps[0]), "back to the default (%s)",
			 s->kind == PP_SK_FILE ? "none" : "none set");
	}
	if (s->kind == PP_SK_TEXT)
		snprintf(buf, sizeof(helps[0]), "forget it (none set)");
	return buf;
}

const struct ppctl_cmd_def *pp_settings_table(enum pp_holder holder)
{
	static struct ppctl_cmd_def tables[PP_HOLD_PPCTL + 1][PP_S_COUNT + 1];
	struct ppctl_cmd_def *t = tables[holder];
	int i, n = 0;

	for (i = 0; i < PP_S_COUNT && (n || !t[0].setting); i++)
		if (pp_settings[i].holder == holder)
			t[n++].setting = &pp_settings[i];
	return t;
}
