/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The TAP harness of the SCCP test cases of proto/tests/ (test_sccp,
 * test_sccp_stream): one ok() line per check, its failure as a diag().
 */
#ifndef PP_SCCP_TAP_H
#define PP_SCCP_TAP_H

#include "tap.h"

/* The tables give only the fields a case needs. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define PP_KT_SCCP_VECTORS_DEFINE
#include "sccp_test.h"

/* ok(@call == 0, ...), where @call may describe its failure in why. */
#define SCCP_T_TAP(call, ...)						\
	do {								\
		char why[SCCP_T_WHY] = "";				\
									\
		if (!ok(!(call), __VA_ARGS__))				\
			diag("%s", why);				\
		sccp_t_zfree_all();					\
	} while (0)

/*
 * SCCP_T_TAP() for each element c of @table, named by the string it
 * starts with and @what.
 */
#define SCCP_T_TAP_EACH(table, call, what)				\
	for (size_t i_ = 0; i_ < ARRAY_SIZE(table); i_++) {		\
		const __typeof__((table)[0]) *c = &(table)[i_];		\
									\
		SCCP_T_TAP(call, "%s: %s", *(const char *const *)c, what); \
	}

#endif /* PP_SCCP_TAP_H */
