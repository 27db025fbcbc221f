#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a loopback port, for tests and benchmarks.
#   scripts/pg-throwaway.sh start DIR PORT   creates the cluster in DIR (if new), starts it,
#                                            creates database "exposure"; prints the URL
#   scripts/pg-throwaway.sh stop DIR         stops it and removes DIR
# Runs the server as the unprivileged "postgres" user when started as root (initdb refuses root).
set -euo pipefail
cmd=${1:?usage: pg-throwaway.sh start DIR PORT | stop DIR}
dir=${2:?missing DIR}
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    port=${3:?missing PORT}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir/data" -U exposure --auth=trust -E UTF8 >/dev/null
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -k $dir -c fsync=on" start >/dev/null
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U exposure exposure 2>/dev/null || true
    echo "postgres://exposure@127.0.0.1:$port/exposure"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: pg-throwaway.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
