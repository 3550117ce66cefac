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
 * it can or at RATE packets per second in all, for SECONDS. A SRC:PORT
 * given twice is refused (SO_REUSEADDR would let both bind): a relay
 * that latches each stream's source port (bench/rtp: several streams
 * per phone address, 50000 + k) needs one per stream.
 *
 *   rtpblast [-d SECONDS] [-r RATE] [-b BURST] [-s PAYLOAD] [-p PT] [-S] LIST|-
 *   rtpblast -c [-s PAYLOAD] [-p PT] LIST	(runs on command, from stdin)
 *   rtpblast -T SECONDS [-s PAYLOAD]		(libsrtp2's protect alone)
 *
 * SRTP: a line "SRC[:PORT] DST:PORT SUITE KEY" (SUITE
 * AES_CM_128_HMAC_SHA1_32 or _80, KEY the master key and salt in hex,
 * 30 bytes: what pp-phone-sim --print-keys prints) makes that stream
 * SRTP: each packet is protected with libsrtp2 (a session per stream, a
 * fresh index per packet: libsrtp2 refuses to reuse one) before it is
 * sent. The time spent in srtp_protect() is measured (a monotonic clock
 * around each burst's protects) and printed, for the benchmark to tell
 * the sender's crypto from the path's.
 *
 * -c: the streams stay open and keep their SSRC, sequence numbers and
 * SRTP sessions from run to run (a receiver that latched the first
 * packet's source port and SSRC, as an SRTP context, accepts every run);
 * each stdin line "SECONDS RATE BURST N" runs over the first N streams and
 * prints its line; "prep COUNT N SECONDS" protects up to COUNT packets
 * ahead (one per stream in turn over the first N, for at most SECONDS),
 * which the runs send first, in order, before protecting any more
 * (the sender's crypto then falls outside the measured run), and prints
 * "prepared=K crypto_s=S"; EOF ends.
 *
 * -S: each stream's SSRC is a hash of its line's source and destination
 * (address and port), the same in every run of that line, as a phone keeps
 * one SSRC for a stream; otherwise random per run. A relay that tracks the
 * SSRCs of a stream (rtpengine's kernel forwarding hands a packet of an
 * SSRC it does not know to its daemon) then sees the same one in every run.
 *
 * -T: protects packets of both suites with random keys, no socket, for
 * SECONDS each; prints "protect_ns_32=X protect_ns_80=Y" (ns per packet).
 *
 * -L IFNAME,MAC: the same packets, sent below IP: one AF_PACKET socket
 * (SOCK_DGRAM, qdisc bypassed) on IFNAME to the next hop's MAC, each
 * packet's IPv4 and UDP headers written here (DF, TTL 64, UDP checksum 0:
 * none, as RFC 768 allows; a socket's packets on a veth are not summed
 * either). The UDP sockets are still opened, bound and connected (their
 * ports are the streams' source ports) but not sent on. What it saves is
 * the sender's own IP and UDP output path, which is not the path under
 * test: in a guest whose CPUs the senders share with the middle, the
 * middle then gets more of them (bench/rtp/README.md).
 *
 * Prints one line a run: "streams=N sent=N errors=N seconds=S pps=R
 * protected=N crypto_s=S". errors: packets not sent (e.g. ECONNREFUSED
 * after an ICMP port unreachable, ENOBUFS, a protect refused), counted,
 * not fatal. SIGINT/SIGTERM end the run early and still print.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
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

#include <srtp2/srtp.h>

#define MAX_BURST	64
#define MAX_PAYLOAD	1400
#define RTP_HDR		12
#define SRTP_TAG	16	/* room for the auth tag (10 or 4 bytes) */
#define MASTER_LEN	30	/* AES-CM-128: key 16 + salt 14 */
#define IPUDP_HDR	28	/* -L: IPv4 (20) and UDP (8) */

struct stream {
	int fd;
	struct sockaddr_in src;	/* bound to (port 0: any) */
	struct sockaddr_in from, to;	/* the socket's own ends (-L) */
	unsigned char ipudp[IPUDP_HDR];	/* -L: for UDP length ulen */
	unsigned int ulen;	/* 0: not made yet */
	unsigned int line;	/* of the list */
	uint16_t seq;
	uint32_t ts, ssrc;
	/*
	 * SRTP: the session is made on the stream's first protect, not when
	 * the list is read. Debian's libsrtp2 runs on NSS, whose softoken
	 * gets slower with every session a process holds (a protect costs 3
	 * times as much with 1,000 sessions as with 100): a run over the
	 * first N streams then pays for N sessions, not for the whole list.
	 */
	int bits;		/* SRTP suite: 32 or 80; 0: plain RTP */
	unsigned char master[MASTER_LEN];
	srtp_t srtp;		/* NULL until the first protect */
	/* -c "prep": packets protected ahead, sent first, in order */
	unsigned char *ring;	/* cap slots of SLOT bytes */
	unsigned short *rlen;
	size_t head, tail, cap;
};

/* bytes of a ring slot: RTP_HDR + the payload + SRTP_TAG (main sets it) */
static size_t SLOT = RTP_HDR + MAX_PAYLOAD + SRTP_TAG;

/* What a run sends and counts. */
struct run {
	double secs, rate;
	unsigned int burst, plen, pt;
	size_t n;		/* the first n streams */
	int dry;		/* -T: protect only */
};

static volatile sig_atomic_t stop;
static int fixed_ssrc;	/* -S */
static int link_fd = -1;	/* -L: the AF_PACKET socket */
static struct sockaddr_ll link_to;

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
		"usage: rtpblast [-d SECONDS] [-r RATE] [-b BURST] [-s PAYLOAD] [-p PT] [-S] LIST|-\n"
		"       rtpblast -c [-s PAYLOAD] [-p PT] LIST   (stdin: \"SECONDS RATE BURST N\" a run,\n"
		"                                               \"prep COUNT N SECONDS\" protect ahead)\n"
		"       rtpblast -T SECONDS [-s PAYLOAD]        (time libsrtp2's protect alone)\n"
		"       (either of the first two with -L IFNAME,MAC: sent below IP, on IFNAME to MAC)\n"
		"  LIST: one stream a line, \"SRC[:PORT] DST:PORT [SUITE KEY]\" (IPv4), # comments;\n"
		"        SUITE AES_CM_128_HMAC_SHA1_32|80 and KEY (key||salt, 60 hex digits): SRTP\n"
		"  -d  duration in seconds (default 10)\n"
		"  -r  packets per second in all (default 0: as fast as possible)\n"
		"  -b  packets per sendmmsg() call, per stream (default 8, max %d)\n"
		"  -s  RTP payload bytes (default 160: G.711, 20 ms)\n"
		"  -p  RTP payload type (default 0)\n"
		"  -S  SSRC from the line's source and destination (the same every run)\n"
		"  -L  IFNAME,MAC: write the IPv4 and UDP headers, send on an AF_PACKET socket\n", MAX_BURST);
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

static int srtp_ready;

static int srtp_start(void)
{
	if (!srtp_ready && srtp_init() != srtp_err_status_ok)
		return -1;
	srtp_ready = 1;
	return 0;
}

/* A sending session of @suite (32 or 80) keyed with @master (key || salt). */
static srtp_t srtp_session(int suite, const unsigned char *master)
{
	unsigned char key[MASTER_LEN];
	srtp_policy_t pol;
	srtp_t sess = NULL;

	if (srtp_start())
		return NULL;
	memset(&pol, 0, sizeof(pol));
	if (suite == 32)
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol.rtp);
	else
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtp);
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
	memcpy(key, master, sizeof(key));
	pol.key = key;
	pol.ssrc.type = ssrc_any_outbound;
	pol.window_size = 128;
	pol.allow_repeat_tx = 0;
	if (srtp_create(&sess, &pol) != srtp_err_status_ok)
		sess = NULL;
	memset(key, 0, sizeof(key));
	return sess;
}

/* "AES_CM_128_HMAC_SHA1_32|80" and 60 hex digits into a session. */
static int parse_srtp(struct stream *st, const char *suite, const char *hex,
		      const char *file, unsigned int line)
{
	unsigned char master[MASTER_LEN];
	int bits;

	if (!strcmp(suite, "AES_CM_128_HMAC_SHA1_32")) {
		bits = 32;
	} else if (!strcmp(suite, "AES_CM_128_HMAC_SHA1_80")) {
		bits = 80;
	} else {
		fprintf(stderr, "rtpblast: %s:%u: %s: not AES_CM_128_HMAC_SHA1_32 or _80\n",
			file, line, suite);
		return -1;
	}
	if (strlen(hex) != 2 * MASTER_LEN) {
		fprintf(stderr, "rtpblast: %s:%u: the key: want %d hex digits (key || salt)\n",
			file, line, 2 * MASTER_LEN);
		return -1;
	}
	for (int i = 0; i < MASTER_LEN; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1 ||
		    !strchr("0123456789abcdefABCDEF", hex[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", hex[2 * i + 1])) {
			fprintf(stderr, "rtpblast: %s:%u: the key: not hex\n", file, line);
			return -1;
		}
		master[i] = (unsigned char)b;
	}
	/* libsrtp2 checks the key now, the session is made on first use */
	st->srtp = srtp_session(bits, master);
	if (!st->srtp) {
		memset(master, 0, sizeof(master));
		fprintf(stderr, "rtpblast: %s:%u: libsrtp2 refuses the session\n", file, line);
		return -1;
	}
	srtp_dealloc(st->srtp);
	st->srtp = NULL;
	st->bits = bits;
	memcpy(st->master, master, sizeof(master));
	memset(master, 0, sizeof(master));
	return 0;
}

/* The stream's session, made on first use; NULL if libsrtp2 refuses. */
static srtp_t stream_srtp(struct stream *st)
{
	if (!st->srtp)
		st->srtp = srtp_session(st->bits, st->master);
	return st->srtp;
}

static uint32_t fnv1a(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

static int open_stream(struct stream *st, const char *src, const char *dst,
		       const char *file, unsigned int line)
{
	struct sockaddr_in s, d;
	int one = 1;

	if (parse_addr(src, &s, 0) || parse_addr(dst, &d, 1)) {
		fprintf(stderr, "rtpblast: %s:%u: want \"SRC[:PORT] DST:PORT\"\n", file, line);
		return -1;
	}
	st->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (st->fd < 0) {
		fprintf(stderr, "rtpblast: %s:%u: socket: %s\n", file, line, strerror(errno));
		return -1;
	}
	/* a fixed source port, again right after the previous run's */
	setsockopt(st->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(st->fd, (struct sockaddr *)&s, sizeof(s)) < 0 ||
	    connect(st->fd, (struct sockaddr *)&d, sizeof(d)) < 0) {
		fprintf(stderr, "rtpblast: %s:%u: %s -> %s: %s\n", file, line, src, dst,
			strerror(errno));
		close(st->fd);
		return -1;
	}
	st->src = s;
	st->to = d;
	{
		socklen_t len = sizeof(st->from);

		if (getsockname(st->fd, (struct sockaddr *)&st->from, &len) < 0) {
			fprintf(stderr, "rtpblast: %s:%u: getsockname: %s\n", file, line,
				strerror(errno));
			close(st->fd);
			return -1;
		}
	}
	st->ulen = 0;
	st->line = line;
	st->seq = (uint16_t)rand();
	st->ts = (uint32_t)rand();
	st->ssrc = ((uint32_t)rand() << 16) ^ (uint32_t)rand();
	if (fixed_ssrc) {	/* FNV-1a of both addresses and ports */
		uint32_t h = 2166136261u;

		h = fnv1a(h, &s.sin_addr, sizeof(s.sin_addr));
		h = fnv1a(h, &s.sin_port, sizeof(s.sin_port));
		h = fnv1a(h, &d.sin_addr, sizeof(d.sin_addr));
		h = fnv1a(h, &d.sin_port, sizeof(d.sin_port));
		st->ssrc = h ? h : 1;
	}
	st->srtp = NULL;
	st->bits = 0;
	st->ring = NULL;
	st->rlen = NULL;
	st->head = st->tail = st->cap = 0;
	return 0;
}

static void close_stream(struct stream *st)
{
	close(st->fd);
	if (st->srtp)
		srtp_dealloc(st->srtp);
	memset(st->master, 0, sizeof(st->master));
	free(st->ring);
	free(st->rlen);
}

static struct stream *read_list(const char *file, size_t *count)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	struct stream *v = NULL;
	size_t n = 0, cap = 0;
	unsigned int line = 0;
	char buf[512];

	if (!f) {
		fprintf(stderr, "rtpblast: %s: %s\n", file, strerror(errno));
		return NULL;
	}
	while (fgets(buf, sizeof(buf), f)) {
		char src[80], dst[80], suite[40], key[80], extra[8];
		int k;

		line++;
		k = sscanf(buf, " %79s %79s %39s %79s %7s", src, dst, suite, key, extra);
		if (k < 1 || src[0] == '#')
			continue;
		if (k != 2 && k != 4) {
			fprintf(stderr, "rtpblast: %s:%u: want \"SRC[:PORT] DST:PORT [SUITE KEY]\"\n",
				file, line);
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
		for (size_t i = 0; v[n].src.sin_port && i < n; i++) {
			if (v[i].src.sin_port != v[n].src.sin_port ||
			    v[i].src.sin_addr.s_addr != v[n].src.sin_addr.s_addr)
				continue;
			fprintf(stderr, "rtpblast: %s:%u: %s: the source of line %u too (a stream's source port is its own)\n",
				file, line, src, v[i].line);
			close(v[n].fd);
			goto fail;
		}
		if (k == 4 && parse_srtp(&v[n], suite, key, file, line)) {
			close(v[n].fd);
			goto fail;
		}
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
		close_stream(&v[--n]);
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

static void rtp_header(unsigned char *h, unsigned int pt, uint16_t seq,
		       uint32_t ts, uint32_t ssrc)
{
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

/* The ones' complement checksum of the IPv4 header @h (20 bytes). */
static uint16_t ip_csum(const unsigned char *h)
{
	uint32_t sum = 0;

	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* -L: the stream's IPv4 and UDP headers for a UDP payload of @plen bytes. */
static const unsigned char *stream_ipudp(struct stream *st, size_t plen)
{
	unsigned char *h = st->ipudp;
	unsigned int ulen = 8 + (unsigned int)plen, tot = 20 + ulen;
	uint16_t c;

	if (st->ulen == ulen)
		return h;
	memset(h, 0, IPUDP_HDR);
	h[0] = 0x45;			/* IPv4, 5 words */
	h[2] = (unsigned char)(tot >> 8);
	h[3] = (unsigned char)tot;
	h[6] = 0x40;			/* DF, as a UDP socket sends */
	h[8] = 64;			/* TTL */
	h[9] = IPPROTO_UDP;
	memcpy(h + 12, &st->from.sin_addr, 4);
	memcpy(h + 16, &st->to.sin_addr, 4);
	c = ip_csum(h);
	h[10] = (unsigned char)(c >> 8);
	h[11] = (unsigned char)c;
	memcpy(h + 20, &st->from.sin_port, 2);
	memcpy(h + 22, &st->to.sin_port, 2);
	h[24] = (unsigned char)(ulen >> 8);
	h[25] = (unsigned char)ulen;
	/* h[26], h[27]: UDP checksum 0, none */
	st->ulen = ulen;
	return h;
}

/* -L IFNAME,MAC: the AF_PACKET socket and the address to send to. */
static int link_open(const char *arg)
{
	const char *comma = strchr(arg, ',');
	char name[IF_NAMESIZE];
	unsigned int m[6];
	int one = 1;
	size_t n;

	n = comma ? (size_t)(comma - arg) : 0;
	if (!n || n >= sizeof(name) ||
	    sscanf(comma + 1, "%2x:%2x:%2x:%2x:%2x:%2x%n", &m[0], &m[1], &m[2],
		   &m[3], &m[4], &m[5], &one) != 6 || comma[1 + one] != '\0') {
		fprintf(stderr, "rtpblast: -L %s: want IFNAME,MAC (e.g. veth0,02:00:00:00:00:01)\n",
			arg);
		return -1;
	}
	memcpy(name, arg, n);
	name[n] = '\0';
	memset(&link_to, 0, sizeof(link_to));
	link_to.sll_family = AF_PACKET;
	link_to.sll_protocol = htons(ETH_P_IP);
	link_to.sll_ifindex = (int)if_nametoindex(name);
	if (!link_to.sll_ifindex) {
		fprintf(stderr, "rtpblast: -L %s: %s: %s\n", arg, name, strerror(errno));
		return -1;
	}
	link_to.sll_halen = 6;
	for (int i = 0; i < 6; i++)
		link_to.sll_addr[i] = (unsigned char)m[i];
	/* protocol 0: it receives nothing */
	link_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	one = 1;
	if (link_fd < 0 ||
	    setsockopt(link_fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0) {
		fprintf(stderr, "rtpblast: -L %s: AF_PACKET socket: %s\n", arg, strerror(errno));
		return -1;
	}
	return 0;
}

/* What a run did. */
struct result {
	unsigned long long sent, errors, prot;
	double secs, crypto;
};

/* One run over the first r->n streams. */
static void run(struct stream *st, const struct run *r, struct result *res)
{
	static unsigned char hdr[MAX_BURST][RTP_HDR], payload[MAX_PAYLOAD];
	static unsigned char pkt[MAX_BURST][RTP_HDR + MAX_PAYLOAD + SRTP_TAG];
	static unsigned char lhdr[MAX_BURST][IPUDP_HDR];
	struct mmsghdr msgs[MAX_BURST];
	struct iovec iov[MAX_BURST][3];
	unsigned long long sent = 0, errors = 0, prot = 0;
	double t0, t, deadline, crypto = 0;
	size_t i = 0;

	memset(payload, 0xff, sizeof(payload));	/* mu-law silence */
	memset(msgs, 0, sizeof(msgs));
	t0 = now();
	deadline = t0 + r->secs;
	for (unsigned long long round = 0; !stop; round++) {
		struct stream *s = &st[i];
		unsigned int burst = r->burst, k, ok = 0, want;
		int n;

		/* Check the clock every 64 calls, and pace when asked to. */
		if ((round & 63) == 0) {
			t = now();
			if (t >= deadline)
				break;
			if (r->rate > 0) {
				double ahead = (double)sent / r->rate - (t - t0);

				if (ahead > 0.0005) {
					struct timespec d = {
						.tv_sec = (time_t)ahead,
						.tv_nsec = (long)((ahead - (double)(time_t)ahead) * 1e9),
					};

					nanosleep(&d, NULL);
				}
			}
		}
		if (!s->bits) {
			for (k = 0; k < burst; k++) {
				rtp_header(hdr[k], r->pt, (uint16_t)(s->seq + k),
					   s->ts + k * r->plen, s->ssrc);
				iov[k][0].iov_base = hdr[k];
				iov[k][0].iov_len = RTP_HDR;
				iov[k][1].iov_base = payload;
				iov[k][1].iov_len = r->plen;
				msgs[k].msg_hdr.msg_iov = iov[k];
				msgs[k].msg_hdr.msg_iovlen = 2;
			}
			ok = burst;
		} else {
			/*
			 * Each packet gets the next index, sent or not: the
			 * session refuses an index twice (a keystream reused).
			 */
			double c0;

			for (; ok < burst && s->head < s->tail; ok++, s->head++) {
				iov[ok][0].iov_base = s->ring + s->head * SLOT;
				iov[ok][0].iov_len = s->rlen[s->head];
				msgs[ok].msg_hdr.msg_iov = iov[ok];
				msgs[ok].msg_hdr.msg_iovlen = 1;
			}
			if (ok == burst)
				goto send;
			c0 = now();
			want = burst - ok;
			if (!stream_srtp(s)) {
				errors += want;
				want = 0;
			}
			for (k = 0; k < want; k++) {
				int len = (int)(RTP_HDR + r->plen);

				rtp_header(pkt[ok], r->pt, (uint16_t)(s->seq + k),
					   s->ts + k * r->plen, s->ssrc);
				memcpy(pkt[ok] + RTP_HDR, payload, r->plen);
				if (srtp_protect(s->srtp, pkt[ok], &len) != srtp_err_status_ok) {
					errors++;
					continue;
				}
				iov[ok][0].iov_base = pkt[ok];
				iov[ok][0].iov_len = (size_t)len;
				msgs[ok].msg_hdr.msg_iov = iov[ok];
				msgs[ok].msg_hdr.msg_iovlen = 1;
				ok++;
				prot++;
			}
			crypto += now() - c0;
			s->seq = (uint16_t)(s->seq + want);
			s->ts += want * r->plen;
		}
send:
		/* -L: the IPv4 and UDP headers in front, the next hop's address */
		for (k = 0; link_fd >= 0 && !r->dry && k < ok; k++) {
			struct msghdr *m = &msgs[k].msg_hdr;
			size_t len = 0;

			for (size_t j = m->msg_iovlen; j > 0; j--) {
				len += m->msg_iov[j - 1].iov_len;
				m->msg_iov[j] = m->msg_iov[j - 1];
			}
			memcpy(lhdr[k], stream_ipudp(s, len), IPUDP_HDR);
			m->msg_iov[0].iov_base = lhdr[k];
			m->msg_iov[0].iov_len = IPUDP_HDR;
			m->msg_iovlen++;
			m->msg_name = &link_to;
			m->msg_namelen = sizeof(link_to);
		}
		if (r->dry) {
			sent += ok;
		} else if (ok) {
			n = sendmmsg(link_fd >= 0 ? link_fd : s->fd, msgs, ok, 0);
			if (n < 0) {
				if (errno == EINTR && !s->bits)
					continue;
				errors += ok;
				n = 0;
			} else {
				sent += (unsigned int)n;
				errors += ok - (unsigned int)n;
			}
			if (!s->bits) {
				s->seq = (uint16_t)(s->seq + (unsigned int)n);
				s->ts += (unsigned int)n * r->plen;
			}
		}
		if (++i == r->n)
			i = 0;
	}
	res->sent = sent;
	res->errors = errors;
	res->prot = prot;
	res->secs = now() - t0;
	res->crypto = crypto;
}

static void run_print(struct stream *st, const struct run *r)
{
	struct result res;

	run(st, r, &res);
	printf("streams=%zu sent=%llu errors=%llu seconds=%.2f pps=%.0f protected=%llu crypto_s=%.4f\n",
	       r->n, res.sent, res.errors, res.secs,
	       res.secs > 0 ? (double)res.sent / res.secs : 0.0, res.prot, res.crypto);
	fflush(stdout);
}

/* "prep COUNT N SECONDS": protect up to COUNT packets ahead (see -c). */
static void prep(struct stream *st, const struct run *r, unsigned long long count,
		 double secs)
{
	unsigned char payload[MAX_PAYLOAD];
	unsigned long long done = 0, err = 0;
	size_t per = (size_t)(count / r->n + 1), i, keyed = 0;
	double t0 = now();

	memset(payload, 0xff, sizeof(payload));
	for (i = 0; i < r->n; i++) {
		struct stream *s = &st[i];
		size_t left = s->tail - s->head;

		if (!s->bits)
			continue;
		keyed++;
		if (left && s->head) {
			memmove(s->ring, s->ring + s->head * SLOT, left * SLOT);
			memmove(s->rlen, s->rlen + s->head, left * sizeof(*s->rlen));
		}
		s->head = 0;
		s->tail = left;
		if (s->cap < left + per) {
			unsigned char *nr = realloc(s->ring, (left + per) * SLOT);
			unsigned short *nl;

			if (!nr)
				break;
			s->ring = nr;
			nl = realloc(s->rlen, (left + per) * sizeof(*nl));
			if (!nl)
				break;
			s->rlen = nl;
			s->cap = left + per;
		}
	}
	/* one packet per stream in turn, until COUNT, SECONDS or all full */
	while (keyed && done + err < count && !stop) {
		size_t progress = 0;

		for (i = 0; i < r->n && done + err < count; i++) {
			struct stream *s = &st[i];
			unsigned char *b;
			int len = (int)(RTP_HDR + r->plen);

			if (!s->bits || s->tail >= s->cap)
				continue;
			if (((done + err) & 63) == 0 && now() - t0 >= secs)
				goto out;
			b = s->ring + s->tail * SLOT;
			rtp_header(b, r->pt, s->seq, s->ts, s->ssrc);
			memcpy(b + RTP_HDR, payload, r->plen);
			s->seq++;
			s->ts += r->plen;
			if (!stream_srtp(s) ||
			    srtp_protect(s->srtp, b, &len) != srtp_err_status_ok) {
				err++;
			} else {
				s->rlen[s->tail++] = (unsigned short)len;
				done++;
			}
			progress++;
		}
		if (!progress)
			break;
	}
out:
	printf("prepared=%llu errors=%llu crypto_s=%.4f\n", done, err, now() - t0);
	fflush(stdout);
}

/* -T: srtp_protect() alone, both suites, random keys, no socket. */
static int time_protect(const struct run *r)
{
	unsigned char master[MASTER_LEN];
	struct run dry = *r;
	struct result res;
	struct stream s;

	dry.n = 1;
	dry.burst = 8;
	dry.dry = 1;
	dry.rate = 0;
	for (int bits = 32; bits <= 80; bits += 48) {
		for (int b = 0; b < MASTER_LEN; b++)
			master[b] = (unsigned char)rand();
		memset(&s, 0, sizeof(s));
		s.fd = -1;
		s.ssrc = (uint32_t)rand();
		s.srtp = srtp_session(bits, master);
		s.bits = bits;
		if (!s.srtp) {
			fprintf(stderr, "rtpblast: libsrtp2 refuses the session\n");
			return 1;
		}
		run(&s, &dry, &res);
		srtp_dealloc(s.srtp);
		printf("suite=AES_CM_128_HMAC_SHA1_%d payload=%u protected=%llu errors=%llu crypto_s=%.4f ns_per_packet=%.0f\n",
		       bits, dry.plen, res.prot, res.errors, res.crypto,
		       res.prot ? res.crypto * 1e9 / (double)res.prot : 0.0);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct run r = { .secs = 10, .burst = 8, .plen = 160 };
	double v, tsecs = 0;
	int c, cmd = 0;
	struct sigaction sa;
	struct stream *st;
	struct rlimit rl;
	size_t n;

	while ((c = getopt(argc, argv, "d:r:b:s:p:cST:L:h")) != -1) {
		switch (c) {
		case 'd':
			if (parse_num(optarg, 0.001, 86400, &r.secs))
				return usage();
			break;
		case 'r':
			if (parse_num(optarg, 0, 1e9, &r.rate))
				return usage();
			break;
		case 'b':
			if (parse_num(optarg, 1, MAX_BURST, &v))
				return usage();
			r.burst = (unsigned int)v;
			break;
		case 's':
			if (parse_num(optarg, 0, MAX_PAYLOAD, &v))
				return usage();
			r.plen = (unsigned int)v;
			break;
		case 'p':
			if (parse_num(optarg, 0, 127, &v))
				return usage();
			r.pt = (unsigned int)v;
			break;
		case 'c':
			cmd = 1;
			break;
		case 'S':
			fixed_ssrc = 1;
			break;
		case 'T':
			if (parse_num(optarg, 0.001, 3600, &tsecs))
				return usage();
			break;
		case 'L':
			if (link_fd >= 0 || link_open(optarg))
				return 2;
			break;
		default:
			return usage();
		}
	}
	srand((unsigned int)getpid() ^ (unsigned int)time(NULL));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	SLOT = RTP_HDR + r.plen + SRTP_TAG;
	if (tsecs > 0) {
		if (optind != argc)
			return usage();
		r.secs = tsecs;
		return time_protect(&r);
	}
	if (optind != argc - 1 || (cmd && !strcmp(argv[optind], "-")))
		return usage();	/* -c: stdin has the commands, not the list */

	/* One socket per stream: thousands of them. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	st = read_list(argv[optind], &n);
	if (!st)
		return 1;
	if (!cmd) {
		r.n = n;
		run_print(st, &r);
	} else {
		char line[256];

		while (!stop && fgets(line, sizeof(line), stdin)) {
			double secs, rate, burst, k, cnt;
			char a[32], b[32], d[32], e[32];

			if (sscanf(line, "prep %31s %31s %31s", a, b, d) == 3 &&
			    !parse_num(a, 1, 1e9, &cnt) && !parse_num(b, 1, (double)n, &k) &&
			    !parse_num(d, 0.001, 86400, &secs)) {
				r.n = (size_t)k;
				prep(st, &r, (unsigned long long)cnt, secs);
				continue;
			}
			if (sscanf(line, "%31s %31s %31s %31s", a, b, d, e) != 4 ||
			    parse_num(a, 0.001, 86400, &secs) || parse_num(b, 0, 1e9, &rate) ||
			    parse_num(d, 1, MAX_BURST, &burst) || parse_num(e, 1, (double)n, &k)) {
				fprintf(stderr, "rtpblast: stdin: want \"SECONDS RATE BURST N\" (N 1..%zu) or \"prep COUNT N SECONDS\": %s",
					n, line);
				printf("error\n");
				fflush(stdout);
				continue;
			}
			r.secs = secs;
			r.rate = rate;
			r.burst = (unsigned int)burst;
			r.n = (size_t)k;
			run_print(st, &r);
		}
	}
	while (n)
		close_stream(&st[--n]);
	free(st);
	return 0;
}
