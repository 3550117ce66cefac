/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * The cluster (docs/cluster.md): pp-clusterd's messages, multicast in
 * agreed order to the nodes' pp-clusterd over a Corosync CPG group, and
 * its settings file.
 *
 * A message, all integers big-endian, every byte accounted for:
 *
 *	magic "PPCL" | version u8 (2) | type u8 | flags u16 (0)
 *	node u32 (the sender's Corosync node id) | seq u64 (per sender,
 *	from 1, increasing) | time u64 (sender's CLOCK_REALTIME, ms)
 *	body, by type:
 *	  ACTIVATE	name | addr be32 (a unicast IPv4 address)
 *	  INACTIVATE	name
 *	  SNAPSHOT	nfor u8 (1..PP_CLUSTER_FOR_MAX) | nfor x (node u32, pid u32)
 *			(the joiners it is for) | part u16 | parts u16 (part <
 *			parts) | after u32 (how many of the messages delivered
 *			since the join the snapshot holds already) | count u32
 *			| count x (name | addr be32)
 *	  PUBLISH	nfor u8 (0..PP_CLUSTER_FOR_MAX; 0: a publish for every
 *			node, else part of the snapshot for those joiners) |
 *			nfor x (node u32, pid u32) | part u16 | parts u16 |
 *			total u32 (1..PP_CLUSTER_FILE_MAX) | len u32 | len bytes
 *			(users.xml, cut in PP_CLUSTER_FILE_CHUNK-byte parts:
 *			parts = ceil(total / CHUNK), every part but the last
 *			full, so each part's offset is part * CHUNK)
 *	  SETTINGS	nfor u8 (as PUBLISH) | nfor x (node u32, pid u32) |
 *			sccp_security u8 (0/1) | act_mode u8 (enum pp_act_mode)
 *			| idle_timeout u32 | auth_timeout u32 (0..PP_TIMEOUT_MAX)
 *			| fields u8 (1..15, PP_CLUSTER_SET_*: the ones this
 *			message sets; a change names only what changed, so
 *			concurrent changes of different settings on two
 *			nodes both hold)
 *	  REGISTER	name | addr be32: the user's phone is registered through
 *			the sender's SCCP proxy now, from addr
 *	  UNREGISTER	name: no longer is (through the sender)
 *	  REGLIST	part u16 | parts u16 (part < parts) | count u32 |
 *			count x (name | addr be32): every registration through
 *			the sender, replacing what it said before (part 0
 *			clears them)
 *	  CERTS		nfor u8 (0..PP_CLUSTER_FOR_MAX; 0: the sender's own,
 *			for every node, else relayed in a snapshot for those
 *			joiners) | nfor x (node u32, pid u32) | owner u32 (the
 *			node whose certificates these are; the sender when nfor
 *			is 0) | north be32 (its north address, 0 unknown) |
 *			uuid 36 bytes (its proxy UUID, lowercase 8-4-4-4-12) |
 *			tftp_len u16 (1..PP_CLUSTER_CERT_MAX) | tftp_len bytes
 *			(the CCM+TFTP certificate, DER) | capf_len u16 | capf
 *			DER: the public certificates only, never a key
 *	  CTL		as PUBLISH (nfor, parts, total, len, bytes), the file
 *			being a CTL set (pp_cluster_ctl_parse): count u32
 *			(1..PP_CLUSTER_CTL_FILES) | count x (name_len u8 |
 *			name | len u32 (1..PP_TLV_FILE_MAX) | bytes), the first
 *			CTLFile.tlv, then CTLSEP<MAC>.tlv files
 *	name: len u8 (1..PP_NAME_MAX - 1) then len bytes, printable ASCII
 *	without a space (the module's user names are its login names)
 *
 * pp_cluster_decode() checks all of it: a message that fails is never
 * applied.
 */
#ifndef PP_CLUSTER_H
#define PP_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/phoneproxy.h>

#define PP_CLUSTER_MAGIC	"PPCL"
#define PP_CLUSTER_VERSION	4	/* 2: SNAPSHOT's after, PUBLISH, SETTINGS;
					 * 3: REGISTER, UNREGISTER, REGLIST;
					 * 4: CERTS, CTL */
#define PP_CLUSTER_HDR_LEN	28
#define PP_CLUSTER_FOR_MAX	32	/* joiners named by one snapshot */
#define PP_CLUSTER_SNAP_CHUNK	1024	/* entries per snapshot part */
#define PP_CLUSTER_MSG_MAX	(PP_CLUSTER_HDR_LEN + 1 + PP_CLUSTER_FOR_MAX * 8 + 12 + \
				 PP_CLUSTER_SNAP_CHUNK * (1 + PP_NAME_MAX + 4))
#define PP_CLUSTER_FILE_CHUNK	65536	/* users.xml bytes per PUBLISH part */
#define PP_CLUSTER_FILE_MAX	(32u << 20)	/* the largest users.xml replicated */
#define PP_CLUSTER_FILE_PARTS	(PP_CLUSTER_FILE_MAX / PP_CLUSTER_FILE_CHUNK)

enum pp_cluster_type {
	PP_CLUSTER_ACTIVATE = 1,
	PP_CLUSTER_INACTIVATE = 2,
	PP_CLUSTER_SNAPSHOT = 3,
	PP_CLUSTER_PUBLISH = 4,
	PP_CLUSTER_SETTINGS = 5,
	PP_CLUSTER_REGISTER = 6,
	PP_CLUSTER_UNREGISTER = 7,
	PP_CLUSTER_REGLIST = 8,
	PP_CLUSTER_CERTS = 9,
	PP_CLUSTER_CTL = 10,
};

#define PP_CLUSTER_CERT_MAX	8192	/* DER bytes of one certificate */
#define PP_CLUSTER_UUID_LEN	36
#define PP_CLUSTER_CTL_FILES	65536	/* CTLFile.tlv and a CTLSEP file per SID */

/* The settings the guide makes cluster-wide (docs/cluster.md). */
struct pp_cluster_settings {
	uint8_t sccp_security;		/* 0/1 */
	uint8_t act_mode;		/* enum pp_act_mode */
	uint32_t idle_timeout;		/* seconds, 0..PP_TIMEOUT_MAX */
	uint32_t auth_timeout;
	uint8_t fields;			/* PP_CLUSTER_SET_*: the ones set */
};

#define PP_CLUSTER_SET_SECURITY	0x01
#define PP_CLUSTER_SET_MODE	0x02
#define PP_CLUSTER_SET_IDLE	0x04
#define PP_CLUSTER_SET_AUTH	0x08
#define PP_CLUSTER_SET_ALL	0x0f

struct pp_cluster_entry {
	char name[PP_NAME_MAX];
	uint32_t addr;			/* network byte order */
};

struct pp_cluster_peer {
	uint32_t node, pid;
};

struct pp_cluster_msg {
	uint8_t type;			/* enum pp_cluster_type */
	uint32_t node;
	uint64_t seq;
	uint64_t time_ms;
	/* ACTIVATE, INACTIVATE, REGISTER, UNREGISTER */
	struct pp_cluster_entry user;
	/* SNAPSHOT, PUBLISH, SETTINGS, REGLIST (part, parts, count, entries) */
	unsigned int nfor;
	struct pp_cluster_peer forp[PP_CLUSTER_FOR_MAX];
	uint16_t part, parts;
	uint32_t after;
	uint32_t count;
	struct pp_cluster_entry *entries;	/* decode: malloc'd, count of them */
	/* PUBLISH (part, parts as above) */
	uint32_t total, len;
	const unsigned char *bytes;	/* decode: points into the decoded buffer */
	/* SETTINGS */
	struct pp_cluster_settings settings;
	/* CERTS (nfor, forp as above); cert[0] tftp, cert[1] capf: decode
	 * points into the decoded buffer */
	uint32_t owner;
	uint32_t north;			/* network byte order, 0 unknown */
	char uuid[PP_CLUSTER_UUID_LEN + 1];
	const unsigned char *cert[2];
	uint16_t cert_len[2];
};

/* Are these settings a SETTINGS message may carry? (err says why not) */
int pp_cluster_settings_check(const struct pp_cluster_settings *s, char *err, size_t errlen);
/* The PUBLISH parts of a file of total bytes (0 when total is not 1..FILE_MAX). */
unsigned int pp_cluster_file_parts(uint32_t total);

/* Is name a user name a message may carry? */
bool pp_cluster_name_ok(const char *name);

/*
 * Encode m into buf (at most len bytes). Returns the length, or -1 with
 * err when m is not valid (a bad name, address, count) or buf too small.
 */
long pp_cluster_encode(const struct pp_cluster_msg *m, unsigned char *buf, size_t len,
		       char *err, size_t errlen);
/*
 * Decode and validate buf. Returns 0 (free with pp_cluster_msg_free()),
 * or -1 with err saying what is wrong (m then holds nothing to free).
 */
int pp_cluster_decode(const unsigned char *buf, size_t len, struct pp_cluster_msg *m,
		      char *err, size_t errlen);
void pp_cluster_msg_free(struct pp_cluster_msg *m);
const char *pp_cluster_type_name(unsigned int type);

/*
 * The certificates of a CERTS message, validated beyond its layout: each
 * an X.509 certificate (DER, nothing after it) with an RSA key of 1024,
 * 2048 or 4096 bits (what the phones verify), CN=tftp<uuid> and
 * CN=capf<uuid> with the message's uuid. 0 or -1 with err.
 */
int pp_cluster_certs_check(const struct pp_cluster_msg *m, char *err, size_t errlen);
/* Is s a proxy UUID as the messages carry it (36 bytes, lowercase)? */
bool pp_cluster_uuid_ok(const char *s);

/* A CTL set: the signed CTL files of a node, replicated whole (CTL). */
struct pp_cluster_ctl_file {
	char name[32];			/* CTLFile.tlv or CTLSEP<12 hex>.tlv */
	const unsigned char *data;	/* points into the set's buffer */
	size_t len;
};

struct pp_cluster_ctlset {
	struct pp_cluster_ctl_file *files;	/* malloc'd; [0] is CTLFile.tlv */
	size_t n;
	unsigned char sha256[32];	/* of CTLFile.tlv */
};

/*
 * Read a node's CTL files from dir into one set (buf malloc'd): 1 when
 * there is no CTLFile.tlv, 0, or -1 with err.
 */
int pp_cluster_ctl_read(const char *dir, unsigned char **buf, size_t *len, char *err,
			size_t errlen);
/*
 * Parse and validate a set: its layout, each name once, each file a CTL
 * (pp_ctl_parse: every record, and its signature verified with the SAST
 * record that signed it) naming itself in its header, every file listing
 * the same certificates as CTLFile.tlv. 0 (free with
 * pp_cluster_ctlset_free) or -1 with err.
 */
int pp_cluster_ctl_parse(const unsigned char *buf, size_t len, struct pp_cluster_ctlset *set,
			 char *err, size_t errlen);
void pp_cluster_ctlset_free(struct pp_cluster_ctlset *set);
/*
 * Install a validated set in dir: each file written atomically (the
 * CTLSEP files first, CTLFile.tlv last), then the CTLSEP files the set
 * does not hold removed. 0 or -errno.
 */
int pp_cluster_ctl_install(const char *dir, const struct pp_cluster_ctlset *set);

/*
 * pp-clusterd's settings: $PP_CONF_DIR/clusterd.conf, lines of
 *
 *	group <name>		the CPG group (default "phoneproxy"), 1..127
 *				bytes of [A-Za-z0-9_.-]
 *	retry <seconds>		how often to try corosync again, 1..60 (2)
 *
 * '#' comments and blank lines allowed; an error names "file:line".
 */
#define PP_CLUSTERD_CONF_FILE	"clusterd.conf"
#define PP_CLUSTER_GROUP_MAX	128	/* CPG_MAX_NAME_LENGTH */

struct pp_clusterd_conf {
	char group[PP_CLUSTER_GROUP_MAX];
	unsigned int retry;
};

void pp_clusterd_conf_init(struct pp_clusterd_conf *c);
int pp_clusterd_conf_parse(const char *text, size_t len, const char *name,
			   struct pp_clusterd_conf *c, char *err, size_t errlen);
int pp_clusterd_conf_load(const char *path, bool missing_ok, struct pp_clusterd_conf *c,
			  char *err, size_t errlen);

#endif /* PP_CLUSTER_H */
