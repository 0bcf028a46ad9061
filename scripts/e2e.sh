#!/usr/bin/env bash
# Starts a debug `didtron serve` on a free port with a throw-away data directory, runs the browser
# tests in e2e/ against it, and stops it. Screenshots land in e2e/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
[ -x target/debug/didtron ] || cargo build --locked --bin didtron
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
log="$data/server.log"
export DIDTRON_ADMIN_EMAIL=admin@e2e.test DIDTRON_ADMIN_PASSWORD=e2e-admin-password
./target/debug/didtron serve --listen "127.0.0.1:$port" --data-dir "$data" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "server did not start:"; cat "$log"; exit 1; }
export DIDTRON_BASE_URL="http://127.0.0.1:$port" DIDTRON_DATA_DIR="$data"
cd "$root/e2e"
status=0
node --test --test-concurrency=1 tests/ || status=$?
if [ $status -ne 0 ]; then echo "--- server log ---"; tail -n 80 "$log"; fi
exit $status
