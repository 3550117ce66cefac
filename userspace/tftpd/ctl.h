/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's control socket: an abstract AF_UNIX SOCK_SEQPACKET socket,
 * so there is one per network namespace (one proxy per namespace, like
 * the module's state). One request a connection, one reply:
 *
 *	"stats"		"name value" lines: the counters, then the gauges
 *	"reload"	re-read $PP_STATE_DIR/loglevel; replies "ok"
 *
 * Anyone in the namespace may ask (like the module's reads); nothing it
 * accepts changes state that is not already written by root in files.
 */
#ifndef PP_TFTPD_CTL_H
#define PP_TFTPD_CTL_H

#define TFTPD_CTL_NAME	"phoneproxy/tftpd"	/* after the leading NUL */
#define TFTPD_CTL_MAX	8192			/* largest reply */

#endif /* PP_TFTPD_CTL_H */
