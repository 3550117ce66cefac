#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# A CallManager given by host name (guide "Users": the CallManager may be
# given by name): resolved when the users are published (an unresolvable
# name refuses the publish, nothing changed), shown with its address by
# show callmanager, followed by "refresh callmanager" when the name moves
# (SCCP then goes to the new address), and kept at its last address when
# the name stops resolving. The resolver is the system's (glibc's
# getaddrinfo over /etc/hosts): the test gives ppctl its own /etc/hosts
# and an /etc/resolv.conf whose DNS server refuses at once.
source "$(dirname "$0")/lib.sh"
require ip python3 unshare mount

CCM_B=198.51.100.11
HOSTS=$TMPD/hosts
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "$TMPD/resolv.conf"
# ppctl in the proxy's namespace, resolving with $HOSTS.
ppr() {
	unshare -m sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf &&
		shift 2 && exec ip netns exec "$NS" "$PPCTL" "$@"' sh "$HOSTS" "$TMPD/resolv.conf" "$@"
}
export NS=$NS_PROXY PPCTL

setup_topology || { tap_result 1 "lab topology"; tap_done; }
ip -n "$NS_CCM" addr add $CCM_B/24 dev veth-ccm
echo "$CCM ccm.example.net" > "$HOSTS"
users_xml() {	# users_xml FILE ADDRESS
	cat > "$1" <<XML
<users name="pp-test">
  <ccm name="ccm" default="true">
    <address>$2</address>
  </ccm>
  <user id="1" name="homer"><ccmName>ccm</ccmName><sid>SEP001122334455</sid></user>
</users>
XML
}
users_xml "$TMPD/users.xml" ccm.example.net
check "publish a users.xml whose CallManager is a host name" ppr publish "$TMPD/users.xml"
ppr show callmanager > "$TMPD/show1"
check "show callmanager gives the name's address and the host name" \
	grep -Eq "^ccm +$CCM +yes +ccm.example.net$" "$TMPD/show1"
ppr -j show callmanager > "$TMPD/show1j"
check "show callmanager -j has the host" grep -Eq '"host": ?"ccm.example.net"' "$TMPD/show1j"
check "the kept users file keeps the name (not the address)" \
	grep -q "<address>ccm.example.net</address>" "$PP_STATE_DIR/users.xml"

# SCCP goes to the address the name had at publish.
connects() {	# connects: a TCP connection to north:2000 is proxied and accepted
	nsx "$NS_PHONE" timeout 10 python3 -c "
import socket, sys
s = socket.create_connection(('$NORTH', 2000), timeout=8)
s.sendall(b'x'); sys.exit(0)"
}
ip netns exec "$NS_CCM" python3 "$(dirname "$0")/listen.py" $CCM tcp:2000 > "$TMPD/l1" 2>&1 &
L1=$!
at_exit "kill $L1 2>/dev/null"
wait_for 10 grep -q listening "$TMPD/l1"
ppr set user active name homer address $PHONE
check "an activated phone's SCCP reaches the CallManager at the resolved address" connects

# The name moves: refresh follows it.
kill $L1; wait $L1 2>/dev/null
ip netns exec "$NS_CCM" python3 "$(dirname "$0")/listen.py" $CCM_B tcp:2000 > "$TMPD/l2" 2>&1 &
L2=$!
at_exit "kill $L2 2>/dev/null"
wait_for 10 grep -q listening "$TMPD/l2"
check_fail "before the refresh, SCCP still goes to the old address (nothing listens there)" connects
echo "$CCM_B ccm.example.net" > "$HOSTS"
ppr refresh callmanager > "$TMPD/refresh1" 2>&1
rc=$?
check "refresh callmanager publishes the name's new address (exit 0)" \
	sh -c "[ $rc = 0 ] && grep -q 'ccm \"ccm\": host \"ccm.example.net\": $CCM -> $CCM_B' $TMPD/refresh1"
check "show callmanager gives the new address" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show callmanager | grep -Eq '^ccm +$CCM_B +yes'"
check "homer's activation survived the refresh" show_user_has "^homer +SEP001122334455 +$PHONE "
check "new SCCP connections go to the new address" connects
ppr refresh callmanager > "$TMPD/refresh2" 2>&1
check "a refresh with nothing changed changes nothing" \
	grep -q "1 CallManager by name: 0 changed, 0 unresolved" "$TMPD/refresh2"

# The name stops resolving: the last address is kept, and said.
: > "$HOSTS"
ppr refresh callmanager > "$TMPD/refresh3" 2>&1
rc=$?
check "a name that no longer resolves: refresh exits 1 and keeps the last address" \
	sh -c "[ $rc = 1 ] && grep -q 'does not resolve' $TMPD/refresh3 && grep -q 'keeping $CCM_B' $TMPD/refresh3"
check "... show callmanager still gives it" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show callmanager | grep -Eq '^ccm +$CCM_B +yes'"
check "... and SCCP still works" connects

# At publish an unresolvable name is an error, and nothing changes.
users_xml "$TMPD/nowhere.xml" nowhere.example.net
ppr publish "$TMPD/nowhere.xml" > "$TMPD/nowhere.out" 2>&1
rc=$?
diag "$(cat "$TMPD/nowhere.out")"
check "publishing an unresolvable name fails with file:line and the reason" \
	sh -c "[ $rc != 0 ] && grep -Fq '$TMPD/nowhere.xml:2: ccm \"ccm\": host \"nowhere.example.net\" does not resolve' $TMPD/nowhere.out"
check "... and the CallManager in effect is unchanged" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show callmanager | grep -Eq '^ccm +$CCM_B +yes'"
users_xml "$TMPD/badname.xml" "ccm_1.example.net"
check "a host name that is not one is refused as such" \
	sh -c "ip netns exec $NS_PROXY $PPCTL publish $TMPD/badname.xml 2>&1 | grep -q 'is not an IPv4 address or a host name'"

tap_done
