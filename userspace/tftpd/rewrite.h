/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The rewriter of phone configuration files (SEP<MAC>.cnf.xml,
 * XMLDefault.cnf.xml): every address of the voice network the phone
 * would otherwise try is replaced or removed, so that the phone comes
 * through the proxy (docs/tftp.md says what and why):
 *
 *  - callManagerGroup: member i (by priority) gets proxy node i as its
 *    processNodeName and the proxy's SCCP port as its ethernetPhonePort;
 *    members beyond the proxy nodes are removed, and when there are
 *    fewer members than nodes the remaining nodes are added as members
 *    (after the last, priorities following it); cnf_result.ccm says
 *    which original CallManager each node stands for;
 *  - proxyServerURL becomes the proxy's HTTP proxy when that is on, and is
 *    left alone when it is off;
 *  - service URLs (*URL) stay only when the HTTP proxy is on and they
 *    match its whitelist, else they are emptied;
 *  - SRST addresses, load/log servers, CAPF servers and any other
 *    processNodeName are emptied, srstOption becomes Disable;
 *  - with secure SCCP, the device's deviceSecurityMode (a child of
 *    <device>) gets the security mode, added before </device> if absent.
 *
 * libxml2 parses (no network, no DTD, no entity substitution; a DOCTYPE
 * is refused), and the changes are spliced into the original bytes so
 * everything else stays byte for byte; only a document libxml2 had to
 * transcode (a non-UTF-8 encoding) is serialized again instead. The
 * output is parsed again and checked before it is returned: a file that
 * cannot be rewritten is an error, never passed on.
 */
#ifndef PP_TFTPD_REWRITE_H
#define PP_TFTPD_REWRITE_H

#include <stdbool.h>
#include <stddef.h>

#define CNF_NODES_MAX	3	/* primary, secondary, tertiary */
#define CNF_CCM_MAX	256	/* a processNodeName kept in cnf_result */

struct cnf_params {
	const char *nodes[CNF_NODES_MAX];	/* proxy node addresses */
	size_t nnodes;				/* 1..CNF_NODES_MAX */
	unsigned int sccp_port;			/* ethernetPhonePort */
	const char *proxy_url;	/* the HTTP proxy, NULL when it is off */
	/* The HTTP proxy's allow list (httpconf.h: normalized patterns,
	 * matched as lib/allowlist.h says). */
	const char *const *allow;
	size_t nallow;
	/* deviceSecurityMode to set (CNF_SECURITY_*), 0: leave it alone. */
	unsigned int security_mode;
};

/* deviceSecurityMode values (CallManager's device security profiles). */
#define CNF_SECURITY_NONSECURE		1
#define CNF_SECURITY_AUTHENTICATED	2
#define CNF_SECURITY_ENCRYPTED		3

struct cnf_result {
	char *data;		/* malloc()ed output */
	size_t len;
	bool spliced;		/* original bytes kept outside the changes */
	/* What changed (elements whose value changed or were removed). */
	unsigned int nodes;	/* processNodeName of members */
	unsigned int ports;	/* ethernetPhonePort */
	unsigned int members_removed;
	unsigned int proxy_url;
	unsigned int urls_cleared;
	unsigned int urls_kept;	/* whitelisted, left alone */
	unsigned int srst;
	unsigned int servers;	/* loadServer, logServer, ... */
	unsigned int capf;
	unsigned int other_nodes;	/* processNodeName elsewhere */
	unsigned int security_mode;	/* deviceSecurityMode set or added */
	unsigned int members_added;	/* fewer members than nodes */
	/*
	 * The CallManager each listed node stands for (docs/cluster.md,
	 * "The CallManager mapping"): node i replaces member i of the
	 * original group (priority order), so it stands for that member's
	 * processNodeName; a node beyond the members is added as a new
	 * member and stands for member i mod m. "" when the file has no
	 * group (or the member no processNodeName). Trimmed, as written.
	 */
	char ccm[CNF_NODES_MAX][CNF_CCM_MAX];
	unsigned int nccm;		/* nodes listed: 0 or p->nnodes */
};

/*
 * Rewrite the configuration file in[0..len). name is used in messages.
 * Returns 0 with *res filled (free res->data), or -1 with err saying
 * why, e.g. "line 3: Opening and ending tag mismatch: ..." or "has a
 * DOCTYPE ...".
 */
int cnf_rewrite(const char *in, size_t len, const struct cnf_params *p,
		struct cnf_result *res, char *err, size_t errlen);

/* One-line summary of res ("nodes=1 ports=0 ..."), for logs. */
void cnf_result_summary(const struct cnf_result *res, char *buf, size_t len);

/*
 * The HTTP proxy would fetch url: pp-httpd's own matcher
 * (lib/allowlist.h) accepts it and one of the patterns matches it.
 */
bool cnf_url_allowed(const char *url, const char *const *allow, size_t nallow);

#endif /* PP_TFTPD_REWRITE_H */
