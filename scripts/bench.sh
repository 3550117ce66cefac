#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# make bench: the benchmarks of issue 16 in one go, their figures in
# bench/results.md (not tests: numbers, no assertions). `make bench` has
# installed what they need (scripts/install-deps.sh, scripts/bench-deps.sh)
# and built everything before it runs this.
#
#	scripts/bench.sh [--quick] [-o FILE]
#
# full (default): bench/rtp/run.sh 10 100 1000 4000 (SECS=10, 3 rounds,
#   the SRTP variant too), then bench/scale/run.sh, then bench/cluster/run.sh
#   (759, 3,000 and 10,000 activations replicated to three nodes);
# --quick (make bench QUICK=1): bench/rtp/run.sh 10 100 (SECS=3, 3 rounds,
#   no SRTP), then bench/scale/run.sh --quick, then bench/cluster/run.sh
#   --quick (100 and 1,000): for development.
# Each runs its own QEMU guest, one after the other. bench/rtp measures, in
# one boot, plain forwarding, our relay, rtpengine with its kernel
# forwarding and rtpengine's userspace path (and our SRTP relay in full
# mode). BENCH_NOTE: a line on the conditions (e.g. "shared machine"),
# printed under the machine. -o: another output file (default
# bench/results.md). The guests' whole output goes to build/bench/*.log.
# Not run here (each its own guest, minutes; see their READMEs):
# bench/http, bench/tftp, bench/tls.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
quick=0
out=$TOP/bench/results.md
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	-o) out=$2; shift ;;
	*) echo "usage: $0 [--quick] [-o FILE]" >&2; exit 2 ;;
	esac
	shift
done
logs=$TOP/build/bench
mkdir -p "$logs"
KVER=${KVER:-$(for v in $(cd /lib/modules 2>/dev/null && ls -d *-amd64 | sort -rV); do
	[ -e /lib/modules/$v/build/Makefile ] && [ -e /boot/vmlinuz-$v ] && { echo $v; break; }; done)}
export KVER
if [ $quick = 1 ]; then
	mode=quick
	rtp_env=(SECS=3 ROUNDS=3 SRTP=0 PERF="relay rtpk")
	rtp_n=(10 100)
	scale_args=(--quick)
	cluster_args=(--quick)
else
	mode=full
	rtp_env=(SECS=10 ROUNDS=3 SRTP=1 PERF="relay rtpk" VM_TIMEOUT=10800)
	rtp_n=(10 100 1000 4000)
	scale_args=()
	cluster_args=()
fi
start=$(date -u +%Y-%m-%dT%H:%MZ)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (with uncommitted changes)")

rtp_cmd="$(printf '%q ' "${rtp_env[@]}")bench/rtp/run.sh ${rtp_n[*]}"
echo "bench: $mode mode; rtp: $rtp_cmd (log $logs/rtp.log)"
t0=$SECONDS
env "${rtp_env[@]}" bench/rtp/run.sh "${rtp_n[@]}" > "$logs/rtp.log" 2>&1
rtp_rc=$?
rtp_s=$((SECONDS - t0))
echo "bench: rtp: exit $rtp_rc, $rtp_s s"
# section NAME ARGS...: bench/NAME/run.sh ARGS (when in the tree), its
# markdown in $logs/NAME.md, its stderr in $logs/NAME.log; sets NAME_rc
# and NAME_s (its exit status and seconds; "-" and 0 when not run).
section() {
	local name=$1 t0
	shift
	printf -v "${name}_rc" %s -
	printf -v "${name}_s" %s 0
	[ -x "bench/$name/run.sh" ] || return 0
	echo "bench: $name: bench/$name/run.sh $* (log $logs/$name.log)"
	t0=$SECONDS
	"bench/$name/run.sh" "$@" > "$logs/$name.md" 2> "$logs/$name.log"
	printf -v "${name}_rc" %s $?
	printf -v "${name}_s" %s $((SECONDS - t0))
	local rcv=${name}_rc sv=${name}_s
	echo "bench: $name: exit ${!rcv}, ${!sv} s"
}
section scale "${scale_args[@]}"
section cluster "${cluster_args[@]}"

{
	echo "# Benchmark results (\`make bench\`, $mode mode)"
	echo
	echo "Written by \`scripts/bench.sh\` ($([ $quick = 1 ] && echo '`make bench QUICK=1`' || echo '`make bench`')) from $start, commit $rev$dirty."
	echo "Not tests: numbers, no assertions. The guest is **emulated** (QEMU TCG, \`selftests/vm/run-vm.sh\`):"
	echo "compare the columns with each other, not the absolute figures with real hardware."
	echo
	echo "## Machine"
	echo
	echo "* host: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) CPUs," \
		"$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r);" \
		"load average at the start $load0, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "* guest: Debian kernel $KVER under QEMU $(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')" \
		"(TCG, \`-cpu max\`), 2 vCPUs, 3 GiB (bench/rtp)"
	echo "* rtpengine: Debian $(dpkg-query -W -f='${Version}' rtpengine-daemon 2>/dev/null)," \
		"xt_RTPENGINE built by dkms for $KVER ($(modinfo -k "$KVER" -F filename xt_RTPENGINE 2>/dev/null))"
	[ -n "${BENCH_NOTE:-}" ] && echo "* conditions: $BENCH_NOTE"
	echo
	echo "## Commands"
	echo
	echo '```'
	echo "make bench$([ $quick = 1 ] && echo ' QUICK=1')        # = scripts/install-deps.sh; scripts/bench-deps.sh; make all; scripts/bench.sh$([ $quick = 1 ] && echo ' --quick')"
	echo "$rtp_cmd      # the RTP table below ($rtp_s s, exit $rtp_rc)"
	[ -x bench/scale/run.sh ] && echo "bench/scale/run.sh ${scale_args[*]}      # the scale section ($scale_s s, exit $scale_rc)"
	[ -x bench/cluster/run.sh ] && echo "bench/cluster/run.sh ${cluster_args[*]}      # the cluster section ($cluster_s s, exit $cluster_rc)"
	echo '```'
	echo
	echo "## RTP: plain forwarding, our relay, rtpengine kernel and userspace, in one boot"
	echo
	echo "bench/rtp/README.md and bench/rtpengine/README.md tell what each variant and column is."
	echo "Streams both directions, RTP 12 + 160 bytes; **full**: as fast as the two senders go"
	echo "(saturation: the two vCPUs are shared by the senders, the middle and the receivers);"
	echo "**paced**: 50 pkt/s per stream and direction (real G.711), the fixed offered load of the CPU figures."
	echo "rtpengine userspace's **full** figure is the best step of a ladder of paced rates on fresh calls: a flood"
	echo "makes rtpengine stop reading the flooded sockets for good (its overload protection; bench/rtpengine/README.md)."
	if grep -q '^# summary (markdown)' "$logs/rtp.log"; then
		sed -n '/^# summary (markdown)/,$p' "$logs/rtp.log" | sed '1d' | grep -v '^\[ *[0-9.]*\]'
	else
		echo
		echo "**The run did not finish (exit $rtp_rc): no summary.** Its last lines:"
		echo
		echo '```'
		tail -n 5 "$logs/rtp.log"
		echo '```'
	fi
	echo
	echo "<details><summary>the run's own output (every round)</summary>"
	echo
	echo '```'
	sed -n '1,/^# summary (markdown)/p' "$logs/rtp.log" | sed '$d' | grep -v '^\[ *[0-9.]*\]'
	echo '```'
	echo
	echo "</details>"
	echo
	if [ -x bench/scale/run.sh ]; then
		cat "$logs/scale.md"
		[ "$scale_rc" = 0 ] || echo "(bench/scale/run.sh exited $scale_rc: $(tail -n 3 "$logs/scale.log" | tr '\n' ' '))"
	else
		echo "## Scale"
		echo
		echo "bench/scale/run.sh is not in this tree: not run."
	fi
	if [ -x bench/cluster/run.sh ]; then
		echo
		cat "$logs/cluster.md"
		[ "$cluster_rc" = 0 ] || echo "(bench/cluster/run.sh exited $cluster_rc: $(tail -n 3 "$logs/cluster.log" | tr '\n' ' '))"
	fi
	echo
	echo "## Not run by make bench"
	echo
	echo "bench/http, bench/tftp and bench/tls (each its own guest and minutes; their commands and last"
	echo "results in their README or results.md)."
} > "$out"
echo "bench: wrote $out"
[ "$rtp_rc" = 0 ]
