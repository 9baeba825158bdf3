#!/usr/bin/env bash
# Installs and starts what the app and its tests need on a fresh Debian machine, skipping
# whatever is already there: Debian packages, Docker Engine, PostgreSQL (for tests), Node
# packages and the local base images. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1;34m[provision]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

WITH_TEST_TOOLS="${WITH_TEST_TOOLS:-0}"

# 1. Debian packages.
need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v busybox >/dev/null || need+=(busybox-static)
if [ "$WITH_TEST_TOOLS" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v pg_ctlcluster >/dev/null || command -v pg_isready >/dev/null || need+=(postgresql)
fi
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. Docker Engine: start dockerd in the background when nothing answers on the socket.
if ! docker info >/dev/null 2>&1; then
  if [ -n "${DOCKER_HOST:-}" ]; then
    echo "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST" >&2
    exit 1
  fi
  log "starting dockerd"
  as_root sh -c 'nohup dockerd >/var/log/dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/dockerd.log" >&2; tail -20 /var/log/dockerd.log >&2; exit 1; }
fi
log "docker $(docker version --format '{{.Server.Version}}')"

# 3. PostgreSQL for the tests: the one at TEST_POSTGRES_ADMIN_URL, or start the local cluster.
if [ "$WITH_TEST_TOOLS" = 1 ]; then
  pg_url="${TEST_POSTGRES_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  if ! pg_isready -q -d "$pg_url" 2>/dev/null; then
    log "starting PostgreSQL"
    for v in $(ls /etc/postgresql 2>/dev/null); do as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start || true; done
    for _ in $(seq 1 30); do pg_isready -q -d "$pg_url" 2>/dev/null && break; sleep 1; done
    pg_isready -q -d "$pg_url" || { echo "PostgreSQL at $pg_url is not reachable" >&2; exit 1; }
  fi
  log "postgres ready"
fi

# 4. Node packages, exactly as locked.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing Node packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 5. Local base images (no registry is reachable).
bash scripts/base-images.sh
