#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# What `make bench` needs beyond scripts/install-deps.sh (which make check
# runs, and which this stays out of: rtpengine-kernel-dkms pulls dkms and
# builds a kernel module): the reference of bench/rtp, rtpengine (Debian
# 12's rtpengine-daemon, its kernel forwarding module by dkms, the
# iptables target, its ng client module in rtpengine-utils), perf (the
# profiles bench/rtp prints with PERF=, run in the guest), and the
# kernel module xt_RTPENGINE built for KVER, the kernel the QEMU guest
# boots (the Makefile's choice: the newest Debian kernel with an image
# and headers; the guest sees the host's /lib/modules read-only).
# Idempotent: asks apt only for what is missing, dkms only when the
# module is not there for KVER. Must run as root when something is missing.
set -e
KVER=${KVER:-$(for v in $(cd /lib/modules 2>/dev/null && ls -d *-amd64 | sort -rV); do
	[ -e /lib/modules/$v/build/Makefile ] && [ -e /boot/vmlinuz-$v ] && { echo $v; break; }; done)}
[ -n "$KVER" ] || { echo "bench-deps: no Debian kernel with headers (make deps)" >&2; exit 1; }
pkgs="rtpengine-daemon rtpengine-kernel-dkms rtpengine-iptables rtpengine-utils
iptables libbencode-perl linux-perf"

# rtpengine-daemon is only the bench's reference, started in the guest's
# namespaces by bench/rtp/run.sh: no system-wide daemon.
. "$(dirname "$0")/apt-install.sh"
# shellcheck disable=SC2086 # a list of package names
apt_install bench-deps $pkgs
if [ -n "$apt_installed" ]; then
	if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
		systemctl disable --now rtpengine-daemon.service >/dev/null 2>&1 || true
	fi
fi
if ! modinfo -k "$KVER" xt_RTPENGINE >/dev/null 2>&1; then
	mod=$(dkms status rtpengine 2>/dev/null | sed -n '1s/[,:].*//p')
	[ -n "$mod" ] || { echo "bench-deps: rtpengine is not known to dkms" >&2; exit 1; }
	echo "bench-deps: building $mod for $KVER (dkms)"
	dkms install "$mod" -k "$KVER"
	modinfo -k "$KVER" xt_RTPENGINE >/dev/null 2>&1 ||
		{ echo "bench-deps: xt_RTPENGINE still missing for $KVER" >&2; exit 1; }
fi
