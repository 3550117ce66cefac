/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * TFTP wire parser and builder: RFC 1350 with the option extension
 * (RFC 2347 OACK, 2348 blksize, 2349 timeout and tsize), and the
 * classification of the file names Cisco phones ask for. Pure C: no
 * allocation, no kernel or libc API beyond what pp_types.h gives; built
 * into pp-tftpd, the userspace tests and the fuzzers, and meant for the
 * module as well. Every read is bounded by the packet length; nothing
 * is assumed to be NUL-terminated.
 *
 * Byte order on the wire: opcodes, block numbers and error codes are
 * big-endian u16; strings are NUL-terminated netascii.
 */
#ifndef _PP_TFTP_H
#define _PP_TFTP_H

#include "pp_types.h"

#define TFTP_PORT		69
#define TFTP_BLKSIZE_DEFAULT	512	/* RFC 1350 */
#define TFTP_BLKSIZE_MIN	8	/* RFC 2348 */
#define TFTP_BLKSIZE_MAX	65464	/* RFC 2348 */
#define TFTP_TIMEOUT_MIN	1	/* RFC 2349, seconds */
#define TFTP_TIMEOUT_MAX	255
#define TFTP_HDR_LEN		4	/* opcode + block (DATA, ACK) */
#define TFTP_FILENAME_MAX	255	/* longest file name accepted, bytes */
#define TFTP_ERRMSG_MAX		255	/* longest error text kept, bytes */
/* Largest request accepted: RFC 1350 requests fit one 512-byte packet. */
#define TFTP_REQUEST_MAX	512

enum tftp_opcode {
	TFTP_RRQ = 1,
	TFTP_WRQ = 2,
	TFTP_DATA = 3,
	TFTP_ACK = 4,
	TFTP_ERROR = 5,
	TFTP_OACK = 6,		/* RFC 2347 */
};

/* The error codes of an ERROR packet (RFC 1350, 2347). */
enum tftp_errcode {
	TFTP_EUNDEF = 0,	/* not defined, see message */
	TFTP_ENOTFOUND = 1,	/* file not found */
	TFTP_EACCESS = 2,	/* access violation */
	TFTP_ENOSPACE = 3,	/* disk full or allocation exceeded */
	TFTP_EBADOP = 4,	/* illegal TFTP operation */
	TFTP_EBADID = 5,	/* unknown transfer ID */
	TFTP_EEXISTS = 6,	/* file already exists */
	TFTP_ENOUSER = 7,	/* no such user */
	TFTP_EOPTNEG = 8,	/* option negotiation refused (RFC 2347) */
};

enum tftp_mode {
	TFTP_MODE_NETASCII,
	TFTP_MODE_OCTET,
	TFTP_MODE_MAIL,
};

/* Options seen in a request or an OACK (bits of tftp_opts.present). */
#define TFTP_OPT_BLKSIZE	0x1
#define TFTP_OPT_TIMEOUT	0x2
#define TFTP_OPT_TSIZE		0x4

struct tftp_opts {
	u32 present;		/* TFTP_OPT_* */
	u16 blksize;		/* TFTP_BLKSIZE_MIN..TFTP_BLKSIZE_MAX */
	u8 timeout;		/* seconds, TFTP_TIMEOUT_MIN..MAX */
	u64 tsize;		/* bytes; 0 in a read request */
	u16 unknown;		/* options ignored (RFC 2347: not ours) */
};

/* A parsed RRQ or WRQ. */
struct tftp_request {
	u16 opcode;		/* TFTP_RRQ or TFTP_WRQ */
	enum tftp_mode mode;
	char filename[TFTP_FILENAME_MAX + 1];	/* NUL-terminated */
	struct tftp_opts opts;
};

/* A parsed DATA, ACK, ERROR or OACK. Pointers point into the packet. */
struct tftp_packet {
	u16 opcode;
	u16 block;		/* DATA, ACK */
	const u8 *data;		/* DATA payload */
	size_t data_len;
	u16 error_code;		/* ERROR */
	char error_msg[TFTP_ERRMSG_MAX + 1];	/* ERROR, NUL-terminated */
	struct tftp_opts opts;	/* OACK */
};

/*
 * Why a packet was refused. Negative, so that parsers return 0 or one of
 * these; tftp_strerror() names each for logs and ERROR packets.
 */
enum tftp_perr {
	TFTP_P_OK = 0,
	TFTP_P_SHORT = -1,		/* shorter than its opcode needs */
	TFTP_P_OPCODE = -2,		/* unknown opcode */
	TFTP_P_NOT_REQUEST = -3,	/* not an RRQ or WRQ */
	TFTP_P_FILENAME_UNTERMINATED = -4,
	TFTP_P_FILENAME_EMPTY = -5,
	TFTP_P_FILENAME_LONG = -6,
	TFTP_P_MODE_UNTERMINATED = -7,
	TFTP_P_MODE = -8,		/* not netascii, octet or mail */
	TFTP_P_OPTION_UNTERMINATED = -9,	/* option name or value */
	TFTP_P_OPTION_VALUE = -10,	/* blksize/timeout/tsize out of range */
	TFTP_P_OPTION_DUPLICATE = -11,
	TFTP_P_TOO_LONG = -12,		/* request larger than TFTP_REQUEST_MAX */
	TFTP_P_NOSPACE = -13,		/* builder: buffer too small */
	TFTP_P_BADARG = -14,		/* builder: invalid argument */
	TFTP_P_FILENAME_CHARS = -15,	/* control character or backslash */
	TFTP_P_FILENAME_PATH = -16,	/* a ".." path component */
};

/* A short English reason for a tftp_perr value. */
const char *tftp_strerror(int perr);

/* The opcode of a packet, 0 when it is too short to have one. */
u16 tftp_opcode(const u8 *p, size_t len);

/*
 * Parse an RRQ or WRQ. Options are matched case-insensitively; unknown
 * ones are counted and ignored (RFC 2347); a known one with a bad value
 * or given twice refuses the request. The file name is checked with
 * tftp_filename_check(). Returns 0 or a tftp_perr.
 */
int tftp_parse_request(const u8 *p, size_t len, struct tftp_request *req);

/*
 * Parse a DATA, ACK, ERROR or OACK (pkt->opcode is set whenever the
 * packet has an opcode; a request gives TFTP_P_OPCODE). An ERROR's text
 * is kept up to its NUL or the packet's end, with bytes a log cannot show
 * replaced by '?'. Returns 0 or a tftp_perr.
 */
int tftp_parse_packet(const u8 *p, size_t len, struct tftp_packet *pkt);

/*
 * A file name the proxy forwards: not empty, at most TFTP_FILENAME_MAX
 * bytes, no control character, DEL or backslash, no ".." component
 * (a leading "/" is allowed: some phones send one). Returns 0 or a
 * tftp_perr.
 */
int tftp_filename_check(const char *name);

/*
 * Builders: write the packet into buf (size cap) and return its length,
 * or a tftp_perr (TFTP_P_NOSPACE when it does not fit). Strings must be
 * NUL-terminated; opts may be NULL.
 */
int tftp_build_request(u8 *buf, size_t cap, u16 opcode, const char *filename,
		       enum tftp_mode mode, const struct tftp_opts *opts);
int tftp_build_oack(u8 *buf, size_t cap, const struct tftp_opts *opts);
int tftp_build_ack(u8 *buf, size_t cap, u16 block);
/* The 4-byte DATA header; the payload follows at buf + TFTP_HDR_LEN. */
int tftp_build_data_hdr(u8 *buf, size_t cap, u16 block);
/* msg is cut at TFTP_ERRMSG_MAX bytes. */
int tftp_build_error(u8 *buf, size_t cap, u16 code, const char *msg);

/* What a requested file is, for access control and rewriting. */
enum tftp_file_kind {
	TFTP_FILE_GENERIC,	/* anything not named after a device */
	/* *.cnf.xml not named after a device: rewritten, for everyone */
	TFTP_FILE_DEFAULT_CONFIG,
	TFTP_FILE_CONFIG_XML,	/* SEP<MAC>.cnf.xml: rewritten */
	TFTP_FILE_CONFIG_SIGNED,	/* SEP<MAC>.cnf.xml.sgn, .enc.sgn */
	TFTP_FILE_CONFIG_LEGACY,	/* *.cnf (not XML): holds CM addresses */
	TFTP_FILE_TRUST_LIST,	/* CTL*.tlv, ITL*.tlv */
	TFTP_FILE_DEVICE,	/* any other file naming a device */
};

struct tftp_file_class {
	enum tftp_file_kind kind;
	/* The device's MAC, 12 upper-case hex digits + NUL, "" if none. */
	char mac[13];
};

/*
 * Classify a file name (case-insensitively): a device is named by "SEP"
 * followed by exactly 12 hex digits anywhere in the last path component,
 * or by "gk" + 12 hex digits at its start (7905/7912 profiles).
 */
void tftp_classify(const char *name, struct tftp_file_class *fc);

/*
 * The name to ask the CallManager for: name with its device token
 * ("SEP" + 12 hex digits, as tftp_classify() finds it) in upper case,
 * the way CallManagers name the files they generate; the rest is kept.
 * out must hold strlen(name) + 1 bytes.
 */
void tftp_canonical_name(const char *name, char *out);

/* A short name of a kind, for logs: "generic", "config", ... */
const char *tftp_kind_name(enum tftp_file_kind kind);

static inline u16 tftp_get_be16(const u8 *p)
{
	return (u16)((p[0] << 8) | p[1]);
}

static inline void tftp_put_be16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

#endif /* _PP_TFTP_H */
