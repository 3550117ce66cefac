/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Strict parsers for the values phoneproxy takes from people: decimal
 * numbers (no sign, no spaces, no trailing junk, range checked), dotted
 * quad IPv4 addresses, Cisco phone SIDs.
 */
#ifndef PP_PARSE_H
#define PP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pp_rules.h"

/* Decimal digits only, value in [min, max]. Returns 0 or -1. */
int pp_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* Dotted quad "a.b.c.d"; *be is in network byte order. Returns 0 or -1. */
int pp_parse_ipv4(const char *s, uint32_t *be);

/* A unicast address a phone may have: not 0/8, 127/8, 224/4 or 240/4. */
bool pp_ipv4_is_phone(uint32_t be);

/* Dotted quad of a network-order address; buf must hold 16 bytes. */
const char *pp_ipv4_str(uint32_t be, char *buf);
#define PP_IPV4_STRLEN 16
/* pp_ipv4_str() in one of 4 rotating static buffers: up to 4 in one log
 * line (the daemons' messages). */
const char *pp_ip(uint32_t be);

/* "SEP" + 12 hex digits, either case: pp_sid_normalize() (pp_rules.h). */
bool pp_sid_valid(const char *s);

/* A name for a user or CallManager: 1..PP_NAME_MAX-1 bytes, no control
 * characters, no leading or trailing white space. */
bool pp_name_valid(const char *s);

/* Seconds as the guide shows durations: "12s", "2m 40s", "1h 3m 5s",
 * "2d 4h 1m". */
const char *pp_duration_str(uint64_t secs, char *buf, size_t len);

#endif /* PP_PARSE_H */
