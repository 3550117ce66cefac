#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The SCCP test peers on their own, WITHOUT the proxy in the path
# (docs/sim.md): pp-ccm-sim in one namespace, pp-phone-sim in another,
# joined by a veth.
#
#   phones 198.51.100.20, .21, .22 ---- veth ---- ccm 198.51.100.10
#
# In each layout (v17, old, v17 bodies under header version 0 as Asterisk
# sends them, and a v17 phone with an old CallManager) two phones
# register, call each other with RTP both ways (no loss, the other's
# SSRC, from the other's send port), hang up (media stops), and call the
# CallManager's own "south phone". Then: the allow-list, a phone that
# reads its CallManager from SEP<MAC>.cnf.xml over TFTP, the announced
# address, bad arguments, and 1000 phones in one process. A secure
# CallManager (--srtp) keys two calls: SRTP end to end (libsrtp2), v17
# and old layouts, both suites; then a call under attack (replay, flipped
# bit, wrong key: each dropped by the receiver), SRTCP both ways, across
# the sequence wrap. Several streams per phone: 4 south calls on one
# phone, 3 keyed calls between two.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"

[ "$(id -u)" = 0 ] || skip_all "must run as root"
for t in ip nft python3; do
	command -v $t >/dev/null || skip_all "$t not installed"
done
require_sims

CCM_ADDR=$CCM		# 198.51.100.10 (lib.sh): where ccm_start listens
PA=198.51.100.20
PB=198.51.100.21
PC=198.51.100.22
A=SEP00000000A001
B=SEP00000000B002
C=SEP00000000C003
MEDIA_S=2		# seconds of media per call

setup() {
	local ns
	for ns in $NS_PHONE $NS_CCM; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
	done
	ip link add veth-ph netns "$NS_PHONE" type veth peer name veth-ccm netns "$NS_CCM" ||
		return 1
	ip -n "$NS_CCM" addr add $CCM_ADDR/24 dev veth-ccm
	ip -n "$NS_PHONE" addr add $PA/24 dev veth-ph
	ip -n "$NS_PHONE" addr add $PB/24 dev veth-ph
	ip -n "$NS_PHONE" addr add $PC/24 dev veth-ph
	ip -n "$NS_CCM" link set veth-ccm up
	ip -n "$NS_PHONE" link set veth-ph up
	# Count every UDP packet sent, RTP included, in both namespaces.
	for ns in $NS_PHONE $NS_CCM; do
		nsx "$ns" nft -f - <<-EOF || return 1
		table inet simcount {
			counter udp_out { }
			chain out {
				type filter hook output priority 0;
				meta l4proto udp counter name udp_out
			}
		}
		EOF
	done
}

udp_sent() {
	local ns n total=0
	for ns in $NS_PHONE $NS_CCM; do
		n=$(nsx "$ns" nft list counter inet simcount udp_out |
			sed -n 's/.*packets \([0-9]*\).*/\1/p')
		total=$((total + ${n:-0}))
	done
	echo $total
}

# Media stops: no UDP sent in the namespaces for a second after a hangup.
media_stopped() {
	local n1 n2
	sleep 0.5
	n1=$(udp_sent)
	sleep 1
	n2=$(udp_sent)
	[ "$n1" = "$n2" ] || { echo "$((n2 - n1)) UDP packets sent after the hangup"; return 1; }
}

registered_as() {	# registered_as FILE SID "proto=.. .*layout=.. hv=.."
	grep -Eq "^registered sid=$2 $3" "$1"
}

# call_ab NAME WHAT [N]: call $A $B (the phones' Nth, default 1), $MEDIA_S
# s of media, hangup; LA, LB: the phones' media-stats, WHAT checked both
# ways (no loss, the other's SSRC and payload, from its send port).
call_ab() {
	local v=$1 what=$2 n=${3:-1}
	check "$v: call $A $B comes up" ctl "$v" call $A $B
	sleep $MEDIA_S
	check "$v: hangup" ctl "$v" hangup
	LA=$(media_stats "$TMPD/$v-a.out" "sid=$A" $n)
	LB=$(media_stats "$TMPD/$v-b.out" "sid=$B" $n)
	check "$v: $A got $B's $what: no loss, $B's SSRC, from its send port (+2)" \
		rx_ok "$LA" "$LB" $((MEDIA_S * 20)) sender
	check "$v: $B got $A's $what: no loss, $A's SSRC, from its port" \
		rx_ok "$LB" "$LA" $((MEDIA_S * 20)) sender
}

# variant NAME "ccm args" "phone args" PROTO LAYOUT HV
variant() {
	local v=$1 cargs=$2 pargs=$3 proto=$4 layout=$5 hv=$6 n line la lb ls
	ccm_start "$v" $cargs --keepalive 1 ||
		{ tap_result 1 "$v: pp-ccm-sim listens"; return; }
	phone_start "$v-a" "$NS_PHONE" --server $CCM_ADDR --sid $A --bind $PA $pargs
	local pa=$PHONE_PID
	phone_start "$v-b" "$NS_PHONE" --server $CCM_ADDR --sid $B --bind $PB --tx-port-offset 2 $pargs
	local pb=$PHONE_PID
	check "$v: two phones register" ctl "$v" wait registered 2 20
	check "$v: the CallManager negotiated protocol $proto, layout $layout, header $hv" \
		eval "registered_as $TMPD/$v.out $A 'proto=$proto .*layout=$layout hv=$hv' &&
		      registered_as $TMPD/$v.out $B 'proto=$proto .*layout=$layout hv=$hv'"
	check "$v: the phones agree (protocol $proto, layout $layout, header $hv)" \
		eval "registered_as $TMPD/$v-a.out $A 'proto=$proto layout=$layout hv=$hv' &&
		      registered_as $TMPD/$v-b.out $B 'proto=$proto layout=$layout hv=$hv'"

	call_ab "$v" RTP
	la=$LA
	lb=$LB
	check "$v: a non-secure call (zero key blocks) stays plain RTP" \
		eval "! grep -q srtp_ <<< '$la$lb' && grep -q '^call call=1 .*media=plain' $TMPD/$v.out"
	check "$v: each phone sent to the other's announced receive port" \
		eval "[ '$(field "$la" remote)' = '$(field "$lb" local)' ] &&
		      [ '$(field "$lb" remote)' = '$(field "$la" local)' ]"
	check "$v: hangup stops media (no UDP for a second)" media_stopped

	check "$v: call $A south comes up" ctl "$v" call $A south
	sleep $MEDIA_S
	check "$v: stats of a running south leg" ctl "$v" stats
	check "$v: hangup of the south call" ctl "$v" hangup
	la=$(media_stats "$TMPD/$v-a.out" "sid=$A .*remote=$CCM_ADDR")
	ls=$(media_stats "$TMPD/$v.out" "sid=south .*end=hangup")
	check "$v: the south phone got $A's RTP: no loss, $A's SSRC, from $A" \
		rx_ok "$ls" "$la" $((MEDIA_S * 20)) sender
	check "$v: $A got the south phone's RTP: no loss, its SSRC" \
		rx_ok "$la" "$ls" $((MEDIA_S * 20)) sender
	check "$v: hangup stops the south media" media_stopped

	kill -TERM $pa $pb
	wait $pa $pb
	check "$v: the phones unregister on SIGTERM" \
		eval "grep -q '^unregistered sid=$A' $TMPD/$v.out &&
		      grep -q '^unregistered sid=$B' $TMPD/$v.out"
	line=$(line_of "$TMPD/$v-a.out" summary "")
	n=$(field "$line" keepalives)
	check "$v: keepalives every second, each acknowledged ($n)" \
		eval "[ ${n:-0} -ge 1 ] && [ $(field "$line" keepalive_acks) -ge $((${n:-0} - 1)) ]"
	ccm_stop "$v"
	check "$v: nothing on stderr" eval "! grep . $TMPD/$v.err $TMPD/$v-a.err $TMPD/$v-b.err"
}

setup || skip_all "cannot build the namespaces (netns, veth, nftables)"

variant v17 "--layout v17" "--layout v17" 17 v17 17
variant old "--layout old" "--layout old" 11 old 11
variant asterisk "--layout v17 --hdr0 --early-smt" "--layout v17 --hdr0" 17 v17 0
variant mixed "--layout old" "--layout v17" 11 old 11

# A secure CallManager (--srtp 32,80): fresh SRTP keys in the ORC and SMT
# of each phone-to-phone call, _32 for the first, _80 for the second
# (the guide's "Encrypted" mode, end to end, no proxy here); one v17 and
# one old-layout phone, so the key blocks go out in both layouts. The
# phones protect what they send with their SMT's key and unprotect what
# they receive with their ORC's (libsrtp2): every packet received
# authenticated and decrypted to the original payload (a plain or foreign
# one would fail libsrtp2's authentication and be counted), none lost; on
# the wire every RTP packet of the call carries the suite's tag (nft
# counts UDP lengths: 8 + 12 + 160 + tag, never the plain 180). (The
# calls of the variants above, without --srtp, stay plain RTP.)
# (srtp_ok: sim.sh)

udp_len_count() {	# udp_len_count COUNTER: UDP packets the phones sent of that length
	nsx "$NS_PHONE" nft list counter inet srtplen "$1" | sed -n 's/.*packets \([0-9]*\).*/\1/p'
}

wire_is() {	# wire_is PLAIN S32 S80: the counters
	local got
	got="$(udp_len_count plain) $(udp_len_count s32) $(udp_len_count s80)"
	[ "$got" = "$1 $2 $3" ] || { echo "UDP 180/184/190 bytes: $got, want $1 $2 $3"; return 1; }
	echo "UDP 180/184/190 bytes: $got"
}

srtp_lab() {
	local v=srtp la lb n32 n80
	nsx "$NS_PHONE" nft -f - <<-EOF || { tap_result 1 "$v: nft counters"; return; }
	table inet srtplen {
		counter plain { }
		counter s32 { }
		counter s80 { }
		chain out {
			type filter hook output priority 0;
			udp length 180 counter name plain
			udp length 184 counter name s32
			udp length 190 counter name s80
		}
	}
	EOF
	ccm_start "$v" --layout v17 --srtp 32,80 ||
		{ tap_result 1 "$v: pp-ccm-sim --srtp listens"; return; }
	phone_start "$v-a" "$NS_PHONE" --server $CCM_ADDR --sid $A --bind $PA --layout v17
	local pa=$PHONE_PID
	phone_start "$v-b" "$NS_PHONE" --server $CCM_ADDR --sid $B --bind $PB --tx-port-offset 2 --layout old
	local pb=$PHONE_PID
	check "$v: a v17 and an old-layout phone register" ctl "$v" wait registered 2 20

	call_ab "$v" "SRTP, unprotected to the original payload bytes"
	la=$LA
	lb=$LB
	check "$v: the first call was keyed AES_CM_128_HMAC_SHA1_32" \
		grep -q "^call call=1 .*media=AES_CM_128_HMAC_SHA1_32" "$TMPD/$v.out"
	check "$v: $A: every packet SRTP both ways (_32), no auth failure, no replay" \
		srtp_ok "$la" "$lb" AES_CM_128_HMAC_SHA1_32
	check "$v: $B: every packet SRTP both ways (_32), no auth failure, no replay" \
		srtp_ok "$lb" "$la" AES_CM_128_HMAC_SHA1_32
	n32=$(($(field "$la" tx_packets) + $(field "$lb" tx_packets)))
	check "$v: on the wire: $n32 packets of 184 UDP bytes (the 4-byte tag), none plain" \
		wire_is 0 $n32 0

	call_ab "$v" "SRTP (_80), unprotected to the original payload bytes" 2
	la=$LA
	lb=$LB
	check "$v: the second call was keyed AES_CM_128_HMAC_SHA1_80" \
		grep -q "^call call=2 .*media=AES_CM_128_HMAC_SHA1_80" "$TMPD/$v.out"
	check "$v: $A: every packet SRTP both ways (_80), no auth failure, no replay" \
		srtp_ok "$la" "$lb" AES_CM_128_HMAC_SHA1_80
	check "$v: $B: every packet SRTP both ways (_80), no auth failure, no replay" \
		srtp_ok "$lb" "$la" AES_CM_128_HMAC_SHA1_80
	n80=$(($(field "$la" tx_packets) + $(field "$lb" tx_packets)))
	check "$v: on the wire: $n80 packets of 190 UDP bytes (the 10-byte tag), none plain" \
		wire_is 0 $n32 $n80
	kill -TERM $pa $pb
	wait $pa $pb
	ccm_stop "$v"
	nsx "$NS_PHONE" nft delete table inet srtplen
	check "$v: nothing on stderr" eval "! grep . $TMPD/$v.err $TMPD/$v-a.err $TMPD/$v-b.err"
}

srtp_lab

# The attacker against SRTP (pp-phone-sim --attack), RTCP and the
# sequence wrap, under a secure CallManager (--srtp 80), end to end: $A
# sends, every 10th packet in turn, a packet twice (replay), a copy with
# one bit flipped and a copy under a random key (each before the real
# one); $B's libsrtp2 drops each and counts it (srtp_replay = A's
# atk_replay, srtp_auth_fail = atk_flip + atk_wrong_key) while the call's
# audio goes on: every real packet received, none lost, the original
# bytes. Both phones send an RTCP sender report every 500 ms (--rtcp),
# SRTCP under the call's keys, each authenticated and decrypted by the
# other; both start at sequence 65500 (--rtp-seq), so the call crosses
# the wrap (ROC 0 -> 1) both ways.
srtp_attack_lab() {
	local v=srtpatk la lb k
	ccm_start "$v" --layout v17 --srtp 80 --rtcp 500 ||
		{ tap_result 1 "$v: pp-ccm-sim --srtp 80 listens"; return; }
	phone_start "$v-a" "$NS_PHONE" --server $CCM_ADDR --sid $A --bind $PA \
		--rtcp 500 --rtp-seq 65500 --attack replay,flip,wrong-key
	local pa=$PHONE_PID
	phone_start "$v-b" "$NS_PHONE" --server $CCM_ADDR --sid $B --bind $PB \
		--tx-port-offset 2 --rtcp 500 --rtp-seq 65500
	local pb=$PHONE_PID
	check "$v: two phones register" ctl "$v" wait registered 2 20
	call_ab "$v" "SRTP through the wrap, under attack"
	la=$LA
	lb=$LB
	diag "$v: $A sent atk_replay=$(field "$la" atk_replay) atk_flip=$(field "$la" atk_flip) atk_wrong_key=$(field "$la" atk_wrong_key) tx_packets=$(field "$la" tx_packets); $B srtp_replay=$(field "$lb" srtp_replay) srtp_auth_fail=$(field "$lb" srtp_auth_fail) srtp_unprotected=$(field "$lb" srtp_unprotected)"
	check "$v: $A sent each attack (replay, flip, wrong-key) at least 3 times" \
		eval "[ $(field "$la" atk_replay) -ge 3 ] && [ $(field "$la" atk_flip) -ge 3 ] &&
		      [ $(field "$la" atk_wrong_key) -ge 3 ]"
	check "$v: $B dropped every replay, flipped bit and wrong key of $A, the call's audio whole" \
		attacks_dropped "$lb" "$la"
	check "$v: $A: $B's SRTP clean (no attack that way)" \
		srtp_ok "$la" "$lb" AES_CM_128_HMAC_SHA1_80
	check "$v: $A's stream from 65500 crosses the wrap (>36 packets, $B expected = received)" \
		eval "[ $(field "$la" tx_packets) -gt 36 ] &&
		      [ $(field "$lb" rx_expected) = $(field "$lb" rx_packets) ]"
	check "$v: $B's stream from 65500 crosses the wrap (>36 packets, $A expected = received)" \
		eval "[ $(field "$lb" tx_packets) -gt 36 ] &&
		      [ $(field "$la" rx_expected) = $(field "$la" rx_packets) ]"
	check "$v: SRTCP $A -> $B: sender reports protected, authenticated and decrypted" \
		eval "[ -n '$(field "$la" srtcp_protected)' ] && rtcp_ok '$lb' '$la' 2"
	check "$v: SRTCP $B -> $A: sender reports protected, authenticated and decrypted" \
		eval "[ -n '$(field "$lb" srtcp_protected)' ] && rtcp_ok '$la' '$lb' 2"
	# The call command's packet time: 40 ms (320 bytes, SRTP +10).
	check "$v: call $A $B 40 (ms) comes up" ctl "$v" call $A $B 40
	sleep 1
	check "$v: hangup" ctl "$v" hangup
	la=$(media_stats "$TMPD/$v-a.out" "sid=$A" 2)
	lb=$(media_stats "$TMPD/$v-b.out" "sid=$B" 2)
	check "$v: 40 ms packets: $A got $B's SRTP, 320-byte payloads, no loss" \
		eval "rx_ok '$la' '$lb' 20 sender && srtp_ok '$la' '$lb' AES_CM_128_HMAC_SHA1_80 &&
		      grep -q '^call call=2 .*packet_ms=40' $TMPD/$v.out"
	# The CallManager's own endpoint with RTCP (--rtcp): plain both ways.
	check "$v: call $B south comes up" ctl "$v" call $B south
	sleep 1.2
	check "$v: hangup" ctl "$v" hangup
	lb=$(media_stats "$TMPD/$v-b.out" "sid=$B" 3)
	local ls
	ls=$(media_stats "$TMPD/$v.out" "sid=south .*end=hangup")
	check "$v: RTCP $B -> the south endpoint (plain: a south call is never keyed)" \
		eval "[ -z '$(field "$lb" srtp_tx)' ] && rtcp_ok '$ls' '$lb' 2"
	check "$v: RTCP the south endpoint -> $B" rtcp_ok "$lb" "$ls" 2
	kill -TERM $pa $pb
	wait $pa $pb
	ccm_stop "$v"
	check "$v: nothing on stderr" eval "! grep . $TMPD/$v.err $TMPD/$v-a.err $TMPD/$v-b.err"
}

srtp_attack_lab

# Several streams per phone (pp-phone-sim --max-streams, pp-ccm-sim
# calls N [south] K), the way bench/rtp reaches 1,000 streams with 479
# addresses: a phone in 4 concurrent south calls (a fifth refused by the
# phone beyond its 4), hung up at once by its SID; then, under a secure
# CallManager, two phones in 3 calls with each other, each stream keyed
# with its own keys (--print-keys: the key each one sends with is the
# one its peer's stream receives with).

# streams_both_ways PHONE_FILE PHONE_WHAT PEER_FILE PEER_WHAT N MIN [SUITE]:
# N streams ended in PHONE_FILE (media-stats lines holding PHONE_WHAT),
# each on a port of its own, each with its peer's stream (the PEER_FILE
# line whose local address is its remote): every packet both ways (rx_ok,
# at least MIN), nothing bad; with SUITE, SRTP both ways (srtp_ok).
streams_both_ways() {
	local pf=$1 pw=$2 qf=$3 qw=$4 n=$5 min=$6 suite=${7:-} l q ports=
	wait_for 5 has_lines "$pf" "^media-stats .*$pw" "$n"
	while IFS= read -r l; do
		q=$(line_of "$qf" media-stats "$qw .*local=$(field "$l" remote) ")
		[ -n "$q" ] || { echo "no peer stream at $(field "$l" remote)"; return 1; }
		rx_ok "$l" "$q" "$min" sender > /dev/null && rx_ok "$q" "$l" "$min" sender > /dev/null ||
			{ rx_ok "$l" "$q" "$min" sender; rx_ok "$q" "$l" "$min" sender; return 1; }
		if [ -n "$suite" ]; then
			srtp_ok "$l" "$q" "$suite" > /dev/null && srtp_ok "$q" "$l" "$suite" > /dev/null ||
				{ srtp_ok "$l" "$q" "$suite"; srtp_ok "$q" "$l" "$suite"; return 1; }
		fi
		ports="$ports $(field "$l" local)"
	done < <(grep "^media-stats .*$pw" "$pf")
	[ "$(wc -w <<< "$ports")" = "$n" ] && [ "$(tr ' ' '\n' <<< "$ports" | sort -u | grep -c .)" = "$n" ] ||
		{ echo "streams at:$ports (want $n, each its own)"; return 1; }
	echo "$n streams at:$ports"
}

# keys_paired FILE_A FILE_B N: A printed N keys to send with and N to
# receive with (--print-keys), the 2N all different, the N receiving ones
# each at a port of its own, and each key A sends with is the key B
# printed for the stream it sends to (by address).
keys_paired() {
	local a=$1 b=$2 n=$3 l r
	[ "$(grep -c '^keys .*dir=tx' "$a")" = "$n" ] && [ "$(grep -c '^keys .*dir=rx' "$a")" = "$n" ] ||
		{ echo "$(grep -c '^keys ' "$a") keys lines, want $n of each direction"; return 1; }
	[ "$(grep '^keys ' "$a" | sed 's/.* key=//' | sort -u | wc -l)" = $((2 * n)) ] ||
		{ echo "the keys are not all different"; return 1; }
	[ "$(grep '^keys .*dir=rx' "$a" | sed 's/.* local=\([^ ]*\) .*/\1/' | sort -u | wc -l)" = "$n" ] ||
		{ echo "two receiving keys at one port"; return 1; }
	while IFS= read -r l; do
		r=$(line_of "$b" keys "dir=rx local=$(field "$l" remote) ")
		[ -n "$r" ] && [ "$(field "$r" key)" = "$(field "$l" key)" ] ||
			{ echo "ppid $(field "$l" ppid) sends to $(field "$l" remote) with a key the stream there does not receive with"; return 1; }
	done < <(grep '^keys .*dir=tx' "$a")
	echo "$((2 * n)) keys, each stream's own"
}

multi_lab() {
	local v=multi pa pb out
	ccm_start "$v" || { tap_result 1 "$v: pp-ccm-sim listens"; return; }
	phone_start "$v-a" "$NS_PHONE" --server $CCM_ADDR --sid $A --bind $PA --max-streams 4
	pa=$PHONE_PID
	check "$v: a phone with --max-streams 4 registers" ctl "$v" wait registered 1 20
	out=$(ctl "$v" calls 5 south 5)
	check "$v: calls 5 south 5: four up, the fifth refused by the phone beyond its 4 streams ($out)" \
		eval "[[ '$out' == 'error calls=5 up=4 failed=1 '* ]] &&
		      grep -q '^media-error sid=$A ppid=[0-9]* reason=\"4 streams already: --max-streams 4\"' $TMPD/$v-a.out"
	sleep 1
	check "$v: hangup $A ends its four calls" eval "ctl $v hangup $A | grep -qx 'ok hungup=4'"
	check "$v: hangup stops the four streams" media_stopped
	check "$v: a phone in 4 concurrent south calls: 4 streams, each its own port, every packet both ways, no bad packet" \
		streams_both_ways "$TMPD/$v-a.out" "sid=$A" "$TMPD/$v.out" "sid=south" 4 25
	kill -TERM $pa
	wait $pa
	ccm_stop "$v"

	v=multisrtp
	ccm_start "$v" --srtp 32,80 || { tap_result 1 "$v: pp-ccm-sim --srtp listens"; return; }
	phone_start "$v-a" "$NS_PHONE" --server $CCM_ADDR --sid $A --bind $PA --max-streams 3 --print-keys
	pa=$PHONE_PID
	phone_start "$v-b" "$NS_PHONE" --server $CCM_ADDR --sid $B --bind $PB --max-streams 3 \
		--tx-port-offset 2 --print-keys --layout old
	pb=$PHONE_PID
	check "$v: two phones with --max-streams 3 register" ctl "$v" wait registered 2 20
	check "$v: calls 3 3: three keyed calls between the two phones come up" ctl "$v" calls 3 3
	sleep 1
	check "$v: hangup $B ends its three calls" eval "ctl $v hangup $B | grep -qx 'ok hungup=3'"
	check "$v: two phones in 3 calls with each other: 3 streams each, each its own port, SRTP both ways, every packet, no auth failure" \
		streams_both_ways "$TMPD/$v-a.out" "sid=$A" "$TMPD/$v-b.out" "sid=$B" 3 25 \
		'AES_CM_128_HMAC_SHA1_(32|80)'
	check "$v: $A's three streams each under their own keys, the ones $B's streams use" \
		keys_paired "$TMPD/$v-a.out" "$TMPD/$v-b.out" 3
	check "$v: $B's three streams each under their own keys, the ones $A's streams use" \
		keys_paired "$TMPD/$v-b.out" "$TMPD/$v-a.out" 3
	kill -TERM $pa $pb
	wait $pa $pb
	ccm_stop "$v"
	check "$v: nothing on stderr" eval "! grep . $TMPD/multi*.err"
}

multi_lab

# The allow-list: SIDs not in it get RegisterReject.
ccm_start allow --allow $A
phone_start allow-a "$NS_PHONE" --server $CCM_ADDR --sid $A --bind $PA
pa=$PHONE_PID
check "allow-list: $A registers" ctl allow wait registered 1 20
nsx "$NS_PHONE" "$PHONE_SIM" --server $CCM_ADDR --sid $C --bind $PC \
	> "$TMPD/allow-c.out" 2>&1
rc=$?
check "allow-list: $C gets RegisterReject and the phone exits 1 (rc $rc)" \
	eval "[ $rc = 1 ] && grep -q '^register-rejected sid=$C' $TMPD/allow-c.out &&
	      grep -q '^register-rejected sid=$C' $TMPD/allow.out"
check "allow-list: $C is not registered" eval "! grep -q '^registered sid=$C' $TMPD/allow.out"
kill -TERM $pa
wait $pa
ccm_stop allow

# --announce: the address in Register and OpenReceiveChannelAck.
ccm_start announce
phone_start announce-c "$NS_PHONE" --server $CCM_ADDR --sid $C --bind $PC --announce 198.51.100.99
pc=$PHONE_PID
check "announce: the phone registers" ctl announce wait registered 1 20
check "announce: Register carries the announced address" \
	grep -q "^registered sid=$C .*station=198.51.100.99 " "$TMPD/announce.out"
check "announce: call $C south" ctl announce call $C south
check "announce: OpenReceiveChannelAck carries the announced address" \
	grep -q "^orc-ack .*sid=$C .*rx=198.51.100.99:" "$TMPD/announce.out"
ctl announce hangup >/dev/null
kill -TERM $pc
wait $pc

# TFTP: SEP<MAC>.cnf.xml names the CallManager (no --server).
if command -v in.tftpd >/dev/null; then
	mkdir -p "$TMPD/tftp"
	cat > "$TMPD/tftp/$A.cnf.xml" <<-EOF
	<device><devicePool><callManagerGroup><members>
	<member priority="1"><callManager><ports><ethernetPhonePort>2001</ethernetPhonePort></ports>
	<processNodeName>198.51.100.11</processNodeName></callManager></member>
	<member priority="0"><callManager><ports><ethernetPhonePort>2000</ethernetPhonePort></ports>
	<processNodeName>$CCM_ADDR</processNodeName></callManager></member>
	</members></callManagerGroup></devicePool></device>
	EOF
	chmod 755 "$TMPD" "$TMPD/tftp"
	chmod 644 "$TMPD/tftp/$A.cnf.xml"
	ip netns exec "$NS_CCM" in.tftpd --foreground --user nobody --address $CCM_ADDR:69 \
		--secure "$TMPD/tftp" &
	at_exit "kill $!"
	phone_start tftp "$NS_PHONE" --tftp $CCM_ADDR --sid $A --bind $PA
	pa=$PHONE_PID
	check "tftp: the phone read $A.cnf.xml and registered with its CallManager" \
		ctl announce wait registered 1 20
	check "tftp: the priority 0 member: $CCM_ADDR:2000" \
		grep -q "^tftp sid=$A file=$A.cnf.xml .*callmanager=$CCM_ADDR:2000" "$TMPD/tftp.out"
	nsx "$NS_PHONE" "$PHONE_SIM" --tftp $CCM_ADDR --sid $B --bind $PB \
		> "$TMPD/tftp-b.out" 2>&1
	rc=$?
	check "tftp: no file for $B and no --server: the phone says so and exits 1 (rc $rc)" \
		eval "[ $rc = 1 ] && grep -q '^tftp-failed sid=$B reason=\"TFTP error' $TMPD/tftp-b.out"
	kill -TERM $pa
	wait $pa
else
	tap_result 0 "tftp: # SKIP in.tftpd not installed"
fi
ccm_stop announce

# Bad arguments: exit 2, naming the argument and the reason.
bad() {	# bad PROGRAM ARG-NAME args...
	local prog=$1 name=$2 out rc
	shift 2
	out=$("$prog" "$@" 2>&1)
	rc=$?
	[ $rc = 2 ] && grep -q -- "$name" <<< "$out" || { echo "rc $rc: $out"; return 1; }
	echo "$out"
}
check "bad argument: --server 198.51.100.300" bad "$PHONE_SIM" "--server: \"198.51.100.300\": not an IPv4" \
	--server 198.51.100.300 --sid $A
check "bad argument: --sid SEP12" bad "$PHONE_SIM" "--sid: \"SEP12\": not SEP followed by 12 hex" \
	--server $CCM_ADDR --sid SEP12
check "bad argument: --layout v18" bad "$PHONE_SIM" "--layout: \"v18\": not old or v17" \
	--server $CCM_ADDR --sid $A --layout v18
check "bad argument: no --server nor --tftp" bad "$PHONE_SIM" "--server or --tftp is required" --sid $A
check "bad argument: pp-ccm-sim --listen :2000" bad "$CCM_SIM" "--listen: \":2000\"" --listen :2000
check "bad argument: pp-ccm-sim --allow 001122334455" bad "$CCM_SIM" "--allow: \"001122334455\"" \
	--allow 001122334455
check "bad argument: --attack replay,replay" bad "$PHONE_SIM" "--attack: \"replay,replay\": a kind given twice" \
	--server $CCM_ADDR --sid $A --attack replay,replay
check "bad argument: --attack drop" bad "$PHONE_SIM" "--attack: \"drop\": not a list of replay, flip and wrong-key" \
	--server $CCM_ADDR --sid $A --attack drop
check "bad argument: --attack-every without --attack" bad "$PHONE_SIM" "--attack-every: needs --attack" \
	--server $CCM_ADDR --sid $A --attack-every 5
check "bad argument: --rtp-seq 65536" bad "$PHONE_SIM" "--rtp-seq: \"65536\": not a number in 0..65535" \
	--server $CCM_ADDR --sid $A --rtp-seq 65536
check "bad argument: --rtcp 50" bad "$PHONE_SIM" "--rtcp: \"50\": not a number of milliseconds in 100..60000" \
	--server $CCM_ADDR --sid $A --rtcp 50
check "bad argument: pp-ccm-sim --packet-ms 5" bad "$CCM_SIM" "--packet-ms: \"5\": not a number in 10..60" \
	--packet-ms 5
# A raw client (python3): Register and two KeepAliveReq, one byte per TCP
# segment; the CallManager frames them and answers each.
byte_client() {
	ip netns exec "$NS_PHONE" python3 - $CCM_ADDR $PC <<-'EOF'
	import socket, struct, sys, time
	def pdu(mid, body):
	    return struct.pack('<III', len(body) + 4, 0, mid) + body
	name = b'SEP00000000D004'.ljust(16, b'\0')
	body = (name + struct.pack('<II', 0, 1) + socket.inet_aton(sys.argv[2]) +
	        struct.pack('<IIIBBHI', 115, 5, 0, 17, 0, 0, 1) + bytes(76))
	stream = pdu(0x0001, body) + pdu(0x0000, b'') + pdu(0x0000, b'')
	s = socket.create_connection((sys.argv[1], 2000), 5, (sys.argv[2], 0))
	s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
	for i in range(len(stream)):
	    s.send(stream[i:i + 1])
	    time.sleep(0.001)
	data = b''
	while len(data) < 32 + 12 + 12:
	    d = s.recv(4096)
	    if not d:
	        break
	    data += d
	ids, off = [], 0
	while off + 12 <= len(data):
	    length, hv, mid = struct.unpack_from('<III', data, off)
	    ids.append(mid)
	    if mid == 0x81:
	        proto = data[off + 12 + 16]
	    off += length + 8
	print('answers %s, RegisterAck protocol %d' % ([hex(i) for i in ids], proto))
	sys.exit(0 if ids == [0x81, 0x100, 0x100] and proto == 17 else 1)
	EOF
}
ccm_start bytes
check "one byte per TCP segment: Register and two keepalives framed and answered" byte_client
check "one byte per TCP segment: the device registered" \
	grep -q "^registered sid=SEP00000000D004 proto=17 " "$TMPD/bytes.out"
ccm_stop bytes

bad_commands() {
	local out
	out=$(ctl cmds dial $A) && return 1
	grep -q 'unknown command "dial"' <<< "$out" || { echo "$out"; return 1; }
	out=$(ctl cmds call $A $B) && return 1
	grep -q "$A: not registered" <<< "$out" || { echo "$out"; return 1; }
	out=$(ctl cmds calls 1) && return 1
	grep -q "0 idle registered phones, 2 needed" <<< "$out" || { echo "$out"; return 1; }
	out=$(ctl cmds call $A $B 70) && return 1
	grep -q "70: not a packet time in 10..60 ms" <<< "$out" || { echo "$out"; return 1; }
	out=$(ctl cmds wait registered 1 1) && return 1
	grep -q "timeout: registered=0" <<< "$out" || { echo "$out"; return 1; }
}
ccm_start cmds
check "bad commands: refused with the reason (unknown, not registered, too few, a packet time, timeout)" bad_commands
ccm_stop cmds

# A scenario on the command line (-e), and commands on stdin.
ip netns exec "$NS_CCM" "$CCM_SIM" --listen $CCM_ADDR -e "wait registered 2 20" \
	-e "call $A $B" -e "sleep 1000" -e "hangup" -e "call $A south" -e "sleep 1000" \
	-e "stats" -e "quit" > "$TMPD/script.out" 2> "$TMPD/script.err" &
spid=$!
phone_start script-a "$NS_PHONE" --server $CCM_ADDR --sid $A --bind $PA
pa=$PHONE_PID
phone_start script-b "$NS_PHONE" --server $CCM_ADDR --sid $B --bind $PB
pb=$PHONE_PID
wait $spid
rc=$?
check "script: -e commands run in order, each after the last one's answer; quit exits 0 (rc $rc)" \
	eval "[ $rc = 0 ] && [ \$(grep -c '^ok' $TMPD/script.out) = 8 ] &&
	      grep -q '^call-up call=1 a=$A b=$B' $TMPD/script.out &&
	      grep -q '^call-up call=2 a=$A b=south' $TMPD/script.out &&
	      grep -q '^media-stats call=2 sid=south .*end=running' $TMPD/script.out"
kill -TERM $pa $pb
wait $pa $pb
ip netns exec "$NS_CCM" "$CCM_SIM" --listen $CCM_ADDR -e "call $A $B" -e quit \
	> "$TMPD/script-fail.out" 2>&1
rc=$?
check "script: a failing command ends the simulator with exit 1 (rc $rc)" \
	eval "[ $rc = 1 ] && grep -q '^error $A: not registered' $TMPD/script-fail.out"
out=$(printf 'wait registered 0\nstats\nquit\n' |
	ip netns exec "$NS_CCM" "$CCM_SIM" --listen $CCM_ADDR --stdin 2>&1)
rc=$?
check "stdin: commands answered on stdout, quit exits 0 (rc $rc)" \
	eval "[ $rc = 0 ] && grep -q '^ok registered=0$' <<< '$out' &&
	      grep -q '^ok registered=0 calls=0' <<< '$out'"

# 1000 phones in one process.
ccm_start big --quiet
start=$(date +%s%N)
phone_start big-phones "$NS_PHONE" --server $CCM_ADDR --sid-base SEP001122330000 --count 1000 --bind $PA --quiet
pbig=$PHONE_PID
check "1000 phones in one process register" ctl big wait registered 1000 300
ms=$((($(date +%s%N) - start) / 1000000))
line=$(line_of "$TMPD/big-phones.out" all-registered "")
diag "1000 phones registered in $(field "$line" time_ms) ms (phone sim), $ms ms with process start"
check "1000 phones: the phone sim reports all registered" test -n "$line"
check "1000 phones: 100 calls between them and 50 to the south phone come up" \
	eval "ctl big calls 100 && ctl big calls 50 south"
check "1000 phones: hang up all 150" eval "ctl big hangup | grep -q 'hungup=150'"
kill -TERM $pbig
wait $pbig
line=$(line_of "$TMPD/big-phones.out" summary "")
diag "$line"
check "1000 phones: 250 streams ended, none with a bad packet" \
	eval "[ '$(field "$line" streams)' = 250 ] && [ '$(field "$line" rx_bad)' = 0 ]"
check "1000 phones unregister on SIGTERM" \
	eval "[ '$(field "$line" ever_registered)' = 1000 ] && [ '$(field "$line" registered)' = 0 ] &&
	      [ '$(field "$line" failed)' = 0 ]"
check "1000 phones: the CallManager has none registered any more" \
	eval "ctl big stats | grep -q '^ok registered=0 '"
ccm_stop big
check "1000 phones: the CallManager saw 1000 register" \
	grep -q "^summary registered=0 ever_registered=1000 " "$TMPD/big.out"
check "no simulator wrote to stderr" eval "! grep -H . $TMPD/*.err"

tap_done
