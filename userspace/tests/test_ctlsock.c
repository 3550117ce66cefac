// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The daemons' control sockets (lib/ctlsock.h): the "stats" reply format
 * written and parsed, malformed replies refused whole, and a real socket:
 * a daemon's loop (pp_ctl_open) in a child process, asked by pp_ctl_ask
 * as ppctl asks pp-tftpd and pp-tlsd.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "ctlsock.h"
#include "tap.h"

struct seen {
	char text[1024];
	int n;
};

static void collect(void *arg, const char *name, const char *value, bool num, uint64_t v)
{
	struct seen *s = arg;
	size_t len = strlen(s->text);

	s->n++;
	snprintf(s->text + len, sizeof(s->text) - len, "%s=%s%s%" PRIu64 ";", name, value,
		 num ? "#" : "~", v);
}

static void test_format(void)
{
	char *text = NULL, err[256];
	struct seen s = { "", 0 };
	size_t len;
	FILE *f = open_memstream(&text, &len);

	pp_ctl_stat(f, "accepted", 3);
	pp_ctl_stat(f, "refused_peraddress", UINT64_MAX);
	pp_ctl_stat_word(f, "listening", "yes");
	fclose(f);
	is_str(text, "accepted 3\nrefused_peraddress 18446744073709551615\nlistening yes\n",
	       "pp_ctl_stat writes \"name value\" lines");
	ok(pp_ctl_stats_parse(text, collect, &s, err, sizeof(err)) == 3 &&
	   !strcmp(s.text, "accepted=3#3;refused_peraddress=18446744073709551615#18446744073709551615;"
		   "listening=yes~0;"),
	   "parsed back in order, numbers as numbers, words as words (%s)", s.text);
	ok(pp_ctl_stats_parse("", collect, &s, err, sizeof(err)) == 0, "an empty reply has no line");
	free(text);
}

static void test_malformed(void)
{
	static const char *const bad[][2] = {
		{ "accepted 3\nclaimed", "line 2: not ended by a newline" },
		{ "accepted\n", "line 1: \"accepted\" has no value" },
		{ "accepted \n", "line 1: \"accepted\" has no value" },
		{ "Accepted 3\n", "line 1: \"Accepted\": a name is of a-z, 0-9 and _" },
		{ " 3\n", "line 1: a name of 0 bytes (1..48)" },
		{ "a 1\nb two words\n", "line 2: \"b\": the value is not one word" },
		{ "a 1\nb 2\na 3\n", "line 3: \"a\" twice" },
		{ "\n", "line 1: \"\" has no value" },
		{ "error unknown request\n", "line 1: \"error\": the value is not one word" },
		{ "a_name_much_longer_than_the_forty_eight_bytes_allowed 1\n",
		  "line 1: a name of 53 bytes (1..48)" },
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct seen s = { "", 0 };

		err[0] = '\0';
		ok(pp_ctl_stats_parse(bad[i][0], collect, &s, err, sizeof(err)) == -1 && s.n == 0 &&
		   !strcmp(err, bad[i][1]), "refused whole, nothing reported: %s (%s)", bad[i][1], err);
	}
}

static void reply(void *arg, const char *req, FILE *f)
{
	(void)arg;
	if (!strcmp(req, "stats")) {
		pp_ctl_stat(f, "accepted", 42);
		pp_ctl_stat_word(f, "listening", "no");
	} else {
		fputs("error unknown request\n", f);
	}
}

/* A daemon's control socket in a child; the parent asks. */
static void test_socket(void)
{
	char name[64], buf[PP_CTL_MAX + 1], err[256];
	struct seen s = { "", 0 };
	int ready[2], n;
	pid_t pid;

	snprintf(name, sizeof(name), "phoneproxy/test-ctlsock-%d", (int)getpid());
	ok(pp_ctl_ask(name, "stats", buf, sizeof(buf)) == -ENOENT,
	   "asking where no daemon listens: -ENOENT (\"not running\")");
	if (pipe(ready))
		return;
	pid = fork();
	if (pid == 0) {
		struct event_base *base = event_base_new();
		struct pp_ctl *c;

		close(ready[0]);
		if (!base || pp_ctl_open(base, name, reply, NULL, &c))
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		event_base_dispatch(base);
		_exit(0);
	}
	close(ready[1]);
	ok(pid > 0 && read(ready[0], buf, 1) == 1, "a daemon's control socket listens");
	close(ready[0]);
	n = pp_ctl_ask(name, "stats", buf, sizeof(buf));
	ok(n > 0 && pp_ctl_stats_parse(buf, collect, &s, err, sizeof(err)) == 2 &&
	   !strcmp(s.text, "accepted=42#42;listening=no~0;"),
	   "\"stats\" over the socket: the reply parses (%s)", s.text);
	n = pp_ctl_ask(name, "reload", buf, sizeof(buf));
	ok(n > 0 && !strcmp(buf, "error unknown request\n"), "another request gets its reply");
	{
		struct pp_ctl *c2 = NULL;
		struct event_base *b2 = event_base_new();

		ok(b2 && pp_ctl_open(b2, name, reply, NULL, &c2) == -EADDRINUSE,
		   "a second daemon of the same name in the namespace: -EADDRINUSE");
		if (b2)
			event_base_free(b2);
	}
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
}

int main(void)
{
	test_format();
	test_malformed();
	test_socket();
	return done_testing();
}
