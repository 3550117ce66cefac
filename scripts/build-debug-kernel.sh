#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Build the debug kernel of the selftest guest, once: Debian's
# linux-source-6.1, `make tinyconfig` + selftests/vm/debug-kernel/config
# (merged with scripts/kconfig/merge_config.sh), bzImage with -j$(nproc),
# then `make modules_prepare` so out-of-tree modules (phoneproxy.ko, its
# KUnit module) build against the tree.
#
#   scripts/build-debug-kernel.sh		build if needed; print the tree
#   scripts/build-debug-kernel.sh --dir	print the tree, build nothing
#					(exit 1 if it is not built)
#
# The result is cached outside the work tree, in
# $PP_CACHE_DIR/debug-kernel/<key>/ (default /var/cache/phoneproxy), where
# <key> hashes the fragment, the linux-source-6.1 package version and the
# recipe version below; it holds bzImage, the build tree (linux/, with
# .config, Module.symvers and the modules_prepare output), build.log and
# build-time (seconds). A directory is complete when its "done" file exists;
# concurrent callers wait on a lock instead of building twice. Every option
# the fragment sets is checked in the final .config: one that did not stick
# fails the build. Progress goes to stderr, the tree path to stdout.
set -u -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
frag=$top/selftests/vm/debug-kernel/config
# Bump when the steps below change in a way that changes the kernel.
recipe=1
pkg=linux-source-6.1
tarball=/usr/src/$pkg.tar.xz
cache=${PP_CACHE_DIR:-/var/cache/phoneproxy}/debug-kernel

die() { echo "build-debug-kernel: $*" >&2; exit 1; }
log() { echo "build-debug-kernel: $*" >&2; }

[ -r "$frag" ] || die "no fragment $frag"
ver=$(dpkg-query -W -f='${Version}' $pkg 2>/dev/null) ||
	die "$pkg is not installed (scripts/install-deps.sh)"
[ -r "$tarball" ] || die "$tarball missing"
key=$( { cat "$frag"; echo "$pkg=$ver recipe=$recipe"; } | sha256sum | cut -c1-16)
dir=$cache/$key

if [ "${1:-}" = --dir ]; then
	[ -e "$dir/done" ] || exit 1
	echo "$dir/linux"
	exit 0
fi
[ -e "$dir/done" ] && { touch "$dir"; echo "$dir/linux"; exit 0; }

mkdir -p "$cache" || die "cannot create $cache"
exec 9> "$cache/.lock-$key"
flock 9 || die "cannot lock $cache/.lock-$key"
# Someone else may have built it while we waited.
[ -e "$dir/done" ] && { touch "$dir"; echo "$dir/linux"; exit 0; }

rm -rf "$dir"
mkdir -p "$dir"
start=$(date +%s)
blog=$dir/build.log
log "building $pkg $ver + $(basename "$frag") into $dir (log: $blog)"
tar -C "$dir" -xf "$tarball" || die "cannot extract $tarball"
mv "$dir/$pkg" "$dir/linux" || die "unexpected layout of $tarball"
cd "$dir/linux" || exit 1

mk() { make ARCH=x86_64 "$@" >> "$blog" 2>&1; }
mk tinyconfig || die "make tinyconfig failed (see $blog)"
ARCH=x86_64 scripts/kconfig/merge_config.sh -m .config "$frag" >> "$blog" 2>&1 ||
	die "merge_config.sh failed (see $blog)"
mk olddefconfig || die "make olddefconfig failed (see $blog)"

# Every option of the fragment must be in the final .config as written.
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) want=$line; name=${line%%=*} ;;
	"# CONFIG_"*" is not set") want=$line; name=${line#\# }; name=${name%% *} ;;
	*) continue ;;
	esac
	if ! grep -qxF "$want" .config; then
		got=$(grep -E "^($name=|# $name is not set)" .config || echo "$name absent")
		log "requested '$want', got '$got'"
		bad=1
	fi
done < "$frag"
[ $bad = 0 ] || die "options of the fragment did not stick (a missing dependency?)"
log ".config verified: every option of the fragment is set"

mk -j"$(nproc)" bzImage modules || die "kernel build failed (see $blog)"
mk modules_prepare || die "make modules_prepare failed (see $blog)"
[ -s Module.symvers ] || : > Module.symvers
cp arch/x86/boot/bzImage "$dir/bzImage"
end=$(date +%s)
echo $((end - start)) > "$dir/build-time"
echo "$pkg=$ver recipe=$recipe $(gcc --version | head -n1)" > "$dir/version"
touch "$dir/done"
log "built in $((end - start))s"

# Drop the trees of older fragments, unused for a week.
find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -mtime +7 \
	-exec rm -rf {} + 2>/dev/null
echo "$dir/linux"
