// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Strict value parsers.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/phoneproxy.h>

#include "parse.h"

int pp_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		unsigned d;

		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int pp_parse_ipv4(const char *s, uint32_t *be)
{
	struct in_addr a;

	/* inet_pton takes exactly four decimal parts, no leading zeros. */
	if (!s || inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*be = a.s_addr;
	return 0;
}

bool pp_ipv4_is_phone(uint32_t be)
{
	uint32_t h = ntohl(be);
	uint32_t top = h >> 24;

	return top != 0 && top != 127 && top < 224;
}

const char *pp_ipv4_str(uint32_t be, char *buf)
{
	struct in_addr a = { .s_addr = be };

	if (!inet_ntop(AF_INET, &a, buf, PP_IPV4_STRLEN))
		strcpy(buf, "?");
	return buf;
}

bool pp_sid_valid(const char *s)
{
	char buf[PP_SID_LEN + 1];

	return s && pp_sid_normalize(buf, s);
}

bool pp_name_valid(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	size_t i;

	if (len == 0 || len >= PP_NAME_MAX)
		return false;
	if (isspace((unsigned char)s[0]) || isspace((unsigned char)s[len - 1]))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

const char *pp_duration_str(uint64_t secs, char *buf, size_t len)
{
	uint64_t d = secs / 86400, h = secs / 3600 % 24;
	uint64_t m = secs / 60 % 60, s = secs % 60;

	if (d)
		snprintf(buf, len, "%" PRIu64 "d %" PRIu64 "h %" PRIu64 "m",
			 d, h, m);
	else if (h)
		snprintf(buf, len, "%" PRIu64 "h %" PRIu64 "m %" PRIu64 "s",
			 h, m, s);
	else if (m)
		snprintf(buf, len, "%" PRIu64 "m %" PRIu64 "s", m, s);
	else
		snprintf(buf, len, "%" PRIu64 "s", s);
	return buf;
}

const char *pp_ip(uint32_t be)
{
	static char buf[4][PP_IPV4_STRLEN];
	static unsigned int i;

	return pp_ipv4_str(be, buf[i++ & 3]);
}
