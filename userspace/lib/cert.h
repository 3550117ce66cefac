/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The web server's certificates (the guide's "Certificate Management").
 *
 *   $PP_STATE_DIR/incoming/	certificates available to install (PEM:
 *				private key and certificate chain), put
 *				there by the administrator (e.g. SFTP)
 *   $PP_STATE_DIR/certs/	installed ones (0700), named by tag:
 *	https.pem		  serves both interfaces
 *	https-north.pem		  the activation page (north)
 *	https-south.pem		  the activation web service (south)
 *	tftp.pem		  secure SCCP: the proxy's CCM+TFTP-role
 *				  certificate (CN=tftp<uuid>): pp-tlsd serves
 *				  it on 2443, pp-tftpd signs .sgn files with it
 *	capf.pem		  secure SCCP: CN=capf<uuid>
 *
 * An interface uses its own certificate when it has one, else https.pem.
 * Files are PEM: the private key and the certificate (and any chain).
 */
#ifndef PP_CERT_H
#define PP_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PP_CERT_DIR		"certs"
#define PP_CERT_INCOMING_DIR	"incoming"
#define PP_CERT_FILE_MAX	(256u << 10)
#define PP_CERT_DAYS		825	/* validity of a self-signed one */

enum pp_cert_tag {
	PP_CERT_BOTH,		/* "https": no interface qualifier */
	PP_CERT_NORTH,		/* "https-north" */
	PP_CERT_SOUTH,		/* "https-south" */
	PP_CERT_TFTP,		/* "tftp": secure SCCP, CCM+TFTP role */
	PP_CERT_CAPF,		/* "capf": secure SCCP, CAPF role */
	PP_CERT_NTAGS
};

/* The first OpenSSL error, as text (static buffer), and clear the queue. */
const char *pp_ssl_reason(void);
/* OpenSSL's pem_password_cb that refuses encrypted keys (never prompts). */
int pp_no_passphrase(char *buf, int size, int rwflag, void *u);
/* path is a PEM bundle of at least one certificate (a CA bundle to verify
 * client certificates against): 0, or -1 with err = "path: reason". */
int pp_cert_ca_bundle_check(const char *path, char *err, size_t errlen);

/* "https", "https-north", "https-south". */
const char *pp_cert_tag_name(enum pp_cert_tag tag);
/* The tag of a name, case-insensitively ("https-North" is the guide's
 * spelling); -1 if none. */
int pp_cert_tag_from_name(const char *name);

int pp_cert_dir(char *buf, size_t len);
int pp_cert_incoming_dir(char *buf, size_t len);
/* certs/<tag>.pem */
int pp_cert_path(enum pp_cert_tag tag, char *buf, size_t len);
/* The file interface north (true) or south (false) serves, or -ENOENT. */
int pp_cert_for_interface(bool north, char *buf, size_t len);

struct pp_cert_info {
	char subject[256];
	char issuer[256];
	char serial[80];
	char not_before[32];		/* "2026-01-02 03:04:05 UTC" */
	char not_after[32];
	time_t expires;
	char sans[256];			/* "IP:192.0.2.1, DNS:..." or "" */
	char sha256[96];		/* AA:BB:... */
	char sha1[64];
	char key_type[16];		/* "RSA", "EC", ... */
	int key_bits;
	bool self_signed;
	bool has_key;			/* a private key is in the file */
	bool key_matches;		/* ... and it is the certificate's */
	int chain;			/* certificates in the file */
};

/*
 * Read the first certificate of a PEM buffer (and the private key when
 * there is one). Returns 0, or -1 with err saying why.
 */
int pp_cert_inspect(const char *pem, size_t len, struct pp_cert_info *info,
		    char *err, size_t errlen);

/*
 * A new self-signed certificate: RSA of bits (1024 or 2048), SHA-256,
 * valid PP_CERT_DAYS days, subjectAltName IP entries for the addresses
 * (network order; zeros skipped). *pem (malloc) holds key + certificate.
 */
int pp_cert_selfsigned(int bits, const char *cn, const uint32_t *addrs,
		       size_t naddrs, char **pem, size_t *len, char *err,
		       size_t errlen);

/*
 * Install a PEM as the tag's certificate after checking it: a private key
 * that matches the certificate, RSA/EC of at least 1024 bits, not
 * expired. Written atomically, mode 0600. Returns 0 or -1 with err.
 */
int pp_cert_install(enum pp_cert_tag tag, const char *pem, size_t len,
		    char *err, size_t errlen);

/*
 * Secure SCCP (docs/ctl.md). The proxy's UUID: $PP_STATE_DIR/uuid, a
 * random (version 4) UUID made on first use and kept (the cluster and
 * users.xml's <proxy uuid=...> use the same kind of id). buf holds 37
 * bytes at least. Returns 0, or -1 with err.
 */
#define PP_UUID_FILE		"uuid"
int pp_proxy_uuid(char *buf, size_t len, char *err, size_t errlen);

/*
 * The tftp or capf certificate exists: RSA 2048, self-signed,
 * CN=<tag><uuid>, subjectAltName the north address (network order, 0:
 * none). Kept when it is there and valid (*made false) unless regenerate;
 * made and installed otherwise (*made true). Returns 0, or -1 with err.
 */
int pp_cert_ensure(enum pp_cert_tag tag, uint32_t north, bool regenerate,
		   bool *made, char *err, size_t errlen);

#endif /* PP_CERT_H */
