#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The north firewall judges the north interface, whatever address a packet
# is for, in both families (docs/security.md, "Firewall: the north
# interface, both families"). Linux is a weak host: it accepts on any
# interface a packet for any of its addresses. A host on the north link
# that routes the south prefix (and the IPv6 ones) through the proxy must
# still see nothing: nmap against listeners on the south address and on
# every IPv6 address of the proxy finds everything filtered, nothing
# closed, no ping answer; neighbour discovery, the box's own loopback
# traffic and the south link keep working.
source "$(dirname "$0")/lib.sh"
require ip nmap python3 ping

TCP_PORTS="21 22 23 25 53 80 110 443 1720 2000 2443 5060 8080 8088 8443"
UDP_PORTS="53 69 123 161 2000 5060"

setup_topology || { tap_result 1 "lab topology"; tap_done; }
setup_ipv6 || { tap_result 1 "IPv6 on the lab links"; tap_done; }
write_users_xml "$TMPD/users.xml"
pp publish "$TMPD/users.xml" >/dev/null || { tap_result 1 "publish"; tap_done; }
nsx "$NS_CCM" python3 "$(dirname "$0")/listen.py" $CCM tcp:2000 > "$TMPD/listen-ccm.out" 2>&1 &
at_exit "kill $!"
drops() { pp show counters | awk '$1 == "drop" {print $2}'; }

cat > "$TMPD/listen6.py" <<'PY'
# listen.py's twin on every IPv6 address ("::"): accept TCP, answer UDP.
import selectors, socket, sys
sel = selectors.DefaultSelector()
for spec in sys.argv[1:]:
    proto, port = spec.split(":")
    tcp = proto == "tcp"
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind(("::", int(port)))
    if tcp:
        s.listen(64)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, tcp)
print("listening", flush=True)
while True:
    for key, _ in sel.select():
        try:
            if key.data:
                c, _ = key.fileobj.accept()
                c.close()
            else:
                _, peer = key.fileobj.recvfrom(2048)
                key.fileobj.sendto(b"\x00\x05\x00\x01test\x00", peer)
        except OSError:
            pass
PY
specs=
for p in $TCP_PORTS; do specs="$specs tcp:$p"; done
for p in $UDP_PORTS; do specs="$specs udp:$p"; done
nsx "$NS_PROXY" python3 "$(dirname "$0")/listen.py" $SOUTH $specs > "$TMPD/listen-south.out" 2>&1 &
at_exit "kill $!"
nsx "$NS_PROXY" python3 "$TMPD/listen6.py" $specs > "$TMPD/listen6.out" 2>&1 &
at_exit "kill $!"
wait_for 10 grep -q listening "$TMPD/listen-south.out" || { tap_result 1 "south listeners up"; tap_done; }
wait_for 10 grep -q listening "$TMPD/listen6.out" || { tap_result 1 "IPv6 listeners up"; tap_done; }
wait_for 10 grep -q listening "$TMPD/listen-ccm.out" || { tap_result 1 "CallManager listener up"; tap_done; }

before=$(drops)
scan "$NS_PHONE" $SOUTH > "$TMPD/scan-south"
diag "north host's view of the south address: $(grep -v filtered "$TMPD/scan-south" | tr '\n' ' ')"
check "a north host reaches nothing on the south address: all filtered" \
	expect_view "$TMPD/scan-south" ""
check "no port of the south address is closed (no RST, no ICMP)" \
	sh -c "! grep -q closed '$TMPD/scan-south'"
check "the drop counter counts the scan of the south address" \
	test "$(drops)" -gt "$before"
check_fail "ping from the north link to the south address is unanswered" \
	nsx "$NS_PHONE" ping -c 2 -W 1 -i 0.3 $SOUTH
pp set user active name homer address $PHONE
scan "$NS_PHONE" $SOUTH > "$TMPD/scan-south-act"
check "an activated phone reaches nothing on the south address either" \
	expect_view "$TMPD/scan-south-act" ""
pp set user inactive name homer
check_fail "a north host cannot reach the CallManager directly (routed, not proxied)" \
	nsx "$NS_PHONE" python3 -c "
import socket
socket.create_connection(('$CCM', 2000), timeout=2).close()"

scan "$NS_PHONE" $NORTH6 > "$TMPD/scan-north6"
diag "north host's IPv6 view of the north interface: $(grep -v filtered "$TMPD/scan-north6" | tr '\n' ' ')"
check "IPv6: nothing is open on the north interface's address, all filtered" \
	expect_view "$TMPD/scan-north6" ""
check "IPv6: no port is closed (no RST, no ICMPv6)" \
	sh -c "! grep -q closed '$TMPD/scan-north6'"
scan "$NS_PHONE" $SOUTH6 > "$TMPD/scan-south6"
check "IPv6: nothing is open on the south interface's address" \
	expect_view "$TMPD/scan-south6" ""
check_fail "IPv6: ping from the north link is unanswered" \
	nsx "$NS_PHONE" ping -6 -c 2 -W 1 -i 0.3 $NORTH6
# Neighbour discovery passes (docs/security.md): the IPv6 twin of ARP.
check "IPv6: neighbour discovery on the north link still resolves the proxy" \
	sh -c "ip -n $NS_PHONE -6 neigh show $NORTH6 dev veth-ph | grep -q lladdr"
check "IPv6: the proxy still talks to itself (loopback is not the north side)" \
	nsx "$NS_PROXY" python3 -c "
import socket
for a in ('::1', '$NORTH6'):
    socket.create_connection((a, 22), timeout=2).close()"
check "IPv6: the south link is not judged (a south host reaches the proxy)" \
	nsx "$NS_CCM" python3 -c "
import socket
socket.create_connection(('$SOUTH6', 22), timeout=2).close()"

tap_done
