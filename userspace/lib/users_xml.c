// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * users.xml reader (the guide's Appendix B), on libxml2.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>

#include "file.h"
#include "parse.h"
#include "password.h"
#include "users_xml.h"
#include "xmlread.h"

/* Free text (first, last, seed, ...) longer than this is refused. */
#define TEXT_MAX PP_USERS_TEXT_MAX

struct reader {
	const char *file;
	char *err;
	size_t errlen;
	bool failed;
	struct pp_users *u;
	xmlHashTablePtr ccm_names, proxy_uuids, user_names, user_ids, sids;
	const struct pp_callmanager *default_ccm;
};

static long line_of(const xmlNode *node)
{
	return pp_xml_line(node);
}

__attribute__((format(printf, 3, 0)))
static int vfail_at(struct reader *r, long line, const char *fmt, va_list ap)
{
	if (r->failed)
		return -1;
	r->failed = true;
	return pp_xml_vfail(r->err, r->errlen, r->file, line, fmt, ap);
}

__attribute__((format(printf, 3, 4)))
static int fail(struct reader *r, const xmlNode *node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(r, line_of(node), fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static bool is_element(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/*
 * A non-element child that is not allowed: non-blank text, an entity
 * reference, anything exotic. Comments and processing instructions pass.
 */
static int check_misc_child(struct reader *r, const xmlNode *c,
			    const char *where)
{
	switch (c->type) {
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (!is_blank(c->content))
			return fail(r, c, "unexpected text in <%s>", where);
		return 0;
	case XML_COMMENT_NODE:
	case XML_PI_NODE:
		return 0;
	case XML_ENTITY_REF_NODE:
		return fail(r, c, "entity references are not accepted");
	default:
		return fail(r, c, "unexpected content in <%s>", where);
	}
}

static int check_namespace(struct reader *r, const xmlNode *n)
{
	if (n->ns)
		return fail(r, n, "element <%s> is in namespace \"%s\"; users.xml uses none",
			    (const char *)n->name,
			    n->ns->href ? (const char *)n->ns->href : "");
	return 0;
}

/* Every attribute of n is one of the NULL-terminated names. */
static int check_attrs(struct reader *r, const xmlNode *n,
		       const char *const *names)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next) {
		const char *const *k;
		bool known = false;

		for (k = names; *k; k++)
			if (!a->ns && !strcmp((const char *)a->name, *k))
				known = true;
		if (!known)
			return fail(r, n, "unknown attribute \"%s\" on <%s>",
				    (const char *)a->name, (const char *)n->name);
	}
	return 0;
}

/* Attribute value, malloc()ed, or NULL when absent. */
static char *attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetNoNsProp(n, (const xmlChar *)name);
}

static int parse_bool(const char *s, bool *v)
{
	if (!strcmp(s, "true"))
		*v = true;
	else if (!strcmp(s, "false"))
		*v = false;
	else
		return -1;
	return 0;
}

/*
 * The text of a leaf element (<sid>, <address>...), surrounding white
 * space trimmed, malloc()ed; NULL after a failure.
 */
static char *leaf_text(struct reader *r, const xmlNode *el, const char *owner)
{
	const xmlNode *c;
	xmlChar *content;
	char *t, *s;

	for (c = el->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE ||
		    c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
			continue;
		if (c->type == XML_ELEMENT_NODE)
			fail(r, c, "%s<%s> must hold text only, not <%s>", owner,
			     (const char *)el->name, (const char *)c->name);
		else if (c->type == XML_ENTITY_REF_NODE)
			fail(r, c, "entity references are not accepted");
		else
			fail(r, c, "%s<%s> must hold text only", owner,
			     (const char *)el->name);
		return NULL;
	}
	if (el->properties) {
		fail(r, el, "%sunknown attribute \"%s\" on <%s>", owner,
		     (const char *)el->properties->name, (const char *)el->name);
		return NULL;
	}
	content = xmlNodeGetContent(el);
	t = trim(content ? (char *)content : (char *)"");
	s = strdup(t);
	xmlFree(content);
	if (!s)
		fail(r, el, "out of memory");
	return s;
}

static int parse_ccm(struct reader *r, const xmlNode *n)
{
	static const char *const attrs[] = { "name", "default", NULL };
	struct pp_users *u = r->u;
	struct pp_callmanager *ccm;
	const struct pp_callmanager *other;
	const xmlNode *c, *addr_node = NULL;
	char *name = NULL, *def = NULL, *addr = NULL;
	int ret = -1;

	if (check_attrs(r, n, attrs))
		return -1;
	if (u->nccms >= PP_CCMS_MAX)
		return fail(r, n, "too many CallManagers: at most %d", PP_CCMS_MAX);
	ccm = &u->ccms[u->nccms];
	memset(ccm, 0, sizeof(*ccm));
	ccm->line = line_of(n);

	name = attr(n, "name");
	if (!name) {
		fail(r, n, "<ccm> without a name");
		goto out;
	}
	if (!pp_name_valid(name)) {
		fail(r, n, "ccm name \"%.64s\" is not 1..%d bytes of text", name,
		     PP_NAME_MAX - 1);
		goto out;
	}
	strcpy(ccm->name, name);
	other = xmlHashLookup(r->ccm_names, (const xmlChar *)name);
	if (other) {
		fail(r, n, "duplicate CallManager name \"%s\" (first at line %ld)",
		     name, other->line);
		goto out;
	}
	def = attr(n, "default");
	if (def && parse_bool(def, &ccm->is_default)) {
		fail(r, n, "ccm \"%s\": default \"%.64s\" is not true or false",
		     name, def);
		goto out;
	}
	if (ccm->is_default && r->default_ccm) {
		fail(r, n, "ccm \"%s\": more than one default CallManager (\"%s\" at line %ld is one)",
		     name, r->default_ccm->name, r->default_ccm->line);
		goto out;
	}
	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE) {
			if (check_misc_child(r, c, "ccm"))
				goto out;
			continue;
		}
		if (check_namespace(r, c))
			goto out;
		if (!is_element(c, "address")) {
			fail(r, c, "ccm \"%s\": unknown element <%s>", name,
			     (const char *)c->name);
			goto out;
		}
		if (addr_node) {
			fail(r, c, "ccm \"%s\": more than one <address> (first at line %ld)",
			     name, line_of(addr_node));
			goto out;
		}
		addr_node = c;
	}
	if (!addr_node) {
		fail(r, n, "ccm \"%s\": no <address>", name);
		goto out;
	}
	addr = leaf_text(r, addr_node, "");
	if (!addr)
		goto out;
	if (pp_parse_ipv4(addr, &ccm->addr)) {
		if (!pp_host_name_valid(addr)) {
			fail(r, addr_node,
			     "ccm \"%s\": address \"%.64s\" is not an IPv4 address or a host name",
			     name, addr);
			goto out;
		}
		strcpy(ccm->host, addr);	/* valid, so it fits */
		ccm->addr = 0;
	} else if (ccm->addr == 0) {
		fail(r, addr_node, "ccm \"%s\": address 0.0.0.0 is not a CallManager's address",
		     name);
		goto out;
	}
	if (xmlHashAddEntry(r->ccm_names, (const xmlChar *)name, ccm)) {
		fail(r, n, "out of memory");
		goto out;
	}
	if (ccm->is_default)
		r->default_ccm = ccm;
	u->nccms++;
	ret = 0;
out:
	xmlFree(name);
	xmlFree(def);
	free(addr);
	return ret;
}

static int parse_proxy(struct reader *r, const xmlNode *n)
{
	static const char *const attrs[] = { "uuid", "assign_users", NULL };
	struct pp_users *u = r->u;
	struct pp_cluster_proxy *p;
	const struct pp_cluster_proxy *other;
	const xmlNode *c;
	char *uuid = NULL, *assign = NULL;
	int ret = -1;

	if (check_attrs(r, n, attrs))
		return -1;
	for (c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			return fail(r, c, "unknown element <%s> in <proxy>",
				    (const char *)c->name);
		if (check_misc_child(r, c, "proxy"))
			return -1;
	}
	uuid = attr(n, "uuid");
	if (!uuid || !*uuid) {
		fail(r, n, "<proxy> without a uuid");
		goto out;
	}
	if (strlen(uuid) > 255 || has_control(uuid) || strchr(uuid, ' ')) {
		fail(r, n, "proxy uuid \"%.64s\" is not an identifier", uuid);
		goto out;
	}
	other = xmlHashLookup(r->proxy_uuids, (const xmlChar *)uuid);
	if (other) {
		fail(r, n, "duplicate proxy uuid \"%s\" (first at line %ld)", uuid,
		     other->line);
		goto out;
	}
	p = &u->proxies[u->nproxies];
	memset(p, 0, sizeof(*p));
	p->line = line_of(n);
	p->assign_users = true;
	assign = attr(n, "assign_users");
	if (assign && parse_bool(assign, &p->assign_users)) {
		fail(r, n, "proxy \"%s\": assign_users \"%.64s\" is not true or false",
		     uuid, assign);
		goto out;
	}
	p->uuid = strdup(uuid);
	if (!p->uuid) {
		fail(r, n, "out of memory");
		goto out;
	}
	u->nproxies++;
	if (xmlHashAddEntry(r->proxy_uuids, (const xmlChar *)p->uuid, p)) {
		fail(r, n, "out of memory");
		goto out;
	}
	ret = 0;
out:
	xmlFree(uuid);
	xmlFree(assign);
	return ret;
}

/* Fields of <user>, each allowed once. */
enum user_field {
	F_FIRST, F_LAST, F_CCMNAME, F_SCCPPROXY, F_SID, F_ENABLED, F_SEED,
	F_HASHPW, F_PWDATE, F_COUNT
};

static const char *const user_fields[F_COUNT] = {
	[F_FIRST] = "first",
	[F_LAST] = "last",
	[F_CCMNAME] = "ccmName",
	[F_SCCPPROXY] = "sccpProxy",
	[F_SID] = "sid",
	[F_ENABLED] = "enabled",
	[F_SEED] = "seed",
	[F_HASHPW] = "hashPw",
	[F_PWDATE] = "pwDate",
};

static bool is_base64ish(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || strchr("+/=_-", *s)))
			return false;
	return true;
}

/* This project's own hashPw: "$pbkdf2-sha256$i=<digits>$<base64>" (password.h). */
static bool is_tagged_hash(const char *s)
{
	size_t tag = strlen(PP_PW_TAG_PBKDF2);

	if (strncmp(s, PP_PW_TAG_PBKDF2 "i=", tag + 2))
		return false;
	s += tag + 2;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	return *s == '$' && is_base64ish(s + 1);
}

/* The Management Console's "2006-10-19-11-59-15-562". */
static bool is_pw_date(const char *s)
{
	static const char pat[] = "dddd-dd-dd-dd-dd-dd-ddd";
	size_t i;

	if (strlen(s) != sizeof(pat) - 1)
		return false;
	for (i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
			return false;
	return true;
}

bool pp_host_name_valid(const char *s)
{
	size_t len = strlen(s), label = 0;
	bool numeric = true;
	const char *p;

	if (!len || len >= PP_HOST_MAX || s[len - 1] == '.')
		return false;
	for (p = s; *p; p++) {
		if (*p == '.') {
			if (!label || p[-1] == '-')
				return false;
			label = 0;
			numeric = true;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
		if (*p == '-' && !label)
			return false;
		if (++label > 63)
			return false;
		if (*p < '0' || *p > '9')
			numeric = false;
	}
	/* The last label: not ending in '-', and not all digits (RFC 3696):
	 * "198.51.100.999" is a bad address, not a name. */
	return p[-1] != '-' && !numeric;
}

/* The same rules, for other readers of user records (users_csv.c). */
bool pp_users_seed_valid(const char *s)
{
	return is_base64ish(s);
}

bool pp_users_hash_valid(const char *s)
{
	return is_base64ish(s) || is_tagged_hash(s);
}

bool pp_users_pw_date_valid(const char *s)
{
	return is_pw_date(s);
}

bool pp_users_text_valid(const char *s)
{
	return strlen(s) <= PP_USERS_TEXT_MAX && !has_control(s);
}

static int user_field(struct reader *r, struct pp_account *a,
		      enum user_field f, const xmlNode *el, char *text,
		      const char *owner)
{
	const struct pp_account *other;
	char **slot = NULL;

	switch (f) {
	case F_SID:
		if (!pp_sid_normalize(a->sid, text))
			return fail(r, el, "%ssid \"%.64s\" is not SEP followed by 12 hex digits",
				    owner, text);
		other = xmlHashLookup(r->sids, (const xmlChar *)a->sid);
		if (other)
			return fail(r, el, "%ssid \"%s\" already used by user \"%s\" (line %ld)",
				    owner, a->sid, other->name, other->line);
		if (xmlHashAddEntry(r->sids, (const xmlChar *)a->sid, a))
			return fail(r, el, "out of memory");
		return 0;
	case F_ENABLED:
		if (parse_bool(text, &a->enabled))
			return fail(r, el, "%senabled \"%.64s\" is not true or false",
				    owner, text);
		return 0;
	case F_CCMNAME:
		if (!*text)
			return 0;	/* empty: the default CallManager */
		if (!xmlHashLookup(r->ccm_names, (const xmlChar *)text))
			return fail(r, el, "%sccmName \"%.64s\" is not a CallManager (<ccm>) of this file",
				    owner, text);
		strcpy(a->ccm, text);	/* known, so it fits */
		return 0;
	case F_SCCPPROXY:
		if (!*text)
			return 0;
		if (!xmlHashLookup(r->proxy_uuids, (const xmlChar *)text))
			return fail(r, el, "%ssccpProxy \"%.64s\" is not a <proxy> of this file",
				    owner, text);
		for (unsigned int i = 0; i < a->nsccp_proxy; i++)
			if (!strcmp(a->sccp_proxy[i], text))
				return fail(r, el, "%ssccpProxy \"%.64s\" given twice",
					    owner, text);
		if (a->nsccp_proxy >= PP_SCCP_PROXY_MAX)
			return fail(r, el, "%smore than %d <sccpProxy> (primary, secondary, tertiary)",
				    owner, PP_SCCP_PROXY_MAX);
		slot = &a->sccp_proxy[a->nsccp_proxy++];
		break;
	case F_SEED:
	case F_HASHPW:
		if (!is_base64ish(text) && !(f == F_HASHPW && is_tagged_hash(text)))
			return fail(r, el, "%s<%s> is not a base64 string", owner,
				    user_fields[f]);
		slot = f == F_SEED ? &a->seed : &a->hash_pw;
		break;
	case F_PWDATE:
		if (*text && !is_pw_date(text))
			return fail(r, el, "%spwDate \"%.64s\" is not YYYY-MM-DD-hh-mm-ss-mmm",
				    owner, text);
		slot = &a->pw_date;
		break;
	case F_FIRST:
	case F_LAST:
		if (strlen(text) > TEXT_MAX || has_control(text))
			return fail(r, el, "%s<%s> is not a name (at most %d bytes of text)",
				    owner, user_fields[f], TEXT_MAX);
		slot = f == F_FIRST ? &a->first : &a->last;
		break;
	case F_COUNT:
		return -1;
	}
	*slot = strdup(text);
	if (!*slot)
		return fail(r, el, "out of memory");
	return 0;
}

static int parse_user(struct reader *r, const xmlNode *n)
{
	static const char *const attrs[] = { "id", "name", NULL };
	struct pp_users *u = r->u;
	struct pp_account *a;
	const struct pp_account *other;
	const xmlNode *c, *seen[F_COUNT] = { NULL };
	char *name = NULL, *id = NULL, owner[PP_NAME_MAX + 16];
	int ret = -1;

	if (check_attrs(r, n, attrs))
		return -1;
	if (u->nusers >= PP_USERS_MAX)
		return fail(r, n, "too many users: at most %d", PP_USERS_MAX);
	a = &u->users[u->nusers];
	memset(a, 0, sizeof(*a));
	a->line = line_of(n);
	a->enabled = true;

	name = attr(n, "name");
	if (!name || !*name) {
		fail(r, n, "<user> without a name");
		goto out;
	}
	if (!pp_name_valid(name)) {
		fail(r, n, "user name \"%.64s\" is not 1..%d bytes of text",
		     name, PP_NAME_MAX - 1);
		goto out;
	}
	strcpy(a->name, name);
	snprintf(owner, sizeof(owner), "user \"%s\": ", name);
	other = xmlHashLookup(r->user_names, (const xmlChar *)name);
	if (other) {
		fail(r, n, "duplicate user name \"%s\" (first at line %ld)", name,
		     other->line);
		goto out;
	}
	id = attr(n, "id");
	if (id && *id) {
		if (!pp_name_valid(id)) {
			fail(r, n, "%sid \"%.64s\" is not 1..%d bytes of text",
			     owner, id, PP_NAME_MAX - 1);
			goto out;
		}
		other = xmlHashLookup(r->user_ids, (const xmlChar *)id);
		if (other) {
			fail(r, n, "%sid \"%s\" already used by user \"%s\" (line %ld)",
			     owner, id, other->name, other->line);
			goto out;
		}
		strcpy(a->id, id);
	}
	/* Counted from here on: pp_users_free() releases what it holds. */
	u->nusers++;
	if (xmlHashAddEntry(r->user_names, (const xmlChar *)a->name, a) ||
	    (a->id[0] && xmlHashAddEntry(r->user_ids, (const xmlChar *)a->id, a))) {
		fail(r, n, "out of memory");
		goto out;
	}

	for (c = n->children; c; c = c->next) {
		enum user_field f;
		char *text;
		int err;

		if (c->type != XML_ELEMENT_NODE) {
			if (check_misc_child(r, c, "user"))
				goto out;
			continue;
		}
		if (check_namespace(r, c))
			goto out;
		for (f = 0; f < F_COUNT; f++)
			if (!strcmp((const char *)c->name, user_fields[f]))
				break;
		if (f == F_COUNT) {
			fail(r, c, "%sunknown element <%s>", owner,
			     (const char *)c->name);
			goto out;
		}
		if (seen[f] && f != F_SCCPPROXY) {
			fail(r, c, "%smore than one <%s> (first at line %ld)", owner,
			     user_fields[f], line_of(seen[f]));
			goto out;
		}
		seen[f] = c;
		text = leaf_text(r, c, owner);
		if (!text)
			goto out;
		err = user_field(r, a, f, c, text, owner);
		free(text);
		if (err)
			goto out;
	}
	if (!seen[F_SID]) {
		fail(r, n, "%sno <sid>", owner);
		goto out;
	}
	if (!a->ccm[0] && !r->default_ccm) {
		fail(r, seen[F_CCMNAME] ? seen[F_CCMNAME] : n,
		     "%sno <ccmName> and no default CallManager (<ccm default=\"true\">)",
		     owner);
		goto out;
	}
	if (!a->seed != !a->hash_pw) {
		fail(r, n, "%s<%s> without <%s>", owner, a->seed ? "seed" : "hashPw",
		     a->seed ? "hashPw" : "seed");
		goto out;
	}
	ret = 0;
out:
	xmlFree(name);
	xmlFree(id);
	return ret;
}

static int parse_users(struct reader *r, const xmlNode *root)
{
	static const char *const attrs[] = { "name", NULL };
	struct pp_users *u = r->u;
	const xmlNode *c;
	size_t nusers = 0, nccms = 0, nproxies = 0;

	if (check_namespace(r, root))
		return -1;
	if (!is_element(root, "users"))
		return fail(r, root, "the root element is <%s>, not <users>",
			    (const char *)root->name);
	if (check_attrs(r, root, attrs))
		return -1;
	u->name = attr(root, "name");

	/* Pass 1: the structure, the CallManagers and the proxies. */
	for (c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE) {
			if (check_misc_child(r, c, "users"))
				return -1;
			continue;
		}
		if (check_namespace(r, c))
			return -1;
		if (is_element(c, "user")) {
			if (nusers <= PP_USERS_MAX)
				nusers++;
		} else if (is_element(c, "ccm")) {
			if (nccms <= PP_CCMS_MAX)
				nccms++;
		} else if (is_element(c, "proxy")) {
			nproxies++;
		} else {
			return fail(r, c, "unknown element <%s> in <users>",
				    (const char *)c->name);
		}
	}
	u->ccms = calloc(nccms ? nccms : 1, sizeof(*u->ccms));
	u->users = calloc(nusers ? nusers : 1, sizeof(*u->users));
	u->proxies = calloc(nproxies ? nproxies : 1, sizeof(*u->proxies));
	if (!u->ccms || !u->users || !u->proxies)
		return fail(r, root, "out of memory");
	for (c = root->children; c; c = c->next) {
		if (is_element(c, "ccm") && parse_ccm(r, c))
			return -1;
		if (is_element(c, "proxy") && parse_proxy(r, c))
			return -1;
	}
	/* Pass 2: the users, which refer to the above. */
	for (c = root->children; c; c = c->next)
		if (is_element(c, "user") && parse_user(r, c))
			return -1;
	return 0;
}

int pp_users_parse_memory(const char *buf, size_t len, const char *filename,
			  struct pp_users **out, char *err, size_t errlen)
{
	struct reader r = {
		.file = filename ? filename : "users.xml",
		.err = err,
		.errlen = errlen,
	};
	xmlDocPtr doc = NULL;
	int ret = -1;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	if (len > PP_USERS_FILE_MAX)
		return fail(&r, NULL, "larger than %u bytes", PP_USERS_FILE_MAX);
	r.u = calloc(1, sizeof(*r.u));
	r.ccm_names = xmlHashCreate(64);
	r.proxy_uuids = xmlHashCreate(16);
	r.user_names = xmlHashCreate(1024);
	r.user_ids = xmlHashCreate(1024);
	r.sids = xmlHashCreate(1024);
	if (!r.u || !r.ccm_names || !r.proxy_uuids || !r.user_names ||
	    !r.user_ids || !r.sids) {
		fail(&r, NULL, "out of memory");
		goto out;
	}
	doc = pp_xml_read(buf, len, r.file, "users.xml", err, errlen);
	if (!doc) {
		r.failed = true;
		goto out;
	}
	if (parse_users(&r, xmlDocGetRootElement(doc)))
		goto out;
	*out = r.u;
	r.u = NULL;
	ret = 0;
out:
	if (doc)
		xmlFreeDoc(doc);
	xmlHashFree(r.ccm_names, NULL);
	xmlHashFree(r.proxy_uuids, NULL);
	xmlHashFree(r.user_names, NULL);
	xmlHashFree(r.user_ids, NULL);
	xmlHashFree(r.sids, NULL);
	pp_users_free(r.u);
	return ret;
}

int pp_users_parse_file(const char *path, struct pp_users **out,
			char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	if (pp_file_read_conf(path, PP_USERS_FILE_MAX, 0, &buf, &len, err,
			      errlen))
		return -1;
	rc = pp_users_parse_memory(buf, len, path, out, err, errlen);
	free(buf);
	return rc;
}

void pp_users_free(struct pp_users *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->nusers; i++) {
		struct pp_account *a = &u->users[i];

		free(a->first);
		free(a->last);
		for (unsigned int j = 0; j < a->nsccp_proxy; j++)
			free(a->sccp_proxy[j]);
		free(a->seed);
		free(a->hash_pw);
		free(a->pw_date);
	}
	for (i = 0; i < u->nproxies; i++)
		free(u->proxies[i].uuid);
	xmlFree(u->name);
	free(u->users);
	free(u->ccms);
	free(u->proxies);
	free(u);
}

const struct pp_callmanager *pp_users_default_ccm(const struct pp_users *u)
{
	size_t i;

	for (i = 0; i < u->nccms; i++)
		if (u->ccms[i].is_default)
			return &u->ccms[i];
	return NULL;
}

const struct pp_callmanager *pp_users_account_ccm(const struct pp_users *u,
						  const struct pp_account *a)
{
	size_t i;

	if (!a->ccm[0])
		return pp_users_default_ccm(u);
	for (i = 0; i < u->nccms; i++)
		if (!strcmp(u->ccms[i].name, a->ccm))
			return &u->ccms[i];
	return NULL;
}

const struct pp_account *pp_users_find(const struct pp_users *u,
				       const char *name)
{
	size_t i;

	for (i = 0; i < u->nusers; i++)
		if (!strcmp(u->users[i].name, name))
			return &u->users[i];
	return NULL;
}
