#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Publishing users (guide: "Publish", Appendix B users.xml): a good file
# provisions every user [inactive]; a malformed file is refused whole with
# file:line and the users in effect stay untouched, activations included.
source "$(dirname "$0")/lib.sh"
require ip python3

setup_topology || { tap_result 1 "lab topology"; tap_done; }
write_users_xml "$TMPD/users.xml"
check "publish the guide's users.xml" pp publish "$TMPD/users.xml"
check "published users show [inactive]" \
	show_user_has '^homer +SEP001122334455 +\[inactive\]'
check "the published file is kept for the next boot" \
	test -s "$PP_STATE_DIR/users.xml"
pp set user active name homer address $PHONE
# Who is published and where they are active (durations tick, so not those).
users_now() { pp show user | awk '{print $1, $2, $3}'; }
before=$(users_now)

# Each bad file: the line the error must name, and a word of the reason.
bad() {	# bad NAME LINE PATTERN  (file content on stdin)
	local f=$TMPD/$1.xml line=$2 pat=$3 out
	cat > "$f"
	out=$(pp publish "$f" 2>&1)
	if [ $? = 0 ]; then
		diag "$1: accepted"
		return 1
	fi
	if ! printf '%s' "$out" | grep -Eq "$f:$line: .*($pat)"; then
		diag "$1: $out"
		return 1
	fi
	[ "$(users_now)" = "$before" ] || { diag "$1: users changed"; return 1; }
}

check "a bad SID is refused with file:line, users unchanged" bad badsid 4 'sid|SID' <<XML
<users name="x">
  <ccm name="ccm" default="true"><address>$CCM</address></ccm>
  <user id="1" name="homer"><ccmName>ccm</ccmName>
    <sid>SEP12</sid><enabled>true</enabled></user>
</users>
XML
check "a duplicate user name is refused with file:line" bad dupname 5 'duplicate|already' <<XML
<users name="x">
  <ccm name="ccm" default="true"><address>$CCM</address></ccm>
  <user id="1" name="homer"><ccmName>ccm</ccmName><sid>SEP001122334455</sid></user>
  <user id="2" name="lisa"><ccmName>ccm</ccmName><sid>SEP001122334466</sid></user>
  <user id="3" name="homer"><ccmName>ccm</ccmName><sid>SEP001122334477</sid></user>
</users>
XML
check "an unknown CallManager is refused with file:line" bad unknownccm 4 'ccm|CallManager' <<XML
<users name="x">
  <ccm name="ccm" default="true"><address>$CCM</address></ccm>
  <user id="1" name="homer">
    <ccmName>nowhere</ccmName><sid>SEP001122334455</sid></user>
</users>
XML
check "a CallManager without a valid address is refused" bad badaddr 2 'address' <<XML
<users name="x">
  <ccm name="ccm" default="true"><address>198.51.100.999</address></ccm>
  <user id="1" name="homer"><ccmName>ccm</ccmName><sid>SEP001122334455</sid></user>
</users>
XML
check "XML that is not well formed is refused with file:line" bad notxml 3 '.' <<XML
<users name="x">
  <ccm name="ccm" default="true"><address>$CCM</address></ccm>
  <user id="1" name="homer"><sid>SEP001122334455</sid></usr>
</users>
XML
check "a duplicate SID is refused with file:line" bad dupsid 4 'sid|SID' <<XML
<users name="x">
  <ccm name="ccm" default="true"><address>$CCM</address></ccm>
  <user id="1" name="homer"><ccmName>ccm</ccmName><sid>SEP001122334455</sid></user>
  <user id="2" name="lisa"><ccmName>ccm</ccmName><sid>sep001122334455</sid></user>
</users>
XML
check "homer's activation survived every refused publish" \
	show_user_has "^homer +SEP001122334455 +$PHONE "
check_fail "publishing a file that does not exist fails" pp publish "$TMPD/none.xml"

# A large table goes through in one transaction.
python3 - "$TMPD/big.xml" "$CCM" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('<users name="big">\n<ccm name="ccm" default="true"><address>%s</address></ccm>\n' % sys.argv[2])
    for i in range(5000):
        f.write('<user id="id-%d" name="user%05d"><ccmName>ccm</ccmName><sid>SEP%012X</sid><enabled>true</enabled></user>\n' % (i, i, 0x0011AA000000 + i))
    f.write('</users>\n')
PY
check "5000 users publish in one transaction" pp publish "$TMPD/big.xml"
check "all 5000 are listed" \
	sh -c "test \$(ip netns exec $NS_PROXY $PPCTL show user | grep -c '^user[0-9]') = 5000"
check "a user of the big table activates" \
	pp set user active name user04999 address $PHONE2

tap_done
