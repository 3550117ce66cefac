// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/string.h>

#include "pp_rules.h"
#include "users.h"

static u32 pp_users_hash(const struct pp_users *t, const char *s)
{
	return jhash(s, strlen(s), t->seed);
}

struct pp_users *pp_users_alloc(u32 n_users, u32 n_ccms)
{
	u32 ubuckets = roundup_pow_of_two(max(n_users, 1U));
	u32 cbuckets = roundup_pow_of_two(max(n_ccms, 1U));
	size_t off_ccms, off_heads, size;
	struct pp_users *t;

	if (n_users > PP_USERS_MAX || n_ccms > PP_CCMS_MAX)
		return NULL;

	/* header | users | ccms | user name, user SID, ccm name heads */
	off_ccms = ALIGN(struct_size(t, users, n_users),
			 __alignof__(struct pp_ccm));
	off_heads = ALIGN(size_add(off_ccms,
				   array_size(n_ccms, sizeof(struct pp_ccm))),
			  __alignof__(u32));
	size = size_add(off_heads,
			array_size(2 * ubuckets + cbuckets, sizeof(u32)));

	t = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;

	t->max_users = n_users;
	t->max_ccms = n_ccms;
	t->default_ccm = PP_NIL;
	t->user_mask = ubuckets - 1;
	t->ccm_mask = cbuckets - 1;
	t->seed = get_random_u32();
	t->ccms = (struct pp_ccm *)((char *)t + off_ccms);
	t->user_name_head = (u32 *)((char *)t + off_heads);
	t->user_sid_head = t->user_name_head + ubuckets;
	t->ccm_name_head = t->user_sid_head + ubuckets;
	memset(t->user_name_head, 0xff,
	       (2 * ubuckets + cbuckets) * sizeof(u32));	/* PP_NIL */
	return t;
}

void pp_users_free(struct pp_users *t)
{
	kvfree(t);
}

struct pp_user *pp_users_find_name(const struct pp_users *t, const char *name)
{
	u32 i = t->user_name_head[pp_users_hash(t, name) & t->user_mask];

	for (; i != PP_NIL; i = t->users[i].name_next)
		if (!strcmp(t->users[i].name, name))
			return (struct pp_user *)&t->users[i];
	return NULL;
}

static struct pp_user *pp_users_find_sid_norm(const struct pp_users *t,
					      const char *sid)
{
	u32 i = t->user_sid_head[pp_users_hash(t, sid) & t->user_mask];

	for (; i != PP_NIL; i = t->users[i].sid_next)
		if (!strcmp(t->users[i].sid, sid))
			return (struct pp_user *)&t->users[i];
	return NULL;
}

struct pp_user *pp_users_find_sid(const struct pp_users *t, const char *sid)
{
	char norm[PP_SID_LEN + 1];

	if (!pp_sid_normalize(norm, sid))
		return NULL;
	return pp_users_find_sid_norm(t, norm);
}

const struct pp_ccm *pp_users_find_ccm(const struct pp_users *t,
				       const char *name)
{
	u32 i = t->ccm_name_head[pp_users_hash(t, name) & t->ccm_mask];

	for (; i != PP_NIL; i = t->ccms[i].name_next)
		if (!strcmp(t->ccms[i].name, name))
			return &t->ccms[i];
	return NULL;
}

int pp_users_add_ccm(struct pp_users *t, const struct nlattr *nest,
		     struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct pp_ccm *ccm;
	u32 *head;

	if (t->n_ccms >= t->max_ccms) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "too many CallManagers");
		return -E2BIG;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, PP_CCM_A_NAME)) {
		NL_SET_ERR_MSG(extack, "CallManager name missing");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, PP_CCM_A_ADDR)) {
		NL_SET_ERR_MSG(extack, "CallManager address missing");
		return -EINVAL;
	}

	ccm = &t->ccms[t->n_ccms];
	nla_strscpy(ccm->name, tb[PP_CCM_A_NAME], sizeof(ccm->name));
	ccm->addr = nla_get_in_addr(tb[PP_CCM_A_ADDR]);
	ccm->is_default = tb[PP_CCM_A_DEFAULT] &&
			  nla_get_u8(tb[PP_CCM_A_DEFAULT]);

	if (!ccm->name[0]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PP_CCM_A_NAME],
				    "CallManager name is empty");
		return -EINVAL;
	}
	if (pp_users_find_ccm(t, ccm->name)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PP_CCM_A_NAME],
				    "duplicate CallManager name");
		return -EEXIST;
	}
	if (!ccm->addr) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PP_CCM_A_ADDR],
				    "CallManager address must not be 0.0.0.0");
		return -EINVAL;
	}
	if (ccm->is_default) {
		if (t->default_ccm != PP_NIL) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PP_CCM_A_DEFAULT],
					    "more than one default CallManager");
			return -EINVAL;
		}
		t->default_ccm = t->n_ccms;
	}

	head = &t->ccm_name_head[pp_users_hash(t, ccm->name) & t->ccm_mask];
	ccm->name_next = *head;
	*head = t->n_ccms++;
	return 0;
}

int pp_users_add_user(struct pp_users *t, const struct nlattr *nest,
		      struct nlattr **tb, struct netlink_ext_ack *extack)
{
	const struct pp_ccm *ccm;
	struct pp_user *u;
	char sid[PP_NAME_MAX];
	u32 *head;

	if (t->n_users >= t->max_users) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "too many users");
		return -E2BIG;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, PP_USER_A_NAME)) {
		NL_SET_ERR_MSG(extack, "user name missing");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, PP_USER_A_SID)) {
		NL_SET_ERR_MSG(extack, "user SID missing");
		return -EINVAL;
	}

	u = &t->users[t->n_users];
	nla_strscpy(u->name, tb[PP_USER_A_NAME], sizeof(u->name));
	if (!u->name[0]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PP_USER_A_NAME],
				    "user name is empty");
		return -EINVAL;
	}
	if (pp_users_find_name(t, u->name)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PP_USER_A_NAME],
				    "duplicate user name");
		return -EEXIST;
	}

	nla_strscpy(sid, tb[PP_USER_A_SID], sizeof(sid));
	if (!pp_sid_normalize(u->sid, sid)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PP_USER_A_SID],
				    "SID must be SEP followed by 12 hex digits");
		return -EINVAL;
	}
	if (pp_users_find_sid_norm(t, u->sid)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PP_USER_A_SID],
				    "duplicate SID");
		return -EEXIST;
	}

	if (tb[PP_USER_A_CCM]) {
		char name[PP_NAME_MAX];

		nla_strscpy(name, tb[PP_USER_A_CCM], sizeof(name));
		ccm = pp_users_find_ccm(t, name);
		if (!ccm) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PP_USER_A_CCM],
					    "user's CallManager is not in the request");
			return -ENOENT;
		}
		u->ccm = ccm;
	} else {
		if (t->default_ccm == PP_NIL) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "user has no CallManager and there is no default CallManager");
			return -EINVAL;
		}
		u->ccm = &t->ccms[t->default_ccm];
	}

	if (tb[PP_USER_A_ID])
		nla_strscpy(u->id, tb[PP_USER_A_ID], sizeof(u->id));
	u->enabled = !tb[PP_USER_A_ENABLED] ||
		     nla_get_u8(tb[PP_USER_A_ENABLED]);
	RCU_INIT_POINTER(u->act, NULL);

	head = &t->user_name_head[pp_users_hash(t, u->name) & t->user_mask];
	u->name_next = *head;
	*head = t->n_users;
	head = &t->user_sid_head[pp_users_hash(t, u->sid) & t->user_mask];
	u->sid_next = *head;
	*head = t->n_users;
	t->n_users++;
	return 0;
}

int pp_users_init(struct pp_net *pn)
{
	struct pp_users *t = pp_users_alloc(0, 0);

	if (!t)
		return -ENOMEM;
	RCU_INIT_POINTER(pn->users, t);
	return 0;
}

void pp_users_exit(struct pp_net *pn)
{
	/* Activations are gone and no reader is left. */
	pp_users_free(rcu_dereference_protected(pn->users, true));
	RCU_INIT_POINTER(pn->users, NULL);
}
