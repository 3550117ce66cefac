/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl's output: the guide's tables and settings as text, or JSON (-j).
 * Pure formatting, no netlink: unit tested.
 */
#ifndef PPCTL_OUTPUT_H
#define PPCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ops.h"

/* "show user": name, sid, addr or [inactive], duration, connected. */
void ppctl_print_users(FILE *f, bool json, const struct pp_user_state *users,
		       size_t n);
/* "show phoneproxy". */
void ppctl_print_config(FILE *f, bool json, const struct pp_config *cfg);
/* "show callmanager". */
void ppctl_print_ccms(FILE *f, bool json, const struct pp_ccm_state *ccms,
		      size_t n);
/* "show counters". */
void ppctl_print_stats(FILE *f, bool json, const struct pp_stats *st);
struct pp_json;
void ppctl_print_call_stats(FILE *f, struct pp_json *j, const struct pp_stats *st);
/* "show calls": one line (or JSON object) per media stream. */
void ppctl_print_calls(FILE *f, bool json, const struct pp_call_state *calls,
		       size_t n);
/* "monitor": one line (text or a JSON object) per event. */
void ppctl_print_event(FILE *f, bool json, const struct pp_event_info *ev);

/*
 * The running configuration as the commands that recreate it, one a line,
 * then "publish <users_path>" when users_path is not NULL.
 */
void ppctl_print_running(FILE *f, const struct pp_config *cfg,
			 const char *users_path);
/* "show config running|startup" with -j: {"path":..,"saved":..,
 * "commands":[lines without comments or blanks]}. path may be NULL. */
void ppctl_print_config_json(FILE *f, const char *path, bool saved,
			     const char *text);

/* The "connected" column: "c N:M", or "" when inactive or M is 0. */
const char *ppctl_connected_str(const struct pp_user_state *u, char *buf,
				size_t len);

#endif /* PPCTL_OUTPUT_H */
