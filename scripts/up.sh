#!/usr/bin/env bash
# Runs Dart Cloud on the embedded defaults (PGlite and an embedded S3 server under .data/,
# the local Docker Engine) on a fresh machine: provision, build, start.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/provision.sh
export NODE_BASE_IMAGE="${NODE_BASE_IMAGE:-dartcloud/node-base:local}"
export PORT="${PORT:-3000}"
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components server -newer .next/BUILD_ID -print -quit)" ]; then
  npx next build
fi
echo
echo "Dart Cloud is starting on http://localhost:${PORT}  (Ctrl-C stops it)"
exec npx next start -p "$PORT"
