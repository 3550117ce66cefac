/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Who may have which file (docs/tftp.md, "Access rules"). Pure: the
 * caller has already found the user (activated, auto-activated in open
 * mode, or none: a request fielded by AdHoCuSeR's CallManager).
 */
#ifndef PP_TFTPD_POLICY_H
#define PP_TFTPD_POLICY_H

#include "tftp.h"

enum tftpd_verdict {
	TFTPD_SERVE,		/* fetch from the CallManager, pass on */
	TFTPD_REWRITE,		/* fetch, rewrite, serve the rewritten file */
	TFTPD_DENY,		/* ERROR access violation, logged */
	TFTPD_NOT_FOUND,	/* ERROR file not found; the CallManager is not asked */
};

/* Why a file is not served (also the names of the counters). */
enum tftpd_reason {
	TFTPD_R_NONE,
	TFTPD_R_WRONG_SID,	/* names another device than the user's */
	TFTPD_R_NOT_ACTIVATED,	/* a device's file for a non-activated address */
	TFTPD_R_TRUST_LIST,	/* CTL/ITL: not until secure communications */
	TFTPD_R_SIGNED,		/* .sgn: a rewrite would break the signature */
	TFTPD_R_LEGACY,		/* *.cnf: addresses we cannot rewrite */
};

struct tftpd_decision {
	enum tftpd_verdict verdict;
	enum tftpd_reason reason;
	const char *why;	/* for the log and the ERROR text */
};

/*
 * Decide for a file of class fc asked by the user whose SID is sid
 * ("SEP" + 12 hex digits), or by a non-activated address (sid NULL).
 */
void tftpd_decide(const struct tftp_file_class *fc, const char *sid,
		  struct tftpd_decision *d);

/* The counter name of a reason: "wrong_sid", ... */
const char *tftpd_reason_name(enum tftpd_reason r);

#endif /* PP_TFTPD_POLICY_H */
