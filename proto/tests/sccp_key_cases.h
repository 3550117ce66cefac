/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The messages carrying a media key block, in each layout and length,
 * shared by the parser's key checks (sccp_cases.h) and the stream
 * tracker's key rewriting (sccp_stream_cases.h). Oracle: docs/sccp.md
 * "Media keys" and the protocol notes (sccp-protocol.md §7): ORC's block
 * at body offset 28 in every version, SMT's at 44 (old) or 60 (v17); 48
 * bytes, of which CUCM 4.x bodies carry the first 40 (through the salt).
 */
#ifndef _PP_SCCP_KEY_CASES_H
#define _PP_SCCP_KEY_CASES_H

#include "sccp_test.h"

/* A message carrying a key block, in each layout and length. */
struct sccp_t_key_msg {
	const char *desc;
	u32 id;
	u32 hv;
	u32 body;
	u32 key_at;		/* absolute body offsets of the key, the salt */
	u32 salt_at;		/* (sccp-protocol.md §7) */
	u8 blk_len;
};

static const struct sccp_t_key_msg sccp_t_key_msgs[] = {
	{ "ORC body 68 (CUCM 4.x: through the salt)", SCCP_OPEN_RECV_CHAN, 0,
	  68, 36, 52, 40 },
	{ "ORC body 92 (hv 0)", SCCP_OPEN_RECV_CHAN, 0, 92, 36, 52, 48 },
	{ "ORC body 108 (hv 0x0b)", SCCP_OPEN_RECV_CHAN, 0x0b, 108, 36, 52, 48 },
	{ "ORC body 112 (hv 0x10)", SCCP_OPEN_RECV_CHAN, 0x10, 112, 36, 52, 48 },
	{ "ORC v17 body 128 (hv 0x14)", SCCP_OPEN_RECV_CHAN, 0x14, 128, 36, 52,
	  48 },
	{ "ORC v21 body 168 (hv 0x15)", SCCP_OPEN_RECV_CHAN, 0x15, 168, 36, 52,
	  48 },
	{ "SMT old body 84 (CUCM 4.x: through the salt)", SCCP_START_MEDIA_TX,
	  0, 84, 52, 68, 40 },
	{ "SMT old body 112 (hv 0)", SCCP_START_MEDIA_TX, 0, 112, 52, 68, 48 },
	{ "SMT old body 116 (hv 0x0f)", SCCP_START_MEDIA_TX, 0x0f, 116, 52, 68,
	  48 },
	{ "SMT v17 body 132 (hv 0x14)", SCCP_START_MEDIA_TX, 0x14, 132, 68, 84,
	  48 },
	{ "SMT v17 body 132, hv 0 (Asterisk)", SCCP_START_MEDIA_TX, 0, 132, 68,
	  84, 48 },
	{ "SMT v21 body 168 (hv 0x15)", SCCP_START_MEDIA_TX, 0x15, 168, 68, 84,
	  48 },
};

/* @k: a valid key of @alg whose bytes start at @seed. */
static inline void sccp_t_key_fill(struct sccp_media_key *k, u32 alg, u8 seed)
{
	unsigned int i;

	memset(k, 0, sizeof(*k));
	k->alg = alg;
	if (alg == SCCP_KEY_NONE)
		return;
	k->key_len = SCCP_KEY_AES_CM_KEY;
	k->salt_len = SCCP_KEY_AES_CM_SALT;
	for (i = 0; i < k->key_len; i++)
		k->key[i] = (u8)(seed + i);
	for (i = 0; i < k->salt_len; i++)
		k->salt[i] = (u8)(seed + 0x40 + i);
}

/*
 * @buf (@size bytes, exactly): the header of @c->id and @c->hv, a body
 * of @size - 12 bytes no byte of which is zero (nothing but the block
 * may move), except the v17 window of an hv-0 SMT of 132 bytes or more:
 * ipAddrType 0, an IPv4 address, zeros.
 */
static inline void sccp_t_key_pdu(u8 *buf, u32 size,
				  const struct sccp_t_key_msg *c)
{
	u32 i;

	sccp_put_le32(buf, size - 8);
	sccp_put_le32(buf + 4, c->hv);
	sccp_put_le32(buf + 8, c->id);
	for (i = SCCP_HDR_LEN; i < size; i++)
		buf[i] = (u8)(0xc0 | (i & 0x3f));
	if (size >= SCCP_HDR_LEN + 132 && c->id == SCCP_START_MEDIA_TX &&
	    !c->hv)
		for (i = 8; i < 28; i++)
			buf[SCCP_HDR_LEN + i] = i >= 12 && i < 16 ? 0xcb : 0;
}

#endif /* _PP_SCCP_KEY_CASES_H */
