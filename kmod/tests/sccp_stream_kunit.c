// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The SCCP stream tracker (proto/sccp_stream.c) built with the kernel's
 * flags, in the kernel, on the tests of proto/tests/sccp_stream_cases.h
 * (which userspace/tests/test_sccp_stream.c runs on the host): the
 * captured streams of sccp_vectors.h under every segmentation, then the
 * edges. Each segment is handed over in a buffer of its exact size, so
 * KASAN sees any access beyond it.
 */
#include "../../proto/sccp_stream.c"

#include "pp_kunit.h"

/* Random runs per stream (the userspace tests make 300 of each). */
#define SCCP_T_CUT_RUNS		25
#define SCCP_T_RETX_RUNS	30
#include "sccp_stream_cases.h"

/* A test run once per element of @table. */
#define PP_KT_ST_PARAM(name, table, field, check)			\
static void name##_desc(const typeof(table[0]) *c, char *desc)		\
{									\
	strscpy(desc, c->field, KUNIT_PARAM_DESC_SIZE);			\
}									\
KUNIT_ARRAY_PARAM(name, table, name##_desc);				\
static void name(struct kunit *test)					\
{									\
	char why[SCCP_T_WHY] = "";					\
									\
	KUNIT_EXPECT_EQ_MSG(test, check(test, test->param_value, why), 0, \
			    "%s", why);					\
}

/* A test without parameters. */
#define PP_KT_ST_ONE(name, check)					\
static void name(struct kunit *test)					\
{									\
	char why[SCCP_T_WHY] = "";					\
									\
	KUNIT_EXPECT_EQ_MSG(test, check(test, why), 0, "%s", why);	\
}

PP_KT_ST_PARAM(pp_sccp_stream_one_segment, pp_kt_sccp_vecs, name,
	       sccp_t_st_one_segment)
PP_KT_ST_PARAM(pp_sccp_stream_captured_segmentation, pp_kt_sccp_vecs, name,
	       sccp_t_st_captured_segmentation)
PP_KT_ST_PARAM(pp_sccp_stream_cut_at_every_byte, pp_kt_sccp_vecs, name,
	       sccp_t_st_cut_at_every_byte)
PP_KT_ST_PARAM(pp_sccp_stream_one_byte_per_segment_across_wrap,
	       pp_kt_sccp_vecs, name,
	       sccp_t_st_one_byte_per_segment_across_wrap)
PP_KT_ST_PARAM(pp_sccp_stream_random_cuts, pp_kt_sccp_vecs, name,
	       sccp_t_st_random_cuts)
PP_KT_ST_PARAM(pp_sccp_stream_retransmissions_and_early_segments,
	       pp_kt_sccp_vecs, name,
	       sccp_t_st_retransmissions_and_early_segments)
PP_KT_ST_ONE(pp_sccp_stream_straddling_field, sccp_t_st_straddling_field)
PP_KT_ST_ONE(pp_sccp_stream_out_of_order_refused,
	     sccp_t_st_out_of_order_refused)
PP_KT_ST_ONE(pp_sccp_stream_uninitialised_refused,
	     sccp_t_st_uninitialised_refused)
PP_KT_ST_ONE(pp_sccp_stream_changed_retransmission_refused,
	     sccp_t_st_changed_retransmission_refused)
PP_KT_ST_ONE(pp_sccp_stream_retransmission_with_other_device_refused,
	     sccp_t_st_retransmission_with_other_device_refused)
PP_KT_ST_ONE(pp_sccp_stream_second_syn_refused, sccp_t_st_second_syn_refused)
PP_KT_ST_ONE(pp_sccp_stream_register_token_checked,
	     sccp_t_st_register_token_checked)
PP_KT_ST_ONE(pp_sccp_stream_framing_error_kills,
	     sccp_t_st_framing_error_kills)
PP_KT_ST_PARAM(pp_sccp_stream_verdicts, sccp_t_verdict_cases, desc,
	       sccp_t_st_verdicts)
PP_KT_ST_ONE(pp_sccp_stream_malformed_reported_before_body,
	     sccp_t_st_malformed_reported_before_body)
PP_KT_ST_PARAM(pp_sccp_stream_layout_under_segmentation,
	       sccp_t_seglayout_cases, desc,
	       sccp_t_st_layout_under_segmentation)
PP_KT_ST_ONE(pp_sccp_stream_history_evicted_refused,
	     sccp_t_st_history_evicted_refused)
PP_KT_ST_ONE(pp_sccp_stream_history_acknowledged_as_it_goes,
	     sccp_t_st_history_acknowledged_as_it_goes)
PP_KT_ST_ONE(pp_sccp_stream_history_headers_only,
	     sccp_t_st_history_headers_only)

#define PP_KT_ST_CASE(name) KUNIT_CASE_PARAM(name, name##_gen_params)

static struct kunit_case pp_sccp_stream_cases[] = {
	PP_KT_ST_CASE(pp_sccp_stream_one_segment),
	PP_KT_ST_CASE(pp_sccp_stream_captured_segmentation),
	PP_KT_ST_CASE(pp_sccp_stream_cut_at_every_byte),
	PP_KT_ST_CASE(pp_sccp_stream_one_byte_per_segment_across_wrap),
	PP_KT_ST_CASE(pp_sccp_stream_random_cuts),
	PP_KT_ST_CASE(pp_sccp_stream_retransmissions_and_early_segments),
	KUNIT_CASE(pp_sccp_stream_straddling_field),
	KUNIT_CASE(pp_sccp_stream_out_of_order_refused),
	KUNIT_CASE(pp_sccp_stream_uninitialised_refused),
	KUNIT_CASE(pp_sccp_stream_changed_retransmission_refused),
	KUNIT_CASE(pp_sccp_stream_retransmission_with_other_device_refused),
	KUNIT_CASE(pp_sccp_stream_second_syn_refused),
	KUNIT_CASE(pp_sccp_stream_register_token_checked),
	KUNIT_CASE(pp_sccp_stream_framing_error_kills),
	PP_KT_ST_CASE(pp_sccp_stream_verdicts),
	KUNIT_CASE(pp_sccp_stream_malformed_reported_before_body),
	PP_KT_ST_CASE(pp_sccp_stream_layout_under_segmentation),
	KUNIT_CASE(pp_sccp_stream_history_evicted_refused),
	KUNIT_CASE(pp_sccp_stream_history_acknowledged_as_it_goes),
	KUNIT_CASE(pp_sccp_stream_history_headers_only),
	{}
};

struct kunit_suite pp_sccp_stream_suite = {
	.name = "pp_sccp_stream",
	.test_cases = pp_sccp_stream_cases,
};
