// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "../events.c"
#include "../firewall.h"
#include "../pernet.c"
#include "pp_rules.h"
#include "pp_kunit.h"

static DEFINE_SPINLOCK(pp_kunit_ev_lock);
static struct pp_kunit_event pp_kunit_ev[PP_KUNIT_EVENTS_MAX];
static unsigned int pp_kunit_n_ev;

/* A subscriber that records the activation events the core announces. */
static int pp_kunit_record(struct notifier_block *nb, unsigned long type,
			   void *data)
{
	const struct pp_ev *e = data;
	struct pp_kunit_event *ev;

	if (type != PP_EV_ACTIVATED && type != PP_EV_INACTIVATED)
		return NOTIFY_DONE;
	spin_lock(&pp_kunit_ev_lock);
	if (pp_kunit_n_ev < PP_KUNIT_EVENTS_MAX) {
		ev = &pp_kunit_ev[pp_kunit_n_ev];
		ev->event = type;
		ev->reason = e->reason;
		strscpy(ev->name, e->user->name, sizeof(ev->name));
		ev->addr = e->addr;
	}
	pp_kunit_n_ev++;
	spin_unlock(&pp_kunit_ev_lock);
	return NOTIFY_DONE;
}

static struct notifier_block pp_kunit_nb = {
	.notifier_call = pp_kunit_record,
};

unsigned int pp_kunit_n_events(void)
{
	unsigned int n;

	spin_lock(&pp_kunit_ev_lock);
	n = pp_kunit_n_ev;
	spin_unlock(&pp_kunit_ev_lock);
	return n;
}

bool pp_kunit_event(unsigned int i, struct pp_kunit_event *ev)
{
	bool ok;

	spin_lock(&pp_kunit_ev_lock);
	ok = i < min_t(unsigned int, pp_kunit_n_ev, PP_KUNIT_EVENTS_MAX);
	if (ok)
		*ev = pp_kunit_ev[i];
	spin_unlock(&pp_kunit_ev_lock);
	return ok;
}

void pp_kunit_expect_event(struct kunit *test, unsigned int i, u8 event,
			   u8 reason, const char *name, __be32 addr)
{
	struct pp_kunit_event ev;

	KUNIT_ASSERT_TRUE_MSG(test, pp_kunit_event(i, &ev),
			      "event %u was not sent", i);
	KUNIT_EXPECT_EQ_MSG(test, ev.event, event, "event %u", i);
	KUNIT_EXPECT_EQ_MSG(test, ev.reason, reason, "event %u: %s", i,
			    pp_reason_str(ev.reason));
	KUNIT_EXPECT_STREQ_MSG(test, ev.name, name, "event %u", i);
	KUNIT_EXPECT_EQ_MSG(test, be32_to_cpu(ev.addr), be32_to_cpu(addr),
			    "event %u", i);
}

int pp_kunit_net_init(struct kunit *test)
{
	struct pp_net *pn;
	int cpu, err;

	spin_lock(&pp_kunit_ev_lock);
	pp_kunit_n_ev = 0;
	spin_unlock(&pp_kunit_ev_lock);

	pn = kunit_kzalloc(test, sizeof(*pn), GFP_KERNEL);
	if (!pn)
		return -ENOMEM;
	pn->net = &init_net;
	mutex_init(&pn->lock);
	atomic_set(&pn->gen, 1);
	err = pp_config_init(pn);
	if (err)
		goto err_config;
	err = pp_users_init(pn);
	if (err)
		goto err_users;
	err = pp_activation_init(pn);
	if (err)
		goto err_activation;
	pn->stats = alloc_percpu(struct pp_fw_stats);
	if (!pn->stats) {
		err = -ENOMEM;
		goto err_stats;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(pn->stats, cpu)->syncp);
	test->priv = pn;
	pp_events_subscribe(&pp_activation_nb);
	pp_events_subscribe(&pp_kunit_nb);
	return 0;

err_stats:
	pp_activation_exit(pn);
err_activation:
	pp_users_exit(pn);
err_users:
	pp_config_exit(pn);
err_config:
	mutex_destroy(&pn->lock);
	return err;
}

void pp_kunit_net_exit(struct kunit *test)
{
	struct pp_net *pn = test->priv;

	if (!pn)
		return;
	pp_events_unsubscribe(&pp_kunit_nb);
	pp_events_unsubscribe(&pp_activation_nb);
	free_percpu(pn->stats);
	pp_activation_exit(pn);
	pp_users_exit(pn);
	pp_config_exit(pn);
	mutex_destroy(&pn->lock);
	/* The RCU callbacks of what the test replaced or inactivated. */
	rcu_barrier();
}

struct nlattr *pp_kunit_nla(struct kunit *test, int type, const void *data,
			    int len)
{
	struct nlattr *nla;

	nla = kunit_kzalloc(test, nla_total_size(len), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, nla);
	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	if (len)
		memcpy(nla_data(nla), data, len);
	return nla;
}

int pp_kunit_add_ccm(struct kunit *test, struct pp_users *t,
		     const struct pp_kunit_ccm *c,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PP_CCM_A_MAX + 1] = {};
	struct nlattr *nest = pp_kunit_nla(test, PP_A_CCM, NULL, 0);
	u8 def = c->is_default;

	if (c->name)
		tb[PP_CCM_A_NAME] = pp_kunit_nla_str(test, PP_CCM_A_NAME,
						     c->name);
	tb[PP_CCM_A_ADDR] = pp_kunit_nla(test, PP_CCM_A_ADDR, &c->addr,
					 sizeof(c->addr));
	tb[PP_CCM_A_DEFAULT] = pp_kunit_nla(test, PP_CCM_A_DEFAULT, &def, 1);
	return pp_users_add_ccm(t, nest, tb, extack);
}

int pp_kunit_add_user(struct kunit *test, struct pp_users *t,
		      const struct pp_kunit_user *u,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PP_USER_A_MAX + 1] = {};
	struct nlattr *nest = pp_kunit_nla(test, PP_A_USER, NULL, 0);

	if (u->name)
		tb[PP_USER_A_NAME] = pp_kunit_nla_str(test, PP_USER_A_NAME,
						      u->name);
	if (u->sid)
		tb[PP_USER_A_SID] = pp_kunit_nla_str(test, PP_USER_A_SID,
						     u->sid);
	if (u->ccm)
		tb[PP_USER_A_CCM] = pp_kunit_nla_str(test, PP_USER_A_CCM,
						     u->ccm);
	if (u->enabled) {
		u8 en = u->enabled[0] == '1';

		tb[PP_USER_A_ENABLED] = pp_kunit_nla(test, PP_USER_A_ENABLED,
						     &en, 1);
	}
	return pp_users_add_user(t, nest, tb, extack);
}

static const struct pp_kunit_user pp_kunit_family[] = {
	{ .name = "homer", .sid = "SEP000000000001" },
	{ .name = "marge", .sid = "SEP000000000002" },
	{ .name = "bart", .sid = "SEP000000000003" },
	{ .name = "lisa", .sid = "SEP000000000004", .enabled = "0" },
};

void pp_kunit_publish(struct kunit *test, struct pp_net *pn,
		      const struct pp_kunit_user *users, unsigned int n)
{
	const struct pp_kunit_ccm ccm = {
		.name = "ccm",
		.addr = PP_KUNIT_ADDR(198, 51, 100, 10),
		.is_default = true,
	};
	struct netlink_ext_ack extack = {};
	struct pp_users *t;
	unsigned int i;
	int err;

	t = pp_users_alloc(n, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	err = pp_kunit_add_ccm(test, t, &ccm, &extack);
	for (i = 0; !err && i < n; i++)
		err = pp_kunit_add_user(test, t, &users[i], &extack);
	if (err) {
		pp_users_free(t);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "%s", extack._msg);
	}
	pp_activation_users_publish(pn, t);
}

void pp_kunit_publish_family(struct kunit *test, struct pp_net *pn)
{
	pp_kunit_publish(test, pn, pp_kunit_family,
			 ARRAY_SIZE(pp_kunit_family));
}

void pp_kunit_set_config(struct kunit *test, struct pp_net *pn,
			 const struct pp_config *cfg)
{
	struct pp_config *new, *old;

	new = kmemdup(cfg, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, new);
	mutex_lock(&pn->lock);
	old = rcu_dereference_protected(pn->config,
					lockdep_is_held(&pn->lock));
	rcu_assign_pointer(pn->config, new);
	mutex_unlock(&pn->lock);
	kfree_rcu(old, rcu);
}

kunit_test_suites(&pp_activation_rules_suite, &pp_activation_timers_suite,
		  &pp_users_table_suite, &pp_config_validation_suite,
		  &pp_firewall_verdict_suite, &pp_sccp_parser_suite,
		  &pp_sccp_stream_suite, &pp_media_ports_suite,
		  &pp_media_fwd_suite, &pp_media_streams_suite,
		  &pp_media_relay_suite);
kunit_test_suites(&pp_srtp_suite);
kunit_test_suites(&pp_media_srtp_suite);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The phoneproxy authors");
MODULE_DESCRIPTION("KUnit suites of phoneproxy.ko");
