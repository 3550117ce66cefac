// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-phone-sim --secure (secure.h): the trust list and the signed
 * configuration, checked as a phone checks them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "file.h"
#include "parse.h"
#include "secure.h"
#include "simcore.h"

void sim_secure_result_free(struct sim_secure_result *r)
{
	sk_X509_pop_free(r->ccms, X509_free);
	free(r->cnf);
	memset(r, 0, sizeof(*r));
}

int sim_cnf_security_mode(const uint8_t *data, size_t len)
{
	xmlDoc *doc;
	xmlNode *root, *c;
	xmlChar *t;
	uint64_t v;
	int mode = 0;

	if (len > TFTPC_MAX_FILE)
		return -1;
	doc = xmlReadMemory((const char *)data, (int)len, "cnf.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	for (c = root ? root->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "deviceSecurityMode"))
			continue;
		t = xmlNodeGetContent(c);
		mode = t && !pp_parse_uint((const char *)t, 1, 3, &v) ? (int)v : -1;
		xmlFree(t);
	}
	xmlFreeDoc(doc);
	return mode;
}

static bool tftp_capable(enum pp_tlv_role r)
{
	return r == PP_ROLE_TFTP || r == PP_ROLE_CCM_TFTP;
}

int sim_secure_check(const struct pp_ctl *stored, const uint8_t *ctl,
		     size_t ctl_len, const uint8_t *sep, size_t sep_len,
		     const uint8_t *sgn, size_t sgn_len,
		     struct sim_secure_result *r, char *why, size_t whylen)
{
	struct pp_ctl new = { 0 }, sctl = { 0 };
	char err[768];
	const unsigned char *body = NULL;
	size_t i, blen = 0;
	bool tried = false;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (pp_ctl_parse(ctl, ctl_len, &new, err, sizeof(err))) {
		snprintf(why, whylen, "CTLFile.tlv refused: %s", err);
		return -1;
	}
	if (pp_ctl_may_replace(stored, &new, err, sizeof(err))) {
		snprintf(why, whylen, "CTLFile.tlv refused: not signed by a SAST key of the stored CTL: %s",
			 err);
		goto out;
	}
	if (sep) {
		if (pp_ctl_parse(sep, sep_len, &sctl, err, sizeof(err))) {
			snprintf(why, whylen, "CTLSEP file refused: %s", err);
			goto out;
		}
		if (pp_ctl_may_replace(&new, &sctl, err, sizeof(err))) {
			snprintf(why, whylen, "CTLSEP file refused: not signed by a SAST key of CTLFile.tlv: %s",
				 err);
			goto out;
		}
		r->ctlsep = 1;
	}
	snprintf(err, sizeof(err), "the CTL has no TFTP-capable record");
	for (i = 0; i < new.n; i++) {
		if (!tftp_capable(new.rec[i].role) || !new.rec[i].cert)
			continue;
		tried = true;
		if (!pp_sgn_verify(sgn, sgn_len, new.rec[i].cert, &body, &blen, err,
				   sizeof(err)))
			break;
		body = NULL;
	}
	if (!body) {
		snprintf(why, whylen, "the signed configuration file refused: %s%s", err,
			 tried ? "" : " (nothing to verify it with)");
		goto out;
	}
	r->ccms = sk_X509_new_null();
	for (i = 0; r->ccms && i < new.n; i++) {
		X509 *c;

		if ((new.rec[i].role != PP_ROLE_CCM_TFTP && new.rec[i].role != PP_ROLE_CCM) ||
		    !new.rec[i].cert)
			continue;
		c = X509_dup(new.rec[i].cert);
		if (!c || !sk_X509_push(r->ccms, c)) {
			X509_free(c);
			snprintf(why, whylen, "out of memory");
			goto out;
		}
	}
	if (!r->ccms || !sk_X509_num(r->ccms)) {
		snprintf(why, whylen, "CTLFile.tlv has no CCM certificate to trust for TLS");
		goto out;
	}
	r->cnf = malloc(blen ? blen : 1);
	if (!r->cnf) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	memcpy(r->cnf, body, blen);
	r->cnf_len = blen;
	r->security_mode = sim_cnf_security_mode(r->cnf, r->cnf_len);
	r->records = new.n;
	r->signer = new.signer;
	rc = 0;
out:
	if (rc)
		sim_secure_result_free(r);
	pp_ctl_free(&new);
	pp_ctl_free(&sctl);
	return rc;
}

/* ---- over TFTP ---- */

/* A phone's order: its own trust list first, then the common one (docs/ctl.md 5). */
enum sec_step { S_SEP, S_CTL, S_SGN, S_DONE };

struct sim_secure {
	struct event_base *base;
	uint32_t bind_ip, server_ip;
	uint16_t port;
	char sid[16];
	char *flash;
	tftpc_done_fn done;
	void *arg;
	enum sec_step step;
	struct tftpc *t;
	struct event *next;		/* runs the next step outside tftpc's callback */
	int err;
	char why[1024];
	uint8_t *got[3];		/* by step: CTLSEP<MAC>.tlv, CTLFile.tlv, .sgn */
	size_t got_len[3];
	struct sim_secure_result r;
};

static const char *step_file(struct sim_secure *s, char *buf, size_t len)
{
	if (s->step == S_CTL)
		snprintf(buf, len, "%s", PP_CTL_FILE);
	else if (s->step == S_SEP)
		snprintf(buf, len, "CTL%s.tlv", s->sid);
	else
		snprintf(buf, len, "%s.cnf.xml.sgn", s->sid);
	return buf;
}

static void on_file(void *arg, int err, const char *why, const uint8_t *data,
		    size_t len)
{
	struct sim_secure *s = arg;
	struct timeval now = { 0 };
	char f[64];

	if (!err && len > PP_TLV_FILE_MAX) {
		err = -EFBIG;
		why = "larger than a trust list or signed file can be";
	}
	if (!err) {
		s->got[s->step] = malloc(len ? len : 1);
		if (s->got[s->step]) {
			memcpy(s->got[s->step], data, len);
			s->got_len[s->step] = len;
		} else {
			err = -ENOMEM;
			why = "out of memory";
		}
	}
	/* CTLSEP<MAC>.tlv is optional: a phone goes on without it. */
	if (err && s->step != S_SEP) {
		s->err = err;
		snprintf(s->why, sizeof(s->why), "%s: %s", step_file(s, f, sizeof(f)),
			 why ? why : "failed");
	}
	event_add(s->next, &now);
}

static int load_flash(const char *path, struct pp_ctl *ctl, bool *have,
		      char *why, size_t whylen)
{
	char *buf, err[512];
	size_t len;
	int rc;

	*have = false;
	rc = pp_file_read(path, PP_TLV_FILE_MAX, &buf, &len);
	if (rc == -ENOENT)
		return 0;
	if (rc) {
		snprintf(why, whylen, "stored CTL %s: %s", path, strerror(-rc));
		return -1;
	}
	rc = pp_ctl_parse((unsigned char *)buf, len, ctl, err, sizeof(err));
	free(buf);
	if (rc) {
		snprintf(why, whylen, "stored CTL %s: %s", path, err);
		return -1;
	}
	*have = true;
	return 0;
}

static void finish(struct sim_secure *s)
{
	struct pp_ctl stored = { 0 };
	bool have = false, fresh;
	int rc;

	s->step = S_DONE;
	if (s->err)
		goto report;
	if (s->flash && load_flash(s->flash, &stored, &have, s->why, sizeof(s->why))) {
		s->err = -EINVAL;
		goto report;
	}
	fresh = s->flash && !have;
	if (sim_secure_check(have ? &stored : NULL, s->got[S_CTL], s->got_len[S_CTL],
			     s->got[S_SEP], s->got_len[S_SEP], s->got[S_SGN],
			     s->got_len[S_SGN], &s->r, s->why, sizeof(s->why))) {
		s->err = -EPERM;
		goto report;
	}
	if (s->flash) {
		/* The phone's flash: the CTL it trusts now is kept. */
		rc = pp_file_write_atomic(s->flash, s->got[S_CTL], s->got_len[S_CTL], 0600);
		if (rc)
			fprintf(stderr, "pp-phone-sim: cannot store the CTL in %s: %s\n",
				s->flash, strerror(-rc));
	}
	sim_event("secure", "sid=%s ctl=%s records=%zu signer=%zu ctlsep=%s sgn=verified security-mode=%d",
		  s->sid, have ? "replaced" : fresh ? "stored" : "accepted", s->r.records,
		  s->r.signer, s->r.ctlsep ? "verified" : "not-served", s->r.security_mode);
report:
	pp_ctl_free(&stored);
	if (s->err) {
		sim_event("secure-refused", "sid=%s reason=\"%s\"", s->sid, s->why);
		s->done(s->arg, s->err, s->why, NULL, 0);
	} else {
		s->done(s->arg, 0, NULL, s->r.cnf, s->r.cnf_len);
	}
}

static void on_next(evutil_socket_t fd, short what, void *arg)
{
	struct sim_secure *s = arg;
	char f[64];
	int e;

	(void)fd;
	(void)what;
	tftpc_free(s->t);
	s->t = NULL;
	if (s->err || s->step == S_SGN) {
		finish(s);
		return;
	}
	s->step++;
	e = tftpc_start(&s->t, s->base, s->bind_ip, s->server_ip, s->port,
			step_file(s, f, sizeof(f)), 1000, 5, on_file, s);
	if (e) {
		s->err = e;
		snprintf(s->why, sizeof(s->why), "%s: %s", f, strerror(-e));
		finish(s);
	}
}

int sim_secure_start(struct sim_secure **out, struct event_base *base,
		     uint32_t bind_ip, uint32_t server_ip, uint16_t port,
		     const char *sid, const char *flash, tftpc_done_fn done,
		     void *arg)
{
	struct sim_secure *s = calloc(1, sizeof(*s));
	char f[64];
	int e;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->base = base;
	s->bind_ip = bind_ip;
	s->server_ip = server_ip;
	s->port = port;
	snprintf(s->sid, sizeof(s->sid), "%s", sid);
	s->flash = flash ? strdup(flash) : NULL;
	s->done = done;
	s->arg = arg;
	s->step = S_SEP;
	s->next = evtimer_new(base, on_next, s);
	if (!s->next || (flash && !s->flash)) {
		sim_secure_free(s);
		return -ENOMEM;
	}
	e = tftpc_start(&s->t, base, bind_ip, server_ip, port,
			step_file(s, f, sizeof(f)), 1000, 5, on_file, s);
	if (e) {
		sim_secure_free(s);
		return e;
	}
	*out = s;
	return 0;
}

STACK_OF(X509) *sim_secure_anchors(const struct sim_secure *s)
{
	return s && s->step == S_DONE && !s->err ? s->r.ccms : NULL;
}

int sim_secure_mode(const struct sim_secure *s)
{
	return s && s->step == S_DONE && !s->err ? s->r.security_mode : 0;
}

void sim_secure_free(struct sim_secure *s)
{
	size_t i;

	if (!s)
		return;
	tftpc_free(s->t);
	if (s->next)
		event_free(s->next);
	for (i = 0; i < 3; i++)
		free(s->got[i]);
	sim_secure_result_free(&s->r);
	free(s->flash);
	free(s);
}
