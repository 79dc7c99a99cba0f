#!/usr/bin/env bash
# Starts the demo portal: frontend on http://localhost:3000, backend on
# http://localhost:7007, embedded SQLite in memory, guest sign-in.
#
# Installs what is missing first (Node 24 into .toolchain/, the packages).
# The job-report webhook accepts the secret in TC_PORTAL_WEBHOOK_SECRET,
# "dev-webhook-secret" unless you set another.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/toolchain.sh

yarn install --immutable

export TC_PORTAL_WEBHOOK_SECRET="${TC_PORTAL_WEBHOOK_SECRET:-dev-webhook-secret}"
echo "[start] job reports: POST http://localhost:7007/api/monitor/job-report with X-TC-Portal-Webhook-Secret: $TC_PORTAL_WEBHOOK_SECRET" >&2
exec yarn start "$@"
