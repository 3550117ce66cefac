// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The phones' side of pp-tftpd: read requests on UDP 69 of the north
 * address, the user behind each (netlink), the access rules, and the
 * transfers, each from a port of its own (the guide's "Special note on
 * TFTP connections"): errors to a request come from port 69, a good
 * request is answered from a new port K, and the phone's ACKs to K pass
 * the module's firewall as replies.
 *
 * Transfers are lock-step (RFC 1350) with the RFC 2347 options: blksize
 * (capped at max-blksize), timeout, tsize. A timeout resends the last
 * packet with exponential back-off; a duplicate ACK is ignored, never
 * answered with a retransmission (the sorcerer's apprentice bug).
 */
#include <errno.h>
#include <search.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conf.h"
#include "httpconf.h"
#include "log.h"
#include "nl.h"
#include "ops.h"
#include "parse.h"
#include "policy.h"
#include "rewrite.h"
#include "secure.h"
#include "tftpd.h"

#define ADHOC_USER	"AdHoCuSeR"	/* the guide's spelling, exactly */

enum job_phase { J_WAIT, J_XFER };

struct job {
	struct tftpd *d;
	uint32_t addr;			/* the phone, network order */
	uint16_t port;			/* network order */
	uint32_t asked;			/* the address asked: north or virtual north */
	enum job_phase phase;
	struct listener l;
	struct centry *e;
	struct tftp_request req;
	struct tftp_file_class fc;
	struct tftpd_decision dec;
	char user[PP_NAME_MAX];		/* "" when fielded for AdHoCuSeR */
	char sid[PP_SID_LEN + 1];
	uint32_t cm;
	struct pp_config cfg;		/* the kernel's, at request time */

	/* The transfer. */
	int fd;
	struct event *ev;
	struct event *timer;
	unsigned char *own;		/* the rewritten file, if any */
	size_t own_len;
	bool local;			/* own is a trust list of ctl/ */
	bool sign;			/* own becomes the .sgn of plain */
	char plain[TFTP_FILENAME_MAX + 1];	/* SEP<MAC>.cnf.xml of a .sgn */
	uint16_t blksize;
	unsigned int rto0_ms, rto_ms, rto_max_ms;
	unsigned int tries;
	uint64_t block;			/* in flight; 0 = the OACK */
	size_t cur_len;			/* its payload */
	bool last;			/* it is the last block */
	bool waiting;			/* for more data from the CallManager */
	uint64_t sent_bytes;		/* acknowledged */
	unsigned char *pkt;
	size_t pkt_len;
	bool slot;			/* holds one of its address's slots */
	struct event *life;		/* transfer-lifetime */
	/* Where it is answered from (replyport): fd bound to the listening
	 * port and connected to the phone, so that the kernel hands it the
	 * packets of this phone's port alone; else to a new port. */
	bool via69;
	bool heard;			/* an ACK or ERROR came from the phone */
	uint64_t first_ms;		/* when its first packet went out */
};

static int job_cmp(const void *a, const void *b)
{
	const struct job *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->port < y->port ? -1 : x->port > y->port;
}

static const char *who(const struct job *j)
{
	static char buf[2][PP_NAME_MAX + PP_SID_LEN + 40];
	static int i;
	char *b = buf[i++ & 1];

	if (j->user[0])
		snprintf(b, sizeof(buf[0]), "user=%s sid=%s", j->user, j->sid);
	else
		snprintf(b, sizeof(buf[0]), "user=- (not activated, %s)", ADHOC_USER);
	return b;
}

/* Everything a job holds; also tdestroy()'s callback at exit. */
static void free_job_node(void *p)
{
	struct job *j = p;

	if (j->life)
		event_free(j->life);
	if (j->e) {
		cache_unlisten(j->e, &j->l);
		cache_put(j->e);
	}
	if (j->ev)
		event_free(j->ev);
	if (j->timer)
		event_free(j->timer);
	if (j->fd >= 0)
		close(j->fd);
	free(j->own);
	free(j->pkt);
	free(j);
}

/*
 * replyport auto: a transfer that sent its first packet from a new port
 * and never heard back makes its request a suspect (replyport.h).
 */
static void note_unanswered(struct job *j)
{
	struct tftpd *d = j->d;

	if (d->conf.reply_port == TFTPD_REPLY_AUTO && j->phase == J_XFER &&
	    !j->via69 && !j->heard && j->tries > 0)
		replyport_suspect(&d->replyport, j->addr, j->port, j->req.filename,
				  tftpd_now_ms());
}

static void job_free(struct job *j)
{
	struct tftpd *d = j->d;

	note_unanswered(j);
	tdelete(j, &d->jobs, job_cmp);
	d->njobs--;
	if (j->slot)
		slots_put(&d->slots, j->addr);
	free_job_node(j);
}

/* An ERROR from port 69 (a bad request, or one we could not serve). */
static void error69(struct tftpd *d, uint32_t asked, uint32_t addr, uint16_t port,
		    uint16_t code, const char *msg)
{
	int fd = asked && asked == d->bound_vaddr && d->fd69v >= 0 ? d->fd69v : d->fd69;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = port,
				  .sin_addr.s_addr = addr };
	unsigned char b[TFTP_HDR_LEN + TFTP_ERRMSG_MAX + 1];
	int n = tftp_build_error(b, sizeof(b), code, msg);

	if (n > 0 && fd >= 0)
		sendto(fd, b, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to));
}

static void job_error69(struct job *j, uint16_t code, const char *msg)
{
	error69(j->d, j->asked, j->addr, j->port, code, msg);
	job_free(j);
}

/* ---- the transfer ---- */

static void arm(struct job *j)
{
	struct timeval tv = { .tv_sec = j->rto_ms / 1000,
			      .tv_usec = (j->rto_ms % 1000) * 1000 };

	if (!j->first_ms)
		j->first_ms = tftpd_now_ms();
	evtimer_add(j->timer, &tv);
}

static void xmit(struct job *j)
{
	if (send(j->fd, j->pkt, j->pkt_len, 0) < 0)
		pp_dbg("Tftp: send to %s: %s", tftpd_ip(j->addr), strerror(errno));
	j->tries++;
	arm(j);
}

/*
 * Block j->block of the file: 1 and its payload in j->pkt, 0 when the
 * CallManager has not sent that far yet, -1 when its fetch failed.
 */
static int fill_block(struct job *j)
{
	const unsigned char *src;
	uint64_t off = (j->block - 1) * j->blksize;
	size_t len, n;
	bool complete;

	if (j->own) {
		src = j->own;
		len = j->own_len;
		complete = true;
	} else {
		if (j->e->state == CE_FAILED)
			return -1;
		src = j->e->data;
		len = j->e->len;
		complete = j->e->state == CE_DONE;
	}
	if (complete) {
		n = len - off < j->blksize ? (size_t)(len - off) : j->blksize;
	} else if (len >= off + j->blksize) {
		n = j->blksize;
	} else {
		return 0;
	}
	tftp_build_data_hdr(j->pkt, TFTP_HDR_LEN, (uint16_t)j->block);
	if (n)
		memcpy(j->pkt + TFTP_HDR_LEN, src + off, n);
	j->pkt_len = TFTP_HDR_LEN + n;
	j->cur_len = n;
	j->last = n < j->blksize;
	return 1;
}

static void on_entry(struct listener *l, struct centry *e);
static void on_request(struct tftpd *d, const unsigned char *b, size_t n,
		       const struct sockaddr_in *from, uint32_t asked);

static void send_next(struct job *j)
{
	unsigned char b[TFTP_HDR_LEN + TFTP_ERRMSG_MAX + 1];
	int rc, n;

	rc = fill_block(j);
	if (rc < 0) {
		/* The CallManager failed mid-way: say so on this transfer. */
		n = tftp_build_error(b, sizeof(b), j->e->err_code, j->e->err_msg);
		if (n > 0)
			send(j->fd, b, (size_t)n, 0);
		pp_notice("Tftp: %s to %s %s failed after %llu bytes: %s",
			  j->req.filename, tftpd_ip(j->addr), who(j),
			  (unsigned long long)j->sent_bytes, j->e->err_msg);
		job_free(j);
		return;
	}
	if (rc == 0) {
		j->waiting = true;
		cache_listen(j->e, &j->l);
		return;
	}
	j->waiting = false;
	j->tries = 0;
	j->rto_ms = j->rto0_ms;
	xmit(j);
}

static void complete(struct job *j)
{
	struct tftpd *d = j->d;

	d->stats.served++;
	d->stats.bytes_sent += j->sent_bytes;
	if (j->own && !j->local)
		d->stats.rewritten++;
	pp_info("Tftp: served %s to %s %s: %llu bytes%s", j->req.filename,
		tftpd_ip(j->addr), who(j), (unsigned long long)j->sent_bytes,
		j->local ? ", from the proxy's trust lists" : j->sign ?
		", rewritten and signed" : j->own ? ", rewritten" : "");
	job_free(j);
}

static void on_xfer_read(evutil_socket_t fd, short what, void *arg)
{
	struct job *j = arg;
	struct tftpd *d = j->d;
	unsigned char b[1024];
	struct tftp_packet pkt;
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	ssize_t n;
	uint16_t op;

	(void)what;
	n = recvfrom(fd, b, sizeof(b), MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
	if (n >= 0 && j->via69 && (flen != sizeof(from) || from.sin_addr.s_addr != j->addr ||
				   from.sin_port != j->port)) {
		/*
		 * Port 69: a packet another phone sent between this socket's
		 * bind() and connect() was queued here; it was the listening
		 * socket's (the one of the address this socket is bound to).
		 */
		op = tftp_opcode(b, (size_t)n);
		if (flen == sizeof(from) && (op == TFTP_RRQ || op == TFTP_WRQ) &&
		    n <= TFTP_REQUEST_MAX)
			on_request(d, b, (size_t)n, &from, j->asked);
		return;
	}
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		pp_info("Tftp: %s to %s %s: %s", j->req.filename, tftpd_ip(j->addr),
			who(j), strerror(errno));
		d->stats.transfer_aborted++;
		job_free(j);
		return;
	}
	if (tftp_parse_packet(b, (size_t)n, &pkt))
		return;
	j->heard |= pkt.opcode == TFTP_ERROR || pkt.opcode == TFTP_ACK;

	if (pkt.opcode == TFTP_ERROR) {
		d->stats.transfer_aborted++;
		pp_info("Tftp: %s to %s %s: the phone ended the transfer: error %u \"%s\"",
			j->req.filename, tftpd_ip(j->addr), who(j), pkt.error_code,
			pkt.error_msg);
		job_free(j);
		return;
	}
	if (pkt.opcode != TFTP_ACK)
		return;
	if (j->waiting || pkt.block != (uint16_t)j->block) {
		/* A duplicate or old ACK: never answered (sorcerer's apprentice). */
		pp_dbg("Tftp: %s to %s: ACK %u ignored (block %u in flight)",
		       j->req.filename, tftpd_ip(j->addr), pkt.block,
		       (unsigned int)(uint16_t)j->block);
		return;
	}
	evtimer_del(j->timer);
	j->sent_bytes += j->cur_len;
	if (j->block > 0 && j->last) {
		complete(j);
		return;
	}
	j->block++;
	send_next(j);
}

static void on_xfer_timer(evutil_socket_t fd, short what, void *arg)
{
	struct job *j = arg;
	struct tftpd *d = j->d;

	(void)fd;
	(void)what;
	if (j->tries > d->conf.retries) {
		d->stats.transfer_timeouts++;
		pp_notice("Tftp: %s to %s %s: no ACK for block %llu after %u tries, giving up",
			  j->req.filename, tftpd_ip(j->addr), who(j),
			  (unsigned long long)j->block, j->tries);
		job_free(j);
		return;
	}
	d->stats.retransmits++;
	pp_dbg("Tftp: %s to %s: resending block %llu", j->req.filename,
	       tftpd_ip(j->addr), (unsigned long long)j->block);
	j->rto_ms = j->rto_ms * 2 > j->rto_max_ms ? j->rto_max_ms : j->rto_ms * 2;
	xmit(j);
}

static void replyport_log(struct job *j)
{
	pp_notice("Tftp: %s from %s:%u came again, the first reply from a new port unanswered (a NAT without a TFTP helper?): answering %s from port %u (replyport auto)",
		  j->req.filename, tftpd_ip(j->addr), ntohs(j->port), tftpd_ip(j->addr),
		  j->d->bound_port);
}

/* Whether j is to be answered from the listening port (replyport). */
static bool reply_from_69(struct job *j)
{
	struct tftpd *d = j->d;
	bool via69 = false, switched = false;

	if (d->fd69 < 0 || d->bound_addr != j->cfg.north_addr)
		return false;
	if (d->conf.reply_port == TFTPD_REPLY_PORT69)
		via69 = true;
	else if (d->conf.reply_port == TFTPD_REPLY_AUTO)
		via69 = replyport_port69(&d->replyport, j->addr, j->port, j->req.filename,
					 tftpd_now_ms(), &switched);
	if (switched) {
		d->stats.replyport_switches++;
		replyport_log(j);
	}
	if (via69)
		d->stats.replies_from_port69++;
	return via69;
}

/*
 * A socket bound to the listening address the phone asked (north or the
 * virtual north) and port, connected to the phone: UDP's lookup prefers
 * the connected socket (it matches the source too), so the listening
 * socket keeps every other packet.
 */
static int socket69(struct job *j)
{
	struct tftpd *d = j->d;
	struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(d->bound_port),
				     .sin_addr.s_addr = j->asked };
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = j->port,
				    .sin_addr.s_addr = j->addr };
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0 ||
	    connect(fd, (struct sockaddr *)&peer, sizeof(peer)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * replyport auto: the request of a transfer whose first packet, sent
 * from a new port, is still unacknowledged came again from the same
 * port. The address is answered from port 69 from now on, this transfer
 * at once (its first packet again, the retransmission schedule anew).
 * True when the request was taken so.
 */
static bool request_again(struct tftpd *d, const struct job *key,
			  const unsigned char *b, size_t n)
{
	struct tftp_request req;
	struct event *ev;
	struct job **found, *j;
	int fd;

	if (d->conf.reply_port != TFTPD_REPLY_AUTO)
		return false;
	found = tfind(key, &d->jobs, job_cmp);
	if (!found)
		return false;
	j = *found;
	/*
	 * A request crossing our first packet on the way (sent before it
	 * arrived) is no sign: its ACK may follow, to the new port. Only a
	 * request again a retransmission timeout after it counts.
	 */
	if (j->phase != J_XFER || j->via69 || j->heard || !j->tries ||
	    tftpd_now_ms() - j->first_ms < j->rto0_ms ||
	    d->fd69 < 0 || d->bound_addr != j->cfg.north_addr ||
	    tftp_parse_request(b, n, &req) || strcmp(req.filename, j->req.filename))
		return false;
	replyport_mark(&d->replyport, j->addr, tftpd_now_ms());
	d->stats.replyport_switches++;
	d->stats.dropped_duplicate++;
	replyport_log(j);
	fd = socket69(j);
	if (fd < 0)
		return true;	/* marked: the next request is answered from 69 */
	ev = event_new(d->base, fd, EV_READ | EV_PERSIST, on_xfer_read, j);
	if (!ev || event_add(ev, NULL)) {
		if (ev)
			event_free(ev);
		close(fd);
		return true;
	}
	event_free(j->ev);
	close(j->fd);
	j->ev = ev;
	j->fd = fd;
	j->via69 = true;
	d->stats.replies_from_port69++;
	evtimer_del(j->timer);
	j->tries = 0;
	j->rto_ms = j->rto0_ms;
	xmit(j);
	return true;
}

/* The size of the file to serve, if known now. */
static bool known_size(const struct job *j, uint64_t *size)
{
	if (j->own) {
		*size = j->own_len;
		return true;
	}
	if (j->e->state == CE_DONE) {
		*size = j->e->len;
		return true;
	}
	if (j->e->size_known) {
		*size = j->e->size;
		return true;
	}
	return false;
}

static void start_xfer(struct job *j)
{
	struct tftpd *d = j->d;
	/* Replies come from the address the phone asked. */
	struct sockaddr_in local = { .sin_family = AF_INET,
				     .sin_addr.s_addr = j->asked };
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = j->port,
				    .sin_addr.s_addr = j->addr };
	struct tftp_opts o = { 0 };
	uint64_t size;
	int n, one = 1;

	j->phase = J_XFER;
	j->blksize = TFTP_BLKSIZE_DEFAULT;
	j->rto0_ms = d->conf.retransmit_ms;
	j->rto_max_ms = d->conf.retransmit_max_ms;
	if (j->req.opts.present & TFTP_OPT_BLKSIZE) {
		j->blksize = j->req.opts.blksize < d->conf.max_blksize ?
			     j->req.opts.blksize : (uint16_t)d->conf.max_blksize;
		o.present |= TFTP_OPT_BLKSIZE;
		o.blksize = j->blksize;
	}
	/*
	 * RFC 2349 lets a server take the timeout only as asked: one above
	 * max-timeout is declined (not in the OACK), so that timeout=255
	 * and no ACK cannot hold the slot for retries x 255 s.
	 */
	if ((j->req.opts.present & TFTP_OPT_TIMEOUT) &&
	    !slots_grant_timeout(j->req.opts.timeout, d->conf.max_timeout)) {
		d->stats.timeout_option_declined++;
		pp_info("Tftp: %s to %s %s: timeout %u s declined (maxtimeout %u)",
			j->req.filename, tftpd_ip(j->addr), who(j), j->req.opts.timeout,
			d->conf.max_timeout);
	} else if (j->req.opts.present & TFTP_OPT_TIMEOUT) {
		o.present |= TFTP_OPT_TIMEOUT;
		o.timeout = j->req.opts.timeout;
		j->rto0_ms = o.timeout * 1000u;
		if (o.timeout * 1000u > j->rto_max_ms)
			j->rto_max_ms = o.timeout * 1000u;
	}
	if ((j->req.opts.present & TFTP_OPT_TSIZE) && known_size(j, &size)) {
		o.present |= TFTP_OPT_TSIZE;
		o.tsize = size;
	}
	j->pkt = malloc(TFTP_HDR_LEN + (size_t)(j->blksize > 512 ? j->blksize : 512));
	j->via69 = reply_from_69(j);
	if (j->via69)
		local.sin_port = htons(d->bound_port);
	j->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (j->via69 && j->fd >= 0)
		setsockopt(j->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (!j->pkt || j->fd < 0 ||
	    bind(j->fd, (struct sockaddr *)&local, sizeof(local)) < 0 ||
	    connect(j->fd, (struct sockaddr *)&peer, sizeof(peer)) < 0) {
		pp_err("Tftp: cannot open a transfer port for %s: %s",
		       tftpd_ip(j->addr), strerror(errno));
		job_error69(j, TFTP_EUNDEF, "cannot open a transfer port");
		return;
	}
	j->ev = event_new(d->base, j->fd, EV_READ | EV_PERSIST, on_xfer_read, j);
	j->timer = evtimer_new(d->base, on_xfer_timer, j);
	if (!j->ev || !j->timer || event_add(j->ev, NULL)) {
		job_error69(j, TFTP_EUNDEF, "out of memory");
		return;
	}
	if (o.present) {
		n = tftp_build_oack(j->pkt, TFTP_HDR_LEN + 512, &o);
		if (n < 0) {
			job_error69(j, TFTP_EUNDEF, "cannot build the OACK");
			return;
		}
		pp_dbg("Tftp: %s to %s: OACK blksize %u", j->req.filename,
		       tftpd_ip(j->addr), j->blksize);
		j->pkt_len = (size_t)n;
		j->block = 0;
		j->cur_len = 0;
		j->last = false;
		j->tries = 0;
		j->rto_ms = j->rto0_ms;
		xmit(j);
		return;
	}
	j->block = 1;
	send_next(j);
}

/*
 * transfer-lifetime: however it is paced (a peer that never ACKs, or
 * ACKs each block just before the timeout), a request holds its slot
 * and its port no longer than this.
 */
static void on_lifetime(evutil_socket_t fd, short what, void *arg)
{
	struct job *j = arg;
	struct tftpd *d = j->d;
	unsigned char b[TFTP_HDR_LEN + TFTP_ERRMSG_MAX + 1];
	int n;

	(void)fd;
	(void)what;
	d->stats.transfer_lifetime_expired++;
	pp_notice("Tftp: %s to %s %s: ended after transferlifetime (%u ms), %llu bytes sent",
		  j->req.filename, tftpd_ip(j->addr), who(j), d->conf.transfer_lifetime_ms,
		  (unsigned long long)j->sent_bytes);
	if (j->phase == J_XFER && j->fd >= 0) {
		n = tftp_build_error(b, sizeof(b), TFTP_EUNDEF, "transfer took too long");
		if (n > 0)
			send(j->fd, b, (size_t)n, 0);
		job_free(j);
	} else {
		job_error69(j, TFTP_EUNDEF, "transfer took too long");
	}
}

/* ---- the rewrite ---- */

/*
 * The guide's PhoneProxy to CallManager mapping: this node (the user's
 * node self) stands for the CallManager the rewrite put it in place of;
 * the module's SCCP proxy connects the phone there (PP_CMD_USER_CCM_SET).
 * The address comes from the CallManager's own file, never from the
 * phone: an IPv4 address, or a host name looked up (resolve.c). Neither,
 * or a name that does not resolve: cleared, so SCCP goes to the user's
 * CallManager as without a cluster.
 */
static void map_ccm(struct tftpd *d, const char *user, uint32_t addr, const char *whostr,
		    const struct cnf_params *p, const struct cnf_result *r, int self)
{
	uint32_t ccm = 0;
	size_t i;
	char list[128] = "";

	for (i = 0; i < p->nnodes; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? "," : "",
			 p->nodes[i]);
	if (self < 0 || (unsigned int)self >= r->nccm) {
		pp_info("Tftp: %s %s: nodes %s; this node is not one of them: no CallManager mapped here",
			tftpd_ip(addr), whostr, list);
		return;
	}
	if (pp_parse_ipv4(r->ccm[self], &ccm)) {
		/* A host name: the mapping once it resolves. */
		if (!tftpd_resolve_ccm(d, user, addr, whostr, list, self, r->ccm[self]))
			return;
		pp_notice("Tftp: %s %s: node %d of %s stands for CallManager \"%.64s\", neither an IPv4 address nor a host name to look up: SCCP goes to the user's CallManager",
			  tftpd_ip(addr), whostr, self + 1, list, r->ccm[self]);
		ccm = 0;
	}
	tftpd_map_ccm_set(d, user, addr, whostr, list, self, ccm);
}

void tftpd_map_ccm_set(struct tftpd *d, const char *user, uint32_t addr, const char *whostr,
		       const char *list, int self, uint32_t ccm)
{
	struct pp_nl *nl = d->have_cfg ? pp_follow_nl(d->follow) : NULL;

	if (ccm && !pp_ipv4_is_phone(ccm)) {
		pp_notice("Tftp: %s %s: node %d of %s stands for CallManager %s, not a unicast address: SCCP goes to the user's CallManager",
			  tftpd_ip(addr), whostr, self + 1, list, tftpd_ip(ccm));
		ccm = 0;
	}
	if (!nl || pp_user_ccm_set(nl, user, addr, ccm)) {
		pp_err("Tftp: %s %s: cannot map this node to CallManager %s: %s",
		       tftpd_ip(addr), whostr, ccm ? tftpd_ip(ccm) : "(none)",
		       nl ? pp_nl_error(nl) : "the module is not loaded");
		return;
	}
	if (ccm)
		pp_info("Tftp: %s %s: nodes %s; this node (%d) stands for CallManager %s",
			tftpd_ip(addr), whostr, list, self + 1, tftpd_ip(ccm));
}

static int rewrite(struct job *j)
{
	struct tftpd *d = j->d;
	const struct pp_config *c = &j->cfg;
	char node[PP_IPV4_STRLEN], url[64], why[512], sum[512], path[4096];
	char nodes[PP_SCCP_PROXY_MAX][PP_IPV4_STRLEN];
	uint32_t naddr[PP_SCCP_PROXY_MAX];
	struct pp_httpconf hc;
	struct cnf_params p = { 0 };
	struct cnf_result r;
	int rc, nn = 0, self = -1, i;

	if (j->e->len > d->conf.max_config_size) {
		snprintf(why, sizeof(why), "%zu bytes, more than maxconfigsize (%llu)",
			 j->e->len, (unsigned long long)d->conf.max_config_size);
		goto fail;
	}
	pp_ipv4_str(c->north_addr, node);
	p.nodes[0] = node;
	p.nnodes = 1;
	/*
	 * The cluster: the user's nodes in order, each with its north
	 * address (docs/cluster.md); self is this node's place among them.
	 */
	if (j->user[0] && j->fc.kind != TFTP_FILE_DEFAULT_CONFIG)
		nn = nodes_of_user(&d->nodes, j->user, c->north_addr, naddr, &self);
	for (i = 0; i < nn; i++) {
		pp_ipv4_str(naddr[i], nodes[i]);
		p.nodes[i] = nodes[i];
	}
	if (nn)
		p.nnodes = (size_t)nn;
	/*
	 * A phone in encrypted mode connects with TLS to ethernetPhonePort
	 * + 443 (docs/tftp.md, "The port of Secure SCCP"): the file names
	 * the secure port - 443 (2000 for 2443).
	 */
	p.sccp_port = c->sccp_port;
	if (c->sccp_security && c->sccp_security_port > PP_SCCP_TLS_PORT_OFFSET)
		p.sccp_port = c->sccp_security_port - PP_SCCP_TLS_PORT_OFFSET;
	/* Secure SCCP is all or nothing (the guide): encrypted, for everyone. */
	p.security_mode = c->sccp_security ? CNF_SECURITY_ENCRYPTED : 0;
	pp_httpconf_init(&hc);
	if (c->httpproxy) {
		snprintf(url, sizeof(url), "http://%s:%u", node, c->httpproxy_port);
		p.proxy_url = url;
		/* The HTTP proxy's allow list, as pp-httpd reads it. */
		if (pp_httpconf_path(path, sizeof(path)) ||
		    pp_httpconf_load(path, &hc, why, sizeof(why))) {
			pp_httpconf_free(&hc);
			goto fail;
		}
		p.allow = (const char *const *)hc.allow;
		p.nallow = hc.nallow;
	}
	rc = cnf_rewrite((const char *)j->e->data, j->e->len, &p, &r, why, sizeof(why));
	pp_httpconf_free(&hc);
	if (rc)
		goto fail;
	j->own = (unsigned char *)r.data;
	j->own_len = r.len;
	cnf_result_summary(&r, sum, sizeof(sum));
	pp_info("Tftp: rewrote %s for %s %s: %s", j->req.filename,
		tftpd_ip(j->addr), who(j), sum);
	if (nn)
		map_ccm(d, j->user, j->addr, who(j), &p, &r, self);
	return 0;
fail:
	d->stats.rewrite_failed++;
	pp_notice("Tftp: cannot rewrite %s from CallManager %s for %s %s: %s; not served",
		  j->req.filename, tftpd_ip(j->cm), tftpd_ip(j->addr), who(j), why);
	return -1;
}

/* The rewritten file becomes SEP<MAC>.cnf.xml.sgn, signed by the TFTP key. */
static int sign(struct job *j)
{
	char name[TFTP_FILENAME_MAX + 8], why[512];
	unsigned char *out;
	size_t n;

	snprintf(name, sizeof(name), "%s.sgn", j->plain);
	if (secure_sign(&j->d->secure, name, j->own, j->own_len, &out, &n, why,
			sizeof(why))) {
		pp_err("Tftp: cannot sign %s for %s %s: %s; not served", name,
		       tftpd_ip(j->addr), who(j), why);
		return -1;
	}
	free(j->own);
	j->own = out;
	j->own_len = n;
	pp_info("Tftp: signed %s for %s %s: %zu bytes", name, tftpd_ip(j->addr),
		who(j), n);
	return 0;
}

/* The file's fetch made progress. */
static void try_start(struct job *j)
{
	struct centry *e = j->e;

	if (e->state == CE_FAILED) {
		pp_notice("Tftp: %s for %s %s: %s", j->req.filename,
			  tftpd_ip(j->addr), who(j), e->err_msg);
		job_error69(j, e->err_code, e->err_msg);
		return;
	}
	if (j->dec.verdict == TFTPD_REWRITE) {
		if (e->state != CE_DONE) {
			cache_listen(e, &j->l);
			return;
		}
		if (rewrite(j)) {
			job_error69(j, TFTP_EUNDEF, "configuration file could not be rewritten");
			return;
		}
		if (j->sign && sign(j)) {
			job_error69(j, TFTP_EUNDEF, "configuration file could not be signed");
			return;
		}
	} else if (!e->started && e->state != CE_DONE) {
		cache_listen(e, &j->l);
		return;
	}
	start_xfer(j);
}

static void on_entry(struct listener *l, struct centry *e)
{
	struct job *j = (struct job *)(void *)((char *)l - offsetof(struct job, l));

	(void)e;
	if (j->phase == J_WAIT)
		try_start(j);
	else if (j->waiting)
		send_next(j);
}

/* ---- a request ---- */

static const char *ccm_addr(struct tftpd *d, struct pp_nl *nl, const char *name,
			    uint32_t *addr)
{
	struct pp_ccm_state *ccms;
	size_t n, i;

	(void)d;
	if (pp_ccm_list(nl, &ccms, &n))
		return pp_nl_error(nl);
	for (i = 0; i < n; i++) {
		if (!strcmp(ccms[i].name, name)) {
			*addr = ccms[i].addr;
			free(ccms);
			return NULL;
		}
	}
	free(ccms);
	return "no such CallManager";
}

/* The user owning sid, for open mode. 0, -ENOENT or another -errno. */
static int user_by_sid(struct pp_nl *nl, const char *mac, struct pp_user_state *u)
{
	struct pp_user_state *users;
	size_t n, i;
	int rc;

	rc = pp_user_list(nl, &users, &n);
	if (rc)
		return rc;
	rc = -ENOENT;
	for (i = 0; i < n; i++) {
		if (!strcasecmp(users[i].sid + 3, mac)) {
			*u = users[i];
			rc = 0;
			break;
		}
	}
	free(users);
	return rc;
}

/*
 * Find who asks: the user activated at the address, or in open mode the
 * owner of the SID in the file name (activated here and now), or
 * AdHoCuSeR's CallManager. 0 to go on, -1 when answered (or dropped).
 */
static int find_user(struct tftpd *d, struct pp_nl *nl, struct job *j)
{
	struct pp_user_state u;
	char addr[PP_IPV4_STRLEN];
	int rc;

	pp_ipv4_str(j->addr, addr);
	rc = pp_user_get(nl, NULL, j->addr, &u);
	if (rc == 0)
		goto found;
	if (rc != -ENOENT) {
		pp_err("Tftp: looking up the user at %s: %s", addr, pp_nl_error(nl));
		pp_follow_nl_reset(d->follow);
		return -2;
	}
	if (j->cfg.act_mode != PP_ACT_MODE_OPEN) {
		/* The module's firewall already keeps them out; no answer. */
		d->stats.dropped_not_activated++;
		pp_info("Tftp: %s from %s: address not activated, no answer",
			j->req.filename, addr);
		return -1;
	}
	if (j->fc.kind == TFTP_FILE_CONFIG_XML) {
		/* The guide's open activation: the SID is in the file name. */
		rc = user_by_sid(nl, j->fc.mac, &u);
		if (rc) {
			d->stats.denied_unknown_sid++;
			pp_notice("Tftp: open mode: %s from %s: no user has SID SEP%s",
				  j->req.filename, addr, j->fc.mac);
			error69(d, j->asked, j->addr, j->port, TFTP_EACCESS, "no user has this SID");
			return -1;
		}
		rc = pp_user_activate(nl, u.name, j->addr, PP_REASON_OPEN);
		if (rc) {
			d->stats.denied_activation_refused++;
			pp_notice("Tftp: open mode: cannot activate user=%s sid=%s at %s: %s",
				  u.name, u.sid, addr, pp_nl_error(nl));
			error69(d, j->asked, j->addr, j->port, TFTP_EACCESS, "activation refused");
			return -1;
		}
		d->stats.auto_activations++;
		pp_notice("Tftp: open mode: activated user=%s sid=%s addr=%s (asked for %s)",
			  u.name, u.sid, addr, j->req.filename);
		goto found;
	}
	rc = pp_user_get(nl, ADHOC_USER, 0, &u);
	if (rc) {
		d->stats.denied_no_adhoc_user++;
		pp_notice("Tftp: open mode: %s from %s: not activated and no %s user names a CallManager for it",
			  j->req.filename, addr, ADHOC_USER);
		error69(d, j->asked, j->addr, j->port, TFTP_EACCESS, "not activated");
		return -1;
	}
	j->user[0] = '\0';
	j->sid[0] = '\0';
	if (ccm_addr(d, nl, u.ccm, &j->cm)) {
		pp_err("Tftp: %s: CallManager \"%s\" not found", ADHOC_USER, u.ccm);
		return -2;
	}
	return 0;
found:
	snprintf(j->user, sizeof(j->user), "%s", u.name);
	snprintf(j->sid, sizeof(j->sid), "%s", u.sid);
	if (ccm_addr(d, nl, u.ccm, &j->cm)) {
		pp_err("Tftp: user=%s: CallManager \"%s\" not found", u.name, u.ccm);
		return -2;
	}
	return 0;
}

static void count_reason(struct tftpd *d, enum tftpd_reason r)
{
	switch (r) {
	case TFTPD_R_WRONG_SID:
		d->stats.denied_wrong_sid++;
		break;
	case TFTPD_R_NOT_ACTIVATED:
		d->stats.denied_not_activated++;
		break;
	case TFTPD_R_TRUST_LIST:
		d->stats.not_found_trust_list++;
		break;
	case TFTPD_R_SIGNED:
		d->stats.not_found_signed_config++;
		break;
	case TFTPD_R_LEGACY:
		d->stats.not_found_legacy_config++;
		break;
	default:
		break;
	}
}

/*
 * Secure SCCP (docs/tftp.md): with it on, the trust lists of ctl/ are
 * served as they are (a missing one stays "file not found"), and
 * SEP<MAC>.cnf.xml.sgn is the device's rewritten file, signed here.
 */
static void secure_decide(struct job *j)
{
	char canon[TFTP_FILENAME_MAX + 1], why[512];
	int rc;

	if (!j->cfg.sccp_security || j->dec.verdict != TFTPD_NOT_FOUND)
		return;
	tftp_canonical_name(j->req.filename, canon);
	if (j->fc.kind == TFTP_FILE_TRUST_LIST && (!j->fc.mac[0] || j->user[0]) &&
	    secure_ctl_name(canon)) {
		rc = secure_ctl_read(canon, &j->own, &j->own_len, why, sizeof(why));
		if (rc == 0) {
			j->local = true;
			j->dec.verdict = TFTPD_SERVE;
			j->dec.why = "trust list";
		} else if (rc != -ENOENT) {
			pp_err("Tftp: %s for %s %s: %s", j->req.filename,
			       tftpd_ip(j->addr), who(j), why);
		}
		return;
	}
	if (j->fc.kind == TFTP_FILE_CONFIG_SIGNED && j->user[0] &&
	    secure_sgn_name(canon, j->plain, sizeof(j->plain))) {
		j->sign = true;
		j->dec.verdict = TFTPD_REWRITE;
		j->dec.why = "signed configuration file";
	}
}

static void on_request(struct tftpd *d, const unsigned char *b, size_t n,
		       const struct sockaddr_in *from, uint32_t asked)
{
	struct pp_nl *nl;
	struct job *j, key = { .addr = from->sin_addr.s_addr, .port = from->sin_port };
	struct timeval life = { .tv_sec = d->conf.transfer_lifetime_ms / 1000,
				.tv_usec = (d->conf.transfer_lifetime_ms % 1000) * 1000 };
	char upname[TFTP_FILENAME_MAX + 1];
	const char *how;
	char addr[PP_IPV4_STRLEN];
	int rc;

	pp_ipv4_str(from->sin_addr.s_addr, addr);
	if (!ratelimit_take(&d->rl, from->sin_addr.s_addr, tftpd_now_ms())) {
		d->stats.dropped_rate_limit++;
		pp_dbg("Tftp: request from %s dropped: rate limit", addr);
		return;
	}
	if (request_again(d, &key, b, n))
		return;
	if (tfind(&key, &d->jobs, job_cmp)) {
		d->stats.dropped_duplicate++;
		pp_dbg("Tftp: repeated request from %s:%u ignored", addr,
		       ntohs(from->sin_port));
		return;
	}
	d->stats.requests++;
	j = calloc(1, sizeof(*j));
	if (!j)
		return;
	j->d = d;
	j->addr = key.addr;
	j->port = key.port;
	j->asked = asked;
	j->fd = -1;
	j->l.fn = on_entry;
	rc = tftp_parse_request(b, n, &j->req);
	if (rc) {
		d->stats.denied_bad_request++;
		pp_notice("Tftp: bad request from %s: %s", addr, tftp_strerror(rc));
		error69(d, j->asked, j->addr, j->port,
			rc == TFTP_P_OPTION_VALUE || rc == TFTP_P_OPTION_DUPLICATE ?
			TFTP_EOPTNEG : rc == TFTP_P_FILENAME_PATH ||
			rc == TFTP_P_FILENAME_CHARS ? TFTP_EACCESS : TFTP_EBADOP,
			tftp_strerror(rc));
		free(j);
		return;
	}
	if (j->req.opcode == TFTP_WRQ) {
		d->stats.denied_write++;
		pp_notice("Tftp: write request for %s from %s refused", j->req.filename, addr);
		error69(d, j->asked, j->addr, j->port, TFTP_EACCESS, "write requests are not accepted");
		free(j);
		return;
	}
	pp_info("Tftp: RRQ %s from %s:%u", j->req.filename, addr, ntohs(j->port));
	if (d->njobs >= d->conf.max_transfers) {
		d->stats.refused_busy++;
		pp_notice("Tftp: %s from %s refused: %llu transfers in progress",
			  j->req.filename, addr, (unsigned long long)d->njobs);
		error69(d, j->asked, j->addr, j->port, TFTP_EUNDEF, "server busy, try again");
		free(j);
		return;
	}
	if (slots_held(&d->slots, j->addr) >= d->slots.per_addr) {
		d->stats.refused_per_address++;
		pp_notice("Tftp: %s from %s refused: %u transfers in progress from this address (maxtransfers peraddress)",
			  j->req.filename, addr, slots_held(&d->slots, j->addr));
		error69(d, j->asked, j->addr, j->port, TFTP_EUNDEF,
			"too many transfers from this address, try again");
		free(j);
		return;
	}
	tftp_classify(j->req.filename, &j->fc);
	nl = d->have_cfg ? pp_follow_nl(d->follow) : NULL;
	j->cfg = d->cfg;
	if (!nl) {
		pp_err("Tftp: %s from %s: the phoneproxy module is not loaded",
		       j->req.filename, addr);
		error69(d, j->asked, j->addr, j->port, TFTP_EUNDEF, "proxy not ready");
		free(j);
		return;
	}
	rc = find_user(d, nl, j);
	if (rc) {
		if (rc == -2)
			error69(d, j->asked, j->addr, j->port, TFTP_EUNDEF, "proxy error, see its log");
		free(j);
		return;
	}
	tftpd_decide(&j->fc, j->user[0] ? j->sid : NULL, &j->dec);
	secure_decide(j);
	if (j->dec.verdict == TFTPD_DENY || j->dec.verdict == TFTPD_NOT_FOUND) {
		count_reason(d, j->dec.reason);
		if (j->dec.verdict == TFTPD_DENY)
			pp_notice("Tftp: denied %s addr=%s file=%s: %s", who(j), addr,
				  j->req.filename, j->dec.why);
		else
			pp_info("Tftp: file not found for %s addr=%s file=%s: %s",
				who(j), addr, j->req.filename, j->dec.why);
		error69(d, j->asked, j->addr, j->port,
			j->dec.verdict == TFTPD_DENY ? TFTP_EACCESS : TFTP_ENOTFOUND,
			j->dec.verdict == TFTPD_DENY ? j->dec.why : "file not found");
		free(j);
		return;
	}
	if (!tsearch(j, &d->jobs, job_cmp)) {
		free(j->own);
		free(j);
		return;
	}
	d->njobs++;
	j->slot = slots_take(&d->slots, j->addr);
	j->life = evtimer_new(d->base, on_lifetime, j);
	if (!j->slot || !j->life || evtimer_add(j->life, &life)) {
		job_error69(j, TFTP_EUNDEF, "out of memory");
		return;
	}
	if (j->local) {
		start_xfer(j);
		return;
	}
	/* The CallManager's own spelling of device files: SEP + upper case. */
	tftp_canonical_name(j->sign ? j->plain : j->req.filename, upname);
	j->e = cache_get(d, j->cm, upname, j->cfg.south_addr, &how);
	if (!j->e) {
		job_error69(j, TFTP_EUNDEF, "out of memory");
		return;
	}
	if (!strcmp(how, "hit"))
		d->stats.cache_hits++;
	else if (!strcmp(how, "coalesced"))
		d->stats.cache_coalesced++;
	else
		d->stats.cache_misses++;
	pp_dbg("Tftp: %s for %s %s from CallManager %s: cache %s", j->req.filename,
	       addr, who(j), tftpd_ip(j->cm), how);
	try_start(j);
}

static void on_69(evutil_socket_t fd, short what, void *arg)
{
	struct tftpd *d = arg;
	unsigned char b[TFTP_REQUEST_MAX + 1];
	uint32_t asked = fd == d->fd69v ? d->bound_vaddr : d->bound_addr;
	int i;

	(void)what;
	/* A few at a time, so a flood cannot starve the transfers. */
	for (i = 0; i < 32; i++) {
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(fd, b, sizeof(b), MSG_DONTWAIT,
				     (struct sockaddr *)&from, &flen);
		uint16_t op;

		if (n < 0)
			return;
		if (flen != sizeof(from) || from.sin_family != AF_INET)
			continue;
		op = tftp_opcode(b, (size_t)n);
		if (op != TFTP_RRQ && op != TFTP_WRQ) {
			/* Strays to port 69 (an ACK, junk) get no answer. */
			pp_dbg("Tftp: packet with opcode %u from %s to port 69 ignored",
			       op, tftpd_ip(from.sin_addr.s_addr));
			continue;
		}
		on_request(d, b, (size_t)n, &from, asked);
	}
}

/*
 * A port-69 listener (the north address's, or the heartbeat pair's virtual
 * north): closed and opened again on addr:port when either changed (addr
 * 0: closed). what names it in the log ("" or "virtual north ").
 */
static void relisten(struct tftpd *d, int *fd69, struct event **ev69, uint32_t *bound_addr,
		     uint16_t *bound_port, uint32_t addr, uint16_t port, bool freebind,
		     const char *what)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = addr };
	int fd, one = 1;

	if (addr == *bound_addr && port == *bound_port)
		return;
	if (*ev69) {
		event_free(*ev69);
		*ev69 = NULL;
	}
	if (*fd69 >= 0) {
		close(*fd69);
		*fd69 = -1;
		pp_notice("Tftp: stopped listening on %s%s:%u", what, tftpd_ip(*bound_addr),
			  *bound_port);
	}
	*bound_addr = 0;
	*bound_port = 0;
	if (!addr)
		return;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if ((freebind && setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one)) < 0) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		pp_err("Tftp: cannot listen on %s%s:%u: %s", what, tftpd_ip(addr), port,
		       strerror(errno));
		close(fd);
		return;
	}
	*ev69 = event_new(d->base, fd, EV_READ | EV_PERSIST, on_69, d);
	if (!*ev69 || event_add(*ev69, NULL)) {
		if (*ev69)
			event_free(*ev69);
		*ev69 = NULL;
		close(fd);
		return;
	}
	*fd69 = fd;
	*bound_addr = addr;
	*bound_port = port;
	pp_notice("Tftp: listening on %s%s:%u", what, tftpd_ip(addr), port);
}

void serve_rebind(struct tftpd *d, const struct pp_config *cfg)
{
	uint32_t addr = pp_cfg_has(cfg, PP_A_CFG_NORTH_ADDR) ? cfg->north_addr : 0;
	uint32_t vaddr = pp_cfg_has(cfg, PP_A_CFG_VIRT_NORTH_ADDR) ? cfg->virt_north_addr : 0;
	uint16_t port = pp_cfg_has(cfg, PP_A_CFG_TFTP_PORT) ? cfg->tftp_port :
			PP_DEFAULT_TFTP_PORT;

	/*
	 * The heartbeat pair's virtual north address (docs/heartbeat.md):
	 * bound with IP_FREEBIND whether or not keepalived has put it on
	 * this node, so requests are served from the moment it arrives,
	 * with no rebinding.
	 */
	relisten(d, &d->fd69v, &d->ev69v, &d->bound_vaddr, &d->bound_vport, vaddr, port,
		 true, "virtual north ");
	relisten(d, &d->fd69, &d->ev69, &d->bound_addr, &d->bound_port, addr, port, false, "");
}

/* ---- the mapping of a phone just activated (docs/cluster.md) ---- */

/*
 * At most this many of those fetches at a time; the rest wait in order
 * (a snapshot applying thousands of activations must not send as many
 * requests to the CallManager at once).
 */
#define MAPJOBS_RUNNING_MAX	16

struct mapjob {
	struct tftpd *d;
	struct listener l;
	struct centry *e;		/* NULL while waiting */
	uint32_t cm;
	char name[TFTP_FILENAME_MAX + 1];
	char user[PP_NAME_MAX];
	char who[PP_NAME_MAX + 40];
	uint32_t addr;
	TAILQ_ENTRY(mapjob) link;
};

static void mapjob_free(struct mapjob *m)
{
	TAILQ_REMOVE(&m->d->mapjobs, m, link);
	if (m->e) {
		m->d->mapjobs_running--;
		cache_unlisten(m->e, &m->l);
		cache_put(m->e);
	}
	free(m);
}

static void on_map_entry(struct listener *l, struct centry *e);

/* Start waiting fetches while fewer than the maximum run. */
static void mapjobs_next(struct tftpd *d)
{
	struct mapjob *m;
	const char *how;

	if (d->mapjobs_starting)
		return;		/* the loop below goes on */
	d->mapjobs_starting = true;
	while (d->mapjobs_running < MAPJOBS_RUNNING_MAX) {
		TAILQ_FOREACH(m, &d->mapjobs, link)
			if (!m->e)
				break;
		if (!m)
			break;
		m->e = cache_get(d, m->cm, m->name, d->cfg.south_addr, &how);
		if (!m->e) {
			mapjob_free(m);
			continue;
		}
		d->mapjobs_running++;
		pp_dbg("Tftp: activation of %s at %s: %s from CallManager %s (%s) for its mapping",
		       m->who, tftpd_ip(m->addr), m->name, tftpd_ip(m->cm), how);
		on_map_entry(&m->l, m->e);
	}
	d->mapjobs_starting = false;
}

/* The file is in: the mapping, as the phone's own fetch would make it. */
static void mapjob_apply(struct mapjob *m)
{
	struct tftpd *d = m->d;
	char nodes[PP_SCCP_PROXY_MAX][PP_IPV4_STRLEN], why[512];
	uint32_t naddr[PP_SCCP_PROXY_MAX];
	struct cnf_params p = { 0 };
	struct cnf_result r;
	int nn, self, i;

	nn = nodes_of_user(&d->nodes, m->user, d->cfg.north_addr, naddr, &self);
	if (nn <= 0 || self < 0)
		return;
	for (i = 0; i < nn; i++) {
		pp_ipv4_str(naddr[i], nodes[i]);
		p.nodes[i] = nodes[i];
	}
	p.nnodes = (size_t)nn;
	p.sccp_port = d->cfg.sccp_port ? d->cfg.sccp_port : 2000;
	if (m->e->len > d->conf.max_config_size ||
	    cnf_rewrite((const char *)m->e->data, m->e->len, &p, &r, why, sizeof(why))) {
		if (m->e->len > d->conf.max_config_size)
			snprintf(why, sizeof(why), "larger than maxconfigsize");
		pp_notice("Tftp: activation of %s: cannot read %s from CallManager %s: %s; no CallManager mapped here",
			  m->who, m->e->name, tftpd_ip(m->e->cm), why);
		return;
	}
	map_ccm(d, m->user, m->addr, m->who, &p, &r, self);
	free(r.data);
}

static void on_map_entry(struct listener *l, struct centry *e)
{
	struct mapjob *m = (struct mapjob *)(void *)((char *)l - offsetof(struct mapjob, l));

	if (e->state == CE_FETCHING) {
		cache_listen(e, l);
		return;
	}
	if (e->state == CE_DONE)
		mapjob_apply(m);
	else
		pp_notice("Tftp: activation of %s: %s from CallManager %s: %s; no CallManager mapped here",
			  m->who, e->name, tftpd_ip(e->cm), e->err_msg);
	{
		struct tftpd *d = m->d;

		mapjob_free(m);
		mapjobs_next(d);
	}
}

void serve_on_event(struct tftpd *d, const struct pp_event_info *ev)
{
	uint32_t naddr[PP_SCCP_PROXY_MAX], cm;
	struct pp_user_state u;
	struct mapjob *m;
	struct pp_nl *nl;
	const char *why;
	int nn, self;

	if (!ev || ev->type != PP_EVENT_ACTIVATED || !d->have_cfg || !d->cfg.south_addr)
		return;
	nn = nodes_of_user(&d->nodes, ev->name, d->cfg.north_addr, naddr, &self);
	if (nn <= 0 || self < 0)
		return;		/* no cluster, or not one of this user's nodes */
	nl = pp_follow_nl(d->follow);
	if (!nl)
		return;
	if (pp_user_get(nl, ev->name, 0, &u)) {
		pp_notice("Tftp: activation of user=%s: %s", ev->name, pp_nl_error(nl));
		return;
	}
	why = ccm_addr(d, nl, u.ccm, &cm);
	if (why) {
		pp_notice("Tftp: activation of user=%s: CallManager \"%s\": %s", ev->name, u.ccm, why);
		return;
	}
	/* One waiting fetch per user: a later activation replaces the address. */
	TAILQ_FOREACH(m, &d->mapjobs, link) {
		if (!m->e && !strcmp(m->user, ev->name)) {
			m->addr = ev->addr;
			return;
		}
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return;
	m->d = d;
	m->addr = ev->addr;
	m->cm = cm;
	m->l.fn = on_map_entry;
	snprintf(m->name, sizeof(m->name), "%s.cnf.xml", ev->sid);
	snprintf(m->user, sizeof(m->user), "%s", ev->name);
	snprintf(m->who, sizeof(m->who), "user=%s sid=%s", ev->name, ev->sid);
	TAILQ_INSERT_TAIL(&d->mapjobs, m, link);
	mapjobs_next(d);
}

int serve_init(struct tftpd *d)
{
	d->fd69 = -1;
	d->fd69v = -1;
	d->jobs = NULL;
	d->njobs = 0;
	return 0;
}

void serve_fini(struct tftpd *d)
{
	while (!TAILQ_EMPTY(&d->mapjobs))
		mapjob_free(TAILQ_FIRST(&d->mapjobs));
	tdestroy(d->jobs, free_job_node);
	d->jobs = NULL;
	d->njobs = 0;
	if (d->ev69)
		event_free(d->ev69);
	if (d->fd69 >= 0)
		close(d->fd69);
	d->ev69 = NULL;
	d->fd69 = -1;
	relisten(d, &d->fd69v, &d->ev69v, &d->bound_vaddr, &d->bound_vport, 0, 0, true,
		 "virtual north ");
}
