/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * A tiny streaming JSON writer: objects, arrays, strings (escaped, with
 * invalid UTF-8 replaced by U+FFFD), unsigned numbers, booleans, null.
 * Commas are placed automatically.
 */
#ifndef PP_JSON_H
#define PP_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PP_JSON_DEPTH 16

struct pp_json {
	FILE *f;
	int depth;
	bool need_comma[PP_JSON_DEPTH];
	bool after_key;
};

void pp_json_init(struct pp_json *j, FILE *f);

void pp_json_obj_begin(struct pp_json *j);
void pp_json_obj_end(struct pp_json *j);
void pp_json_arr_begin(struct pp_json *j);
void pp_json_arr_end(struct pp_json *j);

void pp_json_key(struct pp_json *j, const char *key);
void pp_json_str(struct pp_json *j, const char *s);
void pp_json_u64(struct pp_json *j, uint64_t v);
void pp_json_bool(struct pp_json *j, bool v);
void pp_json_null(struct pp_json *j);

/* key + value in one call. */
void pp_json_kv_str(struct pp_json *j, const char *key, const char *s);
void pp_json_kv_u64(struct pp_json *j, const char *key, uint64_t v);
void pp_json_kv_bool(struct pp_json *j, const char *key, bool v);
void pp_json_kv_null(struct pp_json *j, const char *key);

/* Write s as a JSON string literal, quotes included. */
void pp_json_write_string(FILE *f, const char *s);

#endif /* PP_JSON_H */
