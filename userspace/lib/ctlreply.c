// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The asking side of a daemon's control socket and the "stats" reply
 * format (ctlsock.h); no event loop, so ppctl links it alone.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctlsock.h"
#include "log.h"
#include "parse.h"

int pp_ctl_ask(const char *name, const char *req, char *buf, size_t len)
{
	return pp_ctl_ask_wait(name, req, buf, len, 3);
}

int pp_ctl_ask_wait(const char *name, const char *req, char *buf, size_t len,
		    unsigned int seconds)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				      strlen(name));
	struct timeval tv = { .tv_sec = seconds };
	ssize_t n;
	int fd, err;

	if (strlen(name) >= sizeof(sa.sun_path) - 1 || len < 1)
		return -EINVAL;
	memcpy(sa.sun_path + 1, name, strlen(name));
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, salen) < 0) {
		err = errno == ECONNREFUSED ? -ENOENT : -errno;
		close(fd);
		return err;
	}
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	n = recv(fd, buf, len - 1, 0);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (n < 0)
		return err;
	buf[n] = '\0';
	return (int)n;
}

void pp_ctl_stat(FILE *f, const char *name, uint64_t value)
{
	fprintf(f, "%s %" PRIu64 "\n", name, value);
}

void pp_ctl_stat_word(FILE *f, const char *name, const char *word)
{
	fprintf(f, "%s %s\n", name, word);
}

/* Check the line at p (len bytes, without its LF): the name's length in
 * *nlen. 0, or -1 with err. */
static int stat_line(const char *p, size_t len, size_t *nlen, char *err, size_t errlen)
{
	const char *sp = memchr(p, ' ', len);
	size_t i;

	if (!sp)
		return pp_errf(err, errlen, "\"%.*s\" has no value", (int)(len > 64 ? 64 : len), p);
	*nlen = (size_t)(sp - p);
	if (!*nlen || *nlen > PP_CTL_STAT_NAME_MAX)
		return pp_errf(err, errlen, "a name of %zu bytes (1..%d)", *nlen,
			       PP_CTL_STAT_NAME_MAX);
	for (i = 0; i < *nlen; i++)
		if (!islower((unsigned char)p[i]) && !isdigit((unsigned char)p[i]) && p[i] != '_')
			return pp_errf(err, errlen, "\"%.*s\": a name is of a-z, 0-9 and _",
				       (int)*nlen, p);
	if (sp + 1 == p + len)
		return pp_errf(err, errlen, "\"%.*s\" has no value", (int)*nlen, p);
	for (i = (size_t)(sp + 1 - p); i < len; i++)
		if (!isgraph((unsigned char)p[i]))
			return pp_errf(err, errlen, "\"%.*s\": the value is not one word",
				       (int)*nlen, p);
	return 0;
}

int pp_ctl_stats_parse(const char *text, pp_ctl_stat_fn fn, void *arg, char *err,
		       size_t errlen)
{
	char name[PP_CTL_STAT_NAME_MAX + 1], value[256], why[160];
	uint64_t v;
	bool num;
	int pass, n = 0;

	for (pass = 0; pass < (fn ? 2 : 1); pass++) {
		const char *p = text, *q;
		size_t len, nlen = 0;

		for (n = 0; *p; p += len + 1) {
			const char *nl = strchr(p, '\n');

			n++;
			if (!nl)
				return pp_errf(err, errlen, "line %d: not ended by a newline", n);
			len = (size_t)(nl - p);
			if (!pass) {
				if (stat_line(p, len, &nlen, why, sizeof(why)))
					return pp_errf(err, errlen, "line %d: %s", n, why);
				if (len - nlen - 1 >= sizeof(value))
					return pp_errf(err, errlen, "line %d: \"%.*s\": value too long",
						       n, (int)nlen, p);
				/* A name twice: which one would count? */
				for (q = text; q < p; q = strchr(q, '\n') + 1)
					if (!strncmp(q, p, nlen + 1))
						return pp_errf(err, errlen, "line %d: \"%.*s\" twice",
							       n, (int)nlen, p);
				continue;
			}
			nlen = strcspn(p, " ");
			memcpy(name, p, nlen);
			name[nlen] = '\0';
			memcpy(value, p + nlen + 1, len - nlen - 1);
			value[len - nlen - 1] = '\0';
			num = pp_parse_uint(value, 0, UINT64_MAX, &v) == 0;
			fn(arg, name, value, num, num ? v : 0);
		}
	}
	return n;
}
