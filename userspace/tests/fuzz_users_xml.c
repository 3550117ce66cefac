// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the users.xml reader on arbitrary bytes.
 *	make fuzz CC=clang && ../build/userspace/tests/fuzz_users_xml tests/data
 */
#include <stddef.h>
#include <stdint.h>

#include "users_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pp_users *u = NULL;
	char err[512];

	if (pp_users_parse_memory((const char *)data, size, "fuzz", &u, err,
				  sizeof(err)) == 0)
		pp_users_free(u);
	return 0;
}
