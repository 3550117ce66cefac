// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the CSV import of users on arbitrary bytes, against a
 * fixed published users.xml; what it accepts must be a users.xml that the
 * users.xml reader accepts (the import checks that itself: a refusal
 * there is a bug, reported by abort()).
 *	make fuzz CC=clang && ../build/userspace/tests/fuzz_users_csv tests/corpus/fuzz_users_csv
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "users_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base_xml[] =
	"<users name=\"fuzz\">"
	"<ccm name=\"ccm\" default=\"true\"><address>198.51.100.109</address></ccm>"
	"<ccm name=\"ccm2\"><address>198.51.100.110</address></ccm>"
	"<proxy uuid=\"p1\"/></users>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pp_users *base;
	struct pp_csv_import st;
	char err[512], *xml;
	size_t len;

	if (!base && pp_users_parse_memory(base_xml, sizeof(base_xml) - 1, "base",
					   &base, err, sizeof(err)))
		abort();
	/* Clear passwords cost a PBKDF2 each (1000 iterations, the least). */
	if (pp_users_csv_import((const char *)data, size, "fuzz", base, 1000, &xml, &len,
				NULL, &st, err, sizeof(err)) == 0)
		free(xml);
	else if (!strncmp(err, "fuzz:1: refused after conversion", 32))
		abort();
	return 0;
}
