#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# make demo: the whole user story of the guide, in the QEMU lab. Two
# remote phones on the north side, the proxy, a CallManager (pp-ccm-sim
# and its TFTP server) on the south side. The administrator publishes the
# CallManagers and imports the users from a CSV; a phone that is not
# activated sees only the activation page; homer activates on it (headless
# Chromium, screenshot kept, or curl); his phone fetches its configuration
# through pp-tftpd (the rewrite shown); both phones register through the
# proxy, homer calls marge (remote to remote) and a south phone, the
# in-kernel relay moves the RTP (show calls); the administrator
# inactivates homer; phoneproxy.log tells the story.
source "$(dirname "$0")/phoneproxy/lib.sh"
source "$(dirname "$0")/phoneproxy/sim.sh"
require ip nmap python3 ping curl tftp in.tftpd
LOGD=${LOGD:-$PP_OUT/userspace/logd/pp-logd}
OUT=${PP_VM_OUT:-$TMPD}
# New password hashes cost 600,000 PBKDF2 iterations by default: an
# emulated guest is ~50 times slower, so the demo makes them cheaper.
export PP_PW_ITERATIONS=10000 PP_LOG_DIR=$TMPD/log TZ=UTC
mkdir -p "$PP_LOG_DIR"

say() { printf '\n== %s\n' "$*"; }
run() { printf '> %s\n' "$*"; "$@"; }
ppctl() { pp "$@"; }

say "Lab: phone $PHONE (homer) and phone2 $PHONE2 (marge) -- north $NORTH | proxy | south $SOUTH -- CallManager $CCM"
setup_topology || exit 1
# pp-logd first: every component's lines go to phoneproxy.log.
if [ -x "$LOGD" ]; then
	ip netns exec "$NS_PROXY" "$LOGD" 2>> "$TMPD/pp-logd.err" &
	at_exit "kill $!"
fi
# The CallManager (pp-ccm-sim) listens for SCCP on $CCM:2000: the proxy
# NATs an activated phone's connection to its north port 2000 there
# (CCM_SIM and PHONE_SIM: lib.sh). Its TFTP server (Debian's tftpd-hpa)
# holds the phones' configuration files.
if [ -x "$CCM_SIM" ]; then
	ccm_start ccm || { echo "pp-ccm-sim did not start"; exit 1; }
fi
ROOT=$TMPD/ccm-tftp
mkdir -p "$ROOT"
CNF=$PP_TOP/userspace/tests/data/tftp/SEP001380AD9E5F.cnf.xml
cp "$CNF" "$ROOT/SEP001122334455.cnf.xml"
cp "$CNF" "$ROOT/SEP0003E348E321.cnf.xml"
ccm_tftpd "$ROOT"

say "The administrator publishes the CallManagers, then imports the users from a CSV (passwords in clear are hashed)"
PS4='> '
cat > "$TMPD/users.xml" <<XML
<users name="pp-demo">
  <ccm name="ccm" default="true"><address>$CCM</address></ccm>
</users>
XML
run ppctl publish "$TMPD/users.xml"
cat > "$TMPD/users.csv" <<CSV
Username,Password,First,Last,Sid,CCM Name
homer,D0h!Homer,Homer,Simpson,SEP001122334455,ccm
marge,Marge#2026,Marge,Simpson,SEP0003E348E321,ccm
bart,Eat+My5hort,Bart,Simpson,SEP001647051B3A,ccm
CSV
sed 's/^/  /' "$TMPD/users.csv"
run ppctl import users "$TMPD/users.csv"
run ppctl show user
run ppctl set phoneproxy httpproxy enable
run ppctl set phoneproxy http publish webpage
ip netns exec "$NS_PROXY" "$TFTPD" -e 2> "$TMPD/pp-tftpd.log" &
at_exit "kill $!"
ip netns exec "$NS_PROXY" "$HTTPD" > "$TMPD/pp-httpd.log" 2>&1 &
at_exit "kill $!"
wait_for 20 nsx "$NS_PHONE" curl -sf --max-time 5 -o /dev/null "http://$NORTH/"

view() {
	nsx "$1" nmap -n -Pn -sS -sU -p T:22,80,443,2000,2443,8088,U:69 \
		--max-retries 1 --max-rtt-timeout 300ms -T4 $NORTH 2>/dev/null |
		grep -E '^[0-9]+/(tcp|udp)'
}
say "What a phone that is not activated ($PHONE) sees on the north address: the activation page only"
view "$NS_PHONE"
say "Ping from it"
nsx "$NS_PHONE" ping -c 2 -W 1 $NORTH | grep -E 'packets transmitted'

say "homer activates his phone's address on the web page (http://$NORTH/)"
if command -v chromium >/dev/null; then
	nsx "$NS_PHONE" timeout 120 python3 "$(dirname "$0")/phoneproxy/browser.py" \
		"http://$NORTH/" homer 'D0h!Homer' "$OUT/demo-activation.png" 2>/dev/null |
		sed 's/^/  chromium: /'
	[ -s "$OUT/demo-activation.png" ] && echo "  (screenshot: demo-activation.png in the guest's output directory)"
fi
if ! show_user_has "^homer .*$PHONE"; then
	nsx "$NS_PHONE" curl -sS --max-time 30 --data-urlencode username=homer \
		--data-urlencode 'password=D0h!Homer' --data-urlencode "address=$PHONE" \
		-d action=activate "http://$NORTH/" | grep -o 'Activated: [^<]*' | sed 's/^/  curl: /'
fi
run ppctl show user

say "homer's phone fetches its configuration through the proxy: pp-tftpd gets it from the CallManager's TFTP server and rewrites it"
nsx "$NS_PHONE" tftp $NORTH -m binary -c get SEP001122334455.cnf.xml "$TMPD/homer.cnf.xml"
diff -u --label "CallManager's SEP001122334455.cnf.xml" --label "what homer's phone received" \
	"$ROOT/SEP001122334455.cnf.xml" "$TMPD/homer.cnf.xml" | grep -E '^[-+]' | head -20

say "What homer's activated phone ($PHONE) sees now (2000 is the CallManager's, through the proxy)"
view "$NS_PHONE"
say "Firewall verdict counters"
run ppctl show counters

say "marge activates too (curl), and her phone fetches its configuration"
nsx "$NS_PHONE2" curl -sS --max-time 30 --data-urlencode username=marge \
	--data-urlencode 'password=Marge#2026' --data-urlencode "address=$PHONE2" \
	-d action=activate "http://$NORTH/" | grep -o 'Activated: [^<]*' | sed 's/^/  curl: /'
nsx "$NS_PHONE2" tftp $NORTH -m binary -c get SEP0003E348E321.cnf.xml "$TMPD/marge.cnf.xml"
[ -s "$TMPD/marge.cnf.xml" ] && echo "  marge's configuration: $(wc -c < "$TMPD/marge.cnf.xml") bytes, rewritten the same way"

# Part two: calls through the proxy, only SCCP signalling sets them up.
HOMER=SEP001122334455
MARGE=SEP0003E348E321
if [ ! -x "$CCM_SIM" ] || [ ! -x "$PHONE_SIM" ]; then
	say "The SCCP simulators are not built (make -C userspace): no calls"
	exit 1
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

say "Calls. The CallManager ($CCM) runs pp-ccm-sim"

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

say "The administrator inactivates homer: his phone is back to the activation page only"
run ppctl set user inactive name homer
view "$NS_PHONE"
run ppctl show user

if [ -x "$LOGD" ]; then
	say "The story in phoneproxy.log (every component's lines, one file)"
	run ppctl show log -tail 30
	say "Troubleshooting homer's phone: the lines naming its SID"
	run ppctl show log -filter SEP001122334455
	say "What the administrator did (shell.log)"
	run ppctl show log shell.log
fi
exit 0
