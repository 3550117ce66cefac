/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * Rules the module and userspace must agree on, written once: the names
 * of the activation and registration reasons (the kernel's log, ppctl's output and input)
 * and what a phone's SID is (the kernel's user table, users.xml).
 */
#ifndef _PP_RULES_H
#define _PP_RULES_H

#include <linux/phoneproxy.h>

#include "pp_types.h"

/* The name of activation reason @reason (enum pp_reason), or NULL. */
static inline const char *pp_reason_str(unsigned int reason)
{
	static const char * const names[PP_REASON_MAX + 1] = {
		[PP_REASON_CLI]			= "cli",
		[PP_REASON_WEB]			= "web",
		[PP_REASON_SOAP]		= "soap",
		[PP_REASON_OPEN]		= "open",
		[PP_REASON_CLUSTER]		= "cluster",
		[PP_REASON_DISPLACED]		= "displaced",
		[PP_REASON_MOVED]		= "moved",
		[PP_REASON_TIMEOUT_IDLE]	= "timeout-idle",
		[PP_REASON_TIMEOUT_AUTH]	= "timeout-auth",
		[PP_REASON_UNPUBLISHED]		= "unpublished",
		[PP_REASON_UNREGISTER]		= "unregister",
		[PP_REASON_REJECTED]		= "rejected",
		[PP_REASON_CLOSED]		= "closed",
		[PP_REASON_STREAM_ERROR]	= "stream-error",
		[PP_REASON_RESET]		= "reset",
	};

	return reason <= PP_REASON_MAX ? names[reason] : NULL;
}

/*
 * Copy @sid upper case into @buf; false unless it is "SEP" and 12 hex
 * digits, either case (the guide: "SEP001122334455").
 */
static inline bool pp_sid_normalize(char buf[PP_SID_LEN + 1], const char *sid)
{
	int i;

	for (i = 0; i < PP_SID_LEN; i++) {
		char c = sid[i] >= 'a' && sid[i] <= 'z' ? sid[i] - 'a' + 'A' :
							  sid[i];

		if (i < 3 ? c != "SEP"[i] :
		    !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')))
			return false;
		buf[i] = c;
	}
	buf[i] = '\0';
	return !sid[i];
}

#endif /* _PP_RULES_H */
