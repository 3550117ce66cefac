// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The file cache and the TFTP client that fills it from a CallManager.
 *
 * An entry is keyed by (CallManager, file name). While its fetch runs,
 * everyone asking for the same file joins it (1,000 phones booting at
 * once cause one fetch); a complete entry is kept for cache timeout. With
 * cache timeout 0 nothing is shared: every request fetches its own copy.
 *
 * The fetch: RRQ from the south address with blksize and tsize=0, the
 * CallManager's OACK or DATA 1 fixes its transfer ID, every DATA is
 * acknowledged, duplicates are acknowledged again, a timeout resends
 * the last packet with back-off. No answer to the RRQ within
 * upstream timeout, an ICMP unreachable, an ERROR, or a file larger than
 * maxfilesize ends the fetch with an error the phone is given.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "tftpd.h"

struct upstream {
	struct centry *e;
	int fd;
	struct event *ev;
	struct event *timer;
	struct sockaddr_in peer;	/* the CallManager; port 69 until locked */
	bool locked;			/* its transfer ID is known */
	bool with_opts;			/* our RRQ carries options */
	bool dally;			/* done: only re-acknowledge the last DATA */
	uint16_t blksize;		/* in effect */
	uint16_t asked_blksize;
	uint16_t expect;		/* next DATA block number */
	unsigned int tries;		/* sends of the current packet */
	unsigned int rto_ms;
	uint64_t deadline_ms;		/* for the first answer */
	unsigned char pkt[TFTP_REQUEST_MAX];
	size_t pkt_len;
	unsigned char *rbuf;
	size_t rbuf_len;
};

static int key_cmp(const void *a, const void *b)
{
	const struct centry *x = a, *y = b;

	if (x->cm != y->cm)
		return x->cm < y->cm ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void unindex(struct centry *e)
{
	struct tftpd *d = e->d;

	if (!e->indexed)
		return;
	tdelete(e, &d->cache, key_cmp);
	if (e->state == CE_DONE) {
		TAILQ_REMOVE(&d->lru, e, lru);
		d->cache_bytes -= e->len;
	}
	d->cache_entries--;
	e->indexed = false;
	cache_put(e);
}

static void upstream_close(struct upstream *up);

void cache_put(struct centry *e)
{
	if (--e->refs > 0)
		return;
	free(e->name);
	free(e->data);
	free(e);
}

void cache_listen(struct centry *e, struct listener *l)
{
	if (l->linked)
		return;
	TAILQ_INSERT_TAIL(&e->listeners, l, link);
	l->linked = true;
}

void cache_unlisten(struct centry *e, struct listener *l)
{
	if (!l->linked)
		return;
	TAILQ_REMOVE(&e->listeners, l, link);
	l->linked = false;
}

/* Tell everyone listening; each callback runs once and may re-listen. */
static void notify(struct centry *e)
{
	struct listener_list now = TAILQ_HEAD_INITIALIZER(now);
	struct listener *l;

	e->refs++;	/* a callback may drop the last other reference */
	TAILQ_CONCAT(&now, &e->listeners, link);
	while ((l = TAILQ_FIRST(&now))) {
		TAILQ_REMOVE(&now, l, link);
		l->linked = false;
		l->fn(l, e);
	}
	cache_put(e);
}

static void fail(struct centry *e, enum centry_fail why, uint16_t code,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void fail(struct centry *e, enum centry_fail why, uint16_t code,
		 const char *fmt, ...)
{
	struct tftpd *d = e->d;
	va_list ap;

	if (e->state != CE_FETCHING)
		return;
	e->refs++;	/* unindexing and closing drop references */
	e->state = CE_FAILED;
	e->fail = why;
	e->err_code = code;
	va_start(ap, fmt);
	vsnprintf(e->err_msg, sizeof(e->err_msg), fmt, ap);
	va_end(ap);
	switch (why) {
	case CE_FAIL_ERROR:
		d->stats.upstream_errors++;
		break;
	case CE_FAIL_TIMEOUT:
		d->stats.upstream_timeouts++;
		break;
	case CE_FAIL_UNREACHABLE:
		d->stats.upstream_unreachable++;
		break;
	case CE_FAIL_TOO_LARGE:
		d->stats.upstream_too_large++;
		break;
	case CE_FAIL_PROTOCOL:
		d->stats.upstream_protocol++;
		break;
	default:
		break;
	}
	pp_notice("Tftp: CallManager %s, file %s: %s", tftpd_ip(e->cm), e->name,
		  e->err_msg);
	/* A failure is never cached: the next request asks again. */
	if (e->indexed)
		unindex(e);
	if (e->up)
		upstream_close(e->up);
	notify(e);
	cache_put(e);
}

static void done(struct centry *e)
{
	struct tftpd *d = e->d;

	e->refs++;
	e->state = CE_DONE;
	pp_dbg("Tftp: fetched %s from CallManager %s (%zu bytes)", e->name,
	       tftpd_ip(e->cm), e->len);
	if (e->indexed) {
		e->expires_ms = tftpd_now_ms() + d->conf.cache_ttl_ms;
		TAILQ_INSERT_TAIL(&d->lru, e, lru);
		d->cache_bytes += e->len;
	}
	notify(e);
	cache_expire(d, tftpd_now_ms());
	cache_put(e);
}

static int append(struct centry *e, const unsigned char *p, size_t n)
{
	if (e->len + n > e->cap) {
		size_t ncap = e->cap ? e->cap : 4096;
		unsigned char *nd;

		while (ncap < e->len + n)
			ncap *= 2;
		nd = realloc(e->data, ncap);
		if (!nd)
			return -1;
		e->data = nd;
		e->cap = ncap;
	}
	memcpy(e->data + e->len, p, n);
	e->len += n;
	return 0;
}

/* ---- the TFTP client ---- */

static void upstream_close(struct upstream *up)
{
	struct centry *e = up->e;

	if (up->ev)
		event_free(up->ev);
	if (up->timer)
		event_free(up->timer);
	if (up->fd >= 0)
		close(up->fd);
	free(up->rbuf);
	e->up = NULL;
	free(up);
	cache_put(e);
}

static void arm(struct upstream *up, unsigned int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	evtimer_add(up->timer, &tv);
}

static int send_pkt(struct upstream *up)
{
	ssize_t n = sendto(up->fd, up->pkt, up->pkt_len, 0,
			   (struct sockaddr *)&up->peer, sizeof(up->peer));

	up->tries++;
	return n == (ssize_t)up->pkt_len ? 0 : -1;
}

static void send_ack(struct upstream *up, uint16_t block)
{
	up->pkt_len = (size_t)tftp_build_ack(up->pkt, sizeof(up->pkt), block);
	up->tries = 0;
	up->rto_ms = up->e->d->conf.retransmit_ms;
	send_pkt(up);
}

/* An ERROR to a stranger that used our port (RFC 1350: unknown TID). */
static void send_error_to(struct upstream *up, const struct sockaddr_in *to,
			  uint16_t code, const char *msg)
{
	unsigned char b[128];
	int n = tftp_build_error(b, sizeof(b), code, msg);

	if (n > 0)
		sendto(up->fd, b, (size_t)n, 0, (const struct sockaddr *)to,
		       sizeof(*to));
}

static int send_rrq(struct upstream *up)
{
	struct tftpd *d = up->e->d;
	struct tftp_opts o = { 0 };
	int n;

	if (up->with_opts) {
		o.present = TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE;
		o.blksize = up->asked_blksize;
		o.tsize = 0;
	}
	n = tftp_build_request(up->pkt, sizeof(up->pkt), TFTP_RRQ, up->e->name,
			       TFTP_MODE_OCTET, up->with_opts ? &o : NULL);
	if (n < 0)
		return -1;
	up->pkt_len = (size_t)n;
	up->tries = 0;
	up->deadline_ms = tftpd_now_ms() + d->conf.upstream_timeout_ms;
	return send_pkt(up);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct upstream *up = arg;
	struct centry *e = up->e;
	struct tftpd *d = e->d;

	(void)fd;
	(void)what;
	if (up->dally) {
		upstream_close(up);
		return;
	}
	if (!e->started) {
		uint64_t now = tftpd_now_ms();

		if (now >= up->deadline_ms) {
			fail(e, CE_FAIL_TIMEOUT, TFTP_EUNDEF,
			     "CallManager %s did not answer within %u ms",
			     tftpd_ip(e->cm), d->conf.upstream_timeout_ms);
			return;
		}
		send_pkt(up);
		arm(up, (unsigned int)(up->deadline_ms - now) < up->rto_ms ?
			(unsigned int)(up->deadline_ms - now) : up->rto_ms);
		return;
	}
	if (up->tries > d->conf.retries) {
		fail(e, CE_FAIL_TIMEOUT, TFTP_EUNDEF,
		     "CallManager %s stopped sending after %zu bytes",
		     tftpd_ip(e->cm), e->len);
		return;
	}
	pp_dbg("Tftp: CallManager %s, file %s: resending ACK %u",
	       tftpd_ip(e->cm), e->name, (unsigned int)(uint16_t)(up->expect - 1));
	send_pkt(up);
	up->rto_ms = up->rto_ms * 2 > d->conf.retransmit_max_ms ?
		     d->conf.retransmit_max_ms : up->rto_ms * 2;
	arm(up, up->rto_ms);
}

/* The CallManager's OACK: the options must be ours, within what we asked. */
static void on_oack(struct upstream *up, const struct tftp_packet *pkt)
{
	struct centry *e = up->e;
	struct tftpd *d = e->d;

	if (e->started && up->with_opts) {
		/* Its OACK again: our ACK 0 was lost or late. */
		if (up->expect == 1)
			send_ack(up, 0);
		return;
	}
	if (!up->with_opts || pkt->opts.unknown ||
	    (pkt->opts.present & TFTP_OPT_TIMEOUT) ||
	    ((pkt->opts.present & TFTP_OPT_BLKSIZE) &&
	     pkt->opts.blksize > up->asked_blksize)) {
		fail(e, CE_FAIL_PROTOCOL, TFTP_EUNDEF,
		     "CallManager %s sent an OACK we did not ask for",
		     tftpd_ip(e->cm));
		return;
	}
	up->blksize = (pkt->opts.present & TFTP_OPT_BLKSIZE) ?
		      pkt->opts.blksize : TFTP_BLKSIZE_DEFAULT;
	if (pkt->opts.present & TFTP_OPT_TSIZE) {
		if (pkt->opts.tsize > d->conf.max_file_size) {
			send_error_to(up, &up->peer, TFTP_ENOSPACE, "file too large");
			fail(e, CE_FAIL_TOO_LARGE, TFTP_ENOSPACE,
			     "file of %llu bytes is larger than maxfilesize (%llu)",
			     (unsigned long long)pkt->opts.tsize,
			     (unsigned long long)d->conf.max_file_size);
			return;
		}
		e->size_known = true;
		e->size = pkt->opts.tsize;
		if (e->size && !e->data) {
			e->data = malloc((size_t)e->size);
			if (e->data)
				e->cap = (size_t)e->size;
		}
	}
	e->started = true;
	up->expect = 1;
	send_ack(up, 0);
	arm(up, up->rto_ms);
	notify(e);
}

static void on_data(struct upstream *up, const struct tftp_packet *pkt)
{
	struct centry *e = up->e;
	struct tftpd *d = e->d;

	if (up->dally) {
		/* Our last ACK was lost: say it again. */
		if (pkt->block == (uint16_t)(up->expect - 1))
			send_ack(up, pkt->block);
		return;
	}
	if (!e->started) {
		if (pkt->block != 1) {
			fail(e, CE_FAIL_PROTOCOL, TFTP_EUNDEF,
			     "CallManager %s started with block %u",
			     tftpd_ip(e->cm), pkt->block);
			return;
		}
		/* No OACK: the server ignored our options (RFC 2347). */
		up->blksize = TFTP_BLKSIZE_DEFAULT;
		up->expect = 1;
		e->started = true;
	}
	if (pkt->block != up->expect) {
		if (pkt->block == (uint16_t)(up->expect - 1))
			send_ack(up, pkt->block);	/* its retransmission */
		return;
	}
	if (pkt->data_len > up->blksize) {
		fail(e, CE_FAIL_PROTOCOL, TFTP_EUNDEF,
		     "CallManager %s sent a block of %zu bytes (block size %u)",
		     tftpd_ip(e->cm), pkt->data_len, up->blksize);
		return;
	}
	if (e->len + pkt->data_len > d->conf.max_file_size) {
		send_error_to(up, &up->peer, TFTP_ENOSPACE, "file too large");
		fail(e, CE_FAIL_TOO_LARGE, TFTP_ENOSPACE,
		     "file is larger than maxfilesize (%llu bytes)",
		     (unsigned long long)d->conf.max_file_size);
		return;
	}
	if (append(e, pkt->data, pkt->data_len)) {
		send_error_to(up, &up->peer, TFTP_ENOSPACE, "out of memory");
		fail(e, CE_FAIL_LOCAL, TFTP_EUNDEF, "out of memory");
		return;
	}
	send_ack(up, pkt->block);
	up->expect++;
	if (pkt->data_len < up->blksize) {
		/* Stay a moment to acknowledge a retransmitted last block. */
		up->dally = true;
		arm(up, d->conf.retransmit_ms * 2);
		done(e);
		return;
	}
	arm(up, up->rto_ms);
	notify(e);
}

/*
 * An ICMP error (IP_RECVERR). It matters only if it is about the packet
 * we sent the CallManager's current port: port 69 means no TFTP service
 * there; its transfer port means that transfer is gone. Errors about an
 * ERROR 5 we sent a stray port, or after we are done, are dropped.
 */
static void on_icmp(struct upstream *up, int err)
{
	struct centry *e = up->e;
	struct sockaddr_in dst;
	char cbuf[512];
	struct msghdr mh = { .msg_name = &dst, .msg_namelen = sizeof(dst),
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	bool ours = false;

	/* Clear the error queue so we are not woken again; was it ours? */
	while (recvmsg(up->fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) >= 0) {
		if (mh.msg_namelen >= sizeof(dst) && dst.sin_family == AF_INET &&
		    dst.sin_addr.s_addr == up->peer.sin_addr.s_addr &&
		    dst.sin_port == up->peer.sin_port)
			ours = true;
		mh.msg_namelen = sizeof(dst);
		mh.msg_controllen = sizeof(cbuf);
	}
	if (up->dally) {
		upstream_close(up);
		return;
	}
	if (!ours)
		return;
	if (err != ECONNREFUSED && err != EHOSTUNREACH && err != ENETUNREACH &&
	    err != EHOSTDOWN)
		return;
	if (!up->locked)
		fail(e, CE_FAIL_UNREACHABLE, TFTP_EUNDEF,
		     "CallManager %s: no TFTP service (%s)",
		     tftpd_ip(e->cm), strerror(err));
	else
		fail(e, CE_FAIL_PROTOCOL, TFTP_EUNDEF,
		     "CallManager %s ended the transfer after %zu bytes (%s)",
		     tftpd_ip(e->cm), e->len, strerror(err));
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	struct upstream *up = arg;
	struct centry *e = up->e;
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	struct tftp_packet pkt;
	ssize_t n;
	int rc;

	(void)what;
	n = recvfrom(fd, up->rbuf, up->rbuf_len, MSG_DONTWAIT,
		     (struct sockaddr *)&from, &flen);
	if (n < 0) {
		int err = errno;

		if (err == EAGAIN || err == EINTR)
			return;
		on_icmp(up, err);
		return;
	}
	if (from.sin_addr.s_addr != e->cm)
		return;		/* not the CallManager: ignore */
	if (up->locked && from.sin_port != up->peer.sin_port) {
		send_error_to(up, &from, TFTP_EBADID, "unknown transfer ID");
		return;
	}
	rc = tftp_parse_packet(up->rbuf, (size_t)n, &pkt);
	if (rc) {
		if (!up->dally)
			fail(e, CE_FAIL_PROTOCOL, TFTP_EUNDEF,
			     "CallManager %s sent a bad packet: %s",
			     tftpd_ip(e->cm), tftp_strerror(rc));
		return;
	}
	if (!up->locked) {
		up->peer.sin_port = from.sin_port;
		up->locked = true;
	}
	switch (pkt.opcode) {
	case TFTP_OACK:
		on_oack(up, &pkt);
		break;
	case TFTP_DATA:
		on_data(up, &pkt);
		break;
	case TFTP_ERROR:
		if (up->dally) {
			upstream_close(up);
			break;
		}
		if (pkt.error_code == TFTP_EOPTNEG && up->with_opts && !e->started) {
			/* RFC 2347: it refused our options; ask again without. */
			up->with_opts = false;
			up->locked = false;
			up->peer.sin_port = htons(TFTP_PORT);
			send_rrq(up);
			arm(up, up->rto_ms);
			break;
		}
		fail(e, CE_FAIL_ERROR, pkt.error_code, "%s",
		     pkt.error_msg[0] ? pkt.error_msg : "error without message");
		break;
	default:
		break;
	}
}

static int upstream_start(struct centry *e, uint32_t src)
{
	struct tftpd *d = e->d;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = src };
	struct upstream *up;
	int one = 1;

	up = calloc(1, sizeof(*up));
	if (!up)
		return -1;
	up->e = e;
	e->refs++;
	e->up = up;
	up->asked_blksize = (uint16_t)d->conf.upstream_blksize;
	up->with_opts = true;
	up->rto_ms = d->conf.upstream_timeout_ms / 3 ? d->conf.upstream_timeout_ms / 3 : 1;
	/* Room for one byte more than a block: a larger one is refused. */
	up->rbuf_len = (size_t)up->asked_blksize + TFTP_HDR_LEN + 1;
	if (up->rbuf_len < 1024)
		up->rbuf_len = 1024;
	up->rbuf = malloc(up->rbuf_len);
	up->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (!up->rbuf || up->fd < 0)
		goto err;
	setsockopt(up->fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	if (bind(up->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		pp_err("Tftp: cannot bind the south address %s: %s",
		       tftpd_ip(src), strerror(errno));
		goto err;
	}
	up->peer.sin_family = AF_INET;
	up->peer.sin_addr.s_addr = e->cm;
	up->peer.sin_port = htons(TFTP_PORT);
	up->ev = event_new(d->base, up->fd, EV_READ | EV_PERSIST, on_read, up);
	up->timer = evtimer_new(d->base, on_timer, up);
	if (!up->ev || !up->timer || event_add(up->ev, NULL))
		goto err;
	if (send_rrq(up))
		pp_dbg("Tftp: sending to CallManager %s: %s", tftpd_ip(e->cm),
		       strerror(errno));
	arm(up, up->rto_ms);
	return 0;
err:
	upstream_close(up);
	return -1;
}

struct centry *cache_get(struct tftpd *d, uint32_t cm, const char *name,
			 uint32_t src, const char **how)
{
	struct centry key = { .cm = cm, .name = (char *)name }, *e, **found;
	bool share = d->conf.cache_ttl_ms > 0;

	if (share) {
		found = tfind(&key, &d->cache, key_cmp);
		if (found) {
			e = *found;
			e->refs++;
			*how = e->state == CE_DONE ? "hit" : "coalesced";
			return e;
		}
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->name = strdup(name);
	if (!e->name) {
		free(e);
		return NULL;
	}
	e->d = d;
	e->cm = cm;
	e->refs = 1;		/* the caller's */
	e->state = CE_FETCHING;
	TAILQ_INIT(&e->listeners);
	*how = "miss";
	if (share && tsearch(e, &d->cache, key_cmp)) {
		e->indexed = true;
		e->refs++;
		d->cache_entries++;
	}
	if (upstream_start(e, src))
		fail(e, CE_FAIL_LOCAL, TFTP_EUNDEF,
		     "cannot open a TFTP connection to CallManager %s", tftpd_ip(cm));
	return e;
}

void cache_expire(struct tftpd *d, uint64_t now_ms)
{
	struct centry *e;

	while ((e = TAILQ_FIRST(&d->lru)) &&
	       (e->expires_ms <= now_ms || d->cache_bytes > d->conf.cache_max_bytes))
		unindex(e);
}

void cache_fini(struct tftpd *d)
{
	struct centry *e;

	while ((e = TAILQ_FIRST(&d->lru)))
		unindex(e);
	/* Fetches still running hold their entries; they end with the loop. */
}
