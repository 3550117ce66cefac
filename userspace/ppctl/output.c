// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl output formatting.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ctlsock.h"
#include "grammar.h"
#include "json.h"
#include "output.h"
#include "parse.h"

/* A text table: header, a line of dashes under each header word, rows;
 * columns padded to the widest value, no trailing blanks. */
#define TABLE_COLS 11

struct table {
	int ncols;
	const char *header[TABLE_COLS];
	size_t width[TABLE_COLS];
};

static void table_init(struct table *t, int ncols, const char *const *header)
{
	int i;

	t->ncols = ncols;
	for (i = 0; i < ncols; i++) {
		t->header[i] = header[i];
		t->width[i] = strlen(header[i]);
	}
}

static void table_measure(struct table *t, const char *const *cells)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (strlen(cells[i]) > t->width[i])
			t->width[i] = strlen(cells[i]);
}

static void table_row(FILE *f, const struct table *t, const char *const *cells)
{
	int last = t->ncols - 1, i;

	/* The last non-empty cell ends the line. */
	while (last > 0 && !cells[last][0])
		last--;
	for (i = 0; i <= last; i++) {
		if (i < last)
			fprintf(f, "%-*s  ", (int)t->width[i], cells[i]);
		else
			fputs(cells[i], f);
	}
	fputc('\n', f);
}

static void table_header(FILE *f, const struct table *t)
{
	char dashes[TABLE_COLS][32];
	const char *cells[TABLE_COLS];
	int i;

	table_row(f, t, t->header);
	for (i = 0; i < t->ncols; i++) {
		size_t n = strlen(t->header[i]);

		if (n >= sizeof(dashes[i]))
			n = sizeof(dashes[i]) - 1;
		memset(dashes[i], '-', n);
		dashes[i][n] = '\0';
		cells[i] = dashes[i];
	}
	table_row(f, t, cells);
}

const char *ppctl_connected_str(const struct pp_user_state *u, char *buf,
				size_t len)
{
	if (u->active && u->connections_total > 0)
		snprintf(buf, len, "c %" PRIu32 ":%" PRIu32 "%s", u->connections,
			 u->connections_total, u->registered ? " reg" : "");
	else if (len)
		buf[0] = '\0';
	return buf;
}

struct user_cells {
	char addr[PP_IPV4_STRLEN];
	char duration[32];
	char connected[32];
	char node[PPCTL_USER_NODES_MAX * (PP_NAME_MAX + 2) + 16];
};

const char *ppctl_node_name(const struct ppctl_node_names *names, uint32_t id, char *buf,
			    size_t len)
{
	size_t i;

	for (i = 0; names && i < names->n; i++)
		if (names->id[i] == id) {
			snprintf(buf, len, "%s", names->name[i]);
			return buf;
		}
	snprintf(buf, len, "%" PRIu32, id);
	return buf;
}

/* "pp1", "pp1, pp3", "pp2 (this node)": the nodes the phone is
 * registered through, by name (or id). */
static void node_cell(const struct ppctl_user_nodes *nodes, const struct ppctl_node_names *names,
		      char *buf, size_t len)
{
	char name[PP_NAME_MAX];
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < nodes->n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s%s", i ? ", " : "",
					ppctl_node_name(names, nodes->id[i], name, sizeof(name)),
					nodes->id[i] == names->self ? " (this node)" : "");
}

static void user_cells(const struct pp_user_state *u, const struct ppctl_user_nodes *nodes,
		       const struct ppctl_node_names *names, struct user_cells *c,
		       const char **cells)
{
	if (u->active) {
		pp_ipv4_str(u->addr, c->addr);
		pp_duration_str(u->active_secs, c->duration, sizeof(c->duration));
	} else {
		strcpy(c->addr, "[inactive]");
		c->duration[0] = '\0';
	}
	ppctl_connected_str(u, c->connected, sizeof(c->connected));
	cells[0] = u->name;
	cells[1] = u->sid;
	cells[2] = c->addr;
	cells[3] = c->duration;
	cells[4] = c->connected;
	if (nodes) {
		node_cell(nodes, names, c->node, sizeof(c->node));
		cells[5] = c->node;
	}
}

static void users_json(FILE *f, const struct pp_user_state *users, size_t n,
		       const struct ppctl_user_nodes *nodes, const struct ppctl_node_names *names)
{
	struct pp_json j;
	unsigned int k;
	size_t i;

	pp_json_init(&j, f);
	pp_json_arr_begin(&j);
	for (i = 0; i < n; i++) {
		const struct pp_user_state *u = &users[i];
		char buf[32];

		pp_json_obj_begin(&j);
		pp_json_kv_str(&j, "name", u->name);
		pp_json_kv_str(&j, "id", u->id);
		pp_json_kv_str(&j, "sid", u->sid);
		pp_json_kv_str(&j, "ccm", u->ccm);
		pp_json_kv_bool(&j, "enabled", u->enabled);
		pp_json_kv_bool(&j, "active", u->active);
		if (u->active) {
			const char *reason = pp_reason_name(u->reason);

			pp_json_kv_str(&j, "addr", pp_ipv4_str(u->addr, buf));
			pp_json_kv_u64(&j, "active_secs", u->active_secs);
			pp_json_kv_str(&j, "duration",
				       pp_duration_str(u->active_secs, buf, sizeof(buf)));
			if (reason)
				pp_json_kv_str(&j, "reason", reason);
			else
				pp_json_kv_null(&j, "reason");
			pp_json_kv_u64(&j, "connections", u->connections);
			pp_json_kv_u64(&j, "connections_total", u->connections_total);
			pp_json_kv_u64(&j, "registered", u->registered);
			/* The CallManager this node stands for (docs/cluster.md). */
			if (u->ccm_addr)
				pp_json_kv_str(&j, "ccm_addr", pp_ipv4_str(u->ccm_addr, buf));
		} else {
			pp_json_kv_null(&j, "addr");
		}
		if (nodes) {	/* the cluster's nodes it is registered through */
			pp_json_key(&j, "through");
			pp_json_arr_begin(&j);
			for (k = 0; k < nodes[i].n; k++) {
				char name[PP_NAME_MAX];

				pp_json_obj_begin(&j);
				pp_json_kv_str(&j, "node", ppctl_node_name(names, nodes[i].id[k], name,
									  sizeof(name)));
				pp_json_kv_u64(&j, "node_id", nodes[i].id[k]);
				pp_json_kv_bool(&j, "this_node", nodes[i].id[k] == names->self);
				pp_json_obj_end(&j);
			}
			pp_json_arr_end(&j);
		}
		pp_json_obj_end(&j);
	}
	pp_json_arr_end(&j);
	fputc('\n', f);
}

void ppctl_print_users(FILE *f, bool json, const struct pp_user_state *users,
		       size_t n)
{
	ppctl_print_users_nodes(f, json, users, n, NULL, NULL);
}

void ppctl_print_users_nodes(FILE *f, bool json, const struct pp_user_state *users,
			     size_t n, const struct ppctl_user_nodes *nodes,
			     const struct ppctl_node_names *names)
{
	static const char *const header[] = {
		"name", "sid", "addr", "duration", "connected", "node"
	};
	int ncols = nodes ? 6 : 5;
	struct table t;
	size_t i;

	if (json) {
		users_json(f, users, n, nodes, names);
		return;
	}
	table_init(&t, ncols, header);
	for (i = 0; i < n; i++) {
		struct user_cells c;
		const char *cells[6];

		user_cells(&users[i], nodes ? &nodes[i] : NULL, names, &c, cells);
		table_measure(&t, cells);
	}
	table_header(f, &t);
	for (i = 0; i < n; i++) {
		struct user_cells c;
		const char *cells[6];

		user_cells(&users[i], nodes ? &nodes[i] : NULL, names, &c, cells);
		table_row(f, &t, cells);
	}
}

static const char *onoff(uint8_t v, const char *on, const char *off)
{
	return v ? on : off;
}

/* The word of "set phoneproxy media srtp" (lib/settings.c) */
static const char *srtp_suite_name(uint8_t v)
{
	return v == PP_SRTP_SUITE_SHA1_80 ? "aes_cm_128_hmac_sha1_80" :
	       v == PP_SRTP_SUITE_SHA1_32 ? "aes_cm_128_hmac_sha1_32" : "unknown";
}

void ppctl_print_config(FILE *f, bool json, const struct pp_config *c)
{
	char buf[PP_IPV4_STRLEN];
	const char *mode = pp_act_mode_name(c->act_mode);

	if (json) {
		struct pp_json j;

		pp_json_init(&j, f);
		pp_json_obj_begin(&j);
#define HAS(a) pp_cfg_has(c, a)
		if (HAS(PP_A_CFG_NORTH_ADDR)) {
			if (c->north_addr)
				pp_json_kv_str(&j, "north_address", pp_ipv4_str(c->north_addr, buf));
			else
				pp_json_kv_null(&j, "north_address");
		}
		if (HAS(PP_A_CFG_SOUTH_ADDR)) {
			if (c->south_addr)
				pp_json_kv_str(&j, "south_address", pp_ipv4_str(c->south_addr, buf));
			else
				pp_json_kv_null(&j, "south_address");
		}
		if (HAS(PP_A_CFG_ACT_MODE))
			pp_json_kv_str(&j, "activation_mode", mode ? mode : "unknown");
		if (HAS(PP_A_CFG_IDLE_TIMEOUT))
			pp_json_kv_u64(&j, "activation_idletimeout", c->idle_timeout);
		if (HAS(PP_A_CFG_AUTH_TIMEOUT))
			pp_json_kv_u64(&j, "activation_authtimeout", c->auth_timeout);
		if (HAS(PP_A_CFG_HTTP))
			pp_json_kv_bool(&j, "http", c->http);
		if (HAS(PP_A_CFG_HTTPPROXY))
			pp_json_kv_bool(&j, "httpproxy", c->httpproxy);
		if (HAS(PP_A_CFG_HTTPPROXY_PORT))
			pp_json_kv_u64(&j, "httpproxy_port", c->httpproxy_port);
		if (HAS(PP_A_CFG_SCCP_PORT))
			pp_json_kv_u64(&j, "sccp_port", c->sccp_port);
		if (HAS(PP_A_CFG_SCCP_SECURITY))
			pp_json_kv_bool(&j, "sccp_security", c->sccp_security);
		if (HAS(PP_A_CFG_SCCP_SECURITY_PORT))
			pp_json_kv_u64(&j, "sccp_security_port", c->sccp_security_port);
		if (HAS(PP_A_CFG_TFTP_PORT))
			pp_json_kv_u64(&j, "tftp_port", c->tftp_port);
		if (HAS(PP_A_CFG_RTP_PORT_MIN))
			pp_json_kv_u64(&j, "rtp_port_min", c->rtp_port_min);
		if (HAS(PP_A_CFG_RTP_PORT_MAX))
			pp_json_kv_u64(&j, "rtp_port_max", c->rtp_port_max);
		if (HAS(PP_A_CFG_MEDIA_TIMEOUT))
			pp_json_kv_u64(&j, "media_timeout", c->media_timeout);
		if (HAS(PP_A_CFG_MAX_CONNS))
			pp_json_kv_u64(&j, "sccp_maxconnections", c->max_conns);
		if (HAS(PP_A_CFG_MAX_STREAMS))
			pp_json_kv_u64(&j, "media_maxstreams", c->max_streams);
		if (HAS(PP_A_CFG_SRTP_SUITE))
			pp_json_kv_str(&j, "media_srtp", srtp_suite_name(c->srtp_suite));
		pp_json_obj_end(&j);
		fputc('\n', f);
		return;
	}
#define LINE(attr, fmt, ...) \
	if (HAS(attr)) fprintf(f, "%-24s" fmt "\n", __VA_ARGS__)
	LINE(PP_A_CFG_NORTH_ADDR, "%s", "north address",
	     c->north_addr ? pp_ipv4_str(c->north_addr, buf) : "unset");
	LINE(PP_A_CFG_SOUTH_ADDR, "%s", "south address",
	     c->south_addr ? pp_ipv4_str(c->south_addr, buf) : "unset");
	LINE(PP_A_CFG_ACT_MODE, "%s", "activation mode", mode ? mode : "unknown");
	LINE(PP_A_CFG_IDLE_TIMEOUT, "%" PRIu32 "%s", "activation idletimeout",
	     c->idle_timeout, c->idle_timeout ? "" : " (off)");
	LINE(PP_A_CFG_AUTH_TIMEOUT, "%" PRIu32 "%s", "activation authtimeout",
	     c->auth_timeout, c->auth_timeout ? "" : " (off)");
	LINE(PP_A_CFG_HTTP, "%s", "http", onoff(c->http, "enable", "disable"));
	LINE(PP_A_CFG_HTTPPROXY, "%s", "httpproxy",
	     onoff(c->httpproxy, "enable", "disable"));
	LINE(PP_A_CFG_HTTPPROXY_PORT, "%u", "httpproxy port", c->httpproxy_port);
	LINE(PP_A_CFG_SCCP_PORT, "%u", "sccp port", c->sccp_port);
	LINE(PP_A_CFG_SCCP_SECURITY, "%s", "sccp security", onoff(c->sccp_security, "on", "off"));
	LINE(PP_A_CFG_SCCP_SECURITY_PORT, "%u", "sccp security port", c->sccp_security_port);
	LINE(PP_A_CFG_TFTP_PORT, "%u", "tftp port", c->tftp_port);
	if (HAS(PP_A_CFG_RTP_PORT_MIN) && HAS(PP_A_CFG_RTP_PORT_MAX))
		fprintf(f, "%-24s%u %u\n", "rtp ports", c->rtp_port_min,
			c->rtp_port_max);
	LINE(PP_A_CFG_MEDIA_TIMEOUT, "%" PRIu32 "%s", "media timeout",
	     c->media_timeout, c->media_timeout ? "" : " (off)");
	LINE(PP_A_CFG_MAX_CONNS, "%" PRIu32, "sccp maxconnections", c->max_conns);
	LINE(PP_A_CFG_MAX_STREAMS, "%" PRIu32, "media maxstreams", c->max_streams);
	LINE(PP_A_CFG_SRTP_SUITE, "%s", "media srtp", srtp_suite_name(c->srtp_suite));
#undef LINE
#undef HAS
}

void ppctl_print_ccms(FILE *f, bool json, const struct pp_ccm_state *ccms,
		      size_t n, const char *const *hosts)
{
	static const char *const header[] = { "name", "address", "default", "host" };
	char buf[PP_IPV4_STRLEN];
	int pass, ncols = 3;
	struct table t;
	size_t i;

	/* A host column when some CallManager is given by name. */
	for (i = 0; hosts && i < n; i++)
		if (hosts[i] && hosts[i][0])
			ncols = 4;
	if (json) {
		struct pp_json j;

		pp_json_init(&j, f);
		pp_json_arr_begin(&j);
		for (i = 0; i < n; i++) {
			pp_json_obj_begin(&j);
			pp_json_kv_str(&j, "name", ccms[i].name);
			pp_json_kv_str(&j, "address", pp_ipv4_str(ccms[i].addr, buf));
			pp_json_kv_bool(&j, "default", ccms[i].is_default);
			if (hosts && hosts[i] && hosts[i][0])
				pp_json_kv_str(&j, "host", hosts[i]);
			pp_json_obj_end(&j);
		}
		pp_json_arr_end(&j);
		fputc('\n', f);
		return;
	}
	table_init(&t, ncols, header);
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1)
			table_header(f, &t);
		for (i = 0; i < n; i++) {
			const char *cells[4] = {
				ccms[i].name, pp_ipv4_str(ccms[i].addr, buf),
				ccms[i].is_default ? "yes" : "",
				hosts && hosts[i] ? hosts[i] : ""
			};

			if (pass == 0)
				table_measure(&t, cells);
			else
				table_row(f, &t, cells);
		}
	}
}

void ppctl_print_stats(FILE *f, bool json, const struct pp_stats *st)
{
	const struct {
		const char *key, *label;
		uint64_t v;
	} rows[] = {
		{ "accept_web", "accept web", st->accept_web },
		{ "accept_activated", "accept activated", st->accept_activated },
		{ "accept_open", "accept open", st->accept_open },
		{ "accept_reply", "accept reply", st->accept_reply },
		{ "drop", "drop", st->drop },
		{ "users", "users", st->users },
		{ "activations", "activations", st->activations },
		{ "sccp_connections", "sccp connections", st->sccp_conns },
		{ "sccp_open", "sccp open", st->sccp_open },
		{ "sccp_registered", "sccp registered", st->sccp_registered },
		{ "sccp_sid_mismatch", "sccp sid mismatch", st->sccp_sid_mismatch },
		{ "sccp_stream_errors", "sccp stream errors", st->sccp_stream_errors },
		{ "sccp_out_of_order", "sccp out of order", st->sccp_ooo },
		{ "sccp_rewrites", "sccp rewrites", st->sccp_rewrites },
		{ "sccp_inconsistent", "sccp inconsistent", st->sccp_inconsistent },
		{ "forward_drop", "forward drop", st->fwd_drop },
		{ "media_calls", "media calls", st->media_calls },
		{ "media_calls_total", "media calls total", st->media_calls_total },
		{ "media_streams", "media streams", st->media_streams },
		{ "media_streams_total", "media streams total", st->media_streams_total },
		{ "media_packets", "media packets", st->media_pkts },
		{ "media_bytes", "media bytes", st->media_bytes },
		{ "media_drops", "media drops", st->media_drops },
		{ "media_no_port", "media no port", st->media_no_port },
		{ "media_timeouts", "media timeouts", st->media_timeouts },
		{ "sccp_conn_limit", "sccp conn limit", st->sccp_conn_limit },
		{ "media_unopened", "media unopened", st->media_unopened },
		{ "media_stream_limit", "media stream limit", st->media_stream_limit },
		{ "media_port_drops", "media port drops", st->media_port_drops },
		{ "sccp_claimed", "sccp claimed", st->sccp_claimed },
		{ "sccp_plain_refused", "sccp plain refused", st->sccp_plain_refused },
		{ "sccp_adhoc", "sccp adhoc", st->sccp_adhoc },
		{ "sccp_adhoc_limit", "sccp adhoc limit", st->sccp_adhoc_limit },
		{ "sccp_no_buffer", "sccp no buffer", st->sccp_nobuf },
		{ "sccp_buffers", "sccp buffers", st->sccp_rings },
		{ "srtp_protected", "srtp protected", st->srtp_protected },
		{ "srtp_unprotected", "srtp unprotected", st->srtp_unprotected },
		{ "srtp_auth_fail", "srtp auth fail", st->srtp_auth_fail },
		{ "srtp_replay", "srtp replay", st->srtp_replay },
		{ "srtp_pending", "srtp pending", st->srtp_pending },
		{ "srtp_other", "srtp other", st->srtp_other },
		{ "srtp_expanded", "srtp expanded", st->srtp_expanded },
		{ "srtp_keys", "srtp keys", st->srtp_keys },
		{ "srtp_alloc_fail", "srtp alloc fail", st->srtp_alloc_fail },
	};
	size_t i;

	if (json) {
		struct pp_json j;

		pp_json_init(&j, f);
		pp_json_obj_begin(&j);
		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			pp_json_kv_u64(&j, rows[i].key, rows[i].v);
		pp_json_obj_end(&j);
		fputc('\n', f);
		return;
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		fprintf(f, "%-20s%" PRIu64 "\n", rows[i].label, rows[i].v);
}

/*
 * show stats: the SCCP proxy's and the media relay's counters by section,
 * drops by reason. The one list of them: text labels, JSON keys and the
 * Prometheus names (phoneproxy_<section>_<key>) come from it. gauge: a
 * value that holds now (goes down too), else a counter.
 */
#define CALL_STAT(sec, k, lab, field, g) \
	{ sec, k, lab, offsetof(struct pp_stats, field), \
	  sizeof(((struct pp_stats *)0)->field), g }
static const struct call_stat {
	const char *section, *key, *label;
	size_t off, size;
	bool gauge;
} call_stats[] = {
	CALL_STAT("sccp", "connections", "connections", sccp_conns, false),
	CALL_STAT("sccp", "open", "open now", sccp_open, true),
	CALL_STAT("sccp", "buffers", "stream buffers now", sccp_rings, true),
	CALL_STAT("sccp", "registrations", "registrations", sccp_registered, false),
	CALL_STAT("sccp", "rewrites", "fields rewritten", sccp_rewrites, false),
	CALL_STAT("sccp", "reset_sid_mismatch", "reset: SID mismatch", sccp_sid_mismatch, false),
	CALL_STAT("sccp", "reset_stream_error", "reset: stream error", sccp_stream_errors, false),
	CALL_STAT("sccp", "dropped_out_of_order", "dropped: out of order", sccp_ooo, false),
	CALL_STAT("sccp", "dropped_inconsistent", "dropped: inconsistent", sccp_inconsistent,
		  false),
	CALL_STAT("sccp", "dropped_not_proxied", "dropped: not proxied", fwd_drop, false),
	CALL_STAT("sccp", "dropped_no_buffer", "dropped: no stream buffer", sccp_nobuf,
		  false),
	CALL_STAT("sccp", "refused_conn_limit", "refused: connection limit", sccp_conn_limit,
		  false),
	CALL_STAT("sccp", "claimed", "handed over (TLS)", sccp_claimed, false),
	CALL_STAT("sccp", "refused_plain", "refused: plain, secure on", sccp_plain_refused, false),
	CALL_STAT("sccp", "adhoc", "to AdHoCuSeR (open mode)", sccp_adhoc, false),
	CALL_STAT("sccp", "refused_adhoc_limit", "refused: AdHoCuSeR limit", sccp_adhoc_limit,
		  false),
	CALL_STAT("media", "calls", "calls now (phones)", media_calls, true),
	CALL_STAT("media", "calls_total", "calls (phones)", media_calls_total, false),
	CALL_STAT("media", "streams", "streams now", media_streams, true),
	CALL_STAT("media", "streams_total", "streams", media_streams_total, false),
	CALL_STAT("media", "packets", "packets relayed", media_pkts, false),
	CALL_STAT("media", "bytes", "bytes relayed", media_bytes, false),
	CALL_STAT("media", "dropped_wrong_source", "dropped: wrong source", media_drops, false),
	CALL_STAT("media", "dropped_no_stream", "dropped: no stream", media_no_port, false),
	CALL_STAT("media", "ended_idle", "ended: idle timeout", media_timeouts, false),
	CALL_STAT("media", "refused_unopened", "refused: channel not opened", media_unopened,
		  false),
	CALL_STAT("media", "refused_stream_limit", "refused: stream limit", media_stream_limit,
		  false),
	CALL_STAT("media", "dropped_source_port", "dropped: not latched port", media_port_drops,
		  false),
	CALL_STAT("srtp", "keys", "keys to phones", srtp_keys, false),
	CALL_STAT("srtp", "protected", "encrypted to phones", srtp_protected, false),
	CALL_STAT("srtp", "unprotected", "decrypted from phones", srtp_unprotected, false),
	CALL_STAT("srtp", "dropped_auth", "dropped: authentication", srtp_auth_fail, false),
	CALL_STAT("srtp", "dropped_replay", "dropped: replay", srtp_replay, false),
	CALL_STAT("srtp", "dropped_pending", "dropped: key pending", srtp_pending, false),
	CALL_STAT("srtp", "dropped_other", "dropped: malformed, other", srtp_other, false),
	CALL_STAT("srtp", "expanded", "packets copied for the tag", srtp_expanded, false),
	CALL_STAT("srtp", "context_failures", "contexts not made", srtp_alloc_fail, false),
};

static uint64_t call_stat_value(const struct call_stat *c, const struct pp_stats *st)
{
	const char *p = (const char *)st + c->off;
	uint32_t v32;
	uint64_t v64;

	if (c->size == sizeof(v32)) {
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
	memcpy(&v64, p, sizeof(v64));
	return v64;
}

void ppctl_print_call_stats(FILE *f, struct pp_json *j, const struct pp_stats *st)
{
	const char *open = NULL;
	size_t i;

	for (i = 0; i < sizeof(call_stats) / sizeof(call_stats[0]); i++) {
		const struct call_stat *c = &call_stats[i];
		uint64_t v = call_stat_value(c, st);

		if (!open || strcmp(open, c->section)) {
			if (j && open)
				pp_json_obj_end(j);
			open = c->section;
			if (j) {
				pp_json_key(j, open);
				pp_json_obj_begin(j);
			} else {
				fprintf(f, "%s\n", open);
			}
		}
		if (j)
			pp_json_kv_u64(j, c->key, v);
		else
			fprintf(f, "  %-28s%" PRIu64 "\n", c->label, v);
	}
	if (j && open)
		pp_json_obj_end(j);
}

struct stat_out {
	FILE *f;
	struct pp_json *j;
};

static void stat_line(void *arg, const char *name, const char *value, bool num, uint64_t v)
{
	struct stat_out *o = arg;

	if (!o->j)
		fprintf(o->f, "  %-28s%s\n", name, value);
	else if (num)
		pp_json_kv_u64(o->j, name, v);
	else
		pp_json_kv_str(o->j, name, value);
}

int ppctl_print_daemon_stats(FILE *f, struct pp_json *j, const char *section,
			     const char *daemon, int rc, const char *reply)
{
	struct stat_out o = { .f = f, .j = j };
	char why[256], bad[200], key[64];

	if (rc >= 0 && pp_ctl_stats_parse(reply, NULL, NULL, bad, sizeof(bad)) < 0) {
		snprintf(why, sizeof(why), "%s: bad reply: %s", daemon, bad);
		rc = -EPROTO;
	} else if (rc == -ENOENT) {
		snprintf(why, sizeof(why), "%s is not running in this network namespace", daemon);
	} else if (rc < 0) {
		snprintf(why, sizeof(why), "%s: %s", daemon, strerror(-rc));
	}
	if (rc < 0) {
		if (j) {
			pp_json_kv_null(j, section);
			snprintf(key, sizeof(key), "%s_error", section);
			pp_json_kv_str(j, key, why);
		} else {
			fprintf(f, "%s: %s\n", section, why);
		}
		return -1;
	}
	if (j) {
		pp_json_key(j, section);
		pp_json_obj_begin(j);
	} else {
		fprintf(f, "%s\n", section);
	}
	pp_ctl_stats_parse(reply, stat_line, &o, why, sizeof(why));
	if (j)
		pp_json_obj_end(j);
	return 0;
}

/*
 * show stats -o prometheus: the text exposition format 0.0.4. Samples are
 * collected first (a family's lines must be together, and a reason family
 * gathers lines that are apart in show stats), then printed by family in
 * the order of their first sample.
 */
struct ppctl_prom_sample {
	char *family, *help, *lname, *lvalue;
	const char *type;
	uint64_t v;
};

/* Counters by reason: one family per prefix, the rest the reason label. */
static const char *const prom_reasons[] = {
	"dropped_", "refused_", "reset_", "ended_", "denied_", "not_found_",
};

/* A daemon's lines that hold now (lib/ctlsock.h: counters, then these). */
static const struct {
	const char *section, *key;
} prom_daemon_gauges[] = {
	{ "tftp", "transfers_active" }, { "tftp", "cache_entries" },
	{ "tftp", "cache_bytes" },
	{ "tls", "open" }, { "tls", "handshaking" },
	{ "cluster", "node_id" }, { "cluster", "member_processes" },
	{ "cluster", "last_change_ms" }, { "cluster", "published_bytes" },
	{ "cluster", "published_by_node" },
};

void ppctl_prom_init(struct ppctl_prom *p)
{
	memset(p, 0, sizeof(*p));
}

void ppctl_prom_free(struct ppctl_prom *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->s[i].family);
		free(p->s[i].help);
		free(p->s[i].lname);
		free(p->s[i].lvalue);
	}
	free(p->s);
	memset(p, 0, sizeof(*p));
}

static char *prom_strdup(struct ppctl_prom *p, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		p->oom = true;
	return d;
}

static void prom_add(struct ppctl_prom *p, const char *family, const char *type,
		     const char *help, const char *lname, const char *lvalue, uint64_t v)
{
	struct ppctl_prom_sample *s;

	if (p->oom)
		return;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;

		s = realloc(p->s, cap * sizeof(*s));
		if (!s) {
			p->oom = true;
			return;
		}
		p->s = s;
		p->cap = cap;
	}
	s = &p->s[p->n];
	memset(s, 0, sizeof(*s));
	s->type = type;
	s->v = v;
	s->family = prom_strdup(p, family);
	s->help = prom_strdup(p, help);
	s->lname = prom_strdup(p, lname);
	s->lvalue = prom_strdup(p, lvalue);
	p->n++;
}

/* One line of show stats: who ("sccp", a daemon's name) says what help
 * text says of it when it has no label of its own. */
static void prom_stat(struct ppctl_prom *p, const char *section, const char *who,
		      const char *key, const char *label, bool gauge, uint64_t v)
{
	char family[160], help[160], prefix[32];
	size_t i, n, klen = strlen(key);

	if (gauge) {
		snprintf(family, sizeof(family), "phoneproxy_%s_%s", section, key);
		snprintf(help, sizeof(help), "%s: %s", who, label ? label : key);
		prom_add(p, family, "gauge", help, NULL, NULL, v);
		return;
	}
	for (i = 0; i < sizeof(prom_reasons) / sizeof(prom_reasons[0]); i++) {
		n = strlen(prom_reasons[i]);
		if (klen > n && !strncmp(key, prom_reasons[i], n) && n < sizeof(prefix)) {
			memcpy(prefix, key, n - 1);
			prefix[n - 1] = '\0';
			snprintf(family, sizeof(family), "phoneproxy_%s_%s_total", section, prefix);
			for (char *c = prefix; *c; c++)
				if (*c == '_')
					*c = ' ';
			snprintf(help, sizeof(help), "%s: %s, by reason", who, prefix);
			prom_add(p, family, "counter", help, "reason", key + n, v);
			return;
		}
	}
	n = strlen("_total");
	snprintf(family, sizeof(family), "phoneproxy_%s_%s%s", section, key,
		 klen > n && !strcmp(key + klen - n, "_total") ? "" : "_total");
	snprintf(help, sizeof(help), "%s: %s", who, label ? label : key);
	prom_add(p, family, "counter", help, NULL, NULL, v);
}

static void prom_up(struct ppctl_prom *p, const char *daemon, bool up)
{
	prom_add(p, "phoneproxy_up", "gauge",
		 "1: show stats read the section of the daemon (or module), 0: it could not",
		 "daemon", daemon, up);
}

void ppctl_prom_call_stats(struct ppctl_prom *p, const struct pp_stats *st)
{
	size_t i;

	prom_up(p, PPCTL_PROM_MODULE, st);
	if (!st)
		return;
	for (i = 0; i < sizeof(call_stats) / sizeof(call_stats[0]); i++) {
		const struct call_stat *c = &call_stats[i];
		char who[64];

		snprintf(who, sizeof(who), "phoneproxy.ko %s", c->section);
		prom_stat(p, c->section, who, c->key, c->label, c->gauge, call_stat_value(c, st));
	}
}

struct prom_daemon {
	struct ppctl_prom *p;
	const char *section, *daemon;
};

static void prom_daemon_line(void *arg, const char *name, const char *value, bool num,
			     uint64_t v)
{
	struct prom_daemon *d = arg;
	char family[160], help[160];
	bool gauge = false;
	size_t i;

	if (!num) {
		/* A state: an info gauge, the word its label. */
		snprintf(family, sizeof(family), "phoneproxy_%s_%s_info", d->section, name);
		snprintf(help, sizeof(help), "%s: %s, the label says which", d->daemon, name);
		prom_add(d->p, family, "gauge", help, name, value, 1);
		return;
	}
	for (i = 0; i < sizeof(prom_daemon_gauges) / sizeof(prom_daemon_gauges[0]); i++)
		if (!strcmp(prom_daemon_gauges[i].section, d->section) &&
		    !strcmp(prom_daemon_gauges[i].key, name))
			gauge = true;
	prom_stat(d->p, d->section, d->daemon, name, NULL, gauge, v);
}

int ppctl_prom_daemon_stats(struct ppctl_prom *p, const char *section, const char *daemon,
			    int rc, const char *reply)
{
	struct prom_daemon d = { .p = p, .section = section, .daemon = daemon };
	char err[200];

	if (rc < 0 || pp_ctl_stats_parse(reply, NULL, NULL, err, sizeof(err)) < 0) {
		prom_up(p, daemon, false);
		return -1;
	}
	prom_up(p, daemon, true);
	pp_ctl_stats_parse(reply, prom_daemon_line, &d, err, sizeof(err));
	return 0;
}

/* HELP text: backslash and line feed escaped; a label value: the double
 * quote too. */
static void prom_escaped(FILE *f, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (quote && *s == '"')
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

int ppctl_prom_print(FILE *f, const struct ppctl_prom *p)
{
	size_t i, k, j;

	if (p->oom)
		return -1;
	for (i = 0; i < p->n; i++) {
		for (j = 0; j < i && strcmp(p->s[j].family, p->s[i].family); j++)
			;
		if (j < i)
			continue;	/* printed with its family */
		fprintf(f, "# HELP %s ", p->s[i].family);
		prom_escaped(f, p->s[i].help, false);
		fprintf(f, "\n# TYPE %s %s\n", p->s[i].family, p->s[i].type);
		for (k = i; k < p->n; k++) {
			const struct ppctl_prom_sample *s = &p->s[k];

			if (strcmp(s->family, p->s[i].family))
				continue;
			fputs(s->family, f);
			if (s->lname) {
				fprintf(f, "{%s=\"", s->lname);
				prom_escaped(f, s->lvalue, true);
				fputs("\"}", f);
			}
			fprintf(f, " %" PRIu64 "\n", s->v);
		}
	}
	return 0;
}

/* "192.0.2.10:61000", "192.0.2.10" (port 0) or "-" (address 0). */
static const char *addr_port_str(uint32_t addr, uint16_t port, char *buf,
				 size_t len)
{
	char a[PP_IPV4_STRLEN];

	if (!addr)
		snprintf(buf, len, "-");
	else if (!port)
		snprintf(buf, len, "%s", pp_ipv4_str(addr, a));
	else
		snprintf(buf, len, "%s:%u", pp_ipv4_str(addr, a), port);
	return buf;
}

struct call_cells {
	char ppid[16];
	char phone[32];
	char north[8];
	char south[8];
	char far[32];
	char to_far[48];
	char to_phone[48];
	char dropped[48];
	char duration[32];
	char srtp[96];
};

/* "80" or "32": the SRTP tag bits of SCCP's algorithmID; "?" else. */
static const char *srtp_suite_str(uint8_t alg)
{
	return alg == 2 ? "80" : alg == 1 ? "32" : "?";
}

/*
 * The srtp cell of a secure stream: the directions keyed with their
 * suite (tx: to the phone, rx: from it), "(keying)" while a context is
 * not made yet, then the authentication and replay drops.
 */
static void srtp_cell(const struct pp_call_state *c, char *buf, size_t len)
{
	char tx[16] = "", rx[16] = "";

	if (c->srtp_tx_suite)
		snprintf(tx, sizeof(tx), "tx/%s%s", srtp_suite_str(c->srtp_tx_suite),
			 c->srtp_ready & 1 ? "" : "(keying)");
	if (c->srtp_rx_suite)
		snprintf(rx, sizeof(rx), "rx/%s%s", srtp_suite_str(c->srtp_rx_suite),
			 c->srtp_ready & 2 ? "" : "(keying)");
	if (!tx[0] && !rx[0])
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s%s%s auth %" PRIu64 " replay %" PRIu64,
			 tx, tx[0] && rx[0] ? "," : "", rx, c->srtp_auth_fail,
			 c->srtp_replay);
}

static void call_cells(const struct pp_call_state *c, struct call_cells *b,
		       const char **cells)
{
	/* Where it receives, else where its packets come from. */
	uint16_t phone_port = c->phone_port ? c->phone_port : c->phone_src_port;

	snprintf(b->ppid, sizeof(b->ppid), "%" PRIu32, c->ppid);
	addr_port_str(c->phone_addr, phone_port, b->phone, sizeof(b->phone));
	snprintf(b->north, sizeof(b->north), "%u", c->north_port);
	snprintf(b->south, sizeof(b->south), "%u", c->south_port);
	addr_port_str(c->far_addr, c->far_port, b->far, sizeof(b->far));
	snprintf(b->to_far, sizeof(b->to_far), "%" PRIu64 "/%" PRIu64,
		 c->phone_pkts, c->phone_bytes);
	snprintf(b->to_phone, sizeof(b->to_phone), "%" PRIu64 "/%" PRIu64,
		 c->far_pkts, c->far_bytes);
	snprintf(b->dropped, sizeof(b->dropped), "%" PRIu64 "/%" PRIu64,
		 c->phone_drops, c->far_drops);
	pp_duration_str(c->secs, b->duration, sizeof(b->duration));
	cells[0] = c->user[0] ? c->user : "-";
	cells[1] = b->ppid;
	cells[2] = b->phone;
	cells[3] = b->north;
	cells[4] = b->south;
	cells[5] = b->far;
	cells[6] = b->to_far;
	cells[7] = b->to_phone;
	cells[8] = b->dropped;
	cells[9] = b->duration;
	srtp_cell(c, b->srtp, sizeof(b->srtp));
	cells[10] = b->srtp;
}

static void calls_json(FILE *f, const struct pp_call_state *calls, size_t n)
{
	char buf[PP_IPV4_STRLEN];
	struct pp_json j;
	size_t i;

	pp_json_init(&j, f);
	pp_json_arr_begin(&j);
	for (i = 0; i < n; i++) {
		const struct pp_call_state *c = &calls[i];

		pp_json_obj_begin(&j);
		pp_json_kv_str(&j, "user", c->user);
		pp_json_kv_u64(&j, "ppid", c->ppid);
		pp_json_kv_str(&j, "phone_address", pp_ipv4_str(c->phone_addr, buf));
		pp_json_kv_u64(&j, "phone_port", c->phone_port);
		pp_json_kv_u64(&j, "phone_source_port", c->phone_src_port);
		pp_json_kv_str(&j, "north_address", pp_ipv4_str(c->north_addr, buf));
		pp_json_kv_u64(&j, "north_port", c->north_port);
		pp_json_kv_str(&j, "south_address", pp_ipv4_str(c->south_addr, buf));
		pp_json_kv_u64(&j, "south_port", c->south_port);
		if (c->far_addr)
			pp_json_kv_str(&j, "far_address", pp_ipv4_str(c->far_addr, buf));
		else
			pp_json_kv_null(&j, "far_address");
		pp_json_kv_u64(&j, "far_port", c->far_port);
		pp_json_kv_bool(&j, "receiving", c->rx);
		pp_json_kv_bool(&j, "sending", c->tx);
		pp_json_kv_u64(&j, "duration_secs", c->secs);
		pp_json_kv_u64(&j, "idle_secs", c->idle_secs);
		pp_json_kv_u64(&j, "phone_packets", c->phone_pkts);
		pp_json_kv_u64(&j, "phone_bytes", c->phone_bytes);
		pp_json_kv_u64(&j, "phone_drops", c->phone_drops);
		pp_json_kv_u64(&j, "far_packets", c->far_pkts);
		pp_json_kv_u64(&j, "far_bytes", c->far_bytes);
		pp_json_kv_u64(&j, "far_drops", c->far_drops);
		if (c->srtp_tx_suite || c->srtp_rx_suite) {
			pp_json_key(&j, "srtp");
			pp_json_obj_begin(&j);
			pp_json_kv_u64(&j, "tx_suite", c->srtp_tx_suite);
			pp_json_kv_u64(&j, "rx_suite", c->srtp_rx_suite);
			pp_json_kv_bool(&j, "tx_ready", c->srtp_ready & 1);
			pp_json_kv_bool(&j, "rx_ready", c->srtp_ready & 2);
			pp_json_kv_u64(&j, "protected", c->srtp_protected);
			pp_json_kv_u64(&j, "unprotected", c->srtp_unprotected);
			pp_json_kv_u64(&j, "dropped_auth", c->srtp_auth_fail);
			pp_json_kv_u64(&j, "dropped_replay", c->srtp_replay);
			pp_json_kv_u64(&j, "dropped_pending", c->srtp_pending);
			pp_json_kv_u64(&j, "dropped_other", c->srtp_other);
			pp_json_kv_u64(&j, "expanded", c->srtp_expanded);
			pp_json_obj_end(&j);
		}
		pp_json_obj_end(&j);
	}
	pp_json_arr_end(&j);
	fputc('\n', f);
}

void ppctl_print_calls(FILE *f, bool json, const struct pp_call_state *calls,
		       size_t n)
{
	static const char *const header[] = {
		"user", "ppid", "phone", "north", "south", "far",
		"to far", "to phone", "dropped", "duration", "srtp"
	};
	struct table t;
	int cols = 10;
	size_t i;
	int pass;

	if (json) {
		calls_json(f, calls, n);
		return;
	}
	/* The srtp column when a stream is secure. */
	for (i = 0; i < n; i++)
		if (calls[i].srtp_tx_suite || calls[i].srtp_rx_suite)
			cols = 11;
	table_init(&t, cols, header);
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1)
			table_header(f, &t);
		for (i = 0; i < n; i++) {
			struct call_cells b;
			const char *cells[11];

			call_cells(&calls[i], &b, cells);
			if (pass == 0)
				table_measure(&t, cells);
			else
				table_row(f, &t, cells);
		}
	}
}

void ppctl_print_event(FILE *f, bool json, const struct pp_event_info *ev)
{
	const char *type = pp_event_name(ev->type);
	const char *reason = pp_reason_name(ev->reason);
	bool reg = ev->type == PP_EVENT_REGISTERED ||
		   ev->type == PP_EVENT_UNREGISTERED || ev->type == PP_EVENT_REFUSED;
	char addr[PP_IPV4_STRLEN], ccm[PP_IPV4_STRLEN], num[16];

	pp_ipv4_str(ev->addr, addr);
	pp_ipv4_str(ev->ccm_addr, ccm);
	if (!reason) {
		snprintf(num, sizeof(num), "%u", ev->reason);
		reason = num;
	}
	if (json) {
		struct pp_json j;

		pp_json_init(&j, f);
		pp_json_obj_begin(&j);
		pp_json_kv_str(&j, "event", type ? type : "unknown");
		pp_json_kv_str(&j, "user", ev->name);
		pp_json_kv_str(&j, "sid", ev->sid);
		pp_json_kv_str(&j, "addr", addr);
		if (reg) {
			pp_json_kv_str(&j, "ccm", ccm);
			pp_json_kv_str(&j, "device", ev->device);
		}
		if (!reg || ev->reason)
			pp_json_kv_str(&j, "reason", reason);
		pp_json_obj_end(&j);
		fputc('\n', f);
		return;
	}
	fprintf(f, "%s user=", type ? type : "unknown");
	ppctl_quote(f, ev->name[0] || !reg ? ev->name : "-");
	fprintf(f, " sid=");
	ppctl_quote(f, ev->sid[0] ? ev->sid : "-");
	fprintf(f, " addr=%s", addr);
	if (reg) {
		fprintf(f, " ccm=%s device=", ccm);
		ppctl_quote(f, ev->device[0] ? ev->device : "-");
	}
	if (!reg || ev->reason)
		fprintf(f, " reason=%s", reason);
	fputc('\n', f);
}

void ppctl_print_running(FILE *f, const struct pp_config *c,
			 const char *users_path)
{
	pp_settings_print(f, PP_HOLD_MODULE, c);
	if (users_path) {
		fputs("publish ", f);
		ppctl_quote(f, users_path);
		fputc('\n', f);
	}
}

void ppctl_print_config_json(FILE *f, const char *path, bool saved,
			     const char *text)
{
	struct pp_json j;
	const char *p = text ? text : "";

	pp_json_init(&j, f);
	pp_json_obj_begin(&j);
	if (path)
		pp_json_kv_str(&j, "path", path);
	pp_json_kv_bool(&j, "saved", saved);
	pp_json_key(&j, "commands");
	pp_json_arr_begin(&j);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len);
		const char *s = line;

		if (line) {
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s && *s != '#')
				pp_json_str(&j, line);
			free(line);
		}
		p += len;
		if (*p)
			p++;
	}
	pp_json_arr_end(&j);
	pp_json_obj_end(&j);
	fputc('\n', f);
}

void ppctl_print_version(FILE *f, bool json, const struct ppctl_version *v)
{
	if (json) {
		struct pp_json j;

		pp_json_init(&j, f);
		pp_json_obj_begin(&j);
		pp_json_kv_str(&j, "ppctl", v->ppctl);
		pp_json_kv_u64(&j, "uapi", (uint64_t)v->uapi);
		pp_json_key(&j, "module");
		if (v->module) {
			pp_json_obj_begin(&j);
			if (v->module_version[0])
				pp_json_kv_str(&j, "version", v->module_version);
			else
				pp_json_kv_null(&j, "version");
			if (v->module_uapi >= 0)
				pp_json_kv_u64(&j, "uapi", (uint64_t)v->module_uapi);
			else
				pp_json_kv_null(&j, "uapi");
			pp_json_obj_end(&j);
		} else {
			pp_json_null(&j);
		}
		pp_json_key(&j, "kernel");
		pp_json_obj_begin(&j);
		pp_json_kv_str(&j, "sysname", v->sysname);
		pp_json_kv_str(&j, "release", v->release);
		pp_json_kv_str(&j, "machine", v->machine);
		pp_json_obj_end(&j);
		pp_json_obj_end(&j);
		fputc('\n', f);
		return;
	}
	fprintf(f, "ppctl   %s (uapi version %d)\n", v->ppctl, v->uapi);
	if (!v->module) {
		fprintf(f, "module  not loaded\n");
	} else {
		fprintf(f, "module  %s", v->module_version[0] ? v->module_version : "unknown");
		if (v->module_uapi >= 0)
			fprintf(f, " (uapi version %d%s)", v->module_uapi,
				v->module_uapi != v->uapi ? ", not ppctl's" : "");
		if (v->module_version[0] && strcmp(v->module_version, v->ppctl))
			fprintf(f, " (not ppctl's version)");
		fputc('\n', f);
	}
	fprintf(f, "kernel  %s %s %s\n", v->sysname, v->release, v->machine);
}

/* A line of "show status". */
enum status_state { ST_OK, ST_PROBLEM, ST_INFO };

struct status_check {
	const char *key;
	enum status_state state;
	char detail[192];
};

static const char *const status_word[] = { "ok", "PROBLEM", "-" };

/* A daemon's check: required (1), not (0: why_not says why) or unknown (-1). */
static void status_daemon(struct status_check *c, const char *key, int rc, int required,
			  const char *why_not)
{
	char base[128];

	c->key = key;
	if (rc >= 0) {
		c->state = ST_OK;
		snprintf(c->detail, sizeof(c->detail), "running");
		return;
	}
	if (rc == -ENOENT)
		snprintf(base, sizeof(base), "not running");
	else
		snprintf(base, sizeof(base), "does not answer: %s", strerror(-rc));
	c->state = required > 0 ? ST_PROBLEM : ST_INFO;
	if (required == 0)
		snprintf(c->detail, sizeof(c->detail), "%s (not required: %s)", base, why_not);
	else
		snprintf(c->detail, sizeof(c->detail), "%s", base);
}

static void status_addr(struct status_check *c, const char *key, bool module, uint32_t addr)
{
	char buf[PP_IPV4_STRLEN];

	c->key = key;
	if (!module) {
		c->state = ST_INFO;
		snprintf(c->detail, sizeof(c->detail), "unknown (module not loaded)");
	} else if (!addr) {
		c->state = ST_PROBLEM;
		snprintf(c->detail, sizeof(c->detail),
			 "no %s address: \"set interface %s address <ip>\"", key, key);
	} else {
		c->state = ST_OK;
		snprintf(c->detail, sizeof(c->detail), "%s", pp_ipv4_str(addr, buf));
	}
}

int ppctl_print_status(FILE *f, bool json, const struct ppctl_status *s)
{
	struct status_check c[10];
	int n = 0, problems = 0, i;

	memset(c, 0, sizeof(c));
	c[n].key = "module";
	c[n].state = s->module ? ST_OK : ST_PROBLEM;
	snprintf(c[n].detail, sizeof(c[n].detail), "%s",
		 s->module ? "loaded" : s->module_error[0] ? s->module_error : "not loaded");
	n++;
	status_addr(&c[n++], "north", s->module, s->north_addr);
	status_addr(&c[n++], "south", s->module, s->south_addr);
	c[n].key = "ip_forward";
	if (s->ip_forward > 0) {
		c[n].state = ST_OK;
		snprintf(c[n].detail, sizeof(c[n].detail), "net.ipv4.ip_forward is 1");
	} else if (s->ip_forward == 0) {
		c[n].state = ST_PROBLEM;
		snprintf(c[n].detail, sizeof(c[n].detail),
			 "net.ipv4.ip_forward is 0 in this network namespace: EVERY SCCP "
			 "connection is dropped (sysctl -w net.ipv4.ip_forward=1)");
	} else {
		c[n].state = ST_PROBLEM;
		snprintf(c[n].detail, sizeof(c[n].detail),
			 "cannot read /proc/sys/net/ipv4/ip_forward: %s", strerror(-s->ip_forward));
	}
	n++;
	status_daemon(&c[n++], "pp-tftpd", s->tftpd, 1, NULL);
	status_daemon(&c[n++], "pp-httpd", s->httpd, !s->module ? -1 : s->http,
		      "http and httpproxy off");
	status_daemon(&c[n++], "pp-tlsd", s->tlsd, !s->module ? -1 : s->sccp_security,
		      "sccp security off");
	/* The proxy works without it; the guide's log does not. */
	status_daemon(&c[n++], "pp-logd", s->logd, 0,
		      "phoneproxy.log is not written; journald has every line");
	for (i = 0; i < n; i++)
		problems += c[i].state == ST_PROBLEM;

	if (json) {
		struct pp_json j;

		pp_json_init(&j, f);
		pp_json_obj_begin(&j);
		pp_json_kv_bool(&j, "ok", problems == 0);
		pp_json_kv_u64(&j, "problems", (uint64_t)problems);
		pp_json_key(&j, "checks");
		pp_json_arr_begin(&j);
		for (i = 0; i < n; i++) {
			pp_json_obj_begin(&j);
			pp_json_kv_str(&j, "check", c[i].key);
			pp_json_kv_str(&j, "state", c[i].state == ST_OK ? "ok" :
				       c[i].state == ST_PROBLEM ? "problem" : "unknown");
			pp_json_kv_str(&j, "detail", c[i].detail);
			pp_json_obj_end(&j);
		}
		pp_json_arr_end(&j);
		pp_json_key(&j, "counts");
		if (s->counts) {
			pp_json_obj_begin(&j);
			pp_json_kv_u64(&j, "users", s->users);
			pp_json_kv_u64(&j, "active", s->active);
			if (s->registered_known)
				pp_json_kv_u64(&j, "registered", s->registered);
			else
				pp_json_kv_null(&j, "registered");
			pp_json_kv_u64(&j, "calls", s->calls);
			pp_json_obj_end(&j);
		} else {
			pp_json_null(&j);
		}
		pp_json_obj_end(&j);
		fputc('\n', f);
		return problems;
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%-11s %-8s %s\n", c[i].key, status_word[c[i].state], c[i].detail);
	if (s->counts) {
		char reg[16];

		if (s->registered_known)
			snprintf(reg, sizeof(reg), "%" PRIu32, s->registered);
		fprintf(f, "%-11s %-8s %" PRIu32 " published, %" PRIu32 " active, %s"
			" registered; %" PRIu32 " call%s now\n", "users", "-", s->users,
			s->active, s->registered_known ? reg : "? (not permitted)", s->calls,
			s->calls == 1 ? "" : "s");
	}
	if (problems)
		fprintf(f, "status: %d PROBLEM%s: the proxy cannot work\n", problems,
			problems == 1 ? "" : "S");
	else
		fprintf(f, "status: ok: the proxy can work\n");
	return problems;
}
