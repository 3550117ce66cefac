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
source "$(dirname "$0")/sim.sh"

call_lab
MEDIA_S=2

ccm_start ccm || skip_all "pp-ccm-sim does not start"

no_udp_conntrack() {
	! ip netns exec "$NS_PROXY" grep -E '^ipv4 +2 udp ' /proc/net/nf_conntrack
}

# homer reports a private address and sends from its port + 2 (its NAT
# router keeps the receive port: the guide's requirement); marge too,
# sending from the port it receives on.
phone_start homer "$NS_PHONE" --server $NORTH --sid $A --announce 203.0.113.10 --tx-port-offset 2
PA=$PHONE_PID
phone_start marge "$NS_PHONE2" --server $NORTH --sid $B --announce 203.0.113.20
PB=$PHONE_PID
check "both remote phones register through the proxy" ctl ccm wait registered 2 20

# 1. Two remote phones of this proxy call each other: hairpin.
check "call homer -> marge comes up" ctl ccm call $A $B
sleep $MEDIA_S
check "show calls: two streams, one per phone" \
	eval "[ \$(calls_json | grep -o '\"ppid\"' | wc -l) = 2 ]"
check "show counters: two phones in a call (media calls 2)" \
	eval "[ \$(counter media_calls) = 2 ]"
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
check "hangup" ctl ccm hangup
la=$(media_stats "$TMPD/homer.out" "sid=$A")
lb=$(media_stats "$TMPD/marge.out" "sid=$B")
check "homer got marge's RTP: none lost, her SSRC" rx_ok "$la" "$lb" $((MEDIA_S * 40))
check "marge got homer's RTP: none lost, his SSRC" rx_ok "$lb" "$la" $((MEDIA_S * 40))
check "both got it from the proxy's north address" \
	eval "from_relay '$la' $NORTH && from_relay '$lb' $NORTH"
check "Stop/CloseReceiveChannel end both streams" wait_for 5 no_calls

# 2. A call to the CallManager's own media endpoint (a south phone).
check "call homer -> south comes up" ctl ccm call $A south
sleep $MEDIA_S
check "show calls: homer's far end is the south endpoint" \
	eval "[ \$(call_field homer far_address) = $CCM ]"
port=$(call_field homer north_port)
drops=$(call_field homer phone_drops)
# marge's address is not homer's: its packets to homer's port are dropped.
ip netns exec "$NS_PHONE2" bash -c "for i in 1 2 3; do echo x > /dev/udp/$NORTH/$port; done"
check "the pinhole drops a stranger's packets, and counts them" \
	wait_for 3 eval "[ \$(call_field homer phone_drops) -ge \$(($drops + 3)) ]"
check "hangup of the south call" ctl ccm hangup
ls=$(media_stats "$TMPD/ccm.out" "sid=south .*end=hangup")
la=$(media_stats "$TMPD/homer.out" "sid=$A" 2)	# homer's second stream
check "the south endpoint got homer's RTP, from the proxy's south address" \
	rx_ok "$ls" "$la" $((MEDIA_S * 40)) $SOUTH
check "homer got the south endpoint's RTP, from the proxy's north address" \
	rx_ok "$la" "$ls" $((MEDIA_S * 40)) $NORTH
check "the stream ended" wait_for 5 no_calls

# 3. The idle-media timeout: nothing relayed for 2 s ends the stream.
pp set phoneproxy media timeout 2
check "call homer -> south comes up again" ctl ccm call $A south
kill -STOP $CCM_PID $PA
sleep 0.5
check "both silent: the idle-media timeout ends the stream" wait_for 6 no_calls
kill -CONT $CCM_PID $PA
check "the timeout is counted" eval "[ \$(counter media_timeouts) -ge 1 ]"
ctl ccm hangup >/dev/null
pp set phoneproxy media timeout 60

# 4. Unregister (the phone goes away mid-call) releases its streams.
check "call homer -> south for the unregister" ctl ccm call $A south
kill -TERM $PA
wait $PA
check "homer's Unregister ends its stream" wait_for 5 no_calls
ctl ccm hangup >/dev/null

check "show counters: streams created, packets relayed, drops" \
	eval "[ \$(counter media_streams_total) -ge 5 ] &&
	      [ \$(counter media_packets) -ge $((MEDIA_S * 200)) ] &&
	      [ \$(counter media_drops) -ge 3 ] && [ \$(counter media_streams) = 0 ] &&
	      [ \$(counter media_calls) = 0 ] && [ \$(counter media_calls_total) -ge 3 ]"
pp show counters | grep media
kill -TERM $PB
wait $PB

# 5. The old layout (bare IPv4, CallManager 4.x) with StartMediaTransmission
# sent before the phone's own OpenReceiveChannelAck (as in the captures).
kill -TERM $CCM_PID
wait $CCM_PID
ccm_start ccm-old --layout old --early-smt
phone_start homer-old "$NS_PHONE" --server $NORTH --sid $A --layout old --announce 203.0.113.10
PA=$PHONE_PID
phone_start marge-old "$NS_PHONE2" --server $NORTH --sid $B --layout old --tx-port-offset 2
PB=$PHONE_PID
check "old layout: both phones register through the proxy" ctl ccm-old wait registered 2 20
check "old layout, early StartMediaTransmission: call homer -> marge comes up" ctl ccm-old call $A $B
sleep $MEDIA_S
ctl ccm-old hangup >/dev/null
la=$(media_stats "$TMPD/homer-old.out" "sid=$A")
lb=$(media_stats "$TMPD/marge-old.out" "sid=$B")
check "old layout: homer got marge's RTP through the relay" \
	rx_ok "$la" "$lb" $((MEDIA_S * 40)) $NORTH
check "old layout: marge got homer's RTP through the relay" \
	rx_ok "$lb" "$la" $((MEDIA_S * 40)) $NORTH
check "old layout: the streams end with the call" wait_for 5 no_calls
kill -TERM $PA $PB
wait $PA $PB
check "the simulators printed nothing on stderr" \
	eval "! grep . $TMPD/ccm.err $TMPD/homer.err $TMPD/marge.err \
		$TMPD/ccm-old.err $TMPD/homer-old.err $TMPD/marge-old.err"
tap_done
