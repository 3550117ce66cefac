#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The north firewall seen by nmap (guide: "Firewall Requirements",
# "Activation", Appendix D): a listener sits on every relevant port of the
# north address, yet a non-activated phone sees only TCP 80 and 443 open,
# every other port filtered (never closed: no RST, no ICMP) and no ping
# reply; an activated phone also reaches SCCP 2000 (its CallManager,
# through the module's NAT), TFTP 69/udp and the
# HTTP proxy 8088 when it is enabled; after inactivation it is back to
# 80/443. Open activation mode opens 69/8088 to everyone (2000 once TFTP
# has activated the phone).
source "$(dirname "$0")/lib.sh"
require ip nmap python3 ping

TCP_PORTS="21 22 23 25 53 80 110 443 1720 2000 2443 5060 8080 8088 8443"
UDP_PORTS="53 69 123 161 2000 5060"

setup_topology || { tap_result 1 "lab topology"; tap_done; }
write_users_xml "$TMPD/users.xml"
pp publish "$TMPD/users.xml" >/dev/null || { tap_result 1 "publish"; tap_done; }

specs=
for p in $TCP_PORTS; do specs="$specs tcp:$p"; done
for p in $UDP_PORTS; do specs="$specs udp:$p"; done
nsx "$NS_PROXY" python3 "$(dirname "$0")/listen.py" $NORTH $specs > "$TMPD/listen.out" 2>&1 &
at_exit "kill $!"
wait_for 10 grep -q listening "$TMPD/listen.out" || { tap_result 1 "listeners up"; tap_done; }
# SCCP 2000 is not served on the proxy: the module NATs an allowed
# connection to the user's CallManager, which listens there.
nsx "$NS_CCM" python3 "$(dirname "$0")/listen.py" $CCM tcp:2000 > "$TMPD/listen-ccm.out" 2>&1 &
at_exit "kill $!"
wait_for 10 grep -q listening "$TMPD/listen-ccm.out" || { tap_result 1 "CallManager listener up"; tap_done; }

scan "$NS_PHONE2" > "$TMPD/scan-none"
diag "non-activated view: $(grep -v filtered "$TMPD/scan-none" | tr '\n' ' ')"
check "non-activated phone: exactly TCP 80 and 443 open, all else filtered" \
	expect_view "$TMPD/scan-none" "80/tcp 443/tcp"
check "no port is closed (no RST, no ICMP unreachable)" \
	sh -c "! grep -q closed '$TMPD/scan-none'"
check "ping works on the north segment (phone2 pings phone)" \
	nsx "$NS_PHONE2" ping -c 1 -W 2 $PHONE
check_fail "ping to the north address is unanswered" \
	nsx "$NS_PHONE2" ping -c 2 -W 1 -i 0.3 $NORTH

pp set user active name homer address $PHONE
scan "$NS_PHONE" > "$TMPD/scan-act"
diag "activated view: $(grep -v filtered "$TMPD/scan-act" | tr '\n' ' ')"
check "activated phone: 80, 443, SCCP 2000 and TFTP 69/udp" \
	expect_view "$TMPD/scan-act" "80/tcp 443/tcp 2000/tcp 69/udp"
scan "$NS_PHONE2" > "$TMPD/scan-other"
check "another phone's activation opens nothing for the non-activated phone" \
	expect_view "$TMPD/scan-other" "80/tcp 443/tcp"
check_fail "ping stays unanswered for an activated phone" \
	nsx "$NS_PHONE" ping -c 2 -W 1 -i 0.3 $NORTH

pp set phoneproxy httpproxy enable
pp set phoneproxy sccp security on
scan "$NS_PHONE" > "$TMPD/scan-proxy"
# Secure SCCP on: the SCCP proxy drops new plain SYNs to 2000 (docs/sccp.md).
check "with httpproxy and SCCP security on: also 8088 and 2443, plain SCCP 2000 no more" \
	expect_view "$TMPD/scan-proxy" "80/tcp 443/tcp 2443/tcp 8088/tcp 69/udp"
pp set phoneproxy sccp security off

pp set user inactive name homer
scan "$NS_PHONE" > "$TMPD/scan-after"
check "after inactivation the phone is back to 80/443 only" \
	expect_view "$TMPD/scan-after" "80/tcp 443/tcp"

pp set phoneproxy activation mode open
scan "$NS_PHONE2" > "$TMPD/scan-open"
# The firewall lets SCCP through too, but the SCCP proxy has no user (no
# SID to check, no CallManager) for an address TFTP has not activated yet:
# it drops the connection (docs/sccp.md).
check "open activation mode opens 69 and 8088 to everyone; SCCP 2000 waits for the TFTP activation" \
	expect_view "$TMPD/scan-open" "80/tcp 443/tcp 8088/tcp 69/udp"
pp set user active name marge address $PHONE2
scan "$NS_PHONE2" > "$TMPD/scan-open-active"
check "open activation mode, once activated: SCCP 2000 reaches the CallManager" \
	expect_view "$TMPD/scan-open-active" "80/tcp 443/tcp 2000/tcp 8088/tcp 69/udp"
pp set user inactive name marge
pp set phoneproxy activation mode required

pp set phoneproxy http disable
scan "$NS_PHONE2" > "$TMPD/scan-nohttp"
check "with the HTTP service disabled nothing is open" \
	expect_view "$TMPD/scan-nohttp" ""
pp set phoneproxy http enable

# Replies to connections the proxy opens itself pass the firewall.
nsx "$NS_PHONE" python3 "$(dirname "$0")/listen.py" $PHONE tcp:7000 > "$TMPD/l2" 2>&1 &
at_exit "kill $!"
wait_for 10 grep -q listening "$TMPD/l2"
check "a connection the proxy opens toward a phone gets its replies" \
	nsx "$NS_PROXY" python3 -c "
import socket
s = socket.create_connection(('$PHONE', 7000), timeout=3)
s.close()"

check "the verdict counters count drops and accepts" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show counters | grep -Eiq 'drop.*[1-9]'"

tap_done
