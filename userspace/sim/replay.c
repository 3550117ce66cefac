// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-replay: replays captured SCCP connections (userspace/tests/data/sccp/)
 * through the proxy, byte for byte, and checks what arrived (docs/sim.md).
 *
 *   pp-replay phone --connect ADDR[:PORT] COMMON...
 *   pp-replay ccm --listen ADDR[:PORT] COMMON...
 *	COMMON: --data DIR --order FILE --stream NAME... --pattern P...
 *		--out DIR [--gap-us N] [--timeout S]
 *   pp-replay verify --data DIR --stream NAME --to-ccm|--to-phone
 *		--addr A --ports LO-HI [-v] RECEIVED.bin...
 *
 * The phone side sends NAME.c2s.bin, the CallManager side NAME.s2c.bin,
 * each PDU only once the other side's PDUs that preceded it in the
 * capture (the order file) have arrived; every (stream, pattern) is one
 * TCP connection, in the same order on both sides. What arrives is
 * written to OUT/NAME.PATTERN.{s2c,c2s}.bin. Results are key=value lines.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "replay_core.h"

#define MAX_STREAMS	16
#define MAX_PATTERNS	64
#define MAX_FILE	(1 << 20)
#define MAX_WRITES	(MAX_FILE)

static const char *data_dir = ".", *order_file, *out_dir = ".";
static const char *streams[MAX_STREAMS];
static unsigned int n_streams;
static struct rp_pattern patterns[MAX_PATTERNS];
static unsigned int n_patterns;
static unsigned int gap_us = 2000, timeout_s = 20;

static void usage(void)
{
	fprintf(stderr,
		"usage: pp-replay phone --connect ADDR[:PORT] COMMON...\n"
		"       pp-replay ccm --listen ADDR[:PORT] COMMON...\n"
		"  COMMON: --data DIR --order FILE --stream NAME... --pattern P...\n"
		"          --out DIR [--gap-us N] [--timeout S]\n"
		"  P: whole | packed | capture | chunkN | cutN\n"
		"       pp-replay verify --data DIR --stream NAME --to-ccm|--to-phone\n"
		"          --addr A --ports LO-HI [-v] RECEIVED.bin...\n");
	exit(2);
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (!f) {
		fprintf(stderr, "pp-replay: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = malloc(MAX_FILE);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, MAX_FILE, f);
	fclose(f);
	*len = n;
	return buf;
}

static int write_file(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "pp-replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* One direction of a stream: its bytes, PDUs and captured segments. */
struct dir_data {
	uint8_t *buf;
	size_t len;
	struct rp_stream st;
	uint32_t segs[2 * RP_MAX_PDUS * 4];
	size_t n_segs;
};

static int load_dir(const char *name, const char *dir, struct dir_data *d)
{
	char path[4096], err[256];
	unsigned long off, len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s.bin", data_dir, name, dir);
	d->buf = read_file(path, &d->len);
	if (!d->buf)
		return -1;
	if (rp_stream_frame(&d->st, d->buf, d->len, err, sizeof(err))) {
		fprintf(stderr, "pp-replay: %s: %s\n", path, err);
		return -1;
	}
	d->n_segs = 0;
	snprintf(path, sizeof(path), "%s/%s.%s.seg", data_dir, name, dir);
	f = fopen(path, "r");
	if (!f)
		return 0;	/* only the capture pattern needs it */
	while (fscanf(f, "%lu %lu", &off, &len) == 2 &&
	       d->n_segs + 2 <= sizeof(d->segs) / sizeof(d->segs[0])) {
		d->segs[d->n_segs++] = off;
		d->segs[d->n_segs++] = off + len;
	}
	fclose(f);
	return 0;
}

static int load_order(const char *name, struct rp_order *o)
{
	char line[4096];
	size_t n = strlen(name);
	FILE *f = fopen(order_file, "r");

	if (!f) {
		fprintf(stderr, "pp-replay: %s: %s\n", order_file,
			strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, n) && (line[n] == ' ' || line[n] == '\t')) {
			fclose(f);
			if (rp_order_parse(line + n, o)) {
				fprintf(stderr, "pp-replay: %s: bad order for %s\n",
					order_file, name);
				return -1;
			}
			return 0;
		}
	}
	fclose(f);
	fprintf(stderr, "pp-replay: %s: no order for %s\n", order_file, name);
	return -1;
}

static int parse_sa(const char *text, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strchr(text, ':');
	unsigned long port = 2000;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (colon) {
		if ((size_t)(colon - text) >= sizeof(host))
			return -1;
		memcpy(host, text, colon - text);
		host[colon - text] = 0;
		port = strtoul(colon + 1, NULL, 10);
		if (!port || port > 65535)
			return -1;
	} else {
		snprintf(host, sizeof(host), "%s", text);
	}
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	sa->sin_port = htons(port);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A connection being replayed. */
struct conn {
	int fd;
	uint8_t *rbuf;
	size_t rlen, rmax;	/* received; expected */
	bool eof;
	const char *why;	/* failure */
	double deadline;
	unsigned long writes;
};

/* Read what is there (waiting up to @ms). 0, or -1 with c->why. */
static int pump(struct conn *c, int ms)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	uint8_t junk[4096];
	ssize_t n;

	if (c->eof) {
		if (ms > 0)
			usleep(ms * 1000);
		return 0;
	}
	if (poll(&p, 1, ms) < 0 && errno != EINTR)
		return c->why = "poll", -1;
	if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
		return 0;
	if (c->rlen < c->rmax)
		n = recv(c->fd, c->rbuf + c->rlen, c->rmax - c->rlen, 0);
	else
		n = recv(c->fd, junk, sizeof(junk), 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		c->why = errno == ECONNRESET ? "reset" : "recv";
		return -1;
	}
	if (!n) {
		c->eof = true;
		return 0;
	}
	if (c->rlen >= c->rmax)
		return c->why = "more bytes than sent", -1;
	c->rlen += n;
	return 0;
}

/* Wait until @want bytes have arrived. */
static int wait_bytes(struct conn *c, size_t want)
{
	while (c->rlen < want) {
		if (c->eof)
			return c->why = "closed early", -1;
		if (now() > c->deadline)
			return c->why = "timeout", -1;
		if (pump(c, 50))
			return -1;
	}
	return 0;
}

static int send_all(struct conn *c, const uint8_t *p, size_t n)
{
	struct pollfd pf = { .fd = c->fd, .events = POLLOUT };
	ssize_t k;

	while (n) {
		k = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (k < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (pump(c, 0))
				return -1;
			if (now() > c->deadline)
				return c->why = "timeout", -1;
			poll(&pf, 1, 50);
			continue;
		}
		if (k < 0) {
			c->why = errno == ECONNRESET || errno == EPIPE ?
				 "reset" : "send";
			return -1;
		}
		p += k;
		n -= k;
	}
	return 0;
}

static uint32_t plan[MAX_WRITES / 4];

/* Replay one connection from side @me ('c' or 's'). */
static int replay(struct conn *c, char me, const struct rp_order *o,
		  const struct dir_data *mine, const struct dir_data *other,
		  const struct rp_pattern *pat)
{
	unsigned int r, pdu = 0, other_pdus = 0;
	uint32_t pos;
	int n, i;

	for (r = 0; r < o->n; r++) {
		if (o->run[r].dir != me) {
			other_pdus += o->run[r].count;
			continue;
		}
		if (other_pdus && wait_bytes(c, other->st.end[other_pdus - 1]))
			return -1;
		n = rp_plan(&mine->st, pdu, o->run[r].count, pat, mine->segs,
			    mine->n_segs, plan, sizeof(plan) / sizeof(plan[0]));
		if (n < 0)
			return c->why = "plan", -1;
		pos = rp_pdu_start(&mine->st, pdu);
		for (i = 0; i < n; i++) {
			if (send_all(c, mine->buf + pos, plan[i] - pos))
				return -1;
			c->writes++;
			pos = plan[i];
			if (pump(c, 0))
				return -1;
			if (gap_us)
				usleep(gap_us);
		}
		pdu += o->run[r].count;
	}
	if (wait_bytes(c, other->len))
		return -1;
	if (me == 'c')
		shutdown(c->fd, SHUT_WR);
	while (!c->eof) {
		if (now() > c->deadline)
			return c->why = "no FIN", -1;
		if (pump(c, 50))
			return -1;
	}
	if (me == 's')
		shutdown(c->fd, SHUT_WR);
	return 0;
}

static int run_side(char me, const struct sockaddr_in *sa)
{
	static struct dir_data dc, ds;
	struct rp_order order;
	char path[4096], err[256];
	unsigned int s, p;
	int lfd = -1, one = 1, failed = 0;

	if (me == 's') {
		lfd = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (lfd < 0 || bind(lfd, (const struct sockaddr *)sa, sizeof(*sa)) ||
		    listen(lfd, 64)) {
			perror("pp-replay: listen");
			return 1;
		}
		printf("listening\n");
		fflush(stdout);
	}
	for (s = 0; s < n_streams; s++) {
		free(dc.buf);
		free(ds.buf);
		dc.buf = ds.buf = NULL;
		if (load_dir(streams[s], "c2s", &dc) ||
		    load_dir(streams[s], "s2c", &ds) ||
		    load_order(streams[s], &order))
			return 1;
		if (rp_order_check(&order, &dc.st, &ds.st, err, sizeof(err))) {
			fprintf(stderr, "pp-replay: %s: %s\n", streams[s], err);
			return 1;
		}
		for (p = 0; p < n_patterns; p++) {
			const struct dir_data *mine = me == 'c' ? &dc : &ds;
			const struct dir_data *other = me == 'c' ? &ds : &dc;
			struct conn c = { .fd = -1 };
			struct pollfd pf = { .fd = lfd, .events = POLLIN };
			double t0 = now();
			int ok;

			c.deadline = t0 + timeout_s;
			c.rmax = other->len;
			c.rbuf = malloc(c.rmax + 1);
			if (!c.rbuf)
				return 1;
			if (me == 'c') {
				c.fd = socket(AF_INET, SOCK_STREAM, 0);
				if (c.fd < 0 || connect(c.fd, (const struct sockaddr *)sa,
							sizeof(*sa)))
					c.why = "connect";
			} else if (poll(&pf, 1, timeout_s * 1000) != 1) {
				c.why = "no connection";
			} else {
				c.fd = accept(lfd, NULL, NULL);
				if (c.fd < 0)
					c.why = "accept";
			}
			if (!c.why) {
				setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one,
					   sizeof(one));
				fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK);
			}
			ok = !c.why && !replay(&c, me, &order, mine, other,
					       &patterns[p]);
			snprintf(path, sizeof(path), "%s/%s.%s.%s.bin", out_dir,
				 streams[s], patterns[p].name,
				 me == 'c' ? "s2c" : "c2s");
			if (write_file(path, c.rbuf, c.rlen))
				ok = 0;
			printf("replay side=%s stream=%s pattern=%s sent=%zu writes=%lu received=%zu/%zu secs=%.2f result=%s%s%s\n",
			       me == 'c' ? "phone" : "ccm", streams[s],
			       patterns[p].name, mine->len, c.writes, c.rlen,
			       c.rmax, now() - t0, ok ? "ok" : "fail",
			       ok ? "" : " why=", ok ? "" : c.why);
			fflush(stdout);
			if (!ok)
				failed = 1;
			if (c.fd >= 0)
				close(c.fd);
			free(c.rbuf);
		}
	}
	if (lfd >= 0)
		close(lfd);
	return failed;
}

static int run_verify(int to_ccm, const char *addr, const char *ports,
		      int verbose, int argc, char **argv)
{
	static struct dir_data d;
	struct rp_expect exp = { .to_ccm = to_ccm };
	struct rp_result res;
	unsigned long lo, hi;
	uint8_t *recv;
	size_t len;
	int i, failed = 0;

	if (n_streams != 1 || !addr || !ports || to_ccm < 0 || argc < 1)
		usage();
	if (inet_pton(AF_INET, addr, exp.addr) != 1 ||
	    sscanf(ports, "%lu-%lu", &lo, &hi) != 2 || lo > hi || hi > 65535)
		usage();
	exp.port_lo = lo;
	exp.port_hi = hi;
	if (load_dir(streams[0], to_ccm ? "c2s" : "s2c", &d))
		return 1;
	for (i = 0; i < argc; i++) {
		recv = read_file(argv[i], &len);
		if (!recv)
			return 1;
		if (verbose)
			printf("# %s\n", argv[i]);
		if (rp_verify(&d.st, recv, len, &exp, &res,
			      verbose ? stdout : NULL)) {
			printf("verify file=%s result=fail pdus=%u err=\"%s\"\n",
			       argv[i], res.pdus, res.err);
			failed = 1;
		} else {
			printf("verify file=%s result=ok pdus=%u fields=%u rewritten=%u bytes=%u relay_ports=%u norm=%016llx flat=%016llx\n",
			       argv[i], res.pdus, res.fields, res.rewritten,
			       res.bytes, res.relay_ports,
			       (unsigned long long)res.norm_hash,
			       (unsigned long long)res.flat_hash);
		}
		free(recv);
	}
	return failed;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connect", required_argument, NULL, 'C' },
		{ "listen", required_argument, NULL, 'L' },
		{ "data", required_argument, NULL, 'd' },
		{ "order", required_argument, NULL, 'o' },
		{ "stream", required_argument, NULL, 's' },
		{ "pattern", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'O' },
		{ "gap-us", required_argument, NULL, 'g' },
		{ "timeout", required_argument, NULL, 't' },
		{ "to-ccm", no_argument, NULL, 'c' },
		{ "to-phone", no_argument, NULL, 'n' },
		{ "addr", required_argument, NULL, 'a' },
		{ "ports", required_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *mode, *peer = NULL, *addr = NULL, *ports = NULL;
	struct sockaddr_in sa;
	int opt, to_ccm = -1, verbose = 0;

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		switch (opt) {
		case 'C':
		case 'L':
			peer = optarg;
			break;
		case 'd':
			data_dir = optarg;
			break;
		case 'o':
			order_file = optarg;
			break;
		case 's':
			if (n_streams == MAX_STREAMS)
				usage();
			streams[n_streams++] = optarg;
			break;
		case 'p':
			if (n_patterns == MAX_PATTERNS ||
			    rp_pattern_parse(optarg, &patterns[n_patterns])) {
				fprintf(stderr, "pp-replay: bad pattern %s\n", optarg);
				usage();
			}
			n_patterns++;
			break;
		case 'O':
			out_dir = optarg;
			break;
		case 'g':
			gap_us = strtoul(optarg, NULL, 10);
			break;
		case 't':
			timeout_s = strtoul(optarg, NULL, 10);
			break;
		case 'c':
			to_ccm = 1;
			break;
		case 'n':
			to_ccm = 0;
			break;
		case 'a':
			addr = optarg;
			break;
		case 'P':
			ports = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(mode, "verify"))
		return run_verify(to_ccm, addr, ports, verbose, argc - optind,
				  argv + optind);
	if (strcmp(mode, "phone") && strcmp(mode, "ccm"))
		usage();
	if (!peer || parse_sa(peer, &sa) || !order_file || !n_streams ||
	    !n_patterns || optind != argc)
		usage();
	mkdir(out_dir, 0755);
	return run_side(mode[0] == 'p' ? 'c' : 's', &sa);
}
