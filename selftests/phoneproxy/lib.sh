#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Shared helpers of the phoneproxy selftests: TAP output, unique network
# namespaces torn down on exit, the lab topology, waiting without sleeps.
#
#   phone  192.0.2.10 ---+
#                        |  br-north 192.0.2.1    south 198.51.100.1
#   phone2 192.0.2.20 ---+-------[ proxy ]------------------------ ccm 198.51.100.10
#
# Only documentation prefixes are used (RFC 5737).

ksft_pass=0
ksft_fail=1
ksft_skip=4

PP_TOP=${PP_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# What make builds, all under build/ (scripts/mirror.sh); each may be
# pointed elsewhere from the environment (an ASan build of pp-httpd...).
PP_OUT=${PP_OUT:-$PP_TOP/build}
PP_KO=${PP_KO:-$PP_OUT/kmod/phoneproxy.ko}
# The independent CTL/.sgn reader (usecallmanagernz/certutils): the
# project's ../shared/peers (the guide's place for test oracles).
if [ -z "${PP_CERTUTILS:-}" ]; then
	for PP_CERTUTILS in "$PP_TOP/../shared/peers/certutils" /work/shared/peers/certutils; do
		[ -d "$PP_CERTUTILS" ] && break
	done
fi
PPCTL=${PPCTL:-$PP_OUT/userspace/ppctl/ppctl}
HTTPD=${HTTPD:-$PP_OUT/userspace/httpd/pp-httpd}
TFTPD=${TFTPD:-$PP_OUT/userspace/tftpd/pp-tftpd}
CCM_SIM=${CCM_SIM:-$PP_OUT/userspace/sim/pp-ccm-sim}
PHONE_SIM=${PHONE_SIM:-$PP_OUT/userspace/sim/pp-phone-sim}
REPLAY=${REPLAY:-$PP_OUT/userspace/sim/pp-replay}
SFX=$(mktemp -u XXXXXX)
NS_PHONE=pp-phone-$SFX
NS_PHONE2=pp-phone2-$SFX
NS_PROXY=pp-proxy-$SFX
NS_CCM=pp-ccm-$SFX
NORTH=192.0.2.1
SOUTH=198.51.100.1
PHONE=192.0.2.10
PHONE2=192.0.2.20
CCM=198.51.100.10

_tap_n=0
_tap_failed=0
_cleanup_cmds=()
TMPD=$(mktemp -d /tmp/pp-test.XXXXXX)
# Each test keeps its own startup config and published users file.
export PP_CONF_DIR=$TMPD/etc PP_STATE_DIR=$TMPD/state
mkdir -p "$PP_CONF_DIR" "$PP_STATE_DIR"

# ok/not ok lines, numbered; the plan comes at the end.
tap_result() {	# tap_result 0|1 "description"
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=1
	fi
}

# check "description" command...: the command's status is the result.
check() {
	local desc=$1
	shift
	local out
	if out=$("$@" 2>&1); then
		tap_result 0 "$desc"
	else
		tap_result 1 "$desc"
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 40
	fi
}

# check_fail "description" command...: passes when the command fails.
check_fail() {
	local desc=$1
	shift
	local out
	if out=$("$@" 2>&1); then
		tap_result 1 "$desc"
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 20
	else
		tap_result 0 "$desc"
	fi
}

diag() { printf '# %s\n' "$*"; }

# The debug-kernel lane (make check runs the guest there with
# PP_LANE=debug): KASAN and lockdep under TCG make every step several
# times slower, and the lane is there to find memory and locking errors in
# the module, which one pass over a kernel path finds. A part of a test
# that only repeats kernel paths this test (or KUnit on that kernel)
# already ran may be left out there, with a SKIP naming where they run:
#	if debug_lane; then lane_skip "description" "where"; else ... fi
debug_lane() { [ "${PP_LANE:-}" = debug ]; }
lane_skip() { tap_result 0 "$1 # SKIP on the debug kernel: $2"; }

skip_all() {
	echo "1..0 # SKIP $*"
	exit $ksft_skip
}

tap_done() {
	echo "1..$_tap_n"
	[ $_tap_failed = 0 ] && exit $ksft_pass
	exit $ksft_fail
}

at_exit() { _cleanup_cmds+=("$*"); }

_cleanup() {
	local i
	for ((i = ${#_cleanup_cmds[@]} - 1; i >= 0; i--)); do
		eval "${_cleanup_cmds[$i]}" >/dev/null 2>&1
	done
	for ns in $NS_PHONE $NS_PHONE2 $NS_PROXY $NS_CCM; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMPD"
}
trap _cleanup EXIT

require() {
	local t
	[ "$(id -u)" = 0 ] || skip_all "must run as root"
	for t in "$@"; do
		command -v "$t" >/dev/null || skip_all "$t not installed"
	done
	[ -x "$PPCTL" ] || skip_all "ppctl not built ($PPCTL)"
	[ -d /sys/module/phoneproxy ] || skip_all "phoneproxy module not loaded"
}

# Run in a namespace.
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
pp() { ip netns exec "$NS_PROXY" "$PPCTL" "$@"; }
show_user_has() { pp show user | grep -Eq "$1"; }

# snooze SECONDS: sleep without starting a process. In an emulated guest
# every exec costs tens to hundreds of milliseconds of CPU, and the polling
# loops below would pay one per turn for sleep(1) alone. read -t on a FIFO
# nobody writes to is bash's own timer (the guest has no /dev/fd for a
# process substitution). Where that cannot be set up, or read ends
# otherwise than by its timeout, sleep(1) does it.
_snooze_fd=
if mkfifo "$TMPD/.snooze" 2> /dev/null; then
	exec {_snooze_fd}<> "$TMPD/.snooze" || _snooze_fd=
fi
snooze() {
	if [ -n "$_snooze_fd" ]; then
		read -r -t "$1" -u "$_snooze_fd" _ 2> /dev/null
		[ $? -gt 128 ] && return 0
	fi
	sleep "$1"
}

# wait_for SECONDS command...: poll until the command succeeds.
wait_for() {
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		snooze 0.1
	done
	return 1
}

# until_ok SECONDS command...: like wait_for, but bounded in time however
# long each try takes (curl and TLS are slow in an emulated guest). The
# clock is bash's own ($EPOCHSECONDS): no date(1) process per try.
until_ok() {
	local end=$((EPOCHSECONDS + $1))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$EPOCHSECONDS" -ge "$end" ] && return 1
		snooze 0.3
	done
}

# The lab: two phones on a north bridge, the proxy, a CallManager south.
setup_topology() {
	local ns
	for ns in $NS_PHONE $NS_PHONE2 $NS_PROXY $NS_CCM; do
		ip netns add "$ns" || skip_all "cannot create network namespaces"
		ip -n "$ns" link set lo up
	done
	ip -n "$NS_PROXY" link add br-north type bridge || skip_all "no bridge support"
	ip -n "$NS_PROXY" link set br-north up
	ip -n "$NS_PROXY" addr add $NORTH/24 dev br-north
	ip link add veth-ph netns "$NS_PHONE" type veth peer name p-phone netns "$NS_PROXY" ||
		skip_all "no veth support"
	ip link add veth-ph netns "$NS_PHONE2" type veth peer name p-phone2 netns "$NS_PROXY"
	ip link add veth-ccm netns "$NS_CCM" type veth peer name south netns "$NS_PROXY"
	for p in p-phone p-phone2; do
		ip -n "$NS_PROXY" link set $p master br-north up
	done
	ip -n "$NS_PROXY" link set south up
	ip -n "$NS_PROXY" addr add $SOUTH/24 dev south
	ip -n "$NS_PHONE" addr add $PHONE/24 dev veth-ph
	ip -n "$NS_PHONE" link set veth-ph up
	ip -n "$NS_PHONE2" addr add $PHONE2/24 dev veth-ph
	ip -n "$NS_PHONE2" link set veth-ph up
	ip -n "$NS_CCM" addr add $CCM/24 dev veth-ccm
	ip -n "$NS_CCM" link set veth-ccm up
	# Addresses must be usable at once (no duplicate address detection
	# here, IPv4), and the bridge forwards without waiting for STP.
	ip -n "$NS_PROXY" link set br-north type bridge forward_delay 0 stp_state 0 2>/dev/null
	# The appliance forwards what its SCCP proxy NATs (the startup unit
	# sets this too); the module drops every other forwarded packet.
	ip netns exec "$NS_PROXY" sysctl -q -w net.ipv4.ip_forward=1
	pp set interface north address $NORTH || return 1
	pp set interface south address $SOUTH || return 1
}

# A users.xml in the guide's Appendix B format.
write_users_xml() {	# write_users_xml FILE [extra <user> xml...]
	local f=$1
	shift
	cat > "$f" <<XML
<users name="pp-test">
  <ccm name="ccm" default="true">
    <address>$CCM</address>
  </ccm>
  <proxy uuid="17a98efd474962b0247eb2325d0d85b91a5ded15" assign_users="true" />
  <user id="568e3845-ecc3-4408-8cee-6ed731f35675" name="homer">
    <first>homer</first>
    <last>simpson</last>
    <ccmName>ccm</ccmName>
    <sccpProxy>17a98efd474962b0247eb2325d0d85b91a5ded15</sccpProxy>
    <sid>SEP001122334455</sid>
    <enabled>true</enabled>
    <seed>BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U</seed>
    <hashPw>eGy7g1orzdhyyffgrptVQv2dmDZg=</hashPw>
    <pwDate>2006-10-19-11-59-15-562</pwDate>
  </user>
  <user id="0b7e1c64-3a55-4c1e-9d0a-2f4d8e1b6a01" name="marge">
    <first>marge</first>
    <last>simpson</last>
    <ccmName>ccm</ccmName>
    <sid>SEP0003E348E321</sid>
    <enabled>true</enabled>
  </user>
  <user id="3f0c9a2e-5b8d-4e61-a7f2-9c1d0e4b5a12" name="bart">
    <first>bart</first>
    <last>simpson</last>
    <ccmName>ccm</ccmName>
    <sid>SEP001647051B3A</sid>
    <enabled>false</enabled>
  </user>
$*
</users>
XML
}

# ccm_tftpd ROOT: the CallManager's TFTP server serving ROOT on $CCM:69,
# Debian's tftpd-hpa configured as its /etc/default/tftpd-hpa does
# (tftpd-hpa.conf), in the CallManager's namespace; stopped at exit.
ccm_tftpd() {
	chmod 755 "$1"
	chmod 644 "$1"/*
	source "$(dirname "${BASH_SOURCE[0]}")/tftpd-hpa.conf"
	ip netns exec "$NS_CCM" in.tftpd --foreground --user "$TFTP_USERNAME" \
		--address "$TFTP_ADDRESS" $TFTP_OPTIONS "$1" &
	at_exit "kill $!"
}

# Start "ppctl monitor" in the proxy namespace; events land in $EVENTS.
EVENTS=$TMPD/events
start_monitor() {
	: > "$EVENTS"
	ip netns exec "$NS_PROXY" "$PPCTL" monitor > "$EVENTS" 2>&1 &
	MONITOR_PID=$!
	at_exit "kill $MONITOR_PID"
	# The subscription is live once the process sits in its receive loop.
	sleep 0.3
}

# wait_event SECONDS "pattern": an event line matching the extended regex.
wait_event() { wait_for "$1" grep -Eq "$2" "$EVENTS"; }

# IPv6 on the lab links (documentation prefix 2001:db8::/32, RFC 3849):
# the proxy offers nothing over IPv6, the firewall tests attack it there.
# No duplicate address detection: the addresses are usable at once.
NORTH6=2001:db8:1::1
SOUTH6=2001:db8:2::1
PHONE6=2001:db8:1::10
PHONE2_6=2001:db8:1::20
CCM6=2001:db8:2::10
setup_ipv6() {
	ip -n "$NS_PROXY" addr add $NORTH6/64 dev br-north nodad || return 1
	ip -n "$NS_PROXY" addr add $SOUTH6/64 dev south nodad || return 1
	ip -n "$NS_PHONE" addr add $PHONE6/64 dev veth-ph nodad || return 1
	ip -n "$NS_PHONE2" addr add $PHONE2_6/64 dev veth-ph nodad || return 1
	ip -n "$NS_CCM" addr add $CCM6/64 dev veth-ccm nodad || return 1
	# A host on the north link that sends to the south prefixes through
	# the proxy, as an attacker would.
	ip -n "$NS_PHONE" -6 route add 2001:db8:2::/64 via $NORTH6 || return 1
	ip -n "$NS_PHONE" route add 198.51.100.0/24 via $NORTH || return 1
}

# The north firewall seen by nmap (firewall.sh, firewall_north.sh); the
# caller sets TCP_PORTS and UDP_PORTS, the ports its listeners serve.
# scan NS [TARGET]: print "port/proto state" for every scanned port of
# TARGET: the north address (default) on TCP 1-1024 too; another address
# (an IPv6 one scans over IPv6) on the listeners' ports.
scan() {
	local ns=$1 target=${2:-$NORTH} tcp udp six= range=
	[ "$target" = "$NORTH" ] && range=1-1024
	tcp=$(echo $range $TCP_PORTS | tr ' ' ',')
	udp=$(echo $UDP_PORTS 70 | tr ' ' ',')
	case $target in *:*) six=-6 ;; esac
	nsx "$ns" nmap $six -n -Pn -sS -sU -p "T:$tcp,U:$udp" --max-retries 1 \
		--max-rtt-timeout 300ms --initial-rtt-timeout 200ms \
		--defeat-rst-ratelimit -T4 -oG - "$target" 2>/dev/null |
		python3 -c '
import re, sys
for line in sys.stdin:
    m = re.search(r"Ports: (.*?)(\tIgnored State: (\S+) \((\d+)\))?$", line.rstrip("\n"))
    if not m:
        continue
    for p in m.group(1).split(", "):
        f = p.split("/")
        print(f"{f[0]}/{f[2]} {f[1]}")
    if m.group(3):
        print(f"ignored {m.group(3)} {m.group(4)}")
'
}

# expect_view SCANFILE "port/proto ...": exactly these open, rest filtered.
expect_view() {
	local f=$1 want=$2 got bad
	got=$(awk '$2 == "open" {print $1}' "$f" | sort | tr '\n' ' ' | sed 's/ $//')
	want=$(echo $want | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" != "$want" ]; then
		diag "open: got [$got], want [$want]"
		return 1
	fi
	bad=$(awk '$1 != "ignored" && $2 != "open" && $2 != "filtered" && $2 != "open|filtered"' "$f")
	bad="$bad$(awk '$1 == "ignored" && $2 != "filtered"' "$f")"
	if [ -n "$bad" ]; then
		diag "ports neither open nor filtered: $bad"
		return 1
	fi
	# UDP: open only where we expect; the rest silent (open|filtered).
	return 0
}
