// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the HTTP proxy's URL check and the allow-list match.
 * The input is "pattern\nurl": the pattern goes through the allow-list
 * normalization, the URL through the proxy's parser; an accepted URL's
 * path must hold no dot segment, and the URL must match the pattern "*".
 *	make fuzz CC=clang && tests/fuzz_whitelist
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "httpconf.h"
#include "whitelist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *nl, norm[PP_URL_MAX], err[PP_URL_MAX + 256];
	char *star[] = { "*" }, *pat[1];
	struct pp_proxy_url u;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	nl = strchr(buf, '\n');
	if (nl && (size_t)(nl - buf) < size) {
		*nl = '\0';
		if (strlen(nl + 1) == size - (size_t)(nl - buf) - 1 &&
		    pp_proxy_url_parse(nl + 1, &u, err, sizeof(err)) == 0) {
			size_t t = strcspn(u.target, "?");

			if (memmem(u.target, t, "/../", 4) || memmem(u.target, t, "/./", 3) ||
			    (t >= 3 && !memcmp(u.target + t - 3, "/..", 3)) ||
			    (t >= 2 && !memcmp(u.target + t - 2, "/.", 2)) ||
			    strncmp(u.norm, "http://", 7) || u.target[0] != '/' ||
			    !pp_whitelist_match(star, 1, &u))
				__builtin_trap();
			if (pp_allow_pattern_normalize(buf, norm, err, sizeof(err)) == 0) {
				pat[0] = norm;
				(void)pp_whitelist_match(pat, 1, &u);
			}
		}
	}
	free(buf);
	return 0;
}
