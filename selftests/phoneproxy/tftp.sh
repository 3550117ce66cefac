#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# pp-tftpd with real peers (guide: "Cisco Unified PhoneProxy Actions",
# "Activation", "Setting Up Open Activation Mode", "Special note on TFTP
# connections", "Httpproxy", Troubleshooting): Debian's tftpd-hpa is the
# CallManager's TFTP server, serving the real CallManager 4.1 file renamed
# to the users' SIDs and a multi-megabyte firmware file; tftp-hpa, atftp
# and curl are the phones.
source "$(dirname "$0")/lib.sh"
require ip nft python3 in.tftpd tftp atftp curl
PROBE="python3 $(dirname "$0")/tftp_probe.py"
DATA=$PP_TOP/userspace/tests/data/tftp
ORIG=$DATA/SEP001380AD9E5F.cnf.xml
[ -x "$TFTPD" ] || skip_all "pp-tftpd not built ($TFTPD)"
[ -r "$ORIG" ] || skip_all "test data missing ($ORIG)"

CCM_DOWN=198.51.100.20		# a host without TFTP (ICMP port unreachable)
CCM_SILENT=198.51.100.30	# a host that drops TFTP (no answer at all)
LOG=$TMPD/pp-tftpd.log
OUT=$TMPD/out
mkdir -p "$OUT"

setup_topology || { tap_result 1 "lab topology"; tap_done; }
ip -n "$NS_CCM" addr add $CCM_DOWN/24 dev veth-ccm
ip -n "$NS_CCM" addr add $CCM_SILENT/24 dev veth-ccm
nsx "$NS_CCM" nft -f - <<EOF
table ip silent {
	chain in {
		type filter hook input priority 0;
		ip daddr $CCM_SILENT udp dport 69 drop
	}
}
EOF

# The users: the lab's three, plus ned (his CallManager serves a broken
# file), lisa and maggie (CallManagers without TFTP) and the guide's
# AdHoCuSeR (SID SEP000000000000) for open mode.
write_users_xml "$TMPD/users.xml" '
  <user id="a1" name="ned"><ccmName>ccm</ccmName><sid>SEP00112233AA02</sid></user>
  <user id="a2" name="lisa"><ccmName>ccm-down</ccmName><sid>SEP00112233AA03</sid></user>
  <user id="a3" name="maggie"><ccmName>ccm-silent</ccmName><sid>SEP00112233AA04</sid></user>
  <user id="a4" name="AdHoCuSeR"><ccmName>ccm</ccmName><sid>SEP000000000000</sid></user>'
sed -i "0,/<\/ccm>/s||</ccm>\n  <ccm name=\"ccm-down\"><address>$CCM_DOWN</address></ccm>\n  <ccm name=\"ccm-silent\"><address>$CCM_SILENT</address></ccm>|" \
	"$TMPD/users.xml"
check "publish users with three CallManagers and AdHoCuSeR" pp publish "$TMPD/users.xml"

# The CallManager's TFTP server: tftpd-hpa, configured as Debian does it
# (tftpd-hpa.conf is an /etc/default/tftpd-hpa), in the CallManager netns.
ROOT=$TMPD/ccm-tftp
mkdir -p "$ROOT"
cp "$ORIG" "$ROOT/SEP001122334455.cnf.xml"		# homer
cp "$ORIG" "$ROOT/SEP0003E348E321.cnf.xml"		# marge
cp "$ORIG" "$ROOT/XMLDefault.cnf.xml"
head -c 600 "$ORIG" > "$ROOT/SEP00112233AA02.cnf.xml"	# ned: cut short
echo "CallManager's own trust list" > "$ROOT/CTLSEP001122334455.tlv"
echo "signed config" > "$ROOT/SEP001122334455.cnf.xml.sgn"
printf '<CiscoIPPhoneRingList></CiscoIPPhoneRingList>\n' > "$ROOT/RingList.xml"
# 2 MiB and a bit: a last block shorter than 512 and than 1428.
head -c $((2 * 1024 * 1024 + 333)) /dev/urandom > "$ROOT/P00308000400.bin"
ccm_tftpd "$ROOT"
check "tftpd-hpa serves the CallManager's files (control)" \
	wait_for 5 nsx "$NS_CCM" tftp $CCM -m binary -c get CTLSEP001122334455.tlv "$OUT/ctl.direct"

# pp-tftpd in the proxy's namespace, logging to a file; its settings in
# $PP_CONF_DIR/tftpd.conf, where ppctl set phoneproxy tftp ... keeps them.
cat > "$PP_CONF_DIR/tftpd.conf" <<EOF
# test settings: quick retransmissions, a 2 s bound on the CallManager
set phoneproxy tftp upstream timeout 2s
set phoneproxy tftp retransmit 500ms
set phoneproxy tftp cache timeout 60s
EOF
check "pp-tftpd accepts its settings (-t)" "$TFTPD" -t -c "$PP_CONF_DIR/tftpd.conf"
printf 'set phoneproxy tftp retries many\n' > "$TMPD/bad.conf"
out=$("$TFTPD" -t -e -c "$TMPD/bad.conf" 2>&1)
[ $? != 0 ] && printf '%s' "$out" | grep -q "bad.conf:1: \"retries\" value \"many\" is not a number"
tap_result $? "a bad setting is refused naming file, line, key and value"
ip netns exec "$NS_PROXY" "$TFTPD" -e 2> "$LOG" &
TFTPD_PID=$!
at_exit "kill $TFTPD_PID"
check "pp-tftpd listens on the north address, UDP 69" \
	wait_for 10 grep -q "Tftp: listening on $NORTH:69" "$LOG"
out=$(ip netns exec "$NS_PROXY" "$TFTPD" -e 2>&1)
[ $? != 0 ] && printf '%s' "$out" | grep -q "already runs in this network namespace"
tap_result $? "a second pp-tftpd in the same namespace is refused"
check "show stats reaches pp-tftpd in this namespace" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show stats | grep -q '^  requests  *0$'"
start_monitor

diag "$SECONDS s"
# ---- the rewrite of SEP<MAC>.cnf.xml ----
pp set user active name homer address $PHONE
get() {	# get NS CLIENT FILE OUTFILE [args]: fetch through the proxy
	local ns=$1 client=$2 file=$3 out=$4
	shift 4
	case $client in
	tftp) nsx "$ns" tftp $NORTH -m binary "$@" -c get "$file" "$out" ;;
	atftp) nsx "$ns" atftp "$@" -g -r "$file" -l "$out" $NORTH ;;
	curl) nsx "$ns" curl -sS "$@" -o "$out" "tftp://$NORTH/$file" ;;
	esac
}
check "tftp-hpa fetches the phone's configuration file" \
	get "$NS_PHONE" tftp SEP001122334455.cnf.xml "$OUT/homer.xml"
check "the served file is the expected rewrite, byte for byte" \
	cmp "$OUT/homer.xml" "$DATA/SEP001380AD9E5F.rewritten.cnf.xml"
# Independently of the expected file: which lines changed, and how.
changed=$(diff "$ORIG" "$OUT/homer.xml" | sed -n 's/^> //p')
[ -n "$changed" ] && ! printf '%s\n' "$changed" | grep -vE \
	'^<(processNodeName>192\.0\.2\.1|processNodeName>|[a-zA-Z]*URL>)</[a-zA-Z]*>$'
tap_result $? "only processNodeName and service URLs differ from the CallManager's file"
check "processNodeName is the proxy's north address" \
	grep -qx "<processNodeName>$NORTH</processNodeName>" "$OUT/homer.xml"
check_fail "no address of the CallManager is left in the served file" \
	grep -q '10\.102\.172\.11' "$OUT/homer.xml"
check "the CallManager's file does name it (control)" grep -q '10\.102\.172\.11' "$ORIG"
check "ethernetPhonePort stays 2000 while secure SCCP is off" \
	grep -qx '<ethernetPhonePort>2000</ethernetPhonePort>' "$OUT/homer.xml"
check "proxyServerURL is left alone while the HTTP proxy is off" \
	grep -qx '<proxyServerURL></proxyServerURL>' "$OUT/homer.xml"
check "atftp (blksize 1428) gets the same rewritten file" \
	sh -c "ip netns exec $NS_PHONE atftp --option 'blksize 1428' -g -r SEP001122334455.cnf.xml -l $OUT/homer.atftp $NORTH &&
	       cmp $OUT/homer.atftp $DATA/SEP001380AD9E5F.rewritten.cnf.xml"
check "curl tftp:// gets the same rewritten file" \
	sh -c "ip netns exec $NS_PHONE curl -sS -o $OUT/homer.curl tftp://$NORTH/SEP001122334455.cnf.xml &&
	       cmp $OUT/homer.curl $DATA/SEP001380AD9E5F.rewritten.cnf.xml"
check "a lower-case MAC matches the SID (fetched as SEP + upper case)" \
	sh -c "ip netns exec $NS_PHONE tftp $NORTH -m binary -c get sep001122334455.cnf.xml $OUT/lower.xml &&
	       cmp $OUT/lower.xml $DATA/SEP001380AD9E5F.rewritten.cnf.xml"
check "XMLDefault.cnf.xml is served rewritten too" \
	sh -c "ip netns exec $NS_PHONE tftp $NORTH -m binary -c get XMLDefault.cnf.xml $OUT/default.xml &&
	       cmp $OUT/default.xml $DATA/SEP001380AD9E5F.rewritten.cnf.xml"

diag "$SECONDS s"
# The guide's "Special note on TFTP connections".
out=$(nsx "$NS_PHONE" $PROBE $NORTH SEP001122334455.cnf.xml)
case $out in "DATA 1 512 from "*) [ "${out##* }" != 69 ] ;; *) false ;; esac
tap_result $? "a good request is answered from a new port ($out)"
out=$(nsx "$NS_PHONE" $PROBE $NORTH SEP0003E348E321.cnf.xml)
case $out in "ERROR 2 "*" from 69") true ;; *) false ;; esac
tap_result $? "an error to a request comes from port 69 ($out)"

diag "$SECONDS s"
# ---- per-SID access ----
out=$(get "$NS_PHONE" tftp SEP0003E348E321.cnf.xml "$OUT/marge.xml" 2>&1)
printf '%s' "$out" | grep -q 'Error code 2'
tap_result $? "another device's configuration file is an access violation"
check "the denial is logged with user, address and file" \
	grep -q "Tftp: denied user=homer sid=SEP001122334455 addr=$PHONE file=SEP0003E348E321.cnf.xml" "$LOG"
out=$(get "$NS_PHONE" tftp ITLSEP0003E348E321.tlv "$OUT/itl" 2>&1)
printf '%s' "$out" | grep -q 'Error code 2'
tap_result $? "another device's trust list is an access violation too"
out=$(get "$NS_PHONE" tftp CTLSEP001122334455.tlv "$OUT/ctl" 2>&1)
printf '%s' "$out" | grep -q 'Error code 1'
tap_result $? "CTLSEP<MAC>.tlv: file not found, never the CallManager's trust list"
out=$(get "$NS_PHONE" tftp SEP001122334455.cnf.xml.sgn "$OUT/sgn" 2>&1)
printf '%s' "$out" | grep -q 'Error code 1'
tap_result $? "a signed configuration file is not served (the phone falls back to .cnf.xml)"
out=$(nsx "$NS_PHONE" tftp $NORTH -m binary -c put "$OUT/homer.xml" SEP001122334455.cnf.xml 2>&1)
printf '%s' "$out" | grep -q 'Error code 2'
tap_result $? "a write request is refused"

diag "$SECONDS s"
# ---- the firmware file, intact, both block sizes ----
check "tftp-hpa fetches the 2 MiB firmware with the default 512-byte blocks" \
	get "$NS_PHONE" tftp P00308000400.bin "$OUT/fw.512"
check "the firmware arrives intact (512)" cmp "$OUT/fw.512" "$ROOT/P00308000400.bin"
check "atftp fetches the firmware with blksize 1428" \
	get "$NS_PHONE" atftp P00308000400.bin "$OUT/fw.1428" --option "blksize 1428"
check "the firmware arrives intact (1428)" cmp "$OUT/fw.1428" "$ROOT/P00308000400.bin"
check "the proxy granted blksize 1428 (OACK)" \
	sh -c "ip netns exec $NS_PHONE $PROBE $NORTH P00308000400.bin --blksize 1428 | grep -q '^OACK blksize 1428 '"

diag "$SECONDS s"
# ---- a dropped ACK is recovered ----
# On the wire (netdev egress): a drop in the IP output path would fail
# the client's sendto() instead of losing the packet.
nsx "$NS_PHONE" nft -f - <<'EOF'
table netdev dropack {
	set seen { type ipv4_addr; flags dynamic; }
	chain out {
		type filter hook egress device "veth-ph" priority 0;
		udp dport != 69 @th,64,16 4 @th,80,16 3 ip saddr @seen accept
		udp dport != 69 @th,64,16 4 @th,80,16 3 add @seen { ip saddr } counter drop
	}
}
EOF
before=$(nsx "$NS_PROXY" "$PPCTL" show stats | awk '$1 == "retransmits" { print $2 }')
check "with the phone's ACK of block 3 dropped, the file still arrives" \
	sh -c "ip netns exec $NS_PHONE tftp $NORTH -m binary -c get SEP001122334455.cnf.xml $OUT/drop.xml &&
	       cmp $OUT/drop.xml $DATA/SEP001380AD9E5F.rewritten.cnf.xml"
check "the ACK was really dropped (nft counter)" \
	sh -c "ip netns exec $NS_PHONE nft list table netdev dropack | grep -q 'counter packets 1 '"
after=$(nsx "$NS_PROXY" "$PPCTL" show stats | awk '$1 == "retransmits" { print $2 }')
[ "${after:-0}" -gt "${before:-0}" ]
tap_result $? "the proxy retransmitted the unacknowledged block ($before -> $after)"
nsx "$NS_PHONE" nft delete table netdev dropack

diag "$SECONDS s"
# ---- a non-activated address gets no answer at all ----
check "non-activated phone2: no answer at all, not even ICMP" \
	sh -c "ip netns exec $NS_PHONE2 $PROBE $NORTH SEP0003E348E321.cnf.xml --wait 3 | grep -qx NONE"
pp set user active name marge address $PHONE2
check "once marge is activated there, phone2 gets its file (control)" \
	sh -c "ip netns exec $NS_PHONE2 $PROBE $NORTH SEP0003E348E321.cnf.xml | grep -q '^DATA 1 512 from'"

diag "$SECONDS s"
# ---- CallManager trouble: an error within the bound ----
pp set user active name lisa address $PHONE2
t0=$(date +%s)
out=$(get "$NS_PHONE2" tftp SEP00112233AA03.cnf.xml "$OUT/lisa" 2>&1)
t1=$(date +%s)
printf '%s' "$out" | grep -q "Error code 0: CallManager $CCM_DOWN: no TFTP service"
tap_result $? "a CallManager without TFTP: the phone gets an error at once ($((t1 - t0))s)"
pp set user active name maggie address $PHONE2
t0=$(date +%s)
out=$(get "$NS_PHONE2" tftp SEP00112233AA04.cnf.xml "$OUT/maggie" 2>&1)
t1=$(date +%s)
printf '%s' "$out" | grep -q "Error code 0: CallManager $CCM_SILENT did not answer within 2000 ms"
tap_result $? "a silent CallManager: an error after upstream timeout 2s ($((t1 - t0))s)"
# tftp-hpa itself gives up only after 25 s: the error is the proxy's.
[ $((t1 - t0)) -lt 20 ]
tap_result $? "that error came before the client's own timeout"

diag "$SECONDS s"
# ---- a file that cannot be parsed is never passed on ----
pp set user active name ned address $PHONE2
out=$(get "$NS_PHONE2" tftp SEP00112233AA02.cnf.xml "$OUT/ned.xml" 2>&1)
printf '%s' "$out" | grep -q 'Error code 0: configuration file could not be rewritten'
tap_result $? "a broken configuration file gets the phone an error"
check_fail "none of it reaches the phone" grep -qs '10\.102\.172\.11' "$OUT/ned.xml"
check "the log says why (file, CallManager, user, parser's reason)" \
	grep -qE "Tftp: cannot rewrite SEP00112233AA02.cnf.xml from CallManager $CCM for $PHONE2 user=ned sid=SEP00112233AA02: line [0-9]+: .*; not served" "$LOG"

diag "$SECONDS s"
# ---- the HTTP proxy and secure SCCP in the rewrite ----
pp set phoneproxy httpproxy enable
pp set phoneproxy httpproxy allow http://10.102.172.11:8088/CCMCIP/xmldirectory.asp
pp set phoneproxy sccp security on
# The rewrite's reference names 2443 (test_tftp_rewrite asks for it); with
# secure SCCP the proxy writes 2000, the phone adding 443 (docs/tftp.md).
sed 's|<ethernetPhonePort>2443</ethernetPhonePort>|<ethernetPhonePort>2000</ethernetPhonePort>|' \
	"$DATA/SEP001380AD9E5F.rewritten-httpproxy.cnf.xml" > "$OUT/expect-secure.xml"
check "with the HTTP proxy and secure SCCP on, the file is rewritten for them" \
	sh -c "ip netns exec $NS_PHONE tftp $NORTH -m binary -c get SEP001122334455.cnf.xml $OUT/homer2.xml &&
	       grep -vx '<deviceSecurityMode>3</deviceSecurityMode>' $OUT/homer2.xml |
	       cmp - $OUT/expect-secure.xml"
check "and the device security mode is encrypted (3), one line before </device>" \
	sh -c "tail -n 2 $OUT/homer2.xml | head -n 1 | grep -qx '<deviceSecurityMode>3</deviceSecurityMode>'"
check "proxyServerURL names the proxy's HTTP proxy" \
	grep -qx "<proxyServerURL>http://$NORTH:8088</proxyServerURL>" "$OUT/homer2.xml"
check "a whitelisted service URL is kept" \
	grep -qx '<directoryURL>http://10.102.172.11:8088/CCMCIP/xmldirectory.asp</directoryURL>' "$OUT/homer2.xml"
check "a service URL not whitelisted is emptied" \
	grep -qx '<servicesURL></servicesURL>' "$OUT/homer2.xml"
check "ethernetPhonePort is 2000 with secure SCCP: the phone adds 443 (2443)" \
	grep -qx '<ethernetPhonePort>2000</ethernetPhonePort>' "$OUT/homer2.xml"
pp set phoneproxy sccp security off
pp set phoneproxy httpproxy disable

diag "$SECONDS s"
# ---- open activation mode ----
pp set user inactive name ned
pp set phoneproxy activation mode open
check "open mode: a non-activated phone fetching SEP<SID>.cnf.xml gets it" \
	sh -c "ip netns exec $NS_PHONE2 tftp $NORTH -m binary -c get SEP0003E348E321.cnf.xml $OUT/marge.open &&
	       cmp $OUT/marge.open $DATA/SEP001380AD9E5F.rewritten.cnf.xml"
check "and its user is activated there, reason open" \
	wait_event 5 "^activated user=marge sid=SEP0003E348E321 addr=$PHONE2 reason=open"
check "show user lists marge at phone2" show_user_has "^marge +SEP0003E348E321 +$PHONE2 "
check "the auto-activation is logged" \
	grep -q "Tftp: open mode: activated user=marge sid=SEP0003E348E321 addr=$PHONE2" "$LOG"
pp set user inactive name marge
check "open mode: AdHoCuSeR's CallManager fields a non-activated phone's generic file" \
	sh -c "ip netns exec $NS_PHONE2 tftp $NORTH -m binary -c get RingList.xml $OUT/ring.xml &&
	       cmp $OUT/ring.xml $ROOT/RingList.xml"
out=$(get "$NS_PHONE2" tftp SEP00AABBCCDDEE.cnf.xml "$OUT/nobody" 2>&1)
printf '%s' "$out" | grep -q 'Error code 2'
tap_result $? "open mode: a SID no user has is an access violation"
check_fail "and activates nobody" show_user_has " $PHONE2 "
pp set phoneproxy activation mode required

diag "$SECONDS s"
# ---- the cache ----
hits0=$(nsx "$NS_PROXY" "$PPCTL" show stats | awk '$1 == "cache_hits" { print $2 }')
get "$NS_PHONE" tftp RingList.xml "$OUT/ring2.xml"
hits1=$(nsx "$NS_PROXY" "$PPCTL" show stats | awk '$1 == "cache_hits" { print $2 }')
[ "${hits1:-0}" -gt "${hits0:-0}" ]
tap_result $? "a file fetched a moment ago comes from the cache ($hits0 -> $hits1)"

diag "$SECONDS s"
# ---- loglevel ----
check "set phoneproxy loglevel full" pp set phoneproxy loglevel full
check "pp-tftpd takes it at once" wait_for 5 grep -q "Tftp: loglevel full" "$LOG"
check "the loglevel is in the running configuration, saved like every setting" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show config running | grep -qx 'set phoneproxy loglevel full'"
get "$NS_PHONE" tftp RingList.xml "$OUT/ring3.xml"
check "full: packets are logged (OACK/ACK/cache lines)" \
	wait_for 5 grep -q "debug: Tftp: RingList.xml for $PHONE .*cache hit" "$LOG"
pp set phoneproxy loglevel min
wait_for 5 grep -q "Tftp: loglevel min" "$LOG"
d0=$(grep -c "Tftp: denied " "$LOG")
n0=$(grep -c "Tftp: served " "$LOG")
get "$NS_PHONE" tftp RingList.xml "$OUT/ring4.xml"
get "$NS_PHONE" tftp SEP0003E348E321.cnf.xml "$OUT/denied" >/dev/null 2>&1
check "min: denials are still logged" \
	wait_for 5 sh -c "[ \$(grep -c 'Tftp: denied ' $LOG) -gt $d0 ]"
sleep 1
n1=$(grep -c "Tftp: served " "$LOG")
[ "$n0" = "$n1" ]
tap_result $? "min: files served are not logged ($n0 lines before, $n1 after)"
pp set phoneproxy loglevel brief
wait_for 5 grep -q "Tftp: loglevel brief" "$LOG"
get "$NS_PHONE" tftp RingList.xml "$OUT/ring5.xml"
check "brief: they are again (control)" \
	wait_for 5 sh -c "[ \$(grep -c 'Tftp: served ' $LOG) -gt $n1 ]"

# ---- settings changed while pp-tftpd runs ----
check "set phoneproxy tftp maxtransfers 4000" pp set phoneproxy tftp maxtransfers 4000
check "a running pp-tftpd takes a changed setting at once (ppctl tells it)" \
	wait_for 5 grep -q "Tftp: settings of .*tftpd.conf taken: .*set phoneproxy tftp maxtransfers 4000" "$LOG"
cp "$PP_CONF_DIR/tftpd.conf" "$TMPD/tftpd.conf.good"
printf 'set phoneproxy tftp maxtransfers 4000\nset phoneproxy tftp retries many\n' \
	> "$PP_CONF_DIR/tftpd.conf"
kill -HUP "$TFTPD_PID"
check "a bad tftpd.conf re-read is refused naming file and line; the settings read before stay" \
	wait_for 5 grep -q "tftpd.conf:2: \"retries\" value \"many\" is not a number.*keeping the settings read before" "$LOG"
cp "$TMPD/tftpd.conf.good" "$PP_CONF_DIR/tftpd.conf"
get "$NS_PHONE" tftp RingList.xml "$OUT/ring6.xml"
cmp -s "$OUT/ring5.xml" "$OUT/ring6.xml" && [ -s "$OUT/ring6.xml" ]
tap_result $? "and pp-tftpd still serves"

diag "$SECONDS s"
# ---- the counters ----
check "show stats -j: every kind of outcome was counted" \
	sh -c "ip netns exec $NS_PROXY $PPCTL -j show stats | python3 -c '
import json, sys
t = json.load(sys.stdin)[\"tftp\"]
for k in (\"requests\", \"served\", \"rewritten\", \"bytes_sent\", \"denied_wrong_sid\",
          \"not_found_trust_list\", \"not_found_signed_config\", \"denied_write\",
          \"upstream_unreachable\", \"upstream_timeouts\", \"rewrite_failed\",
          \"auto_activations\", \"denied_unknown_sid\", \"retransmits\", \"cache_hits\"):
    assert t[k] > 0, (k, t)
assert t[\"served\"] < t[\"requests\"], t
'"

# ---- the SCCP registration with the rewritten file ----
# The phone simulator knows only the proxy's north address as its TFTP
# server: it must register with the CallManager through the proxy using
# what the rewritten file told it (processNodeName, ethernetPhonePort).
SIM=${PP_PHONE_SIM:-$PHONE_SIM}
CCM_SIM=${PP_CCM_SIM:-$CCM_SIM}
if [ -x "$SIM" ] && [ -x "$CCM_SIM" ] && grep -qw pp_sccp_net_init /proc/kallsyms; then
	pp set user active name homer address $PHONE
	ip netns exec "$NS_CCM" "$CCM_SIM" --listen $CCM > "$OUT/ccm-sim.out" 2>&1 &
	CCM_SIM_PID=$!
	at_exit "kill $CCM_SIM_PID"
	wait_for 5 sh -c "ip netns exec $NS_CCM ss -ltn | grep -q '$CCM:2000'"
	nsx "$NS_PHONE" timeout 30 "$SIM" --tftp $NORTH --sid SEP001122334455 \
		--duration 3 > "$OUT/phone-sim.out" 2>&1
	grep -v media "$OUT/phone-sim.out" | head -n 8 | sed 's/^/# phone: /'
	check "the phone simulator reads the rewritten file: its CallManager is the proxy" \
		grep -qE "^tftp .*sid=SEP001122334455 .*callmanager=$NORTH(:2000)?( |$)" "$OUT/phone-sim.out"
	check "and registers through the proxy with only that (RegisterAck)" \
		grep -qE "^registered .*sid=SEP001122334455 .*server=$NORTH:2000( |$)" "$OUT/phone-sim.out"
	check "the CallManager sees the registration from the proxy's south address" \
		grep -qE "^registered .*sid=SEP001122334455 .*peer=$SOUTH:" "$OUT/ccm-sim.out"
else
	tap_result 0 "the phone simulator registers using the rewritten file # SKIP simulators or the module's SCCP proxy not built"
fi

kill $TFTPD_PID
check "pp-tftpd stops on SIGTERM" wait_for 5 grep -q "Tftp: stopping on signal 15" "$LOG"
wait $TFTPD_PID
tap_result $? "and exits with status 0"
check "and logged no error" sh -c "! grep -E 'pp-tftpd: (Tftp: )?(cannot|netlink)' $LOG | grep -v 'cannot rewrite'"

diag "$SECONDS s"
# ---- issue 12 item 6: one address cannot hold the transfer slots ----
# An activated phone's address opens 12 read requests for the firmware,
# each asking timeout=255 (RFC 2349) and never ACKing: before, each held
# a slot for up to 25 minutes and 12 filled maxtransfers 6. Now 4 start
# (maxtransfers peraddress), the excess gets a TFTP error, the timeout
# is declined (maxtimeout), the 4 end by transferlifetime (20 s here,
# retries 50 so that only the lifetime can end them), and a phone at
# another address still gets its file meanwhile.
LOG2=$TMPD/pp-tftpd-slots.log
printf 'set phoneproxy tftp %s\n' 'upstream timeout 2s' 'retransmit 500ms' 'retries 50' \
	'maxtransfers 6' 'maxtransfers peraddress 4' 'transferlifetime 20s' 'maxtimeout 5' \
	> "$TMPD/slots.conf"
ip netns exec "$NS_PROXY" "$TFTPD" -e -c "$TMPD/slots.conf" 2> "$LOG2" &
TFTPD_PID=$!
at_exit "kill $TFTPD_PID"
check "slots: pp-tftpd listens with maxtransfers 6, 4 per address, 20 s lifetime" \
	wait_for 10 grep -q "Tftp: listening on $NORTH:69" "$LOG2"
pp set user active name homer address $PHONE >/dev/null 2>&1
pp set user active name marge address $PHONE2 >/dev/null 2>&1
nsx "$NS_PHONE" $PROBE $NORTH P00308000400.bin --count 12 --timeout 255 --hold 90 \
	> "$OUT/attack.out" 2>&1 &
ATTACK_PID=$!
check "slots: the attacker's excess is refused at once (8 log lines)" \
	wait_for 30 sh -c "[ \$(grep -c 'transfers in progress from this address' $LOG2) = 8 ]"
check "slots: a phone at another address gets its file during the attack" \
	sh -c "ip netns exec $NS_PHONE2 tftp $NORTH -m binary -c get SEP0003E348E321.cnf.xml $OUT/marge.slots &&
	       cmp $OUT/marge.slots $DATA/SEP001380AD9E5F.rewritten.cnf.xml"
check_fail "slots: ... while the attacker's transfers were still held (none ended yet)" \
	grep -q "ended after transferlifetime" "$LOG2"
wait $ATTACK_PID
sed 's/^/# attacker: /' "$OUT/attack.out"
check "slots: 4 of the attacker's requests started" grep -qx "STARTED 4" "$OUT/attack.out"
check "slots: 8 were refused with a TFTP error from port 69" \
	grep -qx "REFUSED 8 too many transfers from this address, try again" "$OUT/attack.out"
check "slots: the 4 ended by transferlifetime, with a TFTP error" \
	grep -qx "ENDED 4 transfer took too long" "$OUT/attack.out"
check "slots: none was left open" grep -qx "OPEN 0" "$OUT/attack.out"
check "slots: show stats counts each refusal" \
	sh -c "ip netns exec $NS_PROXY $PPCTL -j show stats | python3 -c '
import json, sys
t = json.load(sys.stdin)[\"tftp\"]
assert t[\"refused_per_address\"] == 8, t
assert t[\"transfer_lifetime_expired\"] == 4, t
assert t[\"timeout_option_declined\"] == 4, t
assert t[\"refused_busy\"] == 0, t
assert t[\"transfers_active\"] == 0, t
'"
kill $TFTPD_PID
wait $TFTPD_PID
tap_result $? "slots: pp-tftpd exits with status 0"
# ---- end of issue 12 item 6 ----
tap_done
