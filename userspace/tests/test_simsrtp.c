// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The simulators' SRTP (sim/simsrtp.c, libsrtp2) and key blocks
 * (sim/sccp_build.c): the keys a secure pp-ccm-sim puts in ORC and SMT
 * decode with the project's parser in both layouts; what one phone's
 * sending session protects, the other's receiving session keyed from
 * the same block unprotects into the original bytes (both suites, across
 * the sequence number wrap); a replay, a flipped bit and a wrong key are
 * dropped and counted; zeros stay plain RTP; unsupported suites are
 * refused with the reason. SRTCP: a sender report through the same
 * sessions (80-bit tag and index with either suite), replayed, flipped
 * and under another key dropped and counted; the attacker's wrong key
 * (sim_srtp_protect_foreign) fails authentication.
 */
#include <stdio.h>
#include <string.h>

#include "../sim/rtp.h"
#include "../sim/sccp_build.h"
#include "../sim/simsrtp.h"
#include "tap.h"

static void key_of(struct sccp_media_key *k, uint32_t alg, uint8_t seed)
{
	unsigned int i;

	memset(k, 0, sizeof(*k));
	k->alg = alg;
	k->key_len = SCCP_KEY_AES_CM_KEY;
	k->salt_len = SCCP_KEY_AES_CM_SALT;
	for (i = 0; i < 16; i++)
		k->key[i] = (uint8_t)(seed * 7 + i);
	for (i = 0; i < 14; i++)
		k->salt[i] = (uint8_t)(seed * 13 + i);
}

static void key_blocks(int layout)
{
	const char *ln = layout == SCCP_LAYOUT_V17 ? "v17" : "old";
	uint32_t hv = layout == SCCP_LAYOUT_V17 ? 17 : 11;
	struct sccp_media_key k, got;
	struct sb_media md = { .ppid = 7, .ip = 0x0102a8c0, .port = 4000 };
	uint8_t pdu[SB_MAX_PDU];
	struct sccp_msg m;
	size_t n;
	int id;

	key_of(&k, SCCP_KEY_AES_CM_128_SHA1_32, 3);
	md.key = &k;
	for (id = 0; id < 2; id++) {
		const char *name = id ? "SMT" : "ORC";

		n = id ? sb_smt(pdu, sizeof(pdu), hv, layout, &md) :
			 sb_orc(pdu, sizeof(pdu), hv, layout, &md);
		ok(n && !sccp_decode(pdu, n, 0, &m) &&
		   m.key_len == SCCP_KEY_BLOCK_LEN &&
		   m.key_off == SCCP_HDR_LEN + (id ? (layout == SCCP_LAYOUT_V17 ? 60 : 44) : 28) &&
		   !sccp_key_get(pdu + m.key_off, m.key_len, &got) &&
		   !memcmp(&got, &k, sizeof(k)) && m.ppid == 7,
		   "%s %s: the key block carries the key, where the notes say", ln, name);
	}
	md.key = NULL;
	n = sb_smt(pdu, sizeof(pdu), hv, layout, &md);
	ok(n && !sccp_decode(pdu, n, 0, &m) &&
	   !sccp_key_get(pdu + m.key_off, m.key_len, &got) &&
	   got.alg == SCCP_KEY_NONE && !got.key_len && !got.key[0],
	   "%s SMT without a key: zeros", ln);
	k.salt_len = 16;
	md.key = &k;
	ok(sb_orc(pdu, sizeof(pdu), hv, layout, &md) == 0,
	   "%s ORC with a 16-byte salt: not built", ln);
}

/* A packet of @tx into @buf; its copy in @orig. */
static size_t packet(struct rtp_tx *tx, uint8_t *buf, uint8_t *orig)
{
	size_t n = rtp_tx_next(tx, buf);

	memcpy(orig, buf, n);
	return n;
}

static void round_trip(uint32_t alg, size_t tag)
{
	const char *sn = sccp_key_alg_name(alg);
	struct sim_srtp a = { 0 }, b = { 0 };
	struct sccp_media_key k;
	uint8_t buf[RTP_MAX_PKT + SIM_SRTP_TRAILER], orig[RTP_MAX_PKT];
	uint8_t again[sizeof(buf)];
	struct rtp_tx tx;
	struct rtp_rx rx;
	char err[200];
	size_t n, len, alen = 0;
	unsigned int i, good = 0;

	key_of(&k, alg, 9);
	ok(!sim_srtp_key(&a, true, &k, err, sizeof(err)) &&
	   !sim_srtp_key(&b, false, &k, err, sizeof(err)),
	   "%s: sessions keyed", sn);
	rtp_tx_init(&tx, 42, 0, 20);
	tx.seq = 65530;			/* across the wrap: ROC 0 -> 1 */
	rtp_rx_init(&rx, 0, 20);
	for (i = 0; i < 12; i++) {
		n = packet(&tx, buf, orig);
		len = n;
		if (sim_srtp_protect(&a, buf, &len, sizeof(buf)) ||
		    len != n + tag || !memcmp(buf + RTP_HDR_LEN, orig + RTP_HDR_LEN,
					     n - RTP_HDR_LEN))
			break;
		if (i == 3) {		/* keep a copy to replay */
			memcpy(again, buf, len);
			alen = len;
		}
		if (sim_srtp_unprotect(&b, buf, &len) || len != n ||
		    memcmp(buf, orig, n))
			break;
		rtp_rx_account(&rx, buf, len, 1, 2);
		good++;
	}
	ok(good == 12 && rx.valid == 12 && !rx.bad_payload && !rtp_rx_lost(&rx),
	   "%s: 12 packets across the sequence wrap protected (+%zu bytes, payload encrypted) and unprotected to the original bytes (%u)",
	   sn, tag, good);
	ok(a.protected_pkts == 12 && b.unprotected_pkts == 12 && !b.auth_fail &&
	   !b.replay && !a.fail && !b.fail, "%s: counters", sn);
	len = alen;
	ok(sim_srtp_unprotect(&b, again, &len) && b.replay == 1,
	   "%s: a replayed packet is dropped and counted", sn);

	n = packet(&tx, buf, orig);
	len = n;
	sim_srtp_protect(&a, buf, &len, sizeof(buf));
	buf[RTP_HDR_LEN + 5] ^= 0x10;
	ok(sim_srtp_unprotect(&b, buf, &len) && b.auth_fail == 1,
	   "%s: a packet with one flipped bit is dropped (auth failure)", sn);

	n = packet(&tx, buf, orig);
	len = n;
	key_of(&k, alg, 10);		/* another key */
	sim_srtp_key(&a, true, &k, err, sizeof(err));
	sim_srtp_protect(&a, buf, &len, sizeof(buf));
	ok(sim_srtp_unprotect(&b, buf, &len) && b.auth_fail == 2,
	   "%s: a packet under the wrong key is dropped (auth failure)", sn);
	sim_srtp_format(&b, err, sizeof(err));
	ok(strstr(err, " srtp_rx=") && strstr(err, sn) &&
	   strstr(err, " srtp_auth_fail=2 srtp_replay=1 "),
	   "%s: the result line's fields: %s", sn, err);
	sim_srtp_reset(&a);
	sim_srtp_reset(&b);
}

static void srtcp(uint32_t alg)
{
	const char *sn = sccp_key_alg_name(alg);
	struct sim_srtp a = { 0 }, b = { 0 };
	struct sccp_media_key k;
	uint8_t buf[RTCP_MAX_PKT], orig[RTCP_SR_LEN], again[RTCP_MAX_PKT];
	uint8_t pkt[RTP_MAX_PKT + SIM_SRTP_TRAILER], plain[RTP_MAX_PKT];
	struct rtp_tx tx;
	char err[200];
	size_t n, len, alen = 0;
	unsigned int i, good = 0;
	struct rtcp_sr sr = { 0 };

	key_of(&k, alg, 21);
	sim_srtp_key(&a, true, &k, err, sizeof(err));
	sim_srtp_key(&b, false, &k, err, sizeof(err));
	rtp_tx_init(&tx, 7, 0, 20);
	for (i = 0; i < 5; i++) {
		tx.packets += 50;
		n = rtcp_sr_build(orig, &tx, 0x1234567800000000ULL + i);
		memcpy(buf, orig, n);
		len = n;
		/* E flag + 31-bit index (4) and the 80-bit tag (10) */
		if (sim_srtp_protect_rtcp(&a, buf, &len, sizeof(buf)) ||
		    len != n + 14 || !memcmp(buf + 8, orig + 8, n - 8) ||
		    !rtcp_sr_check(buf, len, &sr))
			break;
		memcpy(again, buf, len);
		alen = len;
		if (sim_srtp_unprotect_rtcp(&b, buf, &len) || len != n ||
		    memcmp(buf, orig, n) || rtcp_sr_check(buf, len, &sr) ||
		    sr.ssrc != tx.ssrc)
			break;
		good++;
	}
	ok(good == 5 && a.rtcp_protected == 5 && b.rtcp_unprotected == 5 &&
	   !a.protected_pkts && !b.unprotected_pkts,
	   "%s: 5 sender reports protected as SRTCP (+14 bytes, encrypted: not an SR as they are) and back to the original bytes, counted apart from SRTP",
	   sn);
	len = alen;
	ok(sim_srtp_unprotect_rtcp(&b, again, &len) && b.rtcp_replay == 1,
	   "%s: a replayed SRTCP packet is dropped and counted", sn);
	n = rtcp_sr_build(buf, &tx, 99);
	len = n;
	sim_srtp_protect_rtcp(&a, buf, &len, sizeof(buf));
	buf[10] ^= 0x01;
	ok(sim_srtp_unprotect_rtcp(&b, buf, &len) && b.rtcp_auth_fail == 1,
	   "%s: an SRTCP packet with one flipped bit is dropped (auth failure)", sn);
	n = packet(&tx, pkt, plain);
	len = n;
	ok(!sim_srtp_protect_foreign(alg, pkt, &len, sizeof(pkt)) &&
	   len > n && sim_srtp_unprotect(&b, pkt, &len) && b.auth_fail == 1 &&
	   !b.unprotected_pkts,
	   "%s: the attacker's packet under a random key is dropped (auth failure)", sn);
	sim_srtcp_format(&b, err, sizeof(err));
	ok(!strcmp(err, " srtcp_protected=0 srtcp_unprotected=5 srtcp_auth_fail=1 srtcp_replay=1"),
	   "%s: the result line's SRTCP fields: %s", sn, err);
	sim_srtp_reset(&a);
	sim_srtp_reset(&b);
}

static void plain_and_refused(void)
{
	struct sim_srtp s = { 0 };
	struct sccp_media_key k = { 0 };
	uint8_t buf[RTP_MAX_PKT + SIM_SRTP_TRAILER], orig[RTP_MAX_PKT];
	struct rtp_tx tx;
	char err[200];
	size_t n, len;

	rtp_tx_init(&tx, 1, 0, 20);
	n = packet(&tx, buf, orig);
	len = n;
	ok(!sim_srtp_key(&s, true, &k, err, sizeof(err)) &&
	   !sim_srtp_key(&s, false, &k, err, sizeof(err)) &&
	   !sim_srtp_protect(&s, buf, &len, sizeof(buf)) && len == n &&
	   !memcmp(buf, orig, n) && !sim_srtp_unprotect(&s, buf, &len) &&
	   len == n && !s.keyed, "zeros (a non-secure call): plain RTP both ways");
	key_of(&k, SCCP_KEY_F8_128_SHA1_32, 1);
	ok(sim_srtp_key(&s, false, &k, err, sizeof(err)) &&
	   strstr(err, "F8_128_HMAC_SHA1_32") && strstr(err, "not supported"),
	   "F8 refused with the reason: %s", err);
	key_of(&k, SCCP_KEY_AES_CM_128_SHA1_80, 1);
	k.key_len = 32;
	ok(sim_srtp_key(&s, true, &k, err, sizeof(err)) &&
	   strstr(err, "StartMediaTransmission") && strstr(err, "key length"),
	   "a 32-byte AES-CM-128 key refused with the reason: %s", err);
	key_of(&k, SCCP_KEY_AES_CM_128_SHA1_80, 1);
	ok(!sim_srtp_key(&s, true, &k, err, sizeof(err)) &&
	   sim_srtp_protect(&s, buf, &len, len + 3) && s.fail == 1,
	   "no room for the tag: refused and counted");
	sim_srtp_reset(&s);
}

/*
 * The key block's key || salt is libsrtp2's master key: the known answer
 * of libsrtp's own srtp_driver (srtp_validate(), AES_CM_128_HMAC_SHA1_80,
 * its test_key), independent of how the glue splits the block.
 */
static void known_answer(void)
{
	static const uint8_t master[30] = {
		0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0, 0xd6, 0x4f,
		0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39, 0x0e, 0xc6, 0x75, 0xad,
		0x49, 0x8a, 0xfe, 0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6,
	};
	static const uint8_t want[28] = {
		0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe,
		0xba, 0xbe, 0x4e, 0x55, 0xdc, 0x4c, 0xe7, 0x99, 0x78, 0xd8,
		0x8c, 0xa4, 0xd2, 0x15, 0x94, 0x9d, 0x24, 0x02,
	};
	uint8_t pkt[28 + SIM_SRTP_TRAILER] = {
		0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe,
		0xba, 0xbe,
	};
	struct sccp_media_key k = { 0 };
	struct sim_srtp s = { 0 };
	char err[200];
	size_t len = 28;

	memset(pkt + 12, 0xab, 16);
	k.alg = SCCP_KEY_AES_CM_128_SHA1_80;
	k.key_len = 16;
	k.salt_len = 14;
	memcpy(k.key, master, 16);
	memcpy(k.salt, master + 16, 14);
	ok(!sim_srtp_key(&s, true, &k, err, sizeof(err)) &&
	   !sim_srtp_protect(&s, pkt, &len, sizeof(pkt)) && len == 38 &&
	   !memcmp(pkt, want, sizeof(want)),
	   "libsrtp's known answer: key || salt of the block is the master key");
	sim_srtp_reset(&s);
}

int main(void)
{
	known_answer();
	key_blocks(SCCP_LAYOUT_OLD);
	key_blocks(SCCP_LAYOUT_V17);
	round_trip(SCCP_KEY_AES_CM_128_SHA1_32, 4);
	round_trip(SCCP_KEY_AES_CM_128_SHA1_80, 10);
	srtcp(SCCP_KEY_AES_CM_128_SHA1_32);
	srtcp(SCCP_KEY_AES_CM_128_SHA1_80);
	plain_and_refused();
	return done_testing();
}
