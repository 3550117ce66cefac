/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's settings: /etc/phoneproxy/tftpd.conf ($PP_CONF_DIR), one
 * "key value" a line, # comments. Everything the kernel knows (north and
 * south addresses, ports, activation mode, HTTP proxy on/off) is read
 * from the module instead, per request. docs/tftp.md lists the keys.
 */
#ifndef PP_TFTPD_TCONF_H
#define PP_TFTPD_TCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TFTPD_CONF_FILE		"tftpd.conf"
#define TFTPD_LOGLEVEL_FILE	"loglevel"	/* in $PP_STATE_DIR */

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
};

void tftpd_conf_defaults(struct tftpd_conf *c);

/*
 * Apply the text of a configuration file (name only for messages).
 * Returns 0, or -1 with err = "name:line: reason"; c is then unchanged.
 */
int tftpd_conf_parse(struct tftpd_conf *c, const char *text, const char *name,
		     char *err, size_t errlen);

/* Read and apply a file; a missing file is not an error when optional. */
int tftpd_conf_load(struct tftpd_conf *c, const char *path, bool optional,
		    char *err, size_t errlen);

/* The guide's loglevels: "min", "brief", "full" <-> PP_LOG_*; -1 if not one. */
int tftpd_loglevel_parse(const char *s);
const char *tftpd_loglevel_name(int level);

#endif /* PP_TFTPD_TCONF_H */
