#!/usr/bin/env bash
# Builds the local base images that function builds start FROM, without any registry:
# a root filesystem made of this machine's own Node.js (with npm) and busybox, imported
# with `docker import`. Idempotent: an image that already exists is kept.
set -euo pipefail

NODE_IMAGE="${LOCAL_NODE_BASE_IMAGE:-dartcloud/node-base:local}"

if docker image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
  echo "base image $NODE_IMAGE present"
  exit 0
fi

command -v busybox >/dev/null || { echo "busybox is missing: run scripts/provision.sh" >&2; exit 1; }
NODE_BIN="$(readlink -f "$(command -v node)")"
NPM_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,usr/bin,usr/local/bin,usr/lib/node_modules,etc,tmp,app,lib64,lib/x86_64-linux-gnu,home/node}
chmod 1777 "$root/tmp"

cp "$(command -v busybox)" "$root/bin/busybox"
for applet in sh ls cat env echo mkdir rm cp mv sleep test true false wget id; do ln -s busybox "$root/bin/$applet"; done

cp "$NODE_BIN" "$root/usr/bin/node"
# The shared libraries node links against, at the paths the loader expects.
ldd "$NODE_BIN" | awk '/=>/ {print $3} /ld-linux/ {print $1}' | while read -r lib; do
  [ -f "$lib" ] || continue
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cp -r "$NPM_DIR" "$root/usr/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"

cat > "$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000:node:/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat > "$root/etc/group" <<GROUP
root:x:0:
node:x:1000:
nogroup:x:65534:
GROUP
chown 1000:1000 "$root/home/node"

tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  -c 'WORKDIR /app' \
  -c 'CMD ["node"]' \
  - "$NODE_IMAGE" >/dev/null
echo "built base image $NODE_IMAGE ($(node --version))"
