// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's configuration file (tftpdconf.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "grammar.h"
#include "log.h"
#include "settings.h"
#include "tftpdconf.h"

#define CONF_FILE_MAX	(64u << 10)

void tftpd_conf_defaults(struct tftpd_conf *c)
{
	memset(c, 0, sizeof(*c));
	pp_settings_defaults(PP_HOLD_TFTPD, c);
}

/* The word of "set phoneproxy loglevel {min|brief|full}" for level. */
const char *tftpd_loglevel_name(int level)
{
	static char names[3][8];
	const struct pp_setting *s = &pp_settings[PP_S_TFTP_LOGLEVEL];
	const char *w = strchr(s->words, '{') + 1;
	int i;

	for (i = 0; i < 2 && level > s->values[i]; i++)
		w = strchr(w, '|') + 1;
	snprintf(names[i], sizeof(names[i]), "%.*s", (int)strcspn(w, "|}"), w);
	return names[i];
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

/* The keys of the old "key value" format and the settings they were. */
static const struct { const char *key; enum pp_setting_id id; } old_keys[] = {
	{ "loglevel", PP_S_TFTP_LOGLEVEL }, { "cache-ttl", PP_S_TFTP_CACHE_TTL },
	{ "cache-max-bytes", PP_S_TFTP_CACHE_SIZE }, { "max-file-size", PP_S_TFTP_MAX_FILE },
	{ "max-config-size", PP_S_TFTP_MAX_CONFIG },
	{ "upstream-timeout", PP_S_TFTP_UP_TIMEOUT }, { "upstream-blksize", PP_S_TFTP_UP_BLKSIZE },
	{ "retransmit", PP_S_TFTP_RETRANSMIT }, { "retransmit-max", PP_S_TFTP_RETRANSMIT_MAX },
	{ "retries", PP_S_TFTP_RETRIES }, { "max-blksize", PP_S_TFTP_MAX_BLKSIZE },
	{ "rate", PP_S_TFTP_RATE }, { "burst", PP_S_TFTP_BURST },
	{ "max-transfers", PP_S_TFTP_MAX_TRANSFERS },
	{ "max-transfers-per-address", PP_S_TFTP_PER_ADDR },
	{ "transfer-lifetime", PP_S_TFTP_LIFETIME }, { "max-timeout", PP_S_TFTP_MAX_TIMEOUT },
};

/* The setting the old key (key, len) was, or NULL. */
static const struct pp_setting *old_key(const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(old_keys) / sizeof(old_keys[0]); i++)
		if (strlen(old_keys[i].key) == len && !strncmp(old_keys[i].key, key, len))
			return &pp_settings[old_keys[i].id];
	return NULL;
}

/*
 * text in the old format ("key value", # comments; its values are the
 * same as the commands'): the commands, line for line, in *out. Returns
 * 0, 1 when text is not in the old format (no line starts with an old
 * key, or one with "set"), or -1 with err "name:line: reason".
 */
static int convert_old(const char *text, const char *name, char **out, char *err, size_t errlen)
{
	const char *p = text;
	size_t outlen = 0;
	bool old = false;
	long line = 0;
	int pass;
	FILE *f;

	for (pass = 0; pass < 2; pass++) {
		f = pass ? open_memstream(out, &outlen) : NULL;
		if (pass && !f)
			return pp_errf(err, errlen, "%s: out of memory", name);
		for (p = text, line = 1; *p; line++) {
			size_t n = strcspn(p, "\n"), klen, vlen;
			const char *hash = memchr(p, '#', n), *key, *val;
			const char *end = hash ? hash : p + n;
			const struct pp_setting *s;

			key = p + strspn(p, " \t\r");
			klen = strcspn(key, " \t\r#\n");
			val = key + klen + strspn(key + klen, " \t\r");
			vlen = val < end ? strcspn(val, " \t\r#\n") : 0;
			s = old_key(key, klen);
			if (!pass) {
				if (klen == 3 && !strncmp(key, "set", 3))
					return 1;
				old |= s != NULL;
			} else if (!klen) {
				fprintf(f, "%.*s\n", (int)n, p);
			} else if (!s || !vlen || val + vlen + strspn(val + vlen, " \t\r") < end) {
				fclose(f);
				free(*out);
				return pp_errf(err, errlen, !s ?
					       "%s:%ld: \"%.*s\" is not a key of the old format; nothing converted" :
					       "%s:%ld: \"%.*s\" needs one value; nothing converted",
					       name, line, (int)klen, key);
			} else {
				/* The command's words without its value's. */
				fprintf(f, "%.*s %.*s%s%.*s\n", (int)(strrchr(s->words, ' ') - s->words),
					s->words, (int)vlen, val, hash ? " " : "",
					hash ? (int)(p + n - hash) : 0, hash ? hash : "");
			}
			p += n + (p[n] == '\n');
		}
		if (!old)
			return 1;
	}
	return fclose(f) ? pp_errf(err, errlen, "%s: out of memory", name) : 0;
}

int tftpd_conf_upgrade(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	char old_path[4096], *conv;
	struct tftpd_conf c;
	int rc;

	rc = convert_old(*text, path, &conv, err, errlen);
	if (rc)
		return rc > 0 ? 0 : -1;
	tftpd_conf_defaults(&c);
	if (tftpd_conf_parse(&c, conv, path, err, errlen)) {
		free(conv);
		return -1;
	}
	/* The old file first: a crash between the two writes keeps it. */
	snprintf(old_path, sizeof(old_path), "%s.old", path);
	rc = pp_file_write_atomic(old_path, *text, *len, 0644);
	if (!rc)
		rc = pp_file_write_atomic(path, conv, strlen(conv), 0644);
	if (rc)
		pp_warn("%s: in the old \"key value\" format; read as ppctl commands, but not saved (%s): run ppctl set phoneproxy tftp ... to save it",
			path, strerror(-rc));
	else
		pp_notice("%s: converted from the old \"key value\" format to ppctl commands; the old file is %s",
			  path, old_path);
	free(*text);
	*text = conv;
	*len = strlen(conv);
	return 0;
}

int tftpd_conf_load(struct tftpd_conf *c, const char *path, bool optional,
		    char *err, size_t errlen)
{
	char *text;
	size_t len;
	int rc;

	rc = pp_file_read_conf(path, CONF_FILE_MAX, optional, &text, &len,
			       err, errlen);
	if (rc)
		return rc > 0 ? 0 : -1;
	if (strlen(text) != len) {
		free(text);
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		return -1;
	}
	rc = tftpd_conf_upgrade(path, &text, &len, err, errlen) ||
	     tftpd_conf_parse(c, text, path, err, errlen) ? -1 : 0;
	free(text);
	return rc;
}
