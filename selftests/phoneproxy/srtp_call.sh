#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Security transcoding (issue 14; the guide's "Encrypted Communications":
# SRTP toward the remote phones, plain RTP toward the CallManager side):
# two secure remote phones (SCCP over TLS through pp-tlsd, as
# secure_sccp_call.sh) and one south phone, calls of $CALL_S seconds each,
# with the three packet times of the guide's known issue ("larger packet
# sizes with security"):
#
#   homer 192.0.2.10 (TLS) --+
#   marge 192.0.2.20 (TLS) --+ 192.0.2.1 [ pp-tlsd + module ] 198.51.100.1 --- ccm, south phone
#
#   1. homer <-> marge, 20 ms (hairpin: each leg its own keys, the relay
#      decrypts with one and encrypts with the other);
#   2. at the same time: homer <-> the south phone (a pp-phone-sim on the
#      CallManager's side), 30 ms, and marge <-> the CallManager's own
#      media endpoint (south), 40 ms, which changes its SSRC at 40% of
#      the call and comes back to the first at 80% (A, B, A).
#
# The CallManager sends zero key blocks (no --srtp): the keys the phones
# use are the module's. Checks: each remote phone keyed both ways (its
# libsrtp2 sessions from the key blocks the module wrote), every packet
# authenticated and decrypted to the original payload, none lost, zero
# auth failures and replays; the south side plain RTP (no key, no srtp_
# counters) with payload bytes identical to what the remote phone sent
# (the sims' pattern check, rtp.c); every phone's RTP from sequence
# number 65536 minus half the packets of a 40 ms stream, so each call
# crosses the wrap; RTCP every second on every stream:
# SRTCP north, plain RTCP south, each sender report whole at the far end
# (an SR still encrypted, or encrypted twice, is refused by the
# receiver's check); homer plays the attacker all along (pp-phone-sim
# --attack: replayed packets, one flipped bit, another key, from its own
# address and port): the proxy drops each (show stats: its auth and
# replay counters grow by what homer sent) while the call's audio goes
# on, and none reaches marge or the south phone. With tshark, captures
# of both sides: north SRTP (the tag, no plain payload), south plain RTP
# with the original payload bytes.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"

# The proxy's SRTP counters in `ppctl -j show stats` (section, keys):
# the only place the names are written.
SRTP_SECTION=srtp
SRTP_PROTECTED=protected	# packets encrypted toward the phones
SRTP_UNPROTECTED=unprotected	# packets authenticated and decrypted from them
SRTP_AUTH_FAIL=dropped_auth	# dropped: authentication failed
SRTP_REPLAY=dropped_replay	# dropped: replayed or too old

# The debug-kernel lane (PP_LANE=debug) runs the same calls for 10 s and
# leaves out the captures: what it is for is the relay's SRTP paths under
# KASAN, kmemleak and lockdep, and the wire format is the Debian lane's.
if debug_lane; then
	CALL_S=${CALL_S:-10}
else
	CALL_S=${CALL_S:-60}
fi
RTCP_MS=1000			# every stream's RTCP sender reports (--rtcp)
# every phone's first RTP sequence number: each call crosses the wrap
# half way through its slowest (40 ms) stream, whatever $CALL_S
SEQ=$((65536 - CALL_S * 1000 / 40 / 2))
PORT=2443
C=SEP00000000C003		# the south phone
TLSD=${TLSD:-$PP_OUT/userspace/tlsd/pp-tlsd}
require openssl jq
[ -x "$TLSD" ] || skip_all "pp-tlsd not built ($TLSD)"
call_lab

# ---- secure SCCP: certificates, pp-tlsd -----------------------------------

# The proxy's certificate (RSA: the phones' ECDHE-RSA suites), a CA (EC) and
# the phones' certificates it issues (CN CP-7961G-<SID>: the kernel checks
# the SID a phone registers against it).
cert() {	# cert NAME SUBJECT ISSUER|"" -newkey args...
	local name=$1 subject=$2 sign=(-x509 -days 2)
	[ -n "$3" ] && sign=(-CA "$TMPD/$3.crt" -CAkey "$TMPD/$3.key" -days 2)
	shift 3
	openssl req "${sign[@]}" -newkey "$@" -nodes -subj "/CN=$subject" \
		-keyout "$TMPD/$name.key" -out "$TMPD/$name.crt" 2>/dev/null
}
P256=(ec -pkeyopt ec_paramgen_curve:P-256)
mkdir -m 0700 -p "$PP_STATE_DIR/certs"
cert proxy tftp-srtp-call "" rsa:2048 &&
	cat "$TMPD/proxy.key" "$TMPD/proxy.crt" > "$PP_STATE_DIR/certs/tftp.pem" &&
	cert ca "phoneproxy srtp CA" "" "${P256[@]}" &&
	cert homer CP-7961G-$A ca "${P256[@]}" &&
	cert marge CP-7961G-$B ca "${P256[@]}" ||
	skip_all "openssl cannot make the test certificates (req -CA: OpenSSL 3)"
printf 'set phoneproxy sccp security cafile %s\n' "$TMPD/ca.crt" > "$PP_CONF_DIR/tlsd.conf"
ip netns exec "$NS_PROXY" "$TLSD" -e 2> "$TMPD/tlsd.log" &
at_exit "kill $!"
pp set phoneproxy sccp security on
check "sccp security on: pp-tlsd listens on $NORTH:$PORT" \
	wait_for 10 grep -q "listening on $NORTH:$PORT" "$TMPD/tlsd.log"

# ---- the phones -------------------------------------------------------------

ccm_start ccm --call-timeout 20 --rtcp $RTCP_MS || skip_all "pp-ccm-sim does not start"
# remote NAME NS SID args...: a secure remote phone, TLS 1.2 with its
# certificate, the proxy's certificate its trust anchor.
remote() {
	local name=$1 ns=$2 sid=$3
	shift 3
	phone_start "$name" "$ns" --server $NORTH:$PORT --sid "$sid" --tls 1.2 \
		--tls-ca "$TMPD/proxy.crt" --tls-cert "$TMPD/$name.crt" \
		--tls-key "$TMPD/$name.key" "$@"
}
remote homer "$NS_PHONE" $A --rtcp $RTCP_MS --rtp-seq $SEQ --attack replay,flip,wrong-key
remote marge "$NS_PHONE2" $B --rtcp $RTCP_MS --rtp-seq $SEQ --ssrc-follow
phone_start south "$NS_CCM" --server $CCM --sid $C --bind $CCM --rtcp $RTCP_MS --rtp-seq $SEQ
check "homer and marge: TLS 1.2 to pp-tlsd, the proxy's certificate verified" \
	eval "wait_for 30 grep -q '^tls sid=$A .*verified=tls-ca' $TMPD/homer.out &&
	      wait_for 30 grep -q '^tls sid=$B .*verified=tls-ca' $TMPD/marge.out ||
	      { cat $TMPD/homer.out $TMPD/marge.out; tail -n 5 $TMPD/tlsd.log; false; }"
check "the two remote phones and the south phone register" ctl ccm wait registered 3 30
check "the remote phones' SCCP is handed to the module (show stats: claimed)" \
	eval "[ \"\$(pp -j show stats | jq '.sccp.claimed')\" -ge 2 ]"

# ---- what the checks read --------------------------------------------------

# srtp_stat KEY: the proxy's SRTP counter KEY (show stats -j).
srtp_stat() {
	pp -j show stats | jq -r --arg s "$SRTP_SECTION" --arg k "$1" '.[$s][$k] // empty'
}

# keyed LINE: a remote phone's stream, SRTP both ways under the keys the
# module wrote (the CallManager sent none): srtp_ok (sim.sh) of its own
# line, both directions.
keyed() { srtp_ok "$1" "$1" 'AES_CM_128_HMAC_SHA1_(32|80)'; }

# plain LINE: a south stream: no key, no SRTP counters.
plain() {
	! grep -q ' srtp_' <<< "$1" || { echo "SRTP on the south side: $1"; return 1; }
}

# through RECEIVER SENDER MS FROM: the sender's packets of MS ms, from a
# relay port of FROM, nothing lost, duplicated or foreign, the payload
# bytes the sender put in (rx_bad_payload, rx_bad_len 0), at least half
# of a $CALL_S s call (an emulated guest's sender misses ticks: 2544 of
# 3000 seen).
through() {
	rx_ok "$1" "$2" $((CALL_S * 1000 / $3 / 2)) "$4"
}

# srtcp R S MIN REMOTE-LINE...: rtcp_ok (sim.sh), and each remote phone's
# line has its SRTCP counters (its stream was keyed: SRTCP, not RTCP).
srtcp() {
	local r=$1 s=$2 min=$3 l
	shift 3
	for l in "$@"; do
		[ -n "$(field "$l" srtcp_protected)" ] || { echo "no SRTCP: $l"; return 1; }
	done
	rtcp_ok "$r" "$s" "$min"
}

# dropped KEY BEFORE SENT STREAMS: the proxy's counter KEY grew from
# BEFORE by SENT, or short of it by at most one per stream (an attack of
# a stream's last tick, still in flight at hangup, is dropped for having
# no stream).
dropped() {
	local v
	v=$(srtp_stat "$1")
	[ -n "$v" ] || { echo "no $SRTP_SECTION.$1 in show stats -j"; return 1; }
	v=$((v - ${2:-0}))
	[ "$v" -le "$3" ] && [ "$v" -ge $(($3 - $4)) ] || { echo "dropped $v of $3"; return 1; }
	echo "dropped $v of $3"
}

# capture NAME NS IFACE: dumpcap of the UDP on IFACE into $TMPD/NAME.pcap
# when tshark is installed (the wire checks are skipped without it);
# $CAP_PID, empty without.
capture() {
	CAP_PID=
	debug_lane && return 0
	command -v dumpcap > /dev/null && command -v tshark > /dev/null || return 0
	nsx "$2" dumpcap -q -i "$3" -f udp -w "$TMPD/$1.pcap" 2> "$TMPD/$1.dumpcap" &
	CAP_PID=$!
	at_exit "kill $CAP_PID"
	until_ok 20 grep -q Capturing "$TMPD/$1.dumpcap"
}
capture_end() { [ -z "$CAP_PID" ] || { kill $CAP_PID; wait $CAP_PID; } 2>/dev/null; }
port_of() { echo "${1##*:}"; }

auth0=$(srtp_stat $SRTP_AUTH_FAIL)
replay0=$(srtp_stat $SRTP_REPLAY)

# ---- 1. hairpin: homer <-> marge, 20 ms ------------------------------------------

diag "homer <-> marge, 20 ms, ${CALL_S} s (${SECONDS}s)"
capture north "$NS_PHONE" veth-ph
north_cap=$CAP_PID
check "call homer marge (20 ms) comes up" ctl ccm call $A $B 20
sleep "$CALL_S"
check "hangup" ctl ccm hangup
h1=$(media_stats "$TMPD/homer.out" "sid=$A")
m1=$(media_stats "$TMPD/marge.out" "sid=$B")
diag "homer: $(field "$h1" srtp_tx) atk_replay=$(field "$h1" atk_replay) atk_flip=$(field "$h1" atk_flip) atk_wrong_key=$(field "$h1" atk_wrong_key)"
check "homer: SRTP both ways under the module's keys, zero auth failures, every packet decrypted" \
	keyed "$h1"
check "marge: SRTP both ways under the module's keys, zero auth failures, every packet decrypted" \
	keyed "$m1"
check "homer got marge's 20 ms packets through the hairpin (re-encrypted), the original bytes" \
	through "$h1" "$m1" 20 $NORTH
check "marge got homer's 20 ms packets, the original bytes, none of homer's attacks" \
	through "$m1" "$h1" 20 $NORTH
# wrapped RECEIVER SENDER: the sender's stream from $SEQ crossed the
# sequence wrap (the SRTP rollover counter, in the proxy both ways) and
# the receiver expected every packet it got.
wrapped() {
	[ "$(field "$2" tx_packets)" -gt $((65536 - SEQ)) ] &&
		[ "$(field "$1" rx_expected)" = "$(field "$1" rx_packets)" ] ||
		{ echo "sent $(field "$2" tx_packets) from $SEQ; expected $(field "$1" rx_expected), got $(field "$1" rx_packets)"; return 1; }
}
check "the hairpin across the sequence wrap both ways (from $SEQ)" \
	eval "wrapped '$m1' '$h1' && wrapped '$h1' '$m1'"
check "SRTCP homer -> marge through the hairpin: each sender report authenticated and decrypted" \
	srtcp "$m1" "$h1" $((CALL_S / 2)) "$m1" "$h1"
check "SRTCP marge -> homer through the hairpin: each sender report authenticated and decrypted" \
	srtcp "$h1" "$m1" $((CALL_S / 2)) "$m1" "$h1"

# ---- 2. homer <-> south phone (30 ms), marge <-> the CallManager's endpoint (40 ms) --

diag "homer <-> south phone 30 ms, marge <-> south endpoint 40 ms, ${CALL_S} s (${SECONDS}s)"
CAP_PID=$north_cap
capture_end
capture south "$NS_CCM" veth-ccm
check "call homer south-phone (30 ms) comes up" ctl ccm call $A $C 30
# The CallManager's endpoint changes its SSRC at 40% of the call and
# comes back to the first at 80% (A, B, A), as a gateway or a media server may
# after a transfer or a hold on its side, with no new channel toward
# marge: the relay keeps an index per SSRC toward her (docs/srtp.md).
check "call marge south (40 ms, the CallManager's endpoint, its SSRC changing every $((CALL_S * 400)) ms) comes up" \
	ctl ccm call $B south 40 $((CALL_S * 400))
sleep "$CALL_S"
check "hangup" ctl ccm hangup
h2=$(media_stats "$TMPD/homer.out" "sid=$A" 2)
m2=$(media_stats "$TMPD/marge.out" "sid=$B" 2)
c2=$(media_stats "$TMPD/south.out" "sid=$C")
s2=$(media_stats "$TMPD/ccm.out" "sid=south .*end=hangup")
check "homer (30 ms): SRTP both ways, zero auth failures, every packet decrypted" keyed "$h2"
check "marge (40 ms): SRTP both ways, zero auth failures, every packet decrypted" keyed "$m2"
check "the south phone: plain RTP, no key" plain "$c2"
check "the CallManager's endpoint: plain RTP" plain "$s2"
check "homer got the south phone's 30 ms RTP encrypted, the original bytes" \
	through "$h2" "$c2" 30 $NORTH
check "the south phone got homer's packets decrypted to the bytes homer sent, none of the attacks" \
	through "$c2" "$h2" 30 $SOUTH
check "marge got the CallManager's 40 ms RTP encrypted, the original bytes" \
	through "$m2" "$s2" 40 $NORTH
check "the CallManager got marge's 40 ms packets decrypted to the bytes she sent" \
	through "$s2" "$m2" 40 $SOUTH
check "the far end's SSRC changed mid-call and came back (A, B, A): marge decrypted every packet of each source" \
	eval "[ \$(field '$s2' tx_ssrc_switches) -ge 2 ] &&
	      [ \$(field '$m2' rx_ssrc_changes) = \$(field '$s2' tx_ssrc_switches) ] ||
	      { echo 'switches: $(field "$s2" tx_ssrc_switches), changes seen: $(field "$m2" rx_ssrc_changes)'; false; }"
check "remote to south across the sequence wrap both ways (from $SEQ)" \
	eval "wrapped '$c2' '$h2' && wrapped '$h2' '$c2'"
check "RTCP: homer's SRTCP reaches the south phone as plain RTCP (each SR whole)" \
	srtcp "$c2" "$h2" $((CALL_S / 2)) "$h2"
check "RTCP: the south phone's plain RTCP reaches homer as SRTCP" \
	srtcp "$h2" "$c2" $((CALL_S / 2)) "$h2"
check "RTCP: marge's SRTCP reaches the CallManager's endpoint as plain RTCP" \
	srtcp "$s2" "$m2" $((CALL_S / 2)) "$m2"
check "RTCP: the CallManager's plain RTCP reaches marge as SRTCP" \
	srtcp "$m2" "$s2" $((CALL_S / 2)) "$m2"

capture_end
if [ -n "$CAP_PID" ]; then
	# tshark decodes the UDP to homer's port as RTP: marge's SSRC, the
	# 160 bytes and the tag of the suite, no payload the plain pattern
	# (encrypted); to the south phone: homer's SSRC, each payload the
	# plain pattern of its sequence number (the bytes homer sent).
	case $(field "$h1" srtp_rx) in
	*_32) tag=4 ;;
	*) tag=10 ;;
	esac
	w=$(rtp_wire "$TMPD/north.pcap" "$(port_of "$(field "$h1" local)")")
	diag "north, to homer: $w"
	check "tshark: north, marge's RTP to homer is SRTP (her SSRC, 160 + $tag bytes, no plain payload)" \
		eval "[[ '$w' == *' ssrcs=$(field "$m1" tx_ssrc) plain=0 lens=$((160 + tag))' ]] &&
		      [ $(field "$w" packets) -ge $((CALL_S * 25)) ]"
	w=$(rtp_wire "$TMPD/south.pcap" "$(port_of "$(field "$c2" local)")")
	diag "south, to the south phone: $w"
	check "tshark: south, homer's RTP to the south phone is plain, the original payload bytes (240, 30 ms)" \
		eval "[[ '$w' == *' ssrcs=$(field "$h2" tx_ssrc) plain=$(field "$w" packets) lens=240' ]] &&
		      [ $(field "$w" packets) -ge $((CALL_S * 1000 / 30 / 2)) ]"
elif debug_lane; then
	lane_skip "tshark: north SRTP, south plain RTP" "the wire format is checked on Debian's kernel"
fi

# ---- the proxy's counters ------------------------------------------------------

sent_auth=$(($(field "$h1" atk_flip) + $(field "$h1" atk_wrong_key) +
	     $(field "$h2" atk_flip) + $(field "$h2" atk_wrong_key)))
sent_replay=$(($(field "$h1" atk_replay) + $(field "$h2" atk_replay)))
pp show stats | sed -n "/^$SRTP_SECTION/,/^[a-z]/p" | sed 's/^/# /'
check "homer attacked: $sent_replay replays, $sent_auth flipped-bit or wrong-key packets" \
	eval "[ $sent_replay -ge $CALL_S ] && [ $sent_auth -ge $CALL_S ]"
check "show stats: the proxy dropped each flipped bit and wrong key ($SRTP_SECTION $SRTP_AUTH_FAIL)" \
	dropped $SRTP_AUTH_FAIL "$auth0" $sent_auth 2
check "show stats: the proxy dropped each replay ($SRTP_SECTION $SRTP_REPLAY)" \
	dropped $SRTP_REPLAY "$replay0" $sent_replay 2
# at_least KEY N: the proxy's counter KEY is at least N.
at_least() {
	local v
	v=$(srtp_stat "$1")
	[ -n "$v" ] && [ "$v" -ge "$2" ] || { echo "$SRTP_SECTION.$1=${v:-absent}, want >= $2"; return 1; }
}
check "show stats: every packet the phones received decrypted by the proxy ($SRTP_UNPROTECTED)" \
	at_least $SRTP_UNPROTECTED $(($(field "$m1" rx_packets) + $(field "$h1" rx_packets) +
				    $(field "$c2" rx_packets) + $(field "$s2" rx_packets)))
check "show stats: every packet the remote phones received encrypted by the proxy ($SRTP_PROTECTED)" \
	at_least $SRTP_PROTECTED $(($(field "$h1" rx_packets) + $(field "$m1" rx_packets) +
				  $(field "$h2" rx_packets) + $(field "$m2" rx_packets)))
diag "done (${SECONDS}s)"
pp set phoneproxy sccp security off
tap_done
