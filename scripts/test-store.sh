#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS cluster on loopback, for the team store's tests.
#
#   scripts/test-store.sh start DIR [PORT]   initdb in DIR, start it; prints the store URL
#   scripts/test-store.sh stop DIR           stop it (DIR can then be removed)
#   scripts/test-store.sh crash DIR          stop it hard (pg_ctl stop -m immediate), as a crash
#   scripts/test-store.sh restart DIR        start it again on the same port
#
# With STRIKEMAP_STORE_TLS=1 the server also speaks TLS, with a certificate for 127.0.0.1 signed
# by a throwaway root made here (DIR/tls/root.crt: what a client names as sslrootcert).
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
    tls_options=""
    if [ "${STRIKEMAP_STORE_TLS:-0}" = 1 ]; then
      tls="$dir/tls"
      mkdir -p "$tls"
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Strikemap test root" \
        -keyout "$tls/root.key" -out "$tls/root.crt" 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
        -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
      printf 'subjectAltName=IP:127.0.0.1\n' >"$tls/san.ext"
      openssl x509 -req -in "$tls/server.csr" -CA "$tls/root.crt" -CAkey "$tls/root.key" \
        -CAcreateserial -days 2 -extfile "$tls/san.ext" -out "$tls/server.crt" 2>/dev/null
      chmod 600 "$tls/server.key"
      if [ ${#as_user[@]} -gt 0 ]; then chown -R "$user" "$tls"; fi
      tls_options=" -c ssl=on -c ssl_cert_file=$tls/server.crt -c ssl_key_file=$tls/server.key"
    fi
    echo "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=${STRIKEMAP_STORE_FSYNC:-off} -c max_connections=60$tls_options" >"$dir/options"
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
