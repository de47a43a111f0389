#!/bin/sh
# cli_test.sh — the ctwatch program as a user runs it: every command, its
# JSON output, its exit status, and bad input that must change nothing.
# Ends with "cli: N passed, N failed".
set -u
BIN=${CTWATCH_BIN:-$(pwd)/bin/ctwatch}
DATA=tests/data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ctwcli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok()   { passed=$((passed + 1)); }
bad()  { echo "  FAIL: $1"; failed=$((failed + 1)); }
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$2', got '$3'"; fi
}
db="$tmp/c.db"
OFAC="$DATA/ofac/sdn.csv $DATA/ofac/alt.csv $DATA/ofac/add.csv"

"$BIN" help >/dev/null; check "help exits 0" 0 $?
"$BIN" no-such-command 2>/dev/null; check "unknown command exits 2" 2 $?
"$BIN" stats --db "$db" 2>"$tmp/err"; check "stats without a store fails" 1 $?
grep -q "ctwatch init" "$tmp/err"; check "missing store message names ctwatch init" 0 $?

"$BIN" init --db "$db" >"$tmp/out"; check "init" 0 $?
check "init reports the current schema" "$("$BIN" version | jq .schema)" "$(jq .schema_version "$tmp/out")"

"$BIN" import --db "$db" --format un-xml "$DATA/un/consolidated-2026-02-27.xml" >"$tmp/out"; check "import UN" 0 $?
check "UN persons added" 730 "$(jq .added.person "$tmp/out")"
check "UN organisations added" 273 "$(jq .added.organisation "$tmp/out")"
"$BIN" import --db "$db" --format un-xml "$DATA/un/consolidated-2026-02-27.xml" >"$tmp/out"; check "re-import UN" 0 $?
check "UN re-import changes nothing" '0 0 0 1003' "$(jq -r '.total | "\(.added) \(.changed) \(.removed) \(.unchanged)"' "$tmp/out")"

# shellcheck disable=SC2086
"$BIN" import --db "$db" --format ofac-csv $OFAC >"$tmp/out"; check "import OFAC" 0 $?
check "OFAC counts" '4620 3673 406 277' "$(jq -r '.added | "\(.person) \(.organisation) \(.vessel) \(.aircraft)"' "$tmp/out")"
# shellcheck disable=SC2086
"$BIN" import --db "$db" --format ofac-csv $OFAC >"$tmp/out"
check "OFAC re-import changes nothing" '0 0 0 8976' "$(jq -r '.total | "\(.added) \(.changed) \(.removed) \(.unchanged)"' "$tmp/out")"

"$BIN" stats --db "$db" --json >"$tmp/stats.before"; check "stats --json" 0 $?
check "stats un-sc persons" 730 "$(jq '.by_source["un-sc"].person' "$tmp/stats.before")"
check "stats ofac vessels" 406 "$(jq '.by_source["ofac-sdn"].vessel' "$tmp/stats.before")"

# a truncated UN list and an OFAC file with a broken quote: clear error, nothing changes
head -c 700000 "$DATA/un/consolidated-2026-02-27.xml" >"$tmp/truncated.xml"
"$BIN" import --db "$db" --format un-xml "$tmp/truncated.xml" >/dev/null 2>"$tmp/err"; check "truncated XML fails" 1 $?
grep -q "truncated.xml:[0-9]" "$tmp/err"; check "truncated XML error names file:line" 0 $?
printf '%s\n' '36,"AEROCARIBBEAN AIRLINES,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0-' >"$tmp/sdn.csv"
"$BIN" import --db "$db" --format ofac-csv "$tmp/sdn.csv" >/dev/null 2>"$tmp/err"; check "broken quote fails" 1 $?
grep -q "sdn.csv:1" "$tmp/err"; check "broken quote error names file:line" 0 $?
"$BIN" stats --db "$db" --json >"$tmp/stats.after"
cmp -s "$tmp/stats.before" "$tmp/stats.after"; check "failed imports leave stats unchanged" 0 $?
"$BIN" import --db "$db" --format nope x 2>/dev/null; check "unknown format exits 2" 2 $?

# serve's thread options: refused before anything starts (the API suites run the server itself)
"$BIN" serve --db "$db" --workers 0 2>"$tmp/err"; check "serve --workers 0 exits 2" 2 $?
grep -q -- "--workers: expected 1 to 1024" "$tmp/err"; check "serve --workers 0 says the range" 0 $?
"$BIN" serve --db "$db" --workers 2x 2>/dev/null; check "serve --workers 2x exits 2" 2 $?
"$BIN" serve --db "$db" --threads 257 2>"$tmp/err"; check "serve --threads 257 exits 2" 2 $?
grep -q -- "--threads: expected 1 to 256" "$tmp/err"; check "serve --threads 257 says the range" 0 $?
"$BIN" serve --help | grep -q -- "--workers"; check "serve --help names --workers" 0 $?

id=$(sqlite3 "$db" "SELECT id FROM records WHERE source='un-sc' AND source_id='QDi.290'")
"$BIN" show --db "$db" "$id" >"$tmp/show"; check "show" 0 $?
check "show gives the listing reference" QDi.290 "$(jq -r .source_id "$tmp/show")"
check "show keeps the original-script name" true "$(jq '[.names[] | select(.kind == "original-script")] | length > 0' "$tmp/show")"
"$BIN" show --db "$db" ctw-nope 2>/dev/null; check "show unknown id fails" 1 $?

# export → import round trip into a fresh store
"$BIN" export --db "$db" --format ftm --source un-sc --output "$tmp/un.ftm.json"; check "export" 0 $?
check "export writes a line per entity or more" true "$(test "$(wc -l <"$tmp/un.ftm.json")" -ge 1003 && echo true)"
"$BIN" init --db "$tmp/d.db" >/dev/null
"$BIN" import --db "$tmp/d.db" --format ftm --source un-copy "$tmp/un.ftm.json" >"$tmp/out"; check "import the export" 0 $?
check "round trip persons/orgs" '730 273' "$(jq -r '.added | "\(.person) \(.organisation)"' "$tmp/out")"
"$BIN" export --db "$db" --format csv 2>/dev/null; check "unknown export format exits 2" 2 $?


# screening from the command line
"$BIN" screen --db "$db" --name "Usama bin Ladin" --limit 3 >"$tmp/screen"; check "screen" 0 $?
check "screen finds bin Laden first" true "$(jq '.[0].name | test("LADIN|LADEN|Ladin|Laden")' "$tmp/screen")"
check "screen first hit is an alert" alert "$(jq -r '.[0].decision' "$tmp/screen")"
"$BIN" screen --db "$db" --name "Laden" --threshold 0.1 >"$tmp/screen"
check "one-word query never alerts" false "$(jq '[.[] | select(.decision == "alert")] | length > 0' "$tmp/screen")"
"$BIN" screen --db "$db" --name "x" --dob 1970-13-01 >/dev/null 2>"$tmp/err"; check "bad birth date exits 2" 2 $?
grep -q "dob" "$tmp/err"; check "bad birth date error names the field" 0 $?
printf '%s\n' '{"id":"q1","name":"EMRAAN ALI","dob":"1967-07-04","nationality":"TTO"}' 'not json' \
  '{"id":"q3","name":"Zyxw Qvutsr"}' >"$tmp/batch.jsonl"
"$BIN" screen --db "$db" --batch "$tmp/batch.jsonl" >"$tmp/out"; check "batch with a bad line exits 1" 1 $?
check "batch answers every line" 3 "$(wc -l <"$tmp/out" | tr -d ' ')"
check "batch first line hits QDi.430" true "$(sed -n 1p "$tmp/out" | jq '[.hits[].source_id] | index("QDi.430") != null')"
check "batch bad line is an error" invalid "$(sed -n 2p "$tmp/out" | jq -r '.error.code')"
check "batch third line has no hits" 0 "$(sed -n 3p "$tmp/out" | jq '.hits | length')"
n=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action='screen'")
check "screenings were audited (not the refused one)" 3 "$n"

printf '%s\n' '{"id":"p1","a":"Olaf Scholz","b":"Olaf Scholz","schema":"Person"}' \
  '{"id":"p2","a":"Olaf Scholz","b":"Angela Merkel"}' '{"id":"p3","a":"x"}' >"$tmp/pairs.jsonl"
"$BIN" compare --batch "$tmp/pairs.jsonl" >"$tmp/out"; check "compare with a bad line exits 1" 1 $?
check "compare identical" 1 "$(sed -n 1p "$tmp/out" | jq '.score')"
check "compare different people below review" true "$(sed -n 2p "$tmp/out" | jq '.score < 0.7')"
check "compare bad line" invalid "$(sed -n 3p "$tmp/out" | jq -r '.error.code')"

"$BIN" synth persons 50 --seed 7 >"$tmp/s1"; check "synth persons" 0 $?
"$BIN" synth persons 50 --seed 7 >"$tmp/s2"
cmp -s "$tmp/s1" "$tmp/s2"; check "synth is deterministic" 0 $?
"$BIN" init --db "$tmp/s.db" >/dev/null
"$BIN" import --db "$tmp/s.db" --format ftm "$tmp/s1" >"$tmp/out"; check "synth imports as FtM" 0 $?
check "synth gives 50 persons" 50 "$(jq .added.person "$tmp/out")"
"$BIN" synth persons 0 2>/dev/null; check "synth 0 persons is a usage error" 2 $?

# synthetic stolen and lost travel documents: the import CSV, deterministic
"$BIN" synth documents 200 --seed 7 >"$tmp/d1"; check "synth documents" 0 $?
"$BIN" synth documents 200 --seed 7 >"$tmp/d2"
cmp -s "$tmp/d1" "$tmp/d2"; check "synth documents is deterministic" 0 $?
"$BIN" synth documents 200 --seed 8 >"$tmp/d3"
cmp -s "$tmp/d1" "$tmp/d3"; check "another seed gives other documents" 1 $?
check "synth documents header" "issuing_state,type,number,status,reported,owner" "$(head -n 1 "$tmp/d1")"
check "synth documents gives 200 rows" 201 "$(wc -l <"$tmp/d1" | tr -d ' ')"
check "every row has 6 fields" 0 "$(tail -n +2 "$tmp/d1" | awk -F, 'NF != 6' | wc -l | tr -d ' ')"
check "every status is one of the five" 0 \
  "$(tail -n +2 "$tmp/d1" | cut -d, -f4 | grep -cvE '^(stolen|lost|revoked|invalidated|stolen-blank)$')"
"$BIN" synth documents 50 --seed 7 >"$tmp/d4"
check "50 documents are the first 50 of 200" "$(head -n 51 "$tmp/d1" | cksum)" "$(cksum <"$tmp/d4")"
"$BIN" synth documents 20 --seed 7 --output "$tmp/d5"; check "synth documents --output" 0 $?
check "--output writes the same bytes" "$(head -n 21 "$tmp/d1" | cksum)" "$(cksum <"$tmp/d5")"
"$BIN" synth documents 0 2>/dev/null; check "synth 0 documents is a usage error" 2 $?
"$BIN" synth vehicles 5 2>/dev/null; check "synth unknown kind is a usage error" 2 $?


# machine readable zones (ICAO 9303 specimen), joined with | or on two lines
printf '%s\n%s\n' 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<' 'L898902C36UTO7408122F1204159ZE184226B<<<<<10' \
  | "$BIN" mrz >"$tmp/mrz"; check "mrz" 0 $?
check "mrz reads the specimen" 'TD3 true ERIKSSON ANNA MARIA' "$(jq -r '"\(.format) \(.valid) \(.primary_identifier) \(.secondary_identifier)"' "$tmp/mrz")"
printf '%s\n' 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<11' \
  | "$BIN" mrz >"$tmp/mrz"
check "mrz reports a wrong check digit" false "$(jq '.valid' "$tmp/mrz")"
printf '%s\n' 'NOT AN MRZ' | "$BIN" mrz >"$tmp/mrz"; check "mrz with a bad line still exits 0" 0 $?
check "mrz says why" true "$(jq '.errors | length > 0' "$tmp/mrz")"

# identities (issue 5): agencies with regions, users, logins, API keys
"$BIN" agencies add FRA-NCB --name "Interpol NCB Paris" --country France --kind ncb --regions europe,schengen \
  --db "$db" >"$tmp/out"; check "agencies add" 0 $?
check "agencies add stores alpha-3" FRA "$(jq -r .country "$tmp/out")"
"$BIN" agencies add FRA-NCB --name again --kind ncb --db "$db" 2>"$tmp/err"; check "agencies add twice fails" 1 $?
"$BIN" agencies add XX --name x --kind club --db "$db" 2>/dev/null; check "agencies add bad kind fails" 1 $?
"$BIN" agencies list --db "$db" >"$tmp/out"; check "agencies list" 0 $?
check "agencies list shows the regions" europe,schengen "$(jq -r 'select(.code == "FRA-NCB") | .regions' "$tmp/out")"
printf '%s\n' 'correct horse battery' | "$BIN" users add anne --agency FRA-NCB --role analyst --password-stdin \
  --db "$db" >"$tmp/out"; check "users add" 0 $?
check "users add answers the role" analyst "$(jq -r .role "$tmp/out")"
"$BIN" users add bob --agency FRA-NCB --role analyst --password 'correct horse battery' --db "$db" \
  </dev/null 2>/dev/null; check "no password on the command line" 2 $?
printf '%s\n' 'short' | "$BIN" users add bob --agency FRA-NCB --role analyst --db "$db" 2>"$tmp/err"
check "short password refused" 1 $?
grep -q "12 characters" "$tmp/err"; check "short password error says the minimum" 0 $?
printf '%s\n' 'correct horse battery' | "$BIN" users add carl --agency NOPE --role officer --db "$db" 2>/dev/null
check "users add to an unknown agency fails" 1 $?
"$BIN" users list --db "$db" >"$tmp/out"; check "users list" 0 $?
check "users list has anne, enabled" 'anne FRA-NCB true' "$(jq -r '"\(.username) \(.agency) \(.enabled)"' "$tmp/out")"
printf '%s\n' 'correct horse battery' | "$BIN" login anne --db "$db" >"$tmp/login"; check "login" 0 $?
token=$(jq -r .token "$tmp/login")
check "login gives a session token" ctws_ "$(printf '%s' "$token" | cut -c1-5)"
check "login principal carries the regions" europe,schengen "$(jq -r .regions "$tmp/login")"
grep -c "$token" "$db" "$db-wal" 2>/dev/null | grep -qv ':0$'; check "the token is not in the store files" 1 $?
printf '%s\n' 'wrong horse battery' | "$BIN" login anne --db "$db" 2>"$tmp/err.wrong"; check "wrong password refused" 1 $?
printf '%s\n' 'wrong horse battery' | "$BIN" login nobody --db "$db" 2>"$tmp/err.unknown"
check "unknown user refused" 1 $?
cmp -s "$tmp/err.wrong" "$tmp/err.unknown"; check "unknown user and wrong password: the same words" 0 $?
"$BIN" users disable anne --db "$db" >/dev/null; check "users disable" 0 $?
check "users list shows anne disabled" false "$("$BIN" users list --db "$db" | jq .enabled)"
printf '%s\n' 'correct horse battery' | "$BIN" login anne --db "$db" 2>"$tmp/err.disabled"
check "disabled user refused" 1 $?
cmp -s "$tmp/err.wrong" "$tmp/err.disabled"; check "disabled user: the same words" 0 $?
"$BIN" users enable anne --db "$db" >/dev/null; check "users enable" 0 $?
"$BIN" users totp anne --db "$db" >"$tmp/out"; check "users totp" 0 $?
check "users totp prints an otpauth URI" true "$(jq '.uri | startswith("otpauth://totp/ctwatch:anne?secret=")' "$tmp/out")"
printf '%s\n' 'correct horse battery' | "$BIN" login anne --db "$db" 2>/dev/null
check "login without the TOTP code refused" 1 $?
"$BIN" keys add --agency FRA-NCB --name cdg-gate-1 --db "$db" >"$tmp/out" 2>/dev/null; check "keys add" 0 $?
check "keys add scope is screening" screening "$(jq -r .scope "$tmp/out")"
key_id=$(jq -r .id "$tmp/out")
"$BIN" keys revoke "$key_id" --db "$db" >/dev/null; check "keys revoke" 0 $?
check "keys list shows it revoked" true "$("$BIN" keys list --db "$db" | jq '.revoked != null')"
for a in agency-create user-create login login-failed user-disable user-enable user-totp key-create key-revoke; do
  check "audit has $a" true "$(test "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action='$a'")" -ge 1 && echo true)"
done
check "no password in the audit log" 0 "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE detail LIKE '%horse%'")"

# every read left an audit entry, chained
n=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action='read' AND records='$id'")
check "show was audited" 1 "$n"
broken=$(sqlite3 "$db" "SELECT count(*) FROM audit a JOIN audit b ON b.seq = a.seq + 1 WHERE b.prev_hash <> a.hash")
check "audit chain is linked" 0 "$broken"

# the audit log: verify and list (issue 5); an edit behind the store's back is found
n=$(sqlite3 "$db" "SELECT count(*) FROM audit")
"$BIN" audit verify --db "$db" >"$tmp/out"; check "audit verify exits 0" 0 $?
check "audit verify checks every entry" "{\"ok\":true,\"entries\":$n}" "$(cat "$tmp/out")"
check "audit verify is audited after its result" "audit-verify intact: $n entries" \
  "$(sqlite3 "$db" "SELECT action || ' ' || detail FROM audit ORDER BY seq DESC LIMIT 1")"
"$BIN" audit list --db "$db" --limit 2 >"$tmp/out"; check "audit list" 0 $?
check "audit list --limit gives the newest, oldest first" "$n $((n + 1))" "$(jq -s -r 'map(.seq) | join(" ")' "$tmp/out")"
"$BIN" audit list --db "$db" --action screen --user cli --since 2000-01-01 >"$tmp/out"; check "audit list filtered" 0 $?
check "audit list --action --user" 3 "$(jq -s 'map(select(.action == "screen" and .user == "cli")) | length' "$tmp/out")"
check "audit list is audited" audit-read "$(sqlite3 "$db" "SELECT action FROM audit ORDER BY seq DESC LIMIT 1")"
"$BIN" audit list --db "$db" --since yesterday 2>/dev/null; check "audit list bad --since exits 2" 2 $?
"$BIN" audit verify --db "$db" --user x 2>/dev/null; check "audit verify takes no filter" 2 $?
"$BIN" audit nope --db "$db" 2>/dev/null; check "audit unknown subcommand exits 2" 2 $?
adb="$tmp/audit.db"
"$BIN" init --db "$adb" >/dev/null
for _ in 1 2 3 4; do "$BIN" audit verify --db "$adb" >"$tmp/out"; done
check "audit verify on a fresh store" '{"ok":true,"entries":4}' "$(cat "$tmp/out")"
cp "$adb" "$tmp/audit2.db"
sqlite3 "$adb" "DROP TRIGGER audit_no_update; UPDATE audit SET user = 'mallory' WHERE seq = 3"
"$BIN" audit verify --db "$adb" >"$tmp/out"; check "audit verify of a changed entry exits 1" 1 $?
check "audit verify names the changed entry" 'changed 3 2' "$(jq -r '"\(.kind) \(.first_bad_seq) \(.entries_checked)"' "$tmp/out")"
sqlite3 "$tmp/audit2.db" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 5"
"$BIN" audit verify --db "$tmp/audit2.db" >"$tmp/out"; check "audit verify of a cut log exits 1" 1 $?
check "audit verify names the removed newest entry" 'truncated 5' "$(jq -r '"\(.kind) \(.first_bad_seq)"' "$tmp/out")"

# who may see a record (issue 5): set by the owner, here the local administrator
"$BIN" restrict --db "$db" "$id" --kind agencies --list DEU-NCB,BEL-NCB >"$tmp/out"; check "restrict" 0 $?
check "restrict prints the new restriction" 'agencies DEU-NCB,BEL-NCB' "$(jq -r '.restriction | "\(.kind) \(.list)"' "$tmp/out")"
check "show gives the new restriction" 'agencies DEU-NCB,BEL-NCB' "$("$BIN" show --db "$db" "$id" | jq -r '.restriction | "\(.kind) \(.list)"')"
check "restrict is audited" 'restriction-change all -> agencies:DEU-NCB,BEL-NCB' \
  "$(sqlite3 "$db" "SELECT action || ' ' || detail FROM audit WHERE records='$id' AND action LIKE 'restriction%' ORDER BY seq DESC LIMIT 1")"
"$BIN" restrict --db "$db" "$id" --kind agencies 2>/dev/null; check "restrict agencies without a list exits 2" 2 $?
"$BIN" restrict --db "$db" "$id" --kind everyone 2>/dev/null; check "restrict unknown kind exits 2" 2 $?
"$BIN" restrict --db "$db" ctw-nope --kind hit-only 2>/dev/null; check "restrict unknown id fails" 1 $?
check "a refused restrict changes nothing" agencies "$("$BIN" show --db "$db" "$id" | jq -r .restriction.kind)"
"$BIN" restrict --db "$db" "$id" --kind all >/dev/null; check "restrict back to all" 0 $?

# notices (issue 5): every imported record has a published notice of its list's kind
check "every UN record has a published un-special notice" 1003 \
  "$(sqlite3 "$db" "SELECT count(*) FROM notices n JOIN records r ON r.id = n.record_id WHERE r.source = 'un-sc' AND n.kind = 'un-special' AND n.action = 'inform' AND n.state = 'published' AND n.owner = 'UN-SC'")"
check "every OFAC record has a published sanctions notice" 8976 \
  "$(sqlite3 "$db" "SELECT count(*) FROM notices n JOIN records r ON r.id = n.record_id WHERE r.source = 'ofac-sdn' AND n.kind = 'sanctions' AND n.state = 'published' AND n.owner = 'US-OFAC'")"
"$BIN" notices list --db "$db" --record "$id" >"$tmp/out"; check "notices list" 0 $?
check "the record's import notice" 'published un-special inform' "$(jq -r '"\(.state) \(.kind) \(.action)"' "$tmp/out" | head -1)"
"$BIN" notices create --db "$db" --record "$id" --kind red --action arrest --summary "armed" --valid-until 2099-12-31 >"$tmp/out"
check "notices create" 0 $?
nid=$(jq -r .id "$tmp/out")
check "a new notice is a draft of the owner" 'draft UN-SC cli' "$(jq -r '"\(.state) \(.owner) \(.created_by)"' "$tmp/out")"
"$BIN" notices publish --db "$db" "$nid" 2>/dev/null; check "publishing a draft is refused" 1 $?
"$BIN" notices submit --db "$db" "$nid" >/dev/null; check "notices submit" 0 $?
"$BIN" notices publish --db "$db" "$nid" >"$tmp/out"; check "notices publish" 0 $?
check "published by the operator" 'published cli' "$(jq -r '"\(.state) \(.published_by)"' "$tmp/out")"
check "notices show" red "$("$BIN" notices show --db "$db" "$nid" | jq -r .kind)"
"$BIN" notices list --db "$db" --state published --kind red >"$tmp/out"; check "notices list by state and kind" "$nid" "$(jq -r .id "$tmp/out")"
"$BIN" notices cancel --db "$db" "$nid" --reason "arrested" >"$tmp/out"; check "notices cancel" 0 $?
check "cancelled with its reason" 'cancelled arrested' "$(jq -r '"\(.state) \(.cancel_reason)"' "$tmp/out")"
"$BIN" notices cancel --db "$db" "$nid" 2>/dev/null; check "cancelling twice is refused" 1 $?
"$BIN" notices create --db "$db" --record "$id" --kind pink --action arrest 2>/dev/null; check "unknown kind exits 2" 2 $?
"$BIN" notices create --db "$db" --record "$id" --kind red --action arrest --valid-until 2001-01-01 2>/dev/null
check "a past validity exits 2" 2 $?
"$BIN" notices show --db "$db" N-99999999 2>/dev/null; check "unknown notice fails" 1 $?
check "the refusals stored nothing" 1 "$(sqlite3 "$db" "SELECT count(*) FROM notices WHERE kind = 'red'")"
check "notice writes are audited" 'notice-cancel notice-create notice-publish notice-submit' \
  "$(sqlite3 "$db" "SELECT group_concat(action, ' ') FROM (SELECT DISTINCT action FROM audit WHERE action IN ('notice-create','notice-submit','notice-publish','notice-cancel') ORDER BY action)")"

# serve stops gracefully: a request in flight when SIGTERM comes is answered,
# one that arrives while it drains gets 503, and the server exits 0. The
# request is kept in flight by holding the store's write lock (another
# connection's BEGIN IMMEDIATE), so that its audit entry cannot be written.
printf '%s\n' 'stop test passphrase' | "$BIN" users add stopper --agency FRA-NCB --role analyst --password-stdin \
  --db "$db" >/dev/null
stok=$(printf '%s\n' 'stop test passphrase' | "$BIN" login stopper --db "$db" | jq -r .token)
serve_start() { # serve_start ACCESS_LOG: serve $db on a free port; sets spid and port
  "$BIN" serve --db "$db" --listen 127.0.0.1:0 --access-log "$1" >"$tmp/serve.out" 2>"$tmp/serve.err" &
  spid=$!
  port=
  i=0
  while [ $i -lt 300 ] && [ -z "$port" ]; do
    port=$(sed -n 's/.*"listening":"127\.0\.0\.1:\([0-9][0-9]*\)".*/\1/p' "$tmp/serve.out" | head -n 1)
    [ -n "$port" ] || sleep 0.1
    i=$((i + 1))
  done
}
serve_start none
check "serve listens" true "$([ -n "$port" ] && echo true)"
screen_code() { # screen_code OUT SECONDS: POST one screening, print the HTTP status
  curl -s -o "$1" -w '%{http_code}' --max-time "$2" -H 'Content-Type: application/json' -H "Authorization: Bearer $stok" \
    --data '{"name":"JANAN AGHA"}' "http://127.0.0.1:$port/api/v1/screen"
}
check "a screening before the stop" 200 "$(screen_code "$tmp/s0.json" 30)"
audits_before=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = 'screen' AND user = 'stopper'")
mkfifo "$tmp/lock.fifo"
sqlite3 "$db" <"$tmp/lock.fifo" >/dev/null 2>&1 &
lpid=$!
exec 3>"$tmp/lock.fifo"
printf '%s\n' '.timeout 5000' 'BEGIN IMMEDIATE;' 'SELECT 1;' >&3
sleep 0.5
screen_code "$tmp/s1.json" 60 >"$tmp/s1.code" &
cpid=$!
sleep 2
# the premise: that request waits for its audit entry (the lock holds it)
check "a request is in flight at the stop" true "$(kill -0 "$cpid" 2>/dev/null && echo true)"
kill -TERM "$spid"
code=
i=0
while [ $i -lt 20 ] && [ "$code" != 503 ]; do
  code=$(screen_code "$tmp/s2.json" 3)
  [ "$code" = 503 ] || sleep 0.1
  i=$((i + 1))
done
check "a request while stopping gets 503" 503 "$code"
check "the 503 says why" unavailable "$(jq -r .error.code "$tmp/s2.json" 2>/dev/null)"
printf '%s\n' 'ROLLBACK;' '.quit' >&3
exec 3>&-
wait "$lpid"
wait "$cpid"
check "the request in flight is answered" 200 "$(cat "$tmp/s1.code")"
check "its answer is the screening's" true "$(jq '.hits | length > 0' "$tmp/s1.json" 2>/dev/null)"
wait "$spid"; check "serve exits 0 after SIGTERM" 0 $?
check "the answered requests were audited, the refused ones not" $((audits_before + 1)) \
  "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = 'screen' AND user = 'stopper'")"

# An access log that cannot take a write does not stop the answers: the
# log is a FIFO that nobody reads (this shell holds it open read-write, so
# the server's open does not wait), which fills after 64 KiB. 1,500 requests
# make ~300 KB of lines: each is answered all the same, since only the
# flusher thread writes the file. Then a reader drains it, and at the stop
# every line is there.
mkfifo "$tmp/access.fifo"
exec 4<>"$tmp/access.fifo"
serve_start "$tmp/access.fifo"
check "serve listens with a FIFO as its access log" true "$([ -n "$port" ] && echo true)"
: >"$tmp/urls"
i=0
while [ $i -lt 1500 ]; do echo "url = \"http://127.0.0.1:$port/api/v1/stats\"" >>"$tmp/urls"; i=$((i + 1)); done
timeout 60 curl -s -K "$tmp/urls" -o /dev/null --max-time 20 -w '%{http_code}\n' >"$tmp/codes" 2>/dev/null
check "1,500 requests answered while the log is blocked" 1500 "$(grep -c '^401$' "$tmp/codes")"
timeout 60 cat "$tmp/access.fifo" >"$tmp/access.got" &
rpid=$!
exec 4<&-
kill -TERM "$spid"; wait "$spid"; check "serve exits 0 with its log drained late" 0 $?
wait "$rpid"
check "every request has its line" 1500 \
  "$(jq -c 'select(.path == "/api/v1/stats" and .status == 401)' "$tmp/access.got" 2>/dev/null | wc -l | tr -d ' ')"

# When the log stays blocked for longer, lines gather up to the cap (32
# chunks of 64 KiB, server.c) and then requests wait rather than lose their
# lines. 20,000 requests make ~3 MB of lines: the answers stop once ~2 MiB
# are held (lines do not straddle chunks, so a little less; and curl's count
# may lag: three quarters of it is asked), and go on, every one with its
# line, once a reader drains the log.
# the mean line length, from the lines of the same requests drained above
avg=$(awk '{n += length($0) + 1} END {if (NR) printf "%d", n / NR}' "$tmp/access.got")
rm -f "$tmp/access.fifo"
mkfifo "$tmp/access.fifo"
exec 4<>"$tmp/access.fifo"
serve_start "$tmp/access.fifo"
# two config lines a request: its URL, and its body thrown away (-o would only take the first)
yes "$(printf 'url = "http://127.0.0.1:%s/api/v1/stats"\noutput = "/dev/null"' "$port")" | head -n 40000 >"$tmp/urls"
timeout 120 curl -s -N -Z --parallel-max 16 -K "$tmp/urls" --max-time 90 -w '%{http_code}\n' \
  >"$tmp/codes" 2>/dev/null &
cpid=$!
last=-1
n=0
i=0
while [ $i -lt 30 ]; do # until no answer came for 2 s (up to 60 s)
  sleep 2
  n=$(wc -l <"$tmp/codes" | tr -d ' ')
  [ "$n" = "$last" ] && break
  last=$n
  i=$((i + 1))
done
check "with the log blocked, answers stop before all 20,000" true "$([ "$n" -lt 20000 ] && echo true)"
check "... only once ~2 MiB of lines are held (32 chunks)" true \
  "$([ "$avg" -gt 0 ] && [ "$n" -ge $((3 * 32 * 65536 / 4 / avg)) ] && echo true)"
timeout 120 cat "$tmp/access.fifo" >"$tmp/access.got" &
rpid=$!
exec 4<&-
wait "$cpid"
check "once the log is read, all 20,000 are answered" 20000 "$(grep -c '^401$' "$tmp/codes")"
kill -TERM "$spid"; wait "$spid"; check "serve exits 0 after the long block" 0 $?
wait "$rpid"
check "and every one has its line" 20000 \
  "$(jq -c 'select(.path == "/api/v1/stats" and .status == 401)' "$tmp/access.got" 2>/dev/null | wc -l | tr -d ' ')"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
