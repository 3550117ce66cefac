// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's counters as text.
 */
#include <inttypes.h>

#include "stats.h"

void tftpd_stats_write(FILE *f, const struct tftpd_stats *s,
		       const struct tftpd_gauges *g)
{
#define TFTPD_STATS_LINE(n) fprintf(f, "%s %" PRIu64 "\n", #n, s->n);
	TFTPD_COUNTERS(TFTPD_STATS_LINE)
#undef TFTPD_STATS_LINE
	fprintf(f, "transfers_active %" PRIu64 "\n", g->transfers_active);
	fprintf(f, "cache_entries %" PRIu64 "\n", g->cache_entries);
	fprintf(f, "cache_bytes %" PRIu64 "\n", g->cache_bytes);
	fprintf(f, "loglevel %s\n", g->loglevel);
}
