// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The guide's "System Logs" (docs/logs.md): show log, list log, delete
 * log over $PP_LOG_DIR, and shell.log, the record of every configuration
 * change made with ppctl.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <pwd.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec.h"
#include "logfile.h"

/* A log's name: a plain file name of the log directory. */
static int check_name(struct ppctl_ctx *ctx, const char *what, const char *name)
{
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
				  "%s: \"%s\" is not a log file name (a name of \"list log\", no \"/\")",
				  what, name);
	return 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

struct ring {
	char **line;
	size_t cap, n, head;	/* the last cap lines, head the oldest */
};

static void ring_put(struct ring *r, char *s)
{
	if (r->n < r->cap) {
		r->line[(r->head + r->n++) % r->cap] = s;
	} else {
		free(r->line[r->head]);
		r->line[r->head] = s;
		r->head = (r->head + 1) % r->cap;
	}
}

int ppctl_do_show_log(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	const char *name = PP_LOG_LINK, *filter = NULL;
	unsigned long tail = 0;
	bool has_tail = false, has_name = false;
	struct ring r = { 0 };
	char path[4096], *line = NULL;
	size_t cap = 0;
	regex_t re;
	FILE *f;
	int i, rc;

	for (i = 0; i < cmd->opt_argc; i++) {
		const char *a = cmd->opt_argv[i];

		if (!strcmp(a, "-tail")) {
			has_tail = true;
			tail = 10;
			if (i + 1 < cmd->opt_argc && all_digits(cmd->opt_argv[i + 1])) {
				tail = strtoul(cmd->opt_argv[++i], NULL, 10);
				if (tail < 1 || tail > 1000000)
					return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
							  "show log: -tail %s: from 1 to 1000000 lines",
							  cmd->opt_argv[i]);
			}
		} else if (!strcmp(a, "-filter")) {
			if (i + 1 >= cmd->opt_argc)
				return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
						  "show log: -filter wants a text (a regular expression, e.g. a SID: -filter SEP001122334455)");
			if (filter)
				return ppctl_fail(ctx, PPCTL_EXIT_USAGE, "show log: -filter given twice");
			filter = cmd->opt_argv[++i];
		} else if (a[0] == '-') {
			return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
					  "show log: unknown option \"%s\" (-tail [N], -filter TEXT)", a);
		} else if (has_name) {
			return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
					  "show log: one log at a time, not \"%s\" and \"%s\"", name, a);
		} else {
			if (check_name(ctx, "show log", a))
				return ctx->err.code;
			name = a;
			has_name = true;
		}
	}
	if (filter) {
		rc = regcomp(&re, filter, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char why[256];

			regerror(rc, &re, why, sizeof(why));
			return ppctl_fail(ctx, PPCTL_EXIT_USAGE, "show log: -filter \"%s\": %s",
					  filter, why);
		}
	}
	snprintf(path, sizeof(path), "%s/%s", pp_log_dir(), name);
	f = fopen(path, "re");
	if (!f) {
		rc = errno == ENOENT ?
			ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show log: no log \"%s\" in %s (list log shows them)",
				   name, pp_log_dir()) :
			ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show log: %s: %s", path, strerror(errno));
		if (filter)
			regfree(&re);
		return rc;
	}
	if (has_tail) {
		r.cap = tail;
		r.line = calloc(tail, sizeof(*r.line));
		if (!r.line) {
			fclose(f);
			if (filter)
				regfree(&re);
			return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
		}
	}
	while (getline(&line, &cap, f) > 0) {
		if (filter && regexec(&re, line, 0, NULL, 0))
			continue;
		if (!has_tail) {
			fputs(line, ctx->out);
			continue;
		}
		ring_put(&r, strdup(line));
	}
	for (size_t k = 0; k < r.n; k++) {
		char *s = r.line[(r.head + k) % r.cap];

		if (s)
			fputs(s, ctx->out);
		free(s);
	}
	free(r.line);
	free(line);
	fclose(f);
	if (filter)
		regfree(&re);
	return PPCTL_EXIT_OK;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int ppctl_do_list_log(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	const char *pattern = NULL;
	bool detail = true;
	struct dirent **list;
	int i, n;

	for (i = 0; i < cmd->opt_argc; i++) {
		const char *a = cmd->opt_argv[i];

		if (!strcmp(a, "-nodetail"))
			detail = false;
		else if (a[0] == '-')
			return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
					  "list log: unknown option \"%s\" (-nodetail)", a);
		else if (pattern)
			return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
					  "list log: one file pattern, not \"%s\" and \"%s\"", pattern, a);
		else if (check_name(ctx, "list log", a))
			return ctx->err.code;
		else
			pattern = a;
	}
	n = scandir(pp_log_dir(), &list, not_dot, name_cmp);
	if (n < 0) {
		if (errno == ENOENT)
			return PPCTL_EXIT_OK;	/* nothing logged yet */
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "list log: %s: %s", pp_log_dir(),
				  strerror(errno));
	}
	for (i = 0; i < n; i++) {
		const char *e = list[i]->d_name;
		char path[4096], target[256], when[32];
		struct stat st;
		struct tm tm;
		ssize_t t;

		if (pattern && fnmatch(pattern, e, 0))
			goto next;
		snprintf(path, sizeof(path), "%s/%s", pp_log_dir(), e);
		if (lstat(path, &st) || !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
			goto next;
		if (!detail) {
			fprintf(ctx->out, "%s\n", e);
			goto next;
		}
		localtime_r(&st.st_mtime, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		if (S_ISLNK(st.st_mode)) {
			t = readlink(path, target, sizeof(target) - 1);
			target[t > 0 ? t : 0] = '\0';
			fprintf(ctx->out, "%-26s %10s  %s  -> %s\n", e, "-", when, target);
		} else {
			fprintf(ctx->out, "%-26s %10lld  %s\n", e, (long long)st.st_size, when);
		}
next:
		free(list[i]);
	}
	free(list);
	return PPCTL_EXIT_OK;
}

int ppctl_do_delete_log(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	const char *pattern = cmd->text;
	struct dirent **list;
	int i, n, deleted = 0, rc = PPCTL_EXIT_OK;
	bool kept_link = false;

	n = scandir(pp_log_dir(), &list, not_dot, name_cmp);
	if (n < 0 && errno != ENOENT)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "delete log: %s: %s", pp_log_dir(),
				  strerror(errno));
	for (i = 0; i < n; i++) {
		const char *e = list[i]->d_name;
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", pp_log_dir(), e);
		if (fnmatch(pattern, e, 0) || lstat(path, &st) ||
		    !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
			free(list[i]);
			continue;
		}
		/* The guide: do not delete phoneproxy.log (the link to the
		 * current file); it is kept whatever the pattern. */
		if (!strcmp(e, PP_LOG_LINK)) {
			kept_link = true;
		} else if (unlink(path)) {
			if (rc == PPCTL_EXIT_OK)
				rc = ppctl_fail(ctx, PPCTL_EXIT_FAIL, "delete log: %s: %s", e,
						strerror(errno));
		} else {
			fprintf(ctx->out, "deleted %s\n", e);
			deleted++;
		}
		free(list[i]);
	}
	if (n > 0)
		free(list);
	if (kept_link)
		fprintf(ctx->out, "kept %s: it names the file being written (delete that file instead)\n",
			PP_LOG_LINK);
	if (rc == PPCTL_EXIT_OK && !deleted && !kept_link)
		rc = ppctl_fail(ctx, PPCTL_EXIT_FAIL, "delete log: no log matches \"%s\" (list log shows them)",
				pattern);
	return rc;
}

/* ---- shell.log ---- */

static bool changes_configuration(int argc, char **argv)
{
	/* import users publishes; refresh callmanager may (a moved name). */
	static const char *const verbs[] = { "set", "unset", "publish", "save", "delete",
					     "import", "refresh" };
	size_t i;

	if (argc < 1)
		return false;
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[0], verbs[i]))
			return true;
	return false;
}

void ppctl_shell_log(struct ppctl_ctx *ctx, int argc, char **argv, int rc)
{
	const struct passwd *pw = getpwuid(getuid());
	const char *sudo = getenv("SUDO_USER");
	char user[256], result[1100], *text = NULL;
	size_t len = 0;
	FILE *mem;
	int i, e;

	if (!changes_configuration(argc, argv))
		return;
	mem = open_memstream(&text, &len);
	if (!mem)
		return;
	for (i = 0; i < argc; i++) {
		if (i)
			fputc(' ', mem);
		ppctl_quote(mem, argv[i]);
	}
	if (fclose(mem)) {
		free(text);
		return;
	}
	if (pw)
		snprintf(user, sizeof(user), "%s%s%s", pw->pw_name, sudo && getuid() == 0 ? " (sudo " : "",
			 sudo && getuid() == 0 ? sudo : "");
	else
		snprintf(user, sizeof(user), "uid%u", (unsigned int)getuid());
	if (sudo && getuid() == 0 && pw)
		strncat(user, ")", sizeof(user) - strlen(user) - 1);
	if (rc)
		snprintf(result, sizeof(result), "failed: %s", ctx->err.msg);
	e = pp_shell_log(pp_log_dir(), user, (unsigned int)getuid(), text, rc ? result : NULL);
	/* No log directory (pp-logd never ran here): nothing is kept. */
	if (e && e != -ENOENT && !rc)
		fprintf(stderr, "ppctl: warning: %s/%s: %s: the change is not recorded\n",
			pp_log_dir(), PP_SHELL_LOG, strerror(-e));
	free(text);
}
