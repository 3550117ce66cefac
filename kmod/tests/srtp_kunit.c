// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The SRTP/SRTCP engine (srtp.c) against oracles independent of it:
 * RFC 3711 appendix B (the AES-CM keystream, the key derivation) and
 * packets libsrtp2 protected (srtp_vectors.h, made by
 * userspace/tests/srtp_vectors.c): our protect gives libsrtp2's bytes,
 * our unprotect gives the plain packet back. Then what an attacker
 * tries: replays, flipped bits, another key, truncated packets, packets
 * older than the window. srtp.c is included for its static functions.
 */
#include "../srtp.c"

#include <linux/slab.h>

#include "pp_kunit.h"
#include "srtp_vectors.h"

/* Packet buffers: heap (linear) memory with room for any trailer. */
#define PP_KT_BUF	2048

static u8 *pp_kt_buf(struct kunit *test)
{
	u8 *b = kunit_kzalloc(test, PP_KT_BUF, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	return b;
}

static struct pp_srtp_ctx *pp_kt_ctx(struct kunit *test, int suite,
				     enum pp_srtp_dir dir, const u8 *key)
{
	struct pp_srtp_ctx *c;

	c = pp_srtp_alloc(suite == 32 ? PP_SRTP_AES_CM_128_HMAC_SHA1_32 :
					PP_SRTP_AES_CM_128_HMAC_SHA1_80,
			  dir, key, key + PP_SRTP_KEY_LEN);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	return c;
}

static int pp_kt_unprotect(struct pp_srtp_ctx *c, bool rtcp, u8 *buf,
			   unsigned int len)
{
	return rtcp ? pp_srtcp_unprotect(c, buf, len) :
		      pp_srtp_unprotect(c, buf, len);
}

static int pp_kt_protect(struct pp_srtp_ctx *c, bool rtcp, u8 *buf,
			 unsigned int len)
{
	return rtcp ? pp_srtcp_protect(c, buf, len, PP_KT_BUF - len) :
		      pp_srtp_protect(c, buf, len, PP_KT_BUF - len);
}

/* ---- RFC 3711 appendix B --------------------------------------------- */

static const u8 pp_kt_b2_key[] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};

static const u8 pp_kt_b2_salt[] = {
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
	0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd,
};

/* B.2: the keystream blocks of counters 0000, 0001, 0002. */
static const u8 pp_kt_b2_first[] = {
	0xe0, 0x3e, 0xad, 0x09, 0x35, 0xc9, 0x5e, 0x80,
	0xe1, 0x66, 0xb1, 0x6d, 0xd9, 0x2b, 0x4e, 0xb4,
	0xd2, 0x35, 0x13, 0x16, 0x2b, 0x02, 0xd0, 0xf7,
	0x2a, 0x43, 0xa2, 0xfe, 0x4a, 0x5f, 0x97, 0xab,
	0x41, 0xe9, 0x5b, 0x3b, 0xb0, 0xa2, 0xe8, 0xdd,
	0x47, 0x79, 0x01, 0xe4, 0xfc, 0xa8, 0x94, 0xc0,
};

/* B.2: counters feff, ff00, ff01. */
static const u8 pp_kt_b2_last[] = {
	0xec, 0x8c, 0xdf, 0x73, 0x98, 0x60, 0x7c, 0xb0,
	0xf2, 0xd2, 0x16, 0x75, 0xea, 0x9e, 0xa1, 0xe4,
	0x36, 0x2b, 0x7c, 0x3c, 0x67, 0x73, 0x51, 0x63,
	0x18, 0xa0, 0x77, 0xd7, 0xfc, 0x50, 0x73, 0xae,
	0x6a, 0x2c, 0xc3, 0x78, 0x78, 0x89, 0x37, 0x4f,
	0xbe, 0xb4, 0xc8, 0x1b, 0x17, 0xba, 0x6c, 0x44,
};

static void pp_srtp_rfc3711_b2_aes_cm_keystream(struct kunit *test)
{
	struct crypto_sync_skcipher *tfm;
	u8 iv[PP_SRTP_IV];
	u8 *buf = pp_kt_buf(test);

	tfm = crypto_alloc_sync_skcipher("ctr(aes)", 0, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tfm);
	kunit_info(test, "ctr(aes) is %s",
		   crypto_skcipher_driver_name(&tfm->base));
	KUNIT_ASSERT_EQ(test, crypto_sync_skcipher_setkey(tfm, pp_kt_b2_key,
							  16), 0);
	/* SSRC 0, ROC 0, SEQ 0: the IV is the salt. */
	pp_srtp_iv(iv, pp_kt_b2_salt, 0, 0);
	KUNIT_EXPECT_EQ(test, pp_srtp_ctr(tfm, iv, buf, 48), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, pp_kt_b2_first, 48), 0);
	/* The same keystream from the same IV: XOR back to zero. */
	KUNIT_EXPECT_EQ(test, pp_srtp_ctr(tfm, iv, buf, 48), 0);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(buf, 0, 48), NULL);
	iv[14] = 0xfe;
	iv[15] = 0xff;
	KUNIT_EXPECT_EQ(test, pp_srtp_ctr(tfm, iv, buf, 48), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, pp_kt_b2_last, 48), 0);
	crypto_free_sync_skcipher(tfm);
}

/* B.3 */
static const u8 pp_kt_b3_master[] = {
	0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0,
	0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39,
};

static const u8 pp_kt_b3_salt[] = {
	0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb,
	0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6,
};

static const u8 pp_kt_b3_enc[] = {
	0xc6, 0x1e, 0x7a, 0x93, 0x74, 0x4f, 0x39, 0xee,
	0x10, 0x73, 0x4a, 0xfe, 0x3f, 0xf7, 0xa0, 0x87,
};

static const u8 pp_kt_b3_ssalt[] = {
	0x30, 0xcb, 0xbc, 0x08, 0x86, 0x3d, 0x8c, 0x85,
	0xd4, 0x9d, 0xb3, 0x4a, 0x9a, 0xe1,
};

/* The first 20 bytes (HMAC-SHA1's key) of B.3's authentication key. */
static const u8 pp_kt_b3_auth[] = {
	0xce, 0xbe, 0x32, 0x1f, 0x6f, 0xf7, 0x71, 0x6b,
	0x6f, 0xd4, 0xab, 0x49, 0xaf, 0x25, 0x6a, 0x15,
	0x6d, 0x38, 0xba, 0xa4,
};

static void pp_srtp_rfc3711_b3_key_derivation(struct kunit *test)
{
	struct crypto_sync_skcipher *tfm;
	struct pp_srtp_keys *k;

	k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, k);
	tfm = crypto_alloc_sync_skcipher("ctr(aes)", 0, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tfm);
	KUNIT_ASSERT_EQ(test, crypto_sync_skcipher_setkey(tfm, pp_kt_b3_master,
							  16), 0);
	KUNIT_EXPECT_EQ(test, pp_srtp_derive(tfm, pp_kt_b3_salt, PP_SRTP_RTP,
					     k), 0);
	KUNIT_EXPECT_EQ(test, memcmp(k->enc, pp_kt_b3_enc, 16), 0);
	KUNIT_EXPECT_EQ(test, memcmp(k->salt, pp_kt_b3_ssalt, 14), 0);
	KUNIT_EXPECT_EQ(test, memcmp(k->auth, pp_kt_b3_auth, 20), 0);
	crypto_free_sync_skcipher(tfm);
}

/* ---- libsrtp2's packets ---------------------------------------------- */

static void pp_srtp_protect_gives_libsrtp_bytes(struct kunit *test)
{
	u8 *buf = pp_kt_buf(test);
	unsigned int s, n;
	int len;

	for (s = 0; s < ARRAY_SIZE(pp_srtp_vectors); s++) {
		const struct pp_srtp_vec_session *v = &pp_srtp_vectors[s];
		struct pp_srtp_ctx *c;

		if (v->rtcp && !v->encrypted)
			continue;	/* we always encrypt (E = 1) */
		c = pp_kt_ctx(test, v->suite, PP_SRTP_TX, v->key);
		for (n = 0; n < v->n_pkts; n++) {
			const struct pp_srtp_vec_pkt *p = &v->pkts[n];

			memcpy(buf, p->plain, p->plain_len);
			len = pp_kt_protect(c, v->rtcp, buf, p->plain_len);
			KUNIT_EXPECT_EQ_MSG(test, len, (int)p->prot_len,
					    "%s: packet %u", v->what, n);
			if (len == p->prot_len)
				KUNIT_EXPECT_EQ_MSG(test,
						    memcmp(buf, p->prot, len),
						    0, "%s: packet %u",
						    v->what, n);
		}
		pp_srtp_free(c);
	}
}

static void pp_srtp_unprotect_gives_plain(struct kunit *test)
{
	u8 *buf = pp_kt_buf(test);
	unsigned int s, n;
	int len;

	for (s = 0; s < ARRAY_SIZE(pp_srtp_vectors); s++) {
		const struct pp_srtp_vec_session *v = &pp_srtp_vectors[s];
		struct pp_srtp_ctx *c;

		c = pp_kt_ctx(test, v->suite, PP_SRTP_RX, v->key);
		for (n = 0; n < v->n_pkts; n++) {
			const struct pp_srtp_vec_pkt *p = &v->pkts[n];

			memcpy(buf, p->prot, p->prot_len);
			len = pp_kt_unprotect(c, v->rtcp, buf, p->prot_len);
			KUNIT_EXPECT_EQ_MSG(test, len, (int)p->plain_len,
					    "%s: packet %u", v->what, n);
			if (len == p->plain_len)
				KUNIT_EXPECT_EQ_MSG(test,
						    memcmp(buf, p->plain, len),
						    0, "%s: packet %u",
						    v->what, n);
		}
		/* The wrap: ROC 1 after 65535 (sessions 0 and 1). */
		if (!v->rtcp && v->pkts[0].plain[2] == 0xff)
			KUNIT_EXPECT_EQ_MSG(test, c->rtp.src[0].top >> 16, 1ULL, "%s",
					    v->what);
		pp_srtp_free(c);
	}
}

/* Every packet replayed after it was accepted: -EALREADY, nothing else. */
static void pp_srtp_replayed_packet_refused(struct kunit *test)
{
	u8 *buf = pp_kt_buf(test);
	unsigned int s, n, m;
	int len;

	for (s = 0; s < ARRAY_SIZE(pp_srtp_vectors); s++) {
		const struct pp_srtp_vec_session *v = &pp_srtp_vectors[s];
		struct pp_srtp_ctx *c;

		c = pp_kt_ctx(test, v->suite, PP_SRTP_RX, v->key);
		for (n = 0; n < v->n_pkts; n++) {
			const struct pp_srtp_vec_pkt *p = &v->pkts[n];

			memcpy(buf, p->prot, p->prot_len);
			len = pp_kt_unprotect(c, v->rtcp, buf, p->prot_len);
			KUNIT_EXPECT_EQ(test, len, (int)p->plain_len);
			for (m = 0; m <= n; m++) {
				p = &v->pkts[m];
				memcpy(buf, p->prot, p->prot_len);
				len = pp_kt_unprotect(c, v->rtcp, buf,
						      p->prot_len);
				KUNIT_EXPECT_EQ_MSG(test, len, -EALREADY,
						    "%s: packet %u after %u",
						    v->what, m, n);
				/* Refused packets are left alone. */
				KUNIT_EXPECT_EQ(test, memcmp(buf, p->prot,
							     p->prot_len), 0);
			}
		}
		pp_srtp_free(c);
	}
}

/*
 * One flipped bit anywhere, header, payload, E|index or tag: an
 * authentication failure, which changes nothing (the genuine packet is
 * accepted afterwards). Then, once the SSRC is known, a packet flipped
 * in its SSRC is another stream's (-ESRCH).
 */
static void pp_srtp_flipped_bit_refused(struct kunit *test)
{
	u8 *buf = pp_kt_buf(test);
	unsigned int s, bit;
	int len;

	for (s = 0; s < ARRAY_SIZE(pp_srtp_vectors); s++) {
		const struct pp_srtp_vec_session *v = &pp_srtp_vectors[s];
		const struct pp_srtp_vec_pkt *p = &v->pkts[0];
		unsigned int fails = 0;
		struct pp_srtp_ctx *c;

		c = pp_kt_ctx(test, v->suite, PP_SRTP_RX, v->key);
		for (bit = 0; bit < p->prot_len * 8; bit++) {
			memcpy(buf, p->prot, p->prot_len);
			buf[bit / 8] ^= BIT(bit % 8);
			len = pp_kt_unprotect(c, v->rtcp, buf, p->prot_len);
			if (len != -EBADMSG) {
				KUNIT_FAIL(test, "%s: bit %u flipped: %d",
					   v->what, bit, len);
				if (++fails > 4)
					break;
			}
		}
		memcpy(buf, p->prot, p->prot_len);
		KUNIT_EXPECT_EQ(test, pp_kt_unprotect(c, v->rtcp, buf,
						      p->prot_len),
				(int)p->plain_len);
		p = &v->pkts[1];
		memcpy(buf, p->prot, p->prot_len);
		buf[v->rtcp ? 4 : 8] ^= 0x80;
		KUNIT_EXPECT_EQ(test, pp_kt_unprotect(c, v->rtcp, buf,
						      p->prot_len), -ESRCH);
		memcpy(buf, p->prot, p->prot_len);
		buf[p->prot_len - 1] ^= 1;
		KUNIT_EXPECT_EQ(test, pp_kt_unprotect(c, v->rtcp, buf,
						      p->prot_len), -EBADMSG);
		memcpy(buf, p->prot, p->prot_len);
		KUNIT_EXPECT_EQ(test, pp_kt_unprotect(c, v->rtcp, buf,
						      p->prot_len),
				(int)p->plain_len);
		pp_srtp_free(c);
	}
}

/* The right packets under another master key, or salt: refused. */
static void pp_srtp_wrong_key_refused(struct kunit *test)
{
	const struct pp_srtp_vec_session *v = &pp_srtp_vectors[0];
	const struct pp_srtp_vec_pkt *p = &v->pkts[0];
	u8 *buf = pp_kt_buf(test);
	u8 key[PP_SRTP_KEY_LEN + PP_SRTP_SALT_LEN];
	struct pp_srtp_ctx *c;
	unsigned int i;

	/* The other sessions' keys, one flipped bit of key or salt. */
	for (i = 0; i < ARRAY_SIZE(pp_srtp_vectors) + 2; i++) {
		if (i < ARRAY_SIZE(pp_srtp_vectors)) {
			if (pp_srtp_vectors[i].key == v->key)
				continue;
			memcpy(key, pp_srtp_vectors[i].key, sizeof(key));
		} else {
			memcpy(key, v->key, sizeof(key));
			key[i == ARRAY_SIZE(pp_srtp_vectors) ? 3 : 20] ^= 4;
		}
		c = pp_kt_ctx(test, v->suite, PP_SRTP_RX, key);
		memcpy(buf, p->prot, p->prot_len);
		KUNIT_EXPECT_EQ_MSG(test, pp_srtp_unprotect(c, buf, p->prot_len),
				    -EBADMSG, "key %u", i);
		memcpy(buf, v->pkts[1].prot, v->pkts[1].prot_len);
		KUNIT_EXPECT_EQ_MSG(test, pp_srtp_unprotect(c, buf,
							    v->pkts[1].prot_len),
				    -EBADMSG, "key %u", i);
		pp_srtp_free(c);
	}
	memzero_explicit(key, sizeof(key));
}

/* Shorter than header and trailer: -EMSGSIZE; no room for it: -ENOBUFS. */
static void pp_srtp_truncated_refused(struct kunit *test)
{
	const struct pp_srtp_vec_session *rtp = &pp_srtp_vectors[1]; /* _32 */
	const struct pp_srtp_vec_session *rtcp = &pp_srtp_vectors[5];
	u8 *buf = pp_kt_buf(test);
	struct pp_srtp_ctx *rx, *tx;
	unsigned int len;

	rx = pp_kt_ctx(test, rtp->suite, PP_SRTP_RX, rtp->key);
	for (len = 0; len < 12 + 4; len++) {
		memcpy(buf, rtp->pkts[0].prot, len);
		KUNIT_EXPECT_EQ_MSG(test, pp_srtp_unprotect(rx, buf, len),
				    -EMSGSIZE, "length %u", len);
	}
	/* Cut anywhere above: the tag does not match. */
	for (; len < rtp->pkts[0].prot_len; len += 7) {
		memcpy(buf, rtp->pkts[0].prot, len);
		KUNIT_EXPECT_EQ_MSG(test, pp_srtp_unprotect(rx, buf, len),
				    -EBADMSG, "length %u", len);
	}
	pp_srtp_free(rx);

	rx = pp_kt_ctx(test, rtcp->suite, PP_SRTP_RX, rtcp->key);
	for (len = 0; len < 8 + 4 + 10; len++) {
		memcpy(buf, rtcp->pkts[0].prot, len);
		KUNIT_EXPECT_EQ_MSG(test, pp_srtcp_unprotect(rx, buf, len),
				    -EMSGSIZE, "length %u", len);
	}
	pp_srtp_free(rx);

	tx = pp_kt_ctx(test, rtp->suite, PP_SRTP_TX, rtp->key);
	memcpy(buf, rtp->pkts[0].plain, rtp->pkts[0].plain_len);
	KUNIT_EXPECT_EQ(test, pp_srtp_protect(tx, buf, 11, 100), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pp_srtp_protect(tx, buf, rtp->pkts[0].plain_len,
					      3), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, pp_srtcp_protect(tx, buf, 7, 100), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pp_srtcp_protect(tx, buf, 8, 13), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, memcmp(buf, rtp->pkts[0].plain,
				     rtp->pkts[0].plain_len), 0);
	/* A CSRC count beyond the packet. */
	buf[0] |= 0x0f;
	KUNIT_EXPECT_EQ(test, pp_srtp_protect(tx, buf, 40, 100), -EPROTO);
	/* A sender does not unprotect, a receiver does not protect. */
	KUNIT_EXPECT_EQ(test, pp_srtp_unprotect(tx, buf, 100), -EINVAL);
	KUNIT_EXPECT_EQ(test, pp_srtcp_unprotect(tx, buf, 100), -EINVAL);
	pp_srtp_free(tx);
	rx = pp_kt_ctx(test, rtp->suite, PP_SRTP_RX, rtp->key);
	KUNIT_EXPECT_EQ(test, pp_srtp_protect(rx, buf, 100, 100), -EINVAL);
	KUNIT_EXPECT_EQ(test, pp_srtcp_protect(rx, buf, 100, 100), -EINVAL);
	pp_srtp_free(rx);
}

/* ---- The window, on packets of our sender ---------------------------- */

#define PP_KT_PKT	(12 + 20)

struct pp_kt_stream {
	u8 *pkt[PP_SRTP_WINDOW * 3];
	int len[PP_SRTP_WINDOW * 3];
};

/* Protect @n packets of @ssrc, sequence numbers @seq0 on, in order. */
static struct pp_kt_stream *pp_kt_stream(struct kunit *test,
					 struct pp_srtp_ctx *tx, u32 ssrc,
					 u16 seq0, unsigned int n)
{
	struct pp_kt_stream *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, st);
	KUNIT_ASSERT_LE(test, n, ARRAY_SIZE(st->pkt));
	for (i = 0; i < n; i++) {
		u8 *b = kunit_kzalloc(test, PP_KT_PKT + 16, GFP_KERNEL);

		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
		b[0] = 0x80;
		put_unaligned_be16(seq0 + i, b + 2);
		put_unaligned_be32(ssrc, b + 8);
		memset(b + 12, i, 20);
		st->pkt[i] = b;
		st->len[i] = pp_srtp_protect(tx, b, PP_KT_PKT, 16);
		KUNIT_ASSERT_EQ(test, st->len[i], PP_KT_PKT + tx->tag_len);
	}
	return st;
}

/* Unprotect a copy of packet @i of @st. */
static int pp_kt_rx(struct kunit *test, struct pp_srtp_ctx *rx,
		    struct pp_kt_stream *st, unsigned int i)
{
	u8 *buf = kmalloc(PP_KT_BUF, GFP_KERNEL);
	int len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memcpy(buf, st->pkt[i], st->len[i]);
	len = pp_srtp_unprotect(rx, buf, st->len[i]);
	if (len == PP_KT_PKT)
		KUNIT_EXPECT_EQ_MSG(test, buf[12], (u8)i, "packet %u", i);
	kfree(buf);
	return len;
}

static const u8 pp_kt_key[30] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

static void pp_srtp_window_edges(struct kunit *test)
{
	struct pp_srtp_ctx *tx, *rx;
	struct pp_kt_stream *st;
	unsigned int i;

	tx = pp_kt_ctx(test, 80, PP_SRTP_TX, pp_kt_key);
	rx = pp_kt_ctx(test, 80, PP_SRTP_RX, pp_kt_key);
	st = pp_kt_stream(test, tx, 0x0badcafe, 1000, 300);
	/* Our sender never sends an index twice. */
	KUNIT_EXPECT_EQ(test, pp_srtp_protect(tx, st->pkt[0], PP_KT_PKT, 16),
			-EALREADY);

	/* The newest first: then 127 behind is in the window, 128 not. */
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 200), PP_KT_PKT);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 72), -EALREADY);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 73), PP_KT_PKT);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 73), -EALREADY);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 0), -EALREADY);
	/* Late but in the window, each once. */
	for (i = 199; i > 73; i -= 9) {
		KUNIT_EXPECT_EQ_MSG(test, pp_kt_rx(test, rx, st, i), PP_KT_PKT,
				    "packet %u", i);
		KUNIT_EXPECT_EQ_MSG(test, pp_kt_rx(test, rx, st, i), -EALREADY,
				    "packet %u", i);
	}
	/* Ahead by one slides the window: 73 falls out, 74 is in. */
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 201), PP_KT_PKT);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 74), PP_KT_PKT);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 74), -EALREADY);
	/* Ahead by 64 and by more than the window. */
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 265), PP_KT_PKT);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 201), -EALREADY);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 200), -EALREADY);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 202), PP_KT_PKT);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 138), PP_KT_PKT);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rx, st, 137), -EALREADY);
	/* Every packet from 202 on still comes once, and once only. */
	for (i = 203; i < 300; i++) {
		if (i == 265)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, pp_kt_rx(test, rx, st, i), PP_KT_PKT,
				    "packet %u", i);
	}
	/* At 299 now: 171 and older are out of the window, seen or not. */
	for (i = 0; i <= 171; i++)
		KUNIT_EXPECT_EQ_MSG(test, pp_kt_rx(test, rx, st, i), -EALREADY,
				    "packet %u", i);
	/* 172 on: those not seen yet come once (199, 190... 172 were). */
	for (i = 172; i < 300; i++) {
		if (i < 200 && (199 - i) % 9)
			KUNIT_EXPECT_EQ_MSG(test, pp_kt_rx(test, rx, st, i),
					    PP_KT_PKT, "packet %u", i);
		KUNIT_EXPECT_EQ_MSG(test, pp_kt_rx(test, rx, st, i), -EALREADY,
				    "packet %u", i);
	}
	pp_srtp_free(rx);
	pp_srtp_free(tx);
}

/* Reordered around the wrap: each packet gets the ROC it was sent with. */
static void pp_srtp_reordered_across_wrap(struct kunit *test)
{
	static const unsigned int order[] = { 0, 2, 1, 4, 3, 5, 7, 6, 9, 8 };
	struct pp_srtp_ctx *tx, *rx;
	struct pp_kt_stream *st;
	unsigned int i;

	tx = pp_kt_ctx(test, 32, PP_SRTP_TX, pp_kt_key);
	rx = pp_kt_ctx(test, 32, PP_SRTP_RX, pp_kt_key);
	/* Sequence numbers 65531..65535, 0..4. */
	st = pp_kt_stream(test, tx, 0x600df00d, 65531, 10);
	KUNIT_EXPECT_EQ(test, tx->rtp.src[0].top, (1ULL << 16) | 4);
	for (i = 0; i < ARRAY_SIZE(order); i++)
		KUNIT_EXPECT_EQ_MSG(test, pp_kt_rx(test, rx, st, order[i]),
				    PP_KT_PKT, "packet %u", order[i]);
	KUNIT_EXPECT_EQ(test, rx->rtp.src[0].top, (1ULL << 16) | 4);
	pp_srtp_free(rx);
	pp_srtp_free(tx);
}

/* ROC estimation of RFC 3711 3.3.1, as libsrtp (ROC 0: never -1). */
static void pp_srtp_index_guess(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pp_srtp_guess(0, 65535), 65535ULL);
	KUNIT_EXPECT_EQ(test, pp_srtp_guess(100, 40000), 40000ULL);
	KUNIT_EXPECT_EQ(test, pp_srtp_guess(65535, 0), 65536ULL);
	KUNIT_EXPECT_EQ(test, pp_srtp_guess(65535, 32766), 65536ULL + 32766);
	KUNIT_EXPECT_EQ(test, pp_srtp_guess(65535, 32767), 32767ULL);
	KUNIT_EXPECT_EQ(test, pp_srtp_guess(65536 + 5, 65535), 65535ULL);
	KUNIT_EXPECT_EQ(test, pp_srtp_guess(65536 + 5, 6), 65536ULL + 6);
	KUNIT_EXPECT_EQ(test, pp_srtp_guess(3ULL << 16 | 40000, 7000),
			4ULL << 16 | 7000);
}

/* The SRTCP index space of a key: 2^31 - 1 packets, then -EKEYEXPIRED. */
static void pp_srtcp_index_exhausted(struct kunit *test)
{
	const struct pp_srtp_vec_session *v = &pp_srtp_vectors[5];
	u8 *buf = pp_kt_buf(test);
	struct pp_srtp_ctx *tx;
	int len;

	tx = pp_kt_ctx(test, 80, PP_SRTP_TX, v->key);
	tx->rtcp.src[0].top = PP_SRTCP_MAX - 1;
	memcpy(buf, v->pkts[0].plain, v->pkts[0].plain_len);
	len = pp_srtcp_protect(tx, buf, v->pkts[0].plain_len, 100);
	KUNIT_EXPECT_EQ(test, len, (int)v->pkts[0].plain_len + 14);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(buf + len - 14),
			0xffffffffU);
	memcpy(buf, v->pkts[0].plain, v->pkts[0].plain_len);
	KUNIT_EXPECT_EQ(test, pp_srtcp_protect(tx, buf, v->pkts[0].plain_len,
					       100), -EKEYEXPIRED);
	pp_srtp_free(tx);
}

/* An RTCP sender report of @ssrc, protected by @tx: its SRTCP index. */
static u32 pp_kt_rtcp_index(struct kunit *test, struct pp_srtp_ctx *tx,
			    u32 ssrc)
{
	u8 *buf = pp_kt_buf(test);
	int len;

	buf[0] = 0x80;
	buf[1] = 200;
	put_unaligned_be16(6, buf + 2);
	put_unaligned_be32(ssrc, buf + 4);
	len = pp_srtcp_protect(tx, buf, 28, PP_KT_BUF - 28);
	if (len < 0)
		return len;
	KUNIT_EXPECT_EQ(test, len, 28 + PP_SRTCP_TRAILER);
	return get_unaligned_be32(buf + 28) & PP_SRTCP_MAX;
}

/*
 * The far end changes its SSRC in the middle of a channel and comes back
 * to the first: the sender keeps each SSRC's index (no keystream twice),
 * up to PP_SRTP_TX_SSRCS of them; a receiver keeps to the first.
 */
static void pp_srtp_sender_ssrc_change(struct kunit *test)
{
	struct pp_kt_stream *a, *b, *a2, *c;
	struct pp_srtp_ctx *tx, *rxa, *rxb;
	u8 *buf = pp_kt_buf(test);
	unsigned int i;

	tx = pp_kt_ctx(test, 32, PP_SRTP_TX, pp_kt_key);
	rxa = pp_kt_ctx(test, 32, PP_SRTP_RX, pp_kt_key);
	rxb = pp_kt_ctx(test, 32, PP_SRTP_RX, pp_kt_key);
	a = pp_kt_stream(test, tx, 0xaaaa0001, 1000, 5);
	/* B starts its own sequence: its index is its own. */
	b = pp_kt_stream(test, tx, 0xbbbb0002, 1000, 5);
	a2 = pp_kt_stream(test, tx, 0xaaaa0001, 1005, 5);
	for (i = 0; i < 5; i++) {
		KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rxa, a, i), PP_KT_PKT);
		KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rxb, b, i), PP_KT_PKT);
		KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rxa, a2, i), PP_KT_PKT);
	}
	/* A receiver keeps the SSRC it took first. */
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rxa, b, 0), -ESRCH);
	/* A's 1000 again would reuse its keystream: refused. */
	buf[0] = 0x80;
	put_unaligned_be16(1000, buf + 2);
	put_unaligned_be32(0xaaaa0001, buf + 8);
	KUNIT_EXPECT_EQ(test, pp_srtp_protect(tx, buf, PP_KT_PKT, 16),
			-EALREADY);
	/* Two more SSRCs fit; a fifth is refused, the others go on. */
	pp_kt_stream(test, tx, 0xcccc0003, 1, 1);
	pp_kt_stream(test, tx, 0xdddd0004, 1, 1);
	put_unaligned_be16(1, buf + 2);
	put_unaligned_be32(0xeeee0005, buf + 8);
	KUNIT_EXPECT_EQ(test, pp_srtp_protect(tx, buf, PP_KT_PKT, 16), -ESRCH);
	c = pp_kt_stream(test, tx, 0xbbbb0002, 1005, 1);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, rxb, c, 0), PP_KT_PKT);

	/* SRTCP: each SSRC counts its own index from 1. */
	KUNIT_EXPECT_EQ(test, pp_kt_rtcp_index(test, tx, 0xaaaa0001), 1U);
	KUNIT_EXPECT_EQ(test, pp_kt_rtcp_index(test, tx, 0xbbbb0002), 1U);
	KUNIT_EXPECT_EQ(test, pp_kt_rtcp_index(test, tx, 0xaaaa0001), 2U);
	pp_srtp_free(rxb);
	pp_srtp_free(rxa);
	pp_srtp_free(tx);
}

/* Bad suites and directions: refused at set-up. */
static void pp_srtp_alloc_refuses_bad_suite(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, PTR_ERR(pp_srtp_alloc(7, PP_SRTP_TX, pp_kt_key,
						    pp_kt_key + 16)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(pp_srtp_alloc(0, 9, pp_kt_key,
						    pp_kt_key + 16)), -EINVAL);
	pp_srtp_free(NULL);
	pp_srtp_free(ERR_PTR(-ENOMEM));
}

static struct kunit_case pp_srtp_cases[] = {
	KUNIT_CASE(pp_srtp_rfc3711_b2_aes_cm_keystream),
	KUNIT_CASE(pp_srtp_rfc3711_b3_key_derivation),
	KUNIT_CASE(pp_srtp_protect_gives_libsrtp_bytes),
	KUNIT_CASE(pp_srtp_unprotect_gives_plain),
	KUNIT_CASE(pp_srtp_replayed_packet_refused),
	KUNIT_CASE(pp_srtp_flipped_bit_refused),
	KUNIT_CASE(pp_srtp_wrong_key_refused),
	KUNIT_CASE(pp_srtp_truncated_refused),
	KUNIT_CASE(pp_srtp_window_edges),
	KUNIT_CASE(pp_srtp_reordered_across_wrap),
	KUNIT_CASE(pp_srtp_index_guess),
	KUNIT_CASE(pp_srtcp_index_exhausted),
	KUNIT_CASE(pp_srtp_sender_ssrc_change),
	KUNIT_CASE(pp_srtp_alloc_refuses_bad_suite),
	{}
};

struct kunit_suite pp_srtp_suite = {
	.name = "phoneproxy_srtp",
	.test_cases = pp_srtp_cases,
};
