// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl's command grammar without a kernel: every command of the guide
 * parses into the right struct, bad input is refused naming the input and
 * the reason, keywords are exact and case sensitive, "?" lists what may
 * follow, lines split and quote back. Run from tests/.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "grammar.h"
#include "httpconf.h"
#include "ops.h"
#include "output.h"
#include "heartbeat.h"
#include "settings.h"
#include "tlsdconf.h"
#include "tap.h"

static struct ppctl_cmd cmd;
static struct ppctl_error err;
static char linebuf[1024];
static char *words_v[PPCTL_MAX_WORDS];	/* cmd.help_argv points here */

/* Parse a command line given as one string. */
static enum ppctl_parse_result parse(const char *line)
{
	int argc;

	snprintf(linebuf, sizeof(linebuf), "%s", line);
	argc = ppctl_split(linebuf, words_v, PPCTL_MAX_WORDS, &err);
	if (argc < 0)
		return PPCTL_PARSE_ERROR;
	return ppctl_parse(ppctl_commands, argc, words_v, &cmd, &err);
}

static bool parses_to(const char *line, ppctl_handler h)
{
	enum ppctl_parse_result r = parse(line);

	if (r != PPCTL_PARSE_OK) {
		diag("%s: %s", line, err.msg);
		return false;
	}
	return cmd.def->handler == h;
}

/* A declared setting, set by the one table-driven handler. */
static bool sets(const char *line, enum pp_setting_id id)
{
	return parses_to(line, ppctl_do_set) && cmd.def->setting == &pp_settings[id];
}

static void test_commands(void)
{
	ok(parses_to("set user active name homer address 192.0.2.10", ppctl_do_user_active) &&
	   !strcmp(cmd.user, "homer") && cmd.addr == htonl(0xc000020a),
	   "set user active name homer address 192.0.2.10");
	ok(parses_to("set user inactive name homer", ppctl_do_user_inactive) &&
	   !strcmp(cmd.user, "homer"), "set user inactive name homer");
	ok(parses_to("show user", ppctl_do_show_user), "show user");
	ok(parses_to("publish /tmp/users.xml", ppctl_do_publish) &&
	   !strcmp(cmd.file, "/tmp/users.xml"), "publish <users.xml>");
	ok(sets("set phoneproxy activation idletimeout 300", PP_S_IDLE_TIMEOUT) &&
	   cmd.seconds == 300, "set phoneproxy activation idletimeout 300");
	ok(sets("set phoneproxy activation authtimeout 0", PP_S_AUTH_TIMEOUT) &&
	   cmd.seconds == 0, "set phoneproxy activation authtimeout 0");
	ok(sets("set phoneproxy activation authtimeout 604800", PP_S_AUTH_TIMEOUT) &&
	   cmd.seconds == 604800, "authtimeout of one week (the maximum)");
	ok(sets("set phoneproxy activation mode required", PP_S_ACT_MODE) &&
	   cmd.choice == 0, "set phoneproxy activation mode required");
	ok(sets("set phoneproxy activation mode open", PP_S_ACT_MODE) &&
	   cmd.choice == 1, "set phoneproxy activation mode open");
	ok(sets("set phoneproxy http enable", PP_S_HTTP) && cmd.choice == 0 &&
	   sets("set phoneproxy http disable", PP_S_HTTP) && cmd.choice == 1,
	   "set phoneproxy http enable|disable");
	ok(sets("set phoneproxy httpproxy enable", PP_S_HTTPPROXY) &&
	   cmd.choice == 0 &&
	   sets("set phoneproxy httpproxy disable", PP_S_HTTPPROXY) &&
	   cmd.choice == 1, "set phoneproxy httpproxy enable|disable");
	ok(sets("set phoneproxy sccp security on", PP_S_SCCP_SECURITY) &&
	   cmd.choice == 0 &&
	   sets("set phoneproxy sccp security off", PP_S_SCCP_SECURITY) &&
	   cmd.choice == 1, "set phoneproxy sccp security on|off");
	ok(sets("set phoneproxy rtp ports 20480 21680", PP_S_RTP_PORTS) &&
	   cmd.nports == 2 && cmd.ports[0] == 20480 && cmd.ports[1] == 21680,
	   "set phoneproxy rtp ports 20480 21680");
	ok(sets("set interface north address 192.0.2.1", PP_S_INTERFACE) &&
	   cmd.choice == 0 && cmd.addr == htonl(0xc0000201),
	   "set interface north address 192.0.2.1");
	ok(sets("set interface south address 198.51.100.1", PP_S_INTERFACE) &&
	   cmd.choice == 1 && cmd.addr == htonl(0xc6336401),
	   "set interface south address 198.51.100.1");
	ok(sets("set interface north address 0.0.0.0", PP_S_INTERFACE) &&
	   cmd.addr == 0, "set interface north address 0.0.0.0 (unset the role)");
	ok(parses_to("show phoneproxy", ppctl_do_show_phoneproxy), "show phoneproxy");
	ok(parses_to("show callmanager", ppctl_do_show_callmanager), "show callmanager");
	ok(parses_to("show counters", ppctl_do_show_counters), "show counters");
	ok(parses_to("show config running", ppctl_do_show_running), "show config running");
	ok(parses_to("show config startup", ppctl_do_show_startup), "show config startup");
	ok(parses_to("save config", ppctl_do_save_config), "save config");
	ok(parses_to("monitor", ppctl_do_monitor), "monitor");
	ok(parses_to("help", ppctl_do_help), "help");
	ok(parses_to("set user active name \"homer simpson\" address 203.0.113.9",
		     ppctl_do_user_active) && !strcmp(cmd.user, "homer simpson"),
	   "a quoted user name with a blank");
}

struct bad {
	const char *line;
	const char *msg;
	int code;
	bool tagged;
};

static const struct bad bad_lines[] = {
	{ "sho", "unknown command \"sho\"; try \"help\"", 2, false },
	{ "SHOW user", "unknown command \"SHOW\"; try \"help\"", 2, false },
	{ "show User",
	  "\"show\": unknown word \"User\" (expected user|phoneproxy|certificate|ctl|interface|callmanager|counters|calls|stats|status|version|cluster|log|config)",
	  2, false },
	{ "set phoneproxy activation mode Open",
	  "\"set phoneproxy activation mode\": unknown word \"Open\" (expected required|open)",
	  2, false },
	{ "set phoneproxy activation mode sometimes",
	  "\"set phoneproxy activation mode\": unknown word \"sometimes\" (expected required|open)",
	  2, false },
	{ "set phoneproxy activation idletimeout abc",
	  "\"idletimeout\" value \"abc\" is not a number of seconds (0..604800)", 2, false },
	{ "set phoneproxy activation idletimeout 99999999",
	  "\"idletimeout\" value \"99999999\" is not a number of seconds (0..604800)", 2, false },
	{ "set phoneproxy activation authtimeout -5",
	  "\"authtimeout\" value \"-5\" is not a number of seconds (0..604800)", 2, false },
	{ "set phoneproxy activation idletimeout 300s",
	  "\"idletimeout\" value \"300s\" is not a number of seconds (0..604800)", 2, false },
	{ "set phoneproxy activation idletimeout",
	  "\"set phoneproxy activation idletimeout\": missing <seconds>", 2, false },
	{ "set phoneproxy foo",
	  "\"set phoneproxy\": unknown word \"foo\" (expected activation|http|httpproxy|sccp|rtp|media|tftp|loglevel)",
	  2, false },
	{ "set phoneproxy http",
	  "\"set phoneproxy http\" is incomplete (expected enable|disable|publish|maxconnections|headertimeout|bodytimeout); try \"set phoneproxy http ?\"",
	  2, false },
	{ "set user",
	  "\"set user\" is incomplete (expected active|inactive); try \"set user ?\"", 2, false },
	{ "set user active name homer address 192.0.2.300",
	  "UserAuthFailure: \"address\" value \"192.0.2.300\" is not an IPv4 address", 1, true },
	{ "set user active name homer address 0.0.0.0",
	  "UserAuthFailure: \"address\" value \"0.0.0.0\" is not a phone's address (a unicast IPv4 address)",
	  1, true },
	{ "set user active name homer",
	  "UserAuthFailure: \"set user active name homer\" is incomplete (expected address); "
	  "try \"set user active name homer ?\"", 1, true },
	{ "set user active name \"\" address 192.0.2.10",
	  "UserAuthFailure: \"name\" value \"\" is not a user name (1..63 bytes of text)", 1, true },
	{ "set user active name homer address 192.0.2.10 now",
	  "UserAuthFailure: \"set user active name homer address 192.0.2.10\": unexpected word \"now\"",
	  1, true },
	{ "set user inactive name homer address 192.0.2.10",
	  "\"set user inactive name homer\": unexpected word \"address\"", 2, false },
	{ "show user extra", "\"show user\": unexpected word \"extra\"", 2, false },
	{ "set interface north address 192.0.2.1 netmask 255.255.255.0",
	  "\"netmask\" is not accepted: the host owns addressing (ip-address(8)); "
	  "ppctl only picks which of its addresses is north or south", 2, false },
	{ "set interface south address 198.51.100.1 netmask",
	  "\"netmask\" is not accepted: the host owns addressing (ip-address(8)); "
	  "ppctl only picks which of its addresses is north or south", 2, false },
	{ "set interface east address 192.0.2.1",
	  "\"set interface\": unknown word \"east\" (expected north|south|virtnorth|virtsouth|mgmt|cluster)", 2, false },
	{ "set interface north address 192.0.2",
	  "\"address\" value \"192.0.2\" is not an IPv4 address", 2, false },
	{ "set phoneproxy rtp ports 30000 20000",
	  "\"ports\" range 30000 20000 is inverted: the first port must not exceed the second",
	  2, false },
	{ "set phoneproxy rtp ports 20000 20000",
	  "\"ports\" range 20000 20000 holds one port; RTP and RTCP need at least two", 2, false },
	{ "set phoneproxy rtp ports 20000 70000",
	  "\"ports\" value \"70000\" is not a port number (1..65535)", 2, false },
	{ "set phoneproxy rtp ports 20000",
	  "\"set phoneproxy rtp ports 20000\": missing <max>", 2, false },
	{ "publish", "\"publish\": missing <file>", 2, false },
	{ "publish \"\"", "\"publish\" value is an empty file name", 2, false },
	{ "save", "\"save\" is incomplete (expected config); try \"save ?\"", 2, false },
	{ "set ? user", "\"?\" goes first or last on the line", 2, false },
	{ "sho ?", "unknown command \"sho\"; try \"help\"", 2, false },
	{ "", "no command; try \"help\"", 2, false },
	{ "show \"user", "unterminated double quote", 2, false },
};

static void test_errors(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		const struct bad *b = &bad_lines[i];
		bool good;

		good = parse(b->line) == PPCTL_PARSE_ERROR && !strcmp(err.msg, b->msg) &&
		       err.code == b->code && err.tagged == b->tagged;
		ok(good, "refused: \"%s\"", b->line);
		if (!good) {
			diag("got:  %s (exit %d%s)", err.msg, err.code, err.tagged ? ", tagged" : "");
			diag("want: %s (exit %d%s)", b->msg, b->code, b->tagged ? ", tagged" : "");
		}
	}
}

static char *help_of(const char *line, enum ppctl_parse_result *r)
{
	char *text = NULL;
	size_t len;
	FILE *f;

	*r = parse(line);
	if (*r != PPCTL_PARSE_HELP)
		return NULL;
	f = open_memstream(&text, &len);
	ppctl_print_help(f, ppctl_commands, cmd.help_argc, cmd.help_argv);
	fclose(f);
	return text;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

static bool every_line_starts(const char *text, const char *prefix)
{
	const char *p = text;

	if (!p || !*p)
		return false;
	while (*p) {
		if (strncmp(p, prefix, strlen(prefix)))
			return false;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return true;
}

static void test_help(void)
{
	enum ppctl_parse_result r;
	char *a, *b;

	a = help_of("show ?", &r);
	ok(r == PPCTL_PARSE_HELP && count_lines(a) == 19 && every_line_starts(a, "show "),
	   "\"show ?\" lists the nineteen show commands");
	b = help_of("? show", &r);
	ok(a && b && !strcmp(a, b), "\"? show\" is the same as \"show ?\"");
	free(a);
	free(b);

	a = help_of("set user ?", &r);
	ok(a && count_lines(a) == 2 &&
	   strstr(a, "set user active name <user> address <ip>") &&
	   strstr(a, "set user inactive name <user>"),
	   "\"set user ?\" lists active and inactive");
	free(a);

	a = help_of("set phoneproxy activation ?", &r);
	ok(a && count_lines(a) == 3 && strstr(a, "idletimeout <seconds>") &&
	   strstr(a, "authtimeout <seconds>") && strstr(a, "mode required|open"),
	   "\"set phoneproxy activation ?\": idletimeout, authtimeout, mode");
	free(a);

	a = help_of("? set", &r);
	ok(a && every_line_starts(a, "set ") && strstr(a, "set interface north|south address <ip>") &&
	   !strstr(a, "netmask"), "\"? set\" lists the set commands, no netmask");
	free(a);

	a = help_of("set user active name homer ?", &r);
	ok(a && count_lines(a) == 1, "\"?\" after a value completes the command");
	free(a);

	/* 96 commands (50 of them settings' set) and the 50 settings' unset. */
	a = help_of("?", &r);
	ok(a && count_lines(a) == 96 + PP_S_COUNT && PP_S_COUNT == 50 &&
	   strstr(a, "publish <file>") && strstr(a, "set phoneproxy rtp ports <min> <max>") &&
	   strstr(a, "unset phoneproxy rtp ports "),
	   "\"?\" alone lists all 146 commands (%d)", count_lines(a));
	free(a);

	/* The guide's "CLI Help System": help delete, ? delete, delete ?. */
	a = help_of("help delete", &r);
	ok(r == PPCTL_PARSE_HELP && count_lines(a) == 3 && every_line_starts(a, "delete ") &&
	   strstr(a, "delete certificate <pattern>") && strstr(a, "delete ctl sast sast1|sast2") &&
	   strstr(a, "delete log <pattern>"),
	   "\"help delete\" lists the three delete commands");
	b = help_of("? delete", &r);
	ok(a && b && !strcmp(a, b), "\"? delete\" is the same as \"help delete\"");
	free(b);
	b = help_of("delete ?", &r);
	ok(a && b && !strcmp(a, b), "\"delete ?\" is the same as \"help delete\"");
	free(b);
	free(a);
	a = help_of("delete certificate help", &r);
	b = help_of("delete certificate ?", &r);
	ok(a && b && !strcmp(a, b) && count_lines(a) == 1 &&
	   strstr(a, "delete certificate <pattern>"),
	   "\"delete certificate help\" is \"delete certificate ?\": the syntax");
	free(b);
	b = help_of("help delete certificate ?", &r);
	ok(a && b && !strcmp(a, b), "\"help delete certificate ?\" too");
	free(b);
	free(a);
	a = help_of("help unset", &r);
	ok(a && count_lines(a) == PP_S_COUNT + 1 && every_line_starts(a, "unset ") &&
	   strstr(a, "unset password"), "\"help unset\" lists an unset per setting and unset password");
	free(a);
	a = help_of("help frobnicate", &r);
	ok(!a && r == PPCTL_PARSE_ERROR &&
	   !strcmp(err.msg, "unknown command \"frobnicate\"; try \"help\""),
	   "\"help frobnicate\": an error naming the word (%s)", err.msg);
	a = help_of("help delete sast", &r);
	ok(!a && r == PPCTL_PARSE_ERROR &&
	   !strcmp(err.msg, "\"delete\": unknown word \"sast\" (expected certificate|ctl|log)"),
	   "\"help delete sast\": an error naming the word (%s)", err.msg);
	ok(parses_to("help", ppctl_do_help), "\"help\" alone is the command list");

	a = help_of("Show ?", &r);
	ok(!a && r == PPCTL_PARSE_ERROR && !strcmp(err.msg, "unknown command \"Show\"; try \"help\""),
	   "\"?\" after an unknown word is an error");
}

static void test_split_quote(void)
{
	static const char *const words[] = {
		"plain", "/var/lib/phoneproxy/users.xml", "with blank", "say \"hi\"",
		"back\\slash", "#hash", "", "tab\there", "'single'",
	};
	char *argv[PPCTL_MAX_WORDS], line[256];
	size_t i;
	int argc;

	snprintf(line, sizeof(line), "  show   user # the table\n");
	argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &err);
	ok(argc == 2 && !strcmp(argv[0], "show") && !strcmp(argv[1], "user"),
	   "blanks separate words, # starts a comment");
	snprintf(line, sizeof(line), "# a comment line");
	ok(ppctl_split(line, argv, PPCTL_MAX_WORDS, &err) == 0, "a comment line has no words");
	snprintf(line, sizeof(line), "a 'b c' \"d \\\"e\\\\\" f#g");
	argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &err);
	ok(argc == 4 && !strcmp(argv[1], "b c") && !strcmp(argv[2], "d \"e\\") &&
	   !strcmp(argv[3], "f#g"), "single and double quotes, escapes, # inside a word");
	snprintf(line, sizeof(line), "a b c d");
	ok(ppctl_split(line, argv, 3, &err) == -1 && !strcmp(err.msg, "too many words (at most 3)"),
	   "too many words");

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char *text = NULL;
		size_t len;
		FILE *f = open_memstream(&text, &len);

		ppctl_quote(f, words[i]);
		fclose(f);
		snprintf(line, sizeof(line), "%s", text);
		argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &err);
		ok(argc == 1 && !strcmp(argv[0], words[i]), "quote round trip: [%s] as %s",
		   words[i], text);
		free(text);
	}
}

static void test_table(void)
{
	const struct ppctl_cmd_def *d, *e;
	bool handlers = true, lower = true, unique = true;

	for (d = ppctl_commands; ppctl_def_words(d); d++) {
		const char *p;

		if (!d->reject && (!d->handler || !ppctl_def_help(d)))
			handlers = false;
		for (p = ppctl_def_words(d); *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				lower = false;
		for (e = d + 1; ppctl_def_words(e); e++)
			if (!strcmp(ppctl_def_words(d), ppctl_def_words(e)))
				unique = false;
	}
	ok(handlers, "every command has a handler and a help line");
	ok(lower, "every keyword is lower case, as in the guide");
	ok(unique, "no command is listed twice");
}

/* The parts of execution that need no kernel. */
/* The whole of a file ("" when missing), malloc()ed. */
static char *slurp(const char *path)
{
	char *buf = calloc(1, 8192);
	FILE *f = fopen(path, "r");

	if (f && buf) {
		if (fread(buf, 1, 8191, f) == 0)
			buf[0] = '\0';
	}
	if (f)
		fclose(f);
	return buf;
}

static int run_line(struct ppctl_ctx *ctx, const char *cmdline)
{
	char line[512], *argv[PPCTL_MAX_WORDS];
	int argc;

	snprintf(line, sizeof(line), "%s", cmdline);
	argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &err);
	return ppctl_run(ctx, argc, argv);
}

/*
 * "set phoneproxy sccp security ..." writes tlsd.conf (pp-tlsd not
 * running here: nothing to tell); a bad value, a CA bundle that is not
 * one, or a tlsd.conf that does not parse change nothing.
 */
static void test_tlsd_conf_write(struct ppctl_ctx *ctx, const char *dir)
{
	static const char *const bad[][2] = {
		{ "set phoneproxy sccp security handshaketimeout 0",
		  "\"handshaketimeout\" value \"0\" is not a number of seconds (1..300)" },
		{ "set phoneproxy sccp security maxconnections peraddress 1000001",
		  "\"peraddress\" value \"1000001\" is not a number in 1..1000000" },
		{ "set phoneproxy sccp security cafile ca.pem",
		  "\"cafile\" value \"ca.pem\" is not an absolute path (or none)" },
		{ "set phoneproxy sccp security cafile /nonexistent/ca.pem",
		  "cafile: /nonexistent/ca.pem: No such file or directory" },
		{ NULL, "no PEM certificate in it" },	/* cafile: tlsd.conf itself */
	};
	char path[256], line[512], *before, *after, *text = NULL;
	size_t i, len;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/tlsd.conf", dir);
	rc = run_line(ctx, "set phoneproxy sccp security handshaketimeout 4");
	rc |= run_line(ctx, "set phoneproxy sccp security maxconnections peraddress 2");
	rc |= run_line(ctx, "set phoneproxy sccp security maxhandshakes 64");
	before = slurp(path);
	ok(rc == 0 && before && !strcmp(before,
	   "# pp-tlsd settings: written by ppctl, read by pp-tlsd\n"
	   "set phoneproxy sccp security handshaketimeout 4\n"
	   "set phoneproxy sccp security maxconnections peraddress 2\n"
	   "set phoneproxy sccp security maxhandshakes 64\n"),
	   "set phoneproxy sccp security ... keeps every accepted setting in tlsd.conf (%s)",
	   ctx->err.msg);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (bad[i][0])
			snprintf(line, sizeof(line), "%s", bad[i][0]);
		else
			snprintf(line, sizeof(line), "set phoneproxy sccp security cafile %s", path);
		rc = run_line(ctx, line);
		after = slurp(path);
		ok(rc == PPCTL_EXIT_USAGE && strstr(ctx->err.msg, bad[i][1]) && after &&
		   !strcmp(before, after), "%s: refused (%s), tlsd.conf unchanged", line,
		   ctx->err.msg);
		free(after);
	}
	/* A tlsd.conf edited by hand into nonsense: named, and kept as it is. */
	f = fopen(path, "a");
	if (f) {
		fputs("set phoneproxy sccp security maxhandshakes many\n", f);
		fclose(f);
	}
	free(before);
	before = slurp(path);
	rc = run_line(ctx, "set phoneproxy sccp security maxconnections 100");
	after = slurp(path);
	ok(rc == PPCTL_EXIT_FAIL && strstr(ctx->err.msg, "tlsd.conf:5: ") && after &&
	   !strcmp(before, after), "a tlsd.conf that does not parse: named with its line (%s), unchanged",
	   ctx->err.msg);
	free(after);
	free(before);
	/* show config running: from the file (without the kernel: the
	 * daemons' part alone is checked, ppctl_http_print_running). */
	unlink(path);
	run_line(ctx, "set phoneproxy sccp security cafile /etc/phoneproxy/x.pem");
	rc = run_line(ctx, "set phoneproxy sccp security maxconnections 100");
	f = open_memstream(&text, &len);
	ok(rc == 0 && !ppctl_http_print_running(ctx, f) && !fclose(f) && text &&
	   strstr(text, "set phoneproxy sccp security maxconnections 100\n") &&
	   !strstr(text, "cafile"), "show config running prints tlsd.conf's settings");
	free(text);
	unlink(path);
}

/*
 * unset of a daemon's setting: through the same path as set (the file
 * loaded, checked whole, written atomically): the line goes, the others
 * stay; an unset that would break a rule between settings changes nothing.
 */
static void test_unset_files(struct ppctl_ctx *ctx, const char *dir)
{
	char tftp[256], tls[256], http[256], *before, *after, *text = NULL;
	size_t len;
	FILE *f;
	int rc;

	snprintf(tftp, sizeof(tftp), "%s/tftpd.conf", dir);
	snprintf(tls, sizeof(tls), "%s/tlsd.conf", dir);
	snprintf(http, sizeof(http), "%s/httpd.conf", dir);
	rc = run_line(ctx, "set phoneproxy tftp retries 7");
	rc |= run_line(ctx, "set phoneproxy tftp rate 50");
	rc |= run_line(ctx, "unset phoneproxy tftp retries");
	after = slurp(tftp);
	ok(rc == 0 && after && strstr(after, "\nset phoneproxy tftp rate 50\n") &&
	   !strstr(after, "retries"), "unset phoneproxy tftp retries: gone from tftpd.conf, rate kept");
	free(after);
	rc = run_line(ctx, "set phoneproxy tftp retransmit max 6000");
	rc |= run_line(ctx, "set phoneproxy tftp retransmit 5000");
	before = slurp(tftp);
	rc |= run_line(ctx, "unset phoneproxy tftp retransmit max") != PPCTL_EXIT_USAGE;
	after = slurp(tftp);
	ok(rc == 0 && !strcmp(ctx->err.msg,
	   "tftpd.conf: retransmit max (4000 ms) is below retransmit (5000 ms)") &&
	   before && after && !strcmp(before, after),
	   "unset phoneproxy tftp retransmit max below retransmit: refused, tftpd.conf unchanged (%s)",
	   ctx->err.msg);
	free(before);
	free(after);
	rc = run_line(ctx, "unset phoneproxy tftp retransmit");
	rc |= run_line(ctx, "unset phoneproxy tftp retransmit max");
	rc |= run_line(ctx, "unset phoneproxy tftp rate");
	after = slurp(tftp);
	ok(rc == 0 && after && !strstr(after, "\nset "), "every tftp setting unset: tftpd.conf holds none");
	free(after);

	rc = run_line(ctx, "set phoneproxy sccp security maxconnections peraddress 2");
	rc |= run_line(ctx, "set phoneproxy sccp security maxhandshakes 64");
	rc |= run_line(ctx, "set phoneproxy sccp security cafile none");
	rc |= run_line(ctx, "unset phoneproxy sccp security maxconnections peraddress");
	after = slurp(tls);
	ok(rc == 0 && after && strstr(after, "\nset phoneproxy sccp security maxhandshakes 64\n") &&
	   !strstr(after, "peraddress"),
	   "unset phoneproxy sccp security maxconnections peraddress: gone from tlsd.conf");
	free(after);

	rc = run_line(ctx, "set phoneproxy httpproxy mode external");
	rc |= run_line(ctx, "set phoneproxy httpproxy externaladdress 203.0.113.8");
	rc |= run_line(ctx, "set phoneproxy http maxconnections 100");
	rc |= run_line(ctx, "set phoneproxy httpproxy allow http://198.51.100.10/dir/*");
	rc |= run_line(ctx, "unset phoneproxy httpproxy mode");
	rc |= run_line(ctx, "unset phoneproxy httpproxy externaladdress");
	rc |= run_line(ctx, "unset phoneproxy httpproxy allow http://198.51.100.10/dir/*");
	after = slurp(http);
	ok(rc == 0 && after && strstr(after, "set phoneproxy http maxconnections 100\n") &&
	   !strstr(after, "mode") && !strstr(after, "externaladdress") && !strstr(after, "allow"),
	   "unset phoneproxy httpproxy mode|externaladdress|allow <url>: gone from httpd.conf");
	free(after);
	before = slurp(http);
	rc = run_line(ctx, "unset phoneproxy httpproxy allow http://198.51.100.10/dir/*");
	after = slurp(http);
	ok(rc == PPCTL_EXIT_FAIL && strstr(ctx->err.msg, "is not in the httpproxy allow list") &&
	   before && after && !strcmp(before, after),
	   "unset of a pattern not in the allow list: refused naming it (%s)", ctx->err.msg);
	free(before);
	free(after);

	f = open_memstream(&text, &len);
	ok(!ppctl_http_print_running(ctx, f) && !fclose(f) && text &&
	   !strcmp(text, "set phoneproxy http maxconnections 100\n"
		   "set phoneproxy sccp security maxhandshakes 64\n"),
	   "show config running: the daemons' settings left, none of those unset");
	free(text);
	unlink(tftp);
	unlink(tls);
	unlink(http);
}

static void test_exec_without_kernel(void)
{
	char dir[] = "/tmp/pp-test-grammar.XXXXXX", path[256], *text = NULL;
	char *argv[PPCTL_MAX_WORDS], line[512];
	struct ppctl_ctx ctx;
	size_t len;
	FILE *f;
	int rc, argc;

	if (!mkdtemp(dir))
		return;
	setenv("PP_CONF_DIR", dir, 1);
	setenv("PP_STATE_DIR", dir, 1);

	f = open_memstream(&text, &len);
	ppctl_ctx_init(&ctx, f, false);
	snprintf(line, sizeof(line), "show config startup");
	argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &err);
	rc = ppctl_run(&ctx, argc, argv);
	fclose(f);
	ok(rc == 0 && text && strstr(text, "no startup configuration") && !strstr(text, "set "),
	   "show config startup before save config says there is none");
	free(text);

	snprintf(path, sizeof(path), "%s/startup.conf", dir);
	f = fopen(path, "w");
	fputs("set phoneproxy activation idletimeout 120\n", f);
	fclose(f);
	f = open_memstream(&text, &len);
	ctx.out = f;
	snprintf(line, sizeof(line), "show config startup");
	argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &err);
	rc = ppctl_run(&ctx, argc, argv);
	fclose(f);
	is_str(text, "set phoneproxy activation idletimeout 120\n",
	       "show config startup prints the saved file");
	free(text);
	unlink(path);

	f = open_memstream(&text, &len);
	ctx.out = f;
	snprintf(line, sizeof(line), "publish data/bad-sid.xml");
	argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &err);
	rc = ppctl_run(&ctx, argc, argv);
	fclose(f);
	ok(rc == 1 && !strcmp(ctx.err.msg,
			      "data/bad-sid.xml:12: user \"bart\": sid \"SEP12\" is not SEP followed by 12 hex digits") &&
	   len == 0, "publish of a bad users.xml fails with file:line before sending anything");
	free(text);
	snprintf(path, sizeof(path), "%s/users.xml", dir);
	ok(access(path, F_OK) != 0, "a refused users.xml is not kept");

	snprintf(line, sizeof(line), "set phoneproxy tftp retries 7");
	argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &err);
	rc = ppctl_run(&ctx, argc, argv);
	snprintf(line, sizeof(line), "set phoneproxy tftp upstream timeout 1500ms");
	argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &err);
	rc |= ppctl_run(&ctx, argc, argv);
	snprintf(line, sizeof(line), "set phoneproxy tftp retransmit max 500");
	argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &err);
	ok(ppctl_run(&ctx, argc, argv) == PPCTL_EXIT_USAGE && !strcmp(ctx.err.msg,
	   "tftpd.conf: retransmit max (500 ms) is below retransmit (1000 ms)"),
	   "a retransmit max below retransmit is refused (%s)", ctx.err.msg);
	snprintf(path, sizeof(path), "%s/tftpd.conf", dir);
	f = fopen(path, "r");
	len = f ? fread(line, 1, sizeof(line) - 1, f) : 0;
	line[len] = '\0';
	if (f)
		fclose(f);
	ok(rc == 0 && strstr(line, "\nset phoneproxy tftp upstream timeout 1500ms\n"
			     "set phoneproxy tftp retries 7\n") && !strstr(line, "max"),
	   "set phoneproxy tftp ... keeps the settings in tftpd.conf as commands");
	unlink(path);

	test_unset_files(&ctx, dir);
	test_tlsd_conf_write(&ctx, dir);

	ppctl_ctx_fini(&ctx);
	rmdir(dir);
	unsetenv("PP_CONF_DIR");
	unsetenv("PP_STATE_DIR");
}

/* A sample value of each <label:type> of the declaration. */
static const char *sample(const char *type, int i)
{
	return !strcmp(type, "seconds") ? "120" : !strcmp(type, "port") ?
		(i ? "20100" : "20000") : !strncmp(type, "ip", 2) ? "192.0.2.1" :
		!strcmp(type, "url") ? "http://198.51.100.10/dir/*" :
		!strcmp(type, "file") ? "/etc/phoneproxy/capf-ca.pem" : "5";
}

/* The running configuration of the module's settings back at the
 * guide's defaults, as "show config running" prints them. */
static const char *const module_defaults[PP_S_COUNT] = {
	[PP_S_ACT_MODE] = "set phoneproxy activation mode required\n",
	[PP_S_IDLE_TIMEOUT] = "set phoneproxy activation idletimeout 300\n",
	[PP_S_AUTH_TIMEOUT] = "set phoneproxy activation authtimeout 0\n",
	[PP_S_HTTP] = "set phoneproxy http enable\n",
	[PP_S_HTTPPROXY] = "set phoneproxy httpproxy disable\n",
	[PP_S_SCCP_SECURITY] = "set phoneproxy sccp security off\n",
	[PP_S_RTP_PORTS] = "set phoneproxy rtp ports 20480 21680\n",
	[PP_S_MEDIA_TIMEOUT] = "set phoneproxy media timeout 60\n",
	[PP_S_MAX_CONNS] = "set phoneproxy sccp maxconnections 4\n",
	[PP_S_MAX_STREAMS] = "set phoneproxy media maxstreams 8\n",
	[PP_S_SRTP_SUITE] = "set phoneproxy media srtp aes_cm_128_hmac_sha1_32\n",
	[PP_S_INTERFACE] = "",	/* 0.0.0.0: the role unbound, not printed */
	[PP_S_VIRT_ADDR] = "",	/* likewise */
};

/*
 * s was set (alternative alt) in a (the module's) or held: its "unset"
 * (the same words, without the values; a flag's or an address's word and
 * a list's entry kept) parses to the same setting and brings back the
 * default: the guide's for the module's, the daemon's defaults for theirs.
 */
static void unset_after_set(const struct pp_setting *s, int alt, struct pp_config *a, void *held)
{
	char line[256] = "", cp[256], *w, *save = NULL, *text = NULL;
	const char *want = module_defaults[s - pp_settings];
	struct pp_httpconf hd;
	struct pp_tlsdconf ld;
	struct tftpd_conf td;
	struct pp_hbconf bd;
	size_t len;
	bool same;
	FILE *f;
	int k;

	snprintf(cp, sizeof(cp), "%s", pp_setting_unset_words(s));
	for (w = strtok_r(cp, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (*w == '{')
			for (k = 0, w = strtok(w + 1, "|}"); k < alt; k++)
				w = strtok(NULL, "|}");
		else if (*w == '<')
			w = (char *)sample("url", 0);
		strcat(strcat(line, *line ? " " : ""), w);
	}
	ok(parse(line) == PPCTL_PARSE_OK && cmd.def->handler == ppctl_do_set && cmd.def->unset &&
	   cmd.def->setting == s && !strncmp(line, "unset ", 6) && !strchr(line, '<'),
	   "%s: the unset of \"%s\" parses", line, s->words);
	if (parse(line) != PPCTL_PARSE_OK || pp_setting_apply(&cmd, a, held, NULL, 0)) {
		ok(0, "%s applies", line);
		return;
	}
	if (s->holder == PP_HOLD_MODULE) {
		f = open_memstream(&text, &len);
		ppctl_print_running(f, a, NULL);
		fclose(f);
		ok(want && text && !strcmp(text, want) &&
		   pp_cfg_has(a, s->attr + (s->kind == PP_SK_ADDR ? alt : 0)),
		   "%s: the module gets the default back", line);
		free(text);
		return;
	}
	pp_httpconf_init(&hd);
	pp_tlsdconf_init(&ld);
	memset(&td, 0, sizeof(td));
	pp_settings_defaults(PP_HOLD_TFTPD, &td);
	memset(&bd, 0, sizeof(bd));
	pp_settings_defaults(PP_HOLD_HEARTBEAT, &bd);
	if (s->holder == PP_HOLD_HEARTBEAT) {
		same = !memcmp(held, &bd, sizeof(bd));
	} else if (s->holder == PP_HOLD_TFTPD) {
		same = !memcmp(held, &td, sizeof(td));
	} else if (s->holder == PP_HOLD_TLSD) {
		same = !memcmp(held, &ld, sizeof(ld));
	} else {
		const struct pp_httpconf *h = held;

		same = h->nallow == 0 && !memcmp(&h->max_conns, &hd.max_conns, 4 * sizeof(unsigned int)) &&
		       h->webpage == hd.webpage && h->webservice == hd.webservice &&
		       h->mode == hd.mode && h->external_addr == hd.external_addr;
	}
	f = open_memstream(&text, &len);
	pp_settings_print(f, s->holder, held);
	fclose(f);
	ok(same && text && !*text, "%s: the daemon's default back, not printed", line);
	free(text);
}

/* For every declared setting and every word of its {a|b}: set -> "show
 * config running" prints the same line -> replaying it sets the same. */
static void test_settings_round_trip(void)
{
	const struct pp_setting *s;

	for (s = pp_settings; s < pp_settings + PP_S_COUNT; s++) {
		int alt, k, nalt = 1;
		const char *p;
		char max[32];

		for (p = s->words; (p = strchr(p, '|')); p++)
			nalt++;
		/* pp-tftpd's: its largest value (<time> in ms). */
		snprintf(max, sizeof(max), "%" PRIu64 "%s", s->max,
			 strstr(s->words, "<time>") ? "ms" : "");

		for (alt = 0; alt < nalt; alt++) {
			char line[256] = "", cp[256], *w, *save = NULL, *text = NULL;
			struct pp_config a = { 0 }, b = { 0 };
			struct pp_httpconf ha, hb;
			struct tftpd_conf ta, tb;
			struct pp_tlsdconf la, lb;
			struct pp_hbconf ba, bb;
			void *held_a, *held_b;
			size_t len;
			FILE *f;
			int nv = 0;
			bool dflt;

			snprintf(cp, sizeof(cp), "%s", s->words);
			for (w = strtok_r(cp, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
				char *colon = strchr(w, ':');

				if (*w == '{')
					for (k = 0, w = strtok(w + 1, "|}"); k < alt; k++)
						w = strtok(NULL, "|}");
				else if (*w == '<' && s->holder == PP_HOLD_TFTPD)
					w = max;
				else if (*w == '<')
					w[strlen(w) - 1] = '\0', w = (char *)sample(colon ? colon + 1 : w + 1, nv++);
				strcat(strcat(line, *line ? " " : ""), w);
			}
			ok(sets(line, (enum pp_setting_id)(s - pp_settings)), "%s parses", line);
			pp_httpconf_init(&ha);
			pp_httpconf_init(&hb);
			memset(&ta, 0, sizeof(ta));
			pp_settings_defaults(PP_HOLD_TFTPD, &ta);
			tb = ta;
			pp_tlsdconf_init(&la);
			lb = la;
			memset(&ba, 0, sizeof(ba));
			pp_settings_defaults(PP_HOLD_HEARTBEAT, &ba);
			bb = ba;
			held_a = s->holder == PP_HOLD_TFTPD ? (void *)&ta :
				 s->holder == PP_HOLD_TLSD ? (void *)&la :
				 s->holder == PP_HOLD_HEARTBEAT ? (void *)&ba : &ha;
			held_b = s->holder == PP_HOLD_TFTPD ? (void *)&tb :
				 s->holder == PP_HOLD_TLSD ? (void *)&lb :
				 s->holder == PP_HOLD_HEARTBEAT ? (void *)&bb : &hb;
			pp_setting_apply(&cmd, &a, held_a, NULL, 0);
			f = open_memstream(&text, &len);
			if (s->holder == PP_HOLD_MODULE)
				ppctl_print_running(f, &a, NULL);
			else if (s->holder == PP_HOLD_TFTPD || s->holder == PP_HOLD_TLSD ||
				 s->holder == PP_HOLD_HEARTBEAT)
				pp_settings_print(f, s->holder, held_a);
			else
				pp_httpconf_print(f, &ha);
			fclose(f);
			dflt = s->holder != PP_HOLD_MODULE && s->kind == PP_SK_CHOICE &&
			       s->values[alt] == s->def;
			if (dflt)
				ok(text && !*text, "show config running omits \"%s\", the default", line);
			else
				ok(text && !strncmp(text, line, strlen(line)) && text[strlen(line)] == '\n',
				   "show config running prints \"%s\"", line);
			snprintf(cp, sizeof(cp), "%s", dflt || !text ? line : text);
			cp[strcspn(cp, "\n")] = '\0';
			ok(parse(cp) == PPCTL_PARSE_OK &&
			   !pp_setting_apply(&cmd, &b, held_b, NULL, 0) && !memcmp(&a, &b, sizeof(a)) &&
			   !memcmp(&ta, &tb, sizeof(ta)) && !memcmp(&la, &lb, sizeof(la)) &&
			   !memcmp(&ba, &bb, sizeof(ba)) &&
			   ha.nallow == hb.nallow && (!ha.nallow || !strcmp(ha.allow[0], hb.allow[0])) &&
			   !memcmp(&ha.max_conns, &hb.max_conns, 4 * sizeof(unsigned int)) &&
			   ha.webpage == hb.webpage && ha.webservice == hb.webservice &&
			   ha.mode == hb.mode && ha.external_addr == hb.external_addr,
			   "replaying \"%s\" sets the same", line);
			unset_after_set(s, alt, &a, held_a);
			pp_httpconf_free(&ha);
			pp_httpconf_free(&hb);
			free(text);
		}
	}
}

/* The guide's "show log <logfile> [-tail] [-filter <regex>]": the words
 * after "show log" and "list log" go to the handler. */
static void test_log_options(void)
{
	ok(parses_to("show log", ppctl_do_show_log) && cmd.opt_argc == 0,
	   "\"show log\" alone: phoneproxy.log");
	ok(parses_to("show log phoneproxy.log -tail 5 -filter SEP001122334455", ppctl_do_show_log) &&
	   cmd.opt_argc == 5 && !strcmp(cmd.opt_argv[0], "phoneproxy.log") &&
	   !strcmp(cmd.opt_argv[4], "SEP001122334455"),
	   "\"show log NAME -tail N -filter TEXT\": the options go to the handler");
	ok(parses_to("list log log-* -nodetail", ppctl_do_list_log) && cmd.opt_argc == 2,
	   "\"list log PATTERN -nodetail\"");
	ok(parses_to("delete log log-2026*", ppctl_do_delete_log) && !strcmp(cmd.text, "log-2026*"),
	   "\"delete log PATTERN\"");
	ok(parse("delete log ../x") == PPCTL_PARSE_ERROR && strstr(err.msg, "no \"/\""),
	   "\"delete log ../x\" refused: a name pattern has no / (%s)", err.msg);
	ok(parse("delete log") == PPCTL_PARSE_ERROR, "\"delete log\" wants a pattern");
}

/*
 * docs/ppctl-commands.md (scripts/ppctl-doc.py): every command of the
 * table, in its order, and an example of each that parses.
 */
static void test_docs_commands(void)
{
	const char *top = getenv("PP_TOP");
	char path[4096], line[4096], words[1024], ex[1024], *help, *h, *p, *q;
	enum ppctl_parse_result r;
	int row = 0, bad_parse = 0, bad_order = 0, nhelp;
	FILE *f;

	snprintf(path, sizeof(path), "%s/docs/ppctl-commands.md", top ? top : "../../..");
	f = fopen(path, "r");
	if (!ok(f != NULL, "docs/ppctl-commands.md is there (%s)", path))
		return;
	help = help_of("?", &r);
	nhelp = count_lines(help);
	h = help;
	while (fgets(line, sizeof(line), f)) {
		size_t n = 0;

		if (strncmp(line, "| `", 3) || !(q = strstr(line, "| `ppctl ")))
			continue;
		/* The first cell's words, "\|" read as "|". */
		for (p = line + 3; *p && *p != '`' && n + 1 < sizeof(words); p++) {
			if (*p == '\\' && p[1] == '|')
				p++;
			words[n++] = *p;
		}
		words[n] = '\0';
		n = 0;
		for (p = q + 9; *p && *p != '`' && n + 1 < sizeof(ex); p++) {
			if (*p == '\\' && p[1] == '|')
				p++;
			ex[n++] = *p;
		}
		ex[n] = '\0';
		row++;
		if (parse(ex) != PPCTL_PARSE_OK) {
			bad_parse++;
			diag("docs/ppctl-commands.md: example \"%s\" does not parse: %s", ex, err.msg);
		}
		/* The same command as the table's row of the same rank. */
		if (h && *h) {
			char *eol = strchr(h, '\n');
			size_t wl = strlen(words);

			if (strncmp(h, words, wl) || (h[wl] != ' ' && h[wl] != '\n')) {
				bad_order++;
				diag("docs/ppctl-commands.md row %d is \"%s\", the table's is \"%.*s\"",
				     row, words, (int)wl, h);
			}
			h = eol ? eol + 1 : NULL;
		}
	}
	fclose(f);
	free(help);
	ok(row == nhelp && !bad_order,
	   "docs/ppctl-commands.md lists every command of the table, in order (%d of %d; scripts/ppctl-doc.py)",
	   row, nhelp);
	ok(row && !bad_parse, "every example of docs/ppctl-commands.md parses (%d did not)", bad_parse);
}

int main(void)
{
	test_commands();
	test_docs_commands();
	test_log_options();
	test_errors();
	test_help();
	test_split_quote();
	test_table();
	test_exec_without_kernel();
	test_settings_round_trip();
	return done_testing();
}
