// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * SCCP stream tracker (proto/sccp_stream.c) on the tests of
 * proto/tests/sccp_stream_cases.h, which the KUnit suite pp_sccp_stream
 * runs in the kernel: the captured streams of sccp_vectors.h under every
 * segmentation (300 random runs of each kind here), then the edges, then
 * the media key blocks written by the key callback.
 */
#include "sccp_stream.h"
#include "sccp_tap.h"
#include "sccp_stream_cases.h"

#define EACH_STREAM(check, what) \
	SCCP_T_TAP_EACH(pp_kt_sccp_vecs, check(NULL, c, why), what)
#define ONE(check, what) SCCP_T_TAP(check(NULL, why), what)

int main(void)
{
	EACH_STREAM(sccp_t_st_one_segment, "one segment");
	EACH_STREAM(sccp_t_st_captured_segmentation, "captured segmentation");
	EACH_STREAM(sccp_t_st_cut_at_every_byte, "cut at every byte");
	EACH_STREAM(sccp_t_st_byte_by_byte,
		    "one byte per segment, sequence wrapping");
	EACH_STREAM(sccp_t_st_random_cuts,
		    "300 random multi-cut segmentations");
	EACH_STREAM(sccp_t_st_retransmissions,
		    "300 runs with retransmissions and early segments");
	ONE(sccp_t_st_straddling_field, "a field straddling two segments");
	ONE(sccp_t_st_out_of_order_refused, "out of order refused");
	ONE(sccp_t_st_uninitialised_refused, "uninitialised stream refused");
	ONE(sccp_t_st_changed_retransmission_refused,
	    "a changed retransmission refused");
	ONE(sccp_t_st_retransmission_with_other_device_refused,
	    "a retransmission naming another device refused");
	ONE(sccp_t_st_second_syn_refused, "a second SYN refused");
	ONE(sccp_t_st_register_token_checked, "RegisterTokenReq SID-checked");
	ONE(sccp_t_st_framing_error_kills, "a framing error kills the stream");
	SCCP_T_TAP_EACH(sccp_t_verdict_cases, sccp_t_st_verdicts(NULL, c, why),
			"verdict");
	ONE(sccp_t_st_malformed_reported_before_body,
	    "malformed: reported with its header, before any body byte");
	SCCP_T_TAP_EACH(sccp_t_seglayout_cases,
			sccp_t_st_layout_under_segmentation(NULL, c, why),
			"layout under segmentation");
	ONE(sccp_t_st_history_evicted_refused,
	    "history: evicted records refused");
	ONE(sccp_t_st_history_acknowledged_as_it_goes,
	    "history: acknowledged as it goes");
	ONE(sccp_t_st_history_headers_only, "history: headers only");
	ONE(sccp_t_st_ring_on_demand,
	    "ring: taken for new bytes, given back when acknowledged");
	ONE(sccp_t_st_history_one_segment,
	    "history: more fields in one segment than records, all rewritten");
	EACH_STREAM(sccp_t_st_keys_cut_at_every_byte,
		    "media keys written, cut at every byte");
	EACH_STREAM(sccp_t_st_keys_retransmissions,
		    "media keys written, 300 runs with retransmissions");
	SCCP_T_TAP_EACH(sccp_t_key_msgs, sccp_t_st_key_every_cut(NULL, c, why),
			"key block cut at every byte, retransmitted, changed");
	SCCP_T_TAP_EACH(sccp_t_key_absent, sccp_t_st_key_absent(NULL, c, why),
			"body ends before the salt: reported with the header");
	SCCP_T_TAP_EACH(sccp_t_key_msgs, sccp_t_st_key_verdicts(NULL, c, why),
			"key: keep, no callback, refusal, unknown answer, refused key");
	ONE(sccp_t_st_key_from_header,
	    "key block present or absent: from the header alone");
	return done_testing();
}
