/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_KUNIT_H
#define _PP_KUNIT_H

#include <kunit/test.h>
#include <linux/phoneproxy.h>
#include <net/netlink.h>

#include "../activation.h"
#include "../config.h"
#include "../pernet.h"
#include "../users.h"

/*
 * Fixtures shared by the suites (kunit.c).
 *
 * Every suite's .init gives the test a fresh namespace state in
 * test->priv, as pp_net_init() builds it (config, users, activations,
 * per-CPU counters) but without the netfilter hook: pn->net is init_net
 * only for the log lines. .exit tears it down as pp_net_exit() does.
 * A subscriber records the activation events the core announces, as
 * netlink.c's would multicast them.
 */
int pp_kunit_net_init(struct kunit *test);
void pp_kunit_net_exit(struct kunit *test);

static inline struct pp_net *pp_kunit_pn(struct kunit *test)
{
	return test->priv;
}

struct pp_kunit_event {
	u8 event;			/* PP_EV_ACTIVATED, _INACTIVATED */
	u8 reason;			/* PP_REASON_* */
	char name[PP_NAME_MAX];
	__be32 addr;
};

#define PP_KUNIT_EVENTS_MAX	32

/* The events recorded since the test began; the first _MAX are kept. */
unsigned int pp_kunit_n_events(void);
bool pp_kunit_event(unsigned int i, struct pp_kunit_event *ev);

/* Expect event @i to be @event/@reason for user @name at @addr. */
void pp_kunit_expect_event(struct kunit *test, unsigned int i, u8 event,
			   u8 reason, const char *name, __be32 addr);

/* The message of @extack; KUnit's STREQ must not see NULL. */
static inline const char *pp_kunit_msg(const struct netlink_ext_ack *extack)
{
	return extack->_msg ?: "(no message)";
}

/* An attribute of @type holding @len bytes of @data, freed with @test. */
struct nlattr *pp_kunit_nla(struct kunit *test, int type, const void *data,
			    int len);

static inline struct nlattr *pp_kunit_nla_str(struct kunit *test, int type,
					      const char *s)
{
	return pp_kunit_nla(test, type, s, strlen(s) + 1);
}

/* A CallManager or user as users.xml would give it; NULL: attribute absent. */
struct pp_kunit_ccm {
	const char *name;
	__be32 addr;
	bool is_default;
};

struct pp_kunit_user {
	const char *name;
	const char *sid;
	const char *ccm;
	const char *enabled;		/* "0", "1" or NULL: absent */
};

int pp_kunit_add_ccm(struct kunit *test, struct pp_users *t,
		     const struct pp_kunit_ccm *c,
		     struct netlink_ext_ack *extack);
int pp_kunit_add_user(struct kunit *test, struct pp_users *t,
		      const struct pp_kunit_user *u,
		      struct netlink_ext_ack *extack);

/* Publish CallManager "ccm" (default, 198.51.100.10) and @n @users. */
void pp_kunit_publish(struct kunit *test, struct pp_net *pn,
		      const struct pp_kunit_user *users, unsigned int n);

/*
 * pp_kunit_publish() users "homer", "marge", "bart" (enabled) and "lisa"
 * (disabled), SIDs SEP0000000000x1..4.
 */
void pp_kunit_publish_family(struct kunit *test, struct pp_net *pn);

/* Replace pn->config by a copy of @cfg, as pp_config_set() would. */
void pp_kunit_set_config(struct kunit *test, struct pp_net *pn,
			 const struct pp_config *cfg);

#define PP_KUNIT_ADDR(a, b, c, d) \
	cpu_to_be32(((u32)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

/* The suites, one file each. */
extern struct kunit_suite pp_activation_rules_suite;
extern struct kunit_suite pp_activation_timers_suite;
extern struct kunit_suite pp_users_table_suite;
extern struct kunit_suite pp_config_validation_suite;
extern struct kunit_suite pp_firewall_verdict_suite;
extern struct kunit_suite pp_sccp_parser_suite;
extern struct kunit_suite pp_sccp_stream_suite;
extern struct kunit_suite pp_media_ports_suite;
extern struct kunit_suite pp_media_fwd_suite;
extern struct kunit_suite pp_media_streams_suite;
extern struct kunit_suite pp_media_relay_suite;
extern struct kunit_suite pp_srtp_suite;
extern struct kunit_suite pp_media_srtp_suite;

#endif /* _PP_KUNIT_H */
