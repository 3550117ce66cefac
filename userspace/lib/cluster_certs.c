// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * What pp-clusterd replicates of secure SCCP (docs/cluster.md): each
 * node's public tftp and capf certificates (CERTS) and the signed CTL
 * files (CTL), validated here before a node keeps or installs them.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "cluster.h"
#include "file.h"
#include "log.h"
#include "tlv.h"

static int one_cert(const unsigned char *der, size_t len, const char *role, const char *uuid,
		    char *err, size_t errlen)
{
	const unsigned char *p = der;
	char cn[128], want[64];
	X509 *x = d2i_X509(NULL, &p, (long)len);
	EVP_PKEY *k;
	int bits, rc = -1;

	if (!x)
		return pp_errf(err, errlen, "the %s certificate is not X.509 (DER)", role);
	if (p != der + len) {
		pp_errf(err, errlen, "the %s certificate has %zu bytes after its DER", role,
			(size_t)(der + len - p));
		goto out;
	}
	k = X509_get0_pubkey(x);
	if (!k || EVP_PKEY_base_id(k) != EVP_PKEY_RSA) {
		pp_errf(err, errlen, "the %s certificate's key is not RSA", role);
		goto out;
	}
	bits = EVP_PKEY_bits(k);
	if (bits != 1024 && bits != 2048 && bits != 4096) {
		pp_errf(err, errlen, "the %s certificate's key is RSA %d (the phones verify 1024, 2048, 4096)",
			role, bits);
		goto out;
	}
	snprintf(want, sizeof(want), "%s%s", role, uuid);
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn,
				      sizeof(cn)) < 0 || strcmp(cn, want)) {
		pp_errf(err, errlen, "the %s certificate's CN is not %s", role, want);
		goto out;
	}
	rc = 0;
out:
	X509_free(x);
	return rc;
}

int pp_cluster_certs_check(const struct pp_cluster_msg *m, char *err, size_t errlen)
{
	if (m->type != PP_CLUSTER_CERTS || !pp_cluster_uuid_ok(m->uuid))
		return pp_errf(err, errlen, "not a certs message with a proxy uuid");
	if (one_cert(m->cert[0], m->cert_len[0], "tftp", m->uuid, err, errlen) ||
	    one_cert(m->cert[1], m->cert_len[1], "capf", m->uuid, err, errlen))
		return -1;
	return 0;
}

/* ---- the CTL set ---- */

static bool ctl_name_ok(const char *s)
{
	size_t i;

	if (!strcmp(s, PP_CTL_FILE))
		return true;
	if (strlen(s) != 22 || strncmp(s, "CTLSEP", 6) || strcmp(s + 18, ".tlv"))
		return false;
	for (i = 6; i < 18; i++)
		if (!strchr("0123456789ABCDEF", s[i]) || !s[i])
			return false;
	return true;
}

struct sbuf {
	unsigned char *p;
	size_t len, cap;
};

static int sput(struct sbuf *b, const void *src, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap * 2 : 65536;
		unsigned char *p;

		while (cap - b->len < n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
	return 0;
}

static int put_file(struct sbuf *b, const char *dir, const char *name, char *err, size_t errlen)
{
	char path[4096], *data;
	uint8_t nl = (uint8_t)strlen(name);
	uint32_t l;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	rc = pp_file_read(path, PP_TLV_FILE_MAX, &data, &len);
	if (rc)
		return rc == -ENOENT ? 1 : pp_errf(err, errlen, "%s: %s", path, strerror(-rc));
	l = htonl((uint32_t)len);
	rc = sput(b, &nl, 1) || sput(b, name, nl) || sput(b, &l, 4) || sput(b, data, len);
	free(data);
	return rc ? pp_errf(err, errlen, "out of memory") : 0;
}

int pp_cluster_ctl_read(const char *dir, unsigned char **buf, size_t *len, char *err,
			size_t errlen)
{
	struct sbuf b = { 0 };
	uint32_t count = 0, be;
	struct dirent *e;
	DIR *dp;
	int rc;

	*buf = NULL;
	*len = 0;
	if (sput(&b, &count, 4))
		return pp_errf(err, errlen, "out of memory");
	rc = put_file(&b, dir, PP_CTL_FILE, err, errlen);
	if (rc) {
		free(b.p);
		return rc;
	}
	count = 1;
	dp = opendir(dir);
	if (!dp) {
		free(b.p);
		return pp_errf(err, errlen, "%s: %s", dir, strerror(errno));
	}
	while ((e = readdir(dp))) {
		if (!ctl_name_ok(e->d_name) || !strcmp(e->d_name, PP_CTL_FILE))
			continue;
		if (count == PP_CLUSTER_CTL_FILES) {
			rc = pp_errf(err, errlen, "%s: more than %d CTL files", dir,
				     PP_CLUSTER_CTL_FILES);
			break;
		}
		rc = put_file(&b, dir, e->d_name, err, errlen);
		if (rc < 0)
			break;
		count += rc == 0;
		rc = 0;
	}
	closedir(dp);
	if (rc) {
		free(b.p);
		return -1;
	}
	be = htonl(count);
	memcpy(b.p, &be, 4);
	*buf = b.p;
	*len = b.len;
	return 0;
}

void pp_cluster_ctlset_free(struct pp_cluster_ctlset *set)
{
	free(set->files);
	memset(set, 0, sizeof(*set));
}

/* The certificates of a parsed CTL, in order, the same as ref's? */
static bool same_records(const struct pp_ctl *a, const struct pp_ctl *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->rec[i].role != b->rec[i].role || strcmp(a->rec[i].ip, b->rec[i].ip) ||
		    X509_cmp(a->rec[i].cert, b->rec[i].cert))
			return false;
	return true;
}

int pp_cluster_ctl_parse(const unsigned char *buf, size_t len, struct pp_cluster_ctlset *set,
			 char *err, size_t errlen)
{
	struct pp_ctl ref, c;
	size_t off = 4, i, j;
	uint32_t count, l;
	char why[512];

	memset(set, 0, sizeof(*set));
	memset(&ref, 0, sizeof(ref));
	if (len < 4)
		return pp_errf(err, errlen, "CTL set of %zu bytes: no count", len);
	memcpy(&count, buf, 4);
	count = ntohl(count);
	/* Each file takes at least 6 bytes: refuse before allocating. */
	if (count < 1 || count > PP_CLUSTER_CTL_FILES || count > (len - 4) / 6)
		return pp_errf(err, errlen, "CTL set of %u files (1..%d, in %zu bytes)", count,
			       PP_CLUSTER_CTL_FILES, len);
	set->files = calloc(count, sizeof(*set->files));
	if (!set->files)
		return pp_errf(err, errlen, "out of memory");
	for (i = 0; i < count; i++) {
		struct pp_cluster_ctl_file *f = &set->files[i];
		uint8_t nl;

		if (len - off < 1 || (nl = buf[off]) == 0 || nl >= sizeof(f->name) ||
		    len - off - 1 < (size_t)nl + 4) {
			pp_errf(err, errlen, "CTL set: file %zu's name cut short or not 1..%zu bytes",
				i, sizeof(f->name) - 1);
			goto bad;
		}
		memcpy(f->name, buf + off + 1, nl);
		off += 1 + nl;
		if (strnlen(f->name, nl) != nl || !ctl_name_ok(f->name) ||
		    (i == 0) != !strcmp(f->name, PP_CTL_FILE)) {
			pp_errf(err, errlen, "CTL set: file %zu: name \"%.*s\" (CTLFile.tlv first, then CTLSEP<MAC>.tlv)",
				i, (int)nl, f->name);
			goto bad;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(set->files[j].name, f->name)) {
				pp_errf(err, errlen, "CTL set: %s twice", f->name);
				goto bad;
			}
		memcpy(&l, buf + off, 4);
		l = ntohl(l);
		off += 4;
		if (l < 1 || l > PP_TLV_FILE_MAX || len - off < l) {
			pp_errf(err, errlen, "CTL set: %s of %u bytes (1..%u, cut short?)", f->name,
				l, PP_TLV_FILE_MAX);
			goto bad;
		}
		f->data = buf + off;
		f->len = l;
		off += l;
		if (pp_ctl_parse(f->data, f->len, i ? &c : &ref, why, sizeof(why))) {
			pp_errf(err, errlen, "CTL set: %s: %s", f->name, why);
			goto bad;
		}
		if (!i) {
			if (strcmp(ref.filename, f->name)) {
				pp_errf(err, errlen, "CTL set: %s names itself %s", f->name,
					ref.filename);
				goto bad;
			}
			continue;
		}
		if (strcmp(c.filename, f->name) || !same_records(&ref, &c)) {
			pp_errf(err, errlen, "CTL set: %s %s", f->name,
				strcmp(c.filename, f->name) ? "names another file" :
				"lists other certificates than CTLFile.tlv");
			pp_ctl_free(&c);
			goto bad;
		}
		pp_ctl_free(&c);
	}
	if (off != len) {
		pp_errf(err, errlen, "CTL set: %zu trailing bytes", len - off);
		goto bad;
	}
	pp_ctl_free(&ref);
	set->n = count;
	SHA256(set->files[0].data, set->files[0].len, set->sha256);
	return 0;
bad:
	pp_ctl_free(&ref);
	pp_cluster_ctlset_free(set);
	return -1;
}

int pp_cluster_ctl_install(const char *dir, const struct pp_cluster_ctlset *set)
{
	char path[4096];
	struct dirent *e;
	size_t i;
	DIR *dp;
	int rc;

	for (i = set->n; i-- > 0; ) {
		snprintf(path, sizeof(path), "%s/%s", dir, set->files[i].name);
		rc = pp_file_write_atomic(path, set->files[i].data, set->files[i].len, 0644);
		if (rc)
			return rc;
	}
	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((e = readdir(dp))) {
		if (!ctl_name_ok(e->d_name))
			continue;
		for (i = 0; i < set->n && strcmp(set->files[i].name, e->d_name); i++)
			;
		if (i == set->n)
			unlinkat(dirfd(dp), e->d_name, 0);
	}
	closedir(dp);
	return 0;
}
