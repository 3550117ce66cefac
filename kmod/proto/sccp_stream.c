// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * SCCP stream tracker and rewriter (see sccp_stream.h and docs/sccp.md).
 *
 * Sequence arithmetic is modulo 2^32. The history rings hold records in
 * stream order: the PDU headers (to check retransmissions against) and
 * the rewritten fields (original and replacement bytes). Records leave
 * only when a ring is full, never on acknowledgment: a sender that missed
 * an ACK retransmits acknowledged bytes, which must still be rewritten.
 */
#include "sccp_stream.h"

static inline bool seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool seq_after(u32 a, u32 b)
{
	return seq_before(b, a);
}

static inline u32 umin(u32 a, u32 b)
{
	return a < b ? a : b;
}

static bool same(const u8 *a, const u8 *b, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/*
 * Overlap of [a, a + alen) and [b, b + blen): its length, and where it
 * starts in each (*oa, *ob).
 */
static u32 overlap(u32 a, u32 alen, u32 b, u32 blen, u32 *oa, u32 *ob)
{
	u32 lo = seq_after(a, b) ? a : b;
	u32 hi = seq_before(a + alen, b + blen) ? a + alen : b + blen;

	if (!seq_before(lo, hi))
		return 0;
	*oa = lo - a;
	*ob = lo - b;
	return hi - lo;
}

static struct sccp_hdr_rec *hdr_at(struct sccp_stream *st, u32 i)
{
	return &st->hdrs[(st->hdr_first + i) % SCCP_STREAM_HDRS];
}

static struct sccp_rw_rec *rw_at(struct sccp_stream *st, u32 i)
{
	return &st->rws[(st->rw_first + i) % SCCP_STREAM_RWS];
}

void sccp_stream_init(struct sccp_stream *st, u32 seq)
{
	memset(st, 0, sizeof(*st));
	st->next_seq = seq;
	st->ack_seq = seq;
	st->hdr_floor = seq;
	st->rw_floor = seq;
	st->pdu_seq = seq;
	st->keep = SCCP_HDR_LEN;
	st->init = true;
}

void sccp_stream_set_hint(struct sccp_stream *st, u8 proto)
{
	st->hint = proto;
}

static void push_hdr(struct sccp_stream *st)
{
	struct sccp_hdr_rec *r;

	if (st->hdr_n == SCCP_STREAM_HDRS) {
		/* Unchecked from now on, which only matters if unacknowledged. */
		r = hdr_at(st, 0);
		if (seq_after(r->seq + SCCP_HDR_LEN, st->ack_seq)) {
			st->hdr_floor = r->seq + SCCP_HDR_LEN;
			st->stats.evicted++;
		}
		st->hdr_first = (st->hdr_first + 1) % SCCP_STREAM_HDRS;
		st->hdr_n--;
	}
	r = hdr_at(st, st->hdr_n++);
	r->seq = st->pdu_seq;
	memcpy(r->b, st->prefix, SCCP_HDR_LEN);
}

static struct sccp_rw_rec *push_rw(struct sccp_stream *st, u32 seq, u8 len)
{
	struct sccp_rw_rec *r;

	if (st->rw_n == SCCP_STREAM_RWS) {
		/* Bytes before its end can no longer be rewritten. */
		r = rw_at(st, 0);
		st->rw_floor = r->seq + r->len;
		if (seq_after(st->rw_floor, st->ack_seq))
			st->stats.evicted++;
		st->rw_first = (st->rw_first + 1) % SCCP_STREAM_RWS;
		st->rw_n--;
	}
	r = rw_at(st, st->rw_n++);
	memset(r, 0, sizeof(*r));
	r->seq = seq;
	r->len = len;
	return r;
}

void sccp_stream_ack(struct sccp_stream *st, u32 ack)
{
	if (st->init && seq_after(ack, st->ack_seq) &&
	    !seq_after(ack, st->next_seq))
		st->ack_seq = ack;
}

/* Original bytes of the current PDU's rewritten fields, from prefix[]. */
static void fill_orig(struct sccp_stream *st)
{
	struct sccp_rw_rec *r;
	u32 i = st->rw_n, off, k;

	while (i--) {
		r = rw_at(st, i);
		if (seq_before(r->seq, st->pdu_seq))
			break;
		off = r->seq - st->pdu_seq;
		if (st->kept <= off)
			continue;
		k = umin(st->kept - off, r->len);
		if (k > r->have) {
			memcpy(r->orig + r->have, st->prefix + off + r->have,
			       k - r->have);
			r->have = k;
		}
	}
}

/*
 * Bytes [@seq, @seq + @n) were seen before: are they the same, and are
 * they still covered by the history?
 */
static int check_old(struct sccp_stream *st, u32 seq, const u8 *data, u32 n)
{
	struct sccp_hdr_rec *h;
	struct sccp_rw_rec *r;
	u32 i, k, oa, ob, lim;

	/* A field may have been there: it cannot be rewritten any more. */
	if (seq_before(seq, st->rw_floor)) {
		st->stats.stale++;
		return SCCP_ST_STALE;
	}
	/* Headers not checkable, and the receiver may not have the bytes. */
	if (seq_before(seq, st->hdr_floor)) {
		lim = seq_before(seq + n, st->hdr_floor) ? seq + n :
							    st->hdr_floor;
		if (seq_after(lim, st->ack_seq)) {
			st->stats.stale++;
			return SCCP_ST_STALE;
		}
	}
	for (i = 0; i < st->hdr_n; i++) {
		h = hdr_at(st, i);
		k = overlap(seq, n, h->seq, SCCP_HDR_LEN, &oa, &ob);
		if (k && !same(data + oa, h->b + ob, k))
			return SCCP_E_MISMATCH;
	}
	k = overlap(seq, n, st->pdu_seq, st->kept, &oa, &ob);
	if (k && !same(data + oa, st->prefix + ob, k))
		return SCCP_E_MISMATCH;
	for (i = 0; i < st->rw_n; i++) {
		r = rw_at(st, i);
		k = overlap(seq, n, r->seq, r->have, &oa, &ob);
		if (k && !same(data + oa, r->orig + ob, k))
			return SCCP_E_MISMATCH;
	}
	return 0;
}

/* Write every recorded replacement that falls in the segment. */
static void apply(struct sccp_stream *st, u32 seq, u8 *data, u32 len)
{
	struct sccp_rw_rec *r;
	u32 i, k, oa, ob;

	for (i = 0; i < st->rw_n; i++) {
		r = rw_at(st, i);
		k = overlap(seq, len, r->seq, r->len, &oa, &ob);
		if (k)
			memcpy(data + oa, r->repl + ob, k);
	}
}

/* The 12 header bytes of a PDU are in prefix[]. */
static int start_pdu(struct sccp_stream *st, const struct sccp_stream_ops *ops,
		     void *ctx)
{
	struct sccp_msg msg;
	int err;

	err = sccp_decode_prefix(st->prefix, SCCP_HDR_LEN, SCCP_LAYOUT_NONE,
				 st->hint, &msg);
	if (err && err != SCCP_E_TRUNCATED)
		return err;
	st->pdu_size = msg.hdr.size;
	st->keep = msg.need > SCCP_HDR_LEN ?
		   umin(msg.hdr.size, SCCP_PREFIX_MAX) : SCCP_HDR_LEN;
	st->layout = SCCP_LAYOUT_NONE;
	st->tentative = false;
	st->next_ep = 0;
	st->notified = false;
	push_hdr(st);
	st->stats.pdus++;
	if (err) {
		/* Before any byte of the body leaves. */
		st->stats.malformed++;
		st->notified = true;
		if (!ops->pdu || ops->pdu(ctx, &msg, err) < 0)
			return SCCP_E_ABORT;
	}
	return 0;
}

/* @n more bytes of the current PDU's body (@n may be 0). */
static int body(struct sccp_stream *st, const u8 *p, u32 n,
		const struct sccp_stream_ops *ops, void *ctx)
{
	u32 to = st->have + n, lp;
	const struct sccp_ep *ep;
	struct sccp_rw_rec *rec;
	struct sccp_addr repl;
	struct sccp_msg msg;
	bool tentative;
	int err, v;

	if (st->kept < st->keep) {
		/* kept == have while collecting */
		memcpy(st->prefix + st->kept, p, umin(to, st->keep) - st->kept);
		st->kept = umin(to, st->keep);
	}
	st->have = to;
	err = sccp_decode_prefix(st->prefix, st->kept, st->layout, st->hint,
				 &msg);
	if (err && err != SCCP_E_TRUNCATED)
		return err;

	/* Freeze the layout before a byte it decides about leaves. */
	lp = sccp_layout_point(msg.hdr.id);
	if (st->layout == SCCP_LAYOUT_NONE && msg.layout != SCCP_LAYOUT_NONE &&
	    (!lp || to > lp || to == st->pdu_size)) {
		st->layout = msg.layout;
		st->tentative = msg.flags & SCCP_MSG_TENTATIVE;
	}
	if (st->tentative &&
	    (st->kept >= lp + SCCP_LAYOUT_WINDOW || st->kept == st->pdu_size)) {
		v = sccp_layout(st->prefix, st->kept, st->hint, &tentative);
		if (!tentative) {
			st->tentative = false;
			if (v != st->layout)
				return SCCP_E_LAYOUT;
		}
	}

	/* Decide every field whose first byte is about to leave. */
	while (st->next_ep < msg.n_ep && msg.ep[st->next_ep].off < to) {
		ep = &msg.ep[st->next_ep];
		memset(&repl, 0, sizeof(repl));
		v = ops->rewrite ? ops->rewrite(ctx, &msg, st->next_ep, &repl) :
				   SCCP_E_ABORT;
		if (v != SCCP_RW_REWRITE && v != SCCP_RW_KEEP)
			return SCCP_E_ABORT;
		if (v == SCCP_RW_REWRITE) {
			rec = push_rw(st, st->pdu_seq + ep->off, ep->len);
			sccp_ep_encode(ep, &repl, rec->repl);
			st->stats.rewrites++;
		}
		st->next_ep++;
	}
	fill_orig(st);

	if (!st->notified && (msg.flags & SCCP_MSG_COMPLETE)) {
		st->notified = true;
		if (ops->pdu && ops->pdu(ctx, &msg, 0) < 0)
			return SCCP_E_ABORT;
	}
	return 0;
}

static void end_pdu(struct sccp_stream *st)
{
	st->pdu_seq += st->pdu_size;
	st->pdu_size = 0;
	st->have = 0;
	st->kept = 0;
	st->keep = SCCP_HDR_LEN;
}

static int parse_new(struct sccp_stream *st, const u8 *data, u32 len,
		     const struct sccp_stream_ops *ops, void *ctx)
{
	u32 off = 0, n;
	int err;

	while (off < len) {
		if (!st->pdu_size) {
			n = umin(SCCP_HDR_LEN - st->have, len - off);
			memcpy(st->prefix + st->have, data + off, n);
			st->have += n;
			st->kept = st->have;
			off += n;
			if (st->have < SCCP_HDR_LEN)
				break;
			err = start_pdu(st, ops, ctx);
			if (err)
				return err;
		}
		n = umin(st->pdu_size - st->have, len - off);
		err = body(st, data + off, n, ops, ctx);
		if (err)
			return err;
		off += n;
		if (st->have == st->pdu_size)
			end_pdu(st);
	}
	return 0;
}

int sccp_stream_segment(struct sccp_stream *st, u32 seq, u8 *data, u32 len,
			const struct sccp_stream_ops *ops, void *ctx)
{
	u32 old;
	int ret;

	if (!st->init)
		return SCCP_E_STATE;
	if (st->error)
		return st->error;
	if (!len)
		return SCCP_ST_FORWARD;
	if (seq_after(seq, st->next_seq)) {
		st->stats.ooo++;
		return SCCP_ST_OOO;
	}
	old = seq_before(st->next_seq, seq + len) ? st->next_seq - seq : len;
	if (old) {
		st->stats.retrans++;
		ret = check_old(st, seq, data, old);
		if (ret > 0)
			return ret;
		if (ret < 0) {
			st->error = ret;
			return ret;
		}
	}
	if (old < len) {
		ret = parse_new(st, data + old, len - old, ops, ctx);
		if (ret) {
			st->error = ret;
			return ret;
		}
		st->next_seq = seq + len;
	}
	apply(st, seq, data, len);
	return SCCP_ST_FORWARD;
}
