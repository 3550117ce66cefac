// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * lib/tlv.c: the CTL and signed (.sgn) files a phone verifies before it
 * trusts the proxy (the guide's "Enabling Secure Communications"): what is
 * built parses back and verifies, a file signed by a key it does not name
 * or altered in any byte or cut at any length is refused, and the rule
 * that a new CTL must be signed by a SAST key the phone's CTL holds.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>

#include "ident.h"
#include "tap.h"
#include "tlv.h"

static struct ident sast1, sast2, stranger, tftp, capf;

static size_t std_records(struct pp_ctl_record *r, X509 *s1, X509 *s2)
{
	size_t n = 0;

	memset(r, 0, sizeof(*r) * PP_CTL_RECORDS_MAX);
	r[n].role = PP_ROLE_SAST;
	r[n++].cert = s1;
	if (s2) {
		r[n].role = PP_ROLE_SAST;
		r[n++].cert = s2;
	}
	r[n].role = PP_ROLE_CCM_TFTP;
	r[n].cert = tftp.cert;
	strcpy(r[n++].ip, "192.0.2.1");
	r[n].role = PP_ROLE_CAPF;
	r[n++].cert = capf.cert;
	return n;
}

static int build(struct ident *signer, X509 *s1, X509 *s2, const char *name,
		 unsigned char **out, size_t *len, char *err, size_t errlen)
{
	struct pp_ctl_record r[PP_CTL_RECORDS_MAX];
	size_t n = std_records(r, s1, s2);

	return pp_ctl_build(r, n, signer->key, signer->cert, name, 1700000000,
			    out, len, err, errlen);
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

static void test_ctl_round_trip(void)
{
	unsigned char *f = NULL;
	size_t len = 0, i;
	struct pp_ctl ctl;
	char err[512] = "";
	bool same;

	ok(!build(&sast1, sast1.cert, sast2.cert, "CTLFile.tlv", &f, &len, err, sizeof(err)),
	   "a CTL of two SAST, the CCM+TFTP and the CAPF certificates is built (%s)", err);
	if (!f)
		return;
	ok(!pp_ctl_parse(f, len, &ctl, err, sizeof(err)),
	   "it parses and its signature verifies (%s)", err);
	ok(ctl.n == 4, "4 records (%zu)", ctl.n);
	ok(ctl.signer == 0, "signed by the first SAST record");
	is_str(ctl.filename, "CTLFile.tlv", "the header's file name");
	ok(ctl.timestamp == 1700000000, "the header's timestamp");
	ok(ctl.n == 4 && ctl.rec[0].role == PP_ROLE_SAST && ctl.rec[1].role == PP_ROLE_SAST &&
	   ctl.rec[2].role == PP_ROLE_CCM_TFTP && ctl.rec[3].role == PP_ROLE_CAPF,
	   "roles SAST, SAST, CCM+TFTP, CAPF in order");
	is_str(ctl.rec[2].ip, "192.0.2.1", "the CCM+TFTP record carries the north address");
	ok(!ctl.rec[0].ip[0], "the SAST record has no address");
	same = ctl.n == 4;
	for (i = 0; same && i < 4; i++)
		same = !X509_cmp(ctl.rec[i].cert, (X509 *[]){ sast1.cert, sast2.cert,
							       tftp.cert, capf.cert }[i]);
	ok(same, "each record's certificate is the one put in");
	pp_ctl_free(&ctl);
	free(f);

	f = NULL;
	ok(!build(&sast2, sast1.cert, sast2.cert, "CTLSEP00AABBCCDDEE.tlv", &f, &len, err,
		  sizeof(err)), "the same records signed by the second SAST key (%s)", err);
	ok(f && !pp_ctl_parse(f, len, &ctl, err, sizeof(err)) && ctl.signer == 1,
	   "verifies with the second SAST record (%s)", err);
	is_str(ctl.filename, "CTLSEP00AABBCCDDEE.tlv", "a per-phone file names itself");
	pp_ctl_free(&ctl);
	free(f);
}

static void test_ctl_build_refusals(void)
{
	struct pp_ctl_record r[PP_CTL_RECORDS_MAX + 1];
	unsigned char *f = NULL;
	size_t len = 0, n, i;
	char err[512] = "";

	ok(build(&stranger, sast1.cert, sast2.cert, "CTLFile.tlv", &f, &len, err,
		 sizeof(err)) && !f, "a signer that is not a SAST record is refused");
	diag("%s", err);
	n = std_records(r, sast1.cert, NULL);
	ok(pp_ctl_build(r, n, sast2.key, sast1.cert, "CTLFile.tlv", 0, &f, &len, err,
			sizeof(err)) && !f, "a key that is not the signer certificate's is refused");
	diag("%s", err);
	n = std_records(r, sast1.cert, sast2.cert);
	r[n].role = PP_ROLE_SAST;
	r[n++].cert = stranger.cert;
	ok(pp_ctl_build(r, n, sast1.key, sast1.cert, "CTLFile.tlv", 0, &f, &len, err,
			sizeof(err)) && !f, "three SAST records are refused");
	diag("%s", err);
	n = std_records(r, sast1.cert, NULL);
	r[1].role = (enum pp_tlv_role)99;
	ok(pp_ctl_build(r, n, sast1.key, sast1.cert, "CTLFile.tlv", 0, &f, &len, err,
			sizeof(err)) && !f, "an unknown role is refused");
	n = std_records(r, sast1.cert, NULL);
	strcpy(r[1].ip, "192.0.2.300");
	ok(pp_ctl_build(r, n, sast1.key, sast1.cert, "CTLFile.tlv", 0, &f, &len, err,
			sizeof(err)) && !f, "a bad address is refused");
	n = std_records(r, sast1.cert, NULL);
	ok(pp_ctl_build(r, n, sast1.key, sast1.cert, "../CTLFile.tlv", 0, &f, &len, err,
			sizeof(err)) && !f, "a file name with '/' is refused");
	for (i = 0; i < PP_CTL_RECORDS_MAX + 1; i++) {
		r[i].role = i ? PP_ROLE_CCM : PP_ROLE_SAST;
		r[i].cert = i ? tftp.cert : sast1.cert;
		r[i].ip[0] = '\0';
	}
	ok(pp_ctl_build(r, PP_CTL_RECORDS_MAX + 1, sast1.key, sast1.cert, "CTLFile.tlv", 0,
			&f, &len, err, sizeof(err)) && !f, "more than %d records are refused",
	   PP_CTL_RECORDS_MAX);
	ok(!pp_ctl_build(r, PP_CTL_RECORDS_MAX, sast1.key, sast1.cert, "CTLFile.tlv", 0,
			 &f, &len, err, sizeof(err)) && f, "%d records are built (%s)",
	   PP_CTL_RECORDS_MAX, err);
	free(f);
}

static void test_ctl_hostile(void)
{
	unsigned char *f = NULL, *g = NULL, *t;
	size_t len = 0, glen = 0, i, at, bad = 0, crashfree = 0;
	struct pp_ctl ctl;
	char err[512] = "";

	if (build(&sast1, sast1.cert, sast2.cert, "CTLFile.tlv", &f, &len, err, sizeof(err)) ||
	    build(&sast2, sast1.cert, sast2.cert, "CTLFile.tlv", &g, &glen, err, sizeof(err))) {
		ok(0, "build for the hostile cases: %s", err);
		return;
	}
	t = malloc(len + 1);
	/* the header names sast1, the signature is sast2's */
	at = sig_value_at(f, len);
	ok(at && sig_value_at(g, glen), "the signature is found in both files");
	if (at && sig_value_at(g, glen)) {
		memcpy(t, f, len);
		memcpy(t + at, g + sig_value_at(g, glen), 256);
		ok(pp_ctl_parse(t, len, &ctl, err, sizeof(err)) && strstr(err, "signature"),
		   "a CTL whose signature is another SAST key's than the header names is refused (%s)",
		   err);
	}
	for (i = 0; i < len; i++) {
		memcpy(t, f, len);
		t[i] ^= 0x01;
		if (!pp_ctl_parse(t, len, &ctl, err, sizeof(err))) {
			diag("flipping byte %zu was accepted", i);
			pp_ctl_free(&ctl);
			bad++;
		}
	}
	ok(!bad, "a CTL with any one of its %zu bytes altered is refused", len);
	bad = 0;
	for (i = 0; i < len; i++) {
		unsigned char *cut = malloc(i ? i : 1);

		memcpy(cut, f, i);
		if (!pp_ctl_parse(cut, i, &ctl, err, sizeof(err))) {
			pp_ctl_free(&ctl);
			bad++;
		}
		crashfree++;
		free(cut);
	}
	ok(!bad && crashfree == len, "a CTL cut at each of its %zu lengths is refused", len);
	memcpy(t, f, len);
	t[len] = 0;
	ok(pp_ctl_parse(t, len + 1, &ctl, err, sizeof(err)),
	   "a byte appended to a CTL is refused (%s)", err);
	ok(pp_ctl_parse(NULL, 0, &ctl, err, sizeof(err)), "an empty CTL is refused");
	/* a record length that claims more than the file */
	memcpy(t, f, len);
	{
		size_t hlen = (size_t)t[8] << 8 | t[9];

		t[hlen + 3] = 0xff;
		t[hlen + 4] = 0xff;
		ok(pp_ctl_parse(t, len, &ctl, err, sizeof(err)) && strstr(err, "outside"),
		   "a record longer than the file is refused (%s)", err);
		memcpy(t, f, len);
		t[8] = 0xff;
		ok(pp_ctl_parse(t, len, &ctl, err, sizeof(err)) && strstr(err, "header length"),
		   "a header longer than the file is refused (%s)", err);
	}
	free(t);
	free(f);
	free(g);
}

static void test_may_replace(void)
{
	unsigned char *f1 = NULL, *f2 = NULL, *f3 = NULL;
	size_t l1 = 0, l2 = 0, l3 = 0;
	struct pp_ctl old, by2, other;
	char err[1024] = "";

	if (build(&sast1, sast1.cert, sast2.cert, "CTLFile.tlv", &f1, &l1, err, sizeof(err)) ||
	    build(&sast2, sast2.cert, NULL, "CTLFile.tlv", &f2, &l2, err, sizeof(err)) ||
	    build(&stranger, stranger.cert, NULL, "CTLFile.tlv", &f3, &l3, err, sizeof(err)) ||
	    pp_ctl_parse(f1, l1, &old, err, sizeof(err)) ||
	    pp_ctl_parse(f2, l2, &by2, err, sizeof(err)) ||
	    pp_ctl_parse(f3, l3, &other, err, sizeof(err))) {
		ok(0, "CTLs for the replacement rule: %s", err);
		return;
	}
	ok(!pp_ctl_may_replace(NULL, &other, err, sizeof(err)),
	   "a phone without a CTL accepts any CTL");
	ok(!pp_ctl_may_replace(&old, &old, err, sizeof(err)),
	   "a CTL signed by the same SAST key replaces the phone's");
	ok(!pp_ctl_may_replace(&old, &by2, err, sizeof(err)),
	   "a CTL signed by the other SAST key the phone's CTL holds replaces it (%s)", err);
	ok(pp_ctl_may_replace(&old, &other, err, sizeof(err)) &&
	   strstr(err, "delete the CTL"),
	   "a CTL signed by a key the phone's CTL does not hold is refused, saying how to recover");
	diag("%s", err);
	ok(pp_ctl_may_replace(&by2, &old, err, sizeof(err)) != 0,
	   "a phone whose CTL holds only SAST2 refuses a CTL signed by SAST1");
	pp_ctl_free(&old);
	pp_ctl_free(&by2);
	pp_ctl_free(&other);
	free(f1);
	free(f2);
	free(f3);
}

static void test_sgn(void)
{
	static const char cnf[] = "<device><securityMode>2</securityMode></device>\n";
	const unsigned char *data = NULL;
	unsigned char *f = NULL, *t;
	size_t len = 0, dlen = 0, i, bad = 0;
	char err[512] = "";

	ok(!pp_sgn_build((const unsigned char *)cnf, strlen(cnf), "SEP00AABBCCDDEE.cnf.xml.sgn",
			 tftp.key, tftp.cert, 1700000000, &f, &len, err, sizeof(err)),
	   "a .sgn of a configuration file is built (%s)", err);
	if (!f)
		return;
	ok(!pp_sgn_verify(f, len, tftp.cert, &data, &dlen, err, sizeof(err)) &&
	   dlen == strlen(cnf) && !memcmp(data, cnf, dlen),
	   "it verifies with the TFTP certificate and yields the file's bytes (%s)", err);
	ok(pp_sgn_verify(f, len, capf.cert, &data, &dlen, err, sizeof(err)) && !data,
	   "verifying with another certificate is refused (%s)", err);
	t = malloc(len);
	for (i = 0; i < len; i++) {
		memcpy(t, f, len);
		t[i] ^= 0x80;
		if (!pp_sgn_verify(t, len, tftp.cert, &data, &dlen, err, sizeof(err))) {
			diag("flipping byte %zu was accepted", i);
			bad++;
		}
	}
	ok(!bad, "a .sgn with any one of its %zu bytes altered is refused", len);
	bad = 0;
	for (i = 0; i < len; i++) {
		unsigned char *cut = malloc(i ? i : 1);

		memcpy(cut, f, i);
		if (!pp_sgn_verify(cut, i, tftp.cert, &data, &dlen, err, sizeof(err)))
			bad++;
		free(cut);
	}
	ok(!bad, "a .sgn cut at each of its %zu lengths is refused", len);
	free(t);
	free(f);
	ok(!pp_sgn_build((const unsigned char *)"", 0, "empty.sgn", tftp.key, tftp.cert, 0,
			 &f, &len, err, sizeof(err)) &&
	   !pp_sgn_verify(f, len, tftp.cert, &data, &dlen, err, sizeof(err)) && dlen == 0,
	   "an empty file signs and verifies (%s)", err);
	free(f);
	ok(pp_sgn_build((const unsigned char *)cnf, strlen(cnf), "x.sgn", capf.key, tftp.cert, 0,
			&f, &len, err, sizeof(err)) && !f,
	   "signing with a key that is not the certificate's is refused");
}

int main(void)
{
	if (make_ident(&sast1, 2048, "SAST1") || make_ident(&sast2, 2048, "SAST2") ||
	    make_ident(&stranger, 2048, "SAST-stranger") ||
	    make_ident(&tftp, 2048, "tftp0f5c3b8a-0000-4000-8000-000000000001") ||
	    make_ident(&capf, 1024, "capf0f5c3b8a-0000-4000-8000-000000000001")) {
		printf("Bail out! cannot make keys\n");
		return 1;
	}
	test_ctl_round_trip();
	test_ctl_build_refusals();
	test_ctl_hostile();
	test_may_replace();
	test_sgn();
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
