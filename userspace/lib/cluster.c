// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * pp-clusterd's message codec and settings (cluster.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "file.h"
#include "log.h"

bool pp_cluster_uuid_ok(const char *s)
{
	size_t i;

	if (strnlen(s, PP_CLUSTER_UUID_LEN + 1) != PP_CLUSTER_UUID_LEN)
		return false;
	for (i = 0; i < PP_CLUSTER_UUID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]) || !s[i])
			return false;
	}
	return true;
}

bool pp_cluster_name_ok(const char *name)
{
	size_t i, n = strnlen(name, PP_NAME_MAX);

	if (n == 0 || n >= PP_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return false;
	return true;
}

/* A unicast IPv4 address (network order): not 0/8, 127/8, 224/4 and up. */
static bool addr_ok(uint32_t addr)
{
	uint32_t a = ntohl(addr);

	return (a >> 24) != 0 && (a >> 24) != 127 && (a >> 28) < 14;
}

const char *pp_cluster_type_name(unsigned int type)
{
	switch (type) {
	case PP_CLUSTER_ACTIVATE:
		return "activate";
	case PP_CLUSTER_INACTIVATE:
		return "inactivate";
	case PP_CLUSTER_SNAPSHOT:
		return "snapshot";
	case PP_CLUSTER_PUBLISH:
		return "publish";
	case PP_CLUSTER_SETTINGS:
		return "settings";
	case PP_CLUSTER_REGISTER:
		return "register";
	case PP_CLUSTER_UNREGISTER:
		return "unregister";
	case PP_CLUSTER_REGLIST:
		return "reglist";
	case PP_CLUSTER_CERTS:
		return "certs";
	case PP_CLUSTER_CTL:
		return "ctl";
	}
	return NULL;
}

int pp_cluster_settings_check(const struct pp_cluster_settings *s, char *err, size_t errlen)
{
	if (s->sccp_security > 1)
		return pp_errf(err, errlen, "sccp security %u (0 or 1)", s->sccp_security);
	if (s->act_mode > PP_ACT_MODE_MAX)
		return pp_errf(err, errlen, "activation mode %u (0..%d)", s->act_mode,
			       PP_ACT_MODE_MAX);
	if (s->idle_timeout > PP_TIMEOUT_MAX)
		return pp_errf(err, errlen, "idle timeout %u s (0..%d)", s->idle_timeout,
			       PP_TIMEOUT_MAX);
	if (s->auth_timeout > PP_TIMEOUT_MAX)
		return pp_errf(err, errlen, "auth timeout %u s (0..%d)", s->auth_timeout,
			       PP_TIMEOUT_MAX);
	if (!s->fields || (s->fields & ~PP_CLUSTER_SET_ALL))
		return pp_errf(err, errlen, "settings fields 0x%x (1..0x%x)", s->fields,
			       PP_CLUSTER_SET_ALL);
	return 0;
}

unsigned int pp_cluster_file_parts(uint32_t total)
{
	if (total < 1 || total > PP_CLUSTER_FILE_MAX)
		return 0;
	return (total + PP_CLUSTER_FILE_CHUNK - 1) / PP_CLUSTER_FILE_CHUNK;
}

/* The bytes part of a file of total bytes carries (parts checked). */
static uint32_t file_part_len(uint32_t total, unsigned int part)
{
	uint32_t off = (uint32_t)part * PP_CLUSTER_FILE_CHUNK;

	return total - off < PP_CLUSTER_FILE_CHUNK ? total - off : PP_CLUSTER_FILE_CHUNK;
}

/* PUBLISH's part fields: err says what is wrong. */
static int file_part_check(uint32_t total, unsigned int part, unsigned int parts, uint32_t len,
			   char *err, size_t errlen)
{
	unsigned int want = pp_cluster_file_parts(total);

	if (!want)
		return pp_errf(err, errlen, "publish: file of %u bytes (1..%u)", total,
			       PP_CLUSTER_FILE_MAX);
	if (parts != want)
		return pp_errf(err, errlen, "publish: %u parts for %u bytes (%u expected)", parts,
			       total, want);
	if (part >= parts)
		return pp_errf(err, errlen, "publish: part %u of %u", part, parts);
	if (len != file_part_len(total, part))
		return pp_errf(err, errlen, "publish: part %u of %u bytes (%u expected)", part, len,
			       file_part_len(total, part));
	return 0;
}

/* CERTS's fields, but the certificates' contents (pp_cluster_certs_check). */
static int certs_layout_check(const struct pp_cluster_msg *m, char *err, size_t errlen)
{
	unsigned int i;

	if (!m->owner)
		return pp_errf(err, errlen, "certs: owner node 0");
	if (!m->nfor && m->owner != m->node)
		return pp_errf(err, errlen, "certs: of node %u sent by node %u outside a snapshot",
			       m->owner, m->node);
	if (m->north && !addr_ok(m->north))
		return pp_errf(err, errlen, "certs: north address is not a unicast IPv4 address");
	if (!pp_cluster_uuid_ok(m->uuid))
		return pp_errf(err, errlen, "certs: uuid \"%.36s\" is not 8-4-4-4-12 lowercase hex",
			       m->uuid);
	for (i = 0; i < 2; i++)
		if (!m->cert_len[i] || m->cert_len[i] > PP_CLUSTER_CERT_MAX || !m->cert[i])
			return pp_errf(err, errlen, "certs: %s certificate of %u bytes (1..%d)",
				       i ? "capf" : "tftp", m->cert_len[i], PP_CLUSTER_CERT_MAX);
	return 0;
}

/* ---- encoding ---- */

struct wbuf {
	unsigned char *p;
	size_t len, off;
	bool overflow;
};

static void put(struct wbuf *w, const void *src, size_t n)
{
	if (w->overflow || w->len - w->off < n) {
		w->overflow = true;
		return;
	}
	memcpy(w->p + w->off, src, n);
	w->off += n;
}

static void put_u8(struct wbuf *w, uint8_t v)
{
	put(w, &v, 1);
}

static void put_u16(struct wbuf *w, uint16_t v)
{
	v = htons(v);
	put(w, &v, 2);
}

static void put_u32(struct wbuf *w, uint32_t v)
{
	v = htonl(v);
	put(w, &v, 4);
}

static void put_u64(struct wbuf *w, uint64_t v)
{
	put_u32(w, (uint32_t)(v >> 32));
	put_u32(w, (uint32_t)v);
}

static int put_entry(struct wbuf *w, const struct pp_cluster_entry *e, bool with_addr,
		     char *err, size_t errlen)
{
	size_t n = strnlen(e->name, PP_NAME_MAX);

	if (!pp_cluster_name_ok(e->name))
		return pp_errf(err, errlen, "user name \"%.*s\": not 1..%d printable characters without a space",
			       (int)n, e->name, PP_NAME_MAX - 1);
	if (with_addr && !addr_ok(e->addr))
		return pp_errf(err, errlen, "user %s: address is not a unicast IPv4 address",
			       e->name);
	put_u8(w, (uint8_t)n);
	put(w, e->name, n);
	if (with_addr)
		put(w, &e->addr, 4);
	return 0;
}

long pp_cluster_encode(const struct pp_cluster_msg *m, unsigned char *buf, size_t len,
		       char *err, size_t errlen)
{
	struct wbuf w = { .p = buf, .len = len };
	uint32_t i;

	if (!pp_cluster_type_name(m->type))
		return pp_errf(err, errlen, "unknown message type %u", m->type);
	if (m->seq == 0)
		return pp_errf(err, errlen, "sequence 0 (they start at 1)");
	put(&w, PP_CLUSTER_MAGIC, 4);
	put_u8(&w, PP_CLUSTER_VERSION);
	put_u8(&w, m->type);
	put_u16(&w, 0);
	put_u32(&w, m->node);
	put_u64(&w, m->seq);
	put_u64(&w, m->time_ms);
	switch (m->type) {
	case PP_CLUSTER_ACTIVATE:
	case PP_CLUSTER_INACTIVATE:
	case PP_CLUSTER_REGISTER:
	case PP_CLUSTER_UNREGISTER:
		if (put_entry(&w, &m->user, m->type == PP_CLUSTER_ACTIVATE ||
			      m->type == PP_CLUSTER_REGISTER, err, errlen))
			return -1;
		break;
	case PP_CLUSTER_REGLIST:
		if (m->part >= m->parts)
			return pp_errf(err, errlen, "reglist part %u of %u", m->part, m->parts);
		if (m->count > PP_CLUSTER_SNAP_CHUNK)
			return pp_errf(err, errlen, "reglist part of %u entries (at most %d)",
				       m->count, PP_CLUSTER_SNAP_CHUNK);
		put_u16(&w, m->part);
		put_u16(&w, m->parts);
		put_u32(&w, m->count);
		for (i = 0; i < m->count; i++)
			if (put_entry(&w, &m->entries[i], true, err, errlen))
				return -1;
		break;
	case PP_CLUSTER_SNAPSHOT:
		if (m->nfor < 1 || m->nfor > PP_CLUSTER_FOR_MAX)
			return pp_errf(err, errlen, "snapshot for %u joiners (1..%d)", m->nfor,
				       PP_CLUSTER_FOR_MAX);
		if (m->part >= m->parts)
			return pp_errf(err, errlen, "snapshot part %u of %u", m->part, m->parts);
		if (m->count > PP_CLUSTER_SNAP_CHUNK)
			return pp_errf(err, errlen, "snapshot part of %u entries (at most %d)",
				       m->count, PP_CLUSTER_SNAP_CHUNK);
		put_u8(&w, (uint8_t)m->nfor);
		for (i = 0; i < m->nfor; i++) {
			put_u32(&w, m->forp[i].node);
			put_u32(&w, m->forp[i].pid);
		}
		put_u16(&w, m->part);
		put_u16(&w, m->parts);
		put_u32(&w, m->after);
		put_u32(&w, m->count);
		for (i = 0; i < m->count; i++)
			if (put_entry(&w, &m->entries[i], true, err, errlen))
				return -1;
		break;
	case PP_CLUSTER_PUBLISH:
	case PP_CLUSTER_SETTINGS:
	case PP_CLUSTER_CERTS:
	case PP_CLUSTER_CTL:
		if (m->nfor > PP_CLUSTER_FOR_MAX)
			return pp_errf(err, errlen, "%s for %u joiners (0..%d)",
				       pp_cluster_type_name(m->type), m->nfor, PP_CLUSTER_FOR_MAX);
		put_u8(&w, (uint8_t)m->nfor);
		for (i = 0; i < m->nfor; i++) {
			put_u32(&w, m->forp[i].node);
			put_u32(&w, m->forp[i].pid);
		}
		if (m->type == PP_CLUSTER_SETTINGS) {
			if (pp_cluster_settings_check(&m->settings, err, errlen))
				return -1;
			put_u8(&w, m->settings.sccp_security);
			put_u8(&w, m->settings.act_mode);
			put_u32(&w, m->settings.idle_timeout);
			put_u32(&w, m->settings.auth_timeout);
			put_u8(&w, m->settings.fields);
			break;
		}
		if (m->type == PP_CLUSTER_CERTS) {
			if (certs_layout_check(m, err, errlen))
				return -1;
			put_u32(&w, m->owner);
			put(&w, &m->north, 4);
			put(&w, m->uuid, PP_CLUSTER_UUID_LEN);
			for (i = 0; i < 2; i++) {
				put_u16(&w, m->cert_len[i]);
				put(&w, m->cert[i], m->cert_len[i]);
			}
			break;
		}
		if (file_part_check(m->total, m->part, m->parts, m->len, err, errlen))
			return -1;
		put_u16(&w, m->part);
		put_u16(&w, m->parts);
		put_u32(&w, m->total);
		put_u32(&w, m->len);
		put(&w, m->bytes, m->len);
		break;
	}
	if (w.overflow)
		return pp_errf(err, errlen, "message longer than %zu bytes", len);
	return (long)w.off;
}

/* ---- decoding ---- */

struct rbuf {
	const unsigned char *p;
	size_t len, off;
};

static bool get(struct rbuf *r, void *dst, size_t n)
{
	if (r->len - r->off < n)
		return false;
	memcpy(dst, r->p + r->off, n);
	r->off += n;
	return true;
}

static bool get_u8(struct rbuf *r, uint8_t *v)
{
	return get(r, v, 1);
}

static bool get_u16(struct rbuf *r, uint16_t *v)
{
	if (!get(r, v, 2))
		return false;
	*v = ntohs(*v);
	return true;
}

static bool get_u32(struct rbuf *r, uint32_t *v)
{
	if (!get(r, v, 4))
		return false;
	*v = ntohl(*v);
	return true;
}

static bool get_u64(struct rbuf *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (!get_u32(r, &hi) || !get_u32(r, &lo))
		return false;
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

static int get_entry(struct rbuf *r, struct pp_cluster_entry *e, bool with_addr,
		     char *err, size_t errlen)
{
	size_t at = r->off;
	uint8_t n;

	memset(e, 0, sizeof(*e));
	if (!get_u8(r, &n) || n == 0 || n >= PP_NAME_MAX)
		return pp_errf(err, errlen, "offset %zu: user name length missing or not 1..%d",
			       at, PP_NAME_MAX - 1);
	if (!get(r, e->name, n))
		return pp_errf(err, errlen, "offset %zu: user name cut short", at);
	if (strnlen(e->name, n) != n || !pp_cluster_name_ok(e->name))
		return pp_errf(err, errlen, "offset %zu: user name with a byte that is not printable ASCII or a space",
			       at);
	if (with_addr && !get(r, &e->addr, 4))
		return pp_errf(err, errlen, "user %s: address cut short", e->name);
	if (with_addr && !addr_ok(e->addr))
		return pp_errf(err, errlen, "user %s: address is not a unicast IPv4 address",
			       e->name);
	return 0;
}

int pp_cluster_decode(const unsigned char *buf, size_t len, struct pp_cluster_msg *m,
		      char *err, size_t errlen)
{
	struct rbuf r = { .p = buf, .len = len };
	uint8_t version, nfor;
	const char *what;
	uint16_t flags;
	char magic[4];
	uint32_t i;

	memset(m, 0, sizeof(*m));
	if (len < PP_CLUSTER_HDR_LEN)
		return pp_errf(err, errlen, "%zu bytes: shorter than the %d-byte header", len,
			       PP_CLUSTER_HDR_LEN);
	if (len > PP_CLUSTER_MSG_MAX)
		return pp_errf(err, errlen, "%zu bytes: longer than %d", len, PP_CLUSTER_MSG_MAX);
	get(&r, magic, 4);
	if (memcmp(magic, PP_CLUSTER_MAGIC, 4))
		return pp_errf(err, errlen, "bad magic (not a pp-clusterd message)");
	get_u8(&r, &version);
	if (version != PP_CLUSTER_VERSION)
		return pp_errf(err, errlen, "version %u (this node speaks %d)", version,
			       PP_CLUSTER_VERSION);
	get_u8(&r, &m->type);
	if (!pp_cluster_type_name(m->type))
		return pp_errf(err, errlen, "unknown message type %u", m->type);
	get_u16(&r, &flags);
	if (flags)
		return pp_errf(err, errlen, "flags 0x%x (none defined)", flags);
	get_u32(&r, &m->node);
	get_u64(&r, &m->seq);
	get_u64(&r, &m->time_ms);
	if (m->seq == 0)
		return pp_errf(err, errlen, "sequence 0 (they start at 1)");
	switch (m->type) {
	case PP_CLUSTER_ACTIVATE:
	case PP_CLUSTER_INACTIVATE:
	case PP_CLUSTER_REGISTER:
	case PP_CLUSTER_UNREGISTER:
		if (get_entry(&r, &m->user, m->type == PP_CLUSTER_ACTIVATE ||
			      m->type == PP_CLUSTER_REGISTER, err, errlen))
			return -1;
		break;
	case PP_CLUSTER_SNAPSHOT:
	case PP_CLUSTER_REGLIST:
		what = pp_cluster_type_name(m->type);
		if (m->type == PP_CLUSTER_SNAPSHOT) {
			if (!get_u8(&r, &nfor) || nfor < 1 || nfor > PP_CLUSTER_FOR_MAX)
				return pp_errf(err, errlen, "snapshot: joiner count missing or not 1..%d",
					       PP_CLUSTER_FOR_MAX);
			m->nfor = nfor;
			for (i = 0; i < nfor; i++)
				if (!get_u32(&r, &m->forp[i].node) || !get_u32(&r, &m->forp[i].pid))
					return pp_errf(err, errlen, "snapshot: joiner %u cut short", i);
		}
		if (!get_u16(&r, &m->part) || !get_u16(&r, &m->parts) ||
		    (m->type == PP_CLUSTER_SNAPSHOT && !get_u32(&r, &m->after)) ||
		    !get_u32(&r, &m->count))
			return pp_errf(err, errlen, "%s: part header cut short", what);
		if (m->part >= m->parts)
			return pp_errf(err, errlen, "%s: part %u of %u", what, m->part, m->parts);
		if (m->count > PP_CLUSTER_SNAP_CHUNK)
			return pp_errf(err, errlen, "%s: %u entries in a part (at most %d)", what,
				       m->count, PP_CLUSTER_SNAP_CHUNK);
		/* Each entry takes at least 6 bytes: refuse before allocating. */
		if ((size_t)m->count * 6 > r.len - r.off)
			return pp_errf(err, errlen, "%s: %u entries cannot fit in %zu bytes", what,
				       m->count, r.len - r.off);
		if (m->count) {
			m->entries = calloc(m->count, sizeof(*m->entries));
			if (!m->entries)
				return pp_errf(err, errlen, "out of memory");
		}
		for (i = 0; i < m->count; i++)
			if (get_entry(&r, &m->entries[i], true, err, errlen)) {
				pp_cluster_msg_free(m);
				return -1;
			}
		break;
	case PP_CLUSTER_PUBLISH:
	case PP_CLUSTER_SETTINGS:
	case PP_CLUSTER_CERTS:
	case PP_CLUSTER_CTL:
		if (!get_u8(&r, &nfor) || nfor > PP_CLUSTER_FOR_MAX)
			return pp_errf(err, errlen, "%s: joiner count missing or not 0..%d",
				       pp_cluster_type_name(m->type), PP_CLUSTER_FOR_MAX);
		m->nfor = nfor;
		for (i = 0; i < nfor; i++)
			if (!get_u32(&r, &m->forp[i].node) || !get_u32(&r, &m->forp[i].pid))
				return pp_errf(err, errlen, "%s: joiner %u cut short",
					       pp_cluster_type_name(m->type), i);
		if (m->type == PP_CLUSTER_SETTINGS) {
			if (!get_u8(&r, &m->settings.sccp_security) ||
			    !get_u8(&r, &m->settings.act_mode) ||
			    !get_u32(&r, &m->settings.idle_timeout) ||
			    !get_u32(&r, &m->settings.auth_timeout) ||
			    !get_u8(&r, &m->settings.fields))
				return pp_errf(err, errlen, "settings: cut short");
			if (pp_cluster_settings_check(&m->settings, err, errlen))
				return -1;
			break;
		}
		if (m->type == PP_CLUSTER_CERTS) {
			if (!get_u32(&r, &m->owner) || !get(&r, &m->north, 4) ||
			    !get(&r, m->uuid, PP_CLUSTER_UUID_LEN))
				return pp_errf(err, errlen, "certs: cut short");
			for (i = 0; i < 2; i++) {
				if (!get_u16(&r, &m->cert_len[i]) ||
				    r.len - r.off < m->cert_len[i])
					return pp_errf(err, errlen, "certs: %s certificate cut short",
						       i ? "capf" : "tftp");
				m->cert[i] = r.p + r.off;
				r.off += m->cert_len[i];
			}
			if (certs_layout_check(m, err, errlen))
				return -1;
			break;
		}
		if (!get_u16(&r, &m->part) || !get_u16(&r, &m->parts) ||
		    !get_u32(&r, &m->total) || !get_u32(&r, &m->len))
			return pp_errf(err, errlen, "publish: part header cut short");
		if (file_part_check(m->total, m->part, m->parts, m->len, err, errlen))
			return -1;
		if (r.len - r.off < m->len)
			return pp_errf(err, errlen, "publish: part %u cut short (%zu of %u bytes)",
				       m->part, r.len - r.off, m->len);
		m->bytes = r.p + r.off;
		r.off += m->len;
		break;
	}
	if (r.off != len) {
		pp_cluster_msg_free(m);
		return pp_errf(err, errlen, "%zu trailing bytes after the %s message", len - r.off,
			       pp_cluster_type_name(m->type));
	}
	return 0;
}

void pp_cluster_msg_free(struct pp_cluster_msg *m)
{
	free(m->entries);
	m->entries = NULL;
	m->count = 0;
}

/* ---- settings ---- */

void pp_clusterd_conf_init(struct pp_clusterd_conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->group, sizeof(c->group), "phoneproxy");
	c->retry = 2;
}

static bool group_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= PP_CLUSTER_GROUP_MAX)
		return false;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

int pp_clusterd_conf_parse(const char *text, size_t len, const char *name,
			   struct pp_clusterd_conf *c, char *err, size_t errlen)
{
	struct pp_clusterd_conf n;
	const char *p = text, *end = text + len;
	unsigned int line = 0;

	pp_clusterd_conf_init(&n);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char buf[512], key[32], val[256], extra[2];
		int k;

		line++;
		if (l >= sizeof(buf))
			return pp_errf(err, errlen, "%s:%u: line longer than %zu bytes", name, line,
				       sizeof(buf) - 1);
		memcpy(buf, p, l);
		buf[l] = '\0';
		p += l + (nl ? 1 : 0);
		if (memchr(buf, '\0', l))
			return pp_errf(err, errlen, "%s:%u: NUL byte", name, line);
		k = sscanf(buf, " %31s %255s %1s", key, val, extra);
		if (k <= 0 || key[0] == '#')
			continue;
		if (k == 3 && extra[0] != '#')
			return pp_errf(err, errlen, "%s:%u: \"%s\" takes one value", name, line, key);
		if (!strcmp(key, "group")) {
			if (k < 2 || !group_ok(val))
				return pp_errf(err, errlen, "%s:%u: group: a name of 1..%d letters, digits, '_', '.' or '-' expected",
					       name, line, PP_CLUSTER_GROUP_MAX - 1);
			snprintf(n.group, sizeof(n.group), "%s", val);
		} else if (!strcmp(key, "retry")) {
			char *e;
			unsigned long v;

			errno = 0;
			v = k < 2 ? 0 : strtoul(val, &e, 10);
			if (k < 2 || errno || *e || val[0] == '-' || v < 1 || v > 60)
				return pp_errf(err, errlen, "%s:%u: retry: seconds 1..60 expected",
					       name, line);
			n.retry = (unsigned int)v;
		} else {
			return pp_errf(err, errlen, "%s:%u: unknown setting \"%s\" (group, retry)",
				       name, line, key);
		}
	}
	*c = n;
	return 0;
}

int pp_clusterd_conf_load(const char *path, bool missing_ok, struct pp_clusterd_conf *c,
			  char *err, size_t errlen)
{
	char *text;
	size_t len;
	int rc = pp_file_read(path, 64 << 10, &text, &len);

	if (rc == -ENOENT && missing_ok) {
		pp_clusterd_conf_init(c);
		return 0;
	}
	if (rc)
		return pp_errf(err, errlen, "%s: %s", path, strerror(-rc));
	rc = pp_clusterd_conf_parse(text, len, path, c, err, errlen);
	free(text);
	return rc;
}
