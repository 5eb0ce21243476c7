#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS cluster on loopback, for the team store's tests.
#
#   scripts/test-store.sh start DIR [PORT]   initdb in DIR, start it; prints the store URL
#   scripts/test-store.sh stop DIR           stop it (DIR can then be removed)
#   scripts/test-store.sh crash DIR          stop it hard (pg_ctl stop -m immediate), as a crash
#   scripts/test-store.sh restart DIR        start it again on the same port
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user (made
# by Debian's postgresql package), or `nobody`. Trust authentication on 127.0.0.1 only; no fsync
# unless STRIKEMAP_STORE_FSYNC=on (the benchmark sets it): the tests' cluster holds nothing
# worth keeping.
set -euo pipefail
command=${1:?start or stop}
dir=${2:?a folder for the cluster}
port=${3:-54329}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  bindir=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
fi
if [ ! -x "$bindir/initdb" ]; then
  echo "test-store: no PostgreSQL server here: apt-get install postgresql postgresql-postgis" >&2
  exit 1
fi

as_user=()
if [ "$(id -u)" = 0 ]; then
  user=postgres
  id -u "$user" >/dev/null 2>&1 || user=nobody
  as_user=(runuser -u "$user" --)
fi

case $command in
  start)
    mkdir -p "$dir"
    if [ ${#as_user[@]} -gt 0 ]; then chown "$user" "$dir"; fi
    "${as_user[@]}" "$bindir/initdb" -D "$dir/data" -U strikemap_admin -A trust -E UTF8 \
      --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    echo "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=${STRIKEMAP_STORE_FSYNC:-off} -c max_connections=60" >"$dir/options"
    "${as_user[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "$(cat "$dir/options")" start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://strikemap_admin@127.0.0.1:$port/postgres"
    ;;
  restart)
    "${as_user[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "$(cat "$dir/options")" start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
  crash)
    "${as_user[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      "${as_user[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    ;;
  *)
    echo "test-store: start or stop, not $command" >&2
    exit 2
    ;;
esac
