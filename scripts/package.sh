#!/usr/bin/env bash
# Builds, stages a clean folder and packages the platform-specific VSIX:
#   dist/offline-sidecar-<platform>.vsix  (e.g. dist/offline-sidecar-linux-x64.vsix)
# with the bundled extension and the self-contained sidecar under server/<platform>/, then checks the VSIX
# (tests/extension/check-vsix.mjs): manifest contributions, sidecar present, executable and runnable.
# RID=<rid> packages for another runtime identifier (the build publishes for it).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh

rid=${RID:-}
if [ -z "$rid" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) rid=linux-x64 ;;
    Linux-aarch64|Linux-arm64) rid=linux-arm64 ;;
    Darwin-arm64) rid=osx-arm64 ;;
    Darwin-x86_64) rid=osx-x64 ;;
    *) echo "unsupported host $(uname -s)-$(uname -m)" >&2; exit 1 ;;
  esac
fi
# VS Code names platforms like node does (process.platform-process.arch); bootstrap.ts looks there.
case "$rid" in
  linux-*) target=linux-${rid#linux-} ;;
  osx-*) target=darwin-${rid#osx-} ;;
  win-*) target=win32-${rid#win-} ;;
  *) echo "unknown RID $rid" >&2; exit 1 ;;
esac

stage=dist/vsix-stage
vsix=dist/offline-sidecar-$target.vsix
echo "== staging $stage"
rm -rf "$stage" "$vsix"
mkdir -p "$stage/dist" "$stage/server/$target"
cp dist/extension.js "$stage/dist/"
cp -R media "$stage/"
cp extension/README.md "$stage/README.md"
cp LICENSE .vscodeignore "$stage/"
cp -R dist/sidecar/. "$stage/server/$target/"
# The debug symbols are not needed at run time and are most of the size.
find "$stage/server/$target" -name '*.pdb' -delete
# The published package.json without the dev-only parts (scripts point at files the VSIX does not have).
node -e '
  const fs = require("fs");
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
  delete pkg.scripts; delete pkg.devDependencies; delete pkg.dependencies; delete pkg.private;
  fs.writeFileSync(process.argv[1], JSON.stringify(pkg, null, 2) + "\n");
' "$stage/package.json"

echo "== vsce package --target $target"
vsce=$PWD/node_modules/.bin/vsce
(cd "$stage" && "$vsce" package --target "$target" --no-dependencies --allow-missing-repository -o "../$(basename "$vsix")")

node tests/extension/check-vsix.mjs "$vsix" "$target"
echo "== $vsix: $(du -h "$vsix" | cut -f1) ($(stat -c %s "$vsix" 2>/dev/null || stat -f %z "$vsix") bytes)"
