#!/bin/sh
# retention_test.sh — retention from the command line (issue 5): `ctwatch
# reviews` lists what is due, `reviews extend` gives five more years,
# `delete` erases a record (rows, references and bytes) and the audit log
# keeps its id and the reason only; bad input changes nothing, and the demo
# scripts run on a fresh store. Ends with "retention: N passed, N failed".
set -u
BIN=${CTWATCH_BIN:-$(pwd)/bin/ctwatch}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ctwret.XXXXXX")
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
"$BIN" import --db "$db" --format ftm --owner FRA-NCB --source demo-fra tests/data/demo/fra.ftm.jsonl >/dev/null
"$BIN" import --db "$db" --format ftm --owner KEN-NCB --source demo-ken tests/data/demo/ken.ftm.jsonl >/dev/null

# nothing is due today; all seven within six years, five of them FRA-NCB's
"$BIN" reviews --db "$db" >"$tmp/out"; check "reviews exit" 0 $?
check "nothing due today" 0 "$(jq '.reviews | length' "$tmp/out")"
"$BIN" reviews --db "$db" --within 2200 >"$tmp/out"
check "all due within six years" 7 "$(jq '.reviews | length' "$tmp/out")"
"$BIN" reviews --db "$db" --within 2200 --agency FRA-NCB >"$tmp/out"
check "one agency's" 5 "$(jq '.reviews | length' "$tmp/out")"
"$BIN" reviews --db "$db" --within -3 >/dev/null 2>&1; check "negative within is a usage error" 2 $?
"$BIN" reviews --db "$db" --within 2200 --limit 0 >/dev/null 2>&1; check "limit 0 is a usage error" 2 $?

id=$("$BIN" reviews --db "$db" --within 2200 | jq -r '.reviews[] | select(.name == "Severin Malrouge") | .record')
before=$(q "SELECT version || review_date FROM records WHERE id='$id'")
"$BIN" reviews extend --db "$db" "$id" >/dev/null 2>&1; check "extend without a reason" 2 $?
"$BIN" reviews extend --db "$db" "$id" --reason "Malrouge still wanted" >/dev/null 2>&1
check "a reason repeating the name is refused" 2 $?
check "refusals change nothing" "$before" "$(q "SELECT version || review_date FROM records WHERE id='$id'")"
"$BIN" reviews extend --db "$db" "$id" --reason "case still open" >"$tmp/out"; check "extend" 0 $?
check "new review date stored" "$(jq -r .review_date "$tmp/out")" "$(q "SELECT review_date FROM records WHERE id='$id'")"

"$BIN" delete --db "$db" "$id" >/dev/null 2>&1; check "delete without a reason" 2 $?
"$BIN" delete --db "$db" ctw-nosuchrecord --reason "x" >/dev/null 2>&1; check "delete of an unknown record" 1 $?
check "still there" 1 "$(q "SELECT count(*) FROM records WHERE id='$id'")"
"$BIN" delete --db "$db" "$id" --reason "retention period over" >"$tmp/out"; check "delete" 0 $?
check "storage overwritten" true "$(jq .storage_overwritten "$tmp/out")"
check "rows gone" 0 "$(q "SELECT (SELECT count(*) FROM records WHERE id='$id') + (SELECT count(*) FROM names WHERE record_id='$id') + (SELECT count(*) FROM identifiers WHERE record_id='$id')")"
check "the audit keeps id and reason" "reason: retention period over" \
  "$(q "SELECT detail FROM audit WHERE action='record-delete' AND records='$id'")"
if grep -q "Malrouge\|17FR99123" "$db" "$db-wal" 2>/dev/null; then bad "the store file still holds the deleted bytes"; else ok; fi
check "six records left" 6 "$(q "SELECT count(*) FROM records")"

# the demo's scripts on a fresh store (no server)
demo="$tmp/demo/ctwatch.db"
mkdir -p "$tmp/demo"
"$BIN" init --db "$demo" >/dev/null
CTWATCH_BIN=$BIN sh tools/demo_users.sh "$demo" >"$tmp/out" 2>&1; check "demo_users.sh" 0 $?
CTWATCH_BIN=$BIN sh tools/demo_data.sh "$demo" >>"$tmp/out" 2>&1; check "demo_data.sh" 0 $?
check "demo restrictions" "agencies all all all-except hit-only regions regions" \
  "$(sqlite3 "$demo" "SELECT group_concat(restriction, ' ') FROM (SELECT restriction FROM records ORDER BY restriction)")"
check "a user per role" 6 "$(sqlite3 "$demo" "SELECT count(DISTINCT role) FROM users")"
CTWATCH_BIN=$BIN sh tools/demo_data.sh "$demo" >/dev/null 2>&1; check "demo_data.sh again" 0 $?
check "demo data idempotent" 7 "$(sqlite3 "$demo" "SELECT count(*) FROM records")"

echo "retention: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
