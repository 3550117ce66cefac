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
#include "sccp.h"
#include "sccp_tap.h"
#include "sccp_cases.h"

int main(void)
{
	size_t i, j;

	SCCP_T_TAP_EACH(sccp_t_frame_cases, sccp_t_framing(c, why), "framing");
	SCCP_T_TAP(sccp_t_names(why), "names and error strings");
	SCCP_T_TAP_EACH(sccp_t_msg_cases, sccp_t_message(c, why), "decoded");
	SCCP_T_TAP_EACH(sccp_t_msg_cases, sccp_t_every_truncation(c, why),
			"every truncation of the body");
	SCCP_T_TAP_EACH(sccp_t_msg_cases, sccp_t_every_prefix(c, why),
			"every prefix");
	for (i = 0; i < ARRAY_SIZE(sccp_t_layout_msgs); i++)
		for (j = 0; j < ARRAY_SIZE(sccp_t_layout_vars); j++)
			SCCP_T_TAP(sccp_t_layout_per_message(&sccp_t_layout_msgs[i],
							     &sccp_t_layout_vars[j],
							     why),
				   "layout: %s %s", sccp_t_layout_msgs[i].name,
				   sccp_t_layout_vars[j].desc);
	SCCP_T_TAP_EACH(sccp_t_layout_cases, sccp_t_layout_rule(c, why),
			"layout");
	SCCP_T_TAP(sccp_t_layout_point(why), "layout points");
	SCCP_T_TAP(sccp_t_v17_header_short_body(why),
		   "hv 0x11 with a 16-byte body cuts the address");
	SCCP_T_TAP_EACH(sccp_t_cap_cases, sccp_t_captured_pdu(c, why),
			"decoded, every cut");
	SCCP_T_TAP_EACH(pp_kt_sccp_vecs, sccp_t_captured_stream(c, why),
			"every PDU decodes where the walker framed it");
	SCCP_T_TAP(sccp_t_captured_totals(why),
		   "captures: 3 ORC, 3 ORC-Ack, 7 SMT, 6 SMT-Ack, 1 Register, 1 RegisterAck");
	SCCP_T_TAP_EACH(sccp_t_key_cases, sccp_t_key_check(c, why),
			"key block validation");
	SCCP_T_TAP_EACH(sccp_t_key_msgs, sccp_t_key_write(c, why),
			"fresh key written in place, every cut of the block");
	SCCP_T_TAP(sccp_t_key_misc(why), "no key block elsewhere, names");
	SCCP_T_TAP(sccp_t_captured_keys(why),
		   "captures: 8 whole key blocks, 2 through the salt (CUCM 4.x), all zeros");
	return done_testing();
}
