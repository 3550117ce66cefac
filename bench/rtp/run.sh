#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# bench/rtp: the in-kernel media relay against plain IP forwarding (not a
# test: numbers, no assertions). On the host:
#	bench/rtp/run.sh [N...]		(default: 10 100 400 streams)
# builds the load generator (make -C bench/rtp) and runs itself in the QEMU
# guest (selftests/vm/run-vm.sh). Settings from the environment: SECS
# (measured seconds per line, default 10), ROUNDS (full-load pairs per N,
# default 2), BURST (packets per sendmmsg()
# per stream at full load, default 8), RTP_PPS (packets/s per stream and
# direction of the paced line, default 50: real G.711 20 ms).
#
# In one boot:
#  1. set-up by SCCP signalling only, once, for the largest N: N users
#     activated at N addresses (192.0.2.30-254, then 203.0.113.1-254: one
#     user per address, so at most 479 streams; the lab's own phones keep
#     192.0.2.10 and .20), N pp-phone-sim phones
#     register through the proxy with pp-ccm-sim, which places `calls N
#     south`: N streams, each phone <-> the CallManager's media endpoint
#     (198.51.100.10); each smaller N loads the first N of them (the
#     others stay set up, idle);
#  2. the simulators are stopped (SIGSTOP) and rtpblast sends RTP in both
#     directions at the relay ports the proxy announced (`ppctl -j show
#     calls`): from each phone's address to north:N, from the media
#     endpoint to south:S; the relay forwards to the media endpoint and to
#     each phone's announced port;
#  3. the same packets, same sizes, same senders and receivers, through a
#     twin of the lab in which the middle namespace is a plain router
#     (same bridge and veths, ip_forward, conntrack off by an nft raw
#     "notrack" rule, the module loaded but not configured there): each
#     phone sends straight to the media endpoint's port, the endpoint
#     straight to each phone's port.
# Each N measured at full load (as fast as two senders, one per
# direction, can go; relay and plain alternately, ROUNDS times, default 2,
# averaged in the summary) and paced at RTP_PPS per stream and direction.
# Receivers drop every UDP packet in an nft prerouting chain at raw
# priority (before conntrack and sockets) and count it there; senders'
# packets are not tracked either (nft notrack on output). pps: packets
# counted by the receivers over SECS s; CPU: busy time of all CPUs (/proc/stat: user,
# nice, system, irq, softirq, steal) over the same window, divided by the
# packets: the whole path, sender and receiver included, which the two
# variants share. The guest is emulated: compare the two columns, not
# the absolute numbers with real hardware.
PP_TOP=$(cd "$(dirname "$0")/../.." && pwd)
BLAST=$PP_TOP/build/bench/rtp/rtpblast

if [ -z "${PP_VM_OUT:-}" ]; then	# on the host: build, then boot the guest
	make -s -C "$PP_TOP/bench/rtp" || exit 1
	exec "$PP_TOP/selftests/vm/run-vm.sh" -m 1536 \
		"SECS=${SECS:-10} BURST=${BURST:-8} RTP_PPS=${RTP_PPS:-50} ROUNDS=${ROUNDS:-2} bash $PP_TOP/bench/rtp/run.sh ${*:-10 100 400}"
fi

# In the guest.
source "$PP_TOP/selftests/phoneproxy/lib.sh"
require ip nft python3
[ -x "$CCM_SIM" ] && [ -x "$PHONE_SIM" ] || skip_all "simulators not built (make -C userspace)"
[ -x "$BLAST" ] || skip_all "build it first: make -C bench/rtp"
SECS=${SECS:-10}
BURST=${BURST:-8}
RTP_PPS=${RTP_PPS:-50}
ROUNDS=${ROUNDS:-2}
NS_LIST=${*:-10 100 400}
MAXN=0
for n in $NS_LIST; do
	[ "$n" -ge 1 ] && [ "$n" -le 479 ] || { echo "N=$n: 1..479 (one address per phone)"; exit 2; }
	[ "$n" -gt $MAXN ] && MAXN=$n
done
ulimit -n 65536
HZ=$(getconf CLK_TCK)
# Phones on 192.0.2.30-254, the rest on 203.0.113.x. Never 192.0.2.20:
# lib.sh's second phone namespace has it on the same bridge, and the
# proxy's ARP for it would reach that namespace instead (one phone of N
# then never gets its SYN-ACK: the "399 of 400" of earlier runs).
NA=225
SID_BASE=0x00BE00000000

addr_of() {	# addr_of I (0-based)
	if [ "$1" -lt $NA ]; then echo 192.0.2.$((30 + $1)); else echo 203.0.113.$((1 + $1 - NA)); fi
}

# The phones' addresses in a phone namespace, the route back in a middle one.
add_phone_addrs() {	# add_phone_addrs PHONE_NS MIDDLE_NS
	local i
	for ((i = 0; i < MAXN; i++)); do
		echo "address add $(addr_of $i)/24 dev veth-ph"
	done | ip -n "$1" -batch - || return 1
	ip -n "$2" route add 203.0.113.0/24 dev br-north
}

# Receivers drop and count UDP before conntrack; senders do not track.
sink_rules() {	# sink_rules NS
	nsx "$1" nft -f - <<-EOF
	table ip bench {
		chain pre { type filter hook prerouting priority -300; policy accept; meta l4proto udp counter drop; }
		chain out { type filter hook output priority -300; policy accept; meta l4proto udp notrack; }
	}
	EOF
}
sink_count() { nsx "$1" nft list chain ip bench pre | sed -n 's/.*counter packets \([0-9]*\) .*/\1/p'; }

# The lab, through the proxy (lib.sh): NS_PHONE -- NS_PROXY -- NS_CCM.
setup_topology > /dev/null || exit 1
add_phone_addrs "$NS_PHONE" "$NS_PROXY" || exit 1
sink_rules "$NS_PHONE" && sink_rules "$NS_CCM" || exit 1

# Its twin with a plain router in the middle: NS_PH2 -- NS_RT -- NS_SINK.
NS_PH2=pp-pphone-$SFX NS_RT=pp-router-$SFX NS_SINK=pp-psink-$SFX
for ns in $NS_PH2 $NS_RT $NS_SINK; do
	ip netns add $ns || exit 1
	ip -n $ns link set lo up
	at_exit "ip netns pids $ns | xargs -r kill; ip netns del $ns"
done
ip -n $NS_RT link add br-north type bridge
ip -n $NS_RT link set br-north type bridge forward_delay 0 stp_state 0
ip -n $NS_RT link set br-north up
ip -n $NS_RT addr add $NORTH/24 dev br-north
ip link add veth-ph netns $NS_PH2 type veth peer name p-phone netns $NS_RT
ip link add veth-ccm netns $NS_SINK type veth peer name south netns $NS_RT
ip -n $NS_RT link set p-phone master br-north up
ip -n $NS_RT link set south up
ip -n $NS_RT addr add $SOUTH/24 dev south
ip -n $NS_PH2 addr add $PHONE/24 dev veth-ph
ip -n $NS_PH2 link set veth-ph up
ip -n $NS_PH2 route add default via $NORTH
ip -n $NS_SINK addr add $CCM/24 dev veth-ccm
ip -n $NS_SINK link set veth-ccm up
ip -n $NS_SINK route add default via $SOUTH
nsx $NS_RT sysctl -q -w net.ipv4.ip_forward=1
nsx $NS_RT nft -f - <<-EOF || exit 1
table ip bench {
	chain pre { type filter hook prerouting priority -300; policy accept; meta l4proto udp notrack; }
}
EOF
add_phone_addrs $NS_PH2 $NS_RT || exit 1
sink_rules $NS_PH2 && sink_rules $NS_SINK || exit 1

# MAXN users, each activated at its own address; nothing times out.
{
	echo '<users name="bench-rtp">'
	echo "  <ccm name=\"ccm\" default=\"true\"><address>$CCM</address></ccm>"
	for ((i = 0; i < MAXN; i++)); do
		printf '  <user name="u%d"><sid>SEP%012X</sid></user>\n' $i $((SID_BASE + i))
	done
	echo '</users>'
} > "$TMPD/users.xml"
pp publish "$TMPD/users.xml" > /dev/null || exit 1
pp set phoneproxy activation idletimeout 0
pp set phoneproxy media timeout 0
for ((i = 0; i < MAXN; i++)); do
	echo "set user active name u$i address $(addr_of $i)"
done > "$TMPD/activate.conf"
pp -f "$TMPD/activate.conf" || exit 1

ip netns exec "$NS_CCM" "$CCM_SIM" --listen $CCM --control "$TMPD/ccm.sock" --quiet \
	--keepalive 3600 --packet-ms 60 --call-timeout 60 > "$TMPD/ccm.out" 2>&1 &
CCM_PID=$!
at_exit "kill -CONT $CCM_PID; kill $CCM_PID"
wait_for 10 test -S "$TMPD/ccm.sock" || { echo "pp-ccm-sim does not start"; exit 1; }
ctl() { "$CCM_SIM" --client "$TMPD/ccm.sock" "$@"; }

# CPU ticks of all CPUs: "busy softirq" (/proc/stat, read without a process).
cpu_ticks() {
	local _c u n s i w irq sirq st
	read -r _c u n s i w irq sirq st _ < /proc/stat
	echo $((u + n + s + irq + sirq + st)) $sirq
}
# sample VAR NS: VAR="packets time", the time the middle of the reading.
sample() {
	local t0=$EPOCHREALTIME v
	v=$(sink_count "$2")
	printf -v "$1" '%s %s' "$v" "$(awk "BEGIN { printf \"%.6f\", ($t0 + $EPOCHREALTIME) / 2 }")"
}

# measure LABEL UP_NS UP_LIST DOWN_NS DOWN_LIST SINK_UP_NS SINK_DOWN_NS RATE BURST
# Both senders run SECS + 2 s; the window is about SECS s from 1 s in,
# each counter read with its own time stamps (reading costs a process).
measure() {
	local label=$1 uns=$2 ul=$3 dns=$4 dl=$5 su=$6 sd=$7 rate=$8 burst=$9
	local p1 p2 a0 a1 b0 b1 c0 c1 ct0 ct1 r0 r1 sent
	r0=$(($(sink_count "$su") + $(sink_count "$sd")))
	nsx "$uns" "$BLAST" -d $((SECS + 2)) -r "$rate" -b "$burst" "$ul" > "$TMPD/up.out" &
	p1=$!
	nsx "$dns" "$BLAST" -d $((SECS + 2)) -r "$rate" -b "$burst" "$dl" > "$TMPD/down.out" &
	p2=$!
	sleep 1
	ct0=$EPOCHREALTIME c0=$(cpu_ticks)
	sample a0 "$su"
	sample b0 "$sd"
	sleep "$SECS"
	ct1=$EPOCHREALTIME c1=$(cpu_ticks)
	sample a1 "$su"
	sample b1 "$sd"
	wait $p1 $p2
	r1=$(($(sink_count "$su") + $(sink_count "$sd")))
	sent=$(cat "$TMPD/up.out" "$TMPD/down.out" | sed -n 's/.*sent=\([0-9]*\).*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }')
	python3 - "$label" "$a0" "$a1" "$b0" "$b1" "$ct0" "$ct1" "$c0" "$c1" "$HZ" "$(nproc)" \
		"$sent" "$((r1 - r0))" "${IDLE_BUSY:-0}" >> "$TMPD/results" <<-'EOF'
	import sys
	label = sys.argv[1]
	(a0, ta0), (a1, ta1), (b0, tb0), (b1, tb1) = ([float(x) for x in v.split()] for v in sys.argv[2:6])
	ct0, ct1 = float(sys.argv[6]), float(sys.argv[7])
	(c0, s0), (c1, s1) = ([int(x) for x in v.split()] for v in sys.argv[8:10])
	hz, ncpu, sent, recv, idle = int(sys.argv[10]), int(sys.argv[11]), int(sys.argv[12]), int(sys.argv[13]), float(sys.argv[14])
	pps = (a1 - a0) / (ta1 - ta0) + (b1 - b0) / (tb1 - tb0)
	cpu = (c1 - c0) / hz / (ct1 - ct0)          # CPUs busy (CPU seconds per second)
	soft = (s1 - s0) / hz / (ct1 - ct0)
	us = cpu * 1e6 / pps if pps else 0
	net = (cpu - idle) * 1e6 / pps if pps else 0
	loss = 100.0 * (sent - recv) / sent if sent else 0
	print(f"{label} {pps:.0f} {us:.2f} {net:.2f} {100 * cpu / ncpu:.0f} {100 * soft / cpu if cpu else 0:.0f} {loss:.2f} {sent}")
	EOF
	tail -n 1 "$TMPD/results" | awk '{ printf "    %-6s %9d pkt/s  CPU %8.2f us/pkt (%.2f net of idle)  busy %3d%% of %d CPUs, softirq %3d%% of it  lost %s%% of %d\n", $3, $4, $5, $6, $7, '"$(nproc)"', $8, $9, $10 }'
}

echo "# RTP relay benchmark, $(date -u +%Y-%m-%dT%H:%MZ), kernel $(uname -r), $(nproc) vCPU" \
	"($(grep -q hypervisor /proc/cpuinfo && echo 'QEMU guest' || echo 'bare metal')), $SECS s per line"
echo "# full: as fast as possible, $BURST packets per sendmmsg() per stream; paced: $RTP_PPS pkt/s per stream and direction"
: > "$TMPD/results"
# What the guest burns doing nothing (TCG timers, the simulators asleep).
i0=$EPOCHREALTIME c0=$(cpu_ticks)
sleep "$SECS"
i1=$EPOCHREALTIME c1=$(cpu_ticks)
IDLE_BUSY=$(awk "BEGIN { printf \"%.4f\", (${c1% *} - ${c0% *}) / $HZ / ($i1 - $i0) }")
echo "# idle: $IDLE_BUSY CPUs busy with no traffic (subtracted in \"net of idle\")"
# Set-up once, by SCCP signalling, for the largest N; each N then loads
# the first N streams (the others stay set up and idle).
N=$MAXN
n1=$((N < NA ? N : NA))
# ip netns exec, not nsx: $! must be the simulator itself (SIGSTOP).
ip netns exec "$NS_PHONE" "$PHONE_SIM" --server $NORTH --sid-base "$(printf 'SEP%012X' $SID_BASE)" \
	--count $n1 --bind "$(addr_of 0)" --bind-count $n1 --keepalive 3600 --quiet \
	> "$TMPD/ph1.out" 2>&1 &
P1=$!
at_exit "kill -CONT $P1; kill $P1"
P2=
if [ "$N" -gt $NA ]; then
	ip netns exec "$NS_PHONE" "$PHONE_SIM" --server $NORTH \
		--sid-base "$(printf 'SEP%012X' $((SID_BASE + NA)))" --count $((N - NA)) \
		--bind 203.0.113.1 --bind-count $((N - NA)) --keepalive 3600 --quiet \
		> "$TMPD/ph2.out" 2>&1 &
	P2=$!
	at_exit "kill -CONT $P2; kill $P2"
fi
t0=$EPOCHREALTIME
if ! ctl wait registered "$N" 120 > /dev/null; then
	echo "# registration: not all $N phones registered in 120 s: $(ctl stats)"
	tail -n 5 "$TMPD"/ph*.out "$TMPD/ccm.out"
	pp show counters | grep -E 'sccp|activations'
	pp show user | awk 'NR > 2 && !/reg/ { print "# not registered: " $0 }'
fi
t1=$EPOCHREALTIME
R=$(ctl stats | sed -n 's/.* registered=\([0-9]*\).*/\1/p')
[ "${R:-0}" -ge 1 ] || { echo "no phone registered"; exit 1; }
r=$(ctl calls "$R" south) || echo "# calls: $r"
echo "# set-up by SCCP: $R phones registered through the proxy in" \
	"$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s; calls $R south: $r"
wait_for 10 eval "[ \$(pp -j show calls | grep -o '\"far_address\":\"' | wc -l) -ge $R ]"
pp -j show calls > "$TMPD/calls.json"
python3 - "$TMPD" $NORTH $SOUTH <<-'EOF' || exit 1
import json, sys
d, north, south = sys.argv[1], sys.argv[2], sys.argv[3]
calls = [c for c in json.load(open(f"{d}/calls.json")) if c.get("far_address")]
with open(f"{d}/relay.up", "w") as f:
    for c in calls: f.write(f"{c['phone_address']} {north}:{c['north_port']}\n")
with open(f"{d}/relay.down", "w") as f:
    for c in calls: f.write(f"{c['far_address']} {south}:{c['south_port']}\n")
with open(f"{d}/plain.up", "w") as f:
    for c in calls: f.write(f"{c['phone_address']} {c['far_address']}:{c['far_port']}\n")
with open(f"{d}/plain.down", "w") as f:
    for c in calls: f.write(f"{c['far_address']} {c['phone_address']}:{c['phone_port']}\n")
EOF
S=$(wc -l < "$TMPD/relay.up")
echo "# $S streams in show calls, each with a far end"
kill -STOP $CCM_PID $P1 $P2
sleep 0.5
q0=$(($(sink_count "$NS_PHONE") + $(sink_count "$NS_CCM")))
sleep 1
q1=$(($(sink_count "$NS_PHONE") + $(sink_count "$NS_CCM")))
echo "# simulators stopped: $((q1 - q0)) packets in 1 s without the load generator"
m0=$(pp -j show counters | sed -n 's/.*"media_packets":\([0-9]*\).*/\1/p')

for N in $NS_LIST; do
	[ "$N" -gt "$S" ] && { echo "N=$N: only $S streams, measuring $S"; N=$S; }
	echo "N=$N streams (both directions)"
	for f in relay.up relay.down plain.up plain.down; do
		head -n "$N" "$TMPD/$f" > "$TMPD/$N.$f"
	done
	rate=$((N * RTP_PPS))
	echo "  full load, $ROUNDS rounds"
	for ((k = 0; k < ROUNDS; k++)); do
		measure "$N full relay" "$NS_PHONE" "$TMPD/$N.relay.up" "$NS_CCM" "$TMPD/$N.relay.down" \
			"$NS_CCM" "$NS_PHONE" 0 "$BURST"
		measure "$N full plain" $NS_PH2 "$TMPD/$N.plain.up" $NS_SINK "$TMPD/$N.plain.down" \
			$NS_SINK $NS_PH2 0 "$BURST"
	done
	echo "  paced, $RTP_PPS pkt/s per stream and direction ($((2 * rate)) pkt/s offered)"
	measure "$N paced relay" "$NS_PHONE" "$TMPD/$N.relay.up" "$NS_CCM" "$TMPD/$N.relay.down" \
		"$NS_CCM" "$NS_PHONE" $rate 1
	measure "$N paced plain" $NS_PH2 "$TMPD/$N.plain.up" $NS_SINK "$TMPD/$N.plain.down" \
		$NS_SINK $NS_PH2 $rate 1
done
m1=$(pp -j show counters | sed -n 's/.*"media_packets":\([0-9]*\).*/\1/p')
echo "# the relay's own count: $((m1 - m0)) packets relayed;" \
	"$(pp show counters | grep -E 'media (drops|no port)' | tr -s ' ' | paste -sd, -)"
kill -CONT $CCM_PID $P1 $P2
ctl hangup all > /dev/null
kill -TERM $P1 $P2
wait $P1 $P2 2> /dev/null

echo
echo "# summary: relay / plain (pkt/s: higher is better; CPU us/pkt, net of idle: lower is better)"
printf '%-6s %-6s %12s %12s %7s %14s %14s %7s\n' N load "relay pkt/s" "plain pkt/s" ratio \
	"relay us/pkt" "plain us/pkt" ratio
awk '$3 == "relay" { k = $1 " " $2; if (!(k in nr)) order[++n] = k; nr[k]++; rp[k] += $4; ru[k] += $6 }
     $3 == "plain" { k = $1 " " $2; np[k]++; pp[k] += $4; pu[k] += $6 }
     END { for (i = 1; i <= n; i++) { k = order[i]; split(k, a, " ");
	rp[k] /= nr[k]; ru[k] /= nr[k]; pp[k] /= np[k]; pu[k] /= np[k];
	printf "%-6s %-6s %12d %12d %7.2f %14.2f %14.2f %7.2f\n", a[1], a[2], rp[k], pp[k],
		pp[k] ? rp[k] / pp[k] : 0, ru[k], pu[k], pu[k] ? ru[k] / pu[k] : 0 } }' "$TMPD/results"
exit 0
