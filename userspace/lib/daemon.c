// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The daemons' common start-up (daemon.h).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <event2/event.h>

#include "conf.h"
#include "daemon.h"
#include "log.h"

int pp_daemon_args(int argc, char **argv, const char *name, const char *conf_file,
		   void (*usage)(FILE *f), struct pp_daemon_args *a)
{
	int opt;

	memset(a, 0, sizeof(*a));
	while ((opt = getopt(argc, argv, "c:eth")) != -1) {
		switch (opt) {
		case 'c':
			a->conf = optarg;
			break;
		case 'e':
			a->to_stderr = true;
			break;
		case 't':
			a->test = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	pp_log_open(name, !a->to_stderr && !a->test);
	a->conf_optional = !a->conf;
	if (!a->conf) {
		snprintf(a->path, sizeof(a->path), "%s/%s", pp_conf_dir(), conf_file);
		a->conf = a->path;
	}
	return -1;
}

void pp_daemon_nofile(unsigned int units, const char *tag, const char *setting)
{
	rlim_t want = (rlim_t)units * 2 + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < want)
		pp_warn("%s: only %llu file descriptors (%s %u wants %llu)", tag,
			(unsigned long long)rl.rlim_cur, setting, units,
			(unsigned long long)want);
}

int pp_daemon_ctl(struct event_base *base, const char *name, const char *tag,
		  const char *daemon, pp_ctl_reply_fn fn, void *arg, struct pp_ctl **out)
{
	int rc = pp_ctl_open(base, name, fn, arg, out);

	if (rc)
		pp_err("%s: control socket: %s%s%s%s", tag, strerror(-rc),
		       rc == -EADDRINUSE ? " (" : "", rc == -EADDRINUSE ? daemon : "",
		       rc == -EADDRINUSE ? " already runs in this network namespace)" : "");
	return rc;
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct pp_daemon_signals *s = arg;

	(void)what;
	if (sig == SIGHUP) {
		s->hup(s->arg);
		return;
	}
	if (sig == SIGUSR1) {
		s->usr1(s->arg);
		return;
	}
	pp_notice("%s: stopping on signal %d", s->tag, (int)sig);
	event_base_loopbreak(s->base);
}

int pp_daemon_signals_add(struct pp_daemon_signals *s, struct event_base *base,
			  const char *tag, void (*hup)(void *), void (*usr1)(void *),
			  void *arg)
{
	static const int sigs[4] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
	int i;

	*s = (struct pp_daemon_signals){ .base = base, .tag = tag, .hup = hup, .usr1 = usr1,
					 .arg = arg };
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < 4; i++) {
		if (sigs[i] == SIGUSR1 && !usr1)
			continue;
		s->ev[i] = evsignal_new(base, sigs[i], on_signal, s);
		if (!s->ev[i] || event_add(s->ev[i], NULL)) {
			pp_err("%s: cannot set up the event loop", tag);
			return -1;
		}
	}
	return 0;
}

void pp_daemon_signals_free(struct pp_daemon_signals *s)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (s->ev[i])
			event_free(s->ev[i]);
		s->ev[i] = NULL;
	}
}
