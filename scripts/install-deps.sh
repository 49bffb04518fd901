#!/usr/bin/env bash
# Installs what SafeLoop needs to build, run and test, from Debian's packages and the npm registry only.
# Safe to run again: it installs only what is missing. Usage: scripts/install-deps.sh [server|web|test]...
set -euo pipefail
cd "$(dirname "$0")/.."

# Server build and runtime (see ../shared/STACK.md for why these and not libboost-all-dev).
SERVER_PKGS=(g++ cmake ninja-build pkg-config libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev libspdlog-dev libfmt-dev libcurl4-openssl-dev libvips-dev libexif-dev
  libjpeg62-turbo-dev libavformat-dev libgtest-dev libssl-dev openssl)
# Node.js 20 and npm come with the machine image; Debian's own npm package conflicts with that install,
# so they are installed from Debian only where no node/npm is present at all.
command -v node >/dev/null 2>&1 || SERVER_PKGS+=(nodejs)
command -v npm >/dev/null 2>&1 || SERVER_PKGS+=(npm)
# Tests: PostgreSQL server, the browser for e2e tests, CJK fonts for screenshots, linters, wrk for bench.
TEST_PKGS=(postgresql chromium fonts-noto-cjk clang-format clang-tidy wrk)

want=()
for group in "${@:-server}"; do
  case "$group" in
    server) want+=("${SERVER_PKGS[@]}") ;;
    test) want+=("${SERVER_PKGS[@]}" "${TEST_PKGS[@]}") ;;
    web) ;;
    *) echo "install-deps: unknown group $group" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Front-end packages: npm ci from the committed lockfile, only when the lockfile changed.
if [ -f web/package-lock.json ]; then
  stamp=web/node_modules/.safeloop-lock-sha
  want_sha=$(sha256sum web/package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_sha" ]; then
    echo "install-deps: npm ci (web)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want_sha" > "$stamp"
  fi
fi
