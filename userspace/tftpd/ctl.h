/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's control socket (lib/ctlsock.h), its requests and replies:
 *
 *	"stats"		"name value" lines: the counters, then the gauges
 *			(the format of lib/ctlsock.h, shared with pp-tlsd)
 *	"reload"	re-read tftpd.conf; replies "ok" or "error reason"
 */
#ifndef PP_TFTPD_CTL_H
#define PP_TFTPD_CTL_H

#include "ctlsock.h"

#define TFTPD_CTL_NAME	"phoneproxy/tftpd"	/* after the leading NUL */
#define TFTPD_CTL_MAX	PP_CTL_MAX		/* largest reply */

#endif /* PP_TFTPD_CTL_H */
