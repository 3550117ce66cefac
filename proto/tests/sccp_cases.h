/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The SCCP parser's test cases (proto/sccp.c), once, for the KUnit suite
 * (kmod/tests/sccp_kunit.c) and the userspace unit test
 * (userspace/tests/test_sccp.c): framing; a crafted PDU of every message
 * of docs/sccp.md's table in each layout, decoded whole, at every
 * truncation of its body and from every prefix; the layout rule (header
 * version 0 with a v17 body, the length rules, a window not all seen);
 * the captured PDUs and streams of sccp_vectors.h.
 *
 * Each check returns 0 when it holds, else non-zero with the first
 * failure described in why[SCCP_T_WHY]; the including suite turns that
 * into a KUnit expectation or a TAP line. Every cut or prefix is copied
 * into a buffer of its exact size (sccp_t_alloc()), so KASAN or ASan sees
 * any read beyond the bytes given. Include after sccp.c (kernel) or
 * sccp.h (userspace).
 */
#ifndef _PP_SCCP_CASES_H
#define _PP_SCCP_CASES_H

#include "sccp_test.h"
#include "sccp_vectors.h"
#include "sccp_key_cases.h"

#define SCCP_T_IP(a, b, c, d) \
	(((u32)(a) << 24) | ((u32)(b) << 16) | ((u32)(c) << 8) | (u32)(d))

/* The addresses of the crafted PDUs and of sccp_vectors.h. */
#define PH7912	SCCP_T_IP(192, 0, 2, 209)	/* the 7912 (CUCM 4.x) */
#define PH58	SCCP_T_IP(192, 0, 2, 58)		/* modern phone .58 */
#define PH50	SCCP_T_IP(192, 0, 2, 50)		/* modern phone .50 */
#define FAR27	SCCP_T_IP(203, 0, 113, 27)	/* CUCM 4.x far end */
#define HOST24	SCCP_T_IP(203, 0, 113, 24)	/* modern third host */
#define CM180	SCCP_T_IP(198, 51, 100, 180)
#define CM181	SCCP_T_IP(198, 51, 100, 181)
/* A group address for the parser, which does not check that it is one. */
#define GRP1	SCCP_T_IP(203, 0, 113, 101)
#define GRP2	SCCP_T_IP(203, 0, 113, 102)
#define V6	SCCP_T_IP(0x20, 0x01, 0x0d, 0xb8)	/* 2001:db8:: */

#define OLD	SCCP_LAYOUT_OLD
#define V17	SCCP_LAYOUT_V17
#define NONE	SCCP_LAYOUT_NONE
#define KN	SCCP_MSG_KNOWN
#define A4P	(SCCP_EP_IP4 | SCCP_EP_PORT)
#define A16P	(SCCP_EP_TYPE | SCCP_EP_IP16 | SCCP_EP_PORT)
#define T16	(SCCP_EP_TYPE | SCCP_EP_IP16)

enum { SCCP_T_END, SCCP_T_U32, SCCP_T_IPV4, SCCP_T_U8, SCCP_T_STR };

/* A write into a crafted body. */
struct sccp_t_put {
	u16 off;		/* body offset */
	u8 kind;		/* SCCP_T_* */
	u32 v;			/* SCCP_T_IPV4: a.b.c.d as SCCP_T_IP() */
	const char *s;
};

#define PUT32(o, x)	{ .off = (o), .kind = SCCP_T_U32, .v = (x) }
#define PUTIP(o, x)	{ .off = (o), .kind = SCCP_T_IPV4, .v = (x) }
#define PUT8(o, x)	{ .off = (o), .kind = SCCP_T_U8, .v = (x) }
#define PUTS(o, x)	{ .off = (o), .kind = SCCP_T_STR, .s = (x) }

/* An expected endpoint: body offset, shape, role, index, value. */
struct sccp_t_xep {
	u16 off;
	u8 shape;
	u8 role;
	u8 index;
	u32 type;
	u32 ip;
	u32 port;
	u32 rtcp;
};

#define EP(o, sh, r, i, t, a, p, rt) \
	{ .off = (o), .shape = (sh), .role = SCCP_ROLE_##r, .index = (i), \
	  .type = (t), .ip = (a), .port = (p), .rtcp = (rt) }

/* An expected scalar. */
struct sccp_t_xf {
	u32 flag;		/* SCCP_F_* */
	u32 v;
};

#define F(name, x)	{ .flag = SCCP_F_##name, .v = (x) }

/* ---- framing -------------------------------------------------------------- */

struct sccp_t_frame_case {
	const char *desc;
	u32 length;		/* header length field */
	u32 version;
	u32 avail;		/* bytes given */
	int frame_err;		/* sccp_frame() */
	int decode_err;		/* sccp_decode() */
	u32 size;		/* hdr.size when framed */
};

static const struct sccp_t_frame_case sccp_t_frame_cases[] = {
	{ "no byte: incomplete header", 4, 0, 0, SCCP_E_NEED_HDR,
	  SCCP_E_NEED_HDR },
	{ "11 bytes: incomplete header", 4, 0, 11, SCCP_E_NEED_HDR,
	  SCCP_E_NEED_HDR },
	{ "length 0 refused", 0, 0, 12, SCCP_E_LENGTH, SCCP_E_LENGTH },
	{ "length 1 refused", 1, 0, 12, SCCP_E_LENGTH, SCCP_E_LENGTH },
	{ "length 2 refused", 2, 0, 12, SCCP_E_LENGTH, SCCP_E_LENGTH },
	{ "length 3 refused", 3, 0, 12, SCCP_E_LENGTH, SCCP_E_LENGTH },
	{ "length 4: empty body, PDU of 12", 4, 0, 12, 0, 0, 12 },
	{ "largest PDU (8192) accepted", SCCP_MAX_PDU - 8, 0, 12, 0,
	  SCCP_E_NEED_MORE, SCCP_MAX_PDU },
	{ "one byte more refused", SCCP_MAX_PDU - 7, 0, 12, SCCP_E_TOO_BIG,
	  SCCP_E_TOO_BIG },
	{ "length 0xffffffff refused, no overflow", 0xffffffff, 0, 12,
	  SCCP_E_TOO_BIG, SCCP_E_TOO_BIG },
	{ "header version 0xff accepted", 4, 0xff, 12, 0, 0, 12 },
	{ "header version 0x100 refused", 4, 0x100, 12, SCCP_E_VERSION,
	  SCCP_E_VERSION },
	{ "length 100 with 12 bytes: incomplete PDU", 100, 0, 12, 0,
	  SCCP_E_NEED_MORE, 108 },
	{ "length 100 with 107 bytes: incomplete PDU", 100, 0, 107, 0,
	  SCCP_E_NEED_MORE, 108 },
	{ "length 100 with 108 bytes: whole", 100, 0, 108, 0, 0, 108 },
};

/* A PDU whose header says @c->length, @c->version, of which @c->avail bytes are given. */
static inline int sccp_t_framing(const struct sccp_t_frame_case *c, char *why)
{
	u8 full[SCCP_HDR_LEN + 100] = {};
	struct sccp_msg *m = sccp_t_alloc(sizeof(*m));
	struct sccp_hdr h;
	u8 *buf;
	int bad, err;

	sccp_put_le32(full, c->length);
	sccp_put_le32(full + 4, c->version);
	sccp_put_le32(full + 8, SCCP_KEEPALIVE_REQ);
	buf = sccp_t_exact(full, c->avail);
	if (sccp_t_ck(why, m && buf, "no memory")) {
		sccp_t_free(m);
		return 1;
	}
	err = sccp_frame(buf, c->avail, &h);
	bad = sccp_t_ck(why, err == c->frame_err, "sccp_frame: %d", err);
	if (!c->frame_err)
		bad |= sccp_t_ck(why, h.size == c->size, "size %u", h.size);
	err = sccp_decode(buf, c->avail, 0, m);
	bad |= sccp_t_ck(why, err == c->decode_err, "sccp_decode: %d", err);
	if (!c->decode_err || c->decode_err == SCCP_E_NEED_MORE)
		bad |= sccp_t_ck(why, m->hdr.size == c->size, "decoded size %u",
				 m->hdr.size);
	if (!c->decode_err)
		bad |= sccp_t_ck(why, m->flags & SCCP_MSG_COMPLETE,
				 "not complete");
	sccp_t_free(buf);
	sccp_t_free(m);
	return bad;
}

static inline int sccp_t_names(char *why)
{
	return sccp_t_ck(why, strcmp(sccp_strerror(SCCP_E_TRUNCATED),
				     sccp_strerror(SCCP_E_LENGTH)) &&
			 !strcmp(sccp_strerror(-100), "unknown error") &&
			 !strcmp(sccp_msg_name(SCCP_OPEN_RECV_CHAN_ACK),
				 "OpenReceiveChannelAck") &&
			 !strcmp(sccp_msg_name(0x0097), "unknown") &&
			 !strcmp(sccp_role_name(SCCP_ROLE_MEDIA_RX), "media-rx") &&
			 !strcmp(sccp_role_name(SCCP_ROLE_COUNT), "unknown"),
			 "a name or an error string");
}

/* ---- every message, both layouts ---------------------------------------- */

struct sccp_t_msg_case {
	const char *desc;
	u32 id;
	u32 hv;
	u32 body;
	u8 layout;
	u8 flags;		/* SCCP_MSG_KNOWN, _UNLOCATED expected */
	/* layout chosen from length or content: shorter bodies are old */
	u32 v17min;
	struct sccp_t_put w[8];
	struct sccp_t_xep ep[SCCP_MAX_EP];
	struct sccp_t_xf f[6];
};

static const struct sccp_t_msg_case sccp_t_msg_cases[] = {
	{ "KeepAliveReq", SCCP_KEEPALIVE_REQ, 0, 0, NONE, KN },
	{ "KeepAliveAck", SCCP_KEEPALIVE_ACK, 0x14, 0, NONE, KN },
	{ "RegisterReq body 52 (CUCM 4.x 7912)", SCCP_REGISTER_REQ, 0, 52,
	  NONE, KN, 0,
	  { PUTS(0, "SEP001380AD9E5F"), PUT32(20, 1), PUTIP(24, PH7912),
	    PUT32(28, 0x7537), PUT8(40, 7) },
	  { EP(24, SCCP_EP_IP4, STATION, 0, 0, PH7912, 0, 0) },
	  { F(INSTANCE, 1), F(DEVTYPE, 0x7537), F(PROTO, 7) } },
	{ "RegisterReq body 124 (v17 phone, IPv6)", SCCP_REGISTER_REQ, 0, 124,
	  NONE, KN, 0,
	  { PUTS(0, "SEP001F9E266369"), PUT32(20, 1), PUTIP(24, PH58),
	    PUT32(28, 0x73), PUT8(40, 17), PUTIP(72, V6), PUTIP(84, 1) },
	  { EP(24, SCCP_EP_IP4, STATION, 0, 0, PH58, 0, 0),
	    EP(72, SCCP_EP_IP16, STATION_V6, 0, 0, V6, 0, 0) },
	  { F(DEVTYPE, 0x73), F(PROTO, 17) } },
	{ "RegisterAck body 20", SCCP_REGISTER_ACK, 0, 20, NONE, KN, 0,
	  { PUT32(0, 30), PUT32(12, 60), PUT8(16, 6) }, {},
	  { F(KEEPALIVE, 30), F(KEEPALIVE2, 60), F(PROTO, 6) } },
	{ "RegisterAck body 12 (CallManager 2.x)", SCCP_REGISTER_ACK, 0, 12,
	  NONE, KN, 0, { PUT32(0, 30) }, {}, { F(KEEPALIVE, 30) } },
	{ "RegisterReject", SCCP_REGISTER_REJECT, 0, 36, NONE, KN, 0,
	  { PUTS(0, "Error: No License") } },
	{ "UnregisterReq", SCCP_UNREGISTER_REQ, 0, 4, NONE, KN, 0,
	  { PUT32(0, 1) }, {}, { F(STATUS, 1) } },
	{ "UnregisterAck", SCCP_UNREGISTER_ACK, 0, 4, NONE, KN, 0,
	  { PUT32(0, 2) }, {}, { F(STATUS, 2) } },
	{ "IpPort", SCCP_IP_PORT, 0, 4, NONE, KN, 0,
	  { PUT32(0, 32715) },
	  { EP(0, SCCP_EP_PORT, MEDIA_RX, 0, 0, 0, 32715, 0) } },
	{ "Alarm", SCCP_ALARM, 0, 92, NONE, KN, 0,
	  { PUT32(0, 2), PUTS(4, "Name=SEP001380AD9E5F"), PUTIP(88, PH7912) },
	  { EP(88, SCCP_EP_IP4, ALARM, 0, 0, PH7912, 0, 0) } },
	{ "OpenReceiveChannelAck old body 16", SCCP_OPEN_RECV_CHAN_ACK, 0, 16,
	  OLD, KN, 0,
	  { PUTIP(4, PH7912), PUT32(8, 16384), PUT32(12, 0x01000101) },
	  { EP(4, A4P, MEDIA_RX, 0, 0, PH7912, 16384, 0) },
	  { F(STATUS, 0), F(PPID, 0x01000101) } },
	{ "OpenReceiveChannelAck old body 20", SCCP_OPEN_RECV_CHAN_ACK, 0, 20,
	  OLD, KN, 0,
	  { PUTIP(4, PH7912), PUT32(8, 16384), PUT32(12, 7), PUT32(16, 9) },
	  { EP(4, A4P, MEDIA_RX, 0, 0, PH7912, 16384, 0) },
	  { F(PPID, 7), F(CALLREF, 9) } },
	{ "OpenReceiveChannelAck v17 (hv 0x14)", SCCP_OPEN_RECV_CHAN_ACK, 0x14,
	  36, V17, KN, 0,
	  { PUTIP(8, PH58), PUT32(24, 32144), PUT32(28, 0x0100004f),
	    PUT32(32, 0x012e364a) },
	  { EP(4, A16P, MEDIA_RX, 0, 0, PH58, 32144, 0) },
	  { F(PPID, 0x0100004f), F(CALLREF, 0x012e364a) } },
	{ "OpenReceiveChannelAck v17 body, hv 0 (Asterisk)",
	  SCCP_OPEN_RECV_CHAN_ACK, 0, 36, V17, KN, 36,
	  { PUTIP(8, PH58), PUT32(24, 32144), PUT32(28, 5) },
	  { EP(4, A16P, MEDIA_RX, 0, 0, PH58, 32144, 0) }, { F(PPID, 5) } },
	{ "OpenReceiveChannelAck hv 0, 36-byte body of old shape",
	  SCCP_OPEN_RECV_CHAN_ACK, 0, 36, OLD, KN, 36,
	  { PUTIP(4, PH7912), PUT32(8, 16384), PUT32(12, 5), PUT32(16, 6) },
	  { EP(4, A4P, MEDIA_RX, 0, 0, PH7912, 16384, 0) },
	  { F(PPID, 5), F(CALLREF, 6) } },
	{ "OpenReceiveChannelAck v17, IPv6 type", SCCP_OPEN_RECV_CHAN_ACK,
	  0x11, 36, V17, KN, 0,
	  { PUT32(4, 1), PUTIP(8, V6), PUT32(24, 5004) },
	  { EP(4, A16P, MEDIA_RX, 0, 1, V6, 5004, 0) } },
	{ "OpenMultiMediaReceiveChannelAck old", SCCP_OPEN_MM_RECV_CHAN_ACK, 0,
	  20, OLD, KN, 0,
	  { PUTIP(4, PH7912), PUT32(8, 5500), PUT32(12, 3) },
	  { EP(4, A4P, MEDIA_RX, 0, 0, PH7912, 5500, 0) }, { F(PPID, 3) } },
	{ "OpenMultiMediaReceiveChannelAck v17", SCCP_OPEN_MM_RECV_CHAN_ACK,
	  0x12, 36, V17, KN, 0,
	  { PUTIP(8, PH58), PUT32(24, 5502), PUT32(28, 3) },
	  { EP(4, A16P, MEDIA_RX, 0, 0, PH58, 5502, 0) }, { F(PPID, 3) } },
	{ "StartMediaTransmission old body 84 (CUCM 4.x)", SCCP_START_MEDIA_TX,
	  0, 84, OLD, KN, 0,
	  { PUT32(0, 0x0100001f), PUT32(4, 0x01000101), PUTIP(8, FAR27),
	    PUT32(12, 60186), PUT32(16, 20), PUT32(20, 4), PUT32(24, 0xb8),
	    PUT32(40, 0x0100001f) },
	  { EP(8, A4P, MEDIA_REMOTE, 0, 0, FAR27, 60186, 0) },
	  { F(CONF, 0x0100001f), F(PPID, 0x01000101), F(PKT_MS, 20),
	    F(CODEC, 4), F(CALLREF, 0x0100001f) } },
	{ "StartMediaTransmission old body 112", SCCP_START_MEDIA_TX, 0, 112,
	  OLD, KN, 0, { PUTIP(8, FAR27), PUT32(12, 4000), PUT32(40, 77) },
	  { EP(8, A4P, MEDIA_REMOTE, 0, 0, FAR27, 4000, 0) },
	  { F(CALLREF, 77) } },
	{ "StartMediaTransmission v17 (hv 0x14)", SCCP_START_MEDIA_TX, 0x14,
	  132, V17, KN, 0,
	  { PUT32(0, 0x012e364a), PUT32(4, 0x01000052), PUTIP(12, HOST24),
	    PUT32(28, 9395), PUT32(32, 20), PUT32(36, 4),
	    PUT32(56, 0x012e3651) },
	  { EP(8, A16P, MEDIA_REMOTE, 0, 0, HOST24, 9395, 0) },
	  { F(CONF, 0x012e364a), F(PPID, 0x01000052), F(PKT_MS, 20),
	    F(CODEC, 4), F(CALLREF, 0x012e3651) } },
	{ "StartMediaTransmission v17 body, hv 0 (Asterisk)",
	  SCCP_START_MEDIA_TX, 0, 132, V17, KN, 132,
	  { PUTIP(12, FAR27), PUT32(28, 19654), PUT32(56, 8) },
	  { EP(8, A16P, MEDIA_REMOTE, 0, 0, FAR27, 19654, 0) },
	  { F(CALLREF, 8) } },
	{ "StartMediaTransmissionAck old", SCCP_START_MEDIA_TX_ACK, 0, 24, OLD,
	  KN, 0,
	  { PUT32(0, 1), PUT32(4, 2), PUT32(8, 3), PUTIP(12, PH7912),
	    PUT32(16, 64037) },
	  { EP(12, A4P, MEDIA_TX, 0, 0, PH7912, 64037, 0) },
	  { F(CONF, 1), F(PPID, 2), F(CALLREF, 3), F(STATUS, 0) } },
	{ "StartMediaTransmissionAck v17", SCCP_START_MEDIA_TX_ACK, 0x14, 40,
	  V17, KN, 0,
	  { PUT32(0, 0x012e364a), PUT32(4, 0x01000052), PUTIP(16, PH58),
	    PUT32(32, 32150) },
	  { EP(12, A16P, MEDIA_TX, 0, 0, PH58, 32150, 0) },
	  { F(PPID, 0x01000052), F(STATUS, 0) } },
	{ "StartMultiMediaTransmissionAck old", SCCP_START_MM_TX_ACK, 0, 24,
	  OLD, KN, 0, { PUTIP(12, PH7912), PUT32(16, 5506) },
	  { EP(12, A4P, MEDIA_TX, 0, 0, PH7912, 5506, 0) } },
	{ "StartMultiMediaTransmissionAck v17", SCCP_START_MM_TX_ACK, 0x15, 40,
	  V17, KN, 0, { PUTIP(16, PH58), PUT32(32, 5506) },
	  { EP(12, A16P, MEDIA_TX, 0, 0, PH58, 5506, 0) } },
	{ "StopMediaTransmission body 16", SCCP_STOP_MEDIA_TX, 0, 16, NONE, KN,
	  0, { PUT32(0, 1), PUT32(4, 2), PUT32(8, 3), PUT32(12, 1) }, {},
	  { F(CONF, 1), F(PPID, 2), F(CALLREF, 3), F(PORT_HANDLING, 1) } },
	{ "StopMediaTransmission body 12 (CUCM 4.x)", SCCP_STOP_MEDIA_TX, 0,
	  12, NONE, KN, 0, { PUT32(0, 1), PUT32(4, 2), PUT32(8, 3) }, {},
	  { F(PPID, 2), F(CALLREF, 3) } },
	{ "CloseReceiveChannel body 16", SCCP_CLOSE_RECV_CHAN, 0x14, 16, NONE,
	  KN, 0, { PUT32(4, 2), PUT32(12, 0) }, {},
	  { F(PPID, 2), F(PORT_HANDLING, 0) } },
	{ "StopMultiMediaTransmission", SCCP_STOP_MM_TX, 0, 16, NONE, KN, 0,
	  { PUT32(4, 9), PUT32(12, 1) }, {},
	  { F(PPID, 9), F(PORT_HANDLING, 1) } },
	{ "CloseMultiMediaReceiveChannel", SCCP_CLOSE_MM_RECV_CHAN, 0, 16,
	  NONE, KN, 0, { PUT32(4, 9) }, {}, { F(PPID, 9) } },
	{ "MediaTransmissionFailure old", SCCP_MEDIA_TX_FAILURE, 0, 20, OLD,
	  KN, 0,
	  { PUT32(4, 2), PUTIP(8, FAR27), PUT32(12, 4000), PUT32(16, 3) },
	  { EP(8, A4P, MEDIA_REMOTE, 0, 0, FAR27, 4000, 0) },
	  { F(PPID, 2), F(CALLREF, 3) } },
	{ "MediaTransmissionFailure v17", SCCP_MEDIA_TX_FAILURE, 0x11, 36, V17,
	  KN, 0,
	  { PUT32(4, 2), PUTIP(12, FAR27), PUT32(28, 4000), PUT32(32, 3) },
	  { EP(8, A16P, MEDIA_REMOTE, 0, 0, FAR27, 4000, 0) },
	  { F(PPID, 2), F(CALLREF, 3) } },
	{ "PortReq", SCCP_PORT_REQ, 0x13, 24, NONE, KN, 0,
	  { PUT32(0, 1), PUT32(4, 2), PUT32(8, 3), PUT32(12, 1),
	    PUT32(20, 1) }, {},
	  { F(CONF, 1), F(CALLREF, 2), F(PPID, 3), F(REQ_IPTYPE, 0),
	    F(MEDIA_TYPE, 1) } },
	{ "PortRes old body 24", SCCP_PORT_RES, 0, 24, OLD, KN, 0,
	  { PUT32(8, 3), PUTIP(12, PH7912), PUT32(16, 24576),
	    PUT32(20, 24577) },
	  { EP(12, A4P | SCCP_EP_RTCP, MEDIA_RX, 0, 0, PH7912, 24576,
	       24577) },
	  { F(PPID, 3) } },
	{ "PortRes v17 body 44 (hv 0x13, mediaType)", SCCP_PORT_RES, 0x13, 44,
	  V17, KN, 0,
	  { PUT32(8, 3), PUTIP(16, PH58), PUT32(32, 24578), PUT32(36, 24579),
	    PUT32(40, 1) },
	  { EP(12, A16P | SCCP_EP_RTCP, MEDIA_RX, 0, 0, PH58, 24578, 24579) },
	  { F(PPID, 3), F(MEDIA_TYPE, 1) } },
	{ "PortClose", SCCP_PORT_CLOSE, 0, 16, NONE, KN, 0,
	  { PUT32(8, 3), PUT32(12, 2) }, {}, { F(PPID, 3), F(MEDIA_TYPE, 2) } },
	{ "RegisterTokenReq old", SCCP_REGISTER_TOKEN_REQ, 0, 36, OLD, KN, 0,
	  { PUTS(0, "SEP001F9E266369"), PUTIP(24, PH58), PUT32(28, 0x73) },
	  { EP(24, SCCP_EP_IP4, STATION, 0, 0, PH58, 0, 0),
	    EP(32, SCCP_EP_IP4, STATION_V6, 0, 0, 0, 0, 0) },
	  { F(DEVTYPE, 0x73) } },
	{ "RegisterTokenReq v17", SCCP_REGISTER_TOKEN_REQ, 0x11, 52, V17, KN, 0,
	  { PUTS(0, "SEP001F9E266369"), PUTIP(24, PH58), PUT32(32, 1),
	    PUTIP(36, V6) },
	  { EP(24, SCCP_EP_IP4, STATION, 0, 0, PH58, 0, 0),
	    EP(32, T16, STATION_V6, 0, 1, V6, 0, 0) } },
	{ "ServerRes old body 280", SCCP_SERVER_RES, 0, 280, OLD, KN, 0,
	  { PUTS(0, "CUCM1"), PUT32(240, 2000), PUT32(244, 2000),
	    PUTIP(260, CM180), PUTIP(264, CM181) },
	  { EP(240, SCCP_EP_PORT, SERVER_PORT, 0, 0, 0, 2000, 0),
	    EP(244, SCCP_EP_PORT, SERVER_PORT, 1, 0, 0, 2000, 0),
	    EP(248, SCCP_EP_PORT, SERVER_PORT, 2, 0, 0, 0, 0),
	    EP(252, SCCP_EP_PORT, SERVER_PORT, 3, 0, 0, 0, 0),
	    EP(256, SCCP_EP_PORT, SERVER_PORT, 4, 0, 0, 0, 0),
	    EP(260, SCCP_EP_IP4, SERVER, 0, 0, CM180, 0, 0),
	    EP(264, SCCP_EP_IP4, SERVER, 1, 0, CM181, 0, 0),
	    EP(268, SCCP_EP_IP4, SERVER, 2, 0, 0, 0, 0),
	    EP(272, SCCP_EP_IP4, SERVER, 3, 0, 0, 0, 0),
	    EP(276, SCCP_EP_IP4, SERVER, 4, 0, 0, 0, 0) } },
	{ "ServerRes v17 body 360 (by length)", SCCP_SERVER_RES, 0, 360, V17,
	  KN, 289,
	  { PUT32(240, 2000), PUTIP(264, CM180), PUTIP(284, CM181) },
	  { EP(240, SCCP_EP_PORT, SERVER_PORT, 0, 0, 0, 2000, 0),
	    EP(244, SCCP_EP_PORT, SERVER_PORT, 1, 0, 0, 0, 0),
	    EP(248, SCCP_EP_PORT, SERVER_PORT, 2, 0, 0, 0, 0),
	    EP(252, SCCP_EP_PORT, SERVER_PORT, 3, 0, 0, 0, 0),
	    EP(256, SCCP_EP_PORT, SERVER_PORT, 4, 0, 0, 0, 0),
	    EP(260, T16, SERVER, 0, 0, CM180, 0, 0),
	    EP(280, T16, SERVER, 1, 0, CM181, 0, 0),
	    EP(300, T16, SERVER, 2, 0, 0, 0, 0),
	    EP(320, T16, SERVER, 3, 0, 0, 0, 0),
	    EP(340, T16, SERVER, 4, 0, 0, 0, 0) } },
	{ "OpenReceiveChannel body 68 (CUCM 4.x, no source)",
	  SCCP_OPEN_RECV_CHAN, 0, 68, OLD, KN, 0,
	  { PUT32(0, 0x0100001f), PUT32(4, 0x01000101), PUT32(8, 20),
	    PUT32(12, 4), PUT32(24, 0x0100001f) }, {},
	  { F(CONF, 0x0100001f), F(PPID, 0x01000101), F(PKT_MS, 20),
	    F(CODEC, 4), F(CALLREF, 0x0100001f) } },
	{ "OpenReceiveChannel body 108 (old source)", SCCP_OPEN_RECV_CHAN, 0x0b,
	  108, OLD, KN, 0, { PUT32(4, 6), PUTIP(100, FAR27), PUT32(104, 4000) },
	  { EP(100, A4P, MEDIA_SOURCE, 0, 0, FAR27, 4000, 0) },
	  { F(PPID, 6) } },
	{ "OpenReceiveChannel body 112 (hv 0x10, requested type)",
	  SCCP_OPEN_RECV_CHAN, 0x10, 112, OLD, KN, 0,
	  { PUTIP(100, FAR27), PUT32(104, 4000), PUT32(108, 0) },
	  { EP(100, A4P, MEDIA_SOURCE, 0, 0, FAR27, 4000, 0) },
	  { F(REQ_IPTYPE, 0) } },
	{ "OpenReceiveChannel v17 body 128 (hv 0x14)", SCCP_OPEN_RECV_CHAN,
	  0x14, 128, V17, KN, 0,
	  { PUT32(0, 0x012e364a), PUT32(4, 0x0100004f), PUTIP(104, PH50),
	    PUT32(120, 4000) },
	  { EP(100, A16P, MEDIA_SOURCE, 0, 0, PH50, 4000, 0) },
	  { F(PPID, 0x0100004f), F(REQ_IPTYPE, 0) } },
	{ "OpenMultiMediaReceiveChannel (hint not located)",
	  SCCP_OPEN_MM_RECV_CHAN, 0x14, 176, NONE, KN | SCCP_MSG_UNLOCATED, 0,
	  { PUT32(4, 3), PUT32(16, 4) }, {}, { F(PPID, 3), F(CALLREF, 4) } },
	{ "StartMultiMediaTransmission old", SCCP_START_MM_TX, 0, 120, OLD, KN,
	  0,
	  { PUT32(4, 3), PUT32(8, 103), PUTIP(12, FAR27), PUT32(16, 5600),
	    PUT32(20, 11) },
	  { EP(12, A4P, MEDIA_REMOTE, 0, 0, FAR27, 5600, 0) },
	  { F(PPID, 3), F(CODEC, 103), F(CALLREF, 11) } },
	{ "StartMultiMediaTransmission v17", SCCP_START_MM_TX, 0x14, 136, V17,
	  KN, 0,
	  { PUT32(4, 3), PUTIP(16, FAR27), PUT32(32, 5600), PUT32(36, 11) },
	  { EP(12, A16P, MEDIA_REMOTE, 0, 0, FAR27, 5600, 0) },
	  { F(PPID, 3), F(CALLREF, 11) } },
	{ "StartMulticastMediaReception old", SCCP_START_MCAST_RX, 0, 36, OLD,
	  KN, 0, { PUTIP(8, GRP1), PUT32(12, 20480), PUT32(32, 5) },
	  { EP(8, A4P, MULTICAST, 0, 0, GRP1, 20480, 0) }, { F(CALLREF, 5) } },
	{ "StartMulticastMediaReception v17", SCCP_START_MCAST_RX, 0x11, 52,
	  V17, KN, 0, { PUTIP(12, GRP1), PUT32(28, 20480), PUT32(48, 5) },
	  { EP(8, A16P, MULTICAST, 0, 0, GRP1, 20480, 0) },
	  { F(CALLREF, 5) } },
	{ "StartMulticastMediaTransmission old", SCCP_START_MCAST_TX, 0, 44,
	  OLD, KN, 0, { PUTIP(8, GRP2), PUT32(12, 20482), PUT32(40, 6) },
	  { EP(8, A4P, MULTICAST, 0, 0, GRP2, 20482, 0) }, { F(CALLREF, 6) } },
	{ "StartMulticastMediaTransmission v17", SCCP_START_MCAST_TX, 0x16, 60,
	  V17, KN, 0, { PUTIP(12, GRP2), PUT32(28, 20482), PUT32(56, 6) },
	  { EP(8, A16P, MULTICAST, 0, 0, GRP2, 20482, 0) },
	  { F(CALLREF, 6) } },
	{ "RegisterTokenAck", SCCP_REGISTER_TOKEN_ACK, 0, 0, NONE, KN },
	{ "RegisterTokenReject", SCCP_REGISTER_TOKEN_REJECT, 0, 4, NONE, KN },
	{ "unknown id (ButtonTemplateRes): framing only", 0x0097, 0, 100, NONE,
	  0, 0, { PUT32(0, 0xffffffff) } },
};

/* A PDU of @body bytes: header (@id, @hv), zeros, then the writes. */
static inline u8 *sccp_t_build(u32 id, u32 hv, u32 body,
			       const struct sccp_t_put *w)
{
	u8 *buf = sccp_t_alloc(SCCP_HDR_LEN + body), *p;

	if (!buf)
		return NULL;
	sccp_put_le32(buf, body + 4);
	sccp_put_le32(buf + 4, hv);
	sccp_put_le32(buf + 8, id);
	for (; w->kind != SCCP_T_END; w++) {
		p = buf + SCCP_HDR_LEN + w->off;
		switch (w->kind) {
		case SCCP_T_U32:
			sccp_put_le32(p, w->v);
			break;
		case SCCP_T_IPV4:
			p[0] = (u8)(w->v >> 24);
			p[1] = (u8)(w->v >> 16);
			p[2] = (u8)(w->v >> 8);
			p[3] = (u8)w->v;
			break;
		case SCCP_T_U8:
			p[0] = (u8)w->v;
			break;
		case SCCP_T_STR:
			memcpy(p, w->s, strlen(w->s));
			break;
		}
	}
	return buf;
}

/*
 * ---- the media key block (oracle: docs/sccp.md, sccp-protocol.md §7) ----
 * ORC: body offset 28 in every version; SMT: 44 old, 60 v17; 48 bytes,
 * of which CUCM 4.x bodies carry the first 40 (through the salt).
 */
static inline int sccp_t_key_expect(u32 id, int layout, u32 body, u32 *off)
{
	u32 b;

	if (id == SCCP_OPEN_RECV_CHAN)
		b = 28;
	else if (id == SCCP_START_MEDIA_TX)
		b = layout == SCCP_LAYOUT_V17 ? 60 : 44;
	else
		return SCCP_E_NO_KEY;
	*off = SCCP_HDR_LEN + b;
	if (body >= b + 48)
		return 48;
	return body >= b + 40 ? 40 : SCCP_E_KEY_ABSENT;
}

/*
 * The key block of the whole PDU @buf (@len bytes, exactly), decoded in
 * @m: where the decoder and sccp_key_block() put it, as the oracle says;
 * read, it is @want (NULL: not read).
 */
static inline int sccp_t_key_in(const u8 *buf, u32 len, const struct sccp_msg *m,
				const struct sccp_media_key *want, char *why)
{
	u32 xoff = 0, off = 0;
	int x = sccp_t_key_expect(m->hdr.id, m->layout, m->body_len, &xoff);
	int n = sccp_key_block(buf, len, 0, &off);
	struct sccp_media_key k;

	if (sccp_t_ck(why, n == x && (x < 0 ? m->key_len == 0 :
				     off == xoff && m->key_off == xoff &&
				     m->key_len == x),
		      "%s body %u: key block %d at %u (decoder %u at %u), want %d at %u",
		      sccp_msg_name(m->hdr.id), m->body_len, n, off,
		      m->key_len, m->key_off, x, xoff))
		return 1;
	if (x < 0 || !want)
		return 0;
	if (sccp_t_ck(why, !sccp_key_get(buf + off, n, &k), "key not read"))
		return 1;
	return sccp_t_ck(why, !memcmp(&k, want, sizeof(k)),
			 "key block: alg %u, lengths %u/%u, key %02x.., mki %u, kdr %u",
			 k.alg, k.key_len, k.salt_len, k.key[0], k.mki, k.kdr);
}

static inline u32 sccp_t_ip4(const struct sccp_addr *a)
{
	return SCCP_T_IP(a->ip[0], a->ip[1], a->ip[2], a->ip[3]);
}

static inline u32 sccp_t_shape_len(u8 shape)
{
	return (shape & SCCP_EP_TYPE ? 4 : 0) + (shape & SCCP_EP_IP4 ? 4 : 0) +
	       (shape & SCCP_EP_IP16 ? 16 : 0) +
	       (shape & SCCP_EP_PORT ? 4 : 0) + (shape & SCCP_EP_RTCP ? 4 : 0);
}

static inline u32 sccp_t_scalar(const struct sccp_msg *m, u32 flag)
{
	switch (flag) {
	case SCCP_F_CONF:		return m->conference_id;
	case SCCP_F_PPID:		return m->ppid;
	case SCCP_F_CALLREF:		return m->call_ref;
	case SCCP_F_STATUS:		return m->status;
	case SCCP_F_PORT_HANDLING:	return m->port_handling;
	case SCCP_F_PROTO:		return m->proto;
	case SCCP_F_KEEPALIVE:		return m->keepalive;
	case SCCP_F_KEEPALIVE2:		return m->keepalive2;
	case SCCP_F_DEVTYPE:		return m->device_type;
	case SCCP_F_INSTANCE:		return m->instance;
	case SCCP_F_MEDIA_TYPE:		return m->media_type;
	case SCCP_F_REQ_IPTYPE:		return m->req_iptype;
	case SCCP_F_PKT_MS:		return m->packet_ms;
	case SCCP_F_CODEC:		return m->codec;
	}
	return 0xdeadbeef;
}

static inline int sccp_t_scalars(const struct sccp_msg *m,
				 const struct sccp_t_xf *f, unsigned int n,
				 char *why)
{
	unsigned int i;
	int bad = 0;

	for (i = 0; i < n && f[i].flag; i++)
		bad |= sccp_t_ck(why, (m->fields & f[i].flag) &&
				 sccp_t_scalar(m, f[i].flag) == f[i].v,
				 "field %#x: %s, %u", f[i].flag,
				 m->fields & f[i].flag ? "set" : "unset",
				 sccp_t_scalar(m, f[i].flag));
	return bad;
}

static inline unsigned int sccp_t_n_xep(const struct sccp_t_msg_case *c)
{
	unsigned int n = 0;

	while (n < SCCP_MAX_EP && c->ep[n].shape)
		n++;
	return n;
}

/* Decoded whole: layout, flags, every endpoint and scalar. */
static inline int sccp_t_message(const struct sccp_t_msg_case *c, char *why)
{
	unsigned int i, n = sccp_t_n_xep(c);
	struct sccp_msg *m = sccp_t_alloc(sizeof(*m));
	u8 *buf = sccp_t_build(c->id, c->hv, c->body, c->w);
	int bad = sccp_t_ck(why, m && buf, "no memory");

	if (!bad)
		bad = sccp_t_ck(why, !sccp_decode(buf, SCCP_HDR_LEN + c->body,
						  0, m), "not decoded");
	if (!bad)
		bad = sccp_t_ck(why, m->hdr.id == c->id &&
				m->body_len == c->body &&
				m->layout == c->layout && m->n_ep == n &&
				(m->flags & (SCCP_MSG_KNOWN |
					     SCCP_MSG_UNLOCATED)) == c->flags &&
				(m->flags & SCCP_MSG_COMPLETE) &&
				!(m->flags & SCCP_MSG_TENTATIVE) &&
				m->need <= m->hdr.size &&
				m->need <= SCCP_PREFIX_MAX,
				"layout %u, %u endpoints, flags %#x, need %u",
				m->layout, m->n_ep, m->flags, m->need);
	for (i = 0; i < n && !bad; i++) {
		const struct sccp_t_xep *x = &c->ep[i];
		const struct sccp_ep *e = &m->ep[i];

		bad = sccp_t_ck(why, e->off == SCCP_HDR_LEN + x->off &&
				e->shape == x->shape &&
				e->len == sccp_t_shape_len(x->shape) &&
				!strcmp(sccp_role_name(e->role),
					sccp_role_name(x->role)) &&
				e->index == x->index && e->known &&
				e->val.type == x->type &&
				sccp_t_ip4(&e->val) == x->ip &&
				e->val.port == x->port &&
				e->val.rtcp_port == x->rtcp,
				"endpoint %u: off %u shape %#x %s %u type %u %08x port %u rtcp %u",
				i, e->off, e->shape, sccp_role_name(e->role),
				e->index, e->val.type, sccp_t_ip4(&e->val),
				e->val.port, e->val.rtcp_port);
	}
	if (!bad)
		bad = sccp_t_scalars(m, c->f, ARRAY_SIZE(c->f), why);
	if (!bad) {
		static const struct sccp_media_key zero;

		bad = sccp_t_key_in(buf, SCCP_HDR_LEN + c->body, m, &zero, why);
	}
	sccp_t_free(buf);
	sccp_t_free(m);
	return bad;
}

/*
 * The endpoints of @c whose fields lie within a body of @cut bytes, as
 * the decoder must list them; whether the cut falls inside one.
 */
static inline bool sccp_t_cut_matches(const struct sccp_t_msg_case *c, u32 cut,
				      const struct sccp_msg *m, int err)
{
	static const u8 order[] = { SCCP_EP_TYPE, SCCP_EP_IP4, SCCP_EP_IP16,
				    SCCP_EP_PORT, SCCP_EP_RTCP };
	unsigned int i, j, k = 0, n = sccp_t_n_xep(c);
	bool in_field = false;

	for (i = 0; i < n; i++) {
		u32 o = c->ep[i].off;
		u8 shape = 0;

		for (j = 0; j < ARRAY_SIZE(order); j++) {
			u32 len = order[j] == SCCP_EP_IP16 ? 16 : 4;

			if (!(c->ep[i].shape & order[j]))
				continue;
			if (o + len <= cut)
				shape |= order[j];
			else if (o < cut)
				in_field = true;
			o += len;
		}
		if (!shape)
			continue;
		if (k >= m->n_ep || m->ep[k].shape != shape ||
		    m->ep[k].off != SCCP_HDR_LEN + c->ep[i].off ||
		    m->ep[k].len != sccp_t_shape_len(shape) || !m->ep[k].known)
			return false;
		k++;
	}
	return k == m->n_ep && err == (in_field ? SCCP_E_TRUNCATED : 0);
}

/*
 * Every truncation of the body (the length field saying so): no read
 * past the bytes given, SCCP_E_TRUNCATED exactly when the end cuts an
 * address or port field, the complete fields still listed; a layout
 * chosen by length is old below the v17 minimum.
 */
static inline int sccp_t_every_truncation(const struct sccp_t_msg_case *c,
					  char *why)
{
	struct sccp_msg *m = sccp_t_alloc(sizeof(*m));
	u8 *full = sccp_t_build(c->id, c->hv, c->body, c->w), *buf = NULL;
	int bad = sccp_t_ck(why, m && full, "no memory"), err = 0, kbad;
	unsigned int i;
	u32 cut;

	for (cut = 0; cut < c->body && !bad; cut++) {
		buf = sccp_t_exact(full, SCCP_HDR_LEN + cut);
		if (sccp_t_ck(why, buf, "no memory"))
			break;
		sccp_put_le32(buf, cut + 4);
		err = sccp_decode(buf, SCCP_HDR_LEN + cut, 0, m);
		/* the key block: located, short or absent, never read past */
		kbad = sccp_t_key_in(buf, SCCP_HDR_LEN + cut, m, NULL, why);
		sccp_t_free(buf);
		if (kbad)
			bad = 1;
		else if (err && err != SCCP_E_TRUNCATED)
			bad = 1;
		else if (c->v17min)
			bad = cut < c->v17min && m->layout != SCCP_LAYOUT_OLD;
		else
			bad = !sccp_t_cut_matches(c, cut, m, err);
		for (i = 0; i < m->n_ep && !bad; i++)
			bad = m->ep[i].off + m->ep[i].len > SCCP_HDR_LEN + cut;
		sccp_t_ck(why, !bad,
			  "body cut to %u of %u: %s, layout %u, %u endpoints",
			  cut, c->body, sccp_strerror(err), m->layout, m->n_ep);
	}
	sccp_t_free(full);
	sccp_t_free(m);
	return bad;
}

/*
 * Every prefix of the PDU: sccp_decode() wants more, sccp_decode_prefix()
 * lists the endpoints at their final positions, each value known once
 * all its bytes are in, and COMPLETE once ->need bytes are.
 */
static inline int sccp_t_every_prefix(const struct sccp_t_msg_case *c,
				      char *why)
{
	u32 len = SCCP_HDR_LEN + c->body, avail;
	struct sccp_msg *m = sccp_t_alloc(sizeof(*m));
	struct sccp_msg *whole = sccp_t_alloc(sizeof(*whole));
	u8 *full = sccp_t_build(c->id, c->hv, c->body, c->w), *buf;
	int bad = sccp_t_ck(why, m && whole && full, "no memory"), err = 0;
	unsigned int i;

	if (!bad)
		bad = sccp_t_ck(why, !sccp_decode(full, len, 0, whole),
				"not decoded");
	for (avail = 0; avail < len && !bad; avail++) {
		buf = sccp_t_exact(full, avail);
		if (sccp_t_ck(why, buf, "no memory"))
			break;
		err = sccp_decode(buf, avail, 0, m);
		bad = err != (avail < SCCP_HDR_LEN ? SCCP_E_NEED_HDR :
						     SCCP_E_NEED_MORE);
		if (!bad && avail >= SCCP_HDR_LEN && whole->key_len) {
			u32 off = 0;
			int n = sccp_key_block(buf, avail, 0, &off);

			bad = avail < whole->key_off + whole->key_len ?
			      n != SCCP_E_NEED_MORE :
			      n != whole->key_len || off != whole->key_off;
		}
		if (!bad && avail >= SCCP_HDR_LEN) {
			err = sccp_decode_prefix(buf, avail, whole->layout, 0,
						 m);
			bad = err || m->n_ep != whole->n_ep ||
			      !!(m->flags & SCCP_MSG_COMPLETE) !=
			      (avail >= whole->need);
		}
		sccp_t_free(buf);
		for (i = 0; i < m->n_ep && !bad && avail >= SCCP_HDR_LEN; i++) {
			const struct sccp_ep *e = &m->ep[i], *w = &whole->ep[i];
			bool all = e->off + e->len <= avail;

			bad = e->off != w->off || e->shape != w->shape ||
			      e->known != all ||
			      (all && memcmp(&e->val, &w->val, sizeof(e->val)));
		}
		sccp_t_ck(why, !bad, "prefix of %u of %u bytes: %s", avail,
			  len, sccp_strerror(err));
	}
	sccp_t_free(full);
	sccp_t_free(whole);
	sccp_t_free(m);
	return bad;
}

/* ---- the layout rule ------------------------------------------------------ */

/*
 * The rule per message with a layout choice (docs/sccp.md): @sw the body
 * offset of its address, @min its shortest v17 body.
 */
struct sccp_t_layout_msg {
	const char *name;
	u32 id;
	u16 sw;
	u16 min;
};

static const struct sccp_t_layout_msg sccp_t_layout_msgs[] = {
	{ "OpenReceiveChannelAck", SCCP_OPEN_RECV_CHAN_ACK, 4, 36 },
	{ "OpenMultiMediaReceiveChannelAck", SCCP_OPEN_MM_RECV_CHAN_ACK, 4,
	  36 },
	{ "StartMediaTransmission", SCCP_START_MEDIA_TX, 8, 132 },
	{ "OpenReceiveChannel", SCCP_OPEN_RECV_CHAN, 100, 128 },
	{ "StartMediaTransmissionAck", SCCP_START_MEDIA_TX_ACK, 12, 40 },
	{ "StartMultiMediaTransmissionAck", SCCP_START_MM_TX_ACK, 12, 40 },
	{ "MediaTransmissionFailure", SCCP_MEDIA_TX_FAILURE, 8, 36 },
	{ "StartMulticastMediaReception", SCCP_START_MCAST_RX, 8, 52 },
	{ "StartMulticastMediaTransmission", SCCP_START_MCAST_TX, 8, 60 },
	{ "PortRes", SCCP_PORT_RES, 12, 40 },
	{ "StartMultiMediaTransmission", SCCP_START_MM_TX, 12, 40 },
	{ "RegisterTokenReq", SCCP_REGISTER_TOKEN_REQ, 32, 52 },
};

/*
 * What each of those messages must show: a header version 0 with a body
 * of the v17 minimum whose window reads ipAddrType 0 and zeros is v17
 * (Asterisk); the same body starting with an IPv4 address is old; a body
 * one word shorter is old whatever the hint; header version 0x11 is v17
 * whatever the body.
 */
struct sccp_t_layout_var {
	const char *desc;
	u32 hv;
	bool shorter;		/* body one word below the v17 minimum */
	bool ipv4;		/* an IPv4 address where the window starts */
	u8 hint;
	u8 layout;
};

static const struct sccp_t_layout_var sccp_t_layout_vars[] = {
	{ "hv 0, v17 body, type 0 and zeros: v17", 0, false, false, 0, V17 },
	{ "hv 0, v17 body, IPv4 first: old", 0, false, true, 0, OLD },
	{ "hv 0, body below the v17 minimum, hint 20: old", 0, true, false,
	  20, OLD },
	{ "hv 0x11, body below the v17 minimum, IPv4 first: v17", 0x11, true,
	  true, 0, V17 },
};

/*
 * sccp_layout() and the decoder choose @layout (@tentative: as a guess)
 * for a PDU of @id, @hv, @body bytes, holding @w, of which @avail body
 * bytes are given.
 */
static inline int sccp_t_layout(u32 id, u32 hv, u32 body, u32 avail,
				const struct sccp_t_put *w, u8 hint, u8 layout,
				bool tentative, char *why)
{
	struct sccp_msg *m = sccp_t_alloc(sizeof(*m));
	u8 *full = sccp_t_build(id, hv, body, w), *buf = NULL;
	int bad = sccp_t_ck(why, m && full, "no memory"), l, err;
	bool guess = false;

	if (!bad) {
		buf = sccp_t_exact(full, SCCP_HDR_LEN + avail);
		bad = sccp_t_ck(why, buf, "no memory");
	}
	if (!bad) {
		l = sccp_layout(buf, SCCP_HDR_LEN + avail, hint, &guess);
		bad |= sccp_t_ck(why, l == layout && guess == tentative,
				 "sccp_layout: %d%s", l,
				 guess ? ", tentative" : "");
		err = sccp_decode_prefix(buf, SCCP_HDR_LEN + avail,
					 SCCP_LAYOUT_NONE, hint, m);
		bad |= sccp_t_ck(why, (!err || err == SCCP_E_TRUNCATED) &&
				 m->layout == layout &&
				 !!(m->flags & SCCP_MSG_TENTATIVE) == tentative,
				 "decoded: %s, layout %u, flags %#x",
				 sccp_strerror(err), m->layout, m->flags);
	}
	sccp_t_free(buf);
	sccp_t_free(full);
	sccp_t_free(m);
	return bad;
}

static inline int sccp_t_layout_per_message(const struct sccp_t_layout_msg *msg,
					    const struct sccp_t_layout_var *var,
					    char *why)
{
	struct sccp_t_put w[] = { PUTIP(msg->sw, PH58), {} };
	u32 body = msg->min - (var->shorter ? 4 : 0);

	return sccp_t_layout(msg->id, var->hv, body, body,
			     var->ipv4 ? w : w + 1, var->hint, var->layout,
			     false, why);
}

/* The other rules: by length, none, a window not all seen, its content. */
struct sccp_t_layout_case {
	const char *desc;
	u32 id;
	u32 hv;
	u32 body;
	u32 avail;		/* body bytes given; 0: all */
	u8 hint;
	u8 layout;
	bool tentative;
	struct sccp_t_put w[3];
};

static const struct sccp_t_layout_case sccp_t_layout_cases[] = {
	{ "ServerRes body 280, hv 0x11: old (by length)", SCCP_SERVER_RES,
	  0x11, 280, 0, 0, OLD },
	{ "ServerRes body 360, hv 0: v17 (by length)", SCCP_SERVER_RES, 0, 360,
	  0, 0, V17 },
	{ "RegisterReq: no layout choice", SCCP_REGISTER_REQ, 0x11, 52, 0, 0,
	  NONE },
	{ "window seen up to 2 bytes, no hint: v17, tentative",
	  SCCP_OPEN_RECV_CHAN_ACK, 0, 36, 6, 0, V17, true },
	{ "window seen up to 2 bytes, hint 11: old, tentative",
	  SCCP_OPEN_RECV_CHAN_ACK, 0, 36, 6, 11, OLD, true },
	{ "window seen up to 2 bytes, hint 20: v17, tentative",
	  SCCP_OPEN_RECV_CHAN_ACK, 0, 36, 6, 20, V17, true },
	{ "whole window wins over hint 11", SCCP_OPEN_RECV_CHAN_ACK, 0, 36, 0,
	  11, V17 },
	{ "type byte above 2 decides old at once", SCCP_OPEN_RECV_CHAN_ACK, 0,
	  36, 5, 0, OLD, false, { PUT8(4, 192) } },
	{ "type 0 with a non-zero byte after the IPv4 bytes: old",
	  SCCP_OPEN_RECV_CHAN_ACK, 0, 36, 0, 0, OLD, false, { PUT8(16, 1) } },
	{ "type 0, a non-zero byte seen before the window ends: old",
	  SCCP_OPEN_RECV_CHAN_ACK, 0, 36, 13, 0, OLD, false, { PUT8(12, 1) } },
	{ "type 2 accepts any address bytes", SCCP_OPEN_RECV_CHAN_ACK, 0, 36,
	  0, 11, V17, false, { PUT8(4, 2), PUT8(20, 1) } },
	{ "type 3: old", SCCP_OPEN_RECV_CHAN_ACK, 0, 36, 0, 0, OLD, false,
	  { PUT8(4, 3) } },
	{ "type bytes 1..3 not zero: old", SCCP_OPEN_RECV_CHAN_ACK, 0, 36, 0,
	  0, OLD, false, { PUT8(6, 1) } },
	{ "hv 0x11, window of old shape: v17 (the header decides)",
	  SCCP_OPEN_RECV_CHAN_ACK, 0x11, 36, 0, 0, V17, false,
	  { PUT8(4, 192) } },
};

static inline int sccp_t_layout_rule(const struct sccp_t_layout_case *c,
				     char *why)
{
	return sccp_t_layout(c->id, c->hv, c->body, c->avail ?: c->body, c->w,
			     c->hint, c->layout, c->tentative, why);
}

static inline int sccp_t_layout_point(char *why)
{
	return sccp_t_ck(why, sccp_layout_point(SCCP_REGISTER_REQ) == 0 &&
			 sccp_layout_point(SCCP_SERVER_RES) == 0 &&
			 sccp_layout_point(SCCP_OPEN_RECV_CHAN_ACK) ==
			 SCCP_HDR_LEN + 4 &&
			 sccp_layout_point(SCCP_OPEN_RECV_CHAN) ==
			 SCCP_HDR_LEN + 100 &&
			 sccp_layout_point(SCCP_REGISTER_TOKEN_REQ) ==
			 SCCP_HDR_LEN + 32, "a layout point");
}

/*
 * Header version 0x11 with a 16-byte body: the v17 address is cut, only
 * ipAddrType is whole.
 */
static inline int sccp_t_v17_header_short_body(char *why)
{
	static const struct sccp_t_put w[] = { PUTIP(8, PH58), {} };
	struct sccp_msg *m = sccp_t_alloc(sizeof(*m));
	u8 *buf = sccp_t_build(SCCP_OPEN_RECV_CHAN_ACK, 0x11, 16, w);
	int bad = sccp_t_ck(why, m && buf, "no memory"), err;

	if (!bad) {
		err = sccp_decode(buf, SCCP_HDR_LEN + 16, 0, m);
		bad = sccp_t_ck(why, err == SCCP_E_TRUNCATED &&
				m->layout == SCCP_LAYOUT_V17 && m->n_ep == 1 &&
				m->ep[0].shape == SCCP_EP_TYPE &&
				m->ep[0].len == 4,
				"%s, layout %u, %u endpoints",
				sccp_strerror(err), m->layout, m->n_ep);
	}
	sccp_t_free(buf);
	sccp_t_free(m);
	return bad;
}

/* ---- the captured PDUs ---------------------------------------------------- */

struct sccp_t_cap_case {
	const char *desc;
	u8 vec;			/* PP_KT_SCCP_V_* */
	u16 id;
	u8 nth;			/* of that id in the stream */
	u32 hv;
	u32 body;
	u8 layout;
	u8 n_ep;
	u8 role;		/* endpoint 0, when n_ep */
	u16 ep_off;		/* PDU offset */
	u8 ep_len;
	u32 ip;
	u32 port;
	const char *name;	/* device name, or NULL */
	u32 absent;		/* SCCP_F_* that must not be decoded */
	struct sccp_t_xf f[6];
};

#define MODERN0C PP_KT_SCCP_V_CUCM_MODERN_V20_CALL_0_C2S
#define MODERN0S PP_KT_SCCP_V_CUCM_MODERN_V20_CALL_0_S2C
#define MODERN1C PP_KT_SCCP_V_CUCM_MODERN_V20_CALL_1_C2S
#define MODERN1S PP_KT_SCCP_V_CUCM_MODERN_V20_CALL_1_S2C
#define CUCM4C	PP_KT_SCCP_V_CUCM4_CALL_7912_0_C2S
#define CUCM4S	PP_KT_SCCP_V_CUCM4_CALL_7912_0_S2C

#define SMT_ACK(n, port) \
	{ "modern 0 c2s: StartMediaTransmissionAck " #n ", source " #port, \
	  MODERN0C, SCCP_START_MEDIA_TX_ACK, n, 0x14, 40, V17, 1, \
	  SCCP_ROLE_MEDIA_TX, 24, 24, PH58, port }

static const struct sccp_t_cap_case sccp_t_cap_cases[] = {
	{ "modern 0 c2s: OpenReceiveChannelAck v17 (notes: nDPI frame 36)",
	  MODERN0C, SCCP_OPEN_RECV_CHAN_ACK, 0, 0x14, 36, V17, 1,
	  SCCP_ROLE_MEDIA_RX, 16, 24, PH58, 32144, NULL, 0,
	  { F(STATUS, 0), F(PPID, 0x0100004f), F(CALLREF, 0x012e364a) } },
	SMT_ACK(0, 32150),
	SMT_ACK(1, 32152),
	SMT_ACK(2, 32144),
	{ "modern 0 s2c: OpenReceiveChannel body 128, far-end hint",
	  MODERN0S, SCCP_OPEN_RECV_CHAN, 0, 0x14, 128, V17, 1,
	  SCCP_ROLE_MEDIA_SOURCE, 112, 24, PH50, 4000, NULL, 0,
	  { F(PPID, 0x0100004f) } },
	{ "modern 0 s2c: StartMediaTransmission 0 to the third host",
	  MODERN0S, SCCP_START_MEDIA_TX, 0, 0x14, 132, V17, 1,
	  SCCP_ROLE_MEDIA_REMOTE, 20, 24, HOST24, 9395 },
	{ "modern 0 s2c: StartMediaTransmission 1 to the third host",
	  MODERN0S, SCCP_START_MEDIA_TX, 1, 0x14, 132, V17, 1,
	  SCCP_ROLE_MEDIA_REMOTE, 20, 24, HOST24, 9396 },
	{ "modern 0 s2c: StartMediaTransmission 2 to the other phone",
	  MODERN0S, SCCP_START_MEDIA_TX, 2, 0x14, 132, V17, 1,
	  SCCP_ROLE_MEDIA_REMOTE, 20, 24, PH50, 17718 },
	{ "modern 1 c2s: OpenReceiveChannelAck of the other phone", MODERN1C,
	  SCCP_OPEN_RECV_CHAN_ACK, 0, 0x14, 36, V17, 1, SCCP_ROLE_MEDIA_RX,
	  16, 24, PH50, 17718 },
	{ "modern 1 s2c: StartMediaTransmission 1 to the first phone",
	  MODERN1S, SCCP_START_MEDIA_TX, 1, 0x14, 132, V17, 1,
	  SCCP_ROLE_MEDIA_REMOTE, 20, 24, PH58, 32144 },
	{ "CUCM 4.x c2s: RegisterReq body 52", CUCM4C, SCCP_REGISTER_REQ, 0, 0,
	  52, NONE, 1, SCCP_ROLE_STATION, 36, 4, PH7912, 0, "SEP001380AD9E5F",
	  0, { F(PROTO, 7), F(INSTANCE, 1) } },
	{ "CUCM 4.x c2s: Alarm with the station address", CUCM4C, SCCP_ALARM,
	  0, 0, 92, NONE, 1, SCCP_ROLE_ALARM, 100, 4, PH7912 },
	{ "CUCM 4.x c2s: OpenReceiveChannelAck old body 16", CUCM4C,
	  SCCP_OPEN_RECV_CHAN_ACK, 0, 0, 16, OLD, 1, SCCP_ROLE_MEDIA_RX, 16, 8,
	  PH7912, 16384, NULL, SCCP_F_CALLREF, { F(PPID, 0x01000101) } },
	{ "CUCM 4.x s2c: RegisterAck 30 s, 60 s, v6", CUCM4S,
	  SCCP_REGISTER_ACK, 0, 0, 20, NONE, 0, 0, 0, 0, 0, 0, NULL, 0,
	  { F(KEEPALIVE, 30), F(KEEPALIVE2, 60), F(PROTO, 6) } },
	{ "CUCM 4.x s2c: OpenReceiveChannel body 68, no far-end hint", CUCM4S,
	  SCCP_OPEN_RECV_CHAN, 0, 0, 68, OLD, 0, 0, 0, 0, 0, 0, NULL,
	  SCCP_F_REQ_IPTYPE, { F(PPID, 0x01000101) } },
	{ "CUCM 4.x s2c: StartMediaTransmission body 84 (notes: frame 154)",
	  CUCM4S, SCCP_START_MEDIA_TX, 0, 0, 84, OLD, 1,
	  SCCP_ROLE_MEDIA_REMOTE, 20, 8, FAR27, 60186, NULL, 0,
	  { F(CONF, 0x0100001f), F(PPID, 0x01000101), F(PKT_MS, 20),
	    F(CODEC, 4), F(CALLREF, 0x0100001f) } },
	{ "CUCM 4.x s2c: CloseReceiveChannel body 12, no keep-port flag",
	  CUCM4S, SCCP_CLOSE_RECV_CHAN, 0, 0, 12, NONE, 0, 0, 0, 0, 0, 0, NULL,
	  SCCP_F_PORT_HANDLING, { F(PPID, 0x01000101) } },
};

/* The @nth PDU of @id in @v, by the generator's walker; NULL if none. */
static inline const u8 *sccp_t_find_pdu(const struct pp_kt_sccp_vec *v, u32 id,
					unsigned int nth, u32 *size)
{
	unsigned int i;

	for (i = 0; i < v->n_pdus; i++) {
		if (v->pdus[i].id != id || nth--)
			continue;
		*size = (i + 1 < v->n_pdus ? v->pdus[i + 1].off : v->len) -
			v->pdus[i].off;
		return v->data + v->pdus[i].off;
	}
	return NULL;
}

/*
 * A captured PDU decodes to what the capture shows; cut anywhere in its
 * body it never reads beyond the cut nor fails otherwise than with
 * SCCP_E_TRUNCATED.
 */
static inline int sccp_t_captured_pdu(const struct sccp_t_cap_case *c,
				      char *why)
{
	const struct pp_kt_sccp_vec *v = &pp_kt_sccp_vecs[c->vec];
	struct sccp_msg *m = sccp_t_alloc(sizeof(*m));
	const u8 *pdu;
	u32 size = 0, cut;
	unsigned int i;
	int bad = 0, err;
	u8 *buf;

	pdu = sccp_t_find_pdu(v, c->id, c->nth, &size);
	buf = pdu ? sccp_t_exact(pdu, size) : NULL;
	bad = sccp_t_ck(why, m && buf, "%s: no %s #%u, or no memory", v->name,
			sccp_msg_name(c->id), c->nth);
	if (bad)
		goto out;
	err = sccp_decode(buf, size, 0, m);
	bad = sccp_t_ck(why, !err && m->hdr.size == size &&
			m->hdr.version == c->hv && m->body_len == c->body &&
			m->layout == c->layout && m->n_ep == c->n_ep,
			"%s, size %u, hv %#x, body %u, layout %u, %u endpoints",
			sccp_strerror(err), m->hdr.size, m->hdr.version,
			m->body_len, m->layout, m->n_ep);
	if (!bad && c->n_ep)
		bad = sccp_t_ck(why, !strcmp(sccp_role_name(m->ep[0].role),
					     sccp_role_name(c->role)) &&
				m->ep[0].off == c->ep_off &&
				m->ep[0].len == c->ep_len && m->ep[0].known &&
				sccp_t_ip4(&m->ep[0].val) == c->ip &&
				m->ep[0].val.port == c->port,
				"endpoint %s at %u (%u) %08x port %u",
				sccp_role_name(m->ep[0].role), m->ep[0].off,
				m->ep[0].len, sccp_t_ip4(&m->ep[0].val),
				m->ep[0].val.port);
	if (c->name)
		bad |= sccp_t_ck(why, (m->fields & SCCP_F_NAME) &&
				 !strcmp(m->name, c->name), "name %s", m->name);
	bad |= sccp_t_ck(why, !(m->fields & c->absent), "fields %#x",
			 m->fields);
	bad |= sccp_t_scalars(m, c->f, ARRAY_SIZE(c->f), why);
	/* a non-secure call: the key block is there, all zeros */
	if (!bad) {
		static const struct sccp_media_key zero;

		bad = sccp_t_key_in(buf, size, m, &zero, why);
	}

	for (cut = 0; cut < c->body && !bad; cut++) {
		sccp_t_free(buf);
		buf = sccp_t_exact(pdu, SCCP_HDR_LEN + cut);
		bad = sccp_t_ck(why, buf, "no memory");
		if (bad)
			break;
		sccp_put_le32(buf, cut + 4);
		err = sccp_decode(buf, SCCP_HDR_LEN + cut, 0, m);
		if (sccp_t_key_in(buf, SCCP_HDR_LEN + cut, m, NULL, why))
			err = -101;
		for (i = 0; i < m->n_ep && (!err || err == SCCP_E_TRUNCATED);
		     i++)
			if (m->ep[i].off + m->ep[i].len > SCCP_HDR_LEN + cut)
				err = -100;
		bad = sccp_t_ck(why, !err || err == SCCP_E_TRUNCATED,
				"body cut to %u: %s", cut, sccp_strerror(err));
	}
out:
	sccp_t_free(buf);
	sccp_t_free(m);
	return bad;
}

/*
 * Every PDU of a captured stream decodes whole and without error, where
 * the generator's independent walker framed it.
 */
static inline int sccp_t_captured_stream(const struct pp_kt_sccp_vec *v,
					 char *why)
{
	struct sccp_msg *m = sccp_t_alloc(sizeof(*m));
	int bad = sccp_t_ck(why, m, "no memory"), err;
	unsigned int n = 0;
	u32 off = 0;

	while (off < v->len && !bad) {
		err = sccp_decode(v->data + off, v->len - off, 0, m);
		bad = sccp_t_ck(why, !err && n < v->n_pdus &&
				off == v->pdus[n].off &&
				m->hdr.id == v->pdus[n].id &&
				(m->flags & SCCP_MSG_COMPLETE) &&
				m->need <= SCCP_PREFIX_MAX,
				"PDU %u at %u: %s, %s", n, off,
				sccp_strerror(err), sccp_msg_name(m->hdr.id));
		off += m->hdr.size;
		n++;
	}
	bad |= sccp_t_ck(why, off == v->len && n == v->n_pdus,
			 "%u PDUs, %u bytes", n, off);
	sccp_t_free(m);
	return bad;
}

/* Over all streams, the media messages the protocol notes count. */
static inline int sccp_t_captured_totals(char *why)
{
	static const struct {
		u16 id;
		u16 n;
	} want[] = {
		{ SCCP_REGISTER_REQ, 1 }, { SCCP_REGISTER_ACK, 1 },
		{ SCCP_OPEN_RECV_CHAN, 3 }, { SCCP_OPEN_RECV_CHAN_ACK, 3 },
		{ SCCP_START_MEDIA_TX, 7 }, { SCCP_START_MEDIA_TX_ACK, 6 },
	};
	struct sccp_msg *m = sccp_t_alloc(sizeof(*m));
	unsigned int i, j, k, n, eps = 0;
	const struct pp_kt_sccp_vec *v;
	int bad = sccp_t_ck(why, m, "no memory");

	for (k = 0; k < ARRAY_SIZE(want) && !bad; k++) {
		n = 0;
		for (i = 0; i < PP_KT_SCCP_N_VECS; i++) {
			v = &pp_kt_sccp_vecs[i];
			for (j = 0; j < v->n_pdus && !bad; j++) {
				if (v->pdus[j].id != want[k].id)
					continue;
				n++;
				bad = sccp_t_ck(why,
						!sccp_decode(v->data + v->pdus[j].off,
							     v->len - v->pdus[j].off,
							     0, m), "%s: PDU %u",
						v->name, j);
				eps += m->n_ep;
			}
		}
		bad |= sccp_t_ck(why, n == want[k].n, "%u %s", n,
				 sccp_msg_name(want[k].id));
	}
	/* One address each, but RegisterAck and CUCM 4.x's short ORC. */
	bad |= sccp_t_ck(why, eps == 1 + 2 + 3 + 7 + 6, "%u endpoints", eps);
	sccp_t_free(m);
	return bad;
}

/* ---- the media key block: validation, writing in place ------------------- */

struct sccp_t_key_case {
	const char *desc;
	u32 alg;
	u16 key_len;
	u16 salt_len;
	u32 mki;
	u32 kdr;
	int err;		/* sccp_key_check() */
};

static const struct sccp_t_key_case sccp_t_key_cases[] = {
	{ "no encryption, zero lengths (non-secure call)", 0, 0, 0, 0, 0, 0 },
	{ "AES_CM_128_HMAC_SHA1_32, 16/14", 1, 16, 14, 0, 0, 0 },
	{ "AES_CM_128_HMAC_SHA1_80, 16/14", 2, 16, 14, 0, 0, 0 },
	{ "no encryption with a key length refused", 0, 16, 0, 0, 0,
	  SCCP_E_KEY_LEN },
	{ "no encryption with a salt length refused", 0, 0, 14, 0, 0,
	  SCCP_E_KEY_SALT },
	{ "AES-CM key length 15 refused", 1, 15, 14, 0, 0, SCCP_E_KEY_LEN },
	{ "AES-CM key length 32 refused", 2, 32, 14, 0, 0, SCCP_E_KEY_LEN },
	{ "AES-CM salt length 16 refused", 1, 16, 16, 0, 0, SCCP_E_KEY_SALT },
	{ "AES-CM salt length 0 refused", 2, 16, 0, 0, 0, SCCP_E_KEY_SALT },
	{ "AES-CM with MKI refused", 1, 16, 14, 1, 0, SCCP_E_KEY_MKI },
	{ "AES-CM key derivation rate 24 refused", 1, 16, 14, 0, 24,
	  SCCP_E_KEY_KDR },
	{ "F8_128_HMAC_SHA1_32 not supported", 3, 16, 14, 0, 0,
	  SCCP_E_KEY_SUITE },
	{ "F8_128_HMAC_SHA1_80 not supported", 4, 16, 14, 0, 0,
	  SCCP_E_KEY_SUITE },
	{ "AEAD_AES_128_GCM not supported", 5, 16, 12, 0, 0,
	  SCCP_E_KEY_SUITE },
	{ "AEAD_AES_256_GCM not supported", 6, 16, 12, 0, 0,
	  SCCP_E_KEY_SUITE },
	{ "algorithm 7 unknown", 7, 16, 14, 0, 0, SCCP_E_KEY_ALG },
	{ "algorithm 0xffffffff unknown", 0xffffffff, 16, 14, 0, 0,
	  SCCP_E_KEY_ALG },
};

/*
 * sccp_key_check() says why; sccp_key_set() writes a valid key and
 * leaves a refused one's block untouched.
 */
static inline int sccp_t_key_check(const struct sccp_t_key_case *c, char *why)
{
	struct sccp_media_key k;
	u8 blk[SCCP_KEY_BLOCK_LEN], was[SCCP_KEY_BLOCK_LEN];
	int err, set;

	sccp_t_key_fill(&k, c->alg == SCCP_KEY_NONE ? 0 : 1, 0x11);
	k.alg = c->alg;
	k.key_len = c->key_len;
	k.salt_len = c->salt_len;
	k.mki = c->mki;
	k.kdr = c->kdr;
	memset(blk, 0xa5, sizeof(blk));
	memcpy(was, blk, sizeof(blk));
	err = sccp_key_check(&k);
	set = sccp_key_set(blk, sizeof(blk), &k);
	if (sccp_t_ck(why, err == c->err && set == c->err,
		      "check %d (%s), set %d, want %d", err,
		      sccp_strerror(err), set, c->err))
		return 1;
	if (c->err)
		return sccp_t_ck(why, !memcmp(blk, was, sizeof(blk)),
				 "a refused key was written");
	return sccp_t_ck(why, sccp_get_le32(blk) == c->alg &&
			 blk[4] == c->key_len && blk[5] == 0 &&
			 blk[6] == c->salt_len && blk[7] == 0 &&
			 (c->key_len == 0 || (blk[8] == 0x11 && blk[23] == 0x20)) &&
			 (c->salt_len == 0 ||
			  (blk[24] == 0x51 && blk[37] == 0x5e)) &&
			 blk[38] == 0 && blk[39] == 0 &&
			 sccp_get_le32(blk + 40) == 0 &&
			 sccp_get_le32(blk + 44) == 0,
			 "written block wrong");
}

/*
 * A fresh key written in place with the API lands at the absolute
 * offsets of the protocol notes, reads back, changes no other byte and
 * no length; a refused key writes nothing; every cut of the body short
 * of the salt's end reports the block absent.
 */
static inline int sccp_t_key_write(const struct sccp_t_key_msg *c, char *why)
{
	static const struct sccp_t_put w[] = { {} };
	u32 size = SCCP_HDR_LEN + c->body, off = 0, i, end;
	u8 *buf = sccp_t_build(c->id, c->hv, c->body, w);
	u8 *was = sccp_t_build(c->id, c->hv, c->body, w);
	struct sccp_media_key k, back, bad_key;
	int bad = sccp_t_ck(why, buf && was, "no memory"), n = 0;
	u8 *cut;

	if (!bad) {
		/* the rest of the body not zero: nothing but the block moves */
		sccp_t_key_pdu(buf, size, c);
		memcpy(was, buf, size);
		n = sccp_key_block(buf, size, 0, &off);
		bad = sccp_t_ck(why, n == c->blk_len &&
				off + 8 == SCCP_HDR_LEN + c->key_at,
				"block %d (%s) at %u", n, sccp_strerror(n), off);
	}
	if (!bad) {
		sccp_t_key_fill(&k, SCCP_KEY_AES_CM_128_SHA1_32, 0x30);
		bad = sccp_t_ck(why, !sccp_key_set(buf + off, n, &k),
				"key not written");
	}
	if (!bad) {
		end = off + n;
		for (i = 0; i < size && !bad; i++) {
			u8 x = was[i];

			if (i >= SCCP_HDR_LEN + c->key_at &&
			    i < SCCP_HDR_LEN + c->key_at + 16)
				x = (u8)(0x30 + i - SCCP_HDR_LEN - c->key_at);
			else if (i >= SCCP_HDR_LEN + c->salt_at &&
				 i < SCCP_HDR_LEN + c->salt_at + 16)
				x = i < SCCP_HDR_LEN + c->salt_at + 14 ?
				    (u8)(0x70 + i - SCCP_HDR_LEN - c->salt_at) : 0;
			else if (i == off)
				x = SCCP_KEY_AES_CM_128_SHA1_32;
			else if (i == off + 4)
				x = 16;
			else if (i == off + 6)
				x = 14;
			else if (i > off && i < end)
				x = 0;
			bad = sccp_t_ck(why, buf[i] == x,
					"byte %u: %#x, want %#x", i, buf[i], x);
		}
	}
	if (!bad)
		bad = sccp_t_ck(why, !sccp_key_get(buf + off, n, &back) &&
				!memcmp(&back, &k, sizeof(k)) &&
				sccp_get_le32(buf) == c->body + 4,
				"read back differs");
	if (!bad) {
		memcpy(was, buf, size);
		sccp_t_key_fill(&bad_key, SCCP_KEY_AES_CM_128_SHA1_80, 0x01);
		bad_key.salt_len = 16;
		bad = sccp_t_ck(why, sccp_key_set(buf + off, n, &bad_key) ==
				SCCP_E_KEY_SALT && !memcmp(was, buf, size),
				"a refused key changed the PDU");
	}
	/* the block's last 8 bytes, then its salt cut: short, absent */
	for (i = off + SCCP_KEY_BLOCK_SHORT - 1; i < off + n + 1 && !bad &&
	     i <= size; i++) {
		u32 o = 0, xo = 0;
		bool tent;
		int x, got;

		cut = sccp_t_exact(buf, i);
		if (sccp_t_ck(why, cut, "no memory"))
			break;
		sccp_put_le32(cut, i - 8);
		got = sccp_key_block(cut, i, 0, &o);
		/* a cut hv-0 SMT is below the v17 length: old layout */
		x = sccp_t_key_expect(c->id, sccp_layout(cut, i, 0, &tent),
				      i - SCCP_HDR_LEN, &xo);
		bad = sccp_t_ck(why, got == x && (x < 0 || o == xo) &&
				(x > 0 || i < off + SCCP_KEY_BLOCK_SHORT ||
				 c->body >= 132),
				"PDU cut to %u: %d (%s), want %d", i, got,
				sccp_strerror(got), x);
		if (!bad && x > 0 && o == off) {
			bad = sccp_t_ck(why, !sccp_key_get(cut + o, got, &back) &&
					!memcmp(back.key, k.key, 16) &&
					!memcmp(back.salt, k.salt, 16) &&
					!back.mki && !back.kdr, "cut key differs");
		}
		sccp_t_free(cut);
	}
	sccp_t_free(buf);
	sccp_t_free(was);
	return bad;
}

/*
 * No key block in any other message, the block's getter and setter
 * refuse fewer than 40 bytes, the names.
 */
static inline int sccp_t_key_misc(char *why)
{
	static const struct sccp_t_put w[] = { {} };
	struct sccp_media_key k;
	u8 blk[SCCP_KEY_BLOCK_SHORT - 1] = {};
	u8 *b = sccp_t_build(SCCP_OPEN_RECV_CHAN_ACK, 0x14, 128, w);
	u32 off = 7;
	int bad = sccp_t_ck(why, b, "no memory");

	sccp_t_key_fill(&k, SCCP_KEY_AES_CM_128_SHA1_80, 1);
	if (!bad)
		bad = sccp_t_ck(why, sccp_key_block(b, SCCP_HDR_LEN + 128, 0,
						    &off) == SCCP_E_NO_KEY &&
				off == 7 &&
				sccp_key_locate(SCCP_START_MM_TX, 200,
						SCCP_LAYOUT_V17, &off) ==
				SCCP_E_NO_KEY &&
				sccp_key_block(b, 11, 0, &off) ==
				SCCP_E_NEED_HDR &&
				sccp_key_get(blk, sizeof(blk), &k) ==
				SCCP_E_KEY_ABSENT && k.alg == 0 &&
				sccp_key_set(blk, sizeof(blk), &k) ==
				SCCP_E_KEY_ABSENT &&
				!strcmp(sccp_key_alg_name(1),
					"AES_CM_128_HMAC_SHA1_32") &&
				!strcmp(sccp_key_alg_name(2),
					"AES_CM_128_HMAC_SHA1_80") &&
				!strcmp(sccp_key_alg_name(7), "unknown") &&
				strcmp(sccp_strerror(SCCP_E_KEY_ALG),
				       "unknown error") &&
				strcmp(sccp_strerror(SCCP_E_KEY_KDR),
				       "unknown error"),
				"no key block where none is, or a name");
	sccp_t_free(b);
	return bad;
}

/*
 * The captures are non-secure calls: every ORC and SMT carries the
 * block, all zeros; CUCM 4.x's stop after the salt.
 */
static inline int sccp_t_captured_keys(char *why)
{
	struct sccp_msg *m = sccp_t_alloc(sizeof(*m));
	static const struct sccp_media_key zero;
	unsigned int i, j, full = 0, shrt = 0;
	const struct pp_kt_sccp_vec *v;
	int bad = sccp_t_ck(why, m, "no memory");

	for (i = 0; i < PP_KT_SCCP_N_VECS && !bad; i++) {
		v = &pp_kt_sccp_vecs[i];
		for (j = 0; j < v->n_pdus && !bad; j++) {
			u32 size = (j + 1 < v->n_pdus ? v->pdus[j + 1].off :
				    v->len) - v->pdus[j].off;
			const u8 *p = v->data + v->pdus[j].off;

			bad = sccp_t_ck(why, !sccp_decode(p, size, 0, m),
					"%s: PDU %u", v->name, j);
			if (!bad)
				bad = sccp_t_key_in(p, size, m, &zero, why);
			full += m->key_len == SCCP_KEY_BLOCK_LEN;
			shrt += m->key_len == SCCP_KEY_BLOCK_SHORT;
		}
	}
	bad |= sccp_t_ck(why, full == 2 + 6 && shrt == 1 + 1,
			 "%u whole key blocks, %u short", full, shrt);
	sccp_t_free(m);
	return bad;
}

#endif /* _PP_SCCP_CASES_H */
