// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-replay's pure logic: framing, order, write patterns, verification
 * (replay_core.h).
 */
#include <stdlib.h>
#include <string.h>

#include "replay_core.h"
#include "log.h"

int rp_stream_frame(struct rp_stream *s, const uint8_t *buf, size_t len,
		    char *err, size_t errlen)
{
	struct sccp_hdr h;
	size_t off = 0;
	int r;

	s->buf = buf;
	s->len = len;
	s->n_pdu = 0;
	while (off < len) {
		r = sccp_frame(buf + off, len - off, &h);
		if (r)
			return pp_errf(err, errlen, "offset %zu: %s", off,
				    sccp_strerror(r));
		if (h.size > len - off)
			return pp_errf(err, errlen,
				    "offset %zu: PDU of %u bytes, %zu left",
				    off, h.size, len - off);
		if (s->n_pdu == RP_MAX_PDUS)
			return pp_errf(err, errlen, "more than %d PDUs",
				    RP_MAX_PDUS);
		off += h.size;
		s->end[s->n_pdu++] = off;
	}
	return 0;
}

int rp_order_parse(const char *text, struct rp_order *o)
{
	const char *p = text;
	char *end;
	unsigned long n;

	o->n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ',')
			p++;
		if (!*p)
			break;
		if (*p != 'c' && *p != 's')
			return -1;
		if (p[1] < '0' || p[1] > '9')
			return -1;
		n = strtoul(p + 1, &end, 10);
		if (!n || n > RP_MAX_PDUS || o->n == RP_MAX_RUNS)
			return -1;
		if (*end && *end != ' ' && *end != '\t' && *end != '\n' &&
		    *end != ',')
			return -1;
		o->run[o->n].dir = *p;
		o->run[o->n].count = n;
		o->n++;
		p = end;
	}
	return o->n ? 0 : -1;
}

int rp_order_check(const struct rp_order *o, const struct rp_stream *c2s,
		   const struct rp_stream *s2c, char *err, size_t errlen)
{
	unsigned int c = 0, s = 0, i;

	for (i = 0; i < o->n; i++) {
		if (o->run[i].dir == 'c')
			c += o->run[i].count;
		else
			s += o->run[i].count;
	}
	if (c != c2s->n_pdu || s != s2c->n_pdu)
		return pp_errf(err, errlen,
			    "order has %u+%u PDUs, the streams %u+%u",
			    c, s, c2s->n_pdu, s2c->n_pdu);
	return 0;
}

int rp_pattern_parse(const char *text, struct rp_pattern *p)
{
	char *end;
	unsigned long n;

	memset(p, 0, sizeof(*p));
	if (strlen(text) >= sizeof(p->name))
		return -1;
	strcpy(p->name, text);
	if (!strcmp(text, "whole")) {
		p->kind = RP_WHOLE;
		return 0;
	}
	if (!strcmp(text, "packed")) {
		p->kind = RP_PACKED;
		return 0;
	}
	if (!strcmp(text, "capture")) {
		p->kind = RP_CAPTURE;
		return 0;
	}
	if (!strncmp(text, "chunk", 5)) {
		p->kind = RP_CHUNK;
		text += 5;
	} else if (!strncmp(text, "cut", 3)) {
		p->kind = RP_CUT;
		text += 3;
	} else {
		return -1;
	}
	if (*text < '0' || *text > '9')
		return -1;
	n = strtoul(text, &end, 10);
	if (*end || !n || n > SCCP_MAX_PDU)
		return -1;
	p->arg = n;
	return 0;
}

/* Add cut @at (strictly inside (@lo, @hi)) to the sorted set @ends. */
static int add_cut(uint32_t *ends, size_t *n, size_t max, uint32_t at,
		   uint32_t lo, uint32_t hi)
{
	size_t i;

	if (at <= lo || at >= hi)
		return 0;
	for (i = 0; i < *n && ends[i] < at; i++)
		;
	if (i < *n && ends[i] == at)
		return 0;
	if (*n == max)
		return -1;
	memmove(ends + i + 1, ends + i, (*n - i) * sizeof(*ends));
	ends[i] = at;
	(*n)++;
	return 0;
}

int rp_plan(const struct rp_stream *s, unsigned int first, unsigned int count,
	    const struct rp_pattern *p, const uint32_t *segs, size_t n_segs,
	    uint32_t *ends, size_t max)
{
	uint32_t run_lo, run_hi, lo, hi, at;
	struct sccp_msg m;
	unsigned int i, e;
	size_t n = 0, k;

	if (!count || first + count > s->n_pdu || !max)
		return -1;
	run_lo = rp_pdu_start(s, first);
	run_hi = s->end[first + count - 1];
	ends[n++] = run_hi;
	if (p->kind == RP_PACKED)
		return 1;
	for (i = first; i < first + count; i++) {
		lo = rp_pdu_start(s, i);
		hi = s->end[i];
		if (add_cut(ends, &n, max, hi, run_lo, run_hi))
			return -1;
		switch (p->kind) {
		case RP_CHUNK:
			for (at = lo + p->arg; at < hi; at += p->arg)
				if (add_cut(ends, &n, max, at, lo, hi))
					return -1;
			break;
		case RP_CUT:
			if (sccp_decode(s->buf + lo, hi - lo, 0, &m) &&
			    !m.n_ep)
				break;
			for (e = 0; e < m.n_ep; e++)
				if (p->arg < m.ep[e].len &&
				    add_cut(ends, &n, max,
					    lo + m.ep[e].off + p->arg, lo, hi))
					return -1;
			break;
		case RP_CAPTURE:
			for (k = 0; k < n_segs; k++)
				if (add_cut(ends, &n, max, segs[k], lo, hi))
					return -1;
			break;
		default:
			break;
		}
	}
	return (int)n;
}

/* ---- Verification ---------------------------------------------------- */

#define RP_MAX_PORTS	256

struct rp_ports {
	unsigned int n;
	uint32_t port[RP_MAX_PORTS];
};

/* Rank (1-based) of @port, added when new; 0 when the table is full. */
static uint32_t port_rank(struct rp_ports *t, uint32_t port)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->port[i] == port)
			return i + 1;
	if (t->n == RP_MAX_PORTS)
		return 0;
	t->port[t->n++] = port;
	return t->n;
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

enum rp_want {
	RP_KEEP,	/* passes unchanged */
	RP_ADDR,	/* the proxy's address, port 0 */
	RP_RELAY,	/* the proxy's address, a relay port */
	RP_ZERO,	/* all zero */
};

/* What the proxy must do to endpoint @ep of @m going @to_ccm or not. */
static int want_of(const struct sccp_msg *m, const struct sccp_ep *ep,
		   int to_ccm)
{
	bool addr = ep->shape & (SCCP_EP_IP4 | SCCP_EP_IP16);

	switch (ep->role) {
	case SCCP_ROLE_STATION:
	case SCCP_ROLE_ALARM:
		return to_ccm ? RP_ADDR : -1;
	case SCCP_ROLE_STATION_V6:
		return to_ccm ? RP_ZERO : -1;
	case SCCP_ROLE_MEDIA_RX:
	case SCCP_ROLE_MEDIA_TX:
		if (!to_ccm)
			return -1;
		return addr ? RP_RELAY : RP_KEEP;
	case SCCP_ROLE_MEDIA_REMOTE:
		if (m->hdr.id == SCCP_MEDIA_TX_FAILURE)
			return to_ccm ? RP_ADDR : -1;
		return to_ccm ? -1 : RP_RELAY;
	case SCCP_ROLE_MEDIA_SOURCE:
	case SCCP_ROLE_SERVER:
		return to_ccm ? -1 : RP_ADDR;
	case SCCP_ROLE_MULTICAST:
	case SCCP_ROLE_SERVER_PORT:
		return to_ccm ? -1 : RP_KEEP;
	}
	return -1;
}

static void fmt_addr(char *out, size_t n, const struct sccp_ep *ep,
		     const struct sccp_addr *a)
{
	size_t k = 0;

	out[0] = 0;
	if (ep->shape & (SCCP_EP_IP4 | SCCP_EP_IP16))
		k = snprintf(out, n, "%u.%u.%u.%u", a->ip[0], a->ip[1],
			     a->ip[2], a->ip[3]);
	if (k < n && (ep->shape & SCCP_EP_PORT))
		k += snprintf(out + k, n - k, "%s%u", k ? ":" : "port ",
			      a->port);
	if (k < n && (ep->shape & SCCP_EP_RTCP))
		snprintf(out + k, n - k, "/%u", a->rtcp_port);
}

/* Offset of the port within endpoint @ep (it has SCCP_EP_PORT). */
static unsigned int port_off(const struct sccp_ep *ep)
{
	return (ep->shape & SCCP_EP_TYPE ? 4 : 0) +
	       (ep->shape & SCCP_EP_IP4 ? 4 : 0) +
	       (ep->shape & SCCP_EP_IP16 ? 16 : 0);
}

int rp_verify(const struct rp_stream *sent, const uint8_t *recv,
	      size_t recv_len, const struct rp_expect *exp,
	      struct rp_result *res, FILE *log)
{
	struct rp_stream *rs;
	struct rp_ports ports = { 0 };
	struct sccp_msg ms, mr;
	struct sccp_addr want;
	uint8_t wire[SCCP_EP_MAX_LEN], norm[SCCP_MAX_PDU], flat[SCCP_MAX_PDU];
	char a[64], b[64];
	uint64_t h = 0xcbf29ce484222325ULL, hf = h;
	unsigned int i, e, j, rank;
	int ret = -1, w, r;

	memset(res, 0, sizeof(*res));
	rs = malloc(sizeof(*rs));
	if (!rs)
		return pp_errf(res->err, sizeof(res->err), "out of memory");
	if (rp_stream_frame(rs, recv, recv_len, res->err, sizeof(res->err)))
		goto out;
	if (rs->n_pdu != sent->n_pdu) {
		pp_errf(res->err, sizeof(res->err), "%u PDUs arrived, %u sent",
		     rs->n_pdu, sent->n_pdu);
		goto out;
	}
	for (i = 0; i < sent->n_pdu; i++) {
		uint32_t lo = rp_pdu_start(sent, i), size = sent->end[i] - lo;
		const uint8_t *ps = sent->buf + lo, *pr = recv + lo;
		uint8_t covered[SCCP_MAX_PDU];

		res->pdus++;
		if (rs->end[i] != sent->end[i]) {
			pp_errf(res->err, sizeof(res->err),
			     "PDU %u at %u: %u bytes arrived, %u sent", i, lo,
			     rs->end[i] - lo, size);
			goto out;
		}
		r = sccp_decode(ps, size, 0, &ms);
		if (r && r != SCCP_E_TRUNCATED) {
			pp_errf(res->err, sizeof(res->err), "PDU %u at %u: %s", i,
			     lo, sccp_strerror(r));
			goto out;
		}
		/* The received PDU in the layout of the sent one. */
		sccp_decode_prefix(pr, size, ms.layout ? ms.layout :
				   SCCP_LAYOUT_NONE, 0, &mr);
		memcpy(norm, pr, size);
		memcpy(flat, pr, size);
		memset(covered, 0, size);
		for (e = 0; e < ms.n_ep; e++) {
			const struct sccp_ep *ep = &ms.ep[e];
			bool changed;

			res->fields++;
			memset(covered + ep->off, 1, ep->len);
			changed = memcmp(ps + ep->off, pr + ep->off, ep->len);
			if (changed)
				res->rewritten++;
			w = want_of(&ms, ep, exp->to_ccm);
			if (w < 0) {
				pp_errf(res->err, sizeof(res->err),
				     "PDU %u at %u (%s): a %s field %s",
				     i, lo, sccp_msg_name(ms.hdr.id),
				     sccp_role_name(ep->role),
				     exp->to_ccm ? "from the phone" :
				     "from the CallManager");
				goto out;
			}
			memset(&want, 0, sizeof(want));
			switch (w) {
			case RP_KEEP:
				memcpy(wire, ps + ep->off, ep->len);
				break;
			case RP_ZERO:
				memset(wire, 0, ep->len);
				break;
			case RP_ADDR:
			case RP_RELAY:
				sccp_addr_v4(&want, exp->addr, 0);
				if (ep->val.type == SCCP_IPTYPE_BOTH)
					want.type = SCCP_IPTYPE_BOTH;
				if (w == RP_RELAY) {
					want.port = mr.ep[e].val.port;
					want.rtcp_port = want.port + 1;
				} else {
					want.rtcp_port = 0;
				}
				sccp_ep_encode(ep, &want, wire);
				break;
			}
			if (memcmp(wire, pr + ep->off, ep->len)) {
				fmt_addr(a, sizeof(a), ep, &ep->val);
				fmt_addr(b, sizeof(b), ep, &mr.ep[e].val);
				pp_errf(res->err, sizeof(res->err),
				     "PDU %u at %u (%s): %s field %s arrived as %s (%s)",
				     i, lo, sccp_msg_name(ms.hdr.id),
				     sccp_role_name(ep->role), a, b,
				     w == RP_KEEP ? "must pass unchanged" :
				     w == RP_ZERO ? "must be zeroed" :
				     "not the proxy's rewrite");
				goto out;
			}
			if (w == RP_RELAY && (want.port < exp->port_lo ||
					      want.port > exp->port_hi ||
					      want.port & 1)) {
				pp_errf(res->err, sizeof(res->err),
				     "PDU %u at %u (%s): port %u not an (even) relay port %u-%u",
				     i, lo, sccp_msg_name(ms.hdr.id), want.port,
				     exp->port_lo, exp->port_hi);
				goto out;
			}
			if (w == RP_RELAY) {
				rank = port_rank(&ports, want.port);
				j = port_off(ep);
				sccp_put_le32(norm + ep->off + j, rank);
				sccp_put_le32(flat + ep->off + j, 0);
				if (ep->shape & SCCP_EP_RTCP) {
					sccp_put_le32(norm + ep->off + j + 4,
						      rank);
					sccp_put_le32(flat + ep->off + j + 4, 0);
				}
			}
			if (log && changed) {
				fmt_addr(a, sizeof(a), ep, &ep->val);
				fmt_addr(b, sizeof(b), ep, &mr.ep[e].val);
				fprintf(log, "pdu=%u off=%u msg=%s field=%s from=%s to=%s\n",
					i, lo + ep->off,
					sccp_msg_name(ms.hdr.id),
					sccp_role_name(ep->role), a, b);
			}
		}
		for (j = 0; j < size; j++) {
			if (ps[j] == pr[j])
				continue;
			res->bytes++;
			if (!covered[j]) {
				pp_errf(res->err, sizeof(res->err),
				     "PDU %u at %u (%s): byte %u changed (%02x -> %02x) outside every address/port field",
				     i, lo, sccp_msg_name(ms.hdr.id), j,
				     ps[j], pr[j]);
				goto out;
			}
		}
		h = fnv(h, norm, size);
		hf = fnv(hf, flat, size);
	}
	res->relay_ports = ports.n;
	res->norm_hash = h;
	res->flat_hash = hf;
	ret = 0;
out:
	free(rs);
	return ret;
}
