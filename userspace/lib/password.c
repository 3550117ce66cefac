// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Password hashes (legacy SHA-1 and PBKDF2-SHA256), the administrator's
 * password file, the strong password rule. OpenSSL does the cryptography.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "conf.h"
#include "file.h"
#include "parse.h"
#include "password.h"

#define PBKDF2_KEYLEN	32
#define SEED_BYTES	24

int pp_base64_decode(const char *in, unsigned char *out, size_t outlen)
{
	size_t len = strlen(in), n = 0, i;
	unsigned char *buf;
	int pad = 0, got;

	while (len > 0 && in[len - 1] == '=' && pad < 2) {
		len--;
		pad++;
	}
	if (len == 0 || len % 4 == 1 || len > 4096)
		return -1;
	buf = malloc(len + 4);
	if (!buf)
		return -1;
	for (i = 0; i < len; i++) {
		char c = in[i];

		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '/')) {
			free(buf);
			return -1;
		}
		buf[n++] = (unsigned char)c;
	}
	/* Padding given must be the padding needed. */
	if (pad && (len + (size_t)pad) % 4) {
		free(buf);
		return -1;
	}
	pad = (int)((4 - n % 4) % 4);
	for (i = 0; i < (size_t)pad; i++)
		buf[n++] = '=';
	{
		unsigned char *tmp = malloc(n / 4 * 3 + 1);

		if (!tmp) {
			free(buf);
			return -1;
		}
		got = EVP_DecodeBlock(tmp, buf, (int)n);
		free(buf);
		if (got < 0 || got - pad < 0 || (size_t)(got - pad) > outlen) {
			OPENSSL_cleanse(tmp, n / 4 * 3 + 1);
			free(tmp);
			return -1;
		}
		got -= pad;
		memcpy(out, tmp, (size_t)got);
		OPENSSL_cleanse(tmp, n / 4 * 3 + 1);
		free(tmp);
	}
	return got;
}

static void b64(const unsigned char *in, size_t len, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

/* Every PBKDF2 computed, for pp_pw_work() (the timing tests). */
static atomic_ulong pbkdf2_calls;
static atomic_ullong pbkdf2_iters;

void pp_pw_work(unsigned long *calls, unsigned long long *iterations)
{
	*calls = atomic_load(&pbkdf2_calls);
	*iterations = atomic_load(&pbkdf2_iters);
}

static int pbkdf2(const char *pw, const char *seed, unsigned int iter,
		  unsigned char *key)
{
	atomic_fetch_add(&pbkdf2_calls, 1);
	atomic_fetch_add(&pbkdf2_iters, iter);
	return PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw),
				 (const unsigned char *)seed, (int)strlen(seed),
				 (int)iter, EVP_sha256(), PBKDF2_KEYLEN, key) == 1 ? 0 : -1;
}

unsigned int pp_pw_default_iterations(void)
{
	const char *v = getenv("PP_PW_ITERATIONS");
	uint64_t n;

	if (v && *v && !pp_parse_uint(v, PP_PW_ITER_MIN, PP_PW_ITER_MAX, &n))
		return (unsigned int)n;
	return PP_PW_ITER_DEFAULT;
}

int pp_pw_hash(const char *pw, unsigned int iterations, char *seed, char *hash)
{
	unsigned char raw[SEED_BYTES], key[PBKDF2_KEYLEN];
	char keyb64[4 * ((PBKDF2_KEYLEN + 2) / 3) + 1];
	size_t i;

	if (!iterations)
		iterations = pp_pw_default_iterations();
	if (iterations < PP_PW_ITER_MIN || iterations > PP_PW_ITER_MAX ||
	    strlen(pw) > PP_PW_MAX)
		return -1;
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	b64(raw, sizeof(raw), seed);		/* 24 bytes: 32 chars, no '=' */
	for (i = 0; seed[i]; i++) {
		if (seed[i] == '+')
			seed[i] = '-';
		else if (seed[i] == '/')
			seed[i] = '_';
	}
	if (pbkdf2(pw, seed, iterations, key))
		return -1;
	b64(key, sizeof(key), keyb64);
	OPENSSL_cleanse(key, sizeof(key));
	snprintf(hash, PP_PW_HASH_MAX, PP_PW_TAG_PBKDF2 "i=%u$%s", iterations, keyb64);
	return 0;
}

static enum pp_pw_result unusable(char *why, size_t whylen, const char *fmt,
				  const char *hash)
{
	if (why)
		snprintf(why, whylen, fmt, strlen(hash));
	return PP_PW_UNUSABLE;
}

enum pp_pw_result pp_pw_verify(const char *pw, const char *seed,
			       const char *hash, char *why, size_t whylen)
{
	unsigned char want[64], got[PBKDF2_KEYLEN];
	enum pp_pw_result r;
	int n;

	if (why && whylen)
		why[0] = '\0';
	if (!seed || !hash) {
		if (why)
			snprintf(why, whylen, "no <seed> and <hashPw>");
		return PP_PW_UNUSABLE;
	}
	if (strlen(pw) > PP_PW_MAX)
		return PP_PW_MISMATCH;
	if (!strncmp(hash, PP_PW_TAG_PBKDF2, strlen(PP_PW_TAG_PBKDF2))) {
		const char *p = hash + strlen(PP_PW_TAG_PBKDF2), *dollar;
		char num[16];
		uint64_t iter;

		if (strncmp(p, "i=", 2))
			return unusable(why, whylen,
					"pbkdf2 hashPw (%zu characters) lacks \"i=<iterations>\"", hash);
		p += 2;
		dollar = strchr(p, '$');
		if (!dollar || (size_t)(dollar - p) >= sizeof(num))
			return unusable(why, whylen,
					"pbkdf2 hashPw (%zu characters) is malformed", hash);
		memcpy(num, p, (size_t)(dollar - p));
		num[dollar - p] = '\0';
		if (pp_parse_uint(num, PP_PW_ITER_MIN, PP_PW_ITER_MAX, &iter))
			return unusable(why, whylen,
					"pbkdf2 hashPw (%zu characters): iterations out of range", hash);
		n = pp_base64_decode(dollar + 1, want, sizeof(want));
		if (n != PBKDF2_KEYLEN)
			return unusable(why, whylen,
					"pbkdf2 hashPw (%zu characters): the key is not 32 bytes of base64", hash);
		if (pbkdf2(pw, seed, (unsigned int)iter, got))
			return unusable(why, whylen, "pbkdf2 failed (%zu)", hash);
		r = CRYPTO_memcmp(got, want, PBKDF2_KEYLEN) ? PP_PW_MISMATCH : PP_PW_MATCH;
	} else {
		EVP_MD_CTX *c;
		int okd;

		n = pp_base64_decode(hash, want, sizeof(want));
		if (n != SHA_DIGEST_LENGTH)
			return unusable(why, whylen,
					"hashPw (%zu characters) is neither \"" PP_PW_TAG_PBKDF2
					"...\" nor the base64 of a 20-byte SHA-1 digest", hash);
		c = EVP_MD_CTX_new();
		okd = c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) == 1 &&
		      EVP_DigestUpdate(c, seed, strlen(seed)) == 1 &&
		      EVP_DigestUpdate(c, pw, strlen(pw)) == 1 &&
		      EVP_DigestFinal_ex(c, got, NULL) == 1;
		EVP_MD_CTX_free(c);
		if (!okd)
			return unusable(why, whylen, "SHA-1 failed (%zu)", hash);
		r = CRYPTO_memcmp(got, want, SHA_DIGEST_LENGTH) ? PP_PW_MISMATCH : PP_PW_MATCH;
	}
	OPENSSL_cleanse(got, sizeof(got));
	return r;
}

static void dummy(const char *pw, unsigned int iterations)
{
	unsigned char key[PBKDF2_KEYLEN];

	if (iterations < PP_PW_ITER_MIN || iterations > PP_PW_ITER_MAX)
		iterations = pp_pw_default_iterations();
	if (strlen(pw) > PP_PW_MAX)
		pw = "";
	pbkdf2(pw, "phoneproxy-dummy-seed-for-timing", iterations, key);
	OPENSSL_cleanse(key, sizeof(key));
}

void pp_pw_verify_dummy(const char *pw)
{
	dummy(pw, pp_pw_default_iterations());
}

unsigned int pp_pw_hash_iterations(const char *hash)
{
	const char *p;
	uint64_t n;
	char num[16];
	size_t len;

	if (!hash || strncmp(hash, PP_PW_TAG_PBKDF2, strlen(PP_PW_TAG_PBKDF2)))
		return 0;
	p = hash + strlen(PP_PW_TAG_PBKDF2);
	if (strncmp(p, "i=", 2))
		return 0;
	p += 2;
	len = strcspn(p, "$");
	if (!p[len] || len >= sizeof(num))
		return 0;
	memcpy(num, p, len);
	num[len] = '\0';
	if (pp_parse_uint(num, PP_PW_ITER_MIN, PP_PW_ITER_MAX, &n))
		return 0;
	return (unsigned int)n;
}

enum pp_pw_result pp_pw_check(const char *pw, const char *seed, const char *hash,
			      unsigned int dummy_iterations, char *why, size_t whylen)
{
	enum pp_pw_result r;

	if (why && whylen)
		why[0] = '\0';
	/* A password too long to check costs the same (and fails). */
	if (strlen(pw) > PP_PW_MAX) {
		dummy(pw, hash && pp_pw_hash_iterations(hash) ? pp_pw_hash_iterations(hash) :
		      dummy_iterations);
		return PP_PW_MISMATCH;
	}
	if (!seed || !hash) {
		dummy(pw, dummy_iterations);
		if (why)
			snprintf(why, whylen, "no <seed> and <hashPw>");
		return seed || hash ? PP_PW_UNUSABLE : PP_PW_MISMATCH;
	}
	r = pp_pw_verify(pw, seed, hash, why, whylen);
	/* One PBKDF2 was computed only for a usable pbkdf2 hash. */
	if (r == PP_PW_UNUSABLE || !pp_pw_hash_iterations(hash))
		dummy(pw, dummy_iterations);
	return r;
}

int pp_pw_strength(const char *pw, char *why, size_t whylen)
{
	size_t len = strlen(pw), i, run = 1;
	bool upper = false, lower = false, digit = false, punct = false;
	int classes;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pw[i];

		if (c < 0x20 || c > 0x7e) {
			snprintf(why, whylen,
				 "the password has a character that is not printable ASCII (at position %zu)",
				 i + 1);
			return -1;
		}
		if (c >= 'A' && c <= 'Z')
			upper = true;
		else if (c >= 'a' && c <= 'z')
			lower = true;
		else if (c >= '0' && c <= '9')
			digit = true;
		else
			punct = true;
		run = i && pw[i] == pw[i - 1] ? run + 1 : 1;
		if (run > 3) {
			snprintf(why, whylen,
				 "the password repeats \"%c\" more than 3 times in a row", c);
			return -1;
		}
	}
	if (len < 8) {
		snprintf(why, whylen,
			 "the password has %zu characters; a strong password has at least 8", len);
		return -1;
	}
	if (len > PP_PW_MAX) {
		snprintf(why, whylen, "the password is longer than %d characters", PP_PW_MAX);
		return -1;
	}
	classes = upper + lower + digit + punct;
	if (classes < 3) {
		snprintf(why, whylen,
			 "the password uses %d of the 4 kinds of characters (upper case, lower case, digits, punctuation); a strong password uses at least 3",
			 classes);
		return -1;
	}
	return 0;
}

int pp_admin_pw_path(char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", pp_state_dir(), PP_ADMIN_PW_FILE);

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int pp_admin_pw_read(char *seed, size_t seedlen, char *hash, size_t hashlen)
{
	char path[4096], *data, *sp, *end;
	size_t len;
	int rc;

	if (pp_admin_pw_path(path, sizeof(path)))
		return -ENAMETOOLONG;
	rc = pp_file_read(path, 4096, &data, &len);
	if (rc)
		return rc;
	end = strchr(data, '\n');
	if (end)
		*end = '\0';
	sp = strchr(data, ' ');
	if (!sp || (size_t)(sp - data) >= seedlen || strlen(sp + 1) >= hashlen ||
	    sp == data || !sp[1]) {
		OPENSSL_cleanse(data, len);
		free(data);
		return -EINVAL;
	}
	*sp = '\0';
	strcpy(seed, data);
	strcpy(hash, sp + 1);
	OPENSSL_cleanse(data, len);
	free(data);
	return 0;
}

int pp_admin_pw_write(const char *seed, const char *hash)
{
	char path[4096], line[PP_PW_SEED_LEN + PP_PW_HASH_MAX + 8];
	int n;

	if (pp_admin_pw_path(path, sizeof(path)))
		return -ENAMETOOLONG;
	n = snprintf(line, sizeof(line), "%s %s\n", seed, hash);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -EINVAL;
	return pp_file_write_atomic(path, line, (size_t)n, 0600);
}

int pp_admin_pw_remove(void)
{
	char path[4096];

	if (pp_admin_pw_path(path, sizeof(path)))
		return -ENAMETOOLONG;
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return 0;
}
