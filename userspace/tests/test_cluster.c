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
	ok(!memcmp(buf, "PPCL\x01\x01\x00\x00\x00\x00\x00\x02", 12),
	   "header: magic, version 1, type, flags 0, node big-endian");
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
	m.count = 3;
	m.entries = e;
	for (i = 0; i < 3; i++) {
		snprintf(e[i].name, sizeof(e[i].name), "user%d", i);
		e[i].addr = htonl(0xc0000200u + (uint32_t)i + 1);
	}
	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	ok(len > 0 && !pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) &&
	   d.nfor == 2 && d.forp[0].node == 3 && d.forp[0].pid == 4242 && d.forp[1].node == 4 &&
	   d.part == 1 && d.parts == 2 && d.count == 3 && !strcmp(d.entries[2].name, "user2") &&
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
	size_t at_count = PP_CLUSTER_HDR_LEN + 1 + 8 + 4;

	memcpy(buf, good, (size_t)len);
	buf[at_count + 3] = 200;	/* count 200 in a message of one entry */
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "fit"),
	   "a count larger than the message is refused before allocating: %s", err);
	memcpy(buf, good, (size_t)len);
	buf[at_count - 3] = 1;		/* part 1 of 1 */
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1 && strstr(err, "part"),
	   "a part number beyond the parts is refused: %s", err);
	memcpy(buf, good, (size_t)len);
	buf[PP_CLUSTER_HDR_LEN] = 0;	/* for nobody */
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) == -1,
	   "a snapshot for no joiner is refused: %s", err);
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

int main(void)
{
	test_roundtrip();
	test_full_snapshot_part();
	test_refused();
	test_snapshot_refused();
	test_conf();
	return done_testing();
}
