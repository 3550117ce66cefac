// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * A daemon's control socket (ctlsock.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>

#include "ctlsock.h"

struct pp_ctl {
	struct event_base *base;
	pp_ctl_reply_fn fn;
	void *arg;
	int fd;
	struct event *ev;
};

struct conn {
	struct pp_ctl *ctl;
	int fd;
	struct event *ev;
};

static void on_conn(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	char req[PP_CTL_REQ_MAX + 1], *buf = NULL;
	size_t len = 0;
	FILE *f;
	ssize_t n;

	if (what & EV_READ) {
		n = recv(fd, req, sizeof(req) - 1, MSG_DONTWAIT);
		f = n > 0 ? open_memstream(&buf, &len) : NULL;
		if (f) {
			req[n] = '\0';
			req[strcspn(req, "\r\n")] = '\0';
			c->ctl->fn(c->ctl->arg, req, f);
			if (fclose(f) == 0 && len <= PP_CTL_MAX)
				send(c->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
			free(buf);
		}
	}
	event_free(c->ev);
	close(c->fd);
	free(c);
}

static void on_accept(evutil_socket_t fd, short what, void *arg)
{
	struct pp_ctl *ctl = arg;
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
	c->ctl = ctl;
	c->fd = cfd;
	c->ev = event_new(ctl->base, cfd, EV_READ, on_conn, c);
	if (!c->ev || event_add(c->ev, &tv)) {
		if (c->ev)
			event_free(c->ev);
		close(cfd);
		free(c);
	}
}

int pp_ctl_open(struct event_base *base, const char *name, pp_ctl_reply_fn fn, void *arg,
		struct pp_ctl **out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
	struct pp_ctl *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return -ENOMEM;
	*c = (struct pp_ctl){ .base = base, .fn = fn, .arg = arg };
	memcpy(sa.sun_path + 1, name, strlen(name));
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&sa, len) < 0 || listen(c->fd, 16) < 0) {
		err = -errno;
		if (c->fd >= 0)
			close(c->fd);
		free(c);
		return err;
	}
	c->ev = event_new(base, c->fd, EV_READ | EV_PERSIST, on_accept, c);
	if (!c->ev || event_add(c->ev, NULL)) {
		pp_ctl_close(c);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

void pp_ctl_close(struct pp_ctl *c)
{
	if (!c)
		return;
	if (c->ev)
		event_free(c->ev);
	close(c->fd);
	free(c);
}
