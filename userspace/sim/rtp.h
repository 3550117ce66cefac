/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The RTP the test peers send and check (RFC 3550 header, no CSRC, no
 * extension): G.711, one packet per packet time, sequence +1 and
 * timestamp +8 per millisecond each packet, a fixed SSRC, and a payload
 * derived from the sequence number so that the receiver can tell a
 * corrupted or foreign packet. Pure code, tested by tests/test_sim.c.
 */
#ifndef PP_SIM_RTP_H
#define PP_SIM_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTP_HDR_LEN	12
#define RTP_MAX_PAYLOAD	480	/* G.711 60 ms */
#define RTP_MAX_PKT	(RTP_HDR_LEN + RTP_MAX_PAYLOAD)

struct rtp_tx {
	uint32_t ssrc;
	uint16_t seq;
	uint32_t ts;
	uint8_t pt;
	uint16_t payload_len;	/* 8 bytes per millisecond */
	uint64_t packets;
	uint64_t errors;	/* sends refused by the kernel */
	/* the other source of rtp_tx_switch(): its SSRC, sequence, time */
	bool has_alt;
	uint32_t alt_ssrc;
	uint16_t alt_seq;
	uint32_t alt_ts;
	uint64_t switches;
};

struct rtp_rx {
	uint8_t pt;		/* expected payload type */
	uint16_t payload_len;	/* expected payload length */
	uint64_t packets;	/* every datagram received */
	uint64_t valid;		/* RTP from the latched SSRC, in sequence accounting */
	bool have_ssrc;
	uint32_t ssrc;		/* the first packet's: latched */
	uint32_t base_seq;	/* extended sequence of the first valid packet */
	uint32_t max_seq;	/* highest extended sequence */
	uint64_t gaps;		/* jumps forward by more than one */
	uint64_t dup;		/* the highest sequence again */
	uint64_t reorder;	/* older than the highest */
	uint64_t bad_ssrc;	/* another SSRC than the latched one */
	uint64_t bad_pt;
	uint64_t bad_len;	/* payload length not the expected one */
	uint64_t bad_payload;	/* payload not the pattern of its sequence */
	uint64_t not_rtp;	/* shorter than a header, or version not 2 */
	uint32_t src_ip;	/* network order: the first packet's source */
	uint16_t src_port;	/* host order */
	uint64_t other_src;	/* packets from another source than the first */
	/*
	 * @follow: a new SSRC is the sender's new source (RFC 3550: a far
	 * end may change it), latched in its turn and counted in
	 * @ssrc_changes, its sequence numbers counted from its first
	 * packet; not @follow: counted in @bad_ssrc and not accounted.
	 */
	bool follow;
	uint64_t ssrc_changes;
	uint32_t prev_ssrc;	/* the SSRC before the last change */
	uint64_t prev_expected;	/* expected of the sources before */
	uint64_t seg_valid;	/* valid packets of the current source */
};

/* Start a stream: random-looking SSRC and sequence from @seed. */
void rtp_tx_init(struct rtp_tx *tx, uint32_t seed, uint8_t pt,
		 unsigned int packet_ms);
/* The next packet into @buf (RTP_MAX_PKT); returns its length. */
size_t rtp_tx_next(struct rtp_tx *tx, uint8_t *buf);
/*
 * Send as the other of two sources from now on: the first switch starts
 * a second SSRC with its own sequence and timestamp (from @seed), the
 * next ones alternate, each source going on where it stopped (a far
 * end coming back to an earlier SSRC).
 */
void rtp_tx_switch(struct rtp_tx *tx, uint32_t seed);

void rtp_rx_init(struct rtp_rx *rx, uint8_t pt, unsigned int packet_ms);
/* Account one received datagram from @src_ip:@src_port. */
void rtp_rx_account(struct rtp_rx *rx, const uint8_t *pkt, size_t len,
		    uint32_t src_ip, uint16_t src_port);
/* Packets expected from the sequence numbers seen, and lost of them. */
uint64_t rtp_rx_expected(const struct rtp_rx *rx);
uint64_t rtp_rx_lost(const struct rtp_rx *rx);

/*
 * RTCP (RFC 3550 6.4.1): the sender report of a stream, 28 bytes (no
 * report block): version 2, PT 200, length 6, the SSRC, the NTP time
 * @ntp (seconds << 32 | fraction), the RTP timestamp, and the sender's
 * packet and octet counts. Returns its length.
 */
#define RTCP_SR_LEN	28
#define RTCP_MAX_PKT	256
size_t rtcp_sr_build(uint8_t *buf, const struct rtp_tx *tx, uint64_t ntp);
/*
 * A datagram that is one sender report, as rtcp_sr_build() makes (version
 * 2, PT 200, its length the datagram's: an SRTCP packet still encrypted
 * is not one): 0 with its SSRC and the sender's counts in @sr, else -1.
 */
struct rtcp_sr {
	uint32_t ssrc, packets, octets;
};
int rtcp_sr_check(const uint8_t *pkt, size_t len, struct rtcp_sr *sr);

/* The payload byte @i of the packet with sequence @seq. */
static inline uint8_t rtp_pattern(uint16_t seq, size_t i)
{
	return (uint8_t)(seq * 31u + i);
}

/* A 32-bit mixing function (seeds, SSRCs). */
uint32_t rtp_mix32(uint32_t x);

#endif /* PP_SIM_RTP_H */
