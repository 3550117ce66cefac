#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Shared helpers of the simulator-driven tests (docs/sim.md): starting
# pp-ccm-sim and pp-phone-sim in the lab's namespaces, reading their
# result lines ("event key=value ..."), checking the RTP a phone received,
# and what the proxy shows of it (show counters, show calls). Source it
# after lib.sh (which names CCM_SIM and PHONE_SIM); sourcing only defines
# functions.

# Skip the whole test when the simulators are not built.
require_sims() {
	[ -x "$CCM_SIM" ] && [ -x "$PHONE_SIM" ] || skip_all "simulators not built (make -C userspace)"
}

# call_lab [USER-XML...]: the lab of the call tests (or skip): the
# simulators, the module's SCCP proxy, the topology, the guide's users
# (and USER-XML, more <user> elements, for the caller to activate)
# published, homer ($A) active at $PHONE and marge ($B) at $PHONE2.
call_lab() {
	require ip python3 jq
	require_sims
	grep -qw pp_sccp_net_init /proc/kallsyms || skip_all "the module has no SCCP proxy"
	A=SEP001122334455
	B=SEP0003E348E321
	setup_topology || skip_all "cannot build the lab topology"
	write_users_xml "$TMPD/users.xml" "$@"
	pp publish "$TMPD/users.xml" >/dev/null || skip_all "cannot publish users"
	pp set user active name homer address $PHONE
	pp set user active name marge address $PHONE2
}

# ---- the simulators ----------------------------------------------------

# ccm_start NAME args...: pp-ccm-sim listening on $CCM, control socket
# $TMPD/NAME.sock, output in $TMPD/NAME.out and .err; $CCM_PID. Fails
# when the socket is not there within 10 s.
ccm_start() {
	local name=$1
	shift
	# ip netns exec execs: $! is the simulator itself (SIGSTOP reaches it).
	ip netns exec "$NS_CCM" "$CCM_SIM" --listen $CCM --control "$TMPD/$name.sock" "$@" \
		> "$TMPD/$name.out" 2> "$TMPD/$name.err" &
	CCM_PID=$!
	at_exit "kill -CONT $CCM_PID; kill $CCM_PID"
	wait_for 10 test -S "$TMPD/$name.sock"
}

# ctl NAME command...: one command to the pp-ccm-sim of ccm_start NAME.
ctl() { local name=$1; shift; "$CCM_SIM" --client "$TMPD/$name.sock" "$@"; }

# ccm_stop NAME: that pp-ccm-sim quits ($CCM_PID: the last one started).
ccm_stop() { ctl "$1" quit >/dev/null; wait "$CCM_PID"; }

# phone_start NAME NS args...: one pp-phone-sim in namespace NS (args as
# given: --server or --tftp included), output in $TMPD/NAME.out and
# .err; $PHONE_PID.
phone_start() {
	local name=$1 ns=$2
	shift 2
	ip netns exec "$ns" "$PHONE_SIM" "$@" > "$TMPD/$name.out" 2> "$TMPD/$name.err" &
	PHONE_PID=$!
	at_exit "kill -CONT $PHONE_PID; kill $PHONE_PID"
}

# ---- their result lines ------------------------------------------------

# field LINE KEY: the value of KEY in a result line ("event k=v k=v ...");
# the last one when KEY repeats, from the first line holding it. Plain
# bash: the checks call it dozens of times, and every process costs an
# emulated guest a lot (docs/testing.md, "Keeping the lanes short").
field() {
	local l
	while IFS= read -r l; do
		l=" $l"
		[[ $l == *" $2="* ]] || continue
		l=${l##*" $2="}
		printf '%s\n' "${l%%[[:space:]]*}"
		return 0
	done <<< "$1"
}

# line_of FILE EVENT WORD: the last line of FILE starting with EVENT and
# holding WORD (an extended regex).
line_of() { _re="^$2 .*$3" awk '$0 ~ ENVIRON["_re"] { l = $0 } END { if (l != "") print l }' "$1"; }

# has_lines FILE REGEX N: FILE has at least N lines matching REGEX.
has_lines() { [ "$(grep -cE "$2" "$1")" -ge "$3" ]; }

# The CallManager saw SID from the proxy's south address only: TCP
# source and RegisterReq's station address.
ccm_sees_south() {	# ccm_sees_south FILE SID
	local l
	l=$(line_of "$1" registered "sid=$2 ")
	[ -n "$l" ] || { echo "no registration of $2"; return 1; }
	case $(field "$l" peer) in
	$SOUTH:*) ;;
	*) echo "TCP source $(field "$l" peer), want $SOUTH:<port>"; return 1 ;;
	esac
	[ "$(field "$l" station)" = $SOUTH ] ||
		{ echo "station address $(field "$l" station), want $SOUTH"; return 1; }
	echo "$l"
}

# media_stats FILE WHAT [N]: the last media-stats line of FILE holding WHAT
# ("sid=$A", "sid=south .*end=hangup"), once there are N (default 1) of
# them: a stream's line comes when it ends, so this waits up to 5 s.
media_stats() {
	wait_for 5 has_lines "$1" "^media-stats .*$2" "${3:-1}"
	line_of "$1" media-stats "$2"
}

# ---- the RTP received --------------------------------------------------

# from_relay LINE ADDR: its RTP came from ADDR:<port> (a relay port).
from_relay() {
	case $(field "$1" rx_src) in
	"$2":*) return 0 ;;
	*) echo "rx_src=$(field "$1" rx_src), want $2:<port>"; return 1 ;;
	esac
}

# rx_clean RECEIVER_LINE SENDER_LINE: the receiver got the sender's RTP
# (its SSRC), nothing foreign or corrupted, and sent without error.
rx_clean() {
	local r=$1 s=$2 k
	for k in rx_bad_ssrc rx_bad_pt rx_bad_len rx_bad_payload rx_not_rtp rx_other_src tx_errors; do
		[ "$(field "$r" $k)" = 0 ] || { echo "$k=$(field "$r" $k): $r"; return 1; }
	done
	[ "$(field "$r" rx_ssrc)" = "$(field "$s" tx_ssrc)" ] ||
		{ echo "SSRC $(field "$r" rx_ssrc) != $(field "$s" tx_ssrc)"; return 1; }
}

# rx_ok RECEIVER_LINE SENDER_LINE MIN [FROM]: rx_clean, nothing lost or
# duplicated, at most 1% reordered, at least MIN packets. FROM, when given: an
# address, the RTP came from a relay port of it (from_relay); "sender",
# it came from the sender's own send address (no proxy in the path).
rx_ok() {
	local r=$1 s=$2 min=$3 from=$4 k
	for k in rx_lost rx_dup; do
		[ "$(field "$r" $k)" = 0 ] || { echo "$k=$(field "$r" $k): $r"; return 1; }
	done
	# The relay keeps order; an emulated guest's two vCPUs may not (a
	# sender moved between CPUs): at most 1% of the packets reordered,
	# none lost.
	for k in rx_gaps rx_reorder; do
		[ $(($(field "$r" $k) * 100)) -le "$(field "$r" rx_packets)" ] ||
			{ echo "$k=$(field "$r" $k): $r"; return 1; }
	done
	rx_clean "$r" "$s" || return 1
	case $from in
	"") ;;
	sender)
		[ "$(field "$r" rx_src)" = "$(field "$s" tx_from)" ] ||
			{ echo "source $(field "$r" rx_src) != $(field "$s" tx_from)"; return 1; } ;;
	*) from_relay "$r" "$from" || return 1 ;;
	esac
	[ "$(field "$r" rx_packets)" -ge "$min" ] ||
		{ echo "only $(field "$r" rx_packets) packets (want >= $min)"; return 1; }
	echo "rx_packets=$(field "$r" rx_packets) tx_packets=$(field "$s" tx_packets) rx_src=$(field "$r" rx_src)"
}

# ---- what the proxy shows ----------------------------------------------

# counter NAME: the value of NAME in show counters -j.
counter() { pp -j show counters | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

calls_json() { pp -j show calls; }
no_calls() { [ "$(calls_json)" = "[]" ]; }

# call_field USER KEY: KEY of USER's first stream in show calls -j.
call_field() {
	calls_json | jq -r --arg u "$1" --arg k "$2" \
		'first(.[] | select(.user == $u)) | .[$k]'
}

# user_field USER KEY: KEY of USER in show user -j.
user_field() {
	pp -j show user | jq -r --arg u "$1" --arg k "$2" \
		'first(.[] | select(.name == $u)) | .[$k]'
}

# ---- SRTP (pp-phone-sim keyed by SCCP), attacks, RTCP --------------------

# srtp_ok RECEIVER-LINE SENDER-LINE SUITE: the receiver's stream SRTP both
# ways under SUITE (an extended regex: 'AES_CM_128_HMAC_SHA1_(32|80)'),
# every packet it received authenticated and decrypted, no auth failure,
# replay or other SRTP failure, every packet the sender sent protected.
srtp_ok() {
	local r=$1 s=$2 suite=$3 k
	for k in srtp_tx srtp_rx; do
		[[ $(field "$r" $k) =~ ^($suite)$ ]] || { echo "$k=$(field "$r" $k): $r"; return 1; }
	done
	for k in srtp_auth_fail srtp_replay srtp_fail; do
		[ "$(field "$r" $k)" = 0 ] || { echo "$k=$(field "$r" $k): $r"; return 1; }
	done
	[ "$(field "$r" srtp_unprotected)" = "$(field "$r" rx_packets)" ] &&
		[ "$(field "$s" srtp_protected)" = "$(field "$s" tx_packets)" ] ||
		{ echo "unprotected $(field "$r" srtp_unprotected) of $(field "$r" rx_packets), protected $(field "$s" srtp_protected) of $(field "$s" tx_packets)"; return 1; }
	echo "srtp_tx=$(field "$r" srtp_tx) srtp_rx=$(field "$r" srtp_rx) srtp_protected=$(field "$s" srtp_protected) srtp_unprotected=$(field "$r" srtp_unprotected)"
}

# got_sent WHAT GOT SENT: a receiver got GOT of the SENT packets of a kind:
# all, or all but the last sending tick's (still in flight when its
# stream closed: the far end stops sending only at its own hangup).
got_sent() {
	[ "$2" -le "$3" ] && [ "$2" -ge $(($3 - 1)) ] ||
		{ echo "$1: got $2 of $3"; return 1; }
	echo "$1: got $2 of $3"
}

# attacks_dropped RECEIVER-LINE ATTACKER-LINE: the receiving phone's
# libsrtp2 dropped each of the attacker's packets (replays as replays,
# flipped bits and wrong keys as authentication failures), accepted none
# (no duplicate, none unprotected beyond the real packets), and lost no
# real packet.
attacks_dropped() {
	local r=$1 a=$2
	got_sent "replays dropped (srtp_replay)" "$(field "$r" srtp_replay)" "$(field "$a" atk_replay)" &&
	got_sent "flipped and wrong-key packets dropped (srtp_auth_fail)" "$(field "$r" srtp_auth_fail)" \
		$(($(field "$a" atk_flip) + $(field "$a" atk_wrong_key))) &&
	got_sent "real packets unprotected" "$(field "$r" srtp_unprotected)" "$(field "$a" tx_packets)" ||
		return 1
	[ "$(field "$r" srtp_fail)" = 0 ] && [ "$(field "$r" rx_dup)" = 0 ] && [ "$(field "$r" rx_lost)" = 0 ] &&
		[ "$(field "$r" srtp_unprotected)" = "$(field "$r" rx_packets)" ] ||
		{ echo "srtp_fail, rx_dup, rx_lost not 0 or a packet not unprotected: $r"; return 1; }
}

# rtcp_ok RECEIVER-LINE SENDER-LINE MIN: the sender (--rtcp) sent at
# least MIN RTCP sender reports, SRTCP when its stream is keyed (each
# protected), and the receiver got them (but the last one, maybe in
# flight at hangup), authenticated and decrypted each when its stream is
# keyed, and recognised each as an SR of the sender's SSRC.
rtcp_ok() {
	local r=$1 s=$2 min=$3
	[ "$(field "$s" rtcp_tx)" -ge "$min" ] && [ "$(field "$s" rtcp_tx_errors)" = 0 ] ||
		{ echo "sender: $s"; return 1; }
	if [ -n "$(field "$s" srtp_tx)" ] && [ "$(field "$s" srtp_tx)" != plain ]; then
		[ "$(field "$s" srtcp_protected)" = "$(field "$s" rtcp_tx)" ] ||
			{ echo "sender, not every report SRTCP: $s"; return 1; }
	fi
	got_sent "sender reports received (rtcp_rx)" "$(field "$r" rtcp_rx)" "$(field "$s" rtcp_tx)" || return 1
	[ "$(field "$r" rtcp_bad)" = 0 ] || { echo "receiver: $r"; return 1; }
	if [ -n "$(field "$r" srtp_rx)" ] && [ "$(field "$r" srtp_rx)" != plain ]; then
		[ "$(field "$r" srtcp_unprotected)" = "$(field "$r" rtcp_rx)" ] &&
			[ "$(field "$r" srtcp_auth_fail)" = 0 ] && [ "$(field "$r" srtcp_replay)" = 0 ] ||
			{ echo "receiver, SRTCP: $r"; return 1; }
	fi
}

# rtp_wire PCAP PORT: the RTP datagrams to PORT in PCAP, decoded by tshark
# as RTP: "packets=N ssrcs=S plain=P lens=L..." where plain counts the
# payloads that are the sims' pattern (rtp.c: byte i of sequence s is
# s * 31 + i), lens the distinct payload lengths (an SRTP tag included).
rtp_wire() {
	tshark -r "$1" -d udp.port=="$2",rtp -Y "udp.dstport == $2 && rtp" \
		-T fields -e rtp.ssrc -e rtp.seq -e rtp.payload 2>/dev/null | python3 -c '
import sys
n = plain = 0
ssrcs, lens = set(), set()
for line in sys.stdin:
    f = line.split("\t")
    if len(f) < 3:
        continue
    ssrc, seq, pay = f[0], int(f[1]), bytes.fromhex(f[2].strip().replace(":", ""))
    n += 1
    ssrcs.add(ssrc)
    lens.add(len(pay))
    if len(pay) % 8 == 0 and all(b == (seq * 31 + i) & 0xff for i, b in enumerate(pay)):
        plain += 1
print("packets=%d ssrcs=%s plain=%d lens=%s" % (n, ",".join(sorted(ssrcs)), plain,
      ",".join(str(l) for l in sorted(lens))))
'
}
