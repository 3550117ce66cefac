// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Shared runtime of the test peers (simcore.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>

#include "cert.h"
#include "parse.h"
#include "simcore.h"

const char *sim_prog = "pp-sim";

/* ------------------------------------------------------------------ */
/* The command line */

const struct sim_choice sim_layouts[] = {
	{ "old", 11 },
	{ "v17", 17 },
	{ NULL, 0 },
};

int sim_bad_arg(const char *opt, const char *val, const char *why)
{
	fprintf(stderr, "%s: %s: \"%s\": %s\n", sim_prog, opt, val, why);
	return SIM_EXIT_USAGE;
}

/* A bad number's reason by the option's kind: "not a number in 1..255". */
static const char *num_why(const struct sim_opt *o, char *buf, size_t len)
{
	const char *what = o->kind == SIM_OPT_SECONDS ? "a number of seconds" :
			   o->kind == SIM_OPT_EVEN_PORT ? "an even port" : "a number";

	if (o->kind == SIM_OPT_U32)
		return "not a number";
	snprintf(buf, len, "not %s in %u..%u", what, o->min, o->max);
	return buf;
}

/* A bad choice's reason: "not auto, yes or no". */
static const char *choice_why(const struct sim_choice *c, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; c[i].word && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s",
				      !i ? "not " : c[i + 1].word ? ", " : " or ",
				      c[i].word);
	return buf;
}

static int opt_value(const struct sim_cmdline *cl, const struct sim_opt *o,
		     const char *val)
{
	const char *why = NULL;
	char buf[96];
	uint16_t port;
	uint64_t v;
	int i, rc;

	switch (o->kind) {
	case SIM_OPT_FLAG:
		*o->flag = true;
		break;
	case SIM_OPT_NUM:
	case SIM_OPT_SECONDS:
	case SIM_OPT_EVEN_PORT:
	case SIM_OPT_U32:
		if (pp_parse_uint(val, o->min, o->max, &v) ||
		    (o->kind == SIM_OPT_EVEN_PORT && (v & 1)))
			return sim_bad_arg(o->name, val, o->why ? o->why :
					   num_why(o, buf, sizeof(buf)));
		*o->num = (unsigned int)v;
		break;
	case SIM_OPT_CHOICE:
		for (i = 0; o->choices[i].word && strcmp(val, o->choices[i].word); i++)
			;
		if (!o->choices[i].word)
			return sim_bad_arg(o->name, val, o->why ? o->why :
					   choice_why(o->choices, buf, sizeof(buf)));
		*o->choice = o->choices[i].value;
		break;
	case SIM_OPT_ADDR:
		if (sim_parse_hostport(val, 0, o->ip, &port, &why) || strchr(val, ':'))
			return sim_bad_arg(o->name, val, o->why ? o->why :
					   "not an IPv4 address (dotted quad)");
		break;
	case SIM_OPT_HOSTPORT:
		if (sim_parse_hostport(val, o->defport, o->ip, o->port, &why))
			return sim_bad_arg(o->name, val, o->why ? o->why : why);
		break;
	case SIM_OPT_OWN:
		rc = cl->own(cl->arg, o, val);
		if (rc)
			return rc;
		break;
	}
	if (o->given)
		*o->given = true;
	return 0;
}

int sim_parse_cmdline(const struct sim_cmdline *cl, int argc, char **argv)
{
	const struct sim_opt *o;
	struct option *lo;
	char *letters;
	int n, i, ch, rc = 0;

	for (n = 0; cl->opts[n].name; n++)
		;
	/* getopt_long's table: --name without the dashes, then --help */
	lo = calloc((size_t)n + 2, sizeof(*lo));
	letters = calloc(2 * (size_t)n + 2, 1);
	if (!lo || !letters) {
		rc = SIM_EXIT_FAIL;
		goto out;
	}
	letters[0] = 'h';
	for (i = 0; i < n; i++) {
		o = &cl->opts[i];
		lo[i].name = o->name + 2;
		lo[i].has_arg = o->kind == SIM_OPT_FLAG ? no_argument :
							  required_argument;
		lo[i].val = o->letter ? o->letter : 256 + i;
		if (o->letter) {
			letters[strlen(letters)] = o->letter;
			if (o->kind != SIM_OPT_FLAG)
				letters[strlen(letters)] = ':';
		}
	}
	lo[n].name = "help";
	lo[n].val = 'h';
	while (!rc && (ch = getopt_long(argc, argv, letters, lo, NULL)) != -1) {
		if (ch == 'h') {
			fputs(cl->usage, stdout);
			exit(SIM_EXIT_OK);
		}
		for (i = 0; i < n && lo[i].val != ch; i++)
			;
		if (i == n) {		/* getopt_long said what is wrong */
			fputs(cl->usage, stderr);
			rc = SIM_EXIT_USAGE;
		} else {
			rc = opt_value(cl, &cl->opts[i], optarg);
		}
	}
	if (!rc && optind != argc) {
		fprintf(stderr, "%s: \"%s\": unexpected argument (%s)\n", sim_prog,
			argv[optind], cl->operands);
		rc = SIM_EXIT_USAGE;
	}
out:
	free(lo);
	free(letters);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The event loop */

int sim_loop_open(struct sim_loop *l)
{
	memset(l, 0, sizeof(*l));
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	l->base = event_base_new();
	return l->base ? 0 : -1;
}

int sim_loop_signals(struct sim_loop *l, event_callback_fn fn, void *arg)
{
	l->sig_int = evsignal_new(l->base, SIGINT, fn, arg);
	l->sig_term = evsignal_new(l->base, SIGTERM, fn, arg);
	if (!l->sig_int || !l->sig_term || event_add(l->sig_int, NULL) ||
	    event_add(l->sig_term, NULL))
		return -1;
	return 0;
}

void sim_loop_close(struct sim_loop *l)
{
	if (l->sig_int)
		event_free(l->sig_int);
	if (l->sig_term)
		event_free(l->sig_term);
	if (l->base)
		event_base_free(l->base);
	memset(l, 0, sizeof(*l));
}

/* ------------------------------------------------------------------ */

uint64_t sim_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void sim_event(const char *event, const char *fmt, ...)
{
	va_list ap;

	fputs(event, stdout);
	if (fmt && *fmt) {
		putchar(' ');
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	putchar('\n');
	fflush(stdout);
}

const char *sim_ip(uint32_t be)
{
	static char buf[8][PP_IPV4_STRLEN];
	static unsigned int i;

	return pp_ipv4_str(be, buf[i++ & 7]);
}

const char *sim_ipport(uint32_t be, uint16_t port)
{
	static char buf[8][PP_IPV4_STRLEN + 6];
	static unsigned int i;
	char *b = buf[i++ & 7];

	snprintf(b, sizeof(buf[0]), "%s:%u", sim_ip(be), port);
	return b;
}

int sim_parse_hostport(const char *s, uint16_t defport, uint32_t *ip,
		       uint16_t *port, const char **why)
{
	char host[PP_IPV4_STRLEN];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	uint64_t v;

	if (n == 0 || n >= sizeof(host)) {
		*why = "not an IPv4 address";
		return -1;
	}
	memcpy(host, s, n);
	host[n] = '\0';
	if (pp_parse_ipv4(host, ip)) {
		*why = "not an IPv4 address (dotted quad)";
		return -1;
	}
	*port = defport;
	if (colon) {
		if (pp_parse_uint(colon + 1, 1, 65535, &v)) {
			*why = "the port is not a number in 1..65535";
			return -1;
		}
		*port = (uint16_t)v;
	}
	return 0;
}

int sim_parse_group(const char *s, uint16_t defport,
		    uint32_t ip[SIM_GROUP_MAX], uint16_t port[SIM_GROUP_MAX],
		    unsigned int *n, const char **why)
{
	char one[32];
	const char *p = s, *e;
	unsigned int k = 0, j;
	size_t len;

	do {
		e = strchr(p, ',');
		len = e ? (size_t)(e - p) : strlen(p);
		if (k == SIM_GROUP_MAX) {
			*why = "more than 3 servers";
			return -1;
		}
		if (len == 0 || len >= sizeof(one)) {
			*why = "an empty or overlong member (ADDR[:PORT],...)";
			return -1;
		}
		memcpy(one, p, len);
		one[len] = '\0';
		if (sim_parse_hostport(one, defport, &ip[k], &port[k], why))
			return -1;
		for (j = 0; j < k; j++) {
			if (ip[j] == ip[k] && port[j] == port[k]) {
				*why = "a server named twice";
				return -1;
			}
		}
		k++;
		p = e + 1;
	} while (e);
	*n = k;
	return 0;
}

unsigned int sim_group_next(unsigned int n, unsigned int active,
			    unsigned int after)
{
	unsigned int i = after;

	if (n < 2)
		return active;
	do
		i = (i + 1) % n;
	while (i == active);
	return i;
}

int sim_frame_pop(struct evbuffer *in, uint8_t *pdu, size_t cap)
{
	size_t have = evbuffer_get_length(in);
	struct sccp_hdr h;
	int err;

	if (have < SCCP_HDR_LEN)
		return 0;
	if (evbuffer_copyout(in, pdu, SCCP_HDR_LEN) != SCCP_HDR_LEN)
		return SCCP_E_NEED_HDR;
	err = sccp_frame(pdu, SCCP_HDR_LEN, &h);
	if (err)
		return err;
	if (h.size > cap)
		return SCCP_E_TOO_BIG;
	if (have < h.size)
		return 0;
	if (evbuffer_remove(in, pdu, h.size) != (int)h.size)
		return SCCP_E_NEED_MORE;
	return (int)h.size;
}

int sim_next_msg(struct evbuffer *in, uint8_t proto, uint8_t pdu[SCCP_MAX_PDU],
		 struct sccp_msg *m, char *why, size_t len)
{
	int n = sim_frame_pop(in, pdu, SCCP_MAX_PDU);

	if (n < 0) {
		snprintf(why, len, "SCCP framing: %s", sccp_strerror(n));
		return -1;
	}
	if (n == 0)
		return 0;
	sccp_decode(pdu, (size_t)n, proto, m);
	return 1;
}

const char *sim_conn_why(short what, const char *eof, char *buf, size_t len)
{
	int e;

	if (what & BEV_EVENT_EOF)
		return eof;
	if (!(what & BEV_EVENT_ERROR))
		return NULL;
	e = EVUTIL_SOCKET_ERROR();
	snprintf(buf, len, "%s", e ? strerror(e) : "error");
	return buf;
}

const struct sccp_ep *sim_find_ep(const struct sccp_msg *m, int role)
{
	unsigned int i;

	for (i = 0; i < m->n_ep; i++)
		if (m->ep[i].role == role && m->ep[i].known)
			return &m->ep[i];
	return NULL;
}

unsigned long sim_raise_nofile(unsigned long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur;
}

uint32_t sim_random32(void)
{
	static uint32_t fallback;
	uint32_t v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == sizeof(v))
		return v;
	fallback = rtp_mix32(fallback + (uint32_t)sim_now_ms() + (uint32_t)getpid());
	return fallback;
}

/* ------------------------------------------------------------------ */
/* Media endpoint */

static int udp_bound(uint32_t ip, uint16_t port, uint16_t *bound)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd, e;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	sa.sin_addr.s_addr = ip;
	sa.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		e = -errno;
		close(fd);
		return e;
	}
	*bound = ntohs(sa.sin_port);
	return fd;
}

static void media_read(evutil_socket_t fd, short what, void *arg)
{
	struct sim_media *m = arg;
	uint8_t buf[2048];
	struct sockaddr_in from;
	socklen_t flen;
	size_t len;
	ssize_t n;
	int i;

	(void)what;
	for (i = 0; i < 64; i++) {
		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &flen);
		if (n < 0)
			break;
		len = (size_t)n;
		if (sim_srtp_unprotect(&m->srtp, buf, &len))
			continue;	/* dropped, counted */
		m->rx.follow = m->opt.ssrc_follow;
		rtp_rx_account(&m->rx, buf, len, from.sin_addr.s_addr,
			       ntohs(from.sin_port));
	}
}

/* The attack this packet carries (SIM_ATK_*), 0 for none: one every
 * attack_every packets, the kinds asked for in turn. */
static unsigned int attack_due(struct sim_media *m)
{
	unsigned int i, kind;

	if (!m->opt.attack || !m->opt.attack_every ||
	    (m->tx.packets + 1) % m->opt.attack_every)
		return 0;
	for (i = 0; i < 3; i++) {
		kind = 1u << (m->atk_next++ % 3);
		if (m->opt.attack & kind)
			return kind;
	}
	return 0;
}

static bool send_to(struct sim_media *m, int fd, const uint8_t *buf, size_t len,
		    uint16_t port)
{
	struct sockaddr_in to = { .sin_family = AF_INET };

	to.sin_addr.s_addr = m->remote_ip;
	to.sin_port = htons(port);
	return sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) ==
	       (ssize_t)len;
}

static void media_tick(evutil_socket_t fd, short what, void *arg)
{
	struct sim_media *m = arg;
	uint8_t buf[RTP_MAX_PKT + SIM_SRTP_TRAILER];
	uint8_t atk[RTP_MAX_PKT + SIM_SRTP_TRAILER];
	unsigned int kind = attack_due(m);
	size_t len, alen;

	(void)fd;
	(void)what;
	/* --ssrc-change: the other source from this packet on */
	if (m->opt.ssrc_ms &&
	    ++m->ssrc_ticks * (m->tx.payload_len / 8) >= m->opt.ssrc_ms) {
		m->ssrc_ticks = 0;
		rtp_tx_switch(&m->tx, m->tx.ssrc ^ m->rx_port);
	}
	len = rtp_tx_next(&m->tx, buf);
	/* a copy of this packet under a key that is not the call's, first */
	if (kind == SIM_ATK_WRONG_KEY) {
		alen = len;
		memcpy(atk, buf, len);
		if (!sim_srtp_protect_foreign(m->srtp.tx_alg, atk, &alen, sizeof(atk)) &&
		    send_to(m, m->tx_fd, atk, alen, m->remote_port))
			m->atk_wrong_key++;
	}
	if (sim_srtp_protect(&m->srtp, buf, &len, sizeof(buf))) {
		m->tx.errors++;
		return;
	}
	/* this packet with one bit of its (encrypted) payload flipped, first */
	if (kind == SIM_ATK_FLIP) {
		memcpy(atk, buf, len);
		atk[RTP_HDR_LEN] ^= 0x01;
		if (send_to(m, m->tx_fd, atk, len, m->remote_port))
			m->atk_flip++;
	}
	if (!send_to(m, m->tx_fd, buf, len, m->remote_port)) {
		m->tx.errors++;
		return;
	}
	m->tx.packets++;
	/* the same packet again, byte for byte */
	if (kind == SIM_ATK_REPLAY && send_to(m, m->tx_fd, buf, len, m->remote_port))
		m->atk_replay++;
}

/* Seconds since 1900 << 32 | fraction (RFC 3550 4). */
static uint64_t ntp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec + 2208988800ULL) << 32 |
	       (((uint64_t)ts.tv_nsec << 32) / 1000000000ULL);
}

static void rtcp_tick(evutil_socket_t fd, short what, void *arg)
{
	struct sim_media *m = arg;
	uint8_t buf[RTCP_MAX_PKT];
	size_t len;

	(void)fd;
	(void)what;
	len = rtcp_sr_build(buf, &m->tx, ntp_now());
	if (!sim_srtp_protect_rtcp(&m->srtp, buf, &len, sizeof(buf)) &&
	    send_to(m, m->rtcp_fd, buf, len, (uint16_t)(m->remote_port + 1)))
		m->rtcp_tx++;
	else
		m->rtcp_tx_errors++;
}

static void rtcp_read(evutil_socket_t fd, short what, void *arg)
{
	struct sim_media *m = arg;
	uint8_t buf[2048];
	struct rtcp_sr sr;
	size_t len;
	ssize_t n;
	int i;

	(void)what;
	for (i = 0; i < 16; i++) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			break;
		len = (size_t)n;
		if (sim_srtp_unprotect_rtcp(&m->srtp, buf, &len))
			continue;	/* dropped, counted */
		/* an SR of the RTP stream's SSRC, its counts consistent */
		if (rtcp_sr_check(buf, len, &sr) ||
		    (m->rx.have_ssrc && sr.ssrc != m->rx.ssrc &&
		     !(m->opt.ssrc_follow && m->rx.ssrc_changes &&
		       sr.ssrc == m->rx.prev_ssrc)) ||
		    (uint64_t)sr.packets * m->rx.payload_len != sr.octets)
			m->rtcp_bad++;
		else
			m->rtcp_rx++;
	}
}

void sim_media_init(struct sim_media *m)
{
	memset(m, 0, sizeof(*m));
	m->rx_fd = -1;
	m->tx_fd = -1;
	m->rtcp_fd = -1;
}

/*
 * Media ports when none is given: even ports of 16384..32766, as Cisco
 * phones use, taken in turn from a random start. Never the kernel's
 * ephemeral range (32768..60999), where a port just freed by a TFTP or
 * other client may still get that peer's late packets.
 */
#define SIM_RTP_MIN	16384
#define SIM_RTP_MAX	32766
#define SIM_RTP_PORTS	((SIM_RTP_MAX - SIM_RTP_MIN) / 2 + 1)

static uint16_t next_rtp_port(void)
{
	static unsigned int next = SIM_RTP_PORTS;

	if (next >= SIM_RTP_PORTS)
		next = sim_random32() % SIM_RTP_PORTS;
	else
		next = (next + 1) % SIM_RTP_PORTS;
	return (uint16_t)(SIM_RTP_MIN + 2 * next);
}

int sim_media_open(struct sim_media *m, struct event_base *base, uint32_t ip,
		   uint16_t port, unsigned int tx_offset, uint8_t pt,
		   unsigned int packet_ms, char *err, size_t errlen)
{
	unsigned int tries;
	uint16_t want;
	int fd = -1, e = 0;

	sim_media_init(m);
	m->base = base;
	m->ip = ip;
	m->packet_ms = packet_ms;
	/* Without a fixed port, the next free one (and its offset twin). */
	for (tries = 0; tries < (port ? 1 : SIM_RTP_PORTS); tries++) {
		want = port ? port : next_rtp_port();
		fd = udp_bound(ip, want, &m->rx_port);
		if (fd == -EADDRINUSE && !port)
			continue;
		if (fd < 0) {
			e = fd;
			snprintf(err, errlen, "RTP port %s: %s",
				 sim_ipport(ip, want), strerror(-e));
			goto fail;
		}
		m->rx_fd = fd;
		if (!tx_offset) {
			m->tx_fd = fd;
			m->tx_port = m->rx_port;
			break;
		}
		if (m->rx_port + tx_offset > 65535) {
			e = -EADDRNOTAVAIL;
		} else {
			e = udp_bound(ip, (uint16_t)(m->rx_port + tx_offset),
				      &m->tx_port);
			if (e >= 0) {
				m->tx_fd = e;
				e = 0;
				break;
			}
		}
		close(m->rx_fd);
		m->rx_fd = -1;
	}
	if (m->rx_fd < 0 && !e) {
		snprintf(err, errlen, "RTP port on %s: every even port of %u..%u in use",
			 sim_ipport(ip, 0), SIM_RTP_MIN, SIM_RTP_MAX);
		return -EADDRINUSE;
	}
	if (m->tx_fd < 0) {
		snprintf(err, errlen, "RTP send port %u above the receive port: %s",
			 tx_offset, strerror(-e));
		goto fail;
	}
	rtp_rx_init(&m->rx, pt, packet_ms);
	m->rx_ev = event_new(base, m->rx_fd, EV_READ | EV_PERSIST, media_read, m);
	if (!m->rx_ev || event_add(m->rx_ev, NULL))
		goto nomem;
	if (m->tx_fd != m->rx_fd) {
		m->tx_ev = event_new(base, m->tx_fd, EV_READ | EV_PERSIST,
				     media_read, m);
		if (!m->tx_ev || event_add(m->tx_ev, NULL))
			goto nomem;
	}
	m->timer = event_new(base, -1, EV_PERSIST, media_tick, m);
	if (!m->timer)
		goto nomem;
	m->open = true;
	return 0;
nomem:
	e = -ENOMEM;
	snprintf(err, errlen, "RTP events: out of memory");
fail:
	m->open = true;		/* so that close frees what was made */
	sim_media_close(m);
	return e;
}

/* The timer interval of @ms, a libevent common timeout per value. */
static const struct timeval *interval(struct event_base *base, unsigned int ms)
{
	static struct {
		struct event_base *base;
		unsigned int ms;
		const struct timeval *tv;
	} cache[8];
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
	unsigned int i;

	for (i = 0; i < 8 && cache[i].base; i++)
		if (cache[i].base == base && cache[i].ms == ms)
			return cache[i].tv;
	if (i == 8)
		i = 7;
	cache[i].base = base;
	cache[i].ms = ms;
	cache[i].tv = event_base_init_common_timeout(base, &tv);
	return cache[i].tv;
}

int sim_media_set(struct sim_media *m, const struct sim_media_opts *o,
		  char *err, size_t errlen)
{
	uint16_t bound;
	int fd;

	m->opt = *o;
	if (!o->rtcp_ms || m->rtcp_fd >= 0)
		return 0;
	fd = udp_bound(m->ip, (uint16_t)(m->rx_port + 1), &bound);
	if (fd < 0) {
		snprintf(err, errlen, "RTCP port %s: %s",
			 sim_ipport(m->ip, (uint16_t)(m->rx_port + 1)), strerror(-fd));
		return fd;
	}
	m->rtcp_fd = fd;
	m->rtcp_ev = event_new(m->base, fd, EV_READ | EV_PERSIST, rtcp_read, m);
	m->rtcp_timer = event_new(m->base, -1, EV_PERSIST, rtcp_tick, m);
	if (!m->rtcp_ev || !m->rtcp_timer || event_add(m->rtcp_ev, NULL)) {
		snprintf(err, errlen, "RTCP events: out of memory");
		return -ENOMEM;		/* sim_media_close frees them */
	}
	return 0;
}

int sim_media_start(struct sim_media *m, uint32_t ip, uint16_t port,
		    uint32_t seed, uint8_t pt, unsigned int packet_ms)
{
	const struct timeval *tv;

	if (!m->open)
		return -EBADF;
	if (m->sending)
		sim_media_stop(m);
	m->remote_ip = ip;
	m->remote_port = port;
	rtp_tx_init(&m->tx, seed, pt, packet_ms);
	m->ssrc_ticks = 0;
	if (m->opt.fixed_seq)
		m->tx.seq = m->opt.seq;
	tv = interval(m->base, m->tx.payload_len / 8);
	if (!tv || event_add(m->timer, tv))
		return -ENOMEM;
	if (m->rtcp_timer) {
		tv = interval(m->base, m->opt.rtcp_ms);
		if (!tv || event_add(m->rtcp_timer, tv))
			return -ENOMEM;
	}
	m->sending = true;
	m->tx_started_ms = sim_now_ms();
	/* The first packet at once, as phones do. */
	media_tick(-1, 0, m);
	return 0;
}

void sim_media_stop(struct sim_media *m)
{
	if (!m->sending)
		return;
	event_del(m->timer);
	if (m->rtcp_timer)
		event_del(m->rtcp_timer);
	m->sending = false;
	m->tx_stopped_ms = sim_now_ms();
}

void sim_media_close(struct sim_media *m)
{
	if (!m->open)
		return;
	sim_media_stop(m);
	if (m->rx_ev)
		event_free(m->rx_ev);
	if (m->tx_ev)
		event_free(m->tx_ev);
	if (m->timer)
		event_free(m->timer);
	if (m->rtcp_ev)
		event_free(m->rtcp_ev);
	if (m->rtcp_timer)
		event_free(m->rtcp_timer);
	if (m->rtcp_fd >= 0)
		close(m->rtcp_fd);
	m->rtcp_ev = m->rtcp_timer = NULL;
	m->rtcp_fd = -1;
	if (m->tx_fd >= 0 && m->tx_fd != m->rx_fd)
		close(m->tx_fd);
	if (m->rx_fd >= 0)
		close(m->rx_fd);
	m->rx_ev = m->tx_ev = m->timer = NULL;
	m->rx_fd = m->tx_fd = -1;
	m->open = false;
	sim_srtp_end(&m->srtp);
}

void sim_totals_add(struct sim_totals *t, const struct sim_media *m)
{
	const struct rtp_rx *rx = &m->rx;

	t->streams++;
	t->tx_packets += m->tx.packets;
	t->rx_packets += rx->packets;
	t->rx_lost += rtp_rx_lost(rx);
	t->rx_bad += rx->bad_ssrc + rx->bad_pt + rx->bad_len + rx->bad_payload +
		     rx->not_rtp;
}

void sim_totals_format(const struct sim_totals *t, const char *pfx, char *buf,
		       size_t len)
{
	snprintf(buf, len, "%sstreams=%llu %stx_packets=%llu %srx_packets=%llu %srx_lost=%llu %srx_bad=%llu",
		 pfx, (unsigned long long)t->streams,
		 pfx, (unsigned long long)t->tx_packets,
		 pfx, (unsigned long long)t->rx_packets,
		 pfx, (unsigned long long)t->rx_lost,
		 pfx, (unsigned long long)t->rx_bad);
}

void sim_media_format(const struct sim_media *m, char *buf, size_t len)
{
	const struct rtp_rx *rx = &m->rx;

	snprintf(buf, len,
		 "local=%s tx_from=%s remote=%s tx_packets=%llu tx_errors=%llu "
		 "tx_ssrc=0x%08x rx_packets=%llu rx_expected=%llu rx_lost=%llu "
		 "rx_gaps=%llu rx_dup=%llu rx_reorder=%llu rx_ssrc=0x%08x "
		 "rx_bad_ssrc=%llu rx_bad_pt=%llu rx_bad_len=%llu "
		 "rx_bad_payload=%llu rx_not_rtp=%llu rx_src=%s rx_other_src=%llu",
		 sim_ipport(m->ip, m->rx_port), sim_ipport(m->ip, m->tx_port),
		 sim_ipport(m->remote_ip, m->remote_port),
		 (unsigned long long)m->tx.packets,
		 (unsigned long long)m->tx.errors, m->tx.ssrc,
		 (unsigned long long)rx->packets,
		 (unsigned long long)rtp_rx_expected(rx),
		 (unsigned long long)rtp_rx_lost(rx),
		 (unsigned long long)rx->gaps, (unsigned long long)rx->dup,
		 (unsigned long long)rx->reorder, rx->ssrc,
		 (unsigned long long)rx->bad_ssrc,
		 (unsigned long long)rx->bad_pt,
		 (unsigned long long)rx->bad_len,
		 (unsigned long long)rx->bad_payload,
		 (unsigned long long)rx->not_rtp,
		 sim_ipport(rx->src_ip, rx->src_port),
		 (unsigned long long)rx->other_src);
	if (m->srtp.keyed) {
		size_t n = strlen(buf);

		sim_srtp_format(&m->srtp, buf + n, len - n);
	}
	if (m->opt.ssrc_ms || m->opt.ssrc_follow) {
		size_t n = strlen(buf);

		snprintf(buf + n, len - n, " tx_ssrc_switches=%llu rx_ssrc_changes=%llu",
			 (unsigned long long)m->tx.switches,
			 (unsigned long long)m->rx.ssrc_changes);
	}
	if (m->opt.rtcp_ms) {
		size_t n = strlen(buf);

		snprintf(buf + n, len - n,
			 " rtcp_tx=%llu rtcp_tx_errors=%llu rtcp_rx=%llu rtcp_bad=%llu",
			 (unsigned long long)m->rtcp_tx,
			 (unsigned long long)m->rtcp_tx_errors,
			 (unsigned long long)m->rtcp_rx,
			 (unsigned long long)m->rtcp_bad);
		n = strlen(buf);
		if (m->srtp.keyed)
			sim_srtcp_format(&m->srtp, buf + n, len - n);
	}
	if (m->opt.attack) {
		size_t n = strlen(buf);

		snprintf(buf + n, len - n, " atk_replay=%llu atk_flip=%llu atk_wrong_key=%llu",
			 (unsigned long long)m->atk_replay,
			 (unsigned long long)m->atk_flip,
			 (unsigned long long)m->atk_wrong_key);
	}
}

/* ---- TLS (secure SCCP) ---- */

static FILE *keylog_file;

static void keylog_line(const SSL *ssl, const char *line)
{
	(void)ssl;
	if (keylog_file) {
		fprintf(keylog_file, "%s\n", line);
		fflush(keylog_file);
	}
}

SSL_CTX *sim_tls_ctx(const struct sim_tls_opts *o, char *err, size_t len)
{
	int v = o->version == 10 ? TLS1_VERSION : TLS1_2_VERSION;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	ERR_clear_error();
	if (!ctx) {
		snprintf(err, len, "TLS: %s", pp_ssl_reason());
		return NULL;
	}
	/* A phone of that firmware: exactly this version and these suites
	 * (level 0: TLS 1.0's SHA-1 signatures). */
	SSL_CTX_set_security_level(ctx, 0);
	if (!SSL_CTX_set_min_proto_version(ctx, v) || !SSL_CTX_set_max_proto_version(ctx, v) ||
	    !SSL_CTX_set_cipher_list(ctx, o->version == 10 ? "AES128-SHA" :
				     "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384")) {
		snprintf(err, len, "TLS settings: %s", pp_ssl_reason());
		goto fail;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (o->ca && sim_tls_trust(ctx, o->ca, err, len))
		goto fail;
	if (o->cert && (SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1 ||
			SSL_CTX_use_PrivateKey_file(ctx, o->key ? o->key : o->cert,
						    SSL_FILETYPE_PEM) != 1 ||
			SSL_CTX_check_private_key(ctx) != 1)) {
		snprintf(err, len, "--tls-cert %s / --tls-key %s: %s", o->cert,
			 o->key ? o->key : o->cert, pp_ssl_reason());
		goto fail;
	}
	if (o->keylog) {
		if (!keylog_file)
			keylog_file = fopen(o->keylog, "ae");
		if (!keylog_file) {
			snprintf(err, len, "--tls-keylog %s: %s", o->keylog, strerror(errno));
			goto fail;
		}
		SSL_CTX_set_keylog_callback(ctx, keylog_line);
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

int sim_tls_trust(SSL_CTX *ctx, const char *pem_cert, char *err, size_t len)
{
	if (SSL_CTX_load_verify_locations(ctx, pem_cert, NULL) != 1) {
		snprintf(err, len, "trust anchor %s: %s", pem_cert, pp_ssl_reason());
		return -1;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	return 0;
}

static int anchor_idx = -1;

/* Is @cert one of @anchors? */
static bool anchor_listed(STACK_OF(X509) *anchors, X509 *cert)
{
	int i;

	for (i = 0; anchors && cert && i < sk_X509_num(anchors); i++)
		if (!X509_cmp(cert, sk_X509_value(anchors, i)))
			return true;
	return false;
}

/* Chain verified against the anchors alone; the leaf must be one of them. */
static int anchor_verify(int ok, X509_STORE_CTX *st)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(st, SSL_get_ex_data_X509_STORE_CTX_idx());
	STACK_OF(X509) *anchors = ssl ? SSL_get_ex_data(ssl, anchor_idx) : NULL;
	X509 *cur = X509_STORE_CTX_get_current_cert(st);

	if (ok && X509_STORE_CTX_get_error_depth(st) == 0 &&
	    !anchor_listed(anchors, cur)) {
		X509_STORE_CTX_set_error(st, X509_V_ERR_CERT_REJECTED);
		return 0;
	}
	return ok;
}

int sim_tls_anchor(SSL *ssl, STACK_OF(X509) *anchors, char *err, size_t len)
{
	X509_STORE *st;
	int i, bad = 0;

	ERR_clear_error();
	if (!anchors || !sk_X509_num(anchors)) {
		snprintf(err, len, "no CCM certificate of a verified CTL to trust");
		return -1;
	}
	if (anchor_idx < 0)
		anchor_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	st = X509_STORE_new();
	/* PARTIAL_CHAIN: the CTL's certificates are trusted as they are, whoever issued them. */
	for (i = 0; st && i < sk_X509_num(anchors); i++)
		bad |= X509_STORE_add_cert(st, sk_X509_value(anchors, i)) != 1;
	if (anchor_idx < 0 || !st || bad ||
	    X509_STORE_set_flags(st, X509_V_FLAG_PARTIAL_CHAIN) != 1 ||
	    !SSL_set_ex_data(ssl, anchor_idx, anchors) ||
	    SSL_set0_verify_cert_store(ssl, st) != 1) {
		snprintf(err, len, "the CTL's certificates as the TLS trust anchors: %s",
			 pp_ssl_reason());
		X509_STORE_free(st);
		return -1;
	}
	SSL_set_verify(ssl, SSL_VERIFY_PEER, anchor_verify);
	return 0;
}

const char *sim_tls_refused(const SSL *ssl, char *buf, size_t len)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	long v = SSL_get_verify_result(ssl);
	char subject[256] = "(no certificate)";

	if (v == X509_V_OK || SSL_get_verify_mode(ssl) == SSL_VERIFY_NONE)
		return NULL;
	if (chain && sk_X509_num(chain) > 0)
		X509_NAME_oneline(X509_get_subject_name(sk_X509_value(chain, 0)), subject,
				  sizeof(subject));
	snprintf(buf, len, "%s: %s", subject,
		 v == X509_V_ERR_CERT_REJECTED ? "not the trusted certificate" :
		 X509_verify_cert_error_string(v));
	return buf;
}

const char *sim_tls_error(struct bufferevent *bev)
{
	static char buf[256];
	unsigned long e = bufferevent_get_openssl_error(bev);

	if (!e)
		return "";
	ERR_error_string_n(e, buf, sizeof(buf));
	return buf;
}
