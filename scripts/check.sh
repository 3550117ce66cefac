#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# make check: build everything, run the userspace unit tests on the host
# and the kselftests in a QEMU guest with the module loaded, print the
# time each lane took and, last, "N passed, N failed".
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

echo "== kselftests in QEMU ($(uname -m), Debian kernel $KVER)"
selftests/vm/run-vm.sh -t 2400 "$top/selftests/run_tests.sh" 2>&1 | tee "$out/selftests.tap"
vrc=${PIPESTATUS[0]}
count "$out/selftests.tap"
if grep -q '^run-vm:' "$out/selftests.tap"; then
	echo "not ok - guest finished cleanly with a clean kernel log"
	failed=$((failed + 1))
else
	echo "ok - guest finished cleanly with a clean kernel log"
	passed=$((passed + 1))
fi
[ $vrc != 0 ] && [ $failed = 0 ] && failed=1
t3=$(date +%s)
lane_time selftests $((t3 - t2))

echo "== time per lane"
printf "$lanes"
printf '  %-12s %4ss\n' total $((t3 - t0))
if [ $skipped != 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed = 0 ]
