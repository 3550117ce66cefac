// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl's heartbeat pair (the guide's "Heartbeat", docs/heartbeat.md):
 * the settings of heartbeat.conf, keepalived's configuration made from
 * them and the module's virtual addresses, keepalived started, reloaded
 * or stopped; and "show interface".
 *
 * keepalived runs as the systemd unit pp-heartbeat.service where systemd
 * is the init, otherwise as ppctl's own detached child; either way its
 * pid file is $PP_STATE_DIR/heartbeat/keepalived.pid, in the network
 * namespace ppctl ran in.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "exec.h"
#include "file.h"
#include "heartbeat.h"
#include "json.h"
#include "log.h"
#include "nl.h"
#include "ops.h"
#include "parse.h"

#define UNIT		"pp-heartbeat.service"

static const char *keepalived_bin(void)
{
	const char *p = getenv("PP_KEEPALIVED");

	return p && *p ? p : "/usr/sbin/keepalived";
}

static void hb_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", pp_conf_dir(), name);
}

static void run_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/heartbeat%s%s", pp_state_dir(), *name ? "/" : "", name);
}

static bool systemd_booted(void)
{
	return access("/run/systemd/system", F_OK) == 0;
}

/* keepalived's pid if it runs (its pid file names a live keepalived), else 0. */
static pid_t keepalived_pid(void)
{
	char path[4096], comm[64], buf[32];
	ssize_t n;
	pid_t pid;
	int fd;

	run_path(path, sizeof(path), "keepalived.pid");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = (pid_t)atoi(buf);
	if (pid <= 0 || kill(pid, 0))
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	comm[n] = '\0';
	return strncmp(comm, "keepalived", 10) ? 0 : pid;
}

/* Run argv, its stdout and stderr into out (NUL-terminated, may be cut):
 * its exit status, or -1. */
static int run(char *const argv[], char *out, size_t outlen)
{
	int p[2], status;
	size_t used = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (!pid) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		char junk[256];
		ssize_t n = used + 1 < outlen ? read(p[0], out + used, outlen - used - 1) :
			    read(p[0], junk, sizeof(junk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (used + 1 < outlen)
			used += (size_t)n;
	}
	close(p[0]);
	if (outlen)
		out[used] = '\0';
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int systemctl(struct ppctl_ctx *ctx, const char *verb)
{
	char *argv[] = { "/bin/systemctl", (char *)verb, UNIT, NULL }, out[1024];
	int rc = run(argv, out, sizeof(out));

	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "heartbeat: systemctl %s %s: %s", verb, UNIT,
				  rc < 0 ? strerror(errno) : out);
	return PPCTL_EXIT_OK;
}

/* Start keepalived as a detached process of this network namespace. */
static int start_direct(struct ppctl_ctx *ctx, const char *conf)
{
	char pidf[4096], vrrpf[4096], logf[4096], dir[4096];
	int i, status;
	pid_t pid;

	run_path(dir, sizeof(dir), "");
	run_path(pidf, sizeof(pidf), "keepalived.pid");
	run_path(vrrpf, sizeof(vrrpf), "vrrp.pid");
	run_path(logf, sizeof(logf), "keepalived.log");
	if (pp_mkdir_p(dir, 0700))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "heartbeat: %s: %s", dir, strerror(errno));
	unlink(pidf);
	pid = fork();
	if (pid < 0)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "heartbeat: fork: %s", strerror(errno));
	if (!pid) {
		/* The child starts keepalived in a session of its own and
		 * goes: keepalived is nobody's child to wait for. */
		char *argv[] = { (char *)keepalived_bin(), "--dont-fork", "--log-console",
				 "--log-detail", "--no-syslog", "--vrrp", "-f", (char *)conf,
				 "-p", pidf, "-r", vrrpf, NULL };
		int fd;

		if (fork())
			_exit(0);
		setsid();
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0)
			dup2(fd, 0);
		fd = open(logf, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		/* Nothing of ppctl's (its netlink socket) goes with it. */
		for (fd = 3; fd < 1024; fd++)
			close(fd);
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	/* Up when its pid file names it. */
	for (i = 0; i < 50; i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		if (keepalived_pid())
			return PPCTL_EXIT_OK;
		nanosleep(&ts, NULL);
	}
	return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "heartbeat: keepalived did not start (see %s)", logf);
}

static int stop(struct ppctl_ctx *ctx)
{
	pid_t pid = keepalived_pid();
	int i;

	if (systemd_booted())
		return systemctl(ctx, "stop");
	if (!pid)
		return PPCTL_EXIT_OK;
	kill(pid, SIGTERM);
	/* keepalived gives the addresses up (priority 0) and leaves. */
	for (i = 0; i < 100 && !kill(pid, 0); i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	if (!kill(pid, 0))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "heartbeat: keepalived (pid %d) did not stop",
				  (int)pid);
	return PPCTL_EXIT_OK;
}

/* The interface holding addr in this namespace: its name, prefix, up. */
static bool find_addr(uint32_t addr, char dev[IF_NAMESIZE], unsigned int *prefix, bool *up)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	if (!addr || getifaddrs(&ifa))
		return false;
	for (i = ifa; i && !found; i = i->ifa_next) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)i->ifa_addr;
		const struct sockaddr_in *m = (const struct sockaddr_in *)i->ifa_netmask;

		if (!a || a->sin_family != AF_INET || a->sin_addr.s_addr != addr)
			continue;
		found = true;
		if (dev)
			snprintf(dev, IF_NAMESIZE, "%s", i->ifa_name);
		if (prefix)
			*prefix = m ? (unsigned int)__builtin_popcount(m->sin_addr.s_addr) : 32;
		if (up)
			*up = (i->ifa_flags & IFF_UP) && (i->ifa_flags & IFF_RUNNING);
	}
	freeifaddrs(ifa);
	return found;
}

static uint32_t prefix_mask(unsigned int prefix)
{
	return prefix ? htonl(0xffffffffu << (32 - prefix)) : 0;
}

/* This node as keepalived will see it: 0, or the exit code with ctx->err. */
static int node_of(struct ppctl_ctx *ctx, const struct pp_hbconf *hb, const struct pp_config *cfg,
		   struct pp_hb_node *n)
{
	static const char *const vname[2] = { "virtnorth", "virtsouth" }, *rname[2] = {
		"north", "south" };
	char a[PP_IPV4_STRLEN], b[PP_IPV4_STRLEN], err[512];
	int i;

	memset(n, 0, sizeof(*n));
	if (gethostname(n->hostname, sizeof(n->hostname) - 1))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "heartbeat: gethostname: %s", strerror(errno));
	n->tftp_port = cfg->tftp_port ? cfg->tftp_port : PP_DEFAULT_TFTP_PORT;
	n->http_port = 80;
	for (i = 0; i < 2; i++) {
		uint32_t v = i ? cfg->virt_south_addr : cfg->virt_north_addr;
		uint32_t r = i ? cfg->south_addr : cfg->north_addr;

		if (!v)
			continue;
		/* "a third IP address on the North network": it goes on the
		 * interface of the real role, with its prefix. */
		if (!find_addr(r, n->vip[i].dev, &n->vip[i].prefix, NULL))
			return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
					  "heartbeat: %s %s needs the %s address set and on an interface of this host (\"set interface %s address <ip>\")",
					  vname[i], pp_ipv4_str(v, a), rname[i], rname[i]);
		if ((v & prefix_mask(n->vip[i].prefix)) != (r & prefix_mask(n->vip[i].prefix)))
			return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
					  "heartbeat: %s %s is not on the %s network (%s/%u on %s)",
					  vname[i], pp_ipv4_str(v, a), rname[i], pp_ipv4_str(r, b),
					  n->vip[i].prefix, n->vip[i].dev);
		n->vip[i].addr = v;
	}
	if (pp_hb_complete(hb, n, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_USAGE, "heartbeat: %s", err);
	if (!find_addr(hb->cluster_addr, n->cluster_dev, NULL, NULL))
		return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
				  "heartbeat: cluster address %s is not on any interface of this host",
				  pp_ipv4_str(hb->cluster_addr, a));
	return PPCTL_EXIT_OK;
}

/*
 * Make the running keepalived what hb and cfg say: stopped when disabled;
 * otherwise its configuration written (checked by "keepalived -t" first:
 * a refused one changes nothing) and keepalived started or reloaded.
 * dry: the checks only.
 */
static int hb_apply(struct ppctl_ctx *ctx, const struct pp_hbconf *hb, const struct pp_config *cfg,
		    bool dry)
{
	char conf[4096], tmp[4096 + 8], out[2048], *text = NULL;
	struct pp_hb_node n;
	size_t len = 0;
	FILE *mem;
	pid_t pid;
	int rc;

	if (!hb->enabled)
		return dry ? PPCTL_EXIT_OK : stop(ctx);
	rc = node_of(ctx, hb, cfg, &n);
	if (rc)
		return rc;
	mem = open_memstream(&text, &len);
	if (!mem)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
	pp_keepalived_conf(mem, hb, &n);
	if (fclose(mem))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
	hb_path(conf, sizeof(conf), PP_KEEPALIVED_CONF_FILE);
	snprintf(tmp, sizeof(tmp), "%s.check", conf);
	rc = pp_file_write_atomic(tmp, text, len, 0600);
	if (rc) {
		free(text);
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "heartbeat: %s: %s", tmp, strerror(-rc));
	}
	{
		char *argv[] = { (char *)keepalived_bin(), "--config-test", "-f", tmp, NULL };

		rc = run(argv, out, sizeof(out));
	}
	unlink(tmp);
	if (rc) {
		free(text);
		/* keepalived's lines, on one. */
		for (len = strlen(out); len && (out[len - 1] == '\n' || out[len - 1] == ' '); len--)
			out[len - 1] = '\0';
		for (char *p = out; (p = strchr(p, '\n')); )
			*p = ';';
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "heartbeat: keepalived refuses the configuration%s%s",
				  rc < 0 ? " (cannot run " : ": ", rc < 0 ? keepalived_bin() : out);
	}
	if (dry) {
		free(text);
		return PPCTL_EXIT_OK;
	}
	rc = pp_file_write_atomic(conf, text, len, 0600);
	free(text);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "heartbeat: %s: %s", conf, strerror(-rc));
	if (systemd_booted())
		return systemctl(ctx, "reload-or-restart");
	pid = keepalived_pid();
	if (pid) {
		kill(pid, SIGHUP);	/* keepalived re-reads its configuration */
		return PPCTL_EXIT_OK;
	}
	return start_direct(ctx, conf);
}

static int hb_load(struct ppctl_ctx *ctx, char *path, size_t len, struct pp_hbconf *hb)
{
	char err[1200];

	hb_path(path, len, PP_HEARTBEAT_CONF_FILE);
	return pp_hbconf_load(path, true, hb, err, sizeof(err)) ?
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err) : 0;
}

static int module_config(struct ppctl_ctx *ctx, struct pp_config *cfg)
{
	char err[256];

	if (!ctx->nl && pp_nl_open(&ctx->nl, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err);
	if (pp_config_get(ctx->nl, cfg))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "cannot read the configuration: %s",
				  pp_nl_error(ctx->nl));
	return PPCTL_EXIT_OK;
}

int ppctl_heartbeat_edit(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char path[4096], err[1200], *text = NULL;
	struct pp_hbconf hb;
	struct pp_config cfg;
	size_t len = 0;
	FILE *mem;
	int rc;

	if (hb_load(ctx, path, sizeof(path), &hb))
		return ctx->err.code;
	if (pp_setting_apply(cmd, NULL, &hb, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_USAGE, "%s", err);
	/* Enabled (now or still): the whole pair checked and keepalived made
	 * to follow before the file changes; disabled: keepalived stopped. */
	if (hb.enabled || cmd->def->setting == &pp_settings[PP_S_HB_ENABLE]) {
		if (module_config(ctx, &cfg))
			return ctx->err.code;
		rc = hb_apply(ctx, &hb, &cfg, false);
		if (rc)
			return rc;
	}
	mem = open_memstream(&text, &len);
	if (!mem)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
	fprintf(mem, "# The heartbeat pair: written by ppctl (docs/heartbeat.md)\n");
	pp_settings_print(mem, PP_HOLD_HEARTBEAT, &hb);
	rc = fclose(mem) ? -ENOMEM : pp_file_write_atomic(path, text, len, 0644);
	free(text);
	return rc ? ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", path, strerror(-rc)) : PPCTL_EXIT_OK;
}

int ppctl_heartbeat_check_virt(struct ppctl_ctx *ctx, const struct pp_config *change, bool dry)
{
	char path[4096];
	struct pp_hbconf hb;
	struct pp_config cfg;

	if (hb_load(ctx, path, sizeof(path), &hb))
		return ctx->err.code;
	if (!hb.enabled)
		return PPCTL_EXIT_OK;
	if (module_config(ctx, &cfg))
		return ctx->err.code;
	if (pp_cfg_has(change, PP_A_CFG_VIRT_NORTH_ADDR))
		cfg.virt_north_addr = change->virt_north_addr;
	if (pp_cfg_has(change, PP_A_CFG_VIRT_SOUTH_ADDR))
		cfg.virt_south_addr = change->virt_south_addr;
	return hb_apply(ctx, &hb, &cfg, dry);
}

int ppctl_heartbeat_print_running(struct ppctl_ctx *ctx, FILE *f)
{
	char path[4096];
	struct pp_hbconf hb;

	if (hb_load(ctx, path, sizeof(path), &hb))
		return ctx->err.code;
	pp_settings_print(f, PP_HOLD_HEARTBEAT, &hb);
	return PPCTL_EXIT_OK;
}

/* ---- show interface ---- */

/* The IPv4 default gateway of this namespace (/proc/net/route), or 0. */
static uint32_t default_gateway(void)
{
	FILE *f = fopen("/proc/net/route", "re");
	char line[256], dev[64];
	unsigned int dest, gw, flags;
	uint32_t found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %x %x %x", dev, &dest, &gw, &flags) == 4 && !dest &&
		    (flags & 0x2))	/* RTF_GATEWAY */
			found = gw;
	fclose(f);
	return found;
}

struct iface_row {
	const char *name;
	uint32_t addr;
	bool active;
	char dev[IF_NAMESIZE];
	unsigned int prefix;
	const char *state;	/* virtual ones: MASTER, BACKUP, "-" */
};

int ppctl_do_show_interface(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char path[4096], a[PP_IPV4_STRLEN], m[PP_IPV4_STRLEN];
	struct iface_row rows[6];
	struct pp_hbconf hb;
	struct pp_config cfg;
	bool running;
	uint32_t gw;
	int i;

	(void)cmd;
	if (module_config(ctx, &cfg) || hb_load(ctx, path, sizeof(path), &hb))
		return ctx->err.code;
	running = keepalived_pid() != 0;
	rows[0] = (struct iface_row){ .name = "mgmt", .addr = hb.mgmt_addr };
	rows[1] = (struct iface_row){ .name = "north", .addr = cfg.north_addr };
	rows[2] = (struct iface_row){ .name = "south", .addr = cfg.south_addr };
	rows[3] = (struct iface_row){ .name = "cluster", .addr = hb.cluster_addr };
	rows[4] = (struct iface_row){ .name = "virtnorth", .addr = cfg.virt_north_addr };
	rows[5] = (struct iface_row){ .name = "virtsouth", .addr = cfg.virt_south_addr };
	for (i = 0; i < 6; i++) {
		struct iface_row *r = &rows[i];
		bool up = false;

		r->active = find_addr(r->addr, r->dev, &r->prefix, &up) && up;
		if (i >= 4)	/* enabled here: keepalived put it on this node */
			r->state = !r->addr ? "-" : r->active ? "MASTER" :
				   running && hb.enabled ? "BACKUP" : "-";
	}
	gw = default_gateway();
	if (ctx->json) {
		struct pp_json j;

		pp_json_init(&j, ctx->out);
		pp_json_obj_begin(&j);
		pp_json_key(&j, "interfaces");
		pp_json_arr_begin(&j);
		for (i = 0; i < 6; i++) {
			const struct iface_row *r = &rows[i];

			pp_json_obj_begin(&j);
			pp_json_kv_str(&j, "name", r->name);
			pp_json_kv_bool(&j, "active", r->active);
			pp_json_kv_str(&j, "mode", "static");
			if (r->addr)
				pp_json_kv_str(&j, "address", pp_ipv4_str(r->addr, a));
			else
				pp_json_kv_null(&j, "address");
			if (r->active) {
				pp_json_kv_str(&j, "netmask", pp_ipv4_str(prefix_mask(r->prefix), m));
				pp_json_kv_str(&j, "device", r->dev);
			} else {
				pp_json_kv_null(&j, "netmask");
				pp_json_kv_null(&j, "device");
			}
			if (r->state)
				pp_json_kv_str(&j, "heartbeat", r->state);
			pp_json_obj_end(&j);
		}
		pp_json_arr_end(&j);
		pp_json_kv_bool(&j, "heartbeat_enabled", hb.enabled);
		pp_json_kv_bool(&j, "keepalived_running", running);
		if (gw)
			pp_json_kv_str(&j, "default_gateway", pp_ipv4_str(gw, a));
		else
			pp_json_kv_null(&j, "default_gateway");
		pp_json_obj_end(&j);
		fputc('\n', ctx->out);
		return PPCTL_EXIT_OK;
	}
	/* The guide's layout, with the device and the heartbeat's state. */
	fprintf(ctx->out, "%-12s %-7s %-9s %-16s %-16s %-10s %s\n", "Name", "Active?", "Mode",
		"Address", "Netmask", "Device", "Heartbeat");
	fprintf(ctx->out, "-----\n");
	for (i = 0; i < 6; i++) {
		const struct iface_row *r = &rows[i];

		fprintf(ctx->out, "%-12s %-7s %-9s %-16s %-16s %-10s %s\n", r->name,
			r->active ? "*" : "", "static", r->addr ? pp_ipv4_str(r->addr, a) : "",
			r->active ? pp_ipv4_str(prefix_mask(r->prefix), m) : "",
			r->active ? r->dev : "", r->state ? r->state : "");
	}
	fprintf(ctx->out, "\nDefault Gateway : %s\n", gw ? pp_ipv4_str(gw, a) : "none");
	if (hb.enabled)
		fprintf(ctx->out, "Heartbeat : group %s, peer %s, preferred %s, keepalived %s\n",
			hb.group, pp_ipv4_str(hb.peer, a), hb.preferred,
			running ? "running" : "NOT RUNNING");
	return PPCTL_EXIT_OK;
}
