#!/usr/bin/env bash
# The non-GUI test suite on PostgreSQL instead of SQLite files.
#
#   tools/postgres_tests.sh [pytest arguments]
#
# With IA_LICENSING_TEST_POSTGRES set (postgresql+psycopg://user@host:port/postgres), it
# uses that server. Otherwise it starts a throwaway cluster with the machine's initdb and
# pg_ctl in a temporary folder (as the postgres user when run as root, since PostgreSQL
# refuses to run as root) and removes it afterwards. Tests that read the SQLite file
# itself are skipped there.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=.venv/bin/python
"$PYTHON" -c "import psycopg" 2>/dev/null || "$PYTHON" -m pip install --quiet -e ".[test,postgres]" -c constraints.txt

if [ -z "${IA_LICENSING_TEST_POSTGRES:-}" ]; then
    for tool in initdb pg_ctl; do
        command -v "$tool" >/dev/null || {
            echo "$tool not found: install PostgreSQL's server binaries or set" \
                 "IA_LICENSING_TEST_POSTGRES to a server URL" >&2
            exit 2
        }
    done
    cluster=$(mktemp -d)
    port=${PGPORT_FOR_TESTS:-54329}
    as_owner() { "$@"; }
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$cluster"
        as_owner() { su postgres -c "$(printf '%q ' "$@")"; }
    fi
    stop() { as_owner pg_ctl -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$cluster"; }
    trap stop EXIT
    as_owner initdb -D "$cluster/data" -A trust -U postgres >/dev/null
    as_owner pg_ctl -D "$cluster/data" -w -l "$cluster/log" \
        -o "-k $cluster -p $port -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null
    export IA_LICENSING_TEST_POSTGRES="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
fi

"$PYTHON" -m pytest -m "not gui" "$@"
