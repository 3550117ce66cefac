#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The guide's "Heartbeat" (docs/heartbeat.md): a heartbeat pair, nodes pp1
# (preferred) and pp2, each a network namespace with its own module state,
# its own pp-tftpd, pp-httpd and keepalived (started by ppctl, its files
# under the test's directory), its own host name (a UTS namespace per
# ppctl run). The virtual north address answers TFTP (from that address)
# and the activation page on exactly one node, the preferred one; when
# that node dies (its links cut) the other takes the address within 5 s
# and serves TFTP and activations there; the preferred node takes it
# back when it returns; "set heartbeat disable" on the holder hands it
# over within 5 s; with "manage tftp" a holder whose pp-tftpd dies gives
# it up. Bad heartbeat settings (and a virtual address that would break an
# enabled pair) are refused with the input and the reason.
#
#   phone 192.0.2.10 --- br-n --+-- pp1 192.0.2.1  (virtnorth 192.0.2.100)
#                               +-- pp2 192.0.2.2
#   ccm 198.51.100.10 -- br-s --+-- pp1 198.51.100.1 (virtsouth 198.51.100.100)
#                               +-- pp2 198.51.100.2
#                        br-c --+-- pp1 203.0.113.1 (cluster: VRRP by unicast)
#                               +-- pp2 203.0.113.2
source "$(dirname "$0")/lib.sh"
require ip unshare keepalived tftp curl python3 openssl jq
[ -x "$TFTPD" ] || skip_all "pp-tftpd not built ($TFTPD)"
[ -x "$HTTPD" ] || skip_all "pp-httpd not built ($HTTPD)"
# An emulated guest is ~50 times slower: a login's PBKDF2 (homer's legacy
# hash gets the default's on top) costs 10000 iterations here, not 600000
# (7-8 s a login in the guest; http.sh does the same).
export PP_PW_ITERATIONS=10000
T0=$(date +%s)
phase() { diag "$(($(date +%s) - T0)) s: $*"; }

NS_BR=pp-hbbr-$SFX
VN=192.0.2.100
VS=198.51.100.100
ORIG=$PP_TOP/userspace/tests/data/tftp/SEP001380AD9E5F.cnf.xml
node_ns() { echo "pp-hb$1-$SFX"; }
# on N CMD...: in node N's namespace, with its own files and host name
# (ip netns exec passes the environment on: no env(1) process, every exec
# costs in an emulated guest).
on() {
	local n=$1
	shift
	PP_CONF_DIR="$TMPD/pp$n/etc" PP_STATE_DIR="$TMPD/pp$n/state" \
		ip netns exec "$(node_ns "$n")" unshare --uts sh -c 'hostname "$0" && exec "$@"' \
		"pp$n" "$@"
}
ppn() { local n=$1; shift; on "$n" "$PPCTL" "$@"; }
other() { echo $((3 - $1)); }
# has_vn N: node N holds VN now (one exec: the loops below poll it).
has_vn() { [ -n "$(ip -n "$(node_ns "$1")" -4 -o addr show to "$VN" 2>/dev/null)" ]; }
# The nodes holding VN now ("1", "2", "1 2" or "").
holders() {
	local n h=
	for n in 1 2; do
		has_vn $n && h="$h${h:+ }$n"
	done
	echo "$h"
}
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
# wait_holder N LIMIT [T0]: until node N holds VN, at most LIMIT s after
# T0 (ms; default now); prints the ms it took since T0; then the other
# node must have let it go (a moment of both is VRRP's preemption).
wait_holder() {
	local n=$1 t0=${3:-$(now_ms)} t
	local end=$((t0 + $2 * 1000))
	until has_vn $n; do
		[ "$(now_ms)" -ge "$end" ] && { echo "timeout (holders: $(holders))"; return 1; }
		snooze 0.05
	done
	t=$(($(now_ms) - t0))
	echo $t
	[ $t -le $(($2 * 1000)) ] || return 1
	wait_for 5 eval '[ "$(holders)" = "$n" ]'
}

# ip -b: one process per namespace, not one per command (every exec
# costs in an emulated guest).
setup_net() {
	local n ns
	for ns in $NS_BR $NS_PHONE $NS_CCM $(node_ns 1) $(node_ns 2); do
		ip netns add "$ns" || skip_all "cannot create network namespaces"
	done
	at_exit "ip netns del $NS_BR"
	for n in 1 2; do
		at_exit "ip netns pids $(node_ns $n) | xargs -r kill -9; ip netns del $(node_ns $n)"
		mkdir -p "$TMPD/pp$n/etc" "$TMPD/pp$n/state"
	done
	{
		echo "link add eth0 netns $NS_PHONE type veth peer name phone netns $NS_BR"
		echo "link add eth0 netns $NS_CCM type veth peer name ccm netns $NS_BR"
		for n in 1 2; do
			for l in north:n south:s cluster:c; do
				echo "link add ${l%:*} netns $(node_ns $n) type veth peer name ${l#*:}$n netns $NS_BR"
			done
		done
	} | ip -b - || skip_all "no veth support"
	{
		for br in br-n br-s br-c; do
			echo "link add $br type bridge forward_delay 0 stp_state 0"
			echo "link set $br up"
		done
		echo "link set phone master br-n up"
		echo "link set ccm master br-s up"
		for n in 1 2; do
			echo "link set n$n master br-n up"
			echo "link set s$n master br-s up"
			echo "link set c$n master br-c up"
		done
	} | ip -n "$NS_BR" -b - || skip_all "no bridge support"
	printf 'link set lo up\naddr add %s/24 dev eth0\nlink set eth0 up\n' $PHONE |
		ip -n "$NS_PHONE" -b - || return 1
	printf 'link set lo up\naddr add %s/24 dev eth0\nlink set eth0 up\n' $CCM |
		ip -n "$NS_CCM" -b - || return 1
	for n in 1 2; do
		ns=$(node_ns $n)
		printf '%s\n' "link set lo up" "addr add 192.0.2.$n/24 dev north" \
			"addr add 198.51.100.$n/24 dev south" "addr add 203.0.113.$n/24 dev cluster" \
			"link set north up" "link set south up" "link set cluster up" |
			ip -n "$ns" -b - || return 1
		ip netns exec "$ns" sysctl -q -w net.ipv4.ip_forward=1
	done
}

# The keepalived logs, into the TAP stream and the guest's output folder.
ka_logs() {
	local n
	for n in 1 2; do
		[ -n "${PP_VM_OUT:-}" ] && cp "$TMPD/pp$n/state/heartbeat/keepalived.log" \
			"$PP_VM_OUT/heartbeat-pp$n-keepalived.log" 2>/dev/null
		tail -n "${1:-6}" "$TMPD/pp$n/state/heartbeat/keepalived.log" 2>/dev/null |
			sed "s/^/pp$n keepalived: /" | while read -r l; do diag "$l"; done
	done
}

# node_links N up|down: the node's three links cut (or back) at the
# bridges, in one command, as if it died: its side loses carrier. The
# cluster link first: a node that lost north first would still tell its
# peer (priority 0), which is a graceful stop, not a death.
node_links() {
	printf 'link set %s %s\n' c$1 "$2" n$1 "$2" s$1 "$2" | ip -n "$NS_BR" -b -
}

# tftp_from ADDR FILE: the source address of the first DATA answering an
# RRQ sent to ADDR:69 from the phone (then the transfer is ended).
tftp_from() {
	nsx "$NS_PHONE" python3 - "$1" "$2" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(4)
s.sendto(b"\0\1" + sys.argv[2].encode() + b"\0octet\0", (sys.argv[1], 69))
try:
    data, peer = s.recvfrom(2048)
except socket.timeout:
    print("NONE"); sys.exit(1)
op = struct.unpack("!H", data[:2])[0]
s.sendto(b"\0\5\0\0stop\0", peer)
print("DATA" if op == 3 else "OP%d" % op, peer[0])
sys.exit(0 if op == 3 else 1)
PY
}
tftp_get() { nsx "$NS_PHONE" tftp "$VN" -m binary -c get "$1" "$2"; }
activate() {	# activate USER PASSWORD: through the page at the virtual address
	nsx "$NS_PHONE" curl -sS --max-time 20 --data-urlencode "username=$1" \
		--data-urlencode "password=$2" --data-urlencode "address=$PHONE" \
		-d action=activate "http://$VN/"
}
active_on() { ppn "$1" show user | grep -Eq "^$2 +SEP[0-9A-F]+ +$PHONE "; }
hb_state() {	# hb_state N NAME: the heartbeat column of show interface -j
	ppn "$1" -j show interface | jq -r ".interfaces[] | select(.name == \"$2\") | .heartbeat"
}

setup_net || { tap_result 1 "the pair's network"; tap_done; }

# ---- the two nodes: the same users, the web page, the daemons ----
HOMER_PW='D0h!Homer'
HOMER_SEED=BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U
HOMER_HASH=$(printf '%s%s' "$HOMER_SEED" "$HOMER_PW" | openssl dgst -sha1 -binary | base64)
cat > "$TMPD/users.xml" <<XML
<users name="pp-test">
  <ccm name="ccm" default="true"><address>$CCM</address></ccm>
  <user id="568e3845-ecc3-4408-8cee-6ed731f35675" name="homer">
    <ccmName>ccm</ccmName><sid>SEP001122334455</sid><enabled>true</enabled>
    <seed>$HOMER_SEED</seed><hashPw>$HOMER_HASH</hashPw>
  </user>
</users>
XML
ROOT=$TMPD/ccm-tftp
mkdir -p "$ROOT"
cp "$ORIG" "$ROOT/SEP001122334455.cnf.xml"
ccm_tftpd "$ROOT"
ok=0
for n in 1 2; do
	printf '%s\n' "set interface north address 192.0.2.$n" \
		"set interface south address 198.51.100.$n" "publish $TMPD/users.xml" \
		"set phoneproxy http publish webpage" "set phoneproxy http publish webservice" \
		> "$TMPD/pp$n/setup"
	ppn $n -f "$TMPD/pp$n/setup" > /dev/null || ok=1
	on $n "$TFTPD" -e > "$TMPD/pp$n/tftpd.log" 2>&1 &
	on $n "$HTTPD" > "$TMPD/pp$n/httpd.log" 2>&1 &
done
tap_result $ok "both nodes: north, south, the same users.xml, the web page and the web service published"

# ---- the guide's steps, bad input first ----
phase "bad heartbeat settings"
out=$(ppn 1 set heartbeat group toolong-9 2>&1)
tap_result $([ $? = 2 ] && [[ $out == *'"group" value "toolong-9" is not a group name'*'8 bytes'* ]]; echo $?) \
	"a group name longer than keepalived's 8-byte VRRP password is refused, naming it ($out)"
out=$(ppn 1 set heartbeat peer 224.0.0.18 2>&1)
tap_result $([ $? != 0 ] && [[ $out == *'"heartbeat peer" value must be a unicast IPv4 address'* ]]; echo $?) \
	"a multicast peer is refused ($out)"
out=$(ppn 1 set heartbeat preferred -pp1 2>&1)
tap_result $([ $? = 2 ] && [[ $out == *'is not a host name'* ]]; echo $?) \
	"a preferred node that is not a host name is refused ($out)"
out=$(ppn 1 set interface virtnorth address 192.0.2.1 2>&1)
tap_result $([ $? != 0 ] && [[ $out == *'virtnorth virtual address'*'must differ from the north and south addresses'* ]]; echo $?) \
	"virtnorth equal to the north address is refused by the module ($out)"
out=$(ppn 1 set heartbeat enable 2>&1)
tap_result $([ $? != 0 ] && [[ $out == *'no virtnorth address (step 1'* ]]; echo $?) \
	"enable before step 1 is refused, naming the missing step ($out)"

phase "the guide's steps on both nodes"
ok=0
for n in 1 2; do
	printf '%s\n' "set interface virtnorth address $VN" "set interface virtsouth address $VS" \
		"set interface cluster address 203.0.113.$n" "set heartbeat group simpsons" \
		"set heartbeat peer 203.0.113.$(other $n)" > "$TMPD/pp$n/steps"	# steps 1-3
	ppn $n -f "$TMPD/pp$n/steps" || ok=1
done
tap_result $ok "virtnorth, virtsouth, cluster address, group and peer set on both nodes"
out=$(ppn 1 set heartbeat enable 2>&1)
tap_result $([ $? != 0 ] && [[ $out == *'no preferred node (step 5'* ]]; echo $?) \
	"enable without a preferred node is refused ($out)"
check "... and left nothing running: keepalived not started" \
	sh -c "! ip netns pids $(node_ns 1) | xargs -r ps -o comm= -p | grep -q keepalived"
ok=0
for n in 1 2; do
	ppn $n set heartbeat preferred pp1 || ok=1	# step 5 (step 4: below)
done
tap_result $ok "preferred pp1 on both nodes"
check "show config running holds the heartbeat's lines, enable last" \
	sh -c "ip netns exec $(node_ns 2) env PP_CONF_DIR=$TMPD/pp2/etc PP_STATE_DIR=$TMPD/pp2/state \
		$PPCTL show config running > $TMPD/running2 &&
	       grep -qx 'set interface virtnorth address $VN' $TMPD/running2 &&
	       grep -qx 'set interface cluster address 203.0.113.2' $TMPD/running2 &&
	       grep -qx 'set heartbeat group simpsons' $TMPD/running2 &&
	       grep -qx 'set heartbeat peer 203.0.113.1' $TMPD/running2 &&
	       grep -qx 'set heartbeat preferred pp1' $TMPD/running2"
check "step 6: set heartbeat enable on pp1 (keepalived -t accepts the configuration)" \
	ppn 1 set heartbeat enable
check "step 6: set heartbeat enable on pp2" ppn 2 set heartbeat enable
check "the configuration: one sync group, unicast to the peer, preferred priority on pp1" \
	sh -c "grep -q 'vrrp_sync_group pp_simpsons' $TMPD/pp1/etc/keepalived.conf &&
	       grep -A1 unicast_peer $TMPD/pp1/etc/keepalived.conf | grep -q 203.0.113.2 &&
	       grep -q 'priority 150' $TMPD/pp1/etc/keepalived.conf &&
	       grep -q 'priority 100' $TMPD/pp2/etc/keepalived.conf &&
	       grep -q '$VN/24 dev north' $TMPD/pp2/etc/keepalived.conf"

phase "the preferred node takes the virtual addresses"
t=$(wait_holder 1 15)
rc=$?
tap_result $rc "virtnorth is on pp1 alone, the preferred node (${t} ms after enable)"
if [ $rc != 0 ]; then	# the rest depends on it
	ka_logs 40
	tap_done
fi
check "show interface on pp1: virtnorth active, MASTER" \
	sh -c "ip netns exec $(node_ns 1) env PP_CONF_DIR=$TMPD/pp1/etc PP_STATE_DIR=$TMPD/pp1/state \
		$PPCTL show interface | grep -Eq '^virtnorth +\* +static +$VN +255.255.255.0 +north +MASTER'"
check "show interface -j on pp2: virtnorth BACKUP, virtsouth BACKUP" \
	sh -c "[ \"\$(ip netns exec $(node_ns 2) env PP_CONF_DIR=$TMPD/pp2/etc PP_STATE_DIR=$TMPD/pp2/state \
		$PPCTL -j show interface | jq -r '[.interfaces[] | select(.name | startswith(\"virt\")) | .heartbeat] | join(\",\")')\" = BACKUP,BACKUP ]"
check "virtsouth moved with virtnorth (the sync group): on pp1" \
	sh -c "ip -n $(node_ns 1) -4 addr show south | grep -q 'inet $VS/24'"

phase "TFTP and the page at the virtual address: exactly one node"
check "the page at http://$VN/ answers" until_ok 20 nsx "$NS_PHONE" curl -sf --max-time 5 "http://$VN/"
check "the web service's WSDL answers at the virtual south address http://$VS/ (\"virtsouth: http\")" \
	until_ok 20 nsx "$NS_CCM" curl -sf --max-time 5 -o /dev/null "http://$VS/activation_service/service.wsdl"
activate homer "$HOMER_PW" > "$TMPD/act1"
check "homer activates through the virtual address" grep -q "Activated: homer at $PHONE" "$TMPD/act1"
check "... on pp1, the holder" active_on 1 homer
check_fail "... and not on pp2" active_on 2 homer
out=$(tftp_from $VN SEP001122334455.cnf.xml)
tap_result $([ "$out" = "DATA $VN" ]; echo $?) "TFTP to the virtual address is answered from it ($out)"
check "tftp-hpa gets the rewritten configuration through the virtual address" \
	sh -c "ip netns exec $NS_PHONE tftp $VN -m binary -c get SEP001122334455.cnf.xml $TMPD/cnf1 &&
	       grep -Eq '[>\"]192\\.0\\.2\\.1[<\"]' $TMPD/cnf1"
check "pp1's pp-tftpd served it, pp2's saw nothing" \
	sh -c "grep -q 'listening on virtual north $VN:69' $TMPD/pp2/tftpd.log &&
	       [ \"\$(ip netns exec $(node_ns 2) env PP_CONF_DIR=$TMPD/pp2/etc $PPCTL -j show stats | jq '.tftp.requests')\" = 0 ] &&
	       [ \"\$(ip netns exec $(node_ns 1) env PP_CONF_DIR=$TMPD/pp1/etc $PPCTL -j show stats | jq '.tftp.requests')\" -ge 2 ]"

phase "pp1 dies (its links down): pp2 takes over"
t0=$(now_ms)
node_links 1 down
t=$(wait_holder 2 5 $t0)
tap_result $? "pp2 holds virtnorth within 5 s of pp1's death: ${t} ms"
diag "takeover after the holder's death: ${t} ms (from its first link down)"
activate homer "$HOMER_PW" > "$TMPD/act2"
check "after takeover: homer activates through the virtual address, on pp2" \
	sh -c "grep -q 'Activated: homer at $PHONE' $TMPD/act2 &&
	       ip netns exec $(node_ns 2) env PP_CONF_DIR=$TMPD/pp2/etc PP_STATE_DIR=$TMPD/pp2/state \
		$PPCTL show user | grep -Eq '^homer +SEP001122334455 +$PHONE '"
out=$(tftp_from $VN SEP001122334455.cnf.xml)
tap_result $([ "$out" = "DATA $VN" ]; echo $?) "after takeover: TFTP answered from the virtual address ($out)"
check "after takeover: tftp-hpa gets the configuration rewritten by pp2" \
	sh -c "ip netns exec $NS_PHONE tftp $VN -m binary -c get SEP001122334455.cnf.xml $TMPD/cnf2 &&
	       grep -Eq '[>\"]192\\.0\\.2\\.2[<\"]' $TMPD/cnf2"

phase "pp1 comes back: the preferred node takes the addresses back"
t0=$(now_ms)
node_links 1 up
t=$(wait_holder 1 10 $t0)
tap_result $? "pp1 holds virtnorth again, pp2 released it (${t} ms)"

phase "bad virtual address while enabled"
out=$(ppn 2 set interface virtnorth address 203.0.113.50 2>&1)
tap_result $([ $? != 0 ] && [[ $out == *'virtnorth 203.0.113.50 is not on the north network (192.0.2.2/24 on north)'* ]]; echo $?) \
	"a virtnorth off the north network is refused while the pair is enabled ($out)"
out=$(ppn 2 unset interface virtnorth address 2>&1)
tap_result $([ $? != 0 ] && [[ $out == *'no virtnorth address (step 1'* ]]; echo $?) \
	"unset of virtnorth is refused while the pair is enabled ($out)"
check "... and the module still has virtnorth $VN" \
	sh -c "ip netns exec $(node_ns 2) $PPCTL -j show interface |
	       jq -e '.interfaces[] | select(.name == \"virtnorth\") | .address == \"$VN\"'"

phase "keepalived stopped on the holder (set heartbeat disable)"
t0=$(now_ms)
check "set heartbeat disable on pp1" ppn 1 set heartbeat disable
t=$(wait_holder 2 5 $t0)
tap_result $? "pp2 holds virtnorth within 5 s of \"set heartbeat disable\" on pp1: ${t} ms"
diag "takeover after a graceful stop: ${t} ms (ppctl's own run included)"
check "show interface on pp1: virtnorth not active, heartbeat -" \
	sh -c "[ \"\$(ip netns exec $(node_ns 1) env PP_CONF_DIR=$TMPD/pp1/etc PP_STATE_DIR=$TMPD/pp1/state \
		$PPCTL -j show interface | jq -r '.interfaces[] | select(.name == \"virtnorth\") | [.active, .heartbeat] | join(\",\")')\" = false,- ]"

# Step 4 comes last here: its checks (a shell, ss and grep every 2 s per
# service and node) load an emulated guest enough to slow the phases
# above. pp1 is disabled now: pp2's services gone, nobody holds.
phase "step 4, manage tftp and http: the holder's pp-tftpd gone, the address leaves it"
printf '%s\n' "set heartbeat manage tftp" "set heartbeat manage http" > "$TMPD/pp2/step4"
check "manage tftp and http on pp2: its keepalived reloaded" ppn 2 -f "$TMPD/pp2/step4"
check "pp2 still holds virtnorth (its services are up)" wait_holder 2 10
pid=$(ip netns pids "$(node_ns 2)" | xargs -r ps -o pid=,comm= -p | awk '$2 == "pp-tftpd" { print $1 }')
t0=$(now_ms)
kill $pid
until ! has_vn 2 || [ $(($(now_ms) - t0)) -gt 10000 ]; do snooze 0.1; done
t=$(($(now_ms) - t0))
tap_result $([ $t -le 10000 ] && ! has_vn 2; echo $?) \
	"pp2's pp-tftpd killed: pp2 gives virtnorth up within 10 s (2 s checks, two failures): ${t} ms"
diag "the holder's pp-tftpd died (manage tftp): address released after ${t} ms"
check "show interface on pp2: virtnorth not active" \
	sh -c "[ \"\$(ip netns exec $(node_ns 2) $PPCTL -j show interface | jq -r '.interfaces[] | select(.name == \"virtnorth\") | .active')\" = false ]"

ka_logs 4
phase "done"
tap_done
