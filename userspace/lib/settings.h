/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Every setting, declared once: the ppctl command that sets it (its words
 * in ppctl's grammar, ppctl/grammar.h), its help, which component holds
 * it and where. ppctl's command table, "set", "show config running" (and
 * so "save config" and the startup replay) derive from this table, and
 * pp-httpd reads its settings (httpd.conf, the same command lines) with
 * ppctl's grammar over it.
 */
#ifndef PP_SETTINGS_H
#define PP_SETTINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pp_config;
struct pp_httpconf;
struct ppctl_cmd;

enum pp_holder { PP_HOLD_MODULE, PP_HOLD_HTTPD, PP_HOLD_TFTPD, PP_HOLD_TLSD, PP_HOLD_PPCTL };

enum pp_setting_kind {
	PP_SK_NUM,		/* <seconds>, <connections>...: one field */
	PP_SK_CHOICE,		/* {a|b}: the field holds values[choice] */
	PP_SK_PORTS,		/* <min:port> <max:port>: attr and attr + 1 */
	PP_SK_ADDR,		/* {north|south} ... <ip>: attr + choice; or <ip> */
	PP_SK_FLAG,		/* {a|b}: sets the bool field + choice */
	PP_SK_LIST,		/* <url>: adds to the allow list */
	PP_SK_FILE,		/* <file>: a path in a char array ("none": empty) */
};

struct pp_setting {
	const char *words;	/* the ppctl command, e.g. "set phoneproxy media timeout <seconds>" */
	const char *help;
	enum pp_holder holder;
	enum pp_setting_kind kind;
	int attr;		/* PP_HOLD_MODULE: PP_A_CFG_* */
	size_t off;		/* the field in struct pp_config or pp_httpconf */
	unsigned int size;	/* of the field: 1, 2 or 4 bytes */
	uint8_t values[2];	/* PP_SK_CHOICE: the field's value of each word */
	const char *what;	/* names it in error messages */
	/* PP_HOLD_HTTPD: the default (not printed) and the range of a number. */
	unsigned int def, min, max;
};

enum pp_setting_id {
	PP_S_ACT_MODE, PP_S_IDLE_TIMEOUT, PP_S_AUTH_TIMEOUT, PP_S_HTTP,
	PP_S_HTTPPROXY, PP_S_SCCP_SECURITY, PP_S_RTP_PORTS, PP_S_MEDIA_TIMEOUT,
	PP_S_MAX_CONNS, PP_S_MAX_STREAMS, PP_S_INTERFACE,
	PP_S_HTTP_PUBLISH, PP_S_HTTPPROXY_MODE, PP_S_HTTPPROXY_EXTERNAL,
	PP_S_HTTPPROXY_ALLOW, PP_S_HTTP_MAX_CONNS, PP_S_HTTP_PER_ADDR,
	PP_S_HTTP_HEADER_TIMEOUT, PP_S_HTTP_BODY_TIMEOUT,
	PP_S_TLS_CAFILE, PP_S_TLS_HANDSHAKE_TIMEOUT, PP_S_TLS_MAX_CONNS,
	PP_S_TLS_PER_ADDR, PP_S_TLS_MAX_HANDSHAKES, PP_S_COUNT
};

/* In the order "show config running" prints them. */
extern const struct pp_setting pp_settings[PP_S_COUNT];

/*
 * Apply a parsed "set" of a declared setting (cmd->def->setting) to cfg
 * (PP_HOLD_MODULE: marks it present) or hc (the struct pp_httpconf of
 * PP_HOLD_HTTPD, the struct pp_tlsdconf of PP_HOLD_TLSD). Returns 0,
 * -EINVAL for a value out of the setting's range or another error with
 * err set.
 */
int pp_setting_apply(const struct ppctl_cmd *cmd, struct pp_config *cfg,
		     void *hc, char *err, size_t errlen);

/* The commands that recreate the module's settings present in cfg, or
 * pp-httpd's settings other than the defaults. */
void pp_settings_print_module(FILE *f, const struct pp_config *cfg);
void pp_settings_print_httpd(FILE *f, const struct pp_httpconf *hc);
/* The defaults of pp-httpd's settings. */
void pp_settings_httpd_defaults(struct pp_httpconf *hc);
/* The defaults of the settings a daemon holds in its struct at base
 * (pp-tlsd's struct pp_tlsdconf), and the commands of those that differ. */
void pp_settings_defaults(enum pp_holder holder, void *base);
void pp_settings_print(FILE *f, enum pp_holder holder, const void *base);

/* The "set" commands of the settings one component holds (grammar.h),
 * terminated by an entry with words NULL. */
const struct ppctl_cmd_def *pp_settings_table(enum pp_holder holder);

/*
 * A settings file of a daemon (httpd.conf, tlsd.conf): the "set" command
 * lines of holder's settings, applied to base; name is used in messages
 * ("name:line: reason"). Returns 0, or -1 with err set (base then holds
 * the lines before the bad one).
 */
int pp_settings_parse(enum pp_holder holder, const char *text, size_t len, const char *name,
		      void *base, char *err, size_t errlen);

#endif /* PP_SETTINGS_H */
