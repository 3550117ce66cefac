// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * SCCP stream tracker (proto/sccp_stream.c) on the tests of
 * proto/tests/sccp_stream_cases.h, which the KUnit suite pp_sccp_stream
 * runs in the kernel: the captured streams of sccp_vectors.h under every
 * segmentation (300 random runs of each kind here), then the edges.
 */
#include "tap.h"
#include "sccp_stream.h"

/* The tables give only the fields a case needs. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define PP_KT_SCCP_VECTORS_DEFINE
#include "sccp_stream_cases.h"

/* One TAP line per element of @table run by @check, named by @field. */
#define RUN(table, field, check, what)					\
	do {								\
		for (size_t i_ = 0; i_ < ARRAY_SIZE(table); i_++) {	\
			char why_[SCCP_T_WHY] = "";			\
									\
			if (!ok(!check(NULL, &(table)[i_], why_),	\
				"%s: %s", (table)[i_].field, what))	\
				diag("%s", why_);			\
			sccp_t_zfree_all();				\
		}							\
	} while (0)

static void one(int (*check)(void *t, char *why), const char *what)
{
	char why[SCCP_T_WHY] = "";

	if (!ok(!check(NULL, why), "%s", what))
		diag("%s", why);
	sccp_t_zfree_all();
}

int main(void)
{
	RUN(pp_kt_sccp_vecs, name, sccp_t_st_one_segment, "one segment");
	RUN(pp_kt_sccp_vecs, name, sccp_t_st_captured_segmentation,
	    "captured segmentation");
	RUN(pp_kt_sccp_vecs, name, sccp_t_st_cut_at_every_byte,
	    "cut at every byte");
	RUN(pp_kt_sccp_vecs, name, sccp_t_st_byte_by_byte,
	    "one byte per segment, sequence wrapping");
	RUN(pp_kt_sccp_vecs, name, sccp_t_st_random_cuts,
	    "300 random multi-cut segmentations");
	RUN(pp_kt_sccp_vecs, name, sccp_t_st_retransmissions,
	    "300 runs with retransmissions and early segments");
	one(sccp_t_st_straddling_field, "a field straddling two segments");
	one(sccp_t_st_out_of_order_refused, "out of order refused");
	one(sccp_t_st_uninitialised_refused, "uninitialised stream refused");
	one(sccp_t_st_changed_retransmission_refused,
	    "a changed retransmission refused");
	one(sccp_t_st_retransmission_with_other_device_refused,
	    "a retransmission naming another device refused");
	one(sccp_t_st_second_syn_refused, "a second SYN refused");
	one(sccp_t_st_register_token_checked, "RegisterTokenReq SID-checked");
	one(sccp_t_st_framing_error_kills, "a framing error kills the stream");
	RUN(sccp_t_verdict_cases, desc, sccp_t_st_verdicts, "verdict");
	one(sccp_t_st_malformed_reported_before_body,
	    "malformed: reported with its header, before any body byte");
	RUN(sccp_t_seglayout_cases, desc, sccp_t_st_layout_under_segmentation,
	    "layout under segmentation");
	one(sccp_t_st_history_evicted_refused,
	    "history: evicted records refused");
	one(sccp_t_st_history_acknowledged_as_it_goes,
	    "history: acknowledged as it goes");
	one(sccp_t_st_history_headers_only, "history: headers only");
	return done_testing();
}
