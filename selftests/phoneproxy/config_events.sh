#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The daemons follow the module's configuration by its events, not by
# polling: a change made with ppctl reaches pp-tftpd and pp-httpd within
# 100 ms (monotonic clock, from before ppctl starts to the daemon's log
# line of what it did); each logs the change once; they survive the
# module's unload and follow the reloaded module (a new family id and
# group); when their notifications overflow they read the configuration
# again and end on the last one.
source "$(dirname "$0")/lib.sh"
require ip python3 rmmod insmod
TFTPD=${TFTPD:-$PP_TOP/userspace/tftpd/pp-tftpd}
HTTPD=${HTTPD:-$PP_TOP/userspace/httpd/pp-httpd}
KO=${PP_KO:-$PP_TOP/kmod/phoneproxy.ko}
[ -x "$TFTPD" ] || skip_all "pp-tftpd not built ($TFTPD)"
[ -x "$HTTPD" ] || skip_all "pp-httpd not built ($HTTPD)"
[ -r "$KO" ] || skip_all "no phoneproxy.ko to reload ($KO)"
NORTH_B=192.0.2.2
TLOG=$TMPD/pp-tftpd.log
HLOG=$TMPD/pp-httpd.log

# within MS LOG REGEX [LOG REGEX...] -- command...: run the command and
# wait until every log has a new line matching its regex; the time from
# just before the command to each match (CLOCK_MONOTONIC) must be under MS.
within() {
	python3 - "$@" <<'EOF'
import re, subprocess, sys, time
limit = float(sys.argv[1]) / 1000
sep = sys.argv.index("--")
args, cmd = sys.argv[2:sep], sys.argv[sep + 1:]
logs = []
for path, rx in zip(args[::2], args[1::2]):
    f = open(path, errors="replace")
    f.seek(0, 2)
    logs.append({"f": f, "rx": re.compile(rx), "buf": "", "at": None, "path": path})
t0 = time.monotonic()
p = subprocess.Popen(cmd)
ret = None
while time.monotonic() - t0 < 5 and (ret is None or any(l["at"] is None for l in logs)):
    now = time.monotonic()
    for l in logs:
        if l["at"] is None:
            l["buf"] += l["f"].read()
            if l["rx"].search(l["buf"]):
                l["at"] = now - t0
    if ret is None and p.poll() is not None:
        ret = time.monotonic() - t0
    time.sleep(0.001)
good = p.wait() == 0
print(f"# command done after {(ret or 0) * 1000:.1f} ms")
for l in logs:
    at = "never" if l["at"] is None else f"{l['at'] * 1000:.1f} ms"
    print(f"# {l['path'].rsplit('/', 1)[-1]}: /{l['rx'].pattern}/ after {at}")
    good = good and l["at"] is not None and l["at"] < limit
sys.exit(0 if good else 1)
EOF
}

setup_topology || { tap_result 1 "lab topology"; tap_done; }
ip -n "$NS_PROXY" addr add $NORTH_B/24 dev br-north
pp set phoneproxy http publish webpage

ip netns exec "$NS_PROXY" "$TFTPD" -e 2> "$TLOG" &
at_exit "kill $!"
ip netns exec "$NS_PROXY" "$HTTPD" > "$HLOG" 2>&1 &
at_exit "kill $!"
check "pp-tftpd starts on the module's configuration" \
	wait_for 20 grep -q "Tftp: listening on $NORTH:69" "$TLOG"
check "pp-httpd starts on the module's configuration" \
	wait_for 20 grep -q "north http: activation page on $NORTH:80" "$HLOG"

# ---- one change, both daemons, within 100 ms ----
check "set interface north address reaches both daemons within 100 ms" \
	within 100 "$TLOG" "Tftp: listening on $NORTH_B:69" \
		"$HLOG" "north http: activation page on $NORTH_B:80" \
		-- ip netns exec "$NS_PROXY" "$PPCTL" set interface north address $NORTH_B
check "set phoneproxy httpproxy enable reaches pp-httpd within 100 ms" \
	within 100 "$HLOG" "httpproxy: HTTP proxy on $NORTH_B:8088" \
		-- ip netns exec "$NS_PROXY" "$PPCTL" set phoneproxy httpproxy enable
sleep 0.2
check "each daemon logs the applied change once" \
	sh -c "[ \$(grep -c 'configuration: north $NORTH_B' $TLOG) = 1 ] &&
	       [ \$(grep -c 'configuration: north $NORTH_B.*HTTP proxy off' $HLOG) = 1 ] &&
	       [ \$(grep -c 'configuration: north $NORTH_B.*HTTP proxy on' $HLOG) = 1 ]"
pp set phoneproxy activation idletimeout 120
sleep 0.2
check "a change of a setting pp-httpd does not use logs nothing there" \
	sh -c "[ \$(grep -c 'configuration:' $HLOG) = 3 ]"

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
	wait_for 10 sh -c "tail -n 1 $TLOG | grep -q 'Tftp: listening on $NORTH:69'"
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
check "insmod phoneproxy again" insmod "$KO"
check "both daemons read the reloaded module's configuration" \
	wait_for 10 sh -c "grep -q 'Tftp: configuration: north 0.0.0.0' $TLOG &&
			   grep -q 'configuration: north 0.0.0.0' $HLOG"
check "the reloaded module's events reach both daemons within 100 ms" \
	within 100 "$TLOG" "Tftp: listening on $NORTH:69" \
		"$HLOG" "north http: activation page on $NORTH:80" \
		-- ip netns exec "$NS_PROXY" "$PPCTL" set interface north address $NORTH
check "both daemons still run" kill -0 $(ip netns pids "$NS_PROXY")

tap_done
