# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Sourced by scripts/install-deps.sh and scripts/bench-deps.sh:
#   apt_install TAG PACKAGE...
# installs the packages not installed yet (none missing: nothing, not even
# root needed), with no daemon started by a postinst (the test peers and
# the bench's reference are started by the tests in their own
# namespaces). Sets $apt_installed to the packages it installed, so the
# caller can tidy after them. Needs set -e in the caller.
apt_install() {
	_tag=$1
	shift
	apt_installed=
	for _p in "$@"; do
		_st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$_p" 2>/dev/null || true)
		case $_st in ii*) ;; *) apt_installed="$apt_installed $_p" ;; esac
	done
	[ -n "$apt_installed" ] || return 0
	echo "$_tag: installing:$apt_installed"
	if [ "$(id -u)" != 0 ]; then
		echo "$_tag: run as root (or: sudo $0)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	_policy=/usr/sbin/policy-rc.d
	if [ ! -e $_policy ]; then
		printf '#!/bin/sh\nexit 101\n' > $_policy
		chmod 755 $_policy
		trap 'rm -f $_policy' EXIT
	fi
	apt-get update -q
	# shellcheck disable=SC2086 # a list of package names
	apt-get install -y -q --no-install-recommends $apt_installed
}
