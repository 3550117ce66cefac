// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * Configuration validation: a request merged into the running
 * configuration is checked whole; a refusal changes nothing and names
 * the attribute at fault. config.c is included for its static merge and
 * check functions.
 */
#include "../config.c"

#include "pp_kunit.h"

#define LOCAL	PP_KUNIT_ADDR(127, 0, 0, 1)
#define FOREIGN	PP_KUNIT_ADDR(192, 0, 2, 1)	/* TEST-NET-1, never here */

/* The attributes of a request, built up one by one. */
struct pp_kt_req {
	struct nlattr *tb[PP_A_MAX + 1];
};

static void pp_kt_put_addr(struct kunit *test, struct pp_kt_req *r, int type,
			   __be32 addr)
{
	r->tb[type] = pp_kunit_nla(test, type, &addr, sizeof(addr));
}

static void pp_kt_put_u16(struct kunit *test, struct pp_kt_req *r, int type,
			  u16 v)
{
	r->tb[type] = pp_kunit_nla(test, type, &v, sizeof(v));
}

static void pp_kt_put_u8(struct kunit *test, struct pp_kt_req *r, int type,
			 u8 v)
{
	r->tb[type] = pp_kunit_nla(test, type, &v, sizeof(v));
}

static void pp_kt_put_u32(struct kunit *test, struct pp_kt_req *r, int type,
			  u32 v)
{
	r->tb[type] = pp_kunit_nla(test, type, &v, sizeof(v));
}

/* Merge @r into a copy of the running configuration and check it. */
static int pp_kt_check(struct kunit *test, struct pp_kt_req *r,
		       struct pp_config *cfg, struct netlink_ext_ack *extack)
{
	struct pp_net *pn = pp_kunit_pn(test);

	mutex_lock(&pn->lock);
	*cfg = *pp_config_locked(pn);
	mutex_unlock(&pn->lock);
	pp_config_merge(cfg, r->tb);
	return pp_config_check(pn->net, cfg, r->tb, extack);
}

/* The address checks need 127.0.0.1 on the loopback of init_net. */
static void pp_kt_need_loopback(struct kunit *test)
{
	if (!pp_config_addr_local(&init_net, LOCAL))
		kunit_skip(test, "127.0.0.1 is not configured in init_net");
}

static void pp_config_validation_defaults(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	const struct pp_config *cfg;

	mutex_lock(&pn->lock);
	cfg = pp_config_locked(pn);
	KUNIT_EXPECT_FALSE(test, cfg->north_addr);
	KUNIT_EXPECT_FALSE(test, cfg->south_addr);
	KUNIT_EXPECT_EQ(test, cfg->sccp_port, PP_DEFAULT_SCCP_PORT);
	KUNIT_EXPECT_EQ(test, cfg->sccp_security_port, PP_DEFAULT_SCCP_SECURITY_PORT);
	KUNIT_EXPECT_EQ(test, cfg->tftp_port, PP_DEFAULT_TFTP_PORT);
	KUNIT_EXPECT_EQ(test, cfg->httpproxy_port, PP_DEFAULT_HTTPPROXY_PORT);
	KUNIT_EXPECT_EQ(test, cfg->rtp_port_min, PP_DEFAULT_RTP_PORT_MIN);
	KUNIT_EXPECT_EQ(test, cfg->rtp_port_max, PP_DEFAULT_RTP_PORT_MAX);
	KUNIT_EXPECT_EQ(test, cfg->idle_timeout, PP_DEFAULT_IDLE_TIMEOUT);
	KUNIT_EXPECT_EQ(test, cfg->auth_timeout, PP_DEFAULT_AUTH_TIMEOUT);
	KUNIT_EXPECT_EQ(test, cfg->act_mode, PP_ACT_MODE_REQUIRED);
	KUNIT_EXPECT_TRUE(test, cfg->http);
	KUNIT_EXPECT_FALSE(test, cfg->sccp_security);
	KUNIT_EXPECT_FALSE(test, cfg->httpproxy);
	KUNIT_EXPECT_EQ(test, cfg->max_conns, 4U);
	KUNIT_EXPECT_EQ(test, cfg->max_streams, 8U);
	mutex_unlock(&pn->lock);
}

/* A request changes what it names and nothing else. */
static void pp_config_validation_merge_only_named(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct pp_config before, cfg;
	struct pp_kt_req r = {};

	mutex_lock(&pn->lock);
	before = *pp_config_locked(pn);
	mutex_unlock(&pn->lock);

	pp_kt_put_u16(test, &r, PP_A_CFG_SCCP_PORT, 2001);
	pp_kt_put_u8(test, &r, PP_A_CFG_HTTP, 0);
	pp_kt_put_u8(test, &r, PP_A_CFG_ACT_MODE, PP_ACT_MODE_OPEN);
	pp_kt_put_u32(test, &r, PP_A_CFG_AUTH_TIMEOUT, 60);
	KUNIT_ASSERT_EQ(test, pp_kt_check(test, &r, &cfg, NULL), 0);

	KUNIT_EXPECT_EQ(test, cfg.sccp_port, 2001);
	KUNIT_EXPECT_FALSE(test, cfg.http);
	KUNIT_EXPECT_EQ(test, cfg.act_mode, PP_ACT_MODE_OPEN);
	KUNIT_EXPECT_EQ(test, cfg.auth_timeout, 60U);
	/* Everything else as it was. */
	KUNIT_EXPECT_EQ(test, be32_to_cpu(cfg.north_addr),
			be32_to_cpu(before.north_addr));
	KUNIT_EXPECT_EQ(test, be32_to_cpu(cfg.south_addr),
			be32_to_cpu(before.south_addr));
	KUNIT_EXPECT_EQ(test, cfg.sccp_security_port, before.sccp_security_port);
	KUNIT_EXPECT_EQ(test, cfg.tftp_port, before.tftp_port);
	KUNIT_EXPECT_EQ(test, cfg.httpproxy_port, before.httpproxy_port);
	KUNIT_EXPECT_EQ(test, cfg.rtp_port_min, before.rtp_port_min);
	KUNIT_EXPECT_EQ(test, cfg.rtp_port_max, before.rtp_port_max);
	KUNIT_EXPECT_EQ(test, cfg.idle_timeout, before.idle_timeout);
	KUNIT_EXPECT_EQ(test, cfg.sccp_security, before.sccp_security);
	KUNIT_EXPECT_EQ(test, cfg.httpproxy, before.httpproxy);
	KUNIT_EXPECT_EQ(test, cfg.max_conns, before.max_conns);
	KUNIT_EXPECT_EQ(test, cfg.max_streams, before.max_streams);

	/* The per-activation limits, each alone. */
	memset(&r, 0, sizeof(r));
	pp_kt_put_u32(test, &r, PP_A_CFG_MAX_CONNS, 2);
	KUNIT_ASSERT_EQ(test, pp_kt_check(test, &r, &cfg, NULL), 0);
	KUNIT_EXPECT_EQ(test, cfg.max_conns, 2U);
	KUNIT_EXPECT_EQ(test, cfg.max_streams, before.max_streams);
	memset(&r, 0, sizeof(r));
	pp_kt_put_u32(test, &r, PP_A_CFG_MAX_STREAMS, 100);
	KUNIT_ASSERT_EQ(test, pp_kt_check(test, &r, &cfg, NULL), 0);
	KUNIT_EXPECT_EQ(test, cfg.max_streams, 100U);
	KUNIT_EXPECT_EQ(test, cfg.max_conns, before.max_conns);
}

static void pp_config_validation_rtp_range(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct pp_kt_req r = {};
	struct pp_config cfg;

	pp_kt_put_u16(test, &r, PP_A_CFG_RTP_PORT_MIN, 30000);
	pp_kt_put_u16(test, &r, PP_A_CFG_RTP_PORT_MAX, 30000);
	KUNIT_EXPECT_EQ(test, pp_kt_check(test, &r, &cfg, &extack), -EINVAL);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack),
			   "RTP port range must hold at least two ports (min < max)");
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
			    r.tb[PP_A_CFG_RTP_PORT_MIN]);

	pp_kt_put_u16(test, &r, PP_A_CFG_RTP_PORT_MAX, 30001);
	KUNIT_EXPECT_EQ(test, pp_kt_check(test, &r, &cfg, NULL), 0);

	/* Only the maximum named, below the running minimum: blame it. */
	memset(&r, 0, sizeof(r));
	memset(&extack, 0, sizeof(extack));
	pp_kt_put_u16(test, &r, PP_A_CFG_RTP_PORT_MAX, PP_DEFAULT_RTP_PORT_MIN);
	KUNIT_EXPECT_EQ(test, pp_kt_check(test, &r, &cfg, &extack), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
			    r.tb[PP_A_CFG_RTP_PORT_MAX]);
}

static void pp_config_validation_address_must_be_local(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct pp_kt_req r = {};
	struct pp_config cfg;

	pp_kt_need_loopback(test);
	pp_kt_put_addr(test, &r, PP_A_CFG_NORTH_ADDR, FOREIGN);
	KUNIT_EXPECT_EQ(test, pp_kt_check(test, &r, &cfg, &extack),
			-EADDRNOTAVAIL);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack),
			   "north address is not configured on any interface of this namespace");
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr, r.tb[PP_A_CFG_NORTH_ADDR]);

	memset(&r, 0, sizeof(r));
	memset(&extack, 0, sizeof(extack));
	pp_kt_put_addr(test, &r, PP_A_CFG_SOUTH_ADDR, FOREIGN);
	KUNIT_EXPECT_EQ(test, pp_kt_check(test, &r, &cfg, &extack),
			-EADDRNOTAVAIL);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack),
			   "south address is not configured on any interface of this namespace");
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr, r.tb[PP_A_CFG_SOUTH_ADDR]);

	/* A local address is accepted, 0.0.0.0 removes the role. */
	memset(&r, 0, sizeof(r));
	pp_kt_put_addr(test, &r, PP_A_CFG_NORTH_ADDR, LOCAL);
	KUNIT_EXPECT_EQ(test, pp_kt_check(test, &r, &cfg, NULL), 0);
	pp_kt_put_addr(test, &r, PP_A_CFG_NORTH_ADDR, 0);
	KUNIT_EXPECT_EQ(test, pp_kt_check(test, &r, &cfg, NULL), 0);
}

/* An address removed since it was set does not block other changes. */
static void pp_config_validation_unnamed_address_unchecked(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct pp_config cfg, running;
	struct pp_kt_req r = {};

	mutex_lock(&pn->lock);
	running = *pp_config_locked(pn);
	mutex_unlock(&pn->lock);
	running.north_addr = FOREIGN;
	pp_kunit_set_config(test, pn, &running);

	pp_kt_put_u8(test, &r, PP_A_CFG_SCCP_SECURITY, 1);
	KUNIT_EXPECT_EQ(test, pp_kt_check(test, &r, &cfg, NULL), 0);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(cfg.north_addr), be32_to_cpu(FOREIGN));
	KUNIT_EXPECT_TRUE(test, cfg.sccp_security);
}

static void pp_config_validation_north_south_differ(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct netlink_ext_ack extack = {};
	struct pp_config cfg, running;
	struct pp_kt_req r = {};

	pp_kt_need_loopback(test);
	pp_kt_put_addr(test, &r, PP_A_CFG_NORTH_ADDR, LOCAL);
	pp_kt_put_addr(test, &r, PP_A_CFG_SOUTH_ADDR, LOCAL);
	KUNIT_EXPECT_EQ(test, pp_kt_check(test, &r, &cfg, &extack), -EINVAL);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack),
			   "north and south addresses must differ");
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr, r.tb[PP_A_CFG_SOUTH_ADDR]);

	/* South already 127.0.0.1: naming north the same blames north. */
	mutex_lock(&pn->lock);
	running = *pp_config_locked(pn);
	mutex_unlock(&pn->lock);
	running.south_addr = LOCAL;
	pp_kunit_set_config(test, pn, &running);
	memset(&r, 0, sizeof(r));
	memset(&extack, 0, sizeof(extack));
	pp_kt_put_addr(test, &r, PP_A_CFG_NORTH_ADDR, LOCAL);
	KUNIT_EXPECT_EQ(test, pp_kt_check(test, &r, &cfg, &extack), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr, r.tb[PP_A_CFG_NORTH_ADDR]);

	/* Both unset is not "equal". */
	memset(&r, 0, sizeof(r));
	pp_kt_put_addr(test, &r, PP_A_CFG_SOUTH_ADDR, 0);
	KUNIT_EXPECT_EQ(test, pp_kt_check(test, &r, &cfg, NULL), 0);
}

/* pp_config_set(): a refused request leaves the running config alone. */
static void pp_config_validation_refusal_changes_nothing(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct netlink_ext_ack extack = {};
	const struct pp_config *before, *after;
	struct pp_kt_req r = {};

	mutex_lock(&pn->lock);
	before = pp_config_locked(pn);
	mutex_unlock(&pn->lock);

	pp_kt_put_u16(test, &r, PP_A_CFG_SCCP_PORT, 2001);
	pp_kt_put_u16(test, &r, PP_A_CFG_RTP_PORT_MIN, 40000);
	pp_kt_put_u16(test, &r, PP_A_CFG_RTP_PORT_MAX, 39999);
	KUNIT_EXPECT_EQ(test, pp_config_set(pn, r.tb, &extack), -EINVAL);
	mutex_lock(&pn->lock);
	after = pp_config_locked(pn);
	KUNIT_EXPECT_PTR_EQ(test, after, before);
	KUNIT_EXPECT_EQ(test, after->sccp_port, PP_DEFAULT_SCCP_PORT);
	mutex_unlock(&pn->lock);

	/* The same request, made valid, is applied whole. */
	pp_kt_put_u16(test, &r, PP_A_CFG_RTP_PORT_MAX, 40001);
	KUNIT_EXPECT_EQ(test, pp_config_set(pn, r.tb, &extack), 0);
	mutex_lock(&pn->lock);
	after = pp_config_locked(pn);
	KUNIT_EXPECT_PTR_NE(test, after, before);
	KUNIT_EXPECT_EQ(test, after->sccp_port, 2001);
	KUNIT_EXPECT_EQ(test, after->rtp_port_min, 40000);
	KUNIT_EXPECT_EQ(test, after->rtp_port_max, 40001);
	mutex_unlock(&pn->lock);
}

static struct kunit_case pp_config_validation_cases[] = {
	KUNIT_CASE(pp_config_validation_defaults),
	KUNIT_CASE(pp_config_validation_merge_only_named),
	KUNIT_CASE(pp_config_validation_rtp_range),
	KUNIT_CASE(pp_config_validation_address_must_be_local),
	KUNIT_CASE(pp_config_validation_unnamed_address_unchecked),
	KUNIT_CASE(pp_config_validation_north_south_differ),
	KUNIT_CASE(pp_config_validation_refusal_changes_nothing),
	{}
};

struct kunit_suite pp_config_validation_suite = {
	.name = "pp_config_validation",
	.init = pp_kunit_net_init,
	.exit = pp_kunit_net_exit,
	.test_cases = pp_config_validation_cases,
};
