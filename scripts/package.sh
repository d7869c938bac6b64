#!/usr/bin/env bash
# Builds, stages a clean folder and packages platform-specific VSIXes:
#   dist/offline-sidecar-<target>.vsix   target: linux-x64, linux-arm64, win32-x64, darwin-arm64, darwin-x64
# each with the bundled extension and that platform's self-contained sidecar under server/<target>/, then checks it
# (tests/extension/check-vsix.mjs: manifest, contents, binary formats, size).
#   npm run package               this machine's VSIX (linux-x64 here): what CI and the e2e suite install
#   RID=<rid> npm run package     one runtime identifier's: linux-x64, linux-arm64, win-x64, osx-arm64, osx-x64
#   npm run package -- --all      all five
#   SIDECAR_DIR=<dir>             package the sidecar published there instead of publishing one (with RID)
# This machine's sidecar is the one scripts/build.sh publishes; the others are cross-compiled by
# scripts/publish-sidecar.sh, since NativeAOT does not cross-compile between operating systems.
set -euo pipefail
cd "$(dirname "$0")/.."

all_rids=(linux-x64 linux-arm64 win-x64 osx-arm64 osx-x64)
all=false
for arg in "$@"; do
  case $arg in
    --all) all=true ;;
    *) echo "usage: npm run package [-- --all]   (RID=<rid> npm run package for one other target)" >&2; exit 2 ;;
  esac
done

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) host=linux-x64 ;;
  Linux-aarch64|Linux-arm64) host=linux-arm64 ;;
  Darwin-arm64) host=osx-arm64 ;;
  Darwin-x86_64) host=osx-x64 ;;
  MINGW*-x86_64|MSYS*-x86_64|CYGWIN*-x86_64) host=win-x64 ;;
  *) echo "unsupported host $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
if $all; then rids=("${all_rids[@]}"); else rids=("${RID:-$host}"); fi
if [ -n "${SIDECAR_DIR:-}" ] && $all; then echo "SIDECAR_DIR names one sidecar: not with --all" >&2; exit 2; fi

# VS Code names platforms like node does (process.platform-process.arch); bootstrap.ts looks there.
vscode_target() {
  case "$1" in
    linux-x64|linux-arm64) echo "$1" ;;
    osx-x64|osx-arm64) echo "darwin-${1#osx-}" ;;
    win-x64) echo "win32-x64" ;;
    *) echo "unknown RID $1 (one of ${all_rids[*]})" >&2; return 1 ;;
  esac
}
for rid in "${rids[@]}"; do vscode_target "$rid" >/dev/null; done

# The bundle, this machine's sidecar and the sync server the tests run: always for this machine, whatever RID says.
env -u RID bash scripts/build.sh

# Staging folders are dist/vsix-stage/<target>/ (one flat dist/vsix-stage/ before --all existed).
[ ! -f dist/vsix-stage/package.json ] || rm -rf dist/vsix-stage
repo_url=$(node -p 'require("./package.json").repository.url.replace(/\.git$/, "")')
root=$PWD
vsce=$root/node_modules/.bin/vsce
made=()
for rid in "${rids[@]}"; do
  target=$(vscode_target "$rid")
  if [ -n "${SIDECAR_DIR:-}" ]; then
    sidecar=$SIDECAR_DIR # published already, e.g. NativeAOT on that OS's own runner (.github/workflows/release.yml)
  elif [ "$rid" = "$host" ]; then
    sidecar=dist/sidecar
  else
    sidecar=dist/sidecar-$rid
    bash scripts/publish-sidecar.sh "$rid" "$sidecar"
  fi

  stage=dist/vsix-stage/$target
  vsix=dist/offline-sidecar-$target.vsix
  echo "== staging $stage"
  rm -rf "$stage" "$vsix"
  mkdir -p "$stage/dist" "$stage/server/$target"
  cp dist/extension.js "$stage/dist/"
  cp -R media "$stage/"
  cp LICENSE CHANGELOG.md .vscodeignore "$stage/"
  # The marketplace README links the screenshots relative to extension/ (../docs/images/…, right on GitHub); vsce
  # prefixes relative links with the repository's raw/blob URL, which is relative to the repository root.
  sed 's#](\.\./#](#g' extension/README.md > "$stage/README.md"
  cp -R "$sidecar/." "$stage/server/$target/"
  # Never loaded by the sidecar, and a large part of the size: symbols; what only a debugger (mscordaccore, mscordbi),
  # a crash dump (createdump), LTTng tracing or a non-default GC would load; and the zlib/brotli library, loaded
  # only by compression streams, which nothing uses (the HTTP client asks for no compressed answers). The runtime
  # starts without them although the .deps.json names them (tests/extension/check-vsix.mjs runs the sidecar).
  find "$stage/server/$target" \( -name '*.pdb' -o -name '*.dbg' -o -name '*.dSYM' -o -name 'createdump' -o -name 'createdump.exe' \
    -o -name '*mscordaccore*' -o -name '*mscordbi.*' -o -name '*clrgc.*' -o -name '*clrgcexp.*' \
    -o -name 'libcoreclrtraceptprovider.so' -o -name 'Microsoft.DiaSymReader.Native.*' \
    -o -name 'libSystem.IO.Compression.Native.*' -o -name 'System.IO.Compression.Native.dll' \) -prune -exec rm -rf {} +
  # The published package.json without the dev-only parts (scripts point at files the VSIX does not have).
  node -e '
    const fs = require("fs");
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    delete pkg.scripts; delete pkg.devDependencies; delete pkg.dependencies; delete pkg.private;
    fs.writeFileSync(process.argv[1], JSON.stringify(pkg, null, 2) + "\n");
  ' "$stage/package.json"

  echo "== vsce package --target $target"
  (cd "$stage" && "$vsce" package --target "$target" --no-dependencies \
    --baseContentUrl "$repo_url/blob/HEAD" --baseImagesUrl "$repo_url/raw/HEAD" -o "$root/$vsix")

  node tests/extension/check-vsix.mjs "$vsix" "$target" --stage "$stage"
  made+=("$vsix")
done

echo "== VSIX sizes"
for vsix in "${made[@]}"; do
  echo "   $vsix: $(du -h "$vsix" | cut -f1) ($(stat -c %s "$vsix" 2>/dev/null || stat -f %z "$vsix") bytes)"
done
