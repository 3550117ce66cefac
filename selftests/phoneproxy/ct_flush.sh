#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Conntrack flushed in a loop during calls (docs/security.md, "Media:
# relay ports, streams, lifetimes"): every flush kills the conntrack
# entries the SCCP proxy keys its connections by, so the collector
# unlinks connections while their segments, calls and media are in
# flight. The unlink marks a connection dead under its lock: a segment
# that found it before cannot create a stream owned by a freed
# connection. Meant for the debug kernel (KASAN, lockdep, kmemleak):
# the kernel log must stay clean, and nothing may be left once the
# phones are gone. Any local user can flush its own namespace's
# conntrack table (unshare -Urn), so this is a local attack too.
#
#   homer 192.0.2.10 --+  br-north 192.0.2.1   south 198.51.100.1
#   marge 192.0.2.20 --+----------[ proxy ]-------------------- ccm 198.51.100.10
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"

require ip conntrack dmesg
require_sims
grep -qw pp_sccp_net_init /proc/kallsyms || skip_all "the module has no SCCP proxy"

A=SEP001122334455	# homer
B=SEP0003E348E321	# marge
ROUNDS=${PP_CT_FLUSH_ROUNDS:-3}

setup_topology || skip_all "cannot build the lab topology"
write_users_xml "$TMPD/users.xml"
pp publish "$TMPD/users.xml" >/dev/null || skip_all "cannot publish users"
pp set user active name homer address $PHONE
pp set user active name marge address $PHONE2
ip netns exec "$NS_PROXY" conntrack -F >/dev/null 2>&1 ||
	skip_all "conntrack -F fails (no CONFIG_NF_CT_NETLINK?)"
pp set phoneproxy media timeout 3

kmsg_mark=$(dmesg | wc -l)
ccm_start ccm --call-timeout 2 || skip_all "pp-ccm-sim does not start"

flush_loop() {	# flush_loop N: N flushes, 50 ms apart
	local i
	for ((i = 0; i < $1; i++)); do
		ip netns exec "$NS_PROXY" conntrack -F >/dev/null 2>&1
		sleep 0.05
	done
}

# A flushed connection stalls (its next segment finds no entry and is
# not a SYN): each round starts the phones afresh (a new registration
# replaces the old one at the CallManager). Round 0's flushes race the
# call's set-up: each lands between OpenReceiveChannel, the Acks,
# StartMediaTransmission and RTP, and the call comes up only when it
# wins. Later rounds let the call come up first, then flush under its
# media and its hangup, so that flushes hit streams in use in every run
# whatever the guest's speed.
up=0 reg=0 raced=no
for ((r = 0; r < ROUNDS; r++)); do
	phone_start homer-$r "$NS_PHONE" --server $NORTH --sid $A --retry 1
	PA=$PHONE_PID
	phone_start marge-$r "$NS_PHONE2" --server $NORTH --sid $B --retry 1
	PB=$PHONE_PID
	# (The CallManager may still count the last round's stalled ones.)
	wait_for 15 grep -q "^registered sid=$A" "$TMPD/homer-$r.out" &&
		wait_for 15 grep -q "^registered sid=$B" "$TMPD/marge-$r.out" &&
		reg=$((reg + 1))
	if ((r == 0)); then
		flush_loop 12 &
		fl=$!
		ctl ccm call $A $B >/dev/null && raced=yes
		ctl ccm call $A south >/dev/null
		wait $fl
	else
		ctl ccm call $A $B >/dev/null && up=$((up + 1))
		ctl ccm call $A south >/dev/null
		flush_loop 6 &
		fl=$!
		sleep 0.2
		ctl ccm hangup >/dev/null
		wait $fl
	fi
	ctl ccm hangup >/dev/null
	flush_loop 3
	kill -KILL $PA $PB
	wait $PA $PB 2>/dev/null
done
diag "$ROUNDS rounds: $reg with both phones registered; the call racing the flushes came up: $raced; $up of $((ROUNDS - 1)) calls up when their media was flushed"
check "the phones registered in every round" eval "[ $reg = $ROUNDS ]"
check "the calls whose media was flushed came up" eval "[ $up = $((ROUNDS - 1)) ]"
phone_start homer "$NS_PHONE" --server $NORTH --sid $A --retry 1
PA=$PHONE_PID
phone_start marge "$NS_PHONE2" --server $NORTH --sid $B --retry 1
PB=$PHONE_PID
check "after the flushes the phones register" \
	eval "wait_for 20 grep -q '^registered sid=$A' '$TMPD/homer.out' &&
	      wait_for 20 grep -q '^registered sid=$B' '$TMPD/marge.out'"
check "and a call between them still comes up" ctl ccm call $A $B
sleep 1
ctl ccm hangup >/dev/null
kill -TERM $PA $PB
wait $PA $PB
ctl ccm quit >/dev/null
# The last entries die with one more flush; the collector runs every 2 s.
ip netns exec "$NS_PROXY" conntrack -F >/dev/null 2>&1
check "no stream is left" wait_for 10 eval "[ \"\$(counter media_streams)\" = 0 ]"
check "no SCCP connection counts as open" wait_for 10 eval "[ \"\$(counter sccp_open)\" = 0 ]"
check "no relay port is left in show calls" no_calls
check "the kernel log is clean (no KASAN, lockdep, WARNING, BUG)" \
	eval "! dmesg | tail -n +$((kmsg_mark + 1)) | grep -E 'KASAN|BUG:|WARNING:|Oops|use-after-free|possible recursive locking|circular locking|suspicious RCU usage'"
pp show counters | grep -E '^sccp|^media'
tap_done
