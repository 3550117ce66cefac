// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the CTL and .sgn readers (lib/tlv.c) on arbitrary
 * bytes, as a hostile TFTP server would serve them to a phone.
 *	make fuzz CC=clang && ../build/userspace/tests/fuzz_tlv tests/corpus/fuzz_tlv
 * The seeds are a CTL and a .sgn; the certificate the .sgn is checked with
 * is made once (1024 bits: the checks before the signature are the target).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <openssl/bio.h>
#include <openssl/pem.h>

#include "cert.h"
#include "tlv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static X509 *cert;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *d;
	struct pp_ctl ctl;
	char err[512];
	size_t dlen;

	if (!cert) {
		char *pem = NULL;
		size_t len = 0;
		BIO *b;

		if (pp_cert_selfsigned(1024, "fuzz", NULL, 0, &pem, &len, err, sizeof(err)))
			abort();
		b = BIO_new_mem_buf(pem, (int)len);
		cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
		BIO_free(b);
		free(pem);
		if (!cert)
			abort();
	}
	if (pp_ctl_parse(data, size, &ctl, err, sizeof(err)) == 0)
		pp_ctl_free(&ctl);
	pp_sgn_verify(data, size, cert, &d, &dlen, err, sizeof(err));
	return 0;
}
