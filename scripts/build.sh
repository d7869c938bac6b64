#!/usr/bin/env bash
# Builds everything the extension ships and the tests run:
#   dist/extension.js            the bundled extension (type-checked first)
#   dist/sidecar/offline-sidecar the sidecar, self-contained for this machine's RID: NativeAOT (+ libe_sqlite3.so)
#   dist/sync-server/offline-sync-server  the reference sync server
# RID=<rid> overrides the detected runtime identifier (linux-x64, linux-arm64, osx-arm64, …).
# SIDECAR_PUBLISH=r2r publishes the sidecar as trimmed ReadyToRun (its own assemblies precompiled) instead of NativeAOT (the build the
# bench compares it with); a RID other than this machine's is always ReadyToRun (NativeAOT compiles for the host only).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

host_rid() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=osx ;;
    MINGW*|MSYS*|CYGWIN*) os=win ;;
    *) echo "unsupported OS $(uname -s)" >&2; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64|amd64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) echo "unsupported CPU $(uname -m)" >&2; return 1 ;;
  esac
  echo "$os-$arch"
}
rid=${RID:-$(host_rid)}
sidecar_publish=${SIDECAR_PUBLISH:-aot}
[ "$rid" = "$(host_rid)" ] || sidecar_publish=r2r

# NativeAOT links with the platform's C toolchain: clang, lld and zlib on Debian (root, or sudo).
need_aot_toolchain() {
  local pkg need=()
  command -v dpkg > /dev/null || return 0
  for pkg in clang lld zlib1g-dev; do dpkg -s "$pkg" > /dev/null 2>&1 || need+=("$pkg"); done
  [ ${#need[@]} -eq 0 ] && return 0
  echo "== apt-get install ${need[*]} (NativeAOT toolchain)"
  local sudo_cmd=; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" > /dev/null
}
[ "$sidecar_publish" = r2r ] || need_aot_toolchain

if [ ! -d node_modules ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== type-check"
npx tsc --noEmit -p .

echo "== bundle dist/extension.js"
npx esbuild extension/src/extension.ts --bundle --outfile=dist/extension.js \
  --platform=node --format=cjs --target=node20 --external:vscode --minify --sourcemap --log-level=warning

publish() { # project output-dir binary-name aot|r2r
  echo "== dotnet publish $1 ($rid, $4)"
  rm -rf "$2"
  local mode=-p:PublishReadyToRun=true
  [ "$4" = aot ] && mode=-p:PublishAot=true
  dotnet publish "$1" -c Release -r "$rid" --self-contained "$mode" -o "$2" -nologo -v quiet
  test -x "$2/$3" || { echo "$2/$3 missing after publish" >&2; exit 1; }
}
publish server/OfflineSidecar.Host dist/sidecar offline-sidecar "$sidecar_publish"
echo "   $(dist/sidecar/offline-sidecar --version)"
publish server/OfflineSync.Server dist/sync-server offline-sync-server r2r
echo "== build done"
