#!/usr/bin/env bash
# Runs a command next to a throwaway PostgreSQL 15 on a free loopback port and exports
# MYTHOS_TEST_PG_URL for it; the cluster is removed afterwards. PostgreSQL refuses to run as
# root, so as root the cluster runs as the dedicated system user `mythos-pg`.
#   ./scripts/with-postgres.sh ctest -R tst_storage
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server binaries not found (install postgresql-15)" >&2; exit 1; }

as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    id -u mythos-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin mythos-pg
    as_pg=(runuser -u mythos-pg --)
fi
dir=$(mktemp -d /tmp/mythos-pg.XXXXXX)
chmod 755 "$dir"
[ ${#as_pg[@]} -gt 0 ] && chown mythos-pg "$dir"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=0
for _ in $(seq 50); do
    candidate=$((20000 + RANDOM % 40000))
    if port_free "$candidate"; then port=$candidate; break; fi
done
[ "$port" -ne 0 ] || { echo "no free port for PostgreSQL" >&2; exit 1; }

stop_pg() {
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop_pg EXIT

"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
echo "== throwaway PostgreSQL on 127.0.0.1:$port"
export MYTHOS_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
"$@"
