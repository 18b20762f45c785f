#!/usr/bin/env bash
# Runs a command (the test suite) beside a private PostgreSQL server: its own data folder in a temporary
# directory, listening on 127.0.0.1 only, on a free port, with password authentication. The server is stopped
# and its folder removed when the command ends, whether it passed, failed or was interrupted.
#
# The command sees SIPAS_TEST_POSTGRES (postgres://sipas_admin@127.0.0.1:PORT/postgres, a superuser) and
# SIPAS_TEST_POSTGRES_PASSWORD. Installs Debian's postgresql if it is missing (as root).
#
#   bash scripts/with-postgres.sh swift test
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: scripts/with-postgres.sh COMMAND [ARGS...]" >&2; exit 2; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "with-postgres: PostgreSQL is not installed (apt-get install postgresql, as root)" >&2; exit 1; fi
  echo "with-postgres: installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

# PostgreSQL refuses to run as root: as root, the server runs as the postgres account the package made.
as_server() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres
  as_server() { runuser -u postgres -- "$@"; }
fi

folder=$(mktemp -d "${TMPDIR:-/tmp}/sipas-postgres.XXXXXX")
chmod 755 "$folder"
data="$folder/data"
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
mkdir "$data"
printf '%s\n' "$password" > "$folder/password"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$folder"; fi
chmod 700 "$data"

port=""
for _ in $(seq 1 50); do
  candidate=$(( 20000 + RANDOM % 40000 ))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "with-postgres: no free port found" >&2; exit 1; }

stop() {
  status=$?
  as_server "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$folder"
  exit $status
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_server "$bindir/initdb" -D "$data" -U sipas_admin --pwfile="$folder/password" --auth=scram-sha-256 \
  --encoding=UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 || { cat "$folder/initdb.log" >&2; exit 1; }
as_server "$bindir/pg_ctl" -D "$data" -l "$folder/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$folder -c shared_preload_libraries=pg_stat_statements -c fsync=off" \
  start >/dev/null || { cat "$folder/server.log" >&2; exit 1; }
echo "with-postgres: private server on 127.0.0.1:$port ($("$bindir/postgres" --version))" >&2

export SIPAS_TEST_POSTGRES="postgres://sipas_admin@127.0.0.1:$port/postgres"
export SIPAS_TEST_POSTGRES_PASSWORD="$password"
"$@"
