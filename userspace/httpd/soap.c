// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * SOAP 1.1 (rpc style) for the activation web service, on libxml2.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <openssl/crypto.h>

#include "soap.h"
#include "log.h"

struct method_def {
	const char *name;
	const char *args[PP_SOAP_ARGS_MAX + 1];
	const char *result;		/* the result part's name */
};

static const struct method_def methods[PP_SOAP_NMETHODS] = {
	[PP_SOAP_LOGIN] = { "login", { "Adminname", "Password" }, "Token" },
	[PP_SOAP_ACTIVATE] = { "phoneproxy_activate", { "Token", "Username", "Ipaddr" }, "Result" },
	[PP_SOAP_INACTIVATE] = { "phoneproxy_inactivate", { "Token", "Username" }, "Result" },
	[PP_SOAP_USER_LOGIN] = { "phoneproxy_login", { "Username", "Password", "Ipaddr" }, "Result" },
	[PP_SOAP_USER_LOGOUT] = { "phoneproxy_logout", { "Username", "Password" }, "Result" },
};

const char *pp_soap_method_name(enum pp_soap_method m)
{
	return (unsigned int)m < PP_SOAP_NMETHODS ? methods[m].name : NULL;
}

const char *const *pp_soap_arg_names(enum pp_soap_method m)
{
	return methods[m].args;
}

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

void pp_soap_init(void)
{
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, quiet);
}

struct guard {
	bool doctype;
	bool entity;
};

/* A DOCTYPE ends the parse before its internal subset is read. */
static void refuse_doctype(void *ctx, const xmlChar *name,
			   const xmlChar *external_id, const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct guard *g = ctxt->_private;

	(void)name;
	(void)external_id;
	(void)system_id;
	g->doctype = true;
	xmlStopParser(ctxt);
}

static xmlEntityPtr no_entity(void *ctx, const xmlChar *name)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct guard *g = ctxt->_private;

	(void)name;
	g->entity = true;
	xmlStopParser(ctxt);
	return NULL;
}

static bool is(const xmlNode *n, const char *local, const char *ns)
{
	return n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, BAD_CAST local) &&
	       (!ns || (n->ns && !xmlStrcmp(n->ns->href, BAD_CAST ns)));
}

static xmlNode *first_element(xmlNode *n)
{
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

static bool truthy(const xmlChar *v)
{
	return v && (!xmlStrcmp(v, BAD_CAST "1") || !xmlStrcmp(v, BAD_CAST "true"));
}

void pp_soap_req_free(struct pp_soap_req *req)
{
	int i;

	for (i = 0; i < PP_SOAP_ARGS_MAX; i++) {
		if (req->args[i]) {
			OPENSSL_cleanse(req->args[i], strlen(req->args[i]));
			free(req->args[i]);
			req->args[i] = NULL;
		}
	}
	req->nargs = 0;
}

static enum pp_soap_error walk(xmlDoc *doc, struct pp_soap_req *req,
			       char *err, size_t errlen)
{
	xmlNode *env = xmlDocGetRootElement(doc), *n, *body = NULL, *call;
	const struct method_def *def = NULL;
	int m, i;

	if (!env || !is(env, "Envelope", NULL) || !env->ns) {
		pp_errf(err, errlen, "the document is not a SOAP Envelope");
		return PP_SOAP_ERR_CLIENT;
	}
	if (!xmlStrcmp(env->ns->href, BAD_CAST PP_SOAP12_ENV_NS)) {
		pp_errf(err, errlen, "SOAP 1.2 is not served; send a SOAP 1.1 envelope (%s)",
			PP_SOAP11_ENV_NS);
		return PP_SOAP_ERR_VERSION;
	}
	if (xmlStrcmp(env->ns->href, BAD_CAST PP_SOAP11_ENV_NS)) {
		pp_errf(err, errlen, "the Envelope's namespace is not SOAP 1.1's (%s)",
			PP_SOAP11_ENV_NS);
		return PP_SOAP_ERR_VERSION;
	}
	for (n = first_element(env->children); n; n = first_element(n->next)) {
		if (is(n, "Header", PP_SOAP11_ENV_NS)) {
			xmlNode *h;

			for (h = first_element(n->children); h; h = first_element(h->next)) {
				xmlChar *mu = xmlGetNsProp(h, BAD_CAST "mustUnderstand",
							   BAD_CAST PP_SOAP11_ENV_NS);
				bool must = truthy(mu);

				xmlFree(mu);
				if (must) {
					pp_errf(err, errlen, "header \"%s\" must be understood and is not",
						(const char *)h->name);
					return PP_SOAP_ERR_MUST_UNDERSTAND;
				}
			}
		} else if (is(n, "Body", PP_SOAP11_ENV_NS) && !body) {
			body = n;
		} else {
			pp_errf(err, errlen, "unexpected element \"%s\" in the Envelope",
				(const char *)n->name);
			return PP_SOAP_ERR_CLIENT;
		}
	}
	if (!body) {
		pp_errf(err, errlen, "the Envelope has no Body");
		return PP_SOAP_ERR_CLIENT;
	}
	call = first_element(body->children);
	if (!call) {
		pp_errf(err, errlen, "the Body names no method");
		return PP_SOAP_ERR_CLIENT;
	}
	if (first_element(call->next)) {
		pp_errf(err, errlen, "the Body holds more than one method call");
		return PP_SOAP_ERR_CLIENT;
	}
	for (m = 0; m < PP_SOAP_NMETHODS; m++)
		if (!xmlStrcmp(call->name, BAD_CAST methods[m].name))
			def = &methods[m];
	if (!def) {
		pp_errf(err, errlen,
			"unknown method \"%.64s\" (login, phoneproxy_activate, phoneproxy_inactivate, phoneproxy_login, phoneproxy_logout)",
			(const char *)call->name);
		return PP_SOAP_ERR_CLIENT;
	}
	req->method = (enum pp_soap_method)(def - methods);
	for (n = first_element(call->children); n; n = first_element(n->next)) {
		xmlChar *v;

		for (i = 0; def->args[i]; i++)
			if (!xmlStrcmp(n->name, BAD_CAST def->args[i]))
				break;
		if (!def->args[i]) {
			pp_errf(err, errlen, "%s: unknown argument \"%.64s\"", def->name,
				(const char *)n->name);
			return PP_SOAP_ERR_CLIENT;
		}
		if (req->args[i]) {
			pp_errf(err, errlen, "%s: argument \"%s\" is given twice", def->name,
				def->args[i]);
			return PP_SOAP_ERR_CLIENT;
		}
		if (first_element(n->children)) {
			pp_errf(err, errlen, "%s: argument \"%s\" is not a simple string",
				def->name, def->args[i]);
			return PP_SOAP_ERR_CLIENT;
		}
		v = xmlNodeGetContent(n);
		if (!v) {
			pp_errf(err, errlen, "out of memory");
			return PP_SOAP_ERR_CLIENT;
		}
		if (xmlStrlen(v) > PP_SOAP_VALUE_MAX) {
			xmlFree(v);
			pp_errf(err, errlen, "%s: argument \"%s\" is longer than %d bytes",
				def->name, def->args[i], PP_SOAP_VALUE_MAX);
			return PP_SOAP_ERR_CLIENT;
		}
		req->args[i] = strdup((const char *)v);
		OPENSSL_cleanse(v, (size_t)xmlStrlen(v));
		xmlFree(v);
		if (!req->args[i]) {
			pp_errf(err, errlen, "out of memory");
			return PP_SOAP_ERR_CLIENT;
		}
		req->nargs++;
	}
	for (i = 0; def->args[i]; i++) {
		if (!req->args[i]) {
			pp_errf(err, errlen, "%s: argument \"%s\" is missing", def->name,
				def->args[i]);
			return PP_SOAP_ERR_CLIENT;
		}
	}
	return PP_SOAP_OK;
}

enum pp_soap_error pp_soap_parse(const char *buf, size_t len,
				 struct pp_soap_req *req, char *err,
				 size_t errlen)
{
	struct guard g = { false, false };
	xmlParserCtxtPtr ctxt;
	enum pp_soap_error rc;
	xmlDoc *doc;

	memset(req, 0, sizeof(*req));
	if (len > PP_SOAP_BODY_MAX) {
		pp_errf(err, errlen, "the request is larger than %u bytes", PP_SOAP_BODY_MAX);
		return PP_SOAP_ERR_CLIENT;
	}
	if (len == 0) {
		pp_errf(err, errlen, "the request body is empty");
		return PP_SOAP_ERR_CLIENT;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		pp_errf(err, errlen, "out of memory");
		return PP_SOAP_ERR_CLIENT;
	}
	ctxt->_private = &g;
	ctxt->sax->internalSubset = refuse_doctype;
	ctxt->sax->externalSubset = NULL;
	ctxt->sax->getEntity = no_entity;
	ctxt->sax->getParameterEntity = no_entity;
	ctxt->sax->entityDecl = NULL;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, "request", NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (g.doctype) {
		pp_errf(err, errlen, "a DOCTYPE is not allowed in a SOAP message (no DTD, no entities)");
		rc = PP_SOAP_ERR_CLIENT;
	} else if (g.entity) {
		pp_errf(err, errlen, "entity references are not allowed in a SOAP message");
		rc = PP_SOAP_ERR_CLIENT;
	} else if (!doc || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);

		if (e && e->message)
			pp_errf(err, errlen, "the request is not well-formed XML: line %d: %.*s",
				e->line, (int)strcspn(e->message, "\n"), e->message);
		else
			pp_errf(err, errlen, "the request is not well-formed XML");
		rc = PP_SOAP_ERR_CLIENT;
	} else {
		rc = walk(doc, req, err, errlen);
	}
	if (rc != PP_SOAP_OK)
		pp_soap_req_free(req);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

/* An unqualified child element holding text (escaped when written). */
static xmlNode *text_child(xmlNode *parent, const char *name, const char *text)
{
	xmlNode *n = xmlNewDocNode(parent->doc, NULL, BAD_CAST name, NULL);

	if (!n)
		return NULL;
	xmlNodeAddContent(n, BAD_CAST text);
	return xmlAddChild(parent, n);
}

static xmlDoc *envelope(xmlNode **body, xmlNs **xsi)
{
	xmlDoc *d = xmlNewDoc(BAD_CAST "1.0");
	xmlNode *env;
	xmlNs *soap;

	if (!d)
		return NULL;
	env = xmlNewNode(NULL, BAD_CAST "Envelope");
	soap = xmlNewNs(env, BAD_CAST PP_SOAP11_ENV_NS, BAD_CAST "soap");
	xmlSetNs(env, soap);
	xmlNewNs(env, BAD_CAST "http://www.w3.org/2001/XMLSchema", BAD_CAST "xsd");
	*xsi = xmlNewNs(env, BAD_CAST "http://www.w3.org/2001/XMLSchema-instance",
			BAD_CAST "xsi");
	xmlDocSetRootElement(d, env);
	*body = xmlNewChild(env, soap, BAD_CAST "Body", NULL);
	return d;
}

static int dump(xmlDoc *d, char **out, size_t *len)
{
	xmlChar *mem = NULL;
	int n = 0;

	xmlDocDumpMemoryEnc(d, &mem, &n, "UTF-8");
	xmlFreeDoc(d);
	if (!mem)
		return -1;
	*out = malloc((size_t)n + 1);
	if (*out) {
		memcpy(*out, mem, (size_t)n + 1);
		*len = (size_t)n;
	}
	xmlFree(mem);
	return *out ? 0 : -1;
}

int pp_soap_response(enum pp_soap_method m, const char *result, char **out,
		     size_t *len)
{
	char name[64];
	xmlNode *body, *resp, *ret;
	xmlNs *xsi, *tns;
	xmlDoc *d = envelope(&body, &xsi);

	if (!d)
		return -1;
	snprintf(name, sizeof(name), "%sResponse", methods[m].name);
	resp = xmlNewChild(body, NULL, BAD_CAST name, NULL);
	tns = xmlNewNs(resp, BAD_CAST PP_SOAP_NS, BAD_CAST "tns");
	xmlSetNs(resp, tns);
	ret = text_child(resp, methods[m].result, result);
	if (ret)
		xmlNewNsProp(ret, xsi, BAD_CAST "type", BAD_CAST "xsd:string");
	return dump(d, out, len);
}

int pp_soap_fault(enum pp_soap_error code, const char *reason, char **out,
		  size_t *len)
{
	const char *c = code == PP_SOAP_ERR_VERSION ? "soap:VersionMismatch" :
			code == PP_SOAP_ERR_MUST_UNDERSTAND ? "soap:MustUnderstand" :
			code == PP_SOAP_OK ? "soap:Server" : "soap:Client";
	xmlNode *body, *fault;
	xmlNs *xsi;
	xmlDoc *d = envelope(&body, &xsi);

	if (!d)
		return -1;
	fault = xmlNewChild(body, body->ns, BAD_CAST "Fault", NULL);
	text_child(fault, "faultcode", c);
	text_child(fault, "faultstring", reason);
	return dump(d, out, len);
}

int pp_soap_wsdl(const char *location, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	int m, i;

	if (!f)
		return -1;
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<definitions name=\"PhoneProxyActivation\"\n"
		"  targetNamespace=\"" PP_SOAP_NS "\"\n"
		"  xmlns:tns=\"" PP_SOAP_NS "\"\n"
		"  xmlns:soap=\"http://schemas.xmlsoap.org/wsdl/soap/\"\n"
		"  xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"\n"
		"  xmlns=\"http://schemas.xmlsoap.org/wsdl/\">\n"
		"  <documentation>Cisco Unified PhoneProxy user activation web service (phoneproxy)</documentation>\n");
	for (m = 0; m < PP_SOAP_NMETHODS; m++) {
		fprintf(f, "  <message name=\"%sRequest\">\n", methods[m].name);
		for (i = 0; methods[m].args[i]; i++)
			fprintf(f, "    <part name=\"%s\" type=\"xsd:string\"/>\n",
				methods[m].args[i]);
		fprintf(f, "  </message>\n  <message name=\"%sResponse\">\n"
			"    <part name=\"%s\" type=\"xsd:string\"/>\n  </message>\n",
			methods[m].name, methods[m].result);
	}
	fprintf(f, "  <portType name=\"ActivationPortType\">\n");
	for (m = 0; m < PP_SOAP_NMETHODS; m++)
		fprintf(f, "    <operation name=\"%1$s\">\n"
			"      <input message=\"tns:%1$sRequest\"/>\n"
			"      <output message=\"tns:%1$sResponse\"/>\n"
			"    </operation>\n", methods[m].name);
	fprintf(f, "  </portType>\n"
		"  <binding name=\"ActivationBinding\" type=\"tns:ActivationPortType\">\n"
		"    <soap:binding style=\"rpc\" transport=\"http://schemas.xmlsoap.org/soap/http\"/>\n");
	for (m = 0; m < PP_SOAP_NMETHODS; m++)
		fprintf(f, "    <operation name=\"%1$s\">\n"
			"      <soap:operation soapAction=\"" PP_SOAP_NS "#%1$s\"/>\n"
			"      <input><soap:body use=\"encoded\" namespace=\"" PP_SOAP_NS "\""
			" encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"/></input>\n"
			"      <output><soap:body use=\"encoded\" namespace=\"" PP_SOAP_NS "\""
			" encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"/></output>\n"
			"    </operation>\n", methods[m].name);
	fprintf(f, "  </binding>\n"
		"  <service name=\"ActivationService\">\n"
		"    <port name=\"ActivationPort\" binding=\"tns:ActivationBinding\">\n"
		"      <soap:address location=\"%s\"/>\n"
		"    </port>\n"
		"  </service>\n"
		"</definitions>\n", location);
	return fclose(f) ? -1 : 0;
}
