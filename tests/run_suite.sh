#!/bin/sh
# run_suite.sh SUITE BIN... — run cmocka test binaries, report every result,
# and end with one line "SUITE: N passed, N failed". Exit 1 if any failed.
suite=$1; shift
passed=0; failed=0; broken=""
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
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
