#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# A phone behind a NAT router (issue 18 item 10; guide: "Special note on
# TFTP connections"): a home network namespace behind a router namespace
# that masquerades with nft, tftp-hpa in the home fetching the phone's
# configuration through pp-tftpd, in each `set phoneproxy tftp replyport`
# mode, with and without the kernel's TFTP conntrack helper on the router:
#
#   home 203.0.113.10 --- 203.0.113.1 [router, masquerade] 192.0.2.10 ---
#       --- 192.0.2.1 [proxy] 198.51.100.1 --- CallManager 198.51.100.10
#
# The router's public address is the phone's address as the proxy sees
# it: homer is activated there.
source "$(dirname "$0")/lib.sh"
require ip nft python3 in.tftpd tftp
PROBE="python3 $(dirname "$0")/tftp_probe.py"
DATA=$PP_TOP/userspace/tests/data/tftp
ORIG=$DATA/SEP001380AD9E5F.cnf.xml
WANT=$DATA/SEP001380AD9E5F.rewritten.cnf.xml
[ -x "$TFTPD" ] || skip_all "pp-tftpd not built ($TFTPD)"
[ -r "$ORIG" ] || skip_all "test data missing ($ORIG)"
modprobe nf_conntrack_tftp 2>/dev/null && modprobe nf_nat_tftp 2>/dev/null ||
	skip_all "no nf_conntrack_tftp/nf_nat_tftp modules"

NS_HOME=pp-home-$SFX
HOME_ADDR=203.0.113.10
LAN_GW=203.0.113.1
ROUTER=$PHONE			# the router's public address
LOG=$TMPD/pp-tftpd.log
OUT=$TMPD/out
mkdir -p "$OUT"

setup_topology || { tap_result 1 "lab topology"; tap_done; }
ip netns add "$NS_HOME" || skip_all "cannot create network namespaces"
at_exit "ip netns pids $NS_HOME | xargs -r kill; ip netns del $NS_HOME"
ip -n "$NS_HOME" link set lo up
ip link add veth-home netns "$NS_HOME" type veth peer name veth-lan netns "$NS_PHONE"
ip -n "$NS_HOME" addr add $HOME_ADDR/24 dev veth-home
ip -n "$NS_HOME" link set veth-home up
ip -n "$NS_HOME" route add default via $LAN_GW
ip -n "$NS_PHONE" addr add $LAN_GW/24 dev veth-lan
ip -n "$NS_PHONE" link set veth-lan up
nsx "$NS_PHONE" sysctl -q -w net.ipv4.ip_forward=1
# A plain home router: masquerade, nothing else (no TFTP helper).
nsx "$NS_PHONE" nft -f - <<EOF
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "veth-ph" counter masquerade
	}
}
EOF

write_users_xml "$TMPD/users.xml"
check "publish users" pp publish "$TMPD/users.xml"
pp set user active name homer address $ROUTER
pp set user active name marge address $PHONE2

ROOT=$TMPD/ccm-tftp
mkdir -p "$ROOT"
cp "$ORIG" "$ROOT/SEP001122334455.cnf.xml"
cp "$ORIG" "$ROOT/SEP0003E348E321.cnf.xml"
head -c $((100 * 1024 + 77)) /dev/urandom > "$ROOT/P00308000400.bin"
ccm_tftpd "$ROOT"

# The test's settings: the rest are the defaults, replyport auto among
# them. Each mode below is set as an administrator would (ppctl writes
# tftpd.conf and tells the daemon).
printf 'set phoneproxy tftp %s\n' 'upstream timeout 2s' 'cache timeout 60s' \
	'maxtransfers peraddress 4' > "$PP_CONF_DIR/tftpd.conf"
# Each line stamped with the time it was written (bash's own clock, no
# process per line), for the delays measured below.
mkfifo "$TMPD/tftpd.fifo"
while IFS= read -r l; do echo "$EPOCHREALTIME $l"; done < "$TMPD/tftpd.fifo" > "$LOG" &
ip netns exec "$NS_PROXY" "$TFTPD" -e 2> "$TMPD/tftpd.fifo" &
TFTPD_PID=$!
at_exit "kill $TFTPD_PID"
check "pp-tftpd listens on the north address, UDP 69" \
	wait_for 10 grep -q "Tftp: listening on $NORTH:69" "$LOG"

check "the default is replyport auto (show config running prints no line)" \
	sh -c "! ip netns exec $NS_PROXY $PPCTL show config running | grep -q replyport"
out=$(pp set phoneproxy tftp replyport 70 2>&1)
[ $? != 0 ] && printf '%s' "$out" | grep -q 'unknown word "70" (expected new-port|port69|auto)'
tap_result $? "a bad replyport is refused naming the value and the choices"

# replyport MODE: set it and wait until pp-tftpd took it.
n_taken=0
replyport() {
	n_taken=$(grep -c "settings of .* taken" "$LOG")
	pp set phoneproxy tftp replyport "$1" &&
		wait_for 5 sh -c "[ \$(grep -c 'settings of .* taken' $LOG) -gt $n_taken ]"
}
# fetch NS OUTFILE [REXMT TIMEOUT]: tftp-hpa, its retransmission timer and
# total timeout in seconds (default 5 and 25, tftp-hpa's own); prints the
# time it took in ms; fails unless the rewritten file arrived.
fetch() {
	local ns=$1 out=$2 rexmt=${3:-5} total=${4:-25} t0 t1
	rm -f "$out"
	t0=$(date +%s%N)
	printf 'mode octet\nrexmt %s\ntimeout %s\nget SEP001122334455.cnf.xml %s\nquit\n' \
		"$rexmt" "$total" "$out" | nsx "$ns" tftp $NORTH >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
	cmp -s "$out" "$WANT"
}
tstat() { nsx "$NS_PROXY" "$PPCTL" show stats | awk -v k="$1" '$1 == k { print $2 }'; }

diag "$SECONDS s"
# ---- 1. new-port, no helper: the problem ----
check "set phoneproxy tftp replyport new-port" replyport new-port
check "control: from the router itself (no NAT) the file arrives" \
	sh -c "ip netns exec $NS_PHONE tftp $NORTH -m binary -c get SEP001122334455.cnf.xml $OUT/router.xml &&
	       cmp $OUT/router.xml $WANT"
out=$(nsx "$NS_HOME" $PROBE $NORTH SEP001122334455.cnf.xml --wait 2)
[ "$out" = NONE ]
tap_result $? "new-port behind the router without a TFTP helper: the reply from a new port never arrives ($out)"
check "control: the request went out masqueraded (the router's nft counter)" \
	sh -c "ip netns exec $NS_PHONE nft list table ip nat | grep -qE 'counter packets [1-9]'"
ms=$(fetch "$NS_HOME" "$OUT/newport.xml" 1 2)
tap_result $(( $? == 0 )) "new-port: tftp-hpa behind the router gets no configuration (gave up after $ms ms)"
check "the proxy did send it: its transfers ended unanswered (ICMP from the router)" \
	sh -c "[ \$(ip netns exec $NS_PROXY $PPCTL show stats | awk '\$1 == \"transfer_aborted\" { print \$2 }') -ge 1 ]"

diag "$SECONDS s"
# ---- 2. auto: one retransmission, then port 69 for the address ----
check "set phoneproxy tftp replyport auto" replyport auto
l0=$(wc -l < "$LOG")
q0=$(tstat requests)
ms=$(fetch "$NS_HOME" "$OUT/auto.xml")
rc=$?
q1=$(tstat requests)
# The delay on the proxy's side, from its log's time stamps: the first
# request to the file served (a diagnostic; the checks count requests).
tail -n +$((l0 + 1)) "$LOG" | grep -E 'RRQ|refused|came again|served' | cut -c 1-160 | sed 's/^/#   /'
AUTO_LOG=$(tail -n +$((l0 + 1)) "$LOG" | awk '/SEP001122334455/ { if (!t0) t0 = $1; t1 = $1 }
	END { if (t0) printf "%d", (t1 - t0) * 1000 }')
diag "auto, first fetch (tftp-hpa's 5 s retransmission timer): $ms ms at the client, ${AUTO_LOG:-?} ms from the first request to the file served in pp-tftpd's log"
AUTO_FIRST=$ms
tap_result $rc "auto: tftp-hpa behind the router gets its configuration, byte for byte ($ms ms)"
[ $((q1 - q0)) = 2 ] && [ "$ms" -ge 4000 ] && [ "$ms" -lt 20000 ]
tap_result $? "auto: at the first retransmission of its request ($((q1 - q0)) requests, $ms ms with its 5 s timer)"
check "auto: the switch is logged with the file, address and port 69" \
	grep -q "Tftp: SEP001122334455.cnf.xml from $ROUTER:[0-9]* came again, .*answering $ROUTER from port 69 (replyport auto)" "$LOG"
[ "$(tstat replyport_switches)" = 1 ]
tap_result $? "auto: show stats counts one address switched ($(tstat replyport_switches))"
q0=$(tstat requests)
ms=$(fetch "$NS_HOME" "$OUT/auto2.xml")
rc=$?
q1=$(tstat requests)
AUTO_SECOND=$ms
tap_result $rc "auto: the next fetch of that address is answered from port 69 at once ($ms ms)"
[ $((q1 - q0)) = 1 ]
tap_result $? "auto: served at its first request, none repeated ($((q1 - q0)) request)"
out=$(nsx "$NS_HOME" $PROBE $NORTH SEP001122334455.cnf.xml)
case $out in "DATA 1 512 from 69") true ;; *) false ;; esac
tap_result $? "auto: the remembered address is answered from port 69 ($out)"
out=$(nsx "$NS_PHONE2" $PROBE $NORTH SEP0003E348E321.cnf.xml)
case $out in "DATA 1 512 from "*) [ "${out##* }" != 69 ] ;; *) false ;; esac
tap_result $? "auto: another address is still answered from a new port, as RFC 1350 says ($out)"
# A router that drops the stray reply silently (no ICMP): the proxy's
# transfer is still waiting when the request comes again, and switches to
# port 69 there and then. A new replyport starts afresh (no address on 69).
nsx "$NS_PHONE" nft -f - <<EOF
table ip quiet {
	chain in {
		type filter hook input priority filter;
		iifname "veth-ph" ip saddr $NORTH udp sport != 69 counter drop
	}
}
EOF
replyport new-port && replyport auto
a0=$(tstat transfer_aborted)
q0=$(tstat requests)
d0=$(tstat dropped_duplicate)
ms=$(fetch "$NS_HOME" "$OUT/auto3.xml")
rc=$?
AUTO_QUIET=$ms
tap_result $rc "auto, a router dropping silently: tftp-hpa gets its configuration ($ms ms)"
[ "$(tstat replyport_switches)" = 2 ] && [ "$(tstat transfer_aborted)" = "$a0" ] &&
	[ $(($(tstat requests) - q0)) = 1 ] && [ $(($(tstat dropped_duplicate) - d0)) = 1 ]
tap_result $? "auto: the waiting transfer itself went over to port 69 at the request's first retransmission (one request, one repeated, none aborted)"
check "control: the router did drop the reply from the new port (nft counter)" \
	sh -c "ip netns exec $NS_PHONE nft list table ip quiet | grep -qE 'counter packets [1-9]'"
nsx "$NS_PHONE" nft delete table ip quiet

diag "$SECONDS s"
# ---- 3. port69 always ----
check "set phoneproxy tftp replyport port69" replyport port69
check "show config running has it" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show config running | grep -qx 'set phoneproxy tftp replyport port69'"
q0=$(tstat requests)
ms=$(fetch "$NS_HOME" "$OUT/p69.xml")
rc=$?
q1=$(tstat requests)
P69_MS=$ms
tap_result $rc "port69: tftp-hpa behind the router gets its configuration, byte for byte ($ms ms)"
[ $((q1 - q0)) = 1 ]
tap_result $? "port69: served at its first request, none repeated ($((q1 - q0)) request)"
out=$(nsx "$NS_PHONE2" $PROBE $NORTH SEP0003E348E321.cnf.xml)
case $out in "DATA 1 512 from 69") true ;; *) false ;; esac
tap_result $? "port69: every address is answered from port 69 ($out)"
# Transfers told apart by the phone's address and port: two from the
# home (two ports of the router) and one from phone2 at once.
nsx "$NS_HOME" tftp $NORTH -m binary -c get P00308000400.bin "$OUT/fw.a" > /dev/null 2>&1 &
pa=$!
nsx "$NS_HOME" tftp $NORTH -m binary -c get P00308000400.bin "$OUT/fw.b" > /dev/null 2>&1 &
pb=$!
nsx "$NS_PHONE2" tftp $NORTH -m binary -c get P00308000400.bin "$OUT/fw.c" > /dev/null 2>&1 &
pc=$!
wait $pa; ra=$?
wait $pb; rb=$?
wait $pc; rc=$?
[ $ra = 0 ] && [ $rb = 0 ] && [ $rc = 0 ] && cmp -s "$OUT/fw.a" "$ROOT/P00308000400.bin" &&
	cmp -s "$OUT/fw.b" "$ROOT/P00308000400.bin" && cmp -s "$OUT/fw.c" "$ROOT/P00308000400.bin"
tap_result $? "port69: three concurrent 100 KiB transfers on port 69 (two from one address, one from another) each arrive intact"
# An attacker's address cannot hold more than maxtransfers peraddress
# (4 here) on port 69 either: 8 requests that never ACK.
r0=$(tstat refused_per_address)
out=$(nsx "$NS_PHONE2" $PROBE $NORTH P00308000400.bin --count 8 --hold 2)
printf '%s\n' "$out" | sed 's/^/# attacker: /'
printf '%s\n' "$out" | grep -qx "STARTED 4" &&
	printf '%s\n' "$out" | grep -qx "REFUSED 4 too many transfers from this address, try again"
tap_result $? "port69: an address asking 8 transfers at once holds 4 (maxtransfers peraddress), 4 refused"
[ $(($(tstat refused_per_address) - r0)) = 4 ]
tap_result $? "port69: show stats counts the 4 refusals"
check "port69: the held transfers end once the attacker is gone (ICMP to its ports)" \
	wait_for 25 sh -c "[ \$(ip netns exec $NS_PROXY $PPCTL show stats | awk '\$1 == \"transfers_active\" { print \$2 }') = 0 ]"

diag "$SECONDS s"
# ---- 4. new-port with the kernel's TFTP helper on the router ----
nsx "$NS_PHONE" nft -f - <<EOF
table ip helper {
	ct helper tftp {
		type "tftp" protocol udp;
	}
	chain pre {
		type filter hook prerouting priority filter;
		iifname "veth-lan" udp dport 69 counter ct helper set "tftp"
	}
}
EOF
check "set phoneproxy tftp replyport new-port" replyport new-port
out=$(nsx "$NS_HOME" $PROBE $NORTH SEP001122334455.cnf.xml --wait 2)
case $out in "DATA 1 512 from "*) [ "${out##* }" != 69 ] ;; *) false ;; esac
tap_result $? "with nf_conntrack_tftp + nf_nat_tftp on the router, the reply from a new port arrives ($out)"
ms=$(fetch "$NS_HOME" "$OUT/helper.xml")
rc=$?
HELPER_MS=$ms
tap_result $rc "new-port with the helper: tftp-hpa behind the router gets its configuration ($ms ms)"
check "the router attached the helper to the phone's requests (nft counter)" \
	sh -c "ip netns exec $NS_PHONE nft list table ip helper | grep -qE 'counter packets [1-9]'"

diag "measured: auto first fetch $AUTO_FIRST ms (${AUTO_LOG:-?} ms in the proxy; router dropping silently: $AUTO_QUIET ms), auto next $AUTO_SECOND ms, port69 $P69_MS ms, new-port with helper $HELPER_MS ms"
n_taken=$(grep -c "settings of .* taken" "$LOG")
pp unset phoneproxy tftp replyport
wait_for 5 sh -c "[ \$(grep -c 'settings of .* taken' $LOG) -gt $n_taken ]"
check "unset phoneproxy tftp replyport: back to auto, the default (no line in show config running, pp-tftpd told)" \
	sh -c "! ip netns exec $NS_PROXY $PPCTL show config running | grep -q replyport &&
	       ! grep -q replyport $PP_CONF_DIR/tftpd.conf &&
	       [ \$(grep -c 'settings of .* taken' $LOG) -gt $n_taken ]"
kill $TFTPD_PID
wait $TFTPD_PID
tap_result $? "pp-tftpd exits with status 0"
check "and logged no error" sh -c "! grep -E 'pp-tftpd: (Tftp: )?(cannot|netlink)' $LOG"
tap_done
