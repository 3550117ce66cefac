// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the SCCP parser and stream rewriter (proto/) on an
 * arbitrary byte stream. The parser walks it PDU by PDU checking its own
 * invariants; the stream tracker is fed the same bytes cut into segments,
 * with retransmissions (some corrupted), early segments and
 * acknowledgments, all drawn from a hash of the input; every byte it lets
 * through, a corrupted one too, must equal the reference rewrite of the
 * uncut stream (sccp_test.h), unless the receiver acknowledged it (and
 * so discards it). The byte ring comes on demand (ops->ring, refused now
 * and then: SCCP_ST_NOBUF) and goes back whenever every byte is
 * acknowledged, as the module's pool does. Seeds: the captured streams (corpus/fuzz_sccp/, copies of
 * data/sccp/*.bin) and corpus/fuzz_sccp.dict.
 *	scripts/fuzz.sh -t 60 fuzz_sccp		(from the top)
 *	make fuzz CC=clang &&
 *	  ../build/userspace/tests/fuzz_sccp -dict=tests/corpus/fuzz_sccp.dict \
 *		-max_total_time=60 $(mktemp -d) tests/corpus/fuzz_sccp
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
			fprintf(stderr, "fuzz_sccp: %s:%d: %s\n",	\
				__FILE__, __LINE__, #c);		\
			abort();					\
		}							\
	} while (0)

static void check_msg(const struct sccp_msg *m)
{
	unsigned int i, end = SCCP_HDR_LEN;

	CHECK(m->n_ep <= SCCP_MAX_EP);
	CHECK(m->need >= SCCP_HDR_LEN && m->need <= m->hdr.size &&
	      m->need <= SCCP_PREFIX_MAX);
	for (i = 0; i < m->n_ep; i++) {
		const struct sccp_ep *e = &m->ep[i];

		CHECK(e->off >= end);
		CHECK(e->len && e->len <= SCCP_EP_MAX_LEN);
		CHECK(e->off + e->len <= m->hdr.size);
		CHECK(e->off + e->len <= m->need);
		end = e->off + e->len;
	}
	CHECK(m->name[16] == '\0');
}

/*
 * The key block of a whole PDU @p: where the decoder put it, inside the
 * body; read, then a fresh key written in place into a copy changes
 * nothing but the block (the PDU decodes the same).
 */
static void check_key(const u8 *p, const struct sccp_msg *m, u8 hint)
{
	static u8 copy[SCCP_MAX_PDU];
	struct sccp_media_key k;
	struct sccp_msg again;
	u32 off = 0, i;
	int n;

	n = sccp_key_block(p, m->hdr.size, hint, &off);
	if (n < 0) {
		CHECK(m->key_len == 0);
		CHECK(n == SCCP_E_NO_KEY || n == SCCP_E_KEY_ABSENT);
		return;
	}
	CHECK(n == SCCP_KEY_BLOCK_LEN || n == SCCP_KEY_BLOCK_SHORT);
	CHECK(m->key_len == n && m->key_off == off);
	CHECK(off + n <= m->hdr.size);
	CHECK(!sccp_key_get(p + off, n, &k));
	(void)sccp_key_check(&k);
	memcpy(copy, p, m->hdr.size);
	memset(&k, 0, sizeof(k));
	k.alg = SCCP_KEY_AES_CM_128_SHA1_32;
	k.key_len = SCCP_KEY_AES_CM_KEY;
	k.salt_len = SCCP_KEY_AES_CM_SALT;
	memset(k.key, 0x5a, sizeof(k.key));
	memset(k.salt, 0xa5, SCCP_KEY_AES_CM_SALT);
	CHECK(!sccp_key_set(copy + off, n, &k));
	for (i = 0; i < m->hdr.size; i++)
		CHECK(copy[i] == p[i] || (i >= off && i < off + n));
	n = sccp_decode(copy, m->hdr.size, hint, &again);
	CHECK(n == 0 || n == SCCP_E_TRUNCATED);
	CHECK(again.n_ep == m->n_ep && again.key_off == m->key_off &&
	      again.key_len == m->key_len);
}

static void parse_all(const u8 *p, size_t len, u8 hint)
{
	struct sccp_msg m, q;
	size_t off = 0, avail;
	int err;

	while (off < len) {
		err = sccp_decode(p + off, len - off, hint, &m);
		if (err == SCCP_E_NEED_MORE || err == SCCP_E_NEED_HDR ||
		    err == SCCP_E_LENGTH || err == SCCP_E_TOO_BIG ||
		    err == SCCP_E_VERSION)
			break;
		CHECK(err == 0 || err == SCCP_E_TRUNCATED);
		check_msg(&m);
		check_key(p + off, &m, hint);
		/* every prefix lists the same endpoints */
		for (avail = SCCP_HDR_LEN; avail < m.hdr.size && avail < 400;
		     avail += 7) {
			err = sccp_decode_prefix(p + off, avail, m.layout, hint, &q);
			CHECK(err == 0 || err == SCCP_E_TRUNCATED);
			CHECK(q.n_ep == m.n_ep);
			check_msg(&q);
		}
		off += m.hdr.size;
	}
}

struct fctx {
	struct sccp_stream st;
	bool refuse;		/* ops->ring has none to give */
};

static u8 f_ring_mem[SCCP_STREAM_RING];

static int f_rewrite(void *c, const struct sccp_msg *m, unsigned int i,
		     struct sccp_addr *repl)
{
	struct fctx *x = c;

	CHECK(i < m->n_ep);
	check_msg(m);
	sccp_t_policy(&m->ep[i], x->st.stats.pdus - 1, repl);
	return SCCP_RW_REWRITE;
}

static int f_pdu(void *c, const struct sccp_msg *m, int err)
{
	(void)c;
	CHECK(err == 0 || err == SCCP_E_TRUNCATED);
	check_msg(m);
	return 0;
}

/* The module's pool (sccp_conn.c), of one ring, sometimes exhausted. */
static u8 *f_ring(void *c)
{
	struct fctx *x = c;

	return x->refuse ? NULL : f_ring_mem;
}

static const struct sccp_stream_ops f_ops = {
	.rewrite = f_rewrite,
	.pdu = f_pdu,
	.ring = f_ring,
};

static u64 rng;

static u32 next(u32 n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return n ? (u32)(rng >> 33) % n : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fctx x;
	size_t i, len, sent = 0, acked = 0, a, b, fail_pdu = SIZE_MAX;
	size_t mismatch = SIZE_MAX, flip;
	bool guessing = false, had_ring;
	u8 *want, *seg, *got, hint;
	u64 h = 1469598103934665603ULL;
	unsigned int pdus;
	struct sccp_hdr hdr;
	struct sccp_msg rm;
	int v, err = 0;
	u32 isn;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 1099511628211ULL;
	rng = h;
	hint = (u8[]){ 0, 0, 11, 20 }[next(4)];

	parse_all(data, size, hint);

	/* Stream: only whole PDUs, unless it ends on a framing error. */
	want = malloc(size + 1);
	seg = malloc(size + 1);
	got = calloc(1, size + 1);
	len = sccp_t_reference(data, size, want, hint, &rm, &pdus, NULL, 0);
	if (len < size && sccp_frame(data + len, size - len, &hdr) != SCCP_E_NEED_HDR &&
	    sccp_frame(data + len, size - len, &hdr) != 0)
		len = size;

	isn = (u32)next(0xffffffff);
	sccp_stream_init(&x.st, isn);
	while (sent < len && !err) {
		b = sent + 1 + next(next(4) ? 48 : 600);
		if (b > len)
			b = len;
		a = sent;
		switch (next(8)) {
		case 0:		/* ahead of time */
			a = sent + 1 + next(40);
			if (a >= len)
				continue;
			b = a + 1 + next((u32)(len - a));
			break;
		case 1:
		case 2:		/* retransmission, maybe with new bytes */
			a = sent > 400 ? sent - 400 + next(400) : next((u32)sent + 1);
			break;
		}
		if (b <= a)
			continue;
		memcpy(seg, data + a, b - a);
		flip = SIZE_MAX;
		if (a < sent && !next(16)) {
			/* a retransmission that differs from the first copy */
			flip = a + next((u32)(sent - a));
			seg[flip - a] ^= (u8)(1 + next(255));
		}
		x.refuse = !next(8);
		had_ring = x.st.ring;
		v = sccp_stream_segment(&x.st, isn + (u32)a, seg, (u32)(b - a),
					&f_ops, &x);
		/* refused only for new bytes with no ring, and then no ring */
		CHECK((v == SCCP_ST_NOBUF) ==
		      (x.refuse && !had_ring && a <= sent && b > sent &&
		       v >= 0 && v != SCCP_ST_CONFLICT && v != SCCP_ST_STALE));
		CHECK(v != SCCP_ST_NOBUF || !x.st.ring);
		CHECK(!x.st.ring || x.st.ring == f_ring_mem);
		if (v < 0) {
			err = v;
			fail_pdu = x.st.pdu_seq - isn;
			guessing = x.st.tentative;
			break;
		}
		CHECK((v == SCCP_ST_OOO) == (a > sent));
		/* a changed byte never passes, unless the receiver has it */
		CHECK(v != SCCP_ST_CONFLICT || flip != SIZE_MAX);
		if (v != SCCP_ST_FORWARD)
			continue;
		for (i = a; i < b; i++) {
			/*
			 * Every byte let through, the changed one too: only
			 * bytes the receiver acknowledged (it discards them)
			 * may differ.
			 */
			if (seg[i - a] != want[i] && i >= acked && i < mismatch)
				mismatch = i;
			got[i] = 1;
		}
		if (b > sent)
			sent = b;
		if (next(2) && sent > acked) {
			acked += next((u32)(sent - acked) + 1);
			sccp_stream_ack(&x.st, isn + (u32)acked);
		}
		/* everything acknowledged: the ring goes back to the pool */
		CHECK(sccp_stream_ring_idle(&x.st) ==
		      (x.st.ring && acked == sent));
		if (sccp_stream_ring_idle(&x.st))
			CHECK(sccp_stream_ring_detach(&x.st) == f_ring_mem);
	}
	if (!err) {
		for (i = 0; i < len; i++)
			CHECK(got[i]);
		CHECK(x.st.stats.pdus == pdus);
	} else {
		CHECK(err == SCCP_E_LENGTH || err == SCCP_E_TOO_BIG ||
		      err == SCCP_E_VERSION || err == SCCP_E_LAYOUT);
		CHECK(fail_pdu <= len);
	}
	/*
	 * Every byte let through is the reference's, except in a PDU whose
	 * layout had to be guessed from part of it and was then refuted, or
	 * still unconfirmed when the stream died: the stream is dead from
	 * there, and the guess only ever covers bytes seen as ipAddrType
	 * 0..2 and zeros.
	 */
	CHECK(mismatch == SIZE_MAX ||
	      ((err == SCCP_E_LAYOUT || guessing) && mismatch >= fail_pdu));
	free(want);
	free(seg);
	free(got);
	return 0;
}
