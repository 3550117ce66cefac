// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl command handlers: netlink requests, the startup configuration
 * and the published users file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conf.h"
#include "ctlsock.h"
#include "exec.h"
#include "file.h"
#include "log.h"
#include "nl.h"
#include "ops.h"
#include "output.h"
#include "users_xml.h"

/* Largest startup configuration shown or written. */
#define STARTUP_MAX (1u << 20)

void ppctl_ctx_init(struct ppctl_ctx *ctx, FILE *out, bool json)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->out = out;
	ctx->json = json;
	ctx->table = ppctl_commands;
}

void ppctl_ctx_fini(struct ppctl_ctx *ctx)
{
	pp_nl_close(ctx->nl);
	ctx->nl = NULL;
}

/* The netlink connection, opened on first use. */
static struct pp_nl *ctx_nl(struct ppctl_ctx *ctx, const char *tag)
{
	char err[256];

	if (ctx->nl)
		return ctx->nl;
	if (pp_nl_open(&ctx->nl, err, sizeof(err)) == 0)
		return ctx->nl;
	if (tag) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", tag, err);
		ctx->err.tagged = true;
	} else {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err);
	}
	return NULL;
}

struct pp_nl *ctx_nl_get(struct ppctl_ctx *ctx)
{
	return ctx_nl(ctx, NULL);
}

int ppctl_check_output(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	if (ctx->prom && cmd->def->handler != ppctl_do_show_stats)
		return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
				  "-o prometheus: only \"show stats\" has it, not \"%s\"",
				  cmd->def->words);
	return PPCTL_EXIT_OK;
}

int ppctl_run(struct ppctl_ctx *ctx, int argc, char **argv)
{
	struct ppctl_cmd cmd;

	ctx->err.msg[0] = '\0';
	ctx->err.code = PPCTL_EXIT_OK;
	ctx->err.tagged = false;
	switch (ppctl_parse(ctx->table, argc, argv, &cmd, &ctx->err)) {
	case PPCTL_PARSE_HELP:
		ppctl_print_help(ctx->out, ctx->table, cmd.help_argc, cmd.help_argv);
		return PPCTL_EXIT_OK;
	case PPCTL_PARSE_OK: {
		int rc;

		if (ppctl_check_output(ctx, &cmd))
			return ctx->err.code;
		rc = cmd.def->handler(ctx, &cmd);
		ppctl_shell_log(ctx, argc, argv, rc);	/* a change: shell.log */
		return rc;
	}
	case PPCTL_PARSE_ERROR:
	default:
		return ctx->err.code ? ctx->err.code : PPCTL_EXIT_USAGE;
	}
}

int ppctl_do_help(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	(void)cmd;
	fprintf(ctx->out, "usage: ppctl [-j | -o FORMAT] [-f FILE | COMMAND]  (no command: a shell)\n\n");
	ppctl_print_help(ctx->out, ctx->table, 0, NULL);
	fprintf(ctx->out, "\n\"help WORDS\", \"? WORDS\", \"WORDS ?\" or \"WORDS help\" lists the commands "
		"starting with the words.\n");
	return PPCTL_EXIT_OK;
}

/* ---- users ---- */

int ppctl_do_user_active(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	static const char tag[] = "UserAuthFailure";
	struct pp_nl *nl = ctx_nl(ctx, tag);
	int rc;

	if (!nl)
		return PPCTL_EXIT_FAIL;
	rc = pp_user_activate(nl, cmd->user, cmd->addr, PP_REASON_CLI);
	if (!rc)
		return PPCTL_EXIT_OK;	/* the guide: no message on success */
	if (pp_nl_extack(nl) || rc != -ENOENT)
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", tag, pp_nl_error(nl));
	else
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: no user \"%s\"", tag, cmd->user);
	ctx->err.tagged = true;
	return PPCTL_EXIT_FAIL;
}

int ppctl_do_user_inactive(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	struct pp_nl *nl = ctx_nl(ctx, NULL);
	int rc;

	if (!nl)
		return PPCTL_EXIT_FAIL;
	rc = pp_user_inactivate(nl, cmd->user, PP_REASON_CLI);
	if (!rc)
		return PPCTL_EXIT_OK;
	if (!pp_nl_extack(nl) && rc == -ENOENT)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "no user \"%s\"", cmd->user);
	if (!pp_nl_extack(nl) && rc == -EALREADY)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "user \"%s\" is not active",
			    cmd->user);
	return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "set user inactive: %s",
		    pp_nl_error(nl));
}

int ppctl_do_show_user(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	struct pp_nl *nl = ctx_nl(ctx, NULL);
	struct ppctl_user_nodes *nodes;
	struct ppctl_node_names *names;
	struct pp_user_state *users;
	size_t n, i;

	if (!nl)
		return PPCTL_EXIT_FAIL;
	if (pp_user_list(nl, &users, &n))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show user: %s", pp_nl_error(nl));
	/* "show user name <user>": that one only. */
	if (cmd->user[0]) {
		for (i = 0; i < n && strcmp(users[i].name, cmd->user); i++)
			;
		if (i == n) {
			free(users);
			return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "no user \"%s\"", cmd->user);
		}
		users[0] = users[i];
		n = 1;
	}
	/* Where pp-clusterd runs: the node each phone is registered through. */
	nodes = malloc((n ? n : 1) * sizeof(*nodes));
	names = malloc(sizeof(*names));
	if (!names || (nodes && ppctl_cluster_user_nodes(users, n, nodes, names))) {
		free(nodes);
		nodes = NULL;
	}
	ppctl_print_users_nodes(ctx->out, ctx->json, users, n, nodes, names);
	free(names);
	free(nodes);
	free(users);
	return PPCTL_EXIT_OK;
}

/*
 * Publish a users.xml held in memory (label names it in messages): the
 * same path for a file (publish) and for what the CSV import made.
 */
int ppctl_publish_buffer(struct ppctl_ctx *ctx, const char *buf, size_t len,
			 const char *label)
{
	struct pp_users *users;
	char err[1024];

	/* Validate everything before anything is sent. */
	if (pp_users_parse_memory(buf, len, label, &users, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err);
	return ppctl_publish_parsed(ctx, users, buf, len, label);
}

/* The same, for a buffer already read by pp_users_parse_memory() into
 * users (which this frees). */
int ppctl_publish_parsed(struct ppctl_ctx *ctx, struct pp_users *users,
			 const char *buf, size_t len, const char *label)
{
	char state[4096], err[1024];
	struct pp_nl *nl;
	int rc = 0;

	/* CallManagers given by name: their addresses now (nothing sent if
	 * one does not resolve). */
	if (pp_users_resolve(users, label, err, sizeof(err))) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err);
		goto out;
	}
	nl = ctx_nl(ctx, NULL);
	if (!nl)
		goto out;
	if (pp_users_replace(nl, users)) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", label, pp_nl_error(nl));
		goto out;
	}
	/* Kept for the next boot (and the daemons): the bytes validated. */
	if (pp_conf_users_path(state, sizeof(state)) ||
	    (rc = pp_file_write_atomic(state, buf, len, 0600))) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL,
		     "published %zu users, %zu CallManagers, but cannot keep a copy in %s: %s",
		     users->nusers, users->nccms, state,
		     strerror(rc ? -rc : ENAMETOOLONG));
		goto out;
	}
	fprintf(ctx->out, "published %zu user%s, %zu CallManager%s\n",
		users->nusers, users->nusers == 1 ? "" : "s",
		users->nccms, users->nccms == 1 ? "" : "s");
	ctx->err.code = ppctl_tell(ctx, PP_CTL_HTTPD, state);
	/* And the cluster's member here replicates it (docs/cluster.md). */
	if (ppctl_tell(ctx, PP_CTL_CLUSTERD, state))
		ctx->err.code = PPCTL_EXIT_FAIL;
out:
	pp_users_free(users);
	return ctx->err.code;
}

int ppctl_do_publish(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	size_t len;
	char *buf;
	int rc;

	rc = pp_file_read(cmd->file, PP_USERS_FILE_MAX, &buf, &len);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", cmd->file,
			    pp_file_strerror(rc));
	rc = ppctl_publish_buffer(ctx, buf, len, cmd->file);
	free(buf);
	return rc;
}

/* ---- settings ---- */

/* A declared setting (settings.h), set or unset: the module's by netlink,
 * the daemons' in their files. */
int ppctl_do_set(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	const struct pp_setting *s = cmd->def->setting;
	bool virt = s == &pp_settings[PP_S_VIRT_ADDR];
	struct pp_config cfg = { 0 }, old = { 0 };
	char role[16] = "";
	struct pp_nl *nl;
	int rc;

	if (s->holder == PP_HOLD_HEARTBEAT)
		return ppctl_heartbeat_edit(ctx, cmd);
	if (s->holder != PP_HOLD_MODULE)
		return ppctl_http_edit(ctx, cmd);
	/* Secure SCCP needs the proxy's certificates first (docs/ctl.md). */
	if (s == &pp_settings[PP_S_SCCP_SECURITY] && !cmd->def->unset && cmd->choice == 0 &&
	    ppctl_sccp_security_certs(ctx))
		return ctx->err.code;
	nl = ctx_nl(ctx, NULL);
	if (!nl)
		return PPCTL_EXIT_FAIL;
	if (virt && pp_config_get(nl, &old))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "cannot read the configuration: %s",
				  pp_nl_error(nl));
	/* An address names its role: the chosen word of {north|south}... */
	if (s->kind == PP_SK_ADDR) {
		const char *alt = strchr(s->words, '{') + 1;
		int k;

		for (k = 0; k < cmd->choice; k++)
			alt = strchr(alt, '|') + 1;
		snprintf(role, sizeof(role), "%.*s ", (int)strcspn(alt, "|}"), alt);
	}
	pp_setting_apply(cmd, &cfg, NULL, NULL, 0);
	/* A virtual address must keep an enabled heartbeat pair whole. */
	if (virt && (rc = ppctl_heartbeat_check_virt(ctx, &cfg, true)))
		return rc;
	if (pp_config_set(nl, &cfg))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s%s: %s", role, s->what, pp_nl_error(nl));
	/* The heartbeat's keepalived follows it (or the address goes back). */
	if (virt && (rc = ppctl_heartbeat_check_virt(ctx, &cfg, false))) {
		cfg.virt_north_addr = old.virt_north_addr;
		cfg.virt_south_addr = old.virt_south_addr;
		pp_config_set(nl, &cfg);
		return rc;
	}
	/* Applied; but without forwarding the proxy drops every SCCP connection. */
	if (s == &pp_settings[PP_S_INTERFACE] && !cmd->def->unset && ppctl_ip_forward() == 0)
		fprintf(stderr, "ppctl: warning: net.ipv4.ip_forward is 0 in this network "
			"namespace: the proxy drops every SCCP connection until "
			"\"sysctl -w net.ipv4.ip_forward=1\"\n");
	return PPCTL_EXIT_OK;
}

/* ---- looking ---- */

static int get_config(struct ppctl_ctx *ctx, struct pp_config *cfg)
{
	struct pp_nl *nl = ctx_nl(ctx, NULL);

	if (!nl)
		return PPCTL_EXIT_FAIL;
	if (pp_config_get(nl, cfg))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "cannot read the configuration: %s",
			    pp_nl_error(nl));
	return PPCTL_EXIT_OK;
}

int ppctl_do_show_phoneproxy(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	struct pp_config cfg;
	int rc;

	(void)cmd;
	rc = get_config(ctx, &cfg);
	if (!rc)
		ppctl_print_config(ctx->out, ctx->json, &cfg);
	return rc;
}

int ppctl_do_show_callmanager(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	struct pp_nl *nl = ctx_nl(ctx, NULL);
	struct pp_ccm_state *ccms;
	size_t n;

	(void)cmd;
	if (!nl)
		return PPCTL_EXIT_FAIL;
	if (pp_ccm_list(nl, &ccms, &n))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show callmanager: %s",
			    pp_nl_error(nl));
	ppctl_show_ccms(ctx, ccms, n);
	free(ccms);
	return PPCTL_EXIT_OK;
}

int ppctl_do_show_counters(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	struct pp_nl *nl = ctx_nl(ctx, NULL);
	struct pp_stats st;

	(void)cmd;
	if (!nl)
		return PPCTL_EXIT_FAIL;
	if (pp_stats_get(nl, &st))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show counters: %s", pp_nl_error(nl));
	ppctl_print_stats(ctx->out, ctx->json, &st);
	return PPCTL_EXIT_OK;
}

int ppctl_do_show_calls(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	struct pp_nl *nl = ctx_nl(ctx, NULL);
	struct pp_call_state *calls;
	size_t n;

	(void)cmd;
	if (!nl)
		return PPCTL_EXIT_FAIL;
	if (pp_call_list(nl, &calls, &n))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show calls: %s", pp_nl_error(nl));
	ppctl_print_calls(ctx->out, ctx->json, calls, n);
	free(calls);
	return PPCTL_EXIT_OK;
}

/* The running configuration as text (malloc()ed). */
static int running_text(struct ppctl_ctx *ctx, char **text, size_t *len)
{
	struct pp_config cfg;
	char users[4096];
	bool have_users;
	struct stat st;
	FILE *mem;
	int rc;

	rc = get_config(ctx, &cfg);
	if (rc)
		return rc;
	if (pp_conf_users_path(users, sizeof(users)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "state directory path too long");
	have_users = stat(users, &st) == 0 && S_ISREG(st.st_mode);
	mem = open_memstream(text, len);
	if (!mem)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
	ppctl_print_running(mem, &cfg, have_users ? users : NULL);
	rc = ppctl_http_print_running(ctx, mem);	/* pp-httpd's and pp-tftpd's settings */
	if (!rc)	/* the heartbeat pair's, "set heartbeat enable" last */
		rc = ppctl_heartbeat_print_running(ctx, mem);
	if (fclose(mem))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
	if (rc) {
		free(*text);
		*text = NULL;
		return rc;
	}
	return PPCTL_EXIT_OK;
}

int ppctl_do_show_running(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char *text;
	size_t len;
	int rc;

	(void)cmd;
	rc = running_text(ctx, &text, &len);
	if (rc)
		return rc;
	if (ctx->json)
		ppctl_print_config_json(ctx->out, NULL, true, text);
	else
		fwrite(text, 1, len, ctx->out);
	free(text);
	return PPCTL_EXIT_OK;
}

int ppctl_do_save_config(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char path[4096];
	char *text;
	size_t len;
	int rc;

	(void)cmd;
	if (pp_conf_startup_path(path, sizeof(path)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "configuration directory path too long");
	rc = running_text(ctx, &text, &len);
	if (rc)
		return rc;
	rc = pp_file_write_atomic(path, text, len, 0644);
	free(text);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "save config: %s: %s", path,
			    strerror(-rc));
	return PPCTL_EXIT_OK;
}

int ppctl_do_show_startup(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char path[4096];
	char *text;
	size_t len;
	int rc;

	(void)cmd;
	if (pp_conf_startup_path(path, sizeof(path)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "configuration directory path too long");
	rc = pp_file_read(path, STARTUP_MAX, &text, &len);
	if (rc == -ENOENT) {
		if (ctx->json)
			ppctl_print_config_json(ctx->out, path, false, NULL);
		else
			fprintf(ctx->out, "no startup configuration (%s); \"save config\" writes one\n",
				path);
		return PPCTL_EXIT_OK;
	}
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", path,
			    pp_file_strerror(rc));
	if (ctx->json)
		ppctl_print_config_json(ctx->out, path, true, text);
	else
		fwrite(text, 1, len, ctx->out);
	free(text);
	return PPCTL_EXIT_OK;
}

/* ---- version ---- */

/* /sys/module/phoneproxy/version (MODULE_VERSION) into buf; "" if none. */
static void module_version(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/" PHONEPROXY_GENL_NAME "/version", "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

int ppctl_do_show_version(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	struct ppctl_version v = { .ppctl = PHONEPROXY_VERSION, .uapi = PHONEPROXY_GENL_VERSION,
				   .module_uapi = -1 };
	struct utsname u;
	char err[256];

	(void)cmd;
	if (!uname(&u)) {
		snprintf(v.sysname, sizeof(v.sysname), "%s", u.sysname);
		snprintf(v.release, sizeof(v.release), "%s", u.release);
		snprintf(v.machine, sizeof(v.machine), "%s", u.machine);
	}
	err[0] = '\0';
	if (ctx->nl || !pp_nl_open(&ctx->nl, err, sizeof(err))) {
		v.module = true;
		module_version(v.module_version, sizeof(v.module_version));
		v.module_uapi = pp_nl_family_version(ctx->nl);
		if (v.module_uapi == -ENOENT)
			v.module = false;	/* unloaded meanwhile */
	}
	ppctl_print_version(ctx->out, ctx->json, &v);
	if (!v.module)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err[0] ? err :
				  PHONEPROXY_GENL_NAME " module not loaded");
	return PPCTL_EXIT_OK;
}

/* ---- monitor ---- */

static int on_event(struct nl_msg *msg, void *arg)
{
	struct ppctl_ctx *ctx = arg;
	struct pp_event_info ev;

	if (pp_event_parse(msg, &ev))
		return 0;	/* not an event of ours: ignore */
	ppctl_print_event(ctx->out, ctx->json, &ev);
	if (fflush(ctx->out))
		return -errno;
	return 0;
}

int ppctl_do_monitor(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	struct pp_nl *nl = ctx_nl(ctx, NULL);
	int rc;

	(void)cmd;
	if (!nl)
		return PPCTL_EXIT_FAIL;
	if (pp_nl_subscribe(nl, nl, PHONEPROXY_MCGRP_EVENTS))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "monitor: %s", pp_nl_error(nl));
	for (;;) {
		rc = pp_nl_recv_events(nl, on_event, ctx);
		if (rc == -ENOBUFS) {
			pp_warn("monitor: %s", pp_nl_error(nl));
			continue;
		}
		if (rc && ferror(ctx->out))
			return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "monitor: cannot write the events");
		if (rc)
			return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "monitor: %s", pp_nl_error(nl));
	}
}
