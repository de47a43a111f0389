#!/bin/sh
# bench/run.sh — the driver of `make bench` (see bench/README.md).
#
#   1. in-process UN + OFAC screening          (ctw_bench lists)
#   2. the PostgreSQL peer on the same queries  (own PostgreSQL 15 in a temp dir, ctw_bench pg)
#   3. synthetic persons                        (ctw_bench synth; BENCH_SYNTH=0 skips it)
#   4. HTTP over loopback                       (ctwatch serve + wrk)
#   5. travel: MRZ, stolen and lost documents (travel_bench; BENCH_DOCS sizes it)
#   6. a 400-passenger PAXLST screened whole (manifest_bench)
# then bench/RESULTS.md, regenerated whole (ctw_bench report, then the
# Markdown sections parts 5 and 6 print).
#
# BENCH_PARTS="http" (any of: lists pg synth http travel manifest) runs only
# those parts and writes no RESULTS.md (that is regenerated whole, by a full
# run only): the parts' JSON and Markdown are printed on stdout instead.
# To compare two builds' HTTP figures side by side, see bench/http_ab.sh.
#
# A part that fails is reported as such in RESULTS.md; the others still run.
# Everything temporary (PostgreSQL cluster, store, server) is stopped and
# removed on exit, also on failure or interrupt. Traffic goes only to
# 127.0.0.1 and a Unix socket in the temp dir.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
BENCH=${CTW_BENCH:-$ROOT/build/bench/ctw_bench}
CTWATCH=${CTWATCH_BIN:-$ROOT/bin/ctwatch}
DATA=$ROOT/tests/data
YENTE=${BENCH_YENTE:-$ROOT/../shared/data/screening/yente}
PGBIN=${BENCH_PG_BIN:-/usr/lib/postgresql/15/bin}
BENCH_SYNTH=${BENCH_SYNTH:-1}
BENCH_SYNTH_N=${BENCH_SYNTH_N:-1000000}
WRK_SECONDS=${BENCH_WRK_SECONDS:-15}
WRK_THREADS=2
WRK_CONNECTIONS=64
# empty: the server's default (a connection thread per core and 16 workers, see src/http/server.c)
SERVER_THREADS=${BENCH_SERVER_THREADS:-}
OUT=$ROOT/bench/RESULTS.md
ALL_PARTS="lists pg synth http travel manifest"
BENCH_PARTS=${BENCH_PARTS:-$ALL_PARTS}
for p in $BENCH_PARTS; do
    case " $ALL_PARTS " in *" $p "*) ;; *) echo "bench: unknown part '$p' in BENCH_PARTS ($ALL_PARTS)" >&2; exit 2 ;; esac
done
# want PART: is PART to run?
want() { case " $BENCH_PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
# skip PART: record that it did not run in this invocation
skip() { jq -n '{ok: false, error: "not run (BENCH_PARTS)"}' >"$res/$1.json"; }

for f in "$BENCH" "$CTWATCH"; do
    [ -x "$f" ] || { echo "bench: $f is missing (run make bench)" >&2; exit 1; }
done
[ -d "$YENTE" ] || { echo "bench: no yente fixtures at $YENTE" >&2; exit 1; }

tmp=$(mktemp -d /tmp/ctw-bench.XXXXXX) || exit 1
res=$tmp/results
mkdir -p "$res"
pgdir=
pg_started=0
serve_pid=

# Run a command as the PostgreSQL user when we are root (PostgreSQL refuses root).
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_stop() {
    if [ "$pg_started" = 1 ]; then
        as_pg "$PGBIN/pg_ctl" -D "$pgdir/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
            as_pg "$PGBIN/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1
        pg_started=0
    fi
}

serve_stop() {
    if [ -n "$serve_pid" ]; then
        kill -TERM "$serve_pid" 2>/dev/null
        wait "$serve_pid" 2>/dev/null
        serve_pid=
    fi
}

# shellcheck disable=SC2317 # called by the trap
cleanup() {
    serve_stop
    pg_stop
    [ -n "$pgdir" ] && rm -rf "$pgdir"
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

say() { echo "bench: $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }

# fail PART MESSAGE: record why a part has no figures.
fail() {
    say "$1 failed: $2"
    jq -n --arg e "$2" '{ok: false, error: $e}' >"$res/$1.json"
}

# The last lines of a part's stderr, for the failure message.
errtail() { tail -n 3 "$1" 2>/dev/null | tr '\n' ' ' | cut -c1-400; }

# run NAME CMD...: run a part, its messages both shown and kept in $tmp/NAME.err;
# returns its exit status.
run() {
    name=$1
    shift
    { "$@" 2>&1; echo $? >"$tmp/$name.rc"; } | tee "$tmp/$name.err" | sed -u 's/^/bench:   /' >&2
    return "$(cat "$tmp/$name.rc" 2>/dev/null || echo 1)"
}

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git status --porcelain 2>/dev/null | head -1)" ] && commit="$commit + uncommitted changes"
jq -n --arg c "$commit" '{ok: true, commit: $c}' >"$res/meta.json"

# ---- 1. in-process UN + OFAC -------------------------------------------------
if ! want lists; then
    skip lists
else
say "1/4 in-process UN + OFAC (about 20 s)"
if ! run lists timeout --foreground 240 "$BENCH" lists "$DATA" "$YENTE" "$res/lists.json"; then
    fail lists "ctw_bench lists: $(errtail "$tmp/lists.err")"
fi
fi

# ---- 2. PostgreSQL ------------------------------------------------------------
pg_part() {
    [ -x "$PGBIN/initdb" ] || { fail pg "PostgreSQL 15 is not installed ($PGBIN/initdb)"; return; }
    pgdir=$(mktemp -d /tmp/ctw-bench-pg.XXXXXX) || { fail pg "mktemp"; return; }
    if [ "$(id -u)" = 0 ]; then chown postgres: "$pgdir" || { fail pg "chown postgres $pgdir"; return; }; fi
    if ! as_pg "$PGBIN/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$pgdir/initdb.log" 2>&1; then
        fail pg "initdb: $(errtail "$pgdir/initdb.log")"
        return
    fi
    port=$("$BENCH" free-port) || { fail pg "no free port"; return; }
    # fsync off: a throwaway cluster; it only speeds up the load, not the queries.
    if ! as_pg "$PGBIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
        -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 2>&1; then
        pg_started=1
        fail pg "pg_ctl start: $(errtail "$pgdir/server.log")"
        return
    fi
    pg_started=1
    if ! run pg timeout --foreground 240 "$BENCH" pg "$DATA" "$YENTE" "host=$pgdir port=$port user=postgres dbname=postgres" \
        "$res/pg.json"; then
        fail pg "ctw_bench pg: $(errtail "$tmp/pg.err")"
    fi
    pg_stop
}
if want pg; then
    say "2/4 PostgreSQL peer (about 1 min)"
    pg_part
else
    skip pg
fi

# ---- 3. synthetic persons -----------------------------------------------------
if ! want synth; then
    skip synth
elif [ "$BENCH_SYNTH" = 0 ]; then
    say "3/4 synthetic persons: skipped (BENCH_SYNTH=0)"
    jq -n '{ok: false, error: "skipped (BENCH_SYNTH=0)"}' >"$res/synth.json"
else
    say "3/4 $BENCH_SYNTH_N synthetic persons (a few minutes for a million)"
    if ! run synth timeout --foreground 660 "$BENCH" synth "$YENTE" "$BENCH_SYNTH_N" "$res/synth.json"; then
        fail synth "ctw_bench synth: $(errtail "$tmp/synth.err")"
    fi
fi

# ---- 4. HTTP over loopback ----------------------------------------------------
http_part() {
    command -v wrk >/dev/null || { fail http "wrk is not installed"; return; }
    db=$tmp/http/ctwatch.db
    mkdir -p "$tmp/http"
    # The UN import into a new store, three times: the median is reported
    # (one run of a 0.4 s step is at the mercy of a busy neighbour). The
    # last store, with OFAC added, is the one served.
    un_runs=
    for k in 1 2 3; do
        rm -f "$db" "$db-wal" "$db-shm"
        "$CTWATCH" init --db "$db" >/dev/null 2>"$tmp/http.err" || { fail http "ctwatch init: $(errtail "$tmp/http.err")"; return; }
        t0=$(now)
        "$CTWATCH" import --db "$db" --format un-xml "$DATA/un/consolidated-2026-02-27.xml" >/dev/null 2>"$tmp/http.err" ||
            { fail http "ctwatch import UN: $(errtail "$tmp/http.err")"; return; }
        t1=$(now)
        un_runs="$un_runs $(elapsed "$t0" "$t1")"
    done
    un_median=$(printf '%s\n' $un_runs | sort -g | sed -n 2p)
    "$CTWATCH" import --db "$db" --format ofac-csv "$DATA/ofac/sdn.csv" "$DATA/ofac/alt.csv" "$DATA/ofac/add.csv" \
        >/dev/null 2>"$tmp/http.err" || { fail http "ctwatch import OFAC: $(errtail "$tmp/http.err")"; return; }
    t2=$(now)
    # two sets of bodies (ctw_bench.c, cmd_wrk_lua): the query set of parts 1
    # and 2, the budget's figure; then a hit-heavy set, half of it alerts
    for set in queries hit-heavy; do
        "$BENCH" wrk-lua "$YENTE" "$set" "$tmp/screen-$set.lua" 2>"$tmp/http.err" ||
            { fail http "wrk-lua $set: $(errtail "$tmp/http.err")"; return; }
    done
    # the API screens for a signed-in user: an analyst of a bench agency
    pw="bench passphrase $$ $(date +%s)"
    { "$CTWATCH" agencies add BENCH-NCB --name "Bench agency" --kind ncb --db "$db" &&
      printf '%s\n' "$pw" | "$CTWATCH" users add bench.analyst --agency BENCH-NCB --role analyst --password-stdin --db "$db" &&
      token=$(printf '%s\n' "$pw" | "$CTWATCH" login bench.analyst --db "$db" | jq -r .token) &&
      [ -n "$token" ] && [ "$token" != null ]; } >/dev/null 2>"$tmp/http.err" ||
        { fail http "sign-in: $(errtail "$tmp/http.err")"; return; }
    for set in queries hit-heavy; do
        printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$token" >>"$tmp/screen-$set.lua"
    done

    # The earlier parts leave dirty files in the page cache (PostgreSQL's
    # cluster, run with fsync off, among them); the kernel writes them back
    # 30 s later, and the device then answers the server's fdatasync calls
    # in tens of ms instead of 0.2 (bench/README.md, "Other files'
    # write-back"). Written out now, they do not land in this part.
    sync
    # shellcheck disable=SC2046 # no --threads at all when SERVER_THREADS is empty
    "$CTWATCH" serve --db "$db" --listen 127.0.0.1:0 $([ -n "$SERVER_THREADS" ] && echo --threads "$SERVER_THREADS") \
        --access-log "$tmp/http/access.log" >"$tmp/serve.out" 2>"$tmp/serve.err" &
    serve_pid=$!
    port=
    i=0
    while [ $i -lt 600 ]; do   # up to 60 s: the server builds its index before listening
        port=$(sed -n 's/.*"listening":"127\.0\.0\.1:\([0-9][0-9]*\)".*/\1/p' "$tmp/serve.out" | head -n 1)
        [ -n "$port" ] && break
        kill -0 "$serve_pid" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    if [ -z "$port" ]; then
        fail http "ctwatch serve did not start: $(errtail "$tmp/serve.err")"
        serve_stop
        return
    fi
    url=http://127.0.0.1:$port
    code=$(curl -sS -o "$tmp/probe.json" -w '%{http_code}' -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
        --data '{"name":"JANAN AGHA"}' "$url/api/v1/screen" 2>"$tmp/http.err")
    if [ "$code" != 200 ] || ! jq -e '.hits | type == "array"' "$tmp/probe.json" >/dev/null 2>&1; then
        fail http "probe POST /api/v1/screen gave HTTP $code: $(head -c 300 "$tmp/probe.json" 2>/dev/null)"
        serve_stop
        return
    fi
    for set in queries hit-heavy; do
        date -u +%Y-%m-%dT%H:%M:%S.%3NZ >"$tmp/wrk-$set.from"
        wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" --timeout 10s --latency -s "$tmp/screen-$set.lua" "$url" \
            >"$tmp/wrk-$set.out" 2>&1
        rc=$?
        date -u +%Y-%m-%dT%H:%M:%S.%3NZ >"$tmp/wrk-$set.to"
        line=$(grep '^{"wrk":true' "$tmp/wrk-$set.out" | head -n 1)
        if [ $rc != 0 ] || [ -z "$line" ]; then
            serve_stop
            fail http "wrk ($set) exited $rc: $(errtail "$tmp/wrk-$set.out")"
            return
        fi
        sed "s/^/bench:   wrk ($set): /" "$tmp/wrk-$set.out" | grep -v '"wrk":true' >&2
        echo "$line" >"$tmp/wrk-$set.json"
    done
    alive=1
    kill -0 "$serve_pid" 2>/dev/null || alive=0
    serve_stop
    if [ $alive = 0 ]; then
        fail http "ctwatch serve died during the run: $(errtail "$tmp/serve.err")"
        return
    fi
    # The server's own view of each run, from its access log (written in
    # full at the stop): each screening's time from its headers read to its
    # answer sent, nearest-rank percentiles, beside wrk's.
    for set in queries hit-heavy; do
        jq -r --arg a "$(cat "$tmp/wrk-$set.from")" --arg b "$(cat "$tmp/wrk-$set.to")" \
            'select(.path == "/api/v1/screen" and .time >= $a and .time <= $b) | .duration_ms' "$tmp/http/access.log" |
            sort -g | awk '{ v[NR] = $1 }
                function at(p,   r) { r = int(p * NR + 0.999999); if (r < 1) r = 1; return v[r] }
                END { printf "{\"requests\":%d,\"p50_ms\":%s,\"p90_ms\":%s,\"p99_ms\":%s,\"p999_ms\":%s,\"max_ms\":%s}\n",
                      NR, at(0.5), at(0.9), at(0.99), at(0.999), v[NR] }' >"$tmp/server-$set.json" ||
            { fail http "could not read the access log"; return; }
        jq --slurpfile sv "$tmp/server-$set.json" '. + {server: $sv[0]}' "$tmp/wrk-$set.json" >"$tmp/wrk-$set.j2" &&
            mv "$tmp/wrk-$set.j2" "$tmp/wrk-$set.json"
    done
    jq --argjson un "$un_median" --argjson ofac "$(elapsed "$t1" "$t2")" \
        --argjson st "${SERVER_THREADS:-0}" --argjson wt "$WRK_THREADS" --argjson c "$WRK_CONNECTIONS" \
        --argjson s "$WRK_SECONDS" --slurpfile hh "$tmp/wrk-hit-heavy.json" \
        '. + {ok: true, import_un_s: $un, import_ofac_s: $ofac, server_threads: $st, wrk_threads: $wt,
              connections: $c, seconds: $s, hit_heavy: $hh[0]}' "$tmp/wrk-queries.json" >"$res/http.json" ||
        fail http "could not read wrk's summaries: $(cat "$tmp/wrk-queries.json" "$tmp/wrk-hit-heavy.json")"
}
if want http; then
    say "4/4 HTTP over loopback with wrk (about $((2 * WRK_SECONDS + 10)) s)"
    http_part
else
    skip http
fi

TRAVEL_BENCH=${CTW_TRAVEL_BENCH:-$ROOT/build/bench/travel_bench}
MANIFEST_BENCH=${CTW_MANIFEST_BENCH:-$ROOT/build/bench/manifest_bench}
BENCH_DOCS=${BENCH_DOCS:-100000000}
status=0
: >"$tmp/travel.md"
: >"$tmp/manifest.md"
if want travel; then
say "5/6 travel documents and MRZ ($BENCH_DOCS documents; a few minutes at 100 million)"
if ! "$TRAVEL_BENCH" --docs "$BENCH_DOCS" >"$tmp/travel.md" 2>"$tmp/travel.err"; then
    say "travel part failed: $(tail -3 "$tmp/travel.err")"
    printf '## Travel documents and MRZ\n\nNot measured in this run: %s\n\n' "$(tail -1 "$tmp/travel.err")" >"$tmp/travel.md"
    status=1
fi
fi
if want manifest; then
say "6/6 a 400-passenger PAXLST"
if ! "$MANIFEST_BENCH" --data "$DATA" >"$tmp/manifest.md" 2>"$tmp/manifest.err"; then
    say "manifest part failed: $(tail -3 "$tmp/manifest.err")"
    printf '## Manifest screening\n\nNot measured in this run: %s\n\n' "$(tail -1 "$tmp/manifest.err")" >"$tmp/manifest.md"
    status=1
fi
fi

# ---- only some parts: print them, leave RESULTS.md alone -------------------------
if [ "$BENCH_PARTS" != "$ALL_PARTS" ]; then
    for p in lists pg synth http; do
        want "$p" || continue
        printf '%s: ' "$p"
        jq -c . "$res/$p.json" 2>/dev/null || echo '{"ok":false,"error":"no result"}'
        jq -e '.ok' "$res/$p.json" >/dev/null 2>&1 || status=1
    done
    cat "$tmp/travel.md" "$tmp/manifest.md"
    say "BENCH_PARTS=\"$BENCH_PARTS\": $OUT not written"
    exit $status
fi

# ---- RESULTS.md ---------------------------------------------------------------
"$BENCH" report "$res" "$OUT" || { say "report failed"; exit 1; }
cat "$tmp/travel.md" "$tmp/manifest.md" >>"$OUT"
say "wrote $OUT"
for p in lists pg synth http; do
    if ! jq -e '.ok' "$res/$p.json" >/dev/null 2>&1; then
        case "$p" in synth) [ "$BENCH_SYNTH" = 0 ] && continue ;; esac
        status=1
    fi
done
[ $status = 0 ] || say "some parts failed; see $OUT"
exit $status
