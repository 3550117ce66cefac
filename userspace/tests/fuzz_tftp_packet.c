// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the TFTP wire code shared with the module on
 * arbitrary bytes: requests, packets, file name classification, and the
 * builders fed with what the parsers accepted (round trip).
 *	make fuzz CC=clang &&
 *	  ../build/userspace/tests/fuzz_tftp_packet tests/data/tftp
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tftp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tftp_request r, r2;
	struct tftp_packet p;
	struct tftp_file_class fc;
	char canon[TFTP_FILENAME_MAX + 1];
	uint8_t b[TFTP_REQUEST_MAX + 64];
	int n;

	if (tftp_parse_request(data, size, &r) == 0) {
		tftp_classify(r.filename, &fc);
		tftp_canonical_name(r.filename, canon);
		if (strlen(canon) != strlen(r.filename))
			abort();
		/* What was accepted builds again and parses to the same. */
		n = tftp_build_request(b, sizeof(b), r.opcode, r.filename, r.mode, &r.opts);
		if (n > 0) {
			if (tftp_parse_request(b, (size_t)n, &r2) ||
			    strcmp(r.filename, r2.filename) ||
			    r2.opts.present != r.opts.present ||
			    r2.opts.blksize != r.opts.blksize ||
			    r2.opts.tsize != r.opts.tsize ||
			    r2.opts.timeout != r.opts.timeout)
				abort();
		}
	}
	if (tftp_parse_packet(data, size, &p) == 0 && p.opcode == TFTP_OACK &&
	    p.opts.present) {
		n = tftp_build_oack(b, sizeof(b), &p.opts);
		if (n < 0)
			abort();
	}
	/* File names are C strings: classify the bytes up to a NUL. */
	if (size > 0 && size <= TFTP_FILENAME_MAX && !memchr(data, 0, size)) {
		char name[TFTP_FILENAME_MAX + 1];

		memcpy(name, data, size);
		name[size] = '\0';
		tftp_classify(name, &fc);
		tftp_canonical_name(name, canon);
		if (fc.mac[0] && strlen(fc.mac) != 12)
			abort();
	}
	return 0;
}
