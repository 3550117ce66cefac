/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-replay's pure logic (no socket, no clock): a captured SCCP byte
 * stream cut into PDUs with the project's parser, the capture's order of
 * the two directions, the write patterns (where a stream is cut into
 * write() calls), and the verification of what arrived through the proxy
 * against what was sent. Unit-tested by tests/test_replay.c.
 */
#ifndef PP_REPLAY_CORE_H
#define PP_REPLAY_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sccp.h"

#define RP_MAX_PDUS	1024
#define RP_MAX_RUNS	256

/* One direction of a captured connection. */
struct rp_stream {
	const uint8_t *buf;
	size_t len;
	unsigned int n_pdu;
	uint32_t end[RP_MAX_PDUS];	/* end offset of PDU i */
};

/* Start offset of PDU @i. */
static inline uint32_t rp_pdu_start(const struct rp_stream *s, unsigned int i)
{
	return i ? s->end[i - 1] : 0;
}

/*
 * Frame @len bytes at @buf into PDUs (sccp_frame). 0, or -1 with @err
 * (a framing error, bytes after the last PDU, too many PDUs).
 */
int rp_stream_frame(struct rp_stream *s, const uint8_t *buf, size_t len,
		    char *err, size_t errlen);

/*
 * The capture's order of the directions, run-length: "c1 s15 c1" = the
 * phone's first PDU, then the CallManager's next 15, then the phone's
 * next one. A side sends its run once every PDU of the other side's
 * earlier runs has arrived.
 */
struct rp_run {
	char dir;		/* 'c' (phone to CallManager) or 's' */
	unsigned int count;
};

struct rp_order {
	unsigned int n;
	struct rp_run run[RP_MAX_RUNS];
};

/* 0, or -1 for a malformed text. */
int rp_order_parse(const char *text, struct rp_order *o);

/*
 * Check @o against the two streams: the runs of each direction add up to
 * its PDU count. 0, or -1 with @err.
 */
int rp_order_check(const struct rp_order *o, const struct rp_stream *c2s,
		   const struct rp_stream *s2c, char *err, size_t errlen);

/* Write patterns. */
enum rp_kind {
	RP_WHOLE,	/* one write per PDU */
	RP_CHUNK,	/* each PDU in writes of @arg bytes */
	RP_CUT,		/* each PDU with address/port fields cut @arg bytes into every field */
	RP_PACKED,	/* one write per run (many PDUs per write) */
	RP_CAPTURE,	/* cut where the captured segments were cut */
};

struct rp_pattern {
	int kind;
	unsigned int arg;
	char name[24];
};

/* "whole", "chunkN", "cutN", "packed", "capture": 0, or -1. */
int rp_pattern_parse(const char *text, struct rp_pattern *p);

/*
 * Where the writes of PDUs [@first, @first + @count) of @s end, with
 * pattern @p: @ends[0..ret-1] increasing, the last one the end of the
 * run. @segs (offsets of the captured segment boundaries, @n_segs of
 * them, any order) serves RP_CAPTURE. Returns the number of writes, or
 * -1 when @max is too small.
 */
int rp_plan(const struct rp_stream *s, unsigned int first, unsigned int count,
	    const struct rp_pattern *p, const uint32_t *segs, size_t n_segs,
	    uint32_t *ends, size_t max);

/* What the proxy is expected to have done to one direction. */
struct rp_expect {
	int to_ccm;		/* 1: phone to CallManager (c2s), 0: s2c */
	uint8_t addr[4];	/* the proxy's address on the receiving side */
	uint32_t port_lo, port_hi;	/* the RTP relay range */
};

struct rp_result {
	unsigned int pdus;		/* PDUs compared */
	unsigned int fields;		/* address/port fields seen */
	unsigned int rewritten;		/* fields whose bytes changed */
	unsigned int bytes;		/* bytes that differ */
	unsigned int relay_ports;	/* distinct relay ports announced */
	uint64_t norm_hash;		/* FNV-1a of the received stream, relay ports numbered */
	uint64_t flat_hash;		/* the same with every relay port 0 */
	char err[256];			/* the first discrepancy */
};

/*
 * Compare @recv (what arrived) with @sent (what was written), PDU by
 * PDU: the same framing and PDU count; every differing byte inside an
 * address/port field the parser reports for the sent PDU; each such
 * field rewritten as the proxy must (phone to CallManager: the south
 * address, the media ports in the relay range; CallManager to phone: the
 * north address); fields that must be rewritten (a phone's or the
 * CallManager's own address) never passing unchanged. @log (may be
 * NULL) gets one line per rewritten field. The relay ports are replaced
 * by their rank of first appearance before hashing, so two runs compare
 * equal whatever ports they were given but not when the sharing of ports
 * between fields differs; @res->flat_hash ignores the sharing too.
 *
 * Return: 0 when everything matches, -1 with @res->err.
 */
int rp_verify(const struct rp_stream *sent, const uint8_t *recv,
	      size_t recv_len, const struct rp_expect *exp,
	      struct rp_result *res, FILE *log);

#endif /* PP_REPLAY_CORE_H */
