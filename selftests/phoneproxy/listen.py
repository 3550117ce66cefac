#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Test listener: accept on every TCP port given, answer every UDP datagram
# (with a TFTP error packet, which nmap's TFTP probe takes for "open").
# Usage: listen.py ADDRESS tcp:PORT... udp:PORT...
import selectors
import socket
import sys

addr = sys.argv[1]
sel = selectors.DefaultSelector()
for spec in sys.argv[2:]:
    proto, port = spec.split(":")
    if proto == "tcp":
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, int(port)))
        s.listen(64)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((addr, int(port)))
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, proto)
print("listening", flush=True)
while True:
    for key, _ in sel.select():
        s = key.fileobj
        try:
            if key.data == "tcp":
                c, _ = s.accept()
                c.close()
            else:
                _, peer = s.recvfrom(2048)
                s.sendto(b"\x00\x05\x00\x01test\x00", peer)
        except OSError:
            pass
