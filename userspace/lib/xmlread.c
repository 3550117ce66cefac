// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * xmlread.h: the hardened libxml2 read of users.xml and cluster.xml.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>

#include "xmlread.h"

/* What the parse saw: the first libxml2 error, the DOCTYPE. */
struct xread {
	bool xml_failed;
	long xml_line;
	char xml_msg[256];
	bool dtd;
	long dtd_line;
};

/*
 * Element line numbers: libxml2 keeps 16 bits in the node (more only for
 * text nodes, with XML_PARSE_BIG_LINES); a file of 65536 users is far
 * longer, so the start-element hook stores the exact line in _private.
 */
static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
			     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
			     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;

	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
			      nb_attributes, nb_defaulted, attributes);
	if (ctxt->node && ctxt->input)
		ctxt->node->_private = (void *)(intptr_t)ctxt->input->line;
}

long pp_xml_line(const xmlNode *node)
{
	long line;

	if (!node)
		return 0;
	if (node->type == XML_ELEMENT_NODE && node->_private)
		return (long)(intptr_t)node->_private;
	line = xmlGetLineNo(node);
	/* A text node carries the line where it ends: go back to its
	 * first non-blank character. */
	if (line > 0 && node->type == XML_TEXT_NODE && node->content) {
		const xmlChar *p = node->content;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		for (; *p; p++)
			if (*p == '\n' && line > 1)
				line--;
	}
	return line > 0 ? line : 0;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xread *r = ctxt ? ctxt->_private : NULL;
	size_t n;

	if (!r || !e || e->level < XML_ERR_ERROR || r->xml_failed)
		return;
	r->xml_failed = true;
	r->xml_line = e->line;
	snprintf(r->xml_msg, sizeof(r->xml_msg), "%s", e->message ? e->message : "malformed XML");
	n = strlen(r->xml_msg);
	while (n && (r->xml_msg[n - 1] == '\n' || r->xml_msg[n - 1] == ' '))
		r->xml_msg[--n] = '\0';
}

/* A DOCTYPE stops the parse before any declaration in it is read. */
static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
			       const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xread *r = ctxt->_private;

	(void)name;
	(void)external_id;
	(void)system_id;
	if (!r->dtd) {
		r->dtd = true;
		r->dtd_line = xmlSAX2GetLineNumber(ctxt);
	}
	xmlStopParser(ctxt);
}

int pp_xml_vfail(char *err, size_t errlen, const char *file, long line, const char *fmt,
		 va_list ap)
{
	int n;

	if (!errlen)
		return -1;
	if (line > 0)
		n = snprintf(err, errlen, "%s:%ld: ", file, line);
	else
		n = snprintf(err, errlen, "%s: ", file);
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	return -1;
}

__attribute__((format(printf, 5, 6)))
static int xfail(char *err, size_t errlen, const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pp_xml_vfail(err, errlen, file, line, fmt, ap);
	va_end(ap);
	return -1;
}

xmlDocPtr pp_xml_read(const char *buf, size_t len, const char *file, const char *what,
		      char *err, size_t errlen)
{
	struct xread r = { 0 };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;

	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		xfail(err, errlen, file, 0, "out of memory");
		return NULL;
	}
	ctxt->_private = &r;
	ctxt->sax->serror = on_xml_error;
	ctxt->sax->internalSubset = on_internal_subset;
	ctxt->sax->startElementNs = on_start_element;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, file, NULL,
				XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
	if (r.dtd) {
		xfail(err, errlen, file, r.dtd_line, "a DOCTYPE is not accepted in %s", what);
	} else if (r.xml_failed || !doc || !ctxt->wellFormed) {
		xfail(err, errlen, file, r.xml_line, "not well-formed XML: %s",
		      r.xml_failed ? r.xml_msg : "cannot parse");
	} else {
		xmlFreeParserCtxt(ctxt);
		return doc;
	}
	if (doc)
		xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return NULL;
}
