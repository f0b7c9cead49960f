#!/usr/bin/env bash
# Login burst: N concurrent logins with the right password against a fresh
# demo portal on loopback (right passwords record no failure, so the
# throttle lets every one through to argon2id); prints the answers, the
# time taken and the portal's peak memory. argon2id takes 19 MiB per hash:
# the hasher's bound (one hash per CPU at a time) keeps the peak flat as N
# and PARALLEL grow.
#   scripts/login-burst.sh [N=200] [PARALLEL=50]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
par=${2:-50}
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
go build -o "$dir/iel" ./cmd/iel
"$dir/iel" serve --demo --db "$dir/iel.db" --addr 127.0.0.1:0 >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 50); do grep -q "portail sur" "$dir/out" 2>/dev/null && break; sleep 0.2; done
url=$(sed -n 's/.*portail sur \(http[^ ]*\).*/\1/p' "$dir/out")
login=$(sed -n 's/.*Cholet – gestionnaire CT : identifiant \([A-Z0-9]*\),.*/\1/p' "$dir/out")
echo "portal $url, login $login, before: $(grep VmRSS /proc/$pid/status)"
start=$(date +%s.%N)
seq "$n" | xargs -P "$par" -I{} curl -s -o /dev/null -w "%{http_code}\n" \
  -d "identifiant=$login&mot_de_passe=Demo-iel-2026" "$url/connexion" | sort | uniq -c
end=$(date +%s.%N)
echo "$n logins in $(echo "$end - $start" | bc) s, peak: $(grep VmHWM /proc/$pid/status)"
