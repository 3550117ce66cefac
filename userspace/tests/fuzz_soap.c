// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the SOAP request parser (libxml2 underneath, DTDs and
 * entities refused) on arbitrary bytes; accepted requests are answered
 * and the answer must be built.
 *	make fuzz CC=clang && ../build/userspace/tests/fuzz_soap
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "soap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct pp_soap_req r;
	char err[512], *out = NULL;
	size_t len;
	int i;

	if (!init) {
		pp_soap_init();
		init = 1;
	}
	if (pp_soap_parse((const char *)data, size, &r, err, sizeof(err)) == PP_SOAP_OK) {
		const char *const *names = pp_soap_arg_names(r.method);

		for (i = 0; names[i]; i++)
			if (!r.args[i])
				__builtin_trap();	/* every argument is there */
		if (pp_soap_response(r.method, r.args[0], &out, &len))
			__builtin_trap();
		free(out);
		pp_soap_req_free(&r);
	} else {
		if (pp_soap_fault(PP_SOAP_ERR_CLIENT, err, &out, &len))
			__builtin_trap();
		free(out);
	}
	return 0;
}
