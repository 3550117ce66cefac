// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's counters as text.
 */
#include <inttypes.h>

#include "ctlsock.h"
#include "stats.h"

void tftpd_stats_write(FILE *f, const struct tftpd_stats *s,
		       const struct tftpd_gauges *g)
{
#define TFTPD_STATS_LINE(n) pp_ctl_stat(f, #n, s->n);
	TFTPD_COUNTERS(TFTPD_STATS_LINE)
#undef TFTPD_STATS_LINE
	pp_ctl_stat(f, "transfers_active", g->transfers_active);
	pp_ctl_stat(f, "cache_entries", g->cache_entries);
	pp_ctl_stat(f, "cache_bytes", g->cache_bytes);
	pp_ctl_stat_word(f, "loglevel", g->loglevel);
}
