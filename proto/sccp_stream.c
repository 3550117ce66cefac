// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * SCCP stream tracker and rewriter (see sccp_stream.h and docs/sccp.md).
 *
 * Sequence arithmetic is modulo 2^32. The byte ring (the caller's,
 * attached while bytes are unacknowledged) holds the original bytes of
 * the last SCCP_STREAM_RING bytes seen, each at its sequence number
 * modulo the ring size (2^32 is a multiple of it): every retransmitted
 * byte still in it is compared with it. Without a ring, ring_len is 0:
 * every byte seen is before the ring, so passes only if acknowledged. The record ring
 * holds the rewritten fields (replacement bytes) in stream order; they
 * leave only when it is full, never on acknowledgment: a sender that
 * missed an ACK retransmits acknowledged bytes, which must still be
 * rewritten.
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

/* The segment being handed over: rewritten in place. */
struct seg {
	u32 seq;
	u8 *data;
	u32 len;
};

static struct sccp_rw_rec *rw_at(struct sccp_stream *st, u32 i)
{
	return &st->rws[(st->rw_first + i) % SCCP_STREAM_RWS];
}

void sccp_stream_init(struct sccp_stream *st, u32 seq)
{
	u8 *ring = st->ring;

	memset(st, 0, sizeof(*st));
	st->ring = ring;
	st->next_seq = seq;
	st->ack_seq = seq;
	st->isn = seq - 1;
	st->rw_floor = seq;
	st->pdu_seq = seq;
	st->keep = SCCP_HDR_LEN;
	st->init = true;
}

void sccp_stream_set_hint(struct sccp_stream *st, u8 proto)
{
	st->hint = proto;
}

void sccp_stream_ring_attach(struct sccp_stream *st, u8 *ring)
{
	st->ring = ring;
	st->ring_len = 0;
}

bool sccp_stream_ring_idle(const struct sccp_stream *st)
{
	return st->ring && st->ack_seq == st->next_seq;
}

u8 *sccp_stream_ring_detach(struct sccp_stream *st)
{
	u8 *ring = st->ring;
	u32 pos, k;

	if (!ring)
		return NULL;
	/* [next_seq - ring_len, next_seq), wrapped */
	pos = (st->next_seq - st->ring_len) % SCCP_STREAM_RING;
	k = umin(st->ring_len, SCCP_STREAM_RING - pos);
	pp_wipe(ring + pos, k);
	pp_wipe(ring, st->ring_len - k);
	st->ring = NULL;
	st->ring_len = 0;
	return ring;
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
	/*
	 * One beyond the bytes seen: the sender's FIN acknowledged with
	 * them. (Without a FIN it says no more than next_seq would.)
	 */
	if (ack == st->next_seq + 1)
		ack = st->next_seq;
	if (st->init && seq_after(ack, st->ack_seq) &&
	    !seq_after(ack, st->next_seq))
		st->ack_seq = ack;
}

/* Keep the original bytes [@seq, @seq + @n), just seen, in the ring. */
static void keep(struct sccp_stream *st, u32 seq, const u8 *data, u32 n)
{
	u32 pos, k;

	if (n > SCCP_STREAM_RING) {
		data += n - SCCP_STREAM_RING;
		seq += n - SCCP_STREAM_RING;
		n = SCCP_STREAM_RING;
	}
	if (st->ring_len + n > SCCP_STREAM_RING &&
	    seq_after(seq + n - SCCP_STREAM_RING, st->ack_seq))
		st->stats.evicted++;
	st->ring_len = umin(st->ring_len + n, SCCP_STREAM_RING);
	while (n) {
		pos = seq % SCCP_STREAM_RING;
		k = umin(n, SCCP_STREAM_RING - pos);
		memcpy(st->ring + pos, data, k);
		seq += k;
		data += k;
		n -= k;
	}
}

/*
 * Bytes [@seq, @seq + @n) were seen before: are they the same, and are
 * they still covered by the history?
 */
static int check_old(struct sccp_stream *st, u32 seq, const u8 *data, u32 n)
{
	u32 floor = st->next_seq - st->ring_len, pos, k;

	/* A field may have been there: it cannot be rewritten any more. */
	if (seq_before(seq, st->rw_floor)) {
		st->stats.stale++;
		return SCCP_ST_STALE;
	}
	/*
	 * Bytes no longer kept: only if the receiver has them (and so
	 * discards them), else it could take them instead of the ones seen.
	 */
	if (seq_before(seq, floor)) {
		k = umin(floor - seq, n);
		if (seq_after(seq + k, st->ack_seq)) {
			st->stats.stale++;
			return SCCP_ST_STALE;
		}
		seq += k;
		data += k;
		n -= k;
	}
	while (n) {
		pos = seq % SCCP_STREAM_RING;
		k = umin(n, SCCP_STREAM_RING - pos);
		if (!same(data, st->ring + pos, k)) {
			st->stats.conflict++;
			return SCCP_ST_CONFLICT;
		}
		seq += k;
		data += k;
		n -= k;
	}
	return 0;
}

/* Write the replacement of @r where it falls in @sg. */
static void apply_rec(const struct sccp_rw_rec *r, const struct seg *sg)
{
	u32 k, oa, ob;

	k = overlap(sg->seq, sg->len, r->seq, r->len, &oa, &ob);
	if (k)
		memcpy(sg->data + oa, r->repl + ob, k);
}

/* Write every recorded replacement that falls in the segment. */
static void apply(struct sccp_stream *st, const struct seg *sg)
{
	u32 i;

	for (i = 0; i < st->rw_n; i++)
		apply_rec(rw_at(st, i), sg);
}

/*
 * Record the replacement @repl of the @len bytes at @seq and write it
 * into the segment at once: when one segment holds more fields than
 * the ring, the oldest records leave before the segment does.
 */
static void put_rw(struct sccp_stream *st, const struct seg *sg, u32 seq,
		   u8 len, const u8 *repl)
{
	struct sccp_rw_rec *r = push_rw(st, seq, len);

	memcpy(r->repl, repl, len);
	apply_rec(r, sg);
}

/* The 12 header bytes of a PDU are in prefix[]. */
static int start_pdu(struct sccp_stream *st, const struct sccp_stream_ops *ops,
		     void *ctx)
{
	struct sccp_media_key k;
	struct sccp_msg msg;
	int err, n;
	u32 off;

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
	st->key_done = true;
	st->stats.pdus++;
	if (err) {
		/* Before any byte of the body leaves. */
		st->stats.malformed++;
		st->notified = true;
		if (!ops->pdu || ops->pdu(ctx, &msg, err) < 0)
			return SCCP_E_ABORT;
	}
	if (!ops->key)
		return 0;
	/*
	 * Whether the block is there depends on the header alone: SMT's
	 * layout is chosen from content only for bodies of 132 bytes or
	 * more, which hold the whole block in either layout.
	 */
	n = sccp_key_locate(msg.hdr.id, msg.hdr.size, msg.layout, &off);
	if (n == SCCP_E_KEY_ABSENT) {
		/* Before any byte of the body leaves, like a malformed PDU. */
		memset(&k, 0, sizeof(k));
		if (ops->key(ctx, &msg, n, &k) != SCCP_RW_KEEP)
			return SCCP_E_ABORT;
	} else if (n > 0) {
		st->key_done = false;
	}
	return 0;
}

/* The key block of the current PDU (@m) is about to leave. */
static int key_block(struct sccp_stream *st, const struct seg *sg,
		     const struct sccp_msg *m,
		     const struct sccp_stream_ops *ops, void *ctx)
{
	u8 blk[SCCP_KEY_BLOCK_LEN];
	struct sccp_media_key k;
	int v;

	st->key_done = true;
	memset(&k, 0, sizeof(k));
	v = ops->key(ctx, m, m->key_len, &k);
	if (v == SCCP_RW_KEEP)
		return 0;
	if (v != SCCP_RW_REWRITE)
		return SCCP_E_ABORT;
	v = sccp_key_set(blk, m->key_len, &k);
	pp_wipe(&k, sizeof(k));
	if (!v) {
		put_rw(st, sg, st->pdu_seq + m->key_off, m->key_len, blk);
		st->stats.keys++;
	}
	pp_wipe(blk, sizeof(blk));
	return v;
}

/* @n more bytes of the current PDU's body (@n may be 0). */
static int body(struct sccp_stream *st, const struct seg *sg, const u8 *p,
		u32 n, const struct sccp_stream_ops *ops, void *ctx)
{
	u32 to = st->have + n, lp;
	u8 enc[SCCP_EP_MAX_LEN];
	const struct sccp_ep *ep;
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

	/*
	 * Decide every field whose first byte is about to leave, in wire
	 * order (the records stay in stream order). The layout is frozen
	 * by now when the key block is due: SMT's layout point (PDU offset
	 * 20) and window (to 40) come before its block (56 or 72), and
	 * ORC's block (40) is at the same place in both layouts.
	 */
	for (;;) {
		ep = st->next_ep < msg.n_ep && msg.ep[st->next_ep].off < to ?
		     &msg.ep[st->next_ep] : NULL;
		if (!st->key_done && msg.key_len && msg.key_off < to &&
		    (!ep || msg.key_off < ep->off)) {
			err = key_block(st, sg, &msg, ops, ctx);
			if (err)
				return err;
			continue;
		}
		if (!ep)
			break;
		memset(&repl, 0, sizeof(repl));
		v = ops->rewrite ? ops->rewrite(ctx, &msg, st->next_ep, &repl) :
				   SCCP_E_ABORT;
		if (v != SCCP_RW_REWRITE && v != SCCP_RW_KEEP)
			return SCCP_E_ABORT;
		if (v == SCCP_RW_REWRITE) {
			sccp_ep_encode(ep, &repl, enc);
			put_rw(st, sg, st->pdu_seq + ep->off, ep->len, enc);
			st->stats.rewrites++;
		}
		st->next_ep++;
	}

	/* Never reached (see start_pdu()); fail closed all the same. */
	if (!st->key_done && to == st->pdu_size)
		return SCCP_E_ABORT;

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

/*
 * The @len new bytes at @data, in segment @sg. Each PDU's bytes are read
 * (into prefix[]) before a replacement is written over them.
 */
static int parse_new(struct sccp_stream *st, const struct seg *sg,
		     const u8 *data, u32 len,
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
		err = body(st, sg, data + off, n, ops, ctx);
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
	struct seg sg = { .seq = seq, .data = data, .len = len };
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
		if (ret)
			return ret;
	}
	if (old < len) {
		if (!st->ring && ops->ring)
			st->ring = ops->ring(ctx);
		if (!st->ring) {
			/* Nothing changed: its next copy is a first one. */
			st->stats.nobuf++;
			return SCCP_ST_NOBUF;
		}
		/* the originals, before parse_new() rewrites them */
		keep(st, seq + old, data + old, len - old);
		ret = parse_new(st, &sg, data + old, len - old, ops, ctx);
		if (ret) {
			st->error = ret;
			return ret;
		}
		st->next_seq = seq + len;
	}
	apply(st, &sg);
	return SCCP_ST_FORWARD;
}

int sccp_stream_tcp(struct sccp_stream *st, u32 seq, unsigned int flags,
		    u8 *data, u32 len, const struct sccp_stream_ops *ops,
		    void *ctx)
{
	if (st->init && st->error)
		return st->error;
	if (flags & SCCP_TCP_URG) {
		st->stats.conflict++;
		return SCCP_ST_CONFLICT;
	}
	if (flags & SCCP_TCP_SYN) {
		if (len) {
			/* Nothing before the stream's start is examined. */
			st->stats.ooo++;
			return SCCP_ST_OOO;
		}
		if (!st->init) {
			sccp_stream_init(st, seq + 1);
			return SCCP_ST_FORWARD;
		}
		if (seq == st->isn)
			return SCCP_ST_FORWARD;	/* retransmitted */
		st->stats.conflict++;
		return SCCP_ST_CONFLICT;
	}
	if (!st->init) {
		if (!len)
			return SCCP_ST_FORWARD;
		st->stats.ooo++;
		return SCCP_ST_OOO;
	}
	return sccp_stream_segment(st, seq, data, len, ops, ctx);
}
