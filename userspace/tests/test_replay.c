// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Unit tests (TAP) of pp-replay's pure logic (sim/replay_core.c): the
 * captured streams framed, the order file, the write patterns, and the
 * verification against a reference rewrite of the captures done here the
 * way the proxy must do it.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "../sim/replay_core.h"

#define DATA	"data/sccp/"
#define ORDER	"../sim/replay-order.txt"

static const struct {
	const char *name;
	unsigned int c2s, s2c;	/* PDUs (index.txt) */
} caps[] = {
	{ "cucm-modern-v20-call.0", 6, 26 },
	{ "cucm-modern-v20-call.1", 6, 24 },
	{ "cucm4-call-7912.0", 18, 47 },
};

static const uint8_t NORTH[4] = { 192, 0, 2, 1 };
static const uint8_t SOUTH[4] = { 198, 51, 100, 1 };

static uint8_t *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 16);

	*len = 0;
	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

static struct rp_stream *stream(const char *name, const char *dir,
				uint8_t **buf)
{
	char path[256], err[256];
	struct rp_stream *s = calloc(1, sizeof(*s));
	size_t len;

	snprintf(path, sizeof(path), DATA "%s.%s.bin", name, dir);
	*buf = load(path, &len);
	if (!*buf || !s || rp_stream_frame(s, *buf, len, err, sizeof(err))) {
		diag("%s: %s", path, *buf ? err : "cannot read");
		free(s);
		return NULL;
	}
	return s;
}

static int order_of(const char *name, struct rp_order *o)
{
	char line[1024];
	size_t n = strlen(name);
	FILE *f = fopen(ORDER, "r");
	int r = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ' ') {
			r = rp_order_parse(line + n, o);
			break;
		}
	fclose(f);
	return r;
}

/*
 * The reference rewrite: what the proxy must do to @s (to the
 * CallManager or not), relay ports handed out per passThruPartyId from
 * @base up. @split_ppid0: the ORC-Ack's port as if its ppid were 0.
 */
static uint8_t *reference(const struct rp_stream *s, int to_ccm, uint32_t base,
			  bool split_ppid0)
{
	uint8_t *out = malloc(s->len);
	uint32_t ppids[64], n_ppid = 0, k;
	unsigned int i, e;
	struct sccp_msg m;
	struct sccp_addr a;

	memcpy(out, s->buf, s->len);
	for (i = 0; i < s->n_pdu; i++) {
		uint32_t lo = rp_pdu_start(s, i);

		sccp_decode(s->buf + lo, s->end[i] - lo, 0, &m);
		for (e = 0; e < m.n_ep; e++) {
			const struct sccp_ep *ep = &m.ep[e];
			uint32_t ppid = m.ppid;
			bool addr = ep->shape & (SCCP_EP_IP4 | SCCP_EP_IP16);

			if (ep->role == SCCP_ROLE_MULTICAST ||
			    ep->role == SCCP_ROLE_SERVER_PORT ||
			    (ep->role == SCCP_ROLE_MEDIA_RX && !addr))
				continue;
			sccp_addr_v4(&a, to_ccm ? SOUTH : NORTH, 0);
			a.rtcp_port = 0;
			if (ep->role == SCCP_ROLE_STATION_V6)
				memset(&a, 0, sizeof(a));
			if (ep->role == SCCP_ROLE_MEDIA_RX ||
			    ep->role == SCCP_ROLE_MEDIA_TX ||
			    (ep->role == SCCP_ROLE_MEDIA_REMOTE &&
			     m.hdr.id != SCCP_MEDIA_TX_FAILURE)) {
				if (split_ppid0 &&
				    m.hdr.id == SCCP_OPEN_RECV_CHAN_ACK)
					ppid = 0;
				for (k = 0; k < n_ppid && ppids[k] != ppid; k++)
					;
				if (k == n_ppid)
					ppids[n_ppid++] = ppid;
				a.port = base + 2 * k;
				a.rtcp_port = a.port + 1;
			}
			sccp_ep_encode(ep, &a, out + lo + ep->off);
		}
	}
	return out;
}

static void test_frame_and_order(void)
{
	unsigned int i;
	struct rp_order o;
	char err[256];

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		uint8_t *bc, *bs;
		struct rp_stream *c = stream(caps[i].name, "c2s", &bc);
		struct rp_stream *s = stream(caps[i].name, "s2c", &bs);

		ok(c && s && c->n_pdu == caps[i].c2s && s->n_pdu == caps[i].s2c,
		   "%s: %u + %u PDUs framed", caps[i].name, caps[i].c2s,
		   caps[i].s2c);
		ok(!order_of(caps[i].name, &o) && c && s &&
		   !rp_order_check(&o, c, s, err, sizeof(err)),
		   "%s: the order file covers every PDU", caps[i].name);
		free(c);
		free(s);
		free(bc);
		free(bs);
	}
	ok(!rp_order_parse("c1 s15 c1", &o) && o.n == 3 && o.run[1].dir == 's' &&
	   o.run[1].count == 15, "order: runs parsed");
	ok(rp_order_parse("c1 x2", &o) && rp_order_parse("c0", &o) &&
	   rp_order_parse("", &o) && rp_order_parse("c1s2", &o) &&
	   rp_order_parse("c", &o), "order: malformed texts refused");
}

static void test_patterns(void)
{
	struct rp_pattern p;

	ok(!rp_pattern_parse("whole", &p) && p.kind == RP_WHOLE &&
	   !rp_pattern_parse("packed", &p) && p.kind == RP_PACKED &&
	   !rp_pattern_parse("capture", &p) && p.kind == RP_CAPTURE &&
	   !rp_pattern_parse("chunk3", &p) && p.kind == RP_CHUNK && p.arg == 3 &&
	   !rp_pattern_parse("cut17", &p) && p.kind == RP_CUT && p.arg == 17 &&
	   !strcmp(p.name, "cut17"), "patterns parsed");
	ok(rp_pattern_parse("chunk0", &p) && rp_pattern_parse("cut", &p) &&
	   rp_pattern_parse("cut3x", &p) && rp_pattern_parse("bytes", &p),
	   "bad patterns refused");
}

/* The plan's writes: increasing, ending at the run's end. */
static bool plan_sane(const struct rp_stream *s, unsigned int first,
		      unsigned int count, const uint32_t *ends, int n)
{
	uint32_t prev = rp_pdu_start(s, first);
	int i;

	if (n < 1)
		return false;
	for (i = 0; i < n; i++) {
		if (ends[i] <= prev)
			return false;
		prev = ends[i];
	}
	return prev == s->end[first + count - 1];
}

static bool has_cut(const uint32_t *ends, int n, uint32_t at)
{
	int i;

	for (i = 0; i < n; i++)
		if (ends[i] == at)
			return true;
	return false;
}

static void test_plan(void)
{
	static uint32_t ends[8192];
	struct rp_pattern p;
	struct sccp_msg m;
	uint8_t *b;
	struct rp_stream *s = stream("cucm-modern-v20-call.0", "c2s", &b);
	uint32_t segs[] = { 24, 44, 92, 100, 150 };
	unsigned int k, orc = 2;	/* the OpenReceiveChannelAck */
	uint32_t lo;
	bool all = true;
	int n;

	if (!ok(s != NULL, "plan: stream loaded"))
		return;
	rp_pattern_parse("whole", &p);
	n = rp_plan(s, 0, s->n_pdu, &p, NULL, 0, ends, 8192);
	ok(n == (int)s->n_pdu && plan_sane(s, 0, s->n_pdu, ends, n) &&
	   ends[2] == s->end[2], "whole: one write per PDU");
	rp_pattern_parse("packed", &p);
	n = rp_plan(s, 1, 3, &p, NULL, 0, ends, 8192);
	ok(n == 1 && ends[0] == s->end[3], "packed: one write for the run");
	rp_pattern_parse("chunk1", &p);
	n = rp_plan(s, 0, s->n_pdu, &p, NULL, 0, ends, 8192);
	ok(n == (int)s->len && plan_sane(s, 0, s->n_pdu, ends, n),
	   "chunk1: one byte per write");
	rp_pattern_parse("chunk5", &p);
	n = rp_plan(s, 2, 1, &p, NULL, 0, ends, 8192);
	ok(n == 10 && plan_sane(s, 2, 1, ends, n) && ends[0] == 49,
	   "chunk5: a 48-byte PDU in 10 writes");
	ok(sccp_decode(s->buf + s->end[1], s->end[2] - s->end[1], 0, &m) == 0 &&
	   m.hdr.id == SCCP_OPEN_RECV_CHAN_ACK && m.n_ep == 1 && m.ep[0].len == 24,
	   "the ORC-Ack's field: 24 bytes (v17)");
	lo = s->end[orc - 1];
	for (k = 1; k < 24; k++) {
		char name[16];

		snprintf(name, sizeof(name), "cut%u", k);
		rp_pattern_parse(name, &p);
		n = rp_plan(s, orc, 1, &p, NULL, 0, ends, 8192);
		all = all && n == 2 && ends[0] == lo + m.ep[0].off + k &&
		      plan_sane(s, orc, 1, ends, n);
	}
	ok(all, "cut1..cut23: the ORC-Ack cut at every offset inside its field");
	rp_pattern_parse("cut24", &p);
	n = rp_plan(s, orc, 1, &p, NULL, 0, ends, 8192);
	ok(n == 1, "cut24: past the field, no cut");
	rp_pattern_parse("cut3", &p);
	n = rp_plan(s, 0, 2, &p, NULL, 0, ends, 8192);
	ok(n == 2, "cut: PDUs without a field whole");
	rp_pattern_parse("capture", &p);
	n = rp_plan(s, 0, 4, &p, segs, 5, ends, 8192);
	ok(n == 5 && has_cut(ends, n, 100) && has_cut(ends, n, 92) &&
	   plan_sane(s, 0, 4, ends, n), "capture: cut at the segment boundaries");
	ok(rp_plan(s, 5, 2, &p, NULL, 0, ends, 8192) < 0 &&
	   rp_plan(s, 0, 0, &p, NULL, 0, ends, 8192) < 0,
	   "plan: a run past the stream refused");
	rp_pattern_parse("chunk1", &p);
	ok(rp_plan(s, 0, s->n_pdu, &p, NULL, 0, ends, 10) < 0,
	   "plan: too many writes refused");
	free(s);
	free(b);
}

static void test_verify(void)
{
	struct rp_expect to_ccm = { 1, { 198, 51, 100, 1 }, 20480, 21680 };
	struct rp_expect to_phone = { 0, { 192, 0, 2, 1 }, 20480, 21680 };
	struct rp_result r, r2;
	unsigned int i;
	bool all = true;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		uint8_t *bc, *bs, *rc, *rs, *rc2, *rs2;
		struct rp_stream *c = stream(caps[i].name, "c2s", &bc);
		struct rp_stream *s = stream(caps[i].name, "s2c", &bs);
		bool vc, vs;

		if (!c || !s) {
			all = false;
			continue;
		}
		rc = reference(c, 1, 20480, false);
		rs = reference(s, 0, 20480, false);
		vc = !rp_verify(c, rc, c->len, &to_ccm, &r, NULL);
		if (!vc)
			diag("%s c2s: %s", caps[i].name, r.err);
		vs = !rp_verify(s, rs, s->len, &to_phone, &r2, NULL);
		if (!vs)
			diag("%s s2c: %s", caps[i].name, r2.err);
		ok(vc && vs && r.pdus == caps[i].c2s && r2.pdus == caps[i].s2c &&
		   r.rewritten > 0 && r2.rewritten > 0,
		   "%s: the reference rewrite verifies (c2s %u fields %u bytes, s2c %u fields %u bytes)",
		   caps[i].name, r.rewritten, r.bytes, r2.rewritten, r2.bytes);

		/* Other relay ports, the same sharing: the same hash. */
		rc2 = reference(c, 1, 21000, false);
		ok(!rp_verify(c, rc2, c->len, &to_ccm, &r2, NULL) &&
		   r2.norm_hash == r.norm_hash && r2.flat_hash == r.flat_hash,
		   "%s: other relay ports compare equal", caps[i].name);
		free(rc2);
		/* The ORC-Ack on a port of its own: not equal. */
		rc2 = reference(c, 1, 20480, true);
		if (i < 2)
			ok(!rp_verify(c, rc2, c->len, &to_ccm, &r2, NULL) &&
			   r2.norm_hash != r.norm_hash &&
			   r2.flat_hash == r.flat_hash,
			   "%s: another sharing of relay ports differs (norm), not without the ports (flat)",
			   caps[i].name);
		free(rc2);

		/* A byte outside every field. */
		rc2 = malloc(c->len);
		memcpy(rc2, rc, c->len);
		rc2[c->end[0] + 12] ^= 1;	/* PDU 1's first body byte */
		vc = rp_verify(c, rc2, c->len, &to_ccm, &r2, NULL) &&
		     strstr(r2.err, "outside every");
		/* Sent as is: the phone's address leaks. */
		vc = vc && rp_verify(c, c->buf, c->len, &to_ccm, &r2, NULL) &&
		     strstr(r2.err, "not the proxy's rewrite");
		/* The wrong side's address. */
		vc = vc && rp_verify(c, rc, c->len, &to_phone, &r2, NULL);
		/* A PDU missing. */
		vc = vc && rp_verify(c, rc, c->end[c->n_pdu - 2], &to_ccm,
				     &r2, NULL) && strstr(r2.err, "PDUs arrived");
		/* A port out of the range. */
		rs2 = reference(s, 0, 30000, false);
		vc = vc && rp_verify(s, rs2, s->len, &to_phone, &r2, NULL) &&
		     strstr(r2.err, "relay port");
		if (!vc)
			diag("%s: last: %s", caps[i].name, r2.err);
		all = all && vc;
		free(rs2);
		free(rc2);
		free(rc);
		free(rs);
		free(c);
		free(s);
		free(bc);
		free(bs);
	}
	ok(all, "verify: a changed byte, a leaked address, the wrong side, a missing PDU, a port out of range refused");
}

int main(void)
{
	test_frame_and_order();
	test_patterns();
	test_plan();
	test_verify();
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
