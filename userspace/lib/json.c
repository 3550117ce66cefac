// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Streaming JSON writer.
 */
#include <inttypes.h>

#include "json.h"

void pp_json_init(struct pp_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->need_comma[0] = false;
	j->after_key = false;
}

/* Before any value: a comma unless first in its container or after a key. */
static void value_prefix(struct pp_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
}

static void open_container(struct pp_json *j, char c)
{
	value_prefix(j);
	fputc(c, j->f);
	if (j->depth < PP_JSON_DEPTH - 1)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_container(struct pp_json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
}

void pp_json_obj_begin(struct pp_json *j)
{
	open_container(j, '{');
}

void pp_json_obj_end(struct pp_json *j)
{
	close_container(j, '}');
}

void pp_json_arr_begin(struct pp_json *j)
{
	open_container(j, '[');
}

void pp_json_arr_end(struct pp_json *j)
{
	close_container(j, ']');
}

/* Length of the valid UTF-8 sequence at s, or 0 when invalid. */
static int utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	int n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void pp_json_write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");

	fputc('"', f);
	while (*s) {
		int n;

		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (n == 0) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, (size_t)n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

void pp_json_key(struct pp_json *j, const char *key)
{
	value_prefix(j);
	pp_json_write_string(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

void pp_json_str(struct pp_json *j, const char *s)
{
	value_prefix(j);
	pp_json_write_string(j->f, s);
}

void pp_json_u64(struct pp_json *j, uint64_t v)
{
	value_prefix(j);
	fprintf(j->f, "%" PRIu64, v);
}

void pp_json_bool(struct pp_json *j, bool v)
{
	value_prefix(j);
	fputs(v ? "true" : "false", j->f);
}

void pp_json_null(struct pp_json *j)
{
	value_prefix(j);
	fputs("null", j->f);
}

void pp_json_kv_str(struct pp_json *j, const char *key, const char *s)
{
	pp_json_key(j, key);
	pp_json_str(j, s);
}

void pp_json_kv_u64(struct pp_json *j, const char *key, uint64_t v)
{
	pp_json_key(j, key);
	pp_json_u64(j, v);
}

void pp_json_kv_bool(struct pp_json *j, const char *key, bool v)
{
	pp_json_key(j, key);
	pp_json_bool(j, v);
}

void pp_json_kv_null(struct pp_json *j, const char *key)
{
	pp_json_key(j, key);
	pp_json_null(j);
}
