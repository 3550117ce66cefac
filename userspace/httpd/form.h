/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The activation page's form (application/x-www-form-urlencoded, decoded
 * by libevent): username, password, address (the phone's), action
 * (activate, the default, or inactivate).
 */
#ifndef PP_HTTPD_FORM_H
#define PP_HTTPD_FORM_H

#include <stddef.h>
#include <stdint.h>

#include <linux/phoneproxy.h>

#include "password.h"

#define PP_FORM_MAX	4096	/* bytes of a form body */

enum pp_form_action {
	PP_FORM_ACTIVATE,
	PP_FORM_INACTIVATE,
};

struct pp_form {
	enum pp_form_action action;
	char username[PP_NAME_MAX];
	char password[PP_PW_MAX + 1];
	char address[16];		/* as typed, "" when absent */
	uint32_t addr;			/* parsed address, network order */
};

/*
 * Parse a form body of len bytes (need not be NUL terminated). Returns 0,
 * or -1 with err naming the field and the reason (never echoing the
 * password).
 */
int pp_form_parse(const char *body, size_t len, struct pp_form *f, char *err,
		  size_t errlen);

/* Wipe the password. */
void pp_form_clear(struct pp_form *f);

#endif /* PP_HTTPD_FORM_H */
