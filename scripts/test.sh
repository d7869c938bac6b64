#!/usr/bin/env bash
# Runs every suite (C#, TypeScript, end-to-end) and prints one total line: `tests: N passed, N failed`.
# Every suite runs even when an earlier one fails, so one run shows everything that is broken.
# SKIP_E2E=1 leaves out the code-server suite (for a quick local loop; CI never sets it).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
logs=$root/test-results/logs
mkdir -p "$logs"
passed=0
failed=0

# Adds a suite's counts; a suite that exits non-zero without reporting a failure counts as one failure,
# so a crash or a build error can never read as green.
tally() {
  local name=$1 rc=$2 p=$3 f=$4
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  echo "== $name: $p passed, $f failed (exit $rc)"
  passed=$((passed + p))
  failed=$((failed + f))
}

echo "== build and package (npm run package: extension bundle, sidecar, sync server, VSIX and its check)"
if ! npm run --silent package > "$logs/build.log" 2>&1; then
  tail -60 "$logs/build.log"
  tally package 1 0 1
  echo "tests: $passed passed, $failed failed"
  exit 1
fi

# The process tests of Host.Tests run what ships: dist/'s NativeAOT sidecar (unset, they run the JIT build).
export OFFLINE_SIDECAR_BINARY="$root/dist/sidecar/offline-sidecar"

# The disk-order tests (Host.Tests) watch the sidecar's system calls with strace; README: apt-get needs root.
if ! command -v strace > /dev/null; then
  sudo_cmd=; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq strace > /dev/null; } ||
    echo "warning: strace could not be installed; the disk-order tests will fail"
fi

# The sync server's tests also run every protocol test on PostgreSQL: a throwaway cluster (scripts/postgres.sh, which
# installs Debian's postgresql when missing) for the .NET suites. Without it those tests skip locally, and fail under CI=true.
postgres_dir=
stop_postgres() {
  if [ -n "$postgres_dir" ]; then bash scripts/postgres.sh stop "$postgres_dir"; postgres_dir=; fi
}
trap stop_postgres EXIT
if [ -z "${OFFLINE_SYNC_TEST_POSTGRES:-}" ]; then
  echo "== start a throwaway PostgreSQL cluster (scripts/postgres.sh)"
  postgres_dir=$(mktemp -d "${TMPDIR:-/tmp}/offline-sync-postgres.XXXXXX")
  if url=$(bash scripts/postgres.sh start "$postgres_dir" 2> "$logs/postgres.log"); then
    export OFFLINE_SYNC_TEST_POSTGRES=$url
  else
    cat "$logs/postgres.log"
    echo "warning: PostgreSQL could not be started; the sync server's PostgreSQL tests will fail (CI) or skip"
    rm -rf "$postgres_dir"; postgres_dir=
  fi
fi

for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  log=$logs/$name.log
  echo "== dotnet test $name"
  dotnet test "$proj" --logger "console;verbosity=normal" > "$log" 2>&1
  rc=$?
  # VSTest closes with "Total tests: N" then "     Passed: N" / "     Failed: N" lines (normal verbosity),
  # or "Failed!  - Failed: 1, Passed: 56, ..." (minimal verbosity).
  p=$(grep -E '^[[:space:]]+Passed:[[:space:]]*[0-9]+[[:space:]]*$' "$log" | tail -1 | grep -oE '[0-9]+')
  f=$(grep -E '^[[:space:]]+Failed:[[:space:]]*[0-9]+[[:space:]]*$' "$log" | tail -1 | grep -oE '[0-9]+')
  if [ -z "$p$f" ]; then
    summary=$(grep -E 'Failed:[[:space:]]*[0-9]+, Passed:[[:space:]]*[0-9]+' "$log" | tail -1)
    p=$(echo "$summary" | sed -nE 's/.*Passed:[[:space:]]*([0-9]+).*/\1/p')
    f=$(echo "$summary" | sed -nE 's/.*Failed:[[:space:]]*([0-9]+),.*/\1/p')
  fi
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ]; then grep -E '^\s+Failed |error|Error Message' "$log" | head -40; fi
  tally "$name" "$rc" "$p" "$f"
done

# The protocol conformance suite (tests/conformance) against a server: one line per check, then
# "conformance: N passed, N failed, N skipped"; every check counts as a test, skipped ones not at all.
conformance_against() { # label url admin-url...
  local label=$1 url=$2 admin=() log p f rc
  shift 2
  for a in "$@"; do admin+=(--admin "$a"); done
  log=$logs/conformance-$label.log
  bash scripts/conformance.sh --server "$url" --token conformance-a --token2 conformance-b "${admin[@]}" > "$log" 2>&1
  rc=$?
  p=$(sed -nE 's/^conformance: ([0-9]+) passed, ([0-9]+) failed.*/\1/p' "$log" | tail -1)
  f=$(sed -nE 's/^conformance: ([0-9]+) passed, ([0-9]+) failed.*/\2/p' "$log" | tail -1)
  [ "$rc" -ne 0 ] && { grep -E -A3 '^FAIL' "$log" | head -40; tail -5 "$log"; }
  tally "conformance $label" "$rc" "${p:-0}" "${f:-0}"
}

# Tokens of two accounts, so the per-account checks run too.
conformance_accounts=(--token conformance-a --account other=conformance-b)

run_conformance() { # label server-args...   one reference server with these arguments (its store)
  local label=$1 out pid url waited=0
  shift
  out=$(mktemp)
  dist/sync-server/offline-sync-server --port 0 "${conformance_accounts[@]}" "$@" < /dev/null > "$out" 2> "$logs/conformance-$label-server.log" &
  pid=$!
  while ! url=$(sed -n 's/^listening on //p' "$out" | grep .) && kill -0 "$pid" 2> /dev/null && [ "$waited" -lt 300 ]; do
    sleep 0.1; waited=$((waited + 1))
  done
  if [ -z "$url" ]; then
    tail -20 "$logs/conformance-$label-server.log"
    tally "conformance $label" 1 0 1
  else
    conformance_against "$label" "$url" "$url"
  fi
  kill "$pid" 2> /dev/null; wait "$pid" 2> /dev/null
  rm -f "$out"
}

run_conformance_replicas() { # label N server-args...   N replicas with these arguments behind haproxy (scripts/replicas.sh)
  local label=$1 n=$2 dir state
  shift 2
  dir=$root/test-results/replicas-$label
  state=$dir/state
  if ! REPLICAS_DIR=$dir bash scripts/replicas.sh start "$n" -- "${conformance_accounts[@]}" "$@" > "$logs/conformance-$label-start.log" 2>&1; then
    tail -20 "$logs/conformance-$label-start.log"
    tally "conformance $label" 1 0 1
    return
  fi
  # Faults are per replica: the suite switches them on every replica's own admin URL.
  conformance_against "$label" "$(sed -n 's/^balancer=//p' "$state")" $(sed -n 's/^replica_[0-9]*_url=//p' "$state")
  REPLICAS_DIR=$dir bash scripts/replicas.sh stop > /dev/null
}

echo "== conformance suite: the reference server (SQLite), and 3 replicas on one SQLite file behind haproxy"
conformance_data=$(mktemp -d)
run_conformance sqlite --data-dir "$conformance_data/single"
# Several processes on one SQLite file keep every guarantee (each write holds SQLite's write lock) but are a smoke test
# of the balancer and of per-replica faults, not a deployment.
run_conformance_replicas sqlite-replicas 3 --data-dir "$conformance_data/shared"
rm -rf "$conformance_data"

# The same suite on the PostgreSQL store, one server and three stateless replicas on one database behind haproxy
# (each in a schema of its own in the throwaway cluster).
if [ -n "${OFFLINE_SYNC_TEST_POSTGRES:-}" ]; then
  echo "== conformance suite: PostgreSQL, one server and 3 replicas behind haproxy"
  for schema in conformance_single conformance_replicas; do
    psql -q "$OFFLINE_SYNC_TEST_POSTGRES" -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" > /dev/null 2>> "$logs/postgres.log"
  done
  run_conformance postgres --store "$OFFLINE_SYNC_TEST_POSTGRES?Search%20Path=conformance_single"
  run_conformance_replicas postgres-replicas 3 --store "$OFFLINE_SYNC_TEST_POSTGRES?Search%20Path=conformance_replicas"
elif [ "${CI:-}" = true ]; then
  tally "conformance postgres" 1 0 1
fi
stop_postgres

# Coverage-guided fuzzing (afl++ + SharpFuzz) of the sidecar's message handling, one minute; the inputs it ever
# found are replayed by Host.Tests (FuzzRegressionTests). FUZZ_SECONDS=0 leaves it out (a quick local loop).
if [ "${FUZZ_SECONDS:-60}" != "0" ]; then
  echo "== fuzz (afl++, ${FUZZ_SECONDS:-60} s)"
  bash fuzz/afl.sh "${FUZZ_SECONDS:-60}" > "$logs/fuzz.log" 2>&1
  rc=$?
  tail -3 "$logs/fuzz.log"
  if [ "$rc" -eq 0 ]; then tally fuzz 0 1 0; else tally fuzz "$rc" 0 1; fi
fi

# node's test runner closes with "# pass N" / "# fail N".
node_counts() { # log -> "pass fail"
  local p f
  p=$(grep -E '^# pass [0-9]+' "$1" | tail -1 | awk '{print $3}')
  f=$(grep -E '^# fail [0-9]+' "$1" | tail -1 | awk '{print $3}')
  echo "${p:-0} ${f:-0}"
}

echo "== typescript tests"
npm run --silent test:ts > "$logs/typescript.log" 2>&1
rc=$?
read -r p f < <(node_counts "$logs/typescript.log")
[ "$rc" -ne 0 ] && grep -E '^not ok|# Subtest|Error' "$logs/typescript.log" | head -40
tally typescript "$rc" "$p" "$f"

if [ "${SKIP_E2E:-0}" != "1" ]; then
  echo "== end-to-end tests (code-server + Playwright)"
  E2E_PACKAGE=never npm run --silent test:e2e > "$logs/e2e.log" 2>&1
  rc=$?
  read -r p f < <(node_counts "$logs/e2e.log")
  [ "$rc" -ne 0 ] && tail -60 "$logs/e2e.log"
  tally e2e "$rc" "$p" "$f"
fi

echo "== test run took $SECONDS s"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
