#!/usr/bin/env bash
# The app as the end-to-end tests see it: the production build on a fresh Postgres database
# and a fresh data directory (embedded S3 server), with the local base images.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

admin="${TEST_POSTGRES_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db="${E2E_DATABASE_NAME:-dartcloud_e2e}"
psql -q "$admin" -c "drop database if exists \"$db\" with (force)" -c "create database \"$db\""
export DATABASE_URL="${admin%/*}/$db"
export DATA_DIR="${DATA_DIR:-.data/e2e}"
rm -rf "$DATA_DIR"
export NODE_BASE_IMAGE="${NODE_BASE_IMAGE:-dartcloud/node-base:local}"
export PORT="${E2E_PORT:-3100}"
export PLATFORM_INSTANCE="${PLATFORM_INSTANCE:-e2e-$PORT}"
# A fixed port for the embedded S3 server, so tests can look inside the bucket.
export EMBEDDED_S3_PORT="${E2E_S3_PORT:-3101}"
# Small limits so the size checks are quick to exercise.
export ARCHIVE_MAX_BYTES="${ARCHIVE_MAX_BYTES:-2097152}"
export WARM_GRACE_MS="${WARM_GRACE_MS:-60000}"
exec npx next start -p "$PORT"
