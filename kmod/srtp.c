// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The SRTP/SRTCP engine: RFC 3711 for AES_CM_128_HMAC_SHA1_80 and _32
 * (see srtp.h for the API and who may call what, docs/srtp.md).
 *
 * Per context, set up in process context: two ctr(aes) transforms (RTP
 * and RTCP session keys) and two hmac(sha1) transforms (their session
 * authentication keys), keyed once. Per packet: on-stack requests only.
 * The index estimation and the replay window follow libsrtp (rdbx and
 * rdb), which implements the RFC's: a receiver and libsrtp agree on
 * every packet they accept, the vectors of the KUnit suite prove it.
 */
#include <asm/unaligned.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "srtp.h"

#define PP_SRTP_RTP	0
#define PP_SRTP_RTCP	1

#define PP_SRTP_HDR	12		/* fixed RTP header */
#define PP_SRTCP_HDR	8		/* first RTCP header: not encrypted */
#define PP_SRTP_SHA1	20		/* HMAC-SHA1 output, auth key */
#define PP_SRTP_IV	16
#define PP_SRTCP_E	BIT(31)
#define PP_SRTCP_MAX	0x7fffffffU	/* highest SRTCP index */
#define PP_SRTP_MAX	(BIT_ULL(48) - 1)	/* highest SRTP index */

/* ---- AES-CM and HMAC-SHA1 -------------------------------------------- */

/*
 * XOR @len bytes at @data with the AES-CM keystream of @tfm from the
 * counter block @iv (RFC 3711 4.1.1: the block counter is the IV plus
 * the block number, as ctr(aes) counts).
 */
static int pp_srtp_ctr(struct crypto_sync_skcipher *tfm, const u8 *iv,
		       u8 *data, unsigned int len)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(req, tfm);
	u8 ctr[PP_SRTP_IV];
	struct scatterlist sg;
	int err;

	if (!len)
		return 0;
	memcpy(ctr, iv, sizeof(ctr));
	sg_init_one(&sg, data, len);
	skcipher_request_set_sync_tfm(req, tfm);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	skcipher_request_set_crypt(req, &sg, &sg, len, ctr);
	err = crypto_skcipher_encrypt(req);
	skcipher_request_zero(req);
	memzero_explicit(ctr, sizeof(ctr));
	return err ? -EIO : 0;
}

/*
 * The packet IV (RFC 3711 4.1.1): (salt * 2^16) XOR (SSRC * 2^64) XOR
 * (index * 2^16), the low 16 bits the block counter from 0.
 */
static void pp_srtp_iv(u8 iv[PP_SRTP_IV], const u8 salt[PP_SRTP_SALT_LEN],
		       u32 ssrc, u64 index)
{
	unsigned int i;

	memcpy(iv, salt, PP_SRTP_SALT_LEN);
	iv[14] = 0;
	iv[15] = 0;
	for (i = 0; i < 4; i++)
		iv[4 + i] ^= ssrc >> (24 - 8 * i);
	for (i = 0; i < 6; i++)
		iv[8 + i] ^= index >> (40 - 8 * i);
}

/*
 * The full HMAC-SHA1 of @len bytes at @data, then the 4 bytes of @roc
 * when @with_roc (SRTP), into @mac.
 */
static int pp_srtp_hmac(struct crypto_shash *tfm, const u8 *data,
			unsigned int len, bool with_roc, u32 roc,
			u8 mac[PP_SRTP_SHA1])
{
	SHASH_DESC_ON_STACK(desc, tfm);
	__be32 roc_be = cpu_to_be32(roc);
	int err;

	desc->tfm = tfm;
	err = crypto_shash_init(desc) ?:
	      crypto_shash_update(desc, data, len);
	if (!err && with_roc)
		err = crypto_shash_update(desc, (const u8 *)&roc_be,
					  sizeof(roc_be));
	if (!err)
		err = crypto_shash_final(desc, mac);
	shash_desc_zero(desc);
	return err ? -EIO : 0;
}

/* ---- Key derivation -------------------------------------------------- */

struct pp_srtp_keys {
	u8 enc[PP_SRTP_KEY_LEN];
	u8 auth[PP_SRTP_SHA1];
	u8 salt[PP_SRTP_SALT_LEN];
};

/*
 * RFC 3711 4.3.1 with kdr 0 (r = 0): @len bytes of the AES-CM keystream
 * of the master key (in @tfm) from IV = (master salt XOR label * 2^48)
 * * 2^16, into @out (linear memory).
 */
static int pp_srtp_kdf(struct crypto_sync_skcipher *tfm,
		       const u8 salt[PP_SRTP_SALT_LEN], u8 label, u8 *out,
		       unsigned int len)
{
	u8 iv[PP_SRTP_IV] = {};

	memcpy(iv, salt, PP_SRTP_SALT_LEN);
	iv[7] ^= label;
	memset(out, 0, len);
	return pp_srtp_ctr(tfm, iv, out, len);
}

/* Labels 0-2 (@rtcp 0) or 3-5 (@rtcp 1) into @k. */
static int pp_srtp_derive(struct crypto_sync_skcipher *master,
			  const u8 salt[PP_SRTP_SALT_LEN], int rtcp,
			  struct pp_srtp_keys *k)
{
	u8 base = rtcp ? 3 : 0;

	return pp_srtp_kdf(master, salt, base, k->enc, sizeof(k->enc)) ?:
	       pp_srtp_kdf(master, salt, base + 1, k->auth, sizeof(k->auth)) ?:
	       pp_srtp_kdf(master, salt, base + 2, k->salt, sizeof(k->salt));
}

/* ---- Contexts -------------------------------------------------------- */

void pp_srtp_free(struct pp_srtp_ctx *c)
{
	int i;

	if (IS_ERR_OR_NULL(c))
		return;
	for (i = 0; i < 2; i++) {
		/* Both free their keyed state with kfree_sensitive(). */
		crypto_free_sync_skcipher(c->ctr[i]);
		crypto_free_shash(c->hmac[i]);
	}
	memzero_explicit(c, sizeof(*c));
	kfree(c);
}

static void pp_srtp_replay_init(struct pp_srtp_replay *r,
				enum pp_srtp_dir dir)
{
	spin_lock_init(&r->lock);
	r->max = dir == PP_SRTP_TX ? PP_SRTP_TX_SSRCS : 1;
}

struct pp_srtp_ctx *pp_srtp_alloc(enum pp_srtp_suite suite,
				  enum pp_srtp_dir dir,
				  const u8 key[PP_SRTP_KEY_LEN],
				  const u8 salt[PP_SRTP_SALT_LEN])
{
	struct pp_srtp_keys *k;
	struct pp_srtp_ctx *c;
	int i, err;

	if (suite != PP_SRTP_AES_CM_128_HMAC_SHA1_80 &&
	    suite != PP_SRTP_AES_CM_128_HMAC_SHA1_32)
		return ERR_PTR(-EINVAL);
	if (dir != PP_SRTP_TX && dir != PP_SRTP_RX)
		return ERR_PTR(-EINVAL);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	/* Linear scratch for the derived keys (they go into scatterlists). */
	k = kzalloc(2 * sizeof(*k), GFP_KERNEL);
	if (!c || !k) {
		err = -ENOMEM;
		goto err;
	}
	c->dir = dir;
	c->tag_len = suite == PP_SRTP_AES_CM_128_HMAC_SHA1_80 ? 10 : 4;
	pp_srtp_replay_init(&c->rtp, dir);
	pp_srtp_replay_init(&c->rtcp, dir);
	for (i = 0; i < 2; i++) {
		c->ctr[i] = crypto_alloc_sync_skcipher("ctr(aes)", 0, 0);
		if (IS_ERR(c->ctr[i])) {
			err = PTR_ERR(c->ctr[i]);
			c->ctr[i] = NULL;
			goto err;
		}
		c->hmac[i] = crypto_alloc_shash("hmac(sha1)", 0, 0);
		if (IS_ERR(c->hmac[i])) {
			err = PTR_ERR(c->hmac[i]);
			c->hmac[i] = NULL;
			goto err;
		}
	}
	/* The RTP transform holds the master key for the derivation. */
	err = crypto_sync_skcipher_setkey(c->ctr[0], key, PP_SRTP_KEY_LEN) ?:
	      pp_srtp_derive(c->ctr[0], salt, PP_SRTP_RTP, &k[0]) ?:
	      pp_srtp_derive(c->ctr[0], salt, PP_SRTP_RTCP, &k[1]);
	for (i = 0; !err && i < 2; i++) {
		err = crypto_sync_skcipher_setkey(c->ctr[i], k[i].enc,
						  sizeof(k[i].enc)) ?:
		      crypto_shash_setkey(c->hmac[i], k[i].auth,
					  sizeof(k[i].auth));
		memcpy(c->salt[i], k[i].salt, PP_SRTP_SALT_LEN);
	}
	if (err)
		goto err;
	kfree_sensitive(k);
	/* Which implementations run (aesni_intel loaded or not). */
	pr_info_once("srtp: %s, %s\n",
		     crypto_skcipher_driver_name(&c->ctr[0]->base),
		     crypto_shash_driver_name(c->hmac[0]));
	return c;

err:
	kfree_sensitive(k);
	pp_srtp_free(c);
	return ERR_PTR(err);
}

/* ---- Replay state ---------------------------------------------------- */

/*
 * The index of SRTP sequence number @seq (RFC 3711 3.3.1 and appendix A,
 * as libsrtp's srtp_rdbx_estimate_index()): the ROC of the index @top
 * accepted last, or the one before or after when @seq is more than 2^15
 * away from @top's. While @top is at most 2^15 the ROC is 0 (not -1: the
 * first packet of a stream may have any sequence number).
 */
static u64 pp_srtp_guess(u64 top, u16 seq)
{
	u64 roc = top >> 16;
	u16 s_l = top & 0xffff;

	if (top <= 0x8000)
		return seq;
	if (s_l < 0x8000) {
		if (seq > s_l && seq - s_l > 0x8000)
			roc--;
	} else {
		if (s_l - 0x8000 > seq)
			roc++;
	}
	return roc << 16 | seq;
}

/* May @index be accepted by @r? 0 or -EALREADY. Under the lock. */
static int pp_srtp_replay_check(const struct pp_srtp_src *r, u64 index)
{
	u64 back;

	if (index > r->top)
		return 0;
	back = r->top - index;
	if (back >= PP_SRTP_WINDOW)
		return -EALREADY;		/* older than the window */
	if (r->win[back / 64] & BIT_ULL(back % 64))
		return -EALREADY;
	return 0;
}

/* Accept @index (checked). Under the lock. */
static void pp_srtp_replay_add(struct pp_srtp_src *r, u64 index)
{
	u64 shift, back;

	if (index > r->top) {
		shift = index - r->top;
		if (shift >= PP_SRTP_WINDOW) {
			r->win[0] = 0;
			r->win[1] = 0;
		} else if (shift >= 64) {
			r->win[1] = r->win[0] << (shift - 64);
			r->win[0] = 0;
		} else {
			r->win[1] = r->win[1] << shift |
				    (shift ? r->win[0] >> (64 - shift) : 0);
			r->win[0] <<= shift;
		}
		r->top = index;
	}
	back = r->top - index;
	r->win[back / 64] |= BIT_ULL(back % 64);
}

/*
 * The state of @ssrc in @r: its own, else a free one (taken for it with
 * @take; never given back, so that an SSRC coming back finds its index),
 * else NULL: @r keeps as many other SSRCs as it may (-ESRCH). A free
 * state is all zero: index 0, empty window. Under @r->lock.
 */
static struct pp_srtp_src *pp_srtp_src(struct pp_srtp_replay *r, u32 ssrc,
				       bool take)
{
	struct pp_srtp_src *free = NULL;
	unsigned int i;

	for (i = 0; i < r->max; i++) {
		if (!r->src[i].used) {
			free = free ?: &r->src[i];
			continue;
		}
		if (r->src[i].ssrc == ssrc)
			return &r->src[i];
	}
	if (free && take) {
		free->ssrc = ssrc;
		free->used = true;
	}
	return free;
}

/*
 * The replay check before the crypto work, then (@commit) the check again
 * and the update after it: the lock is never held over the crypto.
 */
static int pp_srtp_replay_begin(struct pp_srtp_replay *r, u32 ssrc,
				u64 index)
{
	struct pp_srtp_src *src;
	int err;

	spin_lock_bh(&r->lock);
	src = pp_srtp_src(r, ssrc, false);
	err = src ? pp_srtp_replay_check(src, index) : -ESRCH;
	spin_unlock_bh(&r->lock);
	return err;
}

static int pp_srtp_replay_commit(struct pp_srtp_replay *r, u32 ssrc,
				 u64 index)
{
	struct pp_srtp_src *src;
	int err;

	spin_lock_bh(&r->lock);
	src = pp_srtp_src(r, ssrc, false);
	err = src ? pp_srtp_replay_check(src, index) : -ESRCH;
	if (!err) {
		src = pp_srtp_src(r, ssrc, true);
		pp_srtp_replay_add(src, index);
	}
	spin_unlock_bh(&r->lock);
	return err;
}

/* ---- SRTP ------------------------------------------------------------ */

/*
 * The index of SRTP sequence number @seq into @index, checked against
 * @r's SSRC, the index space (2^48) and the window; with @commit also
 * accepted (the sender's, or a receiver's after authentication).
 */
static int pp_srtp_rtp_index(struct pp_srtp_replay *r, u32 ssrc, u16 seq,
			     bool commit, u64 *index)
{
	struct pp_srtp_src *src;
	int err = -ESRCH;

	spin_lock_bh(&r->lock);
	src = pp_srtp_src(r, ssrc, false);
	if (src) {
		*index = pp_srtp_guess(src->top, seq);
		err = *index > PP_SRTP_MAX ? -EKEYEXPIRED :
		      pp_srtp_replay_check(src, *index);
	}
	if (!err && commit) {
		src = pp_srtp_src(r, ssrc, true);
		pp_srtp_replay_add(src, *index);
	}
	spin_unlock_bh(&r->lock);
	return err;
}

/* The RTP header's length (fixed, CSRCs, extension) or -EPROTO. */
static int pp_rtp_hdr_len(const u8 *buf, unsigned int len)
{
	unsigned int hlen;

	if (len < PP_SRTP_HDR || (buf[0] >> 6) != 2)
		return -EPROTO;
	hlen = PP_SRTP_HDR + 4 * (buf[0] & 0x0f);
	if (buf[0] & 0x10) {
		if (len < hlen + 4)
			return -EPROTO;
		hlen += 4 + 4 * get_unaligned_be16(buf + hlen + 2);
	}
	return hlen <= len ? hlen : -EPROTO;
}

int pp_srtp_protect(struct pp_srtp_ctx *c, u8 *buf, unsigned int len,
		    unsigned int room)
{
	struct pp_srtp_replay *r = &c->rtp;
	u8 iv[PP_SRTP_IV], mac[PP_SRTP_SHA1];
	u64 index;
	int hlen, err;
	u32 ssrc;

	if (c->dir != PP_SRTP_TX)
		return -EINVAL;
	if (len < PP_SRTP_HDR)
		return -EMSGSIZE;
	if (room < c->tag_len)
		return -ENOBUFS;
	hlen = pp_rtp_hdr_len(buf, len);
	if (hlen < 0)
		return hlen;
	ssrc = get_unaligned_be32(buf + 8);

	/* As libsrtp's sender: never the same index twice (keystream). */
	err = pp_srtp_rtp_index(r, ssrc, get_unaligned_be16(buf + 2), true,
				&index);
	if (err)
		return err;

	pp_srtp_iv(iv, c->salt[PP_SRTP_RTP], ssrc, index);
	err = pp_srtp_ctr(c->ctr[PP_SRTP_RTP], iv, buf + hlen, len - hlen) ?:
	      pp_srtp_hmac(c->hmac[PP_SRTP_RTP], buf, len, true, index >> 16,
			   mac);
	if (!err)
		memcpy(buf + len, mac, c->tag_len);
	memzero_explicit(mac, sizeof(mac));
	return err ?: len + c->tag_len;
}

int pp_srtp_unprotect(struct pp_srtp_ctx *c, u8 *buf, unsigned int len)
{
	struct pp_srtp_replay *r = &c->rtp;
	u8 iv[PP_SRTP_IV], mac[PP_SRTP_SHA1];
	unsigned int alen;
	int hlen, err;
	u64 index;
	u32 ssrc;

	if (c->dir != PP_SRTP_RX)
		return -EINVAL;
	if (len < PP_SRTP_HDR + c->tag_len)
		return -EMSGSIZE;
	alen = len - c->tag_len;
	ssrc = get_unaligned_be32(buf + 8);

	err = pp_srtp_rtp_index(r, ssrc, get_unaligned_be16(buf + 2), false,
				&index);
	if (err)
		return err;

	/* Authenticate first: the header is only parsed once it is genuine. */
	err = pp_srtp_hmac(c->hmac[PP_SRTP_RTP], buf, alen, true, index >> 16,
			   mac);
	if (!err && crypto_memneq(mac, buf + alen, c->tag_len))
		err = -EBADMSG;
	memzero_explicit(mac, sizeof(mac));
	if (err)
		return err;
	hlen = pp_rtp_hdr_len(buf, alen);
	if (hlen < 0)
		return hlen;
	err = pp_srtp_replay_commit(r, ssrc, index);
	if (err)
		return err;

	pp_srtp_iv(iv, c->salt[PP_SRTP_RTP], ssrc, index);
	err = pp_srtp_ctr(c->ctr[PP_SRTP_RTP], iv, buf + hlen, alen - hlen);
	return err ?: alen;
}

/* ---- SRTCP ----------------------------------------------------------- */

/* Is @buf RTCP (version 2, a control packet type)? */
static bool pp_rtcp_valid(const u8 *buf)
{
	return (buf[0] >> 6) == 2;
}

int pp_srtcp_protect(struct pp_srtp_ctx *c, u8 *buf, unsigned int len,
		     unsigned int room)
{
	struct pp_srtp_replay *r = &c->rtcp;
	u8 iv[PP_SRTP_IV], mac[PP_SRTP_SHA1];
	struct pp_srtp_src *src;
	u32 ssrc, index;
	int err;

	if (c->dir != PP_SRTP_TX)
		return -EINVAL;
	if (len < PP_SRTCP_HDR)
		return -EMSGSIZE;
	if (room < PP_SRTCP_TRAILER)
		return -ENOBUFS;
	if (!pp_rtcp_valid(buf))
		return -EPROTO;
	ssrc = get_unaligned_be32(buf + 4);

	/*
	 * The index of the SSRC's last packet sent in @top: 1 first, as
	 * libsrtp.
	 */
	spin_lock_bh(&r->lock);
	src = pp_srtp_src(r, ssrc, false);
	err = !src ? -ESRCH : src->top >= PP_SRTCP_MAX ? -EKEYEXPIRED : 0;
	if (!err) {
		src = pp_srtp_src(r, ssrc, true);
		index = ++src->top;
	}
	spin_unlock_bh(&r->lock);
	if (err)
		return err;

	pp_srtp_iv(iv, c->salt[PP_SRTP_RTCP], ssrc, index);
	err = pp_srtp_ctr(c->ctr[PP_SRTP_RTCP], iv, buf + PP_SRTCP_HDR,
			  len - PP_SRTCP_HDR);
	if (err)
		return err;
	put_unaligned_be32(PP_SRTCP_E | index, buf + len);
	len += 4;
	err = pp_srtp_hmac(c->hmac[PP_SRTP_RTCP], buf, len, false, 0, mac);
	if (!err)
		memcpy(buf + len, mac, PP_SRTCP_TAG_LEN);
	memzero_explicit(mac, sizeof(mac));
	return err ?: len + PP_SRTCP_TAG_LEN;
}

int pp_srtcp_unprotect(struct pp_srtp_ctx *c, u8 *buf, unsigned int len)
{
	struct pp_srtp_replay *r = &c->rtcp;
	u8 iv[PP_SRTP_IV], mac[PP_SRTP_SHA1];
	unsigned int alen, plen;
	u32 ssrc, word, index;
	int err;

	if (c->dir != PP_SRTP_RX)
		return -EINVAL;
	if (len < PP_SRTCP_HDR + PP_SRTCP_TRAILER)
		return -EMSGSIZE;
	alen = len - PP_SRTCP_TAG_LEN;		/* up to E|index included */
	plen = alen - 4;
	ssrc = get_unaligned_be32(buf + 4);
	word = get_unaligned_be32(buf + plen);
	index = word & PP_SRTCP_MAX;

	err = pp_srtp_replay_begin(r, ssrc, index);
	if (err)
		return err;
	err = pp_srtp_hmac(c->hmac[PP_SRTP_RTCP], buf, alen, false, 0, mac);
	if (!err && crypto_memneq(mac, buf + alen, PP_SRTCP_TAG_LEN))
		err = -EBADMSG;
	memzero_explicit(mac, sizeof(mac));
	if (err)
		return err;
	if (!pp_rtcp_valid(buf))
		return -EPROTO;
	err = pp_srtp_replay_commit(r, ssrc, index);
	if (err)
		return err;

	if (word & PP_SRTCP_E) {
		pp_srtp_iv(iv, c->salt[PP_SRTP_RTCP], ssrc, index);
		err = pp_srtp_ctr(c->ctr[PP_SRTP_RTCP], iv,
				  buf + PP_SRTCP_HDR, plen - PP_SRTCP_HDR);
	}
	return err ?: plen;
}
