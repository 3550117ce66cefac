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
#include "parse.h"
#include "tconf.h"
#include "tftp.h"

#define CONF_FILE_MAX	(64u << 10)

void tftpd_conf_defaults(struct tftpd_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->loglevel = PP_LOG_INFO;
	c->cache_ttl_ms = 5000;
	c->cache_max_bytes = 64ull << 20;
	c->max_file_size = 32ull << 20;
	c->max_config_size = 1ull << 20;
	c->upstream_timeout_ms = 3000;
	c->upstream_blksize = 1428;
	c->retransmit_ms = 1000;
	c->retransmit_max_ms = 4000;
	c->retries = 5;
	c->max_blksize = 1468;
	c->rate = 20;
	c->burst = 40;
	c->max_transfers = 4096;
	c->max_transfers_per_address = 16;
	c->transfer_lifetime_ms = 900 * 1000;
	c->max_timeout = 5;
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

enum kind { K_MS, K_SECONDS_MS, K_BYTES, K_UINT, K_LOGLEVEL };

struct key {
	const char *name;
	enum kind kind;
	size_t off;
	uint64_t min, max;
};

#define U(f)	offsetof(struct tftpd_conf, f)

static const struct key keys[] = {
	{ "loglevel", K_LOGLEVEL, U(loglevel), 0, 0 },
	{ "cache-ttl", K_SECONDS_MS, U(cache_ttl_ms), 0, 3600 },
	{ "cache-max-bytes", K_BYTES, U(cache_max_bytes), 0, 1ull << 34 },
	{ "max-file-size", K_BYTES, U(max_file_size), 1, 1ull << 32 },
	{ "max-config-size", K_BYTES, U(max_config_size), 1024, 64ull << 20 },
	{ "upstream-timeout", K_SECONDS_MS, U(upstream_timeout_ms), 1, 60 },
	{ "upstream-blksize", K_UINT, U(upstream_blksize), TFTP_BLKSIZE_DEFAULT,
	  TFTP_BLKSIZE_MAX },
	{ "retransmit", K_MS, U(retransmit_ms), 10, 60000 },
	{ "retransmit-max", K_MS, U(retransmit_max_ms), 10, 60000 },
	{ "retries", K_UINT, U(retries), 1, 50 },
	{ "max-blksize", K_UINT, U(max_blksize), TFTP_BLKSIZE_DEFAULT,
	  TFTP_BLKSIZE_MAX },
	{ "rate", K_UINT, U(rate), 1, 1000000 },
	{ "burst", K_UINT, U(burst), 1, 1000000 },
	{ "max-transfers", K_UINT, U(max_transfers), 1, 1000000 },
	{ "max-transfers-per-address", K_UINT, U(max_transfers_per_address), 1, 1000000 },
	{ "transfer-lifetime", K_SECONDS_MS, U(transfer_lifetime_ms), 1, 86400 },
	{ "max-timeout", K_UINT, U(max_timeout), 1, 255 },
};

/* "123", "64k", "32M", "1G" (powers of 1024). */
static int parse_bytes(const char *v, uint64_t *out)
{
	char num[32];
	size_t n = strlen(v);
	unsigned int shift = 0;
	uint64_t x;

	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, v, n + 1);
	switch (num[n - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	default: break;
	}
	if (shift)
		num[n - 1] = '\0';
	if (pp_parse_uint(num, 0, UINT64_MAX >> shift, &x))
		return -1;
	*out = x << shift;
	return 0;
}

/* "1500ms", "2s", "2" (seconds). */
static int parse_ms(const char *v, bool seconds_default, uint64_t *out)
{
	char num[32];
	size_t n = strlen(v);
	uint64_t x, mul = seconds_default ? 1000 : 1;

	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, v, n + 1);
	if (n > 2 && !strcmp(num + n - 2, "ms")) {
		num[n - 2] = '\0';
		mul = 1;
	} else if (num[n - 1] == 's') {
		num[n - 1] = '\0';
		mul = 1000;
	}
	if (pp_parse_uint(num, 0, UINT32_MAX / 1000, &x))
		return -1;
	*out = x * mul;
	return 0;
}

static int set_key(struct tftpd_conf *c, const struct key *k, const char *v,
		   char *why, size_t whylen)
{
	char *base = (char *)c + k->off;
	uint64_t x;
	int lvl;

	switch (k->kind) {
	case K_LOGLEVEL:
		lvl = tftpd_loglevel_parse(v);
		if (lvl < 0) {
			snprintf(why, whylen, "loglevel \"%s\" is not min, brief or full", v);
			return -1;
		}
		*(int *)(void *)base = lvl;
		return 0;
	case K_BYTES:
		if (parse_bytes(v, &x) || x < k->min || x > k->max) {
			snprintf(why, whylen,
				 "%s \"%s\" is not a size in bytes (%llu..%llu; k, M, G suffixes)",
				 k->name, v, (unsigned long long)k->min,
				 (unsigned long long)k->max);
			return -1;
		}
		*(uint64_t *)(void *)base = x;
		return 0;
	case K_MS:
	case K_SECONDS_MS:
		if (parse_ms(v, k->kind == K_SECONDS_MS, &x) ||
		    x < (k->kind == K_MS ? k->min : k->min * 1000) ||
		    x > (k->kind == K_MS ? k->max : k->max * 1000)) {
			if (k->kind == K_MS)
				snprintf(why, whylen,
					 "%s \"%s\" is not a duration of %llu..%llu ms (\"500ms\", \"2s\")",
					 k->name, v, (unsigned long long)k->min,
					 (unsigned long long)k->max);
			else
				snprintf(why, whylen,
					 "%s \"%s\" is not a duration of %llu..%llu s (\"3\", \"3s\", \"1500ms\")",
					 k->name, v, (unsigned long long)k->min,
					 (unsigned long long)k->max);
			return -1;
		}
		*(unsigned int *)(void *)base = (unsigned int)x;
		return 0;
	case K_UINT:
		if (pp_parse_uint(v, k->min, k->max, &x)) {
			snprintf(why, whylen, "%s \"%s\" is not a number in %llu..%llu",
				 k->name, v, (unsigned long long)k->min,
				 (unsigned long long)k->max);
			return -1;
		}
		*(unsigned int *)(void *)base = (unsigned int)x;
		return 0;
	}
	return -1;
}

int tftpd_conf_parse(struct tftpd_conf *out, const char *text, const char *name,
		     char *err, size_t errlen)
{
	struct tftpd_conf c = *out;
	const char *p = text;
	long line = 0;

	while (*p) {
		char buf[512], why[256], *key, *val, *end, *q;
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t i;

		line++;
		if (n >= sizeof(buf)) {
			snprintf(err, errlen, "%s:%ld: line too long", name, line);
			return -1;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		p += n + (nl ? 1 : 0);
		q = strchr(buf, '#');
		if (q)
			*q = '\0';
		key = buf + strspn(buf, " \t\r");
		end = key + strlen(key);
		while (end > key && strchr(" \t\r", end[-1]))
			*--end = '\0';
		if (!*key)
			continue;
		val = key + strcspn(key, " \t");
		if (!*val) {
			snprintf(err, errlen, "%s:%ld: \"%s\" has no value", name, line, key);
			return -1;
		}
		*val++ = '\0';
		val += strspn(val, " \t");
		if (strpbrk(val, " \t")) {
			snprintf(err, errlen, "%s:%ld: %s: one value expected, got \"%s\"",
				 name, line, key, val);
			return -1;
		}
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(keys[i].name, key))
				break;
		if (i == sizeof(keys) / sizeof(keys[0])) {
			snprintf(err, errlen, "%s:%ld: unknown key \"%s\"", name, line, key);
			return -1;
		}
		if (set_key(&c, &keys[i], val, why, sizeof(why))) {
			snprintf(err, errlen, "%s:%ld: %s", name, line, why);
			return -1;
		}
	}
	if (c.retransmit_max_ms < c.retransmit_ms) {
		snprintf(err, errlen, "%s: retransmit-max (%u ms) is below retransmit (%u ms)",
			 name, c.retransmit_max_ms, c.retransmit_ms);
		return -1;
	}
	if (c.burst < 1) {
		snprintf(err, errlen, "%s: burst must be at least 1", name);
		return -1;
	}
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
