#!/usr/bin/env bash
# Coverage-guided fuzzing of the sidecar's message handling with afl++ and SharpFuzz:
#   bash fuzz/afl.sh [SECONDS]   (default 60; bench size: 1800)
# Publishes the harness (fuzz/OfflineSidecar.Fuzz), instruments the sidecar's assemblies (JSON-RPC layer, host,
# core) with the sharpfuzz tool, and runs afl-fuzz from fuzz/corpus. Prints afl's figures; exit 1 when it found a
# crash (copied to fuzz/findings/afl-*.bin, to replay with `dotnet run --project fuzz/OfflineSidecar.Fuzz -- replay`).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v afl-fuzz > /dev/null; then
  sudo_cmd=; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq afl++ > /dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/offline-sidecar-afl.XXXXXX")
trap 'rm -rf "$work"' EXIT
dotnet publish fuzz/OfflineSidecar.Fuzz -c Release -o "$work/bin" --nologo -v quiet > "$work/publish.log" 2>&1 || { cat "$work/publish.log"; exit 1; }
dotnet tool restore > /dev/null
for assembly in OfflineSidecar.JsonRpc.dll offline-sidecar.dll OfflineSidecar.Core.dll; do
  dotnet sharpfuzz "$work/bin/$assembly" > /dev/null
done

# afl runs `dotnet`, not a binary it instrumented itself; the harness reports coverage through SharpFuzz.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
afl-fuzz -i fuzz/corpus -o "$work/out" -t 20000 -m none -V "$seconds" -- dotnet "$work/bin/OfflineSidecar.Fuzz.dll" afl > "$work/afl.log" 2>&1 || {
  tail -30 "$work/afl.log"; exit 1; }

stats="$work/out/default/fuzzer_stats"
get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(find "$work/out/default/crashes" -type f -name 'id:*' | wc -l)
hangs=$(find "$work/out/default/hangs" -type f -name 'id:*' | wc -l)
echo "afl: $(get execs_done) inputs in $(( $(get last_update) - $(get start_time) )) s ($(get execs_per_sec)/s), corpus $(get corpus_count) (from $(ls fuzz/corpus | wc -l) seeds), edges covered $(get bitmap_cvg), crashes $crashes, hangs $hangs"
if [ "$crashes" -gt 0 ]; then
  mkdir -p fuzz/findings
  n=0
  for file in "$work"/out/default/crashes/id:*; do
    n=$((n + 1)); cp "$file" "fuzz/findings/afl-$(date +%Y%m%d)-$n.bin"
  done
  echo "afl: crashes copied to fuzz/findings/; replay: dotnet run --project fuzz/OfflineSidecar.Fuzz -- replay fuzz/findings"
  exit 1
fi
