// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * SCCP message builder of the test peers. Offsets: the wire notes
 * (shared/docs/sccp-protocol.md sections 3.1 to 3.7); every field the
 * decoder reads is written at the offset it reads it from.
 */
#include <string.h>

#include "sccp_build.h"

#define B(b)	(SCCP_HDR_LEN + (b))

static void put32(uint8_t *pdu, size_t b, uint32_t v)
{
	sccp_put_le32(pdu + B(b), v);
}

/* An address in @layout at body offset @b; returns the offset after it. */
static size_t put_addr(uint8_t *pdu, size_t b, int layout, uint32_t ip)
{
	if (layout == SCCP_LAYOUT_V17) {
		put32(pdu, b, SCCP_IPTYPE_V4);
		memcpy(pdu + B(b + 4), &ip, 4);	/* 12 zero bytes follow */
		return b + 20;
	}
	memcpy(pdu + B(b), &ip, 4);
	return b + 4;
}

size_t sb_header(uint8_t *out, size_t cap, uint32_t version, uint32_t id,
		 size_t body_len)
{
	size_t size = SCCP_HDR_LEN + body_len;

	if (size > cap)
		return 0;
	memset(out, 0, size);
	sccp_put_le32(out, (uint32_t)(body_len + 4));
	sccp_put_le32(out + 4, version);
	sccp_put_le32(out + 8, id);
	return size;
}

int sb_layout_for(uint8_t proto)
{
	return proto >= SCCP_V17 ? SCCP_LAYOUT_V17 : SCCP_LAYOUT_OLD;
}

uint32_t sb_version_for(uint8_t proto, int hdr0)
{
	return hdr0 || proto < 10 ? 0 : proto;
}

uint8_t sb_codec_pt(uint32_t codec)
{
	return codec == SB_CODEC_G711_ALAW ? 8 : 0;
}

size_t sb_register(uint8_t *out, size_t cap, uint32_t version, int layout,
		   const struct sb_register *r)
{
	size_t body = layout == SCCP_LAYOUT_V17 ? SB_REGISTER_V17 :
						  SB_REGISTER_OLD;
	size_t n = sb_header(out, cap, version, SCCP_REGISTER_REQ, body);
	size_t len = r->name ? strlen(r->name) : 0;

	if (!n)
		return 0;
	memcpy(out + B(0), r->name, len > 15 ? 15 : len);
	put32(out, 20, r->instance);
	memcpy(out + B(24), &r->station_ip, 4);
	put32(out, 28, r->device_type);
	put32(out, 32, r->max_streams);
	out[B(40)] = r->proto;
	put32(out, 44, 1);			/* maxConferences */
	memcpy(out + B(52), r->mac, 6);
	if (layout == SCCP_LAYOUT_V17) {
		put32(out, 68, 1);		/* maxNumberOfLines */
		/* B72: no IPv6 address (16 zero bytes) */
		if (r->firmware) {
			len = strlen(r->firmware);
			memcpy(out + B(92), r->firmware, len > 31 ? 31 : len);
		}
	}
	return n;
}

static size_t empty(uint8_t *out, size_t cap, uint32_t version, uint32_t id)
{
	return sb_header(out, cap, version, id, 0);
}

size_t sb_keepalive_req(uint8_t *out, size_t cap, uint32_t version)
{
	return empty(out, cap, version, SCCP_KEEPALIVE_REQ);
}

size_t sb_keepalive_ack(uint8_t *out, size_t cap, uint32_t version)
{
	return empty(out, cap, version, SCCP_KEEPALIVE_ACK);
}

size_t sb_unregister_req(uint8_t *out, size_t cap, uint32_t version)
{
	/* B0 reason: 0, unknown (the phone is going away) */
	return sb_header(out, cap, version, SCCP_UNREGISTER_REQ, 4);
}

size_t sb_unregister_ack(uint8_t *out, size_t cap, uint32_t version,
			 uint32_t status)
{
	size_t n = sb_header(out, cap, version, SCCP_UNREGISTER_ACK, 4);

	if (n)
		put32(out, 0, status);
	return n;
}

size_t sb_register_ack(uint8_t *out, size_t cap, uint32_t version,
		       uint32_t keepalive, uint32_t keepalive2, uint8_t proto)
{
	size_t n = sb_header(out, cap, version, SCCP_REGISTER_ACK,
			     SB_REGISTER_ACK);

	if (!n)
		return 0;
	put32(out, 0, keepalive);
	memcpy(out + B(4), "M/D/Y", 5);		/* dateTemplate, 8 bytes */
	put32(out, 12, keepalive2);
	out[B(16)] = proto;
	return n;
}

size_t sb_register_reject(uint8_t *out, size_t cap, uint32_t version,
			  const char *text)
{
	size_t n = sb_header(out, cap, version, SCCP_REGISTER_REJECT,
			     SB_REGISTER_REJECT);
	size_t len = text ? strlen(text) : 0;

	if (!n)
		return 0;
	memcpy(out + B(0), text, len > 31 ? 31 : len);
	return n;
}

/* The key block of the built PDU (@n bytes) from @m->key: 0 if refused. */
static size_t put_key(uint8_t *out, size_t n, const struct sb_media *m)
{
	uint32_t off;
	int len;

	if (!m->key)
		return n;
	len = sccp_key_block(out, n, 0, &off);
	if (len < 0 || sccp_key_set(out + off, (uint32_t)len, m->key))
		return 0;
	return n;
}

size_t sb_orc(uint8_t *out, size_t cap, uint32_t version, int layout,
	      const struct sb_media *m)
{
	size_t body = layout == SCCP_LAYOUT_V17 ? SB_ORC_V17 : SB_ORC_OLD;
	size_t n = sb_header(out, cap, version, SCCP_OPEN_RECV_CHAN, body);
	size_t e;

	if (!n)
		return 0;
	put32(out, 0, m->conf_id);
	put32(out, 4, m->ppid);
	put32(out, 8, m->packet_ms);
	put32(out, 12, m->codec);
	put32(out, 24, m->call_ref);
	/* B28: 48 bytes of media encryption key info, none */
	put32(out, 84, 101);			/* RFC2833PayloadType */
	put32(out, 88, 10);			/* dtmfType */
	e = put_addr(out, 100, layout, m->ip);	/* the far end, a hint */
	put32(out, e, m->port);
	/* e + 4: requestedIpAddrType 0, IPv4 */
	return put_key(out, n, m);
}

size_t sb_orc_ack(uint8_t *out, size_t cap, uint32_t version, int layout,
		  const struct sb_media *m)
{
	size_t body = layout == SCCP_LAYOUT_V17 ? SB_ORC_ACK_V17 :
						  SB_ORC_ACK_OLD;
	size_t n = sb_header(out, cap, version, SCCP_OPEN_RECV_CHAN_ACK, body);
	size_t e;

	if (!n)
		return 0;
	put32(out, 0, m->status);
	e = put_addr(out, 4, layout, m->ip);
	put32(out, e, m->port);
	put32(out, e + 4, m->ppid);
	put32(out, e + 8, m->call_ref);
	return n;
}

size_t sb_smt(uint8_t *out, size_t cap, uint32_t version, int layout,
	      const struct sb_media *m)
{
	size_t body = layout == SCCP_LAYOUT_V17 ? SB_SMT_V17 : SB_SMT_OLD;
	size_t n = sb_header(out, cap, version, SCCP_START_MEDIA_TX, body);
	size_t e;

	if (!n)
		return 0;
	put32(out, 0, m->conf_id);
	put32(out, 4, m->ppid);
	e = put_addr(out, 8, layout, m->ip);
	put32(out, e, m->port);
	put32(out, e + 4, m->packet_ms);
	put32(out, e + 8, m->codec);
	put32(out, e + 12, m->precedence);
	/* e + 16: silence suppression off */
	sccp_put_le32(out + B(e + 20), 1);	/* maxFramesPerPacket u16 + pad */
	put32(out, e + 28, m->call_ref);
	/* e + 32: 48 bytes of key info; then stream ids */
	put32(out, e + 88, 101);		/* RFC2833PayloadType */
	put32(out, e + 92, 10);			/* dtmfType */
	return put_key(out, n, m);
}

size_t sb_smt_ack(uint8_t *out, size_t cap, uint32_t version, int layout,
		  const struct sb_media *m)
{
	size_t body = layout == SCCP_LAYOUT_V17 ? SB_SMT_ACK_V17 :
						  SB_SMT_ACK_OLD;
	size_t n = sb_header(out, cap, version, SCCP_START_MEDIA_TX_ACK, body);
	size_t e;

	if (!n)
		return 0;
	put32(out, 0, m->conf_id);
	put32(out, 4, m->ppid);
	put32(out, 8, m->call_ref);
	e = put_addr(out, 12, layout, m->ip);
	put32(out, e, m->port);
	put32(out, e + 4, m->status);
	return n;
}

static size_t stop_close(uint8_t *out, size_t cap, uint32_t version,
			 uint32_t id, const struct sb_media *m)
{
	size_t n = sb_header(out, cap, version, id, SB_STOP_CLOSE);

	if (!n)
		return 0;
	put32(out, 0, m->conf_id);
	put32(out, 4, m->ppid);
	put32(out, 8, m->call_ref);
	put32(out, 12, m->port_handling);
	return n;
}

size_t sb_stop_media(uint8_t *out, size_t cap, uint32_t version,
		     const struct sb_media *m)
{
	return stop_close(out, cap, version, SCCP_STOP_MEDIA_TX, m);
}

size_t sb_close_rx(uint8_t *out, size_t cap, uint32_t version,
		   const struct sb_media *m)
{
	return stop_close(out, cap, version, SCCP_CLOSE_RECV_CHAN, m);
}
