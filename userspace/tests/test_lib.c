// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libpp without a kernel: strict value parsing, the JSON writer, atomic
 * files, the configurable paths, extended-ack parsing, the PP_CMD_USERS_
 * REPLACE message for a full table, and parsing of replies and events
 * (the configuration's, the controller's) built the way the kernel builds
 * them.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "conf.h"
#include "file.h"
#include "json.h"
#include "log.h"
#include "nl.h"
#include "ops.h"
#include "parse.h"
#include "settings.h"
#include "tap.h"
#include "tlsdconf.h"
#include "users_xml.h"

static void test_numbers(void)
{
	uint64_t v = 0;

	ok(!pp_parse_uint("300", 0, 604800, &v) && v == 300, "\"300\" is 300 seconds");
	ok(!pp_parse_uint("0", 0, 604800, &v) && v == 0, "\"0\" is accepted (timeout off)");
	ok(!pp_parse_uint("604800", 0, 604800, &v) && v == 604800, "one week is the maximum");
	ok(pp_parse_uint("604801", 0, 604800, &v), "one week and a second is refused");
	ok(pp_parse_uint("abc", 0, 604800, &v), "\"abc\" is not a number");
	ok(pp_parse_uint("12x", 0, 604800, &v), "trailing junk is refused");
	ok(pp_parse_uint("", 0, 604800, &v), "the empty string is refused");
	ok(pp_parse_uint("-1", 0, 604800, &v) && pp_parse_uint("+1", 0, 604800, &v),
	   "signs are refused");
	ok(pp_parse_uint(" 1", 0, 604800, &v) && pp_parse_uint("1 ", 0, 604800, &v),
	   "surrounding blanks are refused");
	ok(pp_parse_uint("0x10", 0, 604800, &v), "hex is refused");
	ok(pp_parse_uint("99999999999999999999999", 0, UINT64_MAX, &v),
	   "overflow is refused");
	ok(pp_parse_uint("0", 1, 65535, &v) && !pp_parse_uint("65535", 1, 65535, &v),
	   "port range is 1..65535");
}

static void test_addresses(void)
{
	uint32_t a = 0;
	char buf[PP_IPV4_STRLEN];

	ok(!pp_parse_ipv4("192.0.2.10", &a) && a == htonl(0xc000020a),
	   "192.0.2.10 parses, network byte order");
	is_str(pp_ipv4_str(a, buf), "192.0.2.10", "and prints back");
	ok(pp_parse_ipv4("192.0.2", &a) && pp_parse_ipv4("192.0.2.300", &a) &&
	   pp_parse_ipv4("192.0.2.1 ", &a) && pp_parse_ipv4("phone", &a) &&
	   pp_parse_ipv4("192.0.2.01", &a),
	   "malformed dotted quads are refused");
	pp_parse_ipv4("0.0.0.0", &a);
	ok(!pp_ipv4_is_phone(a), "0.0.0.0 is no phone's address");
	pp_parse_ipv4("224.0.0.1", &a);
	ok(!pp_ipv4_is_phone(a), "a multicast address is no phone's address");
	pp_parse_ipv4("255.255.255.255", &a);
	ok(!pp_ipv4_is_phone(a), "the broadcast address is no phone's address");
	pp_parse_ipv4("203.0.113.7", &a);
	ok(pp_ipv4_is_phone(a), "a unicast address is a phone's address");
}

static void test_sids_and_names(void)
{
	char sid[PP_SID_LEN + 1];

	ok(pp_sid_valid("SEP001122334455"), "SEP001122334455 is a SID");
	ok(pp_sid_valid("sep001647051b3a"), "SIDs are case-insensitive");
	ok(pp_sid_normalize(sid, "sep001647051b3a"), "a SID normalises");
	is_str(sid, "SEP001647051B3A", "SIDs are normalised to upper case");
	ok(!pp_sid_valid("SEP12") && !pp_sid_valid("SEP0011223344556") &&
	   !pp_sid_valid("SEP00112233445G") && !pp_sid_valid("ATA001122334455"),
	   "short, long, non-hex and non-SEP SIDs are refused");
	ok(pp_name_valid("homer") && pp_name_valid("homer simpson"), "names");
	ok(!pp_name_valid("") && !pp_name_valid(" homer") && !pp_name_valid("ho\tmer") &&
	   !pp_name_valid("0123456789012345678901234567890123456789012345678901234567890123"),
	   "empty, padded, control characters and 64-byte names are refused");
}

static void test_durations(void)
{
	char buf[32];

	is_str(pp_duration_str(12, buf, sizeof(buf)), "12s", "duration 12s");
	is_str(pp_duration_str(160, buf, sizeof(buf)), "2m 40s", "duration 2m 40s (the guide's)");
	is_str(pp_duration_str(3785, buf, sizeof(buf)), "1h 3m 5s", "duration 1h 3m 5s");
	is_str(pp_duration_str(2 * 86400 + 4 * 3600 + 60 + 59, buf, sizeof(buf)),
	       "2d 4h 1m", "duration 2d 4h 1m (seconds dropped past a day)");
	is_str(pp_duration_str(0, buf, sizeof(buf)), "0s", "duration 0s");
	is_str(pp_duration_str(3600, buf, sizeof(buf)), "1h 0m 0s", "duration 1h 0m 0s");
}

static char *json_of(void (*fn)(struct pp_json *j, const void *arg), const void *arg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct pp_json j;

	pp_json_init(&j, f);
	fn(&j, arg);
	fclose(f);
	return text;
}

static void json_sample(struct pp_json *j, const void *arg)
{
	(void)arg;
	pp_json_obj_begin(j);
	pp_json_kv_str(j, "name", "ho\"mer\\\n\t\x01");
	pp_json_kv_u64(j, "n", 18446744073709551615ull);
	pp_json_key(j, "list");
	pp_json_arr_begin(j);
	pp_json_bool(j, true);
	pp_json_null(j);
	pp_json_obj_begin(j);
	pp_json_obj_end(j);
	pp_json_arr_end(j);
	pp_json_kv_str(j, "utf8", "caf\xc3\xa9 \xff");
	pp_json_obj_end(j);
}

static void test_json(void)
{
	char *t = json_of(json_sample, NULL);

	is_str(t, "{\"name\":\"ho\\\"mer\\\\\\n\\t\\u0001\",\"n\":18446744073709551615,"
		  "\"list\":[true,null,{}],\"utf8\":\"caf\xc3\xa9 \\ufffd\"}",
	       "JSON: escapes, commas, nesting, invalid UTF-8 replaced");
	free(t);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_files(void)
{
	char dir[] = "/tmp/pp-test-lib.XXXXXX", path[512], sub[256];
	struct stat st;
	char *data = NULL;
	size_t len = 0;

	if (!mkdtemp(dir)) {
		ok(false, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(sub, sizeof(sub), "%s/state/phoneproxy", dir);
	snprintf(path, sizeof(path), "%s/users.xml", sub);
	ok(pp_file_write_atomic(path, "first", 5, 0600) == 0,
	   "atomic write creates the missing directories");
	data = NULL;
	len = 0;
	ok(pp_file_write_atomic(path, "second\n", 7, 0600) == 0 &&
	   pp_file_read(path, 1024, &data, &len) == 0 && len == 7 &&
	   !strcmp(data, "second\n"), "atomic write replaces the content");
	free(data);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	   "the published users file is private (0600)");
	ok(count_entries(sub) == 1, "no temporary file is left behind");
	ok(pp_file_read(path, 3, &data, &len) == -EFBIG, "reads are bounded");
	ok(pp_file_read(sub, 1024, &data, &len) == -EISDIR, "a directory is not a file");
	ok(pp_file_read("/nonexistent/x", 1024, &data, &len) == -ENOENT,
	   "a missing file is -ENOENT");
	data = NULL;
	len = 1;
	ok(pp_file_write_atomic(path, "", 0, 0644) == 0 &&
	   pp_file_read(path, 1024, &data, &len) == 0 && len == 0,
	   "an empty file round-trips");
	free(data);
	unlink(path);
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/state", dir);
	rmdir(sub);
	rmdir(dir);
}

static void test_conf(void)
{
	char buf[256];

	unsetenv(PP_CONF_DIR_ENV);
	unsetenv(PP_STATE_DIR_ENV);
	pp_conf_startup_path(buf, sizeof(buf));
	is_str(buf, "/etc/phoneproxy/startup.conf", "startup config defaults to /etc/phoneproxy");
	pp_conf_users_path(buf, sizeof(buf));
	is_str(buf, "/var/lib/phoneproxy/users.xml", "published users default to /var/lib/phoneproxy");
	setenv(PP_CONF_DIR_ENV, "/tmp/etc", 1);
	setenv(PP_STATE_DIR_ENV, "/tmp/state", 1);
	pp_conf_startup_path(buf, sizeof(buf));
	is_str(buf, "/tmp/etc/startup.conf", "$PP_CONF_DIR moves the startup config");
	pp_conf_users_path(buf, sizeof(buf));
	is_str(buf, "/tmp/state/users.xml", "$PP_STATE_DIR moves the published users");
	setenv(PP_CONF_DIR_ENV, "", 1);
	pp_conf_startup_path(buf, sizeof(buf));
	is_str(buf, "/etc/phoneproxy/startup.conf", "an empty $PP_CONF_DIR is ignored");
	ok(pp_conf_users_path(buf, 8) == -1 && errno == ENAMETOOLONG,
	   "a path too long for the buffer is an error");
	unsetenv(PP_CONF_DIR_ENV);
	unsetenv(PP_STATE_DIR_ENV);
}

/* An NLMSG_ERROR as the kernel sends it, with extack TLVs. */
static struct nl_msg *error_msg(int error, bool capped, const char *text)
{
	struct nl_msg *m = nlmsg_alloc_simple(NLMSG_ERROR,
					      NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0));
	struct nlmsgerr e;
	char request_payload[12] = "abcdefghijk";

	memset(&e, 0, sizeof(e));
	e.error = error;
	e.msg.nlmsg_len = NLMSG_HDRLEN + (capped ? 0 : sizeof(request_payload));
	nlmsg_append(m, &e, sizeof(e), NLMSG_ALIGNTO);
	if (!capped)
		nlmsg_append(m, request_payload, sizeof(request_payload), NLMSG_ALIGNTO);
	nla_put_u32(m, NLMSGERR_ATTR_OFFS, 20);
	nla_put_string(m, NLMSGERR_ATTR_MSG, text);
	return m;
}

static void test_extack(void)
{
	struct nl_msg *m;
	char buf[256];
	int e = -EINVAL;

	m = error_msg(-EPERM, true, "user \"bart\" is disabled");
	pp_nl_parse_extack(nlmsg_hdr(m), buf, sizeof(buf));
	is_str(buf, "user \"bart\" is disabled", "extack message of a capped error");
	nlmsg_free(m);

	m = error_msg(-EINVAL, false, "PP_A_CFG_NORTH_ADDR: not a local address");
	pp_nl_parse_extack(nlmsg_hdr(m), buf, sizeof(buf));
	is_str(buf, "PP_A_CFG_NORTH_ADDR: not a local address",
	       "extack message after the echoed request");
	nlmsg_free(m);

	m = error_msg(-EINVAL, true, "x");
	nlmsg_hdr(m)->nlmsg_flags &= ~NLM_F_ACK_TLVS;
	pp_nl_parse_extack(nlmsg_hdr(m), buf, sizeof(buf));
	is_str(buf, "", "no extack without NLM_F_ACK_TLVS");
	nlmsg_free(m);

	m = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	nlmsg_append(m, &e, sizeof(e), NLMSG_ALIGNTO);
	nla_put_string(m, NLMSGERR_ATTR_MSG, "dump failed");
	pp_nl_parse_extack(nlmsg_hdr(m), buf, sizeof(buf));
	is_str(buf, "dump failed", "extack message of a failed dump's DONE");
	nlmsg_free(m);
}

static char *generate_users(size_t n, size_t *len)
{
	size_t cap = 256 + n * 200, used = 0, i;
	char *buf = malloc(cap);

	used += (size_t)snprintf(buf, cap,
				 "<users><ccm name=\"ccm\" default=\"true\"><address>198.51.100.10</address></ccm>\n"
				 "<ccm name=\"lab\"><address>203.0.113.5</address></ccm>\n");
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(buf + used, cap - used,
					 "<user id=\"568e3845-ecc3-4408-8cee-%012zx\" name=\"user%05zu\">"
					 "%s<sid>SEP%012zX</sid><enabled>%s</enabled></user>\n",
					 i, i, i % 2 ? "<ccmName>lab</ccmName>" : "",
					 (size_t)0x0011AA000000 + i, i % 3 ? "true" : "false");
	used += (size_t)snprintf(buf + used, cap - used, "</users>\n");
	*len = used;
	return buf;
}

static void test_users_message(void)
{
	struct pp_users *u = NULL;
	struct nlmsghdr *nlh;
	struct genlmsghdr *gh;
	struct nlattr *a;
	struct nl_msg *m;
	size_t len, nusers = 0, nccms = 0, bad = 0;
	char err[512], *xml = generate_users(PP_USERS_MAX, &len);
	int rem;

	if (pp_users_parse_memory(xml, len, "gen", &u, err, sizeof(err))) {
		ok(false, "full table parses: %s", err);
		free(xml);
		return;
	}
	m = pp_users_msg_build(0x1f, u);
	if (!ok(m != NULL, "PP_CMD_USERS_REPLACE for %d users builds", PP_USERS_MAX))
		goto out;
	nlh = nlmsg_hdr(m);
	gh = nlmsg_data(nlh);
	ok(nlh->nlmsg_len == NLMSG_HDRLEN + GENL_HDRLEN + pp_users_msg_payload(u),
	   "the message is sized exactly (%u bytes)", nlh->nlmsg_len);
	ok(nlh->nlmsg_len > 65536, "one message carries more than a 64 KiB nest could");
	ok(nlh->nlmsg_type == 0x1f && gh->cmd == PP_CMD_USERS_REPLACE &&
	   gh->version == PHONEPROXY_GENL_VERSION, "family, command and version");
	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem) {
		struct nlattr *tb[PP_USER_A_MAX + 1];

		if (!(a->nla_type & NLA_F_NESTED))
			bad++;
		if (nla_type(a) == PP_A_CCM) {
			nccms++;
		} else if (nla_type(a) == PP_A_USER) {
			char want[16];

			if (nla_parse_nested(tb, PP_USER_A_MAX, a, NULL) < 0 ||
			    !tb[PP_USER_A_NAME] || !tb[PP_USER_A_SID] ||
			    !tb[PP_USER_A_ID] || !tb[PP_USER_A_ENABLED] ||
			    tb[PP_USER_A_ADDR]) {
				bad++;
				continue;
			}
			snprintf(want, sizeof(want), "user%05zu", nusers);
			if (strcmp(nla_get_string(tb[PP_USER_A_NAME]), want) ||
			    nla_get_u8(tb[PP_USER_A_ENABLED]) != (nusers % 3 != 0) ||
			    !tb[PP_USER_A_CCM] != (nusers % 2 == 0))
				bad++;
			nusers++;
		} else {
			bad++;
		}
	}
	ok(nccms == 2 && nusers == PP_USERS_MAX && bad == 0 && rem == 0,
	   "repeated top-level PP_A_CCM and PP_A_USER nests, in file order "
	   "(%zu CallManagers, %zu users, %zu bad)", nccms, nusers, bad);
	nlmsg_free(m);
out:
	pp_users_free(u);
	free(xml);
}

static struct nl_msg *genl_msg(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, 0x1f, 0, 0, cmd, PHONEPROXY_GENL_VERSION);
	return m;
}

static void test_replies(void)
{
	struct pp_user_state us;
	struct pp_event_info ev;
	struct nlattr *nest;
	struct nl_msg *m;

	m = genl_msg(PP_CMD_USER_GET);
	nest = nla_nest_start(m, PP_A_USER);
	nla_put_string(m, PP_USER_A_NAME, "homer");
	nla_put_string(m, PP_USER_A_SID, "SEP001647051B3A");
	nla_put_string(m, PP_USER_A_CCM, "ccm");
	nla_put_u8(m, PP_USER_A_ENABLED, 1);
	nla_put_u32(m, PP_USER_A_ADDR, htonl(0xc000020a));
	nla_put_u64(m, PP_USER_A_ACTIVE_SECS, 160);
	nla_put_u8(m, PP_USER_A_REASON, PP_REASON_WEB);
	nla_put_u32(m, PP_USER_A_CONNECTIONS, 1);
	nla_put_u32(m, PP_USER_A_CONNECTIONS_TOTAL, 3);
	nla_nest_end(m, nest);
	ok(pp_user_state_parse(nest, &us) == 0 && !strcmp(us.name, "homer") &&
	   !strcmp(us.sid, "SEP001647051B3A") && us.active &&
	   us.addr == htonl(0xc000020a) && us.active_secs == 160 &&
	   us.reason == PP_REASON_WEB && us.connections == 1 &&
	   us.connections_total == 3, "an active user's reply parses");
	nlmsg_free(m);

	m = genl_msg(PP_CMD_USER_GET);
	nest = nla_nest_start(m, PP_A_USER);
	nla_put_string(m, PP_USER_A_NAME, "marge");
	nla_put_u8(m, PP_USER_A_ENABLED, 0);
	nla_nest_end(m, nest);
	ok(pp_user_state_parse(nest, &us) == 0 && !us.active && !us.enabled,
	   "an inactive, disabled user's reply parses");
	nlmsg_free(m);

	m = genl_msg(PP_CMD_USER_GET);
	nest = nla_nest_start(m, PP_A_USER);
	nla_put_u8(m, PP_USER_A_ENABLED, 0);
	nla_nest_end(m, nest);
	ok(pp_user_state_parse(nest, &us) == -EINVAL, "a user without a name is malformed");
	nlmsg_free(m);

	m = genl_msg(PP_CMD_EVENT);
	nla_put_u8(m, PP_A_EVENT, PP_EVENT_INACTIVATED);
	nla_put_u8(m, PP_A_REASON, PP_REASON_DISPLACED);
	nest = nla_nest_start(m, PP_A_USER);
	nla_put_string(m, PP_USER_A_NAME, "homer");
	nla_put_string(m, PP_USER_A_SID, "SEP001122334455");
	nla_put_u32(m, PP_USER_A_ADDR, htonl(0xc000020a));
	nla_nest_end(m, nest);
	ok(pp_event_parse(m, &ev) == 0 && ev.type == PP_EVENT_INACTIVATED &&
	   ev.reason == PP_REASON_DISPLACED && !strcmp(ev.name, "homer") &&
	   !strcmp(ev.sid, "SEP001122334455") && ev.addr == htonl(0xc000020a),
	   "an inactivation event parses");
	nlmsg_free(m);

	m = genl_msg(PP_CMD_CONFIG_GET);
	nla_put_u8(m, PP_A_EVENT, PP_EVENT_ACTIVATED);
	ok(pp_event_parse(m, &ev) == -EINVAL, "another command is not an event");
	nlmsg_free(m);
}

/* The configuration event as the module sends it: every PP_A_CFG_*. */
static struct nl_msg *config_event(void)
{
	static const struct {
		int attr, size;
		uint32_t v;
	} attrs[] = {
		{ PP_A_CFG_NORTH_ADDR, 4, 0xc0000201 }, { PP_A_CFG_SOUTH_ADDR, 4, 0xc6336401 },
		{ PP_A_CFG_SCCP_PORT, 2, 2000 }, { PP_A_CFG_SCCP_SECURITY_PORT, 2, 2443 },
		{ PP_A_CFG_SCCP_SECURITY, 1, 1 }, { PP_A_CFG_TFTP_PORT, 2, 69 },
		{ PP_A_CFG_HTTPPROXY_PORT, 2, 8088 }, { PP_A_CFG_HTTPPROXY, 1, 1 },
		{ PP_A_CFG_HTTP, 1, 0 }, { PP_A_CFG_ACT_MODE, 1, PP_ACT_MODE_OPEN },
		{ PP_A_CFG_IDLE_TIMEOUT, 4, 120 }, { PP_A_CFG_AUTH_TIMEOUT, 4, 3600 },
		{ PP_A_CFG_RTP_PORT_MIN, 2, 30000 }, { PP_A_CFG_RTP_PORT_MAX, 2, 30998 },
		{ PP_A_CFG_MEDIA_TIMEOUT, 4, 60 }, { PP_A_CFG_MAX_CONNS, 4, 4 },
		{ PP_A_CFG_MAX_STREAMS, 4, 8 }, { PP_A_CFG_SRTP_SUITE, 1, PP_SRTP_SUITE_SHA1_80 },
	};
	struct nl_msg *m = genl_msg(PP_CMD_EVENT);
	size_t i;

	nla_put_u8(m, PP_A_EVENT, PP_EVENT_CONFIG);
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		nla_put(m, attrs[i].attr, attrs[i].size, attrs[i].size == 1 ?
			(const void *)&(uint8_t){ (uint8_t)attrs[i].v } : attrs[i].size == 2 ?
			(const void *)&(uint16_t){ (uint16_t)attrs[i].v } : &attrs[i].v);
	return m;
}

static void test_config_events(void)
{
	static const struct {
		uint8_t cmd, event;
		bool port_u8;
		const char *what;
	} bad[] = {
		{ PP_CMD_CONFIG_GET, PP_EVENT_CONFIG, false, "a CONFIG_GET reply is not an event" },
		{ PP_CMD_EVENT, PP_EVENT_ACTIVATED, false,
		  "an activation event is not a configuration event" },
		{ PP_CMD_EVENT, PP_EVENT_CONFIG, true, "a malformed setting is refused" },
	};
	static const struct {
		uint8_t cmd;
		const char *name;
		int want;
		const char *what;
	} fam[] = {
		{ CTRL_CMD_NEWFAMILY, PHONEPROXY_GENL_NAME, CTRL_CMD_NEWFAMILY,
		  "the controller announces the module loaded" },
		{ CTRL_CMD_DELFAMILY, PHONEPROXY_GENL_NAME, CTRL_CMD_DELFAMILY, "... and unloaded" },
		{ CTRL_CMD_NEWFAMILY, "phoneproxyx", 0, "another family's announcement is not ours" },
		{ CTRL_CMD_NEWMCAST_GRP, PHONEPROXY_GENL_NAME, 0, "nor is a new group of ours" },
	};
	struct pp_config cfg;
	struct pp_event_info ev;
	struct nl_msg *m = config_event();
	uint32_t all = 0;
	size_t i;
	int a;

	for (a = PP_A_CFG_NORTH_ADDR; a <= PP_A_CFG_RTP_PORT_MAX; a++)
		all |= PP_CFG_BIT(a);
	all |= PP_CFG_BIT(PP_A_CFG_MEDIA_TIMEOUT) | PP_CFG_BIT(PP_A_CFG_MAX_CONNS) |
	       PP_CFG_BIT(PP_A_CFG_MAX_STREAMS) | PP_CFG_BIT(PP_A_CFG_SRTP_SUITE);
	ok(pp_event_config_parse(m, &cfg) == 0 && cfg.present == all &&
	   cfg.north_addr == 0xc0000201 && cfg.south_addr == 0xc6336401 &&
	   cfg.sccp_port == 2000 && cfg.sccp_security_port == 2443 && cfg.sccp_security &&
	   cfg.tftp_port == 69 && cfg.httpproxy_port == 8088 && cfg.httpproxy && !cfg.http &&
	   cfg.act_mode == PP_ACT_MODE_OPEN && cfg.idle_timeout == 120 &&
	   cfg.auth_timeout == 3600 && cfg.rtp_port_min == 30000 &&
	   cfg.rtp_port_max == 30998 && cfg.media_timeout == 60 && cfg.max_conns == 4 &&
	   cfg.max_streams == 8 && cfg.srtp_suite == PP_SRTP_SUITE_SHA1_80,
	   "a configuration event parses into every setting");
	ok(pp_event_parse(m, &ev) == -EINVAL,
	   "a configuration event is not an activation event (ppctl monitor skips it)");
	ok(pp_nl_family_event(m) == 0, "nor an announcement of the family");
	nlmsg_free(m);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = genl_msg(bad[i].cmd);
		nla_put_u8(m, PP_A_EVENT, bad[i].event);
		if (bad[i].port_u8)
			nla_put_u8(m, PP_A_CFG_TFTP_PORT, 69);
		else
			nla_put_u16(m, PP_A_CFG_TFTP_PORT, 69);
		ok(pp_event_config_parse(m, &cfg) == -EINVAL, "%s", bad[i].what);
		nlmsg_free(m);
	}
	for (i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		m = nlmsg_alloc();
		genlmsg_put(m, 0, 0, GENL_ID_CTRL, 0, 0, fam[i].cmd, 2);
		nla_put_u16(m, CTRL_ATTR_FAMILY_ID, 0x1f);
		nla_put_string(m, CTRL_ATTR_FAMILY_NAME, fam[i].name);
		ok(pp_nl_family_event(m) == fam[i].want, "%s", fam[i].what);
		nlmsg_free(m);
	}
}

static void on_follow_cfg(const struct pp_config *cfg, void *arg)
{
	*(int *)arg = cfg ? 1 : 0;
}

static void test_follow(void)
{
	struct pp_follow *f = NULL;
	struct pp_nl *nl = NULL;
	char err[256] = "";
	int told = -1, loaded = pp_nl_open(&nl, NULL, 0) == 0;

	pp_nl_close(nl);
	ok(pp_follow_open(&f, on_follow_cfg, &told, err, sizeof(err)) == 0 &&
	   pp_follow_fd(f) >= 0 && told == loaded,
	   "following the module starts %s%s", loaded ? "with its configuration" :
	   "without it, told it is not loaded", err);
	pp_follow_close(f);
}

static void test_names(void)
{
	static const char *const want[] = {
		"cli", "web", "soap", "open", "cluster", "displaced", "moved",
		"timeout-idle", "timeout-auth", "unpublished",
		"unregister", "rejected", "closed", "stream-error", "reset",
	};
	bool good = true;
	int i;

	for (i = 0; i < 15; i++)
		if (!pp_reason_name((unsigned)i + 1) ||
		    strcmp(pp_reason_name((unsigned)i + 1), want[i]) ||
		    pp_reason_from_name(want[i]) != i + 1)
			good = false;
	ok(good && !pp_reason_name(0) && !pp_reason_name(PP_REASON_MAX + 1),
	   "reason names: cli web soap open cluster displaced moved timeout-idle timeout-auth unpublished, and why a registration ended: unregister rejected closed stream-error reset");
	ok(!strcmp(pp_event_name(PP_EVENT_REGISTERED), "registered") &&
	   !strcmp(pp_event_name(PP_EVENT_UNREGISTERED), "unregistered") &&
	   !strcmp(pp_event_name(PP_EVENT_REFUSED), "refused") &&
	   !pp_event_name(PP_EVENT_CONFIG) && !pp_event_name(PP_EVENT_MAX + 1),
	   "event names: registered unregistered refused; none for the configuration");
	ok(!strcmp(pp_act_mode_name(PP_ACT_MODE_REQUIRED), "required") &&
	   !strcmp(pp_act_mode_name(PP_ACT_MODE_OPEN), "open"), "activation mode names");
}

static void test_log(void)
{
	char path[] = "/tmp/pp-test-log.XXXXXX", buf[256] = "";
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	FILE *f;

	if (fd < 0 || saved < 0) {
		ok(false, "log capture: %s", strerror(errno));
		return;
	}
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	pp_log_open("ppd", false);
	pp_log_set_level(PP_LOG_INFO);
	pp_err("cannot bind %s", "192.0.2.1");
	pp_warn("events lost");
	pp_dbg("not shown");
	pp_log_set_level(PP_LOG_DEBUG);
	pp_dbg("shown");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	f = fdopen(fd, "r");
	rewind(f);
	buf[fread(buf, 1, sizeof(buf) - 1, f)] = '\0';
	fclose(f);
	unlink(path);
	is_str(buf, "ppd: cannot bind 192.0.2.1\nppd: warning: events lost\nppd: debug: shown\n",
	       "log to stderr: \"ident: message\", severities filtered by level");
	pp_log_set_level(PP_LOG_INFO);
}

static void test_no_module(void)
{
	struct pp_nl *nl = NULL;
	char err[256] = "";
	int rc = pp_nl_open(&nl, err, sizeof(err));

	/* This host may or may not have the module: either way is clean. */
	if (rc == 0) {
		ok(nl != NULL, "the phoneproxy family resolves (module loaded)");
		pp_nl_close(nl);
	} else {
		ok(nl == NULL && (rc != -ENOENT || !strcmp(err, "phoneproxy module not loaded")),
		   "a missing family says \"%s\"", err);
	}
}

/* pp-tlsd's tlsd.conf: ppctl's command lines over its declared settings. */
static void test_tlsdconf(void)
{
	static const char good[] =
		"# pp-tlsd\n"
		"set phoneproxy sccp security cafile /etc/phoneproxy/phones-ca.pem\n"
		"set phoneproxy sccp security handshaketimeout 5\n"
		"set phoneproxy sccp security maxconnections 100\n"
		"set phoneproxy sccp security maxconnections peraddress 2\n"
		"set phoneproxy sccp security maxhandshakes 50\n";
	static const char *const bad[][2] = {
		{ "set phoneproxy sccp security cafile phones-ca.pem\n", "absolute path" },
		{ "set phoneproxy sccp security handshaketimeout 0\n", "1..300" },
		{ "set phoneproxy sccp security maxhandshakes 0\n", "1..1000000" },
		{ "set phoneproxy sccp security on\n", "security" },
		{ "set phoneproxy http maxconnections 5\n", "http" },
	};
	struct pp_tlsdconf c;
	char err[1200], *text = NULL;
	size_t len, i;
	FILE *f;

	pp_tlsdconf_init(&c);
	ok(!*c.cafile && c.handshake_timeout == 10 && c.max_conns == 4096 &&
	   c.max_conns_per_addr == 8 && c.max_handshakes == 256, "tlsd.conf defaults");
	ok(!pp_tlsdconf_parse(good, strlen(good), "tlsd.conf", &c, err, sizeof(err)) &&
	   !strcmp(c.cafile, "/etc/phoneproxy/phones-ca.pem") && c.handshake_timeout == 5 &&
	   c.max_conns == 100 && c.max_conns_per_addr == 2 && c.max_handshakes == 50,
	   "tlsd.conf sets every setting");
	f = open_memstream(&text, &len);
	pp_settings_print(f, PP_HOLD_TLSD, &c);
	fclose(f);
	ok(text && !strcmp(text, strchr(good, '\n') + 1), "tlsd.conf prints back as read");
	free(text);
	ok(!pp_tlsdconf_parse("set phoneproxy sccp security cafile none\n", 41, "t", &c, err,
			      sizeof(err)) && !*c.cafile, "cafile none: any client certificate");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(pp_tlsdconf_parse(bad[i][0], strlen(bad[i][0]), "tlsd.conf", &c, err,
				     sizeof(err)) && strstr(err, "tlsd.conf:1: ") &&
		   strstr(err, bad[i][1]), "tlsd.conf refuses %.*s (%s)",
		   (int)strlen(bad[i][0]) - 1, bad[i][0], err);
}

int main(void)
{
	test_numbers();
	test_addresses();
	test_sids_and_names();
	test_durations();
	test_json();
	test_files();
	test_conf();
	test_extack();
	test_users_message();
	test_replies();
	test_config_events();
	test_follow();
	test_names();
	test_log();
	test_no_module();
	test_tlsdconf();
	return done_testing();
}
