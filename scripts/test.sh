#!/usr/bin/env bash
# Runs every check and test of the repository, as CI does:
# install (lockfile frozen), one copy of each Backstage package, type-check,
# lint, formatting, the API and SQL reports, the Jest suites (backend on
# SQLite and PostgreSQL, frontend components), the Python reporter's
# unittest suite against a started backend (on python3 and on Python 3.8),
# the browser tests in Chromium, and the install test (the packed plugins
# installed into portals made by @backstage/create-app, install-test/).
#
# Installs what is missing first (Node 24, the packages, Debian's Chromium).
# Needs the machine's PostgreSQL on 127.0.0.1:5432 (trust auth, user
# postgres), or BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING pointing
# at another server: a missing database is a failure, never a skip.
#
# Ends with one line totalling everything it ran: "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPORT_DIR="$PWD/test-results"
rm -rf "$REPORT_DIR" && mkdir -p "$REPORT_DIR"

passed=0
failed=0
failures=()

finish() {
  echo
  if [ ${#failures[@]} -gt 0 ]; then
    echo "Failed: ${failures[*]}"
  fi
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# A check that is one pass or one failure.
check() {
  local name="$1"
  shift
  echo
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
    return 1
  fi
}

# Adds a suite's test counts from its JSON report; a suite that did not
# report counts as one failure.
count_tests() {
  local name="$1" kind="$2" file="$3"
  local counts
  if counts=$(node -e '
    const r = require(process.argv[1]);
    if (process.argv[2] === "jest") {
      console.log(r.numPassedTests, r.numFailedTests + r.numPendingTests + r.numTodoTests + r.numRuntimeErrorTestSuites);
    } else if (process.argv[2] === "counts") {
      console.log(r.passed, r.failed);
    } else {
      const s = r.stats;
      console.log(s.expected, s.unexpected + s.flaky + s.skipped + (r.errors?.length ?? 0));
    }' "$file" "$kind" 2>/dev/null); then
    read -r p f <<<"$counts"
    echo "[$name] $p passed, $f failed or skipped"
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$f" -eq 0 ] || failures+=("$name")
  else
    echo "[$name] wrote no report"
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

export CI=1
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"

check toolchain source scripts/toolchain.sh || finish
check install yarn install --immutable || finish

postgres_reachable() {
  node -e '
    const { Client } = require("pg");
    const c = new Client({ connectionString: process.argv[1] });
    c.connect().then(() => c.end()).then(() => process.exit(0), e => {
      console.error(`PostgreSQL: ${e.message}`); process.exit(1); });' \
    "$BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING"
}
ensure_postgres() {
  postgres_reachable && return 0
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "starting the machine's PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    sleep 2
  fi
  postgres_reachable
}
ensure_chromium() {
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] &&
    fc-list 2>/dev/null | grep -qi 'ipagothic' && return 0
  echo "installing Debian's Chromium (and a Japanese font for the screenshots)"
  apt-get install -y chromium fonts-ipafont-gothic >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y chromium fonts-ipafont-gothic >/dev/null; }
}
check postgres ensure_postgres
check chromium ensure_chromium

check versions node scripts/check-versions.mjs
check tsc yarn tsc
check lint yarn backstage-cli repo lint
check prettier yarn prettier --check .
# The public API (report.api.md, report-alpha.api.md) and the migrations'
# schema (report.sql.md): a change not reflected in them fails here.
check api-reports yarn build:api-reports:only --ci

echo
echo "=== jest"
yarn backstage-cli repo test --json --outputFile="$REPORT_DIR/jest.json"
count_tests jest jest "$REPORT_DIR/jest.json"

# The Python reporter's unittest suite, against a backend it starts: on the
# machine's python3, and on Python 3.8, the oldest the reporter supports.
# Each run builds the reporter's wheel and installs it, and the folder, into
# fresh virtual environments (pip fetches flit_core, the build backend, from
# the package index pip is configured with).
find_python38() {
  local candidate
  # pyenv's versions, also where pyenv itself is not on PATH.
  local pyenv_root
  pyenv_root="$(command -v pyenv >/dev/null && pyenv root || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
  for candidate in python3.8 $(ls -d "$pyenv_root"/versions/3.8*/bin/python3.8 2>/dev/null); do
    if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 8)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
python_suite() {
  local name="$1" python="$2"
  echo
  echo "=== $name"
  "$python" plugins/monitor-common/python/tests/run.py --json "$REPORT_DIR/$name.json"
  count_tests "$name" counts "$REPORT_DIR/$name.json"
}
python_suite python-reporter python3
if python38=$(find_python38); then
  python_suite python-reporter-3.8 "$python38"
else
  echo
  echo "=== python-reporter-3.8"
  echo "no Python 3.8 found (python3.8 on PATH or under pyenv): the reporter's oldest supported version is untested"
  failed=$((failed + 1))
  failures+=(python-reporter-3.8)
fi

echo
echo "=== playwright"
yarn playwright test
count_tests playwright playwright "$PWD/e2e-test-report/results.json"

# The packed plugins in portals that @backstage/create-app makes, installed
# by the README's steps (install-test/run.mjs; each step counts once).
echo
echo "=== install-test"
node install-test/run.mjs --json "$REPORT_DIR/install-test.json"
count_tests install-test counts "$REPORT_DIR/install-test.json"

finish
