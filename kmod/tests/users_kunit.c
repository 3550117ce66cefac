// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The CallManager and user tables a publish builds (guide: Appendix B):
 * every entry is validated against the ones before it, and a refused
 * entry names its reason. users.c is included for pp_sid_normalize().
 */
#include "../users.c"

#include "pp_kunit.h"

static void pp_kt_users_free(struct kunit_resource *res)
{
	pp_users_free(res->data);
}

static int pp_kt_users_init(struct kunit_resource *res, void *context)
{
	const u32 *n = context;

	res->data = pp_users_alloc(n[0], n[1]);
	return res->data ? 0 : -ENOMEM;
}

/* A table for @n_users and @n_ccms, freed when the test ends. */
static struct pp_users *pp_kt_users(struct kunit *test, u32 n_users,
				    u32 n_ccms)
{
	u32 n[2] = { n_users, n_ccms };
	struct pp_users *t;

	t = kunit_alloc_resource(test, pp_kt_users_init, pp_kt_users_free,
				 GFP_KERNEL, n);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	return t;
}

static const struct pp_kunit_ccm pp_kt_ccm_default = {
	.name = "ccm1", .addr = PP_KUNIT_ADDR(198, 51, 100, 10),
	.is_default = true,
};

static const struct pp_kunit_ccm pp_kt_ccm_other = {
	.name = "ccm2", .addr = PP_KUNIT_ADDR(198, 51, 100, 11),
};

struct pp_kt_sid_case {
	const char *sid;
	const char *norm;		/* NULL: refused */
};

static const struct pp_kt_sid_case pp_kt_sid_cases[] = {
	{ "SEP0123456789AB", "SEP0123456789AB" },
	{ "sep0123456789ab", "SEP0123456789AB" },
	{ "SeP00aAbBcCdDeE", "SEP00AABBCCDDEE" },
	{ "SEPFFFFFFFFFFFF", "SEPFFFFFFFFFFFF" },
	{ "SEP0123456789A", NULL },		/* 11 hex digits */
	{ "SEP0123456789ABC", NULL },		/* 13 */
	{ "SIP0123456789AB", NULL },
	{ "SEP0123456789AG", NULL },
	{ "SEP 123456789AB", NULL },
	{ "SEP-123456789AB", NULL },
	{ "0123456789ABCDE", NULL },
	{ "SEPSEP123456789", NULL },
	{ "", NULL },
};

static void pp_kt_sid_desc(const struct pp_kt_sid_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\" %s", c->sid,
		 c->norm ? "accepted" : "refused");
}

KUNIT_ARRAY_PARAM(pp_kt_sid, pp_kt_sid_cases, pp_kt_sid_desc);

static void pp_users_table_sid_format(struct kunit *test)
{
	const struct pp_kt_sid_case *c = test->param_value;
	struct pp_users *t = pp_kt_users(test, 1, 1);
	const struct pp_kunit_user u = { .name = "homer", .sid = c->sid };
	struct netlink_ext_ack extack = {};
	char norm[PP_SID_LEN + 1];
	int err;

	KUNIT_EXPECT_EQ(test, pp_sid_normalize(norm, c->sid), !!c->norm);
	if (c->norm)
		KUNIT_EXPECT_STREQ(test, norm, c->norm);

	KUNIT_ASSERT_EQ(test,
			pp_kunit_add_ccm(test, t, &pp_kt_ccm_default, &extack),
			0);
	err = pp_kunit_add_user(test, t, &u, &extack);
	if (c->norm) {
		KUNIT_EXPECT_EQ(test, err, 0);
		KUNIT_EXPECT_STREQ(test, t->users[0].sid, c->norm);
		KUNIT_EXPECT_PTR_EQ(test, pp_users_find_sid(t, c->sid),
				    &t->users[0]);
	} else {
		KUNIT_EXPECT_EQ(test, err, -EINVAL);
		KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack),
				   "SID must be SEP followed by 12 hex digits");
		KUNIT_EXPECT_EQ(test, t->n_users, 0U);
	}
}

static void pp_users_table_duplicate_name_refused(struct kunit *test)
{
	static const struct pp_kunit_user users[] = {
		{ .name = "homer", .sid = "SEP000000000001" },
		{ .name = "homer", .sid = "SEP000000000002" },
	};
	struct pp_users *t = pp_kt_users(test, 2, 1);
	struct netlink_ext_ack extack = {};

	KUNIT_ASSERT_EQ(test,
			pp_kunit_add_ccm(test, t, &pp_kt_ccm_default, &extack),
			0);
	KUNIT_EXPECT_EQ(test, pp_kunit_add_user(test, t, &users[0], &extack),
			0);
	KUNIT_EXPECT_EQ(test, pp_kunit_add_user(test, t, &users[1], &extack),
			-EEXIST);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "duplicate user name");
	KUNIT_EXPECT_EQ(test, t->n_users, 1U);
}

static void pp_users_table_duplicate_sid_refused(struct kunit *test)
{
	static const struct pp_kunit_user users[] = {
		{ .name = "homer", .sid = "SEP00000000000A" },
		{ .name = "marge", .sid = "sep00000000000a" },
	};
	struct pp_users *t = pp_kt_users(test, 2, 1);
	struct netlink_ext_ack extack = {};

	KUNIT_ASSERT_EQ(test,
			pp_kunit_add_ccm(test, t, &pp_kt_ccm_default, &extack),
			0);
	KUNIT_EXPECT_EQ(test, pp_kunit_add_user(test, t, &users[0], &extack),
			0);
	KUNIT_EXPECT_EQ(test, pp_kunit_add_user(test, t, &users[1], &extack),
			-EEXIST);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "duplicate SID");
	KUNIT_EXPECT_EQ(test, t->n_users, 1U);
}

static void pp_users_table_user_needs_name_and_sid(struct kunit *test)
{
	static const struct pp_kunit_user no_name = { .sid = "SEP000000000001" };
	static const struct pp_kunit_user empty = {
		.name = "", .sid = "SEP000000000001"
	};
	static const struct pp_kunit_user no_sid = { .name = "homer" };
	struct pp_users *t = pp_kt_users(test, 1, 1);
	struct netlink_ext_ack extack = {};

	KUNIT_ASSERT_EQ(test,
			pp_kunit_add_ccm(test, t, &pp_kt_ccm_default, &extack),
			0);
	KUNIT_EXPECT_EQ(test, pp_kunit_add_user(test, t, &no_name, &extack),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "user name missing");
	KUNIT_EXPECT_EQ(test, pp_kunit_add_user(test, t, &empty, &extack),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "user name is empty");
	KUNIT_EXPECT_EQ(test, pp_kunit_add_user(test, t, &no_sid, &extack),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "user SID missing");
	KUNIT_EXPECT_EQ(test, t->n_users, 0U);
}

/* A user without a CallManager gets the default one; a named one must exist. */
static void pp_users_table_default_callmanager(struct kunit *test)
{
	static const struct pp_kunit_user users[] = {
		{ .name = "homer", .sid = "SEP000000000001" },
		{ .name = "marge", .sid = "SEP000000000002", .ccm = "ccm2" },
		{ .name = "bart", .sid = "SEP000000000003", .ccm = "ccm3" },
	};
	struct pp_users *t = pp_kt_users(test, 3, 2);
	struct netlink_ext_ack extack = {};

	KUNIT_ASSERT_EQ(test,
			pp_kunit_add_ccm(test, t, &pp_kt_ccm_other, &extack), 0);
	KUNIT_ASSERT_EQ(test,
			pp_kunit_add_ccm(test, t, &pp_kt_ccm_default, &extack),
			0);
	KUNIT_ASSERT_EQ(test, pp_kunit_add_user(test, t, &users[0], &extack),
			0);
	KUNIT_EXPECT_STREQ(test, t->users[0].ccm->name, "ccm1");
	KUNIT_ASSERT_EQ(test, pp_kunit_add_user(test, t, &users[1], &extack),
			0);
	KUNIT_EXPECT_STREQ(test, t->users[1].ccm->name, "ccm2");
	KUNIT_EXPECT_EQ(test, pp_kunit_add_user(test, t, &users[2], &extack),
			-ENOENT);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack),
			   "user's CallManager is not in the request");
	KUNIT_EXPECT_EQ(test, t->n_users, 2U);
}

static void pp_users_table_no_default_callmanager_refused(struct kunit *test)
{
	static const struct pp_kunit_user homer = {
		.name = "homer", .sid = "SEP000000000001"
	};
	struct pp_users *t = pp_kt_users(test, 1, 1);
	struct netlink_ext_ack extack = {};

	KUNIT_ASSERT_EQ(test,
			pp_kunit_add_ccm(test, t, &pp_kt_ccm_other, &extack), 0);
	KUNIT_EXPECT_EQ(test, pp_kunit_add_user(test, t, &homer, &extack),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack),
			   "user has no CallManager and there is no default CallManager");
}

static void pp_users_table_one_default_callmanager(struct kunit *test)
{
	const struct pp_kunit_ccm second = {
		.name = "ccm2", .addr = PP_KUNIT_ADDR(198, 51, 100, 11),
		.is_default = true,
	};
	struct pp_users *t = pp_kt_users(test, 0, 2);
	struct netlink_ext_ack extack = {};

	KUNIT_ASSERT_EQ(test,
			pp_kunit_add_ccm(test, t, &pp_kt_ccm_default, &extack),
			0);
	KUNIT_EXPECT_EQ(test, pp_kunit_add_ccm(test, t, &second, &extack),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack),
			   "more than one default CallManager");
	KUNIT_EXPECT_EQ(test, t->default_ccm, 0U);
}

static void pp_users_table_callmanager_rules(struct kunit *test)
{
	const struct pp_kunit_ccm dup = {
		.name = "ccm1", .addr = PP_KUNIT_ADDR(198, 51, 100, 12),
	};
	const struct pp_kunit_ccm empty = {
		.name = "", .addr = PP_KUNIT_ADDR(198, 51, 100, 12),
	};
	const struct pp_kunit_ccm noname = {
		.addr = PP_KUNIT_ADDR(198, 51, 100, 12),
	};
	const struct pp_kunit_ccm zero = { .name = "ccm3" };
	struct pp_users *t = pp_kt_users(test, 0, 5);
	struct netlink_ext_ack extack = {};

	KUNIT_ASSERT_EQ(test,
			pp_kunit_add_ccm(test, t, &pp_kt_ccm_default, &extack),
			0);
	KUNIT_EXPECT_EQ(test, pp_kunit_add_ccm(test, t, &dup, &extack),
			-EEXIST);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "duplicate CallManager name");
	KUNIT_EXPECT_EQ(test, pp_kunit_add_ccm(test, t, &empty, &extack),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "CallManager name is empty");
	KUNIT_EXPECT_EQ(test, pp_kunit_add_ccm(test, t, &noname, &extack),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "CallManager name missing");
	KUNIT_EXPECT_EQ(test, pp_kunit_add_ccm(test, t, &zero, &extack),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack),
			   "CallManager address must not be 0.0.0.0");
	KUNIT_EXPECT_EQ(test, t->n_ccms, 1U);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, pp_users_find_ccm(t, "ccm1"));
	KUNIT_EXPECT_NULL(test, pp_users_find_ccm(t, "ccm3"));
}

static void pp_users_table_capacity(struct kunit *test)
{
	static const struct pp_kunit_user users[] = {
		{ .name = "homer", .sid = "SEP000000000001" },
		{ .name = "marge", .sid = "SEP000000000002" },
	};
	struct pp_users *t = pp_kt_users(test, 1, 1);
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_NULL(test, pp_users_alloc(PP_USERS_MAX + 1, 1));
	KUNIT_EXPECT_NULL(test, pp_users_alloc(1, PP_CCMS_MAX + 1));

	KUNIT_ASSERT_EQ(test,
			pp_kunit_add_ccm(test, t, &pp_kt_ccm_default, &extack),
			0);
	KUNIT_EXPECT_EQ(test, pp_kunit_add_ccm(test, t, &pp_kt_ccm_other,
					       &extack), -E2BIG);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "too many CallManagers");
	KUNIT_EXPECT_EQ(test, pp_kunit_add_user(test, t, &users[0], &extack),
			0);
	KUNIT_EXPECT_EQ(test, pp_kunit_add_user(test, t, &users[1], &extack),
			-E2BIG);
	KUNIT_EXPECT_STREQ(test, pp_kunit_msg(&extack), "too many users");
}

static void pp_users_table_enabled_by_default(struct kunit *test)
{
	static const struct pp_kunit_user users[] = {
		{ .name = "homer", .sid = "SEP000000000001" },
		{ .name = "marge", .sid = "SEP000000000002", .enabled = "1" },
		{ .name = "lisa", .sid = "SEP000000000004", .enabled = "0" },
	};
	struct pp_users *t = pp_kt_users(test, 3, 1);
	struct netlink_ext_ack extack = {};
	unsigned int i;

	KUNIT_ASSERT_EQ(test,
			pp_kunit_add_ccm(test, t, &pp_kt_ccm_default, &extack),
			0);
	for (i = 0; i < ARRAY_SIZE(users); i++)
		KUNIT_ASSERT_EQ(test,
				pp_kunit_add_user(test, t, &users[i], &extack),
				0);
	KUNIT_EXPECT_TRUE(test, pp_users_find_name(t, "homer")->enabled);
	KUNIT_EXPECT_TRUE(test, pp_users_find_name(t, "marge")->enabled);
	KUNIT_EXPECT_FALSE(test, pp_users_find_name(t, "lisa")->enabled);
}

/* Every one of many users is found by name and by SID, in any case. */
static void pp_users_table_lookups(struct kunit *test)
{
	const u32 n = 3000;
	struct pp_users *t = pp_kt_users(test, n, 1);
	struct netlink_ext_ack extack = {};
	char name[16], sid[PP_SID_LEN + 1];
	struct pp_kunit_user u = { .name = name, .sid = sid };
	u32 i, bad = 0;

	KUNIT_ASSERT_EQ(test,
			pp_kunit_add_ccm(test, t, &pp_kt_ccm_default, &extack),
			0);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "user%u", i);
		snprintf(sid, sizeof(sid), "SEP%012X", i * 7919);
		KUNIT_ASSERT_EQ_MSG(test, pp_kunit_add_user(test, t, &u, &extack),
				    0, "%s: %s", name, extack._msg);
	}
	for (i = 0; i < n; i++) {
		const struct pp_user *by_name, *by_sid;

		snprintf(name, sizeof(name), "user%u", i);
		snprintf(sid, sizeof(sid), "sep%012x", i * 7919);
		by_name = pp_users_find_name(t, name);
		by_sid = pp_users_find_sid(t, sid);
		if (by_name != &t->users[i] || by_sid != &t->users[i])
			bad++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_NULL(test, pp_users_find_name(t, "USER1"));
	KUNIT_EXPECT_NULL(test, pp_users_find_name(t, "user3000"));
	KUNIT_EXPECT_NULL(test, pp_users_find_sid(t, "SEP0000000000G0"));
	KUNIT_EXPECT_NULL(test, pp_users_find_sid(t, "SEP000000000001"));
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, pp_users_find_ccm(t, "ccm1"));
	KUNIT_EXPECT_NULL(test, pp_users_find_ccm(t, "CCM1"));
}

static struct kunit_case pp_users_table_cases[] = {
	KUNIT_CASE_PARAM(pp_users_table_sid_format, pp_kt_sid_gen_params),
	KUNIT_CASE(pp_users_table_duplicate_name_refused),
	KUNIT_CASE(pp_users_table_duplicate_sid_refused),
	KUNIT_CASE(pp_users_table_user_needs_name_and_sid),
	KUNIT_CASE(pp_users_table_default_callmanager),
	KUNIT_CASE(pp_users_table_no_default_callmanager_refused),
	KUNIT_CASE(pp_users_table_one_default_callmanager),
	KUNIT_CASE(pp_users_table_callmanager_rules),
	KUNIT_CASE(pp_users_table_capacity),
	KUNIT_CASE(pp_users_table_enabled_by_default),
	KUNIT_CASE(pp_users_table_lookups),
	{}
};

struct kunit_suite pp_users_table_suite = {
	.name = "pp_users_table",
	.test_cases = pp_users_table_cases,
};
