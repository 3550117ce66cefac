// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: the cluster.xml reader on arbitrary bytes. What it
 * accepts holds its own rules: unique uuids and north addresses, each
 * found again by both.
 *	make fuzz CC=clang && ../build/userspace/tests/fuzz_cluster_xml tests/corpus/fuzz_cluster_xml
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cluster_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pp_cluster_xml *c = NULL;
	char err[512];
	size_t i;

	if (pp_cluster_xml_parse((const char *)data, size, "fuzz", &c, err, sizeof(err)))
		return 0;
	if (!c || !c->nnodes || c->nnodes > PP_CLUSTER_NODES_MAX)
		abort();
	for (i = 0; i < c->nnodes; i++)
		if (pp_cluster_xml_find(c, c->nodes[i].uuid) != &c->nodes[i] ||
		    pp_cluster_xml_find_north(c, c->nodes[i].north_ip) != &c->nodes[i])
			abort();
	pp_cluster_xml_free(c);
	return 0;
}
