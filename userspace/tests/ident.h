/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * A test identity: an RSA key and its self-signed certificate with the
 * common name cn, made by lib/cert.c (pp_cert_selfsigned) as the daemons
 * make theirs, with the certificate's DER. For the unit tests of the CTL
 * and of what pp-clusterd replicates of it.
 */
#ifndef PP_TEST_IDENT_H
#define PP_TEST_IDENT_H

#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cert.h"
#include "tap.h"

struct ident {
	EVP_PKEY *key;
	X509 *cert;
	unsigned char *der;
	int der_len;
};

static inline int make_ident(struct ident *id, int bits, const char *cn)
{
	char *pem = NULL, err[256];
	size_t len = 0;
	BIO *b;

	memset(id, 0, sizeof(*id));
	if (pp_cert_selfsigned(bits, cn, NULL, 0, &pem, &len, err, sizeof(err))) {
		diag("%s: %s", cn, err);
		return -1;
	}
	b = BIO_new_mem_buf(pem, (int)len);
	id->key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	b = BIO_new_mem_buf(pem, (int)len);
	id->cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	free(pem);
	if (!id->key || !id->cert)
		return -1;
	id->der_len = i2d_X509(id->cert, &id->der);
	return id->der_len > 0 ? 0 : -1;
}

#endif /* PP_TEST_IDENT_H */
