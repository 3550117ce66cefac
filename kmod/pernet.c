// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
#include "pernet.h"

/* The id of struct pp_net, given by main.c's pernet_operations. */
unsigned int pp_net_id __read_mostly;
