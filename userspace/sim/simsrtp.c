// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libsrtp2 sessions of a media endpoint (simsrtp.h).
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <srtp2/srtp.h>

#include "simsrtp.h"

static bool srtp_ready;

static void end_dir(struct sim_srtp *s, bool tx)
{
	void **sess = tx ? &s->tx : &s->rx;

	if (*sess)
		srtp_dealloc(*sess);
	*sess = NULL;
	if (tx)
		s->tx_alg = SCCP_KEY_NONE;
	else
		s->rx_alg = SCCP_KEY_NONE;
}

/* A libsrtp2 session of suite @alg from the key block's key and salt. */
static srtp_err_status_t session(srtp_t *sess, uint32_t alg, const uint8_t *key,
				 const uint8_t *salt, bool tx)
{
	uint8_t master[SCCP_KEY_AES_CM_KEY + SCCP_KEY_AES_CM_SALT];
	srtp_policy_t pol;
	srtp_err_status_t st;

	if (!srtp_ready) {
		st = srtp_init();
		if (st)
			return st;
		srtp_ready = true;
	}
	memset(&pol, 0, sizeof(pol));
	if (alg == SCCP_KEY_AES_CM_128_SHA1_32)
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol.rtp);
	else
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtp);
	/* RFC 3711: SRTCP keeps the 80-bit tag with either suite */
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
	memcpy(master, key, SCCP_KEY_AES_CM_KEY);
	memcpy(master + SCCP_KEY_AES_CM_KEY, salt, SCCP_KEY_AES_CM_SALT);
	pol.key = master;
	pol.ssrc.type = tx ? ssrc_any_outbound : ssrc_any_inbound;
	pol.window_size = 128;
	pol.allow_repeat_tx = 0;
	st = srtp_create(sess, &pol);
	memset(master, 0, sizeof(master));
	return st;
}

int sim_srtp_key(struct sim_srtp *s, bool tx, const struct sccp_media_key *k,
		 char *err, size_t errlen)
{
	srtp_err_status_t st;
	srtp_t sess = NULL;
	int e = sccp_key_check(k);

	if (e) {
		snprintf(err, errlen, "%s key refused (%s, key length %u, salt length %u): %s",
			 tx ? "StartMediaTransmission" : "OpenReceiveChannel",
			 sccp_key_alg_name(k->alg), k->key_len, k->salt_len,
			 sccp_strerror(e));
		return -1;
	}
	end_dir(s, tx);
	if (k->alg == SCCP_KEY_NONE)
		return 0;
	st = session(&sess, k->alg, k->key, k->salt, tx);
	if (st) {
		snprintf(err, errlen, "srtp_init/srtp_create: error %d", st);
		return -1;
	}
	if (tx) {
		s->tx = sess;
		s->tx_alg = k->alg;
	} else {
		s->rx = sess;
		s->rx_alg = k->alg;
	}
	s->keyed = true;
	return 0;
}

/* Protect SRTP (@rtcp false) or SRTCP with the sending session. */
static int protect(struct sim_srtp *s, uint8_t *buf, size_t *len, size_t cap,
		   bool rtcp)
{
	int n = (int)*len;

	if (!s->tx)
		return 0;
	if (cap < *len + SIM_SRTP_TRAILER ||
	    (rtcp ? srtp_protect_rtcp(s->tx, buf, &n) :
		    srtp_protect(s->tx, buf, &n)) != srtp_err_status_ok) {
		s->fail++;
		return -1;
	}
	*len = (size_t)n;
	if (rtcp)
		s->rtcp_protected++;
	else
		s->protected_pkts++;
	return 0;
}

int sim_srtp_protect(struct sim_srtp *s, uint8_t *buf, size_t *len,
		     size_t cap)
{
	return protect(s, buf, len, cap, false);
}

/* Unprotect SRTP (@rtcp false) or SRTCP, counted in @ok, @auth, @replay. */
static int unprotect(struct sim_srtp *s, uint8_t *buf, size_t *len, bool rtcp,
		     uint64_t *ok, uint64_t *auth, uint64_t *replay)
{
	int n = (int)*len;

	if (!s->rx)
		return 0;
	switch (rtcp ? srtp_unprotect_rtcp(s->rx, buf, &n) :
		       srtp_unprotect(s->rx, buf, &n)) {
	case srtp_err_status_ok:
		*len = (size_t)n;
		(*ok)++;
		return 0;
	case srtp_err_status_auth_fail:
		(*auth)++;
		return -1;
	case srtp_err_status_replay_fail:
	case srtp_err_status_replay_old:
		(*replay)++;
		return -1;
	default:
		s->fail++;
		return -1;
	}
}

int sim_srtp_unprotect(struct sim_srtp *s, uint8_t *buf, size_t *len)
{
	return unprotect(s, buf, len, false, &s->unprotected_pkts, &s->auth_fail,
			 &s->replay);
}

int sim_srtp_protect_rtcp(struct sim_srtp *s, uint8_t *buf, size_t *len,
			  size_t cap)
{
	return protect(s, buf, len, cap, true);
}

int sim_srtp_unprotect_rtcp(struct sim_srtp *s, uint8_t *buf, size_t *len)
{
	return unprotect(s, buf, len, true, &s->rtcp_unprotected,
			 &s->rtcp_auth_fail, &s->rtcp_replay);
}

int sim_srtp_protect_foreign(uint32_t alg, uint8_t *buf, size_t *len,
			     size_t cap)
{
	uint8_t key[SCCP_KEY_AES_CM_KEY], salt[SCCP_KEY_AES_CM_SALT];
	srtp_t sess = NULL;
	int n = (int)*len, rc = -1;

	if (cap < *len + SIM_SRTP_TRAILER ||
	    getrandom(key, sizeof(key), 0) != sizeof(key) ||
	    getrandom(salt, sizeof(salt), 0) != sizeof(salt) ||
	    session(&sess, alg, key, salt, true))
		return -1;
	if (srtp_protect(sess, buf, &n) == srtp_err_status_ok) {
		*len = (size_t)n;
		rc = 0;
	}
	srtp_dealloc(sess);
	return rc;
}

void sim_srtp_end(struct sim_srtp *s)
{
	end_dir(s, true);
	end_dir(s, false);
}

void sim_srtp_reset(struct sim_srtp *s)
{
	sim_srtp_end(s);
	memset(s, 0, sizeof(*s));
}

static const char *suite(uint32_t alg)
{
	return alg == SCCP_KEY_NONE ? "plain" : sccp_key_alg_name(alg);
}

void sim_srtp_format(const struct sim_srtp *s, char *buf, size_t len)
{
	snprintf(buf, len,
		 " srtp_tx=%s srtp_rx=%s srtp_protected=%llu srtp_unprotected=%llu srtp_auth_fail=%llu srtp_replay=%llu srtp_fail=%llu",
		 suite(s->tx_alg), suite(s->rx_alg),
		 (unsigned long long)s->protected_pkts,
		 (unsigned long long)s->unprotected_pkts,
		 (unsigned long long)s->auth_fail,
		 (unsigned long long)s->replay, (unsigned long long)s->fail);
}

void sim_srtcp_format(const struct sim_srtp *s, char *buf, size_t len)
{
	snprintf(buf, len,
		 " srtcp_protected=%llu srtcp_unprotected=%llu srtcp_auth_fail=%llu srtcp_replay=%llu",
		 (unsigned long long)s->rtcp_protected,
		 (unsigned long long)s->rtcp_unprotected,
		 (unsigned long long)s->rtcp_auth_fail,
		 (unsigned long long)s->rtcp_replay);
}
