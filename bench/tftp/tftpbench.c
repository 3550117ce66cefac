// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpbench: many TFTP clients at once, on one libevent loop, for
 * bench/tftp/run.sh. Each line of the plan is one phone:
 *
 *	SOURCE-ADDRESS FILE [FILE...]
 *
 * which fetches its files one after the other (blksize option, a new
 * port per file, ACK every block, resend after a second). With -d S the
 * phones start over until S seconds have passed (throughput); without,
 * they all start at once and the run ends when the last one is done
 * (time for all phones to get their files).
 *
 *	pp-tftpbench -s SERVER [-b BLKSIZE] [-d SECONDS] PLAN
 *
 * Prints one line of results: phones, files, failures, bytes, seconds,
 * files per second, and the median and 99th percentile of the time per
 * file. Exit status 1 when any file failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "tftp.h"

#define MAX_FILES	8
#define TRIES		10

struct phone {
	struct bench *b;
	struct in_addr src;
	char *files[MAX_FILES];
	int nfiles, cur;
	int fd;
	struct event *ev, *timer;
	struct sockaddr_in server;	/* port 69, then the transfer's */
	bool locked;
	uint16_t expect;
	unsigned int tries;
	uint8_t last[TFTP_REQUEST_MAX];
	size_t last_len;
	double t_file;
	uint64_t bytes;
};

struct bench {
	struct event_base *base;
	struct in_addr server;
	unsigned int blksize;
	double duration, t0;
	struct phone *phones;
	int nphones, running;
	uint64_t files, failures, bytes;
	double *lat;
	size_t nlat, caplat;
	char first_error[256];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void start_file(struct phone *p);

static void close_file(struct phone *p)
{
	if (p->ev)
		event_free(p->ev);
	if (p->timer)
		event_free(p->timer);
	if (p->fd >= 0)
		close(p->fd);
	p->ev = p->timer = NULL;
	p->fd = -1;
}

static void next(struct phone *p, bool ok, const char *why)
{
	struct bench *b = p->b;

	close_file(p);
	if (ok) {
		double *nl;

		b->files++;
		b->bytes += p->bytes;
		if (b->nlat == b->caplat) {
			b->caplat = b->caplat ? b->caplat * 2 : 1024;
			nl = realloc(b->lat, b->caplat * sizeof(*nl));
			if (!nl)
				exit(2);
			b->lat = nl;
		}
		b->lat[b->nlat++] = now() - p->t_file;
	} else {
		b->failures++;
		if (!b->first_error[0])
			snprintf(b->first_error, sizeof(b->first_error), "%s from %s: %s",
				 p->files[p->cur], inet_ntoa(p->src), why);
	}
	p->cur++;
	if (p->cur == p->nfiles) {
		if (b->duration > 0 && now() - b->t0 < b->duration) {
			p->cur = 0;
		} else {
			if (--b->running == 0)
				event_base_loopbreak(b->base);
			return;
		}
	}
	start_file(p);
}

/* Like a phone: 1, 2, 4, 4, ... seconds between tries (about 33 s). */
static void arm(struct phone *p)
{
	struct timeval tv = { .tv_sec = p->tries <= 1 ? 1 : p->tries == 2 ? 2 : 4 };

	evtimer_add(p->timer, &tv);
}

static void xmit(struct phone *p)
{
	sendto(p->fd, p->last, p->last_len, 0, (struct sockaddr *)&p->server,
	       sizeof(p->server));
	p->tries++;
	arm(p);
}

static void ack(struct phone *p, uint16_t block)
{
	p->last_len = (size_t)tftp_build_ack(p->last, sizeof(p->last), block);
	p->tries = 0;
	xmit(p);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct phone *p = arg;

	(void)fd;
	(void)what;
	if (p->tries >= TRIES) {
		next(p, false, "timed out");
		return;
	}
	xmit(p);
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	struct phone *p = arg;
	uint8_t buf[70000];
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	struct tftp_packet pkt;
	ssize_t n;

	(void)what;
	n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
	if (n < 0) {
		if (errno != EAGAIN)
			next(p, false, strerror(errno));
		return;
	}
	if (from.sin_addr.s_addr != p->server.sin_addr.s_addr)
		return;
	if (p->locked && from.sin_port != p->server.sin_port)
		return;
	if (tftp_parse_packet(buf, (size_t)n, &pkt))
		return;
	if (!p->locked) {
		p->server.sin_port = from.sin_port;
		p->locked = true;
	}
	switch (pkt.opcode) {
	case TFTP_OACK:
		if (p->expect == 1)
			ack(p, 0);
		break;
	case TFTP_DATA:
		if (pkt.block == p->expect) {
			p->bytes += pkt.data_len;
			ack(p, pkt.block);
			p->expect++;
			if (pkt.data_len < p->b->blksize)
				next(p, true, NULL);
		} else if (pkt.block == (uint16_t)(p->expect - 1)) {
			ack(p, pkt.block);
		}
		break;
	case TFTP_ERROR:
		next(p, false, pkt.error_msg);
		break;
	default:
		break;
	}
}

static void start_file(struct phone *p)
{
	struct bench *b = p->b;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr = p->src };
	struct tftp_opts o = { .present = TFTP_OPT_BLKSIZE, .blksize = (uint16_t)b->blksize };
	int n;

	p->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0 || bind(p->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		next(p, false, strerror(errno));
		return;
	}
	p->server = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(69),
					  .sin_addr = b->server };
	p->locked = false;
	p->expect = 1;
	p->bytes = 0;
	p->t_file = now();
	p->ev = event_new(b->base, p->fd, EV_READ | EV_PERSIST, on_read, p);
	p->timer = evtimer_new(b->base, on_timer, p);
	n = tftp_build_request(p->last, sizeof(p->last), TFTP_RRQ, p->files[p->cur],
			       TFTP_MODE_OCTET, b->blksize != 512 ? &o : NULL);
	if (!p->ev || !p->timer || n < 0 || event_add(p->ev, NULL)) {
		next(p, false, "setup");
		return;
	}
	p->last_len = (size_t)n;
	p->tries = 0;
	xmit(p);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int load_plan(struct bench *b, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int cap = 0;

	if (!f) {
		fprintf(stderr, "pp-tftpbench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *w = strtok_r(line, " \t\n", &save);
		struct phone *p;

		if (!w || *w == '#')
			continue;
		if (b->nphones == cap) {
			cap = cap ? cap * 2 : 256;
			b->phones = realloc(b->phones, (size_t)cap * sizeof(*b->phones));
			if (!b->phones)
				exit(2);
		}
		p = &b->phones[b->nphones];
		memset(p, 0, sizeof(*p));
		p->b = b;
		p->fd = -1;
		if (inet_pton(AF_INET, w, &p->src) != 1) {
			fprintf(stderr, "pp-tftpbench: %s: \"%s\" is not an IPv4 address\n", path, w);
			fclose(f);
			return -1;
		}
		while ((w = strtok_r(NULL, " \t\n", &save)) && p->nfiles < MAX_FILES)
			p->files[p->nfiles++] = strdup(w);
		if (!p->nfiles) {
			fprintf(stderr, "pp-tftpbench: %s: a phone without files\n", path);
			fclose(f);
			return -1;
		}
		b->nphones++;
	}
	fclose(f);
	return b->nphones ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct bench b = { .blksize = 512 };
	struct rlimit rl;
	const char *server = NULL;
	double secs;
	int opt, i;

	while ((opt = getopt(argc, argv, "s:b:d:")) != -1) {
		switch (opt) {
		case 's':
			server = optarg;
			break;
		case 'b':
			b.blksize = (unsigned int)atoi(optarg);
			break;
		case 'd':
			b.duration = atof(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (!server || optind != argc - 1 || inet_pton(AF_INET, server, &b.server) != 1 ||
	    b.blksize < TFTP_BLKSIZE_MIN || b.blksize > TFTP_BLKSIZE_MAX)
		goto usage;
	if (load_plan(&b, argv[optind]))
		return 2;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	b.base = event_base_new();
	b.t0 = now();
	b.running = b.nphones;
	for (i = 0; i < b.nphones; i++)
		start_file(&b.phones[i]);
	event_base_dispatch(b.base);
	secs = now() - b.t0;
	qsort(b.lat, b.nlat, sizeof(*b.lat), cmp_double);
	printf("phones %d files %llu failures %llu bytes %llu seconds %.2f files/s %.1f "
	       "p50_ms %.1f p99_ms %.1f\n", b.nphones, (unsigned long long)b.files,
	       (unsigned long long)b.failures, (unsigned long long)b.bytes, secs,
	       b.files / secs, b.nlat ? b.lat[b.nlat / 2] * 1000 : 0,
	       b.nlat ? b.lat[b.nlat * 99 / 100] * 1000 : 0);
	if (b.first_error[0])
		printf("first failure: %s\n", b.first_error);
	return b.failures ? 1 : 0;
usage:
	fprintf(stderr, "usage: pp-tftpbench -s SERVER [-b BLKSIZE] [-d SECONDS] PLAN\n");
	return 2;
}
