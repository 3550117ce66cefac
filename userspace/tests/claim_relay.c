// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * claim_relay: a test-only, plaintext stand-in for the TLS terminator
 * (pp-tlsd), for selftests/phoneproxy/sccp_claim.sh. It does what the
 * terminator does with the kernel, without TLS: accepts TCP on the north
 * address, binds a socket on the south address, hands the connection to
 * the SCCP proxy with pp_nl_sccp_claim(), connects where the reply says
 * and copies bytes both ways (one libevent loop, bufferevents).
 *
 *   claim_relay relay LISTEN_ADDR:PORT SOUTH_ADDR [DEVICE]
 *	Prints "claimed peer=A:P local=S:L ccm=C:P" per connection,
 *	"refused peer=A:P errno=N msg=..." when the claim is refused (the
 *	phone's connection is then reset), "closed peer=A:P side=ccm|phone
 *	reason=..." when a side ends (the other is closed with a RST when
 *	the end was a reset).
 *   claim_relay claim PEER_ADDR PEER_PORT LOCAL_PORT [DEVICE]
 *	One claim, no connection: prints "ccm=C:P" (exit 0) or
 *	"errno=N msg=..." (exit 1).
 *   claim_relay claims PEER_ADDR PEER_PORT LOCAL_PORT...
 *	One claim per local port, back to back (well within the claim's
 *	PP_CLAIM_TIMEOUT), one line each as above; exit 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "nl.h"
#include "ops.h"

struct relay {
	struct event_base *base;
	struct pp_nl *nl;
	struct in_addr south;
	const char *device;
};

struct pair {
	struct bufferevent *phone, *ccm;
	char peer[INET_ADDRSTRLEN + 8];
};

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* Close @bev; with @rst a RST (SO_LINGER 0) instead of a FIN. */
static void close_bev(struct bufferevent *bev, int rst)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (!bev)
		return;
	if (rst)
		setsockopt(bufferevent_getfd(bev), SOL_SOCKET, SO_LINGER,
			   &lg, sizeof(lg));
	bufferevent_free(bev);
}

static void pair_read(struct bufferevent *bev, void *arg)
{
	struct pair *p = arg;
	struct bufferevent *to = bev == p->phone ? p->ccm : p->phone;

	evbuffer_add_buffer(bufferevent_get_output(to),
			    bufferevent_get_input(bev));
}

static void pair_event(struct bufferevent *bev, short what, void *arg)
{
	struct pair *p = arg;
	const char *side = bev == p->phone ? "phone" : "ccm";
	int err = EVUTIL_SOCKET_ERROR();
	int rst;

	if (what & BEV_EVENT_CONNECTED)
		return;
	rst = (what & BEV_EVENT_ERROR) != 0;
	out("closed peer=%s side=%s reason=\"%s\"\n", p->peer, side,
	    rst ? strerror(err) : "EOF");
	close_bev(p->phone, rst);
	close_bev(p->ccm, rst);
	free(p);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd,
		      struct sockaddr *sa, int salen, void *arg)
{
	struct sockaddr_in *peer = (struct sockaddr_in *)sa, local, ccm;
	struct relay *r = arg;
	socklen_t len = sizeof(local);
	struct pair *p;
	uint32_t ccm_addr;
	uint16_t ccm_port;
	char a[INET_ADDRSTRLEN];
	int s, err;

	(void)l;
	(void)salen;
	p = calloc(1, sizeof(*p));
	s = socket(AF_INET, SOCK_STREAM, 0);
	memset(&local, 0, sizeof(local));
	local.sin_family = AF_INET;
	local.sin_addr = r->south;
	if (!p || s < 0 || bind(s, (struct sockaddr *)&local, sizeof(local)) ||
	    getsockname(s, (struct sockaddr *)&local, &len)) {
		perror("claim_relay: south socket");
		goto fail;
	}
	snprintf(p->peer, sizeof(p->peer), "%s:%u",
		 inet_ntop(AF_INET, &peer->sin_addr, a, sizeof(a)),
		 ntohs(peer->sin_port));
	err = pp_nl_sccp_claim(r->nl, peer->sin_addr.s_addr,
			       ntohs(peer->sin_port), ntohs(local.sin_port),
			       r->device, &ccm_addr, &ccm_port);
	if (err) {
		out("refused peer=%s errno=%d msg=\"%s\"\n", p->peer, -err,
		    pp_nl_error(r->nl));
		goto fail;
	}
	memset(&ccm, 0, sizeof(ccm));
	ccm.sin_family = AF_INET;
	ccm.sin_addr.s_addr = ccm_addr;
	ccm.sin_port = htons(ccm_port);
	out("claimed peer=%s local=%s:%u ccm=%s:%u\n", p->peer,
	    inet_ntop(AF_INET, &local.sin_addr, a, sizeof(a)),
	    ntohs(local.sin_port), inet_ntoa(ccm.sin_addr), ccm_port);
	evutil_make_socket_nonblocking(fd);
	evutil_make_socket_nonblocking(s);
	p->phone = bufferevent_socket_new(r->base, fd, BEV_OPT_CLOSE_ON_FREE);
	p->ccm = bufferevent_socket_new(r->base, s, BEV_OPT_CLOSE_ON_FREE);
	if (!p->phone || !p->ccm) {
		fprintf(stderr, "claim_relay: no memory\n");
		exit(1);
	}
	bufferevent_setcb(p->phone, pair_read, NULL, pair_event, p);
	bufferevent_setcb(p->ccm, pair_read, NULL, pair_event, p);
	bufferevent_enable(p->phone, EV_READ | EV_WRITE);
	bufferevent_enable(p->ccm, EV_READ | EV_WRITE);
	if (bufferevent_socket_connect(p->ccm, (struct sockaddr *)&ccm,
				       sizeof(ccm)) < 0)
		pair_event(p->ccm, BEV_EVENT_ERROR, p);
	return;
fail:
	{
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	close(fd);
	if (s >= 0)
		close(s);
	free(p);
}

static int parse_addr(const char *s, struct in_addr *a)
{
	if (inet_pton(AF_INET, s, a) != 1) {
		fprintf(stderr, "claim_relay: %s: not an IPv4 address\n", s);
		return -1;
	}
	return 0;
}

static int relay(int argc, char **argv, struct pp_nl *nl)
{
	struct relay r = { .nl = nl };
	struct evconnlistener *l;
	struct sockaddr_in sin;
	char host[INET_ADDRSTRLEN];
	const char *colon;

	if (argc < 2 || !(colon = strchr(argv[0], ':')) ||
	    (size_t)(colon - argv[0]) >= sizeof(host)) {
		fprintf(stderr, "usage: claim_relay relay LISTEN_ADDR:PORT SOUTH_ADDR [DEVICE]\n");
		return 2;
	}
	memcpy(host, argv[0], colon - argv[0]);
	host[colon - argv[0]] = 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(atoi(colon + 1));
	if (parse_addr(host, &sin.sin_addr) || parse_addr(argv[1], &r.south))
		return 2;
	r.device = argc > 2 ? argv[2] : NULL;
	r.base = event_base_new();
	if (!r.base)
		return 1;
	l = evconnlistener_new_bind(r.base, on_accept, &r,
				    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE,
				    16, (struct sockaddr *)&sin, sizeof(sin));
	if (!l) {
		perror("claim_relay: listen");
		return 1;
	}
	out("listening %s\n", argv[0]);
	event_base_dispatch(r.base);
	evconnlistener_free(l);
	event_base_free(r.base);
	return 0;
}

/* One claim; prints its result. */
static int claim_one(struct pp_nl *nl, struct in_addr peer, int peer_port,
		     int local_port, const char *device)
{
	struct in_addr ccm;
	uint32_t ccm_addr;
	uint16_t ccm_port;
	int err;

	err = pp_nl_sccp_claim(nl, peer.s_addr, peer_port, local_port, device,
			       &ccm_addr, &ccm_port);
	if (err) {
		printf("errno=%d msg=\"%s\"\n", -err, pp_nl_error(nl));
		return 1;
	}
	ccm.s_addr = ccm_addr;
	printf("ccm=%s:%u\n", inet_ntoa(ccm), ccm_port);
	return 0;
}

static int claim(int argc, char **argv, struct pp_nl *nl, int many)
{
	struct in_addr peer;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: claim_relay claim PEER_ADDR PEER_PORT LOCAL_PORT [DEVICE]\n"
			"       claim_relay claims PEER_ADDR PEER_PORT LOCAL_PORT...\n");
		return 2;
	}
	if (parse_addr(argv[0], &peer))
		return 2;
	if (!many)
		return claim_one(nl, peer, atoi(argv[1]), atoi(argv[2]),
				 argc > 3 ? argv[3] : NULL);
	for (i = 2; i < argc; i++)
		claim_one(nl, peer, atoi(argv[1]), atoi(argv[i]), NULL);
	return 0;
}

int main(int argc, char **argv)
{
	struct pp_nl *nl;
	char err[256];
	int rc;

	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		fprintf(stderr, "usage: claim_relay relay|claim|claims ...\n");
		return 2;
	}
	if (pp_nl_open(&nl, err, sizeof(err)) < 0) {
		fprintf(stderr, "claim_relay: %s\n", err);
		return 1;
	}
	if (!strcmp(argv[1], "relay"))
		rc = relay(argc - 2, argv + 2, nl);
	else if (!strcmp(argv[1], "claim"))
		rc = claim(argc - 2, argv + 2, nl, 0);
	else if (!strcmp(argv[1], "claims"))
		rc = claim(argc - 2, argv + 2, nl, 1);
	else {
		fprintf(stderr, "claim_relay: %s: relay or claim\n", argv[1]);
		rc = 2;
	}
	pp_nl_close(nl);
	return rc;
}
