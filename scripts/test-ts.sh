#!/usr/bin/env bash
# Compiles the extension, its tests and the conformance suite's own tests (tests/conformance: the suite against
# rule-breaking servers, scripts/replicas.sh with haproxy) with tsc into out/ and runs them with node's test runner;
# the output ends with node's "# pass N" / "# fail N" lines, which scripts/test.sh reads.
# Tests that drive the real sidecar or sync server need `npm run build` first (they fail, not skip, without it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
rm -rf out
npx tsc -p .
exec node --test --test-reporter=tap --test-concurrency=1 out/tests/extension/*.test.js out/tests/conformance/*.test.js
