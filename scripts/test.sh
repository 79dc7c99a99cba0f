#!/usr/bin/env bash
# Runs every check and test of the repository, as CI does:
# install (lockfile frozen), one copy of each Backstage package, type-check,
# lint, formatting, the API and SQL reports, the Jest suites (backend on
# SQLite and PostgreSQL, frontend components), the Python reporter's
# unittest suite against a started backend (on python3 and on Python 3.8),
# the browser tests in Chromium, and the install test (the packed plugins
# installed into portals made by @backstage/create-app, install-test/).
#
# Installs what is missing first (Node 24, the packages, Debian's Chromium
# and flit).
# Needs the machine's PostgreSQL on 127.0.0.1:5432 (trust auth, user
# postgres), or BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING pointing
# at another server: a missing database is a failure, never a skip.
#
# Order. First, one after the other, what the rest needs: Node 24, the
# packages (Debian's Chromium installs meanwhile, when missing), PostgreSQL,
# the versions, the type-check (its dist-types/ feed the API reports and the
# package builds), and the install test's packing (`yarn pack` rewrites a
# plugin's package.json while it runs, so nothing else runs then). Then
# lanes run side by side, each step of a lane after the one before it:
#   install-test  the two create-app portals (ports 7100 and 3100)
#   jest          Jest (its servers listen on free ports; its PostgreSQL
#                 databases are created and dropped in tens of milliseconds
#                 also while the install test writes its portals'
#                 node_modules, measured 2026-12-05)
#   browser       the browser tests (ports 7007, 3000, 3001; the demo apps'
#                 Jest tests are configured with a backend on :7007, but
#                 send it nothing: they stop at the sign-in page)
#   checks        lint, formatting, API and SQL reports, then the Python
#                 reporter's suite on python3 and on Python 3.8 at once (two
#                 lanes of their own, each with a backend on a free port)
# Each lane writes its output to test-results/logs/LANE.log, which is
# printed whole when every lane has ended; the lines "[LANE] ..." say as it
# goes which step started and how it ended. Every step prints its wall time
# (and the CPU time of what it ran, on Linux).
#
# Ends with one line totalling every step of every lane: "N passed, N
# failed"; a lane that stops before its end counts as one more failure.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPORT_DIR="$PWD/test-results"
LOG_DIR="$REPORT_DIR/logs"
RESULT_DIR="$REPORT_DIR/results"
rm -rf "$REPORT_DIR" && mkdir -p "$LOG_DIR" "$RESULT_DIR"
started_at=$(date +%s)
CLOCK_TICKS=$(getconf CLK_TCK 2>/dev/null || echo 100)

# Where this shell's results go: one line each, "result NAME PASSED FAILED",
# "time NAME SECONDS CPU_SECONDS", and "end" when a lane has run to its end.
LANE=main
RESULTS="$RESULT_DIR/main.txt"
: >"$RESULTS"
# The console, also from inside a lane (whose standard output is its log).
exec 3>&1

# Prints a line, and in a lane to the console too, marked with the lane.
say() {
  echo "$*"
  [ "$LANE" = main ] || echo "[$LANE] $*" >&3
}

# CPU time, in clock ticks, of the finished children of process $1.
child_cpu_ticks() {
  local stat
  read -ra stat <"/proc/$1/stat" 2>/dev/null && echo $((stat[15] + stat[16])) || echo 0
}

# Runs a step and notes its wall time and CPU time: `timed NAME COMMAND...`.
timed() {
  local name="$1" self=$BASHPID t0 c0 status seconds cpu
  shift
  t0=$(date +%s)
  c0=$(child_cpu_ticks "$self")
  "$@"
  status=$?
  seconds=$(($(date +%s) - t0))
  cpu=$((($(child_cpu_ticks "$self") - c0) / CLOCK_TICKS))
  echo "time $name $seconds $cpu" >>"$RESULTS"
  say "[$name] $seconds s (CPU $cpu s)"
  return $status
}

# A check that is one pass or one failure.
check() {
  local name="$1"
  shift
  echo
  say "=== $name"
  if timed "$name" "$@"; then
    echo "result $name 1 0" >>"$RESULTS"
  else
    say "[$name] FAILED"
    echo "result $name 0 1" >>"$RESULTS"
    return 1
  fi
}

# Adds a suite's test counts from its JSON report; a suite that did not
# report counts as one failure.
count_tests() {
  local name="$1" kind="$2" file="$3"
  local counts p f
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
    say "[$name] $p passed, $f failed or skipped"
    echo "result $name $p $f" >>"$RESULTS"
  else
    say "[$name] wrote no report"
    echo "result $name 0 1" >>"$RESULTS"
  fi
}

# A suite that writes a report: `suite NAME KIND REPORT COMMAND...`.
suite() {
  local name="$1" kind="$2" file="$3"
  shift 3
  echo
  say "=== $name"
  timed "$name" "$@"
  count_tests "$name" "$kind" "$file"
}

# Lanes: `start_lane NAME COMMAND...` runs the command in the background,
# its output in $LOG_DIR/NAME.log; `end_lanes` waits for the lanes this
# shell started and prints their logs.
lane_pids=()
lane_names=()
start_lane() {
  local name="$1"
  shift
  : >"$RESULT_DIR/$name.txt"
  (
    LANE="$name"
    RESULTS="$RESULT_DIR/$name.txt"
    lane_pids=()
    lane_names=()
    timed "lane:$name" "$@"
    echo end >>"$RESULTS"
  ) >"$LOG_DIR/$name.log" 2>&1 </dev/null &
  lane_pids+=($!)
  lane_names+=("$name")
  say "[$name] started, output in ${LOG_DIR#"$PWD"/}/$name.log"
}
end_lanes() {
  local pid name
  for pid in "${lane_pids[@]}"; do
    wait "$pid"
  done
  for name in "${lane_names[@]}"; do
    echo
    echo "##### lane $name (${LOG_DIR#"$PWD"/}/$name.log)"
    cat "$LOG_DIR/$name.log"
    echo "##### end of lane $name"
  done
  lane_pids=()
  lane_names=()
}

# On an interrupt, the lanes and what they started stop too.
stop_tree() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    stop_tree "$child"
  done
  kill "$1" 2>/dev/null
}
interrupted() {
  local pid
  for pid in "${lane_pids[@]}"; do
    stop_tree "$pid"
  done
  exit 130
}
trap interrupted INT TERM

finish() {
  local passed=0 failed=0 failures=() failed_lanes=() times=() file lane ended kind name p f
  # This shell's steps first, then the lanes'.
  for file in "$RESULT_DIR/main.txt" $(ls "$RESULT_DIR"/*.txt | grep -v '/main\.txt$'); do
    lane=$(basename "$file" .txt)
    ended=0
    while read -r kind name p f; do
      case "$kind" in
        result)
          passed=$((passed + p))
          failed=$((failed + f))
          if [ "$f" -ne 0 ]; then
            failures+=("$name")
            failed_lanes+=("$lane")
          fi
          ;;
        time) times+=("$name ${p}s") ;;
        end) ended=1 ;;
      esac
    done <"$file"
    if [ "$lane" != main ] && [ "$ended" -eq 0 ]; then
      failed=$((failed + 1))
      failures+=("lane:$lane(stopped-before-its-end)")
      failed_lanes+=("$lane")
    fi
  done
  # The end of each failed lane's log again, last, where a reader of the
  # output's tail (CI's) sees why.
  for lane in $(printf '%s\n' "${failed_lanes[@]}" | sort -u); do
    [ "$lane" != main ] && [ -f "$LOG_DIR/$lane.log" ] || continue
    echo
    echo "##### the end of lane $lane, which failed (${LOG_DIR#"$PWD"/}/$lane.log)"
    grep -av '^\[toolchain\]\|\[WebServer\]' "$LOG_DIR/$lane.log" | tail -n 80
  done
  echo
  echo "Times: ${times[*]}; total $(($(date +%s) - started_at))s"
  if [ ${#failures[@]} -gt 0 ]; then
    echo "Failed: ${failures[*]}"
  fi
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

export CI=1
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
# Native modules (better-sqlite3, here and in the install test's portals)
# compile with as many jobs as the machine has cores, through ccache where
# there is one (Debian's, see ensure_ccache): the portals' better-sqlite3 is
# the same source, flags and Node headers as this repository's, so it is
# compiled once per run (about 85 s of CPU each time) instead of three times.
# (JOBS is node-gyp's; npm_config_jobs would make npm warn of an unknown
# setting.)
export JOBS="${JOBS:-max}"

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
# ccache, to compile better-sqlite3 once: an accelerator, not a check, so
# without it the run goes on.
ensure_ccache() {
  if ! [ -d /usr/lib/ccache ] && command -v apt-get >/dev/null; then
    echo "installing Debian's ccache"
    apt-get install -y ccache >/dev/null 2>&1 ||
      { apt-get update >/dev/null 2>&1 && apt-get install -y ccache >/dev/null 2>&1; }
  fi
  if [ -d /usr/lib/ccache ]; then
    # Debian's compiler names that call ccache.
    export PATH="/usr/lib/ccache:$PATH"
  else
    echo "no ccache: better-sqlite3 compiles from scratch in each install"
  fi
}
# The Chromium install started beside `yarn install`: its output and result.
chromium_installed() {
  wait "$chromium_pid"
  local status=$?
  cat "$LOG_DIR/chromium.log"
  return $status
}

check toolchain source scripts/toolchain.sh || finish
timed ccache ensure_ccache
ensure_chromium >"$LOG_DIR/chromium.log" 2>&1 </dev/null &
chromium_pid=$!
check install yarn install --immutable
installed=$?
check chromium chromium_installed
[ "$installed" -eq 0 ] || finish
check postgres ensure_postgres
check versions node scripts/check-versions.mjs
# Debian's flit_core builds the Python reporter's wheel with no package index
# (plugins/monitor-common/python/build-wheel.sh).
ensure_flit() {
  { python3 -c 'import flit_core' || /usr/bin/python3 -c 'import flit_core'; } 2>/dev/null && return 0
  echo "installing Debian's flit (it builds the Python reporter's wheel)"
  apt-get install -y flit >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y flit >/dev/null; }
}
check flit ensure_flit
check tsc yarn tsc
# The three packages, built and packed for the install test (its first
# step; the other steps run in their lane).
suite install-test-pack counts "$REPORT_DIR/install-test-pack.json" \
  env TC_PORTAL_PACK_CHECKED=1 node install-test/run.mjs --pack-only --json "$REPORT_DIR/install-test-pack.json"

# The packed plugins in portals that @backstage/create-app makes, installed
# by the README's steps (install-test/run.mjs; each step counts once).
install_test_lane() {
  suite install-test counts "$REPORT_DIR/install-test.json" \
    node install-test/run.mjs --packed --json "$REPORT_DIR/install-test.json"
}

jest_lane() {
  suite jest jest "$REPORT_DIR/jest.json" \
    yarn backstage-cli repo test --json --outputFile="$REPORT_DIR/jest.json"
}

# Both demo apps in Chromium, against a backend on :7007 (the legacy app on
# :3000, app-next on :3001).
browser_lane() {
  suite playwright playwright "$PWD/e2e-test-report/results.json" yarn playwright test
}

# The Python reporter's unittest suite, against a backend it starts: on the
# machine's python3, and on Python 3.8, the oldest the reporter supports.
# They install the reporter's wheel into a fresh virtual environment with
# `pip install --no-index`: the wheel is built once, with Debian's flit_core
# and no package index, by whatever needs it first (the install test's
# packing or a suite), and reused after.
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
  suite "$name" counts "$REPORT_DIR/$name.json" \
    "$python" plugins/monitor-common/python/tests/run.py --json "$REPORT_DIR/$name.json"
}
no_python38() {
  echo "no Python 3.8 found (python3.8 on PATH or under pyenv): the reporter's oldest supported version is untested"
  return 1
}
checks_lane() {
  check lint yarn backstage-cli repo lint
  check prettier yarn prettier --check .
  # The public API (report.api.md, report-alpha.api.md) and the migrations'
  # schema (report.sql.md): a change not reflected in them fails here.
  check api-reports yarn build:api-reports:only --ci
  start_lane python-reporter python_suite python-reporter python3
  if python38=$(find_python38); then
    start_lane python-reporter-3.8 python_suite python-reporter-3.8 "$python38"
  else
    check python-reporter-3.8 no_python38
  fi
  end_lanes
}

start_lane install-test install_test_lane
start_lane jest jest_lane
start_lane browser browser_lane
start_lane checks checks_lane
end_lanes

finish
