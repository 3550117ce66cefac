#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# What one activated phone can take of the media relay, played as the
# attacker (docs/security.md, "Media: relay ports, streams, lifetimes"):
#
#   homer 192.0.2.10 --+  br-north 192.0.2.1   south 198.51.100.1
#   marge 192.0.2.20 --+----------[ proxy ]-------------------- ccm 198.51.100.10
#
# 1. 600 OpenReceiveChannelAcks the CallManager never asked for create no
#    stream (each would take two relay port pairs), counted;
# 2. SCCP connections beyond `sccp maxconnections` are refused, counted;
# 3. streams beyond `media maxstreams` (channels the CallManager opened)
#    are refused, counted, the connection reset;
# 4. a normal call still works, both ways;
# 5. the phone's RTP source port is latched: packets from other ports of
#    its address are dropped and counted, the far end gets none;
# 6. an inactivated user's audio goes on but ends with the call (its
#    Stop/Close), even with the idle-media timeout off.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"

call_lab
MEDIA_S=2
ccm_start ccm --preserve || skip_all "pp-ccm-sim does not start"

section() { diag "$* (${SECONDS}s)"; }
streams_of() {	# streams_of USER: how many streams show calls has for USER
	calls_json | python3 -c '
import json, sys
print(sum(1 for c in json.load(sys.stdin) if c["user"] == sys.argv[1]))' "$1"
}
setting() { pp -j show phoneproxy | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

check "show phoneproxy: sccp maxconnections 4, media maxstreams 8 (defaults)" \
	eval "[ \"\$(setting sccp_maxconnections)\" = 4 ] && [ \"\$(setting media_maxstreams)\" = 8 ]"
check_fail "media maxstreams 0 is refused" pp set phoneproxy media maxstreams 0
check_fail "sccp maxconnections 65 is refused" pp set phoneproxy sccp maxconnections 65
check "show config running carries both limits" \
	eval "pp show config running | grep -qx 'set phoneproxy sccp maxconnections 4' &&
	      pp show config running | grep -qx 'set phoneproxy media maxstreams 8'"

# ---- 1. Forged OpenReceiveChannelAcks ------------------------------------

section "forged ORC-Acks"
phone_start evil "$NS_PHONE" --server $NORTH --sid $A --forge-orc-acks 600 --retry 0
PE=$PHONE_PID
check "the attacker's phone registers and sends 600 ORC-Acks nobody asked for" \
	wait_for 20 grep -q "^forged sid=$A orc_acks=600" "$TMPD/evil.out"
check "the refusals are counted (media unopened: 600)" \
	wait_for 5 eval "[ \"\$(counter media_unopened)\" = 600 ]"
check "no stream was created: no relay port taken" \
	eval "[ \$(counter media_streams_total) = 0 ] && no_calls"
check "the attacker is still registered (nothing to reset for)" \
	ctl ccm wait registered 1 5
kill -TERM $PE
wait $PE

# ---- 2. SCCP connections per activation ----------------------------------

section "connections"
# Ten raw TCP connections to north:2000 from homer's address.
open_conns() {
	ip netns exec "$NS_PHONE" python3 - "$NORTH" <<'EOF'
import socket, sys, time
socks, ok = [], 0
for i in range(10):
    s = socket.socket()
    s.settimeout(1.5)
    try:
        s.connect((sys.argv[1], 2000))
        ok += 1
        socks.append(s)
    except OSError:
        s.close()
print(ok)
EOF
}
before=$(counter sccp_conn_limit)
n=$(open_conns)
check "10 connections from one activation: 4 get through (sccp maxconnections)" \
	eval "[ '$n' = 4 ]"
check "the refused SYNs are counted (sccp conn limit)" \
	eval "[ \$(counter sccp_conn_limit) -gt ${before:-0} ]"
pp set phoneproxy sccp maxconnections 6
n=$(open_conns)
check "with sccp maxconnections 6: 6 get through" eval "[ '$n' = 6 ]"
pp set phoneproxy sccp maxconnections 4

# ---- 3. Streams per activation --------------------------------------------

section "streams"
phone_start homer "$NS_PHONE" --server $NORTH --sid $A --retry 1 --preserve
PA=$PHONE_PID
phone_start marge "$NS_PHONE2" --server $NORTH --sid $B --retry 1 --preserve
PB=$PHONE_PID
check "both phones register" ctl ccm wait registered 2 20
pp set phoneproxy media maxstreams 2
check "show phoneproxy: media maxstreams 2" eval "[ \"\$(setting media_maxstreams)\" = 2 ]"
ctl ccm open $A 2 >/dev/null
check "two channels the CallManager opened: two streams" \
	wait_for 5 eval "[ \$(streams_of homer) = 2 ]"
check "no refusal counted yet" eval "[ \"\$(counter media_stream_limit)\" = 0 ]"
ctl ccm open $A 1 >/dev/null
check "a third channel is refused and counted (media stream limit)" \
	wait_for 5 eval "[ \"\$(counter media_stream_limit)\" = 1 ]"
check "homer's connection is reset: the phone reports it" \
	wait_for 5 grep -q "^disconnected sid=$A " "$TMPD/homer.out"
check "its streams are gone" wait_for 5 eval "[ \$(streams_of homer) = 0 ]"
pp set phoneproxy media maxstreams 8
check "homer registers again" ctl ccm wait registered 2 20

# ---- 4. A normal call -------------------------------------------------------

section "call"
check "call homer -> marge comes up" ctl ccm call $A $B
sleep $MEDIA_S
check "hangup" ctl ccm hangup
la=$(media_stats "$TMPD/homer.out" "sid=$A .*end=close")
lb=$(media_stats "$TMPD/marge.out" "sid=$B .*end=close")
check "homer got marge's RTP: none lost" rx_ok "$la" "$lb" $((MEDIA_S * 40)) $NORTH
check "marge got homer's RTP: none lost" rx_ok "$lb" "$la" $((MEDIA_S * 40)) $NORTH
check "the streams end with the call" wait_for 5 no_calls

# ---- 5. The phone's RTP source port is latched ------------------------------

section "latching"
check "call homer -> south comes up" ctl ccm call $A south
sleep 1
port=$(call_field homer north_port)
src=$(call_field homer phone_source_port)
drops=$(counter media_port_drops)
# Another program on homer's address (behind the same NAT) sprays the
# north RTP relay port from 20 other source ports. (The RTCP port would
# latch the first one: homer sends no RTCP.)
ip netns exec "$NS_PHONE" python3 - "$NORTH" "$port" <<'EOF'
import socket, sys
for i in range(20):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"spray" * 20, (sys.argv[1], int(sys.argv[2])))
    s.close()
EOF
check "the spray is dropped and counted (media port drops +20)" \
	wait_for 3 eval "[ \$(counter media_port_drops) -ge \$((${drops:-0} + 20)) ]"
check "the latched source port did not move" \
	eval "[ \"\$(call_field homer phone_source_port)\" = '$src' ]"
sleep 1
check "hangup of the south call" ctl ccm hangup
ls=$(media_stats "$TMPD/ccm.out" "sid=south .*end=hangup")
lh=$(media_stats "$TMPD/homer.out" "sid=$A .*end=close" 2)
check "the south end got homer's RTP and nothing else" rx_clean "$ls" "$lh"
check "the stream ended" wait_for 5 no_calls

# ---- 6. Inactivation: the audio ends with the call ----------------------------

section "inactivation"
pp set phoneproxy media timeout 0
check "call homer -> south comes up (media timeout off)" ctl ccm call $A south
sleep 1
ph0=$(call_field homer phone_packets)
pp set user inactive name homer
sleep 2
check "inactivated: the audio goes on (the guide)" \
	eval "[ \$(call_field homer phone_packets) -ge $((${ph0:-0} + 50)) ]"
check "inactivated: a new channel for homer is refused, the connection reset" \
	eval "ctl ccm open $A 1 >/dev/null; wait_for 5 grep -q '^disconnected sid=$A ' '$TMPD/homer.out'"
check "the stream ends with the connection, though homer keeps sending (call preservation)" \
	wait_for 5 no_calls
ctl ccm hangup >/dev/null
# Again, ended by the CallManager's Stop/Close this time.
pp set user active name homer address $PHONE
check "homer registers again" ctl ccm wait registered 2 20
check "call homer -> south comes up again" ctl ccm call $A south
sleep 1
pp set user inactive name homer
sleep 1
check "inactivated: the audio goes on" eval "! no_calls"
check "hangup: Stop/CloseReceiveChannel reach homer" ctl ccm hangup
check "the stream ends with the call, media timeout off" wait_for 5 no_calls
check "then homer's connection is reset" \
	wait_for 5 eval "[ \$(grep -c '^disconnected sid=$A ' '$TMPD/homer.out') -ge 2 ]"
pp set phoneproxy media timeout 60

kill -TERM $PA $PB
wait $PA $PB
pp show counters | grep -E '^sccp|^media'
check "the simulators printed nothing on stderr" \
	eval "! grep . $TMPD/ccm.err $TMPD/homer.err $TMPD/marge.err $TMPD/evil.err"
tap_done
