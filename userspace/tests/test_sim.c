// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The test peers' pure parts: every SCCP message they build decodes with
 * the project's parser (proto/sccp.c) into the fields it was built
 * from, in both layouts and under every header version they use; a
 * stream of them is framed back whatever the TCP cuts; the RTP they send
 * and the receiver's accounting (loss, gaps, duplicates, reordering,
 * wrap, foreign packets); reading a phone configuration file; a secure
 * phone's checks of the CTL and the signed configuration file, and its
 * TLS client trusting only the CTL's certificate (handshakes in memory).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <libxml/parser.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "../sim/rtp.h"
#include "../sim/secure.h"
#include "../sim/sccp_build.h"
#include "../sim/simcore.h"
#include "../sim/tftpc.h"
#include "cert.h"
#include "parse.h"
#include "tap.h"

static uint32_t ip4(const char *s)
{
	uint32_t a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static const char *lname(int layout)
{
	return layout == SCCP_LAYOUT_V17 ? "v17" : "old";
}

/* Endpoint @role of @m: its IPv4 and port, as built. */
static bool ep_is(const struct sccp_msg *m, int role, uint32_t ip,
		  uint32_t port, int layout)
{
	unsigned int i;
	uint32_t got;

	for (i = 0; i < m->n_ep; i++) {
		const struct sccp_ep *ep = &m->ep[i];

		if (ep->role != role)
			continue;
		memcpy(&got, ep->val.ip, 4);
		if (!ep->known || got != ip || ep->val.port != port)
			return false;
		if (layout == SCCP_LAYOUT_V17)
			return ep->shape == (SCCP_EP_TYPE | SCCP_EP_IP16 | SCCP_EP_PORT) &&
			       ep->val.type == SCCP_IPTYPE_V4 &&
			       !memcmp(ep->val.ip + 4, "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
		return ep->shape == (SCCP_EP_IP4 | SCCP_EP_PORT);
	}
	return false;
}

/* Decode @n bytes; the whole PDU, complete, no error, not a guess. */
static bool decodes(const uint8_t *pdu, size_t n, uint8_t hint, uint32_t id,
		    uint32_t version, size_t body, struct sccp_msg *m)
{
	int err = sccp_decode(pdu, n, hint, m);

	if (err)
		diag("sccp_decode: %s", sccp_strerror(err));
	return !err && n == SCCP_HDR_LEN + body && m->hdr.size == n &&
	       m->hdr.id == id && m->hdr.version == version &&
	       (m->flags & SCCP_MSG_KNOWN) && (m->flags & SCCP_MSG_COMPLETE) &&
	       !(m->flags & SCCP_MSG_TENTATIVE);
}

static const struct sb_media media = {
	.conf_id = 0x0200002a, .ppid = 0x01000101, .call_ref = 0x0200002b,
	.port = 24680, .packet_ms = 20, .codec = SB_CODEC_G711_ULAW,
	.precedence = 0xb8, .status = 0, .port_handling = 1,
};

/* Each message of one layout under header version @hv and hint @hint. */
static void roundtrip_layout(int layout, uint32_t hv, uint8_t hint,
			     const char *how)
{
	struct sb_register r = {
		.name = "SEP001122334455", .station_ip = ip4("192.0.2.10"),
		.instance = 1, .device_type = 115, .max_streams = 5,
		.proto = layout == SCCP_LAYOUT_V17 ? 17 : 11,
		.mac = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 },
		.firmware = "pp-phone-sim",
	};
	struct sb_media md = media;
	uint8_t pdu[SB_MAX_PDU];
	struct sccp_msg m;
	const char *l = lname(layout);
	size_t n;

	md.ip = ip4("192.0.2.10");

	n = sb_register(pdu, sizeof(pdu), 0, layout, &r);
	ok(decodes(pdu, n, hint, SCCP_REGISTER_REQ, 0,
		   layout == SCCP_LAYOUT_V17 ? SB_REGISTER_V17 : SB_REGISTER_OLD, &m) &&
	   !strcmp(m.name, "SEP001122334455") && m.proto == r.proto &&
	   m.device_type == 115 && m.instance == 1 &&
	   (m.fields & (SCCP_F_NAME | SCCP_F_PROTO)) == (SCCP_F_NAME | SCCP_F_PROTO) &&
	   m.ep[0].role == SCCP_ROLE_STATION && m.ep[0].known &&
	   !memcmp(m.ep[0].val.ip, &r.station_ip, 4) &&
	   !memcmp(pdu + SCCP_HDR_LEN + 52, r.mac, 6),
	   "%s %s: RegisterReq carries name, protocol %u, station address, MAC",
	   l, how, r.proto);
	if (layout == SCCP_LAYOUT_V17)
		ok(m.n_ep == 2 && m.ep[1].role == SCCP_ROLE_STATION_V6 &&
		   m.ep[1].known && !memcmp(m.ep[1].val.ip, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) &&
		   !strcmp((const char *)pdu + SCCP_HDR_LEN + 92, "pp-phone-sim"),
		   "%s %s: RegisterReq has no IPv6 address and a firmware name", l, how);
	else
		ok(m.n_ep == 1, "%s %s: RegisterReq has no IPv6 block", l, how);

	n = sb_orc(pdu, sizeof(pdu), hv, layout, &md);
	ok(decodes(pdu, n, hint, SCCP_OPEN_RECV_CHAN, hv,
		   layout == SCCP_LAYOUT_V17 ? SB_ORC_V17 : SB_ORC_OLD, &m) &&
	   m.layout == layout && m.conference_id == md.conf_id &&
	   m.ppid == md.ppid && m.call_ref == md.call_ref &&
	   m.packet_ms == 20 && m.codec == SB_CODEC_G711_ULAW &&
	   (m.fields & SCCP_F_REQ_IPTYPE) && m.req_iptype == 0 &&
	   ep_is(&m, SCCP_ROLE_MEDIA_SOURCE, md.ip, md.port, layout),
	   "%s %s: OpenReceiveChannel: ids, 20 ms G.711, far-end hint", l, how);

	n = sb_orc_ack(pdu, sizeof(pdu), hv, layout, &md);
	ok(decodes(pdu, n, hint, SCCP_OPEN_RECV_CHAN_ACK, hv,
		   layout == SCCP_LAYOUT_V17 ? SB_ORC_ACK_V17 : SB_ORC_ACK_OLD, &m) &&
	   m.layout == layout && m.status == 0 && m.ppid == md.ppid &&
	   m.call_ref == md.call_ref &&
	   ep_is(&m, SCCP_ROLE_MEDIA_RX, md.ip, md.port, layout),
	   "%s %s: OpenReceiveChannelAck: status, receive address, ppid, callRef",
	   l, how);

	n = sb_smt(pdu, sizeof(pdu), hv, layout, &md);
	ok(decodes(pdu, n, hint, SCCP_START_MEDIA_TX, hv,
		   layout == SCCP_LAYOUT_V17 ? SB_SMT_V17 : SB_SMT_OLD, &m) &&
	   m.layout == layout && m.conference_id == md.conf_id &&
	   m.ppid == md.ppid && m.call_ref == md.call_ref &&
	   m.packet_ms == 20 && m.codec == SB_CODEC_G711_ULAW &&
	   ep_is(&m, SCCP_ROLE_MEDIA_REMOTE, md.ip, md.port, layout),
	   "%s %s: StartMediaTransmission: ids, remote address, 20 ms G.711", l, how);

	md.status = 0;
	n = sb_smt_ack(pdu, sizeof(pdu), hv, layout, &md);
	ok(decodes(pdu, n, hint, SCCP_START_MEDIA_TX_ACK, hv,
		   layout == SCCP_LAYOUT_V17 ? SB_SMT_ACK_V17 : SB_SMT_ACK_OLD, &m) &&
	   m.layout == layout && m.conference_id == md.conf_id &&
	   m.ppid == md.ppid && m.call_ref == md.call_ref &&
	   (m.fields & SCCP_F_STATUS) && m.status == 0 &&
	   ep_is(&m, SCCP_ROLE_MEDIA_TX, md.ip, md.port, layout),
	   "%s %s: StartMediaTransmissionAck: ids, transmit address, status", l, how);

	/* A refusal: status, no address. */
	md.status = 8;
	md.ip = 0;
	md.port = 0;
	n = sb_orc_ack(pdu, sizeof(pdu), hv, layout, &md);
	ok(decodes(pdu, n, hint, SCCP_OPEN_RECV_CHAN_ACK, hv,
		   layout == SCCP_LAYOUT_V17 ? SB_ORC_ACK_V17 : SB_ORC_ACK_OLD, &m) &&
	   m.layout == layout && m.status == 8 && m.ppid == md.ppid &&
	   ep_is(&m, SCCP_ROLE_MEDIA_RX, 0, 0, layout),
	   "%s %s: OpenReceiveChannelAck refusal (OutOfSockets, 0.0.0.0:0)", l, how);
}

static void test_roundtrip(void)
{
	roundtrip_layout(SCCP_LAYOUT_OLD, 0, 0, "header 0 (CallManager 4.x)");
	roundtrip_layout(SCCP_LAYOUT_OLD, 11, 11, "header 11");
	roundtrip_layout(SCCP_LAYOUT_V17, 17, 17, "header 17");
	roundtrip_layout(SCCP_LAYOUT_V17, 20, 20, "header 20");
	/* Asterisk: v17 bodies under header version 0, found by content. */
	roundtrip_layout(SCCP_LAYOUT_V17, 0, 0, "header 0, no hint (Asterisk)");
	roundtrip_layout(SCCP_LAYOUT_V17, 0, 17, "header 0, hint 17 (Asterisk)");
}

static void test_layoutless(void)
{
	struct sb_media md = media;
	uint8_t pdu[SB_MAX_PDU];
	struct sccp_msg m;
	size_t n;
	uint32_t hv;

	for (hv = 0; hv <= 17; hv += 17) {
		n = sb_register_ack(pdu, sizeof(pdu), hv, 30, 60, 17);
		ok(decodes(pdu, n, 0, SCCP_REGISTER_ACK, hv, SB_REGISTER_ACK, &m) &&
		   m.keepalive == 30 && m.keepalive2 == 60 && m.proto == 17 &&
		   !memcmp(pdu + SCCP_HDR_LEN + 4, "M/D/Y", 6),
		   "header %u: RegisterAck: keepalives 30/60, protocol 17, date template", hv);

		n = sb_register_reject(pdu, sizeof(pdu), hv, "Device not allowed");
		ok(decodes(pdu, n, 0, SCCP_REGISTER_REJECT, hv, SB_REGISTER_REJECT, &m) &&
		   !strcmp((const char *)pdu + SCCP_HDR_LEN, "Device not allowed"),
		   "header %u: RegisterReject carries its text", hv);

		n = sb_keepalive_req(pdu, sizeof(pdu), hv);
		ok(decodes(pdu, n, 0, SCCP_KEEPALIVE_REQ, hv, 0, &m) &&
		   m.hdr.length == 4, "header %u: KeepAliveReq, length 4", hv);
		n = sb_keepalive_ack(pdu, sizeof(pdu), hv);
		ok(decodes(pdu, n, 0, SCCP_KEEPALIVE_ACK, hv, 0, &m),
		   "header %u: KeepAliveAck", hv);

		n = sb_unregister_req(pdu, sizeof(pdu), hv);
		ok(decodes(pdu, n, 0, SCCP_UNREGISTER_REQ, hv, 4, &m) &&
		   (m.fields & SCCP_F_STATUS) && m.status == 0,
		   "header %u: UnregisterReq, reason 0", hv);
		n = sb_unregister_ack(pdu, sizeof(pdu), hv, 2);
		ok(decodes(pdu, n, 0, SCCP_UNREGISTER_ACK, hv, 4, &m) && m.status == 2,
		   "header %u: UnregisterAck carries its status", hv);

		n = sb_stop_media(pdu, sizeof(pdu), hv, &md);
		ok(decodes(pdu, n, 0, SCCP_STOP_MEDIA_TX, hv, SB_STOP_CLOSE, &m) &&
		   m.conference_id == md.conf_id && m.ppid == md.ppid &&
		   m.call_ref == md.call_ref && m.port_handling == 1 && m.n_ep == 0,
		   "header %u: StopMediaTransmission: ids, keep-port flag, no address", hv);
		n = sb_close_rx(pdu, sizeof(pdu), hv, &md);
		ok(decodes(pdu, n, 0, SCCP_CLOSE_RECV_CHAN, hv, SB_STOP_CLOSE, &m) &&
		   m.conference_id == md.conf_id && m.ppid == md.ppid &&
		   m.call_ref == md.call_ref && m.port_handling == 1 && m.n_ep == 0,
		   "header %u: CloseReceiveChannel: ids, keep-port flag, no address", hv);
	}
}

static void test_small_buffer(void)
{
	struct sb_media md = media;
	uint8_t pdu[SB_MAX_PDU];

	memset(pdu, 0x5a, sizeof(pdu));
	ok(sb_smt(pdu, SCCP_HDR_LEN + SB_SMT_V17 - 1, 17, SCCP_LAYOUT_V17, &md) == 0 &&
	   pdu[0] == 0x5a,
	   "a buffer one byte short builds nothing and writes nothing");
	ok(sb_smt(pdu, SCCP_HDR_LEN + SB_SMT_V17, 17, SCCP_LAYOUT_V17, &md) ==
	   SCCP_HDR_LEN + SB_SMT_V17, "the exact size is enough");
	ok(SCCP_HDR_LEN + SB_SMT_V17 <= SB_MAX_PDU && SCCP_HDR_LEN + SB_ORC_V17 <= SB_MAX_PDU,
	   "SB_MAX_PDU holds the largest message built");
}

static void test_negotiation(void)
{
	ok(sb_layout_for(17) == SCCP_LAYOUT_V17 && sb_layout_for(20) == SCCP_LAYOUT_V17 &&
	   sb_layout_for(16) == SCCP_LAYOUT_OLD && sb_layout_for(11) == SCCP_LAYOUT_OLD &&
	   sb_layout_for(0) == SCCP_LAYOUT_OLD,
	   "layout: v17 from protocol 17 on, old below");
	ok(sb_version_for(17, 0) == 17 && sb_version_for(11, 0) == 11 &&
	   sb_version_for(6, 0) == 0 && sb_version_for(17, 1) == 0,
	   "header version: the protocol from 10 on, 0 below or with --hdr0");
	ok(sb_codec_pt(SB_CODEC_G711_ULAW) == 0 && sb_codec_pt(SB_CODEC_G711_ALAW) == 8,
	   "G.711 mu-law is payload type 0, A-law 8");
}

/* ------------------------------------------------------------------ */
/* Framing a TCP byte stream */

#define MAX_PDUS 32

struct stream {
	uint8_t bytes[MAX_PDUS * SB_MAX_PDU];
	size_t len;
	size_t start[MAX_PDUS], size[MAX_PDUS];
	unsigned int n;
};

static void add(struct stream *s, size_t n)
{
	s->start[s->n] = s->len - n;
	s->size[s->n++] = n;
}

static void build_stream(struct stream *s)
{
	struct sb_register r = { .name = "SEP0003E348E321", .proto = 17,
				 .station_ip = ip4("198.51.100.20") };
	struct sb_media md = media;
	uint8_t *p;
	int layout;

	memset(s, 0, sizeof(*s));
	md.ip = ip4("198.51.100.20");
	for (layout = SCCP_LAYOUT_OLD; layout <= SCCP_LAYOUT_V17; layout++) {
#define PUT(call) do { p = s->bytes + s->len; s->len += (call); add(s, (size_t)(s->bytes + s->len - p)); } while (0)
		PUT(sb_register(p, SB_MAX_PDU, 0, layout, &r));
		PUT(sb_keepalive_req(p, SB_MAX_PDU, 0));
		PUT(sb_register_ack(p, SB_MAX_PDU, 0, 30, 60, 17));
		PUT(sb_orc(p, SB_MAX_PDU, layout == SCCP_LAYOUT_V17 ? 17 : 0, layout, &md));
		PUT(sb_orc_ack(p, SB_MAX_PDU, layout == SCCP_LAYOUT_V17 ? 0 : 11, layout, &md));
		PUT(sb_smt(p, SB_MAX_PDU, 0, layout, &md));
		PUT(sb_smt_ack(p, SB_MAX_PDU, 17, layout, &md));
		PUT(sb_stop_media(p, SB_MAX_PDU, 0, &md));
		PUT(sb_close_rx(p, SB_MAX_PDU, 0, &md));
		PUT(sb_unregister_req(p, SB_MAX_PDU, 0));
#undef PUT
	}
}

/*
 * Feed @s in pieces ending at the offsets of @cuts (then the rest) and
 * pop PDUs after each: the same PDUs, byte for byte, in order.
 */
static bool feed(const struct stream *s, const size_t *cuts, unsigned int ncuts)
{
	struct evbuffer *in = evbuffer_new();
	uint8_t pdu[SCCP_MAX_PDU];
	size_t off = 0, end;
	unsigned int got = 0, i;
	bool good = in != NULL;
	int n;

	for (i = 0; good && i <= ncuts; i++) {
		end = i < ncuts ? cuts[i] : s->len;
		if (end < off)
			continue;
		evbuffer_add(in, s->bytes + off, end - off);
		off = end;
		while ((n = sim_frame_pop(in, pdu, sizeof(pdu))) > 0) {
			if (got >= s->n || (size_t)n != s->size[got] ||
			    memcmp(pdu, s->bytes + s->start[got], (size_t)n)) {
				good = false;
				break;
			}
			got++;
		}
		if (n < 0)
			good = false;
	}
	good = good && got == s->n && evbuffer_get_length(in) == 0;
	if (in)
		evbuffer_free(in);
	return good;
}

static void test_framing(void)
{
	static struct stream s;
	size_t cuts[3], i, j, bad = 0, byte_cuts;
	size_t *every;
	unsigned int seed = 1;
	struct evbuffer *in;
	uint8_t pdu[SCCP_MAX_PDU];

	build_stream(&s);
	ok(feed(&s, NULL, 0), "%u PDUs of both layouts in one segment frame back", s.n);
	for (i = 0; i <= s.len; i++) {
		cuts[0] = i;
		if (!feed(&s, cuts, 1))
			bad++;
	}
	ok(!bad, "cut in two at each of the %zu offsets: %zu misframed", s.len + 1, bad);
	bad = 0;
	for (i = 0; i < 2000; i++) {
		for (j = 0; j < 3; j++)
			cuts[j] = (size_t)rand_r(&seed) % (s.len + 1);
		if (cuts[0] > cuts[1]) { size_t t = cuts[0]; cuts[0] = cuts[1]; cuts[1] = t; }
		if (cuts[1] > cuts[2]) { size_t t = cuts[1]; cuts[1] = cuts[2]; cuts[2] = t; }
		if (cuts[0] > cuts[1]) { size_t t = cuts[0]; cuts[0] = cuts[1]; cuts[1] = t; }
		if (!feed(&s, cuts, 3))
			bad++;
	}
	ok(!bad, "2000 random cuts in four: %zu misframed", bad);
	byte_cuts = s.len;
	every = calloc(byte_cuts, sizeof(*every));
	for (i = 0; every && i < byte_cuts; i++)
		every[i] = i + 1;
	ok(every && feed(&s, every, (unsigned int)byte_cuts),
	   "one byte per segment: every PDU frames back");
	free(every);

	in = evbuffer_new();
	evbuffer_add(in, "\x03\0\0\0\0\0\0\0\0\0\0\0", 12);
	ok(sim_frame_pop(in, pdu, sizeof(pdu)) == SCCP_E_LENGTH,
	   "a length field below 4 is a framing error (the stream ends)");
	evbuffer_drain(in, evbuffer_get_length(in));
	evbuffer_add(in, "\xf9\x1f\0\0\0\0\0\0\0\0\0\0", 12);
	ok(sim_frame_pop(in, pdu, sizeof(pdu)) == SCCP_E_TOO_BIG,
	   "a PDU above 8 KiB is a framing error");
	evbuffer_drain(in, evbuffer_get_length(in));
	evbuffer_add(in, "\x04\0\0\0\0\x01\0\0\0\0\0\0", 12);
	ok(sim_frame_pop(in, pdu, sizeof(pdu)) == SCCP_E_VERSION,
	   "a header version above 0xff is a framing error");
	evbuffer_drain(in, evbuffer_get_length(in));
	evbuffer_add(in, "\x04\0\0\0\0\0\0", 7);
	ok(sim_frame_pop(in, pdu, sizeof(pdu)) == 0 && evbuffer_get_length(in) == 7,
	   "a partial header waits for more, consuming nothing");
	evbuffer_free(in);
}

/* ------------------------------------------------------------------ */
/* RTP */

static void test_rtp_tx(void)
{
	struct rtp_tx tx;
	uint8_t a[RTP_MAX_PKT], b[RTP_MAX_PKT];
	size_t n1, n2, i;
	uint16_t s1, s2;
	uint32_t t1, t2, ssrc;
	bool pattern = true;

	rtp_tx_init(&tx, 42, 0, 20);
	n1 = rtp_tx_next(&tx, a);
	n2 = rtp_tx_next(&tx, b);
	s1 = (uint16_t)(a[2] << 8 | a[3]);
	s2 = (uint16_t)(b[2] << 8 | b[3]);
	t1 = (uint32_t)a[4] << 24 | (uint32_t)a[5] << 16 | (uint32_t)a[6] << 8 | a[7];
	t2 = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];
	ssrc = (uint32_t)a[8] << 24 | (uint32_t)a[9] << 16 | (uint32_t)a[10] << 8 | a[11];
	ok(n1 == 172 && n2 == 172, "G.711 20 ms: 12-byte header + 160 bytes");
	ok(a[0] == 0x80 && a[1] == 0 && b[1] == 0,
	   "version 2, no padding/extension/CSRC, marker clear, payload type 0");
	ok((uint16_t)(s1 + 1) == s2 && t1 + 160 == t2,
	   "sequence +1 and timestamp +160 per packet");
	ok(ssrc == tx.ssrc && !memcmp(a + 8, b + 8, 4) && ssrc != 0,
	   "one non-zero SSRC for the stream");
	for (i = 0; i < 160; i++)
		pattern = pattern && a[12 + i] == rtp_pattern(s1, i);
	ok(pattern, "payload is the pattern of its sequence number");
	rtp_tx_init(&tx, 43, 8, 30);
	ok(rtp_tx_next(&tx, a) == 252 && a[1] == 8, "A-law 30 ms: payload type 8, 240 bytes");
	rtp_tx_init(&tx, 43, 0, 0);
	ok(tx.payload_len == 160, "an absurd packet time falls back to 20 ms");
}

/* RTCP sender report (--rtcp): RFC 3550 6.4.1 layout, and its check. */
static void test_rtcp_sr(void)
{
	struct rtp_tx tx;
	uint8_t b[RTCP_MAX_PKT], pkt[RTP_MAX_PKT];
	struct rtcp_sr sr = { 0 };
	size_t n;

	rtp_tx_init(&tx, 42, 0, 20);
	rtp_tx_next(&tx, pkt);
	tx.packets = 3;
	n = rtcp_sr_build(b, &tx, 0x0102030405060708ULL);
	ok(n == 28 && b[0] == 0x80 && b[1] == 200 && b[2] == 0 && b[3] == 6,
	   "SR: version 2, no report block, PT 200, length 6 words");
	ok(!memcmp(b + 8, "\x01\x02\x03\x04\x05\x06\x07\x08", 8) &&
	   b[16] == (uint8_t)(tx.ts >> 24) && b[19] == (uint8_t)tx.ts &&
	   b[23] == 3 && b[26] == 0x01 && b[27] == 0xe0,
	   "SR: NTP time, RTP timestamp, 3 packets, 480 octets");
	ok(!rtcp_sr_check(b, n, &sr) && sr.ssrc == tx.ssrc && sr.packets == 3 &&
	   sr.octets == 480, "SR: checks, its SSRC and counts");
	b[3] = 7;
	ok(rtcp_sr_check(b, n, &sr), "SR: a length beyond the datagram refused");
	b[3] = 6;
	ok(rtcp_sr_check(b, n + 14, &sr),
	   "SR: a datagram longer than the SR (an SRTCP trailer: not decrypted) refused");
	b[1] = 201;
	ok(rtcp_sr_check(b, n, &sr), "SR: a receiver report (PT 201) is not an SR");
	b[1] = 200;
	ok(rtcp_sr_check(b, 27, &sr) && rtcp_sr_check(pkt, 172, &sr),
	   "SR: a short packet and an RTP packet refused");
}

/*
 * A far end changing its SSRC (rtp_tx_switch) and a receiver that
 * follows it (rtp_rx.follow), or does not.
 */
static void test_rtp_ssrc_switch(void)
{
	struct rtp_tx tx;
	struct rtp_rx rx, strict;
	uint8_t pkt[RTP_MAX_PKT];
	uint32_t a, b;
	uint16_t seq_a = 0;
	unsigned int i, round;

	rtp_tx_init(&tx, 9, 0, 20);
	rtp_rx_init(&rx, 0, 20);
	rtp_rx_init(&strict, 0, 20);
	rx.follow = true;
	a = tx.ssrc;
	for (round = 0; round < 3; round++) {
		if (round)
			rtp_tx_switch(&tx, 9);
		if (round == 2)
			ok(tx.ssrc == a && tx.seq == seq_a,
			   "switched back: the first SSRC goes on from its next sequence number");
		for (i = 0; i < 100; i++) {
			size_t n = rtp_tx_next(&tx, pkt);

			rtp_rx_account(&rx, pkt, n, ip4("198.51.100.20"), 16384);
			rtp_rx_account(&strict, pkt, n, ip4("198.51.100.20"), 16384);
		}
		if (!round)
			seq_a = tx.seq;
	}
	b = tx.alt_ssrc;
	ok(tx.switches == 2 && b != a && tx.ssrc == a, "two switches: A, B, A");
	ok(rx.packets == 300 && rx.ssrc_changes == 2 && rx.prev_ssrc == b && rx.ssrc == a &&
	   rtp_rx_expected(&rx) == 300 && rtp_rx_lost(&rx) == 0 && !rx.bad_ssrc &&
	   !rx.bad_payload && !rx.gaps && !rx.reorder,
	   "a following receiver: 2 SSRC changes, 300 expected and got, nothing bad");
	ok(strict.bad_ssrc == 100 && strict.valid == 200 && !strict.ssrc_changes,
	   "a strict receiver: B's 100 packets counted bad, A's 200 accounted");
}

static void make_pkt(uint8_t *pkt, uint16_t seq, uint32_t ssrc, uint8_t pt)
{
	size_t i;

	pkt[0] = 0x80;
	pkt[1] = pt;
	pkt[2] = seq >> 8;
	pkt[3] = seq & 0xff;
	memset(pkt + 4, 0, 4);
	pkt[8] = ssrc >> 24;
	pkt[9] = (ssrc >> 16) & 0xff;
	pkt[10] = (ssrc >> 8) & 0xff;
	pkt[11] = ssrc & 0xff;
	for (i = 0; i < 160; i++)
		pkt[12 + i] = rtp_pattern(seq, i);
}

static void rx_seq(struct rtp_rx *rx, const uint16_t *seqs, size_t n)
{
	uint8_t pkt[172];
	size_t i;

	for (i = 0; i < n; i++) {
		make_pkt(pkt, seqs[i], 0xabcdef01, 0);
		rtp_rx_account(rx, pkt, sizeof(pkt), ip4("198.51.100.20"), 20000);
	}
}

static void test_rtp_rx(void)
{
	struct rtp_tx tx;
	struct rtp_rx rx;
	uint8_t pkt[RTP_MAX_PKT];
	unsigned int i;
	size_t n;
	static const uint16_t gap[] = { 100, 101, 102, 106, 107, 110 };
	static const uint16_t dup[] = { 7, 8, 8, 9 };
	static const uint16_t reo[] = { 7, 9, 8, 10 };
	static const uint16_t wrap[] = { 65534, 65535, 0, 1, 2 };

	rtp_rx_init(&rx, 0, 20);
	rtp_tx_init(&tx, 7, 0, 20);
	for (i = 0; i < 500; i++) {
		n = rtp_tx_next(&tx, pkt);
		rtp_rx_account(&rx, pkt, n, ip4("198.51.100.20"), 16384);
	}
	ok(rx.packets == 500 && rtp_rx_expected(&rx) == 500 && rtp_rx_lost(&rx) == 0 &&
	   !rx.gaps && !rx.dup && !rx.reorder && rx.ssrc == tx.ssrc &&
	   !rx.bad_ssrc && !rx.bad_pt && !rx.bad_len && !rx.bad_payload &&
	   !rx.other_src && rx.src_ip == ip4("198.51.100.20") && rx.src_port == 16384,
	   "500 packets from the sender: no loss, its SSRC, its source, nothing bad");

	rtp_rx_init(&rx, 0, 20);
	rx_seq(&rx, gap, 6);
	ok(rtp_rx_expected(&rx) == 11 && rtp_rx_lost(&rx) == 5 && rx.gaps == 2,
	   "two holes (3 and 2 packets): 5 lost, 2 gaps");
	rtp_rx_init(&rx, 0, 20);
	rx_seq(&rx, dup, 4);
	ok(rtp_rx_lost(&rx) == 0 && rx.dup == 1 && !rx.gaps, "a duplicate: counted, not a loss");
	rtp_rx_init(&rx, 0, 20);
	rx_seq(&rx, reo, 4);
	ok(rtp_rx_lost(&rx) == 0 && rx.reorder == 1 && rx.gaps == 1,
	   "a late packet fills its hole: reordered, nothing lost");
	rtp_rx_init(&rx, 0, 20);
	rx_seq(&rx, wrap, 5);
	ok(rtp_rx_expected(&rx) == 5 && rtp_rx_lost(&rx) == 0 && !rx.gaps && !rx.reorder,
	   "the sequence wrapping past 65535 is not a loss");

	rtp_rx_init(&rx, 0, 20);
	make_pkt(pkt, 1, 0x11111111, 0);
	rtp_rx_account(&rx, pkt, 172, ip4("198.51.100.20"), 1000);
	make_pkt(pkt, 2, 0x22222222, 0);
	rtp_rx_account(&rx, pkt, 172, ip4("198.51.100.20"), 1000);
	make_pkt(pkt, 2, 0x11111111, 8);
	rtp_rx_account(&rx, pkt, 172, ip4("198.51.100.20"), 1000);
	make_pkt(pkt, 3, 0x11111111, 0);
	rtp_rx_account(&rx, pkt, 100, ip4("198.51.100.20"), 1000);
	make_pkt(pkt, 4, 0x11111111, 0);
	pkt[50] ^= 1;
	rtp_rx_account(&rx, pkt, 172, ip4("198.51.100.20"), 1000);
	make_pkt(pkt, 5, 0x11111111, 0);
	rtp_rx_account(&rx, pkt, 172, ip4("198.51.100.30"), 1000);
	rtp_rx_account(&rx, (const uint8_t *)"\x40hello world!", 13, ip4("198.51.100.20"), 1000);
	rtp_rx_account(&rx, pkt, 8, ip4("198.51.100.20"), 1000);
	ok(rx.packets == 8 && rx.ssrc == 0x11111111 && rx.bad_ssrc == 1 &&
	   rx.bad_pt == 1 && rx.bad_len == 1 && rx.bad_payload == 1 &&
	   rx.other_src == 1 && rx.not_rtp == 2,
	   "foreign SSRC, wrong payload type, short payload, corrupted payload, other source, not RTP: each counted");
}

/* ------------------------------------------------------------------ */
/* The configuration file and arguments */

static void test_cnf(void)
{
	static const char good[] =
		"<device><devicePool><callManagerGroup><members>"
		"<member priority=\"1\"><callManager><ports><ethernetPhonePort>2001</ethernetPhonePort></ports>"
		"<processNodeName>198.51.100.11</processNodeName></callManager></member>"
		"<member priority=\"0\"><callManager><ports><ethernetPhonePort> 2443 </ethernetPhonePort></ports>"
		"<processNodeName>\n 198.51.100.10 \n</processNodeName></callManager></member>"
		"</members></callManagerGroup></devicePool></device>";
	static const char noport[] =
		"<device><callManagerGroup><members><member><callManager>"
		"<processNodeName>192.0.2.1</processNodeName></callManager></member>"
		"</members></callManagerGroup></device>";
	static const char badport[] =
		"<device><callManagerGroup><members><member><callManager>"
		"<ports><ethernetPhonePort>70000</ethernetPhonePort></ports>"
		"<processNodeName>192.0.2.1</processNodeName></callManager></member>"
		"</members></callManagerGroup></device>";
	static const char nogroup[] = "<device><processNodeName>192.0.2.1</processNodeName></device>";
	static const char empty[] =
		"<device><callManagerGroup><members><member><callManager><processNodeName/>"
		"</callManager></member></members></callManagerGroup></device>";
	char host[256], path[512];
	const char *why = NULL;
	uint16_t port = 0;
	uint32_t a;
	uint8_t *buf;
	size_t len;
	FILE *f;

	ok(!sim_cnf_callmanager((const uint8_t *)good, strlen(good), host, sizeof(host),
				&port, &why) &&
	   !strcmp(host, "198.51.100.10") && port == 2443,
	   "the member of lowest priority wins; white space trimmed");
	ok(!sim_cnf_callmanager((const uint8_t *)noport, strlen(noport), host, sizeof(host),
				&port, &why) && port == 2000 && !strcmp(host, "192.0.2.1"),
	   "no ethernetPhonePort: 2000");
	ok(sim_cnf_callmanager((const uint8_t *)badport, strlen(badport), host, sizeof(host),
			       &port, &why) && strstr(why, "ethernetPhonePort"),
	   "an ethernetPhonePort above 65535 is refused, naming it");
	ok(sim_cnf_callmanager((const uint8_t *)nogroup, strlen(nogroup), host, sizeof(host),
			       &port, &why) && strstr(why, "callManagerGroup"),
	   "a processNodeName outside callManagerGroup is not the CallManager");
	ok(sim_cnf_callmanager((const uint8_t *)empty, strlen(empty), host, sizeof(host),
			       &port, &why) && strstr(why, "processNodeName"),
	   "a member without a node name is skipped");
	ok(sim_cnf_callmanager((const uint8_t *)"<device><a>", 11, host, sizeof(host),
			       &port, &why) && strstr(why, "XML"),
	   "a truncated file is refused");

	/* The CallManager 4.1 file of the captures and a three-member file. */
	snprintf(path, sizeof(path), "data/tftp/SEP001380AD9E5F.cnf.xml");
	f = fopen(path, "rb");
	buf = malloc(65536);
	len = f && buf ? fread(buf, 1, 65536, f) : 0;
	if (f)
		fclose(f);
	ok(len && !sim_cnf_callmanager(buf, len, host, sizeof(host), &port, &why) &&
	   port == 2000 && !pp_parse_ipv4(host, &a),
	   "CallManager 4.1's SEP001380AD9E5F.cnf.xml: an IPv4 node, port 2000");
	f = fopen("data/tftp/three-members.cnf.xml", "rb");
	len = f && buf ? fread(buf, 1, 65536, f) : 0;
	if (f)
		fclose(f);
	ok(len && !sim_cnf_callmanager(buf, len, host, sizeof(host), &port, &why) &&
	   !pp_parse_ipv4(host, &a),
	   "three members, out of order, one unnamed: the priority 0 one (an address)");
	free(buf);
}

static void test_hostport(void)
{
	uint32_t ip;
	uint16_t port;
	const char *why;

	ok(!sim_parse_hostport("198.51.100.10", 2000, &ip, &port, &why) &&
	   ip == ip4("198.51.100.10") && port == 2000, "ADDR: the default port");
	ok(!sim_parse_hostport("198.51.100.10:2443", 2000, &ip, &port, &why) &&
	   port == 2443, "ADDR:PORT");
	ok(sim_parse_hostport("198.51.100.10:0", 2000, &ip, &port, &why) &&
	   strstr(why, "port"), "port 0 refused, naming the port");
	ok(sim_parse_hostport("198.51.100.10:65536", 2000, &ip, &port, &why) &&
	   sim_parse_hostport("198.51.100.10:", 2000, &ip, &port, &why),
	   "port 65536 and an empty port refused");
	ok(sim_parse_hostport("callmanager:2000", 2000, &ip, &port, &why) &&
	   strstr(why, "IPv4") && sim_parse_hostport("", 2000, &ip, &port, &why) &&
	   sim_parse_hostport("198.51.100.256", 2000, &ip, &port, &why),
	   "names, empty strings and bad quads refused as not IPv4");
}

/* pp-phone-sim --servers: the CallManager group and where the standby goes. */
static void test_group(void)
{
	uint32_t ip[SIM_GROUP_MAX];
	uint16_t port[SIM_GROUP_MAX];
	unsigned int n = 0;
	const char *why = "";

	ok(!sim_parse_group("192.0.2.1,192.0.2.2:2001,192.0.2.3", 2000, ip, port, &n, &why) &&
	   n == 3 && ip[0] == ip4("192.0.2.1") && port[0] == 2000 &&
	   ip[1] == ip4("192.0.2.2") && port[1] == 2001 && ip[2] == ip4("192.0.2.3"),
	   "group: three members in order, ports defaulted or given");
	ok(!sim_parse_group("192.0.2.1", 2000, ip, port, &n, &why) && n == 1,
	   "group: one member");
	ok(sim_parse_group("192.0.2.1,192.0.2.2,192.0.2.3,192.0.2.4", 2000, ip, port, &n, &why) &&
	   strstr(why, "more than 3"), "group: a fourth member refused");
	ok(sim_parse_group("192.0.2.1,,192.0.2.3", 2000, ip, port, &n, &why) &&
	   strstr(why, "empty") && sim_parse_group("192.0.2.1,", 2000, ip, port, &n, &why) &&
	   sim_parse_group("", 2000, ip, port, &n, &why),
	   "group: an empty member refused");
	ok(sim_parse_group("192.0.2.1,192.0.2.1:2000", 2000, ip, port, &n, &why) &&
	   strstr(why, "twice") && !sim_parse_group("192.0.2.1,192.0.2.1:2001", 2000, ip, port, &n, &why),
	   "group: a server twice refused (another port is another server)");
	ok(sim_parse_group("192.0.2.1,ccm2", 2000, ip, port, &n, &why) && strstr(why, "IPv4"),
	   "group: a member that is not an address refused");
	ok(sim_group_next(3, 0, 0) == 1 && sim_group_next(3, 1, 1) == 2 &&
	   sim_group_next(3, 2, 2) == 0, "standby: the member after the active one");
	ok(sim_group_next(3, 1, 2) == 0 && sim_group_next(3, 1, 0) == 2 &&
	   sim_group_next(3, 0, 2) == 1, "standby failed: the next one, never the active one");
	ok(sim_group_next(2, 1, 1) == 0 && sim_group_next(2, 0, 1) == 1 &&
	   sim_group_next(1, 0, 0) == 0, "two members: the other one; one member: itself");
}

/* ---- secure: CTL and .sgn ---- */

struct keypair {
	EVP_PKEY *key;
	X509 *cert;
};

static int make_key(const char *cn, struct keypair *k)
{
	char *pem, err[256];
	size_t len;
	BIO *b;

	if (pp_cert_selfsigned(1024, cn, NULL, 0, &pem, &len, err, sizeof(err)))
		return -1;
	b = BIO_new_mem_buf(pem, (int)len);
	k->key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	b = BIO_new_mem_buf(pem, (int)len);
	k->cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	free(pem);
	return k->key && k->cert ? 0 : -1;
}

/* A CTL: sast (the signer) and the proxy as CCM+TFTP. */
static unsigned char *make_ctl(const struct keypair *sast, const struct keypair *proxy,
			       const char *name, size_t *len)
{
	struct pp_ctl_record r[2] = {
		{ .role = PP_ROLE_SAST, .cert = sast->cert },
		{ .role = PP_ROLE_CCM_TFTP, .cert = proxy->cert, .ip = "192.0.2.1" },
	};
	unsigned char *out = NULL;
	char err[256];

	if (pp_ctl_build(r, 2, sast->key, sast->cert, name, 1700000000, &out, len,
			 err, sizeof(err)))
		diag("pp_ctl_build: %s", err);
	return out;
}

static int mode_of(const char *xml)
{
	return sim_cnf_security_mode((const uint8_t *)xml, strlen(xml));
}

static void test_secure(void)
{
	static const char cnf[] =
		"<device><devicePool><callManagerGroup><members><member priority=\"0\">"
		"<callManager><ports><ethernetPhonePort>2443</ethernetPhonePort></ports>"
		"<processNodeName>192.0.2.1</processNodeName></callManager></member>"
		"</members></callManagerGroup></devicePool>"
		"<deviceSecurityMode>3</deviceSecurityMode>\n</device>\n";
	struct keypair sast1, sast2, proxy, rogue;
	unsigned char *ctl1, *ctl2, *sep1, *sep2, *sgn, *sgn_rogue;
	size_t l1, l2, ls1, ls2, lsgn, lrogue;
	struct sim_secure_result r;
	struct pp_ctl stored = { 0 };
	char why[1024], err[256], host[64];
	uint16_t port;
	const char *w;

	if (make_key("sast1", &sast1) || make_key("sast2", &sast2) ||
	    make_key("proxy", &proxy) || make_key("rogue", &rogue)) {
		ok(0, "test keys");
		return;
	}
	ctl1 = make_ctl(&sast1, &proxy, "CTLFile.tlv", &l1);
	ctl2 = make_ctl(&sast2, &proxy, "CTLFile.tlv", &l2);
	sep1 = make_ctl(&sast1, &proxy, "CTLSEP001122334455.tlv", &ls1);
	sep2 = make_ctl(&sast2, &proxy, "CTLSEP001122334455.tlv", &ls2);
	if (pp_sgn_build((const unsigned char *)cnf, strlen(cnf), "SEP001122334455.cnf.xml.sgn",
			 proxy.key, proxy.cert, 1700000000, &sgn, &lsgn, err, sizeof(err)) ||
	    pp_sgn_build((const unsigned char *)cnf, strlen(cnf), "SEP001122334455.cnf.xml.sgn",
			 rogue.key, rogue.cert, 1700000000, &sgn_rogue, &lrogue, err, sizeof(err)) ||
	    !ctl1 || !ctl2 || !sep1 || !sep2) {
		ok(0, "test files (%s)", err);
		return;
	}

	ok(sim_secure_check(NULL, ctl1, l1, sep1, ls1, sgn, lsgn, &r, why, sizeof(why)) == 0,
	   "no stored CTL: the CTL, the CTLSEP file and the signed file are accepted (%s)", why);
	ok(r.cnf_len == strlen(cnf) && !memcmp(r.cnf, cnf, r.cnf_len),
	   "the configuration is the signed file's body, byte for byte");
	ok(r.ccms && sk_X509_num(r.ccms) == 1 && !X509_cmp(sk_X509_value(r.ccms, 0), proxy.cert),
	   "the TLS trust anchor is the CTL's CCM+TFTP certificate");
	ok(r.security_mode == 3 && r.records == 2 && r.signer == 0 && r.ctlsep == 1,
	   "security mode 3 (encrypted), two records, signed by the SAST record");
	ok(sim_cnf_callmanager(r.cnf, r.cnf_len, host, sizeof(host), &port, &w) == 0 &&
	   !strcmp(host, "192.0.2.1") && port == 2443,
	   "the CallManager and the secure port come from the verified file");
	sim_secure_result_free(&r);

	ok(pp_ctl_parse(ctl1, l1, &stored, err, sizeof(err)) == 0, "a stored CTL (sast1)");
	ok(sim_secure_check(&stored, ctl1, l1, NULL, 0, sgn, lsgn, &r, why, sizeof(why)) == 0 &&
	   r.ctlsep == 0, "a CTL signed by a SAST key the stored CTL holds: accepted; no CTLSEP file is fine");
	sim_secure_result_free(&r);
	ok(sim_secure_check(&stored, ctl2, l2, NULL, 0, sgn, lsgn, &r, why, sizeof(why)) == -1 &&
	   strstr(why, "CTLFile.tlv refused: not signed by a SAST key of the stored CTL") &&
	   strstr(why, "sast2"),
	   "a CTL signed by a SAST key the stored CTL does not hold: refused, the signer named");
	diag("%s", why);
	ok(sim_secure_check(NULL, ctl1, l1, sep2, ls2, sgn, lsgn, &r, why, sizeof(why)) == -1 &&
	   strstr(why, "CTLSEP file refused"),
	   "a CTLSEP file signed by another SAST key than CTLFile.tlv's: refused");
	ok(sim_secure_check(NULL, ctl1, l1, NULL, 0, sgn_rogue, lrogue, &r, why, sizeof(why)) == -1 &&
	   strstr(why, "signed configuration file refused"),
	   "a signed file by a key the CTL does not list: refused (%s)", why);
	sgn[lsgn - 20] ^= 1;	/* in the body: the XML */
	ok(sim_secure_check(NULL, ctl1, l1, NULL, 0, sgn, lsgn, &r, why, sizeof(why)) == -1 &&
	   strstr(why, "signed configuration file refused"),
	   "a signed file whose body was changed: refused (%s)", why);
	sgn[lsgn - 20] ^= 1;
	ctl1[l1 - 1] ^= 1;
	ok(sim_secure_check(NULL, ctl1, l1, NULL, 0, sgn, lsgn, &r, why, sizeof(why)) == -1 &&
	   strstr(why, "CTLFile.tlv refused"), "a CTL changed by one bit: refused (%s)", why);
	ok(mode_of("<device/>") == 0 &&
	   mode_of("<device><deviceSecurityMode>9</deviceSecurityMode></device>") == -1 &&
	   mode_of("<device><a><deviceSecurityMode>3</deviceSecurityMode></a></device>") == 0 &&
	   mode_of("<device><deviceSecurityMode>2</deviceSecurityMode></device>") == 2 &&
	   mode_of("<device") == -1,
	   "deviceSecurityMode: absent 0, out of range or not XML -1, only as <device>'s child");
	pp_ctl_free(&stored);
	free(ctl1);
	free(ctl2);
	free(sep1);
	free(sep2);
	free(sgn);
	free(sgn_rogue);
	EVP_PKEY_free(sast1.key);
	EVP_PKEY_free(sast2.key);
	EVP_PKEY_free(proxy.key);
	EVP_PKEY_free(rogue.key);
	X509_free(sast1.cert);
	X509_free(sast2.cert);
	X509_free(proxy.cert);
	X509_free(rogue.cert);
}

/* ---- secure: TLS anchored on the CTL's certificate ---- */

/*
 * A certificate CN=@cn for @k's key issued by @by (NULL: self-signed),
 * a CA's (basicConstraints CA:TRUE) when @ca.
 */
static X509 *make_cert(const struct keypair *by, const struct keypair *k, const char *cn,
		       bool ca)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	X509_EXTENSION *ext = ca ? X509V3_EXT_conf_nid(NULL, NULL, NID_basic_constraints,
						       "critical,CA:TRUE") : NULL;

	if (!x || !n || (ca && !ext) || !X509_set_version(x, 2) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(x), 7) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), 86400) ||
	    !X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn,
					-1, -1, 0) ||
	    !X509_set_subject_name(x, n) ||
	    !X509_set_issuer_name(x, by ? X509_get_subject_name(by->cert) : n) ||
	    (ext && !X509_add_ext(x, ext, -1)) ||
	    !X509_set_pubkey(x, k->key) || !X509_sign(x, (by ? by : k)->key, EVP_sha256())) {
		X509_free(x);
		x = NULL;
	}
	X509_EXTENSION_free(ext);
	X509_NAME_free(n);
	return x;
}

/*
 * A handshake in memory: the phone's client (sim_tls_ctx(), TLS
 * @version, anchored on @anchor and @anchor2, those not NULL, by
 * sim_tls_anchor(): a CTL's CCM certificates) against a server
 * presenting @cert (+ @chain) with @key. 1: done, 0: failed, with
 * sim_tls_refused()'s text (or "") in @why.
 */
static int handshake(unsigned int version, X509 *anchor, X509 *anchor2, X509 *cert,
		     X509 *chain, EVP_PKEY *key, char *why, size_t len)
{
	STACK_OF(X509) *anchors = sk_X509_new_null();
	struct sim_tls_opts o = { .version = version };
	SSL_CTX *cctx, *sctx = SSL_CTX_new(TLS_server_method());
	SSL *c = NULL, *sv = NULL;
	BIO *bc = NULL, *bs = NULL;
	char err[256], buf[400];
	const char *r;
	int i, rc = -1, cd = 0, sd = 0;

	why[0] = '\0';
	cctx = sim_tls_ctx(&o, err, sizeof(err));
	if (!cctx || !sctx)
		goto out;
	SSL_CTX_set_security_level(sctx, 0);
	SSL_CTX_set_min_proto_version(sctx, TLS1_VERSION);
	SSL_CTX_set_max_proto_version(sctx, TLS1_2_VERSION);
	if (SSL_CTX_use_certificate(sctx, cert) != 1 || SSL_CTX_use_PrivateKey(sctx, key) != 1 ||
	    (chain && SSL_CTX_add1_chain_cert(sctx, chain) != 1))
		goto out;
	c = SSL_new(cctx);
	sv = SSL_new(sctx);
	if (!c || !sv || !BIO_new_bio_pair(&bc, 0, &bs, 0))
		goto out;
	SSL_set_bio(c, bc, bc);
	SSL_set_bio(sv, bs, bs);
	if (!anchors || (anchor && !sk_X509_push(anchors, anchor)) ||
	    (anchor2 && !sk_X509_push(anchors, anchor2)))
		goto out;
	if (sim_tls_anchor(c, anchors, err, sizeof(err))) {
		snprintf(why, len, "anchor: %s", err);
		goto out;
	}
	SSL_set_connect_state(c);
	SSL_set_accept_state(sv);
	for (i = 0; i < 50 && !(cd == 1 && sd == 1); i++) {
		if (cd != 1)
			cd = SSL_do_handshake(c);
		if (sd != 1)
			sd = SSL_do_handshake(sv);
		if (cd <= 0 && SSL_get_error(c, cd) != SSL_ERROR_WANT_READ &&
		    SSL_get_error(c, cd) != SSL_ERROR_WANT_WRITE)
			break;
	}
	rc = cd == 1 && sd == 1;
	r = sim_tls_refused(c, buf, sizeof(buf));
	snprintf(why, len, "%s", r ? r : "");
out:
	sk_X509_free(anchors);
	ERR_clear_error();
	SSL_free(c);
	SSL_free(sv);
	SSL_CTX_free(cctx);
	SSL_CTX_free(sctx);
	return rc;
}

static void test_tls_anchor(void)
{
	struct keypair proxy, again, rogue, leaf, ca;
	X509 *sub;
	SSL_CTX *ctx;
	SSL *ssl;
	struct sim_tls_opts o = { .version = 12 };
	char why[512];

	if (make_key("tftp17a98efd", &proxy) || make_key("tftp17a98efd", &again) ||
	    make_key("rogue", &rogue) || make_key("leaf", &leaf) || make_key("ca", &ca)) {
		ok(0, "test keys");
		return;
	}
	/* A CTL whose CCM certificate is a CA's: what it issued is still not it. */
	X509_free(ca.cert);
	ca.cert = make_cert(NULL, &ca, "ccm-ca", true);
	sub = ca.cert ? make_cert(&ca, &leaf, "tftp-issued", false) : NULL;
	ok(handshake(12, proxy.cert, NULL, proxy.cert, NULL, proxy.key, why, sizeof(why)) == 1 &&
	   !*why, "TLS 1.2: the server presents the CTL's CCM certificate: accepted (%s)", why);
	ok(handshake(10, proxy.cert, NULL, proxy.cert, NULL, proxy.key, why, sizeof(why)) == 1,
	   "TLS 1.0 with AES128-SHA: accepted the same way (%s)", why);
	ok(handshake(12, proxy.cert, NULL, again.cert, NULL, again.key, why, sizeof(why)) == 0 &&
	   strstr(why, "/CN=tftp17a98efd: "),
	   "a certificate regenerated with the same name, not in the CTL: refused, named (%s)", why);
	ok(handshake(10, proxy.cert, NULL, rogue.cert, NULL, rogue.key, why, sizeof(why)) == 0 &&
	   strstr(why, "/CN=rogue: "),
	   "TLS 1.0: another self-signed certificate: refused (%s)", why);
	ok(sub && handshake(12, ca.cert, NULL, ca.cert, NULL, ca.key, why, sizeof(why)) == 1,
	   "a CA's certificate in the CTL, presented as it is: accepted (%s)", why);
	ok(sub && handshake(12, ca.cert, NULL, sub, ca.cert, leaf.key, why, sizeof(why)) == 0 &&
	   strstr(why, "/CN=tftp-issued: not the trusted certificate"),
	   "a certificate the CTL's (CA) certificate issued, chain sent: refused, only that one is trusted (%s)",
	   why);
	ok(handshake(12, rogue.cert, proxy.cert, proxy.cert, NULL, proxy.key, why,
		     sizeof(why)) == 1 && !*why,
	   "a cluster's CTL lists two CCM certificates: the server presenting the second is accepted (%s)",
	   why);
	ok(handshake(12, rogue.cert, again.cert, proxy.cert, NULL, proxy.key, why,
		     sizeof(why)) == 0 && strstr(why, "/CN=tftp17a98efd: "),
	   "... a certificate neither lists: refused (%s)", why);
	ok(handshake(12, NULL, NULL, proxy.cert, NULL, proxy.key, why, sizeof(why)) == -1 &&
	   strstr(why, "anchor: no CCM certificate"), "no CTL certificate: no TLS at all (%s)", why);
	ctx = sim_tls_ctx(&o, why, sizeof(why));
	ssl = ctx ? SSL_new(ctx) : NULL;
	ok(ssl && !sim_tls_refused(ssl, why, sizeof(why)),
	   "nothing refused before a handshake");
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	X509_free(sub);
	EVP_PKEY_free(proxy.key);
	EVP_PKEY_free(again.key);
	EVP_PKEY_free(rogue.key);
	EVP_PKEY_free(leaf.key);
	EVP_PKEY_free(ca.key);
	X509_free(ca.cert);
	X509_free(proxy.cert);
	X509_free(again.cert);
	X509_free(rogue.cert);
	X509_free(leaf.cert);
}

int main(void)
{
	xmlInitParser();
	test_roundtrip();
	test_layoutless();
	test_small_buffer();
	test_negotiation();
	test_framing();
	test_rtp_tx();
	test_rtcp_sr();
	test_rtp_ssrc_switch();
	test_rtp_rx();
	test_cnf();
	test_hostport();
	test_group();
	test_secure();
	test_tls_anchor();
	xmlCleanupParser();
	return done_testing();
}
