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
#include "registration.h"
#include "sccp_conn.h"
#include "users.h"

/*
 * Each namespace's state, layer by layer (docs/architecture.md): the
 * core, then the features.
 */
static const struct {
	int (*init)(struct pp_net *pn);
	void (*exit)(struct pp_net *pn);
} pp_net_layers[] = {
	{ pp_config_init, pp_config_exit },
	{ pp_users_init, pp_users_exit },
	{ pp_activation_init, pp_activation_exit },
	{ pp_reg_init, pp_reg_exit },
	{ pp_media_net_init, pp_media_net_exit },
	{ pp_sccp_net_init, pp_sccp_net_exit },
	/* Last: it exposes the state above to the packet path. */
	{ pp_fw_init, pp_fw_exit },
};

/* Undo the first @n layers of @pn, the last first. */
static void pp_net_unwind(struct pp_net *pn, unsigned int n)
{
	while (n--)
		pp_net_layers[n].exit(pn);
	mutex_destroy(&pn->lock);
}

static int __net_init pp_net_init(struct net *net)
{
	struct pp_net *pn = pp_net(net);
	unsigned int i;
	int err;

	pn->net = net;
	mutex_init(&pn->lock);
	atomic_set(&pn->gen, 1);
	for (i = 0; i < ARRAY_SIZE(pp_net_layers); i++) {
		err = pp_net_layers[i].init(pn);
		if (err) {
			pp_net_unwind(pn, i);
			return err;
		}
	}
	return 0;
}

static void __net_exit pp_net_exit(struct net *net)
{
	pp_net_unwind(pp_net(net), ARRAY_SIZE(pp_net_layers));
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

	err = pp_sccp_init();
	if (err)
		return err;
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
	pp_sccp_exit();
	return err;
}

static void __exit pp_exit(void)
{
	pp_nl_unregister();
	pp_events_unsubscribe(&pp_sccp_nb);
	pp_events_unsubscribe(&pp_activation_nb);
	unregister_pernet_subsys(&pp_net_ops);
	rcu_barrier();
	pp_sccp_exit();
	pr_info("unloaded\n");
}

module_init(pp_init);
module_exit(pp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The phoneproxy authors");
MODULE_DESCRIPTION("Telephony-aware firewall (Cisco Unified PhoneProxy)");
MODULE_ALIAS_GENL_FAMILY(PHONEPROXY_GENL_NAME);
MODULE_VERSION(PHONEPROXY_VERSION);
