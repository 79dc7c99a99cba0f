#!/usr/bin/env bash
# Builds the reporter's wheel, dist/tc_portal_monitor-<version>-py3-none-any.whl
# next to this script, and prints its path. It uses no package index and no
# build isolation: flit_core, the build backend pyproject.toml names, must
# already be installed for the Python that builds (Debian: `apt-get install
# flit`, which gives /usr/bin/python3 flit_core 3.8). Wheels of other versions
# in dist/ are removed, so dist/ holds the one wheel the package ships.
#
# The common package's prepack runs it (so `yarn pack` ships the wheel), and
# the Python tests run it when the wheel is missing or older than its sources.
#
# Usage: build-wheel.sh
# The Python that builds is TC_PORTAL_WHEEL_PYTHON when set, otherwise the
# first of python3 on PATH and /usr/bin/python3 that has flit_core.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# flit_core in the range pyproject.toml asks for (>=3.8,<5).
has_flit_core() {
  "$1" -c '
import sys
import flit_core
major, minor = (int(part) for part in flit_core.__version__.split(".")[:2])
sys.exit(0 if (3, 8) <= (major, minor) < (5, 0) else 1)' 2>/dev/null
}

if [ -n "${TC_PORTAL_WHEEL_PYTHON:-}" ]; then
  candidates=("$TC_PORTAL_WHEEL_PYTHON")
else
  candidates=(python3 /usr/bin/python3)
fi
python=""
for candidate in "${candidates[@]}"; do
  if command -v "$candidate" >/dev/null && has_flit_core "$candidate"; then
    python="$candidate"
    break
  fi
done
if [ -z "$python" ]; then
  echo "build-wheel.sh: no flit_core (>=3.8,<5) in ${TC_PORTAL_WHEEL_PYTHON:-python3 or /usr/bin/python3}: it builds the reporter's wheel, here without a package index." >&2
  echo "Install Debian's flit (apt-get install flit), or name a Python that has flit_core in TC_PORTAL_WHEEL_PYTHON." >&2
  exit 1
fi

mkdir -p "$here/dist"
# Built beside its final place, then renamed in: a reader never sees half a
# wheel.
work="$(mktemp -d "$here/dist/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
"$python" -m flit_core.wheel --outdir "$work" "$here" >&2
built=("$work"/tc_portal_monitor-*-py3-none-any.whl)
if [ ${#built[@]} -ne 1 ] || [ ! -f "${built[0]}" ]; then
  echo "build-wheel.sh: flit_core built no tc_portal_monitor-*-py3-none-any.whl" >&2
  exit 1
fi
name="$(basename "${built[0]}")"
for old in "$here"/dist/tc_portal_monitor-*.whl; do
  if [ -e "$old" ] && [ "$(basename "$old")" != "$name" ]; then
    rm -f "$old"
  fi
done
# flit_core writes it private (0600); everyone may read what ships.
chmod 644 "${built[0]}"
mv -f "${built[0]}" "$here/dist/$name"
echo "$here/dist/$name"
