#!/usr/bin/env bash
# Several offline-sync-server replicas behind Debian's haproxy, all on 127.0.0.1.
#
#   scripts/replicas.sh start N [-- SERVER_ARGS...]   N replicas (free ports) + haproxy in front; prints the balancer URL
#   scripts/replicas.sh stop                          stops the replicas and haproxy (SIGTERM, then SIGKILL after 10 s)
#   scripts/replicas.sh kill I                        kill -9 replica I (1-based): a crash in the middle of whatever it does
#   scripts/replicas.sh restart I                     starts replica I again on its port with the same arguments
#   scripts/replicas.sh status                        the state file, and which processes are alive
#
# SERVER_ARGS go to every replica as they are: the store they share (`--store postgres://…`; `--data-dir D` for a
# SQLite smoke test, which is not a supported deployment: several processes on one SQLite file do keep every
# guarantee, since each write takes SQLite's write lock (BEGIN IMMEDIATE) and the feed's sequence is assigned under
# it, but they only ever share one machine's disk), tokens (`--token`, `--account`), limits. `--port` is the script's.
# REPLICAS_DIR (default test-results/replicas) holds the state file `state` (key=value lines: balancer,
# haproxy_pid, replicas, replica_I_pid, replica_I_url), haproxy.cfg, haproxy's stats socket (haproxy.sock: `show stat`
# tells which replicas it sees UP) and every process's log; several sets can run
# at once with different REPLICAS_DIRs. REPLICAS_LOG_REQUESTS=1 makes haproxy.log list every request. SYNC_SERVER
# overrides the binary (default dist/sync-server/offline-sync-server).
#
# Each replica's /admin API (fault injection, stats) is reached on its own URL (replica_I_url), never through the
# balancer, which refuses /admin: faults are per process, and a fault set through the balancer would land on
# whichever replica round robin picked. The admin guard admits loopback callers, and the replicas bind 127.0.0.1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${REPLICAS_DIR:-$root/test-results/replicas}
state=$dir/state
server_bin=${SYNC_SERVER:-$root/dist/sync-server/offline-sync-server}

die() { echo "replicas.sh: $*" >&2; exit 1; }
get() { sed -n "s/^$1=//p" "$state" 2>/dev/null | tail -1; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

need_haproxy() {
  command -v haproxy > /dev/null && return 0
  echo "== apt-get install haproxy" >&2
  local sudo_cmd=; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq haproxy > /dev/null; } ||
    die "haproxy is missing and could not be installed"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Returns once URL/sync/health answers (200, or 503 from a replica with the unavailable fault): its first request also
# warms the replica up before the balancer's health checks time it.
wait_health() { # url seconds
  node -e '
    const [url, seconds] = process.argv.slice(1);
    const end = Date.now() + seconds * 1000;
    (async () => {
      while (Date.now() < end) {
        try { const r = await fetch(url + "/sync/health"); if (r.status === 200 || r.status === 503) process.exit(0); } catch {}
        await new Promise((r) => setTimeout(r, 100));
      }
      console.error("no answer from " + url + "/sync/health within " + seconds + " s");
      process.exit(1);
    })();' "$1" "$2"
}

# Returns once haproxy (its stats socket) reports every replica UP, so the first requests are spread over all of them.
wait_all_up() { # socket seconds
  node -e '
    const net = require("net");
    const [socket, seconds] = process.argv.slice(1);
    const end = Date.now() + seconds * 1000;
    const stat = () => new Promise((resolve) => {
      let text = "";
      const c = net.connect(socket, () => c.end("show stat\n"));
      c.on("data", (d) => (text += d));
      c.on("close", () => resolve(text));
      c.on("error", () => resolve(""));
    });
    (async () => {
      while (Date.now() < end) {
        const rows = (await stat()).split("\n").map((l) => l.split(",")).filter((f) => f[0] === "replicas" && /^r[0-9]+$/.test(f[1]));
        if (rows.length > 0 && rows.every((f) => f[17] === "UP")) process.exit(0);
        await new Promise((r) => setTimeout(r, 100));
      }
      console.error("haproxy did not report every replica UP within " + seconds + " s");
      process.exit(1);
    })();' "$1" "$2"
}

# Starts replica I with the saved arguments on PORT (0 = a free one); prints its URL.
start_replica() { # index port
  local i=$1 port=$2 out=$dir/replica-$1.out args=()
  while IFS= read -r -d '' arg; do args+=("$arg"); done < "$dir/server-args"
  : > "$out"
  "$server_bin" --port "$port" "${args[@]}" < /dev/null > "$out" 2>> "$dir/replica-$i.log" &
  local pid=$! line= waited=0
  # The server's first stdout line is "listening on http://127.0.0.1:NNNN".
  while ! line=$(grep -m1 '^listening on ' "$out" 2> /dev/null); do
    alive "$pid" || die "replica $i exited at startup: $(tail -5 "$dir/replica-$i.log")"
    [ "$waited" -lt 300 ] || { kill -9 "$pid"; die "replica $i did not start within 30 s"; }
    sleep 0.1; waited=$((waited + 1))
  done
  echo "replica_${i}_pid=$pid" >> "$state"
  echo "replica_${i}_url=${line#listening on }" >> "$state"
  wait_health "${line#listening on }" 30 || die "replica $i does not answer"
}

write_haproxy_config() { # port urls...
  local port=$1 log_level=notice; shift
  [ "${REPLICAS_LOG_REQUESTS:-0}" = 1 ] && log_level=info
  # haproxy's own answer when no replica is up: the protocol's 503 with Retry-After, so clients back off as they would
  # for a replica's 503 (haproxy's default page has no Retry-After).
  local body='{"code":"unavailable","message":"no sync server replica is up"}'
  printf 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nRetry-After: 1\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s' \
    "${#body}" "$body" > "$dir/no-replica.http"
  {
    cat <<CFG
# Written by scripts/replicas.sh.
global
    maxconn 2000
    # Retrying a request that reached a replica (retry-on below) needs the whole request in one buffer; a batch of
    # 500 small commands fits in 1 MiB. A larger request is not retried by the balancer: its client resends it.
    tune.bufsize 1048576
    # Replicas going down and up; REPLICAS_LOG_REQUESTS=1 adds one line per request (which replica, retries as +N).
    log stderr format raw local0 $log_level
    stats socket $dir/haproxy.sock mode 600 level admin

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    # A replica's latencyMs fault holds a request up to 120 s; the balancer must not answer for it.
    timeout server 300s
    timeout client 300s
    timeout http-request 60s
    # A replica that refuses the connection, or closes it without answering (killed with kill -9 in the middle of a
    # request, or the dropAfterApplyRate fault), gets its request sent again to another replica (redispatch on every
    # retry). Safe for every request of this protocol: GET and HEAD read; PUT /sync/blobs/{sha256} stores bytes named
    # by their hash (201 then 200); POST /sync/commands is idempotent by key: each command's idempotency record
    # commits in the same transaction as its effect, so if the first replica committed the batch the second answers
    # duplicate with the original versions, and if it did not the second applies it once. Answers are never retried
    # (not 503, 429 or 500): they carry the protocol's meaning (Retry-After) and the client acts on them.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response

frontend sync
    bind 127.0.0.1:$port
    # Faults and stats are per replica: use each replica's own URL (the state file's replica_I_url).
    http-request deny deny_status 403 if { path_beg /admin }
    default_backend replicas

backend replicas
    # Round robin with no stickiness: consecutive requests of one client land on different replicas.
    balance roundrobin
    errorfile 503 $dir/no-replica.http
    # A replica is out only when it stops answering HTTP. A 503 from it (maintenance, the unavailable fault) is the
    # protocol's own answer with Retry-After and reaches the client as it is.
    option httpchk GET /sync/health
    http-check expect rstatus ^(200|503)\$
    timeout check 5s
    default-server check inter 1s fall 2 rise 1
CFG
    local i=1 url
    for url in "$@"; do
      echo "    server r$i ${url#http://}"
      i=$((i + 1))
    done
  } > "$dir/haproxy.cfg"
}

cmd_start() {
  local n=${1:-}; shift || true
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "usage: replicas.sh start N [-- SERVER_ARGS...]"
  if [ "${1:-}" = "--" ]; then shift; fi
  [ -x "$server_bin" ] || die "$server_bin is missing: run npm run build (or scripts/build.sh) first"
  if [ -f "$state" ] && alive "$(get haproxy_pid)"; then die "a set is running in $dir: stop it first"; fi
  need_haproxy
  mkdir -p "$dir"
  rm -f "$state" "$dir"/replica-*.log "$dir"/haproxy.log
  : > "$dir/server-args"
  [ $# -eq 0 ] || printf '%s\0' "$@" > "$dir/server-args"
  echo "replicas=$n" > "$state"
  # A start that fails half-way stops what it started.
  trap 'cmd_stop > /dev/null 2>&1' EXIT
  local i urls=()
  for ((i = 1; i <= n; i++)); do
    start_replica "$i" 0
    urls+=("$(get "replica_${i}_url")")
  done
  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    write_haproxy_config "$port" "${urls[@]}"
    haproxy -f "$dir/haproxy.cfg" -db < /dev/null >> "$dir/haproxy.log" 2>&1 &
    echo "haproxy_pid=$!" >> "$state"
    echo "balancer=http://127.0.0.1:$port" >> "$state"
    wait_all_up "$dir/haproxy.sock" 15 2> /dev/null && break
    # Another process took the port between free_port and haproxy's bind (or a replica never came up): try again.
    kill "$(get haproxy_pid)" 2> /dev/null || true
    [ "$attempt" -lt 3 ] || die "haproxy did not start: $(tail -5 "$dir/haproxy.log")"
  done
  echo "balancer $(get balancer) (haproxy pid $(get haproxy_pid))"
  for ((i = 1; i <= n; i++)); do
    echo "replica $i $(get "replica_${i}_url") pid $(get "replica_${i}_pid")"
  done
  echo "state $state"
  trap - EXIT
}

cmd_stop() {
  [ -f "$state" ] || { echo "replicas.sh: nothing running in $dir"; return 0; }
  local pids=() pid key
  for key in $(sed -n 's/^\(haproxy_pid\|replica_[0-9]*_pid\)=.*/\1/p' "$state" | sort -u); do
    pid=$(get "$key")
    if alive "$pid"; then kill "$pid" 2> /dev/null || true; pids+=("$pid"); fi
  done
  local waited=0
  for pid in "${pids[@]}"; do
    while alive "$pid" && [ "$waited" -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
    alive "$pid" && kill -9 "$pid" 2> /dev/null || true
  done
  mv "$state" "$state.stopped"
  echo "stopped ${#pids[@]} processes"
}

replica_index() {
  [ -f "$state" ] || die "nothing running in $dir"
  [[ "${1:-}" =~ ^[1-9][0-9]*$ ]] && [ "$1" -le "$(get replicas)" ] || die "replica index 1..$(get replicas) expected, got '${1:-}'"
}

cmd_kill() {
  replica_index "${1:-}"
  local pid; pid=$(get "replica_$1_pid")
  alive "$pid" || die "replica $1 (pid $pid) is not running"
  kill -9 "$pid"
  while alive "$pid"; do sleep 0.05; done
  echo "killed replica $1 (pid $pid)"
}

cmd_restart() {
  replica_index "${1:-}"
  local url pid; url=$(get "replica_$1_url"); pid=$(get "replica_$1_pid")
  alive "$pid" && die "replica $1 (pid $pid) is still running"
  start_replica "$1" "${url##*:}"
  echo "replica $1 $(get "replica_$1_url") pid $(get "replica_$1_pid")"
}

cmd_status() {
  [ -f "$state" ] || { echo "nothing running in $dir"; return 1; }
  local key pid
  cat "$state"
  for key in $(sed -n 's/^\(haproxy_pid\|replica_[0-9]*_pid\)=.*/\1/p' "$state" | sort -u); do
    pid=$(get "$key")
    if alive "$pid"; then echo "$key $pid alive"; else echo "$key $pid dead"; fi
  done
}

action=${1:-}; shift || true
case "$action" in
  start) cmd_start "$@" ;;
  stop) cmd_stop ;;
  kill) cmd_kill "$@" ;;
  restart) cmd_restart "$@" ;;
  status) cmd_status ;;
  *) die "usage: replicas.sh start N [-- SERVER_ARGS...] | stop | kill I | restart I | status" ;;
esac
