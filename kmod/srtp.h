/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_SRTP_H
#define _PP_SRTP_H

#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * The SRTP/SRTCP engine (RFC 3711, docs/srtp.md): AES_CM_128_HMAC_SHA1_80
 * and _32, key derivation rate 0, no MKI. Pure: packets in linear
 * buffers, no skb, no netfilter.
 *
 * A context is one direction of one stream's media, RTP and RTCP: a
 * sender (PP_SRTP_TX: protect) or a receiver (PP_SRTP_RX: unprotect),
 * made from one master key and salt. A receiver is for one SSRC (the
 * first authenticated packet's; a packet of another SSRC gets -ESRCH and
 * changes nothing); a sender for up to PP_SRTP_TX_SSRCS, each with its
 * own index, taken as they come (one more: -ESRCH). The relay holds two
 * per secure stream: the phone's
 * (RX) and the one toward the phone (TX); a hairpin decrypts with one
 * leg's RX and encrypts with the other leg's TX.
 *
 * Who may call what:
 * - pp_srtp_alloc() and pp_srtp_free(): process context only (the crypto
 *   API may load ctr.ko and sleeps), when the stream is set up and after
 *   the last packet path user is gone (an RCU grace period).
 * - The four packet functions: any context, softirq included; they do
 *   not sleep and allocate nothing (on-stack crypto requests over the
 *   context's transforms, which are read-only after set-up). Any number
 *   of CPUs may call them on the same context at once: the replay state
 *   (SSRCs, indices, windows) of RTP and that of RTCP each have their own
 *   spinlock, held only to check and update it, never during the crypto.
 *   The locks belong to one flow (RTP or RTCP of one stream direction),
 *   which the NIC's flow hashing keeps on one CPU: they are not
 *   contended. No lock is shared between contexts.
 *
 * Buffers: @buf holds the packet from its RTP/RTCP header on, @len bytes,
 * followed by @room writable bytes (protect appends the tag and, for
 * SRTCP, the E|index word). @buf must be in the kernel's linear mapping
 * (kmalloc()ed memory or an skb's linear data, not the stack: it goes
 * into a scatterlist). The packet is changed in place; on error it is
 * left as it came (an -EIO from the crypto API aside).
 *
 * Errors (negative): -EMSGSIZE too short for its header and tag,
 * -ENOBUFS no @room for the tag (protect), -EPROTO not RTP/RTCP version
 * 2 or a header longer than the packet, -ESRCH another SSRC than the
 * receiver's (a sender: one SSRC more than it keeps), -EALREADY
 * replayed (index seen or older than the 128-packet window; on protect:
 * an index sent already, which would reuse the keystream), -EBADMSG
 * authentication failed (wrong tag: forged, corrupted or another key),
 * -EKEYEXPIRED the index space of the master
 * key is exhausted (2^31 SRTCP packets, 2^48 SRTP), -EINVAL protect on a
 * receiver or unprotect on a sender, -EIO the crypto API failed.
 */

enum pp_srtp_suite {
	PP_SRTP_AES_CM_128_HMAC_SHA1_80,	/* 10-byte SRTP tag */
	PP_SRTP_AES_CM_128_HMAC_SHA1_32,	/* 4-byte SRTP tag */
};

enum pp_srtp_dir {
	PP_SRTP_TX,		/* protect: plain in, SRTP/SRTCP out */
	PP_SRTP_RX,		/* unprotect: SRTP/SRTCP in, plain out */
};

#define PP_SRTP_KEY_LEN		16	/* master key */
#define PP_SRTP_SALT_LEN	14	/* master salt */
#define PP_SRTP_TAG_MAX		10	/* SRTP tag of the _80 suite */
#define PP_SRTCP_TAG_LEN	10	/* SRTCP tag, both suites */
/* What SRTCP adds: the E|index word and the tag. */
#define PP_SRTCP_TRAILER	(4 + PP_SRTCP_TAG_LEN)
#define PP_SRTP_WINDOW		128	/* replay window, packets */

/*
 * The relay's SRTP counters, per stream and per namespace (docs/srtp.md
 * "In the relay"): packets protected toward the phone and unprotected
 * from it, and the drops of a keyed direction (also counted in the
 * stream's drops of their side).
 */
enum pp_srtp_cnt {
	PP_SRTP_CNT_PROTECTED,		/* relayed: plain -> SRTP/SRTCP */
	PP_SRTP_CNT_UNPROTECTED,	/* relayed: SRTP/SRTCP -> plain */
	PP_SRTP_CNT_AUTH,		/* dropped: authentication (-EBADMSG) */
	PP_SRTP_CNT_REPLAY,		/* dropped: replayed (-EALREADY) */
	PP_SRTP_CNT_PENDING,		/* dropped: keyed, context not ready */
	PP_SRTP_CNT_OTHER,		/* dropped: short, malformed, SSRC... */
	PP_SRTP_CNT_EXPANDED,		/* relayed after pskb_expand_head() */
	PP_SRTP_CNTS
};

struct crypto_sync_skcipher;
struct crypto_shash;

/*
 * Senders keep up to this many SSRCs per context: the plain RTP relayed
 * toward a phone comes from the far end, which may change its SSRC in
 * the middle of a channel (a gateway after a transfer on its side) and
 * come back to an earlier one; each SSRC keeps its own index, so that
 * no (SSRC, index) is ever protected twice with the key. A receiver
 * keeps one: the phone's.
 */
#define PP_SRTP_TX_SSRCS	4

/* The index state of one SSRC. */
struct pp_srtp_src {
	/*
	 * The highest index accepted (RTP: ROC << 16 | SEQ, RTCP: the
	 * SRTCP index); on a SRTCP sender, the last index sent.
	 */
	u64 top;
	/* Bit k of the window: index @top - k was accepted (k < 128). */
	u64 win[PP_SRTP_WINDOW / 64];
	u32 ssrc;		/* host order, valid with @used */
	bool used;		/* taken by @ssrc for the context's life */
};

/* The replay and index state of RTP or RTCP in one context. */
struct pp_srtp_replay {
	spinlock_t lock;	/* the fields below */
	u8 max;			/* SSRCs: 1, or PP_SRTP_TX_SSRCS (TX) */
	struct pp_srtp_src src[PP_SRTP_TX_SSRCS];
};

/* Session keys of RTP ([0]) and RTCP ([1]): labels 0-2 and 3-5. */
struct pp_srtp_ctx {
	struct crypto_sync_skcipher *ctr[2];	/* AES-CM, session key */
	struct crypto_shash *hmac[2];		/* HMAC-SHA1, session key */
	u8 salt[2][PP_SRTP_SALT_LEN];		/* session salt */
	u8 tag_len;				/* SRTP tag: 10 or 4 */
	enum pp_srtp_dir dir;
	struct pp_srtp_replay rtp;
	struct pp_srtp_replay rtcp;
};

/*
 * A context for @dir of @suite from the master @key and @salt (copied:
 * the caller zeroes its copy). ERR_PTR(-ENOMEM), (-ENOENT) when the
 * kernel has no ctr(aes) or hmac(sha1), (-EINVAL) for a bad suite.
 * Process context.
 */
struct pp_srtp_ctx *pp_srtp_alloc(enum pp_srtp_suite suite,
				  enum pp_srtp_dir dir,
				  const u8 key[PP_SRTP_KEY_LEN],
				  const u8 salt[PP_SRTP_SALT_LEN]);

/* Zero the keys and free @c (NULL or an error pointer: nothing). */
void pp_srtp_free(struct pp_srtp_ctx *c);

/*
 * RTP -> SRTP in place: encrypt the payload, append the tag. Returns the
 * new length (@len + the tag length) or an error above.
 */
int pp_srtp_protect(struct pp_srtp_ctx *c, u8 *buf, unsigned int len,
		    unsigned int room);

/*
 * SRTP -> RTP in place: replay check, authentication, decryption.
 * Returns the RTP length (@len - the tag length) or an error above; on
 * error the packet is left as it came.
 */
int pp_srtp_unprotect(struct pp_srtp_ctx *c, u8 *buf, unsigned int len);

/*
 * RTCP (compound) -> SRTCP in place: encrypt from byte 8 on (E = 1),
 * append E|index and the 10-byte tag. The first index is 1, then 2...
 * (as libsrtp). Returns @len + PP_SRTCP_TRAILER or an error above.
 */
int pp_srtcp_protect(struct pp_srtp_ctx *c, u8 *buf, unsigned int len,
		     unsigned int room);

/*
 * SRTCP -> RTCP in place: replay check on the index, authentication,
 * decryption when E is set (an authenticated packet with E = 0 was sent
 * in the clear by the key's owner and is accepted as it is). Returns
 * @len - PP_SRTCP_TRAILER or an error above.
 */
int pp_srtcp_unprotect(struct pp_srtp_ctx *c, u8 *buf, unsigned int len);

#endif /* _PP_SRTP_H */
