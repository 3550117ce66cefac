// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-rewritebench: how many configuration files pp-tftpd's rewriter
 * (parse, splice, parse again to check) handles per second on one core,
 * without any network. bench/tftp/run-host.sh runs it.
 *
 *	pp-rewritebench FILE [SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <libxml/parser.h>

#include "file.h"
#include "rewrite.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *allow[] = { "http://10.102.172.11:8088/CCMCIP/xmldirectory.asp" };
	struct cnf_params plain = { .nodes = { "192.0.2.1" }, .nnodes = 1, .sccp_port = 2000 };
	struct cnf_params proxy = { .nodes = { "192.0.2.1" }, .nnodes = 1, .sccp_port = 2443,
				    .proxy_url = "http://192.0.2.1:8088", .allow = allow,
				    .nallow = 1 };
	const struct cnf_params *ps[] = { &plain, &proxy };
	const char *names[] = { "HTTP proxy off", "HTTP proxy on, allow list" };
	double secs = argc > 2 ? atof(argv[2]) : 3;
	struct cnf_result r;
	char *in, err[512];
	size_t len;
	int k;

	if (argc < 2 || pp_file_read(argv[1], 64u << 20, &in, &len)) {
		fprintf(stderr, "usage: pp-rewritebench FILE [SECONDS]\n");
		return 2;
	}
	xmlInitParser();
	for (k = 0; k < 2; k++) {
		double t0 = now(), t;
		unsigned long n = 0;

		do {
			if (cnf_rewrite(in, len, ps[k], &r, err, sizeof(err))) {
				fprintf(stderr, "pp-rewritebench: %s: %s\n", argv[1], err);
				return 1;
			}
			free(r.data);
			n++;
			t = now() - t0;
		} while (t < secs);
		printf("rewrite %zu-byte file, %s: %.0f files/s (%.1f us each)\n",
		       len, names[k], n / t, t / n * 1e6);
	}
	free(in);
	xmlCleanupParser();
	return 0;
}
