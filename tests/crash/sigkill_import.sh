#!/bin/sh
# sigkill_import.sh — kill ctwatch with SIGKILL in the middle of an import,
# then prove the store opens clean and holds the whole import or none of it,
# and that an import that was acknowledged (printed its summary) is there.
#
# Each round: a fresh store with the UN list, an OFAC import started in the
# background and killed after a delay that grows round by round, then checks.
# Ends with "crash: N passed, N failed".
set -u
BIN=${CTWATCH_BIN:-$(pwd)/bin/ctwatch}
DATA=tests/data
ROUNDS=${CRASH_ROUNDS:-8}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ctwcrash.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0; killed_mid=0
fail() { echo "  FAIL round $1: $2"; failed=$((failed + 1)); }

count() { # count SOURCE KIND_OR_ALL
  "$BIN" stats --db "$1" --json | jq -r --arg s "$2" '[.by_source[$s] // {} | to_entries[] | select(.key != "removed") | .value] | add // 0'
}

"$BIN" init --db "$tmp/base.db" >/dev/null || { echo "crash: 0 passed, 1 failed"; exit 1; }
"$BIN" import --db "$tmp/base.db" --format un-xml "$DATA/un/consolidated-2026-02-27.xml" >/dev/null ||
  { echo "crash: 0 passed, 1 failed"; exit 1; }

# how long a whole import takes here, so the kills land inside it
t0=$(date +%s%N)
cp "$tmp/base.db" "$tmp/probe.db"
"$BIN" import --db "$tmp/probe.db" --format ofac-csv "$DATA/ofac/sdn.csv" "$DATA/ofac/alt.csv" "$DATA/ofac/add.csv" >/dev/null
full_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$full_ms" -lt 50 ] && full_ms=50

r=1
while [ "$r" -le "$ROUNDS" ]; do
  db="$tmp/r$r.db"
  cp "$tmp/base.db" "$db"
  # from early in the import to a little after it should have ended
  delay_ms=$(( full_ms * r * 5 / (ROUNDS * 4) ))
  "$BIN" import --db "$db" --format ofac-csv "$DATA/ofac/sdn.csv" "$DATA/ofac/alt.csv" "$DATA/ofac/add.csv" \
      >"$tmp/out$r" 2>"$tmp/err$r" &
  pid=$!
  sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  acked=0; grep -q '"total"' "$tmp/out$r" && acked=1

  ok=1
  integrity=$(sqlite3 "$db" 'PRAGMA integrity_check' 2>&1)
  [ "$integrity" = "ok" ] || { fail "$r" "integrity_check: $integrity"; ok=0; }
  un=$(count "$db" un-sc); ofac=$(count "$db" ofac-sdn)
  [ "$un" = 1003 ] || { fail "$r" "UN records $un, expected 1003"; ok=0; }
  case "$ofac" in
    0) [ "$acked" = 1 ] && { fail "$r" "import acknowledged but not in the store"; ok=0; }
       killed_mid=$((killed_mid + 1)) ;;
    8976) ;;
    *) fail "$r" "partial import: $ofac OFAC records"; ok=0 ;;
  esac
  # the store still takes the import afterwards
  "$BIN" import --db "$db" --format ofac-csv "$DATA/ofac/sdn.csv" "$DATA/ofac/alt.csv" "$DATA/ofac/add.csv" >/dev/null 2>&1 ||
    { fail "$r" "re-import after the kill failed"; ok=0; }
  [ "$(count "$db" ofac-sdn)" = 8976 ] || { fail "$r" "re-import after the kill incomplete"; ok=0; }
  [ "$ok" = 1 ] && passed=$((passed + 1))
  rm -f "$db" "$db-wal" "$db-shm"
  r=$((r + 1))
done
# a crash test whose kills all landed after the commit proves nothing
if [ "$killed_mid" -eq 0 ]; then
  echo "  FAIL: no kill landed inside an import (whole import took ${full_ms} ms)"; failed=$((failed + 1))
fi
echo "  $killed_mid of $ROUNDS kills landed before the commit"
echo "crash: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
