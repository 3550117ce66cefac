/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl's command grammar, kept apart from execution so it can be tested
 * (and fuzzed) without a kernel, and shared with the daemons that read
 * their settings as ppctl commands (settings.h). A command is described
 * by a line of words:
 *
 *	keyword		matched exactly (case sensitive)
 *	{a|b}		one of the alternatives; its index goes to cmd->choice
 *	<type>		a value, checked and stored by type:
 *	<label:type>	  user, phone-ip, ip, seconds, port, file, url,
 *			  pattern (a file name pattern), keysize, certtag,
 *			  connections, streams (per-activation limits),
 *			  size (k, M, G), time (s or ms; bare: s), ms (bare: ms)
 *
 * e.g. "set phoneproxy activation mode {required|open}".
 */
#ifndef PPCTL_GRAMMAR_H
#define PPCTL_GRAMMAR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/phoneproxy.h>

#include "settings.h"

#define PPCTL_MAX_WORDS		64	/* words on one command line */

/* Exit statuses. */
#define PPCTL_EXIT_OK		0
#define PPCTL_EXIT_FAIL		1
#define PPCTL_EXIT_USAGE	2

struct ppctl_ctx;
struct ppctl_cmd;

/* Returns an exit status; on failure ctx->err says why. */
typedef int (*ppctl_handler)(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);

struct ppctl_cmd_def {
	const char *words;
	ppctl_handler handler;
	const char *help;
	/* A declared setting (settings.h): its words and help are used; or,
	 * with unset, those of its "unset" (pp_setting_unset_words()). */
	const struct pp_setting *setting;
	bool unset;
	/* Not a command but a known mistake: refuse with this message. The
	 * words then match as a prefix (anything may follow). */
	const char *reject;
	/* Every failure of this command, once tag_depth words matched,
	 * starts with this word (the guide's "UserAuthFailure"). */
	const char *fail_tag;
	int tag_depth;
	/* The words after the entry's go to the handler (cmd->opt_argc,
	 * opt_argv), which checks them: "show log [-tail N] [-filter TEXT]
	 * [NAME]". */
	bool options;
};

/* The entry's words and help (NULL words: the table's end). */
static inline const char *ppctl_def_words(const struct ppctl_cmd_def *d)
{
	return !d->setting ? d->words : d->unset ? pp_setting_unset_words(d->setting) :
		d->setting->words;
}

static inline const char *ppctl_def_help(const struct ppctl_cmd_def *d)
{
	return !d->setting ? d->help : d->unset ? pp_setting_unset_help(d->setting) :
		d->setting->help;
}

/* A parsed command line. */
struct ppctl_cmd {
	const struct ppctl_cmd_def *def;
	int choice;			/* index of the {a|b} word, -1 if none */
	char user[PP_NAME_MAX];
	uint32_t addr;			/* network byte order */
	uint32_t seconds;
	uint32_t count;			/* <count>, connections, streams */
	uint64_t value;			/* <size> in bytes, <time> and <ms> in ms */
	uint16_t ports[2];
	unsigned int nports;
	const char *file;		/* points into argv */
	const char *text;		/* url, pattern: points into argv */
	unsigned int bits;		/* keysize */
	/* An entry with options: the words after its own. */
	int opt_argc;
	char **opt_argv;
	/* For help ("?"): the words to complete. */
	int help_argc;
	char **help_argv;
};

struct ppctl_error {
	int code;			/* PPCTL_EXIT_FAIL or PPCTL_EXIT_USAGE */
	bool tagged;			/* msg starts with the fail_tag */
	char msg[1024];
};

/* Returns code. */
int ppctl_error_set(struct ppctl_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

enum ppctl_parse_result {
	PPCTL_PARSE_ERROR = -1,
	PPCTL_PARSE_OK = 0,
	PPCTL_PARSE_HELP = 1,		/* "?" first or last: list completions */
};

/*
 * Match argv against the table (terminated by an entry with words NULL).
 * OK: cmd->def and the values are set. HELP: cmd->help_argc/argv hold
 * the words to complete. ERROR: err says what and where.
 */
enum ppctl_parse_result ppctl_parse(const struct ppctl_cmd_def *table,
				    int argc, char **argv,
				    struct ppctl_cmd *cmd,
				    struct ppctl_error *err);

/* The commands that start with the given words (all when argc is 0),
 * one a line with their help. */
void ppctl_print_help(FILE *f, const struct ppctl_cmd_def *table,
		      int argc, char **argv);

/*
 * Split a command line in place into at most max words: white space
 * separates, "double" or 'single' quotes group (\" and \\ inside double
 * quotes), a word starting with # begins a comment. Returns the number of
 * words, or -1 with err set.
 */
int ppctl_split(char *line, char **argv, int max, struct ppctl_error *err);

/* Print word so that ppctl_split() reads it back as one word. */
void ppctl_quote(FILE *f, const char *word);

#endif /* PPCTL_GRAMMAR_H */
