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
iproute2 iputils-ping nftables nmap python3 util-linux procps jq
sparse linux-source-6.1 xz-utils
flex bison bc libelf-dev libssl-dev clang libclang-rt-14-dev
libevent-dev tftpd-hpa tftp-hpa atftp curl
libsrtp2-dev libcsv-dev
corosync libcpg-dev keepalived
openssl chromium libsoap-lite-perl tshark
slowhttptest conntrack python3-scapy
python3-cryptography python3-lxml"

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
# tftpd-hpa is only a test peer (the CallManager's TFTP server, started
# by the selftests inside a namespace): its postinst must not start a
# system-wide in.tftpd, which would also hold UDP 69 against pp-tftpd.
policy=/usr/sbin/policy-rc.d
if [ ! -e $policy ]; then
	printf '#!/bin/sh\nexit 101\n' > $policy
	chmod 755 $policy
	trap 'rm -f $policy' EXIT
fi
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
case " $missing " in
*" tftpd-hpa "*)
	if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
		systemctl disable --now tftpd-hpa.service >/dev/null 2>&1 || true
	fi
	update-rc.d tftpd-hpa disable >/dev/null 2>&1 || true
	;;
esac
