#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# pp-tftpd benchmark (not a test: it measures, it asserts nothing).
# Runs in the QEMU guest with the module loaded:
#	make -C userspace bench && selftests/vm/run-vm.sh bench/tftp/run.sh
# Lab of the selftests; tftpd-hpa is the CallManager. 200 activated
# users, each at an address of its own (192.0.2.30-229).
#  1. rewritten configuration files served per second: the 200 phones
#     fetch their own SEP<MAC>.cnf.xml over and over for $SECS s; with
#     the cache warmed first (the proxy alone: fetch from the cache,
#     rewrite, serve), and without (every file from the CallManager);
#  2. 1,000 phones booting at once: 5 phones per address (5 ports), each
#     fetching its configuration file, RingList.xml and a firmware file
#     of $FW_KB KiB, with the cache (cache timeout 5s) and without (0).
# (The documentation prefixes the tests may use hold fewer than 1,000
# host addresses, hence 5 phones per address.)
# Results go to stdout and to $PP_BENCH_OUT (default build/bench/tftp.txt
# when writable).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
source "$TOP/selftests/phoneproxy/lib.sh"
require ip in.tftpd
BENCH=$PP_OUT/bench/tftp/pp-tftpbench
[ -x "$BENCH" ] || skip_all "build it first: make -C userspace bench"
SECS=${SECS:-20}
USERS=200
FW_KB=${FW_KB:-128}
OUTFILE=${PP_BENCH_OUT:-$PP_VM_OUT/tftp-bench.txt}

setup_topology || exit 1
ROOT=$TMPD/ccm-tftp
mkdir -p "$ROOT"
chmod 755 "$ROOT"
{
	echo '<users name="bench">'
	echo "  <ccm name=\"ccm\" default=\"true\"><address>$CCM</address></ccm>"
	for ((i = 1; i <= USERS; i++)); do
		sid=$(printf 'SEP%012X' $i)
		echo "  <user id=\"u$i\" name=\"u$i\"><sid>$sid</sid></user>"
		cp "$PP_TOP/userspace/tests/data/tftp/SEP001380AD9E5F.cnf.xml" "$ROOT/$sid.cnf.xml"
	done
	echo '</users>'
} > "$TMPD/users.xml"
printf '<CiscoIPPhoneRingList></CiscoIPPhoneRingList>\n' > "$ROOT/RingList.xml"
head -c $((FW_KB * 1024 + 77)) /dev/urandom > "$ROOT/P00308000400.bin"
chmod 644 "$ROOT"/*
pp publish "$TMPD/users.xml" || exit 1
: > "$TMPD/activate.conf"
for ((i = 1; i <= USERS; i++)); do
	a=192.0.2.$((29 + i))
	ip -n "$NS_PHONE" addr add $a/24 dev veth-ph
	echo "set user active name u$i address $a" >> "$TMPD/activate.conf"
done
pp set phoneproxy activation idletimeout 0
pp -f "$TMPD/activate.conf" || exit 1
ip netns exec "$NS_CCM" in.tftpd --foreground --address $CCM:69 --secure \
	--blocksize 1468 "$ROOT" &

# The plans.
: > "$TMPD/configs.plan"
: > "$TMPD/boot.plan"
for ((i = 1; i <= USERS; i++)); do
	printf '192.0.2.%d SEP%012X.cnf.xml\n' $((29 + i)) $i >> "$TMPD/configs.plan"
	for k in 1 2 3 4 5; do
		printf '192.0.2.%d SEP%012X.cnf.xml RingList.xml P00308000400.bin\n' \
			$((29 + i)) $i >> "$TMPD/boot.plan"
	done
done

runs=0
run() {	# run LABEL TTL [--warm PLAN] ARGS...: one pp-tftpd, one measurement
	local label=$1 ttl=$2 res log warm=
	shift 2
	if [ "$1" = --warm ]; then
		warm=$2
		shift 2
	fi
	runs=$((runs + 1))
	log=$TMPD/tftpd.$runs.log
	# No rate limit (5 phones share an address); a patient bound on the
	# CallManager (tftpd-hpa forks per request, slow under emulation).
	printf 'set phoneproxy %s\n' "tftp cache timeout $ttl" 'tftp rate 1000000' \
		'tftp rate burst 1000000' 'tftp upstream timeout 10s' 'loglevel min' > "$TMPD/tftpd.conf"
	ip netns exec "$NS_PROXY" "$TFTPD" -e -c "$TMPD/tftpd.conf" 2> "$log" &
	local pid=$!
	wait_for 10 grep -q "listening on" "$log" || { echo "pp-tftpd did not start"; cat "$log"; return; }
	if [ -n "$warm" ]; then
		# Fill the cache first: the measurement is then the proxy alone.
		res=$(ip netns exec "$NS_PHONE" "$BENCH" -s $NORTH -b 512 "$warm")
		printf '%-34s %s\n' "  (warm-up)" "$res"
	fi
	res=$(ip netns exec "$NS_PHONE" "$BENCH" -s $NORTH "$@")
	printf '%-34s %s\n' "$label" "$res" | tee -a "$OUTFILE"
	ip netns exec "$NS_PROXY" "$PPCTL" show stats |
		awk '$1 ~ /^(cache_hits|cache_misses|cache_coalesced|retransmits)$/ { printf "    %s %s", $1, $2 } END { print "" }' |
		tee -a "$OUTFILE"
	kill $pid
	wait $pid 2>/dev/null
}

{
	echo "# pp-tftpd benchmark, $(date -u +%Y-%m-%dT%H:%MZ), kernel $(uname -r), $(nproc) CPUs"
	grep -q hypervisor /proc/cpuinfo && echo "# (in the QEMU guest: TCG emulation, numbers are pessimistic)"
} | tee -a "$OUTFILE"
run "configs/s, cache (warm), ${SECS}s" 300s --warm "$TMPD/configs.plan" \
	-b 512 -d "$SECS" "$TMPD/configs.plan"
run "configs/s, no cache, ${SECS}s" 0 -b 512 -d "$SECS" "$TMPD/configs.plan"
run "1000 phones boot, cache" 5s -b 1428 "$TMPD/boot.plan"
run "1000 phones boot, no cache" 0 -b 1428 "$TMPD/boot.plan"
exit 0
