#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The SCCP proxy of the module end to end (docs/sccp.md, "The SCCP proxy
# in the module"), driven by the simulators (docs/sim.md):
#
#   homer 192.0.2.10 ------+
#   marge 192.0.2.20 ------+  br-north 192.0.2.1    south 198.51.100.1
#   home router 192.0.2.30 +---------[ proxy ]---------------------- ccm 198.51.100.10
#     (masquerade, RTP port forwarding)
#   lisa 203.0.113.10 behind it
#
# Registration through the proxy in the old and v17 layouts and v17 under
# header 0 (the CallManager sees only the south address, as TCP source and
# as station address); show user and show counters; a wrong SID refused
# (reset, logged, counted); a non-activated address and a direct attempt
# at the CallManager getting nothing; a phone behind a NAT router in a
# call with RTP both ways; nmap finding no open relay port during a call,
# and the ports closed after it; inactivation during a call keeping the
# audio until the call ends (its Stop/Close), then resetting the connection.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"

require ip nft nmap python3 timeout dmesg
require_sims
grep -qw pp_sccp_net_init /proc/kallsyms || skip_all "the module has no SCCP proxy"

A=SEP001122334455	# homer
B=SEP0003E348E321	# marge
L=SEP0016B5A1C0DE	# lisa, behind the home router
NS_HOME=pp-home-$SFX
NS_LISA=pp-lisa-$SFX
HOME_WAN=192.0.2.30
LISA=203.0.113.10
LISA_GW=203.0.113.1
LISA_RTP=24000
RTP_MIN=20480
RTP_MAX=20519
MEDIA_S=3

# ---- the lab ---------------------------------------------------------

# The home router: its WAN on the north bridge, lisa on its LAN; it
# masquerades lisa and forwards the RTP port she receives on (the guide
# asks the phone's router to keep the RTP port).
setup_home() {
	local ns
	for ns in $NS_HOME $NS_LISA; do
		ip netns add "$ns" || return 1
		at_exit "ip netns pids $ns | xargs -r kill; ip netns del $ns"
		ip -n "$ns" link set lo up
	done
	ip link add wan netns "$NS_HOME" type veth peer name p-home netns "$NS_PROXY" || return 1
	ip link add lan netns "$NS_HOME" type veth peer name eth0 netns "$NS_LISA" || return 1
	ip -n "$NS_PROXY" link set p-home master br-north up
	ip -n "$NS_HOME" addr add $HOME_WAN/24 dev wan
	ip -n "$NS_HOME" addr add $LISA_GW/24 dev lan
	ip -n "$NS_HOME" link set wan up
	ip -n "$NS_HOME" link set lan up
	ip -n "$NS_LISA" addr add $LISA/24 dev eth0
	ip -n "$NS_LISA" link set eth0 up
	ip -n "$NS_LISA" route add default via $LISA_GW
	nsx "$NS_HOME" sysctl -q -w net.ipv4.ip_forward=1
	nsx "$NS_HOME" nft -f - <<-EOF || return 1
	table ip home {
		chain pre {
			type nat hook prerouting priority dstnat;
			iifname "wan" udp dport $LISA_RTP-$((LISA_RTP + 1)) dnat to $LISA
		}
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "wan" masquerade
		}
		chain count {
			type filter hook prerouting priority raw;
			iifname "wan" ip saddr $NORTH meta l4proto udp counter comment "rtp_in"
		}
	}
	EOF
}

# UDP from the proxy reaching homer (for the closed-port check).
setup_counters() {
	nsx "$NS_PHONE" nft -f - <<-EOF
	table ip phone {
		chain count {
			type filter hook prerouting priority raw;
			ip saddr $NORTH meta l4proto udp counter comment "rtp_in"
		}
	}
	EOF
}
nft_count() {	# nft_count NS TABLE (an anonymous counter: no NFT_OBJREF needed)
	nsx "$1" nft list chain ip "$2" count |
		sed -n '/rtp_in/s/.*packets \([0-9]*\).*/\1/p'
}

setup_topology || skip_all "cannot build the lab topology"
setup_home || skip_all "cannot build the home router (netns, veth, nftables NAT)"
setup_counters || skip_all "nftables counters"
# Routes that would let the phones reach the CallManager directly, and
# back, if the proxy forwarded anything (it must not).
ip -n "$NS_PHONE" route add 198.51.100.0/24 via $NORTH
ip -n "$NS_PHONE2" route add 198.51.100.0/24 via $NORTH
ip -n "$NS_CCM" route add 192.0.2.0/24 via $SOUTH
write_users_xml "$TMPD/users.xml" "  <user id=\"9a3c5e7f-1b2d-4c6e-8f0a-1c2e3d4f5a6b\" name=\"lisa\">
    <first>lisa</first>
    <last>simpson</last>
    <ccmName>ccm</ccmName>
    <sid>$L</sid>
    <enabled>true</enabled>
  </user>"
pp publish "$TMPD/users.xml" >/dev/null || skip_all "cannot publish users"
pp set user active name homer address $PHONE

# ---- helpers ---------------------------------------------------------

# grew_by NAME BEFORE MIN: counter NAME is at least BEFORE + MIN.
grew_by() {
	local now
	now=$(counter "$1")
	[ "${now:-0}" -ge $(($2 + $3)) ] || { echo "$1: $2 -> $now (want +$3)"; return 1; }
}
same_counter() {
	local now
	now=$(counter "$1")
	[ "$now" = "$2" ] || { echo "$1: $2 -> $now"; return 1; }
}

# rx_close RECEIVER_LINE SENDER_LINE FROM: the receiver got the sender's
# RTP (rx_clean) from a relay port of FROM, within 1% of what was sent.
rx_close() {
	local r=$1 s=$2 from=$3 rx tx
	rx_clean "$r" "$s" && from_relay "$r" "$from" || return 1
	rx=$(field "$r" rx_packets)
	tx=$(field "$s" tx_packets)
	[ "${tx:-0}" -ge $((MEDIA_S * 25)) ] || { echo "only $tx packets sent"; return 1; }
	[ $((rx * 100)) -ge $((tx * 99)) ] && [ "$rx" -le "$tx" ] ||
		{ echo "received $rx of $tx"; return 1; }
	echo "received $rx of $tx (lost $(field "$r" rx_lost))"
}

# heard_all LINE MIN: at least MIN packets received, none lost.
heard_all() {
	[ "$(field "$1" rx_packets)" -ge "$2" ] && [ "$(field "$1" rx_lost)" = 0 ] ||
		{ echo "received $(field "$1" rx_packets) (want >= $2), lost $(field "$1" rx_lost)"; return 1; }
}

# ---- 1. Registration in each layout; 2. show user, show counters ----

section() { diag "$* (${SECONDS}s)"; }

regs0=$(counter sccp_registered)
rw0=$(counter sccp_rewrites)
conns0=$(counter sccp_connections)

# variant NAME "sim args" PROTO LAYOUT HV
variant() {
	local v=$1 args=$2 proto=$3 layout=$4 hv=$5 pa regs rw lh ls
	section "layout $v"
	regs=$(counter sccp_registered)
	rw=$(counter sccp_rewrites)
	ccm_start "$v" $args || { tap_result 1 "$v: pp-ccm-sim listens"; return; }
	phone_start "$v-homer" "$NS_PHONE" --server $NORTH --sid $A --retry 0 $args
	pa=$PHONE_PID
	check "$v: homer registers through 192.0.2.1:2000 (RegisterAck)" \
		eval "ctl $v wait registered 1 20 >/dev/null &&
		      wait_for 5 grep -q '^registered sid=$A proto=$proto layout=$layout hv=$hv .*server=$NORTH:2000' $TMPD/$v-homer.out"
	check "$v: the CallManager negotiated protocol $proto, layout $layout, header $hv" \
		grep -Eq "^registered sid=$A proto=$proto .*layout=$layout hv=$hv " "$TMPD/$v.out"
	check "$v: the CallManager sees the south address as TCP source and station address" \
		ccm_sees_south "$TMPD/$v.out" $A
	check "$v: show counters: one more registration, the station address rewritten" \
		eval "grew_by sccp_registered $regs 1 && grew_by sccp_rewrites $rw 1"
	if [ "$v" = v17 ]; then
		check "show user: homer connected and registered (c 1:1 reg)" \
			show_user_has "^homer +$A +$PHONE +.* c 1:1 reg *$"
		check "show user -j: connections 1, connections_total 1, registered 1" \
			eval "[ \$(user_field homer connections) = 1 ] &&
			      [ \$(user_field homer connections_total) = 1 ] &&
			      [ \$(user_field homer registered) = 1 ]"
		check "show counters: sccp open 1" eval "[ \$(counter sccp_open) = 1 ]"
	fi
	# The media messages are rewritten in this layout too: a south call.
	check "$v: call homer -> south comes up" ctl "$v" call $A south
	sleep 1
	ctl "$v" hangup >/dev/null
	lh=$(media_stats "$TMPD/$v-homer.out" "sid=$A")
	ls=$(media_stats "$TMPD/$v.out" "sid=south")
	check "$v: OpenReceiveChannelAck reaches the CallManager as the south address" \
		grep -q "^orc-ack .*sid=$A .*rx=$SOUTH:" "$TMPD/$v.out"
	check "$v: StartMediaTransmission reaches the phone as the north address" \
		grep -q "^media-tx-start sid=$A .*remote=$NORTH:" "$TMPD/$v-homer.out"
	check "$v: RTP both ways through the relay" \
		eval "[ \$(field '$ls' rx_packets) -ge 10 ] && [ \$(field '$lh' rx_packets) -ge 10 ]"
	kill -TERM $pa
	wait $pa
	check "$v: homer unregisters; the CallManager sees it" \
		grep -q "^unregistered sid=$A" "$TMPD/$v.out"
	ccm_stop "$v"
	check "$v: the simulators printed nothing on stderr" \
		eval "! grep . $TMPD/$v.err $TMPD/$v-homer.err"
}

variant v17 "--layout v17" 17 v17 17
check "show user: after Unregister, connection closed, not registered (c 0:1)" \
	wait_for 5 show_user_has "^homer +$A +$PHONE +.* c 0:1 *$"
check "show counters: sccp open 0 after the close" eval "[ \$(counter sccp_open) = 0 ]"
NV=3	# layouts registered
if debug_lane; then
	NV=1
	lane_skip "old, hdr0: homer registers, calls the south, RTP both ways in those layouts" \
		"the layouts differ in the parser and rewriter only, which KUnit's pp_sccp and pp_sccp_stream run in every layout here"
else
	variant old "--layout old" 11 old 11
	variant hdr0 "--layout v17 --hdr0" 17 v17 0
fi
check "show counters: $NV connections, $NV registrations, no stream error, no SID mismatch" \
	eval "grew_by sccp_connections $conns0 $NV && grew_by sccp_registered $regs0 $NV &&
	      [ \$(counter sccp_stream_errors) = 0 ] && [ \$(counter sccp_sid_mismatch) = 0 ]"
check "show user: $NV connections since activation, none open (c 0:$NV)" \
	wait_for 5 show_user_has "^homer +$A +$PHONE +.* c 0:$NV *$"
pp show user
pp show counters | grep -E '^sccp|^forward'

# The CallManager for the rest: v17, with call preservation.
ccm_start ccm --preserve || { tap_result 1 "pp-ccm-sim listens"; tap_done; }

# ---- 3. A wrong SID is refused ---------------------------------------

section "wrong SID"

mism=$(counter sccp_sid_mismatch)
regs=$(counter sccp_registered)
logs=$(dmesg | grep -c "phoneproxy: $PHONE (SID $A) registered as device \"$B\": connection reset")
# homer's address registering as marge's phone
nsx "$NS_PHONE" timeout 20 "$PHONE_SIM" --server $NORTH --sid $B --retry 0 \
	> "$TMPD/wrongsid.out" 2> "$TMPD/wrongsid.err"
rc=$?
check "wrong SID: the connection is reset (the phone reports it, exits 1: rc $rc)" \
	eval "[ $rc = 1 ] && grep -q '^disconnected sid=$B reason=\"Connection reset by peer\"' $TMPD/wrongsid.out"
check "wrong SID: no RegisterAck, the CallManager never sees the registration" \
	eval "! grep -q '^registered' $TMPD/wrongsid.out && ! grep -q 'sid=$B' $TMPD/ccm.out"
check "wrong SID: the kernel log names the address, the user's SID and the device name" \
	eval "[ \$(dmesg | grep -c 'phoneproxy: $PHONE (SID $A) registered as device \"$B\": connection reset') -gt $logs ]"
check "wrong SID: counted (sccp sid mismatch +1), no registration" \
	eval "[ \$(counter sccp_sid_mismatch) = $((mism + 1)) ] && same_counter sccp_registered $regs"
check "wrong SID: show user does not show homer registered" \
	eval "[ \$(user_field homer registered) = 0 ]"

# ---- 4. Nothing for a non-activated address, nothing forwarded -------

section "not activated, not forwarded"

conns=$(counter sccp_connections)
drop=$(counter drop)
nsx "$NS_PHONE2" timeout 3 bash -c "exec 3<>/dev/tcp/$NORTH/2000" 2>/dev/null
rc=$?
check "not activated: TCP to 192.0.2.1:2000 times out (dropped, not refused: rc $rc)" \
	[ $rc = 124 ]
nsx "$NS_PHONE2" "$PHONE_SIM" --server $NORTH --sid $B --retry 0 --duration 3 \
	> "$TMPD/noact.out" 2> "$TMPD/noact.err"
check "not activated: the phone never registers" \
	eval "! grep -q '^registered' $TMPD/noact.out && ! grep -q 'sid=$B' $TMPD/ccm.out"
check "not activated: no SCCP connection made, the firewall drops and counts the SYNs" \
	eval "same_counter sccp_connections $conns && grew_by drop $drop 2"
fwd=$(counter forward_drop)
nsx "$NS_PHONE" timeout 3 bash -c "exec 3<>/dev/tcp/$CCM/2000" 2>/dev/null
rc=$?
check "direct TCP from an activated phone to the CallManager (198.51.100.10:2000) times out (rc $rc)" \
	[ $rc = 124 ]
nsx "$NS_PHONE" bash -c "for i in 1 2 3; do echo x > /dev/udp/$CCM/5000; done"
check_fail "no ping from a phone to the CallManager" nsx "$NS_PHONE" ping -c 2 -W 1 -i 0.3 $CCM
check "the proxy forwards nothing north -> south itself: forward drop grew" \
	grew_by forward_drop $fwd 6
check "no SCCP connection for the direct attempts" same_counter sccp_connections $conns

# ---- 5. A phone behind a NAT router; 6. nmap during the call ---------

section "NAT, nmap"

pp set user active name marge address $PHONE2
pp set user active name lisa address $HOME_WAN
pp set phoneproxy rtp ports $RTP_MIN $RTP_MAX
phone_start homer "$NS_PHONE" --server $NORTH --sid $A --preserve
PA=$PHONE_PID
# She sends from another port than the forwarded one: the router's
# masquerade entry for her outgoing RTP and the forwarding entry of the
# incoming never race for the same tuple (with one port, the loser's
# first packet gets a remapped source port in the router).
phone_start lisa "$NS_LISA" --server $NORTH --sid $L --rtp-port $LISA_RTP --tx-port-offset 2
PL=$PHONE_PID
check "NAT: lisa (203.0.113.10 behind 192.0.2.30) and homer register" ctl ccm wait registered 2 20
check "NAT: lisa announced 203.0.113.10; the CallManager sees the south address" \
	eval "grep -q '^registered sid=$L .*local=$LISA:' $TMPD/lisa.out &&
	      ccm_sees_south $TMPD/ccm.out $L"
check "NAT: show user: lisa at the router's address, registered" \
	show_user_has "^lisa +$L +$HOME_WAN +.* c 1:1 reg *$"
check "NAT: call lisa -> homer comes up" ctl ccm call $L $A
sleep $MEDIA_S
check "NAT: show calls: lisa observed at 192.0.2.30, receiving on the forwarded port" \
	eval "[ \$(call_field lisa phone_address) = $HOME_WAN ] &&
	      [ \$(call_field lisa phone_port) = $LISA_RTP ]"
pp show calls
NH=$(call_field homer north_port)
NL=$(call_field lisa north_port)
dh=$(call_field homer phone_drops)
dl=$(call_field lisa phone_drops)
check "relay ports in the narrowed range $RTP_MIN-$RTP_MAX" \
	eval "[ $NH -ge $RTP_MIN ] && [ $NH -le $RTP_MAX ] && [ $NL -ge $RTP_MIN ] && [ $NL -le $RTP_MAX ]"

# scan_states: "state count" for every state in nmap's grepable output
scan_states() {
	python3 -c '
import re, sys, collections
n = collections.Counter()
for line in open(sys.argv[1]):
    m = re.search(r"Ports: ([^\t]*)", line)
    for p in filter(None, m.group(1).split(", ") if m else []):
        n[p.split("/")[1]] += 1
    m = re.search(r"Ignored State: (\S+) \((\d+)\)", line)
    if m:
        n[m.group(1)] += int(m.group(2))
for s, c in n.items():
    print(s, c)' "$TMPD/nmap.out"
}

SCANNED=0
if debug_lane; then
	lane_skip "nmap -sU of the RTP range during the call: every port silent" \
		"the pinholes' drops of foreign packets are media_limits.sh's spray and this test's closed ports, run here"
else
	SCANNED=1
	# nmap from marge's address (activated, not in the call) over the range.
	nsx "$NS_PHONE2" nmap -n -Pn -sU -p $RTP_MIN-$RTP_MAX --max-retries 1 \
		--max-rtt-timeout 300ms --initial-rtt-timeout 200ms -T4 -oG - $NORTH \
		> "$TMPD/nmap.out" 2> "$TMPD/nmap.err"
	scan_states > "$TMPD/nmap.states"
	diag "nmap -sU $RTP_MIN-$RTP_MAX from marge: $(tr '\n' ' ' < "$TMPD/nmap.states")"
	check "nmap -sU of the RTP range during the call: every port silent (open|filtered), none open or closed" \
		eval "[ \"\$(cat $TMPD/nmap.states)\" = 'open|filtered $((RTP_MAX - RTP_MIN + 1))' ]"
	check "the call's pinholes dropped the scan's probes, and counted them" \
		eval "[ \$(call_field homer phone_drops) -gt $dh ] && [ \$(call_field lisa phone_drops) -gt $dl ]"
fi

check "NAT: hangup" ctl ccm hangup
lh=$(media_stats "$TMPD/homer.out" "sid=$A")
ll=$(media_stats "$TMPD/lisa.out" "sid=$L")
check "NAT: lisa got homer's RTP (within 1% of what he sent), from the relay" \
	rx_close "$ll" "$lh" $NORTH
check "NAT: homer got lisa's RTP (within 1% of what she sent), from the relay" \
	rx_close "$lh" "$ll" $NORTH
check "NAT: the nmap probes did not reach the phones (nothing foreign received)" \
	eval "[ \$(field '$lh' rx_other_src) = 0 ] && [ \$(field '$ll' rx_not_rtp) = 0 ]"
check "the streams end with the hangup" wait_for 5 no_calls

# 6b. The former relay ports are closed, to the call's own phones too.
section "closed ports"
pkts=$(counter media_packets)
drop=$(counter drop)
inh=$(nft_count "$NS_PHONE" phone)
inl=$(nft_count "$NS_HOME" home)
nsx "$NS_PHONE" bash -c "for i in 1 2 3 4 5; do echo x > /dev/udp/$NORTH/$NH; echo x > /dev/udp/$NORTH/$((NH + 1)); done"
nsx "$NS_LISA" bash -c "for i in 1 2 3 4 5; do echo x > /dev/udp/$NORTH/$NL; done"
sleep 1
check "after the hangup: homer's and lisa's packets to their old relay ports are dropped and counted" \
	eval "grew_by drop $drop 15 && same_counter media_packets $pkts"
check "after the hangup: nothing relayed to the far ends (no UDP from the proxy reaches them)" \
	eval "[ \$(nft_count $NS_PHONE phone) = $inh ] && [ \$(nft_count $NS_HOME home) = $inl ]"

# ---- 7. Inactivation during a call: the audio goes on until the call ends ----

section "inactivation"

# The media timeout off: the call's own end must end its audio.
pp set phoneproxy media timeout 0
check "inactivation: call homer -> south comes up" ctl ccm call $A south
sleep 2
pp show calls
ph0=$(call_field homer phone_packets)
far0=$(call_field homer far_packets)
pp set user inactive name homer
check "inactivation: show user: homer inactive" show_user_has "^homer +$A +\[inactive\]"
check "inactivation: the connection no longer counts as open (sccp open 1: lisa's)" \
	eval "[ \$(counter sccp_open) = 1 ]"
sleep 3
check "inactivation: the audio goes on both ways for 3 s after it (show calls)" \
	eval "[ \$(call_field homer phone_packets) -ge $((${ph0:-0} + 50)) ] &&
	      [ \$(call_field homer far_packets) -ge $((${far0:-0} + 50)) ]"
check "inactivation: the call's SCCP connection is kept while it lasts" \
	eval "! grep -q '^disconnected sid=$A ' '$TMPD/homer.out'"
pp show calls
ctl ccm hangup >/dev/null
check "inactivation: the stream ends with the call (Stop/Close), media timeout off" \
	wait_for 5 no_calls
check "inactivation: then homer's SCCP connection is reset (the phone reports it)" \
	wait_for 8 grep -q "^disconnected sid=$A reason=\"Connection reset by peer\"" "$TMPD/homer.out"
check "inactivation: the CallManager sees the connection close" \
	wait_for 5 grep -q "^disconnected sid=$A " "$TMPD/ccm.out"
kill -TERM $PA
wait $PA
ls=$(media_stats "$TMPD/ccm.out" "sid=south .*end=hangup")
lh=$(line_of "$TMPD/homer.out" media-stats "sid=$A")
check "inactivation: the south end got homer's audio until the hangup, nothing lost" \
	heard_all "$ls" $((${ph0:-0} + 50))
check "inactivation: homer got the south end's audio after it, nothing lost" \
	heard_all "$lh" $((${far0:-0} + 50))
pp set phoneproxy media timeout 60
pp show counters | grep -E '^sccp|^forward|^media|^drop'
pp show stats | sed -n '/^sccp/,/^tftp/p' | grep -v '^tftp'
stats_ok() {
	pp -j show stats | python3 -c '
import json, sys
nv, scanned = int(sys.argv[1]), sys.argv[2] == "1"
t = json.load(sys.stdin)
s, m = t["sccp"], t["media"]
assert s["registrations"] >= nv + 1 and s["reset_sid_mismatch"] >= 1, s
assert s["rewrites"] > 0 and s["dropped_not_proxied"] > 0, s
assert m["streams_total"] >= 4 and m["packets"] > 0 and m["bytes"] > m["packets"], m
# The nmap probes of the RTP range (left out on the debug kernel) are the wrong sources.
assert (m["dropped_wrong_source"] > 0 or not scanned) and m["streams"] == 0, m
# Calls reached a phone through the proxy: one a layout, lisa and homer, the inactivation.
assert nv + 3 <= m["calls_total"] <= m["streams_total"] and m["calls"] == 0, m
' $NV $SCANNED
}
check "show stats: registrations, resets, calls, streams, packets and drops by reason" stats_ok

kill -TERM $PL
wait $PL
ccm_stop ccm
check "the simulators printed nothing on stderr" \
	eval "! grep . $TMPD/ccm.err $TMPD/homer.err $TMPD/lisa.err"
section "done"
tap_done
