// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The activation form: libevent decodes the urlencoded body, this checks
 * the fields.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/queue.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/crypto.h>

#include "form.h"
#include "parse.h"
#include "log.h"

void pp_form_clear(struct pp_form *f)
{
	OPENSSL_cleanse(f->password, sizeof(f->password));
}

/* Printable text for an error message: at most 40 bytes, no controls. */
static const char *shown(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len && i < 40; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

int pp_form_parse(const char *body, size_t len, struct pp_form *f, char *err,
		  size_t errlen)
{
	struct evkeyvalq q;
	struct evkeyval *kv;
	bool seen_user = false, seen_pw = false, seen_addr = false, seen_act = false;
	char *copy, show[48];
	int rc = -1;

	memset(f, 0, sizeof(*f));
	TAILQ_INIT(&q);
	if (len > PP_FORM_MAX)
		return pp_errf(err, errlen, "the form is larger than %d bytes", PP_FORM_MAX);
	if (memchr(body, '\0', len))
		return pp_errf(err, errlen, "the form holds a NUL byte");
	copy = malloc(len + 1);
	if (!copy)
		return pp_errf(err, errlen, "out of memory");
	memcpy(copy, body, len);
	copy[len] = '\0';
	/* A %00 would cut a decoded value short: refuse it outright. */
	if (strstr(copy, "%00")) {
		pp_errf(err, errlen, "the form holds an encoded NUL (%%00)");
		goto out;
	}
	if (evhttp_parse_query_str(copy, &q)) {
		pp_errf(err, errlen, "the form is not application/x-www-form-urlencoded (name=value&...)");
		goto out;
	}
	TAILQ_FOREACH(kv, &q, next) {
		const char *k = kv->key, *v = kv->value;

		if (!strcmp(k, "username")) {
			if (seen_user) {
				pp_errf(err, errlen, "the field \"username\" is given twice");
				goto out;
			}
			seen_user = true;
			if (!*v) {
				pp_errf(err, errlen, "the user name is empty");
				goto out;
			}
			if (!pp_name_valid(v)) {
				pp_errf(err, errlen, "the user name \"%s\" is not a user name (1..%d bytes of text)",
				     shown(v, show, sizeof(show)), PP_NAME_MAX - 1);
				goto out;
			}
			strcpy(f->username, v);
		} else if (!strcmp(k, "password")) {
			if (seen_pw) {
				pp_errf(err, errlen, "the field \"password\" is given twice");
				goto out;
			}
			seen_pw = true;
			if (!*v) {
				pp_errf(err, errlen, "the password is empty");
				goto out;
			}
			if (strlen(v) > PP_PW_MAX) {
				pp_errf(err, errlen, "the password is longer than %d bytes", PP_PW_MAX);
				goto out;
			}
			strcpy(f->password, v);
		} else if (!strcmp(k, "address")) {
			if (seen_addr) {
				pp_errf(err, errlen, "the field \"address\" is given twice");
				goto out;
			}
			seen_addr = true;
			if (strlen(v) >= sizeof(f->address) ||
			    (*v && pp_parse_ipv4(v, &f->addr))) {
				pp_errf(err, errlen, "the phone's address \"%s\" is not an IPv4 address (like 192.0.2.10)",
				     shown(v, show, sizeof(show)));
				goto out;
			}
			if (*v && !pp_ipv4_is_phone(f->addr)) {
				pp_errf(err, errlen, "the phone's address \"%s\" cannot be a phone's (not a unicast address)",
				     v);
				goto out;
			}
			strcpy(f->address, v);
		} else if (!strcmp(k, "action")) {
			if (seen_act) {
				pp_errf(err, errlen, "the field \"action\" is given twice");
				goto out;
			}
			seen_act = true;
			if (!strcmp(v, "activate")) {
				f->action = PP_FORM_ACTIVATE;
			} else if (!strcmp(v, "inactivate")) {
				f->action = PP_FORM_INACTIVATE;
			} else {
				pp_errf(err, errlen, "the action \"%s\" is neither \"activate\" nor \"inactivate\"",
				     shown(v, show, sizeof(show)));
				goto out;
			}
		} else {
			pp_errf(err, errlen, "unknown field \"%s\"", shown(k, show, sizeof(show)));
			goto out;
		}
	}
	if (!seen_user || !seen_pw) {
		pp_errf(err, errlen, "the %s is missing", !seen_user ? "user name" : "password");
		goto out;
	}
	if (f->action == PP_FORM_ACTIVATE && !f->address[0]) {
		pp_errf(err, errlen, "the phone's address is missing");
		goto out;
	}
	rc = 0;
out:
	TAILQ_FOREACH(kv, &q, next)
		if (!strcmp(kv->key, "password"))
			OPENSSL_cleanse(kv->value, strlen(kv->value));
	evhttp_clear_headers(&q);
	OPENSSL_cleanse(copy, len);
	free(copy);
	if (rc)
		pp_form_clear(f);
	return rc;
}
