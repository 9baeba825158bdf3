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
# The end-to-end app's containers and images (labelled with its PLATFORM_INSTANCE) go when the
# suite ends, pass or fail; the next run starts from a fresh database anyway.
cleanup_e2e() {
  docker ps -aq --filter label=dartcloud.instance=e2e-3100 | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker images -q --filter label=dartcloud.instance=e2e-3100 | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
}
trap cleanup_e2e EXIT
step "end-to-end tests"; npx playwright test
