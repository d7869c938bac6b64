#!/usr/bin/env bash
# Publishes the sidecar for another platform's VSIX (scripts/package.sh, for every target but this machine's):
#   bash scripts/publish-sidecar.sh <rid> <output-dir>      rid: linux-x64, linux-arm64, win-x64, osx-arm64, osx-x64
# NativeAOT does not cross-compile between operating systems, so this is self-contained ReadyToRun, trimmed, with
# only the sidecar's own assemblies precompiled (the Host project says why). crossgen2 runs here and targets any OS;
# the runtime pack for the RID comes from the NuGet feed, in the version the SDK picks.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
[ $# -eq 2 ] || { echo "usage: publish-sidecar.sh <rid> <output-dir>" >&2; exit 2; }
rid=$1 out=$2
case "$rid" in win-*) exe=offline-sidecar.exe ;; *) exe=offline-sidecar ;; esac

echo "== dotnet publish server/OfflineSidecar.Host ($rid: self-contained ReadyToRun, trimmed)"
rm -rf "$out"
dotnet publish server/OfflineSidecar.Host -c Release -r "$rid" --self-contained -p:PublishReadyToRun=true -o "$out" -nologo -v quiet
test -f "$out/$exe" || { echo "$out/$exe missing after publish" >&2; exit 1; }
