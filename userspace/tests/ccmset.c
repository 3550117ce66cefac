// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ccmset: the test client of PP_CMD_USER_CCM_SET (pp-tftpd's request,
 * selftests/phoneproxy/cluster_ccm.sh), to show its refusals:
 *
 *	ccmset NAME ADDR CCM	prints "ok" or "errno=N msg=\"...\"" (extack)
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "nl.h"
#include "ops.h"

int main(int argc, char **argv)
{
	struct in_addr addr, ccm;
	struct pp_nl *nl;
	char err[256];
	int rc;

	if (argc != 4 || !inet_aton(argv[2], &addr) || !inet_aton(argv[3], &ccm)) {
		fprintf(stderr, "usage: ccmset NAME ADDR CCM\n");
		return 2;
	}
	if (pp_nl_open(&nl, err, sizeof(err)) < 0) {
		fprintf(stderr, "ccmset: %s\n", err);
		return 2;
	}
	rc = pp_user_ccm_set(nl, argv[1], addr.s_addr, ccm.s_addr);
	if (rc)
		printf("errno=%d msg=\"%s\"\n", -rc, pp_nl_error(nl));
	else
		printf("ok\n");
	pp_nl_close(nl);
	return rc ? 1 : 0;
}
