// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Cisco's signed TLV files: the Certificate Trust List and .sgn files
 * (lib/tlv.h). The writer lays out the header the phones (and
 * usecallmanagernz/certutils) read: version, header length, signer
 * version (CTL only), signer info (name, issuer, serial), signature info
 * (hash algorithm), signature algorithm info (RSA, modulus size), the
 * signature, file name, timestamp, padding to a multiple of four bytes.
 * The signature is RSA PKCS#1 v1.5 with SHA-1 (what every phone model
 * verifies) over the file with the signature TLV left out.
 *
 * The reader takes files a hostile TFTP server may serve: every length is
 * checked against the buffer (and a record's against the record, a header
 * TLV's against the header) before a byte is read; unknown tags, duplicate
 * signatures or certificates, trailing garbage are refused.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "conf.h"
#include "log.h"
#include "tlv.h"

/* Header tags. */
enum {
	H_VERSION = 1,
	H_LENGTH = 2,
	H_SIGNER_INFO = 3,
	H_SIGNER_NAME = 4,
	H_SERIAL = 5,
	H_ISSUER = 6,
	H_SIGNATURE_INFO = 7,
	H_HASH = 8,
	H_SIGALG_INFO = 9,
	H_SIGALG = 10,
	H_MODULUS = 11,
	H_SIGNATURE = 12,
	H_PADDING = 13,
	H_FILENAME = 14,
	H_TIMESTAMP = 15,
	H_SIGNER_VERSION = 28,
};

/* Record tags. */
enum {
	R_LENGTH = 1,
	R_DNS = 2,
	R_SUBJECT = 3,
	R_ROLE = 4,
	R_ISSUER = 5,
	R_SERIAL = 6,
	R_PUBKEY = 7,
	R_SIGNATURE = 8,
	R_CERT = 9,
	R_IP = 10,
	R_CERT_HASH = 11,
	R_HASH = 12,
};

enum { HASH_SHA1 = 1, HASH_SHA256 = 2, HASH_SHA512 = 3 };

#define SERIAL_MAX	32	/* RFC 5280: 20 octets; some CAs exceed it */
#define SIG_MAX		1024	/* 8192-bit RSA */
#define ROLE_APP_SERVER	7
#define ROLE_TVS	21

static const char *ssl_reason(void)
{
	static char buf[256];
	unsigned long e = ERR_get_error();

	if (!e)
		return "unknown error";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

int pp_ctl_dir(char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", pp_state_dir(), PP_CTL_DIR);

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* ---- writer ---- */

struct wbuf {
	unsigned char *p;
	size_t len, cap;
	bool fail;
};

static void w_put(struct wbuf *w, const void *data, size_t n)
{
	if (w->fail)
		return;
	if (w->len + n > PP_TLV_FILE_MAX) {
		w->fail = true;
		return;
	}
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		unsigned char *p;

		while (cap < w->len + n)
			cap *= 2;
		p = realloc(w->p, cap);
		if (!p) {
			w->fail = true;
			return;
		}
		w->p = p;
		w->cap = cap;
	}
	if (n)
		memcpy(w->p + w->len, data, n);
	w->len += n;
}

static void w_u8(struct wbuf *w, unsigned int v)
{
	unsigned char b = (unsigned char)v;

	w_put(w, &b, 1);
}

static void w_u16(struct wbuf *w, unsigned int v)
{
	unsigned char b[2] = { (unsigned char)(v >> 8), (unsigned char)v };

	w_put(w, b, 2);
}

static void w_tl(struct wbuf *w, unsigned int tag, size_t len)
{
	if (len > 0xffff) {
		w->fail = true;
		return;
	}
	w_u8(w, tag);
	w_u16(w, (unsigned int)len);
}

static void w_tlv(struct wbuf *w, unsigned int tag, const void *data, size_t len)
{
	w_tl(w, tag, len);
	w_put(w, data, len);
}

static void w_set_u16(struct wbuf *w, size_t off, size_t v)
{
	if (w->fail || off + 2 > w->len || v > 0xffff) {
		w->fail = true;
		return;
	}
	w->p[off] = (unsigned char)(v >> 8);
	w->p[off + 1] = (unsigned char)v;
}

/*
 * A name as certutils writes it: each attribute "SN=value" (RFC 4514
 * escaping) in the certificate's order, joined with ',', NUL-terminated.
 */
static int name_bytes(const X509_NAME *name, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < X509_NAME_entry_count(name); i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
		ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(e);
		unsigned char *utf8 = NULL;
		char sn[80];
		int n, j, nid = OBJ_obj2nid(obj);

		if (nid != NID_undef && OBJ_nid2sn(nid))
			snprintf(sn, sizeof(sn), "%s", OBJ_nid2sn(nid));
		else
			OBJ_obj2txt(sn, sizeof(sn), obj, 1);
		n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
		if (n < 0)
			return -1;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0,
					 "%s%s=", i ? "," : "", sn);
		for (j = 0; j < n && used + 3 < len; j++) {
			unsigned char c = utf8[j];

			if (strchr(",+\"\\<>;", c) ||
			    (j == 0 && (c == '#' || c == ' ')) ||
			    (j == n - 1 && c == ' '))
				buf[used++] = '\\';
			buf[used++] = (char)c;
		}
		OPENSSL_free(utf8);
		if (used + 3 >= len)
			return -1;
		buf[used] = '\0';
	}
	return (int)used + 1;	/* with the NUL */
}

/* The serial as minimal big-endian bytes (certutils' encoding). */
static int serial_bytes(const X509 *x, unsigned char *buf, size_t len)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	int n = -1;

	if (bn && !BN_is_negative(bn) && (size_t)BN_num_bytes(bn) <= len)
		n = BN_bn2bin(bn, buf);
	BN_free(bn);
	return n;
}

static void w_name(struct wbuf *w, unsigned int tag, const X509_NAME *name)
{
	char buf[1024];
	int n = name_bytes(name, buf, sizeof(buf));

	if (n < 0) {
		w->fail = true;
		return;
	}
	w_tlv(w, tag, buf, (size_t)n);
}

static int modulus_index(int bytes)
{
	switch (bytes) {
	case 64: return 0;
	case 128: return 1;
	case 256: return 2;
	case 512: return 3;
	default: return -1;
	}
}

static bool filename_ok(const char *name)
{
	size_t n = strlen(name), i;

	if (!n || n >= sizeof(((struct pp_ctl *)0)->filename))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x21 || name[i] == '/' ||
		    (unsigned char)name[i] > 0x7e)
			return false;
	return true;
}

/*
 * The header up to the signature; *sig_at is where the signature TLV goes,
 * *hlen_at the header length's two bytes.
 */
static int w_header(struct wbuf *w, bool ctl, X509 *signer, EVP_PKEY *key,
		    const char *filename, time_t now, size_t *sig_at,
		    char *err, size_t errlen)
{
	unsigned char serial[SERIAL_MAX];
	int slen, sigbytes = EVP_PKEY_get_size(key), mod = modulus_index(sigbytes);
	char sname[1024], iname[1024];
	int sn, in;
	size_t hlen_at, hlen;
	uint32_t ts = now < 0 ? 0 : now > (time_t)UINT32_MAX ? UINT32_MAX : (uint32_t)now;
	unsigned char tsb[4] = { ts >> 24, ts >> 16, ts >> 8, ts };

	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA || mod < 0)
		return pp_errf(err, errlen,
			       "the signing key must be RSA of 512, 1024, 2048 or 4096 bits");
	if (X509_check_private_key(signer, key) != 1) {
		ERR_clear_error();
		return pp_errf(err, errlen, "the signing key is not the signer certificate's key");
	}
	if (!filename_ok(filename))
		return pp_errf(err, errlen,
			       "file name \"%s\" is not 1 to 63 printable characters without '/'",
			       filename);
	slen = serial_bytes(signer, serial, sizeof(serial));
	sn = name_bytes(X509_get_subject_name(signer), sname, sizeof(sname));
	in = name_bytes(X509_get_issuer_name(signer), iname, sizeof(iname));
	if (slen < 0 || sn < 0 || in < 0)
		return pp_errf(err, errlen, "the signer certificate's serial or names cannot be encoded");

	w_tl(w, H_VERSION, 2);
	w_u8(w, 1);
	w_u8(w, ctl ? 2 : 0);
	hlen_at = w->len + 3;
	w_tl(w, H_LENGTH, 2);
	w_u16(w, 0);
	if (ctl) {
		w_tl(w, H_SIGNER_VERSION, 2);
		w_u8(w, 1);
		w_u8(w, 0);
	}
	w_tl(w, H_SIGNER_INFO, 3u * 3 + (size_t)sn + (size_t)in + (size_t)slen);
	w_tlv(w, H_SIGNER_NAME, sname, (size_t)sn);
	w_tlv(w, H_ISSUER, iname, (size_t)in);
	w_tlv(w, H_SERIAL, serial, (size_t)slen);
	w_tl(w, H_SIGNATURE_INFO, 15);
	w_tl(w, H_HASH, 1);
	w_u8(w, HASH_SHA1);
	w_tl(w, H_SIGALG_INFO, 8);
	w_tl(w, H_SIGALG, 1);
	w_u8(w, 0);
	w_tl(w, H_MODULUS, 1);
	w_u8(w, (unsigned int)mod);
	*sig_at = w->len;
	w_tlv(w, H_FILENAME, filename, strlen(filename) + 1);
	w_tlv(w, H_TIMESTAMP, tsb, 4);
	while ((w->len + 3 + (size_t)sigbytes) % 4)
		w_u8(w, H_PADDING);
	hlen = w->len + 3 + (size_t)sigbytes;
	w_set_u16(w, hlen_at, hlen);
	if (w->fail)
		return pp_errf(err, errlen, "the header does not fit (out of memory or too long)");
	return 0;
}

/* Sign w, and make the file: w with the signature TLV at sig_at. */
static int w_sign(struct wbuf *w, size_t sig_at, EVP_PKEY *key,
		  unsigned char **out, size_t *outlen, char *err, size_t errlen)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char sig[SIG_MAX];
	size_t siglen = sizeof(sig);
	unsigned char *p;

	if (w->fail) {
		EVP_MD_CTX_free(md);
		return pp_errf(err, errlen, "the file does not fit in %u bytes (or out of memory)",
			       PP_TLV_FILE_MAX);
	}
	if (!md || EVP_DigestSignInit(md, NULL, EVP_sha1(), NULL, key) != 1 ||
	    EVP_DigestSign(md, sig, &siglen, w->p, w->len) != 1) {
		EVP_MD_CTX_free(md);
		return pp_errf(err, errlen, "cannot sign: %s", ssl_reason());
	}
	EVP_MD_CTX_free(md);
	if (siglen != (size_t)EVP_PKEY_get_size(key))
		return pp_errf(err, errlen, "signature of %zu bytes, not the key's size", siglen);
	if (w->len + 3 + siglen > PP_TLV_FILE_MAX)
		return pp_errf(err, errlen, "the file does not fit in %u bytes", PP_TLV_FILE_MAX);
	p = malloc(w->len + 3 + siglen);
	if (!p)
		return pp_errf(err, errlen, "out of memory");
	memcpy(p, w->p, sig_at);
	p[sig_at] = H_SIGNATURE;
	p[sig_at + 1] = (unsigned char)(siglen >> 8);
	p[sig_at + 2] = (unsigned char)siglen;
	memcpy(p + sig_at + 3, sig, siglen);
	memcpy(p + sig_at + 3 + siglen, w->p + sig_at, w->len - sig_at);
	*out = p;
	*outlen = w->len + 3 + siglen;
	return 0;
}

static bool role_known(unsigned int role)
{
	return role <= PP_ROLE_CAPF || role == ROLE_APP_SERVER || role == ROLE_TVS;
}

static int w_record(struct wbuf *w, const struct pp_ctl_record *r, size_t i,
		    char *err, size_t errlen)
{
	unsigned char serial[SERIAL_MAX], *der = NULL, *pub = NULL;
	const ASN1_BIT_STRING *sig = NULL;
	struct in_addr a;
	size_t start = w->len;
	int slen, dlen, plen;

	if (!r->cert)
		return pp_errf(err, errlen, "record %zu has no certificate", i + 1);
	if (!role_known((unsigned int)r->role))
		return pp_errf(err, errlen, "record %zu: unknown role %d", i + 1, (int)r->role);
	if (r->ip[0] && inet_pton(AF_INET, r->ip, &a) != 1)
		return pp_errf(err, errlen, "record %zu: \"%.16s\" is not an IPv4 address",
			       i + 1, r->ip);
	slen = serial_bytes(r->cert, serial, sizeof(serial));
	dlen = i2d_X509(r->cert, &der);
	plen = X509_get0_pubkey(r->cert) ? i2d_PublicKey(X509_get0_pubkey(r->cert), &pub) : -1;
	X509_get0_signature(&sig, NULL, r->cert);
	if (slen < 0 || dlen <= 0 || plen <= 0 || !sig) {
		OPENSSL_free(der);
		OPENSSL_free(pub);
		ERR_clear_error();
		return pp_errf(err, errlen, "record %zu: the certificate cannot be encoded", i + 1);
	}
	w_tl(w, R_LENGTH, 2);
	w_u16(w, 0);
	w_name(w, R_SUBJECT, X509_get_subject_name(r->cert));
	w_name(w, R_ISSUER, X509_get_issuer_name(r->cert));
	w_tlv(w, R_SERIAL, serial, (size_t)slen);
	w_tl(w, R_ROLE, 2);
	w_u16(w, (unsigned int)r->role);
	w_tlv(w, R_PUBKEY, pub, (size_t)plen);
	w_tlv(w, R_SIGNATURE, ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig));
	w_tlv(w, R_CERT, der, (size_t)dlen);
	if (r->ip[0])
		w_tlv(w, R_IP, &a.s_addr, 4);
	w_set_u16(w, start + 3, w->len - start);
	OPENSSL_free(der);
	OPENSSL_free(pub);
	if (w->fail)
		return pp_errf(err, errlen, "record %zu does not fit (64 KiB per record, %u per file)",
			       i + 1, PP_TLV_FILE_MAX);
	return 0;
}

int pp_ctl_build(const struct pp_ctl_record *recs, size_t n, EVP_PKEY *key,
		 X509 *signer, const char *filename, time_t now,
		 unsigned char **out, size_t *outlen, char *err, size_t errlen)
{
	struct wbuf w = { 0 };
	size_t i, sast = 0, sig_at = 0;
	bool listed = false;
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	ERR_clear_error();
	if (!n || n > PP_CTL_RECORDS_MAX)
		return pp_errf(err, errlen, "a CTL holds 1 to %d records, not %zu",
			       PP_CTL_RECORDS_MAX, n);
	if (!key || !signer)
		return pp_errf(err, errlen, "no signing key");
	for (i = 0; i < n; i++) {
		if (recs[i].role != PP_ROLE_SAST || !recs[i].cert)
			continue;
		sast++;
		if (!X509_cmp(recs[i].cert, signer))
			listed = true;
	}
	if (sast > 2)
		return pp_errf(err, errlen, "a CTL holds at most two SAST records, not %zu", sast);
	if (!listed)
		return pp_errf(err, errlen,
			       "the signer's certificate is not one of the CTL's SAST records");
	if (w_header(&w, true, signer, key, filename, now, &sig_at, err, errlen))
		goto out;
	for (i = 0; i < n; i++)
		if (w_record(&w, &recs[i], i, err, errlen))
			goto out;
	rc = w_sign(&w, sig_at, key, out, outlen, err, errlen);
out:
	free(w.p);
	return rc;
}

int pp_sgn_build(const unsigned char *data, size_t len, const char *filename,
		 EVP_PKEY *key, X509 *cert, time_t now, unsigned char **out,
		 size_t *outlen, char *err, size_t errlen)
{
	struct wbuf w = { 0 };
	size_t sig_at = 0;
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	ERR_clear_error();
	if (!key || !cert)
		return pp_errf(err, errlen, "no signing key");
	if (len > PP_TLV_FILE_MAX)
		return pp_errf(err, errlen, "a file of %zu bytes is too large to sign (%u at most)",
			       len, PP_TLV_FILE_MAX);
	if (w_header(&w, false, cert, key, filename, now, &sig_at, err, errlen))
		goto out;
	w_put(&w, data, len);
	rc = w_sign(&w, sig_at, key, out, outlen, err, errlen);
out:
	free(w.p);
	return rc;
}

/* ---- reader ---- */

struct hdr {
	size_t hlen;			/* header length (body starts there) */
	const unsigned char *serial;
	size_t serial_len;
	int hash;
	size_t sig_at, sig_len;		/* the signature TLV: offset, value length */
	char filename[64];
	time_t timestamp;
	bool have_ts, have_name;
};

static unsigned int get16(const unsigned char *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

static int parse_header(const unsigned char *buf, size_t len, struct hdr *h,
			char *err, size_t errlen)
{
	size_t off, end;

	memset(h, 0, sizeof(*h));
	if (!buf || len < 10)
		return pp_errf(err, errlen, "%zu bytes: too short for a header", len);
	if (len > PP_TLV_FILE_MAX)
		return pp_errf(err, errlen, "%zu bytes: larger than %u", len, PP_TLV_FILE_MAX);
	if (buf[0] != H_VERSION || get16(buf + 1) != 2)
		return pp_errf(err, errlen, "not a signed TLV file (no version tag first)");
	if (buf[5] != H_LENGTH || get16(buf + 6) != 2)
		return pp_errf(err, errlen, "no header length tag after the version");
	end = get16(buf + 8);
	if (end < 10 || end > len)
		return pp_errf(err, errlen, "header length %zu outside the file's %zu bytes",
			       end, len);
	h->hlen = end;
	off = 10;
	while (off < end) {
		unsigned int tag = buf[off++];
		size_t l;
		const unsigned char *v;

		if (tag == H_PADDING)
			continue;
		if (end - off < 2)
			return pp_errf(err, errlen, "header tag %u at %zu: length beyond the header",
				       tag, off - 1);
		l = get16(buf + off);
		off += 2;
		if (l > end - off)
			return pp_errf(err, errlen,
				       "header tag %u at %zu: %zu bytes beyond the header",
				       tag, off - 3, l);
		/* containers: their TLVs follow inline */
		if (tag == H_SIGNER_INFO || tag == H_SIGNATURE_INFO || tag == H_SIGALG_INFO)
			continue;
		v = buf + off;
		switch (tag) {
		case H_SIGNER_VERSION:
			if (l != 2)
				goto badlen;
			break;
		case H_SIGNER_NAME:
		case H_ISSUER:
			if (!l || v[l - 1])
				return pp_errf(err, errlen, "header tag %u: name not NUL-terminated", tag);
			break;
		case H_SERIAL:
			if (!l || l > SERIAL_MAX)
				goto badlen;
			if (h->serial)
				goto dup;
			h->serial = v;
			h->serial_len = l;
			break;
		case H_HASH:
			if (l != 1)
				goto badlen;
			if (v[0] != HASH_SHA1 && v[0] != HASH_SHA256 && v[0] != HASH_SHA512)
				return pp_errf(err, errlen, "unknown hash algorithm %u", v[0]);
			if (h->hash)
				goto dup;
			h->hash = v[0];
			break;
		case H_SIGALG:
			if (l != 1)
				goto badlen;
			if (v[0] != 0)
				return pp_errf(err, errlen, "signature algorithm %u is not RSA", v[0]);
			break;
		case H_MODULUS:
			if (l != 1)
				goto badlen;
			break;
		case H_SIGNATURE:
			if (!l || l > SIG_MAX)
				goto badlen;
			if (h->sig_len)
				goto dup;
			h->sig_at = off - 3;
			h->sig_len = l;
			break;
		case H_FILENAME:
			if (!l || l > sizeof(h->filename) || v[l - 1] || memchr(v, 0, l - 1))
				return pp_errf(err, errlen,
					       "file name of %zu bytes: not 1 to 63 characters and a NUL", l);
			if (h->have_name)
				goto dup;
			memcpy(h->filename, v, l);
			h->have_name = true;
			break;
		case H_TIMESTAMP:
			if (l != 4)
				goto badlen;
			h->timestamp = (time_t)((uint32_t)get16(v) << 16 | get16(v + 2));
			h->have_ts = true;
			break;
		default:
			return pp_errf(err, errlen, "unknown header tag %u at offset %zu", tag, off - 3);
		}
		off += l;
		continue;
badlen:
		return pp_errf(err, errlen, "header tag %u: bad length %zu", tag, l);
dup:
		return pp_errf(err, errlen, "header tag %u appears twice", tag);
	}
	if (!h->hash)
		return pp_errf(err, errlen, "the header names no hash algorithm");
	if (!h->sig_len)
		return pp_errf(err, errlen, "the header holds no signature");
	return 0;
}

static const EVP_MD *hash_md(int hash)
{
	return hash == HASH_SHA512 ? EVP_sha512() :
	       hash == HASH_SHA256 ? EVP_sha256() : EVP_sha1();
}

/* The signature over buf without the signature TLV, checked with cert. */
static int verify_sig(const unsigned char *buf, size_t len, const struct hdr *h,
		      X509 *cert, char *err, size_t errlen)
{
	EVP_PKEY *pub = X509_get0_pubkey(cert);
	EVP_MD_CTX *md;
	size_t after = h->sig_at + 3 + h->sig_len;
	int ok;

	if (!pub || EVP_PKEY_get_base_id(pub) != EVP_PKEY_RSA) {
		ERR_clear_error();
		return pp_errf(err, errlen, "the signer's certificate has no RSA key");
	}
	if (h->sig_len != (size_t)EVP_PKEY_get_size(pub))
		return pp_errf(err, errlen, "signature of %zu bytes for a key of %d: bad signature",
			       h->sig_len, EVP_PKEY_get_size(pub));
	md = EVP_MD_CTX_new();
	ok = md && EVP_DigestVerifyInit(md, NULL, hash_md(h->hash), NULL, pub) == 1 &&
	     EVP_DigestVerifyUpdate(md, buf, h->sig_at) == 1 &&
	     EVP_DigestVerifyUpdate(md, buf + after, len - after) == 1 &&
	     EVP_DigestVerifyFinal(md, buf + h->sig_at + 3, h->sig_len) == 1;
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	if (!ok)
		return pp_errf(err, errlen, "bad signature (the file was altered or signed by another key)");
	return 0;
}

/* Does cert's serial equal the bytes? (leading zeros ignored) */
static bool serial_is(const X509 *cert, const unsigned char *s, size_t n)
{
	unsigned char mine[SERIAL_MAX];
	int m = serial_bytes(cert, mine, sizeof(mine));

	while (n && !*s) {
		s++;
		n--;
	}
	return m >= 0 && (size_t)m == n && !memcmp(mine, s, n);
}

static void hex(const unsigned char *s, size_t n, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used + 3 <= len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%02x", s[i]);
}

static int parse_record(const unsigned char *buf, size_t start, size_t end,
			struct pp_ctl_record *r, size_t idx, char *err, size_t errlen)
{
	const unsigned char *serial = NULL;
	size_t off = start, serial_len = 0;
	bool have_role = false;

	while (off < end) {
		unsigned int tag;
		const unsigned char *v;
		size_t l;

		if (end - off < 3)
			return pp_errf(err, errlen, "record %zu: a tag at %zu crosses its end", idx, off);
		tag = buf[off];
		l = get16(buf + off + 1);
		off += 3;
		if (l > end - off)
			return pp_errf(err, errlen, "record %zu: tag %u of %zu bytes crosses its end",
				       idx, tag, l);
		v = buf + off;
		switch (tag) {
		case R_DNS:
		case R_SUBJECT:
		case R_ISSUER:
			if (!l || v[l - 1])
				return pp_errf(err, errlen, "record %zu: tag %u not NUL-terminated",
					       idx, tag);
			break;
		case R_ROLE:
			if (l != 2)
				return pp_errf(err, errlen, "record %zu: role of %zu bytes", idx, l);
			if (have_role)
				return pp_errf(err, errlen, "record %zu: two roles", idx);
			if (!role_known(get16(v)))
				return pp_errf(err, errlen, "record %zu: unknown role %u", idx, get16(v));
			r->role = (enum pp_tlv_role)get16(v);
			have_role = true;
			break;
		case R_SERIAL:
			if (!l || l > SERIAL_MAX || serial)
				return pp_errf(err, errlen, "record %zu: bad serial", idx);
			serial = v;
			serial_len = l;
			break;
		case R_PUBKEY:
		case R_SIGNATURE:
		case R_CERT_HASH:
			break;
		case R_HASH:
			if (l != 1)
				return pp_errf(err, errlen, "record %zu: hash algorithm of %zu bytes", idx, l);
			break;
		case R_CERT: {
			const unsigned char *p = v;

			if (r->cert)
				return pp_errf(err, errlen, "record %zu: two certificates", idx);
			if (!l)
				return pp_errf(err, errlen, "record %zu: empty certificate", idx);
			r->cert = d2i_X509(NULL, &p, (long)l);
			if (!r->cert || p != v + l) {
				ERR_clear_error();
				return pp_errf(err, errlen, "record %zu: the certificate is not DER X.509",
					       idx);
			}
			break;
		}
		case R_IP:
			if (l == 4) {
				inet_ntop(AF_INET, v, r->ip, sizeof(r->ip));
			} else {
				struct in_addr a;

				if (!l || l > sizeof(r->ip) || v[l - 1] || memchr(v, 0, l - 1) ||
				    inet_pton(AF_INET, (const char *)v, &a) != 1)
					return pp_errf(err, errlen, "record %zu: bad IP address", idx);
				memcpy(r->ip, v, l);
			}
			break;
		default:
			return pp_errf(err, errlen, "record %zu: unknown tag %u", idx, tag);
		}
		off += l;
	}
	if (!have_role)
		return pp_errf(err, errlen, "record %zu has no role", idx);
	if (!r->cert)
		return pp_errf(err, errlen, "record %zu has no certificate", idx);
	if (serial && !serial_is(r->cert, serial, serial_len))
		return pp_errf(err, errlen, "record %zu: its serial is not its certificate's", idx);
	return 0;
}

void pp_ctl_free(struct pp_ctl *ctl)
{
	size_t i;

	if (!ctl)
		return;
	for (i = 0; i < PP_CTL_RECORDS_MAX; i++)
		X509_free(ctl->rec[i].cert);
	memset(ctl, 0, sizeof(*ctl));
}

int pp_ctl_parse(const unsigned char *buf, size_t len, struct pp_ctl *ctl,
		 char *err, size_t errlen)
{
	struct hdr h;
	size_t off, i, sast = 0;
	bool found = false;
	char s[2 * SERIAL_MAX + 1];

	memset(ctl, 0, sizeof(*ctl));
	ERR_clear_error();
	if (parse_header(buf, len, &h, err, errlen))
		return -1;
	if (!h.serial)
		return pp_errf(err, errlen, "the header names no signer serial");
	off = h.hlen;
	while (off < len) {
		size_t rl;

		if (len - off < 5 || buf[off] != R_LENGTH || get16(buf + off + 1) != 2) {
			pp_errf(err, errlen, "no record length tag at offset %zu", off);
			goto fail;
		}
		rl = get16(buf + off + 3);
		if (rl < 5 || rl > len - off) {
			pp_errf(err, errlen, "record at %zu: length %zu outside the file", off, rl);
			goto fail;
		}
		if (ctl->n == PP_CTL_RECORDS_MAX) {
			pp_errf(err, errlen, "more than %d records", PP_CTL_RECORDS_MAX);
			goto fail;
		}
		if (parse_record(buf, off + 5, off + rl, &ctl->rec[ctl->n], ctl->n + 1,
				 err, errlen))
			goto fail;
		ctl->n++;
		off += rl;
	}
	if (!ctl->n)
		return pp_errf(err, errlen, "the CTL holds no record");
	for (i = 0; i < ctl->n; i++) {
		if (ctl->rec[i].role != PP_ROLE_SAST)
			continue;
		sast++;
		if (!found && serial_is(ctl->rec[i].cert, h.serial, h.serial_len)) {
			ctl->signer = i;
			found = true;
		}
	}
	hex(h.serial, h.serial_len, s, sizeof(s));
	if (sast > 2) {
		pp_errf(err, errlen, "%zu SAST records (two at most)", sast);
		goto fail;
	}
	if (!found) {
		pp_errf(err, errlen, "signed by serial %s, which no SAST record holds", s);
		goto fail;
	}
	if (verify_sig(buf, len, &h, ctl->rec[ctl->signer].cert, err, errlen))
		goto fail;
	memcpy(ctl->filename, h.filename, sizeof(ctl->filename));
	ctl->timestamp = h.timestamp;
	return 0;
fail:
	pp_ctl_free(ctl);
	return -1;
}

static void subject_of(X509 *x, char *buf, size_t len)
{
	if (name_bytes(X509_get_subject_name(x), buf, len) < 0)
		snprintf(buf, len, "?");
}

int pp_ctl_may_replace(const struct pp_ctl *old, const struct pp_ctl *new,
		       char *err, size_t errlen)
{
	char who[256], held[600] = "";
	size_t i, used = 0;
	X509 *signer;

	if (!new || !new->n || new->signer >= new->n || !new->rec[new->signer].cert)
		return pp_errf(err, errlen, "no new CTL");
	if (!old)
		return 0;
	signer = new->rec[new->signer].cert;
	for (i = 0; i < old->n; i++) {
		char one[256];

		if (old->rec[i].role != PP_ROLE_SAST || !old->rec[i].cert)
			continue;
		if (!X509_cmp(old->rec[i].cert, signer))
			return 0;
		subject_of(old->rec[i].cert, one, sizeof(one));
		used += (size_t)snprintf(held + used, used < sizeof(held) ? sizeof(held) - used : 0,
					 "%s%s", used ? "; " : "", one);
	}
	subject_of(signer, who, sizeof(who));
	return pp_errf(err, errlen,
		       "the new CTL is signed by %s, a key the phones' current CTL does not hold "
		       "(its SAST certificates: %s): phones would refuse it; sign it with one of "
		       "those keys, or delete the CTL on every phone first",
		       who, held[0] ? held : "none");
}

int pp_sgn_verify(const unsigned char *buf, size_t len, X509 *cert,
		  const unsigned char **data, size_t *datalen, char *err,
		  size_t errlen)
{
	struct hdr h;

	*data = NULL;
	*datalen = 0;
	ERR_clear_error();
	if (!cert)
		return pp_errf(err, errlen, "no certificate to verify with");
	if (parse_header(buf, len, &h, err, errlen))
		return -1;
	if (h.serial && !serial_is(cert, h.serial, h.serial_len)) {
		char s[2 * SERIAL_MAX + 1];

		hex(h.serial, h.serial_len, s, sizeof(s));
		return pp_errf(err, errlen,
			       "signed by the certificate of serial %s, not the one given", s);
	}
	if (verify_sig(buf, len, &h, cert, err, errlen))
		return -1;
	*data = buf + h.hlen;
	*datalen = len - h.hlen;
	return 0;
}
