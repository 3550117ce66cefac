#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# ICMP errors of a phone's SCCP connection reach the phone (docs/security.md,
# "Firewall: the north interface, both families"). The phone's connection
# to north:2000 is NATed to the CallManager from the south address. A
# "fragmentation needed" for it, from a router on the south path (scapy)
# or from the proxy itself (its south link's MTU too small), must reach
# the phone, translated back, or path-MTU discovery black-holes the
# connection: the phone's route cache must learn the MTU, and a PDU larger
# than the south MTU must reach the CallManager.
source "$(dirname "$0")/lib.sh"
require ip python3
python3 -c "import scapy.all" 2>/dev/null || skip_all "python3 scapy not installed"

setup_topology || { tap_result 1 "lab topology"; tap_done; }
write_users_xml "$TMPD/users.xml"
pp publish "$TMPD/users.xml" >/dev/null || { tap_result 1 "publish"; tap_done; }
pp set user active name homer address $PHONE

cat > "$TMPD/ccm_pmtu.py" <<'PY'
# The CallManager's end: after the phone's first PDU (12 bytes), a router
# on the south path reports "fragmentation needed, MTU 1200" for the
# segment that carried it; then count the bytes until WANT have come.
import socket, struct, sys
from scapy.all import ICMP, IP, TCP, conf, send
ccm, south, router, want = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
conf.verb = 0
raw = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
raw.bind(("veth-ccm", 0))
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((ccm, 2000))
ls.listen(1)
print("listening", flush=True)
c, (paddr, pport) = ls.accept()
got = b""
while len(got) < 12:
    got += c.recv(12 - len(got))
# The segment that carried them, as the CallManager received it.
raw.setblocking(False)
seg = None
while True:
    try:
        pkt = raw.recv(65535)
    except BlockingIOError:
        break
    ihl = (pkt[0] & 15) * 4
    sport, dport, seq = struct.unpack("!HHI", pkt[ihl:ihl + 8])
    doff = (pkt[ihl + 12] >> 4) * 4
    if pkt[9] == 6 and sport == pport and dport == 2000 and len(pkt) > ihl + doff:
        seg = pkt
if seg is None:
    sys.exit("no data segment seen")
# The error quotes the segment's header with the sequence number of the
# next byte: all 12 are acknowledged, so that is the one in the phone's
# window (snd_una..snd_nxt); TCP ignores an error about older data.
ihl = (seg[0] & 15) * 4
doff = (seg[ihl + 12] >> 4) * 4
quoted = bytearray(seg[:ihl + 8])
tot = struct.unpack("!H", seg[2:4])[0]
seq = struct.unpack("!I", seg[ihl + 4:ihl + 8])[0] + tot - ihl - doff
quoted[ihl + 4:ihl + 8] = struct.pack("!I", seq & 0xffffffff)
send(IP(src=router, dst=south) / ICMP(type=3, code=4, nexthopmtu=1200) / bytes(quoted))
print("injected", flush=True)
total = len(got)
while total < want:
    b = c.recv(65536)
    if not b:
        break
    total += len(b)
print(f"got {total}", flush=True)
PY
cat > "$TMPD/phone_pmtu.py" <<'PY'
# The phone's end: a KeepAlive, then, once GO exists, one 6012-byte PDU
# (an unknown message id: framed, forwarded unchanged), kept open.
import os, socket, struct, sys, time
north, go = sys.argv[1], sys.argv[2]
s = socket.create_connection((north, 2000), timeout=5)
s.sendall(struct.pack("<III", 4, 0, 0))
print("connected", flush=True)
while not os.path.exists(go):
    time.sleep(0.1)
s.sendall(struct.pack("<III", 4 + 6000, 0, 0x7777) + bytes(6000))
print("sent", flush=True)
time.sleep(60)
PY
nsx "$NS_CCM" python3 "$TMPD/ccm_pmtu.py" $CCM $SOUTH 198.51.100.254 6024 > "$TMPD/ccm_pmtu.out" 2>&1 &
at_exit "kill $!"
# (scapy takes a while to import in a guest without KVM.)
wait_for 60 grep -q listening "$TMPD/ccm_pmtu.out" ||
	{ tap_result 1 "CallManager end up"; diag "$(cat "$TMPD/ccm_pmtu.out")"; tap_done; }
nsx "$NS_PHONE" python3 "$TMPD/phone_pmtu.py" $NORTH "$TMPD/go" > "$TMPD/phone_pmtu.out" 2>&1 &
at_exit "kill $!"
check "the phone's SCCP connection reaches the CallManager" \
	wait_for 20 grep -q injected "$TMPD/ccm_pmtu.out"
check "a south router's \"fragmentation needed\" reaches the phone (path MTU 1200 learnt)" \
	wait_for 5 sh -c "ip -n $NS_PHONE route get $NORTH | grep -q 'mtu 1200'"
ip -n "$NS_PROXY" link set south mtu 1000
touch "$TMPD/go"
check "the proxy's own \"fragmentation needed\" (south MTU 1000) reaches the phone" \
	wait_for 10 sh -c "ip -n $NS_PHONE route get $NORTH | grep -q 'mtu 1000'"
check "6012 bytes in segments above the south MTU reach the CallManager" \
	wait_for 10 grep -q "got 6024" "$TMPD/ccm_pmtu.out"
diag "CallManager end: $(tr '\n' ' ' < "$TMPD/ccm_pmtu.out")"

tap_done
