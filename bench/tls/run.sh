#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# bench/tls: secure SCCP through the TLS terminator pp-tlsd against plain
# SCCP through the module alone (not a test: numbers, no assertions). On
# the host:
#	bench/tls/run.sh
# builds the project and the load generator (make all, make -C bench/tls)
# and runs itself in the QEMU guest (selftests/vm/run-vm.sh). Settings
# from the environment: SECS (measured seconds per line, default 5),
# CONNS (the "many" concurrency, default 16: phones at as many addresses).
#
# The lab of lib.sh: CONNS phones at 192.0.2.30.. (one activated user
# each, SIDs SEP00BE00000000..), the real pp-ccm-sim as the CallManager
# (198.51.100.10:2000), the module's SCCP proxy, and pp-tlsd with the
# certificate `sccp security on` makes (tftp tag, RSA 2048). Three paths:
#   plain    phone -> north:2000 -> module (NAT, SCCP parse) -> CCM
#            (secure SCCP off: with it on, new plain connections are refused)
#   TLS 1.0  AES128-SHA (RSA key exchange, old firmware), and
#   TLS 1.2  ECDHE-RSA-AES128-GCM-SHA256 (X25519):
#            phone -> pp-tlsd north:2443 -> claim (PP_CMD_SCCP_CLAIM) ->
#            south:N -> module (SCCP parse) -> CCM
# For each, sccpload (bench/tls/sccpload.c) with 1 and CONNS phones at
# once, each measured SECS s:
#   connect   TCP connects, or full TLS handshakes (pp-tlsd keeps no
#             session), then close: setups/s
#   register  the same, then RegisterReq and wait for RegisterAck from
#             pp-ccm-sim: connections/s to a registered phone (for TLS:
#             handshake + claim + pp-tlsd's connect to the CallManager)
#   rr        one registered connection per phone, KeepAlive then wait for
#             KeepAliveAck: round trips/s
#   bulk      one registered connection per phone, KeypadButton PDUs (24
#             bytes, parsed by the module, ignored by the CallManager) one
#             way, 64 per write, each write ending with a KeepAlive, at
#             most 16 writes unacknowledged: messages/s the CallManager
#             read (its KeepAliveAcks say so; KeepAlives not counted)
# CPU: busy time of all the guest's CPUs (/proc/stat) per operation over
# the same window (load generator, pp-tlsd, the module, pp-ccm-sim: the
# whole path), as a range: tick samples (low: a vCPU the host does not
# run misses ticks) .. the CPUs' time minus their idle time (high: counts
# the host not running the vCPUs); and pp-tlsd's own CPU per operation
# (/proc/PID/stat). The guest is emulated (TCG): compare the rows, not
# the absolute numbers with real hardware.
#
# For the bench, raised above the defaults (said in the output too):
# pp-tlsd's `maxconnections peraddress` 8 -> 64 and the module's
# `sccp maxconnections` (per activation) 4 -> 64: a phone that closes
# and reconnects at once is still counted for a moment by both.
PP_TOP=$(cd "$(dirname "$0")/../.." && pwd)
LOAD=$PP_TOP/build/bench/tls/sccpload

if [ -z "${PP_VM_OUT:-}" ]; then	# on the host: build, then boot the guest
	make -s -C "$PP_TOP" all > /dev/null || exit 1
	make -s -C "$PP_TOP/bench/tls" || exit 1
	exec "$PP_TOP/selftests/vm/run-vm.sh" -m 1536 -t 900 \
		"SECS=${SECS:-5} CONNS=${CONNS:-16} bash $PP_TOP/bench/tls/run.sh"
fi

# In the guest.
source "$PP_TOP/selftests/phoneproxy/lib.sh"
TLSD=${TLSD:-$PP_OUT/userspace/tlsd/pp-tlsd}
require ip openssl python3
[ -x "$CCM_SIM" ] && [ -x "$TLSD" ] || skip_all "pp-ccm-sim or pp-tlsd not built (make all)"
[ -x "$LOAD" ] || skip_all "build it first: make -C bench/tls"
SECS=${SECS:-5}
CONNS=${CONNS:-16}
[ "$CONNS" -ge 2 ] && [ "$CONNS" -le 200 ] || { echo "CONNS=$CONNS: 2..200"; exit 2; }
ulimit -n 65536
SID_BASE=SEP00BE00000000
FIRST=192.0.2.30
PORT=2443

setup_topology > /dev/null || exit 1
for ((i = 0; i < CONNS; i++)); do
	echo "address add 192.0.2.$((30 + i))/24 dev veth-ph"
done | ip -n "$NS_PHONE" -batch - || exit 1
{
	echo '<users name="bench-tls">'
	echo "  <ccm name=\"ccm\" default=\"true\"><address>$CCM</address></ccm>"
	for ((i = 0; i < CONNS; i++)); do
		printf '  <user name="u%d"><sid>SEP00BE%08X</sid></user>\n' $i $i
	done
	echo '</users>'
} > "$TMPD/users.xml"
pp publish "$TMPD/users.xml" > /dev/null || exit 1
pp set phoneproxy activation idletimeout 0
pp set phoneproxy sccp maxconnections 64 || exit 1
for ((i = 0; i < CONNS; i++)); do
	echo "set user active name u$i address 192.0.2.$((30 + i))"
done > "$TMPD/activate.conf"
pp -f "$TMPD/activate.conf" || exit 1

cat > "$PP_CONF_DIR/tlsd.conf" <<-EOF
	# bench/tls: the per-address cap raised (default 8)
	set phoneproxy sccp security maxconnections peraddress 64
EOF
TLOG=$TMPD/tlsd.log
# ip netns exec execs: $! is the process itself (its CPU time is read).
ip netns exec "$NS_PROXY" "$TLSD" -e 2> "$TLOG" &
TLSD_PID=$!
at_exit "kill $TLSD_PID"
ip netns exec "$NS_CCM" "$CCM_SIM" --listen $CCM --control "$TMPD/ccm.sock" --quiet \
	--keepalive 3600 > "$TMPD/ccm.out" 2>&1 &
CCM_PID=$!
at_exit "kill $CCM_PID"
wait_for 10 test -S "$TMPD/ccm.sock" || { echo "pp-ccm-sim does not start"; exit 1; }

# SYNs the module refused over `sccp maxconnections` (a phone's closed
# connections count until the CallManager's FIN: it may lag).
conn_limit() { pp -j show counters | sed -n 's/.*"sccp_conn_limit":\([0-9]*\).*/\1/p'; }

# load LABEL MODE CONNS SERVER [sccpload args]: one line of results.
load() {
	local label=$1 mode=$2 c=$3 server=$4 out l0
	shift 4
	l0=$(conn_limit)
	out=$(nsx "$NS_PHONE" "$LOAD" -m "$mode" -c "$c" -t "$SECS" -b $FIRST -s $SID_BASE \
		"$@" "$server")
	out="$out conn_limit=$(($(conn_limit) - l0))"
	echo "$label $mode $c $out" >> "$TMPD/results"
	printf '  %-8s %-9s c=%-3s %s\n' "$label" "$mode" "$c" "$out"
	# The connections of this line are gone before the next one.
	sleep 1
}
series() {	# series LABEL SERVER [sccpload args]
	local label=$1 server=$2 mode c
	shift 2
	for mode in connect register rr bulk; do
		for c in 1 "$CONNS"; do
			load "$label" $mode "$c" "$server" "$@"
		done
	done
}

echo "# TLS terminator benchmark, $(date -u +%Y-%m-%dT%H:%MZ), kernel $(uname -r), $(nproc) vCPU" \
	"($(grep -q hypervisor /proc/cpuinfo && echo 'QEMU guest' || echo 'bare metal')), $SECS s per line," \
	"$(openssl version | cut -d' ' -f1-2)"
echo "# raised for the bench: pp-tlsd maxconnections peraddress 64 (default 8)," \
	"the module's sccp maxconnections 64 (default 4)"
: > "$TMPD/results"
echo "plain SCCP ($NORTH:2000, secure SCCP off)"
series plain $NORTH:2000
# The proxy's certificates are made here, as in the product (RSA 2048,
# the tftp one served by pp-tlsd), before pp-tlsd listens.
pp set phoneproxy sccp security on > /dev/null || exit 1
wait_for 60 grep -q "listening on $NORTH:$PORT" "$TLOG" || { cat "$TLOG"; exit 1; }
echo "TLS 1.0 AES128-SHA ($NORTH:$PORT through pp-tlsd)"
series tls1.0 $NORTH:$PORT -T 1.0 -p $TLSD_PID
echo "TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256 ($NORTH:$PORT through pp-tlsd)"
series tls1.2 $NORTH:$PORT -T 1.2 -p $TLSD_PID
kill -USR1 $TLSD_PID
wait_for 5 grep -q 'stats:' "$TLOG"
echo "# pp-tlsd: $(grep 'stats:' "$TLOG" | tail -n 1 | sed 's/.*stats: //')"
echo "# module: $(pp show counters | grep -E 'sccp (claimed|conn limit|resets|sid)' | tr -s ' ' | paste -sd, -)"

echo
python3 - "$TMPD/results" "$CONNS" <<-'EOF'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, mode, c, *kv = line.split()
    d = dict(x.split("=", 1) for x in kv if "=" in x)
    rows.setdefault(label, {})[(mode, int(c))] = d
n = int(sys.argv[2])
def rate(r, m, c):
    d = r.get((m, c))
    if not d or float(d["rate"]) <= 0:
        return "-"
    v = float(d["rate"])
    e, lim = int(d.get("errors", 0)), int(d.get("conn_limit", 0))
    return (f"{v:.1f}" if v < 100 else f"{v:.0f}") + (f" ({e} errors)" if e else "") + \
        (f" ({lim} SYNs over the limit)" if lim else "")
def num(v):
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"
def us(r, m, c, k="cpu_us"):
    d = r.get((m, c))
    if not d or k not in d or float(d["rate"]) <= 0:
        return "n/a"
    if k == "cpu_us" and "tick_us" in d:	# the range: tick samples .. time minus idle
        return f"{num(float(d['tick_us']))}..{num(float(d['cpu_us']))}"
    return num(float(d[k]))
names = {"plain": "plain SCCP", "tls1.0": "TLS 1.0 AES128-SHA",
         "tls1.2": "TLS 1.2 ECDHE-RSA-AES128-GCM"}
hdr = ["path", "setups/s c=1", f"setups/s c={n}", "to RegisterAck/s c=1",
       f"to RegisterAck/s c={n}", "KA round trips/s c=1", f"KA round trips/s c={n}",
       "msgs/s one way c=1", f"msgs/s one way c={n}",
       f"CPU us/setup c={n}", f"CPU us/round trip c={n}", f"CPU us/msg c={n}",
       f"pp-tlsd us/setup c={n}", f"pp-tlsd us/round trip c={n}", f"pp-tlsd us/msg c={n}"]
print("# setups: TCP connects (plain) or full TLS handshakes. CPU: the guest's busy time per")
print("# operation, the whole path (load generator and CallManager included), as a range:")
print("# tick samples (low) .. CPUs' time minus idle (high; counts the host not running the")
print("# vCPUs). pp-tlsd: its own CPU time per operation.")
print("| " + " | ".join(hdr) + " |")
print("|" + "---|" * len(hdr))
for label in ("plain", "tls1.0", "tls1.2"):
    r = rows.get(label, {})
    cells = [names[label], rate(r, "connect", 1), rate(r, "connect", n),
             rate(r, "register", 1), rate(r, "register", n), rate(r, "rr", 1), rate(r, "rr", n),
             rate(r, "bulk", 1), rate(r, "bulk", n),
             us(r, "connect", n), us(r, "rr", n), us(r, "bulk", n),
             us(r, "connect", n, "pid_us"), us(r, "rr", n, "pid_us"), us(r, "bulk", n, "pid_us")]
    print("| " + " | ".join(cells) + " |")
EOF
exit 0
