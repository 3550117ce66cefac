/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * SRTP for the test peers, with libsrtp2 (the independent oracle of the
 * module's SRTP): one media endpoint's sending and receiving sessions,
 * keyed from the media key blocks of SCCP (proto/sccp.h: StartMedia-
 * Transmission's key protects what the phone sends, OpenReceiveChannel's
 * unprotects what it receives), and their counters. A direction without
 * a key (algorithm 0, the zeros of a non-secure call) stays plain RTP.
 */
#ifndef PP_SIM_SIMSRTP_H
#define PP_SIM_SIMSRTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sccp.h"

/* Room an SRTP packet needs beyond its RTP bytes (the auth tag). */
#define SIM_SRTP_TRAILER	16

struct sim_srtp {
	void *tx, *rx;			/* srtp_t; NULL: plain RTP */
	uint32_t tx_alg, rx_alg;	/* enum sccp_key_alg */
	bool keyed;			/* a key was ever given */
	uint64_t protected_pkts;	/* sent protected */
	uint64_t unprotected_pkts;	/* received, authenticated, decrypted */
	uint64_t auth_fail;		/* received, tag wrong */
	uint64_t replay;		/* received, replayed or too old */
	uint64_t fail;			/* other libsrtp2 errors both ways */
	/* SRTCP (RFC 3711 3.4), the same sessions: sent protected, received
	 * authenticated and decrypted, dropped on a wrong tag or a replay */
	uint64_t rtcp_protected, rtcp_unprotected, rtcp_auth_fail, rtcp_replay;
};

/*
 * Key the sending (@tx) or receiving direction with @k: an AES-CM-128
 * suite starts an SRTP session (the previous one of that direction
 * ends), SCCP_KEY_NONE makes the direction plain. Returns 0, or -1 with
 * the reason in @err (the key refused by sccp_key_check(), libsrtp2).
 */
int sim_srtp_key(struct sim_srtp *s, bool tx, const struct sccp_media_key *k,
		 char *err, size_t errlen);

/*
 * Protect the RTP packet of *@len bytes in @buf (@cap >= *@len +
 * SIM_SRTP_TRAILER) in place when the sending direction is keyed.
 * Returns 0 (*@len updated) or -1 (counted in fail: do not send).
 */
int sim_srtp_protect(struct sim_srtp *s, uint8_t *buf, size_t *len,
		     size_t cap);

/*
 * Unprotect the packet of *@len bytes in @buf in place when the
 * receiving direction is keyed. Returns 0 (*@len is the RTP length) or
 * -1: the packet is dropped, counted as an auth failure, a replay, or
 * another failure.
 */
int sim_srtp_unprotect(struct sim_srtp *s, uint8_t *buf, size_t *len);

/*
 * SRTCP: the same as sim_srtp_protect() and sim_srtp_unprotect() for an
 * RTCP compound packet (libsrtp2's srtp_protect_rtcp(): the 80-bit tag
 * and the E flag with the SRTCP index), counted in the rtcp_ counters.
 */
int sim_srtp_protect_rtcp(struct sim_srtp *s, uint8_t *buf, size_t *len,
			  size_t cap);
int sim_srtp_unprotect_rtcp(struct sim_srtp *s, uint8_t *buf, size_t *len);

/*
 * The attacker's wrong key: protect the RTP packet in @buf with a fresh
 * random master key of suite @alg (SCCP_KEY_NONE: _80), as a sender that
 * does not have the call's key would. 0 or -1 (not protected).
 */
int sim_srtp_protect_foreign(uint32_t alg, uint8_t *buf, size_t *len,
			     size_t cap);

/* End both sessions; the counters stay. */
void sim_srtp_end(struct sim_srtp *s);

/* Both sessions ended and the counters zeroed. */
void sim_srtp_reset(struct sim_srtp *s);

/*
 * " srtp_tx=SUITE|plain srtp_rx=... srtp_protected=N srtp_unprotected=N
 * srtp_auth_fail=N srtp_replay=N srtp_fail=N" for a result line.
 */
void sim_srtp_format(const struct sim_srtp *s, char *buf, size_t len);

/*
 * " srtcp_protected=N srtcp_unprotected=N srtcp_auth_fail=N
 * srtcp_replay=N" for a result line (a stream sending RTCP).
 */
void sim_srtcp_format(const struct sim_srtp *s, char *buf, size_t len);

#endif /* PP_SIM_SIMSRTP_H */
