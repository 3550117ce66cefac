#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The guide's activation rules ("User Activation", "Setting the activation
# idletimeout/authtimeout"): one user <-> one address, displacement, move,
# unknown and disabled users refused with UserAuthFailure, the timeouts,
# and every change seen on the events multicast group.
source "$(dirname "$0")/lib.sh"
require ip

setup_topology || { tap_result 1 "lab topology"; tap_done; }
write_users_xml "$TMPD/users.xml"
check "publish the guide's users.xml" pp publish "$TMPD/users.xml"
start_monitor

out=$(pp set user active name homer address $PHONE 2>&1)
tap_result $? "set user active succeeds"
[ -z "$out" ]
tap_result $? "set user active is silent on success"
check "activation event names user, sid, address and who" \
	wait_event 5 "^activated user=homer sid=SEP001122334455 addr=$PHONE reason=cli"

check "show user lists homer at the phone's address" \
	show_user_has "^homer +SEP001122334455 +$PHONE +[0-9]+s"
check "show user shows marge [inactive]" \
	show_user_has '^marge +SEP0003E348E321 +\[inactive\]'
check "show user has the guide's header" \
	show_user_has '^name +sid +addr +duration +connected$'


# Displacement: marge activates at homer's address.
check "activating another user at a held address succeeds" \
	pp set user active name marge address $PHONE
check "the previous holder is inactivated as displaced" \
	wait_event 5 "^inactivated user=homer sid=SEP001122334455 addr=$PHONE reason=displaced"
check "the new holder is activated" \
	wait_event 5 "^activated user=marge .*addr=$PHONE reason=cli"
check "show user: homer is [inactive] after displacement" \
	show_user_has '^homer +SEP001122334455 +\[inactive\]'


# Move: marge activates at a new address.
check "activating a user at a new address succeeds" \
	pp set user active name marge address $PHONE2
check "the old activation ends as moved" \
	wait_event 5 "^inactivated user=marge .*addr=$PHONE reason=moved"
check "show user: marge at the new address only" \
	sh -c "ip netns exec $NS_PROXY $PPCTL -j show user | python3 -c '
import json, sys
users = {u[\"name\"]: u for u in json.load(sys.stdin)}
assert users[\"marge\"][\"addr\"] == \"$PHONE2\", users
assert users[\"homer\"].get(\"addr\") in (None, \"\"), users
'"

# Refusals.
out=$(pp set user active name nobody address $PHONE 2>&1)
rc=$?
[ $rc != 0 ] && printf '%s' "$out" | grep -q '^UserAuthFailure'
tap_result $? "unknown user refused with UserAuthFailure and non-zero exit"
out=$(pp set user active name bart address $PHONE 2>&1)
rc=$?
[ $rc != 0 ] && printf '%s' "$out" | grep -q '^UserAuthFailure'
tap_result $? "disabled user refused with UserAuthFailure and non-zero exit"
check "a refused activation leaves the others in place" \
	show_user_has "^marge +SEP0003E348E321 +$PHONE2 "
check_fail "the address 0.0.0.0 is refused" \
	pp set user active name homer address 0.0.0.0
check_fail "a malformed address is refused" \
	pp set user active name homer address 192.0.2.300

# Administrator inactivation.
check "set user inactive succeeds" pp set user inactive name marge
check "inactivation by the administrator is an event with reason cli" \
	wait_event 5 "^inactivated user=marge .*reason=cli"
check_fail "inactivating an inactive user reports an error" \
	pp set user inactive name marge

# Idle timeout: not connected within N seconds of activation.
check "set phoneproxy activation idletimeout 2" \
	pp set phoneproxy activation idletimeout 2
pp set user active name homer address $PHONE
check "idle timeout inactivates a phone that never connects" \
	wait_event 8 "^inactivated user=homer .*reason=timeout-idle"

# Auth timeout: N seconds after activation whatever happens.
pp set phoneproxy activation idletimeout 0
check "set phoneproxy activation authtimeout 2" \
	pp set phoneproxy activation authtimeout 2
pp set user active name marge address $PHONE2
check "auth timeout inactivates after N seconds" \
	wait_event 8 "^inactivated user=marge .*reason=timeout-auth"
pp set phoneproxy activation authtimeout 0
pp set user active name homer address $PHONE
sleep 3
check "with both timeouts off an activation stays" \
	show_user_has "^homer +SEP001122334455 +$PHONE "

# Re-publishing without a user inactivates it.
python3 - "$TMPD/users.xml" "$TMPD/users2.xml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r'<user id="[^"]*" name="homer">.*?</user>', '', s, flags=re.S)
open(sys.argv[2], 'w').write(s)
PY
check "publish a users.xml without homer" pp publish "$TMPD/users2.xml"
check "an unpublished user's activation ends with reason unpublished" \
	wait_event 5 "^inactivated user=homer .*reason=unpublished"

tap_done
