#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# make demo: the lab inside the QEMU guest. Two remote phones on the north
# side, the proxy, a CallManager on the south side. Publishes the sample
# users, activates homer's phone and shows what each phone can reach.
# Then calls: homer's and marge's phones (pp-phone-sim) register through
# the proxy with a simulated CallManager (pp-ccm-sim), homer calls marge,
# then a phone on the south side; the in-kernel relay moves the RTP and
# `ppctl show calls` counts it.
source "$(dirname "$0")/phoneproxy/lib.sh"
source "$(dirname "$0")/phoneproxy/sim.sh"
require ip nmap python3 ping

say() { printf '\n== %s\n' "$*"; }
run() { printf '> %s\n' "$*"; "$@"; }
ppctl() { pp "$@"; }

say "Lab: phone $PHONE (homer) and phone2 $PHONE2 (marge, not activated yet) -- north $NORTH | proxy | south $SOUTH -- CallManager $CCM"
setup_topology || exit 1
write_users_xml "$TMPD/users.xml"
nsx "$NS_PROXY" python3 "$(dirname "$0")/phoneproxy/listen.py" $NORTH \
	tcp:22 tcp:80 tcp:443 tcp:2443 tcp:8088 udp:69 > "$TMPD/l" 2>&1 &
at_exit "kill $!"
wait_for 10 grep -q listening "$TMPD/l"
# The CallManager (pp-ccm-sim) listens for SCCP on $CCM:2000: the proxy
# NATs an activated phone's connection to its north port 2000 there
# (CCM_SIM and PHONE_SIM: lib.sh).
if [ -x "$CCM_SIM" ]; then
	ccm_start ccm || { echo "pp-ccm-sim did not start"; exit 1; }
fi

say "The administrator publishes users.xml and activates homer"
PS4='> '
run ppctl publish "$TMPD/users.xml"
run ppctl set phoneproxy httpproxy enable
run ppctl set user active name homer address $PHONE
run ppctl show user

view() {
	nsx "$1" nmap -n -Pn -sS -sU -p T:22,80,443,2000,2443,8088,U:69 \
		--max-retries 1 --max-rtt-timeout 300ms -T4 $NORTH 2>/dev/null |
		grep -E '^[0-9]+/(tcp|udp)'
}
say "What homer's activated phone ($PHONE) sees on the north address (services listen on 22, 80, 443, 2443, 8088, 69/udp; 2000 is the CallManager's, through the proxy)"
view "$NS_PHONE"
say "What the non-activated phone ($PHONE2) sees"
view "$NS_PHONE2"
say "Ping from the non-activated phone"
nsx "$NS_PHONE2" ping -c 2 -W 1 $NORTH | grep -E 'packets transmitted'
say "Firewall verdict counters"
run ppctl show counters
say "The administrator inactivates homer: his phone is back to the activation page only"
run ppctl set user inactive name homer
view "$NS_PHONE"
run ppctl show user

# Part two: calls through the proxy, only SCCP signalling sets them up.
HOMER=SEP001122334455
MARGE=SEP0003E348E321
if [ ! -x "$CCM_SIM" ] || [ ! -x "$PHONE_SIM" ]; then
	say "The SCCP simulators are not built (make -C userspace): no calls"
	exit 0
fi
# The CallManager's console: one command to the running simulator.
callmanager() { ctl ccm "$@"; }
# What a phone heard: its simulator's last media-stats line holding WHAT,
# once there are N (default 1) such lines (sim.sh's media_stats).
heard() {	# heard NAME FILE WHAT [N]
	local l
	l=$(media_stats "$2" "$3" "$4")
	[ -n "$l" ] || { echo "  $1: no stream"; return; }
	printf '  %-6s received %s RTP packets from %s, lost %s, sent %s\n' "$1" \
		"$(field "$l" rx_packets)" "$(field "$l" rx_src)" "$(field "$l" rx_lost)" \
		"$(field "$l" tx_packets)"
}

say "Calls. The CallManager ($CCM) runs pp-ccm-sim; homer and marge are activated again"
run ppctl set user active name homer address $PHONE
run ppctl set user active name marge address $PHONE2

say "Both phones register with the proxy's north address $NORTH:2000 (the proxy relays SCCP to the CallManager)"
# homer sits behind a home router: his phone announces a private address.
phone_start homer "$NS_PHONE" --server $NORTH --sid $HOMER --announce 203.0.113.10
HOMER_PID=$PHONE_PID
phone_start marge "$NS_PHONE2" --server $NORTH --sid $MARGE
MARGE_PID=$PHONE_PID
run callmanager wait registered 2 20 || { cat "$TMPD"/*.out "$TMPD"/*.err; exit 1; }
grep -h '^registered' "$TMPD/ccm.out" | sed 's/^/  CallManager: /'

say "homer calls marge: both are remote, the audio hairpins through the proxy's relay ports"
run callmanager call $HOMER $MARGE
sleep 2
run ppctl show calls
sleep 3
say "... three seconds later: the packet counters grow (50 packets/s each way)"
run ppctl show calls
run callmanager hangup
sleep 1
heard homer "$TMPD/homer.out" "sid=$HOMER "
heard marge "$TMPD/marge.out" "sid=$MARGE "

say "homer calls a south phone (the CallManager's own media endpoint at $CCM)"
run callmanager call $HOMER south
sleep 2
run ppctl show calls
sleep 3
run ppctl show calls
run ppctl show user
run ppctl show stats
say "Hang up"
run callmanager hangup
sleep 1
heard homer "$TMPD/homer.out" "sid=$HOMER " 2
heard south "$TMPD/ccm.out" "sid=south .*end=hangup"
wait_for 5 eval "[ \"\$(pp -j show calls)\" = '[]' ]"
run ppctl show calls
kill -TERM $HOMER_PID $MARGE_PID
wait $HOMER_PID $MARGE_PID 2>/dev/null
exit 0
