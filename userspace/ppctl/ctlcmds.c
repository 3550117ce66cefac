// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * ppctl's secure SCCP commands (docs/ctl.md): the proxy's tftp and capf
 * certificates ("set phoneproxy sccp security on" makes them once, "set
 * certificate regenerate" replaces one), the SAST keys that stand for the
 * guide's two eTokens, and the Certificate Trust List the phones fetch
 * (CTLFile.tlv and one CTLSEP<MAC>.tlv per published user).
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cert.h"
#include "cluster.h"
#include "conf.h"
#include "ctlsock.h"
#include "exec.h"
#include "file.h"
#include "json.h"
#include "log.h"
#include "nl.h"
#include "ops.h"
#include "parse.h"
#include "tlv.h"
#include "users_xml.h"

static const char *const sast_names[2] = { "sast1", "sast2" };

static int need_root(struct ppctl_ctx *ctx, const char *what)
{
	if (geteuid() == 0)
		return 0;
	return ppctl_fail(ctx, PPCTL_EXIT_FAIL,
			  "%s: permission denied: the proxy's keys are root's (run ppctl as root)",
			  what);
}

/* The north address from the module's configuration, 0 if unknown. */
static uint32_t north_addr(struct ppctl_ctx *ctx)
{
	struct pp_config cfg;
	char err[256];

	if ((ctx->nl || pp_nl_open(&ctx->nl, err, sizeof(err)) == 0) &&
	    pp_config_get(ctx->nl, &cfg) == 0)
		return cfg.north_addr;
	return 0;
}

static void print_cert_details(FILE *f, const char *indent, const struct pp_cert_info *i)
{
	fprintf(f, "%ssubject:  %s\n%sserial:   %s\n%svalid:    %s until %s%s\n"
		"%sSHA-1:    %s\n%sSHA-256:  %s\n",
		indent, i->subject, indent, i->serial, indent, i->not_before, i->not_after,
		i->expires && i->expires <= time(NULL) ? " (EXPIRED)" : "",
		indent, i->sha1, indent, i->sha256);
}

static int inspect_file(const char *path, struct pp_cert_info *info, char *err, size_t errlen)
{
	size_t len;
	char *pem;
	int rc = pp_file_read(path, PP_CERT_FILE_MAX, &pem, &len);

	if (rc)
		return pp_errf(err, errlen, "%s: %s", path, strerror(-rc));
	rc = pp_cert_inspect(pem, len, info, err, errlen);
	OPENSSL_cleanse(pem, len);
	free(pem);
	return rc;
}

static int ensure_one(struct ppctl_ctx *ctx, enum pp_cert_tag tag, uint32_t north,
		      bool regenerate)
{
	char err[512], path[4096];
	struct pp_cert_info info;
	bool made;

	if (pp_cert_ensure(tag, north, regenerate, &made, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "the %s certificate: %s",
				  pp_cert_tag_name(tag), err);
	if (!made)
		return PPCTL_EXIT_OK;
	if (pp_cert_path(tag, path, sizeof(path)) ||
	    inspect_file(path, &info, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "the %s certificate: %s",
				  pp_cert_tag_name(tag), err);
	fprintf(ctx->out, "generated the %s certificate (RSA %d, self-signed) in %s\n",
		pp_cert_tag_name(tag), info.key_bits, path);
	print_cert_details(ctx->out, "  ", &info);
	return PPCTL_EXIT_OK;
}

/*
 * Tell this node's pp-clusterd (docs/cluster.md): "certs" (announce this
 * node's certificates) or "ctl" (replicate the CTL built here). None
 * running: a node alone, nothing to do.
 */
static int tell_cluster(struct ppctl_ctx *ctx, const char *req, const char *what)
{
	char reply[1024];
	int rc = pp_ctl_ask_wait(PP_CTL_CLUSTERD, req, reply, sizeof(reply), 60);

	if (rc == -ENOENT || (rc >= 0 && !strcmp(reply, "ok\n")))
		return PPCTL_EXIT_OK;
	return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: done here, but pp-clusterd did not take it: %s",
			  what, rc < 0 ? strerror(-rc) :
			  strncmp(reply, "error ", 6) ? reply : reply + 6);
}

int ppctl_sccp_security_certs(struct ppctl_ctx *ctx)
{
	uint32_t north;

	if (need_root(ctx, "set phoneproxy sccp security on"))
		return ctx->err.code;
	north = north_addr(ctx);
	if (ensure_one(ctx, PP_CERT_TFTP, north, false) ||
	    ensure_one(ctx, PP_CERT_CAPF, north, false))
		return ctx->err.code;
	/* The other nodes' CTL lists them: announced (again) to the cluster. */
	return tell_cluster(ctx, "certs", "the certificates");
}

int ppctl_do_cert_regenerate(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	enum pp_cert_tag tag = cmd->choice == 1 ? PP_CERT_CAPF : PP_CERT_TFTP;

	if (need_root(ctx, "set certificate regenerate"))
		return ctx->err.code;
	if (ensure_one(ctx, tag, north_addr(ctx), true) ||
	    tell_cluster(ctx, "certs", "the certificates"))
		return ctx->err.code;
	fprintf(ctx->out, "the CTL still lists the old %s certificate: rebuild it "
		"(\"set ctl build\") and reset the phones\n", pp_cert_tag_name(tag));
	/* pp-tlsd serves the tftp certificate: the new one from now on. */
	return tag == PP_CERT_TFTP ? ppctl_tell(ctx, PP_CTL_TLSD, "tftp certificate") :
		PPCTL_EXIT_OK;
}

/* The other nodes' certificates pp-clusterd keeps (peers/<uuid>/). */
static void show_peer_certs(struct ppctl_ctx *ctx)
{
	char dir[4096], path[8192], err[512], *txt;
	struct dirent *e;
	size_t len;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/peers", pp_state_dir());
	d = opendir(dir);
	if (!d)
		return;
	fprintf(ctx->out, "secure SCCP, the other cluster nodes' (kept by pp-clusterd):\n");
	while ((e = readdir(d))) {
		static const char *const files[] = { "tftp", "capf" };
		unsigned int node = 0;
		char north[PP_IPV4_STRLEN] = "-";
		size_t i;

		if (!pp_cluster_uuid_ok(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s/node", dir, e->d_name);
		if (!pp_file_read(path, 256, &txt, &len)) {
			if (sscanf(txt, "node %u\nnorth %15s", &node, north) < 1)
				node = 0;
			free(txt);
		}
		fprintf(ctx->out, "  node %u, uuid %s, north %s\n", node, e->d_name, north);
		for (i = 0; i < 2; i++) {
			struct pp_cert_info info;

			snprintf(path, sizeof(path), "%s/%s/%s.pem", dir, e->d_name, files[i]);
			if (inspect_file(path, &info, err, sizeof(err))) {
				fprintf(ctx->out, "    %s: %s\n", files[i], err);
				continue;
			}
			fprintf(ctx->out, "    %s: %s, serial %s, SHA-1 %s\n", files[i], info.subject,
				info.serial, info.sha1);
		}
	}
	closedir(d);
}

/* Details of the secure SCCP certificates, for "show certificate". */
void ppctl_show_sccp_certs(struct ppctl_ctx *ctx)
{
	static const enum pp_cert_tag tags[] = { PP_CERT_TFTP, PP_CERT_CAPF };
	char uuid[40] = "", path[4096], err[512];
	struct stat st;
	size_t i;

	fprintf(ctx->out, "secure SCCP:\n");
	for (i = 0; i < 2; i++) {
		struct pp_cert_info info;

		if (pp_cert_path(tags[i], path, sizeof(path)))
			continue;
		if (stat(path, &st)) {
			fprintf(ctx->out, "  %s: none (\"set phoneproxy sccp security on\" makes it)\n",
				pp_cert_tag_name(tags[i]));
			continue;
		}
		if (inspect_file(path, &info, err, sizeof(err))) {
			fprintf(ctx->out, "  %s: unreadable: %s\n", pp_cert_tag_name(tags[i]), err);
			continue;
		}
		fprintf(ctx->out, "  %s (%s %d):\n", pp_cert_tag_name(tags[i]), info.key_type,
			info.key_bits);
		print_cert_details(ctx->out, "    ", &info);
	}
	snprintf(path, sizeof(path), "%s/%s", pp_state_dir(), PP_UUID_FILE);
	if (!stat(path, &st) && !pp_proxy_uuid(uuid, sizeof(uuid), err, sizeof(err)))
		fprintf(ctx->out, "  proxy uuid: %s\n", uuid);
	show_peer_certs(ctx);
}

/* ---- SAST keys ---- */

static int sast_path(int which, char *buf, size_t len)
{
	char dir[4096];

	if (pp_ctl_dir(dir, sizeof(dir)))
		return -1;
	return snprintf(buf, len, "%s/%s.pem", dir, sast_names[which]) >= (int)len ? -1 : 0;
}

static int ctl_mkdir(struct ppctl_ctx *ctx)
{
	char dir[4096];
	int rc;

	if (pp_ctl_dir(dir, sizeof(dir)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "state directory path too long");
	rc = pp_mkdir_p(dir, 0700);
	if (rc || chmod(dir, 0700))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", dir, strerror(rc ? -rc : errno));
	return 0;
}

/* Check a SAST key file's PEM and write it. */
static int sast_write(struct ppctl_ctx *ctx, int which, const char *pem, size_t len,
		      const char *from)
{
	struct pp_cert_info info;
	char path[4096], err[512];
	int rc;

	if (pp_cert_inspect(pem, len, &info, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", from, err);
	if (!info.has_key || !info.key_matches)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL,
				  "%s: %s (a SAST key file holds the private key and its certificate, PEM)",
				  from, info.has_key ? "the private key is not the certificate's key" :
				  "no private key");
	if (strcmp(info.key_type, "RSA") || info.key_bits < 1024 || info.key_bits > 4096 ||
	    info.key_bits % 512)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL,
				  "%s: a %s key of %d bits; the phones verify RSA of 1024, 2048 or 4096 bits",
				  from, info.key_type, info.key_bits);
	if (info.expires && info.expires <= time(NULL))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: it expired on %s", from, info.not_after);
	if (ctl_mkdir(ctx))
		return ctx->err.code;
	if (sast_path(which, path, sizeof(path)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "state directory path too long");
	rc = pp_file_write_atomic(path, pem, len, 0600);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", path, strerror(-rc));
	fprintf(ctx->out, "%s: %s\n", sast_names[which], path);
	print_cert_details(ctx->out, "  ", &info);
	return PPCTL_EXIT_OK;
}

static int sast_absent(struct ppctl_ctx *ctx, int which)
{
	char path[4096];
	struct stat st;

	if (sast_path(which, path, sizeof(path)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "state directory path too long");
	if (stat(path, &st) == 0)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL,
				  "%s exists (%s): a SAST key is not replaced in passing; "
				  "\"delete ctl sast %s\" first (phones accept a new CTL only if "
				  "it is signed by a SAST key their CTL holds)",
				  sast_names[which], path, sast_names[which]);
	return 0;
}

int ppctl_do_ctl_sast_generate(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	int which = cmd->choice == 1;
	char uuid[40], cn[64], err[512], *pem;
	size_t len;
	int rc;

	if (need_root(ctx, "set ctl sast") || sast_absent(ctx, which))
		return ctx->err.code;
	if (pp_proxy_uuid(uuid, sizeof(uuid), err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err);
	snprintf(cn, sizeof(cn), "SAST%d %s", which + 1, uuid);
	if (pp_cert_selfsigned(2048, cn, NULL, 0, &pem, &len, err, sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "set ctl sast %s generate: %s",
				  sast_names[which], err);
	rc = sast_write(ctx, which, pem, len, "the generated key");
	OPENSSL_cleanse(pem, len);
	free(pem);
	return rc;
}

int ppctl_do_ctl_sast_import(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	int which = cmd->choice == 1;
	char path[8192], *pem;
	size_t len;
	int rc;

	if (need_root(ctx, "set ctl sast") || sast_absent(ctx, which))
		return ctx->err.code;
	if (ppctl_read_incoming(ctx, "import", cmd->file, &pem, &len, path, sizeof(path)))
		return ctx->err.code;
	rc = sast_write(ctx, which, pem, len, path);
	OPENSSL_cleanse(pem, len);
	free(pem);
	return rc;
}

int ppctl_do_ctl_sast_delete(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	int which = cmd->choice == 1;
	char path[4096];

	if (need_root(ctx, "delete ctl sast"))
		return ctx->err.code;
	if (sast_path(which, path, sizeof(path)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "state directory path too long");
	if (unlink(path))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", path,
				  errno == ENOENT ? "no such SAST key" : strerror(errno));
	fprintf(ctx->out, "deleted %s; the phones' CTL still lists it: sign the next CTL "
		"with the other SAST key\n", sast_names[which]);
	return PPCTL_EXIT_OK;
}

/* ---- the CTL ---- */

struct loaded {
	EVP_PKEY *key;
	X509 *cert;
};

static int load_pem(const char *path, bool want_key, struct loaded *l, char *err,
		    size_t errlen)
{
	char *pem;
	size_t len;
	BIO *b;
	int rc = pp_file_read(path, PP_CERT_FILE_MAX, &pem, &len);

	memset(l, 0, sizeof(*l));
	if (rc)
		return rc == -ENOENT ? 1 : pp_errf(err, errlen, "%s: %s", path, strerror(-rc));
	b = BIO_new_mem_buf(pem, (int)len);
	if (b)
		l->cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	if (want_key) {
		b = BIO_new_mem_buf(pem, (int)len);
		if (b)
			l->key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
		BIO_free(b);
	}
	OPENSSL_cleanse(pem, len);
	free(pem);
	if (!l->cert || (want_key && !l->key)) {
		X509_free(l->cert);
		EVP_PKEY_free(l->key);
		memset(l, 0, sizeof(*l));
		return pp_errf(err, errlen, "%s: no PEM %s", path,
			       want_key ? "key and certificate" : "certificate");
	}
	return 0;
}

static void loaded_free(struct loaded *l)
{
	X509_free(l->cert);
	EVP_PKEY_free(l->key);
	memset(l, 0, sizeof(*l));
}

/* Another node's certificates, as pp-clusterd keeps them (peers/<uuid>/). */
struct peer_certs {
	unsigned int node;
	char north[PP_IPV4_STRLEN];
	struct loaded tftp, capf;
};

#define PEERS_MAX	((PP_CTL_RECORDS_MAX - 4) / 2)

static int cmp_peer(const void *a, const void *b)
{
	const struct peer_certs *x = a, *y = b;

	return x->node < y->node ? -1 : x->node > y->node;
}

/* The other nodes' certificates: *n of them, sorted by node id. */
static int load_peers(struct peer_certs *peers, size_t *n, char *err, size_t errlen)
{
	char dir[4096], path[8192], mine[40] = "", why[256], *txt;
	struct dirent *e;
	size_t len;
	DIR *d;
	int rc = 0;

	*n = 0;
	snprintf(dir, sizeof(dir), "%s/peers", pp_state_dir());
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : pp_errf(err, errlen, "%s: %s", dir, strerror(errno));
	pp_proxy_uuid(mine, sizeof(mine), why, sizeof(why));
	while (!rc && (e = readdir(d))) {
		struct peer_certs *p = &peers[*n];
		uint32_t a;

		if (!pp_cluster_uuid_ok(e->d_name) || !strcmp(e->d_name, mine))
			continue;
		if (*n == PEERS_MAX) {
			rc = pp_errf(err, errlen, "%s: more than %d other nodes: a CTL holds %d records",
				     dir, PEERS_MAX, PP_CTL_RECORDS_MAX);
			break;
		}
		memset(p, 0, sizeof(*p));
		snprintf(path, sizeof(path), "%s/%s/node", dir, e->d_name);
		if (pp_file_read(path, 256, &txt, &len)) {
			rc = pp_errf(err, errlen, "%s: unreadable", path);
			break;
		}
		if (sscanf(txt, "node %u\nnorth %15s", &p->node, p->north) != 2 ||
		    pp_parse_ipv4(p->north, &a)) {
			free(txt);
			rc = pp_errf(err, errlen, "%s: node %u's north address is unknown (the CTL gives it to the phones): set it there",
				     path, p->node);
			break;
		}
		free(txt);
		snprintf(path, sizeof(path), "%s/%s/tftp.pem", dir, e->d_name);
		if (load_pem(path, false, &p->tftp, err, errlen)) {
			rc = -1;
			break;
		}
		snprintf(path, sizeof(path), "%s/%s/capf.pem", dir, e->d_name);
		if (load_pem(path, false, &p->capf, err, errlen) || !p->tftp.cert || !p->capf.cert) {
			loaded_free(&p->tftp);
			loaded_free(&p->capf);
			rc = pp_errf(err, errlen, "%s/%s: a certificate is missing", dir, e->d_name);
			break;
		}
		(*n)++;
	}
	closedir(d);
	qsort(peers, *n, sizeof(*peers), cmp_peer);
	return rc;
}

/* Read and verify a CTL file: 0 parsed, 1 absent, -1 err. */
static int read_ctl(const char *path, struct pp_ctl *ctl, char *err, size_t errlen)
{
	char *buf, why[512];
	size_t len;
	int rc = pp_file_read(path, PP_TLV_FILE_MAX, &buf, &len);

	memset(ctl, 0, sizeof(*ctl));
	if (rc == -ENOENT)
		return 1;
	if (rc)
		return pp_errf(err, errlen, "%s: %s", path, strerror(-rc));
	rc = pp_ctl_parse((unsigned char *)buf, len, ctl, why, sizeof(why));
	free(buf);
	if (rc)
		return pp_errf(err, errlen, "%s: %s", path, why);
	return 0;
}

static bool sid_ok(const char *sid)
{
	size_t i;

	if (strncmp(sid, "SEP", 3) || strlen(sid) != 15)
		return false;
	for (i = 3; i < 15; i++)
		if (!strchr("0123456789ABCDEF", sid[i]))
			return false;
	return true;
}

/* The published users' SIDs (users.xml's state copy); *n 0 when none. */
static int published_sids(char (**sids)[16], size_t *n, char *err, size_t errlen)
{
	char path[4096], *buf, why[1024];
	struct pp_users *u;
	size_t len, i, j;
	int rc;

	*sids = NULL;
	*n = 0;
	if (pp_conf_users_path(path, sizeof(path)))
		return pp_errf(err, errlen, "state directory path too long");
	rc = pp_file_read(path, PP_USERS_FILE_MAX, &buf, &len);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return pp_errf(err, errlen, "%s: %s", path, strerror(-rc));
	rc = pp_users_parse_memory(buf, len, path, &u, why, sizeof(why));
	free(buf);
	if (rc)
		return pp_errf(err, errlen, "%s", why);
	*sids = calloc(u->nusers ? u->nusers : 1, sizeof(**sids));
	if (!*sids) {
		pp_users_free(u);
		return pp_errf(err, errlen, "out of memory");
	}
	for (i = 0; i < u->nusers; i++) {
		const char *sid = u->users[i].sid;

		if (!sid_ok(sid))
			continue;
		for (j = 0; j < *n && strcmp((*sids)[j], sid); j++)
			;
		if (j == *n)
			snprintf((*sids)[(*n)++], 16, "%s", sid);
	}
	pp_users_free(u);
	return 0;
}

/* Remove CTLSEP*.tlv files of SIDs no longer published. */
static void remove_stale(const char *dir, char (*sids)[16], size_t n)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t i;

		if (fnmatch("CTLSEP*.tlv", e->d_name, 0))
			continue;
		for (i = 0; i < n; i++) {
			char name[64];

			snprintf(name, sizeof(name), "CTL%s.tlv", sids[i]);
			if (!strcmp(name, e->d_name))
				break;
		}
		if (i == n)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

static int write_ctl(struct ppctl_ctx *ctx, const char *dir, const char *name,
		     const struct pp_ctl_record *recs, size_t n, struct loaded *signer, time_t now)
{
	char path[4096], err[512];
	unsigned char *out;
	size_t len;
	int rc;

	if (pp_ctl_build(recs, n, signer->key, signer->cert, name, now, &out, &len, err,
			 sizeof(err)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", name, err);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	rc = pp_file_write_atomic(path, out, len, 0644);
	free(out);
	if (rc)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s: %s", path, strerror(-rc));
	return 0;
}

int ppctl_do_ctl_build(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	bool force = strstr(cmd->def->words, " force") != NULL;
	struct pp_ctl_record recs[PP_CTL_RECORDS_MAX];
	struct peer_certs peers[PEERS_MAX];
	struct loaded sast[2] = { 0 }, tftp = { 0 }, capf = { 0 };
	struct pp_ctl old;
	char dir[4096], path[8192], err[1024], a[PP_IPV4_STRLEN], (*sids)[16] = NULL;
	size_t n = 0, nsids = 0, npeers = 0, i;
	int signer = cmd->choice, have_old = 0, rc;
	uint32_t north;
	time_t now = time(NULL);

	memset(recs, 0, sizeof(recs));
	memset(&old, 0, sizeof(old));
	if (need_root(ctx, "set ctl build"))
		return ctx->err.code;
	if (pp_ctl_dir(dir, sizeof(dir)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "state directory path too long");
	/* Everything is read and checked before a file is written. */
	for (i = 0; i < 2; i++) {
		if (sast_path((int)i, path, sizeof(path)))
			return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "state directory path too long");
		rc = load_pem(path, true, &sast[i], err, sizeof(err));
		if (rc < 0) {
			ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err);
			goto out;
		}
	}
	if (!sast[0].cert && !sast[1].cert) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL,
			   "no SAST key: \"set ctl sast sast1 generate\" (or import) first, "
			   "ideally sast2 too");
		goto out;
	}
	if (signer >= 0 && !sast[signer].cert) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "signer %s: no such SAST key (%s/%s.pem)",
			   sast_names[signer], dir, sast_names[signer]);
		goto out;
	}
	if (pp_cert_path(PP_CERT_TFTP, path, sizeof(path)) ||
	    load_pem(path, false, &tftp, err, sizeof(err)) ||
	    pp_cert_path(PP_CERT_CAPF, path, sizeof(path)) ||
	    load_pem(path, false, &capf, err, sizeof(err)) || !tftp.cert || !capf.cert) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s",
			   tftp.cert && capf.cert ? err :
			   "the proxy's tftp and capf certificates are missing: "
			   "\"set phoneproxy sccp security on\" makes them");
		goto out;
	}
	north = north_addr(ctx);
	if (!north) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL,
			   "the north address is unknown (the CTL gives it to the phones): "
			   "\"set interface north address <ip>\" first");
		goto out;
	}
	for (i = 0; i < 2; i++) {
		if (!sast[i].cert)
			continue;
		recs[n].role = PP_ROLE_SAST;
		recs[n++].cert = sast[i].cert;
	}
	recs[n].role = PP_ROLE_CCM_TFTP;
	recs[n].cert = tftp.cert;
	snprintf(recs[n++].ip, sizeof(recs[0].ip), "%s", pp_ipv4_str(north, a));
	recs[n].role = PP_ROLE_CAPF;
	recs[n++].cert = capf.cert;
	/* The cluster's other nodes, as pp-clusterd keeps their certificates. */
	if (load_peers(peers, &npeers, err, sizeof(err))) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "the other nodes' certificates: %s", err);
		goto out;
	}
	for (i = 0; i < npeers; i++) {
		recs[n].role = PP_ROLE_CCM_TFTP;
		recs[n].cert = peers[i].tftp.cert;
		snprintf(recs[n++].ip, sizeof(recs[0].ip), "%s", peers[i].north);
		recs[n].role = PP_ROLE_CAPF;
		recs[n++].cert = peers[i].capf.cert;
	}

	snprintf(path, sizeof(path), "%s/%s", dir, PP_CTL_FILE);
	have_old = read_ctl(path, &old, err, sizeof(err));
	if (have_old < 0 && !force) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL,
			   "the current CTL cannot be read (%s): the phones' CTL is unknown; "
			   "\"set ctl build force\" replaces it, then delete the CTL on every phone",
			   err);
		goto out;
	}
	/* No signer named: one the phones' CTL holds, sast1 first. */
	if (signer < 0) {
		for (i = 0; i < 2 && signer < 0; i++) {
			size_t k;

			if (!sast[i].cert)
				continue;
			if (have_old != 0) {
				signer = (int)i;
				break;
			}
			for (k = 0; k < old.n; k++)
				if (old.rec[k].role == PP_ROLE_SAST &&
				    !X509_cmp(old.rec[k].cert, sast[i].cert))
					signer = (int)i;
		}
		if (signer < 0)
			signer = sast[0].cert ? 0 : 1;
	}
	if (have_old == 0 && !force) {
		struct pp_ctl fresh = { 0 };

		/* pp_ctl_may_replace judges the new CTL by its signer. */
		fresh.n = n;
		memcpy(fresh.rec, recs, n * sizeof(recs[0]));
		for (i = 0; i < n; i++)
			if (recs[i].role == PP_ROLE_SAST && recs[i].cert == sast[signer].cert)
				fresh.signer = i;
		if (pp_ctl_may_replace(&old, &fresh, err, sizeof(err))) {
			ppctl_fail(ctx, PPCTL_EXIT_FAIL,
				   "refused: %s. To start over: delete the CTL on each phone "
				   "(Settings > Security Configuration > CTL File, **# to unlock, "
				   "More > Erase), then \"set ctl build signer %s force\"",
				   err, sast_names[signer]);
			goto out;
		}
	}
	if (published_sids(&sids, &nsids, err, sizeof(err))) {
		ppctl_fail(ctx, PPCTL_EXIT_FAIL, "the published users: %s", err);
		goto out;
	}
	if (ctl_mkdir(ctx) ||
	    write_ctl(ctx, dir, PP_CTL_FILE, recs, n, &sast[signer], now))
		goto out;
	for (i = 0; i < nsids; i++) {
		char name[64];

		snprintf(name, sizeof(name), "CTL%s.tlv", sids[i]);
		if (write_ctl(ctx, dir, name, recs, n, &sast[signer], now))
			goto out;
	}
	remove_stale(dir, sids, nsids);
	fprintf(ctx->out, "built %s/%s: %zu records (%zu node%s), signed by %s; %zu per-phone CTL%s\n",
		dir, PP_CTL_FILE, n, npeers + 1, npeers ? "s" : "", sast_names[signer], nsids,
		nsids == 1 ? "" : "s");
	fprintf(ctx->out, "reset the phones (Settings, **#**) to load it\n");
	/* Every node of the cluster serves it (docs/cluster.md). */
	ctx->err.code = tell_cluster(ctx, "ctl", "the CTL");
out:
	for (i = 0; i < npeers; i++) {
		loaded_free(&peers[i].tftp);
		loaded_free(&peers[i].capf);
	}
	pp_ctl_free(&old);
	for (i = 0; i < 2; i++)
		loaded_free(&sast[i]);
	loaded_free(&tftp);
	loaded_free(&capf);
	free(sids);
	return ctx->err.code;
}

static const char *role_name(enum pp_tlv_role r)
{
	switch ((int)r) {
	case PP_ROLE_SAST: return "SAST";
	case PP_ROLE_CCM: return "CCM";
	case PP_ROLE_CCM_TFTP: return "CCM+TFTP";
	case PP_ROLE_TFTP: return "TFTP";
	case PP_ROLE_CAPF: return "CAPF";
	case 7: return "APP-SERVER";
	case 21: return "TVS";
	default: return "?";
	}
}

static void cert_info_of(X509 *x, struct pp_cert_info *info)
{
	char err[128], *data;
	long n;
	BIO *b = BIO_new(BIO_s_mem());

	memset(info, 0, sizeof(*info));
	if (!b)
		return;
	if (PEM_write_bio_X509(b, x)) {
		n = BIO_get_mem_data(b, &data);
		pp_cert_inspect(data, (size_t)n, info, err, sizeof(err));
	}
	BIO_free(b);
}

int ppctl_do_show_ctl(struct ppctl_ctx *ctx, const struct ppctl_cmd *cmd)
{
	char dir[4096], path[8192], err[1024], ts[32];
	struct pp_ctl c;
	struct pp_json j;
	struct tm tm;
	size_t i;
	int rc, k;

	(void)cmd;
	if (pp_ctl_dir(dir, sizeof(dir)))
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "state directory path too long");
	snprintf(path, sizeof(path), "%s/%s", dir, PP_CTL_FILE);
	rc = read_ctl(path, &c, err, sizeof(err));
	if (rc < 0)
		return ppctl_fail(ctx, PPCTL_EXIT_FAIL, "%s", err);
	if (ctx->json) {
		pp_json_init(&j, ctx->out);
		pp_json_obj_begin(&j);
		pp_json_kv_str(&j, "file", path);
		pp_json_kv_bool(&j, "present", rc == 0);
	} else if (rc) {
		fprintf(ctx->out, "no CTL (%s): \"set ctl build\" makes it\n", path);
	}
	if (rc == 0) {
		gmtime_r(&c.timestamp, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S UTC", &tm);
		if (ctx->json) {
			pp_json_kv_str(&j, "filename", c.filename);
			pp_json_kv_str(&j, "timestamp", ts);
			pp_json_kv_u64(&j, "signer", c.signer + 1);
			pp_json_key(&j, "records");
			pp_json_arr_begin(&j);
		} else {
			fprintf(ctx->out, "CTL %s (%s), signed %s by record %zu; signature verified\n",
				path, c.filename, ts, c.signer + 1);
		}
		for (i = 0; i < c.n; i++) {
			struct pp_cert_info info;

			cert_info_of(c.rec[i].cert, &info);
			if (ctx->json) {
				pp_json_obj_begin(&j);
				pp_json_kv_str(&j, "role", role_name(c.rec[i].role));
				pp_json_kv_str(&j, "subject", info.subject);
				pp_json_kv_str(&j, "serial", info.serial);
				pp_json_kv_str(&j, "address", c.rec[i].ip);
				pp_json_kv_str(&j, "sha1", info.sha1);
				pp_json_obj_end(&j);
				continue;
			}
			fprintf(ctx->out, "record %zu: %s\n", i + 1, role_name(c.rec[i].role));
			if (c.rec[i].ip[0])
				fprintf(ctx->out, "    address:  %s\n", c.rec[i].ip);
			print_cert_details(ctx->out, "    ", &info);
		}
		if (ctx->json)
			pp_json_arr_end(&j);
	}
	if (!ctx->json)
		fprintf(ctx->out, "SAST keys:\n");
	else {
		pp_json_key(&j, "sast");
		pp_json_arr_begin(&j);
	}
	for (k = 0; k < 2; k++) {
		struct pp_cert_info info;
		struct stat st;

		if (sast_path(k, path, sizeof(path)) || stat(path, &st))
			continue;
		if (inspect_file(path, &info, err, sizeof(err)))
			memset(&info, 0, sizeof(info));
		if (ctx->json) {
			pp_json_obj_begin(&j);
			pp_json_kv_str(&j, "name", sast_names[k]);
			pp_json_kv_str(&j, "serial", info.serial);
			pp_json_kv_str(&j, "sha1", info.sha1);
			pp_json_obj_end(&j);
		} else {
			fprintf(ctx->out, "  %s: %s, serial %s\n", sast_names[k], info.subject,
				info.serial);
		}
	}
	if (ctx->json) {
		pp_json_arr_end(&j);
		pp_json_obj_end(&j);
		fputc('\n', ctx->out);
	}
	if (rc == 0)
		pp_ctl_free(&c);
	return PPCTL_EXIT_OK;
}
