#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Static checks of the kernel code, as TAP: checkpatch.pl --strict (taken
# from Debian's linux-source-6.1, cached under build/) on kmod/ and the
# uapi header, and sparse (C=2) on the module. Zero warnings each. Last,
# that the build wrote nothing outside build/.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
KVER=${KVER:?}
cache=$top/build/checkpatch
n=0
fail=0
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n1)
	if [ -n "$tarball" ]; then
		mkdir -p "$cache"
		tar -C "$cache" --strip-components=1 -xf "$tarball" \
			linux-source-6.1/scripts/checkpatch.pl \
			linux-source-6.1/scripts/spelling.txt \
			linux-source-6.1/scripts/const_structs.checkpatch 2>/dev/null
	fi
fi
if [ -x "$cache/scripts/checkpatch.pl" ]; then
	files=$(ls kmod/*.c kmod/*.h include/uapi/linux/phoneproxy.h | grep -v "\.mod\.c$")
	# The KUnit suites and the shared pure parsers too.
	files="$files $(ls kmod/tests/*.[ch] proto/*.[ch] 2>/dev/null)"
	# The SCCP test cases the KUnit suites share with userspace.
	files="$files $(ls proto/tests/*.[ch] 2>/dev/null)"
	if out=$("$cache/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types --ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES -f $files 2>&1) &&
		! printf '%s\n' "$out" | grep -Eq ': (WARNING|ERROR|CHECK):'; then
		result 0 "checkpatch --strict is clean on kmod/ and the uapi header"
	else
		result 1 "checkpatch --strict is clean on kmod/ and the uapi header"
		printf '%s\n' "$out" | grep -E ': (WARNING|ERROR|CHECK):' | sed 's/^/#   /' | head -n 60
	fi
else
	echo "ok $((n + 1)) - checkpatch # SKIP linux-source-6.1 not installed"
	n=$((n + 1))
fi

if command -v sparse >/dev/null; then
	# The module's objects only (build/userspace stays): all rebuilt.
	rm -rf build/kmod build/proto
	out=$(make -s -j"$(nproc)" module C=2 KVER="$KVER" 2>&1)
	rc=$?
	warn=$(printf '%s\n' "$out" | grep -E 'warning:|error:' | grep -v '^make')
	if [ $rc = 0 ] && [ -z "$warn" ]; then
		result 0 "sparse (C=2) is clean on the module"
	else
		result 1 "sparse (C=2) is clean on the module"
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 60
	fi
else
	echo "ok $((n + 1)) - sparse # SKIP sparse not installed"
	n=$((n + 1))
fi

# After the build above: the include and call graph of kmod/ has no cycle.
out=$(scripts/check-layers.sh 2>&1)
result $? "the include and call graph of kmod/ and proto/ has no cycle"
[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/#   /'

# The modules built against the debug kernel, KUnit suites included (they
# build only there), when that kernel is built: scripts/check.sh builds it
# before this runs.
if command -v sparse >/dev/null && scripts/build-debug-kernel.sh --dir >/dev/null; then
	out=$(scripts/build-debug-mod.sh -s 2>&1)
	rc=$?
	warn=$(printf '%s\n' "$out" | grep -E 'warning:|error:' | grep -v '^make')
	if [ $rc = 0 ] && [ -z "$warn" ]; then
		result 0 "sparse (C=2) is clean on both modules against the debug kernel"
	else
		result 1 "sparse (C=2) is clean on both modules against the debug kernel"
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 60
	fi
else
	n=$((n + 1))
	echo "ok $n - sparse against the debug kernel # SKIP debug kernel not built"
fi

# Every build output is under build/: after `make all` (check.sh builds
# first), nothing git ignores lies outside it, nor an untracked ELF file
# or archive (a binary a new rule writes beside its sources).
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	stray=$(git status --porcelain --ignored --untracked-files=all . |
		sed -n 's/^\(!!\|??\) //p' | grep -v '^build/' |
		while read -r f; do
			if git check-ignore -q "$f" ||
				head -c 8 "$f" | grep -qaE '^(.ELF|!<arch>)'; then
				echo "$f"
			fi
		done)
	result "$([ -z "$stray" ]; echo $?)" "the build writes nothing outside build/"
	printf '%s\n' "$stray" | grep . | sed 's/^/#   /' | head -n 20
else
	n=$((n + 1))
	echo "ok $n - the build writes nothing outside build/ # SKIP not a git work tree"
fi
echo "1..$n"
exit $fail
