/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-tftpd's counters, as "ppctl show stats" shows them. The control
 * socket sends them as "name value" lines in this order.
 */
#ifndef PP_TFTPD_STATS_H
#define PP_TFTPD_STATS_H

#include <stdint.h>
#include <stdio.h>

#define TFTPD_COUNTERS(X)						\
	X(requests)		/* read requests received */		\
	X(served)		/* transfers completed */		\
	X(rewritten)		/* of them, rewritten config files */	\
	X(bytes_sent)		/* file bytes acknowledged by phones */	\
	X(auto_activations)	/* open mode */				\
	X(denied_wrong_sid)	/* device file of another SID */	\
	X(denied_not_activated)	/* device file, address not activated */ \
	X(denied_unknown_sid)	/* open mode: no user has that SID */	\
	X(denied_activation_refused) /* open mode: the module said no */ \
	X(denied_no_adhoc_user)	/* open mode: no AdHoCuSeR to field it */ \
	X(denied_write)		/* write requests */			\
	X(denied_bad_request)	/* malformed requests */		\
	X(dropped_not_activated) /* required mode: no answer at all */	\
	X(dropped_rate_limit)	/* per-source rate limit */		\
	X(dropped_duplicate)	/* request repeated while in progress */ \
	X(refused_busy)		/* max-transfers reached */		\
	X(not_found_trust_list)	/* CTL/ITL */				\
	X(not_found_signed_config) /* .sgn */				\
	X(not_found_legacy_config) /* *.cnf */				\
	X(upstream_errors)	/* the CallManager answered an ERROR */	\
	X(upstream_timeouts)	/* the CallManager did not answer */	\
	X(upstream_unreachable)	/* ICMP unreachable from it */		\
	X(upstream_too_large)	/* larger than max-file-size */		\
	X(upstream_protocol)	/* bad packets from it */		\
	X(rewrite_failed)	/* config file not rewritable: error */	\
	X(cache_hits)							\
	X(cache_misses)							\
	X(cache_coalesced)	/* joined a fetch in progress */	\
	X(retransmits)		/* to phones */				\
	X(transfer_timeouts)	/* phone stopped acknowledging */	\
	X(transfer_aborted)	/* phone sent an ERROR */		\
	X(refused_per_address)	/* max-transfers-per-address reached */	\
	X(transfer_lifetime_expired) /* ended by transfer-lifetime */	\
	X(timeout_option_declined) /* asked timeout above max-timeout */ \
	X(replies_from_port69)	/* transfers answered from port 69 */	\
	X(replyport_switches)	/* replyport auto: addresses switched */	\
	X(ccm_resolved)		/* mapping: CallManager names looked up */ \
	X(ccm_resolve_failed)	/* of them, or refused: not resolved */

struct tftpd_stats {
#define TFTPD_STATS_FIELD(n) uint64_t n;
	TFTPD_COUNTERS(TFTPD_STATS_FIELD)
#undef TFTPD_STATS_FIELD
};

/* Gauges sampled when the counters are read. */
struct tftpd_gauges {
	uint64_t transfers_active;
	uint64_t cache_entries;
	uint64_t cache_bytes;
	const char *loglevel;
};

/* "name value" lines: the counters, then the gauges. */
void tftpd_stats_write(FILE *f, const struct tftpd_stats *s,
		       const struct tftpd_gauges *g);

#endif /* PP_TFTPD_STATS_H */
