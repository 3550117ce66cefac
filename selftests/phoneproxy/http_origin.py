#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# A small HTTP server for http.sh, in the CallManager's namespace: the
# "phone service" behind the proxy (GET /dir/hello.xml, POST /dir/echo
# echoes, anything else 200 with the path so a leak would show), or, with
# --proxy, a stand-in external HTTP proxy that answers with the request
# line it was given. Every request is logged (client address, request
# line) to --log, one line each.
#   http_origin.py ADDR PORT --log FILE [--proxy]
import argparse
import http.server
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("addr")
    ap.add_argument("port", type=int)
    ap.add_argument("--log", required=True)
    ap.add_argument("--proxy", action="store_true")
    args = ap.parse_args()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):
            pass

        def record(self):
            with open(args.log, "a") as f:
                f.write("%s %s %s via=%s\n" % (self.client_address[0], self.command,
                                                self.path, self.headers.get("Via", "-")))

        def answer(self, body, ctype="text/plain"):
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def do_GET(self):
            self.record()
            if args.proxy:
                self.answer("external proxy got %s %s\n" % (self.command, self.path))
            elif self.path == "/dir/hello.xml":
                self.answer("<CiscoIPPhoneText><Text>hello</Text></CiscoIPPhoneText>\n",
                            "text/xml")
            elif self.path.startswith("/dir/big"):
                self.answer("x" * (2 << 20))
            else:
                self.answer("origin path %s\n" % self.path)

        do_HEAD = do_GET

        def do_POST(self):
            self.record()
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n).decode(errors="replace")
            if args.proxy:
                self.answer("external proxy got POST %s\n" % self.path)
            else:
                self.answer("echo:%s\n" % body)

    srv = http.server.ThreadingHTTPServer((args.addr, args.port), Handler)
    print("listening", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
