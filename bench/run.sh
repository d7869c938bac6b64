#!/usr/bin/env bash
# Benchmarks against the PUBLISHED binaries in dist/ (built by `npm run build` when missing).
#   bash bench/run.sh [all|enqueue|query|sqlite|startup|drain|server|documents|team|queuefile]...
#   bash bench/run.sh crashloop|soak|windows  → bench/reliability.sh (not part of all)
#   bash bench/run.sh jsonrpc [--aot] [--calls N] [--rounds R]   (= node bench/jsonrpc-compare.mjs: StreamJsonRpc vs ours)
# queuefile (LiteDB vs SQLite for the queue: rate, fsyncs, 200 kill -9, two processes; ~10 min) runs only when named;
# it and jsonrpc need no dist/ binaries. Its knobs: BENCH_QUEUEFILE_OPS (3000), BENCH_QUEUEFILE_ROUNDS (3),
#   BENCH_KILLS (200), BENCH_KILL_SECONDS (300 per engine), BENCH_KILL_WRITERS (4),
#   BENCH_KILL_ENGINES (litedb,litedb-shared,store), BENCH_TWO_PROCESS_OPS (500), BENCH_TWO_PROCESS_TRIALS (5),
#   BENCH_QUEUEFILE_PARTS (rate,fsync,kill,two).
# Prints a markdown table and writes test-results/bench/{<scenario>.json,latest.json,latest.md}.
# These are measurements, not tests: nothing here asserts or fails on a missed target.
# Knobs (environment): BENCH_TMP (scratch dir, default the system temp; keep it on the repo's disk),
#   BENCH_ENQUEUE_OPS (20000), BENCH_QUERY_ROWS (1000000), BENCH_STATUS_CALLS (1000), BENCH_PAGE_CALLS (200),
#   BENCH_SQLITE_ROWS (100000), BENCH_SQLITE_COMMIT_ROWS (2000), BENCH_STARTUP_RUNS (20), BENCH_IDLE_SECONDS (5),
#   BENCH_DRAIN_OPS (100000), BENCH_DRAIN_WARMUP (5000; 0 = measure the cold drain only), BENCH_DOWN_SECONDS (5),
#   BENCH_ENQUEUE_CONFIGS (e.g. "full:8,normal:1,full:8:loop": only these synchronous:callers[:loop] runs),
#   BENCH_SERVER_COMMANDS (100000), BENCH_SERVER_CALLERS ("1,4": the server-only runs, one per client count),
#   BENCH_SERVER_STORES ("sqlite"; "sqlite,postgres" repeats them on PostgreSQL: BENCH_POSTGRES, a postgres:// URL,
#   else a throwaway cluster from scripts/postgres.sh for the run),
#   BENCH_TEAM ("sqlite,pg1,pg2,pg4": 8 sidecars draining at once into one SQLite server, or N PostgreSQL replicas
#   behind haproxy; PostgreSQL as for BENCH_SERVER_STORES), BENCH_TEAM_OPS (40000, shared by the 8 sidecars),
#   BENCH_DRAIN_PARTS ("rpc,breakdown,flush"; "headline" = only the first rpc run; "store" = store alone, BENCH_STORE_BATCHES), BENCH_SIDECAR_ALT (another sidecar build to compare start-up with),
#   BENCH_SIDECAR (measure this sidecar binary instead of dist/'s, for enqueue/drain A/B of two builds).
set -euo pipefail
cd "$(dirname "$0")/.."
# The reliability runs (crash loop, fault soak, many windows) check what they measure: bench/reliability.sh runs them.
case "${1:-}" in crashloop|soak|windows) exec bash bench/reliability.sh "$@" ;; esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export BENCH_REPO="$PWD"

if [ "${1:-}" = "jsonrpc" ]; then
  shift
  exec node bench/jsonrpc-compare.mjs "$@"
fi

# The server scenario needs only the server; queuefile needs neither; the others need both.
need_sidecar=1 need_server=1
[ "$*" = "server" ] && need_sidecar=0
[ "$*" = "queuefile" ] && need_sidecar=0 need_server=0
if { [ "$need_sidecar" = 1 ] && [ ! -x dist/sidecar/offline-sidecar ]; } || { [ "$need_server" = 1 ] && [ ! -x dist/sync-server/offline-sync-server ]; }; then
  echo "== dist/ binaries missing: npm run build"
  npm run build
fi

tmp="${BENCH_TMP:-${TMPDIR:-/tmp}}"
mkdir -p "$tmp"
if [ "$(stat -c %d .)" != "$(stat -c %d "$tmp")" ]; then
  echo "warning: $tmp is not on the repository's disk; set BENCH_TMP to a directory on it" >&2
fi

# A snapshot of the published binaries: other work may rebuild dist/ while a long run is under way.
snapshot=$(mktemp -d "$tmp/offline-bench-dist.XXXXXX")
trap 'rm -rf "$snapshot"' EXIT
[ "$need_server" = 0 ] || cp -a dist/sync-server "$snapshot/"
[ "$need_sidecar" = 0 ] || cp -a dist/sidecar "$snapshot/"
# BENCH_SIDECAR set by the caller measures that sidecar instead (e.g. SIDECAR_PUBLISH=r2r's build, kept elsewhere).
export BENCH_SIDECAR="${BENCH_SIDECAR:-$snapshot/sidecar/offline-sidecar}" BENCH_SYNC_SERVER="$snapshot/sync-server/offline-sync-server"

team_postgres=0
if [[ " $* " == *" team "* || " $* " == *" all "* || $# -eq 0 ]] && [[ "${BENCH_TEAM:-sqlite,pg1,pg2,pg4}" == *pg* ]]; then team_postgres=1; fi
if { [[ ",${BENCH_SERVER_STORES:-}," == *,postgres,* ]] || [ "$team_postgres" = 1 ]; } && [ -z "${BENCH_POSTGRES:-}" ]; then
  postgres_dir=$(mktemp -d "${TMPDIR:-/tmp}/offline-bench-postgres.XXXXXX")
  trap 'bash scripts/postgres.sh stop "$postgres_dir"; rm -rf "$snapshot"' EXIT
  echo "== throwaway PostgreSQL cluster (scripts/postgres.sh)"
  BENCH_POSTGRES=$(bash scripts/postgres.sh start "$postgres_dir")
  export BENCH_POSTGRES
fi

echo "== build bench (Release)"
dotnet build bench/OfflineSidecar.Bench -c Release -nologo -v quiet -o bench/OfflineSidecar.Bench/bin/run
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load:$(cut -d' ' -f1-3 /proc/loadavg)"
[ "$need_sidecar" = 0 ] || echo "== sidecar $("$BENCH_SIDECAR" --version), published $(date -r dist/sidecar/offline-sidecar -u +%FT%TZ)"
[ "$need_server" = 0 ] || echo "== sync server published $(date -r dist/sync-server/offline-sync-server -u +%FT%TZ)"
dotnet bench/OfflineSidecar.Bench/bin/run/OfflineSidecar.Bench.dll "${@:-all}"
