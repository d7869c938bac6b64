#!/usr/bin/env bash
# The reliability runs at bench size against the PUBLISHED sidecar (dist/sidecar/offline-sidecar, NativeAOT; built by
# `npm run build` when missing). They are the tests CI runs at a small size (tests/OfflineSidecar.Integration.Tests/
# Reliability, docs/reliability.md), sized here by environment variables:
#   bash bench/reliability.sh [crashloop|soak|windows]...   (default: all three)
#   crashloop  RELIABILITY_KILLS (1000), RELIABILITY_SEED_DOCUMENTS (20000), RELIABILITY_PULL_BURST (5000)
#   soak       RELIABILITY_SOAK_SECONDS (600), RELIABILITY_SOAK_RESTART_SECONDS (60)
#   windows    RELIABILITY_WINDOWS (10), RELIABILITY_LEADER_KILLS (100)
#   all        RELIABILITY_SEED (18): the runs' random choices and the server's faults
# Prints each run's figures (also in test-results/reliability/<run>.md) and exits non-zero when a guarantee failed:
# unlike bench/run.sh these runs check what they measure.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ ! -x dist/sidecar/offline-sidecar ]; then
  echo "== dist/sidecar missing: npm run build"
  npm run build
fi

# A snapshot of the published sidecar: other work may rebuild dist/ while a long run is under way.
snapshot=$(mktemp -d "${TMPDIR:-/tmp}/offline-reliability.XXXXXX")
trap 'rm -rf "$snapshot"' EXIT
cp -a dist/sidecar "$snapshot/"
export RELIABILITY_SIDECAR="$snapshot/sidecar/offline-sidecar"
export RELIABILITY_KILLS="${RELIABILITY_KILLS:-1000}" RELIABILITY_SEED_DOCUMENTS="${RELIABILITY_SEED_DOCUMENTS:-20000}"
export RELIABILITY_PULL_BURST="${RELIABILITY_PULL_BURST:-5000}"
export RELIABILITY_SOAK_SECONDS="${RELIABILITY_SOAK_SECONDS:-600}" RELIABILITY_SOAK_RESTART_SECONDS="${RELIABILITY_SOAK_RESTART_SECONDS:-60}"
export RELIABILITY_WINDOWS="${RELIABILITY_WINDOWS:-10}" RELIABILITY_LEADER_KILLS="${RELIABILITY_LEADER_KILLS:-100}"

echo "== build tests/OfflineSidecar.Integration.Tests (Release)"
dotnet build tests/OfflineSidecar.Integration.Tests -c Release -nologo -v quiet
echo "== machine: $(nproc) cores, load:$(cut -d' ' -f1-3 /proc/loadavg); sidecar $("$RELIABILITY_SIDECAR" --version), published $(date -r dist/sidecar/offline-sidecar -u +%FT%TZ)"

status=0
for run in "${@:-crashloop soak windows}"; do
  for name in $run; do
    case "$name" in
      crashloop) class=CrashLoopTests ;;
      soak) class=FaultSoakTests ;;
      windows) class=ManyWindowsTests ;;
      *) echo "unknown run '$name'; expected crashloop|soak|windows" >&2; exit 2 ;;
    esac
    echo "== $name"
    start=$SECONDS
    if ! dotnet test tests/OfflineSidecar.Integration.Tests -c Release --no-build --filter "FullyQualifiedName~Reliability.$class" \
      --logger "console;verbosity=minimal" > "$snapshot/$name.log" 2>&1; then
      status=1
      grep -E "Error Message|Assert|Failed " -A3 "$snapshot/$name.log" | head -40
    fi
    cat "test-results/reliability/$name.md" 2>/dev/null || tail -40 "$snapshot/$name.log"
    echo "== $name took $((SECONDS - start)) s"
  done
done
exit $status
