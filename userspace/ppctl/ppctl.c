// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl: the phoneproxy command shell.
 *
 *	ppctl [-j] COMMAND...	one command
 *	ppctl [-j] -f FILE	the commands of a file (the boot-time replay of
 *				the startup configuration); stops at the first
 *				failure, reported as FILE:LINE: message
 *	ppctl [-j]		a shell reading commands from stdin, prompt
 *				"> " when stdin is a terminal
 *
 * Exit status: 0 ok, 1 failure, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "grammar.h"
#include "log.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ppctl [-j | -o FORMAT] COMMAND...\n"
		"       ppctl [-j | -o FORMAT] -f FILE\n"
		"       ppctl [-j | -o FORMAT]   (a shell reading commands from stdin)\n"
		"  -j, --json       JSON output (-o json)\n"
		"  -o, --output FORMAT  text (the default), json, or prometheus (the\n"
		"                   text exposition format; \"show stats\" only)\n"
		"  -f, --file FILE  run the commands of FILE (\"-\": stdin); every line is\n"
		"                   checked first, then run up to the first failure\n"
		"\"ppctl help\" lists the commands.\n");
}

/* Report the failure of the last command. */
static void report(const struct ppctl_ctx *ctx, const char *file, long line)
{
	const char *msg = ctx->err.msg[0] ? ctx->err.msg : "failed";

	if (file)
		fprintf(stderr, "%s:%ld: %s\n", file, line, msg);
	else if (ctx->err.tagged)
		fprintf(stderr, "%s\n", msg);
	else
		fprintf(stderr, "ppctl: %s\n", msg);
}

/*
 * The shell: run the command lines of in, go on after a failure and
 * return the last failure's status.
 */
static int run_shell(struct ppctl_ctx *ctx, FILE *in, bool prompt)
{
	char *line = NULL, *argv[PPCTL_MAX_WORDS];
	size_t cap = 0;
	int status = PPCTL_EXIT_OK;

	for (;;) {
		int argc, rc;

		if (prompt) {
			fputs("> ", stdout);
			fflush(stdout);
		}
		if (getline(&line, &cap, in) < 0) {
			if (prompt)
				fputc('\n', stdout);	/* leave the prompt's line */
			break;
		}
		argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &ctx->err);
		if (argc == 0)
			continue;
		if (argc == 1 && (!strcmp(argv[0], "exit") || !strcmp(argv[0], "quit")))
			break;
		rc = argc < 0 ? ctx->err.code : ppctl_run(ctx, argc, argv);
		fflush(ctx->out);
		if (rc != PPCTL_EXIT_OK) {
			report(ctx, NULL, 0);
			status = rc;
		}
	}
	free(line);
	return status;
}

struct lines {
	char **v;
	size_t n;
};

static void lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int lines_read(FILE *in, struct lines *l)
{
	char *line = NULL;
	size_t cap = 0;

	l->v = NULL;
	l->n = 0;
	while (getline(&line, &cap, in) >= 0) {
		char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

		if (!v || !(v[l->n] = strdup(line))) {
			free(v ? v : l->v);
			free(line);
			l->v = NULL;
			l->n = 0;
			return -1;
		}
		l->v = v;
		l->n++;
	}
	free(line);
	return ferror(in) ? -1 : 0;
}

/*
 * A command file (the boot-time replay): every line is checked first, so
 * a mistyped line changes nothing; then the lines run in order up to the
 * first failure ("exit" or "quit" ends the file early). Failures are
 * reported as name:line: message.
 */
static int run_file(struct ppctl_ctx *ctx, FILE *in, const char *name)
{
	char *argv[PPCTL_MAX_WORDS];
	struct lines l;
	int pass, rc = PPCTL_EXIT_OK;
	size_t i;

	if (lines_read(in, &l)) {
		fprintf(stderr, "ppctl: %s: %s\n", name, strerror(errno));
		return PPCTL_EXIT_FAIL;
	}
	for (pass = 0; pass < 2 && rc == PPCTL_EXIT_OK; pass++) {
		for (i = 0; i < l.n; i++) {
			char *copy = strdup(l.v[i]);
			struct ppctl_cmd cmd;
			int argc;

			if (!copy) {
				fprintf(stderr, "ppctl: out of memory\n");
				rc = PPCTL_EXIT_FAIL;
				break;
			}
			argc = ppctl_split(copy, argv, PPCTL_MAX_WORDS, &ctx->err);
			if (argc == 1 && (!strcmp(argv[0], "exit") ||
					  !strcmp(argv[0], "quit"))) {
				free(copy);
				break;
			}
			if (argc < 0)
				rc = ctx->err.code;
			else if (argc > 0 && pass == 0) {
				int parsed = ppctl_parse(ctx->table, argc, argv, &cmd, &ctx->err);

				rc = parsed == PPCTL_PARSE_ERROR ? ctx->err.code :
				     parsed == PPCTL_PARSE_OK ? ppctl_check_output(ctx, &cmd) :
				     PPCTL_EXIT_OK;
			} else if (argc > 0)
				rc = ppctl_run(ctx, argc, argv);
			free(copy);
			fflush(ctx->out);
			if (rc != PPCTL_EXIT_OK) {
				report(ctx, name, (long)i + 1);
				break;
			}
		}
	}
	lines_free(&l);
	return rc;
}

int main(int argc, char **argv)
{
	struct ppctl_ctx ctx;
	const char *file = NULL;
	bool json = false, prom = false;
	int opt, rc;

	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	while ((opt = getopt_long(argc, argv, "+jo:f:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			prom = false;
			break;
		case 'o':
			json = !strcmp(optarg, "json");
			prom = !strcmp(optarg, "prometheus");
			if (!json && !prom && strcmp(optarg, "text")) {
				fprintf(stderr, "ppctl: -o %s: not an output format "
					"(text, json, prometheus)\n", optarg);
				usage(stderr);
				return PPCTL_EXIT_USAGE;
			}
			break;
		case 'f':
			file = optarg;
			break;
		case 'h':
			usage(stdout);
			return PPCTL_EXIT_OK;
		default:
			usage(stderr);
			return PPCTL_EXIT_USAGE;
		}
	}
	if (file && optind < argc) {
		fprintf(stderr, "ppctl: -f takes no command words\n");
		usage(stderr);
		return PPCTL_EXIT_USAGE;
	}

	pp_log_open("ppctl", false);
	ppctl_ctx_init(&ctx, stdout, json);
	ctx.prom = prom;
	if (file) {
		FILE *in = strcmp(file, "-") ? fopen(file, "re") : stdin;

		if (!in) {
			fprintf(stderr, "ppctl: %s: %s\n", file, strerror(errno));
			rc = PPCTL_EXIT_FAIL;
		} else {
			rc = run_file(&ctx, in, in == stdin ? "<stdin>" : file);
			if (in != stdin)
				fclose(in);
		}
	} else if (optind < argc) {
		rc = ppctl_run(&ctx, argc - optind, argv + optind);
		if (rc)
			report(&ctx, NULL, 0);
	} else {
		rc = run_shell(&ctx, stdin, isatty(STDIN_FILENO));
	}
	ppctl_ctx_fini(&ctx);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "ppctl: cannot write the output: %s\n", strerror(errno));
		return PPCTL_EXIT_FAIL;
	}
	return rc;
}
