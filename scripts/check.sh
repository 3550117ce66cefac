#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# make check: build everything, run the userspace unit tests on the host
# and the kselftests in a QEMU guest with the module loaded, print the
# time each lane took and, last, "N passed, N failed".
#
# The debug lanes: the debug kernel (scripts/build-debug-kernel.sh, cached
# by its config; about 11 minutes on 2 cores when cold), the KUnit suites
# and the kselftests on it (KASAN, kmemleak, lockdep...), and a short
# libFuzzer smoke of every harness. PP_FUZZ_SMOKE (seconds per harness,
# default 5) and PP_DEBUG_TESTS (the tests the debug kernel runs; default
# all but those selftests/vm/debug-kernel/skip lists, with the reason)
# tune them.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=$top/build/check
mkdir -p "$out"
passed=0
failed=0
skipped=0
lanes=""

lane_time() { lanes="$lanes$(printf '  %-12s %4ss' "$1" "$2")\n"; }

# count FILE: add the TAP results of FILE to the totals. Subtests (lines
# indented by four spaces, as run_tests.sh prints them) count one by one;
# a top-level "not ok" whose test printed no failing subtest counts once.
count() {
	local p f s
	read -r p f s < <(awk '
		/^    ok / { if (/# SKIP/) s++; else p++; next }
		/^    not ok / { f++; sub_f++; next }
		/^# selftests: / { sub_f = 0; nested = 1; next }
		/^ok / { if (/# SKIP/) s++; else if (!nested) p++; next }
		/^not ok / { if (!nested || sub_f == 0) f++; next }
		END { print p + 0, f + 0, s + 0 }' "$1")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
}

t0=$(date +%s)
echo "== build"
if ! make --no-print-directory all > "$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log"
	echo "build failed"
	echo "0 passed, 1 failed"
	exit 1
fi
t1=$(date +%s)
lane_time build $((t1 - t0))

echo "== debug kernel (scripts/build-debug-kernel.sh)"
if dtree=$(scripts/build-debug-kernel.sh --dir); then
	echo "cached: $(dirname "$dtree")"
elif dtree=$(scripts/build-debug-kernel.sh 2> "$out/debug-kernel.log"); then
	echo "built in $(cat "$(dirname "$dtree")/build-time")s: $(dirname "$dtree")"
else
	tail -n 20 "$out/debug-kernel.log"
	echo "not ok - the debug kernel builds (see $out/debug-kernel.log)"
	failed=$((failed + 1))
	dtree=
fi
ts=$(date +%s)
lane_time debug-kernel $((ts - t1))
t1=$ts

echo "== static checks (checkpatch, sparse)"
scripts/static-checks.sh > "$out/static.tap" 2>&1
cat "$out/static.tap"
count "$out/static.tap"
ts=$(date +%s)
lane_time static $((ts - t1))
t1=$ts

echo "== userspace unit tests"
make --no-print-directory -s -C userspace test > "$out/unit.tap" 2>&1
urc=$?
cat "$out/unit.tap"
count "$out/unit.tap"
if [ $urc != 0 ] && ! grep -q '^not ok' "$out/unit.tap"; then
	echo "not ok - userspace unit tests exited $urc"
	failed=$((failed + 1))
fi
t2=$(date +%s)
lane_time unit $((t2 - t1))

echo "== fuzz smoke (libFuzzer + ASan + UBSan, ${PP_FUZZ_SMOKE:-5}s per harness)"
scripts/fuzz.sh -t "${PP_FUZZ_SMOKE:-5}" > "$out/fuzz.tap" 2>&1
cat "$out/fuzz.tap"
count "$out/fuzz.tap"
ts=$(date +%s)
lane_time fuzz $((ts - t2))
t2=$ts

# The guests, one after the other: the debug kernel's two (KUnit, then
# its kselftests), Debian's kernel with every kselftest but those whose
# checks are wall-clock bounds, then those (selftests/phoneproxy/alone
# lists them, with why) in a guest of their own. PP_CHECK_PARALLEL=1
# runs the debug kernel's guests in the background beside the Debian
# lane instead: on 2 cores every guest then runs about twice as slowly
# (TCG is CPU-bound), so it saves little, and the load reorders RTP in
# the guests and makes captures drop packets (docs/testing.md).
#
# The kselftests that need no module and no guest (selftests/phoneproxy/host
# lists them, with why) run on this machine instead, in network namespaces
# of their own, in the background beside the guests: they sleep more than
# they compute, and under TCG they cost a guest minutes.
all_tests=$(sed -n 's/^TEST_PROGS := //p' selftests/phoneproxy/Makefile)
alone=
rest=
host=
guest_tests=
for t in $all_tests; do
	if grep -q "^$t[[:space:]]" selftests/phoneproxy/host; then
		host="$host $t"
		continue
	fi
	guest_tests="$guest_tests $t"
	if grep -q "^$t[[:space:]]" selftests/phoneproxy/alone; then
		alone="$alone $t"
	else
		rest="$rest $t"
	fi
done

dtests=${PP_DEBUG_TESTS:-}
dskip=
if [ -z "$dtests" ]; then
	for t in $guest_tests; do
		if grep -q "^$t[[:space:]]" selftests/vm/debug-kernel/skip; then
			dskip="$dskip $t"
		else
			dtests="$dtests $t"
		fi
	done
fi

# A guest run on the debug kernel: its TAP in $1 is counted, and one more
# line says whether the guest finished with a clean kernel log (no
# KASAN, lockdep, RCU, WARN...) and, after the kmemleak scan, no leak.
debug_guest() {
	if grep -q '^run-vm:' "$1"; then
		grep -A 40 '^run-vm:' "$1" | sed 's/^/#   /'
		echo "not ok - $2: clean kernel log, no leak"
		failed=$((failed + 1))
	else
		echo "ok - $2: clean kernel log, no leak"
		passed=$((passed + 1))
	fi
}

# debug_lanes: both debug-kernel guests, their output in files only.
debug_lanes() {
	local s=$(date +%s)

	rm -rf "$out/kunit"
	mkdir -p "$out/kunit"
	selftests/vm/run-vm.sh -d -n -o "$out/kunit" -t 900 \
		"$top/selftests/vm/kunit.sh" > "$out/kunit-vm.log" 2>&1
	scripts/kunit-tap.py "$out/kunit/kunit.log" \
		"$(scripts/build-debug-mod.sh --dir)/kmod/tests/phoneproxy_kunit.ko" "$dtree" \
		"$out/kunit" > "$out/kunit.tap" 2>&1
	echo $(($(date +%s) - s)) > "$out/kunit.secs"
	s=$(date +%s)
	selftests/vm/run-vm.sh -d -t 3600 \
		"PP_LANE=debug PP_TIMEOUT_SCALE=3 $top/selftests/run_tests.sh $dtests" \
		> "$out/debug-selftests.tap" 2>&1
	echo $? > "$out/debug-selftests.rc"
	echo $(($(date +%s) - s)) > "$out/debug-selftests.secs"
}

# debian_guest NAME TESTS...: one guest on Debian's kernel, counted.
debian_guest() {
	local name=$1 vrc

	shift
	# -o: the guest's artefacts (http.sh's Chromium screenshot) stay in build/check/vm.
	selftests/vm/run-vm.sh -t 2400 -o "$out/vm" \
		"$top/selftests/run_tests.sh $*" 2>&1 | tee "$out/$name.tap"
	vrc=${PIPESTATUS[0]}
	count "$out/$name.tap"
	if grep -q '^run-vm:' "$out/$name.tap"; then
		echo "not ok - guest ($name) finished cleanly with a clean kernel log"
		failed=$((failed + 1))
	else
		echo "ok - guest ($name) finished cleanly with a clean kernel log"
		passed=$((passed + 1))
	fi
	[ $vrc != 0 ] && [ $failed = 0 ] && failed=1
}

rm -f "$out"/kunit.secs "$out"/debug-selftests.* "$out"/host.*
hpid=
if [ -n "$host" ]; then
	echo "== kselftests on this machine, in namespaces, in the background:$host"
	( s=$(date +%s)
	  selftests/run_tests.sh $host > "$out/host.tap" 2>&1
	  echo $? > "$out/host.rc"
	  echo $(($(date +%s) - s)) > "$out/host.secs" ) &
	hpid=$!
fi
dpid=
if [ -n "$dtree" ]; then
	if [ "${PP_CHECK_PARALLEL:-0}" != 1 ]; then
		echo "== KUnit and kselftests on the debug kernel"
		debug_lanes
		t2=$(date +%s)
	else
		echo "== KUnit and kselftests on the debug kernel: started in the background"
		debug_lanes &
		dpid=$!
	fi
fi

echo "== kselftests in QEMU ($(uname -m), Debian kernel $KVER)"
rm -rf "$out/vm"
debian_guest selftests $rest
t3=$(date +%s)
lane_time selftests $((t3 - t2))

[ -n "$dpid" ] && wait "$dpid"
t4=$(date +%s)
[ -n "$dpid" ] && lane_time debug-wait $((t4 - t3))
t3=$t4

echo "== KUnit suites on the debug kernel"
if [ -n "$dtree" ]; then
	cat "$out/kunit.tap"
	count "$out/kunit.tap"
	debug_guest "$out/kunit-vm.log" "KUnit guest"
	lane_time kunit "$(cat "$out/kunit.secs")"
else
	echo "not ok - KUnit suites: no debug kernel"
	failed=$((failed + 1))
fi

echo "== kselftests on the debug kernel (KASAN, kmemleak, lockdep, UBSAN)"
if [ -n "$dtree" ]; then
	cat "$out/debug-selftests.tap"
	for t in $dskip; do
		echo "ok - debug kernel: $t # SKIP $(sed -n "s/^$t[[:space:]]*//p" \
			selftests/vm/debug-kernel/skip | cut -c1-100)..."
	done | tee -a "$out/debug-selftests.tap"
	count "$out/debug-selftests.tap"
	debug_guest "$out/debug-selftests.tap" "debug-kernel kselftest guest"
	[ "$(cat "$out/debug-selftests.rc")" != 0 ] && [ $failed = 0 ] && failed=1
	lane_time debug-tests "$(cat "$out/debug-selftests.secs")"
else
	echo "not ok - kselftests on the debug kernel: no debug kernel"
	failed=$((failed + 1))
fi

if [ -n "$hpid" ]; then
	echo "== kselftests on this machine (no module, no guest):$host"
	wait "$hpid"
	cat "$out/host.tap"
	count "$out/host.tap"
	[ "$(cat "$out/host.rc" 2>/dev/null)" != 0 ] && [ $failed = 0 ] && failed=1
	lane_time host "$(cat "$out/host.secs" 2>/dev/null)"
fi

if [ -n "$alone" ]; then
	echo "== kselftests with wall-clock bounds, alone (Debian kernel):$alone"
	debian_guest selftests-alone $alone
	t4=$(date +%s)
	lane_time alone $((t4 - t3))
	t3=$t4
fi

echo "== time per lane"
printf "$lanes"
printf '  %-12s %4ss\n' total $((t3 - t0))
if [ $skipped != 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed = 0 ]
