// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The activation table (guide: "User Activation") and its timers. The
 * module source is included so that the static helpers (the deadline
 * computation, the sweep queueing, the sweep itself) can be tested.
 */
#include "../activation.c"

#include <linux/prandom.h>

#include "pp_kunit.h"

#define X PP_KUNIT_ADDR(192, 0, 2, 10)
#define Y PP_KUNIT_ADDR(192, 0, 2, 20)
#define Z PP_KUNIT_ADDR(192, 0, 2, 30)

/* The name of the user active at @addr, "" if none. */
static const char *pp_kt_holder(struct pp_net *pn, __be32 addr,
				char buf[PP_NAME_MAX])
{
	struct pp_activation *act;

	buf[0] = '\0';
	rcu_read_lock();
	act = pp_activation_lookup_rcu(pn, addr);
	if (act)
		strscpy(buf, rcu_dereference(act->user)->name, PP_NAME_MAX);
	rcu_read_unlock();
	return buf;
}

/* The address user @name is active at, 0 if none (or unknown). */
static u32 pp_kt_user_addr(struct pp_net *pn, const char *name)
{
	struct pp_activation *act;
	struct pp_user *u;
	u32 addr = 0;

	rcu_read_lock();
	u = pp_users_find_name(pp_users_rcu(pn), name);
	act = u ? rcu_dereference(u->act) : NULL;
	if (act)
		addr = be32_to_cpu(act->addr);
	rcu_read_unlock();
	return addr;
}

static int pp_kt_activate(struct pp_net *pn, const char *name, __be32 addr,
			  u8 reason)
{
	struct netlink_ext_ack extack = {};

	return pp_activate(pn, name, addr, reason, &extack);
}

/* The activation of user @name; under pn->lock. */
static struct pp_activation *pp_kt_act_locked(struct pp_net *pn,
					      const char *name)
{
	struct pp_user *u = pp_users_find_name(pp_users_locked(pn), name);

	return u ? rcu_dereference_protected(u->act,
					     lockdep_is_held(&pn->lock)) :
		   NULL;
}

static int pp_activation_rules_init(struct kunit *test)
{
	int err = pp_kunit_net_init(test);

	if (!err)
		pp_kunit_publish_family(test, pp_kunit_pn(test));
	return err;
}

static void pp_activation_rules_activate(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	unsigned int gen = pp_net_gen(pn);
	char buf[PP_NAME_MAX];

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, X, buf), "homer");
	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"), be32_to_cpu(X));
	KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 1U);
	KUNIT_EXPECT_NE(test, pp_net_gen(pn), gen);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 1U);
	pp_kunit_expect_event(test, 0, PP_EV_ACTIVATED, PP_REASON_CLI,
			      "homer", X);
	/* Nobody else is active. */
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, Y, buf), "");
	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "marge"), 0U);
}

static void pp_activation_rules_unknown_user_refused(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct netlink_ext_ack extack = {};
	unsigned int gen = pp_net_gen(pn);
	char buf[PP_NAME_MAX];

	KUNIT_EXPECT_EQ(test, pp_activate(pn, "moe", X, PP_REASON_CLI, &extack),
			-ENOENT);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "unknown user");
	/* Names are case-sensitive. */
	KUNIT_EXPECT_EQ(test, pp_kt_activate(pn, "Homer", X, PP_REASON_CLI),
			-ENOENT);
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, X, buf), "");
	KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 0U);
	KUNIT_EXPECT_EQ(test, pp_net_gen(pn), gen);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 0U);
}

static void pp_activation_rules_disabled_user_refused(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct netlink_ext_ack extack = {};
	char buf[PP_NAME_MAX];

	KUNIT_EXPECT_EQ(test,
			pp_activate(pn, "lisa", X, PP_REASON_WEB, &extack),
			-EPERM);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "user is disabled");
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, X, buf), "");
	KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 0U);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 0U);
}

struct pp_kt_addr_case {
	const char *desc;
	__be32 addr;
	bool ok;
};

static const struct pp_kt_addr_case pp_kt_addr_cases[] = {
	{ "0.0.0.0 refused", PP_KUNIT_ADDR(0, 0, 0, 0), false },
	{ "0.1.2.3 (this network) refused", PP_KUNIT_ADDR(0, 1, 2, 3), false },
	{ "224.0.0.1 (multicast) refused", PP_KUNIT_ADDR(224, 0, 0, 1), false },
	{ "239.255.255.250 (multicast) refused",
	  PP_KUNIT_ADDR(239, 255, 255, 250), false },
	{ "255.255.255.255 refused", PP_KUNIT_ADDR(255, 255, 255, 255), false },
	{ "192.0.2.10 accepted", X, true },
	{ "203.0.113.255 (a /24's broadcast, unicast here) accepted",
	  PP_KUNIT_ADDR(203, 0, 113, 255), true },
	{ "198.51.100.0 (a /24's network, unicast here) accepted",
	  PP_KUNIT_ADDR(198, 51, 100, 0), true },
};

static void pp_kt_addr_desc(const struct pp_kt_addr_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pp_kt_addr, pp_kt_addr_cases, pp_kt_addr_desc);

static void pp_activation_rules_address_must_be_unicast(struct kunit *test)
{
	const struct pp_kt_addr_case *c = test->param_value;
	struct pp_net *pn = pp_kunit_pn(test);
	struct netlink_ext_ack extack = {};
	int err;

	err = pp_activate(pn, "homer", c->addr, PP_REASON_CLI, &extack);
	if (c->ok) {
		KUNIT_EXPECT_EQ(test, err, 0);
		KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"),
				be32_to_cpu(c->addr));
	} else {
		KUNIT_EXPECT_EQ(test, err, -EINVAL);
		KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack),
				   "activation address must be a unicast address");
		KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 0U);
		KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 0U);
	}
}

static void pp_activation_rules_address_displaces_holder(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	char buf[PP_NAME_MAX];

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "marge", X, PP_REASON_WEB), 0);
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, X, buf), "marge");
	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"), 0U);
	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "marge"), be32_to_cpu(X));
	KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 1U);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 3U);
	pp_kunit_expect_event(test, 1, PP_EV_INACTIVATED,
			      PP_REASON_DISPLACED, "homer", X);
	pp_kunit_expect_event(test, 2, PP_EV_ACTIVATED, PP_REASON_WEB,
			      "marge", X);
}

static void pp_activation_rules_user_moves(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	char buf[PP_NAME_MAX];

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", Y, PP_REASON_WEB), 0);
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, X, buf), "");
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, Y, buf), "homer");
	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"), be32_to_cpu(Y));
	KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 1U);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 3U);
	pp_kunit_expect_event(test, 1, PP_EV_INACTIVATED, PP_REASON_MOVED,
			      "homer", X);
	pp_kunit_expect_event(test, 2, PP_EV_ACTIVATED, PP_REASON_WEB,
			      "homer", Y);
}

/* Homer at X, Marge at Y, then Homer at Y: Marge displaced, Homer moved. */
static void pp_activation_rules_displace_and_move(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	char buf[PP_NAME_MAX];

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "marge", Y, PP_REASON_CLI), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", Y, PP_REASON_SOAP),
			0);
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, X, buf), "");
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, Y, buf), "homer");
	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "marge"), 0U);
	KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 1U);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 5U);
	pp_kunit_expect_event(test, 2, PP_EV_INACTIVATED,
			      PP_REASON_DISPLACED, "marge", Y);
	pp_kunit_expect_event(test, 3, PP_EV_INACTIVATED, PP_REASON_MOVED,
			      "homer", X);
	pp_kunit_expect_event(test, 4, PP_EV_ACTIVATED, PP_REASON_SOAP,
			      "homer", Y);
}

static void pp_activation_rules_again_restarts_timers(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct pp_activation *act, *again;
	unsigned long before;

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	mutex_lock(&pn->lock);
	act = pp_kt_act_locked(pn, "homer");
	act->since -= 100 * HZ;
	mutex_unlock(&pn->lock);

	before = jiffies;
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_WEB), 0);
	mutex_lock(&pn->lock);
	again = pp_kt_act_locked(pn, "homer");
	KUNIT_EXPECT_PTR_EQ(test, again, act);
	KUNIT_EXPECT_FALSE(test, time_before(again->since, before));
	KUNIT_EXPECT_EQ(test, again->reason, PP_REASON_WEB);
	mutex_unlock(&pn->lock);
	KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 1U);
	/* No inactivation: the same activation, announced again. */
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 2U);
	pp_kunit_expect_event(test, 1, PP_EV_ACTIVATED, PP_REASON_WEB,
			      "homer", X);
}

static void pp_activation_rules_inactivate(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct netlink_ext_ack extack = {};
	char buf[PP_NAME_MAX];

	KUNIT_EXPECT_EQ(test, pp_inactivate(pn, "moe", PP_REASON_CLI, &extack),
			-ENOENT);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "unknown user");
	KUNIT_EXPECT_EQ(test,
			pp_inactivate(pn, "homer", PP_REASON_CLI, &extack),
			-EALREADY);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "user is not active");
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 0U);

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	KUNIT_EXPECT_EQ(test, pp_inactivate(pn, "homer", PP_REASON_CLI, NULL),
			0);
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, X, buf), "");
	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"), 0U);
	KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 0U);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 2U);
	pp_kunit_expect_event(test, 1, PP_EV_INACTIVATED, PP_REASON_CLI,
			      "homer", X);
	/* The address is free again. */
	KUNIT_EXPECT_EQ(test, pp_kt_activate(pn, "marge", X, PP_REASON_CLI), 0);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 3U);
}

/*
 * pp-clusterd (docs/cluster.md) applies a peer's change with
 * PP_REASON_CLUSTER and knows its own doing by that reason in the event;
 * what follows from it (displaced, moved) keeps its own reason, so no
 * node sends a consequence of a replicated change again.
 */
static void pp_activation_rules_cluster_reason(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	char buf[PP_NAME_MAX];

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	KUNIT_ASSERT_EQ(test,
			pp_kt_activate(pn, "marge", X, PP_REASON_CLUSTER), 0);
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, X, buf), "marge");
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 3U);
	pp_kunit_expect_event(test, 1, PP_EV_INACTIVATED,
			      PP_REASON_DISPLACED, "homer", X);
	pp_kunit_expect_event(test, 2, PP_EV_ACTIVATED, PP_REASON_CLUSTER,
			      "marge", X);

	KUNIT_ASSERT_EQ(test,
			pp_kt_activate(pn, "marge", Y, PP_REASON_CLUSTER), 0);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 5U);
	pp_kunit_expect_event(test, 3, PP_EV_INACTIVATED, PP_REASON_MOVED,
			      "marge", X);
	pp_kunit_expect_event(test, 4, PP_EV_ACTIVATED, PP_REASON_CLUSTER,
			      "marge", Y);

	KUNIT_EXPECT_EQ(test,
			pp_inactivate(pn, "marge", PP_REASON_CLUSTER, NULL), 0);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 6U);
	pp_kunit_expect_event(test, 5, PP_EV_INACTIVATED, PP_REASON_CLUSTER,
			      "marge", Y);
	KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 0U);
}

/*
 * The PhoneProxy to CallManager mapping (PP_CMD_USER_CCM_SET): set on
 * the user's activation at that address only, never to a phone's address
 * or a non-unicast one; what the SCCP proxy uses; kept by an activation
 * again at the same address, gone with a new one; 0 clears it.
 */
#define CCM1 PP_KUNIT_ADDR(198, 51, 100, 21)

/* The CallManager the SCCP proxy uses for @name's phone, host order. */
static u32 pp_kt_ccm(struct pp_net *pn, const char *name)
{
	struct pp_activation *act;
	__be32 ccm;

	mutex_lock(&pn->lock);
	act = pp_kt_act_locked(pn, name);
	ccm = act ? pp_activation_ccm(act, rcu_dereference_protected(act->user,
				      lockdep_is_held(&pn->lock))) : 0;
	mutex_unlock(&pn->lock);
	return be32_to_cpu(ccm);
}

static void pp_activation_rules_ccm_mapping(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	u32 tftp = be32_to_cpu(PP_KUNIT_ADDR(198, 51, 100, 10));	/* "ccm" */
	u32 ccm1 = be32_to_cpu(CCM1);
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_EQ(test, pp_activation_set_ccm(pn, "homer", X, CCM1, &extack),
			-ESRCH);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "marge", Y, PP_REASON_CLI), 0);
	KUNIT_EXPECT_EQ(test, pp_activation_set_ccm(pn, "nobody", X, CCM1, &extack),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, pp_activation_set_ccm(pn, "homer", Y, CCM1, &extack),
			-ESTALE);
	KUNIT_EXPECT_EQ(test, pp_activation_set_ccm(pn, "homer", X, Y, &extack),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pp_activation_set_ccm(pn, "homer", X,
						    htonl(INADDR_LOOPBACK), &extack),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pp_activation_set_ccm(pn, "homer", X,
						    PP_KUNIT_ADDR(224, 0, 0, 5), &extack),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pp_kt_ccm(pn, "homer"), tftp);

	KUNIT_EXPECT_EQ(test, pp_activation_set_ccm(pn, "homer", X, CCM1, &extack), 0);
	KUNIT_EXPECT_EQ(test, pp_kt_ccm(pn, "homer"), ccm1);
	KUNIT_EXPECT_EQ(test, pp_kt_ccm(pn, "marge"), tftp);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_WEB), 0);
	KUNIT_EXPECT_EQ(test, pp_kt_ccm(pn, "homer"), ccm1);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", Z, PP_REASON_CLI), 0);
	KUNIT_EXPECT_EQ(test, pp_kt_ccm(pn, "homer"), tftp);
	KUNIT_EXPECT_EQ(test, pp_activation_set_ccm(pn, "homer", Z, CCM1, &extack), 0);
	KUNIT_EXPECT_EQ(test, pp_activation_set_ccm(pn, "homer", Z, 0, &extack), 0);
	KUNIT_EXPECT_EQ(test, pp_kt_ccm(pn, "homer"), tftp);
}

/*
 * A new users.xml keeps the activations of users that survive with the
 * same SID (in any case) and enabled; it ends the others ("unpublished").
 */
static void pp_activation_rules_republish_keeps_survivors(struct kunit *test)
{
	static const struct pp_kunit_user next[] = {
		{ .name = "homer", .sid = "sep000000000001" },	/* same */
		{ .name = "marge", .sid = "SEP00000000000F" },	/* new SID */
		{ .name = "bart", .sid = "SEP000000000003", .enabled = "0" },
		{ .name = "lisa", .sid = "SEP000000000004", .enabled = "1" },
	};
	struct pp_net *pn = pp_kunit_pn(test);
	struct pp_activation *act, *kept;
	char buf[PP_NAME_MAX];

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "marge", Y, PP_REASON_CLI), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "bart", Z, PP_REASON_CLI), 0);
	mutex_lock(&pn->lock);
	act = pp_kt_act_locked(pn, "homer");
	mutex_unlock(&pn->lock);

	pp_kunit_publish(test, pn, next, ARRAY_SIZE(next));

	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, X, buf), "homer");
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, Y, buf), "");
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, Z, buf), "");
	KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 1U);
	mutex_lock(&pn->lock);
	kept = pp_kt_act_locked(pn, "homer");
	KUNIT_EXPECT_PTR_EQ(test, kept, act);
	/* The activation now points at the new table's entry. */
	if (kept)
		KUNIT_EXPECT_PTR_EQ(test, pp_act_user(pn, kept),
				    pp_users_find_name(pp_users_locked(pn),
						       "homer"));
	mutex_unlock(&pn->lock);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 5U);
	pp_kunit_expect_event(test, 3, PP_EV_INACTIVATED,
			      PP_REASON_UNPUBLISHED, "marge", Y);
	pp_kunit_expect_event(test, 4, PP_EV_INACTIVATED,
			      PP_REASON_UNPUBLISHED, "bart", Z);
	/* Lisa, enabled now, can be activated where Marge was. */
	KUNIT_EXPECT_EQ(test, pp_kt_activate(pn, "lisa", Y, PP_REASON_CLI), 0);
}

static void pp_activation_rules_republish_drops_removed(struct kunit *test)
{
	static const struct pp_kunit_user next[] = {
		{ .name = "marge", .sid = "SEP000000000002" },
	};
	struct pp_net *pn = pp_kunit_pn(test);
	char buf[PP_NAME_MAX];

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "marge", Y, PP_REASON_CLI), 0);
	pp_kunit_publish(test, pn, next, ARRAY_SIZE(next));
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, X, buf), "");
	KUNIT_EXPECT_STREQ(test, pp_kt_holder(pn, Y, buf), "marge");
	KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 1U);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 3U);
	pp_kunit_expect_event(test, 2, PP_EV_INACTIVATED,
			      PP_REASON_UNPUBLISHED, "homer", X);
	KUNIT_EXPECT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI),
			-ENOENT);
}

/*
 * The table against a naive reference (WireGuard's allowedips self-test
 * pattern): random activations and inactivations of 16 users (two of them
 * disabled) over 8 addresses, from a fixed seed; after every step each
 * address and each user must agree with two plain arrays, and so must the
 * count of activations and of events.
 */
#define PP_KT_USERS	16
#define PP_KT_ADDRS	8
#define PP_KT_STEPS	1000

static void pp_kt_publish_many(struct kunit *test, struct pp_net *pn)
{
	struct pp_kunit_user users[PP_KT_USERS];
	char names[PP_KT_USERS][8], sids[PP_KT_USERS][PP_SID_LEN + 1];
	unsigned int i;

	for (i = 0; i < PP_KT_USERS; i++) {
		snprintf(names[i], sizeof(names[i]), "u%u", i);
		snprintf(sids[i], sizeof(sids[i]), "SEP%012X", i + 1);
		users[i] = (struct pp_kunit_user){
			.name = names[i], .sid = sids[i],
			.enabled = i % 7 == 6 ? "0" : NULL,
		};
	}
	pp_kunit_publish(test, pn, users, PP_KT_USERS);
}

/* Compare the table with the reference; the number of disagreements. */
static unsigned int pp_kt_compare(struct kunit *test, struct pp_net *pn,
				  const int *user_at, const int *holder,
				  unsigned int step)
{
	unsigned int i, bad = 0, active = 0;
	char name[8], buf[PP_NAME_MAX];

	for (i = 0; i < PP_KT_ADDRS; i++) {
		const char *got = pp_kt_holder(pn, PP_KUNIT_ADDR(10, 0, 0, i + 1),
					       buf);

		if (holder[i] >= 0)
			snprintf(name, sizeof(name), "u%d", holder[i]);
		else
			name[0] = '\0';
		if (strcmp(got, name)) {
			KUNIT_FAIL(test, "step %u: 10.0.0.%u held by \"%s\", not \"%s\"",
				   step, i + 1, got, name);
			bad++;
		}
	}
	for (i = 0; i < PP_KT_USERS; i++) {
		u32 want = user_at[i] >= 0 ? (10 << 24) + user_at[i] + 1 : 0;

		snprintf(name, sizeof(name), "u%u", i);
		if (pp_kt_user_addr(pn, name) != want) {
			KUNIT_FAIL(test, "step %u: %s at %08x, not %08x", step,
				   name, pp_kt_user_addr(pn, name), want);
			bad++;
		}
		active += user_at[i] >= 0;
	}
	if (pp_activation_count(pn) != active) {
		KUNIT_FAIL(test, "step %u: %u activations, not %u", step,
			   pp_activation_count(pn), active);
		bad++;
	}
	return bad;
}

static void pp_activation_rules_random_against_reference(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	int user_at[PP_KT_USERS], holder[PP_KT_ADDRS];
	unsigned int step, events = 0;
	struct rnd_state rnd;

	pp_kt_publish_many(test, pn);
	memset(user_at, 0xff, sizeof(user_at));		/* -1: nowhere */
	memset(holder, 0xff, sizeof(holder));
	prandom_seed_state(&rnd, 0x70686f6e65ULL);

	for (step = 0; step < PP_KT_STEPS; step++) {
		u32 r = prandom_u32_state(&rnd);
		int u = r % PP_KT_USERS, a = (r >> 8) % PP_KT_ADDRS;
		bool disabled = u % 7 == 6;
		char name[8];
		int err, want;

		snprintf(name, sizeof(name), "u%d", u);
		if ((r >> 16) % 10 < 7) {
			err = pp_kt_activate(pn, name,
					     PP_KUNIT_ADDR(10, 0, 0, a + 1),
					     PP_REASON_CLI);
			want = disabled ? -EPERM : 0;
			if (!disabled) {
				events++;
				if (holder[a] >= 0 && holder[a] != u) {
					user_at[holder[a]] = -1;	/* displaced */
					events++;
				}
				if (user_at[u] >= 0 && user_at[u] != a) {
					holder[user_at[u]] = -1;	/* moved */
					events++;
				}
				user_at[u] = a;
				holder[a] = u;
			}
		} else {
			err = pp_inactivate(pn, name, PP_REASON_CLI, NULL);
			want = user_at[u] >= 0 ? 0 : -EALREADY;
			if (user_at[u] >= 0) {
				holder[user_at[u]] = -1;
				user_at[u] = -1;
				events++;
			}
		}
		if (err != want) {
			KUNIT_FAIL(test, "step %u: %s of %s: %d, not %d", step,
				   (r >> 16) % 10 < 7 ? "activation" :
				   "inactivation", name, err, want);
			return;
		}
		if (pp_kt_compare(test, pn, user_at, holder, step))
			return;
	}
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), events);
}

static struct kunit_case pp_activation_rules_cases[] = {
	KUNIT_CASE(pp_activation_rules_activate),
	KUNIT_CASE(pp_activation_rules_unknown_user_refused),
	KUNIT_CASE(pp_activation_rules_disabled_user_refused),
	KUNIT_CASE_PARAM(pp_activation_rules_address_must_be_unicast,
			 pp_kt_addr_gen_params),
	KUNIT_CASE(pp_activation_rules_address_displaces_holder),
	KUNIT_CASE(pp_activation_rules_user_moves),
	KUNIT_CASE(pp_activation_rules_displace_and_move),
	KUNIT_CASE(pp_activation_rules_again_restarts_timers),
	KUNIT_CASE(pp_activation_rules_inactivate),
	KUNIT_CASE(pp_activation_rules_cluster_reason),
	KUNIT_CASE(pp_activation_rules_ccm_mapping),
	KUNIT_CASE(pp_activation_rules_republish_keeps_survivors),
	KUNIT_CASE(pp_activation_rules_republish_drops_removed),
	KUNIT_CASE(pp_activation_rules_random_against_reference),
	{}
};

struct kunit_suite pp_activation_rules_suite = {
	.name = "pp_activation_rules",
	.init = pp_activation_rules_init,
	.exit = pp_kunit_net_exit,
	.test_cases = pp_activation_rules_cases,
};

/*
 * The timers. pp_act_deadline() is pure: table-driven, at two clock
 * values, one of them just after jiffies wrapped.
 */
struct pp_kt_deadline_case {
	const char *desc;
	u32 idle, auth;			/* seconds */
	long since, last_close;		/* seconds from now */
	int conns;
	bool remote;			/* registered through another node */
	bool any;
	long when;			/* seconds from now */
	u8 why;
};

#define DL_NEVER(d, i, a) { .desc = d, .idle = i, .auth = a, .any = false }
#define DL(d, i, a, s, lc, c, w, y)					\
	{ .desc = d, .idle = i, .auth = a, .since = s, .last_close = lc,\
	  .conns = c, .any = true, .when = w, .why = PP_REASON_TIMEOUT_##y }
#define DL_REMOTE(d, i, a, s, lc, w, y)					\
	{ .desc = d, .idle = i, .auth = a, .since = s, .last_close = lc,\
	  .remote = true, .any = true, .when = w,			\
	  .why = PP_REASON_TIMEOUT_##y }

static const struct pp_kt_deadline_case pp_kt_deadline_cases[] = {
	DL_NEVER("no timeouts: never expires", 0, 0),
	DL("idle, never connected: from activation",
	   300, 0, -10, -10, 0, 290, IDLE),
	DL("idle counts from the last close", 300, 0, -100, -50, 0, 250, IDLE),
	DL("a close before the activation does not count",
	   300, 0, -100, -200, 0, 200, IDLE),
	DL("connected: look again a timeout from now",
	   300, 0, -1000, -1000, 1, 300, IDLE),
	DL("overdue idle is due in the past", 30, 0, -100, -100, 0, -70, IDLE),
	DL("auth only", 0, 60, -10, -10, 0, 50, AUTH),
	DL("auth fires while connected", 300, 60, -10, -10, 2, 50, AUTH),
	DL_REMOTE("registered through another node: look again a timeout from now",
		  300, 0, -1000, -1000, 300, IDLE),
	DL_REMOTE("auth fires while registered through another node",
		  300, 60, -10, -10, 50, AUTH),
	DL("idle before auth", 30, 600, -10, -10, 0, 20, IDLE),
	DL("auth before idle", 600, 30, -10, -10, 0, 20, AUTH),
	DL("a tie goes to auth", 60, 60, -10, -10, 0, 50, AUTH),
	DL("the longest timeout", 0, PP_TIMEOUT_MAX, 0, 0, 0,
	   PP_TIMEOUT_MAX, AUTH),
};

static void pp_kt_deadline_desc(const struct pp_kt_deadline_case *c,
				char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pp_kt_deadline, pp_kt_deadline_cases, pp_kt_deadline_desc);

static void pp_activation_timers_deadline(struct kunit *test)
{
	const struct pp_kt_deadline_case *c = test->param_value;
	/* Far from a wrap, and 2 s after one (since is before it). */
	const unsigned long nows[] = { 1000000UL * HZ, 2UL * HZ };
	struct pp_config cfg = {
		.idle_timeout = c->idle,
		.auth_timeout = c->auth,
	};
	struct pp_activation act = {};
	unsigned long when;
	unsigned int i;
	u8 why;

	for (i = 0; i < ARRAY_SIZE(nows); i++) {
		unsigned long now = nows[i];
		bool any;

		act.since = now + c->since * HZ;
		act.last_close = now + c->last_close * HZ;
		atomic_set(&act.conns, c->conns);
		act.remote_registered = c->remote;
		when = 0;
		why = 0;
		any = pp_act_deadline(&cfg, &act, now, &when, &why);
		KUNIT_EXPECT_EQ_MSG(test, any, c->any, "now %lu", now);
		if (!any || !c->any)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, (long)(when - now), c->when * HZ,
				    "now %lu", now);
		KUNIT_EXPECT_EQ_MSG(test, why, c->why, "now %lu: %s", now,
				    pp_reason_str(why));
	}
}

/* The sweep is queued for the earliest deadline asked for. */
static void pp_activation_timers_queue_earliest(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	unsigned long now = jiffies;

	/* The deadlines are far: the sweep does not run, and would wait. */
	mutex_lock(&pn->lock);
	KUNIT_EXPECT_FALSE(test, pn->sweep_queued);
	pp_act_queue(pn, now + 1000 * HZ);
	KUNIT_EXPECT_TRUE(test, pn->sweep_queued);
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&pn->sweep));
	KUNIT_EXPECT_EQ(test, pn->sweep_at, now + 1000 * HZ);
	pp_act_queue(pn, now + 2000 * HZ);
	KUNIT_EXPECT_EQ(test, pn->sweep_at, now + 1000 * HZ);
	pp_act_queue(pn, now + 500 * HZ);
	KUNIT_EXPECT_EQ(test, pn->sweep_at, now + 500 * HZ);
	mutex_unlock(&pn->lock);
}

static void pp_activation_timers_activation_arms(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	unsigned long homer_due;

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "marge", Y, PP_REASON_CLI), 0);
	mutex_lock(&pn->lock);
	homer_due = pp_kt_act_locked(pn, "homer")->since +
		    PP_DEFAULT_IDLE_TIMEOUT * HZ;
	KUNIT_EXPECT_TRUE(test, pn->sweep_queued);
	KUNIT_EXPECT_EQ(test, pn->sweep_at, homer_due);
	mutex_unlock(&pn->lock);
}

static int pp_kt_set_timeouts(struct kunit *test, struct pp_net *pn,
			      u32 idle, u32 auth)
{
	struct nlattr *tb[PP_A_MAX + 1] = {};
	struct netlink_ext_ack extack = {};

	tb[PP_A_CFG_IDLE_TIMEOUT] = pp_kunit_nla(test, PP_A_CFG_IDLE_TIMEOUT,
						 &idle, sizeof(idle));
	tb[PP_A_CFG_AUTH_TIMEOUT] = pp_kunit_nla(test, PP_A_CFG_AUTH_TIMEOUT,
						 &auth, sizeof(auth));
	return pp_config_set(pn, tb, &extack);
}

/* A new timeout re-arms the sweep for the new earliest deadline. */
static void pp_activation_timers_rearm_on_timeout_change(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	unsigned long since;

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	mutex_lock(&pn->lock);
	since = pp_kt_act_locked(pn, "homer")->since;
	mutex_unlock(&pn->lock);

	/* Later: the sweep runs now and finds the new deadline. */
	KUNIT_ASSERT_EQ(test, pp_kt_set_timeouts(test, pn, 3000, 0), 0);
	flush_delayed_work(&pn->sweep);
	mutex_lock(&pn->lock);
	KUNIT_EXPECT_TRUE(test, pn->sweep_queued);
	KUNIT_EXPECT_EQ(test, pn->sweep_at, since + 3000UL * HZ);
	mutex_unlock(&pn->lock);

	/* Earlier, through the auth timeout. */
	KUNIT_ASSERT_EQ(test, pp_kt_set_timeouts(test, pn, 3000, 1000), 0);
	flush_delayed_work(&pn->sweep);
	mutex_lock(&pn->lock);
	KUNIT_EXPECT_EQ(test, pn->sweep_at, since + 1000UL * HZ);
	mutex_unlock(&pn->lock);

	/* Both off: nothing to wait for. */
	KUNIT_ASSERT_EQ(test, pp_kt_set_timeouts(test, pn, 0, 0), 0);
	flush_delayed_work(&pn->sweep);
	mutex_lock(&pn->lock);
	KUNIT_EXPECT_FALSE(test, pn->sweep_queued);
	mutex_unlock(&pn->lock);
	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"), be32_to_cpu(X));
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 1U);
}

/* Run the sweep now, as its timer would. */
static void pp_kt_sweep(struct pp_net *pn)
{
	cancel_delayed_work_sync(&pn->sweep);
	pp_act_sweep(&pn->sweep.work);
}

/* Move user @name's activation (and last close) @secs into the past. */
static void pp_kt_age(struct pp_net *pn, const char *name, unsigned long secs)
{
	struct pp_activation *act;

	mutex_lock(&pn->lock);
	act = pp_kt_act_locked(pn, name);
	if (act) {
		act->since -= secs * HZ;
		act->last_close = act->since;
	}
	mutex_unlock(&pn->lock);
}

static void pp_activation_timers_sweep_expires_idle(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	unsigned int gen;

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "marge", Y, PP_REASON_CLI), 0);
	pp_kt_age(pn, "homer", PP_DEFAULT_IDLE_TIMEOUT + 1);
	gen = pp_net_gen(pn);
	pp_kt_sweep(pn);

	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"), 0U);
	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "marge"), be32_to_cpu(Y));
	KUNIT_EXPECT_EQ(test, pp_activation_count(pn), 1U);
	KUNIT_EXPECT_NE(test, pp_net_gen(pn), gen);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 3U);
	pp_kunit_expect_event(test, 2, PP_EV_INACTIVATED,
			      PP_REASON_TIMEOUT_IDLE, "homer", X);
	/* Queued again for Marge. */
	mutex_lock(&pn->lock);
	KUNIT_EXPECT_TRUE(test, pn->sweep_queued);
	KUNIT_EXPECT_EQ(test, pn->sweep_at,
			pp_kt_act_locked(pn, "marge")->since +
			PP_DEFAULT_IDLE_TIMEOUT * HZ);
	mutex_unlock(&pn->lock);
}

static void pp_activation_timers_auth_expires_connected(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);

	KUNIT_ASSERT_EQ(test, pp_kt_set_timeouts(test, pn, 300, 60), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	mutex_lock(&pn->lock);
	atomic_set(&pp_kt_act_locked(pn, "homer")->conns, 1);
	mutex_unlock(&pn->lock);
	pp_kt_age(pn, "homer", 61);
	pp_kt_sweep(pn);

	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"), 0U);
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 2U);
	pp_kunit_expect_event(test, 1, PP_EV_INACTIVATED,
			      PP_REASON_TIMEOUT_AUTH, "homer", X);
	mutex_lock(&pn->lock);
	KUNIT_EXPECT_FALSE(test, pn->sweep_queued);
	mutex_unlock(&pn->lock);
}

/*
 * The sweep, run between before and after (jiffies), left a sweep queued
 * for a whole idle timeout from then: nothing timed out, looked at again.
 */
static void pp_kt_expect_rearmed(struct kunit *test, struct pp_net *pn,
				 unsigned long before, unsigned long after)
{
	mutex_lock(&pn->lock);
	KUNIT_EXPECT_TRUE(test, pn->sweep_queued);
	KUNIT_EXPECT_TRUE(test,
			  time_in_range(pn->sweep_at,
					before + PP_DEFAULT_IDLE_TIMEOUT * HZ,
					after + PP_DEFAULT_IDLE_TIMEOUT * HZ));
	mutex_unlock(&pn->lock);
}

static void pp_activation_timers_connected_never_idle(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	unsigned long before, after;

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	mutex_lock(&pn->lock);
	atomic_set(&pp_kt_act_locked(pn, "homer")->conns, 1);
	mutex_unlock(&pn->lock);
	pp_kt_age(pn, "homer", 10 * PP_DEFAULT_IDLE_TIMEOUT);
	before = jiffies;
	pp_kt_sweep(pn);
	after = jiffies;

	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"), be32_to_cpu(X));
	KUNIT_EXPECT_EQ(test, pp_kunit_n_events(), 1U);
	pp_kt_expect_rearmed(test, pn, before, after);
}

static void pp_activation_timers_idle_from_last_close(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	unsigned long closed;

	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLI), 0);
	pp_kt_age(pn, "homer", 10 * PP_DEFAULT_IDLE_TIMEOUT);
	mutex_lock(&pn->lock);
	closed = jiffies - 10 * HZ;
	pp_kt_act_locked(pn, "homer")->last_close = closed;
	mutex_unlock(&pn->lock);
	pp_kt_sweep(pn);

	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"), be32_to_cpu(X));
	mutex_lock(&pn->lock);
	KUNIT_EXPECT_EQ(test, pn->sweep_at,
			closed + PP_DEFAULT_IDLE_TIMEOUT * HZ);
	mutex_unlock(&pn->lock);
}

/*
 * A cluster node the phone does not connect to keeps its activation while
 * the phone is registered through another node (pp-clusterd's
 * PP_CMD_USER_REMOTE_SET); idle counts from when that registration ended.
 */
static void pp_activation_timers_registered_elsewhere_never_idle(struct kunit *test)
{
	struct pp_net *pn = pp_kunit_pn(test);
	struct netlink_ext_ack extack = {};
	unsigned long before, after;

	KUNIT_EXPECT_EQ(test, pp_activation_set_remote(pn, "homer", X, true,
						       &extack), -ESRCH);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", X, PP_REASON_CLUSTER),
			0);
	KUNIT_EXPECT_EQ(test, pp_activation_set_remote(pn, "nobody", X, true,
						       &extack), -ENOENT);
	KUNIT_EXPECT_EQ(test, pp_activation_set_remote(pn, "homer", Y, true,
						       &extack), -ESTALE);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack),
			   "user is active at another address");
	KUNIT_ASSERT_EQ(test, pp_activation_set_remote(pn, "homer", X, true,
						       &extack), 0);
	pp_kt_age(pn, "homer", 10 * PP_DEFAULT_IDLE_TIMEOUT);
	pp_kt_sweep(pn);
	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"), be32_to_cpu(X));

	/* The remote registration ends: idle a whole timeout from now. */
	before = jiffies;
	KUNIT_ASSERT_EQ(test, pp_activation_set_remote(pn, "homer", X, false,
						       &extack), 0);
	pp_kt_sweep(pn);
	after = jiffies;
	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"), be32_to_cpu(X));
	pp_kt_expect_rearmed(test, pn, before, after);

	/* An activation at another address starts without it. */
	KUNIT_ASSERT_EQ(test, pp_activation_set_remote(pn, "homer", X, true,
						       &extack), 0);
	KUNIT_ASSERT_EQ(test, pp_kt_activate(pn, "homer", Z, PP_REASON_CLUSTER),
			0);
	pp_kt_age(pn, "homer", PP_DEFAULT_IDLE_TIMEOUT + 1);
	pp_kt_sweep(pn);
	KUNIT_EXPECT_EQ(test, pp_kt_user_addr(pn, "homer"), 0U);
}

static struct kunit_case pp_activation_timers_cases[] = {
	KUNIT_CASE_PARAM(pp_activation_timers_deadline,
			 pp_kt_deadline_gen_params),
	KUNIT_CASE(pp_activation_timers_queue_earliest),
	KUNIT_CASE(pp_activation_timers_activation_arms),
	KUNIT_CASE(pp_activation_timers_rearm_on_timeout_change),
	KUNIT_CASE(pp_activation_timers_sweep_expires_idle),
	KUNIT_CASE(pp_activation_timers_auth_expires_connected),
	KUNIT_CASE(pp_activation_timers_connected_never_idle),
	KUNIT_CASE(pp_activation_timers_idle_from_last_close),
	KUNIT_CASE(pp_activation_timers_registered_elsewhere_never_idle),
	{}
};

struct kunit_suite pp_activation_timers_suite = {
	.name = "pp_activation_timers",
	.init = pp_activation_rules_init,
	.exit = pp_kunit_net_exit,
	.test_cases = pp_activation_timers_cases,
};
