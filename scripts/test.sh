#!/usr/bin/env bash
# The whole test suite, on a fresh machine: provision, typecheck, lint, Vitest (unit and
# integration against real Postgres, S3 and Docker), production build, Playwright end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
# The AWS SDK warns that it will need Node 22 from 2027: noise in test output (documented in docs/operations.md).
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

WITH_TEST_TOOLS=1 bash scripts/provision.sh
export NODE_BASE_IMAGE="${NODE_BASE_IMAGE:-dartcloud/node-base:local}"

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }
step "typecheck"; npx tsc --noEmit && npx tsc -p bin
step "lint"; npx eslint . --max-warnings=0
step "unit and integration tests"; npx vitest run
step "production build"; npx next build
step "end-to-end tests"; npx playwright test
