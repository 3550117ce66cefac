// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * A minimal TFTP reader (RFC 1350) on the libevent loop, and the
 * CallManager address of a phone configuration file.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "parse.h"
#include "tftpc.h"

#define OP_RRQ		1
#define OP_DATA		3
#define OP_ACK		4
#define OP_ERROR	5
#define BLOCK		512

struct tftpc {
	struct event_base *base;
	int fd;
	struct event *rd, *timer;
	uint32_t server_ip;
	uint16_t server_port;		/* 69, then the transfer port */
	bool latched;
	uint16_t block;			/* last block received */
	uint8_t pkt[600];		/* the last packet sent */
	size_t pkt_len;
	unsigned int timeout_ms, tries, left;
	uint8_t *data;
	size_t len;
	bool finished;
	tftpc_done_fn done;
	void *arg;
};

static void finish(struct tftpc *t, int err, const char *why)
{
	if (t->finished)
		return;
	t->finished = true;
	event_del(t->rd);
	event_del(t->timer);
	t->done(t->arg, err, why, t->data, t->len);
}

static void send_pkt(struct tftpc *t)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = t->timeout_ms / 1000,
			      .tv_usec = (t->timeout_ms % 1000) * 1000 };

	to.sin_addr.s_addr = t->server_ip;
	to.sin_port = htons(t->server_port);
	sendto(t->fd, t->pkt, t->pkt_len, 0, (struct sockaddr *)&to, sizeof(to));
	event_add(t->timer, &tv);
}

static void send_ack(struct tftpc *t, uint16_t block)
{
	t->pkt[0] = 0;
	t->pkt[1] = OP_ACK;
	t->pkt[2] = block >> 8;
	t->pkt[3] = block;
	t->pkt_len = 4;
	t->left = t->tries;
	send_pkt(t);
}

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct tftpc *t = arg;

	(void)fd;
	(void)what;
	if (!t->left--) {
		finish(t, -ETIMEDOUT, "no answer from the TFTP server");
		return;
	}
	send_pkt(t);
}

/* An ERROR to a stranger that sent us a packet (RFC 1350: unknown TID). */
static void reject(struct tftpc *t, const struct sockaddr_in *from)
{
	static const uint8_t err[] = { 0, OP_ERROR, 0, 5, 'u', 'n', 'k', 'n',
				       'o', 'w', 'n', ' ', 'T', 'I', 'D', 0 };

	sendto(t->fd, err, sizeof(err), 0, (const struct sockaddr *)from,
	       sizeof(*from));
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	struct tftpc *t = arg;
	uint8_t buf[BLOCK + 4 + 1];
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	char why[128];
	uint16_t op, block;
	size_t n;
	ssize_t r;
	uint8_t *nd;

	(void)what;
	r = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &flen);
	if (r < 4)
		return;
	n = (size_t)r;
	if (from.sin_addr.s_addr != t->server_ip ||
	    (t->latched && ntohs(from.sin_port) != t->server_port)) {
		reject(t, &from);
		return;
	}
	op = (uint16_t)(buf[0] << 8 | buf[1]);
	block = (uint16_t)(buf[2] << 8 | buf[3]);
	if (op == OP_ERROR) {
		buf[n] = '\0';
		snprintf(why, sizeof(why), "TFTP error %u: %.80s", block,
			 (const char *)buf + 4);
		finish(t, -EPROTO, why);
		return;
	}
	if (op != OP_DATA || n > BLOCK + 4)
		return;
	if (!t->latched) {
		t->latched = true;
		t->server_port = ntohs(from.sin_port);
	}
	if (block == t->block) {		/* our ACK was lost */
		send_ack(t, block);
		return;
	}
	if (block != (uint16_t)(t->block + 1))
		return;
	n -= 4;
	if (t->len + n > TFTPC_MAX_FILE) {
		finish(t, -EFBIG, "file larger than 1 MiB");
		return;
	}
	if (n) {
		nd = realloc(t->data, t->len + n);
		if (!nd) {
			finish(t, -ENOMEM, "out of memory");
			return;
		}
		t->data = nd;
		memcpy(t->data + t->len, buf + 4, n);
		t->len += n;
	}
	t->block = block;
	send_ack(t, block);
	if (n < BLOCK) {
		/* The last ACK may be lost: the server retransmits, nobody
		 * cares (RFC 1350 "dallying" is optional). */
		finish(t, 0, NULL);
	}
}

int tftpc_start(struct tftpc **out, struct event_base *base, uint32_t bind_ip,
		uint32_t server_ip, uint16_t port, const char *file,
		unsigned int timeout_ms, unsigned int tries,
		tftpc_done_fn done, void *arg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	size_t flen = strlen(file);
	struct tftpc *t;
	int e;

	if (flen + 2 + sizeof("octet") > sizeof(t->pkt))
		return -ENAMETOOLONG;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->base = base;
	t->server_ip = server_ip;
	t->server_port = port;
	t->timeout_ms = timeout_ms ? timeout_ms : 1000;
	t->tries = tries;
	t->left = tries;
	t->done = done;
	t->arg = arg;
	t->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0) {
		e = -errno;
		free(t);
		return e;
	}
	sa.sin_addr.s_addr = bind_ip;
	if (bind(t->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		e = -errno;
		goto fail;
	}
	t->rd = event_new(base, t->fd, EV_READ | EV_PERSIST, on_read, t);
	t->timer = event_new(base, -1, 0, on_timeout, t);
	if (!t->rd || !t->timer || event_add(t->rd, NULL)) {
		e = -ENOMEM;
		goto fail;
	}
	t->pkt[0] = 0;
	t->pkt[1] = OP_RRQ;
	memcpy(t->pkt + 2, file, flen + 1);
	memcpy(t->pkt + 3 + flen, "octet", sizeof("octet"));
	t->pkt_len = 3 + flen + sizeof("octet");
	send_pkt(t);
	*out = t;
	return 0;
fail:
	tftpc_free(t);
	return e;
}

void tftpc_free(struct tftpc *t)
{
	if (!t)
		return;
	if (t->rd)
		event_free(t->rd);
	if (t->timer)
		event_free(t->timer);
	if (t->fd >= 0)
		close(t->fd);
	free(t->data);
	free(t);
}

/* ------------------------------------------------------------------ */
/* The configuration file */

static bool named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static const xmlNode *find(const xmlNode *n, const char *name)
{
	const xmlNode *c, *r;

	for (c = n ? n->children : NULL; c; c = c->next) {
		if (named(c, name))
			return c;
		r = find(c, name);
		if (r)
			return r;
	}
	return NULL;
}

/* The element's text without surrounding white space, into @buf. */
static void text(const xmlNode *n, char *buf, size_t len)
{
	xmlChar *s = n ? xmlNodeGetContent(n) : NULL;
	const char *p = (const char *)s, *e;
	size_t k;

	buf[0] = '\0';
	if (!s)
		return;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	e = p + strlen(p);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		e--;
	k = (size_t)(e - p);
	if (k < len) {
		memcpy(buf, p, k);
		buf[k] = '\0';
	}
	xmlFree(s);
}

int sim_cnf_callmanager(const uint8_t *data, size_t len, char *host,
			size_t hostlen, uint16_t *port, const char **why)
{
	const xmlNode *group, *members, *m;
	uint64_t best = UINT64_MAX, prio, v;
	char name[256], num[16];
	xmlChar *attr;
	xmlDoc *doc;
	int rc = -1;

	if (len > TFTPC_MAX_FILE) {
		*why = "file too big";
		return -1;
	}
	doc = xmlReadMemory((const char *)data, (int)len, "cnf.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	if (!doc) {
		*why = "not well-formed XML";
		return -1;
	}
	group = find((const xmlNode *)doc, "callManagerGroup");
	if (!group) {
		*why = "no callManagerGroup";
		goto out;
	}
	*why = "no callManagerGroup member with a processNodeName";
	members = find(group, "members");
	for (m = members ? members->children : NULL; m; m = m->next) {
		if (!named(m, "member"))
			continue;
		attr = xmlGetProp(m, (const xmlChar *)"priority");
		prio = UINT64_MAX - 1;
		if (attr && pp_parse_uint((const char *)attr, 0, UINT32_MAX,
					  &v) == 0)
			prio = v;
		xmlFree(attr);
		if (prio >= best)
			continue;
		text(find(m, "processNodeName"), name, sizeof(name));
		if (!name[0] || strlen(name) >= hostlen)
			continue;
		text(find(m, "ethernetPhonePort"), num, sizeof(num));
		if (!num[0]) {
			v = 2000;
		} else if (pp_parse_uint(num, 1, 65535, &v)) {
			*why = "ethernetPhonePort is not a port number";
			rc = -1;
			goto out;
		}
		best = prio;
		memcpy(host, name, strlen(name) + 1);
		*port = (uint16_t)v;
		rc = 0;
	}
out:
	xmlFreeDoc(doc);
	return rc;
}
