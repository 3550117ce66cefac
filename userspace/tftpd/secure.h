/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's part of secure SCCP (docs/tftp.md, "Secure SCCP"): the
 * Certificate Trust List files of $PP_STATE_DIR/ctl/ (CTLFile.tlv,
 * CTLSEP<MAC>.tlv) served as they are, and SEP<MAC>.cnf.xml.sgn: the
 * rewritten configuration signed with the proxy's TFTP key
 * ($PP_STATE_DIR/certs/tftp.pem, lib/tlv.h pp_sgn_build()).
 */
#ifndef PP_TFTPD_SECURE_H
#define PP_TFTPD_SECURE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#define SECURE_SGN_CACHE	32	/* signed files kept, by content */

struct secure_signed {
	unsigned char md[32];		/* SHA-256 of name, NUL, content */
	unsigned char *data;		/* the .sgn file, NULL: free slot */
	size_t len;
};

struct tftpd_secure {
	EVP_PKEY *key;			/* the TFTP key and its certificate */
	X509 *cert;
	struct stat st;			/* of tftp.pem when loaded */
	bool reload;			/* re-read tftp.pem before the next use */
	struct secure_signed cache[SECURE_SGN_CACHE];
	unsigned int next;		/* the slot to reuse next */
};

/*
 * A trust list pp-tftpd serves: exactly "CTLFile.tlv" or "CTLSEP" + 12
 * upper-case hex digits + ".tlv" (no directory, no other spelling).
 */
bool secure_ctl_name(const char *name);

/*
 * A signed configuration pp-tftpd builds: "SEP" + 12 hex digits +
 * ".cnf.xml.sgn" (upper-case SEP and MAC, as tftp_canonical_name()
 * spells them). plain gets the file it signs ("SEP<MAC>.cnf.xml").
 */
bool secure_sgn_name(const char *name, char *plain, size_t len);

/*
 * $PP_STATE_DIR/ctl/name into *out (malloc'd): a regular file, not a
 * symbolic link, at most PP_TLV_FILE_MAX bytes. 0, -ENOENT when there is
 * no such file, or -1 with why.
 */
int secure_ctl_read(const char *name, unsigned char **out, size_t *len,
		    char *why, size_t whylen);

/*
 * The .sgn file named name of data (*out malloc'd, a copy): from the
 * cache when this name and content were signed before, else signed now
 * with the TFTP key (loaded on first use, again when tftp.pem changes
 * or after secure_reload()). 0, or -1 with why.
 */
int secure_sign(struct tftpd_secure *s, const char *name,
		const unsigned char *data, size_t len, unsigned char **out,
		size_t *outlen, char *why, size_t whylen);

/* Read tftp.pem again before the next signature (SIGHUP, "reload"). */
void secure_reload(struct tftpd_secure *s);
void secure_fini(struct tftpd_secure *s);

#endif /* PP_TFTPD_SECURE_H */
