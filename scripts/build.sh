#!/usr/bin/env bash
# Builds everything the extension ships and the tests run:
#   dist/extension.js            the bundled extension (type-checked first)
#   dist/sidecar/offline-sidecar the sidecar, self-contained for this machine's RID
#   dist/sync-server/offline-sync-server  the reference sync server
# RID=<rid> overrides the detected runtime identifier (linux-x64, linux-arm64, osx-arm64, …).
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

if [ ! -d node_modules ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== type-check"
npx tsc --noEmit -p .

echo "== bundle dist/extension.js"
npx esbuild extension/src/extension.ts --bundle --outfile=dist/extension.js \
  --platform=node --format=cjs --target=node20 --external:vscode --minify --sourcemap --log-level=warning

publish() { # project output-dir binary-name
  echo "== dotnet publish $1 ($rid)"
  rm -rf "$2"
  dotnet publish "$1" -c Release -r "$rid" --self-contained -p:PublishReadyToRun=true -o "$2" -nologo -v quiet
  test -x "$2/$3" || { echo "$2/$3 missing after publish" >&2; exit 1; }
}
publish server/OfflineSidecar.Host dist/sidecar offline-sidecar
echo "   $(dist/sidecar/offline-sidecar --version)"
publish server/OfflineSync.Server dist/sync-server offline-sync-server
echo "== build done"
