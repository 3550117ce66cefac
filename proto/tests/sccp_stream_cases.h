/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The SCCP stream tracker's tests (proto/sccp_stream.c), once, for the
 * KUnit suite (kmod/tests/sccp_stream_kunit.c) and the userspace unit
 * test (userspace/tests/test_sccp_stream.c). The property: a captured
 * stream of sccp_vectors.h fed as TCP segments, whatever the cuts (at
 * every byte, one byte at a time across the sequence wrap, the captured
 * segmentation, random cuts), with retransmissions and early segments,
 * comes out byte-identical to the reference rewrite of the uncut stream,
 * every forwarded byte already the rewritten one, and the caller learns
 * the same PDUs. Then the edges: a field straddling two segments,
 * retransmissions that differ (another device name among them), a SYN in
 * the middle, RegisterTokenReq's SID check, out-of-order data, framing
 * errors, the caller's verdicts, malformed PDUs, the layout rule under
 * segmentation, the history. Each segment is handed over in a buffer of
 * its exact size, so KASAN or ASan sees any access beyond it.
 *
 * Each test returns 0 when it holds, else non-zero with the first
 * failure described in why[SCCP_T_WHY]. @t is the harness's context for
 * sccp_t_zalloc(): memory freed when the test ends. Include after
 * sccp_stream.c (kernel) or sccp_stream.h (userspace).
 */
#ifndef _PP_SCCP_STREAM_CASES_H
#define _PP_SCCP_STREAM_CASES_H

#include "sccp_test.h"
#include "sccp_stream.h"
#include "sccp_vectors.h"
#include "sccp_key_cases.h"

#define SCCP_T_ST_PDUS	64	/* PDUs of the longest stream, and more */

/* Random runs per stream. */
#ifndef SCCP_T_CUT_RUNS
#define SCCP_T_CUT_RUNS		300
#endif
#ifndef SCCP_T_RETX_RUNS
#define SCCP_T_RETX_RUNS	300
#endif

/* The caller: a deterministic policy, and what it was told. */
struct sccp_t_st_ctx {
	struct sccp_stream st;
	unsigned int rewrites;		/* rewrite() calls */
	unsigned int unknown;		/* of which with the original not seen */
	unsigned int npdu;		/* pdu() calls with err 0 */
	unsigned int nbad;		/* pdu() calls with an error */
	int last_err;
	int pdu_verdict;		/* what pdu(err != 0) returns */
	int rw_verdict;			/* what rewrite() returns */
	u32 bad_at_next_seq;		/* st.next_seq when pdu(err) ran */
	const struct sccp_stream_ops *ops;	/* NULL: sccp_t_st_ops */
	/* key(): what it returns, and what it was told the last time */
	int key_verdict;
	bool key_bad;			/* give a key sccp_key_check() refuses */
	unsigned int keys;		/* key() calls */
	int key_blk;			/* its blk_len */
	u32 key_next_seq;		/* st.next_seq, st.have then */
	u32 key_have;
	u32 key_fields;			/* msg->fields */
	u32 key_ppid;
	bool key_ep_known;		/* every endpoint before the block known */
	bool ring_none;			/* ring(): the pool is empty */
	unsigned int ring_takes;	/* ring() calls that gave one */
	struct sccp_msg msgs[SCCP_T_ST_PDUS];	/* as pdu(0) reported them */
	u8 ring[SCCP_STREAM_RING];	/* attached for good */
};

static inline int sccp_t_st_rewrite(void *c, const struct sccp_msg *m,
				    unsigned int i, struct sccp_addr *repl)
{
	struct sccp_t_st_ctx *x = c;

	x->rewrites++;
	if (!m->ep[i].known)
		x->unknown++;
	sccp_t_policy(&m->ep[i], x->st.stats.pdus - 1, repl);
	return x->rw_verdict;
}

static inline int sccp_t_st_pdu(void *c, const struct sccp_msg *m, int err)
{
	struct sccp_t_st_ctx *x = c;

	if (err) {
		x->nbad++;
		x->last_err = err;
		x->bad_at_next_seq = x->st.next_seq;
		return x->pdu_verdict;
	}
	if (x->npdu < SCCP_T_ST_PDUS)
		memcpy(&x->msgs[x->npdu], m, sizeof(*m));
	x->npdu++;
	return 0;
}

static const struct sccp_stream_ops sccp_t_st_ops = {
	.rewrite = sccp_t_st_rewrite,
	.pdu = sccp_t_st_pdu,
};

/*
 * The key of the @pdu_no-th PDU, decided from nothing the segmentation
 * changes: the suites alternate, the bytes follow the PDU's number.
 */
static inline void sccp_t_key_of(unsigned int pdu_no, struct sccp_media_key *k)
{
	sccp_t_key_fill(k, pdu_no & 1 ? SCCP_KEY_AES_CM_128_SHA1_80 :
			SCCP_KEY_AES_CM_128_SHA1_32, (u8)(0x21 + 7 * pdu_no));
}

static inline int sccp_t_st_key(void *c, const struct sccp_msg *m,
				int blk_len, struct sccp_media_key *k)
{
	struct sccp_t_st_ctx *x = c;
	unsigned int i;

	x->keys++;
	x->key_blk = blk_len;
	x->key_next_seq = x->st.next_seq;
	x->key_have = x->st.have;
	x->key_fields = m->fields;
	x->key_ppid = m->ppid;
	x->key_ep_known = true;
	for (i = 0; i < m->n_ep; i++)
		if (m->ep[i].off < m->key_off && !m->ep[i].known)
			x->key_ep_known = false;
	sccp_t_key_of(x->st.stats.pdus - 1, k);
	if (x->key_bad)
		k->salt_len = SCCP_KEY_FIELD;
	return x->key_verdict;
}

static const struct sccp_stream_ops sccp_t_st_key_ops = {
	.rewrite = sccp_t_st_rewrite,
	.pdu = sccp_t_st_pdu,
	.key = sccp_t_st_key,
};

/*
 * The reference's key blocks: into @out (the reference rewrite of the
 * @len bytes of @in), the key of each PDU's number where sccp_key_block()
 * finds a block. Returns the number of blocks written.
 */
static inline unsigned int sccp_t_key_reference(const u8 *in, u32 len,
						u8 *out, u8 hint)
{
	struct sccp_media_key k;
	unsigned int n, blocks = 0;
	struct sccp_hdr h;
	u32 off = 0, o;
	int b;

	for (n = 0; off < len && !sccp_frame(in + off, len - off, &h); n++) {
		if (h.size > len - off)
			break;
		b = sccp_key_block(in + off, h.size, hint, &o);
		if (b > 0) {
			sccp_t_key_of(n, &k);
			if (!sccp_key_set(out + off + o, b, &k))
				blocks++;
		}
		off += h.size;
	}
	return blocks;
}

static inline void sccp_t_st_ctx_init(struct sccp_t_st_ctx *x, u32 isn)
{
	/* msgs[] is written before it is read */
	memset(x, 0, offsetof(struct sccp_t_st_ctx, msgs));
	sccp_stream_init(&x->st, isn);
	sccp_stream_ring_attach(&x->st, x->ring);
}

/* ---- a receiver that checks every forwarded byte ---------------------- */

struct sccp_t_rx {
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

static inline struct sccp_t_rx *sccp_t_rx_alloc(void *t, const u8 *in,
						const u8 *want, u32 len)
{
	struct sccp_t_rx *r = sccp_t_zalloc(t, sizeof(*r));

	if (!r)
		return NULL;
	r->in = in;
	r->want = want;
	r->len = len;
	r->out = sccp_t_zalloc(t, len);
	r->got = sccp_t_zalloc(t, len);
	return r->out && r->got ? r : NULL;
}

static inline void sccp_t_rx_reset(struct sccp_t_rx *r, u32 isn)
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
static inline int sccp_t_send(struct sccp_t_st_ctx *x, struct sccp_t_rx *r,
			      u32 off, u32 n)
{
	u8 *seg = sccp_t_exact(r->in + off, n);
	u32 i;
	int v;

	if (!seg) {
		r->err = r->err ? r->err : -ENOMEM;
		return -ENOMEM;
	}
	v = sccp_stream_segment(&x->st, r->isn + off, seg, n,
				x->ops ? x->ops : &sccp_t_st_ops, x);
	if (v != SCCP_ST_FORWARD) {
		r->refused++;
		if (v < 0 && !r->err)
			r->err = v;
		sccp_t_free(seg);
		return v;
	}
	for (i = 0; i < n; i++)
		r->wrong += seg[i] != r->want[off + i];
	memcpy(r->out + off, seg, n);
	memset(r->got + off, 1, n);
	sccp_t_free(seg);
	return v;
}

static inline bool sccp_t_rx_complete(const struct sccp_t_rx *r)
{
	u32 i;

	for (i = 0; i < r->len; i++)
		if (!r->got[i])
			return false;
	return !memcmp(r->out, r->want, r->len);
}

/* ---- the captured streams ------------------------------------------------- */

struct sccp_t_fix {
	const struct pp_kt_sccp_vec *v;
	u8 *want;			/* reference rewrite */
	unsigned int pdus;
	struct sccp_msg *msgs;		/* sccp_decode() of each PDU */
	struct sccp_msg *tmp;
	struct sccp_t_st_ctx *x;
	struct sccp_t_rx *r;
	bool keys;			/* with the key callback */
	unsigned int blocks;		/* key blocks in the reference */
};

/* @f for stream @v; non-zero (described in @why) when it cannot be. */
static inline int sccp_t_fix_init(void *t, const struct pp_kt_sccp_vec *v,
				  struct sccp_t_fix *f, char *why)
{
	unsigned int i;
	u32 off = 0;
	int bad;

	f->v = v;
	f->want = sccp_t_zalloc(t, v->len);
	f->msgs = sccp_t_zalloc(t, SCCP_T_ST_PDUS * sizeof(*f->msgs));
	f->tmp = sccp_t_zalloc(t, sizeof(*f->tmp));
	f->x = sccp_t_zalloc(t, sizeof(*f->x));
	f->r = sccp_t_rx_alloc(t, v->data, f->want, v->len);
	if (sccp_t_ck(why, f->want && f->msgs && f->tmp && f->x && f->r,
		      "no memory"))
		return 1;
	bad = sccp_t_ck(why, sccp_t_reference(v->data, v->len, f->want, 0,
					      f->tmp, &f->pdus, NULL, 0) ==
			v->len && f->pdus == v->n_pdus &&
			f->pdus <= SCCP_T_ST_PDUS, "reference: %u PDUs",
			f->pdus);
	for (i = 0; i < f->pdus && !bad; i++) {
		bad = sccp_t_ck(why, !sccp_decode(v->data + off, v->len - off,
						  0, &f->msgs[i]),
				"PDU %u does not decode", i);
		off += f->msgs[i].hdr.size;
	}
	f->keys = false;
	f->blocks = 0;
	return bad;
}

/* From now on @f's runs rewrite the key blocks too, as the reference. */
static inline void sccp_t_fix_keys(struct sccp_t_fix *f)
{
	f->keys = true;
	f->blocks = sccp_t_key_reference(f->v->data, f->v->len, f->want, 0);
}

/* A run of @f starts: the stream at @isn, an empty receiver. */
static inline void sccp_t_fix_start(struct sccp_t_fix *f, u32 isn)
{
	sccp_t_st_ctx_init(f->x, isn);
	f->x->ops = f->keys ? &sccp_t_st_key_ops : NULL;
	sccp_t_rx_reset(f->r, isn);
}

/*
 * What pdu() reported equals sccp_decode() of each uncut PDU, byte for
 * byte, but for the flag saying that the layout was a guess.
 */
static inline bool sccp_t_same_msgs(const struct sccp_t_fix *f)
{
	const struct sccp_t_st_ctx *x = f->x;
	struct sccp_msg *t = f->tmp;
	unsigned int i;

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

/* The whole stream arrived as the reference, the same PDUs reported. */
static inline bool sccp_t_fix_good(const struct sccp_t_fix *f)
{
	return !f->r->refused && !f->r->wrong && sccp_t_rx_complete(f->r) &&
	       sccp_t_same_msgs(f) &&
	       (!f->keys || (f->x->keys == f->blocks &&
			     f->x->st.stats.keys == f->blocks));
}

/* The stream fed in order, cut at @cuts (increasing). */
static inline bool sccp_t_run_cuts(struct sccp_t_fix *f, u32 isn,
				   const u32 *cuts, unsigned int ncuts)
{
	u32 from = 0, to;
	unsigned int i;

	sccp_t_fix_start(f, isn);
	for (i = 0; i <= ncuts; i++) {
		to = i < ncuts ? cuts[i] : f->v->len;
		if (to > from)
			sccp_t_send(f->x, f->r, from, to - from);
		from = to;
	}
	return sccp_t_fix_good(f);
}

static inline int sccp_t_run_ck(const struct sccp_t_fix *f, bool good,
				const char *what, char *why)
{
	return sccp_t_ck(why, good,
			 "%s: %u refused, %u bytes wrong, error %s, %u of %u PDUs",
			 what, f->r->refused, f->r->wrong,
			 sccp_strerror(f->r->err), f->x->npdu, f->pdus);
}

static inline int sccp_t_st_one_segment(void *t,
					const struct pp_kt_sccp_vec *v,
					char *why)
{
	struct sccp_t_fix f;

	if (sccp_t_fix_init(t, v, &f, why))
		return 1;
	return sccp_t_run_ck(&f, sccp_t_run_cuts(&f, 1000, NULL, 0),
			     "whole stream", why) |
	       sccp_t_ck(why, f.x->unknown == 0 &&
			 f.x->st.stats.pdus == f.pdus,
			 "%u fields not seen, %u PDUs", f.x->unknown,
			 (unsigned int)f.x->st.stats.pdus);
}

static inline int sccp_t_st_captured_segmentation(void *t,
						  const struct pp_kt_sccp_vec *v,
						  char *why)
{
	struct sccp_t_fix f;
	unsigned int i;

	if (sccp_t_fix_init(t, v, &f, why))
		return 1;
	sccp_t_st_ctx_init(f.x, 7);
	sccp_t_rx_reset(f.r, 7);
	for (i = 0; i < v->n_segs; i++)
		sccp_t_send(f.x, f.r, v->segs[i].off, v->segs[i].len);
	return sccp_t_run_ck(&f, sccp_t_fix_good(&f), "captured segmentation",
			     why);
}

/*
 * One cut at each byte position: the same bytes as the uncut stream
 * (@keys: with the key callback, every block written as the reference).
 */
static inline int sccp_t_st_every_cut(void *t, const struct pp_kt_sccp_vec *v,
				      bool keys, char *why)
{
	unsigned int bad = 0, i, orc_smt = 0;
	struct sccp_t_fix f;
	u32 k, first = 0;

	if (sccp_t_fix_init(t, v, &f, why))
		return 1;
	if (keys) {
		sccp_t_fix_keys(&f);
		/* every captured ORC and SMT carries a block */
		for (i = 0; i < v->n_pdus; i++)
			orc_smt += v->pdus[i].id == SCCP_OPEN_RECV_CHAN ||
				   v->pdus[i].id == SCCP_START_MEDIA_TX;
		if (sccp_t_ck(why, f.blocks == orc_smt,
			      "%u key blocks, %u ORC and SMT", f.blocks,
			      orc_smt))
			return 1;
		if (!orc_smt)
			return 0;	/* the phone's direction: as without */
	}
	for (k = 1; k < v->len; k++) {
		if (!sccp_t_run_cuts(&f, 0x10000 - 8 * keys, &k, 1) && !bad++) {
			first = k;
			sccp_t_run_ck(&f, false, "first bad cut", why);
		}
	}
	return sccp_t_ck(why, !bad,
			 "%u of %u cuts differ from the uncut stream, the first at byte %u",
			 bad, v->len - 1, first);
}

static inline int sccp_t_st_cut_at_every_byte(void *t,
					      const struct pp_kt_sccp_vec *v,
					      char *why)
{
	return sccp_t_st_every_cut(t, v, false, why);
}

static inline int sccp_t_st_byte_by_byte(void *t,
					 const struct pp_kt_sccp_vec *v,
					 char *why)
{
	struct sccp_t_fix f;
	u32 k, isn = 0xfffffff0;

	if (sccp_t_fix_init(t, v, &f, why))
		return 1;
	sccp_t_st_ctx_init(f.x, isn);
	sccp_t_rx_reset(f.r, isn);
	for (k = 0; k < v->len; k++)
		sccp_t_send(f.x, f.r, k, 1);
	return sccp_t_run_ck(&f, sccp_t_fix_good(&f), "one byte per segment",
			     why);
}

/* xorshift32, reproducible */
static inline u32 sccp_t_rnd(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static inline u32 sccp_t_rnd_below(u32 *s, u32 n)
{
	return n ? sccp_t_rnd(s) % n : 0;
}

static inline int sccp_t_st_random_cuts(void *t,
					const struct pp_kt_sccp_vec *v,
					char *why)
{
	unsigned int seed, n, bad = 0;
	struct sccp_t_fix f;
	u32 cuts[64], at, s;

	if (sccp_t_fix_init(t, v, &f, why))
		return 1;
	for (seed = 1; seed <= SCCP_T_CUT_RUNS; seed++) {
		s = seed * 2654435761u;
		for (n = 0, at = 0; n < ARRAY_SIZE(cuts); n++) {
			at += 1 + sccp_t_rnd_below(&s, seed % 3 ? 40 : 200);
			if (at >= v->len)
				break;
			cuts[n] = at;
		}
		if (!sccp_t_run_cuts(&f, sccp_t_rnd(&s), cuts, n) && !bad++)
			sccp_t_run_ck(&f, false, "random cuts", why);
	}
	return sccp_t_ck(why, !bad, "%u of %u runs", bad, SCCP_T_CUT_RUNS);
}

/*
 * Random cuts with retransmissions of unacknowledged ranges (sometimes
 * reaching into new data) and segments sent ahead of time (refused, sent
 * again later), the receiver acknowledging with a lag.
 */
static inline int sccp_t_st_retx(void *t, const struct pp_kt_sccp_vec *v,
				 bool keys, char *why)
{
	unsigned int seed, bad = 0, retx = 0, early = 0;
	u32 sent, acked, a, b, isn, s;
	struct sccp_t_fix f;
	struct sccp_t_rx *r;
	int verdict;

	if (sccp_t_fix_init(t, v, &f, why))
		return 1;
	if (keys)
		sccp_t_fix_keys(&f);
	r = f.r;
	for (seed = 1; seed <= SCCP_T_RETX_RUNS; seed++) {
		s = seed * 40503u + 7;
		isn = sccp_t_rnd(&s);
		sccp_t_fix_start(&f, isn);
		sent = 0;
		acked = 0;
		while (sent < v->len && !r->err) {
			b = sent + 1 + sccp_t_rnd_below(&s, 60);
			if (b > v->len)
				b = v->len;
			a = b + sccp_t_rnd_below(&s, 30);
			if (!sccp_t_rnd_below(&s, 8) && a < v->len) {
				verdict = sccp_t_send(f.x, r, a, 1 +
						      sccp_t_rnd_below(&s, v->len - a));
				if (verdict != SCCP_ST_OOO)
					r->err = r->err ? r->err : -EPROTO;
				r->refused--;
				early++;
			}
			sccp_t_send(f.x, r, sent, b - sent);
			sent = b;
			if (!sccp_t_rnd_below(&s, 3)) {
				a = acked + sccp_t_rnd_below(&s, sent - acked);
				b = a + 1 + sccp_t_rnd_below(&s, v->len - a);
				if (b > sent + 20)
					b = sent + 20;
				if (b > v->len)
					b = v->len;
				if (sccp_t_send(f.x, r, a, b - a) ==
				    SCCP_ST_FORWARD) {
					retx++;
					sent = sent > b ? sent : b;
				}
			}
			if (!sccp_t_rnd_below(&s, 2) && sent > acked) {
				acked += sccp_t_rnd_below(&s, sent - acked + 1);
				sccp_stream_ack(&f.x->st, isn + acked);
			}
		}
		if ((!sccp_t_fix_good(&f) || f.x->st.stats.stale) && !bad++)
			sccp_t_run_ck(&f, false, "retransmissions", why);
	}
	return sccp_t_ck(why, !bad && retx > SCCP_T_RETX_RUNS &&
			 early > SCCP_T_RETX_RUNS / 10,
			 "%u of %u runs, %u retransmissions, %u early segments",
			 bad, SCCP_T_RETX_RUNS, retx, early);
}

static inline int sccp_t_st_retransmissions(void *t,
					    const struct pp_kt_sccp_vec *v,
					    char *why)
{
	return sccp_t_st_retx(t, v, false, why);
}

/* ---- crafted streams -------------------------------------------------- */

/* KeepAlive, the v17 OpenReceiveChannelAck of the notes, KeepAliveAck. */
static const u8 sccp_t_orc_ack_v17[] = {
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
static const u8 sccp_t_malformed[] = {
	0x14, 0, 0, 0, 0x14, 0, 0, 0, 0x22, 0, 0, 0,
	0, 0, 0, 0,					/* status */
	0, 0, 0, 0,					/* ipAddrType */
	192, 0, 2, 58, 0x90, 0x7d, 0, 0,		/* 8 of 16 bytes */
};

/* OpenReceiveChannelAck, hv 0, v17 body of 36 (Asterisk). */
static const u8 sccp_t_v17_hv0[] = {
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
static const u8 sccp_t_old_zeros[] = {
	0x28, 0, 0, 0, 0, 0, 0, 0, 0x22, 0, 0, 0,
	0, 0, 0, 0,					/* status */
	0, 0, 0, 5,					/* address */
	0xa0, 0x0f, 0, 0,				/* port 4000 */
	0x4f, 0, 0, 0x01, 0x4a, 0x36, 0x2e, 0x01,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

struct sccp_t_bytes {
	const u8 *p;
	u32 n;
};

#define SCCP_T_BYTES(a)	{ .p = (a), .n = sizeof(a) }

static const struct sccp_t_bytes sccp_t_orca = SCCP_T_BYTES(sccp_t_orc_ack_v17);
static const struct sccp_t_bytes sccp_t_bad = SCCP_T_BYTES(sccp_t_malformed);
static const struct sccp_t_bytes sccp_t_v17hv0 = SCCP_T_BYTES(sccp_t_v17_hv0);
static const struct sccp_t_bytes sccp_t_zeros = SCCP_T_BYTES(sccp_t_old_zeros);

/* A crafted stream, its reference rewrite, a caller and a receiver. */
struct sccp_t_crafted {
	u8 in[256];
	u8 want[256];
	u32 n;
	struct sccp_t_st_ctx *x;
	struct sccp_t_rx *r;
};

static inline struct sccp_t_crafted *
sccp_t_crafted(void *t, const struct sccp_t_bytes *b, u32 isn)
{
	struct sccp_t_crafted *c = sccp_t_zalloc(t, sizeof(*c));
	struct sccp_msg *m = sccp_t_zalloc(t, sizeof(*m));

	if (!c || !m || b->n > sizeof(c->in))
		return NULL;
	c->x = sccp_t_zalloc(t, sizeof(*c->x));
	memcpy(c->in, b->p, b->n);
	c->n = b->n;
	if (!c->x || sccp_t_reference(c->in, c->n, c->want, 0, m, NULL, NULL,
				      0) != c->n)
		return NULL;
	c->r = sccp_t_rx_alloc(t, c->in, c->want, c->n);
	if (!c->r)
		return NULL;
	sccp_t_st_ctx_init(c->x, isn);
	sccp_t_rx_reset(c->r, isn);
	return c;
}

/*
 * A segment ends inside an address: the field is decided from what came
 * before it, both parts are rewritten, and so are retransmissions.
 */
static inline int sccp_t_st_straddling_field(void *t, char *why)
{
	struct sccp_t_crafted *c = sccp_t_crafted(t, &sccp_t_orca, 100);
	struct sccp_t_st_ctx *x;
	struct sccp_t_rx *r;
	int bad;

	if (sccp_t_ck(why, c, "no memory"))
		return 1;
	x = c->x;
	r = c->r;
	/* KeepAlive 12 + header 12 + status 4 + ipAddrType 4 + 2 bytes */
	sccp_t_send(x, r, 0, 34);
	bad = sccp_t_ck(why, x->rewrites == 1 && x->unknown == 1 &&
			x->npdu == 1 && !r->wrong,
			"field decided from the first part, original not all seen");
	/* the original bytes seen are kept, at their sequence numbers */
	bad |= sccp_t_ck(why, x->st.rw_n == 1 && x->st.rws[0].len == 24 &&
			 x->st.ring_len == 34 &&
			 !memcmp(x->st.ring + 100, c->in, 34),
			 "one record, the ring holds the 34 original bytes seen");
	/* the first part again */
	bad |= sccp_t_ck(why, sccp_t_send(x, r, 24, 10) == SCCP_ST_FORWARD &&
			 x->st.stats.retrans == 1,
			 "retransmitted first part rewritten the same");
	sccp_t_send(x, r, 34, c->n - 34);
	bad |= sccp_t_ck(why, !r->refused && !r->wrong &&
			 sccp_t_rx_complete(r) && x->npdu == 3 &&
			 x->msgs[1].ep[0].known &&
			 x->msgs[1].ep[0].val.port == 32144 &&
			 x->msgs[1].ep[0].val.ip[3] == 0x3a &&
			 x->msgs[1].ppid == 0x0100004f,
			 "second part rewritten, whole original reported");
	bad |= sccp_t_ck(why, x->st.ring_len == c->n &&
			 !memcmp(x->st.ring + 100, c->in, c->n),
			 "all original bytes kept");
	/* the whole stream again */
	bad |= sccp_t_ck(why, sccp_t_send(x, r, 0, c->n) == SCCP_ST_FORWARD &&
			 !r->wrong, "whole retransmission rewritten the same");
	return bad;
}

static inline int sccp_t_st_out_of_order_refused(void *t, char *why)
{
	struct sccp_t_crafted *c = sccp_t_crafted(t, &sccp_t_orca, 500);
	struct sccp_t_st_ctx *x;
	struct sccp_t_rx *r;
	u8 byte = 4;
	int bad;

	if (sccp_t_ck(why, c, "no memory"))
		return 1;
	x = c->x;
	r = c->r;
	bad = sccp_t_ck(why, sccp_t_send(x, r, 20, 10) == SCCP_ST_OOO &&
			x->st.next_seq == 500 && x->st.stats.ooo == 1 &&
			!x->rewrites, "out of order: refused, nothing examined");
	bad |= sccp_t_ck(why, sccp_stream_segment(&x->st, 500, &byte, 0,
						  &sccp_t_st_ops, x) ==
			 SCCP_ST_FORWARD, "empty segment forwarded");
	sccp_t_send(x, r, 0, 20);
	sccp_stream_ack(&x->st, 500 + 1000);	/* beyond what was seen */
	sccp_stream_ack(&x->st, 400);		/* before the start */
	bad |= sccp_t_ck(why, x->st.ack_seq == 500,
			 "bogus acknowledgments ignored");
	r->refused = 0;
	sccp_t_send(x, r, 20, c->n - 20);
	bad |= sccp_t_ck(why, !r->refused && !r->wrong && sccp_t_rx_complete(r),
			 "out of order: then in order, all fine");
	return bad;
}

static inline int sccp_t_st_uninitialised_refused(void *t, char *why)
{
	struct sccp_stream *st = sccp_t_zalloc(t, sizeof(*st));
	u8 byte = 0;

	if (sccp_t_ck(why, st, "no memory"))
		return 1;
	return sccp_t_ck(why, sccp_stream_segment(st, 0, &byte, 1,
						  &sccp_t_st_ops, NULL) ==
			 SCCP_E_STATE, "uninitialised stream not refused");
}

/*
 * Retransmissions that differ from the first copy are refused; the
 * stream goes on (the sender retransmits the right bytes).
 */
static inline int sccp_t_st_changed_retransmission_refused(void *t, char *why)
{
	struct sccp_t_crafted *c = sccp_t_crafted(t, &sccp_t_orca, 500);
	struct sccp_t_st_ctx *x;
	u8 seg[12];
	int bad;

	if (sccp_t_ck(why, c, "no memory"))
		return 1;
	x = c->x;
	sccp_t_send(x, c->r, 0, c->n);
	/* another length in the ORC-Ack's header */
	memcpy(seg, c->in + 12, 12);
	seg[0] = 0x2c;
	bad = sccp_t_ck(why, sccp_stream_segment(&x->st, 512, seg, 12,
						 &sccp_t_st_ops, x) ==
			SCCP_ST_CONFLICT && x->st.stats.conflict == 1,
			"retransmission with another header");
	memcpy(seg, c->in + 12, 12);
	bad |= sccp_t_ck(why, sccp_stream_segment(&x->st, 512, seg, 12,
						  &sccp_t_st_ops, x) ==
			 SCCP_ST_FORWARD, "the same bytes again");

	/* another original address */
	sccp_t_st_ctx_init(x, 0);
	c->r->isn = 0;
	sccp_t_send(x, c->r, 0, c->n);
	memcpy(seg, c->in + 30, 8);
	seg[2] ^= 1;
	bad |= sccp_t_ck(why, sccp_stream_segment(&x->st, 30, seg, 8,
						  &sccp_t_st_ops, x) ==
			 SCCP_ST_CONFLICT && !x->st.error,
			 "retransmission with another original address");
	return bad;
}

/* ---- One user, one device (docs/security.md) ------------------------- */

#define SCCP_T_OWN	"SEP001122334455"
#define SCCP_T_VICTIM	"SEP0003E348E321"

/* The module's SID check (sccp_conn.c), SCCP_T_OWN the user's device. */
static inline int sccp_t_sid_rewrite(void *c, const struct sccp_msg *m,
				     unsigned int i, struct sccp_addr *repl)
{
	(void)c;
	(void)i;
	(void)repl;
	return sccp_device_ok(m, SCCP_T_OWN) ? SCCP_RW_KEEP : SCCP_E_ABORT;
}

static inline int sccp_t_sid_pdu(void *c, const struct sccp_msg *m, int err)
{
	(void)c;
	return !err && sccp_device_ok(m, SCCP_T_OWN) ? 0 : SCCP_E_ABORT;
}

static const struct sccp_stream_ops sccp_t_sid_ops = {
	.rewrite = sccp_t_sid_rewrite,
	.pdu = sccp_t_sid_pdu,
};

/* A RegisterReq (body 36) or RegisterTokenReq (body 32) naming @name. */
static inline u32 sccp_t_registration(u8 *p, u32 id, const char *name)
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

struct sccp_t_sid {
	struct sccp_stream st;
	u8 own[64], victim[64], seg[128];
	u32 n;
	u8 ring[SCCP_STREAM_RING];
};

static inline struct sccp_t_sid *sccp_t_sid_alloc(void *t, u32 id, u32 isn)
{
	struct sccp_t_sid *s = sccp_t_zalloc(t, sizeof(*s));

	if (!s)
		return NULL;
	s->n = sccp_t_registration(s->own, id, SCCP_T_OWN);
	sccp_t_registration(s->victim, id, SCCP_T_VICTIM);
	sccp_stream_ring_attach(&s->st, s->ring);	/* the SYN keeps it */
	if (sccp_stream_tcp(&s->st, isn, SCCP_TCP_SYN, NULL, 0,
			    &sccp_t_sid_ops, NULL) != SCCP_ST_FORWARD ||
	    !s->st.init || s->st.next_seq != isn + 1)
		return NULL;
	return s;
}

static inline int sccp_t_sid_send(struct sccp_t_sid *s, u32 seq,
				  unsigned int flags, const u8 *p, u32 n)
{
	if (n)
		memcpy(s->seg, p, n);
	return sccp_stream_tcp(&s->st, seq, flags, p ? s->seg : NULL, n,
			       &sccp_t_sid_ops, NULL);
}

/*
 * A RegisterReq of the user's device the receiver discarded (PAWS), then
 * its retransmission naming another device: refused, whatever part of
 * it overlaps; the unchanged one passes.
 */
static inline int sccp_t_st_retransmission_with_other_device_refused(void *t,
								     char *why)
{
	const u32 isn = 0xfffffff0;	/* wraps on the way */
	struct sccp_t_sid *s = sccp_t_sid_alloc(t, SCCP_REGISTER_REQ, isn);
	int bad;

	if (sccp_t_ck(why, s, "the first SYN does not start the stream"))
		return 1;
	bad = sccp_t_ck(why, sccp_t_sid_send(s, isn + 1, 0, s->own, s->n) ==
			SCCP_ST_FORWARD, "own RegisterReq");
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, isn + 1, 0, s->victim, s->n) ==
			 SCCP_ST_CONFLICT &&
			 sccp_t_sid_send(s, isn + 1 + 12, 0, s->victim + 12,
					 8) == SCCP_ST_CONFLICT &&
			 s->st.stats.conflict == 2 && !s->st.error,
			 "retransmission with another device name, or a part of it");
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, isn + 1, 0, s->own, s->n) ==
			 SCCP_ST_FORWARD, "the unchanged retransmission");
	/* a new one naming another device aborts */
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, isn + 1 + s->n, 0, s->victim,
					      s->n) == SCCP_E_ABORT,
			 "a new RegisterReq naming another device");
	return bad;
}

/*
 * A SYN in the middle of the connection never restarts the tracking:
 * refused unless it is the first SYN again; what follows it is judged
 * against the stream already seen.
 */
static inline int sccp_t_st_second_syn_refused(void *t, char *why)
{
	const u32 isn = 7000;
	struct sccp_t_sid *s = sccp_t_sid_alloc(t, SCCP_REGISTER_REQ, isn);
	u32 resyn;
	u8 *wrap;
	int bad;

	if (sccp_t_ck(why, s, "the first SYN does not start the stream"))
		return 1;
	resyn = isn + s->n - 12;
	bad = sccp_t_ck(why, sccp_t_sid_send(s, isn + 1, 0, s->own, s->n) ==
			SCCP_ST_FORWARD, "own RegisterReq");
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, resyn, SCCP_TCP_SYN, NULL,
					      0) == SCCP_ST_CONFLICT &&
			 s->st.next_seq == isn + 1 + s->n,
			 "a SYN at another sequence number");
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, isn, SCCP_TCP_SYN, NULL, 0) ==
			 SCCP_ST_FORWARD && s->st.next_seq == isn + 1 + s->n,
			 "the first SYN retransmitted");
	/* a KeepAlive header whose body is the victim's RegisterReq */
	wrap = sccp_t_zalloc(t, 12 + s->n);
	if (sccp_t_ck(why, wrap, "no memory"))
		return 1;
	wrap[0] = (u8)(4 + s->n);
	memcpy(wrap + 12, s->victim, s->n);
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, resyn + 1, 0, wrap,
					      12 + s->n) == SCCP_ST_CONFLICT &&
			 s->st.stats.conflict == 2,
			 "bytes after it overlapping what was seen");
	/* data with a SYN, URG with or without data */
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, isn + 1 + s->n, SCCP_TCP_SYN,
					      s->own, 12) == SCCP_ST_OOO,
			 "data with a SYN");
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, isn + 1, SCCP_TCP_URG, s->own,
					      12) == SCCP_ST_CONFLICT &&
			 sccp_t_sid_send(s, isn + 1 + s->n, SCCP_TCP_URG, NULL,
					 0) == SCCP_ST_CONFLICT,
			 "URG, with data or without");
	return bad;
}

/*
 * RegisterTokenReq is a registration: SID-checked like RegisterReq. A
 * KeepAlive names no device.
 */
static inline int sccp_t_st_register_token_checked(void *t, char *why)
{
	struct sccp_t_sid *s = sccp_t_sid_alloc(t, SCCP_REGISTER_TOKEN_REQ, 1);
	u8 spcp[20] = { 4 + 8, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x80 };
	struct sccp_msg ka = { .hdr.id = SCCP_KEEPALIVE_REQ };
	int bad;

	if (sccp_t_ck(why, s, "the first SYN does not start the stream"))
		return 1;
	bad = sccp_t_ck(why, sccp_device_ok(&ka, SCCP_T_OWN),
			"a KeepAlive names a device");
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, 2, 0, s->own, 20) ==
			 SCCP_ST_FORWARD &&
			 sccp_t_sid_send(s, 22, 0, s->own + 20, s->n - 20) ==
			 SCCP_ST_FORWARD, "own RegisterTokenReq, cut after the name");
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, 2 + s->n, 0, s->victim, s->n) ==
			 SCCP_E_ABORT, "another device");

	s = sccp_t_sid_alloc(t, SCCP_REGISTER_TOKEN_REQ, 1);
	if (sccp_t_ck(why, s, "the first SYN does not start the stream"))
		return 1;
	sccp_t_registration(s->victim, SCCP_REGISTER_TOKEN_REQ,
			    "sep001122334455");
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, 2, 0, s->victim, s->n) ==
			 SCCP_ST_FORWARD, "own name in lower case");
	sccp_t_registration(s->victim, SCCP_REGISTER_TOKEN_REQ,
			    SCCP_T_OWN "0");
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, 2 + s->n, 0, s->victim, s->n) ==
			 SCCP_E_ABORT, "a 16-character name extending the user's");

	/* SPCPRegisterTokenReq: the name is not located, it never passes */
	s = sccp_t_sid_alloc(t, SCCP_REGISTER_TOKEN_REQ, 1);
	if (sccp_t_ck(why, s, "the first SYN does not start the stream"))
		return 1;
	bad |= sccp_t_ck(why, sccp_t_sid_send(s, 2, 0, spcp, sizeof(spcp)) ==
			 SCCP_E_ABORT, "SPCPRegisterTokenReq");
	return bad;
}

static inline int sccp_t_st_framing_error_kills(void *t, char *why)
{
	struct sccp_t_st_ctx *x = sccp_t_zalloc(t, sizeof(*x));
	u8 seg[12] = { 2 };
	int bad;

	if (sccp_t_ck(why, x, "no memory"))
		return 1;
	sccp_t_st_ctx_init(x, 0);
	bad = sccp_t_ck(why, sccp_stream_segment(&x->st, 0, seg, 12,
						 &sccp_t_st_ops, x) ==
			SCCP_E_LENGTH &&
			sccp_stream_segment(&x->st, 12, seg, 12,
					    &sccp_t_st_ops, x) == SCCP_E_LENGTH,
			"length 2 does not kill the stream");

	/* header version 0x100, its header split over two segments */
	sccp_t_st_ctx_init(x, 0);
	memset(seg, 0, sizeof(seg));
	seg[0] = 4;
	seg[5] = 1;
	bad |= sccp_t_ck(why, sccp_stream_segment(&x->st, 0, seg, 8,
						  &sccp_t_st_ops, x) ==
			 SCCP_ST_FORWARD &&
			 sccp_stream_segment(&x->st, 8, seg + 8, 4,
					     &sccp_t_st_ops, x) ==
			 SCCP_E_VERSION,
			 "header version 0x100 across segments");
	return bad;
}

/* ---- the caller's verdicts ---------------------------------------------- */

enum { SCCP_T_OPS_BOTH, SCCP_T_OPS_NO_REWRITE, SCCP_T_OPS_NO_PDU };

struct sccp_t_verdict_case {
	const char *desc;
	const struct sccp_t_bytes *b;
	u8 ops;			/* SCCP_T_OPS_* */
	int rw_verdict;
	int pdu_verdict;
	int want;		/* sccp_stream_segment() of the whole */
	bool unchanged;		/* the bytes pass as they are */
	unsigned int rewrites;	/* records */
	unsigned int malformed;
};

#define ORCA	(&sccp_t_orca)
#define BAD	(&sccp_t_bad)

static const struct sccp_t_verdict_case sccp_t_verdict_cases[] = {
	{ "keep: the field passes as it is", ORCA,
	  SCCP_T_OPS_BOTH, SCCP_RW_KEEP, 0, SCCP_ST_FORWARD, true, 0 },
	{ "rewrite: the field is replaced", ORCA,
	  SCCP_T_OPS_BOTH, SCCP_RW_REWRITE, 0, SCCP_ST_FORWARD, false, 1 },
	{ "rewrite refusing: the stream aborts", ORCA,
	  SCCP_T_OPS_BOTH, -1, 0, SCCP_E_ABORT },
	{ "an unknown verdict: the stream aborts", ORCA,
	  SCCP_T_OPS_BOTH, 7, 0, SCCP_E_ABORT },
	{ "no rewrite callback: a PDU with an address aborts",
	  ORCA, SCCP_T_OPS_NO_REWRITE, 0, 0, SCCP_E_ABORT },
	{ "no pdu callback: a PDU without fault passes", ORCA,
	  SCCP_T_OPS_NO_PDU, SCCP_RW_REWRITE, 0, SCCP_ST_FORWARD, false, 1 },
	{ "malformed, caller refuses: abort", BAD, SCCP_T_OPS_BOTH,
	  SCCP_RW_REWRITE, -1, SCCP_E_ABORT, false, 0, 1 },
	/* ipAddrType 0 written again: the bytes do not change */
	{ "malformed, caller passes it: the whole ipAddrType rewritten",
	  BAD, SCCP_T_OPS_BOTH, SCCP_RW_REWRITE, 0,
	  SCCP_ST_FORWARD, true, 1, 1 },
	{ "malformed without a pdu callback: abort", BAD,
	  SCCP_T_OPS_NO_PDU, SCCP_RW_REWRITE, 0, SCCP_E_ABORT, false, 0, 1 },
};

static inline int sccp_t_st_verdicts(void *t,
				     const struct sccp_t_verdict_case *c,
				     char *why)
{
	static const struct sccp_stream_ops no_rw = { .pdu = sccp_t_st_pdu };
	static const struct sccp_stream_ops no_pdu = {
		.rewrite = sccp_t_st_rewrite,
	};
	const struct sccp_stream_ops *ops = &sccp_t_st_ops;
	struct sccp_t_st_ctx *x = sccp_t_zalloc(t, sizeof(*x));
	u32 n = c->b->n;
	u8 *seg = sccp_t_zalloc(t, n);
	int bad, v;

	if (sccp_t_ck(why, x && seg, "no memory"))
		return 1;
	if (c->ops == SCCP_T_OPS_NO_REWRITE)
		ops = &no_rw;
	else if (c->ops == SCCP_T_OPS_NO_PDU)
		ops = &no_pdu;
	memcpy(seg, c->b->p, n);
	sccp_t_st_ctx_init(x, 0);
	x->rw_verdict = c->rw_verdict;
	x->pdu_verdict = c->pdu_verdict;
	v = sccp_stream_segment(&x->st, 0, seg, n, ops, x);
	bad = sccp_t_ck(why, v == c->want, "verdict %d", v);
	if (c->want == SCCP_ST_FORWARD)
		bad |= sccp_t_ck(why, !memcmp(seg, c->b->p, n) == c->unchanged,
				 "the bytes %s", c->unchanged ? "changed" :
				 "did not change");
	bad |= sccp_t_ck(why, x->st.rw_n == c->rewrites &&
			 x->st.stats.malformed == c->malformed,
			 "%u records, %u malformed", x->st.rw_n,
			 (unsigned int)x->st.stats.malformed);
	/* reported once, with its header, before its body passed */
	if (c->malformed && ops->pdu)
		bad |= sccp_t_ck(why, x->nbad == 1 &&
				 x->last_err == SCCP_E_TRUNCATED &&
				 x->bad_at_next_seq == 0,
				 "reported %u times, %s, at %u", x->nbad,
				 sccp_strerror(x->last_err), x->bad_at_next_seq);
	if (c->malformed && c->rewrites)
		bad |= sccp_t_ck(why, x->st.rws[0].len == 4, "record of %u",
				 x->st.rws[0].len);
	if (c->want < 0)
		bad |= sccp_t_ck(why, sccp_stream_segment(&x->st, n, seg, 1, ops,
							  x) == c->want,
				 "the stream goes on");
	return bad;
}

/* The malformed PDU is refused from its header on: nothing of it leaves. */
static inline int sccp_t_st_malformed_reported_before_body(void *t, char *why)
{
	struct sccp_t_st_ctx *x = sccp_t_zalloc(t, sizeof(*x));
	u8 seg[32];

	if (sccp_t_ck(why, x, "no memory"))
		return 1;
	memcpy(seg, sccp_t_malformed, sizeof(sccp_t_malformed));
	sccp_t_st_ctx_init(x, 0);
	x->pdu_verdict = -1;
	return sccp_t_ck(why, sccp_stream_segment(&x->st, 0, seg, 12,
						  &sccp_t_st_ops, x) ==
			 SCCP_E_ABORT && x->nbad == 1 && !x->rewrites,
			 "reported %u times, %u rewrites", x->nbad,
			 x->rewrites);
}

/* ---- the layout rule under segmentation --------------------------------- */

struct sccp_t_seglayout_case {
	const char *desc;
	const struct sccp_t_bytes *b;	/* an OpenReceiveChannelAck */
	u32 cut;		/* first segment; 0: one segment */
	u8 hint;
	u8 layout;		/* frozen after the first segment */
	bool tentative;		/* ... as a guess */
	int err;		/* the first error, 0 if none */
};

#define V17HV0	(&sccp_t_v17hv0)
#define ZEROS	(&sccp_t_zeros)

static const struct sccp_t_seglayout_case sccp_t_seglayout_cases[] = {
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

static inline int
sccp_t_st_layout_under_segmentation(void *t,
				    const struct sccp_t_seglayout_case *c,
				    char *why)
{
	struct sccp_t_crafted *k = sccp_t_crafted(t, c->b, 0);
	struct sccp_t_st_ctx *x;
	struct sccp_t_rx *r;
	u32 cut;
	int bad;

	if (sccp_t_ck(why, k, "no memory"))
		return 1;
	x = k->x;
	r = k->r;
	cut = c->cut ? c->cut : k->n;
	sccp_stream_set_hint(&x->st, c->hint);
	sccp_t_send(x, r, 0, cut);
	bad = sccp_t_ck(why, x->st.layout == c->layout &&
			(!c->cut || x->st.tentative == c->tentative),
			"layout %u%s after the first segment", x->st.layout,
			x->st.tentative ? " (tentative)" : "");
	if (cut < k->n)
		sccp_t_send(x, r, cut, k->n - cut);
	bad |= sccp_t_ck(why, r->err == c->err, "error %s",
			 sccp_strerror(r->err));
	/* as the reference, which decides on the whole PDU */
	if (!c->err)
		bad |= sccp_t_ck(why, !r->refused && !r->wrong &&
				 sccp_t_rx_complete(r) && !x->st.tentative &&
				 x->npdu == 1 &&
				 (c->cut || x->msgs[0].layout == c->layout),
				 "%u refused, %u bytes wrong, %u PDUs",
				 r->refused, r->wrong, x->npdu);
	else
		bad |= sccp_t_ck(why, r->refused == 1, "%u refused",
				 r->refused);
	return bad;
}

/* ---- history -------------------------------------------------------------- */

#define SCCP_T_HIST_PDUS	400	/* headers alone: beyond the byte ring */

/* 400 v17 OpenReceiveChannelAcks (48 bytes) or 400 KeepAlives (12). */
static inline struct sccp_t_crafted *sccp_t_history(void *t, bool fields)
{
	struct sccp_t_crafted *one = sccp_t_crafted(t, &sccp_t_orca, 0);
	u32 unit = fields ? 48 : 12, i, n = SCCP_T_HIST_PDUS * unit, pdus;
	struct sccp_msg *m = sccp_t_zalloc(t, sizeof(*m));
	u8 *in = sccp_t_zalloc(t, n), *want = sccp_t_zalloc(t, n);

	if (!one || !m || !in || !want)
		return NULL;
	for (i = 0; i < SCCP_T_HIST_PDUS; i++)
		memcpy(in + i * unit, one->in + (fields ? 12 : 0), unit);
	if (sccp_t_reference(in, n, want, 0, m, &pdus, NULL, 0) != n ||
	    pdus != SCCP_T_HIST_PDUS)
		return NULL;
	one->r = sccp_t_rx_alloc(t, in, want, n);
	if (!one->r)
		return NULL;
	one->n = n;
	sccp_t_st_ctx_init(one->x, 0);
	sccp_t_rx_reset(one->r, 0);
	return one;
}

static inline int sccp_t_st_history_evicted_refused(void *t, char *why)
{
	struct sccp_t_crafted *c = sccp_t_history(t, true);
	struct sccp_t_st_ctx *x;
	struct sccp_t_rx *r;
	const u32 unit = 48;
	int bad;
	u32 i;

	if (sccp_t_ck(why, c, "no memory"))
		return 1;
	x = c->x;
	r = c->r;
	for (i = 0; i < SCCP_T_HIST_PDUS; i++)
		sccp_t_send(x, r, i * unit, unit);
	bad = sccp_t_ck(why, !r->refused && !r->wrong &&
			x->st.stats.evicted > 0 &&
			x->st.ring_len == SCCP_STREAM_RING &&
			x->st.rw_n == SCCP_STREAM_RWS,
			"rings full: %u refused, %u wrong, %u evicted",
			r->refused, r->wrong,
			(unsigned int)x->st.stats.evicted);
	/* a field record of these bytes is gone */
	bad |= sccp_t_ck(why, sccp_t_send(x, r, 0, unit) == SCCP_ST_STALE &&
			 x->st.stats.stale == 1,
			 "bytes whose field record was evicted");
	/* the last SCCP_STREAM_RWS PDUs are still rewritten */
	bad |= sccp_t_ck(why, sccp_t_send(x, r, c->n - SCCP_STREAM_RWS * unit,
					  SCCP_STREAM_RWS * unit) ==
			 SCCP_ST_FORWARD && !r->wrong,
			 "the last %d PDUs", SCCP_STREAM_RWS);
	/* acknowledged, yet refused: a field there cannot be rewritten */
	sccp_stream_ack(&x->st, c->n - unit);
	bad |= sccp_t_ck(why, sccp_t_send(x, r, 0, unit) == SCCP_ST_STALE,
			 "acknowledged, yet refused");
	return bad;
}

static inline int sccp_t_st_history_acknowledged_as_it_goes(void *t,
							    char *why)
{
	struct sccp_t_crafted *c = sccp_t_history(t, true);
	struct sccp_t_st_ctx *x;
	struct sccp_t_rx *r;
	const u32 unit = 48;
	u32 i, from;

	if (sccp_t_ck(why, c, "no memory"))
		return 1;
	x = c->x;
	r = c->r;
	for (i = 0; i < SCCP_T_HIST_PDUS; i++) {
		sccp_t_send(x, r, i * unit, unit);
		from = i >= 3 ? (i - 3) * unit : 0;
		if (i >= 3)
			sccp_stream_ack(&x->st, from);
		if (sccp_t_send(x, r, from, (i + 1) * unit - from) !=
		    SCCP_ST_FORWARD)
			break;
	}
	return sccp_t_ck(why, i == SCCP_T_HIST_PDUS && !r->refused &&
			 !r->wrong && !x->st.stats.evicted,
			 "stopped at %u: %u refused, %u wrong, %u evicted", i,
			 r->refused, r->wrong,
			 (unsigned int)x->st.stats.evicted);
}

/*
 * One segment holding more fields than the record ring: every one of
 * them is rewritten, also those whose records leave before the segment
 * does; a retransmission of it is refused (its first records are gone).
 */
static inline int sccp_t_st_history_one_segment(void *t, char *why)
{
	struct sccp_t_crafted *c = sccp_t_history(t, true);
	struct sccp_t_st_ctx *x;
	struct sccp_t_rx *r;
	int bad, v;

	if (sccp_t_ck(why, c, "no memory"))
		return 1;
	x = c->x;
	r = c->r;
	v = sccp_t_send(x, r, 0, c->n);
	bad = sccp_t_ck(why, v == SCCP_ST_FORWARD && !r->wrong &&
			sccp_t_rx_complete(r) &&
			x->rewrites == SCCP_T_HIST_PDUS,
			"%s: %u of %u bytes wrong, %u fields", sccp_strerror(v),
			r->wrong, c->n, x->rewrites);
	bad |= sccp_t_ck(why, sccp_t_send(x, r, 0, c->n) == SCCP_ST_STALE,
			 "retransmitted without its first records");
	return bad;
}

static inline int sccp_t_st_history_headers_only(void *t, char *why)
{
	struct sccp_t_crafted *c = sccp_t_history(t, false);
	struct sccp_t_st_ctx *x;
	struct sccp_t_rx *r;
	int bad;
	u32 i;

	if (sccp_t_ck(why, c, "no memory"))
		return 1;
	x = c->x;
	r = c->r;
	for (i = 0; i < SCCP_T_HIST_PDUS; i++)
		sccp_t_send(x, r, i * 12, 12);
	bad = sccp_t_ck(why, !r->refused, "%u refused", r->refused);
	bad |= sccp_t_ck(why, sccp_t_send(x, r, 0, 24) == SCCP_ST_STALE,
			 "unacknowledged, no longer kept");
	sccp_stream_ack(&x->st, 24);
	bad |= sccp_t_ck(why, sccp_t_send(x, r, 0, 24) == SCCP_ST_FORWARD &&
			 !r->wrong, "acknowledged: passes");
	bad |= sccp_t_ck(why, sccp_t_send(x, r, 12, 24) == SCCP_ST_STALE,
			 "reaching unacknowledged bytes no longer kept");
	bad |= sccp_t_ck(why, sccp_t_send(x, r, c->n - SCCP_STREAM_RING, 24) ==
			 SCCP_ST_FORWARD && !r->wrong,
			 "unacknowledged bytes still kept");
	return bad;
}

/* ---- the byte ring, taken and given back (sccp_stream_ops.ring) ----------- */

/* A pool of one ring, x->ring, as the module's (kmod/sccp_conn.c). */
static inline u8 *sccp_t_st_ring(void *c)
{
	struct sccp_t_st_ctx *x = c;

	if (x->ring_none)
		return NULL;
	x->ring_takes++;
	return x->ring;
}

static const struct sccp_stream_ops sccp_t_st_pool_ops = {
	.rewrite = sccp_t_st_rewrite,
	.pdu = sccp_t_st_pdu,
	.ring = sccp_t_st_ring,
};

static inline bool sccp_t_zero(const u8 *p, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * A direction holds a ring only while it has bytes the receiver has not
 * acknowledged: taken for new bytes, refused (SCCP_ST_NOBUF, nothing
 * changed) when there is none, given back (wiped) once all is
 * acknowledged; after that, acknowledged bytes pass rewritten from the
 * records, unacknowledged ones of a ring taken away are refused.
 */
static inline int sccp_t_st_ring_on_demand(void *t, char *why)
{
	struct sccp_t_crafted *c = sccp_t_history(t, true);
	struct sccp_t_st_ctx *x;
	struct sccp_t_rx *r;
	const u32 unit = 48;
	u8 *seg;
	int bad, v;

	if (sccp_t_ck(why, c, "no memory"))
		return 1;
	x = c->x;
	r = c->r;
	x->ops = &sccp_t_st_pool_ops;
	bad = sccp_t_ck(why, sccp_stream_ring_detach(&x->st) == x->ring &&
			!x->st.ring && !sccp_stream_ring_detach(&x->st),
			"a ring attached before the first byte given back");

	/* no ring to be had: refused, nothing changed */
	x->ring_none = true;
	v = sccp_t_send(x, r, 0, unit);
	bad |= sccp_t_ck(why, v == SCCP_ST_NOBUF && x->st.stats.nobuf == 1 &&
			 x->st.next_seq == 0 && !x->st.rw_n && !x->rewrites &&
			 !x->npdu && !x->st.stats.pdus && !x->st.ring,
			 "no ring: %d, next_seq %u, %u records", v,
			 x->st.next_seq, x->st.rw_n);
	/* its next copy is a first one */
	x->ring_none = false;
	v = sccp_t_send(x, r, 0, unit);
	bad |= sccp_t_ck(why, v == SCCP_ST_FORWARD && !r->wrong &&
			 x->ring_takes == 1 && x->st.ring == x->ring &&
			 x->rewrites == 1 && x->npdu == 1,
			 "taken for the first new bytes: %d", v);
	/* partly acknowledged: kept, compared */
	sccp_stream_ack(&x->st, 24);
	bad |= sccp_t_ck(why, !sccp_stream_ring_idle(&x->st),
			 "half acknowledged: not idle");
	seg = sccp_t_exact(r->in, unit);
	if (seg) {
		seg[30] ^= 1;
		bad |= sccp_t_ck(why, sccp_stream_segment(&x->st, 0, seg, unit,
							  x->ops, x) ==
				 SCCP_ST_CONFLICT,
				 "changed unacknowledged byte refused");
		sccp_t_free(seg);
	}
	/* all acknowledged: given back, wiped */
	sccp_stream_ack(&x->st, unit);
	bad |= sccp_t_ck(why, sccp_stream_ring_idle(&x->st) &&
			 sccp_stream_ring_detach(&x->st) == x->ring &&
			 !x->st.ring && !x->st.ring_len &&
			 sccp_t_zero(x->ring, SCCP_STREAM_RING) &&
			 !sccp_stream_ring_idle(&x->st),
			 "acknowledged: given back, its bytes wiped");
	/* an acknowledged retransmission needs none, rewritten the same */
	x->ring_none = true;
	v = sccp_t_send(x, r, 0, unit);
	bad |= sccp_t_ck(why, v == SCCP_ST_FORWARD && !r->wrong &&
			 !x->st.ring && x->ring_takes == 1,
			 "acknowledged retransmission without a ring: %d", v);
	/* new bytes again: refused until a ring comes */
	v = sccp_t_send(x, r, unit, unit);
	bad |= sccp_t_ck(why, v == SCCP_ST_NOBUF && x->st.next_seq == unit &&
			 x->st.stats.nobuf == 2,
			 "new bytes without a ring: %d", v);
	v = sccp_t_send(x, r, 0, 2 * unit);
	bad |= sccp_t_ck(why, v == SCCP_ST_NOBUF, "old and new: %d", v);
	x->ring_none = false;
	v = sccp_t_send(x, r, 0, 2 * unit);
	bad |= sccp_t_ck(why, v == SCCP_ST_FORWARD && !r->wrong &&
			 x->ring_takes == 2 && x->rewrites == 2,
			 "old and new with a ring: %d", v);
	/* taken away unacknowledged: those bytes refused, not passed */
	bad |= sccp_t_ck(why, sccp_stream_ring_detach(&x->st) == x->ring,
			 "taken away");
	v = sccp_t_send(x, r, unit, unit);
	bad |= sccp_t_ck(why, v == SCCP_ST_STALE,
			 "unacknowledged bytes of a ring taken away: %d", v);
	v = sccp_t_send(x, r, 2 * unit, unit);
	bad |= sccp_t_ck(why, v == SCCP_ST_FORWARD && !r->wrong &&
			 x->ring_takes == 3,
			 "the next new bytes take one again: %d", v);
	/* the acknowledgment of a FIN after them acknowledges them all */
	sccp_stream_ack(&x->st, 3 * unit + 2);
	bad |= sccp_t_ck(why, !sccp_stream_ring_idle(&x->st),
			 "two beyond the bytes seen: ignored");
	sccp_stream_ack(&x->st, 3 * unit + 1);
	bad |= sccp_t_ck(why, sccp_stream_ring_idle(&x->st) &&
			 x->st.ack_seq == 3 * unit,
			 "the FIN's acknowledgment (one beyond) acknowledges all");
	return bad;
}

/* ---- media key blocks (sccp_stream_ops.key) -------------------------------- */

/*
 * The captured streams cut at every byte with the key callback: each
 * ORC and SMT block (8 whole, 2 short) carries its PDU's key, the rest
 * as the reference, whatever the cut.
 */
static inline int sccp_t_st_keys_cut_at_every_byte(void *t,
						   const struct pp_kt_sccp_vec *v,
						   char *why)
{
	return sccp_t_st_every_cut(t, v, true, why);
}

/* The same with retransmissions and early segments. */
static inline int sccp_t_st_keys_retransmissions(void *t,
						 const struct pp_kt_sccp_vec *v,
						 char *why)
{
	return sccp_t_st_retx(t, v, true, why);
}

/* A KeepAlive, the PDU @c (body @body), a KeepAliveAck: its stream. */
struct sccp_t_keystream {
	u8 *in;
	u8 *want;		/* addresses rewritten, the key written */
	u8 *plain;		/* addresses rewritten, the block as it was */
	u8 *seg;
	u32 n;
	u32 blk;		/* stream offset of the block, 0 if absent */
	int blk_len;		/* sccp_key_block() of the PDU */
	struct sccp_t_st_ctx *x;
	struct sccp_t_rx *r;
};

static inline struct sccp_t_keystream *
sccp_t_keystream(void *t, const struct sccp_t_key_msg *c, u32 body)
{
	struct sccp_t_keystream *ks = sccp_t_zalloc(t, sizeof(*ks));
	struct sccp_msg *m = sccp_t_zalloc(t, sizeof(*m));
	u32 size = SCCP_HDR_LEN + body, o = 0;

	if (!ks || !m)
		return NULL;
	ks->n = SCCP_HDR_LEN + size + SCCP_HDR_LEN;
	ks->in = sccp_t_zalloc(t, ks->n);
	ks->want = sccp_t_zalloc(t, ks->n);
	ks->plain = sccp_t_zalloc(t, ks->n);
	ks->seg = sccp_t_zalloc(t, ks->n);
	ks->x = sccp_t_zalloc(t, sizeof(*ks->x));
	if (!ks->in || !ks->want || !ks->plain || !ks->seg || !ks->x)
		return NULL;
	ks->in[0] = 4;
	sccp_t_key_pdu(ks->in + SCCP_HDR_LEN, size, c);
	ks->in[SCCP_HDR_LEN + size] = 4;
	ks->in[SCCP_HDR_LEN + size + 9] = 0x01;		/* KeepAliveAck */
	if (sccp_t_reference(ks->in, ks->n, ks->plain, 0, m, NULL, NULL, 0) !=
	    ks->n)
		return NULL;
	memcpy(ks->want, ks->plain, ks->n);
	sccp_t_key_reference(ks->in, ks->n, ks->want, 0);
	ks->blk_len = sccp_key_block(ks->in + SCCP_HDR_LEN, size, 0, &o);
	ks->blk = ks->blk_len > 0 ? SCCP_HDR_LEN + o : 0;
	ks->r = sccp_t_rx_alloc(t, ks->in, ks->want, ks->n);
	return ks->r ? ks : NULL;
}

/* A run of @ks starts: the stream at @isn, key() answering @verdict. */
static inline void sccp_t_keystream_start(struct sccp_t_keystream *ks,
					  u32 isn, int verdict)
{
	sccp_t_st_ctx_init(ks->x, isn);
	ks->x->ops = &sccp_t_st_key_ops;
	ks->x->key_verdict = verdict;
	sccp_t_rx_reset(ks->r, isn);
	ks->r->want = ks->want;
}

/*
 * Two segments cut at @cut, both sent again, then the whole stream
 * again with one byte of the block changed: the block carries the key
 * of key(), called once, when the segment holding its first byte came,
 * with everything before the block known; the retransmissions come out
 * the same; the changed one is refused.
 */
static inline int sccp_t_keystream_cut(struct sccp_t_keystream *ks,
				       const struct sccp_t_key_msg *c,
				       u32 cut, char *why)
{
	const u32 fields = SCCP_F_CONF | SCCP_F_PPID | SCCP_F_PKT_MS |
			   SCCP_F_CODEC | SCCP_F_CALLREF;
	struct sccp_t_st_ctx *x = ks->x;
	struct sccp_t_rx *r = ks->r;
	const u32 isn = 0xffffffe0;	/* the block across the wrap */
	int bad, v;

	sccp_t_keystream_start(ks, isn, SCCP_RW_REWRITE);
	sccp_t_send(x, r, 0, cut);
	sccp_t_send(x, r, cut, ks->n - cut);
	bad = sccp_t_ck(why, !r->refused && !r->wrong && sccp_t_rx_complete(r),
			"%u refused, %u bytes wrong, error %s", r->refused,
			r->wrong, sccp_strerror(r->err));
	bad |= sccp_t_ck(why, x->keys == 1 && x->key_blk == c->blk_len &&
			 x->st.stats.keys == 1,
			 "key() called %u times, block %d", x->keys, x->key_blk);
	bad |= sccp_t_ck(why, x->key_next_seq == isn + (ks->blk < cut ? 0 : cut) &&
			 x->key_have > ks->blk - SCCP_HDR_LEN,
			 "key() at %u (PDU byte %u), the block at %u",
			 x->key_next_seq - isn, x->key_have, ks->blk);
	bad |= sccp_t_ck(why, (x->key_fields & fields) == fields &&
			 x->key_ppid == sccp_get_le32(ks->in + 28) &&
			 x->key_ep_known,
			 "before the block: fields %#x, ppid %#x, endpoints %s",
			 x->key_fields, x->key_ppid,
			 x->key_ep_known ? "known" : "not known");
	bad |= sccp_t_ck(why, sccp_t_send(x, r, 0, cut) == SCCP_ST_FORWARD &&
			 sccp_t_send(x, r, cut, ks->n - cut) ==
			 SCCP_ST_FORWARD && !r->wrong && x->keys == 1,
			 "retransmitted: %u bytes wrong, %u key() calls",
			 r->wrong, x->keys);
	memcpy(ks->seg, ks->in, ks->n);
	ks->seg[ks->blk + cut % c->blk_len] ^= 0x10;
	v = sccp_stream_segment(&x->st, isn, ks->seg, ks->n, x->ops, x);
	bad |= sccp_t_ck(why, v == SCCP_ST_CONFLICT && !x->st.error,
			 "a retransmission with another block byte %u: %d",
			 cut % c->blk_len, v);
	return bad;
}

/*
 * ORC and SMT in every layout and length (the parser's key messages):
 * the block cut at every byte between two segments.
 */
static inline int sccp_t_st_key_every_cut(void *t,
					  const struct sccp_t_key_msg *c,
					  char *why)
{
	struct sccp_t_keystream *ks = sccp_t_keystream(t, c, c->body);
	unsigned int bad = 0;
	char first[SCCP_T_WHY];
	u32 cut;

	if (sccp_t_ck(why, ks, "no memory"))
		return 1;
	if (sccp_t_ck(why, ks->blk_len == c->blk_len &&
		      ks->blk + 8 == 2 * SCCP_HDR_LEN + c->key_at,
		      "block %d at %u", ks->blk_len, ks->blk))
		return 1;
	for (cut = 1; cut < ks->n; cut++) {
		first[0] = '\0';
		if (sccp_t_keystream_cut(ks, c, cut, first) && !bad++)
			sccp_t_ck(why, false, "cut at %u: %.120s", cut, first);
	}
	return sccp_t_ck(why, !bad, "%u of %u cuts", bad, ks->n - 1);
}

/* Bodies ending before the salt does. */
static const struct sccp_t_key_msg sccp_t_key_absent[] = {
	{ "ORC body 67: the salt's last byte missing", SCCP_OPEN_RECV_CHAN, 0,
	  67 },
	{ "ORC body 40 (hv 0x14): the key cut", SCCP_OPEN_RECV_CHAN, 0x14, 40 },
	{ "ORC body 28: no block at all", SCCP_OPEN_RECV_CHAN, 0, 28 },
	{ "SMT old body 83: the salt's last byte missing", SCCP_START_MEDIA_TX,
	  0, 83 },
	{ "SMT v17 body 99 (hv 0x14)", SCCP_START_MEDIA_TX, 0x14, 99 },
	{ "SMT v17 body 64 (hv 0x11): the block's first bytes",
	  SCCP_START_MEDIA_TX, 0x11, 64 },
};

/*
 * SCCP_E_KEY_ABSENT, reported with the PDU's header, before a byte of
 * its body leaves, whatever the cut: SCCP_RW_KEEP lets it pass with no
 * key written; SCCP_RW_REWRITE or a refusal aborts the stream before
 * any body byte left.
 */
static inline int sccp_t_st_key_absent(void *t, const struct sccp_t_key_msg *c,
				       char *why)
{
	static const int verdicts[] = { SCCP_RW_KEEP, SCCP_RW_REWRITE, -1 };
	struct sccp_t_keystream *ks = sccp_t_keystream(t, c, c->body);
	const u32 body_at = 2 * SCCP_HDR_LEN;
	struct sccp_t_st_ctx *x;
	struct sccp_t_rx *r;
	unsigned int i, bad = 0;
	u32 cut, j;

	if (sccp_t_ck(why, ks, "no memory") ||
	    sccp_t_ck(why, ks->blk_len == SCCP_E_KEY_ABSENT, "block %d",
		      ks->blk_len))
		return 1;
	x = ks->x;
	r = ks->r;
	for (i = 0; i < ARRAY_SIZE(verdicts) && !bad; i++) {
		for (cut = 1; cut <= ks->n && !bad; cut++) {
			sccp_t_keystream_start(ks, 77, verdicts[i]);
			r->want = ks->plain;
			sccp_t_send(x, r, 0, cut);
			if (cut < ks->n)
				sccp_t_send(x, r, cut, ks->n - cut);
			bad = sccp_t_ck(why, x->keys == 1 &&
					x->key_blk == SCCP_E_KEY_ABSENT &&
					x->key_have == SCCP_HDR_LEN &&
					!(x->key_fields & SCCP_F_PPID) &&
					!x->st.stats.keys,
					"verdict %d, cut %u: %u calls, block %d, at PDU byte %u",
					verdicts[i], cut, x->keys, x->key_blk,
					x->key_have);
			if (verdicts[i] == SCCP_RW_KEEP) {
				bad |= sccp_t_ck(why, !r->refused && !r->wrong &&
						 sccp_t_rx_complete(r),
						 "kept, cut %u: %u refused, %u wrong",
						 cut, r->refused, r->wrong);
				continue;
			}
			for (j = body_at; j < ks->n; j++)
				if (r->got[j])
					break;
			bad |= sccp_t_ck(why, r->err == SCCP_E_ABORT &&
					 j == ks->n && !r->wrong,
					 "verdict %d, cut %u: %s, body byte %u left",
					 verdicts[i], cut, sccp_strerror(r->err),
					 j);
		}
	}
	return bad;
}

/*
 * The caller's answers on a block that is there: SCCP_RW_KEEP, no key
 * callback (the block passes as it was, the addresses rewritten); a
 * refusal, an unknown answer (SCCP_E_ABORT), a key sccp_key_check()
 * refuses (its reason): the stream dies before the block leaves.
 */
static inline int sccp_t_st_key_verdicts(void *t,
					 const struct sccp_t_key_msg *c,
					 char *why)
{
	static const struct {
		int verdict;
		bool key_bad;
		bool no_key_cb;
		int want;
	} vs[] = {
		{ SCCP_RW_KEEP, false, false, SCCP_ST_FORWARD },
		{ SCCP_RW_REWRITE, false, true, SCCP_ST_FORWARD },
		{ -1, false, false, SCCP_E_ABORT },
		{ 7, false, false, SCCP_E_ABORT },
		{ SCCP_RW_REWRITE, true, false, SCCP_E_KEY_SALT },
	};
	struct sccp_t_keystream *ks = sccp_t_keystream(t, c, c->body);
	struct sccp_t_st_ctx *x;
	unsigned int j;
	int bad = 0, v;

	if (sccp_t_ck(why, ks, "no memory"))
		return 1;
	x = ks->x;
	for (j = 0; j < ARRAY_SIZE(vs) && !bad; j++) {
		sccp_t_keystream_start(ks, 5, vs[j].verdict);
		x->key_bad = vs[j].key_bad;
		if (vs[j].no_key_cb)
			x->ops = &sccp_t_st_ops;
		ks->r->want = ks->plain;
		/* the block's first byte in the second segment */
		sccp_t_send(x, ks->r, 0, ks->blk);
		v = sccp_t_send(x, ks->r, ks->blk, ks->n - ks->blk);
		bad = sccp_t_ck(why, v == vs[j].want &&
				x->keys == !vs[j].no_key_cb &&
				!x->st.stats.keys && !ks->r->wrong,
				"answer %d%s%s: %s, %u calls", vs[j].verdict,
				vs[j].key_bad ? " (bad key)" : "",
				vs[j].no_key_cb ? " (no callback)" : "",
				sccp_strerror(v), x->keys);
		if (v == SCCP_ST_FORWARD)
			bad |= sccp_t_ck(why, sccp_t_rx_complete(ks->r),
					 "answer %d: the block changed",
					 vs[j].verdict);
		else
			bad |= sccp_t_ck(why, x->st.error == v &&
					 sccp_t_send(x, ks->r, 0, 1) == v,
					 "answer %d: the stream goes on",
					 vs[j].verdict);
	}
	return bad;
}

/*
 * What start_pdu() relies on: whether the block is there, and its
 * length, follow from the header alone. Where the content chooses the
 * layout (SMT, header version below 0x11, body of 132 or more), both
 * layouts give the same answer. And a record holds any field.
 */
static inline int sccp_t_st_key_from_header(void *t, char *why)
{
	static const u32 ids[] = { SCCP_OPEN_RECV_CHAN, SCCP_START_MEDIA_TX };
	static const u32 hvs[] = { 0, 0x10, 0x11, 0x15 };
	u8 hdr[SCCP_HDR_LEN] = {};
	struct sccp_msg *m = sccp_t_zalloc(t, sizeof(*m));
	struct sccp_rw_rec x;
	unsigned int i, j;
	u32 body, o;
	int bad = 0, n, nold, nv17;

	if (sccp_t_ck(why, m, "no memory"))
		return 1;
	/* and a record holds an endpoint and a key block */
	if (sccp_t_ck(why, sizeof(x.repl) >= SCCP_EP_MAX_LEN &&
		      sizeof(x.repl) >= SCCP_KEY_BLOCK_LEN,
		      "records of %zu bytes", sizeof(x.repl)))
		return 1;
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		for (j = 0; j < ARRAY_SIZE(hvs); j++)
			for (body = 0; body <= 400 && !bad; body++) {
				sccp_put_le32(hdr, body + 4);
				sccp_put_le32(hdr + 4, hvs[j]);
				sccp_put_le32(hdr + 8, ids[i]);
				sccp_decode_prefix(hdr, SCCP_HDR_LEN,
						   SCCP_LAYOUT_NONE, 0, m);
				n = sccp_key_locate(ids[i], body + 12, m->layout,
						    &o);
				nold = sccp_key_locate(ids[i], body + 12,
						       SCCP_LAYOUT_OLD, &o);
				nv17 = sccp_key_locate(ids[i], body + 12,
						       SCCP_LAYOUT_V17, &o);
				if (!(m->flags & SCCP_MSG_TENTATIVE))
					continue;
				bad = sccp_t_ck(why, n == nold && n == nv17 &&
						n == SCCP_KEY_BLOCK_LEN,
						"%s hv %#x body %u: %d, old %d, v17 %d",
						sccp_msg_name(ids[i]), hvs[j],
						body, n, nold, nv17);
			}
	return bad;
}

#endif /* _PP_SCCP_STREAM_CASES_H */
