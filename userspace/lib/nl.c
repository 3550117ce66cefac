// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Generic netlink client of the phoneproxy family (libnl-genl-3).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/phoneproxy.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Restarts of an interrupted dump before giving up. */
#define DUMP_RETRIES 8
/* Receive buffer of a notification socket. */
#define EVENTS_RCVBUF (1 << 20)

struct pp_nl {
	struct nl_sock *sk;
	int family;
	bool events;
	char extack[256];
	char errmsg[384];
};

/* The state of one request: its replies, its ack or error. */
struct txn {
	struct pp_nl *nl;
	pp_nl_msg_fn fn;
	void *arg;
	bool done;
	bool intr;
	int err;		/* the kernel's, negative */
	int fn_err;		/* the first of fn's */
};

static int nlerr_to_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_PERM:
		return EPERM;
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_MSGSIZE:
		return EMSGSIZE;
	case NLE_OBJ_NOTFOUND:
		return ENOENT;
	case NLE_AGAIN:
		return EAGAIN;
	case NLE_INVAL:
		return EINVAL;
	case NLE_NOACCESS:
		return EACCES;
	default:
		return EIO;
	}
}

__attribute__((format(printf, 3, 4)))
static int set_error(struct pp_nl *nl, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(nl->errmsg, sizeof(nl->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

void pp_nl_parse_extack(const struct nlmsghdr *nlh, char *buf, size_t len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off;

	if (len)
		buf[0] = '\0';
	if (!len || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return;
		off = sizeof(*e);
		/* Unless capped, the request follows, then the TLVs. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < NLMSG_HDRLEN)
				return;
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		off = sizeof(int);
	} else {
		return;
	}
	off = NLMSG_HDRLEN + NLMSG_ALIGN(off);
	if (off >= nlh->nlmsg_len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + off),
		      (int)(nlh->nlmsg_len - off), NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(buf, tb[NLMSGERR_ATTR_MSG], len);
}

/* A connected socket; watch: non-blocking, for notifications only. */
static int nl_new(struct pp_nl **out, bool watch)
{
	struct pp_nl *nl;
	int one = 1, rc;

	*out = nl = calloc(1, sizeof(*nl));
	if (!nl || !(nl->sk = nl_socket_alloc()))
		return -ENOMEM;
	rc = genl_connect(nl->sk);
	if (rc < 0) {
		rc = -nlerr_to_errno(rc);
		return set_error(nl, rc, "cannot open a generic netlink socket: %s",
				 strerror(-rc));
	}
	nl_socket_enable_msg_peek(nl->sk);
	if (watch) {
		nl->events = true;
		nl_socket_set_buffer_size(nl->sk, EVENTS_RCVBUF, 0);
		return 0;
	}
	/* The kernel's reasons, and no copy of big requests in its acks. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	return 0;
}

/* *out's, or out of memory: the error of a failed open, then close it. */
static int open_failed(struct pp_nl **out, int rc, char *err, size_t errlen)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", *out && (*out)->sk ? (*out)->errmsg :
			 "out of memory");
	pp_nl_close(*out);
	*out = NULL;
	return rc;
}

int pp_nl_open(struct pp_nl **out, char *err, size_t errlen)
{
	struct pp_nl *nl;
	int rc = nl_new(out, false);

	nl = *out;
	if (rc)
		return open_failed(out, rc, err, errlen);
	rc = genl_ctrl_resolve(nl->sk, PHONEPROXY_GENL_NAME);
	if (rc == -NLE_OBJ_NOTFOUND)
		rc = set_error(nl, -ENOENT, "%s module not loaded",
			       PHONEPROXY_GENL_NAME);
	else if (rc < 0)
		rc = set_error(nl, -nlerr_to_errno(rc),
			       "cannot resolve the generic netlink family %s: %s",
			       PHONEPROXY_GENL_NAME, nl_geterror(rc));
	if (rc < 0)
		return open_failed(out, rc, err, errlen);
	nl->family = rc;
	return 0;
}

int pp_nl_family_version(struct pp_nl *nl)
{
	struct genl_family *fam;
	struct nl_cache *cache;
	int rc;

	rc = genl_ctrl_alloc_cache(nl->sk, &cache);
	if (rc < 0)
		return set_error(nl, -nlerr_to_errno(rc),
				 "cannot list the generic netlink families: %s", nl_geterror(rc));
	fam = genl_ctrl_search_by_name(cache, PHONEPROXY_GENL_NAME);
	if (!fam) {
		rc = set_error(nl, -ENOENT, "%s module not loaded", PHONEPROXY_GENL_NAME);
	} else {
		rc = genl_family_get_version(fam);
		genl_family_put(fam);
	}
	nl_cache_free(cache);
	return rc;
}

int pp_nl_watch(struct pp_nl **out, char *err, size_t errlen)
{
	int rc = nl_new(out, true), grp;

	if (!rc) {
		grp = genl_ctrl_resolve_grp((*out)->sk, "nlctrl", "notify");
		rc = grp < 0 ? grp : nl_socket_add_membership((*out)->sk, grp);
		if (!rc)
			rc = nl_socket_set_nonblocking((*out)->sk);
		if (rc < 0)
			rc = set_error(*out, -nlerr_to_errno(rc),
				       "cannot follow the generic netlink controller: %s",
				       nl_geterror(rc));
	}
	return rc ? open_failed(out, rc, err, errlen) : 0;
}

void pp_nl_close(struct pp_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

int pp_nl_family(const struct pp_nl *nl)
{
	return nl->family;
}

int pp_nl_fd(const struct pp_nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

const char *pp_nl_error(const struct pp_nl *nl)
{
	return nl->errmsg[0] ? nl->errmsg : "unknown error";
}

const char *pp_nl_extack(const struct pp_nl *nl)
{
	return nl->extack[0] ? nl->extack : NULL;
}

struct nl_msg *pp_nl_msg_new(const struct pp_nl *nl, uint8_t cmd, int flags,
			     size_t payload)
{
	struct nl_msg *msg;

	msg = payload ? nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + payload)
		      : nlmsg_alloc();
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, PHONEPROXY_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int txn_valid(struct nl_msg *msg, void *arg)
{
	struct txn *t = arg;

	if (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP_INTR)
		t->intr = true;
	if (t->fn && !t->fn_err)
		t->fn_err = t->fn(msg, t->arg);
	return NL_OK;
}

static int txn_intr(struct nl_msg *msg, void *arg)
{
	struct txn *t = arg;

	(void)msg;
	t->intr = true;
	return NL_OK;
}

static int txn_finish(struct nl_msg *msg, void *arg)
{
	struct txn *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	t->done = true;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		t->intr = true;
	/* A dump that failed part way ends in a DONE carrying the error. */
	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
		int e = *(int *)NLMSG_DATA(nlh);

		if (e < 0) {
			t->err = e;
			pp_nl_parse_extack(nlh, t->nl->extack,
					   sizeof(t->nl->extack));
		}
	}
	return NL_STOP;
}

static int txn_ack(struct nl_msg *msg, void *arg)
{
	struct txn *t = arg;

	(void)msg;
	t->done = true;
	return NL_STOP;
}

static int txn_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct txn *t = arg;
	/* libnl hands us the payload of the NLMSG_ERROR message. */
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);

	(void)who;
	t->done = true;
	t->err = e->error < 0 ? e->error : -e->error;
	pp_nl_parse_extack(nlh, t->nl->extack, sizeof(t->nl->extack));
	return NL_STOP;
}

static int seq_any(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static struct nl_cb *txn_cb(struct txn *t)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, txn_valid, t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, txn_finish, t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, txn_ack, t);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, txn_intr, t);
	nl_cb_err(cb, NL_CB_CUSTOM, txn_error, t);
	return cb;
}

/* Make the socket send buffer hold a request of len bytes. */
static int fit_sndbuf(struct pp_nl *nl, size_t len)
{
	int fd = nl_socket_get_fd(nl->sk), have = 0, want;
	socklen_t sl = sizeof(have);

	/* The kernel refuses a request longer than sk_sndbuf - 32. */
	if (len > (size_t)INT32_MAX / 2 - 4096)
		return set_error(nl, -EMSGSIZE, "request of %zu bytes is too large",
				 len);
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &sl) == 0 &&
	    (size_t)have >= len + 64)
		return 0;
	/* The kernel doubles the value it is given. */
	want = (int)(len + 4096);
	nl_socket_set_buffer_size(nl->sk, 0, want);
	sl = sizeof(have);
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &sl) == 0 &&
	    (size_t)have >= len + 64)
		return 0;
	/* Past net.core.wmem_max: allowed with CAP_NET_ADMIN. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want));
	sl = sizeof(have);
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &sl) == 0 &&
	    (size_t)have >= len + 64)
		return 0;
	return set_error(nl, -EMSGSIZE,
			 "request of %zu bytes exceeds the socket send buffer (%d bytes); "
			 "run as root or raise net.core.wmem_max", len, have);
}

/* Send msg (freed) and collect replies until the ack, DONE or an error. */
static int transact(struct pp_nl *nl, struct nl_msg *msg, pp_nl_msg_fn fn,
		    void *arg, bool *intr)
{
	struct txn t = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int rc;

	nl->extack[0] = '\0';
	nl->errmsg[0] = '\0';
	if (nl->events) {
		nlmsg_free(msg);
		return set_error(nl, -EINVAL, "socket serves notifications only");
	}
	rc = fit_sndbuf(nl, nlmsg_hdr(msg)->nlmsg_len);
	if (rc) {
		nlmsg_free(msg);
		return rc;
	}
	cb = txn_cb(&t);
	if (!cb) {
		nlmsg_free(msg);
		return set_error(nl, -ENOMEM, "out of memory");
	}
	rc = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (rc < 0) {
		nl_cb_put(cb);
		rc = -nlerr_to_errno(rc);
		return set_error(nl, rc, "cannot send the request: %s",
				 strerror(-rc));
	}
	while (!t.done) {
		rc = nl_recvmsgs(nl->sk, cb);
		if (rc == -NLE_DUMP_INTR) {
			t.intr = true;
			break;
		}
		if (rc < 0 && !t.done) {
			nl_cb_put(cb);
			return set_error(nl, -nlerr_to_errno(rc),
					 "cannot receive the reply: %s",
					 nl_geterror(rc));
		}
	}
	nl_cb_put(cb);
	if (intr)
		*intr = t.intr;
	if (t.err)
		return set_error(nl, t.err, "%s",
				 nl->extack[0] ? nl->extack : strerror(-t.err));
	if (t.fn_err)
		return set_error(nl, t.fn_err, "malformed reply: %s",
				 strerror(-t.fn_err));
	return 0;
}

int pp_nl_request(struct pp_nl *nl, struct nl_msg *msg, pp_nl_msg_fn fn,
		  void *arg)
{
	return transact(nl, msg, fn, arg, NULL);
}

int pp_nl_dump(struct pp_nl *nl, uint8_t cmd, pp_nl_msg_fn fn,
	       pp_nl_reset_fn reset, void *arg)
{
	int attempt, rc;

	for (attempt = 0; attempt < DUMP_RETRIES; attempt++) {
		struct nl_msg *msg = pp_nl_msg_new(nl, cmd, NLM_F_DUMP, 0);
		bool intr = false;

		if (!msg)
			return set_error(nl, -ENOMEM, "out of memory");
		rc = transact(nl, msg, fn, arg, &intr);
		if (rc || !intr)
			return rc;
		if (reset)
			reset(arg);
	}
	return set_error(nl, -EAGAIN,
			 "the table kept changing while it was read; try again");
}

int pp_nl_subscribe(struct pp_nl *nl, struct pp_nl *via, const char *group)
{
	int grp, rc;

	nl->errmsg[0] = '\0';
	grp = genl_ctrl_resolve_grp(via->sk, PHONEPROXY_GENL_NAME, group);
	if (grp < 0)
		return set_error(nl, -nlerr_to_errno(grp),
				 "no multicast group \"%s\" in family %s: %s", group,
				 PHONEPROXY_GENL_NAME, nl_geterror(grp));
	nl_socket_set_buffer_size(nl->sk, EVENTS_RCVBUF, 0);
	rc = nl_socket_add_membership(nl->sk, grp);
	if (rc < 0) {
		rc = -nlerr_to_errno(rc);
		return set_error(nl, rc, "cannot join the \"%s\" group: %s", group,
				 strerror(-rc));
	}
	nl->events = true;
	return 0;
}

int pp_nl_family_event(struct nl_msg *msg)
{
	static struct nla_policy policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING },
	};
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);

	if (nlh->nlmsg_type != GENL_ID_CTRL ||
	    genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, policy) < 0 ||
	    (gh->cmd != CTRL_CMD_NEWFAMILY && gh->cmd != CTRL_CMD_DELFAMILY) ||
	    !tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), PHONEPROXY_GENL_NAME))
		return 0;
	return gh->cmd;
}

int pp_nl_recv_events(struct pp_nl *nl, pp_nl_msg_fn fn, void *arg)
{
	struct txn t = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int rc;

	if (!cb)
		return set_error(nl, -ENOMEM, "out of memory");
	/* Notifications carry sequence number 0. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_any, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, txn_valid, &t);
	rc = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	if (rc == -NLE_NOMEM)
		return set_error(nl, -ENOBUFS,
				 "notifications were lost (receive buffer overrun)");
	if (rc < 0) {
		rc = -nlerr_to_errno(rc);
		return set_error(nl, rc, "cannot receive notifications: %s",
				 strerror(-rc));
	}
	if (t.fn_err)
		return set_error(nl, t.fn_err, "malformed notification");
	return 0;
}
