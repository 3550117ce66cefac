// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * TFTP wire parser and builder, and the classification of phone file
 * names. Every read is bounded by the packet length; every write by the
 * buffer's capacity.
 */
#include "tftp.h"

const char *tftp_strerror(int perr)
{
	switch (perr) {
	case TFTP_P_OK:
		return "ok";
	case TFTP_P_SHORT:
		return "packet too short";
	case TFTP_P_OPCODE:
		return "unknown opcode";
	case TFTP_P_NOT_REQUEST:
		return "not a read or write request";
	case TFTP_P_FILENAME_UNTERMINATED:
		return "file name not terminated";
	case TFTP_P_FILENAME_EMPTY:
		return "empty file name";
	case TFTP_P_FILENAME_LONG:
		return "file name too long";
	case TFTP_P_MODE_UNTERMINATED:
		return "transfer mode missing or not terminated";
	case TFTP_P_MODE:
		return "transfer mode not netascii, octet or mail";
	case TFTP_P_OPTION_UNTERMINATED:
		return "option name or value not terminated";
	case TFTP_P_OPTION_VALUE:
		return "option value out of range";
	case TFTP_P_OPTION_DUPLICATE:
		return "option given twice";
	case TFTP_P_TOO_LONG:
		return "request too long";
	case TFTP_P_NOSPACE:
		return "buffer too small";
	case TFTP_P_BADARG:
		return "invalid argument";
	case TFTP_P_FILENAME_CHARS:
		return "file name has a control character or backslash";
	case TFTP_P_FILENAME_PATH:
		return "file name has a \"..\" component";
	default:
		return "unknown error";
	}
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* Length of the NUL-terminated string at p, or max when there is none. */
static size_t bounded_strlen(const u8 *p, size_t max)
{
	size_t n = 0;

	while (n < max && p[n])
		n++;
	return n;
}

static size_t cstrlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Case-insensitive: the n bytes at p equal the NUL-terminated word. */
static bool eq_ci(const u8 *p, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!word[i] || lower((char)p[i]) != lower(word[i]))
			return false;
	return word[n] == '\0';
}

/* Decimal digits only, value <= max. */
static bool parse_dec(const u8 *p, size_t n, u64 max, u64 *out)
{
	u64 v = 0;
	size_t i;

	if (n == 0 || n > 20)
		return false;
	for (i = 0; i < n; i++) {
		u64 d;

		if (p[i] < '0' || p[i] > '9')
			return false;
		d = (u64)(p[i] - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

u16 tftp_opcode(const u8 *p, size_t len)
{
	return len < 2 ? 0 : tftp_get_be16(p);
}

/* Name/value pairs from off to len (requests and OACKs). */
static int parse_options(const u8 *p, size_t off, size_t len,
			 struct tftp_opts *o)
{
	while (off < len) {
		const u8 *name = p + off, *val;
		size_t nlen, vlen, i;
		u64 v;

		nlen = bounded_strlen(name, len - off);
		if (nlen == len - off)
			return TFTP_P_OPTION_UNTERMINATED;
		if (nlen == 0) {
			/* Trailing NUL padding is tolerated, nothing else. */
			for (i = off; i < len; i++)
				if (p[i])
					return TFTP_P_OPTION_UNTERMINATED;
			return 0;
		}
		off += nlen + 1;
		if (off >= len)
			return TFTP_P_OPTION_UNTERMINATED;
		val = p + off;
		vlen = bounded_strlen(val, len - off);
		if (vlen == len - off)
			return TFTP_P_OPTION_UNTERMINATED;
		off += vlen + 1;

		if (eq_ci(name, nlen, "blksize")) {
			if (o->present & TFTP_OPT_BLKSIZE)
				return TFTP_P_OPTION_DUPLICATE;
			if (!parse_dec(val, vlen, TFTP_BLKSIZE_MAX, &v) ||
			    v < TFTP_BLKSIZE_MIN)
				return TFTP_P_OPTION_VALUE;
			o->blksize = (u16)v;
			o->present |= TFTP_OPT_BLKSIZE;
		} else if (eq_ci(name, nlen, "timeout")) {
			if (o->present & TFTP_OPT_TIMEOUT)
				return TFTP_P_OPTION_DUPLICATE;
			if (!parse_dec(val, vlen, TFTP_TIMEOUT_MAX, &v) ||
			    v < TFTP_TIMEOUT_MIN)
				return TFTP_P_OPTION_VALUE;
			o->timeout = (u8)v;
			o->present |= TFTP_OPT_TIMEOUT;
		} else if (eq_ci(name, nlen, "tsize")) {
			if (o->present & TFTP_OPT_TSIZE)
				return TFTP_P_OPTION_DUPLICATE;
			if (!parse_dec(val, vlen, (u64)1 << 62, &v))
				return TFTP_P_OPTION_VALUE;
			o->tsize = v;
			o->present |= TFTP_OPT_TSIZE;
		} else if (o->unknown < 0xffff) {
			o->unknown++;
		}
	}
	return 0;
}

int tftp_filename_check(const char *name)
{
	size_t i, n = cstrlen(name), seg = 0;

	if (n == 0)
		return TFTP_P_FILENAME_EMPTY;
	if (n > TFTP_FILENAME_MAX)
		return TFTP_P_FILENAME_LONG;
	for (i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '/' || c == '\0') {
			if (i - seg == 2 && name[seg] == '.' && name[seg + 1] == '.')
				return TFTP_P_FILENAME_PATH;
			seg = i + 1;
			continue;
		}
		if (c < 0x20 || c == 0x7f || c == '\\')
			return TFTP_P_FILENAME_CHARS;
	}
	return 0;
}

int tftp_parse_request(const u8 *p, size_t len, struct tftp_request *req)
{
	size_t off = 2, n, i;
	int rc;
	u16 op;

	memset(req, 0, sizeof(*req));
	if (len < 2)
		return TFTP_P_SHORT;
	op = tftp_get_be16(p);
	if (op < TFTP_RRQ || op > TFTP_OACK)
		return TFTP_P_OPCODE;
	if (op != TFTP_RRQ && op != TFTP_WRQ)
		return TFTP_P_NOT_REQUEST;
	if (len > TFTP_REQUEST_MAX)
		return TFTP_P_TOO_LONG;
	req->opcode = op;

	n = bounded_strlen(p + off, len - off);
	if (n == len - off)
		return TFTP_P_FILENAME_UNTERMINATED;
	if (n == 0)
		return TFTP_P_FILENAME_EMPTY;
	if (n > TFTP_FILENAME_MAX)
		return TFTP_P_FILENAME_LONG;
	for (i = 0; i < n; i++)
		req->filename[i] = (char)p[off + i];
	req->filename[n] = '\0';
	off += n + 1;

	if (off >= len)
		return TFTP_P_MODE_UNTERMINATED;
	n = bounded_strlen(p + off, len - off);
	if (n == len - off)
		return TFTP_P_MODE_UNTERMINATED;
	if (eq_ci(p + off, n, "octet"))
		req->mode = TFTP_MODE_OCTET;
	else if (eq_ci(p + off, n, "netascii"))
		req->mode = TFTP_MODE_NETASCII;
	else if (eq_ci(p + off, n, "mail"))
		req->mode = TFTP_MODE_MAIL;
	else
		return TFTP_P_MODE;
	off += n + 1;

	rc = parse_options(p, off, len, &req->opts);
	if (rc)
		return rc;
	return tftp_filename_check(req->filename);
}

int tftp_parse_packet(const u8 *p, size_t len, struct tftp_packet *pkt)
{
	size_t n, i;
	u16 op;

	memset(pkt, 0, sizeof(*pkt));
	if (len < 2)
		return TFTP_P_SHORT;
	op = tftp_get_be16(p);
	pkt->opcode = op;
	switch (op) {
	case TFTP_RRQ:
	case TFTP_WRQ:
		return TFTP_P_OPCODE;	/* a request: tftp_parse_request() */
	case TFTP_DATA:
		if (len < TFTP_HDR_LEN)
			return TFTP_P_SHORT;
		pkt->block = tftp_get_be16(p + 2);
		pkt->data = p + TFTP_HDR_LEN;
		pkt->data_len = len - TFTP_HDR_LEN;
		return 0;
	case TFTP_ACK:
		/* Bytes after the block number are ignored, as most do. */
		if (len < TFTP_HDR_LEN)
			return TFTP_P_SHORT;
		pkt->block = tftp_get_be16(p + 2);
		return 0;
	case TFTP_ERROR:
		if (len < TFTP_HDR_LEN)
			return TFTP_P_SHORT;
		pkt->error_code = tftp_get_be16(p + 2);
		/*
		 * The message up to its NUL or the end of the packet; what a
		 * log cannot show safely becomes '?'.
		 */
		n = bounded_strlen(p + TFTP_HDR_LEN, len - TFTP_HDR_LEN);
		if (n > TFTP_ERRMSG_MAX)
			n = TFTP_ERRMSG_MAX;
		for (i = 0; i < n; i++) {
			u8 c = p[TFTP_HDR_LEN + i];

			pkt->error_msg[i] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
		}
		pkt->error_msg[n] = '\0';
		return 0;
	case TFTP_OACK:
		return parse_options(p, 2, len, &pkt->opts);
	default:
		return TFTP_P_OPCODE;
	}
}

/* Append the NUL-terminated s, with its NUL. */
static bool put_str(u8 *buf, size_t cap, size_t *off, const char *s)
{
	size_t n = cstrlen(s);

	if (n + 1 > cap - *off)
		return false;
	memcpy(buf + *off, s, n + 1);
	*off += n + 1;
	return true;
}

/* Decimal digits of v into d (at least 21 bytes), NUL-terminated. */
static void fmt_dec(u64 v, char *d)
{
	char tmp[21];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		d[i] = tmp[n - 1 - i];
	d[n] = '\0';
}

static bool put_opts(u8 *buf, size_t cap, size_t *off,
		     const struct tftp_opts *o)
{
	char num[21];

	if (!o)
		return true;
	if (o->present & TFTP_OPT_BLKSIZE) {
		fmt_dec(o->blksize, num);
		if (!put_str(buf, cap, off, "blksize") ||
		    !put_str(buf, cap, off, num))
			return false;
	}
	if (o->present & TFTP_OPT_TSIZE) {
		fmt_dec(o->tsize, num);
		if (!put_str(buf, cap, off, "tsize") ||
		    !put_str(buf, cap, off, num))
			return false;
	}
	if (o->present & TFTP_OPT_TIMEOUT) {
		fmt_dec(o->timeout, num);
		if (!put_str(buf, cap, off, "timeout") ||
		    !put_str(buf, cap, off, num))
			return false;
	}
	return true;
}

static bool opts_valid(const struct tftp_opts *o)
{
	if (!o)
		return true;
	if ((o->present & TFTP_OPT_BLKSIZE) &&
	    (o->blksize < TFTP_BLKSIZE_MIN || o->blksize > TFTP_BLKSIZE_MAX))
		return false;
	if ((o->present & TFTP_OPT_TIMEOUT) && o->timeout < TFTP_TIMEOUT_MIN)
		return false;
	return true;
}

int tftp_build_request(u8 *buf, size_t cap, u16 opcode, const char *filename,
		       enum tftp_mode mode, const struct tftp_opts *opts)
{
	static const char *const modes[] = {
		[TFTP_MODE_NETASCII] = "netascii",
		[TFTP_MODE_OCTET] = "octet",
		[TFTP_MODE_MAIL] = "mail",
	};
	size_t off = 2;

	if ((opcode != TFTP_RRQ && opcode != TFTP_WRQ) ||
	    (unsigned int)mode > TFTP_MODE_MAIL || !opts_valid(opts) ||
	    tftp_filename_check(filename))
		return TFTP_P_BADARG;
	if (cap < 2)
		return TFTP_P_NOSPACE;
	tftp_put_be16(buf, opcode);
	if (!put_str(buf, cap, &off, filename) ||
	    !put_str(buf, cap, &off, modes[mode]) ||
	    !put_opts(buf, cap, &off, opts))
		return TFTP_P_NOSPACE;
	return (int)off;
}

int tftp_build_oack(u8 *buf, size_t cap, const struct tftp_opts *opts)
{
	size_t off = 2;

	if (!opts || !opts->present || !opts_valid(opts))
		return TFTP_P_BADARG;
	if (cap < 2)
		return TFTP_P_NOSPACE;
	tftp_put_be16(buf, TFTP_OACK);
	if (!put_opts(buf, cap, &off, opts))
		return TFTP_P_NOSPACE;
	return (int)off;
}

int tftp_build_ack(u8 *buf, size_t cap, u16 block)
{
	if (cap < TFTP_HDR_LEN)
		return TFTP_P_NOSPACE;
	tftp_put_be16(buf, TFTP_ACK);
	tftp_put_be16(buf + 2, block);
	return TFTP_HDR_LEN;
}

int tftp_build_data_hdr(u8 *buf, size_t cap, u16 block)
{
	if (cap < TFTP_HDR_LEN)
		return TFTP_P_NOSPACE;
	tftp_put_be16(buf, TFTP_DATA);
	tftp_put_be16(buf + 2, block);
	return TFTP_HDR_LEN;
}

int tftp_build_error(u8 *buf, size_t cap, u16 code, const char *msg)
{
	size_t n = msg ? cstrlen(msg) : 0;

	if (n > TFTP_ERRMSG_MAX)
		n = TFTP_ERRMSG_MAX;
	if (cap < TFTP_HDR_LEN + n + 1)
		return TFTP_P_NOSPACE;
	tftp_put_be16(buf, TFTP_ERROR);
	tftp_put_be16(buf + 2, code);
	if (n)
		memcpy(buf + TFTP_HDR_LEN, msg, n);
	buf[TFTP_HDR_LEN + n] = 0;
	return (int)(TFTP_HDR_LEN + n + 1);
}

/* Case-insensitive suffix test. */
static bool ends_ci(const char *s, size_t n, const char *suffix)
{
	size_t m = cstrlen(suffix), i;

	if (m > n)
		return false;
	for (i = 0; i < m; i++)
		if (lower(s[n - m + i]) != lower(suffix[i]))
			return false;
	return true;
}

static bool starts_ci(const char *s, size_t n, const char *prefix)
{
	size_t m = cstrlen(prefix), i;

	if (m > n)
		return false;
	for (i = 0; i < m; i++)
		if (lower(s[i]) != lower(prefix[i]))
			return false;
	return true;
}

/* 12 hex digits at s[0..11] and no 13th. */
static bool mac_at(const char *s, size_t n)
{
	size_t i;

	if (n < 12)
		return false;
	for (i = 0; i < 12; i++)
		if (!is_hex(s[i]))
			return false;
	return n == 12 || !is_hex(s[12]);
}

static void copy_mac(const char *s, char *mac)
{
	size_t i;

	for (i = 0; i < 12; i++)
		mac[i] = upper(s[i]);
	mac[12] = '\0';
}

void tftp_classify(const char *name, struct tftp_file_class *fc)
{
	const char *base = name;
	size_t n, i;

	for (i = 0; name[i]; i++)
		if (name[i] == '/')
			base = name + i + 1;
	n = cstrlen(base);
	fc->mac[0] = '\0';

	/*
	 * The device's MAC: "SEP" + exactly 12 hex digits, or "gk" + 12 at
	 * the start (7905/7912).
	 */
	for (i = 0; i + 3 <= n; i++) {
		if (starts_ci(base + i, n - i, "SEP") &&
		    mac_at(base + i + 3, n - i - 3)) {
			copy_mac(base + i + 3, fc->mac);
			break;
		}
	}
	if (!fc->mac[0] && starts_ci(base, n, "gk") && mac_at(base + 2, n - 2))
		copy_mac(base + 2, fc->mac);

	if ((starts_ci(base, n, "CTL") || starts_ci(base, n, "ITL")) &&
	    ends_ci(base, n, ".tlv"))
		fc->kind = TFTP_FILE_TRUST_LIST;
	else if (ends_ci(base, n, ".cnf.xml"))
		fc->kind = fc->mac[0] ? TFTP_FILE_CONFIG_XML :
					TFTP_FILE_DEFAULT_CONFIG;
	else if (ends_ci(base, n, ".cnf.xml.sgn") ||
		 ends_ci(base, n, ".cnf.xml.enc.sgn"))
		fc->kind = TFTP_FILE_CONFIG_SIGNED;
	else if (ends_ci(base, n, ".cnf"))
		fc->kind = TFTP_FILE_CONFIG_LEGACY;
	else
		fc->kind = fc->mac[0] ? TFTP_FILE_DEVICE : TFTP_FILE_GENERIC;
}

void tftp_canonical_name(const char *name, char *out)
{
	size_t n = cstrlen(name), base = 0, i, j;

	for (i = 0; i < n; i++)
		if (name[i] == '/')
			base = i + 1;
	memcpy(out, name, n + 1);
	for (i = base; i + 3 <= n; i++) {
		if (starts_ci(name + i, n - i, "SEP") &&
		    mac_at(name + i + 3, n - i - 3)) {
			for (j = i; j < i + 15; j++)
				out[j] = upper(name[j]);
			return;
		}
	}
}

const char *tftp_kind_name(enum tftp_file_kind kind)
{
	switch (kind) {
	case TFTP_FILE_GENERIC:
		return "generic";
	case TFTP_FILE_DEFAULT_CONFIG:
		return "default-config";
	case TFTP_FILE_CONFIG_XML:
		return "config";
	case TFTP_FILE_CONFIG_SIGNED:
		return "signed-config";
	case TFTP_FILE_CONFIG_LEGACY:
		return "legacy-config";
	case TFTP_FILE_TRUST_LIST:
		return "trust-list";
	case TFTP_FILE_DEVICE:
		return "device";
	default:
		return "unknown";
	}
}
