#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The guide's "Setting Up Open Activation Mode", SCCP side (issue 18 item
# 7; docs/sccp.md, "Open mode"): with activation mode open, a phone that is
# not activated is proxied to the AdHoCuSeR's CallManager (here a second
# CallManager, 198.51.100.11), not dropped; in required mode it is dropped.
# The attacker's side: such a phone may not register as the device of a
# user active now, may open at most "sccp maxconnections" connections from
# its address, and loses its connection when its address is activated
# (it reconnects to its user's CallManager) or the mode is required again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"
require ip jq
require_sims
grep -qw pp_sccp_net_init /proc/kallsyms || skip_all "the module has no SCCP proxy"

A=SEP001122334455	# homer
B=SEP0003E348E321	# marge
ADHOC_CCM=198.51.100.11
setup_topology || skip_all "cannot build the lab topology"
ip -n "$NS_CCM" addr add $ADHOC_CCM/24 dev veth-ccm
write_users_xml "$TMPD/users.xml" "  <ccm name=\"adhoc\"><address>$ADHOC_CCM</address></ccm>
  <user id=\"a5\" name=\"AdHoCuSeR\"><ccmName>adhoc</ccmName><sid>SEP000000000000</sid></user>"
check "publish the users with AdHoCuSeR on its own CallManager" pp publish "$TMPD/users.xml"
pp set user active name homer address $PHONE > /dev/null

ccm_start ccm || skip_all "pp-ccm-sim does not start"
# The AdHoCuSeR's CallManager: a second pp-ccm-sim on its address.
ip netns exec "$NS_CCM" "$CCM_SIM" --listen $ADHOC_CCM --control "$TMPD/adhoc.sock" \
	> "$TMPD/adhoc.out" 2> "$TMPD/adhoc.err" &
at_exit "kill $!"
wait_for 10 test -S "$TMPD/adhoc.sock"

counter() { pp -j show counters | jq -r ".$1"; }
registered_at() { grep -q "^registered sid=$2 " "$TMPD/$1.out"; }

# ---- required mode: dropped ----
phone_start marge-req "$NS_PHONE2" --server $NORTH --sid $B --retry 0
snooze 3
check_fail "required mode: a phone not activated does not register" \
	eval "grep -q '^registered' $TMPD/marge-req.out $TMPD/adhoc.out"
check "... and no connection of it reached a CallManager" [ "$(counter sccp_adhoc)" = 0 ]
kill "$PHONE_PID" 2>/dev/null

# ---- open mode: the AdHoCuSeR's CallManager fields it ----
check "set phoneproxy activation mode open" pp set phoneproxy activation mode open
phone_start marge "$NS_PHONE2" --server $NORTH --sid $B --retry 0
MARGE_PID=$PHONE_PID
check "open mode: a phone not activated registers at the AdHoCuSeR's CallManager" \
	wait_for 20 registered_at adhoc $B
check "... through the proxy (the CallManager sees the south address)" \
	grep -q "^registered sid=$B .*peer=$SOUTH:" "$TMPD/adhoc.out"
check_fail "... not at the user's CallManager" grep -q "^registered sid=$B " "$TMPD/ccm.out"
check "show counters: sccp_adhoc 1" [ "$(counter sccp_adhoc)" = 1 ]
phone_start homer "$NS_PHONE" --server $NORTH --sid $A --retry 0
check "an activated phone still registers at its user's CallManager" wait_for 20 registered_at ccm $A

# ---- the attacker: not as an active user's device ----
mism=$(counter sccp_sid_mismatch)
phone_start evil "$NS_PHONE2" --server $NORTH --sid $A --retry 0
check "a phone not activated registering as the device of a user active now: reset" \
	wait_for 20 eval "[ \$(pp -j show counters | jq -r .sccp_sid_mismatch) -gt $mism ]"
check_fail "... never registered at either CallManager" \
	eval "[ \$(grep -c '^registered sid=$A ' $TMPD/ccm.out $TMPD/adhoc.out | awk -F: '{ s += \$2 } END { print s }') -gt 1 ]"

# ---- the attacker: connections per source address ----
check "set phoneproxy sccp maxconnections 2" pp set phoneproxy sccp maxconnections 2
lim=$(counter sccp_adhoc_limit)
# marge's phone holds one; three more SYNs from its address: one passes.
syns=()
for i in 1 2 3; do
	ip netns exec "$NS_PHONE2" timeout 3 bash -c "exec 3<>/dev/tcp/$NORTH/2000; sleep 2" &
	syns+=($!)
done
wait_for 10 eval "[ \$(pp -j show counters | jq -r .sccp_adhoc_limit) -ge $((lim + 2)) ]"
check "open mode bounds a source address to sccp maxconnections: the SYNs beyond are dropped and counted" \
	[ "$(counter sccp_adhoc_limit)" -ge $((lim + 2)) ]
wait "${syns[@]}" 2>/dev/null
check "... while the activated phone's connection is not affected" \
	eval "! grep -q '^disconnected' $TMPD/homer.out"

# ---- activated: it goes to its user's CallManager ----
check "set user active name marge (its address)" pp set user active name marge address $PHONE2
check "activating the address resets its AdHoCuSeR connection" \
	wait_for 20 grep -q "^disconnected sid=$B" "$TMPD/marge.out"
wait "$MARGE_PID" 2>/dev/null
phone_start marge2 "$NS_PHONE2" --server $NORTH --sid $B --retry 0
check "... and the phone then registers at its user's CallManager" wait_for 20 registered_at ccm $B
pp set user inactive name marge > /dev/null
wait_for 20 grep -q "^disconnected sid=$B" "$TMPD/marge2.out"

# ---- required again: the AdHoCuSeR's connections end ----
phone_start marge3 "$NS_PHONE2" --server $NORTH --sid $B --retry 0
wait_for 20 eval "[ \$(grep -c '^registered sid=$B ' $TMPD/adhoc.out) -ge 2 ]"
check "set phoneproxy activation mode required" pp set phoneproxy activation mode required
check "required again: the AdHoCuSeR connection is reset" \
	wait_for 20 grep -q "^disconnected sid=$B" "$TMPD/marge3.out"
check_fail "... and the activated phone's is not" grep -q '^disconnected' "$TMPD/homer.out"

tap_done
