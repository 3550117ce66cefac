/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Every setting, declared once: the ppctl command that sets it (its words
 * in ppctl's grammar, ppctl/grammar.h), its help, which component holds
 * it and where. ppctl's command table, "set", "show config running" (and
 * so "save config" and the startup replay) derive from this table, and
 * pp-httpd reads its settings (httpd.conf, the same command lines) with
 * ppctl's grammar over it, as does pp-tftpd (tftpd.conf).
 */
#ifndef PP_SETTINGS_H
#define PP_SETTINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pp_config;
struct pp_httpconf;
struct ppctl_cmd;

enum pp_holder { PP_HOLD_MODULE, PP_HOLD_HTTPD, PP_HOLD_TFTPD, PP_HOLD_TLSD,
		 PP_HOLD_HEARTBEAT,	/* ppctl's heartbeat.conf (heartbeat.h) */
		 PP_HOLD_PPCTL };

enum pp_setting_kind {
	PP_SK_NUM,		/* <seconds>, <connections>...: one field */
	PP_SK_CHOICE,		/* {a|b}: the field holds values[choice] */
	PP_SK_PORTS,		/* <min:port> <max:port>: attr and attr + 1 */
	PP_SK_ADDR,		/* {north|south} ... <ip>: attr + choice; or <ip> */
	PP_SK_FLAG,		/* {a|b}: sets the bool field + choice */
	PP_SK_LIST,		/* <url>: adds to the allow list */
	PP_SK_FILE,		/* <file>: a path in a char array ("none": empty) */
	PP_SK_TEXT,		/* <name:group>, <node:hostname>: a word in a char array */
};

struct pp_setting {
	const char *words;	/* the ppctl command, e.g. "set phoneproxy media timeout <seconds>" */
	const char *help;
	enum pp_holder holder;
	enum pp_setting_kind kind;
	int attr;		/* PP_HOLD_MODULE: PP_A_CFG_* */
	size_t off;		/* the field in struct pp_config or pp_httpconf */
	unsigned int size;	/* of the field: 1, 2 or 4 bytes */
	uint8_t values[3];	/* PP_SK_CHOICE: the field's value of each word */
	const char *what;	/* names it in error messages */
	/* The default ("unset" restores it; a daemon's is not printed; a
	 * choice's is the field's value) and the range of a daemon's number;
	 * def2: the second value's default (PP_SK_PORTS). */
	uint64_t def, min, max, def2;
	/* The "unset" command's help when "back to the default (...)" does
	 * not say it (a list, a flag, an address). */
	const char *unset_help;
};

enum pp_setting_id {
	PP_S_ACT_MODE, PP_S_IDLE_TIMEOUT, PP_S_AUTH_TIMEOUT, PP_S_HTTP,
	PP_S_HTTPPROXY, PP_S_SCCP_SECURITY, PP_S_RTP_PORTS, PP_S_MEDIA_TIMEOUT,
	PP_S_MAX_CONNS, PP_S_MAX_STREAMS, PP_S_SRTP_SUITE, PP_S_INTERFACE,
	PP_S_HTTP_PUBLISH, PP_S_HTTPPROXY_MODE, PP_S_HTTPPROXY_EXTERNAL,
	PP_S_HTTPPROXY_ALLOW, PP_S_HTTP_MAX_CONNS, PP_S_HTTP_PER_ADDR,
	PP_S_HTTP_HEADER_TIMEOUT, PP_S_HTTP_BODY_TIMEOUT,
	PP_S_TFTP_LOGLEVEL, PP_S_TFTP_CACHE_TTL, PP_S_TFTP_CACHE_SIZE,
	PP_S_TFTP_MAX_FILE, PP_S_TFTP_MAX_CONFIG, PP_S_TFTP_UP_TIMEOUT,
	PP_S_TFTP_UP_BLKSIZE, PP_S_TFTP_RETRANSMIT, PP_S_TFTP_RETRANSMIT_MAX,
	PP_S_TFTP_RETRIES, PP_S_TFTP_MAX_BLKSIZE, PP_S_TFTP_RATE, PP_S_TFTP_BURST,
	PP_S_TFTP_MAX_TRANSFERS, PP_S_TFTP_PER_ADDR, PP_S_TFTP_LIFETIME,
	PP_S_TFTP_MAX_TIMEOUT, PP_S_TFTP_REPLY_PORT,
	PP_S_TLS_CAFILE, PP_S_TLS_HANDSHAKE_TIMEOUT, PP_S_TLS_MAX_CONNS,
	PP_S_TLS_PER_ADDR, PP_S_TLS_MAX_HANDSHAKES,
	/* The heartbeat pair (docs/heartbeat.md): the virtual addresses are
	 * the module's, the rest ppctl's heartbeat.conf; enable last. */
	PP_S_VIRT_ADDR, PP_S_HB_IFACE, PP_S_HB_GROUP, PP_S_HB_PEER, PP_S_HB_MANAGE,
	PP_S_HB_PREFERRED, PP_S_HB_ENABLE, PP_S_COUNT
};

/* In the order "show config running" prints them. */
extern const struct pp_setting pp_settings[PP_S_COUNT];

/* pp-tftpd's settings (tftpd.conf), held in struct tftpd_conf. */
struct tftpd_conf {
	int loglevel;			/* PP_LOG_NOTICE/INFO/DEBUG */
	unsigned int cache_ttl_ms;	/* 0: no cache, no coalescing */
	uint64_t cache_max_bytes;
	uint64_t max_file_size;		/* largest file relayed */
	uint64_t max_config_size;	/* largest config file rewritten */
	unsigned int upstream_timeout_ms;	/* CallManager's first answer */
	unsigned int upstream_blksize;	/* asked of the CallManager */
	unsigned int retransmit_ms;	/* first retransmission */
	unsigned int retransmit_max_ms;	/* back-off cap */
	unsigned int retries;		/* retransmissions before giving up */
	unsigned int max_blksize;	/* granted to phones */
	unsigned int rate;		/* requests per second per source */
	unsigned int burst;
	unsigned int max_transfers;	/* requests in progress, all phones */
	/* Issue 12 item 6: what one address may hold, and for how long. */
	unsigned int max_transfers_per_address;	/* requests in progress */
	unsigned int transfer_lifetime_ms;	/* request to last ACK */
	unsigned int max_timeout;	/* largest RFC 2349 timeout granted, s */
	/* Issue 18 item 10: where a good request is answered from. */
	unsigned int reply_port;	/* enum tftpd_reply_port */
};

/* set phoneproxy tftp replyport new-port|port69|auto (docs/tftp.md,
 * "Phones behind NAT routers"). */
enum tftpd_reply_port {
	TFTPD_REPLY_NEW_PORT,	/* RFC 1350: a new port per transfer */
	TFTPD_REPLY_PORT69,	/* always from the listening port */
	TFTPD_REPLY_AUTO,	/* new port; port 69 for an address whose
				 * first reply went unanswered */
};

/*
 * Apply a parsed "set" of a declared setting (cmd->def->setting) to cfg
 * (PP_HOLD_MODULE: marks it present) or held (a daemon's: struct
 * pp_httpconf, tftpd_conf or pp_tlsdconf). Returns 0, -EINVAL for a value out of the
 * setting's range or another error with err set. Its "unset" (cmd->def->unset)
 * stores the default instead (every value of a pair: both RTP ports), clears
 * a flag or an address, or removes one entry of a list (-ENOENT when absent).
 */
int pp_setting_apply(const struct ppctl_cmd *cmd, struct pp_config *cfg,
		     void *held, char *err, size_t errlen);

/*
 * Apply a daemon's settings file (text, len; name for messages): ppctl
 * commands, one a line, over the settings holder holds. Returns 0, or -1
 * with err = "name:line: reason" (held is then partly applied).
 */
int pp_settings_parse(const char *text, size_t len, const char *name,
		      enum pp_holder holder, void *held, char *err, size_t errlen);

/* The commands that recreate the module's settings present in held (a
 * struct pp_config), or a daemon's settings other than the defaults. */
void pp_settings_print(FILE *f, enum pp_holder holder, const void *held);
/* Whether a daemon's settings agree with each other (pp-tftpd's
 * retransmit max is not below retransmit): 0, or -1 with err "name: why". */
int pp_settings_check(enum pp_holder holder, const void *held, const char *name,
		      char *err, size_t errlen);
/* The defaults of a daemon's settings. */
void pp_settings_defaults(enum pp_holder holder, void *held);

/*
 * The "unset" command of every setting, derived from its words: "set"
 * becomes "unset" and the values go (<x>, and the {a|b} of a choice); a
 * flag's or an address's {a|b} stays (which one), as does a list's <url>
 * (which entry). Its help says what the default is.
 */
const char *pp_setting_unset_words(const struct pp_setting *s);
const char *pp_setting_unset_help(const struct pp_setting *s);

/* The "set" commands of the settings one component holds (grammar.h),
 * terminated by an entry with words NULL. */
const struct ppctl_cmd_def *pp_settings_table(enum pp_holder holder);

#endif /* PP_SETTINGS_H */
