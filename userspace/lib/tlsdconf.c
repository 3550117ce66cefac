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
#include "grammar.h"
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
	const char *p = text, *end = text + len;
	struct ppctl_error perr;
	struct ppctl_cmd cmd;
	long lineno = 0;

	pp_tlsdconf_init(c);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t llen = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[sizeof(c->cafile) + 128], *w[PPCTL_MAX_WORDS];
		int n;

		lineno++;
		if (llen >= sizeof(line) || memchr(p, '\0', llen)) {
			pp_errf(err, errlen, "%s:%ld: line too long or not text", name, lineno);
			return -1;
		}
		memcpy(line, p, llen);
		line[llen] = '\0';
		p += llen + (nl ? 1 : 0);
		n = ppctl_split(line, w, PPCTL_MAX_WORDS, &perr);
		if (n > 0 && ppctl_parse(pp_settings_table(PP_HOLD_TLSD), n, w, &cmd,
					 &perr) != PPCTL_PARSE_OK)
			n = -1;
		if (n > 0 && pp_setting_apply(&cmd, NULL, c, perr.msg, sizeof(perr.msg)))
			n = -1;
		if (n < 0) {
			pp_errf(err, errlen, "%s:%ld: %s", name, lineno, perr.msg);
			pp_tlsdconf_init(c);
			return -1;
		}
	}
	return 0;
}

int pp_tlsdconf_load(const char *path, bool missing_ok, struct pp_tlsdconf *c,
		     char *err, size_t errlen)
{
	size_t len;
	char *text;
	int rc;

	pp_tlsdconf_init(c);
	rc = pp_file_read(path, PP_TLSDCONF_MAX, &text, &len);
	if (rc == -ENOENT && missing_ok)
		return 0;
	if (rc) {
		pp_errf(err, errlen, "%s: %s", path,
			rc == -EFBIG ? "file too large" : strerror(-rc));
		return -1;
	}
	rc = pp_tlsdconf_parse(text, len, path, c, err, errlen);
	free(text);
	return rc;
}
