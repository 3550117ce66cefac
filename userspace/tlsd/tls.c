// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The phone-facing TLS context (docs/secure-sccp.md, "TLS settings"):
 * TLS 1.0 to 1.2 because the phones' firmware is old, AES128-SHA with RSA
 * key exchange for the oldest, ECDHE-RSA with AES-GCM for the newer;
 * nothing weaker; no compression, no renegotiation, no session tickets.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "cert.h"
#include "log.h"
#include "tlsd.h"

#define PHONE_CIPHERS \
	"ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA"

/* Without a CA bundle any client certificate is taken (its key is still
 * proven by CertificateVerify); it only narrows what the phone may
 * register as. */
static int accept_any(int ok, X509_STORE_CTX *x)
{
	(void)ok;
	(void)x;
	return 1;
}

SSL_CTX *tlsd_ctx_new(const char *certfile, const char *cafile, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	ERR_clear_error();
	if (!ctx) {
		snprintf(err, errlen, "cannot make a TLS context: %s", pp_ssl_reason());
		return NULL;
	}
	/* Level 0 in this context only: TLS 1.0 signs with SHA-1 (MD5+SHA-1),
	 * which level 1 refuses. The cipher list below is the real limit. */
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_default_passwd_cb(ctx, pp_no_passphrase);
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_cipher_list(ctx, PHONE_CIPHERS) ||
	    !SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384")) {
		snprintf(err, errlen, "TLS settings refused: %s", pp_ssl_reason());
		goto fail;
	}
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
			    SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (SSL_CTX_use_certificate_chain_file(ctx, certfile) != 1) {
		snprintf(err, errlen, "%s: certificate: %s", certfile, pp_ssl_reason());
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, certfile, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(err, errlen, "%s: private key: %s", certfile, pp_ssl_reason());
		goto fail;
	}
	if (cafile && *cafile) {
		STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(cafile);

		if (SSL_CTX_load_verify_locations(ctx, cafile, NULL) != 1 || !names) {
			sk_X509_NAME_pop_free(names, X509_NAME_free);
			snprintf(err, errlen, "%s: CA bundle: %s", cafile, pp_ssl_reason());
			goto fail;
		}
		SSL_CTX_set_client_CA_list(ctx, names);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	} else {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any);
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

int tlsd_cert_device(X509 *x, char dev[TLSD_DEVICE_LEN + 1])
{
	char cn[256];
	const char *p;
	int len, i;

	if (!x)
		return -1;
	len = X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof(cn));
	if (len < TLSD_DEVICE_LEN || (size_t)len >= sizeof(cn))
		return -1;
	/* "SEP001122334455" or "CP-7961G-SEP001122334455": the last 15. */
	p = cn + len - TLSD_DEVICE_LEN;
	if (p != cn && p[-1] != '-')
		return -1;
	if (strncasecmp(p, "SEP", 3))
		return -1;
	for (i = 0; i < TLSD_DEVICE_LEN; i++) {
		if (i >= 3 && !isxdigit((unsigned char)p[i]))
			return -1;
		dev[i] = (char)toupper((unsigned char)p[i]);
	}
	dev[TLSD_DEVICE_LEN] = '\0';
	return 0;
}
