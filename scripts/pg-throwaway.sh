#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a loopback port, for tests and benchmarks.
#   scripts/pg-throwaway.sh start DIR PORT   creates the cluster in DIR (if new), starts it,
#                                            creates database "exposure"; prints the URL
#                                            PORT "auto": a free port (retried if taken)
#   scripts/pg-throwaway.sh stop DIR         stops it and removes DIR
# Runs the server as the unprivileged "postgres" user when started as root (initdb refuses
# root). PG_THROWAWAY_FSYNC=off skips fsync (test runs; the data is thrown away anyway).
set -euo pipefail
cmd=${1:?usage: pg-throwaway.sh start DIR PORT|auto | stop DIR}
dir=${2:?missing DIR}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "pg-throwaway: PostgreSQL server not installed (Debian package postgresql)" >&2; exit 1; }
fsync=${PG_THROWAWAY_FSYNC:-on}
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
running() { [ -f "$dir/data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}
case "$cmd" in
  start)
    want=${3:?missing PORT}
    # A cluster left running by an interrupted run is stopped first.
    if running; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true; fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir/data" -U exposure --auth=trust -E UTF8 --no-sync >/dev/null
    fi
    for attempt in 1 2 3 4 5; do
      if [ "$want" = auto ]; then port=$(free_port); else port=$want; fi
      if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
          -o "-c listen_addresses=127.0.0.1 -c port=$port -k $dir -c fsync=$fsync -c max_connections=200" \
          start >/dev/null; then
        break
      fi
      if [ "$want" != auto ] || [ "$attempt" -eq 5 ]; then
        echo "pg-throwaway: cannot start PostgreSQL on port $port (log: $dir/log)" >&2
        exit 1
      fi
    done
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U exposure exposure 2>/dev/null || true
    echo "postgres://exposure@127.0.0.1:$port/exposure"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: pg-throwaway.sh start DIR PORT|auto | stop DIR" >&2; exit 2 ;;
esac
