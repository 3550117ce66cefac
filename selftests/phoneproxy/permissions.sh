#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Only the administrator changes anything, or reads what names a user:
# netlink writes and the dumps of users, CallManagers, activations and
# calls (SIDs, addresses) need CAP_NET_ADMIN in the user namespace that
# owns the network namespace, as "wg show" does; the configuration and
# the counters stay readable. Played by an unprivileged user in the
# proxy's namespace, then by the same user as "root" of a user namespace
# of its own (unshare -Ur: root there, nobody here), then with a network
# namespace of its own too (unshare -Urn: a proxy of its own, no more).
source "$(dirname "$0")/lib.sh"
require ip setpriv unshare

setup_topology || { tap_result 1 "lab topology"; tap_done; }
write_users_xml "$TMPD/users.xml"
chmod 755 "$TMPD"
chmod 644 "$TMPD/users.xml"
pp publish "$TMPD/users.xml" >/dev/null

# as_nobody COMMAND...: uid/gid 65534, no group, no capability.
as_nobody() {
	ip netns exec "$NS_PROXY" setpriv --reuid=65534 --regid=65534 \
		--clear-groups --inh-caps=-all --bounding-set=-all "$@"
}
nobody() { as_nobody "$PPCTL" "$@"; }
# "root" of a new user namespace, in the proxy's network namespace.
uns() { as_nobody unshare -Ur "$PPCTL" "$@"; }
# Run a function of this script in "sh -c" (for pipes).
fn() { echo "$(declare -f as_nobody nobody uns); NS_PROXY=$NS_PROXY PPCTL=$PPCTL; $*"; }

check_fail "an unprivileged user cannot activate" \
	nobody set user active name homer address $PHONE
check "the refusal says the operation is not permitted" \
	bash -c "$(fn "nobody set user active name homer address $PHONE 2>&1 | grep -Eiq 'not permitted|permission'")"
check_fail "an unprivileged user cannot publish users" \
	nobody publish "$TMPD/users.xml"
check_fail "an unprivileged user cannot change the configuration" \
	nobody set phoneproxy activation mode open
check_fail "an unprivileged user cannot bind an interface role" \
	nobody set interface north address $PHONE
check "nothing changed: homer is still [inactive]" \
	show_user_has '^homer +SEP001122334455 +\[inactive\]'
check "an unprivileged user can read the configuration" nobody show phoneproxy
check "an unprivileged user can read the counters" nobody show counters
pp set user active name homer address $PHONE
check_fail "an unprivileged user cannot inactivate" \
	nobody set user inactive name homer
check "homer is still active" show_user_has "^homer +SEP001122334455 +$PHONE "

# Dumps that name users: refused, and no SID or address leaks out.
check_fail "an unprivileged user cannot dump the users and activations" \
	nobody show user
check_fail "an unprivileged user cannot dump the CallManagers" \
	nobody show callmanager
check_fail "an unprivileged user cannot dump the calls" nobody show calls
check "the dump refusal says the operation is not permitted" \
	bash -c "$(fn "nobody show user 2>&1 | grep -Eiq 'not permitted|permission'")"
check "no SID and no phone address reach an unprivileged user" \
	bash -c "$(fn "! { nobody show user; nobody -j show user; nobody show calls; nobody show callmanager; } 2>&1 | grep -Eiq 'SEP[0-9a-f]{12}|$PHONE|$CCM'")"
check "an unprivileged user cannot subscribe to the activation events" \
	timeout 10 bash -c "$(fn "nobody monitor 2>&1 | grep -Eiq 'not permitted|permission'")"

# The QEMU guest (selftests/vm/init.sh) runs the tests chrooted into the
# host's file system at /newroot, and the kernel refuses a user namespace
# to a chrooted process. unchroot COMMAND...: from the initramfs's mount
# namespace (init's), in a private copy of it, move that file system over
# "/" (as switch_root does) so it is the namespace's root, and run
# COMMAND there (the network namespace stays). Elsewhere: as is.
cat > "$TMPD/unchroot" <<'EOF'
#!/bin/sh
if [ -d /proc/1/root/newroot ] && ! [ /proc/1/root -ef / ]; then
	exec nsenter -t 1 -m -- /bin/busybox unshare -m --propagation private \
		/bin/busybox sh -c 'cd /newroot && /bin/busybox mount --move . / &&
			exec /bin/busybox chroot . "$@"' sh "$@"
fi
exec "$@"
EOF
chmod 755 "$TMPD/unchroot"
# as_nobody, out of the guest's chroot (busybox there has its own
# setpriv: the path says which one).
SETPRIV=$(command -v setpriv)
as_nobody() {
	ip netns exec "$NS_PROXY" "$TMPD/unchroot" "$SETPRIV" --reuid=65534 \
		--regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all "$@"
}
if ! out=$(as_nobody unshare -Ur true 2>&1); then
	diag "no unprivileged user namespaces here ($out): the unshare checks are skipped"
	tap_done
fi

# "root" of its own user namespace, in the proxy's network namespace
# (owned by the initial user namespace): still nobody there.
check_fail "root of its own user namespace cannot activate in the proxy's" \
	uns set user active name marge address $PHONE2
check_fail "root of its own user namespace cannot inactivate in the proxy's" \
	uns set user inactive name homer
check_fail "root of its own user namespace cannot change the proxy's configuration" \
	uns set phoneproxy activation mode open
check_fail "root of its own user namespace cannot publish users in the proxy's" \
	uns publish "$TMPD/users.xml"
check_fail "root of its own user namespace cannot dump the proxy's users" \
	uns show user
check_fail "root of its own user namespace cannot dump the proxy's calls" \
	uns show calls

# unshare -Urn: a proxy of its own. Root there, it may configure it all;
# the proxy's namespace sees none of it.
mkdir -p "$TMPD/uns"
cp "$TMPD/users.xml" "$TMPD/uns/users.xml"
cat > "$TMPD/uns/own.sh" <<EOF
set -e
export PP_CONF_DIR=$TMPD/uns PP_STATE_DIR=$TMPD/uns
ip link set lo up
ip link add north type dummy
ip link set north up
ip addr add $NORTH/24 dev north
$PPCTL set interface north address $NORTH
$PPCTL publish $TMPD/uns/users.xml
$PPCTL set user active name marge address $PHONE2
$PPCTL set phoneproxy activation mode open
$PPCTL show user
$PPCTL show phoneproxy
EOF
chown -R 65534:65534 "$TMPD/uns"
as_nobody unshare -Urn sh "$TMPD/uns/own.sh" > "$TMPD/uns.out" 2>&1
rc=$?
sed 's/^/#   own namespace: /' "$TMPD/uns.out"
check "root of its own user and network namespace configures its own proxy" \
	test $rc = 0
check "there, its own users and activations are its to read" \
	grep -Eq "^marge +SEP0003E348E321 +$PHONE2 " "$TMPD/uns.out"
check "the proxy's namespace is untouched: homer still active there" \
	show_user_has "^homer +SEP001122334455 +$PHONE "
check "the proxy's namespace is untouched: marge inactive there" \
	show_user_has '^marge +SEP0003E348E321 +\[inactive\]'
check "the proxy's namespace is untouched: activation mode still required" \
	sh -c "ip netns exec $NS_PROXY $PPCTL show phoneproxy | grep -Eq 'activation mode +required'"

tap_done
