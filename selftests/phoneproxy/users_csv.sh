#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Provisioning without the Management Console (guide "Users",
# "Import/Export"): the CSV template, the export of the published users,
# an import whose clear passwords are hashed (and then log in on the
# activation page), a lossless round trip, broken CSVs refused with line
# and column while the users in effect stay as they were, and 10,000
# users imported and published at once.
source "$(dirname "$0")/lib.sh"
require ip python3 curl
[ -x "$HTTPD" ] || skip_all "pp-httpd not built ($HTTPD)"
# Hashes made here cost what the activation page then pays per login:
# lowered, as in http.sh (an emulated guest is ~50 times slower).
export PP_PW_ITERATIONS=10000

setup_topology || { tap_result 1 "lab topology"; tap_done; }
write_users_xml "$TMPD/users.xml"
check "publish the guide's users.xml (the CallManagers the CSV refers to)" \
	pp publish "$TMPD/users.xml"
pp set user active name homer address $PHONE
users_now() { pp show user | awk '{print $1, $2, $3}'; }

phase() { diag "${SECONDS}s: $*"; }
phase "the template and the export"
# ---- the template and the export ----
check "export users template writes the labels" pp export users template "$TMPD/template.csv"
check "the template names the four required columns (Username, Password, Sid, CCM Name)" \
	sh -c "head -1 $TMPD/template.csv | grep -q '\"Username\",\"Password\".*\"Sid\",\"CCM Name\"' &&
	       test \$(wc -l < $TMPD/template.csv) = 1"
pp export users csv "$TMPD/export.csv" > "$TMPD/export.out" 2> "$TMPD/export.err"
check "export users csv writes the three published users" \
	sh -c "grep -q 'exported 3 users (csv)' $TMPD/export.out && test \$(wc -l < $TMPD/export.csv) = 4"
check "the export holds homer's hash, never a password in clear" \
	grep -q '"homer","","BpWSOSJv9pH_bbAnCd7j9UAQvm7F8v5U","eGy7g1orzdhyyffgrptVQv2dmDZg="' \
	"$TMPD/export.csv"
check "the export is readable by root only (it holds the hashes)" \
	test "$(stat -c %a "$TMPD/export.csv")" = 600
check "the export warns that marge and bart have no password to re-import" \
	grep -q "2 users have no password hash" "$TMPD/export.err"
check "export users xml writes a users.xml that publishes" \
	sh -c "ip netns exec $NS_PROXY $PPCTL export users xml $TMPD/export.xml >/dev/null &&
	       ip netns exec $NS_PROXY $PPCTL publish $TMPD/export.xml | grep -q 'published 3 users'"
check "export users csv - writes to standard output" \
	sh -c "ip netns exec $NS_PROXY $PPCTL export users csv - | cmp -s - $TMPD/export.csv"
before=$(users_now)
cp "$PP_STATE_DIR/users.xml" "$TMPD/state-before.xml"

phase "broken CSVs"
# ---- broken CSVs: refused with file:line: column, nothing applied ----
bad() {	# bad NAME WHERE  (CSV on stdin; WHERE: "LINE: column N (Label)" or "LINE: ...")
	local f=$TMPD/$1.csv where=$2 out
	cat > "$f"
	out=$(pp import users "$f" 2>&1)
	if [ $? = 0 ]; then
		diag "$1: accepted"
		return 1
	fi
	if ! printf '%s' "$out" | grep -Fq "$f:$where"; then
		diag "$1: $out"
		return 1
	fi
	[ "$(users_now)" = "$before" ] || { diag "$1: users changed"; return 1; }
	cmp -s "$PP_STATE_DIR/users.xml" "$TMPD/state-before.xml" ||
		{ diag "$1: the published file changed"; return 1; }
}
H='Username,Password,Sid,CCM Name'
check "the export as it is: marge has no password (line 3, column 3)" \
	bad export-as-is '3: column 3 (Password): empty' < "$TMPD/export.csv"
check "a bad SID" bad sid '3: column 3 (Sid)' <<CSV
$H
lisa,pw1,SEP001122334466,ccm
maggie,pw2,SEP12,ccm
CSV
check "a SID given twice, in another case" bad dupsid '3: column 3 (Sid)' <<CSV
$H
lisa,pw1,SEP001122334466,ccm
maggie,pw2,sep001122334466,ccm
CSV
check "a user name given twice" bad dupname '4: column 1 (Username)' <<CSV
$H
lisa,pw1,SEP001122334466,ccm
maggie,pw2,SEP001122334477,ccm
lisa,pw3,SEP001122334488,ccm
CSV
check "an unknown CallManager" bad ccm '2: column 4 (CCM Name)' <<CSV
$H
lisa,pw1,SEP001122334466,nowhere
CSV
check "no password" bad nopw '2: column 2 (Password): empty' <<CSV
$H
lisa,,SEP001122334466,ccm
CSV
check "an empty user name" bad noname '2: column 1 (Username): empty' <<CSV
$H
,pw1,SEP001122334466,ccm
CSV
check "a row with a field too many" bad toolong '2: 5 fields' <<CSV
$H
lisa,pw1,SEP001122334466,ccm,extra
CSV
check "a row with a field too few" bad tooshort '3: 3 fields' <<CSV
$H
lisa,pw1,SEP001122334466,ccm
maggie,pw2,SEP001122334477
CSV
check "a required column missing" bad nosid '1: no "Sid" column' <<CSV
Username,Password,CCM Name
lisa,pw1,ccm
CSV
check "an unknown label" bad label '1: column 5: unknown label "Shoe Size"' <<CSV
$H,Shoe Size
lisa,pw1,SEP001122334466,ccm,9
CSV
check "a label twice" bad label2 '1: column 5' <<CSV
$H,sid
lisa,pw1,SEP001122334466,ccm,SEP001122334466
CSV
check "Enabled that is not true or false" bad enabled '2: column 5 (Enabled)' <<CSV
$H,Enabled
lisa,pw1,SEP001122334466,ccm,perhaps
CSV
check "a password and a hash both" bad both '2: column 2 (Password)' <<CSV
$H,Seed,Password Hash
lisa,pw1,SEP001122334466,ccm,c2VlZA,a2V5
CSV
check "a seed without its hash" bad seedonly '2: column 6 (Password Hash)' <<CSV
$H,Seed,Password Hash
lisa,,SEP001122334466,ccm,c2VlZA,
CSV
check "a hash that is not base64" bad hash '2: column 6 (Password Hash)' <<CSV
$H,Seed,Password Hash
lisa,,SEP001122334466,ccm,c2VlZA,not*base64
CSV
check "an unknown SCCP proxy" bad proxy '2: column 5 (SCCP Proxy)' <<CSV
$H,SCCP Proxy
lisa,pw1,SEP001122334466,ccm,nosuchproxy
CSV
check "a bad password date" bad date '2: column 7 (Password Date)' <<CSV
$H,Seed,Password Hash,Password Date
lisa,,SEP001122334466,ccm,c2VlZA,a2V5,yesterday
CSV
check "a quote that is never closed" bad quote '3: malformed quoting' <<CSV
$H
lisa,pw1,SEP001122334466,ccm
maggie,"pw2,SEP001122334477,ccm
CSV
printf '%s,First\nlisa,pw1,SEP001122334466,ccm,\xff\xfe\n' "$H" > "$TMPD/utf8.in"
check "a name that is not UTF-8" bad utf8 '2: column 5 (First): not UTF-8' < "$TMPD/utf8.in"
check "a name across two lines" bad twolines '2: column 5 (First)' <<CSV
$H,First
lisa,pw1,SEP001122334466,ccm,"Li
sa"
CSV
check "an empty file" bad empty '1: empty' < /dev/null
check "the labels and no user" bad header '1: no user after the first row' <<CSV
$H
CSV
check "homer's activation survived every refused import" \
	show_user_has "^homer +SEP001122334455 +$PHONE "

phase "passwords in clear"
# ---- passwords in clear, hashed on import, and the page takes them ----
pp set phoneproxy http publish webpage
ip netns exec "$NS_PROXY" "$HTTPD" > "$TMPD/httpd.log" 2>&1 &
HTTPD_PID=$!
at_exit "kill $HTTPD_PID"
python3 - "$TMPD/export.csv" "$TMPD/clear.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head = rows[0]
pw, seed, hsh = head.index("Password"), head.index("Seed"), head.index("Password Hash")
for r in rows[1:]:
    if r[1] in ("marge", "bart"):
        r[pw] = "Sp1ngfield, \"%s\"" % r[1]
with open(sys.argv[2], "w", newline="") as f:
    csv.writer(f).writerows(rows)
PY
pp import users "$TMPD/clear.csv" > "$TMPD/import.out" 2>&1
check "import users: marge and bart get passwords in clear, hashed on import" \
	grep -q "hashed 2 passwords" "$TMPD/import.out"
check "... and the three users are published" grep -q "published 3 users" "$TMPD/import.out"
check "the published file holds no password in clear" \
	sh -c "! grep -q Sp1ngfield $PP_STATE_DIR/users.xml && grep -c 'pbkdf2-sha256' $PP_STATE_DIR/users.xml | grep -qx 2"
check "homer is still active after the import (republishing keeps activations)" \
	show_user_has "^homer +SEP001122334455 +$PHONE "
page() {	# page USER PASSWORD: the activation page's answer
	nsx "$NS_PHONE2" curl -sS --max-time 30 --data-urlencode "username=$1" \
		--data-urlencode "password=$2" --data-urlencode "address=$PHONE2" \
		-d action=activate "http://$NORTH/"
}
until_ok 30 nsx "$NS_PHONE2" curl -sf --max-time 5 "http://$NORTH/" >/dev/null
page marge 'Sp1ngfield, "marge"' > "$TMPD/page1"
check "marge activates on the web page with the password the CSV gave in clear" \
	grep -q "Activated: marge at $PHONE2" "$TMPD/page1"
page bart 'Sp1ngfield' > "$TMPD/page2"
check "a wrong password is still refused" grep -q "Login failed" "$TMPD/page2"

phase "round trip"
# ---- lossless: export, import, export ----
pp export users csv "$TMPD/rt1.csv" >/dev/null 2>&1
check "the export imports as it is" pp import users "$TMPD/rt1.csv"
pp export users csv "$TMPD/rt2.csv" >/dev/null 2>&1
check "export -> import -> export is lossless (the same bytes)" cmp "$TMPD/rt1.csv" "$TMPD/rt2.csv"

phase "10,000 users"
# ---- 10,000 users ----
python3 - "$TMPD/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("Id,Username,Password,Seed,Password Hash,Sid,CCM Name,First,Last,Enabled\n")
    for i in range(10000):
        f.write("id-%d,user%05d,,c2VlZA%d,a2V5%d,SEP%012X,ccm,First %d,\"Last, %d\",true\n"
                % (i, i, i, i, 0x0011BB000000 + i, i, i))
PY
t0=$(date +%s%N)
pp import users "$TMPD/big.csv" > "$TMPD/big.out" 2>&1
rc=$?
t1=$(date +%s%N)
diag "10,000 users imported and published (pp-httpd running, told) in $(( (t1 - t0) / 1000000 )) ms"
[ $rc = 0 ] || diag "$(cat "$TMPD/big.out")"
check "a CSV of 10,000 users (an export's hashes) imports and publishes" \
	sh -c "[ $rc = 0 ] && grep -q 'published 10000 users' $TMPD/big.out"
check "all 10,000 are listed" sh -c "test \$(ip netns exec $NS_PROXY $PPCTL show user | grep -c '^user[0-9]') = 10000"
check "a user of the 10,000 activates" pp set user active name user09999 address $PHONE2
phase "clear passwords in bulk"
# Each clear password costs a PBKDF2 (10,000 iterations here, 600,000 by
# default): 20 of them, hashed on both CPUs.
python3 - "$TMPD/clear20.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("Username,Password,Sid,CCM Name\n")
    for i in range(20):
        f.write("c%03d,secret-%d,SEP%012X,ccm\n" % (i, i, 0x0011CC000000 + i))
PY
pp import users "$TMPD/clear20.csv" > "$TMPD/clear20.out" 2>&1
check "20 passwords in clear are hashed and published" grep -q "published 20 users" "$TMPD/clear20.out"
diag "$(grep hashed "$TMPD/clear20.out")"

tap_done
