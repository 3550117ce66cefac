// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * users.xml writer (the guide's Appendix B), on libxml2's xmlTextWriter:
 * the records users_xml.c reads, written back so that it reads them again
 * to the same values (the CSV import builds its users.xml with it).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "users_xml.h"

#define X(s)	((const xmlChar *)(s))

static int put_text(xmlTextWriterPtr w, const char *el, const char *text)
{
	if (!text || !*text)
		return 0;
	return xmlTextWriterWriteElement(w, X(el), X(text)) < 0 ? -1 : 0;
}

static int put_ccm(xmlTextWriterPtr w, const struct pp_callmanager *c)
{
	char addr[INET_ADDRSTRLEN];

	if (!c->host[0] && !inet_ntop(AF_INET, &c->addr, addr, sizeof(addr)))
		return -1;
	if (xmlTextWriterStartElement(w, X("ccm")) < 0 ||
	    xmlTextWriterWriteAttribute(w, X("name"), X(c->name)) < 0 ||
	    (c->is_default &&
	     xmlTextWriterWriteAttribute(w, X("default"), X("true")) < 0) ||
	    xmlTextWriterWriteElement(w, X("address"), X(c->host[0] ? c->host : addr)) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

static int put_proxy(xmlTextWriterPtr w, const struct pp_cluster_proxy *p)
{
	if (xmlTextWriterStartElement(w, X("proxy")) < 0 ||
	    xmlTextWriterWriteAttribute(w, X("uuid"), X(p->uuid)) < 0 ||
	    xmlTextWriterWriteAttribute(w, X("assign_users"),
					X(p->assign_users ? "true" : "false")) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

static int put_user(xmlTextWriterPtr w, const struct pp_account *a)
{
	if (xmlTextWriterStartElement(w, X("user")) < 0 ||
	    (a->id[0] && xmlTextWriterWriteAttribute(w, X("id"), X(a->id)) < 0) ||
	    xmlTextWriterWriteAttribute(w, X("name"), X(a->name)) < 0)
		return -1;
	if (put_text(w, "first", a->first) || put_text(w, "last", a->last) ||
	    put_text(w, "ccmName", a->ccm))
		return -1;
	for (unsigned int i = 0; i < a->nsccp_proxy; i++)
		if (put_text(w, "sccpProxy", a->sccp_proxy[i]))
			return -1;
	if (put_text(w, "sid", a->sid) ||
	    put_text(w, "enabled", a->enabled ? "true" : "false") ||
	    put_text(w, "seed", a->seed) || put_text(w, "hashPw", a->hash_pw) ||
	    put_text(w, "pwDate", a->pw_date))
		return -1;
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

int pp_users_write_xml(const struct pp_users *u, char **buf, size_t *len)
{
	xmlBufferPtr xb = xmlBufferCreate();
	xmlTextWriterPtr w = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
	size_t i;
	int ret = -1;

	if (!w)
		goto out;
	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterSetIndentString(w, X("  ")) < 0 ||
	    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(w, X("users")) < 0 ||
	    (u->name && xmlTextWriterWriteAttribute(w, X("name"), X(u->name)) < 0))
		goto out;
	for (i = 0; i < u->nccms; i++)
		if (put_ccm(w, &u->ccms[i]))
			goto out;
	for (i = 0; i < u->nproxies; i++)
		if (put_proxy(w, &u->proxies[i]))
			goto out;
	for (i = 0; i < u->nusers; i++)
		if (put_user(w, &u->users[i]))
			goto out;
	if (xmlTextWriterEndDocument(w) < 0)
		goto out;
	xmlFreeTextWriter(w);	/* flushes into xb */
	w = NULL;
	*len = (size_t)xmlBufferLength(xb);
	*buf = malloc(*len + 1);
	if (!*buf)
		goto out;
	memcpy(*buf, xmlBufferContent(xb), *len);
	(*buf)[*len] = '\0';
	ret = 0;
out:
	if (w)
		xmlFreeTextWriter(w);
	if (xb)
		xmlBufferFree(xb);
	return ret;
}
