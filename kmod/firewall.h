/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_FIREWALL_H
#define _PP_FIREWALL_H

#include <linux/types.h>
#include <linux/u64_stats_sync.h>

#include "pernet.h"

/* The north firewall's verdict counters, one set per CPU. */
struct pp_fw_stats {
	u64_stats_t accept_web;
	u64_stats_t accept_activated;
	u64_stats_t accept_open;
	u64_stats_t accept_reply;
	u64_stats_t drop;
	struct u64_stats_sync syncp;
};

/* The counters summed over the CPUs. */
struct pp_fw_totals {
	u64 accept_web;
	u64 accept_activated;
	u64 accept_open;
	u64 accept_reply;
	u64 drop;
};

/*
 * Take conntrack (and defrag) for the namespace and register the hook;
 * undone by pp_fw_exit().
 */
int pp_fw_init(struct pp_net *pn);
void pp_fw_exit(struct pp_net *pn);

void pp_fw_totals(struct pp_net *pn, struct pp_fw_totals *tot);

#endif /* _PP_FIREWALL_H */
