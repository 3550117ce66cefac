#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Build phoneproxy.ko and phoneproxy_kunit.ko (kmod/tests/, PP_KUNIT=m)
# against the debug kernel (scripts/build-debug-kernel.sh, built first if
# needed), in a copy of the sources: kbuild writes into its M= directory,
# and build/kmod/phoneproxy.ko, built for Debian's kernel, must stay as it is.
#
#   scripts/build-debug-mod.sh		build in DIR/mod; print DIR/mod
#   scripts/build-debug-mod.sh --dir	print DIR/mod, build nothing
#   scripts/build-debug-mod.sh -s	sparse (C=2) on both modules, in
#					DIR/sparse; print its output
#
# DIR is $PP_CACHE_DIR/debug-mod/<hash of this work tree's path> (default
# /var/cache/phoneproxy): outside the work tree, because `make clean`
# deletes build/ and the static checks rebuild build/kmod, and visible to
# the guest (unlike /tmp). The copy is
# synchronised (new, changed and deleted files; mtimes kept so kbuild
# rebuilds only what changed) under a lock: several runs may share it.
# Exit status: that of the build.
set -u -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
base=${PP_CACHE_DIR:-/var/cache/phoneproxy}/debug-mod/$(printf '%s' "$top" |
	sha256sum | cut -c1-12)
case ${1:-} in
--dir) echo "$base/mod"; exit 0 ;;
-s) sparse=1; dm=$base/sparse ;;
*) sparse=0; dm=$base/mod ;;
esac

tree=$("$top/scripts/build-debug-kernel.sh") || exit 1
mkdir -p "$dm" || exit 1

list() {
	(cd "$1" && find Kbuild include kmod proto -type f \
		\( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) \
		! -name '*.mod.c' 2>/dev/null | LC_ALL=C sort)
}

exec 8> "$dm.lock"
flock 8 || exit 1
list "$top" > "$dm/.src.new"
list "$dm" | LC_ALL=C comm -13 "$dm/.src.new" - | (cd "$dm" && xargs -r rm -f)
(cd "$top" && cpio -pdmu --quiet "$dm") < "$dm/.src.new" || exit 1

if [ $sparse = 1 ]; then
	make -s -C "$tree" M="$dm" PP_KUNIT=m clean > /dev/null 2>&1
	make -s -j"$(nproc)" -C "$tree" M="$dm" PP_KUNIT=m C=2 modules 2>&1
	exit
fi
if ! make -j"$(nproc)" -C "$tree" M="$dm" PP_KUNIT=m modules > "$dm/build.log" 2>&1; then
	tail -n 30 "$dm/build.log" >&2
	echo "build-debug-mod: build failed (see $dm/build.log)" >&2
	exit 1
fi
echo "$dm"
