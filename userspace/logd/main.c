// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-logd: the one writer of phoneproxy.log (docs/logs.md). One event
 * loop: the lines of the daemons (pp-tftpd, pp-httpd, pp-tlsd,
 * pp-clusterd) on the abstract stream socket "phoneproxy/log", the
 * module's "events" group (activations, inactivations, the module loaded
 * or not), the control socket ("reload": the loglevel again; "stats")
 * and the signals. The loglevel ("set phoneproxy loglevel", kept in
 * tftpd.conf) is applied here, to every component's lines at once.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "daemon.h"
#include "log.h"
#include "logfile.h"
#include "ops.h"
#include "parse.h"
#include "tftpdconf.h"

/* A sender's connection. */
struct sender {
	TAILQ_ENTRY(sender) link;
	struct bufferevent *bev;
	struct logd *d;
};

struct logd {
	struct event_base *base;
	TAILQ_HEAD(, sender) senders_list;
	struct pp_logfile lf;
	struct evconnlistener *lis;
	struct pp_follow *follow;
	struct event *follow_ev;
	struct pp_ctl *ctl;
	struct pp_daemon_signals sig;
	const char *conf_path;
	int level;			/* PP_LOG_NOTICE (min), INFO (brief), DEBUG (full) */
	bool module;
	unsigned long long received, filtered, torn, too_long, senders;
};

static void put(struct logd *d, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void put(struct logd *d, int level, const char *fmt, ...)
{
	char text[PP_LOG_LINE_MAX];
	va_list ap;
	int rc;

	if (level > d->level) {
		d->filtered++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	rc = pp_logfile_write(&d->lf, text);
	if (rc && d->lf.write_errors == 1)
		pp_err("Log: %s/%s: %s (lines are lost until it can be written)", d->lf.dir,
		       d->lf.name[0] ? d->lf.name : PP_LOG_LINK, strerror(-rc));
}

/* Tell the senders (one, or all when s is NULL) the loglevel: they do not
 * format or send a line above it. */
static void tell_level(struct logd *d, struct sender *s)
{
	char msg[4] = { 'L', (char)('0' + d->level), '\n', 0 };

	if (s) {
		bufferevent_write(s->bev, msg, 3);
		return;
	}
	TAILQ_FOREACH(s, &d->senders_list, link)
		bufferevent_write(s->bev, msg, 3);
}

/* The loglevel from tftpd.conf; a bad file keeps the one in force. */
static void load_level(struct logd *d, bool announce)
{
	struct tftpd_conf c;
	char err[1200];

	tftpd_conf_defaults(&c);
	if (tftpd_conf_load(&c, d->conf_path, true, err, sizeof(err))) {
		pp_warn("Log: %s; keeping loglevel %s", err, tftpd_loglevel_name(d->level));
		return;
	}
	if (c.loglevel == d->level && !announce)
		return;
	d->level = c.loglevel;
	tell_level(d, NULL);
	pp_notice("Log: loglevel %s", tftpd_loglevel_name(d->level));
	put(d, PP_LOG_NOTICE, "Log: loglevel %s", tftpd_loglevel_name(d->level));
}

/* ---- the daemons' lines: "<level> <Component>: text\n" ---- */

static void take_line(struct logd *d, const char *s)
{
	char *end;
	long level;

	d->received++;
	errno = 0;
	level = strtol(s, &end, 10);
	if (errno || end == s || *end != ' ' || level < 0 || level > 7) {
		put(d, PP_LOG_NOTICE, "Log: malformed line from a sender dropped");
		return;
	}
	put(d, (int)level, "%s", end + 1);
}

static void sender_free(struct sender *s)
{
	TAILQ_REMOVE(&s->d->senders_list, s, link);
	bufferevent_free(s->bev);
	free(s);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	struct sender *snd = arg;
	struct logd *d = snd->d;
	size_t n;
	char *s;

	while ((s = evbuffer_readln(in, &n, EVBUFFER_EOL_LF))) {
		take_line(d, s);
		free(s);
	}
	/* No newline in a whole line's room: not a sender of ours. */
	if (evbuffer_get_length(in) > PP_LOG_LINE_MAX + 16) {
		d->too_long++;
		sender_free(snd);
	}
}

static void on_conn_event(struct bufferevent *bev, short what, void *arg)
{
	struct sender *snd = arg;

	/* A sender that does not read the loglevel and went away: its lines
	 * may still wait to be read; the read side ends the connection. */
	if (what & BEV_EVENT_WRITING) {
		bufferevent_disable(bev, EV_WRITE);
		evbuffer_drain(bufferevent_get_output(bev),
			       evbuffer_get_length(bufferevent_get_output(bev)));
		return;
	}
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		/* A piece without its newline was torn by a sender's timeout. */
		if (evbuffer_get_length(bufferevent_get_input(bev)))
			snd->d->torn++;
		sender_free(snd);
	}
}

static void on_accept(struct evconnlistener *lis, evutil_socket_t fd, struct sockaddr *sa,
		      int len, void *arg)
{
	struct logd *d = arg;
	struct sender *s;

	(void)lis;
	(void)sa;
	(void)len;
	s = calloc(1, sizeof(*s));
	if (s)
		s->bev = bufferevent_socket_new(d->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!s || !s->bev) {
		free(s);
		evutil_closesocket(fd);
		return;
	}
	s->d = d;
	TAILQ_INSERT_TAIL(&d->senders_list, s, link);
	d->senders++;
	bufferevent_setcb(s->bev, on_read, NULL, on_conn_event, s);
	bufferevent_setwatermark(s->bev, EV_READ, 0, PP_LOG_LINE_MAX * 64);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	tell_level(d, s);
}

static int listen_lines(struct logd *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int len = (int)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(PP_LOG_SOCKET));

	memcpy(sa.sun_path + 1, PP_LOG_SOCKET, strlen(PP_LOG_SOCKET));
	d->lis = evconnlistener_new_bind(d->base, on_accept, d,
					 LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 64,
					 (struct sockaddr *)&sa, len);
	if (!d->lis) {
		pp_err("Log: cannot listen on @%s: %s%s", PP_LOG_SOCKET, strerror(errno),
		       errno == EADDRINUSE ? " (pp-logd already runs in this network namespace)" :
		       "");
		return -1;
	}
	return 0;
}

/* ---- the module's events ---- */

static void on_config(const struct pp_config *cfg, void *arg)
{
	struct logd *d = arg;

	if (!cfg && d->module)
		put(d, PP_LOG_NOTICE, "Module: phoneproxy module not loaded");
	else if (cfg && !d->module)
		put(d, PP_LOG_NOTICE, "Module: phoneproxy module loaded");
	d->module = cfg != NULL;
}

/*
 * The SCCP proxy's registrations (the module's events): who, from where,
 * through to which CallManager; why one ended; a phone refused for
 * registering as another device than its user's SID.
 */
static void sccp_line(struct logd *d, const struct pp_event_info *ev)
{
	const char *reason = pp_reason_name(ev->reason);
	const char *user = ev->name[0] ? ev->name : "-";
	char a[16], c[16];

	pp_ipv4_str(ev->addr, a);
	pp_ipv4_str(ev->ccm_addr, c);
	if (ev->type == PP_EVENT_REGISTERED)
		put(d, PP_LOG_NOTICE, "Sccp: registered user=%s sid=%s addr=%s ccm=%s",
		    user, ev->sid, a, c);
	else if (ev->type == PP_EVENT_UNREGISTERED)
		put(d, PP_LOG_NOTICE, "Sccp: unregistered user=%s sid=%s addr=%s ccm=%s reason=%s",
		    user, ev->sid, a, c, reason ? reason : "?");
	else
		put(d, PP_LOG_WARNING,
		    "Sccp: refused user=%s sid=%s addr=%s ccm=%s: registered as device \"%s\", not the user's SID: connection reset",
		    user, ev->sid, a, c, ev->device);
}

static void on_event(const struct pp_event_info *ev, void *arg)
{
	const char *reason = pp_reason_name(ev->reason);
	struct logd *d = arg;
	char a[16];

	if (ev->type == PP_EVENT_REGISTERED || ev->type == PP_EVENT_UNREGISTERED ||
	    ev->type == PP_EVENT_REFUSED) {
		sccp_line(d, ev);
		return;
	}
	if (ev->type != PP_EVENT_ACTIVATED && ev->type != PP_EVENT_INACTIVATED)
		return;
	put(d, PP_LOG_NOTICE, "Activation: %s user=%s sid=%s addr=%s reason=%s",
	    ev->type == PP_EVENT_ACTIVATED ? "activated" : "inactivated", ev->name,
	    ev->sid[0] ? ev->sid : "-", pp_ipv4_str(ev->addr, a), reason ? reason : "?");
}

static void on_follow(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pp_follow_read(((struct logd *)arg)->follow);
}

/* ---- control ---- */

static void on_ctl(void *arg, const char *req, FILE *f)
{
	struct logd *d = arg;

	if (!strcmp(req, "reload")) {
		load_level(d, false);
		fputs("ok\n", f);
	} else if (!strcmp(req, "stats")) {
		pp_ctl_stat(f, "lines_received", d->received);
		pp_ctl_stat(f, "lines_written", d->lf.written);
		pp_ctl_stat(f, "lines_below_loglevel", d->filtered);
		pp_ctl_stat(f, "lines_torn", d->torn);
		pp_ctl_stat(f, "write_errors", d->lf.write_errors);
		pp_ctl_stat(f, "rotations", d->lf.rotations);
		pp_ctl_stat(f, "senders", d->senders);
		pp_ctl_stat_word(f, "loglevel", tftpd_loglevel_name(d->level));
		pp_ctl_stat_word(f, "file", d->lf.name[0] ? d->lf.name : "-");
	} else {
		fputs("error unknown request\n", f);
	}
}

static void on_hup(void *arg)
{
	load_level(arg, false);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pp-logd [-e] [-c FILE] [-t]\n"
		"  -c FILE  the settings holding \"set phoneproxy loglevel\" (default\n"
		"           $PP_CONF_DIR/" TFTPD_CONF_FILE ")\n"
		"  -e       log to stderr instead of syslog\n"
		"  -t       check the settings and the log directory, and exit\n"
		"Writes phoneproxy.log in $" PP_LOG_DIR_ENV " (default " PP_LOG_DIR_DEFAULT "):\n"
		"the daemons' lines and the module's activations, rotated after %u lines\n"
		"or at midnight, keeping $" PP_LOG_KEEP_ENV " (default %u) log-*.txt files.\n",
		PP_LOG_MAX_LINES, PP_LOG_KEEP_DEFAULT);
}

int main(int argc, char **argv)
{
	static struct logd d;
	struct pp_daemon_args args;
	const char *keep_s = getenv(PP_LOG_KEEP_ENV);
	unsigned long keep = PP_LOG_KEEP_DEFAULT;
	struct tftpd_conf c;
	char err[1200];
	int rc;

	TAILQ_INIT(&d.senders_list);
	rc = pp_daemon_args(argc, argv, "pp-logd", TFTPD_CONF_FILE, usage, &args);
	if (rc >= 0)
		return rc;
	d.conf_path = args.conf;
	if (keep_s && *keep_s) {
		char *end;

		errno = 0;
		keep = strtoul(keep_s, &end, 10);
		if (errno || *end || keep < 1 || keep > 100000) {
			pp_err("Log: %s=%s: not a number of files from 1 to 100000",
			       PP_LOG_KEEP_ENV, keep_s);
			return 1;
		}
	}
	tftpd_conf_defaults(&c);
	if (tftpd_conf_load(&c, d.conf_path, args.conf_optional, err, sizeof(err))) {
		pp_err("Log: %s", err);
		return 1;
	}
	d.level = c.loglevel;
	if (pp_logfile_open(&d.lf, pp_log_dir(), (unsigned int)keep, err, sizeof(err))) {
		pp_err("Log: %s", err);
		return 1;
	}
	if (args.test) {
		printf("%s: ok; %s: ok\n", d.conf_path, pp_log_dir());
		pp_logfile_close(&d.lf);
		return 0;
	}
	rc = 1;
	d.base = event_base_new();
	if (!d.base) {
		pp_err("Log: cannot create the event loop");
		goto out;
	}
	if (listen_lines(&d))
		goto out;
	if (pp_daemon_ctl(d.base, PP_CTL_LOGD, "Log", "pp-logd", on_ctl, &d, &d.ctl))
		goto out;
	d.module = true;
	if (pp_follow_open(&d.follow, on_config, &d, err, sizeof(err))) {
		pp_err("Log: %s", err);
		goto out;
	}
	pp_follow_events(d.follow, on_event);
	d.follow_ev = event_new(d.base, pp_follow_fd(d.follow), EV_READ | EV_PERSIST, on_follow,
				&d);
	if (!d.follow_ev || event_add(d.follow_ev, NULL)) {
		pp_err("Log: cannot set up the event loop");
		goto out;
	}
	if (pp_daemon_signals_add(&d.sig, d.base, "Log", on_hup, NULL, &d))
		goto out;
	pp_notice("Log: pp-logd started (%s, loglevel %s, %lu files kept)", pp_log_dir(),
		  tftpd_loglevel_name(d.level), keep);
	put(&d, PP_LOG_NOTICE, "Log: pp-logd started (loglevel %s, %lu files kept)",
	    tftpd_loglevel_name(d.level), keep);
	rc = event_base_dispatch(d.base) < 0 ? 1 : 0;
	put(&d, PP_LOG_NOTICE, "Log: pp-logd stopped");
out:
	if (d.follow_ev)
		event_free(d.follow_ev);
	pp_daemon_signals_free(&d.sig);
	pp_ctl_close(d.ctl);
	pp_follow_close(d.follow);
	while (!TAILQ_EMPTY(&d.senders_list))
		sender_free(TAILQ_FIRST(&d.senders_list));
	if (d.lis)
		evconnlistener_free(d.lis);
	if (d.base)
		event_base_free(d.base);
	pp_logfile_close(&d.lf);
	pp_log_close();
	return rc;
}
