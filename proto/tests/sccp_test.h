/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * What the SCCP test cases (sccp_cases.h) and the stream tests need from
 * their harness, the same in the kernel (KUnit) and in userspace (TAP):
 * exact-size buffers, memory freed with the test, a failure description,
 * and the deterministic rewrite policy with the reference rewrite of a
 * whole stream that the stream tracker's output is compared with.
 */
#ifndef _PP_SCCP_TEST_H
#define _PP_SCCP_TEST_H

#ifdef __KERNEL__
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#else
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#endif

#include "sccp.h"

#ifndef __printf
#define __printf(a, b)		/* checked by the kernel build */
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* A captured stream (sccp_vectors.h): its bytes, PDUs and segments. */
struct pp_kt_sccp_pdu {
	u16 off;		/* offset in the stream */
	u16 id;			/* message id */
};

struct pp_kt_sccp_seg {
	u16 off;		/* offset in the stream */
	u16 len;
};

struct pp_kt_sccp_vec {
	const char *name;	/* capture.connection.direction */
	const u8 *data;
	u16 len;
	u16 n_pdus;
	u16 n_segs;
	const struct pp_kt_sccp_pdu *pdus;
	const struct pp_kt_sccp_seg *segs;	/* in capture order */
};

#define SCCP_T_WHY 160		/* bytes of a failure description */

/* @n bytes (at least one), zeroed, in a buffer of exactly that size. */
static inline void *sccp_t_alloc(size_t n)
{
#ifdef __KERNEL__
	return kzalloc(n ? n : 1, GFP_KERNEL);
#else
	return calloc(1, n ? n : 1);
#endif
}

static inline void sccp_t_free(void *p)
{
#ifdef __KERNEL__
	kfree(p);
#else
	free(p);
#endif
}

#ifdef __KERNEL__
/*
 * The description of a KUnit parameter @c (of type @ctype, a pointer):
 * the string its table's elements start with.
 */
#define SCCP_T_KUNIT_DESC(fn, ctype)					\
static void fn(ctype c, char *desc)					\
{									\
	const char * const *name = (const void *)c;			\
									\
	strscpy(desc, *name, KUNIT_PARAM_DESC_SIZE);			\
}

/*
 * A KUnit test expecting 0 of @call, which may use test (the struct
 * kunit) and why (the failure description).
 */
#define SCCP_T_KUNIT(fn, call)						\
static void fn(struct kunit *test)					\
{									\
	char why[SCCP_T_WHY] = "";					\
									\
	KUNIT_EXPECT_EQ_MSG(test, call, 0, "%s", why);			\
}

/* @n bytes, zeroed, freed when the test @t (a struct kunit) ends. */
static inline void *sccp_t_zalloc(void *t, size_t n)
{
	return kunit_kzalloc(t, n ? n : 1, GFP_KERNEL);
}
#else
/* What sccp_t_zalloc() gave the current test; sccp_t_zfree_all() frees it. */
struct sccp_t_zones {
	void *p[64];
	unsigned int n;
};

static inline struct sccp_t_zones *sccp_t_zones_get(void)
{
	static struct sccp_t_zones z;

	return &z;
}

static inline void *sccp_t_zalloc(void *t, size_t n)
{
	struct sccp_t_zones *z = sccp_t_zones_get();
	void *p;

	(void)t;
	if (z->n == ARRAY_SIZE(z->p))
		return NULL;
	p = calloc(1, n ? n : 1);
	if (p)
		z->p[z->n++] = p;
	return p;
}

static inline void sccp_t_zfree_all(void)
{
	struct sccp_t_zones *z = sccp_t_zones_get();

	while (z->n)
		free(z->p[--z->n]);
}
#endif

/* A copy of the first @n bytes of @p in a buffer of exactly @n bytes. */
static inline u8 *sccp_t_exact(const u8 *p, size_t n)
{
	u8 *b = sccp_t_alloc(n);

	if (b)
		memcpy(b, p, n);
	return b;
}

/*
 * Check @cond: when false, describe it in @why (unless a failure is
 * described there already). Returns 1 when @cond is false.
 */
static inline __printf(3, 4) int sccp_t_ck(char *why, bool cond,
					   const char *fmt, ...)
{
	va_list ap;

	if (cond)
		return 0;
	if (!why[0]) {
		va_start(ap, fmt);
		vsnprintf(why, SCCP_T_WHY, fmt, ap);
		va_end(ap);
	}
	return 1;
}

/*
 * The replacement of endpoint @ep of the @pdu_no-th PDU: decided from
 * what is known when its first byte leaves, whatever the segmentation,
 * never from the original value.
 */
static inline void sccp_t_policy(const struct sccp_ep *ep,
				 unsigned int pdu_no, struct sccp_addr *a)
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
 * The reference: @len bytes of @in rewritten into @out PDU by PDU with
 * sccp_decode() (@hint: the header version hint), no segmentation
 * involved, every endpoint getting sccp_t_policy(). Stops at the first
 * framing error or incomplete PDU and returns the offset where it
 * stopped (@len when the whole stream was walked); *@pdus gets the
 * number of PDUs walked, @starts (when not NULL) their offsets, up to
 * @max.
 */
static inline size_t sccp_t_reference(const u8 *in, size_t len, u8 *out,
				      u8 hint, struct sccp_msg *m,
				      unsigned int *pdus, size_t *starts,
				      size_t max)
{
	struct sccp_addr a;
	unsigned int n = 0, i;
	size_t off = 0;
	int err;

	memcpy(out, in, len);
	while (off < len) {
		err = sccp_decode(in + off, len - off, hint, m);
		if (err && err != SCCP_E_TRUNCATED)
			break;
		if (starts && n < max)
			starts[n] = off;
		for (i = 0; i < m->n_ep; i++) {
			sccp_t_policy(&m->ep[i], n, &a);
			sccp_ep_encode(&m->ep[i], &a, out + off + m->ep[i].off);
		}
		n++;
		off += m->hdr.size;
	}
	if (pdus)
		*pdus = n;
	return off;
}

#endif /* _PP_SCCP_TEST_H */
