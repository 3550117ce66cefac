/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's settings: /etc/phoneproxy/tftpd.conf ($PP_CONF_DIR), ppctl
 * commands ("set phoneproxy tftp ...", declared in lib/settings.c) one a
 * line, # comments. Everything the kernel knows (north and
 * south addresses, ports, activation mode, HTTP proxy on/off) is read
 * from the module instead, per request. docs/tftp.md lists the settings.
 */
#ifndef PP_TFTPDCONF_H
#define PP_TFTPDCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TFTPD_CONF_FILE		"tftpd.conf"

#include "settings.h"	/* struct tftpd_conf */

void tftpd_conf_defaults(struct tftpd_conf *c);

/*
 * Apply the text of a configuration file (name only for messages).
 * Returns 0, or -1 with err = "name:line: reason"; c is then unchanged.
 */
int tftpd_conf_parse(struct tftpd_conf *c, const char *text, const char *name,
		     char *err, size_t errlen);

/*
 * text (len bytes, read from path) in the old "key value" format of
 * pp-tftpd's settings (before they were ppctl commands): converted once,
 * path rewritten as the commands (atomically, the old file kept as
 * path.old, a notice in the log) and *text, *len replaced by them. Not
 * in the old format: 0, nothing done. A key it cannot convert or a value
 * out of range: -1 with err = "path:line: reason", nothing written.
 */
int tftpd_conf_upgrade(const char *path, char **text, size_t *len, char *err, size_t errlen);

/* Read and apply a file (upgraded first if in the old format); a missing
 * file is not an error when optional. */
int tftpd_conf_load(struct tftpd_conf *c, const char *path, bool optional,
		    char *err, size_t errlen);

/* The guide's loglevel of PP_LOG_*: "min", "brief" or "full" (the words
 * of the setting). */
const char *tftpd_loglevel_name(int level);

#endif /* PP_TFTPDCONF_H */
