#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The three cluster nodes of cluster.sh, cluster_ctl.sh and
# cluster_failover.sh (docs/cluster.md): each node a network namespace
# with its own module state, its own state directory, its own Corosync 3
# (knet over a cluster bridge, 203.0.113.0/24) and its own pp-clusterd;
# north_net adds their north and south links. Source it after lib.sh;
# sourcing defines names and functions only.
#
#   node1 203.0.113.1 --+
#   node2 203.0.113.2 --+-- br-cl (its own namespace, $NS_BR)
#   node3 203.0.113.3 --+
#   (north_net: north 192.0.2.N on br-north, south 198.51.100.N on br-south)
CLUSTERD=${CLUSTERD:-$PP_OUT/userspace/clusterd/pp-clusterd}

NS_BR=pp-clbr-$SFX
GROUP=pp-test-$SFX
node_ns() { echo "pp-node$1-$SFX"; }
# Each node its own state directory (users.xml kept, certificates). (ip
# netns exec passes its environment on: no env(1) process, every exec
# costs in an emulated guest.)
on() { local n=$1; shift; PP_STATE_DIR="$TMPD/node$n/pp" ip netns exec "$(node_ns "$n")" "$@"; }
ppn() { local n=$1; shift; on "$n" "$PPCTL" "$@"; }
# setup_cluster_net: the cluster bridge and the three nodes.
setup_cluster_net() {
	local n ns
	ip netns add "$NS_BR" || skip_all "cannot create network namespaces"
	at_exit "ip netns del $NS_BR"
	add_bridge br-cl || skip_all "no bridge support"
	for n in 1 2 3; do
		node_net $n || return 1
	done
}
# add_bridge NAME: a bridge in $NS_BR, up, forwarding at once.
add_bridge() {
	ip -n "$NS_BR" link add "$1" type bridge forward_delay 0 stp_state 0 &&
		ip -n "$NS_BR" link set "$1" up
}

# node_net N: node N's namespace, its state directory and its cluster
# link (port pN of br-cl, 203.0.113.N); again after the namespace was
# deleted (a node that died).
node_net() {
	local n=$1 ns
	ns=$(node_ns "$n")
	mkdir -p "$TMPD/node$n/pp"
	ip netns add "$ns" || return 1
	at_exit "ip netns pids $ns | xargs -r kill -9; ip netns del $ns"
	ip -n "$ns" link set lo up
	ip link add eth-cl netns "$ns" type veth peer name p$n netns "$NS_BR" || return 1
	ip -n "$NS_BR" link set p$n master br-cl up
	ip -n "$ns" addr add 203.0.113.$n/24 dev eth-cl
	ip -n "$ns" link set eth-cl up
}

# north_net: the north and south bridges (br-north, br-south in $NS_BR)
# and each node's links to them; the phones and the CallManager are the
# test's own.
north_net() {
	local n
	add_bridge br-north && add_bridge br-south || return 1
	for n in 1 2 3; do
		node_links $n || return 1
	done
}

# node_links N: node N's north and south links (ports nN and sN; the
# same MAC addresses each time, as a node that reboots) and its proxy
# addresses; again when the node comes back.
node_links() {
	local n=$1 ns
	ns=$(node_ns "$n")
	ip link add north address 02:00:c0:00:02:0$n netns "$ns" type veth \
		peer name n$n netns "$NS_BR" || return 1
	ip link add south address 02:00:c6:33:64:0$n netns "$ns" type veth \
		peer name s$n netns "$NS_BR" || return 1
	ip -n "$NS_BR" link set n$n master br-north up
	ip -n "$NS_BR" link set s$n master br-south up
	ip -n "$ns" addr add 192.0.2.$n/24 dev north
	ip -n "$ns" addr add 198.51.100.$n/24 dev south
	ip -n "$ns" link set north up
	ip -n "$ns" link set south up
	ip netns exec "$ns" sysctl -q -w net.ipv4.ip_forward=1
	ppn "$n" set interface north address 192.0.2.$n >/dev/null &&
		ppn "$n" set interface south address 198.51.100.$n >/dev/null
}

# Corosync 3, knet, no crypto (the test's traffic never leaves the guest),
# its state in the test's directory; /run private to the node (its pid
# file), its IPC in the node's network namespace (abstract sockets).
# Corosync's default token, 3000 ms (3650 with three nodes, consensus
# 4380): at 1000 and 2000 the rings changed membership with nothing cut
# (knet lost every link at once) when the guest shared 2 cores with two
# others (2026-12-05), though 1000 was quiet beside one.
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
	# ip netns exec and env exec the next: $! is pp-clusterd.
	ip netns exec "$(node_ns "$n")" env PP_STATE_DIR="$TMPD/node$n/pp" \
		"$CLUSTERD" -e -c "$TMPD/clusterd.conf" \
		>> "$TMPD/node$n/clusterd.log" 2>&1 &
	CLUSTERD_PID[$n]=$!
}

# start_clusterds: pp-clusterd on node 1 first (the cluster's first
# member, once its corosync is quorate: two of the three in its ring),
# then on nodes 2 and 3, which join it; fails unless all three are in
# sync within 30 s.
start_clusterds() {
	local n ok=0
	start_clusterd 1
	until_ok 40 in_sync 1 1
	for n in 2 3; do start_clusterd $n; done
	for n in 1 2 3; do until_ok 30 in_sync $n || ok=1; done
	return $ok
}

# start_cluster: the cluster started, one check: each node's corosync
# (corosync_conf written), then pp-clusterd (start_clusterds), all of them
# and whatever $PIDS holds killed at exit; on failure the logs, and the
# test ends. $start: corosync's start (date +%s).
PIDS=()
start_cluster() {
	local n ok
	printf 'group %s\nretry 1\n' "$GROUP" > "$TMPD/clusterd.conf"
	for n in 1 2 3; do corosync_conf $n; done
	start=$(date +%s)
	for n in 1 2 3; do start_corosync $n; done
	at_exit 'kill ${PIDS[@]} ${CLUSTERD_PID[@]} ${COROSYNC_PID[@]}'
	start_clusterds
	ok=$?
	tap_result $ok "three nodes in one CPG group, each in sync ($(($(date +%s) - start)) s from corosync's start)"
	[ $ok = 0 ] || { logs 1 2 3; tap_done; }
}

# cluster_field N NAME: a line of "show cluster" on node N.
cluster_field() { ppn "$1" show cluster 2>/dev/null | awk -v k="$2" '$1 == k { print $2 }'; }
# Node N in sync with the members (node ids) given, 1,2,3 by default: one ppctl.
in_sync() {
	ppn "$1" show cluster 2>/dev/null | awk -v want="${2:-1,2,3}" '
		$1 == "in_sync" { s = $2 } $1 == "members" { m = $2 }
		END { exit !(s == "yes" && m == want) }'
}
# The active users of node N, "name addr" sorted.
active() { ppn "$1" show user | awk '$2 ~ /^SEP/ && $3 != "[inactive]" { print $1, $3 }' | sort; }
# Every node holds exactly the expected activations ("name addr" lines).
all_hold() {
	local want=$1 n
	for n in 1 2 3; do
		[ "$(active $n)" = "$want" ] || return 1
	done
}
same_everywhere() { local a2; a2=$(active 2) && [ "$(active 1)" = "$a2" ] && [ "$a2" = "$(active 3)" ]; }
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

