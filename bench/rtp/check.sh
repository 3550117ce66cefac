#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# bench/rtp/check.sh: rtpblast's SRTP is what a libsrtp2 receiver accepts,
# with the keys pp-phone-sim --print-keys prints (a check of the load
# generator, not of the proxy; run it on the host as root, in a network
# namespace of its own: `unshare -n bench/rtp/check.sh`, or it makes one).
#
# pp-ccm-sim --srtp (a secure CallManager) calls phone A (192.0.2.10) and
# phone B (192.0.2.20), both pp-phone-sim --print-keys. A's own RTP is
# dropped on output (nft); rtpblast sends in its place, from A's address,
# to where A was told to send (its keys line's remote), protected with
# A's StartMediaTransmission key: B's libsrtp2 session, keyed from its own
# OpenReceiveChannel, must authenticate and decrypt every packet, over
# three runs of one rtpblast -c (a prepared ring, then paced, then flat
# out: the index carries on), and refuse every packet of a one-shot
# rtpblast with one bit of the key changed. TAP on stdout.
PP_TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=$PP_TOP/build
BLAST=$B/bench/rtp/rtpblast CCM_SIM=$B/userspace/sim/pp-ccm-sim PHONE_SIM=$B/userspace/sim/pp-phone-sim

if [ "${1:-}" != --in-netns ]; then
	[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (a network namespace)"; exit 4; }
	make -s -C "$PP_TOP/bench/rtp" || exit 1
	exec unshare -n "$0" --in-netns
fi
for x in "$BLAST" "$CCM_SIM" "$PHONE_SIM"; do
	[ -x "$x" ] || { echo "1..0 # SKIP $x not built"; exit 4; }
done
command -v nft > /dev/null || { echo "1..0 # SKIP no nft"; exit 4; }
T=$(mktemp -d /tmp/rtpblast-check.XXXXXX)
pids=()
trap 'kill -CONT "${pids[@]}" 2> /dev/null; kill "${pids[@]}" 2> /dev/null; rm -rf "$T"' EXIT
n=0 failed=0
ok() {	# ok DESCRIPTION command...
	local d=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; failed=1; fi
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< " $1" | tail -n 1; }

ip link set lo up
ip addr add 192.0.2.10/24 dev lo || exit 1
ip addr add 192.0.2.20/24 dev lo
ip addr add 198.51.100.10/24 dev lo
# A's own RTP (not from rtpblast's port 50000) never leaves
nft -f - <<-EOF || exit 1
table ip check {
	chain out { type filter hook output priority 0; policy accept;
		ip saddr 192.0.2.10 udp sport != 50000 drop; }
}
EOF

"$CCM_SIM" --listen 198.51.100.10 --control "$T/ccm.sock" --srtp "${SUITE:-32}" > "$T/ccm.out" 2>&1 &
pids+=($!)
"$PHONE_SIM" --server 198.51.100.10 --sid SEP001122334455 --bind 192.0.2.10 --print-keys \
	> "$T/a.out" 2>&1 &
pids+=($!)
"$PHONE_SIM" --server 198.51.100.10 --sid SEP0003E348E321 --bind 192.0.2.20 --print-keys \
	> "$T/b.out" 2>&1 &
pids+=($!)
ctl() { "$CCM_SIM" --client "$T/ccm.sock" "$@"; }
for ((i = 0; i < 50; i++)); do [ -S "$T/ccm.sock" ] && break; sleep 0.1; done
ctl wait registered 2 10 > /dev/null || { echo "Bail out! the phones do not register"; exit 1; }
ctl call SEP001122334455 SEP0003E348E321 > /dev/null || { echo "Bail out! no call"; exit 1; }
for ((i = 0; i < 50; i++)); do
	grep -q '^keys .*dir=tx' "$T/a.out" && grep -q '^keys .*dir=rx' "$T/b.out" && break
	sleep 0.1
done
ka=$(grep '^keys .*dir=tx' "$T/a.out" | tail -n 1)
kb=$(grep '^keys .*dir=rx' "$T/b.out" | tail -n 1)
ok "A's keys line: sid, ppid, local, remote, suite, key||salt in hex (30 bytes)" \
	eval "[[ '$ka' =~ ^keys\ sid=SEP001122334455\ ppid=[0-9]+\ dir=tx\ local=192\.0\.2\.10:[0-9]+\ remote=192\.0\.2\.20:[0-9]+\ suite=AES_CM_128_HMAC_SHA1_(32|80)\ key=[0-9a-f]{60}$ ]]"
ok "B's OpenReceiveChannel key is A's StartMediaTransmission key (the CallManager's)" \
	eval "[ -n '$kb' ] && [ '$(field "$kb" key)' = '$(field "$ka" key)' ]"
remote=$(field "$ka" remote)
good=$(field "$ka" key)
echo "192.0.2.10:50000 $remote $(field "$ka" suite) $good" > "$T/good"
# one bit of the key changed
bad=$(printf '%x' $((0x${good:0:1} ^ 1)))${good:1}
echo "192.0.2.10:50000 $remote $(field "$ka" suite) $bad" > "$T/bad"

# One sender, three commands: 300 packets prepared, then 1 s at 200/s
# (the prepared ones first, then protected as it goes), then 1 s at
# 2,000/s (what B's socket takes without a loss: rtpblast paces every 64 calls).
{
	echo "prep 300 1 5"
	sleep 0.5
	echo "1 200 1 1"
	sleep 1.5
	echo "1 2000 1 1"
	sleep 1.5
} | "$BLAST" -c "$T/good" > "$T/good.out" 2> "$T/good.err"
cat "$T/good.out" | sed 's/^/# /'
sent=$(sed -n 's/.* sent=\([0-9]*\).*/\1/p' "$T/good.out" | awk '{ s += $1 } END { print s + 0 }')
"$BLAST" -d 0.5 -r 100 -b 1 "$T/bad" > "$T/bad.out" 2>&1
sed 's/^/# /' "$T/bad.out"
badsent=$(field "$(cat "$T/bad.out")" sent)
ok "rtpblast -c: 300 prepared, then two runs" \
	eval "[ \$(wc -l < '$T/good.out') = 3 ] && [ $sent -gt 2000 ] && grep -q '^prepared=300 errors=0' '$T/good.out'"
sleep 0.5
ctl hangup > /dev/null
for ((i = 0; i < 50; i++)); do grep -q '^media-stats' "$T/b.out" && break; sleep 0.1; done
mb=$(grep '^media-stats' "$T/b.out" | tail -n 1)
echo "# B: $mb"
ok "B authenticated and decrypted every packet rtpblast sent with A's key ($sent)" \
	eval "[ '$(field "$mb" srtp_unprotected)' = $sent ] && [ '$(field "$mb" srtp_replay)' = 0 ]"
ok "B refused every packet under the key with one bit changed ($badsent)" \
	eval "[ $badsent -gt 0 ] && [ '$(field "$mb" srtp_auth_fail)' = $badsent ]"
ok "B's RTP: every packet from rtpblast's source (A's address, port 50000), none lost" \
	eval "[ '$(field "$mb" rx_packets)' = $sent ] && [ '$(field "$mb" rx_lost)' = 0 ] &&
	      [ '$(field "$mb" rx_src)' = 192.0.2.10:50000 ]"
echo "1..$n"
exit $failed
