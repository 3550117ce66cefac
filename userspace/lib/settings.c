// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The declaration of every setting (settings.h).
 */
#include <inttypes.h>
#include <string.h>

#include "ops.h"
#include "parse.h"
#include "settings.h"

#define CFG(a, f)	.attr = (a), .off = offsetof(struct pp_config, f), \
			.size = sizeof(((struct pp_config *)0)->f)

const struct pp_setting pp_settings[PP_S_COUNT] = {
	[PP_S_ACT_MODE] = { "set phoneproxy activation mode {required|open}",
	  "phones must be activated (required), or any phone may connect (open)",
	  PP_HOLD_MODULE, PP_SK_CHOICE, CFG(PP_A_CFG_ACT_MODE, act_mode),
	  { PP_ACT_MODE_REQUIRED, PP_ACT_MODE_OPEN }, "activation mode" },
	[PP_S_IDLE_TIMEOUT] = { "set phoneproxy activation idletimeout <seconds>",
	  "inactivate an activation not connected this long (0 = never; default 300)",
	  PP_HOLD_MODULE, PP_SK_NUM, CFG(PP_A_CFG_IDLE_TIMEOUT, idle_timeout),
	  { 0 }, "idletimeout" },
	[PP_S_AUTH_TIMEOUT] = { "set phoneproxy activation authtimeout <seconds>",
	  "inactivate every activation this long after it was made (0 = never; default 0)",
	  PP_HOLD_MODULE, PP_SK_NUM, CFG(PP_A_CFG_AUTH_TIMEOUT, auth_timeout),
	  { 0 }, "authtimeout" },
	[PP_S_HTTP] = { "set phoneproxy http {enable|disable}",
	  "the user activation web page on the north address (TCP 80/443)",
	  PP_HOLD_MODULE, PP_SK_CHOICE, CFG(PP_A_CFG_HTTP, http), { 1, 0 }, "http" },
	[PP_S_HTTPPROXY] = { "set phoneproxy httpproxy {enable|disable}",
	  "the HTTP proxy for the phones' services (TCP 8088)",
	  PP_HOLD_MODULE, PP_SK_CHOICE, CFG(PP_A_CFG_HTTPPROXY, httpproxy),
	  { 1, 0 }, "httpproxy" },
	[PP_S_SCCP_SECURITY] = { "set phoneproxy sccp security {on|off}",
	  "secure SCCP for the remote phones (TCP 2443)",
	  PP_HOLD_MODULE, PP_SK_CHOICE, CFG(PP_A_CFG_SCCP_SECURITY, sccp_security),
	  { 1, 0 }, "sccp security" },
	[PP_S_RTP_PORTS] = { "set phoneproxy rtp ports <min:port> <max:port>",
	  "the UDP ports for media (default 20480 21680)",
	  PP_HOLD_MODULE, PP_SK_PORTS, CFG(PP_A_CFG_RTP_PORT_MIN, rtp_port_min),
	  { 0 }, "rtp ports" },
	[PP_S_MEDIA_TIMEOUT] = { "set phoneproxy media timeout <seconds>",
	  "end a media stream that relayed no packet this long (0 = never; default 60)",
	  PP_HOLD_MODULE, PP_SK_NUM, CFG(PP_A_CFG_MEDIA_TIMEOUT, media_timeout),
	  { 0 }, "media timeout" },
	[PP_S_MAX_CONNS] = { "set phoneproxy sccp maxconnections <connections>",
	  "SCCP connections one activation may have open (1..64; default 4)",
	  PP_HOLD_MODULE, PP_SK_NUM, CFG(PP_A_CFG_MAX_CONNS, max_conns),
	  { 0 }, "sccp maxconnections" },
	[PP_S_MAX_STREAMS] = { "set phoneproxy media maxstreams <streams>",
	  "media streams one activation may have (1..1024; default 8)",
	  PP_HOLD_MODULE, PP_SK_NUM, CFG(PP_A_CFG_MAX_STREAMS, max_streams),
	  { 0 }, "media maxstreams" },
	[PP_S_INTERFACE] = { "set interface {north|south} address <ip>",
	  "the host address facing the phones (north) or the CallManager (south); 0.0.0.0 unsets",
	  PP_HOLD_MODULE, PP_SK_ADDR, CFG(PP_A_CFG_NORTH_ADDR, north_addr),
	  { 0 }, "address" },
};

/* The field of attr: north_addr/south_addr and the two ports are adjacent
 * in struct pp_config as their attributes are. */
static void *field(const struct pp_setting *s, const struct pp_config *cfg, int i)
{
	return (char *)cfg + s->off + (size_t)i * s->size;
}

static uint32_t load(const struct pp_setting *s, const struct pp_config *cfg, int i)
{
	const void *p = field(s, cfg, i);

	return s->size == 1 ? *(const uint8_t *)p : s->size == 2 ?
		*(const uint16_t *)p : *(const uint32_t *)p;
}

void pp_setting_store(const struct pp_setting *s, struct pp_config *cfg,
		      int choice, const uint32_t *v)
{
	int i, n = s->kind == PP_SK_PORTS ? 2 : 1, at = s->kind == PP_SK_ADDR ? choice : 0;

	for (i = 0; i < n; i++) {
		uint32_t x = s->kind == PP_SK_CHOICE ? s->values[choice] : v[i];
		void *p = field(s, cfg, at + i);

		if (s->size == 1)
			*(uint8_t *)p = (uint8_t)x;
		else if (s->size == 2)
			*(uint16_t *)p = (uint16_t)x;
		else
			*(uint32_t *)p = x;
		cfg->present |= PP_CFG_BIT(s->attr + at + i);
	}
}

/* Print s's words with choice and the values of field i.. in place of
 * {a|b} and <x>. */
static void print_command(FILE *f, const struct pp_setting *s,
			  const struct pp_config *cfg, int choice, int i)
{
	char buf[PP_IPV4_STRLEN];
	const char *p = s->words;

	while (*p) {
		size_t len = strcspn(p, " ");

		if (*p == '{') {
			const char *alt = p + 1;
			int k;

			for (k = 0; k < choice; k++)
				alt = strchr(alt, '|') + 1;
			fprintf(f, "%.*s", (int)strcspn(alt, "|}"), alt);
		} else if (*p == '<' && s->kind == PP_SK_ADDR) {
			fputs(pp_ipv4_str(load(s, cfg, i), buf), f);
		} else if (*p == '<') {
			fprintf(f, "%" PRIu32, load(s, cfg, i++));
		} else {
			fprintf(f, "%.*s", (int)len, p);
		}
		p += len;
		if (*p)
			fputc(*p++, f);
	}
	fputc('\n', f);
}

void pp_settings_print_module(FILE *f, const struct pp_config *cfg)
{
	const struct pp_setting *s;
	int i;

	for (s = pp_settings; s < pp_settings + PP_S_COUNT; s++) {
		if (s->holder != PP_HOLD_MODULE)
			continue;
		if (s->kind == PP_SK_CHOICE) {
			for (i = 0; i < 2; i++)
				if (pp_cfg_has(cfg, s->attr) && load(s, cfg, 0) == s->values[i])
					print_command(f, s, cfg, i, 0);
		} else if (s->kind == PP_SK_ADDR) {
			for (i = 0; i < 2; i++)
				if (pp_cfg_has(cfg, s->attr + i) && load(s, cfg, i))
					print_command(f, s, cfg, i, i);
		} else if (pp_cfg_has(cfg, s->attr) &&
			   (s->kind != PP_SK_PORTS || pp_cfg_has(cfg, s->attr + 1))) {
			print_command(f, s, cfg, 0, 0);
		}
	}
}
