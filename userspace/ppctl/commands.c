// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The table of ppctl commands: the guide's CLI grammar, lower case,
 * exact-match keywords.
 */
#include <stddef.h>

#include "exec.h"

/* A declared setting: its "set" and its "unset" (back to the default),
 * both run by the table-driven ppctl_do_set(). */
#define SETTING(id)	{ .setting = &pp_settings[id], .handler = ppctl_do_set }, \
			{ .setting = &pp_settings[id], .unset = true, .handler = ppctl_do_set }

const struct ppctl_cmd_def ppctl_commands[] = {
	{ .words = "help", .handler = ppctl_do_help,
	  .help = "list the commands (\"help <words>\", \"? <words>\", \"<words> ?\": those starting with the words)" },

	/* The guide's "User Activation" (CLI) and "show user". */
	{ .words = "set user active name <user> address <ip:phone-ip>", .handler = ppctl_do_user_active,
	  .help = "activate an account for the phone at this address (its WAN address behind NAT)",
	  .fail_tag = "UserAuthFailure", .tag_depth = 3 },
	{ .words = "set user inactive name <user>", .handler = ppctl_do_user_inactive,
	  .help = "inactivate an account now" },
	{ .words = "show user", .handler = ppctl_do_show_user,
	  .help = "the users: SID, address or [inactive], time active, connections; in a cluster, the node each phone is registered through, by name (cluster.xml's, else corosync's nodelist's, else its id)" },
	{ .words = "show user name <user>", .handler = ppctl_do_show_user,
	  .help = "... that user only" },

	/* The Management Console's "Publish". */
	{ .words = "publish <file>", .handler = ppctl_do_publish,
	  .help = "validate a users.xml and make it the CallManager and user table" },
	/* The Management Console's "Import/Export" (docs/users-csv.md). */
	{ .words = "import users <file>", .handler = ppctl_do_import_users,
	  .help = "publish the users of a CSV (passwords in clear are hashed) with the published CallManagers; a bad row: nothing changes" },
	{ .words = "export users {csv|xml|template} <file>", .handler = ppctl_do_export_users,
	  .help = "write the published users as CSV or users.xml, or the CSV template (\"-\": standard output)" },

	/* Activation settings. */
	SETTING(PP_S_IDLE_TIMEOUT),
	SETTING(PP_S_AUTH_TIMEOUT),
	SETTING(PP_S_ACT_MODE),

	/* Services. */
	SETTING(PP_S_HTTP),
	SETTING(PP_S_HTTPPROXY),
	SETTING(PP_S_SCCP_SECURITY),
	SETTING(PP_S_RTP_PORTS),
	SETTING(PP_S_MEDIA_TIMEOUT),
	SETTING(PP_S_MAX_CONNS),
	SETTING(PP_S_MAX_STREAMS),
	SETTING(PP_S_SRTP_SUITE),

	/* pp-httpd (userspace settings in $PP_CONF_DIR/httpd.conf). */
	SETTING(PP_S_HTTP_PUBLISH),
	SETTING(PP_S_HTTP_MAX_CONNS),
	SETTING(PP_S_HTTP_PER_ADDR),
	SETTING(PP_S_HTTP_HEADER_TIMEOUT),
	SETTING(PP_S_HTTP_BODY_TIMEOUT),
	SETTING(PP_S_HTTPPROXY_ALLOW),
	SETTING(PP_S_HTTPPROXY_MODE),
	SETTING(PP_S_HTTPPROXY_EXTERNAL),
	/* pp-tftpd (userspace settings in $PP_CONF_DIR/tftpd.conf). */
	SETTING(PP_S_TFTP_CACHE_TTL), SETTING(PP_S_TFTP_CACHE_SIZE),
	SETTING(PP_S_TFTP_MAX_FILE), SETTING(PP_S_TFTP_MAX_CONFIG), SETTING(PP_S_TFTP_UP_TIMEOUT),
	SETTING(PP_S_TFTP_UP_BLKSIZE), SETTING(PP_S_TFTP_RETRANSMIT),
	SETTING(PP_S_TFTP_RETRANSMIT_MAX), SETTING(PP_S_TFTP_RETRIES),
	SETTING(PP_S_TFTP_MAX_BLKSIZE), SETTING(PP_S_TFTP_RATE), SETTING(PP_S_TFTP_BURST),
	SETTING(PP_S_TFTP_MAX_TRANSFERS), SETTING(PP_S_TFTP_PER_ADDR), SETTING(PP_S_TFTP_LIFETIME),
	SETTING(PP_S_TFTP_MAX_TIMEOUT), SETTING(PP_S_TFTP_REPLY_PORT),
	/* pp-tlsd (secure SCCP's TLS; $PP_CONF_DIR/tlsd.conf). */
	SETTING(PP_S_TLS_CAFILE), SETTING(PP_S_TLS_HANDSHAKE_TIMEOUT), SETTING(PP_S_TLS_MAX_CONNS),
	SETTING(PP_S_TLS_PER_ADDR), SETTING(PP_S_TLS_MAX_HANDSHAKES),
	{ .words = "show phoneproxy httpproxy", .handler = ppctl_do_show_httpproxy,
	  .help = "the HTTP proxy: state, mode, external address, allow list" },

	/* The guide's "Certificate Management". */
	{ .words = "set certificate selfsigned", .handler = ppctl_do_cert_selfsigned,
	  .help = "make and install a self-signed certificate (2048 bits) for both interfaces" },
	{ .words = "set certificate selfsigned tag <tag:certtag>",
	  .handler = ppctl_do_cert_selfsigned,
	  .help = "... for https-north, https-south or https (both)" },
	{ .words = "set certificate selfsigned tag <tag:certtag> keysize <bits:keysize>",
	  .handler = ppctl_do_cert_selfsigned,
	  .help = "... with a 1024- or 2048-bit key" },
	{ .words = "set certificate install <file>", .handler = ppctl_do_cert_install,
	  .help = "install a certificate (PEM key + certificate) of the incoming directory, for both interfaces" },
	{ .words = "set certificate install <file> tag <tag:certtag>",
	  .handler = ppctl_do_cert_install,
	  .help = "... for one interface" },
	{ .words = "show certificate", .handler = ppctl_do_show_cert,
	  .help = "the certificates available (incoming) and installed" },
	{ .words = "show certificate status", .handler = ppctl_do_show_cert_status,
	  .help = "the installed certificates and what each interface serves" },
	{ .words = "show certificate <file>", .handler = ppctl_do_show_cert_file,
	  .help = "the contents of a certificate file" },
	{ .words = "delete certificate <pattern:pattern>", .handler = ppctl_do_delete_cert,
	  .help = "delete the certificates (available or installed) whose file names match" },

	/* Secure SCCP (docs/ctl.md): the guide's "Enabling Secure Communications". */
	{ .words = "set certificate regenerate {tftp|capf}", .handler = ppctl_do_cert_regenerate,
	  .help = "replace the proxy's secure SCCP certificate (then rebuild the CTL)" },
	{ .words = "set ctl sast {sast1|sast2} generate", .handler = ppctl_do_ctl_sast_generate,
	  .help = "make a SAST signing key (RSA 2048, self-signed): the guide's eToken" },
	{ .words = "set ctl sast {sast1|sast2} import <file>", .handler = ppctl_do_ctl_sast_import,
	  .help = "take a SAST key (PEM key + certificate) from the incoming directory" },
	{ .words = "delete ctl sast {sast1|sast2}", .handler = ppctl_do_ctl_sast_delete,
	  .help = "delete a SAST key (sign the next CTL with the other one)" },
	{ .words = "set ctl build", .handler = ppctl_do_ctl_build,
	  .help = "build and sign the CTL (CTLFile.tlv, CTLSEP<MAC>.tlv per published user) listing every cluster node's certificates; pp-clusterd sends it to every node" },
	{ .words = "set ctl build signer {sast1|sast2}", .handler = ppctl_do_ctl_build,
	  .help = "... signed by this SAST key" },
	{ .words = "set ctl build force", .handler = ppctl_do_ctl_build,
	  .help = "... even if the phones' current CTL does not hold the signer (erase it on the phones)" },
	{ .words = "set ctl build signer {sast1|sast2} force", .handler = ppctl_do_ctl_build,
	  .help = "... both" },
	{ .words = "show ctl", .handler = ppctl_do_show_ctl,
	  .help = "the CTL's records (role, subject, serial, address, fingerprints) and the SAST keys" },

	/* The web service's administrator ("admin"). */
	{ .words = "set password", .handler = ppctl_do_set_password,
	  .help = "set the admin password of the activation web service (a strong one)" },
	{ .words = "unset password", .handler = ppctl_do_unset_password,
	  .help = "remove it: the web service's login is refused" },

	/* Interface roles: the host owns addressing, ppctl picks roles. */
	SETTING(PP_S_INTERFACE),
	/* The guide's "Heartbeat", its steps in order (docs/heartbeat.md). */
	SETTING(PP_S_VIRT_ADDR),
	SETTING(PP_S_HB_IFACE),
	SETTING(PP_S_HB_GROUP),
	SETTING(PP_S_HB_PEER),
	SETTING(PP_S_HB_MANAGE),
	SETTING(PP_S_HB_PREFERRED),
	SETTING(PP_S_HB_ENABLE),
	{ .words = "show interface", .handler = ppctl_do_show_interface,
	  .help = "the roles mgmt, north, south, cluster, virtnorth, virtsouth: address, active here, netmask, device; the virtual ones MASTER (enabled here) or BACKUP; the default gateway" },
	{ .words = "set interface {north|south} address <ip> netmask",
	  .reject = "\"netmask\" is not accepted: the host owns addressing (ip-address(8)); "
		    "ppctl only picks which of its addresses is north or south" },

	/* Looking. */
	{ .words = "show phoneproxy", .handler = ppctl_do_show_phoneproxy,
	  .help = "the running phoneproxy settings" },
	{ .words = "show callmanager", .handler = ppctl_do_show_callmanager,
	  .help = "the published CallManagers: name, address in use, default, host name when given by name" },
	{ .words = "refresh callmanager", .handler = ppctl_do_refresh_ccm,
	  .help = "resolve the CallManagers given by host name again; an address that changed is published, a name that no longer resolves keeps its last address (exit 1)" },
	{ .words = "show counters", .handler = ppctl_do_show_counters,
	  .help = "the north firewall's verdict counters and the table sizes" },
	{ .words = "show calls", .handler = ppctl_do_show_calls,
	  .help = "the media streams: user, ppid, phone, relay ports, far end, packets each way" },
	{ .words = "show stats", .handler = ppctl_do_show_stats,
	  .help = "SCCP registrations and resets, media streams, packets and drops by reason; TFTP requests, files served, denied by reason, rewritten, CallManager errors; pp-tlsd's TLS connections, handshakes, claims, refusals by cap" },
	{ .words = "show status", .handler = ppctl_do_show_status,
	  .help = "whether the proxy can work: module, north and south, IP forwarding, daemons; the counts" },
	{ .words = "show version", .handler = ppctl_do_show_version,
	  .help = "the versions of ppctl, of the loaded module (and its uapi), of the kernel" },
	{ .words = "show cluster", .handler = ppctl_do_show_cluster,
	  .help = "pp-clusterd's view: corosync up or down, quorate or not, this node's id and name, members (ids and names), in sync or not, messages sent, received, applied, dropped by reason, the nodes whose certificates it holds, whether its CTL is the cluster's" },
	SETTING(PP_S_TFTP_LOGLEVEL),	/* kept in tftpd.conf, applied by pp-logd */

	/* The guide's "System Logs" (docs/logs.md). */
	{ .words = "show log", .handler = ppctl_do_show_log, .options = true,
	  .help = "[-tail [N]] [-filter TEXT] [NAME]: a log (default phoneproxy.log), its last N lines, the lines matching TEXT (a regular expression: a SID, \"Tftp\")" },
	{ .words = "list log", .handler = ppctl_do_list_log, .options = true,
	  .help = "[PATTERN] [-nodetail]: the log files: size, last written, where phoneproxy.log points" },
	{ .words = "delete log <pattern:pattern>", .handler = ppctl_do_delete_log,
	  .help = "delete the log files whose names match (phoneproxy.log itself is kept)" },
	{ .words = "monitor", .handler = ppctl_do_monitor,
	  .help = "print activations and inactivations as they happen, until interrupted" },

	/* The guide's "Configuration Management". */
	{ .words = "show config running", .handler = ppctl_do_show_running,
	  .help = "the running configuration, as the commands that recreate it" },
	{ .words = "show config startup", .handler = ppctl_do_show_startup,
	  .help = "the configuration replayed at boot" },
	{ .words = "save config", .handler = ppctl_do_save_config,
	  .help = "make the running configuration the startup configuration" },

	{ .words = NULL }
};
