// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * SCCP wire parser. Every read is bounded by both the bytes available and
 * the PDU size taken from the header; nothing loops over input.
 */
#include "sccp.h"

#define BODY(b)		(SCCP_HDR_LEN + (b))

/* Pseudo shape bit: "an address in the message's layout". */
#define EP_ADDR		0x80

/* ServerRes: old bodies are 280 bytes, v17 ones 360; chosen by length. */
#define SERVER_RES_OLD_MAX	288

struct dec {
	const u8 *p;
	u32 avail;		/* bytes of the PDU available, <= size */
	u32 size;		/* PDU size */
	u32 need;		/* highest PDU offset read + 1, <= size */
	bool v17;
	int err;
	struct sccp_msg *m;
};

int sccp_frame(const u8 *p, size_t len, struct sccp_hdr *hdr)
{
	u32 length;

	if (len < SCCP_HDR_LEN)
		return SCCP_E_NEED_HDR;
	length = sccp_get_le32(p);
	if (length < SCCP_MIN_LENGTH)
		return SCCP_E_LENGTH;
	if (length > SCCP_MAX_PDU - 8)
		return SCCP_E_TOO_BIG;
	hdr->length = length;
	hdr->version = sccp_get_le32(p + 4);
	hdr->id = sccp_get_le32(p + 8);
	hdr->size = length + 8;
	if (hdr->version > SCCP_MAX_VERSION)
		return SCCP_E_VERSION;
	return 0;
}

static void want(struct dec *d, u32 end)
{
	if (end > d->size)
		end = d->size;
	if (end > d->need)
		d->need = end;
}

/* A field of @n bytes at body offset @b: present in the PDU and seen. */
static bool seen(struct dec *d, u32 b, u32 n)
{
	u32 end = BODY(b) + n;

	want(d, end);
	return end <= d->size && end <= d->avail;
}

static void get32(struct dec *d, u32 b, u32 *v, u32 flag)
{
	if (seen(d, b, 4)) {
		*v = sccp_get_le32(d->p + BODY(b));
		d->m->fields |= flag;
	}
}

static void get_proto(struct dec *d, u32 b)
{
	if (seen(d, b, 1)) {
		d->m->proto = d->p[BODY(b)];
		d->m->fields |= SCCP_F_PROTO;
	}
}

static void get_name(struct dec *d)
{
	if (seen(d, 0, 16)) {
		memcpy(d->m->name, d->p + BODY(0), 16);
		d->m->name[16] = '\0';
		d->m->fields |= SCCP_F_NAME;
	}
}

static u32 comp_len(u8 bit)
{
	return bit == SCCP_EP_IP16 ? 16 : 4;
}

static void ep_read(struct sccp_ep *ep, const u8 *p)
{
	memset(&ep->val, 0, sizeof(ep->val));
	if (ep->shape & SCCP_EP_TYPE) {
		ep->val.type = sccp_get_le32(p);
		p += 4;
	}
	if (ep->shape & SCCP_EP_IP4) {
		memcpy(ep->val.ip, p, 4);
		p += 4;
	}
	if (ep->shape & SCCP_EP_IP16) {
		memcpy(ep->val.ip, p, 16);
		p += 16;
	}
	if (ep->shape & SCCP_EP_PORT) {
		ep->val.port = sccp_get_le32(p);
		p += 4;
	}
	if (ep->shape & SCCP_EP_RTCP)
		ep->val.rtcp_port = sccp_get_le32(p);
	ep->known = true;
}

void sccp_ep_encode(const struct sccp_ep *ep, const struct sccp_addr *val,
		    u8 *out)
{
	if (ep->shape & SCCP_EP_TYPE) {
		sccp_put_le32(out, val->type);
		out += 4;
	}
	if (ep->shape & SCCP_EP_IP4) {
		memcpy(out, val->ip, 4);
		out += 4;
	}
	if (ep->shape & SCCP_EP_IP16) {
		memcpy(out, val->ip, 16);
		out += 16;
	}
	if (ep->shape & SCCP_EP_PORT) {
		sccp_put_le32(out, val->port);
		out += 4;
	}
	if (ep->shape & SCCP_EP_RTCP)
		sccp_put_le32(out, val->rtcp_port);
}

void sccp_addr_v4(struct sccp_addr *a, const u8 ip[4], u32 port)
{
	memset(a, 0, sizeof(*a));
	a->type = SCCP_IPTYPE_V4;
	memcpy(a->ip, ip, 4);
	a->port = port;
	a->rtcp_port = port + 1;
}

/*
 * Add the endpoint at body offset @b. Its fields are kept while entirely
 * inside the body; one cut by the end of the body is an error, the ones
 * after the end are absent. Returns the body offset just past the
 * endpoint in the message's layout, present or not.
 */
static u32 add_ep(struct dec *d, u32 b, u8 shape, u8 role, u8 index)
{
	static const u8 order[] = {
		SCCP_EP_TYPE, SCCP_EP_IP4, SCCP_EP_IP16, SCCP_EP_PORT,
		SCCP_EP_RTCP,
	};
	u32 start = BODY(b), o = start, len = 0;
	struct sccp_ep *ep;
	bool stop = false;
	u8 got = 0;
	unsigned int i;

	if (shape & EP_ADDR)
		shape = (shape & ~EP_ADDR) |
			(d->v17 ? SCCP_EP_TYPE | SCCP_EP_IP16 : SCCP_EP_IP4);
	for (i = 0; i < sizeof(order); i++) {
		u32 n = comp_len(order[i]);

		if (!(shape & order[i]))
			continue;
		if (!stop && o + n <= d->size) {
			got |= order[i];
			len += n;
		} else if (!stop) {
			if (o < d->size)
				d->err = SCCP_E_TRUNCATED;
			stop = true;
		}
		o += n;
	}
	if (!got || d->m->n_ep >= SCCP_MAX_EP)
		return o - SCCP_HDR_LEN;
	want(d, start + len);
	ep = &d->m->ep[d->m->n_ep++];
	ep->off = start;
	ep->len = len;
	ep->shape = got;
	ep->role = role;
	ep->index = index;
	if (start + len <= d->avail)
		ep_read(ep, d->p + start);
	return o - SCCP_HDR_LEN;
}

/*
 * Messages whose address layout is chosen per message: @sw is the body
 * offset of the address that is IPv4 (old) or ipAddrType + 16 (v17),
 * @min the shortest v17 body.
 */
static bool layout_rule(u32 id, u32 *sw, u32 *min)
{
	switch (id) {
	case SCCP_OPEN_RECV_CHAN_ACK:
	case SCCP_OPEN_MM_RECV_CHAN_ACK:
		*sw = 4;
		*min = 36;
		return true;
	case SCCP_START_MEDIA_TX:
		*sw = 8;
		*min = 132;
		return true;
	case SCCP_OPEN_RECV_CHAN:
		*sw = 100;
		*min = 128;
		return true;
	case SCCP_START_MEDIA_TX_ACK:
	case SCCP_START_MM_TX_ACK:
		*sw = 12;
		*min = 40;
		return true;
	case SCCP_MEDIA_TX_FAILURE:
		*sw = 8;
		*min = 36;
		return true;
	case SCCP_START_MCAST_RX:
		*sw = 8;
		*min = 52;
		return true;
	case SCCP_START_MCAST_TX:
		*sw = 8;
		*min = 60;
		return true;
	case SCCP_PORT_RES:
		*sw = 12;
		*min = 40;
		return true;
	case SCCP_START_MM_TX:
		*sw = 12;
		*min = 40;
		return true;
	case SCCP_REGISTER_TOKEN_REQ:
		*sw = 32;
		*min = 52;
		return true;
	}
	return false;
}

u32 sccp_layout_point(u32 id)
{
	u32 sw, min;

	return layout_rule(id, &sw, &min) ? BODY(sw) : 0;
}

/*
 * Does the v17 window (@n of its 20 bytes available) look like
 * ipAddrType 0/1/2 and, for type 0, an IPv4 address followed by 12 zero
 * bytes? -1: no (whatever follows); 1: yes, all seen; 0: so far yes.
 */
static int window_check(const u8 *w, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (i == 0 && w[0] > SCCP_IPTYPE_BOTH)
			return -1;
		if (i >= 1 && i <= 3 && w[i])
			return -1;
		if (i >= 8 && w[0] == SCCP_IPTYPE_V4 && w[i])
			return -1;
	}
	return n == SCCP_LAYOUT_WINDOW ? 1 : 0;
}

/*
 * The layout of the message with header @h, from the first @avail bytes
 * of the PDU at @p: *@window_end is set to the PDU offset up to which the
 * content was (or would be) looked at, 0 if it is not; *@tentative when
 * that content was not all available.
 */
static int choose_layout(const u8 *p, u32 avail, const struct sccp_hdr *h,
			 u8 hint, bool *tentative, u32 *window_end)
{
	u32 body = h->size - SCCP_HDR_LEN, sw, min, start, n;
	int r;

	*tentative = false;
	*window_end = 0;
	if (h->id == SCCP_SERVER_RES)
		return body > SERVER_RES_OLD_MAX ? SCCP_LAYOUT_V17 :
						   SCCP_LAYOUT_OLD;
	if (!layout_rule(h->id, &sw, &min))
		return SCCP_LAYOUT_NONE;
	if (h->version >= SCCP_V17)
		return SCCP_LAYOUT_V17;
	if (body < min)
		return SCCP_LAYOUT_OLD;
	/* Old header version, v17-sized body (Asterisk): look at it. */
	start = BODY(sw);
	*window_end = start + SCCP_LAYOUT_WINDOW;
	n = avail > start ? avail - start : 0;
	if (n > SCCP_LAYOUT_WINDOW)
		n = SCCP_LAYOUT_WINDOW;
	r = window_check(p + start, n);
	if (r < 0)
		return SCCP_LAYOUT_OLD;
	if (r > 0)
		return SCCP_LAYOUT_V17;
	*tentative = true;
	return hint && hint < SCCP_V17 ? SCCP_LAYOUT_OLD : SCCP_LAYOUT_V17;
}

int sccp_layout(const u8 *p, size_t avail, u8 hint, bool *tentative)
{
	struct sccp_hdr h;
	u32 window_end;

	*tentative = false;
	if (sccp_frame(p, avail, &h))
		return SCCP_LAYOUT_NONE;
	if (avail > h.size)
		avail = h.size;
	return choose_layout(p, avail, &h, hint, tentative, &window_end);
}

static void dec_media_stop(struct dec *d)
{
	struct sccp_msg *m = d->m;

	get32(d, 0, &m->conference_id, SCCP_F_CONF);
	get32(d, 4, &m->ppid, SCCP_F_PPID);
	get32(d, 8, &m->call_ref, SCCP_F_CALLREF);
	get32(d, 12, &m->port_handling, SCCP_F_PORT_HANDLING);
}

/* Body offset of the key block in the message's layout, 0 if none. */
static u32 key_body_off(u32 id, bool v17)
{
	switch (id) {
	case SCCP_OPEN_RECV_CHAN:
		return 28;
	case SCCP_START_MEDIA_TX:
		return v17 ? 60 : 44;
	}
	return 0;
}

int sccp_key_locate(u32 id, u32 size, int layout, u32 *off)
{
	u32 b = key_body_off(id, layout == SCCP_LAYOUT_V17);

	if (!b)
		return SCCP_E_NO_KEY;
	if (size < BODY(b) + SCCP_KEY_BLOCK_SHORT)
		return SCCP_E_KEY_ABSENT;
	*off = BODY(b);
	return size < BODY(b) + SCCP_KEY_BLOCK_LEN ? SCCP_KEY_BLOCK_SHORT :
						     SCCP_KEY_BLOCK_LEN;
}

static void dec_key(struct dec *d)
{
	u32 off;
	int n = sccp_key_locate(d->m->hdr.id, d->size,
				d->v17 ? SCCP_LAYOUT_V17 : SCCP_LAYOUT_OLD,
				&off);

	if (n > 0) {
		d->m->key_off = off;
		d->m->key_len = n;
	}
}

static void dec_body(struct dec *d)
{
	struct sccp_msg *m = d->m;
	u32 e, i;

	m->flags |= SCCP_MSG_KNOWN;
	switch (m->hdr.id) {
	case SCCP_KEEPALIVE_REQ:
	case SCCP_KEEPALIVE_ACK:
	case SCCP_REGISTER_REJECT:
	case SCCP_REGISTER_TOKEN_ACK:
	case SCCP_REGISTER_TOKEN_REJECT:
		break;
	case SCCP_REGISTER_REQ:
		get_name(d);
		get32(d, 20, &m->instance, SCCP_F_INSTANCE);
		add_ep(d, 24, SCCP_EP_IP4, SCCP_ROLE_STATION, 0);
		get32(d, 28, &m->device_type, SCCP_F_DEVTYPE);
		get_proto(d, 40);
		add_ep(d, 72, SCCP_EP_IP16, SCCP_ROLE_STATION_V6, 0);
		break;
	case SCCP_REGISTER_TOKEN_REQ:
		get_name(d);
		get32(d, 20, &m->instance, SCCP_F_INSTANCE);
		add_ep(d, 24, SCCP_EP_IP4, SCCP_ROLE_STATION, 0);
		get32(d, 28, &m->device_type, SCCP_F_DEVTYPE);
		add_ep(d, 32, EP_ADDR, SCCP_ROLE_STATION_V6, 0);
		break;
	case SCCP_IP_PORT:
		add_ep(d, 0, SCCP_EP_PORT, SCCP_ROLE_MEDIA_RX, 0);
		break;
	case SCCP_ALARM:
		add_ep(d, 88, SCCP_EP_IP4, SCCP_ROLE_ALARM, 0);
		break;
	case SCCP_UNREGISTER_REQ:
	case SCCP_UNREGISTER_ACK:
		get32(d, 0, &m->status, SCCP_F_STATUS);
		break;
	case SCCP_REGISTER_ACK:
		get32(d, 0, &m->keepalive, SCCP_F_KEEPALIVE);
		get32(d, 12, &m->keepalive2, SCCP_F_KEEPALIVE2);
		get_proto(d, 16);
		break;
	case SCCP_OPEN_RECV_CHAN_ACK:
	case SCCP_OPEN_MM_RECV_CHAN_ACK:
		get32(d, 0, &m->status, SCCP_F_STATUS);
		e = add_ep(d, 4, EP_ADDR | SCCP_EP_PORT, SCCP_ROLE_MEDIA_RX, 0);
		get32(d, e, &m->ppid, SCCP_F_PPID);
		get32(d, e + 4, &m->call_ref, SCCP_F_CALLREF);
		break;
	case SCCP_PORT_RES:
		get32(d, 0, &m->conference_id, SCCP_F_CONF);
		get32(d, 4, &m->call_ref, SCCP_F_CALLREF);
		get32(d, 8, &m->ppid, SCCP_F_PPID);
		e = add_ep(d, 12, EP_ADDR | SCCP_EP_PORT | SCCP_EP_RTCP,
			   SCCP_ROLE_MEDIA_RX, 0);
		get32(d, e, &m->media_type, SCCP_F_MEDIA_TYPE);
		break;
	case SCCP_MEDIA_TX_FAILURE:
		get32(d, 0, &m->conference_id, SCCP_F_CONF);
		get32(d, 4, &m->ppid, SCCP_F_PPID);
		e = add_ep(d, 8, EP_ADDR | SCCP_EP_PORT,
			   SCCP_ROLE_MEDIA_REMOTE, 0);
		get32(d, e, &m->call_ref, SCCP_F_CALLREF);
		break;
	case SCCP_START_MEDIA_TX:
		get32(d, 0, &m->conference_id, SCCP_F_CONF);
		get32(d, 4, &m->ppid, SCCP_F_PPID);
		e = add_ep(d, 8, EP_ADDR | SCCP_EP_PORT,
			   SCCP_ROLE_MEDIA_REMOTE, 0);
		get32(d, e, &m->packet_ms, SCCP_F_PKT_MS);
		get32(d, e + 4, &m->codec, SCCP_F_CODEC);
		get32(d, e + 24, &m->call_ref, SCCP_F_CALLREF);
		dec_key(d);
		break;
	case SCCP_START_MCAST_RX:
	case SCCP_START_MCAST_TX:
		get32(d, 0, &m->conference_id, SCCP_F_CONF);
		get32(d, 4, &m->ppid, SCCP_F_PPID);
		e = add_ep(d, 8, EP_ADDR | SCCP_EP_PORT, SCCP_ROLE_MULTICAST, 0);
		get32(d, e, &m->packet_ms, SCCP_F_PKT_MS);
		get32(d, e + 4, &m->codec, SCCP_F_CODEC);
		get32(d, e + (m->hdr.id == SCCP_START_MCAST_RX ? 16 : 24),
		      &m->call_ref, SCCP_F_CALLREF);
		break;
	case SCCP_STOP_MEDIA_TX:
	case SCCP_CLOSE_RECV_CHAN:
	case SCCP_STOP_MM_TX:
	case SCCP_CLOSE_MM_RECV_CHAN:
		dec_media_stop(d);
		break;
	case SCCP_SERVER_RES:
		for (i = 0; i < 5; i++)
			add_ep(d, 240 + 4 * i, SCCP_EP_PORT,
			       SCCP_ROLE_SERVER_PORT, i);
		for (i = 0; i < 5; i++)
			add_ep(d, 260 + (d->v17 ? 20 : 4) * i, EP_ADDR,
			       SCCP_ROLE_SERVER, i);
		break;
	case SCCP_OPEN_RECV_CHAN:
		get32(d, 0, &m->conference_id, SCCP_F_CONF);
		get32(d, 4, &m->ppid, SCCP_F_PPID);
		get32(d, 8, &m->packet_ms, SCCP_F_PKT_MS);
		get32(d, 12, &m->codec, SCCP_F_CODEC);
		get32(d, 24, &m->call_ref, SCCP_F_CALLREF);
		e = add_ep(d, 100, EP_ADDR | SCCP_EP_PORT,
			   SCCP_ROLE_MEDIA_SOURCE, 0);
		get32(d, e, &m->req_iptype, SCCP_F_REQ_IPTYPE);
		dec_key(d);
		break;
	case SCCP_OPEN_MM_RECV_CHAN:
		/*
		 * The far-end hint follows a union whose size the sources
		 * disagree on: not located (docs/sccp.md).
		 */
		get32(d, 0, &m->conference_id, SCCP_F_CONF);
		get32(d, 4, &m->ppid, SCCP_F_PPID);
		get32(d, 8, &m->codec, SCCP_F_CODEC);
		get32(d, 16, &m->call_ref, SCCP_F_CALLREF);
		m->flags |= SCCP_MSG_UNLOCATED;
		break;
	case SCCP_START_MM_TX:
		get32(d, 0, &m->conference_id, SCCP_F_CONF);
		get32(d, 4, &m->ppid, SCCP_F_PPID);
		get32(d, 8, &m->codec, SCCP_F_CODEC);
		e = add_ep(d, 12, EP_ADDR | SCCP_EP_PORT,
			   SCCP_ROLE_MEDIA_REMOTE, 0);
		get32(d, e, &m->call_ref, SCCP_F_CALLREF);
		break;
	case SCCP_PORT_REQ:
		get32(d, 0, &m->conference_id, SCCP_F_CONF);
		get32(d, 4, &m->call_ref, SCCP_F_CALLREF);
		get32(d, 8, &m->ppid, SCCP_F_PPID);
		get32(d, 16, &m->req_iptype, SCCP_F_REQ_IPTYPE);
		get32(d, 20, &m->media_type, SCCP_F_MEDIA_TYPE);
		break;
	case SCCP_PORT_CLOSE:
		get32(d, 0, &m->conference_id, SCCP_F_CONF);
		get32(d, 4, &m->call_ref, SCCP_F_CALLREF);
		get32(d, 8, &m->ppid, SCCP_F_PPID);
		get32(d, 12, &m->media_type, SCCP_F_MEDIA_TYPE);
		break;
	case SCCP_START_MEDIA_TX_ACK:
	case SCCP_START_MM_TX_ACK:
		get32(d, 0, &m->conference_id, SCCP_F_CONF);
		get32(d, 4, &m->ppid, SCCP_F_PPID);
		get32(d, 8, &m->call_ref, SCCP_F_CALLREF);
		e = add_ep(d, 12, EP_ADDR | SCCP_EP_PORT, SCCP_ROLE_MEDIA_TX, 0);
		get32(d, e, &m->status, SCCP_F_STATUS);
		break;
	default:
		m->flags &= ~SCCP_MSG_KNOWN;
		break;
	}
}

int sccp_decode_prefix(const u8 *p, size_t avail, int layout, u8 hint,
		       struct sccp_msg *m)
{
	u32 sw, min, window_end = 0;
	bool tentative = false;
	struct dec d;
	int err, chosen;

	memset(m, 0, sizeof(*m));
	err = sccp_frame(p, avail, &m->hdr);
	if (err)
		return err;
	d.p = p;
	d.size = m->hdr.size;
	d.avail = avail < d.size ? avail : d.size;
	d.need = SCCP_HDR_LEN;
	d.err = 0;
	d.m = m;
	m->body_len = d.size - SCCP_HDR_LEN;
	if (m->hdr.id != SCCP_SERVER_RES && !layout_rule(m->hdr.id, &sw, &min)) {
		layout = SCCP_LAYOUT_NONE;
	} else {
		/* A forced layout still reads what the rule looks at. */
		chosen = choose_layout(p, d.avail, &m->hdr, hint, &tentative,
				       &window_end);
		want(&d, window_end);
		if (layout != SCCP_LAYOUT_OLD && layout != SCCP_LAYOUT_V17) {
			layout = chosen;
			if (tentative)
				m->flags |= SCCP_MSG_TENTATIVE;
		}
	}
	m->layout = layout;
	d.v17 = layout == SCCP_LAYOUT_V17;
	dec_body(&d);
	m->need = d.need;
	if (d.avail >= d.need)
		m->flags |= SCCP_MSG_COMPLETE;
	return d.err;
}

int sccp_decode(const u8 *p, size_t len, u8 hint, struct sccp_msg *m)
{
	int err = sccp_decode_prefix(p, len, SCCP_LAYOUT_NONE, hint, m);

	if (err == SCCP_E_NEED_HDR || err == SCCP_E_LENGTH ||
	    err == SCCP_E_TOO_BIG || err == SCCP_E_VERSION)
		return err;
	if (len < m->hdr.size)
		return SCCP_E_NEED_MORE;
	return err;
}

int sccp_key_block(const u8 *p, size_t len, u8 hint, u32 *off)
{
	struct sccp_hdr h;
	bool tentative;
	int n, err;
	u32 o = 0;

	err = sccp_frame(p, len, &h);
	if (err)
		return err;
	if (len > h.size)
		len = h.size;
	n = sccp_key_locate(h.id, h.size, sccp_layout(p, len, hint, &tentative),
			    &o);
	if (n < 0)
		return n;
	if (o + n > len)
		return SCCP_E_NEED_MORE;
	*off = o;
	return n;
}

static u16 get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static void put_le16(u8 *p, u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

int sccp_key_get(const u8 *blk, u32 blk_len, struct sccp_media_key *k)
{
	memset(k, 0, sizeof(*k));
	if (blk_len < SCCP_KEY_BLOCK_SHORT)
		return SCCP_E_KEY_ABSENT;
	k->alg = sccp_get_le32(blk);
	k->key_len = get_le16(blk + 4);
	k->salt_len = get_le16(blk + 6);
	memcpy(k->key, blk + 8, SCCP_KEY_FIELD);
	memcpy(k->salt, blk + 24, SCCP_KEY_FIELD);
	if (blk_len >= SCCP_KEY_BLOCK_LEN) {
		k->mki = sccp_get_le32(blk + 40);
		k->kdr = sccp_get_le32(blk + 44);
	}
	return 0;
}

int sccp_key_check(const struct sccp_media_key *k)
{
	u16 klen = SCCP_KEY_AES_CM_KEY, slen = SCCP_KEY_AES_CM_SALT;

	switch (k->alg) {
	case SCCP_KEY_NONE:
		klen = 0;
		slen = 0;
		break;
	case SCCP_KEY_AES_CM_128_SHA1_32:
	case SCCP_KEY_AES_CM_128_SHA1_80:
		break;
	case SCCP_KEY_F8_128_SHA1_32:
	case SCCP_KEY_F8_128_SHA1_80:
	case SCCP_KEY_AEAD_AES_128_GCM:
	case SCCP_KEY_AEAD_AES_256_GCM:
		return SCCP_E_KEY_SUITE;
	default:
		return SCCP_E_KEY_ALG;
	}
	if (k->key_len != klen)
		return SCCP_E_KEY_LEN;
	if (k->salt_len != slen)
		return SCCP_E_KEY_SALT;
	if (k->mki)
		return SCCP_E_KEY_MKI;
	if (k->kdr)
		return SCCP_E_KEY_KDR;
	return 0;
}

int sccp_key_set(u8 *blk, u32 blk_len, const struct sccp_media_key *k)
{
	int err = sccp_key_check(k);

	if (err)
		return err;
	if (blk_len < SCCP_KEY_BLOCK_SHORT)
		return SCCP_E_KEY_ABSENT;
	sccp_put_le32(blk, k->alg);
	put_le16(blk + 4, k->key_len);
	put_le16(blk + 6, k->salt_len);
	memset(blk + 8, 0, 2 * SCCP_KEY_FIELD);
	memcpy(blk + 8, k->key, k->key_len);
	memcpy(blk + 24, k->salt, k->salt_len);
	if (blk_len >= SCCP_KEY_BLOCK_LEN) {
		sccp_put_le32(blk + 40, k->mki);
		sccp_put_le32(blk + 44, k->kdr);
	}
	return 0;
}

const char *sccp_key_alg_name(u32 alg)
{
	switch (alg) {
	case SCCP_KEY_NONE:			return "NO_ENCRYPTION";
	case SCCP_KEY_AES_CM_128_SHA1_32:	return "AES_CM_128_HMAC_SHA1_32";
	case SCCP_KEY_AES_CM_128_SHA1_80:	return "AES_CM_128_HMAC_SHA1_80";
	case SCCP_KEY_F8_128_SHA1_32:		return "F8_128_HMAC_SHA1_32";
	case SCCP_KEY_F8_128_SHA1_80:		return "F8_128_HMAC_SHA1_80";
	case SCCP_KEY_AEAD_AES_128_GCM:		return "AEAD_AES_128_GCM";
	case SCCP_KEY_AEAD_AES_256_GCM:		return "AEAD_AES_256_GCM";
	}
	return "unknown";
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

bool sccp_device_ok(const struct sccp_msg *m, const char *sid)
{
	const char *n = m->name;

	switch (m->hdr.id) {
	case SCCP_REGISTER_REQ:
	case SCCP_REGISTER_TOKEN_REQ:
		break;
	case SCCP_SPCP_REGISTER_TOKEN_REQ:
		return false;
	default:
		return true;
	}
	if (!(m->fields & SCCP_F_NAME))
		return false;
	/* name[] is NUL-terminated: what the CallManager reads as a string */
	for (; *n && ascii_lower(*n) == ascii_lower(*sid); n++, sid++)
		;
	return !*n && !*sid;
}

const char *sccp_msg_name(u32 id)
{
	switch (id) {
	case SCCP_KEEPALIVE_REQ:		return "KeepAliveReq";
	case SCCP_REGISTER_REQ:			return "RegisterReq";
	case SCCP_IP_PORT:			return "IpPort";
	case SCCP_ALARM:			return "Alarm";
	case SCCP_OPEN_RECV_CHAN_ACK:		return "OpenReceiveChannelAck";
	case SCCP_UNREGISTER_REQ:		return "UnregisterReq";
	case SCCP_REGISTER_TOKEN_REQ:		return "RegisterTokenReq";
	case SCCP_MEDIA_TX_FAILURE:		return "MediaTransmissionFailure";
	case SCCP_OPEN_MM_RECV_CHAN_ACK:	return "OpenMultiMediaReceiveChannelAck";
	case SCCP_PORT_RES:			return "PortRes";
	case SCCP_REGISTER_ACK:			return "RegisterAck";
	case SCCP_START_MEDIA_TX:		return "StartMediaTransmission";
	case SCCP_STOP_MEDIA_TX:		return "StopMediaTransmission";
	case SCCP_REGISTER_REJECT:		return "RegisterReject";
	case SCCP_SERVER_RES:			return "ServerRes";
	case SCCP_KEEPALIVE_ACK:		return "KeepAliveAck";
	case SCCP_START_MCAST_RX:		return "StartMulticastMediaReception";
	case SCCP_START_MCAST_TX:		return "StartMulticastMediaTransmission";
	case SCCP_OPEN_RECV_CHAN:		return "OpenReceiveChannel";
	case SCCP_CLOSE_RECV_CHAN:		return "CloseReceiveChannel";
	case SCCP_UNREGISTER_ACK:		return "UnregisterAck";
	case SCCP_REGISTER_TOKEN_ACK:		return "RegisterTokenAck";
	case SCCP_REGISTER_TOKEN_REJECT:	return "RegisterTokenReject";
	case SCCP_SPCP_REGISTER_TOKEN_REQ:	return "SPCPRegisterTokenReq";
	case SCCP_OPEN_MM_RECV_CHAN:		return "OpenMultiMediaReceiveChannel";
	case SCCP_START_MM_TX:			return "StartMultiMediaTransmission";
	case SCCP_STOP_MM_TX:			return "StopMultiMediaTransmission";
	case SCCP_CLOSE_MM_RECV_CHAN:		return "CloseMultiMediaReceiveChannel";
	case SCCP_PORT_REQ:			return "PortReq";
	case SCCP_PORT_CLOSE:			return "PortClose";
	case SCCP_START_MEDIA_TX_ACK:		return "StartMediaTransmissionAck";
	case SCCP_START_MM_TX_ACK:		return "StartMultiMediaTransmissionAck";
	}
	return "unknown";
}

const char *sccp_strerror(int err)
{
	switch (err) {
	case SCCP_OK:			return "ok";
	case SCCP_E_NEED_HDR:		return "incomplete header";
	case SCCP_E_NEED_MORE:		return "incomplete PDU";
	case SCCP_E_LENGTH:		return "length below 4";
	case SCCP_E_TOO_BIG:		return "PDU too big";
	case SCCP_E_VERSION:		return "bad header version";
	case SCCP_E_TRUNCATED:		return "address field cut by the end of the body";
	case SCCP_E_LAYOUT:		return "content contradicts the layout chosen";
	case SCCP_E_MISMATCH:		return "retransmission differs";
	case SCCP_E_ABORT:		return "refused by the caller";
	case SCCP_E_STATE:		return "stream not initialised";
	case SCCP_E_NO_KEY:		return "the message carries no key block";
	case SCCP_E_KEY_ABSENT:		return "the body ends before the key block's salt";
	case SCCP_E_KEY_ALG:		return "unknown key algorithm";
	case SCCP_E_KEY_SUITE:		return "key algorithm not supported";
	case SCCP_E_KEY_LEN:		return "key length wrong for the algorithm";
	case SCCP_E_KEY_SALT:		return "salt length wrong for the algorithm";
	case SCCP_E_KEY_MKI:		return "MKI not supported";
	case SCCP_E_KEY_KDR:		return "key derivation rate not supported";
	}
	return "unknown error";
}

const char *sccp_role_name(int role)
{
	switch (role) {
	case SCCP_ROLE_STATION:		return "station";
	case SCCP_ROLE_STATION_V6:	return "station-v6";
	case SCCP_ROLE_ALARM:		return "alarm";
	case SCCP_ROLE_MEDIA_RX:	return "media-rx";
	case SCCP_ROLE_MEDIA_TX:	return "media-tx";
	case SCCP_ROLE_MEDIA_REMOTE:	return "media-remote";
	case SCCP_ROLE_MEDIA_SOURCE:	return "media-source";
	case SCCP_ROLE_MULTICAST:	return "multicast";
	case SCCP_ROLE_SERVER:		return "server";
	case SCCP_ROLE_SERVER_PORT:	return "server-port";
	}
	return "unknown";
}
