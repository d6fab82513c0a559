# Sourced by .ci/run: a PostgreSQL server on localhost for the tests of the production
# Dagster instance (tests/pg.py). Installs the Debian package when absent, starts the
# cluster as the postgres user (the server refuses root), creates a role that may create
# databases (each test makes its own and drops it) and exports the settings the tests read.
if ! command -v pg_ctlcluster >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
read -r PG_VERSION PG_CLUSTER PG_PORT _ < <(pg_lsclusters -h | head -n 1) || true
if [ -z "${PG_VERSION:-}" ]; then
    PG_VERSION=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
    pg_createcluster "$PG_VERSION" main >/dev/null
    read -r PG_VERSION PG_CLUSTER PG_PORT _ < <(pg_lsclusters -h | head -n 1) || true
fi
pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1 \
    || pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
export FOREBYG_TEST_PG_HOST=127.0.0.1
export FOREBYG_TEST_PG_PORT="$PG_PORT"
export FOREBYG_TEST_PG_USER=forebyg_test
export FOREBYG_TEST_PG_PASSWORD=forebyg_test
# The role and password exist only on this throwaway server, for the tests.
su postgres -c "cd / && psql -q -p $PG_PORT -v ON_ERROR_STOP=1" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$FOREBYG_TEST_PG_USER') THEN
    CREATE ROLE $FOREBYG_TEST_PG_USER LOGIN CREATEDB PASSWORD '$FOREBYG_TEST_PG_PASSWORD';
  END IF;
END \$\$;
SQL
