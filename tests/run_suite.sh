#!/bin/sh
# run_suite.sh SUITE BIN... — run cmocka test binaries, report every result,
# and end with one line "SUITE: N passed, N failed". Exit 1 if any failed.
#
# The binaries are independent (each has its own scratch directory, store
# and server port), so they run side by side, CTW_TEST_JOBS at a time
# (default: twice the cores, since most of their time is spent waiting on
# fsync and on servers); the report is printed in the order given.
suite=$1; shift
jobs=${CTW_TEST_JOBS:-$(( $(nproc 2>/dev/null || echo 2) * 2 ))}
outdir=$(mktemp -d "${TMPDIR:-/tmp}/ctw-suite.XXXXXX") || exit 1
trap 'rm -rf "$outdir"' EXIT INT TERM

i=0
for t in "$@"; do
  i=$((i + 1))
  printf '%s\n' "$t" > "$outdir/$i.name"
done
# each job writes its output and exit status; xargs runs them in parallel
seq 1 "$i" | xargs -P "$jobs" -I{} sh -c '
  t=$(cat "$1/$2.name"); "$t" > "$1/$2.out" 2>&1; echo $? > "$1/$2.rc"' sh "$outdir" {}

passed=0; failed=0; broken=""
n=0
while [ "$n" -lt "$i" ]; do
  n=$((n + 1))
  t=$(cat "$outdir/$n.name")
  out=$(cat "$outdir/$n.out" 2>/dev/null)
  rc=$(cat "$outdir/$n.rc" 2>/dev/null || echo 127)
  printf '%s\n' "$out" | grep -E '^\[ *(OK|FAILED|ERROR|SKIPPED) *\]|FAIL|ERROR|Assert|runtime error|AddressSanitizer' | grep -v '^\[ *OK' | head -40
  # a binary may run several cmocka groups: add their counts up
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; broken="$broken $t(rc=$rc)"; fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; broken="$broken $t(no tests ran)"; fi
  echo "  $(basename "$t"): $p passed, $f failed"
  passed=$((passed + p)); failed=$((failed + f))
done
[ -n "$broken" ] && echo "broken:$broken"
echo "$suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
