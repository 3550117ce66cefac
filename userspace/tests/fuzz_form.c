// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the activation page's form parser on arbitrary bytes.
 *	make fuzz CC=clang && ../build/userspace/tests/fuzz_form
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pp_form f;
	char err[256];

	if (pp_form_parse((const char *)data, size, &f, err, sizeof(err)) == 0) {
		/* What it accepts is bounded and terminated. */
		if (strlen(f.username) >= sizeof(f.username) ||
		    strlen(f.password) >= sizeof(f.password) || !f.username[0])
			__builtin_trap();
		pp_form_clear(&f);
	} else if (!memchr(err, '\0', sizeof(err))) {
		__builtin_trap();
	}
	return 0;
}
