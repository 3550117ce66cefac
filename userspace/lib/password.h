/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Password hashes: the two formats users.xml may hold, the administrator's
 * password for the activation web service, and the guide's "strong
 * password" rule.
 *
 * A user's hash is the pair <seed>, <hashPw> of users.xml (Appendix B):
 *
 *   legacy   hashPw = base64(SHA-1(seed || password)), 20 bytes; the
 *            Management Console's format as this project reads it (the
 *            guide does not define it: see docs/httpd.md)
 *   pbkdf2   hashPw = "$pbkdf2-sha256$i=<iterations>$<base64 key>",
 *            PBKDF2-HMAC-SHA256 of the password with the seed's bytes as
 *            the salt, 32-byte key: the format this project writes
 *
 * The tag ("$pbkdf2-sha256$") tells them apart, so both coexist in one
 * file. Comparisons are constant time (CRYPTO_memcmp).
 */
#ifndef PP_PASSWORD_H
#define PP_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PP_PW_TAG_PBKDF2	"$pbkdf2-sha256$"
#define PP_PW_ITER_DEFAULT	600000u	/* OWASP 2023, PBKDF2-HMAC-SHA256 */
#define PP_PW_ITER_MIN		1000u
#define PP_PW_ITER_MAX		10000000u
#define PP_PW_SEED_LEN		32	/* base64url of 24 random bytes */
#define PP_PW_HASH_MAX		96	/* longest hashPw written, with NUL */
#define PP_PW_MAX		256	/* longest password accepted (bytes) */
#define PP_ADMIN_PW_FILE	"admin.pw"

enum pp_pw_result {
	PP_PW_UNUSABLE = -1,	/* the stored hash cannot be checked */
	PP_PW_MISMATCH = 0,
	PP_PW_MATCH = 1,
};

/*
 * The iterations of new hashes: $PP_PW_ITERATIONS when set (a number in
 * PP_PW_ITER_MIN..PP_PW_ITER_MAX), else PP_PW_ITER_DEFAULT. (The selftests
 * lower it: an emulated guest is ~50 times slower.)
 */
unsigned int pp_pw_default_iterations(void);

/*
 * A new seed and pbkdf2 hash of pw (iterations 0: the default). seed must
 * hold PP_PW_SEED_LEN + 1 bytes, hash PP_PW_HASH_MAX. Returns 0 or -1.
 */
int pp_pw_hash(const char *pw, unsigned int iterations, char *seed,
	       char *hash);

/*
 * Check pw against a stored seed and hash of either format. On
 * PP_PW_UNUSABLE why says what is wrong with the stored hash.
 */
enum pp_pw_result pp_pw_verify(const char *pw, const char *seed,
			       const char *hash, char *why, size_t whylen);

/* The same work as checking a new pbkdf2 hash, for unknown users. */
void pp_pw_verify_dummy(const char *pw);

/*
 * A login's password check that costs the same whatever the account
 * (login timing must not tell which users exist): exactly one PBKDF2,
 * of the hash's own iterations for a pbkdf2 hash, else of
 * dummy_iterations (no account or no hash: PP_PW_MISMATCH; a legacy
 * SHA-1 hash: checked, then the PBKDF2 on top; an unusable hash:
 * PP_PW_UNUSABLE with why). Thread-safe.
 */
enum pp_pw_result pp_pw_check(const char *pw, const char *seed, const char *hash,
			      unsigned int dummy_iterations, char *why, size_t whylen);
/* The iterations of a pbkdf2 hashPw, 0 for any other. */
unsigned int pp_pw_hash_iterations(const char *hash);
/* PBKDF2 computations so far, and their iterations (the test hook that
 * proves the equal cost structurally). */
void pp_pw_work(unsigned long *calls, unsigned long long *iterations);

/*
 * The guide's strong password: at least 8 characters, no character more
 * than 3 times in a row, characters of at least 3 of: upper case, lower
 * case, digits, punctuation (the other printable ASCII). Returns 0, or -1
 * with why naming the rule broken.
 */
int pp_pw_strength(const char *pw, char *why, size_t whylen);

/*
 * The administrator's password of the activation web service, kept as
 * "seed hashPw\n" in $PP_STATE_DIR/admin.pw (0600).
 */
int pp_admin_pw_path(char *buf, size_t len);
/* Returns 0, -ENOENT when no password is set, or -errno / -EINVAL. */
int pp_admin_pw_read(char *seed, size_t seedlen, char *hash, size_t hashlen);
int pp_admin_pw_write(const char *seed, const char *hash);
int pp_admin_pw_remove(void);

/* Strict base64 (either alphabet, padding optional). Returns the number
 * of bytes decoded, or -1. Exposed for the unit tests. */
int pp_base64_decode(const char *in, unsigned char *out, size_t outlen);

#endif /* PP_PASSWORD_H */
