// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * What pp-clusterd replicates of secure SCCP (docs/cluster.md
 * "Certificates and the CTL"): CERTS and CTL messages encode and decode
 * back to the same, every truncation is refused; a node's certificates
 * are kept only when each is X.509, RSA of a size the phones verify and
 * names the node's uuid; a CTL set is installed only when every file is a
 * CTL whose signature verifies with a SAST record it lists, names itself
 * and lists what CTLFile.tlv lists.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "cert.h"
#include "cluster.h"
#include "file.h"
#include "ident.h"
#include "tap.h"
#include "tlv.h"

#define UUID	"0f5c3b8a-1111-4222-8333-444455556666"

static unsigned char buf[PP_CLUSTER_MSG_MAX + 16];
static char err[512];

/* A self-signed certificate of an RSA size pp_cert_selfsigned does not make. */
static int make_odd(struct ident *id, int bits, const char *cn)
{
	X509_NAME *name;

	memset(id, 0, sizeof(*id));
	id->key = EVP_RSA_gen((unsigned int)bits);
	id->cert = X509_new();
	if (!id->key || !id->cert)
		return -1;
	ASN1_INTEGER_set(X509_get_serialNumber(id->cert), 1);
	X509_gmtime_adj(X509_getm_notBefore(id->cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(id->cert), 86400);
	X509_set_pubkey(id->cert, id->key);
	name = X509_get_subject_name(id->cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(id->cert, name);
	if (!X509_sign(id->cert, id->key, EVP_sha256()))
		return -1;
	id->der_len = i2d_X509(id->cert, &id->der);
	return id->der_len > 0 ? 0 : -1;
}

static struct ident tftp, capf, other_tftp, small, sast1, stranger;

static struct pp_cluster_msg certs_msg(void)
{
	struct pp_cluster_msg m = { .type = PP_CLUSTER_CERTS, .node = 3, .seq = 9,
				    .time_ms = 1764806400123ull, .owner = 3 };

	inet_pton(AF_INET, "192.0.2.3", &m.north);
	memcpy(m.uuid, UUID, sizeof(UUID));
	m.cert[0] = tftp.der;
	m.cert_len[0] = (uint16_t)tftp.der_len;
	m.cert[1] = capf.der;
	m.cert_len[1] = (uint16_t)capf.der_len;
	return m;
}

static void test_certs_codec(void)
{
	struct pp_cluster_msg m = certs_msg(), d;
	long len;
	size_t cut;
	int refused = 0;

	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	ok(len == PP_CLUSTER_HDR_LEN + 1 + 4 + 4 + 36 + 2 + tftp.der_len + 2 + capf.der_len,
	   "certs: header, nfor, owner, north, uuid, two lengths and DERs, nothing else (%ld bytes)",
	   len);
	ok(buf[4] == 4 && buf[5] == PP_CLUSTER_CERTS, "version 4, type 9");
	ok(!pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) && d.owner == 3 &&
	   d.north == m.north && !strcmp(d.uuid, UUID) && d.cert_len[0] == tftp.der_len &&
	   !memcmp(d.cert[0], tftp.der, (size_t)tftp.der_len) &&
	   d.cert_len[1] == capf.der_len && !memcmp(d.cert[1], capf.der, (size_t)capf.der_len),
	   "certs decode to what was encoded");
	ok(!pp_cluster_certs_check(&d, err, sizeof(err)), "a node's own certificates pass");
	for (cut = 0; cut < (size_t)len; cut++)
		refused += pp_cluster_decode(buf, cut, &d, err, sizeof(err)) != 0;
	ok(refused == len, "certs cut at every length refused (%d of %ld)", refused, len);
	buf[len] = 0;
	ok(pp_cluster_decode(buf, (size_t)len + 1, &d, err, sizeof(err)),
	   "certs with a trailing byte refused: %s", err);

	m = certs_msg();
	m.owner = 2;
	ok(pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err)) < 0,
	   "certs of another node outside a snapshot refused: %s", err);
	m.nfor = 1;
	m.forp[0] = (struct pp_cluster_peer){ 4, 100 };
	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	ok(len > 0 && !pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)) &&
	   d.owner == 2 && d.nfor == 1 && d.forp[0].pid == 100,
	   "another node's certificates relayed in a snapshot for a joiner decode");
	m = certs_msg();
	memcpy(m.uuid, "0F5C3B8A-1111-4222-8333-444455556666", 36);
	ok(pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err)) < 0,
	   "an uppercase uuid refused: %s", err);
	m = certs_msg();
	m.cert_len[1] = 0;
	ok(pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err)) < 0,
	   "an empty capf certificate refused: %s", err);
	m = certs_msg();
	inet_pton(AF_INET, "127.0.0.1", &m.north);
	ok(pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err)) < 0,
	   "a loopback north address refused: %s", err);
	m = certs_msg();
	len = pp_cluster_encode(&m, buf, sizeof(buf), err, sizeof(err));
	buf[PP_CLUSTER_HDR_LEN + 1 + 8 + 5] = 0;	/* a NUL in the uuid */
	ok(pp_cluster_decode(buf, (size_t)len, &d, err, sizeof(err)),
	   "a NUL inside the uuid refused: %s", err);
}

static void test_certs_check(void)
{
	struct pp_cluster_msg m = certs_msg();
	unsigned char junk[64];

	m.cert[0] = other_tftp.der;
	m.cert_len[0] = (uint16_t)other_tftp.der_len;
	ok(pp_cluster_certs_check(&m, err, sizeof(err)) && strstr(err, "CN"),
	   "a tftp certificate of another uuid (a forged member) refused: %s", err);
	m = certs_msg();
	m.cert[1] = tftp.der;
	m.cert_len[1] = (uint16_t)tftp.der_len;
	ok(pp_cluster_certs_check(&m, err, sizeof(err)) && strstr(err, "capf"),
	   "the tftp certificate given as capf refused: %s", err);
	m = certs_msg();
	m.cert[0] = small.der;
	m.cert_len[0] = (uint16_t)small.der_len;
	ok(pp_cluster_certs_check(&m, err, sizeof(err)) && strstr(err, "RSA 1536"),
	   "an RSA 1536 key (phones verify 1024, 2048, 4096) refused: %s", err);
	memset(junk, 0x30, sizeof(junk));
	m = certs_msg();
	m.cert[0] = junk;
	m.cert_len[0] = sizeof(junk);
	ok(pp_cluster_certs_check(&m, err, sizeof(err)) && strstr(err, "X.509"),
	   "garbage in place of a certificate refused: %s", err);
	m = certs_msg();
	m.cert_len[0] = (uint16_t)(tftp.der_len - 1);
	ok(pp_cluster_certs_check(&m, err, sizeof(err)), "a certificate cut by one byte refused: %s",
	   err);
}

/* A CTL built from records: two nodes' certificates and the SAST. */
static int ctl_file(struct ident *signer, const char *name, const char *ip, unsigned char **out,
		    size_t *len)
{
	struct pp_ctl_record r[4];

	memset(r, 0, sizeof(r));
	r[0].role = PP_ROLE_SAST;
	r[0].cert = signer->cert;
	r[1].role = PP_ROLE_CCM_TFTP;
	r[1].cert = tftp.cert;
	snprintf(r[1].ip, sizeof(r[1].ip), "%s", ip);
	r[2].role = PP_ROLE_CAPF;
	r[2].cert = capf.cert;
	r[3].role = PP_ROLE_CCM_TFTP;
	r[3].cert = other_tftp.cert;
	strcpy(r[3].ip, "192.0.2.2");
	return pp_ctl_build(r, 4, signer->key, signer->cert, name, 1700000000, out, len, err,
			    sizeof(err));
}

/* Where the signature's value starts: after tag 11 (modulus index 2). */
static size_t sig_value_at(const unsigned char *f, size_t len)
{
	static const unsigned char pat[] = { 11, 0, 1, 2, 12, 1, 0 };
	size_t i;

	for (i = 0; i + sizeof(pat) <= len; i++)
		if (!memcmp(f + i, pat, sizeof(pat)))
			return i + sizeof(pat);
	return 0;
}

struct set {
	unsigned char b[65536];
	size_t len;
};

static void set_begin(struct set *s, uint32_t count)
{
	count = htonl(count);
	memcpy(s->b, &count, 4);
	s->len = 4;
}

static void set_add(struct set *s, const char *name, const unsigned char *data, size_t len)
{
	uint32_t l = htonl((uint32_t)len);

	s->b[s->len++] = (unsigned char)strlen(name);
	memcpy(s->b + s->len, name, strlen(name));
	s->len += strlen(name);
	memcpy(s->b + s->len, &l, 4);
	s->len += 4;
	memcpy(s->b + s->len, data, len);
	s->len += len;
}

static void test_ctl_set(void)
{
	unsigned char *main_f, *sep, *other_ip, *forged;
	size_t main_len, sep_len, oip_len, forged_len, cut;
	struct pp_cluster_ctlset cs;
	static struct set s;
	char dir[] = "/tmp/test_cluster_certs.XXXXXX", path[256];
	unsigned char *rb;
	size_t rlen;
	int refused = 0;

	size_t at, sat;

	if (ctl_file(&sast1, "CTLFile.tlv", "192.0.2.1", &main_f, &main_len) ||
	    ctl_file(&sast1, "CTLSEP001122334455.tlv", "192.0.2.1", &sep, &sep_len) ||
	    ctl_file(&sast1, "CTLSEP001122334466.tlv", "192.0.2.9", &other_ip, &oip_len) ||
	    ctl_file(&stranger, "CTLFile.tlv", "192.0.2.1", &forged, &forged_len))
	{
		ok(0, "building the CTL files: %s", err);
		return;
	}

	set_begin(&s, 2);
	set_add(&s, "CTLFile.tlv", main_f, main_len);
	set_add(&s, "CTLSEP001122334455.tlv", sep, sep_len);
	ok(!pp_cluster_ctl_parse(s.b, s.len, &cs, err, sizeof(err)) && cs.n == 2 &&
	   cs.files[1].len == sep_len, "a CTL set of CTLFile.tlv and a CTLSEP file passes");
	pp_cluster_ctlset_free(&cs);
	for (cut = 0; cut < s.len; cut++)
		refused += pp_cluster_ctl_parse(s.b, cut, &cs, err, sizeof(err)) != 0;
	ok(refused == (int)s.len, "a CTL set cut at every length refused (%d of %zu)", refused,
	   s.len);

	/* sast1's CTL carrying a signature made with another key. */
	at = sig_value_at(main_f, main_len);
	sat = sig_value_at(forged, forged_len);
	ok(at && sat && at + 256 <= main_len && sat + 256 <= forged_len, "signatures found");
	{
		static unsigned char f2[65536];

		memcpy(f2, main_f, main_len);
		memcpy(f2 + at, forged + sat, 256);
		set_begin(&s, 1);
		set_add(&s, "CTLFile.tlv", f2, main_len);
	}
	ok(pp_cluster_ctl_parse(s.b, s.len, &cs, err, sizeof(err)),
	   "a CTL signed by a key that is not its SAST record's refused: %s", err);
	set_begin(&s, 1);
	main_f[main_len / 2] ^= 1;
	set_add(&s, "CTLFile.tlv", main_f, main_len);
	ok(pp_cluster_ctl_parse(s.b, s.len, &cs, err, sizeof(err)),
	   "a CTL with one byte changed refused (its signature): %s", err);
	main_f[main_len / 2] ^= 1;
	set_begin(&s, 2);
	set_add(&s, "CTLFile.tlv", main_f, main_len);
	set_add(&s, "CTLSEP001122334466.tlv", other_ip, oip_len);
	ok(pp_cluster_ctl_parse(s.b, s.len, &cs, err, sizeof(err)) && strstr(err, "other"),
	   "a CTLSEP file listing other records than CTLFile.tlv refused: %s", err);
	set_begin(&s, 2);
	set_add(&s, "CTLFile.tlv", main_f, main_len);
	set_add(&s, "CTLSEP001122334466.tlv", sep, sep_len);
	ok(pp_cluster_ctl_parse(s.b, s.len, &cs, err, sizeof(err)) && strstr(err, "names"),
	   "a CTLSEP file under another file's name refused: %s", err);
	set_begin(&s, 1);
	set_add(&s, "CTLSEP001122334455.tlv", sep, sep_len);
	ok(pp_cluster_ctl_parse(s.b, s.len, &cs, err, sizeof(err)),
	   "a set not starting with CTLFile.tlv refused: %s", err);
	set_begin(&s, 2);
	set_add(&s, "CTLFile.tlv", main_f, main_len);
	set_add(&s, "../../etc/x.tlv", sep, sep_len);
	ok(pp_cluster_ctl_parse(s.b, s.len, &cs, err, sizeof(err)),
	   "a file name with a path refused: %s", err);
	set_begin(&s, 3);
	set_add(&s, "CTLFile.tlv", main_f, main_len);
	set_add(&s, "CTLSEP001122334455.tlv", sep, sep_len);
	set_add(&s, "CTLSEP001122334455.tlv", sep, sep_len);
	ok(pp_cluster_ctl_parse(s.b, s.len, &cs, err, sizeof(err)) && strstr(err, "twice"),
	   "a file twice refused: %s", err);
	set_begin(&s, 0xffffffffu);
	set_add(&s, "CTLFile.tlv", main_f, main_len);
	ok(pp_cluster_ctl_parse(s.b, s.len, &cs, err, sizeof(err)),
	   "a count that cannot fit refused before allocating: %s", err);

	/* Installed: the files, a stale CTLSEP removed; read back the same. */
	ok(mkdtemp(dir) != NULL, "a directory to install in");
	snprintf(path, sizeof(path), "%s/CTLSEP0000000000AA.tlv", dir);
	pp_file_write_atomic(path, "x", 1, 0644);
	snprintf(path, sizeof(path), "%s/sast1.pem", dir);
	pp_file_write_atomic(path, "key", 3, 0600);
	set_begin(&s, 2);
	set_add(&s, "CTLFile.tlv", main_f, main_len);
	set_add(&s, "CTLSEP001122334455.tlv", sep, sep_len);
	ok(!pp_cluster_ctl_parse(s.b, s.len, &cs, err, sizeof(err)) &&
	   !pp_cluster_ctl_install(dir, &cs), "a valid set installed");
	snprintf(path, sizeof(path), "%s/CTLSEP0000000000AA.tlv", dir);
	ok(access(path, F_OK) != 0, "a CTLSEP file the set does not hold removed");
	snprintf(path, sizeof(path), "%s/sast1.pem", dir);
	ok(access(path, F_OK) == 0, "the SAST key beside the CTL left alone");
	rlen = 0;
	ok(!pp_cluster_ctl_read(dir, &rb, &rlen, err, sizeof(err)) && rlen == s.len,
	   "the installed set reads back whole");
	pp_cluster_ctlset_free(&cs);
	ok(!pp_cluster_ctl_parse(rb, rlen, &cs, err, sizeof(err)) && cs.n == 2,
	   "and is valid");
	pp_cluster_ctlset_free(&cs);
	free(rb);
	unlink(path);
	snprintf(path, sizeof(path), "%s/CTLFile.tlv", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/CTLSEP001122334455.tlv", dir);
	unlink(path);
	ok(pp_cluster_ctl_read(dir, &rb, &rlen, err, sizeof(err)) == 1,
	   "no CTLFile.tlv: nothing to replicate");
	rmdir(dir);
	free(main_f);
	free(sep);
	free(other_ip);
	free(forged);
}

int main(void)
{
	if (make_ident(&tftp, 2048, "tftp" UUID) || make_ident(&capf, 2048, "capf" UUID) ||
	    make_ident(&other_tftp, 2048, "tftp0f5c3b8a-1111-4222-8333-000000000000") ||
	    make_odd(&small, 1536, "tftp" UUID) || make_ident(&sast1, 2048, "SAST1") ||
	    make_ident(&stranger, 2048, "SAST1"))
	{
		ok(0, "making the test certificates");
		return done_testing();
	}
	test_certs_codec();
	test_certs_check();
	test_ctl_set();
	return done_testing();
}
