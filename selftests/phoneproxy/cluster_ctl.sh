#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The guide's secure SCCP across the cluster (docs/cluster.md
# "Certificates and the CTL"): security is on or off for all nodes; the
# Management Console downloads every node's self-signed certificates,
# combines them into one CTL signed with an eToken and publishes it to
# the whole cluster. Three nodes (network namespaces, each its module
# state, state directory, Corosync and pp-clusterd, pp-tftpd on its north
# address): security turned on on node 1 makes the certificates there,
# the cluster turns it on on nodes 2 and 3, which make their own; every
# node holds every other node's certificates; the CTL built on node 2
# lists the three nodes (tftp at each north address, capf) and both SAST
# keys, and every node serves the same CTLFile.tlv over TFTP; a node whose
# pp-clusterd restarts takes the CTL from the snapshot; a certificate of
# another uuid, garbage, and a CTL whose signature is not its SAST's are
# dropped, counted and never kept. Then the quorum gate (docs/cluster.md
# "Quorum"): every cluster link cut, no node quorate, each serves alone;
# healed, the first to join again is the first member and its state is
# everyone's; a corosync without a quorum provider: the gate off, node 3
# alone in a group of its own; healed, the groups merge and the side of
# node 1 wins.
#
#   node1..3: eth-cl 203.0.113.N (br-cl, Corosync), north 192.0.2.N (br-north),
#   south 198.51.100.N (br-south)
#   a phone namespace on br-north, 192.0.2.100: the TFTP client
source "$(dirname "$0")/lib.sh"
require ip corosync corosync-quorumtool corosync-cmapctl unshare tftp openssl
source "$(dirname "$0")/cluster_lib.sh"
CPGSEND=${CPGSEND:-$PP_OUT/userspace/tests/cpgsend}
[ -x "$CLUSTERD" ] || skip_all "pp-clusterd not built ($CLUSTERD)"
[ -x "$CPGSEND" ] || skip_all "cpgsend not built ($CPGSEND)"
[ -x "$TFTPD" ] || skip_all "pp-tftpd not built ($TFTPD)"
TLSD=${TLSD:-$PP_OUT/userspace/tlsd/pp-tlsd}
[ -x "$TLSD" ] || skip_all "pp-tlsd not built ($TLSD)"

NS_PH=pp-ctph-$SFX
st() { echo "$TMPD/node$1/pp"; }
field() { cluster_field "$@"; }

# cluster_lib.sh's three nodes and their north and south links, plus a
# phone on the north bridge.
setup_net() {
	setup_cluster_net && north_net || return 1
	ip netns add "$NS_PH" || return 1
	at_exit "ip netns del $NS_PH"
	ip link add north netns "$NS_PH" type veth peer name ph netns "$NS_BR" || return 1
	ip -n "$NS_BR" link set ph master br-north up
	ip -n "$NS_PH" link set lo up
	ip -n "$NS_PH" addr add 192.0.2.100/24 dev north
	ip -n "$NS_PH" link set north up
}

serial() { openssl x509 -noout -serial -in "$1" | cut -d= -f2; }

setup_net || { tap_result 1 "three nodes, cluster and north links"; tap_done; }
write_users_xml "$TMPD/users.xml"
# The CTL's two SAST keys, made on node 2 while the cluster starts (RSA
# keys: seconds each under TCG, while the corosyncs mostly wait on their
# timers); node 2's uuid (in the keys' CN) made first, before its
# pp-clusterd reads it.
{ ppn 2 set ctl sast sast1 generate && ppn 2 set ctl sast sast2 generate; } > "$TMPD/sast.out" 2>&1 &
sast_pid=$!
wait_for 10 test -s "$(st 2)/uuid"
start_cluster
for n in 1 2 3; do
	on $n "$TFTPD" -e 2> "$TMPD/tftpd$n.log" &
	PIDS+=($!)
done
check "users.xml published on node 1 (the per-phone CTLs follow it)" ppn 1 publish "$TMPD/users.xml"

mark() { diag "t+$(($(date +%s) - start)) s: $*"; }
mark "security on"
# ---- security on, on one node: certificates everywhere ----
check "set phoneproxy sccp security on, on node 1" ppn 1 set phoneproxy sccp security on
secure_on() { ppn "$1" -j show phoneproxy | grep -q '"sccp_security":true'; }
secure_23() { secure_on 2 && secure_on 3; }
# (each node makes its two RSA keys first: tens of seconds in a loaded TCG
# guest; waited for by the files, which starts no process that would take
# the CPU from them, then the module's flag is asked)
certs_made() { [ -s "$(st "$1")/certs/tftp.pem" ] && [ -s "$(st "$1")/certs/capf.pem" ]; }
certs_23() { certs_made 2 && certs_made 3; }
until_ok 90 certs_23
check "the cluster turns it on on nodes 2 and 3 (all or nothing)" until_ok 90 secure_23
check "nodes 2 and 3, without certificates, made their own when the cluster turned security on" \
	until_ok 90 certs_23
check "node 3's tftp certificate is CN=tftp<its uuid>" \
	sh -c "openssl x509 -noout -subject -in $(st 3)/certs/tftp.pem | grep -q \"tftp\$(cat $(st 3)/uuid)\""
all_certs() { local n; for n in 1 2 3; do [ "$(field $n certs_of_nodes)" = 1,2,3 ] || return 1; done; }
check "every node holds the certificates of nodes 1, 2 and 3 (show cluster: certs_of_nodes)" until_ok 30 all_certs
[ $? = 0 ] || logs 1 2 3
check "node 1 keeps node 3's tftp certificate, the same as node 3's" \
	test "$(serial "$(st 1)/peers/$(cat "$(st 3)/uuid")/tftp.pem")" = "$(serial "$(st 3)/certs/tftp.pem")"
check_fail "no private key among the kept certificates" \
	grep -rq PRIVATE "$(st 1)/peers" "$(st 2)/peers" "$(st 3)/peers"
check "node 1 knows node 2's north address from its announcement" \
	grep -qx "north 192.0.2.2" "$(st 1)/peers/$(cat "$(st 2)/uuid")/node"
# (check's own "out" hides a global one inside what it runs)
certout=$(ppn 1 show certificate 2>&1)
lists_peers() { grep -q "node 2, uuid $(cat "$(st 2)/uuid"), north 192.0.2.2" <<<"$certout" &&
	grep -q "node 3, uuid $(cat "$(st 3)/uuid"), north 192.0.2.3" <<<"$certout"; }
check "show certificate on node 1 lists nodes 2 and 3's certificates" lists_peers

mark "the CTL"
# ---- the CTL, built on node 2 ----
wait $sast_pid || diag "set ctl sast ... generate on node 2: $(tr '\n' ' ' < "$TMPD/sast.out")"
mark "SAST keys made"
out=$(ppn 2 set ctl build 2>&1)
check "set ctl build on node 2: 8 records, the three nodes'" grep -q "8 records (3 nodes)" <<<"$out"
[ $? = 0 ] || diag "$out"
sha() { sha256sum "$1" | cut -c1-64; }
want=$(sha "$(st 2)/ctl/CTLFile.tlv")
same_ctl() { local n; for n in 1 2 3; do [ "$(field $n ctl_sha256)" = "$want" ] &&
	[ "$(field $n ctl_is_clusters)" = yes ] || return 1; done; }
check "every node holds node 2's CTL as the cluster's (show cluster: ctl_sha256, ctl_is_clusters)" \
	until_ok 30 same_ctl
[ $? = 0 ] || logs 1 2 3
same_seps() {
	local f k=0
	for f in "$(st 2)"/ctl/CTLSEP*.tlv; do
		cmp "$f" "$(st 1)/ctl/${f##*/}" && cmp "$f" "$(st 3)/ctl/${f##*/}" || return 1
		k=$((k + 1))
	done
	[ $k -ge 1 ] && [ "$(ls "$(st 1)"/ctl/CTLSEP*.tlv | wc -l)" = $k ]
}
check "and its per-phone CTLSEP files, byte for byte" same_seps
check_fail "the SAST keys stay on node 2" sh -c "ls $(st 1)/ctl $(st 3)/ctl | grep -q sast"
mark "CTL everywhere"
# The phone's address activated (on node 1, replicated): the north
# firewall admits TFTP from activated phones only.
ppn 1 set user active name homer address 192.0.2.100
homer_on() { ppn "$1" show user | grep -q "^homer .*192.0.2.100"; }
homer_everywhere() { homer_on 1 && homer_on 2 && homer_on 3; }
check "homer activated at the phone's address on every node" until_ok 20 homer_everywhere
for n in 1 2 3; do
	rm -f "$TMPD/got$n.tlv" "$TMPD/sep$n.tlv"
	until_ok 10 ip netns exec "$NS_PH" tftp 192.0.2.$n -m binary -c get CTLFile.tlv "$TMPD/got$n.tlv"
	check "node $n serves the cluster's CTLFile.tlv over TFTP (192.0.2.$n)" \
		cmp "$TMPD/got$n.tlv" "$(st 2)/ctl/CTLFile.tlv"
	ip netns exec "$NS_PH" tftp 192.0.2.$n -m binary -c get CTLSEP001122334455.tlv "$TMPD/sep$n.tlv"
	check "... and homer's CTLSEP001122334455.tlv" \
		cmp "$TMPD/sep$n.tlv" "$(st 2)/ctl/CTLSEP001122334455.tlv"
done
# Node 3's TLS server (pp-tlsd) presents the certificate the CTL lists for
# it, as node 1 keeps it: what a phone holding this CTL checks.
on 3 "$TLSD" -e 2> "$TMPD/tlsd3.log" &
PIDS+=($!)
wait_for 15 grep -q "listening on 192.0.2.3:2443" "$TMPD/tlsd3.log"
peer3=$(st 1)/peers/$(cat "$(st 3)/uuid")/tftp.pem
tls_trusts() {
	echo | ip netns exec "$NS_PH" timeout 15 openssl s_client -connect 192.0.2.3:2443 \
		-CAfile "$peer3" -verify_return_error 2>&1 | grep -q "Verify return code: 0 (ok)"
}
check "a TLS client trusting only node 3's certificate as node 1 keeps it accepts node 3's pp-tlsd" \
	until_ok 30 tls_trusts
[ $? = 0 ] || tail -n 5 "$TMPD/tlsd3.log" | while read -r l; do diag "tlsd3: $l"; done
out=$(ppn 3 show ctl 2>&1)
records() { grep -c "^record .*: $1\$" <<<"$out"; }
check "node 3's CTL parses and verifies: 2 SAST, 3 CCM+TFTP, 3 CAPF records" \
	test "$(records SAST) $(records 'CCM+TFTP') $(records CAPF) $(grep -c 'signature verified' <<<"$out")" = "2 3 3 1"
check "the CCM+TFTP records are at the three north addresses" \
	test "$(grep -o 'address: *192.0.2.[0-9]*' <<<"$out" | awk '{print $2}' | sort | tr '\n' ' ')" = "192.0.2.1 192.0.2.2 192.0.2.3 "
for n in 1 3; do
	s=$(serial "$(st $n)/certs/tftp.pem")
	check "it lists node $n's own tftp certificate (serial $s)" grep -q "serial: *$s" <<<"$out"
done
# (without python3's cryptography tlvfile cannot run: no check then)
[ -x "$PP_CERTUTILS/tlvfile" ] && cu=$("$PP_CERTUTILS/tlvfile" --parse "$TMPD/got3.tlv" 2>&1)
if [ -x "$PP_CERTUTILS/tlvfile" ] && ! grep -q "No module named 'cryptography" <<<"$cu"; then
	cu_ok() { grep -q '^Valid signature$' <<<"$cu" && [ "$(grep -c '^Role: *CCM+TFTP$' <<<"$cu")" = 3 ]; }
	check "certutils' tlvfile verifies the CTLFile.tlv node 3 served: 3 CCM+TFTP records" cu_ok
fi

mark "a node joins later"
# ---- a node that joins later takes the CTL from the snapshot ----
kill "${CLUSTERD_PID[3]}"
wait "${CLUSTERD_PID[3]}" 2>/dev/null
rm -f "$(st 3)"/ctl/CTL*.tlv
rm -rf "$(st 3)/peers"
start_clusterd 3
check "node 3's pp-clusterd restarted without CTL: the snapshot brings it back, byte for byte" \
	until_ok 40 cmp "$(st 3)/ctl/CTLFile.tlv" "$(st 2)/ctl/CTLFile.tlv"
certs_of_3() { [ "$(field 3 certs_of_nodes)" = 1,2,3 ]; }
check "and the members announce their certificates again" until_ok 20 certs_of_3

mark "the attacker"
# ---- the attacker: a member process with bad certificates or a bad CTL ----
until_ok 20 in_sync 3
u2=$(cat "$(st 2)/uuid")
for r in tftp capf; do
	openssl req -x509 -newkey rsa:1024 -nodes -keyout "$TMPD/$r.key" -out "$TMPD/$r.crt" \
		-days 2 -subj "/CN=$r$u2" 2> /dev/null
done
cp "$(st 3)/peers/$u2/tftp.pem" "$TMPD/kept.pem"
grew() { [ "$(field "$1" "$2")" -gt "$3" ]; }
d2=$(field 2 certs_dropped) d3=$(field 3 certs_dropped)
check "valid certificates claiming node 2's uuid, sent by node 1 (cpgsend)" \
	on 1 "$CPGSEND" "$GROUP" certs "$u2" "$TMPD/tftp.crt" "$TMPD/capf.crt"
dropped_23() { grew 2 certs_dropped "$d2" && grew 3 certs_dropped "$d3"; }
check "dropped and counted on node 2 (its own uuid) and node 3 (member node 2's uuid)" \
	until_ok 10 dropped_23
check "node 2's certificate as node 3 keeps it is unchanged" \
	cmp "$TMPD/kept.pem" "$(st 3)/peers/$u2/tftp.pem"
d3=$(field 3 certs_dropped)
check "a certificate whose CN is another role's, sent by node 1" \
	on 1 "$CPGSEND" "$GROUP" certs "$u2" "$TMPD/tftp.crt" "$TMPD/tftp.crt"
check "dropped and counted (node 3), the reason logged" \
	until_ok 10 grew 3 certs_dropped "$d3"
check "... naming the CN" grep -q "certificates of node 1 from node 1 dropped: the capf certificate's CN" \
	"$TMPD/node3/clusterd.log"
mkdir -p "$TMPD/bad"
cp "$(st 2)/ctl/CTLFile.tlv" "$TMPD/bad/CTLFile.tlv"
# One byte of the signature value (after tag 11, modulus index 2) changed.
python3 - "$TMPD/bad/CTLFile.tlv" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
i = b.find(bytes([11, 0, 1, 2, 12, 1, 0]))
assert i > 0
b[i + 7 + 40] ^= 0x55
open(p, 'wb').write(b)
PY
c3=$(field 3 ctl_dropped)
check "a CTL whose signature is not its SAST key's is sent from node 1" \
	on 1 "$CPGSEND" "$GROUP" ctl "$TMPD/bad"
check "dropped and counted (node 3's ctl_dropped)" until_ok 10 grew 3 ctl_dropped "$c3"
check "never installed: every node still holds node 2's CTL" same_ctl
check "node 3's log names the reason" grep -q "CTL of node 1 dropped: .*signature" "$TMPD/node3/clusterd.log"
mark "every node loses quorum"
# ---- the whole cluster not quorate at once (docs/cluster.md "Quorum"):
# every cluster link cut, each corosync alone in its ring (one vote of
# three): every member leaves the group and its node serves locally;
# healed, the first process to join is the first member and its module's
# state is the cluster's.
declare -A LOGL
logl() { wc -l < "$TMPD/node$1/clusterd.log"; }
since() { tail -n "+$((LOGL[$1] + 1))" "$TMPD/node$1/clusterd.log"; }	# the log since the cut
for n in 1 2 3; do LOGL[$n]=$(logl $n); done
t_cut=$(date +%s)
for n in 1 2 3; do ip -n "$NS_BR" link set p$n down; done
apart() { ppn "$1" show cluster 2>/dev/null | awk '$1 == "quorum_gate" { g = $2 } $1 == "quorate" { q = $2 }
	$1 == "state" { s = $2 } $1 == "members" { m = $2 }
	END { exit !(g == "on" && q == "no" && s == "waiting-quorum" && m == "-") }'; }
all_apart() { apart 1 && apart 2 && apart 3; }
check "every cluster link cut: every node shows quorate no, state waiting-quorum, no members" \
	until_ok 40 all_apart
[ $? = 0 ] || { logs 1 2 3; }
mark "all apart ($(($(date +%s) - t_cut)) s from the cut)"
left_all() { local n; for n in 1 2 3; do since $n | grep -q "not quorate (ring of 1 node(s)): leaving group $GROUP, serving locally" || return 1; done; }
check "... each member left the group, logged: not quorate, serving locally" left_all
for n in 1 2 3; do ppn $n set user active name marge address 192.0.2.4$n; done
# Each node's state while apart (the winner's must be everyone's).
served_apart() { local n; for n in 1 2 3; do active $n > "$TMPD/apart$n"
	grep -qx "marge 192.0.2.4$n" "$TMPD/apart$n" || return 1; done; }
check "each node serves locally: marge activated on node N at 192.0.2.4N stays there" served_apart
logged_apart() { local n; for n in 1 2 3; do since $n | grep -q "user marge activated at 192.0.2.4$n here: not replicated (not quorate)" || return 1; done; }
check "... logged on each node as not replicated (not quorate)" until_ok 5 logged_apart
t_heal=$(date +%s)
for n in 1 2 3; do ip -n "$NS_BR" link set p$n up; done
all_sync() { in_sync 1 && in_sync 2 && in_sync 3; }
check "healed: quorate again, the three in one group, each in sync" until_ok 90 all_sync
mark "healed, in sync ($(($(date +%s) - t_heal)) s from the links up)"
first=$(for n in 1 2 3; do since $n | grep -q "first member of group $GROUP" && echo $n; done)
diag "the first member after the heal: node ${first:-none}; joins: $(for n in 1 2 3; do since $n | grep -o "joined group $GROUP with [0-9]* member(s)" | head -n 1 | sed "s/^/node $n /"; done | tr '\n' ';')"
check "one node's pp-clusterd joined first and is the first member of the group" \
	test "$(echo $first | wc -w)" = 1
joiners_ok() { local n; for n in 1 2 3; do [ "$n" = "$first" ] && continue
	since $n | grep -q "in sync: snapshot of node [0-9]* applied" || return 1; done; }
check "the two others joined as joiners and applied a member's snapshot" joiners_ok
# Every user of node N: name, SID, address ("[inactive]").
users_of() { ppn "$1" show user | awk '$2 ~ /^SEP/ { print $1, $2, $3 }' > "$TMPD/users$1"; }
converged() {
	local n
	for n in 1 2 3; do users_of $n; done
	[ "$(awk '$3 != "[inactive]" { print $1, $3 }' "$TMPD/users1" | sort)" = "$(cat "$TMPD/apart${first:-1}")" ] &&
		cmp -s "$TMPD/users1" "$TMPD/users2" && cmp -s "$TMPD/users2" "$TMPD/users3"
}
check "every node holds the first member's state from before the heal (homer, marge at 192.0.2.4${first:-?}): show user the same on all three (name, SID, address)" \
	until_ok 10 converged
[ $? = 0 ] || show_all

mark "corosync without a quorum provider"
# ---- the quorum gate off (docs/cluster.md "Quorum"): node 3 cut off
# again, its corosync started without a quorum section (no quorum
# provider: quorum_initialize says QUORUM_FREE), then its pp-clusterd.
# Alone in its ring as each node was above, where the gate kept it out of
# the group, pp-clusterd now joins at once, the first member of a group of
# its own. (pp-clusterd starts once corosync's quorum service answers:
# while corosync starts, CPG can answer before quorum_initialize does,
# and pp-clusterd then turns the gate off by the other way, "quorum
# service not available": docs/cluster.md "Not built yet".)
LOGL[3]=$(logl 3)
ip -n "$NS_BR" link set p3 down
kill "${CLUSTERD_PID[3]}"
wait "${CLUSTERD_PID[3]}" 2>/dev/null
stop_corosync 3
sed -i '/^quorum {/,/^}/d' "$TMPD/node3/corosync.conf"
start_corosync 3
# (its quorum service answers corosync-quorumtool -l; -s wants votequorum)
no_provider() { on 3 corosync-quorumtool -l >/dev/null && ! on 3 corosync-cmapctl -g quorum.provider; }
check "node 3's corosync started again without a quorum section: its quorum service answers, no quorum.provider" \
	until_ok 30 no_provider
t_free=$EPOCHREALTIME
start_clusterd 3
gate_off() { ppn 3 show cluster 2>/dev/null | awk '$1 == "quorum_gate" { g = $2 } $1 == "quorate" { q = $2 }
	$1 == "state" { s = $2 } $1 == "members" { m = $2 }
	END { exit !(g == "off" && q == "-" && s == "synced" && m == "3") }'; }
check "node 3's pp-clusterd: show cluster quorum_gate off, quorate -, alone in its ring yet in the group (state synced, members 3)" \
	until_ok 30 gate_off
diag "node 3 in the group $(awk -v a="$t_free" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }') ms after its pp-clusterd started (polled every 0.3 s)"
free_log() { tail -n "+$((LOGL[3] + 1))" "$TMPD/node3/clusterd.log"; }	# since the restart
check "... logged: corosync has no quorum provider, the quorum gate is off" \
	grep -q 'corosync has no quorum provider: the quorum gate is off' <<<"$(free_log)"
# (from that line on: nothing of waiting for quorum)
at_once() { free_log | sed -n '/no quorum provider/,$p' > "$TMPD/free.log"
	grep -q "first member of group $GROUP" "$TMPD/free.log" && ! grep -q 'not quorate' "$TMPD/free.log"; }
check "... joined at once: the first member of a group of its own, never waiting for quorum" at_once
[ $_tap_failed = 0 ] || free_log | tail -n 20 | while read -r l; do diag "node3 clusterd: $l"; done

mark "a merge"
# ---- healed, two groups meet (docs/cluster.md "Merges"): node 3's,
# joined with the gate off, and that of nodes 1 and 2; the side holding
# the lowest node id wins, node 3's change made in its own group undone.
ppn 3 set user active name marge address 192.0.2.49
check "node 3 in a group of its own: marge moved to 192.0.2.49 there" \
	until_ok 5 sh -c "ip netns exec $(node_ns 3) $PPCTL show user | grep -q '^marge .*192\.0\.2\.49'"
LOGL[3]=$(logl 3)
t_merge=$(date +%s)
ip -n "$NS_BR" link set p3 up
check "healed: the two groups merge into one of three, each in sync" until_ok 60 all_sync
mark "merged, in sync ($(($(date +%s) - t_merge)) s from the link up)"
took_lower() { since 3 | grep -q "node [12] joined, lower than this side's members: waiting" &&
	since 3 | grep -q "in sync: snapshot of node 1 applied"; }
check "node 3 saw a lower node join, waited for that side's snapshot and applied node 1's" took_lower
check "every node holds the side of nodes 1 and 2's state (marge back at 192.0.2.4${first:-?}), show user the same on all three" \
	until_ok 10 converged
[ $_tap_failed = 0 ] || { show_all; logs 3; }
diag "whole test $(($(date +%s) - start)) s"
tap_done
