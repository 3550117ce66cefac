#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The guide's "Clustering" and "Activation" across nodes (docs/cluster.md),
# first slice: three nodes, each a network namespace with its own module
# state, its own Corosync 3 (knet over a cluster bridge, 203.0.113.0/24)
# and its own pp-clusterd; the same users.xml published on each. An
# activation, an inactivation, a move and a displacement made on one node
# hold on every node; concurrent activations end the same everywhere;
# garbage and forged CPG messages are dropped and counted; a pp-clusterd
# restarted resynchronises from the snapshot; corosync down, the node
# serves locally and rejoins the cluster's state.
#
#   node1 203.0.113.1 --+
#   node2 203.0.113.2 --+-- br-cl (its own namespace)
#   node3 203.0.113.3 --+
source "$(dirname "$0")/lib.sh"
require ip corosync unshare
CLUSTERD=${CLUSTERD:-$PP_OUT/userspace/clusterd/pp-clusterd}
CPGSEND=${CPGSEND:-$PP_OUT/userspace/tests/cpgsend}
[ -x "$CLUSTERD" ] || skip_all "pp-clusterd not built ($CLUSTERD)"
[ -x "$CPGSEND" ] || skip_all "cpgsend not built ($CPGSEND)"

NS_BR=pp-clbr-$SFX
GROUP=pp-test-$SFX
node_ns() { echo "pp-node$1-$SFX"; }
on() { local n=$1; shift; ip netns exec "$(node_ns "$n")" "$@"; }
ppn() { local n=$1; shift; on "$n" "$PPCTL" "$@"; }
ADDR_A=192.0.2.10
ADDR_B=192.0.2.20
ADDR_C=192.0.2.30

setup_cluster_net() {
	local n ns
	ip netns add "$NS_BR" || skip_all "cannot create network namespaces"
	at_exit "ip netns del $NS_BR"
	ip -n "$NS_BR" link add br-cl type bridge forward_delay 0 stp_state 0 ||
		skip_all "no bridge support"
	ip -n "$NS_BR" link set br-cl up
	for n in 1 2 3; do
		ns=$(node_ns $n)
		ip netns add "$ns" || return 1
		at_exit "ip netns pids $ns | xargs -r kill -9; ip netns del $ns"
		ip -n "$ns" link set lo up
		ip link add eth-cl netns "$ns" type veth peer name p$n netns "$NS_BR" || return 1
		ip -n "$NS_BR" link set p$n master br-cl up
		ip -n "$ns" addr add 203.0.113.$n/24 dev eth-cl
		ip -n "$ns" link set eth-cl up
	done
}

# Corosync 3, knet, no crypto (the test's traffic never leaves the guest),
# its state in the test's directory; /run private to the node (its pid
# file), its IPC in the node's network namespace (abstract sockets).
corosync_conf() {	# corosync_conf N
	local n=$1 k
	mkdir -p "$TMPD/node$n/state"
	{
		cat <<EOF
totem {
	version: 2
	cluster_name: pptest
	transport: knet
	crypto_cipher: none
	crypto_hash: none
	token: 3000
}
logging {
	to_stderr: yes
	to_logfile: no
	to_syslog: no
	timestamp: on
}
system {
	state_dir: $TMPD/node$n/state
}
quorum {
	provider: corosync_votequorum
}
nodelist {
EOF
		for k in 1 2 3; do
			printf '\tnode {\n\t\tname: node%s\n\t\tnodeid: %s\n\t\tring0_addr: 203.0.113.%s\n\t}\n' \
				$k $k $k
		done
		echo "}"
	} > "$TMPD/node$n/corosync.conf"
}

declare -A COROSYNC_PID CLUSTERD_PID
start_corosync() {	# start_corosync N
	local n=$1
	# ip netns exec, unshare and sh each exec the next: $! is corosync.
	ip netns exec "$(node_ns "$n")" unshare -m sh -c \
		"mount -t tmpfs tmpfs /run && exec corosync -f -c $TMPD/node$n/corosync.conf" \
		>> "$TMPD/node$n/corosync.log" 2>&1 &
	COROSYNC_PID[$n]=$!
}
stop_corosync() { kill "${COROSYNC_PID[$1]}"; wait "${COROSYNC_PID[$1]}" 2>/dev/null; }

start_clusterd() {	# start_clusterd N
	local n=$1
	ip netns exec "$(node_ns "$n")" "$CLUSTERD" -e -c "$TMPD/clusterd.conf" \
		>> "$TMPD/node$n/clusterd.log" 2>&1 &
	CLUSTERD_PID[$n]=$!
}

# cluster_field N NAME: a line of "show cluster" on node N.
cluster_field() { ppn "$1" show cluster 2>/dev/null | awk -v k="$2" '$1 == k { print $2 }'; }
in_sync() { [ "$(cluster_field "$1" in_sync)" = yes ] && [ "$(cluster_field "$1" members)" = "${2:-1,2,3}" ]; }
# The active users of node N, "name addr" sorted.
active() { ppn "$1" show user | awk '$2 ~ /^SEP/ && $3 != "[inactive]" { print $1, $3 }' | sort; }
# Every node holds exactly the expected activations ("name addr" lines).
all_hold() {
	local want=$1 n
	for n in 1 2 3; do
		[ "$(active $n)" = "$want" ] || return 1
	done
}
same_everywhere() { [ "$(active 1)" = "$(active 2)" ] && [ "$(active 2)" = "$(active 3)" ]; }
show_all() {
	local n
	for n in 1 2 3; do
		diag "node $n: $(active $n | tr '\n' ';')"
	done
}
logs() {
	local n
	for n in "$@"; do
		tail -n 15 "$TMPD/node$n/clusterd.log" | sed "s/^/node$n clusterd: /" | while read -r l; do diag "$l"; done
	done
}

setup_cluster_net || { tap_result 1 "cluster network"; tap_done; }
write_users_xml "$TMPD/users.xml" '  <user id="7d1f3c2b-9e4a-4b8d-8c6f-1a2b3c4d5e6f" name="lisa">
    <first>lisa</first>
    <last>simpson</last>
    <ccmName>ccm</ccmName>
    <sid>SEP00AABBCCDDEE</sid>
    <enabled>true</enabled>
  </user>'
printf 'group %s\nretry 1\n' "$GROUP" > "$TMPD/clusterd.conf"
ok=0
for n in 1 2 3; do
	ppn $n publish "$TMPD/users.xml" || ok=1
	corosync_conf $n
done
tap_result $ok "the same users.xml published on the three nodes"

start=$(date +%s)
for n in 1 2 3; do start_corosync $n; done
at_exit 'kill ${COROSYNC_PID[@]} ${CLUSTERD_PID[@]}'
# Node 1 first: the cluster's first member; 2 and 3 join it.
start_clusterd 1
until_ok 20 in_sync 1 1
for n in 2 3; do start_clusterd $n; done
ok=0
for n in 1 2 3; do until_ok 30 in_sync $n || ok=1; done
tap_result $ok "three nodes in one CPG group, each in sync ($(($(date +%s) - start)) s from corosync's start)"
[ $ok = 0 ] || { logs 1 2 3; tail -n 20 "$TMPD/node1/corosync.log" | while read -r l; do diag "$l"; done; tap_done; }
check "show cluster names this node's id" [ "$(cluster_field 2 node_id)" = 2 ]

# Activation on node 1, seen by ppctl monitor on nodes 2 and 3: when.
for n in 2 3; do
	on $n "$PPCTL" monitor | while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done \
		> "$TMPD/events$n" 2>&1 &
	at_exit "kill $!"
done
sleep 0.5
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
want=$(active 1)
start_clusterd 3
check "node 3's pp-clusterd restarted: it resynchronises from the snapshot" \
	until_ok 20 sh -c "[ \"\$(ip netns exec pp-node3-$SFX $PPCTL show cluster | awk '\$1 == \"in_sync\" { print \$2 }')\" = yes ]"
check "node 3 holds the cluster's activations, its own local change undone" all_hold "$want"
check "node 1 counted the snapshot it sent" [ "$(cluster_field 1 snapshots_sent)" -ge 3 ]

# corosync down on node 2: pp-clusterd says so and retries; the node
# keeps serving; back, node 2 rejoins and takes the cluster's state.
stop_corosync 2
check "corosync down on node 2: show cluster says corosync down, not in sync" \
	until_ok 15 sh -c "ip netns exec pp-node2-$SFX $PPCTL show cluster | grep -Eq '^ +corosync +down'"
check "node 2 keeps serving locally (an activation there)" \
	ppn 2 set user active name homer address 192.0.2.77
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
ppn 2 set user inactive name lisa >/dev/null
check "and replicates again: an inactivation on node 2 holds everywhere" \
	until_ok 5 sh -c "! ip netns exec pp-node3-$SFX $PPCTL show user | grep -Eq '^lisa +SEP[0-9A-F]+ +[0-9]'"
[ $_tap_failed = 0 ] || { show_all; logs 1 2 3; }
diag "cluster.sh: $(($(date +%s) - start)) s from corosync's start"
tap_done
