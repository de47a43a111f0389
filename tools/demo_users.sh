#!/bin/sh
# tools/demo_users.sh DB [ADDR:PORT] — the demo's agencies and one user per role (make demo).
#
# Idempotent: users that exist are left alone. Passwords are random for each
# new store and written to var/demo-credentials.txt (mode 600), then printed,
# so that a new user can sign in at once; nothing here is fit for a real
# deployment, where an administrator creates users with `ctwatch users add`.
set -eu
DB=$1
LISTEN=${2:-127.0.0.1:8080}
BIN=${CTWATCH_BIN:-./bin/ctwatch}
CRED=$(dirname "$DB")/demo-credentials.txt

agency() { # CODE NAME COUNTRY REGIONS
    "$BIN" agencies list --db "$DB" | grep -q "\"code\":\"$1\"" ||
        "$BIN" agencies add "$1" --name "$2" --country "$3" --kind ncb --regions "$4" --db "$DB" >/dev/null
}
agency FRA-NCB "Interpol NCB Paris" FRA europe,schengen
agency DEU-NCB "Interpol NCB Wiesbaden" DEU europe,schengen
agency KEN-NCB "Interpol NCB Nairobi" KEN east-africa

if [ ! -s "$CRED" ]; then
    umask 077
    : >"$CRED"
    for u in officer.fra:FRA-NCB:officer analyst.fra:FRA-NCB:analyst supervisor.fra:FRA-NCB:supervisor \
             admin.fra:FRA-NCB:agency-admin auditor.fra:FRA-NCB:auditor sysadmin:FRA-NCB:system-admin \
             analyst.deu:DEU-NCB:analyst officer.ken:KEN-NCB:officer; do
        name=${u%%:*}; rest=${u#*:}; agency=${rest%%:*}; role=${rest#*:}
        pw="demo-$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')"
        printf '%s\n' "$pw" | "$BIN" users add "$name" --agency "$agency" --role "$role" --password-stdin \
            --db "$DB" >/dev/null
        printf '%-15s %-8s %-13s %s\n' "$name" "$agency" "$role" "$pw" >>"$CRED"
    done
fi
echo
echo "  Demo users (user, agency, role, password; kept in $CRED):"
sed 's/^/    /' "$CRED"
pw=$(awk '$1 == "analyst.fra" { print $4 }' "$CRED")
echo
echo "  Sign in for the API (a session lasts 30 minutes idle, 12 hours at most):"
echo "    TOKEN=\$(curl -s -XPOST $LISTEN/api/v1/login -d '{\"username\":\"analyst.fra\",\"password\":\"$pw\"}' | jq -r .token)"
echo "    curl -s -H \"Authorization: Bearer \$TOKEN\" $LISTEN/api/v1/stats | jq ."
