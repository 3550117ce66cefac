#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# One user, one device, whatever the TCP tricks (docs/security.md, "SCCP:
# one user, one device"): homer's activated phone, with raw TCP (scapy,
# sccp_tcp_attack.py), tries to make the CallManager's TCP stack deliver a
# registration naming marge's device:
#  (a) a SYN in the middle of the connection, then a segment that the
#      tracker would take for new bytes but the CallManager's TCP trims
#      to a RegisterReq of marge;
#  (b) a RegisterReq of homer that the CallManager discards (PAWS), then
#      its retransmission with marge's name;
#  (c) a RegisterTokenReq naming marge.
# The CallManager is a plain listener recording what its TCP stack
# delivers (tcp_recorder.py): it must never name marge's device; the
# drops and the reset are counted.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"

require ip nft python3 timeout
python3 -c 'import importlib.util as u, sys; sys.exit(not u.find_spec("scapy"))' || skip_all "python3-scapy not installed"
grep -qw pp_sccp_net_init /proc/kallsyms || skip_all "the module has no SCCP proxy"

A=SEP001122334455	# homer
B=SEP0003E348E321	# marge
HERE=$(cd "$(dirname "$0")" && pwd)
REC=$TMPD/rec
mkdir -p "$REC"

setup_topology || skip_all "cannot build the lab topology"
write_users_xml "$TMPD/users.xml"
pp publish "$TMPD/users.xml" >/dev/null || skip_all "cannot publish users"
pp set user active name homer address $PHONE
# The phone's own stack knows nothing of scapy's connections: no RSTs.
printf '%s\n' 'table ip attacker {' ' chain out {' \
	'  type filter hook output priority 0;' '  tcp flags & rst == rst drop' ' }' '}' |
	nsx "$NS_PHONE" nft -f - || skip_all "nftables"
ip netns exec "$NS_CCM" python3 "$HERE/tcp_recorder.py" $CCM 2000 "$REC" \
	> "$TMPD/rec.out" 2>&1 &
at_exit "kill $!"
wait_for 10 grep -q listening "$TMPD/rec.out" || skip_all "the recorder does not listen"

# The attacks, one connection each from its own source port (kept by the
# SNAT: $REC/PORT is what that connection delivered to the CallManager).
inc=$(counter sccp_inconsistent)
mism=$(counter sccp_sid_mismatch)
diag "attacking (${SECONDS}s)"
nsx "$NS_PHONE" timeout 240 python3 "$HERE/sccp_tcp_attack.py" $NORTH $A $B \
	resyn:40001 retrans:40002 token-own:40003 token:40004 > "$TMPD/attack.out" 2>&1
sed 's/^/# /' "$TMPD/attack.out"
diag "attacks done (${SECONDS}s)"
check "the attacker ran its four connections" grep -q "^done token$" "$TMPD/attack.out"
delivered() { [ -e "$REC/$1" ] && grep -aq "$2" "$REC/$1"; }

# ---- (a) a SYN in the middle of the connection -----------------------

check "mid-connection SYN: homer's own RegisterReq reached the CallManager" \
	wait_for 5 delivered 40001 $A
check "mid-connection SYN: the CallManager's TCP never delivers marge's device name" \
	eval "! delivered 40001 $B"

# ---- (b) a retransmission with another device name -------------------

check "changed retransmission: the unchanged retransmission passes (homer's name delivered)" \
	wait_for 5 delivered 40002 $A
check "changed retransmission: the CallManager's TCP never delivers marge's device name" \
	eval "! delivered 40002 $B"

# ---- (c) RegisterTokenReq --------------------------------------------

check "RegisterTokenReq: homer's own reaches the CallManager" \
	wait_for 5 delivered 40003 $A
check "RegisterTokenReq: the CallManager's TCP never delivers marge's device name" \
	eval "! delivered 40004 $B"

# ---- counted ---------------------------------------------------------

diag "sccp_inconsistent ${inc:-none} -> $(counter sccp_inconsistent), sccp_sid_mismatch $mism -> $(counter sccp_sid_mismatch)"
check "the SYN and the changed retransmission dropped, counted (sccp_inconsistent +2)" \
	eval "[ \"\$(counter sccp_inconsistent)\" -ge $((${inc:-0} + 2)) ]"
# The segment after the SYN: dropped as inconsistent while the ring still
# holds homer's RegisterReq, or, once the CallManager acknowledged it and
# the ring went back (docs/sccp.md "Memory"), its first 12 bytes pass (the
# CallManager's TCP discards them) and marge's RegisterReq after them is
# examined as new bytes: reset for the SID. Either way counted.
check "the segment after the SYN dropped (inconsistent) or reset for marge's name (sid mismatch)" \
	eval "[ \$((\$(counter sccp_inconsistent) + \$(counter sccp_sid_mismatch))) -ge $((${inc:-0} + mism + 4)) ]"
check "RegisterTokenReq naming marge's device: reset, counted (sccp_sid_mismatch +1)" \
	eval "[ \$(counter sccp_sid_mismatch) -gt $mism ]"
check "nothing the CallManager received names marge's device" \
	eval "! grep -alq $B $REC/*"
pp show counters | grep -E '^sccp' | sed 's/^/# /'
tap_done
