// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl's commands on the published users file: provisioning without
 * the Management Console (the guide's "Import/Export": users imported
 * from a CSV and published, the published users exported as CSV or
 * users.xml, the CSV template; docs/users-csv.md), and CallManagers given
 * by host name (show callmanager, refresh callmanager; docs/ppctl.md).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "exec.h"
#include "file.h"
#include "nl.h"
#include "ops.h"
#include "output.h"
#include "parse.h"
#include "password.h"
#include "users_csv.h"

/* The published users (pp_conf_users_path()); NULL after a failure. */
static struct pp_users *published(struct ppctl_ctx *ctx, const char *what)
{
	struct pp_users *u = NULL;
	char path[4096], err[1024];

	if (pp_conf_users_path(path, sizeof(path))) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: the state directory's path is too long", what);
		return NULL;
	}
	if (pp_users_parse_file(path, &u, err, sizeof(err))) {
		if (access(path, F_OK))
			ppctl_fail(ctx, PPCTL_EXIT_FAIL,
				   "%s: nothing published yet (%s): publish a users.xml with the CallManagers first",
				   what, path);
		else
			ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", what, err);
		return NULL;
	}
	return u;
}

int ppctl_do_import_users(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	struct pp_csv_import st;
	struct pp_users *base, *users = NULL;
	char err[1024], *buf, *xml = NULL;
	size_t len, xmllen;
	struct timespec t0, t1;
	int rc;

	rc = pp_file_read(cmd->file, PP_USERS_CSV_MAX, &buf, &len);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", cmd->file,
				  pp_file_strerror(rc));
	base = published(ctx, "import users");
	if (!base) {
		free(buf);
		return ctx->err.code;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = pp_users_csv_import(buf, len, cmd->file, base, 0, &xml, &xmllen, &users,
				 &st, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(buf);
	pp_users_free(base);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err);
	if (st.hashed)
		fprintf(ctx->out, "hashed %zu password%s (pbkdf2-sha256, %u iterations) in %.1f s\n",
			st.hashed, st.hashed == 1 ? "" : "s", pp_pw_default_iterations(),
			(double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = ppctl_publish_parsed(ctx, users, xml, xmllen, cmd->file);
	free(xml);
	return rc;
}

int ppctl_do_export_users(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	static const char *const kinds[] = { "csv", "xml", "template" };
	bool to_stdout = !strcmp(cmd->file, "-");
	struct pp_users *u = NULL;
	size_t nopw = 0, n = 0;
	char tmp[4200];
	FILE *f;
	int rc = 0, fd = -1;

	if (cmd->choice != 2) {
		u = published(ctx, "export users");
		if (!u)
			return ctx->err.code;
		n = u->nusers;
	}
	if (to_stdout) {
		f = ctx->out;
	} else {
		/* Written whole or not at all: a temporary file renamed. */
		if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", cmd->file) >= (int)sizeof(tmp)) {
			pp_users_free(u);
			return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: name too long", cmd->file);
		}
		fd = mkstemp(tmp);
		f = fd < 0 ? NULL : fdopen(fd, "w");
		if (!f) {
			rc = errno;
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			pp_users_free(u);
			return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", cmd->file, strerror(rc));
		}
	}
	if (cmd->choice == 0) {
		rc = pp_users_csv_export(f, u, &nopw);
	} else if (cmd->choice == 1) {
		char *xml;
		size_t len;

		rc = pp_users_write_xml(u, &xml, &len);
		if (!rc) {
			rc = fwrite(xml, 1, len, f) == len ? 0 : -1;
			free(xml);
		}
	} else {
		rc = pp_users_csv_template(f);
	}
	pp_users_free(u);
	if (to_stdout) {
		if (rc || fflush(f))
			return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "export users: %s", strerror(errno));
		return PPCTL_EXIT_OK;
	}
	if (rc || fflush(f) || fsync(fileno(f))) {
		rc = errno;
		fclose(f);
		unlink(tmp);
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", cmd->file, strerror(rc));
	}
	if (fclose(f) || rename(tmp, cmd->file)) {
		rc = errno;
		unlink(tmp);
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", cmd->file, strerror(rc));
	}
	if (cmd->choice == 2)
		fprintf(ctx->out, "wrote the CSV template to %s\n", cmd->file);
	else
		fprintf(ctx->out, "exported %zu user%s (%s) to %s\n", n, n == 1 ? "" : "s",
			kinds[cmd->choice], cmd->file);
	if (nopw)
		fprintf(stderr,
			"ppctl: warning: %zu user%s no password hash: give %s a Password before importing this file\n",
			nopw, nopw == 1 ? " has" : "s have", nopw == 1 ? "it" : "them");
	return PPCTL_EXIT_OK;
}

/* show callmanager: the module's table, with the host names of the kept
 * users file (the module knows addresses only). */
void ppctl_show_ccms(struct ppctl_ctx *ctx, const struct pp_ccm_state *ccms, size_t n)
{
	const char **hosts = calloc(n ? n : 1, sizeof(*hosts));
	struct pp_users *u = NULL;
	char path[4096], err[1024];
	size_t i, k;

	if (hosts && !pp_conf_users_path(path, sizeof(path)) &&
	    !pp_users_parse_file(path, &u, err, sizeof(err)))
		for (i = 0; i < n; i++)
			for (k = 0; k < u->nccms; k++)
				if (!strcmp(u->ccms[k].name, ccms[i].name))
					hosts[i] = u->ccms[k].host;
	ppctl_print_ccms(ctx->out, ctx->json, ccms, n, hosts);
	free(hosts);
	pp_users_free(u);
}

/*
 * refresh callmanager: resolve the names again (phoneproxy-resolve.timer
 * runs it every 5 minutes). An address that changed is published with
 * the same users (one transaction; activations kept); a name that does
 * not resolve keeps the address the module has, said on stderr (the
 * journal, under the timer), exit 1.
 */
int ppctl_do_refresh_ccm(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	size_t i, k, n = 0, named = 0, changed = 0, failed = 0;
	struct pp_ccm_state *ccms = NULL;
	struct pp_users *u;
	struct pp_nl *nl;
	char why[256], a[PP_IPV4_STRLEN], b[PP_IPV4_STRLEN];

	(void)cmd;
	u = published(ctx, "refresh callmanager");
	if (!u)
		return ctx->err.code;
	nl = ctx_nl_get(ctx);
	if (!nl)
		goto out;
	if (pp_ccm_list(nl, &ccms, &n)) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "refresh callmanager: %s", pp_nl_error(nl));
		goto out;
	}
	for (i = 0; i < u->nccms; i++) {
		struct pp_callmanager *c = &u->ccms[i];
		uint32_t now = 0, addr;

		for (k = 0; k < n; k++)
			if (!strcmp(ccms[k].name, c->name))
				now = ccms[k].addr;
		if (!c->host[0])
			continue;
		named++;
		if (pp_ccm_resolve(c, &addr, why, sizeof(why))) {
			failed++;
			c->addr = now;
			fprintf(stderr, "ppctl: ccm \"%s\": host \"%s\" does not resolve (%s): %s\n",
				c->name, c->host, why,
				now ? "keeping its last address" : "it has no address yet");
			if (now)
				fprintf(stderr, "ppctl: ccm \"%s\": keeping %s\n", c->name,
					pp_ipv4_str(now, a));
			continue;
		}
		c->addr = addr;
		if (addr != now) {
			changed++;
			fprintf(ctx->out, "ccm \"%s\": host \"%s\": %s -> %s\n", c->name, c->host,
				now ? pp_ipv4_str(now, a) : "none", pp_ipv4_str(addr, b));
		}
	}
	for (i = 0; changed && i < u->nccms; i++)
		if (!u->ccms[i].addr) {
			ppctl_fail(ctx, PPCTL_EXIT_FAIL,
				   "refresh callmanager: ccm \"%s\" has no address: nothing changed",
				   u->ccms[i].name);
			goto out;
		}
	if (changed && pp_users_replace(nl, u)) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "refresh callmanager: %s", pp_nl_error(nl));
		goto out;
	}
	fprintf(ctx->out, "%zu CallManager%s by name: %zu changed, %zu unresolved\n", named,
		named == 1 ? "" : "s", changed, failed);
	if (failed)
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "refresh callmanager: %zu name%s did not resolve",
			   failed, failed == 1 ? "" : "s");
out:
	free(ccms);
	pp_users_free(u);
	return ctx->err.code;
}
