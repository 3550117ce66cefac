// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl's output against the guide: the "show user" table (name, sid,
 * addr or [inactive], duration, connected), the running configuration as
 * replayable commands, the monitor's event lines, the media streams
 * ("show calls"), and the JSON forms.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "grammar.h"
#include "json.h"
#include "output.h"
#include "tap.h"

/* Capture what fn prints. */
#define CAPTURE(text, call) do {					\
	size_t len_;							\
	FILE *f = open_memstream(&(text), &len_);			\
	call;								\
	fclose(f);							\
} while (0)

static struct pp_user_state user(const char *name, const char *sid, uint32_t addr,
				 uint64_t secs, uint32_t conn, uint32_t total)
{
	struct pp_user_state u;

	memset(&u, 0, sizeof(u));
	snprintf(u.name, sizeof(u.name), "%s", name);
	snprintf(u.sid, sizeof(u.sid), "%s", sid);
	strcpy(u.ccm, "ccm");
	u.enabled = true;
	if (addr) {
		u.active = true;
		u.addr = htonl(addr);
		u.active_secs = secs;
		u.reason = PP_REASON_CLI;
		u.connections = conn;
		u.connections_total = total;
	}
	return u;
}

static void test_show_user(void)
{
	struct pp_user_state users[3];
	char *text = NULL;

	users[0] = user("marge", "SEP0003E348E321", 0, 0, 0, 0);
	users[1] = user("homer", "SEP001647051B3A", 0xc0000264, 160, 1, 1);
	CAPTURE(text, ppctl_print_users(f, false, users, 2));
	is_str(text,
	       "name   sid              addr         duration  connected\n"
	       "----   ---              ----         --------  ---------\n"
	       "marge  SEP0003E348E321  [inactive]\n"
	       "homer  SEP001647051B3A  192.0.2.100  2m 40s    c 1:1\n",
	       "show user: the guide's columns, padded, [inactive], 2m 40s, c 1:1");
	free(text);

	CAPTURE(text, ppctl_print_users(f, false, users, 0));
	is_str(text,
	       "name  sid  addr  duration  connected\n"
	       "----  ---  ----  --------  ---------\n",
	       "show user with no users: header and dashes only");
	free(text);

	/* Active, never connected: no "connected" column; long names widen. */
	users[0] = user("bart", "SEP001122334455", 0xcb007101, 3785, 0, 0);
	users[1] = user("maggie-simpson", "SEP00AABBCCDDEE", 0xcb007102, 2 * 86400 + 4 * 3600 + 61, 0, 2);
	users[2] = user("lisa", "SEP001122334466", 0xc000020a, 12, 2, 7);
	CAPTURE(text, ppctl_print_users(f, false, users, 3));
	is_str(text,
	       "name            sid              addr         duration  connected\n"
	       "----            ---              ----         --------  ---------\n"
	       "bart            SEP001122334455  203.0.113.1  1h 3m 5s\n"
	       "maggie-simpson  SEP00AABBCCDDEE  203.0.113.2  2d 4h 1m  c 0:2\n"
	       "lisa            SEP001122334466  192.0.2.10   12s       c 2:7\n",
	       "show user: c N:M only after a connection, durations past an hour and a day");
	free(text);

	users[0] = user("marge", "SEP0003E348E321", 0, 0, 0, 0);
	users[0].enabled = false;
	users[1] = user("homer", "SEP001647051B3A", 0xc000020a, 160, 1, 1);
	CAPTURE(text, ppctl_print_users(f, true, users, 2));
	is_str(text,
	       "[{\"name\":\"marge\",\"id\":\"\",\"sid\":\"SEP0003E348E321\",\"ccm\":\"ccm\","
	       "\"enabled\":false,\"active\":false,\"addr\":null},"
	       "{\"name\":\"homer\",\"id\":\"\",\"sid\":\"SEP001647051B3A\",\"ccm\":\"ccm\","
	       "\"enabled\":true,\"active\":true,\"addr\":\"192.0.2.10\",\"active_secs\":160,"
	       "\"duration\":\"2m 40s\",\"reason\":\"cli\",\"connections\":1,"
	       "\"connections_total\":1,\"registered\":0}]\n",
	       "show user -j: one object per user, addr null when inactive");
	free(text);
}

/* In a cluster (docs/cluster.md "Registrations"): the node column. */
static void test_show_user_nodes(void)
{
	struct ppctl_user_nodes nodes[3] = {
		{ .id = { 1 }, .n = 1 }, { .n = 0 }, { .id = { 2, 3 }, .n = 2 },
	};
	/* Node 1 named (cluster.xml's or corosync's name), 2 and 3 not. */
	struct ppctl_node_names names = { .self = 2, .id = { 1 }, .name = { "pp-blue01" }, .n = 1 };
	struct pp_user_state users[3];
	char *text = NULL;

	users[0] = user("homer", "SEP001647051B3A", 0xc000020a, 160, 0, 0);
	users[1] = user("marge", "SEP0003E348E321", 0, 0, 0, 0);
	users[2] = user("lisa", "SEP001122334466", 0xc0000214, 12, 1, 1);
	users[2].registered = 1;
	CAPTURE(text, ppctl_print_users_nodes(f, false, users, 3, nodes, &names));
	is_str(text,
	       "name   sid              addr        duration  connected  node\n"
	       "----   ---              ----        --------  ---------  ----\n"
	       "homer  SEP001647051B3A  192.0.2.10  2m 40s               pp-blue01\n"
	       "marge  SEP0003E348E321  [inactive]\n"
	       "lisa   SEP001122334466  192.0.2.20  12s       c 1:1 reg  2 (this node), 3\n",
	       "show user in a cluster: the node each phone is registered through, by name (id when not named), this node said");
	free(text);

	CAPTURE(text, ppctl_print_users_nodes(f, true, users, 2, nodes, &names));
	is_str(text,
	       "[{\"name\":\"homer\",\"id\":\"\",\"sid\":\"SEP001647051B3A\",\"ccm\":\"ccm\","
	       "\"enabled\":true,\"active\":true,\"addr\":\"192.0.2.10\",\"active_secs\":160,"
	       "\"duration\":\"2m 40s\",\"reason\":\"cli\",\"connections\":0,"
	       "\"connections_total\":0,\"registered\":0,"
	       "\"through\":[{\"node\":\"pp-blue01\",\"node_id\":1,\"this_node\":false}]},"
	       "{\"name\":\"marge\",\"id\":\"\",\"sid\":\"SEP0003E348E321\",\"ccm\":\"ccm\","
	       "\"enabled\":true,\"active\":false,\"addr\":null,\"through\":[]}]\n",
	       "show user -j in a cluster: \"through\", the nodes by name and id (none: [])");
	free(text);

	CAPTURE(text, ppctl_print_users_nodes(f, false, users, 1, NULL, NULL));
	is_str(text,
	       "name   sid              addr        duration  connected\n"
	       "----   ---              ----        --------  ---------\n"
	       "homer  SEP001647051B3A  192.0.2.10  2m 40s\n",
	       "show user without a cluster: no node column");
	free(text);
}

static struct pp_config defaults(void)
{
	struct pp_config c;
	int a;

	memset(&c, 0, sizeof(c));
	for (a = PP_A_CFG_NORTH_ADDR; a <= PP_A_CFG_RTP_PORT_MAX; a++)
		c.present |= PP_CFG_BIT(a);
	c.present |= PP_CFG_BIT(PP_A_CFG_MEDIA_TIMEOUT);
	c.sccp_port = PP_DEFAULT_SCCP_PORT;
	c.sccp_security_port = PP_DEFAULT_SCCP_SECURITY_PORT;
	c.tftp_port = PP_DEFAULT_TFTP_PORT;
	c.httpproxy_port = PP_DEFAULT_HTTPPROXY_PORT;
	c.http = 1;
	c.act_mode = PP_ACT_MODE_REQUIRED;
	c.idle_timeout = PP_DEFAULT_IDLE_TIMEOUT;
	c.auth_timeout = PP_DEFAULT_AUTH_TIMEOUT;
	c.rtp_port_min = PP_DEFAULT_RTP_PORT_MIN;
	c.rtp_port_max = PP_DEFAULT_RTP_PORT_MAX;
	c.media_timeout = PP_DEFAULT_MEDIA_TIMEOUT;
	return c;
}

static void test_running_config(void)
{
	struct pp_config c = defaults();
	struct ppctl_error err;
	char *text = NULL, *line, *save = NULL;
	int lines = 0, parsed = 0;

	CAPTURE(text, ppctl_print_running(f, &c, NULL));
	is_str(text,
	       "set phoneproxy activation mode required\n"
	       "set phoneproxy activation idletimeout 300\n"
	       "set phoneproxy activation authtimeout 0\n"
	       "set phoneproxy http enable\n"
	       "set phoneproxy httpproxy disable\n"
	       "set phoneproxy sccp security off\n"
	       "set phoneproxy rtp ports 20480 21680\n"
	       "set phoneproxy media timeout 60\n",
	       "show config running of a fresh namespace: the guide's defaults");
	free(text);

	c.north_addr = htonl(0xc0000201);
	c.south_addr = htonl(0xc6336401);
	c.act_mode = PP_ACT_MODE_OPEN;
	c.idle_timeout = 120;
	c.auth_timeout = 3600;
	c.httpproxy = 1;
	c.sccp_security = 1;
	c.http = 0;
	c.media_timeout = 0;
	CAPTURE(text, ppctl_print_running(f, &c, "/var/lib/phone proxy/users.xml"));
	is_str(text,
	       "set phoneproxy activation mode open\n"
	       "set phoneproxy activation idletimeout 120\n"
	       "set phoneproxy activation authtimeout 3600\n"
	       "set phoneproxy http disable\n"
	       "set phoneproxy httpproxy enable\n"
	       "set phoneproxy sccp security on\n"
	       "set phoneproxy rtp ports 20480 21680\n"
	       "set phoneproxy media timeout 0\n"
	       "set interface north address 192.0.2.1\n"
	       "set interface south address 198.51.100.1\n"
	       "publish \"/var/lib/phone proxy/users.xml\"\n",
	       "show config running: changed values, interface roles, then publish");

	/* Every line replays through the grammar. */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *argv[PPCTL_MAX_WORDS];
		struct ppctl_cmd cmd;
		int argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &err);

		lines++;
		if (argc > 0 && ppctl_parse(ppctl_commands, argc, argv, &cmd, &err) ==
		    PPCTL_PARSE_OK)
			parsed++;
		else
			diag("does not replay: %s (%s)", line, err.msg);
		if (cmd.def && cmd.def->handler == ppctl_do_publish)
			ok(!strcmp(cmd.file, "/var/lib/phone proxy/users.xml"),
			   "a quoted publish path reads back whole");
	}
	ok(lines == 11 && parsed == lines, "show config running replays through the grammar (%d/%d)",
	   parsed, lines);
	free(text);

	c.present = PP_CFG_BIT(PP_A_CFG_IDLE_TIMEOUT);
	CAPTURE(text, ppctl_print_running(f, &c, NULL));
	is_str(text, "set phoneproxy activation idletimeout 120\n",
	       "settings the kernel did not report are left out");
	free(text);
}

static void test_show_phoneproxy(void)
{
	struct pp_config c = defaults();
	char *text = NULL;

	CAPTURE(text, ppctl_print_config(f, false, &c));
	is_str(text,
	       "north address           unset\n"
	       "south address           unset\n"
	       "activation mode         required\n"
	       "activation idletimeout  300\n"
	       "activation authtimeout  0 (off)\n"
	       "http                    enable\n"
	       "httpproxy               disable\n"
	       "httpproxy port          8088\n"
	       "sccp port               2000\n"
	       "sccp security           off\n"
	       "sccp security port      2443\n"
	       "tftp port               69\n"
	       "rtp ports               20480 21680\n"
	       "media timeout           60\n",
	       "show phoneproxy: every setting, defaults");
	free(text);

	c.north_addr = htonl(0xc0000201);
	CAPTURE(text, ppctl_print_config(f, true, &c));
	is_str(text,
	       "{\"north_address\":\"192.0.2.1\",\"south_address\":null,"
	       "\"activation_mode\":\"required\",\"activation_idletimeout\":300,"
	       "\"activation_authtimeout\":0,\"http\":true,\"httpproxy\":false,"
	       "\"httpproxy_port\":8088,\"sccp_port\":2000,\"sccp_security\":false,"
	       "\"sccp_security_port\":2443,\"tftp_port\":69,\"rtp_port_min\":20480,"
	       "\"rtp_port_max\":21680,\"media_timeout\":60}\n",
	       "show phoneproxy -j");
	free(text);
}

/* The counters the show counters/stats tests print. */
static const struct pp_stats known_stats = {
	.accept_web = 12, .accept_activated = 3, .accept_open = 0,
	.accept_reply = 40, .drop = 7, .users = 3, .activations = 1,
	.sccp_conns = 5, .sccp_open = 2, .sccp_registered = 4,
	.sccp_sid_mismatch = 1, .sccp_ooo = 6, .sccp_rewrites = 9,
	.fwd_drop = 8, .media_streams = 4, .media_streams_total = 10,
	.media_pkts = 123456, .media_bytes = 21234432, .media_drops = 17,
	.media_no_port = 2, .media_timeouts = 3, .media_calls = 2,
	.media_calls_total = 5, .sccp_conn_limit = 11,
	.media_unopened = 600, .media_stream_limit = 1,
	.media_port_drops = 20, .sccp_inconsistent = 12,
	.sccp_claimed = 13, .sccp_plain_refused = 14, .sccp_adhoc = 30, .sccp_adhoc_limit = 31,
	.sccp_nobuf = 32, .sccp_rings = 33,
	.srtp_protected = 21, .srtp_unprotected = 22,
	.srtp_auth_fail = 23, .srtp_replay = 24, .srtp_pending = 25,
	.srtp_other = 26, .srtp_expanded = 27, .srtp_keys = 28,
	.srtp_alloc_fail = 29,
};

static void test_ccms_counters(void)
{
	struct pp_ccm_state ccms[2] = {
		{ .name = "ccm", .addr = htonl(0xc633640a), .is_default = true },
		{ .name = "lab-cluster", .addr = htonl(0xcb007105) },
	};
	struct pp_stats st = known_stats;
	char *text = NULL;

	CAPTURE(text, ppctl_print_ccms(f, false, ccms, 2, NULL));
	is_str(text,
	       "name         address        default\n"
	       "----         -------        -------\n"
	       "ccm          198.51.100.10  yes\n"
	       "lab-cluster  203.0.113.5\n",
	       "show callmanager");
	free(text);
	CAPTURE(text, ppctl_print_ccms(f, true, ccms, 2, NULL));
	is_str(text,
	       "[{\"name\":\"ccm\",\"address\":\"198.51.100.10\",\"default\":true},"
	       "{\"name\":\"lab-cluster\",\"address\":\"203.0.113.5\",\"default\":false}]\n",
	       "show callmanager -j");
	free(text);
	CAPTURE(text, ppctl_print_stats(f, false, &st));
	is_str(text,
	       "accept web          12\n"
	       "accept activated    3\n"
	       "accept open         0\n"
	       "accept reply        40\n"
	       "drop                7\n"
	       "users               3\n"
	       "activations         1\n"
	       "sccp connections    5\n"
	       "sccp open           2\n"
	       "sccp registered     4\n"
	       "sccp sid mismatch   1\n"
	       "sccp stream errors  0\n"
	       "sccp out of order   6\n"
	       "sccp rewrites       9\n"
	       "sccp inconsistent   12\n"
	       "forward drop        8\n"
	       "media calls         2\n"
	       "media calls total   5\n"
	       "media streams       4\n"
	       "media streams total 10\n"
	       "media packets       123456\n"
	       "media bytes         21234432\n"
	       "media drops         17\n"
	       "media no port       2\n"
	       "media timeouts      3\n"
	       "sccp conn limit     11\n"
	       "media unopened      600\n"
	       "media stream limit  1\n"
	       "media port drops    20\n"
	       "sccp claimed        13\n"
	       "sccp plain refused  14\n"
	       "sccp adhoc          30\n"
	       "sccp adhoc limit    31\n"
	       "sccp no buffer      32\n"
	       "sccp buffers        33\n"
	       "srtp protected      21\n"
	       "srtp unprotected    22\n"
	       "srtp auth fail      23\n"
	       "srtp replay         24\n"
	       "srtp pending        25\n"
	       "srtp other          26\n"
	       "srtp expanded       27\n"
	       "srtp keys           28\n"
	       "srtp alloc fail     29\n",
	       "show counters, with the media relay's and SRTP's");
	free(text);
	CAPTURE(text, ppctl_print_stats(f, true, &st));
	is_str(text,
	       "{\"accept_web\":12,\"accept_activated\":3,\"accept_open\":0,"
	       "\"accept_reply\":40,\"drop\":7,\"users\":3,\"activations\":1,"
	       "\"sccp_connections\":5,\"sccp_open\":2,\"sccp_registered\":4,"
	       "\"sccp_sid_mismatch\":1,\"sccp_stream_errors\":0,"
	       "\"sccp_out_of_order\":6,\"sccp_rewrites\":9,"
	       "\"sccp_inconsistent\":12,\"forward_drop\":8,"
	       "\"media_calls\":2,\"media_calls_total\":5,"
	       "\"media_streams\":4,\"media_streams_total\":10,\"media_packets\":123456,"
	       "\"media_bytes\":21234432,\"media_drops\":17,\"media_no_port\":2,"
	       "\"media_timeouts\":3,\"sccp_conn_limit\":11,\"media_unopened\":600,"
	       "\"media_stream_limit\":1,\"media_port_drops\":20,"
	       "\"sccp_claimed\":13,\"sccp_plain_refused\":14,\"sccp_adhoc\":30,\"sccp_adhoc_limit\":31,"
	       "\"sccp_no_buffer\":32,\"sccp_buffers\":33,"
	       "\"srtp_protected\":21,\"srtp_unprotected\":22,\"srtp_auth_fail\":23,"
	       "\"srtp_replay\":24,\"srtp_pending\":25,\"srtp_other\":26,"
	       "\"srtp_expanded\":27,\"srtp_keys\":28,\"srtp_alloc_fail\":29}\n",
	       "show counters -j");
	free(text);
	CAPTURE(text, ppctl_print_call_stats(f, NULL, &st));
	is_str(text,
	       "sccp\n"
	       "  connections                 5\n"
	       "  open now                    2\n"
	       "  stream buffers now          33\n"
	       "  registrations               4\n"
	       "  fields rewritten            9\n"
	       "  reset: SID mismatch         1\n"
	       "  reset: stream error         0\n"
	       "  dropped: out of order       6\n"
	       "  dropped: inconsistent       12\n"
	       "  dropped: not proxied        8\n"
	       "  dropped: no stream buffer   32\n"
	       "  refused: connection limit   11\n"
	       "  handed over (TLS)           13\n"
	       "  refused: plain, secure on   14\n"
	       "  to AdHoCuSeR (open mode)    30\n"
	       "  refused: AdHoCuSeR limit    31\n"
	       "media\n"
	       "  calls now (phones)          2\n"
	       "  calls (phones)              5\n"
	       "  streams now                 4\n"
	       "  streams                     10\n"
	       "  packets relayed             123456\n"
	       "  bytes relayed               21234432\n"
	       "  dropped: wrong source       17\n"
	       "  dropped: no stream          2\n"
	       "  ended: idle timeout         3\n"
	       "  refused: channel not opened 600\n"
	       "  refused: stream limit       1\n"
	       "  dropped: not latched port   20\n"
	       "srtp\n"
	       "  keys to phones              28\n"
	       "  encrypted to phones         21\n"
	       "  decrypted from phones       22\n"
	       "  dropped: authentication     23\n"
	       "  dropped: replay             24\n"
	       "  dropped: key pending        25\n"
	       "  dropped: malformed, other   26\n"
	       "  packets copied for the tag  27\n"
	       "  contexts not made           29\n",
	       "show stats: SCCP, media and SRTP sections, drops by reason");
	free(text);
	{
		struct pp_json j;

		CAPTURE(text, (pp_json_init(&j, f), pp_json_obj_begin(&j),
			       ppctl_print_call_stats(f, &j, &st),
			       pp_json_obj_end(&j)));
	}
	is_str(text,
	       "{\"sccp\":{\"connections\":5,\"open\":2,\"buffers\":33,\"registrations\":4,"
	       "\"rewrites\":9,\"reset_sid_mismatch\":1,\"reset_stream_error\":0,"
	       "\"dropped_out_of_order\":6,\"dropped_inconsistent\":12,"
	       "\"dropped_not_proxied\":8,\"dropped_no_buffer\":32,\"refused_conn_limit\":11,"
	       "\"claimed\":13,\"refused_plain\":14,\"adhoc\":30,\"refused_adhoc_limit\":31},"
	       "\"media\":{\"calls\":2,\"calls_total\":5,\"streams\":4,\"streams_total\":10,\"packets\":123456,"
	       "\"bytes\":21234432,\"dropped_wrong_source\":17,"
	       "\"dropped_no_stream\":2,\"ended_idle\":3,\"refused_unopened\":600,"
	       "\"refused_stream_limit\":1,\"dropped_source_port\":20},"
	       "\"srtp\":{\"keys\":28,\"protected\":21,\"unprotected\":22,"
	       "\"dropped_auth\":23,\"dropped_replay\":24,\"dropped_pending\":25,"
	       "\"dropped_other\":26,\"expanded\":27,\"context_failures\":29}}",
	       "show stats -j: sccp, media and srtp objects");
	free(text);
}

static void test_show_calls(void)
{
	struct pp_call_state calls[3];
	char *text = NULL;

	memset(calls, 0, sizeof(calls));
	/* A call in progress: the phone sends from its NAT router's port. */
	snprintf(calls[0].user, sizeof(calls[0].user), "homer");
	calls[0].ppid = 16777217;
	calls[0].phone_addr = htonl(0xc000020a);
	calls[0].phone_port = 24000;
	calls[0].phone_src_port = 61000;
	calls[0].north_addr = htonl(0xc0000201);
	calls[0].north_port = 20480;
	calls[0].south_addr = htonl(0xc6336401);
	calls[0].south_port = 20482;
	calls[0].far_addr = htonl(0xc6336414);
	calls[0].far_port = 30000;
	calls[0].rx = calls[0].tx = true;
	calls[0].secs = 95;
	calls[0].phone_pkts = 4750;
	calls[0].phone_bytes = 817000;
	calls[0].far_pkts = 4749;
	calls[0].far_bytes = 816828;
	calls[0].far_drops = 3;
	/* Just set up: nothing known of the far end, nothing sent. */
	snprintf(calls[1].user, sizeof(calls[1].user), "marge");
	calls[1].ppid = 2;
	calls[1].phone_addr = htonl(0xc0000214);
	calls[1].north_addr = htonl(0xc0000201);
	calls[1].north_port = 20484;
	calls[1].south_addr = htonl(0xc6336401);
	calls[1].south_port = 20480;
	calls[1].rx = true;
	calls[2] = calls[1];
	calls[2].user[0] = '\0';
	calls[2].ppid = 3;
	calls[2].phone_src_port = 24002;

	CAPTURE(text, ppctl_print_calls(f, false, calls, 3));
	is_str(text,
	       "user   ppid      phone             north  south  far                  "
	       "to far       to phone     dropped  duration\n"
	       "----   ----      -----             -----  -----  ---                  "
	       "------       --------     -------  --------\n"
	       "homer  16777217  192.0.2.10:24000  20480  20482  198.51.100.20:30000  "
	       "4750/817000  4749/816828  0/3      1m 35s\n"
	       "marge  2         192.0.2.20        20484  20480  -                    "
	       "0/0          0/0          0/0      0s\n"
	       "-      3         192.0.2.20:24002  20484  20480  -                    "
	       "0/0          0/0          0/0      0s\n",
	       "show calls: user, ppid, phone (announced port, else its source), relay ports, "
	       "far end, packets/bytes each way, drops");
	free(text);

	CAPTURE(text, ppctl_print_calls(f, true, calls, 2));
	is_str(text,
	       "[{\"user\":\"homer\",\"ppid\":16777217,\"phone_address\":\"192.0.2.10\","
	       "\"phone_port\":24000,\"phone_source_port\":61000,"
	       "\"north_address\":\"192.0.2.1\",\"north_port\":20480,"
	       "\"south_address\":\"198.51.100.1\",\"south_port\":20482,"
	       "\"far_address\":\"198.51.100.20\",\"far_port\":30000,"
	       "\"receiving\":true,\"sending\":true,\"duration_secs\":95,\"idle_secs\":0,"
	       "\"phone_packets\":4750,\"phone_bytes\":817000,\"phone_drops\":0,"
	       "\"far_packets\":4749,\"far_bytes\":816828,\"far_drops\":3},"
	       "{\"user\":\"marge\",\"ppid\":2,\"phone_address\":\"192.0.2.20\","
	       "\"phone_port\":0,\"phone_source_port\":0,"
	       "\"north_address\":\"192.0.2.1\",\"north_port\":20484,"
	       "\"south_address\":\"198.51.100.1\",\"south_port\":20480,"
	       "\"far_address\":null,\"far_port\":0,"
	       "\"receiving\":true,\"sending\":false,\"duration_secs\":0,\"idle_secs\":0,"
	       "\"phone_packets\":0,\"phone_bytes\":0,\"phone_drops\":0,"
	       "\"far_packets\":0,\"far_bytes\":0,\"far_drops\":0}]\n",
	       "show calls -j: one object per stream, far_address null when not known");
	free(text);

	CAPTURE(text, ppctl_print_calls(f, false, calls, 0));
	is_str(text,
	       "user  ppid  phone  north  south  far  to far  to phone  dropped  duration\n"
	       "----  ----  -----  -----  -----  ---  ------  --------  -------  --------\n",
	       "show calls without a call: the header only");
	free(text);
	CAPTURE(text, ppctl_print_calls(f, true, calls, 0));
	is_str(text, "[]\n", "show calls -j without a call: []");
	free(text);

	/* Secure: both ways _80, the phone's context still being made. */
	calls[1].srtp_tx_suite = 2;
	calls[1].srtp_rx_suite = 2;
	calls[1].srtp_ready = 1;
	calls[1].srtp_auth_fail = 4;
	calls[1].srtp_replay = 5;
	calls[1].srtp_pending = 6;
	calls[1].srtp_protected = 7;
	CAPTURE(text, ppctl_print_calls(f, false, calls, 2));
	is_str(text,
	       "user   ppid      phone             north  south  far                  "
	       "to far       to phone     dropped  duration  srtp\n"
	       "----   ----      -----             -----  -----  ---                  "
	       "------       --------     -------  --------  ----\n"
	       "homer  16777217  192.0.2.10:24000  20480  20482  198.51.100.20:30000  "
	       "4750/817000  4749/816828  0/3      1m 35s    -\n"
	       "marge  2         192.0.2.20        20484  20480  -                    "
	       "0/0          0/0          0/0      0s        "
	       "tx/80,rx/80(keying) auth 4 replay 5\n",
	       "show calls marks a secure stream: suites, keying, auth and replay drops");
	free(text);
	CAPTURE(text, ppctl_print_calls(f, true, calls + 1, 1));
	is_str(text,
	       "[{\"user\":\"marge\",\"ppid\":2,\"phone_address\":\"192.0.2.20\","
	       "\"phone_port\":0,\"phone_source_port\":0,"
	       "\"north_address\":\"192.0.2.1\",\"north_port\":20484,"
	       "\"south_address\":\"198.51.100.1\",\"south_port\":20480,"
	       "\"far_address\":null,\"far_port\":0,"
	       "\"receiving\":true,\"sending\":false,\"duration_secs\":0,\"idle_secs\":0,"
	       "\"phone_packets\":0,\"phone_bytes\":0,\"phone_drops\":0,"
	       "\"far_packets\":0,\"far_bytes\":0,\"far_drops\":0,"
	       "\"srtp\":{\"tx_suite\":2,\"rx_suite\":2,\"tx_ready\":true,"
	       "\"rx_ready\":false,\"protected\":7,\"unprotected\":0,"
	       "\"dropped_auth\":4,\"dropped_replay\":5,\"dropped_pending\":6,"
	       "\"dropped_other\":0,\"expanded\":0}}]\n",
	       "show calls -j: an srtp object for a secure stream");
	free(text);
}

static void test_events(void)
{
	struct pp_event_info ev = {
		.type = PP_EVENT_ACTIVATED, .reason = PP_REASON_CLI,
		.name = "homer", .sid = "SEP001122334455", .addr = htonl(0xc000020a),
	};
	char *text = NULL;

	CAPTURE(text, ppctl_print_event(f, false, &ev));
	is_str(text, "activated user=homer sid=SEP001122334455 addr=192.0.2.10 reason=cli\n",
	       "monitor: an activation by the administrator");
	free(text);
	ev.type = PP_EVENT_INACTIVATED;
	ev.reason = PP_REASON_DISPLACED;
	CAPTURE(text, ppctl_print_event(f, false, &ev));
	is_str(text, "inactivated user=homer sid=SEP001122334455 addr=192.0.2.10 reason=displaced\n",
	       "monitor: a displaced user");
	free(text);
	ev.reason = PP_REASON_TIMEOUT_IDLE;
	strcpy(ev.name, "homer simpson");
	CAPTURE(text, ppctl_print_event(f, false, &ev));
	is_str(text,
	       "inactivated user=\"homer simpson\" sid=SEP001122334455 addr=192.0.2.10 reason=timeout-idle\n",
	       "monitor: an idle timeout; a name with a blank is quoted");
	free(text);
	CAPTURE(text, ppctl_print_event(f, true, &ev));
	is_str(text,
	       "{\"event\":\"inactivated\",\"user\":\"homer simpson\",\"sid\":\"SEP001122334455\","
	       "\"addr\":\"192.0.2.10\",\"reason\":\"timeout-idle\"}\n",
	       "monitor -j: one JSON object per line");
	free(text);
}

static void test_config_json(void)
{
	char *text = NULL;

	CAPTURE(text, ppctl_print_config_json(f, "/etc/phoneproxy/startup.conf", true,
					      "# saved\nset phoneproxy http enable\n\n"
					      "publish \"/var/lib/x y/users.xml\"\n"));
	is_str(text,
	       "{\"path\":\"/etc/phoneproxy/startup.conf\",\"saved\":true,\"commands\":"
	       "[\"set phoneproxy http enable\",\"publish \\\"/var/lib/x y/users.xml\\\"\"]}\n",
	       "show config startup -j: the commands, comments and blanks left out");
	free(text);
}

/* show stats, a daemon's section: its reply shown, or why not (the rest
 * of show stats goes on). */
static void test_daemon_stats(void)
{
	const char *reply = "accepted 7\nrefused_peraddress 2\nlistening yes\n";
	struct pp_json j;
	char *text = NULL;
	int rc;

	CAPTURE(text, rc = ppctl_print_daemon_stats(f, NULL, "tls", "pp-tlsd", 50, reply));
	ok(rc == 0 && !strcmp(text, "tls\n"
	   "  accepted                    7\n"
	   "  refused_peraddress          2\n"
	   "  listening                   yes\n"), "show stats: a daemon's section, its lines in order");
	free(text);
	CAPTURE(text, (pp_json_init(&j, f), pp_json_obj_begin(&j),
		       rc = ppctl_print_daemon_stats(f, &j, "tls", "pp-tlsd", 50, reply),
		       pp_json_obj_end(&j)));
	is_str(text, "{\"tls\":{\"accepted\":7,\"refused_peraddress\":2,\"listening\":\"yes\"}}",
	       "show stats -j: the section an object, numbers as numbers");
	free(text);
	CAPTURE(text, rc = ppctl_print_daemon_stats(f, NULL, "tls", "pp-tlsd", -ENOENT, ""));
	ok(rc == -1 && !strcmp(text, "tls: pp-tlsd is not running in this network namespace\n"),
	   "show stats: a daemon not running is said in its section");
	free(text);
	CAPTURE(text, (pp_json_init(&j, f), pp_json_obj_begin(&j),
		       rc = ppctl_print_daemon_stats(f, &j, "tls", "pp-tlsd", -ENOENT, ""),
		       pp_json_obj_end(&j)));
	is_str(text, "{\"tls\":null,\"tls_error\":\"pp-tlsd is not running in this network namespace\"}",
	       "show stats -j: null and why");
	free(text);
	CAPTURE(text, rc = ppctl_print_daemon_stats(f, NULL, "tls", "pp-tlsd", 20,
						    "accepted 7\nerror unknown request\n"));
	ok(rc == -1 && !strcmp(text, "tls: pp-tlsd: bad reply: line 2: \"error\": the value is not one word\n"),
	   "show stats: a malformed reply is refused whole, saying where");
	free(text);
	CAPTURE(text, rc = ppctl_print_daemon_stats(f, NULL, "tftp", "pp-tftpd", -ETIMEDOUT, ""));
	ok(rc == -1 && strstr(text, "tftp: pp-tftpd: ") && strstr(text, strerror(ETIMEDOUT)),
	   "show stats: a daemon that does not answer");
	free(text);
}

/* The exposition of the known counters, a tls section and pp-tftpd not
 * running; then the module not read and the escapes. */
static char *prom_text(const struct pp_stats *st, const char *tls_daemon, int tls_rc,
		       const char *tls_reply)
{
	struct ppctl_prom p;
	char *text = NULL;
	int rc;

	ppctl_prom_init(&p);
	ppctl_prom_call_stats(&p, st);
	ppctl_prom_daemon_stats(&p, "tftp", "pp-tftpd", -ENOENT, "");
	ppctl_prom_daemon_stats(&p, "tls", tls_daemon, tls_rc, tls_reply);
	CAPTURE(text, rc = ppctl_prom_print(f, &p));
	ppctl_prom_free(&p);
	if (rc) {
		free(text);
		return NULL;
	}
	return text;
}

/* Every sample's name is a valid metric name and has exactly one HELP and
 * one TYPE line before it, of a known type. */
static bool prom_well_formed(const char *text, char *why, size_t len)
{
	char *copy = strdup(text), *line, *save = NULL;
	char helps[64][128], types[64][128];
	size_t nh = 0, nt = 0, i;
	bool good = true;
	regex_t re;

	regcomp(&re, "^[a-zA-Z_:][a-zA-Z0-9_:]*$", REG_EXTENDED | REG_NOSUB);
	for (line = strtok_r(copy, "\n", &save); line && good; line = strtok_r(NULL, "\n", &save)) {
		char name[128], type[32];

		if (!strncmp(line, "# HELP ", 7)) {
			if (sscanf(line + 7, "%127s", name) != 1 || nh == 64)
				good = false;
			for (i = 0; good && i < nh; i++)
				good = strcmp(helps[i], name);
			if (good)
				strcpy(helps[nh++], name);
			else
				snprintf(why, len, "HELP twice or bad: %s", line);
			continue;
		}
		if (!strncmp(line, "# TYPE ", 7)) {
			if (sscanf(line + 7, "%127s %31s", name, type) != 2 || nt == 64 ||
			    (strcmp(type, "counter") && strcmp(type, "gauge")))
				good = false;
			for (i = 0; good && i < nt; i++)
				good = strcmp(types[i], name);
			if (good)
				strcpy(types[nt++], name);
			else
				snprintf(why, len, "TYPE twice or bad: %s", line);
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(line, "{ "), line);
		if (regexec(&re, name, 0, NULL, 0)) {
			snprintf(why, len, "bad metric name: %s", name);
			good = false;
		}
		/* The family's HELP and TYPE are the last ones seen. */
		if (good && (!nh || !nt || strcmp(helps[nh - 1], name) ||
			     strcmp(types[nt - 1], name))) {
			snprintf(why, len, "no HELP or TYPE right before: %s", line);
			good = false;
		}
	}
	regfree(&re);
	free(copy);
	return good;
}

static void test_prometheus(void)
{
	const char *reply = "accepted 7\nrefused_maxconnections 3\nrefused_peraddress 2\n"
			    "open 4\nlistening yes\n";
	struct ppctl_prom p;
	char *text, why[256] = "";

	text = prom_text(&known_stats, "pp-tlsd", 60, reply);
	is_str(text,
	       "# HELP phoneproxy_up 1: show stats read the section of the daemon (or module), 0: it could not\n"
	       "# TYPE phoneproxy_up gauge\n"
	       "phoneproxy_up{daemon=\"phoneproxy.ko\"} 1\n"
	       "phoneproxy_up{daemon=\"pp-tftpd\"} 0\n"
	       "phoneproxy_up{daemon=\"pp-tlsd\"} 1\n"
	       "# HELP phoneproxy_sccp_connections_total phoneproxy.ko sccp: connections\n"
	       "# TYPE phoneproxy_sccp_connections_total counter\n"
	       "phoneproxy_sccp_connections_total 5\n"
	       "# HELP phoneproxy_sccp_open phoneproxy.ko sccp: open now\n"
	       "# TYPE phoneproxy_sccp_open gauge\n"
	       "phoneproxy_sccp_open 2\n"
	       "# HELP phoneproxy_sccp_buffers phoneproxy.ko sccp: stream buffers now\n"
	       "# TYPE phoneproxy_sccp_buffers gauge\n"
	       "phoneproxy_sccp_buffers 33\n"
	       "# HELP phoneproxy_sccp_registrations_total phoneproxy.ko sccp: registrations\n"
	       "# TYPE phoneproxy_sccp_registrations_total counter\n"
	       "phoneproxy_sccp_registrations_total 4\n"
	       "# HELP phoneproxy_sccp_rewrites_total phoneproxy.ko sccp: fields rewritten\n"
	       "# TYPE phoneproxy_sccp_rewrites_total counter\n"
	       "phoneproxy_sccp_rewrites_total 9\n"
	       "# HELP phoneproxy_sccp_reset_total phoneproxy.ko sccp: reset, by reason\n"
	       "# TYPE phoneproxy_sccp_reset_total counter\n"
	       "phoneproxy_sccp_reset_total{reason=\"sid_mismatch\"} 1\n"
	       "phoneproxy_sccp_reset_total{reason=\"stream_error\"} 0\n"
	       "# HELP phoneproxy_sccp_dropped_total phoneproxy.ko sccp: dropped, by reason\n"
	       "# TYPE phoneproxy_sccp_dropped_total counter\n"
	       "phoneproxy_sccp_dropped_total{reason=\"out_of_order\"} 6\n"
	       "phoneproxy_sccp_dropped_total{reason=\"inconsistent\"} 12\n"
	       "phoneproxy_sccp_dropped_total{reason=\"not_proxied\"} 8\n"
	       "phoneproxy_sccp_dropped_total{reason=\"no_buffer\"} 32\n"
	       "# HELP phoneproxy_sccp_refused_total phoneproxy.ko sccp: refused, by reason\n"
	       "# TYPE phoneproxy_sccp_refused_total counter\n"
	       "phoneproxy_sccp_refused_total{reason=\"conn_limit\"} 11\n"
	       "phoneproxy_sccp_refused_total{reason=\"plain\"} 14\n"
	       "phoneproxy_sccp_refused_total{reason=\"adhoc_limit\"} 31\n"
	       "# HELP phoneproxy_sccp_claimed_total phoneproxy.ko sccp: handed over (TLS)\n"
	       "# TYPE phoneproxy_sccp_claimed_total counter\n"
	       "phoneproxy_sccp_claimed_total 13\n"
	       "# HELP phoneproxy_sccp_adhoc_total phoneproxy.ko sccp: to AdHoCuSeR (open mode)\n"
	       "# TYPE phoneproxy_sccp_adhoc_total counter\n"
	       "phoneproxy_sccp_adhoc_total 30\n"
	       "# HELP phoneproxy_media_calls phoneproxy.ko media: calls now (phones)\n"
	       "# TYPE phoneproxy_media_calls gauge\n"
	       "phoneproxy_media_calls 2\n"
	       "# HELP phoneproxy_media_calls_total phoneproxy.ko media: calls (phones)\n"
	       "# TYPE phoneproxy_media_calls_total counter\n"
	       "phoneproxy_media_calls_total 5\n"
	       "# HELP phoneproxy_media_streams phoneproxy.ko media: streams now\n"
	       "# TYPE phoneproxy_media_streams gauge\n"
	       "phoneproxy_media_streams 4\n"
	       "# HELP phoneproxy_media_streams_total phoneproxy.ko media: streams\n"
	       "# TYPE phoneproxy_media_streams_total counter\n"
	       "phoneproxy_media_streams_total 10\n"
	       "# HELP phoneproxy_media_packets_total phoneproxy.ko media: packets relayed\n"
	       "# TYPE phoneproxy_media_packets_total counter\n"
	       "phoneproxy_media_packets_total 123456\n"
	       "# HELP phoneproxy_media_bytes_total phoneproxy.ko media: bytes relayed\n"
	       "# TYPE phoneproxy_media_bytes_total counter\n"
	       "phoneproxy_media_bytes_total 21234432\n"
	       "# HELP phoneproxy_media_dropped_total phoneproxy.ko media: dropped, by reason\n"
	       "# TYPE phoneproxy_media_dropped_total counter\n"
	       "phoneproxy_media_dropped_total{reason=\"wrong_source\"} 17\n"
	       "phoneproxy_media_dropped_total{reason=\"no_stream\"} 2\n"
	       "phoneproxy_media_dropped_total{reason=\"source_port\"} 20\n"
	       "# HELP phoneproxy_media_ended_total phoneproxy.ko media: ended, by reason\n"
	       "# TYPE phoneproxy_media_ended_total counter\n"
	       "phoneproxy_media_ended_total{reason=\"idle\"} 3\n"
	       "# HELP phoneproxy_media_refused_total phoneproxy.ko media: refused, by reason\n"
	       "# TYPE phoneproxy_media_refused_total counter\n"
	       "phoneproxy_media_refused_total{reason=\"unopened\"} 600\n"
	       "phoneproxy_media_refused_total{reason=\"stream_limit\"} 1\n"
	       "# HELP phoneproxy_srtp_keys_total phoneproxy.ko srtp: keys to phones\n"
	       "# TYPE phoneproxy_srtp_keys_total counter\n"
	       "phoneproxy_srtp_keys_total 28\n"
	       "# HELP phoneproxy_srtp_protected_total phoneproxy.ko srtp: encrypted to phones\n"
	       "# TYPE phoneproxy_srtp_protected_total counter\n"
	       "phoneproxy_srtp_protected_total 21\n"
	       "# HELP phoneproxy_srtp_unprotected_total phoneproxy.ko srtp: decrypted from phones\n"
	       "# TYPE phoneproxy_srtp_unprotected_total counter\n"
	       "phoneproxy_srtp_unprotected_total 22\n"
	       "# HELP phoneproxy_srtp_dropped_total phoneproxy.ko srtp: dropped, by reason\n"
	       "# TYPE phoneproxy_srtp_dropped_total counter\n"
	       "phoneproxy_srtp_dropped_total{reason=\"auth\"} 23\n"
	       "phoneproxy_srtp_dropped_total{reason=\"replay\"} 24\n"
	       "phoneproxy_srtp_dropped_total{reason=\"pending\"} 25\n"
	       "phoneproxy_srtp_dropped_total{reason=\"other\"} 26\n"
	       "# HELP phoneproxy_srtp_expanded_total phoneproxy.ko srtp: packets copied for the tag\n"
	       "# TYPE phoneproxy_srtp_expanded_total counter\n"
	       "phoneproxy_srtp_expanded_total 27\n"
	       "# HELP phoneproxy_srtp_context_failures_total phoneproxy.ko srtp: contexts not made\n"
	       "# TYPE phoneproxy_srtp_context_failures_total counter\n"
	       "phoneproxy_srtp_context_failures_total 29\n"
	       "# HELP phoneproxy_tls_accepted_total pp-tlsd: accepted\n"
	       "# TYPE phoneproxy_tls_accepted_total counter\n"
	       "phoneproxy_tls_accepted_total 7\n"
	       "# HELP phoneproxy_tls_refused_total pp-tlsd: refused, by reason\n"
	       "# TYPE phoneproxy_tls_refused_total counter\n"
	       "phoneproxy_tls_refused_total{reason=\"maxconnections\"} 3\n"
	       "phoneproxy_tls_refused_total{reason=\"peraddress\"} 2\n"
	       "# HELP phoneproxy_tls_open pp-tlsd: open\n"
	       "# TYPE phoneproxy_tls_open gauge\n"
	       "phoneproxy_tls_open 4\n"
	       "# HELP phoneproxy_tls_listening_info pp-tlsd: listening, the label says which\n"
	       "# TYPE phoneproxy_tls_listening_info gauge\n"
	       "phoneproxy_tls_listening_info{listening=\"yes\"} 1\n",
	       "show stats -o prometheus: the known counters exactly: _total on counters, "
	       "gauges for what holds now, drops by reason, states as info, up per section");
	ok(text && prom_well_formed(text, why, sizeof(why)),
	   "show stats -o prometheus: every family one HELP and one TYPE, valid names%s%s",
	   why[0] ? ": " : "", why);
	free(text);

	text = prom_text(NULL, "pp-tlsd", -ETIMEDOUT, "");
	is_str(text,
	       "# HELP phoneproxy_up 1: show stats read the section of the daemon (or module), 0: it could not\n"
	       "# TYPE phoneproxy_up gauge\n"
	       "phoneproxy_up{daemon=\"phoneproxy.ko\"} 0\n"
	       "phoneproxy_up{daemon=\"pp-tftpd\"} 0\n"
	       "phoneproxy_up{daemon=\"pp-tlsd\"} 0\n",
	       "show stats -o prometheus: a section not read (module, daemon not running or "
	       "not answering) is phoneproxy_up 0, nothing else of it");
	free(text);

	text = prom_text(NULL, "pp-tlsd", 20, "accepted 7\nerror unknown request\n");
	ok(text && strstr(text, "phoneproxy_up{daemon=\"pp-tlsd\"} 0\n") &&
	   !strstr(text, "accepted"),
	   "show stats -o prometheus: a malformed reply is up 0, none of its lines");
	free(text);

	text = prom_text(NULL, "pp\\t\"lsd", 20, "state a\\b\"c\n");
	ok(text && strstr(text, "# HELP phoneproxy_tls_state_info pp\\\\t\"lsd: state, the label says which\n") &&
	   strstr(text, "phoneproxy_tls_state_info{state=\"a\\\\b\\\"c\"} 1\n") &&
	   strstr(text, "phoneproxy_up{daemon=\"pp\\\\t\\\"lsd\"} 1\n"),
	   "show stats -o prometheus: HELP escapes \\, label values \\ and \"");
	free(text);

	ppctl_prom_init(&p);
	ppctl_prom_daemon_stats(&p, "tftp", "pp-tftpd", 30,
				"requests 9\ndenied_write 1\ntransfers_active 2\nloglevel brief\n");
	CAPTURE(text, ppctl_prom_print(f, &p));
	ppctl_prom_free(&p);
	ok(strstr(text, "# TYPE phoneproxy_tftp_requests_total counter\nphoneproxy_tftp_requests_total 9\n") &&
	   strstr(text, "phoneproxy_tftp_denied_total{reason=\"write\"} 1\n") &&
	   strstr(text, "# TYPE phoneproxy_tftp_transfers_active gauge\nphoneproxy_tftp_transfers_active 2\n") &&
	   strstr(text, "phoneproxy_tftp_loglevel_info{loglevel=\"brief\"} 1\n"),
	   "show stats -o prometheus: pp-tftpd's counters, gauges and loglevel");
	free(text);
}

/* A proxy that can work: both roles, forwarding on, the daemons answer. */
static struct ppctl_status good_status(void)
{
	struct ppctl_status s = { 0 };

	s.module = true;
	s.north_addr = htonl(0xc0000201);	/* 192.0.2.1 */
	s.south_addr = htonl(0xc6336401);	/* 198.51.100.1 */
	s.http = true;
	s.ip_forward = 1;
	s.tlsd = -ENOENT;			/* sccp security off: not required */
	s.counts = true;
	s.registered_known = true;
	s.users = 3;
	s.active = 2;
	s.registered = 1;
	s.calls = 1;
	return s;
}

static void test_status(void)
{
	struct ppctl_status s = good_status();
	char *text;
	int rc;

	CAPTURE(text, rc = ppctl_print_status(f, false, &s));
	ok(rc == 0 && strstr(text, "north       ok       192.0.2.1\n") &&
	   strstr(text, "south       ok       198.51.100.1\n") &&
	   strstr(text, "pp-tftpd    ok       running\n") &&
	   strstr(text, "pp-tlsd     -        not running (not required: sccp security off)\n") &&
	   strstr(text, "3 published, 2 active, 1 registered; 1 call now\n") &&
	   strstr(text, "status: ok: the proxy can work\n") && !strstr(text, "PROBLEM"),
	   "show status: a working proxy is all ok, exit 0 (%s)", text);
	free(text);

	s.ip_forward = 0;
	CAPTURE(text, rc = ppctl_print_status(f, false, &s));
	ok(rc == 1 && strstr(text, "ip_forward  PROBLEM  net.ipv4.ip_forward is 0") &&
	   strstr(text, "status: 1 PROBLEM: the proxy cannot work\n"),
	   "show status: forwarding off is a problem");
	free(text);

	s = good_status();
	s.south_addr = 0;
	s.tftpd = -ENOENT;
	s.sccp_security = true;
	CAPTURE(text, rc = ppctl_print_status(f, false, &s));
	ok(rc == 3 && strstr(text, "south       PROBLEM  no south address") &&
	   strstr(text, "pp-tftpd    PROBLEM  not running\n") &&
	   strstr(text, "pp-tlsd     PROBLEM  not running\n") &&
	   strstr(text, "status: 3 PROBLEMS"),
	   "show status: no south address, a stopped daemon, pp-tlsd needed by sccp security");
	free(text);

	s = good_status();
	s.module = false;
	s.counts = false;
	snprintf(s.module_error, sizeof(s.module_error), "phoneproxy module not loaded");
	CAPTURE(text, rc = ppctl_print_status(f, false, &s));
	ok(rc == 1 && strstr(text, "module      PROBLEM  phoneproxy module not loaded\n") &&
	   strstr(text, "north       -        unknown (module not loaded)\n") &&
	   !strstr(text, "published"),
	   "show status: no module, and what cannot be known without it");
	free(text);

	s = good_status();
	s.registered_known = false;
	CAPTURE(text, rc = ppctl_print_status(f, false, &s));
	ok(rc == 0 && strstr(text, "3 published, 2 active, ? (not permitted) registered; 1 call now\n"),
	   "show status: without CAP_NET_ADMIN the registered users are unknown, the rest is shown");
	free(text);

	s = good_status();
	s.httpd = -ECONNREFUSED;
	CAPTURE(text, rc = ppctl_print_status(f, true, &s));
	ok(rc == 1 && strstr(text, "{\"ok\":false,\"problems\":1,\"checks\":[") &&
	   strstr(text, "{\"check\":\"pp-httpd\",\"state\":\"problem\",\"detail\":\"does not answer: ") &&
	   strstr(text, "\"counts\":{\"users\":3,\"active\":2,\"registered\":1,\"calls\":1}}\n"),
	   "show status -j: the checks and the counts (%s)", text);
	free(text);
}

static void test_version(void)
{
	struct ppctl_version v = { .ppctl = "0.1.0", .uapi = 1, .module = true,
				   .module_version = "0.1.0", .module_uapi = 1,
				   .sysname = "Linux", .release = "6.1.0", .machine = "x86_64" };
	char *text;

	CAPTURE(text, ppctl_print_version(f, false, &v));
	ok(!strcmp(text, "ppctl   0.1.0 (uapi version 1)\nmodule  0.1.0 (uapi version 1)\n"
		   "kernel  Linux 6.1.0 x86_64\n"), "show version: ppctl, module, kernel (%s)", text);
	free(text);
	v.module_uapi = 2;
	snprintf(v.module_version, sizeof(v.module_version), "0.2.0");
	CAPTURE(text, ppctl_print_version(f, false, &v));
	ok(strstr(text, "module  0.2.0 (uapi version 2, not ppctl's) (not ppctl's version)\n") != NULL,
	   "show version: a module of another version says so");
	free(text);
	v.module = false;
	CAPTURE(text, ppctl_print_version(f, true, &v));
	ok(!strcmp(text, "{\"ppctl\":\"0.1.0\",\"uapi\":1,\"module\":null,\"kernel\":"
		   "{\"sysname\":\"Linux\",\"release\":\"6.1.0\",\"machine\":\"x86_64\"}}\n"),
	   "show version -j: no module is null (%s)", text);
	free(text);
}

int main(void)
{
	test_show_user();
	test_show_user_nodes();
	test_running_config();
	test_show_phoneproxy();
	test_ccms_counters();
	test_show_calls();
	test_events();
	test_config_json();
	test_daemon_stats();
	test_prometheus();
	test_status();
	test_version();
	return done_testing();
}
