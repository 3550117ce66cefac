// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * RTP for the test peers: building the packets and the receiver's
 * accounting (RFC 3550 appendix A.1 style extended sequence numbers).
 */
#include <string.h>

#include "rtp.h"

uint32_t rtp_mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static uint16_t payload_len(unsigned int packet_ms)
{
	if (packet_ms < 5 || packet_ms > RTP_MAX_PAYLOAD / 8)
		packet_ms = 20;
	return (uint16_t)(packet_ms * 8);
}

void rtp_tx_init(struct rtp_tx *tx, uint32_t seed, uint8_t pt,
		 unsigned int packet_ms)
{
	memset(tx, 0, sizeof(*tx));
	tx->ssrc = rtp_mix32(seed) | 1;		/* never 0 */
	tx->seq = (uint16_t)rtp_mix32(seed ^ 0x5eed);
	tx->ts = rtp_mix32(seed ^ 0x7157);
	tx->pt = pt & 0x7f;
	tx->payload_len = payload_len(packet_ms);
}

size_t rtp_tx_next(struct rtp_tx *tx, uint8_t *buf)
{
	size_t i;

	buf[0] = 0x80;				/* version 2 */
	buf[1] = tx->pt;
	buf[2] = tx->seq >> 8;
	buf[3] = tx->seq;
	buf[4] = tx->ts >> 24;
	buf[5] = tx->ts >> 16;
	buf[6] = tx->ts >> 8;
	buf[7] = tx->ts;
	buf[8] = tx->ssrc >> 24;
	buf[9] = tx->ssrc >> 16;
	buf[10] = tx->ssrc >> 8;
	buf[11] = tx->ssrc;
	for (i = 0; i < tx->payload_len; i++)
		buf[RTP_HDR_LEN + i] = rtp_pattern(tx->seq, i);
	tx->seq++;
	tx->ts += tx->payload_len;	/* 8 kHz: one sample per byte */
	return RTP_HDR_LEN + tx->payload_len;
}

void rtp_tx_switch(struct rtp_tx *tx, uint32_t seed)
{
	uint32_t ssrc = tx->ssrc, ts = tx->ts;
	uint16_t seq = tx->seq;

	if (!tx->has_alt) {
		tx->has_alt = true;
		tx->alt_ssrc = rtp_mix32(seed ^ 0xa17e55) | 1;
		if (tx->alt_ssrc == ssrc)
			tx->alt_ssrc ^= 2;
		tx->alt_seq = (uint16_t)rtp_mix32(seed ^ 0xa17e5e);
		tx->alt_ts = rtp_mix32(seed ^ 0xa17e75);
	}
	tx->ssrc = tx->alt_ssrc;
	tx->seq = tx->alt_seq;
	tx->ts = tx->alt_ts;
	tx->alt_ssrc = ssrc;
	tx->alt_seq = seq;
	tx->alt_ts = ts;
	tx->switches++;
}

void rtp_rx_init(struct rtp_rx *rx, uint8_t pt, unsigned int packet_ms)
{
	memset(rx, 0, sizeof(*rx));
	rx->pt = pt & 0x7f;
	rx->payload_len = payload_len(packet_ms);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void rtp_rx_account(struct rtp_rx *rx, const uint8_t *pkt, size_t len,
		    uint32_t src_ip, uint16_t src_port)
{
	uint32_t ssrc, ext;
	uint16_t seq, delta;
	size_t i, plen;

	if (!rx->packets) {
		rx->src_ip = src_ip;
		rx->src_port = src_port;
	} else if (src_ip != rx->src_ip || src_port != rx->src_port) {
		rx->other_src++;
	}
	rx->packets++;
	if (len < RTP_HDR_LEN || (pkt[0] & 0xc0) != 0x80) {
		rx->not_rtp++;
		return;
	}
	ssrc = be32(pkt + 8);
	if (!rx->have_ssrc) {
		rx->have_ssrc = true;
		rx->ssrc = ssrc;
	} else if (ssrc != rx->ssrc && !rx->follow) {
		rx->bad_ssrc++;
		return;
	} else if (ssrc != rx->ssrc) {
		rx->ssrc_changes++;
		rx->prev_expected = rtp_rx_expected(rx);
		rx->prev_ssrc = rx->ssrc;
		rx->ssrc = ssrc;
		rx->seg_valid = 0;
	}
	if ((pkt[1] & 0x7f) != rx->pt)
		rx->bad_pt++;
	seq = (uint16_t)(pkt[2] << 8 | pkt[3]);
	plen = len - RTP_HDR_LEN;
	if (plen != rx->payload_len) {
		rx->bad_len++;
	} else {
		for (i = 0; i < plen; i++)
			if (pkt[RTP_HDR_LEN + i] != rtp_pattern(seq, i))
				break;
		if (i < plen)
			rx->bad_payload++;
	}
	rx->valid++;
	if (!rx->seg_valid++) {
		rx->base_seq = seq;
		rx->max_seq = seq;
		return;
	}
	delta = (uint16_t)(seq - (uint16_t)rx->max_seq);
	if (delta == 0) {
		rx->dup++;
	} else if (delta < 0x8000) {
		if (delta > 1)
			rx->gaps++;
		ext = rx->max_seq + delta;
		rx->max_seq = ext;
	} else {
		rx->reorder++;
	}
}

uint64_t rtp_rx_expected(const struct rtp_rx *rx)
{
	return rx->prev_expected +
	       (rx->seg_valid ? (uint64_t)(rx->max_seq - rx->base_seq) + 1 : 0);
}

uint64_t rtp_rx_lost(const struct rtp_rx *rx)
{
	uint64_t expected = rtp_rx_expected(rx);
	uint64_t got = rx->valid - rx->dup;

	return got >= expected ? 0 : expected - got;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

size_t rtcp_sr_build(uint8_t *buf, const struct rtp_tx *tx, uint64_t ntp)
{
	buf[0] = 0x80;				/* version 2, no padding, RC 0 */
	buf[1] = 200;				/* SR */
	buf[2] = 0;
	buf[3] = RTCP_SR_LEN / 4 - 1;		/* in 32-bit words, minus one */
	put32(buf + 4, tx->ssrc);
	put32(buf + 8, (uint32_t)(ntp >> 32));
	put32(buf + 12, (uint32_t)ntp);
	put32(buf + 16, tx->ts);
	put32(buf + 20, (uint32_t)tx->packets);
	put32(buf + 24, (uint32_t)(tx->packets * tx->payload_len));
	return RTCP_SR_LEN;
}

int rtcp_sr_check(const uint8_t *pkt, size_t len, struct rtcp_sr *sr)
{
	size_t words;

	if (len < RTCP_SR_LEN || (pkt[0] & 0xc0) != 0x80 || pkt[1] != 200)
		return -1;
	words = (size_t)(pkt[2] << 8 | pkt[3]) + 1;
	/* 7 words (header, sender info) plus 6 per report block */
	if (words * 4 != len || words != 7 + 6 * (size_t)(pkt[0] & 0x1f))
		return -1;
	sr->ssrc = be32(pkt + 4);
	sr->packets = be32(pkt + 20);
	sr->octets = be32(pkt + 24);
	return 0;
}
