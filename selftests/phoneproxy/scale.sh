#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The guide's capacity on one node, as a regression test (issue 16): the
# reduced version of bench/scale/run.sh. Counts only, no wall-clock bound
# (the waits are generous liveness limits):
#
#   1,000 phones on 100 addresses --+ br-north 192.0.2.1  south 198.51.100.1
#   192.0.2.30-129, 10 each         +------[ proxy ]---------------- ccm 198.51.100.10
#
# 1. 100 users published and activated, one per address;
# 2. 1,000 phones (pp-phone-sim --sid-count: 10 connections per
#    activation, each registering with its user's SID) register through
#    the SCCP proxy with pp-ccm-sim (--shared-sids): every one registered
#    at the CallManager and counted registered by the module;
# 3. 200 calls phone to phone (400 streams), each phone's own 20 ms
#    G.711: every call up, every stream in show calls with packets
#    relayed in both directions, no drop of any reason by the relay;
# 4. hung up and gone: every stream and every SCCP connection released.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"

require ip python3 jq
require_sims
grep -qw pp_sccp_net_init /proc/kallsyms || skip_all "the module has no SCCP proxy"
NADDR=100
PER=10
PHONES=$((NADDR * PER))
CALLS=200
STREAMS=$((2 * CALLS))
SID_BASE=0x00BE10000000
ulimit -n 65536

section() { diag "$* (${SECONDS}s)"; }
setup_topology || skip_all "cannot build the lab topology"
for ((i = 0; i < NADDR; i++)); do echo "address add 192.0.2.$((30 + i))/24 dev veth-ph"; done |
	ip -n "$NS_PHONE" -batch - || skip_all "cannot add the phones' addresses"
{
	echo '<users name="scale">'
	echo "  <ccm name=\"ccm\" default=\"true\"><address>$CCM</address></ccm>"
	for ((i = 0; i < NADDR; i++)); do
		printf '  <user name="s%d"><sid>SEP%012X</sid></user>\n' $i $((SID_BASE + i))
	done
	echo '</users>'
} > "$TMPD/users.xml"
check "$NADDR users published" eval "pp publish '$TMPD/users.xml' > /dev/null"
for ((i = 0; i < NADDR; i++)); do echo "set user active name s$i address 192.0.2.$((30 + i))"; done > "$TMPD/act"
# Room above PER: under load a phone whose SYN went unanswered reconnects
# while its first attempt still counts (10 s for an unconfirmed SYN).
pp set phoneproxy sccp maxconnections $((3 * PER))
pp set phoneproxy media maxstreams 16
pp set phoneproxy media timeout 0
pp set phoneproxy rtp ports 20480 24480
check "$NADDR users activated, one per address" \
	eval "pp -f '$TMPD/act' && [ \$(counter activations) = $NADDR ]"

section "$PHONES phones"
ccm_start ccm --quiet --shared-sids --keepalive 3600 --call-timeout 120 ||
	skip_all "pp-ccm-sim does not start"
phone_start ph "$NS_PHONE" --server $NORTH --sid-base "$(printf 'SEP%012X' $SID_BASE)" \
	--count $PHONES --sid-count $NADDR --bind 192.0.2.30 --bind-count $NADDR \
	--keepalive 3600 --quiet --retry 1
PH=$PHONE_PID
check "all $PHONES phones registered at the CallManager through the proxy ($PER per activation)" \
	ctl ccm wait registered $PHONES 300
check "the module counts $PHONES connections registered, $PHONES open" \
	wait_for 30 eval "[ \$(counter sccp_registered) = $PHONES ] && [ \$(counter sccp_open) = $PHONES ]"

drops() { for k in media_drops media_no_port media_port_drops media_stream_limit media_unopened; do
	printf '%s=%s ' $k "$(counter $k)"; done; }
section "$CALLS calls"
d0=$(drops)
check "$CALLS calls phone to phone, every one up" \
	eval "ctl ccm calls $CALLS | grep -q ' up=$CALLS failed=0'"
check "$STREAMS streams in show calls, each with its far end" \
	wait_for 60 eval "[ \$(pp -j show calls | jq '[.[] | select(.far_address)] | length') = $STREAMS ]"
# Every stream carries the phones' RTP both ways (a few packets each).
check "every stream relayed packets in both directions" \
	wait_for 60 eval "[ \$(pp -j show calls | jq '[.[] | select(.phone_packets >= 5 and .far_packets >= 5)] | length') = $STREAMS ]"
sleep 2
calls_now=$(pp -j show calls)
d1=$(drops)
diag "relayed: $(counter media_packets) packets; drops before: $d0; after: $d1"
check "no relay drop of any reason while $STREAMS streams ran" \
	eval "[ '$d0' = '$d1' ] &&
	      [ \$(jq '[.[] | select(.phone_drops > 0 or .far_drops > 0)] | length' <<< '$calls_now') = 0 ]"

section "hangup"
ctl ccm hangup all > /dev/null
check "hung up: every stream released" wait_for 60 eval "[ \$(counter media_streams) = 0 ]"
section "the phones leave"
kill -TERM $PH
wait $PH
check "phones gone: every SCCP connection released, every phone's media summary clean" \
	eval "wait_for 60 eval '[ \$(counter sccp_open) = 0 ]' &&
	      grep '^summary' '$TMPD/ph.out' | grep -q ' rejected=0 failed=0'"
section "done"
tap_done
