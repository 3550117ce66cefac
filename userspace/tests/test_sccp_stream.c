// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * SCCP stream tracker (proto/sccp_stream.c). The property: a byte
 * stream fed as TCP segments, whatever the cuts (every single offset,
 * one byte at a time, random multi-cuts, the captured segmentation), with
 * retransmissions and out-of-order segments injected, comes out
 * byte-identical to the reference rewrite of the uncut stream, and every
 * byte that is forwarded is already the rewritten one. Then the edges:
 * fields straddling segments, retransmissions that differ, history
 * eviction and acknowledgment, framing errors, malformed PDUs, the
 * caller's verdicts, the layout rule under segmentation, sequence
 * wraparound.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "sccp_util.h"

#define DATA "data/sccp/"
#define MAXPDUS 128

struct ctx {
	struct sccp_stream st;
	unsigned int rewrites;		/* rewrite() calls */
	unsigned int unknown;		/* of which with the original not all seen */
	unsigned int npdu;		/* pdu() calls with err 0 */
	unsigned int nbad;		/* pdu() calls with an error */
	int last_err;
	int pdu_verdict;		/* what pdu(err != 0) returns */
	int rw_verdict;			/* what rewrite() returns */
	u32 bad_at_next_seq;		/* st.next_seq when pdu(err) ran */
	struct sccp_msg msgs[MAXPDUS];	/* as reported by pdu(0) */
};

static int cb_rewrite(void *c, const struct sccp_msg *m, unsigned int i,
		      struct sccp_addr *repl)
{
	struct ctx *x = c;

	x->rewrites++;
	if (!m->ep[i].known)
		x->unknown++;
	policy_addr(&m->ep[i], x->st.stats.pdus - 1, repl);
	return x->rw_verdict;
}

static int cb_pdu(void *c, const struct sccp_msg *m, int err)
{
	struct ctx *x = c;

	if (err) {
		x->nbad++;
		x->last_err = err;
		x->bad_at_next_seq = x->st.next_seq;
		return x->pdu_verdict;
	}
	if (x->npdu < MAXPDUS)
		memcpy(&x->msgs[x->npdu], m, sizeof(*m));
	x->npdu++;
	return 0;
}

static const struct sccp_stream_ops ops = { cb_rewrite, cb_pdu };

static void ctx_init(struct ctx *x, u32 isn)
{
	memset(x, 0, sizeof(*x));
	sccp_stream_init(&x->st, isn);
}

/* ---- a receiver that checks every forwarded byte ---------------------- */

struct rx {
	const u8 *in;		/* original stream */
	const u8 *want;		/* reference rewrite */
	u8 *out;		/* what arrived */
	u8 *got;		/* byte arrived */
	u8 *seg;		/* scratch */
	size_t len;
	u32 isn;
	unsigned int wrong;	/* forwarded bytes that differ from want */
	unsigned int refused;	/* segments not forwarded */
	int err;		/* first negative result */
};

static void rx_init(struct rx *r, const u8 *in, const u8 *want, size_t len,
		    u32 isn)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->want = want;
	r->len = len;
	r->isn = isn;
	r->out = calloc(1, len + 1);
	r->got = calloc(1, len + 1);
	r->seg = malloc(len + 1);
}

static void rx_free(struct rx *r)
{
	free(r->out);
	free(r->got);
	free(r->seg);
}

/* Send stream bytes [off, off + n) as one segment; returns the verdict. */
static int send_seg(struct ctx *x, struct rx *r, size_t off, size_t n)
{
	size_t i;
	int v;

	memcpy(r->seg, r->in + off, n);
	v = sccp_stream_segment(&x->st, r->isn + (u32)off, r->seg, (u32)n,
				&ops, x);
	if (v != SCCP_ST_FORWARD) {
		r->refused++;
		if (v < 0 && !r->err)
			r->err = v;
		return v;
	}
	for (i = 0; i < n; i++) {
		if (r->seg[i] != r->want[off + i])
			r->wrong++;
		r->out[off + i] = r->seg[i];
		r->got[off + i] = 1;
	}
	return v;
}

static bool rx_complete(const struct rx *r)
{
	size_t i;

	for (i = 0; i < r->len; i++)
		if (!r->got[i])
			return false;
	return !memcmp(r->out, r->want, r->len);
}

/* ---- fixtures ------------------------------------------------------------ */

struct fixture {
	const char *name;
	u8 *in, *want;
	size_t len;
	unsigned int pdus;
	struct sccp_msg *msgs;	/* sccp_decode() of each PDU */
	size_t *segs;		/* captured segmentation: offset, length pairs */
	unsigned int nsegs;
};

static bool load_fixture(struct fixture *f, const char *name)
{
	char path[256];
	size_t off, a, b, cap = 0;
	unsigned int i;
	FILE *sf;

	memset(f, 0, sizeof(*f));
	f->name = name;
	snprintf(path, sizeof(path), DATA "%s.bin", name);
	f->in = load_file(path, &f->len);
	if (!f->in)
		return false;
	f->want = malloc(f->len);
	if (ref_rewrite(f->in, f->len, f->want, 0, &f->pdus, NULL, 0) != f->len)
		return false;
	f->msgs = calloc(f->pdus, sizeof(*f->msgs));
	for (i = 0, off = 0; i < f->pdus; i++) {
		sccp_decode(f->in + off, f->len - off, 0, &f->msgs[i]);
		off += f->msgs[i].hdr.size;
	}
	snprintf(path, sizeof(path), DATA "%s.seg", name);
	sf = fopen(path, "r");
	if (!sf)
		return false;
	while (fscanf(sf, "%zu %zu", &a, &b) == 2) {
		if (f->nsegs * 2 + 2 > cap) {
			cap = cap ? cap * 2 : 64;
			f->segs = realloc(f->segs, cap * sizeof(*f->segs));
		}
		f->segs[f->nsegs * 2] = a;
		f->segs[f->nsegs * 2 + 1] = b;
		f->nsegs++;
	}
	fclose(sf);
	return true;
}

static void free_fixture(struct fixture *f)
{
	free(f->in);
	free(f->want);
	free(f->msgs);
	free(f->segs);
}

/* What pdu() reported equals sccp_decode() of the uncut PDU. */
static bool same_msgs(const struct fixture *f, const struct ctx *x)
{
	struct sccp_msg a, b;
	unsigned int i;

	if (x->npdu != f->pdus || x->nbad)
		return false;
	for (i = 0; i < f->pdus && i < MAXPDUS; i++) {
		a = f->msgs[i];
		b = x->msgs[i];
		a.flags &= ~SCCP_MSG_TENTATIVE;
		b.flags &= ~SCCP_MSG_TENTATIVE;
		if (memcmp(&a, &b, sizeof(a)))
			return false;
	}
	return true;
}

/* xorshift, reproducible */
static u32 rnd_state;

static u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static u32 rnd_below(u32 n)
{
	return n ? rnd() % n : 0;
}

/* Fixture fed as the given cut points, all in order. */
static bool run_cuts(const struct fixture *f, u32 isn, const size_t *cuts,
		     unsigned int ncuts, struct ctx *x, struct rx *r)
{
	size_t from = 0;
	unsigned int i;

	ctx_init(x, isn);
	rx_init(r, f->in, f->want, f->len, isn);
	for (i = 0; i <= ncuts; i++) {
		size_t to = i < ncuts ? cuts[i] : f->len;

		if (to > from)
			send_seg(x, r, from, to - from);
		from = to;
	}
	return !r->refused && !r->wrong && rx_complete(r);
}

static void test_fixture(const struct fixture *f)
{
	static struct ctx x;
	struct rx r;
	size_t k, cuts[64];
	unsigned int i, n, bad, seed, unknown = 0, all_retx = 0, all_ooo = 0;
	bool good;

	/* whole */
	good = run_cuts(f, 1000, NULL, 0, &x, &r);
	ok(good && same_msgs(f, &x) && x.unknown == 0,
	   "%s: one segment: %u PDUs, %u fields rewritten", f->name, x.npdu,
	   x.rewrites);
	rx_free(&r);

	/* captured segmentation */
	ctx_init(&x, 7);
	rx_init(&r, f->in, f->want, f->len, 7);
	for (i = 0; i < f->nsegs; i++)
		send_seg(&x, &r, f->segs[2 * i], f->segs[2 * i + 1]);
	ok(!r.refused && !r.wrong && rx_complete(&r) && same_msgs(f, &x),
	   "%s: captured segmentation (%u segments)", f->name, f->nsegs);
	rx_free(&r);

	/* one cut at every offset */
	bad = 0;
	for (k = 1; k < f->len; k++) {
		good = run_cuts(f, 0x10000, &k, 1, &x, &r);
		if (!good || !same_msgs(f, &x)) {
			if (!bad++)
				diag("cut at %zu: refused %u wrong %u err %d", k,
				     r.refused, r.wrong, r.err);
		}
		unknown += x.unknown;
		rx_free(&r);
	}
	ok(!bad, "%s: cut at every offset (%zu), %u splits inside a field",
	   f->name, f->len - 1, unknown);

	/* one byte at a time */
	ctx_init(&x, 0xfffffff0);	/* and across the sequence wrap */
	rx_init(&r, f->in, f->want, f->len, 0xfffffff0);
	for (k = 0; k < f->len; k++)
		send_seg(&x, &r, k, 1);
	ok(!r.refused && !r.wrong && rx_complete(&r) && same_msgs(f, &x),
	   "%s: one byte per segment, sequence wrapping", f->name);
	rx_free(&r);

	/* random multi-cuts */
	bad = 0;
	for (seed = 1; seed <= 300; seed++) {
		size_t at = 0;

		rnd_state = seed * 2654435761u;
		n = 0;
		while (n < 64) {
			at += 1 + rnd_below(seed % 3 ? 40 : 200);
			if (at >= f->len)
				break;
			cuts[n++] = at;
		}
		good = run_cuts(f, rnd(), cuts, n, &x, &r);
		if (!good || !same_msgs(f, &x)) {
			if (!bad++)
				diag("seed %u: refused %u wrong %u err %d", seed,
				     r.refused, r.wrong, r.err);
		}
		rx_free(&r);
	}
	ok(!bad, "%s: 300 random multi-cut segmentations", f->name);

	/*
	 * Random cuts with retransmissions of earlier ranges (also partly
	 * new data) and segments sent ahead of time (refused, sent again
	 * later), the receiver acknowledging with a lag.
	 */
	bad = 0;
	for (seed = 1; seed <= 300; seed++) {
		size_t sent = 0, acked = 0, a, b;
		u32 isn;
		int v, ooo_seen = 0, retx = 0;

		rnd_state = seed * 40503u + 7;
		isn = rnd();
		ctx_init(&x, isn);
		rx_init(&r, f->in, f->want, f->len, isn);
		while (sent < f->len && !r.err) {
			b = sent + 1 + rnd_below(60);
			if (b > f->len)
				b = f->len;
			if (rnd_below(8) == 0 && b < f->len) {
				/* ahead of time */
				a = b + rnd_below(30);
				if (a < f->len) {
					v = send_seg(&x, &r, a, 1 + rnd_below(
						(u32)(f->len - a)));
					ooo_seen |= v == SCCP_ST_OOO;
					if (v != SCCP_ST_OOO)
						r.err = r.err ? r.err : -100;
					r.refused--;
				}
			}
			send_seg(&x, &r, sent, b - sent);
			sent = b;
			if (rnd_below(3) == 0) {
				/* retransmit a range of unacknowledged bytes */
				a = acked + rnd_below((u32)(sent - acked));
				b = a + 1 + rnd_below((u32)(f->len - a));
				if (b > sent + 20)
					b = sent + 20;
				if (b > f->len)
					b = f->len;
				if (send_seg(&x, &r, a, b - a) == SCCP_ST_FORWARD) {
					retx++;
					if (b > sent)
						sent = b;
				}
			}
			if (rnd_below(2) == 0 && sent > acked) {
				acked += rnd_below((u32)(sent - acked) + 1);
				sccp_stream_ack(&x.st, isn + (u32)acked);
			}
		}
		all_retx += retx;
		all_ooo += ooo_seen;
		if (r.refused || r.wrong || !rx_complete(&r) ||
		    !same_msgs(f, &x) || x.st.stats.stale) {
			if (!bad++)
				diag("seed %u: refused %u wrong %u err %d stale %u retx %d ooo %d",
				     seed, r.refused, r.wrong, r.err,
				     x.st.stats.stale, retx, ooo_seen);
		}
		rx_free(&r);
	}
	ok(!bad && all_retx > 300 && all_ooo > 30,
	   "%s: 300 runs with %u retransmissions and %u early segments",
	   f->name, all_retx, all_ooo);
}

/* ---- crafted streams -------------------------------------------------- */

static size_t unhex(const char *s, u8 *out)
{
	unsigned int v;
	size_t n = 0;

	while (*s) {
		if (*s == ' ' || *s == '|') {
			s++;
			continue;
		}
		if (sscanf(s, "%2x", &v) != 1)
			break;
		out[n++] = (u8)v;
		s += 2;
	}
	return n;
}

/* KeepAlive + genuine v17 ORC-Ack + KeepAliveAck */
static const char orc_ack_v17[] =
	"04000000 00000000 00000000 "
	"28000000 14000000 22000000 | 00000000 | 00000000 c0a8c33a 00000000 "
	"00000000 00000000 | 907d0000 | 4f000001 | 4a362e01 "
	"04000000 00000000 00010000";

static void test_straddle(void)
{
	static struct ctx x;
	u8 in[128], want[128];
	struct rx r;
	size_t n = unhex(orc_ack_v17, in);
	unsigned int pdus;

	ref_rewrite(in, n, want, 0, &pdus, NULL, 0);
	/* cut inside the address: 12 (KeepAlive) + 12 + 4 + 4 + 2 */
	ctx_init(&x, 100);
	rx_init(&r, in, want, n, 100);
	send_seg(&x, &r, 0, 34);
	ok(x.rewrites == 1 && x.unknown == 1 && x.npdu == 1 && !r.wrong,
	   "straddle: field decided from the first part, original not all seen");
	ok(x.st.rw_n == 1 && x.st.rws[0].len == 24 && x.st.ring_len == 34 &&
	   !memcmp(x.st.ring + 100, in, 34),
	   "straddle: one record, the ring holds the 34 original bytes seen");
	send_seg(&x, &r, 24, 10);	/* retransmit the first part */
	ok(!r.refused && !r.wrong && x.st.stats.retrans == 1,
	   "straddle: retransmitted first part rewritten the same");
	send_seg(&x, &r, 34, n - 34);
	ok(!r.refused && !r.wrong && rx_complete(&r) && x.npdu == 3 &&
	   x.msgs[1].ep[0].known && x.msgs[1].ep[0].val.port == 32144 &&
	   x.msgs[1].ep[0].val.ip[3] == 0x3a && x.msgs[1].ppid == 0x0100004f,
	   "straddle: second part rewritten, whole original reported");
	ok(x.st.ring_len == n && !memcmp(x.st.ring + 100, in, n),
	   "straddle: all original bytes kept");
	send_seg(&x, &r, 0, n);
	ok(!r.refused && !r.wrong, "straddle: whole retransmission rewritten the same");
	rx_free(&r);
}

static void test_ooo_and_errors(void)
{
	static struct ctx x;
	u8 in[128], want[128], seg[128];
	struct sccp_stream raw;
	struct rx r;
	size_t n = unhex(orc_ack_v17, in);
	int v;

	ref_rewrite(in, n, want, 0, NULL, NULL, 0);
	memset(&raw, 0, sizeof(raw));
	ok(sccp_stream_segment(&raw, 0, seg, 1, &ops, NULL) == SCCP_E_STATE,
	   "uninitialised stream refused");

	ctx_init(&x, 500);
	rx_init(&r, in, want, n, 500);
	v = send_seg(&x, &r, 20, 10);
	ok(v == SCCP_ST_OOO && x.st.next_seq == 500 && x.st.stats.ooo == 1 &&
	   x.rewrites == 0, "out of order: refused, nothing examined");
	memcpy(seg, in, 4);
	ok(sccp_stream_segment(&x.st, 500, seg, 0, &ops, &x) == SCCP_ST_FORWARD,
	   "empty segment forwarded");
	send_seg(&x, &r, 0, 20);
	sccp_stream_ack(&x.st, 500 + 1000);	/* beyond what was seen */
	sccp_stream_ack(&x.st, 400);		/* before the start */
	ok(x.st.ack_seq == 500, "bogus acknowledgments ignored");
	r.refused = 0;
	send_seg(&x, &r, 20, n - 20);
	ok(!r.refused && !r.wrong && rx_complete(&r), "out of order: then in order, all fine");

	/* a retransmission whose header differs */
	memcpy(seg, in + 12, 12);
	seg[0] = 0x2c;
	v = sccp_stream_segment(&x.st, 512, seg, 12, &ops, &x);
	ok(v == SCCP_ST_CONFLICT && x.st.stats.conflict == 1,
	   "retransmission with another header: refused");
	memcpy(seg, in + 12, 12);
	ok(sccp_stream_segment(&x.st, 512, seg, 12, &ops, &x) == SCCP_ST_FORWARD,
	   "the stream goes on: the same bytes pass");
	rx_free(&r);

	/* a retransmission whose original address differs */
	ctx_init(&x, 0);
	memcpy(seg, in, n);
	sccp_stream_segment(&x.st, 0, seg, (u32)n, &ops, &x);
	memcpy(seg, in + 30, 8);
	seg[2] ^= 1;
	ok(sccp_stream_segment(&x.st, 30, seg, 8, &ops, &x) == SCCP_ST_CONFLICT,
	   "retransmission with another original address: refused");

	/* framing */
	ctx_init(&x, 0);
	memcpy(seg, "\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 12);
	ok(sccp_stream_segment(&x.st, 0, seg, 12, &ops, &x) == SCCP_E_LENGTH &&
	   sccp_stream_segment(&x.st, 12, seg, 12, &ops, &x) == SCCP_E_LENGTH,
	   "framing error: length 2 kills the stream");
	ctx_init(&x, 0);
	memcpy(seg, "\x04\x00\x00\x00\x00\x01\x00\x00", 8);
	ok(sccp_stream_segment(&x.st, 0, seg, 8, &ops, &x) == SCCP_ST_FORWARD,
	   "framing: incomplete header forwarded (no field in it)");
	memcpy(seg, "\x00\x00\x00\x00", 4);
	ok(sccp_stream_segment(&x.st, 8, seg, 4, &ops, &x) == SCCP_E_VERSION,
	   "framing: header version 0x100 detected across segments");
}

static void test_verdicts(void)
{
	static struct ctx x;
	static const struct sccp_stream_ops no_rw = { NULL, cb_pdu };
	static const struct sccp_stream_ops no_pdu = { cb_rewrite, NULL };
	u8 in[128], seg[128];
	size_t n = unhex(orc_ack_v17, in);

	ctx_init(&x, 0);
	x.rw_verdict = SCCP_RW_KEEP;
	memcpy(seg, in, n);
	ok(sccp_stream_segment(&x.st, 0, seg, (u32)n, &ops, &x) == SCCP_ST_FORWARD &&
	   !memcmp(seg, in, n) && x.st.rw_n == 0, "keep: field left as is");
	ctx_init(&x, 0);
	x.rw_verdict = -1;
	memcpy(seg, in, n);
	ok(sccp_stream_segment(&x.st, 0, seg, (u32)n, &ops, &x) == SCCP_E_ABORT,
	   "rewrite refusing: stream aborted");
	ctx_init(&x, 0);
	x.rw_verdict = 7;
	memcpy(seg, in, n);
	ok(sccp_stream_segment(&x.st, 0, seg, (u32)n, &ops, &x) == SCCP_E_ABORT,
	   "rewrite with an unknown verdict: stream aborted");
	ctx_init(&x, 0);
	memcpy(seg, in, n);
	ok(sccp_stream_segment(&x.st, 0, seg, 12, &no_rw, &x) == SCCP_ST_FORWARD &&
	   sccp_stream_segment(&x.st, 12, seg + 12, (u32)n - 12, &no_rw, &x) ==
	   SCCP_E_ABORT, "no rewrite callback: a PDU with an address aborts");

	/* malformed: hv 0x14 ORC-Ack with a 16-byte body cuts the v17 address */
	n = unhex("14000000 14000000 22000000 00000000 00000000 c0a8c33a 907d0000", seg);
	memcpy(in, seg, n);
	ctx_init(&x, 0);
	x.pdu_verdict = -1;
	ok(sccp_stream_segment(&x.st, 0, seg, 12, &ops, &x) == SCCP_E_ABORT &&
	   x.nbad == 1 && x.last_err == SCCP_E_TRUNCATED && x.bad_at_next_seq == 0,
	   "malformed: reported with its header, before any body byte, abort");
	ctx_init(&x, 0);
	x.pdu_verdict = 0;
	memcpy(seg, in, n);
	ok(sccp_stream_segment(&x.st, 0, seg, (u32)n, &ops, &x) == SCCP_ST_FORWARD &&
	   x.nbad == 1 && x.st.stats.malformed == 1 && x.rewrites == 1 &&
	   x.st.rws[0].len == 4, "malformed, caller passes it: the complete field (type) rewritten");
	ctx_init(&x, 0);
	memcpy(seg, in, n);
	ok(sccp_stream_segment(&x.st, 0, seg, (u32)n, &no_pdu, &x) == SCCP_E_ABORT,
	   "malformed without a pdu callback: abort");
}

/* hv 0 ORC-Ack, body 36: v17 (Asterisk) or old depending on bytes 16..35 */
static void test_layout_segmented(void)
{
	static struct ctx x;
	u8 in[64], want[64];
	size_t n;
	struct rx r;

	/* v17 body, hv 0; cut inside the layout window (after 2 type bytes) */
	n = unhex("28000000 00000000 22000000 00000000 00000000 c0a8c33a 00000000 "
		  "00000000 00000000 907d0000 4f000001 4a362e01", in);
	ref_rewrite(in, n, want, 0, NULL, NULL, 0);
	ctx_init(&x, 0);
	rx_init(&r, in, want, n, 0);
	send_seg(&x, &r, 0, 18);
	ok(x.st.layout == SCCP_LAYOUT_V17 && x.st.tentative,
	   "layout: cut in the window, no hint: v17 tentative");
	send_seg(&x, &r, 18, n - 18);
	ok(!r.refused && !r.wrong && rx_complete(&r) && !x.st.tentative,
	   "layout: confirmed by the rest, output as the reference");
	rx_free(&r);

	/* same bytes, hint 11: old tentative, contradicted by the content */
	ctx_init(&x, 0);
	sccp_stream_set_hint(&x.st, 11);
	rx_init(&r, in, want, n, 0);
	send_seg(&x, &r, 0, 18);
	send_seg(&x, &r, 18, n - 18);
	ok(x.st.layout == SCCP_LAYOUT_OLD && r.err == SCCP_E_LAYOUT && r.refused == 1,
	   "layout: hint 11 chose old, content says v17: stream killed");
	rx_free(&r);

	/* old body of 36 whose address starts 0.0.0.x: v17 guessed, then refuted */
	n = unhex("28000000 00000000 22000000 00000000 00000005 a00f0000 4f000001 "
		  "4a362e01 00000000 00000000 00000000 00000000", in);
	ref_rewrite(in, n, want, 0, NULL, NULL, 0);
	ctx_init(&x, 0);
	rx_init(&r, in, want, n, 0);
	send_seg(&x, &r, 0, 18);
	send_seg(&x, &r, 18, n - 18);
	ok(r.err == SCCP_E_LAYOUT, "layout: v17 guessed, content says old: stream killed");
	rx_free(&r);
	ctx_init(&x, 0);
	rx_init(&r, in, want, n, 0);
	send_seg(&x, &r, 0, n);
	ok(!r.refused && !r.wrong && x.msgs[0].layout == SCCP_LAYOUT_OLD,
	   "layout: same PDU whole: old, no guess");
	rx_free(&r);
}

/* History: eviction, acknowledgment. */
static void test_history(void)
{
	static struct ctx x;
	static u8 in[200 * 48], want[200 * 48];
	const size_t n1 = 48;		/* one v17 ORC-Ack */
	u8 one[96];
	size_t i, n = 200 * n1;
	struct rx r;
	int v;

	unhex(orc_ack_v17, one);
	for (i = 0; i < 200; i++)
		memcpy(in + i * n1, one + 12, n1);
	ref_rewrite(in, n, want, 0, NULL, NULL, 0);

	ctx_init(&x, 0);
	rx_init(&r, in, want, n, 0);
	for (i = 0; i < 200; i++)
		send_seg(&x, &r, i * n1, n1);
	ok(!r.refused && !r.wrong && x.st.stats.evicted > 0 &&
	   x.st.ring_len == SCCP_STREAM_RING && x.st.rw_n == SCCP_STREAM_RWS,
	   "history: rings full, %u records evicted", x.st.stats.evicted);
	v = send_seg(&x, &r, 0, n1);
	ok(v == SCCP_ST_STALE && x.st.stats.stale == 1,
	   "history: retransmission of bytes whose field record was evicted refused");
	v = send_seg(&x, &r, n - SCCP_STREAM_RWS * n1, SCCP_STREAM_RWS * n1);
	ok(v == SCCP_ST_FORWARD && !r.wrong,
	   "history: retransmission of the last %d PDUs still rewritten",
	   SCCP_STREAM_RWS);
	sccp_stream_ack(&x.st, (u32)(n - n1));
	v = send_seg(&x, &r, 0, n1);
	ok(v == SCCP_ST_STALE,
	   "history: acknowledged, yet refused: a field there cannot be rewritten");
	rx_free(&r);

	/* acknowledged as it goes: retransmissions always rewritten */
	ctx_init(&x, 0);
	rx_init(&r, in, want, n, 0);
	for (i = 0; i < 200; i++) {
		send_seg(&x, &r, i * n1, n1);
		if (i >= 3)
			sccp_stream_ack(&x.st, (u32)((i - 3) * n1));
		v = send_seg(&x, &r, i >= 3 ? (i - 3) * n1 : 0, n1 * (i >= 3 ? 4 : 1));
		if (v != SCCP_ST_FORWARD)
			break;
	}
	ok(i == 200 && !r.refused && !r.wrong && !x.st.stats.evicted,
	   "history: acknowledged as it goes, nothing unacknowledged evicted, %u retransmissions",
	   x.st.stats.retrans);
	rx_free(&r);

	/* no fields: bytes beyond the ring, acknowledgment lets them by */
	for (i = 0; i < 400; i++)
		memcpy(in + i * 12, one, 12);
	n = 400 * 12;
	ref_rewrite(in, n, want, 0, NULL, NULL, 0);
	ctx_init(&x, 0);
	rx_init(&r, in, want, n, 0);
	for (i = 0; i < 400; i++)
		send_seg(&x, &r, i * 12, 12);
	v = send_seg(&x, &r, 0, 24);
	ok(v == SCCP_ST_STALE, "history: unacknowledged bytes no longer kept refused");
	sccp_stream_ack(&x.st, 24);
	v = send_seg(&x, &r, 0, 24);
	ok(v == SCCP_ST_FORWARD && !r.wrong,
	   "history: once acknowledged, passes (the receiver discards it)");
	v = send_seg(&x, &r, 12, 24);
	ok(v == SCCP_ST_STALE, "history: unless it reaches unacknowledged bytes not kept");
	v = send_seg(&x, &r, n - SCCP_STREAM_RING, 24);
	ok(v == SCCP_ST_FORWARD && !r.wrong,
	   "history: unacknowledged bytes still kept: compared, pass");
	rx_free(&r);
}

/* ---- one user, one device (docs/security.md) ------------------------- */

#define OWN "SEP001122334455"
#define VICTIM "SEP0003E348E321"

/* The module's SID check (sccp_conn.c), with OWN as the user's device. */
static int sid_rewrite(void *c, const struct sccp_msg *m, unsigned int i,
		       struct sccp_addr *repl)
{
	(void)c;
	(void)i;
	(void)repl;
	return sccp_device_ok(m, OWN) ? SCCP_RW_KEEP : SCCP_E_ABORT;
}

static int sid_pdu(void *c, const struct sccp_msg *m, int err)
{
	(void)c;
	return !err && sccp_device_ok(m, OWN) ? 0 : SCCP_E_ABORT;
}

static const struct sccp_stream_ops sid_ops = { sid_rewrite, sid_pdu };

/* A RegisterReq (id 1, body 36) or RegisterTokenReq (0x29, body 32). */
static size_t registration(u8 *p, u32 id, const char *name)
{
	u32 body = id == SCCP_REGISTER_REQ ? 36 : 32;

	memset(p, 0, 12 + body);
	p[0] = (u8)(4 + body);
	p[8] = (u8)id;
	memcpy(p + 12, name, strlen(name));
	p[12 + 20] = 1;			/* instance */
	p[12 + 28] = 7;			/* deviceType */
	return 12 + body;
}

static void test_one_device(void)
{
	static struct sccp_stream st;
	u8 a[64], b[64], seg[128];
	size_t n = registration(a, SCCP_REGISTER_REQ, OWN);
	u32 isn = 0xfffffff0;		/* wraps on the way */
	int v;

	registration(b, SCCP_REGISTER_REQ, VICTIM);
	ok(sccp_device_ok(&(struct sccp_msg){ .hdr.id = SCCP_KEEPALIVE_REQ }, OWN),
	   "device check: a KeepAlive names no device");

	/* a retransmission with another device name */
	memset(&st, 0, sizeof(st));
	ok(sccp_stream_tcp(&st, isn, SCCP_TCP_SYN, NULL, 0, &sid_ops, NULL) ==
	   SCCP_ST_FORWARD && st.init && st.next_seq == isn + 1,
	   "the first SYN starts the stream");
	memcpy(seg, a, n);
	ok(sccp_stream_tcp(&st, isn + 1, 0, seg, (u32)n, &sid_ops, NULL) ==
	   SCCP_ST_FORWARD, "own RegisterReq passes");
	memcpy(seg, b, n);
	v = sccp_stream_tcp(&st, isn + 1, 0, seg, (u32)n, &sid_ops, NULL);
	ok(v == SCCP_ST_CONFLICT && st.stats.conflict == 1 && !st.error,
	   "its retransmission with another device name refused (%d)", v);
	memcpy(seg, b + 12, 8);
	v = sccp_stream_tcp(&st, isn + 1 + 12, 0, seg, 8, &sid_ops, NULL);
	ok(v == SCCP_ST_CONFLICT, "a part of it alone: refused too");
	memcpy(seg, a, n);
	ok(sccp_stream_tcp(&st, isn + 1, 0, seg, (u32)n, &sid_ops, NULL) ==
	   SCCP_ST_FORWARD, "the unchanged retransmission passes");

	/* a SYN in the middle of the connection */
	v = sccp_stream_tcp(&st, isn + (u32)n - 12, SCCP_TCP_SYN, NULL, 0,
			    &sid_ops, NULL);
	ok(v == SCCP_ST_CONFLICT && st.next_seq == (u32)(isn + 1 + n),
	   "a SYN at another sequence number refused, the stream goes on (%d, %u)",
	   v, st.next_seq - isn);
	ok(sccp_stream_tcp(&st, isn, SCCP_TCP_SYN, NULL, 0, &sid_ops, NULL) ==
	   SCCP_ST_FORWARD && st.next_seq == (u32)(isn + 1 + n),
	   "the first SYN retransmitted passes and restarts nothing");
	/* what would follow the SYN: a header, then the victim's Register */
	memset(seg, 0, 12);
	seg[0] = (u8)(4 + n);
	memcpy(seg + 12, b, n);
	v = sccp_stream_tcp(&st, isn + (u32)n - 12 + 1, 0, seg, (u32)(12 + n),
			    &sid_ops, NULL);
	ok(v == SCCP_ST_CONFLICT,
	   "bytes after it overlapping what was seen with other bytes refused");
	ok(sccp_stream_tcp(&st, isn + 1 + (u32)n, SCCP_TCP_SYN, seg, 4,
			   &sid_ops, NULL) == SCCP_ST_OOO,
	   "data with a SYN refused");
	memcpy(seg, a, 12);
	ok(sccp_stream_tcp(&st, isn + 1, SCCP_TCP_URG, seg, 12, &sid_ops,
			   NULL) == SCCP_ST_CONFLICT &&
	   sccp_stream_tcp(&st, isn + 1 + (u32)n, SCCP_TCP_URG, NULL, 0,
			   &sid_ops, NULL) == SCCP_ST_CONFLICT,
	   "URG refused, with data or without");
	memcpy(seg, b, n);
	ok(sccp_stream_tcp(&st, isn + 1 + (u32)n, 0, seg, (u32)n, &sid_ops,
			   NULL) == SCCP_E_ABORT,
	   "a new RegisterReq naming another device aborts the stream");

	/* RegisterTokenReq */
	memset(&st, 0, sizeof(st));
	sccp_stream_tcp(&st, 1000, SCCP_TCP_SYN, NULL, 0, &sid_ops, NULL);
	n = registration(seg, SCCP_REGISTER_TOKEN_REQ, OWN);
	ok(sccp_stream_tcp(&st, 1001, 0, seg, (u32)n, &sid_ops, NULL) ==
	   SCCP_ST_FORWARD, "own RegisterTokenReq passes");
	n = registration(seg, SCCP_REGISTER_TOKEN_REQ, VICTIM);
	ok(sccp_stream_tcp(&st, 1001 + (u32)n, 0, seg, (u32)n, &sid_ops,
			   NULL) == SCCP_E_ABORT,
	   "RegisterTokenReq naming another device aborts the stream");
	memset(&st, 0, sizeof(st));
	sccp_stream_tcp(&st, 1000, SCCP_TCP_SYN, NULL, 0, &sid_ops, NULL);
	n = registration(seg, SCCP_REGISTER_TOKEN_REQ, "sep001122334455");
	ok(sccp_stream_tcp(&st, 1001, 0, seg, 20, &sid_ops, NULL) ==
	   SCCP_ST_FORWARD &&
	   sccp_stream_tcp(&st, 1021, 0, seg + 20, (u32)n - 20, &sid_ops,
			   NULL) == SCCP_ST_FORWARD,
	   "own RegisterTokenReq, lower case, cut after the name: passes");
	memset(&st, 0, sizeof(st));
	sccp_stream_tcp(&st, 1000, SCCP_TCP_SYN, NULL, 0, &sid_ops, NULL);
	n = registration(seg, SCCP_REGISTER_TOKEN_REQ, OWN "0");
	ok(sccp_stream_tcp(&st, 1001, 0, seg, (u32)n, &sid_ops, NULL) ==
	   SCCP_E_ABORT, "a 16-character name extending the user's: aborts");
	memset(&st, 0, sizeof(st));
	sccp_stream_tcp(&st, 1000, SCCP_TCP_SYN, NULL, 0, &sid_ops, NULL);
	memset(seg, 0, 12);
	seg[0] = 4 + 8;
	seg[9] = 0x80;			/* SPCPRegisterTokenReq */
	ok(sccp_stream_tcp(&st, 1001, 0, seg, 20, &sid_ops, NULL) ==
	   SCCP_E_ABORT, "SPCPRegisterTokenReq (name not located) aborts");
}

int main(void)
{
	struct fixture f;
	unsigned int i;

	for (i = 0; i < SCCP_NFIXTURES; i++) {
		if (!ok(load_fixture(&f, sccp_fixtures[i]), "%s: loaded",
			sccp_fixtures[i])) {
			free_fixture(&f);
			continue;
		}
		test_fixture(&f);
		free_fixture(&f);
	}
	test_straddle();
	test_ooo_and_errors();
	test_verdicts();
	test_layout_segmented();
	test_history();
	test_one_device();
	return done_testing();
}
