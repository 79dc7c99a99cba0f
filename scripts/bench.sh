#!/usr/bin/env bash
# Benchmarks of the monitor backend (see plugins/monitor-backend/dev/bench/main.ts
# and docs/benchmarks.md): ingest against its ceiling, the read side with
# 10,000 jobs and 1,000,000 runs, and pruning under load, on SQLite and on the
# machine's PostgreSQL. Prints numbers and writes bench-results/; not part of
# the tests. Arguments go to the benchmark: --only ingest|read|retention,
# --db sqlite|postgres, --quick.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/toolchain.sh
yarn install --immutable >/dev/null
if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian's package), the ingest benchmark's load generator"
  apt-get install -y wrk >/dev/null
fi
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
yarn bench "$@"
