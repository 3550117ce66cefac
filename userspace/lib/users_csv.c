// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Users as CSV (the guide's "Import/Export"), on libcsv (users_csv.h).
 */
#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>
#include <libxml/chvalid.h>
#include <libxml/hash.h>
#include <openssl/crypto.h>

#include "parse.h"
#include "password.h"
#include "pp_rules.h"
#include "users_csv.h"

enum col {
	C_ID, C_USERNAME, C_PASSWORD, C_SEED, C_HASH, C_PWDATE, C_FIRST,
	C_LAST, C_SID, C_CCM, C_PROXY, C_ENABLED, C_COUNT
};

/* The labels written, in the order written. */
static const char *const labels[C_COUNT] = {
	[C_ID] = "Id", [C_USERNAME] = "Username", [C_PASSWORD] = "Password",
	[C_SEED] = "Seed", [C_HASH] = "Password Hash",
	[C_PWDATE] = "Password Date", [C_FIRST] = "First", [C_LAST] = "Last",
	[C_SID] = "Sid", [C_CCM] = "CCM Name", [C_PROXY] = "SCCP Proxy",
	[C_ENABLED] = "Enabled",
};

/* Labels read (lower case, without spaces, '_' or '-'): ours, users.xml's
 * element names, and the obvious synonyms. */
static const struct {
	const char *label;
	enum col col;
} aliases[] = {
	{ "id", C_ID }, { "username", C_USERNAME }, { "user", C_USERNAME },
	{ "name", C_USERNAME }, { "password", C_PASSWORD }, { "seed", C_SEED },
	{ "passwordhash", C_HASH }, { "hashpw", C_HASH },
	{ "passworddate", C_PWDATE }, { "pwdate", C_PWDATE },
	{ "first", C_FIRST }, { "firstname", C_FIRST }, { "last", C_LAST },
	{ "lastname", C_LAST }, { "sid", C_SID }, { "ccmname", C_CCM },
	{ "ccm", C_CCM }, { "callmanager", C_CCM }, { "sccpproxy", C_PROXY },
	{ "enabled", C_ENABLED },
};

static const enum col required[] = { C_USERNAME, C_PASSWORD, C_SID, C_CCM };

struct user_row {
	struct pp_account a;
	char *pw;		/* clear password, wiped after hashing */
};

struct reader {
	const char *file;
	char *err;
	size_t errlen;
	bool failed;
	const struct pp_users *base;

	long line;		/* of the byte being read */
	long field_line;	/* where the current field started */
	bool field_pending;	/* the next byte starts a field */
	/* The row being read. */
	char **f;
	long *fline;
	size_t nf, fcap;
	/* The header. */
	bool have_header;
	long header_line;
	int col_at[C_COUNT];	/* header index of each column, -1 if absent */
	enum col kind_at[C_COUNT * 4];	/* the column of each header index */
	size_t ncols;
	/* The users read. */
	struct user_row *rows;
	size_t n, cap;
	xmlHashTablePtr names, ids, sids;
};

static int vfail(struct reader *r, long line, const char *fmt, va_list ap)
{
	int n;

	if (r->failed)
		return -1;
	r->failed = true;
	n = snprintf(r->err, r->errlen, "%s:%ld: ", r->file, line);
	if (n >= 0 && (size_t)n < r->errlen)
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	return -1;
}

static int fail(struct reader *r, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct reader *r, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(r, line, fmt, ap);
	va_end(ap);
	return -1;
}

/* A problem with one field of a data row: "file:line: column N (Label): ...". */
static int fail_col(struct reader *r, enum col c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_col(struct reader *r, enum col c, const char *fmt, ...)
{
	size_t i = (size_t)r->col_at[c];
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fail(r, r->fline[i], "column %zu (%s): %s", i + 1, labels[c], msg);
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/*
 * Text a users.xml can hold: UTF-8 as glibc's iconv decodes it (no stray
 * continuation byte, no overlong form, no surrogate: libxml2's
 * xmlGetUTF8Char() lets some through, which its parser then refuses), and
 * characters of XML 1.0 only (libxml2's xmlIsCharQ). So what is accepted
 * here is what the users.xml reader accepts.
 */
static bool xml_text(const char *s, size_t len)
{
	static __thread iconv_t cd = (iconv_t)-1;
	uint32_t cp[64];

	if (cd == (iconv_t)-1) {
		cd = iconv_open("UTF-32LE", "UTF-8");
		if (cd == (iconv_t)-1)
			return false;
	}
	iconv(cd, NULL, NULL, NULL, NULL);
	while (len) {
		char *in = (char *)s, *out = (char *)cp;
		size_t outleft = sizeof(cp), n, i;

		if (iconv(cd, &in, &len, &out, &outleft) == (size_t)-1 && errno != E2BIG)
			return false;
		n = (sizeof(cp) - outleft) / sizeof(cp[0]);
		if (!n)
			return false;
		for (i = 0; i < n; i++)
			if (!xmlIsCharQ(le32toh(cp[i])))
				return false;
		s = in;
	}
	return true;
}

/* ---- libcsv's callbacks ---- */

static void on_field(void *data, size_t len, void *opaque)
{
	struct reader *r = opaque;
	char *s;

	if (r->failed)
		return;
	if (r->field_pending) {	/* an empty field: it starts here */
		r->field_line = r->line;
		r->field_pending = false;
	}
	if (r->nf == r->fcap) {
		size_t cap = r->fcap ? 2 * r->fcap : 16;
		char **f;
		long *fl;

		if (cap > C_COUNT * 4) {
			fail(r, r->field_line, "more than %d fields in a row", C_COUNT * 4);
			return;
		}
		f = realloc(r->f, cap * sizeof(*f));
		if (f)
			r->f = f;
		fl = f ? realloc(r->fline, cap * sizeof(*fl)) : NULL;
		if (!fl) {
			fail(r, r->field_line, "out of memory");
			return;
		}
		r->fline = fl;
		r->fcap = cap;
	}
	if (len > PP_USERS_TEXT_MAX) {
		fail(r, r->field_line, "field %zu: longer than %d bytes", r->nf + 1,
		     PP_USERS_TEXT_MAX);
		return;
	}
	if (data && memchr(data, '\0', len)) {
		if (r->have_header && r->nf < r->ncols)
			fail(r, r->field_line, "column %zu (%s): holds a NUL byte", r->nf + 1,
			     labels[r->kind_at[r->nf]]);
		else
			fail(r, r->field_line, "field %zu: holds a NUL byte", r->nf + 1);
		return;
	}
	if (data && !xml_text(data, len)) {
		if (r->have_header && r->nf < r->ncols)
			fail(r, r->field_line, "column %zu (%s): not UTF-8 text", r->nf + 1,
			     labels[r->kind_at[r->nf]]);
		else
			fail(r, r->field_line, "field %zu: not UTF-8 text", r->nf + 1);
		return;
	}
	s = malloc(len + 1);
	if (!s) {
		fail(r, r->field_line, "out of memory");
		return;
	}
	if (len)
		memcpy(s, data, len);
	s[len] = '\0';
	r->f[r->nf] = s;
	r->fline[r->nf] = r->field_line;
	r->nf++;
	r->field_pending = true;
}

static void clear_row(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->nf; i++) {
		OPENSSL_cleanse(r->f[i], strlen(r->f[i]));
		free(r->f[i]);
	}
	r->nf = 0;
}

static void normalize_label(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *in && o + 1 < outlen; in++)
		if (*in != ' ' && *in != '_' && *in != '-' && *in != '\t')
			out[o++] = (char)tolower((unsigned char)*in);
	out[o] = '\0';
}

static void read_header(struct reader *r)
{
	char norm[64], list[256];
	size_t i, k;

	r->have_header = true;
	r->header_line = r->fline[0];
	r->ncols = r->nf;
	for (i = 0; i < C_COUNT; i++)
		r->col_at[i] = -1;
	for (i = 0; i < r->nf; i++) {
		normalize_label(r->f[i], norm, sizeof(norm));
		for (k = 0; k < sizeof(aliases) / sizeof(aliases[0]); k++)
			if (!strcmp(norm, aliases[k].label))
				break;
		if (k == sizeof(aliases) / sizeof(aliases[0])) {
			list[0] = '\0';
			for (k = 0; k < C_COUNT; k++) {
				strcat(list, labels[k]);
				if (k + 1 < C_COUNT)
					strcat(list, ", ");
			}
			fail(r, r->fline[i], "column %zu: unknown label \"%.64s\" (the labels: %s)",
			     i + 1, r->f[i], list);
			return;
		}
		if (r->col_at[aliases[k].col] >= 0) {
			fail(r, r->fline[i], "column %zu: \"%.64s\" is column %d's field again (%s)",
			     i + 1, r->f[i], r->col_at[aliases[k].col] + 1,
			     labels[aliases[k].col]);
			return;
		}
		r->col_at[aliases[k].col] = (int)i;
		r->kind_at[i] = aliases[k].col;
	}
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (r->col_at[required[i]] < 0) {
			fail(r, r->header_line,
			     "no \"%s\" column (the first row must name at least Username, Password, Sid and CCM Name)",
			     labels[required[i]]);
			return;
		}
	if ((r->col_at[C_SEED] < 0) != (r->col_at[C_HASH] < 0))
		fail(r, r->header_line, "a \"%s\" column without a \"%s\" column",
		     r->col_at[C_SEED] < 0 ? labels[C_HASH] : labels[C_SEED],
		     r->col_at[C_SEED] < 0 ? labels[C_SEED] : labels[C_HASH]);
}

/* The field of column c in the current row ("" if the file has none). */
static const char *field(const struct reader *r, enum col c)
{
	return r->col_at[c] < 0 ? "" : r->f[r->col_at[c]];
}

/* Remember key (name, id, sid) for the row at line; fail if it is taken. */
static int unique(struct reader *r, xmlHashTablePtr h, enum col c, const char *key)
{
	intptr_t first = (intptr_t)xmlHashLookup(h, (const xmlChar *)key);

	if (first) {
		fail_col(r, c, "\"%s\" is already the %s of line %ld", key,
			 c == C_SID ? "SID" : c == C_ID ? "Id" : "Username", (long)first);
		return -1;
	}
	if (xmlHashAddEntry(h, (const xmlChar *)key, (void *)(intptr_t)r->fline[0])) {
		fail(r, r->fline[0], "out of memory");
		return -1;
	}
	return 0;
}

static int copy_text(struct reader *r, enum col c, char **slot)
{
	const char *s = field(r, c);

	if (!*s)
		return 0;
	*slot = strdup(s);
	if (!*slot) {
		fail(r, r->fline[0], "out of memory");
		return -1;
	}
	return 0;
}

static bool known_ccm(const struct pp_users *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->nccms; i++)
		if (!strcmp(b->ccms[i].name, name))
			return true;
	return false;
}

static bool known_proxy(const struct pp_users *b, const char *uuid)
{
	size_t i;

	for (i = 0; i < b->nproxies; i++)
		if (!strcmp(b->proxies[i].uuid, uuid))
			return true;
	return false;
}

static void free_account(struct pp_account *a)
{
	free(a->first);
	free(a->last);
	for (unsigned int i = 0; i < a->nsccp_proxy; i++)
		free(a->sccp_proxy[i]);
	free(a->seed);
	free(a->hash_pw);
	free(a->pw_date);
}

/*
 * The SCCP Proxy column: up to PP_SCCP_PROXY_MAX proxy uuids separated
 * by spaces (primary, secondary, tertiary), each a <proxy> of the
 * published users.xml, none twice.
 */
static int read_proxies(struct reader *r, struct pp_account *a, const char *field_text)
{
	const char *p = field_text;

	while (*p) {
		size_t n;
		char *uuid;

		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (!n)
			break;
		if (a->nsccp_proxy >= PP_SCCP_PROXY_MAX)
			return fail_col(r, C_PROXY, "more than %d proxies (primary, secondary, tertiary)",
					PP_SCCP_PROXY_MAX);
		uuid = strndup(p, n);
		if (!uuid)
			return fail(r, r->fline[0], "out of memory");
		a->sccp_proxy[a->nsccp_proxy++] = uuid;
		if (!known_proxy(r->base, uuid))
			return fail_col(r, C_PROXY, "\"%.64s\" is not a proxy of the published users.xml",
					uuid);
		for (unsigned int i = 0; i + 1 < a->nsccp_proxy; i++)
			if (!strcmp(a->sccp_proxy[i], uuid))
				return fail_col(r, C_PROXY, "\"%.64s\" given twice", uuid);
		p += n;
	}
	return 0;
}

static int read_user(struct reader *r)
{
	const char *name = field(r, C_USERNAME), *id = field(r, C_ID);
	const char *sid = field(r, C_SID), *ccm = field(r, C_CCM);
	const char *pw = field(r, C_PASSWORD), *seed = field(r, C_SEED);
	const char *hash = field(r, C_HASH), *en = field(r, C_ENABLED);
	const char *proxy = field(r, C_PROXY), *date = field(r, C_PWDATE);
	struct user_row *u;
	struct pp_account *a;

	if (r->nf != r->ncols) {
		return fail(r, r->fline[0], "%zu field%s, the first row (line %ld) names %zu",
			    r->nf, r->nf == 1 ? "" : "s", r->header_line, r->ncols);
	}
	if (r->n >= PP_USERS_MAX) {
		return fail(r, r->fline[0], "more than %d users", PP_USERS_MAX);
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		struct user_row *rows = realloc(r->rows, cap * sizeof(*rows));

		if (!rows)
			return fail(r, r->fline[0], "out of memory");
		r->rows = rows;
		r->cap = cap;
	}
	u = &r->rows[r->n];
	memset(u, 0, sizeof(*u));
	a = &u->a;
	a->line = r->fline[0];
	a->enabled = true;
	r->n++;		/* counted now: its allocations are freed with the rest */

	if (!*name)
		return fail_col(r, C_USERNAME, "empty: every user needs a name");
	if (!pp_name_valid(name))
		return fail_col(r, C_USERNAME, "\"%.64s\" is not 1..%d bytes of text",
				name, PP_NAME_MAX - 1);
	if (unique(r, r->names, C_USERNAME, name))
		return -1;
	strcpy(a->name, name);
	if (*id) {
		if (!pp_name_valid(id))
			return fail_col(r, C_ID, "\"%.64s\" is not 1..%d bytes of text",
					id, PP_NAME_MAX - 1);
		if (unique(r, r->ids, C_ID, id))
			return -1;
		strcpy(a->id, id);
	}
	if (!*sid)
		return fail_col(r, C_SID, "empty: every user needs the SID of a phone");
	if (!pp_sid_normalize(a->sid, sid))
		return fail_col(r, C_SID, "\"%.64s\" is not SEP followed by 12 hex digits", sid);
	if (unique(r, r->sids, C_SID, a->sid))
		return -1;
	if (*ccm) {
		if (!known_ccm(r->base, ccm))
			return fail_col(r, C_CCM, "\"%.64s\" is not a CallManager of the published users.xml",
					ccm);
		strcpy(a->ccm, ccm);	/* known, so it fits */
	} else if (!pp_users_default_ccm(r->base)) {
		return fail_col(r, C_CCM, "empty, and the published users.xml has no default CallManager");
	}
	if (read_proxies(r, a, proxy))
		return -1;
	if (*en) {
		if (!strcasecmp(en, "true"))
			a->enabled = true;
		else if (!strcasecmp(en, "false"))
			a->enabled = false;
		else
			return fail_col(r, C_ENABLED, "\"%.64s\" is not true or false", en);
	}
	if (*pw && (*seed || *hash))
		return fail_col(r, C_PASSWORD,
				"a password in clear and a Seed/Password Hash: give one of them");
	if (*pw) {
		if (strlen(pw) > PP_PW_MAX)
			return fail_col(r, C_PASSWORD, "longer than %d bytes", PP_PW_MAX);
		if (has_control(pw))
			return fail_col(r, C_PASSWORD, "holds a control character");
		u->pw = strdup(pw);
		if (!u->pw)
			return fail(r, a->line, "out of memory");
	} else if (!*seed && !*hash) {
		return fail_col(r, C_PASSWORD,
				"empty: every user needs a password (or the Seed and Password Hash of an export)");
	} else if (!*seed || !*hash) {
		return fail_col(r, *seed ? C_HASH : C_SEED,
				"empty, and %s is given: an export gives both", *seed ? "Seed" : "Password Hash");
	} else {
		if (!pp_users_seed_valid(seed))
			return fail_col(r, C_SEED, "\"%.64s\" is not a base64 string", seed);
		if (!pp_users_hash_valid(hash))
			return fail_col(r, C_HASH, "\"%.64s\" is not a base64 string or a %s hash",
					hash, PP_PW_TAG_PBKDF2);
		if (copy_text(r, C_SEED, &a->seed) || copy_text(r, C_HASH, &a->hash_pw))
			return -1;
	}
	if (*date) {
		if (!pp_users_pw_date_valid(date))
			return fail_col(r, C_PWDATE, "\"%.64s\" is not YYYY-MM-DD-hh-mm-ss-mmm", date);
		if (*pw)
			return fail_col(r, C_PWDATE,
					"given with a password in clear (the import dates the new hash)");
		if (copy_text(r, C_PWDATE, &a->pw_date))
			return -1;
	}
	if (!pp_users_text_valid(field(r, C_FIRST)))
		return fail_col(r, C_FIRST, "not a name (at most %d bytes, no control character)",
				PP_USERS_TEXT_MAX);
	if (!pp_users_text_valid(field(r, C_LAST)))
		return fail_col(r, C_LAST, "not a name (at most %d bytes, no control character)",
				PP_USERS_TEXT_MAX);
	if (copy_text(r, C_FIRST, &a->first) || copy_text(r, C_LAST, &a->last))
		return -1;
	return 0;
}

static void on_row(int c, void *opaque)
{
	struct reader *r = opaque;

	(void)c;
	if (r->failed || !r->nf)
		goto out;
	if (!r->have_header)
		read_header(r);
	else
		(void)read_user(r);
out:
	clear_row(r);
	r->field_pending = true;
}

/* ---- hashing the clear passwords, on every CPU ---- */

struct hash_job {
	struct user_row *rows;
	size_t n;
	unsigned int iterations;
	char date[64];
	atomic_size_t next;
	atomic_bool failed;
};

static void *hash_worker(void *arg)
{
	struct hash_job *j = arg;
	size_t i;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->n) {
		struct user_row *u = &j->rows[i];
		char seed[PP_PW_SEED_LEN + 1], hash[PP_PW_HASH_MAX];

		if (!u->pw)
			continue;
		if (pp_pw_hash(u->pw, j->iterations, seed, hash) ||
		    !(u->a.seed = strdup(seed)) || !(u->a.hash_pw = strdup(hash)) ||
		    !(u->a.pw_date = strdup(j->date)))
			atomic_store(&j->failed, true);
		OPENSSL_cleanse(u->pw, strlen(u->pw));
		free(u->pw);
		u->pw = NULL;
	}
	return NULL;
}

/* The Management Console's pwDate of now: "2006-10-19-11-59-15-562". */
static void pw_date_now(char *buf, size_t len)
{
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02d-%02d-%02d-%02d-%03ld", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (long)(tv.tv_usec / 1000));
}

static int hash_all(struct user_row *rows, size_t n, unsigned int iterations)
{
	pthread_t th[64];
	struct hash_job j = { .rows = rows, .n = n, .iterations = iterations };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t i, nth = cpus > 0 ? (size_t)cpus : 1;

	pw_date_now(j.date, sizeof(j.date));
	atomic_init(&j.next, 0);
	atomic_init(&j.failed, false);
	if (nth > sizeof(th) / sizeof(th[0]))
		nth = sizeof(th) / sizeof(th[0]);
	for (i = 0; i < nth; i++)
		if (pthread_create(&th[i], NULL, hash_worker, &j))
			break;
	if (!i)
		hash_worker(&j);
	while (i--)
		pthread_join(th[i], NULL);
	return atomic_load(&j.failed) ? -1 : 0;
}

/* ---- import ---- */

int pp_users_csv_import(const char *buf, size_t len, const char *filename,
			const struct pp_users *base, unsigned int iterations,
			char **xml, size_t *xmllen, struct pp_users **parsed,
			struct pp_csv_import *st, char *err, size_t errlen)
{
	struct reader r = {
		.file = filename, .err = err, .errlen = errlen, .base = base,
		.line = 1, .field_line = 1, .field_pending = true,
	};
	struct pp_users out, *check = NULL;
	struct csv_parser p;
	size_t i, hashed = 0;
	char verr[512];
	int ret = -1;

	memset(st, 0, sizeof(*st));
	if (len > PP_USERS_CSV_MAX) {
		fail(&r, 1, "larger than %u bytes", PP_USERS_CSV_MAX);
		return -1;
	}
	/* A spreadsheet's UTF-8 byte order mark. */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
		buf += 3;
		len -= 3;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
		fail(&r, 1, "out of memory");
		return -1;
	}
	r.names = xmlHashCreate(256);
	r.ids = xmlHashCreate(256);
	r.sids = xmlHashCreate(256);
	if (!r.names || !r.ids || !r.sids) {
		fail(&r, 1, "out of memory");
		goto out;
	}
	/* A byte at a time: libcsv does not tell where a field starts, and
	 * the messages name the line of each field. */
	for (i = 0; i < len && !r.failed; i++) {
		unsigned char b = (unsigned char)buf[i];

		if (r.field_pending && b != '\r' && b != '\n') {
			r.field_line = r.line;
			r.field_pending = false;
		}
		if (csv_parse(&p, &buf[i], 1, on_field, on_row, &r) != 1) {
			fail(&r, r.line, "%s (a quote must open a field and close it, \"\" inside one)",
			     csv_error(&p) == CSV_EPARSE ? "malformed quoting" :
			     csv_strerror(csv_error(&p)));
			break;
		}
		if (b == '\n')
			r.line++;
	}
	if (!r.failed && csv_fini(&p, on_field, on_row, &r))
		fail(&r, r.field_line, "malformed quoting: a quoted field is not closed");
	if (r.failed)
		goto out;
	if (!r.have_header) {
		fail(&r, 1, "empty: the first row names the columns (ppctl export users template)");
		goto out;
	}
	if (!r.n) {
		fail(&r, r.header_line, "no user after the first row");
		goto out;
	}
	for (i = 0; i < r.n; i++)
		hashed += r.rows[i].pw != NULL;
	if (hashed && hash_all(r.rows, r.n, iterations)) {
		fail(&r, 1, "hashing the passwords failed");
		goto out;
	}
	memset(&out, 0, sizeof(out));
	out.name = base->name;
	out.ccms = base->ccms;
	out.nccms = base->nccms;
	out.proxies = base->proxies;
	out.nproxies = base->nproxies;
	out.users = calloc(r.n, sizeof(*out.users));
	if (!out.users) {
		fail(&r, 1, "out of memory");
		goto out;
	}
	for (i = 0; i < r.n; i++)
		out.users[i] = r.rows[i].a;	/* borrowed */
	out.nusers = r.n;
	if (pp_users_write_xml(&out, xml, xmllen)) {
		free(out.users);
		fail(&r, 1, "out of memory");
		goto out;
	}
	free(out.users);
	/* The gate: what is published is what users_xml.c accepts. */
	if (pp_users_parse_memory(*xml, *xmllen, "the users.xml made", &check, verr,
				  sizeof(verr))) {
		free(*xml);
		*xml = NULL;
		fail(&r, 1, "refused after conversion: %s", verr);
		goto out;
	}
	if (parsed)
		*parsed = check;
	else
		pp_users_free(check);
	st->rows = r.n;
	st->hashed = hashed;
	st->kept = r.n - hashed;
	ret = 0;
out:
	clear_row(&r);
	csv_free(&p);
	for (i = 0; i < r.n; i++) {
		if (r.rows[i].pw) {
			OPENSSL_cleanse(r.rows[i].pw, strlen(r.rows[i].pw));
			free(r.rows[i].pw);
		}
		free_account(&r.rows[i].a);
	}
	free(r.rows);
	free(r.f);
	free(r.fline);
	xmlHashFree(r.names, NULL);
	xmlHashFree(r.ids, NULL);
	xmlHashFree(r.sids, NULL);
	return ret;
}

/* ---- export ---- */

static int put(FILE *f, const char *s, bool last)
{
	if (csv_fwrite(f, s ? s : "", s ? strlen(s) : 0))
		return -1;
	return fputc(last ? '\n' : ',', f) == EOF ? -1 : 0;
}

int pp_users_csv_template(FILE *f)
{
	int i;

	for (i = 0; i < C_COUNT; i++)
		if (put(f, labels[i], i == C_COUNT - 1))
			return -1;
	return 0;
}

int pp_users_csv_export(FILE *f, const struct pp_users *u, size_t *nopw)
{
	size_t i;

	*nopw = 0;
	if (pp_users_csv_template(f))
		return -1;
	for (i = 0; i < u->nusers; i++) {
		const struct pp_account *a = &u->users[i];
		char proxies[PP_SCCP_PROXY_MAX * 257] = "";
		size_t off = 0;

		for (unsigned int k = 0; k < a->nsccp_proxy; k++)
			off += (size_t)snprintf(proxies + off, sizeof(proxies) - off, "%s%s",
						k ? " " : "", a->sccp_proxy[k]);
		const char *v[C_COUNT] = {
			[C_ID] = a->id, [C_USERNAME] = a->name, [C_PASSWORD] = "",
			[C_SEED] = a->seed, [C_HASH] = a->hash_pw,
			[C_PWDATE] = a->pw_date, [C_FIRST] = a->first,
			[C_LAST] = a->last, [C_SID] = a->sid, [C_CCM] = a->ccm,
			[C_PROXY] = proxies,
			[C_ENABLED] = a->enabled ? "true" : "false",
		};
		int c;

		if (!a->hash_pw)
			(*nopw)++;
		for (c = 0; c < C_COUNT; c++)
			if (put(f, v[c], c == C_COUNT - 1))
				return -1;
	}
	return 0;
}
