/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The SCCP messages the test peers (pp-ccm-sim, pp-phone-sim) send, in
 * both address layouts: old (bare IPv4) and v17 (ipAddrType + 16 bytes).
 * Decoding is the project's parser, proto/sccp.c; every message
 * built here round-trips through sccp_decode() (tests/test_sim.c).
 *
 * Each builder writes one whole PDU into @out (@cap bytes) and returns
 * its size, or 0 when @cap is too small. Addresses are IPv4 in network
 * byte order (uint32_t as from inet_pton), ports host order.
 */
#ifndef PP_SIM_SCCP_BUILD_H
#define PP_SIM_SCCP_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "sccp.h"

#define SB_MAX_PDU	256	/* the largest PDU built here */

/* Other message ids the peers send or expect. */
#define SCCP_RESET		0x009f

/* Body sizes, per layout (docs/sim.md). */
#define SB_REGISTER_OLD		64
#define SB_REGISTER_V17		124
#define SB_ORC_OLD		112
#define SB_ORC_V17		128
#define SB_ORC_ACK_OLD		20
#define SB_ORC_ACK_V17		36
#define SB_SMT_OLD		116
#define SB_SMT_V17		132
#define SB_SMT_ACK_OLD		24
#define SB_SMT_ACK_V17		40
#define SB_STOP_CLOSE		16
#define SB_REGISTER_ACK		20
#define SB_REGISTER_REJECT	32

/* Codecs (compressionType) and their RTP payload types. */
#define SB_CODEC_G711_ALAW	2
#define SB_CODEC_G711_ULAW	4

struct sb_register {
	const char *name;		/* "SEP..." (up to 15 characters) */
	uint32_t station_ip;		/* network order */
	uint32_t instance;
	uint32_t device_type;		/* e.g. 115 (7941) */
	uint32_t max_streams;
	uint8_t proto;			/* the highest protocol the phone speaks */
	uint8_t mac[6];
	const char *firmware;		/* v17 body only */
};

/* What the media messages carry; unused fields are ignored. */
struct sb_media {
	uint32_t conf_id;
	uint32_t ppid;
	uint32_t call_ref;
	uint32_t ip;			/* network order */
	uint32_t port;
	uint32_t packet_ms;
	uint32_t codec;
	uint32_t precedence;
	uint32_t status;		/* ORC-Ack, SMT-Ack */
	uint32_t port_handling;		/* Stop, Close: 1 = keep the port */
	/* ORC, SMT: the media key block (sccp_key_set()); NULL: zeros */
	const struct sccp_media_key *key;
};

/* The header alone (length from @body_len); used by every builder. */
size_t sb_header(uint8_t *out, size_t cap, uint32_t version, uint32_t id,
		 size_t body_len);

/* D -> C */
size_t sb_register(uint8_t *out, size_t cap, uint32_t version, int layout,
		   const struct sb_register *r);
size_t sb_keepalive_req(uint8_t *out, size_t cap, uint32_t version);
size_t sb_unregister_req(uint8_t *out, size_t cap, uint32_t version);
size_t sb_orc_ack(uint8_t *out, size_t cap, uint32_t version, int layout,
		  const struct sb_media *m);
size_t sb_smt_ack(uint8_t *out, size_t cap, uint32_t version, int layout,
		  const struct sb_media *m);

/* C -> D */
size_t sb_register_ack(uint8_t *out, size_t cap, uint32_t version,
		       uint32_t keepalive, uint32_t keepalive2, uint8_t proto);
size_t sb_register_reject(uint8_t *out, size_t cap, uint32_t version,
			  const char *text);
size_t sb_keepalive_ack(uint8_t *out, size_t cap, uint32_t version);
size_t sb_unregister_ack(uint8_t *out, size_t cap, uint32_t version,
			 uint32_t status);
size_t sb_orc(uint8_t *out, size_t cap, uint32_t version, int layout,
	      const struct sb_media *m);
size_t sb_smt(uint8_t *out, size_t cap, uint32_t version, int layout,
	      const struct sb_media *m);
size_t sb_stop_media(uint8_t *out, size_t cap, uint32_t version,
		     const struct sb_media *m);
size_t sb_close_rx(uint8_t *out, size_t cap, uint32_t version,
		   const struct sb_media *m);

/*
 * The layout and header version a connection uses once the protocol is
 * negotiated: v17 from protocol 17 on; the header carries the protocol
 * from 10 on (0 below, as CallManager 4.x), or always 0 with @hdr0 (as
 * Asterisk, which sends v17 bodies under header version 0).
 */
int sb_layout_for(uint8_t proto);
uint32_t sb_version_for(uint8_t proto, int hdr0);

/* RTP payload type of an SCCP codec: 8 for A-law, else 0 (mu-law). */
uint8_t sb_codec_pt(uint32_t codec);

#endif /* PP_SIM_SCCP_BUILD_H */
