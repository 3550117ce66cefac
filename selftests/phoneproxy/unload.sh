#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Unloading the module with users published and activations present, and
# with namespaces still holding state, leaves no warning and no leak; the
# module loads again and works.
source "$(dirname "$0")/lib.sh"
require ip rmmod insmod

setup_topology || { tap_result 1 "lab topology"; tap_done; }
write_users_xml "$TMPD/users.xml"
pp publish "$TMPD/users.xml" >/dev/null
pp set user active name homer address $PHONE
pp set user active name marge address $PHONE2
pp set phoneproxy activation idletimeout 1000
start_monitor
kill $MONITOR_PID 2>/dev/null
wait $MONITOR_PID 2>/dev/null
dmesg_before=$(dmesg | wc -l)

check "rmmod with activations present" rmmod phoneproxy
check "the module is gone" sh -c "! test -d /sys/module/phoneproxy"
check "insmod again" insmod "$PP_KO"
check "a namespace that lived through the reload starts clean" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show user | awk 'NR > 2' | wc -l | grep -qx 0"
check "the reloaded module takes configuration" \
	pp set interface north address $NORTH
check "deleting a namespace with activations" \
	sh -c "$(declare -f write_users_xml); CCM=$CCM; write_users_xml $TMPD/u2.xml &&
	       ip netns exec $NS_PROXY $PPCTL publish $TMPD/u2.xml >/dev/null &&
	       ip netns exec $NS_PROXY $PPCTL set user active name homer address $PHONE &&
	       ip netns del $NS_PROXY"
check "no warning in the kernel log" \
	sh -c "! dmesg | tail -n +$((dmesg_before + 1)) | grep -E 'WARNING|BUG|Oops|Call Trace'"

tap_done
