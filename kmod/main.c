// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
#include <linux/module.h>
#include <linux/phoneproxy.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>

#include "netlink.h"
#include "pernet.h"

static int __init pp_init(void)
{
	int err;

	err = pp_pernet_register();
	if (err)
		goto err_pernet;
	err = pp_nl_register();
	if (err)
		goto err_nl;
	pr_info("loaded\n");
	return 0;

err_nl:
	pp_pernet_unregister();
err_pernet:
	rcu_barrier();
	return err;
}

static void __exit pp_exit(void)
{
	pp_nl_unregister();
	pp_pernet_unregister();
	rcu_barrier();
	pr_info("unloaded\n");
}

module_init(pp_init);
module_exit(pp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The phoneproxy authors");
MODULE_DESCRIPTION("Telephony-aware firewall (Cisco Unified PhoneProxy)");
MODULE_ALIAS_GENL_FAMILY(PHONEPROXY_GENL_NAME);
