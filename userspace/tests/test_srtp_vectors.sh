#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The phoneproxy authors.
#
# The SRTP vectors of the kernel's KUnit suite (kmod/tests/srtp_kunit.c)
# are libsrtp2's (TAP): the generator, linked with libsrtp2, checks that
# libsrtp2 unprotects each packet it protected back to the plain bytes
# and refuses it replayed and with a bit flipped, and its output is the
# committed header byte for byte.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
header=$src/../../kmod/tests/srtp_vectors.h
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$here/srtp_vectors" > "$tmp"
ok $? "libsrtp2 unprotects what it protected, refuses a replay and a flipped bit"
cmp -s "$tmp" "$header"
ok $? "the committed kmod/tests/srtp_vectors.h is the generator's output"
[ "$failed" = 0 ] || diff "$header" "$tmp" | head -n 20 | sed 's/^/# /'
echo "1..$n"
exit $failed
