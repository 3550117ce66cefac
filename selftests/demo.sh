#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# make demo: the lab inside the QEMU guest. Two remote phones on the north
# side, the proxy, a CallManager on the south side. Publishes the sample
# users, activates homer's phone and shows what each phone can reach.
source "$(dirname "$0")/phoneproxy/lib.sh"
require ip nmap python3 ping

say() { printf '\n== %s\n' "$*"; }
run() { printf '> %s\n' "$*"; "$@"; }
ppctl() { pp "$@"; }

say "Lab: phone $PHONE (homer) and phone2 $PHONE2 (never activated) -- north $NORTH | proxy | south $SOUTH -- CallManager $CCM"
setup_topology || exit 1
write_users_xml "$TMPD/users.xml"
nsx "$NS_PROXY" python3 "$(dirname "$0")/phoneproxy/listen.py" $NORTH \
	tcp:22 tcp:80 tcp:443 tcp:2000 tcp:2443 tcp:8088 udp:69 > "$TMPD/l" 2>&1 &
at_exit "kill $!"
wait_for 10 grep -q listening "$TMPD/l"

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
say "What homer's activated phone ($PHONE) sees on the north address (services listen on 22, 80, 443, 2000, 2443, 8088, 69/udp)"
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
exit 0
