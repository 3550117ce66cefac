#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Run every libFuzzer harness (userspace/tests/fuzz_*.c, built with clang,
# ASan and UBSan by userspace/Makefile into build/userspace/tests/) for a
# fixed time each and print one TAP line per harness: its executions, and
# a crash, leak, timeout or sanitizer report as "not ok" with the
# reproducer's path.
#
#   scripts/fuzz.sh [-t SECONDS] [harness ...]	(default 300 s: make fuzz)
#   make fuzz FUZZ_SECONDS=N			the same, from the top
#   PP_FUZZ_JOBS=N				harnesses at a time (default: one a core)
#
# Seeds: userspace/tests/corpus/<harness>/ (and <harness>.dict) when they
# exist. What the fuzzer learns goes to build/fuzz/corpus/<harness>/ and
# is kept for the next run; reproducers go to build/fuzz/artifacts/, each
# run's log to build/fuzz/<harness>.log. New harnesses are picked up from
# the file names; one that does not build is "not ok".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
secs=300
while getopts "t:" opt; do
	case $opt in
	t) secs=$OPTARG ;;
	*) echo "usage: $0 [-t seconds] [harness ...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [ $# = 0 ]; then
	set -- $(cd userspace/tests && ls fuzz_*.c 2>/dev/null | sed 's/\.c$//')
fi
out=$top/build/fuzz
mkdir -p "$out/artifacts"
echo "TAP version 13"
echo "1..$#"
[ $# = 0 ] && exit 0

CC=${FUZZ_CC:-clang}
if ! command -v "$CC" >/dev/null; then
	n=0
	for h in "$@"; do
		n=$((n + 1))
		echo "not ok $n - $h: $CC not installed (scripts/install-deps.sh)"
	done
	exit 1
fi

# Build them all at once (-k: one broken harness does not stop the rest).
targets=
for h in "$@"; do targets="$targets tests/$h"; done
make -k -j"$(nproc)" -C userspace CC="$CC" $targets > "$out/build.log" 2>&1
# Which did not build: checked now, before the sources can change again
# (in build/userspace: make -q answers through userspace/GNUmakefile's
# redirection only when a target is out of date).
unbuilt=" "
for h in "$@"; do
	make -s -q --no-print-directory -C build/userspace CC="$CC" "tests/$h" \
		2>/dev/null || unbuilt="$unbuilt$h "
done

# One harness: its TAP line (numbered $2) and any report in $out/$1.tap.
fuzz_one() {
	local h=$1 n=$2 bin log corpus seeds dict rc execs inputs what
	bin=build/userspace/tests/$h
	log=$out/$h.log
	corpus=$out/corpus/$h
	mkdir -p "$corpus"
	seeds=userspace/tests/corpus/$h
	[ -d "$seeds" ] || seeds=
	dict=userspace/tests/corpus/$h.dict
	[ -f "$dict" ] && dict=-dict=$dict || dict=
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/artifacts/$h-" \
		$dict "$corpus" $seeds > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	inputs=$(ls "$corpus" | wc -l)
	what="${secs} s, ${execs:-?} execs, corpus $inputs inputs"
	if [ $rc = 0 ]; then
		echo "ok $n - $h: $what"
	else
		echo "not ok $n - $h: exit $rc within $what (log: $log)"
		grep -E '^==[0-9]+==|SUMMARY|runtime error|Assertion|\.c:[0-9]+: |Test unit written' \
			"$log" | head -n 8 | sed 's/^/#   /'
	fi
}

# The harnesses run $jobs at a time (each is one process on one core:
# the default, one per core, gives each its whole time), their lines
# printed in order once all have ended.
jobs=${PP_FUZZ_JOBS:-$(nproc)}
n=0
fail=0
for h in "$@"; do
	n=$((n + 1))
	rm -f "$out/$h.tap"
	if [ -z "${unbuilt##* $h *}" ]; then
		{
			echo "not ok $n - $h: does not build (see $out/build.log)"
			grep -E 'error|undefined' "$out/build.log" | grep -F "$h" |
				head -n 5 | sed 's/^/#   /'
		} > "$out/$h.tap"
		continue
	fi
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	fuzz_one "$h" $n > "$out/$h.tap.part" && mv "$out/$h.tap.part" "$out/$h.tap" &
done
wait
n=0
for h in "$@"; do
	n=$((n + 1))
	if [ -s "$out/$h.tap" ]; then
		cat "$out/$h.tap"
	else
		echo "not ok $n - $h: no result (see $out/$h.log)"
	fi
	grep -q '^not ok' "$out/$h.tap" 2>/dev/null && fail=1
	[ -s "$out/$h.tap" ] || fail=1
done
exit $fail
