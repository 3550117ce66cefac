// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Logging to stderr or syslog.
 */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

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

void pp_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	if (log_syslog) {
		vsyslog(level, fmt, ap);
	} else {
		fprintf(stderr, "%s: %s", log_ident, level_prefix(level));
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
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
