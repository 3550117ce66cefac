#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The guide's "Failover" (issue 15 item 3, docs/cluster.md "Failover"):
# "Each phone will maintain an Active (primary) connection and a Standby
# (secondary) connection, each to their configured PhoneProxy [...] suppose
# pp1 goes down. The phones using pp1 as their primary will switch their
# registration to their secondary (pp2)". Three nodes as cluster.sh builds
# them (cluster_lib.sh), each with a north and a south address; five
# phones (pp-phone-sim --servers: nodes 1, 2, 3 in their group, keepalive
# 2 s) register through node 1 and hold a standby connection through node
# 2; node 1 dies silently (links cut, daemons killed, its namespace and
# module state gone: no FIN or RST reaches anyone); every phone registers
# through node 2 within its own keepalive timers (the time is printed);
# no activation is lost; node 1 comes back and resynchronises.
#
#   phones 192.0.2.11-15 --- br-north --- north 192.0.2.N   [node N]
#   CallManager 198.51.100.10 --- br-south --- south 198.51.100.N
#   (br-north, br-south and br-cl in $NS_BR)
source "$(dirname "$0")/lib.sh"
require ip corosync unshare python3 jq
source "$(dirname "$0")/cluster_lib.sh"
source "$(dirname "$0")/sim.sh"
[ -x "$CLUSTERD" ] || skip_all "pp-clusterd not built ($CLUSTERD)"
require_sims
grep -qw pp_sccp_net_init /proc/kallsyms || skip_all "the module has no SCCP proxy"

KA=2			# the phones' and the CallManager's keepalive (s)
MISSES=3		# KeepAlives unanswered before a phone gives up (SIM_KA_MISSES)
NPH=5
SID_BASE=SEP00000000F001
EVE=SEP00000000F0EE	# a published user never activated
ATTACKER=192.0.2.99	# an address no user is active at
SERVERS=192.0.2.1,192.0.2.2,192.0.2.3
sid_of() { printf 'SEP00000000F%03X' $((0x001 + $1)); }	# phone i (0..4)
addr_of() { echo "192.0.2.$((11 + $1))"; }

lab() {
	local n
	setup_cluster_net || return 1
	for n in 1 2 3; do
		ip -n "$(node_ns $n)" link set eth-cl address 02:00:cb:00:71:0$n
	done
	north_net || return 1
	for ns in $NS_PHONE $NS_CCM; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
	done
	ip link add veth-ph netns "$NS_PHONE" type veth peer name ph netns "$NS_BR"
	ip link add veth-ccm netns "$NS_CCM" type veth peer name ccm netns "$NS_BR"
	ip -n "$NS_BR" link set ph master br-north up
	ip -n "$NS_BR" link set ccm master br-south up
	for ((i = 0; i < NPH; i++)); do
		ip -n "$NS_PHONE" addr add "$(addr_of $i)/24" dev veth-ph
	done
	ip -n "$NS_PHONE" addr add $ATTACKER/24 dev veth-ph
	ip -n "$NS_PHONE" link set veth-ph up
	ip -n "$NS_CCM" addr add $CCM/24 dev veth-ccm
	ip -n "$NS_CCM" link set veth-ccm up
}

lab || { tap_result 1 "three nodes, north and south bridges"; tap_done; }
{
	echo '<users name="pp-test">'
	echo "  <ccm name=\"ccm\" default=\"true\"><address>$CCM</address></ccm>"
	for ((i = 0; i < NPH; i++)); do
		echo "  <user name=\"u$i\"><ccmName>ccm</ccmName><sid>$(sid_of $i)</sid></user>"
	done
	echo "  <user name=\"lisa\"><ccmName>ccm</ccmName><sid>SEP00000000F0AA</sid></user>"
	echo "  <user name=\"eve\"><ccmName>ccm</ccmName><sid>$EVE</sid></user>"
	echo '</users>'
} > "$TMPD/users.xml"
check "users.xml published on node 1" ppn 1 publish "$TMPD/users.xml"
start_cluster

for ((i = 0; i < NPH; i++)); do
	ppn 1 set user active name u$i address "$(addr_of $i)" >/dev/null
done
want=$(for ((i = 0; i < NPH; i++)); do echo "u$i $(addr_of $i)"; done | sort)
check "the five users activated on node 1 are active on every node" until_ok 15 all_hold "$want"

# regs_on "NODES" WORD: "registrations_by_node" is WORD on each node.
regs_on() {
	local n
	for n in $1; do
		[ "$(cluster_field $n registrations_by_node)" = "$2" ] || return 1
	done
}
# standby_users N: on node N each phone's user has one connection, not
# registered (a standby connection).
standby_users() {
	ppn "$1" -j show user | jq -e --argjson n $NPH '
		[.[] | select(.name | test("^u[0-9]$")) | select(.connections == 1 and .registered == 0)]
		| length == $n' >/dev/null
}
ccm_lines() { grep -cE "$1" "$TMPD/ccm.out"; }
phone_lines() { grep -cE "$1" "$TMPD/ph.out"; }

ccm_start ccm --keepalive $KA || { tap_result 1 "the CallManager simulator"; tap_done; }
phone_start ph "$NS_PHONE" --servers $SERVERS --sid-base $SID_BASE --count $NPH \
	--bind "$(addr_of 0)" --bind-count $NPH --keepalive $KA
check "every phone registers with the first of its group, through node 1" \
	wait_for 30 sh -c "[ \$(grep -cE '^registered .* peer=198\.51\.100\.1:' $TMPD/ccm.out) = $NPH ]"
check "every phone holds a standby connection through node 2: KeepAlives answered by the CallManager, no Register" \
	wait_for 20 sh -c "[ \$(grep -cE '^standby .* server=192\.0\.2\.2:2000 ' $TMPD/ph.out) = $NPH ]"
check "node 2 carries each standby connection (one connection a user, not registered)" standby_users 2
check "every node knows the five registrations as node 1's (1:5,2:0,3:0)" \
	until_ok 20 regs_on "1 2 3" "1:5,2:0,3:0"

# The attacker, before the failure. A standby connection from an address
# nobody is active at: the firewall drops its SYN (no answer at all).
drops() { ppn 2 -j show counters | sed -n 's/.*"drop":\([0-9]*\).*/\1/p'; }
mism() { ppn 2 -j show counters | sed -n 's/.*"sccp_sid_mismatch":\([0-9]*\).*/\1/p'; }
d0=$(drops)
out=$(ip netns exec "$NS_PHONE" python3 -c "
import socket
s = socket.socket(); s.bind(('$ATTACKER', 0)); s.settimeout(3)
try:
    s.connect(('192.0.2.2', 2000)); print('connected')
except OSError as e:
    print('no answer' if isinstance(e, socket.timeout) else 'refused: %s' % e)" 2>&1)
[ "$out" = "no answer" ] && [ "$(drops)" -gt "$d0" ]
tap_result $? "a standby connection from an address not activated is not carried: its SYN dropped silently ($out; drop counter $d0 -> $(drops))"
# From an activated address: a standby connection (a KeepAlive answered),
# then a Register as a user not active: the SID check resets it.
m0=$(mism)
out=$(ip netns exec "$NS_PHONE" python3 -c "
import socket, struct
def pdu(i, body=b''): return struct.pack('<III', 4 + len(body), 0, i) + body
s = socket.socket(); s.bind(('$(addr_of 0)', 0)); s.settimeout(5)
s.connect(('192.0.2.2', 2000))
s.sendall(pdu(0x0000))
ack = s.recv(12)
print('keepalive-ack' if len(ack) == 12 and struct.unpack('<I', ack[8:12])[0] == 0x0100 else 'no ack')
body = b'$EVE'.ljust(16, b'\0') + struct.pack('<IIIII', 0, 1, 0, 7, 5)
s.sendall(pdu(0x0001, body))
try:
    got = s.recv(64)
    print('register-answered' if got else 'closed')
except ConnectionResetError:
    print('reset')
except socket.timeout:
    print('timeout')" 2>&1 | tr '\n' ' ')
case $out in
"keepalive-ack reset "|"keepalive-ack closed ") [ "$(mism)" -gt "$m0" ] && ! grep -q "sid=$EVE" "$TMPD/ccm.out" ;;
*) false ;;
esac
tap_result $? "a standby connection does not let a user not active register: KeepAlive carried, Register as $EVE reset by the SID check ($out)"
check "the phones' standby connections are untouched by it" \
	sh -c "! grep -q '^standby-lost' $TMPD/ph.out && [ \$(grep -c '^failover' $TMPD/ph.out) = 0 ]"

# ---- node 1 dies: links cut first (nothing it sends gets out), daemons
# killed, its namespace (module state, conntrack, addresses) deleted.
t0=$EPOCHREALTIME
for p in n1 s1 p1; do ip -n "$NS_BR" link set $p down; done
kill -9 "${COROSYNC_PID[1]}" "${CLUSTERD_PID[1]}"
wait "${COROSYNC_PID[1]}" "${CLUSTERD_PID[1]}" 2>/dev/null
ip netns del "$(node_ns 1)"
bound=$(((MISSES + 1) * KA + 12))
failed_over() { [ "$(phone_lines '^failover-registered .* server=192\.0\.2\.2:2000 ')" = $NPH ]; }
if until_ok $bound failed_over; then
	ms=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
	worst=$(sed -n 's/^failover-registered .* silent_ms=\([0-9]*\).*/\1/p' "$TMPD/ph.out" | sort -n | tail -n 1)
	tap_result 0 "node 1 dead: every phone registered through node 2 within $bound s ((misses + 1) x keepalive + 12 s): $ms ms"
	diag "failover: node 1 cut to the last of $NPH phones registered through node 2: $ms ms (polled every 0.3 s); the phones' own silent_ms (last message from node 1 to RegisterAck through node 2) at most $worst ms; keepalive $KA s, $MISSES unanswered"
else
	tap_result 1 "node 1 dead: every phone registered through node 2 within $bound s"
	diag "$(grep -E '^(failover|standby|disconnected)' "$TMPD/ph.out" | tail -n 12)"
fi
check "each phone gave up node 1 on its KeepAlives ($MISSES unanswered), not on a FIN or RST" \
	[ "$(phone_lines '^failover .* index=1 reason="3 KeepAlives unanswered" standby=192\.0\.2\.2:2000')" = $NPH ]
check "the CallManager took each registration again through node 2 (south 198.51.100.2)" \
	[ "$(ccm_lines '^registered .* peer=198\.51\.100\.2:')" = $NPH ]
check "... and closed each old connection, still open through the dead node (as CUCM does)" \
	[ "$(ccm_lines '^disconnected .*reason="replaced by a new registration"')" = $NPH ]
check "nodes 2 and 3 know the five registrations as node 2's (2:5,3:0)" \
	until_ok 30 regs_on "2 3" "2:5,3:0"
check "no activation lost: nodes 2 and 3 hold the five users at their addresses" \
	sh -c "[ \"\$(ip netns exec $(node_ns 2) $PPCTL show user | awk '\$2 ~ /^SEP/ && \$3 != \"[inactive]\" { print \$1, \$3 }' | sort)\" = \"$want\" ] &&
	       [ \"\$(ip netns exec $(node_ns 3) $PPCTL show user | awk '\$2 ~ /^SEP/ && \$3 != \"[inactive]\" { print \$1, \$3 }' | sort)\" = \"$want\" ]"
check "every phone opens a new standby connection, to node 3 (the next of its group)" \
	wait_for 20 sh -c "[ \$(grep -cE '^standby .* server=192\.0\.2\.3:2000 ' $TMPD/ph.out) = $NPH ]"
check "node 3 carries them" standby_users 3
check "the cluster goes on without node 1: lisa activated on node 2" \
	ppn 2 set user active name lisa address 192.0.2.30
two_hold() { [ "$(active 2)" = "$(active 3)" ] && active 3 | grep -qx "lisa 192.0.2.30"; }
check "... is active on node 3" until_ok 10 two_hold

# ---- node 1 comes back: a new namespace (a fresh module state), its
# links, corosync and pp-clusterd at once, as a node that reboots: its
# corosync is alone in a ring of its own for a while, not quorate, and
# pp-clusterd waits for quorum before it joins the group (a fresh node 1
# first member of a group of its own would win the merge and undo every
# activation of the cluster).
t1=$EPOCHREALTIME
node_net 1 && ip -n "$(node_ns 1)" link set eth-cl address 02:00:cb:00:71:01 && node_links 1
tap_result $? "node 1 back: its namespace, links and proxy addresses"
# The boot-time replay (phoneproxy-startup) publishes the kept users.xml
# into the new module; pp-clusterd is not there yet to replicate it.
ppn 1 publish "$TMPD/node1/pp/users.xml" >/dev/null 2>&1
mv "$TMPD/node1/clusterd.log" "$TMPD/node1/clusterd-before.log"
start_corosync 1
start_clusterd 1
# Not quorate: show cluster says so, or (the window passed between two
# polls) the log does.
not_quorate() {
	ppn 1 show cluster 2>/dev/null | awk '$1 == "quorate" { q = $2 } $1 == "state" { s = $2 }
		END { exit !(q == "no" && s == "waiting-quorum") }' ||
		grep -q 'not quorate: waiting to join' "$TMPD/node1/clusterd.log"
}
check "node 1's pp-clusterd, started beside its corosync alone in its ring: not quorate, waiting to join" \
	until_ok 15 not_quorate
ok=0
for n in 1 2 3; do until_ok 60 in_sync $n || ok=1; done
tap_result $ok "node 1 quorate in the ring of three: it joins, all three in sync ($(awk -v a="$t1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }') ms from its links back)"
check "node 1 joined as a joiner: it took node 2's snapshot, never the first member of a group of its own" \
	sh -c "grep -q 'not quorate: waiting to join' $TMPD/node1/clusterd.log &&
	       grep -q 'waiting for the snapshot of node 2' $TMPD/node1/clusterd.log &&
	       ! grep -q 'first member of group' $TMPD/node1/clusterd.log"
wantall=$(for ((i = 0; i < NPH; i++)); do echo "u$i $(addr_of $i)"; done; echo "lisa 192.0.2.30")
wantall=$(echo "$wantall" | sort)
check "every activation intact on every node: the five phones' and lisa's (made while node 1 was away)" \
	until_ok 20 all_hold "$wantall"
check "node 1's new module holds the cluster's seven users" \
	[ "$(ppn 1 show user | awk '$2 ~ /^SEP/' | wc -l)" = 7 ]
check "every node knows the five registrations as node 2's (1:0,2:5,3:0)" \
	until_ok 20 regs_on "1 2 3" "1:0,2:5,3:0"
check "the phones stay registered through node 2 (no fallback to the primary)" \
	sh -c "[ \$(grep -c '^failover-registered' $TMPD/ph.out) = $NPH ] && $CCM_SIM --client $TMPD/ccm.sock stats | grep -q ' registered=$NPH '"
[ $_tap_failed = 0 ] || { show_all; logs 1 2 3; }
diag "cluster_failover.sh: $(($(date +%s) - start)) s from corosync's start"
tap_done
