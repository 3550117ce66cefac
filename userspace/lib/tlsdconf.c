// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tlsd's settings file (tlsdconf.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "log.h"
#include "settings.h"
#include "tlsdconf.h"

void pp_tlsdconf_init(struct pp_tlsdconf *c)
{
	memset(c, 0, sizeof(*c));
	pp_settings_defaults(PP_HOLD_TLSD, c);
}

int pp_tlsdconf_parse(const char *text, size_t len, const char *name,
		      struct pp_tlsdconf *c, char *err, size_t errlen)
{
	pp_tlsdconf_init(c);
	if (!pp_settings_parse(text, len, name, PP_HOLD_TLSD, c, err, errlen))
		return 0;
	pp_tlsdconf_init(c);
	return -1;
}

int pp_tlsdconf_load(const char *path, bool missing_ok, struct pp_tlsdconf *c,
		     char *err, size_t errlen)
{
	size_t len;
	char *text;
	int rc;

	pp_tlsdconf_init(c);
	rc = pp_file_read_conf(path, PP_TLSDCONF_MAX, missing_ok, &text, &len,
			       err, errlen);
	if (rc)
		return rc > 0 ? 0 : -1;
	rc = pp_tlsdconf_parse(text, len, path, c, err, errlen);
	free(text);
	return rc;
}
