#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Secure SCCP through pp-tftpd (guide: "Encrypted Communications",
# "Enabling Secure Communications": the proxy publishes its own CTL and
# serves the phones' configuration signed by the key the CTL lists). The
# CallManager's TFTP server is Debian's tftpd-hpa; the CTL is built and
# the files are checked by certutils (tlvfile, sgnfile: an independent
# implementation), with keys made by the openssl CLI; tftp-hpa and
# pp-phone-sim --secure are the phones.
source "$(dirname "$0")/lib.sh"
require ip python3 openssl in.tftpd tftp
CERTUTILS=$PP_CERTUTILS
TLVFILE="python3 $CERTUTILS/tlvfile"
SGNFILE="python3 $CERTUTILS/sgnfile"
DATA=$PP_TOP/userspace/tests/data/tftp
ORIG=$DATA/SEP001380AD9E5F.cnf.xml
[ -x "$TFTPD" ] || skip_all "pp-tftpd not built ($TFTPD)"
[ -x "$PHONE_SIM" ] || skip_all "pp-phone-sim not built ($PHONE_SIM)"
[ -r "$CERTUTILS/tlvfile" ] || skip_all "certutils not found ($CERTUTILS)"
python3 -c 'import cryptography' 2>/dev/null || skip_all "python3-cryptography not installed"

LOG=$TMPD/pp-tftpd.log
OUT=$TMPD/out
K=$TMPD/keys
CTLDIR=$PP_STATE_DIR/ctl
HOMER=SEP001122334455
mkdir -p "$OUT" "$K" "$CTLDIR" "$PP_STATE_DIR/certs"
chmod 700 "$CTLDIR"

setup_topology || { tap_result 1 "lab topology"; tap_done; }
# The phones here never connect SCCP: their activation must outlive the
# test however slow the guest (idletimeout, default 300 s).
pp set phoneproxy activation idletimeout 0
write_users_xml "$TMPD/users.xml"
check "publish the lab's users" pp publish "$TMPD/users.xml"

# The CallManager's TFTP server, as in tftp.sh.
ROOT=$TMPD/ccm-tftp
mkdir -p "$ROOT"
cp "$ORIG" "$ROOT/$HOMER.cnf.xml"
echo "CallManager's own signed file" > "$ROOT/$HOMER.cnf.xml.sgn"
echo "CallManager's own trust list" > "$ROOT/CTLFile.tlv"
ccm_tftpd "$ROOT"
check "tftpd-hpa serves the CallManager's files (control)" \
	wait_for 5 nsx "$NS_CCM" tftp $CCM -m binary -c get $HOMER.cnf.xml "$OUT/direct.xml"

# Keys: two SAST tokens, a third one no CTL lists, the proxy's TFTP key
# (CCM+TFTP in the CTL), and a second TFTP key for the reload; RSA 1024
# (the 79xx phones' size, and quick to make in a slow guest).
mk() {	# mk NAME: $K/NAME.pem = key + certificate, $K/NAME.crt = certificate
	openssl req -x509 -newkey rsa:1024 -nodes -sha256 -days 30 -subj "/CN=$1" \
		-keyout "$K/$1.key" -out "$K/$1.crt" 2>/dev/null &&
	cat "$K/$1.key" "$K/$1.crt" > "$K/$1.pem"
}
check "openssl makes the SAST, TFTP and rogue keys" \
	sh -c "$(declare -f mk); K=$K; mk sast1 && mk sast2 && mk sast3 && mk tftp1 && mk tftp2"
install -m 600 "$K/tftp1.pem" "$PP_STATE_DIR/certs/tftp.pem"
ctl() {	# ctl OUT FILENAME SIGNER [OTHER SAST]: a CTL with the proxy as CCM+TFTP
	local out=$1 name=$2 signer=$3 other=$4
	$TLVFILE -b "$out" -F "$name" -s "$K/$signer.pem" ${other:+-s "$K/$other.crt"} \
		-C "$K/tftp1.crt" > /dev/null
}
check "tlvfile builds CTLFile.tlv (SAST sast1 + sast2, CCM+TFTP the proxy)" \
	ctl "$CTLDIR/CTLFile.tlv" CTLFile.tlv sast1 sast2
check "and CTL$HOMER.tlv" ctl "$CTLDIR/CTL$HOMER.tlv" CTL$HOMER.tlv sast1 sast2
install -m 600 "$K/sast1.pem" "$CTLDIR/sast1.pem"	# a SAST key beside the CTL (ppctl's place): never served

cat > "$TMPD/tftpd.conf" <<EOF
upstream-timeout 2s
retransmit 500ms
cache-ttl 60s
EOF
ip netns exec "$NS_PROXY" "$TFTPD" -e -c "$TMPD/tftpd.conf" 2> "$LOG" &
TFTPD_PID=$!
at_exit "kill $TFTPD_PID"
check "pp-tftpd listens on the north address" \
	wait_for 10 grep -q "Tftp: listening on $NORTH:69" "$LOG"
pp set user active name homer address $PHONE
get() {	# get FILE OUT: tftp-hpa in the phone's namespace, through the proxy
	nsx "$NS_PHONE" tftp $NORTH -m binary -c get "$1" "$2" 2>&1
}

diag "$SECONDS s"
# ---- secure SCCP off: as before ----
get $HOMER.cnf.xml "$OUT/off.xml" > /dev/null
check "security off: SEP<MAC>.cnf.xml is today's rewrite, byte for byte" \
	cmp "$OUT/off.xml" "$DATA/SEP001380AD9E5F.rewritten.cnf.xml"
check_fail "security off: no deviceSecurityMode is added" grep -q deviceSecurityMode "$OUT/off.xml"
out=$(get $HOMER.cnf.xml.sgn "$OUT/off.sgn")
printf '%s' "$out" | grep -q 'Error code 1'
tap_result $? "security off: SEP<MAC>.cnf.xml.sgn is file not found"
out=$(get CTLFile.tlv "$OUT/off.tlv")
printf '%s' "$out" | grep -q 'Error code 1'
tap_result $? "security off: CTLFile.tlv is file not found (the proxy's CTL is not published)"

diag "$SECONDS s"
# ---- secure SCCP on ----
pp set phoneproxy sccp security on
get CTLFile.tlv "$OUT/CTLFile.tlv" > /dev/null
check "CTLFile.tlv is the proxy's, byte for byte" cmp "$OUT/CTLFile.tlv" "$CTLDIR/CTLFile.tlv"
check "tlvfile verifies CTLFile.tlv as served" \
	sh -c "$TLVFILE -p $OUT/CTLFile.tlv | grep -qx 'Valid signature'"
get CTL$HOMER.tlv "$OUT/CTLSEP.tlv" > /dev/null
check "CTLSEP<MAC>.tlv is served to its phone, and tlvfile verifies it" \
	sh -c "cmp $OUT/CTLSEP.tlv $CTLDIR/CTL$HOMER.tlv && $TLVFILE -p $OUT/CTLSEP.tlv | grep -qx 'Valid signature'"
out=$(get CTLSEP0003E348E321.tlv "$OUT/other.tlv")
printf '%s' "$out" | grep -q 'Error code 2'
tap_result $? "another device's CTLSEP file: access violation"
for bad in sast1.pem ../ctl/CTLFile.tlv ctl/CTLFile.tlv CTLFile.tlv.bak ctlfile.tlv ITLFile.tlv; do
	out=$(get "$bad" "$OUT/bad")
	printf '%s' "$out" | grep -qE 'Error code [12]' && ! grep -q PRIVATE "$OUT/bad" 2>/dev/null
	tap_result $? "\"$bad\" is not served from the proxy's CTL directory ($(printf '%s' "$out" | tr -d '\n'))"
done

check "SEP<MAC>.cnf.xml.sgn is served" get $HOMER.cnf.xml.sgn "$OUT/homer.sgn"
check "sgnfile verifies it with the proxy's TFTP certificate" \
	sh -c "$SGNFILE -p $OUT/homer.sgn -t $K/tftp1.crt | grep -qx 'Valid signature'"
check "its header names the file SEP<MAC>.cnf.xml.sgn" \
	sh -c "$SGNFILE -p $OUT/homer.sgn -t $K/tftp1.crt | grep -q 'Filename: *$HOMER.cnf.xml.sgn'"
check_fail "sgnfile does not verify it with another certificate (control)" \
	sh -c "$SGNFILE -p $OUT/homer.sgn -t $K/sast3.crt | grep -qx 'Valid signature'"
mkdir -p "$OUT/unsigned"
cp "$OUT/homer.sgn" "$OUT/unsigned/$HOMER.cnf.xml.sgn"
check "sgnfile takes the body out" $SGNFILE -r "$OUT/unsigned/$HOMER.cnf.xml.sgn"
check "SEP<MAC>.cnf.xml (security on) is served too" get $HOMER.cnf.xml "$OUT/on.xml"
check "the signed body is the plain file's bytes exactly" cmp "$OUT/unsigned/$HOMER.cnf.xml" "$OUT/on.xml"
check "which is the plain rewrite (ethernetPhonePort 2000: the phone adds 443) plus the security mode line" \
	sh -c "grep -vx '<deviceSecurityMode>3</deviceSecurityMode>' $OUT/on.xml | cmp - $DATA/SEP001380AD9E5F.rewritten.cnf.xml"
check "deviceSecurityMode is 3 (encrypted), once" \
	sh -c "[ \$(grep -cx '<deviceSecurityMode>3</deviceSecurityMode>' $OUT/on.xml) = 1 ]"
check "the log says signed" grep -q "Tftp: signed $HOMER.cnf.xml.sgn for $PHONE user=homer" "$LOG"
sleep 1.1	# a later second: a new signature would carry a new timestamp
get $HOMER.cnf.xml.sgn "$OUT/homer2.sgn" > /dev/null
check "fetched again: the same bytes (signed once, from the cache)" cmp "$OUT/homer.sgn" "$OUT/homer2.sgn"
out=$(get SEP0003E348E321.cnf.xml.sgn "$OUT/other.sgn")
printf '%s' "$out" | grep -q 'Error code 2'
tap_result $? "another device's .sgn: access violation"
out=$(get $HOMER.cnf.xml.enc.sgn "$OUT/enc.sgn")
printf '%s' "$out" | grep -q 'Error code 1'
tap_result $? "the encrypted .enc.sgn: file not found (not built)"

diag "$SECONDS s"
# ---- the phone simulator as a secure phone ----
FLASH=$TMPD/flash
mkdir -p "$FLASH"
sim() {	# sim OUT [args]: one secure phone, homer, until it has its file
	local out=$1
	shift
	nsx "$NS_PHONE" timeout 20 "$PHONE_SIM" --tftp $NORTH --secure --sid $HOMER \
		--retry 0 --duration 2 "$@" > "$out" 2>&1
}
sim "$OUT/sim1.out" --ctl "$FLASH/homer.tlv"
check "pp-phone-sim: CTLFile.tlv, CTLSEP<MAC>.tlv and the .sgn verified, the CTL stored" \
	grep -q "^secure sid=$HOMER ctl=stored records=3 signer=0 ctlsep=verified sgn=verified security-mode=3" "$OUT/sim1.out"
check "its CallManager is the proxy, on the secure port (the file's 2000 + 443), from the verified file" \
	grep -q "^tftp sid=$HOMER file=$HOMER.cnf.xml .*callmanager=$NORTH:2443" "$OUT/sim1.out"
check "the phone's flash holds the CTL it accepted" cmp "$FLASH/homer.tlv" "$CTLDIR/CTLFile.tlv"

# A new CTL signed by sast2, which the stored CTL lists: accepted.
ctl "$CTLDIR/CTLFile.tlv" CTLFile.tlv sast2 sast1
sim "$OUT/sim2.out" --ctl "$FLASH/homer.tlv"
check "a CTL signed by the other SAST key the stored CTL holds: accepted (replaced)" \
	grep -q "^secure sid=$HOMER ctl=replaced .*sgn=verified" "$OUT/sim2.out"

# A CTL signed by sast3, a key the stored CTL does not hold: refused.
ctl "$CTLDIR/CTLFile.tlv" CTLFile.tlv sast3
cp "$FLASH/homer.tlv" "$OUT/flash.before"
sim "$OUT/sim3.out" --ctl "$FLASH/homer.tlv"
rc=$?
check "a CTL signed by a SAST key the stored CTL does not hold: refused, saying why" \
	grep -q "^secure-refused sid=$HOMER reason=\"CTLFile.tlv refused: not signed by a SAST key of the stored CTL: .*CN *= *sast3" "$OUT/sim3.out"
check "the phone stops: no configuration taken, exit 1 (rc $rc)" \
	sh -c "[ $rc = 1 ] && ! grep -q '^tftp sid=' $OUT/sim3.out"
check "the stored CTL is unchanged" cmp "$FLASH/homer.tlv" "$OUT/flash.before"
ctl "$CTLDIR/CTLFile.tlv" CTLFile.tlv sast1 sast2

# The CTL as ppctl builds it (docs/ctl.md), signed by sast1, which the
# CTLs so far list: served as it is, verified by certutils and the phone.
check "ppctl makes the second SAST key" pp set ctl sast sast2 generate
check "ppctl builds the CTL, signed by sast1" pp set ctl build signer sast1
get CTLFile.tlv "$OUT/ppctl.tlv" > /dev/null
check "the CTL ppctl built is served, byte for byte, and tlvfile verifies it" \
	sh -c "cmp $OUT/ppctl.tlv $CTLDIR/CTLFile.tlv && $TLVFILE -p $OUT/ppctl.tlv | grep -qx 'Valid signature'"
get CTL$HOMER.tlv "$OUT/ppctl-sep.tlv" > /dev/null
check "and its CTL$HOMER.tlv for homer" \
	sh -c "cmp $OUT/ppctl-sep.tlv $CTLDIR/CTL$HOMER.tlv && $TLVFILE -p $OUT/ppctl-sep.tlv | grep -qx 'Valid signature'"
sim "$OUT/sim-ppctl.out" --ctl "$FLASH/homer.tlv"
check "pp-phone-sim takes ppctl's CTL over the stored one and verifies the .sgn with it" \
	grep -q "^secure sid=$HOMER ctl=replaced .*ctlsep=verified sgn=verified security-mode=3" "$OUT/sim-ppctl.out"

# The TFTP key is replaced: pp-tftpd signs with the new one.
install -m 600 "$K/tftp2.pem" "$PP_STATE_DIR/certs/tftp.pem"
get $HOMER.cnf.xml.sgn "$OUT/new.sgn" > /dev/null
check "tftp.pem replaced: the .sgn is signed by the new key" \
	sh -c "$SGNFILE -p $OUT/new.sgn -t $K/tftp2.crt | grep -qx 'Valid signature'"
check "and the log says the key was loaded again" \
	sh -c "[ \$(grep -c 'Tftp: loaded the TFTP signing key' $LOG) = 2 ]"
sim "$OUT/sim4.out" --ctl "$FLASH/homer.tlv"
check "which the phone refuses: the CTL lists the old one" \
	grep -q "^secure-refused sid=$HOMER reason=\"the signed configuration file refused" "$OUT/sim4.out"
install -m 600 "$K/tftp1.pem" "$PP_STATE_DIR/certs/tftp.pem"

diag "$SECONDS s"
# ---- a signed file changed on the way: a TFTP server in the middle ----
MITM=198.51.100.40
MROOT=$TMPD/mitm
mkdir -p "$MROOT"
ip -n "$NS_CCM" addr add $MITM/24 dev veth-ccm
cp "$CTLDIR/CTLFile.tlv" "$MROOT/CTLFile.tlv"
get $HOMER.cnf.xml.sgn "$OUT/good.sgn" > /dev/null
python3 - "$OUT/good.sgn" "$MROOT/$HOMER.cnf.xml.sgn" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
i = b.rindex(b'<processNodeName>') + len('<processNodeName>')
b[i] = ord('9') if b[i] != ord('9') else ord('8')	# another CallManager
open(sys.argv[2], 'wb').write(b)
EOF
chmod 755 "$MROOT"
chmod 644 "$MROOT"/*
ip netns exec "$NS_CCM" in.tftpd --foreground --user "$TFTP_USERNAME" \
	--address "$MITM:69" --secure "$MROOT" &
at_exit "kill $!"
check "the middle server answers (control)" \
	wait_for 5 nsx "$NS_CCM" tftp $MITM -m binary -c get CTLFile.tlv "$OUT/mitm.tlv"
check "sgnfile refuses the changed file (control)" \
	sh -c "$SGNFILE -p $MROOT/$HOMER.cnf.xml.sgn -t $K/tftp1.crt | grep -qx 'Invalid signature'"
nsx "$NS_CCM" timeout 20 "$PHONE_SIM" --tftp $MITM --secure --sid $HOMER --retry 0 \
	--duration 2 > "$OUT/sim5.out" 2>&1
rc=$?
check "pp-phone-sim refuses a .sgn whose body was changed, and stops (rc $rc)" \
	sh -c "[ $rc = 1 ] && grep -q '^secure-refused sid=$HOMER reason=\"the signed configuration file refused' $OUT/sim5.out &&
	       ! grep -q '^tftp sid=' $OUT/sim5.out"

diag "$SECONDS s"
pp set phoneproxy sccp security off
out=$(get $HOMER.cnf.xml.sgn "$OUT/off2.sgn")
printf '%s' "$out" | grep -q 'Error code 1'
tap_result $? "security off again: no .sgn"
get $HOMER.cnf.xml "$OUT/off2.xml" > /dev/null
check "and the plain file is today's rewrite again" \
	cmp "$OUT/off2.xml" "$DATA/SEP001380AD9E5F.rewritten.cnf.xml"
check "pp-tftpd ran through all of it" kill -0 $TFTPD_PID
[ $_tap_failed = 0 ] || tail -n 30 "$LOG" | sed 's/^/# /'
tap_done
