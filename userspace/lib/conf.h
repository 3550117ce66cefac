/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Where phoneproxy keeps its files. The guide's "startup configuration"
 * (replayed at boot, written by "save config") lives in the configuration
 * directory; the last published users.xml in the state directory. Both
 * can be moved with environment variables so tests run unprivileged in a
 * scratch directory.
 */
#ifndef PP_CONF_H
#define PP_CONF_H

#include <stddef.h>

#define PP_CONF_DIR_DEFAULT	"/etc/phoneproxy"
#define PP_STATE_DIR_DEFAULT	"/var/lib/phoneproxy"
#define PP_CONF_DIR_ENV		"PP_CONF_DIR"
#define PP_STATE_DIR_ENV	"PP_STATE_DIR"
#define PP_STARTUP_FILE		"startup.conf"
#define PP_USERS_FILE		"users.xml"

/* $PP_CONF_DIR if set and not empty, else PP_CONF_DIR_DEFAULT. */
const char *pp_conf_dir(void);
/* $PP_STATE_DIR if set and not empty, else PP_STATE_DIR_DEFAULT. */
const char *pp_state_dir(void);

/*
 * The startup configuration file and the published users file. Return 0,
 * or -1 (errno ENAMETOOLONG) when the path does not fit in buf.
 */
int pp_conf_startup_path(char *buf, size_t len);
int pp_conf_users_path(char *buf, size_t len);

#endif /* PP_CONF_H */
