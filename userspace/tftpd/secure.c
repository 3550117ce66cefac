// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's part of secure SCCP: the trust lists as files, the signed
 * configuration built here (secure.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "cert.h"
#include "file.h"
#include "log.h"
#include "secure.h"
#include "tlv.h"

static bool hex12(const char *s)
{
	size_t i;

	for (i = 0; i < 12; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

bool secure_ctl_name(const char *name)
{
	if (!strcmp(name, PP_CTL_FILE))
		return true;
	return strlen(name) == 6 + 12 + 4 && !strncmp(name, "CTLSEP", 6) &&
	       hex12(name + 6) && !strcmp(name + 18, ".tlv");
}

bool secure_sgn_name(const char *name, char *plain, size_t len)
{
	static const char ext[] = ".cnf.xml.sgn";

	if (strlen(name) != 3 + 12 + strlen(ext) || strncmp(name, "SEP", 3) ||
	    !hex12(name + 3) || strcmp(name + 15, ext) ||
	    len < 15 + strlen(".cnf.xml") + 1)
		return false;
	snprintf(plain, len, "%.*s", (int)(15 + strlen(".cnf.xml")), name);
	return true;
}

int secure_ctl_read(const char *name, unsigned char **out, size_t *len,
		    char *why, size_t whylen)
{
	char dir[4096], path[4200];
	struct stat st;
	char *data;
	int rc;

	if (!secure_ctl_name(name)) {
		snprintf(why, whylen, "\"%s\" is not a trust list name", name);
		return -1;
	}
	if (pp_ctl_dir(dir, sizeof(dir))) {
		snprintf(why, whylen, "the state directory's path is too long");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return -ENOENT;
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s: not a regular file", path);
		return -1;
	}
	rc = pp_file_read(path, PP_TLV_FILE_MAX, &data, len);
	if (rc == -ENOENT)
		return -ENOENT;
	if (rc) {
		snprintf(why, whylen, "%s: %s", path, rc == -EFBIG ?
			 "larger than a trust list can be" : strerror(-rc));
		return -1;
	}
	*out = (unsigned char *)data;
	return 0;
}

static void drop_cache(struct tftpd_secure *s)
{
	size_t i;

	for (i = 0; i < SECURE_SGN_CACHE; i++) {
		free(s->cache[i].data);
		s->cache[i].data = NULL;
	}
	s->next = 0;
}

static void drop_key(struct tftpd_secure *s)
{
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	s->key = NULL;
	s->cert = NULL;
	drop_cache(s);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The TFTP key and certificate, (re)loaded when tftp.pem changed. */
static int load_key(struct tftpd_secure *s, char *why, size_t whylen)
{
	char path[4096], *pem = NULL;
	struct stat st;
	size_t len;
	BIO *b = NULL;
	int rc;

	if (pp_cert_path(PP_CERT_TFTP, path, sizeof(path))) {
		snprintf(why, whylen, "the certificate's path is too long");
		return -1;
	}
	if (stat(path, &st)) {
		snprintf(why, whylen, "no TFTP key: %s: %s", path, strerror(errno));
		drop_key(s);
		return -1;
	}
	if (s->key && !s->reload && same_file(&st, &s->st))
		return 0;
	drop_key(s);
	s->reload = false;
	rc = pp_file_read(path, PP_CERT_FILE_MAX, &pem, &len);
	if (rc) {
		snprintf(why, whylen, "%s: %s", path, strerror(-rc));
		return -1;
	}
	b = BIO_new_mem_buf(pem, (int)len);
	if (b)
		s->key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	b = BIO_new_mem_buf(pem, (int)len);
	if (b)
		s->cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	OPENSSL_cleanse(pem, len);
	free(pem);
	ERR_clear_error();
	if (!s->key || !s->cert || X509_check_private_key(s->cert, s->key) != 1) {
		snprintf(why, whylen, "%s: %s", path, !s->key ? "no private key" :
			 !s->cert ? "no certificate" :
			 "the certificate is not the private key's");
		ERR_clear_error();
		drop_key(s);
		return -1;
	}
	s->st = st;
	pp_notice("Tftp: loaded the TFTP signing key %s", path);
	return 0;
}

int secure_sign(struct tftpd_secure *s, const char *name,
		const unsigned char *data, size_t len, unsigned char **out,
		size_t *outlen, char *why, size_t whylen)
{
	unsigned char md[32], *sgn;
	unsigned int mdlen = 0;
	EVP_MD_CTX *c;
	size_t i, n;
	int ok;

	if (load_key(s, why, whylen))
		return -1;
	c = EVP_MD_CTX_new();
	ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(c, name, strlen(name) + 1) &&
	     EVP_DigestUpdate(c, data, len) && EVP_DigestFinal_ex(c, md, &mdlen);
	EVP_MD_CTX_free(c);
	if (!ok || mdlen != sizeof(md)) {
		snprintf(why, whylen, "cannot hash the file");
		return -1;
	}
	for (i = 0; i < SECURE_SGN_CACHE; i++) {
		const struct secure_signed *e = &s->cache[i];

		if (e->data && !memcmp(e->md, md, sizeof(md))) {
			*out = malloc(e->len);
			if (!*out) {
				snprintf(why, whylen, "out of memory");
				return -1;
			}
			memcpy(*out, e->data, e->len);
			*outlen = e->len;
			return 0;
		}
	}
	if (pp_sgn_build(data, len, name, s->key, s->cert, time(NULL), &sgn, &n,
			 why, whylen))
		return -1;
	*out = malloc(n);
	if (!*out) {
		free(sgn);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	memcpy(*out, sgn, n);
	*outlen = n;
	i = s->next;
	s->next = (s->next + 1) % SECURE_SGN_CACHE;
	free(s->cache[i].data);
	memcpy(s->cache[i].md, md, sizeof(md));
	s->cache[i].data = sgn;
	s->cache[i].len = n;
	return 0;
}

void secure_reload(struct tftpd_secure *s)
{
	s->reload = true;
}

void secure_fini(struct tftpd_secure *s)
{
	drop_key(s);
}
