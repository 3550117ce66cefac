/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Cisco's signed TLV files (secure SCCP, docs/secure-sccp.md): the
 * Certificate Trust List (CTLFile.tlv, CTLSEP<MAC>.tlv) and signed files
 * (SEP<MAC>.cnf.xml.sgn). A header of TLVs (u8 tag, u16 big-endian length)
 * naming the signer (issuer and serial of a certificate), the file name and
 * a timestamp, then an RSA PKCS#1 v1.5 signature over the whole file with
 * the signature TLV left out; a CTL's body is one record per certificate
 * (role, subject, issuer, serial, public key, DER certificate, address),
 * a .sgn file's body the original file's bytes.
 *
 * Files in $PP_STATE_DIR/ctl/ (0700; pp_ctl_dir()):
 *	sast1.pem, sast2.pem	SAST signing keys (PEM key + certificate), 0600
 *	CTLFile.tlv		the CTL pp-tftpd serves
 *	CTLSEP<MAC>.tlv		the same records, one file per published SID
 */
#ifndef PP_TLV_H
#define PP_TLV_H

#include <stddef.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#define PP_CTL_DIR		"ctl"
#define PP_CTL_FILE		"CTLFile.tlv"
#define PP_CTL_RECORDS_MAX	16
#define PP_TLV_FILE_MAX		(256u << 10)

/* Record roles (the u16 of record tag 4). */
enum pp_tlv_role {
	PP_ROLE_SAST = 0,
	PP_ROLE_CCM = 1,
	PP_ROLE_CCM_TFTP = 2,
	PP_ROLE_TFTP = 3,
	PP_ROLE_CAPF = 4,
};

struct pp_ctl_record {
	enum pp_tlv_role role;
	X509 *cert;			/* owned by whoever filled the record */
	char ip[16];			/* dotted IPv4 or "" */
};

struct pp_ctl {
	size_t n;
	struct pp_ctl_record rec[PP_CTL_RECORDS_MAX];
	size_t signer;			/* index of the SAST record that signed */
	char filename[64];		/* from the header */
	time_t timestamp;		/* from the header */
};

/* $PP_STATE_DIR/ctl */
int pp_ctl_dir(char *buf, size_t len);

/*
 * A CTL of the records, signed by key, whose certificate must be one of
 * the records with the SAST role. filename goes into the header.
 * *out is malloc'd. Returns 0, or -1 with err saying why.
 */
int pp_ctl_build(const struct pp_ctl_record *recs, size_t n, EVP_PKEY *key,
		 X509 *signer, const char *filename, time_t now,
		 unsigned char **out, size_t *outlen, char *err, size_t errlen);

/*
 * Parse a CTL and verify its signature with the SAST record the header
 * names. Fills ctl (free with pp_ctl_free()). Returns 0, or -1 with err.
 */
int pp_ctl_parse(const unsigned char *buf, size_t len, struct pp_ctl *ctl,
		 char *err, size_t errlen);
void pp_ctl_free(struct pp_ctl *ctl);

/*
 * May a phone holding old (NULL: none) accept new? Yes when old is NULL or
 * new is signed by a SAST certificate old lists. Returns 0, or -1 with err.
 */
int pp_ctl_may_replace(const struct pp_ctl *old, const struct pp_ctl *new,
		       char *err, size_t errlen);

/*
 * A signed file: the header (signer = cert, file name) then data, signed
 * with key (the proxy's TFTP-role key). *out is malloc'd. Returns 0, or
 * -1 with err.
 */
int pp_sgn_build(const unsigned char *data, size_t len, const char *filename,
		 EVP_PKEY *key, X509 *cert, time_t now, unsigned char **out,
		 size_t *outlen, char *err, size_t errlen);

/*
 * Verify a signed file with cert (a CTL's TFTP-capable record). On success
 * *data, *datalen point into buf at the original file's bytes.
 */
int pp_sgn_verify(const unsigned char *buf, size_t len, X509 *cert,
		  const unsigned char **data, size_t *datalen, char *err,
		  size_t errlen);

#endif /* PP_TLV_H */
