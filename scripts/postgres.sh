#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: no service, no docker, nothing outside one temp directory.
#
#   scripts/postgres.sh start [DIR]   initdb in DIR (default: a new mktemp -d), start postgres on a free 127.0.0.1 port
#                                     with its unix socket in DIR, create the database "offline_sync", print its URL
#   scripts/postgres.sh url [DIR]     print the URL of the running cluster in DIR
#   scripts/postgres.sh stop [DIR]    stop that cluster and remove DIR
#
# Without DIR, url and stop use the cluster recorded in ${TMPDIR:-/tmp}/offline-sync-postgres.current by the last start
# without DIR.
# The URL is postgres://offline_sync@127.0.0.1:PORT/offline_sync (trust authentication, loopback only).
# Installs Debian's postgresql with apt-get when no PostgreSQL binaries are found (root, or sudo).
# When run as root, postgres (which refuses to run as root) runs as the user "postgres" (created by the Debian
# package; else "nobody"). fsync stays on: the cluster is small and its tests measure real commits.
set -euo pipefail

current_file=${TMPDIR:-/tmp}/offline-sync-postgres.current
database=offline_sync
role=offline_sync

die() { echo "postgres.sh: $*" >&2; exit 1; }

find_bindir() {
  local dir
  if command -v pg_config > /dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return 0; fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

install_postgres() {
  command -v apt-get > /dev/null || die "no PostgreSQL found and no apt-get to install it; install PostgreSQL (initdb, pg_ctl) first"
  echo "== apt-get install postgresql" >&2
  local sudo_cmd=; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update -qq > /dev/null
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql > /dev/null
}

# Runs a PostgreSQL binary as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

resolve_dir() { # [DIR] -> the cluster directory
  if [ -n "${1:-}" ]; then echo "$1"; return; fi
  [ -f "$current_file" ] || die "no cluster started (no $current_file); pass its directory"
  cat "$current_file"
}

print_url() { echo "postgres://$role@127.0.0.1:$(cat "$1/port")/$database"; }

start() {
  local dir=${1:-} bindir port
  bindir=$(find_bindir) || { install_postgres; bindir=$(find_bindir) || die "postgresql installed but initdb not found"; }
  [ -n "$dir" ] || dir=$(mktemp -d "${TMPDIR:-/tmp}/offline-sync-postgres.XXXXXX")
  mkdir -p "$dir"
  owner=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    owner=postgres; id -u postgres > /dev/null 2>&1 || owner=nobody
    chown "$owner" "$dir"
    # The owner must be able to reach the directory through its parents (mktemp's parent is /tmp: fine).
    chmod 700 "$dir"
  fi
  as_owner "$bindir/initdb" -D "$dir/data" -U "$role" --auth=trust --encoding=UTF8 --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  port=$(free_port)
  echo "$port" > "$dir/port"
  # Loopback only; the socket lives in the temp dir so nothing touches /var/run/postgresql.
  # max_connections: several server processes with their pools, plus tests, on one cluster.
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c shared_buffers=64MB" start > /dev/null ||
    { cat "$dir/postgres.log" >&2; die "pg_ctl start failed"; }
  as_owner "$bindir/createdb" -h "$dir" -p "$port" -U "$role" "$database" || die "createdb failed"
  echo "$bindir" > "$dir/bindir"
  # Only a cluster started without DIR becomes the one url and stop find by themselves.
  [ -n "${1:-}" ] || echo "$dir" > "$current_file"
  print_url "$dir"
}

stop() {
  local dir bindir
  dir=$(resolve_dir "${1:-}")
  [ -d "$dir" ] || { rm -f "$current_file"; return 0; }
  owner=$(stat -c %U "$dir")
  if [ -f "$dir/bindir" ] && [ -f "$dir/data/postmaster.pid" ]; then
    bindir=$(cat "$dir/bindir")
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null || echo "postgres.sh: pg_ctl stop failed" >&2
  fi
  rm -rf "$dir"
  if [ -f "$current_file" ] && [ "$(cat "$current_file")" = "$dir" ]; then rm -f "$current_file"; fi
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  url) dir=$(resolve_dir "${2:-}"); [ -f "$dir/port" ] || die "no cluster in $dir"; print_url "$dir" ;;
  *) echo "usage: scripts/postgres.sh start|stop|url [DIR]" >&2; exit 2 ;;
esac
