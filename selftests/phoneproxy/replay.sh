#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The captured SCCP connections (userspace/tests/data/sccp/: a protocol-20
# call of a modern CallManager, two connections, and a CallManager 4.x
# call of a 7912) replayed byte for byte through the SCCP proxy with
# pp-replay (docs/sim.md): the phone side in the phone's namespace
# connecting to north:2000 as an activated user, the CallManager side
# listening on the user's CallManager; each PDU sent once the other
# side's PDUs that preceded it in the capture have arrived.
#
#   lisa 192.0.2.10 --- br-north 192.0.2.1 [proxy] south 198.51.100.1 --- ccm 198.51.100.10
#
# What arrives must be what was sent but for the proxy's rewrites, checked
# with the project's parser: every differing byte inside an address/port
# field, the proxy's address of the receiving side, relay ports in the
# configured range, the same PDUs. Then the same with the TCP stream cut
# everywhere (one PDU per write, byte by byte, inside every address
# field, many PDUs per write, the capture's own segments): the same
# result, relay port numbers aside. Last, tshark's own skinny dissector
# reads captures taken on both sides of the proxy.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"

require ip
DATA=$PP_TOP/userspace/tests/data/sccp
ORDER=$PP_TOP/userspace/sim/replay-order.txt
[ -x "$REPLAY" ] || skip_all "pp-replay not built (make -C userspace)"
grep -qw pp_sccp_net_init /proc/kallsyms ||
	skip_all "the module has no SCCP proxy yet"

# The device name of the 7912's RegisterReq is the user's SID.
SID=SEP001380AD9E5F
grep -aq "$SID" "$DATA/cucm4-call-7912.0.c2s.bin" || skip_all "capture without $SID"
STREAMS=(cucm-modern-v20-call.0 cucm-modern-v20-call.1 cucm4-call-7912.0)
# A relay range holding none of the captured ports.
PLO=30000
PHI=30998
OUT=$TMPD/out

setup_topology || skip_all "cannot build the lab topology"
write_users_xml "$TMPD/users.xml" '  <user id="7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f" name="lisa">
    <first>lisa</first>
    <last>simpson</last>
    <ccmName>ccm</ccmName>
    <sid>'$SID'</sid>
    <enabled>true</enabled>
  </user>'
pp publish "$TMPD/users.xml" >/dev/null || skip_all "cannot publish users"
pp set user active name lisa address $PHONE || skip_all "cannot activate"
pp set phoneproxy rtp ports $PLO $PHI || skip_all "cannot set the RTP range"
# Each write() its own segment: no autocorking (TCP_NODELAY is set).
for ns in $NS_PHONE $NS_CCM; do
	ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_autocorking=0 2>/dev/null
done

HAVE_TSHARK=0
command -v tshark >/dev/null && command -v dumpcap >/dev/null && HAVE_TSHARK=1
CAP_PIDS=()
cap_start() {	# cap_start NS IFACE FILE
	[ $HAVE_TSHARK = 1 ] || return 0
	ip netns exec "$1" dumpcap -q -i "$2" -f "tcp port 2000" -w "$3" \
		> "$3.log" 2>&1 &
	CAP_PIDS+=($!)
	at_exit "kill $!"
	wait_for 10 grep -q "Capturing on" "$3.log" || diag "dumpcap on $2: $(cat "$3.log")"
}
cap_stop() {
	local p
	sleep 0.3
	for p in "${CAP_PIDS[@]}"; do
		kill -INT "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	CAP_PIDS=()
}

# replay NAME PATTERN...: both sides, every stream in every pattern.
replay() {
	local name=$1 args=() s p
	shift
	args=(--data "$DATA" --order "$ORDER" --out "$OUT" --gap-us 1000 --timeout 60)
	for s in "${STREAMS[@]}"; do args+=(--stream "$s"); done
	for p in "$@"; do args+=(--pattern "$p"); done
	ip netns exec "$NS_CCM" "$REPLAY" ccm --listen $CCM:2000 "${args[@]}" \
		> "$TMPD/$name.ccm" 2> "$TMPD/$name.ccm.err" &
	local cpid=$!
	at_exit "kill $cpid"
	wait_for 10 grep -q listening "$TMPD/$name.ccm" || return 1
	ip netns exec "$NS_PHONE" "$REPLAY" phone --connect $NORTH:2000 "${args[@]}" \
		> "$TMPD/$name.phone" 2> "$TMPD/$name.phone.err"
	local prc=$?
	wait $cpid
	local crc=$?
	cat "$TMPD/$name.phone.err" "$TMPD/$name.ccm.err" >&2
	[ $prc = 0 ] && [ $crc = 0 ]
}
# All replays of run NAME ok on both sides ($1 lines expected per side).
replay_ok() {
	local name=$1 n=$2 side
	for side in phone ccm; do
		grep -v 'result=ok' "$TMPD/$name.$side" | grep '^replay' && return 1
		[ "$(grep -c '^replay.*result=ok' "$TMPD/$name.$side")" = "$n" ] ||
			{ cat "$TMPD/$name.$side"; return 1; }
	done
	return 0
}

# verify DIR PATTERN...: every stream's received DIR stream in each
# pattern; the lines land in $TMPD/verify.DIR.
verify() {
	local dir=$1 s p files addr side
	shift
	if [ "$dir" = c2s ]; then addr=$SOUTH; side=--to-ccm; else addr=$NORTH; side=--to-phone; fi
	for s in "${STREAMS[@]}"; do
		files=()
		for p in "$@"; do files+=("$OUT/$s.$p.$dir.bin"); done
		"$REPLAY" verify --data "$DATA" --stream "$s" $side --addr $addr \
			--ports $PLO-$PHI "${files[@]}" | sed "s/^verify /verify stream=$s /"
	done > "$TMPD/verify.$dir"
	! grep -v 'result=ok' "$TMPD/verify.$dir"
}
vfield() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< " $1"; }

# 1. The captures, one PDU per write.
errs0=$(counter sccp_stream_errors)
cap_start "$NS_PHONE" veth-ph "$TMPD/phone.pcap"
cap_start "$NS_CCM" veth-ccm "$TMPD/ccm.pcap"
replay whole whole
cap_stop
check "replay, one PDU per write: the 3 captured connections complete both ways" \
	replay_ok whole 3
check "phone to CallManager: the same PDUs, only address/port fields differ, rewritten to $SOUTH, relay ports $PLO-$PHI" \
	verify c2s whole
sed "s/^/# /" "$TMPD/verify.c2s"
check "CallManager to phone: the same PDUs, only address/port fields differ, rewritten to $NORTH, relay ports $PLO-$PHI" \
	verify s2c whole
sed "s/^/# /" "$TMPD/verify.s2c"
some_rewritten() {	# every stream had fields rewritten both ways
	local l n=0
	while read -r l; do
		n=$((n + 1))
		[ "$(vfield "$l" rewritten)" -gt 0 ] || { echo "$l"; return 1; }
	done <<< "$(cat "$TMPD/verify.c2s" "$TMPD/verify.s2c")"
	[ $n = $((2 * ${#STREAMS[@]})) ]
}
check "every connection had fields rewritten both ways (no address passed through)" some_rewritten
check "no SCCP stream error, no reset" \
	eval "[ \$(counter sccp_stream_errors) = $errs0 ] && [ \$(counter sccp_sid_mismatch) = 0 ]"
for s in "${STREAMS[@]}"; do
	"$REPLAY" verify -v --data "$DATA" --stream "$s" --to-ccm --addr $SOUTH \
		--ports $PLO-$PHI "$OUT/$s.whole.c2s.bin" | grep '^pdu=' | sed 's/^/# c2s /'
	"$REPLAY" verify -v --data "$DATA" --stream "$s" --to-phone --addr $NORTH \
		--ports $PLO-$PHI "$OUT/$s.whole.s2c.bin" | grep '^pdu=' | sed 's/^/# s2c /'
done

# 2. The TCP stream cut elsewhere: the same result but for the relay
# port numbers (the sharing of ports between fields included).
# Offsets inside each address field (old: address 4 + port 4; v17: type
# 4 + address 16 + port 4), chosen where the rewriter changes state: in
# and at the end of the first word, inside the old port and the v17
# address, the address/port boundary, inside and at the end of the port.
# KUnit's pp_sccp_stream cuts the same captures at every offset 1-23 (on
# the debug kernel).
CUTS=()
for k in 1 3 4 5 7 12 19 20 21 23; do CUTS+=(cut$k); done
# The 1- and 3-byte writes are captured apart: tshark's skinny dissector
# decodes none of their segments, unless the sender happened to coalesce
# some writes into a segment of 8 bytes or more that starts a PDU (it
# does under load), so the cut runs' message count in part 3 leaves them
# out.
SMALL=(chunk1 chunk3)
PATTERNS=(packed capture chunk16 "${CUTS[@]}")
cap_start "$NS_PHONE" veth-ph "$TMPD/phone-small.pcap"
replay small "${SMALL[@]}"
cap_stop
cap_start "$NS_PHONE" veth-ph "$TMPD/phone-cut.pcap"
cap_start "$NS_CCM" veth-ccm "$TMPD/ccm-cut.pcap"
replay cuts "${PATTERNS[@]}"
cap_stop
PATTERNS+=("${SMALL[@]}")
check "replay cut ${#PATTERNS[@]} ways (many PDUs per write, the captured segments, 1/3/16 bytes per write, inside every address field at offsets ${CUTS[*]#cut}): every connection completes" \
	eval "replay_ok small $((${#SMALL[@]} * ${#STREAMS[@]})) &&
	      replay_ok cuts $(((${#PATTERNS[@]} - ${#SMALL[@]}) * ${#STREAMS[@]}))"
check "phone to CallManager, every cut: only the expected rewrites" verify c2s "${PATTERNS[@]}"
cp "$TMPD/verify.c2s" "$TMPD/verify.cuts.c2s"
check "CallManager to phone, every cut: only the expected rewrites" verify s2c "${PATTERNS[@]}"
cp "$TMPD/verify.s2c" "$TMPD/verify.cuts.s2c"
verify c2s whole >/dev/null
verify s2c whole >/dev/null
# same_as_whole DIR flat|norm: every cut's stream as the whole one's,
# relay port numbers aside (flat) or numbered by first appearance (norm:
# the fields that shared a port still share one).
same_as_whole() {
	local dir=$1 key=$2 s ref l bad=0 n=0
	for s in "${STREAMS[@]}"; do
		ref=$(vfield "$(grep "stream=$s " "$TMPD/verify.$dir")" $key)
		[ -n "$ref" ] || { echo "no whole run of $s"; return 1; }
		while read -r l; do
			n=$((n + 1))
			[ "$(vfield "$l" $key)" = "$ref" ] && continue
			echo "differs from whole ($ref): $l"
			bad=1
		done <<< "$(grep "stream=$s " "$TMPD/verify.cuts.$dir")"
	done
	[ $n = $((${#STREAMS[@]} * ${#PATTERNS[@]})) ] || { echo "$n runs compared"; bad=1; }
	return $bad
}
check "phone to CallManager: every cut gives the bytes of one PDU per write (relay port numbers aside)" \
	same_as_whole c2s flat
check "CallManager to phone: every cut gives the bytes of one PDU per write (relay port numbers aside)" \
	same_as_whole s2c flat
check "CallManager to phone: the same fields share a relay port as with one PDU per write" \
	same_as_whole s2c norm
# An OpenReceiveChannelAck cut inside its address gets the relay port of
# the oldest OpenReceiveChannel not yet acknowledged (docs/sccp.md).
check "phone to CallManager: the same fields share a relay port as with one PDU per write" \
	same_as_whole c2s norm
check "no SCCP stream error, no reset" \
	eval "[ \$(counter sccp_stream_errors) = $errs0 ]"
pp show counters | grep -i sccp | sed 's/^/# /'

# 3. tshark's skinny dissector on both sides of the proxy: one pass per
# capture (tshark starts slowly under TCG), one line per TCP segment:
# src port|tcp.len|message ids|fields... (comma lists when a segment
# ends several PDUs).
diag "replay and verify: ${SECONDS}s"
if [ $HAVE_TSHARK = 0 ]; then
	tap_result 0 "tshark: captures on both sides # SKIP tshark not installed"
	tap_done
fi
[ -n "$PP_VM_OUT" ] && cp "$TMPD"/*.pcap "$PP_VM_OUT/" 2>/dev/null
TS_FIELDS=(tcp.srcport tcp.len skinny.messageId skinny.ipAddr.ipv4 skinny.portNumber
	   skinny.transmitIpAddr.ipv4 skinny.stationIpAddr skinny.parm2 skinny.DeviceName
	   skinny.remoteIpAddr.ipv4 skinny.remotePortNumber skinny.sourceIpAddr.ipv4)
for f in phone ccm phone-cut ccm-cut phone-small; do
	args=()
	for x in "${TS_FIELDS[@]}"; do args+=(-e "$x"); done
	tshark -r "$TMPD/$f.pcap" -d tcp.port==2000,skinny -Y tcp -T fields \
		-E separator='|' "${args[@]}" > "$TMPD/$f.ts" 2> "$TMPD/$f.ts.err" ||
		cat "$TMPD/$f.ts.err" >&2
done
diag "tshark: ${SECONDS}s"
# ts FILE FIELD to-ccm|to-phone: every value of FIELD that way, one a line.
ts() {
	local col i
	for i in "${!TS_FIELDS[@]}"; do
		[ "${TS_FIELDS[$i]}" = "$2" ] && col=$((i + 1))
	done
	awk -F'|' -v c="$col" -v d="$3" '
		(d == "to-ccm") == ($1 != 2000) && $c != "" {
			n = split($c, v, ","); for (i = 1; i <= n; i++) print v[i] }' \
		"$TMPD/$1.ts"
}
all_are() {	# all_are N VALUE: stdin has N lines, all VALUE
	local n=$1 v=$2 got
	got=$(cat)
	[ "$(grep -c . <<< "$got")" = "$n" ] && [ -z "$(grep -vx "$v" <<< "$got")" ] ||
		{ echo "want $n x $v, got $(grep -c . <<< "$got"):"; sort <<< "$got" | uniq -c; return 1; }
}
in_range() {	# stdin: N ports, all relay ports
	local n=$1 got p
	got=$(cat)
	[ "$(grep -c . <<< "$got")" = "$n" ] || { echo "want $n ports, got: $got"; return 1; }
	for p in $got; do
		[ "$p" -ge $PLO ] && [ "$p" -le $PHI ] || { echo "port $p"; return 1; }
	done
}
same_msgs() {	# same_msgs FILE_A FILE_B: the same message ids each way
	local d a b
	for d in to-ccm to-phone; do
		a=$(ts "$1" skinny.messageId $d)
		b=$(ts "$2" skinny.messageId $d)
		[ -n "$a" ] && [ "$a" = "$b" ] ||
			{ echo "$a" > "$TMPD/msgs.a"; echo "$b" > "$TMPD/msgs.b"
			  diff "$TMPD/msgs.a" "$TMPD/msgs.b" | head; return 1; }
		echo "$d: $(grep -c . <<< "$a") messages"
	done
}
NPDU=127	# 6 + 26 + 6 + 24 + 18 + 47 (index.txt)
check "tshark, both sides: the same $NPDU SCCP messages in the same order each way" \
	eval "same_msgs phone ccm &&
	      [ \$(( \$(ts ccm skinny.messageId to-ccm | wc -l) + \$(ts ccm skinny.messageId to-phone | wc -l) )) = $NPDU ]"
check "tshark, CallManager side: OpenReceiveChannelAck ipAddr = $SOUTH (3), portNumber of it and the 6 StartMediaTransmissionAcks in $PLO-$PHI" \
	eval "ts ccm skinny.ipAddr.ipv4 to-ccm | all_are 3 $SOUTH &&
	      ts ccm skinny.portNumber to-ccm | in_range 9"
check "tshark, CallManager side: StartMediaTransmissionAck transmitIpAddr = $SOUTH (6)" \
	eval "ts ccm skinny.transmitIpAddr.ipv4 to-ccm | all_are 6 $SOUTH"
# Alarm parm2 is the station address as a little-endian integer.
ALARM_SOUTH=$(( (1 << 24) | (100 << 16) | (51 << 8) | 198 ))
check "tshark, CallManager side: RegisterReq stationIpAddr and Alarm parm2 = $SOUTH, device name $SID" \
	eval "ts ccm skinny.stationIpAddr to-ccm | all_are 1 $SOUTH &&
	      ts ccm skinny.parm2 to-ccm | all_are 1 $ALARM_SOUTH &&
	      ts ccm skinny.DeviceName to-ccm | all_are 1 $SID"
check "tshark, phone side: StartMediaTransmission remoteIpAddr = $NORTH (7), remotePortNumber in $PLO-$PHI" \
	eval "ts phone skinny.remoteIpAddr.ipv4 to-phone | all_are 7 $NORTH &&
	      ts phone skinny.remotePortNumber to-phone | in_range 7"
check "tshark, phone side: OpenReceiveChannel sourceIpAddr = $NORTH (2)" \
	eval "ts phone skinny.sourceIpAddr.ipv4 to-phone | all_are 2 $NORTH"
no_private() {	# no captured (private) address in FILE's address fields that way
	local f
	for f in skinny.ipAddr.ipv4 skinny.transmitIpAddr.ipv4 skinny.stationIpAddr \
		 skinny.remoteIpAddr.ipv4 skinny.sourceIpAddr.ipv4; do
		ts "$1" $f "$2" | grep -E '^(10|192\.168)\.' && return 1
	done
	return 0
}
check "tshark: no captured address crosses the proxy (CallManager side from the phone, phone side from the CallManager)" \
	eval "no_private ccm to-ccm && no_private phone to-phone"
# The 1- and 3-byte writes were captured apart (above).
NCUT=$((${#PATTERNS[@]} - ${#SMALL[@]}))
check "tshark, cut runs (but 1 and 3 bytes per write): the same $((NPDU * NCUT)) SCCP messages in the same order on both sides, each way" \
	eval "same_msgs phone-cut ccm-cut &&
	      [ \$(( \$(ts ccm-cut skinny.messageId to-ccm | wc -l) + \$(ts ccm-cut skinny.messageId to-phone | wc -l) )) = $((NPDU * NCUT)) ]"
one_byte_segs() {	# the 1-byte writes were 1-byte segments on the wire
	local n
	n=$(ts phone-small tcp.len to-ccm | grep -cx 1)
	echo "$n one-byte segments from the phone (chunk1 writes: 1200)"
	[ "$n" -ge 1000 ]
}
check "the cuts were on the wire: 1-byte segments from the phone" one_byte_segs
check "tshark, cut runs: every OpenReceiveChannelAck and StartMediaTransmission rewritten" \
	eval "ts ccm-cut skinny.ipAddr.ipv4 to-ccm | all_are $((3 * NCUT)) $SOUTH &&
	      ts phone-cut skinny.remoteIpAddr.ipv4 to-phone | all_are $((7 * NCUT)) $NORTH"
no_private ccm-cut to-ccm > /dev/null && no_private phone-cut to-phone >/dev/null
tap_result $? "tshark, cut runs: no captured address crosses the proxy"
diag "total: ${SECONDS}s"
tap_done
