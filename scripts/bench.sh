#!/usr/bin/env bash
# Benchmarks of the monitor backend: the read API with 10,000 jobs and the
# rate of reports, on SQLite and on the machine's PostgreSQL. Prints numbers;
# not part of the tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/toolchain.sh
yarn install --immutable >/dev/null
export CI=1 BACKSTAGE_TEST_DISABLE_DOCKER=1
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
cd plugins/monitor-backend
yarn backstage-cli package test --roots '<rootDir>/../dev' --testMatch '**/*.bench.ts' "$@"
