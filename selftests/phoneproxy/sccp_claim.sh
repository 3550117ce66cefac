#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Secure SCCP: connections handed over by the TLS terminator (docs/sccp.md,
# "Connections handed over by the TLS terminator"; guide: "Enabling Secure
# Communications"). claim_relay, a plaintext stand-in for pp-tlsd, accepts
# the phones on north:2443, claims the connection (PP_CMD_SCCP_CLAIM) and
# connects from the south address to the CallManager the kernel names;
# the module tracks that local connection as the phone's: SID check,
# Register rewrite, media relay, limits, resets, counters.
#
#   homer 192.0.2.10 --+
#   marge 192.0.2.20 --+ br-north 192.0.2.1 [proxy: claim_relay :2443] 198.51.100.1 -- ccm 198.51.100.10
#
# The claim's refusals (security off, not activated, duplicate port,
# MAX_CONNS) and expiry; a plain connection opened before security on
# stays up while a new one is refused; registration and a call with RTP
# through claimed connections; a Register of another SID (or another
# device than the certificate's) reset toward the CallManager and the
# relay's socket; an unclaimed local connection untouched; inactivation
# and security off resetting claimed connections.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"

require ip timeout ss python3
require_sims
RELAY=${CLAIM_RELAY:-$PP_OUT/userspace/tests/claim_relay}
[ -x "$RELAY" ] || skip_all "claim_relay not built ($RELAY)"
setup_topology || skip_all "cannot build the lab topology"
"$RELAY" claim 192.0.2.99 1 1 2>&1 | grep -q "errno=" ||
	skip_all "the module has no PP_CMD_SCCP_CLAIM"

A=SEP001122334455	# homer
B=SEP0003E348E321	# marge
ip -n "$NS_PHONE" route add 198.51.100.0/24 via $NORTH
ip -n "$NS_PHONE2" route add 198.51.100.0/24 via $NORTH
write_users_xml "$TMPD/users.xml"
pp publish "$TMPD/users.xml" >/dev/null || skip_all "cannot publish users"
pp set user active name homer address $PHONE

section() { diag "$* (${SECONDS}s)"; }
claim() { nsx "$NS_PROXY" "$RELAY" claim "$@"; }
# claim_err ERRNO MSG ARGS...: the claim is refused with ERRNO, MSG in the extack
claim_err() {
	local want=$1 msg=$2 got
	shift 2
	got=$(claim "$@")
	case $got in
	"errno=$want msg=\""*"$msg"*) echo "$got" ;;
	*) echo "got: $got; want errno=$want ($msg)"; return 1 ;;
	esac
}
grew_by() {
	local now
	now=$(counter "$1")
	[ "${now:-0}" -ge $(($2 + $3)) ] || { echo "$1: $2 -> $now (want +$3)"; return 1; }
}
ccm_established() {	# connections the CallManager has from the south address
	nsx "$NS_CCM" ss -Htn state established "( sport = :2000 )" | grep -c "$SOUTH:"
}

# relay_start NAME [DEVICE]: claim_relay on north:2443 (ip netns exec
# execs: $RELAY_PID is the relay); output in $TMPD/NAME.out and .err.
relay_start() {
	ip netns exec "$NS_PROXY" "$RELAY" relay $NORTH:2443 $SOUTH $2 \
		> "$TMPD/$1.out" 2> "$TMPD/$1.err" &
	RELAY_PID=$!
	at_exit "kill $RELAY_PID"
	wait_for 5 grep -q '^listening' "$TMPD/$1.out"
}
relay_stop() { kill $RELAY_PID; wait $RELAY_PID 2>/dev/null; }

ccm_start ccm || skip_all "pp-ccm-sim does not start"

# ---- 1. The claim's refusals and expiry ------------------------------

section "claim refusals"
check "security off: a claim is refused (EPERM, extack names sccp security)" \
	claim_err 1 "secure SCCP is off" $PHONE 40000 41000

# A plain connection opened while security is off ...
phone_start homer-plain "$NS_PHONE" --server $NORTH --sid $A --retry 0
check "security off: homer registers in plain (north:2000)" ctl ccm wait registered 1 20
pp set phoneproxy sccp security on
check "security on: a claim for a non-activated address is refused (ENOENT)" \
	claim_err 2 "not activated" $PHONE2 40000 41000
# ... stays up once security is on; a new plain one is refused.
refused=$(counter sccp_plain_refused)
pp set user active name marge address $PHONE2
nsx "$NS_PHONE2" timeout 3 bash -c "exec 3<>/dev/tcp/$NORTH/2000" 2>/dev/null
rc=$?
check "security on: a new plain connection to north:2000 gets nothing (dropped: rc $rc)" [ $rc = 124 ]
check "security on: the plain SYNs are counted (sccp plain refused)" grew_by sccp_plain_refused "$refused" 1
check "security on: homer's plain connection opened before still carries a call" \
	eval "ctl ccm call $A south >/dev/null && ctl ccm hangup >/dev/null &&
	      ! grep -q '^disconnected' $TMPD/homer-plain.out"
kill -TERM $PHONE_PID
wait $PHONE_PID
check "homer's plain connection closes (show user c 0:1)" \
	wait_for 5 show_user_has "^homer +$A +$PHONE +.* c 0:1 *$"

# One claim at a time (maxconnections 1). The three claims are made back
# to back by one process, well within the first one's PP_CLAIM_TIMEOUT.
pp set phoneproxy sccp maxconnections 1
nsx "$NS_PROXY" "$RELAY" claims $PHONE 40001 41001 41001 41003 > "$TMPD/claims.out"
check "a claim for homer: the CallManager's address and the SCCP port" \
	eval "sed -n 1p $TMPD/claims.out | grep -qx 'ccm=$CCM:2000'"
check "the same local port claimed again is refused (EEXIST)" \
	eval "sed -n 2p $TMPD/claims.out | grep -q '^errno=17 msg=\".*claimed already'"
check "a second claim for homer is refused: maxconnections (1) claimed (EBUSY)" \
	eval "sed -n 3p $TMPD/claims.out | grep -q '^errno=16 msg=\".*maximum of SCCP connections'"
check "claims whose SYN never comes expire (PP_CLAIM_TIMEOUT): connections 0" \
	wait_for 20 eval "[ \$(user_field homer connections) = 0 ]"
check "an expired claim's local port can be claimed again" \
	eval "claim $PHONE 40004 41001 | grep -qx 'ccm=$CCM:2000'"
check "... and that claim expires too" \
	wait_for 20 eval "[ \$(user_field homer connections) = 0 ]"
pp set phoneproxy sccp maxconnections 4

# ---- 2. An unclaimed local connection is untouched -------------------

section "unclaimed"
conns=$(counter sccp_connections)
nsx "$NS_PROXY" "$PHONE_SIM" --server $CCM --sid SEP00000000BEEF --retry 0 --duration 2 \
	> "$TMPD/local.out" 2> "$TMPD/local.err"
check "an unclaimed local connection to the CallManager registers (another SID: not checked)" \
	grep -q "^registered sid=SEP00000000BEEF" "$TMPD/local.out"
check "the unclaimed connection is not an SCCP connection of the proxy" \
	eval "[ \$(counter sccp_connections) = $conns ]"

# ---- 3. Registration and a call through claimed connections ----------

section "claimed registration"
relay_start relay
claimed=$(counter sccp_claimed)
regs=$(counter sccp_registered)
phone_start homer "$NS_PHONE" --server $NORTH:2443 --sid $A --retry 0
PA=$PHONE_PID
phone_start marge "$NS_PHONE2" --server $NORTH:2443 --sid $B --retry 0
PB=$PHONE_PID
check "homer and marge register through north:2443 and the relay" ctl ccm wait registered 2 20
check "the relay claimed both, the kernel named the CallManager" \
	eval "grep -q '^claimed peer=$PHONE:.* ccm=$CCM:2000' $TMPD/relay.out &&
	      grep -q '^claimed peer=$PHONE2:.* ccm=$CCM:2000' $TMPD/relay.out"
l=$(line_of "$TMPD/ccm.out" registered "sid=$A ")
check "the CallManager sees the south address as TCP source and station address" \
	eval "[ '$(field "$l" station)' = $SOUTH ] && case '$(field "$l" peer)' in $SOUTH:*) true;; *) false;; esac"
check "show counters: sccp claimed +2, sccp registered +2" \
	eval "grew_by sccp_claimed $claimed 2 && grew_by sccp_registered $regs 2"
check "show user: homer connected and registered at his own address (c 1:)" \
	show_user_has "^homer +$A +$PHONE +.* c 1:[0-9]+ reg *$"

section "claimed call"
check "call homer -> marge over claimed connections comes up" ctl ccm call $A $B
sleep 3
check "show calls: homer's stream is keyed on his north address" \
	eval "[ \$(call_field homer phone_address) = $PHONE ]"
ctl ccm hangup >/dev/null
lh=$(media_stats "$TMPD/homer.out" "sid=$A")
lb=$(media_stats "$TMPD/marge.out" "sid=$B")
check "homer got marge's RTP from the relay (north address)" \
	eval "rx_clean '$lh' '$lb' && from_relay '$lh' $NORTH && [ \$(field '$lh' rx_packets) -ge 50 ]"
check "marge got homer's RTP from the relay (north address)" \
	eval "rx_clean '$lb' '$lh' && from_relay '$lb' $NORTH && [ \$(field '$lb' rx_packets) -ge 50 ]"
check "the streams end with the hangup" wait_for 5 no_calls

# ---- 4. Inactivation and security off reset claimed connections ------

section "inactivation"
pp set user inactive name homer
check "inactivation: homer's phone is reset" \
	wait_for 5 grep -q "^disconnected sid=$A reason=\"Connection reset by peer\"" "$TMPD/homer.out"
check "inactivation: the CallManager's side is reset too" \
	wait_for 5 grep -q "^disconnected sid=$A reason=\"Connection reset by peer\"" "$TMPD/ccm.out"
check "inactivation: the relay's socket got ECONNRESET" \
	wait_for 5 grep -q "^closed peer=$PHONE:.* side=ccm reason=\"Connection reset by peer\"" "$TMPD/relay.out"
wait $PA

section "security off"
pp set phoneproxy sccp security off
check "security off: marge's claimed connection is reset (phone, CallManager, relay)" \
	eval "wait_for 5 grep -q '^disconnected sid=$B reason=\"Connection reset by peer\"' $TMPD/marge.out &&
	      wait_for 5 grep -q '^disconnected sid=$B reason=\"Connection reset by peer\"' $TMPD/ccm.out &&
	      wait_for 5 grep -q '^closed peer=$PHONE2:.* side=ccm reason=\"Connection reset by peer\"' $TMPD/relay.out"
wait $PB
check "security off: a new claim is refused (EPERM)" \
	claim_err 1 "secure SCCP is off" $PHONE2 40010 41010
pp set phoneproxy sccp security on

# ---- 5. Another SID, another device: reset both ways -----------------

section "wrong SID"
pp set user active name homer address $PHONE
mism=$(counter sccp_sid_mismatch)
regs_b=$(grep -c "^registered sid=$B " "$TMPD/ccm.out")
nsx "$NS_PHONE" timeout 20 "$PHONE_SIM" --server $NORTH:2443 --sid $B --retry 0 \
	> "$TMPD/wrongsid.out" 2> "$TMPD/wrongsid.err"
rc=$?
check "wrong SID: homer's address registering as marge is reset (rc $rc)" \
	eval "[ $rc = 1 ] && grep -q '^disconnected sid=$B reason=\"Connection reset by peer\"' $TMPD/wrongsid.out"
check "wrong SID: counted (sccp sid mismatch +1), the CallManager never sees it" \
	eval "grew_by sccp_sid_mismatch $mism 1 && [ \$(grep -c '^registered sid=$B ' $TMPD/ccm.out) = $regs_b ]"
check "wrong SID: the relay's socket got ECONNRESET" \
	wait_for 5 eval "[ \$(grep -c '^closed peer=$PHONE:.* side=ccm reason=\"Connection reset by peer\"' $TMPD/relay.out) -ge 2 ]"
check "wrong SID: the CallManager's connection is reset too (none left established)" \
	wait_for 5 eval "[ \$(ccm_established) = 0 ]"

section "certificate device"
relay_stop
relay_start relay2 $B
mism=$(counter sccp_sid_mismatch)
nsx "$NS_PHONE" timeout 20 "$PHONE_SIM" --server $NORTH:2443 --sid $A --retry 0 \
	> "$TMPD/wrongdev.out" 2> "$TMPD/wrongdev.err"
rc=$?
check "device: homer's own SID under a certificate of another device is reset (rc $rc)" \
	eval "[ $rc = 1 ] && grep -q '^disconnected sid=$A reason=\"Connection reset by peer\"' $TMPD/wrongdev.out &&
	      grew_by sccp_sid_mismatch $mism 1"
relay_stop
relay_start relay3 $A
phone_start homer-dev "$NS_PHONE" --server $NORTH:2443 --sid $A --retry 0
check "device: with his own certificate's device homer registers" \
	wait_for 20 grep -q "^registered sid=$A" "$TMPD/homer-dev.out"
kill -TERM $PHONE_PID
wait $PHONE_PID
# (the phones reset on purpose report it on stderr)
check "the CallManager, the relay and the phone registered last printed nothing on stderr" \
	eval "! grep . $TMPD/ccm.err $TMPD/homer-dev.err $TMPD/relay.err $TMPD/relay2.err $TMPD/relay3.err"
pp show counters | grep -E '^sccp'
tap_done
