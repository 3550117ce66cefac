// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
#include <linux/module.h>
#include <linux/phoneproxy.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>

#include "activation.h"
#include "config.h"
#include "events.h"
#include "firewall.h"
#include "media.h"
#include "netlink.h"
#include "sccp_conn.h"
#include "users.h"

/*
 * Each namespace's state, layer by layer (docs/architecture.md): the
 * core, then the features.
 */
static int __net_init pp_net_init(struct net *net)
{
	struct pp_net *pn = pp_net(net);
	int err;

	pn->net = net;
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
	err = pp_media_net_init(pn);
	if (err)
		goto err_media;
	err = pp_sccp_net_init(pn);
	if (err)
		goto err_sccp;
	/* Last: it exposes the state above to the packet path. */
	err = pp_fw_init(pn);
	if (err)
		goto err_fw;
	return 0;

err_fw:
	pp_sccp_net_exit(pn);
err_sccp:
	pp_media_net_exit(pn);
err_media:
	pp_activation_exit(pn);
err_activation:
	pp_users_exit(pn);
err_users:
	pp_config_exit(pn);
err_config:
	mutex_destroy(&pn->lock);
	return err;
}

static void __net_exit pp_net_exit(struct net *net)
{
	struct pp_net *pn = pp_net(net);

	pp_fw_exit(pn);
	pp_sccp_net_exit(pn);
	pp_media_net_exit(pn);
	pp_activation_exit(pn);
	pp_users_exit(pn);
	pp_config_exit(pn);
	mutex_destroy(&pn->lock);
}

static struct pernet_operations pp_net_ops = {
	.init	= pp_net_init,
	.exit	= pp_net_exit,
	.id	= &pp_net_id,
	.size	= sizeof(struct pp_net),
};

static int __init pp_init(void)
{
	int err;

	err = register_pernet_subsys(&pp_net_ops);
	if (err)
		goto err_pernet;
	/* The features subscribe to the core's events, then the API. */
	err = pp_events_subscribe(&pp_activation_nb) ?:
	      pp_events_subscribe(&pp_sccp_nb) ?: pp_nl_register();
	if (err)
		goto err_events;
	pr_info("loaded\n");
	return 0;

err_events:
	pp_events_unsubscribe(&pp_sccp_nb);
	pp_events_unsubscribe(&pp_activation_nb);
	unregister_pernet_subsys(&pp_net_ops);
err_pernet:
	rcu_barrier();
	return err;
}

static void __exit pp_exit(void)
{
	pp_nl_unregister();
	pp_events_unsubscribe(&pp_sccp_nb);
	pp_events_unsubscribe(&pp_activation_nb);
	unregister_pernet_subsys(&pp_net_ops);
	rcu_barrier();
	pr_info("unloaded\n");
}

module_init(pp_init);
module_exit(pp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The phoneproxy authors");
MODULE_DESCRIPTION("Telephony-aware firewall (Cisco Unified PhoneProxy)");
MODULE_ALIAS_GENL_FAMILY(PHONEPROXY_GENL_NAME);
