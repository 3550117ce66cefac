#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Static balancing and the PhoneProxy to CallManager mapping (the guide's
# "Activation" and Appendix B; issue 15 item 2): cluster.xml names three
# nodes, each user's <sccpProxy> entries are its primary, secondary and
# tertiary nodes. pp-tftpd fetches the phone's configuration from the
# CallManager's TFTP server (tftpd-hpa), lists the user's three nodes in
# its CallManager group, in order, each with its north address, and tells
# the module which CallManager of the original (two-CallManager) group
# this node stands for; the SCCP proxy sends the phone there, not to the
# TFTP address of users.xml. It does so on every activation (fetching
# the file from the CallManager itself, so the node knows its mapping
# before the phone fetches anything, whichever node serves that) and on
# the phone's own fetch. This guest is node 1 (north 192.0.2.1); homer
# has it as primary, marge as secondary, lisa as tertiary, bart not at
# all (his SCCP, should it come here, goes to the users.xml address).
source "$(dirname "$0")/lib.sh"
require ip python3 in.tftpd tftp
[ -x "$TFTPD" ] || skip_all "pp-tftpd not built ($TFTPD)"

CCM1=198.51.100.21	# the group's call-processing nodes
CCM2=198.51.100.22	# ($CCM, the TFTP server, processes no calls)
N2=192.0.2.2
N3=192.0.2.3
LOG=$TMPD/pp-tftpd.log
OUT=$TMPD/out
mkdir -p "$OUT"

setup_topology || { tap_result 1 "lab topology"; tap_done; }
ip -n "$NS_CCM" addr add $CCM1/24 dev veth-ccm
ip -n "$NS_CCM" addr add $CCM2/24 dev veth-ccm

cluster_xml() {	# cluster_xml FILE: Appendix B's format, three nodes
	cat > "$1" <<XML
<cluster>
  <proxy uuid="u1" name="pp1" cluster_ip="203.0.113.1" mgmt_ip=""
    south_ip="$SOUTH" north_ip="$NORTH" timestamp="1162484179070" />
  <proxy uuid="u2" name="pp2" cluster_ip="203.0.113.2" mgmt_ip=""
    south_ip="198.51.100.2" north_ip="$N2" timestamp="1162484179070" />
  <proxy uuid="u3" name="pp3" cluster_ip="203.0.113.3" mgmt_ip=""
    south_ip="198.51.100.3" north_ip="$N3" timestamp="1162484179070" />
  <master uuid="u1" licensedUsers="3000" />
</cluster>
XML
}
cluster_xml "$PP_CONF_DIR/cluster.xml"
check "pp-tftpd -t accepts Appendix B's cluster.xml with three nodes" \
	sh -c "'$TFTPD' -t -e | grep -Fqx '$PP_CONF_DIR/cluster.xml: ok, 3 nodes'"

# Bad input: refused with file:line.
BADC=$TMPD/badconf
mkdir -p "$BADC"
cluster_xml "$BADC/cluster.xml"
sed -i "s/north_ip=\"$N2\"/north_ip=\"$NORTH\"/" "$BADC/cluster.xml"
out=$(PP_CONF_DIR=$BADC "$TFTPD" -t -e 2>&1)
rc=$?
diag "$out"
[ $rc != 0 ] && printf '%s' "$out" |
	grep -Fq "$BADC/cluster.xml:5: proxy \"u2\": north_ip $NORTH already used by proxy \"u1\" (line 3)"
tap_result $? "a cluster.xml naming one north address twice is refused with file:line"
printf '<cluster>\n  <proxy uuid="u1" name="pp1"\n' > "$BADC/cluster.xml"
out=$(PP_CONF_DIR=$BADC "$TFTPD" -t -e 2>&1)
rc=$?
[ $rc != 0 ] && printf '%s' "$out" | grep -Fq "$BADC/cluster.xml:3: not well-formed XML"
tap_result $? "a cut cluster.xml is refused with file:line"

user() {	# user NAME SID PROXY...
	local name=$1 sid=$2 p x=
	shift 2
	for p in "$@"; do x="$x<sccpProxy>$p</sccpProxy>"; done
	echo "  <user name=\"$name\"><ccmName>ccm</ccmName>$x<sid>$sid</sid></user>"
}
cat > "$TMPD/users.xml" <<XML
<users name="pp-test">
  <ccm name="ccm" default="true"><address>$CCM</address></ccm>
  <proxy uuid="u1" assign_users="true" />
  <proxy uuid="u2" assign_users="true" />
  <proxy uuid="u3" assign_users="true" />
$(user homer SEP001122334455 u1 u2 u3)
$(user marge SEP0003E348E321 u2 u1 u3)
$(user lisa SEP00112233AA05 u3 u2 u1)
$(user bart SEP00112233AA06 u2 u3)
$(user maggie SEP00112233AA07 u1 u2)
$(user abe SEP00112233AA08 u1 u2)
</users>
XML
check "publish users with up to three <sccpProxy> each" pp publish "$TMPD/users.xml"

# The CallManager's TFTP server, serving a configuration whose group has
# two CallManagers (the real file's elements, a second member added).
ROOT=$TMPD/ccm-tftp
mkdir -p "$ROOT"
for sid in SEP001122334455 SEP0003E348E321 SEP00112233AA05 SEP00112233AA06; do
	cat > "$ROOT/$sid.cnf.xml" <<XML
<device>
<devicePool>
<callManagerGroup>
<members>
<member  priority="0">
<callManager>
<ports>
<ethernetPhonePort>2000</ethernetPhonePort>
</ports>
<processNodeName>$CCM1</processNodeName>
</callManager>
</member>
<member  priority="1">
<callManager>
<ports>
<ethernetPhonePort>2000</ethernetPhonePort>
</ports>
<processNodeName>$CCM2</processNodeName>
</callManager>
</member>
</members>
</callManagerGroup>
</devicePool>
<loadInformation>CP7912060000SCCP050124A</loadInformation>
</device>
XML
done
# As CUCM writes it by default: the group's nodes by host name. maggie's
# file names cm2.example.net first (node 1, her primary, stands for it),
# abe's a name that resolves nowhere.
sed -e "s|<processNodeName>$CCM1<|<processNodeName>cm2.example.net<|" \
    -e "s|<processNodeName>$CCM2<|<processNodeName>cm1.example.net<|" \
	"$ROOT/SEP001122334455.cnf.xml" > "$ROOT/SEP00112233AA07.cnf.xml"
sed -e "s|<processNodeName>$CCM1<|<processNodeName>nowhere.example.net<|" \
	"$ROOT/SEP001122334455.cnf.xml" > "$ROOT/SEP00112233AA08.cnf.xml"
ccm_tftpd "$ROOT"

# Who gets the phones' SCCP: a listener on each CallManager address,
# the TFTP address included, saying which accepted from where.
cat > "$TMPD/who.py" <<'PY'
import selectors, socket, sys
sel = selectors.DefaultSelector()
for a in sys.argv[1:]:
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a, 2000)); s.listen(16); sel.register(s, selectors.EVENT_READ, a)
print("listening", flush=True)
while True:
    for k, _ in sel.select():
        c, peer = k.fileobj.accept()
        print(f"{k.data} accepted {peer[0]}", flush=True); c.close()
PY
WHO=$TMPD/who.log
nsx "$NS_CCM" python3 "$TMPD/who.py" $CCM $CCM1 $CCM2 > "$WHO" 2>&1 &
at_exit "kill $!"
wait_for 10 grep -q listening "$WHO"

# reaches NS WANT: a TCP connection from the phone in NS to north:2000
# is accepted by the listener on WANT (the proxy's SNAT hides the phone:
# the listeners' log gets one line per connection, in order).
reaches() {	# reaches NS WANT [NODE_NORTH]
	local before got out node=${3:-$NORTH}
	before=$(grep -c accepted "$WHO")
	out=$(nsx "$1" timeout 10 python3 -c "
import socket
s = socket.create_connection(('$node', 2000), timeout=8); s.close()" 2>&1) ||
		{ diag "connect to $node: ${out:-timeout} ($(date +%T))"; diag "$(tail -n 3 "$WHO")"; return 1; }
	wait_for 5 sh -c "[ \$(grep -c accepted $WHO) -gt $before ]"
	got=$(grep accepted "$WHO" | sed -n "$((before + 1))p" | cut -d' ' -f1)
	[ "$got" = "$2" ] || { diag "reached ${got:-nothing}, want $2"; return 1; }
}

# pp-tftpd resolves host names with its own /etc/hosts, and an
# /etc/resolv.conf whose name server refuses at once (nothing leaves the
# guest).
printf '%s cm1.example.net\n%s cm2.example.net\n' $CCM1 $CCM2 > "$TMPD/hosts"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "$TMPD/resolv.conf"
unshare -m sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf &&
	shift 2 && exec "$@"' sh "$TMPD/hosts" "$TMPD/resolv.conf" \
	ip netns exec "$NS_PROXY" "$TFTPD" -e 2> "$LOG" &
TFTPD_PID=$!
at_exit "kill $TFTPD_PID"
check "pp-tftpd listens on the north address" \
	wait_for 10 grep -q "Tftp: listening on $NORTH:69" "$LOG"

ccm_of() {	# ccm_of USER WANT [NS]: show user -j gives WANT as the user's ccm_addr ("": none)
	ip netns exec "${3:-$NS_PROXY}" "$PPCTL" -j show user | python3 -c '
import json, sys
u = {x["name"]: x for x in json.load(sys.stdin)}
sys.exit(u[sys.argv[1]].get("ccm_addr", "") != sys.argv[2])' "$1" "$2"
}
nodes_of() {	# nodes_of FILE: the processNodeName values, in member order
	sed -n 's|^.*<processNodeName>\([^<]*\)</processNodeName>.*$|\1|p' "$1" | tr '\n' ' '
}
nodes_are() {	# nodes_are FILE "a b c ": the CallManager group lists these, in order
	[ "$(nodes_of "$1")" = "$2" ] || { diag "$(basename "$1"): $(nodes_of "$1")"; return 1; }
}

# An activation (by any means, a cluster peer's too): pp-tftpd fetches the
# phone's file from the CallManager itself and maps this node at once.
pp set user active name homer address $PHONE
pp set user active name marge address $PHONE2
check "homer activated: node 1, his primary, stands for CallManager 1 before his phone fetches anything" \
	wait_for 20 ccm_of homer $CCM1
check "marge activated: node 1, her secondary, stands for CallManager 2" \
	wait_for 20 ccm_of marge $CCM2
check "homer's SCCP through node 1 reaches CallManager 1 ($CCM1), not the TFTP address" \
	reaches "$NS_PHONE" $CCM1

check "homer's phone fetches its configuration through pp-tftpd" \
	nsx "$NS_PHONE" tftp $NORTH -m binary -c get SEP001122334455.cnf.xml "$OUT/homer.xml"
check "the rewritten configuration lists homer's three nodes in order (primary, secondary, tertiary)" \
	nodes_are "$OUT/homer.xml" "$NORTH $N2 $N3 "
check_fail "no CallManager address is left in it" grep -Eq "$CCM1|$CCM2" "$OUT/homer.xml"
check "... and node 1 still stands for CallManager 1" ccm_of homer $CCM1

check "marge's phone fetches its configuration" \
	nsx "$NS_PHONE2" tftp $NORTH -m binary -c get SEP0003E348E321.cnf.xml "$OUT/marge.xml"
check "the rewritten configuration lists marge's nodes in order (node 2 first)" \
	nodes_are "$OUT/marge.xml" "$N2 $NORTH $N3 "
check "marge's SCCP through node 1, her secondary, reaches CallManager 2 ($CCM2)" \
	reaches "$NS_PHONE2" $CCM2

pp set user active name lisa address $PHONE
check "lisa (at homer's address): node 1, her tertiary, stands for CallManager 1 again (3 mod 2)" \
	wait_for 20 ccm_of lisa $CCM1
check "lisa's phone fetches its configuration" \
	nsx "$NS_PHONE" tftp $NORTH -m binary -c get SEP00112233AA05.cnf.xml "$OUT/lisa.xml"
check "lisa's configuration: three nodes for two CallManagers (a member added), node 1 last" \
	nodes_are "$OUT/lisa.xml" "$N3 $N2 $NORTH "
check "lisa's SCCP through node 1 reaches CallManager 1" reaches "$NS_PHONE" $CCM1

# bart's nodes are 2 and 3: node 1 stands for nothing; his activation at
# lisa's address does not inherit her mapping.
pp set user active name bart address $PHONE
check "bart's phone fetches its configuration through node 1" \
	nsx "$NS_PHONE" tftp $NORTH -m binary -c get SEP00112233AA06.cnf.xml "$OUT/bart.xml"
check "it lists bart's two nodes, not this one" nodes_are "$OUT/bart.xml" "$N2 $N3 "
check "pp-tftpd logs that this node is not one of bart's" \
	wait_for 5 grep -q "user=bart .*this node is not one of them" "$LOG"
check "bart has no mapping here (none inherited from lisa at the same address)" ccm_of bart ""
check "bart's SCCP through node 1 goes to the TFTP address of users.xml (as without a cluster)" \
	reaches "$NS_PHONE" $CCM

# processNodeName by host name: looked up (libevent's resolver, the
# hosts file), then mapped as an address would be.
pp set user active name maggie address $PHONE
check "maggie activated: her file names the CallManagers by host name; node 1 stands for cm2.example.net, looked up: $CCM2" \
	wait_for 20 ccm_of maggie $CCM2
check "maggie's SCCP through node 1 reaches CallManager 2" reaches "$NS_PHONE" $CCM2
check "pp-tftpd logs the name and its address" \
	grep -q "user=maggie.*CallManager \"cm2.example.net\" is $CCM2" "$LOG"
pp set user active name abe address $PHONE
check "abe's file names a CallManager that resolves nowhere: pp-tftpd says so" \
	wait_for 20 grep -q "user=abe.*\"nowhere.example.net\", which does not resolve" "$LOG"
check "... no mapping for abe here" ccm_of abe ""
check "... his SCCP goes to the TFTP address of users.xml (as without a cluster)" \
	reaches "$NS_PHONE" $CCM
tstat() { ip netns exec "$NS_PROXY" "$PPCTL" show stats | awk -v k="$1" '$1 == k { print $2 }'; }
check "show stats counts both lookups (ccm_resolved 2), abe's failed (ccm_resolve_failed 1)" \
	sh -c "[ '$(tstat ccm_resolved) $(tstat ccm_resolve_failed)' = '2 1' ]"

# The module's side (PP_CMD_USER_CCM_SET, what pp-tftpd sends): admin
# only, and validated; nothing from the north side can become the
# destination. tests/ccmset prints the extack message.
CCMSET=${CCMSET:-$PP_OUT/userspace/tests/ccmset}
refused() {	# refused ERRNO "message" NAME ADDR CCM
	local want="errno=$1 msg=\"$2\"" out
	shift 2
	out=$(ip netns exec "$NS_PROXY" "$CCMSET" "$@")
	[ "$out" = "$want" ] || { diag "got: $out"; return 1; }
}
check "the mapping of an unknown user is refused (ENOENT, extack)" \
	refused 2 "unknown user" nobody $PHONE $CCM2
check "... of a user not active (homer, displaced): ESRCH" \
	refused 3 "user is not active" homer $PHONE $CCM2
check "... for an address the user is not active at: ESTALE" \
	refused 116 "user is active at another address" marge $PHONE $CCM1
check "... to one of the proxy's own addresses: EINVAL" \
	refused 22 "CallManager address is one of this proxy's addresses" marge $PHONE2 $SOUTH
check "... to an activated phone's address (the north side): EINVAL" \
	refused 22 "CallManager address is an activated phone's address" marge $PHONE2 $PHONE
check "... to a multicast address: EINVAL" \
	refused 22 "CallManager address must be a unicast address" marge $PHONE2 224.0.0.5
check "... to loopback: EINVAL" \
	refused 22 "CallManager address must be a unicast address" marge $PHONE2 127.0.0.1
if command -v setpriv >/dev/null; then
	out=$(ip netns exec "$NS_PROXY" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$CCMSET" marge $PHONE2 $CCM1)
	[ "$out" = 'errno=1 msg="Operation not permitted"' ] || diag "got: $out"
	tap_result $? "... by a user without CAP_NET_ADMIN: EPERM (admin only)"
fi
check "marge still goes to CallManager 2 after the refusals" reaches "$NS_PHONE2" $CCM2
check "0.0.0.0 clears the mapping" sh -c "ip netns exec $NS_PROXY $CCMSET marge $PHONE2 0.0.0.0"
check "... then marge's SCCP goes to the TFTP address of users.xml again" \
	reaches "$NS_PHONE2" $CCM

# A malformed cluster.xml while running: refused (file:line in the log),
# the phone then gets this node alone and SCCP its CallManager's address.
printf '<cluster>\n<proxy uuid="u1"/>\n</cluster>\n' > "$PP_CONF_DIR/cluster.xml"
check "after cluster.xml is broken, marge fetches her configuration again" \
	nsx "$NS_PHONE2" tftp $NORTH -m binary -c get SEP0003E348E321.cnf.xml "$OUT/marge2.xml"
check "the running pp-tftpd refuses it with file:line" \
	grep -Fq "cluster.xml refused: $PP_CONF_DIR/cluster.xml:2: proxy \"u1\": name \"\" is not" "$LOG"
check "... and lists this node alone" \
	sh -c "[ \"\$(sed -n 's|^.*<processNodeName>\([^<]*\)</processNodeName>.*\$|\1|p' $OUT/marge2.xml | tr '\n' ' ')\" = '$NORTH ' ]"
check "the CallManagers accepted, in order: 1, 2, 1, the TFTP address, 2 (by name), the TFTP address, 2, the TFTP address (nothing else)" \
	sh -c "[ \"\$(grep accepted $WHO | cut -d' ' -f1 | tr '\\n' ' ')\" = '$CCM1 $CCM2 $CCM1 $CCM $CCM2 $CCM $CCM2 $CCM ' ]"
diag "$(grep -E 'stands for|not one of them|refused' "$LOG" | head -n 8)"

# ---- three nodes, each its own namespace (module state, pp-tftpd) ----
# Nodes 2 and 3 join the north link (192.0.2.2, .3) and reach the
# CallManagers from their own south addresses (198.51.100.2, .3), as
# cluster.xml says. homer is activated on each node, as pp-clusterd
# replicates an activation (cluster.sh tests that); each node's pp-tftpd
# maps that node by itself: homer's nodes are 1, 2, 3 and his group two
# CallManagers, so node 1 and node 3 stand for CallManager 1, node 2 for 2.
cluster_xml "$PP_CONF_DIR/cluster.xml"
nodens() { echo "pp-n$1-$SFX"; }
for n in 2 3; do
	ns=$(nodens $n)
	ip netns add "$ns" || { tap_result 1 "node $n's namespace"; tap_done; }
	at_exit "ip netns pids $ns | xargs -r kill; ip netns del $ns"
	ip -n "$ns" link set lo up
	ip link add north netns "$ns" type veth peer name p-n$n netns "$NS_PROXY"
	ip -n "$NS_PROXY" link set p-n$n master br-north up
	ip -n "$ns" addr add 192.0.2.$n/24 dev north
	ip -n "$ns" link set north up
	ip link add south netns "$ns" type veth peer name v-n$n netns "$NS_CCM"
	ip -n "$ns" addr add 198.51.100.$n/24 dev south
	ip -n "$ns" link set south up
	ip -n "$NS_CCM" link set v-n$n up
	ip -n "$NS_CCM" route add 198.51.100.$n/32 dev v-n$n
	ip netns exec "$ns" sysctl -q -w net.ipv4.ip_forward=1
	ip netns exec "$ns" "$PPCTL" set interface north address 192.0.2.$n &&
		ip netns exec "$ns" "$PPCTL" set interface south address 198.51.100.$n &&
		ip netns exec "$ns" "$PPCTL" publish "$TMPD/users.xml" > /dev/null
	tap_result $? "node $n: north 192.0.2.$n, south 198.51.100.$n, the users published"
	ip netns exec "$ns" "$TFTPD" -e 2> "$TMPD/tftpd$n.log" &
	at_exit "kill $!"
	wait_for 10 grep -q "Tftp: listening on 192.0.2.$n:69" "$TMPD/tftpd$n.log"
done
for n in 1 2 3; do
	[ $n = 1 ] && ns=$NS_PROXY || ns=$(nodens $n)
	ip netns exec "$ns" "$PPCTL" set user active name homer address $PHONE
done
check "node 1 stands for homer's CallManager 1" wait_for 20 ccm_of homer $CCM1
check "node 2 stands for homer's CallManager 2" wait_for 20 ccm_of homer $CCM2 "$(nodens 2)"
check "node 3 stands for homer's CallManager 1 (3 mod 2)" wait_for 20 ccm_of homer $CCM1 "$(nodens 3)"
check "homer's SCCP through node 1 reaches CallManager 1" reaches "$NS_PHONE" $CCM1 $NORTH
check "homer's SCCP through node 2 reaches CallManager 2" reaches "$NS_PHONE" $CCM2 $N2
check "homer's SCCP through node 3 reaches CallManager 1" reaches "$NS_PHONE" $CCM1 $N3
check "... each from its node's south address (1, 2, 3)" \
	sh -c "[ \"\$(grep accepted $WHO | tail -n 3 | cut -d' ' -f3 | tr '\\n' ' ')\" = '$SOUTH 198.51.100.2 198.51.100.3 ' ]"
tap_done
