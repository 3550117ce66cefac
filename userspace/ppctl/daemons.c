// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl's commands for the userspace daemons of the proxy: "show stats"
 * (their counters, read from their control sockets), and telling them
 * their settings changed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tftpd/ctl.h"
#include "conf.h"
#include "ctlsock.h"
#include "exec.h"
#include "file.h"
#include "json.h"
#include "nl.h"
#include "ops.h"
#include "output.h"
#include "parse.h"

/* The daemons with counters, in the order "show stats" shows them. */
static const struct {
	const char *section, *daemon, *ctl;
} daemons[] = {
	{ "tftp", "pp-tftpd", TFTPD_CTL_NAME },
	{ "tls", "pp-tlsd", PP_CTL_TLSD },
};

/* The module's sections, then each daemon's; a daemon not running (or
 * not answering) is said in its section and the others are shown. */
int ppctl_do_show_stats(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char *buf, err[256];
	struct pp_stats st;
	struct pp_json j;
	int rc = PPCTL_EXIT_OK;
	size_t i;

	(void)cmd;
	/* The module's: SCCP and media (registrations, streams, drops). */
	if (!ctx->nl && pp_nl_open(&ctx->nl, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show stats: %s", err);
	if (pp_stats_get(ctx->nl, &st))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show stats: %s",
			    pp_nl_error(ctx->nl));
	buf = malloc(PP_CTL_MAX + 1);
	if (!buf)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
	if (ctx->json) {
		pp_json_init(&j, ctx->out);
		pp_json_obj_begin(&j);
	}
	ppctl_print_call_stats(ctx->out, ctx->json ? &j : NULL, &st);
	for (i = 0; i < sizeof(daemons) / sizeof(daemons[0]); i++) {
		int n = pp_ctl_ask(daemons[i].ctl, "stats", buf, PP_CTL_MAX + 1);

		ppctl_print_daemon_stats(ctx->out, ctx->json ? &j : NULL, daemons[i].section,
					 daemons[i].daemon, n, buf);
		/* Not running is an answer; a daemon that does not answer is not. */
		if (n < 0 && n != -ENOENT)
			rc = ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show stats: %s: %s",
					daemons[i].daemon, strerror(-n));
	}
	if (ctx->json) {
		pp_json_obj_end(&j);
		fputc('\n', ctx->out);
	}
	free(buf);
	return rc;
}

/* The guide's "Clustering": pp-clusterd's view (docs/cluster.md). Not
 * running here is an error: there is no cluster state to show. */
int ppctl_do_show_cluster(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	struct pp_json j;
	char *buf;
	int n, rc;

	(void)cmd;
	buf = malloc(PP_CTL_MAX + 1);
	if (!buf)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
	n = pp_ctl_ask(PP_CTL_CLUSTERD, "stats", buf, PP_CTL_MAX + 1);
	if (ctx->json) {
		pp_json_init(&j, ctx->out);
		pp_json_obj_begin(&j);
	}
	rc = ppctl_print_daemon_stats(ctx->out, ctx->json ? &j : NULL, "cluster", "pp-clusterd",
				      n, buf);
	if (ctx->json) {
		pp_json_obj_end(&j);
		fputc('\n', ctx->out);
	}
	free(buf);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show cluster: %s",
				  n == -ENOENT ? "pp-clusterd is not running in this network namespace" :
				  n < 0 ? strerror(-n) : "bad reply from pp-clusterd");
	return PPCTL_EXIT_OK;
}

int ppctl_tell(struct ppctl_ctx *ctx, const char *daemon, const char *what)
{
	char reply[1024];
	int rc;

	/* A daemon running here takes it now; one elsewhere when it starts. */
	rc = pp_ctl_ask(daemon, "reload", reply, sizeof(reply));
	if (rc == -ENOENT || (rc >= 0 && !strcmp(reply, "ok\n")))
		return PPCTL_EXIT_OK;
	return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: saved, but pp-%s did not take it: %s", what,
			  strrchr(daemon, '/') + 1, rc < 0 ? strerror(-rc) :
			  strncmp(reply, "error ", 6) ? reply : reply + 6);
}
