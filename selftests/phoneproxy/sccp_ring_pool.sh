#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The SCCP stream buffers against a phone that acknowledges nothing
# (docs/sccp.md, "Memory"): a direction of a connection holds a 4 KiB byte
# ring only while the far end has not acknowledged its bytes, from a pool
# bounded per phone (sccp maxconnections) and per namespace (the module
# parameter sccp_rings_max). Two activated addresses play the attacker:
# their connections get the CallManager's greeting and never acknowledge
# it (nft drops what reaches them), so each holds a ring for good, and
# their own bytes beyond the bound are dropped, counted, never passed.
# Another phone still works while the per-phone bound is reached; with
# the namespace's pool exhausted its bytes wait (dropped, retransmitted by
# its CallManager) and go through once the attackers' connections end.
# The CallManager is sccp_hold.py (greets, answers keepalives, records
# what its TCP delivers per source port).
# (Addresses share a bound when their keyed hash falls in one of 1,024
# slots: with three addresses, about one run in 340 has two in one.)
source "$(dirname "$0")/lib.sh"
require ip nft python3 jq
grep -qw pp_sccp_net_init /proc/kallsyms || skip_all "the module has no SCCP proxy"
PARAM=/sys/module/phoneproxy/parameters/sccp_rings_max
[ -w $PARAM ] || skip_all "the module has no sccp_rings_max parameter"

HERE=$(cd "$(dirname "$0")" && pwd)
A1=$PHONE		# homer: the first attacker
A2=192.0.2.11		# lisa: the second
REC=$TMPD/rec
mkdir -p "$REC"
setup_topology || skip_all "cannot build the lab topology"
ip -n "$NS_PHONE" addr add $A2/24 dev veth-ph
write_users_xml "$TMPD/users.xml" '  <user id="9d2f" name="lisa"><ccmName>ccm</ccmName><sid>SEP00112233AA01</sid></user>'
pp publish "$TMPD/users.xml" > /dev/null || skip_all "cannot publish users"
pp set user active name homer address $A1 > /dev/null
pp set user active name lisa address $A2 > /dev/null
pp set user active name marge address $PHONE2 > /dev/null
pp set phoneproxy sccp maxconnections 4
# The attackers never see the CallManager's data: they never acknowledge it.
printf '%s\n' 'table ip attacker {' ' chain in {' '  type filter hook input priority 0;' \
	"  ip saddr $NORTH tcp sport 2000 tcp flags & syn == 0 ip length > 56 drop" ' }' '}' |
	nsx "$NS_PHONE" nft -f - || skip_all "nftables"
ip netns exec "$NS_CCM" python3 "$HERE/sccp_hold.py" ccm $CCM "$REC" > "$TMPD/ccm.out" 2>&1 &
at_exit "kill $!"
wait_for 10 grep -q listening "$TMPD/ccm.out" || skip_all "the CallManager does not listen"
old=$(cat $PARAM)
at_exit "echo $old > $PARAM"

counter() { pp -j show counters | jq -r ".$1"; }
buffers_are() { [ "$(counter sccp_buffers)" = "$1" ]; }
hold() {	# hold NAME ADDRESS: 4 connections held, SIGUSR1 sends, SIGTERM resets
	ip netns exec "$NS_PHONE" python3 "$HERE/sccp_hold.py" hold $2 $NORTH 4 > "$TMPD/$1.out" 2>&1 &
	eval "$1=$!"
	at_exit "kill $! 2>/dev/null"
}

check "no stream buffer taken by an idle namespace" buffers_are 0

# ---- one phone: at most sccp maxconnections buffers ------------------

hold H1 $A1
check "the first attacker opens its 4 connections (sccp maxconnections)" \
	wait_for 20 grep -q "connected 4" "$TMPD/H1.out"
check "the first attacker holds one buffer a connection: its 4 greetings unacknowledged" \
	wait_for 20 buffers_are 4
nb=$(counter sccp_no_buffer)
kill -USR1 $H1
check "its own bytes beyond its bound (4 more directions) dropped, counted as sccp no buffer" \
	wait_for 20 eval "[ \$(counter sccp_no_buffer) -gt $nb ]"
check "the bound holds: still 4 buffers" buffers_are 4
check "none of those bytes reached the CallManager" eval "[ -z \"\$(ls $REC)\" ]"
check "another phone still works: greeting and answer through the proxy" \
	nsx "$NS_PHONE2" python3 "$HERE/sccp_hold.py" talk $PHONE2 41000 $NORTH 20
check "the CallManager's TCP delivered its keepalive" eval "[ \$(stat -c %s $REC/41000) = 12 ]"
check "its buffers given back once acknowledged: 4 left, the attacker's" \
	wait_for 10 buffers_are 4

# ---- the namespace: at most sccp_rings_max buffers --------------------

echo 6 > $PARAM
hold H2 $A2
check "the second attacker opens its 4 connections" \
	wait_for 20 grep -q "connected 4" "$TMPD/H2.out"
check "the namespace's bound holds: 6 buffers (sccp_rings_max), not 8" \
	wait_for 20 buffers_are 6
snooze 2
check "still 6 after the greetings' retransmissions" buffers_are 6
nb=$(counter sccp_no_buffer)
ip netns exec "$NS_PHONE2" python3 "$HERE/sccp_hold.py" talk $PHONE2 41001 $NORTH 90 > "$TMPD/talk.out" 2>&1 &
TALK=$!
at_exit "kill $TALK 2>/dev/null"
check "pool exhausted: the other phone's greeting dropped and counted, never passed unchecked" \
	wait_for 20 eval "[ \$(counter sccp_no_buffer) -gt $nb ]"
check "pool exhausted: the other phone has not received it" eval "! grep -q greeting $TMPD/talk.out"
kill -TERM $H1 $H2
check "the attackers reset their connections: their buffers come back (on the RST)" \
	wait_for 40 eval "[ \$(counter sccp_buffers) -le 1 ]"
check "then the other phone's connection goes on: its greeting and answer arrive" \
	wait_for 60 grep -q answer "$TMPD/talk.out"
check "its keepalive delivered to the CallManager" eval "[ \$(stat -c %s $REC/41001) = 12 ]"
check "every buffer given back" wait_for 10 buffers_are 0
diag "sccp no buffer: $(counter sccp_no_buffer)"
tap_done
