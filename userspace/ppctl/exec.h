/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl's execution side: the command handlers (netlink, files) and the
 * command table that binds them to the grammar.
 */
#ifndef PPCTL_EXEC_H
#define PPCTL_EXEC_H

#include <stdbool.h>
#include <stdio.h>

#include "grammar.h"

struct pp_nl;
struct pp_config;

struct ppctl_ctx {
	bool json;			/* -j, -o json */
	bool prom;			/* -o prometheus: show stats only */
	FILE *out;
	const struct ppctl_cmd_def *table;
	struct pp_nl *nl;		/* opened on first use */
	struct ppctl_error err;		/* why the last command failed */
};

/* The commands, terminated by an entry with words NULL. */
extern const struct ppctl_cmd_def ppctl_commands[];

/* Set ctx->err; returns code. */
#define ppctl_fail(ctx, code, ...) ppctl_error_set(&(ctx)->err, (code), __VA_ARGS__)

void ppctl_ctx_init(struct ppctl_ctx *ctx, FILE *out, bool json);
void ppctl_ctx_fini(struct ppctl_ctx *ctx);

/* Parse and execute one command line; returns an exit status (0 ok),
 * ctx->err says why otherwise. */
int ppctl_run(struct ppctl_ctx *ctx, int argc, char **argv);
/* The output format fits the parsed command (-o prometheus: show stats
 * only): PPCTL_EXIT_OK, or PPCTL_EXIT_USAGE with ctx->err set. */
int ppctl_check_output(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);

/* The handlers. */
int ppctl_do_help(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_user_active(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_user_inactive(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_user(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_publish(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_publish_buffer(struct ppctl_ctx *ctx, const char *buf, size_t len,
			 const char *label);
struct pp_users;
int ppctl_publish_parsed(struct ppctl_ctx *ctx, struct pp_users *users,
			 const char *buf, size_t len, const char *label);
/* The netlink connection, opened on first use (NULL: ctx->err says why). */
struct pp_nl *ctx_nl_get(struct ppctl_ctx *ctx);
struct pp_ccm_state;
void ppctl_show_ccms(struct ppctl_ctx *ctx, const struct pp_ccm_state *ccms, size_t n);
int ppctl_do_refresh_ccm(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_import_users(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_export_users(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
/* A declared setting (cmd->def->setting). */
int ppctl_do_set(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_phoneproxy(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_callmanager(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_counters(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_calls(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_running(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_startup(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_save_config(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_version(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_monitor(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
/* daemons.c: the userspace daemons (pp-tftpd). */
int ppctl_do_show_stats(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_status(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
/* net.ipv4.ip_forward of this network namespace: 1 on, 0 off, or -errno. */
int ppctl_ip_forward(void);
int ppctl_do_show_cluster(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
/* For "show user": the nodes each user's phone is registered through, as
 * pp-clusterd knows them (docs/cluster.md "Registrations"; this node's from
 * the module), nodes[i] for users[i], and names: this node's id and the
 * nodes' names. -1 when pp-clusterd does not run here or gave a bad reply:
 * say nothing of nodes. */
struct ppctl_user_nodes;
struct ppctl_node_names;
struct pp_user_state;
int ppctl_cluster_user_nodes(const struct pp_user_state *users, size_t n,
			     struct ppctl_user_nodes *nodes, struct ppctl_node_names *names);
/* Tell a daemon of this network namespace (its control socket's name,
 * lib/ctlsock.h) to re-read the files ppctl changed; what names the
 * change in the error. */
int ppctl_tell(struct ppctl_ctx *ctx, const char *daemon, const char *what);

/* httpcmds.c: pp-httpd's settings, certificates, the admin password. */
/* A set or unset of a daemon's setting: edits httpd.conf, tftpd.conf or tlsd.conf. */
int ppctl_http_edit(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_httpproxy(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_cert_selfsigned(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_cert_install(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
/* Read file (a plain name) of the incoming directory; path gets its path.
 * word names the command's value in the error. Returns 0 or the exit code. */
int ppctl_read_incoming(struct ppctl_ctx *ctx, const char *word, const char *file,
			char **pem, size_t *len, char *path, size_t pathlen);
int ppctl_do_show_cert(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_cert_status(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_cert_file(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_delete_cert(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_set_password(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_unset_password(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
/* ctlcmds.c: secure SCCP's certificates, SAST keys and CTL (docs/ctl.md). */
/* "set phoneproxy sccp security on": the tftp and capf certificates exist. */
int ppctl_sccp_security_certs(struct ppctl_ctx *ctx);
void ppctl_show_sccp_certs(struct ppctl_ctx *ctx);
int ppctl_do_cert_regenerate(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_ctl_sast_generate(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_ctl_sast_import(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_ctl_sast_delete(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_ctl_build(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_show_ctl(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
/* logcmds.c: the guide's "System Logs" (docs/logs.md). */
int ppctl_do_show_log(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_list_log(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
int ppctl_do_delete_log(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
/* After a command: a configuration change (set, unset, publish, save,
 * delete) goes to shell.log with the user and its result (rc). */
void ppctl_shell_log(struct ppctl_ctx *ctx, int argc, char **argv, int rc);

/* heartbeat.c: the heartbeat pair (docs/heartbeat.md). */
/* A set or unset of a heartbeat.conf setting; enabled, keepalived follows. */
int ppctl_heartbeat_edit(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
/* The module's virtual addresses change (change: the attributes sent):
 * when the heartbeat is enabled, keepalived follows; dry: only check that
 * the pair stays whole and keepalived accepts it (before the module is
 * told). 0, or the exit code with ctx->err. */
int ppctl_heartbeat_check_virt(struct ppctl_ctx *ctx, const struct pp_config *change, bool dry);
int ppctl_heartbeat_print_running(struct ppctl_ctx *ctx, FILE *f);
int ppctl_do_show_interface(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd);
/* The httpd.conf settings as commands, for "show config running". */
int ppctl_http_print_running(struct ppctl_ctx *ctx, FILE *f);

#endif /* PPCTL_EXEC_H */
