#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Send one TFTP read request and say what came back, and from which
# port, for the tests of pp-tftpd (tftp.sh):
#   tftp_probe.py SERVER FILE [--wait S] [--blksize N] [--raw HEX]
# prints one of
#   DATA <block> <bytes> from <port>
#   OACK <options> from <port>
#   ERROR <code> <message> from <port>
#   ICMP <error>            (an ICMP error came back)
#   NONE                    (nothing at all within --wait seconds)
# A transfer it started is ended with an ERROR to the transfer port.
#
# With --hold S it is a client that never ACKs (issue 12 item 6): it sends
# --count requests from as many ports (with --timeout T, the RFC 2349
# option), never answers, and after S seconds, or once every request was
# refused or its transfer ended, prints
#   STARTED <n>             (answered with DATA/OACK, from a transfer port or 69)
#   REFUSED <n> <message>   (an ERROR from port 69; the first message)
#   ENDED <n> <message>     (a started transfer then ended with an ERROR)
#   OPEN <n>                (started and still sending when it gave up)
import argparse
import socket
import struct
import sys

IP_RECVERR = 11

ap = argparse.ArgumentParser()
ap.add_argument("server")
ap.add_argument("file")
ap.add_argument("--wait", type=float, default=3.0)
ap.add_argument("--blksize", type=int)
ap.add_argument("--raw", help="send these bytes (hex) instead of an RRQ")
ap.add_argument("--timeout", type=int, help="ask for this RFC 2349 timeout")
ap.add_argument("--count", type=int, default=1, help="requests, one port each (--hold)")
ap.add_argument("--hold", type=float, help="never ACK; report after this many seconds")
a = ap.parse_args()


def rrq():
    req = struct.pack("!H", 1) + a.file.encode() + b"\0octet\0"
    if a.blksize:
        req += b"blksize\0" + str(a.blksize).encode() + b"\0"
    if a.timeout is not None:
        req += b"timeout\0" + str(a.timeout).encode() + b"\0"
    return req


def hold():
    import select
    import time
    socks = []
    for _ in range(a.count):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto(rrq(), (a.server, 69))
        socks.append(s)
    state = {s: None for s in socks}      # None, "started", "refused", "ended"
    msgs = {"refused": [], "ended": []}
    end = time.monotonic() + a.hold
    while time.monotonic() < end and any(v in (None, "started") for v in state.values()):
        r, _, _ = select.select(socks, [], [], 0.2)
        for s in r:
            data, (host, port) = s.recvfrom(70000)
            op = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 0
            if op == 5:
                msg = data[4:].split(b"\0")[0].decode(errors="replace")
                kind = "refused" if port == 69 and state[s] is None else "ended"
                if state[s] in (None, "started"):
                    state[s] = kind
                    msgs[kind].append(msg)
            elif op in (3, 6) and state[s] is None:
                state[s] = "started"      # from a new port, or 69 (replyport)
    started = sum(1 for v in state.values() if v in ("started", "ended"))
    print("STARTED", started)
    for kind in ("refused", "ended"):
        if msgs[kind]:
            print(kind.upper(), len(msgs[kind]), msgs[kind][0])
    print("OPEN", sum(1 for v in state.values() if v == "started"))
    sys.exit(0)


if a.hold is not None:
    hold()

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
s.settimeout(a.wait)
if a.raw:
    req = bytes.fromhex(a.raw)
else:
    req = rrq()
s.sendto(req, (a.server, 69))
try:
    data, (host, port) = s.recvfrom(70000)
except socket.timeout:
    print("NONE")
    sys.exit(0)
except OSError as e:
    print("ICMP", e.strerror)
    sys.exit(0)
op = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 0
if op == 3:
    print("DATA", struct.unpack("!H", data[2:4])[0], len(data) - 4, "from", port)
elif op == 6:
    print("OACK", data[2:].replace(b"\0", b" ").decode(errors="replace").strip(),
          "from", port)
elif op == 5:
    code = struct.unpack("!H", data[2:4])[0]
    msg = data[4:].split(b"\0")[0].decode(errors="replace")
    print("ERROR", code, msg, "from", port)
else:
    print("OTHER", op, "from", port)
if op in (3, 6) and port != 69:
    s.sendto(struct.pack("!HH", 5, 0) + b"probe done\0", (host, port))
