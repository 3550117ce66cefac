// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * logsend: a test sender of lines to pp-logd (selftests/phoneproxy/logs.sh),
 * on its socket as the daemons write them ("<level> Test: <tag> <i>\n"),
 * from W processes at once, each its own connection. It does not read what
 * pp-logd says (the loglevel), as a careless sender would not.
 *
 *	logsend N TAG [LEVEL [W]]	N lines per writer; TAG.w for W > 1
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "logfile.h"

static int writer(long n, const char *tag, int level)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				    strlen(PP_LOG_SOCKET));
	char line[256];
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	long i;

	memcpy(sa.sun_path + 1, PP_LOG_SOCKET, strlen(PP_LOG_SOCKET));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, len)) {
		perror("logsend: connect @" PP_LOG_SOCKET);
		return 1;
	}
	for (i = 0; i < n; i++) {
		int k = snprintf(line, sizeof(line), "%d Test: %s %ld\n", level, tag, i);

		if (send(fd, line, (size_t)k, MSG_NOSIGNAL) != k) {
			perror("logsend: send");
			return 1;
		}
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int level = argc > 3 ? atoi(argv[3]) : 6, w = argc > 4 ? atoi(argv[4]) : 1, i, rc = 0;
	long n = argc > 2 ? atol(argv[1]) : 0;
	char tag[128];

	if (argc < 3 || n < 0 || w < 1 || w > 64) {
		fprintf(stderr, "usage: logsend N TAG [LEVEL [WRITERS]]\n");
		return 2;
	}
	if (w == 1)
		return writer(n, argv[2], level);
	for (i = 0; i < w; i++) {
		pid_t p = fork();

		if (p == 0) {
			snprintf(tag, sizeof(tag), "%s%c", argv[2], 'A' + i);
			_exit(writer(n, tag, level));
		}
		if (p < 0)
			rc = 1;
	}
	while (wait(&i) > 0)
		rc |= !WIFEXITED(i) || WEXITSTATUS(i);
	return rc;
}
