#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# /init of the selftest initramfs: reach the host's root over virtio-9p,
# make the few writable places a test needs, chroot into it, run the job
# that run-vm.sh left in the shared output directory, report its exit
# status and the kernel log there, and power off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev

for m in $(cat /mods/order); do
	insmod "/mods/$m" || echo "init: insmod $m failed"
done

out=
top=
for w in $(cat /proc/cmdline); do
	case $w in
	pp.out=*) out=${w#pp.out=} ;;
	pp.top=*) top=${w#pp.top=} ;;
	esac
done

R=/newroot
if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot $R; then
	echo "init: cannot mount the host root"
	poweroff -f
fi
mount -t proc proc $R/proc
mount -t sysfs sys $R/sys
mount -t devtmpfs dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm 2>/dev/null
mount -t devpts devpts $R/dev/pts
mount -t tmpfs tmpfs $R/dev/shm
for d in /tmp /run /var/tmp /root /var/log; do
	[ -d "$R$d" ] && mount -t tmpfs -o mode=1777 tmpfs "$R$d"
done
mount -t debugfs debugfs $R/sys/kernel/debug 2>/dev/null
# The repository may sit under a path the tmpfs mounts above hide (a CI
# clone in /tmp): it comes as its own share, at its own path.
mkdir -p "$R$top" 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose pptop "$R$top"
mkdir -p "$R$out"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 ppout "$R$out"
# Module autoloading (request_module) runs /sbin/modprobe from this
# initramfs, not from the chroot: hand it over to the host's modprobe.
mkdir -p /sbin
printf '#!/bin/sh\nexec /bin/chroot %s /sbin/modprobe "$@"\n' $R > /sbin/modprobe
chmod 755 /sbin/modprobe
echo /sbin/modprobe > /proc/sys/kernel/modprobe
hostname pp-guest
ip link set lo up 2>/dev/null

chroot $R /bin/sh "$out/job.sh" </dev/null >/dev/console 2>&1
echo $? > "$R$out/rc.tmp"
dmesg > "$R$out/dmesg"
mv "$R$out/rc.tmp" "$R$out/rc"
sync
umount "$R$out"
poweroff -f
