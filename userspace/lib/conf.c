// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Paths of the startup configuration and the published users file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf.h"

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

const char *pp_conf_dir(void)
{
	return env_or(PP_CONF_DIR_ENV, PP_CONF_DIR_DEFAULT);
}

const char *pp_state_dir(void)
{
	return env_or(PP_STATE_DIR_ENV, PP_STATE_DIR_DEFAULT);
}

static int join(char *buf, size_t len, const char *dir, const char *file)
{
	int n = snprintf(buf, len, "%s/%s", dir, file);

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int pp_conf_startup_path(char *buf, size_t len)
{
	return join(buf, len, pp_conf_dir(), PP_STARTUP_FILE);
}

int pp_conf_users_path(char *buf, size_t len)
{
	return join(buf, len, pp_state_dir(), PP_USERS_FILE);
}
