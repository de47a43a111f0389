#!/bin/sh
# tools/demo_data.sh DB — the demo's data (make demo, and the browser tests in tests/web/):
# the UN Security Council list, the stolen and lost documents, one risk rule, and a few records
# of FRA-NCB's own (tests/data/ftm/sample.ftm.json), one of them restricted to "hit-only" so that
# other agencies learn only whom to contact. Idempotent: running it again changes nothing.
set -eu
DB=$1
BIN=${CTWATCH_BIN:-./bin/ctwatch}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

"$BIN" init --db "$DB" >/dev/null
"$BIN" import --db "$DB" --format un-xml "$ROOT/tests/data/un/consolidated-2026-02-27.xml" >/dev/null
"$BIN" documents import --db "$DB" "$ROOT/tests/data/travel/documents.csv" >/dev/null
"$BIN" rules list --db "$DB" | grep -q . ||
    "$BIN" rules add --db "$DB" "$ROOT/tests/data/travel/rule_short_notice_oneway.json" >/dev/null
"$BIN" agencies list --db "$DB" | grep -q '"code":"FRA-NCB"' ||
    "$BIN" agencies add FRA-NCB --name "Interpol NCB Paris" --country FRA --kind ncb --regions europe,schengen --db "$DB" >/dev/null
"$BIN" import --db "$DB" --format ftm --owner FRA-NCB --source fra-ncb "$ROOT/tests/data/ftm/sample.ftm.json" >/dev/null
karim=$("$BIN" screen --db "$DB" --name 'Karim Youssef Haddad' --limit 1 | jq -r '.[0].record // empty')
[ -n "$karim" ] && "$BIN" restrict --db "$DB" "$karim" --kind hit-only >/dev/null
echo "demo data: UN list, documents, one rule; FRA-NCB's own records (Karim Youssef Haddad $karim: hit-only)"
