// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Certificates of the web server: self-signed generation, inspection,
 * checked installation. OpenSSL does all of it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cert.h"
#include "conf.h"
#include "file.h"
#include "parse.h"
#include "log.h"

static const char *const tag_names[PP_CERT_NTAGS] = {
	[PP_CERT_BOTH] = "https",
	[PP_CERT_NORTH] = "https-north",
	[PP_CERT_SOUTH] = "https-south",
	[PP_CERT_TFTP] = "tftp",
	[PP_CERT_CAPF] = "capf",
};

const char *pp_ssl_reason(void)
{
	static char buf[256];
	unsigned long e = ERR_get_error();

	if (!e)
		return "unknown error";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

const char *pp_cert_tag_name(enum pp_cert_tag tag)
{
	return (unsigned int)tag < PP_CERT_NTAGS ? tag_names[tag] : NULL;
}

int pp_cert_tag_from_name(const char *name)
{
	int i;

	for (i = 0; i < PP_CERT_NTAGS; i++)
		if (!strcasecmp(name, tag_names[i]))
			return i;
	return -1;
}

static int join(char *buf, size_t len, const char *a, const char *b,
		const char *c)
{
	int n = snprintf(buf, len, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "");

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int pp_cert_dir(char *buf, size_t len)
{
	return join(buf, len, pp_state_dir(), PP_CERT_DIR, NULL);
}

int pp_cert_incoming_dir(char *buf, size_t len)
{
	return join(buf, len, pp_state_dir(), PP_CERT_INCOMING_DIR, NULL);
}

int pp_cert_path(enum pp_cert_tag tag, char *buf, size_t len)
{
	char file[32];

	snprintf(file, sizeof(file), "%s.pem", pp_cert_tag_name(tag));
	return join(buf, len, pp_state_dir(), PP_CERT_DIR, file);
}

int pp_cert_for_interface(bool north, char *buf, size_t len)
{
	struct stat st;

	if (pp_cert_path(north ? PP_CERT_NORTH : PP_CERT_SOUTH, buf, len))
		return -ENAMETOOLONG;
	if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
		return 0;
	if (pp_cert_path(PP_CERT_BOTH, buf, len))
		return -ENAMETOOLONG;
	if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
		return 0;
	return -ENOENT;
}

int pp_no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;	/* encrypted keys are refused, never prompted for */
}

static void asn1_time_str(const ASN1_TIME *t, char *buf, size_t len,
			  time_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1) {
		snprintf(buf, len, "?");
		if (out)
			*out = 0;
		return;
	}
	strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
	if (out)
		*out = timegm(&tm);
}

static void name_str(const X509_NAME *name, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data;
	long n;

	buf[0] = '\0';
	if (!b)
		return;
	X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	n = BIO_get_mem_data(b, &data);
	if (n > 0)
		snprintf(buf, len, "%.*s", (int)n, data);
	BIO_free(b);
}

static void digest_str(const X509 *x, const EVP_MD *md, char *buf, size_t len)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	size_t used = 0;

	buf[0] = '\0';
	if (X509_digest(x, md, d, &n) != 1)
		return;
	for (i = 0; i < n && used + 4 <= len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%02X", i ? ":" : "", d[i]);
}

static void sans_str(X509 *x, char *buf, size_t len)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	size_t used = 0;
	int i;

	buf[0] = '\0';
	if (!gens)
		return;
	for (i = 0; i < sk_GENERAL_NAME_num(gens) && used < len; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		char item[300] = "";

		if (g->type == GEN_IPADD && g->d.iPAddress->length == 4) {
			char a[PP_IPV4_STRLEN];
			uint32_t be;

			memcpy(&be, g->d.iPAddress->data, 4);
			snprintf(item, sizeof(item), "IP:%s", pp_ipv4_str(be, a));
		} else if (g->type == GEN_DNS) {
			snprintf(item, sizeof(item), "DNS:%.*s",
				 g->d.dNSName->length, (const char *)g->d.dNSName->data);
		} else {
			continue;
		}
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? ", " : "", item);
	}
	GENERAL_NAMES_free(gens);
}

int pp_cert_inspect(const char *pem, size_t len, struct pp_cert_info *info,
		    char *err, size_t errlen)
{
	BIO *b = NULL;
	X509 *x = NULL, *more;
	EVP_PKEY *key = NULL;
	const ASN1_INTEGER *serial;
	BIGNUM *bn;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	ERR_clear_error();
	if (len > PP_CERT_FILE_MAX || len > INT32_MAX) {
		pp_errf(err, errlen, "file too large");
		return -1;
	}
	b = BIO_new_mem_buf(pem, (int)len);
	if (!b || !(x = PEM_read_bio_X509(b, NULL, pp_no_passphrase, NULL))) {
		pp_errf(err, errlen, "no PEM certificate in it");
		goto out;
	}
	info->chain = 1;
	while ((more = PEM_read_bio_X509(b, NULL, pp_no_passphrase, NULL))) {
		info->chain++;
		X509_free(more);
	}
	ERR_clear_error();
	BIO_free(b);
	b = BIO_new_mem_buf(pem, (int)len);
	if (b && strstr(pem, "PRIVATE KEY-----")) {
		key = PEM_read_bio_PrivateKey(b, NULL, pp_no_passphrase, NULL);
		if (!key) {
			pp_errf(err, errlen,
				"the private key cannot be read (an encrypted key is not accepted): %s",
				pp_ssl_reason());
			goto out;
		}
		info->has_key = true;
		info->key_matches = X509_check_private_key(x, key) == 1;
		ERR_clear_error();
	}
	name_str(X509_get_subject_name(x), info->subject, sizeof(info->subject));
	name_str(X509_get_issuer_name(x), info->issuer, sizeof(info->issuer));
	serial = X509_get0_serialNumber(x);
	bn = ASN1_INTEGER_to_BN(serial, NULL);
	if (bn) {
		char *hex = BN_bn2hex(bn);

		if (hex)
			snprintf(info->serial, sizeof(info->serial), "%s", hex);
		OPENSSL_free(hex);
		BN_free(bn);
	}
	asn1_time_str(X509_get0_notBefore(x), info->not_before,
		      sizeof(info->not_before), NULL);
	asn1_time_str(X509_get0_notAfter(x), info->not_after,
		      sizeof(info->not_after), &info->expires);
	sans_str(x, info->sans, sizeof(info->sans));
	digest_str(x, EVP_sha256(), info->sha256, sizeof(info->sha256));
	digest_str(x, EVP_sha1(), info->sha1, sizeof(info->sha1));
	{
		EVP_PKEY *pub = X509_get0_pubkey(x);

		if (pub) {
			int id = EVP_PKEY_get_base_id(pub);

			info->key_bits = EVP_PKEY_get_bits(pub);
			snprintf(info->key_type, sizeof(info->key_type), "%s",
				 id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC" :
				 id == EVP_PKEY_ED25519 ? "Ed25519" : "other");
		}
	}
	info->self_signed = X509_check_issued(x, x) == X509_V_OK;
	rc = 0;
out:
	ERR_clear_error();
	EVP_PKEY_free(key);
	X509_free(x);
	BIO_free(b);
	return rc;
}

static int add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -1;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

int pp_cert_selfsigned(int bits, const char *cn, const uint32_t *addrs,
		       size_t naddrs, char **pem, size_t *len, char *err,
		       size_t errlen)
{
	unsigned char rnd[16];
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	X509_NAME *name;
	BIGNUM *bn = NULL;
	BIO *b = NULL;
	char san[512];
	size_t used = 0, i;
	char *data;
	long n;
	int rc = -1;

	*pem = NULL;
	*len = 0;
	ERR_clear_error();
	if (bits != 1024 && bits != 2048) {
		pp_errf(err, errlen, "key size %d is not supported (1024 or 2048 bits)", bits);
		return -1;
	}
	key = EVP_RSA_gen((unsigned int)bits);
	x = X509_new();
	bn = BN_new();
	if (!key || !x || !bn || RAND_bytes(rnd, sizeof(rnd)) != 1) {
		pp_errf(err, errlen, "cannot make a key: %s", pp_ssl_reason());
		goto out;
	}
	rnd[0] &= 0x7f;		/* a positive serial */
	if (!BN_bin2bn(rnd, sizeof(rnd), bn) ||
	    !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) ||
	    !X509_set_version(x, 2) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -300) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), (long)PP_CERT_DAYS * 86400) ||
	    !X509_set_pubkey(x, key))
		goto ssl_fail;
	name = X509_get_subject_name(x);
	if (!X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
					(const unsigned char *)"phoneproxy", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
					(const unsigned char *)cn, -1, -1, 0) ||
	    !X509_set_issuer_name(x, name))
		goto ssl_fail;
	for (i = 0; i < naddrs && used < sizeof(san); i++) {
		char a[PP_IPV4_STRLEN];

		if (!addrs[i])
			continue;
		used += (size_t)snprintf(san + used, sizeof(san) - used, "%sIP:%s",
					 used ? "," : "", pp_ipv4_str(addrs[i], a));
	}
	if (add_ext(x, NID_basic_constraints, "critical,CA:FALSE") ||
	    add_ext(x, NID_ext_key_usage, "serverAuth") ||
	    add_ext(x, NID_subject_key_identifier, "hash") ||
	    (used && add_ext(x, NID_subject_alt_name, san)))
		goto ssl_fail;
	if (!X509_sign(x, key, EVP_sha256()))
		goto ssl_fail;
	b = BIO_new(BIO_s_mem());
	if (!b || !PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL) ||
	    !PEM_write_bio_X509(b, x))
		goto ssl_fail;
	n = BIO_get_mem_data(b, &data);
	*pem = malloc((size_t)n + 1);
	if (!*pem) {
		pp_errf(err, errlen, "out of memory");
		goto out;
	}
	memcpy(*pem, data, (size_t)n);
	(*pem)[n] = '\0';
	*len = (size_t)n;
	rc = 0;
	goto out;
ssl_fail:
	pp_errf(err, errlen, "cannot make the certificate: %s", pp_ssl_reason());
out:
	if (b)
		BIO_free(b);
	BN_free(bn);
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

int pp_cert_install(enum pp_cert_tag tag, const char *pem, size_t len,
		    char *err, size_t errlen)
{
	struct pp_cert_info info;
	char dir[4096], path[4096], why[512];
	int rc;

	if (pp_cert_inspect(pem, len, &info, why, sizeof(why))) {
		pp_errf(err, errlen, "%s", why);
		return -1;
	}
	if (!info.has_key) {
		pp_errf(err, errlen,
			"it holds no private key (the file must hold the key and the certificate, PEM)");
		return -1;
	}
	if (!info.key_matches) {
		pp_errf(err, errlen, "its private key is not the certificate's key");
		return -1;
	}
	if (strcmp(info.key_type, "RSA") && strcmp(info.key_type, "EC")) {
		pp_errf(err, errlen, "its key is %s; RSA or EC keys are served", info.key_type);
		return -1;
	}
	if ((!strcmp(info.key_type, "RSA") && info.key_bits < 1024) ||
	    (!strcmp(info.key_type, "EC") && info.key_bits < 256)) {
		pp_errf(err, errlen, "its %s key of %d bits is too small (RSA 1024, EC 256 at least)",
			info.key_type, info.key_bits);
		return -1;
	}
	if (info.expires && info.expires <= time(NULL)) {
		pp_errf(err, errlen, "it expired on %s", info.not_after);
		return -1;
	}
	if (pp_cert_dir(dir, sizeof(dir)) || pp_cert_path(tag, path, sizeof(path))) {
		pp_errf(err, errlen, "state directory path too long");
		return -1;
	}
	rc = pp_mkdir_p(dir, 0700);
	if (rc || chmod(dir, 0700)) {
		pp_errf(err, errlen, "%s: %s", dir, strerror(rc ? -rc : errno));
		return -1;
	}
	rc = pp_file_write_atomic(path, pem, len, 0600);
	if (rc) {
		pp_errf(err, errlen, "%s: %s", path, strerror(-rc));
		return -1;
	}
	return 0;
}

/* ---- secure SCCP: the proxy's UUID, its tftp and capf certificates ---- */

static bool uuid_ok(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
			return false;
	}
	return true;
}

int pp_proxy_uuid(char *buf, size_t len, char *err, size_t errlen)
{
	char path[4096], *data = NULL;
	unsigned char r[16];
	size_t n = 0;
	int rc;

	if (len < 37 || snprintf(path, sizeof(path), "%s/%s", pp_state_dir(),
				 PP_UUID_FILE) >= (int)sizeof(path))
		return pp_errf(err, errlen, "state directory path too long");
	rc = pp_file_read(path, 64, &data, &n);
	if (rc == 0) {
		while (n && (data[n - 1] == '\n' || data[n - 1] == ' '))
			data[--n] = '\0';
		if (!uuid_ok(data)) {
			free(data);
			return pp_errf(err, errlen,
				       "%s does not hold a UUID (36 lower-case characters, 8-4-4-4-12)",
				       path);
		}
		snprintf(buf, len, "%s", data);
		free(data);
		return 0;
	}
	if (rc != -ENOENT)
		return pp_errf(err, errlen, "%s: %s", path, strerror(-rc));
	/* Made once: a random (version 4) UUID. */
	if (RAND_bytes(r, sizeof(r)) != 1)
		return pp_errf(err, errlen, "no random bytes: %s", pp_ssl_reason());
	r[6] = (r[6] & 0x0f) | 0x40;
	r[8] = (r[8] & 0x3f) | 0x80;
	snprintf(buf, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
		 r[12], r[13], r[14], r[15]);
	rc = pp_mkdir_p(pp_state_dir(), 0755);
	if (!rc)
		rc = pp_file_write_atomic(path, buf, strlen(buf), 0644);
	if (rc)
		return pp_errf(err, errlen, "%s: %s", path, strerror(-rc));
	return 0;
}

int pp_cert_ensure(enum pp_cert_tag tag, uint32_t north, bool regenerate,
		   bool *made, char *err, size_t errlen)
{
	char path[4096], uuid[40], cn[64], why[512], *pem = NULL;
	struct pp_cert_info info;
	size_t len = 0;
	int rc;

	*made = false;
	if (tag != PP_CERT_TFTP && tag != PP_CERT_CAPF)
		return pp_errf(err, errlen, "only the tftp and capf certificates are made here");
	if (pp_cert_path(tag, path, sizeof(path)))
		return pp_errf(err, errlen, "state directory path too long");
	if (!regenerate) {
		rc = pp_file_read(path, PP_CERT_FILE_MAX, &pem, &len);
		if (rc == 0) {
			rc = pp_cert_inspect(pem, len, &info, why, sizeof(why));
			OPENSSL_cleanse(pem, len);
			free(pem);
			if (rc || !info.has_key || !info.key_matches)
				return pp_errf(err, errlen,
					       "%s is not a private key and its certificate (%s); "
					       "\"set certificate regenerate %s\" replaces it",
					       path, rc ? why : "no matching key", pp_cert_tag_name(tag));
			return 0;
		}
		if (rc != -ENOENT)
			return pp_errf(err, errlen, "%s: %s", path, strerror(-rc));
	}
	if (pp_proxy_uuid(uuid, sizeof(uuid), err, errlen))
		return -1;
	snprintf(cn, sizeof(cn), "%s%s", pp_cert_tag_name(tag), uuid);
	if (pp_cert_selfsigned(2048, cn, &north, 1, &pem, &len, err, errlen))
		return -1;
	rc = pp_cert_install(tag, pem, len, err, errlen);
	OPENSSL_cleanse(pem, len);
	free(pem);
	if (rc)
		return -1;
	*made = true;
	return 0;
}

int pp_cert_ca_bundle_check(const char *path, char *err, size_t errlen)
{
	size_t len;
	char *pem;
	BIO *b;
	X509 *x;
	int rc, n = 0;

	rc = pp_file_read(path, PP_CERT_FILE_MAX, &pem, &len);
	if (rc)
		return pp_errf(err, errlen, "%s: %s", path,
			       rc == -EFBIG ? "file too large" : strerror(-rc));
	ERR_clear_error();
	b = BIO_new_mem_buf(pem, (int)len);
	while (b && (x = PEM_read_bio_X509(b, NULL, pp_no_passphrase, NULL))) {
		n++;
		X509_free(x);
	}
	ERR_clear_error();
	BIO_free(b);
	free(pem);
	return n ? 0 : pp_errf(err, errlen, "%s: no PEM certificate in it", path);
}
