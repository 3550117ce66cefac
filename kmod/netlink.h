/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
#ifndef _PP_NETLINK_H
#define _PP_NETLINK_H

int pp_nl_register(void);
void pp_nl_unregister(void);

#endif /* _PP_NETLINK_H */
