#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
"""SCCP peers of sccp_ring_pool.sh (stdlib only).

  sccp_hold.py ccm ADDR DIR     a CallManager on ADDR:2000: greets each
                                connection with a KeepAliveAck, answers
                                each KeepAliveReq with one, appends what it
                                receives to DIR/<peer port>
  sccp_hold.py hold SRC DST N   N connections from SRC to DST:2000, held
                                open; SIGUSR1: a KeepAliveReq on each;
                                SIGTERM: all reset (RST), exit
  sccp_hold.py talk SRC PORT DST SECS
                                one connection from SRC:PORT: waits up to
                                SECS for the greeting, sends a KeepAliveReq,
                                waits for its answer; exit 0 if both came
"""
import os
import selectors
import signal
import socket
import struct
import sys
import time

KA_REQ = struct.pack("<III", 4, 0, 0x0000)
KA_ACK = struct.pack("<III", 4, 0, 0x0100)


def ccm(addr, out):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, 2000))
    srv.listen(256)
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)
    print("listening", flush=True)
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            if s is srv:
                c, peer = srv.accept()
                c.sendall(KA_ACK)
                sel.register(c, selectors.EVENT_READ, peer[1])
                continue
            try:
                d = s.recv(4096)
            except OSError:
                d = b""
            if not d:
                sel.unregister(s)
                s.close()
                continue
            with open(os.path.join(out, str(key.data)), "ab") as f:
                f.write(d)
            s.sendall(KA_ACK * (len(d) // 12))


def hold(src, dst, n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind((src, 0))
        s.connect((dst, 2000))
        socks.append(s)
    print(f"connected {len(socks)}", flush=True)

    def send(*_):
        for s in socks:
            s.send(KA_REQ)
        print("sent", flush=True)

    def reset(*_):
        for s in socks:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            s.close()
        print("reset", flush=True)
        sys.exit(0)

    signal.signal(signal.SIGUSR1, send)
    signal.signal(signal.SIGTERM, reset)
    while True:
        signal.pause()


def recv_exact(s, n, deadline):
    b = b""
    while len(b) < n:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            d = s.recv(n - len(b))
        except socket.timeout:
            return None
        if not d:
            return None
        b += d
    return b


def talk(src, port, dst, secs):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((src, port))
    s.connect((dst, 2000))
    deadline = time.monotonic() + secs
    if recv_exact(s, 12, deadline) != KA_ACK:
        print("no greeting", flush=True)
        return 1
    print("greeting", flush=True)
    s.sendall(KA_REQ)
    if recv_exact(s, 12, deadline) != KA_ACK:
        print("no answer", flush=True)
        return 1
    print("answer", flush=True)
    s.close()
    return 0


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "ccm":
        ccm(a[1], a[2])
    elif a[0] == "hold":
        hold(a[1], a[2], int(a[3]))
    else:
        sys.exit(talk(a[1], int(a[2]), a[3], float(a[4])))
