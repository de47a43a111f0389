#!/bin/sh
# tools/demo_users.sh DB [ADDR:PORT] — the demo's agencies across regions and
# one user per role (make demo).
#
# Idempotent: agencies and users that exist are left alone. Passwords are
# random for each new user and written to var/demo-credentials.txt (mode
# 600), then printed, so that a new user can sign in at once; nothing here
# is fit for a real deployment, where an administrator creates users with
# `ctwatch users add` or POST /api/v1/users.
set -eu
DB=$1
LISTEN=${2:-127.0.0.1:8080}
BIN=${CTWATCH_BIN:-./bin/ctwatch}
CRED=$(dirname "$DB")/demo-credentials.txt

agency() { # CODE NAME COUNTRY KIND REGIONS
    "$BIN" agencies list --db "$DB" | grep -q "\"code\":\"$1\"" ||
        "$BIN" agencies add "$1" --name "$2" ${3:+--country "$3"} --kind "$4" --regions "$5" --db "$DB" >/dev/null
}
agency FRA-NCB "Interpol NCB Paris" FRA ncb europe,schengen
agency DEU-NCB "Interpol NCB Wiesbaden" DEU ncb europe,schengen
agency KEN-NCB "Interpol NCB Nairobi" KEN ncb east-africa
agency ETH-NCB "Interpol NCB Addis Ababa" ETH ncb east-africa
agency USA-NCB "Interpol NCB Washington" USA ncb americas
agency UN-SC "United Nations Security Council" "" international-organisation international

umask 077
touch "$CRED"
for u in officer.fra:FRA-NCB:officer analyst.fra:FRA-NCB:analyst supervisor.fra:FRA-NCB:supervisor \
         admin.fra:FRA-NCB:agency-admin auditor.fra:FRA-NCB:auditor sysadmin:FRA-NCB:system-admin \
         officer.deu:DEU-NCB:officer analyst.deu:DEU-NCB:analyst officer.ken:KEN-NCB:officer \
         supervisor.ken:KEN-NCB:supervisor officer.eth:ETH-NCB:officer officer.usa:USA-NCB:officer \
         supervisor.un:UN-SC:supervisor; do
    name=${u%%:*}; rest=${u#*:}; agency=${rest%%:*}; role=${rest#*:}
    grep -q "^$name " "$CRED" && continue
    pw="demo-$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')"
    # a user made by an earlier store but missing from the file keeps its password
    printf '%s\n' "$pw" | "$BIN" users add "$name" --agency "$agency" --role "$role" --password-stdin \
        --db "$DB" >/dev/null 2>&1 || continue
    printf '%-15s %-8s %-13s %s\n' "$name" "$agency" "$role" "$pw" >>"$CRED"
done
echo
echo "  Demo agencies: FRA-NCB, DEU-NCB (europe), KEN-NCB, ETH-NCB (east-africa), USA-NCB (americas), UN-SC"
echo "  Demo users (user, agency, role, password; kept in $CRED):"
sed 's/^/    /' "$CRED"
pw=$(awk '$1 == "analyst.fra" { print $4 }' "$CRED")
echo
echo "  Sign in for the API (a session lasts 30 minutes idle, 12 hours at most):"
echo "    TOKEN=\$(curl -s -XPOST $LISTEN/api/v1/login -d '{\"username\":\"analyst.fra\",\"password\":\"$pw\"}' | jq -r .token)"
echo "    curl -s -H \"Authorization: Bearer \$TOKEN\" $LISTEN/api/v1/stats | jq ."
