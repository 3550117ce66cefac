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
/*
 * "show stats", a daemon's section (its control socket's "stats" reply,
 * lib/ctlsock.h): rc is what pp_ctl_ask() returned, reply the text. Text:
 * "section" then "  name value" lines, or "section: <daemon> is not
 * running in this network namespace" (rc -ENOENT), or "section: <daemon>:
 * reason". With j: the member "section", an object of the names (numbers
 * as numbers), or null with a member "section_error" saying why.
 * Returns 0, or -1 when the daemon could not be read (not running
 * included): the rest of "show stats" is shown all the same.
 */
int ppctl_print_daemon_stats(FILE *f, struct pp_json *j, const char *section,
			     const char *daemon, int rc, const char *reply);
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
