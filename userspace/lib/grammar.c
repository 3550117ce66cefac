// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl command grammar: table-driven matching, help, line splitting.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "grammar.h"
#include "heartbeat.h"
#include "httpconf.h"
#include "parse.h"
#include "settings.h"

#define MAX_TOKENS	16
#define TOKEN_LEN	64

enum tok_kind { TOK_WORD, TOK_CHOICE, TOK_ARG };

struct tok {
	enum tok_kind kind;
	char text[TOKEN_LEN];		/* word; alternatives "a|b"; arg label */
	char type[TOKEN_LEN];		/* TOK_ARG: the value's type */
};

/* Why a table entry did not match, in increasing order of interest. */
enum miss { MISS_NONE, MISS_WORD, MISS_SHORT, MISS_EXTRA, MISS_VALUE };

struct match {
	enum miss miss;
	int depth;			/* words matched before the miss */
	char value_err[512];		/* MISS_VALUE */
};

int ppctl_error_set(struct ppctl_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	err->tagged = false;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

/* The entry's words as tokens. The table is ours: malformed is a bug. */
static int tokens(const char *words, struct tok *toks)
{
	const char *p = words;
	int n = 0;

	while (*p) {
		const char *end;
		size_t len;
		struct tok *t;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		end = strchr(p, ' ');
		len = end ? (size_t)(end - p) : strlen(p);
		if (n == MAX_TOKENS || len >= TOKEN_LEN)
			abort();
		t = &toks[n++];
		memset(t, 0, sizeof(*t));
		if (*p == '{') {
			t->kind = TOK_CHOICE;
			memcpy(t->text, p + 1, len - 2);
		} else if (*p == '<') {
			const char *colon = memchr(p, ':', len);

			t->kind = TOK_ARG;
			if (colon) {
				memcpy(t->text, p + 1, (size_t)(colon - p - 1));
				memcpy(t->type, colon + 1, (size_t)(p + len - colon - 2));
			} else {
				memcpy(t->text, p + 1, len - 2);
				memcpy(t->type, p + 1, len - 2);
			}
		} else {
			t->kind = TOK_WORD;
			memcpy(t->text, p, len);
		}
		p += len;
	}
	return n;
}

/* Index of word among the "a|b|c" alternatives, or -1. */
static int choice_index(const char *alts, const char *word)
{
	size_t wlen = strlen(word);
	const char *p = alts;
	int i = 0;

	for (;;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);

		if (len == wlen && !strncmp(p, word, len))
			return i;
		if (!bar)
			return -1;
		p = bar + 1;
		i++;
	}
}

/* Check and store one value. name is the keyword before it; s the
 * setting, whose range (a daemon's) a number must be in. */
static int take_value(const struct tok *t, const char *name, const char *v,
		      const struct pp_setting *s, struct ppctl_cmd *cmd, char *err, size_t errlen)
{
	bool ranged = s && s->kind == PP_SK_NUM && s->max;
	uint64_t num;

	if (!strcmp(t->type, "seconds")) {
		uint64_t lo = ranged ? s->min : 0, hi = ranged ? s->max : PP_TIMEOUT_MAX;

		if (pp_parse_uint(v, lo, hi, &num)) {
			snprintf(err, errlen,
				 "\"%s\" value \"%s\" is not a number of seconds (%" PRIu64 "..%" PRIu64 ")",
				 name, v, lo, hi);
			return -1;
		}
		cmd->seconds = (uint32_t)num;
	} else if (!strcmp(t->type, "count") ||
		   !strcmp(t->type, "connections") ||
		   !strcmp(t->type, "streams")) {
		bool plain = !strcmp(t->type, "count");
		unsigned int min = ranged ? (unsigned int)s->min : 1, max = ranged ?
			(unsigned int)s->max : plain ? 1000000 :
			!strcmp(t->type, "connections") ? PP_MAX_CONNS_MAX :
			PP_MAX_STREAMS_MAX;

		if (pp_parse_uint(v, min, max, &num)) {
			if (plain)
				snprintf(err, errlen,
					 "\"%s\" value \"%s\" is not a number in %u..%u",
					 name, v, min, max);
			else
				snprintf(err, errlen,
					 "\"%s\" value \"%s\" is not a number of %s (1..%u)",
					 name, v, t->type, max);
			return -1;
		}
		cmd->count = (uint32_t)num;
	} else if (!strcmp(t->type, "port")) {
		if (pp_parse_uint(v, 1, 65535, &num)) {
			snprintf(err, errlen,
				 "\"%s\" value \"%s\" is not a port number (1..65535)",
				 name, v);
			return -1;
		}
		if (cmd->nports < 2)
			cmd->ports[cmd->nports++] = (uint16_t)num;
	} else if (!strcmp(t->type, "ip") || !strcmp(t->type, "phone-ip")) {
		if (pp_parse_ipv4(v, &cmd->addr)) {
			snprintf(err, errlen,
				 "\"%s\" value \"%s\" is not an IPv4 address", name, v);
			return -1;
		}
		if (!strcmp(t->type, "phone-ip") && !pp_ipv4_is_phone(cmd->addr)) {
			snprintf(err, errlen,
				 "\"%s\" value \"%s\" is not a phone's address (a unicast IPv4 address)",
				 name, v);
			return -1;
		}
	} else if (!strcmp(t->type, "user")) {
		if (!pp_name_valid(v)) {
			snprintf(err, errlen,
				 "\"%s\" value \"%s\" is not a user name (1..%d bytes of text)",
				 name, v, PP_NAME_MAX - 1);
			return -1;
		}
		strcpy(cmd->user, v);
	} else if (!strcmp(t->type, "group") || !strcmp(t->type, "hostname")) {
		/* The heartbeat's: keepalived's VRRP password holds 8 bytes; a
		 * host name as gethostname(2) gives it (RFC 1123). */
		bool group = t->type[0] == 'g';
		size_t n = strlen(v), max = group ? PP_HB_GROUP_MAX : PP_HB_HOST_MAX;
		const char *ok = group ? "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_." :
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.";

		if (!n || n > max || strspn(v, ok) != n || (!group && (*v == '-' || *v == '.'))) {
			if (group)
				snprintf(err, errlen,
					 "\"%s\" value \"%.64s\" is not a group name (1..%zu letters, digits, \"-\", \"_\" or \".\": keepalived's VRRP password holds %zu bytes)",
					 name, v, max, max);
			else
				snprintf(err, errlen,
					 "\"%s\" value \"%.64s\" is not a host name (1..%zu letters, digits, \"-\" and \".\")",
					 name, v, max);
			return -1;
		}
		cmd->text = v;
	} else if (!strcmp(t->type, "file")) {
		if (!*v) {
			snprintf(err, errlen, "\"%s\" value is an empty file name", name);
			return -1;
		}
		cmd->file = v;
	} else if (!strcmp(t->type, "size") || !strcmp(t->type, "time") ||
		   !strcmp(t->type, "ms")) {
		/* <size>: "64k", "32M", "1G"; <time>, <ms>: "1500ms", "2s" or a
		 * bare number of seconds (<time>) or milliseconds (<ms>). */
		static const char sfx[][3] = { "k", "K", "m", "M", "g", "G", "ms", "s" };
		bool size = t->type[0] == 's';
		size_t n = strlen(v), i, k = 0, end = size ? 6 : 8;
		uint64_t mul = size || t->type[0] == 'm' ? 1 : 1000;
		char buf[32];

		for (i = size ? 0 : 6; i < end; i++) {
			k = strlen(sfx[i]);
			if (n > k && !strcmp(v + n - k, sfx[i]))
				break;
		}
		if (i < end)
			mul = size ? 1ull << (10 * (i / 2 + 1)) : i == 6 ? 1 : 1000;
		else
			k = 0;
		snprintf(buf, sizeof(buf), "%.*s", (int)(n - k), v);
		if (n - k >= sizeof(buf) ||
		    pp_parse_uint(buf, 0, (size ? UINT64_MAX : UINT32_MAX) / mul, &num)) {
			snprintf(err, errlen, size ?
				 "\"%s\" value \"%s\" is not a size in bytes (k, M, G suffixes)" :
				 "\"%s\" value \"%s\" is not a duration (\"500ms\", \"2s\")", name, v);
			return -1;
		}
		cmd->value = num * mul;
	} else if (!strcmp(t->type, "url")) {
		char norm[PP_URL_MAX], why[400];

		if (pp_allow_pattern_normalize(v, norm, why, sizeof(why))) {
			snprintf(err, errlen, "\"%.20s\" value: %.400s", name, why);
			return -1;
		}
		cmd->text = v;
	} else if (!strcmp(t->type, "pattern")) {
		if (!*v || strchr(v, '/')) {
			snprintf(err, errlen,
				 "\"%s\" value \"%s\" is not a file name pattern (a name, * and ? allowed, no \"/\")",
				 name, v);
			return -1;
		}
		cmd->text = v;
	} else if (!strcmp(t->type, "certtag")) {
		/* The guide writes "https-North": names match in any case. */
		int tag = pp_cert_tag_from_name(v);

		if (tag < 0 || tag > PP_CERT_SOUTH) {
			snprintf(err, errlen,
				 "\"%s\" value \"%s\" is not a certificate tag (https-north, https-south, or https for both)",
				 name, v);
			return -1;
		}
		cmd->choice = tag;
	} else if (!strcmp(t->type, "keysize")) {
		if (pp_parse_uint(v, 1024, 2048, &num) || (num != 1024 && num != 2048)) {
			snprintf(err, errlen,
				 "\"%s\" value \"%s\" is not a key size the guide supports (1024 or 2048)",
				 name, v);
			return -1;
		}
		cmd->bits = (unsigned int)num;
	} else {
		abort();	/* a type the table should not use */
	}
	return 0;
}

/*
 * Match argv against one entry. In prefix mode argv may stop anywhere
 * and values are not checked (completing "set user active name x ?").
 */
static void match_def(const struct ppctl_cmd_def *def, int argc, char **argv,
		      bool prefix, struct ppctl_cmd *cmd, struct match *m)
{
	struct tok toks[MAX_TOKENS];
	const char *name = "";
	int n = tokens(ppctl_def_words(def), toks), i;

	memset(cmd, 0, sizeof(*cmd));
	cmd->choice = -1;
	m->miss = MISS_NONE;
	m->value_err[0] = '\0';
	for (i = 0; i < n; i++) {
		const struct tok *t = &toks[i];

		if (i >= argc) {
			m->depth = i;
			if (!prefix)
				m->miss = MISS_SHORT;
			return;
		}
		switch (t->kind) {
		case TOK_WORD:
			if (strcmp(t->text, argv[i])) {
				m->miss = MISS_WORD;
				m->depth = i;
				return;
			}
			name = t->text;
			break;
		case TOK_CHOICE:
			cmd->choice = choice_index(t->text, argv[i]);
			if (cmd->choice < 0) {
				m->miss = MISS_WORD;
				m->depth = i;
				return;
			}
			break;
		case TOK_ARG:
			if (!prefix && take_value(t, name, argv[i], def->setting, cmd,
						  m->value_err, sizeof(m->value_err))) {
				m->miss = MISS_VALUE;
				m->depth = i;
				return;
			}
			break;
		}
	}
	m->depth = n;
	if (argc > n && !def->reject && !def->options)
		m->miss = MISS_EXTRA;
	if (def->options && argc > n) {
		cmd->opt_argc = argc - n;
		cmd->opt_argv = argv + n;
	}
	cmd->def = def;
}

/* Semantic checks of a complete match. */
static int check_values(const struct ppctl_cmd *cmd, struct ppctl_error *err)
{
	if (cmd->nports == 2) {
		if (cmd->ports[0] > cmd->ports[1]) {
			ppctl_error_set(err, PPCTL_EXIT_USAGE,
					"\"ports\" range %u %u is inverted: the first port must not exceed the second",
					cmd->ports[0], cmd->ports[1]);
			return -1;
		}
		if (cmd->ports[0] == cmd->ports[1]) {
			ppctl_error_set(err, PPCTL_EXIT_USAGE,
					"\"ports\" range %u %u holds one port; RTP and RTCP need at least two",
					cmd->ports[0], cmd->ports[1]);
			return -1;
		}
	}
	return 0;
}

/* "w1 w2 ... wn" of the first n words. */
static void join(char *buf, size_t len, int n, char **argv)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? " " : "", argv[i]);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* Append "alt" to a "a|b" list unless present. */
static void add_expected(char *list, size_t len, const char *alt)
{
	size_t alen = strlen(alt), used = strlen(list);
	const char *p = list;

	while (*p) {
		const char *bar = strchr(p, '|');
		size_t l = bar ? (size_t)(bar - p) : strlen(p);

		if (l == alen && !strncmp(p, alt, l))
			return;
		if (!bar)
			break;
		p = bar + 1;
	}
	if (used + alen + 2 < len)
		snprintf(list + used, len - used, "%s%s", used ? "|" : "", alt);
}

/* What may come at position depth, over entries that reached it. */
static void expected_at(const struct ppctl_cmd_def *table, int argc,
			char **argv, int depth, char *list, size_t len)
{
	const struct ppctl_cmd_def *def;

	list[0] = '\0';
	for (def = table; ppctl_def_words(def); def++) {
		struct tok toks[MAX_TOKENS];
		struct ppctl_cmd scratch;
		struct match m;
		int n;

		if (def->reject)
			continue;
		match_def(def, depth < argc ? depth : argc, argv, true, &scratch, &m);
		n = tokens(ppctl_def_words(def), toks);
		if (m.miss != MISS_NONE || m.depth < depth || depth >= n)
			continue;
		if (toks[depth].kind == TOK_ARG) {
			char arg[TOKEN_LEN + 2];

			snprintf(arg, sizeof(arg), "<%s>", toks[depth].text);
			add_expected(list, len, arg);
		} else {
			add_expected(list, len, toks[depth].text);
		}
	}
}

static void miss_message(const struct ppctl_cmd_def *table, int argc,
			 char **argv, const struct match *m,
			 struct ppctl_error *err)
{
	char cmdline[256], expected[256];

	join(cmdline, sizeof(cmdline), m->depth, argv);
	switch (m->miss) {
	case MISS_VALUE:
		ppctl_error_set(err, PPCTL_EXIT_USAGE, "%s", m->value_err);
		break;
	case MISS_EXTRA:
		ppctl_error_set(err, PPCTL_EXIT_USAGE, "\"%s\": unexpected word \"%s\"",
				cmdline, argv[m->depth]);
		break;
	case MISS_SHORT:
		expected_at(table, argc, argv, m->depth, expected, sizeof(expected));
		if (expected[0] == '<' && !strchr(expected, '|'))
			ppctl_error_set(err, PPCTL_EXIT_USAGE, "\"%s\": missing %s",
					cmdline, expected);
		else
			ppctl_error_set(err, PPCTL_EXIT_USAGE,
					"\"%s\" is incomplete (expected %s); try \"%s ?\"",
					cmdline, expected, cmdline);
		break;
	case MISS_WORD:
	default:
		if (m->depth == 0) {
			ppctl_error_set(err, PPCTL_EXIT_USAGE,
					"unknown command \"%s\"; try \"help\"", argv[0]);
			break;
		}
		expected_at(table, argc, argv, m->depth, expected, sizeof(expected));
		ppctl_error_set(err, PPCTL_EXIT_USAGE,
				"\"%s\": unknown word \"%s\" (expected %s)",
				cmdline, argv[m->depth], expected);
		break;
	}
}

/* Prefix the error with the command's fail tag ("UserAuthFailure: "). */
static void tag_error(const struct ppctl_cmd_def *def, int depth,
		      struct ppctl_error *err)
{
	size_t tlen, mlen;

	if (!def || !def->fail_tag || depth < def->tag_depth)
		return;
	tlen = strlen(def->fail_tag) + 2;
	mlen = strlen(err->msg);
	if (tlen + mlen >= sizeof(err->msg))
		mlen = sizeof(err->msg) - tlen - 1;
	memmove(err->msg + tlen, err->msg, mlen);
	err->msg[tlen + mlen] = '\0';
	memcpy(err->msg, def->fail_tag, tlen - 2);
	memcpy(err->msg + tlen - 2, ": ", 2);
	err->tagged = true;
	err->code = PPCTL_EXIT_FAIL;
}

/* The most telling miss over the table: deepest, then by kind. */
static const struct ppctl_cmd_def *best_match(const struct ppctl_cmd_def *table,
					      int argc, char **argv, bool prefix,
					      struct ppctl_cmd *cmd,
					      struct match *best)
{
	const struct ppctl_cmd_def *def, *best_def = NULL;
	struct ppctl_cmd scratch;
	struct match m;

	best->miss = MISS_WORD;
	best->depth = -1;
	for (def = table; ppctl_def_words(def); def++) {
		if (prefix && def->reject)
			continue;
		match_def(def, argc, argv, prefix, &scratch, &m);
		if (m.miss == MISS_NONE) {
			*cmd = scratch;
			*best = m;
			return def;
		}
		if (m.depth > best->depth ||
		    (m.depth == best->depth && m.miss > best->miss)) {
			*best = m;
			best_def = def;
		}
	}
	cmd->def = NULL;
	return best_def;
}

enum ppctl_parse_result ppctl_parse(const struct ppctl_cmd_def *table,
				    int argc, char **argv,
				    struct ppctl_cmd *cmd,
				    struct ppctl_error *err)
{
	const struct ppctl_cmd_def *def;
	struct match m;
	bool help = false;
	int i;

	memset(cmd, 0, sizeof(*cmd));
	cmd->choice = -1;
	err->msg[0] = '\0';
	err->code = PPCTL_EXIT_OK;
	err->tagged = false;
	if (argc <= 0) {
		ppctl_error_set(err, PPCTL_EXIT_USAGE, "no command; try \"help\"");
		return PPCTL_PARSE_ERROR;
	}
	/* The guide's help forms: "? words", "words ?", "help words" and
	 * "words help" list the commands starting with the words (a last
	 * word "help" is always help, never a value). */
	if (!strcmp(argv[0], "?")) {
		argv++;
		argc--;
		help = true;
	} else if (!strcmp(argv[argc - 1], "?") ||
		   (argc > 1 && !strcmp(argv[argc - 1], "help"))) {
		argc--;
		help = true;
	}
	if (argc > 1 && !strcmp(argv[0], "help")) {
		argv++;
		argc--;
		help = true;
	}
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "?")) {
			ppctl_error_set(err, PPCTL_EXIT_USAGE,
					"\"?\" goes first or last on the line");
			return PPCTL_PARSE_ERROR;
		}
	}
	if (help) {
		/* The words must start some command; values are not checked. */
		if (argc > 0) {
			best_match(table, argc, argv, true, cmd, &m);
			if (m.miss != MISS_NONE) {
				miss_message(table, argc, argv, &m, err);
				return PPCTL_PARSE_ERROR;
			}
		}
		memset(cmd, 0, sizeof(*cmd));
		cmd->choice = -1;
		cmd->help_argc = argc;
		cmd->help_argv = argv;
		return PPCTL_PARSE_HELP;
	}

	def = best_match(table, argc, argv, false, cmd, &m);
	if (m.miss == MISS_NONE) {
		if (def->reject) {
			ppctl_error_set(err, PPCTL_EXIT_USAGE, "%s", def->reject);
			return PPCTL_PARSE_ERROR;
		}
		if (check_values(cmd, err)) {
			tag_error(def, m.depth, err);
			return PPCTL_PARSE_ERROR;
		}
		return PPCTL_PARSE_OK;
	}
	miss_message(table, argc, argv, &m, err);
	tag_error(def, m.depth, err);
	return PPCTL_PARSE_ERROR;
}

/* The entry's words as shown to people: {a|b} as a|b, <x:t> as <x>. */
static void display(const struct ppctl_cmd_def *def, char *buf, size_t len)
{
	struct tok toks[MAX_TOKENS];
	int n = tokens(ppctl_def_words(def), toks), i;
	size_t used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		int w = snprintf(buf + used, len - used,
				 toks[i].kind == TOK_ARG ? "%s<%s>" : "%s%s",
				 i ? " " : "", toks[i].text);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

void ppctl_print_help(FILE *f, const struct ppctl_cmd_def *table,
		      int argc, char **argv)
{
	const struct ppctl_cmd_def *def;
	char line[256];
	size_t width = 0;
	int pass;

	/* Pass 0 measures, pass 1 prints. */
	for (pass = 0; pass < 2; pass++) {
		for (def = table; ppctl_def_words(def); def++) {
			struct ppctl_cmd scratch;
			struct match m;

			if (def->reject)
				continue;
			match_def(def, argc, argv, true, &scratch, &m);
			if (m.miss != MISS_NONE)
				continue;
			display(def, line, sizeof(line));
			if (pass == 0) {
				if (strlen(line) > width)
					width = strlen(line);
			} else {
				fprintf(f, "%-*s  %s\n", (int)width, line,
					ppctl_def_help(def) ? ppctl_def_help(def) : "");
			}
		}
	}
}

int ppctl_split(char *line, char **argv, int max, struct ppctl_error *err)
{
	char *p = line, *out;
	int argc = 0;

	for (;;) {
		char c;

		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p || *p == '#')
			break;
		if (argc == max) {
			ppctl_error_set(err, PPCTL_EXIT_USAGE,
					"too many words (at most %d)", max);
			return -1;
		}
		out = p;
		argv[argc++] = out;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
			char q = *p;

			if (q != '"' && q != '\'') {
				*out++ = *p++;
				continue;
			}
			p++;
			while (*p && *p != q) {
				if (q == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				*out++ = *p++;
			}
			if (!*p) {
				ppctl_error_set(err, PPCTL_EXIT_USAGE,
						"unterminated %s quote",
						q == '"' ? "double" : "single");
				return -1;
			}
			p++;
		}
		c = *p;
		*out = '\0';
		if (c)
			p++;
	}
	return argc;
}

void ppctl_quote(FILE *f, const char *word)
{
	const char *s;
	bool plain = *word != '\0';

	for (s = word; *s && plain; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._/:@%+=,-", *s)))
			plain = false;
	if (plain) {
		fputs(word, f);
		return;
	}
	fputc('"', f);
	for (s = word; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}
