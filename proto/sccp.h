/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * SCCP ("Skinny") wire parser: framing, and the decoding of every message
 * that carries an address or a port or drives media state, with the PDU
 * offset of each address/port field so that a caller can rewrite it in
 * place. Pure C: no allocation, no kernel or libc API beyond memcpy() and
 * memset(); built into phoneproxy.ko, the userspace tests and the fuzzers.
 * docs/sccp.md explains the layout rules.
 *
 * Byte order on the wire: integers and ports are little-endian u32,
 * addresses are raw network-order bytes.
 */
#ifndef _PP_SCCP_H
#define _PP_SCCP_H

#include "pp_types.h"

#define SCCP_HDR_LEN		12	/* length, header version, message id */
#define SCCP_MIN_LENGTH		4	/* length field of an empty body */
#define SCCP_MAX_PDU		8192	/* largest accepted PDU (length + 8) */
#define SCCP_MAX_VERSION	0xff	/* larger header versions are not SCCP */
#define SCCP_V17		0x11	/* header version of the v17 layouts */
#define SCCP_LAYOUT_WINDOW	20	/* bytes the layout rule looks at */

/*
 * Longest PDU prefix the decoder ever reads (ServerRes with 5 v17
 * addresses: 12 + 360 bytes). The stream tracker buffers this much.
 */
#define SCCP_PREFIX_MAX		384

/* Message ids (direction: D = device/phone, C = CallManager). */
enum sccp_msg_id {
	SCCP_KEEPALIVE_REQ		= 0x0000,	/* D->C */
	SCCP_REGISTER_REQ		= 0x0001,	/* D->C */
	SCCP_IP_PORT			= 0x0002,	/* D->C */
	SCCP_ALARM			= 0x0020,	/* D->C */
	SCCP_OPEN_RECV_CHAN_ACK		= 0x0022,	/* D->C */
	SCCP_UNREGISTER_REQ		= 0x0027,	/* D->C */
	SCCP_REGISTER_TOKEN_REQ		= 0x0029,	/* D->C */
	SCCP_MEDIA_TX_FAILURE		= 0x002a,	/* D->C */
	SCCP_OPEN_MM_RECV_CHAN_ACK	= 0x0031,	/* D->C */
	SCCP_PORT_RES			= 0x0045,	/* D->C */
	SCCP_REGISTER_ACK		= 0x0081,	/* C->D */
	SCCP_START_MEDIA_TX		= 0x008a,	/* C->D */
	SCCP_STOP_MEDIA_TX		= 0x008b,	/* C->D */
	SCCP_REGISTER_REJECT		= 0x009d,	/* C->D */
	SCCP_SERVER_RES			= 0x009e,	/* C->D */
	SCCP_KEEPALIVE_ACK		= 0x0100,	/* C->D */
	SCCP_START_MCAST_RX		= 0x0101,	/* C->D */
	SCCP_START_MCAST_TX		= 0x0102,	/* C->D */
	SCCP_OPEN_RECV_CHAN		= 0x0105,	/* C->D */
	SCCP_CLOSE_RECV_CHAN		= 0x0106,	/* C->D */
	SCCP_UNREGISTER_ACK		= 0x0118,	/* C->D */
	SCCP_REGISTER_TOKEN_ACK		= 0x011a,	/* C->D */
	SCCP_REGISTER_TOKEN_REJECT	= 0x011b,	/* C->D */
	SCCP_OPEN_MM_RECV_CHAN		= 0x0131,	/* C->D */
	SCCP_START_MM_TX		= 0x0132,	/* C->D */
	SCCP_STOP_MM_TX			= 0x0133,	/* C->D */
	SCCP_CLOSE_MM_RECV_CHAN		= 0x0136,	/* C->D */
	SCCP_PORT_REQ			= 0x014b,	/* C->D */
	SCCP_PORT_CLOSE			= 0x014c,	/* C->D */
	SCCP_START_MEDIA_TX_ACK		= 0x0154,	/* D->C */
	SCCP_START_MM_TX_ACK		= 0x0155,	/* D->C */
	SCCP_SPCP_REGISTER_TOKEN_REQ	= 0x8000,	/* D->C, SPA phones */
};

/* Errors: negative, distinct. */
enum sccp_err {
	SCCP_OK			= 0,
	SCCP_E_NEED_HDR		= -1,	/* fewer than 12 bytes */
	SCCP_E_NEED_MORE	= -2,	/* header fine, PDU not complete */
	SCCP_E_LENGTH		= -3,	/* length field below 4 */
	SCCP_E_TOO_BIG		= -4,	/* PDU above SCCP_MAX_PDU */
	SCCP_E_VERSION		= -5,	/* header version above 0xff */
	SCCP_E_TRUNCATED	= -6,	/* the body ends inside an address/port field */
	SCCP_E_LAYOUT		= -7,	/* tracker: content contradicts the layout chosen */
	SCCP_E_MISMATCH		= -8,	/* tracker: retransmission differs from the first copy */
	SCCP_E_ABORT		= -9,	/* tracker: the caller's callback refused */
	SCCP_E_STATE		= -10,	/* tracker: not initialised */
	/* media encryption key block (sccp_key_*()) */
	SCCP_E_NO_KEY		= -11,	/* the message has no key block */
	SCCP_E_KEY_ABSENT	= -12,	/* the body ends before the salt does */
	SCCP_E_KEY_ALG		= -13,	/* algorithm id unknown */
	SCCP_E_KEY_SUITE	= -14,	/* algorithm known, not supported */
	SCCP_E_KEY_LEN		= -15,	/* key length wrong for the algorithm */
	SCCP_E_KEY_SALT		= -16,	/* salt length wrong for the algorithm */
	SCCP_E_KEY_MKI		= -17,	/* MKI present: not supported */
	SCCP_E_KEY_KDR		= -18,	/* key derivation rate not 0 */
};

/* Address layout of a message. */
enum sccp_layout {
	SCCP_LAYOUT_NONE	= 0,	/* the message has no layout choice */
	SCCP_LAYOUT_OLD		= 1,	/* 4-byte IPv4 addresses */
	SCCP_LAYOUT_V17		= 2,	/* ipAddrType (LE32) + 16-byte address */
};

/* ipAddrType values of the v17 layout. */
#define SCCP_IPTYPE_V4		0
#define SCCP_IPTYPE_V6		1
#define SCCP_IPTYPE_BOTH	2

/* What an endpoint (address and/or port field) means. */
enum sccp_role {
	SCCP_ROLE_STATION,	/* Register/RegisterTokenReq station IPv4 (B24) */
	SCCP_ROLE_STATION_V6,	/* Register IPv6 (B72), RegisterTokenReq 2nd (B32) */
	SCCP_ROLE_ALARM,	/* Alarm parm2: the station address */
	SCCP_ROLE_MEDIA_RX,	/* where the phone receives: IpPort, ORC-Ack, PortRes */
	SCCP_ROLE_MEDIA_TX,	/* where the phone sends from: SMT-Ack */
	SCCP_ROLE_MEDIA_REMOTE,	/* where the phone must send: SMT, SMMT, MTF */
	SCCP_ROLE_MEDIA_SOURCE,	/* far-end hint in OpenReceiveChannel */
	SCCP_ROLE_MULTICAST,	/* multicast group */
	SCCP_ROLE_SERVER,	/* ServerRes CallManager address [index] */
	SCCP_ROLE_SERVER_PORT,	/* ServerRes CallManager port [index] */
	SCCP_ROLE_COUNT
};

/*
 * Endpoint shape: the fields present, contiguous on the wire in this
 * order. An endpoint whose body is cut keeps only the fields entirely
 * inside it (short bodies of old CallManagers).
 */
#define SCCP_EP_TYPE	0x01	/* ipAddrType, LE32 */
#define SCCP_EP_IP4	0x02	/* IPv4, 4 bytes network order */
#define SCCP_EP_IP16	0x04	/* 16-byte address (IPv4 in the first 4) */
#define SCCP_EP_PORT	0x08	/* port, LE32 */
#define SCCP_EP_RTCP	0x10	/* RTCP port, LE32 (PortRes) */

struct sccp_addr {
	u32 type;		/* SCCP_IPTYPE_*; 0 in the old layout */
	u8 ip[16];		/* network order; IPv4 in ip[0..3] */
	u32 port;
	u32 rtcp_port;
};

#define SCCP_EP_MAX_LEN	28	/* type + 16 + port + RTCP port */

struct sccp_ep {
	u16 off;		/* offset of the first byte from the PDU start */
	u8 len;			/* bytes on the wire */
	u8 shape;		/* SCCP_EP_* */
	u8 role;		/* enum sccp_role */
	u8 index;		/* ServerRes entry, else 0 */
	bool known;		/* @val decoded: every byte has been seen */
	struct sccp_addr val;	/* original value (when @known) */
};

#define SCCP_MAX_EP	10	/* ServerRes: 5 ports + 5 addresses */

/* struct sccp_msg.flags */
#define SCCP_MSG_KNOWN		0x01	/* a message id this parser decodes */
#define SCCP_MSG_COMPLETE	0x02	/* every field the decoder reads was seen */
#define SCCP_MSG_TENTATIVE	0x04	/* layout chosen before its content was seen */
#define SCCP_MSG_UNLOCATED	0x08	/* may carry an address not located (OMMRC) */

/* struct sccp_msg.fields: scalars decoded */
#define SCCP_F_CONF		0x0001	/* conference_id */
#define SCCP_F_PPID		0x0002	/* ppid (passThruPartyId) */
#define SCCP_F_CALLREF		0x0004	/* call_ref */
#define SCCP_F_STATUS		0x0008	/* status (media status, unregister reason/status) */
#define SCCP_F_PORT_HANDLING	0x0010	/* port_handling (1 = keep the port) */
#define SCCP_F_NAME		0x0020	/* name (device name) */
#define SCCP_F_PROTO		0x0040	/* proto (Register max / RegisterAck negotiated) */
#define SCCP_F_KEEPALIVE	0x0080	/* keepalive */
#define SCCP_F_KEEPALIVE2	0x0100	/* keepalive2 (secondary) */
#define SCCP_F_DEVTYPE		0x0200	/* device_type */
#define SCCP_F_INSTANCE		0x0400	/* instance */
#define SCCP_F_MEDIA_TYPE	0x0800	/* media_type (PortReq/PortRes/PortClose) */
#define SCCP_F_REQ_IPTYPE	0x1000	/* req_iptype (ORC requested / PortReq) */
#define SCCP_F_PKT_MS		0x2000	/* packet_ms */
#define SCCP_F_CODEC		0x4000	/* codec (compressionType) */

struct sccp_hdr {
	u32 length;		/* header length field */
	u32 version;		/* header version */
	u32 id;			/* message id */
	u32 size;		/* whole PDU: length + 8 */
};

struct sccp_msg {
	struct sccp_hdr hdr;
	u32 body_len;		/* size - 12 */
	u16 need;		/* PDU prefix bytes a complete decode reads */
	u8 layout;		/* enum sccp_layout */
	u8 flags;		/* SCCP_MSG_* */
	u32 fields;		/* SCCP_F_* */
	u8 n_ep;
	u8 proto;
	char name[17];		/* NUL-terminated device name */
	u32 conference_id;
	u32 ppid;
	u32 call_ref;
	u32 status;
	u32 port_handling;
	u32 keepalive;
	u32 keepalive2;
	u32 device_type;
	u32 instance;
	u32 media_type;
	u32 req_iptype;
	u32 packet_ms;
	u32 codec;
	struct sccp_ep ep[SCCP_MAX_EP];	/* in wire order, never overlapping */
	u16 key_off;		/* PDU offset of the key block, when key_len */
	u8 key_len;		/* its bytes in the body: 48, 40 or 0 (none) */
};

/* Little-endian helpers, usable on any alignment. */
static inline u32 sccp_get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline void sccp_put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/**
 * sccp_frame() - parse and check the 12-byte header
 * @p: first byte of a PDU
 * @len: bytes available at @p
 * @hdr: filled on success
 *
 * Return: 0, or SCCP_E_NEED_HDR, SCCP_E_LENGTH, SCCP_E_TOO_BIG,
 * SCCP_E_VERSION. A framing error means the byte stream cannot be
 * followed any more (SCCP has no resynchronisation marker).
 */
int sccp_frame(const u8 *p, size_t len, struct sccp_hdr *hdr);

/**
 * sccp_decode() - decode one whole PDU
 * @p: first byte of the PDU
 * @len: bytes available at @p (at least the PDU size)
 * @hint: negotiated protocol version of the connection, 0 if unknown
 * @msg: filled, also on SCCP_E_TRUNCATED and SCCP_E_NEED_MORE (header
 *	and what could be decoded)
 *
 * Return: 0, a framing error, SCCP_E_NEED_MORE when @len is shorter than
 * the PDU, or SCCP_E_TRUNCATED when the body ends inside an address or
 * port field. Unknown message ids decode (framing only) without error.
 */
int sccp_decode(const u8 *p, size_t len, u8 hint, struct sccp_msg *msg);

/**
 * sccp_decode_prefix() - decode from the first @avail bytes of a PDU
 * @p: first byte of the PDU
 * @avail: bytes of the PDU available (at least SCCP_HDR_LEN)
 * @layout: SCCP_LAYOUT_NONE to choose by the rules, or the layout to use
 * @hint: negotiated protocol version, 0 if unknown
 * @msg: filled
 *
 * Endpoint positions only depend on the header and the layout, so they
 * are all listed; an endpoint's value is decoded (->known) and a scalar
 * flagged in ->fields only when all its bytes are within @avail. When the
 * layout depends on bytes beyond @avail, the choice is flagged
 * SCCP_MSG_TENTATIVE. SCCP_MSG_COMPLETE once @avail covers ->need.
 *
 * Return: as sccp_decode(), never SCCP_E_NEED_MORE.
 */
int sccp_decode_prefix(const u8 *p, size_t avail, int layout, u8 hint,
		       struct sccp_msg *msg);

/**
 * sccp_layout() - the layout rule alone (docs/sccp.md)
 * @p: first byte of a PDU (header at least)
 * @avail: bytes available at @p
 * @hint: negotiated protocol version, 0 if unknown
 * @tentative: set when the content the rule looks at is not all available
 *
 * Return: enum sccp_layout; SCCP_LAYOUT_NONE also for a bad header.
 */
int sccp_layout(const u8 *p, size_t avail, u8 hint, bool *tentative);

/**
 * sccp_layout_point() - PDU offset from which the layout matters
 * @id: message id
 *
 * Return: the offset of the first byte whose meaning depends on the
 * layout (the ipAddrType / IPv4 field), or 0 for messages without a
 * layout choice made from content.
 */
u32 sccp_layout_point(u32 id);

/**
 * sccp_ep_encode() - the wire bytes of @val in the shape of @ep
 * @ep: endpoint (shape and length)
 * @val: value to write; addresses are taken from @val->ip as is
 * @out: ep->len bytes
 */
void sccp_ep_encode(const struct sccp_ep *ep, const struct sccp_addr *val,
		    u8 *out);

/* Set @a to IPv4 @ip (network order bytes) and @port, the rest zero. */
void sccp_addr_v4(struct sccp_addr *a, const u8 ip[4], u32 port);

/**
 * sccp_device_ok() - the SID check: may this message of a phone pass?
 * @m: a message from the phone, decoded as far as its bytes were seen
 * @sid: the device name the phone's user owns
 *
 * A registration (RegisterReq, RegisterTokenReq, SPCPRegisterTokenReq)
 * names the device it registers as: it passes only with its name decoded
 * and equal to @sid (ASCII, case-insensitive, like the CallManager's
 * device names). SPCPRegisterTokenReq's name is not located: it never
 * passes. Every other message passes.
 *
 * Return: true if @m may pass.
 */
bool sccp_device_ok(const struct sccp_msg *m, const char *sid);

/*
 * The media encryption key block of OpenReceiveChannel (the key the phone
 * decrypts what it receives with) and StartMediaTransmission (the key it
 * encrypts with): body offset 28 in ORC (every version), 44 (old layout)
 * or 60 (v17) in SMT. Little-endian, docs/sccp.md "Media keys":
 * +0 algorithmID u32, +4 keyLen u16, +6 saltLen u16, +8 key[16],
 * +24 salt[16], +40 isMKIPresent u32, +44 keyDerivationRate u32.
 * CUCM 4.x bodies stop after the salt (40 bytes). Non-secure calls carry
 * zeros.
 */
#define SCCP_KEY_BLOCK_LEN	48
#define SCCP_KEY_BLOCK_SHORT	40	/* through the salt */
#define SCCP_KEY_FIELD		16	/* bytes of the key and salt fields */
#define SCCP_KEY_AES_CM_KEY	16	/* RFC 3711 AES-CM-128 master key */
#define SCCP_KEY_AES_CM_SALT	14	/* and master salt */

enum sccp_key_alg {
	SCCP_KEY_NONE			= 0,
	SCCP_KEY_AES_CM_128_SHA1_32	= 1,	/* AES_CM_128_HMAC_SHA1_32 */
	SCCP_KEY_AES_CM_128_SHA1_80	= 2,	/* AES_CM_128_HMAC_SHA1_80 */
	SCCP_KEY_F8_128_SHA1_32		= 3,
	SCCP_KEY_F8_128_SHA1_80		= 4,
	SCCP_KEY_AEAD_AES_128_GCM	= 5,
	SCCP_KEY_AEAD_AES_256_GCM	= 6,
};

struct sccp_media_key {
	u32 alg;		/* enum sccp_key_alg */
	u16 key_len;
	u16 salt_len;
	u8 key[SCCP_KEY_FIELD];
	u8 salt[SCCP_KEY_FIELD];
	u32 mki;		/* isMKIPresent */
	u32 kdr;		/* keyDerivationRate */
};

/**
 * sccp_key_locate() - where the key block of a message is
 * @id: message id
 * @size: PDU size (header length field + 8)
 * @layout: the message's layout (struct sccp_msg.layout)
 * @off: set to the PDU offset of the block on success
 *
 * Depends on the header and the layout only, like the endpoints.
 *
 * Return: the block's bytes in the body, SCCP_KEY_BLOCK_LEN or
 * SCCP_KEY_BLOCK_SHORT (the body ends after the salt, before the MKI
 * flag or the key derivation rate ends); SCCP_E_NO_KEY when @id carries
 * no block; SCCP_E_KEY_ABSENT when the body ends before the salt does.
 */
int sccp_key_locate(u32 id, u32 size, int layout, u32 *off);

/**
 * sccp_key_block() - where the key block of a PDU is
 * @p: first byte of the PDU
 * @len: bytes available at @p
 * @hint: negotiated protocol version, 0 if unknown
 * @off: set to the PDU offset of the block on success
 *
 * As sccp_key_locate(), the layout chosen by sccp_layout(); the block
 * must lie within @len (else SCCP_E_NEED_MORE), framing errors as
 * sccp_frame().
 *
 * Return: the block's length (> 0) or a negative SCCP_E_*.
 */
int sccp_key_block(const u8 *p, size_t len, u8 hint, u32 *off);

/**
 * sccp_key_get() - read a key block
 * @blk: first byte of the block
 * @blk_len: its length, SCCP_KEY_BLOCK_LEN or SCCP_KEY_BLOCK_SHORT
 * @k: filled; mki and kdr are 0 when the block is short
 *
 * Return: 0, or SCCP_E_KEY_ABSENT when @blk_len is below
 * SCCP_KEY_BLOCK_SHORT (@k zeroed).
 */
int sccp_key_get(const u8 *blk, u32 blk_len, struct sccp_media_key *k);

/**
 * sccp_key_check() - may @k be used (or written)?
 * @k: key
 *
 * SCCP_KEY_NONE with zero lengths (a non-secure call), or an AES-CM-128
 * suite with a 16-byte key and a 14-byte salt; no MKI, key derivation
 * rate 0.
 *
 * Return: 0 or the reason it is refused (SCCP_E_KEY_*).
 */
int sccp_key_check(const struct sccp_media_key *k);

/**
 * sccp_key_set() - write @k into a key block, in place
 * @blk: first byte of the block
 * @blk_len: its length, SCCP_KEY_BLOCK_LEN or SCCP_KEY_BLOCK_SHORT
 * @k: key, checked first (sccp_key_check()); key and salt bytes beyond
 *	their lengths are written as zeros
 *
 * Return: 0, or the reason nothing was written.
 */
int sccp_key_set(u8 *blk, u32 blk_len, const struct sccp_media_key *k);

/* "AES_CM_128_HMAC_SHA1_32" etc., "unknown" */
const char *sccp_key_alg_name(u32 alg);

const char *sccp_msg_name(u32 id);
const char *sccp_strerror(int err);
const char *sccp_role_name(int role);

#endif /* _PP_SCCP_H */
