// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The media relay: the RTP port allocator, the forwarding table against
 * a naive reference under random insertions, removals and lookups (the
 * pattern of WireGuard's allowedips self-test), the streams as the SCCP
 * proxy drives them, and the relay's decisions and header rewrites on
 * hand-built packets. media.c and relay.c are included for their static
 * functions; no hook is registered.
 */
#include "../media.c"
#include "../relay.c"

#include <asm/unaligned.h>
#include <linux/bottom_half.h>
#include <linux/prandom.h>

#include "pp_kunit.h"

#define NORTH	PP_KUNIT_ADDR(192, 0, 2, 1)
#define SOUTH	PP_KUNIT_ADDR(198, 51, 100, 1)
#define PHONE	PP_KUNIT_ADDR(192, 0, 2, 10)	/* behind its NAT router */
#define PHONE2	PP_KUNIT_ADDR(192, 0, 2, 20)
#define FAR	PP_KUNIT_ADDR(198, 51, 100, 20)	/* a phone on the voice VLAN */
#define MOH	PP_KUNIT_ADDR(198, 51, 100, 30)	/* a music-on-hold server */
#define STRANGER PP_KUNIT_ADDR(203, 0, 113, 9)

#define RTP_MIN	20480
#define RTP_MAX	21680

/* ---- The RTP port allocator ------------------------------------------ */

static struct pp_port_alloc *pp_kt_alloc(struct kunit *test)
{
	struct pp_port_alloc *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	return a;
}

static void pp_media_ports_even_within_range(struct kunit *test)
{
	struct pp_port_alloc *a = pp_kt_alloc(test);
	unsigned int i;
	int port;

	/* The default range holds 600 pairs: 20480/1 .. 21678/9. */
	for (i = 0; i < 600; i++) {
		port = pp_port_alloc(a, RTP_MIN, RTP_MAX);
		KUNIT_ASSERT_GE_MSG(test, port, RTP_MIN, "allocation %u", i);
		KUNIT_EXPECT_LE(test, port + 1, RTP_MAX);
		KUNIT_EXPECT_EQ(test, port % 2, 0);
	}
	KUNIT_EXPECT_EQ(test, a->used, 600U);
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, RTP_MIN, RTP_MAX), -ENOSPC);
}

static void pp_media_ports_odd_bounds_round_inwards(struct kunit *test)
{
	struct pp_port_alloc *a = pp_kt_alloc(test);

	int p1, p2;

	/* 20481..20486: RTP 20482 and 20484 (20486 would need 20487). */
	p1 = pp_port_alloc(a, 20481, 20486);
	p2 = pp_port_alloc(a, 20481, 20486);
	KUNIT_EXPECT_TRUE(test, p1 == 20482 || p1 == 20484);
	KUNIT_EXPECT_EQ(test, p1 + p2, 20482 + 20484);
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 20481, 20486), -ENOSPC);
	/* Two ports that are not a pair: nothing. */
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 30001, 30002), -ENOSPC);
	/* The smallest range: one pair. */
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 30000, 30001), 30000);
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 30000, 30001), -ENOSPC);
	/* Port 0 is never handed out, whatever the range. */
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 0, 3), 2);
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 0, 3), -ENOSPC);
}

static void pp_media_ports_exhaustion_then_reuse_after_release(struct kunit *test)
{
	struct pp_port_alloc *a = pp_kt_alloc(test);
	int ports[8], i;

	/* 20480..20495: eight pairs. */
	for (i = 0; i < 8; i++) {
		ports[i] = pp_port_alloc(a, 20480, 20495);
		KUNIT_ASSERT_GE(test, ports[i], 20480);
	}
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 20480, 20495), -ENOSPC);
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 20480, 20495), -ENOSPC);

	/* Each released pair is the one that comes back. */
	for (i = 0; i < 8; i++) {
		pp_port_free(a, ports[i]);
		KUNIT_EXPECT_EQ(test, a->used, 7U);
		KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 20480, 20495), ports[i]);
		KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 20480, 20495), -ENOSPC);
	}
	/* Freeing by the RTCP port frees the pair. */
	pp_port_free(a, ports[3] + 1);
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 20480, 20495), ports[3]);
}

/*
 * Relay ports are not predictable: consecutive allocations from an empty
 * range are not consecutive ports (a sequential allocator gives 99 of 99).
 */
static void pp_media_ports_not_sequential(struct kunit *test)
{
	struct pp_port_alloc *a = pp_kt_alloc(test);
	int prev, port, i, seq = 0;

	prev = pp_port_alloc(a, RTP_MIN, RTP_MAX);
	for (i = 0; i < 99; i++) {
		port = pp_port_alloc(a, RTP_MIN, RTP_MAX);
		KUNIT_ASSERT_GE(test, port, RTP_MIN);
		if (port == prev + 2)
			seq++;
		prev = port;
	}
	/* By chance: about 99 / 600 on average. */
	KUNIT_EXPECT_LT(test, seq, 10);
}

/*
 * Allocation is uniform over the range: 60000 allocations (each released
 * at once) from the default 600 pairs hit every pair, about 100 times
 * each (a binomial: below 40 or above 200 has odds under 1e-9 per pair).
 */
static void pp_media_ports_random_covers_range_uniformly(struct kunit *test)
{
	struct pp_port_alloc *a = pp_kt_alloc(test);
	unsigned int n = (RTP_MAX - RTP_MIN + 1) / 2, i, min = UINT_MAX, max = 0;
	u16 *hits;
	int port;

	hits = kunit_kcalloc(test, n, sizeof(*hits), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hits);
	for (i = 0; i < 100 * n; i++) {
		port = pp_port_alloc(a, RTP_MIN, RTP_MAX);
		KUNIT_ASSERT_GE(test, port, RTP_MIN);
		KUNIT_ASSERT_LE(test, port + 1, RTP_MAX);
		hits[(port - RTP_MIN) / 2]++;
		pp_port_free(a, port);
	}
	for (i = 0; i < n; i++) {
		min = min_t(unsigned int, min, hits[i]);
		max = max_t(unsigned int, max, hits[i]);
	}
	KUNIT_EXPECT_GE(test, min, 40U);
	KUNIT_EXPECT_LE(test, max, 200U);
	KUNIT_EXPECT_EQ(test, a->used, 0U);
}

/*
 * A nearly full range (590 of 600 pairs taken, so the random probes
 * mostly miss and the exact draw decides): the 10 free pairs come out
 * uniformly, about 2000 times each in 20000, never a taken one.
 */
static void pp_media_ports_random_uniform_over_free_pairs(struct kunit *test)
{
	struct pp_port_alloc *a = pp_kt_alloc(test);
	unsigned int n = (RTP_MAX - RTP_MIN + 1) / 2, i, j, nfree = 0;
	int free_port[10], hits[10] = {}, port;

	/* Take every pair but ten spread over the range. */
	for (i = 0; i < n; i++)
		if (i % 60 != 7)
			__set_bit(RTP_MIN / 2 + i, a->map);
		else
			free_port[nfree++] = RTP_MIN + 2 * i;
	a->used = n - 10;
	KUNIT_ASSERT_EQ(test, nfree, 10U);
	for (i = 0; i < 20000; i++) {
		port = pp_port_alloc(a, RTP_MIN, RTP_MAX);
		for (j = 0; j < 10; j++)
			if (port == free_port[j])
				break;
		KUNIT_ASSERT_LT_MSG(test, j, 10U, "port %d was taken", port);
		hits[j]++;
		pp_port_free(a, port);
	}
	for (j = 0; j < 10; j++) {
		KUNIT_EXPECT_GE(test, hits[j], 1700);
		KUNIT_EXPECT_LE(test, hits[j], 2300);
	}
}

static void pp_media_ports_range_change_affects_new_allocations(struct kunit *test)
{
	struct pp_port_alloc *a = pp_kt_alloc(test);
	int old[3], port, i;

	for (i = 0; i < 3; i++)
		old[i] = pp_port_alloc(a, 20480, 20485);
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 20480, 20485), -ENOSPC);

	/* The administrator moves the range: the old ports stay taken. */
	for (i = 0; i < 5; i++) {
		port = pp_port_alloc(a, 30000, 30009);
		KUNIT_EXPECT_GE(test, port, 30000);
		KUNIT_EXPECT_LE(test, port, 30008);
	}
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 30000, 30009), -ENOSPC);
	KUNIT_EXPECT_EQ(test, a->used, 8U);
	/* An overlapping range skips what is in use there. */
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 20480, 20487), 20486);
	/* The old ports are released normally and come back. */
	for (i = 0; i < 3; i++)
		pp_port_free(a, old[i]);
	KUNIT_EXPECT_EQ(test, a->used, 6U);
	for (i = 0; i < 3; i++) {
		port = pp_port_alloc(a, 20480, 20485);
		KUNIT_EXPECT_GE(test, port, 20480);
		KUNIT_EXPECT_LE(test, port, 20484);
	}
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 20480, 20485), -ENOSPC);
}

static void pp_media_ports_whole_port_space(struct kunit *test)
{
	struct pp_port_alloc *a = pp_kt_alloc(test);
	unsigned int i;
	int port;

	/* 1..65535: pairs 2/3 .. 65534/65535, each exactly once. */
	for (i = 0; i < PP_RELAY_PAIRS - 1; i++) {
		port = pp_port_alloc(a, 1, 65535);
		KUNIT_ASSERT_GE(test, port, 2);
	}
	KUNIT_EXPECT_EQ(test, pp_port_alloc(a, 1, 65535), -ENOSPC);
	KUNIT_EXPECT_EQ(test, bitmap_weight(a->map, PP_RELAY_PAIRS),
			PP_RELAY_PAIRS - 1);
	KUNIT_EXPECT_FALSE(test, test_bit(0, a->map));
}

static struct kunit_case pp_media_ports_cases[] = {
	KUNIT_CASE(pp_media_ports_even_within_range),
	KUNIT_CASE(pp_media_ports_odd_bounds_round_inwards),
	KUNIT_CASE(pp_media_ports_exhaustion_then_reuse_after_release),
	KUNIT_CASE(pp_media_ports_not_sequential),
	KUNIT_CASE(pp_media_ports_random_covers_range_uniformly),
	KUNIT_CASE(pp_media_ports_random_uniform_over_free_pairs),
	KUNIT_CASE(pp_media_ports_range_change_affects_new_allocations),
	KUNIT_CASE(pp_media_ports_whole_port_space),
	{}
};

struct kunit_suite pp_media_ports_suite = {
	.name = "pp_media_ports",
	.test_cases = pp_media_ports_cases,
};

/* ---- The forwarding table -------------------------------------------- */

#define PP_KT_POOL	64

struct pp_kt_fwd {
	struct pp_fwd t;
	u8 ref[PP_RELAY_PAIRS];		/* the naive table: 0 or pool index + 1 */
	struct pp_media_stream pool[PP_KT_POOL];
};

static struct pp_media_stream *pp_kt_ref(struct pp_kt_fwd *f, u16 port)
{
	u8 i = f->ref[port >> 1];

	return i ? &f->pool[i - 1] : NULL;
}

static struct pp_kt_fwd *pp_kt_fwd_new(struct kunit *test)
{
	struct pp_kt_fwd *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	return f;
}

/* Every port, RTP and RTCP, against the reference. */
static void pp_kt_fwd_compare_all(struct kunit *test, struct pp_kt_fwd *f)
{
	unsigned int port, bad = 0;

	rcu_read_lock();
	for (port = 0; port <= U16_MAX; port++)
		if (pp_fwd_lookup(&f->t, port) != pp_kt_ref(f, port))
			bad++;
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

static void pp_media_fwd_empty_finds_nothing(struct kunit *test)
{
	struct pp_kt_fwd *f = pp_kt_fwd_new(test);

	pp_kt_fwd_compare_all(test, f);
	pp_fwd_destroy(&f->t);
}

static void pp_media_fwd_rtp_and_rtcp_find_the_stream(struct kunit *test)
{
	struct pp_kt_fwd *f = pp_kt_fwd_new(test);
	struct pp_media_stream *s = &f->pool[0];

	KUNIT_ASSERT_EQ(test, pp_fwd_insert(&f->t, 20480, s, GFP_KERNEL), 0);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, pp_fwd_lookup(&f->t, 20480), s);
	KUNIT_EXPECT_PTR_EQ(test, pp_fwd_lookup(&f->t, 20481), s);
	KUNIT_EXPECT_NULL(test, pp_fwd_lookup(&f->t, 20479));
	KUNIT_EXPECT_NULL(test, pp_fwd_lookup(&f->t, 20482));
	rcu_read_unlock();
	pp_fwd_remove(&f->t, 20481);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, pp_fwd_lookup(&f->t, 20480));
	rcu_read_unlock();
	/* Removing what is not there is harmless, in a block or not. */
	pp_fwd_remove(&f->t, 20484);
	pp_fwd_remove(&f->t, 2);
	pp_fwd_destroy(&f->t);
}

static void pp_media_fwd_edges_of_the_port_space(struct kunit *test)
{
	struct pp_kt_fwd *f = pp_kt_fwd_new(test);
	static const u16 ports[] = { 2, 254, 255, 256, 510, 511, 512, 32768,
				     65278, 65280, 65534, 65535 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ports); i++) {
		struct pp_media_stream *s = &f->pool[i];

		KUNIT_ASSERT_EQ(test, pp_fwd_insert(&f->t, ports[i], s,
						    GFP_KERNEL), 0);
		f->ref[ports[i] >> 1] = i + 1;
	}
	pp_kt_fwd_compare_all(test, f);
	pp_fwd_destroy(&f->t);
}

/*
 * Random insertions (over a stream or a free pair), removals and lookups,
 * half of them in the default RTP range so they collide, against a plain
 * array; every lookup is checked, then every port.
 */
static void pp_media_fwd_random_against_reference(struct kunit *test)
{
	struct pp_kt_fwd *f = pp_kt_fwd_new(test);
	unsigned int i, bad = 0, inserted = 0, removed = 0;
	struct rnd_state rnd;
	unsigned int k;
	u16 port;
	u32 r;

	prandom_seed_state(&rnd, 0x5eed2026);
	for (i = 0; i < 200000; i++) {
		r = prandom_u32_state(&rnd);
		if (r & 1)
			port = RTP_MIN + (r >> 1) % (RTP_MAX - RTP_MIN + 1);
		else
			port = r >> 16;
		switch ((r >> 12) & 3) {
		case 0:
		case 1:
			k = (r >> 4) % PP_KT_POOL;
			KUNIT_ASSERT_EQ(test, pp_fwd_insert(&f->t, port,
							    &f->pool[k],
							    GFP_KERNEL), 0);
			f->ref[port >> 1] = k + 1;
			inserted++;
			break;
		case 2:
			pp_fwd_remove(&f->t, port);
			f->ref[port >> 1] = 0;
			removed++;
			break;
		default:
			break;
		}
		port = prandom_u32_state(&rnd) & 1 ?
		       prandom_u32_state(&rnd) :
		       RTP_MIN + prandom_u32_state(&rnd) % 1201;
		rcu_read_lock();
		if (pp_fwd_lookup(&f->t, port) != pp_kt_ref(f, port) ||
		    pp_fwd_lookup(&f->t, port ^ 1) != pp_kt_ref(f, port))
			bad++;
		rcu_read_unlock();
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_GT(test, inserted, 90000U);
	KUNIT_EXPECT_GT(test, removed, 40000U);
	pp_kt_fwd_compare_all(test, f);

	/* Empty it again: nothing is found anywhere. */
	for (i = 0; i < PP_RELAY_PAIRS; i++) {
		pp_fwd_remove(&f->t, i * 2);
		f->ref[i] = 0;
	}
	pp_kt_fwd_compare_all(test, f);
	pp_fwd_destroy(&f->t);
}

static struct kunit_case pp_media_fwd_cases[] = {
	KUNIT_CASE(pp_media_fwd_empty_finds_nothing),
	KUNIT_CASE(pp_media_fwd_rtp_and_rtcp_find_the_stream),
	KUNIT_CASE(pp_media_fwd_edges_of_the_port_space),
	KUNIT_CASE(pp_media_fwd_random_against_reference),
	{}
};

struct kunit_suite pp_media_fwd_suite = {
	.name = "pp_media_fwd",
	.test_cases = pp_media_fwd_cases,
};

/* ---- Streams --------------------------------------------------------- */

#define PP_KT_OWNERS	4

struct pp_kt_media {
	struct pp_media_net *mn;
	struct pp_media_owner owners[PP_KT_OWNERS];
};

/* The current test's (the cases run one at a time). */
static struct pp_kt_media *pp_kt_cur;

static void pp_kt_set_range(struct kunit *test, u16 min, u16 max,
			    u32 timeout)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct pp_config cfg;

	rcu_read_lock();
	cfg = *pp_config_rcu(pn);
	rcu_read_unlock();
	cfg.north_addr = NORTH;
	cfg.south_addr = SOUTH;
	cfg.rtp_port_min = min;
	cfg.rtp_port_max = max;
	cfg.media_timeout = timeout;
	pp_kunit_set_config(test, pn, &cfg);
}

/*
 * A namespace state with the media state (no hook), the north and south
 * addresses configured, and owners: 0 and 1 are two SCCP connections of
 * the phone at PHONE, 2 is the phone at PHONE2.
 */
static int pp_media_streams_init(struct kunit *test)
{
	struct pp_kt_media *km;
	struct pp_net *pn;
	int err;

	err = pp_kunit_net_init(test);
	if (err)
		return err;
	pn = pp_kunit_pn(test);
	km = kzalloc(sizeof(*km), GFP_KERNEL);
	if (!km)
		goto err;
	km->mn = pp_media_net_alloc(pn);
	if (!km->mn) {
		kfree(km);
		goto err;
	}
	__pp_media_owner_init(&km->owners[0], km->mn, PHONE, "homer");
	__pp_media_owner_init(&km->owners[1], km->mn, PHONE, "homer");
	__pp_media_owner_init(&km->owners[2], km->mn, PHONE2, "marge");
	__pp_media_owner_init(&km->owners[3], km->mn, PHONE2, "");
	pn->media = km->mn;
	pp_kt_cur = km;
	pp_kt_set_range(test, RTP_MIN, RTP_MAX, PP_DEFAULT_MEDIA_TIMEOUT);
	return 0;

err:
	pp_kunit_net_exit(test);
	return -ENOMEM;
}

static struct pp_kt_media *pp_kt_km(struct kunit *test)
{
	KUNIT_ASSERT_NOT_NULL(test, pp_kt_cur);
	return pp_kt_cur;
}

static void pp_media_streams_exit(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct pp_kt_media *km = pp_kt_cur;
	unsigned int i;

	if (km) {
		for (i = 0; i < PP_KT_OWNERS; i++)
			pp_media_owner_release(&km->owners[i]);
		pp_media_net_free(km->mn);
		pn->media = NULL;
		kfree(km);
		pp_kt_cur = NULL;
	}
	pp_kunit_net_exit(test);
}

struct pp_kt_ret {
	__be32 addr;
	__be16 port;
};

static struct pp_kt_ret pp_kt_phone_rx(struct kunit *test, int owner,
				       u32 ppid, u16 phone_port)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct pp_kt_ret r = {};

	/* The CallManager opens the channel first (same ppid: a no-op). */
	KUNIT_ASSERT_EQ(test, pp_media_open(&km->owners[owner], ppid), 0);
	KUNIT_ASSERT_EQ(test, pp_media_phone_rx(&km->owners[owner], ppid,
						htons(phone_port), &r.addr,
						&r.port), 0);
	return r;
}

static struct pp_kt_ret pp_kt_far_rx(struct kunit *test, int owner,
				     u32 ppid, __be32 far, u16 far_port)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct pp_kt_ret r = {};

	KUNIT_ASSERT_EQ(test, pp_media_far_rx(&km->owners[owner], ppid, far,
					      htons(far_port), &r.addr,
					      &r.port), 0);
	return r;
}

static struct pp_media_stream *pp_kt_find(struct kunit *test, int owner,
					  u32 ppid)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct pp_media_stream *s;

	spin_lock_bh(&km->mn->lock);
	s = pp_media_find(&km->owners[owner], ppid);
	spin_unlock_bh(&km->mn->lock);
	return s;
}

/* The stream the hook would find at @addr:@port, or NULL. */
static struct pp_media_stream *pp_kt_lookup(struct kunit *test, __be32 addr,
					    __be16 port)
{
	struct pp_media_net *mn = pp_kt_km(test)->mn;
	struct pp_media_stream *s;

	rcu_read_lock();
	s = pp_fwd_lookup(&mn->fwd[addr == NORTH ? PP_NORTH : PP_SOUTH],
			  ntohs(port));
	rcu_read_unlock();
	return s;
}

static void pp_media_streams_phone_rx_gives_south_relay_port(struct kunit *test)
{
	struct pp_kt_ret r = pp_kt_phone_rx(test, 0, 16777217, 24000);
	struct pp_media_stream *s = pp_kt_find(test, 0, 16777217);
	u16 port = ntohs(r.port);

	KUNIT_EXPECT_EQ(test, be32_to_cpu(r.addr), be32_to_cpu(SOUTH));
	KUNIT_EXPECT_EQ(test, port % 2, 0);
	KUNIT_EXPECT_GE(test, port, RTP_MIN);
	KUNIT_EXPECT_LT(test, port, RTP_MAX);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, ntohs(s->phone_port), 24000);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(s->phone_addr), be32_to_cpu(PHONE));
	KUNIT_EXPECT_TRUE(test, s->rx);
	KUNIT_EXPECT_FALSE(test, s->tx);
	KUNIT_EXPECT_PTR_EQ(test, pp_kt_lookup(test, SOUTH, r.port), s);
	KUNIT_EXPECT_PTR_EQ(test, pp_kt_lookup(test, SOUTH,
					       htons(port + 1)), s);
	KUNIT_EXPECT_PTR_EQ(test, pp_kt_lookup(test, NORTH,
					       htons(s->port[PP_NORTH])), s);
}

static void pp_media_streams_same_ppid_same_ports(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct pp_kt_ret a, b, n1, n2;

	/* The port straddled two segments: 0 first, then the port. */
	a = pp_kt_phone_rx(test, 0, 7, 0);
	KUNIT_EXPECT_EQ(test, ntohs(pp_kt_find(test, 0, 7)->phone_port), 0);
	b = pp_kt_phone_rx(test, 0, 7, 24000);
	KUNIT_EXPECT_EQ(test, ntohs(a.port), ntohs(b.port));
	KUNIT_EXPECT_EQ(test, ntohs(pp_kt_find(test, 0, 7)->phone_port),
			24000);
	/* The same for the far end. */
	n1 = pp_kt_far_rx(test, 0, 7, 0, 0);
	KUNIT_EXPECT_EQ(test, (__force u32)pp_kt_find(test, 0, 7)->far_addr, 0);
	n2 = pp_kt_far_rx(test, 0, 7, FAR, 30000);
	KUNIT_EXPECT_EQ(test, ntohs(n1.port), ntohs(n2.port));
	KUNIT_EXPECT_EQ(test, be32_to_cpu(n2.addr), be32_to_cpu(NORTH));
	KUNIT_EXPECT_EQ(test, be32_to_cpu(pp_kt_find(test, 0, 7)->far_addr),
			be32_to_cpu(FAR));
	KUNIT_EXPECT_EQ(test, ntohs(pp_kt_find(test, 0, 7)->far_port), 30000);
	KUNIT_EXPECT_EQ(test, km->mn->n_streams, 1U);
}

static void pp_media_streams_tx_ack_leaves_receive_side(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct pp_media_stream *s;
	struct pp_kt_ret a;
	__be32 addr;
	__be16 port;

	a = pp_kt_phone_rx(test, 0, 4, 24000);
	pp_kt_far_rx(test, 0, 4, FAR, 30000);
	/* StartMediaTransmissionAck: it sends from 24002. */
	KUNIT_ASSERT_EQ(test, pp_media_phone_tx(&km->owners[0], 4, htons(24002),
						&addr, &port), 0);
	s = pp_kt_find(test, 0, 4);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(addr), be32_to_cpu(SOUTH));
	KUNIT_EXPECT_EQ(test, ntohs(port), ntohs(a.port));
	KUNIT_EXPECT_EQ(test, ntohs(s->phone_port), 24000);
	KUNIT_EXPECT_TRUE(test, s->rx);

	/* A transmit-only stream: the Ack does not make it receive. */
	pp_kt_far_rx(test, 0, 6, FAR, 30002);
	KUNIT_ASSERT_EQ(test, pp_media_phone_tx(&km->owners[0], 6, htons(24004),
						&addr, &port), 0);
	KUNIT_EXPECT_FALSE(test, pp_kt_find(test, 0, 6)->rx);
	KUNIT_EXPECT_EQ(test, ntohs(pp_kt_find(test, 0, 6)->phone_port), 0);
	pp_media_stop_tx(&km->owners[0], 6);
	KUNIT_EXPECT_NULL(test, pp_kt_find(test, 0, 6));
}

static void pp_media_streams_keyed_by_connection_and_ppid(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct pp_kt_ret a, b, c, d;

	/* Two streams of one call (a conference bridge, video), ... */
	a = pp_kt_phone_rx(test, 0, 1, 24000);
	b = pp_kt_phone_rx(test, 0, 2, 24002);
	/* ... the same ppid on another connection and another phone. */
	c = pp_kt_phone_rx(test, 1, 1, 24000);
	d = pp_kt_phone_rx(test, 2, 1, 24000);
	KUNIT_EXPECT_NE(test, ntohs(a.port), ntohs(b.port));
	KUNIT_EXPECT_NE(test, ntohs(a.port), ntohs(c.port));
	KUNIT_EXPECT_NE(test, ntohs(a.port), ntohs(d.port));
	KUNIT_EXPECT_NE(test, ntohs(c.port), ntohs(d.port));
	KUNIT_EXPECT_EQ(test, km->mn->n_streams, 4U);
	KUNIT_EXPECT_EQ(test, km->mn->streams_total, 4ULL);
	/* Calls are counted per phone (owner), not per stream. */
	KUNIT_EXPECT_EQ(test, km->mn->n_calls, 3U);
	KUNIT_EXPECT_EQ(test, km->mn->calls_total, 3ULL);
	pp_media_close_rx(&km->owners[0], 2, false);
	KUNIT_EXPECT_EQ(test, km->mn->n_calls, 3U);
	pp_media_owner_release(&km->owners[0]);
	KUNIT_EXPECT_EQ(test, km->mn->n_calls, 2U);
	/* The phone's next call. */
	pp_kt_phone_rx(test, 0, 3, 24000);
	KUNIT_EXPECT_EQ(test, km->mn->n_calls, 3U);
	KUNIT_EXPECT_EQ(test, km->mn->calls_total, 4ULL);
}

static void pp_media_streams_start_tx_before_open_ack(struct kunit *test)
{
	struct pp_kt_ret n, s;
	struct pp_media_stream *st;

	n = pp_kt_far_rx(test, 0, 9, FAR, 30000);
	st = pp_kt_find(test, 0, 9);
	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_EXPECT_TRUE(test, st->tx);
	KUNIT_EXPECT_FALSE(test, st->rx);
	s = pp_kt_phone_rx(test, 0, 9, 24000);
	/* One stream: the ports the first message gave. */
	KUNIT_EXPECT_PTR_EQ(test, pp_kt_find(test, 0, 9), st);
	KUNIT_EXPECT_EQ(test, ntohs(n.port), st->port[PP_NORTH]);
	KUNIT_EXPECT_EQ(test, ntohs(s.port), st->port[PP_SOUTH]);
	KUNIT_EXPECT_TRUE(test, st->rx);
}

static void pp_media_streams_stop_and_close_tear_down(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct pp_kt_ret s, n;

	s = pp_kt_phone_rx(test, 0, 5, 24000);
	n = pp_kt_far_rx(test, 0, 5, FAR, 30000);
	pp_media_stop_tx(&km->owners[0], 5);
	/* Still receiving: the stream lives. */
	KUNIT_EXPECT_NOT_NULL(test, pp_kt_find(test, 0, 5));
	KUNIT_EXPECT_FALSE(test, pp_media_owner_idle(&km->owners[0]));
	pp_media_close_rx(&km->owners[0], 5, false);
	KUNIT_EXPECT_NULL(test, pp_kt_find(test, 0, 5));
	KUNIT_EXPECT_NULL(test, pp_kt_lookup(test, SOUTH, s.port));
	KUNIT_EXPECT_NULL(test, pp_kt_lookup(test, NORTH, n.port));
	KUNIT_EXPECT_TRUE(test, pp_media_owner_idle(&km->owners[0]));
	KUNIT_EXPECT_EQ(test, km->mn->ports[PP_NORTH].used, 0U);
	KUNIT_EXPECT_EQ(test, km->mn->ports[PP_SOUTH].used, 0U);
	/* Unknown ppids and repeated messages are harmless. */
	pp_media_stop_tx(&km->owners[0], 5);
	pp_media_close_rx(&km->owners[0], 5, false);
	pp_media_stop_tx(&km->owners[1], 99);
}

static void pp_media_streams_close_then_stop_tear_down(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);

	pp_kt_phone_rx(test, 0, 5, 24000);
	pp_kt_far_rx(test, 0, 5, FAR, 30000);
	pp_media_close_rx(&km->owners[0], 5, false);
	KUNIT_EXPECT_NOT_NULL(test, pp_kt_find(test, 0, 5));
	KUNIT_EXPECT_FALSE(test, pp_kt_find(test, 0, 5)->rx);
	pp_media_stop_tx(&km->owners[0], 5);
	KUNIT_EXPECT_NULL(test, pp_kt_find(test, 0, 5));
	KUNIT_EXPECT_EQ(test, km->mn->n_streams, 0U);
}

static void pp_media_streams_keep_port_flag_keeps_the_stream(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct pp_kt_ret a, b;

	a = pp_kt_phone_rx(test, 0, 5, 24000);
	pp_media_close_rx(&km->owners[0], 5, true);
	KUNIT_EXPECT_NOT_NULL(test, pp_kt_find(test, 0, 5));
	KUNIT_EXPECT_PTR_EQ(test, pp_kt_lookup(test, SOUTH, a.port),
			    pp_kt_find(test, 0, 5));
	/* The next channel gets the same port back. */
	b = pp_kt_phone_rx(test, 0, 5, 24000);
	KUNIT_EXPECT_EQ(test, ntohs(a.port), ntohs(b.port));
	KUNIT_EXPECT_FALSE(test, pp_kt_find(test, 0, 5)->keep);
	/* Without the flag it goes. */
	pp_media_close_rx(&km->owners[0], 5, false);
	KUNIT_EXPECT_NULL(test, pp_kt_find(test, 0, 5));
}

static void pp_media_streams_owner_release_ends_all(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct pp_kt_ret a;

	a = pp_kt_phone_rx(test, 0, 1, 24000);
	pp_kt_far_rx(test, 0, 2, FAR, 30000);
	pp_kt_phone_rx(test, 0, 3, 24004);
	pp_media_close_rx(&km->owners[0], 3, true);
	pp_kt_phone_rx(test, 1, 1, 24000);
	pp_media_owner_release(&km->owners[0]);
	KUNIT_EXPECT_TRUE(test, pp_media_owner_idle(&km->owners[0]));
	KUNIT_EXPECT_NULL(test, pp_kt_lookup(test, SOUTH, a.port));
	/* The other connection's stream is untouched. */
	KUNIT_EXPECT_NOT_NULL(test, pp_kt_find(test, 1, 1));
	KUNIT_EXPECT_EQ(test, km->mn->n_streams, 1U);
	/* Idempotent, and the owner takes new streams (registers again). */
	pp_media_owner_release(&km->owners[0]);
	pp_kt_phone_rx(test, 0, 1, 24000);
	KUNIT_EXPECT_FALSE(test, pp_media_owner_idle(&km->owners[0]));
	KUNIT_EXPECT_EQ(test, km->mn->n_streams, 2U);
}

static void pp_media_streams_no_address_no_stream(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct pp_net *pn = pp_kunit_pn(test);
	struct pp_config cfg;
	__be32 addr;
	__be16 port;

	rcu_read_lock();
	cfg = *pp_config_rcu(pn);
	rcu_read_unlock();
	cfg.south_addr = 0;
	pp_kunit_set_config(test, pn, &cfg);
	KUNIT_EXPECT_EQ(test, pp_media_open(&km->owners[0], 1), -ENETUNREACH);
	cfg.south_addr = SOUTH;
	cfg.north_addr = 0;
	pp_kunit_set_config(test, pn, &cfg);
	KUNIT_EXPECT_EQ(test, pp_media_far_rx(&km->owners[0], 1, FAR,
					      htons(1), &addr, &port),
			-ENETUNREACH);
	KUNIT_EXPECT_EQ(test, km->mn->n_streams, 0U);
	KUNIT_EXPECT_EQ(test, km->mn->ports[PP_NORTH].used, 0U);
	KUNIT_EXPECT_EQ(test, km->mn->ports[PP_SOUTH].used, 0U);
}

static void pp_media_streams_range_exhausted_enospc(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	__be32 addr;
	__be16 port;

	/* Two pairs per side: two streams. */
	pp_kt_set_range(test, 20480, 20483, 60);
	pp_kt_phone_rx(test, 0, 1, 24000);
	pp_kt_phone_rx(test, 0, 2, 24002);
	KUNIT_EXPECT_EQ(test, pp_media_open(&km->owners[0], 3), -ENOSPC);
	KUNIT_EXPECT_EQ(test, pp_media_far_rx(&km->owners[1], 3, FAR,
					      htons(1), &addr, &port),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, km->mn->no_port, 2ULL);
	KUNIT_EXPECT_EQ(test, km->mn->n_streams, 2U);
	/* Nothing leaked: one stream ends, the next fits. */
	pp_media_close_rx(&km->owners[0], 1, false);
	pp_kt_phone_rx(test, 0, 3, 24004);
	KUNIT_EXPECT_EQ(test, km->mn->ports[PP_NORTH].used, 2U);
	KUNIT_EXPECT_EQ(test, km->mn->ports[PP_SOUTH].used, 2U);
}

static void pp_media_streams_idle_timeout_ends_stream(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct pp_media_stream *s;
	unsigned long now = jiffies;

	pp_kt_phone_rx(test, 0, 1, 24000);
	pp_kt_phone_rx(test, 2, 1, 24000);
	s = pp_kt_find(test, 2, 1);
	spin_lock_bh(&km->mn->lock);
	/* Nothing is due before the timeout. */
	KUNIT_EXPECT_EQ(test, pp_media_expire(km->mn, now + 59 * HZ), 0U);
	/* A packet relayed 30 s from now keeps owner 2's stream. */
	WRITE_ONCE(s->last, now + 30 * HZ);
	KUNIT_EXPECT_EQ(test, pp_media_expire(km->mn, now + 61 * HZ), 1U);
	spin_unlock_bh(&km->mn->lock);
	KUNIT_EXPECT_NULL(test, pp_kt_find(test, 0, 1));
	KUNIT_EXPECT_TRUE(test, pp_media_owner_idle(&km->owners[0]));
	KUNIT_EXPECT_NOT_NULL(test, pp_kt_find(test, 2, 1));
	KUNIT_EXPECT_EQ(test, km->mn->timeouts, 1ULL);

	/* Off: nothing ever expires. */
	pp_kt_set_range(test, RTP_MIN, RTP_MAX, 0);
	spin_lock_bh(&km->mn->lock);
	KUNIT_EXPECT_EQ(test, pp_media_expire(km->mn, now + 1000 * HZ), 0U);
	spin_unlock_bh(&km->mn->lock);
	/* A shorter timeout applies to existing streams. */
	pp_kt_set_range(test, RTP_MIN, RTP_MAX, 5);
	spin_lock_bh(&km->mn->lock);
	KUNIT_EXPECT_EQ(test, pp_media_expire(km->mn, now + 36 * HZ), 1U);
	spin_unlock_bh(&km->mn->lock);
	KUNIT_EXPECT_EQ(test, km->mn->n_streams, 0U);
}

static void pp_media_streams_range_change_keeps_live_ports(struct kunit *test)
{
	struct pp_kt_ret a, b;

	a = pp_kt_phone_rx(test, 0, 1, 24000);
	pp_kt_set_range(test, 30000, 30099, 60);
	b = pp_kt_phone_rx(test, 0, 2, 24002);
	KUNIT_EXPECT_LT(test, ntohs(a.port), 30000);
	KUNIT_EXPECT_GE(test, ntohs(b.port), 30000);
	/* The old stream is still found at its port. */
	KUNIT_EXPECT_PTR_EQ(test, pp_kt_lookup(test, SOUTH, a.port),
			    pp_kt_find(test, 0, 1));
	/* The same ppid keeps its ports. */
	b = pp_kt_phone_rx(test, 0, 1, 24000);
	KUNIT_EXPECT_EQ(test, ntohs(b.port), ntohs(a.port));
}

/* A phone announces channels nobody opened: nothing is created. */
static void pp_media_streams_phone_announcement_creates_nothing(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	__be32 addr;
	__be16 port;
	u32 ppid;

	for (ppid = 1; ppid <= 600; ppid++) {
		KUNIT_ASSERT_EQ(test, pp_media_phone_rx(&km->owners[0], ppid,
							htons(24000), &addr,
							&port), -ENOENT);
		KUNIT_ASSERT_EQ(test, pp_media_phone_tx(&km->owners[0], ppid,
							htons(24000), &addr,
							&port), -ENOENT);
	}
	KUNIT_EXPECT_EQ(test, km->mn->n_streams, 0U);
	KUNIT_EXPECT_EQ(test, km->mn->streams_total, 0ULL);
	KUNIT_EXPECT_EQ(test, km->mn->ports[PP_NORTH].used, 0U);
	KUNIT_EXPECT_EQ(test, km->mn->ports[PP_SOUTH].used, 0U);
	/* Once the CallManager opens it, the announcement finds it. */
	KUNIT_ASSERT_EQ(test, pp_media_open(&km->owners[0], 7), 0);
	KUNIT_EXPECT_EQ(test, pp_media_phone_rx(&km->owners[0], 7,
						htons(24000), &addr, &port), 0);
	KUNIT_EXPECT_EQ(test, km->mn->n_streams, 1U);
	/* On its own connection only. */
	KUNIT_EXPECT_EQ(test, pp_media_phone_rx(&km->owners[1], 7,
						htons(24000), &addr, &port),
			-ENOENT);
}

static void pp_kt_set_max_streams(struct kunit *test, u32 max)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct pp_config cfg;

	rcu_read_lock();
	cfg = *pp_config_rcu(pn);
	rcu_read_unlock();
	cfg.max_streams = max;
	pp_kunit_set_config(test, pn, &cfg);
}

/* The limit counts every connection of the phone's address. */
static void pp_media_streams_limit_per_phone_address(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	__be32 addr;
	__be16 port;

	KUNIT_EXPECT_EQ(test, PP_DEFAULT_MAX_STREAMS, 8);
	pp_kt_set_max_streams(test, 3);
	KUNIT_ASSERT_EQ(test, pp_media_open(&km->owners[0], 1), 0);
	KUNIT_ASSERT_EQ(test, pp_media_open(&km->owners[0], 2), 0);
	KUNIT_ASSERT_EQ(test, pp_media_open(&km->owners[1], 1), 0);
	/* Opening an existing one again is no new stream. */
	KUNIT_EXPECT_EQ(test, pp_media_open(&km->owners[0], 2), 0);
	KUNIT_EXPECT_EQ(test, pp_media_open(&km->owners[1], 2), -EDQUOT);
	KUNIT_EXPECT_EQ(test, pp_media_far_rx(&km->owners[0], 3, FAR,
					      htons(30000), &addr, &port),
			-EDQUOT);
	KUNIT_EXPECT_EQ(test, km->mn->stream_limit, 2ULL);
	KUNIT_EXPECT_EQ(test, km->mn->n_streams, 3U);
	/* Another phone is not affected. */
	KUNIT_EXPECT_EQ(test, pp_media_open(&km->owners[2], 1), 0);
	/* One ends, one more fits. */
	pp_media_close_rx(&km->owners[0], 1, false);
	KUNIT_EXPECT_EQ(test, pp_media_open(&km->owners[1], 2), 0);
	KUNIT_EXPECT_EQ(test, pp_media_open(&km->owners[1], 3), -EDQUOT);
	/* A connection's end gives its share back. */
	pp_media_owner_release(&km->owners[1]);
	KUNIT_EXPECT_EQ(test, pp_media_open(&km->owners[0], 4), 0);
	KUNIT_EXPECT_EQ(test, pp_media_open(&km->owners[0], 5), 0);
	KUNIT_EXPECT_EQ(test, pp_media_open(&km->owners[0], 6), -EDQUOT);
	pp_media_owner_release(&km->owners[0]);
	pp_media_owner_release(&km->owners[2]);
	KUNIT_EXPECT_TRUE(test, hash_empty(km->mn->phones));
}

/*
 * The unlink race (sccp_conn.c): once the owner is closed, nobody can
 * give it a stream, whatever message comes late.
 */
static void pp_media_streams_closed_owner_takes_no_stream(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	__be32 addr;
	__be16 port;

	pp_kt_phone_rx(test, 0, 1, 24000);
	pp_media_owner_close(&km->owners[0]);
	KUNIT_EXPECT_TRUE(test, pp_media_owner_idle(&km->owners[0]));
	KUNIT_EXPECT_EQ(test, pp_media_open(&km->owners[0], 2), -ESHUTDOWN);
	KUNIT_EXPECT_EQ(test, pp_media_far_rx(&km->owners[0], 1, FAR,
					      htons(30000), &addr, &port),
			-ESHUTDOWN);
	KUNIT_EXPECT_EQ(test, pp_media_phone_rx(&km->owners[0], 1,
						htons(24000), &addr, &port),
			-ENOENT);
	KUNIT_EXPECT_TRUE(test, pp_media_owner_idle(&km->owners[0]));
	KUNIT_EXPECT_EQ(test, km->mn->n_streams, 0U);
}

/* An inactivated user: the call's stream lives on, no new one. */
static void pp_media_streams_frozen_owner_keeps_its_call_only(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	__be32 addr;
	__be16 port;

	pp_kt_phone_rx(test, 0, 1, 24000);
	pp_kt_far_rx(test, 0, 1, FAR, 30000);
	pp_media_owner_freeze(&km->owners[0]);
	KUNIT_EXPECT_NOT_NULL(test, pp_kt_find(test, 0, 1));
	KUNIT_EXPECT_EQ(test, pp_media_open(&km->owners[0], 2), -EPERM);
	KUNIT_EXPECT_EQ(test, pp_media_far_rx(&km->owners[0], 3, FAR,
					      htons(30002), &addr, &port),
			-EPERM);
	/* The call's own messages still work, and end it. */
	KUNIT_EXPECT_EQ(test, pp_media_phone_tx(&km->owners[0], 1,
						htons(24000), &addr, &port), 0);
	pp_media_stop_tx(&km->owners[0], 1);
	pp_media_close_rx(&km->owners[0], 1, false);
	KUNIT_EXPECT_TRUE(test, pp_media_owner_idle(&km->owners[0]));
}

static struct kunit_case pp_media_streams_cases[] = {
	KUNIT_CASE(pp_media_streams_phone_announcement_creates_nothing),
	KUNIT_CASE(pp_media_streams_limit_per_phone_address),
	KUNIT_CASE(pp_media_streams_closed_owner_takes_no_stream),
	KUNIT_CASE(pp_media_streams_frozen_owner_keeps_its_call_only),
	KUNIT_CASE(pp_media_streams_phone_rx_gives_south_relay_port),
	KUNIT_CASE(pp_media_streams_same_ppid_same_ports),
	KUNIT_CASE(pp_media_streams_tx_ack_leaves_receive_side),
	KUNIT_CASE(pp_media_streams_keyed_by_connection_and_ppid),
	KUNIT_CASE(pp_media_streams_start_tx_before_open_ack),
	KUNIT_CASE(pp_media_streams_stop_and_close_tear_down),
	KUNIT_CASE(pp_media_streams_close_then_stop_tear_down),
	KUNIT_CASE(pp_media_streams_keep_port_flag_keeps_the_stream),
	KUNIT_CASE(pp_media_streams_owner_release_ends_all),
	KUNIT_CASE(pp_media_streams_no_address_no_stream),
	KUNIT_CASE(pp_media_streams_range_exhausted_enospc),
	KUNIT_CASE(pp_media_streams_idle_timeout_ends_stream),
	KUNIT_CASE(pp_media_streams_range_change_keeps_live_ports),
	{}
};

struct kunit_suite pp_media_streams_suite = {
	.name = "pp_media_streams",
	.init = pp_media_streams_init,
	.exit = pp_media_streams_exit,
	.test_cases = pp_media_streams_cases,
};

/* ---- The relay ------------------------------------------------------- */

#define PP_KT_PAYLOAD	172	/* G.711, 20 ms: 160 bytes + RTP header */

/*
 * A UDP packet @saddr:@sport -> @daddr:@dport as the hook sees it (skb->data
 * at the IP header), UDP checksum computed (or 0 when @nocsum), or in
 * CHECKSUM_PARTIAL form (the pseudo-header sum) when @partial.
 */
static struct sk_buff *pp_kt_udp(struct kunit *test, __be32 saddr,
				 u16 sport, __be32 daddr, u16 dport,
				 bool nocsum, bool partial)
{
	unsigned int ulen = sizeof(struct udphdr) + PP_KT_PAYLOAD;
	struct sk_buff *skb;
	struct udphdr *uh;
	struct iphdr *iph;
	u8 *payload;
	unsigned int i;

	skb = alloc_skb(sizeof(*iph) + ulen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 60;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	iph->tot_len = htons(sizeof(*iph) + ulen);
	ip_send_check(iph);
	uh = skb_put_zero(skb, sizeof(*uh));
	skb_set_transport_header(skb, sizeof(*iph));
	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons(ulen);
	payload = skb_put(skb, PP_KT_PAYLOAD);
	for (i = 0; i < PP_KT_PAYLOAD; i++)
		payload[i] = i * 7 + dport;
	if (partial) {
		uh->check = ~csum_tcpudp_magic(saddr, daddr, ulen,
					       IPPROTO_UDP, 0);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct udphdr, check);
	} else if (!nocsum) {
		uh->check = csum_tcpudp_magic(saddr, daddr, ulen, IPPROTO_UDP,
					      csum_partial(uh, ulen, 0));
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	}
	return skb;
}

static struct udphdr *pp_kt_uh(struct sk_buff *skb)
{
	return (struct udphdr *)(skb->data + ip_hdrlen(skb));
}

/* Are the IP and UDP checksums of @skb right? */
static void pp_kt_expect_csums(struct kunit *test, struct sk_buff *skb)
{
	struct iphdr *iph = ip_hdr(skb);
	struct udphdr *uh = pp_kt_uh(skb);
	unsigned int ulen = ntohs(uh->len);

	__sum16 want;

	KUNIT_EXPECT_EQ(test, (__force u16)ip_fast_csum(iph, iph->ihl), 0);
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		want = ~csum_tcpudp_magic(iph->saddr, iph->daddr, ulen,
					  IPPROTO_UDP, 0);
		KUNIT_EXPECT_EQ(test, (__force u16)uh->check,
				(__force u16)want);
		return;
	}
	KUNIT_ASSERT_NE(test, (__force u16)uh->check, 0);
	want = csum_tcpudp_magic(iph->saddr, iph->daddr, ulen, IPPROTO_UDP,
				 csum_partial(uh, ulen, 0));
	KUNIT_EXPECT_EQ(test, (__force u16)want, 0);
}

/* Decide on @skb for @s and, when admitted, rewrite it in place. */
static bool pp_kt_relay(struct kunit *test, struct pp_media_stream *s,
			struct sk_buff *skb)
{
	struct iphdr *iph = ip_hdr(skb);
	struct udphdr *uh = pp_kt_uh(skb);
	enum pp_side side = iph->daddr == NORTH ? PP_NORTH : PP_SOUTH;
	struct pp_relay_out out = {};

	if (!pp_relay_decide(s, side, ntohs(uh->dest) & 1, iph->saddr,
			     uh->source, &out))
		return false;
	pp_relay_rewrite(skb, iph, uh, &out);
	return true;
}

static void pp_kt_expect_to(struct kunit *test, struct sk_buff *skb,
			    __be32 saddr, u16 sport, __be32 daddr, u16 dport)
{
	struct udphdr *uh = pp_kt_uh(skb);

	KUNIT_EXPECT_EQ(test, be32_to_cpu(ip_hdr(skb)->saddr),
			be32_to_cpu(saddr));
	KUNIT_EXPECT_EQ(test, ntohs(uh->source), sport);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(ip_hdr(skb)->daddr),
			be32_to_cpu(daddr));
	KUNIT_EXPECT_EQ(test, ntohs(uh->dest), dport);
	KUNIT_EXPECT_EQ(test, ip_hdr(skb)->ttl, 59);
	pp_kt_expect_csums(test, skb);
}

/* A call of owner 0 (ppid 1): phone at PHONE announced 24000, far FAR:30000. */
static struct pp_media_stream *pp_kt_call(struct kunit *test)
{
	pp_kt_phone_rx(test, 0, 1, 24000);
	pp_kt_far_rx(test, 0, 1, FAR, 30000);
	return pp_kt_find(test, 0, 1);
}

static void pp_media_relay_phone_to_far_end(struct kunit *test)
{
	struct pp_media_stream *s = pp_kt_call(test);
	u16 n = s->port[PP_NORTH], so = s->port[PP_SOUTH];
	struct sk_buff *skb;

	/* From the NAT router's port, not the one announced: learned. */
	skb = pp_kt_udp(test, PHONE, 61000, NORTH, n, false, false);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
	pp_kt_expect_to(test, skb, SOUTH, so, FAR, 30000);
	KUNIT_EXPECT_EQ(test, ntohs(s->phone_src[0]), 61000);
	kfree_skb(skb);
	/* RTCP: port + 1 on every side, its own learned source. */
	skb = pp_kt_udp(test, PHONE, 61001, NORTH, n + 1, false, false);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
	pp_kt_expect_to(test, skb, SOUTH, so + 1, FAR, 30001);
	KUNIT_EXPECT_EQ(test, ntohs(s->phone_src[1]), 61001);
	kfree_skb(skb);
}

static void pp_media_relay_far_end_to_phone(struct kunit *test)
{
	struct pp_media_stream *s = pp_kt_call(test);
	u16 n = s->port[PP_NORTH], so = s->port[PP_SOUTH];
	struct sk_buff *skb;

	/* To the phone's observed address and the port it announced. */
	skb = pp_kt_udp(test, FAR, 30000, SOUTH, so, false, false);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
	pp_kt_expect_to(test, skb, NORTH, n, PHONE, 24000);
	kfree_skb(skb);
	skb = pp_kt_udp(test, FAR, 30001, SOUTH, so + 1, false, false);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
	pp_kt_expect_to(test, skb, NORTH, n + 1, PHONE, 24001);
	kfree_skb(skb);

	/* It sends from another port: it still receives on its own. */
	skb = pp_kt_udp(test, PHONE, 24002, NORTH, n, false, false);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
	skb = pp_kt_udp(test, FAR, 30000, SOUTH, so, false, false);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
	pp_kt_expect_to(test, skb, NORTH, n, PHONE, 24000);
	kfree_skb(skb);
	/* The far end may send from another port than it receives on. */
	skb = pp_kt_udp(test, FAR, 40000, SOUTH, so, false, false);
	KUNIT_EXPECT_TRUE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
}

/*
 * The phone's source port is latched by its first packet (RTP and RTCP
 * apart): another program on its address (behind the same NAT) spraying
 * from other ports is dropped and counted as such.
 */
static void pp_media_relay_phone_source_port_latched(struct kunit *test)
{
	struct pp_media_stream *s = pp_kt_call(test);
	u16 n = s->port[PP_NORTH], so = s->port[PP_SOUTH];
	struct pp_relay_out out = {};
	struct sk_buff *skb;
	u16 sport;

	skb = pp_kt_udp(test, PHONE, 61000, NORTH, n, false, false);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
	pp_kt_expect_to(test, skb, SOUTH, so, FAR, 30000);
	kfree_skb(skb);
	for (sport = 1024; sport < 1124; sport++) {
		KUNIT_EXPECT_FALSE(test, pp_relay_decide(s, PP_NORTH, 0, PHONE,
							 htons(sport), &out));
		KUNIT_EXPECT_TRUE(test, out.port_drop);
		out.port_drop = false;
	}
	KUNIT_EXPECT_EQ(test, ntohs(s->phone_src[0]), 61000);
	/* RTCP latches its own port, then holds it too. */
	KUNIT_EXPECT_TRUE(test, pp_relay_decide(s, PP_NORTH, 1, PHONE,
						htons(61001), &out));
	KUNIT_EXPECT_FALSE(test, pp_relay_decide(s, PP_NORTH, 1, PHONE,
						 htons(61003), &out));
	KUNIT_EXPECT_TRUE(test, out.port_drop);
	/* The latched port goes on. */
	out.port_drop = false;
	KUNIT_EXPECT_TRUE(test, pp_relay_decide(s, PP_NORTH, 0, PHONE,
						htons(61000), &out));
	KUNIT_EXPECT_FALSE(test, out.port_drop);
	/* Another address is no port drop: a plain wrong source. */
	KUNIT_EXPECT_FALSE(test, pp_relay_decide(s, PP_NORTH, 0, STRANGER,
						 htons(61000), &out));
	KUNIT_EXPECT_FALSE(test, out.port_drop);
}

static void pp_media_relay_pinhole_admits_only_endpoints(struct kunit *test)
{
	struct pp_media_stream *s = pp_kt_call(test);
	u16 n = s->port[PP_NORTH], so = s->port[PP_SOUTH];
	struct sk_buff *skb;

	/* To the north port: the phone only. */
	skb = pp_kt_udp(test, PHONE2, 61000, NORTH, n, false, false);
	KUNIT_EXPECT_FALSE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
	skb = pp_kt_udp(test, STRANGER, 61000, NORTH, n + 1, false, false);
	KUNIT_EXPECT_FALSE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
	/* To the south port: the far end only. */
	skb = pp_kt_udp(test, STRANGER, 30000, SOUTH, so, false, false);
	KUNIT_EXPECT_FALSE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
	skb = pp_kt_udp(test, PHONE, 24000, SOUTH, so, false, false);
	KUNIT_EXPECT_FALSE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
	/* A stranger did not teach the phone's port. */
	KUNIT_EXPECT_EQ(test, (__force u16)s->phone_src[0], 0);
}

static void pp_media_relay_needs_both_ends(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct pp_media_stream *s;
	struct sk_buff *skb;

	/* OpenReceiveChannelAck only, port not known yet. */
	pp_kt_phone_rx(test, 0, 1, 0);
	s = pp_kt_find(test, 0, 1);
	skb = pp_kt_udp(test, FAR, 30000, SOUTH, s->port[PP_SOUTH], false,
			false);
	KUNIT_EXPECT_FALSE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
	/* Not sending (no StartMediaTransmission): nothing from the phone. */
	skb = pp_kt_udp(test, PHONE, 24000, NORTH, s->port[PP_NORTH], false,
			false);
	KUNIT_EXPECT_FALSE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
	/* Sending, far end not known yet. */
	pp_kt_far_rx(test, 0, 1, 0, 0);
	skb = pp_kt_udp(test, PHONE, 24000, NORTH, s->port[PP_NORTH], false,
			false);
	KUNIT_EXPECT_FALSE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
	/* Its port still unknown: where its packets come from. */
	pp_kt_far_rx(test, 0, 1, FAR, 30000);
	skb = pp_kt_udp(test, FAR, 30000, SOUTH, s->port[PP_SOUTH], false,
			false);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
	pp_kt_expect_to(test, skb, NORTH, s->port[PP_NORTH], PHONE, 24000);
	kfree_skb(skb);
	/* Stopped: the phone's packets are no longer relayed. */
	pp_media_stop_tx(&km->owners[0], 1);
	skb = pp_kt_udp(test, PHONE, 24000, NORTH, s->port[PP_NORTH], false,
			false);
	KUNIT_EXPECT_FALSE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
}

static void pp_media_relay_receive_only_latches_source(struct kunit *test)
{
	struct pp_media_stream *s;
	struct sk_buff *skb;
	u16 so;

	/* Music on hold: an OpenReceiveChannel, never a StartMediaTx. */
	pp_kt_phone_rx(test, 0, 1, 24000);
	s = pp_kt_find(test, 0, 1);
	so = s->port[PP_SOUTH];
	skb = pp_kt_udp(test, MOH, 16384, SOUTH, so, false, false);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
	pp_kt_expect_to(test, skb, NORTH, s->port[PP_NORTH], PHONE, 24000);
	kfree_skb(skb);
	skb = pp_kt_udp(test, STRANGER, 16384, SOUTH, so, false, false);
	KUNIT_EXPECT_FALSE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
	/* A StartMediaTransmission names the far end: it alone counts. */
	pp_kt_far_rx(test, 0, 1, FAR, 30000);
	skb = pp_kt_udp(test, MOH, 16384, SOUTH, so, false, false);
	KUNIT_EXPECT_FALSE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
	skb = pp_kt_udp(test, FAR, 30000, SOUTH, so, false, false);
	KUNIT_EXPECT_TRUE(test, pp_kt_relay(test, s, skb));
	kfree_skb(skb);
}

/*
 * Two remote phones of this proxy call each other: each one's far end
 * is the other's south relay port. A's packet leaves from south:SA to
 * south:SB, comes back through lo, and B's stream sends it to phone B.
 */
static void pp_media_relay_hairpin_between_two_remote_phones(struct kunit *test)
{
	struct pp_media_stream *a, *b;
	struct pp_kt_ret sa, sb;
	struct sk_buff *skb;

	sa = pp_kt_phone_rx(test, 0, 1, 24000);
	sb = pp_kt_phone_rx(test, 2, 2, 26000);
	pp_kt_far_rx(test, 0, 1, sb.addr, ntohs(sb.port));
	pp_kt_far_rx(test, 2, 2, sa.addr, ntohs(sa.port));
	a = pp_kt_find(test, 0, 1);
	b = pp_kt_find(test, 2, 2);

	skb = pp_kt_udp(test, PHONE, 61000, NORTH, a->port[PP_NORTH], false,
			false);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, a, skb));
	pp_kt_expect_to(test, skb, SOUTH, ntohs(sa.port), SOUTH,
			ntohs(sb.port));
	KUNIT_ASSERT_PTR_EQ(test, pp_kt_lookup(test, SOUTH, sb.port), b);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, b, skb));
	KUNIT_EXPECT_EQ(test, be32_to_cpu(ip_hdr(skb)->saddr),
			be32_to_cpu(NORTH));
	KUNIT_EXPECT_EQ(test, ntohs(pp_kt_uh(skb)->source), b->port[PP_NORTH]);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(ip_hdr(skb)->daddr),
			be32_to_cpu(PHONE2));
	KUNIT_EXPECT_EQ(test, ntohs(pp_kt_uh(skb)->dest), 26000);
	KUNIT_EXPECT_EQ(test, ip_hdr(skb)->ttl, 58);
	pp_kt_expect_csums(test, skb);
	kfree_skb(skb);
}

static void pp_media_relay_checksum_forms(struct kunit *test)
{
	struct pp_media_stream *s = pp_kt_call(test);
	u16 n = s->port[PP_NORTH];
	struct sk_buff *skb;
	unsigned int sport;

	/*
	 * Computed: patched by the difference, over many values (each a
	 * new phone source port: the latch is cleared each time).
	 */
	for (sport = 1024; sport < 65535; sport += 997) {
		WRITE_ONCE(s->phone_src[0], 0);
		skb = pp_kt_udp(test, PHONE, sport, NORTH, n, false, false);
		KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
		pp_kt_expect_csums(test, skb);
		kfree_skb(skb);
	}
	/* Partial (from a local veth peer): the pseudo-header sum. */
	WRITE_ONCE(s->phone_src[0], 0);
	skb = pp_kt_udp(test, PHONE, 61000, NORTH, n, false, true);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_PARTIAL);
	pp_kt_expect_csums(test, skb);
	kfree_skb(skb);
	/* None: a UDP checksum of 0 stays 0. */
	skb = pp_kt_udp(test, PHONE, 61000, NORTH, n, true, false);
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
	KUNIT_EXPECT_EQ(test, (__force u16)pp_kt_uh(skb)->check, 0);
	KUNIT_EXPECT_EQ(test, (__force u16)ip_fast_csum(ip_hdr(skb), 5), 0);
	kfree_skb(skb);
	/* Complete (a receive sum): dropped, it covered the old bytes. */
	skb = pp_kt_udp(test, PHONE, 61000, NORTH, n, false, false);
	skb->ip_summed = CHECKSUM_COMPLETE;
	KUNIT_ASSERT_TRUE(test, pp_kt_relay(test, s, skb));
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_NONE);
	pp_kt_expect_csums(test, skb);
	kfree_skb(skb);
}

/* The hook's verdict on @skb (freed unless stolen). */
static unsigned int pp_kt_rx(struct kunit *test, struct sk_buff *skb)
{
	unsigned int v;

	local_bh_disable();
	rcu_read_lock();
	v = pp_relay_rx(pp_kunit_pn(test), &init_net, skb);
	rcu_read_unlock();
	local_bh_enable();
	if (v != NF_STOLEN)
		kfree_skb(skb);
	return v;
}

static void pp_media_relay_hook_verdicts_and_counters(struct kunit *test)
{
	struct pp_media_stream *s = pp_kt_call(test);
	u16 n = s->port[PP_NORTH], so = s->port[PP_SOUTH];
	struct pp_media_stats st;
	struct pp_relay_totals tot;
	struct sk_buff *skb;

	/* Not a relay port, not a relay address, not UDP: not ours. */
	skb = pp_kt_udp(test, PHONE, 61000, NORTH, n + 2, false, false);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_ACCEPT);
	skb = pp_kt_udp(test, PHONE, 61000, PHONE2, n, false, false);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_ACCEPT);
	skb = pp_kt_udp(test, PHONE, 61000, NORTH, n, false, false);
	ip_hdr(skb)->protocol = IPPROTO_TCP;
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_ACCEPT);
	/* A fragment: left to the stack (defrag ran before us). */
	skb = pp_kt_udp(test, PHONE, 61000, NORTH, n, false, false);
	ip_hdr(skb)->frag_off = htons(IP_MF);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_ACCEPT);
	/* The south address at a port of no stream. */
	skb = pp_kt_udp(test, FAR, 30000, SOUTH, so + 2, false, false);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_ACCEPT);

	/* Wrong sources: dropped and counted on their side. */
	skb = pp_kt_udp(test, STRANGER, 61000, NORTH, n, false, false);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_DROP);
	skb = pp_kt_udp(test, STRANGER, 61000, NORTH, n + 1, false, false);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_DROP);
	skb = pp_kt_udp(test, STRANGER, 30000, SOUTH, so, false, false);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_DROP);
	/* TTL spent. */
	skb = pp_kt_udp(test, PHONE, 61000, NORTH, n, false, false);
	ip_hdr(skb)->ttl = 1;
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_DROP);

	pp_relay_totals(s, &tot);
	KUNIT_EXPECT_EQ(test, tot.drops[PP_NORTH], 3ULL);
	KUNIT_EXPECT_EQ(test, tot.drops[PP_SOUTH], 1ULL);
	KUNIT_EXPECT_EQ(test, tot.pkts[PP_NORTH] + tot.pkts[PP_SOUTH], 0ULL);
	pp_media_stats(pp_kunit_pn(test), &st);
	KUNIT_EXPECT_EQ(test, st.drops, 4ULL);
	KUNIT_EXPECT_EQ(test, st.streams, 1U);
	/* The counters of an ended stream stay in the totals. */
	pp_media_owner_release(&pp_kt_km(test)->owners[0]);
	pp_media_stats(pp_kunit_pn(test), &st);
	KUNIT_EXPECT_EQ(test, st.drops, 4ULL);
	KUNIT_EXPECT_EQ(test, st.streams, 0U);
	KUNIT_EXPECT_EQ(test, st.streams_total, 1ULL);
}

static struct kunit_case pp_media_relay_cases[] = {
	KUNIT_CASE(pp_media_relay_phone_to_far_end),
	KUNIT_CASE(pp_media_relay_far_end_to_phone),
	KUNIT_CASE(pp_media_relay_phone_source_port_latched),
	KUNIT_CASE(pp_media_relay_pinhole_admits_only_endpoints),
	KUNIT_CASE(pp_media_relay_needs_both_ends),
	KUNIT_CASE(pp_media_relay_receive_only_latches_source),
	KUNIT_CASE(pp_media_relay_hairpin_between_two_remote_phones),
	KUNIT_CASE(pp_media_relay_checksum_forms),
	KUNIT_CASE(pp_media_relay_hook_verdicts_and_counters),
	{}
};

struct kunit_suite pp_media_relay_suite = {
	.name = "pp_media_relay",
	.init = pp_media_streams_init,
	.exit = pp_media_streams_exit,
	.test_cases = pp_media_relay_cases,
};

/* ---- SRTP in the relay ----------------------------------------------- */

#define PP_KT_RTP	160	/* G.711 20 ms payload */

/*
 * A UDP packet carrying @len bytes of @payload, with at least @tailroom
 * bytes after it (more when the allocation rounds up), UDP checksum
 * computed.
 */
static struct sk_buff *pp_kt_udp_data(struct kunit *test, __be32 saddr,
				      u16 sport, __be32 daddr, u16 dport,
				      const u8 *payload, unsigned int len,
				      unsigned int tailroom)
{
	unsigned int ulen = sizeof(struct udphdr) + len;
	struct sk_buff *skb;
	struct udphdr *uh;
	struct iphdr *iph;

	skb = alloc_skb(sizeof(*iph) + ulen + tailroom, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 60;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	iph->tot_len = htons(sizeof(*iph) + ulen);
	ip_send_check(iph);
	uh = skb_put_zero(skb, sizeof(*uh));
	skb_set_transport_header(skb, sizeof(*iph));
	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons(ulen);
	skb_put_data(skb, payload, len);
	uh->check = csum_tcpudp_magic(saddr, daddr, ulen, IPPROTO_UDP,
				      csum_partial(uh, ulen, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	return skb;
}

/* @len bytes of @wire from PHONE:@sport to @s's north RTP port. */
static struct sk_buff *pp_kt_from_phone(struct kunit *test,
					struct pp_media_stream *s, u16 sport,
					const u8 *wire, unsigned int len)
{
	return pp_kt_udp_data(test, PHONE, sport, NORTH, s->port[PP_NORTH],
			      wire, len, 0);
}

/* A plain RTP packet: version 2, PT 0, @seq, @ssrc, a payload pattern. */
static unsigned int pp_kt_rtp(u8 *buf, unsigned int len, u16 seq, u32 ssrc)
{
	unsigned int i;

	for (i = 12; i < len; i++)
		buf[i] = i * 13 + seq;
	buf[0] = 0x80;
	buf[1] = 0;
	put_unaligned_be16(seq, buf + 2);
	put_unaligned_be32(seq * 160, buf + 4);
	put_unaligned_be32(ssrc, buf + 8);
	return len;
}

static u8 *pp_kt_payload(struct sk_buff *skb)
{
	return (u8 *)(pp_kt_uh(skb) + 1);
}

static unsigned int pp_kt_payload_len(struct sk_buff *skb)
{
	return ntohs(pp_kt_uh(skb)->len) - sizeof(struct udphdr);
}

/* Key @dir of @owner's @ppid and wait for its context. */
static void pp_kt_key(struct kunit *test, int owner, u32 ppid,
		      enum pp_srtp_dir dir, enum pp_srtp_suite suite,
		      struct sccp_media_key *k)
{
	struct pp_kt_media *km = pp_kt_km(test);

	KUNIT_ASSERT_EQ(test, pp_media_srtp_key(&km->owners[owner], ppid, dir,
						suite, k), 0);
	flush_work(&km->mn->srtp_work);
}

/* The phone's side of a key: its own context (freed by the test). */
static struct pp_srtp_ctx *pp_kt_peer(struct kunit *test,
				      const struct sccp_media_key *k,
				      enum pp_srtp_dir dir)
{
	enum pp_srtp_suite suite = k->alg == SCCP_KEY_AES_CM_128_SHA1_32 ?
				   PP_SRTP_AES_CM_128_HMAC_SHA1_32 :
				   PP_SRTP_AES_CM_128_HMAC_SHA1_80;
	struct pp_srtp_ctx *c = pp_srtp_alloc(suite, dir, k->key, k->salt);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	return c;
}

/*
 * pp_kt_call()'s stream with @dir keyed (@suite, context made), and in
 * *@phone the phone's own context for it (the test frees it).
 */
static struct pp_media_stream *pp_kt_secure_call(struct kunit *test,
						 enum pp_srtp_dir dir,
						 enum pp_srtp_suite suite,
						 struct pp_srtp_ctx **phone)
{
	struct pp_media_stream *s = pp_kt_call(test);
	struct sccp_media_key k;

	pp_kt_key(test, 0, 1, dir, suite, &k);
	*phone = pp_kt_peer(test, &k,
			    dir == PP_SRTP_RX ? PP_SRTP_TX : PP_SRTP_RX);
	memzero_explicit(&k, sizeof(k));
	return s;
}

/* A zeroed test buffer of @len bytes (freed with the test). */
static u8 *pp_kt_buf(struct kunit *test, size_t len)
{
	u8 *p = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

/* Decide, transform and rewrite @skb for @s as the hook does. */
static int pp_kt_relay_srtp(struct kunit *test, struct pp_media_stream *s,
			    struct sk_buff *skb, enum pp_srtp_cnt *cnt)
{
	struct iphdr *iph = ip_hdr(skb);
	struct udphdr *uh = pp_kt_uh(skb);
	enum pp_side side = iph->daddr == NORTH ? PP_NORTH : PP_SOUTH;
	unsigned int rtcp = ntohs(uh->dest) & 1;
	struct pp_relay_out out = {};
	int err;

	KUNIT_ASSERT_TRUE(test, pp_relay_decide(s, side, rtcp, iph->saddr,
						uh->source, &out));
	rcu_read_lock();
	local_bh_disable();
	err = pp_relay_srtp(s, side == PP_NORTH ? PP_SRTP_RX : PP_SRTP_TX,
			    rtcp, skb, ip_hdrlen(skb), cnt);
	local_bh_enable();
	rcu_read_unlock();
	if (err)
		return err;
	if (side == PP_NORTH &&
	    !pp_relay_latch_phone(s, rtcp, pp_kt_uh(skb)->source))
		return -EADDRINUSE;
	pp_relay_rewrite(skb, ip_hdr(skb), pp_kt_uh(skb), &out);
	return 0;
}

static void pp_media_srtp_key_fills_the_sccp_key(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct sccp_media_key k80, k32, again;
	struct pp_media_stream *s = pp_kt_call(test);

	/* No stream, no key: the signalling creates the stream first. */
	KUNIT_EXPECT_EQ(test, pp_media_srtp_key(&km->owners[0], 99, PP_SRTP_TX,
						PP_SRTP_AES_CM_128_HMAC_SHA1_80,
						&k80), -ENOENT);
	KUNIT_EXPECT_EQ(test, pp_media_srtp_key(&km->owners[0], 1, 7,
						PP_SRTP_AES_CM_128_HMAC_SHA1_80,
						&k80), -EINVAL);
	KUNIT_EXPECT_EQ(test, READ_ONCE(s->srtp_keyed), 0);

	pp_kt_key(test, 0, 1, PP_SRTP_TX, PP_SRTP_AES_CM_128_HMAC_SHA1_80,
		  &k80);
	KUNIT_EXPECT_EQ(test, k80.alg, (u32)SCCP_KEY_AES_CM_128_SHA1_80);
	KUNIT_EXPECT_EQ(test, k80.key_len, 16);
	KUNIT_EXPECT_EQ(test, k80.salt_len, 14);
	KUNIT_EXPECT_EQ(test, k80.mki, 0U);
	KUNIT_EXPECT_EQ(test, k80.kdr, 0U);
	KUNIT_EXPECT_EQ(test, sccp_key_check(&k80), 0);
	pp_kt_key(test, 0, 1, PP_SRTP_RX, PP_SRTP_AES_CM_128_HMAC_SHA1_32,
		  &k32);
	KUNIT_EXPECT_EQ(test, k32.alg, (u32)SCCP_KEY_AES_CM_128_SHA1_32);
	KUNIT_EXPECT_EQ(test, sccp_key_check(&k32), 0);
	/* Fresh from the RNG each time. */
	KUNIT_EXPECT_NE(test, memcmp(k80.key, k32.key, 16), 0);
	KUNIT_EXPECT_NE(test, memcmp(k80.salt, k32.salt, 14), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(s->srtp_keyed),
			(u8)(BIT(PP_SRTP_TX) | BIT(PP_SRTP_RX)));
	KUNIT_EXPECT_NOT_NULL(test, rcu_access_pointer(s->srtp[PP_SRTP_TX]));
	KUNIT_EXPECT_NOT_NULL(test, rcu_access_pointer(s->srtp[PP_SRTP_RX]));
	/* The published job holds no key any more. */
	KUNIT_EXPECT_TRUE(test, !memchr_inv(rcu_access_pointer(s->srtp[PP_SRTP_TX])->key,
					    0, PP_SRTP_KEY_LEN));
	pp_kt_key(test, 0, 1, PP_SRTP_TX, PP_SRTP_AES_CM_128_HMAC_SHA1_80,
		  &again);
	KUNIT_EXPECT_NE(test, memcmp(k80.key, again.key, 16), 0);
}

/* A keyed direction without its context drops: never plain. */
static void pp_media_srtp_pending_dropped_never_plain(struct kunit *test)
{
	struct pp_media_stream *s = pp_kt_call(test);
	struct pp_relay_totals tot;
	struct pp_media_stats st;
	struct sk_buff *skb;

	/* As between pp_media_srtp_key() and the work item. */
	WRITE_ONCE(s->srtp_keyed, BIT(PP_SRTP_RX) | BIT(PP_SRTP_TX));
	skb = pp_kt_udp(test, PHONE, 61000, NORTH, s->port[PP_NORTH], false,
			false);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_DROP);
	skb = pp_kt_udp(test, FAR, 30000, SOUTH, s->port[PP_SOUTH] + 1, false,
			false);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_DROP);
	pp_relay_totals(s, &tot);
	KUNIT_EXPECT_EQ(test, tot.srtp[PP_SRTP_CNT_PENDING], 2ULL);
	KUNIT_EXPECT_EQ(test, tot.drops[PP_NORTH], 1ULL);
	KUNIT_EXPECT_EQ(test, tot.drops[PP_SOUTH], 1ULL);
	pp_media_stats(pp_kunit_pn(test), &st);
	KUNIT_EXPECT_EQ(test, st.srtp[PP_SRTP_CNT_PENDING], 2ULL);
}

/* Phone -> far end: SRTP and SRTCP from the phone leave plain. */
static void pp_media_srtp_phone_to_far_end_decrypted(struct kunit *test)
{
	struct pp_media_stream *s;
	u8 *plain = pp_kt_buf(test, 256);
	u8 *wire = pp_kt_buf(test, 256);
	enum pp_srtp_cnt cnt;
	struct pp_srtp_ctx *phone;
	struct sk_buff *skb;
	unsigned int len;
	int n;

	s = pp_kt_secure_call(test, PP_SRTP_RX,
			      PP_SRTP_AES_CM_128_HMAC_SHA1_80, &phone);

	len = pp_kt_rtp(plain, 12 + PP_KT_RTP, 1000, 0x11223344);
	memcpy(wire, plain, len);
	n = pp_srtp_protect(phone, wire, len, 256 - len);
	KUNIT_ASSERT_EQ(test, n, (int)len + 10);
	skb = pp_kt_from_phone(test, s, 61000, wire, n);
	KUNIT_ASSERT_EQ(test, pp_kt_relay_srtp(test, s, skb, &cnt), 0);
	KUNIT_EXPECT_EQ(test, (int)cnt, PP_SRTP_CNT_UNPROTECTED);
	KUNIT_ASSERT_EQ(test, pp_kt_payload_len(skb), len);
	KUNIT_EXPECT_EQ(test, skb->len, 28 + len);
	KUNIT_EXPECT_EQ(test, ntohs(ip_hdr(skb)->tot_len), 28 + len);
	KUNIT_EXPECT_EQ(test, memcmp(pp_kt_payload(skb), plain, len), 0);
	pp_kt_expect_to(test, skb, SOUTH, s->port[PP_SOUTH], FAR, 30000);
	kfree_skb(skb);

	/* SRTCP on the odd port: the 14-byte trailer goes. */
	len = 28;
	memset(plain, 0, len);
	plain[0] = 0x80;
	plain[1] = 200;			/* SR */
	put_unaligned_be16(len / 4 - 1, plain + 2);
	put_unaligned_be32(0x11223344, plain + 4);
	memcpy(wire, plain, len);
	n = pp_srtcp_protect(phone, wire, len, 256 - len);
	KUNIT_ASSERT_EQ(test, n, (int)len + PP_SRTCP_TRAILER);
	skb = pp_kt_udp_data(test, PHONE, 61001, NORTH, s->port[PP_NORTH] + 1,
			     wire, n, 0);
	KUNIT_ASSERT_EQ(test, pp_kt_relay_srtp(test, s, skb, &cnt), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_payload_len(skb), len);
	KUNIT_EXPECT_EQ(test, memcmp(pp_kt_payload(skb), plain, len), 0);
	pp_kt_expect_to(test, skb, SOUTH, s->port[PP_SOUTH] + 1, FAR, 30001);
	kfree_skb(skb);
	pp_srtp_free(phone);
}

/* Far end -> phone: plain RTP leaves as SRTP the phone can decrypt. */
static void pp_media_srtp_far_end_to_phone_encrypted(struct kunit *test)
{
	struct pp_media_stream *s;
	u8 *plain = pp_kt_buf(test, 2048);
	struct pp_relay_totals tot;
	enum pp_srtp_cnt cnt;
	struct pp_srtp_ctx *phone;
	struct sk_buff *skb;
	unsigned int len, room;
	int n;

	s = pp_kt_secure_call(test, PP_SRTP_TX,
			      PP_SRTP_AES_CM_128_HMAC_SHA1_32, &phone);

	/* Room for the tag: used in place. */
	len = pp_kt_rtp(plain, 12 + PP_KT_RTP, 7, 0x55667788);
	skb = pp_kt_udp_data(test, FAR, 30000, SOUTH, s->port[PP_SOUTH],
			     plain, len, 64);
	KUNIT_ASSERT_EQ(test, pp_kt_relay_srtp(test, s, skb, &cnt), 0);
	KUNIT_EXPECT_EQ(test, (int)cnt, PP_SRTP_CNT_PROTECTED);
	KUNIT_ASSERT_EQ(test, pp_kt_payload_len(skb), len + 4);
	KUNIT_EXPECT_EQ(test, ntohs(ip_hdr(skb)->tot_len), 28 + len + 4);
	pp_kt_expect_to(test, skb, NORTH, s->port[PP_NORTH], PHONE, 24000);
	n = pp_srtp_unprotect(phone, pp_kt_payload(skb), len + 4);
	KUNIT_EXPECT_EQ(test, n, (int)len);
	KUNIT_EXPECT_EQ(test, memcmp(pp_kt_payload(skb), plain, len), 0);
	kfree_skb(skb);
	pp_relay_totals(s, &tot);
	KUNIT_EXPECT_EQ(test, tot.srtp[PP_SRTP_CNT_EXPANDED], 0ULL);

	/* No tailroom at all: the head grows (counted). */
	skb = alloc_skb(1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	room = skb_tailroom(skb);
	kfree_skb(skb);
	len = pp_kt_rtp(plain, room - 28, 8, 0x55667788);
	skb = pp_kt_udp_data(test, FAR, 30000, SOUTH, s->port[PP_SOUTH],
			     plain, len, 0);
	KUNIT_ASSERT_LT(test, skb_tailroom(skb), 4);
	KUNIT_ASSERT_EQ(test, pp_kt_relay_srtp(test, s, skb, &cnt), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_payload_len(skb), len + 4);
	pp_kt_expect_to(test, skb, NORTH, s->port[PP_NORTH], PHONE, 24000);
	n = pp_srtp_unprotect(phone, pp_kt_payload(skb), len + 4);
	KUNIT_EXPECT_EQ(test, n, (int)len);
	KUNIT_EXPECT_EQ(test, memcmp(pp_kt_payload(skb), plain, len), 0);
	kfree_skb(skb);
	pp_relay_totals(s, &tot);
	KUNIT_EXPECT_EQ(test, tot.srtp[PP_SRTP_CNT_EXPANDED], 1ULL);
	pp_srtp_free(phone);
}

/* Forged, replayed, malformed: dropped by the hook and counted. */
static void pp_media_srtp_auth_replay_other_dropped(struct kunit *test)
{
	struct pp_media_stream *s;
	u8 *wire = pp_kt_buf(test, 256);
	struct pp_relay_totals tot;
	struct pp_media_stats st;
	enum pp_srtp_cnt cnt;
	struct pp_srtp_ctx *phone;
	struct sk_buff *skb;
	unsigned int len;
	int n;

	s = pp_kt_secure_call(test, PP_SRTP_RX,
			      PP_SRTP_AES_CM_128_HMAC_SHA1_80, &phone);
	len = pp_kt_rtp(wire, 12 + PP_KT_RTP, 500, 0x01020304);
	n = pp_srtp_protect(phone, wire, len, 256 - len);
	KUNIT_ASSERT_GT(test, n, 0);

	/* Genuine once. */
	skb = pp_kt_from_phone(test, s, 61000, wire, n);
	KUNIT_ASSERT_EQ(test, pp_kt_relay_srtp(test, s, skb, &cnt), 0);
	kfree_skb(skb);
	/* The same again: replay. */
	skb = pp_kt_from_phone(test, s, 61000, wire, n);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_DROP);
	/* A flipped payload bit (the UDP checksum made right): forged. */
	len = pp_kt_rtp(wire, 12 + PP_KT_RTP, 501, 0x01020304);
	n = pp_srtp_protect(phone, wire, len, 256 - len);
	wire[20] ^= 1;
	skb = pp_kt_from_phone(test, s, 61000, wire, n);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_DROP);
	/* Too short for a header and a tag; a bad UDP checksum. */
	skb = pp_kt_from_phone(test, s, 61000, wire, 12);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_DROP);
	wire[20] ^= 1;
	skb = pp_kt_from_phone(test, s, 61000, wire, n);
	pp_kt_uh(skb)->check = (__force __sum16)
		((__force u16)pp_kt_uh(skb)->check ^ 0x100);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_DROP);

	pp_relay_totals(s, &tot);
	KUNIT_EXPECT_EQ(test, tot.srtp[PP_SRTP_CNT_UNPROTECTED], 0ULL);
	KUNIT_EXPECT_EQ(test, tot.srtp[PP_SRTP_CNT_REPLAY], 1ULL);
	KUNIT_EXPECT_EQ(test, tot.srtp[PP_SRTP_CNT_AUTH], 1ULL);
	KUNIT_EXPECT_EQ(test, tot.srtp[PP_SRTP_CNT_OTHER], 2ULL);
	KUNIT_EXPECT_EQ(test, tot.drops[PP_NORTH], 4ULL);
	/* The genuine packet, not replayed, still passes after them all. */
	skb = pp_kt_from_phone(test, s, 61000, wire, n);
	KUNIT_EXPECT_EQ(test, pp_kt_relay_srtp(test, s, skb, &cnt), 0);
	kfree_skb(skb);
	/* The namespace's totals keep an ended stream's. */
	pp_media_owner_release(&pp_kt_km(test)->owners[0]);
	pp_media_stats(pp_kunit_pn(test), &st);
	KUNIT_EXPECT_EQ(test, st.srtp[PP_SRTP_CNT_AUTH], 1ULL);
	KUNIT_EXPECT_EQ(test, st.srtp[PP_SRTP_CNT_REPLAY], 1ULL);
	KUNIT_EXPECT_EQ(test, st.srtp_keys, 1ULL);
	pp_srtp_free(phone);
}

/*
 * A host behind the phone's NAT (its address, another port) sends first:
 * with SRTP its packets fail authentication and latch nothing; the
 * phone's first authenticated packet latches its port, and the host's
 * later packets are port drops.
 */
static void pp_media_srtp_only_authenticated_packets_latch(struct kunit *test)
{
	struct pp_media_stream *s;
	u8 *wire = pp_kt_buf(test, 256);
	struct pp_relay_totals tot;
	enum pp_srtp_cnt cnt;
	struct pp_srtp_ctx *phone;
	struct sk_buff *skb;
	unsigned int len;
	int n;

	s = pp_kt_secure_call(test, PP_SRTP_RX,
			      PP_SRTP_AES_CM_128_HMAC_SHA1_80, &phone);
	len = pp_kt_rtp(wire, 12 + PP_KT_RTP, 10, 0x0badcafe);
	skb = pp_kt_from_phone(test, s, 40000, wire, len + 10);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_DROP);
	KUNIT_EXPECT_EQ(test, ntohs(READ_ONCE(s->phone_src[0])), 0);

	n = pp_srtp_protect(phone, wire, len, 256 - len);
	skb = pp_kt_from_phone(test, s, 61000, wire, n);
	KUNIT_ASSERT_EQ(test, pp_kt_relay_srtp(test, s, skb, &cnt), 0);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, ntohs(READ_ONCE(s->phone_src[0])), 61000);

	len = pp_kt_rtp(wire, 12 + PP_KT_RTP, 11, 0x0badcafe);
	skb = pp_kt_from_phone(test, s, 40000, wire, len + 10);
	KUNIT_EXPECT_EQ(test, pp_kt_rx(test, skb), NF_DROP);
	pp_relay_totals(s, &tot);
	KUNIT_EXPECT_EQ(test, tot.srtp[PP_SRTP_CNT_AUTH], 1ULL);
	KUNIT_EXPECT_EQ(test, tot.port_drops, 1ULL);
	KUNIT_EXPECT_EQ(test, tot.drops[PP_NORTH], 2ULL);
	pp_srtp_free(phone);
}

/*
 * Two remote phones, each leg keyed both ways: A's SRTP is decrypted
 * with A's RX context, crosses lo plain, and is encrypted with B's TX
 * context for phone B.
 */
static void pp_media_srtp_hairpin_per_leg_keys(struct kunit *test)
{
	u8 *plain = pp_kt_buf(test, 256);
	u8 *wire = pp_kt_buf(test, 256);
	struct sccp_media_key ka_rx, ka_tx, kb_rx, kb_tx;
	struct pp_srtp_ctx *phone_a, *phone_b;
	struct pp_media_stream *a, *b;
	struct pp_kt_ret sa, sb;
	enum pp_srtp_cnt cnt;
	struct sk_buff *skb;
	unsigned int len;
	int n;

	sa = pp_kt_phone_rx(test, 0, 1, 24000);
	sb = pp_kt_phone_rx(test, 2, 2, 26000);
	pp_kt_far_rx(test, 0, 1, sb.addr, ntohs(sb.port));
	pp_kt_far_rx(test, 2, 2, sa.addr, ntohs(sa.port));
	a = pp_kt_find(test, 0, 1);
	b = pp_kt_find(test, 2, 2);
	pp_kt_key(test, 0, 1, PP_SRTP_RX, PP_SRTP_AES_CM_128_HMAC_SHA1_80,
		  &ka_rx);
	pp_kt_key(test, 0, 1, PP_SRTP_TX, PP_SRTP_AES_CM_128_HMAC_SHA1_80,
		  &ka_tx);
	pp_kt_key(test, 2, 2, PP_SRTP_RX, PP_SRTP_AES_CM_128_HMAC_SHA1_32,
		  &kb_rx);
	pp_kt_key(test, 2, 2, PP_SRTP_TX, PP_SRTP_AES_CM_128_HMAC_SHA1_32,
		  &kb_tx);
	phone_a = pp_kt_peer(test, &ka_rx, PP_SRTP_TX);
	phone_b = pp_kt_peer(test, &kb_tx, PP_SRTP_RX);

	len = pp_kt_rtp(plain, 12 + PP_KT_RTP, 42, 0xaabbccdd);
	memcpy(wire, plain, len);
	n = pp_srtp_protect(phone_a, wire, len, 256 - len);
	skb = pp_kt_udp_data(test, PHONE, 61000, NORTH, a->port[PP_NORTH],
			     wire, n, 32);
	KUNIT_ASSERT_EQ(test, pp_kt_relay_srtp(test, a, skb, &cnt), 0);
	/* On lo: plain, from A's south port to B's. */
	pp_kt_expect_to(test, skb, SOUTH, ntohs(sa.port), SOUTH,
			ntohs(sb.port));
	KUNIT_EXPECT_EQ(test, memcmp(pp_kt_payload(skb), plain, len), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_relay_srtp(test, b, skb, &cnt), 0);
	KUNIT_EXPECT_EQ(test, (int)cnt, PP_SRTP_CNT_PROTECTED);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(ip_hdr(skb)->daddr),
			be32_to_cpu(PHONE2));
	KUNIT_EXPECT_EQ(test, ntohs(pp_kt_uh(skb)->dest), 26000);
	pp_kt_expect_csums(test, skb);
	KUNIT_ASSERT_EQ(test, pp_kt_payload_len(skb), len + 4);
	KUNIT_EXPECT_EQ(test, pp_srtp_unprotect(phone_b, pp_kt_payload(skb),
						len + 4), (int)len);
	KUNIT_EXPECT_EQ(test, memcmp(pp_kt_payload(skb), plain, len), 0);
	kfree_skb(skb);
	pp_srtp_free(phone_a);
	pp_srtp_free(phone_b);
}

/* A second key replaces the first: the old one no longer decrypts. */
static void pp_media_srtp_new_key_replaces_context(struct kunit *test)
{
	struct pp_media_stream *s = pp_kt_call(test);
	u8 *wire = pp_kt_buf(test, 256);
	struct sccp_media_key k1, k2;
	struct pp_srtp_ctx *old, *cur;
	enum pp_srtp_cnt cnt;
	struct sk_buff *skb;
	unsigned int len;
	int n;

	pp_kt_key(test, 0, 1, PP_SRTP_RX, PP_SRTP_AES_CM_128_HMAC_SHA1_80,
		  &k1);
	pp_kt_key(test, 0, 1, PP_SRTP_RX, PP_SRTP_AES_CM_128_HMAC_SHA1_80,
		  &k2);
	old = pp_kt_peer(test, &k1, PP_SRTP_TX);
	cur = pp_kt_peer(test, &k2, PP_SRTP_TX);
	len = pp_kt_rtp(wire, 12 + PP_KT_RTP, 1, 9);
	n = pp_srtp_protect(old, wire, len, 256 - len);
	skb = pp_kt_from_phone(test, s, 61000, wire, n);
	KUNIT_EXPECT_EQ(test, pp_kt_relay_srtp(test, s, skb, &cnt), -EBADMSG);
	KUNIT_EXPECT_EQ(test, (int)cnt, PP_SRTP_CNT_AUTH);
	kfree_skb(skb);
	len = pp_kt_rtp(wire, 12 + PP_KT_RTP, 1, 9);
	n = pp_srtp_protect(cur, wire, len, 256 - len);
	skb = pp_kt_from_phone(test, s, 61000, wire, n);
	KUNIT_EXPECT_EQ(test, pp_kt_relay_srtp(test, s, skb, &cnt), 0);
	kfree_skb(skb);
	pp_srtp_free(old);
	pp_srtp_free(cur);
}

/*
 * Streams end while their keys wait for the work item, or just after:
 * Close, Stop, owner release, a replaced key; nothing leaks or is used
 * after it is freed (KASAN and kmemleak on the debug kernel), and the
 * namespace's end frees the rest.
 */
static void pp_media_srtp_streams_end_with_keys_pending(struct kunit *test)
{
	struct pp_kt_media *km = pp_kt_km(test);
	struct sccp_media_key k;
	unsigned int i;

	for (i = 0; i < 20; i++) {
		pp_kt_call(test);
		KUNIT_ASSERT_EQ(test, pp_media_srtp_key(&km->owners[0], 1,
							PP_SRTP_RX,
							PP_SRTP_AES_CM_128_HMAC_SHA1_80,
							&k), 0);
		KUNIT_ASSERT_EQ(test, pp_media_srtp_key(&km->owners[0], 1,
							PP_SRTP_TX,
							PP_SRTP_AES_CM_128_HMAC_SHA1_32,
							&k), 0);
		KUNIT_ASSERT_EQ(test, pp_media_srtp_key(&km->owners[0], 1,
							PP_SRTP_TX,
							PP_SRTP_AES_CM_128_HMAC_SHA1_80,
							&k), 0);
		if (i % 3 == 1)
			flush_work(&km->mn->srtp_work);
		if (i % 2) {
			pp_media_owner_release(&km->owners[0]);
		} else {
			pp_media_stop_tx(&km->owners[0], 1);
			pp_media_close_rx(&km->owners[0], 1, false);
		}
		KUNIT_EXPECT_NULL(test, pp_kt_find(test, 0, 1));
	}
	/* Left keyed and pending for the namespace's end (exit). */
	pp_kt_call(test);
	KUNIT_ASSERT_EQ(test, pp_media_srtp_key(&km->owners[0], 1, PP_SRTP_RX,
						PP_SRTP_AES_CM_128_HMAC_SHA1_80,
						&k), 0);
	flush_work(&km->mn->srtp_work);
	spin_lock_bh(&km->mn->lock);
	KUNIT_EXPECT_TRUE(test, list_empty(&km->mn->srtp_jobs));
	KUNIT_EXPECT_TRUE(test, list_empty(&km->mn->srtp_dead));
	spin_unlock_bh(&km->mn->lock);
	KUNIT_EXPECT_EQ(test, pp_media_srtp_key(&km->owners[2], 1, PP_SRTP_RX,
						PP_SRTP_AES_CM_128_HMAC_SHA1_80,
						&k), -ENOENT);
	memzero_explicit(&k, sizeof(k));
}

static struct kunit_case pp_media_srtp_cases[] = {
	KUNIT_CASE(pp_media_srtp_key_fills_the_sccp_key),
	KUNIT_CASE(pp_media_srtp_pending_dropped_never_plain),
	KUNIT_CASE(pp_media_srtp_phone_to_far_end_decrypted),
	KUNIT_CASE(pp_media_srtp_far_end_to_phone_encrypted),
	KUNIT_CASE(pp_media_srtp_auth_replay_other_dropped),
	KUNIT_CASE(pp_media_srtp_only_authenticated_packets_latch),
	KUNIT_CASE(pp_media_srtp_hairpin_per_leg_keys),
	KUNIT_CASE(pp_media_srtp_new_key_replaces_context),
	KUNIT_CASE(pp_media_srtp_streams_end_with_keys_pending),
	{}
};

struct kunit_suite pp_media_srtp_suite = {
	.name = "pp_media_srtp",
	.init = pp_media_streams_init,
	.exit = pp_media_streams_exit,
	.test_cases = pp_media_srtp_cases,
};
