// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * lib/tlv.c from the command line, for tests/tlv_oracle.sh (the oracle:
 * certutils' tlvfile and sgnfile must read what we write, we must read
 * what they write):
 *	tlvtool ctl OUT FILENAME SIGNER.pem ROLE:CERT.pem[@IP]...
 *		ROLE is sast, ccm, ccm+tftp, tftp or capf
 *	tlvtool sgn IN OUT FILENAME KEY+CERT.pem
 *	tlvtool parse-ctl FILE		prints the records, exit 1 if refused
 *	tlvtool verify-sgn FILE CERT.pem	prints the data, exit 1 if refused
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/pem.h>

#include "file.h"
#include "tlv.h"

static int load(const char *path, EVP_PKEY **key, X509 **cert)
{
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return -1;
	}
	if (cert)
		*cert = PEM_read_X509(f, NULL, NULL, NULL);
	if (key) {
		rewind(f);
		*key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	}
	fclose(f);
	if ((cert && !*cert) || (key && !*key)) {
		fprintf(stderr, "%s: no PEM %s\n", path, cert && !*cert ? "certificate" : "key");
		return -1;
	}
	return 0;
}

static const char *const roles[] = { "sast", "ccm", "ccm+tftp", "tftp", "capf" };

static int ctl(int argc, char **argv)
{
	struct pp_ctl_record r[PP_CTL_RECORDS_MAX] = { 0 };
	EVP_PKEY *key = NULL;
	X509 *signer = NULL;
	unsigned char *out;
	size_t n = 0, len, i;
	char err[512];
	int k;

	if (argc < 5 || load(argv[3], &key, &signer))
		return 2;
	for (k = 4; k < argc && n < PP_CTL_RECORDS_MAX; k++, n++) {
		char *colon = strchr(argv[k], ':'), *at;

		if (!colon)
			return 2;
		*colon = '\0';
		at = strchr(colon + 1, '@');
		if (at) {
			*at = '\0';
			snprintf(r[n].ip, sizeof(r[n].ip), "%s", at + 1);
		}
		for (i = 0; i < 5 && strcasecmp(argv[k], roles[i]); i++)
			;
		if (i == 5 || load(colon + 1, NULL, &r[n].cert))
			return 2;
		r[n].role = (enum pp_tlv_role)i;
	}
	if (pp_ctl_build(r, n, key, signer, argv[2], time(NULL), &out, &len, err,
			 sizeof(err))) {
		fprintf(stderr, "tlvtool: %s\n", err);
		return 1;
	}
	if (pp_file_write_atomic(argv[1], out, len, 0644))
		return 1;
	return 0;
}

static int sgn(int argc, char **argv)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	unsigned char *out;
	char *data, err[512];
	size_t len, outlen;

	if (argc != 5 || load(argv[4], &key, &cert))
		return 2;
	if (pp_file_read(argv[1], PP_TLV_FILE_MAX, &data, &len)) {
		perror(argv[1]);
		return 2;
	}
	if (pp_sgn_build((unsigned char *)data, len, argv[3], key, cert, time(NULL), &out,
			 &outlen, err, sizeof(err))) {
		fprintf(stderr, "tlvtool: %s\n", err);
		return 1;
	}
	return pp_file_write_atomic(argv[2], out, outlen, 0644) ? 1 : 0;
}

static int parse_ctl(int argc, char **argv)
{
	struct pp_ctl c;
	char *data, err[512];
	size_t len, i;

	if (argc != 2 || pp_file_read(argv[1], PP_TLV_FILE_MAX + 1, &data, &len))
		return 2;
	if (pp_ctl_parse((unsigned char *)data, len, &c, err, sizeof(err))) {
		fprintf(stderr, "tlvtool: %s: %s\n", argv[1], err);
		return 1;
	}
	printf("file %s signer %zu records %zu\n", c.filename, c.signer + 1, c.n);
	for (i = 0; i < c.n; i++) {
		char subject[256];

		X509_NAME_oneline(X509_get_subject_name(c.rec[i].cert), subject, sizeof(subject));
		printf("record %zu role %s subject %s ip %s\n", i + 1,
		       (unsigned int)c.rec[i].role < 5 ? roles[c.rec[i].role] : "other",
		       subject, c.rec[i].ip[0] ? c.rec[i].ip : "-");
	}
	pp_ctl_free(&c);
	return 0;
}

static int verify_sgn(int argc, char **argv)
{
	const unsigned char *d;
	X509 *cert = NULL;
	char *data, err[512];
	size_t len, dlen;

	if (argc != 3 || load(argv[2], NULL, &cert) ||
	    pp_file_read(argv[1], PP_TLV_FILE_MAX + 1, &data, &len))
		return 2;
	if (pp_sgn_verify((unsigned char *)data, len, cert, &d, &dlen, err, sizeof(err))) {
		fprintf(stderr, "tlvtool: %s: %s\n", argv[1], err);
		return 1;
	}
	fwrite(d, 1, dlen, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: tlvtool ctl|sgn|parse-ctl|verify-sgn ...\n");
		return 2;
	}
	if (!strcmp(argv[1], "ctl"))
		return ctl(argc - 1, argv + 1);
	if (!strcmp(argv[1], "sgn"))
		return sgn(argc - 1, argv + 1);
	if (!strcmp(argv[1], "parse-ctl"))
		return parse_ctl(argc - 1, argv + 1);
	if (!strcmp(argv[1], "verify-sgn"))
		return verify_sgn(argc - 1, argv + 1);
	fprintf(stderr, "tlvtool: unknown command %s\n", argv[1]);
	return 2;
}
