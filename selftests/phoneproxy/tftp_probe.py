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
a = ap.parse_args()

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
s.settimeout(a.wait)
if a.raw:
    req = bytes.fromhex(a.raw)
else:
    req = struct.pack("!H", 1) + a.file.encode() + b"\0octet\0"
    if a.blksize:
        req += b"blksize\0" + str(a.blksize).encode() + b"\0"
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
