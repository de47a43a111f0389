#!/bin/sh
# tests/web/setup.sh DB — the demo store of `make demo`, for the browser tests: the UN list, the
# stolen and lost documents, the risk rule, the demo users (tools/demo_users.sh, passwords in
# DB's directory/demo-credentials.txt) and the demo's own records (tools/demo_data.sh).
# Prints the name of a person FRA-NCB made hit-only (the "contact owner" flow).
set -eu
DB=$1
BIN=${CTWATCH_BIN:-./bin/ctwatch}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

"$BIN" init --db "$DB" >/dev/null
# the agencies with their names and regions first: an import makes a bare agency of an unknown owner
sh "$ROOT/tools/demo_users.sh" "$DB" 127.0.0.1:0 >/dev/null
"$BIN" import --db "$DB" --format un-xml "$ROOT/tests/data/un/consolidated-2026-02-27.xml" >/dev/null
"$BIN" documents import --db "$DB" "$ROOT/tests/data/travel/documents.csv" >/dev/null
"$BIN" rules add --db "$DB" "$ROOT/tests/data/travel/rule_short_notice_oneway.json" >/dev/null
sh "$ROOT/tools/demo_data.sh" "$DB" 127.0.0.1:0 >/dev/null
echo "Severin Malrouge"   # FRA-NCB's hit-only demo person (tools/demo_data.sh)
