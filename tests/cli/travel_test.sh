#!/bin/sh
# travel_test.sh — the border checks as a user runs them (issue 4): stolen
# and lost documents, risk rules, manifests (the real GTAS PAXLST and PNRGOV
# samples and a JSON manifest) and movements. Bad input gets a clear error
# and changes nothing. Ends with "travel: N passed, N failed".
set -u
BIN=${CTWATCH_BIN:-$(pwd)/bin/ctwatch}
DATA=tests/data
T=$DATA/travel
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ctwtravel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok()   { passed=$((passed + 1)); }
bad()  { echo "  FAIL: $1"; failed=$((failed + 1)); }
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$2', got '$3'"; fi
}
db="$tmp/t.db"
q() { sqlite3 "$db" "$1"; }

"$BIN" init --db "$db" >/dev/null
"$BIN" import --db "$db" --format un-xml "$DATA/un/consolidated-2026-02-27.xml" >/dev/null

# --- stolen and lost documents -------------------------------------------------
"$BIN" documents import --db "$db" "$T/documents.csv" >"$tmp/out"; check "documents import" 0 $?
check "documents added" '5 5 0' "$(jq -r '"\(.rows) \(.added) \(.changed)"' "$tmp/out")"
"$BIN" documents import --db "$db" "$T/documents.csv" >"$tmp/out"
check "documents re-import changes nothing" '0 0 5' "$(jq -r '"\(.added) \(.changed) \(.unchanged)"' "$tmp/out")"
check "owners became agencies" 3 "$(q "SELECT count(*) FROM agencies WHERE code IN ('FRA-NCB','DEU-NCB','GBR-NCB')")"
check "ICAO D and alpha-2 GB stored as alpha-3" 'DEU GBR' "$(q "SELECT group_concat(issuing_state, ' ') FROM (SELECT DISTINCT issuing_state FROM documents WHERE issuing_state IN ('DEU','GBR') ORDER BY 1)")"

# a bad row: a clear error naming file:line, nothing stored
{ head -3 "$T/documents.csv"; echo 'ITA,P,YA1234567,misplaced,2026-01-01,ITA-NCB'; } >"$tmp/bad.csv"
before=$(q "SELECT count(*) FROM documents")
"$BIN" documents import --db "$db" "$tmp/bad.csv" >/dev/null 2>"$tmp/err"; check "bad status fails" 1 $?
grep -q "bad.csv:4" "$tmp/err"; check "bad status error names file:line" 0 $?
check "failed import stores nothing" "$before" "$(q "SELECT count(*) FROM documents")"
printf 'state,number\nUTO,X1\n' >"$tmp/bad2.csv"
"$BIN" documents import --db "$db" "$tmp/bad2.csv" >/dev/null 2>"$tmp/err"; check "bad header fails" 1 $?

"$BIN" documents check --db "$db" --state UTO --number L898902C3 >"$tmp/out"; check "check" 0 $?
check "the specimen passport is stolen" stolen "$(jq -r .status "$tmp/out")"
check "the hit names its owner" FRA-NCB "$(jq -r '.hits[0].owner' "$tmp/out")"
"$BIN" documents check --db "$db" --state de --number 'c01x-00t47' --type P >"$tmp/out"
check "check normalises state and number" lost "$(jq -r .status "$tmp/out")"
"$BIN" documents check --db "$db" --state DEU --number C01X00T47 --type I >"$tmp/out"
check "another type is another document" none "$(jq -r .status "$tmp/out")"
"$BIN" documents check --db "$db" --state FRA --number 12AB99999 >"$tmp/out"
check "spaces in the stored number do not matter" stolen "$(jq -r .status "$tmp/out")"
"$BIN" documents check --db "$db" --state UTO --number X0000000 >"$tmp/out"
check "an unknown document is none" '"none" 0' "$(jq -c .status "$tmp/out") $(jq '.hits | length' "$tmp/out")"
"$BIN" documents check --db "$db" --mrz 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10' >"$tmp/out"
check "check an MRZ" stolen "$(jq -r .status "$tmp/out")"
"$BIN" documents check --db "$db" --state ZZZ --number 1 >"$tmp/out"
check "a state that is no country is an error" state "$(jq -r .error.field "$tmp/out")"
printf '%s\n' '{"id":"a","state":"UTO","number":"L898902C3"}' '{"id":"b","state":"GBR","number":"123456789","type":"P"}' \
  '{"id":"c","number":"1"}' '{"id":"d","state":"ITA","number":"YA0000001"}' >"$tmp/batch"
"$BIN" documents check --db "$db" --batch "$tmp/batch" >"$tmp/out"; check "batch check" 0 $?
check "batch answers every line" 'stolen revoked invalid none' "$(jq -r '.status // .error.code' "$tmp/out" | tr '\n' ' ' | sed 's/ $//')"
check "document checks were audited" true "$(test "$(q "SELECT count(*) FROM audit WHERE action='check-documents'")" -ge 7 && echo true)"
check "document hits were read through the access check" true "$(test "$(q "SELECT count(*) FROM audit WHERE action='read' AND records LIKE 'doc:%'")" -ge 5 && echo true)"
"$BIN" documents stats --db "$db" >"$tmp/out"
check "documents stats" '2 1 1 1' "$(jq -r '"\(.stolen) \(.lost) \(.revoked) \(.["stolen-blank"])"' "$tmp/out")"

# --- risk rules --------------------------------------------------------------------
"$BIN" rules add --db "$db" "$T/rule_short_notice_oneway.json" >"$tmp/out"; check "rules add" 0 $?
check "first rule" 'rule-1 1' "$(jq -r '"\(.id) \(.version)"' "$tmp/out")"
jq '.when.all[0].op = "inn"' "$T/rule_short_notice_oneway.json" >"$tmp/badrule.json"
"$BIN" rules add --db "$db" "$tmp/badrule.json" >/dev/null 2>"$tmp/err"; check "invalid rule refused" 1 $?
grep -q 'when.all\[0\].op' "$tmp/err"; check "refusal points at the faulty part" 0 $?
check "invalid rule stored nothing" 1 "$(q "SELECT count(*) FROM rules")"
"$BIN" rules update --db "$db" rule-1 "$T/rule_short_notice_oneway.json" >"$tmp/out"
check "rules update makes version 2" 2 "$(jq .version "$tmp/out")"
"$BIN" rules list --db "$db" >"$tmp/out"; check "rules list" 0 $?
check "list shows the newest version" 'rule-1 2' "$(jq -r '"\(.id) \(.version)"' "$tmp/out")"
"$BIN" rules show --db "$db" rule-1 --version 1 >"$tmp/out"
check "show an old version" 1 "$(jq .version "$tmp/out")"

# --- a JSON manifest: a listed person, his companion, a stolen passport, a rule -----
"$BIN" manifest screen --db "$db" "$T/manifest_af1234.json" >"$tmp/m"; check "manifest screen" 0 $?
check "every traveller screened" 4 "$(jq '.travellers | length' "$tmp/m")"
check "the listed person is an alert" 'alert QDi.059' "$(jq -r '.travellers[0] | "\(.decision) \(.hits[0].source_id)"' "$tmp/m")"
check "the hit carries its UN special notice" 'un-special inform' "$(jq -r '.travellers[0].hits[0].notice | "\(.kind) \(.action)"' "$tmp/m")"
check "his companion is clear" clear "$(jq -r '.travellers[1].decision' "$tmp/m")"
check "the stolen passport is flagged" 'alert stolen' "$(jq -r '.travellers[2] | "\(.decision) \(.documents[0].status)"' "$tmp/m")"
check "the rule fired on the one-way traveller" 'review rule-1 2' "$(jq -r '.travellers[3] | "\(.decision) \(.rules[0].rule) \(.rules[0].version)"' "$tmp/m")"
check "the rule says which conditions matched" true "$(jq '.travellers[3].rules[0].matched | length >= 3' "$tmp/m")"
check "summary" '4 2 1 1 1' "$(jq -r '.summary | "\(.travellers) \(.alerts) \(.review) \(.documents_flagged) \(.rules_fired)"' "$tmp/m")"
check "movements recorded for everyone on the flight" 4 "$(q "SELECT count(*) FROM movements")"
check "one movement is the match" 1 "$(q "SELECT count(*) FROM movements WHERE reason='match'")"
pid=$(jq -r '.travellers[0].hits[0].record' "$tmp/m")
"$BIN" movements --db "$db" "$pid" >"$tmp/mv"; check "movements" 0 $?
check "timeline has the flight" 'AF1234 CDG IST' "$(jq -r '.[0].movement | "\(.flight) \(.origin) \(.destination)"' "$tmp/mv")"
check "co-travellers linked" 3 "$(jq '.[0].co_travellers | length' "$tmp/mv")"
check "companion on the same booking" 'NOURA same-booking' "$(jq -r '.[0].co_travellers[] | select(.surname == "ALFAWAZ") | "\(.given) \(.link)"' "$tmp/mv")"
"$BIN" manifest screen --db "$db" "$T/manifest_af1234.json" >/dev/null
check "the same manifest again adds no movement" 4 "$(q "SELECT count(*) FROM movements")"
check "manifest screening audited" 2 "$(q "SELECT count(*) FROM audit WHERE action='screen-manifest'")"

# --- the real GTAS samples ------------------------------------------------------------
G=$T/gtas
"$BIN" manifest screen --db "$db" "$G/apis/gtas-loader__Test1.txt" >"$tmp/m"; check "PAXLST crew list" 0 $?
check "8 crew, all flagged by the revoked passport" '8 8 crew' "$(jq -r '"\(.travellers | length) \(.summary.documents_flagged) \(.travellers[0].role)"' "$tmp/m")"
check "the wrong UNT count is a warning" true "$(jq '[.warnings[].code] | index("count_mismatch") != null' "$tmp/m")"
"$BIN" manifest screen --db "$db" "$G/apis/gtas-loader__Test3.txt" >"$tmp/m"; check "PAXLST 260" 0 $?
check "260 passengers" 260 "$(jq '.travellers | length' "$tmp/m")"
"$BIN" manifest screen --db "$db" "$G/pnr/gtas-loader__pnr1.txt" >"$tmp/m"; check "PNRGOV" 0 $?
check "PNR travellers" true "$(jq '.travellers | length >= 2' "$tmp/m")"
"$BIN" manifest parse "$G/apis/gtas-loader__airline2.edi" >"$tmp/m"; check "manifest parse" 0 $?
check "airline2 has 10 passengers" 10 "$(jq '.travellers | length' "$tmp/m")"

# a message that cannot be read: the segment and byte, and nothing recorded
before=$(q "SELECT count(*) FROM movements")
printf "UNA:+.? 'UNB+UNOA:4+X+Y+140202:0600+1'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'NAD+FL+++DOE:JOHN?" >"$tmp/bad.edi"
"$BIN" manifest screen --db "$db" "$tmp/bad.edi" >/dev/null 2>"$tmp/err"; check "unreadable message fails" 1 $?
grep -q "segment" "$tmp/err"; check "the error names the segment" 0 $?
check "nothing recorded from it" "$before" "$(q "SELECT count(*) FROM movements")"
"$BIN" manifest screen --db "$db" "$tmp/nope.edi" 2>/dev/null; check "missing file fails" 1 $?
"$BIN" manifest screen --db "$db" --format xml "$T/manifest_af1234.json" 2>/dev/null; check "unknown format is a usage error" 2 $?

broken=$(q "SELECT count(*) FROM audit a JOIN audit b ON b.seq = a.seq + 1 WHERE b.prev_hash <> a.hash")
check "audit chain is linked" 0 "$broken"

echo "travel: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
