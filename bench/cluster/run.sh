#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# bench/cluster: activations replicated to every node of a three-node
# cluster (issue 15's Must-show asks for 3,000 activations, the guide's
# cluster limit, and 10,000: see "Addresses" below for why at most 759
# are held at once here). Not a test: it measures and prints. On the host:
#	bench/cluster/run.sh [--quick]
# boots one QEMU guest (selftests/vm/run-vm.sh) and prints one markdown
# section on stdout; the guest's progress goes to stderr. NLIST: the
# sizes, one after the other in the same boot (default "759 3000 10000";
# --quick "100 1000").
#
# In the guest: the three nodes of selftests/phoneproxy/cluster.sh
# (cluster_lib.sh sourced: network namespaces, one corosync and one pp-clusterd
# each); for each N: N users published on node 2 (replicated: waited for
# on every node), then N of them activated on node 1 with one `ppctl -f`
# (a netlink request a line: the fastest path there is, no batch command
# exists), each at its own address; measured on each node: the time from
# ppctl's start until the node's module has announced all N activations
# (ppctl monitor on each node, its lines stamped as they come; no
# polling), pp-clusterd's messages received per second over
# that time (its show cluster counters), its RSS before and after; the
# kernel's slab before and after (one kernel for the three namespaces: the
# slab grows by 3 x N activations); the CPU time of ppctl, of each
# pp-clusterd and corosync over the run, and a perf profile of its first
# PROF (20) seconds (where the time goes). Then the users are unpublished
# (every activation ends) before the next N. Last, the first N activated
# on node 1 with every pp-clusterd stopped: the same work without the
# cluster.
#
# Addresses: one per activation (the module binds one user to one
# address, IPv4), and the project uses the documentation prefixes only:
# 192.0.2.1-254, 198.51.100.1-254, 203.0.113.4-254 (203.0.113.1-3 are the
# nodes' cluster addresses): 759 activations held at once at most. 3,000
# and 10,000 users cannot be active at once within the project's address
# rules; so N above 759 is N activations of N users made over the 759
# addresses in turn: activation i takes address (i - 1) mod 759, and from
# the 760th on each displaces the user that held its address (the guide's
# one user to one address, cluster-wide). Every one is an activation
# replicated to every node (an activation message, applied there, the
# displacement done by each module as it applies it); 759 are held at the
# end. Memory per activation is the slab's growth over the held ones.
PP_TOP=$(cd "$(dirname "$0")/../.." && pwd)
QUICK=0
[ "${1:-}" = --quick ] && QUICK=1

if [ -z "${PP_VM_OUT:-}" ]; then	# on the host: boot, print the section
	if [ $QUICK = 1 ]; then
		: "${NLIST:=100 1000}"
	fi
	source "$PP_TOP/bench/vm.sh"
	bench_vm cluster \
		"NLIST='${NLIST:-759 3000 10000}' bash $PP_TOP/bench/cluster/run.sh ${1:-}"
	exit
fi

# ---- in the guest ----------------------------------------------------------
# cluster.sh's three nodes (cluster_lib.sh), with lib.sh's $0 beside it.
BASH_ARGV0=$PP_TOP/selftests/phoneproxy/cluster.sh
source "$PP_TOP/selftests/phoneproxy/lib.sh"
source "$PP_TOP/selftests/phoneproxy/cluster_lib.sh"
source "$PP_TOP/bench/mem.sh"
require jq python3
NLIST=${NLIST:-759 3000 10000}
ADDRS=759	# documentation addresses for activations (above)
for N in $NLIST; do
	[ "$N" -ge 1 ] && [ "$N" -le 100000 ] 2> /dev/null ||
		{ echo "bench/cluster: N=$N: a number of activations from 1 to 100000"; exit 1; }
done
PROF=${PROF:-20}	# seconds profiled from the activation's start (0: none)
MD=$PP_VM_OUT/cluster.md
: > "$MD"
md() { printf '%s\n' "$*" >> "$MD"; }
log() { printf '# %s\n' "$*"; }
HZ=$(getconf CLK_TCK)
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
# count N WHAT: show counters' WHAT on node N.
count() { ppn "$1" -j show counters 2>/dev/null | jq -r ".$2 // -1"; }
# A process's RSS (KiB) and CPU ticks (user + system).
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
busy() {
	local _c u n s i w irq sirq st
	read -r _c u n s i w irq sirq st _ < /proc/stat
	echo $((u + n + s + irq + sirq + st))
}
# Reads ppctl monitor's lines: "seconds count" (from the time in file
# argv[2]) at every tenth of argv[1] bench users activated, and at all.
STAMP='
import sys, time
n, c, t0 = int(sys.argv[1]), 0, None
for line in sys.stdin:
    if not line.startswith("activated user=bench"):
        continue
    c += 1
    if c % max(1, n // 10) == 0 or c == n:
        t0 = t0 or float(open(sys.argv[2]).read())
        print(f"{time.time() - t0:.1f} {c}", flush=True)
    if c >= n:
        break
'

setup_cluster_net > /dev/null || { echo "cluster network"; exit 1; }
write_users_xml "$TMPD/users.xml"
printf 'group %s\nretry 1\n' "$GROUP" > "$TMPD/clusterd.conf"
for n in 1 2 3; do
	mkdir -p "$TMPD/node$n/pp"
	corosync_conf $n
done
ppn 1 publish "$TMPD/users.xml" > /dev/null || exit 1
BASE_USERS=$(count 1 users)
t0=$(now)
for n in 1 2 3; do start_corosync $n; done
at_exit 'kill ${COROSYNC_PID[@]} ${CLUSTERD_PID[@]}'
start_clusterd 1
until_ok 40 in_sync 1 1	# once quorate: two corosyncs in its ring
for n in 2 3; do start_clusterd $n; done
for n in 1 2 3; do
	until_ok 60 in_sync $n || { echo "node $n not in sync"; logs 1 2 3; exit 1; }
done
T_SYNC=$(since "$t0")
log "three nodes in sync, $T_SYNC s from corosync's start"
# The pids: corosync's ($! was corosync: see start_corosync) and pp-clusterd's.
cstat() { ppn "$1" show cluster 2>/dev/null | awk -v k="$2" '$1 == k { print $2 }'; }
all_count() {	# all_count WHAT VALUE: every node's show counters WHAT is VALUE
	local n
	for n in 1 2 3; do [ "$(count $n "$1")" = "$2" ] || return 1; done
}

md "## Activations replicated across three nodes (bench/cluster)"
md ""
md "$(date -u +%Y-%m-%d), \`bench/cluster/run.sh${1:+ $1}\` (NLIST=\"$NLIST\"): guest kernel $(uname -r)," \
	"$(nproc) vCPUs, $(($(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024)) MiB," \
	"$(grep -q hypervisor /proc/cpuinfo && echo 'QEMU (run-vm.sh: TCG, emulated)' || echo 'bare metal');" \
	"$(corosync -v | sed -n '1s/.*version .\([^ ]*\).*/corosync \1/p' | tr -d "'")."
md "Three nodes in one guest (selftests/phoneproxy/cluster.sh's setup: three network namespaces, each its"
md "module state, corosync and pp-clusterd, knet over a bridge); they were in sync $T_SYNC s after corosync's start."
md "N users published on node 2, then N activated on node 1 with one \`ppctl -f\` of N lines"
md "(\`set user active name ... address ...\`: one netlink request each; no batch command exists), each at"
md "its own address of the documentation prefixes (192.0.2.1-254, 198.51.100.1-254, 203.0.113.4-254: 759 at most)."
md "Above 759, activation i takes address (i - 1) mod 759: from the 760th on each displaces the user holding its"
md "address (one user to one address, cluster-wide), so N users are activated and replicated, 759 held at the end."
md "\"Converged\": the node's Nth activation event (\`ppctl monitor\` on each node, its lines stamped as they come),"
md "in seconds from ppctl's start (each tenth's time in the notes below the table)."
md ""
md "| N | node | converged (s) | activations/s | cluster messages received (/s) | apply failed | pp-clusterd RSS (KiB, before → after) | RSS per activation |"
md "|---|---|---|---|---|---|---|---|"
NOTES=$TMPD/notes
: > "$NOTES"

for N in $NLIST; do
	log "N=$N: publish"
	{
		sed '/^<\/users>/d' "$TMPD/users.xml"
		awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i++)
			printf "  <user id=\"b-%05d\" name=\"bench%05d\">\n    <first>b</first>\n    <last>%05d</last>\n    <ccmName>ccm</ccmName>\n    <sid>SEP0000BE%06X</sid>\n    <enabled>true</enabled>\n    <seed>BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U</seed>\n    <hashPw>eGy7g1orzdhyyffgrptVQv2dmDZg=</hashPw>\n  </user>\n", i, i, i, i }'
		echo '</users>'
	} > "$TMPD/users$N.xml"
	t0=$(now)
	ppn 2 publish "$TMPD/users$N.xml" > /dev/null || { echo "publish of $N users failed"; exit 1; }
	T_PUB_LOCAL=$(since "$t0")
	until_ok 300 all_count users $((BASE_USERS + N)) || { echo "publish not replicated"; logs 1 2 3; exit 1; }
	T_PUB=$(since "$t0")
	log "N=$N: published on node 2 in $T_PUB_LOCAL s, on every node after $T_PUB s"
	# Activation i at 192.0.2.1-254, then 198.51.100.1-254, then
	# 203.0.113.4-254, then again from 192.0.2.1 (displacing).
	awk -v n="$N" -v m=$ADDRS 'BEGIN { split("192.0.2 198.51.100 203.0.113", net, " ")
		for (i = 1; i <= n; i++) {
			j = (i - 1) % m; k = int(j / 254); h = j % 254 + 1
			if (k == 2) { h = (j - 508) + 4 }
			printf "set user active name bench%05d address %s.%d\n", i, net[k + 1], h } }' \
		> "$TMPD/act$N"
	HELD=$((N < ADDRS ? N : ADDRS))
	# corosync's own CPU while nothing is sent (its token goes round).
	declare -A R0 M0 C0 K0
	for n in 1 2 3; do K0[$n]=$(ticks "${COROSYNC_PID[$n]}"); done
	sleep 5
	IDLE=""
	for n in 1 2 3; do
		IDLE="$IDLE$(awk -v a="${K0[$n]}" -v b="$(ticks "${COROSYNC_PID[$n]}")" -v hz="$HZ" \
			'BEGIN { printf "%.2f", (b - a) / hz / 5 }')$([ $n = 3 ] || echo /)"
	done
	# Each node's activation events (ppctl monitor: one process a node, no
	# polling), stamped: "seconds count" every tenth of N and at N.
	mons=()
	for n in 1 2 3; do
		on $n "$PPCTL" monitor 2>/dev/null | python3 -u -c "$STAMP" "$N" "$TMPD/t0" \
			> "$TMPD/stamp$N.$n" &
		mons+=($!)
	done
	sleep 3	# each monitor subscribed (TCG: slow to start)
	snap a$N
	for n in 1 2 3; do
		R0[$n]=$(rss "${CLUSTERD_PID[$n]}")
		M0[$n]=$(cstat $n messages_received)
		C0[$n]=$(ticks "${CLUSTERD_PID[$n]}")
		K0[$n]=$(ticks "${COROSYNC_PID[$n]}")
	done
	SENT0=$(cstat 1 messages_sent)
	B0=$(busy)
	log "N=$N: activate on node 1"
	t0=$(now)
	echo "$t0" > "$TMPD/t0"
	( TIMEFORMAT='%R %U %S'; time ppn 1 -f "$TMPD/act$N" > "$TMPD/ppctl$N.out" 2>&1 ) 2> "$TMPD/time$N" &
	P=$!
	# A rough profile of the first PROF seconds (all CPUs, cpu-clock).
	PF=
	if [ "$PROF" -gt 0 ] && command -v perf > /dev/null; then
		perf record -q -a -g -e cpu-clock -F 499 -o "$TMPD/perf$N" -- sleep "$PROF" 2> /dev/null &
		PF=$!
	fi
	wait $P
	PRC=$?
	deadline=$((SECONDS + N / 2 + 600))
	while [ $SECONDS -lt $deadline ]; do
		left=0
		for p in "${mons[@]}"; do kill -0 "$p" 2>/dev/null && left=1; done
		[ $left = 0 ] && break
		sleep 1
	done
	declare -A T TP
	T=() TP=()
	for n in 1 2 3; do
		read -r T[$n] TP[$n] <<< "$(awk -v n="$N" '$2 >= n { print $1, p; exit } { p = $1 }' "$TMPD/stamp$N.$n")"
		[ -n "${T[$n]}" ] || log "N=$N: node $n not converged: $(tail -n 1 "$TMPD/stamp$N.$n") (count $(count $n activations))"
	done
	kill "${mons[@]}" 2>/dev/null
	if [ -n "$PF" ]; then
		wait "$PF"
		# Shares of all samples (the idle loop's left out of the symbols).
		prof() { perf report -i "$TMPD/perf$N" --stdio --no-children -g none --percent-limit "$2" \
			--sort "$1" 2> /dev/null | grep -E '^ +[0-9.]+%' |
			grep -vE 'safe_halt|cpuidle|default_idle|do_idle|intel_idle|native_halt|pv_native'; }
		PROF_COMM=$(prof comm 1 | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')
		prof comm,dso,sym 1 | head -n 20 > "$TMPD/prof$N"
	fi
	PROGRESS=$(for n in 1 2 3; do echo "node $n: $(awk '{ printf "%s%s s %s", (NR > 1 ? ", " : ""), $1, $2 }' "$TMPD/stamp$N.$n")"; done | paste -sd';' | sed 's/;/; /g')
	B1=$(busy)
	T_ALL=$(since "$t0")
	read -r P_REAL P_USER P_SYS < "$TMPD/time$N"
	sleep 2
	snap b$N
	CPU="ppctl -f ${P_REAL} s wall (user ${P_USER} s, system ${P_SYS} s, exit $PRC)"
	for n in 1 2 3; do
		R1=$(rss "${CLUSTERD_PID[$n]}")
		M1=$(cstat $n messages_received)
		AF=$(cstat $n apply_failed)
		tn=${T[$n]:-}
		msgs=$((M1 - M0[$n]))
		md "| $N | $n$([ $n = 1 ] && echo ' (activates)') | ${tn:-not after $T_ALL} | $([ -n "$tn" ] && awk -v n="$N" -v t="$tn" 'BEGIN { printf "%.0f", n / t }' || echo -) |" \
			"$msgs ($([ -n "$tn" ] && awk -v n="$msgs" -v t="$tn" 'BEGIN { printf "%.0f", n / t }' || echo -)) | $AF |" \
			"${R0[$n]} → $R1 | $(awk -v a="${R0[$n]}" -v b="$R1" -v n="$N" 'BEGIN { printf "%.0f B", (b - a) * 1024 / n }') |"
		cs() { awk -v a="$1" -v b="$2" -v hz="$HZ" 'BEGIN { printf "%.1f", (b - a) / hz }'; }
		CPU="$CPU; node $n: pp-clusterd $(cs "${C0[$n]}" "$(ticks "${CLUSTERD_PID[$n]}")") s, corosync $(cs "${K0[$n]}" "$(ticks "${COROSYNC_PID[$n]}")") s"
	done
	SENT=$(($(cstat 1 messages_sent) - SENT0))
	{
		echo "- N=$N: publish of $N users on node 2 $T_PUB_LOCAL s, installed on every node $T_PUB s after ppctl's start;" \
			"node 1 sent $SENT messages for $N activations$([ "$N" -gt "$HELD" ] && echo " ($((N - HELD)) of them displacing another user)"); $(count 1 activations) active on node 1, $(count 2 activations) on node 2, $(count 3 activations) on node 3 at the end."
		echo "  Activation events seen (seconds, count): $PROGRESS."
		echo "  CPU over the $T_ALL s of the activation: $CPU (corosync idle before: $IDLE CPU-s per s on nodes 1/2/3);" \
			"the guest's /proc/stat says $(awk -v a="$B0" -v b="$B1" -v hz="$HZ" 'BEGIN { printf "%.1f", (b - a) / hz }') CPU-s busy of $(nproc) × $T_ALL s" \
			"(under TCG on a loaded host it counts less than the processes' own times: read those)."
		if [ -n "$PF" ]; then
			echo "  Profile of the first $PROF s (perf record -a -e cpu-clock; share of all samples, idle included), by process: $PROF_COMM;" \
				"by symbol (above 1 %):"
			echo ""
			echo '  ```'
			sed 's/^ */  /' "$TMPD/prof$N"
			echo '  ```'
			echo ""
		fi
		echo "  Kernel memory, slab before and after (one kernel: $((3 * HELD)) activations held, $HELD on each node): $(memdiff a$N b$N $((3 * HELD)) activation)"
	} >> "$NOTES"
	log "N=$N: converged on nodes 1/2/3 after ${T[1]:-?}/${T[2]:-?}/${T[3]:-?} s; $(tail -n 2 "$NOTES" | head -n 1)"
	# Unpublish: every activation ends (unpublished) on every node.
	ppn 2 publish "$TMPD/users.xml" > /dev/null
	until_ok 300 all_count activations 0 || log "N=$N: activations left after the unpublish"
	until_ok 60 all_count users "$BASE_USERS"
done
# The same activations without the cluster: pp-clusterd stopped on every
# node, N (the first size) activated on node 1 alone: what replication adds.
N=${NLIST%% *}
for n in 1 2 3; do kill "${CLUSTERD_PID[$n]}"; wait "${CLUSTERD_PID[$n]}" 2> /dev/null; done
ppn 1 publish "$TMPD/users$N.xml" > /dev/null
until_ok 60 sh -c "[ \$(ip netns exec $(node_ns 1) $PPCTL -j show counters | jq .users) = $((BASE_USERS + N)) ]"
( TIMEFORMAT='%R %U %S'; time ppn 1 -f "$TMPD/act$N" > "$TMPD/alone.out" 2>&1 ) 2> "$TMPD/time.alone"
read -r A_REAL A_USER A_SYS < "$TMPD/time.alone"
log "N=$N on node 1 alone (pp-clusterd stopped): ppctl -f $A_REAL s"
{
	echo "- Without the cluster (pp-clusterd stopped on every node, the same boot): the $N activations on node 1 alone" \
		"took ppctl -f $A_REAL s ($(awk -v n="$N" -v t="$A_REAL" 'BEGIN { printf "%.0f", n / t }')/s; user $A_USER s, system $A_SYS s)," \
		"active $(count 1 activations) of $N."
} >> "$NOTES"
md ""
cat "$NOTES" >> "$MD"
exit 0
