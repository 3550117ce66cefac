// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Login timing must not tell which users exist (issue 12, item 8): a
 * failed login of an unknown user costs what a known user's does. Proven
 * structurally, through pp-httpd's real login path (lockout, worker pool,
 * pp_pw_check): every login computes exactly one PBKDF2 of the same
 * iterations, whatever the account (pbkdf2 hash, legacy SHA-1 hash, no
 * hash, unknown, not even a valid name, the administrator with or without
 * a password); counted by the password code's own hook. Then a loose
 * timing check: the interquartile means (the middle half) of the CPU time
 * of known-user and of unknown-user failures are within a factor 1.5 (CPU
 * time: wall time on a loaded 2-core machine varies more than that
 * between two runs of the same work; the middle half: with QEMU guests
 * running beside it, one series' median moved by 1.7 from the other's and
 * one series' fastest was half its median).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include <openssl/evp.h>

#include "httpd.h"
#include "log.h"
#include "password.h"
#include "tap.h"
#include "users_xml.h"

#define ITER	20000u		/* the users' hashes */
#define ROUNDS	32

static struct httpd h;
static bool done_flag, done_ok;

static void done(struct login *lg, bool ok)
{
	(void)lg;
	done_flag = true;
	done_ok = ok;
}

/* CPU time of the whole process (the worker threads' included): the
 * cost of a login, robust to a busy machine where wall time is not. */
static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One login through httpd_login_start(); the PBKDF2 work it cost. */
static bool attempt(const char *user, const char *pw, bool admin,
		    unsigned long *calls, unsigned long long *iters, double *ms)
{
	struct evhttp_request *req = evhttp_request_new(NULL, NULL);
	unsigned long c0, c1;
	unsigned long long i0, i1;
	double t0 = now_ms();
	enum login_start st;

	pp_pw_work(&c0, &i0);
	done_flag = false;
	st = httpd_login_start(&h, req, "test", user, pw, admin, done, NULL);
	while (st == LOGIN_STARTED && !done_flag)
		event_base_loop(h.base, EVLOOP_ONCE);
	*ms = now_ms() - t0;
	pp_pw_work(&c1, &i1);
	*calls = c1 - c0;
	*iters = i1 - i0;
	evhttp_request_free(req);
	return st == LOGIN_STARTED && done_ok;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The mean of the middle half of ROUNDS sorted values. */
static double iq_mean(const double *v)
{
	double sum = 0;
	int i;

	for (i = ROUNDS / 4; i < ROUNDS - ROUNDS / 4; i++)
		sum += v[i];
	return sum / (ROUNDS - 2 * (ROUNDS / 4));
}

static void b64(const unsigned char *in, size_t len, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

int main(void)
{
	static const struct {
		const char *desc, *user, *pw;
		bool admin, match;
	} cases[] = {
		{ "known user (pbkdf2), right password", "marge", "Marge#2026", false, true },
		{ "known user (pbkdf2), wrong password", "marge", "guess", false, false },
		{ "known user (legacy SHA-1), right password", "homer", "D0h!Homer", false, true },
		{ "known user (legacy SHA-1), wrong password", "homer", "guess", false, false },
		{ "known user without a hash", "nohash", "guess", false, false },
		{ "unknown user", "nobody", "guess", false, false },
		{ "not a user name (200 bytes)", NULL, "guess", false, false },
		{ "administrator, no password set", "admin", "guess", true, false },
		{ "not the administrator's name", "root", "guess", true, false },
	};
	struct pp_lockout_policy pol = { .pair_failures = 1000000, .addr_failures = 1000000 };
	char seed[PP_PW_SEED_LEN + 1], hash[PP_PW_HASH_MAX], legacy[64], xml[4096];
	char longname[201], err[512];
	unsigned char sha[20];
	double known[ROUNDS], unknown[ROUNDS], ms, mk, mu;
	unsigned long calls;
	unsigned long long iters;
	unsigned int sha_len;
	size_t i;
	bool all_one = true;

	pp_log_set_level(PP_LOG_WARNING);
	memset(longname, 'x', 200);
	longname[200] = '\0';
	evthread_use_pthreads();
	h.base = event_base_new();
	h.lockout = pp_lockout_new(&pol);
	h.pw = pw_pool_new(h.base, PP_PWPOOL_THREADS, PP_PWPOOL_QUEUE, PP_PWPOOL_PER_ADDR);
	if (!h.base || !h.lockout || !h.pw || pp_pw_hash("Marge#2026", ITER, seed, hash))
		return !ok(false, "set-up");
	{
		EVP_MD_CTX *c = EVP_MD_CTX_new();
		static const char hseed[] = "BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U";

		EVP_DigestInit_ex(c, EVP_sha1(), NULL);
		EVP_DigestUpdate(c, hseed, strlen(hseed));
		EVP_DigestUpdate(c, "D0h!Homer", 9);
		EVP_DigestFinal_ex(c, sha, &sha_len);
		EVP_MD_CTX_free(c);
		b64(sha, sizeof(sha), legacy);
		snprintf(xml, sizeof(xml),
			 "<users><ccm name=\"ccm\" default=\"true\"><address>198.51.100.2</address></ccm>"
			 "<user name=\"marge\"><sid>SEP0003E348E321</sid><seed>%s</seed><hashPw>%s</hashPw></user>"
			 "<user name=\"homer\"><sid>SEP001122334455</sid><seed>%s</seed><hashPw>%s</hashPw></user>"
			 "<user name=\"nohash\"><sid>SEP00AABBCCDDEE</sid></user></users>",
			 seed, hash, hseed, legacy);
	}
	if (pp_users_parse_memory(xml, strlen(xml), "users.xml", &h.users, err, sizeof(err)))
		return !ok(false, "users.xml: %s", err);
	h.dummy_iterations = httpd_dummy_iterations(h.users);
	ok(h.dummy_iterations == ITER,
	   "an unknown user's check costs the users' iterations (%u)", h.dummy_iterations);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool good = attempt(cases[i].user ? cases[i].user : longname, cases[i].pw,
				    cases[i].admin, &calls, &iters, &ms);

		ok(good == cases[i].match && calls == 1 && iters == ITER,
		   "%s: %s, 1 PBKDF2 of %u iterations (%lu of %llu in all, %.1f ms)",
		   cases[i].desc, good ? "accepted" : "refused", ITER, calls, iters, ms);
		all_one &= calls == 1 && iters == ITER;
	}
	ok(all_one, "every login cost the same work, whatever the account");

	/* The loose timing check: interleaved, the middle half of each. */
	for (i = 0; i < ROUNDS; i++) {
		attempt("marge", "guess", false, &calls, &iters, &known[i]);
		attempt("nobody", "guess", false, &calls, &iters, &unknown[i]);
	}
	qsort(known, ROUNDS, sizeof(double), cmp);
	qsort(unknown, ROUNDS, sizeof(double), cmp);
	mk = iq_mean(known);
	mu = iq_mean(unknown);
	ok(mu < mk * 1.5 && mk < mu * 1.5,
	   "failed login, middle half of %d (CPU time): known user %.1f ms, unknown user %.1f ms (within a factor 1.5; fastest %.1f and %.1f ms)",
	   ROUNDS, mk, mu, known[0], unknown[0]);

	pw_pool_free(h.pw);
	pp_users_free(h.users);
	pp_lockout_free(h.lockout);
	event_base_free(h.base);
	return done_testing();
}
