// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The TFTP wire code shared with the module (kmod/lib/tftp.c): RFC 1350
 * requests and packets, the RFC 2347/2348/2349 options, the builders, and
 * the classification of the file names phones ask for.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "tftp.h"

/* A request from its parts: "\0"-separated words after the opcode. */
static size_t req(unsigned char *b, unsigned int op, const char *words, size_t wlen)
{
	b[0] = (unsigned char)(op >> 8);
	b[1] = (unsigned char)op;
	memcpy(b + 2, words, wlen);
	return 2 + wlen;
}

#define REQ(b, op, lit) req((b), (op), (lit), sizeof(lit) - 1)

static void test_requests(void)
{
	unsigned char b[1024];
	struct tftp_request r;
	size_t n;
	int rc;

	n = REQ(b, TFTP_RRQ, "SEP001122334455.cnf.xml\0octet\0");
	rc = tftp_parse_request(b, n, &r);
	ok(rc == 0 && r.opcode == TFTP_RRQ && r.mode == TFTP_MODE_OCTET &&
	   !strcmp(r.filename, "SEP001122334455.cnf.xml") && !r.opts.present,
	   "an RFC 1350 read request: file name and mode, no options");

	n = REQ(b, TFTP_RRQ, "f\0NetASCII\0");
	ok(tftp_parse_request(b, n, &r) == 0 && r.mode == TFTP_MODE_NETASCII,
	   "the mode is matched case-insensitively (RFC 1350)");

	n = REQ(b, TFTP_RRQ, "f\0octet\0BLKSIZE\0001428\0tsize\0000\0timeout\0003\0");
	rc = tftp_parse_request(b, n, &r);
	ok(rc == 0 && r.opts.present == (TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE | TFTP_OPT_TIMEOUT) &&
	   r.opts.blksize == 1428 && r.opts.tsize == 0 && r.opts.timeout == 3,
	   "blksize, tsize and timeout options (RFC 2348, 2349), names in any case");

	n = REQ(b, TFTP_RRQ, "f\0octet\0windowsize\0004\0multicast\0\0");
	rc = tftp_parse_request(b, n, &r);
	ok(rc == 0 && r.opts.unknown == 2 && !r.opts.present,
	   "unknown options are ignored and counted (RFC 2347)");

	n = REQ(b, TFTP_RRQ, "f\0octet\0blksize\000512\0blksize\0001024\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_OPTION_DUPLICATE,
	   "an option given twice is refused");
	n = REQ(b, TFTP_RRQ, "f\0octet\0blksize\0007\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_OPTION_VALUE,
	   "blksize 7 is below RFC 2348's 8");
	n = REQ(b, TFTP_RRQ, "f\0octet\0blksize\00065465\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_OPTION_VALUE,
	   "blksize 65465 is above RFC 2348's 65464");
	n = REQ(b, TFTP_RRQ, "f\0octet\0blksize\00065464\0");
	ok(tftp_parse_request(b, n, &r) == 0 && r.opts.blksize == 65464,
	   "blksize 65464 is accepted");
	n = REQ(b, TFTP_RRQ, "f\0octet\0timeout\0000\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_OPTION_VALUE,
	   "timeout 0 is refused (RFC 2349: 1..255)");
	n = REQ(b, TFTP_RRQ, "f\0octet\0timeout\000256\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_OPTION_VALUE, "timeout 256 is refused");
	n = REQ(b, TFTP_RRQ, "f\0octet\0tsize\0-1\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_OPTION_VALUE, "a signed tsize is refused");
	n = REQ(b, TFTP_RRQ, "f\0octet\0tsize\0\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_OPTION_VALUE, "an empty option value is refused");
	n = REQ(b, TFTP_RRQ, "f\0octet\0blksize\0001428");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_OPTION_UNTERMINATED,
	   "an unterminated option value is refused");
	n = REQ(b, TFTP_RRQ, "f\0octet\0blksize\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_OPTION_UNTERMINATED,
	   "an option without a value is refused");
	n = REQ(b, TFTP_RRQ, "f\0octet\0\0\0\0");
	ok(tftp_parse_request(b, n, &r) == 0, "trailing NUL padding is tolerated");
	n = REQ(b, TFTP_RRQ, "f\0octet\0\0x\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_OPTION_UNTERMINATED,
	   "but not bytes after it");

	n = REQ(b, TFTP_RRQ, "SEP001122334455.cnf.xml");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_FILENAME_UNTERMINATED,
	   "an unterminated file name is refused");
	n = REQ(b, TFTP_RRQ, "\0octet\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_FILENAME_EMPTY, "an empty file name is refused");
	n = REQ(b, TFTP_RRQ, "f\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_MODE_UNTERMINATED, "a missing mode is refused");
	n = REQ(b, TFTP_RRQ, "f\0binary\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_MODE, "mode \"binary\" is refused");
	n = REQ(b, TFTP_RRQ, "../etc/passwd\0octet\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_FILENAME_PATH, "a \"..\" component is refused");
	n = REQ(b, TFTP_RRQ, "a/../../b\0octet\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_FILENAME_PATH, "also in the middle");
	n = REQ(b, TFTP_RRQ, "a..b/..c\0octet\0");
	ok(tftp_parse_request(b, n, &r) == 0, "dots inside names are fine");
	n = REQ(b, TFTP_RRQ, "a\tb\0octet\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_FILENAME_CHARS, "a control character is refused");
	n = REQ(b, TFTP_RRQ, "a\\b\0octet\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_FILENAME_CHARS, "a backslash is refused");
	n = REQ(b, TFTP_RRQ, "/SEP001122334455.cnf.xml\0octet\0");
	ok(tftp_parse_request(b, n, &r) == 0, "a leading slash is accepted (some phones send one)");

	memset(b, 'a', sizeof(b));
	b[0] = 0;
	b[1] = TFTP_RRQ;
	b[2 + 256] = 0;
	memcpy(b + 2 + 257, "octet", 6);
	ok(tftp_parse_request(b, 2 + 257 + 6, &r) == TFTP_P_FILENAME_LONG,
	   "a 256-byte file name is refused");
	b[2 + 255] = 0;
	memcpy(b + 2 + 256, "octet", 6);
	ok(tftp_parse_request(b, 2 + 256 + 6, &r) == 0 && strlen(r.filename) == 255,
	   "a 255-byte file name is accepted");
	memset(b, 'a', sizeof(b));
	b[0] = 0;
	b[1] = TFTP_RRQ;
	ok(tftp_parse_request(b, TFTP_REQUEST_MAX + 1, &r) == TFTP_P_TOO_LONG,
	   "a request longer than 512 bytes is refused");

	n = REQ(b, TFTP_WRQ, "f\0octet\0");
	ok(tftp_parse_request(b, n, &r) == 0 && r.opcode == TFTP_WRQ,
	   "a write request parses (the daemon refuses it)");
	n = REQ(b, TFTP_ACK, "\0\1");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_NOT_REQUEST, "an ACK is not a request");
	n = REQ(b, 9, "f\0octet\0");
	ok(tftp_parse_request(b, n, &r) == TFTP_P_OPCODE, "opcode 9 is unknown");
	ok(tftp_parse_request(b, 1, &r) == TFTP_P_SHORT, "one byte is too short");
	ok(!strcmp(tftp_strerror(TFTP_P_MODE), "transfer mode not netascii, octet or mail"),
	   "errors have a readable reason");
}

static void test_packets(void)
{
	unsigned char b[600];
	struct tftp_packet p;
	size_t n;

	n = REQ(b, TFTP_DATA, "\xff\xfe" "abc");
	ok(tftp_parse_packet(b, n, &p) == 0 && p.opcode == TFTP_DATA &&
	   p.block == 0xfffe && p.data_len == 3 && !memcmp(p.data, "abc", 3),
	   "DATA: block number (big-endian) and payload");
	n = REQ(b, TFTP_DATA, "\0\1");
	ok(tftp_parse_packet(b, n, &p) == 0 && p.data_len == 0,
	   "an empty DATA (a file that is a multiple of the block size)");
	n = REQ(b, TFTP_ACK, "\0\3");
	ok(tftp_parse_packet(b, n, &p) == 0 && p.opcode == TFTP_ACK && p.block == 3, "ACK");
	ok(tftp_parse_packet(b, 3, &p) == TFTP_P_SHORT, "a 3-byte ACK is too short");
	n = REQ(b, TFTP_ERROR, "\0\1File not found\0");
	ok(tftp_parse_packet(b, n, &p) == 0 && p.error_code == 1 &&
	   !strcmp(p.error_msg, "File not found"), "ERROR: code and message");
	n = REQ(b, TFTP_ERROR, "\0\2bad\x1b[31m\xff");
	ok(tftp_parse_packet(b, n, &p) == 0 && !strcmp(p.error_msg, "bad?[31m?"),
	   "an ERROR's text is cut at the packet's end and made safe for logs");
	n = REQ(b, TFTP_OACK, "blksize\0001428\0tsize\0003145728\0");
	ok(tftp_parse_packet(b, n, &p) == 0 && p.opcode == TFTP_OACK &&
	   p.opts.blksize == 1428 && p.opts.tsize == 3145728,
	   "OACK: the options granted");
	n = REQ(b, TFTP_RRQ, "f\0octet\0");
	ok(tftp_parse_packet(b, n, &p) == TFTP_P_OPCODE && p.opcode == TFTP_RRQ,
	   "a request given to the packet parser is told apart");
}

static void test_builders(void)
{
	unsigned char b[600];
	struct tftp_opts o = { .present = TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE,
			       .blksize = 1428, .tsize = 0 };
	struct tftp_request r;
	struct tftp_packet p;
	char longmsg[400];
	int n;

	n = tftp_build_request(b, sizeof(b), TFTP_RRQ, "P00308000400.bin",
			       TFTP_MODE_OCTET, &o);
	ok(n > 0 && tftp_parse_request(b, (size_t)n, &r) == 0 &&
	   !strcmp(r.filename, "P00308000400.bin") && r.opts.blksize == 1428 &&
	   (r.opts.present & TFTP_OPT_TSIZE) && r.opts.tsize == 0,
	   "a built RRQ with options parses back the same");
	ok(n == 2 + 17 + 6 + 8 + 5 + 6 + 2, "and has the RFC's exact bytes (%d)", n);
	ok(tftp_build_request(b, 20, TFTP_RRQ, "P00308000400.bin", TFTP_MODE_OCTET, &o) ==
	   TFTP_P_NOSPACE, "a request that does not fit is refused, not cut");
	ok(tftp_build_request(b, sizeof(b), TFTP_RRQ, "../x", TFTP_MODE_OCTET, NULL) ==
	   TFTP_P_BADARG, "the builder refuses a file name the parser would refuse");
	o.present = TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE | TFTP_OPT_TIMEOUT;
	o.tsize = 18446744073709551615ull >> 2;
	o.timeout = 255;
	n = tftp_build_oack(b, sizeof(b), &o);
	ok(n > 0 && tftp_parse_packet(b, (size_t)n, &p) == 0 &&
	   p.opts.tsize == o.tsize && p.opts.timeout == 255 && p.opts.blksize == 1428,
	   "a built OACK parses back the same");
	o.blksize = 7;
	ok(tftp_build_oack(b, sizeof(b), &o) == TFTP_P_BADARG, "an OACK with blksize 7 is refused");
	ok(tftp_build_ack(b, sizeof(b), 0xabcd) == 4 && b[1] == TFTP_ACK &&
	   b[2] == 0xab && b[3] == 0xcd, "ACK bytes");
	ok(tftp_build_data_hdr(b, sizeof(b), 7) == 4 && b[1] == TFTP_DATA && b[3] == 7,
	   "DATA header bytes");
	n = tftp_build_error(b, sizeof(b), TFTP_EACCESS, "denied");
	ok(n == 4 + 7 && tftp_parse_packet(b, (size_t)n, &p) == 0 &&
	   p.error_code == 2 && !strcmp(p.error_msg, "denied"), "ERROR bytes");
	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = 0;
	n = tftp_build_error(b, sizeof(b), 0, longmsg);
	ok(n == 4 + TFTP_ERRMSG_MAX + 1, "an ERROR's text is cut at %d bytes", TFTP_ERRMSG_MAX);
	ok(tftp_build_error(b, 8, 0, "too long") == TFTP_P_NOSPACE,
	   "an ERROR that does not fit is refused");
}

static void classify(const char *name, enum tftp_file_kind kind, const char *mac)
{
	struct tftp_file_class fc;

	tftp_classify(name, &fc);
	ok(fc.kind == kind && !strcmp(fc.mac, mac), "%s is %s%s%s", name,
	   tftp_kind_name(kind), *mac ? " of " : "", mac);
	if (fc.kind != kind || strcmp(fc.mac, mac))
		diag("got %s \"%s\"", tftp_kind_name(fc.kind), fc.mac);
}

static void test_classify(void)
{
	char out[64];

	classify("SEP001380AD9E5F.cnf.xml", TFTP_FILE_CONFIG_XML, "001380AD9E5F");
	classify("sep001380ad9e5f.CNF.XML", TFTP_FILE_CONFIG_XML, "001380AD9E5F");
	classify("/SEP001380AD9E5F.cnf.xml", TFTP_FILE_CONFIG_XML, "001380AD9E5F");
	classify("SEP001380AD9E5F.cnf.xml.sgn", TFTP_FILE_CONFIG_SIGNED, "001380AD9E5F");
	classify("SEP001380AD9E5F.cnf.xml.enc.sgn", TFTP_FILE_CONFIG_SIGNED, "001380AD9E5F");
	classify("SEP001380AD9E5F.cnf", TFTP_FILE_CONFIG_LEGACY, "001380AD9E5F");
	classify("CTLSEP001380AD9E5F.tlv", TFTP_FILE_TRUST_LIST, "001380AD9E5F");
	classify("ITLSEP001380AD9E5F.tlv", TFTP_FILE_TRUST_LIST, "001380AD9E5F");
	classify("ITLFile.tlv", TFTP_FILE_TRUST_LIST, "");
	classify("CTLFile.tlv", TFTP_FILE_TRUST_LIST, "");
	classify("XMLDefault.cnf.xml", TFTP_FILE_DEFAULT_CONFIG, "");
	classify("SEPDEFAULT.cnf", TFTP_FILE_CONFIG_LEGACY, "");
	classify("SIPDefault.cnf", TFTP_FILE_CONFIG_LEGACY, "");
	classify("gk001380ad9e5f", TFTP_FILE_DEVICE, "001380AD9E5F");
	classify("United_States/gkdefault.cfg", TFTP_FILE_GENERIC, "");
	classify("SEP001380AD9E5F-dialplan.xml", TFTP_FILE_DEVICE, "001380AD9E5F");
	classify("SEP001380AD9E5F0.cnf.xml", TFTP_FILE_DEFAULT_CONFIG, "");
	classify("SEP001380AD9E5.cnf.xml", TFTP_FILE_DEFAULT_CONFIG, "");
	classify("P00308000400.bin", TFTP_FILE_GENERIC, "");
	classify("RingList.xml", TFTP_FILE_GENERIC, "");
	classify("Desktops/320x212x12/List.xml", TFTP_FILE_GENERIC, "");
	classify("SEP001380AD9E5F/SEP", TFTP_FILE_GENERIC, "");

	tftp_canonical_name("sep001380ad9e5f.cnf.xml", out);
	is_str(out, "SEP001380AD9E5F.cnf.xml", "a device file is asked of the CallManager as SEP + upper case");
	tftp_canonical_name("ctlsep001380ad9e5f.tlv", out);
	is_str(out, "ctlSEP001380AD9E5F.tlv", "only the device token changes");
	tftp_canonical_name("dir/sep001380ad9e5f.cnf.xml", out);
	is_str(out, "dir/SEP001380AD9E5F.cnf.xml", "in the last path component");
	tftp_canonical_name("ringlist.xml", out);
	is_str(out, "ringlist.xml", "other names are kept");
}

int main(void)
{
	test_requests();
	test_packets();
	test_builders();
	test_classify();
	return done_testing();
}
