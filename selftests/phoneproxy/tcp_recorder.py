#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# A CallManager's TCP stack as seen by its application: accept on
# ADDRESS:PORT and append what each connection delivers to DIR/PORT (the
# peer's source port), flushed after every read, until the peer closes
# or resets. Prints "listening" once bound.
# Usage: tcp_recorder.py ADDRESS PORT DIR
import os
import selectors
import socket
import sys

addr, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sel = selectors.DefaultSelector()
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((addr, port))
ls.listen(16)
sel.register(ls, selectors.EVENT_READ, None)
print("listening", flush=True)
while True:
    for key, _ in sel.select():
        if key.data is None:
            c, peer = ls.accept()
            f = open(os.path.join(out, str(peer[1])), "ab")
            sel.register(c, selectors.EVENT_READ, f)
            continue
        try:
            data = key.fileobj.recv(65536)
        except OSError:
            data = b""
        if data:
            key.data.write(data)
            key.data.flush()
        else:
            sel.unregister(key.fileobj)
            key.fileobj.close()
            key.data.close()
