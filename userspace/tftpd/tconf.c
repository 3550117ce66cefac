// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's configuration file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "log.h"
#include "settings.h"
#include "tconf.h"

#define CONF_FILE_MAX	(64u << 10)

void tftpd_conf_defaults(struct tftpd_conf *c)
{
	memset(c, 0, sizeof(*c));
	pp_settings_defaults(PP_HOLD_TFTPD, c);
}

int tftpd_loglevel_parse(const char *s)
{
	if (!strcmp(s, "min"))
		return PP_LOG_NOTICE;
	if (!strcmp(s, "brief"))
		return PP_LOG_INFO;
	if (!strcmp(s, "full"))
		return PP_LOG_DEBUG;
	return -1;
}

const char *tftpd_loglevel_name(int level)
{
	if (level <= PP_LOG_NOTICE)
		return "min";
	if (level == PP_LOG_INFO)
		return "brief";
	return "full";
}

/* The lines are ppctl's commands over the settings pp-tftpd holds. */
int tftpd_conf_parse(struct tftpd_conf *out, const char *text, const char *name,
		     char *err, size_t errlen)
{
	struct tftpd_conf c = *out;

	if (pp_settings_parse(text, strlen(text), name, PP_HOLD_TFTPD, &c, err, errlen) ||
	    pp_settings_check(PP_HOLD_TFTPD, &c, name, err, errlen))
		return -1;
	*out = c;
	return 0;
}

int tftpd_conf_load(struct tftpd_conf *c, const char *path, bool optional,
		    char *err, size_t errlen)
{
	char *text;
	size_t len;
	int rc;

	rc = pp_file_read(path, CONF_FILE_MAX, &text, &len);
	if (rc == -ENOENT && optional)
		return 0;
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return -1;
	}
	if (strlen(text) != len) {
		free(text);
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		return -1;
	}
	rc = tftpd_conf_parse(c, text, path, err, errlen);
	free(text);
	return rc;
}
