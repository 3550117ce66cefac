// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the allow-list matcher (lib/allowlist.h) that
 * pp-httpd's proxy and pp-tftpd share. The input is "pattern\nurl": the
 * pattern goes through the allow-list normalization, the URL through the
 * matcher's canonicalisation. For an accepted URL:
 *  - its canonical form, parsed again, is accepted and is identical
 *    (what the proxy sends on is what it checked), and any pattern
 *    gives the same verdict on both;
 *  - its path holds no dot segment, no "//", no ';', no encoded '/',
 *    '\', '.' or '%', and the host holds no '/', '?', '@' or ':';
 *  - it matches "http://*:*" + "/*".
 *	make fuzz CC=clang && ../build/userspace/tests/fuzz_whitelist
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist.h"
#include "httpconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool dot_segment(const char *path)
{
	const char *p = path;

	while ((p = strchr(p, '/'))) {
		p++;
		if ((p[0] == '.' && (p[1] == '/' || !p[1])) ||
		    (p[0] == '.' && p[1] == '.' && (p[2] == '/' || !p[2])))
			return true;
	}
	return false;
}

static bool encoded(const char *path)
{
	return strcasestr(path, "%2e") || strcasestr(path, "%2f") ||
	       strcasestr(path, "%5c") || strcasestr(path, "%25") ||
	       strcasestr(path, "%3b") || strcasestr(path, "%00");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pp_allow_url u, v;
	char *buf = malloc(size + 1), *nl, norm[PP_URL_MAX], err[PP_URL_MAX + 256];
	const char *star = "http://*:*/*";

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	nl = strchr(buf, '\n');
	if (nl && strlen(nl + 1) == size - (size_t)(nl - buf) - 1) {
		*nl = '\0';
		if (pp_allow_url_parse(nl + 1, &u, err, sizeof(err)) == 0) {
			if (pp_allow_url_parse(u.norm, &v, err, sizeof(err)) ||
			    strcmp(u.norm, v.norm) || strcmp(u.target, v.target) ||
			    strcmp(u.host, v.host) || u.port != v.port)
				__builtin_trap();
			if (u.path[0] != '/' || dot_segment(u.path) || strstr(u.path, "//") ||
			    strchr(u.path, ';') || strchr(u.path, '\\') || encoded(u.path) ||
			    strpbrk(u.host, "/?@:#") || strncmp(u.norm, "http://", 7) ||
			    !pp_allow_match(star, &u))
				__builtin_trap();
			if (pp_allow_pattern_normalize(buf, norm, err, sizeof(err)) == 0 &&
			    pp_allow_match(norm, &u) != pp_allow_match(norm, &v))
				__builtin_trap();
		}
	}
	free(buf);
	return 0;
}
