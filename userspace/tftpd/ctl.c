// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The control socket of pp-tftpd (ctl.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf.h"
#include "ctl.h"
#include "file.h"
#include "log.h"
#include "tftpd.h"

struct conn {
	struct tftpd *d;
	int fd;
	struct event *ev;
};

void tftpd_reload(struct tftpd *d)
{
	char path[4096], *text, *end;
	size_t len;
	int rc, lvl;

	secure_reload(&d->secure);
	snprintf(path, sizeof(path), "%s/%s", pp_state_dir(), TFTPD_LOGLEVEL_FILE);
	rc = pp_file_read(path, 64, &text, &len);
	if (rc) {
		lvl = d->conf_loglevel;
	} else {
		end = text + strcspn(text, " \t\r\n");
		*end = '\0';
		lvl = tftpd_loglevel_parse(text);
		if (lvl < 0) {
			pp_warn("Tftp: %s: \"%s\" is not min, brief or full; keeping %s",
				path, text, tftpd_loglevel_name(pp_log_get_level()));
			lvl = pp_log_get_level();
		}
		free(text);
	}
	if (lvl != pp_log_get_level()) {
		/* Notices show at every level, "min" included. */
		pp_log_set_level(lvl);
		pp_notice("Tftp: loglevel %s", tftpd_loglevel_name(lvl));
	}
	d->conf.loglevel = lvl;
}

static void reply(struct conn *c, const char *req)
{
	struct tftpd *d = c->d;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	if (!strcmp(req, "stats")) {
		struct tftpd_gauges g = {
			.transfers_active = d->njobs,
			.cache_entries = d->cache_entries,
			.cache_bytes = d->cache_bytes,
			.loglevel = tftpd_loglevel_name(pp_log_get_level()),
		};

		tftpd_stats_write(f, &d->stats, &g);
	} else if (!strcmp(req, "reload")) {
		tftpd_reload(d);
		fputs("ok\n", f);
	} else {
		fprintf(f, "error unknown request\n");
	}
	if (fclose(f) == 0 && len <= TFTPD_CTL_MAX)
		send(c->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	free(buf);
}

static void on_conn(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	char req[64];
	ssize_t n;

	if (what & EV_READ) {
		n = recv(fd, req, sizeof(req) - 1, MSG_DONTWAIT);
		if (n > 0) {
			req[n] = '\0';
			req[strcspn(req, "\r\n")] = '\0';
			reply(c, req);
		}
	}
	event_free(c->ev);
	close(c->fd);
	free(c);
}

static void on_accept(evutil_socket_t fd, short what, void *arg)
{
	struct tftpd *d = arg;
	struct timeval tv = { .tv_sec = 2 };
	struct conn *c;
	int cfd;

	(void)what;
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(cfd);
		return;
	}
	c->d = d;
	c->fd = cfd;
	c->ev = event_new(d->base, cfd, EV_READ, on_conn, c);
	if (!c->ev || event_add(c->ev, &tv)) {
		if (c->ev)
			event_free(c->ev);
		close(cfd);
		free(c);
	}
}

int ctl_init(struct tftpd *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				    strlen(TFTPD_CTL_NAME));
	int fd;

	memcpy(sa.sun_path + 1, TFTPD_CTL_NAME, strlen(TFTPD_CTL_NAME));
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, len) < 0 || listen(fd, 16) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	d->ctl_ev = event_new(d->base, fd, EV_READ | EV_PERSIST, on_accept, d);
	if (!d->ctl_ev || event_add(d->ctl_ev, NULL)) {
		close(fd);
		return -ENOMEM;
	}
	d->ctl_fd = fd;
	return 0;
}

void ctl_fini(struct tftpd *d)
{
	if (d->ctl_ev)
		event_free(d->ctl_ev);
	if (d->ctl_fd >= 0)
		close(d->ctl_fd);
	d->ctl_ev = NULL;
	d->ctl_fd = -1;
}
