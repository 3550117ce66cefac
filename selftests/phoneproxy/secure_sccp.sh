#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Secure SCCP (docs/secure-sccp.md; the guide's "Encrypted Communications"
# and "Enabling Secure Communications"): pp-tlsd ends the phones' TLS on
# the north address's TCP 2443 and hands the plaintext to the module's
# SCCP proxy (PP_CMD_SCCP_CLAIM), which connects from the south address.
#
#   homer 192.0.2.10 (TLS 1.0, AES128-SHA) --+
#   marge 192.0.2.20 (TLS 1.2)   ------------+ 192.0.2.1 [ pp-tlsd + module ] 198.51.100.1 --- ccm
#
# What TLS pp-tlsd accepts (openssl s_client, nmap ssl-enum-ciphers);
# the key log letting tshark decrypt a phone's RegisterReq; both phones
# doing what a secure phone does (over TFTP from pp-tftpd their CTLSEP
# file, the CTL and the signed configuration, verified; TLS to the port
# it names + 443, trusting only the CTL's CCM certificate), registering
# and calling each other through the media relay, the CallManager seeing
# plain SCCP from the south address; and the attacks: no handshake for a
# non-activated address, another device's client certificate reset by
# the kernel, a garbage ClientHello, a stalled handshake, 1,000
# handshakes at once, the global handshake cap; last, the proxy's
# certificate regenerated without a new CTL: the phone refuses it.
#
# Two runs share this file (each within the test timeout of an emulated
# guest): secure_sccp.sh the TLS checks and the attacks before a phone
# (sections 1, 2), secure_sccp_call.sh (SECURE_PART=call) the phones, the
# call and the attacks on a live service (sections 3, 4).
SECURE_PART=${SECURE_PART:-tls}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sim.sh"

TLSD=${TLSD:-$PP_OUT/userspace/tlsd/pp-tlsd}
ATTACK=$(dirname "$0")/tls_attack.py
require openssl nmap timeout python3
[ -x "$TLSD" ] || skip_all "pp-tlsd not built ($TLSD)"
call_lab
PORT=2443
MEDIA_S=3

# ---- certificates -----------------------------------------------------

# The proxy's (pp_cert_path(PP_CERT_TFTP)): PEM key + certificate.
mkdir -m 0700 -p "$PP_STATE_DIR/certs"
# The proxy's key is RSA (TLS 1.0's AES128-SHA is RSA key exchange); the
# phones' and their CA's are EC (quick to make in an emulated guest).
mkcert() {	# mkcert NAME CN [CA]: $TMPD/NAME.key, NAME.crt (signed by CA)
	local ca=$3 key="ec -pkeyopt ec_paramgen_curve:P-256"
	[ "$1" = proxy ] && key="rsa:2048"
	if [ -z "$ca" ]; then
		openssl req -x509 -newkey $key -nodes -days 2 -subj "/CN=$2" \
			-keyout "$TMPD/$1.key" -out "$TMPD/$1.crt" 2>/dev/null
	else
		openssl req -newkey $key -nodes -subj "/CN=$2" -keyout "$TMPD/$1.key" \
			-out "$TMPD/$1.csr" 2>/dev/null &&
		openssl x509 -req -in "$TMPD/$1.csr" -CA "$TMPD/$ca.crt" -CAkey "$TMPD/$ca.key" \
			-CAcreateserial -days 2 -out "$TMPD/$1.crt" 2>/dev/null
	fi
}
mkcert proxy tftp17a98efd-4749-62b0-247e-b2325d0d85b9 &&
	cat "$TMPD/proxy.key" "$TMPD/proxy.crt" > "$PP_STATE_DIR/certs/tftp.pem" &&
	mkcert ca "phoneproxy test CAPF" &&
	mkcert homer CP-7961G-$A ca && mkcert marge $B ca && mkcert other CP-7961G-SEP0016B5A1C0DE ca ||
	skip_all "openssl cannot make the test certificates"

# ---- pp-tlsd ----------------------------------------------------------

TLOG=$TMPD/tlsd.log
cat > "$PP_CONF_DIR/tlsd.conf" <<EOF
# secure_sccp.sh
set phoneproxy sccp security cafile $TMPD/ca.crt
set phoneproxy sccp security handshaketimeout 3
set phoneproxy sccp security maxconnections peraddress 8
EOF
check "pp-tlsd -t accepts tlsd.conf" nsx "$NS_PROXY" "$TLSD" -t
ip netns exec "$NS_PROXY" "$TLSD" -e 2> "$TLOG" &
TLSD_PID=$!
at_exit "kill $TLSD_PID"
check "pp-tlsd does not listen while secure SCCP is off" \
	eval "wait_for 5 grep -q 'pp-tlsd started' $TLOG && ! grep -q 'listening on' $TLOG"
pp set phoneproxy sccp security on
check "sccp security on: pp-tlsd listens on $NORTH:$PORT" \
	wait_for 10 grep -q "listening on $NORTH:$PORT" "$TLOG"

# tls_stat NAME: a counter of pp-tlsd's stats line (SIGUSR1).
tls_stat() {
	local n
	n=$(grep -c 'stats:' "$TLOG")
	kill -USR1 $TLSD_PID
	wait_for 5 has_lines "$TLOG" 'stats:' $((n + 1))
	grep 'stats:' "$TLOG" | tail -n 1 | sed -n "s/.* $1 \([0-9]*\).*/\1/p"
}

# s_client FROM_NS args...: a TLS handshake to north:2443 as marge.
s_client() {
	local ns=$1
	shift
	nsx "$ns" timeout 15 openssl s_client -connect $NORTH:$PORT -cert "$TMPD/marge.crt" \
		-key "$TMPD/marge.key" "$@" < /dev/null 2>&1
}
negotiates() {	# negotiates PROTOCOL CIPHER s_client-args...
	local want_p=$1 want_c=$2 out
	shift 2
	out=$(s_client "$NS_PHONE2" "$@")
	grep -Eq "Protocol *: $want_p$" <<< "$out" && grep -Eq "Cipher *: $want_c$" <<< "$out" ||
		{ grep -E "Protocol|Cipher|error|alert" <<< "$out" | head -n 5; return 1; }
}
refused() {	# refused s_client-args...: no cipher agreed
	local out
	out=$(s_client "$NS_PHONE2" "$@")
	! grep -Eq "Cipher *: [A-Z]" <<< "$out" ||
		{ grep -E "Protocol|Cipher" <<< "$out" | head -n 3; return 1; }
}

# ---- 1. What TLS is accepted --------------------------------------------

if [ "$SECURE_PART" = tls ]; then

diag "TLS versions and ciphers (${SECONDS}s)"
check "TLS 1.0 with AES128-SHA (RSA key exchange, old firmware) is accepted" \
	negotiates TLSv1 AES128-SHA -tls1 -cipher AES128-SHA:@SECLEVEL=0
check "TLS 1.2 with ECDHE-RSA-AES128-GCM-SHA256 is accepted" \
	negotiates TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
check "TLS 1.2 with ECDHE-RSA-AES256-GCM-SHA384 is accepted" \
	negotiates TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384 -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384
check "TLS 1.3 is refused" refused -tls1_3
check "TLS 1.1 with AES256-SHA (not in the list) is refused" refused -tls1_1 -cipher AES256-SHA:@SECLEVEL=0
check "3DES (DES-CBC3-SHA) is refused" refused -tls1_2 -cipher DES-CBC3-SHA:@SECLEVEL=0
check "no client certificate is refused (a CA bundle is set: required)" \
	eval "nsx $NS_PHONE2 timeout 15 openssl s_client -connect $NORTH:$PORT -tls1_2 \
		</dev/null >/dev/null 2>&1; wait_for 5 grep -q 'handshake failed.*peer did not return a certificate' $TLOG"
mkcert rogue CP-7961G-$B
check "a client certificate of another CA is refused" \
	eval "wait_for 1 true; nsx $NS_PHONE2 timeout 15 openssl s_client -connect $NORTH:$PORT -tls1_2 \
		-cert $TMPD/rogue.crt -key $TMPD/rogue.key </dev/null >/dev/null 2>&1;
	      wait_for 5 grep -q 'handshake failed.*certificate verify failed' $TLOG"

# nmap's own handshakes (it offers SSLv3, RC4, 3DES, NULL, EXPORT, anon).
nsx "$NS_PHONE2" nmap -n -Pn -sT -p $PORT --script ssl-enum-ciphers $NORTH > "$TMPD/enum.out" 2>&1
grep -E "TLS|SSL|least" "$TMPD/enum.out" | sed 's/^/# /' | head -n 20
suites() { grep -oE 'TLS_[A-Z0-9_]+' "$TMPD/enum.out" | sort -u | tr '\n' ' '; }
check "nmap ssl-enum-ciphers: TLSv1.0 and TLSv1.2 offered, not SSLv3 nor TLSv1.3" \
	eval "grep -q 'TLSv1.0:' $TMPD/enum.out && grep -q 'TLSv1.2:' $TMPD/enum.out &&
	      ! grep -Eq 'SSLv3:|TLSv1.3:' $TMPD/enum.out"
check "nmap ssl-enum-ciphers: only the intended suites (no RC4, 3DES, NULL, EXPORT, anon)" \
	eval "[ \"\$(suites)\" = 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 TLS_RSA_WITH_AES_128_CBC_SHA ' ] || { suites; false; }"

# ---- 2. Attacks -------------------------------------------------------------

diag "attacks (${SECONDS}s)"
# From the proxy's own namespace the north firewall is not in the path:
# pp-tlsd alone must refuse an address that is not activated.
check "a non-activated address gets no ServerHello (pp-tlsd asks the module)" \
	eval "nsx $NS_PROXY timeout 15 openssl s_client -connect $NORTH:$PORT -tls1_2 </dev/null 2>&1 |
		grep -q 'SSL handshake has read 0 bytes' &&
	      grep -q 'refused: not an activated address' $TLOG"
pp set user inactive name marge
check "marge inactivated: the north firewall hides 2443 from her address" \
	eval "nsx $NS_PHONE2 nmap -n -Pn -sS -p $PORT --max-retries 1 $NORTH | grep -q '$PORT/tcp *filtered'"
pp set user active name marge address $PHONE2

check "a garbage ClientHello is refused (connection closed)" \
	eval "[ \"\$(nsx $NS_PHONE2 $ATTACK garbage $NORTH $PORT)\" = closed ]"
check "... counted as a failed handshake" eval "[ \"\$(tls_stat failed)\" -ge 1 ]"
check "a stalled handshake is closed (handshaketimeout 3)" \
	eval "[ \"\$(nsx $NS_PHONE2 $ATTACK stall $NORTH $PORT 30)\" = closed ]"
check "... counted as timed out" eval "[ \"\$(tls_stat timeout)\" -ge 1 ]"

fi	# SECURE_PART=tls

# ---- 3. Two secure phones: TFTP, the CTL, TLS; a call ----------------------

if [ "$SECURE_PART" = call ]; then

diag "secure phones: TFTP, CTL, TLS (${SECONDS}s)"
require in.tftpd
[ -x "$TFTPD" ] || skip_all "pp-tftpd not built ($TFTPD)"
# tls_phone NAME NS SID VERSION: a phone with its certificate, over TLS,
# trusting the proxy's certificate file (--tls-ca).
tls_phone() {
	phone_start "$1" "$2" --server $NORTH:$PORT --sid "$3" --tls "$4" \
		--tls-ca "$TMPD/proxy.crt" --tls-cert "$TMPD/$1.crt" --tls-key "$TMPD/$1.key" \
		--tls-keylog "$TMPD/keylog"
}
# secure_phone NAME NS SID VERSION: a secure phone from its TFTP round on:
# CTLSEP<MAC>.tlv, CTLFile.tlv (kept in its flash, $TMPD/NAME.flash),
# SEP<MAC>.cnf.xml.sgn from pp-tftpd, then TLS anchored on the CTL alone.
secure_phone() {
	phone_start "$1" "$2" --tftp $NORTH --secure --ctl "$TMPD/$1.flash" --sid "$3" \
		--tls "$4" --tls-cert "$TMPD/$1.crt" --tls-key "$TMPD/$1.key" \
		--tls-keylog "$TMPD/keylog"
}
# The CallManager's TFTP server (tftpd-hpa, as tftp.sh) and pp-tftpd.
ROOT=$TMPD/ccm-tftp
mkdir -p "$ROOT"
for sid in $A $B; do
	cp "$PP_TOP/userspace/tests/data/tftp/SEP001380AD9E5F.cnf.xml" "$ROOT/$sid.cnf.xml"
done
ccm_tftpd "$ROOT"
FLOG=$TMPD/tftpd.log
ip netns exec "$NS_PROXY" "$TFTPD" -e 2> "$FLOG" &
at_exit "kill $!"
check "pp-tftpd listens on the north address" wait_for 10 grep -q "Tftp: listening on $NORTH:69" "$FLOG"
# The CTL (docs/ctl.md): a SAST key, then CTLFile.tlv and the CTLSEP files.
check "set ctl sast sast1 generate; set ctl build" \
	eval "pp set ctl sast sast1 generate >/dev/null && pp set ctl build"
ccm_start ccm || skip_all "pp-ccm-sim does not start"
diag "the phones start (${SECONDS}s)"
DUMP_PID=
if command -v dumpcap > /dev/null && command -v tshark > /dev/null; then
	nsx "$NS_PHONE" timeout 120 dumpcap -q -i veth-ph -f "tcp port $PORT" -w "$TMPD/homer.pcap" \
		2> "$TMPD/dumpcap.err" &
	DUMP_PID=$!
	at_exit "kill $DUMP_PID"
	until_ok 20 grep -q Capturing "$TMPD/dumpcap.err"
fi
check "pp-phone-sim: --tls-ca with --secure is refused (the CTL is the only trust anchor)" \
	eval "out=\$($PHONE_SIM --tftp $NORTH --secure --tls 1.2 --tls-ca $TMPD/proxy.crt --sid $A 2>&1);
	      [ \$? = 2 ] && grep -q 'tls-ca: not with --secure' <<< \"\$out\""
secure_phone homer "$NS_PHONE" $A 1.0
PA=$PHONE_PID
# why_not NAME: a phone's output and what pp-tlsd and pp-tftpd said of its address.
why_not() {
	cat "$TMPD/$1.out" "$TMPD/$1.err"
	grep -E "$2|refused|failed" "$TLOG" | tail -n 8
	grep -E "$2" "$FLOG" | tail -n 8
	return 1
}
check "homer: TLS 1.0 with AES128-SHA, the server's certificate the CTL's CCM certificate" \
	eval "until_ok 30 grep -q '^tls sid=$A version=TLSv1 cipher=AES128-SHA verified=ctl$' $TMPD/homer.out ||
	      why_not homer $PHONE"
check "homer verified CTLSEP<MAC>.tlv, CTLFile.tlv and the .sgn from pp-tftpd, stored the CTL" \
	grep -q "^secure sid=$A ctl=stored records=[0-9]* signer=[0-9]* ctlsep=verified sgn=verified security-mode=3$" \
	"$TMPD/homer.out"
# served_order SID: the files pp-tftpd served the phone, in order.
served_order() {
	sed -n "s/.*Tftp: served \([^ ]*\) to .*/\1/p" "$FLOG" | grep -E "$1" | tr '\n' ' '
}
check "... asked in a phone's order: CTLSEP<MAC>.tlv, CTLFile.tlv, SEP<MAC>.cnf.xml.sgn" \
	eval "[ \"\$(served_order 'CTL(SEP)?[^ ]*\.tlv|$A')\" = 'CTL$A.tlv CTLFile.tlv $A.cnf.xml.sgn ' ] ||
	      { served_order .; false; }"
check "... its CallManager from the verified file: the proxy, the file's port 2000 + 443" \
	grep -q "^tftp sid=$A file=$A.cnf.xml .*callmanager=$NORTH:$PORT$" "$TMPD/homer.out"
check "... its flash holds the CTL it accepted" cmp "$TMPD/homer.flash" "$PP_STATE_DIR/ctl/CTLFile.tlv"
secure_phone marge "$NS_PHONE2" $B 1.2
check "marge: TFTP, CTL, .sgn, then TLS 1.2 with ECDHE-RSA AES-GCM anchored on the CTL" \
	eval "until_ok 30 grep -Eq '^tls sid=$B version=TLSv1.2 cipher=ECDHE-RSA-AES(128|256)-GCM-SHA(256|384) verified=ctl$' \
	      $TMPD/marge.out && grep -q '^secure sid=$B ctl=stored .*ctlsep=verified sgn=verified security-mode=3$' \
	      $TMPD/marge.out || why_not marge $PHONE2"
check "both register through pp-tlsd and the module (RegisterAck)" ctl ccm wait registered 2 20
grep 'refused the connection' "$TLOG" | tail -n 2 | sed 's/^/# /'
check "the CallManager sees plain SCCP from the south address (TCP source, station address)" \
	eval "ccm_sees_south $TMPD/ccm.out $A && ccm_sees_south $TMPD/ccm.out $B"
check "show counters: two connections claimed" eval "[ \"\$(counter sccp_claimed)\" -ge 2 ]"
check "call homer -> marge comes up" ctl ccm call $A $B
sleep $MEDIA_S
check "hangup" ctl ccm hangup
lh=$(media_stats "$TMPD/homer.out" "sid=$A")
lm=$(media_stats "$TMPD/marge.out" "sid=$B")
# relayed RECEIVER_LINE SENDER_LINE: the sender's RTP, from a relay port,
# nothing lost or foreign (an emulated guest may reorder a packet).
relayed() {
	rx_clean "$1" "$2" && from_relay "$1" $NORTH && [ "$(field "$1" rx_lost)" = 0 ] &&
		[ "$(field "$1" rx_packets)" -ge $((MEDIA_S * 25)) ] || { echo "$1"; return 1; }
}
check "homer got marge's RTP through the relay, none lost" relayed "$lh" "$lm"
check "marge got homer's RTP through the relay, none lost" relayed "$lm" "$lh"
[ -n "$DUMP_PID" ] && { kill $DUMP_PID; wait $DUMP_PID; } 2>/dev/null
if [ -n "$DUMP_PID" ]; then
	tshark -r "$TMPD/homer.pcap" -o tls.keylog_file:"$TMPD/keylog" -d tcp.port==$PORT,tls \
		-o tls.desegment_ssl_records:TRUE -Y skinny -V 2>/dev/null > "$TMPD/decoded.txt"
	check "tshark decrypts homer's capture with the key log: its skinny dissector finds the RegisterReq" \
		grep -q "RegisterReq" "$TMPD/decoded.txt"
fi

# ---- 4. Attacks on a live service ---------------------------------------------

diag "attacks on the live service (${SECONDS}s)"
mkcert other CP-7961G-SEP0016B5A1C0DE ca
r0=$(tls_stat reset)
phone_start other "$NS_PHONE2" --server $NORTH:$PORT --sid $B --tls 1.2 --retry 0 \
	--tls-cert "$TMPD/other.crt" --tls-key "$TMPD/other.key"
check "another device's certificate (SEP0016B5A1C0DE) registering as $B: reset by the kernel" \
	eval "wait_for 15 grep -q '^disconnected sid=$B' $TMPD/other.out &&
	      ! grep -q '^registered' $TMPD/other.out"
check "... and pp-tlsd closed the TLS side on the reset" \
	eval "wait_for 5 eval '[ \"\$(tls_stat reset)\" -gt $r0 ]'"

# 1,000 handshakes at once from marge's (activated) address; homer reconnects meanwhile.
nsx "$NS_PHONE2" python3 "$ATTACK" hold $NORTH $PORT 1000 8 > "$TMPD/hold.out" &
HOLD_PID=$!
sleep 2
kill $PA
tls_phone homer "$NS_PHONE" $A 1.2
check "during 1,000 concurrent handshakes from one address, homer registers over TLS" \
	wait_for 20 grep -q "^registered sid=$A" "$TMPD/homer.out"
wait $HOLD_PID
diag "hold: $(cat "$TMPD/hold.out")"
check "... all 1,000 closed by pp-tlsd: 992 beyond peraddress 8 refused, 8 timed out" \
	eval "grep -qx 'open=0 closed=1000' $TMPD/hold.out && [ \"\$(tls_stat peraddress)\" -ge 992 ] ||
	      { echo \"peraddress=\$(tls_stat peraddress) timeout=\$(tls_stat timeout)\"; false; }"

# The global cap on handshakes in progress (SIGHUP reloads tlsd.conf).
echo "set phoneproxy sccp security maxhandshakes 4" >> "$PP_CONF_DIR/tlsd.conf"
kill -HUP $TLSD_PID
nsx "$NS_PHONE2" python3 "$ATTACK" hold $NORTH $PORT 6 2 > "$TMPD/hold2.out"
check "maxhandshakes 4: of 6 stalled handshakes 4 are held, 2 refused at once" \
	eval "grep -qx 'open=4 closed=2' $TMPD/hold2.out || { cat $TMPD/hold2.out; false; }"
check "pp-tlsd still serves after the attacks (s_client handshake)" \
	negotiates TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
check "pp-tlsd is alive" kill -0 $TLSD_PID

# ---- 5. The proxy's certificate replaced, the CTL not rebuilt -------------------

diag "the tftp certificate regenerated without a new CTL (${SECONDS}s)"
# Each reload logs "settings of ... taken": ppctl's (it tells pp-tlsd
# over the control socket), then SIGHUP's.
n=$(grep -c 'Tls: settings of .* taken' "$TLOG")
check "set certificate regenerate tftp: pp-tlsd reloads it (told by ppctl, and on SIGHUP)" \
	eval "pp set certificate regenerate tftp >/dev/null && kill -HUP $TLSD_PID &&
	      wait_for 10 has_lines $TLOG 'Tls: settings of .* taken' $((n + 2))"
fp() { openssl x509 -noout -fingerprint -sha256 "$@"; }
check "pp-tlsd now serves a certificate the phones' CTL does not list (control)" \
	eval "[ \"\$(s_client $NS_PHONE2 -tls1_2 | fp)\" = \"\$(fp -in $PP_STATE_DIR/certs/tftp.pem)\" ] &&
	      [ \"\$(fp -in $PP_STATE_DIR/certs/tftp.pem)\" != \"\$(fp -in $TMPD/proxy.crt)\" ]"
# marge's connection is reset (inactivated, then activated again): she
# reconnects (--retry 2) with the CTL she has.
nreg=$(grep -c "^registered sid=$B" "$TMPD/marge.out")
nref=$(grep -c "^tls-refused sid=$B" "$TMPD/marge.out")
pp set user inactive name marge
pp set user active name marge address $PHONE2
check "marge refuses the handshake: the server's certificate is not the CTL's, said naming it" \
	eval "wait_for 20 has_lines $TMPD/marge.out '^tls-refused sid=$B' $((nref + 2)) ||
	      why_not marge $PHONE2"
grep "^tls-refused sid=$B" "$TMPD/marge.out" | tail -n 1 | sed 's/^/# /'
check "... the reason names the CTL and the certificate's subject" \
	grep -q "^tls-refused sid=$B reason=\"the server's certificate is not the CCM certificate of the CTL: /.*CN=tftp.*: self-signed certificate\"" \
	"$TMPD/marge.out"
check "... twice, and she does not register again" \
	eval "[ \$(grep -c '^registered sid=$B' $TMPD/marge.out) = $nreg ]"
check "... pp-tlsd saw the phone's alert (unknown CA)" \
	grep -q "$PHONE2:.*handshake failed.*alert unknown ca" "$TLOG"
diag "done (${SECONDS}s)"
fi	# SECURE_PART=call
pp set phoneproxy sccp security off
check "sccp security off: pp-tlsd stops listening" \
	wait_for 10 grep -q "stopped listening on $NORTH:$PORT" "$TLOG"
tap_done
