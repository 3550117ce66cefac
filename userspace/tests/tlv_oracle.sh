#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The phoneproxy authors.
#
# The independent oracle for lib/tlv.c (TAP): usecallmanagernz/certutils
# ($PP_CERTUTILS, default ../shared/peers/certutils beside the work tree) must parse a CTL and
# a .sgn we build and verify their signatures, and we must parse and verify
# a CTL its tlvfile builds. A phone reads the same bytes (the guide's
# "Enabling Secure Communications"). Skipped (exit 0, "# SKIP") when
# certutils or its Python modules are not there.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tool=$here/tlvtool
cu=${PP_CERTUTILS:-}
if [ -z "$cu" ]; then
	for cu in "$(git -C "$here" rev-parse --show-toplevel 2>/dev/null)/../shared/peers/certutils" /work/shared/peers/certutils; do
		[ -d "$cu" ] && break
	done
fi
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }

if [ ! -x "$cu/tlvfile" ] || ! python3 -c 'import cryptography' 2>/dev/null; then
	echo "1..0 # SKIP certutils ($cu) or python3-cryptography missing"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

mk() { openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.crt" \
	-days 30 -subj "/O=phoneproxy/CN=$2" 2>/dev/null && cat "$1.key" "$1.crt" > "$1.pem"; }
mk sast1 SAST1 && mk sast2 SAST2 && mk tftp tftp-test && mk capf capf-test && mk other SAST-other
ok $? "keys for SAST1, SAST2, tftp, capf made with openssl"

# 1. certutils reads our CTL
"$tool" ctl CTLFile.tlv CTLFile.tlv sast1.pem sast:sast1.pem sast:sast2.pem \
	ccm+tftp:tftp.pem@192.0.2.1 capf:capf.pem
ok $? "our CTL of SAST1, SAST2, CCM+TFTP and CAPF is built"
out=$("$cu/tlvfile" --parse CTLFile.tlv 2>&1); rc=$?
echo "$out" | sed 's/^/# /'
[ $rc = 0 ] && echo "$out" | grep -qx 'Valid signature'
ok $? "certutils' tlvfile parses our CTL and says 'Valid signature'"
[ "$(echo "$out" | grep -c '^Role: *SAST$')" = 2 ] &&
	echo "$out" | grep -q '^Role: *CCM+TFTP$' && echo "$out" | grep -q '^Role: *CAPF$' &&
	echo "$out" | grep -q '^Filename: *CTLFile.tlv$'
ok $? "tlvfile sees two SAST records, the CCM+TFTP and the CAPF records, our file name"

"$tool" ctl CTLSEP00AABBCCDDEE.tlv CTLSEP00AABBCCDDEE.tlv sast2.pem sast:sast1.pem \
	sast:sast2.pem ccm+tftp:tftp.pem@192.0.2.1 capf:capf.pem &&
	"$cu/tlvfile" --parse CTLSEP00AABBCCDDEE.tlv | grep -qx 'Valid signature'
ok $? "a per-phone CTL signed by SAST2 verifies in tlvfile"

# a tampered CTL: certutils must say so too (the oracle can fail)
cp CTLFile.tlv Bad.tlv
# a bit of the last certificate's own signature: still DER, the CTL's signature breaks
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[-10] ^= 1; open(sys.argv[1], "wb").write(b)' Bad.tlv
"$cu/tlvfile" --parse Bad.tlv 2>&1 | grep -qx 'Invalid signature'
ok $? "tlvfile says 'Invalid signature' for our CTL with a byte changed"
"$tool" parse-ctl Bad.tlv >/dev/null 2>&1
[ $? = 1 ]
ok $? "and pp_ctl_parse refuses it"

# 2. certutils reads our .sgn
printf '<device><securityMode>2</securityMode></device>\n' > SEP00AABBCCDDEE.cnf.xml
"$tool" sgn SEP00AABBCCDDEE.cnf.xml SEP00AABBCCDDEE.cnf.xml.sgn SEP00AABBCCDDEE.cnf.xml.sgn tftp.pem
ok $? "our .sgn of a configuration file is built"
out=$("$cu/sgnfile" --parse --tftp tftp.crt SEP00AABBCCDDEE.cnf.xml.sgn 2>&1); rc=$?
echo "$out" | sed 's/^/# /'
[ $rc = 0 ] && echo "$out" | grep -qx 'Valid signature'
ok $? "certutils' sgnfile verifies our .sgn with the tftp certificate"
"$cu/sgnfile" --parse --tftp capf.crt SEP00AABBCCDDEE.cnf.xml.sgn 2>&1 | grep -qx 'Invalid signature'
ok $? "sgnfile says 'Invalid signature' with the capf certificate"
cp SEP00AABBCCDDEE.cnf.xml.sgn strip.cnf.xml.sgn
"$cu/sgnfile" --remove strip.cnf.xml.sgn >/dev/null && cmp -s strip.cnf.xml SEP00AABBCCDDEE.cnf.xml
ok $? "sgnfile --remove gives back the original bytes (our header length is right)"

# 3. we read certutils' files
"$cu/tlvfile" --build --sast sast1.pem --sast sast2.pem --ccm-tftp tftp.crt --capf capf.crt \
	CU.tlv >/dev/null
ok $? "tlvfile --build makes a CTL"
out=$("$tool" parse-ctl CU.tlv 2>&1); rc=$?
echo "$out" | sed 's/^/# /'
[ $rc = 0 ] && echo "$out" | grep -q '^file CU.tlv signer 1 records 4$' &&
	echo "$out" | grep -q '^record 3 role ccm+tftp subject /O=phoneproxy/CN=tftp-test'
ok $? "pp_ctl_parse reads and verifies certutils' CTL"
"$cu/tlvfile" --build --digest sha512 --sast sast2.pem --sast sast1.pem --tftp tftp.crt \
	CU512.tlv >/dev/null && "$tool" parse-ctl CU512.tlv | grep -q '^file CU512.tlv signer 1 records 3$'
ok $? "pp_ctl_parse verifies a SHA-512 CTL of certutils"
"$cu/sgnfile" --build --tftp tftp.pem SEP00AABBCCDDEE.cnf.xml >/dev/null &&
	"$tool" verify-sgn SEP00AABBCCDDEE.cnf.xml.sgn tftp.crt | cmp -s - SEP00AABBCCDDEE.cnf.xml
ok $? "pp_sgn_verify verifies certutils' .sgn and yields the original bytes"
"$tool" verify-sgn SEP00AABBCCDDEE.cnf.xml.sgn capf.crt >/dev/null 2>&1
[ $? = 1 ]
ok $? "pp_sgn_verify refuses certutils' .sgn with another certificate"

echo "1..$n"
exit $failed
