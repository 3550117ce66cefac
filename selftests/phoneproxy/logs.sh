#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The guide's "System Logs" and "Troubleshooting" (docs/logs.md): pp-logd
# writes phoneproxy.log from every component (the module's activations
# and SCCP registrations, pp-tftpd, pp-httpd, pp-tlsd) with user, SID and
# addresses; show log
# -filter on a SID and on a component, -tail; rotation after 5,000 lines
# (two writers at once, no line lost or torn) and at midnight (the
# writer's test clock, PP_LOG_TIME_OFFSET), a bounded number of files;
# list log, delete log; shell.log records set, unset, publish and
# activation with the Unix user; "set phoneproxy loglevel" applied by
# pp-logd to every component and kept in the running configuration.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"
require ip curl in.tftpd tftp
LOGD=${LOGD:-$PP_OUT/userspace/logd/pp-logd}
TLSD=${TLSD:-$PP_OUT/userspace/tlsd/pp-tlsd}
LOGSEND=${LOGSEND:-$PP_OUT/userspace/tests/logsend}
for b in "$LOGD" "$TFTPD" "$HTTPD" "$TLSD" "$LOGSEND" "$CCM_SIM" "$PHONE_SIM"; do
	[ -x "$b" ] || skip_all "not built: $b"
done

export PP_LOG_DIR=$TMPD/log TZ=UTC
LD=$PP_LOG_DIR
SID=SEP001122334455

start_logd() {	# start_logd [TIME_OFFSET]: until its "started" line is written
	local n
	n=$(cat "$LD"/log-*.txt 2>/dev/null | grep -c "pp-logd started")
	PP_LOG_KEEP=3 PP_LOG_TIME_OFFSET=${1:-0} ip netns exec "$NS_PROXY" "$LOGD" -e \
		2>> "$TMPD/pp-logd.err" &
	LOGD_PID=$!
	wait_for 10 eval "[ \$(cat $LD/log-*.txt | grep -c 'pp-logd started') -gt $n ]"
}
phase() { diag "${SECONDS}s: $*"; }
stop_logd() { kill "$LOGD_PID" 2>/dev/null; wait "$LOGD_PID" 2>/dev/null; }
at_exit 'stop_logd'
# send N TAG [LEVEL [WRITERS]]: lines on pp-logd's socket, as a daemon
# sends them, from WRITERS processes at once (tags TAGA, TAGB...).
send() { ip netns exec "$NS_PROXY" "$LOGSEND" "$1" "$2" "${3:-6}" ${4:+"$4"}; }
log_has() { grep -Eq "$1" "$LD/phoneproxy.log"; }

setup_topology || { tap_result 1 "lab topology"; tap_done; }
start_logd
tap_result $? "pp-logd starts and writes phoneproxy.log in \$PP_LOG_DIR"
check "phoneproxy.log is a link to log-<17 digits>.txt (the guide's name)" \
	eval "readlink $LD/phoneproxy.log | grep -Eq '^log-[0-9]{17}\.txt$'"

write_users_xml "$TMPD/users.xml"
check "publish" pp publish "$TMPD/users.xml"
pp set phoneproxy http enable > /dev/null
pp set phoneproxy http publish webpage > /dev/null

# ---- every component's lines ----
phase "every component's lines"
ROOT=$TMPD/ccm-tftp
mkdir -p "$ROOT"
cp "$PP_TOP/userspace/tests/data/tftp/SEP001380AD9E5F.cnf.xml" "$ROOT/$SID.cnf.xml"
ccm_tftpd "$ROOT"
ip netns exec "$NS_PROXY" "$TFTPD" -e 2> "$TMPD/pp-tftpd.err" &
at_exit "kill $!"
ip netns exec "$NS_PROXY" "$HTTPD" > "$TMPD/pp-httpd.err" 2>&1 &
at_exit "kill $!"
ip netns exec "$NS_PROXY" "$TLSD" -e 2> "$TMPD/pp-tlsd.err" &
at_exit "kill $!"
check "set user active (the CLI)" pp set user active name homer address $PHONE
check "Activation: the module's event with user, SID, address and reason" \
	wait_for 5 log_has "Activation: activated user=homer sid=$SID addr=$PHONE reason=cli"
phase "tftp"
wait_for 5 log_has "Tftp: listening on $NORTH:69"
check "Tftp: a configuration file served, with user, SID and the phone's address" \
	eval "ip netns exec $NS_PHONE tftp $NORTH -m binary -c get $SID.cnf.xml $TMPD/got &&
	      wait_for 5 log_has 'Tftp: .*$SID.cnf.xml.* $PHONE.*user=homer sid=$SID'"
phase "the web page"
# A failed login on the web page (pp-httpd started meanwhile).
wait_for 20 log_has "Http: north http: activation page on $NORTH:80"
nsx "$NS_PHONE" curl -sS --max-time 30 --data-urlencode "username=homer" \
	--data-urlencode "password=wrong" --data-urlencode "address=$PHONE" \
	-d action=activate "http://$NORTH/" > /dev/null 2>&1 &
check "Http: a failed login on the web page, with the user and the client's address" \
	wait_for 20 log_has "Http: page: login of \"homer\" from $PHONE failed"
check "Tls: pp-tlsd's lines" wait_for 5 log_has "Tls: pp-tlsd started"

# ---- the SCCP proxy's lines (the module's registration events) ----
phase "sccp"
OTHER=SEP0003E348E321
ip netns exec "$NS_PROXY" "$PPCTL" monitor > "$TMPD/monitor" 2>&1 &
at_exit "kill $!"
ccm_start ccm
phone_start homer "$NS_PHONE" --server $NORTH --sid $SID --retry 0 --duration 4
check "Sccp: a phone registered through the proxy, with user, SID, its address and the CallManager" \
	wait_for 20 log_has "Sccp: registered user=homer sid=$SID addr=$PHONE ccm=$CCM\$"
check "Sccp: it unregistered (reason=unregister)" \
	wait_for 20 log_has "Sccp: unregistered user=homer sid=$SID addr=$PHONE ccm=$CCM reason=unregister"
wait "$PHONE_PID"
phone_start homer2 "$NS_PHONE" --server $NORTH --sid $SID --retry 0
wait_for 20 eval "[ \$(grep -c 'Sccp: registered user=homer' $LD/phoneproxy.log) = 2 ]"
kill -KILL "$PHONE_PID"	# SIGTERM would unregister first
check "Sccp: a phone gone without unregistering (reason=closed)" \
	wait_for 20 log_has "Sccp: unregistered user=homer sid=$SID addr=$PHONE ccm=$CCM reason=closed"
phone_start evil "$NS_PHONE" --server $NORTH --sid $OTHER --retry 0
check "Sccp: a phone registering as another user's SID: refused, the device it named, reset (warning)" \
	wait_for 20 log_has "Sccp: refused user=homer sid=$SID addr=$PHONE ccm=$CCM: registered as device \"$OTHER\""
check_fail "... and it never registered" log_has "Sccp: registered user=homer sid=$OTHER"
check "ppctl monitor: the registration events, with the CallManager, the device and why" \
	eval "grep -q '^registered user=homer sid=$SID addr=$PHONE ccm=$CCM device=$SID\$' $TMPD/monitor &&
	      grep -q '^unregistered user=homer sid=$SID addr=$PHONE ccm=$CCM device=$SID reason=closed\$' $TMPD/monitor &&
	      grep -q '^refused user=homer sid=$SID addr=$PHONE ccm=$CCM device=$OTHER\$' $TMPD/monitor"
check "every line: date, time to the ms, a component" \
	eval "! grep -Ev '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} [A-Z][a-z]+: ' $LD/phoneproxy.log"

# ---- show log ----
phase "show log"
"$PPCTL" show log phoneproxy.log -filter $SID > "$TMPD/sid"
check "show log -filter SID (the guide's troubleshooting): the activation, TFTP and SCCP lines" \
	eval "grep -q 'Activation: activated user=homer' $TMPD/sid && grep -q 'Tftp: ' $TMPD/sid &&
	      grep -q 'Sccp: registered' $TMPD/sid"
check "... and only lines with the SID" eval "! grep -v $SID $TMPD/sid"
"$PPCTL" show log -filter Tftp > "$TMPD/tftp"
check "show log -filter Tftp: only pp-tftpd's lines" \
	eval "[ -s $TMPD/tftp ] && ! grep -v ' Tftp: ' $TMPD/tftp"
check "show log -tail 2 -filter Tftp: the last 2 TFTP lines" \
	eval "[ \"\$($PPCTL show log -tail 2 -filter Tftp)\" = \"\$(tail -n 2 $TMPD/tftp)\" ]"
check_fail "show log -filter with a bad expression: refused" "$PPCTL" show log -filter '('

# ---- loglevel: one setting, every component, pp-logd applies it ----
phase "loglevel"
check "set phoneproxy loglevel min" pp set phoneproxy loglevel min
send 1 brief-line-at-min 6
send 1 notice-line-at-min 5
check "min: a notice reaches the log, an info line of any component does not" \
	eval "snooze 0.5; grep -q 'notice-line-at-min' $LD/phoneproxy.log && ! grep -q 'brief-line-at-min' $LD/phoneproxy.log"
check "set phoneproxy loglevel full" pp set phoneproxy loglevel full
send 1 debug-line-at-full 7
check "full: a debug line reaches the log" wait_for 5 log_has "debug-line-at-full"
check "show config running holds set phoneproxy loglevel full" \
	eval "ip netns exec $NS_PROXY $PPCTL show config running | grep -qx 'set phoneproxy loglevel full'"
check "save config keeps it in startup.conf" \
	eval "ip netns exec $NS_PROXY $PPCTL save config && grep -qx 'set phoneproxy loglevel full' $PP_CONF_DIR/startup.conf"
check "unset phoneproxy loglevel" pp unset phoneproxy loglevel
check "... back to brief (the default): pp-logd says so, the running config has no loglevel line" \
	eval "snooze 0.3; tail -n 3 $LD/phoneproxy.log | grep -q 'Log: loglevel brief' &&
	       ! ip netns exec $NS_PROXY $PPCTL show config running | grep -q loglevel"

# ---- shell.log ----
phase "shell.log"
check "shell.log: set user active, publish, set and unset loglevel with the Unix user" \
	eval "grep -q ' root (uid 0): set user active name homer address $PHONE$' $LD/shell.log &&
	       grep -q ' root (uid 0): publish ' $LD/shell.log &&
	       grep -q ' root (uid 0): set phoneproxy loglevel full$' $LD/shell.log &&
	       grep -q ' root (uid 0): unset phoneproxy loglevel$' $LD/shell.log &&
	       grep -q ' root (uid 0): save config$' $LD/shell.log"
check "shell.log: a refused change is recorded with its reason" \
	eval "! ip netns exec $NS_PROXY $PPCTL set user active name nobody address $PHONE2 2>/dev/null;
	       grep -q 'set user active name nobody address $PHONE2: failed: UserAuthFailure: ' $LD/shell.log"
check_fail "shell.log: show commands are not recorded" grep -q 'show log' "$LD/shell.log"
check "show log shell.log shows it" eval "$PPCTL show log shell.log | grep -q 'unset phoneproxy loglevel'"

# ---- rotation after 5,000 lines: two writers at once ----
phase "rotation after 5,000 lines"
first=$(readlink "$LD/phoneproxy.log")
before=$(wc -l < "$LD/$first")
send 3000 writer 6 2
wait_for 10 eval "[ \$(cat $LD/log-*.txt | grep -c 'Test: writer') = 6000 ]"
second=$(readlink "$LD/phoneproxy.log")
check "5,000 lines: $first closed with exactly 5,000 lines (had $before)" \
	eval "[ \$(wc -l < $LD/$first) = 5000 ] && [ $second != $first ]"
check "phoneproxy.log now names the new file $second" test -f "$LD/$second"
for w in writerA writerB; do
	check "$w: its 3,000 lines all there once, in order, across the rotation" \
		eval "cat $LD/$first $LD/$second | grep -o 'Test: $w [0-9]*' | awk '{print \$3}' | \
		       awk 'BEGIN{n=0} \$1!=n{exit 1} {n++} END{exit n!=3000}'"
done
check "no torn line: every line is whole" \
	eval "! cat $LD/$first $LD/$second | grep -Ev '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]{12} [A-Z][a-z]+: '"

# ---- midnight: the writer's clock 15 s before the next midnight (UTC) ----
phase "midnight"
# (15 s: an emulated guest on a loaded host took more than 5 s to restart
# pp-logd and send the line that must land before midnight.)
stop_logd
now=$(date +%s)
start_logd $(( (now / 86400 + 1) * 86400 - 15 - now ))
tap_result $? "pp-logd restarted with its clock at 23:59:45 (PP_LOG_TIME_OFFSET)"
send 1 before-midnight
wait_for 5 log_has before-midnight
eve=$(readlink "$LD/phoneproxy.log")
while [ "$(date +%s)" -lt $((now + 16)) ]; do snooze 0.3; done
send 1 after-midnight
check "after midnight: a new file, although it had few lines" wait_for 5 log_has after-midnight
day=$(readlink "$LD/phoneproxy.log")
check "... named at 00:00 of the next day ($day), the line before midnight in $eve" \
	eval "[ $day != $eve ] && echo $day | grep -Eq '^log-[0-9]{8}0000' &&
	       grep -q before-midnight $LD/$eve && [ \$(wc -l < $LD/$day) -le 2 ]"

# ---- a bounded number of files ----
phase "a bounded number of files"
send 12000 bulk
wait_for 10 eval "grep -q 'Test: bulk 11999' $LD/phoneproxy.log"
n=$(ls "$LD" | grep -Ec '^log-[0-9]{17}\.txt$')
check "12,000 more lines: $n log files kept (PP_LOG_KEEP=3), the oldest removed" test "$n" = 3
check_fail "... $first is gone" test -e "$LD/$first"

# ---- list log, delete log ----
phase "list log, delete log"
"$PPCTL" list log > "$TMPD/list"
check "list log: the files, phoneproxy.log -> the current one, shell.log" \
	eval "grep -q 'phoneproxy.log .*-> $(readlink "$LD/phoneproxy.log")' $TMPD/list &&
	       grep -q '^shell.log ' $TMPD/list && [ \$(grep -c '^log-' $TMPD/list) = 3 ]"
check "list log -nodetail 'log-*': names only" \
	eval "[ \"\$($PPCTL list log 'log-*' -nodetail)\" = \"\$(cd $LD && ls log-*.txt)\" ]"
check "delete log phoneproxy.log: kept (the guide: do not delete it)" \
	eval "$PPCTL delete log phoneproxy.log | grep -q kept && test -L $LD/phoneproxy.log"
old=$(cd "$LD" && ls log-*.txt | head -n 1)
check "delete log $old: gone, recorded in shell.log" \
	eval "$PPCTL delete log $old && ! test -e $LD/$old &&
	       grep -q 'delete log $old$' $LD/shell.log"
check "pp-logd is still running" kill -0 "$LOGD_PID"
[ -n "${PP_VM_OUT:-}" ] && cp "$LD/shell.log" "$PP_VM_OUT/logs-shell.log" &&
	cp "$LD/$(readlink "$LD/phoneproxy.log")" "$PP_VM_OUT/logs-phoneproxy.log"
[ -s "$TMPD/pp-logd.err" ] && diag "pp-logd: $(tail -n 3 "$TMPD/pp-logd.err" | tr '\n' ' ')"
tap_done
