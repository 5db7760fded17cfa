#!/usr/bin/env bash
# The one command that starts the app (README: `npm start`): installs npm deps if needed, serves on :5173.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
exec npx vite --host 127.0.0.1 --port "${PORT:-5173}"
