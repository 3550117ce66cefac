#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The guide's "Enabling Secure Communications" with software SAST keys
# (docs/ctl.md): "set phoneproxy sccp security on" makes the proxy's tftp
# and capf certificates once (again: the same ones), "show certificate"
# lists them, SAST keys stand for the two eTokens, "set ctl build" writes
# the CTL and one CTLSEP<MAC>.tlv per published phone that certutils (the
# independent reader, $PP_CERTUTILS) verifies, a rebuild signed by the
# other SAST key is allowed and one signed by a key the phones' CTL does
# not hold is refused (the phones would refuse it), saying how to recover.
source "$(dirname "$0")/lib.sh"
require ip openssl python3 setpriv
CU=$PP_CERTUTILS

setup_topology || { tap_result 1 "lab topology"; tap_done; }
write_users_xml "$TMPD/users.xml"
pp publish "$TMPD/users.xml" >/dev/null

serial_of() { openssl x509 -noout -serial -in "$1" | cut -d= -f2; }
fp() { openssl x509 -noout -fingerprint "-$1" -in "$2" | cut -d= -f2; }
# has TEXT PATTERN...: every (grep -E) pattern is in TEXT.
has() {
	local text=$1 p
	shift
	for p in "$@"; do
		grep -Eq -- "$p" <<<"$text" || { diag "missing: $p"; return 1; }
	done
}
count() { grep -Ec -- "$2" <<<"$1"; }
mode_is() { [ "$(stat -c %a "$1")" = "$2" ]; }

check "set phoneproxy sccp security on" pp set phoneproxy sccp security on
certs=$PP_STATE_DIR/certs
check "it made the tftp and capf certificates (key + certificate, PEM)" \
	bash -c "openssl x509 -noout -in $certs/tftp.pem && openssl x509 -noout -in $certs/capf.pem &&
		 openssl pkey -noout -in $certs/tftp.pem && openssl pkey -noout -in $certs/capf.pem"
uuid=$(cat "$PP_STATE_DIR/uuid" 2>/dev/null)
check "the proxy's UUID is a random (version 4) UUID" \
	grep -Eqx '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}' "$PP_STATE_DIR/uuid"
check "tftp is CN=tftp<uuid>, RSA 2048" \
	bash -c "openssl x509 -noout -subject -in $certs/tftp.pem | grep -q 'CN *= *tftp$uuid' &&
		 openssl x509 -noout -text -in $certs/tftp.pem | grep -q '(2048 bit)'"
check "capf is CN=capf<uuid>, RSA 2048" \
	bash -c "openssl x509 -noout -subject -in $certs/capf.pem | grep -q 'CN *= *capf$uuid' &&
		 openssl x509 -noout -text -in $certs/capf.pem | grep -q '(2048 bit)'"
keys_private() { mode_is "$certs/tftp.pem" 600 && mode_is "$certs/capf.pem" 600 && mode_is "$certs" 700; }
check "the keys are 0600 in a 0700 directory" keys_private
t1=$(serial_of "$certs/tftp.pem") c1=$(serial_of "$certs/capf.pem")
check "security on again" pp set phoneproxy sccp security on
check "keeps the same certificates (same serials) and UUID" \
	test "$(serial_of "$certs/tftp.pem") $(serial_of "$certs/capf.pem") $(cat "$PP_STATE_DIR/uuid")" = "$t1 $c1 $uuid"
out=$(pp show certificate 2>&1)
check "show certificate lists both with serial and SHA-1/SHA-256 fingerprints" \
	has "$out" "subject: +CN=tftp$uuid" "subject: +CN=capf$uuid" "serial: +$t1" "serial: +$c1" \
	"SHA-1: +$(fp sha1 "$certs/tftp.pem")" "SHA-256: +$(fp sha256 "$certs/capf.pem")" \
	"SHA-1: +$(fp sha1 "$certs/capf.pem")" "SHA-256: +$(fp sha256 "$certs/tftp.pem")"
check "set certificate regenerate capf" pp set certificate regenerate capf
check "makes a new capf certificate, keeps tftp" \
	test "$(serial_of "$certs/tftp.pem")" = "$t1" -a "$(serial_of "$certs/capf.pem")" != "$c1"

# Only root writes keys.
nobody() {
	ip netns exec "$NS_PROXY" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all env PP_STATE_DIR="$PP_STATE_DIR" \
		PP_CONF_DIR="$PP_CONF_DIR" "$PPCTL" "$@"
}
chmod 755 "$TMPD" "$PP_STATE_DIR"
out=$(nobody set ctl sast sast1 generate 2>&1)
check "an unprivileged user cannot make a SAST key, told why" has "$out" "permission denied"
check_fail "no key was made" test -e "$PP_STATE_DIR/ctl/sast1.pem"
check_fail "nor regenerate a certificate" nobody set certificate regenerate tftp

# The eTokens: two SAST keys; the CTL.
check_fail "no CTL without a SAST key" pp set ctl build
check "set ctl sast sast1 generate" pp set ctl sast sast1 generate
check_fail "a second generate does not replace sast1" pp set ctl sast sast1 generate
# sast2 imported: an administrator's own key, put in incoming/.
mkdir -p "$PP_STATE_DIR/incoming"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMPD/s2.key" -out "$TMPD/s2.crt" \
	-days 30 -subj "/O=test/CN=SAST2" 2>/dev/null
cat "$TMPD/s2.key" "$TMPD/s2.crt" > "$PP_STATE_DIR/incoming/sast2.pem"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMPD/x.key" -out "$TMPD/x.crt" \
	-days 30 -subj "/CN=mismatch" 2>/dev/null
cat "$TMPD/x.key" "$TMPD/s2.crt" > "$PP_STATE_DIR/incoming/bad.pem"
out=$(pp set ctl sast sast2 import bad.pem 2>&1)
check_fail "importing a key that is not its certificate's is refused" test -e "$PP_STATE_DIR/ctl/sast2.pem"
check "saying so" has "$out" "not the certificate"
check "set ctl sast sast2 import sast2.pem" pp set ctl sast sast2 import sast2.pem
sast_private() { mode_is "$PP_STATE_DIR/ctl/sast1.pem" 600 && mode_is "$PP_STATE_DIR/ctl/sast2.pem" 600 && mode_is "$PP_STATE_DIR/ctl" 700; }
check "SAST keys are 0600 in a 0700 directory" sast_private

check "set ctl build" pp set ctl build
ctl=$PP_STATE_DIR/ctl
ctl_files() { [ -s "$ctl/CTLFile.tlv" ] && [ -s "$ctl/CTLSEP001122334455.tlv" ] &&
	[ -s "$ctl/CTLSEP0003E348E321.tlv" ] && [ -s "$ctl/CTLSEP001647051B3A.tlv" ] &&
	[ "$(ls "$ctl" | grep -c '^CTLSEP')" = 3 ]; }
check "CTLFile.tlv and one CTLSEP<MAC>.tlv per published user" ctl_files
out=$(pp show ctl 2>&1)
echo "$out" | head -3 | sed "s/^/# /"
check "show ctl: SAST, SAST, CCM+TFTP at the north address, CAPF; verified" \
	has "$out" "signature verified" "^record 1: SAST" "^record 2: SAST" "^record 3: CCM\+TFTP" \
	"address: +$NORTH\$" "^record 4: CAPF"
if [ -x "$CU/tlvfile" ] && python3 -c 'import cryptography' 2>/dev/null; then
	out=$("$CU/tlvfile" --parse "$ctl/CTLFile.tlv" 2>&1)
	check "certutils' tlvfile verifies CTLFile.tlv" has "$out" "^Valid signature$"
	tftp_serial=$(serial_of "$certs/tftp.pem" | tr A-F a-f | sed 's/^0*//')
	check "it holds two SAST, CCM+TFTP and CAPF records, the tftp certificate's serial" \
		test "$(count "$out" '^Role: +SAST$') $(count "$out" '^Role: +CCM\+TFTP$') $(count "$out" '^Role: +CAPF$') $(count "$out" "^Serial Numer: +0*$tftp_serial$")" = "2 1 1 1"
	out=$("$CU/tlvfile" --parse "$ctl/CTLSEP001122334455.tlv" 2>&1)
	check "tlvfile verifies CTLSEP001122334455.tlv, which names itself" \
		has "$out" "^Valid signature$" "^Filename: +CTLSEP001122334455.tlv$"
else
	diag "certutils not found ($CU): its checks are not run"
fi

# Rebuilding: signed by the other SAST key the phones' CTL holds is fine.
check "set ctl build signer sast2 (the phones' CTL holds sast2)" pp set ctl build signer sast2
check "the CTL is now signed by the second record" has "$(pp show ctl)" "by record 2"
# A key the phones' CTL does not hold: lose both tokens.
cp "$ctl/CTLFile.tlv" "$TMPD/before.tlv"
check "delete ctl sast sast1" pp delete ctl sast sast1
check "delete ctl sast sast2" pp delete ctl sast sast2
check "set ctl sast sast1 generate (a new token)" pp set ctl sast sast1 generate
out=$(pp set ctl build 2>&1)
check "a CTL signed by a key the phones' CTL does not hold is refused" has "$out" "refused"
check "the CTL in place stays" cmp "$ctl/CTLFile.tlv" "$TMPD/before.tlv"
check "the refusal says why and how to recover: delete the CTL on the phones" \
	has "$out" "does not hold" "delete the CTL on each phone" "force"
check "after erasing the phones' CTL: set ctl build force" pp set ctl build force
check "the new CTL holds only the new SAST key" test "$(count "$(pp show ctl)" '^record .: SAST')" = 1

tap_done
