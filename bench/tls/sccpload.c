// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * sccpload: SCCP load from C phones at once, plain TCP or TLS (bench/tls,
 * not a test: it counts, it asserts nothing). One thread per phone,
 * blocking sockets; phone i binds BIND + i and registers as SID + i.
 *
 *	sccpload -m MODE [-c C] [-t SECS] [-T 1.0|1.2] [-p PID]
 *		 -b BIND -s SEP<12 hex> SERVER:PORT
 *
 * MODE:
 *   connect	  connect (TCP, then the TLS handshake with -T), close; again
 *   register	  the same, then RegisterReq and wait for RegisterAck; close
 *   rr		  one connection per phone, registered; KeepAlive, wait for
 *		  KeepAliveAck; again (round trips)
 *   bulk	  one connection per phone, registered; KeypadButton PDUs
 *		  (24 bytes; no answer) one way, BATCH to a write, each batch
 *		  followed by a KeepAlive: at most WINDOW batches unacknowledged
 *		  (the buffers of the path hold no more than that: a message
 *		  counts when the CallManager's KeepAliveAck says it read it)
 *
 * Prints one line: mode, conns, secs (the window: from the start barrier
 * to the last phone's end), ops, rate (ops/s), errors, cpu_us and tick_us
 * (busy CPU time of the whole machine per op in the window, two ways:
 * cpu_stat()) and, with -p PID, pid_us (that process's CPU time per op:
 * pp-tlsd).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "sccp_build.h"

#define MAX_CONNS	256
#define BATCH		64	/* KeypadButton PDUs per write in bulk */
#define WINDOW		16	/* batches in flight per connection in bulk */
#define KEYPAD_BUTTON	0x0003	/* D->C, no address: parsed, not rewritten */
#define KEYPAD_BODY	12	/* button, lineInstance, callReference */
#define PROTO		17
#define IO_TIMEOUT_S	10

enum mode { M_CONNECT, M_REGISTER, M_RR, M_BULK };

static struct {
	enum mode mode;
	int conns;
	double secs;
	const char *tls;		/* NULL: plain TCP */
	int pid;
	struct sockaddr_in server;
	struct in_addr bind;
	uint64_t sid;			/* the 48-bit MAC of phone 0 */
	SSL_CTX *ctx;
} opt = { .conns = 1, .secs = 5 };

struct worker {
	pthread_t thread;
	int idx;
	int fd;
	SSL *ssl;
	uint64_t ops, errors;
	double end;			/* when this phone stopped counting */
	char why[160];
};

static pthread_barrier_t ready_barrier, start_barrier;
static double t_start, t_stop;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fail(struct worker *w, const char *what)
{
	unsigned long e = ERR_get_error();

	w->errors++;
	if (w->why[0])
		return;
	if (e)
		snprintf(w->why, sizeof(w->why), "%s: %s", what,
			 ERR_reason_error_string(e));
	else
		snprintf(w->why, sizeof(w->why), "%s: %s", what,
			 errno ? strerror(errno) : "closed");
	ERR_clear_error();
}

static void conn_close(struct worker *w)
{
	if (w->ssl) {
		SSL_shutdown(w->ssl);	/* close_notify, not waiting for its answer */
		SSL_free(w->ssl);
		w->ssl = NULL;
	}
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

/* All @n bytes written (@out) or read, over TLS or not. */
static bool io_all(struct worker *w, uint8_t *p, size_t n, bool out)
{
	while (n) {
		ssize_t k;

		errno = 0;
		if (w->ssl)
			k = out ? SSL_write(w->ssl, p, (int)n) : SSL_read(w->ssl, p, (int)n);
		else
			k = out ? send(w->fd, p, n, MSG_NOSIGNAL) : recv(w->fd, p, n, 0);
		if (k <= 0) {
			fail(w, out ? "write" : "read");
			return false;
		}
		p += k;
		n -= (size_t)k;
	}
	return true;
}

static bool send_all(struct worker *w, const uint8_t *p, size_t n)
{
	return io_all(w, (uint8_t *)p, n, true);
}

static bool recv_all(struct worker *w, uint8_t *p, size_t n)
{
	return io_all(w, p, n, false);
}

/* Read PDUs until one with message id @id (others are skipped). */
static bool wait_for(struct worker *w, uint32_t id)
{
	uint8_t pdu[SCCP_MAX_PDU];

	for (;;) {
		uint32_t len, got;

		if (!recv_all(w, pdu, SCCP_HDR_LEN))
			return false;
		len = sccp_get_le32(pdu);
		got = sccp_get_le32(pdu + 8);
		if (len < 4 || len + 8 > sizeof(pdu)) {
			snprintf(w->why, sizeof(w->why), "bad SCCP length %u", len);
			w->errors++;
			return false;
		}
		if (!recv_all(w, pdu + SCCP_HDR_LEN, len - 4))
			return false;
		if (got == id)
			return true;
		if (got == SCCP_REGISTER_REJECT) {
			snprintf(w->why, sizeof(w->why), "RegisterReject");
			w->errors++;
			return false;
		}
	}
}

static bool conn_open(struct worker *w)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };
	int one = 1;

	w->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (w->fd < 0) {
		fail(w, "socket");
		return false;
	}
	a.sin_addr.s_addr = htonl(ntohl(opt.bind.s_addr) + (uint32_t)w->idx);
	setsockopt(w->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(w->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	/* Round trips: each KeepAlive leaves at once (the phones do too). */
	setsockopt(w->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (bind(w->fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		fail(w, "bind");
		goto out;
	}
	if (connect(w->fd, (struct sockaddr *)&opt.server, sizeof(opt.server)) < 0) {
		fail(w, "connect");
		goto out;
	}
	if (!opt.ctx)
		return true;
	w->ssl = SSL_new(opt.ctx);
	if (!w->ssl || !SSL_set_fd(w->ssl, w->fd) || SSL_connect(w->ssl) != 1) {
		fail(w, "TLS handshake");
		goto out;
	}
	return true;
out:
	conn_close(w);
	return false;
}

static bool do_register(struct worker *w)
{
	uint8_t pdu[SB_MAX_PDU];
	char name[16];
	uint64_t mac = opt.sid + (uint64_t)w->idx;
	struct sb_register r = {
		.name = name,
		.station_ip = htonl(ntohl(opt.bind.s_addr) + (uint32_t)w->idx),
		.instance = 1,
		.device_type = 115,	/* 7941 */
		.max_streams = 5,
		.proto = PROTO,
	};
	size_t n;
	int i;

	snprintf(name, sizeof(name), "SEP%012llX", (unsigned long long)mac);
	for (i = 0; i < 6; i++)
		r.mac[i] = (uint8_t)(mac >> (40 - 8 * i));
	n = sb_register(pdu, sizeof(pdu), sb_version_for(PROTO, 0),
			sb_layout_for(PROTO), &r);
	return send_all(w, pdu, n) && wait_for(w, SCCP_REGISTER_ACK);
}

static void *run(void *arg)
{
	struct worker *w = arg;
	uint8_t ka[SCCP_HDR_LEN], bulk[BATCH * (SCCP_HDR_LEN + KEYPAD_BODY) + SCCP_HDR_LEN];
	size_t kan = sb_keepalive_req(ka, sizeof(ka), sb_version_for(PROTO, 0));
	bool up = false;
	int i, inflight = 0;

	for (i = 0; i < BATCH; i++) {
		uint8_t *p = bulk + i * (SCCP_HDR_LEN + KEYPAD_BODY);

		sb_header(p, SCCP_HDR_LEN + KEYPAD_BODY, sb_version_for(PROTO, 0),
			  KEYPAD_BUTTON, KEYPAD_BODY);
		sccp_put_le32(p + SCCP_HDR_LEN, (uint32_t)(i % 10));	/* button */
		sccp_put_le32(p + SCCP_HDR_LEN + 4, 1);			/* line */
	}
	memcpy(bulk + BATCH * (SCCP_HDR_LEN + KEYPAD_BODY), ka, kan);
	/* Long-lived modes: the connection is set up before the window. */
	if (opt.mode == M_RR || opt.mode == M_BULK)
		up = conn_open(w) && do_register(w);
	pthread_barrier_wait(&ready_barrier);
	pthread_barrier_wait(&start_barrier);
	if ((opt.mode == M_RR || opt.mode == M_BULK) && !up)
		goto done;
	while (now() < t_stop) {
		switch (opt.mode) {
		case M_CONNECT:
		case M_REGISTER:
			if (!conn_open(w))
				break;
			if (opt.mode == M_CONNECT || do_register(w))
				w->ops++;
			conn_close(w);
			break;
		case M_RR:
			if (!send_all(w, ka, kan) || !wait_for(w, SCCP_KEEPALIVE_ACK))
				goto done;
			w->ops++;
			break;
		case M_BULK:
			if (!send_all(w, bulk, sizeof(bulk)))
				goto done;
			if (++inflight < WINDOW)
				break;
			if (!wait_for(w, SCCP_KEEPALIVE_ACK))
				goto done;
			inflight--;
			w->ops += BATCH;
			break;
		}
		if (w->errors > 100)
			break;
	}
	/* Bulk: the batches still in flight, once acknowledged. */
	for (; opt.mode == M_BULK && inflight > 0; inflight--) {
		if (!wait_for(w, SCCP_KEEPALIVE_ACK))
			break;
		w->ops += BATCH;
	}
done:
	w->end = now();
	conn_close(w);
	return NULL;
}

/*
 * The CPUs' time of /proc/stat, in ticks: @idle (idle + iowait) and
 * @busy (user nice system irq softirq steal). Two estimates of the busy
 * time, as an emulated guest on a loaded host sees it: the window times
 * the CPUs minus @idle (measured, NO_HZ idle accounting) counts also the
 * time the host did not run the vCPU (too high); @busy is sampled at the
 * tick, which a vCPU that did not run misses (too low: in a first run it
 * came out below pp-tlsd's own CPU time).
 */
static void cpu_stat(unsigned long long *idle, unsigned long long *busy)
{
	unsigned long long u = 0, n = 0, s = 0, i = 0, io = 0, irq = 0, sirq = 0, st = 0;
	FILE *f = fopen("/proc/stat", "r");

	if (f) {
		if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			   &u, &n, &s, &i, &io, &irq, &sirq, &st) != 8)
			u = n = s = i = io = irq = sirq = st = 0;
		fclose(f);
	}
	*idle = i + io;
	*busy = u + n + s + irq + sirq + st;
}

/* utime + stime of a process, in ticks (0 when it is not there). */
static unsigned long long pid_cpu(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	FILE *f;
	size_t n;

	if (!pid)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');	/* the name may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return 0;
	return ut + st;
}

static void usage(void)
{
	fprintf(stderr, "usage: sccpload -m connect|register|rr|bulk [-c CONNS] [-t SECS] "
		"[-T 1.0|1.2] [-p PID] -b BIND_ADDR -s SEP<12 hex> SERVER:PORT\n");
	exit(2);
}

static SSL_CTX *client_ctx(const char *v)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	int ver;
	const char *ciphers;

	if (!ctx)
		return NULL;
	if (!strcmp(v, "1.0")) {
		ver = TLS1_VERSION;	/* old firmware: RSA key exchange */
		ciphers = "AES128-SHA:@SECLEVEL=0";
	} else if (!strcmp(v, "1.2")) {
		ver = TLS1_2_VERSION;
		ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
	} else {
		fprintf(stderr, "sccpload: -T %s: 1.0 or 1.2\n", v);
		exit(2);
	}
	/* Every connection a full handshake: no session kept or offered. */
	SSL_CTX_set_security_level(ctx, 0);
	if (!SSL_CTX_set_min_proto_version(ctx, ver) ||
	    !SSL_CTX_set_max_proto_version(ctx, ver) ||
	    !SSL_CTX_set_cipher_list(ctx, ciphers)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	return ctx;
}

int main(int argc, char **argv)
{
	static struct worker w[MAX_CONNS];
	const char *mode = NULL, *sid = NULL, *bind_s = NULL;
	unsigned long long c0, c1, k0, k1, p0, p1, ops = 0, errors = 0;
	double end = 0, window, t_end, busy;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long hz = sysconf(_SC_CLK_TCK);
	char host[64], *colon, *e;
	const char *why = "";
	int o, i;

	while ((o = getopt(argc, argv, "m:c:t:T:p:b:s:")) != -1) {
		switch (o) {
		case 'm': mode = optarg; break;
		case 'c': opt.conns = atoi(optarg); break;
		case 't': opt.secs = atof(optarg); break;
		case 'T': opt.tls = optarg; break;
		case 'p': opt.pid = atoi(optarg); break;
		case 'b': bind_s = optarg; break;
		case 's': sid = optarg; break;
		default: usage();
		}
	}
	if (!mode || !sid || !bind_s || optind != argc - 1)
		usage();
	if (!strcmp(mode, "connect"))
		opt.mode = M_CONNECT;
	else if (!strcmp(mode, "register"))
		opt.mode = M_REGISTER;
	else if (!strcmp(mode, "rr"))
		opt.mode = M_RR;
	else if (!strcmp(mode, "bulk"))
		opt.mode = M_BULK;
	else
		usage();
	if (opt.conns < 1 || opt.conns > MAX_CONNS || opt.secs <= 0) {
		fprintf(stderr, "sccpload: -c 1..%d, -t > 0\n", MAX_CONNS);
		return 2;
	}
	if (strncmp(sid, "SEP", 3) || strlen(sid) != 15 ||
	    (opt.sid = strtoull(sid + 3, &e, 16), *e)) {
		fprintf(stderr, "sccpload: -s %s: SEP and 12 hex digits\n", sid);
		return 2;
	}
	if (inet_pton(AF_INET, bind_s, &opt.bind) != 1) {
		fprintf(stderr, "sccpload: -b %s: not an IPv4 address\n", bind_s);
		return 2;
	}
	snprintf(host, sizeof(host), "%s", argv[optind]);
	colon = strchr(host, ':');
	if (!colon || (*colon = 0, inet_pton(AF_INET, host, &opt.server.sin_addr) != 1) ||
	    atoi(colon + 1) < 1 || atoi(colon + 1) > 65535) {
		fprintf(stderr, "sccpload: %s: not ADDR:PORT\n", argv[optind]);
		return 2;
	}
	opt.server.sin_family = AF_INET;
	opt.server.sin_port = htons((uint16_t)atoi(colon + 1));
	if (opt.tls && !(opt.ctx = client_ctx(opt.tls))) {
		fprintf(stderr, "sccpload: TLS %s: %s\n", opt.tls,
			ERR_reason_error_string(ERR_get_error()));
		return 1;
	}

	pthread_barrier_init(&ready_barrier, NULL, (unsigned int)opt.conns + 1);
	pthread_barrier_init(&start_barrier, NULL, (unsigned int)opt.conns + 1);
	for (i = 0; i < opt.conns; i++) {
		w[i].idx = i;
		w[i].fd = -1;
		if (pthread_create(&w[i].thread, NULL, run, &w[i])) {
			fprintf(stderr, "sccpload: cannot start thread %d\n", i);
			return 1;
		}
	}
	/* Every phone is set up (rr, bulk): the window starts. */
	pthread_barrier_wait(&ready_barrier);
	t_start = now();
	t_stop = t_start + opt.secs;
	cpu_stat(&c0, &k0);
	p0 = pid_cpu(opt.pid);
	pthread_barrier_wait(&start_barrier);
	for (i = 0; i < opt.conns; i++) {
		pthread_join(w[i].thread, NULL);
		ops += w[i].ops;
		errors += w[i].errors;
		if (w[i].end > end)
			end = w[i].end;
		if (!why[0] && w[i].why[0])
			why = w[i].why;
	}
	cpu_stat(&c1, &k1);
	t_end = now();
	p1 = pid_cpu(opt.pid);
	window = end - t_start;
	busy = (t_end - t_start) * (double)ncpu - (double)(c1 - c0) / hz;
	if (busy < 0)
		busy = 0;
	printf("mode=%s tls=%s conns=%d secs=%.2f ops=%llu rate=%.1f errors=%llu cpu_us=%.1f tick_us=%.1f",
	       mode, opt.tls ? opt.tls : "none", opt.conns, window, ops,
	       window > 0 ? ops / window : 0, errors,
	       ops ? busy * 1e6 / ops : 0,
	       ops ? (double)(k1 - k0) / hz * 1e6 / ops : 0);
	if (opt.pid)
		printf(" pid_us=%.1f", ops ? (double)(p1 - p0) / hz * 1e6 / ops : 0);
	if (why[0])
		printf(" first_error=\"%s\"", why);
	printf("\n");
	return ops ? 0 : 1;
}
