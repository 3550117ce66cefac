/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Users as CSV (the guide's "Import/Export"), on libcsv: the export of
 * the published users, the template (the labels, no data), and the import
 * that turns a CSV into the users of a users.xml.
 *
 * The first row names the columns (docs/users-csv.md): Id, Username,
 * Password, Seed, Password Hash, Password Date, First, Last, Sid,
 * CCM Name, SCCP Proxy, Enabled. Labels are matched ignoring case,
 * spaces and underscores, in any order; Username, Password, Sid and
 * CCM Name are required (the guide's four). A row gives a Password in
 * clear (hashed on import, never stored) or the Seed and Password Hash
 * of an export, never both.
 *
 * The whole file is validated before anything is hashed or returned: the
 * first problem is reported as "file:line: column N (Label): reason".
 */
#ifndef PP_USERS_CSV_H
#define PP_USERS_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "users_xml.h"

/* Largest CSV read: as large as the largest users.xml. */
#define PP_USERS_CSV_MAX	PP_USERS_FILE_MAX

struct pp_csv_import {
	size_t rows;		/* users read */
	size_t hashed;		/* clear passwords hashed */
	size_t kept;		/* hashes taken as given */
};

/*
 * Read a CSV of users (buf, len; filename only in messages) and build the
 * users.xml that holds them with base's name, CallManagers and proxies:
 * a malloc()ed *xml of *xmllen bytes. Clear passwords are hashed with
 * pp_pw_hash() (iterations 0: the default), on every CPU. The users.xml
 * made is read back by pp_users_parse_memory() before it is returned: if
 * parsed is not NULL, *parsed is what it read (pp_users_free()). Returns
 * 0, or -1 with err set ("file:line: column N (Label): reason").
 */
int pp_users_csv_import(const char *buf, size_t len, const char *filename,
			const struct pp_users *base, unsigned int iterations,
			char **xml, size_t *xmllen, struct pp_users **parsed,
			struct pp_csv_import *st, char *err, size_t errlen);

/*
 * Write the users of u as CSV, every column, the header first; a user
 * without a password hash is counted in *nopw (its row cannot be
 * imported as it is). Returns 0 or -1 (write error, errno set).
 */
int pp_users_csv_export(FILE *f, const struct pp_users *u, size_t *nopw);

/* The header row alone: the template to fill in. */
int pp_users_csv_template(FILE *f);

#endif /* PP_USERS_CSV_H */
