#!/usr/bin/env bash
# Sets up and starts DIDtron on its embedded defaults: SQLite and local files in ./data, listening on
# 127.0.0.1:8080. Extra arguments go to `didtron serve` (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd web && npm run --silent build)
cargo build --release --locked --bin didtron
exec ./target/release/didtron serve "$@"
