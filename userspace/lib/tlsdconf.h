/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The settings of pp-tlsd, the TLS terminator of secure SCCP
 * (docs/secure-sccp.md): $PP_CONF_DIR/tlsd.conf, ppctl command lines read
 * with ppctl's grammar over their declaration (settings.c), e.g.
 *
 *	set phoneproxy sccp security cafile /etc/phoneproxy/phones-ca.pem
 *	set phoneproxy sccp security handshaketimeout 10
 *	set phoneproxy sccp security maxconnections 4096
 *	set phoneproxy sccp security maxconnections peraddress 8
 *	set phoneproxy sccp security maxhandshakes 256
 *
 * ("set phoneproxy sccp security on|off" lives in the kernel.)
 */
#ifndef PP_TLSDCONF_H
#define PP_TLSDCONF_H

#include <stdbool.h>
#include <stddef.h>

#define PP_TLSDCONF_FILE	"tlsd.conf"
#define PP_TLSDCONF_MAX		(64u << 10)	/* bytes read */

struct pp_tlsdconf {
	char cafile[1024];		/* "" = any client certificate */
	unsigned int handshake_timeout;	/* seconds */
	unsigned int max_conns;
	unsigned int max_conns_per_addr;
	unsigned int max_handshakes;
};

/* The defaults (settings.c declares them). */
void pp_tlsdconf_init(struct pp_tlsdconf *c);
/* Parse the file's text ("name:line: reason" in err). 0 or -1. */
int pp_tlsdconf_parse(const char *text, size_t len, const char *name,
		      struct pp_tlsdconf *c, char *err, size_t errlen);
/* Read path; a missing file is the defaults when missing_ok. 0 or -1. */
int pp_tlsdconf_load(const char *path, bool missing_ok, struct pp_tlsdconf *c,
		     char *err, size_t errlen);

#endif /* PP_TLSDCONF_H */
