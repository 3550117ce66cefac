// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Logging to stderr or syslog.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "logfile.h"

static const char *log_ident = "phoneproxy";
static bool log_syslog;
static int log_level = PP_LOG_INFO;

void pp_log_open(const char *ident, bool to_syslog)
{
	if (ident)
		log_ident = ident;
	log_syslog = to_syslog;
	if (log_syslog)
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void pp_log_close(void)
{
	if (log_syslog)
		closelog();
	log_syslog = false;
}

void pp_log_set_level(int level)
{
	log_level = level;
}

int pp_log_get_level(void)
{
	return log_level;
}

static const char *level_prefix(int level)
{
	switch (level) {
	case PP_LOG_WARNING:
		return "warning: ";
	case PP_LOG_DEBUG:
		return "debug: ";
	default:
		return "";
	}
}

/* ---- the lines sent to pp-logd ---- */

static const char *logd_component;
static int logd_fd = -1;
static time_t logd_next_try, logd_level_read;
static unsigned long long logd_dropped;
/* pp-logd's loglevel, as it tells its senders ("L<level>\n" on connect and
 * on every change): lines above it are not even formatted. Until told:
 * brief. */
static int logd_level = PP_LOG_INFO;

void pp_log_to_logd(const char *component)
{
	logd_component = component;
}

unsigned long long pp_log_logd_dropped(void)
{
	return logd_dropped;
}

/* The last "L<level>\n" pp-logd sent (flags: 0 waits up to SO_RCVTIMEO). */
static void logd_read_level(int flags)
{
	char buf[64];
	ssize_t n, i;

	while ((n = recv(logd_fd, buf, sizeof(buf), flags)) > 0) {
		for (i = 0; i + 2 < n; i++)
			if (buf[i] == 'L' && buf[i + 1] >= '0' && buf[i + 1] <= '7' &&
			    buf[i + 2] == '\n')
				logd_level = buf[i + 1] - '0';
		flags = MSG_DONTWAIT;
	}
}

static int logd_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				    strlen(PP_LOG_SOCKET));
	struct timeval tv = { .tv_sec = 0, .tv_usec = 500000 };
	time_t now = time(NULL);
	int fd;

	if (now < logd_next_try)
		return -1;
	/* Not there: try again in a second, not on every line. */
	logd_next_try = now + 1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memcpy(sa.sun_path + 1, PP_LOG_SOCKET, strlen(PP_LOG_SOCKET));
	/* A pp-logd that stops reading holds a daemon up 0.5 s a line at
	 * most; the connection is then dropped (no torn line goes on it). */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) ||
	    connect(fd, (struct sockaddr *)&sa, len)) {
		close(fd);
		return -1;
	}
	logd_next_try = 0;
	logd_fd = fd;
	/* pp-logd says its loglevel at once; wait for it a little. */
	tv.tv_usec = 200000;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	logd_read_level(0);
	return 0;
}

/* One line, written whole or the connection is given up. */
static void logd_send(int level, const char *msg)
{
	char line[PP_LOG_LINE_MAX];
	size_t clen = strlen(logd_component);
	bool has = !strncmp(msg, logd_component, clen) && msg[clen] == ':';
	int n, tries;

	n = snprintf(line, sizeof(line), "%d %s%s%s", level, has ? "" : logd_component,
		     has ? "" : ": ", msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	for (char *p = line; p < line + n; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	line[n++] = '\n';
	for (tries = 0; tries < 2; tries++) {
		ssize_t w;

		if (logd_fd < 0 && logd_connect())
			break;
		w = send(logd_fd, line, (size_t)n, MSG_NOSIGNAL);
		if (w == n)
			return;
		close(logd_fd);
		logd_fd = -1;
		if (w > 0)		/* torn: pp-logd drops the piece at EOF */
			break;
	}
	logd_dropped++;
}

/* Whether pp-logd wants a line of this level (its loglevel read again at
 * most once a second). */
static bool logd_wants(int level)
{
	time_t now;

	if (!logd_component)
		return false;
	now = time(NULL);
	if (logd_fd >= 0 && now != logd_level_read) {
		logd_level_read = now;
		logd_read_level(MSG_DONTWAIT);
	}
	return level <= logd_level;
}

void pp_log(int level, const char *fmt, ...)
{
	char msg[PP_LOG_LINE_MAX];
	int e = errno;			/* for a %m in fmt */
	bool to_logd = logd_wants(level);
	va_list ap;

	if (level > log_level && !to_logd)
		return;
	errno = e;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (level <= log_level) {
		if (log_syslog)
			syslog(level, "%s", msg);
		else
			fprintf(stderr, "%s: %s%s\n", log_ident, level_prefix(level), msg);
	}
	if (to_logd)
		logd_send(level, msg);
	errno = e;
}

int pp_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}
