#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# pp-httpd with real clients, in the lab:
#  - the activation page: curl over plain HTTP, then HTTPS with a
#    self-signed certificate made by ppctl (curl verifies it: --cacert);
#    port 80 then redirects; wrong passwords fail with "Login failed";
#    the legacy (SHA-1) and the PBKDF2 users.xml hashes both work;
#    3 failures lock (user, address) out, not the user elsewhere, and the
#    lock ends;
#  - headless Chromium fills in and submits the page (screenshot kept);
#  - openssl s_client: TLS 1.0/1.1 and weak ciphers are refused (the same
#    client succeeds against a server that allows them);
#  - Perl SOAP::Lite drives the five methods of Appendix A from the WSDL,
#    an expired token is NOT-AUTHORIZED; XXE and billion laughs refused;
#  - the HTTP proxy fetches an allowed URL from a server behind the
#    CallManager side, refuses others (403 + log line), POSTs, forwards to
#    an external proxy in mode external;
#  - the settings are part of the running configuration.
source "$(dirname "$0")/lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
require curl openssl perl python3 chromium
[ -x "$HTTPD" ] || skip_all "pp-httpd not built ($HTTPD)"
perl -MSOAP::Lite -e1 2>/dev/null || skip_all "SOAP::Lite (libsoap-lite-perl) not installed"
# An emulated guest is ~50 times slower: new hashes cost 10000 iterations
# here (the unit tests cover the default of 600000).
export PP_PW_ITERATIONS=10000
OUT=${PP_VM_OUT:-$TMPD}
LOG=$TMPD/httpd.log
ORIGIN_LOG=$TMPD/origin.log
EXT_LOG=$TMPD/external.log

T0=$(date +%s)
phase() { diag "$(($(date +%s) - T0)) s: $*"; }

setup_topology || skip_all "cannot set up the lab"
start_monitor

# ---- users with known passwords ----
HOMER_PW='D0h!Homer'
HOMER_SEED=BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U
# The legacy format as this project reads it, computed by openssl(1).
HOMER_HASH=$(printf '%s%s' "$HOMER_SEED" "$HOMER_PW" | openssl dgst -sha1 -binary | base64)
MARGE_PW='Marge#2026'
LISA_PW='Sax0phone!'
BART_PW='Eat+My5hort'
pbkdf2() { printf '%s\n' "$1" | "$HTTPD" --hash-password; }
user_xml() {	# name sid enabled hash-xml
	printf '  <user id="%s" name="%s">\n    <ccmName>ccm</ccmName>\n    <sid>%s</sid>\n    <enabled>%s</enabled>\n%s\n  </user>\n' \
		"$(cat /proc/sys/kernel/random/uuid)" "$1" "$2" "$3" "$4"
}
{
	echo '<users name="pp-test">'
	echo "  <ccm name=\"ccm\" default=\"true\"><address>$CCM</address></ccm>"
	user_xml homer SEP001122334455 true "    <seed>$HOMER_SEED</seed><hashPw>$HOMER_HASH</hashPw>"
	user_xml marge SEP0003E348E321 true "$(pbkdf2 "$MARGE_PW")"
	user_xml lisa SEP00AABBCCDDEE true "$(pbkdf2 "$LISA_PW")"
	user_xml bart SEP001647051B3A false "$(pbkdf2 "$BART_PW")"
	echo '</users>'
} > "$TMPD/users.xml"
check "users.xml with legacy and PBKDF2 hashes is published" pp publish "$TMPD/users.xml"
check "set phoneproxy http publish webpage" pp set phoneproxy http publish webpage
check "set phoneproxy http publish webservice" pp set phoneproxy http publish webservice
ADMIN_PW='Adm1n!Pass'
check_fail "a weak admin password is refused" \
	sh -c "printf 'password\npassword\n' | ip netns exec $NS_PROXY $PPCTL set password"
check "a strong admin password is set (twice, as the guide asks)" \
	sh -c "printf '%s\n%s\n' '$ADMIN_PW' '$ADMIN_PW' | ip netns exec $NS_PROXY $PPCTL set password"

ip netns exec "$NS_PROXY" "$HTTPD" --lockout-time 30 --token-idle 4 > "$LOG" 2>&1 &
HTTPD_PID=$!
at_exit "kill $HTTPD_PID"

phase "the page over plain HTTP"
# ---- the page over plain HTTP (no certificate yet) ----
# form NS URL USER PASSWORD ADDRESS [ACTION] [curl args]: body on stdout
form() {
	local ns=$1 url=$2 user=$3 pw=$4 addr=$5 action=${6:-activate}
	shift 6 2>/dev/null || shift $#
	nsx "$ns" curl -sS --max-time 30 "$@" --data-urlencode "username=$user" \
		--data-urlencode "password=$pw" --data-urlencode "address=$addr" \
		-d "action=$action" "$url"
}
check "the page answers on http://$NORTH/ while no certificate exists" \
	until_ok 30 nsx "$NS_PHONE" curl -sf --max-time 5 "http://$NORTH/"
nsx "$NS_PHONE" curl -s --max-time 10 "http://$NORTH/" > "$TMPD/page.html"
check "the address field holds the client's address ($PHONE)" \
	grep -q "name=\"address\" .*value=\"$PHONE\"" "$TMPD/page.html"
check "the page loads nothing from elsewhere (only /style.css)" \
	sh -c "! grep -Eq '(src|href)=\"(https?:)?//' $TMPD/page.html &&
	       grep -q 'href=\"/style.css\"' $TMPD/page.html"
form "$NS_PHONE" "http://$NORTH/" homer 'wrong' "$PHONE" > "$TMPD/r1"
check "a wrong password: \"Login failed\"" grep -q "Login failed" "$TMPD/r1"
check_fail "... and homer is not active" show_user_has "homer .*$PHONE"
form "$NS_PHONE" "http://$NORTH/" nobody 'whatever' "$PHONE" > "$TMPD/r1b"
check "an unknown user: the same \"Login failed\"" grep -q "Login failed" "$TMPD/r1b"
form "$NS_PHONE" "http://$NORTH/" homer "$HOMER_PW" "$PHONE" > "$TMPD/r2"
check "homer (legacy SHA-1 hash) activates over HTTP" grep -q "Activated: homer at $PHONE" "$TMPD/r2"
check "show user has homer at $PHONE" show_user_has "homer +SEP001122334455 +$PHONE"
check "the activation event says reason=web" wait_event 5 "activated user=homer .*addr=$PHONE reason=web"
form "$NS_PHONE" "http://$NORTH/" bart "$BART_PW" "$PHONE" > "$TMPD/r3"
check "a disabled user with the right password: \"Login failed\"" grep -q "Login failed" "$TMPD/r3"
form "$NS_PHONE" "http://$NORTH/" homer "$HOMER_PW" "192.0.2.300" > "$TMPD/r4"
check "a bad address is named with the reason" grep -q '&quot;192.0.2.300&quot; is not an IPv4 address' "$TMPD/r4"

phase "certificates"
# ---- certificates, HTTPS ----
pp set certificate selfsigned tag https-North > "$TMPD/cert.out" 2>&1
check "set certificate selfsigned tag https-North (the guide's spelling)" \
	grep -q "installed a self-signed certificate as https-north" "$TMPD/cert.out"
openssl x509 -in "$PP_STATE_DIR/certs/https-north.pem" -out "$TMPD/north.crt" 2>/dev/null
cert_listed() { pp show certificate status | grep -q 'https-north.pem .*RSA 2048'; }
check "show certificate status lists it" cert_listed
check "https://$NORTH/ answers with that certificate (curl verifies it)" \
	until_ok 30 nsx "$NS_PHONE" curl -sf --max-time 5 --cacert "$TMPD/north.crt" "https://$NORTH/"
check_fail "curl without --cacert refuses the self-signed certificate (it is checked)" \
	nsx "$NS_PHONE" curl -sf --max-time 5 "https://$NORTH/"
check "port 80 now redirects to https://$NORTH/" \
	sh -c "ip netns exec $NS_PHONE curl -s -o /dev/null -w '%{http_code} %{redirect_url}' http://$NORTH/ | grep -qx '301 https://$NORTH/'"
form "$NS_PHONE2" "https://$NORTH/" marge "$MARGE_PW" "$PHONE2" activate --cacert "$TMPD/north.crt" > "$TMPD/r5"
check "marge (PBKDF2 hash) activates over HTTPS" grep -q "Activated: marge at $PHONE2" "$TMPD/r5"
check "show user has marge at $PHONE2" show_user_has "marge .*$PHONE2"
form "$NS_PHONE2" "https://$NORTH/" marge "$MARGE_PW" "" inactivate --cacert "$TMPD/north.crt" > "$TMPD/r6"
check "marge inactivates from the page" grep -q "Inactivated: marge" "$TMPD/r6"
check "the inactivation event says reason=web" wait_event 5 "inactivated user=marge .*reason=web"

phase "brute force"
# ---- brute force ----
for i in 1 2 3; do
	form "$NS_PHONE" "https://$NORTH/" homer "guess$i" "$PHONE" activate --cacert "$TMPD/north.crt" > "$TMPD/bf$i"
done
check "three wrong passwords for homer from $PHONE fail" \
	sh -c "grep -q 'Login failed' $TMPD/bf1 && grep -q 'Login failed' $TMPD/bf2 && grep -q 'Login failed' $TMPD/bf3"
check "the lockout is logged" grep -q "lockout: user \"homer\" from $PHONE locked out" "$LOG"
form "$NS_PHONE" "https://$NORTH/" homer "$HOMER_PW" "$PHONE" activate --cacert "$TMPD/north.crt" > "$TMPD/bf4"
check "then even the right password fails from $PHONE, with no sign of the lockout" \
	grep -q "Login failed" "$TMPD/bf4"
form "$NS_PHONE2" "https://$NORTH/" homer "$HOMER_PW" "$PHONE" activate --cacert "$TMPD/north.crt" > "$TMPD/bf5"
check "from $PHONE2 homer still logs in (an attacker cannot lock him out)" \
	grep -q "Activated: homer at $PHONE" "$TMPD/bf5"
LOCKED_AT=$(date +%s)

# Chromium is slow in an emulated guest: it runs while TLS and the web
# service are tested (other namespaces, other users).
phase "Chromium (in the background)"
CHROMIUM_T0=$(date +%s)
nsx "$NS_PHONE" python3 "$HERE/browser.py" "https://$NORTH/" lisa "$LISA_PW" \
	"$OUT/http-activation.png" > "$TMPD/browser.out" 2> "$TMPD/browser.err" &
BROWSER_PID=$!
at_exit "kill $BROWSER_PID"

phase "TLS"
# ---- TLS versions and ciphers ----
# The client is told to allow everything (SECLEVEL=0); that it can speak
# TLS 1.0 and CBC ciphers is shown against a server that allows them.
LEGACY='DEFAULT:@SECLEVEL=0'
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=legacy -days 2 \
	-keyout "$TMPD/legacy.key" -out "$TMPD/legacy.crt" >/dev/null 2>&1
nsx "$NS_PHONE" openssl s_server -quiet -accept 127.0.0.1:4433 -cert "$TMPD/legacy.crt" \
	-key "$TMPD/legacy.key" -cipher "$LEGACY" -www >/dev/null 2>&1 &
at_exit "kill $!"
tls() {	# tls HOST:PORT s_client-options...: succeeds when a session is made
	local to=$1
	shift
	echo Q | nsx "$NS_PHONE" timeout 20 openssl s_client -connect "$to" "$@" 2>&1 |
		grep -q 'Cipher is [A-Z]'
}
until_ok 30 nsx "$NS_PHONE" sh -c 'echo | openssl s_client -connect 127.0.0.1:4433 >/dev/null 2>&1'
check "control: this client speaks TLS 1.0 to a server that allows it" \
	tls 127.0.0.1:4433 -tls1 -cipher "$LEGACY"
check_fail "the page refuses TLS 1.0" tls "$NORTH:443" -tls1 -cipher "$LEGACY"
check_fail "the page refuses TLS 1.1" tls "$NORTH:443" -tls1_1 -cipher "$LEGACY"
check "the page speaks TLS 1.2" tls "$NORTH:443" -tls1_2
check "the page speaks TLS 1.3" tls "$NORTH:443" -tls1_3
check "control: this client gets a CBC cipher (AES128-SHA) from a server that allows it" \
	tls 127.0.0.1:4433 -tls1_2 -cipher "AES128-SHA:@SECLEVEL=0"
check_fail "the page refuses CBC and RSA key exchange (AES128-SHA)" \
	tls "$NORTH:443" -tls1_2 -cipher "AES128-SHA:@SECLEVEL=0"
check_fail "the page refuses ECDHE with CBC (ECDHE-RSA-AES128-SHA)" \
	tls "$NORTH:443" -tls1_2 -cipher "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"

phase "SOAP"
# ---- the web service (south), SOAP::Lite from the WSDL ----
WSDL=http://$SOUTH/activation_service/service.wsdl
check "the WSDL is served on the south address" \
	sh -c "ip netns exec $NS_CCM curl -sf --max-time 10 $WSDL | grep -q 'soap:address location=\"http://$SOUTH/activation_service/\"'"
nsx "$NS_CCM" perl "$HERE/soap_client.pl" "$WSDL" \
	"login,admin,wrong" \
	"login,admin,$ADMIN_PW" \
	'phoneproxy_activate,$token,homer,192.0.2.30' \
	'phoneproxy_activate,$token,bart,192.0.2.31' \
	'phoneproxy_activate,$token,homer,not-an-address' \
	'phoneproxy_inactivate,$token,homer' \
	'phoneproxy_inactivate,$token,homer' \
	'phoneproxy_activate,0123456789abcdef0123456789abcdef,homer,192.0.2.30' \
	"phoneproxy_login,marge,$MARGE_PW,192.0.2.40" \
	"phoneproxy_login,marge,wrong,192.0.2.40" \
	"phoneproxy_logout,marge,$MARGE_PW" \
	"phoneproxy_logout,marge,$MARGE_PW" \
	'sleep:6' \
	'phoneproxy_activate,$token,homer,192.0.2.30' > "$TMPD/soap.out" 2>&1
sed 's/^/# soap: /' "$TMPD/soap.out"
soap_line() { sed -n "${1}p" "$TMPD/soap.out" | grep -qx "$2"; }
check "login with a wrong password is a fault" soap_line 1 "login: FAULT Login failed"
check "login gives a token" soap_line 2 "login: TOKEN"
check "phoneproxy_activate: Activate Successful" soap_line 3 "phoneproxy_activate: Activate Successful"
check "... and homer is active at 192.0.2.30 (reason soap)" wait_event 5 "activated user=homer .*addr=192.0.2.30 reason=soap"
check "a disabled user: Activate Failed" soap_line 4 "phoneproxy_activate: Activate Failed"
check "a bad address: Activate Failed" soap_line 5 "phoneproxy_activate: Activate Failed"
check "phoneproxy_inactivate: Inactivate Successful" soap_line 6 "phoneproxy_inactivate: Inactivate Successful"
check "again (not active): Inactivate Failed" soap_line 7 "phoneproxy_inactivate: Inactivate Failed"
check "an unknown token: NOT-AUTHORIZED" soap_line 8 "phoneproxy_activate: NOT-AUTHORIZED"
check "phoneproxy_login: Login Successful" soap_line 9 "phoneproxy_login: Login Successful"
check "phoneproxy_login, wrong password: Login Failed" soap_line 10 "phoneproxy_login: Login Failed"
check "phoneproxy_logout: Logout Successful" soap_line 11 "phoneproxy_logout: Logout Successful"
check "phoneproxy_logout when not active: Logout Failed" soap_line 12 "phoneproxy_logout: Logout Failed"
check "a token unused for longer than --token-idle: NOT-AUTHORIZED" soap_line 13 "phoneproxy_activate: NOT-AUTHORIZED"

# Hostile XML, posted as a client would.
echo "TOPSECRET-$SFX" > "$TMPD/secret.txt"
soap_post() { nsx "$NS_CCM" curl -s --max-time 30 -H 'Content-Type: text/xml' --data-binary @"$1" "http://$SOUTH/activation_service/"; }
ENV_START='<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
ENV_END='</soap:Body></soap:Envelope>'
printf '%s<login><Adminname>admin</Adminname><Password>%s</Password></login>%s' \
	"$ENV_START" "$ADMIN_PW" "$ENV_END" > "$TMPD/plain.xml"
printf '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://%s">]>%s<login><Adminname>&xxe;</Adminname><Password>p</Password></login>%s' \
	"$TMPD/secret.txt" "$ENV_START" "$ENV_END" > "$TMPD/xxe.xml"
{
	printf '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
	prev=lol
	for i in 1 2 3 4 5 6 7 8 9; do
		printf '<!ENTITY lol%s "%s">' $i "$(printf "&$prev;%.0s" 1 2 3 4 5 6 7 8 9 10)"
		prev=lol$i
	done
	printf ']>%s<login><Adminname>&lol9;</Adminname><Password>p</Password></login>%s' "$ENV_START" "$ENV_END"
} > "$TMPD/bomb.xml"
soap_has() { soap_post "$1" | grep -q "$2"; }
check "control: the same envelope without a DOCTYPE logs in" soap_has "$TMPD/plain.xml" '<Token'

soap_post "$TMPD/xxe.xml" > "$TMPD/xxe.out"
check "XXE: a SOAP fault naming the DOCTYPE" grep -q "<faultstring>a DOCTYPE is not allowed" "$TMPD/xxe.out"
check_fail "XXE: the file's content is not in the answer" grep -q TOPSECRET "$TMPD/xxe.out"
rss0=$(awk '/^VmRSS/ {print $2}' /proc/$HTTPD_PID/status 2>/dev/null)
soap_post "$TMPD/bomb.xml" > "$TMPD/bomb.out"
check "billion laughs: a SOAP fault" grep -q "<faultcode>soap:Client</faultcode>" "$TMPD/bomb.out"
rss1=$(awk '/^VmRSS/ {print $2}' /proc/$HTTPD_PID/status 2>/dev/null)
check "... and pp-httpd's memory did not grow (VmRSS ${rss0:-?} -> ${rss1:-?} kB)" \
	test $((${rss1:-999999} - ${rss0:-0})) -lt 16384
printf '%s<login><Adminname>admin</Adminname>' "$ENV_START" > "$TMPD/broken.xml"
check "a malformed request: a SOAP fault saying so" soap_has "$TMPD/broken.xml" 'not well-formed'

phase "the web service over HTTPS"
pp set certificate selfsigned tag https-south > /dev/null
openssl x509 -in "$PP_STATE_DIR/certs/https-south.pem" -out "$TMPD/south.crt" 2>/dev/null
wsdl_tls() {
	nsx "$NS_CCM" curl -sf --max-time 10 --cacert "$TMPD/south.crt" \
		"https://$SOUTH/activation_service/service.wsdl" |
		grep -q "soap:address location=\"https://$SOUTH/activation_service/\""
}
check "with a south certificate the WSDL comes over HTTPS and names the https address" \
	until_ok 30 wsdl_tls
check "a SOAP call over HTTPS logs in" sh -c "ip netns exec $NS_CCM curl -s --max-time 20 \
	--cacert $TMPD/south.crt -H 'Content-Type: text/xml' --data-binary @$TMPD/plain.xml \
	https://$SOUTH/activation_service/ | grep -q '<Token'"
check "a POST to port 80 is redirected (308, keeping the POST) to https" \
	sh -c "ip netns exec $NS_CCM curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -d x \
	http://$SOUTH/activation_service/ | grep -qx '308 https://$SOUTH/activation_service/'"

phase "Chromium's results"
wait $BROWSER_PID
diag "chromium took $(($(date +%s) - CHROMIUM_T0)) s: $(tr '\n' ' ' < "$TMPD/browser.out")"
[ -s "$TMPD/browser.err" ] && sed 's/^/#   /' "$TMPD/browser.err" | tail -n 5
check "Chromium: the address field holds the phone's address" grep -qx "address=$PHONE" "$TMPD/browser.out"
check "Chromium: submitting activates lisa" grep -qx "result=Activated: lisa at $PHONE. Your phone may connect now." "$TMPD/browser.out"
check "show user has lisa at $PHONE" show_user_has "lisa .*$PHONE"
check "the screenshot is a PNG" sh -c "head -c 8 '$OUT/http-activation.png' | od -An -c | grep -q 'P   N   G'"

phase "HTTP proxy"
# ---- the HTTP proxy ----
nsx "$NS_CCM" python3 "$HERE/http_origin.py" "$CCM" 8080 --log "$ORIGIN_LOG" > /dev/null 2>&1 &
at_exit "kill $!"
nsx "$NS_CCM" python3 "$HERE/http_origin.py" "$CCM" 8088 --log "$EXT_LOG" --proxy > /dev/null 2>&1 &
at_exit "kill $!"
check "set phoneproxy httpproxy allow http://$CCM:8080/dir/*" pp set phoneproxy httpproxy allow "http://$CCM:8080/dir/*"
check_fail "an ftp:// pattern is refused" pp set phoneproxy httpproxy allow "ftp://$CCM/x"
check "set phoneproxy httpproxy enable" pp set phoneproxy httpproxy enable
PROXY=http://$NORTH:8088
fetch() { nsx "$NS_PHONE" curl -s --max-time 20 -x "$PROXY" "$@"; }
fetch_has() {	# fetch_has URL grep-x-pattern [curl args]
	local url=$1 want=$2
	shift 2
	fetch "$@" "$url" | grep -q "$want"
}
until_ok 30 nsx "$NS_CCM" curl -sf --max-time 2 "http://$CCM:8080/" >/dev/null
check "the proxy fetches an allowed URL for the activated phone" \
	until_ok 30 fetch_has "http://$CCM:8080/dir/hello.xml" '<Text>hello</Text>'
check "... from the south address ($SOUTH), with a Via header" \
	grep -q "^$SOUTH GET /dir/hello.xml via=1.1 phoneproxy" "$ORIGIN_LOG"
two=$(fetch -w '%{http_code} %{num_connects}\n' -o /dev/null -o /dev/null \
	"http://$CCM:8080/dir/hello.xml" "http://$CCM:8080/dir/hello.xml" | tr '\n' ' ')
check "two requests on one kept-alive connection ($two)" test "$two" = "200 1 200 0 "
code=$(fetch -o /dev/null -w '%{http_code}' "http://$CCM:8080/secret.txt")
check "a URL not in the allow list: 403 ($code)" test "$code" = 403
check "... with a log line" grep -q "httpproxy: $PHONE GET http://$CCM:8080/secret.txt denied" "$LOG"
check_fail "... and the server never saw it" grep -q "/secret.txt" "$ORIGIN_LOG"
code=$(fetch --path-as-is -o /dev/null -w '%{http_code}' "http://$CCM:8080/dir/../secret.txt")
check "a dot segment out of the allowed directory: 403 ($code)" test "$code" = 403
# ---- issue 12 item 5: allow-list bypass forms through the real proxy ----
# (lib/allowlist.h; tests/allowlist_cases.h has the whole table.) curl
# --path-as-is sends each path exactly as written; the proxy refuses it
# (400) and the origin server never sees it, or the proxy sends on the
# canonical form it checked.
for path in '/dir/..;/secret.txt' '/dir/..%2f..%2fsecret.txt' '/dir/%2e%2e;/secret.txt' \
	    '/dir/%2e%2e/secret.txt' '/dir/.%2e/secret.txt' '/dir/%252e%252e/secret.txt' \
	    '/dir/..%5csecret.txt' '/dir/%c0%ae%c0%ae/secret.txt' '/dir/..%00/secret.txt' \
	    '/dir/hello.xml;jsessionid=0123'; do
	code=$(fetch --path-as-is -o /dev/null -w '%{http_code}' "http://$CCM:8080$path")
	check "allow list: $path is refused: 400 ($code)" test "$code" = 400
done
code=$(fetch --request-target "http://$CCM@198.51.100.99:8080/dir/hello.xml" -o /dev/null \
	-w '%{http_code}' "http://$CCM:8080/")
check "allow list: a user name naming the allowed host is refused: 400 ($code)" test "$code" = 400
check "allow list: ... with a log line naming the reason" \
	grep -q "httpproxy: $PHONE GET refused: URL \"http://$CCM:8080/dir/..;/secret.txt\": a ';' (path parameter)" "$LOG"
check_fail "allow list: the origin server never saw any of them" \
	grep -qE "secret|;|%2|%5|%c0|jsessionid" "$ORIGIN_LOG"
check "allow list: the origin server receives the canonical path the proxy checked" \
	sh -c "ip netns exec $NS_PHONE curl -s --max-time 20 -x $PROXY --path-as-is \
		'http://$CCM:8080/dir/sub/..//./%68ello.xml' | grep -q '<Text>hello</Text>' &&
	       tail -n 1 '$ORIGIN_LOG' | grep -q '^$SOUTH GET /dir/hello.xml via='"
# ---- end of issue 12 item 5 ----
check "POST goes through" fetch_has "http://$CCM:8080/dir/echo" '^echo:a=1$' -d a=1
code=$(fetch -o /dev/null -w '%{http_code}' "http://$CCM:8080/dir/big")
check "a response over the size limit: 502 ($code)" test "$code" = 502
code=$(nsx "$NS_PHONE2" curl -s --max-time 10 -x "$PROXY" -o /dev/null -w '%{http_code}' "http://$CCM:8080/dir/hello.xml")
check "a phone that is not activated does not reach the proxy (firewall) ($code)" test "$code" = 000
check "set phoneproxy httpproxy mode external" pp set phoneproxy httpproxy mode external
check "set phoneproxy httpproxy externaladdress $CCM" pp set phoneproxy httpproxy externaladdress "$CCM"
check "external mode: the request goes to $CCM:8088 in absolute form" \
	until_ok 30 fetch_has "http://$CCM:8080/dir/hello.xml" "^external proxy got GET http://$CCM:8080/dir/hello.xml$"
code=$(fetch -o /dev/null -w '%{http_code}' "http://$CCM:8080/secret.txt")
check "external mode still refuses what is not allowed ($code)" test "$code" = 403
pp show phoneproxy httpproxy > "$TMPD/showproxy"
check "show phoneproxy httpproxy" sh -c "grep -q 'mode  *external' $TMPD/showproxy && grep -q 'http://$CCM:8080/dir/\*' $TMPD/showproxy"

phase "told, not polling"
# ppctl tells pp-httpd of what it changed (its control socket); pp-httpd
# no longer looks at its files on its own: one changed behind its back
# is read on SIGHUP only.
check "set phoneproxy http maxconnections peraddress 31" pp set phoneproxy http maxconnections peraddress 31
check "... reaches the running pp-httpd within 3 s (ppctl tells it)" \
	until_ok 3 grep -q "connections: at most [0-9]*, 31 per address" "$LOG"
sed -i 's/peraddress 31$/peraddress 30/' "$PP_CONF_DIR/httpd.conf"
sleep 3
check "httpd.conf changed behind pp-httpd's back: not read (no polling)" \
	sh -c "! grep -q 'connections: at most [0-9]*, 30 per address' $LOG"
kill -HUP "$HTTPD_PID"
check "... until SIGHUP" until_ok 5 grep -q "connections: at most [0-9]*, 30 per address" "$LOG"
check "back to the default" pp set phoneproxy http maxconnections peraddress 32

phase "the end of the lockout"
homer_back() {
	form "$NS_PHONE" "https://$NORTH/" homer "$HOMER_PW" "$PHONE" activate \
		--cacert "$TMPD/north.crt" | grep -q 'Activated: homer'
}
check "the lock ends (--lockout-time 30, $(($(date +%s) - LOCKED_AT)) s ago): homer logs in from $PHONE again" \
	until_ok 60 homer_back
phase "configuration"
# ---- configuration ----
pp show config running > "$TMPD/running"
check "show config running holds the pp-httpd settings" \
	sh -c "grep -qx 'set phoneproxy http publish webpage' $TMPD/running &&
	       grep -qx 'set phoneproxy httpproxy mode external' $TMPD/running &&
	       grep -qx 'set phoneproxy httpproxy externaladdress $CCM' $TMPD/running &&
	       grep -qx 'set phoneproxy httpproxy allow http://$CCM:8080/dir/\*' $TMPD/running"
check "save config" pp save config
check "... keeps them in the startup configuration" grep -qx 'set phoneproxy httpproxy mode external' "$PP_CONF_DIR/startup.conf"
check "delete certificate https-north.pem" pp delete certificate 'https-north.pem'
check "without a certificate the page is plain HTTP on port 80 again" \
	until_ok 30 sh -c "ip netns exec $NS_PHONE curl -s -o /dev/null -w '%{http_code}' http://$NORTH/ | grep -qx 200"
page_gone() { ! nsx "$NS_PHONE" curl -s --max-time 2 "http://$NORTH/" >/dev/null; }
check "unset phoneproxy http publish webpage" pp unset phoneproxy http publish webpage
check "... closes the page" until_ok 30 page_gone
check "pp-httpd is still running" kill -0 "$HTTPD_PID"
kill "$HTTPD_PID" && wait "$HTTPD_PID"
check "pp-httpd stops cleanly on SIGTERM" grep -q "pp-httpd: stopped" "$LOG"
# With HTTPD pointing to an ASan/UBSan build (docs/httpd.md), its reports
# land in the log; LeakSanitizer runs at the clean exit just checked.
if grep -q __asan_init "$HTTPD" 2>/dev/null; then
	check_fail "no sanitizer report in the log of this ASan build" \
		grep -Eq "ERROR: (Address|Leak)Sanitizer|runtime error:" "$LOG"
fi
diag "pp-httpd log: $(wc -l < "$LOG") lines"
[ -n "${PP_VM_OUT:-}" ] && cp "$LOG" "$PP_VM_OUT/pp-httpd.log"
tap_done
