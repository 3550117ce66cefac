// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * phoneproxy.log's writer (lib/logfile.c, docs/logs.md): the line format,
 * the guide's file names, the rotation after 5,000 lines and at midnight
 * (the writer's clock moved by its test offset), the bounded number of
 * files, phoneproxy.log following the newest, a restart continuing the
 * day's file, and shell.log's lines.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logfile.h"
#include "tap.h"

static char dir[256];

static int count_archives(void)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += pp_log_is_archive(e->d_name);
	closedir(d);
	return n;
}

static long count_lines(const char *name)
{
	char path[512];
	long n = 0;
	FILE *f;
	int c;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static const char *link_target(void)
{
	static char t[256];
	char path[512];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, PP_LOG_LINK);
	n = readlink(path, t, sizeof(t) - 1);
	t[n > 0 ? n : 0] = '\0';
	return t;
}

/* The offset that puts the writer's clock at secs before the next midnight (UTC). */
static long long offset_before_midnight(int secs)
{
	time_t now = time(NULL);

	return ((long long)now / 86400 + 1) * 86400 - secs - now;
}

static void test_format(void)
{
	struct timespec ts = { .tv_sec = 1796428799, .tv_nsec = 123456789 }; /* 2026-12-04 23:59:59 */
	char buf[PP_LOG_LINE_MAX + 64], big[PP_LOG_LINE_MAX * 2];

	ok(pp_log_format_line(buf, sizeof(buf), &ts, "Tftp: RRQ SEP001122334455.cnf.xml from 192.0.2.10:1024") > 0 &&
	   !strcmp(buf, "2026-12-04 23:59:59.123 Tftp: RRQ SEP001122334455.cnf.xml from 192.0.2.10:1024\n"),
	   "a line: local date, time with milliseconds, the component's text, one newline");
	pp_log_format_line(buf, sizeof(buf), &ts, "Http: two\nlines\r");
	is_str(buf, "2026-12-04 23:59:59.123 Http: two lines \n",
	       "a newline inside the text does not start a line of its own");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ok(pp_log_format_line(buf, sizeof(buf), &ts, big) > 0 && strlen(buf) < sizeof(buf) &&
	   buf[strlen(buf) - 1] == '\n', "an overlong text is cut, the line still ends");
	pp_log_file_name(buf, sizeof(buf), &ts);
	is_str(buf, "log-20261204235959123.txt",
	       "the guide's file name: log-<ISO date of the first entry, to the ms>.txt");
	ok(pp_log_is_archive("log-20261204235959123.txt") && !pp_log_is_archive(PP_LOG_LINK) &&
	   !pp_log_is_archive("log-2026120423595912.txt") && !pp_log_is_archive("log-2026120423595912x.txt") &&
	   !pp_log_is_archive(PP_SHELL_LOG), "archive names: log- 17 digits .txt only");
	ok(pp_log_day(&ts) == 20261204, "the local date of a time");
}

static void test_due(void)
{
	ok(pp_log_rotate_due(false, 0, 5000, 0, 20261204), "rotate: nothing open yet");
	ok(!pp_log_rotate_due(true, 4999, 5000, 20261204, 20261204), "no rotation at 4,999 lines");
	ok(pp_log_rotate_due(true, 5000, 5000, 20261204, 20261204), "rotation after 5,000 lines");
	ok(pp_log_rotate_due(true, 1, 5000, 20261204, 20261205), "rotation at midnight with 1 line");
}

static void test_writer(void)
{
	struct pp_logfile lf;
	char err[256], first[64];
	int i, fails = 0;

	ok(pp_logfile_open(&lf, dir, 3, err, sizeof(err)) == 0, "open %s", dir);
	lf.offset_s = offset_before_midnight(3600);
	for (i = 0; i < 5000; i++)
		fails += pp_logfile_write(&lf, "Tftp: line") != 0;
	snprintf(first, sizeof(first), "%s", lf.name);
	ok(!fails && count_archives() == 1 && count_lines(first) == 5000 &&
	   !strcmp(link_target(), first), "5,000 lines: one file, phoneproxy.log names it");
	pp_logfile_write(&lf, "Tftp: line 5001");
	ok(count_archives() == 2 && strcmp(lf.name, first) && count_lines(lf.name) == 1 &&
	   !strcmp(link_target(), lf.name), "line 5,001 opens a new file, phoneproxy.log follows");
	for (i = 0; i < 3 * 5000; i++)
		fails += pp_logfile_write(&lf, "Sccp: more") != 0;
	ok(!fails && count_archives() == 3, "20,001 lines, 3 files kept: the oldest removed");
	snprintf(first, sizeof(first), "%s", lf.name);
	pp_logfile_close(&lf);

	/* A restart the same day continues the file (the test offset is read
	 * by pp_logfile_open() from the environment). */
	{
		char buf[32];

		snprintf(buf, sizeof(buf), "%lld", offset_before_midnight(3600));
		setenv(PP_LOG_TIME_OFFSET_ENV, buf, 1);
	}
	ok(pp_logfile_open(&lf, dir, 3, err, sizeof(err)) == 0 && !strcmp(lf.name, first) &&
	   lf.lines == 1, "a restart the same day continues %s (%u line)", first, lf.lines);
	lf.offset_s = offset_before_midnight(2);
	pp_logfile_write(&lf, "Http: before midnight");
	ok(!strcmp(lf.name, first), "23:59:58: still the same file");
	lf.offset_s += 3;
	pp_logfile_write(&lf, "Http: after midnight");
	ok(strcmp(lf.name, first) && count_lines(lf.name) == 1 && !strcmp(link_target(), lf.name) &&
	   count_archives() == 3, "00:00:01: a new file with 1 line, phoneproxy.log follows, 3 kept");
	pp_logfile_close(&lf);
	setenv(PP_LOG_TIME_OFFSET_ENV, "soon", 1);
	ok(pp_logfile_open(&lf, dir, 3, err, sizeof(err)) == -1 && strstr(err, "PP_LOG_TIME_OFFSET"),
	   "a bad test offset is refused naming it: %s", err);
	unsetenv(PP_LOG_TIME_OFFSET_ENV);
}

static void test_shell(void)
{
	char path[512], line[512];
	FILE *f;
	int n = 0;
	bool ok1 = false, ok2 = false;

	ok(pp_shell_log(dir, "alice", 1000, "set phoneproxy loglevel full", NULL) == 0 &&
	   pp_shell_log(dir, "root", 0, "publish users.xml", "failed: users.xml:3: bad") == 0,
	   "shell.log: two lines appended");
	snprintf(path, sizeof(path), "%s/%s", dir, PP_SHELL_LOG);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		n++;
		ok1 |= strstr(line, " alice (uid 1000): set phoneproxy loglevel full\n") != NULL;
		ok2 |= strstr(line, " root (uid 0): publish users.xml: failed: users.xml:3: bad\n") != NULL;
	}
	if (f)
		fclose(f);
	ok(n == 2 && ok1 && ok2, "shell.log: time, user, uid, command, result");
}

int main(void)
{
	char cmd[300];

	setenv("TZ", "UTC", 1);
	tzset();
	snprintf(dir, sizeof(dir), "/tmp/test_logfile.%d", (int)getpid());
	test_format();
	test_due();
	test_writer();
	test_shell();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		diag("cannot remove %s", dir);
	return done_testing();
}
