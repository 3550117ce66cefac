#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The administrator asks "can the proxy work?" (issue 18 item 5):
# "ppctl show status" on a configured lab says yes (exit 0); IP forwarding
# off, a missing south address, a stopped pp-tftpd are each flagged and
# make it exit 1; "set interface" warns when forwarding is off (and still
# applies the change); "show version" gives the versions the build says.
source "$(dirname "$0")/lib.sh"
require ip python3 setpriv
[ -x "$TFTPD" ] || skip_all "pp-tftpd not built ($TFTPD)"
[ -x "$HTTPD" ] || skip_all "pp-httpd not built ($HTTPD)"
LOGD=${LOGD:-$PP_OUT/userspace/logd/pp-logd}
[ -x "$LOGD" ] || skip_all "pp-logd not built ($LOGD)"
export PP_LOG_DIR=$TMPD/log

setup_topology || skip_all "cannot set up the lab"
write_users_xml "$TMPD/users.xml"
check "users.xml is published" pp publish "$TMPD/users.xml"
ip netns exec "$NS_PROXY" "$TFTPD" -e 2> "$TMPD/tftpd.log" &
TFTPD_PID=$!
at_exit "kill $TFTPD_PID"
ip netns exec "$NS_PROXY" "$HTTPD" > "$TMPD/httpd.log" 2>&1 &
HTTPD_PID=$!
at_exit "kill $HTTPD_PID"

# status_is RC REGEX: "show status" exits RC and prints a line matching REGEX.
OUT=$TMPD/status.out
status_is() {
	local want=$1 rc
	pp show status > "$OUT" 2> "$TMPD/status.err"
	rc=$?
	if [ "$rc" = "$want" ] && grep -Eq "$2" "$OUT"; then
		return 0
	fi
	echo "exit $rc (want $want), no line matching \"$2\":"
	cat "$OUT" "$TMPD/status.err"
	return 1
}

# ---- a configured lab: every check ok ----
check "show status: a configured lab with its daemons can work (exit 0)" \
	wait_for 10 status_is 0 '^status: ok: the proxy can work$'
check "show status: north, south and forwarding are ok" \
	sh -c "grep -q '^north  *ok  *$NORTH\$' '$OUT' && grep -q '^south  *ok  *$SOUTH\$' '$OUT' &&
	       grep -q '^ip_forward  *ok ' '$OUT' && ! grep -q PROBLEM '$OUT'"
check "show status: pp-tftpd and pp-httpd running; pp-tlsd not required with sccp security off" \
	sh -c "grep -q '^pp-tftpd  *ok  *running\$' '$OUT' && grep -q '^pp-httpd  *ok  *running\$' '$OUT' &&
	       grep -q '^pp-tlsd  *-  *not running (not required: sccp security off)\$' '$OUT'"
check "show status: pp-logd stopped is said, but the proxy can work without it" \
	grep -q '^pp-logd  *-  *not running (not required: phoneproxy.log is not written; journald has every line)$' "$OUT"
ip netns exec "$NS_PROXY" "$LOGD" -e 2> "$TMPD/logd.log" &
at_exit "kill $!"
check "show status: pp-logd running" wait_for 10 status_is 0 '^pp-logd  *ok  *running$'
check "show status: the users published, active, registered and the calls now" \
	grep -q '^users  *-  *3 published, 0 active, 0 registered; 0 calls now$' "$OUT"
check "show status -j: ok, no problem, the counts" \
	sh -c "ip netns exec $NS_PROXY $PPCTL -j show status | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s[\"ok\"] is True and s[\"problems\"] == 0, s
assert [c[\"check\"] for c in s[\"checks\"]] == [\"module\", \"north\", \"south\", \"ip_forward\", \"pp-tftpd\", \"pp-httpd\", \"pp-tlsd\", \"pp-logd\"], s
assert s[\"counts\"] == {\"users\": 3, \"active\": 0, \"registered\": 0, \"calls\": 0}, s
'"
out=$(ip netns exec "$NS_PROXY" setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all "$PPCTL" show status 2>&1)
[ $? = 0 ] && printf '%s\n' "$out" | grep -q '^users  *-  *3 published, 0 active, ? (not permitted) registered; 0 calls now$'
tap_result $? "show status as nobody: the proxy can work; the registered users are not known without CAP_NET_ADMIN"

# ---- forwarding off: flagged, and set interface warns ----
ip netns exec "$NS_PROXY" sysctl -q -w net.ipv4.ip_forward=0
check "show status: net.ipv4.ip_forward 0 is a PROBLEM, exit 1" \
	status_is 1 '^ip_forward  *PROBLEM  *net\.ipv4\.ip_forward is 0 in this network namespace'
check "show status: the overall line says the proxy cannot work" \
	grep -q '^status: 1 PROBLEM: the proxy cannot work$' "$OUT"
err=$(pp set interface north address $NORTH 2>&1 >/dev/null)
rc=$?
[ $rc = 0 ] && printf '%s' "$err" | grep -q 'warning: net.ipv4.ip_forward is 0 in this network namespace'
tap_result $? "set interface with forwarding off: applied (exit 0) with a warning on stderr"
ip netns exec "$NS_PROXY" sysctl -q -w net.ipv4.ip_forward=1
err=$(pp set interface north address $NORTH 2>&1 >/dev/null)
[ $? = 0 ] && [ -z "$err" ]
tap_result $? "set interface with forwarding on: no warning"
check "show status: forwarding back on, the proxy can work" status_is 0 '^ip_forward  *ok '

# ---- the south address missing ----
check "set interface south address 0.0.0.0 unsets the south address" \
	pp set interface south address 0.0.0.0
check "show status: no south address is a PROBLEM, exit 1" \
	status_is 1 '^south  *PROBLEM  *no south address'
check "set interface south address again" pp set interface south address $SOUTH
check "show status: south back, the proxy can work" status_is 0 "^south  *ok  *$SOUTH\$"

# ---- pp-tftpd stopped ----
kill "$TFTPD_PID" && wait "$TFTPD_PID"
check "show status: a stopped pp-tftpd is \"not running\", a PROBLEM, exit 1" \
	status_is 1 '^pp-tftpd  *PROBLEM  *not running$'

# ---- show version: what the build says ----
V=$(sed -n 's/^#define PHONEPROXY_VERSION[[:space:]]*"\(.*\)"$/\1/p' "$PP_TOP/include/uapi/linux/phoneproxy.h")
U=$(sed -n 's/^#define PHONEPROXY_GENL_VERSION[[:space:]]*\([0-9]*\)$/\1/p' "$PP_TOP/include/uapi/linux/phoneproxy.h")
check "the build's version is one string, dkms.conf's PACKAGE_VERSION too ($V)" \
	sh -c "[ -n '$V' ] && grep -qx 'PACKAGE_VERSION=\"$V\"' '$PP_TOP/dkms.conf'"
check "the loaded module's MODULE_VERSION is the build's" \
	grep -qx "$V" /sys/module/phoneproxy/version
pp show version > "$OUT"
rc=$?
if [ $rc = 0 ] && grep -qx "ppctl   $V (uapi version $U)" "$OUT" &&
	grep -qx "module  $V (uapi version $U)" "$OUT" &&
	grep -qx "kernel  $(uname -s) $(uname -r) $(uname -m)" "$OUT"; then
	tap_result 0 "show version: ppctl's and the module's versions and uapi are the build's, the kernel is uname's"
else
	tap_result 1 "show version: ppctl's and the module's versions and uapi are the build's, the kernel is uname's"
	sed 's/^/#   /' "$OUT"
fi
check "show version -j: the same" \
	sh -c "ip netns exec $NS_PROXY $PPCTL -j show version | python3 -c '
import json, sys
v = json.load(sys.stdin)
assert v[\"ppctl\"] == \"$V\" and v[\"uapi\"] == $U, v
assert v[\"module\"] == {\"version\": \"$V\", \"uapi\": $U}, v
'"
tap_done
