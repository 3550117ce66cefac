#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Drive headless Chromium (Debian's package) through the activation page
# the way a person would, over the DevTools protocol on a pipe
# (--remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4),
# with nothing but the standard library:
#   1. open URL in a phone-sized viewport,
#   2. report the value the page put in the address field,
#   3. type the user name and password (Input.insertText into the
#      focused field), click the Activate button (mouse events at its
#      centre), wait for the answer page,
#   4. report its message and save a PNG screenshot.
# Output: "address=...", "result=...", "title=...", "screenshot=FILE".
#   browser.py URL USER PASSWORD SCREENSHOT.png
import base64
import json
import os
import select
import subprocess
import sys
import tempfile
import time

TIMEOUT = float(os.environ.get("PP_BROWSER_TIMEOUT", "240"))


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="pp-chromium.")
        c_in_r, self.c_in_w = os.pipe()     # we write commands, it reads fd 3
        self.c_out_r, c_out_w = os.pipe()   # it writes on fd 4, we read

        def fds():
            a, b = os.dup(c_in_r), os.dup(c_out_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--ignore-certificate-errors",
                "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
                "about:blank"]
        self.proc = subprocess.Popen(args, preexec_fn=fds, close_fds=False,
                                     stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.profile, "stderr"), "w"))
        os.close(c_in_r)
        os.close(c_out_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None
        self.deadline = time.monotonic() + TIMEOUT

    def _read_message(self):
        while b"\0" not in self.buf:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from chromium in %ds" % TIMEOUT)
            r, _, _ = select.select([self.c_out_r], [], [], left)
            if not r:
                continue
            chunk = os.read(self.c_out_r, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed its pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.c_in_w, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read_message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method):
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method:
                    del self.events[i]
                    return m
            self.events.append(self._read_message())

    def eval(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True})
        return r.get("result", {}).get("value")

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main():
    url, user, password, shot = sys.argv[1:5]
    b = Browser()
    try:
        t = b.send("Target.createTarget", {"url": "about:blank"}, session=False)
        s = b.send("Target.attachToTarget", {"targetId": t["targetId"], "flatten": True},
                   session=False)
        b.session = s["sessionId"]
        b.send("Page.enable")
        b.send("Runtime.enable")
        # A phone-sized screen.
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": 390, "height": 740, "deviceScaleFactor": 1, "mobile": True})
        b.send("Page.navigate", {"url": url})
        b.wait_event("Page.loadEventFired")
        print("title=%s" % b.eval("document.title"), flush=True)
        print("address=%s" % b.eval("document.getElementById('address').value"), flush=True)
        for field, text in (("username", user), ("password", password)):
            b.eval("document.getElementById('%s').focus()" % field)
            b.send("Input.insertText", {"text": text})
        box = b.eval("JSON.stringify(document.querySelector('button[value=activate]')"
                     ".getBoundingClientRect())")
        r = json.loads(box)
        x, y = r["x"] + r["width"] / 2, r["y"] + r["height"] / 2
        for kind in ("mousePressed", "mouseReleased"):
            b.send("Input.dispatchMouseEvent",
                   {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
        b.wait_event("Page.loadEventFired")
        res = b.eval("(document.getElementById('result')||{}).textContent || ''")
        print("result=%s" % res, flush=True)
        png = b.send("Page.captureScreenshot", {"format": "png"})
        with open(shot, "wb") as f:
            f.write(base64.b64decode(png["data"]))
        print("screenshot=%s" % shot, flush=True)
    finally:
        b.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
