// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * SCCP parser (proto/sccp.c) on the cases of proto/tests/sccp_cases.h,
 * which the KUnit suite pp_sccp_parser runs in the kernel: framing; a
 * crafted PDU of every message and layout, decoded whole, at every
 * truncation of the body and from every prefix; the layout rule; the
 * captured PDUs and streams of sccp_vectors.h.
 */
#include "tap.h"
#include "sccp.h"

/* The tables give only the fields a case needs. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define PP_KT_SCCP_VECTORS_DEFINE
#include "sccp_cases.h"

/* One TAP line per case of @table run by @check, named by @field. */
#define RUN(table, field, check, what)					\
	do {								\
		for (size_t i_ = 0; i_ < ARRAY_SIZE(table); i_++) {	\
			char why_[SCCP_T_WHY] = "";			\
									\
			if (!ok(!check(&(table)[i_], why_), "%s: %s",	\
				(table)[i_].field, what))		\
				diag("%s", why_);			\
		}							\
	} while (0)

static void one(int (*check)(char *why), const char *what)
{
	char why[SCCP_T_WHY] = "";

	if (!ok(!check(why), "%s", what))
		diag("%s", why);
}

int main(void)
{
	char why[SCCP_T_WHY];
	size_t i, j;

	RUN(sccp_t_frame_cases, desc, sccp_t_framing, "framing");
	one(sccp_t_names, "names and error strings");
	RUN(sccp_t_msg_cases, desc, sccp_t_message, "decoded");
	RUN(sccp_t_msg_cases, desc, sccp_t_every_truncation,
	    "every truncation of the body");
	RUN(sccp_t_msg_cases, desc, sccp_t_every_prefix, "every prefix");
	for (i = 0; i < ARRAY_SIZE(sccp_t_layout_msgs); i++) {
		for (j = 0; j < ARRAY_SIZE(sccp_t_layout_vars); j++) {
			why[0] = '\0';
			if (!ok(!sccp_t_layout_per_message(&sccp_t_layout_msgs[i],
							   &sccp_t_layout_vars[j],
							   why), "layout: %s %s",
				sccp_t_layout_msgs[i].name,
				sccp_t_layout_vars[j].desc))
				diag("%s", why);
		}
	}
	RUN(sccp_t_layout_cases, desc, sccp_t_layout_rule, "layout");
	one(sccp_t_layout_point, "layout points");
	one(sccp_t_v17_header_short_body,
	    "hv 0x11 with a 16-byte body cuts the address");
	RUN(sccp_t_cap_cases, desc, sccp_t_captured_pdu, "decoded, every cut");
	RUN(pp_kt_sccp_vecs, name, sccp_t_captured_stream,
	    "every PDU decodes where the walker framed it");
	one(sccp_t_captured_totals,
	    "captures: 3 ORC, 3 ORC-Ack, 7 SMT, 6 SMT-Ack, 1 Register, 1 RegisterAck");
	return done_testing();
}
