// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The control socket of pp-tftpd (ctl.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "ctlsock.h"
#include "log.h"
#include "tftpd.h"

int tftpd_reload(struct tftpd *d, char *err, size_t errlen)
{
	struct tftpd_conf c;
	char *text = NULL, *p;
	size_t len = 0;
	FILE *f;

	secure_reload(&d->secure);
	tftpd_conf_defaults(&c);
	if (tftpd_conf_load(&c, d->conf_path, d->conf_optional, err, errlen)) {
		pp_warn("Tftp: %s; keeping the settings read before", err);
		return -1;
	}
	if (!memcmp(&c, &d->conf, sizeof(c)))
		return 0;
	if (c.loglevel != d->conf.loglevel) {
		/* Notices show at every level, "min" included. */
		pp_log_set_level(c.loglevel);
		pp_notice("Tftp: loglevel %s", tftpd_loglevel_name(c.loglevel));
	}
	if (c.reply_port != d->conf.reply_port) {
		/* A new replyport starts afresh: no address on port 69. */
		replyport_fini(&d->replyport);
	}
	d->conf = c;
	d->rl.rate = c.rate;
	d->rl.burst = c.burst;
	d->slots.per_addr = c.max_transfers_per_address;
	f = open_memstream(&text, &len);
	if (f) {
		pp_settings_print(f, PP_HOLD_TFTPD, &c);
		if (fclose(f) == 0) {
			for (p = text; (p = strchr(p, '\n'));)
				*p = p[1] ? ';' : '\0';
			pp_notice("Tftp: settings of %s taken: %s", d->conf_path,
				  len ? text : "the defaults");
		}
	}
	free(text);
	return 0;
}

static void reply(void *arg, const char *req, FILE *f)
{
	struct tftpd *d = arg;

	if (!strcmp(req, "stats")) {
		struct tftpd_gauges g = {
			.transfers_active = d->njobs,
			.cache_entries = d->cache_entries,
			.cache_bytes = d->cache_bytes,
			.loglevel = tftpd_loglevel_name(pp_log_get_level()),
		};

		tftpd_stats_write(f, &d->stats, &g);
	} else if (!strcmp(req, "reload")) {
		char err[1024];

		if (tftpd_reload(d, err, sizeof(err)))
			fprintf(f, "error %s\n", err);
		else
			fputs("ok\n", f);
	} else {
		fprintf(f, "error unknown request\n");
	}
}

int ctl_init(struct tftpd *d)
{
	return pp_daemon_ctl(d->base, TFTPD_CTL_NAME, "Tftp", "pp-tftpd", reply, d, &d->ctl);
}

void ctl_fini(struct tftpd *d)
{
	pp_ctl_close(d->ctl);
	d->ctl = NULL;
}
