#!/usr/bin/env bash
# The whole test suite, on a fresh machine: provision, typecheck, lint, Vitest (unit and
# integration against real Postgres, S3 and Docker), production build, Playwright end to end.
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TEST_TOOLS=1 bash scripts/provision.sh
export NODE_BASE_IMAGE="${NODE_BASE_IMAGE:-dartcloud/node-base:local}"

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }
step "typecheck"; npx tsc --noEmit
step "lint"; npx eslint . --max-warnings=0
step "unit and integration tests"; npx vitest run
step "production build"; npx next build
step "end-to-end tests"; npx playwright test
