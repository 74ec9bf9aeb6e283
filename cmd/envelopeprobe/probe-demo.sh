#!/usr/bin/env bash
# Runs envelopeprobe against the demo API over real TLS and plain HTTP, as
# the README shows: once with the demo in maintenance mode (the maintenance
# cases), once over HTTP/2, then the full suite, whose "N passed, N failed"
# is the last line, and whose summary must be the one README.md shows. The
# demos run in production mode, as they would be deployed, with -debug: a
# 500 must show nothing of the panic.
# Exits non-zero if either run fails. Only loopback addresses are used.
#
#   bash cmd/envelopeprobe/probe-demo.sh            # from the module root
#
# PROBE_PORT_BASE (default 28000) picks the ports: +443 HTTPS, +80 HTTP,
# +444 and +81 for the maintenance instance.
set -euo pipefail
cd "$(dirname "$0")/../.."

base=${PROBE_PORT_BASE:-28000}
key=probe-demo-key
bin=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$bin"
}
trap cleanup EXIT

go build -o "$bin/demoapi" ./cmd/demoapi
go build -o "$bin/envelopeprobe" ./cmd/envelopeprobe

# start NAME HTTPS_PORT HTTP_PORT [FLAGS...]: a demo in the background.
start() {
	local name=$1 https=$2 http=$3
	shift 3
	"$bin/demoapi" -debug -api-key "$key" -addr "127.0.0.1:$https" -http-addr "127.0.0.1:$http" "$@" >"$bin/$name.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$https") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$http") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "probe-demo: the $name demo did not start:" >&2
	cat "$bin/$name.log" >&2
	return 1
}

start normal $((base + 443)) $((base + 80))
start maintenance $((base + 444)) $((base + 81)) -maintenance

probe=("$bin/envelopeprobe" -insecure -toolkit-codes
	-header "X-Server-API-Key: $key"
	-params '{"page":1}' -int-field page
	-panic-action /api/v1/debug/panic
	-production -panic-value 'debug/panic was called')

status=0
echo "== envelopeprobe against the demo in maintenance mode"
"${probe[@]}" -maintenance -http-url "http://127.0.0.1:$((base + 81))" \
	"https://127.0.0.1:$((base + 444))/api/v1/messages/list" |
	grep -v '^SKIP' | sed 's/^\([0-9]* passed, [0-9]* failed\)$/maintenance: \1/' || status=1

echo "== envelopeprobe against the demo over HTTP/2"
"${probe[@]}" -http2 -http-url "http://127.0.0.1:$((base + 80))" \
	"https://127.0.0.1:$((base + 443))/api/v1/messages/list" |
	grep -v '^SKIP' | sed 's/^\([0-9]* passed, [0-9]* failed\)$/http2: \1/' || status=1

echo "== envelopeprobe against the demo"
"${probe[@]}" -http-url "http://127.0.0.1:$((base + 80))" \
	"https://127.0.0.1:$((base + 443))/api/v1/messages/list" | tee "$bin/full.log" || status=1

# The README shows the summary of this run: the rules checked and the
# counts must be the ones the probe prints.
summary() { sed -n '/^rules checked:/,/^[0-9]* passed, [0-9]* failed$/p' "$1"; }
if [ "$(summary README.md)" != "$(summary "$bin/full.log")" ]; then
	echo "probe-demo: the README's probe summary is not what the probe printed:" >&2
	diff <(summary README.md) <(summary "$bin/full.log") >&2 || true
	status=1
fi
exit $status
