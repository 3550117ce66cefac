#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Mirror the code of the work tree under build/ as symlinks (cp -rs), so
# that kbuild (M=build) and userspace/Makefile (run in build/userspace by
# userspace/GNUmakefile) write every output there and nothing beside the
# sources: build/kmod/phoneproxy.ko, build/userspace/ppctl/ppctl...
# New source files are linked, links to deleted ones removed. The mirror
# has no GNUmakefile: make in build/userspace reads Makefile itself.
# Several builds may run it at once (make -j all): it takes a lock.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$top/build"
exec 9> "$top/build/.mirror.lock"
flock 9
srcs=
for s in Kbuild include kmod proto userspace bench; do
	[ -e "$top/$s" ] || continue	# a DKMS source tree: the module's only
	cp -rsf "$top/$s" "$top/build/"
	srcs="$srcs $s"
done
cd "$top/build"
find $srcs \( -xtype l -o -name GNUmakefile -type l \) -delete
