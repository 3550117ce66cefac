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
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../tftpd/ctl.h"
#include "conf.h"
#include "exec.h"
#include "file.h"
#include "json.h"
#include "nl.h"
#include "ops.h"
#include "output.h"
#include "parse.h"

/*
 * Ask a daemon of this network namespace over its abstract control
 * socket. Returns the reply's length, -ENOENT when the daemon does not
 * run here, or another -errno.
 */
static int ask(const char *name, const char *req, char *buf, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				      strlen(name));
	struct timeval tv = { .tv_sec = 3 };
	ssize_t n;
	int fd, err;

	memcpy(sa.sun_path + 1, name, strlen(name));
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, salen) < 0) {
		err = errno == ECONNREFUSED ? -ENOENT : -errno;
		close(fd);
		return err;
	}
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	n = recv(fd, buf, len - 1, 0);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (n < 0)
		return err;
	buf[n] = '\0';
	return (int)n;
}

int ppctl_do_show_stats(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char *buf, *line, *p, err[256];
	struct pp_stats st;
	struct pp_json j;
	int n;

	(void)cmd;
	/* The module's: SCCP and media (registrations, streams, drops). */
	if (!ctx->nl && pp_nl_open(&ctx->nl, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show stats: %s", err);
	if (pp_stats_get(ctx->nl, &st))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show stats: %s",
			    pp_nl_error(ctx->nl));
	buf = malloc(TFTPD_CTL_MAX + 1);
	if (!buf)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
	n = ask(TFTPD_CTL_NAME, "stats", buf, TFTPD_CTL_MAX + 1);
	if (n < 0 && n != -ENOENT) {
		free(buf);
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show stats: pp-tftpd: %s",
			    strerror(-n));
	}
	if (ctx->json) {
		pp_json_init(&j, ctx->out);
		pp_json_obj_begin(&j);
		ppctl_print_call_stats(ctx->out, &j, &st);
		if (n < 0) {
			pp_json_kv_null(&j, "tftp");
		} else {
			pp_json_key(&j, "tftp");
			pp_json_obj_begin(&j);
		}
	} else {
		ppctl_print_call_stats(ctx->out, NULL, &st);
		fprintf(ctx->out, "tftp%s\n", n < 0 ?
			": pp-tftpd is not running in this network namespace" : "");
	}
	for (p = n < 0 ? NULL : buf; p && (line = strsep(&p, "\n"));) {
		char *val = strchr(line, ' ');
		uint64_t v;

		if (!*line || !val)
			continue;
		*val++ = '\0';
		if (ctx->json) {
			if (pp_parse_uint(val, 0, UINT64_MAX, &v) == 0)
				pp_json_kv_u64(&j, line, v);
			else
				pp_json_kv_str(&j, line, val);
		} else {
			fprintf(ctx->out, "  %-28s%s\n", line, val);
		}
	}
	if (ctx->json) {
		if (n >= 0)
			pp_json_obj_end(&j);
		pp_json_obj_end(&j);
		fputc('\n', ctx->out);
	}
	free(buf);
	return PPCTL_EXIT_OK;
}

int ppctl_tell(struct ppctl_ctx *ctx, const char *daemon, const char *what)
{
	char reply[1024];
	int rc;

	/* A daemon running here takes it now; one elsewhere when it starts. */
	rc = ask(daemon, "reload", reply, sizeof(reply));
	if (rc == -ENOENT || (rc >= 0 && !strcmp(reply, "ok\n")))
		return PPCTL_EXIT_OK;
	return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: saved, but pp-%s did not take it: %s", what,
			  strrchr(daemon, '/') + 1, rc < 0 ? strerror(-rc) :
			  strncmp(reply, "error ", 6) ? reply : reply + 6);
}
