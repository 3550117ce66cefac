#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Install the Debian 12 packages the build, the tests and the demo need.
# Idempotent: asks apt only for what is missing. Must run as root when
# something is missing.
set -e
pkgs="build-essential make pkg-config kmod cpio gzip
linux-headers-amd64 linux-image-amd64
libnl-3-dev libnl-genl-3-dev libxml2-dev
qemu-system-x86 busybox-static
iproute2 iputils-ping nftables nmap python3 util-linux procps
sparse linux-source-6.1 xz-utils"

missing=
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case $st in ii*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: run as root (or: sudo $0)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
