#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Security transcoding (issue 14; the guide's "Encrypted Communications":
# SRTP toward the remote phones, plain RTP toward the CallManager side):
# four secure remote phones (SCCP over TLS through pp-tlsd, as
# secure_sccp_call.sh) and one south phone, three calls of $CALL_S seconds
# at the same time (one call's length for the whole test), with the three
# packet times of the guide's known issue ("larger packet sizes with
# security"):
#
#   homer  192.0.2.10 (TLS) --+
#   marge  192.0.2.20 (TLS) --+
#   lisa   192.0.2.21 (TLS) --+ 192.0.2.1 [ pp-tlsd + module ] 198.51.100.1 --- ccm, south phone
#   maggie 192.0.2.22 (TLS) --+
#
#   1. homer <-> marge, 20 ms (hairpin: each leg its own keys, the relay
#      decrypts with one and encrypts with the other);
#   2. lisa <-> the south phone (a pp-phone-sim on the CallManager's
#      side), 30 ms, and maggie <-> the CallManager's own media endpoint
#      (south), 40 ms, which changes its SSRC at 40% of the call and comes
#      back to the first at 80% (A, B, A).
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
# receiver's check); homer (hairpin) and lisa (to the south phone) play
# the attacker all along (pp-phone-sim --attack: replayed packets, one
# flipped bit, another key, from its own address and port): the proxy
# drops each (show stats: its auth and replay counters grow by what homer
# and lisa sent) while the calls' audio goes on, and none reaches marge
# or the south phone. With tshark, captures
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
L=SEP00112233AA01		# lisa, a remote phone
G=SEP00112233AA02		# maggie, a remote phone
LISA=192.0.2.21			# lisa and maggie: addresses of marge's namespace
MAGGIE=192.0.2.22
TLSD=${TLSD:-$PP_OUT/userspace/tlsd/pp-tlsd}
require openssl jq
[ -x "$TLSD" ] || skip_all "pp-tlsd not built ($TLSD)"
# user_xml NAME SID ID: a <user> of users.xml (Appendix B), as the guide's marge.
user_xml() {
	printf '  <user id="%s" name="%s"><first>%s</first><last>simpson</last><ccmName>ccm</ccmName><sid>%s</sid><enabled>true</enabled></user>\n' \
		"$3" "$1" "$1" "$2"
}
call_lab "$(user_xml lisa $L 5c1e0a7b-2d4f-4e8a-9b6c-1a2b3c4d5e61)" \
	"$(user_xml maggie $G 5c1e0a7b-2d4f-4e8a-9b6c-1a2b3c4d5e62)"
ip -n "$NS_PHONE2" addr add $LISA/24 dev veth-ph &&
	ip -n "$NS_PHONE2" addr add $MAGGIE/24 dev veth-ph ||
	skip_all "cannot add lisa's and maggie's addresses"
pp set user active name lisa address $LISA
pp set user active name maggie address $MAGGIE

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
	cert marge CP-7961G-$B ca "${P256[@]}" &&
	cert lisa CP-7961G-$L ca "${P256[@]}" &&
	cert maggie CP-7961G-$G ca "${P256[@]}" ||
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
remote lisa "$NS_PHONE2" $L --bind $LISA --rtcp $RTCP_MS --rtp-seq $SEQ --attack replay,flip,wrong-key
remote maggie "$NS_PHONE2" $G --bind $MAGGIE --rtcp $RTCP_MS --rtp-seq $SEQ --ssrc-follow
phone_start south "$NS_CCM" --server $CCM --sid $C --bind $CCM --rtcp $RTCP_MS --rtp-seq $SEQ
# tls_verified NAME SID: the phone's TLS 1.2 session, the proxy verified.
tls_verified() { wait_for 30 grep -q "^tls sid=$2 .*verified=tls-ca" "$TMPD/$1.out"; }
check "homer, marge, lisa and maggie: TLS 1.2 to pp-tlsd, the proxy's certificate verified" \
	eval "tls_verified homer $A && tls_verified marge $B &&
	      tls_verified lisa $L && tls_verified maggie $G ||
	      { cat $TMPD/{homer,marge,lisa,maggie}.out; tail -n 5 $TMPD/tlsd.log; false; }"
check "the four remote phones and the south phone register" ctl ccm wait registered 5 30
check "the remote phones' SCCP is handed to the module (show stats: claimed)" \
	eval "[ \"\$(pp -j show stats | jq '.sccp.claimed')\" -ge 4 ]"

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

# ---- the calls, all three at once ---------------------------------------------
#   1. hairpin: homer <-> marge, 20 ms;
#   2. lisa <-> south phone (30 ms), maggie <-> the CallManager's endpoint (40 ms).

diag "homer <-> marge 20 ms, lisa <-> south phone 30 ms, maggie <-> south endpoint 40 ms, at once, ${CALL_S} s (${SECONDS}s)"
capture north "$NS_PHONE" veth-ph
north_cap=$CAP_PID
capture south "$NS_CCM" veth-ccm
south_cap=$CAP_PID
check "call homer marge (20 ms) comes up" ctl ccm call $A $B 20
check "call lisa south-phone (30 ms) comes up" ctl ccm call $L $C 30
# The CallManager's endpoint changes its SSRC at 40% of the call and
# comes back to the first at 80% (A, B, A), as a gateway or a media server may
# after a transfer or a hold on its side, with no new channel toward
# maggie: the relay keeps an index per SSRC toward her (docs/srtp.md).
check "call maggie south (40 ms, the CallManager's endpoint, its SSRC changing every $((CALL_S * 400)) ms) comes up" \
	ctl ccm call $G south 40 $((CALL_S * 400))
sleep "$CALL_S"
# each stream's packets dropped before its keys were ready (the pending
# rule, docs/srtp.md): the calls' first packets on a busy guest
diag "key pending: $(pp -j show calls | jq -r '.[] | "\(.user) \(.srtp.dropped_pending // "-")"' | tr '\n' ' ')"
check "hangup homer <-> marge" ctl ccm hangup $A
check "hangup lisa <-> south phone, maggie <-> south endpoint" ctl ccm hangup all
for CAP_PID in $north_cap $south_cap; do
	capture_end
done
h1=$(media_stats "$TMPD/homer.out" "sid=$A")
m1=$(media_stats "$TMPD/marge.out" "sid=$B")
l2=$(media_stats "$TMPD/lisa.out" "sid=$L")
g2=$(media_stats "$TMPD/maggie.out" "sid=$G")
c2=$(media_stats "$TMPD/south.out" "sid=$C")
s2=$(media_stats "$TMPD/ccm.out" "sid=south .*end=hangup")
# tshark decodes each capture (rtp_wire, sim.sh) while the checks below
# run: the UDP to homer's port north, to the south phone's south.
if [ -n "$south_cap" ]; then
	rtp_wire "$TMPD/north.pcap" "$(port_of "$(field "$h1" local)")" > "$TMPD/north.wire" &
	north_wire=$!
	rtp_wire "$TMPD/south.pcap" "$(port_of "$(field "$c2" local)")" > "$TMPD/south.wire" &
	south_wire=$!
fi

# ---- 1. hairpin: homer <-> marge, 20 ms ------------------------------------------

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

# ---- 2. lisa <-> south phone (30 ms), maggie <-> the CallManager's endpoint (40 ms) --

diag "lisa: $(field "$l2" srtp_tx) atk_replay=$(field "$l2" atk_replay) atk_flip=$(field "$l2" atk_flip) atk_wrong_key=$(field "$l2" atk_wrong_key)"
check "lisa (30 ms): SRTP both ways, zero auth failures, every packet decrypted" keyed "$l2"
check "maggie (40 ms): SRTP both ways, zero auth failures, every packet decrypted" keyed "$g2"
check "the south phone: plain RTP, no key" plain "$c2"
check "the CallManager's endpoint: plain RTP" plain "$s2"
check "lisa got the south phone's 30 ms RTP encrypted, the original bytes" \
	through "$l2" "$c2" 30 $NORTH
check "the south phone got lisa's packets decrypted to the bytes lisa sent, none of the attacks" \
	through "$c2" "$l2" 30 $SOUTH
check "maggie got the CallManager's 40 ms RTP encrypted, the original bytes" \
	through "$g2" "$s2" 40 $NORTH
check "the CallManager got maggie's 40 ms packets decrypted to the bytes she sent" \
	through "$s2" "$g2" 40 $SOUTH
check "the far end's SSRC changed mid-call and came back (A, B, A): maggie decrypted every packet of each source" \
	eval "[ \$(field '$s2' tx_ssrc_switches) -ge 2 ] &&
	      [ \$(field '$g2' rx_ssrc_changes) = \$(field '$s2' tx_ssrc_switches) ] ||
	      { echo 'switches: $(field "$s2" tx_ssrc_switches), changes seen: $(field "$g2" rx_ssrc_changes)'; false; }"
check "remote to south across the sequence wrap both ways (from $SEQ)" \
	eval "wrapped '$c2' '$l2' && wrapped '$l2' '$c2'"
check "RTCP: lisa's SRTCP reaches the south phone as plain RTCP (each SR whole)" \
	srtcp "$c2" "$l2" $((CALL_S / 2)) "$l2"
check "RTCP: the south phone's plain RTCP reaches lisa as SRTCP" \
	srtcp "$l2" "$c2" $((CALL_S / 2)) "$l2"
check "RTCP: maggie's SRTCP reaches the CallManager's endpoint as plain RTCP" \
	srtcp "$s2" "$g2" $((CALL_S / 2)) "$g2"
check "RTCP: the CallManager's plain RTCP reaches maggie as SRTCP" \
	srtcp "$g2" "$s2" $((CALL_S / 2)) "$g2"

if [ -n "$south_cap" ]; then
	# tshark decoded the UDP to homer's port as RTP: marge's SSRC, the
	# 160 bytes and the tag of the suite, no payload the plain pattern
	# (encrypted); to the south phone: lisa's SSRC, each payload the
	# plain pattern of its sequence number (the bytes lisa sent).
	case $(field "$h1" srtp_rx) in
	*_32) tag=4 ;;
	*) tag=10 ;;
	esac
	wait $north_wire $south_wire
	w=$(< "$TMPD/north.wire")
	diag "north, to homer: $w"
	check "tshark: north, marge's RTP to homer is SRTP (her SSRC, 160 + $tag bytes, no plain payload)" \
		eval "[[ '$w' == *' ssrcs=$(field "$m1" tx_ssrc) plain=0 lens=$((160 + tag))' ]] &&
		      [ $(field "$w" packets) -ge $((CALL_S * 25)) ]"
	w=$(< "$TMPD/south.wire")
	diag "south, to the south phone: $w"
	check "tshark: south, lisa's RTP to the south phone is plain, the original payload bytes (240, 30 ms)" \
		eval "[[ '$w' == *' ssrcs=$(field "$l2" tx_ssrc) plain=$(field "$w" packets) lens=240' ]] &&
		      [ $(field "$w" packets) -ge $((CALL_S * 1000 / 30 / 2)) ]"
elif debug_lane; then
	lane_skip "tshark: north SRTP, south plain RTP" "the wire format is checked on Debian's kernel"
fi

# ---- the proxy's counters ------------------------------------------------------

sent_auth=$(($(field "$h1" atk_flip) + $(field "$h1" atk_wrong_key) +
	     $(field "$l2" atk_flip) + $(field "$l2" atk_wrong_key)))
sent_replay=$(($(field "$h1" atk_replay) + $(field "$l2" atk_replay)))
pp show stats | sed -n "/^$SRTP_SECTION/,/^[a-z]/p" | sed 's/^/# /'
check "homer and lisa attacked: $sent_replay replays, $sent_auth flipped-bit or wrong-key packets" \
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
				  $(field "$l2" rx_packets) + $(field "$g2" rx_packets)))
diag "done (${SECONDS}s)"
pp set phoneproxy sccp security off
tap_done
