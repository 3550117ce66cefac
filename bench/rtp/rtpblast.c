// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * rtpblast: an RTP load generator for bench/rtp (not a test). It knows
 * nothing of the proxy under test: it reads a list of streams, one a
 * line, "SRC[:PORT] DST:PORT" (IPv4; SRC port 0 or absent: any), opens
 * one UDP socket per stream bound to SRC and connected to DST, and sends
 * RTP packets (version 2, G.711 mu-law by default: 12 + 160 bytes, a
 * sequence number and timestamp per stream, an SSRC per stream) round
 * robin over the streams, BURST packets per sendmmsg() call, as fast as
 * it can or at RATE packets per second in all, for SECONDS.
 *
 *   rtpblast [-d SECONDS] [-r RATE] [-b BURST] [-s PAYLOAD] [-p PT] LIST|-
 *
 * Prints one line: "streams=N sent=N errors=N seconds=S pps=R".
 * errors: packets not sent (e.g. ECONNREFUSED after an ICMP port
 * unreachable, ENOBUFS), counted, not fatal. SIGINT/SIGTERM end the run early and still print.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BURST	64
#define MAX_PAYLOAD	1400
#define RTP_HDR		12

struct stream {
	int fd;
	uint16_t seq;
	uint32_t ts, ssrc;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: rtpblast [-d SECONDS] [-r RATE] [-b BURST] [-s PAYLOAD] [-p PT] LIST|-\n"
		"  LIST: one stream a line, \"SRC[:PORT] DST:PORT\" (IPv4), # comments\n"
		"  -d  duration in seconds (default 10)\n"
		"  -r  packets per second in all (default 0: as fast as possible)\n"
		"  -b  packets per sendmmsg() call, per stream (default 8, max %d)\n"
		"  -s  RTP payload bytes (default 160: G.711, 20 ms)\n"
		"  -p  RTP payload type (default 0)\n", MAX_BURST);
	return 2;
}

/* "a.b.c.d[:port]" into sin; a missing port is 0 unless need_port. */
static int parse_addr(const char *s, struct sockaddr_in *sin, int need_port)
{
	char host[64];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	unsigned long port = 0;
	char *end;

	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return -1;
	if (colon) {
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (errno || *end || end == colon + 1 || port > 65535)
			return -1;
	}
	if (need_port && port == 0)
		return -1;
	sin->sin_port = htons((uint16_t)port);
	return 0;
}

static int open_stream(struct stream *st, const char *src, const char *dst,
		       const char *file, unsigned int line)
{
	struct sockaddr_in s, d;

	if (parse_addr(src, &s, 0) || parse_addr(dst, &d, 1)) {
		fprintf(stderr, "rtpblast: %s:%u: want \"SRC[:PORT] DST:PORT\"\n", file, line);
		return -1;
	}
	st->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (st->fd < 0) {
		fprintf(stderr, "rtpblast: %s:%u: socket: %s\n", file, line, strerror(errno));
		return -1;
	}
	if (bind(st->fd, (struct sockaddr *)&s, sizeof(s)) < 0 ||
	    connect(st->fd, (struct sockaddr *)&d, sizeof(d)) < 0) {
		fprintf(stderr, "rtpblast: %s:%u: %s -> %s: %s\n", file, line, src, dst,
			strerror(errno));
		close(st->fd);
		return -1;
	}
	st->seq = (uint16_t)rand();
	st->ts = (uint32_t)rand();
	st->ssrc = ((uint32_t)rand() << 16) ^ (uint32_t)rand();
	return 0;
}

static struct stream *read_list(const char *file, size_t *count)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	struct stream *v = NULL;
	size_t n = 0, cap = 0;
	unsigned int line = 0;
	char buf[256];

	if (!f) {
		fprintf(stderr, "rtpblast: %s: %s\n", file, strerror(errno));
		return NULL;
	}
	while (fgets(buf, sizeof(buf), f)) {
		char src[80], dst[80];

		line++;
		if (sscanf(buf, " %79s %79s", src, dst) < 1 || src[0] == '#')
			continue;
		if (sscanf(buf, " %79s %79s", src, dst) != 2) {
			fprintf(stderr, "rtpblast: %s:%u: want \"SRC[:PORT] DST:PORT\"\n", file, line);
			goto fail;
		}
		if (n == cap) {
			struct stream *nv;

			cap = cap ? 2 * cap : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				fprintf(stderr, "rtpblast: out of memory\n");
				goto fail;
			}
			v = nv;
		}
		if (open_stream(&v[n], src, dst, file, line))
			goto fail;
		n++;
	}
	if (f != stdin)
		fclose(f);
	if (n == 0) {
		fprintf(stderr, "rtpblast: %s: no stream\n", file);
		free(v);
		return NULL;
	}
	*count = n;
	return v;
fail:
	while (n)
		close(v[--n].fd);
	free(v);
	if (f != stdin)
		fclose(f);
	return NULL;
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || *end || end == s || *out < lo || *out > hi ? -1 : 0;
}

int main(int argc, char **argv)
{
	static unsigned char hdr[MAX_BURST][RTP_HDR], payload[MAX_PAYLOAD];
	struct mmsghdr msgs[MAX_BURST];
	struct iovec iov[MAX_BURST][2];
	double secs = 10, rate = 0, v, t0, t, deadline;
	unsigned int burst = 8, plen = 160, pt = 0;
	unsigned long long sent = 0, errors = 0;
	struct sigaction sa;
	struct stream *st;
	struct rlimit rl;
	size_t n, i = 0;
	int c;

	while ((c = getopt(argc, argv, "d:r:b:s:p:h")) != -1) {
		switch (c) {
		case 'd':
			if (parse_num(optarg, 0.001, 86400, &secs))
				return usage();
			break;
		case 'r':
			if (parse_num(optarg, 0, 1e9, &rate))
				return usage();
			break;
		case 'b':
			if (parse_num(optarg, 1, MAX_BURST, &v))
				return usage();
			burst = (unsigned int)v;
			break;
		case 's':
			if (parse_num(optarg, 0, MAX_PAYLOAD, &v))
				return usage();
			plen = (unsigned int)v;
			break;
		case 'p':
			if (parse_num(optarg, 0, 127, &v))
				return usage();
			pt = (unsigned int)v;
			break;
		default:
			return usage();
		}
	}
	if (optind != argc - 1)
		return usage();

	/* One socket per stream: thousands of them. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	srand((unsigned int)getpid() ^ (unsigned int)time(NULL));
	st = read_list(argv[optind], &n);
	if (!st)
		return 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	memset(payload, 0xff, sizeof(payload));	/* mu-law silence */
	memset(msgs, 0, sizeof(msgs));
	for (unsigned int k = 0; k < MAX_BURST; k++) {
		iov[k][0].iov_base = hdr[k];
		iov[k][0].iov_len = RTP_HDR;
		iov[k][1].iov_base = payload;
		iov[k][1].iov_len = plen;
		msgs[k].msg_hdr.msg_iov = iov[k];
		msgs[k].msg_hdr.msg_iovlen = 2;
	}

	t0 = now();
	deadline = t0 + secs;
	for (unsigned long long round = 0; !stop; round++) {
		struct stream *s = &st[i];
		int r;

		/* Check the clock every 64 calls, and pace when asked to. */
		if ((round & 63) == 0) {
			t = now();
			if (t >= deadline)
				break;
			if (rate > 0) {
				double ahead = (double)sent / rate - (t - t0);

				if (ahead > 0.0005) {
					struct timespec d = {
						.tv_sec = (time_t)ahead,
						.tv_nsec = (long)((ahead - (double)(time_t)ahead) * 1e9),
					};

					nanosleep(&d, NULL);
				}
			}
		}
		for (unsigned int k = 0; k < burst; k++) {
			unsigned char *h = hdr[k];
			uint16_t seq = (uint16_t)(s->seq + k);
			uint32_t ts = s->ts + k * plen, ssrc = s->ssrc;

			h[0] = 0x80;
			h[1] = (unsigned char)pt;
			h[2] = (unsigned char)(seq >> 8);
			h[3] = (unsigned char)seq;
			h[4] = (unsigned char)(ts >> 24);
			h[5] = (unsigned char)(ts >> 16);
			h[6] = (unsigned char)(ts >> 8);
			h[7] = (unsigned char)ts;
			h[8] = (unsigned char)(ssrc >> 24);
			h[9] = (unsigned char)(ssrc >> 16);
			h[10] = (unsigned char)(ssrc >> 8);
			h[11] = (unsigned char)ssrc;
		}
		r = sendmmsg(s->fd, msgs, burst, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			errors += burst;
		} else {
			sent += (unsigned int)r;
			errors += burst - (unsigned int)r;
			s->seq = (uint16_t)(s->seq + (unsigned int)r);
			s->ts += (unsigned int)r * plen;
		}
		if (++i == n)
			i = 0;
	}
	t = now() - t0;
	printf("streams=%zu sent=%llu errors=%llu seconds=%.2f pps=%.0f\n",
	       n, sent, errors, t, t > 0 ? (double)sent / t : 0.0);
	while (n)
		close(st[--n].fd);
	free(st);
	return 0;
}
