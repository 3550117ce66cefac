/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The guide's log files (docs/logs.md): phoneproxy.log, a symbolic link
 * to the newest log-<timestamp>.txt, which is closed after 5,000 lines or
 * at the local midnight, whichever comes first, keeping at most a bounded
 * number of log-*.txt files; and shell.log, the append-only record of the
 * configuration changes made with ppctl.
 *
 * One process writes phoneproxy.log: pp-logd (the others send it their
 * lines, lib/log.h pp_log_to_logd()), so rotation needs no lock and no
 * line is lost or torn at a rotation.
 */
#ifndef PP_LOGFILE_H
#define PP_LOGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define PP_LOG_DIR_ENV		"PP_LOG_DIR"
#define PP_LOG_DIR_DEFAULT	"/var/log/phoneproxy"
#define PP_LOG_LINK		"phoneproxy.log"
#define PP_SHELL_LOG		"shell.log"
#define PP_LOG_MAX_LINES	5000
/* log-*.txt kept at most (PP_LOG_KEEP overrides it in pp-logd). */
#define PP_LOG_KEEP_DEFAULT	100
#define PP_LOG_KEEP_ENV		"PP_LOG_KEEP"
/*
 * Test hook, read by the writer only (pp_logfile_open()): seconds added
 * to the real clock for the time stamps and the midnight rotation, so a
 * test crosses a midnight without waiting for one.
 */
#define PP_LOG_TIME_OFFSET_ENV	"PP_LOG_TIME_OFFSET"
/* The abstract AF_UNIX stream socket pp-logd reads lines on (after the
 * leading NUL; one per network namespace) and its control socket. */
#define PP_LOG_SOCKET		"phoneproxy/log"
#define PP_CTL_LOGD		"phoneproxy/logd"
#define PP_LOG_LINE_MAX		2048

/* $PP_LOG_DIR, else /var/log/phoneproxy. */
const char *pp_log_dir(void);

struct pp_logfile {
	char dir[1024];
	unsigned int max_lines;
	unsigned int keep;		/* log-*.txt files kept at most */
	long long offset_s;		/* PP_LOG_TIME_OFFSET */
	int fd;				/* -1: none open yet */
	unsigned int lines;		/* in the open file */
	long day;			/* local date of the open file, YYYYMMDD */
	char name[64];			/* log-<timestamp>.txt */
	unsigned long long rotations;
	unsigned long long written;
	unsigned long long write_errors;
};

/*
 * Prepare to write in dir (made 0750 if missing): the file phoneproxy.log
 * names is continued when it began today and has room, else the first
 * line opens a new one. 0, or -1 with err set.
 */
int pp_logfile_open(struct pp_logfile *lf, const char *dir, unsigned int keep,
		    char *err, size_t errlen);
/* Append one line (text without its newline; a time stamp is put first),
 * rotating before it when due. 0, or -errno (counted, the line lost). */
int pp_logfile_write(struct pp_logfile *lf, const char *text);
void pp_logfile_close(struct pp_logfile *lf);
/* The writer's clock: the real one plus the test offset. */
void pp_logfile_now(const struct pp_logfile *lf, struct timespec *ts);

/* The pure parts, for the unit tests. */
/* "YYYY-MM-DD HH:MM:SS.mmm text\n" in local time; its length, or -1 when
 * it does not fit (text is cut to fit a PP_LOG_LINE_MAX buffer first). */
int pp_log_format_line(char *buf, size_t len, const struct timespec *ts, const char *text);
/* "log-YYYYMMDDHHMMSSmmm.txt" (the guide's name) in local time. */
void pp_log_file_name(char *buf, size_t len, const struct timespec *ts);
/* YYYYMMDD of ts in local time. */
long pp_log_day(const struct timespec *ts);
/* A new file is due before the next line: none open, 5,000 lines in it,
 * or the local date changed (midnight). */
bool pp_log_rotate_due(bool open, unsigned int lines, unsigned int max_lines, long file_day,
		       long day_now);
/* A name of the archive files: "log-" 17 digits ".txt". */
bool pp_log_is_archive(const char *name);

/* Append one line to shell.log (O_APPEND, one write under flock):
 * "<time> <user> (uid N): <command>[: result]". 0 or -errno (-ENOENT:
 * no log directory). */
int pp_shell_log(const char *dir, const char *user, unsigned int uid, const char *command,
		 const char *result);

#endif /* PP_LOGFILE_H */
