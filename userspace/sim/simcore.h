/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * What pp-ccm-sim and pp-phone-sim share: the command line (options
 * and their error messages), the event loop and its signals, the result
 * lines they print, address parsing and printing, SCCP messages out of a
 * TCP byte stream, the file descriptor limit, and a media endpoint (UDP
 * RTP sockets sending and checking G.711) on the process's libevent loop.
 */
#ifndef PP_SIM_SIMCORE_H
#define PP_SIM_SIMCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <openssl/ssl.h>

#include "rtp.h"
#include "sccp_build.h"
#include "simsrtp.h"

/* Exit statuses of both simulators. */
#define SIM_EXIT_OK	0
#define SIM_EXIT_FAIL	1	/* a run-time failure: see the error line */
#define SIM_EXIT_USAGE	2	/* a bad argument: named on stderr */

/* The program's name, which its error lines start with: main() sets it. */
extern const char *sim_prog;

/* "PROG: OPT: "VAL": WHY" on stderr; returns SIM_EXIT_USAGE. */
int sim_bad_arg(const char *opt, const char *val, const char *why);

/*
 * Command-line options (sim_parse_cmdline), each stored in the program's
 * own variable. A bad value is an exit 2 with "PROG: --name: "VALUE":
 * reason", the reason made of the kind and the range unless @why says it.
 */
enum sim_opt_kind {
	SIM_OPT_FLAG,		/* no argument: *flag = true */
	SIM_OPT_NUM,		/* *num: "not a number in MIN..MAX" */
	SIM_OPT_SECONDS,	/* *num: "not a number of seconds in MIN..MAX" */
	SIM_OPT_EVEN_PORT,	/* *num: "not an even port in MIN..MAX" */
	SIM_OPT_U32,		/* *num: any 32-bit number, "not a number" */
	SIM_OPT_CHOICE,		/* *choice: the value of one of @choices' words */
	SIM_OPT_ADDR,		/* *ip: a dotted quad (no port) */
	SIM_OPT_HOSTPORT,	/* *ip, *port: ADDR[:PORT], @defport without one */
	SIM_OPT_OWN,		/* the program's own: sim_cmdline.own takes it */
};

struct sim_choice {
	const char *word;
	int value;
};

/* --layout: the highest protocol of a message layout. */
extern const struct sim_choice sim_layouts[];

struct sim_opt {
	const char *name;		/* "--name"; NULL ends a table */
	enum sim_opt_kind kind;
	char letter;			/* also -LETTER (0: none) */
	bool *flag;
	unsigned int *num;
	unsigned int min, max;
	int *choice;
	const struct sim_choice *choices;	/* up to a NULL word */
	uint32_t *ip;			/* network order */
	uint16_t *port, defport;
	const char *why;		/* a bad value's reason, instead of the kind's */
	bool *given;			/* made true when the option is given */
	int id;				/* SIM_OPT_OWN: which one it is */
};

/* A table entry's start: { SIM_NUM("--count", &n, 1, 9), .given = &g }. */
#define SIM_FLAG(n, p)		.name = (n), .kind = SIM_OPT_FLAG, .flag = (p)
#define SIM_NUM(n, p, lo, hi)	.name = (n), .kind = SIM_OPT_NUM, .num = (p), \
				.min = (lo), .max = (hi)
#define SIM_SECONDS(n, p, lo, hi) .name = (n), .kind = SIM_OPT_SECONDS, \
				.num = (p), .min = (lo), .max = (hi)
#define SIM_EVEN_PORT(n, p, lo, hi) .name = (n), .kind = SIM_OPT_EVEN_PORT, \
				.num = (p), .min = (lo), .max = (hi)
#define SIM_U32(n, p)		.name = (n), .kind = SIM_OPT_U32, .num = (p), \
				.max = UINT32_MAX
#define SIM_CHOICE(n, p, c)	.name = (n), .kind = SIM_OPT_CHOICE, \
				.choice = (p), .choices = (c)
#define SIM_ADDR(n, p)		.name = (n), .kind = SIM_OPT_ADDR, .ip = (p)
#define SIM_HOSTPORT(n, i, p, d) .name = (n), .kind = SIM_OPT_HOSTPORT, \
				.ip = (i), .port = (p), .defport = (d)
#define SIM_OWN(n, i)		.name = (n), .kind = SIM_OPT_OWN, .id = (i)

struct sim_cmdline {
	const char *usage;		/* -h, --help (stdout), a bad option (stderr) */
	const char *operands;		/* why no operand may follow the options */
	const struct sim_opt *opts;
	/* SIM_OPT_OWN: 0, or the exit status (after an error line) */
	int (*own)(void *arg, const struct sim_opt *opt, const char *val);
	void *arg;
};

/*
 * Parse the options of @argv; -h and --help print the usage and exit 0.
 * Returns 0, or the exit status: SIM_EXIT_USAGE with the reason on
 * stderr, or what own() returned.
 */
int sim_parse_cmdline(const struct sim_cmdline *cl, int argc, char **argv);

/* The event loop: its base, and SIGINT and SIGTERM on it. */
struct sim_loop {
	struct event_base *base;
	struct event *sig_int, *sig_term;
};

/*
 * Stdout by lines (each result line out at once), SIGPIPE ignored (a
 * peer that closed is an error on its socket), a new event base.
 * Returns 0 or -1.
 */
int sim_loop_open(struct sim_loop *l);
/* @fn(..., @arg) on SIGINT and SIGTERM. Returns 0 or -1. */
int sim_loop_signals(struct sim_loop *l, event_callback_fn fn, void *arg);
/* Free what sim_loop_open() and sim_loop_signals() made. */
void sim_loop_close(struct sim_loop *l);

uint64_t sim_now_ms(void);

/*
 * One result line on stdout: "EVENT key=value ...", flushed. Values
 * never hold spaces, but reason="...", which is quoted.
 */
void sim_event(const char *event, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "a.b.c.d" and "a.b.c.d:port" from rotating static buffers. */
const char *sim_ip(uint32_t be);
const char *sim_ipport(uint32_t be, uint16_t port);

/*
 * "ADDR" or "ADDR:PORT" (dotted quad; port 1..65535, @defport when
 * absent). Returns 0, or -1 with the reason in @why.
 */
int sim_parse_hostport(const char *s, uint16_t defport, uint32_t *ip,
		       uint16_t *port, const char **why);

/*
 * A phone's CallManager group (pp-phone-sim --servers), in priority
 * order: the phone registers with the first, keeps a standby connection
 * to the next, and fails over to it (docs/sim.md "Failover").
 */
#define SIM_GROUP_MAX	3
/*
 * KeepAlives unanswered in a row after which a connection is declared
 * lost (the CallManager documentation's rule for the primary: three).
 */
#define SIM_KA_MISSES	3

/*
 * "ADDR[:PORT],ADDR[:PORT][,ADDR[:PORT]]": 1..SIM_GROUP_MAX members, none
 * twice. Returns 0 with @n set, or -1 with the reason in @why.
 */
int sim_parse_group(const char *s, uint16_t defport,
		    uint32_t ip[SIM_GROUP_MAX], uint16_t port[SIM_GROUP_MAX],
		    unsigned int *n, const char **why);

/*
 * The member after @after in a group of @n (wrapping) that is not
 * @active: where a phone registered with @active opens its standby
 * connection (@after = @active), or tries next when the standby to
 * @after failed. @active itself when @n is 1.
 */
unsigned int sim_group_next(unsigned int n, unsigned int active,
			    unsigned int after);

/*
 * Take the next whole PDU out of @in into @pdu (@cap >= SCCP_MAX_PDU).
 * Returns its size, 0 when the PDU is not complete yet (TCP may cut it
 * anywhere), or a negative SCCP_E_* framing error: the stream cannot be
 * followed any more.
 */
int sim_frame_pop(struct evbuffer *in, uint8_t *pdu, size_t cap);

/*
 * The next message of a connection: its PDU out of @in into @pdu, decoded
 * for protocol @proto into @m. Returns 1, 0 when none is complete yet, or
 * -1 with "SCCP framing: ..." in @why: the stream cannot be followed.
 */
int sim_next_msg(struct evbuffer *in, uint8_t proto, uint8_t pdu[SCCP_MAX_PDU],
		 struct sccp_msg *m, char *why, size_t len);

/*
 * Why a connection's bufferevent event @what ends it: @eof for the peer's
 * close, the socket error, or NULL (neither: not the end).
 */
const char *sim_conn_why(short what, const char *eof, char *buf, size_t len);

/* A message's endpoint of @role (SCCP_ROLE_*) with a known address. */
const struct sccp_ep *sim_find_ep(const struct sccp_msg *m, int role);

/* Raise RLIMIT_NOFILE towards @want; returns the limit now in force. */
unsigned long sim_raise_nofile(unsigned long want);

/* Random 32 bits from the kernel (seeds). */
uint32_t sim_random32(void);

/* The attacks of a sending stream (pp-phone-sim --attack). */
enum {
	SIM_ATK_REPLAY = 1 << 0,	/* a packet sent twice */
	SIM_ATK_FLIP = 1 << 1,		/* a copy with one bit flipped, first */
	SIM_ATK_WRONG_KEY = 1 << 2,	/* a copy protected with another key, first */
};

/* What a stream does beyond plain G.711 (sim_media_set). */
struct sim_media_opts {
	bool fixed_seq;			/* the first sequence number is seq */
	uint16_t seq;
	unsigned int rtcp_ms;		/* an RTCP SR every rtcp_ms; 0: no RTCP */
	unsigned int attack;		/* SIM_ATK_* */
	unsigned int attack_every;	/* one attack every N packets, in turn */
	/* the sender alternates between two SSRCs every ssrc_ms; 0: never */
	unsigned int ssrc_ms;
	bool ssrc_follow;		/* the receiver follows SSRC changes */
};

/*
 * A media endpoint: an RTP receive socket, optionally a second socket to
 * send from (rx port + tx_offset), a packet-time timer while sending.
 * Packets arriving on either socket are accounted in @rx.
 */
struct sim_media {
	struct event_base *base;
	int rx_fd, tx_fd;		/* tx_fd == rx_fd without an offset */
	struct event *rx_ev, *tx_ev, *timer;
	uint32_t ip;			/* bound address, network order */
	uint16_t rx_port, tx_port;
	uint32_t remote_ip;
	uint16_t remote_port;
	bool open, sending;
	unsigned int packet_ms;
	struct rtp_tx tx;
	struct rtp_rx rx;
	uint64_t tx_started_ms, tx_stopped_ms;
	struct sim_srtp srtp;		/* keyed by the phone: SRTP */
	struct sim_media_opts opt;
	/* RTCP: sent from and received on rx_port + 1, to remote_port + 1 */
	int rtcp_fd;
	struct event *rtcp_ev, *rtcp_timer;
	uint64_t rtcp_tx, rtcp_tx_errors, rtcp_rx, rtcp_bad;
	/* the attacks sent (not in tx.packets) */
	uint64_t atk_replay, atk_flip, atk_wrong_key;
	unsigned int atk_next;		/* the kind of the next attack */
	unsigned int ssrc_ticks;	/* packet ticks since the last switch */
};

void sim_media_init(struct sim_media *m);
/*
 * Bind the sockets on @ip (0: any) and @port (0: any; else exactly it)
 * and receive, expecting payload type @pt every @packet_ms. Returns 0 or
 * -errno with @err filled.
 */
int sim_media_open(struct sim_media *m, struct event_base *base, uint32_t ip,
		   uint16_t port, unsigned int tx_offset, uint8_t pt,
		   unsigned int packet_ms, char *err, size_t errlen);
/*
 * Apply @o to an open endpoint (before sim_media_start): with RTCP, bind
 * rx_port + 1. Returns 0 or -errno with @err filled.
 */
int sim_media_set(struct sim_media *m, const struct sim_media_opts *o,
		  char *err, size_t errlen);
/* Send RTP to @ip:@port every packet time (restarts a running stream). */
int sim_media_start(struct sim_media *m, uint32_t ip, uint16_t port,
		    uint32_t seed, uint8_t pt, unsigned int packet_ms);
void sim_media_stop(struct sim_media *m);
void sim_media_close(struct sim_media *m);
/* "local=... tx_packets=... rx_packets=... ..." for a result line. */
void sim_media_format(const struct sim_media *m, char *buf, size_t len);

/* Totals over the streams that ended (benchmarks with --quiet). */
struct sim_totals {
	uint64_t streams, tx_packets, rx_packets, rx_lost, rx_bad;
};

void sim_totals_add(struct sim_totals *t, const struct sim_media *m);
/* "PFXstreams=N PFXtx_packets=N PFXrx_packets=N PFXrx_lost=N PFXrx_bad=N" */
void sim_totals_format(const struct sim_totals *t, const char *pfx, char *buf,
		       size_t len);

/*
 * TLS client of a phone (secure SCCP, docs/secure-sccp.md): version 10
 * (TLS 1.0, AES128-SHA only, as old firmware) or 12 (TLS 1.2, ECDHE-RSA
 * AES-GCM); the server verified against @ca (PEM; NULL: not verified
 * until a trust anchor is added with sim_tls_trust()); an optional
 * client certificate and key (the phone's LSC or MIC, or another
 * device's to play an attacker); TLS secrets appended to @keylog in
 * NSS key log format (SSLKEYLOGFILE) so tshark can decrypt. NULL with
 * @err naming the file and the reason.
 */
struct sim_tls_opts {
	unsigned int version;		/* 0 (plain TCP), 10, 12 */
	const char *ca, *cert, *key, *keylog;
};

SSL_CTX *sim_tls_ctx(const struct sim_tls_opts *o, char *err, size_t len);
/* Trust @pem_cert (a PEM certificate file) as the server's anchor, e.g.
 * the certificate a CTL names (sim/secure.c); verification is then on.
 * 0 or -1 with @err. */
int sim_tls_trust(SSL_CTX *ctx, const char *pem_cert, char *err, size_t len);
/*
 * A secure phone's connection (--secure): @anchors, the CTL's CCM
 * certificates, are this connection's only trust anchors, and the server
 * must present exactly one of them (docs/ctl.md 5.3). Replaces the
 * context's anchors and verification mode for @ssl. 0 or -1 with @err.
 */
int sim_tls_anchor(SSL *ssl, STACK_OF(X509) *anchors, char *err, size_t len);
/*
 * Why the handshake refused the server's certificate: its subject and
 * OpenSSL's verification error ("/CN=x: self-signed certificate"), or
 * NULL when the certificate was not what failed.
 */
const char *sim_tls_refused(const SSL *ssl, char *buf, size_t len);
/* The OpenSSL error of a TLS bufferevent, "" when none. */
const char *sim_tls_error(struct bufferevent *bev);

#endif /* PP_SIM_SIMCORE_H */
