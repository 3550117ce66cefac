#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# A hostile TLS client of pp-tlsd (secure_sccp.sh): raw TCP, no TLS library.
#   tls_attack.py hold HOST PORT N SECONDS
#       open N connections at once, each sending only a TLS record header
#       (a handshake that never completes); after SECONDS print
#       "open=K closed=M" (closed: by the server, before the end)
#   tls_attack.py garbage HOST PORT
#       send 512 bytes that are no ClientHello; print "closed" when the
#       server closes (an alert first is fine) within 20 s, else "open"
#   tls_attack.py stall HOST PORT LIMIT
#       connect, send nothing; print "closed" when the server closes
#       within LIMIT seconds, else "open"
import os
import select
import socket
import sys
import time


def closed_by_peer(s):
    try:
        while True:
            d = s.recv(4096)
            if not d:
                return True
    except BlockingIOError:
        return False
    except (ConnectionResetError, BrokenPipeError):
        return True


def wait_closed(s, limit):
    end = time.monotonic() + limit
    s.setblocking(False)
    while time.monotonic() < end:
        r, _, _ = select.select([s], [], [], 0.5)
        if r and closed_by_peer(s):
            return True
    return False


def hold(host, port, n, secs):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect((host, port))
        except BlockingIOError:
            pass
        socks.append(s)
    # Connected: the first bytes of a ClientHello record, never the rest.
    byfd = {s.fileno(): s for s in socks}
    p = select.poll()
    for fd in byfd:
        p.register(fd, select.POLLOUT)
    pending = set(byfd)
    end = time.monotonic() + 10
    while pending and time.monotonic() < end:
        for fd, _ in p.poll(500):
            if fd in pending:
                try:
                    byfd[fd].send(b"\x16\x03\x01\x02\x00\x01")
                except OSError:
                    pass
                pending.discard(fd)
                p.modify(fd, select.POLLIN)
    closed = set()
    end = time.monotonic() + secs
    while time.monotonic() < end:
        for fd, ev in p.poll(200):
            if fd not in closed and closed_by_peer(byfd[fd]):
                closed.add(fd)
                p.unregister(fd)
    print(f"open={n - len(closed)} closed={len(closed)}")
    for s in socks:
        s.close()


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "hold":
        hold(host, port, int(sys.argv[4]), float(sys.argv[5]))
        return
    s = socket.create_connection((host, port), timeout=10)
    if mode == "garbage":
        s.sendall(b"GET / HTTP/1.0\r\n" + os.urandom(496))
        print("closed" if wait_closed(s, 20) else "open")
    elif mode == "stall":
        print("closed" if wait_closed(s, float(sys.argv[4])) else "open")


if __name__ == "__main__":
    main()
