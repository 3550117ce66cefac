/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The reader of the users.xml the Management Console publishes (the
 * guide's Appendix B):
 *
 *   <users name="pp-blue03">
 *     <ccm name="ccm" default="true"><address>IPv4</address></ccm>
 *     <proxy uuid="..." assign_users="true" />
 *     <user id="..." name="homer">
 *       <first/> <last/> <ccmName/> <sccpProxy/> (0..3) <sid/> <enabled/>
 *       <seed/> <hashPw/> <pwDate/>
 *     </user>
 *   </users>
 *
 * The whole file is validated before anything is used; the first problem
 * is reported as "file:line: reason". The reader never touches the
 * network, loads no DTD and substitutes no entity (a DOCTYPE is refused).
 */
#ifndef PP_USERS_XML_H
#define PP_USERS_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/phoneproxy.h>

/* Largest users.xml read (PP_USERS_MAX users of a few hundred bytes fit). */
#define PP_USERS_FILE_MAX	(128u << 20)

/* Longest free text of a user (first, last, seed, hashPw, ...), bytes. */
#define PP_USERS_TEXT_MAX	1024

/* <sccpProxy> entries of a user: primary, secondary, tertiary. */
#define PP_SCCP_PROXY_MAX	3

/* Longest host name of a CallManager (RFC 1035: 253 characters). */
#define PP_HOST_MAX	254

/* A <ccm>: a CallManager cluster users connect to. */
struct pp_callmanager {
	char name[PP_NAME_MAX];
	/* <address>: an IPv4 address, or a host name (the guide: "the
	 * CallManager may be given by name"), resolved by
	 * pp_users_resolve() before the table goes to the module. */
	char host[PP_HOST_MAX];		/* "" when given as an address */
	uint32_t addr;			/* network byte order; 0 until resolved */
	bool is_default;
	long line;
};

/* A <proxy>: a member of the PhoneProxy cluster. */
struct pp_cluster_proxy {
	char *uuid;
	bool assign_users;		/* default true */
	long line;
};

/* A <user>: an account allowed to activate. */
struct pp_account {
	char name[PP_NAME_MAX];		/* login name, unique */
	char id[PP_NAME_MAX];		/* Management Console id, "" if none */
	char sid[PP_SID_LEN + 1];	/* "SEP" + 12 hex digits, upper case */
	char ccm[PP_NAME_MAX];		/* "" = the default CallManager */
	bool enabled;			/* default true */
	/* Kept for the daemons; never sent to the kernel. NULL if absent. */
	char *first;
	char *last;
	/* <sccpProxy> (up to three, in file order): the user's primary,
	 * secondary and tertiary PhoneProxy nodes (<proxy uuid>s of this
	 * file; the guide's "Activation"); none: assigned evenly
	 * (cluster_xml.h, pp_cluster_user_nodes()). */
	char *sccp_proxy[PP_SCCP_PROXY_MAX];
	unsigned int nsccp_proxy;
	char *seed;
	char *hash_pw;
	char *pw_date;
	long line;
};

struct pp_users {
	char *name;			/* <users name=...>, NULL if absent */
	struct pp_callmanager *ccms;
	size_t nccms;
	struct pp_cluster_proxy *proxies;
	size_t nproxies;
	struct pp_account *users;
	size_t nusers;
};

/*
 * Parse and validate a users.xml held in memory; filename is only used in
 * messages. On success *out is set and 0 returned; otherwise -1 and err
 * holds "filename:line: reason".
 */
int pp_users_parse_memory(const char *buf, size_t len, const char *filename,
			  struct pp_users **out, char *err, size_t errlen);
/* Same, reading path first (messages then name path as given). */
int pp_users_parse_file(const char *path, struct pp_users **out,
			char *err, size_t errlen);
void pp_users_free(struct pp_users *u);

const struct pp_callmanager *pp_users_default_ccm(const struct pp_users *u);
/* The CallManager an account uses: its ccmName, or the default one. */
const struct pp_callmanager *pp_users_account_ccm(const struct pp_users *u,
						  const struct pp_account *a);
const struct pp_account *pp_users_find(const struct pp_users *u,
				       const char *name);

/*
 * Resolve each CallManager given by host name (getaddrinfo(), IPv4: the
 * first address the resolver orders first, RFC 6724). file names the
 * users.xml in messages. Returns 0, or -1 with err "file:line: ccm
 * \"x\": host \"h\" does not resolve: reason" at the first failure
 * (then addresses already resolved are set, the rest left as they were).
 */
int pp_users_resolve(struct pp_users *u, const char *file, char *err, size_t errlen);
/* Resolve one CallManager's host: 0 and *addr, or -1 and why. */
int pp_ccm_resolve(const struct pp_callmanager *c, uint32_t *addr, char *why,
		   size_t whylen);
/* Whether s is a host name (RFC 1123 labels, not all-numeric last label). */
bool pp_host_name_valid(const char *s);

/*
 * The field rules of <user>, shared with the other readers of user
 * records (the CSV import): a <seed> and a <hashPw> (base64, or this
 * project's tagged pbkdf2 hash), a <pwDate> (YYYY-MM-DD-hh-mm-ss-mmm), a
 * free text (<first>, <last>: at most PP_USERS_TEXT_MAX bytes, no control
 * character).
 */
bool pp_users_seed_valid(const char *s);
bool pp_users_hash_valid(const char *s);
bool pp_users_pw_date_valid(const char *s);
bool pp_users_text_valid(const char *s);

/*
 * Write u as a users.xml (libxml2's writer, UTF-8, indented) in a
 * malloc()ed buffer: what pp_users_parse_memory() reads back to the same
 * records. Returns 0, or -1 (out of memory).
 */
int pp_users_write_xml(const struct pp_users *u, char **buf, size_t *len);

#endif /* PP_USERS_XML_H */
