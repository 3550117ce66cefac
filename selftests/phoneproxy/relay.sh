#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The in-kernel media relay end to end (docs/media.md), driven only by
# SCCP signalling: pp-phone-sim phones north of the proxy (each reporting
# a private address, one sending from another port than it receives on),
# pp-ccm-sim south.
#
#   homer 192.0.2.10 --+                                    (announces 203.0.113.10)
#                      |  br-north 192.0.2.1   south 198.51.100.1
#   marge 192.0.2.20 --+----------[ proxy ]-------------------- ccm 198.51.100.10
#
# A call between the two remote phones (hairpinned through the proxy's
# south relay ports), a call to the CallManager's own media endpoint, the
# streams in `ppctl show calls`, no conntrack entry for relayed RTP, the
# pinhole refusing a stranger, teardown by Stop/Close, by Unregister and
# by the idle-media timeout; then the old (CallManager 4.x) layout with
# StartMediaTransmission ahead of the OpenReceiveChannelAck.
source "$(dirname "$0")/lib.sh"

require ip python3
CCM_SIM=${CCM_SIM:-$PP_TOP/userspace/sim/pp-ccm-sim}
PHONE_SIM=${PHONE_SIM:-$PP_TOP/userspace/sim/pp-phone-sim}
[ -x "$CCM_SIM" ] && [ -x "$PHONE_SIM" ] || skip_all "simulators not built (make -C userspace)"
grep -qw pp_sccp_net_init /proc/kallsyms ||
	skip_all "the module has no SCCP proxy yet: no call can set up a stream"

A=SEP001122334455	# homer
B=SEP0003E348E321	# marge
MEDIA_S=2

setup_topology || skip_all "cannot build the lab topology"
write_users_xml "$TMPD/users.xml"
pp publish "$TMPD/users.xml" >/dev/null || skip_all "cannot publish users"
pp set user active name homer address $PHONE
pp set user active name marge address $PHONE2

ip netns exec "$NS_CCM" "$CCM_SIM" --listen $CCM --control "$TMPD/ccm.sock" \
	> "$TMPD/ccm.out" 2> "$TMPD/ccm.err" &
CCM_PID=$!
at_exit "kill -CONT $CCM_PID; kill $CCM_PID"
wait_for 10 test -S "$TMPD/ccm.sock" || skip_all "pp-ccm-sim does not start"
ctl() { "$CCM_SIM" --client "$TMPD/ccm.sock" "$@"; }

phone_start() {	# phone_start NAME NS args...
	local name=$1 ns=$2
	shift 2
	ip netns exec "$ns" "$PHONE_SIM" --server $NORTH "$@" \
		> "$TMPD/$name.out" 2> "$TMPD/$name.err" &
	PHONE_PID=$!
	at_exit "kill -CONT $PHONE_PID; kill $PHONE_PID"
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< " $1" | head -n 1; }
line_of() { grep -E "^$2 .*$3" "$1" | tail -n 1; }
calls_json() { pp -j show calls; }
no_calls() { [ "$(calls_json)" = "[]" ]; }
# The value of KEY in the first stream of USER in show calls -j.
call_field() {
	calls_json | python3 -c '
import json, sys
user, key = sys.argv[1], sys.argv[2]
for c in json.load(sys.stdin):
    if c["user"] == user:
        print(c[key])
        break' "$1" "$2"
}
counter() { pp -j show counters | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

# rx_ok RECEIVER_LINE SENDER_LINE MIN: the receiver got the sender's RTP
# (its SSRC), nothing lost, nothing foreign, from the proxy's north
# address (a relay port), not from the sender.
rx_ok() {
	local r=$1 s=$2 min=$3 k
	for k in rx_lost rx_gaps rx_dup rx_reorder rx_bad_ssrc rx_bad_pt rx_bad_len \
		 rx_bad_payload rx_not_rtp rx_other_src tx_errors; do
		[ "$(field "$r" $k)" = 0 ] || { echo "$k=$(field "$r" $k): $r"; return 1; }
	done
	[ "$(field "$r" rx_ssrc)" = "$(field "$s" tx_ssrc)" ] ||
		{ echo "SSRC $(field "$r" rx_ssrc) != $(field "$s" tx_ssrc)"; return 1; }
	[ "$(field "$r" rx_packets)" -ge "$min" ] ||
		{ echo "only $(field "$r" rx_packets) packets (want >= $min)"; return 1; }
	echo "rx_packets=$(field "$r" rx_packets) rx_src=$(field "$r" rx_src)"
}
from_relay() {	# from_relay LINE ADDR: its RTP came from ADDR:<relay port>
	case $(field "$1" rx_src) in
	"$2":*) return 0 ;;
	*) echo "rx_src=$(field "$1" rx_src), want $2:<port>"; return 1 ;;
	esac
}
no_udp_conntrack() {
	! ip netns exec "$NS_PROXY" grep -E '^ipv4 +2 udp ' /proc/net/nf_conntrack
}

# homer reports a private address and sends from its port + 2 (its NAT
# router keeps the receive port: the guide's requirement); marge too,
# sending from the port it receives on.
phone_start homer "$NS_PHONE" --sid $A --announce 203.0.113.10 --tx-port-offset 2
PA=$PHONE_PID
phone_start marge "$NS_PHONE2" --sid $B --announce 203.0.113.20
PB=$PHONE_PID
check "both remote phones register through the proxy" ctl wait registered 2 20

# 1. Two remote phones of this proxy call each other: hairpin.
check "call homer -> marge comes up" ctl call $A $B
sleep $MEDIA_S
check "show calls: two streams, one per phone" \
	eval "[ \$(calls_json | grep -o '\"ppid\"' | wc -l) = 2 ]"
check "show calls: each phone's far end is the proxy's south address" \
	eval "[ \$(call_field homer far_address) = $SOUTH ] &&
	      [ \$(call_field marge far_address) = $SOUTH ]"
check "show calls: homer's stream relays both ways" \
	eval "[ \$(call_field homer phone_packets) -ge $((MEDIA_S * 40)) ] &&
	      [ \$(call_field homer far_packets) -ge $((MEDIA_S * 40)) ]"
sends_from_plus_2() {
	local rx tx
	rx=$(call_field homer phone_port)
	tx=$(call_field homer phone_source_port)
	[ "$tx" = $((rx + 2)) ] || { echo "announced $rx, sends from $tx"; return 1; }
}
check "show calls: homer receives on the port it announced, sends from + 2" sends_from_plus_2
if ip netns exec "$NS_PROXY" test -r /proc/net/nf_conntrack; then
	check "relayed RTP makes no conntrack entry" no_udp_conntrack
else
	diag "no /proc/net/nf_conntrack (CONFIG_NF_CONNTRACK_PROCFS): conntrack not checked"
fi
pp show calls
check "hangup" ctl hangup
wait_for 5 grep -q "^media-stats sid=$A" "$TMPD/homer.out"
wait_for 5 grep -q "^media-stats sid=$B" "$TMPD/marge.out"
la=$(line_of "$TMPD/homer.out" media-stats "sid=$A")
lb=$(line_of "$TMPD/marge.out" media-stats "sid=$B")
check "homer got marge's RTP: none lost, her SSRC" rx_ok "$la" "$lb" $((MEDIA_S * 40))
check "marge got homer's RTP: none lost, his SSRC" rx_ok "$lb" "$la" $((MEDIA_S * 40))
check "both got it from the proxy's north address" \
	eval "from_relay '$la' $NORTH && from_relay '$lb' $NORTH"
check "Stop/CloseReceiveChannel end both streams" wait_for 5 no_calls

# 2. A call to the CallManager's own media endpoint (a south phone).
check "call homer -> south comes up" ctl call $A south
sleep $MEDIA_S
check "show calls: homer's far end is the south endpoint" \
	eval "[ \$(call_field homer far_address) = $CCM ]"
port=$(call_field homer north_port)
drops=$(call_field homer phone_drops)
# marge's address is not homer's: its packets to homer's port are dropped.
ip netns exec "$NS_PHONE2" bash -c "for i in 1 2 3; do echo x > /dev/udp/$NORTH/$port; done"
check "the pinhole drops a stranger's packets, and counts them" \
	wait_for 3 eval "[ \$(call_field homer phone_drops) -ge \$(($drops + 3)) ]"
check "hangup of the south call" ctl hangup
wait_for 5 grep -q "^media-stats sid=south .*end=hangup" "$TMPD/ccm.out"
wait_for 5 eval "[ \$(grep -c '^media-stats sid=$A' $TMPD/homer.out) -ge 2 ]"
la=$(line_of "$TMPD/homer.out" media-stats "sid=$A")
ls=$(line_of "$TMPD/ccm.out" media-stats "sid=south .*end=hangup")
check "the south endpoint got homer's RTP, from the proxy's south address" \
	eval "rx_ok '$ls' '$la' $((MEDIA_S * 40)) && from_relay '$ls' $SOUTH"
check "homer got the south endpoint's RTP, from the proxy's north address" \
	eval "rx_ok '$la' '$ls' $((MEDIA_S * 40)) && from_relay '$la' $NORTH"
check "the stream ended" wait_for 5 no_calls

# 3. The idle-media timeout: nothing relayed for 2 s ends the stream.
pp set phoneproxy media timeout 2
check "call homer -> south comes up again" ctl call $A south
kill -STOP $CCM_PID $PA
sleep 0.5
check "both silent: the idle-media timeout ends the stream" wait_for 6 no_calls
kill -CONT $CCM_PID $PA
check "the timeout is counted" eval "[ \$(counter media_timeouts) -ge 1 ]"
ctl hangup >/dev/null
pp set phoneproxy media timeout 60

# 4. Unregister (the phone goes away mid-call) releases its streams.
check "call homer -> south for the unregister" ctl call $A south
kill -TERM $PA
wait $PA
check "homer's Unregister ends its stream" wait_for 5 no_calls
ctl hangup >/dev/null

check "show counters: streams created, packets relayed, drops" \
	eval "[ \$(counter media_streams_total) -ge 5 ] &&
	      [ \$(counter media_packets) -ge $((MEDIA_S * 200)) ] &&
	      [ \$(counter media_drops) -ge 3 ] && [ \$(counter media_streams) = 0 ]"
pp show counters | grep media
kill -TERM $PB
wait $PB

# 5. The old layout (bare IPv4, CallManager 4.x) with StartMediaTransmission
# sent before the phone's own OpenReceiveChannelAck (as in the captures).
kill -TERM $CCM_PID
wait $CCM_PID
ip netns exec "$NS_CCM" "$CCM_SIM" --listen $CCM --control "$TMPD/ccm.sock" \
	--layout old --early-smt > "$TMPD/ccm-old.out" 2> "$TMPD/ccm-old.err" &
CCM_PID=$!
at_exit "kill $CCM_PID"
wait_for 10 test -S "$TMPD/ccm.sock"
phone_start homer-old "$NS_PHONE" --sid $A --layout old --announce 203.0.113.10
PA=$PHONE_PID
phone_start marge-old "$NS_PHONE2" --sid $B --layout old --tx-port-offset 2
PB=$PHONE_PID
check "old layout: both phones register through the proxy" ctl wait registered 2 20
check "old layout, early StartMediaTransmission: call homer -> marge comes up" ctl call $A $B
sleep $MEDIA_S
ctl hangup >/dev/null
wait_for 5 grep -q "^media-stats sid=$A" "$TMPD/homer-old.out"
wait_for 5 grep -q "^media-stats sid=$B" "$TMPD/marge-old.out"
la=$(line_of "$TMPD/homer-old.out" media-stats "sid=$A")
lb=$(line_of "$TMPD/marge-old.out" media-stats "sid=$B")
check "old layout: homer got marge's RTP through the relay" \
	eval "rx_ok '$la' '$lb' $((MEDIA_S * 40)) && from_relay '$la' $NORTH"
check "old layout: marge got homer's RTP through the relay" \
	eval "rx_ok '$lb' '$la' $((MEDIA_S * 40)) && from_relay '$lb' $NORTH"
check "old layout: the streams end with the call" wait_for 5 no_calls
kill -TERM $PA $PB
wait $PA $PB
check "the simulators printed nothing on stderr" \
	eval "! grep . $TMPD/ccm.err $TMPD/homer.err $TMPD/marge.err \
		$TMPD/ccm-old.err $TMPD/homer-old.err $TMPD/marge-old.err"
tap_done
