// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl's commands for the userspace daemons of the proxy: "show stats"
 * (their counters, read from their control sockets), and telling them
 * their settings changed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tftpd/ctl.h"
#include "conf.h"
#include "ctlsock.h"
#include "exec.h"
#include "file.h"
#include "json.h"
#include "logfile.h"
#include "nl.h"
#include "ops.h"
#include "output.h"
#include "parse.h"

/* The daemons with counters, in the order "show stats" shows them. */
static const struct {
	const char *section, *daemon, *ctl;
} daemons[] = {
	{ "tftp", "pp-tftpd", TFTPD_CTL_NAME },
	{ "tls", "pp-tlsd", PP_CTL_TLSD },
};

/*
 * show stats -o prometheus: the same sections (pp-clusterd's too when it
 * runs here), a section that cannot be read is phoneproxy_up{...} 0 and the
 * others are shown; the exit status as show stats'.
 */
static int show_stats_prom(struct ppctl_ctx *ctx, char *buf)
{
	struct ppctl_prom p;
	char err[256];
	struct pp_stats st;
	bool module;
	int rc = PPCTL_EXIT_OK, n;
	size_t i;

	ppctl_prom_init(&p);
	module = (ctx->nl || !pp_nl_open(&ctx->nl, err, sizeof(err))) &&
		 !pp_stats_get(ctx->nl, &st);
	if (!module)
		rc = ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show stats: %s",
				ctx->nl ? pp_nl_error(ctx->nl) : err);
	ppctl_prom_call_stats(&p, module ? &st : NULL);
	for (i = 0; i < sizeof(daemons) / sizeof(daemons[0]); i++) {
		n = pp_ctl_ask(daemons[i].ctl, "stats", buf, PP_CTL_MAX + 1);
		ppctl_prom_daemon_stats(&p, daemons[i].section, daemons[i].daemon, n, buf);
		if (n < 0 && n != -ENOENT && rc == PPCTL_EXIT_OK)
			rc = ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show stats: %s: %s",
					daemons[i].daemon, strerror(-n));
	}
	/* A cluster node's: only where pp-clusterd runs. */
	n = pp_ctl_ask(PP_CTL_CLUSTERD, "stats", buf, PP_CTL_MAX + 1);
	if (n != -ENOENT)
		ppctl_prom_daemon_stats(&p, "cluster", "pp-clusterd", n, buf);
	if (ppctl_prom_print(ctx->out, &p))
		rc = ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
	ppctl_prom_free(&p);
	return rc;
}

/* The module's sections, then each daemon's; a daemon not running (or
 * not answering) is said in its section and the others are shown. */
int ppctl_do_show_stats(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char *buf, err[256];
	struct pp_stats st;
	struct pp_json j;
	int rc = PPCTL_EXIT_OK;
	size_t i;

	(void)cmd;
	if (ctx->prom) {
		buf = malloc(PP_CTL_MAX + 1);
		if (!buf)
			return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
		rc = show_stats_prom(ctx, buf);
		free(buf);
		return rc;
	}
	/* The module's: SCCP and media (registrations, streams, drops). */
	if (!ctx->nl && pp_nl_open(&ctx->nl, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show stats: %s", err);
	if (pp_stats_get(ctx->nl, &st))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show stats: %s",
			    pp_nl_error(ctx->nl));
	buf = malloc(PP_CTL_MAX + 1);
	if (!buf)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
	if (ctx->json) {
		pp_json_init(&j, ctx->out);
		pp_json_obj_begin(&j);
	}
	ppctl_print_call_stats(ctx->out, ctx->json ? &j : NULL, &st);
	for (i = 0; i < sizeof(daemons) / sizeof(daemons[0]); i++) {
		int n = pp_ctl_ask(daemons[i].ctl, "stats", buf, PP_CTL_MAX + 1);

		ppctl_print_daemon_stats(ctx->out, ctx->json ? &j : NULL, daemons[i].section,
					 daemons[i].daemon, n, buf);
		/* Not running is an answer; a daemon that does not answer is not. */
		if (n < 0 && n != -ENOENT)
			rc = ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show stats: %s: %s",
					daemons[i].daemon, strerror(-n));
	}
	if (ctx->json) {
		pp_json_obj_end(&j);
		fputc('\n', ctx->out);
	}
	free(buf);
	return rc;
}

int ppctl_ip_forward(void)
{
	char c = 0;
	int fd = open("/proc/sys/net/ipv4/ip_forward", O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = read(fd, &c, 1) == 1 ? c != '0' : -EIO;
	close(fd);
	return rc;
}

/* Whether a daemon answers on its control socket (pp_ctl_ask()'s return). */
static int daemon_answers(const char *ctl)
{
	char reply[PP_CTL_MAX + 1];

	return pp_ctl_ask(ctl, "stats", reply, sizeof(reply));
}

/*
 * One screen: the module, the roles' addresses, IP forwarding, the daemons,
 * the counts. Exit status PPCTL_EXIT_FAIL when a required check fails.
 */
int ppctl_do_show_status(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	struct ppctl_status s = { 0 };
	struct pp_user_state *users;
	struct pp_config cfg;
	struct pp_stats st;
	size_t n, i;
	int problems;

	(void)cmd;
	if (ctx->nl || !pp_nl_open(&ctx->nl, s.module_error, sizeof(s.module_error)))
		s.module = true;
	if (s.module && pp_config_get(ctx->nl, &cfg)) {
		snprintf(s.module_error, sizeof(s.module_error), "cannot read the configuration: %s",
			 pp_nl_error(ctx->nl));
		s.module = false;
	}
	if (s.module) {
		s.north_addr = cfg.north_addr;
		s.south_addr = cfg.south_addr;
		s.sccp_security = cfg.sccp_security;
		s.http = cfg.http || cfg.httpproxy;
		if (!pp_stats_get(ctx->nl, &st)) {
			s.counts = true;
			s.users = st.users;
			s.active = st.activations;
			s.calls = st.media_calls;
		}
		/* Names and addresses: CAP_NET_ADMIN only; the rest is shown without. */
		if (s.counts && !pp_user_list(ctx->nl, &users, &n)) {
			s.registered_known = true;
			for (i = 0; i < n; i++)
				s.registered += users[i].active && users[i].registered > 0;
			free(users);
		}
	}
	s.ip_forward = ppctl_ip_forward();
	s.tftpd = daemon_answers(TFTPD_CTL_NAME);
	s.httpd = daemon_answers(PP_CTL_HTTPD);
	s.tlsd = daemon_answers(PP_CTL_TLSD);
	s.logd = daemon_answers(PP_CTL_LOGD);
	problems = ppctl_print_status(ctx->out, ctx->json, &s);
	if (problems)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show status: %d problem%s: the proxy cannot work",
				  problems, problems == 1 ? "" : "s");
	return PPCTL_EXIT_OK;
}

/* The guide's "Clustering": pp-clusterd's view (docs/cluster.md). Not
 * running here is an error: there is no cluster state to show. */
int ppctl_do_show_cluster(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	struct pp_json j;
	char *buf;
	int n, rc;

	(void)cmd;
	buf = malloc(PP_CTL_MAX + 1);
	if (!buf)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
	n = pp_ctl_ask(PP_CTL_CLUSTERD, "stats", buf, PP_CTL_MAX + 1);
	if (ctx->json) {
		pp_json_init(&j, ctx->out);
		pp_json_obj_begin(&j);
	}
	rc = ppctl_print_daemon_stats(ctx->out, ctx->json ? &j : NULL, "cluster", "pp-clusterd",
				      n, buf);
	if (ctx->json) {
		pp_json_obj_end(&j);
		fputc('\n', ctx->out);
	}
	free(buf);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "show cluster: %s",
				  n == -ENOENT ? "pp-clusterd is not running in this network namespace" :
				  n < 0 ? strerror(-n) : "bad reply from pp-clusterd");
	return PPCTL_EXIT_OK;
}

int ppctl_tell(struct ppctl_ctx *ctx, const char *daemon, const char *what)
{
	char reply[1024];
	int rc;

	/* A daemon running here takes it now; one elsewhere when it starts.
	 * A reload reads what changed (65,536 users: seconds in a slow
	 * guest), so the answer may take longer than a question's. */
	rc = pp_ctl_ask_wait(daemon, "reload", reply, sizeof(reply), 60);
	if (rc == -ENOENT || (rc >= 0 && !strcmp(reply, "ok\n")))
		return PPCTL_EXIT_OK;
	return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: saved, but pp-%s did not take it: %s", what,
			  strrchr(daemon, '/') + 1, rc < 0 ? strerror(-rc) :
			  strncmp(reply, "error ", 6) ? reply : reply + 6);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct pp_user_state *const *)a)->name,
		      (*(const struct pp_user_state *const *)b)->name);
}

/* Node id in n (ascending): add it (on) or take it out (!on). */
static void nodes_set(struct ppctl_user_nodes *n, uint32_t id, bool on)
{
	unsigned int i = 0, j;

	while (i < n->n && n->id[i] < id)
		i++;
	if (i < n->n && n->id[i] == id) {
		if (!on) {
			for (j = i; j + 1 < n->n; j++)
				n->id[j] = n->id[j + 1];
			n->n--;
		}
		return;
	}
	if (!on || n->n == PPCTL_USER_NODES_MAX)
		return;
	for (j = n->n; j > i; j--)
		n->id[j] = n->id[j - 1];
	n->id[i] = id;
	n->n++;
}

/* "node ID NAME" of the first reply: NAME kept for ID (beyond
 * PP_CLUSTER_NODES_MAX, the id is shown). 0, or -1: a bad line. */
static int node_line(char *line, struct ppctl_node_names *names)
{
	char *name = strchr(line, ' ');
	uint64_t v;

	if (!name)
		return -1;
	*name++ = '\0';
	if (pp_parse_uint(line, 1, UINT32_MAX, &v) || !*name || strlen(name) >= PP_NAME_MAX ||
	    strchr(name, ' '))
		return -1;
	if (names->n < PP_CLUSTER_NODES_MAX) {
		names->id[names->n] = (uint32_t)v;
		snprintf(names->name[names->n++], PP_NAME_MAX, "%s", name);
	}
	return 0;
}

/* One reply of "registrations [AFTER]" into nodes; *last: the last name.
 * 1: more to ask, 0: the end, -1: a bad reply. */
static int regs_page(char *reply, struct pp_user_state **byname, size_t n,
		     struct ppctl_user_nodes *nodes, const struct pp_user_state *users,
		     struct ppctl_node_names *names, char *last, bool *any)
{
	char *line, *save = NULL;

	for (line = strtok_r(reply, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct pp_user_state key, *kp = &key, **hit;
		char *name, *ids, *id, *s2 = NULL;
		uint64_t v;

		if (!strcmp(line, "end") || !strcmp(line, "more"))
			return !strcmp(line, "more") && *any ? 1 : strcmp(line, "end") ? -1 : 0;
		if (!strncmp(line, "self ", 5)) {
			if (pp_parse_uint(line + 5, 0, UINT32_MAX, &v))
				return -1;
			names->self = (uint32_t)v;
			continue;
		}
		if (!strncmp(line, "node ", 5)) {
			if (node_line(line + 5, names))
				return -1;
			continue;
		}
		if (strncmp(line, "user ", 5))
			return -1;
		name = line + 5;
		ids = strchr(name, ' ');
		if (!ids || (size_t)(ids - name) >= PP_NAME_MAX)
			return -1;
		*ids++ = '\0';
		snprintf(last, PP_NAME_MAX, "%s", name);
		*any = true;
		snprintf(key.name, sizeof(key.name), "%s", name);
		hit = bsearch(&kp, byname, n, sizeof(*byname), name_cmp);
		for (id = strtok_r(ids, ",", &s2); id; id = strtok_r(NULL, ",", &s2)) {
			if (pp_parse_uint(id, 1, UINT32_MAX, &v))
				return -1;
			if (hit)	/* a user this node does not know: not shown */
				nodes_set(&nodes[*hit - users], (uint32_t)v, true);
		}
	}
	return -1;		/* neither "end" nor "more" */
}

int ppctl_cluster_user_nodes(const struct pp_user_state *users, size_t n,
			     struct ppctl_user_nodes *nodes, struct ppctl_node_names *names)
{
	char req[PP_CTL_REQ_MAX], last[PP_NAME_MAX] = "", *reply;
	struct pp_user_state **byname;
	size_t i;
	int rc;

	reply = malloc(PP_CTL_MAX + 1);
	byname = malloc((n ? n : 1) * sizeof(*byname));
	if (!reply || !byname) {
		free(reply);
		free(byname);
		return -1;
	}
	for (i = 0; i < n; i++)
		byname[i] = (struct pp_user_state *)&users[i];
	qsort(byname, n, sizeof(*byname), name_cmp);
	memset(nodes, 0, n * sizeof(*nodes));
	memset(names, 0, sizeof(*names));
	do {
		bool any = false;

		snprintf(req, sizeof(req), last[0] ? "registrations %s" : "registrations", last);
		rc = pp_ctl_ask(PP_CTL_CLUSTERD, req, reply, PP_CTL_MAX + 1);
		if (rc >= 0)
			rc = regs_page(reply, byname, n, nodes, users, names, last, &any);
	} while (rc == 1);
	free(reply);
	free(byname);
	if (rc < 0)
		return -1;
	/* This node's own: the module says what is now (pp-clusterd learns it
	 * from the module's events, a moment later). */
	for (i = 0; names->self && i < n; i++)
		nodes_set(&nodes[i], names->self, users[i].active && users[i].registered > 0);
	return 0;
}
