// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Secure SCCP across the cluster (docs/cluster.md "Certificates and the
 * CTL"):
 *
 * - each node's public tftp and capf certificates (CERTS): announced by
 *   the node itself whenever a process joins the group, when ppctl makes
 *   or regenerates them ("certs" on the control socket) and when its north
 *   address changes; a snapshot relays those of nodes that are not
 *   members now. Validated (lib/cluster_certs.c), then kept in
 *   $PP_STATE_DIR/peers/<uuid>/, where "set ctl build" finds them.
 * - the signed CTL files (CTL): "ppctl set ctl build" on any node tells
 *   this daemon ("ctl"); the files go out whole, in parts; every node,
 *   this one included, validates the set when its last part is delivered
 *   (each file a CTL whose signature verifies with a SAST record it
 *   lists) and installs it in $PP_STATE_DIR/ctl/, where pp-tftpd serves
 *   it. The last delivered wins everywhere; a joiner takes the
 *   snapshot's unless one was delivered since it joined.
 *
 * Neither is held back while a joiner waits for its snapshot: neither
 * depends on the activations, and each is whole in itself.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "cert.h"
#include "clusterd.h"
#include "conf.h"
#include "file.h"
#include "log.h"
#include "parse.h"
#include "tlv.h"

#define PEERS_DIR	"peers"

static const char *const roles[2] = { "tftp", "capf" };

/* ---- this node's certificates ---- */

/* The certificate of a key+certificate PEM file, as DER (malloc'd). */
static int own_der(enum pp_cert_tag tag, unsigned char **der, int *len)
{
	char path[4096], *pem;
	size_t plen;
	X509 *x = NULL;
	BIO *b;
	int rc;

	*der = NULL;
	if (pp_cert_path(tag, path, sizeof(path)))
		return -ENAMETOOLONG;
	rc = pp_file_read(path, PP_CERT_FILE_MAX, &pem, &plen);
	if (rc)
		return rc;
	b = BIO_new_mem_buf(pem, (int)plen);
	if (b)
		x = PEM_read_bio_X509(b, NULL, pp_no_passphrase, NULL);
	BIO_free(b);
	OPENSSL_cleanse(pem, plen);	/* the private key is in it too */
	free(pem);
	if (!x)
		return -EINVAL;
	*len = i2d_X509(x, der);
	X509_free(x);
	return *len > 0 ? 0 : -EINVAL;
}

void clusterd_certs_announce(struct clusterd *d, const char *why)
{
	struct pp_cluster_msg m = { .type = PP_CLUSTER_CERTS };
	unsigned char *der[2] = { NULL, NULL };
	char err[512];
	int len[2], rc, i;

	if (!d->joined)
		return;
	for (i = 0; i < 2; i++) {
		rc = own_der(i ? PP_CERT_CAPF : PP_CERT_TFTP, &der[i], &len[i]);
		if (rc) {
			if (rc != -ENOENT)
				pp_warn("Cluster: this node's %s certificate cannot be announced: %s",
					roles[i], strerror(-rc));
			goto out;	/* none yet: security never turned on here */
		}
		m.cert[i] = der[i];
		m.cert_len[i] = (uint16_t)(len[i] > PP_CLUSTER_CERT_MAX ? 0 : len[i]);
	}
	if (pp_proxy_uuid(m.uuid, sizeof(m.uuid), err, sizeof(err))) {
		pp_warn("Cluster: this node's certificates not announced: %s", err);
		goto out;
	}
	m.owner = d->node;
	m.north = d->north;
	/* What the others will check: say it here first. */
	if (pp_cluster_certs_check(&m, err, sizeof(err))) {
		pp_warn("Cluster: this node's certificates not announced: %s", err);
		goto out;
	}
	if (!clusterd_send(d, &m)) {
		d->st.certs_sent++;
		pp_info("Cluster: this node's certificates announced (%s)", why);
	}
out:
	OPENSSL_free(der[0]);
	OPENSSL_free(der[1]);
}

int clusterd_certs_ensure(struct clusterd *d)
{
	bool made[2] = { false, false };
	char err[512];
	int i;

	for (i = 0; i < 2; i++)
		if (pp_cert_ensure(i ? PP_CERT_CAPF : PP_CERT_TFTP, d->north, false, &made[i], err,
				   sizeof(err))) {
			pp_err("Cluster: secure SCCP turned on by the cluster, but this node's %s certificate cannot be made: %s",
			       roles[i], err);
			return -1;
		}
	if (made[0] || made[1]) {
		pp_notice("Cluster: secure SCCP turned on by the cluster: this node's tftp and capf certificates made");
		clusterd_certs_announce(d, "made");
	}
	return 0;
}

/* ---- the certificates of the other nodes ---- */

static int peer_path(char *buf, size_t len, const char *uuid, const char *file)
{
	int n = uuid ? snprintf(buf, len, "%s/%s/%s%s%s", pp_state_dir(), PEERS_DIR, uuid,
				file ? "/" : "", file ? file : "") :
		snprintf(buf, len, "%s/%s", pp_state_dir(), PEERS_DIR);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int der_to_pem(const unsigned char *der, size_t len, char **pem, size_t *plen)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	BIO *b = BIO_new(BIO_s_mem());
	char *data;
	long n;
	int rc = -ENOMEM;

	*pem = NULL;
	if (x && b && PEM_write_bio_X509(b, x)) {
		n = BIO_get_mem_data(b, &data);
		*pem = malloc((size_t)n);
		if (*pem) {
			memcpy(*pem, data, (size_t)n);
			*plen = (size_t)n;
			rc = 0;
		}
	}
	BIO_free(b);
	X509_free(x);
	return rc;
}

/* The node id another stored uuid holds, 0 if none (from its "node" file). */
static uint32_t stored_node(const char *uuid)
{
	char path[4096], *txt;
	unsigned int node = 0;
	size_t len;

	if (peer_path(path, sizeof(path), uuid, "node") ||
	    pp_file_read(path, 256, &txt, &len))
		return 0;
	if (sscanf(txt, "node %u", &node) != 1)
		node = 0;
	free(txt);
	return node;
}

static bool node_is_member(const struct clusterd *d, uint32_t node)
{
	size_t i;

	for (i = 0; i < d->n_members; i++)
		if (d->members[i].node == node)
			return true;
	return false;
}

/* Another stored uuid naming the same node: that node's old identity. */
static void forget_other_uuids(uint32_t node, const char *uuid)
{
	char path[4096], sub[4096];
	struct dirent *e;
	DIR *dp;

	if (peer_path(path, sizeof(path), NULL, NULL) || !(dp = opendir(path)))
		return;
	while ((e = readdir(dp))) {
		static const char *const files[] = { "tftp.pem", "capf.pem", "node" };
		size_t i;

		if (!pp_cluster_uuid_ok(e->d_name) || !strcmp(e->d_name, uuid) ||
		    stored_node(e->d_name) != node)
			continue;
		for (i = 0; i < 3; i++)
			if (!peer_path(sub, sizeof(sub), e->d_name, files[i]))
				unlink(sub);
		if (!peer_path(sub, sizeof(sub), e->d_name, NULL))
			rmdir(sub);
		pp_notice("Cluster: node %u's certificates of uuid %s forgotten: it is %s now",
			  node, e->d_name, uuid);
	}
	closedir(dp);
}

/* Keep m's certificates: 1 written, 0 held already, or -errno. */
static int store(const struct pp_cluster_msg *m)
{
	char path[4096], dir[4096], info[96], a[PP_IPV4_STRLEN], *pem, *old;
	size_t plen, olen;
	int i, rc, changed = 0;

	if (peer_path(dir, sizeof(dir), m->uuid, NULL))
		return -ENAMETOOLONG;
	rc = pp_mkdir_p(dir, 0755);
	if (rc)
		return rc;
	for (i = 0; i < 2; i++) {
		rc = der_to_pem(m->cert[i], m->cert_len[i], &pem, &plen);
		if (rc)
			return rc;
		snprintf(path, sizeof(path), "%.4000s/%s.pem", dir, roles[i]);
		if (!pp_file_read(path, PP_CERT_FILE_MAX, &old, &olen)) {
			bool same = olen == plen && !memcmp(old, pem, plen);

			free(old);
			if (same) {
				free(pem);
				continue;
			}
		}
		rc = pp_file_write_atomic(path, pem, plen, 0644);
		free(pem);
		if (rc)
			return rc;
		changed = 1;
	}
	snprintf(info, sizeof(info), "node %u\nnorth %s\n", m->owner,
		 m->north ? pp_ipv4_str(m->north, a) : "-");
	snprintf(path, sizeof(path), "%.4000s/node", dir);
	if (!pp_file_read(path, 256, &old, &olen)) {
		bool same = olen == strlen(info) && !memcmp(old, info, olen);

		free(old);
		if (same)
			return changed;
	}
	rc = pp_file_write_atomic(path, info, strlen(info), 0644);
	return rc ? rc : 1;
}

void clusterd_certs_deliver(struct clusterd *d, const struct pp_cluster_msg *m,
			    const struct clusterd_peer *p)
{
	char err[512], mine[40] = "";
	uint32_t other;
	int rc;

	if (m->nfor && (!clusterd_for_me(d, m) || node_is_member(d, m->owner)))
		return;		/* a relay for others, or a member that says it itself */
	if (pp_cluster_certs_check(m, err, sizeof(err))) {
		d->st.certs_dropped++;
		pp_warn("Cluster: certificates of node %u from node %u dropped: %s", m->owner,
			p->node, err);
		return;
	}
	if (m->owner == d->node && !m->nfor)
		return;		/* this node's own, back */
	if (!pp_proxy_uuid(mine, sizeof(mine), err, sizeof(err)) && !strcmp(mine, m->uuid)) {
		d->st.certs_dropped++;
		pp_warn("Cluster: certificates of node %u from node %u dropped: uuid %s is this node's",
			m->owner, p->node, m->uuid);
		return;
	}
	other = stored_node(m->uuid);
	if (other && other != m->owner && node_is_member(d, other)) {
		d->st.certs_dropped++;
		pp_warn("Cluster: certificates of node %u from node %u dropped: uuid %s is member node %u's",
			m->owner, p->node, m->uuid, other);
		return;
	}
	forget_other_uuids(m->owner, m->uuid);
	rc = store(m);
	if (rc < 0) {
		d->st.apply_failed++;
		pp_err("Cluster: certificates of node %u not kept: %s", m->owner, strerror(-rc));
		return;
	}
	d->st.certs_applied++;
	if (rc)		/* else held already, the same */
		pp_info("Cluster: certificates of node %u (uuid %s) kept%s", m->owner, m->uuid,
			m->nfor ? " (from the snapshot)" : "");
}

/* Relay, for joiners, the stored certificates of nodes not members now. */
static int relay_absent(struct clusterd *d, const struct pp_cluster_msg *forwho)
{
	struct pp_cluster_msg m = { .type = PP_CLUSTER_CERTS };
	char path[4096], *pem, *txt, a[32];
	unsigned char *der[2];
	struct dirent *e;
	size_t len;
	DIR *dp;
	int rc = 0, i, n;

	m.nfor = forwho->nfor;
	memcpy(m.forp, forwho->forp, sizeof(m.forp));
	if (peer_path(path, sizeof(path), NULL, NULL) || !(dp = opendir(path)))
		return 0;
	while (!rc && (e = readdir(dp))) {
		unsigned int node = 0;
		bool ok = true;

		if (!pp_cluster_uuid_ok(e->d_name))
			continue;
		if (peer_path(path, sizeof(path), e->d_name, "node") ||
		    pp_file_read(path, 256, &txt, &len))
			continue;
		n = sscanf(txt, "node %u\nnorth %31s", &node, a);
		free(txt);
		if (n < 1 || !node || node_is_member(d, node))
			continue;
		m.owner = node;
		m.north = 0;
		if (n == 2 && strcmp(a, "-"))
			inet_pton(AF_INET, a, &m.north);
		memcpy(m.uuid, e->d_name, PP_CLUSTER_UUID_LEN);
		for (i = 0; i < 2; i++) {
			const unsigned char *p;
			X509 *x = NULL;
			BIO *b;
			int l;

			der[i] = NULL;
			if (peer_path(path, sizeof(path), e->d_name, i ? "capf.pem" : "tftp.pem") ||
			    pp_file_read(path, PP_CERT_FILE_MAX, &pem, &len)) {
				ok = false;
				continue;
			}
			b = BIO_new_mem_buf(pem, (int)len);
			if (b)
				x = PEM_read_bio_X509(b, NULL, pp_no_passphrase, NULL);
			BIO_free(b);
			free(pem);
			l = x ? i2d_X509(x, &der[i]) : -1;
			X509_free(x);
			p = der[i];
			m.cert[i] = p;
			m.cert_len[i] = (uint16_t)(l > 0 && l <= PP_CLUSTER_CERT_MAX ? l : 0);
			ok = ok && m.cert_len[i];
		}
		if (ok)
			rc = clusterd_send(d, &m);
		OPENSSL_free(der[0]);
		OPENSSL_free(der[1]);
	}
	closedir(dp);
	return rc;
}

/* ---- the CTL ---- */

void clusterd_ctl_peer_free(struct clusterd_peer *p)
{
	free(p->ctl);
	p->ctl = NULL;
	p->ctl_total = 0;
	p->ctl_next = 0;
}

/* This node's CTL set (validated): 1 none, 0, -1 with err. */
static int read_set(unsigned char **buf, size_t *len, struct pp_cluster_ctlset *set,
		    char *err, size_t errlen)
{
	char dir[4096], why[512];
	int rc;

	if (pp_ctl_dir(dir, sizeof(dir)))
		return pp_errf(err, errlen, "state directory path too long");
	rc = pp_cluster_ctl_read(dir, buf, len, why, sizeof(why));
	if (rc)
		return rc < 0 ? pp_errf(err, errlen, "%s", why) : 1;
	if (*len > PP_CLUSTER_FILE_MAX) {
		free(*buf);
		return pp_errf(err, errlen, "%zu bytes: larger than the cluster replicates", *len);
	}
	if (pp_cluster_ctl_parse(*buf, *len, set, why, sizeof(why))) {
		free(*buf);
		return pp_errf(err, errlen, "%s", why);
	}
	return 0;
}

const char *clusterd_ctl_local(struct clusterd *d, char *reply, size_t rlen)
{
	struct pp_cluster_ctlset set;
	unsigned char *buf;
	char err[600];
	size_t len;
	int rc = read_set(&buf, &len, &set, err, sizeof(err));

	if (rc) {
		snprintf(reply, rlen, "error CTL not replicated: %s\n", rc > 0 ? "no CTLFile.tlv" : err);
		return reply;
	}
	if (!d->joined) {
		d->st.send_failed++;
		pp_warn("Cluster: CTL built here: not replicated (%s)", clusterd_apart(d));
		snprintf(reply, rlen, "error built here only: %s, not replicated\n",
			 clusterd_apart(d));
	} else if ((rc = clusterd_send_file(d, PP_CLUSTER_CTL, buf, len, NULL))) {
		snprintf(reply, rlen, "error built here only, not replicated: %s\n", strerror(-rc));
	} else {
		d->st.ctl_sent++;
		pp_notice("Cluster: CTL built here (%zu files, %zu bytes) sent to the cluster",
			  set.n, len);
		snprintf(reply, rlen, "ok\n");
	}
	pp_cluster_ctlset_free(&set);
	free(buf);
	return reply;
}

static void ctl_apply(struct clusterd *d, const struct pp_cluster_msg *m, unsigned char *buf,
		      size_t len)
{
	struct pp_cluster_ctlset set;
	char dir[4096], err[600];
	unsigned char here[32];
	int rc;

	if (pp_cluster_ctl_parse(buf, len, &set, err, sizeof(err))) {
		d->st.ctl_dropped++;
		pp_warn("Cluster: CTL of node %u dropped: %s", m->node, err);
		return;
	}
	if (!m->nfor)
		d->ctl_since_join = true;
	if (clusterd_ctl_digest(here) == 0 && !memcmp(here, set.sha256, 32)) {
		rc = 0;			/* in place already (this node's own) */
	} else if (pp_ctl_dir(dir, sizeof(dir))) {
		rc = -ENAMETOOLONG;
	} else {
		rc = pp_mkdir_p(dir, 0700);
		if (!rc)
			rc = pp_cluster_ctl_install(dir, &set);
	}
	if (rc) {
		d->st.apply_failed++;
		pp_err("Cluster: CTL of node %u not installed: %s", m->node, strerror(-rc));
	} else {
		memcpy(d->ctl_sha, set.sha256, 32);
		d->ctl_known = true;
		d->ctl_node = m->node;
		d->st.ctl_applied++;
		pp_notice("Cluster: CTL of node %u in place (%zu files)%s", m->node, set.n,
			  m->nfor ? ", from the snapshot" : "");
	}
	pp_cluster_ctlset_free(&set);
}

void clusterd_ctl_part(struct clusterd *d, const struct pp_cluster_msg *m,
		       struct clusterd_peer *p)
{
	unsigned char *buf;

	if (m->nfor && (!clusterd_for_me(d, m) || d->ctl_since_join))
		return;		/* for other joiners, or superseded since the join */
	if (m->part == 0) {
		clusterd_ctl_peer_free(p);
		p->ctl = malloc(m->total);
		if (!p->ctl) {
			d->st.apply_failed++;
			pp_err("Cluster: out of memory for the CTL of node %u (%u bytes)", m->node,
			       m->total);
			return;
		}
		p->ctl_total = m->total;
		p->ctl_snap = m->nfor != 0;
	} else if (!p->ctl && !p->ctl_next && !m->nfor) {
		/* Joined while p was sending a CTL: the others install it, this
		 * node cannot, and its snapshot holds the one before. Once it
		 * is whole everywhere, join again: that snapshot holds it. */
		if (m->part + 1u == m->parts) {
			pp_notice("Cluster: joined while node %u was sending its CTL: joining again for a snapshot that holds it",
				  m->node);
			clusterd_rejoin(d);
		}
		return;
	} else if (!p->ctl || m->part != p->ctl_next || m->total != p->ctl_total ||
		   p->ctl_snap != (m->nfor != 0)) {
		d->st.ctl_dropped++;
		pp_warn("Cluster: CTL part %u of node %u out of order: the CTL is dropped", m->part,
			m->node);
		clusterd_ctl_peer_free(p);
		return;
	}
	memcpy(p->ctl + (size_t)m->part * PP_CLUSTER_FILE_CHUNK, m->bytes, m->len);
	p->ctl_next = m->part + 1u;
	if (p->ctl_next < m->parts)
		return;
	buf = p->ctl;
	p->ctl = NULL;
	p->ctl_next = 0;
	ctl_apply(d, m, buf, p->ctl_total);
	free(buf);
}

int clusterd_ctl_digest(unsigned char sha[32])
{
	char path[4096];
	size_t len;
	char *buf;

	if (pp_ctl_dir(path, sizeof(path)) ||
	    strlen(path) + sizeof("/" PP_CTL_FILE) > sizeof(path))
		return -ENAMETOOLONG;
	strcat(path, "/" PP_CTL_FILE);
	if (pp_file_read(path, PP_TLV_FILE_MAX, &buf, &len))
		return -ENOENT;
	SHA256((unsigned char *)buf, len, sha);
	free(buf);
	return 0;
}

int clusterd_secure_snapshot(struct clusterd *d, const struct pp_cluster_msg *forwho)
{
	struct pp_cluster_ctlset set;
	unsigned char *buf;
	char err[600];
	size_t len;
	int rc = relay_absent(d, forwho);

	if (rc)
		return rc;
	rc = read_set(&buf, &len, &set, err, sizeof(err));
	if (rc) {
		if (rc < 0)
			pp_warn("Cluster: this node's CTL not in the snapshot: %s", err);
		return 0;
	}
	pp_cluster_ctlset_free(&set);
	rc = clusterd_send_file(d, PP_CLUSTER_CTL, buf, len, forwho);
	free(buf);
	return rc;
}

/* Node ids whose certificates this node holds (itself included), sorted. */
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void clusterd_certs_stats(FILE *f, const struct clusterd *d)
{
	uint32_t nodes[CLUSTERD_MEMBERS_MAX];
	char path[4096], word[CLUSTERD_MEMBERS_MAX * 11 + 1] = "", hex[65] = "-", chex[65] = "-";
	unsigned char here[32];
	size_t n = 0, off = 0, i;
	struct dirent *e;
	struct stat st;
	DIR *dp;
	bool have;

	if (!pp_cert_path(PP_CERT_TFTP, path, sizeof(path)) && !stat(path, &st))
		nodes[n++] = d->node;
	if (!peer_path(path, sizeof(path), NULL, NULL) && (dp = opendir(path))) {
		while ((e = readdir(dp)) && n < CLUSTERD_MEMBERS_MAX) {
			uint32_t node;

			if (pp_cluster_uuid_ok(e->d_name) && (node = stored_node(e->d_name)))
				nodes[n++] = node;
		}
		closedir(dp);
	}
	qsort(nodes, n, sizeof(nodes[0]), cmp_u32);
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(word + off, sizeof(word) - off, "%s%" PRIu32,
					i ? "," : "", nodes[i]);
	pp_ctl_stat_word(f, "certs_of_nodes", n ? word : "-");
	pp_ctl_stat(f, "certs_sent", d->st.certs_sent);
	pp_ctl_stat(f, "certs_applied", d->st.certs_applied);
	pp_ctl_stat(f, "certs_dropped", d->st.certs_dropped);
	pp_ctl_stat(f, "ctl_sent", d->st.ctl_sent);
	pp_ctl_stat(f, "ctl_applied", d->st.ctl_applied);
	pp_ctl_stat(f, "ctl_dropped", d->st.ctl_dropped);
	have = clusterd_ctl_digest(here) == 0;
	for (i = 0; have && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", here[i]);
	for (i = 0; d->ctl_known && i < 32; i++)
		snprintf(chex + 2 * i, 3, "%02x", d->ctl_sha[i]);
	pp_ctl_stat_word(f, "ctl_sha256", hex);
	pp_ctl_stat_word(f, "ctl_cluster_sha256", chex);
	pp_ctl_stat_word(f, "ctl_is_clusters",
			 !d->ctl_known ? "unknown" :
			 have && !memcmp(here, d->ctl_sha, 32) ? "yes" : "no");
	pp_ctl_stat(f, "ctl_by_node", d->ctl_known ? d->ctl_node : 0);
}
