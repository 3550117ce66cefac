#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Secure SCCP's settings and counters, run by ppctl (docs/secure-sccp.md,
# "Settings: tlsd.conf", "Counters and logs"): "set phoneproxy sccp
# security handshaketimeout|maxconnections peraddress|..." writes
# tlsd.conf and pp-tlsd takes it over its control socket, no SIGHUP: the
# per-address cap then refuses the next connection from one activated
# address (openssl s_client the peer), another address still served; a
# shorter handshake deadline closes a stalled handshake. "show stats"
# shows pp-tlsd's counters moving (and says when it is not running); a
# bad value changes nothing; show config running carries the settings;
# SIGHUP still reloads; one pp-tlsd per namespace. "show stats -o
# prometheus" carries every value of show stats -j (prom_check.py reads it
# as the exposition format), and phoneproxy-metrics.service's command
# writes it for node_exporter (docs/monitoring.md).
#
#   homer 192.0.2.10 --+
#   marge 192.0.2.20 --+ 192.0.2.1 [ pp-tlsd + module ] 198.51.100.1 --- (no CallManager)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"

TLSD=${TLSD:-$PP_OUT/userspace/tlsd/pp-tlsd}
ATTACK=$(dirname "$0")/tls_attack.py
require openssl timeout python3 jq
[ -x "$TLSD" ] || skip_all "pp-tlsd not built ($TLSD)"
call_lab
PORT=2443
TLOG=$TMPD/tlsd.log
CONF=$PP_CONF_DIR/tlsd.conf

# tls_stat NAME: one of pp-tlsd's counters, from ppctl -j show stats.
tls_stat() {
	pp -j show stats | python3 -c 'import json, sys; print(json.load(sys.stdin)["tls"][sys.argv[1]])' "$1"
}
# hello NS: a TLS 1.2 handshake to north:2443 from NS; "done" or "refused"
# (no byte of TLS read: closed at accept).
hello() {
	local out
	out=$(nsx "$1" timeout 15 openssl s_client -connect $NORTH:$PORT -tls1_2 </dev/null 2>&1)
	if grep -Eq "Cipher is ECDHE-RSA-AES(128|256)-GCM" <<< "$out"; then
		echo done
	elif grep -q "SSL handshake has read 0 bytes" <<< "$out"; then
		echo refused
	else
		grep -E "Cipher|error|alert|read" <<< "$out" | head -n 3
	fi
}
taken() { has_lines "$TLOG" "settings of $CONF taken: $1" 1; }
# prom_same: show stats -o prometheus is valid exposition format and has
# every value of show stats -j, the same, nothing else (prom_check.py).
PROM_CHECK=$(dirname "$0")/prom_check.py
FLAT='to_entries[] | .key as $s | if (.value|type) == "object" then
	(.value | to_entries[] | "\($s) \(.key) \(.value)") elif .value == null then "\($s) null -"
	else empty end'
prom_same() {
	pp -j show stats > "$TMPD/stats.json" && pp -o prometheus show stats > "$TMPD/stats.prom" &&
		jq -r "$FLAT" "$TMPD/stats.json" > "$TMPD/stats.flat" &&
		python3 "$PROM_CHECK" "$TMPD/stats.prom" "$TMPD/stats.flat"
}

diag "pp-tlsd not running (${SECONDS}s)"
check "show stats without pp-tlsd: its section says so, the module's shown, exit 0" \
	eval "out=\$(pp show stats) && grep -qx 'tls: pp-tlsd is not running in this network namespace' <<< \"\$out\" &&
	      grep -qx sccp <<< \"\$out\" && grep -qx media <<< \"\$out\""
check "show stats -j without pp-tlsd: \"tls\" null and why" \
	eval "pp -j show stats | python3 -c 'import json, sys; d = json.load(sys.stdin); sys.exit(not (d[\"tls\"] is None and \"not running\" in d[\"tls_error\"] and \"sccp\" in d))'"
check "show stats -o prometheus without pp-tlsd: every counter of show stats -j, same values, HELP and TYPE for each" \
	prom_same
check "... pp-tlsd and pp-tftpd not running: phoneproxy_up{daemon=...} 0, the module's 1" \
	eval "grep -qx 'phoneproxy_up{daemon=\"pp-tlsd\"} 0' $TMPD/stats.prom &&
	      grep -qx 'phoneproxy_up{daemon=\"pp-tftpd\"} 0' $TMPD/stats.prom &&
	      grep -qx 'phoneproxy_up{daemon=\"phoneproxy.ko\"} 1' $TMPD/stats.prom &&
	      ! grep -q '^phoneproxy_tls_' $TMPD/stats.prom"
check_fail "-o prometheus with another command than show stats is refused" pp -o prometheus show user
check "... in a command file, before any line runs" \
	eval "! printf 'show stats\nshow user\n' | pp -o prometheus -f - > $TMPD/file.out 2>&1 &&
	      grep -q '<stdin>:2: -o prometheus: only \"show stats\"' $TMPD/file.out &&
	      ! grep -q phoneproxy_up $TMPD/file.out"
check "ppctl set phoneproxy sccp security handshaketimeout 30: written to tlsd.conf (pp-tlsd not running)" \
	eval "pp set phoneproxy sccp security handshaketimeout 30 && grep -qx 'set phoneproxy sccp security handshaketimeout 30' $CONF"

ip netns exec "$NS_PROXY" "$TLSD" -e 2> "$TLOG" &
TLSD_PID=$!
at_exit "kill $TLSD_PID"
check "pp-tlsd starts with tlsd.conf's settings" \
	wait_for 5 grep -q 'pp-tlsd started (handshake timeout 30 s, maxconnections 4096, peraddress 8' "$TLOG"
check "a second pp-tlsd in the namespace does not start (its control socket is taken)" \
	eval "! nsx $NS_PROXY timeout 5 $TLSD -e 2> $TMPD/second.err &&
	      grep -q 'pp-tlsd already runs in this network namespace' $TMPD/second.err"
pp set phoneproxy sccp security on
check "sccp security on: pp-tlsd listens on $NORTH:$PORT" \
	wait_for 10 grep -q "listening on $NORTH:$PORT" "$TLOG"

diag "the per-address cap changed by ppctl (${SECONDS}s)"
check "marge's first TLS handshake is done" eval "[ \"\$(hello $NS_PHONE2)\" = done ]"
check "show stats: accepted and handshakes counted" \
	eval "[ \"\$(tls_stat accepted)\" -ge 1 ] && [ \"\$(tls_stat handshakes)\" -ge 1 ]"
# Two stalled handshakes from marge's address, held by pp-tlsd (deadline 30 s).
# (ip netns exec execs: $! is python itself.)
ip netns exec "$NS_PHONE2" python3 "$ATTACK" hold $NORTH $PORT 2 25 > "$TMPD/hold.out" &
HOLD_PID=$!
at_exit "kill $HOLD_PID"
check "show stats: two handshakes in progress" wait_for 10 eval "[ \"\$(tls_stat handshaking)\" = 2 ]"
check "peraddress 8: marge's third connection is served" eval "[ \"\$(hello $NS_PHONE2)\" = done ]"
r0=$(tls_stat refused_peraddress)
check "ppctl set phoneproxy sccp security maxconnections peraddress 2 (no SIGHUP): pp-tlsd takes it" \
	eval "pp set phoneproxy sccp security maxconnections peraddress 2 && taken '.*peraddress 2,'"
check "peraddress 2: marge's third connection is now refused before any TLS byte" \
	eval "[ \"\$(hello $NS_PHONE2)\" = refused ]"
check "show stats: refused_peraddress moved" eval "[ \"\$(tls_stat refused_peraddress)\" -gt $r0 ]"
check "homer's address is not marge's: served" eval "[ \"\$(hello $NS_PHONE)\" = done ]"
kill $HOLD_PID 2>/dev/null
wait $HOLD_PID 2>/dev/null
check "the held handshakes end with their client" wait_for 10 eval "[ \"\$(tls_stat handshaking)\" = 0 ]"

diag "a bad value (${SECONDS}s)"
cp "$CONF" "$TMPD/conf.before"
n=$(grep -c 'settings of .* taken' "$TLOG")
check_fail "ppctl set phoneproxy sccp security handshaketimeout 0 is refused" \
	pp set phoneproxy sccp security handshaketimeout 0
check "... naming the value and the range; tlsd.conf unchanged, nothing told to pp-tlsd" \
	eval "pp set phoneproxy sccp security handshaketimeout 0 2>&1 | grep -q 'value \"0\" is not a number of seconds (1..300)' &&
	      cmp -s $CONF $TMPD/conf.before && [ \$(grep -c 'settings of .* taken' $TLOG) = $n ]"
check_fail "a CA bundle that is no PEM certificate is refused" \
	pp set phoneproxy sccp security cafile "$CONF"
check "... tlsd.conf unchanged" cmp -s "$CONF" "$TMPD/conf.before"

diag "the handshake deadline changed by ppctl (${SECONDS}s)"
t0=$(tls_stat handshake_timeout)
check "ppctl set phoneproxy sccp security handshaketimeout 2: pp-tlsd takes it" \
	eval "pp set phoneproxy sccp security handshaketimeout 2 && taken 'handshaketimeout 2 s'"
check "a stalled handshake is closed by the new deadline" \
	eval "[ \"\$(nsx $NS_PHONE $ATTACK stall $NORTH $PORT 20)\" = closed ] &&
	      wait_for 5 grep -q 'handshake not done within 2 s' $TLOG"
check "show stats: handshake_timeout moved" eval "[ \"\$(tls_stat handshake_timeout)\" -gt $t0 ]"

diag "show stats, show config running, SIGHUP (${SECONDS}s)"
pp show stats > "$TMPD/stats.txt"
sed -n '/^tls/,$p' "$TMPD/stats.txt" | sed 's/^/# /'
check "show stats: a tls section with pp-tlsd's counters, after tftp" \
	eval "sed -n '/^tls\$/,\$p' $TMPD/stats.txt | grep -Eq '^  refused_peraddress +[1-9]' &&
	      grep -Eq '^  ccm_connect_failed +[0-9]' $TMPD/stats.txt && grep -Eq '^  open +[0-9]' $TMPD/stats.txt"
check "show config running carries the settings (save config replays them)" \
	eval "pp show config running > $TMPD/running &&
	      grep -qx 'set phoneproxy sccp security handshaketimeout 2' $TMPD/running &&
	      grep -qx 'set phoneproxy sccp security maxconnections peraddress 2' $TMPD/running"
check "show stats -o prometheus: every counter of show stats -j, same values, HELP and TYPE for each" \
	prom_same
check "... pp-tlsd's: up 1, refusals by reason, open connections a gauge" \
	eval "grep -qx 'phoneproxy_up{daemon=\"pp-tlsd\"} 1' $TMPD/stats.prom &&
	      grep -Eqx 'phoneproxy_tls_refused_total\{reason=\"peraddress\"\} [1-9][0-9]*' $TMPD/stats.prom &&
	      grep -qx '# TYPE phoneproxy_tls_open gauge' $TMPD/stats.prom"
# phoneproxy-metrics.service's command, its directory here.
UNIT=$(dirname "$0")/../../userspace/systemd/phoneproxy-metrics.service
mkdir "$TMPD/textfile"
cmd=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$UNIT" | sed 's/^ExecStart=//; s/\\$//' | tr -d '\n' |
	sed "s|^/bin/sh -c '||; s|'\$||; s|\\$\\$|\$|g; s|/var/lib/prometheus/node-exporter|$TMPD/textfile|g;
	     s|/usr/sbin/ppctl|$PPCTL|g")
diag "phoneproxy-metrics.service: $cmd"
check "phoneproxy-metrics.service's command writes phoneproxy.prom whole to the textfile directory, nothing else" \
	eval "ip netns exec $NS_PROXY sh -c '$cmd' && [ \"\$(ls $TMPD/textfile)\" = phoneproxy.prom ] &&
	      python3 $PROM_CHECK $TMPD/textfile/phoneproxy.prom &&
	      grep -qx 'phoneproxy_up{daemon=\"pp-tlsd\"} 1' $TMPD/textfile/phoneproxy.prom"
echo "set phoneproxy sccp security maxhandshakes 5" >> "$CONF"
kill -HUP $TLSD_PID
check "SIGHUP still reloads tlsd.conf" wait_for 5 taken '.*maxhandshakes 5,'
check "pp-tlsd is alive" kill -0 $TLSD_PID
pp set phoneproxy sccp security off
tap_done
