#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# In the debug guest (run-vm.sh -d): load phoneproxy_kunit.ko, whose
# suites run as it loads, unload it, and leave the kernel log of the run
# (the KTAP) in $PP_VM_OUT/kunit.log for scripts/kunit-tap.py.
#	selftests/vm/run-vm.sh -d -n -o DIR selftests/vm/kunit.sh
set -u
ko=${PP_KUNIT_KO:?run in the debug guest: run-vm.sh -d}
echo "pp-kunit: begin" > /dev/kmsg
insmod "$ko"
rc=$?
echo "pp-kunit: end" > /dev/kmsg
grep -q '^phoneproxy_kunit ' /proc/modules && rmmod phoneproxy_kunit
dmesg -t | sed -n '/pp-kunit: begin/,/pp-kunit: end/p' > "$PP_VM_OUT/kunit.log"
exit $rc
