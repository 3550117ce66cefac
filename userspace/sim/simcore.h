/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * What pp-ccm-sim and pp-phone-sim share: the result lines they print,
 * address parsing and printing, framing SCCP out of a TCP byte stream,
 * the file descriptor limit, and a media endpoint (UDP RTP sockets
 * sending and checking G.711) on the process's libevent loop.
 */
#ifndef PP_SIM_SIMCORE_H
#define PP_SIM_SIMCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "rtp.h"
#include "sccp_build.h"

/* Exit statuses of both simulators. */
#define SIM_EXIT_OK	0
#define SIM_EXIT_FAIL	1	/* a run-time failure: see the error line */
#define SIM_EXIT_USAGE	2	/* a bad argument: named on stderr */

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
 * Take the next whole PDU out of @in into @pdu (@cap >= SCCP_MAX_PDU).
 * Returns its size, 0 when the PDU is not complete yet (TCP may cut it
 * anywhere), or a negative SCCP_E_* framing error: the stream cannot be
 * followed any more.
 */
int sim_frame_pop(struct evbuffer *in, uint8_t *pdu, size_t cap);

/* Raise RLIMIT_NOFILE towards @want; returns the limit now in force. */
unsigned long sim_raise_nofile(unsigned long want);

/* Random 32 bits from the kernel (seeds). */
uint32_t sim_random32(void);

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

#endif /* PP_SIM_SIMCORE_H */
