// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-ccm-sim: a CallManager for the tests and benchmarks. It accepts
 * registrations (optionally only from an allow-list), answers keepalives
 * and unregistrations, and puts registered phones in calls on command:
 * OpenReceiveChannel to both legs, then StartMediaTransmission to each
 * with the address the *other* leg announced in its OpenReceiveChannelAck
 * (as a real CallManager does, so behind a proxy it is the proxy's), and
 * Stop/Close on hangup. It can be the far end itself ("south phone"),
 * sending and checking RTP. Commands come from -e/--script, stdin or a
 * unix control socket (--client sends one); results are lines on stdout
 * (docs/sim.md). One libevent loop; thousands of phones.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "parse.h"
#include "simcore.h"

#define PROG		"pp-ccm-sim"
#define HASH_BITS	16
#define MAX_ARGS	8
#define SRTP_ALTERNATE	0x100	/* --srtp 32,80 */

struct call;
struct client;

struct dev {
	struct ccm *c;
	struct bufferevent *bev;
	char name[17];
	bool registered, closing;
	uint8_t phone_proto, proto;
	int layout;
	uint32_t hv;
	uint32_t peer_ip, local_ip, station_ip;
	uint16_t peer_port;
	uint64_t keepalives;
	TAILQ_HEAD(, leg) legs;		/* its calls' legs (calls N south K: K) */
	struct dev *hnext;
	TAILQ_ENTRY(dev) reg_link;	/* registered, in order */
	TAILQ_ENTRY(dev) all_link;	/* every connection */
};

struct leg {
	struct call *call;
	struct dev *dev;		/* NULL: the simulator's "south phone" */
	TAILQ_ENTRY(leg) dev_link;	/* in dev->legs */
	bool gone;			/* its phone disconnected (--preserve) */
	char name[17];			/* ... the phone's SID then */
	char peer[17];			/* south: the phone it talks to */
	uint32_t ppid;
	bool acked, started;
	uint32_t ip;			/* its receive address (ORC-Ack) */
	uint16_t port;
	struct sim_media media;		/* south only */
};

struct batch {
	struct ccm *c;
	struct client *cl;
	unsigned int total, up, failed;
	uint64_t t0;
	struct event *timer;
};

struct call {
	struct ccm *c;
	unsigned int id;
	uint32_t conf_id;
	struct leg leg[2];
	/* --srtp, phone to phone: what leg i sends with (its SMT), what
	 * the other leg receives with (its ORC) */
	struct sccp_media_key key[2];
	bool secure;
	bool up;
	unsigned int packet_ms;		/* --packet-ms, or the call command's */
	struct batch *batch;
	uint64_t t0;
	TAILQ_ENTRY(call) link;
};

enum ckind { CL_SCRIPT, CL_STDIN, CL_UNIX };
enum cwait { W_NONE, W_REGISTERED, W_SLEEP, W_BATCH };

struct client {
	struct ccm *c;
	enum ckind kind;
	struct bufferevent *bev;
	bool busy, eof;
	enum cwait wait;
	unsigned int want;
	struct event *timer, *kick;
	struct batch *batch;
	TAILQ_ENTRY(client) link;	/* all clients */
};

struct opts {
	uint32_t listen_ip;
	uint16_t listen_port;
	unsigned int max_proto;
	bool hdr0;
	char **allow;
	unsigned int nallow;
	unsigned int keepalive;
	const char *control;
	bool use_stdin;
	char **script;
	unsigned int nscript;
	uint32_t media_ip;
	unsigned int media_port;
	unsigned int tx_offset;
	unsigned int packet_ms;
	unsigned int codec;
	unsigned int call_timeout;
	bool early_smt;
	bool preserve;
	bool quiet;
	bool shared_sids;		/* a SID may be registered several times */
	int srtp;			/* enum sccp_key_alg of --srtp, 0 none,
					 * SRTP_ALTERNATE: _32 and _80 in turn */
	struct sim_media_opts media;	/* --rtcp: the south endpoint's */
};

struct ccm {
	struct sim_loop loop;
	struct opts o;
	struct evconnlistener *tcp, *unix_l;
	struct dev *hash[1 << HASH_BITS];
	TAILQ_HEAD(, dev) regs;
	TAILQ_HEAD(, dev) devs;
	TAILQ_HEAD(, call) calls;
	TAILQ_HEAD(, client) clients;
	unsigned int nregistered, ever_registered, rejected, ncalls, ncalls_up;
	unsigned int next_call, next_ppid, south_legs;
	uint64_t calls_total;
	struct sim_totals south;	/* the south legs that ended */
	struct client *script_cl;
	unsigned int script_pos;
	int exit_code;
	bool quitting;
};

static void call_teardown(struct call *k, const char *why);
static void dev_event(struct bufferevent *bev, short what, void *arg);
static void client_done(struct client *cl, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------------ */
/* Devices */

static unsigned int hash_name(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h & ((1u << HASH_BITS) - 1);
}

static struct dev *dev_find(struct ccm *c, const char *name)
{
	struct dev *d;

	for (d = c->hash[hash_name(name)]; d; d = d->hnext)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

static void dev_unhash(struct dev *d)
{
	struct dev **pp = &d->c->hash[hash_name(d->name)];

	while (*pp && *pp != d)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = d->hnext;
	d->hnext = NULL;
}

static void dev_send(struct dev *d, const uint8_t *pdu, size_t n)
{
	if (d && d->bev && !d->closing && n)
		bufferevent_write(d->bev, pdu, n);
}

static void dev_free(struct dev *d, const char *why)
{
	struct ccm *c = d->c;
	struct leg *l;

	while ((l = TAILQ_FIRST(&d->legs))) {
		if (!c->o.preserve || !l->call->up) {
			call_teardown(l->call, "disconnected");
			continue;
		}
		/*
		 * Call preservation: the phone's connection is lost, not
		 * the call; the other leg keeps its media until hangup.
		 */
		l->gone = true;
		memcpy(l->name, d->name, sizeof(l->name));
		l->dev = NULL;
		TAILQ_REMOVE(&d->legs, l, dev_link);
		if (!c->o.quiet)
			sim_event("call-preserved", "call=%u sid=%s", l->call->id,
				  d->name);
	}
	if (d->registered) {
		dev_unhash(d);
		TAILQ_REMOVE(&c->regs, d, reg_link);
		c->nregistered--;
		d->registered = false;
	}
	if (why && d->name[0])
		sim_event("disconnected", "sid=%s reason=\"%s\" registered=%u",
			  d->name, why, c->nregistered);
	TAILQ_REMOVE(&c->devs, d, all_link);
	if (d->bev)
		bufferevent_free(d->bev);
	free(d);
}

static bool allowed(const struct ccm *c, const char *name)
{
	unsigned int i;

	if (!c->o.nallow)
		return true;
	for (i = 0; i < c->o.nallow; i++)
		if (!strcasecmp(c->o.allow[i], name))
			return true;
	return false;
}

static void check_waiters(struct ccm *c)
{
	struct client *cl, *next;

	for (cl = TAILQ_FIRST(&c->clients); cl; cl = next) {
		next = TAILQ_NEXT(cl, link);
		if (cl->wait == W_REGISTERED && c->nregistered >= cl->want)
			client_done(cl, true, "registered=%u", c->nregistered);
	}
}

static void close_after_write(struct bufferevent *bev, void *arg)
{
	struct dev *d = arg;

	if (!evbuffer_get_length(bufferevent_get_output(bev)))
		dev_free(d, NULL);
}

/* RegisterReject, then close once it is written. */
static void reject(struct dev *d, const char *text, const char *why)
{
	struct ccm *c = d->c;
	uint8_t pdu[SB_MAX_PDU];

	c->rejected++;
	dev_send(d, pdu, sb_register_reject(pdu, sizeof(pdu), 0, text));
	sim_event("register-rejected", "sid=%s reason=\"%s\" peer=%s",
		  d->name[0] ? d->name : "-", why,
		  sim_ipport(d->peer_ip, d->peer_port));
	d->closing = true;
	d->name[0] = '\0';		/* no "disconnected" line */
	bufferevent_setcb(d->bev, NULL, close_after_write, dev_event, d);
	bufferevent_disable(d->bev, EV_READ);
}

static void on_register(struct dev *d, const struct sccp_msg *m)
{
	struct ccm *c = d->c;
	const struct sccp_ep *ep = m->n_ep && m->ep[0].role == SCCP_ROLE_STATION &&
				   m->ep[0].known ? &m->ep[0] : NULL;
	uint8_t pdu[SB_MAX_PDU];
	struct dev *old;

	if (d->registered)
		return;		/* a second Register on the connection */
	if (!(m->fields & SCCP_F_NAME) || !m->name[0]) {
		reject(d, "Error: no device name", "Register without a device name");
		return;
	}
	memcpy(d->name, m->name, sizeof(d->name));
	if (!allowed(c, d->name)) {
		reject(d, "Device not allowed", "not in the allow-list");
		return;
	}
	old = c->o.shared_sids ? NULL : dev_find(c, d->name);
	if (old)
		dev_free(old, "replaced by a new registration");
	d->phone_proto = m->fields & SCCP_F_PROTO ? m->proto : 0;
	d->proto = d->phone_proto < c->o.max_proto ? d->phone_proto :
						     c->o.max_proto;
	d->layout = sb_layout_for(d->proto);
	d->hv = sb_version_for(d->proto, c->o.hdr0);
	if (ep)
		memcpy(&d->station_ip, ep->val.ip, 4);
	/* chan-sccp: RegisterAck goes out with header version 0 */
	dev_send(d, pdu, sb_register_ack(pdu, sizeof(pdu), 0, c->o.keepalive,
					 2 * c->o.keepalive, d->proto));
	d->registered = true;
	d->hnext = c->hash[hash_name(d->name)];
	c->hash[hash_name(d->name)] = d;
	TAILQ_INSERT_TAIL(&c->regs, d, reg_link);
	c->nregistered++;
	c->ever_registered++;
	if (!c->o.quiet)
		sim_event("registered", "sid=%s proto=%u phone_proto=%u layout=%s hv=%u peer=%s station=%s registered=%u",
			  d->name, d->proto, d->phone_proto,
			  d->layout == SCCP_LAYOUT_V17 ? "v17" : "old", d->hv,
			  sim_ipport(d->peer_ip, d->peer_port),
			  sim_ip(d->station_ip), c->nregistered);
	check_waiters(c);
}

/* ------------------------------------------------------------------ */
/* Calls */

static const char *leg_name(const struct leg *l)
{
	if (l->gone)
		return l->name;
	return l->dev ? l->dev->name : "south";
}

static void media_of(const struct call *k, const struct leg *l,
		     struct sb_media *m)
{
	memset(m, 0, sizeof(*m));
	m->conf_id = k->conf_id;
	m->ppid = l->ppid;
	m->call_ref = k->conf_id;
	m->packet_ms = k->packet_ms;
	m->codec = k->c->o.codec;
	m->precedence = 0xb8;		/* DSCP EF */
}

static void south_report(struct leg *l, const char *end)
{
	char buf[2048];

	sim_media_format(&l->media, buf, sizeof(buf));
	sim_event("media-stats", "call=%u sid=south peer=%s ppid=%u end=%s %s",
		  l->call->id, l->peer, l->ppid, end, buf);
}

static void batch_check(struct batch *b)
{
	struct client *cl = b->cl;

	if (b->up + b->failed < b->total)
		return;
	event_free(b->timer);
	if (cl) {
		cl->batch = NULL;
		client_done(cl, !b->failed, "calls=%u up=%u failed=%u time_ms=%llu",
			    b->total, b->up, b->failed,
			    (unsigned long long)(sim_now_ms() - b->t0));
	}
	free(b);
}

/* Start the media of leg @i: its peer's address is known. */
static void leg_start(struct call *k, int i)
{
	struct ccm *c = k->c;
	struct leg *l = &k->leg[i], *o = &k->leg[!i];
	struct sb_media m;
	uint8_t pdu[SB_MAX_PDU];

	l->started = true;
	if (l->dev) {
		media_of(k, l, &m);
		m.ip = o->ip;
		m.port = o->port;
		if (k->secure)
			m.key = &k->key[i];
		dev_send(l->dev, pdu, sb_smt(pdu, sizeof(pdu), l->dev->hv,
					     l->dev->layout, &m));
		return;
	}
	sim_media_start(&l->media, o->ip, o->port,
			rtp_mix32(sim_random32() ^ l->ppid),
			sb_codec_pt(c->o.codec), k->packet_ms);
}

static void call_progress(struct call *k)
{
	struct ccm *c = k->c;
	int i;

	for (i = 0; i < 2; i++) {
		struct leg *l = &k->leg[i], *o = &k->leg[!i];

		if (!l->started && o->acked && (c->o.early_smt || l->acked))
			leg_start(k, i);
	}
	if (k->up || !k->leg[0].started || !k->leg[1].started)
		return;
	k->up = true;
	c->ncalls_up++;
	if (!c->o.quiet)
		sim_event("call-up", "call=%u a=%s b=%s a_rx=%s b_rx=%s time_ms=%llu",
			  k->id, leg_name(&k->leg[0]), leg_name(&k->leg[1]),
			  sim_ipport(k->leg[0].ip, k->leg[0].port),
			  sim_ipport(k->leg[1].ip, k->leg[1].port),
			  (unsigned long long)(sim_now_ms() - k->t0));
	if (k->batch) {
		k->batch->up++;
		batch_check(k->batch);
	}
}

/*
 * End the call: Stop and Close to the phones still connected, the south
 * leg's statistics. A call that never came up counts as failed.
 */
static void call_teardown(struct call *k, const char *why)
{
	struct ccm *c = k->c;
	struct batch *b = k->batch;
	bool was_up = k->up;
	struct sb_media m;
	uint8_t pdu[SB_MAX_PDU];
	int i;

	for (i = 0; i < 2; i++) {
		struct leg *l = &k->leg[i];

		if (l->dev) {
			media_of(k, l, &m);
			if (l->started)
				dev_send(l->dev, pdu, sb_stop_media(pdu, sizeof(pdu),
								    l->dev->hv, &m));
			dev_send(l->dev, pdu, sb_close_rx(pdu, sizeof(pdu),
							  l->dev->hv, &m));
			TAILQ_REMOVE(&l->dev->legs, l, dev_link);
		} else if (l->media.open) {
			sim_media_stop(&l->media);
			sim_totals_add(&c->south, &l->media);
			south_report(l, k->up ? "hangup" : "failed");
			sim_media_close(&l->media);
		}
	}
	TAILQ_REMOVE(&c->calls, k, link);
	c->ncalls--;
	if (k->up) {
		c->ncalls_up--;
		if (!c->o.quiet)
			sim_event("hangup", "call=%u reason=%s", k->id, why);
	} else {
		sim_event("call-failed", "call=%u a=%s b=%s reason=\"%s\"", k->id,
			  leg_name(&k->leg[0]), leg_name(&k->leg[1]), why);
	}
	free(k);
	if (b && !was_up) {
		b->failed++;
		batch_check(b);
	}
}

/*
 * The leg of @d a message from the phone is about: its passThruPartyId's;
 * without one, the first leg (@unacked: the first not acknowledged yet).
 */
static struct leg *dev_leg(struct dev *d, const struct sccp_msg *m,
			   bool unacked)
{
	struct leg *l;

	TAILQ_FOREACH(l, &d->legs, dev_link)
		if (m->fields & SCCP_F_PPID ? l->ppid == m->ppid :
		    !unacked || !l->acked)
			return l;
	return NULL;
}

static void on_orc_ack(struct dev *d, const struct sccp_msg *m)
{
	const struct sccp_ep *ep = sim_find_ep(m, SCCP_ROLE_MEDIA_RX);
	struct leg *l = dev_leg(d, m, true);
	char why[64];

	if (!l || l->acked) {
		sim_event("unexpected", "sid=%s msg=OpenReceiveChannelAck ppid=%u",
			  d->name, m->ppid);
		return;
	}
	if (m->status || !ep || !(ep->shape & SCCP_EP_PORT)) {
		snprintf(why, sizeof(why), "%s: OpenReceiveChannelAck status %u",
			 d->name, m->status);
		call_teardown(l->call, why);
		return;
	}
	memcpy(&l->ip, ep->val.ip, 4);
	l->port = (uint16_t)ep->val.port;
	l->acked = true;
	if (!d->c->o.quiet)
		sim_event("orc-ack", "call=%u sid=%s ppid=%u rx=%s", l->call->id,
			  d->name, l->ppid, sim_ipport(l->ip, l->port));
	call_progress(l->call);
}

static void on_smt_ack(struct dev *d, const struct sccp_msg *m)
{
	const struct sccp_ep *ep = sim_find_ep(m, SCCP_ROLE_MEDIA_TX);
	struct leg *l = dev_leg(d, m, false);
	uint32_t ip = 0;

	if (d->c->o.quiet)
		return;
	if (ep)
		memcpy(&ip, ep->val.ip, 4);
	sim_event("smt-ack", "call=%u sid=%s ppid=%u status=%u tx=%s",
		  l ? l->call->id : 0, d->name, m->ppid, m->status,
		  sim_ipport(ip, ep ? (uint16_t)ep->val.port : 0));
}

/* Fresh SRTP master keys and salts of both directions (kernel RNG). */
static int call_keys(struct call *k, int alg)
{
	int i;

	if (alg == SRTP_ALTERNATE)	/* odd calls _32, even ones _80 */
		alg = k->id % 2 ? SCCP_KEY_AES_CM_128_SHA1_32 :
				  SCCP_KEY_AES_CM_128_SHA1_80;

	for (i = 0; i < 2; i++) {
		struct sccp_media_key *key = &k->key[i];

		memset(key, 0, sizeof(*key));
		key->alg = (uint32_t)alg;
		key->key_len = SCCP_KEY_AES_CM_KEY;
		key->salt_len = SCCP_KEY_AES_CM_SALT;
		if (getrandom(key->key, key->key_len, 0) != key->key_len ||
		    getrandom(key->salt, key->salt_len, 0) != key->salt_len)
			return -1;
	}
	k->secure = true;
	return 0;
}

static struct call *call_new(struct ccm *c, struct dev *a, struct dev *b,
			     unsigned int packet_ms, unsigned int ssrc_ms,
			     struct batch *batch, char *err, size_t errlen)
{
	struct sim_media_opts mo = c->o.media;
	struct call *k = calloc(1, sizeof(*k));
	struct sb_media m;
	uint8_t pdu[SB_MAX_PDU];
	uint16_t port = 0;
	int i;

	if (!k) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	k->c = c;
	k->id = ++c->next_call;
	k->conf_id = 0x02000000u + k->id;
	k->batch = batch;
	k->packet_ms = packet_ms;
	k->t0 = sim_now_ms();
	k->leg[0].dev = a;
	k->leg[1].dev = b;
	for (i = 0; i < 2; i++) {
		k->leg[i].call = k;
		k->leg[i].ppid = 0x01000000u + ++c->next_ppid;
		sim_media_init(&k->leg[i].media);
	}
	/* A secure CallManager keys phone-to-phone calls (not the south) */
	if (c->o.srtp && b && call_keys(k, c->o.srtp)) {
		snprintf(err, errlen, "no random bytes for the SRTP keys");
		free(k);
		return NULL;
	}
	if (!b) {
		struct leg *s = &k->leg[1];

		if (c->o.media_port)
			port = (uint16_t)(c->o.media_port +
					  2 * (c->south_legs % 1000));
		if (sim_media_open(&s->media, c->loop.base,
				   c->o.media_ip ? c->o.media_ip : a->local_ip,
				   port, c->o.tx_offset, sb_codec_pt(c->o.codec),
				   k->packet_ms, err, errlen)) {
			free(k);
			return NULL;
		}
		mo.ssrc_ms = ssrc_ms;
		if (sim_media_set(&s->media, &mo, err, errlen)) {
			sim_media_close(&s->media);
			free(k);
			return NULL;
		}
		c->south_legs++;
		memcpy(s->peer, a->name, sizeof(s->peer));
		s->ip = s->media.ip;
		s->port = s->media.rx_port;
		s->acked = true;
	}
	TAILQ_INSERT_TAIL(&c->calls, k, link);
	c->ncalls++;
	c->calls_total++;
	for (i = 0; i < 2; i++) {
		struct leg *l = &k->leg[i], *o = &k->leg[!i];

		if (!l->dev)
			continue;
		TAILQ_INSERT_TAIL(&l->dev->legs, l, dev_link);
		media_of(k, l, &m);
		/* The far end as a hint: its station, the dummy port 4000. */
		m.ip = o->dev ? o->dev->peer_ip : o->ip;
		m.port = o->dev ? 4000 : o->port;
		if (k->secure)
			m.key = &k->key[!i];
		dev_send(l->dev, pdu, sb_orc(pdu, sizeof(pdu), l->dev->hv,
					     l->dev->layout, &m));
	}
	if (!c->o.quiet)
		sim_event("call", "call=%u a=%s b=%s a_ppid=%u b_ppid=%u media=%s packet_ms=%u",
			  k->id, leg_name(&k->leg[0]), leg_name(&k->leg[1]),
			  k->leg[0].ppid, k->leg[1].ppid,
			  k->secure ? sccp_key_alg_name(k->key[0].alg) : "plain",
			  k->packet_ms);
	if (c->o.early_smt)
		call_progress(k);
	return k;
}

static void batch_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct batch *b = arg;
	struct call *k, *next;
	struct ccm *c = b->c;

	(void)fd;
	(void)what;
	/* Teardown of the last one completes (and frees) the batch. */
	for (k = TAILQ_FIRST(&c->calls); k; k = next) {
		next = TAILQ_NEXT(k, link);
		if (k->batch == b && !k->up) {
			if (b->up + b->failed + 1 == b->total) {
				call_teardown(k, "timeout");
				return;
			}
			call_teardown(k, "timeout");
		}
	}
}

/* ------------------------------------------------------------------ */
/* The phones' connections */

static void dev_msg(struct dev *d, const struct sccp_msg *m)
{
	uint8_t pdu[SB_MAX_PDU];

	if (m->hdr.id == SCCP_REGISTER_REQ) {
		on_register(d, m);
		return;
	}
	if (!d->registered) {
		if (m->hdr.id == SCCP_KEEPALIVE_REQ)	/* before Register */
			dev_send(d, pdu, sb_keepalive_ack(pdu, sizeof(pdu), 0));
		return;
	}
	switch (m->hdr.id) {
	case SCCP_KEEPALIVE_REQ:
		d->keepalives++;
		dev_send(d, pdu, sb_keepalive_ack(pdu, sizeof(pdu), 0));
		break;
	case SCCP_UNREGISTER_REQ:
		while (!TAILQ_EMPTY(&d->legs))
			call_teardown(TAILQ_FIRST(&d->legs)->call, "unregistered");
		dev_send(d, pdu, sb_unregister_ack(pdu, sizeof(pdu), 0, 0));
		if (!d->c->o.quiet)
			sim_event("unregistered", "sid=%s registered=%u", d->name,
				  d->c->nregistered - 1);
		dev_unhash(d);
		TAILQ_REMOVE(&d->c->regs, d, reg_link);
		d->c->nregistered--;
		d->registered = false;
		break;
	case SCCP_OPEN_RECV_CHAN_ACK:
		on_orc_ack(d, m);
		break;
	case SCCP_START_MEDIA_TX_ACK:
		on_smt_ack(d, m);
		break;
	case SCCP_MEDIA_TX_FAILURE:
		sim_event("media-failure", "sid=%s ppid=%u", d->name, m->ppid);
		break;
	default:
		break;
	}
}

static void dev_read(struct bufferevent *bev, void *arg)
{
	struct dev *d = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	uint8_t pdu[SCCP_MAX_PDU];
	struct sccp_msg m;
	char why[96];
	int n = 0;

	while (!d->closing &&
	       (n = sim_next_msg(in, d->proto, pdu, &m, why, sizeof(why))) > 0)
		dev_msg(d, &m);
	if (!d->closing && n < 0)
		dev_free(d, why);
}

static void dev_event(struct bufferevent *bev, short what, void *arg)
{
	struct dev *d = arg;
	char buf[96];
	const char *why = sim_conn_why(what, "closed by the phone", buf,
				       sizeof(buf));

	(void)bev;
	if (why)
		dev_free(d, why);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd,
		      struct sockaddr *sa, int salen, void *arg)
{
	struct ccm *c = arg;
	struct sockaddr_in local;
	socklen_t len = sizeof(local);
	struct dev *d;

	(void)l;
	(void)salen;
	d = calloc(1, sizeof(*d));
	if (!d) {
		close(fd);
		return;
	}
	d->c = c;
	TAILQ_INIT(&d->legs);
	d->peer_ip = ((struct sockaddr_in *)sa)->sin_addr.s_addr;
	d->peer_port = ntohs(((struct sockaddr_in *)sa)->sin_port);
	if (!getsockname(fd, (struct sockaddr *)&local, &len))
		d->local_ip = local.sin_addr.s_addr;
	d->bev = bufferevent_socket_new(c->loop.base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!d->bev) {
		close(fd);
		free(d);
		return;
	}
	TAILQ_INSERT_TAIL(&c->devs, d, all_link);
	bufferevent_setcb(d->bev, dev_read, NULL, dev_event, d);
	bufferevent_setwatermark(d->bev, EV_READ, 0, 65536);
	bufferevent_enable(d->bev, EV_READ | EV_WRITE);
}

/* ------------------------------------------------------------------ */
/* Commands */

static void client_free(struct client *cl);
static void client_kick(evutil_socket_t fd, short what, void *arg);

static void client_write(struct client *cl, const char *line)
{
	if (cl->kind == CL_UNIX) {
		if (cl->bev) {
			bufferevent_write(cl->bev, line, strlen(line));
			bufferevent_write(cl->bev, "\n", 1);
		}
	} else {
		sim_event(line, NULL);
	}
}

/* The command's result; the client's next command runs from the loop. */
static void client_done(struct client *cl, bool ok, const char *fmt, ...)
{
	struct ccm *c = cl->c;
	char line[512];
	int n = 0;
	va_list ap;

	n = snprintf(line, sizeof(line), "%s", ok ? "ok" : "error");
	if (fmt && *fmt) {
		line[n++] = ' ';
		va_start(ap, fmt);
		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	client_write(cl, line);
	if (cl->timer)
		event_del(cl->timer);
	cl->wait = W_NONE;
	cl->busy = false;
	if (!ok && cl->kind == CL_SCRIPT) {
		fprintf(stderr, PROG ": script command %u failed: %s\n",
			c->script_pos, line);
		c->exit_code = SIM_EXIT_FAIL;
		event_base_loopexit(c->loop.base, NULL);
		return;
	}
	event_active(cl->kick, EV_TIMEOUT, 0);
}

static void client_timer(evutil_socket_t fd, short what, void *arg)
{
	struct client *cl = arg;

	(void)fd;
	(void)what;
	if (cl->wait == W_SLEEP)
		client_done(cl, true, NULL);
	else if (cl->wait == W_REGISTERED)
		client_done(cl, false, "timeout: registered=%u, waited for %u",
			    cl->c->nregistered, cl->want);
}

static int split(char *line, char **av)
{
	int n = 0;
	char *p = line, *save = NULL, *tok;

	while (n < MAX_ARGS && (tok = strtok_r(p, " \t\r", &save))) {
		av[n++] = tok;
		p = NULL;
	}
	return n;
}

static struct dev *idle_dev(struct ccm *c, const char *name, const char **why)
{
	struct dev *d = dev_find(c, name);

	if (!d)
		*why = "not registered";
	else if (!TAILQ_EMPTY(&d->legs))
		*why = "already in a call";
	return d && TAILQ_EMPTY(&d->legs) ? d : NULL;
}

static struct batch *batch_new(struct client *cl, unsigned int total)
{
	struct timeval tv = { .tv_sec = cl->c->o.call_timeout };
	struct batch *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->c = cl->c;
	b->cl = cl;
	b->total = total;
	b->t0 = sim_now_ms();
	b->timer = event_new(cl->c->loop.base, -1, 0, batch_timeout, b);
	if (!b->timer || event_add(b->timer, &tv)) {
		if (b->timer)
			event_free(b->timer);
		free(b);
		return NULL;
	}
	cl->batch = b;
	cl->wait = W_BATCH;
	return b;
}

static void cmd_call(struct client *cl, int ac, char **av)
{
	struct ccm *c = cl->c;
	struct dev *a, *b = NULL;
	const char *why = NULL;
	struct batch *bt;
	unsigned int ms = c->o.packet_ms, ssrc_ms = 0;
	uint64_t v;
	char err[160];

	if (ac < 3 || ac > 5) {
		client_done(cl, false, "usage: call SID SID|south [MS [SSRC_MS]]");
		return;
	}
	if (ac >= 4) {
		if (pp_parse_uint(av[3], 10, 60, &v)) {
			client_done(cl, false, "%s: not a packet time in 10..60 ms", av[3]);
			return;
		}
		ms = (unsigned int)v;
	}
	if (ac == 5) {
		if (strcmp(av[2], "south") ||
		    pp_parse_uint(av[4], 100, 3600000, &v)) {
			client_done(cl, false, "%s: %s", av[4],
				    strcmp(av[2], "south") ?
				    "an SSRC change is the south endpoint's" :
				    "not a number of milliseconds in 100..3600000");
			return;
		}
		ssrc_ms = (unsigned int)v;
	}
	a = idle_dev(c, av[1], &why);
	if (!a) {
		client_done(cl, false, "%s: %s", av[1], why);
		return;
	}
	if (strcmp(av[2], "south")) {
		b = idle_dev(c, av[2], &why);
		if (!b || b == a) {
			client_done(cl, false, "%s: %s", av[2],
				    b == a ? "the same phone twice" : why);
			return;
		}
	}
	bt = batch_new(cl, 1);
	if (!bt) {
		client_done(cl, false, "out of memory");
		return;
	}
	if (!call_new(c, a, b, ms, ssrc_ms, bt, err, sizeof(err))) {
		bt->cl = NULL;
		cl->batch = NULL;
		event_free(bt->timer);
		free(bt);
		client_done(cl, false, "%s", err);
	}
}

/*
 * open SID N: N OpenReceiveChannels to a registered phone outside any
 * call (each a new passThruPartyId, 20 ms G.711): channels the CallManager
 * opened, as a conference bridge or a transfer would, for the proxy's
 * per-activation stream limit. Closed by nothing but the connection's end.
 */
static void cmd_open(struct client *cl, int ac, char **av)
{
	struct ccm *c = cl->c;
	struct sb_media m;
	uint8_t pdu[SB_MAX_PDU];
	struct dev *d;
	uint64_t n, i;

	if (ac != 3 || pp_parse_uint(av[2], 1, 1000, &n)) {
		client_done(cl, false, "usage: open SID N (1..1000)");
		return;
	}
	d = dev_find(c, av[1]);
	if (!d) {
		client_done(cl, false, "%s: not registered", av[1]);
		return;
	}
	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		m.ppid = 0x02000000u + ++c->next_ppid;
		m.conf_id = m.ppid;
		m.call_ref = m.ppid;
		m.packet_ms = 20;
		m.codec = SB_CODEC_G711_ULAW;
		m.ip = d->peer_ip;
		m.port = 4000;
		dev_send(d, pdu, sb_orc(pdu, sizeof(pdu), d->hv, d->layout, &m));
	}
	client_done(cl, true, "opened=%u", (unsigned int)n);
}

/*
 * calls N [south] [K]: N calls between idle phones paired in registration
 * order, or (south) from idle phones to the south phone; K calls per
 * phone (per pair), default 1: each phone in K calls at once, each its
 * own passThruPartyId (the last phone or pair maybe in fewer).
 */
static void cmd_calls(struct client *cl, int ac, char **av)
{
	struct ccm *c = cl->c;
	bool south = ac >= 3 && !strcmp(av[2], "south");
	const char *per_arg = ac == 4 && south ? av[3] : ac == 3 && !south ? av[2] : NULL;
	unsigned int i, n, per, need, have = 0;
	struct dev *d, **pick;
	struct batch *bt;
	char err[160];
	uint64_t v, k = 1;

	if (ac < 2 || ac > 4 || (ac == 4 && !south) ||
	    pp_parse_uint(av[1], 1, 1000000, &v) ||
	    (per_arg && pp_parse_uint(per_arg, 1, 1024, &k))) {
		client_done(cl, false, "usage: calls N [south] [K] (K calls per phone, 1..1024)");
		return;
	}
	n = (unsigned int)v;
	per = (unsigned int)k;
	need = (south ? 1 : 2) * ((n + per - 1) / per);
	pick = calloc(need, sizeof(*pick));
	if (!pick) {
		client_done(cl, false, "out of memory");
		return;
	}
	TAILQ_FOREACH(d, &c->regs, reg_link) {
		if (have == need)
			break;
		if (TAILQ_EMPTY(&d->legs))
			pick[have++] = d;
	}
	if (have < need) {
		free(pick);
		client_done(cl, false, "%u idle registered phones, %u needed",
			    have, need);
		return;
	}
	bt = batch_new(cl, n);
	if (!bt) {
		free(pick);
		client_done(cl, false, "out of memory");
		return;
	}
	for (i = 0; i < n; i++) {
		struct dev *a = south ? pick[i / per] : pick[2 * (i / per)];
		struct dev *b = south ? NULL : pick[2 * (i / per) + 1];

		if (!call_new(c, a, b, c->o.packet_ms, 0, bt, err, sizeof(err))) {
			sim_event("call-failed", "a=%s b=%s reason=\"%s\"", a->name,
				  b ? b->name : "south", err);
			bt->failed++;
		}
	}
	free(pick);
	batch_check(bt);
}

static unsigned int hangup_all(struct ccm *c, const char *why)
{
	unsigned int n = 0;

	while (!TAILQ_EMPTY(&c->calls)) {
		call_teardown(TAILQ_FIRST(&c->calls), why);
		n++;
	}
	return n;
}

static void cmd_hangup(struct client *cl, int ac, char **av)
{
	struct ccm *c = cl->c;
	struct call *k;
	struct dev *d;
	uint64_t v;

	if (ac == 1 || (ac == 2 && !strcmp(av[1], "all"))) {
		client_done(cl, true, "hungup=%u", hangup_all(c, "hangup"));
		return;
	}
	if (ac != 2) {
		client_done(cl, false, "usage: hangup [all|CALL|SID]");
		return;
	}
	if (!pp_parse_uint(av[1], 1, UINT32_MAX, &v)) {
		TAILQ_FOREACH(k, &c->calls, link) {
			if (k->id == v) {
				call_teardown(k, "hangup");
				client_done(cl, true, "hungup=1");
				return;
			}
		}
		client_done(cl, false, "%s: no such call", av[1]);
		return;
	}
	d = dev_find(c, av[1]);
	if (!d || TAILQ_EMPTY(&d->legs)) {
		client_done(cl, false, "%s: %s", av[1], d ? "not in a call" :
			    "not registered");
		return;
	}
	/* every call of the phone */
	for (v = 0; !TAILQ_EMPTY(&d->legs); v++)
		call_teardown(TAILQ_FIRST(&d->legs)->call, "hangup");
	client_done(cl, true, "hungup=%u", (unsigned int)v);
}

static void cmd_stats(struct client *cl)
{
	struct ccm *c = cl->c;
	struct call *k;

	TAILQ_FOREACH(k, &c->calls, link)
		if (k->up && !k->leg[1].dev && !k->leg[1].gone)
			south_report(&k->leg[1], "running");
	client_done(cl, true, "registered=%u calls=%u up=%u calls_total=%llu",
		    c->nregistered, c->ncalls, c->ncalls_up,
		    (unsigned long long)c->calls_total);
}

static void quit_now(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopexit(arg, NULL);
}

static void cmd_wait(struct client *cl, int ac, char **av)
{
	struct timeval tv = { .tv_sec = 60 };
	uint64_t n, s = 60;

	if (ac < 3 || ac > 4 || strcmp(av[1], "registered") ||
	    pp_parse_uint(av[2], 0, 10000000, &n) ||
	    (ac == 4 && pp_parse_uint(av[3], 1, 86400, &s))) {
		client_done(cl, false, "usage: wait registered N [SECONDS]");
		return;
	}
	if (cl->c->nregistered >= n) {
		client_done(cl, true, "registered=%u", cl->c->nregistered);
		return;
	}
	cl->wait = W_REGISTERED;
	cl->want = (unsigned int)n;
	tv.tv_sec = (time_t)s;
	event_add(cl->timer, &tv);
}

static void run_cmd(struct client *cl, char *line)
{
	struct ccm *c = cl->c;
	char *av[MAX_ARGS];
	int ac = split(line, av);
	struct timeval tv;
	uint64_t v;

	cl->busy = true;
	if (ac == 0 || av[0][0] == '#') {
		cl->busy = false;
		event_active(cl->kick, EV_TIMEOUT, 0);
		return;
	}
	if (!strcmp(av[0], "call")) {
		cmd_call(cl, ac, av);
	} else if (!strcmp(av[0], "calls")) {
		cmd_calls(cl, ac, av);
	} else if (!strcmp(av[0], "hangup")) {
		cmd_hangup(cl, ac, av);
	} else if (!strcmp(av[0], "open")) {
		cmd_open(cl, ac, av);
	} else if (!strcmp(av[0], "wait")) {
		cmd_wait(cl, ac, av);
	} else if (!strcmp(av[0], "stats") && ac == 1) {
		cmd_stats(cl);
	} else if (!strcmp(av[0], "sleep") && ac == 2 &&
		   !pp_parse_uint(av[1], 0, 86400000, &v)) {
		tv.tv_sec = (time_t)(v / 1000);
		tv.tv_usec = (suseconds_t)(v % 1000) * 1000;
		cl->wait = W_SLEEP;
		event_add(cl->timer, &tv);
	} else if (!strcmp(av[0], "quit") && ac == 1) {
		tv.tv_sec = 0;
		tv.tv_usec = 100000;
		c->quitting = true;
		client_done(cl, true, "hungup=%u", hangup_all(c, "quit"));
		/* let the reply reach a control client first */
		event_base_once(c->loop.base, -1, EV_TIMEOUT, quit_now,
				c->loop.base, &tv);
	} else {
		client_done(cl, false, "unknown command \"%s\" (call, calls, hangup, wait, stats, sleep, quit)",
			    av[0]);
	}
}

static void client_kick(evutil_socket_t fd, short what, void *arg)
{
	struct client *cl = arg;
	struct ccm *c = cl->c;
	struct evbuffer *in;
	char *line;

	(void)fd;
	(void)what;
	if (cl->busy || c->quitting)
		return;
	if (cl->kind == CL_SCRIPT) {
		if (c->script_pos < c->o.nscript) {
			line = strdup(c->o.script[c->script_pos++]);
			if (line)
				run_cmd(cl, line);
			free(line);
		}
		return;
	}
	in = bufferevent_get_input(cl->bev);
	line = evbuffer_readln(in, NULL, EVBUFFER_EOL_LF);
	if (line) {
		run_cmd(cl, line);
		free(line);
		return;
	}
	if (cl->eof)
		client_free(cl);
}

static void client_read(struct bufferevent *bev, void *arg)
{
	(void)bev;
	client_kick(-1, 0, arg);
}

static void client_event(struct bufferevent *bev, short what, void *arg)
{
	struct client *cl = arg;

	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		cl->eof = true;
		if (!cl->busy)
			client_kick(-1, 0, cl);
	}
}

static struct client *client_new(struct ccm *c, enum ckind kind, int fd)
{
	struct client *cl = calloc(1, sizeof(*cl));

	if (!cl)
		return NULL;
	cl->c = c;
	cl->kind = kind;
	cl->timer = event_new(c->loop.base, -1, 0, client_timer, cl);
	cl->kick = event_new(c->loop.base, -1, 0, client_kick, cl);
	if (!cl->timer || !cl->kick)
		goto fail;
	if (kind != CL_SCRIPT) {
		cl->bev = bufferevent_socket_new(c->loop.base, fd,
						 kind == CL_UNIX ? BEV_OPT_CLOSE_ON_FREE : 0);
		if (!cl->bev)
			goto fail;
		bufferevent_setcb(cl->bev, client_read, NULL, client_event, cl);
		bufferevent_enable(cl->bev, EV_READ | EV_WRITE);
	}
	TAILQ_INSERT_TAIL(&c->clients, cl, link);
	return cl;
fail:
	if (cl->timer)
		event_free(cl->timer);
	if (cl->kick)
		event_free(cl->kick);
	free(cl);
	return NULL;
}

static void client_free(struct client *cl)
{
	if (cl->batch)
		cl->batch->cl = NULL;
	TAILQ_REMOVE(&cl->c->clients, cl, link);
	if (cl->bev)
		bufferevent_free(cl->bev);
	event_free(cl->timer);
	event_free(cl->kick);
	free(cl);
}

static void on_control(struct evconnlistener *l, evutil_socket_t fd,
		       struct sockaddr *sa, int salen, void *arg)
{
	(void)l;
	(void)sa;
	(void)salen;
	if (!client_new(arg, CL_UNIX, fd))
		close(fd);
}

/* ------------------------------------------------------------------ */
/* --client: send one command to a running simulator */

static int run_client(const char *path, int ac, char **av)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char line[1024], reply[2048];
	size_t n = 0, got = 0;
	ssize_t r;
	int fd, i;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, PROG ": --client: \"%s\": path too long\n", path);
		return SIM_EXIT_USAGE;
	}
	if (ac == 0) {
		fprintf(stderr, PROG ": --client: a command is required\n");
		return SIM_EXIT_USAGE;
	}
	for (i = 0; i < ac; i++) {
		int k = snprintf(line + n, sizeof(line) - n, "%s%s", i ? " " : "", av[i]);

		if (k < 0 || (size_t)k >= sizeof(line) - n - 1) {
			fprintf(stderr, PROG ": --client: command too long\n");
			return SIM_EXIT_USAGE;
		}
		n += (size_t)k;
	}
	line[n++] = '\n';
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, PROG ": --client: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return SIM_EXIT_FAIL;
	}
	if (write(fd, line, n) != (ssize_t)n) {
		fprintf(stderr, PROG ": --client: %s: %s\n", path, strerror(errno));
		close(fd);
		return SIM_EXIT_FAIL;
	}
	while (got < sizeof(reply) - 1) {
		r = read(fd, reply + got, sizeof(reply) - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
		if (memchr(reply, '\n', got))
			break;
	}
	close(fd);
	reply[got] = '\0';
	if (!got) {
		fprintf(stderr, PROG ": --client: %s: no reply\n", path);
		return SIM_EXIT_FAIL;
	}
	fputs(reply, stdout);
	return strncmp(reply, "ok", 2) ? SIM_EXIT_FAIL : SIM_EXIT_OK;
}

/* ------------------------------------------------------------------ */

static const char usage[] =
"usage: " PROG " [options]            run the CallManager\n"
"       " PROG " --client PATH CMD...  send one command to a running one\n"
"  --listen ADDR[:PORT]   SCCP listener (default 0.0.0.0:2000)\n"
"  --layout old|v17       highest protocol: 11 (old) or 17 (v17; default)\n"
"  --proto N              highest protocol N (1..255) instead\n"
"  --hdr0                 header version 0 on every message (as Asterisk)\n"
"  --allow SID            register only these (repeatable)\n"
"  --allow-file FILE      ... or the SIDs of FILE (one a line, # comments)\n"
"  --keepalive S          RegisterAck keepalive interval (default 30)\n"
"  --control PATH         unix socket for commands\n"
"  --stdin                read commands from stdin\n"
"  -e, --exec CMD         run CMD (repeatable, in order; a failure exits 1)\n"
"  --script FILE          run FILE's commands\n"
"  --media-addr ADDR      the south phone's RTP address (default: the address\n"
"                         the phone reached us at)\n"
"  --media-port N         ... its first RTP port (default: any)\n"
"  --tx-port-offset N     ... it sends from the receive port + N\n"
"  --rtcp MS              ... and an RTCP sender report every MS ms, from and\n"
"                         on its port + 1 (pp-phone-sim --rtcp)\n"
"  --packet-ms N          packet time in OpenReceiveChannel/SMT (default 20)\n"
"  --codec N              compressionType (default 4, G.711 mu-law; 2 A-law)\n"
"  --call-timeout S       a call not up after S seconds fails (default 10)\n"
"  --early-smt            StartMediaTransmission as soon as the other leg's\n"
"                         address is known (before this leg's own ack)\n"
"  --preserve             call preservation: a phone that disconnects during a\n"
"                         call leaves it up (the other leg's media goes on)\n"
"  --quiet                no line per phone or call, only failures and totals\n"
"  --shared-sids          a second registration of a SID keeps the first (scale\n"
"                         tests: several connections of one activation; commands\n"
"                         naming a SID find the latest)\n"
"  --srtp 32|80|32,80     a secure CallManager: fresh SRTP keys in the ORC and\n"
"                         SMT of phone-to-phone calls (AES_CM_128_HMAC_SHA1_32,\n"
"                         _80, or both in turn); calls with the south phone\n"
"                         stay plain\n"
"Commands: call SID SID|south [MS], calls N [south] [K], hangup [all|CALL|SID],\n"
"wait registered N [S], stats, sleep MS, quit. Output: docs/sim.md.\n";

static int add_line(char ***v, unsigned int *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -1;
	*v = nv;
	nv[*n] = strdup(s);
	if (!nv[*n])
		return -1;
	(*n)++;
	return 0;
}

/* Lines of @path: SIDs (--allow-file) or commands (--script). */
static int read_lines(const char *opt, const char *path, bool sids, char ***v,
		      unsigned int *n)
{
	FILE *f = fopen(path, "r");
	char buf[1024], *p, *e;
	unsigned int lineno = 0;

	if (!f) {
		fprintf(stderr, PROG ": %s: \"%s\": %s\n", opt, path, strerror(errno));
		return SIM_EXIT_USAGE;
	}
	while (fgets(buf, sizeof(buf), f)) {
		lineno++;
		for (p = buf; *p == ' ' || *p == '\t'; p++)
			;
		e = p + strlen(p);
		while (e > p && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' ||
				 e[-1] == '\t'))
			*--e = '\0';
		if (!*p || *p == '#')
			continue;
		if (sids && !pp_sid_valid(p)) {
			fprintf(stderr, PROG ": %s: %s:%u: \"%s\": not SEP followed by 12 hex digits\n",
				opt, path, lineno, p);
			fclose(f);
			return SIM_EXIT_USAGE;
		}
		if (add_line(v, n, p)) {
			fclose(f);
			return SIM_EXIT_FAIL;
		}
	}
	fclose(f);
	return 0;
}

enum { O_ALLOW, O_ALLOW_FILE, O_CONTROL, O_EXEC, O_SCRIPT };

/* The options that fill lists or name a socket (sim_cmdline.own). */
static int own_opt(void *arg, const struct sim_opt *opt, const char *val)
{
	struct opts *o = arg;

	switch (opt->id) {
	case O_ALLOW:
		if (!pp_sid_valid(val))
			return sim_bad_arg(opt->name, val, "not SEP followed by 12 hex digits");
		return add_line(&o->allow, &o->nallow, val) ? SIM_EXIT_FAIL : 0;
	case O_ALLOW_FILE:
		return read_lines(opt->name, val, true, &o->allow, &o->nallow);
	case O_CONTROL:
		if (strlen(val) >= sizeof(((struct sockaddr_un *)0)->sun_path))
			return sim_bad_arg(opt->name, val, "path too long for a unix socket");
		o->control = val;
		return 0;
	case O_EXEC:
		return add_line(&o->script, &o->nscript, val) ? SIM_EXIT_FAIL : 0;
	case O_SCRIPT:
		return read_lines(opt->name, val, false, &o->script, &o->nscript);
	}
	return 0;
}

static const struct sim_choice srtp_suites[] = {
	{ "32", SCCP_KEY_AES_CM_128_SHA1_32 },
	{ "80", SCCP_KEY_AES_CM_128_SHA1_80 },
	{ "32,80", SRTP_ALTERNATE },
	{ NULL, 0 },
};

static int parse_opts(struct opts *o, int argc, char **argv)
{
	bool have_proto = false;
	int layout = 0, rc;
	const struct sim_opt opts[] = {
		{ SIM_HOSTPORT("--listen", &o->listen_ip, &o->listen_port, 2000) },
		{ SIM_CHOICE("--layout", &layout, sim_layouts) },
		{ SIM_NUM("--proto", &o->max_proto, 1, 255), .given = &have_proto },
		{ SIM_FLAG("--hdr0", &o->hdr0) },
		{ SIM_OWN("--allow", O_ALLOW) },
		{ SIM_OWN("--allow-file", O_ALLOW_FILE) },
		{ SIM_SECONDS("--keepalive", &o->keepalive, 1, 3600) },
		{ SIM_OWN("--control", O_CONTROL) },
		{ SIM_FLAG("--stdin", &o->use_stdin) },
		{ SIM_OWN("--exec", O_EXEC), .letter = 'e' },
		{ SIM_OWN("--script", O_SCRIPT) },
		{ SIM_ADDR("--media-addr", &o->media_ip) },
		{ SIM_EVEN_PORT("--media-port", &o->media_port, 1024, 63534) },
		{ SIM_NUM("--tx-port-offset", &o->tx_offset, 0, 32768) },
		{ SIM_NUM("--rtcp", &o->media.rtcp_ms, 100, 60000),
		  .why = "not a number of milliseconds in 100..60000" },
		{ SIM_NUM("--packet-ms", &o->packet_ms, 10, 60) },
		{ SIM_U32("--codec", &o->codec) },
		{ SIM_SECONDS("--call-timeout", &o->call_timeout, 1, 3600) },
		{ SIM_FLAG("--early-smt", &o->early_smt) },
		{ SIM_FLAG("--quiet", &o->quiet) },
		{ SIM_FLAG("--preserve", &o->preserve) },
		{ SIM_FLAG("--shared-sids", &o->shared_sids) },
		{ SIM_CHOICE("--srtp", &o->srtp, srtp_suites) },
		{ .name = NULL },
	};
	const struct sim_cmdline cl = {
		.usage = usage,
		.operands = "commands go after -e, or to --client",
		.opts = opts,
		.own = own_opt,
		.arg = o,
	};

	rc = sim_parse_cmdline(&cl, argc, argv);
	if (!rc && layout && !have_proto)
		o->max_proto = (unsigned int)layout;
	return rc;
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct ccm *c = arg;

	(void)sig;
	(void)what;
	hangup_all(c, "signal");
	event_base_loopexit(c->loop.base, NULL);
}

static int listen_control(struct ccm *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memcpy(sa.sun_path, c->o.control, strlen(c->o.control) + 1);
	unlink(c->o.control);
	c->unix_l = evconnlistener_new_bind(c->loop.base, on_control, c,
					    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
					    16, (struct sockaddr *)&sa, sizeof(sa));
	if (!c->unix_l) {
		fprintf(stderr, PROG ": --control: \"%s\": %s\n", c->o.control,
			strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct ccm *c;
	char tot[256];
	unsigned int i;
	int rc;

	sim_prog = PROG;
	if (argc >= 2 && !strcmp(argv[1], "--client")) {
		if (argc >= 3)
			return run_client(argv[2], argc - 3, argv + 3);
		fputs(usage, stderr);
		return SIM_EXIT_USAGE;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return SIM_EXIT_FAIL;
	TAILQ_INIT(&c->regs);
	TAILQ_INIT(&c->devs);
	TAILQ_INIT(&c->calls);
	TAILQ_INIT(&c->clients);
	c->o.listen_port = 2000;
	c->o.max_proto = 17;
	c->o.keepalive = 30;
	c->o.packet_ms = 20;
	c->o.codec = SB_CODEC_G711_ULAW;
	c->o.call_timeout = 10;
	rc = parse_opts(&c->o, argc, argv);
	if (rc)
		goto free_opts;
	rc = SIM_EXIT_FAIL;
	if (sim_loop_open(&c->loop))
		goto out;
	sim_raise_nofile(1UL << 20);
	sa.sin_addr.s_addr = c->o.listen_ip;
	sa.sin_port = htons(c->o.listen_port);
	c->tcp = evconnlistener_new_bind(c->loop.base, on_accept, c,
					 LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE |
					 LEV_OPT_CLOSE_ON_EXEC, 4096,
					 (struct sockaddr *)&sa, sizeof(sa));
	if (!c->tcp) {
		fprintf(stderr, PROG ": --listen %s: %s\n",
			sim_ipport(c->o.listen_ip, c->o.listen_port), strerror(errno));
		goto out;
	}
	if (c->o.control && listen_control(c))
		goto out;
	if (c->o.use_stdin && !client_new(c, CL_STDIN, 0)) {
		fprintf(stderr, PROG ": --stdin: cannot read commands from stdin (a pipe or terminal is needed)\n");
		goto out;
	}
	if (c->o.nscript) {
		c->script_cl = client_new(c, CL_SCRIPT, -1);
		if (!c->script_cl)
			goto out;
		event_active(c->script_cl->kick, EV_TIMEOUT, 0);
	}
	if (sim_loop_signals(&c->loop, on_signal, c))
		goto out;
	sim_event("listening", "addr=%s proto=%u layout=%s%s control=%s",
		  sim_ipport(c->o.listen_ip, c->o.listen_port), c->o.max_proto,
		  sb_layout_for(c->o.max_proto) == SCCP_LAYOUT_V17 ? "v17" : "old",
		  c->o.hdr0 ? " hdr0=1" : "", c->o.control ? c->o.control : "-");
	if (event_base_dispatch(c->loop.base) < 0)
		goto out;
	hangup_all(c, "exit");
	sim_totals_format(&c->south, "south_", tot, sizeof(tot));
	sim_event("summary", "registered=%u ever_registered=%u rejected=%u calls_total=%llu %s",
		  c->nregistered, c->ever_registered, c->rejected,
		  (unsigned long long)c->calls_total, tot);
	rc = c->exit_code;
out:
	hangup_all(c, "exit");
	while (!TAILQ_EMPTY(&c->clients))
		client_free(TAILQ_FIRST(&c->clients));
	while (!TAILQ_EMPTY(&c->devs))
		dev_free(TAILQ_FIRST(&c->devs), NULL);
	if (c->tcp)
		evconnlistener_free(c->tcp);
	if (c->unix_l) {
		evconnlistener_free(c->unix_l);
		unlink(c->o.control);
	}
	sim_loop_close(&c->loop);
free_opts:
	for (i = 0; i < c->o.nallow; i++)
		free(c->o.allow[i]);
	free(c->o.allow);
	for (i = 0; i < c->o.nscript; i++)
		free(c->o.script[i]);
	free(c->o.script);
	free(c);
	return rc;
}
