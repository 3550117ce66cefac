/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * phoneproxy: the generic-netlink contract between phoneproxy.ko and its
 * userspace (ppctl, the daemons, the selftests).
 *
 * Family PHONEPROXY_GENL_NAME ("phoneproxy"), version 1. The family is
 * per network namespace: every namespace has its own configuration, user
 * table, activations and counters. Commands that change state, and the
 * reads that name users or phones (USER_GET, CCM_GET, CALL_GET), need
 * CAP_NET_ADMIN in the namespace's user namespace (GENL_UNS_ADMIN_PERM);
 * CONFIG_GET and STATS_GET are open. Every rejection carries an
 * extended-ACK message naming the attribute and the reason; clients
 * should set NETLINK_EXT_ACK.
 *
 * Addresses are IPv4, in network byte order (NLA_BE32). Strings are
 * NUL-terminated and at most PP_NAME_MAX bytes including the NUL.
 *
 * PP_CMD_CONFIG_GET (do)
 *	Reply: PP_CMD_CONFIG_GET carrying every PP_A_CFG_* attribute.
 *
 * PP_CMD_CONFIG_SET (do, admin)
 *	Any subset of PP_A_CFG_*. The whole request is validated first, then
 *	applied at once: a rejected request changes nothing. Rules:
 *	- PP_A_CFG_NORTH_ADDR / PP_A_CFG_SOUTH_ADDR must be configured on an
 *	  interface of the namespace (0.0.0.0 unbinds the role) and must
 *	  differ from each other;
 *	- ports are 1..65535; PP_A_CFG_RTP_PORT_MIN <= PP_A_CFG_RTP_PORT_MAX,
 *	  and the range must hold at least two ports (RTP + RTCP);
 *	- timeouts are seconds, 0..PP_TIMEOUT_MAX; auth timeout 0 = off,
 *	  idle timeout 0 = off, media timeout 0 = off.
 *	Changing a timeout re-arms the timers of existing activations.
 *
 * PP_CMD_USERS_REPLACE (do, admin)
 *	Publishes a new CallManager table and user table as one transaction.
 *	The message carries the attribute PP_A_CCM once per CallManager and
 *	PP_A_USER once per user, repeated at the top level (not nested in a
 *	list: a list nest would cap the table at 64 KiB). A message with no
 *	PP_A_CCM and no PP_A_USER empties both tables. Rules, checked before
 *	anything changes:
 *	- CallManager names unique, address non-zero, at most one default;
 *	- user names unique and non-empty; SID "SEP" + 12 hex digits (stored
 *	  upper case, compared case-insensitively); SIDs unique;
 *	- a user's PP_USER_A_CCM names a CallManager of the same message; a
 *	  user with no PP_USER_A_CCM uses the default CallManager (rejected if
 *	  there is none);
 *	- at most PP_USERS_MAX users and PP_CCMS_MAX CallManagers.
 *	Activations of users that survive with the same SID and stay enabled
 *	are kept; the others are inactivated with PP_REASON_UNPUBLISHED.
 *
 * PP_CMD_USER_GET (do or dump, admin)
 *	do: PP_A_USER nest with PP_USER_A_NAME, or with PP_USER_A_ADDR to
 *	    find the user activated at that address (ENOENT if none).
 *	dump: one message per user, in table order; NLM_F_DUMP_INTR is set
 *	    when the table or an activation changed during the dump (retry).
 *	Each reply is a PP_A_USER nest with NAME, ID, SID, CCM, ENABLED and,
 *	when the user is active, ADDR, ACTIVE_SECS, REASON (how it was
 *	activated), CONNECTIONS, CONNECTIONS_TOTAL and REGISTERED.
 *
 * PP_CMD_CCM_GET (dump, admin)
 *	One message per CallManager: a PP_A_CCM nest.
 *
 * PP_CMD_ACTIVATE (do, admin)
 *	PP_A_USER nest with PP_USER_A_NAME and PP_USER_A_ADDR; optional
 *	PP_A_REASON saying who asks (PP_REASON_CLI by default; CLI, WEB, SOAP,
 *	OPEN or CLUSTER). The guide's rules: unknown or disabled users are
 *	refused (ENOENT / EPERM); one user has one address and one address one
 *	user. If another user holds the address it is inactivated
 *	(PP_REASON_DISPLACED); if the user was active elsewhere it is
 *	inactivated there (PP_REASON_MOVED) before the new activation.
 *	Activating a user again at the same address restarts its timers.
 *
 * PP_CMD_INACTIVATE (do, admin)
 *	PP_A_USER nest with PP_USER_A_NAME; optional PP_A_REASON (CLI by
 *	default; CLI, WEB, SOAP or CLUSTER). ENOENT if the user is unknown,
 *	EALREADY if it is not active.
 *
 * PP_CMD_STATS_GET (do)
 *	Reply: PP_A_STATS nest with the north firewall's verdict counters,
 *	the table sizes, the SCCP proxy's and the media relay's counters.
 *
 * PP_CMD_CALL_GET (dump, admin)
 *	One message per media stream: a PP_A_CALL nest (enum pp_call_attr)
 *	with the user, the passThruPartyId, the phone's address and ports,
 *	the north and south relay ports, the far end and the packet, byte
 *	and drop counters of each direction. NLM_F_DUMP_INTR is set when a
 *	stream began or ended during the dump (retry).
 *
 * PP_CMD_SCCP_CLAIM (do, admin)
 *	Secure SCCP (docs/secure-sccp.md). The TLS terminator (pp-tlsd) has
 *	accepted a TLS connection from a phone on the north address's
 *	PP_A_CFG_SCCP_SECURITY_PORT and bound, not yet connected, a TCP socket
 *	on the south address. It hands that connection to the SCCP proxy:
 *	PP_A_CLAIM nest with PP_CLAIM_A_PEER_ADDR/PEER_PORT (the phone's
 *	north address and port the TLS connection comes from),
 *	PP_CLAIM_A_LOCAL_PORT (the port the socket is bound to on the south
 *	address) and optionally PP_CLAIM_A_DEVICE (the device name the
 *	phone's client certificate names: its Register must name it too).
 *	Refused unless PP_A_CFG_SCCP_SECURITY is on (EPERM), the peer address
 *	is activated (ENOENT; in open mode too: the phone's TFTP request
 *	activates it, as for plain connections), the activation is
 *	under PP_A_CFG_MAX_CONNS (EBUSY), the local port is not claimed
 *	already (EEXIST). Reply: PP_A_CLAIM nest with PP_CLAIM_A_CCM_ADDR and
 *	PP_CLAIM_A_CCM_PORT, where the socket must connect (the user's
 *	CallManager, SCCP port). The first SYN of that locally originated
 *	connection (south:LOCAL_PORT -> CCM_ADDR:CCM_PORT) within
 *	PP_CLAIM_TIMEOUT seconds makes it an SCCP connection of the phone at
 *	PEER_ADDR exactly like a plain one (SID check, rewrites, media relay
 *	keyed on PEER_ADDR, limits, resets, counters); an unclaimed local
 *	connection is never touched. With PP_A_CFG_SCCP_SECURITY on, new plain
 *	connections to PP_A_CFG_SCCP_PORT are refused (existing ones go on).
 *
 * PP_CMD_USER_CCM_SET (do, admin)
 *	PP_A_USER nest with PP_USER_A_NAME, PP_USER_A_ADDR (the address the
 *	user is active at now) and PP_USER_A_CCM_ADDR: the CallManager this
 *	node stands for in that phone's rewritten configuration (the guide's
 *	PhoneProxy to CallManager mapping; pp-tftpd sets it from the
 *	CallManager group of the file it fetched). The SCCP proxy then
 *	connects the phone there instead of to its CallManager's (TFTP)
 *	address of the user table; 0 clears it. Kept with the activation (an
 *	activation at another address starts without one). Refused: unknown
 *	user (ENOENT), not active (ESRCH), active at another address
 *	(ESTALE), an address that is not unicast, is loopback, one of this
 *	node's own addresses or the address of an activated phone (EINVAL).
 *	PP_CMD_USER_GET replies carry PP_USER_A_CCM_ADDR when it is set.
 *
 * PP_CMD_USER_REMOTE_SET (do, admin)
 *	PP_A_USER nest with PP_USER_A_NAME, PP_USER_A_ADDR (the address the
 *	user is active at now) and PP_USER_A_REMOTE_REGISTERED (u8 0/1):
 *	whether the phone at that address is registered now through another
 *	node of the cluster (pp-clusterd says so). While it is set the idle
 *	timeout does not run, as with a connection open here; clearing it
 *	counts as a connection's close (the timeout runs from then). Kept
 *	with the activation (an activation at another address starts without
 *	it). Refused: unknown user (ENOENT), not active (ESRCH), active at
 *	another address (ESTALE). PP_CMD_USER_GET replies carry
 *	PP_USER_A_REMOTE_REGISTERED when it is set.
 *
 * PP_CMD_EVENT (notification on the PHONEPROXY_MCGRP_EVENTS group)
 *	PP_A_EVENT (PP_EVENT_ACTIVATED or PP_EVENT_INACTIVATED), PP_A_REASON,
 *	and a PP_A_USER nest with NAME, SID and ADDR. For ACTIVATED the reason
 *	is who activated (CLI, WEB, SOAP, OPEN, CLUSTER); for INACTIVATED it is
 *	why (CLI, WEB, SOAP, CLUSTER, DISPLACED, MOVED, TIMEOUT_IDLE,
 *	TIMEOUT_AUTH, UNPUBLISHED). Subscribing needs admin rights.
 *	PP_EVENT_CONFIG: the configuration changed (PP_CMD_CONFIG_SET
 *	succeeded); the event carries every PP_A_CFG_* attribute, as the
 *	reply of PP_CMD_CONFIG_GET, so daemons follow without asking, and
 *	PP_A_REASON: the PP_A_REASON of that CONFIG_SET (CLI, the default,
 *	or CLUSTER: a cluster peer's change applied here), so the cluster
 *	daemon tells its own applies from local changes.
 *	PP_EVENT_REGISTERED, PP_EVENT_UNREGISTERED: a phone's SCCP connection
 *	through the proxy registered (the CallManager's RegisterAck) or no
 *	longer is, PP_A_REASON saying why (UNREGISTER, REJECTED, CLOSED,
 *	STREAM_ERROR, RESET); PP_EVENT_REFUSED: it tried to register as
 *	another device than its user's SID and was reset. A PP_A_USER nest
 *	with SID and ADDR (the phone's address), CCM_ADDR, DEVICE (the name
 *	in its Register), and NAME when a user is active at ADDR. Told from
 *	a bounded queue: when it overflows the listeners get ENOBUFS, as for
 *	any event lost.
 *
 * The north firewall. When PP_A_CFG_NORTH_ADDR is set, every packet that
 * arrives on the interface holding that address (IPv4 and IPv6, for any
 * address) and every IPv4 packet for that address is judged before NAT;
 * only the north address offers anything, IPv6 nothing (neighbour
 * solicitations and advertisements pass):
 * - replies to connections the proxy itself opened pass;
 * - TCP 80 and 443 pass from anyone while PP_A_CFG_HTTP is on;
 * - from an activated source address (or from anyone in open mode) also
 *   TCP PP_A_CFG_SCCP_PORT, TCP PP_A_CFG_SCCP_SECURITY_PORT when PP_A_CFG_SCCP_SECURITY is
 *   on, UDP PP_A_CFG_TFTP_PORT, and TCP PP_A_CFG_HTTPPROXY_PORT when
 *   PP_A_CFG_HTTPPROXY is on;
 * - everything else is dropped silently (no RST, no ICMP, no echo reply).
 *
 * The media relay. The SCCP proxy gives every media stream (SCCP
 * connection, passThruPartyId) an even RTP port N on the north address
 * and S on the south address, from PP_A_CFG_RTP_PORT_MIN..MAX, each with
 * its RTCP port + 1: the phone is told to send to north:N, the far end to
 * south:S. UDP to N (N + 1) from the phone's address is relayed from
 * south:S (S + 1) to the far end; UDP to S (S + 1) from the far end is
 * relayed from north:N (N + 1) to the port the phone sends from. Anything
 * else to those ports is dropped and counted. A stream ends with
 * StopMediaTransmission and CloseReceiveChannel (unless it keeps the
 * port), the end of its SCCP connection, or PP_A_CFG_MEDIA_TIMEOUT
 * seconds without a packet relayed.
 *
 * Limits per activation (docs/security.md): a stream exists only for a
 * channel the CallManager opened on that connection (OpenReceiveChannel,
 * StartMediaTransmission, PortReq); an activated address has at most
 * PP_A_CFG_MAX_CONNS SCCP connections open (more SYNs are dropped) and
 * at most PP_A_CFG_MAX_STREAMS streams (one more resets the connection
 * that asked for it). The relay ports are drawn at random; the phone's
 * RTP (and RTCP) source port is latched by its first packet.
 */
#ifndef _UAPI_LINUX_PHONEPROXY_H
#define _UAPI_LINUX_PHONEPROXY_H

#define PHONEPROXY_GENL_NAME		"phoneproxy"
#define PHONEPROXY_GENL_VERSION		1
/*
 * The project's version: the module's MODULE_VERSION, "ppctl show version";
 * dkms.conf's PACKAGE_VERSION says the same (selftests/phoneproxy/status.sh).
 */
#define PHONEPROXY_VERSION		"0.1.0"
#define PHONEPROXY_MCGRP_EVENTS		"events"

#define PP_NAME_MAX	64	/* bytes, including the terminating NUL */
#define PP_SID_LEN	15	/* "SEP" + 12 hex digits, without the NUL */
#define PP_USERS_MAX	131072
#define PP_CCMS_MAX	256
#define PP_TIMEOUT_MAX	(7 * 24 * 3600)	/* one week, in seconds */

/* Defaults of a fresh namespace. */
#define PP_DEFAULT_SCCP_PORT		2000
#define PP_DEFAULT_SCCP_SECURITY_PORT		2443
/*
 * A phone in encrypted mode connects with TLS to the SCCP port its
 * configuration file names + 443 (pp-tftpd writes the secure port - 443).
 */
#define PP_SCCP_TLS_PORT_OFFSET		443
#define PP_DEFAULT_TFTP_PORT		69
#define PP_DEFAULT_HTTPPROXY_PORT	8088
#define PP_DEFAULT_IDLE_TIMEOUT		300
#define PP_DEFAULT_AUTH_TIMEOUT		0
#define PP_DEFAULT_RTP_PORT_MIN		20480
#define PP_DEFAULT_RTP_PORT_MAX		21680
#define PP_DEFAULT_MEDIA_TIMEOUT	60
#define PP_DEFAULT_MAX_CONNS		4	/* SCCP connections per activation */
#define PP_DEFAULT_MAX_STREAMS		8	/* media streams per activation */
#define PP_MAX_CONNS_MAX		64
#define PP_MAX_STREAMS_MAX		1024
#define PP_CLAIM_TIMEOUT		10	/* seconds from claim to SYN */

enum pp_cmd {
	PP_CMD_UNSPEC,
	PP_CMD_CONFIG_GET,
	PP_CMD_CONFIG_SET,
	PP_CMD_USERS_REPLACE,
	PP_CMD_USER_GET,
	PP_CMD_CCM_GET,
	PP_CMD_ACTIVATE,
	PP_CMD_INACTIVATE,
	PP_CMD_STATS_GET,
	PP_CMD_EVENT,
	PP_CMD_CALL_GET,
	PP_CMD_SCCP_CLAIM,
	PP_CMD_USER_CCM_SET,
	PP_CMD_USER_REMOTE_SET,
	__PP_CMD_MAX
};

#define PP_CMD_MAX (__PP_CMD_MAX - 1)

/* Top-level attributes. */
enum pp_attr {
	PP_A_UNSPEC,
	PP_A_CFG_NORTH_ADDR,		/* be32 */
	PP_A_CFG_SOUTH_ADDR,		/* be32 */
	PP_A_CFG_SCCP_PORT,		/* u16, default 2000 */
	PP_A_CFG_SCCP_SECURITY_PORT,		/* u16, secure SCCP, default 2443 */
	PP_A_CFG_SCCP_SECURITY,			/* u8 0/1, secure SCCP on, default 0 */
	PP_A_CFG_TFTP_PORT,		/* u16, default 69 */
	PP_A_CFG_HTTPPROXY_PORT,	/* u16, default 8088 */
	PP_A_CFG_HTTPPROXY,		/* u8 0/1, HTTP proxy on, default 0 */
	PP_A_CFG_HTTP,			/* u8 0/1, activation web (80/443), default 1 */
	PP_A_CFG_ACT_MODE,		/* u8 enum pp_act_mode, default REQUIRED */
	PP_A_CFG_IDLE_TIMEOUT,		/* u32 seconds, default 300, 0 = off */
	PP_A_CFG_AUTH_TIMEOUT,		/* u32 seconds, default 0 = off */
	PP_A_CFG_RTP_PORT_MIN,		/* u16, default 20480 */
	PP_A_CFG_RTP_PORT_MAX,		/* u16, default 21680 */
	PP_A_CCM,			/* nest of enum pp_ccm_attr, may repeat */
	PP_A_USER,			/* nest of enum pp_user_attr, may repeat */
	PP_A_STATS,			/* nest of enum pp_stats_attr */
	PP_A_EVENT,			/* u8 enum pp_event */
	PP_A_REASON,			/* u8 enum pp_reason */
	PP_A_CFG_MEDIA_TIMEOUT,		/* u32 seconds, default 60, 0 = off */
	PP_A_CALL,			/* nest of enum pp_call_attr */
	PP_A_CFG_MAX_CONNS,		/* u32 1..PP_MAX_CONNS_MAX, default 4 */
	PP_A_CFG_MAX_STREAMS,		/* u32 1..PP_MAX_STREAMS_MAX, default 8 */
	PP_A_CLAIM,			/* nest of enum pp_claim_attr */
	PP_A_CFG_SRTP_SUITE,		/* u8 enum pp_srtp_suite_cfg, default _32 */
	/*
	 * The heartbeat pair's virtual addresses (docs/heartbeat.md): be32,
	 * 0 = none. Held by whichever node of the pair keepalived made
	 * master, so not required on an interface here; the north firewall
	 * offers TFTP and the activation web page at the virtual north
	 * address as at the north address.
	 */
	PP_A_CFG_VIRT_NORTH_ADDR,
	PP_A_CFG_VIRT_SOUTH_ADDR,
	__PP_A_MAX
};

#define PP_A_MAX (__PP_A_MAX - 1)

/*
 * The SRTP suite of the keys the module writes into the OpenReceiveChannel
 * and StartMediaTransmission going to secure phones (docs/srtp.md); the
 * values are SCCP's algorithm ids.
 */
enum pp_srtp_suite_cfg {
	PP_SRTP_SUITE_SHA1_32 = 1,	/* AES_CM_128_HMAC_SHA1_32 */
	PP_SRTP_SUITE_SHA1_80 = 2,	/* AES_CM_128_HMAC_SHA1_80 */
};

enum pp_act_mode {
	PP_ACT_MODE_REQUIRED,
	PP_ACT_MODE_OPEN,
	__PP_ACT_MODE_MAX
};

#define PP_ACT_MODE_MAX (__PP_ACT_MODE_MAX - 1)

enum pp_ccm_attr {
	PP_CCM_A_UNSPEC,
	PP_CCM_A_NAME,			/* string */
	PP_CCM_A_ADDR,			/* be32 */
	PP_CCM_A_DEFAULT,		/* u8 0/1 */
	__PP_CCM_A_MAX
};

#define PP_CCM_A_MAX (__PP_CCM_A_MAX - 1)

enum pp_user_attr {
	PP_USER_A_UNSPEC,
	PP_USER_A_NAME,			/* string, the login name */
	PP_USER_A_ID,			/* string, the Management Console's id */
	PP_USER_A_SID,			/* string, "SEP" + 12 hex digits */
	PP_USER_A_CCM,			/* string, CallManager name */
	PP_USER_A_ENABLED,		/* u8 0/1, default 1 */
	PP_USER_A_ADDR,			/* be32, activation address */
	PP_USER_A_ACTIVE_SECS,		/* u64, seconds since activation */
	PP_USER_A_REASON,		/* u8 enum pp_reason, how activated */
	PP_USER_A_CONNECTIONS,		/* u32, SCCP connections open now */
	PP_USER_A_CONNECTIONS_TOTAL,	/* u32, SCCP connections since activation */
	PP_USER_A_PAD,
	PP_USER_A_REGISTERED,		/* u32, of CONNECTIONS, registered now */
	PP_USER_A_CCM_ADDR,		/* be32, the CallManager this node sends the
					 * phone to (user replies); events: its
					 * connection's CallManager
					 */
	PP_USER_A_DEVICE,		/* string, events: the device it registered as */
	PP_USER_A_REMOTE_REGISTERED,	/* u8 0/1, registered through another node */
	__PP_USER_A_MAX
};

#define PP_USER_A_MAX (__PP_USER_A_MAX - 1)

enum pp_stats_attr {
	PP_STATS_A_UNSPEC,
	PP_STATS_A_ACCEPT_WEB,		/* u64, TCP 80/443 */
	PP_STATS_A_ACCEPT_ACTIVATED,	/* u64, service ports from activated */
	PP_STATS_A_ACCEPT_OPEN,		/* u64, service ports in open mode */
	PP_STATS_A_ACCEPT_REPLY,	/* u64, replies to the proxy's own */
	PP_STATS_A_DROP,		/* u64, everything else */
	PP_STATS_A_USERS,		/* u32, users published */
	PP_STATS_A_ACTIVATIONS,		/* u32, users active */
	PP_STATS_A_PAD,
	PP_STATS_A_SCCP_CONNS,		/* u64, SCCP connections proxied */
	PP_STATS_A_SCCP_OPEN,		/* u32, SCCP connections tracked now */
	PP_STATS_A_SCCP_REGISTERED,	/* u64, registrations (RegisterAck) */
	PP_STATS_A_SCCP_SID_MISMATCH,	/* u64, Register of another SID: reset */
	PP_STATS_A_SCCP_STREAM_ERRORS,	/* u64, malformed streams: reset */
	PP_STATS_A_SCCP_OOO,		/* u64, segments dropped (order) */
	PP_STATS_A_SCCP_REWRITES,	/* u64, address fields rewritten */
	PP_STATS_A_FWD_DROP,		/* u64, forwarded, not proxied: dropped */
	PP_STATS_A_MEDIA_STREAMS,	/* u32, media streams now */
	PP_STATS_A_MEDIA_STREAMS_TOTAL,	/* u64, media streams created */
	PP_STATS_A_MEDIA_PKTS,		/* u64, RTP/RTCP packets relayed */
	PP_STATS_A_MEDIA_BYTES,		/* u64, their bytes (IP length) */
	PP_STATS_A_MEDIA_DROPS,		/* u64, to a relay port, not relayed */
	PP_STATS_A_MEDIA_NO_PORT,	/* u64, streams refused: range exhausted */
	PP_STATS_A_MEDIA_TIMEOUTS,	/* u64, streams ended by the idle timeout */
	PP_STATS_A_MEDIA_CALLS,		/* u32, phones in a call (with media) now */
	PP_STATS_A_MEDIA_CALLS_TOTAL,	/* u64, calls: a phone's first stream */
	PP_STATS_A_SCCP_INCONSISTENT,	/* u64, contradict the stream: dropped */
	PP_STATS_A_SCCP_CONN_LIMIT,	/* u64, SYNs dropped: MAX_CONNS open */
	PP_STATS_A_MEDIA_UNOPENED,	/* u64, phone's media fields for a channel
					 * the CallManager did not open: refused
					 */
	PP_STATS_A_MEDIA_STREAM_LIMIT,	/* u64, streams refused: MAX_STREAMS */
	PP_STATS_A_MEDIA_PORT_DROPS,	/* u64, from the phone's address but not
					 * its latched source port: dropped
					 */
	PP_STATS_A_SCCP_CLAIMED,	/* u64, TLS connections handed over */
	PP_STATS_A_SCCP_PLAIN_REFUSED,	/* u64, plain SYNs refused: security on */
	/* SRTP in the relay (docs/srtp.md), the namespace's totals: */
	PP_STATS_A_SRTP_PROTECTED,	/* u64, packets encrypted to phones */
	PP_STATS_A_SRTP_UNPROTECTED,	/* u64, packets decrypted from phones */
	PP_STATS_A_SRTP_AUTH_FAIL,	/* u64, dropped: authentication failed */
	PP_STATS_A_SRTP_REPLAY,		/* u64, dropped: replayed or too old */
	PP_STATS_A_SRTP_PENDING,	/* u64, dropped: keyed, no context yet */
	PP_STATS_A_SRTP_OTHER,		/* u64, dropped: short, malformed, SSRC */
	PP_STATS_A_SRTP_EXPANDED,	/* u64, skb grown for the tag (copied) */
	PP_STATS_A_SRTP_KEYS,		/* u64, keys handed to the signalling */
	PP_STATS_A_SRTP_ALLOC_FAIL,	/* u64, contexts that could not be made */
	/* Open mode: phones not activated, to the AdHoCuSeR's CallManager. */
	PP_STATS_A_SCCP_ADHOC,		/* u64, their connections proxied */
	PP_STATS_A_SCCP_ADHOC_LIMIT,	/* u64, their SYNs dropped: a bound */
	/* SCCP stream buffers (byte rings), taken while bytes are in flight. */
	PP_STATS_A_SCCP_NOBUF,		/* u64, segments dropped: none to be had */
	PP_STATS_A_SCCP_RINGS,		/* u32, taken now */
	__PP_STATS_A_MAX
};

#define PP_STATS_A_MAX (__PP_STATS_A_MAX - 1)

/*
 * A media stream (PP_CMD_CALL_GET): one per (SCCP connection,
 * passThruPartyId). Ports are u16 in host order, 0 when not known yet.
 * "phone" counters are packets from the phone to the north relay port
 * (relayed to the far end); "far" counters from the far end to the south
 * relay port (relayed to the phone). Drops: packets to the stream's ports
 * that were not relayed (wrong source, destination not known yet, no
 * route).
 */
enum pp_call_attr {
	PP_CALL_A_UNSPEC,
	PP_CALL_A_USER,			/* string, the user ("" in open mode) */
	PP_CALL_A_PPID,			/* u32, passThruPartyId */
	PP_CALL_A_PHONE_ADDR,		/* be32, the phone's observed address */
	PP_CALL_A_PHONE_PORT,		/* u16, the port it announced */
	PP_CALL_A_PHONE_SRC_PORT,	/* u16, the port its RTP comes from */
	PP_CALL_A_NORTH_ADDR,		/* be32, where the phone sends */
	PP_CALL_A_NORTH_PORT,		/* u16, RTP; RTCP is + 1 */
	PP_CALL_A_SOUTH_ADDR,		/* be32, where the far end sends */
	PP_CALL_A_SOUTH_PORT,		/* u16, RTP; RTCP is + 1 */
	PP_CALL_A_FAR_ADDR,		/* be32, the far end (0: not known) */
	PP_CALL_A_FAR_PORT,		/* u16, the far end's RTP port */
	PP_CALL_A_RX,			/* u8 0/1, the phone receives */
	PP_CALL_A_TX,			/* u8 0/1, the phone sends */
	PP_CALL_A_SECS,			/* u32, seconds since the stream began */
	PP_CALL_A_IDLE_SECS,		/* u32, seconds since the last packet */
	PP_CALL_A_PAD,
	PP_CALL_A_PHONE_PKTS,		/* u64 */
	PP_CALL_A_PHONE_BYTES,		/* u64 */
	PP_CALL_A_PHONE_DROPS,		/* u64 */
	PP_CALL_A_FAR_PKTS,		/* u64 */
	PP_CALL_A_FAR_BYTES,		/* u64 */
	PP_CALL_A_FAR_DROPS,		/* u64 */
	/*
	 * SRTP (docs/srtp.md), present when a direction is keyed: the suite
	 * as SCCP's algorithmID (1 AES_CM_128_HMAC_SHA1_32, 2 _80) of what
	 * the phone receives (TX: the relay encrypts) and sends (RX: the
	 * relay decrypts), READY a bit per direction whose context is made
	 * (1 << 0 TX, 1 << 1 RX), then the stream's SRTP counters.
	 */
	PP_CALL_A_SRTP_TX_SUITE,	/* u8 */
	PP_CALL_A_SRTP_RX_SUITE,	/* u8 */
	PP_CALL_A_SRTP_READY,		/* u8 */
	PP_CALL_A_SRTP_PROTECTED,	/* u64 */
	PP_CALL_A_SRTP_UNPROTECTED,	/* u64 */
	PP_CALL_A_SRTP_AUTH_FAIL,	/* u64 */
	PP_CALL_A_SRTP_REPLAY,		/* u64 */
	PP_CALL_A_SRTP_PENDING,		/* u64 */
	PP_CALL_A_SRTP_OTHER,		/* u64 */
	PP_CALL_A_SRTP_EXPANDED,	/* u64 */
	__PP_CALL_A_MAX
};

#define PP_CALL_A_MAX (__PP_CALL_A_MAX - 1)

/* PP_CMD_SCCP_CLAIM: a TLS connection handed to the SCCP proxy. */
enum pp_claim_attr {
	PP_CLAIM_A_UNSPEC,
	PP_CLAIM_A_PEER_ADDR,		/* be32, the phone's north address */
	PP_CLAIM_A_PEER_PORT,		/* u16, its TCP port */
	PP_CLAIM_A_LOCAL_PORT,		/* u16, the socket's port on south */
	PP_CLAIM_A_DEVICE,		/* string, from the client certificate */
	PP_CLAIM_A_CCM_ADDR,		/* be32, reply: connect there */
	PP_CLAIM_A_CCM_PORT,		/* u16, reply */
	__PP_CLAIM_A_MAX
};

#define PP_CLAIM_A_MAX (__PP_CLAIM_A_MAX - 1)

enum pp_event {
	PP_EVENT_UNSPEC,
	PP_EVENT_ACTIVATED,
	PP_EVENT_INACTIVATED,
	PP_EVENT_CONFIG,		/* the configuration changed */
	PP_EVENT_REGISTERED,		/* a phone registered through the proxy */
	PP_EVENT_UNREGISTERED,		/* it no longer is (PP_A_REASON: why) */
	PP_EVENT_REFUSED,		/* it registered as another device: reset */
	__PP_EVENT_MAX
};

#define PP_EVENT_MAX (__PP_EVENT_MAX - 1)

enum pp_reason {
	PP_REASON_UNSPEC,
	PP_REASON_CLI,			/* the administrator (ppctl) */
	PP_REASON_WEB,			/* the user activation web page */
	PP_REASON_SOAP,			/* the activation web service */
	PP_REASON_OPEN,			/* open activation mode (TFTP) */
	PP_REASON_CLUSTER,		/* a cluster peer */
	PP_REASON_DISPLACED,		/* another user took the address */
	PP_REASON_MOVED,		/* the user activated elsewhere */
	PP_REASON_TIMEOUT_IDLE,		/* not connected for idle timeout */
	PP_REASON_TIMEOUT_AUTH,		/* auth timeout since activation */
	PP_REASON_UNPUBLISHED,		/* removed, disabled or SID changed */
	/* Why a registration ended (PP_EVENT_UNREGISTERED). */
	PP_REASON_UNREGISTER,		/* the phone unregistered (UnregisterAck) */
	PP_REASON_REJECTED,		/* the CallManager's RegisterReject */
	PP_REASON_CLOSED,		/* the connection closed (FIN or RST) */
	PP_REASON_STREAM_ERROR,		/* malformed SCCP: the proxy reset it */
	PP_REASON_RESET,		/* the proxy reset it (inactivation, security) */
	__PP_REASON_MAX
};

#define PP_REASON_MAX (__PP_REASON_MAX - 1)

#endif /* _UAPI_LINUX_PHONEPROXY_H */
