#!/usr/bin/env bash
# `npm run demo`: the extension in a browser VS Code (code-server) with its sidecar and the reference sync server,
# all on 127.0.0.1. The server is seeded with demo/notes as the documents of workspace "demo", and the editor opens
# demo/offline-documents.code-workspace: the demo folder plus those documents (offline-sync://demo/), readable and
# editable offline. Builds what is missing (npm run package), prints the URL to open; Ctrl+C stops everything.
#
#   npm run demo                 start (first time: installs code-server into .vscode-e2e/ and builds; minutes)
#   npm run demo -- --offline    in another terminal: the running demo server answers 503 (watch the queue fill)
#   npm run demo -- --online     ... and back (watch it drain)
#   npm run demo -- --smoke      start, check with Playwright that the status bar item shows and a sample
#                                operation syncs, then stop (also DEMO_SMOKE=1)
# Environment: DEMO_PORT (code-server port, default 8765 or a free one), DEMO_TOKEN (default demo-token),
# DEMO_DIR (state, default .demo/: server database, editor profile with the sidecar's queue, logs).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/e2e/lib.sh"
DEMO_DIR=${DEMO_DIR:-$ROOT/.demo}
STATE=$DEMO_DIR/state.env
WORKSPACE=$ROOT/demo
WORKSPACE_FILE=$WORKSPACE/offline-documents.code-workspace
DOCUMENTS_WORKSPACE=demo    # offlineSync.workspaceId in that file
TOKEN=${DEMO_TOKEN:-demo-token}

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

# Each demo/notes file becomes a document on the server unless it is there already (the server's store persists in
# .demo/server, so edits made in an earlier run are kept, not overwritten).
seed_documents() {
  local f id body
  for f in "$WORKSPACE"/notes/*; do
    id=notes/$(basename "$f")
    if curl -sf -o /dev/null "$SERVER_URL/admin/entities/$DOCUMENTS_WORKSPACE/$id"; then continue; fi
    body=$(node -e 'const fs=require("fs");console.log(JSON.stringify({workspaceId:process.argv[1],entityId:process.argv[2],payload:{content:fs.readFileSync(process.argv[3],"utf8"),encoding:"utf-8"}}))' \
      "$DOCUMENTS_WORKSPACE" "$id" "$f")
    admin POST /admin/entities "$body" >/dev/null || die "could not seed $id on the demo server"
    log "seeded document $id"
  done
}

demo_running() { [[ -f $STATE ]] && (source "$STATE" && kill -0 "$DEMO_PID" 2>/dev/null); }

toggle() {   # toggle true|false
  demo_running || die "no demo is running (start one with: npm run demo)"
  # shellcheck disable=SC1090
  source "$STATE"
  curl -sf -X POST -H 'content-type: application/json' --data "{\"unavailable\": $1}" "$SERVER_URL/admin/faults" >/dev/null \
    || die "the demo server at $SERVER_URL did not accept the change"
  if [[ $1 == true ]]; then
    echo "demo server $SERVER_URL is now OFFLINE (503). Queue operations in the editor, then: npm run demo -- --online"
  else
    echo "demo server $SERVER_URL is back ONLINE; the queue drains."
  fi
}

smoke=${DEMO_SMOKE:-}
case ${1:-} in
  --offline) toggle true; exit 0 ;;
  --online) toggle false; exit 0 ;;
  --smoke) smoke=1 ;;
  -h | --help) usage; exit 0 ;;
  '') ;;
  *) usage >&2; exit 2 ;;
esac

demo_running && die "a demo is already running (pid $(source "$STATE"; echo "$DEMO_PID")); stop it with Ctrl+C first"
t0=$SECONDS
bash "$ROOT/scripts/e2e/setup.sh"
ensure_package "${DEMO_PACKAGE:-auto}"

mkdir -p "$DEMO_DIR/logs"
CS_PID= SERVER_PID= UD=$DEMO_DIR/profile EXT=$DEMO_DIR/extensions
stop_all() {
  local sidecars p
  trap - INT TERM EXIT
  set +e
  [[ -z $smoke ]] && echo && log "stopping the demo"
  sidecars=$(sidecar_pids "$EXT")
  stop_pid "$CS_PID" 8
  for p in $sidecars $(sidecar_pids "$EXT"); do stop_pid "$p" 5; done
  stop_pid "$SERVER_PID" 5
  rm -f "$STATE"
}
trap 'stop_all; exit 130' INT TERM
trap 'rc=$?; stop_all; exit $rc' EXIT

# ---- the reference server (its SQLite store persists in .demo/server) ------------------------------------------
start_sync_server "$DEMO_DIR/server" "$TOKEN" "$DEMO_DIR/logs/sync-server.log"
seed_documents

# ---- code-server with the VSIX (reinstalled when the VSIX changed) ----------------------------------------------
write_user_settings "$UD" "$SERVER_URL"
if [[ ! -f $EXT/.vsix-stamp || $VSIX -nt $EXT/.vsix-stamp ]]; then
  log "installing $(basename "$VSIX")"
  install_vsix "$UD" "$EXT"
  touch "$EXT/.vsix-stamp"
fi
port=${DEMO_PORT:-8765}
if ! node -e "const s=require('net').createServer();s.on('error',()=>process.exit(1));s.listen($port,'127.0.0.1',()=>s.close())"; then
  [[ -n ${DEMO_PORT:-} ]] && die "port $port is in use"
  port=$(free_port)
fi
OFFLINE_SYNC_TOKEN=$TOKEN start_code_server "$UD" "$EXT" "$WORKSPACE_FILE" "$DEMO_DIR/logs/code-server.log" "$port"
URL="http://127.0.0.1:$CS_PORT/?workspace=$WORKSPACE_FILE"
printf 'DEMO_PID=%s\nSERVER_URL=%s\nURL=%s\n' "$$" "$SERVER_URL" "$URL" >"$STATE"
ready=$((SECONDS - t0))

if [[ -n $smoke ]]; then
  log "demo ready in ${ready}s; smoke check"
  E2E_CS_URL=http://127.0.0.1:$CS_PORT E2E_WORKSPACE=$WORKSPACE_FILE E2E_SERVER_URL=$SERVER_URL E2E_OUT=$ROOT/test-results/demo \
    CHROMIUM=$CHROMIUM NODE_PATH=$TOOLS_NODE_MODULES node "$ROOT/tests/e2e/demo-smoke.js"
  echo "demo smoke: ready ${ready}s, total $((SECONDS - t0))s"
  exit 0
fi

cat <<EOF

  Offline Sidecar demo is running (ready in ${ready}s).

    Open:     $URL
    Server:   $SERVER_URL   (token: $TOKEN)
    Try:      Explorer → Offline Documents → notes/meeting.md; npm run demo -- --offline; edit and save (the file's
              badge says pending); npm run demo -- --online; watch it sync. More in demo/README.md.
    Offline:  npm run demo -- --offline      Online again:  npm run demo -- --online
    Logs:     ${DEMO_DIR#"$ROOT"/}/logs/

  Ctrl+C stops everything.
EOF
wait "$CS_PID" || true
log "code-server exited"
