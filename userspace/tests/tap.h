/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Minimal TAP producer for the unit tests: "ok N - name" or
 * "not ok N - name" per check, "1..N" at the end, exit status 1 when any
 * check failed.
 */
#ifndef PP_TAP_H
#define PP_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 3), unused))
static bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

__attribute__((format(printf, 1, 2), unused))
static void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ok() on string equality, showing both when they differ. */
__attribute__((format(printf, 3, 4), unused))
static bool is_str(const char *got, const char *want, const char *fmt, ...)
{
	char name[512];
	va_list ap;
	bool same = got && want && !strcmp(got, want);

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	ok(same, "%s", name);
	if (!same) {
		diag("got:  \"%s\"", got ? got : "(null)");
		diag("want: \"%s\"", want ? want : "(null)");
	}
	return same;
}

__attribute__((unused))
static int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* PP_TAP_H */
