/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-phone-sim --secure: what a secure phone does before it registers
 * (docs/sim.md). Over TFTP, in a phone's order, it reads CTLSEP<MAC>.tlv
 * (optional) and CTLFile.tlv, accepts CTLFile.tlv only as a phone would
 * (none stored yet, or signed by a SAST certificate the stored one lists:
 * lib/tlv.h pp_ctl_may_replace()) and CTLSEP<MAC>.tlv, when served, by
 * the same rule against it, then reads SEP<MAC>.cnf.xml.sgn, verified
 * with the CTL's TFTP-capable record. The verified file's bytes go to the
 * phone as the plain file would; the CTL's CCM certificates are the TLS
 * client's only trust anchors (simcore.h sim_tls_anchor()).
 */
#ifndef PP_SIM_SECURE_H
#define PP_SIM_SECURE_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <openssl/x509.h>

#include "tftpc.h"
#include "tlv.h"

/* What the checks found; free with sim_secure_result_free(). */
struct sim_secure_result {
	/*
	 * The CTL's CCM (or CCM+TFTP) certificates: every one is trusted
	 * for TLS, as a phone does (a cluster's CTL lists each node's).
	 */
	STACK_OF(X509) *ccms;
	uint8_t *cnf;			/* the verified configuration file */
	size_t cnf_len;
	int security_mode;		/* deviceSecurityMode, 0: absent */
	size_t records;			/* in the accepted CTL */
	size_t signer;			/* its SAST record that signed */
	int ctlsep;			/* CTLSEP<MAC>.tlv: 1 verified, 0 not served */
};

void sim_secure_result_free(struct sim_secure_result *r);

/*
 * The checks, without the network. stored: the CTL the phone already
 * holds (NULL: none). ctl: CTLFile.tlv as read; sep: CTLSEP<MAC>.tlv or
 * NULL when it was not served; sgn: SEP<MAC>.cnf.xml.sgn. Returns 0 with
 * r filled, or -1 with why (the first check that failed, named).
 */
int sim_secure_check(const struct pp_ctl *stored, const uint8_t *ctl,
		     size_t ctl_len, const uint8_t *sep, size_t sep_len,
		     const uint8_t *sgn, size_t sgn_len,
		     struct sim_secure_result *r, char *why, size_t whylen);

/* deviceSecurityMode, a child of <device>: 1..3, 0 absent, -1 not XML. */
int sim_cnf_security_mode(const uint8_t *data, size_t len);

struct sim_secure;

/*
 * Read the three files from @server_ip:@port for phone @sid and check
 * them. @flash: the file holding the phone's stored CTL (NULL: none);
 * when it does not exist yet, the accepted CTL is written there. @done
 * gets the verified configuration file, or an error with the reason,
 * once, from the loop (never from inside a transfer's callback).
 */
int sim_secure_start(struct sim_secure **out, struct event_base *base,
		     uint32_t bind_ip, uint32_t server_ip, uint16_t port,
		     const char *sid, const char *flash, tftpc_done_fn done,
		     void *arg);

/* The TLS client's only trust anchors: the CTL's CCM certificates, or NULL. */
STACK_OF(X509) *sim_secure_anchors(const struct sim_secure *s);
/* deviceSecurityMode of the verified file (0: absent or not yet). */
int sim_secure_mode(const struct sim_secure *s);
void sim_secure_free(struct sim_secure *s);

#endif /* PP_SIM_SECURE_H */
