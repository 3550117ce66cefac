// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The writer of phoneproxy.log and shell.log (logfile.h, docs/logs.md).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "logfile.h"

const char *pp_log_dir(void)
{
	const char *d = getenv(PP_LOG_DIR_ENV);

	return d && *d ? d : PP_LOG_DIR_DEFAULT;
}

void pp_logfile_now(const struct pp_logfile *lf, struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += (time_t)lf->offset_s;
}

long pp_log_day(const struct timespec *ts)
{
	struct tm tm;

	localtime_r(&ts->tv_sec, &tm);
	return (tm.tm_year + 1900L) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int pp_log_format_line(char *buf, size_t len, const struct timespec *ts, const char *text)
{
	struct tm tm;
	int n;

	localtime_r(&ts->tv_sec, &tm);
	n = snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%03ld %.*s\n", tm.tm_year + 1900,
		     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     ts->tv_nsec / 1000000, PP_LOG_LINE_MAX - 32, text);
	if (n < 0 || (size_t)n >= len)
		return -1;
	/* One line: a newline inside the text would start a line of its own. */
	for (char *p = buf; p < buf + n - 1; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return n;
}

void pp_log_file_name(char *buf, size_t len, const struct timespec *ts)
{
	struct tm tm;

	localtime_r(&ts->tv_sec, &tm);
	snprintf(buf, len, "log-%04d%02d%02d%02d%02d%02d%03ld.txt", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 ts->tv_nsec / 1000000);
}

bool pp_log_rotate_due(bool open, unsigned int lines, unsigned int max_lines, long file_day,
		       long day_now)
{
	return !open || lines >= max_lines || file_day != day_now;
}

bool pp_log_is_archive(const char *name)
{
	size_t i;

	if (strlen(name) != 4 + 17 + 4 || strncmp(name, "log-", 4) || strcmp(name + 21, ".txt"))
		return false;
	for (i = 4; i < 21; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return true;
}

static int archive_filter(const struct dirent *d)
{
	return pp_log_is_archive(d->d_name);
}

/* Remove the oldest archives beyond lf->keep (the names sort by time). */
static void prune(struct pp_logfile *lf)
{
	struct dirent **list;
	int n, i;

	n = scandir(lf->dir, &list, archive_filter, alphasort);
	if (n < 0)
		return;
	for (i = 0; i < n; i++) {
		if ((unsigned int)(n - i) > lf->keep && strcmp(list[i]->d_name, lf->name)) {
			char path[2048];

			snprintf(path, sizeof(path), "%s/%s", lf->dir, list[i]->d_name);
			unlink(path);
		}
		free(list[i]);
	}
	free(list);
}

/* Point phoneproxy.log at the open file: a new link renamed over it. */
static int relink(struct pp_logfile *lf)
{
	char tmp[2048], link[2048];

	snprintf(tmp, sizeof(tmp), "%s/.%s.new", lf->dir, PP_LOG_LINK);
	snprintf(link, sizeof(link), "%s/%s", lf->dir, PP_LOG_LINK);
	unlink(tmp);
	if (symlink(lf->name, tmp) || rename(tmp, link)) {
		int e = -errno;

		unlink(tmp);
		return e;
	}
	return 0;
}

static int rotate(struct pp_logfile *lf, const struct timespec *now)
{
	struct timespec t = *now;
	char path[2048];
	int fd = -1, i;

	if (lf->fd >= 0)
		close(lf->fd);
	lf->fd = -1;
	/* A name of its own: log-<time of the first line>.txt, a millisecond
	 * later when one with that name exists. */
	for (i = 0; i < 1000 && fd < 0; i++) {
		pp_log_file_name(lf->name, sizeof(lf->name), &t);
		snprintf(path, sizeof(path), "%s/%s", lf->dir, lf->name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0640);
		if (fd < 0 && errno != EEXIST)
			return -errno;
		t.tv_nsec += 1000000;
		if (t.tv_nsec >= 1000000000) {
			t.tv_nsec -= 1000000000;
			t.tv_sec++;
		}
	}
	if (fd < 0)
		return -EEXIST;
	lf->fd = fd;
	lf->lines = 0;
	lf->day = pp_log_day(now);
	lf->rotations++;
	relink(lf);
	prune(lf);
	return 0;
}

/* Continue the file phoneproxy.log names when it began today and has room. */
static void resume(struct pp_logfile *lf, const struct timespec *now)
{
	char link[2048], target[256], path[2048], buf[65536];
	ssize_t n;
	long day;
	int fd;

	snprintf(link, sizeof(link), "%s/%s", lf->dir, PP_LOG_LINK);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	if (!pp_log_is_archive(target))
		return;
	day = strtol(target + 4, NULL, 10) / 1000000000L;
	if (day != pp_log_day(now))
		return;
	snprintf(path, sizeof(path), "%s/%s", lf->dir, target);
	fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	lf->lines = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			lf->lines += buf[i] == '\n';
	if (n < 0 || lf->lines >= lf->max_lines) {
		close(fd);
		return;
	}
	lf->fd = fd;
	lf->day = day;
	memcpy(lf->name, target, strlen(target) + 1);	/* an archive name: 25 bytes */
}

int pp_logfile_open(struct pp_logfile *lf, const char *dir, unsigned int keep,
		    char *err, size_t errlen)
{
	const char *off = getenv(PP_LOG_TIME_OFFSET_ENV);
	struct timespec now;

	memset(lf, 0, sizeof(*lf));
	lf->fd = -1;
	lf->max_lines = PP_LOG_MAX_LINES;
	lf->keep = keep ? keep : 1;
	if (snprintf(lf->dir, sizeof(lf->dir), "%s", dir) >= (int)sizeof(lf->dir))
		return pp_errf(err, errlen, "%s: path too long", dir);
	if (off && *off) {
		char *end;

		errno = 0;
		lf->offset_s = strtoll(off, &end, 10);
		if (errno || *end)
			return pp_errf(err, errlen, "%s=%s: not a number of seconds",
				       PP_LOG_TIME_OFFSET_ENV, off);
	}
	if (mkdir(dir, 0750) && errno != EEXIST)
		return pp_errf(err, errlen, "%s: %s", dir, strerror(errno));
	if (access(dir, W_OK))
		return pp_errf(err, errlen, "%s: %s", dir, strerror(errno));
	pp_logfile_now(lf, &now);
	resume(lf, &now);
	return 0;
}

int pp_logfile_write(struct pp_logfile *lf, const char *text)
{
	char line[PP_LOG_LINE_MAX + 64];
	struct timespec now;
	size_t done = 0;
	int n, rc;

	pp_logfile_now(lf, &now);
	if (pp_log_rotate_due(lf->fd >= 0, lf->lines, lf->max_lines, lf->day, pp_log_day(&now))) {
		rc = rotate(lf, &now);
		if (rc) {
			lf->write_errors++;
			return rc;
		}
	}
	n = pp_log_format_line(line, sizeof(line), &now, text);
	if (n < 0) {
		lf->write_errors++;
		return -EMSGSIZE;
	}
	while (done < (size_t)n) {
		ssize_t w = write(lf->fd, line + done, (size_t)n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			lf->write_errors++;
			return w < 0 ? -errno : -EIO;
		}
		done += (size_t)w;
	}
	lf->lines++;
	lf->written++;
	return 0;
}

void pp_logfile_close(struct pp_logfile *lf)
{
	if (lf->fd >= 0)
		close(lf->fd);
	lf->fd = -1;
}

int pp_shell_log(const char *dir, const char *user, unsigned int uid, const char *command,
		 const char *result)
{
	char path[2048], text[PP_LOG_LINE_MAX], line[PP_LOG_LINE_MAX + 64];
	struct pp_logfile clock = { .offset_s = 0 };
	struct timespec now;
	ssize_t w;
	int fd, n, e = 0;

	/* The directory is pp-logd's (or the package's): without it, -ENOENT. */
	snprintf(path, sizeof(path), "%s/%s", dir, PP_SHELL_LOG);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return -errno;
	pp_logfile_now(&clock, &now);
	snprintf(text, sizeof(text), "%s (uid %u): %s%s%s", user, uid, command,
		 result ? ": " : "", result ? result : "");
	n = pp_log_format_line(line, sizeof(line), &now, text);
	/* One write of the whole line, under the lock of every ppctl. */
	if (n > 0 && !flock(fd, LOCK_EX)) {
		w = write(fd, line, (size_t)n);
		if (w != n)
			e = w < 0 ? -errno : -EIO;
		flock(fd, LOCK_UN);
	} else {
		e = n > 0 ? -errno : -EMSGSIZE;
	}
	close(fd);
	return e;
}
