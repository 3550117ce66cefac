# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The host side of a benchmark that runs in one guest and writes a
# markdown section (bench/scale, bench/cluster): sourced.
#	bench_vm NAME 'command'
# boots the guest (selftests/vm/run-vm.sh, 2 GiB, 3,000 s at most) with
# the command, which writes $PP_VM_OUT/NAME.md; prints that section and a
# line on the host on stdout (the guest's output goes to stderr). Returns
# the guest's exit status.
bench_vm() {
	local name=$1 cmd=$2 out t0 rc
	out=$(mktemp -d "/tmp/pp-$name.XXXXXX")
	t0=$(date +%s)
	"$PP_TOP/selftests/vm/run-vm.sh" -m 2048 -t 3000 -o "$out" "$cmd" >&2
	rc=$?
	if [ -s "$out/$name.md" ]; then
		cat "$out/$name.md"
		echo
		echo "Host: $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
			"$(( $(date +%s) - t0 )) s in all (boot included)."
	else
		echo "bench/$name: the guest wrote no results (exit $rc); its output is on stderr above" >&2
	fi
	rm -rf "$out"
	return $rc
}
