// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * lib/cluster.c: pp-clusterd's messages (docs/cluster.md) encode and
 * decode back to the same; every truncation, every single-byte change of
 * a header field and every malformed body is refused whole (a message
 * that fails is never applied); clusterd.conf errors name file:line.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "tap.h"

static unsigned char buf[PP_CLUSTER_MSG_MAX + 16];
static char err[256];

static struct pp_cluster_msg activation(const char *name, const char *addr)
{
	struct pp_cluster_msg m = { .type = PP_CLUSTER_ACTIVATE, .node = 2, .seq = 7,
				    .time_ms = 1764806400123ull };

	snprintf(m.user.name, sizeof(m.user.name), "%s", name);
	inet_pton(AF_INET, addr, &m.user.addr);
	return m;
}

static void test_roundtrip(void)
{
	struct pp_cluster_msg m = activation("homer", "192.0.2.10"), d;
	struct pp_cluster_entry e[3];
	long len;
	int i;

	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	ok(len == PP_CLUSTER_HDR_LEN + 1 + 5 + 4, "an activation is header + name + address (%ld bytes)", len);
	ok(!memcmp(buf, "PPCL\x04\x01\x00\x00\x00\x00\x00\x02", 12),
	   "header: magic, version 4, type, flags 0, node big-endian");
	ok(!pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) &&
	   d.type == PP_CLUSTER_ACTIVATE && d.node == 2 && d.seq == 7 &&
	   d.time_ms == 1764806400123ull && !strcmp(d.user.name, "homer") &&
	   d.user.addr == m.user.addr, "an activation decodes to what was encoded");

	m.type = PP_CLUSTER_INACTIVATE;
	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	ok(len == PP_CLUSTER_HDR_LEN + 6 && !pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) &&
	   d.type == PP_CLUSTER_INACTIVATE && !strcmp(d.user.name, "homer") && d.user.addr == 0,
	   "an inactivation carries the name only");

	memset(&m, 0, sizeof(m));
	m.type = PP_CLUSTER_SNAPSHOT;
	m.node = 1;
	m.seq = 3;
	m.nfor = 2;
	m.forp[0] = (struct pp_cluster_peer){ 3, 4242 };
	m.forp[1] = (struct pp_cluster_peer){ 4, 17 };
	m.part = 1;
	m.parts = 2;
	m.after = 70000;
	m.count = 3;
	m.entries = e;
	for (i = 0; i < 3; i++) {
		snprintf(e[i].name, sizeof(e[i].name), "user%d", i);
		e[i].addr = htonl(0xc0000200u + (uint32_t)i + 1);
	}
	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	ok(len > 0 && !pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) &&
	   d.nfor == 2 && d.forp[0].node == 3 && d.forp[0].pid == 4242 && d.forp[1].node == 4 &&
	   d.part == 1 && d.parts == 2 && d.after == 70000 && d.count == 3 &&
	   !strcmp(d.entries[2].name, "user2") &&
	   d.entries[2].addr == e[2].addr, "a snapshot part decodes to what was encoded");
	pp_cluster_msg_free(&d);

	m.count = 0;
	m.part = 0;
	m.parts = 1;
	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	ok(len > 0 && !pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) && d.count == 0 &&
	   !d.entries, "an empty snapshot (no active user) is a message");
}

static void test_full_snapshot_part(void)
{
	struct pp_cluster_msg m = { .type = PP_CLUSTER_SNAPSHOT, .node = 1, .seq = 1, .nfor = 1,
				    .parts = 1, .count = PP_CLUSTER_SNAP_CHUNK }, d;
	uint32_t i;
	long len;

	m.entries = calloc(PP_CLUSTER_SNAP_CHUNK, sizeof(*m.entries));
	for (i = 0; i < PP_CLUSTER_SNAP_CHUNK; i++) {
		memset(m.entries[i].name, 'x', PP_NAME_MAX - 1);
		m.entries[i].addr = htonl(0xcb007100u + 1 + i % 250);
	}
	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	ok(len > 0 && (size_t)len <= PP_CLUSTER_MSG_MAX &&
	   !pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) &&
	   d.count == PP_CLUSTER_SNAP_CHUNK, "a full part of %d longest names fits (%ld bytes)",
	   PP_CLUSTER_SNAP_CHUNK, len);
	pp_cluster_msg_free(&d);
	m.count = PP_CLUSTER_SNAP_CHUNK + 1;
	ok(pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err)) < 0,
	   "a part of more entries is not encoded: %s", err);
	free(m.entries);
}

static void test_refused(void)
{
	struct pp_cluster_msg m = activation("marge", "198.51.100.7"), d;
	unsigned char good[128];
	long len = pp_cluster_encode(&m, good, sizeof(good), err, sizeof(err));
	size_t i;
	int cut = 0, flipped = 0;

	for (i = 0; i < (size_t)len; i++)
		cut += pp_cluster_decode(good, i, &d, err, sizeof(err)) == -1;
	ok(cut == len, "every truncation (0..%ld bytes) is refused", len - 1);

	memcpy(buf, good, (size_t)len);
	buf[len] = 0;
	ok(pp_cluster_decode(buf, (size_t)len + 1, &d, err, sizeof(err)) == -1 &&
	   strstr(err, "trailing"), "a trailing byte is refused: %s", err);

	/* Magic, version, type, flags: any change of one byte is refused. */
	for (i = 0; i < 8; i++) {
		memcpy(buf, good, (size_t)len);
		buf[i] ^= 0x40;
		flipped += pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1;
	}
	ok(flipped == 8, "a changed magic, version, type or flags byte is refused");

	memcpy(buf, good, (size_t)len);
	memset(buf + 12, 0, 8);
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "sequence"),
	   "sequence 0 is refused: %s", err);

	memcpy(buf, good, (size_t)len);
	buf[PP_CLUSTER_HDR_LEN + 2] = '\n';
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "printable"),
	   "a control character in a name is refused: %s", err);

	memcpy(buf, good, (size_t)len);
	buf[PP_CLUSTER_HDR_LEN + 4] = '\0';
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "printable"),
	   "a NUL inside a name is refused (it would name another user): %s", err);

	memcpy(buf, good, (size_t)len);
	buf[PP_CLUSTER_HDR_LEN] = 0;
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1,
	   "an empty name is refused: %s", err);

	memcpy(buf, good, (size_t)len);
	memset(buf + len - 4, 0, 4);
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "unicast"),
	   "address 0.0.0.0 is refused: %s", err);
	buf[len - 4] = 224;
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1,
	   "a multicast address is refused: %s", err);

	ok(pp_cluster_decode((const unsigned char *)"PPCL\x07 this is not a pp-clusterd message",
			     40, &d, err, sizeof(err)) == -1, "cpgsend's garbage is refused: %s", err);

	m = activation("bad name", "192.0.2.1");
	ok(pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err)) < 0,
	   "a name with a space is not encoded: %s", err);
	m = activation("x", "127.0.0.1");
	ok(pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err)) < 0,
	   "a loopback address is not encoded: %s", err);
}

static void test_snapshot_refused(void)
{
	struct pp_cluster_entry e = { .name = "a", .addr = htonl(0xc0000201u) };
	struct pp_cluster_msg m = { .type = PP_CLUSTER_SNAPSHOT, .node = 1, .seq = 1, .nfor = 1,
				    .parts = 1, .count = 1, .entries = &e }, d;
	unsigned char good[128];
	long len = pp_cluster_encode(&m, good, sizeof(good), err, sizeof(err));
	size_t at_count = PP_CLUSTER_HDR_LEN + 1 + 8 + 8, i;
	unsigned int cut = 0;

	for (i = 0; i < (size_t)len; i++)
		cut += pp_cluster_decode(good, i, &d, err, sizeof(err)) == -1;
	ok(cut == (unsigned int)len, "every truncation of a snapshot part (after included) is refused");
	memcpy(buf, good, (size_t)len);
	buf[at_count + 3] = 200;	/* count 200 in a message of one entry */
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "fit"),
	   "a count larger than the message is refused before allocating: %s", err);
	memcpy(buf, good, (size_t)len);
	buf[at_count - 7] = 1;		/* part 1 of 1 */
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "part"),
	   "a part number beyond the parts is refused: %s", err);
	memcpy(buf, good, (size_t)len);
	buf[PP_CLUSTER_HDR_LEN] = 0;	/* for nobody */
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1,
	   "a snapshot for no joiner is refused: %s", err);
}

static long publish_part(unsigned char *out, size_t outlen, const unsigned char *file,
			 uint32_t total, uint16_t part, unsigned int nfor)
{
	struct pp_cluster_msg m = { .type = PP_CLUSTER_PUBLISH, .node = 3, .seq = 9,
				    .time_ms = 5, .total = total, .part = part };
	unsigned int i;

	m.parts = (uint16_t)pp_cluster_file_parts(total);
	m.nfor = nfor;
	for (i = 0; i < nfor; i++)
		m.forp[i] = (struct pp_cluster_peer){ i + 1, 100 + i };
	m.bytes = file + (size_t)part * PP_CLUSTER_FILE_CHUNK;
	m.len = total - (uint32_t)part * PP_CLUSTER_FILE_CHUNK;
	if (m.len > PP_CLUSTER_FILE_CHUNK)
		m.len = PP_CLUSTER_FILE_CHUNK;
	return pp_cluster_encode(&m, out, outlen, err, sizeof(err));
}

static void test_publish(void)
{
	uint32_t total = 2 * PP_CLUSTER_FILE_CHUNK + 100;
	unsigned char *file = malloc(total), *back = calloc(1, total);
	struct pp_cluster_msg d;
	size_t at_hdr = PP_CLUSTER_HDR_LEN + 1;	/* part u16 of a publish for everyone */
	unsigned int p, cut = 0, all = 0;
	long len;
	uint32_t i;

	for (i = 0; i < total; i++)
		file[i] = (unsigned char)(i * 7 + 1);
	ok(pp_cluster_file_parts(total) == 3 && pp_cluster_file_parts(1) == 1 &&
	   pp_cluster_file_parts(PP_CLUSTER_FILE_CHUNK) == 1 && pp_cluster_file_parts(0) == 0 &&
	   pp_cluster_file_parts(PP_CLUSTER_FILE_MAX + 1) == 0, "a file's parts: ceil(total / %d)",
	   PP_CLUSTER_FILE_CHUNK);
	for (p = 0; p < 3; p++) {
		len = publish_part(buf, sizeof(buf), file, total, (uint16_t)p, 0);
		if (len > 0 && (size_t)len <= PP_CLUSTER_MSG_MAX &&
		    !pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) &&
		    d.type == PP_CLUSTER_PUBLISH && d.nfor == 0 && d.part == p && d.parts == 3 &&
		    d.total == total && d.node == 3) {
			memcpy(back + (size_t)p * PP_CLUSTER_FILE_CHUNK, d.bytes, d.len);
			all++;
		}
	}
	ok(all == 3 && !memcmp(file, back, total),
	   "a file of %u bytes in 3 publish parts decodes back to the same bytes", total);

	len = publish_part(buf, sizeof(buf), file, total, 1, 2);
	ok(len > 0 && !pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) && d.nfor == 2 &&
	   d.forp[1].node == 2 && d.forp[1].pid == 101 && d.part == 1,
	   "a snapshot's publish part names its joiners");

	/* A small file: every truncation, trailing bytes, each field wrong. */
	len = publish_part(buf, sizeof(buf), (const unsigned char *)"<users/>", 8, 0, 0);
	ok(len == (long)(at_hdr + 12 + 8), "a publish part: header, nfor, part fields, bytes (%ld)", len);
	{
		unsigned char good[128];

		memcpy(good, buf, (size_t)len);
		for (i = 0; i < (uint32_t)len; i++)
			cut += pp_cluster_decode(good, i, &d, err, sizeof(err)) == -1;
		ok(cut == (unsigned int)len, "every truncation of a publish part is refused");
		good[len] = 'x';
		ok(pp_cluster_decode(good, (size_t)len + 1, &d, err, sizeof(err)) == -1 &&
		   strstr(err, "trailing"), "a byte after the part's bytes is refused: %s",
		   err);
		memcpy(buf, good, (size_t)len);
		buf[at_hdr + 1] = 1;		/* part 1 of 1 */
		ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "part 1 of 1"),
		   "a part beyond the parts is refused: %s", err);
		memcpy(buf, good, (size_t)len);
		buf[at_hdr + 3] = 2;		/* parts 2 for 8 bytes */
		ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "expected"),
		   "parts that do not match the total are refused: %s", err);
		memcpy(buf, good, (size_t)len);
		memset(buf + at_hdr + 4, 0, 4);	/* total 0 */
		ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "file of 0"),
		   "an empty file is refused: %s", err);
		memcpy(buf, good, (size_t)len);
		buf[at_hdr + 4] = 0x7f;		/* total far above the limit */
		ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "file of"),
		   "a file larger than the cluster replicates is refused: %s", err);
		memcpy(buf, good, (size_t)len);
		buf[at_hdr + 11] = 7;		/* len 7 of a total of 8 */
		ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "expected"),
		   "a part length other than the file's is refused: %s", err);
		memcpy(buf, good, (size_t)len);
		buf[at_hdr - 1] = PP_CLUSTER_FOR_MAX + 1;
		ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "joiner"),
		   "more joiners than a message names are refused: %s", err);
		memcpy(buf, good, (size_t)len);
		buf[at_hdr - 1] = 1;		/* one joiner: its 8 bytes eat the part fields */
		ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1,
		   "a joiner count the message does not hold is refused: %s", err);
	}
	len = publish_part(buf, sizeof(buf), file, total, 3, 0);
	ok(len < 0 && strstr(err, "part 3 of 3"), "a part beyond the file is not encoded: %s", err);
	free(file);
	free(back);
}

static void test_settings(void)
{
	struct pp_cluster_msg m = { .type = PP_CLUSTER_SETTINGS, .node = 1, .seq = 4, .time_ms = 9,
				    .settings = { 1, PP_ACT_MODE_OPEN, 600, PP_TIMEOUT_MAX,
						  PP_CLUSTER_SET_ALL } }, d;
	unsigned char good[128];
	size_t at = PP_CLUSTER_HDR_LEN + 1;
	long len = pp_cluster_encode(&m, good, sizeof(good), err, sizeof(err));
	unsigned int i, cut = 0;

	ok(len == (long)(at + 11) && !pp_cluster_decode(good, (size_t)len, &d, err, sizeof(err)) &&
	   d.type == PP_CLUSTER_SETTINGS && d.nfor == 0 && d.settings.sccp_security == 1 &&
	   d.settings.act_mode == PP_ACT_MODE_OPEN && d.settings.idle_timeout == 600 &&
	   d.settings.auth_timeout == PP_TIMEOUT_MAX && d.settings.fields == PP_CLUSTER_SET_ALL,
	   "settings decode to what was encoded (%ld bytes)", len);
	for (i = 0; i < (unsigned int)len; i++)
		cut += pp_cluster_decode(good, i, &d, err, sizeof(err)) == -1;
	ok(cut == (unsigned int)len, "every truncation of a settings message is refused");
	good[len] = 0;
	ok(pp_cluster_decode(good, (size_t)len + 1, &d, err, sizeof(err)) == -1 && strstr(err, "trailing"),
	   "a trailing byte is refused: %s", err);
	memcpy(buf, good, (size_t)len);
	buf[at] = 2;
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "sccp security"),
	   "sccp security other than 0 or 1 is refused: %s", err);
	memcpy(buf, good, (size_t)len);
	buf[at + 1] = PP_ACT_MODE_MAX + 1;
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "activation mode"),
	   "an unknown activation mode is refused: %s", err);
	memcpy(buf, good, (size_t)len);
	buf[at + 2] = 0x80;
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "idle timeout"),
	   "an idle timeout above a week is refused: %s", err);
	memcpy(buf, good, (size_t)len);
	buf[at + 9] += 1;		/* PP_TIMEOUT_MAX + 1 */
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "auth timeout"),
	   "an auth timeout above a week is refused: %s", err);
	memcpy(buf, good, (size_t)len);
	buf[at + 10] = 0;
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "fields"),
	   "settings that set nothing are refused: %s", err);
	buf[at + 10] = 0x10;
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "fields"),
	   "an unknown setting's bit is refused: %s", err);
	m.nfor = 1;
	m.forp[0] = (struct pp_cluster_peer){ 2, 77 };
	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	ok(len == (long)(at + 8 + 11) && !pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) &&
	   d.nfor == 1 && d.forp[0].pid == 77, "a snapshot's settings name its joiner");
	m.settings.act_mode = 9;
	ok(pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err)) < 0,
	   "bad settings are not encoded: %s", err);
}

static void test_conf(void)
{
	struct pp_clusterd_conf c;
	const char *t = "# cluster\ngroup pp-lab.1\n\nretry 5 # seconds\n";

	ok(!pp_clusterd_conf_parse(t, strlen(t), "clusterd.conf", &c, err, sizeof(err)) &&
	   !strcmp(c.group, "pp-lab.1") && c.retry == 5, "clusterd.conf: group and retry");
	pp_clusterd_conf_init(&c);
	ok(!strcmp(c.group, "phoneproxy") && c.retry == 2, "defaults: group phoneproxy, retry 2 s");
	t = "group ok\ngroup bad/name\n";
	ok(pp_clusterd_conf_parse(t, strlen(t), "clusterd.conf", &c, err, sizeof(err)) == -1 &&
	   !strncmp(err, "clusterd.conf:2: group", 22), "a bad group is refused at file:line: %s", err);
	t = "retry 0\n";
	ok(pp_clusterd_conf_parse(t, strlen(t), "f", &c, err, sizeof(err)) == -1 &&
	   !strncmp(err, "f:1: retry", 10), "retry 0 is refused: %s", err);
	t = "nodeid 3\n";
	ok(pp_clusterd_conf_parse(t, strlen(t), "f", &c, err, sizeof(err)) == -1 &&
	   strstr(err, "unknown setting"), "an unknown setting is refused: %s", err);
	t = "group a b\n";
	ok(pp_clusterd_conf_parse(t, strlen(t), "f", &c, err, sizeof(err)) == -1,
	   "two values are refused: %s", err);
}

/* The registrations through a node (docs/cluster.md, "Registrations"). */
static void test_registrations(void)
{
	struct pp_cluster_msg m = activation("homer", "192.0.2.10"), d;
	struct pp_cluster_entry e[2];
	unsigned int cut;
	long len;

	m.type = PP_CLUSTER_REGISTER;
	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	ok(len == PP_CLUSTER_HDR_LEN + 6 + 4 && !pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) &&
	   d.type == PP_CLUSTER_REGISTER && !strcmp(d.user.name, "homer") && d.user.addr == m.user.addr,
	   "a registration carries the name and the phone's address");
	m.user.addr = htonl(0x7f000001);
	ok(pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err)) == -1,
	   "a registration from a loopback address is not encoded: %s", err);
	m.type = PP_CLUSTER_UNREGISTER;
	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	ok(len == PP_CLUSTER_HDR_LEN + 6 && !pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) &&
	   d.type == PP_CLUSTER_UNREGISTER && !strcmp(d.user.name, "homer"),
	   "an unregistration carries the name only");

	memset(&m, 0, sizeof(m));
	m.type = PP_CLUSTER_REGLIST;
	m.node = 3;
	m.seq = 9;
	m.part = 0;
	m.parts = 1;
	m.count = 2;
	m.entries = e;
	snprintf(e[0].name, sizeof(e[0].name), "homer");
	snprintf(e[1].name, sizeof(e[1].name), "marge");
	e[0].addr = htonl(0xc000020a);
	e[1].addr = htonl(0xc0000214);
	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	ok(len == PP_CLUSTER_HDR_LEN + 8 + 2 * 10 &&
	   !pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) && d.type == PP_CLUSTER_REGLIST &&
	   d.part == 0 && d.parts == 1 && d.count == 2 && !strcmp(d.entries[1].name, "marge") &&
	   d.entries[1].addr == e[1].addr, "a node's list of registrations decodes to what was encoded");
	pp_cluster_msg_free(&d);
	for (cut = 0; cut < (unsigned int)len; cut++)
		if (pp_cluster_decode(buf, cut, &d, err, sizeof(err)) != -1)
			break;
	ok(cut == (unsigned int)len, "every truncation of a list of registrations is refused");
	buf[PP_CLUSTER_HDR_LEN + 7] = 200;	/* count: 200 entries in 20 bytes */
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "cannot fit"),
	   "a list claiming more entries than its bytes hold is refused before allocating: %s", err);
	m.part = 1;
	ok(pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err)) == -1,
	   "part 1 of 1 is not encoded: %s", err);
}

int main(void)
{
	test_roundtrip();
	test_full_snapshot_part();
	test_refused();
	test_snapshot_refused();
	test_publish();
	test_settings();
	test_registrations();
	test_conf();
	return done_testing();
}
