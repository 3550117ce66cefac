// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * cluster.xml reader (the guide's Appendix B) and the static balancing
 * of users over its nodes, on libxml2.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cluster_xml.h"
#include "conf.h"
#include "file.h"
#include "parse.h"
#include "xmlread.h"

struct creader {
	const char *file;
	char *err;
	size_t errlen;
	bool failed;
};

__attribute__((format(printf, 3, 4)))
static int cfail(struct creader *r, long line, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return -1;
	r->failed = true;
	va_start(ap, fmt);
	pp_xml_vfail(r->err, r->errlen, r->file, line, fmt, ap);
	va_end(ap);
	return -1;
}

static long cline(const xmlNode *n)
{
	return pp_xml_line(n);
}

static bool blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static bool ident_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (!n || n >= max)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* Only the known attributes, none in a namespace. */
static int check_attrs(struct creader *r, const xmlNode *n, const char *const *names)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next) {
		const char *const *k;

		for (k = names; *k; k++)
			if (!a->ns && !strcmp((const char *)a->name, *k))
				break;
		if (!*k)
			return cfail(r, cline(n), "unknown attribute \"%s\" on <%s>",
				     (const char *)a->name, (const char *)n->name);
	}
	return 0;
}

/* Only blank text and comments inside n. */
static int check_children(struct creader *r, const xmlNode *n, bool elements_ok)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		switch (c->type) {
		case XML_ELEMENT_NODE:
			if (elements_ok)
				break;
			return cfail(r, cline(c), "unknown element <%s> in <%s>",
				     (const char *)c->name, (const char *)n->name);
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (!blank(c->content))
				return cfail(r, cline(c), "unexpected text in <%s>",
					     (const char *)n->name);
			break;
		case XML_COMMENT_NODE:
		case XML_PI_NODE:
			break;
		default:
			return cfail(r, cline(c), "unexpected content in <%s>",
				     (const char *)n->name);
		}
	}
	return 0;
}

/* An address attribute: 0 (empty or absent, when allowed) or a unicast IPv4. */
static int get_addr(struct creader *r, const xmlNode *n, const char *uuid, const char *name,
		    bool required, uint32_t *out)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	int ret = 0;

	*out = 0;
	if (!v || !*v) {
		if (required)
			ret = cfail(r, cline(n), "proxy \"%s\": no %s", uuid, name);
	} else if (pp_parse_ipv4((const char *)v, out) || !pp_ipv4_is_phone(*out)) {
		ret = cfail(r, cline(n), "proxy \"%s\": %s \"%.64s\" is not a unicast IPv4 address",
			    uuid, name, (const char *)v);
	}
	xmlFree(v);
	return ret;
}

static int parse_node(struct creader *r, struct pp_cluster_xml *c, const xmlNode *n)
{
	static const char *const attrs[] = { "uuid", "name", "cluster_ip", "mgmt_ip",
					     "south_ip", "north_ip", "timestamp", NULL };
	static const char *const addrs[] = { "cluster_ip", "south_ip", "north_ip" };
	struct pp_cluster_node *p = &c->nodes[c->nnodes];
	xmlChar *uuid = NULL, *name = NULL, *ts = NULL;
	long line = cline(n);
	int ret = -1;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->line = line;
	if (check_attrs(r, n, attrs) || check_children(r, n, false))
		return -1;
	uuid = xmlGetNoNsProp(n, (const xmlChar *)"uuid");
	name = xmlGetNoNsProp(n, (const xmlChar *)"name");
	ts = xmlGetNoNsProp(n, (const xmlChar *)"timestamp");
	if (!uuid || !*uuid) {
		cfail(r, line, "<proxy> without a uuid");
		goto out;
	}
	if (!ident_ok((const char *)uuid, sizeof(p->uuid))) {
		cfail(r, line, "proxy uuid \"%.64s\" is not an identifier", (const char *)uuid);
		goto out;
	}
	strcpy(p->uuid, (const char *)uuid);
	if (!name || !ident_ok((const char *)name, sizeof(p->name))) {
		cfail(r, line, "proxy \"%s\": name \"%.64s\" is not 1..%d bytes without space",
		      p->uuid, name ? (const char *)name : "", PP_NAME_MAX - 1);
		goto out;
	}
	strcpy(p->name, (const char *)name);
	if (get_addr(r, n, p->uuid, "cluster_ip", true, &p->cluster_ip) ||
	    get_addr(r, n, p->uuid, "mgmt_ip", false, &p->mgmt_ip) ||
	    get_addr(r, n, p->uuid, "south_ip", true, &p->south_ip) ||
	    get_addr(r, n, p->uuid, "north_ip", true, &p->north_ip))
		goto out;
	if (ts && *ts && pp_parse_uint((const char *)ts, 0, UINT64_MAX, &p->timestamp)) {
		cfail(r, line, "proxy \"%s\": timestamp \"%.64s\" is not a number (ms)",
		      p->uuid, (const char *)ts);
		goto out;
	}
	for (i = 0; i < c->nnodes; i++) {
		const struct pp_cluster_node *o = &c->nodes[i];
		const uint32_t mine[] = { p->cluster_ip, p->south_ip, p->north_ip };
		const uint32_t theirs[] = { o->cluster_ip, o->south_ip, o->north_ip };

		if (!strcmp(o->uuid, p->uuid)) {
			cfail(r, line, "duplicate proxy uuid \"%s\" (first at line %ld)", p->uuid,
			      o->line);
			goto out;
		}
		if (!strcmp(o->name, p->name)) {
			cfail(r, line, "proxy \"%s\": name \"%s\" already used by proxy \"%s\" (line %ld)",
			      p->uuid, p->name, o->uuid, o->line);
			goto out;
		}
		for (size_t k = 0; k < 3; k++)
			if (mine[k] == theirs[k]) {
				cfail(r, line, "proxy \"%s\": %s %s already used by proxy \"%s\" (line %ld)",
				      p->uuid, addrs[k], pp_ip(mine[k]), o->uuid, o->line);
				goto out;
			}
	}
	c->nnodes++;
	ret = 0;
out:
	xmlFree(uuid);
	xmlFree(name);
	xmlFree(ts);
	return ret;
}

static int parse_master(struct creader *r, struct pp_cluster_xml *c, const xmlNode *n)
{
	static const char *const attrs[] = { "uuid", "licensedUsers", NULL };
	xmlChar *uuid = NULL, *lic = NULL;
	long line = cline(n);
	int ret = -1;

	if (check_attrs(r, n, attrs) || check_children(r, n, false))
		return -1;
	if (c->has_master)
		return cfail(r, line, "more than one <master>");
	uuid = xmlGetNoNsProp(n, (const xmlChar *)"uuid");
	lic = xmlGetNoNsProp(n, (const xmlChar *)"licensedUsers");
	if (!uuid || !*uuid) {
		cfail(r, line, "<master> without a uuid");
		goto out;
	}
	if (!pp_cluster_xml_find(c, (const char *)uuid)) {
		cfail(r, line, "master uuid \"%.64s\" is not a <proxy> of this file",
		      (const char *)uuid);
		goto out;
	}
	strcpy(c->master_uuid, (const char *)uuid);
	if (lic && *lic && pp_parse_uint((const char *)lic, 0, UINT32_MAX, &c->licensed_users)) {
		cfail(r, line, "licensedUsers \"%.64s\" is not a number", (const char *)lic);
		goto out;
	}
	c->has_master = true;
	ret = 0;
out:
	xmlFree(uuid);
	xmlFree(lic);
	return ret;
}

static int parse_root(struct creader *r, struct pp_cluster_xml *c, const xmlNode *root)
{
	static const char *const none[] = { NULL };
	const xmlNode *n;
	size_t count = 0;

	if (!root)
		return cfail(r, 0, "no root element");
	if (root->ns || strcmp((const char *)root->name, "cluster"))
		return cfail(r, cline(root), "the root element is <%s>, not <cluster>",
			     (const char *)root->name);
	if (check_attrs(r, root, none) || check_children(r, root, true))
		return -1;
	for (n = root->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->ns)
			return cfail(r, cline(n), "element <%s> is in a namespace; cluster.xml uses none",
				     (const char *)n->name);
		if (!strcmp((const char *)n->name, "proxy")) {
			if (++count > PP_CLUSTER_NODES_MAX)
				return cfail(r, cline(n), "more than %d <proxy>", PP_CLUSTER_NODES_MAX);
		} else if (strcmp((const char *)n->name, "master")) {
			return cfail(r, cline(n), "unknown element <%s> in <cluster>",
				     (const char *)n->name);
		}
	}
	if (!count)
		return cfail(r, cline(root), "no <proxy>: a cluster has at least one node");
	c->nodes = calloc(count, sizeof(*c->nodes));
	if (!c->nodes)
		return cfail(r, 0, "out of memory");
	/* The proxies first: <master> names one of them, wherever it is. */
	for (n = root->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "proxy") &&
		    parse_node(r, c, n))
			return -1;
	for (n = root->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "master") &&
		    parse_master(r, c, n))
			return -1;
	return 0;
}

int pp_cluster_xml_parse(const char *buf, size_t len, const char *file,
			 struct pp_cluster_xml **out, char *err, size_t errlen)
{
	struct creader r = { .file = file ? file : PP_CLUSTER_XML_FILE, .err = err,
			     .errlen = errlen };
	struct pp_cluster_xml *c = NULL;
	xmlDocPtr doc = NULL;
	int ret = -1;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	if (len > PP_CLUSTER_XML_MAX)
		return cfail(&r, 0, "larger than %u bytes", PP_CLUSTER_XML_MAX);
	c = calloc(1, sizeof(*c));
	if (!c) {
		cfail(&r, 0, "out of memory");
		goto out;
	}
	doc = pp_xml_read(buf, len, r.file, "cluster.xml", err, errlen);
	if (!doc) {
		r.failed = true;
		goto out;
	}
	if (parse_root(&r, c, xmlDocGetRootElement(doc)))
		goto out;
	*out = c;
	c = NULL;
	ret = 0;
out:
	if (doc)
		xmlFreeDoc(doc);
	pp_cluster_xml_free(c);
	return ret;
}

int pp_cluster_xml_load(const char *path, bool missing_ok, struct pp_cluster_xml **out,
			char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	rc = pp_file_read_conf(path, PP_CLUSTER_XML_MAX, missing_ok, &buf, &len,
			       err, errlen);
	if (rc)
		return rc > 0 ? 0 : -1;
	rc = pp_cluster_xml_parse(buf, len, path, out, err, errlen);
	free(buf);
	return rc;
}

void pp_cluster_xml_free(struct pp_cluster_xml *c)
{
	if (!c)
		return;
	free(c->nodes);
	free(c);
}

int pp_cluster_xml_path(char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", pp_conf_dir(), PP_CLUSTER_XML_FILE);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

const struct pp_cluster_node *pp_cluster_xml_find(const struct pp_cluster_xml *c,
						  const char *uuid)
{
	size_t i;

	for (i = 0; c && i < c->nnodes; i++)
		if (!strcmp(c->nodes[i].uuid, uuid))
			return &c->nodes[i];
	return NULL;
}

const struct pp_cluster_node *pp_cluster_xml_find_north(const struct pp_cluster_xml *c,
							uint32_t addr)
{
	size_t i;

	for (i = 0; c && addr && i < c->nnodes; i++)
		if (c->nodes[i].north_ip == addr)
			return &c->nodes[i];
	return NULL;
}

void pp_corosync_node_set(struct pp_corosync_node *nd, uint32_t id, const char *name,
			  const char *ring0)
{
	struct in_addr a;

	memset(nd, 0, sizeof(*nd));
	nd->id = id;
	if (name && ident_ok(name, sizeof(nd->name)))
		strcpy(nd->name, name);
	if (ring0 && inet_pton(AF_INET, ring0, &a) == 1)
		nd->ring0 = a.s_addr;
}

const char *pp_cluster_node_name(const struct pp_cluster_xml *c,
				 const struct pp_corosync_node *list, size_t n, uint32_t id,
				 char *buf, size_t len)
{
	size_t i, k;

	for (i = 0; i < n && list[i].id != id; i++)
		;
	if (i < n && list[i].ring0)
		for (k = 0; c && k < c->nnodes; k++)
			if (c->nodes[k].cluster_ip == list[i].ring0) {
				snprintf(buf, len, "%s", c->nodes[k].name);
				return buf;
			}
	if (i < n && list[i].name[0])
		snprintf(buf, len, "%s", list[i].name);
	else
		snprintf(buf, len, "%" PRIu32, id);
	return buf;
}

int pp_cluster_user_nodes(const struct pp_cluster_xml *c, const struct pp_users *u,
			  const struct pp_account *a,
			  const struct pp_cluster_node *out[PP_SCCP_PROXY_MAX],
			  char *err, size_t errlen)
{
	const struct pp_cluster_node *cand[PP_CLUSTER_NODES_MAX];
	size_t m = 0, k = 0, i;
	int n = 0;

	if (a->nsccp_proxy) {
		for (i = 0; i < a->nsccp_proxy; i++) {
			out[i] = pp_cluster_xml_find(c, a->sccp_proxy[i]);
			if (!out[i]) {
				snprintf(err, errlen,
					 "user \"%s\": sccpProxy \"%.64s\" is not a <proxy> of cluster.xml",
					 a->name, a->sccp_proxy[i]);
				return -1;
			}
		}
		return (int)a->nsccp_proxy;
	}
	for (i = 0; i < u->nproxies && m < PP_CLUSTER_NODES_MAX; i++) {
		const struct pp_cluster_node *p;

		if (!u->proxies[i].assign_users)
			continue;
		p = pp_cluster_xml_find(c, u->proxies[i].uuid);
		if (p)
			cand[m++] = p;
	}
	if (!m)
		return 0;
	for (i = 0; i < u->nusers && &u->users[i] != a; i++)
		if (!u->users[i].nsccp_proxy)
			k++;
	for (i = 0; i < m && i < PP_SCCP_PROXY_MAX; i++)
		out[n++] = cand[(k + i) % m];
	return n;
}
