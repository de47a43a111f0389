#!/bin/sh
# tools/demo_data.sh DB [ADDR:PORT] — the demo's own records (make demo,
# after tools/demo_users.sh): a few fictitious persons (tests/data/demo)
# owned by FRA-NCB and KEN-NCB, each with its own restriction, so that a
# user sees the sharing rules work in minutes; then a short "try this".
#
# Idempotent: a second import changes nothing, and each restriction is set
# to what it already is.
set -eu
DB=$1
LISTEN=${2:-127.0.0.1:8080}
BIN=${CTWATCH_BIN:-./bin/ctwatch}
DATA=$(dirname "$0")/../tests/data/demo
CRED=$(dirname "$DB")/demo-credentials.txt

"$BIN" import --db "$DB" --format ftm --owner FRA-NCB --source demo-fra "$DATA/fra.ftm.jsonl" >/dev/null
"$BIN" import --db "$DB" --format ftm --owner KEN-NCB --source demo-ken "$DATA/ken.ftm.jsonl" >/dev/null

# The record id of a demo person by name, from the owner's list of reviews
# (every record has a review date five years on).
record() { # OWNER NAME
    "$BIN" reviews --db "$DB" --agency "$1" --within 36500 |
        jq -r --arg n "$2" '.reviews[] | select(.name == $n) | .record' | head -1
}
restrict() { # OWNER NAME KIND [LIST]
    id=$(record "$1" "$2")
    [ -n "$id" ] || { echo "demo_data: no record for $2" >&2; exit 1; }
    "$BIN" restrict --db "$DB" "$id" --kind "$3" ${4:+--list "$4"} >/dev/null
}
restrict FRA-NCB "Marcel Ombrevaux" all
restrict FRA-NCB "Lucien Pradelle-Harcourt" regions europe
restrict FRA-NCB "Anouk Belcastel" agencies DEU-NCB,USA-NCB
restrict FRA-NCB "Gaspard Teyssandier" all-except DEU-NCB
restrict FRA-NCB "Severin Malrouge" hit-only
restrict KEN-NCB "Otieno Kamaraweru" regions east-africa
restrict KEN-NCB "Wanjiru Ndegemuthi" all

cat <<TRY

  Demo records (fictitious persons, tests/data/demo):
    FRA-NCB  Marcel Ombrevaux           all agencies
    FRA-NCB  Lucien Pradelle-Harcourt   the europe region
    FRA-NCB  Anouk Belcastel            DEU-NCB and USA-NCB only
    FRA-NCB  Gaspard Teyssandier        all but DEU-NCB
    FRA-NCB  Severin Malrouge           hit-only
    KEN-NCB  Otieno Kamaraweru          the east-africa region
    KEN-NCB  Wanjiru Ndegemuthi         all agencies

  Try this (in another shell, once the server below is listening):
    login() { curl -s -XPOST $LISTEN/api/v1/login -d "{\"username\":\"\$1\",\"password\":\"\$(awk -v u=\$1 '\$1 == u { print \$4 }' $CRED)\"}" | jq -r .token; }
    screen() { curl -s -H "Authorization: Bearer \$(login \$1)" $LISTEN/api/v1/screen -d "{\"name\":\"\$2\"}" | jq -c '.hits[0] | {record, name, score, message}'; }
    screen officer.deu "Severin Malrouge"           # hit-only: "hit: contact FRA-NCB", no name
    screen officer.deu "Lucien Pradelle-Harcourt"   # europe: DEU-NCB reads it
    screen officer.ken "Lucien Pradelle-Harcourt"   # not in europe: contact FRA-NCB
    screen officer.deu "Gaspard Teyssandier"        # all but DEU-NCB: contact FRA-NCB
    screen officer.usa "Anouk Belcastel"            # listed: USA-NCB reads it
    screen officer.eth "Otieno Kamaraweru"          # east-africa: ETH-NCB reads it
    screen officer.fra "Otieno Kamaraweru"          # FRA-NCB: contact KEN-NCB
    curl -s -H "Authorization: Bearer \$(login supervisor.fra)" "$LISTEN/api/v1/reviews?within=2000" | jq .
    curl -s -H "Authorization: Bearer \$(login admin.fra)" $LISTEN/api/v1/users | jq .
TRY
