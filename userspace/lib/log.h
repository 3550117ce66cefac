/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Small logging for the phoneproxy tools and daemons: to stderr as
 * "ident: message" (interactive tools) or to syslog (daemons).
 */
#ifndef PP_LOG_H
#define PP_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

/* Severities are syslog's. */
#define PP_LOG_ERR	LOG_ERR
#define PP_LOG_WARNING	LOG_WARNING
#define PP_LOG_NOTICE	LOG_NOTICE
#define PP_LOG_INFO	LOG_INFO
#define PP_LOG_DEBUG	LOG_DEBUG

/* ident is kept by reference; to_syslog false logs to stderr. */
void pp_log_open(const char *ident, bool to_syslog);
void pp_log_close(void);
/* Messages less severe than level are dropped (default PP_LOG_INFO). */
void pp_log_set_level(int level);
int pp_log_get_level(void);

/*
 * Also send every message, whatever the level, to pp-logd, the writer of
 * phoneproxy.log (lib/logfile.h), as "<component>: message" (the prefix
 * is not doubled when the message has it), e.g. "Http". pp-logd keeps
 * the lines "set phoneproxy loglevel" asks for. Without pp-logd the
 * lines go to syslog only; a connection is tried again once a second.
 * Like the rest of pp_log(), for the thread of the daemon's event loop.
 */
void pp_log_to_logd(const char *component);
/* Lines that pp_log_to_logd() could not deliver (pp-logd away or stuck). */
unsigned long long pp_log_logd_dropped(void);

void pp_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Format into err (nothing when err is NULL or errlen 0); returns -1. */
int pp_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define pp_err(...)	pp_log(PP_LOG_ERR, __VA_ARGS__)
#define pp_warn(...)	pp_log(PP_LOG_WARNING, __VA_ARGS__)
#define pp_notice(...)	pp_log(PP_LOG_NOTICE, __VA_ARGS__)
#define pp_info(...)	pp_log(PP_LOG_INFO, __VA_ARGS__)
#define pp_dbg(...)	pp_log(PP_LOG_DEBUG, __VA_ARGS__)

#endif /* PP_LOG_H */
