#!/usr/bin/env bash
# Builds the five plugin packages and packs them as a portal would install
# them: dist-packages/tc-portal-plugin-monitor{,-backend,-common}-<version>.tgz
# and tc-portal-plugin-{search,tech-insights}-backend-module-monitor-<version>.tgz
# (`yarn pack` runs `backstage-cli package prepack`, which swaps the source
# entry points for dist/ and the `workspace:` ranges for versions).
#
# Usage: scripts/pack.sh [output directory]
# With TC_PORTAL_PACK_CHECKED=1 (scripts/test.sh, which has just installed and
# type-checked the repository, and so written dist-types/ that the builds
# read) it skips those two steps.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/toolchain.sh
out="$(mkdir -p "${1:-dist-packages}" && cd "${1:-dist-packages}" && pwd)"

if [ "${TC_PORTAL_PACK_CHECKED:-}" != 1 ]; then
  yarn install --immutable >/dev/null
  yarn tsc
fi
for plugin in monitor-common monitor-backend monitor search-backend-module-monitor tech-insights-backend-module-monitor; do
  (
    cd "plugins/$plugin"
    name=$(node -p 'const p = require("./package.json"); `${p.name.slice(1).replace("/", "-")}-${p.version}`')
    yarn build >/dev/null
    yarn pack --out "$out/$name.tgz" >/dev/null
    echo "$out/$name.tgz"
  )
done
