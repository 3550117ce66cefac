/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Every setting, declared once: the ppctl command that sets it (its words
 * in ppctl's grammar, ppctl/grammar.h), its help, which component holds
 * it and where. ppctl's command table, "set", "show config running" (and
 * so "save config" and the startup replay) derive from this table.
 */
#ifndef PP_SETTINGS_H
#define PP_SETTINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pp_config;

enum pp_holder { PP_HOLD_MODULE, PP_HOLD_HTTPD, PP_HOLD_TFTPD, PP_HOLD_PPCTL };

enum pp_setting_kind {
	PP_SK_NUM,		/* <seconds>, <connections>...: one field */
	PP_SK_CHOICE,		/* {a|b}: the field holds values[choice] */
	PP_SK_PORTS,		/* <min:port> <max:port>: attr and attr + 1 */
	PP_SK_ADDR,		/* {north|south} ... <ip>: attr + choice */
};

struct pp_setting {
	const char *words;	/* the ppctl command, e.g. "set phoneproxy media timeout <seconds>" */
	const char *help;
	enum pp_holder holder;
	enum pp_setting_kind kind;
	int attr;		/* PP_HOLD_MODULE: PP_A_CFG_* */
	size_t off;		/* the field in struct pp_config */
	unsigned int size;	/* of the field: 1, 2 or 4 bytes */
	uint8_t values[2];	/* PP_SK_CHOICE: the field's value of each word */
	const char *what;	/* names it in error messages */
};

enum pp_setting_id {
	PP_S_ACT_MODE, PP_S_IDLE_TIMEOUT, PP_S_AUTH_TIMEOUT, PP_S_HTTP,
	PP_S_HTTPPROXY, PP_S_SCCP_SECURITY, PP_S_RTP_PORTS, PP_S_MEDIA_TIMEOUT,
	PP_S_MAX_CONNS, PP_S_MAX_STREAMS, PP_S_INTERFACE, PP_S_COUNT
};

/* In the order "show config running" prints them. */
extern const struct pp_setting pp_settings[PP_S_COUNT];

/* Store a parsed value (choice: the {a|b} index, v: the values) in cfg
 * and mark it present. */
void pp_setting_store(const struct pp_setting *s, struct pp_config *cfg,
		      int choice, const uint32_t *v);

/* The commands that recreate the module's settings present in cfg. */
void pp_settings_print_module(FILE *f, const struct pp_config *cfg);

#endif /* PP_SETTINGS_H */
