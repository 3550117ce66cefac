#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The guide's "Clustering" and "Activation" across nodes (docs/cluster.md):
# three nodes, each a network namespace with its own module state, its own
# state directory, its own Corosync 3 (knet over a cluster bridge,
# 203.0.113.0/24) and its own pp-clusterd. users.xml published on one node
# only reaches the others (the join snapshot, then a publish: 3,000 users,
# timed); the cluster-wide settings set on one node hold on all; an
# activation, an inactivation, a move and a displacement made on one node
# hold on every node; concurrent activations end the same everywhere;
# garbage and forged CPG messages are dropped and counted; a pp-clusterd
# restarted resynchronises from the snapshot; corosync down, the node
# serves locally and rejoins the cluster's state; node 3's cluster link
# cut: not quorate, it leaves the group and serves locally; healed, it
# joins again and takes the quorate side's (nodes 1 and 2) state.
#
#   node1 203.0.113.1 --+
#   node2 203.0.113.2 --+-- br-cl (its own namespace)
#   node3 203.0.113.3 --+
source "$(dirname "$0")/lib.sh"
require ip corosync unshare
source "$(dirname "$0")/cluster_lib.sh"
CPGSEND=${CPGSEND:-$PP_OUT/userspace/tests/cpgsend}
[ -x "$CLUSTERD" ] || skip_all "pp-clusterd not built ($CLUSTERD)"
[ -x "$CPGSEND" ] || skip_all "cpgsend not built ($CPGSEND)"

ADDR_A=192.0.2.10
ADDR_B=192.0.2.20
ADDR_C=192.0.2.30

setup_cluster_net || { tap_result 1 "cluster network"; tap_done; }
write_users_xml "$TMPD/users.xml" '  <user id="7d1f3c2b-9e4a-4b8d-8c6f-1a2b3c4d5e6f" name="lisa">
    <first>lisa</first>
    <last>simpson</last>
    <ccmName>ccm</ccmName>
    <sid>SEP00AABBCCDDEE</sid>
    <enabled>true</enabled>
  </user>'
printf 'group %s\nretry 1\n' "$GROUP" > "$TMPD/clusterd.conf"
# cluster.xml (the same on every node) names nodes 1 and 2 by their
# cluster address; node 3 is in corosync's nodelist only (as "node3").
cluster_xml() {	# cluster_xml NAME1 NAME2
	cat > "$PP_CONF_DIR/cluster.xml" <<XML
<cluster>
  <proxy uuid="u1" name="$1" cluster_ip="203.0.113.1" south_ip="198.51.100.101" north_ip="192.0.2.101" />
  <proxy uuid="u2" name="$2" cluster_ip="203.0.113.2" south_ip="198.51.100.102" north_ip="192.0.2.102" />
</cluster>
XML
}
cluster_xml pp-blue01 pp-blue02
for n in 1 2 3; do
	mkdir -p "$TMPD/node$n/pp"
	corosync_conf $n
done
check "users.xml published on node 1 only (before the cluster)" ppn 1 publish "$TMPD/users.xml"
# The published set of node N: users (name, SID, enabled) and CallManagers.
# (each node's asked once: every ppctl costs in an emulated guest)
users_of() { { ppn "$1" show user | awk '$2 ~ /^SEP/ { print $1, $2 }'; ppn "$1" show callmanager; } | sort; }
same_users() {
	local u1 u2
	u1=$(users_of 1) && u2=$(users_of 2) && [ "$u1" = "$u2" ] && [ "$u2" = "$(users_of 3)" ] &&
		[[ $u1 == *SEP* ]]
}
# The cluster-wide settings of node N.
shared_of() { ppn "$1" -j show phoneproxy | grep -o '"\(activation_mode\|activation_idletimeout\|activation_authtimeout\|sccp_security\)":[^,}]*' | sort; }
same_shared() { local s2; s2=$(shared_of 2) && [ "$(shared_of 1)" = "$s2" ] && [ "$s2" = "$(shared_of 3)" ]; }

start=$(date +%s)
for n in 1 2 3; do start_corosync $n; done
at_exit 'kill ${COROSYNC_PID[@]} ${CLUSTERD_PID[@]}'
# SCCP security on node 1 while the corosyncs form their ring (ppctl
# makes the proxy's certificates first: RSA keys, slow under TCG).
check "sccp security on, on node 1 (before the cluster)" ppn 1 set phoneproxy sccp security on
start_clusterds
ok=$?
tap_result $ok "three nodes in one CPG group, each in sync ($(($(date +%s) - start)) s from corosync's start)"
[ $ok = 0 ] || { logs 1 2 3; tail -n 20 "$TMPD/node1/corosync.log" | while read -r l; do diag "$l"; done; tap_done; }
check "show cluster names this node's id" [ "$(cluster_field 2 node_id)" = 2 ]
check "the join snapshot carries users.xml: nodes 2 and 3 hold node 1's users and CallManagers" \
	until_ok 10 same_users
check "and keep it in their own state directory" cmp "$TMPD/users.xml" "$TMPD/node3/pp/users.xml"
check "the join snapshot carries the settings: security on, on nodes 2 and 3 (all or nothing)" \
	until_ok 5 sh -c "ip netns exec $(node_ns 2) $PPCTL -j show phoneproxy | grep -q '\"sccp_security\":true' &&
		ip netns exec $(node_ns 3) $PPCTL -j show phoneproxy | grep -q '\"sccp_security\":true'"
diag "$(grep -ho 'corosync sends messages of up to [0-9]* bytes unfragmented' "$TMPD/node1/clusterd.log" | head -n 1)"

mark() { diag "t+$(($(date +%s) - start)) s: $*"; }
names_t0=$EPOCHREALTIME
# names_on N WANT: node N names the members WANT (member_names) and itself
# WANT's Nth; names_everywhere WANT: every node alike.
names_on() {	# one ppctl
	ppn "$1" show cluster 2>/dev/null | awk -v want="$2" -v n="$1" '
		$1 == "member_names" { m = $2 } $1 == "node_name" { s = $2 }
		END { split(want, w, ","); exit !(m == want && s == w[n]) }'
}
names_everywhere() { names_on 1 "$1" && names_on 2 "$1" && names_on 3 "$1"; }
check "show cluster names each node as the administrator does, the same on every node: cluster.xml's proxy by cluster address (nodes 1, 2), else corosync's nodelist name (node 3)" \
	until_ok 10 names_everywhere "pp-blue01,pp-blue02,node3"
cluster_xml pp-blue01 pp-green02
check "cluster.xml changed (node 2 renamed): every node says the new name, without a restart" \
	until_ok 5 names_everywhere "pp-blue01,pp-green02,node3"
# corosync's nodelist changed at run time: node 3's corosync.conf edited
# (its own only), corosync-cfgtool -R (every corosync reads its own file
# again): node 3's pp-clusterd learns it from its cmap track, in its
# event loop; nodes 1 and 2, their files unchanged, say what they said.
node3_named() {	# node3_named NAME: node 3's corosync.conf names node 3 NAME, reloaded
	sed -i "s/name: node3.*/name: $1/" "$TMPD/node3/corosync.conf" &&
		ip netns exec "$(node_ns 3)" corosync-cfgtool -R >/dev/null
}
node3_renamed() {
	node3_named node3b && until_ok 10 names_on 3 "pp-blue01,pp-green02,node3b" &&
		names_on 1 "pp-blue01,pp-green02,node3"
}
check "node 3's nodelist name changed in its corosync.conf, reloaded: node 3 says node3b, node 1 still node3" \
	node3_renamed
node3_named node3
check "... and node3 again once set back" until_ok 10 names_on 3 "pp-blue01,pp-green02,node3"
diag "the node names' checks: $(awk -v a="$names_t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }') ms"
mark "publish"
# Publish once on any node (the guide): 3,000 users on node 2, timed.
{
	sed '/^<\/users>/d' "$TMPD/users.xml"
	awk 'BEGIN { for (i = 1; i <= 3000; i++)
		printf "  <user id=\"u-%05d\" name=\"user%05d\">\n    <first>u</first>\n    <last>%05d</last>\n    <ccmName>ccm</ccmName>\n    <sid>SEP00000000%04X</sid>\n    <enabled>true</enabled>\n    <seed>BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U</seed>\n    <hashPw>eGy7g1orzdhyyffgrptVQv2dmDZg=</hashPw>\n  </user>\n", i, i, i, i }'
	echo '</users>'
} > "$TMPD/users3000.xml"
applied1=$(cluster_field 1 publishes_applied)
applied3=$(cluster_field 3 publishes_applied)
big_everywhere() { [ "$(cluster_field 1 publishes_applied)" -gt "$applied1" ] &&
	[ "$(cluster_field 3 publishes_applied)" -gt "$applied3" ]; }
t0=$EPOCHREALTIME
check "3,000 users published on node 2 ($(stat -c %s "$TMPD/users3000.xml") bytes)" ppn 2 publish "$TMPD/users3000.xml"
t1=$EPOCHREALTIME
if until_ok 30 big_everywhere; then
	ms=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
	local_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
	tap_result 0 "3,000 users published on node 2 installed on nodes 1 and 3 ($ms ms from ppctl's start)"
	diag "publish of 3,000 users: ppctl on node 2 $local_ms ms, installed on nodes 1 and 3 $ms ms from ppctl's start (show cluster polled every 0.3 s)"
else
	tap_result 1 "3,000 users published on node 2 installed on nodes 1 and 3"
	logs 1 3
fi
count_all() { local n; for n in 1 2 3; do [ "$(ppn $n show user | grep -c ' SEP')" = "$1" ] || return 1; done; }
check "the three nodes hold the 3,004 users" count_all 3004
check "every node's state copy is node 2's file, byte for byte" \
	sh -c "cmp $TMPD/users3000.xml $TMPD/node1/pp/users.xml && cmp $TMPD/users3000.xml $TMPD/node3/pp/users.xml"
check "users.xml published again on node 3 (back to 4 users)" ppn 3 publish "$TMPD/users.xml"
check "every node back to the 4 users" until_ok 15 count_all 4
check "node 2's pp-clusterd sent its publish once (no echo)" [ "$(cluster_field 2 publishes_sent)" = 1 ]
check "show cluster says which node published" [ "$(cluster_field 1 published_by_node)" = 3 ]
bad=$TMPD/bad.xml
sed 's/<sid>SEP00AABBCCDDEE</<sid>nonsense</' "$TMPD/users.xml" > "$bad"
check "a bad users.xml is refused on the node where it is published" \
	sh -c "! ip netns exec $(node_ns 2) env PP_STATE_DIR=$TMPD/node2/pp $PPCTL publish $bad"
check "and reaches no node (the set stays the same everywhere)" same_users

mark "settings"
# Cluster-wide settings (the guide: security all or nothing).
check "activation mode open set on node 3" ppn 3 set phoneproxy activation mode open
check "idletimeout set on node 1" ppn 1 set phoneproxy activation idletimeout 600
check "authtimeout set on node 2" ppn 2 set phoneproxy activation authtimeout 7200
want_shared='"activation_authtimeout":7200
"activation_idletimeout":600
"activation_mode":"open"
"sccp_security":true'
shared_all() { local n; for n in 1 2 3; do [ "$(shared_of $n)" = "$want_shared" ] || return 1; done; }
check "every node holds the four settings" until_ok 10 shared_all
[ $_tap_failed = 0 ] || for n in 1 2 3; do diag "node $n: $(shared_of $n | tr '\n' ' ')"; done
check "activation mode required again from node 2; security off from node 3" \
	sh -c "ip netns exec $(node_ns 2) env PP_STATE_DIR=$TMPD/node2/pp $PPCTL set phoneproxy activation mode required &&
	       ip netns exec $(node_ns 3) env PP_STATE_DIR=$TMPD/node3/pp $PPCTL set phoneproxy sccp security off"
want_shared='"activation_authtimeout":7200
"activation_idletimeout":600
"activation_mode":"required"
"sccp_security":false'
check "every node follows" until_ok 10 shared_all
check "each change sent once (settings_sent on node 1: 1, its idletimeout)" [ "$(cluster_field 1 settings_sent)" = 1 ]

# Activation on node 1, seen by ppctl monitor on nodes 2 and 3: when.
for n in 2 3; do
	on $n "$PPCTL" monitor | while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done \
		> "$TMPD/events$n" 2>&1 &
	at_exit "kill $!"
done
# Subscribed once each ppctl sits in its receive loop: in a loaded
# emulated guest its start took more than the 0.5 s once allowed (the
# event was missed, not late).
sleep 2
t0=$EPOCHREALTIME
check "set user active on node 1" ppn 1 set user active name homer address $ADDR_A
ok=0
for n in 2 3; do
	wait_for 5 grep -q "^[0-9.]* activated user=homer .*addr=$ADDR_A reason=cluster" "$TMPD/events$n" || ok=1
done
lat=
if [ $ok = 0 ]; then
	lat=$(for n in 2 3; do
		awk -v t0="$t0" '/ activated user=homer / { printf "%d\n", ($1 - t0) * 1000; exit }' "$TMPD/events$n"
	done | sort -n | tail -1)
	diag "replication latency (ppctl on node 1 to the event on the last of nodes 2 and 3): $lat ms"
	[ "$lat" -le 1000 ] || ok=1
fi
tap_result $ok "activate on node 1: nodes 2 and 3 show it within 1 s (${lat:-?} ms)"
check "every node holds homer at the address" all_hold "homer $ADDR_A"
check "node 1 keeps how the user was activated (cli), the others say cluster" \
	sh -c "ip netns exec $(node_ns 1) $PPCTL -j show user | grep -q '\"reason\":\"cli\"' &&
	       ip netns exec $(node_ns 3) $PPCTL -j show user | grep -q '\"reason\":\"cluster\"'"

check "set user inactive on node 2" ppn 2 set user inactive name homer
check "inactivate on node 2: gone on nodes 1 and 3" until_ok 5 all_hold ""

ppn 1 set user active name marge address $ADDR_A >/dev/null
until_ok 5 all_hold "marge $ADDR_A"
check "activating the user at another address on node 3 moves it everywhere" \
	sh -c "ip netns exec $(node_ns 3) $PPCTL set user active name marge address $ADDR_B"
check "marge only at the new address on every node" until_ok 5 all_hold "marge $ADDR_B"

check "another user activated at that address on node 2" ppn 2 set user active name lisa address $ADDR_B
check "a user's address taken by another user on node 2 displaces it everywhere" \
	until_ok 5 all_hold "lisa $ADDR_B"

# The same user at two addresses from two nodes at once: the agreed order
# decides, the same on every node.
ppn 1 set user active name homer address $ADDR_A &
p1=$!
ppn 3 set user active name homer address $ADDR_C &
p3=$!
wait $p1 $p3
# Both messages delivered and applied everywhere (the bound is 1 s).
snooze 1
if until_ok 5 same_everywhere && active 1 | grep -Eq "^homer ($ADDR_A|$ADDR_C)$"; then
	tap_result 0 "concurrent activations of one user on two nodes end the same on every node ($(active 1 | grep homer))"
else
	tap_result 1 "concurrent activations of one user on two nodes end the same on every node"
	show_all
fi

mark "garbage"
# Garbage and forged messages from a CPG member: dropped, counted.
before=$(active 1)
check "a garbage message multicast to the group" on 2 "$CPGSEND" "$GROUP" garbage
# counted_everywhere NAME VALUE: "show cluster" says so on every node.
counted_everywhere() {
	local n
	for n in 1 2 3; do
		[ "$(cluster_field $n "$1")" = "$2" ] || return 1
	done
}
check "a garbage CPG message is dropped and counted on every node" \
	until_ok 10 counted_everywhere dropped_garbage 1
for n in 1 2 3; do diag "node $n: dropped_garbage $(cluster_field $n dropped_garbage)"; done
check "a message claiming another node than its sender" \
	on 3 "$CPGSEND" "$GROUP" forged 1 bart $ADDR_C
check "a message from a node not its sender is dropped and counted, never applied" \
	until_ok 10 counted_everywhere dropped_not_member 1
check "neither changed any node's activations" all_hold "$before"

mark "pp-clusterd killed"
# pp-clusterd killed on node 3: nodes 1 and 2 go on; node 3 serves
# locally; restarted, it takes the cluster's state from the snapshot.
kill -9 "${CLUSTERD_PID[3]}"
wait "${CLUSTERD_PID[3]}" 2>/dev/null
check "node 3's pp-clusterd killed: nodes 1 and 2 see members 1,2" until_ok 10 in_sync 1 1,2
ppn 1 set user inactive name lisa >/dev/null
ppn 2 set user active name marge address $ADDR_B >/dev/null
two_agree() {	# nodes 1 and 2 agree: marge at B, lisa inactive
	[ "$(active 1)" = "$(active 2)" ] && active 1 | grep -qx "marge $ADDR_B" &&
		! active 1 | grep -q "^lisa "
}
check "nodes 1 and 2 keep replicating without node 3" until_ok 5 two_agree
check "node 3 serves locally meanwhile (an activation there)" \
	ppn 3 set user active name lisa address 192.0.2.99
write_users_xml "$TMPD/users-local.xml" '  <user id="9e1d2c3b-4a5f-4e6d-8c7b-0a1b2c3d4e5f" name="maggie">
    <first>maggie</first>
    <last>simpson</last>
    <ccmName>ccm</ccmName>
    <sid>SEP00AABBCCDD01</sid>
    <enabled>true</enabled>
  </user>'
check "and a users.xml of its own published there" ppn 3 publish "$TMPD/users-local.xml"
ppn 3 set phoneproxy activation idletimeout 900 >/dev/null
want=$(active 1)
start_clusterd 3
check "node 3's pp-clusterd restarted: it resynchronises from the snapshot" \
	until_ok 20 sh -c "[ \"\$(ip netns exec pp-node3-$SFX $PPCTL show cluster | awk '\$1 == \"in_sync\" { print \$2 }')\" = yes ]"
check "node 3 holds the cluster's activations, its own local change undone" all_hold "$want"
check "node 3 holds the cluster's users.xml and settings again (the snapshot carries them)" \
	sh -c "! ip netns exec $(node_ns 3) $PPCTL show user | grep -q '^maggie ' && cmp $TMPD/users.xml $TMPD/node3/pp/users.xml"
check "node 3's settings are the cluster's again" until_ok 5 same_shared
check "node 1 counted the snapshot it sent" [ "$(cluster_field 1 snapshots_sent)" -ge 3 ]

mark "corosync down"
# corosync down on node 2: pp-clusterd says so and retries; the node
# keeps serving; back, node 2 rejoins and takes the cluster's state.
stop_corosync 2
check "corosync down on node 2: show cluster says corosync down, not in sync" \
	until_ok 15 sh -c "ip netns exec pp-node2-$SFX $PPCTL show cluster | grep -Eq '^ +corosync +down'"
check "node 2 keeps serving locally (an activation there)" \
	ppn 2 set user active name homer address 192.0.2.77
ppn 2 set phoneproxy activation authtimeout 60 >/dev/null
check "nodes 1 and 3 go on as a cluster of two" until_ok 20 in_sync 1 1,3
ppn 1 set user active name lisa address $ADDR_C >/dev/null
start_corosync 2
check "corosync back on node 2: all three in sync again" \
	until_ok 40 sh -c "for n in 1 2 3; do
		ip netns exec pp-node\$n-$SFX $PPCTL show cluster | grep -Eq '^ +in_sync +yes' || exit 1
		ip netns exec pp-node\$n-$SFX $PPCTL show cluster | grep -Eq '^ +members +1,2,3' || exit 1
	done"
check "node 2 holds the cluster's activations again, its own local change undone" \
	until_ok 10 sh -c "[ \"\$(ip netns exec pp-node2-$SFX $PPCTL show user | awk '\$1 == \"lisa\" { print \$3 }')\" = $ADDR_C ] &&
		! ip netns exec pp-node2-$SFX $PPCTL show user | grep -q ' 192.0.2.77 '"
check "the three nodes hold the same activations" until_ok 5 same_everywhere
check "and the same settings (node 2's local authtimeout undone)" until_ok 5 same_shared
ppn 2 set user inactive name lisa >/dev/null
check "and replicates again: an inactivation on node 2 holds everywhere" \
	until_ok 5 sh -c "! ip netns exec pp-node3-$SFX $PPCTL show user | grep -Eq '^lisa +SEP[0-9A-F]+ +[0-9]'"

mark "snapshot sender stopped or gone"
# The snapshot's sender gone before sending: the next old member sends it,
# taken later, saying how many of the held messages it holds already.
# SIGSTOP keeps a pp-clusterd a member that does nothing.
restart_clusterd() { kill -9 "${CLUSTERD_PID[$1]}"; wait "${CLUSTERD_PID[$1]}" 2>/dev/null; start_clusterd "$1"; }
# Node N has had its join (it sees three processes) and waits.
joined_waiting() { [ "$(cluster_field "$1" member_processes)" = 3 ] && [ "$(cluster_field "$1" state)" = waiting ]; }
kill -STOP "${CLUSTERD_PID[1]}"
restart_clusterd 3
check "node 3 rejoins while node 1, its snapshot's sender, is stopped: it waits" \
	until_ok 20 joined_waiting 3
snooze 1
check "and still waits a second later" joined_waiting 3
ppn 2 set user active name lisa address $ADDR_B >/dev/null
kill -9 "${CLUSTERD_PID[1]}"
kill -CONT "${CLUSTERD_PID[1]}" 2>/dev/null
wait "${CLUSTERD_PID[1]}" 2>/dev/null
check "node 1 gone before sending: node 2 sends the snapshot, node 3 in sync" \
	until_ok 20 in_sync 3 2,3
check "node 3 holds what was activated while it waited (lisa), and the same as node 2" \
	sh -c "[ \"\$(ip netns exec $(node_ns 3) $PPCTL show user | awk '\$1 == \"lisa\" { print \$3 }')\" = $ADDR_B ]"
# The snapshot's sender itself waiting: it sends once in sync.
kill -STOP "${CLUSTERD_PID[2]}"
start_clusterd 1
check "node 1 joins while node 2, its sender, is stopped: it waits" until_ok 20 joined_waiting 1
restart_clusterd 3
check "node 3 joins again: its sender is node 1, itself waiting" until_ok 20 joined_waiting 3
kill -CONT "${CLUSTERD_PID[2]}"
check "node 2 resumes: node 1 in sync, then node 3 from node 1's snapshot" \
	until_ok 30 sh -c "for n in 1 2 3; do
		ip netns exec pp-node\$n-$SFX $PPCTL show cluster | grep -Eq '^ +in_sync +yes' || exit 1
		ip netns exec pp-node\$n-$SFX $PPCTL show cluster | grep -Eq '^ +members +1,2,3' || exit 1
	done"
check "the three nodes hold the same activations" until_ok 5 same_everywhere
check "node 1 sent node 3's snapshot once in sync" [ "$(cluster_field 1 snapshots_sent)" -ge 1 ]

mark "partition"
# Partition: node 3's cluster link cut. Both sides serve and change
# state; node 3, not quorate (one vote of three), leaves the group;
# healed, it joins again as a joiner and takes the snapshot of the
# quorate side (1, 2): that side wins.
log3=$(wc -l < "$TMPD/node3/clusterd.log")
ip -n "$NS_BR" link set p3 down
check "cluster link of node 3 cut: nodes 1 and 2 go on as two" until_ok 20 in_sync 1 1,2
# Node N out of the group for want of quorum.
waiting_quorum() {
	ppn "$1" show cluster 2>/dev/null | awk '$1 == "quorate" { q = $2 } $1 == "state" { s = $2 }
		$1 == "members" { m = $2 } END { exit !(q == "no" && s == "waiting-quorum" && m == "-") }'
}
check "node 3 cut off, not quorate: it leaves the group and serves locally (quorate no, state waiting-quorum)" \
	until_ok 20 waiting_quorum 3
quorate_1_2() { [ "$(cluster_field 1 quorate)" = yes ] && [ "$(cluster_field 2 quorate)" = yes ]; }
check "nodes 1 and 2 stay quorate (two votes of three)" quorate_1_2
ppn 1 set user active name marge address $ADDR_A >/dev/null
ppn 2 set phoneproxy activation idletimeout 1200 >/dev/null
ppn 3 set user active name homer address 192.0.2.55 >/dev/null
ppn 3 set phoneproxy activation mode open >/dev/null
check "both sides serve while apart (node 3 activates homer, node 1 marge)" \
	sh -c "ip netns exec $(node_ns 3) $PPCTL show user | grep -q ' 192.0.2.55 ' &&
	       ip netns exec $(node_ns 1) $PPCTL show user | grep -Eq '^marge .* $ADDR_A '"
want=$(active 1)
want_shared=$(shared_of 1)
t0=$EPOCHREALTIME
ip -n "$NS_BR" link set p3 up
healed() {
	local n
	for n in 1 2 3; do in_sync $n || return 1; done
	[ -n "$t_members" ] || t_members=$EPOCHREALTIME
	all_hold "$want" && shared_all
}
t_members=
if until_ok 40 healed; then
	diag "partition: link up to one group of three in sync: $(awk -v a="$t0" -v b="$t_members" 'BEGIN { printf "%d", (b - a) * 1000 }') ms"
	ms=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
	tap_result 0 "partition healed: every node holds the side of node 1's activations and settings ($ms ms)"
	diag "partition healed to converged: $ms ms (link up to all three in sync, same state)"
else
	tap_result 1 "partition healed: every node holds the side of node 1's activations and settings"
fi
grep -E 'joined group|left group|snapshot|in sync|waiting' "$TMPD/node3/clusterd.log" | tail -n 6 |
	while read -r l; do diag "node3: $l"; done
check "node 3's changes while apart are overwritten (the documented rule)" \
	sh -c "! ip netns exec $(node_ns 3) $PPCTL show user | grep -q ' 192.0.2.55 '"
check "node 3 left the group when it lost quorum and joined again as a joiner (node 1's snapshot)" \
	sh -c "tail -n +$((log3 + 1)) $TMPD/node3/clusterd.log | grep -q 'not quorate (ring of 1 node(s)): leaving group' &&
	       tail -n +$((log3 + 1)) $TMPD/node3/clusterd.log | grep -q 'waiting for the snapshot of node 1'"
mark "registrations"
# Node 1 as a proxy: a phone in front of it, a CallManager behind it (the
# simulators); its registration is known on every node, as node 1's.
if [ -x "$CCM_SIM" ] && [ -x "$PHONE_SIM" ]; then
	source "$(dirname "$0")/sim.sh"
	NS_PHONE=pp-rph-$SFX
	NS_CCM=pp-rccm-$SFX
	N1=$(node_ns 1)
	for ns in $NS_PHONE $NS_CCM; do
		ip netns add $ns
		at_exit "ip netns pids $ns | xargs -r kill -9; ip netns del $ns"
		ip -n $ns link set lo up
	done
	ip link add veth-ph netns $NS_PHONE type veth peer name north netns $N1
	ip link add veth-ccm netns $NS_CCM type veth peer name south netns $N1
	ip -n $N1 addr add $NORTH/24 dev north
	ip -n $N1 addr add $SOUTH/24 dev south
	ip -n $N1 link set north up
	ip -n $N1 link set south up
	ip -n $NS_PHONE addr add $PHONE/24 dev veth-ph
	ip -n $NS_PHONE link set veth-ph up
	ip -n $NS_CCM addr add $CCM/24 dev veth-ccm
	ip -n $NS_CCM link set veth-ccm up
	ip netns exec $N1 sysctl -q -w net.ipv4.ip_forward=1
	ppn 1 set phoneproxy sccp security off >/dev/null
	ppn 1 set interface north address $NORTH >/dev/null 2>&1
	ppn 1 set interface south address $SOUTH >/dev/null 2>&1
	ppn 1 set user active name homer address $PHONE >/dev/null
	until_ok 5 sh -c "ip netns exec $(node_ns 3) $PPCTL show user | grep -Eq '^homer +SEP[0-9A-F]+ +$PHONE '"
	# regs_everywhere WORD: "registrations_by_node" is WORD on every node.
	regs_everywhere() {
		local n
		for n in 1 2 3; do
			[ "$(cluster_field $n registrations_by_node)" = "$1" ] || return 1
		done
	}
	check "no registration anywhere yet" regs_everywhere "1:0,2:0,3:0"
	ccm_start ccm
	phone_start homer "$NS_PHONE" --server $NORTH --sid SEP001122334455 --retry 0
	check "a phone registers through node 1: every node knows it is registered there (1:1)" \
		until_ok 20 regs_everywhere "1:1,2:0,3:0"
	# homer_through ID: show user -j names node ID (by its cluster.xml
	# name, pp-blue01 for 1) as homer's node on every node, this_node true
	# on node ID only; "": none.
	homer_through() {
		local n want
		for n in 1 2 3; do
			want='"through":[]'
			[ -n "$1" ] && want="\"through\":[{\"node\":\"pp-blue0$1\",\"node_id\":$1,\"this_node\":$([ "$n" = "$1" ] && echo true || echo false)}]"
			ppn $n -j show user name homer | grep -qF "$want" || return 1
		done
	}
	check "show user -j names node 1 by its cluster.xml name (pp-blue01, node_id 1) on every node (this_node on node 1 only)" \
		until_ok 20 homer_through 1
	check "show user's node column: \"pp-blue01 (this node)\" on node 1, \"pp-blue01\" on nodes 2 and 3" \
		sh -c "ip netns exec $(node_ns 1) $PPCTL show user | grep -Eq '^homer .* pp-blue01 \(this node\)\$' &&
		       ip netns exec $(node_ns 2) $PPCTL show user | grep -Eq '^homer .* pp-blue01\$' &&
		       ip netns exec $(node_ns 3) $PPCTL show user name homer | grep -Eq '^homer .* pp-blue01\$'"
	restart_clusterd 2
	check "node 2's pp-clusterd restarted: it learns node 1's registration again (its list at the join)" \
		until_ok 30 sh -c "[ \"\$(ip netns exec $(node_ns 2) $PPCTL show cluster | awk '\$1 == \"registrations_by_node\" { print \$2 }')\" = 1:1,2:0,3:0 ]"
	restart_clusterd 1
	check "node 1's pp-clusterd restarted: it says its own registration again, every node holds it" \
		until_ok 30 regs_everywhere "1:1,2:0,3:0"
	# The idle timeout across nodes: nodes 2 and 3 never see a
	# connection from the phone (its standby and tertiary, or nodes it
	# never uses), yet must keep its activation while it is registered
	# through node 1, or it would be refused there on failover. Without
	# the registration they time it out like node 1.
	homer_on() { active "$1" | grep -qx "homer $PHONE"; }
	homer_everywhere() { homer_on 1 && homer_on 2 && homer_on 3; }
	homer_nowhere() { ! homer_on 1 && ! homer_on 2 && ! homer_on 3; }
	idle2_everywhere() {
		local n
		for n in 1 2 3; do
			shared_of $n | grep -qx '"activation_idletimeout":2' || return 1
		done
	}
	ppn 1 set phoneproxy activation idletimeout 2 >/dev/null
	until_ok 10 idle2_everywhere
	sleep 4
	check "idle timeout 2 s, 4 s on: nodes 2 and 3, which the phone never connected to, keep homer's activation while it is registered through node 1" \
		homer_everywhere
	kill "$PHONE_PID"	# it unregisters
	check "the phone unregisters: gone on every node" until_ok 20 regs_everywhere "1:0,2:0,3:0"
	check "show user names no node for homer on any node" until_ok 10 homer_through ""
	kill "${CLUSTERD_PID[3]}"
	wait "${CLUSTERD_PID[3]}" 2>/dev/null
	check "pp-clusterd stopped on node 3: show user works there and says nothing of nodes" \
		sh -c "ip netns exec $(node_ns 3) $PPCTL show user | grep -q '^homer ' &&
		       ! ip netns exec $(node_ns 3) $PPCTL show user | grep -q ' node\$' &&
		       ! ip netns exec $(node_ns 3) $PPCTL -j show user | grep -q through"
	check "then idle everywhere: every node times homer out (2 s after the registration ended)" \
		until_ok 20 homer_nowhere
else
	tap_result 0 "registrations # SKIP simulators not built"
fi

[ $_tap_failed = 0 ] || { show_all; logs 1 2 3; }
diag "cluster.sh: $(($(date +%s) - start)) s from corosync's start"
tap_done
