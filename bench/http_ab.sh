#!/bin/sh
# bench/http_ab.sh — part 4 of bench/run.sh (HTTP over loopback), for two
# builds side by side: the same store, the same token, the same wrk script
# and settings, the builds alternating round by round (A B, B A, A B, ...)
# so that the noise of a shared machine falls on both alike.
#
#   sh bench/http_ab.sh OLD_CTWATCH NEW_CTWATCH [ROUNDS]
#
# Environment: BENCH_WRK_SECONDS (10), BENCH_WRK_SET (queries, the set of
# part 4's budget row; hit-heavy for its second run), BENCH_SERVER_THREADS (server default
# when empty, as run.sh runs it), BENCH_ACCESS_LOG (none; "file" writes the
# access log to a file in the temp dir), BENCH_OLD_ARGS and BENCH_NEW_ARGS
# (more `ctwatch serve` options for one build), BENCH_WRK_CONNECTIONS (64,
# as part 4; fewer show the latency of a lightly loaded server), BENCH_YENTE,
# CTW_BENCH.
#
# One line per run: requests/s, wrk's p50/p99/p99.9/max, the CPU the server and wrk
# used (in cores: CPU seconds over wall seconds, from perf stat; and the
# server's CPU time per request, the figure least moved by neighbours), the
# fdatasync+fsync calls per second of the server (its audit commits), and
# the machine's idle share while wrk ran. A summary of medians and the
# new/old ratios follows. Nothing is written into the tree.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OLD=${1:?usage: http_ab.sh OLD_CTWATCH NEW_CTWATCH [ROUNDS]}
NEW=${2:?usage: http_ab.sh OLD_CTWATCH NEW_CTWATCH [ROUNDS]}
ROUNDS=${3:-3}
BENCH=${CTW_BENCH:-$ROOT/build/bench/ctw_bench}
DATA=$ROOT/tests/data
YENTE=${BENCH_YENTE:-$ROOT/../shared/data/screening/yente}
SECS=${BENCH_WRK_SECONDS:-10}
THREADS=${BENCH_SERVER_THREADS:-}
LOGMODE=${BENCH_ACCESS_LOG:-none}
SET=${BENCH_WRK_SET:-queries}
CONNS=${BENCH_WRK_CONNECTIONS:-64}
WRK_THREADS=2
[ "$CONNS" -lt 2 ] && WRK_THREADS=1

tmp=$(mktemp -d /tmp/ctw-http-ab.XXXXXX) || exit 1
serve_pid=
cleanup() {
    if [ -n "$serve_pid" ]; then kill -TERM "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

db=$tmp/ctwatch.db
"$NEW" init --db "$db" >/dev/null &&
"$NEW" import --db "$db" --format un-xml "$DATA/un/consolidated-2026-02-27.xml" >/dev/null &&
"$NEW" import --db "$db" --format ofac-csv "$DATA/ofac/sdn.csv" "$DATA/ofac/alt.csv" "$DATA/ofac/add.csv" >/dev/null &&
"$BENCH" wrk-lua "$YENTE" "$SET" "$tmp/screen.lua" 2>/dev/null || { echo "http_ab: setup failed" >&2; exit 1; }
pw="bench passphrase $$ $(date +%s)"
"$NEW" agencies add BENCH-NCB --name "Bench agency" --kind ncb --db "$db" >/dev/null &&
printf '%s\n' "$pw" | "$NEW" users add bench.analyst --agency BENCH-NCB --role analyst --password-stdin --db "$db" >/dev/null &&
token=$(printf '%s\n' "$pw" | "$NEW" login bench.analyst --db "$db" | jq -r .token) || { echo "http_ab: sign-in failed" >&2; exit 1; }
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$token" >>"$tmp/screen.lua"

# idle and total jiffies of the whole machine
cpu_sample() { awk '/^cpu /{ print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat; }

# run LABEL BIN: one server, one wrk run; appends a line to $tmp/runs
run_one() {
    label=$1 bin=$2
    log=none
    [ "$LOGMODE" = file ] && log=$tmp/access-$label.log
    set -- serve --db "$db" --listen 127.0.0.1:0 --access-log "$log"
    [ -n "$THREADS" ] && set -- "$@" --threads "$THREADS"
    # shellcheck disable=SC2086 # word splitting wanted: extra options
    if [ "$label" = old ]; then set -- "$@" ${BENCH_OLD_ARGS:-}; else set -- "$@" ${BENCH_NEW_ARGS:-}; fi
    sync # nothing else's write-back during the run (run.sh says why)
    "$bin" "$@" >"$tmp/serve.out" 2>"$tmp/serve.err" &
    serve_pid=$!
    port= i=0
    while [ $i -lt 600 ]; do
        port=$(sed -n 's/.*"listening":"127\.0\.0\.1:\([0-9][0-9]*\)".*/\1/p' "$tmp/serve.out" | head -n 1)
        [ -n "$port" ] && break
        kill -0 "$serve_pid" 2>/dev/null || break
        sleep 0.1; i=$((i + 1))
    done
    [ -n "$port" ] || { echo "http_ab: $label did not start: $(tail -3 "$tmp/serve.err")" >&2; exit 1; }
    url=http://127.0.0.1:$port
    code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
        --data '{"name":"JANAN AGHA"}' "$url/api/v1/screen")
    [ "$code" = 200 ] || { echo "http_ab: $label probe gave $code" >&2; exit 1; }
    perf stat -x, -e task-clock,syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync -p "$serve_pid" \
        -o "$tmp/perf.srv" -- sleep "$((SECS + 1))" &
    perf_pid=$!
    sleep 0.5
    c0=$(cpu_sample)
    perf stat -x, -e task-clock -o "$tmp/perf.wrk" -- \
        wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECS}s" --timeout 10s --latency -s "$tmp/screen.lua" "$url" >"$tmp/wrk.out" 2>&1
    c1=$(cpu_sample)
    wait "$perf_pid"
    kill -TERM "$serve_pid"; wait "$serve_pid"; serve_pid=
    line=$(grep '^{"wrk":true' "$tmp/wrk.out" | head -n 1)
    [ -n "$line" ] || { echo "http_ab: wrk failed: $(tail -3 "$tmp/wrk.out")" >&2; exit 1; }
    srv_ms=$(awk -F, '$3=="task-clock"{print $1}' "$tmp/perf.srv")
    syncs=$(awk -F, '$3 ~ /sys_enter_f(data)?sync/{s += $1} END {print s + 0}' "$tmp/perf.srv")
    wrk_ms=$(awk -F, '$3=="task-clock"{print $1}' "$tmp/perf.wrk")
    echo "$line" | jq -r --arg l "$label" --arg srv "$srv_ms" --arg wrk "$wrk_ms" --arg sy "$syncs" \
        --arg c0 "$c0" --arg c1 "$c1" --argjson secs "$SECS" '
        ($c0 | split(" ") | map(tonumber)) as $a | ($c1 | split(" ") | map(tonumber)) as $b |
        (.duration_us / 1e6) as $d |
        [$l, (.requests / $d | floor), (.p50_us / 1000), (.p99_us / 1000), (.p999_us / 1000), (.max_us / 1000),
         (($srv | tonumber) / 1000 / ($secs + 1) * 100 | round) / 100,
         (($srv | tonumber) * 1000 / .requests | round),
         (($wrk | tonumber) / 1000 / $d * 100 | round) / 100,
         (($sy | tonumber) / ($secs + 1) | floor),
         ((($b[0] - $a[0]) / ($b[1] - $a[1])) * 100 | round),
         .non2xx, (.connect_errors + .read_errors + .write_errors + .timeouts)] | @tsv' >>"$tmp/runs"
}

printf 'build\treq/s\tp50ms\tp99ms\tp999ms\tmaxms\tsrv_cores\tsrv_us/req\twrk_cores\tsyncs/s\tidle%%\tnon2xx\tsockerr\n' >"$tmp/runs"
r=1
while [ $r -le "$ROUNDS" ]; do
    if [ $((r % 2)) = 1 ]; then run_one old "$OLD"; run_one new "$NEW"
    else run_one new "$NEW"; run_one old "$OLD"; fi
    tail -n 2 "$tmp/runs" >&2
    r=$((r + 1))
done
column -t "$tmp/runs"
echo
awk -F'\t' 'NR > 1 { n[$1]++; rps[$1, n[$1]] = $2; p99[$1, n[$1]] = $4; p999[$1, n[$1]] = $5; srv[$1, n[$1]] = $7; us[$1, n[$1]] = $8; wrk[$1, n[$1]] = $9; sy[$1, n[$1]] = $10 }
function med(arr, b, k,   i, j, t, v) { for (i = 1; i <= k; i++) v[i] = arr[b, i];
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
END {
    for (b in n) printf "%s: median req/s %d, p99 %.2f ms, p99.9 %.2f ms, server %.2f cores and %d us CPU per request, wrk %.2f cores, syncs/s %d (%d runs)\n",
        b, med(rps, b, n[b]), med(p99, b, n[b]), med(p999, b, n[b]), med(srv, b, n[b]), med(us, b, n[b]), med(wrk, b, n[b]), med(sy, b, n[b]), n[b]
    if (n["old"] && n["new"]) printf "new/old (medians): req/s x%.2f, p99 x%.2f, server CPU per request x%.2f\n",
        med(rps, "new", n["new"]) / med(rps, "old", n["old"]), med(p99, "new", n["new"]) / med(p99, "old", n["old"]),
        med(us, "new", n["new"]) / med(us, "old", n["old"])
}' "$tmp/runs"
