// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * TLS for the browser-facing listeners: TLS 1.2 and 1.3 only, forward
 * secret AEAD ciphers only, no compression, no renegotiation.
 */
#include <stdio.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>

#include "cert.h"
#include "httpd.h"
#include "log.h"

/* TLS 1.2: ECDHE key exchange, AES-GCM or ChaCha20-Poly1305. TLS 1.3's
 * own suites are all of that kind already. */
#define TLS12_CIPHERS \
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

SSL_CTX *tls_server_ctx(const char *path, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	X509 *x;
	int bits = 0;

	ERR_clear_error();
	if (!ctx) {
		snprintf(err, errlen, "cannot make a TLS context: %s", pp_ssl_reason());
		return NULL;
	}
	/* The guide allows 1024-bit keys: accept them (level 1), and keep
	 * level 2 for anything stronger. */
	SSL_CTX_set_security_level(ctx, 1);
	SSL_CTX_set_default_passwd_cb(ctx, pp_no_passphrase);
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) ||
	    !SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384")) {
		snprintf(err, errlen, "TLS settings refused: %s", pp_ssl_reason());
		goto fail;
	}
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
			    SSL_OP_CIPHER_SERVER_PREFERENCE);
	if (SSL_CTX_use_certificate_chain_file(ctx, path) != 1) {
		snprintf(err, errlen, "%s: certificate: %s", path, pp_ssl_reason());
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, path, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(err, errlen, "%s: private key: %s", path, pp_ssl_reason());
		goto fail;
	}
	x = SSL_CTX_get0_certificate(ctx);
	if (x && X509_get0_pubkey(x))
		bits = EVP_PKEY_get_bits(X509_get0_pubkey(x));
	if (bits >= 2048)
		SSL_CTX_set_security_level(ctx, 2);
	else
		pp_warn("%s: a %d-bit key is weak; install a 2048-bit one", path, bits);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

struct bufferevent *tls_bevcb(struct event_base *base, void *arg)
{
	SSL_CTX *ctx = arg;
	SSL *ssl = SSL_new(ctx);
	struct bufferevent *bev;

	if (!ssl)
		return NULL;
	bev = bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
					     BEV_OPT_CLOSE_ON_FREE);
	if (bev)
		bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
}
