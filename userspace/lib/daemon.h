/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * What the daemons (pp-tftpd, pp-tlsd) do the same way at start-up: the
 * command line "[-e] [-c FILE] [-t]", the log, the settings file's path,
 * the descriptor limit, the control socket and the signals of the event
 * loop (SIGTERM and SIGINT stop it, SIGHUP reloads, SIGUSR1 optional).
 */
#ifndef PP_DAEMON_H
#define PP_DAEMON_H

#include <stdbool.h>
#include <stdio.h>

#include "ctlsock.h"

struct event;
struct event_base;

struct pp_daemon_args {
	const char *conf;	/* -c FILE, else $PP_CONF_DIR/<conf_file> */
	bool conf_optional;	/* no -c: a missing file is the defaults */
	bool to_stderr;		/* -e */
	bool test;		/* -t: check the settings and exit */
	char path[4096];
};

/*
 * Parse argv, open the log as name (syslog unless -e or -t). Returns -1
 * to go on, or the exit status (-h: 0; a bad argument: 2, usage on
 * stderr).
 */
int pp_daemon_args(int argc, char **argv, const char *name, const char *conf_file,
		   void (*usage)(FILE *f), struct pp_daemon_args *a);

/* Raise RLIMIT_NOFILE to 2 descriptors per unit (the setting's value)
 * plus 64; a warning "tag: only N file descriptors (setting U wants M)"
 * when the hard limit is lower. */
void pp_daemon_nofile(unsigned int units, const char *tag, const char *setting);

/* pp_ctl_open() with the failure logged ("tag: control socket: reason",
 * naming daemon when it already runs in this namespace). 0 or -errno. */
int pp_daemon_ctl(struct event_base *base, const char *name, const char *tag,
		  const char *daemon, pp_ctl_reply_fn fn, void *arg, struct pp_ctl **out);

/* The loop's signals: SIGTERM, SIGINT end the loop ("tag: stopping on
 * signal N"), SIGHUP calls hup, SIGUSR1 usr1 (when not NULL); SIGPIPE is
 * ignored. */
struct pp_daemon_signals {
	struct event_base *base;
	const char *tag;
	void (*hup)(void *arg);
	void (*usr1)(void *arg);
	void *arg;
	struct event *ev[4];
};

/* 0, or -1 ("tag: cannot set up the event loop" logged). */
int pp_daemon_signals_add(struct pp_daemon_signals *s, struct event_base *base,
			  const char *tag, void (*hup)(void *), void (*usr1)(void *),
			  void *arg);
void pp_daemon_signals_free(struct pp_daemon_signals *s);

#endif /* PP_DAEMON_H */
