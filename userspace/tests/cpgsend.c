// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * cpgsend: a test sender of bad messages to pp-clusterd's CPG group
 * (selftests/phoneproxy/cluster.sh), through libcpg like pp-clusterd:
 *
 *	cpgsend GROUP garbage			bytes that are no message
 *	cpgsend GROUP forged NODE USER ADDR	a well-formed activation that
 *						claims to come from node NODE
 *	cpgsend GROUP certs UUID TFTP CAPF	this node's CERTS message with
 *						the certificates of two PEM files
 *	cpgsend GROUP ctl DIR			this node's CTL message with the
 *						CTL files of DIR, unchecked
 *
 * It joins the group, multicasts in agreed order, waits until its own
 * message is delivered back (so every member has it), and leaves.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <corosync/cpg.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cluster.h"

/* The certificate of a PEM file, DER (malloc'd by OpenSSL): its length. */
static int pem_der(const char *path, unsigned char **der)
{
	FILE *f = fopen(path, "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	int len = x ? i2d_X509(x, der) : -1;

	if (f)
		fclose(f);
	X509_free(x);
	return len;
}

static int delivered;

static void on_deliver(cpg_handle_t h, const struct cpg_name *group, uint32_t node,
		       uint32_t pid, void *msg, size_t len)
{
	(void)h;
	(void)group;
	(void)node;
	(void)msg;
	(void)len;
	if (pid == (uint32_t)getpid())
		delivered = 1;
}

static cpg_callbacks_t cb = { .cpg_deliver_fn = on_deliver };

int main(int argc, char **argv)
{
	static unsigned char buf[PP_CLUSTER_MSG_MAX];
	struct pp_cluster_msg m = { .type = PP_CLUSTER_ACTIVATE, .seq = 1 };
	struct cpg_name name = { 0 };
	struct iovec iov = { .iov_base = buf };
	unsigned char *der[2] = { NULL, NULL }, *set = NULL;
	unsigned int local = 0;
	size_t set_len = 0;
	cpg_handle_t h;
	char err[256];
	long len = 0;
	int fd, i;

	if (argc >= 3 && (!strcmp(argv[2], "certs") || !strcmp(argv[2], "ctl"))) {
		/* Encoded once joined: the node id is this node's. */
		if (!strcmp(argv[2], "certs") && argc == 6) {
			int l0 = pem_der(argv[4], &der[0]), l1 = pem_der(argv[5], &der[1]);

			if (l0 <= 0 || l1 <= 0) {
				fprintf(stderr, "cpgsend: %s, %s: not PEM certificates\n", argv[4],
					argv[5]);
				return 2;
			}
			m.type = PP_CLUSTER_CERTS;
			snprintf(m.uuid, sizeof(m.uuid), "%s", argv[3]);
			m.cert[0] = der[0];
			m.cert_len[0] = (uint16_t)l0;
			m.cert[1] = der[1];
			m.cert_len[1] = (uint16_t)l1;
		} else if (!strcmp(argv[2], "ctl") && argc == 4) {
			if (pp_cluster_ctl_read(argv[3], &set, &set_len, err, sizeof(err)) ||
			    set_len > PP_CLUSTER_FILE_CHUNK) {
				fprintf(stderr, "cpgsend: %s: %s\n", argv[3],
					set ? "more than one part" : err);
				return 2;
			}
			m.type = PP_CLUSTER_CTL;
			m.parts = 1;
			m.total = m.len = (uint32_t)set_len;
			m.bytes = set;
		} else {
			fprintf(stderr, "usage: cpgsend GROUP certs UUID TFTP CAPF | cpgsend GROUP ctl DIR\n");
			return 2;
		}
	} else if (argc == 3 && !strcmp(argv[2], "garbage")) {
		static const char g[] = "PPCL\x07 this is not a pp-clusterd message";

		memcpy(buf, g, sizeof(g));
		len = sizeof(g);
	} else if (argc == 6 && !strcmp(argv[2], "forged")) {
		m.node = (uint32_t)strtoul(argv[3], NULL, 10);
		m.time_ms = (uint64_t)time(NULL) * 1000;
		snprintf(m.user.name, sizeof(m.user.name), "%s", argv[4]);
		if (inet_pton(AF_INET, argv[5], &m.user.addr) != 1) {
			fprintf(stderr, "cpgsend: %s: not an IPv4 address\n", argv[5]);
			return 2;
		}
		len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
		if (len < 0) {
			fprintf(stderr, "cpgsend: %s\n", err);
			return 2;
		}
	} else {
		fprintf(stderr, "usage: cpgsend GROUP garbage | cpgsend GROUP forged NODE USER ADDR\n");
		return 2;
	}
	iov.iov_len = (size_t)len;
	name.length = (uint32_t)strlen(argv[1]);
	if (name.length >= sizeof(name.value)) {
		fprintf(stderr, "cpgsend: group name too long\n");
		return 2;
	}
	memcpy(name.value, argv[1], name.length);
	if (cpg_initialize(&h, &cb) != CS_OK || cpg_fd_get(h, &fd) != CS_OK ||
	    cpg_join(h, &name) != CS_OK) {
		fprintf(stderr, "cpgsend: cannot join CPG group %s (is corosync running?)\n", argv[1]);
		return 1;
	}
	if (m.type == PP_CLUSTER_CERTS || m.type == PP_CLUSTER_CTL) {
		if (cpg_local_get(h, &local) != CS_OK) {
			fprintf(stderr, "cpgsend: no local node id\n");
			return 1;
		}
		m.node = m.owner = local;
		m.time_ms = (uint64_t)time(NULL) * 1000;
		len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
		OPENSSL_free(der[0]);
		OPENSSL_free(der[1]);
		free(set);
		if (len < 0) {
			fprintf(stderr, "cpgsend: %s\n", err);
			return 2;
		}
		iov.iov_len = (size_t)len;
	}
	for (i = 0; i < 100 && cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1) == CS_ERR_TRY_AGAIN; i++)
		usleep(10000);
	for (i = 0; i < 50 && !delivered; i++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 100) > 0 && cpg_dispatch(h, CS_DISPATCH_ALL) != CS_OK)
			break;
	}
	cpg_leave(h, &name);
	cpg_finalize(h);
	if (!delivered) {
		fprintf(stderr, "cpgsend: the message was not delivered back within 5 s\n");
		return 1;
	}
	return 0;
}
