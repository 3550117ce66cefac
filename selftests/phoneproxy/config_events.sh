#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The daemons follow the module's configuration by its events, not by
# polling: a change made with ppctl reaches pp-tftpd and pp-httpd within
# 100 ms (monotonic clock, from the command typed into a ppctl shell to
# the daemon's log line of what it did); each logs the change once; when
# their notifications overflow they read the configuration again and end
# on the last one; they survive the module's unload and follow the
# reloaded module (a new family id and group), pp-tftpd also when started
# without it.
source "$(dirname "$0")/lib.sh"
require ip python3 rmmod insmod
KO=$PP_KO
[ -x "$TFTPD" ] || skip_all "pp-tftpd not built ($TFTPD)"
[ -x "$HTTPD" ] || skip_all "pp-httpd not built ($HTTPD)"
[ -r "$KO" ] || skip_all "no phoneproxy.ko to reload ($KO)"
NORTH_B=192.0.2.2
TLOG=$TMPD/pp-tftpd.log
HLOG=$TMPD/pp-httpd.log

# within MS COMMAND VALUES LOG REGEX [LOG REGEX...]: for each of VALUES
# (a list), type COMMAND (with %s replaced by the value) into a ppctl
# shell already running in the proxy's namespace (its start is not part
# of the change), and wait until every LOG has a new line matching its
# REGEX (%s replaced too). The time from typing the command to each match
# (CLOCK_MONOTONIC) must be under MS for most of the tries (the median: a
# guest on a busy host stalls now and then; a daemon polling once a second
# would pass one try in ten).
within() {
	python3 - "$@" <<'EOF'
import os, re, subprocess, sys, time
limit, cmd, values, args = float(sys.argv[1]) / 1000, sys.argv[2], sys.argv[3].split(), sys.argv[4:]
sh = subprocess.Popen(["ip", "netns", "exec", os.environ["NS_PROXY"], os.environ["PPCTL"]],
                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
sh.stdin.write(b"show user\n")		# ready once it has answered
sh.stdout.read(1)
logs = [{"path": p, "rx": rx, "f": open(p, errors="replace"), "at": []}
        for p, rx in zip(args[::2], args[1::2])]
for v in values:
    for l in logs:
        l["f"].seek(0, 2)
        l["buf"], l["re"] = "", re.compile(l["rx"] % re.escape(v))
    t0, seen = time.monotonic(), {}
    sh.stdin.write((cmd % v).encode() + b"\n")
    while time.monotonic() - t0 < 5 and len(seen) < len(logs):
        now = time.monotonic()
        for i, l in enumerate(logs):
            if i not in seen:
                l["buf"] += l["f"].read()
                if l["re"].search(l["buf"]):
                    seen[i] = now - t0
        time.sleep(0.001)
    for i, l in enumerate(logs):
        l["at"].append(seen.get(i, float("inf")))
sh.stdin.close()
good = sh.wait() == 0
for l in logs:
    med = sorted(l["at"])[len(l["at"]) // 2]
    print(f"# {l['path'].rsplit('/', 1)[-1]}: /{l['rx']}/ after " +
          ", ".join(f"{t * 1000:.1f}" for t in l["at"]) + f" ms (median {med * 1000:.1f})")
    good = good and med < limit
sys.exit(0 if good else 1)
EOF
}
export NS_PROXY PPCTL
# timed "description" within-arguments...: a TAP line, the times as diag.
timed() {
	local desc=$1 out rc
	shift
	out=$("$@")
	rc=$?
	tap_result $rc "$desc"
	printf '%s\n' "$out"
}

setup_topology || { tap_result 1 "lab topology"; tap_done; }
ip -n "$NS_PROXY" addr add $NORTH_B/24 dev br-north
pp set phoneproxy http publish webpage

ip netns exec "$NS_PROXY" "$TFTPD" -e 2> "$TLOG" &
TFTPD_PID=$!
at_exit "kill $TFTPD_PID"
ip netns exec "$NS_PROXY" "$HTTPD" > "$HLOG" 2>&1 &
at_exit "kill $!"
check "pp-tftpd starts on the module's configuration" \
	wait_for 20 grep -q "Tftp: listening on $NORTH:69" "$TLOG"
check "pp-httpd starts on the module's configuration" \
	wait_for 20 grep -q "north http: activation page on $NORTH:80" "$HLOG"

# ---- one change, both daemons, within 100 ms ----
timed "set interface north address reaches both daemons within 100 ms" \
	within 100 "set interface north address %s" "$NORTH_B $NORTH $NORTH_B" \
		"$TLOG" "Tftp: listening on %s:69" \
		"$HLOG" "north http: activation page on %s:80"
pp set phoneproxy httpproxy enable
check "set phoneproxy httpproxy enable opens pp-httpd's proxy" \
	wait_for 5 grep -q "httpproxy: HTTP proxy on $NORTH_B:8088" "$HLOG"
pp set phoneproxy activation idletimeout 120
sleep 0.5
# Started, three addresses, the proxy; the idle timeout is neither's.
check "each daemon logs each change it applies once" \
	sh -c "[ \$(grep -c 'Tftp: configuration:' $TLOG) = 5 ] &&
	       [ \$(grep -c 'configuration:' $HLOG) = 5 ] &&
	       grep 'configuration:' $HLOG | tail -n 1 | grep -q 'north $NORTH_B, .*HTTP proxy on'"

# ---- lost notifications: read the configuration again ----
kill -STOP $(ip netns pids "$NS_PROXY")
for i in $(seq 1 3000); do
	echo "set phoneproxy activation idletimeout $((i % 600 + 1))"
done > "$TMPD/burst"
echo "set interface north address $NORTH" >> "$TMPD/burst"
pp -f "$TMPD/burst" > /dev/null
kill -CONT $(ip netns pids "$NS_PROXY")
check "pp-tftpd hears that notifications were lost" \
	wait_for 10 grep -q "notifications were lost" "$TLOG"
check "pp-httpd hears that notifications were lost" \
	wait_for 10 grep -q "notifications were lost" "$HLOG"
check "pp-tftpd ends on the last configuration, not a queued one" \
	wait_for 10 sh -c "grep 'Tftp: \(configuration\|listening\)' $TLOG | tail -n 2 |
			   tr '\n' ' ' | grep -q 'north $NORTH,.*listening on $NORTH:69'"
check "pp-httpd ends on the last configuration, not a queued one" \
	wait_for 10 sh -c "grep 'configuration:' $HLOG | tail -n 1 | grep -q 'north $NORTH,'"

# ---- the module unloaded and loaded again ----
check "rmmod phoneproxy with both daemons running" rmmod phoneproxy
check "pp-tftpd sees the module go and stops listening" \
	wait_for 10 sh -c "grep -q 'Tftp: configuration: phoneproxy module not loaded' $TLOG &&
			   grep -q 'Tftp: stopped listening on $NORTH:69' $TLOG"
check "pp-httpd sees the module go and closes its listeners" \
	wait_for 10 sh -c "grep -q 'configuration: phoneproxy module not loaded' $HLOG &&
			   grep -q 'north http: closed $NORTH:80' $HLOG"
kill $TFTPD_PID
wait $TFTPD_PID
ip netns exec "$NS_PROXY" "$TFTPD" -e 2>> "$TLOG" &
TFTPD_PID=$!
at_exit "kill $TFTPD_PID"
check "pp-tftpd starts while the module is not loaded, and waits for it" \
	wait_for 10 sh -c "[ \$(grep -c 'Tftp: pp-tftpd started' $TLOG) = 2 ] &&
			   grep 'Tftp: configuration:' $TLOG | tail -n 1 | grep -q 'not loaded' &&
			   kill -0 $TFTPD_PID"
check "insmod phoneproxy again" insmod "$KO"
check "both daemons read the reloaded module's configuration" \
	wait_for 10 sh -c "grep -q 'Tftp: configuration: north 0.0.0.0' $TLOG &&
			   grep -q 'configuration: north 0.0.0.0' $HLOG"
timed "the reloaded module's events reach both daemons within 100 ms" \
	within 100 "set interface north address %s" "$NORTH $NORTH_B $NORTH" \
		"$TLOG" "Tftp: listening on %s:69" \
		"$HLOG" "north http: activation page on %s:80"
check "both daemons still run" kill -0 $(ip netns pids "$NS_PROXY")

tap_done
