#!/usr/bin/env bash
# Runs the attack command against the demo API on loopback, as CI does:
# the demo with a short read time (so that the slow-body answers come
# within the run) and low connection caps (so that the conn-cap check
# reaches them with a few hundred connections). The attack's last line is
# "N passed, N failed"; the exit status is the attack's.
#
#   bash benchmarks/attack/attack-demo.sh          # from the module root
#
# ATTACK_PORT_BASE (default 29000) picks the ports: +443 HTTPS, +80 HTTP.
# Extra arguments go to the attack command, such as -only slow-body.
set -euo pipefail
cd "$(dirname "$0")/../.."

base=${ATTACK_PORT_BASE:-29000}
key=attack-demo-key
bin=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$bin"
}
trap cleanup EXIT

go build -o "$bin/demoapi" ./cmd/demoapi
(cd benchmarks && go build -o "$bin/attack" ./attack)

"$bin/demoapi" -api-key "$key" -addr "127.0.0.1:$((base + 443))" -http-addr "127.0.0.1:$((base + 80))" \
	-debug -read-timeout 3s -max-conns 300 -max-conns-per-client 50 >"$bin/demo.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$((base + 443))") 2>/dev/null; then break; fi
	sleep 0.1
done

status=0
"$bin/attack" -insecure -header "X-Server-API-Key: $key" -heap-action /api/v1/debug/memory -slow-conns 200 -conns 400 "$@" \
	"https://127.0.0.1:$((base + 443))/api/v1/messages/list" || status=$?
if [ "$status" -ne 0 ]; then
	echo "attack-demo: the demo's log ends with:" >&2
	tail -n 20 "$bin/demo.log" >&2
fi
exit $status
