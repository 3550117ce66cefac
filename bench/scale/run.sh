#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# bench/scale: the SCCP proxy and the media relay at scale on one node
# (issue 16 items 2 and 3). Not a test: it measures and prints; the
# reduced version with assertions is selftests/phoneproxy/scale.sh.
# On the host:
#	bench/scale/run.sh [--quick]
# builds rtpblast (make -C bench/rtp), boots the QEMU guest
# (selftests/vm/run-vm.sh) and prints one markdown section on stdout (the
# machine, the kernel, the commands and every figure); the guest's
# progress goes to stderr. --quick: 1,000 phones, 200 calls, 10,000
# users, short windows (development). Settings from the environment:
# PHONES (10000), CALLS (2000 phone-to-phone calls: 2 streams each),
# USERS (100000, the issue's figure; the module holds 131,072), SECS (5: measured seconds per
# line), ROUNDS (3), HOLD (20: seconds the calls carry their RTP), RATE
# (1000: phones each of the two simulators starts per second).
#
# In one boot (the lab of selftests/phoneproxy/lib.sh, 479 phone
# addresses as bench/rtp: 192.0.2.30-254 and 203.0.113.1-254):
#  1. publish: USERS users (after 131,073, which the module refuses:
#     PP_USERS_MAX is 131,072), timed;
#  2. activation: 10 users, then the other 469, at their addresses,
#     timed; the firewall's cost per packet with 10 and with 479
#     activations (rtpblast from 10 addresses that are not activated to
#     north:69, which only activated addresses may reach: every packet
#     is looked up in the activations and dropped by the firewall hook,
#     counted by its "drop" counter);
#  3. registration: PHONES pp-phone-sim phones through the SCCP proxy to
#     pp-ccm-sim, ceil(PHONES / 479) connections per activation (one SID
#     per address: --sid-count, --shared-sids; `sccp maxconnections 64`,
#     room for reconnects), RATE a second per simulator, timed from the
#     start to the last RegisterAck;
#  4. the relay's cost per packet with 10 and 2 x CALLS streams, as
#     bench/rtp measures it: `calls 2xCALLS south` (one stream per phone),
#     the simulators' RTP held back and stopped, rtpblast both ways at
#     the relay ports, receivers counting in nft at raw priority;
#  5. the scale run: `calls CALLS` phone to phone (2 x CALLS streams),
#     the phones' own 20 ms G.711 for HOLD s; the relay's counters
#     (packets, every drop reason) and the phones' own RTP accounting;
#  6. memory at every step: /proc/slabinfo (every cache, bytes of active
#     objects), /proc/meminfo (Slab, Percpu, VmallocUsed), and the
#     module's own allocations traced (kmem:kmalloc*, percpu_alloc_percpu
#     with call_site inside phoneproxy.ko), per structure.
PP_TOP=$(cd "$(dirname "$0")/../.." && pwd)
BLAST=$PP_TOP/build/bench/rtp/rtpblast
QUICK=0
[ "${1:-}" = --quick ] && QUICK=1

if [ -z "${PP_VM_OUT:-}" ]; then	# on the host: build, boot, print the section
	if [ $QUICK = 1 ]; then
		: "${PHONES:=1000}" "${CALLS:=200}" "${USERS:=10000}" "${SECS:=3}" "${ROUNDS:=1}" "${HOLD:=10}"
	fi
	make -s -C "$PP_TOP/bench/rtp" >&2 || exit 1
	source "$PP_TOP/bench/vm.sh"
	bench_vm scale \
		"PHONES=${PHONES:-10000} CALLS=${CALLS:-2000} USERS=${USERS:-100000} SECS=${SECS:-5} ROUNDS=${ROUNDS:-3} HOLD=${HOLD:-20} RATE=${RATE:-1000} bash $PP_TOP/bench/scale/run.sh ${1:-}"
	exit
fi

# ---- in the guest ----------------------------------------------------------
source "$PP_TOP/selftests/phoneproxy/lib.sh"
require ip nft python3 jq
[ -x "$CCM_SIM" ] && [ -x "$PHONE_SIM" ] || skip_all "simulators not built (make -C userspace)"
[ -x "$BLAST" ] || skip_all "build it first: make -C bench/rtp"
PHONES=${PHONES:-10000}
CALLS=${CALLS:-2000}
USERS=${USERS:-100000}
SECS=${SECS:-5}
ROUNDS=${ROUNDS:-3}
HOLD=${HOLD:-20}
RATE=${RATE:-1000}	# phones started per second by each of the two simulators
MD=$PP_VM_OUT/scale.md
: > "$MD"
md() { printf '%s\n' "$*" >> "$MD"; }
log() { printf '# %s\n' "$*"; }
ulimit -n 1048576 2>/dev/null || ulimit -n 65536
sysctl -q -w fs.file-max=2000000 net.core.somaxconn=65535 2>/dev/null
HZ=$(getconf CLK_TCK)
NA=225				# 192.0.2.30-254; then 203.0.113.1-254
A=479				# phone addresses
SID_BASE=0x00BE00000000
FW_PORT=69			# TFTP: offered to activated addresses only
FW_SRC="2 3 4 5 6 7 8 9 11 12"	# 192.0.2.x: never activated
SPORT=50000
STREAMS=$((2 * CALLS))
PER=$(((PHONES + A - 1) / A))	# connections per activation
[ "$PER" -le 64 ] || { echo "PHONES=$PHONES: at most 64 x 479"; exit 2; }
[ "$STREAMS" -le "$PHONES" ] || { echo "CALLS=$CALLS: 2 x CALLS phones needed, PHONES=$PHONES"; exit 2; }
addr_of() { if [ "$1" -lt $NA ]; then echo 192.0.2.$((30 + $1)); else echo 203.0.113.$((1 + $1 - NA)); fi; }

# ---- measuring helpers -----------------------------------------------------
counters() { pp -j show counters; }
cval() { jq -r ".$2 // 0" <<< "$1"; }
cpu_ticks() {
	local _c u n s i w irq sirq st
	read -r _c u n s i w irq sirq st _ < /proc/stat
	echo $((u + n + s + irq + sirq + st))
}
source "$PP_TOP/bench/mem.sh"

# The module's own allocations, traced by call site (tracefs).
TR=/sys/kernel/tracing
TRACE=0
trace_setup() {
	local base size end ev
	[ -d $TR/events ] || mount -t tracefs nodev $TR 2> /dev/null
	[ -d $TR/events/kmem ] || return 0
	read -r _ size _ _ _ base _ <<< "$(grep '^phoneproxy ' /proc/modules)"
	[ -n "$base" ] && [ "$base" != 0x0000000000000000 ] || return 0
	end=$(python3 -c "print(hex(int('$base', 16) + $size))")
	echo 32768 > $TR/buffer_size_kb
	for ev in kmem/kmalloc kmem/kmalloc_node kmem/kmem_cache_alloc kmem/kmem_cache_alloc_node percpu/percpu_alloc_percpu \
		kmem/kfree kmem/kmem_cache_free percpu/percpu_free_percpu; do
		[ -d $TR/events/$ev ] || continue
		echo "call_site >= $base && call_site < $end" > $TR/events/$ev/filter || continue
		echo 1 > $TR/events/$ev/enable
	done
	echo 1 > $TR/tracing_on
	TRACE=1
}
trace_clear() { [ $TRACE = 1 ] && echo > $TR/trace; }
# trace_sum N WHAT: the module's allocations since trace_clear, per WHAT:
# all it allocated, and what of it is still held (allocations matched to
# the frees of the same pointer, by the call site that allocated).
trace_sum() {
	[ $TRACE = 1 ] || { echo "(no tracefs: the module's own allocations not traced)"; return; }
	python3 - "$1" "$2" "$(nproc --all)" "$TMPD/per_object" "$TR/trace" <<-'EOF'
	import re, sys, collections
	n, what, ncpu = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
	by = collections.Counter(); cnt = collections.Counter()
	live = {}; held = collections.Counter()
	for line in open(sys.argv[5]):
	    m = re.search(r"call_site=([\w.]+)\S*", line)
	    p = re.search(r"\bptr=(\S+)", line)
	    if re.search(r"\b(kfree|kmem_cache_free|percpu_free_percpu):", line):
	        if p and p.group(1) in live:
	            k, v = live.pop(p.group(1))
	            held[k] -= v
	        continue
	    if not m:
	        continue
	    site = m.group(1)
	    b = re.search(r"bytes_alloc=(\d+)", line)
	    if b:
	        v = int(b.group(1))
	    else:
	        s = re.search(r"\bsize=(\d+)", line)
	        if not s:
	            continue
	        v = int(s.group(1)) * ncpu
	        site += " (percpu)"
	    by[site] += v; cnt[site] += 1; held[site] += v
	    if p:
	        live[p.group(1)] = (site, v)
	tot = sum(by.values()); kept = sum(held.values())
	with open(sys.argv[4], "a") as f:
	    f.write(f"{what.replace(' ', '_')} {kept / n:.1f}\n")
	print(f"the module's own allocations: {tot / n:,.0f} B per {what} (" +
	      ", ".join(f"{k}: {cnt[k] / n:.2f} x {v // cnt[k]:,} B" for k, v in by.most_common()) + ")" +
	      f", of which still held at the end: {kept / n:,.0f} B per {what} (" +
	      ", ".join(f"{k}: {v / n:,.0f} B" for k, v in held.most_common() if v) + ")")
	EOF
}

# ---- the lab ---------------------------------------------------------------
setup_topology > /dev/null || exit 1
for ((i = 0; i < A; i++)); do echo "address add $(addr_of $i)/24 dev veth-ph"; done |
	ip -n "$NS_PHONE" -batch - || exit 1
for i in $FW_SRC; do ip -n "$NS_PHONE" addr add 192.0.2.$i/24 dev veth-ph || exit 1; done
ip -n "$NS_PROXY" route add 203.0.113.0/24 dev br-north
trace_setup

md "## Scale on one node (bench/scale)"
md ""
md "$(date -u +%Y-%m-%d), \`bench/scale/run.sh${1:+ $1}\` (PHONES=$PHONES CALLS=$CALLS USERS=$USERS SECS=$SECS ROUNDS=$ROUNDS HOLD=$HOLD):" \
	"guest kernel $(uname -r), $(nproc) vCPUs, $(($(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024)) MiB," \
	"$(grep -q hypervisor /proc/cpuinfo && echo 'QEMU (run-vm.sh: TCG, emulated)' || echo 'bare metal')."
md "Rates move with what else the host runs (its load average is at the end): read CPU per packet and the counts first."
md ""

# What the guest burns doing nothing.
c0=$(cpu_ticks) i0=$EPOCHREALTIME
sleep "$SECS"
IDLE=$(awk "BEGIN { printf \"%.4f\", ($(cpu_ticks) - $c0) / $HZ / ($EPOCHREALTIME - $i0) }")
log "idle: $IDLE CPUs busy"

# ---- 1. publish --------------------------------------------------------------
users_xml() {	# users_xml N FILE
	python3 - "$1" "$2" "$CCM" "$SID_BASE" <<-'EOF'
	import sys
	n, f, ccm, base = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4], 16)
	with open(f, "w") as o:
	    o.write(f'<users name="bench-scale">\n  <ccm name="ccm" default="true"><address>{ccm}</address></ccm>\n')
	    for i in range(n):
	        o.write(f'  <user name="u{i}"><sid>SEP{base + i:012X}</sid></user>\n')
	    o.write("</users>\n")
	EOF
}
users_xml 131073 "$TMPD/u131k.xml"
big=$(pp publish "$TMPD/u131k.xml" 2>&1 >/dev/null | head -n 1)
log "publish 131,073 users (one more than PP_USERS_MAX): ${big:-accepted}"
users_xml "$USERS" "$TMPD/users.xml"
snap u0
trace_clear
t0=$EPOCHREALTIME
pp publish "$TMPD/users.xml" > /dev/null || { echo "publish of $USERS users failed"; exit 1; }
T_PUB=$(awk "BEGIN { printf \"%.2f\", $EPOCHREALTIME - $t0 }")
sleep 1
snap u1
MEM_USER=$(memdiff u0 u1 "$USERS" user)
# The users table is one kvzalloc() (vmalloc at this size): not traced.
UB=$(python3 -c 'import json, sys
a, b = (json.load(open(f))["meminfo"] for f in sys.argv[1:3])
print(sum(b[k] - a[k] for k in ("Slab", "VmallocUsed")))' "$TMPD/mem.u0" "$TMPD/mem.u1")
TR_USER=$(trace_sum "$USERS" user)
log "published $USERS users in $T_PUB s; $MEM_USER"

pp set phoneproxy activation idletimeout 0
pp set phoneproxy media timeout 0
pp set phoneproxy rtp ports 20480 60000
pp set phoneproxy media maxstreams 64
# Room above PER: a phone whose SYN went unanswered under load reconnects
# while its first attempt still counts (until the proxy's 10 s for an
# unconfirmed SYN), and the limit would refuse it.
pp set phoneproxy sccp maxconnections 64

# ---- 2. activation and the firewall -----------------------------------------
for ((i = 0; i < A; i++)); do echo "set user active name u$i address $(addr_of $i)"; done > "$TMPD/act.all"
head -n 10 "$TMPD/act.all" > "$TMPD/act.10"
tail -n +11 "$TMPD/act.all" > "$TMPD/act.rest"
t0=$EPOCHREALTIME
pp -f "$TMPD/act.10" || exit 1
T_ACT10=$(awk "BEGIN { printf \"%.3f\", $EPOCHREALTIME - $t0 }")
for i in $FW_SRC; do echo "192.0.2.$i:$SPORT $NORTH:$FW_PORT"; done > "$TMPD/fw.list"

RESULTS=$TMPD/results
: > "$RESULTS"
# fw_measure LABEL: rtpblast flat out from 10 addresses that are not
# activated to north:69 (TFTP, offered to activated addresses): the
# firewall hook looks each source up in the activations' rhashtable,
# misses and drops; pkt/s from its drop counter, CPU per packet net of
# idle.
fw_measure() {
	local c0 c1 t0 t1 d0 d1 p
	nsx "$NS_PHONE" "$BLAST" -d $((SECS + 2)) -r 0 -b 8 "$TMPD/fw.list" > "$TMPD/fw.out" &
	p=$!
	sleep 1
	d0=$(cval "$(counters)" drop) t0=$EPOCHREALTIME c0=$(cpu_ticks)
	sleep "$SECS"
	c1=$(cpu_ticks) t1=$EPOCHREALTIME d1=$(cval "$(counters)" drop)
	wait $p
	awk -v l="$1" -v d=$((d1 - d0)) -v c=$((c1 - c0)) -v t="$t0 $t1" -v hz=$HZ -v idle=$IDLE 'BEGIN {
		split(t, a, " "); w = a[2] - a[1]; pps = d / w; cpu = c / hz / w
		printf "%s %.0f %.2f\n", l, pps, pps ? (cpu - idle) * 1e6 / pps : 0 }' >> "$RESULTS"
	log "$(tail -n 1 "$RESULTS")"
}
for ((r = 0; r < ROUNDS; r++)); do fw_measure fw10; done
snap a0
trace_clear
t0=$EPOCHREALTIME
pp -f "$TMPD/act.rest" || exit 1
T_ACTREST=$(awk "BEGIN { printf \"%.3f\", $EPOCHREALTIME - $t0 }")
sleep 1
snap a1
MEM_ACT=$(memdiff a0 a1 $((A - 10)) activation)
TR_ACT=$(trace_sum $((A - 10)) activation)
NACT=$(cval "$(counters)" activations)
log "activations: $NACT; 10 in $T_ACT10 s, 469 more in $T_ACTREST s; $MEM_ACT"
for ((r = 0; r < ROUNDS; r++)); do fw_measure fw$A; done

# Every one of the USERS users activated once, one after another: user i at
# address i mod A, so from the (A+1)th on each displaces the user holding
# its address (one user to one address: A held at the end, never more,
# within the documentation prefixes), timed; then the first A again at
# their own addresses, for the phones below.
declare -a ADDRS=()
for ((i = 0; i < A; i++)); do ADDRS+=("$(addr_of $i)"); done
for ((i = 0; i < USERS; i++)); do
	echo "set user active name u$i address ${ADDRS[i % A]}"
done > "$TMPD/act.users"
a0=$(cval "$(counters)" activations)
t0=$EPOCHREALTIME
pp -f "$TMPD/act.users" || exit 1
T_ACTUSERS=$(awk "BEGIN { printf \"%.3f\", $EPOCHREALTIME - $t0 }")
HELD_USERS=$(pp -j show user | jq '[.. | objects | select(.active == true)] | length')
a1=$(cval "$(counters)" activations)
log "activated all $USERS users in $T_ACTUSERS s; $HELD_USERS held; activations counter $a0 -> $a1"
pp -f "$TMPD/act.all" || exit 1

# ---- 3. registration ---------------------------------------------------------
gate_on() { nsx "$1" nft -f - <<-EOF
	table ip gate {
		chain out { type filter hook output priority -310; policy accept; meta l4proto udp drop; }
	}
	EOF
}
gate_off() { nsx "$1" nft delete table ip gate; }
gate_on "$NS_PHONE" && gate_on "$NS_CCM" || exit 1

ip netns exec "$NS_CCM" "$CCM_SIM" --listen $CCM --control "$TMPD/ccm.sock" --quiet --shared-sids \
	--keepalive 3600 --call-timeout 120 > "$TMPD/ccm.out" 2>&1 &
CCM_PID=$!
at_exit "kill -CONT $CCM_PID; kill $CCM_PID"
wait_for 10 test -S "$TMPD/ccm.sock" || { echo "pp-ccm-sim does not start"; exit 1; }
ctl() { "$CCM_SIM" --client "$TMPD/ccm.sock" "$@"; }

# Two processes: 192.0.2.30-254 (NA addresses), 203.0.113.1-254 (the
# rest); phone i of a process on address i mod K with that address's SID;
# each starts RATE phones a second (all at once overflows the simulated
# CallManager's accept queue under emulation: SYNs dropped, reconnects).
N1=$((PHONES * NA / A))
N2=$((PHONES - N1))
snap r0
trace_clear
c0=$(counters)
t0=$EPOCHREALTIME
ip netns exec "$NS_PHONE" "$PHONE_SIM" --server $NORTH --sid-base "$(printf 'SEP%012X' $SID_BASE)" \
	--count $N1 --sid-count $NA --bind "$(addr_of 0)" --bind-count $NA --keepalive 3600 --quiet \
	--retry 1 --rate "$RATE" > "$TMPD/ph1.out" 2>&1 &
P1=$!
at_exit "kill -CONT $P1; kill $P1"
ip netns exec "$NS_PHONE" "$PHONE_SIM" --server $NORTH --sid-base "$(printf 'SEP%012X' $((SID_BASE + NA)))" \
	--count $N2 --sid-count $((A - NA)) --bind 203.0.113.1 --bind-count $((A - NA)) --keepalive 3600 --quiet \
	--retry 1 --rate "$RATE" > "$TMPD/ph2.out" 2>&1 &
P2=$!
at_exit "kill -CONT $P2; kill $P2"
ctl wait registered "$PHONES" 600 > "$TMPD/wait.out"
t1=$EPOCHREALTIME
T_REG=$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")
sleep 2
snap r1
c1=$(counters)
REG=$(ctl stats | sed -n 's/.* registered=\([0-9]*\).*/\1/p')
KREG=$(cval "$c1" sccp_registered)
KCONN=$(($(cval "$c1" sccp_connections) - $(cval "$c0" sccp_connections)))
KOPEN=$(cval "$c1" sccp_open)
LIMIT=$(($(cval "$c1" sccp_conn_limit) - $(cval "$c0" sccp_conn_limit)))
MEM_CONN=$(memdiff r0 r1 "$REG" "SCCP connection")
TR_CONN=$(trace_sum "$REG" "SCCP connection")
log "registered: $REG at the CallManager, $KREG in the module, $KOPEN open, $KCONN SYNs, in $T_REG s; $MEM_CONN"

# ---- 4. the relay's cost per packet: 10 and STREAMS streams -----------------
sink_on() { nsx "$1" nft -f - <<-EOF
	table ip bench {
		chain pre { type filter hook prerouting priority -300; policy accept; meta l4proto udp counter drop; }
		chain out { type filter hook output priority -300; policy accept; meta l4proto udp notrack; }
	}
	EOF
}
sink_off() { nsx "$1" nft delete table ip bench; }
sink_count() { nsx "$1" nft list chain ip bench pre | sed -n 's/.*counter packets \([0-9]*\) .*/\1/p'; }

s0=$(counters)
snap m0
trace_clear
r=$(ctl calls "$STREAMS" south)
log "calls $STREAMS south: $r"
wait_for 60 eval "[ \$(pp -j show calls | jq '[.[] | select(.far_address)] | length') -ge $STREAMS ]" ||
	log "not every stream has a far end"
sleep 1
snap m1
NSTR=$(($(cval "$(counters)" media_streams_total) - $(cval "$s0" media_streams_total)))
MEM_STREAM=$(memdiff m0 m1 "$NSTR" "media stream")
TR_STREAM=$(trace_sum "$NSTR" "media stream")
log "$NSTR streams; $MEM_STREAM"
pp -j show calls > "$TMPD/calls.json"
python3 - "$TMPD/calls.json" "$TMPD/relay" "$NORTH" "$SOUTH" "$SPORT" <<-'EOF'
import json, sys
calls, out, north, south, sport = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
calls = [c for c in json.load(open(calls)) if c.get("far_address")]
at, up, down = {}, [], []
for c in calls:	# each stream its own source port at its phone's address
    k = at.get(c["phone_address"], 0)
    at[c["phone_address"]] = k + 1
    up.append((k, f"{c['phone_address']}:{sport + k} {north}:{c['north_port']}"))
    down.append((k, f"{c['far_address']} {south}:{c['south_port']}"))
for name, l in (("up", up), ("down", down)):
    with open(f"{out}.{name}", "w") as f:	# one stream per address first
        f.writelines(x + "\n" for _, x in sorted(l, key=lambda t: t[0]))
EOF
kill -STOP $CCM_PID $P1 $P2
gate_off "$NS_PHONE" && gate_off "$NS_CCM"
sink_on "$NS_PHONE" && sink_on "$NS_CCM" || exit 1
relay_measure() {	# relay_measure N
	local n=$1 p1 p2 a0 a1 c0 c1 t0 t1
	head -n "$n" "$TMPD/relay.up" > "$TMPD/r.up"
	head -n "$n" "$TMPD/relay.down" > "$TMPD/r.down"
	nsx "$NS_PHONE" "$BLAST" -d $((SECS + 2)) -r 0 -b 8 "$TMPD/r.up" > /dev/null &
	p1=$!
	nsx "$NS_CCM" "$BLAST" -d $((SECS + 2)) -r 0 -b 8 "$TMPD/r.down" > /dev/null &
	p2=$!
	sleep 1
	a0=$(($(sink_count "$NS_PHONE") + $(sink_count "$NS_CCM"))) t0=$EPOCHREALTIME c0=$(cpu_ticks)
	sleep "$SECS"
	c1=$(cpu_ticks) t1=$EPOCHREALTIME a1=$(($(sink_count "$NS_PHONE") + $(sink_count "$NS_CCM")))
	wait $p1 $p2
	awk -v l="relay$n" -v d=$((a1 - a0)) -v c=$((c1 - c0)) -v t="$t0 $t1" -v hz=$HZ -v idle=$IDLE 'BEGIN {
		split(t, a, " "); w = a[2] - a[1]; pps = d / w; cpu = c / hz / w
		printf "%s %.0f %.2f\n", l, pps, pps ? (cpu - idle) * 1e6 / pps : 0 }' >> "$RESULTS"
	log "$(tail -n 1 "$RESULTS")"
}
q0=$(counters)
for ((r = 0; r < ROUNDS; r++)); do
	relay_measure 10
	relay_measure "$NSTR"
done
q1=$(counters)
RELAY_DROPS=$(for k in media_drops media_no_port media_port_drops; do
	echo "$k $(($(cval "$q1" $k) - $(cval "$q0" $k)))"; done | paste -sd, -)
RELAYED=$(($(cval "$q1" media_packets) - $(cval "$q0" media_packets)))
sink_off "$NS_PHONE"; sink_off "$NS_CCM"
gate_on "$NS_PHONE" && gate_on "$NS_CCM"
kill -CONT $CCM_PID $P1 $P2
ctl hangup all > /dev/null
wait_for 60 eval "[ \$(cval \"\$(counters)\" media_streams) -eq 0 ]" || log "streams left after hangup"
gate_off "$NS_PHONE"; gate_off "$NS_CCM"

# ---- 5. the scale run: CALLS calls phone to phone, their own RTP ------------
h0=$(counters)
snap h0
t0=$EPOCHREALTIME
r=$(ctl calls "$CALLS")
T_CALLS=$(awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $t0 }")
log "calls $CALLS: $r ($T_CALLS s)"
UP=$(sed -n 's/.* up=\([0-9]*\).*/\1/p' <<< "$r")
sleep 2
snap h1
x0=$(counters) t0=$EPOCHREALTIME c0=$(cpu_ticks)
sleep "$HOLD"
c1=$(cpu_ticks) t1=$EPOCHREALTIME x1=$(counters)
XDROPS=$(for k in media_drops media_no_port media_port_drops; do
	echo "$k $(($(cval "$x1" $k) - $(cval "$x0" $k)))"; done | paste -sd, -)
pp -j show calls > "$TMPD/hold.json"
HSTREAMS=$(cval "$x1" media_streams)
HPPS=$(awk "BEGIN { printf \"%.0f\", ($(cval "$x1" media_packets) - $(cval "$x0" media_packets)) / ($t1 - $t0) }")
HCPU=$(awk "BEGIN { printf \"%.2f\", ($c1 - $c0) / $HZ / ($t1 - $t0) }")
SILENT=$(jq '[.[] | select(.phone_packets == 0 or .far_packets == 0)] | length' "$TMPD/hold.json")
ctl hangup all > /dev/null
h1=$(counters)
HDROPS=$(for k in media_drops media_no_port media_port_drops media_stream_limit media_unopened; do
	echo "$k $(($(cval "$h1" $k) - $(cval "$h0" $k)))"; done | paste -sd, -)
PEAK_MEM=$(memdiff u0 h1 1 "run")
kill -TERM $P1 $P2
wait $P1 $P2 2> /dev/null
PHSUM=$(cat "$TMPD/ph1.out" "$TMPD/ph2.out" | grep '^summary' | python3 -c '
import sys
t = {}
for l in sys.stdin:
    for w in l.split()[1:]:
        k, _, v = w.partition("=")
        if v.isdigit() and k in ("tx_packets", "rx_packets", "rx_lost", "rx_bad", "streams", "rejected", "failed"):
            t[k] = t.get(k, 0) + int(v)
print(", ".join(f"{k} {v:,}" for k, v in t.items()))')
log "hold: $HSTREAMS streams, $HPPS pkt/s relayed, $HCPU CPUs busy; drops: $HDROPS; phones: $PHSUM"

# ---- the section -------------------------------------------------------------
# med LABEL FIELD: the median of a line's field over its rounds
med() { awk -v l="$1" -v f="$2" '$1 == l { print $f }' "$RESULTS" | sort -g |
	awk '{ v[n++] = $1 } END { if (n) printf "%.2f", n % 2 ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2; else printf "-" }'; }
avg() { printf '%.0f | %s | %s | %s' "$(med "$1" 2)" "$(med "$1" 3)" \
	"$(awk -v l="$1" '$1 == l { if (!n++ || $3 < lo) lo = $3; if ($3 > hi) hi = $3 } END { printf "%.2f to %.2f", lo, hi }' "$RESULTS")" \
	"$(awk -v l="$1" '$1 == l { n++ } END { print n + 0 }' "$RESULTS")"; }
ratio() { awk -v a="$(med "$1" 3)" -v b="$(med "$2" 3)" 'BEGIN { if (a + 0 > 0) printf "%.2f", b / a; else printf "-" }'; }
md "| figure | value |"
md "|---|---|"
md "| publish $USERS users (\`ppctl publish\`) | $T_PUB s |"
md "| publish 131,073 users (PP_USERS_MAX + 1) | ${big:-accepted (the bound is gone)} |"
md "| activate 10 users (\`ppctl -f\`, one per address) | $T_ACT10 s |"
md "| activate 469 more (479 in all: the documentation prefixes' phone addresses) | $T_ACTREST s ($(awk "BEGIN { printf \"%.0f\", 469 / $T_ACTREST }")/s; $(awk "BEGIN { printf \"%.1f\", ($T_ACTREST - $T_ACT10) * 1000 / 459 }") ms per activation beyond ppctl's fixed cost) |"
md "| activate all $USERS users, one after another (user i at address i mod $A: from the $((A + 1))th on each displaces the holder of its address) | $T_ACTUSERS s ($(awk "BEGIN { printf \"%.0f\", $USERS / $T_ACTUSERS }")/s); $HELD_USERS held at the end, as many as addresses |"
md "| phones registered through the SCCP proxy | $REG of $PHONES at the CallManager, $KREG in the module ($KOPEN open, $PER per activation, \`sccp maxconnections 64\`) |"
md "| registration | $T_REG s, $(awk "BEGIN { printf \"%.0f\", $REG / $T_REG }") phones/s (offered: $((2 * RATE)) a second, two simulators; SYNs seen $KCONN, refused by the limit $LIMIT) |"
md "| calls phone to phone, up | $UP of $CALLS in $T_CALLS s ($HSTREAMS streams) |"
md "| their 20 ms G.711 through the relay (HOLD $HOLD s) | $HPPS pkt/s relayed (offered: $((STREAMS * 50)) pkt/s if every phone keeps its 20 ms), $HCPU of $(nproc) CPUs busy; streams without a packet either way: $SILENT |"
md "| relay drops while the $HSTREAMS streams ran (HOLD window) | $XDROPS |"
md "| relay drops from before the calls to after the hangup (set-up and teardown included) | $HDROPS |"
md "| the phones' RTP accounting (pp-phone-sim summary) | $PHSUM |"
md ""
md "Cost per packet (rtpblast flat out, $SECS s windows, $ROUNDS rounds; CPU net of the idle guest's $IDLE CPUs; the whole path: sender, veths, middle, receiver):"
md ""
md "| path | pkt/s (median) | CPU µs/pkt (median) | CPU µs/pkt, lowest to highest | rounds |"
md "|---|---|---|---|---|"
md "| firewall, 10 activations (UDP to north:$FW_PORT from 10 addresses not activated: looked up, dropped) | $(avg fw10) |"
md "| firewall, $A activations | $(avg fw$A) |"
md "| relay, 10 streams (both directions) | $(avg relay10) |"
md "| relay, $NSTR streams | $(avg relay$NSTR) |"
md ""
md "Ratios of the medians of CPU per packet: firewall $A / 10 activations $(ratio fw10 fw$A); relay $NSTR / 10 streams $(ratio relay10 relay$NSTR)." \
	"The relay's own counters over those runs: $RELAYED packets relayed; $RELAY_DROPS."
md ""
md "Memory (slab before/after each step over the objects made; the module's own allocations traced by call site):"
md ""
md "- per user published: $MEM_USER; $TR_USER"
md "- per activation: $MEM_ACT; $TR_ACT"
md "- per SCCP connection (both TCP ends of the simulators included in the slab figure): $MEM_CONN; $TR_CONN"
md "- per media stream: $MEM_STREAM; $TR_STREAM"
md "- the whole run, from before the publish to $REG phones registered and $HSTREAMS streams up: $PEAK_MEM"
if [ -s "$TMPD/per_object" ]; then
	md "- the module's own allocations at the scale of this run (the traced figures still held, above, times" \
		"$USERS users, $NACT activations, $REG connections, $NSTR streams; rhashtable bucket arrays," \
		"allocated by lib/rhashtable.c, in the slab figures only): $(awk -v u="$USERS" -v a="$NACT" -v c="$REG" -v s="$NSTR" '
		$1 == "user" { t += $2 * u } $1 == "activation" { t += $2 * a }
		$1 == "SCCP_connection" { t += $2 * c } $1 == "media_stream" { t += $2 * s }
		END { printf "%.1f MiB", t / 1048576 }' "$TMPD/per_object"), plus the users table" \
		"($(awk "BEGIN { printf \"%.1f\", $UB / 1048576 }") MiB, Slab and VmallocUsed of the publish)"
fi
cat "$MD"
exit 0
