#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# kselftest-style runner: runs each test of selftests/phoneproxy (or those
# named) with the timeout from its settings file, prints one TAP stream
# (each test's own lines indented as a subtest) and exits non-zero if any
# failed. Exit 4 from a test is a skip. Meant to run inside the guest:
#	make vm CMD='selftests/run_tests.sh'
dir=$(cd "$(dirname "$0")/phoneproxy" && pwd)
timeout=$(sed -n 's/^timeout=//p' "$dir/settings" 2>/dev/null)
timeout=${timeout:-120}
# Slower kernels (the debug kernel: KASAN, lockdep) scale it.
timeout=$((timeout * ${PP_TIMEOUT_SCALE:-1}))
if [ $# = 0 ]; then
	set -- $(sed -n 's/^TEST_PROGS := //p' "$dir/Makefile")
fi
echo "TAP version 13"
echo "1..$#"
n=0
failed=0
for t in "$@"; do
	n=$((n + 1))
	t=$(basename "$t")
	echo "# selftests: phoneproxy: $t"
	start=$(date +%s)
	timeout -k 5 "$timeout" bash "$dir/$t" 2>&1 | sed 's/^/    /'
	rc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - start))
	case $rc in
	0) echo "ok $n selftests: phoneproxy: $t # ${secs}s" ;;
	4) echo "ok $n selftests: phoneproxy: $t # SKIP" ;;
	124) echo "not ok $n selftests: phoneproxy: $t # TIMEOUT ${timeout}s"; failed=1 ;;
	*) echo "not ok $n selftests: phoneproxy: $t # exit=$rc"; failed=1 ;;
	esac
done
exit $failed
