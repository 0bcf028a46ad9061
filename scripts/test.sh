#!/usr/bin/env bash
# Sets up and runs every test: Rust unit and integration tests on SQLite and PostgreSQL, the web
# app's type check and generated-client check, the docs build (broken links fail it), and the
# browser tests in the system Chromium against a freshly built server.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
step() { printf '\n==> %s\n' "$*"; }

step "services"
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432; starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432
# Databases left behind by an interrupted earlier run.
psql -h 127.0.0.1 -U postgres -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'didtron_t_%'" |
  while read -r db; do psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"; done
if ! [ -x /usr/bin/chromium ]; then
  echo "installing Chromium from Debian for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

npm_install() { # installs a package folder's locked dependencies when they changed
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

step "web: install, check the generated API client, type-check and build"
npm_install web
(cd web && npm run --silent check:api && npm run --silent build && npm test --silent)

step "docs: install and build (a broken link fails)"
npm_install docs
(cd docs && npm run --silent build)

step "rust: build and run the tests (SQLite and PostgreSQL)"
cargo build --locked --bins --tests
if command -v cargo-nextest >/dev/null; then
  cargo nextest run --locked --no-fail-fast
else
  cargo test --locked --no-fail-fast
fi

step "browser tests (system Chromium)"
npm_install e2e
"$root/scripts/e2e.sh"
