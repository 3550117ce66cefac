/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * SCCP stream tracker and rewriter, one per direction of a TCP connection.
 *
 * The caller hands over every TCP segment of the direction, in the order
 * they pass, as (sequence number, payload) and forwards, drops or resets
 * as told. The tracker follows the byte stream, finds the PDU boundaries
 * whatever the segmentation, and rewrites address/port fields in place,
 * also when a field straddles two segments: the replacement of a field is
 * asked from the caller when the first byte of the field must leave (the
 * PDU header and everything before the field are known by then, and the
 * field's original bytes too unless the segment ends inside it); the
 * caller learns the whole original PDU once all its bytes have passed.
 * Rewrites never change lengths, so TCP sequence numbers stay as they are.
 * A replacement is written into the segment as soon as it is decided,
 * so one segment may hold more fields than the record ring.
 * With a key callback, the media key block of OpenReceiveChannel and
 * StartMediaTransmission is rewritten the same way, as one 48- or 40-byte
 * field (sccp_stream_ops.key).
 *
 * A retransmission (bytes already seen) must carry exactly the bytes
 * seen the first time: the original bytes of the last SCCP_STREAM_RING
 * bytes seen are kept in a ring and compared byte for byte; a segment
 * that differs is refused (SCCP_ST_CONFLICT). Whatever the receiver did
 * with the first copy (kept it, or discarded it: out of window, PAWS, a
 * bad checksum), what it keeps is then the bytes the tracker examined,
 * so the device name it delivers is the one that was checked. A
 * retransmission reaching before the ring is refused (SCCP_ST_STALE)
 * unless the receiver acknowledged those bytes (sccp_stream_ack()): it
 * discards them anyway. It is rewritten from the records of the first
 * pass (a fixed ring of rewritten fields, which leave only when it is
 * full); one reaching before the oldest rewrite record is refused too
 * (SCCP_ST_STALE: a field may be there that can no longer be rewritten).
 * Data beyond what was seen is refused (SCCP_ST_OOO): nothing leaves
 * unexamined.
 *
 * The byte ring is not part of the state: the caller attaches one
 * (sccp_stream_ring_attach(), or on demand through ops->ring) and takes
 * it back once every byte it holds is acknowledged
 * (sccp_stream_ring_idle(), sccp_stream_ring_detach()): an idle
 * connection, everything acknowledged, needs none. Without a ring, new
 * bytes are refused (SCCP_ST_NOBUF, nothing changed): never passed
 * unexamined.
 *
 * sccp_stream_tcp() takes the segment's TCP flags too: the first SYN
 * starts the tracking, and a later SYN never restarts it (a SYN in the
 * middle of a connection is one the receiver answers with a challenge
 * ACK; restarting at its sequence number would make the tracker's view
 * of the stream and the receiver's diverge).
 *
 * Fixed-size state, no allocation (the ring is the caller's); pure C like
 * sccp.c. docs/sccp.md.
 */
#ifndef _PP_SCCP_STREAM_H
#define _PP_SCCP_STREAM_H

#include "pp_types.h"
#include "sccp.h"

#ifndef SCCP_STREAM_RING
#define SCCP_STREAM_RING	4096	/* bytes kept; a power of two */
#endif
#ifndef SCCP_STREAM_RWS
#define SCCP_STREAM_RWS		16	/* rewritten fields remembered */
#endif

/* sccp_stream_segment() results >= 0; negative ones are SCCP_E_*. */
enum sccp_stream_verdict {
	SCCP_ST_FORWARD	= 0,	/* forward the segment (rewritten in place) */
	SCCP_ST_OOO	= 1,	/* beyond the bytes seen: drop it, not fatal */
	SCCP_ST_STALE	= 2,	/* old bytes no longer vouched for: drop it */
	SCCP_ST_CONFLICT = 3,	/* contradicts the bytes seen: drop it */
	SCCP_ST_NOBUF	= 4,	/* new bytes, no ring to keep them: drop it */
};

/* sccp_stream_tcp() flags: the segment's TCP flags that matter */
#define SCCP_TCP_SYN	0x01
#define SCCP_TCP_URG	0x02

/* Return values of sccp_stream_ops.rewrite and .key (or a negative to abort). */
#define SCCP_RW_REWRITE	0	/* write *repl (*k) */
#define SCCP_RW_KEEP	1	/* leave the field as it is */

/*
 * Bytes of the longest field rewritten: a key block (48), an endpoint
 * (SCCP_EP_MAX_LEN, 28); checked by the tests (sccp_stream_cases.h).
 */
#define SCCP_RW_MAX_LEN	SCCP_KEY_BLOCK_LEN

struct sccp_stream_ops {
	/*
	 * Field @msg->ep[@ep] is about to leave: fill @repl (zeroed) with
	 * its replacement and return SCCP_RW_REWRITE, or SCCP_RW_KEEP, or a
	 * negative value to abort the stream. @msg holds the header, the
	 * layout, every endpoint's position, and the scalars and original
	 * values (ep->known) whose bytes have been seen so far. Required:
	 * without it, a PDU with an address aborts the stream.
	 */
	int (*rewrite)(void *ctx, const struct sccp_msg *msg, unsigned int ep,
		       struct sccp_addr *repl);
	/*
	 * Every byte of @msg's decoded prefix has been seen (originals),
	 * @err 0; or the PDU is malformed (@err SCCP_E_TRUNCATED, reported
	 * as soon as its header is seen, before any byte of its body
	 * leaves). Return 0 to go on (a malformed PDU then passes with its
	 * complete fields rewritten), negative to abort the stream.
	 * Optional: without it a malformed PDU aborts the stream.
	 */
	int (*pdu)(void *ctx, const struct sccp_msg *msg, int err);
	/*
	 * The media key block of an OpenReceiveChannel or a
	 * StartMediaTransmission (docs/sccp.md "Media keys"), once per PDU
	 * of these ids. Optional: without it every block passes unchanged.
	 *
	 * @blk_len SCCP_KEY_BLOCK_LEN or SCCP_KEY_BLOCK_SHORT: the block's
	 * first byte is about to leave (@msg->key_off, @msg->key_len). @msg
	 * holds every field before the block, original values: the header,
	 * conference_id, ppid, packet_ms, codec, call_ref (SCCP_F_* set in
	 * @msg->fields) and, in SMT, the remote endpoint (->known; its
	 * rewrite() came first). Fill @k (zeroed) and return SCCP_RW_REWRITE:
	 * the whole block is written with sccp_key_set() (algorithm,
	 * lengths, key and salt zero-padded to 16 bytes, and in a 48-byte
	 * block the MKI flag and key derivation rate from @k, which
	 * sccp_key_check() wants 0); a key sccp_key_check() refuses kills
	 * the stream with its SCCP_E_KEY_* error, nothing written. Or
	 * SCCP_RW_KEEP: the block passes as it is. In ORC, key() comes
	 * before pdu(msg, 0) and @msg's layout may still be a guess (the
	 * block's place does not depend on it); in SMT the decoded fields
	 * end where the block starts, so pdu(msg, 0) may come before or
	 * after key(), as the segments fall.
	 *
	 * @blk_len SCCP_E_KEY_ABSENT: the body ends before the block's salt
	 * does. Reported as soon as the PDU header is complete, before any
	 * byte of the body leaves (after pdu() of a malformed PDU): @msg
	 * holds the header alone. Return SCCP_RW_KEEP to let the PDU pass
	 * unchanged; anything else aborts the stream (no key can be
	 * written).
	 *
	 * Any other return value, or a negative one, aborts the stream
	 * (SCCP_E_ABORT).
	 */
	int (*key)(void *ctx, const struct sccp_msg *msg, int blk_len,
		   struct sccp_media_key *k);
	/*
	 * The segment brings new bytes and no ring is attached: return
	 * SCCP_STREAM_RING bytes (any content) to attach, or NULL: the
	 * segment is refused (SCCP_ST_NOBUF) and the state left as it was,
	 * so its retransmission is handled as if it were the first copy.
	 * The caller takes the ring back with sccp_stream_ring_detach().
	 * Optional: without it, only a ring attached beforehand is used.
	 */
	u8 *(*ring)(void *ctx);
};

struct sccp_rw_rec {
	u32 seq;			/* first byte of the field */
	u8 len;
	u8 repl[SCCP_RW_MAX_LEN];
};

struct sccp_stream_stats {
	u32 pdus;		/* PDU headers seen */
	u32 rewrites;		/* fields rewritten */
	u32 retrans;		/* segments with bytes already seen */
	u32 ooo;		/* segments refused: beyond the bytes seen */
	u32 stale;		/* segments refused: history lost */
	u32 malformed;		/* PDUs with SCCP_E_TRUNCATED */
	u32 evicted;		/* bytes or records evicted before acknowledgment */
	u32 conflict;		/* segments refused: SCCP_ST_CONFLICT */
	u32 keys;		/* key blocks rewritten */
	u32 nobuf;		/* segments refused: SCCP_ST_NOBUF */
};

struct sccp_stream {
	u32 next_seq;		/* first byte not seen yet */
	u32 ack_seq;		/* the receiver has everything before */
	u32 isn;		/* sequence number of the first SYN */
	u32 ring_len;		/* ring holds [next_seq - ring_len, next_seq) */
	u32 rw_floor;		/* rewrite records complete from here on */
	u32 pdu_seq;		/* first byte of the current PDU */
	u32 pdu_size;		/* 0 while its header is incomplete */
	u32 have;		/* bytes of the current PDU seen */
	u32 kept;		/* of which in prefix[] */
	u32 keep;		/* prefix bytes wanted for the current PDU */
	u8 layout;		/* frozen layout, SCCP_LAYOUT_NONE until then */
	u8 next_ep;		/* endpoints of the current PDU decided */
	bool tentative;		/* layout frozen before its content was seen */
	bool notified;		/* ops->pdu called for the current PDU */
	bool init;
	bool key_done;		/* the current PDU's key block decided */
	u8 hint;		/* negotiated protocol version, 0 unknown */
	s16 error;		/* SCCP_E_* once the stream is dead */
	u16 rw_first, rw_n;
	u8 prefix[SCCP_PREFIX_MAX];
	/*
	 * SCCP_STREAM_RING bytes of the caller's, or NULL (then ring_len
	 * is 0): the original bytes, at seq % SCCP_STREAM_RING.
	 */
	u8 *ring;
	struct sccp_rw_rec rws[SCCP_STREAM_RWS];
	struct sccp_stream_stats stats;
};

/**
 * sccp_stream_init() - start tracking a direction
 * @st: state
 * @seq: sequence number of the first payload byte (the SYN's + 1)
 *
 * A ring attached before stays attached, empty.
 */
void sccp_stream_init(struct sccp_stream *st, u32 seq);

/**
 * sccp_stream_set_hint() - negotiated protocol version of the connection
 * @st: state
 * @proto: min(Register max protocol, RegisterAck protocol), 0 unknown
 *
 * A tie-breaker of the layout rule when a segment ends inside the bytes
 * the rule looks at (docs/sccp.md).
 */
void sccp_stream_set_hint(struct sccp_stream *st, u8 proto);

/**
 * sccp_stream_ack() - the receiver acknowledged everything before @ack
 * @st: state
 * @ack: acknowledgment number of a segment of the opposite direction
 *
 * Acknowledged bytes may be retransmitted without their header records
 * (the receiver discards them). Ignored when @ack is not newer than the
 * last one or beyond the bytes seen, except by one: the acknowledgment
 * of a FIN after them, taken as acknowledging every byte seen.
 */
void sccp_stream_ack(struct sccp_stream *st, u32 ack);

/**
 * sccp_stream_ring_attach() - give @st a ring for the bytes it sees
 * @st: state, without a ring
 * @ring: SCCP_STREAM_RING bytes, any content
 */
void sccp_stream_ring_attach(struct sccp_stream *st, u8 *ring);

/**
 * sccp_stream_ring_idle() - does the ring hold only acknowledged bytes?
 * @st: state
 *
 * Return: true when a ring is attached and the receiver acknowledged
 * every byte seen (nothing it holds can be asked for again, except as
 * bytes the receiver discards): sccp_stream_ring_detach() costs nothing.
 */
bool sccp_stream_ring_idle(const struct sccp_stream *st);

/**
 * sccp_stream_ring_detach() - take the ring back
 * @st: state
 *
 * The bytes it held are wiped. Always safe: a retransmission of bytes
 * the receiver has not acknowledged is then refused (SCCP_ST_STALE), as
 * for bytes evicted from the ring; acknowledged ones pass, rewritten
 * from the records as before; the next new bytes want a ring again.
 *
 * Return: the ring, or NULL if none was attached.
 */
u8 *sccp_stream_ring_detach(struct sccp_stream *st);

/**
 * sccp_stream_segment() - one TCP segment of the direction
 * @st: state
 * @seq: its sequence number
 * @data: its payload, rewritten in place
 * @len: payload length
 * @ops: the caller's decisions
 * @ctx: passed to @ops
 *
 * Return: SCCP_ST_FORWARD: forward @data (rewritten). SCCP_ST_OOO,
 * SCCP_ST_STALE, SCCP_ST_CONFLICT, SCCP_ST_NOBUF: drop the segment, the
 * connection goes on (the sender retransmits). Negative SCCP_E_*: the stream is dead
 * (framing error, SCCP_E_LAYOUT, SCCP_E_ABORT); drop the segment and
 * reset the connection; every later call returns the same error. @data
 * may have been partly rewritten when the result is not SCCP_ST_FORWARD.
 */
int sccp_stream_segment(struct sccp_stream *st, u32 seq, u8 *data, u32 len,
			const struct sccp_stream_ops *ops, void *ctx);

/**
 * sccp_stream_tcp() - one TCP segment of the direction, with its flags
 * @st: state, zeroed before the direction's first segment
 * @seq: its sequence number
 * @flags: SCCP_TCP_SYN, SCCP_TCP_URG as in its header
 * @data: its payload, rewritten in place
 * @len: payload length
 * @ops: the caller's decisions
 * @ctx: passed to @ops
 *
 * What the module does with every segment of a direction (and the KUnit
 * tests and the fuzzers with theirs). The direction's first SYN (without
 * data) starts the tracking; a SYN again with the same sequence number
 * (retransmitted) passes; any other SYN is refused (SCCP_ST_CONFLICT), as
 * is any segment with the URG flag (a receiver takes the urgent byte out
 * of the stream its application reads: the tracker's view would shift).
 * Data with a SYN, or before the first SYN, is refused (SCCP_ST_OOO).
 * Everything else goes to sccp_stream_segment().
 *
 * Return: as sccp_stream_segment().
 */
int sccp_stream_tcp(struct sccp_stream *st, u32 seq, unsigned int flags,
		    u8 *data, u32 len, const struct sccp_stream_ops *ops,
		    void *ctx);

#endif /* _PP_SCCP_STREAM_H */
