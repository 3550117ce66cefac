/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The phoneproxy family's operations, typed: configuration, publishing
 * users, the user and CallManager tables, activation, counters, events.
 * All return 0 or a negative errno; pp_nl_error() says why.
 */
#ifndef PP_OPS_H
#define PP_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/phoneproxy.h>

#include "nl.h"
#include "users_xml.h"

/* The running configuration: any subset of PP_A_CFG_*. */
struct pp_config {
	uint32_t present;		/* bit (1 << PP_A_CFG_x) per field */
	uint32_t north_addr;		/* network byte order */
	uint32_t south_addr;
	uint16_t sccp_port;
	uint16_t sccp_security_port;
	uint16_t tftp_port;
	uint16_t httpproxy_port;
	uint16_t rtp_port_min;
	uint16_t rtp_port_max;
	uint8_t sccp_security;		/* 0/1 */
	uint8_t httpproxy;		/* 0/1 */
	uint8_t http;			/* 0/1 */
	uint8_t act_mode;		/* enum pp_act_mode */
	uint8_t srtp_suite;		/* enum pp_srtp_suite_cfg */
	uint32_t idle_timeout;		/* seconds, 0 = off */
	uint32_t auth_timeout;		/* seconds, 0 = off */
	uint32_t media_timeout;		/* seconds without media, 0 = off */
	uint32_t max_conns;		/* SCCP connections per activation */
	uint32_t max_streams;		/* media streams per activation */
	/* The heartbeat pair's (docs/heartbeat.md); adjacent, as the
	 * attributes are: "set interface {virtnorth|virtsouth}". */
	uint32_t virt_north_addr;
	uint32_t virt_south_addr;
	/* PP_EVENT_CONFIG: who changed it (PP_REASON_CLI or _CLUSTER); 0
	 * from CONFIG_GET. pp_config_set() sends it when not 0. */
	uint8_t reason;
};

#define PP_CFG_BIT(attr)	(1u << (attr))
#define pp_cfg_has(cfg, attr)	(!!((cfg)->present & PP_CFG_BIT(attr)))

/* A user as the kernel has it. */
struct pp_user_state {
	char name[PP_NAME_MAX];
	char id[PP_NAME_MAX];
	char sid[PP_SID_LEN + 1];
	char ccm[PP_NAME_MAX];
	bool enabled;
	bool active;			/* the fields below are valid */
	uint32_t addr;			/* network byte order */
	uint64_t active_secs;
	uint8_t reason;			/* enum pp_reason: who activated */
	uint32_t connections;
	uint32_t connections_total;
	uint32_t registered;		/* of connections, registered now */
	uint32_t ccm_addr;		/* PP_USER_A_CCM_ADDR, 0: not set */
	bool remote_registered;		/* through another cluster node */
};

struct pp_ccm_state {
	char name[PP_NAME_MAX];
	uint32_t addr;
	bool is_default;
};

struct pp_stats {
	uint64_t accept_web;
	uint64_t accept_activated;
	uint64_t accept_open;
	uint64_t accept_reply;
	uint64_t drop;
	uint32_t users;
	uint32_t activations;
	uint64_t sccp_conns;
	uint32_t sccp_open;
	uint64_t sccp_registered;
	uint64_t sccp_sid_mismatch;
	uint64_t sccp_stream_errors;
	uint64_t sccp_ooo;
	uint64_t sccp_rewrites;
	uint64_t fwd_drop;
	uint32_t media_streams;
	uint64_t media_streams_total;
	uint64_t media_pkts;
	uint64_t media_bytes;
	uint64_t media_drops;
	uint64_t media_no_port;
	uint64_t media_timeouts;
	uint32_t media_calls;
	uint64_t media_calls_total;
	uint64_t sccp_inconsistent;
	uint64_t sccp_conn_limit;
	uint64_t media_unopened;
	uint64_t media_stream_limit;
	uint64_t media_port_drops;
	uint64_t sccp_claimed;
	uint64_t sccp_plain_refused;
	uint64_t sccp_adhoc, sccp_adhoc_limit;	/* open mode, not activated */
	uint64_t sccp_nobuf;	/* segments dropped: no stream buffer */
	uint32_t sccp_rings;	/* stream buffers (byte rings) taken now */
	/* SRTP in the relay (docs/srtp.md) */
	uint64_t srtp_protected, srtp_unprotected, srtp_auth_fail, srtp_replay;
	uint64_t srtp_pending, srtp_other, srtp_expanded, srtp_keys;
	uint64_t srtp_alloc_fail;
};

/* A media stream (PP_CMD_CALL_GET); ports host order, 0 = not known. */
struct pp_call_state {
	char user[PP_NAME_MAX];
	uint32_t ppid;
	uint32_t phone_addr;		/* network byte order, as all addresses */
	uint16_t phone_port;		/* announced */
	uint16_t phone_src_port;	/* learned from its packets */
	uint32_t north_addr;
	uint16_t north_port;
	uint32_t south_addr;
	uint16_t south_port;
	uint32_t far_addr;
	uint16_t far_port;
	bool rx, tx;
	uint32_t secs;
	uint32_t idle_secs;
	uint64_t phone_pkts, phone_bytes, phone_drops;	/* phone -> far end */
	uint64_t far_pkts, far_bytes, far_drops;	/* far end -> phone */
	/* SRTP: SCCP algorithmID per direction (0: plain), PP_CALL_A_SRTP_* */
	uint8_t srtp_tx_suite, srtp_rx_suite, srtp_ready;
	uint64_t srtp_protected, srtp_unprotected, srtp_auth_fail, srtp_replay;
	uint64_t srtp_pending, srtp_other, srtp_expanded;
};

struct pp_event_info {
	uint8_t type;			/* enum pp_event */
	uint8_t reason;			/* enum pp_reason */
	char name[PP_NAME_MAX];
	char sid[PP_SID_LEN + 1];
	uint32_t addr;
	/* PP_EVENT_REGISTERED, _UNREGISTERED, _REFUSED */
	uint32_t ccm_addr;
	char device[PP_NAME_MAX];	/* the name the phone registered as */
};

int pp_config_get(struct pp_nl *nl, struct pp_config *cfg);
/* Sends the fields flagged in cfg->present. */
int pp_config_set(struct pp_nl *nl, const struct pp_config *cfg);

/* PP_CMD_USERS_REPLACE: the CallManagers and users of u, one message. */
int pp_users_replace(struct pp_nl *nl, const struct pp_users *u);
/* Exact attribute payload of that message (for sizing; the unit tests). */
size_t pp_users_msg_payload(const struct pp_users *u);
/* The message itself, sized exactly; NULL when out of memory. */
struct nl_msg *pp_users_msg_build(int family, const struct pp_users *u);

/* The whole user table, in table order; free(*users). */
int pp_user_list(struct pp_nl *nl, struct pp_user_state **users, size_t *n);
/* One user by name (addr 0) or by activation address (name NULL). */
int pp_user_get(struct pp_nl *nl, const char *name, uint32_t addr,
		struct pp_user_state *user);
int pp_ccm_list(struct pp_nl *nl, struct pp_ccm_state **ccms, size_t *n);

int pp_user_activate(struct pp_nl *nl, const char *name, uint32_t addr,
		     uint8_t reason);
int pp_user_inactivate(struct pp_nl *nl, const char *name, uint8_t reason);
/*
 * PP_CMD_USER_CCM_SET: the CallManager (ccm, network order; 0 clears)
 * this node stands for for the user active at addr.
 */
int pp_user_ccm_set(struct pp_nl *nl, const char *name, uint32_t addr, uint32_t ccm);
/*
 * PP_CMD_USER_REMOTE_SET: whether the user active at addr is registered
 * through another cluster node now (pp-clusterd).
 */
int pp_user_remote_set(struct pp_nl *nl, const char *name, uint32_t addr, bool on);

int pp_stats_get(struct pp_nl *nl, struct pp_stats *stats);

/*
 * PP_CMD_SCCP_CLAIM, for the TLS terminator: hand the phone's connection
 * (it comes from peer_addr:peer_port, network order / host order) to the
 * kernel's SCCP proxy; the terminator's socket is bound, not connected,
 * to the south address and local_port (host order). device: the device
 * name of the client certificate, or NULL. On success *ccm_addr (network
 * order) and *ccm_port (host order) say where to connect() within
 * PP_CLAIM_TIMEOUT seconds. Returns 0 or a negative errno: -EPERM secure
 * SCCP off, -ENOENT peer not activated, -EBUSY max connections, -EEXIST
 * local port claimed, -ENOSPC too many claims pending, -ENETUNREACH no
 * north/south address, -EINVAL bad input; pp_nl_error(nl) says why (the
 * kernel's extack message).
 */
int pp_nl_sccp_claim(struct pp_nl *nl, uint32_t peer_addr, uint16_t peer_port,
		     uint16_t local_port, const char *device,
		     uint32_t *ccm_addr, uint16_t *ccm_port);

/* Every media stream; free(*calls). */
int pp_call_list(struct pp_nl *nl, struct pp_call_state **calls, size_t *n);
/* A PP_A_CALL nest of a reply. Returns 0 or -EINVAL. */
int pp_call_state_parse(struct nlattr *nest, struct pp_call_state *call);

/* A PP_CMD_EVENT notification. Returns 0 or -EINVAL. */
int pp_event_parse(struct nl_msg *msg, struct pp_event_info *ev);
/* A PP_EVENT_CONFIG notification (not pp_event_parse's). 0 or -EINVAL. */
int pp_event_config_parse(struct nl_msg *msg, struct pp_config *cfg);
/* A PP_A_USER nest of a reply. Returns 0 or -EINVAL. */
int pp_user_state_parse(struct nlattr *nest, struct pp_user_state *user);

/* "cli", "web", ... "timeout-idle", "unpublished"; NULL if unknown. */
const char *pp_reason_name(unsigned int reason);
/* The reverse; -1 if unknown. */
int pp_reason_from_name(const char *name);
const char *pp_event_name(unsigned int event);
/* "required", "open"; NULL if unknown. */
const char *pp_act_mode_name(unsigned int mode);

/*
 * A daemon following the module: told the configuration in force when it
 * changes, with no polling. fn gets it at pp_follow_open(), on every
 * PP_EVENT_CONFIG, and after a resync (when the module is loaded again,
 * when notifications were lost, on pp_follow_sync()); NULL while the
 * module is not loaded. The configuration may be the same as the last.
 */
struct pp_follow;
typedef void (*pp_follow_fn)(const struct pp_config *cfg, void *arg);

int pp_follow_open(struct pp_follow **out, pp_follow_fn fn, void *arg,
		   char *err, size_t errlen);
void pp_follow_close(struct pp_follow *f);
/*
 * Also be told every activation and inactivation (PP_EVENT_ACTIVATED,
 * PP_EVENT_INACTIVATED) and every registration through the SCCP proxy
 * (PP_EVENT_REGISTERED, _UNREGISTERED, _REFUSED) as the module announces
 * it, with the same arg;
 * ev NULL when notifications were lost (the receive buffer overflowed).
 */
typedef void (*pp_follow_event_fn)(const struct pp_event_info *ev, void *arg);
void pp_follow_events(struct pp_follow *f, pp_follow_event_fn fn);
/* Watch this descriptor for reading; then call pp_follow_read(). */
int pp_follow_fd(const struct pp_follow *f);
void pp_follow_read(struct pp_follow *f);
/* Join the events group again and read the configuration (CONFIG_GET). */
void pp_follow_sync(struct pp_follow *f);
/*
 * A request socket of the family, opened when needed (NULL while the
 * module is not loaded); reset it after an error that may have broken it.
 */
struct pp_nl *pp_follow_nl(struct pp_follow *f);
void pp_follow_nl_reset(struct pp_follow *f);

#endif /* PP_OPS_H */
