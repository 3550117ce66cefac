#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Configuration management (guide: "Configuration Management"): roles bind
# to addresses the host has, bad values are refused naming the input and
# change nothing, `show config running` recreates the running state,
# `save config` + the boot-time replay of the startup config restore it;
# every set has its unset (the default back, in the module or in the daemon
# told); help WORDS, ? WORDS, WORDS ? and WORDS help list the commands.
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

# ---- unset (guide: "Configuration Management"): every set has its unset,
# which returns the value to the factory default through set's path: the
# module's by netlink, the daemons' in their files, the daemon told. ----
TLSD=${TLSD:-$PP_OUT/userspace/tlsd/pp-tlsd}
for d in "$TFTPD" "$HTTPD" "$TLSD"; do
	[ -x "$d" ] || { tap_result 1 "$d is built"; tap_done; }
done
ip netns exec "$NS_PROXY" "$TFTPD" -e 2> "$TMPD/tftpd.log" &
at_exit "kill $!"
ip netns exec "$NS_PROXY" "$HTTPD" > "$TMPD/httpd.log" 2>&1 &
at_exit "kill $!"
ip netns exec "$NS_PROXY" "$TLSD" -e 2> "$TMPD/tlsd.log" &
at_exit "kill $!"
check "pp-tftpd, pp-httpd and pp-tlsd start in the proxy's namespace" \
	wait_for 10 sh -c "grep -q started $TMPD/httpd.log && grep -q 'pp-tlsd started' $TMPD/tlsd.log &&
			   grep -q 'pp-tftpd started' $TMPD/tftpd.log"
# module_back "SET WORDS" "UNSET WORDS" "RUNNING LINE" "SHOW REGEX": set a
# value other than the default, unset it: show config running carries the
# default and the module has it (show phoneproxy reads it from the module).
module_back() {
	pp $1 >/dev/null 2>&1 || return 1
	pp show config running | grep -qx "$3" && return 1	# the set took
	pp $2 || return 1
	pp show config running | grep -qx "$3" && pp show phoneproxy | grep -Eq "$4"
}
check "unset phoneproxy activation idletimeout: back to 300 in show config running and in the module" \
	module_back "set phoneproxy activation idletimeout 77" "unset phoneproxy activation idletimeout" \
	"set phoneproxy activation idletimeout 300" "^activation idletimeout +300$"
check "unset phoneproxy activation mode: back to required" \
	module_back "set phoneproxy activation mode open" "unset phoneproxy activation mode" \
	"set phoneproxy activation mode required" "^activation mode +required$"
check "unset phoneproxy rtp ports: both ports back to 20480 21680" \
	module_back "set phoneproxy rtp ports 30000 30100" "unset phoneproxy rtp ports" \
	"set phoneproxy rtp ports 20480 21680" "^rtp ports +20480 21680$"
check "unset phoneproxy media srtp: back to aes_cm_128_hmac_sha1_32" \
	module_back "set phoneproxy media srtp aes_cm_128_hmac_sha1_80" "unset phoneproxy media srtp" \
	"set phoneproxy media srtp aes_cm_128_hmac_sha1_32" "^media srtp +aes_cm_128_hmac_sha1_32$"
check "unset phoneproxy httpproxy: back to disable" \
	module_back "set phoneproxy httpproxy enable" "unset phoneproxy httpproxy" \
	"set phoneproxy httpproxy disable" "^httpproxy +disable$"
check "unset phoneproxy sccp maxconnections: back to 4" \
	module_back "set phoneproxy sccp maxconnections 9" "unset phoneproxy sccp maxconnections" \
	"set phoneproxy sccp maxconnections 4" "^sccp maxconnections +4$"
check "unset interface south address: the role unbound (show phoneproxy: unset), not in show config running" \
	sh -c "ip netns exec $NS_PROXY $PPCTL unset interface south address &&
	       ip netns exec $NS_PROXY $PPCTL show phoneproxy | grep -Eq '^south address +unset$' &&
	       ! ip netns exec $NS_PROXY $PPCTL show config running | grep -q 'set interface south'"
check "set interface south address binds it again" pp set interface south address $SOUTH
check_fail "unset with a value is refused (unset takes the words of set without the value)" \
	pp unset phoneproxy activation idletimeout 300

# daemon_back FILE "SET WORDS" "UNSET WORDS" "FILE LINE" LOG "LOG LINES" "LAST SAYS":
# set, then unset: the line goes from the daemon's file and from show
# config running, and the daemon, told, logs the default back.
daemon_back() {
	local conf=$PP_CONF_DIR/$1
	pp $2 || return 1
	grep -qx "$4" "$conf" || return 1
	pp $3 || return 1
	! grep -q "$4" "$conf" && ! pp show config running | grep -q "$4" &&
		wait_for 5 sh -c "grep -E '$6' $5 | tail -n 1 | grep -Eq '$7'"
}
check "unset phoneproxy tftp rate: out of tftpd.conf and show config running, pp-tftpd back at its defaults" \
	daemon_back tftpd.conf "set phoneproxy tftp rate 50" "unset phoneproxy tftp rate" \
	"set phoneproxy tftp rate 50" "$TMPD/tftpd.log" "settings of .* taken" "taken: the defaults"
check "unset phoneproxy tftp transferlifetime: pp-tftpd back at its defaults" \
	daemon_back tftpd.conf "set phoneproxy tftp transferlifetime 60s" \
	"unset phoneproxy tftp transferlifetime" "set phoneproxy tftp transferlifetime 60000ms" \
	"$TMPD/tftpd.log" "settings of .* taken" "taken: the defaults"
check "unset phoneproxy loglevel: pp-tftpd back at brief" \
	daemon_back tftpd.conf "set phoneproxy loglevel full" "unset phoneproxy loglevel" \
	"set phoneproxy loglevel full" "$TMPD/tftpd.log" "Tftp: loglevel" "loglevel brief"
check "unset phoneproxy http maxconnections peraddress: pp-httpd back at 32 per address" \
	daemon_back httpd.conf "set phoneproxy http maxconnections peraddress 31" \
	"unset phoneproxy http maxconnections peraddress" \
	"set phoneproxy http maxconnections peraddress 31" "$TMPD/httpd.log" \
	"connections: at most" ", 32 per address"
check "unset phoneproxy httpproxy mode (as before): pp-httpd back at internal" \
	daemon_back httpd.conf "set phoneproxy httpproxy mode external" "unset phoneproxy httpproxy mode" \
	"set phoneproxy httpproxy mode external" "$TMPD/httpd.log" "settings: " "httpproxy mode internal"
check "unset phoneproxy sccp security maxconnections peraddress: pp-tlsd back at 8" \
	daemon_back tlsd.conf "set phoneproxy sccp security maxconnections peraddress 2" \
	"unset phoneproxy sccp security maxconnections peraddress" \
	"set phoneproxy sccp security maxconnections peraddress 2" "$TMPD/tlsd.log" \
	"settings of .* taken" "peraddress 8,"
check "unset phoneproxy sccp security handshaketimeout: pp-tlsd back at 10 s" \
	daemon_back tlsd.conf "set phoneproxy sccp security handshaketimeout 30" \
	"unset phoneproxy sccp security handshaketimeout" \
	"set phoneproxy sccp security handshaketimeout 30" "$TMPD/tlsd.log" \
	"settings of .* taken" "handshaketimeout 10 s"
check "unset phoneproxy httpproxy allow <url> (as before): the pattern leaves the allow list" \
	sh -c "ip netns exec $NS_PROXY $PPCTL set phoneproxy httpproxy allow 'http://$CCM/dir/*' &&
	       grep -q allow $PP_CONF_DIR/httpd.conf &&
	       ip netns exec $NS_PROXY $PPCTL unset phoneproxy httpproxy allow 'http://$CCM/dir/*' &&
	       ! grep -q allow $PP_CONF_DIR/httpd.conf"
check_fail "unset of a pattern not in the allow list is refused" \
	pp unset phoneproxy httpproxy allow "http://$CCM/nothere/*"
check "unset phoneproxy tftp retransmit max below retransmit is refused naming both; tftpd.conf unchanged" \
	sh -c "ip netns exec $NS_PROXY $PPCTL set phoneproxy tftp retransmit max 6000 &&
	       ip netns exec $NS_PROXY $PPCTL set phoneproxy tftp retransmit 5000 &&
	       cp $PP_CONF_DIR/tftpd.conf $TMPD/tftpd.before &&
	       ! ip netns exec $NS_PROXY $PPCTL unset phoneproxy tftp retransmit max 2> $TMPD/unset.err &&
	       grep -q 'retransmit max (4000 ms) is below retransmit (5000 ms)' $TMPD/unset.err &&
	       cmp -s $PP_CONF_DIR/tftpd.conf $TMPD/tftpd.before &&
	       ip netns exec $NS_PROXY $PPCTL unset phoneproxy tftp retransmit &&
	       ip netns exec $NS_PROXY $PPCTL unset phoneproxy tftp retransmit max"
check "every set of a setting has its unset: '? unset' lists as many" \
	sh -c "[ \$($PPCTL '?' unset | grep -Ec '^unset (phoneproxy|interface) ') = \$($PPCTL '?' set | grep -Ec '^set (phoneproxy|interface) ') ]"

# ---- help (guide: "CLI Help System") ----
check "help delete lists the delete commands" \
	sh -c "$PPCTL help delete > $TMPD/help.delete && [ \$(wc -l < $TMPD/help.delete) = 3 ] &&
	       grep -q '^delete certificate <pattern>' $TMPD/help.delete &&
	       grep -q '^delete ctl sast sast1|sast2' $TMPD/help.delete &&
	       grep -q '^delete log <pattern>' $TMPD/help.delete"
check "'? delete' and 'delete ?' list the same" \
	sh -c "$PPCTL '?' delete | cmp -s - $TMPD/help.delete && $PPCTL delete '?' | cmp -s - $TMPD/help.delete"
check "'delete certificate help' shows the syntax of delete certificate" \
	sh -c "$PPCTL delete certificate help | grep -q '^delete certificate <pattern> '"
check "help of an unknown word is an error naming it" \
	sh -c "! $PPCTL help frobnicate 2> $TMPD/help.err && grep -q 'unknown command \"frobnicate\"' $TMPD/help.err"

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
