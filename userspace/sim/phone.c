// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-phone-sim: SCCP phones for the tests and benchmarks, any number of
 * them in one process on one libevent loop. Each phone (optionally)
 * reads its SEP<MAC>.cnf.xml over TFTP for its CallManager, registers,
 * keeps alive, answers OpenReceiveChannel with its RTP address, sends
 * G.711 after StartMediaTransmission until StopMediaTransmission and
 * checks the RTP it receives. Results are lines on stdout (docs/sim.md).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <libxml/parser.h>
#include <netdb.h>

#include "log.h"
#include "parse.h"
#include "simcore.h"
#include "tftpc.h"
#include "secure.h"

#define PROG		"pp-phone-sim"
#define MAX_PHONES	200000

enum pstate {
	P_IDLE,			/* not started yet */
	P_TFTP,			/* reading its configuration file */
	P_CONNECTING,
	P_REGISTERING,		/* Register sent */
	P_REGISTERED,
	P_UNREGISTERING,	/* Unregister sent, shutting down */
	P_RETRY,		/* disconnected, reconnecting after a delay */
	P_DOWN,			/* rejected, failed or stopped: nothing more */
};

struct opts {
	bool have_server;
	uint32_t server_ip;
	uint16_t server_port;
	/* --servers: the CallManager group, in priority order (0: none) */
	unsigned int ngrp;
	uint32_t grp_ip[SIM_GROUP_MAX];
	uint16_t grp_port[SIM_GROUP_MAX];
	bool tftp;
	uint32_t tftp_ip;
	uint16_t tftp_port;
	bool secure;			/* --secure: CTL and .sgn (secure.h) */
	const char *ctl_flash;		/* --ctl FILE: the stored CTL */
	unsigned int proto;
	bool hdr0;
	uint32_t bind_ip;		/* network order, 0: the kernel's choice */
	unsigned int bind_count;
	unsigned int sid_count;		/* --sid-count: SIDs repeat, 0: never */
	uint32_t announce;		/* 0: the local address */
	unsigned int rtp_port;		/* 0: ephemeral */
	unsigned int tx_offset;
	unsigned int keepalive;		/* 0: RegisterAck's */
	unsigned int rate;		/* phones started per second, 0: all */
	unsigned int duration;		/* seconds, 0: until a signal */
	unsigned int retry;		/* reconnect delay, 0: never */
	int smt_ack;			/* -1 auto (protocol >= 17), 0, 1 */
	unsigned int device_type;
	bool quiet;
	bool preserve;			/* a lost connection keeps the media */
	bool print_keys;		/* test peer: a "keys" line per key received */
	unsigned int count;
	unsigned int forge_orc_acks;	/* misbehave: unrequested ORC-Acks */
	unsigned int max_streams;	/* concurrent streams per phone (1: a new
					 * passThruPartyId replaces the stream) */
	/* --rtp-seq, --rtcp, --attack, --attack-every: every stream's */
	struct sim_media_opts media;
	struct sim_tls_opts tls;	/* secure SCCP: --tls ... */
};

struct sim;

/* A media stream of a phone: the channel of one passThruPartyId. */
struct stream {
	struct sim_media media;
	bool live;			/* in use (else free, its port maybe kept) */
	uint32_t ppid, conf_id, call_ref;
};

struct phone {
	struct sim *s;
	unsigned int idx;
	char sid[16];
	uint8_t mac[6];
	uint32_t bind_ip, announce;
	uint32_t server_ip;
	uint16_t server_port;
	bool server_known;
	enum pstate st;
	struct bufferevent *bev;
	struct event *timer;		/* keepalive, retry, TFTP completion */
	struct tftpc *tftp;
	/* --secure; sim_secure_anchors(sec): the TLS client's only trust anchors */
	struct sim_secure *sec;
	bool tls;			/* this phone's SCCP is over TLS */
	int tftp_err;
	uint32_t local_ip;
	uint16_t local_port;
	uint8_t proto;			/* negotiated */
	int layout;
	uint32_t hv;
	unsigned int keepalive;
	uint64_t ka_sent, ka_acked;
	uint64_t t_connect;
	bool ever_registered;
	/* the media streams: --max-streams of them, each its own ppid */
	struct stream *strm;
	/*
	 * --servers (docs/sim.md "Failover"): the active connection is to
	 * member srv of the group; the standby one (sb), KeepAlives only,
	 * to member sb_srv.
	 */
	unsigned int srv;
	unsigned int ka_unacked;	/* KeepAlives on the active one since an ack */
	uint64_t t_rx;			/* the active one's last message */
	bool failing_over;		/* the active one lost, not registered since */
	unsigned int lost_srv;
	uint64_t t_loss, t_loss_rx;	/* when it was declared lost; its last message */
	struct bufferevent *sb;
	struct event *sb_timer;		/* the standby's KeepAlive, or its reopening */
	unsigned int sb_srv, sb_unacked, sb_ka;
	bool sb_up;			/* a KeepAliveAck came back on it */
	uint32_t sb_local_ip;
	uint16_t sb_local_port;
};

struct sim {
	struct sim_loop loop;
	SSL_CTX *tls;			/* --tls: the phones' TLS client */
	struct opts o;
	struct phone *phones;
	struct stream *streams;		/* n x --max-streams */
	unsigned int n;
	unsigned int started;
	unsigned int registered, ever_registered, rejected, failed, down;
	unsigned int failovers;		/* --servers: registered again elsewhere */
	bool all_reported, stopping;
	int exit_code;
	uint64_t t0;
	unsigned int unregistering;
	struct sim_totals totals;
	struct event *start_timer, *stop_timer;
};

static void phone_connect(struct phone *p);
static void phone_disconnect(struct phone *p, const char *why, bool retry);
static void standby_open(struct phone *p);

static const char usage[] =
"usage: " PROG " --server ADDR[:PORT] | --tftp ADDR[:PORT]  phones  [options]\n"
"phones: --sid SEP<12 hex> (repeatable) | --sid-base SEP<12 hex> --count N\n"
"  --sid-count K          with --sid-base: phone i is SID base + (i mod K), so\n"
"                         K SIDs for N phones (with --bind-count K each address\n"
"                         keeps one SID: several connections per activation)\n"
"  --server ADDR[:PORT]   CallManager or proxy (port 2000 by default)\n"
"  --servers A[:P],B[:P][,C[:P]]\n"
"                         instead of --server: the CallManager group in priority\n"
"                         order; registered with one, the phone keeps a standby\n"
"                         connection (KeepAlives, no Register) to the next, and\n"
"                         registers there when the active one closes or leaves\n"
"                         3 KeepAlives unanswered\n"
"  --tftp ADDR[:PORT]     read SEP<MAC>.cnf.xml first; its callManagerGroup\n"
"                         names the CallManager (--server: the fallback)\n"
"  --secure               with --tftp: read and verify CTLSEP<MAC>.tlv,\n"
"                         CTLFile.tlv and SEP<MAC>.cnf.xml.sgn instead\n"
"                         (a refused file stops the phone; no fallback);\n"
"                         with --tls and deviceSecurityMode 3: TLS to the\n"
"                         file's port + 443, trusting only the CTL's CCM\n"
"                         certificate\n"
"  --ctl FILE             the phone's stored CTL: a new one must be signed\n"
"                         by one of its SAST keys; written when accepted\n"
"  --layout old|v17       highest protocol offered: 11 (old) or 17 (v17; default)\n"
"  --proto N              offer protocol N (1..255) instead\n"
"  --hdr0                 header version 0 on every message (as Asterisk)\n"
"  --bind ADDR            source address of TCP and RTP\n"
"  --bind-count K         phone i binds ADDR + (i mod K) (and announces +i mod K)\n"
"  --announce ADDR        address put in Register and the acks (NAT test)\n"
"  --rtp-port N           phone i receives RTP on N + 2i (stream j of --max-streams\n"
"                         M: N + 2(iM + j); default: a free even port of\n"
"                         16384..32766)\n"
"  --tx-port-offset N     send RTP from the receive port + N (default 0)\n"
"  --max-streams N        concurrent media streams per phone, one per\n"
"                         passThruPartyId (1..1024; default 1: a new one\n"
"                         replaces the stream; above 1 a channel beyond N is\n"
"                         refused)\n"
"  --keepalive S          keepalive interval (default: the RegisterAck's)\n"
"  --rate N               start N phones per second (default: all at once)\n"
"  --duration S           unregister and exit after S seconds\n"
"  --retry S              reconnect S seconds after a lost connection (default 2, 0 never)\n"
"  --smt-ack auto|yes|no  StartMediaTransmissionAck (auto: protocol >= 17)\n"
"  --device-type N        Register deviceType (default 115, a 7941)\n"
"  --preserve             call preservation: a lost connection keeps the media\n"
"                         stream running (until replaced, or the exit)\n"
"  --forge-orc-acks N     misbehave: N OpenReceiveChannelAcks nobody asked for\n"
"  --attack KIND[,KIND]   misbehave on every stream sent, KIND replay (a packet\n"
"                         sent twice), flip (a copy with one bit flipped, before\n"
"                         it) or wrong-key (a copy protected with another key,\n"
"                         before it); counted as atk_* in media-stats\n"
"  --attack-every N       one attack every N packets, the kinds in turn (default 10)\n"
"  --rtp-seq N            the first RTP sequence number of every stream (0..65535;\n"
"                         default random): 65500 crosses the wrap within 36 packets\n"
"  --ssrc-follow          a far end's new SSRC is its new source (counted in\n"
"                         rx_ssrc_changes), not a foreign packet (rx_bad_ssrc)\n"
"  --rtcp MS              an RTCP sender report every MS ms (SRTCP when keyed) to\n"
"                         the remote port + 1, from and on the receive port + 1\n"
"  --quiet                no line per phone, only the totals\n"
"  --print-keys           test peer only: print each SRTP key received (a keys\n"
"                         line, also with --quiet; docs/sim.md)\n"
"  --tls 1.0|1.2          secure SCCP: TLS 1.0 with AES128-SHA (old firmware) or TLS 1.2\n"
"                         (ECDHE-RSA AES-GCM); give --server ADDR:2443\n"
"  --tls-ca FILE          trust anchor: the server's certificate or CA (PEM); without it\n"
"                         (and without --secure) the server is not verified\n"
"  --tls-cert FILE        client certificate (the phone's LSC/MIC), PEM\n"
"  --tls-key FILE         its private key (default: in --tls-cert)\n"
"  --tls-keylog FILE      append the TLS secrets (SSLKEYLOGFILE format) for tshark\n"
"Exit: 0 done (signal or --duration), 1 failure (every phone rejected or\n"
"failed, or a system error), 2 bad argument. Output: docs/sim.md.\n";

static int parse_sid(const char *s, uint64_t *mac)
{
	char *end;

	if (!pp_sid_valid(s))
		return -1;
	*mac = strtoull(s + 3, &end, 16);
	return *end ? -1 : 0;
}

static void sid_of(uint64_t mac, char sid[16], uint8_t b[6])
{
	int i;

	snprintf(sid, 16, "SEP%012llX", (unsigned long long)mac);
	for (i = 0; i < 6; i++)
		b[i] = (uint8_t)(mac >> (40 - 8 * i));
}

static uint32_t ip_add(uint32_t be, unsigned int k)
{
	return htonl(ntohl(be) + k);
}

/* ------------------------------------------------------------------ */

static void send_pdu(struct phone *p, const uint8_t *pdu, size_t n)
{
	if (p->bev && n)
		bufferevent_write(p->bev, pdu, n);
}

static uint32_t my_addr(const struct phone *p)
{
	return p->announce ? p->announce : p->local_ip;
}

/* The local address of a connected @bev. 0, or -1. */
static int local_of(struct bufferevent *bev, uint32_t *ip, uint16_t *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	if (getsockname(bufferevent_getfd(bev), (struct sockaddr *)&sa, &len))
		return -1;
	*ip = sa.sin_addr.s_addr;
	*port = ntohs(sa.sin_port);
	return 0;
}

/* A TCP socket from the phone's --bind address (port chosen at connect), or -1. */
static int phone_socket(const struct phone *p)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = p->bind_ip };
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || !p->bind_ip)
		return fd;
	/* Many phones on one address: choose the port at connect(). */
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void check_all_down(struct sim *s)
{
	if (!s->stopping && s->down == s->n) {
		fprintf(stderr, PROG ": every phone was rejected or failed\n");
		s->exit_code = SIM_EXIT_FAIL;
		event_base_loopexit(s->loop.base, NULL);
	}
}

static void set_down(struct phone *p)
{
	if (p->st != P_DOWN) {
		p->st = P_DOWN;
		p->s->down++;
	}
}

static void stream_report(struct phone *p, struct stream *t, const char *why)
{
	char buf[2048];

	sim_totals_add(&p->s->totals, &t->media);
	sim_media_format(&t->media, buf, sizeof(buf));
	if (!p->s->o.quiet)
		sim_event("media-stats", "sid=%s ppid=%u end=%s %s", p->sid,
			  t->ppid, why, buf);
}

static void stream_close(struct phone *p, struct stream *t, const char *why)
{
	if (t->media.open) {
		if (t->live)
			stream_report(p, t, why);
		sim_media_close(&t->media);
	}
	t->live = false;
}

static void streams_close(struct phone *p, const char *why)
{
	unsigned int i;

	for (i = 0; i < p->s->o.max_streams; i++)
		stream_close(p, &p->strm[i], why);
}

/* The stream of @ppid, or NULL. */
static struct stream *stream_of(struct phone *p, uint32_t ppid)
{
	unsigned int i;

	for (i = 0; i < p->s->o.max_streams; i++)
		if (p->strm[i].live && p->strm[i].ppid == ppid)
			return &p->strm[i];
	return NULL;
}

/*
 * The stream of a new passThruPartyId @ppid: with --max-streams 1 the
 * phone's only one (a live one is replaced); else a free one, one whose
 * port was kept first. NULL when all of them are live: the channel is
 * refused, after a media-error line.
 */
static struct stream *stream_new(struct phone *p, uint32_t ppid)
{
	unsigned int i, max = p->s->o.max_streams;
	struct stream *t = NULL;

	if (max == 1) {
		if (p->strm[0].live)
			stream_close(p, &p->strm[0], "replaced");
		return &p->strm[0];
	}
	for (i = 0; i < max; i++) {
		if (p->strm[i].live)
			continue;
		if (p->strm[i].media.open)
			return &p->strm[i];
		if (!t)
			t = &p->strm[i];
	}
	if (!t)
		sim_event("media-error", "sid=%s ppid=%u reason=\"%u streams already: --max-streams %u\"",
			  p->sid, ppid, max, max);
	return t;
}

static int stream_open(struct phone *p, struct stream *t, uint8_t pt,
		       unsigned int ms)
{
	const struct opts *o = &p->s->o;
	uint16_t port = 0;
	char err[160];
	int e;

	if (t->media.open) {
		rtp_rx_init(&t->media.rx, pt, ms);
		return 0;
	}
	if (o->rtp_port)
		port = (uint16_t)(o->rtp_port +
				  2 * (p->idx * o->max_streams + (unsigned int)(t - p->strm)));
	e = sim_media_open(&t->media, p->s->loop.base,
			   p->bind_ip ? p->bind_ip : p->local_ip, port,
			   o->tx_offset, pt, ms, err, sizeof(err));
	if (!e) {
		e = sim_media_set(&t->media, &o->media, err, sizeof(err));
		if (e)
			sim_media_close(&t->media);
	}
	if (e)
		sim_event("media-error", "sid=%s reason=\"%s\"", p->sid, err);
	return e;
}

/*
 * --print-keys (a test peer's facility, for bench/rtp's SRTP senders): the
 * key a message gave, "keys sid= ppid= dir=rx|tx local= [remote=] suite=
 * key=<master key || salt, hex>". @rport 0: no remote (OpenReceiveChannel).
 */
static void print_key(const struct phone *p, const struct stream *t,
		      const struct sccp_msg *m, const struct sccp_media_key *k,
		      bool tx, uint32_t rip, uint16_t rport)
{
	char hex[2 * 2 * SCCP_KEY_FIELD + 1], remote[40] = "";
	unsigned int i, n = 0;

	for (i = 0; i < k->key_len && i < SCCP_KEY_FIELD; i++)
		n += (unsigned int)snprintf(hex + n, 3, "%02x", k->key[i]);
	for (i = 0; i < k->salt_len && i < SCCP_KEY_FIELD; i++)
		n += (unsigned int)snprintf(hex + n, 3, "%02x", k->salt[i]);
	hex[n] = '\0';
	if (rport)
		snprintf(remote, sizeof(remote), " remote=%s", sim_ipport(rip, rport));
	sim_event("keys", "sid=%s ppid=%u dir=%s local=%s%s suite=%s key=%s",
		  p->sid, m->ppid, tx ? "tx" : "rx",
		  sim_ipport(t->media.ip, tx ? t->media.tx_port : t->media.rx_port),
		  remote, sccp_key_alg_name(k->alg), hex);
}

/*
 * The media key block of ORC (@tx false: what the phone receives) or SMT
 * (@tx: what it sends, to @rip:@rport) keys stream @t's SRTP; zeros (or
 * no block) leave it plain RTP. 0, or -1 after a media-error line.
 */
static int media_key(struct phone *p, struct stream *t, const struct sccp_msg *m,
		     const uint8_t *pdu, bool tx, uint32_t rip, uint16_t rport)
{
	struct sccp_media_key k;
	char err[200];

	sccp_key_get(pdu + m->key_off, m->key_len, &k);
	if (!sim_srtp_key(&t->media.srtp, tx, &k, err, sizeof(err))) {
		if (p->s->o.print_keys && k.alg != SCCP_KEY_NONE)
			print_key(p, t, m, &k, tx, rip, rport);
		return 0;
	}
	sim_event("media-error", "sid=%s ppid=%u reason=\"%s\"", p->sid,
		  m->ppid, err);
	return -1;
}

static void on_orc(struct phone *p, const struct sccp_msg *m,
		   const uint8_t *in)
{
	struct sb_media a = { 0 };
	uint8_t pdu[SB_MAX_PDU];
	unsigned int ms = m->fields & SCCP_F_PKT_MS ? m->packet_ms : 20;
	uint32_t codec = m->fields & SCCP_F_CODEC ? m->codec : SB_CODEC_G711_ULAW;
	struct stream *t = stream_of(p, m->ppid);

	if (!t)
		t = stream_new(p, m->ppid);
	a.ppid = m->ppid;
	a.call_ref = m->call_ref;
	if (!t) {
		a.status = 1;		/* beyond --max-streams: refused */
	} else {
		t->ppid = m->ppid;
		t->conf_id = m->conference_id;
		t->call_ref = m->call_ref;
		if (stream_open(p, t, sb_codec_pt(codec), ms)) {
			a.status = 8;		/* OutOfSockets */
		} else if (media_key(p, t, m, in, false, 0, 0)) {
			a.status = 1;		/* the key refused */
		} else {
			t->live = true;
			a.ip = my_addr(p);
			a.port = t->media.rx_port;
		}
	}
	send_pdu(p, pdu, sb_orc_ack(pdu, sizeof(pdu), p->hv, p->layout, &a));
	if (!a.status && !p->s->o.quiet)
		sim_event("media-open", "sid=%s ppid=%u rx=%s tx_port=%u announce=%s",
			  p->sid, t->ppid, sim_ipport(t->media.ip, t->media.rx_port),
			  t->media.tx_port, sim_ipport(a.ip, (uint16_t)a.port));
}

static void on_smt(struct phone *p, const struct sccp_msg *m,
		   const uint8_t *in)
{
	const struct opts *o = &p->s->o;
	const struct sccp_ep *ep = sim_find_ep(m, SCCP_ROLE_MEDIA_REMOTE);
	unsigned int ms = m->fields & SCCP_F_PKT_MS ? m->packet_ms : 20;
	uint32_t codec = m->fields & SCCP_F_CODEC ? m->codec : SB_CODEC_G711_ULAW;
	struct sb_media a = { 0 };
	uint8_t pdu[SB_MAX_PDU];
	struct stream *t;
	uint32_t ip;
	int e = -EINVAL;

	if (!ep || !(ep->shape & SCCP_EP_PORT)) {
		sim_event("media-error", "sid=%s ppid=%u reason=\"StartMediaTransmission without an address\"",
			  p->sid, m->ppid);
		return;
	}
	memcpy(&ip, ep->val.ip, 4);
	t = stream_of(p, m->ppid);
	if (!t) {			/* a transmit-only stream */
		t = stream_new(p, m->ppid);
		if (t) {
			t->ppid = m->ppid;
			t->conf_id = m->conference_id;
			t->call_ref = m->call_ref;
			if (stream_open(p, t, sb_codec_pt(codec), ms) == 0)
				t->live = true;
		}
	}
	if (t && t->live)
		e = media_key(p, t, m, in, true, ip, (uint16_t)ep->val.port) ? -EPROTO :
		    sim_media_start(&t->media, ip, (uint16_t)ep->val.port,
				    rtp_mix32(sim_random32() ^ p->idx) ^ m->ppid,
				    sb_codec_pt(codec), ms);
	a.conf_id = m->conference_id;
	a.ppid = m->ppid;
	a.call_ref = m->call_ref;
	if (e) {
		a.status = 1;
		if (t)			/* else refused: said by stream_new() */
			sim_event("media-error", "sid=%s ppid=%u reason=\"cannot send: %s\"",
				  p->sid, m->ppid, strerror(-e));
	} else {
		a.ip = my_addr(p);
		a.port = t->media.tx_port;
		if (!o->quiet)
			sim_event("media-tx-start", "sid=%s ppid=%u remote=%s from=%s ssrc=0x%08x",
				  p->sid, m->ppid, sim_ipport(ip, (uint16_t)ep->val.port),
				  sim_ipport(t->media.ip, t->media.tx_port),
				  t->media.tx.ssrc);
	}
	if (o->smt_ack > 0 || (o->smt_ack < 0 && p->proto >= SCCP_V17))
		send_pdu(p, pdu, sb_smt_ack(pdu, sizeof(pdu), p->hv, p->layout, &a));
}

/* Stop and Close act on the stream of their ppid; without one, on every one. */
static bool same_stream(const struct stream *t, const struct sccp_msg *m)
{
	return t->live && (!(m->fields & SCCP_F_PPID) || m->ppid == t->ppid);
}

static void on_stop(struct phone *p, const struct sccp_msg *m)
{
	unsigned int i;

	for (i = 0; i < p->s->o.max_streams; i++) {
		struct stream *t = &p->strm[i];

		if (!same_stream(t, m) || !t->media.sending)
			continue;
		sim_media_stop(&t->media);
		if (!p->s->o.quiet)
			sim_event("media-tx-stop", "sid=%s ppid=%u tx_packets=%llu", p->sid,
				  t->ppid, (unsigned long long)t->media.tx.packets);
	}
}

static void on_close(struct phone *p, const struct sccp_msg *m)
{
	unsigned int i;

	for (i = 0; i < p->s->o.max_streams; i++) {
		struct stream *t = &p->strm[i];

		if (!same_stream(t, m))
			continue;
		if (m->fields & SCCP_F_PORT_HANDLING && m->port_handling == 1) {
			stream_report(p, t, "close-keep-port");
			t->live = false;	/* the port stays for the next ORC */
			continue;
		}
		stream_close(p, t, "close");
	}
}

static void keepalive_arm(struct phone *p)
{
	struct timeval tv = { .tv_sec = p->keepalive };

	event_add(p->timer, &tv);
}

/*
 * An attacker's phone (--forge-orc-acks N): N OpenReceiveChannelAcks the
 * CallManager never asked for, each with a new passThruPartyId, as a
 * phone that wants the proxy to hand it relay ports.
 */
static void forge_orc_acks(struct phone *p, unsigned int n)
{
	struct sb_media a = { 0 };
	uint8_t pdu[SB_MAX_PDU];
	unsigned int i;

	for (i = 0; i < n; i++) {
		a.ppid = 0x7f000000u + i;
		a.call_ref = 0x7f000000u + i;
		a.ip = my_addr(p);
		a.port = 30000 + 2 * (i % 1000);
		send_pdu(p, pdu, sb_orc_ack(pdu, sizeof(pdu), p->hv, p->layout, &a));
	}
	sim_event("forged", "sid=%s orc_acks=%u", p->sid, n);
}

static void on_register_ack(struct phone *p, const struct sccp_msg *m)
{
	struct sim *s = p->s;
	uint8_t theirs = m->fields & SCCP_F_PROTO ? m->proto : 0;

	if (p->st != P_REGISTERING)
		return;
	p->proto = theirs < s->o.proto ? theirs : s->o.proto;
	p->layout = sb_layout_for(p->proto);
	p->hv = sb_version_for(p->proto, s->o.hdr0);
	p->keepalive = s->o.keepalive ? s->o.keepalive :
		       m->fields & SCCP_F_KEEPALIVE && m->keepalive ? m->keepalive : 30;
	p->st = P_REGISTERED;
	s->registered++;
	if (!p->ever_registered) {
		p->ever_registered = true;
		s->ever_registered++;
	}
	p->ka_unacked = 0;
	p->sb_ka = m->fields & SCCP_F_KEEPALIVE2 && m->keepalive2 ? m->keepalive2 :
		   2 * p->keepalive;
	keepalive_arm(p);
	if (s->o.forge_orc_acks)
		forge_orc_acks(p, s->o.forge_orc_acks);
	if (!s->o.quiet)
		sim_event("registered", "sid=%s proto=%u layout=%s hv=%u local=%s server=%s keepalive=%u time_ms=%llu",
			  p->sid, p->proto, p->layout == SCCP_LAYOUT_V17 ? "v17" : "old",
			  p->hv, sim_ipport(p->local_ip, p->local_port),
			  sim_ipport(p->server_ip, p->server_port), p->keepalive,
			  (unsigned long long)(sim_now_ms() - p->t_connect));
	if (!s->all_reported && s->ever_registered == s->n) {
		s->all_reported = true;
		sim_event("all-registered", "count=%u time_ms=%llu", s->n,
			  (unsigned long long)(sim_now_ms() - s->t0));
	}
	if (p->failing_over) {
		uint64_t now = sim_now_ms();

		p->failing_over = false;
		s->failovers++;
		sim_event("failover-registered", "sid=%s server=%s index=%u from_index=%u loss_ms=%llu silent_ms=%llu",
			  p->sid, sim_ipport(p->server_ip, p->server_port), p->srv + 1,
			  p->lost_srv + 1, (unsigned long long)(now - p->t_loss),
			  (unsigned long long)(now - p->t_loss_rx));
	}
	/* A standby connection to the next member of the group. */
	if (s->o.ngrp > 1 && !p->sb && !event_pending(p->sb_timer, EV_TIMEOUT, NULL)) {
		p->sb_srv = sim_group_next(s->o.ngrp, p->srv, p->srv);
		standby_open(p);
	}
}

/* RegisterReject's text, printable and without quotes. */
static void reject_text(const uint8_t *pdu, const struct sccp_msg *m,
			char out[33])
{
	size_t i, n = m->body_len < 32 ? m->body_len : 32;

	for (i = 0; i < n && pdu[SCCP_HDR_LEN + i]; i++) {
		uint8_t c = pdu[SCCP_HDR_LEN + i];

		out[i] = c < 0x20 || c > 0x7e || c == '"' ? '?' : (char)c;
	}
	out[i] = '\0';
}

static void phone_msg(struct phone *p, const struct sccp_msg *m,
		      const uint8_t *pdu)
{
	struct sim *s = p->s;
	char reason[33];

	switch (m->hdr.id) {
	case SCCP_REGISTER_ACK:
		on_register_ack(p, m);
		break;
	case SCCP_REGISTER_REJECT:
		reject_text(pdu, m, reason);
		sim_event("register-rejected", "sid=%s reason=\"%s\"", p->sid,
			  reason);
		s->rejected++;
		phone_disconnect(p, NULL, false);
		set_down(p);
		check_all_down(s);
		break;
	case SCCP_KEEPALIVE_ACK:
		p->ka_acked++;
		p->ka_unacked = 0;
		break;
	case SCCP_OPEN_RECV_CHAN:
		on_orc(p, m, pdu);
		break;
	case SCCP_START_MEDIA_TX:
		on_smt(p, m, pdu);
		break;
	case SCCP_STOP_MEDIA_TX:
		on_stop(p, m);
		break;
	case SCCP_CLOSE_RECV_CHAN:
		on_close(p, m);
		break;
	case SCCP_UNREGISTER_ACK:
		if (!s->o.quiet)
			sim_event("unregistered", "sid=%s", p->sid);
		phone_disconnect(p, NULL, false);
		set_down(p);
		break;
	case SCCP_RESET:
		sim_event("reset", "sid=%s", p->sid);
		phone_disconnect(p, NULL, true);
		break;
	default:
		break;
	}
}

static void phone_read(struct bufferevent *bev, void *arg)
{
	struct phone *p = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	uint8_t pdu[SCCP_MAX_PDU];
	struct sccp_msg m;
	char why[96];
	int n = 0;

	if (p->s->o.ngrp)
		p->t_rx = sim_now_ms();
	while (p->bev == bev &&
	       (n = sim_next_msg(in, p->proto, pdu, &m, why, sizeof(why))) > 0)
		phone_msg(p, &m, pdu);
	if (p->bev == bev && n < 0)
		phone_disconnect(p, why, true);
}

static void send_register(struct phone *p)
{
	const struct opts *o = &p->s->o;
	struct sb_register r = {
		.name = p->sid,
		.station_ip = my_addr(p),
		.instance = 1,
		.device_type = o->device_type,
		.max_streams = 5,
		.proto = o->proto,
		.firmware = "pp-phone-sim",
	};
	uint8_t pdu[SB_MAX_PDU];

	memcpy(r.mac, p->mac, 6);
	send_pdu(p, pdu, sb_register(pdu, sizeof(pdu), 0,
				     sb_layout_for(o->proto), &r));
	p->st = P_REGISTERING;
}

/*
 * A handshake that failed on the server's certificate: said on a line
 * of its own, naming the certificate and why (a secure phone: not the
 * one its CTL lists). True when that was the failure.
 */
static bool tls_refused(struct phone *p, struct bufferevent *bev)
{
	char buf[400];
	const char *why = sim_tls_refused(bufferevent_openssl_get_ssl(bev), buf, sizeof(buf));

	if (!why)
		return false;
	sim_event("tls-refused", "sid=%s reason=\"%s %s\"", p->sid,
		  p->sec ? "the server's certificate is not the CCM certificate of the CTL:" :
		  "the server's certificate does not verify with --tls-ca:", why);
	return true;
}

static void phone_event(struct bufferevent *bev, short what, void *arg)
{
	struct phone *p = arg;
	char buf[128];
	const char *why;

	if (what & BEV_EVENT_CONNECTED) {
		if (local_of(bev, &p->local_ip, &p->local_port)) {
			phone_disconnect(p, "getsockname failed", true);
			return;
		}
		if (p->tls) {
			SSL *ssl = bufferevent_openssl_get_ssl(bev);

			sim_event("tls", "sid=%s version=%s cipher=%s verified=%s", p->sid,
				  SSL_get_version(ssl), SSL_get_cipher_name(ssl),
				  p->sec ? "ctl" : p->s->o.tls.ca ? "tls-ca" : "no");
		}
		send_register(p);
		return;
	}
	why = sim_conn_why(what, "closed by the server", buf, sizeof(buf));
	if (why && p->tls && tls_refused(p, bev)) {
		why = "TLS: the server's certificate refused";
	} else if (why && p->tls && *sim_tls_error(bev)) {
		snprintf(buf, sizeof(buf), "TLS: %s", sim_tls_error(bev));
		why = buf;
	}
	if (why)
		phone_disconnect(p, why, true);
}

/* ---- the standby connection (--servers; docs/sim.md "Failover") ---- */

static uint32_t grp_ip(const struct phone *p, unsigned int k)
{
	return p->s->o.grp_ip[k];
}

static uint16_t grp_port(const struct phone *p, unsigned int k)
{
	return p->s->o.grp_port[k];
}

/*
 * Close the standby connection (@why: say so). With @reopen, while the
 * phone is registered, the next member of the group gets one after
 * --retry seconds (2 with --retry 0).
 */
static void standby_close(struct phone *p, const char *why, bool reopen)
{
	struct timeval tv = { .tv_sec = p->s->o.retry ? p->s->o.retry : 2 };

	if (p->sb) {
		bufferevent_free(p->sb);
		p->sb = NULL;
	}
	p->sb_up = false;
	event_del(p->sb_timer);
	if (why)
		sim_event("standby-lost", "sid=%s server=%s index=%u reason=\"%s\"", p->sid,
			  sim_ipport(grp_ip(p, p->sb_srv), grp_port(p, p->sb_srv)),
			  p->sb_srv + 1, why);
	if (!reopen || p->s->stopping || p->st != P_REGISTERED)
		return;
	p->sb_srv = sim_group_next(p->s->o.ngrp, p->srv, p->sb_srv);
	event_add(p->sb_timer, &tv);
}

static void standby_keepalive(struct phone *p)
{
	struct timeval tv = { .tv_sec = p->sb_ka };
	uint8_t pdu[SB_MAX_PDU];

	bufferevent_write(p->sb, pdu, sb_keepalive_req(pdu, sizeof(pdu), 0));
	p->sb_unacked++;
	event_add(p->sb_timer, &tv);
}

/* Its KeepAlive timer, or (no connection) the time to open it again. */
static void standby_timer(evutil_socket_t fd, short what, void *arg)
{
	struct phone *p = arg;

	(void)fd;
	(void)what;
	if (!p->sb) {
		if (p->st == P_REGISTERED && !p->s->stopping)
			standby_open(p);
		return;
	}
	if (p->sb_unacked >= SIM_KA_MISSES) {
		standby_close(p, "3 KeepAlives unanswered", true);
		return;
	}
	standby_keepalive(p);
}

/* Only KeepAliveAcks matter before a Register; the rest is read and left. */
static void standby_read(struct bufferevent *bev, void *arg)
{
	struct phone *p = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	uint8_t pdu[SCCP_MAX_PDU];
	struct sccp_msg m;
	char why[96];
	int n;

	while (p->sb == bev && (n = sim_next_msg(in, 0, pdu, &m, why, sizeof(why))) > 0) {
		if (m.hdr.id != SCCP_KEEPALIVE_ACK)
			continue;
		p->sb_unacked = 0;
		if (!p->sb_up) {
			p->sb_up = true;
			if (!p->s->o.quiet)
				sim_event("standby", "sid=%s server=%s index=%u local=%s keepalive=%u",
					  p->sid, sim_ipport(grp_ip(p, p->sb_srv),
							     grp_port(p, p->sb_srv)),
					  p->sb_srv + 1,
					  sim_ipport(p->sb_local_ip, p->sb_local_port), p->sb_ka);
		}
	}
	if (p->sb == bev && n < 0)
		standby_close(p, why, true);
}

static void standby_event(struct bufferevent *bev, short what, void *arg)
{
	struct phone *p = arg;
	char buf[128];
	const char *why;

	if (what & BEV_EVENT_CONNECTED) {
		if (local_of(bev, &p->sb_local_ip, &p->sb_local_port)) {
			standby_close(p, "getsockname failed", true);
			return;
		}
		p->sb_unacked = 0;
		standby_keepalive(p);	/* at once: the standby is up when it is answered */
		return;
	}
	why = sim_conn_why(what, "closed by the server", buf, sizeof(buf));
	if (why)
		standby_close(p, why, true);
}

/* A TCP connection to member p->sb_srv, from the phone's address. */
static void standby_open(struct phone *p)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd;
	char why[128];

	fd = phone_socket(p);
	if (fd < 0)
		goto fail;
	p->sb = bufferevent_socket_new(p->s->loop.base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!p->sb)
		goto fail;
	fd = -1;
	p->sb_up = false;
	bufferevent_setcb(p->sb, standby_read, NULL, standby_event, p);
	bufferevent_enable(p->sb, EV_READ | EV_WRITE);
	sa.sin_addr.s_addr = grp_ip(p, p->sb_srv);
	sa.sin_port = htons(grp_port(p, p->sb_srv));
	if (bufferevent_socket_connect(p->sb, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return;
	standby_close(p, "connect failed", true);
	return;
fail:
	snprintf(why, sizeof(why), "socket: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	standby_close(p, why, true);
}

/*
 * The active connection is lost (closed, reset, or 3 KeepAlives
 * unanswered) and already closed; @was_reg: the phone was registered on
 * it. A standby that answers becomes the active connection and the phone
 * registers on it at once; else the phone tries the next member after
 * --retry seconds.
 */
static void group_next(struct phone *p, const char *why, bool was_reg)
{
	struct sim *s = p->s;
	struct timeval tv = { .tv_sec = s->o.retry };

	if (was_reg) {
		p->failing_over = true;
		p->lost_srv = p->srv;
		p->t_loss = sim_now_ms();
		p->t_loss_rx = p->t_rx;
		sim_event("failover", "sid=%s from=%s index=%u reason=\"%s\" standby=%s",
			  p->sid, sim_ipport(p->server_ip, p->server_port), p->srv + 1,
			  why ? why : "reset", p->sb_up ?
			  sim_ipport(grp_ip(p, p->sb_srv), grp_port(p, p->sb_srv)) : "none");
	}
	if (p->sb && p->sb_up) {
		event_del(p->sb_timer);
		p->bev = p->sb;
		p->sb = NULL;
		p->sb_up = false;
		p->srv = p->sb_srv;
		p->server_ip = grp_ip(p, p->srv);
		p->server_port = grp_port(p, p->srv);
		p->local_ip = p->sb_local_ip;
		p->local_port = p->sb_local_port;
		p->proto = 0;
		p->t_connect = sim_now_ms();
		p->t_rx = p->t_connect;
		bufferevent_setcb(p->bev, phone_read, NULL, phone_event, p);
		bufferevent_setwatermark(p->bev, EV_READ, 0, 65536);
		send_register(p);
		return;
	}
	standby_close(p, NULL, false);
	p->srv = sim_group_next(s->o.ngrp, p->srv, p->srv);
	p->server_ip = grp_ip(p, p->srv);
	p->server_port = grp_port(p, p->srv);
	if (!s->o.retry) {
		s->failed++;
		set_down(p);
		check_all_down(s);
		return;
	}
	event_add(p->timer, &tv);
}

/*
 * Close the connection (and the media). @why: print "disconnected";
 * @retry: reconnect after --retry seconds (when set).
 */
static void phone_disconnect(struct phone *p, const char *why, bool retry)
{
	struct sim *s = p->s;
	struct timeval tv = { .tv_sec = s->o.retry };
	bool was_reg = p->st == P_REGISTERED;
	unsigned int i;

	/*
	 * Call preservation (as Cisco phones): the connection to the
	 * CallManager is lost, not the call; the audio goes on.
	 */
	for (i = 0; i < s->o.max_streams; i++) {
		struct stream *t = &p->strm[i];

		if (why && s->o.preserve && t->live && !s->stopping) {
			if (!s->o.quiet)
				sim_event("media-preserved", "sid=%s ppid=%u", p->sid,
					  t->ppid);
		} else {
			stream_close(p, t, "disconnected");
		}
	}
	if (p->bev) {
		bufferevent_free(p->bev);
		p->bev = NULL;
	}
	event_del(p->timer);
	if (p->st == P_REGISTERED || p->st == P_UNREGISTERING)
		s->registered--;
	if (p->st == P_UNREGISTERING && s->unregistering &&
	    !--s->unregistering)
		event_base_loopexit(s->loop.base, NULL);
	if (why)
		sim_event("disconnected", "sid=%s reason=\"%s\"", p->sid, why);
	if (s->stopping || p->st == P_DOWN) {
		standby_close(p, NULL, false);
		set_down(p);
		return;
	}
	if (retry && s->o.ngrp) {
		p->st = P_RETRY;
		group_next(p, why, was_reg);
		return;
	}
	standby_close(p, NULL, false);
	if (retry && s->o.retry) {
		p->st = P_RETRY;
		event_add(p->timer, &tv);
		return;
	}
	if (retry) {
		s->failed++;
		set_down(p);
		check_all_down(s);
	} else {
		p->st = P_IDLE;
	}
}

static void tftp_done(void *arg, int err, const char *why, const uint8_t *data,
		      size_t len)
{
	struct phone *p = arg;
	char host[256];
	const char *w2 = NULL;
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
	struct addrinfo *ai = NULL;
	uint16_t port;
	uint32_t ip;
	struct timeval now = { 0 };

	p->tftp_err = err;
	if (err && p->s->o.secure)
		p->server_known = false;	/* a secure phone never falls back */
	if (!err && sim_cnf_callmanager(data, len, host, sizeof(host), &port, &w2)) {
		p->tftp_err = -EINVAL;
		why = w2;
	}
	if (!p->tftp_err && pp_parse_ipv4(host, &ip)) {
		if (getaddrinfo(host, NULL, &hints, &ai) || !ai) {
			p->tftp_err = -ENOENT;
			why = "processNodeName does not resolve";
		} else {
			ip = ((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr;
		}
		if (ai)
			freeaddrinfo(ai);
	}
	/*
	 * Encrypted mode: TLS to the file's SCCP port + 443 (docs/tftp.md),
	 * anchored on the CTL; a secure phone in another mode speaks plain.
	 */
	if (!p->tftp_err && p->sec && sim_secure_mode(p->sec) == 3)
		port += PP_SCCP_TLS_PORT_OFFSET;
	if (!p->tftp_err && p->sec)
		p->tls = p->s->tls && sim_secure_mode(p->sec) == 3;
	if (!p->tftp_err) {
		p->server_ip = ip;
		p->server_port = port;
		p->server_known = true;
		if (!p->s->o.quiet)
			sim_event("tftp", "sid=%s file=%s.cnf.xml bytes=%zu callmanager=%s",
				  p->sid, p->sid, len, sim_ipport(ip, port));
	} else {
		sim_event("tftp-failed", "sid=%s reason=\"%s\"%s", p->sid,
			  why ? why : "?", p->server_known ? " fallback=server" : "");
	}
	/* Free the transfer outside its own callback. */
	event_add(p->timer, &now);
}

static void phone_start(struct phone *p)
{
	struct sim *s = p->s;
	char file[40];
	int e;

	if (s->o.tftp) {
		snprintf(file, sizeof(file), "%s.cnf.xml", p->sid);
		if (s->o.secure)
			e = sim_secure_start(&p->sec, s->loop.base, p->bind_ip, s->o.tftp_ip,
					     s->o.tftp_port, p->sid, s->o.ctl_flash,
					     tftp_done, p);
		else
			e = tftpc_start(&p->tftp, s->loop.base, p->bind_ip, s->o.tftp_ip,
					s->o.tftp_port, file, 1000, 5, tftp_done, p);
		if (!e) {
			p->st = P_TFTP;
			return;
		}
		sim_event("tftp-failed", "sid=%s reason=\"%s\"", p->sid, strerror(-e));
		if (!p->server_known) {
			s->failed++;
			set_down(p);
			check_all_down(s);
			return;
		}
	}
	phone_connect(p);
}

static void phone_timer(evutil_socket_t fd, short what, void *arg)
{
	struct phone *p = arg;
	uint8_t pdu[SB_MAX_PDU];

	(void)fd;
	(void)what;
	switch (p->st) {
	case P_REGISTERED:
		if (p->s->o.ngrp && p->ka_unacked >= SIM_KA_MISSES) {
			phone_disconnect(p, "3 KeepAlives unanswered", true);
			break;
		}
		send_pdu(p, pdu, sb_keepalive_req(pdu, sizeof(pdu), p->hv));
		p->ka_sent++;
		p->ka_unacked++;
		keepalive_arm(p);
		break;
	case P_RETRY:
		phone_connect(p);
		break;
	case P_TFTP:
		tftpc_free(p->tftp);
		p->tftp = NULL;
		if (p->server_known) {
			phone_connect(p);
		} else {
			p->s->failed++;
			set_down(p);
			check_all_down(p->s);
		}
		break;
	default:
		break;
	}
}

static void phone_connect(struct phone *p)
{
	struct sim *s = p->s;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd;
	char why[128];

	p->st = P_CONNECTING;
	p->proto = 0;
	p->t_connect = sim_now_ms();
	fd = phone_socket(p);
	if (fd < 0)
		goto fail;
	if (p->tls) {
		/* Secure SCCP: TLS over this socket (CONNECTED after the handshake). */
		SSL *ssl = SSL_new(s->tls);

		if (ssl && p->sec &&
		    sim_tls_anchor(ssl, sim_secure_anchors(p->sec), why, sizeof(why))) {
			SSL_free(ssl);
			close(fd);
			phone_disconnect(p, why, true);
			return;
		}
		p->bev = ssl ? bufferevent_openssl_socket_new(s->loop.base, fd, ssl,
							       BUFFEREVENT_SSL_CONNECTING,
							       BEV_OPT_CLOSE_ON_FREE) : NULL;
		if (!p->bev)
			SSL_free(ssl);
	} else {
		p->bev = bufferevent_socket_new(s->loop.base, fd, BEV_OPT_CLOSE_ON_FREE);
	}
	if (!p->bev)
		goto fail;
	fd = -1;
	bufferevent_setcb(p->bev, phone_read, NULL, phone_event, p);
	bufferevent_setwatermark(p->bev, EV_READ, 0, 65536);
	bufferevent_enable(p->bev, EV_READ | EV_WRITE);
	sa.sin_addr.s_addr = p->server_ip;
	sa.sin_port = htons(p->server_port);
	if (bufferevent_socket_connect(p->bev, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return;
	phone_disconnect(p, "connect failed", true);
	return;
fail:
	snprintf(why, sizeof(why), "socket: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	phone_disconnect(p, why, true);
}

static void start_tick(evutil_socket_t fd, short what, void *arg)
{
	struct sim *s = arg;
	unsigned int k = s->o.rate ? (s->o.rate + 99) / 100 : s->n;

	(void)fd;
	(void)what;
	while (k-- && s->started < s->n && !s->stopping)
		phone_start(&s->phones[s->started++]);
	if (s->started == s->n)
		event_del(s->start_timer);
}

static void stop_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct sim *s = arg;

	(void)fd;
	(void)what;
	event_base_loopexit(s->loop.base, NULL);
}

/* Unregister everyone, wait up to 2 s for the acks. */
static void sim_stop(struct sim *s)
{
	struct timeval two = { .tv_sec = 2 };
	uint8_t pdu[SB_MAX_PDU];
	unsigned int i;

	if (s->stopping)
		return;
	s->stopping = true;
	for (i = 0; i < s->n; i++) {
		struct phone *p = &s->phones[i];

		standby_close(p, NULL, false);
		if (p->st == P_REGISTERED) {
			streams_close(p, "unregister");
			send_pdu(p, pdu, sb_unregister_req(pdu, sizeof(pdu), p->hv));
			event_del(p->timer);
			p->st = P_UNREGISTERING;
			s->unregistering++;
		} else if (p->st != P_UNREGISTERING) {
			phone_disconnect(p, NULL, false);
			if (p->tftp) {
				tftpc_free(p->tftp);
				p->tftp = NULL;
			}
		}
	}
	if (!s->unregistering)
		event_base_loopexit(s->loop.base, NULL);
	else
		event_add(s->stop_timer, &two);
}

/* SIGINT, SIGTERM, the end of --duration */
static void on_end(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sim_stop(arg);
}

/* The phones of the command line: --sid ... or --sid-base (and --count). */
struct phone_ids {
	const char **sid;		/* argc entries */
	unsigned int nsids;
	uint64_t base_mac;
	bool have_base;
	const char *ctl;		/* --ctl */
	struct sim_tls_opts *tls;
	unsigned int *attack;		/* --attack: SIM_ATK_* */
	struct opts *o;			/* --servers */
};

enum { O_SID, O_SID_BASE, O_CTL, O_ATTACK, O_SERVERS, O_TLS_CA, O_TLS_CERT,
       O_TLS_KEY, O_TLS_KEYLOG };

/* --attack replay,flip,wrong-key: each word once, at least one. */
static int parse_attack(const char *opt, const char *val, unsigned int *mask)
{
	static const struct { const char *word; unsigned int bit; } kinds[] = {
		{ "replay", SIM_ATK_REPLAY }, { "flip", SIM_ATK_FLIP },
		{ "wrong-key", SIM_ATK_WRONG_KEY },
	};
	const char *p = val, *e;
	unsigned int i, bit;

	*mask = 0;
	do {
		e = strchr(p, ',');
		if (!e)
			e = p + strlen(p);
		for (i = 0; i < 3; i++)
			if ((size_t)(e - p) == strlen(kinds[i].word) &&
			    !strncmp(p, kinds[i].word, (size_t)(e - p)))
				break;
		if (i == 3)
			return sim_bad_arg(opt, val, "not a list of replay, flip and wrong-key");
		bit = kinds[i].bit;
		if (*mask & bit)
			return sim_bad_arg(opt, val, "a kind given twice");
		*mask |= bit;
		p = e + 1;
	} while (*e);
	return 0;
}

static int own_opt(void *arg, const struct sim_opt *opt, const char *val)
{
	struct phone_ids *ids = arg;

	if (opt->id == O_ATTACK)
		return parse_attack(opt->name, val, ids->attack);
	if (opt->id == O_SERVERS) {
		const char *why;

		if (sim_parse_group(val, 2000, ids->o->grp_ip, ids->o->grp_port,
				    &ids->o->ngrp, &why))
			return sim_bad_arg(opt->name, val, why);
		return 0;
	}
	if (opt->id == O_CTL) {
		ids->ctl = val;
		return 0;
	}
	if (opt->id >= O_TLS_CA) {
		const char **f[] = { &ids->tls->ca, &ids->tls->cert, &ids->tls->key,
				     &ids->tls->keylog };

		if (!*val)
			return sim_bad_arg(opt->name, val, "an empty file name");
		*f[opt->id - O_TLS_CA] = val;
		return 0;
	}
	if (opt->id == O_SID) {
		if (!pp_sid_valid(val) || ids->have_base)
			return sim_bad_arg(opt->name, val, ids->have_base ?
					   "not with --sid-base" :
					   "not SEP followed by 12 hex digits");
		ids->sid[ids->nsids++] = val;
		return 0;
	}
	if (parse_sid(val, &ids->base_mac) || ids->nsids)
		return sim_bad_arg(opt->name, val, ids->nsids ? "not with --sid" :
				   "not SEP followed by 12 hex digits");
	ids->have_base = true;
	return 0;
}

static int parse_opts(struct opts *o, struct phone_ids *ids, int argc,
		      char **argv)
{
	static const char seconds[] =
		"not a number of seconds in 0..86400 (keepalive 1..)";
	static const struct sim_choice tls_versions[] = {
		{ "1.0", 10 }, { "1.2", 12 }, { NULL, 0 },
	};
	static const struct sim_choice smt_ack[] = {
		{ "auto", -1 }, { "yes", 1 }, { "no", 0 }, { NULL, 0 },
	};
	bool have_count = false, have_proto = false, have_every = false;
	unsigned int seq = 0;
	int layout = 0, tls = 0, rc;
	const struct sim_opt opts[] = {
		{ SIM_HOSTPORT("--server", &o->server_ip, &o->server_port, 2000),
		  .given = &o->have_server },
		{ SIM_HOSTPORT("--tftp", &o->tftp_ip, &o->tftp_port, 69),
		  .given = &o->tftp },
		{ SIM_OWN("--servers", O_SERVERS) },
		{ SIM_FLAG("--secure", &o->secure) },
		{ SIM_OWN("--ctl", O_CTL) },
		{ SIM_OWN("--sid", O_SID) },
		{ SIM_OWN("--sid-base", O_SID_BASE) },
		{ SIM_NUM("--count", &o->count, 1, MAX_PHONES), .given = &have_count },
		{ SIM_CHOICE("--layout", &layout, sim_layouts) },
		{ SIM_NUM("--proto", &o->proto, 1, 255), .given = &have_proto },
		{ SIM_FLAG("--hdr0", &o->hdr0) },
		{ SIM_ADDR("--bind", &o->bind_ip) },
		{ SIM_NUM("--bind-count", &o->bind_count, 1, 65536) },
		{ SIM_NUM("--sid-count", &o->sid_count, 1, MAX_PHONES) },
		{ SIM_ADDR("--announce", &o->announce) },
		{ SIM_EVEN_PORT("--rtp-port", &o->rtp_port, 1024, 65534) },
		{ SIM_NUM("--tx-port-offset", &o->tx_offset, 0, 32768) },
		{ SIM_NUM("--max-streams", &o->max_streams, 1, 1024) },
		{ SIM_SECONDS("--keepalive", &o->keepalive, 1, 86400), .why = seconds },
		{ SIM_NUM("--rate", &o->rate, 0, 1000000) },
		{ SIM_SECONDS("--duration", &o->duration, 0, 86400), .why = seconds },
		{ SIM_SECONDS("--retry", &o->retry, 0, 86400), .why = seconds },
		{ SIM_CHOICE("--smt-ack", &o->smt_ack, smt_ack) },
		{ SIM_U32("--device-type", &o->device_type) },
		{ SIM_FLAG("--quiet", &o->quiet) },
		{ SIM_FLAG("--preserve", &o->preserve) },
		{ SIM_FLAG("--print-keys", &o->print_keys) },
		{ SIM_FLAG("--ssrc-follow", &o->media.ssrc_follow) },
		{ SIM_NUM("--forge-orc-acks", &o->forge_orc_acks, 0, 100000) },
		{ SIM_OWN("--attack", O_ATTACK) },
		{ SIM_NUM("--attack-every", &o->media.attack_every, 1, 100000),
		  .given = &have_every },
		{ SIM_NUM("--rtp-seq", &seq, 0, 65535), .given = &o->media.fixed_seq },
		{ SIM_NUM("--rtcp", &o->media.rtcp_ms, 100, 60000),
		  .why = "not a number of milliseconds in 100..60000" },
		{ SIM_CHOICE("--tls", &tls, tls_versions) },
		{ SIM_OWN("--tls-ca", O_TLS_CA) },
		{ SIM_OWN("--tls-cert", O_TLS_CERT) },
		{ SIM_OWN("--tls-key", O_TLS_KEY) },
		{ SIM_OWN("--tls-keylog", O_TLS_KEYLOG) },
		{ .name = NULL },
	};
	const struct sim_cmdline cl = {
		.usage = usage,
		.operands = "options only",
		.opts = opts,
		.own = own_opt,
		.arg = ids,
	};

	ids->tls = &o->tls;
	ids->attack = &o->media.attack;
	ids->o = o;
	o->media.attack_every = 10;
	rc = sim_parse_cmdline(&cl, argc, argv);
	if (rc)
		return rc;
	o->media.seq = (uint16_t)seq;
	if (have_every && !o->media.attack) {
		fprintf(stderr, PROG ": --attack-every: needs --attack\n");
		return SIM_EXIT_USAGE;
	}
	o->tls.version = (unsigned int)tls;
	if (!tls && (o->tls.ca || o->tls.cert || o->tls.key || o->tls.keylog)) {
		fprintf(stderr, PROG ": --tls-ca, --tls-cert, --tls-key, --tls-keylog: need --tls\n");
		return SIM_EXIT_USAGE;
	}
	if (o->tls.key && !o->tls.cert) {
		fprintf(stderr, PROG ": --tls-key: needs --tls-cert\n");
		return SIM_EXIT_USAGE;
	}
	if (layout && !have_proto)
		o->proto = (unsigned int)layout;
	if (o->ngrp && (o->have_server || o->tftp || tls)) {
		fprintf(stderr, PROG ": --servers: not with --server, --tftp or --tls\n");
		return SIM_EXIT_USAGE;
	}
	if (o->ngrp) {		/* the group's first member is the server */
		o->have_server = true;
		o->server_ip = o->grp_ip[0];
		o->server_port = o->grp_port[0];
	}
	if (!o->have_server && !o->tftp) {
		fprintf(stderr, PROG ": --server or --tftp is required: where to register\n");
		return SIM_EXIT_USAGE;
	}
	o->ctl_flash = ids->ctl;
	if ((o->secure || o->ctl_flash) && !(o->secure && o->tftp)) {
		fprintf(stderr, PROG ": --secure needs --tftp, --ctl needs --secure\n");
		return SIM_EXIT_USAGE;
	}
	if (o->secure && o->tls.ca) {
		fprintf(stderr, PROG ": --tls-ca: not with --secure (the CTL's CCM certificates are the only trust anchors)\n");
		return SIM_EXIT_USAGE;
	}
	if (!ids->nsids && !ids->have_base) {
		fprintf(stderr, PROG ": --sid or --sid-base is required: which phones\n");
		return SIM_EXIT_USAGE;
	}
	if (have_count && ids->nsids) {
		fprintf(stderr, PROG ": --count: goes with --sid-base, not with --sid\n");
		return SIM_EXIT_USAGE;
	}
	if (ids->have_base && ids->base_mac + o->count - 1 > 0xffffffffffffULL) {
		fprintf(stderr, PROG ": --count: %u phones from --sid-base pass SEPFFFFFFFFFFFF\n",
			o->count);
		return SIM_EXIT_USAGE;
	}
	if (o->rtp_port &&
	    o->rtp_port + 2ULL * ((unsigned long long)o->count * o->max_streams - 1) +
	    o->tx_offset > 65535) {
		fprintf(stderr, PROG ": --rtp-port: %u + 2 x %u phones x %u streams (+ --tx-port-offset) pass 65535\n",
			o->rtp_port, o->count, o->max_streams);
		return SIM_EXIT_USAGE;
	}
	if (o->bind_count > 1 && !o->bind_ip) {
		fprintf(stderr, PROG ": --bind-count: needs --bind\n");
		return SIM_EXIT_USAGE;
	}
	if (o->sid_count && !ids->have_base) {
		fprintf(stderr, PROG ": --sid-count: needs --sid-base\n");
		return SIM_EXIT_USAGE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sim s;
	struct phone_ids ids = { 0 };
	unsigned int i, k;
	uint64_t mac = 0;
	struct timeval dur, tick = { .tv_usec = 10000 };
	unsigned long lim;
	int rc;

	sim_prog = PROG;
	memset(&s, 0, sizeof(s));
	s.o.proto = 17;
	s.o.smt_ack = -1;
	s.o.retry = 2;
	s.o.device_type = 115;
	s.o.count = 1;
	s.o.bind_count = 1;
	s.o.max_streams = 1;
	ids.sid = calloc((size_t)argc, sizeof(*ids.sid));
	if (!ids.sid)
		return SIM_EXIT_FAIL;
	rc = parse_opts(&s.o, &ids, argc, argv);
	if (rc) {
		free(ids.sid);
		return rc;
	}
	s.n = ids.nsids ? ids.nsids : s.o.count;
	s.o.count = s.n;
	pp_log_open(PROG, false);
	xmlInitParser();
	if (s.o.tls.version) {
		char err[512];

		/* The trust anchor: --tls-ca, or per phone the CTL's CCM
		 * certificates (--secure; phone_connect(), sim_tls_anchor()). */
		s.tls = sim_tls_ctx(&s.o.tls, err, sizeof(err));
		if (!s.tls) {
			fprintf(stderr, PROG ": %s\n", err);
			free(ids.sid);
			return SIM_EXIT_FAIL;
		}
	}
	/* a connection and, per stream, up to two RTP sockets (and RTCP) */
	lim = sim_raise_nofile((1 + 2UL * s.o.max_streams) * s.n + 64);
	if (lim < (1UL + s.o.max_streams) * s.n + 32)
		fprintf(stderr, PROG ": warning: only %lu file descriptors for %u phones\n",
			lim, s.n);
	s.phones = calloc(s.n, sizeof(*s.phones));
	s.streams = calloc((size_t)s.n * s.o.max_streams, sizeof(*s.streams));
	rc = SIM_EXIT_FAIL;
	if (sim_loop_open(&s.loop) || !s.phones || !s.streams) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	for (i = 0; i < s.n; i++) {
		struct phone *p = &s.phones[i];

		p->s = &s;
		p->idx = i;
		if (ids.nsids)
			parse_sid(ids.sid[i], &mac);
		else
			mac = ids.base_mac + (s.o.sid_count ? i % s.o.sid_count : i);
		sid_of(mac, p->sid, p->mac);
		k = i % s.o.bind_count;
		p->bind_ip = s.o.bind_ip ? ip_add(s.o.bind_ip, k) : 0;
		p->announce = s.o.announce ? ip_add(s.o.announce, k) : 0;
		p->server_ip = s.o.server_ip;
		p->server_port = s.o.server_port;
		p->server_known = s.o.have_server;
		p->tls = s.tls != NULL;	/* --secure: the verified file decides */
		p->strm = &s.streams[(size_t)i * s.o.max_streams];
		for (k = 0; k < s.o.max_streams; k++)
			sim_media_init(&p->strm[k].media);
		p->timer = event_new(s.loop.base, -1, 0, phone_timer, p);
		p->sb_timer = event_new(s.loop.base, -1, 0, standby_timer, p);
		if (!p->timer || !p->sb_timer) {
			fprintf(stderr, PROG ": out of memory\n");
			goto out;
		}
	}
	s.start_timer = event_new(s.loop.base, -1, EV_PERSIST, start_tick, &s);
	s.stop_timer = event_new(s.loop.base, -1, 0, stop_timeout, &s);
	if (!s.start_timer || !s.stop_timer ||
	    sim_loop_signals(&s.loop, on_end, &s) ||
	    event_add(s.start_timer, &tick)) {
		fprintf(stderr, PROG ": cannot set up the event loop\n");
		goto out;
	}
	if (s.o.duration) {
		dur.tv_sec = s.o.duration;
		dur.tv_usec = 0;
		event_base_once(s.loop.base, -1, EV_TIMEOUT, on_end, &s, &dur);
	}
	sim_event("start", "phones=%u first=%s layout=%s proto=%u%s server=%s tftp=%s",
		  s.n, s.phones[0].sid, sb_layout_for(s.o.proto) == SCCP_LAYOUT_V17 ?
		  "v17" : "old", s.o.proto, s.o.hdr0 ? " hdr0=1" : "",
		  s.o.have_server ? sim_ipport(s.o.server_ip, s.o.server_port) : "-",
		  s.o.tftp ? sim_ipport(s.o.tftp_ip, s.o.tftp_port) : "-");
	s.t0 = sim_now_ms();
	start_tick(-1, 0, &s);
	if (event_base_dispatch(s.loop.base) < 0) {
		fprintf(stderr, PROG ": event loop failed\n");
		goto out;
	}
	rc = s.exit_code;
	{
		uint64_t ka_sent = 0, ka_acked = 0;
		char tot[256];

		for (i = 0; i < s.n; i++) {
			struct phone *p = &s.phones[i];

			streams_close(p, "exit");
			ka_sent += p->ka_sent;
			ka_acked += p->ka_acked;
		}
		sim_totals_format(&s.totals, "", tot, sizeof(tot));
		sim_event("summary", "phones=%u ever_registered=%u registered=%u rejected=%u failed=%u failovers=%u keepalives=%llu keepalive_acks=%llu %s",
			  s.n, s.ever_registered, s.registered, s.rejected, s.failed,
			  s.failovers, (unsigned long long)ka_sent,
			  (unsigned long long)ka_acked, tot);
	}
out:
	if (s.phones) {
		for (i = 0; i < s.n; i++) {
			struct phone *p = &s.phones[i];

			for (k = 0; p->strm && k < s.o.max_streams; k++)
				sim_media_close(&p->strm[k].media);
			if (p->bev)
				bufferevent_free(p->bev);
			if (p->sb)
				bufferevent_free(p->sb);
			if (p->sb_timer)
				event_free(p->sb_timer);
			tftpc_free(p->tftp);
			sim_secure_free(p->sec);
			if (p->timer)
				event_free(p->timer);
		}
	}
	if (s.start_timer)
		event_free(s.start_timer);
	if (s.stop_timer)
		event_free(s.stop_timer);
	sim_loop_close(&s.loop);
	SSL_CTX_free(s.tls);
	free(s.phones);
	free(s.streams);
	free(ids.sid);
	xmlCleanupParser();
	return rc;
}
