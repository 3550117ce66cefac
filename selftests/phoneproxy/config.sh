#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Configuration management (guide: "Configuration Management"): roles bind
# to addresses the host has, bad values are refused naming the input and
# change nothing, `show config running` recreates the running state,
# `save config` + the boot-time replay of the startup config restore it.
source "$(dirname "$0")/lib.sh"
require ip

setup_topology || { tap_result 1 "lab topology"; tap_done; }

check_fail "binding north to an address the host does not have is refused" \
	pp set interface north address 203.0.113.77
check_fail "north and south cannot share an address" \
	pp set interface south address $NORTH
check_fail "a netmask is refused: the host owns addressing" \
	pp set interface north address $NORTH netmask 255.255.255.0
check_fail "a non-numeric idle timeout is refused" \
	pp set phoneproxy activation idletimeout abc
check_fail "an out-of-range idle timeout is refused" \
	pp set phoneproxy activation idletimeout 99999999
check_fail "an unknown activation mode is refused" \
	pp set phoneproxy activation mode sometimes
check_fail "keywords are case sensitive" \
	pp SET phoneproxy activation mode open
check_fail "an inverted RTP port range is refused" \
	pp set phoneproxy rtp ports 30000 20000

check_fail "an SRTP suite the phones do not use is refused" \
	pp set phoneproxy media srtp aes_cm_128_hmac_sha1_64
check "the defaults are the guide's: idletimeout 300, authtimeout 0, mode required; SRTP suite _32" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show config running > $TMPD/run0 &&
	       grep -qx 'set phoneproxy media srtp aes_cm_128_hmac_sha1_32' $TMPD/run0 &&
	       grep -qx 'set phoneproxy activation idletimeout 300' $TMPD/run0 &&
	       grep -qx 'set phoneproxy activation authtimeout 0' $TMPD/run0 &&
	       grep -qx 'set phoneproxy activation mode required' $TMPD/run0"

pp set phoneproxy activation idletimeout 120
pp set phoneproxy activation authtimeout 3600
pp set phoneproxy activation mode open
pp set phoneproxy httpproxy enable
pp set phoneproxy media srtp aes_cm_128_hmac_sha1_80
write_users_xml "$TMPD/users.xml"
pp publish "$TMPD/users.xml" >/dev/null
pp show config running > "$TMPD/running"
check "show config running carries the interface roles" \
	grep -qx "set interface north address $NORTH" "$TMPD/running"
check "show config running carries the changed values" \
	sh -c "grep -qx 'set phoneproxy activation idletimeout 120' $TMPD/running &&
	       grep -qx 'set phoneproxy activation authtimeout 3600' $TMPD/running &&
	       grep -qx 'set phoneproxy activation mode open' $TMPD/running &&
	       grep -qx 'set phoneproxy httpproxy enable' $TMPD/running &&
	       grep -qx 'set phoneproxy media srtp aes_cm_128_hmac_sha1_80' $TMPD/running"
check_fail "show config startup before save says there is none" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show config startup | grep -q 'set '"
check "save config" pp save config
check "show config startup equals the running config" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show config startup | diff - $TMPD/running"

# A reboot: a fresh proxy namespace replays the startup config.
ip netns del "$NS_PROXY"
NS_PROXY=pp-proxy2-$SFX
ip netns add "$NS_PROXY"
at_exit "ip netns del $NS_PROXY"
ip -n "$NS_PROXY" link set lo up
ip -n "$NS_PROXY" link add br-north type bridge
ip -n "$NS_PROXY" addr add $NORTH/24 dev br-north
ip -n "$NS_PROXY" link add south type dummy
ip -n "$NS_PROXY" addr add $SOUTH/24 dev south
check "the boot-time replay (ppctl -f startup.conf) succeeds" \
	pp -f "$PP_CONF_DIR/startup.conf"
check "after the replay the running config is what was saved" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show config running | diff - $TMPD/running"
check "after the replay the users are provisioned" \
	show_user_has '^homer +SEP001122334455 +\[inactive\]'

# A replay that fails names the file and line.
printf 'set phoneproxy activation idletimeout 60\nset phoneproxy activation mode never\n' > "$TMPD/bad.conf"
out=$(pp -f "$TMPD/bad.conf" 2>&1)
[ $? != 0 ] && printf '%s' "$out" | grep -q "$TMPD/bad.conf:2:"
tap_result $? "a bad line in a command file is reported as file:line"

check "ppctl -j show phoneproxy prints JSON" \
	sh -c "ip netns exec $NS_PROXY $PPCTL -j show phoneproxy | python3 -m json.tool"
check "ppctl -j show counters prints JSON" \
	sh -c "ip netns exec $NS_PROXY $PPCTL -j show counters | python3 -m json.tool"
check "ppctl -j show callmanager prints JSON" \
	sh -c "ip netns exec $NS_PROXY $PPCTL -j show callmanager | python3 -m json.tool"
check "help lists the commands" sh -c "$PPCTL help | grep -q 'set user active'"
check "'? set' lists what may follow set" sh -c "$PPCTL '?' set | grep -q user"
check "'set user ?' lists active and inactive" \
	sh -c "$PPCTL set user '?' | grep -q active && $PPCTL set user '?' | grep -q inactive"
check "the interactive shell runs commands at a '> ' prompt" \
	sh -c "printf 'show user\nexit\n' | ip netns exec $NS_PROXY $PPCTL | grep -q '^homer'"

tap_done
