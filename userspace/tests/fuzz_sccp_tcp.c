// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target, differential: the SCCP stream tracker against the
 * receiver's TCP. The input is a sequence of TCP segments of the phone's
 * direction: sequence numbers anywhere around the stream (overlaps,
 * retransmissions with other bytes), SYNs in the middle, URG, segments
 * the receiver throws away (PAWS, a bad checksum), the receiver's
 * acknowledgments. Each goes to the tracker exactly as the module hands
 * it over (sccp_stream_tcp(), with the module's SID check through the
 * shared sccp_device_ok()); what the tracker lets through goes to a
 * reference TCP receiver (first arrival wins for in-window data, as in
 * Linux's receive queue, bytes before rcv_nxt discarded). The invariant
 * of docs/security.md ("SCCP: one user, one device"): every RegisterReq,
 * RegisterTokenReq or SPCPRegisterTokenReq in the stream the receiver
 * delivers names the user's device, and every byte it delivers is the
 * one the tracker examined and forwarded first.
 *
 * The byte ring comes from a pool of one, as the module's pool gives it
 * (ops->ring, SCCP_ST_NOBUF when the input says the pool is empty), and
 * goes back whenever the receiver has acknowledged every byte seen.
 * The byte ring is made small (-DSCCP_STREAM_RING=512 in the Makefile, for
 * the tracker's sources too) so that inputs of a few KiB reach beyond it;
 * the logic is the module's.
 *
 * Input: u32 ISN (LE), u8 hint, then segments: u8 flags (FZ_*), s16
 * offset (LE) from the highest sequence number sent so far, u8 length,
 * then that many payload bytes. The connection's SYN comes first, at ISN.
 *	scripts/fuzz.sh -t 60 fuzz_sccp_tcp		(from the top)
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
			fprintf(stderr, "fuzz_sccp_tcp: %s:%d: %s\n",	\
				__FILE__, __LINE__, #c);		\
			abort();					\
		}							\
	} while (0)

#define OWN	"SEP001122334455"	/* the user's device */

#define FZ_SYN		0x01	/* a SYN (a later one: the first is implicit) */
#define FZ_LOST		0x02	/* the receiver throws it away */
#define FZ_URG		0x04	/* the URG flag */
#define FZ_ACK		0x08	/* then the receiver acknowledges rcv_nxt */
#define FZ_NOBUF	0x10	/* the ring pool is empty for this segment */

#define RX_MAX		(1 << 14)	/* stream bytes the receiver can hold */
#define RX_WIN		8192		/* its receive window */

struct fctx {
	struct sccp_stream st;
	bool aborted;
	bool nobuf;		/* ops->ring has none to give */
};

static u8 f_ring_mem[SCCP_STREAM_RING];

/* The module's decisions (sccp_conn.c): the SID check, a rewrite. */
static int f_rewrite(void *c, const struct sccp_msg *m, unsigned int i,
		     struct sccp_addr *repl)
{
	struct fctx *x = c;

	if (!sccp_device_ok(m, OWN))
		return SCCP_E_ABORT;
	sccp_t_policy(&m->ep[i], x->st.stats.pdus - 1, repl);
	return SCCP_RW_REWRITE;
}

static int f_pdu(void *c, const struct sccp_msg *m, int err)
{
	(void)c;
	if (err || !sccp_device_ok(m, OWN))
		return SCCP_E_ABORT;
	return 0;
}

static u8 *f_ring(void *c)
{
	struct fctx *x = c;

	return x->nobuf ? NULL : f_ring_mem;
}

static const struct sccp_stream_ops f_ops = {
	.rewrite = f_rewrite,
	.pdu = f_pdu,
	.ring = f_ring,
};

/* The receiver: stream offsets from its ISN + 1. */
static u8 rx_buf[RX_MAX], rx_have[RX_MAX];
/* What the tracker let through the first time it saw each byte. */
static u8 first[RX_MAX], first_have[RX_MAX];

static u32 get_le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/*
 * The reference, written apart from the module's check: a registration
 * (RegisterReq 0x0001, RegisterTokenReq 0x0029, SPCPRegisterTokenReq
 * 0x8000) whose deviceName (body bytes 0..15, a C string) is OWN, in any
 * case.
 */
static bool names_own(const u8 *pdu, u32 size)
{
	const char *own = OWN;
	u32 i;

	if (size < 12 + 16)
		return false;
	for (i = 0; i < 16; i++) {
		u8 c = pdu[12 + i], o = (u8)own[i];

		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c != o)
			return false;
		if (!c)
			return true;
	}
	return false;	/* no NUL: the CallManager reads on */
}

/* Every registration in the delivered stream names the user's device. */
static void check_delivered(const u8 *p, size_t len)
{
	size_t off = 0;
	u32 size, id;

	while (len - off >= 12) {
		size = get_le32(p + off) + 8;
		id = get_le32(p + off + 8);
		if (size < 12 || size > len - off)
			return;	/* incomplete, or a framing error ended it */
		if ((id == 0x0001 || id == 0x0029 || id == 0x8000) &&
		    !names_own(p + off, size)) {
			fprintf(stderr,
				"fuzz_sccp_tcp: delivered registration 0x%04x at %zu names \"%.16s\"\n",
				id, off, (const char *)p + off + 12);
			CHECK(!"a registration naming another device delivered");
		}
		off += size;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fctx x;
	static u8 seg[256];
	static size_t dirty;	/* offsets used by the last input */
	size_t pos = 5, rcv_nxt = 0, i;
	u32 isn, snd_max, seq, len;
	u8 hint, flags;
	s64 p;
	int v;

	if (size < 5)
		return 0;
	isn = get_le32(data);
	hint = (u8[]){ 0, 0, 11, 20 }[data[4] & 3];
	memset(&x, 0, sizeof(x));
	memset(rx_have, 0, dirty);
	memset(first_have, 0, dirty);
	dirty = 0;

	/* The connection's SYN, as the module sees it first. */
	v = sccp_stream_tcp(&x.st, isn, SCCP_TCP_SYN, NULL, 0, &f_ops, &x);
	CHECK(v == SCCP_ST_FORWARD && x.st.init);
	sccp_stream_set_hint(&x.st, hint);
	snd_max = isn + 1;

	while (pos + 4 <= size) {
		flags = data[pos];
		seq = snd_max + (u32)(s32)(int16_t)(data[pos + 1] |
						    data[pos + 2] << 8);
		len = data[pos + 3];
		pos += 4;
		if (len > size - pos)
			len = (u32)(size - pos);
		memcpy(seg, data + pos, len);
		pos += len;

		x.nobuf = flags & FZ_NOBUF;
		v = sccp_stream_tcp(&x.st, seq,
				    ((flags & FZ_SYN) ? SCCP_TCP_SYN : 0) |
				    ((flags & FZ_URG) ? SCCP_TCP_URG : 0),
				    seg, len, &f_ops, &x);
		if ((s32)(seq + len - snd_max) > 0)
			snd_max = seq + len;
		if (v < 0) {
			/* the module resets the connection: nothing more */
			x.aborted = true;
			break;
		}
		CHECK(v <= SCCP_ST_NOBUF);
		CHECK(v != SCCP_ST_NOBUF || (x.nobuf && !x.st.ring));
		if (v != SCCP_ST_FORWARD || !len)
			goto ack;
		CHECK(!(flags & (FZ_SYN | FZ_URG)));
		/* forwarded: in the tracker's stream, the receiver's offsets */
		p = (s32)(seq - (isn + 1));
		for (i = 0; i < len; i++, p++) {
			if (p < 0 || p >= RX_MAX)
				continue;
			if ((size_t)p >= dirty)
				dirty = p + 1;
			if (!first_have[p]) {
				first[p] = seg[i];
				first_have[p] = 1;
			}
			if ((flags & FZ_LOST) || (size_t)p < rcv_nxt ||
			    (size_t)p >= rcv_nxt + RX_WIN || rx_have[p])
				continue;	/* the receiver has or drops it */
			rx_buf[p] = seg[i];
			rx_have[p] = 1;
		}
		while (rcv_nxt < RX_MAX && rx_have[rcv_nxt])
			rcv_nxt++;
ack:
		if (flags & FZ_ACK)
			sccp_stream_ack(&x.st, isn + 1 + (u32)rcv_nxt);
		/* the module gives the ring back once all is acknowledged */
		if (sccp_stream_ring_idle(&x.st))
			CHECK(sccp_stream_ring_detach(&x.st) == f_ring_mem);
	}

	/* Every byte delivered is the one the tracker forwarded first. */
	for (i = 0; i < rcv_nxt; i++) {
		CHECK(first_have[i]);
		if (rx_buf[i] != first[i]) {
			fprintf(stderr, "fuzz_sccp_tcp: delivered byte %zu differs\n",
				i);
			CHECK(rx_buf[i] == first[i]);
		}
	}
	check_delivered(rx_buf, rcv_nxt);
	return 0;
}
