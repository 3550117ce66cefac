// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The SCCP stream tracker (proto/sccp_stream.c) built with the kernel's
 * flags, in the kernel. The property: a captured stream of
 * sccp_vectors.h fed as TCP segments, whatever the cuts (at every byte,
 * one byte at a time across the sequence wrap, the captured
 * segmentation, random cuts), with retransmissions and early segments,
 * comes out byte-identical to the reference rewrite of the uncut stream,
 * every forwarded byte already the rewritten one, and the caller learns
 * the same PDUs. Then the edges: a field straddling two segments,
 * retransmissions that differ (another device name among them), a SYN in
 * the middle, RegisterTokenReq's SID check, out-of-order data, framing errors, the
 * caller's verdicts, malformed PDUs, the layout rule under segmentation,
 * the history. Each segment is handed over in a buffer of its exact
 * size, so KASAN sees any access beyond it.
 * userspace/tests/test_sccp_stream.c runs the same checks on the host.
 */
#include "../../proto/sccp_stream.c"

#include <linux/slab.h>

#include "pp_kunit.h"
#include "sccp_vectors.h"

#define PP_KT_ST_PDUS	64	/* PDUs of the longest stream, and more */

/* The caller: a deterministic policy, and what it was told. */
struct pp_kt_st_ctx {
	struct sccp_stream st;
	unsigned int rewrites;		/* rewrite() calls */
	unsigned int unknown;		/* of which with the original not seen */
	unsigned int npdu;		/* pdu() calls with err 0 */
	unsigned int nbad;		/* pdu() calls with an error */
	int last_err;
	int pdu_verdict;		/* what pdu(err != 0) returns */
	int rw_verdict;			/* what rewrite() returns */
	u32 bad_at_next_seq;		/* st.next_seq when pdu(err) ran */
	struct sccp_msg msgs[PP_KT_ST_PDUS];	/* as pdu(0) reported them */
};

/*
 * The replacement of endpoint @ep of the @pdu_no-th PDU: decided from
 * what is known when its first byte leaves, whatever the segmentation,
 * never from the original value.
 */
static void pp_kt_st_policy(const struct sccp_ep *ep, unsigned int pdu_no,
			    struct sccp_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->type = SCCP_IPTYPE_V4;
	a->ip[0] = 203;
	a->ip[1] = 0;
	a->ip[2] = 113;
	a->ip[3] = ep->role * 16 + ep->index;
	a->port = 30000 + pdu_no;
	a->rtcp_port = a->port + 1;
}

static int pp_kt_st_rewrite(void *c, const struct sccp_msg *m, unsigned int i,
			    struct sccp_addr *repl)
{
	struct pp_kt_st_ctx *x = c;

	x->rewrites++;
	if (!m->ep[i].known)
		x->unknown++;
	pp_kt_st_policy(&m->ep[i], x->st.stats.pdus - 1, repl);
	return x->rw_verdict;
}

static int pp_kt_st_pdu(void *c, const struct sccp_msg *m, int err)
{
	struct pp_kt_st_ctx *x = c;

	if (err) {
		x->nbad++;
		x->last_err = err;
		x->bad_at_next_seq = x->st.next_seq;
		return x->pdu_verdict;
	}
	if (x->npdu < PP_KT_ST_PDUS)
		memcpy(&x->msgs[x->npdu], m, sizeof(*m));
	x->npdu++;
	return 0;
}

static const struct sccp_stream_ops pp_kt_st_ops = {
	.rewrite = pp_kt_st_rewrite,
	.pdu = pp_kt_st_pdu,
};

static void pp_kt_st_ctx_init(struct pp_kt_st_ctx *x, u32 isn)
{
	/* msgs[] is written before it is read */
	memset(x, 0, offsetof(struct pp_kt_st_ctx, msgs));
	sccp_stream_init(&x->st, isn);
}

/*
 * The reference: @len bytes of @in rewritten PDU by PDU with
 * sccp_decode(), no segmentation involved. Returns the PDUs walked, or
 * -1 when the stream does not end on a PDU boundary.
 */
static int pp_kt_st_reference(const u8 *in, u32 len, u8 *out,
			      struct sccp_msg *m)
{
	struct sccp_addr a;
	unsigned int i;
	u32 off = 0;
	int n = 0, err;

	memcpy(out, in, len);
	while (off < len) {
		err = sccp_decode(in + off, len - off, 0, m);
		if (err && err != SCCP_E_TRUNCATED)
			return -1;
		for (i = 0; i < m->n_ep; i++) {
			pp_kt_st_policy(&m->ep[i], n, &a);
			sccp_ep_encode(&m->ep[i], &a, out + off + m->ep[i].off);
		}
		n++;
		off += m->hdr.size;
	}
	return n;
}

/* ---- a receiver that checks every forwarded byte ---------------------- */

struct pp_kt_rx {
	const u8 *in;		/* original stream */
	const u8 *want;		/* reference rewrite */
	u8 *out;		/* what arrived */
	u8 *got;		/* byte arrived */
	u32 len;
	u32 isn;
	unsigned int wrong;	/* forwarded bytes that differ from want */
	unsigned int refused;	/* segments not forwarded */
	int err;		/* first negative result */
};

static struct pp_kt_rx *pp_kt_rx_alloc(struct kunit *test, const u8 *in,
				       const u8 *want, u32 len)
{
	struct pp_kt_rx *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	r->in = in;
	r->want = want;
	r->len = len;
	r->out = kunit_kzalloc(test, len, GFP_KERNEL);
	r->got = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r->out);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r->got);
	return r;
}

static void pp_kt_rx_reset(struct pp_kt_rx *r, u32 isn)
{
	memset(r->out, 0, r->len);
	memset(r->got, 0, r->len);
	r->isn = isn;
	r->wrong = 0;
	r->refused = 0;
	r->err = 0;
}

/*
 * Stream bytes [@off, @off + @n) as one segment, in a buffer of @n
 * bytes; returns the verdict (-ENOMEM: no buffer).
 */
static int pp_kt_send(struct pp_kt_st_ctx *x, struct pp_kt_rx *r, u32 off,
		      u32 n)
{
	u8 *seg = kmemdup(r->in + off, n, GFP_KERNEL);
	u32 i;
	int v;

	if (!seg) {
		r->err = r->err ?: -ENOMEM;
		return -ENOMEM;
	}
	v = sccp_stream_segment(&x->st, r->isn + off, seg, n, &pp_kt_st_ops,
				x);
	if (v != SCCP_ST_FORWARD) {
		r->refused++;
		if (v < 0 && !r->err)
			r->err = v;
		kfree(seg);
		return v;
	}
	if (memcmp(seg, r->want + off, n))
		for (i = 0; i < n; i++)
			r->wrong += seg[i] != r->want[off + i];
	memcpy(r->out + off, seg, n);
	memset(r->got + off, 1, n);
	kfree(seg);
	return v;
}

static bool pp_kt_rx_complete(const struct pp_kt_rx *r)
{
	return !memchr_inv(r->got, 1, r->len) &&
	       !memcmp(r->out, r->want, r->len);
}

/* ---- the captured streams ------------------------------------------------- */

struct pp_kt_fix {
	const struct pp_kt_sccp_vec *v;
	u8 *want;			/* reference rewrite */
	int pdus;
	struct sccp_msg *msgs;		/* sccp_decode() of each PDU */
	struct sccp_msg *tmp;
	struct pp_kt_st_ctx *x;
	struct pp_kt_rx *r;
};

static void pp_kt_vec_desc(const struct pp_kt_sccp_vec *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pp_kt_st_vec, pp_kt_sccp_vecs, pp_kt_vec_desc);

static void pp_kt_fix_init(struct kunit *test, struct pp_kt_fix *f)
{
	const struct pp_kt_sccp_vec *v = test->param_value;
	u32 off = 0;
	int i;

	f->v = v;
	f->want = kunit_kzalloc(test, v->len, GFP_KERNEL);
	f->msgs = kunit_kcalloc(test, PP_KT_ST_PDUS, sizeof(*f->msgs),
				GFP_KERNEL);
	f->tmp = kunit_kzalloc(test, sizeof(*f->tmp), GFP_KERNEL);
	f->x = kunit_kzalloc(test, sizeof(*f->x), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->tmp);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->want);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->msgs);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->x);
	f->pdus = pp_kt_st_reference(v->data, v->len, f->want, f->msgs);
	KUNIT_ASSERT_EQ(test, f->pdus, v->n_pdus);
	KUNIT_ASSERT_LE(test, f->pdus, PP_KT_ST_PDUS);
	for (i = 0; i < f->pdus; i++) {
		KUNIT_ASSERT_EQ(test, sccp_decode(v->data + off, v->len - off,
						  0, &f->msgs[i]), 0);
		off += f->msgs[i].hdr.size;
	}
	f->r = pp_kt_rx_alloc(test, v->data, f->want, v->len);
}

/*
 * What pdu() reported equals sccp_decode() of each uncut PDU, byte for
 * byte, but for the flag saying that the layout was a guess.
 */
static bool pp_kt_same_msgs(const struct pp_kt_fix *f)
{
	const struct pp_kt_st_ctx *x = f->x;
	struct sccp_msg *t = f->tmp;
	int i;

	if (x->npdu != f->pdus || x->nbad)
		return false;
	for (i = 0; i < f->pdus; i++) {
		memcpy(t, &x->msgs[i], sizeof(*t));
		t->flags &= ~SCCP_MSG_TENTATIVE;
		t->flags |= f->msgs[i].flags & SCCP_MSG_TENTATIVE;
		if (memcmp(t, &f->msgs[i], sizeof(*t)))
			return false;
	}
	return true;
}

/* The stream fed in order, cut at @cuts (increasing). */
static bool pp_kt_run_cuts(struct pp_kt_fix *f, u32 isn, const u32 *cuts,
			   unsigned int ncuts)
{
	u32 from = 0, to;
	unsigned int i;

	pp_kt_st_ctx_init(f->x, isn);
	pp_kt_rx_reset(f->r, isn);
	for (i = 0; i <= ncuts; i++) {
		to = i < ncuts ? cuts[i] : f->v->len;
		if (to > from)
			pp_kt_send(f->x, f->r, from, to - from);
		from = to;
	}
	return !f->r->refused && !f->r->wrong && pp_kt_rx_complete(f->r) &&
	       pp_kt_same_msgs(f);
}

static void pp_kt_expect_run(struct kunit *test, const struct pp_kt_fix *f,
			     bool good, const char *what)
{
	KUNIT_EXPECT_TRUE_MSG(test, good,
			      "%s: %u refused, %u bytes wrong, error %s, %u of %d PDUs",
			      what, f->r->refused, f->r->wrong,
			      sccp_strerror(f->r->err), f->x->npdu, f->pdus);
}

static void pp_sccp_stream_one_segment(struct kunit *test)
{
	struct pp_kt_fix f;
	bool good;

	pp_kt_fix_init(test, &f);
	good = pp_kt_run_cuts(&f, 1000, NULL, 0);
	pp_kt_expect_run(test, &f, good, "whole stream");
	KUNIT_EXPECT_EQ(test, f.x->unknown, 0);
	KUNIT_EXPECT_EQ(test, f.x->st.stats.pdus, f.pdus);
}

static void pp_sccp_stream_captured_segmentation(struct kunit *test)
{
	struct pp_kt_fix f;
	unsigned int i;

	pp_kt_fix_init(test, &f);
	pp_kt_st_ctx_init(f.x, 7);
	pp_kt_rx_reset(f.r, 7);
	for (i = 0; i < f.v->n_segs; i++)
		pp_kt_send(f.x, f.r, f.v->segs[i].off, f.v->segs[i].len);
	pp_kt_expect_run(test, &f, !f.r->refused && !f.r->wrong &&
			 pp_kt_rx_complete(f.r) && pp_kt_same_msgs(&f),
			 "captured segmentation");
}

/* One cut at each byte position: the same bytes as the uncut stream. */
static void pp_sccp_stream_cut_at_every_byte(struct kunit *test)
{
	unsigned int bad = 0, in_field = 0;
	struct pp_kt_fix f;
	u32 k, first = 0;

	pp_kt_fix_init(test, &f);
	for (k = 1; k < f.v->len; k++) {
		if (!pp_kt_run_cuts(&f, 0x10000, &k, 1) && !bad++) {
			first = k;
			pp_kt_expect_run(test, &f, false, "first bad cut");
		}
		in_field += f.x->unknown;
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0,
			    "%u of %u cuts differ from the uncut stream, the first at byte %u",
			    bad, f.v->len - 1, first);
	kunit_info(test, "%u cuts, %u of them inside an address field\n",
		   f.v->len - 1, in_field);
}

static void pp_sccp_stream_one_byte_per_segment_across_wrap(struct kunit *test)
{
	struct pp_kt_fix f;
	u32 k, isn = 0xfffffff0;

	pp_kt_fix_init(test, &f);
	pp_kt_st_ctx_init(f.x, isn);
	pp_kt_rx_reset(f.r, isn);
	for (k = 0; k < f.v->len; k++)
		pp_kt_send(f.x, f.r, k, 1);
	pp_kt_expect_run(test, &f, !f.r->refused && !f.r->wrong &&
			 pp_kt_rx_complete(f.r) && pp_kt_same_msgs(&f),
			 "one byte per segment");
}

/* xorshift32, reproducible */
static u32 pp_kt_rnd(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static u32 pp_kt_rnd_below(u32 *s, u32 n)
{
	return n ? pp_kt_rnd(s) % n : 0;
}

/* Random runs per stream (the userspace tests make 300 of each). */
#define PP_KT_ST_CUT_RUNS	25
#define PP_KT_ST_RETX_RUNS	30

static void pp_sccp_stream_random_cuts(struct kunit *test)
{
	unsigned int seed, n, bad = 0;
	struct pp_kt_fix f;
	u32 cuts[64], at, s;

	pp_kt_fix_init(test, &f);
	for (seed = 1; seed <= PP_KT_ST_CUT_RUNS; seed++) {
		s = seed * 2654435761u;
		for (n = 0, at = 0; n < ARRAY_SIZE(cuts); n++) {
			at += 1 + pp_kt_rnd_below(&s, seed % 3 ? 40 : 200);
			if (at >= f.v->len)
				break;
			cuts[n] = at;
		}
		if (!pp_kt_run_cuts(&f, pp_kt_rnd(&s), cuts, n) && !bad++)
			pp_kt_expect_run(test, &f, false, "random cuts");
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "%u of %u runs", bad,
			    PP_KT_ST_CUT_RUNS);
}

/*
 * Random cuts with retransmissions of unacknowledged ranges (sometimes
 * reaching into new data) and segments sent ahead of time (refused, sent
 * again later), the receiver acknowledging with a lag.
 */
static void pp_sccp_stream_retransmissions_and_early_segments(struct kunit *test)
{
	unsigned int seed, bad = 0, retx = 0, early = 0;
	struct pp_kt_fix f;
	struct pp_kt_rx *r;
	u32 sent, acked, a, b, isn, s;
	int v;

	pp_kt_fix_init(test, &f);
	r = f.r;
	for (seed = 1; seed <= PP_KT_ST_RETX_RUNS; seed++) {
		s = seed * 40503u + 7;
		isn = pp_kt_rnd(&s);
		pp_kt_st_ctx_init(f.x, isn);
		pp_kt_rx_reset(r, isn);
		sent = 0;
		acked = 0;
		while (sent < f.v->len && !r->err) {
			b = min_t(u32, sent + 1 + pp_kt_rnd_below(&s, 60),
				  f.v->len);
			a = b + pp_kt_rnd_below(&s, 30);
			if (!pp_kt_rnd_below(&s, 8) && a < f.v->len) {
				v = pp_kt_send(f.x, r, a, 1 +
					       pp_kt_rnd_below(&s, f.v->len - a));
				if (v != SCCP_ST_OOO)
					r->err = r->err ?: -EPROTO;
				r->refused--;
				early++;
			}
			pp_kt_send(f.x, r, sent, b - sent);
			sent = b;
			if (!pp_kt_rnd_below(&s, 3)) {
				a = acked + pp_kt_rnd_below(&s, sent - acked);
				b = a + 1 + pp_kt_rnd_below(&s, f.v->len - a);
				b = min3(b, sent + 20, (u32)f.v->len);
				if (pp_kt_send(f.x, r, a, b - a) ==
				    SCCP_ST_FORWARD) {
					retx++;
					sent = max(sent, b);
				}
			}
			if (!pp_kt_rnd_below(&s, 2) && sent > acked) {
				acked += pp_kt_rnd_below(&s, sent - acked + 1);
				sccp_stream_ack(&f.x->st, isn + acked);
			}
		}
		if ((r->refused || r->wrong || !pp_kt_rx_complete(r) ||
		     !pp_kt_same_msgs(&f) || f.x->st.stats.stale) && !bad++)
			pp_kt_expect_run(test, &f, false, "retransmissions");
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "%u of %u runs", bad,
			    PP_KT_ST_RETX_RUNS);
	KUNIT_EXPECT_GT(test, retx, PP_KT_ST_RETX_RUNS);
	KUNIT_EXPECT_GT(test, early, PP_KT_ST_RETX_RUNS / 10);
}

/* ---- crafted streams -------------------------------------------------- */

/* KeepAlive, the v17 OpenReceiveChannelAck of the notes, KeepAliveAck. */
static const u8 pp_kt_orc_ack_v17[] = {
	0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,		/* KeepAliveReq */
	0x28, 0, 0, 0, 0x14, 0, 0, 0, 0x22, 0, 0, 0,	/* hv 0x14, body 36 */
	0, 0, 0, 0,					/* status */
	0, 0, 0, 0,					/* ipAddrType */
	192, 0, 2, 58, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x90, 0x7d, 0, 0,				/* port 32144 */
	0x4f, 0, 0, 0x01,				/* passThruPartyId */
	0x4a, 0x36, 0x2e, 0x01,				/* callReference */
	0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0,	/* KeepAliveAck */
};

/* hv 0x14 OpenReceiveChannelAck, body 16: the v17 address is cut. */
static const u8 pp_kt_malformed[] = {
	0x14, 0, 0, 0, 0x14, 0, 0, 0, 0x22, 0, 0, 0,
	0, 0, 0, 0,					/* status */
	0, 0, 0, 0,					/* ipAddrType */
	192, 0, 2, 58, 0x90, 0x7d, 0, 0,		/* 8 of 16 bytes */
};

/* OpenReceiveChannelAck, hv 0, v17 body of 36 (Asterisk). */
static const u8 pp_kt_v17_hv0[] = {
	0x28, 0, 0, 0, 0, 0, 0, 0, 0x22, 0, 0, 0,
	0, 0, 0, 0,					/* status */
	0, 0, 0, 0,					/* ipAddrType */
	192, 0, 2, 58, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x90, 0x7d, 0, 0, 0x4f, 0, 0, 0x01, 0x4a, 0x36, 0x2e, 0x01,
};

/*
 * OpenReceiveChannelAck, hv 0, an old body of 36 whose address starts
 * with three zero bytes, as ipAddrType 0 would.
 */
static const u8 pp_kt_old_zeros[] = {
	0x28, 0, 0, 0, 0, 0, 0, 0, 0x22, 0, 0, 0,
	0, 0, 0, 0,					/* status */
	0, 0, 0, 5,					/* address */
	0xa0, 0x0f, 0, 0,				/* port 4000 */
	0x4f, 0, 0, 0x01, 0x4a, 0x36, 0x2e, 0x01,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

struct pp_kt_bytes {
	const u8 *p;
	u32 n;
};

#define PP_KT_BYTES(a)	{ .p = (a), .n = sizeof(a) }

static const struct pp_kt_bytes pp_kt_orca = PP_KT_BYTES(pp_kt_orc_ack_v17);
static const struct pp_kt_bytes pp_kt_bad = PP_KT_BYTES(pp_kt_malformed);
static const struct pp_kt_bytes pp_kt_v17hv0 = PP_KT_BYTES(pp_kt_v17_hv0);
static const struct pp_kt_bytes pp_kt_zeros = PP_KT_BYTES(pp_kt_old_zeros);

/* A crafted stream, its reference rewrite, a caller and a receiver. */
struct pp_kt_crafted {
	u8 in[256];
	u8 want[256];
	u32 n;
	struct pp_kt_st_ctx *x;
	struct pp_kt_rx *r;
};

static struct pp_kt_crafted *pp_kt_crafted(struct kunit *test,
					   const struct pp_kt_bytes *b, u32 isn)
{
	struct pp_kt_crafted *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct sccp_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	c->x = kunit_kzalloc(test, sizeof(*c->x), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->x);
	KUNIT_ASSERT_LE(test, b->n, sizeof(c->in));
	memcpy(c->in, b->p, b->n);
	c->n = b->n;
	KUNIT_ASSERT_GE(test, pp_kt_st_reference(c->in, c->n, c->want, m), 1);
	c->r = pp_kt_rx_alloc(test, c->in, c->want, c->n);
	pp_kt_st_ctx_init(c->x, isn);
	pp_kt_rx_reset(c->r, isn);
	return c;
}

/*
 * A segment ends inside an address: the field is decided from what came
 * before it, both parts are rewritten, and so are retransmissions.
 */
static void pp_sccp_stream_straddling_field(struct kunit *test)
{
	struct pp_kt_crafted *c = pp_kt_crafted(test, &pp_kt_orca, 100);
	struct pp_kt_st_ctx *x = c->x;
	struct pp_kt_rx *r = c->r;

	/* KeepAlive 12 + header 12 + status 4 + ipAddrType 4 + 2 bytes */
	pp_kt_send(x, r, 0, 34);
	KUNIT_EXPECT_EQ(test, x->rewrites, 1);
	KUNIT_EXPECT_EQ(test, x->unknown, 1);
	KUNIT_EXPECT_EQ(test, x->npdu, 1);
	KUNIT_EXPECT_EQ(test, r->wrong, 0);
	KUNIT_ASSERT_EQ(test, x->st.rw_n, 1);
	KUNIT_EXPECT_EQ(test, x->st.rws[0].len, 24);
	/* the original bytes seen are kept, at their sequence numbers */
	KUNIT_EXPECT_EQ(test, x->st.ring_len, 34);
	KUNIT_EXPECT_EQ(test, memcmp(x->st.ring + 100, c->in, 34), 0);

	/* the first part again */
	KUNIT_EXPECT_EQ(test, pp_kt_send(x, r, 24, 10), SCCP_ST_FORWARD);
	KUNIT_EXPECT_EQ(test, x->st.stats.retrans, 1);

	pp_kt_send(x, r, 34, c->n - 34);
	KUNIT_EXPECT_EQ(test, r->refused, 0);
	KUNIT_EXPECT_EQ(test, r->wrong, 0);
	KUNIT_EXPECT_TRUE(test, pp_kt_rx_complete(r));
	KUNIT_ASSERT_EQ(test, x->npdu, 3);
	KUNIT_EXPECT_TRUE(test, x->msgs[1].ep[0].known);
	KUNIT_EXPECT_EQ(test, x->msgs[1].ep[0].val.port, 32144);
	KUNIT_EXPECT_EQ(test, x->msgs[1].ep[0].val.ip[3], 0x3a);
	KUNIT_EXPECT_EQ(test, x->msgs[1].ppid, 0x0100004f);
	KUNIT_EXPECT_EQ(test, x->st.ring_len, c->n);
	KUNIT_EXPECT_EQ(test, memcmp(x->st.ring + 100, c->in, c->n), 0);

	/* the whole stream again */
	KUNIT_EXPECT_EQ(test, pp_kt_send(x, r, 0, c->n), SCCP_ST_FORWARD);
	KUNIT_EXPECT_EQ(test, r->wrong, 0);
}

static void pp_sccp_stream_out_of_order_refused(struct kunit *test)
{
	struct pp_kt_crafted *c = pp_kt_crafted(test, &pp_kt_orca, 500);
	struct pp_kt_st_ctx *x = c->x;
	struct pp_kt_rx *r = c->r;
	u8 byte = 4;

	KUNIT_EXPECT_EQ(test, pp_kt_send(x, r, 20, 10), SCCP_ST_OOO);
	KUNIT_EXPECT_EQ(test, x->st.next_seq, 500);
	KUNIT_EXPECT_EQ(test, x->st.stats.ooo, 1);
	KUNIT_EXPECT_EQ(test, x->rewrites, 0);
	KUNIT_EXPECT_EQ(test, sccp_stream_segment(&x->st, 500, &byte, 0,
						  &pp_kt_st_ops, x),
			SCCP_ST_FORWARD);
	pp_kt_send(x, r, 0, 20);
	sccp_stream_ack(&x->st, 500 + 1000);	/* beyond what was seen */
	sccp_stream_ack(&x->st, 400);		/* before the start */
	KUNIT_EXPECT_EQ(test, x->st.ack_seq, 500);
	r->refused = 0;
	pp_kt_send(x, r, 20, c->n - 20);
	KUNIT_EXPECT_EQ(test, r->refused, 0);
	KUNIT_EXPECT_EQ(test, r->wrong, 0);
	KUNIT_EXPECT_TRUE(test, pp_kt_rx_complete(r));
}

static void pp_sccp_stream_uninitialised_refused(struct kunit *test)
{
	struct sccp_stream *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	u8 byte = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, st);
	KUNIT_EXPECT_EQ(test, sccp_stream_segment(st, 0, &byte, 1,
						  &pp_kt_st_ops, NULL),
			SCCP_E_STATE);
}

/*
 * Retransmissions that differ from the first copy are refused; the
 * stream goes on (the sender retransmits the right bytes).
 */
static void pp_sccp_stream_changed_retransmission_refused(struct kunit *test)
{
	struct pp_kt_crafted *c = pp_kt_crafted(test, &pp_kt_orca, 500);
	struct pp_kt_st_ctx *x = c->x;
	u8 seg[12];

	pp_kt_send(x, c->r, 0, c->n);
	/* another length in the ORC-Ack's header */
	memcpy(seg, c->in + 12, 12);
	seg[0] = 0x2c;
	KUNIT_EXPECT_EQ(test, sccp_stream_segment(&x->st, 512, seg, 12,
						  &pp_kt_st_ops, x),
			SCCP_ST_CONFLICT);
	KUNIT_EXPECT_EQ(test, x->st.stats.conflict, 1);
	memcpy(seg, c->in + 12, 12);
	KUNIT_EXPECT_EQ(test, sccp_stream_segment(&x->st, 512, seg, 12,
						  &pp_kt_st_ops, x),
			SCCP_ST_FORWARD);

	/* another original address */
	pp_kt_st_ctx_init(x, 0);
	c->r->isn = 0;
	pp_kt_send(x, c->r, 0, c->n);
	memcpy(seg, c->in + 30, 8);
	seg[2] ^= 1;
	KUNIT_EXPECT_EQ(test, sccp_stream_segment(&x->st, 30, seg, 8,
						  &pp_kt_st_ops, x),
			SCCP_ST_CONFLICT);
	KUNIT_EXPECT_EQ(test, x->st.error, 0);
}

/* ---- One user, one device (docs/security.md) ------------------------- */

#define PP_KT_OWN	"SEP001122334455"
#define PP_KT_VICTIM	"SEP0003E348E321"

/* The module's SID check (sccp_conn.c), PP_KT_OWN the user's device. */
static int pp_kt_sid_rewrite(void *c, const struct sccp_msg *m,
			     unsigned int i, struct sccp_addr *repl)
{
	return sccp_device_ok(m, PP_KT_OWN) ? SCCP_RW_KEEP : SCCP_E_ABORT;
}

static int pp_kt_sid_pdu(void *c, const struct sccp_msg *m, int err)
{
	return !err && sccp_device_ok(m, PP_KT_OWN) ? 0 : SCCP_E_ABORT;
}

static const struct sccp_stream_ops pp_kt_sid_ops = {
	.rewrite = pp_kt_sid_rewrite,
	.pdu = pp_kt_sid_pdu,
};

/* A RegisterReq (body 36) or RegisterTokenReq (body 32) naming @name. */
static u32 pp_kt_registration(u8 *p, u32 id, const char *name)
{
	u32 body = id == SCCP_REGISTER_REQ ? 36 : 32;

	memset(p, 0, 12 + body);
	p[0] = 4 + body;
	p[8] = id;
	memcpy(p + 12, name, strlen(name));
	p[12 + 20] = 1;			/* instance */
	p[12 + 28] = 7;			/* deviceType */
	return 12 + body;
}

struct pp_kt_sid {
	struct sccp_stream st;
	u8 own[64], victim[64], seg[128];
	u32 n;
};

static struct pp_kt_sid *pp_kt_sid_alloc(struct kunit *test, u32 id, u32 isn)
{
	struct pp_kt_sid *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	s->n = pp_kt_registration(s->own, id, PP_KT_OWN);
	pp_kt_registration(s->victim, id, PP_KT_VICTIM);
	KUNIT_ASSERT_EQ(test, sccp_stream_tcp(&s->st, isn, SCCP_TCP_SYN, NULL,
					      0, &pp_kt_sid_ops, NULL),
			SCCP_ST_FORWARD);
	return s;
}

static int pp_kt_sid_send(struct pp_kt_sid *s, u32 seq, unsigned int flags,
			  const u8 *p, u32 n)
{
	memcpy(s->seg, p, n);
	return sccp_stream_tcp(&s->st, seq, flags, s->seg, n, &pp_kt_sid_ops,
			       NULL);
}

/*
 * A RegisterReq of the user's device the receiver discarded (PAWS), then
 * its retransmission naming another device: refused, whatever part of
 * it overlaps; the unchanged one passes.
 */
static void pp_sccp_stream_retransmission_with_other_device_refused(struct kunit *test)
{
	const u32 isn = 0xfffffff0;	/* wraps on the way */
	struct pp_kt_sid *s = pp_kt_sid_alloc(test, SCCP_REGISTER_REQ, isn);

	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, isn + 1, 0, s->own, s->n),
			SCCP_ST_FORWARD);
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, isn + 1, 0, s->victim, s->n),
			SCCP_ST_CONFLICT);
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, isn + 1 + 12, 0,
					     s->victim + 12, 8),
			SCCP_ST_CONFLICT);
	KUNIT_EXPECT_EQ(test, s->st.stats.conflict, 2);
	KUNIT_EXPECT_EQ(test, s->st.error, 0);
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, isn + 1, 0, s->own, s->n),
			SCCP_ST_FORWARD);
	/* a new one naming another device aborts */
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, isn + 1 + s->n, 0, s->victim,
					     s->n),
			SCCP_E_ABORT);
}

/*
 * A SYN in the middle of the connection never restarts the tracking:
 * refused unless it is the first SYN again; what follows it is judged
 * against the stream already seen.
 */
static void pp_sccp_stream_second_syn_refused(struct kunit *test)
{
	const u32 isn = 7000;
	struct pp_kt_sid *s = pp_kt_sid_alloc(test, SCCP_REGISTER_REQ, isn);
	u32 resyn = isn + s->n - 12;
	u8 *wrap;

	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, isn + 1, 0, s->own, s->n),
			SCCP_ST_FORWARD);
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, resyn, SCCP_TCP_SYN, NULL, 0),
			SCCP_ST_CONFLICT);
	KUNIT_EXPECT_EQ(test, s->st.next_seq, isn + 1 + s->n);
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, isn, SCCP_TCP_SYN, NULL, 0),
			SCCP_ST_FORWARD);
	KUNIT_EXPECT_EQ(test, s->st.next_seq, isn + 1 + s->n);
	/* a KeepAlive header whose body is the victim's RegisterReq */
	wrap = kunit_kzalloc(test, 12 + s->n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, wrap);
	wrap[0] = 4 + s->n;
	memcpy(wrap + 12, s->victim, s->n);
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, resyn + 1, 0, wrap, 12 + s->n),
			SCCP_ST_CONFLICT);
	KUNIT_EXPECT_EQ(test, s->st.stats.conflict, 2);
	/* data with a SYN, URG with or without data */
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, isn + 1 + s->n, SCCP_TCP_SYN,
					     s->own, 12),
			SCCP_ST_OOO);
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, isn + 1, SCCP_TCP_URG, s->own,
					     12),
			SCCP_ST_CONFLICT);
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, isn + 1 + s->n, SCCP_TCP_URG,
					     NULL, 0),
			SCCP_ST_CONFLICT);
}

/* RegisterTokenReq is a registration: SID-checked like RegisterReq. */
static void pp_sccp_stream_register_token_checked(struct kunit *test)
{
	struct pp_kt_sid *s = pp_kt_sid_alloc(test, SCCP_REGISTER_TOKEN_REQ, 1);
	u8 spcp[20] = { 4 + 8, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x80 };

	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, 2, 0, s->own, 20),
			SCCP_ST_FORWARD);
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, 22, 0, s->own + 20, s->n - 20),
			SCCP_ST_FORWARD);
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, 2 + s->n, 0, s->victim, s->n),
			SCCP_E_ABORT);

	s = pp_kt_sid_alloc(test, SCCP_REGISTER_TOKEN_REQ, 1);
	pp_kt_registration(s->victim, SCCP_REGISTER_TOKEN_REQ,
			   "sep001122334455");
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, 2, 0, s->victim, s->n),
			SCCP_ST_FORWARD);
	pp_kt_registration(s->victim, SCCP_REGISTER_TOKEN_REQ,
			   PP_KT_OWN "0");
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, 2 + s->n, 0, s->victim, s->n),
			SCCP_E_ABORT);

	/* SPCPRegisterTokenReq: the name is not located, it never passes */
	s = pp_kt_sid_alloc(test, SCCP_REGISTER_TOKEN_REQ, 1);
	KUNIT_EXPECT_EQ(test, pp_kt_sid_send(s, 2, 0, spcp, sizeof(spcp)),
			SCCP_E_ABORT);
}

static void pp_sccp_stream_framing_error_kills(struct kunit *test)
{
	struct pp_kt_st_ctx *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	u8 seg[12] = { 2 };

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x);
	pp_kt_st_ctx_init(x, 0);
	KUNIT_EXPECT_EQ(test, sccp_stream_segment(&x->st, 0, seg, 12,
						  &pp_kt_st_ops, x),
			SCCP_E_LENGTH);
	KUNIT_EXPECT_EQ(test, sccp_stream_segment(&x->st, 12, seg, 12,
						  &pp_kt_st_ops, x),
			SCCP_E_LENGTH);

	/* header version 0x100, its header split over two segments */
	pp_kt_st_ctx_init(x, 0);
	memset(seg, 0, sizeof(seg));
	seg[0] = 4;
	seg[5] = 1;
	KUNIT_EXPECT_EQ(test, sccp_stream_segment(&x->st, 0, seg, 8,
						  &pp_kt_st_ops, x),
			SCCP_ST_FORWARD);
	KUNIT_EXPECT_EQ(test, sccp_stream_segment(&x->st, 8, seg + 8, 4,
						  &pp_kt_st_ops, x),
			SCCP_E_VERSION);
}

/* ---- the caller's verdicts ---------------------------------------------- */

enum { PP_KT_OPS_BOTH, PP_KT_OPS_NO_REWRITE, PP_KT_OPS_NO_PDU };

struct pp_kt_verdict_case {
	const char *desc;
	const struct pp_kt_bytes *b;
	u8 ops;			/* PP_KT_OPS_* */
	int rw_verdict;
	int pdu_verdict;
	int want;		/* sccp_stream_segment() of the whole */
	bool unchanged;		/* the bytes pass as they are */
	unsigned int rewrites;	/* records */
	unsigned int malformed;
};

#define ORCA	(&pp_kt_orca)
#define BAD	(&pp_kt_bad)

static const struct pp_kt_verdict_case pp_kt_verdict_cases[] = {
	{ "keep: the field passes as it is", ORCA,
	  PP_KT_OPS_BOTH, SCCP_RW_KEEP, 0, SCCP_ST_FORWARD, true, 0 },
	{ "rewrite: the field is replaced", ORCA,
	  PP_KT_OPS_BOTH, SCCP_RW_REWRITE, 0, SCCP_ST_FORWARD, false, 1 },
	{ "rewrite refusing: the stream aborts", ORCA,
	  PP_KT_OPS_BOTH, -1, 0, SCCP_E_ABORT },
	{ "an unknown verdict: the stream aborts", ORCA,
	  PP_KT_OPS_BOTH, 7, 0, SCCP_E_ABORT },
	{ "no rewrite callback: a PDU with an address aborts",
	  ORCA, PP_KT_OPS_NO_REWRITE, 0, 0, SCCP_E_ABORT },
	{ "no pdu callback: a PDU without fault passes", ORCA,
	  PP_KT_OPS_NO_PDU, SCCP_RW_REWRITE, 0, SCCP_ST_FORWARD, false, 1 },
	{ "malformed, caller refuses: abort", BAD, PP_KT_OPS_BOTH,
	  SCCP_RW_REWRITE, -1, SCCP_E_ABORT, false, 0, 1 },
	/* ipAddrType 0 written again: the bytes do not change */
	{ "malformed, caller passes it: the whole ipAddrType rewritten",
	  BAD, PP_KT_OPS_BOTH, SCCP_RW_REWRITE, 0,
	  SCCP_ST_FORWARD, true, 1, 1 },
	{ "malformed without a pdu callback: abort", BAD,
	  PP_KT_OPS_NO_PDU, SCCP_RW_REWRITE, 0, SCCP_E_ABORT, false, 0, 1 },
};

static void pp_kt_verdict_desc(const struct pp_kt_verdict_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pp_kt_verdict, pp_kt_verdict_cases, pp_kt_verdict_desc);

static void pp_sccp_stream_verdicts(struct kunit *test)
{
	static const struct sccp_stream_ops no_rw = { .pdu = pp_kt_st_pdu };
	static const struct sccp_stream_ops no_pdu = {
		.rewrite = pp_kt_st_rewrite,
	};
	const struct pp_kt_verdict_case *c = test->param_value;
	const struct sccp_stream_ops *ops = &pp_kt_st_ops;
	struct pp_kt_st_ctx *x;
	u8 in[128], *seg;
	u32 n;

	x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x);
	if (c->ops == PP_KT_OPS_NO_REWRITE)
		ops = &no_rw;
	else if (c->ops == PP_KT_OPS_NO_PDU)
		ops = &no_pdu;
	n = c->b->n;
	KUNIT_ASSERT_LE(test, n, sizeof(in));
	memcpy(in, c->b->p, n);
	seg = kunit_kmalloc(test, n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, seg);
	memcpy(seg, in, n);
	pp_kt_st_ctx_init(x, 0);
	x->rw_verdict = c->rw_verdict;
	x->pdu_verdict = c->pdu_verdict;
	KUNIT_EXPECT_EQ(test, sccp_stream_segment(&x->st, 0, seg, n, ops, x),
			c->want);
	if (c->want == SCCP_ST_FORWARD)
		KUNIT_EXPECT_EQ(test, !memcmp(seg, in, n), c->unchanged);
	KUNIT_EXPECT_EQ(test, x->st.rw_n, c->rewrites);
	KUNIT_EXPECT_EQ(test, x->st.stats.malformed, c->malformed);
	if (c->malformed && ops->pdu) {
		/* reported once, with its header, before its body passed */
		KUNIT_EXPECT_EQ(test, x->nbad, 1);
		KUNIT_EXPECT_EQ(test, x->last_err, SCCP_E_TRUNCATED);
		KUNIT_EXPECT_EQ(test, x->bad_at_next_seq, 0);
	}
	if (c->malformed && c->rewrites)
		KUNIT_EXPECT_EQ(test, x->st.rws[0].len, 4);
	if (c->want < 0)
		KUNIT_EXPECT_EQ(test, sccp_stream_segment(&x->st, n, seg, 1,
							  ops, x), c->want);
}

/* The malformed PDU is refused from its header on: nothing of it leaves. */
static void pp_sccp_stream_malformed_reported_before_body(struct kunit *test)
{
	struct pp_kt_st_ctx *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	u8 seg[32];

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x);
	memcpy(seg, pp_kt_malformed, sizeof(pp_kt_malformed));
	pp_kt_st_ctx_init(x, 0);
	x->pdu_verdict = -1;
	KUNIT_EXPECT_EQ(test, sccp_stream_segment(&x->st, 0, seg, 12,
						  &pp_kt_st_ops, x),
			SCCP_E_ABORT);
	KUNIT_EXPECT_EQ(test, x->nbad, 1);
	KUNIT_EXPECT_EQ(test, x->rewrites, 0);
}

/* ---- the layout rule under segmentation --------------------------------- */

struct pp_kt_seglayout_case {
	const char *desc;
	const struct pp_kt_bytes *b;	/* an OpenReceiveChannelAck */
	u32 cut;		/* first segment; 0: one segment */
	u8 hint;
	u8 layout;		/* frozen after the first segment */
	bool tentative;		/* ... as a guess */
	int err;		/* the first error, 0 if none */
};

#define V17HV0	(&pp_kt_v17hv0)
#define ZEROS	(&pp_kt_zeros)

static const struct pp_kt_seglayout_case pp_kt_seglayout_cases[] = {
	{ "v17 body, cut in the window, no hint: v17 guessed, confirmed",
	  V17HV0, 18, 0, SCCP_LAYOUT_V17, true, 0 },
	{ "v17 body, cut in the window, hint 11: old guessed, stream killed",
	  V17HV0, 18, 11, SCCP_LAYOUT_OLD, true, SCCP_E_LAYOUT },
	{ "v17 body, cut after the window, hint 11: v17",
	  V17HV0, 36, 11, SCCP_LAYOUT_V17, false, 0 },
	{ "v17 body whole, hint 11: v17", V17HV0, 0, 11,
	  SCCP_LAYOUT_V17, false, 0 },
	{ "old body with zeros, cut in the window: v17 guessed, stream killed",
	  ZEROS, 18, 0, SCCP_LAYOUT_V17, true, SCCP_E_LAYOUT },
	{ "old body with zeros, hint 11: old guessed, confirmed",
	  ZEROS, 18, 11, SCCP_LAYOUT_OLD, true, 0 },
	{ "old body with zeros, whole: old, no guess", ZEROS, 0, 0,
	  SCCP_LAYOUT_OLD, false, 0 },
	{ "old body with zeros, cut where they end: old, no guess",
	  ZEROS, 20, 0, SCCP_LAYOUT_OLD, false, 0 },
};

static void pp_kt_seglayout_desc(const struct pp_kt_seglayout_case *c,
				 char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pp_kt_seglayout, pp_kt_seglayout_cases,
		  pp_kt_seglayout_desc);

static void pp_sccp_stream_layout_under_segmentation(struct kunit *test)
{
	const struct pp_kt_seglayout_case *c = test->param_value;
	struct pp_kt_crafted *k = pp_kt_crafted(test, c->b, 0);
	struct pp_kt_st_ctx *x = k->x;
	struct pp_kt_rx *r = k->r;
	u32 cut = c->cut ?: k->n;

	sccp_stream_set_hint(&x->st, c->hint);
	pp_kt_send(x, r, 0, cut);
	KUNIT_EXPECT_EQ(test, x->st.layout, c->layout);
	if (c->cut)
		KUNIT_EXPECT_EQ(test, x->st.tentative, c->tentative);
	if (cut < k->n)
		pp_kt_send(x, r, cut, k->n - cut);
	KUNIT_EXPECT_EQ(test, r->err, c->err);
	if (!c->err) {
		/* as the reference, which decides on the whole PDU */
		KUNIT_EXPECT_EQ(test, r->refused, 0);
		KUNIT_EXPECT_EQ(test, r->wrong, 0);
		KUNIT_EXPECT_TRUE(test, pp_kt_rx_complete(r));
		KUNIT_EXPECT_FALSE(test, x->st.tentative);
		KUNIT_EXPECT_EQ(test, x->npdu, 1);
	} else {
		KUNIT_EXPECT_EQ(test, r->refused, 1);
	}
}

/* ---- history -------------------------------------------------------------- */

#define PP_KT_HIST_PDUS	400	/* headers alone: beyond the byte ring */

/* 200 v17 OpenReceiveChannelAcks (48 bytes) or 200 KeepAlives (12). */
static struct pp_kt_crafted *pp_kt_history(struct kunit *test, bool fields)
{
	struct pp_kt_crafted *one = pp_kt_crafted(test, &pp_kt_orca, 0);
	u32 unit = fields ? 48 : 12, i, n = PP_KT_HIST_PDUS * unit;
	struct sccp_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	u8 *in, *want;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	in = kunit_kzalloc(test, n, GFP_KERNEL);
	want = kunit_kzalloc(test, n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, in);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, want);
	for (i = 0; i < PP_KT_HIST_PDUS; i++)
		memcpy(in + i * unit, one->in + (fields ? 12 : 0), unit);
	KUNIT_ASSERT_EQ(test, pp_kt_st_reference(in, n, want, m),
			PP_KT_HIST_PDUS);
	one->r = pp_kt_rx_alloc(test, in, want, n);
	one->n = n;
	pp_kt_st_ctx_init(one->x, 0);
	pp_kt_rx_reset(one->r, 0);
	return one;
}

static void pp_sccp_stream_history_evicted_refused(struct kunit *test)
{
	struct pp_kt_crafted *c = pp_kt_history(test, true);
	struct pp_kt_st_ctx *x = c->x;
	struct pp_kt_rx *r = c->r;
	const u32 unit = 48;
	u32 i;

	for (i = 0; i < PP_KT_HIST_PDUS; i++)
		pp_kt_send(x, r, i * unit, unit);
	KUNIT_EXPECT_EQ(test, r->refused, 0);
	KUNIT_EXPECT_EQ(test, r->wrong, 0);
	KUNIT_EXPECT_GT(test, x->st.stats.evicted, 0);
	KUNIT_EXPECT_EQ(test, x->st.ring_len, SCCP_STREAM_RING);
	KUNIT_EXPECT_EQ(test, x->st.rw_n, SCCP_STREAM_RWS);
	/* a field record of these bytes is gone */
	KUNIT_EXPECT_EQ(test, pp_kt_send(x, r, 0, unit), SCCP_ST_STALE);
	KUNIT_EXPECT_EQ(test, x->st.stats.stale, 1);
	/* the last SCCP_STREAM_RWS PDUs are still rewritten */
	KUNIT_EXPECT_EQ(test, pp_kt_send(x, r, c->n - SCCP_STREAM_RWS * unit,
					 SCCP_STREAM_RWS * unit),
			SCCP_ST_FORWARD);
	KUNIT_EXPECT_EQ(test, r->wrong, 0);
	/* acknowledged, yet refused: a field there cannot be rewritten */
	sccp_stream_ack(&x->st, c->n - unit);
	KUNIT_EXPECT_EQ(test, pp_kt_send(x, r, 0, unit), SCCP_ST_STALE);
}

static void pp_sccp_stream_history_acknowledged_as_it_goes(struct kunit *test)
{
	struct pp_kt_crafted *c = pp_kt_history(test, true);
	struct pp_kt_st_ctx *x = c->x;
	struct pp_kt_rx *r = c->r;
	const u32 unit = 48;
	u32 i, from;

	for (i = 0; i < PP_KT_HIST_PDUS; i++) {
		pp_kt_send(x, r, i * unit, unit);
		from = i >= 3 ? (i - 3) * unit : 0;
		if (i >= 3)
			sccp_stream_ack(&x->st, from);
		if (pp_kt_send(x, r, from, (i + 1) * unit - from) !=
		    SCCP_ST_FORWARD)
			break;
	}
	KUNIT_EXPECT_EQ(test, i, PP_KT_HIST_PDUS);
	KUNIT_EXPECT_EQ(test, r->refused, 0);
	KUNIT_EXPECT_EQ(test, r->wrong, 0);
	KUNIT_EXPECT_EQ(test, x->st.stats.evicted, 0);
}

static void pp_sccp_stream_history_headers_only(struct kunit *test)
{
	struct pp_kt_crafted *c = pp_kt_history(test, false);
	struct pp_kt_st_ctx *x = c->x;
	struct pp_kt_rx *r = c->r;
	u32 i;

	for (i = 0; i < PP_KT_HIST_PDUS; i++)
		pp_kt_send(x, r, i * 12, 12);
	KUNIT_EXPECT_EQ(test, r->refused, 0);
	/* unacknowledged, no longer kept */
	KUNIT_EXPECT_EQ(test, pp_kt_send(x, r, 0, 24), SCCP_ST_STALE);
	/* acknowledged: passes, the receiver discards it */
	sccp_stream_ack(&x->st, 24);
	KUNIT_EXPECT_EQ(test, pp_kt_send(x, r, 0, 24), SCCP_ST_FORWARD);
	KUNIT_EXPECT_EQ(test, r->wrong, 0);
	/* unless it reaches unacknowledged bytes no longer kept */
	KUNIT_EXPECT_EQ(test, pp_kt_send(x, r, 12, 24), SCCP_ST_STALE);
	/* unacknowledged bytes still kept: compared, pass */
	KUNIT_EXPECT_EQ(test, pp_kt_send(x, r, c->n - SCCP_STREAM_RING, 24),
			SCCP_ST_FORWARD);
	KUNIT_EXPECT_EQ(test, r->wrong, 0);
}

static struct kunit_case pp_sccp_stream_cases[] = {
	KUNIT_CASE_PARAM(pp_sccp_stream_one_segment, pp_kt_st_vec_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_captured_segmentation,
			 pp_kt_st_vec_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_cut_at_every_byte,
			 pp_kt_st_vec_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_one_byte_per_segment_across_wrap,
			 pp_kt_st_vec_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_random_cuts, pp_kt_st_vec_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_retransmissions_and_early_segments,
			 pp_kt_st_vec_gen_params),
	KUNIT_CASE(pp_sccp_stream_straddling_field),
	KUNIT_CASE(pp_sccp_stream_out_of_order_refused),
	KUNIT_CASE(pp_sccp_stream_uninitialised_refused),
	KUNIT_CASE(pp_sccp_stream_changed_retransmission_refused),
	KUNIT_CASE(pp_sccp_stream_retransmission_with_other_device_refused),
	KUNIT_CASE(pp_sccp_stream_second_syn_refused),
	KUNIT_CASE(pp_sccp_stream_register_token_checked),
	KUNIT_CASE(pp_sccp_stream_framing_error_kills),
	KUNIT_CASE_PARAM(pp_sccp_stream_verdicts, pp_kt_verdict_gen_params),
	KUNIT_CASE(pp_sccp_stream_malformed_reported_before_body),
	KUNIT_CASE_PARAM(pp_sccp_stream_layout_under_segmentation,
			 pp_kt_seglayout_gen_params),
	KUNIT_CASE(pp_sccp_stream_history_evicted_refused),
	KUNIT_CASE(pp_sccp_stream_history_acknowledged_as_it_goes),
	KUNIT_CASE(pp_sccp_stream_history_headers_only),
	{}
};

struct kunit_suite pp_sccp_stream_suite = {
	.name = "pp_sccp_stream",
	.test_cases = pp_sccp_stream_cases,
};
