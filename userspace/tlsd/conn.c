// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * One phone's secure SCCP connection: the limits checked at accept, the
 * TLS handshake under a deadline, the claim (PP_CMD_SCCP_CLAIM) that
 * hands the plaintext to the kernel's SCCP proxy, and the copy both ways
 * with bounded buffers (docs/secure-sccp.md).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>

#include "log.h"
#include "nl.h"
#include "tlsd.h"

struct conn {
	struct tlsd *d;
	struct bufferevent *tls, *south;
	struct event *timer;
	struct tlsd_addr *slot;
	uint32_t addr;
	uint16_t port;
	bool handshaking;	/* counted in d->handshaking */
	bool up;		/* connected to the CallManager */
	bool closing;		/* free once the other side's output drained */
};

static unsigned int bucket(uint32_t addr)
{
	return (addr * 2654435761u) >> 22;	/* 10 bits: TLSD_ADDR_BUCKETS */
}

static struct tlsd_addr *addr_get(struct tlsd *d, uint32_t addr)
{
	struct tlsd_addr **head = &d->addrs[bucket(addr)], *a;

	for (a = *head; a; a = a->next)
		if (a->addr == addr)
			return a;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->addr = addr;
	a->next = *head;
	*head = a;
	return a;
}

static void addr_put(struct tlsd *d, struct tlsd_addr *slot)
{
	struct tlsd_addr **p;

	if (--slot->n)
		return;
	for (p = &d->addrs[bucket(slot->addr)]; *p; p = &(*p)->next)
		if (*p == slot) {
			*p = slot->next;
			free(slot);
			return;
		}
}

static void conn_free(struct conn *c)
{
	struct tlsd *d = c->d;

	if (c->handshaking)
		d->handshaking--;
	if (c->timer)
		event_free(c->timer);
	if (c->tls)
		bufferevent_free(c->tls);
	if (c->south)
		bufferevent_free(c->south);
	addr_put(d, c->slot);
	d->conns--;
	d->st.closed++;
	free(c);
}

/* Why a TLS bufferevent failed: OpenSSL's errors are kept in it. */
static const char *ssl_reason(struct bufferevent *bev, short what)
{
	static char buf[256];
	unsigned long e = bufferevent_get_openssl_error(bev);

	ERR_clear_error();
	if (e) {
		ERR_error_string_n(e, buf, sizeof(buf));
		return buf;
	}
	if (what & BEV_EVENT_EOF)
		return "closed by the client";
	snprintf(buf, sizeof(buf), "%s", strerror(EVUTIL_SOCKET_ERROR()));
	return buf;
}

/* ---- copying ---- */

static void pump(struct conn *c, struct bufferevent *from, struct bufferevent *to)
{
	struct evbuffer *out = bufferevent_get_output(to);

	evbuffer_add_buffer(out, bufferevent_get_input(from));
	if (evbuffer_get_length(out) >= TLSD_HIGH_WATER) {
		/* Back-pressure: read on when half of it is written. */
		bufferevent_disable(from, EV_READ);
		bufferevent_setwatermark(to, EV_WRITE, TLSD_HIGH_WATER / 2, 0);
	}
	(void)c;
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	if (!c->up || c->closing)
		return;		/* kept (up to the read watermark) until connected */
	pump(c, bev, bev == c->tls ? c->south : c->tls);
}

static void on_write(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct bufferevent *other = bev == c->tls ? c->south : c->tls;

	if (c->closing) {
		if (!evbuffer_get_length(bufferevent_get_output(bev)))
			conn_free(c);
		return;
	}
	if (other && !(bufferevent_get_enabled(other) & EV_READ)) {
		bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
		bufferevent_enable(other, EV_READ);
	}
}

/* One side ended: write what the other still has to send, then close. */
static void drain_and_close(struct conn *c, struct bufferevent *ended)
{
	struct bufferevent *other = ended == c->tls ? c->south : c->tls;

	if (c->up && other)
		pump(c, ended, other);
	if (!c->up || !other || !evbuffer_get_length(bufferevent_get_output(other))) {
		conn_free(c);
		return;
	}
	c->closing = true;
	bufferevent_disable(ended, EV_READ | EV_WRITE);
	bufferevent_disable(other, EV_READ);
	bufferevent_setwatermark(other, EV_WRITE, 0, 0);
}

static void on_south_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	int err = EVUTIL_SOCKET_ERROR();

	if (what & BEV_EVENT_CONNECTED) {
		c->up = true;
		pp_info("Tls: %s:%u connected to its CallManager", tlsd_ip(c->addr), c->port);
		bufferevent_enable(bev, EV_READ);
		pump(c, c->tls, c->south);
		return;
	}
	if (!c->up) {
		c->d->st.ccm_failed++;
		pp_notice("Tls: %s:%u: cannot connect to the CallManager: %s", tlsd_ip(c->addr),
			  c->port, strerror(err));
		conn_free(c);
		return;
	}
	if ((what & BEV_EVENT_ERROR) && err == ECONNRESET) {
		/* The kernel's SCCP proxy refused the phone (SID, limits...). */
		c->d->st.reset++;
		pp_info("Tls: %s:%u reset by the SCCP proxy; closing the TLS connection",
			tlsd_ip(c->addr), c->port);
		conn_free(c);
		return;
	}
	drain_and_close(c, bev);
}

/* The handshake is done: claim the connection and connect to the CCM. */
static void handover(struct conn *c)
{
	struct tlsd *d = c->d;
	SSL *ssl = bufferevent_openssl_get_ssl(c->tls);
	X509 *peer = SSL_get1_peer_certificate(ssl);
	char dev[TLSD_DEVICE_LEN + 1];
	bool has_dev = !tlsd_cert_device(peer, dev);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t salen = sizeof(sa);
	uint32_t ccm_addr = 0;
	uint16_t ccm_port = 0;
	struct pp_nl *nl;
	int fd, rc;

	X509_free(peer);
	pp_info("Tls: %s:%u: %s %s, client certificate %s", tlsd_ip(c->addr), c->port,
		SSL_get_version(ssl), SSL_get_cipher_name(ssl), has_dev ? dev : "naming no device");
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	sa.sin_addr.s_addr = d->cfg.south_addr;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &salen)) {
		pp_warn("Tls: cannot bind a socket on the south address %s: %s",
			tlsd_ip(d->cfg.south_addr), strerror(errno));
		if (fd >= 0)
			close(fd);
		conn_free(c);
		return;
	}
	nl = pp_follow_nl(d->follow);
	rc = nl ? pp_nl_sccp_claim(nl, c->addr, c->port, ntohs(sa.sin_port),
				   has_dev ? dev : NULL, &ccm_addr, &ccm_port) : -ENOENT;
	if (rc) {
		d->st.claim_refused++;
		pp_notice("Tls: %s:%u: the SCCP proxy refused the connection: %s", tlsd_ip(c->addr),
			  c->port, nl ? pp_nl_error(nl) : "phoneproxy module not loaded");
		if (nl && rc != -EPERM && rc != -ENOENT && rc != -EBUSY && rc != -EEXIST &&
		    rc != -ENOSPC && rc != -ENETUNREACH && rc != -EINVAL)
			pp_follow_nl_reset(d->follow);
		close(fd);
		conn_free(c);
		return;
	}
	d->st.claimed++;
	c->south = bufferevent_socket_new(d->base, fd, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (!c->south) {
		close(fd);
		conn_free(c);
		return;
	}
	bufferevent_setcb(c->south, on_read, on_write, on_south_event, c);
	bufferevent_setwatermark(c->south, EV_READ, 0, TLSD_HIGH_WATER);
	sa.sin_addr.s_addr = ccm_addr;
	sa.sin_port = htons(ccm_port);
	if (bufferevent_socket_connect(c->south, (struct sockaddr *)&sa, sizeof(sa))) {
		d->st.ccm_failed++;
		conn_free(c);
	}
}

static void on_tls_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;

	if (what & BEV_EVENT_CONNECTED) {
		c->handshaking = false;
		c->d->handshaking--;
		c->d->st.handshakes++;
		event_del(c->timer);
		handover(c);
		return;
	}
	if (c->handshaking) {
		c->d->st.handshake_failed++;
		pp_info("Tls: %s:%u: handshake failed: %s", tlsd_ip(c->addr), c->port,
			ssl_reason(bev, what));
		conn_free(c);
		return;
	}
	ERR_clear_error();
	drain_and_close(c, bev);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)what;
	c->d->st.handshake_timeout++;
	pp_info("Tls: %s:%u: handshake not done within %u s; closed", tlsd_ip(c->addr), c->port,
		c->d->conf.handshake_timeout);
	conn_free(c);
}

/* May this address have a TLS handshake at all? Only an activated one
 * (any in open mode), as the north firewall says: never a ServerHello
 * to a stranger even if the firewall were open. */
static bool activated(struct tlsd *d, uint32_t addr)
{
	struct pp_user_state u;
	struct pp_nl *nl;
	int rc;

	if (d->cfg.act_mode == PP_ACT_MODE_OPEN)
		return true;
	nl = pp_follow_nl(d->follow);
	if (!nl)
		return false;
	rc = pp_user_get(nl, NULL, addr, &u);
	if (rc && rc != -ENOENT && rc != -EINVAL)
		pp_follow_nl_reset(d->follow);
	return !rc && u.active && u.addr == addr;
}

void tlsd_accept(struct tlsd *d, evutil_socket_t fd, uint32_t addr, uint16_t port)
{
	struct timeval tv = { .tv_sec = d->conf.handshake_timeout };
	struct tlsd_addr *slot;
	struct conn *c;
	SSL *ssl;

	if (d->conns >= d->conf.max_conns) {
		d->st.refused_conns++;
		pp_dbg("Tls: %s:%u refused: %u connections", tlsd_ip(addr), port, d->conns);
		goto refuse;
	}
	if (d->handshaking >= d->conf.max_handshakes) {
		d->st.refused_handshakes++;
		pp_dbg("Tls: %s:%u refused: %u handshakes in progress", tlsd_ip(addr), port,
		       d->handshaking);
		goto refuse;
	}
	slot = addr_get(d, addr);
	if (!slot)
		goto refuse;
	if (slot->n >= d->conf.max_conns_per_addr) {
		d->st.refused_addr++;
		pp_dbg("Tls: %s:%u refused: %u connections from that address", tlsd_ip(addr), port,
		       slot->n);
		slot->n++;
		addr_put(d, slot);
		goto refuse;
	}
	slot->n++;
	if (!activated(d, addr)) {
		d->st.refused_inactive++;
		pp_info("Tls: %s:%u refused: not an activated address", tlsd_ip(addr), port);
		addr_put(d, slot);
		goto refuse;
	}
	c = calloc(1, sizeof(*c));
	ssl = c ? SSL_new(d->ctx) : NULL;
	if (!ssl) {
		free(c);
		addr_put(d, slot);
		goto refuse;
	}
	c->d = d;
	c->slot = slot;
	c->addr = addr;
	c->port = port;
	d->conns++;
	d->st.accepted++;
	c->handshaking = true;
	d->handshaking++;
	c->tls = bufferevent_openssl_socket_new(d->base, fd, ssl, BUFFEREVENT_SSL_ACCEPTING,
						BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (!c->tls) {
		SSL_free(ssl);
		close(fd);
		conn_free(c);
		return;
	}
	c->timer = evtimer_new(d->base, on_deadline, c);
	if (!c->timer || evtimer_add(c->timer, &tv)) {
		conn_free(c);
		return;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(c->tls, 1);
	bufferevent_setcb(c->tls, on_read, on_write, on_tls_event, c);
	bufferevent_setwatermark(c->tls, EV_READ, 0, TLSD_HIGH_WATER);
	bufferevent_enable(c->tls, EV_READ | EV_WRITE);
	return;
refuse:
	close(fd);
}

void tlsd_stats_log(const struct tlsd *d)
{
	const struct tlsd_stats *s = &d->st;

	pp_notice("Tls: stats: open %u handshaking %u accepted %llu handshakes %llu claimed %llu "
		  "closed %llu refused: conns %llu peraddress %llu handshakes %llu inactive %llu; "
		  "handshake failed %llu timeout %llu; claim refused %llu ccm failed %llu reset %llu",
		  d->conns, d->handshaking, (unsigned long long)s->accepted,
		  (unsigned long long)s->handshakes, (unsigned long long)s->claimed,
		  (unsigned long long)s->closed, (unsigned long long)s->refused_conns,
		  (unsigned long long)s->refused_addr, (unsigned long long)s->refused_handshakes,
		  (unsigned long long)s->refused_inactive, (unsigned long long)s->handshake_failed,
		  (unsigned long long)s->handshake_timeout, (unsigned long long)s->claim_refused,
		  (unsigned long long)s->ccm_failed, (unsigned long long)s->reset);
}

void tlsd_stats_write(FILE *f, const struct tlsd *d)
{
	const struct tlsd_stats *s = &d->st;

	pp_ctl_stat(f, "accepted", s->accepted);
	pp_ctl_stat(f, "handshakes", s->handshakes);
	pp_ctl_stat(f, "handshake_failed", s->handshake_failed);
	pp_ctl_stat(f, "handshake_timeout", s->handshake_timeout);
	pp_ctl_stat(f, "claimed", s->claimed);
	pp_ctl_stat(f, "closed", s->closed);
	pp_ctl_stat(f, "refused_maxconnections", s->refused_conns);
	pp_ctl_stat(f, "refused_peraddress", s->refused_addr);
	pp_ctl_stat(f, "refused_maxhandshakes", s->refused_handshakes);
	pp_ctl_stat(f, "refused_not_activated", s->refused_inactive);
	pp_ctl_stat(f, "claim_refused", s->claim_refused);
	pp_ctl_stat(f, "ccm_connect_failed", s->ccm_failed);
	pp_ctl_stat(f, "reset_by_module", s->reset);
	pp_ctl_stat(f, "open", d->conns);
	pp_ctl_stat(f, "handshaking", d->handshaking);
	pp_ctl_stat_word(f, "listening", d->lis ? "yes" : "no");
}
