// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The SCCP stream tracker (proto/sccp_stream.c) built with the kernel's
 * flags, in the kernel, on the tests of proto/tests/sccp_stream_cases.h
 * (which userspace/tests/test_sccp_stream.c runs on the host): the
 * captured streams of sccp_vectors.h under every segmentation, then the
 * edges, then the media key blocks the key callback writes. Each segment
 * is handed over in a buffer of its exact size, so KASAN sees any access
 * beyond it.
 */
#include "../../proto/sccp_stream.c"

#include "pp_kunit.h"

/* Random runs per stream (the userspace tests make 300 of each). */
#define SCCP_T_CUT_RUNS		25
#define SCCP_T_RETX_RUNS	30
#include "sccp_stream_cases.h"

SCCP_T_KUNIT_DESC(pp_kt_vec_desc, const struct pp_kt_sccp_vec *)
SCCP_T_KUNIT_DESC(pp_kt_verdict_desc, const struct sccp_t_verdict_case *)
SCCP_T_KUNIT_DESC(pp_kt_seglayout_desc, const struct sccp_t_seglayout_case *)
SCCP_T_KUNIT_DESC(pp_kt_keymsg_desc, const struct sccp_t_key_msg *)
KUNIT_ARRAY_PARAM(pp_kt_st_vec, pp_kt_sccp_vecs, pp_kt_vec_desc);
KUNIT_ARRAY_PARAM(pp_kt_verdict, sccp_t_verdict_cases, pp_kt_verdict_desc);
KUNIT_ARRAY_PARAM(pp_kt_seglayout, sccp_t_seglayout_cases,
		  pp_kt_seglayout_desc);
KUNIT_ARRAY_PARAM(pp_kt_keymsg, sccp_t_key_msgs, pp_kt_keymsg_desc);
KUNIT_ARRAY_PARAM(pp_kt_keyabsent, sccp_t_key_absent, pp_kt_keymsg_desc);

SCCP_T_KUNIT(pp_sccp_stream_one_segment,
	     sccp_t_st_one_segment(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_captured_segmentation,
	     sccp_t_st_captured_segmentation(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_cut_at_every_byte,
	     sccp_t_st_cut_at_every_byte(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_one_byte_per_segment_across_wrap,
	     sccp_t_st_byte_by_byte(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_random_cuts,
	     sccp_t_st_random_cuts(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_retransmissions_and_early_segments,
	     sccp_t_st_retransmissions(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_straddling_field,
	     sccp_t_st_straddling_field(test, why))
SCCP_T_KUNIT(pp_sccp_stream_out_of_order_refused,
	     sccp_t_st_out_of_order_refused(test, why))
SCCP_T_KUNIT(pp_sccp_stream_uninitialised_refused,
	     sccp_t_st_uninitialised_refused(test, why))
SCCP_T_KUNIT(pp_sccp_stream_changed_retransmission_refused,
	     sccp_t_st_changed_retransmission_refused(test, why))
SCCP_T_KUNIT(pp_sccp_stream_retransmission_with_other_device_refused,
	     sccp_t_st_retransmission_with_other_device_refused(test, why))
SCCP_T_KUNIT(pp_sccp_stream_second_syn_refused,
	     sccp_t_st_second_syn_refused(test, why))
SCCP_T_KUNIT(pp_sccp_stream_register_token_checked,
	     sccp_t_st_register_token_checked(test, why))
SCCP_T_KUNIT(pp_sccp_stream_framing_error_kills,
	     sccp_t_st_framing_error_kills(test, why))
SCCP_T_KUNIT(pp_sccp_stream_verdicts,
	     sccp_t_st_verdicts(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_malformed_reported_before_body,
	     sccp_t_st_malformed_reported_before_body(test, why))
SCCP_T_KUNIT(pp_sccp_stream_layout_under_segmentation,
	     sccp_t_st_layout_under_segmentation(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_history_evicted_refused,
	     sccp_t_st_history_evicted_refused(test, why))
SCCP_T_KUNIT(pp_sccp_stream_history_acknowledged_as_it_goes,
	     sccp_t_st_history_acknowledged_as_it_goes(test, why))
SCCP_T_KUNIT(pp_sccp_stream_history_headers_only,
	     sccp_t_st_history_headers_only(test, why))
SCCP_T_KUNIT(pp_sccp_stream_history_one_segment_beyond_records,
	     sccp_t_st_history_one_segment(test, why))
SCCP_T_KUNIT(pp_sccp_stream_ring_taken_and_given_back,
	     sccp_t_st_ring_on_demand(test, why))
SCCP_T_KUNIT(pp_sccp_stream_keys_cut_at_every_byte,
	     sccp_t_st_keys_cut_at_every_byte(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_keys_retransmissions,
	     sccp_t_st_keys_retransmissions(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_key_block_cut_at_every_byte,
	     sccp_t_st_key_every_cut(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_key_absent_reported_with_header,
	     sccp_t_st_key_absent(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_key_verdicts,
	     sccp_t_st_key_verdicts(test, test->param_value, why))
SCCP_T_KUNIT(pp_sccp_stream_key_from_header,
	     sccp_t_st_key_from_header(test, why))

static struct kunit_case pp_sccp_stream_cases[] = {
	KUNIT_CASE_PARAM(pp_sccp_stream_one_segment,
			 pp_kt_st_vec_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_captured_segmentation,
			 pp_kt_st_vec_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_cut_at_every_byte,
			 pp_kt_st_vec_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_one_byte_per_segment_across_wrap,
			 pp_kt_st_vec_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_random_cuts,
			 pp_kt_st_vec_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_retransmissions_and_early_segments,
			 pp_kt_st_vec_gen_params),
	KUNIT_CASE(pp_sccp_stream_straddling_field),
	KUNIT_CASE(pp_sccp_stream_out_of_order_refused),
	KUNIT_CASE(pp_sccp_stream_uninitialised_refused),
	KUNIT_CASE(pp_sccp_stream_changed_retransmission_refused),
	KUNIT_CASE(pp_sccp_stream_retransmission_with_other_device_refused),
	KUNIT_CASE(pp_sccp_stream_second_syn_refused),
	KUNIT_CASE(pp_sccp_stream_register_token_checked),
	KUNIT_CASE(pp_sccp_stream_framing_error_kills),
	KUNIT_CASE_PARAM(pp_sccp_stream_verdicts, pp_kt_verdict_gen_params),
	KUNIT_CASE(pp_sccp_stream_malformed_reported_before_body),
	KUNIT_CASE_PARAM(pp_sccp_stream_layout_under_segmentation,
			 pp_kt_seglayout_gen_params),
	KUNIT_CASE(pp_sccp_stream_history_evicted_refused),
	KUNIT_CASE(pp_sccp_stream_history_acknowledged_as_it_goes),
	KUNIT_CASE(pp_sccp_stream_history_headers_only),
	KUNIT_CASE(pp_sccp_stream_history_one_segment_beyond_records),
	KUNIT_CASE(pp_sccp_stream_ring_taken_and_given_back),
	KUNIT_CASE_PARAM(pp_sccp_stream_keys_cut_at_every_byte,
			 pp_kt_st_vec_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_keys_retransmissions,
			 pp_kt_st_vec_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_key_block_cut_at_every_byte,
			 pp_kt_keymsg_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_key_absent_reported_with_header,
			 pp_kt_keyabsent_gen_params),
	KUNIT_CASE_PARAM(pp_sccp_stream_key_verdicts, pp_kt_keymsg_gen_params),
	KUNIT_CASE(pp_sccp_stream_key_from_header),
	{}
};

struct kunit_suite pp_sccp_stream_suite = {
	.name = "pp_sccp_stream",
	.test_cases = pp_sccp_stream_cases,
};
