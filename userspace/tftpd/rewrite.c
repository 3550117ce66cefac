// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The phone configuration rewriter. The document is parsed once by
 * libxml2 into a tree; SAX wrappers around libxml2's own tree builder
 * note, for every element, where its start tag ends and its end tag ends
 * in the input (xmlByteConsumed()), so a change of an element's text can
 * be spliced into the original bytes.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "allowlist.h"
#include "httpconf.h"
#include "rewrite.h"

/* No network, no DTD, no entity substitution, no libxml2 chatter. */
#define XML_OPTS	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* Where an element is in the input. */
struct pos {
	long gt;		/* the '>' (or the '/' of "/>") of its start tag */
	long end;		/* just after the '>' of its end tag */
	bool empty;		/* written <x/> */
};

struct parse {
	const char *in;
	size_t len;
	struct pos *pos;
	size_t npos, cap;
	bool unreliable;	/* offsets cannot be trusted: no splicing */
	bool oom;
};

static void pos_record_start(xmlParserCtxtPtr ctxt, struct parse *ps)
{
	xmlNodePtr node = ctxt->node;
	long off = xmlByteConsumed(ctxt);
	struct pos *p;

	if (!node || ps->oom)
		return;
	if (ctxt->input && ctxt->input->buf && ctxt->input->buf->encoder)
		ps->unreliable = true;	/* transcoded: offsets are not ours */
	if (off < 0 || (size_t)off >= ps->len ||
	    (ps->in[off] != '>' && ps->in[off] != '/'))
		ps->unreliable = true;
	if (ps->npos == ps->cap) {
		size_t ncap = ps->cap ? ps->cap * 2 : 64;
		struct pos *np = realloc(ps->pos, ncap * sizeof(*np));

		if (!np) {
			ps->oom = true;
			return;
		}
		ps->pos = np;
		ps->cap = ncap;
	}
	p = &ps->pos[ps->npos++];
	p->gt = off;
	p->end = -1;
	p->empty = off >= 0 && (size_t)off < ps->len && ps->in[off] == '/';
	node->_private = (void *)(uintptr_t)ps->npos;	/* index + 1 */
}

static struct parse *ctxt_parse(xmlParserCtxtPtr ctxt)
{
	return ctxt->_private;
}

static void sax_start(void *ctx, const xmlChar *localname,
		      const xmlChar *prefix, const xmlChar *uri, int nns,
		      const xmlChar **ns, int nattrs, int ndefaulted,
		      const xmlChar **attrs)
{
	xmlParserCtxtPtr ctxt = ctx;

	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nns, ns, nattrs,
			      ndefaulted, attrs);
	pos_record_start(ctxt, ctxt_parse(ctxt));
}

static void sax_end(void *ctx, const xmlChar *localname,
		    const xmlChar *prefix, const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse *ps = ctxt_parse(ctxt);
	xmlNodePtr node = ctxt->node;
	long off = xmlByteConsumed(ctxt);

	if (node && node->_private && !ps->oom) {
		struct pos *p = &ps->pos[(uintptr_t)node->_private - 1];

		p->end = off;
		if (off <= 0 || (size_t)off > ps->len || ps->in[off - 1] != '>')
			ps->unreliable = true;
	}
	xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

/* Parse in; on failure err says why. */
static xmlDocPtr parse_doc(const char *in, size_t len, struct parse *ps,
			   char *err, size_t errlen)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;

	if (len > INT_MAX) {
		snprintf(err, errlen, "file too large to parse (%zu bytes)", len);
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ctxt->sax->startElementNs = sax_start;
	ctxt->sax->endElementNs = sax_end;
	ctxt->_private = ps;
	doc = xmlCtxtReadMemory(ctxt, in, (int)len, NULL, NULL, XML_OPTS);
	if (!doc || !ctxt->wellFormed || ps->oom) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);

		if (ps->oom)
			snprintf(err, errlen, "out of memory");
		else if (e && e->message)
			snprintf(err, errlen, "line %d: %.*s", e->line,
				 (int)strcspn(e->message, "\n"), e->message);
		else
			snprintf(err, errlen, "not well-formed XML");
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

static bool named(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	xmlNodePtr c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (named(c, name))
			return c;
	return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The element's text (malloc()ed, "" when empty). */
static char *text_of(xmlNodePtr n)
{
	xmlChar *c = xmlNodeGetContent(n);
	char *s = strdup(c ? (const char *)c : "");

	xmlFree(c);
	return s;
}

/* Only text (and CDATA) children, equal to value. */
static bool text_is(xmlNodePtr n, const char *value)
{
	xmlNodePtr c;
	char *t;
	bool same;

	for (c = n->children; c; c = c->next)
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			return false;
	t = text_of(n);
	same = t && !strcmp(t, value);
	free(t);
	return same;
}

static bool text_empty(xmlNodePtr n)
{
	return text_is(n, "");
}

/* ---- the plan: edits of the input, mirrored in the tree ---- */

struct edit {
	long start, end;	/* input bytes replaced */
	char *text;		/* replacement (malloc()ed) */
};

struct plan {
	struct parse *ps;
	const struct cnf_params *p;
	struct cnf_result *res;
	struct edit *edits;
	size_t nedits, cap;
	xmlNodePtr *removed;	/* members to unlink after the walk */
	size_t nremoved, rcap;
	bool oom;
};

static const struct pos *pos_of(const struct plan *pl, xmlNodePtr n)
{
	if (!n->_private)
		return NULL;
	return &pl->ps->pos[(uintptr_t)n->_private - 1];
}

static void add_edit(struct plan *pl, long start, long end, char *text)
{
	if (!text) {
		pl->oom = true;
		return;
	}
	if (pl->nedits == pl->cap) {
		size_t ncap = pl->cap ? pl->cap * 2 : 16;
		struct edit *ne = realloc(pl->edits, ncap * sizeof(*ne));

		if (!ne) {
			free(text);
			pl->oom = true;
			return;
		}
		pl->edits = ne;
		pl->cap = ncap;
	}
	pl->edits[pl->nedits++] = (struct edit){ start, end, text };
}

/* value with &, < and > escaped (malloc()ed). */
static char *escape(const char *v)
{
	size_t n = 0;
	const char *s;
	char *out, *o;

	for (s = v; *s; s++)
		n += *s == '&' ? 5 : (*s == '<' || *s == '>') ? 4 : 1;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	for (s = v, o = out; *s; s++) {
		if (*s == '&')
			o += sprintf(o, "&amp;");
		else if (*s == '<')
			o += sprintf(o, "&lt;");
		else if (*s == '>')
			o += sprintf(o, "&gt;");
		else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* The qualified name of an element as written ("p:name" or "name"). */
static char *qname(xmlNodePtr n)
{
	char *s;

	if (n->ns && n->ns->prefix) {
		size_t len = strlen((const char *)n->ns->prefix) +
			     strlen((const char *)n->name) + 2;

		s = malloc(len);
		if (s)
			snprintf(s, len, "%s:%s", n->ns->prefix, n->name);
		return s;
	}
	return strdup((const char *)n->name);
}

/* Set the element's text to value. Returns true when it changed. */
static bool set_text(struct plan *pl, xmlNodePtr n, const char *value)
{
	const struct pos *ps = pos_of(pl, n);
	char *esc;

	if (text_is(n, value))
		return false;
	esc = escape(value);
	if (!esc) {
		pl->oom = true;
		return false;
	}
	if (ps && !pl->ps->unreliable) {
		if (ps->empty) {
			/* <x/> becomes <x>value</x> */
			char *q = qname(n), *t = NULL;

			if (q && asprintf(&t, ">%s</%s>", esc, q) < 0)
				t = NULL;
			free(q);
			add_edit(pl, ps->gt, ps->end, t);
		} else {
			long lt = ps->end - 1;

			while (lt > ps->gt && pl->ps->in[lt] != '<')
				lt--;
			add_edit(pl, ps->gt + 1, lt, strdup(esc));
		}
	}
	/* The tree too: the fallback serializer and the check read it. */
	xmlNodeSetContent(n, (const xmlChar *)esc);
	free(esc);
	return true;
}

static bool clear_text(struct plan *pl, xmlNodePtr n)
{
	return set_text(pl, n, "");
}

/* Remove an element (with the white space of its line). */
static void remove_elem(struct plan *pl, xmlNodePtr n)
{
	const struct pos *ps = pos_of(pl, n);

	if (ps && !pl->ps->unreliable) {
		const char *in = pl->ps->in;
		long start = ps->gt, end = ps->end, s2, e2;

		while (start > 0 && in[start] != '<')
			start--;
		/* Alone on its line(s): take the indentation and the newline. */
		s2 = start;
		while (s2 > 0 && (in[s2 - 1] == ' ' || in[s2 - 1] == '\t'))
			s2--;
		e2 = end;
		while ((size_t)e2 < pl->ps->len && (in[e2] == ' ' || in[e2] == '\t' ||
						    in[e2] == '\r'))
			e2++;
		if ((s2 == 0 || in[s2 - 1] == '\n') &&
		    ((size_t)e2 == pl->ps->len || in[e2] == '\n')) {
			start = s2;
			end = (size_t)e2 < pl->ps->len ? e2 + 1 : e2;
		}
		add_edit(pl, start, end, strdup(""));
	}
	if (pl->nremoved == pl->rcap) {
		size_t ncap = pl->rcap ? pl->rcap * 2 : 4;
		xmlNodePtr *nr = realloc(pl->removed, ncap * sizeof(*nr));

		if (!nr) {
			pl->oom = true;
			return;
		}
		pl->removed = nr;
		pl->rcap = ncap;
	}
	pl->removed[pl->nremoved++] = n;
}

struct member {
	xmlNodePtr node;
	long priority;
	size_t order;
};

static int member_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Members of a callManagerGroup, in priority order (document order for
 * ties or no priority). *n is set; NULL with *n 0 when there are none. */
static struct member *members_of(xmlNodePtr group, size_t *n, bool *oom)
{
	xmlNodePtr members = child(group, "members"), c;
	struct member *m = NULL;
	size_t cnt = 0, i = 0;

	*n = 0;
	for (c = members ? members->children : NULL; c; c = c->next)
		if (named(c, "member"))
			cnt++;
	if (!cnt)
		return NULL;
	m = calloc(cnt, sizeof(*m));
	if (!m) {
		*oom = true;
		return NULL;
	}
	for (c = members->children; c; c = c->next) {
		xmlChar *prio;
		char *end;

		if (!named(c, "member"))
			continue;
		m[i].node = c;
		m[i].order = i;
		m[i].priority = (long)i;
		prio = xmlGetProp(c, (const xmlChar *)"priority");
		if (prio) {
			long v = strtol((const char *)prio, &end, 10);

			if (end != (char *)prio && !*end)
				m[i].priority = v;
			xmlFree(prio);
		}
		i++;
	}
	qsort(m, cnt, sizeof(*m), member_cmp);
	*n = cnt;
	return m;
}

/* Keep member i's original processNodeName (the first group's only). */
static void keep_ccm(struct plan *pl, size_t i, xmlNodePtr e)
{
	char *t, *v;
	size_t len;

	if (pl->res->nccm || i >= CNF_NODES_MAX)
		return;
	t = text_of(e);
	if (!t) {
		pl->oom = true;
		return;
	}
	for (v = t; *v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'; v++)
		;
	len = strlen(v);
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r' ||
		       v[len - 1] == '\n'))
		len--;
	if (len >= CNF_CCM_MAX)
		len = 0;	/* no address is that long: stands for nothing */
	memcpy(pl->res->ccm[i], v, len);
	pl->res->ccm[i][len] = '\0';
	free(t);
}

/*
 * Fewer members than nodes: nodes have..nnodes-1 become new members after
 * the last one (priority last + 1, ...), each with the proxy's SCCP port
 * and the node's address; in the tree, and spliced in before </members>.
 */
static void add_members(struct plan *pl, xmlNodePtr group, long last, size_t have)
{
	const struct cnf_params *p = pl->p;
	xmlNodePtr members = child(group, "members");
	const struct pos *ps = members ? pos_of(pl, members) : NULL;
	char port[16], prio[24], *text = NULL;
	size_t i, len = 0;
	FILE *f;

	snprintf(port, sizeof(port), "%u", p->sccp_port);
	f = open_memstream(&text, &len);
	if (!f || !members) {
		if (f)
			fclose(f);
		free(text);
		pl->oom = pl->oom || !f;
		return;
	}
	for (i = have; i < p->nnodes; i++) {
		xmlNodePtr mem, cm, ports;

		snprintf(prio, sizeof(prio), "%ld", last + (long)(i - have) + 1);
		fprintf(f, "<member priority=\"%s\"><callManager><ports><ethernetPhonePort>%s"
			"</ethernetPhonePort></ports><processNodeName>%s</processNodeName>"
			"</callManager></member>\n", prio, port, p->nodes[i]);
		mem = xmlNewChild(members, NULL, (const xmlChar *)"member", NULL);
		cm = mem ? xmlNewChild(mem, NULL, (const xmlChar *)"callManager", NULL) : NULL;
		ports = cm ? xmlNewChild(cm, NULL, (const xmlChar *)"ports", NULL) : NULL;
		if (!ports || !xmlSetProp(mem, (const xmlChar *)"priority", (const xmlChar *)prio) ||
		    !xmlNewTextChild(ports, NULL, (const xmlChar *)"ethernetPhonePort",
				     (const xmlChar *)port) ||
		    !xmlNewTextChild(cm, NULL, (const xmlChar *)"processNodeName",
				     (const xmlChar *)p->nodes[i]))
			pl->oom = true;
		pl->res->members_added++;
	}
	if (fclose(f)) {
		free(text);
		pl->oom = true;
		return;
	}
	if (pl->ps->unreliable) {
		free(text);
		return;
	}
	if (!ps || ps->empty) {
		free(text);
		pl->ps->unreliable = true;	/* serialize the tree instead */
		return;
	}
	{
		long lt = ps->end - 1;

		while (lt > ps->gt && pl->ps->in[lt] != '<')
			lt--;
		add_edit(pl, lt, lt, text);
	}
}

static void rewrite_group(struct plan *pl, xmlNodePtr group)
{
	const struct cnf_params *p = pl->p;
	struct member *m;
	size_t n, i;
	char port[16];

	m = members_of(group, &n, &pl->oom);
	snprintf(port, sizeof(port), "%u", p->sccp_port);
	for (i = 0; i < n; i++) {
		xmlNodePtr cm = child(m[i].node, "callManager"), e;

		if (i >= p->nnodes) {
			remove_elem(pl, m[i].node);
			pl->res->members_removed++;
			continue;
		}
		e = child(cm, "processNodeName");
		if (e)
			keep_ccm(pl, i, e);
		if (e && set_text(pl, e, p->nodes[i]))
			pl->res->nodes++;
		e = child(child(cm, "ports"), "ethernetPhonePort");
		if (e && set_text(pl, e, port))
			pl->res->ports++;
		/* Any other form of the node's address (IPv6): emptied. */
		for (e = cm ? cm->children : NULL; e; e = e->next)
			if (e->type == XML_ELEMENT_NODE &&
			    starts_with((const char *)e->name, "processNodeName") &&
			    strcmp((const char *)e->name, "processNodeName") &&
			    clear_text(pl, e))
				pl->res->other_nodes++;
	}
	if (n && n < p->nnodes)
		add_members(pl, group, m[n - 1].priority, n);
	if (n && !pl->res->nccm) {
		pl->res->nccm = (unsigned int)p->nnodes;
		for (i = n; i < p->nnodes; i++)
			memcpy(pl->res->ccm[i], pl->res->ccm[i % n], CNF_CCM_MAX);
	}
	free(m);
}

static void rewrite_srst(struct plan *pl, xmlNodePtr srst)
{
	xmlNodePtr c, option = NULL;
	bool used = false;

	for (c = srst->children; c; c = c->next) {
		const char *name = (const char *)c->name;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp(name, "srstOption")) {
			option = c;
		} else if (starts_with(name, "ipAddr") ||
			   starts_with(name, "sipIpAddr") ||
			   starts_with(name, "ipv6Addr")) {
			if (clear_text(pl, c)) {
				pl->res->srst++;
				used = true;
			}
		}
	}
	/* A remote phone cannot reach an SRST router of the voice network,
	 * nor should it fall back to its home router ("Use Default
	 * Gateway"). */
	if (option && (used || !text_is(option, "Disable")) &&
	    set_text(pl, option, "Disable"))
		pl->res->srst++;
}

bool cnf_url_allowed(const char *url, const char *const *allow, size_t nallow)
{
	/* The HTTP proxy's own matcher: kept here means fetched there. */
	return pp_allow_url_allowed(url, allow, nallow);
}

static void walk(struct plan *pl, xmlNodePtr n)
{
	const struct cnf_params *p = pl->p;
	xmlNodePtr c;

	for (c = n->children; c; c = c->next) {
		const char *name = (const char *)c->name;
		char *v;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp(name, "callManagerGroup")) {
			rewrite_group(pl, c);
			continue;
		}
		if (!strcmp(name, "srstInfo")) {
			rewrite_srst(pl, c);
			continue;
		}
		if (!strcmp(name, "capf")) {
			xmlNodePtr e = child(c, "processNodeName");

			if (e && clear_text(pl, e))
				pl->res->capf++;
			continue;
		}
		if (!strcmp(name, "loadServer") || !strcmp(name, "ipv6LoadServer") ||
		    !strcmp(name, "logServer") || !strcmp(name, "ipv6LogServer")) {
			if (clear_text(pl, c))
				pl->res->servers++;
			continue;
		}
		if (starts_with(name, "processNodeName")) {
			if (clear_text(pl, c))
				pl->res->other_nodes++;
			continue;
		}
		if (!strcmp(name, "proxyServerURL")) {
			if (p->proxy_url && set_text(pl, c, p->proxy_url))
				pl->res->proxy_url++;
			continue;
		}
		if (ends_with(name, "URL")) {
			v = text_of(c);
			if (!v) {
				pl->oom = true;
				return;
			}
			if (*v && p->proxy_url &&
			    cnf_url_allowed(v, p->allow, p->nallow))
				pl->res->urls_kept++;
			else if (clear_text(pl, c))
				pl->res->urls_cleared++;
			free(v);
			continue;
		}
		walk(pl, c);
	}
}

/*
 * The device security mode: the root's deviceSecurityMode child gets the
 * value, or one is added just before </device>.
 */
static void set_security_mode(struct plan *pl, xmlNodePtr root)
{
	const struct pos *ps = pos_of(pl, root);
	char v[16], *t = NULL;
	xmlNodePtr c;
	long lt;

	snprintf(v, sizeof(v), "%u", pl->p->security_mode);
	for (c = root->children; c; c = c->next) {
		if (named(c, "deviceSecurityMode")) {
			if (set_text(pl, c, v))
				pl->res->security_mode++;
			return;
		}
	}
	if (!xmlNewTextChild(root, NULL, (const xmlChar *)"deviceSecurityMode",
			     (const xmlChar *)v)) {
		pl->oom = true;
		return;
	}
	pl->res->security_mode++;
	if (pl->ps->unreliable)
		return;
	if (!ps || ps->empty) {
		pl->ps->unreliable = true;	/* <device/>: serialize instead */
		return;
	}
	lt = ps->end - 1;
	while (lt > ps->gt && pl->ps->in[lt] != '<')
		lt--;
	if (asprintf(&t, "<deviceSecurityMode>%s</deviceSecurityMode>\n", v) < 0)
		t = NULL;
	add_edit(pl, lt, lt, t);
}

static int edit_cmp(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The input with the edits applied. */
static int splice(struct plan *pl, char **out, size_t *outlen)
{
	const char *in = pl->ps->in;
	size_t len = pl->ps->len, total = 0, i, at = 0;
	long prev = 0;
	char *o;

	if (pl->nedits)
		qsort(pl->edits, pl->nedits, sizeof(*pl->edits), edit_cmp);
	for (i = 0; i < pl->nedits; i++) {
		const struct edit *e = &pl->edits[i];

		if (e->start < prev || e->end < e->start || (size_t)e->end > len)
			return -1;	/* overlapping: a bug, never serve */
		total += (size_t)(e->start - prev) + strlen(e->text);
		prev = e->end;
	}
	total += len - (size_t)prev;
	o = malloc(total + 1);
	if (!o)
		return -1;
	prev = 0;
	for (i = 0; i < pl->nedits; i++) {
		const struct edit *e = &pl->edits[i];
		size_t tl = strlen(e->text);

		memcpy(o + at, in + prev, (size_t)(e->start - prev));
		at += (size_t)(e->start - prev);
		memcpy(o + at, e->text, tl);
		at += tl;
		prev = e->end;
	}
	memcpy(o + at, in + prev, len - (size_t)prev);
	at += len - (size_t)prev;
	o[at] = '\0';
	*out = o;
	*outlen = at;
	return 0;
}

/* The tree serialized again, in the document's own encoding. */
static int serialize(xmlDocPtr doc, char **out, size_t *outlen)
{
	xmlChar *buf = NULL;
	int n = 0;

	xmlDocDumpMemoryEnc(doc, &buf, &n, doc->encoding ?
			    (const char *)doc->encoding : "UTF-8");
	if (!buf || n < 0) {
		xmlFree(buf);
		return -1;
	}
	*out = malloc((size_t)n + 1);
	if (!*out) {
		xmlFree(buf);
		return -1;
	}
	memcpy(*out, buf, (size_t)n);
	(*out)[n] = '\0';
	*outlen = (size_t)n;
	xmlFree(buf);
	return 0;
}

/* Safety: the document is a phone configuration we may rewrite. */
static int check_doc(xmlDocPtr doc, char *err, size_t errlen)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);

	if (doc->intSubset || doc->extSubset) {
		snprintf(err, errlen,
			 "has a DOCTYPE: DTDs and entities are not accepted in phone configuration files");
		return -1;
	}
	if (!root) {
		snprintf(err, errlen, "has no root element");
		return -1;
	}
	if (strcmp((const char *)root->name, "device")) {
		snprintf(err, errlen, "root element is <%s>, not <device>", root->name);
		return -1;
	}
	return 0;
}

/* ---- the check of the output ---- */

struct verify {
	const struct cnf_params *p;
	char *err;
	size_t errlen;
	int bad;
};

static void vfail(struct verify *v, const char *what, xmlNodePtr n)
{
	if (!v->bad++)
		snprintf(v->err, v->errlen,
			 "rewrite check failed: %s (line %ld)", what, xmlGetLineNo(n));
}

static void verify_walk(struct verify *v, xmlNodePtr n)
{
	const struct cnf_params *p = v->p;
	char port[16];
	xmlNodePtr c;

	snprintf(port, sizeof(port), "%u", p->sccp_port);
	for (c = n->children; c; c = c->next) {
		const char *name = (const char *)c->name;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp(name, "callManagerGroup")) {
			bool oom = false;
			size_t cnt, i;
			struct member *m = members_of(c, &cnt, &oom);

			if (oom)
				vfail(v, "out of memory", c);
			if (cnt > p->nnodes)
				vfail(v, "more members than proxy nodes", c);
			if (cnt && cnt < p->nnodes)
				vfail(v, "fewer members than proxy nodes", c);
			for (i = 0; i < cnt && i < p->nnodes; i++) {
				xmlNodePtr cm = child(m[i].node, "callManager"), e;

				e = child(cm, "processNodeName");
				if (e && !text_is(e, p->nodes[i]))
					vfail(v, "processNodeName is not the proxy node", e);
				e = child(child(cm, "ports"), "ethernetPhonePort");
				if (e && !text_is(e, port))
					vfail(v, "ethernetPhonePort is not the proxy's", e);
			}
			free(m);
			continue;
		}
		if (!strcmp(name, "proxyServerURL")) {
			if (p->proxy_url && !text_is(c, p->proxy_url))
				vfail(v, "proxyServerURL is not the proxy's", c);
			continue;
		}
		if (ends_with(name, "URL")) {
			char *t = text_of(c);

			if (!t || (*t && !(p->proxy_url &&
					   cnf_url_allowed(t, p->allow, p->nallow))))
				vfail(v, "a service URL is neither empty nor whitelisted", c);
			free(t);
			continue;
		}
		if ((!strcmp(name, "loadServer") || !strcmp(name, "ipv6LoadServer") ||
		     !strcmp(name, "logServer") || !strcmp(name, "ipv6LogServer") ||
		     starts_with(name, "processNodeName")) && !text_empty(c))
			vfail(v, "an address of the voice network is left", c);
		if (!strcmp(name, "srstInfo")) {
			xmlNodePtr e;

			for (e = c->children; e; e = e->next)
				if (e->type == XML_ELEMENT_NODE &&
				    (starts_with((const char *)e->name, "ipAddr") ||
				     starts_with((const char *)e->name, "sipIpAddr") ||
				     starts_with((const char *)e->name, "ipv6Addr")) &&
				    !text_empty(e))
					vfail(v, "an SRST address is left", e);
			continue;
		}
		verify_walk(v, c);
	}
}

static int verify(const char *out, size_t len, const struct cnf_params *p,
		  char *err, size_t errlen)
{
	struct parse ps = { .in = out, .len = len };
	struct verify v = { .p = p, .err = err, .errlen = errlen };
	char why[512];
	xmlDocPtr doc;

	doc = parse_doc(out, len, &ps, why, sizeof(why));
	free(ps.pos);
	if (!doc) {
		snprintf(err, errlen, "rewrite check failed: output does not parse: %s", why);
		return -1;
	}
	if (check_doc(doc, why, sizeof(why))) {
		snprintf(err, errlen, "rewrite check failed: output %s", why);
		xmlFreeDoc(doc);
		return -1;
	}
	verify_walk(&v, xmlDocGetRootElement(doc));
	if (p->security_mode) {
		xmlNodePtr root = xmlDocGetRootElement(doc), c;
		char mode[16];
		bool ok = false;

		snprintf(mode, sizeof(mode), "%u", p->security_mode);
		for (c = root->children; c; c = c->next)
			if (named(c, "deviceSecurityMode"))
				ok = text_is(c, mode);
		if (!ok)
			vfail(&v, "deviceSecurityMode is not the proxy's", root);
	}
	xmlFreeDoc(doc);
	return v.bad ? -1 : 0;
}

int cnf_rewrite(const char *in, size_t len, const struct cnf_params *p,
		struct cnf_result *res, char *err, size_t errlen)
{
	struct parse ps = { .in = in, .len = len };
	struct plan pl = { .ps = &ps, .p = p, .res = res };
	xmlDocPtr doc;
	size_t i;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (!p || p->nnodes < 1 || p->nnodes > CNF_NODES_MAX ||
	    !p->sccp_port || p->sccp_port > 65535) {
		snprintf(err, errlen, "invalid rewrite parameters");
		return -1;
	}
	for (i = 0; i < p->nnodes; i++) {
		if (!p->nodes[i] || !*p->nodes[i]) {
			snprintf(err, errlen, "invalid rewrite parameters");
			return -1;
		}
	}
	if (len == 0) {
		snprintf(err, errlen, "empty file");
		return -1;
	}
	if (memchr(in, '\0', len)) {
		snprintf(err, errlen, "contains a NUL byte");
		return -1;
	}
	doc = parse_doc(in, len, &ps, err, errlen);
	if (!doc)
		goto out;
	if (check_doc(doc, err, errlen))
		goto out;
	walk(&pl, xmlDocGetRootElement(doc));
	if (p->security_mode)
		set_security_mode(&pl, xmlDocGetRootElement(doc));
	for (i = 0; i < pl.nremoved; i++) {
		xmlUnlinkNode(pl.removed[i]);
		xmlFreeNode(pl.removed[i]);
	}
	if (pl.oom) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (!ps.unreliable) {
		if (splice(&pl, &res->data, &res->len)) {
			snprintf(err, errlen, "rewrite failed: overlapping changes");
			goto out;
		}
		res->spliced = true;
	} else if (serialize(doc, &res->data, &res->len)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (verify(res->data, res->len, p, err, errlen)) {
		free(res->data);
		res->data = NULL;
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < pl.nedits; i++)
		free(pl.edits[i].text);
	free(pl.edits);
	free(pl.removed);
	free(ps.pos);
	xmlFreeDoc(doc);
	if (rc)
		memset(res, 0, sizeof(*res));
	return rc;
}

void cnf_result_summary(const struct cnf_result *r, char *buf, size_t len)
{
	snprintf(buf, len,
		 "nodes=%u ports=%u members-removed=%u members-added=%u proxy-url=%u urls-cleared=%u urls-kept=%u srst=%u servers=%u capf=%u other-nodes=%u security-mode=%u%s",
		 r->nodes, r->ports, r->members_removed, r->members_added, r->proxy_url,
		 r->urls_cleared, r->urls_kept, r->srst, r->servers, r->capf,
		 r->other_nodes, r->security_mode, r->spliced ? "" : " (re-serialized)");
}
