// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the CTL set a CTL message carries (lib/cluster_certs.c
 * pp_cluster_ctl_parse), as a CPG member could multicast it: every length,
 * name and file bounded, each file parsed and its signature verified with
 * lib/tlv.c, or the whole set refused.
 *	make fuzz CC=clang && ../build/userspace/tests/fuzz_cluster_ctl tests/corpus/fuzz_cluster_ctl
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cluster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pp_cluster_ctlset set;
	char err[512];
	size_t i;

	if (pp_cluster_ctl_parse(data, size, &set, err, sizeof(err)))
		return 0;
	/* What passes lies inside the input, names a CTL file. */
	for (i = 0; i < set.n; i++)
		if (set.files[i].data < data || set.files[i].data + set.files[i].len > data + size ||
		    strncmp(set.files[i].name, "CTL", 3))
			__builtin_trap();
	pp_cluster_ctlset_free(&set);
	return 0;
}
