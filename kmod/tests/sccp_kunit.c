// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The SCCP parser (proto/sccp.c) built with the kernel's flags, in the
 * kernel, on the cases of proto/tests/sccp_cases.h (which
 * userspace/tests/test_sccp.c runs on the host): framing; a crafted PDU
 * of every message of docs/sccp.md's table in each layout, decoded
 * whole, at every truncation of its body and from every prefix; the
 * layout rule; the captured PDUs and streams of sccp_vectors.h; the
 * media key block (validation, writing in place, the captures'). The cut
 * and prefix copies live in buffers of their exact size, so KASAN
 * catches any read beyond the bytes given.
 */
#include "../../proto/sccp.c"

#include "pp_kunit.h"

#define PP_KT_SCCP_VECTORS_DEFINE
#include "sccp_cases.h"

SCCP_T_KUNIT_DESC(pp_kt_frame_desc, const struct sccp_t_frame_case *)
SCCP_T_KUNIT_DESC(pp_kt_msg_desc, const struct sccp_t_msg_case *)
SCCP_T_KUNIT_DESC(pp_kt_layout_desc, const struct sccp_t_layout_case *)
SCCP_T_KUNIT_DESC(pp_kt_cap_desc, const struct sccp_t_cap_case *)
SCCP_T_KUNIT_DESC(pp_kt_vec_desc, const struct pp_kt_sccp_vec *)
SCCP_T_KUNIT_DESC(pp_kt_key_desc, const struct sccp_t_key_case *)
SCCP_T_KUNIT_DESC(pp_kt_key_msg_desc, const struct sccp_t_key_msg *)
KUNIT_ARRAY_PARAM(pp_kt_frame, sccp_t_frame_cases, pp_kt_frame_desc);
KUNIT_ARRAY_PARAM(pp_kt_msg, sccp_t_msg_cases, pp_kt_msg_desc);
KUNIT_ARRAY_PARAM(pp_kt_layout, sccp_t_layout_cases, pp_kt_layout_desc);
KUNIT_ARRAY_PARAM(pp_kt_cap, sccp_t_cap_cases, pp_kt_cap_desc);
KUNIT_ARRAY_PARAM(pp_kt_vec, pp_kt_sccp_vecs, pp_kt_vec_desc);
KUNIT_ARRAY_PARAM(pp_kt_key, sccp_t_key_cases, pp_kt_key_desc);
KUNIT_ARRAY_PARAM(pp_kt_key_msg, sccp_t_key_msgs, pp_kt_key_msg_desc);

SCCP_T_KUNIT(pp_sccp_parser_framing, sccp_t_framing(test->param_value, why))
SCCP_T_KUNIT(pp_sccp_parser_message, sccp_t_message(test->param_value, why))
SCCP_T_KUNIT(pp_sccp_parser_every_truncation,
	     sccp_t_every_truncation(test->param_value, why))
SCCP_T_KUNIT(pp_sccp_parser_every_prefix,
	     sccp_t_every_prefix(test->param_value, why))
SCCP_T_KUNIT(pp_sccp_parser_layout_rule,
	     sccp_t_layout_rule(test->param_value, why))
SCCP_T_KUNIT(pp_sccp_parser_captured_pdu,
	     sccp_t_captured_pdu(test->param_value, why))
SCCP_T_KUNIT(pp_sccp_parser_captured_stream,
	     sccp_t_captured_stream(test->param_value, why))
SCCP_T_KUNIT(pp_sccp_parser_names, sccp_t_names(why))
SCCP_T_KUNIT(pp_sccp_parser_layout_point, sccp_t_layout_point(why))
SCCP_T_KUNIT(pp_sccp_parser_v17_header_short_body_truncated,
	     sccp_t_v17_header_short_body(why))
SCCP_T_KUNIT(pp_sccp_parser_captured_totals, sccp_t_captured_totals(why))
SCCP_T_KUNIT(pp_sccp_parser_key_check, sccp_t_key_check(test->param_value, why))
SCCP_T_KUNIT(pp_sccp_parser_key_write, sccp_t_key_write(test->param_value, why))
SCCP_T_KUNIT(pp_sccp_parser_key_misc, sccp_t_key_misc(why))
SCCP_T_KUNIT(pp_sccp_parser_captured_keys, sccp_t_captured_keys(why))

/* One slot per (message, variant) of the layout rule: its address. */
static const u8 pp_kt_layout_slots[ARRAY_SIZE(sccp_t_layout_msgs) *
				    ARRAY_SIZE(sccp_t_layout_vars)];

static const void *pp_kt_layout_msg_gen_params(const void *prev, char *desc)
{
	const u8 *slot = prev ? (const u8 *)prev + 1 : pp_kt_layout_slots;
	size_t i = slot - pp_kt_layout_slots, nv = ARRAY_SIZE(sccp_t_layout_vars);

	if (i >= ARRAY_SIZE(pp_kt_layout_slots))
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s",
		 sccp_t_layout_msgs[i / nv].name, sccp_t_layout_vars[i % nv].desc);
	return slot;
}

static void pp_sccp_parser_layout_per_message(struct kunit *test)
{
	size_t i = (const u8 *)test->param_value - pp_kt_layout_slots;
	size_t nv = ARRAY_SIZE(sccp_t_layout_vars);
	char why[SCCP_T_WHY] = "";

	KUNIT_EXPECT_EQ_MSG(test,
			    sccp_t_layout_per_message(&sccp_t_layout_msgs[i / nv],
						      &sccp_t_layout_vars[i % nv],
						      why), 0, "%s", why);
}

static struct kunit_case pp_sccp_parser_cases[] = {
	KUNIT_CASE_PARAM(pp_sccp_parser_framing, pp_kt_frame_gen_params),
	KUNIT_CASE(pp_sccp_parser_names),
	KUNIT_CASE_PARAM(pp_sccp_parser_message, pp_kt_msg_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_parser_every_truncation, pp_kt_msg_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_parser_every_prefix, pp_kt_msg_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_parser_layout_per_message,
			 pp_kt_layout_msg_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_parser_layout_rule, pp_kt_layout_gen_params),
	KUNIT_CASE(pp_sccp_parser_layout_point),
	KUNIT_CASE(pp_sccp_parser_v17_header_short_body_truncated),
	KUNIT_CASE_PARAM(pp_sccp_parser_captured_pdu, pp_kt_cap_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_parser_captured_stream, pp_kt_vec_gen_params),
	KUNIT_CASE(pp_sccp_parser_captured_totals),
	KUNIT_CASE_PARAM(pp_sccp_parser_key_check, pp_kt_key_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_parser_key_write, pp_kt_key_msg_gen_params),
	KUNIT_CASE(pp_sccp_parser_key_misc),
	KUNIT_CASE(pp_sccp_parser_captured_keys),
	{}
};

struct kunit_suite pp_sccp_parser_suite = {
	.name = "pp_sccp_parser",
	.test_cases = pp_sccp_parser_cases,
};
