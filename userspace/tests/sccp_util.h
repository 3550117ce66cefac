/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Helpers shared by test_sccp, test_sccp_stream and fuzz_sccp: a
 * deterministic rewrite policy, the reference rewrite of a whole byte
 * stream (PDU by PDU with sccp_decode(), no segmentation involved) that
 * the stream tracker's output is compared with, and file loading.
 */
#ifndef PP_SCCP_UTIL_H
#define PP_SCCP_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sccp.h"
#include "sccp_stream.h"

/*
 * The replacement of endpoint @ep of the @pdu_no-th PDU: decided from
 * what is known when the field's first byte leaves, whatever the
 * segmentation (role, index, PDU number), never from the original value.
 */
__attribute__((unused))
static void policy_addr(const struct sccp_ep *ep, unsigned int pdu_no,
			struct sccp_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->type = SCCP_IPTYPE_V4;
	a->ip[0] = 203;
	a->ip[1] = 0;
	a->ip[2] = 113;
	a->ip[3] = (u8)(ep->role * 16 + ep->index);
	a->port = 30000 + pdu_no;
	a->rtcp_port = a->port + 1;
}

/*
 * Reference rewrite of @len bytes of stream @in into @out (same length):
 * every endpoint of every complete PDU gets policy_addr(). Stops at the
 * first framing error or incomplete PDU; returns the offset where it
 * stopped (@len when the whole stream was walked). *@pdus gets the number
 * of PDUs walked; @starts, when not NULL, their offsets (up to @max).
 */
__attribute__((unused))
static size_t ref_rewrite(const u8 *in, size_t len, u8 *out, u8 hint,
			  unsigned int *pdus, size_t *starts, size_t max)
{
	struct sccp_addr a;
	struct sccp_msg m;
	size_t off = 0;
	unsigned int n = 0, i;
	int err;

	memcpy(out, in, len);
	while (off < len) {
		err = sccp_decode(in + off, len - off, hint, &m);
		if (err && err != SCCP_E_TRUNCATED)
			break;
		if (starts && n < max)
			starts[n] = off;
		for (i = 0; i < m.n_ep; i++) {
			policy_addr(&m.ep[i], n, &a);
			sccp_ep_encode(&m.ep[i], &a, out + off + m.ep[i].off);
		}
		n++;
		off += m.hdr.size;
	}
	if (pdus)
		*pdus = n;
	return off;
}

/* The whole file, malloc()ed; NULL on error. */
__attribute__((unused))
static u8 *load_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf = NULL;
	long sz;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)sz + 1);
		if (buf && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)sz;
	}
	fclose(f);
	return buf;
}

/* The captured streams extracted by data/sccp/extract.py. */
__attribute__((unused))
static const char *const sccp_fixtures[] = {
	"cucm-modern-v20-call.0.c2s",
	"cucm-modern-v20-call.0.s2c",
	"cucm-modern-v20-call.1.c2s",
	"cucm-modern-v20-call.1.s2c",
	"cucm4-call-7912.0.c2s",
	"cucm4-call-7912.0.s2c",
};

#define SCCP_NFIXTURES (sizeof(sccp_fixtures) / sizeof(sccp_fixtures[0]))

#endif /* PP_SCCP_UTIL_H */
