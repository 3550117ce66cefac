// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: pp-clusterd's message decoder (lib/cluster.c) on
 * arbitrary bytes, as a CPG member could multicast them. What decodes must
 * encode back to the same bytes (the format has one encoding).
 *	make fuzz CC=clang && ../build/userspace/tests/fuzz_cluster tests/corpus/fuzz_cluster
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char out[PP_CLUSTER_MSG_MAX];
	struct pp_cluster_msg m;
	char err[256];
	long len;

	if (pp_cluster_decode(data, size, &m, err, sizeof(err)))
		return 0;
	len = pp_cluster_encode(&m, out, sizeof(out), err, sizeof(err));
	if (len != (long)size || memcmp(out, data, size))
		abort();
	pp_cluster_msg_free(&m);
	return 0;
}
