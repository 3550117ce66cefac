# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# bench/rtpengine/lib.sh: the reference for bench/rtp/run.sh (sourced in the
# guest, after selftests/phoneproxy/lib.sh; not a test). Two rtpengine
# daemons (Debian rtpengine-daemon) in one middle namespace, both on
# NORTH (interface "north") and SOUTH ("south"):
#   kernel:    --table=0 --no-fallback: forwarding by xt_RTPENGINE (Debian
#              rtpengine-kernel-dkms, built for the guest's kernel by
#              scripts/bench-deps.sh), an iptables (nft) rule
#              "INPUT -p udp -j RTPENGINE --id 0" in the namespace; ng on
#              127.0.0.1:2223;
#   userspace: --table=-1: its own forwarding, in the daemon; ng on
#              127.0.0.1:2224.
# Their media port ranges are sized from the streams (rtpe_ports), the
# namespace's ephemeral ports moved above them.
# Packets to the userspace daemon's ports meet the RTPENGINE rule too and
# go on (no target in table 0 for them), as on a host running both.
RTPE_NG=$PP_TOP/bench/rtpengine/ng.pl

# rtpe_ports MAXN: the two daemons' port ranges for MAXN streams, from
# port 1100 up to below the namespace's ephemeral ports (from RTPE_EPH on;
# nothing else listens in the router namespace): "KMIN KMAX UMIN UMAX".
# The kernel daemon holds MAXN calls at 4 ports each (RTP and RTCP on
# both sides), made once; the userspace daemon gets fresh calls for each
# measurement (the last ones deleted first, --delete-delay=0 frees their
# ports at once), 2 MAXN streams' ports for slack, at least MAXN's.
RTPE_EPH=50000
rtpe_ports() {
	local k=$((4 * $1 + 100)) u=$((8 * $1 + 100)) umin=$((4 * $1 + 100)) room
	room=$((RTPE_EPH - 1100 - k))
	[ $room -ge $umin ] || return 1
	[ $u -le $room ] || u=$room
	echo 1100 $((1100 + k - 1)) $((1100 + k)) $((1100 + k + u - 1))
}

rtpe_start() {	# rtpe_start NS MAXN
	local ns=$1 n=$2 bin v r
	RTPE_NS=$ns
	bin=$(command -v rtpengine) || { echo "# rtpengine: not installed (scripts/bench-deps.sh)"; return 1; }
	command -v iptables > /dev/null || { echo "# rtpengine: no iptables"; return 1; }
	perl -MNGCP::Rtpengine -e 1 2> /dev/null ||
		{ echo "# rtpengine: no NGCP::Rtpengine (rtpengine-utils)"; return 1; }
	r=($(rtpe_ports "$n")) ||
		{ echo "# rtpengine: $n streams: more than the $((RTPE_EPH - 1100)) ports below $RTPE_EPH"; return 1; }
	nsx "$ns" sysctl -qw net.ipv4.ip_local_port_range="$RTPE_EPH 65535" ||
		{ echo "# rtpengine: cannot move the ephemeral ports"; return 1; }
	modprobe xt_RTPENGINE || { echo "# rtpengine: no xt_RTPENGINE for $(uname -r) (scripts/bench-deps.sh builds it with dkms)"; return 1; }
	v=$(modinfo -F filename xt_RTPENGINE 2> /dev/null)
	nsx "$ns" iptables -I INPUT -p udp -j RTPENGINE --id 0 ||
		{ echo "# rtpengine: the iptables RTPENGINE rule is refused"; return 1; }
	local common=(--config-file=none --foreground --log-stderr --log-level=6
		--interface=north/$NORTH --interface=south/$SOUTH
		--timeout=86400 --silent-timeout=86400 --offer-timeout=86400 --delete-delay=0
		--num-threads=2)
	ip netns exec "$ns" "$bin" "${common[@]}" --table=0 --no-fallback \
		--listen-ng=127.0.0.1:2223 --listen-cli=127.0.0.1:9900 \
		--port-min=${r[0]} --port-max=${r[1]} > "$TMPD/rtpe-k.log" 2>&1 &
	RTPE_KPID=$!
	at_exit "kill $RTPE_KPID"
	ip netns exec "$ns" "$bin" "${common[@]}" --table=-1 \
		--listen-ng=127.0.0.1:2224 --listen-cli=127.0.0.1:9901 \
		--port-min=${r[2]} --port-max=${r[3]} > "$TMPD/rtpe-u.log" 2>&1 &
	RTPE_UPID=$!
	at_exit "kill $RTPE_UPID"
	wait_for 120 grep -q "Startup complete" "$TMPD/rtpe-k.log" &&
		wait_for 120 grep -q "Startup complete" "$TMPD/rtpe-u.log" ||
		{ echo "# rtpengine does not start:"; tail -n 3 "$TMPD"/rtpe-?.log; return 1; }
	[ -e /proc/rtpengine/0/status ] || { echo "# rtpengine: no kernel table 0"; return 1; }
	echo "# rtpengine $("$bin" --version 2>&1 | head -n 1 | awk '{ print $NF }'), xt_RTPENGINE ($v): kernel" \
		"(table 0, pid $RTPE_KPID, ports ${r[0]}-${r[1]}) and userspace (--table=-1, pid $RTPE_UPID," \
		"ports ${r[2]}-${r[3]}) daemons in $ns (ephemeral ports from $RTPE_EPH)"
}

# rtpe_warm LIST_PREFIX: 2 s of both directions of every stream at 10
# pkt/s per stream and direction: the daemon learns and confirms each
# stream's two ends (and SSRC: rtpblast -S keeps it from run to run, as
# bench/rtp's measure does) from their first packets and then (kernel
# daemon) hands the stream to xt_RTPENGINE; not measured.
rtpe_warm() {
	local n a b
	n=$(wc -l < "$1.up")
	nsx "$NS_PH2" "$BLAST" -S -d 2 -r $((10 * n)) -b 1 "$1.up" > /dev/null &
	a=$!
	nsx "$NS_SINK" "$BLAST" -S -d 2 -r $((10 * n)) -b 1 "$1.down" > /dev/null &
	b=$!
	wait $a $b
}

rtpe_targets() { sed -n 's/^Targets: *//p' /proc/rtpengine/0/status; }
# kernel packets and errors over all targets of table 0
rtpe_kstats() {
	awk '/stats:.*packets/ { p += $4; e += $6 } END { printf "%d packets, %d errors", p, e }' /proc/rtpengine/0/list
}

# rtpe_calls STREAMS KPREFIX UPREFIX: the streams ("PHONE:PORT FAR:PORT")
# as calls in both daemons, by ng offer and answer (ng.pl), rtpblast's
# lists in KPREFIX.{up,down} and UPREFIX.{up,down}; warmed up.
rtpe_calls() {
	local r n
	n=$(wc -l < "$1")
	r=$(timeout 900 ip netns exec "$RTPE_NS" perl "$RTPE_NG" 127.0.0.1 2223 "$1" "$2" k) ||
		{ echo "# rtpengine (kernel): calls by ng failed: $r"; return 1; }
	echo "# rtpengine (kernel): $n streams by ng offer/answer: $r"
	r=$(timeout 900 ip netns exec "$RTPE_NS" perl "$RTPE_NG" 127.0.0.1 2224 "$1" "$3" u0) ||
		{ echo "# rtpengine (userspace): calls by ng failed: $r"; return 1; }
	RTPU_CALLS=$n
	echo "# rtpengine (userspace): $n streams by ng offer/answer: $r"
	rtpe_warm "$2"
	rtpe_warm "$3"
	sleep 1
	# Thousands of streams: the daemon hands them to the kernel as it
	# gets to them; warm again until every one is there (at most 5 more
	# times), so that the kernel variant is the kernel's path.
	for r in 1 2 3 4 5; do
		[ "$(rtpe_targets)" -ge $((2 * n)) ] && break
		echo "# rtpengine kernel table 0: $(rtpe_targets) of $((2 * n)) targets: warming up again"
		rtpe_warm "$2"
		sleep 1
	done
	echo "# rtpengine kernel table 0 after the warm-up: $(rtpe_targets) targets" \
		"(2 a stream when both directions are in the kernel), $(rtpe_kstats)"
	RTPE_K0=$(rtpe_kstats)
}

# What the daemons and the kernel module counted over the runs.
rtpe_report() {
	echo "# rtpengine kernel table 0 at the end: $(rtpe_targets) targets, $(rtpe_kstats)" \
		"(from $RTPE_K0 after the warm-up); the rtpengine-kernel runs sent" \
		"$(awk '$3 == "rtpk" { s += $10 } END { print s + 0 }' "$TMPD/results") packets" \
		"(each counted once by the kernel when it forwards it)"
	local which port
	for which in k:9900 u:9901; do
		port=${which#*:}
		echo "# rtpengine ($([ "${which%%:*}" = k ] && echo kernel || echo userspace)) totals:" \
			"$(ip netns exec "$RTPE_NS" rtpengine-ctl -ip 127.0.0.1 -port "$port" list totals 2> /dev/null |
				grep -iE 'total relayed|total.*errors' | tr -s ' ' | paste -sd ';' -)"
	done
	for which in k u; do
		echo "# rtpengine ($which) log lines at warning or worse: $(grep -ciE 'WARNING|ERR|CRIT' "$TMPD/rtpe-$which.log");" \
			"the first kinds:"
		grep -iE 'WARNING|ERR|CRIT' "$TMPD/rtpe-$which.log" | sed 's/^\[[0-9.]*\] //; s/[0-9]\+/N/g' |
			sort | uniq -c | sort -rn | head -n 4 | sed 's/^/#   /'
	done
}

# The userspace daemon under overload: a socket whose receive loop finds
# more than rtpengine's MAX_RECV_ITERS packets queued gets a strike, and
# after MAX_RECV_LOOP_STRIKES it is no longer read at all (its DoS
# protection: "UDP receive queue exceeded N times: discarding packet" in
# its log); the stream stays dead. So each rtpu measurement gets calls of
# its own (rtpu_fresh: the last ones deleted by ng, the first N streams
# made again, new ports and sockets), and its saturation is found by a
# ladder of paced rates instead of a flood (rtpu_measure).
RTPU_GEN=0 RTPU_CALLS=0
rtpu_fresh() {	# rtpu_fresh N
	local r
	if [ "$RTPU_CALLS" -gt 0 ]; then
		r=$(timeout 900 ip netns exec "$RTPE_NS" perl "$RTPE_NG" 127.0.0.1 2224 delete \
			"u$RTPU_GEN" "$RTPU_CALLS") || { echo "# rtpengine (userspace): $r"; return 1; }
	fi
	RTPU_GEN=$((RTPU_GEN + 1)) RTPU_CALLS=0
	head -n "$1" "$TMPD/plain.up" > "$TMPD/rtpu.streams"
	r=$(timeout 900 ip netns exec "$RTPE_NS" perl "$RTPE_NG" 127.0.0.1 2224 "$TMPD/rtpu.streams" \
		"$TMPD/$1.rtpu" "u$RTPU_GEN") || { echo "# rtpengine (userspace): $r"; return 1; }
	RTPU_CALLS=$1
	rtpe_warm "$TMPD/$1.rtpu"
}

# rtpu_measure N LOAD RATE: paced: one measure at RATE per direction on
# fresh calls; full: on fresh calls, paced at 1,000, 2,000, 4,000... pkt/s
# per direction (burst 1) up to 64,000 or until more than 5 % is lost;
# the step that delivered the most is the "full" line, every step is in
# $TMPD/ladder (and printed as it runs).
rtpu_measure() {
	local n=$1 load=$2 rate=$3 l0 r loss
	rtpu_fresh "$n" || return 1
	if [ "$load" != full ]; then
		measure "$n $load rtpu" "$NS_PH2" "$TMPD/$n.rtpu.up" "$NS_SINK" "$TMPD/$n.rtpu.down" \
			"$NS_SINK" "$NS_PH2" "$rate" 1
		return
	fi
	l0=$(wc -l < "$TMPD/results")
	for ((r = 1000; r <= 64000; r *= 2)); do
		measure "$n ladder-$((2 * r)) rtpu" "$NS_PH2" "$TMPD/$n.rtpu.up" "$NS_SINK" "$TMPD/$n.rtpu.down" \
			"$NS_SINK" "$NS_PH2" "$r" 1
		loss=$(tail -n 1 "$TMPD/results" | awk '{ print $9 }')
		awk "BEGIN { exit !($loss > 5) }" && break
	done
	tail -n +$((l0 + 1)) "$TMPD/results" >> "$TMPD/ladder"
	head -n "$l0" "$TMPD/results" > "$TMPD/results.tmp"
	tail -n +$((l0 + 1)) "$TMPD/results" | sort -k4,4nr | head -n 1 |
		awk '{ $2 = "full"; print }' >> "$TMPD/results.tmp"
	mv "$TMPD/results.tmp" "$TMPD/results"
	echo "    rtpu  (full: the best step of the ladder: $(tail -n 1 "$TMPD/results" | awk '{ print $4 }') pkt/s)"
}
