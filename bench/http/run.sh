#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# bench/http: pp-httpd's throughput in the QEMU lab (not a test: numbers,
# no assertions). Build the load generator on the host, then run in the
# guest:
#	make -C bench/http && selftests/vm/run-vm.sh bench/http/run.sh [SECONDS]
# Measures, with 4 keep-alive connections each:
#   - activations/s through the page over HTTPS (legacy and PBKDF2 users),
#   - activations/s through the web service (token: phoneproxy_activate;
#     password: phoneproxy_login),
#   - HTTP proxy requests/s (and the origin server alone, for reference).
# The guest is emulated (TCG): compare numbers with each other, not with
# real hardware. PBKDF2 runs at $PP_PW_ITERATIONS (default here 10000;
# the product's default, 600000, costs 60 times as much per login).
PP_TOP=$(cd "$(dirname "$0")/../.." && pwd)
source "$PP_TOP/selftests/phoneproxy/lib.sh"
SECS=${1:-15}
LOAD=$PP_OUT/bench/http/ppload
export PP_PW_ITERATIONS=${PP_PW_ITERATIONS:-10000}
[ -x "$LOAD" ] || { echo "build it first: make -C bench/http" >&2; exit 1; }
require curl openssl python3

setup_topology >/dev/null || exit 1
HOMER_PW='D0h!Homer' SEED=BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U
HASH=$(printf '%s%s' "$SEED" "$HOMER_PW" | openssl dgst -sha1 -binary | base64)
MARGE_PW='Marge#2026'
cat > "$TMPD/users.xml" <<XML
<users name="bench">
  <ccm name="ccm" default="true"><address>$CCM</address></ccm>
  <user name="homer"><sid>SEP001122334455</sid><seed>$SEED</seed><hashPw>$HASH</hashPw></user>
  <user name="marge"><sid>SEP0003E348E321</sid>$(printf '%s\n' "$MARGE_PW" | "$HTTPD" --hash-password | tr -d '\n')</user>
</users>
XML
ADMIN_PW='Adm1n!Pass'
pp publish "$TMPD/users.xml" >/dev/null
pp set phoneproxy http publish webpage
pp set phoneproxy http publish webservice
printf '%s\n%s\n' "$ADMIN_PW" "$ADMIN_PW" | pp set password >/dev/null
pp set certificate selfsigned tag https-north >/dev/null
pp set phoneproxy httpproxy enable
pp set phoneproxy httpproxy allow "http://$CCM:8080/dir/*"
pp set phoneproxy activation idletimeout 0
nsx "$NS_PROXY" "$HTTPD" > "$TMPD/httpd.log" 2>&1 &
at_exit "kill $!"
nsx "$NS_CCM" python3 "$PP_TOP/selftests/phoneproxy/http_origin.py" "$CCM" 8080 \
	--log /dev/null >/dev/null 2>&1 &
at_exit "kill $!"
wait_for 30 nsx "$NS_PHONE" curl -skf "https://$NORTH/"
wait_for 30 nsx "$NS_CCM" curl -sf "http://$SOUTH/activation_service/service.wsdl"
wait_for 30 nsx "$NS_CCM" curl -sf "http://$CCM:8080/dir/hello.xml"

row() { printf '%-52s %s\n' "$1" "$2"; }
echo "# pp-httpd benchmark, $SECS s per line, 4 connections, $(nproc) vCPU (TCG), PBKDF2 at $PP_PW_ITERATIONS iterations"
row "page (HTTPS), legacy SHA-1 user, activations" \
	"$(nsx "$NS_PHONE" "$LOAD" -c 4 -t "$SECS" -e Activated \
		-d "username=homer&password=D0h%21Homer&address=$PHONE" "https://$NORTH/")"
row "page (HTTPS), PBKDF2 user, activations" \
	"$(nsx "$NS_PHONE2" "$LOAD" -c 4 -t "$SECS" -e Activated \
		-d "username=marge&password=Marge%232026&address=$PHONE2" "https://$NORTH/")"
ENV='<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
END='</soap:Body></soap:Envelope>'
TOKEN=$(nsx "$NS_CCM" curl -s -H 'Content-Type: text/xml' --data-binary \
	"$ENV<login><Adminname>admin</Adminname><Password>$ADMIN_PW</Password></login>$END" \
	"http://$SOUTH/activation_service/" | sed -n 's|.*<Token[^>]*>\([0-9a-f]*\)</Token>.*|\1|p')
row "SOAP phoneproxy_activate (token), activations" \
	"$(nsx "$NS_CCM" "$LOAD" -c 4 -t "$SECS" -T text/xml -e 'Activate Successful' \
		-d "$ENV<phoneproxy_activate><Token>$TOKEN</Token><Username>homer</Username><Ipaddr>$PHONE</Ipaddr></phoneproxy_activate>$END" \
		"http://$SOUTH/activation_service/")"
row "SOAP phoneproxy_login (PBKDF2 user), activations" \
	"$(nsx "$NS_CCM" "$LOAD" -c 4 -t "$SECS" -T text/xml -e 'Login Successful' \
		-d "$ENV<phoneproxy_login><Username>marge</Username><Password>$MARGE_PW</Password><Ipaddr>$PHONE2</Ipaddr></phoneproxy_login>$END" \
		"http://$SOUTH/activation_service/")"
pp set user active name homer address "$PHONE"
row "HTTP proxy, GET of an allowed URL" \
	"$(nsx "$NS_PHONE" "$LOAD" -c 4 -t "$SECS" -e hello -x "$NORTH:8088" \
		"http://$CCM:8080/dir/hello.xml")"
row "  the origin server alone (reference)" \
	"$(nsx "$NS_CCM" "$LOAD" -c 4 -t "$SECS" -e hello "http://$CCM:8080/dir/hello.xml")"
row "HTTP proxy, refused URL (403)" \
	"$(nsx "$NS_PHONE" "$LOAD" -c 4 -t "$SECS" -s 403 -x "$NORTH:8088" "http://$CCM:8080/secret")"
