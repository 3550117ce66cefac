/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The one way our XML files (users.xml, cluster.xml) are read with
 * libxml2, hardened once: no network, no DTD loading, no entity
 * substitution, a DOCTYPE refused outright (XXE and entity bombs have
 * nothing to work with), the first libxml2 error kept with its line, and
 * exact element line numbers for "file:line: reason" errors.
 */
#ifndef PP_XMLREAD_H
#define PP_XMLREAD_H

#include <stdarg.h>
#include <stddef.h>

#include <libxml/tree.h>

/*
 * Parse buf (len bytes) read from file. Returns the document (free with
 * xmlFreeDoc()), or NULL with "file:line: reason" in err: "a DOCTYPE is
 * not accepted in <what>", "not well-formed XML: <libxml2's message>", or
 * "out of memory".
 */
xmlDocPtr pp_xml_read(const char *buf, size_t len, const char *file, const char *what,
		      char *err, size_t errlen);

/*
 * The line of node in its file: an element of a document from
 * pp_xml_read() exactly (libxml2 keeps only 16 bits), a text node where
 * its first non-blank character is; 0 when not known.
 */
long pp_xml_line(const xmlNode *node);

/* "file:line: " (or "file: " when line is 0) then fmt, into err. -1. */
int pp_xml_vfail(char *err, size_t errlen, const char *file, long line, const char *fmt,
		 va_list ap) __attribute__((format(printf, 5, 0)));

#endif /* PP_XMLREAD_H */
