#!/usr/bin/env bash
# The protocol conformance suite (tests/conformance): compiles it with tsc into out/conformance and runs it.
#   bash scripts/conformance.sh --server URL [--token T] [--token2 T2] [--admin URL]... [--only PART]... [--list]
# One line per check, then `conformance: N passed, N failed, N skipped`; exit 1 on any failure. See docs/sync-protocol.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund > /dev/null
npx tsc -p tests/conformance
exec node out/conformance/cli.js "$@"
