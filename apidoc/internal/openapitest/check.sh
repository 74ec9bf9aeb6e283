#!/usr/bin/env bash
# check.sh checks the demo API's OpenAPI documents (cmd/envelopedoc's golden
# files, which a test keeps equal to what the demo publishes) with the tools
# users run on them:
#   - kin-openapi (this module's tests): both documents are valid, and every
#     answer the demo gives to its actions and to the conformance suite
#     matches its operation, with only declared error codes;
#   - @redocly/cli lint, with the rules in redocly.yaml;
#   - openapi-typescript, whose client must compile with tsc --strict
#     against fixture.ts, which narrows answers on status and code.
# The npm tools are installed, at fixed versions, in a temporary directory.
# Needs Go, Node.js 20.19 or later, and npm (the npm registry).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
golden="$root/cmd/envelopedoc/testdata"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step() { printf '\n--- %s\n' "$*"; }

step "the golden documents are what the demo publishes"
(cd "$root" && go test -count=1 -run 'TestOpenAPIGolden|TestNoConst' ./cmd/envelopedoc)

step "kin-openapi: documents valid, every answer matches its operation"
(cd "$here" && go vet ./... && go test -race -count=1 ./...)

step "npm tools"
node -e 'const [a, b] = process.versions.node.split(".").map(Number); if (a < 20 || a === 20 && b < 19) { console.error("check.sh: @redocly/cli needs Node.js 20.19 or later; this is " + process.version); process.exit(1) }'
npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error \
	@redocly/cli@2.77.0 openapi-typescript@7.13.0 typescript@5.9.3
bin="$tmp/node_modules/.bin"

step "redocly lint"
"$bin/redocly" lint --config "$here/redocly.yaml" "$golden/openapi-3.1.json" "$golden/openapi-3.0.json"

for v in 3.1 3.0; do
	step "openapi-typescript $v, then tsc --strict against fixture.ts"
	mkdir -p "$tmp/ts$v"
	"$bin/openapi-typescript" "$golden/openapi-$v.json" -o "$tmp/ts$v/demo.ts"
	cp "$here/fixture.ts" "$tmp/ts$v/"
	"$bin/tsc" --strict --noEmit --target es2020 --module es2020 --moduleResolution bundler \
		"$tmp/ts$v/fixture.ts" "$tmp/ts$v/demo.ts"
	echo "compiled"
done
echo
echo "check.sh: all checks passed"
