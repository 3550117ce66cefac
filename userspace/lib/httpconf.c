// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-httpd's settings file ($PP_CONF_DIR/httpd.conf): ppctl commands, one
 * a line.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "file.h"
#include "grammar.h"
#include "httpconf.h"
#include "parse.h"
#include "settings.h"
#include "log.h"

void pp_httpconf_init(struct pp_httpconf *c)
{
	memset(c, 0, sizeof(*c));
	pp_settings_defaults(PP_HOLD_HTTPD, c);
}

void pp_httpconf_free(struct pp_httpconf *c)
{
	size_t i;

	for (i = 0; i < c->nallow; i++)
		free(c->allow[i]);
	pp_httpconf_init(c);
}

int pp_httpconf_path(char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", pp_conf_dir(), PP_HTTPCONF_FILE);

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int pp_allow_pattern_normalize(const char *pattern, char *out, char *err,
			       size_t errlen)
{
	static const char scheme[] = "http://";
	size_t len = strlen(pattern), alen, i;
	const char *auth, *slash;
	char host[PP_URL_MAX];

	if (len == 0) {
		pp_errf(err, errlen, "the URL pattern is empty");
		return -1;
	}
	if (len >= PP_URL_MAX - 1) {
		pp_errf(err, errlen, "URL pattern \"%.40s...\" is longer than %d bytes",
			pattern, PP_URL_MAX - 2);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)pattern[i];

		if (ch <= 0x20 || ch >= 0x7f || ch == '\\' || ch == '#' ||
		    ch == '"' || ch == '<' || ch == '>') {
			pp_errf(err, errlen,
				"URL pattern \"%s\" has a character a URL cannot hold at position %zu",
				pattern, i + 1);
			return -1;
		}
	}
	if (strncasecmp(pattern, scheme, strlen(scheme))) {
		pp_errf(err, errlen,
			"URL pattern \"%s\" does not start with \"http://\" (the phones' proxy serves plain HTTP)",
			pattern);
		return -1;
	}
	auth = pattern + strlen(scheme);
	slash = strchr(auth, '/');
	alen = slash ? (size_t)(slash - auth) : strlen(auth);
	if (alen == 0) {
		pp_errf(err, errlen, "URL pattern \"%s\" names no host", pattern);
		return -1;
	}
	if (memchr(auth, '@', alen)) {
		pp_errf(err, errlen,
			"URL pattern \"%s\" has a user name (\"@\"); give the host only", pattern);
		return -1;
	}
	for (i = 0; i < alen; i++)
		host[i] = (char)tolower((unsigned char)auth[i]);
	host[alen] = '\0';
	if (alen > 3 && !strcmp(host + alen - 3, ":80"))
		host[alen - 3] = '\0';
	/* No longer than the pattern (only ":80" may go) or one "/" more. */
	strcpy(out, "http://");
	strcat(out, host);
	strcat(out, slash ? slash : "/");
	return 0;
}

static int allow_find(const struct pp_httpconf *c, const char *norm)
{
	size_t i;

	for (i = 0; i < c->nallow; i++)
		if (!strcmp(c->allow[i], norm))
			return (int)i;
	return -1;
}

int pp_httpconf_allow_add(struct pp_httpconf *c, const char *pattern,
			  char *err, size_t errlen)
{
	char norm[PP_URL_MAX];

	if (pp_allow_pattern_normalize(pattern, norm, err, errlen))
		return -EINVAL;
	if (allow_find(c, norm) >= 0)
		return 0;
	if (c->nallow == PP_ALLOW_MAX) {
		pp_errf(err, errlen, "the allow list is full (%d URL patterns)", PP_ALLOW_MAX);
		return -ENOSPC;
	}
	c->allow[c->nallow] = strdup(norm);
	if (!c->allow[c->nallow]) {
		pp_errf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->nallow++;
	return 0;
}

int pp_httpconf_allow_remove(struct pp_httpconf *c, const char *pattern,
			     char *err, size_t errlen)
{
	char norm[PP_URL_MAX];
	int i;

	if (pp_allow_pattern_normalize(pattern, norm, err, errlen))
		return -EINVAL;
	i = allow_find(c, norm);
	if (i < 0) {
		pp_errf(err, errlen, "\"%s\" is not in the httpproxy allow list", norm);
		return -ENOENT;
	}
	free(c->allow[i]);
	memmove(&c->allow[i], &c->allow[i + 1],
		(c->nallow - (size_t)i - 1) * sizeof(c->allow[0]));
	c->nallow--;
	return 0;
}

void pp_httpconf_limits(const struct pp_httpconf *c, unsigned int *max_conns,
			unsigned int *per_addr, unsigned int *header_timeout,
			unsigned int *body_timeout)
{
	*max_conns = c->max_conns;
	*per_addr = c->max_conns_per_addr;
	*header_timeout = c->header_timeout;
	*body_timeout = c->body_timeout;
}

/* The lines are ppctl's commands over the settings pp-httpd holds. */
int pp_httpconf_parse(const char *text, size_t len, const char *name,
		      struct pp_httpconf *c, char *err, size_t errlen)
{
	pp_httpconf_init(c);
	if (!pp_settings_parse(text, len, name, PP_HOLD_HTTPD, c, err, errlen))
		return 0;
	pp_httpconf_free(c);
	return -1;
}

int pp_httpconf_load(const char *path, struct pp_httpconf *c, char *err,
		     size_t errlen)
{
	size_t len;
	char *text;
	int rc;

	pp_httpconf_init(c);
	rc = pp_file_read_conf(path, PP_HTTPCONF_MAX, 1, &text, &len,
			       err, errlen);
	if (rc)
		return rc > 0 ? 0 : -1;
	rc = pp_httpconf_parse(text, len, path, c, err, errlen);
	free(text);
	return rc;
}

void pp_httpconf_print(FILE *f, const struct pp_httpconf *c)
{
	pp_settings_print(f, PP_HOLD_HTTPD, c);
}

int pp_httpconf_save(const char *path, const struct pp_httpconf *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int rc;

	if (!mem)
		return -ENOMEM;
	fputs("# pp-httpd settings: written by ppctl, read by pp-httpd\n", mem);
	pp_httpconf_print(mem, c);
	if (fclose(mem)) {
		free(text);
		return -ENOMEM;
	}
	rc = pp_file_write_atomic(path, text, len, 0644);
	free(text);
	return rc;
}
