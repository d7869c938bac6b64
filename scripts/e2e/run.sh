#!/usr/bin/env bash
# `npm run test:e2e`: the extension's VSIX, its real sidecar and the real reference sync server in a real VS Code
# (code-server), driven by Playwright in Debian's chromium. Scenarios: tests/e2e/*.e2e.js (node --test).
#
# Environment:
#   E2E_PACKAGE=auto|always|never  auto (default): `npm run package` when the VSIX is missing or older than the
#                                  sources; in CI (CI=true) a present VSIX is used as is (CI packaged it before).
#   E2E_FILTER=regex               run only scenarios whose name matches (node --test-name-pattern).
#   E2E_KEEP=1                     leave code-server and the server running at the end (prints how to stop them).
# Results: test-results/e2e/ (screenshots, tap output), logs under test-results/e2e/logs/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t0=$SECONDS

bash "$ROOT/scripts/e2e/setup.sh"
t_setup=$((SECONDS - t0))

# ---- build + package when needed ------------------------------------------------------------------------------
ensure_package "${E2E_PACKAGE:-auto}"
t_pkg=$((SECONDS - t0 - t_setup))

# ---- fresh run folders ----------------------------------------------------------------------------------------
OUT=$ROOT/test-results/e2e
RUN=${E2E_RUN:-$E2E_HOME/run-e2e}   # user data / extensions / workspace: fresh each run (E2E_RUN: one per checkout running at once)
rm -rf "$OUT" "$RUN"
mkdir -p "$OUT/logs" "$RUN/ws"
cat >"$RUN/ws/README.md" <<'EOF'
# E2E workspace
Created fresh by scripts/e2e/run.sh for every run.
EOF

TOKEN=e2e-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
CS_PID= SERVER_PID=
cleanup() {
  local rc=$?
  set +e
  if [[ ${E2E_KEEP:-} == 1 ]]; then
    log "E2E_KEEP=1: code-server http://127.0.0.1:$CS_PORT (pid $CS_PID), server $SERVER_URL (pid $SERVER_PID)"
    return
  fi
  local sidecars
  sidecars=$(sidecar_pids "$RUN/ext")
  stop_pid "$CS_PID" 8
  for p in $sidecars $(sidecar_pids "$RUN/ext"); do stop_pid "$p" 5; done
  stop_pid "$SERVER_PID" 5
  # keep what a failure needs: code-server's and the extension's logs (the sidecar logs to the output channel / stderr)
  cp -r "$RUN/ud/logs" "$OUT/logs/code-server-logs" 2>/dev/null
  find "$RUN/ud" -name '*.log' -path '*offline*' -exec cp {} "$OUT/logs/" \; 2>/dev/null
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- reference server -----------------------------------------------------------------------------------------
start_sync_server "$RUN/server-data" "$TOKEN" "$OUT/logs/sync-server.log"
log "offline-sync-server on $SERVER_URL (pid $SERVER_PID)"

# ---- code-server with the VSIX --------------------------------------------------------------------------------
# JSON-RPC traffic in the Offline Sync log (test-results/e2e/logs/) to tell a UI problem from a sidecar one.
write_user_settings "$RUN/ud" "$SERVER_URL" "${E2E_TRACE:-verbose}"
install_vsix "$RUN/ud" "$RUN/ext"
# User keybindings that run "Queue Sample Operations" with arguments (the palette cannot pass any); used by
# tests/e2e/offline-sync.e2e.js for a rejected operation and for conflicts.
cat >"$RUN/ud/User/keybindings.json" <<'EOF'
[
  { "key": "ctrl+alt+shift+f5", "command": "offlineSync.enqueueSample",
    "args": { "count": 1, "type": "test.reject.v1", "entityPrefix": "reject" } },
  { "key": "ctrl+alt+shift+f6", "command": "offlineSync.enqueueSample",
    "args": { "count": 2, "entityPrefix": "conflict", "expectedVersion": 0 } }
]
EOF
export OFFLINE_SYNC_TOKEN=$TOKEN      # the extension's initial token when SecretStorage has none
start_code_server "$RUN/ud" "$RUN/ext" "$RUN/ws" "$OUT/logs/code-server.log"
unset OFFLINE_SYNC_TOKEN
log "code-server on http://127.0.0.1:$CS_PORT (pid $CS_PID)"

# ---- scenarios ------------------------------------------------------------------------------------------------
export E2E_CS_URL=http://127.0.0.1:$CS_PORT E2E_WORKSPACE=$RUN/ws E2E_SERVER_URL=$SERVER_URL E2E_TOKEN=$TOKEN
export E2E_OUT=$OUT E2E_EXT_DIR=$RUN/ext E2E_USER_DATA=$RUN/ud CHROMIUM NODE_PATH=$TOOLS_NODE_MODULES
args=(--test --test-reporter=tap --test-concurrency=1)
[[ -n ${E2E_FILTER:-} ]] && args+=(--test-name-pattern="$E2E_FILTER")
t_tests=$SECONDS
set +e
node "${args[@]}" "$ROOT"/tests/e2e/*.e2e.js 2>&1 | tee "$OUT/e2e.tap"
rc=${PIPESTATUS[0]}
set -e
pass=$(grep -m1 -E '^# pass ' "$OUT/e2e.tap" | awk '{print $3}')
fail=$(grep -m1 -E '^# fail ' "$OUT/e2e.tap" | awk '{print $3}')
echo "e2e: ${pass:-0} passed, ${fail:-0} failed (setup ${t_setup}s, package ${t_pkg}s, scenarios $((SECONDS - t_tests))s, total $((SECONDS - t0))s)"
[[ $rc == 0 && ${fail:-1} == 0 && ${pass:-0} -gt 0 ]] || { echo "screenshots and logs: $OUT" >&2; exit 1; }
