#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Boot Debian's own kernel under QEMU (TCG, no network device), share the
# host's root file system read-only over virtio-9p, load phoneproxy.ko and
# run a shell command inside the guest. This is the one entry point the
# selftests, the demo and developers use (`make vm CMD='...'`).
#
#   selftests/vm/run-vm.sh [options] 'shell command'
#	-n		do not load phoneproxy.ko
#	-m MEM		guest memory in MiB (default 1024)
#	-t SECONDS	wall-clock limit (default 1500)
#	-o DIR		keep the guest's output directory in DIR
#	-d		boot the debug kernel instead (also PP_VM_DEBUG=1): see below
#
# Inside the guest the host file system is read-only except /tmp, /run,
# /var/tmp, /var/log and /root (tmpfs; PP_CONF_DIR and PP_STATE_DIR point
# under /run/phoneproxy), and
# $PP_VM_OUT, a directory shared back to the host. The command runs from
# the current directory with the caller's PATH-independent environment
# plus PP_TOP (the repository). Its exit status becomes ours.
#
# The run fails (exit 1) when the guest panics (the kernel boots with
# panic_on_warn=1), times out, does not report an exit status, or when the
# kernel log contains a WARNING, BUG, Oops, lockdep, KASAN or kmemleak
# report; the module is unloaded at the end so unload problems show too.
#
# With -d the guest boots the project's debug kernel (KASAN, kmemleak,
# lockdep, UBSAN...: selftests/vm/debug-kernel/config), built once and
# cached by scripts/build-debug-kernel.sh. Everything the guest needs is
# built in, so the initramfs loads no module and modprobe is skipped.
# phoneproxy.ko and phoneproxy_kunit.ko are built against that kernel in
# a copy of the sources (scripts/build-debug-mod.sh; build/kmod/phoneproxy.ko,
# built for Debian's kernel, is left alone); the guest gets their paths in
# PP_KO and PP_KUNIT_KO.
# kmemleak is cleared before the command and scanned after it (and after
# the unload): any suspected leak fails the run. Default memory: 2048 MiB.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
KVER=${KVER:-$(cd /lib/modules && ls -d *-amd64 2>/dev/null | sort -V | tail -n1)}
KERNEL=${PP_VM_KERNEL:-/boot/vmlinuz-$KVER}
BUILD=${PP_BUILD:-$TOP/build}
load_module=1
debug=${PP_VM_DEBUG:-0}
mem=
limit=1500
keep=""

while getopts "dnm:t:o:" opt; do
	case $opt in
	d) debug=1 ;;
	n) load_module=0 ;;
	m) mem=$OPTARG ;;
	t) limit=$OPTARG ;;
	o) keep=$OPTARG ;;
	*) echo "usage: $0 [-d] [-n] [-m MiB] [-t s] [-o dir] 'command'" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-d] [-n] [-m MiB] [-t s] [-o dir] 'command'" >&2; exit 2; }
cmd="$*"

die() { echo "run-vm: $*" >&2; exit 1; }
KO=$TOP/build/kmod/phoneproxy.ko
KUNIT_KO=
if [ "$debug" = 1 ]; then
	mem=${mem:-2048}
	# The debug kernel (built on first use, then cached) and the
	# module built against it, in a copy of the sources.
	tree=$("$TOP/scripts/build-debug-kernel.sh") ||
		die "cannot build the debug kernel"
	KERNEL=$(dirname "$tree")/bzImage
	dm=$("$TOP/scripts/build-debug-mod.sh") ||
		die "cannot build phoneproxy.ko against the debug kernel"
	KO=$dm/kmod/phoneproxy.ko
	KUNIT_KO=$dm/kmod/tests/phoneproxy_kunit.ko
	KVER=debug
else
	mem=${mem:-1024}
	[ -n "$KVER" ] && [ -r "$KERNEL" ] ||
		die "no Debian kernel found (install linux-image-amd64): $KERNEL"
fi
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing"
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || die "busybox-static missing"

# The initramfs: busybox, the modules that reach the 9p root, an init.
initrd=$BUILD/vm/initramfs-$KVER.cpio.gz
initsrc=$TOP/selftests/vm/init.sh
if [ ! -s "$initrd" ] || [ "$initsrc" -nt "$initrd" ] || [ "$0" -nt "$initrd" ]; then
	stage=$(mktemp -d)
	mkdir -p "$stage"/{bin,dev,proc,sys,mods,newroot} "$BUILD/vm"
	cp "$(command -v busybox)" "$stage/bin/busybox"
	cp "$initsrc" "$stage/init"
	chmod 755 "$stage/init"
	mdir=/lib/modules/$KVER
	: > "$stage/mods/order"
	mods="virtio_pci 9pnet_virtio 9p"
	[ "$debug" = 1 ] && mods=""	# built into the debug kernel
	for m in $mods; do
		path=$(grep -E "/$m\.ko(\.[a-z]+)?:" "$mdir/modules.dep") ||
			die "module $m not in $mdir/modules.dep"
		deps=${path#*:}
		for d in $(echo "$deps" | tr ' ' '\n' | tac) "${path%%:*}"; do
			b=$(basename "$d")
			grep -qx "$b" "$stage/mods/order" && continue
			cp "$mdir/$d" "$stage/mods/$b"
			echo "$b" >> "$stage/mods/order"
		done
	done
	(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) > "$initrd.tmp" &&
		mv "$initrd.tmp" "$initrd"
	rm -rf "$stage"
fi

out=$(mktemp -d /tmp/pp-vm.XXXXXX)
chmod 777 "$out"
cleanup() {
	if [ -n "$keep" ]; then mkdir -p "$keep" && cp -a "$out/." "$keep/"; fi
	rm -rf "$out"
}
trap cleanup EXIT

# What the guest runs, after init has set up the chroot.
cat > "$out/job.sh" <<EOF
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root PP_TOP='$TOP' PP_VM_OUT='$out' TERM=dumb LANG=C.UTF-8
export PP_CONF_DIR=/run/phoneproxy/etc PP_STATE_DIR=/run/phoneproxy/state
export PP_KO='$KO' PP_KUNIT_KO='$KUNIT_KO'
mkdir -p \$PP_CONF_DIR \$PP_STATE_DIR
cd '$PWD' 2>/dev/null || cd '$TOP'
leaks=/sys/kernel/debug/kmemleak
if [ $debug = 1 ]; then
	# Leaks from before the command (boot, 9p) are not ours.
	echo clear > \$leaks || { echo "run-vm: no \$leaks"; exit 96; }
fi
if [ $load_module = 1 ]; then
	# Built into the debug kernel: nothing to load there.
	if [ $debug != 1 ]; then
		modprobe -a nf_conntrack nf_defrag_ipv4 nf_nat || exit 97
		# What udev loads on a real host from the CPU's modalias
		# (no udev here): AES-NI and the SSSE3/AVX SHA-1, which
		# the module's SRTP then uses (docs/srtp.md). Refused
		# quietly by a CPU without the features.
		modprobe -q -a aesni_intel sha1_ssse3
	fi
	insmod '$KO' || exit 98
fi
( $cmd )
rc=\$?
if [ $load_module = 1 ] && grep -q '^phoneproxy ' /proc/modules; then
	rmmod phoneproxy || { echo "run-vm: rmmod phoneproxy failed"; rc=99; }
fi
if [ $debug = 1 ]; then
	# kmemleak reports only objects older than 5 s: let the last
	# frees (RCU callbacks) and the unload settle, then scan.
	sleep 6
	echo scan > \$leaks
	cat \$leaks > '$out/kmemleak'
fi
exit \$rc
EOF

# Console noise stays at KERN_WARNING and above; the full log is saved.
append="console=ttyS0 panic_on_warn=1 panic=-1 oops=panic loglevel=4"
append="$append pp.out=$out pp.top=$TOP rdinit=/init"
timeout --foreground -k 10 "$limit" qemu-system-x86_64 \
	-machine q35,accel=tcg -cpu max -smp 2 -m "$mem" \
	-nodefaults -nic none -display none -no-reboot \
	-serial stdio -monitor none \
	-kernel "$KERNEL" -initrd "$initrd" -append "$append" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$out",mount_tag=ppout,security_model=none,multidevs=remap \
	-virtfs local,path="$TOP",mount_tag=pptop,security_model=none,readonly=on,multidevs=remap \
	</dev/null
qrc=$?

[ $qrc = 124 ] && die "guest timed out after ${limit}s"
[ -s "$out/rc" ] || die "guest did not finish (panic or crash; qemu exit $qrc)"
rc=$(cat "$out/rc")
# The debug kernel's own announcements are not reports.
benign='kmemleak: Kernel memory leak detector initialized'
if [ -s "$out/dmesg" ] &&
	grep -E -n 'WARNING:|BUG:|Oops|general protection|Call Trace|kmemleak|KASAN|UBSAN|possible recursive locking|suspicious RCU usage|INFO: task .* blocked|detected stalls?|ODEBUG|turning off the locking correctness validator|lock held when returning' \
		"$out/dmesg" | grep -v -e "$benign" > "$out/dmesg.bad"; then
	echo "run-vm: kernel log reports a problem:" >&2
	cat "$out/dmesg.bad" >&2
	rc=1
fi
if [ -s "$out/kmemleak" ]; then
	echo "run-vm: kmemleak reports suspected leaks:" >&2
	sed 's/^/  /' "$out/kmemleak" | head -n 200 >&2
	rc=1
fi
case $rc in
96) die "the debug kernel has no kmemleak in debugfs" ;;
97) die "could not load conntrack modules in the guest" ;;
98) die "could not insmod $KO in the guest" ;;
esac
exit "$rc"
