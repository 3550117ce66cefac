// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The SRTP/SRTCP test vectors of the kernel's engine (kmod/srtp.c), made
 * by libsrtp2, the independent oracle (docs/srtp.md):
 *
 *	srtp_vectors > kmod/tests/srtp_vectors.h
 *
 * prints a C header of sessions (suite, master key || salt, SSRC) and
 * their packets in sending order: the plain RTP or RTCP packet and what
 * srtp_protect() or srtp_protect_rtcp() made of it. Deterministic: fixed
 * keys, SSRCs and payloads. Before printing, it checks that libsrtp2
 * itself unprotects every packet back to its plain bytes in a receiving
 * session, and refuses the same packet replayed and with one bit flipped
 * (test_srtp_vectors.sh runs it and compares with the committed header).
 * Exit 0, or 1 with the reason on stderr.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

#define MAX_PKT		1500
#define MAX_PKTS	16

enum kind { RTP, RTCP };

struct session {
	const char *what;	/* the comment in the header */
	int suite;		/* 80 or 32 */
	enum kind kind;
	bool encrypt_rtcp;	/* SRTCP E flag */
	uint32_t ssrc;
	unsigned int payload;	/* RTP: bytes of G.711 per packet */
	unsigned int npkts;
	uint16_t seq0;		/* RTP: the first sequence number */
	bool csrc_ext;		/* RTP: one CSRC and a header extension */
};

static const struct session sessions[] = {
	{ "_80, 20 ms G.711, the sequence number wraps: ROC 0 -> 1",
	  80, RTP, true, 0x11223344, 160, 9, 65530, false },
	{ "_32, 30 ms G.711, the sequence number wraps: ROC 0 -> 1",
	  32, RTP, true, 0xdecafbad, 240, 6, 65533, false },
	{ "_80, 40 ms G.711",
	  80, RTP, true, 0xcafebabe, 320, 4, 1000, false },
	{ "_32, 20 ms G.711, a CSRC and a header extension",
	  32, RTP, true, 0x01020304, 160, 3, 0, true },
	{ "_80, 20 ms G.711 from sequence number 0",
	  80, RTP, true, 0x55667788, 160, 3, 0, false },
	{ "SRTCP of the _80 suite, encrypted (E = 1)",
	  80, RTCP, true, 0x11223344, 0, 3, 0, false },
	{ "SRTCP of the _32 suite (10-byte tag), encrypted (E = 1)",
	  32, RTCP, true, 0xdecafbad, 0, 3, 0, false },
	{ "SRTCP of the _80 suite, authenticated only (E = 0)",
	  80, RTCP, false, 0xcafebabe, 0, 2, 0, false },
};

#define NSESSIONS (sizeof(sessions) / sizeof(sessions[0]))

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("srtp_vectors: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* Master key || salt of session @s: 30 fixed bytes. */
static void master_key(unsigned int s, uint8_t key[SRTP_AES_ICM_128_KEY_LEN_WSALT])
{
	for (unsigned int i = 0; i < SRTP_AES_ICM_128_KEY_LEN_WSALT; i++)
		key[i] = (uint8_t)(0x3c + 29 * s + 7 * i + (i * i) / 3);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* Plain packet @n of session @se into @buf; its length. */
static int plain_packet(const struct session *se, unsigned int n, uint8_t *buf)
{
	unsigned int len, i;

	if (se->kind == RTP) {
		uint16_t seq = (uint16_t)(se->seq0 + n);

		buf[0] = 0x80;
		buf[1] = n == 0 ? 0x80 : 0x00;	/* marker, PCMU (0) */
		put16(buf + 2, seq);
		put32(buf + 4, 0x1000 + n * se->payload);
		put32(buf + 8, se->ssrc);
		len = 12;
		if (se->csrc_ext) {
			buf[0] |= 0x10 | 1;	/* X, CC 1 */
			put32(buf + len, 0x0a0b0c0d);
			len += 4;
			put16(buf + len, 0xbede);	/* RFC 8285 one-byte */
			put16(buf + len + 2, 1);
			put32(buf + len + 4, 0x10aa0000);
			len += 8;
		}
		for (i = 0; i < se->payload; i++)
			buf[len + i] = (uint8_t)(0xff - ((i * 7 + seq) & 0x7f));
		return (int)(len + se->payload);
	}
	/* A sender report with one report block, then an SDES CNAME. */
	buf[0] = 0x81;
	buf[1] = 200;
	put16(buf + 2, 12);
	put32(buf + 4, se->ssrc);
	for (i = 8; i < 52; i++)
		buf[i] = (uint8_t)(i * 13 + n * 5);
	put32(buf + 28, 0x9abcdef0);		/* the report block's SSRC */
	buf[52] = 0x81;
	buf[53] = 202;
	put16(buf + 54, 3);
	put32(buf + 56, se->ssrc);
	buf[60] = 1;				/* CNAME */
	buf[61] = 6;
	memcpy(buf + 62, "phone1", 6);
	return 68;
}

static srtp_t session_create(unsigned int s, const uint8_t *key,
			     srtp_ssrc_type_t type)
{
	const struct session *se = &sessions[s];
	srtp_policy_t policy;
	srtp_t sess;
	srtp_err_status_t st;

	memset(&policy, 0, sizeof(policy));
	if (se->suite == 80)
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
	else
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
	/* SRTCP has the 80-bit tag with both suites (RFC 4568 6.2.1). */
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
	if (!se->encrypt_rtcp)
		policy.rtcp.sec_serv = sec_serv_auth;
	policy.ssrc.type = type;
	policy.ssrc.value = se->ssrc;
	policy.key = (unsigned char *)key;
	policy.window_size = 128;
	policy.allow_repeat_tx = 0;
	policy.next = NULL;
	st = srtp_create(&sess, &policy);
	if (st)
		die("srtp_create (session %u): error %d", s, st);
	return sess;
}

static srtp_err_status_t unprotect(srtp_t rx, enum kind kind, uint8_t *buf,
				   int *len)
{
	return kind == RTP ? srtp_unprotect(rx, buf, len) :
			     srtp_unprotect_rtcp(rx, buf, len);
}

static void print_bytes(const char *name, const uint8_t *p, int len)
{
	printf("static const u8 %s[] = {", name);
	for (int i = 0; i < len; i++)
		printf("%s0x%02x%s", i % 8 ? " " : "\n\t", p[i],
		       i + 1 < len ? "," : "");
	printf("\n};\n\n");
}

int main(void)
{
	static uint8_t plain[NSESSIONS][MAX_PKTS][MAX_PKT];
	static uint8_t prot[NSESSIONS][MAX_PKTS][MAX_PKT + SRTP_MAX_TRAILER_LEN];
	static int plain_len[NSESSIONS][MAX_PKTS], prot_len[NSESSIONS][MAX_PKTS];
	uint8_t key[SRTP_AES_ICM_128_KEY_LEN_WSALT];
	uint8_t buf[MAX_PKT + SRTP_MAX_TRAILER_LEN];
	unsigned int s, n, i, total = 0;
	srtp_err_status_t st;
	char name[64];
	srtp_t tx, rx;
	int len;

	if (srtp_init())
		die("srtp_init failed");
	for (s = 0; s < NSESSIONS; s++) {
		const struct session *se = &sessions[s];

		master_key(s, key);
		tx = session_create(s, key, ssrc_specific);
		for (n = 0; n < se->npkts; n++) {
			len = plain_packet(se, n, plain[s][n]);
			plain_len[s][n] = len;
			memcpy(prot[s][n], plain[s][n], len);
			st = se->kind == RTP ?
				srtp_protect(tx, prot[s][n], &len) :
				srtp_protect_rtcp(tx, prot[s][n], &len);
			if (st)
				die("session %u packet %u: protect: error %d",
				    s, n, st);
			prot_len[s][n] = len;
		}
		srtp_dealloc(tx);

		/* The sanity of the vectors: libsrtp2 reads them back. */
		rx = session_create(s, key, ssrc_any_inbound);
		for (n = 0; n < se->npkts; n++) {
			/* One flipped bit (a different one each time): refused. */
			len = prot_len[s][n];
			memcpy(buf, prot[s][n], len);
			i = (n * 97 + 13) % (len * 8);
			buf[i / 8] ^= 1 << (i % 8);
			if (unprotect(rx, se->kind, buf, &len) !=
			    srtp_err_status_auth_fail)
				die("session %u packet %u: bit %u flipped was not an auth failure",
				    s, n, i);
			len = prot_len[s][n];
			memcpy(buf, prot[s][n], len);
			st = unprotect(rx, se->kind, buf, &len);
			if (st)
				die("session %u packet %u: unprotect: error %d",
				    s, n, st);
			if (len != plain_len[s][n] ||
			    memcmp(buf, plain[s][n], len))
				die("session %u packet %u: unprotect does not give the plain packet",
				    s, n);
			len = prot_len[s][n];
			memcpy(buf, prot[s][n], len);
			if (unprotect(rx, se->kind, buf, &len) !=
			    srtp_err_status_replay_fail)
				die("session %u packet %u: replay was not refused",
				    s, n);
		}
		srtp_dealloc(rx);
	}
	srtp_shutdown();

	printf("/* SPDX-License-Identifier: GPL-2.0 */\n"
	       "/* Copyright (C) 2026 The phoneproxy authors. */\n"
	       "/*\n"
	       " * Generated by userspace/tests/srtp_vectors.c with libsrtp2: do not edit.\n"
	       " * Sessions of packets in sending order, each the plain packet and what\n"
	       " * libsrtp2's srtp_protect() or srtp_protect_rtcp() made of it.\n"
	       " */\n"
	       "#ifndef _PP_SRTP_VECTORS_H\n"
	       "#define _PP_SRTP_VECTORS_H\n\n"
	       "struct pp_srtp_vec_pkt {\n"
	       "\tconst u8 *plain;\n"
	       "\tconst u8 *prot;\n"
	       "\tunsigned int plain_len;\n"
	       "\tunsigned int prot_len;\n"
	       "};\n\n"
	       "struct pp_srtp_vec_session {\n"
	       "\tconst char *what;\n"
	       "\tint suite;\t\t\t/* 80 or 32 */\n"
	       "\tbool rtcp;\n"
	       "\tbool encrypted;\t\t\t/* SRTCP: E */\n"
	       "\tu32 ssrc;\n"
	       "\tconst u8 *key;\t\t\t/* master key || salt */\n"
	       "\tconst struct pp_srtp_vec_pkt *pkts;\n"
	       "\tunsigned int n_pkts;\n"
	       "};\n\n");
	for (s = 0; s < NSESSIONS; s++) {
		const struct session *se = &sessions[s];

		printf("/* Session %u: %s. */\n", s, se->what);
		master_key(s, key);
		snprintf(name, sizeof(name), "pp_srtp_v%u_key", s);
		print_bytes(name, key, sizeof(key));
		for (n = 0; n < se->npkts; n++) {
			snprintf(name, sizeof(name), "pp_srtp_v%u_%u_plain", s, n);
			print_bytes(name, plain[s][n], plain_len[s][n]);
			snprintf(name, sizeof(name), "pp_srtp_v%u_%u_prot", s, n);
			print_bytes(name, prot[s][n], prot_len[s][n]);
		}
		printf("static const struct pp_srtp_vec_pkt pp_srtp_v%u_pkts[] = {\n", s);
		for (n = 0; n < se->npkts; n++)
			printf("\t{ pp_srtp_v%u_%u_plain, pp_srtp_v%u_%u_prot, %d, %d },\n",
			       s, n, s, n, plain_len[s][n], prot_len[s][n]);
		printf("};\n\n");
		total += se->npkts;
	}
	printf("static const struct pp_srtp_vec_session pp_srtp_vectors[] = {\n");
	for (s = 0; s < NSESSIONS; s++) {
		const struct session *se = &sessions[s];

		printf("\t{\n\t\t.what = \"%s\",\n"
		       "\t\t.suite = %d,\n\t\t.rtcp = %s,\n"
		       "\t\t.encrypted = %s,\n\t\t.ssrc = 0x%08x,\n"
		       "\t\t.key = pp_srtp_v%u_key,\n"
		       "\t\t.pkts = pp_srtp_v%u_pkts,\n"
		       "\t\t.n_pkts = ARRAY_SIZE(pp_srtp_v%u_pkts),\n\t},\n",
		       se->what, se->suite, se->kind == RTCP ? "true" : "false",
		       se->encrypt_rtcp ? "true" : "false", se->ssrc, s, s, s);
	}
	printf("};\n\n/* %u packets. */\n\n#endif /* _PP_SRTP_VECTORS_H */\n",
	       total);
	return 0;
}
