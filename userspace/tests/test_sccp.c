// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * SCCP parser (proto/sccp.c): framing; a table of crafted PDUs, one
 * per message and layout, decoded whole, at every truncation of the body
 * and from every prefix; the two genuine PDUs of the protocol notes; and
 * every PDU of the captured streams in data/sccp/, counted by type against
 * the independent walker of extract.py (index.txt).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "sccp_util.h"

#define DATA "data/sccp/"

/* ---- crafted PDUs ---------------------------------------------------- */

enum { K_END, K_U32, K_IP, K_U8, K_NAME };

struct fw {			/* a write into the body */
	u16 off;
	u8 kind;
	u32 v;			/* K_IP: a.b.c.d as 0xaabbccdd */
	const char *s;
};

struct xep {			/* an expected endpoint (body offset) */
	u16 off;
	u8 shape;
	u8 role;
	u8 index;
	u32 type;
	u32 ip;
	u32 port;
	u32 rtcp;
};

struct xf {			/* an expected scalar */
	u32 flag;
	u32 v;
};

struct mcase {
	const char *name;
	u32 id, hv, body;
	u8 layout;
	u32 v17min;		/* layout chosen from length/content: below this, old */
	struct fw w[14];
	struct xep ep[SCCP_MAX_EP];
	struct xf f[8];
	u8 flags;		/* expected SCCP_MSG_KNOWN / _UNLOCATED */
};

#define OLD	SCCP_LAYOUT_OLD
#define V17	SCCP_LAYOUT_V17
#define NONE	SCCP_LAYOUT_NONE
#define KN	SCCP_MSG_KNOWN
#define A4P	(SCCP_EP_IP4 | SCCP_EP_PORT)
#define A16P	(SCCP_EP_TYPE | SCCP_EP_IP16 | SCCP_EP_PORT)
#define IP(a, b, c, d) (((u32)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

#define W32(o, v)	{ o, K_U32, v, NULL }
#define WIP(o, v)	{ o, K_IP, v, NULL }
#define W8(o, v)	{ o, K_U8, v, NULL }
#define WNAME(o, s)	{ o, K_NAME, 0, s }
#define EP(o, shape, role, idx, type, ip, port, rtcp) \
	{ o, shape, role, idx, type, ip, port, rtcp }

#define P1 IP(10, 102, 10, 209)
#define P2 IP(192, 168, 195, 58)
#define FE IP(10, 102, 219, 27)

static const struct mcase cases[] = {
	{ "KeepAliveReq", SCCP_KEEPALIVE_REQ, 0, 0, NONE, 0, {{0}}, {{0}}, {{0}}, KN },
	{ "KeepAliveAck", SCCP_KEEPALIVE_ACK, 0x14, 0, NONE, 0, {{0}}, {{0}}, {{0}}, KN },
	{ "RegisterReq body 52 (CUCM 4.x emulated 7912)", SCCP_REGISTER_REQ, 0, 52, NONE, 0,
	  { WNAME(0, "SEP001380AD9E5F"), W32(20, 1), WIP(24, P1),
	    W32(28, 0x7537), W8(40, 7) },
	  { EP(24, SCCP_EP_IP4, SCCP_ROLE_STATION, 0, 0, P1, 0, 0) },
	  { { SCCP_F_INSTANCE, 1 }, { SCCP_F_DEVTYPE, 0x7537 }, { SCCP_F_PROTO, 7 } }, KN },
	{ "RegisterReq body 124 (v17 phone, IPv6)", SCCP_REGISTER_REQ, 0, 124, NONE, 0,
	  { WNAME(0, "SEP001F9E266369"), W32(20, 1), WIP(24, P2),
	    W32(28, 0x73), W8(40, 17), WIP(72, IP(0x20, 0x01, 0x0d, 0xb8)),
	    WIP(84, 0x00000001) },
	  { EP(24, SCCP_EP_IP4, SCCP_ROLE_STATION, 0, 0, P2, 0, 0),
	    EP(72, SCCP_EP_IP16, SCCP_ROLE_STATION_V6, 0, 0, IP(0x20, 0x01, 0x0d, 0xb8), 0, 0) },
	  { { SCCP_F_DEVTYPE, 0x73 }, { SCCP_F_PROTO, 17 } }, KN },
	{ "RegisterAck body 20", SCCP_REGISTER_ACK, 0, 20, NONE, 0,
	  { W32(0, 30), W32(12, 60), W8(16, 6) }, {{0}},
	  { { SCCP_F_KEEPALIVE, 30 }, { SCCP_F_KEEPALIVE2, 60 }, { SCCP_F_PROTO, 6 } }, KN },
	{ "RegisterAck body 12 (CallManager 2.x)", SCCP_REGISTER_ACK, 0, 12, NONE, 0,
	  { W32(0, 30) }, {{0}}, { { SCCP_F_KEEPALIVE, 30 } }, KN },
	{ "RegisterReject", SCCP_REGISTER_REJECT, 0, 36, NONE, 0,
	  { WNAME(0, "Error: No License") }, {{0}}, {{0}}, KN },
	{ "UnregisterReq", SCCP_UNREGISTER_REQ, 0, 4, NONE, 0,
	  { W32(0, 1) }, {{0}}, { { SCCP_F_STATUS, 1 } }, KN },
	{ "UnregisterAck", SCCP_UNREGISTER_ACK, 0, 4, NONE, 0,
	  { W32(0, 2) }, {{0}}, { { SCCP_F_STATUS, 2 } }, KN },
	{ "IpPort", SCCP_IP_PORT, 0, 4, NONE, 0,
	  { W32(0, 32715) },
	  { EP(0, SCCP_EP_PORT, SCCP_ROLE_MEDIA_RX, 0, 0, 0, 32715, 0) }, {{0}}, KN },
	{ "Alarm", SCCP_ALARM, 0, 92, NONE, 0,
	  { W32(0, 2), WNAME(4, "Name=SEP001380AD9E5F"), WIP(88, P1) },
	  { EP(88, SCCP_EP_IP4, SCCP_ROLE_ALARM, 0, 0, P1, 0, 0) }, {{0}}, KN },
	{ "OpenReceiveChannelAck old body 16", SCCP_OPEN_RECV_CHAN_ACK, 0, 16, OLD, 0,
	  { WIP(4, P1), W32(8, 16384), W32(12, 0x01000101) },
	  { EP(4, A4P, SCCP_ROLE_MEDIA_RX, 0, 0, P1, 16384, 0) },
	  { { SCCP_F_STATUS, 0 }, { SCCP_F_PPID, 0x01000101 } }, KN },
	{ "OpenReceiveChannelAck old body 20", SCCP_OPEN_RECV_CHAN_ACK, 0, 20, OLD, 0,
	  { WIP(4, P1), W32(8, 16384), W32(12, 7), W32(16, 9) },
	  { EP(4, A4P, SCCP_ROLE_MEDIA_RX, 0, 0, P1, 16384, 0) },
	  { { SCCP_F_PPID, 7 }, { SCCP_F_CALLREF, 9 } }, KN },
	{ "OpenReceiveChannelAck v17 (hv 0x14)", SCCP_OPEN_RECV_CHAN_ACK, 0x14, 36, V17, 0,
	  { WIP(8, P2), W32(24, 32144), W32(28, 0x0100004f),
	    W32(32, 0x012e364a) },
	  { EP(4, A16P, SCCP_ROLE_MEDIA_RX, 0, 0, P2, 32144, 0) },
	  { { SCCP_F_PPID, 0x0100004f }, { SCCP_F_CALLREF, 0x012e364a } }, KN },
	{ "OpenReceiveChannelAck v17 body, hv 0 (Asterisk)", SCCP_OPEN_RECV_CHAN_ACK, 0, 36, V17, 36,
	  { WIP(8, P2), W32(24, 32144), W32(28, 5) },
	  { EP(4, A16P, SCCP_ROLE_MEDIA_RX, 0, 0, P2, 32144, 0) },
	  { { SCCP_F_PPID, 5 } }, KN },
	{ "OpenReceiveChannelAck hv 0, 36-byte body of old shape", SCCP_OPEN_RECV_CHAN_ACK, 0, 36, OLD, 36,
	  { WIP(4, P1), W32(8, 16384), W32(12, 5), W32(16, 6) },
	  { EP(4, A4P, SCCP_ROLE_MEDIA_RX, 0, 0, P1, 16384, 0) },
	  { { SCCP_F_PPID, 5 }, { SCCP_F_CALLREF, 6 } }, KN },
	{ "OpenReceiveChannelAck v17, IPv6 type", SCCP_OPEN_RECV_CHAN_ACK, 0x11, 36, V17, 0,
	  { W32(4, 1), WIP(8, IP(0x20, 1, 0x0d, 0xb8)), W32(24, 5004) },
	  { EP(4, A16P, SCCP_ROLE_MEDIA_RX, 0, 1, IP(0x20, 1, 0x0d, 0xb8), 5004, 0) }, {{0}}, KN },
	{ "OpenMultiMediaReceiveChannelAck old", SCCP_OPEN_MM_RECV_CHAN_ACK, 0, 20, OLD, 0,
	  { WIP(4, P1), W32(8, 5500), W32(12, 3) },
	  { EP(4, A4P, SCCP_ROLE_MEDIA_RX, 0, 0, P1, 5500, 0) }, { { SCCP_F_PPID, 3 } }, KN },
	{ "OpenMultiMediaReceiveChannelAck v17", SCCP_OPEN_MM_RECV_CHAN_ACK, 0x12, 36, V17, 0,
	  { WIP(8, P2), W32(24, 5502), W32(28, 3) },
	  { EP(4, A16P, SCCP_ROLE_MEDIA_RX, 0, 0, P2, 5502, 0) }, { { SCCP_F_PPID, 3 } }, KN },
	{ "StartMediaTransmission old body 84 (CUCM 4.x)", SCCP_START_MEDIA_TX, 0, 84, OLD, 0,
	  { W32(0, 0x0100001f), W32(4, 0x01000101), WIP(8, FE),
	    W32(12, 60186), W32(16, 20), W32(20, 4), W32(24, 0xb8),
	    W32(40, 0x0100001f) },
	  { EP(8, A4P, SCCP_ROLE_MEDIA_REMOTE, 0, 0, FE, 60186, 0) },
	  { { SCCP_F_CONF, 0x0100001f }, { SCCP_F_PPID, 0x01000101 }, { SCCP_F_PKT_MS, 20 },
	    { SCCP_F_CODEC, 4 }, { SCCP_F_CALLREF, 0x0100001f } }, KN },
	{ "StartMediaTransmission old body 112", SCCP_START_MEDIA_TX, 0, 112, OLD, 0,
	  { WIP(8, FE), W32(12, 4000), W32(40, 77) },
	  { EP(8, A4P, SCCP_ROLE_MEDIA_REMOTE, 0, 0, FE, 4000, 0) },
	  { { SCCP_F_CALLREF, 77 } }, KN },
	{ "StartMediaTransmission v17 (hv 0x14)", SCCP_START_MEDIA_TX, 0x14, 132, V17, 0,
	  { W32(0, 0x012e364a), W32(4, 0x01000052), WIP(12, IP(192, 168, 193, 24)),
	    W32(28, 9395), W32(32, 20), W32(36, 4), W32(56, 0x012e3651) },
	  { EP(8, A16P, SCCP_ROLE_MEDIA_REMOTE, 0, 0, IP(192, 168, 193, 24), 9395, 0) },
	  { { SCCP_F_CONF, 0x012e364a }, { SCCP_F_PPID, 0x01000052 }, { SCCP_F_PKT_MS, 20 },
	    { SCCP_F_CODEC, 4 }, { SCCP_F_CALLREF, 0x012e3651 } }, KN },
	{ "StartMediaTransmission v17 body, hv 0 (Asterisk)", SCCP_START_MEDIA_TX, 0, 132, V17, 132,
	  { WIP(12, FE), W32(28, 19654), W32(56, 8) },
	  { EP(8, A16P, SCCP_ROLE_MEDIA_REMOTE, 0, 0, FE, 19654, 0) },
	  { { SCCP_F_CALLREF, 8 } }, KN },
	{ "StartMediaTransmissionAck old", SCCP_START_MEDIA_TX_ACK, 0, 24, OLD, 0,
	  { W32(0, 1), W32(4, 2), W32(8, 3), WIP(12, P1),
	    W32(16, 64037), W32(20, 0) },
	  { EP(12, A4P, SCCP_ROLE_MEDIA_TX, 0, 0, P1, 64037, 0) },
	  { { SCCP_F_CONF, 1 }, { SCCP_F_PPID, 2 }, { SCCP_F_CALLREF, 3 }, { SCCP_F_STATUS, 0 } }, KN },
	{ "StartMediaTransmissionAck v17", SCCP_START_MEDIA_TX_ACK, 0x14, 40, V17, 0,
	  { W32(0, 0x012e364a), W32(4, 0x01000052), WIP(16, P2),
	    W32(32, 32150), W32(36, 0) },
	  { EP(12, A16P, SCCP_ROLE_MEDIA_TX, 0, 0, P2, 32150, 0) },
	  { { SCCP_F_PPID, 0x01000052 }, { SCCP_F_STATUS, 0 } }, KN },
	{ "StartMultiMediaTransmissionAck v17", SCCP_START_MM_TX_ACK, 0x15, 40, V17, 0,
	  { WIP(16, P2), W32(32, 5506) },
	  { EP(12, A16P, SCCP_ROLE_MEDIA_TX, 0, 0, P2, 5506, 0) }, {{0}}, KN },
	{ "StopMediaTransmission body 16", SCCP_STOP_MEDIA_TX, 0, 16, NONE, 0,
	  { W32(0, 1), W32(4, 2), W32(8, 3), W32(12, 1) }, {{0}},
	  { { SCCP_F_CONF, 1 }, { SCCP_F_PPID, 2 }, { SCCP_F_CALLREF, 3 },
	    { SCCP_F_PORT_HANDLING, 1 } }, KN },
	{ "StopMediaTransmission body 12 (CUCM 4.x)", SCCP_STOP_MEDIA_TX, 0, 12, NONE, 0,
	  { W32(0, 1), W32(4, 2), W32(8, 3) }, {{0}},
	  { { SCCP_F_PPID, 2 }, { SCCP_F_CALLREF, 3 } }, KN },
	{ "CloseReceiveChannel body 16", SCCP_CLOSE_RECV_CHAN, 0x14, 16, NONE, 0,
	  { W32(4, 2), W32(12, 0) }, {{0}},
	  { { SCCP_F_PPID, 2 }, { SCCP_F_PORT_HANDLING, 0 } }, KN },
	{ "StopMultiMediaTransmission", SCCP_STOP_MM_TX, 0, 16, NONE, 0,
	  { W32(4, 9), W32(12, 1) }, {{0}},
	  { { SCCP_F_PPID, 9 }, { SCCP_F_PORT_HANDLING, 1 } }, KN },
	{ "CloseMultiMediaReceiveChannel", SCCP_CLOSE_MM_RECV_CHAN, 0, 16, NONE, 0,
	  { W32(4, 9) }, {{0}}, { { SCCP_F_PPID, 9 } }, KN },
	{ "MediaTransmissionFailure old", SCCP_MEDIA_TX_FAILURE, 0, 20, OLD, 0,
	  { W32(4, 2), WIP(8, FE), W32(12, 4000), W32(16, 3) },
	  { EP(8, A4P, SCCP_ROLE_MEDIA_REMOTE, 0, 0, FE, 4000, 0) },
	  { { SCCP_F_PPID, 2 }, { SCCP_F_CALLREF, 3 } }, KN },
	{ "MediaTransmissionFailure v17", SCCP_MEDIA_TX_FAILURE, 0x11, 36, V17, 0,
	  { W32(4, 2), WIP(12, FE), W32(28, 4000), W32(32, 3) },
	  { EP(8, A16P, SCCP_ROLE_MEDIA_REMOTE, 0, 0, FE, 4000, 0) },
	  { { SCCP_F_PPID, 2 }, { SCCP_F_CALLREF, 3 } }, KN },
	{ "PortReq", SCCP_PORT_REQ, 0x13, 24, NONE, 0,
	  { W32(0, 1), W32(4, 2), W32(8, 3), W32(12, 1), W32(16, 0),
	    W32(20, 1) }, {{0}},
	  { { SCCP_F_CONF, 1 }, { SCCP_F_CALLREF, 2 }, { SCCP_F_PPID, 3 },
	    { SCCP_F_REQ_IPTYPE, 0 }, { SCCP_F_MEDIA_TYPE, 1 } }, KN },
	{ "PortRes old body 24", SCCP_PORT_RES, 0, 24, OLD, 0,
	  { W32(8, 3), WIP(12, P1), W32(16, 24576), W32(20, 24577) },
	  { EP(12, A4P | SCCP_EP_RTCP, SCCP_ROLE_MEDIA_RX, 0, 0, P1, 24576, 24577) },
	  { { SCCP_F_PPID, 3 } }, KN },
	{ "PortRes v17 body 44 (hv 0x13, mediaType)", SCCP_PORT_RES, 0x13, 44, V17, 0,
	  { W32(8, 3), WIP(16, P2), W32(32, 24578), W32(36, 24579),
	    W32(40, 1) },
	  { EP(12, A16P | SCCP_EP_RTCP, SCCP_ROLE_MEDIA_RX, 0, 0, P2, 24578, 24579) },
	  { { SCCP_F_PPID, 3 }, { SCCP_F_MEDIA_TYPE, 1 } }, KN },
	{ "PortClose", SCCP_PORT_CLOSE, 0, 16, NONE, 0,
	  { W32(8, 3), W32(12, 2) }, {{0}},
	  { { SCCP_F_PPID, 3 }, { SCCP_F_MEDIA_TYPE, 2 } }, KN },
	{ "RegisterTokenReq old", SCCP_REGISTER_TOKEN_REQ, 0, 36, OLD, 0,
	  { WNAME(0, "SEP001F9E266369"), WIP(24, P2), W32(28, 0x73),
	    WIP(32, 0) },
	  { EP(24, SCCP_EP_IP4, SCCP_ROLE_STATION, 0, 0, P2, 0, 0),
	    EP(32, SCCP_EP_IP4, SCCP_ROLE_STATION_V6, 0, 0, 0, 0, 0) },
	  { { SCCP_F_DEVTYPE, 0x73 } }, KN },
	{ "RegisterTokenReq v17", SCCP_REGISTER_TOKEN_REQ, 0x11, 52, V17, 0,
	  { WNAME(0, "SEP001F9E266369"), WIP(24, P2), W32(32, 1),
	    WIP(36, IP(0x20, 1, 0x0d, 0xb8)) },
	  { EP(24, SCCP_EP_IP4, SCCP_ROLE_STATION, 0, 0, P2, 0, 0),
	    EP(32, SCCP_EP_TYPE | SCCP_EP_IP16, SCCP_ROLE_STATION_V6, 0, 1, IP(0x20, 1, 0x0d, 0xb8), 0, 0) },
	  {{0}}, KN },
	{ "ServerRes old body 280", SCCP_SERVER_RES, 0, 280, OLD, 0,
	  { WNAME(0, "CUCM1"), W32(240, 2000), W32(244, 2000),
	    WIP(260, IP(10, 0, 0, 180)), WIP(264, IP(10, 0, 0, 181)) },
	  { EP(240, SCCP_EP_PORT, SCCP_ROLE_SERVER_PORT, 0, 0, 0, 2000, 0),
	    EP(244, SCCP_EP_PORT, SCCP_ROLE_SERVER_PORT, 1, 0, 0, 2000, 0),
	    EP(248, SCCP_EP_PORT, SCCP_ROLE_SERVER_PORT, 2, 0, 0, 0, 0),
	    EP(252, SCCP_EP_PORT, SCCP_ROLE_SERVER_PORT, 3, 0, 0, 0, 0),
	    EP(256, SCCP_EP_PORT, SCCP_ROLE_SERVER_PORT, 4, 0, 0, 0, 0),
	    EP(260, SCCP_EP_IP4, SCCP_ROLE_SERVER, 0, 0, IP(10, 0, 0, 180), 0, 0),
	    EP(264, SCCP_EP_IP4, SCCP_ROLE_SERVER, 1, 0, IP(10, 0, 0, 181), 0, 0),
	    EP(268, SCCP_EP_IP4, SCCP_ROLE_SERVER, 2, 0, 0, 0, 0),
	    EP(272, SCCP_EP_IP4, SCCP_ROLE_SERVER, 3, 0, 0, 0, 0),
	    EP(276, SCCP_EP_IP4, SCCP_ROLE_SERVER, 4, 0, 0, 0, 0) }, {{0}}, KN },
	{ "ServerRes v17 body 360 (by length)", SCCP_SERVER_RES, 0, 360, V17, 289,
	  { W32(240, 2000), W32(260, 0), WIP(264, IP(10, 0, 0, 180)),
	    WIP(284, IP(10, 0, 0, 181)) },
	  { EP(240, SCCP_EP_PORT, SCCP_ROLE_SERVER_PORT, 0, 0, 0, 2000, 0),
	    EP(244, SCCP_EP_PORT, SCCP_ROLE_SERVER_PORT, 1, 0, 0, 0, 0),
	    EP(248, SCCP_EP_PORT, SCCP_ROLE_SERVER_PORT, 2, 0, 0, 0, 0),
	    EP(252, SCCP_EP_PORT, SCCP_ROLE_SERVER_PORT, 3, 0, 0, 0, 0),
	    EP(256, SCCP_EP_PORT, SCCP_ROLE_SERVER_PORT, 4, 0, 0, 0, 0),
	    EP(260, SCCP_EP_TYPE | SCCP_EP_IP16, SCCP_ROLE_SERVER, 0, 0, IP(10, 0, 0, 180), 0, 0),
	    EP(280, SCCP_EP_TYPE | SCCP_EP_IP16, SCCP_ROLE_SERVER, 1, 0, IP(10, 0, 0, 181), 0, 0),
	    EP(300, SCCP_EP_TYPE | SCCP_EP_IP16, SCCP_ROLE_SERVER, 2, 0, 0, 0, 0),
	    EP(320, SCCP_EP_TYPE | SCCP_EP_IP16, SCCP_ROLE_SERVER, 3, 0, 0, 0, 0),
	    EP(340, SCCP_EP_TYPE | SCCP_EP_IP16, SCCP_ROLE_SERVER, 4, 0, 0, 0, 0) }, {{0}}, KN },
	{ "OpenReceiveChannel body 68 (CUCM 4.x, no source)", SCCP_OPEN_RECV_CHAN, 0, 68, OLD, 0,
	  { W32(0, 0x0100001f), W32(4, 0x01000101), W32(8, 20), W32(12, 4),
	    W32(24, 0x0100001f) }, {{0}},
	  { { SCCP_F_CONF, 0x0100001f }, { SCCP_F_PPID, 0x01000101 }, { SCCP_F_PKT_MS, 20 },
	    { SCCP_F_CODEC, 4 }, { SCCP_F_CALLREF, 0x0100001f } }, KN },
	{ "OpenReceiveChannel body 108 (old source)", SCCP_OPEN_RECV_CHAN, 0x0b, 108, OLD, 0,
	  { W32(4, 6), WIP(100, FE), W32(104, 4000) },
	  { EP(100, A4P, SCCP_ROLE_MEDIA_SOURCE, 0, 0, FE, 4000, 0) },
	  { { SCCP_F_PPID, 6 } }, KN },
	{ "OpenReceiveChannel body 112 (hv 0x10, requested type)", SCCP_OPEN_RECV_CHAN, 0x10, 112, OLD, 0,
	  { WIP(100, FE), W32(104, 4000), W32(108, 0) },
	  { EP(100, A4P, SCCP_ROLE_MEDIA_SOURCE, 0, 0, FE, 4000, 0) },
	  { { SCCP_F_REQ_IPTYPE, 0 } }, KN },
	{ "OpenReceiveChannel v17 body 128 (hv 0x14)", SCCP_OPEN_RECV_CHAN, 0x14, 128, V17, 0,
	  { W32(0, 0x012e364a), W32(4, 0x0100004f), WIP(104, IP(192, 168, 195, 50)),
	    W32(120, 4000), W32(124, 0) },
	  { EP(100, A16P, SCCP_ROLE_MEDIA_SOURCE, 0, 0, IP(192, 168, 195, 50), 4000, 0) },
	  { { SCCP_F_PPID, 0x0100004f }, { SCCP_F_REQ_IPTYPE, 0 } }, KN },
	{ "OpenMultiMediaReceiveChannel", SCCP_OPEN_MM_RECV_CHAN, 0x14, 176, NONE, 0,
	  { W32(4, 3), W32(16, 4) }, {{0}},
	  { { SCCP_F_PPID, 3 }, { SCCP_F_CALLREF, 4 } }, KN | SCCP_MSG_UNLOCATED },
	{ "StartMultiMediaTransmission old", SCCP_START_MM_TX, 0, 120, OLD, 0,
	  { W32(4, 3), W32(8, 103), WIP(12, FE), W32(16, 5600),
	    W32(20, 11) },
	  { EP(12, A4P, SCCP_ROLE_MEDIA_REMOTE, 0, 0, FE, 5600, 0) },
	  { { SCCP_F_PPID, 3 }, { SCCP_F_CODEC, 103 }, { SCCP_F_CALLREF, 11 } }, KN },
	{ "StartMultiMediaTransmission v17", SCCP_START_MM_TX, 0x14, 136, V17, 0,
	  { W32(4, 3), WIP(16, FE), W32(32, 5600), W32(36, 11) },
	  { EP(12, A16P, SCCP_ROLE_MEDIA_REMOTE, 0, 0, FE, 5600, 0) },
	  { { SCCP_F_PPID, 3 }, { SCCP_F_CALLREF, 11 } }, KN },
	{ "StartMulticastMediaReception old", SCCP_START_MCAST_RX, 0, 36, OLD, 0,
	  { WIP(8, IP(239, 1, 1, 1)), W32(12, 20480), W32(32, 5) },
	  { EP(8, A4P, SCCP_ROLE_MULTICAST, 0, 0, IP(239, 1, 1, 1), 20480, 0) },
	  { { SCCP_F_CALLREF, 5 } }, KN },
	{ "StartMulticastMediaReception v17", SCCP_START_MCAST_RX, 0x11, 52, V17, 0,
	  { WIP(12, IP(239, 1, 1, 1)), W32(28, 20480), W32(48, 5) },
	  { EP(8, A16P, SCCP_ROLE_MULTICAST, 0, 0, IP(239, 1, 1, 1), 20480, 0) },
	  { { SCCP_F_CALLREF, 5 } }, KN },
	{ "StartMulticastMediaTransmission old", SCCP_START_MCAST_TX, 0, 44, OLD, 0,
	  { WIP(8, IP(239, 1, 1, 2)), W32(12, 20482), W32(40, 6) },
	  { EP(8, A4P, SCCP_ROLE_MULTICAST, 0, 0, IP(239, 1, 1, 2), 20482, 0) },
	  { { SCCP_F_CALLREF, 6 } }, KN },
	{ "StartMulticastMediaTransmission v17", SCCP_START_MCAST_TX, 0x16, 60, V17, 0,
	  { WIP(12, IP(239, 1, 1, 2)), W32(28, 20482), W32(56, 6) },
	  { EP(8, A16P, SCCP_ROLE_MULTICAST, 0, 0, IP(239, 1, 1, 2), 20482, 0) },
	  { { SCCP_F_CALLREF, 6 } }, KN },
	{ "RegisterTokenAck", SCCP_REGISTER_TOKEN_ACK, 0, 0, NONE, 0, {{0}}, {{0}}, {{0}}, KN },
	{ "unknown id (ButtonTemplateRes)", 0x0097, 0, 100, NONE, 0,
	  { W32(0, 0xffffffff) }, {{0}}, {{0}}, 0 },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static size_t build(const struct mcase *c, u32 body, u8 *buf)
{
	const struct fw *w;
	size_t n;

	memset(buf, 0, SCCP_HDR_LEN + c->body);
	for (w = c->w; w->kind != K_END; w++) {
		u8 *p = buf + SCCP_HDR_LEN + w->off;

		switch (w->kind) {
		case K_U32:
			sccp_put_le32(p, w->v);
			break;
		case K_IP:
			p[0] = (u8)(w->v >> 24);
			p[1] = (u8)(w->v >> 16);
			p[2] = (u8)(w->v >> 8);
			p[3] = (u8)w->v;
			break;
		case K_U8:
			p[0] = (u8)w->v;
			break;
		case K_NAME:
			n = strlen(w->s);
			memcpy(p, w->s, n);
			break;
		}
	}
	sccp_put_le32(buf, body + 4);
	sccp_put_le32(buf + 4, c->hv);
	sccp_put_le32(buf + 8, c->id);
	return SCCP_HDR_LEN + body;
}

static unsigned int shape_len(u8 shape)
{
	return (shape & SCCP_EP_TYPE ? 4 : 0) + (shape & SCCP_EP_IP4 ? 4 : 0) +
	       (shape & SCCP_EP_IP16 ? 16 : 0) + (shape & SCCP_EP_PORT ? 4 : 0) +
	       (shape & SCCP_EP_RTCP ? 4 : 0);
}

static unsigned int n_xep(const struct mcase *c)
{
	unsigned int n = 0;

	while (n < SCCP_MAX_EP && c->ep[n].shape)
		n++;
	return n;
}

static u32 ip4_of(const struct sccp_addr *a)
{
	return (u32)a->ip[0] << 24 | (u32)a->ip[1] << 16 | (u32)a->ip[2] << 8 |
	       a->ip[3];
}

static u32 scalar(const struct sccp_msg *m, u32 flag)
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

/* Whole PDU: every expected endpoint, scalar and flag; returns failures. */
static int check_full(const struct mcase *c, const struct sccp_msg *m, int err,
		      char *why, size_t whylen)
{
	unsigned int i, n = n_xep(c);
	const struct xf *f;

	if (err) {
		snprintf(why, whylen, "error %d", err);
		return 1;
	}
	if (m->layout != c->layout || m->n_ep != n ||
	    (m->flags & (SCCP_MSG_KNOWN | SCCP_MSG_UNLOCATED)) != c->flags ||
	    !(m->flags & SCCP_MSG_COMPLETE) || (m->flags & SCCP_MSG_TENTATIVE) ||
	    m->need > m->hdr.size || m->need > SCCP_PREFIX_MAX) {
		snprintf(why, whylen, "layout %u n_ep %u flags %#x need %u",
			 m->layout, m->n_ep, m->flags, m->need);
		return 1;
	}
	for (i = 0; i < n; i++) {
		const struct xep *x = &c->ep[i];
		const struct sccp_ep *e = &m->ep[i];

		if (e->off != SCCP_HDR_LEN + x->off || e->shape != x->shape ||
		    e->len != shape_len(x->shape) || e->role != x->role ||
		    e->index != x->index || !e->known || e->val.type != x->type ||
		    ip4_of(&e->val) != x->ip || e->val.port != x->port ||
		    e->val.rtcp_port != x->rtcp) {
			snprintf(why, whylen,
				 "ep %u: off %u shape %#x role %u idx %u type %u ip %08x port %u rtcp %u",
				 i, e->off, e->shape, e->role, e->index, e->val.type,
				 ip4_of(&e->val), e->val.port, e->val.rtcp_port);
			return 1;
		}
	}
	for (f = c->f; f->flag; f++) {
		if (!(m->fields & f->flag) || scalar(m, f->flag) != f->v) {
			snprintf(why, whylen, "field %#x: %s, %u", f->flag,
				 m->fields & f->flag ? "set" : "unset",
				 scalar(m, f->flag));
			return 1;
		}
	}
	return 0;
}

/*
 * Body cut to @cut bytes, layout not depending on the length: the
 * endpoints are the expected ones with the fields that still fit, and
 * the decode fails exactly when the cut falls inside such a field.
 */
static int check_cut(const struct mcase *c, u32 cut, const struct sccp_msg *m,
		     int err)
{
	static const u8 order[] = { SCCP_EP_TYPE, SCCP_EP_IP4, SCCP_EP_IP16,
				    SCCP_EP_PORT, SCCP_EP_RTCP };
	unsigned int i, j, k = 0, n = n_xep(c);
	bool cutfield = false;

	for (i = 0; i < n; i++) {
		u32 o = c->ep[i].off;
		u8 shape = 0;

		for (j = 0; j < sizeof(order); j++) {
			u32 len = order[j] == SCCP_EP_IP16 ? 16 : 4;

			if (!(c->ep[i].shape & order[j]))
				continue;
			if (o + len <= cut)
				shape |= order[j];
			else if (o < cut)
				cutfield = true;
			o += len;
		}
		if (!shape)
			continue;
		if (k >= m->n_ep || m->ep[k].shape != shape ||
		    m->ep[k].off != SCCP_HDR_LEN + c->ep[i].off ||
		    m->ep[k].len != shape_len(shape) || !m->ep[k].known)
			return 1;
		k++;
	}
	if (k != m->n_ep)
		return 1;
	return err != (cutfield ? SCCP_E_TRUNCATED : 0);
}

static void test_cases(void)
{
	u8 buf[SCCP_HDR_LEN + 400], cutbuf[SCCP_HDR_LEN + 400];
	struct sccp_msg m, full;
	unsigned int ci, i;
	char why[200];
	size_t len;
	u32 cut, avail;
	int err, bad;

	for (ci = 0; ci < NCASES; ci++) {
		const struct mcase *c = &cases[ci];

		len = build(c, c->body, buf);
		err = sccp_decode(buf, len, 0, &full);
		bad = check_full(c, &full, err, why, sizeof(why));
		if (!ok(!bad, "%s: decoded", c->name))
			diag("%s", why);

		/* every truncation of the body */
		bad = 0;
		for (cut = 0; cut < c->body && !bad; cut++) {
			memcpy(cutbuf, buf, SCCP_HDR_LEN + cut);
			sccp_put_le32(cutbuf, cut + 4);
			err = sccp_decode(cutbuf, SCCP_HDR_LEN + cut, 0, &m);
			if (err && err != SCCP_E_TRUNCATED)
				bad = 1;
			else if (c->v17min)
				bad = cut < c->v17min && m.layout != SCCP_LAYOUT_OLD;
			else
				bad = check_cut(c, cut, &m, err);
			for (i = 0; i < m.n_ep && !bad; i++)
				bad = m.ep[i].off + m.ep[i].len > SCCP_HDR_LEN + cut;
			if (bad)
				diag("cut at body %u: error %d, %u endpoints", cut,
				     err, m.n_ep);
		}
		ok(!bad, "%s: every truncation of the body (%u)", c->name,
		   c->body);

		/* every prefix: positions fixed, values known once seen */
		bad = 0;
		for (avail = SCCP_HDR_LEN; avail < len && !bad; avail++) {
			bad = sccp_decode(buf, avail, 0, &m) != SCCP_E_NEED_MORE;
			err = sccp_decode_prefix(buf, avail, full.layout, 0, &m);
			bad |= err != 0 || m.n_ep != full.n_ep;
			for (i = 0; i < m.n_ep && !bad; i++) {
				const struct sccp_ep *e = &m.ep[i];
				bool seen = e->off + e->len <= avail;

				bad = e->off != full.ep[i].off ||
				      e->shape != full.ep[i].shape ||
				      e->known != seen ||
				      (seen && memcmp(&e->val, &full.ep[i].val,
						      sizeof(e->val)));
			}
			bad |= !!(m.flags & SCCP_MSG_COMPLETE) != (avail >= full.need);
			if (bad)
				diag("prefix %u: error %d", avail, err);
		}
		for (avail = 0; avail < SCCP_HDR_LEN && !bad; avail++)
			bad = sccp_decode(buf, avail, 0, &m) != SCCP_E_NEED_HDR;
		ok(!bad, "%s: every prefix (%zu)", c->name, len);
	}
}

/* ---- framing ----------------------------------------------------------- */

static void test_framing(void)
{
	u8 b[SCCP_HDR_LEN] = { 0 };
	struct sccp_hdr h;
	struct sccp_msg m;
	u32 l;
	int bad = 0;

	for (l = 0; l < SCCP_HDR_LEN; l++)
		bad |= sccp_frame(b, l, &h) != SCCP_E_NEED_HDR;
	ok(!bad, "frame: fewer than 12 bytes need more");
	for (l = 0; l < 4; l++) {
		sccp_put_le32(b, l);
		bad |= sccp_frame(b, sizeof(b), &h) != SCCP_E_LENGTH;
	}
	ok(!bad, "frame: length 0..3 refused");
	sccp_put_le32(b, 4);
	ok(sccp_frame(b, sizeof(b), &h) == 0 && h.size == 12 && h.id == 0,
	   "frame: empty body, size 12");
	ok(sccp_decode(b, sizeof(b), 0, &m) == 0 && m.n_ep == 0 &&
	   (m.flags & SCCP_MSG_COMPLETE), "decode: KeepAlive");
	sccp_put_le32(b, SCCP_MAX_PDU - 8);
	ok(sccp_frame(b, sizeof(b), &h) == 0 && h.size == SCCP_MAX_PDU,
	   "frame: largest PDU accepted");
	sccp_put_le32(b, SCCP_MAX_PDU - 7);
	ok(sccp_frame(b, sizeof(b), &h) == SCCP_E_TOO_BIG, "frame: one more refused");
	sccp_put_le32(b, 0xffffffff);
	ok(sccp_frame(b, sizeof(b), &h) == SCCP_E_TOO_BIG,
	   "frame: 0xffffffff refused (no overflow)");
	sccp_put_le32(b, 4);
	sccp_put_le32(b + 4, 0xff);
	ok(sccp_frame(b, sizeof(b), &h) == 0 && h.version == 0xff,
	   "frame: header version 0xff accepted");
	sccp_put_le32(b + 4, 0x100);
	ok(sccp_frame(b, sizeof(b), &h) == SCCP_E_VERSION &&
	   sccp_decode(b, sizeof(b), 0, &m) == SCCP_E_VERSION,
	   "frame: header version 0x100 refused");
	sccp_put_le32(b, 100);
	sccp_put_le32(b + 4, 0);
	ok(sccp_decode(b, sizeof(b), 0, &m) == SCCP_E_NEED_MORE &&
	   m.hdr.size == 108, "decode: incomplete PDU needs more");
	ok(strcmp(sccp_strerror(SCCP_E_TRUNCATED), sccp_strerror(SCCP_E_LENGTH)) &&
	   !strcmp(sccp_msg_name(0x22), "OpenReceiveChannelAck") &&
	   !strcmp(sccp_role_name(SCCP_ROLE_MEDIA_RX), "media-rx"),
	   "names and error strings");
}

/* ---- layout rule -------------------------------------------------------- */

static void test_layout_rule(void)
{
	u8 b[SCCP_HDR_LEN + 36] = { 0 };
	struct sccp_msg m;
	bool tent;
	int l;

	/* hv 0, body 36, window seen only up to byte 2 (type bytes zero) */
	sccp_put_le32(b, 40);
	sccp_put_le32(b + 8, SCCP_OPEN_RECV_CHAN_ACK);
	l = sccp_layout(b, SCCP_HDR_LEN + 6, 0, &tent);
	ok(l == SCCP_LAYOUT_V17 && tent, "layout: partial window, no hint: v17, tentative");
	l = sccp_layout(b, SCCP_HDR_LEN + 6, 11, &tent);
	ok(l == SCCP_LAYOUT_OLD && tent, "layout: partial window, hint 11: old, tentative");
	l = sccp_layout(b, SCCP_HDR_LEN + 6, 20, &tent);
	ok(l == SCCP_LAYOUT_V17 && tent, "layout: partial window, hint 20: v17, tentative");
	l = sccp_layout(b, sizeof(b), 11, &tent);
	ok(l == SCCP_LAYOUT_V17 && !tent, "layout: whole window wins over the hint");
	b[SCCP_HDR_LEN + 4] = 10;	/* first address byte of the old layout */
	l = sccp_layout(b, SCCP_HDR_LEN + 5, 0, &tent);
	ok(l == SCCP_LAYOUT_OLD && !tent, "layout: type byte above 2 decides old at once");
	b[SCCP_HDR_LEN + 4] = 0;
	b[SCCP_HDR_LEN + 20] = 1;	/* type 0 but padding not zero */
	l = sccp_layout(b, sizeof(b), 0, &tent);
	ok(l == SCCP_LAYOUT_OLD && !tent, "layout: type 0 with non-zero padding: old");
	b[SCCP_HDR_LEN + 4] = 2;	/* type 2: padding free */
	l = sccp_layout(b, sizeof(b), 0, &tent);
	ok(l == SCCP_LAYOUT_V17 && !tent, "layout: type 2 accepts any address bytes");
	sccp_put_le32(b, 20);		/* body 16: old whatever the content */
	l = sccp_layout(b, sizeof(b), 20, &tent);
	ok(l == SCCP_LAYOUT_OLD && !tent, "layout: body below the v17 minimum: old");
	sccp_put_le32(b, 40);
	sccp_put_le32(b + 4, 0x11);
	l = sccp_layout(b, SCCP_HDR_LEN, 0, &tent);
	ok(l == SCCP_LAYOUT_V17 && !tent, "layout: header version 0x11: v17");
	sccp_put_le32(b, 20);
	ok(sccp_decode(b, SCCP_HDR_LEN + 16, 0, &m) == SCCP_E_TRUNCATED &&
	   m.layout == SCCP_LAYOUT_V17, "decode: hv 0x11 with a 16-byte body cuts the address");
	sccp_put_le32(b + 8, SCCP_REGISTER_REQ);
	ok(sccp_layout(b, sizeof(b), 0, &tent) == SCCP_LAYOUT_NONE &&
	   sccp_layout_point(SCCP_REGISTER_REQ) == 0 &&
	   sccp_layout_point(SCCP_OPEN_RECV_CHAN) == SCCP_HDR_LEN + 100,
	   "layout: none for Register; layout point of ORC");
}

/* ---- the two genuine PDUs of the notes (section 3.10) ------------------ */

static size_t unhex(const char *s, u8 *out)
{
	size_t n = 0;
	unsigned int v;

	while (*s) {
		if (*s == ' ' || *s == '|') {
			s++;
			continue;
		}
		if (sscanf(s, "%2x", &v) != 1)
			break;
		out[n++] = (u8)v;
		s += 2;
	}
	return n;
}

static void test_genuine(void)
{
	u8 b[128];
	struct sccp_msg m;
	size_t n;
	int err;

	n = unhex("28000000 14000000 22000000 | 00000000 | 00000000 c0a8c33a "
		  "00000000 00000000 00000000 | 907d0000 | 4f000001 | 4a362e01", b);
	err = sccp_decode(b, n, 0, &m);
	ok(n == 48 && !err && m.layout == SCCP_LAYOUT_V17 && m.n_ep == 1 &&
	   m.ep[0].off == 16 && m.ep[0].len == 24 &&
	   ip4_of(&m.ep[0].val) == IP(192, 168, 195, 58) &&
	   m.ep[0].val.port == 32144 && m.ppid == 0x0100004f &&
	   m.call_ref == 0x012e364a && m.status == 0,
	   "genuine v17 OpenReceiveChannelAck (nDPI frame 36)");
	n = unhex("58000000 00000000 8a000000 | 1f000001 | 01010001 | 0a66db1b | "
		  "1aeb0000 | 14000000 | 04000000 | b8000000 | 00000000 | 0000 0000 | "
		  "00000000 | 1f000001", b);
	memset(b + n, 0, sizeof(b) - n);
	err = sccp_decode(b, 96, 0, &m);
	ok(n == 56 && !err && m.layout == SCCP_LAYOUT_OLD && m.body_len == 84 &&
	   m.n_ep == 1 && m.ep[0].off == 20 && m.ep[0].len == 8 &&
	   ip4_of(&m.ep[0].val) == IP(10, 102, 219, 27) && m.ep[0].val.port == 60186 &&
	   m.conference_id == 0x0100001f && m.ppid == 0x01000101 &&
	   m.packet_ms == 20 && m.codec == 4 && m.call_ref == 0x0100001f,
	   "genuine old StartMediaTransmission (CUCM 4.x frame 154)");
}

/* ---- the captured streams ---------------------------------------------- */

struct counts {
	unsigned int n[0x200];
	unsigned int other;
};

static void count(struct counts *c, u32 id)
{
	if (id < 0x200)
		c->n[id]++;
	else
		c->other++;
}

/* index.txt: "name ... pdus=N tail=T id:count ..." for @name. */
static int index_counts(const char *name, struct counts *c, unsigned int *pdus)
{
	char line[2048], *tok, *save;
	FILE *f = fopen(DATA "index.txt", "r");
	unsigned int id, n;
	int found = 0;

	if (!f)
		return 0;
	memset(c, 0, sizeof(*c));
	while (!found && fgets(line, sizeof(line), f)) {
		tok = strtok_r(line, " \n", &save);
		if (!tok || strcmp(tok, name))
			continue;
		found = 1;
		while ((tok = strtok_r(NULL, " \n", &save))) {
			if (sscanf(tok, "pdus=%u", &n) == 1)
				*pdus = n;
			else if (sscanf(tok, "%x:%u", &id, &n) == 2 && !strchr(tok, '='))
				*(id < 0x200 ? &c->n[id] : &c->other) += n;
		}
	}
	fclose(f);
	return found;
}

static const struct sccp_msg *find(const struct sccp_msg *ms, unsigned int n,
				   u32 id, unsigned int nth)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ms[i].hdr.id == id && !nth--)
			return &ms[i];
	return NULL;
}

#define MAXPDU 64

static int ep_is(const struct sccp_msg *m, u32 ip, u32 port)
{
	return m && m->n_ep >= 1 && m->ep[0].known &&
	       ip4_of(&m->ep[0].val) == ip && m->ep[0].val.port == port;
}

static void test_captures(void)
{
	static struct sccp_msg ms[MAXPDU];
	struct counts got, want, total;
	unsigned int fi, n, pdus, i, bad;
	char path[256];
	size_t len = 0, off;
	u8 *buf;
	int err;

	memset(&total, 0, sizeof(total));
	for (fi = 0; fi < SCCP_NFIXTURES; fi++) {
		const char *name = sccp_fixtures[fi];

		snprintf(path, sizeof(path), DATA "%s.bin", name);
		buf = load_file(path, &len);
		if (!ok(buf != NULL, "%s: fixture loaded", name))
			continue;
		memset(&got, 0, sizeof(got));
		n = 0;
		bad = 0;
		for (off = 0; off < len; off += ms[n++].hdr.size) {
			err = sccp_decode(buf + off, len - off, 0, &ms[n]);
			if (err || n + 1 >= MAXPDU) {
				diag("at %zu: %s (%s)", off, sccp_strerror(err),
				     sccp_msg_name(ms[n].hdr.id));
				bad = 1;
				break;
			}
			count(&got, ms[n].hdr.id);
			count(&total, ms[n].hdr.id);
		}
		ok(!bad && off == len, "%s: %u PDUs, every one decodes, %zu bytes",
		   name, n, len);
		pdus = 0;
		ok(index_counts(name, &want, &pdus) && pdus == n &&
		   !memcmp(&want, &got, sizeof(got)),
		   "%s: counts by type equal extract.py's walker", name);

		/* what the notes say these PDUs carry */
		if (!strcmp(name, "cucm-modern-v20-call.0.c2s")) {
			const struct sccp_msg *a = find(ms, n, 0x22, 0);

			ok(ep_is(a, IP(192, 168, 195, 58), 32144) && a->ppid == 0x0100004f &&
			   a->layout == SCCP_LAYOUT_V17 && a->hdr.version == 0x14,
			   "%s: ORC-Ack 192.168.195.58:32144 ppid 0x4f", name);
			ok(ep_is(find(ms, n, 0x154, 0), IP(192, 168, 195, 58), 32150) &&
			   ep_is(find(ms, n, 0x154, 1), IP(192, 168, 195, 58), 32152) &&
			   ep_is(find(ms, n, 0x154, 2), IP(192, 168, 195, 58), 32144),
			   "%s: SMT-Acks give the phone's sources 32150, 32152, 32144", name);
		}
		if (!strcmp(name, "cucm-modern-v20-call.0.s2c")) {
			const struct sccp_msg *o = find(ms, n, 0x105, 0);

			ok(o && o->body_len == 128 && o->layout == SCCP_LAYOUT_V17 &&
			   ep_is(o, IP(192, 168, 195, 50), 4000) &&
			   o->ep[0].role == SCCP_ROLE_MEDIA_SOURCE && o->ppid == 0x0100004f,
			   "%s: ORC body 128, far-end hint 192.168.195.50:4000", name);
			ok(ep_is(find(ms, n, 0x8a, 0), IP(192, 168, 193, 24), 9395) &&
			   ep_is(find(ms, n, 0x8a, 1), IP(192, 168, 193, 24), 9396) &&
			   ep_is(find(ms, n, 0x8a, 2), IP(192, 168, 195, 50), 17718) &&
			   find(ms, n, 0x8a, 2)->body_len == 132,
			   "%s: SMTs to the third host and to the other phone's ORC-Ack", name);
		}
		if (!strcmp(name, "cucm-modern-v20-call.1.s2c"))
			ok(ep_is(find(ms, n, 0x8a, 1), IP(192, 168, 195, 58), 32144),
			   "%s: SMT to .50 = ORC-Ack of .58", name);
		if (!strcmp(name, "cucm4-call-7912.0.c2s")) {
			const struct sccp_msg *r = find(ms, n, 0x01, 0);
			const struct sccp_msg *a = find(ms, n, 0x22, 0);

			ok(r && r->body_len == 52 && !strcmp(r->name, "SEP001380AD9E5F") &&
			   ep_is(r, P1, 0) && r->proto == 7 && r->hdr.version == 0,
			   "%s: Register SEP001380AD9E5F station 10.102.10.209 proto 7", name);
			ok(a && a->body_len == 16 && a->layout == SCCP_LAYOUT_OLD &&
			   ep_is(a, P1, 16384) && a->ppid == 0x01000101 &&
			   !(a->fields & SCCP_F_CALLREF),
			   "%s: ORC-Ack body 16 10.102.10.209:16384", name);
		}
		if (!strcmp(name, "cucm4-call-7912.0.s2c")) {
			const struct sccp_msg *ack = find(ms, n, 0x81, 0);
			const struct sccp_msg *o = find(ms, n, 0x105, 0);
			const struct sccp_msg *s = find(ms, n, 0x8a, 0);
			const struct sccp_msg *c = find(ms, n, 0x106, 0);

			ok(ack && ack->keepalive == 30 && ack->keepalive2 == 60 &&
			   ack->proto == 6, "%s: RegisterAck 30 s / 60 s / v6", name);
			ok(o && o->body_len == 68 && o->n_ep == 0 && o->ppid == 0x01000101,
			   "%s: short ORC (68), no far-end hint", name);
			ok(s && s->body_len == 84 && ep_is(s, IP(10, 102, 219, 27), 60186),
			   "%s: short SMT (84) 10.102.219.27:60186", name);
			ok(c && c->body_len == 12 && !(c->fields & SCCP_F_PORT_HANDLING) &&
			   c->ppid == 0x01000101, "%s: Close body 12, no keep-port flag", name);
		}
		free(buf);
	}
	for (i = 0; i < 0x200; i++)
		if (total.n[i])
			diag("%-32s 0x%04x %3u", sccp_msg_name(i), i, total.n[i]);
	ok(total.n[0x22] == 3 && total.n[0x8a] == 7 && total.n[0x105] == 3 &&
	   total.n[0x154] == 6 && total.n[0x01] == 1 && total.n[0x81] == 1,
	   "captures: 3 ORC, 3 ORC-Ack, 7 SMT, 6 SMT-Ack, 1 Register, 1 RegisterAck");
}

int main(void)
{
	test_framing();
	test_layout_rule();
	test_cases();
	test_genuine();
	test_captures();
	return done_testing();
}
