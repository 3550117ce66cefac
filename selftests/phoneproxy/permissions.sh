#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Only the administrator changes anything: netlink writes from a user
# without CAP_NET_ADMIN are refused; reads stay open.
source "$(dirname "$0")/lib.sh"
require ip setpriv

setup_topology || { tap_result 1 "lab topology"; tap_done; }
write_users_xml "$TMPD/users.xml"
chmod 755 "$TMPD"
chmod 644 "$TMPD/users.xml"
pp publish "$TMPD/users.xml" >/dev/null

nobody() {
	ip netns exec "$NS_PROXY" setpriv --reuid=65534 --regid=65534 \
		--clear-groups --inh-caps=-all --bounding-set=-all "$PPCTL" "$@"
}
check_fail "an unprivileged user cannot activate" \
	nobody set user active name homer address $PHONE
check "the refusal says the operation is not permitted" \
	sh -c "$(declare -f nobody); NS_PROXY=$NS_PROXY PPCTL=$PPCTL; nobody set user active name homer address $PHONE 2>&1 | grep -Eiq 'not permitted|permission'"
check_fail "an unprivileged user cannot publish users" \
	nobody publish "$TMPD/users.xml"
check_fail "an unprivileged user cannot change the configuration" \
	nobody set phoneproxy activation mode open
check_fail "an unprivileged user cannot bind an interface role" \
	nobody set interface north address $PHONE
check "nothing changed: homer is still [inactive]" \
	show_user_has '^homer +SEP001122334455 +\[inactive\]'
check "an unprivileged user can read the user table" nobody show user
pp set user active name homer address $PHONE
check_fail "an unprivileged user cannot inactivate" \
	nobody set user inactive name homer
check "homer is still active" show_user_has "^homer +SEP001122334455 +$PHONE "

tap_done
