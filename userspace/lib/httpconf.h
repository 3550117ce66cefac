/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The settings of pp-httpd that the kernel does not hold: which roles are
 * published (the activation web page on north, the web service on south)
 * and the HTTP proxy's mode, external address and URL allow list.
 *
 * ppctl writes them to $PP_CONF_DIR/httpd.conf (atomically); pp-httpd
 * reads that file and follows it. The file holds the very ppctl commands
 * that recreate the settings, one a line (# comments), read with ppctl's
 * grammar over their declaration (settings.h):
 *
 *	set phoneproxy http publish webpage
 *	set phoneproxy http publish webservice
 *	set phoneproxy httpproxy mode external
 *	set phoneproxy httpproxy externaladdress 203.0.113.8
 *	set phoneproxy httpproxy allow http://198.51.100.10/dir/
 *
 * ("set phoneproxy http enable|disable" and "httpproxy enable|disable"
 * live in the kernel: they open the firewall.)
 */
#ifndef PP_HTTPCONF_H
#define PP_HTTPCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PP_HTTPCONF_FILE	"httpd.conf"
#define PP_HTTPCONF_MAX		(256u << 10)	/* bytes read */
#define PP_ALLOW_MAX		256		/* allow list entries */
#define PP_URL_MAX		1024		/* bytes of a URL or pattern */

enum pp_proxy_mode {
	PP_PROXY_INTERNAL,	/* fetch from the south address (default) */
	PP_PROXY_EXTERNAL,	/* forward to externaladdress:8088 */
};

struct pp_httpconf {
	bool webpage;			/* publish the activation page (north) */
	bool webservice;		/* publish the SOAP service (south) */
	enum pp_proxy_mode mode;
	uint32_t external_addr;		/* network order; 0 = unset */
	size_t nallow;
	char *allow[PP_ALLOW_MAX];	/* patterns, normalized */
	/* Connection limits of pp-httpd. */
	unsigned int max_conns;		/* http maxconnections */
	unsigned int max_conns_per_addr; /* http maxconnections peraddress */
	unsigned int header_timeout;	/* http headertimeout (s) */
	unsigned int body_timeout;	/* http bodytimeout (s) */
};

/* The connection limits (docs/security.md, "pp-httpd"); their defaults
 * and ranges are declared in settings.c. */
void pp_httpconf_limits(const struct pp_httpconf *c, unsigned int *max_conns,
			unsigned int *per_addr, unsigned int *header_timeout,
			unsigned int *body_timeout);

void pp_httpconf_init(struct pp_httpconf *c);
void pp_httpconf_free(struct pp_httpconf *c);

/* $PP_CONF_DIR/httpd.conf. Returns 0 or -1 (ENAMETOOLONG). */
int pp_httpconf_path(char *buf, size_t len);

/*
 * Parse the file's text; name is used in messages ("name:line: reason").
 * Returns 0, or -1 with err set (c is then left initialized and empty).
 */
int pp_httpconf_parse(const char *text, size_t len, const char *name,
		      struct pp_httpconf *c, char *err, size_t errlen);
/* Read path; a missing file is the defaults. Returns 0 or -1 with err. */
int pp_httpconf_load(const char *path, struct pp_httpconf *c, char *err,
		     size_t errlen);
/* Write c to path atomically. Returns 0 or -errno. */
int pp_httpconf_save(const char *path, const struct pp_httpconf *c);

/* The commands that recreate c, one a line (nothing for the defaults). */
void pp_httpconf_print(FILE *f, const struct pp_httpconf *c);

/*
 * Check an allow-list pattern and write its normalized form to out
 * (PP_URL_MAX bytes): "http://" + host (lower case, ":80" dropped) + path
 * ("/" when none). '*' matches any run of characters. Returns 0, or -1
 * with err naming the pattern and the reason.
 */
int pp_allow_pattern_normalize(const char *pattern, char *out, char *err,
			       size_t errlen);
/* Add (no duplicate: 0 when present) or remove (-ENOENT when absent). */
int pp_httpconf_allow_add(struct pp_httpconf *c, const char *pattern,
			  char *err, size_t errlen);
int pp_httpconf_allow_remove(struct pp_httpconf *c, const char *pattern,
			     char *err, size_t errlen);

#endif /* PP_HTTPCONF_H */
