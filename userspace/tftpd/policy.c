// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The access rules of pp-tftpd.
 */
#include <stddef.h>
#include <strings.h>

#include "policy.h"

static void set(struct tftpd_decision *d, enum tftpd_verdict v,
		enum tftpd_reason r, const char *why)
{
	d->verdict = v;
	d->reason = r;
	d->why = why;
}

void tftpd_decide(const struct tftp_file_class *fc, const char *sid,
		  struct tftpd_decision *d)
{
	if (fc->mac[0]) {
		/* Named after a device: only that device's user. */
		if (!sid) {
			if (fc->kind == TFTP_FILE_TRUST_LIST)
				set(d, TFTPD_NOT_FOUND, TFTPD_R_TRUST_LIST,
				    "trust lists are not served");
			else
				set(d, TFTPD_DENY, TFTPD_R_NOT_ACTIVATED,
				    "the address is not activated");
			return;
		}
		if (strncasecmp(sid, "SEP", 3) || strcasecmp(sid + 3, fc->mac)) {
			set(d, TFTPD_DENY, TFTPD_R_WRONG_SID,
			    "the file names another device than the user's SID");
			return;
		}
	}
	switch (fc->kind) {
	case TFTP_FILE_CONFIG_XML:
	case TFTP_FILE_DEFAULT_CONFIG:
		set(d, TFTPD_REWRITE, TFTPD_R_NONE, "configuration file");
		return;
	case TFTP_FILE_CONFIG_SIGNED:
		set(d, TFTPD_NOT_FOUND, TFTPD_R_SIGNED,
		    "signed configuration files are not served (the phone falls back to .cnf.xml)");
		return;
	case TFTP_FILE_CONFIG_LEGACY:
		set(d, TFTPD_NOT_FOUND, TFTPD_R_LEGACY,
		    "legacy .cnf files hold CallManager addresses the proxy cannot rewrite");
		return;
	case TFTP_FILE_TRUST_LIST:
		set(d, TFTPD_NOT_FOUND, TFTPD_R_TRUST_LIST,
		    "trust lists are not served");
		return;
	case TFTP_FILE_DEVICE:
	case TFTP_FILE_GENERIC:
	default:
		set(d, TFTPD_SERVE, TFTPD_R_NONE, "file");
		return;
	}
}

const char *tftpd_reason_name(enum tftpd_reason r)
{
	switch (r) {
	case TFTPD_R_NONE:
		return "none";
	case TFTPD_R_WRONG_SID:
		return "wrong_sid";
	case TFTPD_R_NOT_ACTIVATED:
		return "not_activated";
	case TFTPD_R_TRUST_LIST:
		return "trust_list";
	case TFTPD_R_SIGNED:
		return "signed_config";
	case TFTPD_R_LEGACY:
		return "legacy_config";
	default:
		return "unknown";
	}
}
