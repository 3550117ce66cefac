// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the media key blocks the SCCP stream tracker writes
 * (sccp_stream_ops.key, docs/sccp.md "Media keys"). Arbitrary PDUs (the
 * CallManager's direction: OpenReceiveChannel, StartMediaTransmission in
 * any layout and length, and anything else) cut into arbitrary segments
 * go through sccp_stream_tcp() as the module hands them over, each in a
 * buffer of its exact size (ASan), with a key callback that writes a
 * fresh key into every block. Then the whole stream is sent again under
 * another segmentation. Asserts:
 *   - key() comes once per block, when the segment holding its first
 *     byte comes, with the fields before it known (ppid), at the place
 *     sccp_key_block() finds on the whole PDU; SCCP_E_KEY_ABSENT with the
 *     header alone, exactly where sccp_key_block() says so;
 *   - every block whose bytes were forwarded reads back (sccp_key_get())
 *     as the key given;
 *   - a retransmission is forwarded with exactly the bytes forwarded the
 *     first time (or refused as stale), never refused as different.
 *
 * Input: u32 ISN (LE); u8 flags (bits 0-1: the hint, 0/0/11/20; bit 2:
 * key() keeps every third block; bit 3: it aborts on SCCP_E_KEY_ABSENT);
 * u8 n, then n segment lengths (each byte + 1, used in turn); then the
 * stream bytes.
 *	scripts/fuzz.sh -t 60 fuzz_sccp_key		(from the top)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sccp_stream.h"
#include "sccp_test.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)							\
	do {								\
		if (!(c)) {						\
			fprintf(stderr, "fuzz_sccp_key: %s:%d: %s\n",	\
				__FILE__, __LINE__, #c);		\
			abort();					\
		}							\
	} while (0)

#define STREAM_MAX	(1 << 14)
#define KEYS_MAX	256

struct key_rec {
	u32 pdu;		/* stream offset of the PDU */
	u32 off;		/* of the block */
	int len;
	bool written;
	struct sccp_media_key k;
};

struct fctx {
	struct sccp_stream st;
	u32 isn;
	u8 hint;
	u8 flags;
	const u8 *in;		/* the stream */
	u32 len;
	u32 seg_seq;		/* sequence number of the segment handed over */
	u32 seg_len;
	unsigned int n;
	struct key_rec keys[KEYS_MAX];
};

static int f_rewrite(void *c, const struct sccp_msg *m, unsigned int i,
		     struct sccp_addr *repl)
{
	struct fctx *x = c;

	sccp_t_policy(&m->ep[i], x->st.stats.pdus - 1, repl);
	return SCCP_RW_REWRITE;
}

static int f_pdu(void *c, const struct sccp_msg *m, int err)
{
	(void)c;
	(void)m;
	(void)err;
	return 0;	/* malformed PDUs pass, with their fields rewritten */
}

static int f_key(void *c, const struct sccp_msg *m, int blk_len,
		 struct sccp_media_key *k)
{
	struct fctx *x = c;
	u32 pdu = x->st.pdu_seq - (x->isn + 1), o = 0;
	struct key_rec *r;
	unsigned int i;
	int want;

	/* where the parser finds the block on the PDU (as far as it came) */
	want = sccp_key_block(x->in + pdu, x->len - pdu < m->hdr.size ?
			      x->len - pdu : m->hdr.size, x->hint, &o);
	if (blk_len == SCCP_E_KEY_ABSENT) {
		/* with the header, before any body byte */
		CHECK(x->st.have == SCCP_HDR_LEN && !m->fields);
		CHECK(want == SCCP_E_KEY_ABSENT);
		return x->flags & 8 ? SCCP_E_ABORT : SCCP_RW_KEEP;
	}
	CHECK(blk_len == SCCP_KEY_BLOCK_LEN || blk_len == SCCP_KEY_BLOCK_SHORT);
	CHECK(m->key_len == blk_len && m->key_off + blk_len <= m->hdr.size);
	CHECK(want == blk_len || want == SCCP_E_NEED_MORE);
	if (want > 0)
		CHECK(o == m->key_off);
	/* the fields before the block are known */
	CHECK(m->fields & SCCP_F_PPID);
	CHECK(sccp_get_le32(x->in + pdu + 16) == m->ppid);
	for (i = 0; i < m->n_ep; i++)
		if (m->ep[i].off < m->key_off)
			CHECK(m->ep[i].known);
	/* its first byte is in the segment being handed over */
	CHECK((u32)(x->st.pdu_seq + m->key_off - x->seg_seq) < x->seg_len);
	CHECK(x->n < KEYS_MAX);
	r = &x->keys[x->n++];
	r->pdu = pdu;
	r->off = pdu + m->key_off;
	r->len = blk_len;
	r->written = !((x->flags & 4) && x->n % 3 == 0);
	if (!r->written)
		return SCCP_RW_KEEP;
	memset(k, 0, sizeof(*k));
	k->alg = x->n & 1 ? SCCP_KEY_AES_CM_128_SHA1_80 :
			    SCCP_KEY_AES_CM_128_SHA1_32;
	k->key_len = SCCP_KEY_AES_CM_KEY;
	k->salt_len = SCCP_KEY_AES_CM_SALT;
	for (i = 0; i < k->key_len; i++)
		k->key[i] = (u8)(x->n * 31 + i);
	for (i = 0; i < k->salt_len; i++)
		k->salt[i] = (u8)(x->n * 17 + 0x80 + i);
	r->k = *k;
	return SCCP_RW_REWRITE;
}

static const struct sccp_stream_ops f_ops = {
	.rewrite = f_rewrite,
	.pdu = f_pdu,
	.key = f_key,
};

static u8 out[STREAM_MAX], have[STREAM_MAX];
static u8 ring[SCCP_STREAM_RING];

/* Stream bytes [@off, @off + @n) as one segment of exactly @n bytes. */
static int send_seg(struct fctx *x, u32 off, u32 n, bool again)
{
	u8 *seg = malloc(n ? n : 1);
	int v;

	CHECK(seg);
	memcpy(seg, x->in + off, n);
	x->seg_seq = x->isn + 1 + off;
	x->seg_len = n;
	v = sccp_stream_tcp(&x->st, x->seg_seq, 0, seg, n, &f_ops, x);
	if (v == SCCP_ST_FORWARD) {
		if (again) {
			/* exactly what left the first time */
			CHECK(!memcmp(seg, out + off, n));
		} else {
			memcpy(out + off, seg, n);
			memset(have + off, 1, n);
		}
	}
	/* the same original bytes are never refused as different */
	CHECK(v != SCCP_ST_CONFLICT && v != SCCP_ST_OOO);
	if (again)
		CHECK(v == SCCP_ST_FORWARD || v == SCCP_ST_STALE);
	free(seg);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fctx x;
	const u8 *cuts;
	u32 off, n, sent, i, ncuts;
	struct sccp_media_key k;
	struct sccp_hdr h;
	int v = 0;

	if (size < 6)
		return 0;
	memset(&x, 0, sizeof(x));
	x.isn = sccp_get_le32(data);
	x.flags = data[4];
	x.hint = (u8[]){ 0, 0, 11, 20 }[x.flags & 3];
	ncuts = data[5];
	if (6 + ncuts > size)
		ncuts = (u32)(size - 6);
	cuts = data + 6;
	x.in = data + 6 + ncuts;
	x.len = (u32)(size - 6 - ncuts);
	if (x.len > STREAM_MAX)
		x.len = STREAM_MAX;
	memset(have, 0, x.len);

	sccp_stream_ring_attach(&x.st, ring);	/* the SYN keeps it */
	CHECK(sccp_stream_tcp(&x.st, x.isn, SCCP_TCP_SYN, NULL, 0, &f_ops,
			      &x) == SCCP_ST_FORWARD);
	sccp_stream_set_hint(&x.st, x.hint);

	/* the first pass, cut as the input says */
	for (off = 0, i = 0; off < x.len; off += n, i++) {
		n = ncuts ? cuts[i % ncuts] + 1u : x.len;
		if (n > x.len - off)
			n = x.len - off;
		v = send_seg(&x, off, n, false);
		if (v < 0)
			break;
		CHECK(v == SCCP_ST_FORWARD);
	}
	sent = off < x.len ? off : x.len;

	/* every block forwarded whole reads back as the key given */
	for (i = 0; i < x.n; i++) {
		struct key_rec *r = &x.keys[i];
		u32 j;

		for (j = 0; j < (u32)r->len && r->off + j < x.len &&
		     have[r->off + j]; j++)
			;
		if (j < (u32)r->len)
			continue;
		if (!r->written) {
			/* kept: as it came */
			CHECK(!memcmp(out + r->off, x.in + r->off, r->len));
			continue;
		}
		CHECK(!sccp_key_get(out + r->off, r->len, &k));
		CHECK(!memcmp(&k, &r->k, sizeof(k)));
	}
	/* no block of a PDU forwarded whole was missed */
	for (off = 0, i = 0; sent - off >= SCCP_HDR_LEN; off += h.size) {
		u32 o;
		int b;

		if (sccp_frame(x.in + off, sent - off, &h) ||
		    h.size > sent - off)
			break;
		b = sccp_key_block(x.in + off, h.size, x.hint, &o);
		if (b <= 0)
			continue;
		while (i < x.n && x.keys[i].off < off + o)
			i++;
		CHECK(i < x.n && x.keys[i].off == off + o &&
		      x.keys[i].len == b);
	}
	if (v < 0)
		return 0;

	/* the stream again, cut otherwise: the same bytes leave */
	for (off = 0, i = 0; off < sent; off += n, i++) {
		n = ncuts ? cuts[(ncuts - 1 - i % ncuts)] + 1u : 1 + off % 97;
		if (n > sent - off)
			n = sent - off;
		send_seg(&x, off, n, true);
	}
	return 0;
}
