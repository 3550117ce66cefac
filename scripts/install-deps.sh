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
corosync libcpg-dev libquorum-dev libcmap-dev keepalived
openssl chromium libsoap-lite-perl tshark
slowhttptest conntrack python3-scapy
python3-cryptography python3-lxml"

# tftpd-hpa is only a test peer (the CallManager's TFTP server, started
# by the selftests inside a namespace): no system-wide in.tftpd, which
# would also hold UDP 69 against pp-tftpd.
. "$(dirname "$0")/apt-install.sh"
# shellcheck disable=SC2086 # a list of package names
apt_install install-deps $pkgs
case " $apt_installed " in
*" tftpd-hpa "*)
	if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
		systemctl disable --now tftpd-hpa.service >/dev/null 2>&1 || true
	fi
	update-rc.d tftpd-hpa disable >/dev/null 2>&1 || true
	;;
esac
