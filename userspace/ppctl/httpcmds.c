// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl commands of the web side (pp-httpd): what is published, the HTTP
 * proxy's mode, external address and allow list (httpd.conf), the web
 * server's certificates, the web service's administrator password; and
 * pp-tftpd's and pp-tlsd's settings (tftpd.conf, tlsd.conf).
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cert.h"
#include "conf.h"
#include "ctlsock.h"
#include "exec.h"
#include "file.h"
#include "httpconf.h"
#include "json.h"
#include "logfile.h"
#include "nl.h"
#include "ops.h"
#include "parse.h"
#include "password.h"
#include "tftpdconf.h"
#include "tlsdconf.h"
#include "../tftpd/ctl.h"

/* ---- httpd.conf ---- */

/* tftpd.conf's settings in c (the defaults without the file; an old
 * format converted). */
static int tftp_load(struct ppctl_ctx *ctx, char *path, struct tftpd_conf *c)
{
	char err[1200];

	snprintf(path, 4096, "%s/%s", pp_conf_dir(), TFTPD_CONF_FILE);
	tftpd_conf_defaults(c);
	return tftpd_conf_load(c, path, true, err, sizeof(err)) ?
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err) : 0;
}

/* tlsd.conf's settings in c (the defaults without the file). */
static int tls_load(struct ppctl_ctx *ctx, char *path, struct pp_tlsdconf *c)
{
	char err[1200];

	snprintf(path, 4096, "%s/%s", pp_conf_dir(), PP_TLSDCONF_FILE);
	return pp_tlsdconf_load(path, true, c, err, sizeof(err)) ?
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err) : 0;
}

/*
 * A daemon's settings file (tftpd.conf, tlsd.conf): load it, apply cmd,
 * check the whole, write it atomically (0644), tell the daemon. A bad
 * value (or a file that does not read) changes nothing.
 */
static int daemon_edit(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	enum pp_holder holder = cmd->def->setting->holder;
	bool tls = holder == PP_HOLD_TLSD;
	char path[4096], err[1200], *text = NULL;
	union {
		struct tftpd_conf tftp;
		struct pp_tlsdconf tls;
	} c;
	size_t len = 0;
	FILE *mem;
	int rc;

	if (tls ? tls_load(ctx, path, &c.tls) : tftp_load(ctx, path, &c.tftp))
		return ctx->err.code;
	if (pp_setting_apply(cmd, NULL, &c, err, sizeof(err)) ||
	    pp_settings_check(holder, &c, tls ? PP_TLSDCONF_FILE : TFTPD_CONF_FILE, err,
			      sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_USAGE, "%s", err);
	/* The CA bundle pp-tlsd would verify the phones against: now, not
	 * when pp-tlsd reloads. */
	if (tls && cmd->def->setting == &pp_settings[PP_S_TLS_CAFILE] && *c.tls.cafile &&
	    pp_cert_ca_bundle_check(c.tls.cafile, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_USAGE, "cafile: %s", err);
	mem = open_memstream(&text, &len);
	if (!mem)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "out of memory");
	fprintf(mem, "# pp-%s settings: written by ppctl, read by pp-%s\n", tls ? "tlsd" : "tftpd",
		tls ? "tlsd" : "tftpd");
	pp_settings_print(mem, holder, &c);
	rc = fclose(mem) ? -ENOMEM : pp_file_write_atomic(path, text, len, 0644);
	free(text);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", path, strerror(-rc));
	/* The loglevel is every component's: pp-logd applies it (docs/logs.md). */
	if (cmd->def->setting == &pp_settings[PP_S_TFTP_LOGLEVEL] &&
	    ppctl_tell(ctx, PP_CTL_LOGD, path))
		return ctx->err.code;
	return ppctl_tell(ctx, tls ? PP_CTL_TLSD : TFTPD_CTL_NAME, path);
}

/* Load httpd.conf, apply cmd (a set or unset of a setting pp-httpd holds),
 * save; or tftpd.conf's, tlsd.conf's. */
int ppctl_http_edit(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char path[4096], err[PP_URL_MAX + 1200];
	struct pp_httpconf c;
	int rc;

	if (cmd->def->setting->holder == PP_HOLD_TFTPD ||
	    cmd->def->setting->holder == PP_HOLD_TLSD)
		return daemon_edit(ctx, cmd);
	if (pp_httpconf_path(path, sizeof(path)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "configuration directory path too long");
	if (pp_httpconf_load(path, &c, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err);
	rc = pp_setting_apply(cmd, NULL, &c, err, sizeof(err));
	if (rc == -EINVAL)
		ppctl_fail(ctx, PPCTL_EXIT_USAGE, "%s", err);
	else if (rc)
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "httpproxy allow: %s", err);
	else if ((rc = pp_httpconf_save(path, &c)))
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", path, strerror(-rc));
	pp_httpconf_free(&c);
	return rc ? ctx->err.code : ppctl_tell(ctx, PP_CTL_HTTPD, path);
}

int ppctl_http_print_running(struct ppctl_ctx *ctx, FILE *f)
{
	char path[4096], err[1200];
	struct pp_httpconf c;
	struct pp_tlsdconf l;
	struct tftpd_conf t;

	if (pp_httpconf_path(path, sizeof(path)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "configuration directory path too long");
	if (pp_httpconf_load(path, &c, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err);
	pp_httpconf_print(f, &c);
	pp_httpconf_free(&c);
	if (tftp_load(ctx, path, &t))
		return ctx->err.code;
	pp_settings_print(f, PP_HOLD_TFTPD, &t);
	if (tls_load(ctx, path, &l))
		return ctx->err.code;
	pp_settings_print(f, PP_HOLD_TLSD, &l);
	return PPCTL_EXIT_OK;
}

int ppctl_do_show_httpproxy(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char path[4096], err[1200], a[PP_IPV4_STRLEN];
	struct pp_config cfg;
	struct pp_httpconf c;
	bool have_cfg = false;
	char nlerr[256];
	size_t i;

	(void)cmd;
	if (pp_httpconf_path(path, sizeof(path)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "configuration directory path too long");
	if (pp_httpconf_load(path, &c, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err);
	if (ctx->nl || pp_nl_open(&ctx->nl, nlerr, sizeof(nlerr)) == 0)
		have_cfg = pp_config_get(ctx->nl, &cfg) == 0;
	if (ctx->json) {
		struct pp_json j;

		pp_json_init(&j, ctx->out);
		pp_json_obj_begin(&j);
		if (have_cfg) {
			pp_json_kv_bool(&j, "enabled", cfg.httpproxy);
			pp_json_kv_u64(&j, "port", cfg.httpproxy_port);
		}
		pp_json_kv_str(&j, "mode", c.mode == PP_PROXY_EXTERNAL ? "external" : "internal");
		if (c.external_addr)
			pp_json_kv_str(&j, "externaladdress", pp_ipv4_str(c.external_addr, a));
		else
			pp_json_kv_null(&j, "externaladdress");
		pp_json_key(&j, "allow");
		pp_json_arr_begin(&j);
		for (i = 0; i < c.nallow; i++)
			pp_json_str(&j, c.allow[i]);
		pp_json_arr_end(&j);
		pp_json_obj_end(&j);
		fputc('\n', ctx->out);
	} else {
		if (have_cfg) {
			fprintf(ctx->out, "%-18s%s\n", "httpproxy", cfg.httpproxy ? "enable" : "disable");
			fprintf(ctx->out, "%-18s%u\n", "port", cfg.httpproxy_port);
		}
		fprintf(ctx->out, "%-18s%s\n", "mode",
			c.mode == PP_PROXY_EXTERNAL ? "external" : "internal");
		fprintf(ctx->out, "%-18s%s\n", "externaladdress",
			c.external_addr ? pp_ipv4_str(c.external_addr, a) : "unset");
		if (c.mode == PP_PROXY_EXTERNAL && !c.external_addr)
			fprintf(ctx->out, "%-18s%s\n", "",
				"(mode external needs an externaladdress: requests fail until set)");
		fprintf(ctx->out, "allow%s\n", c.nallow ? "" : "             (none: nothing is proxied)");
		for (i = 0; i < c.nallow; i++)
			fprintf(ctx->out, "  %s\n", c.allow[i]);
	}
	pp_httpconf_free(&c);
	return PPCTL_EXIT_OK;
}

/* ---- certificates ---- */

/* <tag:certtag> stores the tag in choice; no tag: both interfaces. */
static enum pp_cert_tag tag_of(int choice)
{
	return choice < 0 ? PP_CERT_BOTH : (enum pp_cert_tag)choice;
}

static void print_summary(FILE *f, const char *name, const struct pp_cert_info *i)
{
	fprintf(f, "  %-20s %s %d, expires %s, %s%s%s\n", name, i->key_type, i->key_bits,
		i->not_after, i->self_signed ? "self-signed" : "issued by ",
		i->self_signed ? "" : i->issuer,
		i->expires && i->expires <= time(NULL) ? " (EXPIRED)" : "");
}

int ppctl_do_cert_selfsigned(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	enum pp_cert_tag tag = tag_of(cmd->choice);
	unsigned int bits = cmd->bits ? cmd->bits : 2048;
	uint32_t addrs[2] = { 0, 0 };
	char err[512], cn[64], a[PP_IPV4_STRLEN], nlerr[256];
	struct pp_cert_info info;
	struct pp_config cfg;
	size_t len;
	char *pem;

	/* The certificate names the addresses it serves (subjectAltName). */
	if ((ctx->nl || pp_nl_open(&ctx->nl, nlerr, sizeof(nlerr)) == 0) &&
	    pp_config_get(ctx->nl, &cfg) == 0) {
		if (tag != PP_CERT_SOUTH)
			addrs[0] = cfg.north_addr;
		if (tag != PP_CERT_NORTH)
			addrs[1] = cfg.south_addr;
	}
	snprintf(cn, sizeof(cn), "%s", addrs[0] ? pp_ipv4_str(addrs[0], a) :
		 addrs[1] ? pp_ipv4_str(addrs[1], a) : "phoneproxy");
	if (pp_cert_selfsigned((int)bits, cn, addrs, 2, &pem, &len, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "set certificate selfsigned: %s", err);
	if (pp_cert_install(tag, pem, len, err, sizeof(err)) ||
	    pp_cert_inspect(pem, len, &info, err, sizeof(err))) {
		OPENSSL_cleanse(pem, len);
		free(pem);
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "set certificate selfsigned: %s", err);
	}
	OPENSSL_cleanse(pem, len);
	free(pem);
	fprintf(ctx->out, "installed a self-signed certificate as %s (%s)\n",
		pp_cert_tag_name(tag), tag == PP_CERT_BOTH ? "north and south" :
		tag == PP_CERT_NORTH ? "north" : "south");
	print_summary(ctx->out, pp_cert_tag_name(tag), &info);
	fprintf(ctx->out, "  SHA-256 %s\n", info.sha256);
	if (bits < 2048)
		fprintf(ctx->out, "warning: a 1024-bit key is weak; browsers may refuse it\n");
	return ppctl_tell(ctx, PP_CTL_HTTPD, pp_cert_tag_name(tag));
}

/* A plain file name (no directory), for the incoming directory. */
static bool plain_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

int ppctl_read_incoming(struct ppctl_ctx *ctx, const char *word, const char *file,
			char **pem, size_t *len, char *path, size_t pathlen)
{
	char dir[4096];
	int rc;

	if (!plain_name(file))
		return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
			    "\"%s\" value \"%s\" must be the name of a file in the incoming directory (no \"/\")",
			    word, file);
	if (pp_cert_incoming_dir(dir, sizeof(dir)) ||
	    snprintf(path, pathlen, "%s/%s", dir, file) >= (int)pathlen)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "state directory path too long");
	rc = pp_file_read(path, PP_CERT_FILE_MAX, pem, len);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", path,
			    pp_file_strerror(rc));
	return 0;
}

int ppctl_do_cert_install(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	enum pp_cert_tag tag = tag_of(cmd->choice);
	char path[8192], err[512];
	struct pp_cert_info info;
	size_t len;
	char *pem;

	if (ppctl_read_incoming(ctx, "install", cmd->file, &pem, &len, path, sizeof(path)))
		return ctx->err.code;
	if (pp_cert_install(tag, pem, len, err, sizeof(err)) ||
	    pp_cert_inspect(pem, len, &info, err, sizeof(err))) {
		OPENSSL_cleanse(pem, len);
		free(pem);
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", path, err);
	}
	OPENSSL_cleanse(pem, len);
	free(pem);
	fprintf(ctx->out, "installed %s as %s\n", cmd->file, pp_cert_tag_name(tag));
	print_summary(ctx->out, pp_cert_tag_name(tag), &info);
	return ppctl_tell(ctx, PP_CTL_HTTPD, pp_cert_tag_name(tag));
}

static int read_pem(const char *path, struct pp_cert_info *info, char *err,
		    size_t errlen)
{
	size_t len;
	char *pem;
	int rc = pp_file_read(path, PP_CERT_FILE_MAX, &pem, &len);

	if (rc) {
		snprintf(err, errlen, "%s", pp_file_strerror(rc));
		return -1;
	}
	rc = pp_cert_inspect(pem, len, info, err, errlen);
	OPENSSL_cleanse(pem, len);
	free(pem);
	return rc;
}

static int list_dir(struct ppctl_ctx *ctx, struct pp_json *j, const char *title,
		    const char *dir, bool installed)
{
	struct dirent **names;
	int n, i;

	n = scandir(dir, &names, NULL, alphasort);
	if (!j)
		fprintf(ctx->out, "%s (%s):\n", title, dir);
	if (n < 0) {
		if (!j)
			fprintf(ctx->out, "  (none)\n");
		return errno == ENOENT ? 0 : -1;
	}
	if (!j && n <= 2)
		fprintf(ctx->out, "  (none)\n");
	for (i = 0; i < n; i++) {
		char path[8192], err[256];
		struct pp_cert_info info;
		const char *name = names[i]->d_name;
		bool ok;

		if (name[0] == '.' ||
		    (installed && (strlen(name) < 5 || strcmp(name + strlen(name) - 4, ".pem")))) {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		ok = read_pem(path, &info, err, sizeof(err)) == 0;
		if (j) {
			pp_json_obj_begin(j);
			pp_json_kv_str(j, "file", name);
			pp_json_kv_bool(j, "installed", installed);
			if (ok) {
				pp_json_kv_str(j, "subject", info.subject);
				pp_json_kv_str(j, "not_after", info.not_after);
				pp_json_kv_u64(j, "key_bits", (uint64_t)info.key_bits);
				pp_json_kv_str(j, "sha256", info.sha256);
			} else {
				pp_json_kv_str(j, "error", err);
			}
			pp_json_obj_end(j);
		} else if (ok) {
			print_summary(ctx->out, name, &info);
		} else {
			fprintf(ctx->out, "  %-20s unreadable: %s\n", name, err);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

static int show_certs(struct ppctl_ctx *ctx, bool available)
{
	char in[4096], certs[4096], path[4096];
	struct pp_json j;
	int north, south;

	if (pp_cert_incoming_dir(in, sizeof(in)) || pp_cert_dir(certs, sizeof(certs)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "state directory path too long");
	if (ctx->json) {
		pp_json_init(&j, ctx->out);
		pp_json_arr_begin(&j);
	}
	if (available)
		list_dir(ctx, ctx->json ? &j : NULL, "available", in, false);
	list_dir(ctx, ctx->json ? &j : NULL, "installed", certs, true);
	if (ctx->json) {
		pp_json_arr_end(&j);
		fputc('\n', ctx->out);
		return PPCTL_EXIT_OK;
	}
	ppctl_show_sccp_certs(ctx);
	north = pp_cert_for_interface(true, path, sizeof(path));
	fprintf(ctx->out, "north serves %s\n", north ? "plain HTTP (no certificate)" :
		strrchr(path, '/') + 1);
	south = pp_cert_for_interface(false, path, sizeof(path));
	fprintf(ctx->out, "south serves %s\n", south ? "plain HTTP (no certificate)" :
		strrchr(path, '/') + 1);
	return PPCTL_EXIT_OK;
}

int ppctl_do_show_cert(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	(void)cmd;
	return show_certs(ctx, true);
}

int ppctl_do_show_cert_status(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	(void)cmd;
	return show_certs(ctx, false);
}

int ppctl_do_show_cert_file(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char in[4096], certs[4096], path[8192], err[256];
	struct pp_cert_info i;
	struct stat st;

	if (!plain_name(cmd->file))
		return ppctl_fail(ctx, PPCTL_EXIT_USAGE,
			    "\"certificate\" value \"%s\" must be a certificate's file name (no \"/\")",
			    cmd->file);
	if (pp_cert_incoming_dir(in, sizeof(in)) || pp_cert_dir(certs, sizeof(certs)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "state directory path too long");
	snprintf(path, sizeof(path), "%s/%s", in, cmd->file);
	if (stat(path, &st))
		snprintf(path, sizeof(path), "%s/%s", certs, cmd->file);
	if (stat(path, &st))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL,
			    "no certificate \"%s\" (neither available in %s nor installed in %s)",
			    cmd->file, in, certs);
	if (read_pem(path, &i, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", path, err);
	if (ctx->json) {
		struct pp_json j;

		pp_json_init(&j, ctx->out);
		pp_json_obj_begin(&j);
		pp_json_kv_str(&j, "file", path);
		pp_json_kv_str(&j, "subject", i.subject);
		pp_json_kv_str(&j, "issuer", i.issuer);
		pp_json_kv_str(&j, "serial", i.serial);
		pp_json_kv_str(&j, "not_before", i.not_before);
		pp_json_kv_str(&j, "not_after", i.not_after);
		pp_json_kv_str(&j, "subject_alt_names", i.sans);
		pp_json_kv_str(&j, "key_type", i.key_type);
		pp_json_kv_u64(&j, "key_bits", (uint64_t)i.key_bits);
		pp_json_kv_bool(&j, "self_signed", i.self_signed);
		pp_json_kv_bool(&j, "private_key", i.has_key);
		pp_json_kv_str(&j, "sha256", i.sha256);
		pp_json_kv_str(&j, "sha1", i.sha1);
		pp_json_obj_end(&j);
		fputc('\n', ctx->out);
		return PPCTL_EXIT_OK;
	}
	fprintf(ctx->out,
		"file:         %s\nsubject:      %s\nissuer:       %s\nserial:       %s\n"
		"valid from:   %s\nvalid until:  %s%s\nalt names:    %s\nkey:          %s %d bits%s\n"
		"chain:        %d certificate%s\nSHA-256:      %s\nSHA-1:        %s\n",
		path, i.subject, i.issuer, i.serial, i.not_before, i.not_after,
		i.expires && i.expires <= time(NULL) ? " (EXPIRED)" : "",
		i.sans[0] ? i.sans : "(none)", i.key_type, i.key_bits,
		!i.has_key ? ", no private key in the file" :
		i.key_matches ? ", private key present" : ", private key does NOT match",
		i.chain, i.chain == 1 ? "" : "s", i.sha256, i.sha1);
	return PPCTL_EXIT_OK;
}

static int delete_in(struct ppctl_ctx *ctx, const char *dir, const char *pattern,
		     int *count)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return errno == ENOENT ? 0 : ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", dir,
						  strerror(errno));
	while ((e = readdir(d))) {
		char path[8192];

		if (e->d_name[0] == '.' || fnmatch(pattern, e->d_name, FNM_PERIOD))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path)) {
			int saved = errno;

			closedir(d);
			return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", path, strerror(saved));
		}
		fprintf(ctx->out, "deleted %s\n", path);
		(*count)++;
	}
	closedir(d);
	return PPCTL_EXIT_OK;
}

int ppctl_do_delete_cert(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char in[4096], certs[4096];
	int count = 0, rc;

	if (pp_cert_incoming_dir(in, sizeof(in)) || pp_cert_dir(certs, sizeof(certs)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "state directory path too long");
	rc = delete_in(ctx, in, cmd->text, &count);
	if (!rc)
		rc = delete_in(ctx, certs, cmd->text, &count);
	if (!rc && !count)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL,
			    "no certificate matches \"%s\" (see \"show certificate\")", cmd->text);
	return rc ? rc : ppctl_tell(ctx, PP_CTL_HTTPD, cmd->text);
}

/* ---- the administrator's password ---- */

/* One line from the terminal without echo, or from stdin. */
static int read_secret(const char *prompt, char *buf, size_t len)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n < 0) {
		free(line);
		return -1;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if ((size_t)n >= len) {
		OPENSSL_cleanse(line, cap);
		free(line);
		return -2;
	}
	memcpy(buf, line, (size_t)n + 1);
	OPENSSL_cleanse(line, cap);
	free(line);
	return 0;
}

/* When a password is set, the old one must be given first. */
static int check_old(struct ppctl_ctx *ctx)
{
	char seed[64], hash[PP_PW_HASH_MAX + 8], old[PP_PW_MAX + 2];
	int rc = pp_admin_pw_read(seed, sizeof(seed), hash, sizeof(hash));

	if (rc == -ENOENT)
		return PPCTL_EXIT_OK;
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL,
			    "the stored administrator password cannot be read: %s",
			    rc == -EINVAL ? "malformed" : strerror(-rc));
	if (read_secret("Enter old Password: ", old, sizeof(old)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "no old password given");
	rc = pp_pw_verify(old, seed, hash, NULL, 0) == PP_PW_MATCH;
	OPENSSL_cleanse(old, sizeof(old));
	if (!rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "the old password is wrong");
	return PPCTL_EXIT_OK;
}

int ppctl_do_set_password(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char pw[PP_PW_MAX + 2], again[PP_PW_MAX + 2], why[256];
	char seed[PP_PW_SEED_LEN + 1], hash[PP_PW_HASH_MAX];
	int rc;

	(void)cmd;
	rc = check_old(ctx);
	if (rc)
		return rc;
	rc = read_secret("Enter new Password: ", pw, sizeof(pw));
	if (rc == -2)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "the password is longer than %d characters",
			    PP_PW_MAX);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "no new password given");
	if (read_secret("Repeat new Password: ", again, sizeof(again)) ||
	    strcmp(pw, again)) {
		OPENSSL_cleanse(pw, sizeof(pw));
		OPENSSL_cleanse(again, sizeof(again));
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "the two new passwords differ; nothing changed");
	}
	OPENSSL_cleanse(again, sizeof(again));
	if (pp_pw_strength(pw, why, sizeof(why))) {
		OPENSSL_cleanse(pw, sizeof(pw));
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "password not strong enough: %s", why);
	}
	rc = pp_pw_hash(pw, 0, seed, hash);
	OPENSSL_cleanse(pw, sizeof(pw));
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "cannot hash the password");
	rc = pp_admin_pw_write(seed, hash);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "cannot store the password: %s", strerror(-rc));
	fprintf(ctx->out, "Password changed (the activation web service's \"admin\")\n");
	return ppctl_tell(ctx, PP_CTL_HTTPD, "password");
}

int ppctl_do_unset_password(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	int rc;

	(void)cmd;
	rc = check_old(ctx);
	if (rc)
		return rc;
	rc = pp_admin_pw_remove();
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "cannot remove the password: %s", strerror(-rc));
	fprintf(ctx->out, "Password removed: the web service's login is refused until one is set\n");
	return ppctl_tell(ctx, PP_CTL_HTTPD, "password");
}
